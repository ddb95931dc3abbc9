//! Which entry page a written URL leads to, by the site's URL scheme (`<kind dir>/<slug>/`,
//! see [`super::Entity::path`]), so that Markdown links and source URLs that lead to an
//! entry this build does not publish are left out rather than ship its slug (issue 9,
//! item 3).
//!
//! A URL to a withheld entry and a URL to an entry that does not exist are left out alike,
//! so the output does not tell them apart; only the diagnostics (for the author) do.

use std::borrow::Cow;
use std::collections::HashSet;

use super::Publish;
use super::refs::Index;
use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::load::Document;
use crate::markdown::as_browser_reads;
use crate::model::{Data, Kind, Slug};

/// The entry page a URL leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryUrl {
    /// The kind its folder stands for.
    pub kind: Kind,
    /// The slug it names (for a file such as `x.pdf`, its stem `x`).
    pub slug: String,
    /// The URL names a file (`/incidents/report.pdf`), not an entry page.
    pub file: bool,
}

/// What a build does with a URL that leads to an entry page.
#[derive(Debug)]
pub enum Verdict {
    /// The entry is published, or the URL names some other file: keep it.
    Keep,
    /// Leave the URL out; the diagnostic (a note for a withheld entry, an error for one
    /// that does not exist) says why, without a place.
    Drop(Diagnostic),
}

/// The entry page `url` leads to, read from the page at site path `page` (`incidents/x/`,
/// empty for the home page) of a site at `base_url`; `None` for anything else (other
/// sites, listings, other schemes).
pub fn entry_of_url(url: &str, page: &str, base_url: &str) -> Option<EntryUrl> {
    // Most URLs have nothing a browser would drop or turn around: read them in place
    // (links to other sites end at the host check, without allocating).
    let read = if url.bytes().any(|b| b <= b' ' || b == b'\\') {
        Cow::Owned(as_browser_reads(url))
    } else {
        Cow::Borrowed(url)
    };
    let read = read.split(['#', '?']).next().unwrap_or("");
    let (base_host, base_path) = split_base(base_url);
    let (path, under_base) = if let Some(rest) =
        ["https://", "http://", "//"].iter().find_map(|p| {
            let head = read.as_bytes().get(..p.len())?;
            head.eq_ignore_ascii_case(p.as_bytes())
                .then(|| &read[p.len()..])
        }) {
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let host = authority.rsplit('@').next().unwrap_or("");
        let host = host.split(':').next().unwrap_or("");
        if !base_host.is_some_and(|b| b.eq_ignore_ascii_case(host)) {
            return None;
        }
        (path.to_string(), false)
    } else if read.find(':').is_some_and(|c| !read[..c].contains('/')) {
        return None;
    } else if read.starts_with('/') {
        (read.to_string(), false)
    } else {
        (format!("/{page}{read}"), true)
    };
    let mut segments = normalised_segments(&path);
    let base: Vec<String> = normalised_segments(base_path);
    if !under_base && segments.len() > base.len() && segments[..base.len()] == base[..] {
        segments.drain(..base.len());
    }
    let kind = Kind::ALL
        .into_iter()
        .find(|k| segments.first().is_some_and(|s| s == k.dir()))?;
    let name = segments.get(1)?;
    let paginated = name == "page"
        && segments
            .get(2)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    if paginated {
        return None;
    }
    let file = name.contains('.');
    Some(EntryUrl {
        kind,
        slug: name.split('.').next().unwrap_or("").to_string(),
        file,
    })
}

/// Judge a URL that leads to `entry`; `state` tells a slug's kind and whether it is
/// published, `None` when no entry has it; `published` lists the published slugs of a kind,
/// for suggestions.
pub fn judge<'a>(
    url: &str,
    entry: &EntryUrl,
    state: impl Fn(&str) -> Option<(Kind, bool)>,
    published: impl FnOnce(Kind) -> Vec<&'a str>,
) -> Verdict {
    let shown = url.escape_default();
    match state(&entry.slug) {
        Some((kind, true)) if kind == entry.kind => Verdict::Keep,
        Some((_, false)) => Verdict::Drop(
            Diagnostic::note(
                Code::WithheldRef,
                format!(
                    "`{shown}` leads to `{}`, which is withheld from this build; the link is left out",
                    entry.slug
                ),
            )
            .help("publish the target, or accept that readers will not see this link (its text is kept)"),
        ),
        _ if entry.file => Verdict::Keep,
        _ => {
            let dir = entry.kind.dir();
            let help = match did_you_mean(&entry.slug, published(entry.kind)) {
                Some(s) => format!("did you mean `/{dir}/{s}/`?"),
                None => "link to a page that exists; `[[slug]]` links always lead to the right page".to_string(),
            };
            Verdict::Drop(
                Diagnostic::error(
                    Code::BrokenLink,
                    format!(
                        "broken link `{shown}`: there is no {} `{}` at `/{dir}/{}/`; the link is left out",
                        entry.kind, entry.slug, entry.slug
                    ),
                )
                .help(help),
            )
        }
    }
}

