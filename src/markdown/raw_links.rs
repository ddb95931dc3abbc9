//! Links and images written in raw HTML that lead to a page this build does not publish
//! (issue 9, item 3): the same rule as for Markdown links, applied to the URL attributes
//! the sanitiser keeps.
//!
//! The sanitiser is built once for all bodies, so its attribute filter cannot hold a
//! page's [`Targets`]. It reports every URL it keeps to a per-thread list instead and
//! drops the URLs of a per-thread set: a body is cleaned once to learn its URLs and, only
//! when one of them is unpublished, once more with those URLs dropped. An `<a>` without
//! its `href` keeps its text; an `<img>` without `src` shows nothing.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashSet;
use std::ops::Range;

use super::Targets;
use crate::diag::{Code, Diagnostic, Span};

/// Attributes whose value is a URL a reader's browser follows or loads.
const URL_ATTRIBUTES: [&str; 6] = ["href", "src", "cite", "poster", "action", "formaction"];

thread_local! {
    /// URLs kept by the current clean, in order.
    static SEEN: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// URLs the current clean drops.
    static DROP: RefCell<HashSet<String>> = RefCell::new(HashSet::new());
}

/// The sanitiser's attribute filter: drops the URLs of [`DROP`], records the others.
pub(super) fn filter<'u>(_element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    if !URL_ATTRIBUTES.contains(&attribute) {
        return Some(Cow::Borrowed(value));
    }
    if DROP.with(|d| d.borrow().contains(value)) {
        return None;
    }
    SEEN.with(|s| s.borrow_mut().push(value.to_string()));
    Some(Cow::Borrowed(value))
}

/// Clean `html` with `clean`, leaving out URLs that `targets` finds unpublished; each
/// is reported once, at the raw HTML of `body` that holds it (`raw` are the ranges of raw
/// HTML in `body`, which starts at `offset` in its file). With `keep_raw` (the site opted
/// into unsanitised HTML) the HTML stays as written and an unpublished URL is an error.
pub(super) fn clean_with_targets(
    html: String,
    clean: impl Fn(&str) -> String,
    keep_raw: bool,
    targets: &dyn Targets,
    (body, offset, raw): (&str, usize, &[Range<usize>]),
    problems: &mut Vec<Diagnostic>,
) -> String {
    SEEN.with(|s| s.borrow_mut().clear());
    DROP.with(|d| d.borrow_mut().clear());
    let cleaned = clean(&html);
    let seen = SEEN.with(|s| std::mem::take(&mut *s.borrow_mut()));
    let mut unpublished: Vec<String> = Vec::new();
    for url in seen {
        if unpublished.contains(&url) {
            continue;
        }
        if let Some(d) = targets.unpublished(&url) {
            let at = place(&url, body, raw).map_or(offset, |i| offset + i);
            let d = if keep_raw {
                Diagnostic::error(
                    Code::RawLinkUnpublished,
                    format!(
                        "raw HTML links to `{url}`, a page this build does not publish ({})",
                        d.message
                    ),
                )
                .help(
                    "remove the link, or write it as a Markdown link or `[[slug]]`, which a build leaves out by itself (`unsafe_raw_html` publishes raw HTML as written)",
                )
            } else {
                d
            };
            problems.push(d.at(Span::new(at, url.len())));
            unpublished.push(url);
        }
    }
    if unpublished.is_empty() || keep_raw {
        return if keep_raw { html } else { cleaned };
    }
    DROP.with(|d| d.borrow_mut().extend(unpublished));
    let cleaned = clean(&html);
    DROP.with(|d| d.borrow_mut().clear());
    SEEN.with(|s| s.borrow_mut().clear());
    cleaned
}

/// Where in `body` the raw HTML holding `url` is: the URL itself if written as it is,
/// else the start of the first raw HTML.
fn place(url: &str, body: &str, raw: &[Range<usize>]) -> Option<usize> {
    raw.iter()
        .find_map(|r| {
            body.get(r.clone())
                .and_then(|chunk| chunk.find(url))
                .map(|i| r.start + i)
        })
        .or_else(|| raw.first().map(|r| r.start))
}
