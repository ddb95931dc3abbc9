//! `briefing serve` (issue 11): served bytes, content types, sub-path base URLs, ports,
//! rebuilds on change with one reload event per burst, the error overlay's events and
//! recovery, withholding by edit, and litter ignored.
//!
//! Servers bind to 127.0.0.1 on a free port; every wait is bounded; a server stops when its
//! handle is dropped. The HTTP client is a plain `TcpStream`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use briefing::serve::{Event, ServeError, ServeOptions, Server, reload, serve};

use crate::support::{TestSite, briefing, run, snapshot};

/// How long a test waits for a rebuild before it fails.
const REBUILD: Duration = Duration::from_secs(20);

/// How long the watcher must stay silent to show that nothing (more) was rebuilt.
const SILENCE: Duration = Duration::from_millis(1500);

pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Response {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

pub(crate) fn request(addr: SocketAddr, method: &str, path: &str) -> Response {
    request_with(addr, method, path, &[])
}

/// A request with extra header lines (`("Range", "bytes=0-9")`).
pub(crate) fn request_with(
    addr: SocketAddr,
    method: &str,
    path: &str,
    extra: &[(&str, &str)],
) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let extra: String = extra.iter().map(|(n, v)| format!("{n}: {v}\r\n")).collect();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{extra}\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the response");
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("headers end");
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

pub(crate) fn get(addr: SocketAddr, path: &str) -> Response {
    request(addr, "GET", path)
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = raw.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(std::str::from_utf8(&raw[..eol]).unwrap().trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&raw[eol + 2..eol + 2 + size]);
        raw = &raw[eol + 2 + size + 2..];
    }
    out
}

/// A client of the event stream.
pub(crate) struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    pub(crate) fn connect(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connect");
        write!(
            stream,
            "GET {} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n",
            reload::EVENTS
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        // Status line and headers.
        loop {
            line.clear();
            reader.read_line(&mut line).expect("event stream headers");
            if line == "\r\n" {
                break;
            }
        }
        Events { reader }
    }

    /// The next event's name and data, or `None` when none comes within `wait`.
    pub(crate) fn next(&mut self, wait: Duration) -> Option<(String, String)> {
        let deadline = Instant::now() + wait;
        let (mut name, mut data) = (String::new(), String::new());
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            self.reader
                .get_ref()
                .set_read_timeout(Some(left.max(Duration::from_millis(1))))
                .unwrap();
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(0) | Err(_) => return None,
                Ok(_) => {}
            }
            // Lines of the SSE body, between chunk-size lines (hex digits alone).
            let line = line.trim_end_matches(['\r', '\n']);
            if let Some(v) = line.strip_prefix("event: ") {
                name = v.to_string();
            } else if let Some(v) = line.strip_prefix("data: ") {
                data.push_str(v);
            } else if line.is_empty() && !name.is_empty() {
                return Some((name, data));
            }
        }
    }

    /// Fail unless the next event is `name`; gives its data.
    pub(crate) fn expect(&mut self, name: &str) -> serde_json::Value {
        let (got, data) = self
            .next(REBUILD)
            .unwrap_or_else(|| panic!("no `{name}` event within {REBUILD:?}"));
        assert_eq!(got, name, "{data}");
        serde_json::from_str(&data).expect("event data is JSON")
    }

    pub(crate) fn expect_silence(&mut self) {
        if let Some(e) = self.next(SILENCE) {
            panic!("expected no more events, got {e:?}");
        }
    }
}

pub(crate) fn start(site: &TestSite) -> Server {
    serve(&ServeOptions::new(site.root())).expect("the server starts")
}

pub(crate) fn start_unwatched(site: &TestSite) -> Server {
    let mut options = ServeOptions::new(site.root());
    options.watch = false;
    serve(&options).expect("the server starts")
}

/// The watcher has set up its watches once the server returns; a short pause more lets the
/// file system settle after the fixture was copied.
pub(crate) fn settle() {
    std::thread::sleep(Duration::from_millis(200));
}

pub(crate) fn edit(site: &TestSite, rel: &str, from: &str, to: &str) {
    let path = site.root().join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "`{from}` not in `{rel}`");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

