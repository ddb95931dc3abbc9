//! Browser and validator tests: pages whose behaviour needs JavaScript, run in headless
//! Chromium, and the W3C Nu HTML checker run by Java.
//!
//! They need tools that a machine with only a Rust toolchain lacks, so each is marked
//! `#[ignore]` with the tool it needs, and `cargo test` lists them as ignored with that
//! reason. Run them with `cargo test --test browser -- --ignored` (`.ci/run` installs the
//! tools and does). Run that way, a missing tool fails the test: it never passes unseen.
//!
//! Chromium is looked up in `BRIEFING_CHROMIUM`, then on `PATH` (`chromium`,
//! `chromium-browser`, `google-chrome`), then at `/usr/bin/chromium`. The site is built
//! into a temporary folder and served by a tiny static server on 127.0.0.1.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

mod cdp;
mod data;
mod feeds;
mod graph;
mod pictures;
mod reader;
mod search;
mod serve;
mod story;
mod validate;

use briefing::{BuildOptions, build_site};

/// The Chromium to run: `BRIEFING_CHROMIUM`, else the first known name on `PATH`, else
/// Debian's path.
fn chromium() -> PathBuf {
    if let Some(p) = std::env::var_os("BRIEFING_CHROMIUM") {
        return PathBuf::from(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    PathBuf::from("/usr/bin/chromium")
}

/// Serve `root` on an ephemeral loopback port for the rest of the test process.
fn serve(root: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let root = root.clone();
            std::thread::spawn(move || {
                let mut line = String::new();
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                // Drain the headers.
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                let path = line.split_whitespace().nth(1).unwrap_or("/");
                let path = path.split('?').next().unwrap_or("/");
                let mut file = root.join(path.trim_start_matches('/'));
                if path.ends_with('/') {
                    file = file.join("index.html");
                }
                let (status, body, mime) = match (path.contains(".."), std::fs::read(&file)) {
                    (false, Ok(b)) => ("200 OK", b, mime(&file)),
                    _ => ("404 Not Found", b"not found".to_vec(), "text/plain"),
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            });
        }
    });
    port
}

fn mime(p: &Path) -> &'static str {
    match p.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        _ => "application/octet-stream",
    }
}

/// The DOM of `url` after its scripts ran.
fn dump_dom(url: &str) -> String {
    let chromium = chromium();
    assert!(
        chromium.is_file(),
        "this test needs Chromium, not found on PATH nor at {}: install it (Debian: apt-get install -y chromium) or set BRIEFING_CHROMIUM",
        chromium.display()
    );
    let profile = tempfile::tempdir().expect("profile dir");
    let out = Command::new(&chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .expect("run chromium");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Build a site from `files` (path, text) into a temporary folder and serve its output.
fn build_and_serve(files: &[(&str, &str)]) -> (tempfile::TempDir, u16) {
    let dir = tempfile::tempdir().expect("temp dir");
    for (rel, text) in files {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
    build_ok(&BuildOptions::new(dir.path()));
    let port = serve(dir.path().join("public"));
    (dir, port)
}

/// Build and fail the test with every diagnostic if the build fails.
fn build_ok(opts: &BuildOptions) {
    let report = build_site(opts);
    let diagnostics: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(report.success, "build failed: {diagnostics:?}");
}

fn hits(dom: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(dom);
    let sel = scraper::Selector::parse("#search-results .search-title a").expect("selector");
    doc.select(&sel)
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect()
}

const CONFIG: &str = "title = \"Browser test\"\n";

#[test]
#[ignore = "needs Chromium (on PATH, at /usr/bin/chromium or in BRIEFING_CHROMIUM): cargo test --test browser -- --ignored"]
fn search_finds_groups_by_alias_and_tag() {
    let (_dir, port) = build_and_serve(&[
        ("briefing.toml", CONFIG),
        (
            "content/groups/islamic-state-khorasan.md",
            "---\ntitle: Islamic State Khorasan Province\nshort_name: ISIS-K\naliases: [ISKP]\nsummary: Regional affiliate.\n---\n",
        ),
        (
            "content/groups/other-front.md",
            "---\ntitle: Other Front\nsummary: Unrelated.\ntags: [kidnapping]\n---\n",
        ),
    ]);
    let dom = dump_dom(&format!("http://127.0.0.1:{port}/search/?q=iskp"));
    assert_eq!(hits(&dom), ["/groups/islamic-state-khorasan/"], "{dom}");
    let dom = dump_dom(&format!("http://127.0.0.1:{port}/search/?q=kidnapping"));
    assert_eq!(hits(&dom), ["/groups/other-front/"]);
    let dom = dump_dom(&format!(
        "http://127.0.0.1:{port}/search/?q=nothing-matches-this"
    ));
    assert!(hits(&dom).is_empty());
    assert!(dom.contains("No results"), "{dom}");
}

#[test]
#[ignore = "needs Chromium (on PATH, at /usr/bin/chromium or in BRIEFING_CHROMIUM): cargo test --test browser -- --ignored"]
fn search_results_render_index_text_as_text() {
    let (_dir, port) = build_and_serve(&[
        ("briefing.toml", CONFIG),
        (
            "content/pages/xss.md",
            "---\ntitle: \"Payload <img src=x onerror=alert(1)>\"\nsummary: \"<script>alert(2)</script>\"\n---\n",
        ),
    ]);
    let dom = dump_dom(&format!("http://127.0.0.1:{port}/search/?q=payload"));
    assert_eq!(hits(&dom), ["/pages/xss/"], "{dom}");
    let doc = scraper::Html::parse_document(&dom);
    let img =
        scraper::Selector::parse("#search-results img, #search-results script").expect("selector");
    assert_eq!(
        doc.select(&img).count(),
        0,
        "index text became markup: {dom}"
    );
    assert!(
        dom.contains("Payload &lt;img src=x onerror=alert(1)&gt;"),
        "{dom}"
    );
}

#[test]
#[ignore = "needs Chromium (on PATH, at /usr/bin/chromium or in BRIEFING_CHROMIUM): cargo test --test browser -- --ignored"]
fn example_briefing_search_finds_the_crocus_attack() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("temp dir");
    let mut opts = BuildOptions::new(root);
    opts.output = Some(dir.path().join("public"));
    build_ok(&opts);
    let port = serve(dir.path().join("public"));
    let dom = dump_dom(&format!("http://127.0.0.1:{port}/search/?q=crocus+attack"));
    assert!(
        hits(&dom)
            .iter()
            .any(|h| h == "/incidents/crocus-city-hall-attack/"),
        "{:?}",
        hits(&dom)
    );
}
