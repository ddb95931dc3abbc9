//! The HTTP side of `serve`: the site's files (tower-http's `ServeDir`: safe paths, HEAD,
//! `ETag` and `Last-Modified` with `If-None-Match` and `If-Modified-Since`, ranges, only GET
//! and HEAD), the reload hook added to HTML as it is sent, and the event stream open pages
//! listen on.
//!
//! Invariants: a request is answered from the served folder, whose files a rebuild
//! replaces whole (by `rename`), so a response never mixes two versions of a file; a page
//! keeps its file's validators (the hook is the same for every page, so the same file
//! always gives the same bytes) and its ranges are taken of the bytes sent, hook included;
//! everything of the site is under the path of `base_url` (`/` redirects there); the
//! server's own URLs start with [`reload::PREFIX`], which no site path can (`_`-prefixed
//! folders are not generated).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use super::{Shared, reload};
use crate::routes::NOT_FOUND;

/// Serve until the runtime stops.
pub(crate) async fn run(listener: tokio::net::TcpListener, shared: Arc<Shared>) {
    let app = Router::new()
        .route(reload::EVENTS, get(events))
        .route(reload::SCRIPT, get(script))
        .fallback(site)
        .with_state(shared);
    let _ = axum::serve(listener, app).await;
}

/// The reload script.
async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        reload::JS,
    )
        .into_response()
}

