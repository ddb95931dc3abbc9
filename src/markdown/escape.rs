//! HTML escaping, for the Markdown renderer and every stage above it that writes HTML or
//! XML by hand (feeds, highlighted code).

/// Escape text for HTML element content.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escape text for a double-quoted HTML attribute.
pub fn escape_attr(s: &str) -> String {
    escape_text(s).replace('"', "&quot;").replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_quotes_are_escaped() {
        assert_eq!(escape_text("<a & b>\"'"), "&lt;a &amp; b&gt;\"'");
        assert_eq!(escape_attr("<a & b>\"'"), "&lt;a &amp; b&gt;&quot;&#39;");
    }
}
