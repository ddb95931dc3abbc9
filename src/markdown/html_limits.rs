//! Limits on the raw HTML of a body, checked in linear time before it is sanitised.
//!
//! - [`nesting_beyond`]: html5ever's tree builder is quadratic in the depth of the open
//!   element stack (and in the list of open formatting elements), so a body of 100,000
//!   `<div/>` (self-closing syntax does not close a `div`) took 26 s, and 100,000 `<b></i>`
//!   (the stray `</i>` closes nothing) as long (issue 9, item 7). The count follows what
//!   a parser keeps open, so such bodies are refused with `E-limit` instead.
//! - [`RawTextWatch`]: an unclosed `<script>`, `<style>`, `<textarea>`, ... makes browsers
//!   and the sanitiser read the rest of the body as its text, which is then lost (item 9).

use std::collections::HashMap;

use crate::diag::{Code, Diagnostic, Span};

/// Deepest element nesting a rendered body may have.
pub const MAX_NESTING: usize = 500;

/// Elements that never nest: void elements, and elements whose end tag may be omitted
/// (`li`, `p`, `td`, ...), which parsers close implicitly.
const FLAT: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "li", "p", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody",
    "tfoot", "colgroup", "caption", "rb", "rt", "rtc", "rp", "param", "keygen",
];

/// Elements whose content is text up to their end tag (raw text and RCDATA).
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

/// A tag name as a case-insensitive key (FNV-1a of its lowercase bytes): comparing in place
/// keeps this allocation-free, as it runs over every tag of every body with HTML (issue 5).
fn name_key(name: &[u8]) -> u64 {
    name.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Where the tag starting at `bytes[0] == b'<'` ends (index of its `>`), if it does.
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    bytes[from..]
        .iter()
        .position(|&b| b == b'>')
        .map(|e| from + e)
}

/// Where the end tag `</name` first occurs in `bytes` from `from`, case-insensitively.
fn find_end_tag(bytes: &[u8], from: usize, name: &str) -> Option<usize> {
    let n = name.len();
    let mut i = from;
    while let Some(p) = bytes.get(i..)?.windows(2).position(|w| w == b"</") {
        let at = i + p;
        let after = at + 2;
        if bytes
            .get(after..after + n)
            .is_some_and(|s| s.eq_ignore_ascii_case(name.as_bytes()))
            && bytes
                .get(after + n)
                .is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
        {
            return Some(at);
        }
        i = after;
    }
    None
}

/// The element nesting depth of `html` if it exceeds `limit`, counted in linear time as a
/// parser builds it: an end tag closes the innermost open element of its name and those
/// inside it, or nothing when none is open; `<div/>` opens a `div` (only in `<svg>` and
/// `<math>` does `/>` close); comments and raw text (`<script>`, ...) hold no elements.
/// Void elements and elements whose end tag may be omitted are not counted, so the count
/// does not exceed what parsers build.
pub(super) fn nesting_beyond(html: &str, limit: usize) -> Option<usize> {
    let bytes = html.as_bytes();
    let flat: Vec<u64> = FLAT.iter().map(|n| name_key(n.as_bytes())).collect();
    let (svg, math) = (name_key(b"svg"), name_key(b"math"));
    let mut stack: Vec<u64> = Vec::new();
    let mut open: HashMap<u64, usize> = HashMap::new();
    // Stack length below which foreign content (`<svg>`, `<math>`) started.
    let mut foreign: Option<usize> = None;
    let (mut deepest, mut i) = (0usize, 0usize);
    while let Some(lt) = bytes[i..].iter().position(|&b| b == b'<') {
        let start = i + lt + 1;
        if bytes[start..].starts_with(b"!--") {
            match bytes[start + 3..].windows(3).position(|w| w == b"-->") {
                Some(e) => i = start + 3 + e + 3,
                None => break,
            }
            continue;
        }
        let closing = bytes.get(start) == Some(&b'/');
        let name_start = start + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        i = name_start + name_len;
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            continue;
        }
        let name = &bytes[name_start..i];
        let key = name_key(name);
        if flat.contains(&key) {
            continue;
        }
        if closing {
            if open.get(&key).copied().unwrap_or(0) == 0 {
                continue;
            }
            while let Some(top) = stack.pop() {
                if let Some(n) = open.get_mut(&top) {
                    *n -= 1;
                }
                if top == key {
                    break;
                }
            }
            if foreign.is_some_and(|f| stack.len() <= f) {
                foreign = None;
            }
            continue;
        }
        let end = tag_end(bytes, i);
        let self_closed = end.is_some_and(|e| e > 0 && bytes[e - 1] == b'/');
        if self_closed && (foreign.is_some() || key == svg || key == math) {
            continue;
        }
        if foreign.is_none() && !self_closed && (key == svg || key == math) {
            foreign = Some(stack.len());
        }
        stack.push(key);
        *open.entry(key).or_insert(0) += 1;
        deepest = deepest.max(stack.len());
        if let Some(raw) = RAW_TEXT
            .iter()
            .find(|r| r.as_bytes().eq_ignore_ascii_case(name))
        {
            // Its content is text up to its end tag, which the loop then reads.
            match end.and_then(|e| find_end_tag(bytes, e, raw)) {
                Some(close) => i = close,
                None => break,
            }
        }
    }
    (deepest > limit).then_some(deepest)
}