pub(crate) const INCIDENT: &str = "content/incidents/harbour-bombing.md";

#[test]
fn served_pages_are_the_build_output_plus_the_reload_hook() {
    let site = TestSite::fixture("basic");
    let server = start_unwatched(&site);
    let mut options = site.options();
    let out = tempfile::tempdir().unwrap();
    options.output = Some(out.path().join("site"));
    options.base_url = Some(format!("http://{}/", server.addr()));
    assert!(briefing::build_site(&options).success);
    let built = snapshot(&out.path().join("site"));
    // The files served from are `build`'s bytes, and nothing was written into `public/`.
    assert_eq!(snapshot(&server.site_dir().unwrap()), built);
    assert!(!site.out().exists(), "serve wrote into the output folder");
    assert!(built.len() > 20);
    for (rel, bytes) in &built {
        let r = get(server.addr(), &format!("/{rel}"));
        let expected = if rel.ends_with(".html") {
            reload::inject(bytes)
        } else {
            bytes.clone()
        };
        assert_eq!(r.status, 200, "{rel}");
        assert!(r.body == expected, "`{rel}` differs from the build output");
    }
    // Page URLs as linked: folders give their `index.html`.
    let home = get(server.addr(), "/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains(reload::HOOK));
    assert!(
        home.text()
            .contains(&format!("http://{}/incidents/", server.addr()))
    );
}

#[test]
fn content_types_status_codes_and_methods() {
    let site = TestSite::fixture("basic");
    let server = start_unwatched(&site);
    let addr = server.addr();
    let dir = server.site_dir().unwrap();
    let css = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.path().extension().is_some_and(|x| x == "css"))
        .expect("a stylesheet");
    let css = css
        .path()
        .strip_prefix(&dir)
        .unwrap()
        .to_string_lossy()
        .into_owned();
    for (path, kind) in [
        ("/", "text/html; charset=utf-8"),
        (&format!("/{css}")[..], "text/css; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/atom.xml", "xml; charset=utf-8"),
        (reload::SCRIPT, "text/javascript; charset=utf-8"),
    ] {
        let r = get(addr, path);
        assert_eq!(r.status, 200, "{path}");
        let got = r.header("content-type").unwrap_or_default();
        assert!(got.ends_with(kind), "{path}: {got}");
    }
    let missing = get(addr, "/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains(reload::HOOK));
    assert_eq!(
        missing.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(request(addr, "POST", "/").status, 405);
    let head = request(addr, "HEAD", "/robots.txt");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    // Traversal stays inside the site.
    for path in [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fetc/passwd",
    ] {
        let r = get(addr, path);
        assert!(r.status == 404 || r.status == 400, "{path}: {}", r.status);
        assert!(!r.text().contains("root:"), "{path}");
    }
}

#[test]
fn a_sub_path_base_url_is_served_under_it() {
    let site = TestSite::fixture("basic");
    edit(
        &site,
        "briefing.toml",
        "base_url = \"https://example.org/\"",
        "base_url = \"https://example.org/team/briefing\"",
    );
    let server = start_unwatched(&site);
    let addr = server.addr();
    assert_eq!(server.url(), format!("http://{addr}/team/briefing/"));
    for from in ["/", "/team/briefing"] {
        let r = get(addr, from);
        assert_eq!(r.status, 307, "{from}");
        assert_eq!(r.header("location"), Some("/team/briefing/"));
    }
    let home = get(addr, "/team/briefing/");
    assert_eq!(home.status, 200);
    assert!(
        home.text()
            .contains(&format!("http://{addr}/team/briefing/incidents/"))
    );
    assert_eq!(
        get(addr, "/team/briefing/incidents/harbour-bombing/").status,
        200
    );
    // A folder without its slash redirects within the sub-path.
    let r = get(addr, "/team/briefing/incidents/harbour-bombing");
    assert!(matches!(r.status, 301 | 307 | 308), "{}", r.status);
    assert_eq!(
        r.header("location"),
        Some("/team/briefing/incidents/harbour-bombing/")
    );
    // Outside the sub-path: the site's 404 page.
    let r = get(addr, "/incidents/harbour-bombing/");
    assert_eq!(r.status, 404);
    assert!(r.text().contains(reload::HOOK));
}

#[test]
fn a_taken_port_gives_the_next_one_or_an_error_when_it_was_given() {
    let site = TestSite::fixture("basic");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();

    let mut options = ServeOptions::new(site.root());
    options.watch = false;
    options.port = port;
    match serve(&options) {
        Err(e @ ServeError::PortTaken { .. }) => {
            assert!(e.to_string().contains(&format!("port {port}")), "{e}");
        }
        other => panic!("expected PortTaken, got {:?}", other.map(|s| s.addr())),
    }

    let notices = Arc::new(Mutex::new(Vec::new()));
    let seen = notices.clone();
    options.next_free_port = true;
    options.report = Some(Arc::new(move |e: &Event<'_>| {
        if let Event::Notice(n) = e {
            seen.lock().unwrap().push(n.clone());
        }
    }));
    let server = serve(&options).expect("a free port after the taken one");
    assert_ne!(server.addr().port(), port);
    let notices = notices.lock().unwrap().join("\n");
    assert!(
        notices.contains(&format!(
            "port {port} is taken; serving on port {}",
            server.addr().port()
        )),
        "{notices}"
    );

    // Through the binary: an explicit port that is taken is a clear error, exit code 1.
    let out = run(briefing()
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(site.root()));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!("port {port}")),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--port"), "{}", out.stderr);
}

