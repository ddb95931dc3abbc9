//! The HTTP side of `serve`: the site's files (tower-http's `ServeDir`: safe paths, HEAD,
//! `Last-Modified`, ranges, only GET and HEAD), the reload hook added to HTML as it is sent,
//! and the event stream open pages listen on.
//!
//! Invariants: a request is answered from the folder of the last good build, taken once per
//! request, so a rebuild never mixes two builds in one response; everything of the site is
//! under the path of `base_url` (`/` redirects there); the server's own URLs start with
//! [`reload::PREFIX`], which no site path can (`_`-prefixed folders are not generated).

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
    let response = match inside {
        Some(rest) => {
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
                Ok(r) => finish(r).await,
                Err(e) => match e {},
            };
        }
    };
    match response {
        Ok(r) => finish(r.map(Body::new)).await,
        Err(e) => match e {},
    }
}

/// Add a charset to text, and the reload hook to HTML.
async fn finish(mut response: Response) -> Response {
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
    // The page changes with every build: never from the browser's cache.
    let headers = response.headers_mut();
    headers.remove(header::CONTENT_LENGTH);
    headers.remove(header::LAST_MODIFIED);
    headers.remove(header::ETAG);
    headers.remove(header::ACCEPT_RANGES);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if bytes.is_empty() {
        // HEAD.
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(reload::inject(&bytes)))
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
