//! From the span of a value's node, as the frontmatter parser reports it (see
//! [`Spanned`](crate::model::Spanned)), to the span a diagnostic shows: the value without its
//! quotes ([`unquoted`]), or the key written just before it ([`key_of`]). Nothing here
//! searches the text for a key or a value: every place starts at the parser's.

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

/// The span of `key` written just before the value at `value`: `key: value` and
/// `- key: value` (YAML), `key = value` (TOML), or the key alone on the line above a block
/// sequence (`key:` then `  - item`), so that a diagnostic about the field points at its key.
pub(super) fn key_of(front: &str, value: Span, key: &str) -> Option<Span> {
    let before = front.get(..value.offset)?.trim_end();
    let before = before
        .strip_suffix(':')
        .or_else(|| before.strip_suffix('='))?
        .trim_end()
        .trim_end_matches(['"', '\'']);
    let at = before.strip_suffix(key).map(str::len)?;
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    let whole = !before[..at].ends_with(is_word);
    whole.then(|| Span::new(at, key.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span_of(text: &str, needle: &str) -> Span {
        Span::new(text.rfind(needle).unwrap(), needle.len())
    }

    #[test]
    fn node_spans_lose_their_quotes() {
        let f = "title: \"\"\nsummary: 'a'\nslug: b\n";
        let value = span_of(f, "\"\"");
        assert_eq!(unquoted(f, value), Span::new(value.offset + 1, 0));
        let a = Span::new(f.find("a'").unwrap(), 1);
        assert_eq!(unquoted(f, span_of(f, "'a'")), a);
        assert_eq!(unquoted(f, span_of(f, "b")), span_of(f, "b"));
    }

    #[test]
    fn finds_the_key_of_a_yaml_value() {
        let f = "sources:\n  - title: x\ntitle: \"\"\n";
        let key = key_of(f, span_of(f, "\"\""), "title").unwrap();
        assert_eq!(key.offset, f.rfind("title").unwrap());
        assert_eq!(key_of(f, span_of(f, "x"), "title").unwrap().offset, 13);
        assert_eq!(key_of(f, span_of(f, "\"\""), "summary"), None);
    }

    #[test]
    fn finds_the_key_of_a_toml_value() {
        let f = "summary = \"s\"\n\"title\" = \"\"\n";
        let key = key_of(f, span_of(f, "\"\""), "title").unwrap();
        assert_eq!(key.offset, f.find("title").unwrap());
    }

    #[test]
    fn finds_the_key_above_a_block_sequence() {
        let f = "location:\n  coordinates:\n    - 1\n    - 2\n";
        let key = key_of(f, Span::new(f.find("- 1").unwrap(), 0), "coordinates").unwrap();
        assert_eq!(key.offset, f.find("coordinates").unwrap());
    }

    #[test]
    fn a_key_is_a_whole_word() {
        let f = "subtitle: \"\"\n";
        assert_eq!(key_of(f, span_of(f, "\"\""), "title"), None);
    }
}