/// Watches the raw HTML of a body, piece by piece in order, for an element whose content is
/// read as text (`<script>`, `<style>`, `<textarea>`, ...) and is never closed.
#[derive(Debug, Default)]
pub(super) struct RawTextWatch {
    /// The element open at the end of the pieces seen so far, and where its start tag is.
    open: Option<(&'static str, usize)>,
    /// Inside a comment that started in an earlier piece.
    in_comment: bool,
}

impl RawTextWatch {
    /// Read the next piece of raw HTML, which starts at `offset` in its file.
    pub(super) fn feed(&mut self, html: &str, offset: usize) {
        let bytes = html.as_bytes();
        let mut i = 0;
        loop {
            if self.in_comment {
                match bytes[i..].windows(3).position(|w| w == b"-->") {
                    Some(e) => {
                        i += e + 3;
                        self.in_comment = false;
                    }
                    None => return,
                }
            }
            if let Some((name, _)) = self.open {
                if name == "plaintext" {
                    return;
                }
                match find_end_tag(bytes, i, name) {
                    Some(close) => {
                        self.open = None;
                        i = close + 2;
                    }
                    None => return,
                }
            }
            let Some(lt) = bytes[i..].iter().position(|&b| b == b'<') else {
                return;
            };
            let start = i + lt + 1;
            if bytes[start..].starts_with(b"!--") {
                self.in_comment = true;
                i = start + 3;
                continue;
            }
            let name_len = bytes[start..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            i = start + name_len;
            let name = &bytes[start..i];
            if let Some(raw) = RAW_TEXT
                .iter()
                .find(|r| r.as_bytes().eq_ignore_ascii_case(name))
            {
                let Some(end) = tag_end(bytes, i) else {
                    return;
                };
                self.open = Some((raw, offset + start - 1));
                i = end + 1;
            }
        }
    }

    /// The element left open at the end of the body, and where its start tag is.
    pub(super) fn unclosed(&self) -> Option<(&'static str, usize)> {
        self.open
    }
}

/// The error for a `name` element left open at `at`.
pub(super) fn unclosed_problem(name: &str, at: usize) -> Diagnostic {
    let d = if name == "plaintext" {
        Diagnostic::error(
            Code::UnclosedHtml,
            "`<plaintext>` makes browsers read the rest of the body as plain text, so it is lost",
        )
        .help("remove it; show text as it is in a fenced code block (```)")
    } else {
        Diagnostic::error(
            Code::UnclosedHtml,
            format!("`<{name}>` is never closed: browsers read the rest of the body as its content, so it is lost"),
        )
        .help(format!("close it with `</{name}>`, or put code in a fenced code block (```)"))
    };
    d.at(Span::new(at, name.len() + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_count_skips_void_and_optional_end_elements() {
        assert_eq!(
            nesting_beyond("<div><p>a<br><img src=x/></div>", 0),
            Some(1)
        );
        assert_eq!(nesting_beyond(&"<li><p><td><br>".repeat(1000), 10), None);
        assert_eq!(nesting_beyond(&"<b>".repeat(11), 10), Some(11));
        assert_eq!(nesting_beyond("</div></div><", 0), None);
        assert_eq!(nesting_beyond("<1 <é <", 0), None);
        assert_eq!(nesting_beyond(&"<b></b>".repeat(1000), 10), None);
        assert_eq!(nesting_beyond(&"<DIV></div>".repeat(1000), 10), None);
    }

    #[test]
    fn nesting_counts_what_parsers_keep_open() {
        // Regression (issue 9, item 7): each took minutes in the sanitiser.
        assert_eq!(nesting_beyond(&"<div/>".repeat(1000), 500), Some(1000));
        assert_eq!(nesting_beyond(&"<b></i>".repeat(1000), 500), Some(1000));
        // An end tag closes what is inside its element.
        assert_eq!(nesting_beyond(&"<div><b><i></div>".repeat(1000), 10), None);
        // `/>` closes inside `<svg>` and `<math>` only.
        let svg = format!("<svg>{}</svg>", "<path d=\"M0\"/>".repeat(1000));
        assert_eq!(nesting_beyond(&svg, 10), None);
        // Comments and raw text hold no elements.
        let hidden = format!(
            "<!-- {} --><script>{}</script>",
            "<div>".repeat(20),
            "<b>".repeat(20)
        );
        assert_eq!(nesting_beyond(&hidden, 10), None);
    }

    fn unclosed(pieces: &[&str]) -> Option<(&'static str, usize)> {
        let mut watch = RawTextWatch::default();
        let mut offset = 0;
        for p in pieces {
            watch.feed(p, offset);
            offset += p.len();
        }
        watch.unclosed()
    }

    #[test]
    fn unclosed_raw_text_elements_are_found() {
        assert_eq!(unclosed(&["<script>x()"]), Some(("script", 0)));
        assert_eq!(
            unclosed(&["a ", "<STYLE media=x>", "b"]),
            Some(("style", 2))
        );
        assert_eq!(
            unclosed(&["<script>", "x", "</Script >", "<title>t</title>"]),
            None
        );
        assert_eq!(
            unclosed(&["<style>a</style><textarea>"]),
            Some(("textarea", 16))
        );
        assert_eq!(
            unclosed(&["<plaintext>", "</plaintext>"]),
            Some(("plaintext", 0))
        );
        assert_eq!(unclosed(&["<!--", "<script>", "-->"]), None);
        assert_eq!(unclosed(&["<scripts>", "<b>"]), None);
    }
}
