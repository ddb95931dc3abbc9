//! What a reader of a big site waits for and downloads before the first search result
//! (issue 15), measured in headless Chromium, driven over the DevTools protocol.
//!
//! Serves a built site's output folder on 127.0.0.1 (plain HTTP/1.1, no compression, so
//! the bytes are the files' sizes), then for each query opens the search page in a fresh
//! browser (empty cache) and types the query into the box:
//!
//! - **cold**: the query arrives in one input event (a paste, or a fast typist within the
//!   debounce): the time from that event to the first result shown, and every byte
//!   transferred from the page's navigation to then (page, CSS, script, index files);
//! - **typed**: the query typed a key at a time, 150 ms apart, in a fresh browser: for each
//!   key, the time from its input event until the results for the text typed so far are
//!   shown; the median and the worst.
//!
//! ```text
//! cargo build --release && target/release/briefing build --root SITE -o OUT
//! cargo run --release --example search_bench -- OUT [--chromium PATH] [--site-base URL] [QUERY ...]
//! ```
//!
//! `--site-base` names the site's absolute `base_url`; pages are served with it replaced
//! by `/`, so the page fetches its index from this server (as `briefing serve` does).

#[path = "../tests/browser/cdp.rs"]
mod cdp;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::Duration;

use cdp::Browser;

/// In-page probes: when each input event happened, and when results for a value appeared.
const PROBE: &str = r#"(() => {
  const q = document.getElementById('search-q');
  const res = document.getElementById('search-results');
  window.__bench = { input: {}, shown: {}, firstHit: 0, lastInput: 0 };
  q.addEventListener('input', () => {
    const t = performance.now();
    window.__bench.input[q.value] = t;
    window.__bench.lastInput = t;
  }, true);
  new MutationObserver(() => {
    const b = window.__bench, t = performance.now();
    const v = res.getAttribute('data-query');
    if (v !== null && !(v in b.shown) && res.querySelector('.search-hit')) b.shown[v] = t;
    if (!b.firstHit && res.querySelector('.search-hit')) b.firstHit = t;
  }).observe(res, { childList: true, subtree: true, attributes: true });
  return true;
})()"#;

/// Bytes transferred up to `t` (ms since navigation), by whether they are index files;
/// and the index files, each with its size and when it was asked for and received, in ms
/// from `t0` (the input event).
const BYTES: &str = r#"((t, t0) => {
  const nav = performance.getEntriesByType('navigation')[0];
  let page = nav.transferSize, index = 0, files = [];
  for (const r of performance.getEntriesByType('resource')) {
    if (r.responseEnd > t) continue;
    if (r.name.includes('/search-index/')) {
      index += r.transferSize;
      files.push(r.name.split('/search-index/')[1] + ' ' + r.transferSize + ' B '
        + Math.round(r.startTime - t0) + '..' + Math.round(r.responseEnd - t0) + ' ms');
    }
    else page += r.transferSize;
  }
  return [page, index, files];
})"#;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(out) = args.next() else {
        eprintln!("usage: search_bench OUT_DIR [--chromium PATH] [QUERY ...]");
        std::process::exit(2);
    };
    let mut chromium = PathBuf::from("/usr/bin/chromium");
    let mut site_base = String::new();
    let mut queries = Vec::new();
    while let Some(a) = args.next() {
        if a == "--chromium" {
            chromium = args.next().expect("a path").into();
        } else if a == "--site-base" {
            site_base = args.next().expect("a URL");
        } else {
            queries.push(a);
        }
    }
    if queries.is_empty() {
        eprintln!("give the queries to type");
        std::process::exit(2);
    }
    let port = serve(PathBuf::from(out), site_base);
    let url = format!("http://127.0.0.1:{port}/search/");
    println!(
        "| query | cold: first result | page + script | index files | total before first result | typed: median / worst per key |"
    );
    println!("|---|---|---|---|---|---|");
    for q in &queries {
        let mut b = Browser::launch(&chromium);
        b.goto(&url);
        b.eval(PROBE);
        b.eval("document.getElementById('search-q').focus()");
        b.call("Input.insertText", serde_json::json!({"text": q}));
        b.wait_for("window.__bench.firstHit", Duration::from_secs(30));
        let first = b.eval("window.__bench.firstHit - window.__bench.lastInput");
        let t = b.eval("window.__bench.firstHit");
        let t0 = b.eval("window.__bench.lastInput");
        let bytes = b.eval(&format!("({BYTES})({t}, {t0})"));
        drop(b);

        let mut b = Browser::launch(&chromium);
        b.goto(&url);
        b.eval(PROBE);
        b.eval("document.getElementById('search-q').focus()");
        b.type_text(q, Duration::from_millis(150));
        let js_q = serde_json::to_string(q).expect("json");
        b.wait_for(
            &format!("window.__bench.shown[{js_q}]"),
            Duration::from_secs(30),
        );
        let waits = b.eval(
            "Object.keys(window.__bench.shown).filter(v => v in window.__bench.input)\
             .map(v => window.__bench.shown[v] - window.__bench.input[v]).sort((a, b) => a - b)",
        );
        let waits: Vec<f64> = serde_json::from_value(waits).expect("numbers");
        let median = waits.get(waits.len() / 2).copied().unwrap_or(f64::NAN);
        let worst = waits.last().copied().unwrap_or(f64::NAN);
        let kb = |v: &serde_json::Value| v.as_f64().unwrap_or(0.0) / 1000.0;
        println!(
            "| `{q}` | {:.0} ms | {:.1} KB | {:.1} KB | **{:.1} KB** | {median:.0} / {worst:.0} ms ({} keys with results) |",
            first.as_f64().unwrap_or(f64::NAN),
            kb(&bytes[0]),
            kb(&bytes[1]),
            kb(&bytes[0]) + kb(&bytes[1]),
            waits.len(),
        );
        eprintln!("  {q}: index files before the first result: {}", bytes[2]);
    }
}

/// Serve `root` on an ephemeral loopback port for the rest of the process.
fn serve(root: PathBuf, site_base: String) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let root = root.clone();
            let site_base = site_base.clone();
            std::thread::spawn(move || {
                let mut line = String::new();
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                let path = line.split_whitespace().nth(1).unwrap_or("/");
                let path = path.split('?').next().unwrap_or("/");
                let path = percent_decode(path);
                let mut file = root.join(path.trim_start_matches('/'));
                if path.ends_with('/') {
                    file = file.join("index.html");
                }
                let (status, mut body) = match (path.contains(".."), std::fs::read(&file)) {
                    (false, Ok(b)) => ("200 OK", b),
                    _ => ("404 Not Found", b"not found".to_vec()),
                };
                if !site_base.is_empty() && mime(&file).starts_with("text/html") {
                    body = String::from_utf8_lossy(&body)
                        .replace(&site_base, "/")
                        .into_bytes();
                }
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    mime(&file),
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            });
        }
    });
    port
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn mime(p: &Path) -> &'static str {
    match p.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("json") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