#[test]
fn an_edit_rebuilds_once_and_sends_one_reload_event() {
    let site = TestSite::fixture("basic");
    let server = start(&site);
    let mut events = Events::connect(server.addr());
    let state = events.expect("state");
    assert_eq!(state["build"], 1);
    assert_eq!(state["ok"], true);
    settle();
    let saved = Instant::now();
    edit(
        &site,
        INCIDENT,
        "\n---\n",
        "\n---\n\nA sentence added while serving.\n",
    );
    let reloaded = events.expect("reload");
    let page = get(server.addr(), "/incidents/harbour-bombing/");
    let took = saved.elapsed();
    eprintln!("save -> reload event -> page fetched: {took:?}");
    assert_eq!(reloaded["build"], 2);
    assert!(page.text().contains("A sentence added while serving."));
    events.expect_silence();
    assert_eq!(server.status().build, 2);
}

#[test]
fn a_burst_of_200_writes_rebuilds_once() {
    let site = TestSite::fixture("basic");
    let server = start(&site);
    let mut events = Events::connect(server.addr());
    events.expect("state");
    settle();
    for i in 0..200 {
        site.write(&format!("static/burst/file-{i:03}.txt"), &format!("{i}\n"));
    }
    // An editor's save: write a temporary file, rename it over the original.
    let path = site.root().join(INCIDENT);
    let text = std::fs::read_to_string(&path).unwrap();
    let tmp = site
        .root()
        .join("content/incidents/harbour-bombing.md.tmp~");
    std::fs::write(&tmp, text.replacen("\n---\n", "\n---\n\nBurst.\n", 1)).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
    let reloaded = events.expect("reload");
    assert_eq!(reloaded["build"], 2);
    events.expect_silence();
    assert_eq!(get(server.addr(), "/burst/file-199.txt").text(), "199\n");
}

