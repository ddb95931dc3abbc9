//! The outbound links of a body: every link and image whose URL leads to another site
//! (`http://` or `https://`), with where its URL is written, for `check --external`.
//!
//! Read with the same parser options as [`super::render_markdown`], so a URL inside code
//! is not a link here either. Raw HTML is not searched: its links are rare in bodies, and
//! the sanitiser decides which of them a reader sees.

use pulldown_cmark::{Event, LinkType, Parser, Tag};

use super::{parser_options, url_span};
use crate::diag::Span;

/// An outbound URL written in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outbound {
    /// The URL as the parser read it (entities and escapes resolved).
    pub url: String,
    /// Where it is written in the file.
    pub span: Span,
}

/// The http(s) links and images of `body`, in order; `offset` is where the body starts in
/// its file.
pub fn outbound_links(body: &str, offset: usize) -> Vec<Outbound> {
    let mut out = Vec::new();
    for (event, range) in Parser::new_ext(body, parser_options(false)).into_offset_iter() {
        let (Event::Start(Tag::Link {
            link_type,
            dest_url,
            ..
        })
        | Event::Start(Tag::Image {
            link_type,
            dest_url,
            ..
        })) = event
        else {
            continue;
        };
        if matches!(link_type, LinkType::WikiLink { .. }) || !is_outbound(&dest_url) {
            continue;
        }
        out.push(Outbound {
            span: url_span(body, &range, &dest_url, offset),
            url: dest_url.trim().to_string(),
        });
    }
    out
}

/// Whether `url` leads to another site over http(s).
pub fn is_outbound(url: &str) -> bool {
    let lower = url.trim_start().get(..8).unwrap_or("").to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_links_images_and_autolinks_but_not_code_or_site_links() {
        let body = "See [a](https://a.example/x) and ![i](http://b.example/i.png).\n\n\
                    <https://c.example/>\n\n`[no](https://code.example/)`\n\n\
                    [local](/incidents/x/) [[slug]] [mail](mailto:x@y.z)\n\n[ref]\n\n\
                    [ref]: https://d.example/r\n";
        let found = outbound_links(body, 100);
        let urls: Vec<&str> = found.iter().map(|o| o.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://a.example/x",
                "http://b.example/i.png",
                "https://c.example/",
                "https://d.example/r"
            ]
        );
        let first = found[0].span;
        assert_eq!(first.offset, 100 + body.find("https://a").unwrap());
        assert_eq!(first.len, "https://a.example/x".len());
    }

    #[test]
    fn only_http_and_https_are_outbound() {
        assert!(is_outbound("HTTPS://x.example/"));
        assert!(is_outbound("http://x"));
        for no in [
            "/x",
            "mailto:a@b",
            "ftp://x",
            "//x.example/",
            "",
            "https:/x",
        ] {
            assert!(!is_outbound(no), "{no:?}");
        }
    }
}
