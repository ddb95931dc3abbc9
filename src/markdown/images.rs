//! Images of a body that readers' browsers would load from another host, and images
//! without alt text (issue 12).
//!
//! By default an image whose URL is on another host (Markdown `![alt](https://...)` or raw
//! `<img src="https://...">`) is not loaded: it becomes a link to the image, whose text is
//! its alt text (or the host when it has none), so reading a page calls no other host.
//! [`super::MarkdownOptions::allow_remote_images`] lets such images through. Either way
//! the problems are reported at the image: `W-remote-image` (unless allowed) and
//! `W-no-alt`. Raw HTML is rewritten before it is sanitised, so the sanitiser still judges
//! the link it becomes.

use pulldown_cmark::Event;

use super::escape::{escape_attr, escape_text};
use super::urls::as_browser_reads;
use super::{MarkdownOptions, Targets};
use crate::diag::{Code, Diagnostic, Span};

/// What an image of the body became.
pub(super) enum ImageAs {
    /// An image: where its URL is, the index of its first alt text event, its URL.
    Image(Span, usize, String),
    /// A link (`![[slug]]`).
    Link,
    /// Nothing but its alt text.
    Dropped,
    /// A link to a remote image, as [`ImageAs::Image`], and whether the link was opened
    /// (not inside another link).
    Remote(Span, usize, String, bool),
}

/// Whether `url` is loaded from another host than the site's: an absolute http(s) URL
/// whose origin is not `site_origin` (the site's `scheme://host[:port]`, when its base URL
/// is absolute). Paths and relative URLs are the site's own.
pub fn is_remote_url(url: &str, site_origin: Option<&str>) -> bool {
    let url = as_browser_reads(url).to_ascii_lowercase();
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return false;
    };
    let scheme_len = url.len() - rest.len();
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let origin = &url[..scheme_len + end];
    site_origin.is_none_or(|site| !origin.eq_ignore_ascii_case(site.trim_end_matches('/')))
}

/// The origin (`https://example.org`) of an absolute http(s) base URL; `None` for a path.
pub fn origin_of(base_url: &str) -> Option<&str> {
    let rest = base_url
        .strip_prefix("https://")
        .or_else(|| base_url.strip_prefix("http://"))?;
    let scheme_len = base_url.len() - rest.len();
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(&base_url[..scheme_len + end])
}

/// The host of an absolute URL, to name a link to an image without alt text.
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#'])
        .next()
        .unwrap_or(rest)
        .to_string()
}

/// `W-remote-image` at `at`.
fn remote_warning(url: &str, at: Span) -> Diagnostic {
    Diagnostic::warning(
        Code::RemoteImage,
        format!(
            "image `{url}` is on another host; it is shown as a link, so readers' browsers do not call `{}`",
            host_of(url)
        ),
    )
    .at(at)
    .help("copy the image into `static/` and use its path, or set `allow_remote_images = true` under `[markdown]` in `briefing.toml`")
}

/// `W-no-alt` at `at`.
fn no_alt_warning(url: &str, at: Span) -> Diagnostic {
    Diagnostic::warning(Code::NoAlt, format!("image `{url}` has no alt text"))
        .at(at)
        .help("say what the image shows: `![what it shows](path)`, or `alt=\"what it shows\"` in HTML")
}

/// The opening tag of the link a remote image becomes.
fn link_open(url: &str) -> String {
    format!("<a class=\"remote-image\" href=\"{}\">", escape_attr(url))
}

/// Open the link a remote image at `url` becomes (`open`: not inside another link, where
/// it is its alt text only), reporting it.
pub(super) fn open_remote(
    url: &str,
    at: Span,
    open: bool,
    events: &mut Vec<Event<'_>>,
    problems: &mut Vec<Diagnostic>,
) -> ImageAs {
    problems.push(remote_warning(url, at));
    if open {
        events.push(Event::InlineHtml(link_open(url).into()));
    }
    ImageAs::Remote(at, events.len(), url.to_string(), open)
}

/// Close an image or the link of a remote image, reporting it if it has no alt text (a
/// link without alt text says the host instead).
pub(super) fn close(image: ImageAs, events: &mut Vec<Event<'_>>, problems: &mut Vec<Diagnostic>) {
    match image {
        ImageAs::Image(at, from, url) => {
            if !has_text(events.get(from..).unwrap_or_default()) {
                problems.push(no_alt_warning(&url, at));
            }
            events.push(Event::End(pulldown_cmark::TagEnd::Image));
        }
        ImageAs::Remote(at, from, url, open) => {
            if !has_text(events.get(from..).unwrap_or_default()) {
                problems.push(no_alt_warning(&url, at));
                events.push(Event::Text(host_of(&url).into()));
            }
            if open {
                events.push(Event::InlineHtml("</a>".into()));
            }
        }
        ImageAs::Link | ImageAs::Dropped => {}
    }
}

