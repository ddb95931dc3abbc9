//! `briefing serve` in a real browser (issue 11): a page open in headless Chromium reloads
//! by itself when a file of the site is saved, and shows the new text.
//!
//! Chromium reaches the server through a small TCP relay in the test, which sees every
//! request the page makes (the event stream, the page fetched again after the save) and
//! every response; the browser is started for this test and killed at its end.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use briefing::serve::{ServeOptions, serve};

const PAGE: &str = "/incidents/harbour-bombing/";

/// What the relay saw, per direction, all connections together.
#[derive(Default)]
struct Seen {
    requests: Vec<u8>,
    responses: Vec<u8>,
}

impl Seen {
    fn page_requests(&self) -> usize {
        count(&self.requests, format!("GET {PAGE} ").as_bytes())
    }

    fn listening(&self) -> bool {
        count(&self.requests, b"GET /__briefing/events ") > 0
    }
}

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

/// Relay connections to `upstream`, recording both directions into `seen`.
fn relay(upstream: SocketAddr, seen: Arc<Mutex<Seen>>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(client) = client else { continue };
            let Ok(server) = TcpStream::connect(upstream) else {
                continue;
            };
            let pipe = |mut from: TcpStream, mut to: TcpStream, requests: bool| {
                let seen = seen.clone();
                std::thread::spawn(move || {
                    let mut buf = [0u8; 16 * 1024];
                    while let Ok(n) = from.read(&mut buf) {
                        if n == 0 || to.write_all(&buf[..n]).is_err() {
                            break;
                        }
                        let mut seen = seen.lock().unwrap();
                        if requests {
                            seen.requests.extend_from_slice(&buf[..n]);
                        } else {
                            seen.responses.extend_from_slice(&buf[..n]);
                        }
                    }
                    let _ = to.shutdown(std::net::Shutdown::Both);
                });
            };
            pipe(
                client.try_clone().unwrap(),
                server.try_clone().unwrap(),
                true,
            );
            pipe(server, client, false);
        }
    });
    port
}

/// Kills the browser when the test ends, however it ends.
struct Browser(Child);

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_for(what: &str, seen: &Mutex<Seen>, done: impl Fn(&Seen) -> bool) {
    let started = Instant::now();
    while !done(&seen.lock().unwrap()) {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
#[ignore = "needs Chromium (on PATH, at /usr/bin/chromium or in BRIEFING_CHROMIUM): cargo test --test browser -- --ignored"]
fn a_saved_edit_reloads_the_open_page_with_the_new_text() {
    let chromium = crate::chromium();
    assert!(
        chromium.is_file(),
        "this test needs Chromium, not found on PATH nor at {}: install it (Debian: apt-get install -y chromium) or set BRIEFING_CHROMIUM",
        chromium.display()
    );
    let site = tempfile::tempdir().expect("temp dir");
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
    crate::data::copy(&fixture, site.path());
    let server = serve(&ServeOptions::new(site.path())).expect("the server starts");
    let seen = Arc::new(Mutex::new(Seen::default()));
    let port = relay(server.addr(), seen.clone());

    let profile = tempfile::tempdir().expect("profile dir");
    let _browser = Browser(
        Command::new(&chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(format!("http://127.0.0.1:{port}{PAGE}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("run chromium"),
    );
    wait_for("the page to listen for reloads", &seen, Seen::listening);
    assert_eq!(seen.lock().unwrap().page_requests(), 1);
    // Let the watcher settle after the copy, then save as an editor would.
    std::thread::sleep(Duration::from_millis(300));
    let file = site.path().join("content/incidents/harbour-bombing.md");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("waiting hall"));
    std::fs::write(
        &file,
        text.replacen("waiting hall", "reloaded-in-chromium hall", 1),
    )
    .unwrap();

    wait_for("the page to be fetched again", &seen, |s| {
        s.page_requests() >= 2
    });
    wait_for("the new text to reach the browser", &seen, |s| {
        count(&s.responses, b"reloaded-in-chromium hall") > 0
    });
}
