//! Machine-readable outputs: the Atom feed, the sitemap and the search index.
//!
//! Each is built from the linked site only, so withheld entities cannot appear. Dates come
//! from the content, never from the clock, so output stays byte-identical between builds.

use std::io::{self, Write};

use atom_syndication::{Category, Entry, Feed, FixedDateTime, Link, Person, Text};
use serde::Serialize;

use super::streamed::OutputContext;
use crate::link::Site;
use crate::model::{Data, EntityId, Kind, PartialDate};
use crate::routes;

fn fixed(d: &PartialDate) -> Option<FixedDateTime> {
    FixedDateTime::parse_from_rfc3339(&d.rfc3339()).ok()
}

fn epoch() -> FixedDateTime {
    FixedDateTime::parse_from_rfc3339("1970-01-01T00:00:00Z").unwrap_or_default()
}

/// Latest incidents and statements, newest first, at most `limit`.
fn latest(site: &Site, limit: usize) -> Vec<EntityId> {
    let mut ids: Vec<EntityId> = site.listings[&Kind::Incident]
        .iter()
        .take(limit)
        .chain(site.listings[&Kind::Statement].iter().take(limit))
        .copied()
        .collect();
    ids.sort_by(|a, b| {
        let (ea, eb) = (site.get(*a), site.get(*b));
        (eb.date(), eb.slug.as_str()).cmp(&(ea.date(), ea.slug.as_str()))
    });
    ids.truncate(limit);
    ids
}

/// `atom.xml`, written to `w`.
pub fn write_atom(r: &OutputContext<'_>, w: &mut dyn Write) -> io::Result<()> {
    w.write_all(atom(r).as_bytes())
}

fn atom(r: &OutputContext<'_>) -> String {
    let site = r.site;
    let mut entries = Vec::new();
    let mut newest: Option<FixedDateTime> = None;
    for id in latest(site, r.plan.config.build.feed_limit) {
        let e = site.get(id);
        let url = r.url(&r.routes.entity(id));
        let updated = e
            .common
            .updated
            .as_ref()
            .or(e.date())
            .and_then(fixed)
            .unwrap_or_else(epoch);
        newest = Some(newest.map_or(updated, |n| n.max(updated)));
        let mut entry = Entry::default();
        let label = match &e.data {
            Data::Statement(s) => format!("{}: ", s.stance.label()),
            _ => String::new(),
        };
        entry.set_title(Text::plain(format!("{label}{}", e.common.title)));
        entry.set_id(url.clone());
        entry.set_updated(updated);
        entry.set_published(e.date().and_then(fixed));
        entry.set_links(vec![Link {
            href: url,
            rel: "alternate".into(),
            mime_type: Some("text/html".into()),
            ..Default::default()
        }]);
        if let Some(s) = &e.common.summary {
            entry.set_summary(Some(Text::plain(s.clone())));
        }
        entry.set_categories(
            e.common
                .tags
                .iter()
                .map(|t| Category {
                    term: t.clone(),
                    ..Default::default()
                })
                .collect::<Vec<_>>(),
        );
        entries.push(entry);
    }
    let mut feed = Feed::default();
    feed.set_title(Text::plain(r.plan.config.title.clone()));
    feed.set_id(r.url(""));
    feed.set_updated(newest.unwrap_or_else(epoch));
    feed.set_authors(vec![Person {
        name: r.plan.config.title.clone(),
        ..Default::default()
    }]);
    if !r.plan.config.description.is_empty() {
        feed.set_subtitle(Some(Text::plain(r.plan.config.description.clone())));
    }
    feed.set_links(vec![
        Link {
            href: r.url(routes::ATOM),
            rel: "self".into(),
            mime_type: Some("application/atom+xml".into()),
            ..Default::default()
        },
        Link {
            href: r.url(""),
            rel: "alternate".into(),
            mime_type: Some("text/html".into()),
            ..Default::default()
        },
    ]);
    feed.set_entries(entries);
    feed.to_string()
}

/// `sitemap.xml`: every published page (entity pages, listings, taxonomy pages), streamed
/// to `w`.
pub fn write_sitemap(r: &OutputContext<'_>, w: &mut dyn Write) -> io::Result<()> {
    w.write_all(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    )?;
    // The last modification of an entity page, found through the slug index rather than
    // a map of every page (which a big site would have to hold in memory).
    let lastmod = |dir: &str| {
        let e = r.site.get(r.routes.entity_at(dir)?);
        e.common.updated.as_ref().or(e.date()).map(|d| d.rfc3339())
    };
    for file in r.pages {
        if file == routes::NOT_FOUND {
            continue;
        }
        let dir = routes::path_of_file(file);
        w.write_all(b"  <url><loc>")?;
        w.write_all(crate::markdown::escape_attr(&r.url(dir)).as_bytes())?;
        w.write_all(b"</loc>")?;
        if let Some(d) = lastmod(dir) {
            w.write_all(b"<lastmod>")?;
            w.write_all(d.as_bytes())?;
            w.write_all(b"</lastmod>")?;
        }
        w.write_all(b"</url>\n")?;
    }
    w.write_all(b"</urlset>\n")?;
    w.flush()
}

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