/// Server-Sent Events: `state` at once (the latest build), then after each build that
/// changed the site `reload`, or `css` when it changed stylesheets only, and `failed`
/// (with the diagnostics) after each that did not succeed.
async fn events(State(shared): State<Arc<Shared>>) -> Response {
    let rx = shared.subscribe();
    let stream = futures_util::stream::unfold((rx, true), |(mut rx, first)| async move {
        if !first {
            rx.changed().await.ok()?;
        }
        let status = rx.borrow_and_update().clone();
        let name = if first {
            "state"
        } else if status.ok && status.css {
            "css"
        } else if status.ok {
            "reload"
        } else {
            "failed"
        };
        let data = serde_json::to_string(&status).unwrap_or_else(|_| "{}".to_string());
        let event = Event::default().event(name).data(data);
        Some((Ok::<_, Infallible>(event), (rx, false)))
    });
    let mut response = Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A file of the site, under the path of `base_url`.
async fn site(State(shared): State<Arc<Shared>>, mut req: Request) -> Response {
    let mut range = None;
    let prefix = shared.prefix();
    let path = req.uri().path().to_string();
    let is_get = matches!(*req.method(), Method::GET | Method::HEAD);
    if is_get && prefix != "/" && (path == "/" || path == prefix.trim_end_matches('/')) {
        return redirect(&prefix);
    }
    let Some(dir) = shared.current() else {
        return not_built();
    };
    let inside = match path.strip_prefix(prefix.trim_end_matches('/')) {
        Some(rest) if rest.starts_with('/') => Some(rest.to_string()),
        _ => None,
    };
    let not_found = ServeFile::new(dir.join(NOT_FOUND));
    let head = *req.method() == Method::HEAD;
    let response = match inside {
        Some(rest) => {
            // A page's bytes are the file's plus the reload hook: its ranges are taken
            // here, of what is sent (a static file's by `ServeDir`, of the file).
            if rest.ends_with('/') || rest.ends_with(".html") {
                range = req.headers_mut().remove(header::RANGE);
                req.headers_mut().remove(header::IF_RANGE);
            }
            let query = req
                .uri()
                .query()
                .map(|q| format!("?{q}"))
                .unwrap_or_default();
            match Uri::try_from(format!("{rest}{query}")) {
                Ok(uri) => *req.uri_mut() = uri,
                Err(_) => return StatusCode::BAD_REQUEST.into_response(),
            }
            ServeDir::new(&dir)
                .redirect_path_prefix(prefix.trim_end_matches('/'))
                .not_found_service(not_found)
                .oneshot(req)
                .await
        }
        // Outside the site's path: its 404 page.
        None => {
            let get = *req.method() == Method::GET || *req.method() == Method::HEAD;
            if !get {
                return StatusCode::METHOD_NOT_ALLOWED.into_response();
            }
            let mut r = not_found.oneshot(req).await.map(|r| r.map(Body::new));
            if let Ok(r) = &mut r {
                *r.status_mut() = StatusCode::NOT_FOUND;
            }
            return match r {
                Ok(r) => finish(r, None, head).await,
                Err(e) => match e {},
            };
        }
    };
    match response {
        Ok(r) => finish(r.map(Body::new), range, head).await,
        Err(e) => match e {},
    }
}

/// Add a charset to text, and the reload hook to HTML (with `range`, the requested part
/// of it; `head`: the request was HEAD).
///
/// A page keeps the validators of its file (`ETag`, `Last-Modified`), so `If-None-Match`
/// and `If-Modified-Since` give `304 Not Modified` as for any file: the hook is the same
/// for every page and every server, so the same file always gives the same bytes. It is
/// sent with `Cache-Control: no-cache`: the browser asks again every time, since a rebuild
/// may change it.
async fn finish(mut response: Response, range: Option<HeaderValue>, head: bool) -> Response {
    let Some(kind) = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
    else {
        return response;
    };
    let textual = kind.starts_with("text/")
        || kind == "application/json"
        || kind == "application/javascript"
        || kind.ends_with("+xml")
        || kind.ends_with("/xml");
    if textual
        && !kind.contains("charset")
        && let Ok(v) = HeaderValue::from_str(&format!("{kind}; charset=utf-8"))
    {
        response.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    let whole = matches!(response.status(), StatusCode::OK | StatusCode::NOT_FOUND);
    if kind != "text/html" || !whole {
        return response;
    }
    let file_length = response
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let ok = response.status() == StatusCode::OK;
    let headers = response.headers_mut();
    headers.remove(header::CONTENT_LENGTH);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if ok {
        headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    } else {
        headers.remove(header::ACCEPT_RANGES);
    }
    let (mut parts, body) = response.into_parts();
    if head {
        if let Some(n) = file_length {
            parts
                .headers
                .insert(header::CONTENT_LENGTH, (n + reload::HOOK.len()).into());
        }
        return Response::from_parts(parts, Body::empty());
    }
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let page = reload::inject(&bytes);
    match range.filter(|_| ok).map(|r| byte_range(&r, page.len())) {
        None | Some(Range::Whole) => Response::from_parts(parts, Body::from(page)),
        Some(Range::Part(start, end)) => {
            parts.status = StatusCode::PARTIAL_CONTENT;
            let total = page.len();
            if let Ok(v) = HeaderValue::from_str(&format!("bytes {start}-{end}/{total}")) {
                parts.headers.insert(header::CONTENT_RANGE, v);
            }
            Response::from_parts(parts, Body::from(page[start..=end].to_vec()))
        }
        Some(Range::Unsatisfiable) => {
            let total = page.len();
            (
                StatusCode::RANGE_NOT_SATISFIABLE,
                [(header::CONTENT_RANGE, format!("bytes */{total}"))],
            )
                .into_response()
        }
    }
}

/// What a `Range` header asks of a body of `len` bytes.
#[derive(Debug, PartialEq, Eq)]
enum Range {
    /// All of it: no usable range (several ranges are answered whole too).
    Whole,
    /// Bytes `start..=end`.
    Part(usize, usize),
    /// Nothing it has.
    Unsatisfiable,
}

/// Parse a single `bytes=` range against a body of `len` bytes (RFC 9110, 14.1.2).
fn byte_range(value: &HeaderValue, len: usize) -> Range {
    let Some(spec) = value
        .to_str()
        .ok()
        .and_then(|v| v.trim().strip_prefix("bytes="))
    else {
        return Range::Whole;
    };
    if spec.contains(',') {
        return Range::Whole;
    }
    let Some((first, last)) = spec.split_once('-') else {
        return Range::Whole;
    };
    let (first, last) = (first.trim(), last.trim());
    let number = |s: &str| s.parse::<usize>().ok();
    let (start, end) = match (first.is_empty(), last.is_empty()) {
        // The last `n` bytes.
        (true, false) => match number(last) {
            Some(0) => return Range::Unsatisfiable,
            Some(n) => (len.saturating_sub(n), len.saturating_sub(1)),
            None => return Range::Whole,
        },
        (false, _) => match (
            number(first),
            if last.is_empty() {
                Some(usize::MAX)
            } else {
                number(last)
            },
        ) {
            (Some(a), Some(b)) if a <= b => (a, b.min(len.saturating_sub(1))),
            _ => return Range::Whole,
        },
        (true, true) => return Range::Whole,
    };
    if len == 0 || start >= len {
        Range::Unsatisfiable
    } else {
        Range::Part(start, end)
    }
}

fn redirect(to: &str) -> Response {
    (
        StatusCode::TEMPORARY_REDIRECT,
        [(header::LOCATION, to.to_string())],
    )
        .into_response()
}

/// Before the first good build: a page that shows the errors and reloads once fixed.
fn not_built() -> Response {
    let page = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">\
                <title>briefing serve: the site does not build</title>\
                <body><h1>The site does not build yet</h1>\
                <p>Fix the errors shown in the terminal; this page reloads when the site builds.</p>\
                </body></html>";
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        reload::inject(page.as_bytes()),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_ranges() {
        let r = |v: &str, len| byte_range(&HeaderValue::from_str(v).unwrap(), len);
        assert_eq!(r("bytes=0-9", 100), Range::Part(0, 9));
        assert_eq!(r("bytes=90-", 100), Range::Part(90, 99));
        assert_eq!(r("bytes=-10", 100), Range::Part(90, 99));
        assert_eq!(r("bytes=50-500", 100), Range::Part(50, 99));
        assert_eq!(r("bytes=100-", 100), Range::Unsatisfiable);
        assert_eq!(r("bytes=-0", 100), Range::Unsatisfiable);
        assert_eq!(r("bytes=0-1,5-6", 100), Range::Whole);
        assert_eq!(r("items=0-1", 100), Range::Whole);
        assert_eq!(r("bytes=9-1", 100), Range::Whole);
    }
}
