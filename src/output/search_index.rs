//! `search-index.json`: what the search page matches, for every published entity.
//!
//! Built from the linked site only, so withheld entities cannot appear.

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;

use super::streamed::OutputContext;
use crate::model::{Data, PartialDate};

/// One entry of `search-index.json`.
#[derive(Serialize)]
struct SearchEntry<'a> {
    /// Title.
    t: &'a str,
    /// URL.
    u: String,
    /// Kind.
    k: &'static str,
    /// Summary.
    s: Option<Cow<'a, str>>,
    /// Short name and aliases.
    a: Vec<&'a str>,
    /// Tags.
    g: &'a [String],
    /// Date (ISO).
    d: Option<String>,
    /// A statement assessed false or fabricated: falsely attributed to its speaker, whom
    /// the summary names as such (issue 12). Left out when false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    f: bool,
}

/// `search-index.json`: titles, summaries, aliases and tags of published entities,
/// streamed to `w`.
pub fn write_search_index(r: &OutputContext<'_>, w: &mut dyn Write) -> io::Result<()> {
    let entries: Vec<SearchEntry> = r
        .site
        .entities
        .iter()
        .map(|e| SearchEntry {
            t: &e.common.title,
            u: r.url(&r.routes.entity(e.id)),
            k: e.kind.as_str(),
            s: flagged_summary(r, e)
                .map(Cow::Owned)
                .or_else(|| e.common.summary.as_deref().map(Cow::Borrowed)),
            a: match &e.data {
                Data::Group(g) => g
                    .short_name
                    .iter()
                    .chain(&g.aliases)
                    .map(String::as_str)
                    .collect(),
                _ => Vec::new(),
            },
            g: &e.common.tags,
            d: e.date().map(PartialDate::iso),
            f: matches!(&e.data, Data::Statement(s) if s.falsely_attributed()),
        })
        .collect();
    serde_json::to_writer(w, &entries).map_err(io::Error::other)
}

/// The summary of a statement falsely attributed to its speaker, saying so first.
fn flagged_summary(r: &OutputContext<'_>, e: &crate::link::Entity) -> Option<String> {
    let Data::Statement(s) = &e.data else {
        return None;
    };
    if !s.falsely_attributed() {
        return None;
    }
    let label = s
        .verification
        .as_ref()
        .map_or("False", |v| v.status.label());
    let whom = s
        .speaker
        .map_or("its speaker", |p| r.site.get(p).common.title.as_str());
    Some(match &e.common.summary {
        Some(sum) => format!("{label}: falsely attributed to {whom}. {sum}"),
        None => format!("{label}: falsely attributed to {whom}."),
    })
}
