//! Markdown rendering with wikilink scanning and resolution, as the render stage does it.
//!
//! Invariants: no panic, no hang; wikilink spans lie inside the body; with raw HTML
//! sanitised (the default) the output has no script, frame or object element and no
//! `javascript:`, `vbscript:` or `data:` URL in an `href` or `src`.
#![no_main]

use briefing::markdown::{MarkdownOptions, Resolved, render_markdown, scan_wikilinks};
use libfuzzer_sys::fuzz_target;

fn resolve(slug: &str) -> Option<Resolved> {
    matches!(slug, "known" | "a" | "crocus-city-hall-attack").then(|| Resolved {
        url: format!("https://example.org/incidents/{slug}/"),
        title: format!("Title of {slug} <b>&</b>"),
    })
}

fn attribute_values<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let body = String::from_utf8_lossy(rest);
    let body = body.as_ref();
    let offset = usize::from(flags >> 3);
    for w in scan_wikilinks(body, offset) {
        assert!(w.span.offset >= offset && w.span.offset + w.span.len <= offset + body.len());
    }
    let opts = MarkdownOptions {
        unsafe_raw_html: false,
        smart_punctuation: flags & 1 == 1,
        highlight_code: flags & 2 == 2,
        allow_remote_images: flags & 4 == 4,
    };
    let rendered = render_markdown(body, offset, opts, &resolve);
    let lower = rendered.html.to_ascii_lowercase();
    for tag in [
        "<script", "<iframe", "<object", "<embed", "<frame", "<style", "<meta", "<base",
    ] {
        assert!(!lower.contains(tag), "{tag} in {:?}", rendered.html);
    }
    for attr in ["href", "src", "action", "formaction", "xlink:href"] {
        for value in attribute_values(&lower, attr) {
            let compact: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect();
            for scheme in ["javascript:", "vbscript:", "data:"] {
                assert!(
                    !compact.starts_with(scheme),
                    "{attr}={value:?} in {:?}",
                    rendered.html
                );
            }
        }
    }
    for p in &rendered.problems {
        if let Some(span) = p.span {
            assert!(span.offset >= offset && span.offset + span.len <= offset + body.len());
        }
    }
});
