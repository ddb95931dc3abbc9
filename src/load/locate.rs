//! Where a key or a value stands in frontmatter text, for diagnostics.
//!
//! The YAML parser reports where each [`Spanned`](crate::model::Spanned) value stands:
//! [`unquoted`] and [`key_of`] turn that node span into the span a diagnostic shows. TOML
//! values come without one; for them [`locate_key`] and [`locate_value`] search the text for
//! the key and then for the value after it, matching whole words.

use crate::diag::Span;

/// `span` (a value's node, as the parser gives it) without the quotes around a quoted
/// scalar, so that it covers the value as written.
pub fn unquoted(front: &str, span: Span) -> Span {
    let node = front
        .get(span.offset..span.offset + span.len)
        .unwrap_or_default();
    let quoted = node.len() >= 2
        && ((node.starts_with('"') && node.ends_with('"'))
            || (node.starts_with('\'') && node.ends_with('\'')));
    if quoted {
        Span::new(span.offset + 1, span.len - 2)
    } else {
        span
    }
}

/// The span of `key` written before the value at `value` on the same line (`key: value`,
/// `- key: value`), so that a diagnostic about the field points at its key.
pub fn key_of(front: &str, value: Span, key: &str) -> Option<Span> {
    let before = front.get(..value.offset)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = &before[line_start..];
    let at = line.rfind(key)?;
    let rest = line[at + key.len()..]
        .trim_start_matches(['"', '\''])
        .trim_start();
    rest.starts_with(':')
        .then(|| Span::new(line_start + at, key.len()))
}

/// The span of the first `key:` (YAML) or `key =` (TOML) in `front`.
pub fn locate_key(front: &str, key: &str) -> Option<Span> {
    let mut line_start = 0;
    for line in front.split_inclusive('\n') {
        let trimmed = line.trim_start_matches([' ', '\t', '-']);
        let indent = line.len() - trimmed.len();
        let trimmed = trimmed.trim_start_matches(['"', '\'']);
        let quote = line.len() - indent - trimmed.len();
        if let Some(rest) = trimmed.strip_prefix(key) {
            let rest = rest.trim_start_matches(['"', '\'']).trim_start();
            if rest.starts_with(':') || rest.starts_with('=') {
                return Some(Span::new(line_start + indent + quote, key.len()));
            }
        }
        line_start += line.len();
    }
    None
}

/// The span of `value` written after `key`, as a whole word (not inside a longer slug).
/// Falls back to the key, then to nothing.
pub fn locate_value(front: &str, key: &str, value: &str) -> Option<Span> {
    let key_span = locate_key(front, key);
    if value.is_empty() {
        return key_span;
    }
    let from = key_span.map_or(0, |s| s.offset + s.len);
    find_word(front, value, from)
        .or_else(|| find_word(front, value, 0))
        .map(|o| Span::new(o, value.len()))
        .or(key_span)
}

fn find_word(text: &str, word: &str, from: usize) -> Option<usize> {
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    let mut start = from;
    while let Some(i) = text.get(start..)?.find(word) {
        let at = start + i;
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        if !before.is_some_and(is_word) && !after.is_some_and(is_word) {
            return Some(at);
        }
        start = at + word.len().max(1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_values_after_their_key() {
        let f = "title: isis\nperpetrators:\n  - isis-k\n  - isis\n";
        let s = locate_value(f, "perpetrators", "isis").unwrap();
        assert_eq!(&f[s.offset..s.offset + s.len], "isis");
        assert!(s.offset > f.find("isis-k").unwrap());
        let t = "title = \"x\"\nspeaker = \"russia\"\n";
        let s = locate_value(t, "speaker", "russia").unwrap();
        assert_eq!(&t[s.offset..s.offset + 6], "russia");
        assert_eq!(
            locate_key(t, "speaker").unwrap().offset,
            t.find("speaker").unwrap()
        );
        assert_eq!(locate_key(t, "nothing"), None);
    }

    #[test]
    fn node_spans_lose_their_quotes_and_find_their_key() {
        let f = "sources:\n  - title: x\ntitle: \"\"\n";
        let value = Span::new(f.rfind("\"\"").unwrap(), 2);
        assert_eq!(unquoted(f, value), Span::new(value.offset + 1, 0));
        let key = key_of(f, value, "title").unwrap();
        assert_eq!(key.offset, f.rfind("title").unwrap());
        assert_eq!(key_of(f, value, "summary"), None);
    }
}
