//! A minimal Chrome DevTools Protocol client over a WebSocket, with the standard library
//! and serde_json only: enough to drive headless Chromium like a reader (navigate, type,
//! click, read the page) for tests that `--dump-dom` cannot express, and for
//! `examples/search_bench.rs`, which includes this file.
//!
//! One page per [`Browser`]; calls are synchronous; events are kept and ignored.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// A headless Chromium with one page, driven over the DevTools protocol.
pub struct Browser {
    child: Child,
    ws: TcpStream,
    next_id: u64,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Start `chromium` headless with a fresh profile and open a blank page.
    pub fn launch(chromium: &Path) -> Browser {
        let profile = tempfile::tempdir().expect("profile dir");
        let mut child = Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
                "--window-size=1024,800",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run chromium");
        let stderr = child.stderr.take().expect("stderr");
        let mut lines = BufReader::new(stderr).lines();
        let port = loop {
            let line = lines
                .next()
                .expect("chromium exited before listening")
                .expect("read stderr");
            if let Some(rest) = line.strip_prefix("DevTools listening on ws://127.0.0.1:") {
                break rest.split('/').next().expect("port").to_string();
            }
        };
        // Keep draining stderr so Chromium never blocks on it.
        std::thread::spawn(move || for _ in lines {});
        let list = http_get(&port, "/json/list");
        let targets: Value = serde_json::from_str(&list).expect("target list");
        let ws_url = targets
            .as_array()
            .and_then(|t| t.iter().find(|t| t["type"] == "page"))
            .and_then(|t| t["webSocketDebuggerUrl"].as_str())
            .expect("a page target")
            .to_string();
        let path = ws_url
            .split_once(&format!("127.0.0.1:{port}"))
            .map(|(_, p)| p.to_string())
            .expect("ws path");
        let ws = ws_connect(&port, &path);
        let mut b = Browser {
            child,
            ws,
            next_id: 0,
            _profile: profile,
        };
        b.call("Page.enable", json!({}));
        b.call("Runtime.enable", json!({}));
        b
    }

    /// Send a command and wait for its result.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let msg = json!({"id": id, "method": method, "params": params}).to_string();
        ws_send(&mut self.ws, msg.as_bytes());
        loop {
            let text = ws_recv(&mut self.ws);
            let v: Value = serde_json::from_str(&text).expect("CDP message");
            if v["id"] == id {
                assert!(v.get("error").is_none(), "{method} failed: {}", v["error"]);
                return v["result"].clone();
            }
        }
    }

    /// Evaluate `js` in the page (awaiting a promise) and give its value.
    pub fn eval(&mut self, js: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": js, "awaitPromise": true, "returnByValue": true}),
        );
        assert!(
            r.get("exceptionDetails").is_none(),
            "script failed: {}\n{js}",
            r["exceptionDetails"]
        );
        r["result"]["value"].clone()
    }

    /// Go to `url` and wait until its scripts ran (`load`).
    pub fn goto(&mut self, url: &str) {
        self.call("Page.navigate", json!({"url": url}));
        self.wait_for(
            "document.readyState === 'complete'",
            Duration::from_secs(20),
        );
    }

    /// Wait until `js` is truthy in the page; panics after `timeout`.
    pub fn wait_for(&mut self, js: &str, timeout: Duration) -> Value {
        let start = Instant::now();
        loop {
            let v = self.eval(&format!(
                "(function(){{try{{return {js};}}catch(e){{return null;}}}})()"
            ));
            if !(v.is_null() || v == false || v == "" || v == 0) {
                return v;
            }
            assert!(start.elapsed() < timeout, "timed out waiting for {js}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Type `text` into the focused element, one key at a time, `pause` apart.
    pub fn type_text(&mut self, text: &str, pause: Duration) {
        for c in text.chars() {
            self.call("Input.insertText", json!({"text": c.to_string()}));
            std::thread::sleep(pause);
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn http_get(port: &str, path: &str) -> String {
    for _ in 0..100 {
        if let Ok(mut s) = TcpStream::connect(format!("127.0.0.1:{port}")) {
            write!(
                s,
                "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
            )
            .expect("send");
            // DevTools keeps the connection open: read the head, then Content-Length bytes.
            let mut reader = BufReader::new(s);
            let mut len = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).expect("read");
                if line.trim().is_empty() {
                    break;
                }
                if let Some((k, v)) = line.split_once(':')
                    && k.eq_ignore_ascii_case("content-length")
                {
                    len = v.trim().parse().expect("length");
                }
            }
            let mut body = vec![0u8; len];
            reader.read_exact(&mut body).expect("body");
            return String::from_utf8(body).expect("utf-8");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("no DevTools HTTP endpoint on port {port}");
}

fn ws_connect(port: &str, path: &str) -> TcpStream {
    let mut s = TcpStream::connect(format!("127.0.0.1:{port}")).expect("connect");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    .expect("handshake");
    // Read the response head byte by byte so no frame is swallowed.
    let mut head = Vec::new();
    let mut b = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        s.read_exact(&mut b).expect("handshake response");
        head.push(b[0]);
    }
    assert!(
        head.starts_with(b"HTTP/1.1 101"),
        "{}",
        String::from_utf8_lossy(&head)
    );
    s
}

fn ws_send(s: &mut TcpStream, payload: &[u8]) {
    let mut frame = vec![0x81u8];
    let len = payload.len();
    if len < 126 {
        frame.push(0x80 | len as u8);
    } else if len < 65536 {
        frame.push(0x80 | 126);
        frame.extend((len as u16).to_be_bytes());
    } else {
        frame.push(0x80 | 127);
        frame.extend((len as u64).to_be_bytes());
    }
    let mask = [0x12u8, 0x34, 0x56, 0x78];
    frame.extend(mask);
    frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
    s.write_all(&frame).expect("ws send");
}

fn ws_recv(s: &mut TcpStream) -> String {
    let mut message = Vec::new();
    loop {
        let mut h = [0u8; 2];
        s.read_exact(&mut h).expect("ws frame");
        let fin = h[0] & 0x80 != 0;
        let opcode = h[0] & 0x0f;
        let mut len = u64::from(h[1] & 0x7f);
        if len == 126 {
            let mut b = [0u8; 2];
            s.read_exact(&mut b).expect("len");
            len = u64::from(u16::from_be_bytes(b));
        } else if len == 127 {
            let mut b = [0u8; 8];
            s.read_exact(&mut b).expect("len");
            len = u64::from_be_bytes(b);
        }
        let mut payload = vec![0u8; len as usize];
        s.read_exact(&mut payload).expect("payload");
        match opcode {
            0x8 => panic!("DevTools closed the connection"),
            0x9 | 0xA => continue,
            _ => message.extend(payload),
        }
        if fin {
            return String::from_utf8(message).expect("utf-8");
        }
    }
}
