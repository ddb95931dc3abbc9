//! `check --external` (issue 15) against HTTP servers started in the test, on
//! 127.0.0.1 with a port the system picks: statuses, redirects, timeouts, the per-host
//! rate limit (counted on the server side), the cache between runs, and that withheld
//! material is never requested.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use briefing::check::external::{CACHE_DIR, CACHE_FILE, ExternalOptions};
use briefing::check::{CheckReport, check_site, check_site_with};
use briefing::diag::Diagnostic;

use crate::support::{TestSite, briefing, run};

/// A request the server saw.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub at: Instant,
}

/// A tiny HTTP/1.1 server: one thread per connection, `Connection: close`.
///
/// `/ok` 200, `/gone` 404, `/moved` 301 to `/ok`, `/temporary` 302 to `/ok`, `/moved-gone`
/// 308 to `/gone`, `/no-head` 405 to HEAD and 200 to GET, `/slow` answers after 3 s; every
/// other path 200. Each answer takes a few milliseconds, so that two requests at once
/// would overlap; the most under way at once is counted.
pub struct Server {
    pub port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
    most_at_once: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl Server {
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("address").port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let most_at_once = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let active = Arc::new(AtomicUsize::new(0));
        let (s, m, st) = (seen.clone(), most_at_once.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if st.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (s, m, a) = (s.clone(), m.clone(), active.clone());
                std::thread::spawn(move || answer(stream, &s, &m, &a));
            }
        });
        Server {
            port,
            seen,
            most_at_once,
            stop,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub fn paths(&self) -> Vec<String> {
        self.seen().into_iter().map(|s| s.path).collect()
    }

    pub fn most_at_once(&self) -> usize {
        self.most_at_once.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn answer(
    mut stream: TcpStream,
    seen: &Mutex<Vec<Seen>>,
    most: &AtomicUsize,
    active: &AtomicUsize,
) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() || line.is_empty() {
        return;
    }
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).is_err() || header.trim().is_empty() {
            break;
        }
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let path = parts.next().unwrap_or("").to_string();
    let now = active.fetch_add(1, Ordering::SeqCst) + 1;
    most.fetch_max(now, Ordering::SeqCst);
    seen.lock().unwrap().push(Seen {
        method: method.clone(),
        path: path.clone(),
        at: Instant::now(),
    });
    std::thread::sleep(Duration::from_millis(30));
    let (status, location) = match (method.as_str(), path.as_str()) {
        (_, "/gone") => ("404 Not Found", None),
        (_, "/moved") => ("301 Moved Permanently", Some("/ok")),
        (_, "/temporary") => ("302 Found", Some("/ok")),
        (_, "/moved-gone") => ("308 Permanent Redirect", Some("/gone")),
        ("HEAD", "/no-head") => ("405 Method Not Allowed", None),
        (_, "/slow") => {
            // Past the test's timeout; not counted as under way (the client gave up).
            active.fetch_sub(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_secs(3));
            active.fetch_add(1, Ordering::SeqCst);
            ("200 OK", None)
        }
        _ => ("200 OK", None),
    };
    let location = location
        .map(|l| format!("Location: {l}\r\n"))
        .unwrap_or_default();
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\n{location}Content-Length: 0\r\nConnection: close\r\n\r\n"
    );
    let _ = stream.flush();
    active.fetch_sub(1, Ordering::SeqCst);
}

/// A site whose `[check]` settings make the check quick: a short timeout, no delay.
pub fn quick_site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "briefing.toml",
        "title = \"T\"\nbase_url = \"https://example.org/\"\n\n[check]\nexternal_timeout = 1\nexternal_delay = 0\n",
    );
    site
}

/// `check --external` of `site`.
pub fn check_external(site: &TestSite, cache: bool) -> CheckReport {
    let opts = ExternalOptions { jobs: 8, cache };
    check_site_with(&site.options(), Some(&opts))
}

fn with_code<'a>(report: &'a CheckReport, code: &str) -> Vec<&'a Diagnostic> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .collect()
}

fn located(d: &Diagnostic) -> String {
    d.location().unwrap_or_default()
}

