//! How fast `briefing serve` shows a save in the browser (issue 11). Not a test: a
//! benchmark to run by hand on a big site (see `bench/RESULTS.md`):
//!
//! ```sh
//! cargo run --release --example serve_latency -- /dev/shm/corpus-10k [EDITS] [RSS_EDITS] [ONLY]
//! ```
//!
//! Starts the server on the site (it edits the site's files and puts them back after),
//! listens on the reload event stream as a page does, and for `EDITS` body edits and
//! `EDITS` frontmatter edits (the title) of incidents measures save -> reload event ->
//! page fetched with the new text; also the time from the end of the rebuild to the event
//! arriving, and the resident memory before and after `RSS_EDITS` more edits. `ONLY`
//! (`body` or `frontmatter`) runs that phase alone; `--body` anywhere is `ONLY` = `body`,
//! and makes the memory edits body edits only; `--front` anywhere makes them frontmatter
//! edits only. The resident memory is also printed after every 100 memory edits, to show
//! its trend.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use briefing::serve::{Event, ServeOptions, serve};

fn main() {
    // `--body` anywhere: body edits only (no frontmatter edits, no memory run).
    let body_flag = std::env::args().any(|a| a == "--body");
    // `--front` anywhere: the memory edits are frontmatter edits only.
    let front_flag = std::env::args().any(|a| a == "--front");
    let mut args = std::env::args()
        .skip(1)
        .filter(|a| a != "--body" && a != "--front");
    let root = PathBuf::from(
        args.next()
            .expect("usage: serve_latency SITE [EDITS] [RSS_EDITS] [ONLY]"),
    );
    let edits: usize = args
        .next()
        .map_or(20, |a| a.parse().expect("EDITS is a number"));
    let rss_edits: usize = args
        .next()
        .map_or(1000, |a| a.parse().expect("RSS_EDITS is a number"));
    let only = args.next().or(body_flag.then(|| "body".to_string()));
    let phase = |name: &str| only.as_deref().is_none_or(|o| o == name);
    assert!(
        phase("body") || phase("frontmatter"),
        "ONLY is `body` or `frontmatter`"
    );

    let built: Arc<Mutex<Vec<(Instant, String)>>> = Arc::default();
    let mut options = ServeOptions::new(&root);
    let log = built.clone();
    options.report = Some(Arc::new(move |e: &Event<'_>| {
        if let Event::Built(b) = e {
            let o = b.outcome;
            let line = format!(
                "build {}: {} ms, {} pages rendered, {} written, steps {:?}, other outputs {:?}",
                b.number,
                b.took.as_millis(),
                b.report.pages_rendered,
                o.written.len(),
                o.steps,
                o.others
            );
            log.lock().unwrap().push((Instant::now(), line));
        }
    }));
    let started = Instant::now();
    let server = serve(&options).expect("the server starts");
    println!("first build: {:.2} s", started.elapsed().as_secs_f64());
    let addr = server.addr();
    let events = listen(addr);
    std::thread::sleep(Duration::from_millis(500));
    while events.try_recv().is_ok() {}

    let files: Vec<PathBuf> = std::fs::read_dir(root.join("content/incidents"))
        .expect("content/incidents")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .take(edits.max(1) * 2)
        .collect();
    let originals: Vec<String> = files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();

    let run = |what: &str, n: usize, frontmatter: bool, quiet: bool| {
        let mut total = Vec::new();
        let mut after_build = Vec::new();
        for i in 0..n {
            let at = i % files.len();
            let word = format!("edit{}x{i}", if frontmatter { "fm" } else { "body" });
            let text = edit(&originals[at], &word, frontmatter);
            let slug = files[at].file_stem().unwrap().to_string_lossy().to_string();
            let saved = Instant::now();
            std::fs::write(&files[at], text).unwrap();
            let (name, arrived) = events
                .recv_timeout(Duration::from_secs(60))
                .expect("an event within 60 s");
            assert_eq!(name, "reload", "event after an edit");
            let page = fetch(addr, &format!("/incidents/{slug}/"));
            let done = Instant::now();
            assert!(page.contains(&word), "the page shows the edit");
            total.push(done - saved);
            if let Some((end, _)) = built.lock().unwrap().last() {
                after_build.push(arrived.saturating_duration_since(*end));
            }
            std::fs::write(&files[at], &originals[at]).unwrap();
            let _ = events.recv_timeout(Duration::from_secs(60));
        }
        if !quiet {
            println!(
                "{what}: median {} ms (min {} ms, max {} ms) save -> reload event -> page fetched, \
                 over {n} edits; build end -> event median {} ms",
                median(&mut total),
                total.first().map_or(0, Duration::as_millis),
                total.last().map_or(0, Duration::as_millis),
                median(&mut after_build)
            );
            for (_, line) in built.lock().unwrap().iter().rev().take(2) {
                println!("  last: {line}");
            }
        }
    };
    if phase("body") {
        run("body edits", edits, false, false);
    }
    if phase("frontmatter") {
        run("frontmatter edits", edits, true, false);
    }
    if rss_edits > 0 {
        // Half body and half frontmatter edits; with `--body`, body edits only; with
        // `--front`, frontmatter edits only. In rounds of 100, each reporting memory.
        let before = rss_kib();
        let bodies = match (body_flag, front_flag) {
            (true, _) => rss_edits,
            (_, true) => 0,
            _ => rss_edits / 2,
        };
        let mut done = 0;
        while done < rss_edits {
            let n = (rss_edits - done).min(100);
            let body_now = bodies.saturating_sub(done).min(n);
            run("memory", body_now, false, true);
            run("memory", n - body_now, true, true);
            done += n;
            println!(
                "  resident memory after {done} edits: {} MiB",
                rss_kib() / 1024
            );
        }
        let after = rss_kib();
        println!(
            "resident memory: {} MiB before, {} MiB after {rss_edits} more edits (and as many restores)",
            before / 1024,
            after / 1024
        );
    }
    for (p, t) in files.iter().zip(&originals) {
        std::fs::write(p, t).unwrap();
    }
}

/// `text` with `word` added to its body or to its summary.
fn edit(text: &str, word: &str, frontmatter: bool) -> String {
    if frontmatter {
        let mut out = String::new();
        let mut done = false;
        for line in text.split_inclusive('\n') {
            if !done && line.starts_with("title:") {
                out.push_str(&format!("title: \"{word}\"\n"));
                done = true;
            } else {
                out.push_str(line);
            }
        }
        assert!(done, "an incident with a title");
        out
    } else {
        format!("{text}\n{word}\n")
    }
}

fn median(v: &mut [Duration]) -> u128 {
    v.sort();
    v.get(v.len() / 2).map_or(0, Duration::as_millis)
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

/// The event stream, as `(name, when it arrived)`.
fn listen(addr: SocketAddr) -> Receiver<(String, Instant)> {
    let (tx, rx) = channel();
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET /__briefing/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
            if let Some(name) = line.trim_end().strip_prefix("event: ") {
                let _ = tx.send((name.to_string(), Instant::now()));
            }
            line.clear();
        }
    });
    rx
}

/// The body of a GET (HTTP/1.0, so the server closes the connection).
fn fetch(addr: SocketAddr, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    String::from_utf8_lossy(&raw).into_owned()
}