#[test]
fn a_broken_file_keeps_the_last_site_and_fixing_it_reloads() {
    let site = TestSite::fixture("basic");
    let server = start(&site);
    let addr = server.addr();
    let mut events = Events::connect(addr);
    events.expect("state");
    settle();
    let before = get(addr, "/incidents/harbour-bombing/").body;
    let original = std::fs::read_to_string(site.root().join(INCIDENT)).unwrap();
    edit(&site, INCIDENT, "title:", "title: [unclosed\nbroken:");
    let failed = events.expect("failed");
    assert_eq!(failed["ok"], false);
    let diagnostics = failed["diagnostics"].as_array().unwrap();
    let error = diagnostics
        .iter()
        .find(|d| d["severity"] == "error")
        .expect("an error");
    assert_eq!(error["file"], INCIDENT, "{error}");
    assert!(error["line"].as_u64().is_some_and(|l| l > 1), "{error}");
    assert!(error["column"].as_u64().is_some(), "{error}");
    assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
    // The last good site is still served.
    assert_eq!(get(addr, "/incidents/harbour-bombing/").body, before);
    // A page opened now learns of the failure at once.
    let mut late = Events::connect(addr);
    assert_eq!(late.expect("state")["ok"], false);

    std::fs::write(
        site.root().join(INCIDENT),
        original.replacen("\n---\n", "\n---\n\nFixed.\n", 1),
    )
    .unwrap();
    assert_eq!(events.expect("reload")["ok"], true);
    assert_eq!(late.expect("reload")["build"], 3);
    assert!(
        get(addr, "/incidents/harbour-bombing/")
            .text()
            .contains("Fixed.")
    );
}

#[test]
fn an_entry_edited_to_tlp_red_disappears_from_the_served_site() {
    let site = TestSite::fixture("basic");
    let server = start(&site);
    let addr = server.addr();
    let mut events = Events::connect(addr);
    events.expect("state");
    settle();
    let page = "/incidents/depot-arson/";
    assert_eq!(get(addr, page).status, 200);
    let file = "content/incidents/depot-arson.md";
    let text = std::fs::read_to_string(site.root().join(file)).unwrap();
    let title = text
        .lines()
        .find_map(|l| l.strip_prefix("title:"))
        .unwrap()
        .trim()
        .trim_matches('"')
        .to_string();
    std::fs::write(
        site.root().join(file),
        text.replacen("---\n", "---\ntlp: red\n", 1),
    )
    .unwrap();
    events.expect("reload");
    assert_eq!(get(addr, page).status, 404);
    for path in ["/", "/incidents/", "/timeline/"] {
        let r = get(addr, path);
        assert!(!r.text().contains(&title), "`{title}` still on {path}");
    }
    let dir = server.site_dir().unwrap();
    assert!(!dir.join("incidents/depot-arson").exists());
}

#[test]
fn editor_litter_causes_no_rebuild() {
    let site = TestSite::fixture("basic");
    std::fs::create_dir(site.root().join("templates")).unwrap();
    let server = start(&site);
    let mut events = Events::connect(server.addr());
    events.expect("state");
    settle();
    for litter in [
        "content/incidents/.harbour-bombing.md.swp",
        "content/incidents/harbour-bombing.md~",
        "content/incidents/#harbour-bombing.md#",
        "content/.#harbour-bombing.md",
        "static/.DS_Store",
        "templates/.page.html.swp",
        "public/index.html",
    ] {
        site.write(litter, "litter");
    }
    events.expect_silence();
    assert_eq!(server.status().build, 1);
    // The watcher is alive: a real edit still rebuilds.
    site.write("static/new.txt", "new");
    assert_eq!(events.expect("reload")["build"], 2);
}

#[test]
fn the_served_folder_is_private_and_removed_when_the_server_stops() {
    let site = TestSite::fixture("basic");
    let server = start_unwatched(&site);
    let dir = server.site_dir().unwrap();
    let scratch = dir.parent().unwrap().to_path_buf();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&scratch).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }
    drop(server);
    assert!(!Path::new(&scratch).exists());
}

#[test]
fn a_templates_folder_created_while_serving_is_watched() {
    let site = TestSite::fixture("basic");
    let server = start(&site);
    let mut events = Events::connect(server.addr());
    events.expect("state");
    settle();
    std::fs::create_dir(site.root().join("templates")).unwrap();
    // An empty folder changes no output: it is rebuilt, but open pages are not reloaded.
    settle();
    settle();
    site.write(
        "templates/404.html",
        "<!doctype html><title>Gone</title><body>Nothing here, served.</body>",
    );
    events.expect("reload");
    let r = get(server.addr(), "/missing/");
    assert_eq!(r.status, 404);
    assert!(r.text().contains("Nothing here, served."), "{}", r.text());
}