#[test]
fn dead_links_are_reported_where_they_are_written_with_the_status() {
    let server = Server::start();
    let site = quick_site();
    site.write(
        "content/incidents/a.md",
        &format!(
            "---\ntitle: A\nsummary: S.\ndate: 2024-01-01\nsources:\n  - title: Fine\n    url: {}\n  - title: Gone\n    url: {}\n---\nSee [the report]({}#part) and <{}>.\n\nAlso [slow]({}).\n",
            server.url("/ok"),
            server.url("/gone"),
            server.url("/moved-gone"),
            server.url("/no-head"),
            server.url("/slow"),
        ),
    );
    let report = check_external(&site, false);
    let dead = with_code(&report, "E-dead-link");
    let shown: Vec<(String, &str)> = dead
        .iter()
        .map(|d| (located(d), d.message.as_str()))
        .collect();
    assert_eq!(dead.len(), 3, "{shown:#?}");
    assert_eq!(
        located(dead[0]),
        "content/incidents/a.md:9:10",
        "{shown:#?}"
    );
    assert!(
        dead[0].message.contains("answered 404 Not Found"),
        "{shown:#?}"
    );
    assert_eq!(
        located(dead[1]),
        "content/incidents/a.md:11:18",
        "{shown:#?}"
    );
    assert!(dead[1].message.contains("/moved-gone"), "{shown:#?}");
    assert!(dead[1].message.contains("404"), "{shown:#?}");
    assert_eq!(
        located(dead[2]),
        "content/incidents/a.md:13:13",
        "{shown:#?}"
    );
    assert!(
        dead[2].message.contains("no answer within 1 s"),
        "{shown:#?}"
    );
    assert!(
        dead[2]
            .help
            .as_deref()
            .unwrap_or("")
            .contains("external_timeout")
    );
    // HEAD refused, then GET: not dead.
    let seen = server.seen();
    let no_head: Vec<&str> = (seen.iter())
        .filter(|s| s.path == "/no-head")
        .map(|s| s.method.as_str())
        .collect();
    assert_eq!(no_head, ["HEAD", "GET"]);
    assert_eq!(report.external, Some((5, 0)));
}

#[test]
fn permanent_redirects_are_warnings_naming_the_new_address_and_temporary_ones_are_fine() {
    let server = Server::start();
    let site = quick_site();
    site.write(
        "content/pages/p.md",
        &format!(
            "---\ntitle: P\n---\n[a]({}) [b]({})\n",
            server.url("/moved"),
            server.url("/temporary")
        ),
    );
    let report = check_external(&site, false);
    let moved = with_code(&report, "W-moved-link");
    assert_eq!(moved.len(), 1, "{:#?}", report.diagnostics);
    assert_eq!(located(moved[0]), "content/pages/p.md:4:5");
    let to = server.url("/ok");
    assert!(
        moved[0].message.contains(&format!("to `{to}`")),
        "{}",
        moved[0]
    );
    assert!(moved[0].help.as_deref().unwrap_or("").contains(&to));
    assert!(with_code(&report, "E-dead-link").is_empty());
}

#[test]
fn one_host_is_asked_one_request_at_a_time_with_the_delay_between() {
    let server = Server::start();
    let site = quick_site();
    site.write(
        "briefing.toml",
        "title = \"T\"\nbase_url = \"https://example.org/\"\n[check]\nexternal_delay = 0.15\n",
    );
    let links: String = (0..6)
        .map(|i| format!("[{i}]({})\n", server.url(&format!("/page-{i}"))))
        .collect();
    site.write(
        "content/pages/p.md",
        &format!("---\ntitle: P\n---\n{links}"),
    );
    let report = check_external(&site, false);
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    let seen = server.seen();
    assert_eq!(seen.len(), 6, "{seen:?}");
    assert_eq!(
        server.most_at_once(),
        1,
        "eight workers asked one host at once"
    );
    // Six starts at least 150 ms apart span 750 ms; the server sees them a little late
    // or early on a busy machine (the gate's own test measures each gap exactly).
    let span = seen[5].at - seen[0].at;
    assert!(
        span >= Duration::from_millis(600),
        "six requests in {span:?}"
    );
}

