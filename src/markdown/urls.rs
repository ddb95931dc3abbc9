//! Which link URLs a body may carry, judged the way a browser reads them.
//!
//! Browsers strip leading and trailing spaces and control characters, remove tabs and
//! newlines anywhere, and read `\` as `/` (WHATWG URL standard), so `/\evil.example/` and
//! `/<tab>/evil.example/` lead off the site exactly like `//evil.example/` (issue 9).

use pulldown_cmark::CowStr;

use crate::diag::{Code, Diagnostic, Span};

/// `url` as a browser reads it before resolving it: leading and trailing spaces and
/// control characters stripped, tabs and newlines removed, backslashes read as slashes.
pub fn as_browser_reads(url: &str) -> String {
    url.trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| if c == '\\' { '/' } else { c })
        .collect()
}

/// Whether a browser reads `url` as protocol-relative (`//host/...`): another site, though
/// it looks like a path on this one.
pub fn is_protocol_relative(url: &str) -> bool {
    as_browser_reads(url).starts_with("//")
}

/// Whether a link URL may appear in the output: http(s), mailto, or no scheme at all
/// (relative paths, fragments).
pub fn link_url_is_safe(url: &str) -> bool {
    let trimmed: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    let lower = trimmed.to_ascii_lowercase();
    match lower.find(':') {
        None => true,
        Some(colon) => {
            let before = &lower[..colon];
            if before.contains(['/', '\\', '?', '#']) {
                return true;
            }
            matches!(before, "http" | "https" | "mailto")
        }
    }
}

/// `url` if it may be published; otherwise `#`, with the problem recorded at the link.
pub(super) fn checked_url<'a>(
    url: CowStr<'a>,
    what: &str,
    offset: usize,
    len: usize,
    problems: &mut Vec<Diagnostic>,
) -> CowStr<'a> {
    let problem = if !link_url_is_safe(&url) {
        Diagnostic::error(
            Code::InvalidUrl,
            format!("{what} URL `{url}` uses a scheme that is not allowed"),
        )
        .help("links may use http, https or mailto, or be paths on this site")
    } else if is_protocol_relative(&url) {
        Diagnostic::error(
            Code::InvalidUrl,
            format!(
                "{what} URL `{}` leads to another site: browsers read it as `{}`",
                shown(&url),
                shown(&as_browser_reads(&url))
            ),
        )
        .help("write other sites' addresses in full (`https://...`); paths on this site start with a single `/`")
    } else {
        return url;
    };
    problems.push(problem.at(Span::new(offset, len)));
    CowStr::Borrowed("#")
}

/// `url` with control characters escaped, never sent to a terminal as they are.
fn shown(url: &str) -> String {
    url.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backslashes_tabs_and_spaces_are_read_as_browsers_do() {
        for url in [
            "//evil.example/",
            "/\\evil.example/",
            "\\\\evil.example",
            "\\/evil.example",
            "/\t/evil.example/",
            "/\n/evil.example/",
            " \u{1}//evil.example/",
        ] {
            assert!(is_protocol_relative(url), "{url:?}");
        }
        for url in ["/incidents/x/", "\\x/", "x/\\y", "#top", "https://x.org/"] {
            assert!(!is_protocol_relative(url), "{url:?}");
        }
        assert_eq!(as_browser_reads(" /a\\b\t/ "), "/a/b/");
    }

    #[test]
    fn protocol_relative_links_are_refused() {
        let mut problems = Vec::new();
        let url = checked_url("/\\evil.example/".into(), "link", 3, 4, &mut problems);
        assert_eq!(&*url, "#");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("`//evil.example/`"));
        let url = checked_url("/a\\b/".into(), "link", 3, 4, &mut problems);
        assert_eq!(&*url, "/a\\b/");
        assert_eq!(problems.len(), 1);
    }
}
