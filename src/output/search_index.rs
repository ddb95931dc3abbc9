//! `search-index.json`: what the search page matches, for every published entity.
//!
//! Built from the linked site only, so withheld entities cannot appear.

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
    s: Option<&'a str>,
    /// Short name and aliases.
    a: Vec<&'a str>,
    /// Tags.
    g: &'a [String],
    /// Date (ISO).
    d: Option<String>,
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
            s: e.common.summary.as_deref(),
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
        })
        .collect();
    serde_json::to_writer(w, &entries).map_err(io::Error::other)
}