#[test]
fn answers_are_cached_between_runs_unless_no_cache() {
    let server = Server::start();
    let site = quick_site();
    site.write(
        "content/pages/p.md",
        &format!("---\ntitle: P\n---\n[a]({})\n", server.url("/ok")),
    );
    let first = check_external(&site, true);
    assert_eq!(first.external, Some((1, 0)));
    assert_eq!(server.paths(), ["/ok"]);
    let cache = site.root().join(CACHE_DIR).join(CACHE_FILE);
    assert!(
        std::fs::read_to_string(&cache)
            .unwrap()
            .contains(&server.url("/ok"))
    );

    let second = check_external(&site, true);
    assert_eq!(second.external, Some((1, 1)));
    assert_eq!(server.paths(), ["/ok"], "the cached answer was asked again");

    let third = check_external(&site, false);
    assert_eq!(third.external, Some((1, 0)));
    assert_eq!(server.paths(), ["/ok", "/ok"], "--no-cache used the cache");

    // A corrupt cache is ignored and written again.
    std::fs::write(&cache, "{\"version\": 1, \"urls\": [").unwrap();
    let fourth = check_external(&site, true);
    assert!(fourth.diagnostics.is_empty(), "{:#?}", fourth.diagnostics);
    assert_eq!(server.paths().len(), 3);
    let text = std::fs::read_to_string(&cache).unwrap();
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_ok(),
        "{text}"
    );
}

/// Canary: a withheld document's URLs (sources and body) are never requested.
#[test]
fn withheld_documents_cause_no_request() {
    let server = Server::start();
    let site = quick_site();
    site.write(
        "content/incidents/secret.md",
        &format!(
            "---\ntitle: S\nsummary: S.\ndate: 2024-01-01\ntlp: red\nsources:\n  - title: T\n    url: {}\n---\n[x]({})\n",
            server.url("/canary-source"),
            server.url("/canary-body")
        ),
    );
    site.write(
        "content/pages/draft.md",
        &format!(
            "---\ntitle: D\ndraft: true\n---\n[x]({})\n",
            server.url("/canary-draft")
        ),
    );
    site.write(
        "content/pages/p.md",
        &format!("---\ntitle: P\n---\n[a]({})\n", server.url("/ok")),
    );
    let report = check_external(&site, true);
    assert_eq!(report.external, Some((1, 0)), "{:#?}", report.diagnostics);
    assert_eq!(server.paths(), ["/ok"]);
    let cache = std::fs::read_to_string(site.root().join(CACHE_DIR).join(CACHE_FILE)).unwrap();
    assert!(!cache.contains("canary"), "{cache}");
}

/// Neither `build` nor a plain `check` asks the network.
#[test]
fn build_and_plain_check_make_no_request() {
    let server = Server::start();
    let site = quick_site();
    site.write(
        "content/pages/p.md",
        &format!("---\ntitle: P\n---\n[a]({})\n", server.url("/gone")),
    );
    site.build_ok();
    let report = check_site(&site.options());
    assert_eq!(report.external, None);
    let out = run(briefing().args(["check", "--root"]).arg(site.root()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(server.paths().is_empty(), "{:?}", server.paths());
    assert!(!site.root().join(CACHE_DIR).exists());
}

/// Through the binary: the dead link fails the check, with file, line and status.
#[test]
fn the_command_line_reports_dead_links_and_counts_urls() {
    let server = Server::start();
    let site = quick_site();
    site.write(
        "content/pages/p.md",
        &format!("---\ntitle: P\n---\n[a]({})\n", server.url("/gone")),
    );
    let out = run(briefing()
        .args(["check", "--external", "--jobs", "2", "--root"])
        .arg(site.root()));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("E-dead-link"), "{}", out.stderr);
    assert!(out.stderr.contains("p.md:4:5"), "{}", out.stderr);
    assert!(out.stderr.contains("404 Not Found"), "{}", out.stderr);
    assert!(
        out.stderr.contains("1 outbound URL checked"),
        "{}",
        out.stderr
    );
}
