//! Finding where a key or a value stands in frontmatter text, for diagnostics.
//!
//! Parsers give positions for syntax errors only; a reference to an unknown slug is found
//! after parsing. These functions search the frontmatter text for the key and then for the
//! value after it, matching whole words, so an error can point at the value itself.

use crate::diag::Span;

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
}