/// Whether the events an image's alt text is made of hold any text.
fn has_text(events: &[Event]) -> bool {
    events.iter().any(|e| match e {
        Event::Text(t) | Event::Code(t) => !t.trim().is_empty(),
        _ => false,
    })
}

/// Raw HTML `chunk` (at byte `at` of its file) with its remote `<img>` elements (as
/// `targets` tells) turned into links unless `opts` allow remote images; `None` when
/// nothing changed. Every remote image and every image without alt text is reported.
pub(super) fn raw_images(
    chunk: &str,
    at: usize,
    opts: MarkdownOptions,
    targets: &dyn Targets,
    problems: &mut Vec<Diagnostic>,
) -> Option<String> {
    let lower = chunk.to_ascii_lowercase();
    let mut out = String::new();
    let mut copied = 0;
    let mut from = 0;
    while let Some(i) = lower[from..].find("<img") {
        let start = from + i;
        from = start + 4;
        if !lower[from..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_whitespace() || c == '/' || c == '>')
        {
            continue;
        }
        let (attrs, end) = attributes(chunk, from);
        from = end;
        let get = |name: &str| {
            attrs
                .iter()
                .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v, o)| (decode(v), *o))
        };
        let (src, src_at) = get("src").unwrap_or_default();
        let place = Span::new(
            at + if src.is_empty() { start } else { src_at },
            src.len().max(4),
        );
        let alt = get("alt").map(|(a, _)| a).unwrap_or_default();
        if alt.trim().is_empty() {
            problems.push(no_alt_warning(&src, place));
        }
        if src.is_empty() || !targets.is_remote(&src) || opts.allow_remote_images {
            continue;
        }
        problems.push(remote_warning(&src, place));
        let text = if alt.trim().is_empty() {
            host_of(&src)
        } else {
            alt
        };
        out.push_str(&chunk[copied..start]);
        out.push_str(&link_open(&src));
        out.push_str(&escape_text(&text));
        out.push_str("</a>");
        copied = end;
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&chunk[copied..]);
    Some(out)
}

/// The attributes of the tag whose name ends at `from`: (name, raw value, offset of the
/// value in `chunk`), and where the tag ends (after its `>`, or the end of the chunk).
fn attributes(chunk: &str, mut i: usize) -> (Vec<(&str, &str, usize)>, usize) {
    let b = chunk.as_bytes();
    let mut attrs = Vec::new();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return (attrs, b.len());
        }
        if b[i] == b'>' {
            return (attrs, i + 1);
        }
        let name_start = i;
        while i < b.len() && !(b[i].is_ascii_whitespace() || matches!(b[i], b'=' | b'>' | b'/')) {
            i += 1;
        }
        let name = &chunk[name_start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let (value_start, value_end, next) = match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = chunk[i + 1..]
                        .find(q as char)
                        .map_or(b.len(), |e| i + 1 + e);
                    (i + 1, end, (end + 1).min(b.len()))
                }
                _ => {
                    let mut e = i;
                    while e < b.len() && !(b[e].is_ascii_whitespace() || b[e] == b'>') {
                        e += 1;
                    }
                    (i, e, e)
                }
            };
            attrs.push((name, &chunk[value_start..value_end], value_start));
            i = next;
        } else {
            attrs.push((name, "", i));
        }
    }
}

/// The common character references of an attribute value, decoded.
fn decode(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_means_another_origin() {
        assert!(is_remote_url("https://cdn.example.com/a.png", None));
        assert!(is_remote_url(" HTTP://cdn.example.com/a.png", None));
        assert!(!is_remote_url("/static/a.png", None));
        assert!(!is_remote_url("a.png", None));
        let site = Some("https://example.org");
        assert!(!is_remote_url("https://example.org/a.png", site));
        assert!(is_remote_url("https://example.org.evil.net/a.png", site));
        assert_eq!(
            origin_of("https://example.org/b/"),
            Some("https://example.org")
        );
        assert_eq!(origin_of("/b/"), None);
    }

    #[test]
    fn raw_remote_images_become_links() {
        let mut problems = Vec::new();
        let html = "<p><IMG alt='A &amp; B' src=\"https://x.net/p.png?a=1&amp;b=2\"> and <img src=/local.png></p>";
        let opts = MarkdownOptions {
            unsafe_raw_html: false,
            smart_punctuation: false,
            highlight_code: false,
            allow_remote_images: false,
        };
        let none = |_: &str| None;
        let out = raw_images(html, 10, opts, &none, &mut problems).unwrap();
        assert_eq!(
            out,
            "<p><a class=\"remote-image\" href=\"https://x.net/p.png?a=1&amp;b=2\">A &amp; B</a> and <img src=/local.png></p>"
        );
        let codes: Vec<_> = problems.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["W-remote-image", "W-no-alt"]);
        let opts = MarkdownOptions {
            allow_remote_images: true,
            ..opts
        };
        let allowed = raw_images(html, 0, opts, &none, &mut problems);
        assert!(allowed.is_none());
    }
}