/// Leave out the source URLs of `doc` that lead to an entry page this build does not
/// publish (see the module docs); a URL to no entry at all is an error in every document.
pub(super) fn drop_unpublished_source_urls(
    doc: &mut Document,
    publish: &Publish,
    base_url: &str,
    index: &Index,
    diags: &Diagnostics,
) {
    let published = publish.allows(&doc.common);
    let page = format!("{}/{}/", doc.kind.dir(), doc.slug);
    let file = doc.file.clone();
    let statement_source = match &mut doc.data {
        Data::Statement(s) => s.source.as_mut(),
        _ => None,
    };
    for source in doc.common.sources.iter_mut().chain(statement_source) {
        let Some(entry) = source
            .url
            .as_deref()
            .and_then(|u| entry_of_url(u, &page, base_url))
        else {
            continue;
        };
        let verdict = judge(
            source.url.as_deref().unwrap_or(""),
            &entry,
            |slug| index.get(slug).map(|t| (t.kind, t.published && !t.failed)),
            |kind| {
                index
                    .iter()
                    .filter(|(_, t)| t.kind == kind && t.published)
                    .map(|(s, _)| s.as_str())
                    .collect()
            },
        );
        if let Verdict::Drop(d) = verdict {
            if d.is_error() || published {
                diags.push(d.in_file(&file).at_opt(source.url_span));
            }
            source.url = None;
        }
    }
}

/// The slugs of every entry that is not published.
pub(super) fn withheld_slugs(index: &Index) -> HashSet<Slug> {
    index
        .iter()
        .filter(|(_, t)| !t.published)
        .map(|(s, _)| s.clone())
        .collect()
}

/// The host (if any) and path of a base URL (`https://example.org/b/`).
fn split_base(base_url: &str) -> (Option<&str>, &str) {
    match base_url.split_once("://") {
        Some((_, rest)) => {
            let slash = rest.find('/').unwrap_or(rest.len());
            let host = rest[..slash].rsplit('@').next().unwrap_or("");
            (host.split(':').next(), &rest[slash..])
        }
        None => (None, base_url),
    }
}

/// The segments of a URL path, percent-decoded and lowercased, without empty and `.`
/// segments, `..` applied.
fn normalised_segments(path: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for raw in path.split('/') {
        let seg = percent_decoded(raw).to_lowercase();
        match seg.as_str() {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            _ => out.push(seg),
        }
    }
    out
}

fn percent_decoded(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(url: &str, page: &str) -> Option<(Kind, String, bool)> {
        entry_of_url(url, page, "https://example.org/b/").map(|e| (e.kind, e.slug, e.file))
    }

    #[test]
    fn urls_to_entry_pages_are_recognised_however_written() {
        let secret = Some((Kind::Incident, "secret-plan".to_string(), false));
        for url in [
            "/incidents/secret-plan/",
            "/b/incidents/secret-plan/#x",
            "/incidents/secret-plan",
            "https://EXAMPLE.org/b/incidents/secret-plan/?q",
            "HTTPS://example.org/b/incidents/secret-plan/",
            "hTtP://example.org/incidents/secret-plan/",
            " https://exam\tple.org/b/incidents/secret-plan/\n",
            "http://example.org:80/incidents/secret-plan/",
            "//example.org/b/incidents/secret-plan/",
            "/b/./x/../Incidents//Secret-Plan/",
            "/b/incidents/secret%2Dplan/",
            "\\b\\incidents\\secret-plan\\",
            "../secret-plan/",
            "incidents/secret-plan/",
        ] {
            let page = if url.starts_with("..") {
                "incidents/clear/"
            } else {
                ""
            };
            assert_eq!(entry(url, page), secret, "{url}");
        }
        assert_eq!(
            entry("/incidents/secret-plan.pdf", ""),
            Some((Kind::Incident, "secret-plan".to_string(), true))
        );
        for url in [
            "/incidents/",
            "/incidents/page/2/",
            "https://other.org/incidents/secret-plan/",
            "mailto:x@example.org",
            "#incidents",
            "/tags/secret-plan/",
        ] {
            assert_eq!(entry(url, ""), None, "{url}");
        }
    }

    #[test]
    fn withheld_and_missing_entries_are_dropped_published_kept() {
        let state = |s: &str| match s {
            "open" => Some((Kind::Incident, true)),
            "secret" => Some((Kind::Incident, false)),
            _ => None,
        };
        let judged = |url: &str| {
            let e = entry_of_url(url, "", "/").expect("entry");
            match judge(url, &e, state, |_| vec!["open"]) {
                Verdict::Keep => None,
                Verdict::Drop(d) => Some(d.code),
            }
        };
        assert_eq!(judged("/incidents/open/"), None);
        assert_eq!(judged("/incidents/x.pdf"), None);
        assert_eq!(judged("/incidents/secret/"), Some(Code::WithheldRef));
        assert_eq!(judged("/incidents/secret.pdf"), Some(Code::WithheldRef));
        assert_eq!(judged("/incidents/nope/"), Some(Code::BrokenLink));
        assert_eq!(judged("/groups/open/"), Some(Code::BrokenLink));
    }
}
