//! The text of a body's HTML, as the search index reads it: tags dropped (a tag other
//! than an inline one ends a word), character references decoded (issue 15; made faster
//! in issue 16, with the first version kept in the tests as the reference).

/// Whether the tag `tag` (from `<` to `>`, both left out) is of an inline element: its
/// tags do not end a word, as they do not on the page (`Mos<em>cow</em>` reads `Moscow`).
/// Highlighted code is text in `span`s, so a body gives the same words highlighted or not.
fn is_inline(tag: &str) -> bool {
    let name = tag.strip_prefix('/').unwrap_or(tag).as_bytes();
    let end = name
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/')
        .unwrap_or(name.len());
    let name = &name[..end];
    let mut lower = [0u8; 6];
    if name.len() > lower.len() {
        return false;
    }
    for (l, b) in lower.iter_mut().zip(name) {
        *l = b.to_ascii_lowercase();
    }
    matches!(
        &lower[..name.len()],
        b"a" | b"abbr"
            | b"b"
            | b"bdi"
            | b"bdo"
            | b"cite"
            | b"code"
            | b"data"
            | b"del"
            | b"dfn"
            | b"em"
            | b"i"
            | b"ins"
            | b"kbd"
            | b"mark"
            | b"q"
            | b"s"
            | b"samp"
            | b"small"
            | b"span"
            | b"strong"
            | b"sub"
            | b"sup"
            | b"time"
            | b"u"
            | b"var"
            | b"wbr"
    )
}

/// The text of sanitised HTML: tags dropped (a tag other than an inline one ends a word),
/// character references decoded.
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let bytes = html.as_bytes();
    let mut at = 0;
    while let Some(n) = memchr::memchr2(b'<', b'&', &bytes[at..]) {
        let i = at + n;
        out.push_str(&html[at..i]);
        let rest = &html[i..];
        if bytes[i] == b'<' {
            match memchr::memchr(b'>', rest.as_bytes()) {
                Some(end) => {
                    if !is_inline(&rest[1..end]) {
                        out.push(' ');
                    }
                    at = i + end + 1;
                }
                None => at = html.len(),
            }
            continue;
        }
        let end = rest[1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
            .map_or(rest.len(), |n| n + 1);
        let name = &rest[1..end];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ => name.strip_prefix('#').and_then(|n| {
                let code = match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => n.parse().ok(),
                };
                code.and_then(char::from_u32)
            }),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                at = i + end + usize::from(rest[end..].starts_with(';'));
            }
            None => {
                out.push('&');
                at = i + 1;
            }
        }
    }
    out.push_str(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::words::words;
    use proptest::prelude::*;

    fn all(text: &str) -> Vec<String> {
        let mut v = Vec::new();
        words(text, |w| v.push(w.into_owned()));
        v
    }

    /// `html_text` as it was first written: the reference for the faster one.
    fn html_text_reference(html: &str) -> String {
        let mut out = String::new();
        let mut rest = html;
        while let Some(i) = rest.find(['<', '&']) {
            out.push_str(&rest[..i]);
            rest = &rest[i..];
            if rest.starts_with('<') {
                match rest.find('>') {
                    Some(end) => {
                        if !is_inline(&rest[1..end]) {
                            out.push(' ');
                        }
                        rest = &rest[end + 1..];
                    }
                    None => rest = "",
                }
            } else {
                let end = rest[1..]
                    .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
                    .map_or(rest.len(), |n| n + 1);
                let name = &rest[1..end];
                let decoded = match name {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "nbsp" => Some(' '),
                    _ => name.strip_prefix('#').and_then(|n| {
                        let code = match n.strip_prefix(['x', 'X']) {
                            Some(hex) => u32::from_str_radix(hex, 16).ok(),
                            None => n.parse().ok(),
                        };
                        code.and_then(char::from_u32)
                    }),
                };
                match decoded {
                    Some(c) => {
                        out.push(c);
                        rest = rest[end..].strip_prefix(';').unwrap_or(&rest[end..]);
                    }
                    None => {
                        out.push('&');
                        rest = &rest[1..];
                    }
                }
            }
        }
        out.push_str(rest);
        out
    }

    proptest! {
        #[test]
        fn html_text_is_the_reference(
            html in "(<|>|&|;|#|x|X|4|1|3|a|m|p|lt|amp|nbsp|<em>|</span>|<p>|<br/>|<a href=x>| |é|д){0,50}"
        ) {
            prop_assert_eq!(html_text(&html), html_text_reference(&html));
        }
    }

    #[test]
    fn html_text_drops_tags_and_decodes_references() {
        assert_eq!(
            html_text("<p>a&amp;b &lt;x&gt; &#1052;&#x43e; &bogus; <br>c</p>"),
            " a&b <x> Мо &bogus;  c "
        );
        assert_eq!(all(&html_text("<p>one</p><p>two</p>")), ["one", "two"]);
        assert_eq!(
            all(&html_text("<li>one<li>two<br>three")),
            ["one", "two", "three"]
        );
    }

    #[test]
    fn inline_elements_are_known_by_name_in_any_case() {
        for t in [
            "a href=\"/x/\"",
            "/a",
            "ABBR",
            "b",
            "bdi",
            "bdo",
            "cite",
            "code",
            "data",
            "del",
            "dfn",
            "em",
            "i",
            "ins",
            "kbd",
            "mark",
            "q",
            "s",
            "samp",
            "small",
            "span class=x",
            "Strong",
            "sub",
            "sup",
            "time",
            "u",
            "var",
            "wbr/",
            "wbr /",
        ] {
            assert!(is_inline(t), "{t}");
        }
        for t in [
            "p",
            "/p",
            "br",
            "li",
            "section",
            "strongest",
            "spans",
            "",
            "/",
            "é",
        ] {
            assert!(!is_inline(t), "{t}");
        }
    }

    #[test]
    fn inline_tags_do_not_split_a_word() {
        assert_eq!(
            all(&html_text(
                "<p>Mos<em>cow</em> <a href=\"/x/\">Cro</a><STRONG>cus</STRONG></p>"
            )),
            ["moscow", "crocus"]
        );
        assert_eq!(
            all(&html_text(
                "<span class=\"hl\">let</span><span>x</span> = 1"
            )),
            ["letx", "1"]
        );
    }
}
