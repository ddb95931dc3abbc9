//! `briefing serve` over HTTP, beyond the basics of `serve.rs` (issue 11): validators and
//! ranges on pages (whose bytes carry the reload hook) and files, HEAD, the served folder
//! equal to a cold build after edits, a stylesheet change swapped in without a reload, a
//! save written in two parts rebuilt once, and a bounded load of concurrent clients while
//! files change.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use briefing::serve::reload;

use crate::serve::{
    Events, INCIDENT, edit, get, request, request_with, settle, start, start_unwatched,
};
use crate::support::{TestSite, snapshot};

const PAGE: &str = "/incidents/harbour-bombing/";

#[test]
fn pages_and_files_answer_etags_ranges_and_head() {
    let site = TestSite::fixture("basic");
    let server = start_unwatched(&site);
    let addr = server.addr();
    let file = std::fs::read(
        server
            .site_dir()
            .unwrap()
            .join("incidents/harbour-bombing/index.html"),
    )
    .unwrap();
    let sent = reload::inject(&file);

    let page = get(addr, PAGE);
    assert_eq!(page.status, 200);
    assert_eq!(page.body, sent);
    assert_eq!(page.header("cache-control"), Some("no-cache"));
    assert_eq!(page.header("accept-ranges"), Some("bytes"));
    let etag = page.header("etag").expect("a page has an ETag").to_string();
    let again = request_with(addr, "GET", PAGE, &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let other = request_with(addr, "GET", PAGE, &[("If-None-Match", "\"other\"")]);
    assert_eq!(other.status, 200);

    // Ranges are of the bytes sent, hook included.
    let part = request_with(addr, "GET", PAGE, &[("Range", "bytes=0-14")]);
    assert_eq!(part.status, 206);
    assert_eq!(part.body, &sent[..15]);
    let total = sent.len();
    assert_eq!(
        part.header("content-range"),
        Some(format!("bytes 0-14/{total}").as_str())
    );
    let tail = request_with(addr, "GET", PAGE, &[("Range", "bytes=-30")]);
    assert_eq!(tail.status, 206);
    assert_eq!(tail.body, &sent[total - 30..]);
    let beyond = request_with(addr, "GET", PAGE, &[("Range", &format!("bytes={total}-"))]);
    assert_eq!(beyond.status, 416);

    let head = request(addr, "HEAD", PAGE);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length"),
        Some(total.to_string().as_str())
    );

    // A file that is not a page: the same, from the file.
    let css = get(addr, "/style.css");
    assert_eq!(css.status, 200);
    let etag = css.header("etag").expect("a file has an ETag").to_string();
    let again = request_with(addr, "GET", "/style.css", &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    let part = request_with(addr, "GET", "/style.css", &[("Range", "bytes=2-5")]);
    assert_eq!(part.status, 206);
    assert_eq!(part.body, &css.body[2..6]);
    let head = request(addr, "HEAD", "/style.css");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
}

#[test]
fn edits_keep_the_served_folder_equal_to_a_cold_build_and_change_etags() {
    let site = TestSite::fixture("basic");
    let server = start(&site);
    let addr = server.addr();
    let mut events = Events::connect(addr);
    events.expect("state");
    settle();
    let before = get(addr, PAGE);
    let old_tag = before.header("etag").unwrap().to_string();
    let untouched = get(addr, "/pages/methodology/");
    let untouched_tag = untouched.header("etag").unwrap().to_string();

    edit(
        &site,
        INCIDENT,
        "went off in the waiting hall",
        "went off in the ticket hall",
    );
    events.expect("reload");
    let after = request_with(addr, "GET", PAGE, &[("If-None-Match", &old_tag)]);
    assert_eq!(after.status, 200);
    assert!(after.text().contains("ticket hall"));
    // A page whose bytes did not change was not written again: its validator holds.
    let same = request_with(
        addr,
        "GET",
        "/pages/methodology/",
        &[("If-None-Match", &untouched_tag)],
    );
    assert_eq!(same.status, 304);

    // A frontmatter edit that withholds a group referenced all over the site.
    edit(
        &site,
        "content/groups/northern-front-coastal.md",
        "status: active",
        "status: active\ntlp: red",
    );
    events.expect("reload");
    let mut options = site.options();
    let out = tempfile::tempdir().unwrap();
    options.output = Some(out.path().join("site"));
    options.base_url = Some(format!("http://{addr}/"));
    assert!(briefing::build_site(&options).success);
    let cold = snapshot(&out.path().join("site"));
    assert_eq!(snapshot(&server.site_dir().unwrap()), cold);
    assert!(
        !cold
            .iter()
            .any(|(k, _)| k.contains("northern-front-coastal"))
    );
    let page = get(addr, PAGE);
    assert!(page.text().contains("ticket hall"));
    assert!(!page.text().contains("/groups/northern-front-coastal/"));
}

#[test]
fn a_stylesheet_change_swaps_stylesheets_without_a_reload() {
    let site = TestSite::fixture("basic");
    let server = start(&site);
    let mut events = Events::connect(server.addr());
    events.expect("state");
    settle();
    let theme = briefing::render::THEME
        .get_file("style.css")
        .and_then(|f| f.contents_utf8())
        .unwrap();
    site.write(
        "templates/style.css",
        &format!("{theme}\n.served-change {{ color: teal; }}\n"),
    );
    events.expect("css");
    assert!(
        get(server.addr(), "/style.css")
            .text()
            .contains("served-change")
    );
    // The script handles the event by swapping the stylesheets in place.
    assert!(reload::JS.contains("addEventListener(\"css\""));
    // Anything else still reloads.
    edit(&site, INCIDENT, "waiting hall", "departure hall");
    events.expect("reload");
}

#[test]
fn fifty_clients_fetch_while_files_change_without_a_failed_request() {
    let site = TestSite::fixture("basic");
    let server = start(&site);
    let addr = server.addr();
    let mut events = Events::connect(addr);
    events.expect("state");
    let stop = Arc::new(AtomicBool::new(false));
    let (ok, failed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let paths = [
        ("/", 200),
        (PAGE, 200),
        ("/groups/northern-front/", 200),
        ("/style.css", 200),
        ("/search-index/manifest.json", 200),
        ("/no/such/page/", 404),
    ];
    let clients: Vec<_> = (0..50)
        .map(|i| {
            let (stop, ok, failed) = (stop.clone(), ok.clone(), failed.clone());
            std::thread::spawn(move || {
                let mut n = i;
                while !stop.load(Ordering::Relaxed) {
                    let (path, status) = paths[n % paths.len()];
                    n += 1;
                    let r = std::panic::catch_unwind(|| get(addr, path));
                    match r {
                        Ok(r) if r.status == status && !r.body.is_empty() => {
                            ok.fetch_add(1, Ordering::Relaxed);
                        }
                        _ => {
                            failed.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            })
        })
        .collect();
    let started = Instant::now();
    let mut rebuilds = 0;
    let mut i = 0;
    while started.elapsed() < Duration::from_secs(3) {
        let from = if i % 2 == 0 {
            "waiting hall"
        } else {
            "busy hall"
        };
        let to = if i % 2 == 0 {
            "busy hall"
        } else {
            "waiting hall"
        };
        edit(&site, INCIDENT, from, to);
        i += 1;
        if events.next(Duration::from_secs(10)).is_some() {
            rebuilds += 1;
        }
    }
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    let (ok, failed) = (ok.load(Ordering::Relaxed), failed.load(Ordering::Relaxed));
    assert_eq!(failed, 0, "{failed} of {} requests failed", ok + failed);
    assert!(ok > 100, "only {ok} requests were answered");
    assert!(
        rebuilds >= 2,
        "only {rebuilds} rebuilds while the clients ran"
    );
}

/// A save written in two parts a moment apart (a slow disk, a big file) rebuilds once,
/// after its writer closed the file: no page is made of half a save.
#[test]
fn a_save_written_in_two_parts_rebuilds_once_with_the_whole_text() {
    let site = TestSite::fixture("basic");
    let server = start(&site);
    let mut events = Events::connect(server.addr());
    events.expect("state");
    settle();
    let path = site.root().join(INCIDENT);
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text.replacen(
        "\n---\n",
        "\n---\n\nThe first half, then the second half.\n",
        1,
    );
    let (first, second) = edited.split_at(edited.find("then the second").unwrap());
    let mut file = std::fs::File::create(&path).unwrap();
    file.write_all(first.as_bytes()).unwrap();
    // Longer than the wait after a save whose writer closed the file, shorter than the
    // wait for a writer still at work.
    std::thread::sleep(Duration::from_millis(25));
    file.write_all(second.as_bytes()).unwrap();
    drop(file);
    let reloaded = events.expect("reload");
    assert_eq!(reloaded["build"], 2);
    let page = get(server.addr(), "/incidents/harbour-bombing/").text();
    assert!(page.contains("The first half, then the second half."));
    events.expect_silence();
}
