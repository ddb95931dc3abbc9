//! Frontmatter splitting and parsing of every kind, as the load stage does it.
//!
//! The first byte picks the kind (and whether the file is the home intro); the rest is
//! the file's text, normalised as `read_source` does. Invariants: no panic, no hang; the split's offsets lie inside the
//! text on character boundaries; every diagnostic's span lies inside the text.
#![no_main]

use std::path::Path;

use briefing::load::split::split_frontmatter;
use briefing::load::{normalise_source, parse_document_text};
use briefing::model::Kind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    // As the pipeline reads files: without a BOM, with `\n` line endings.
    let text = normalise_source(&String::from_utf8_lossy(rest));
    let text = text.as_str();
    if let Ok(split) = split_frontmatter(text) {
        assert!(split.front.start <= split.front.end && split.front.end <= text.len());
        assert!(split.body <= text.len() && split.front.end <= split.body);
        assert!(text.is_char_boundary(split.front.start) && text.is_char_boundary(split.front.end));
        assert!(text.is_char_boundary(split.body));
    }
    let kind = Kind::ALL[usize::from(selector) % Kind::ALL.len()];
    let file = if selector >= 250 {
        Path::new("content/_index.md").to_path_buf()
    } else {
        Path::new("content").join(kind.dir()).join("fuzz-input.md")
    };
    let (doc, diagnostics) = parse_document_text(kind, &file, text);
    for d in &diagnostics {
        if let Some(span) = d.span {
            assert!(
                span.offset + span.len <= text.len(),
                "span {span:?} outside the text of {} bytes: {d}",
                text.len()
            );
        }
    }
    if let Some(doc) = doc {
        assert!(doc.body_offset <= text.len());
        for w in &doc.wikilinks {
            assert!(w.span.offset + w.span.len <= text.len());
        }
    }
});
