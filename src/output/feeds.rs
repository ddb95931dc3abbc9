//! Machine-readable outputs: the Atom feed, the sitemap and the search index.
//!
//! Each is built from the linked site only, so withheld entities cannot appear. Dates come
//! from the content, never from the clock, so output stays byte-identical between builds.

use std::io::{self, Write};

use atom_syndication::{Category, Entry, Feed, FixedDateTime, Link, Person, Text};
use serde::Serialize;

use crate::link::Site;
use crate::model::{Data, EntityId, Kind, PartialDate};
use crate::render::Renderer;

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

/// `atom.xml`.
pub fn atom(r: &Renderer) -> String {
    let site = r.site;
    let mut entries = Vec::new();
    let mut newest: Option<FixedDateTime> = None;
    for id in latest(site, r.config.build.feed_limit) {
        let e = site.get(id);
        let url = r.url(&e.path());
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
    feed.set_title(Text::plain(r.config.title.clone()));
    feed.set_id(r.url(""));
    feed.set_updated(newest.unwrap_or_else(epoch));
    feed.set_authors(vec![Person {
        name: r.config.title.clone(),
        ..Default::default()
    }]);
    if !r.config.description.is_empty() {
        feed.set_subtitle(Some(Text::plain(r.config.description.clone())));
    }
    feed.set_links(vec![
        Link {
            href: r.url("atom.xml"),
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

/// `sitemap.xml`: every published page (entity pages, listings, taxonomy pages).
pub fn sitemap(r: &Renderer, page_paths: &[String]) -> String {
    let mut out = Vec::new();
    let _ = write_sitemap(r, page_paths, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// `sitemap.xml`, streamed to `w`.
pub fn write_sitemap(r: &Renderer, page_paths: &[String], mut w: impl Write) -> io::Result<()> {
    w.write_all(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    )?;
    // The last modification of an entity page, found through the slug index rather than
    // a map of every page (which a big site would have to hold in memory).
    let lastmod = |dir: &str| {
        let (kind, rest) = dir.split_once('/')?;
        let id = *r.site.by_slug.get(rest.strip_suffix('/')?)?;
        let e = r.site.get(id);
        (e.kind.dir() == kind && e.path() == dir)
            .then(|| e.common.updated.as_ref().or(e.date()))
            .flatten()
            .map(|d| d.rfc3339())
    };
    for path in page_paths {
        if path == "404.html" {
            continue;
        }
        let dir = path.strip_suffix("index.html").unwrap_or(path);
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

/// `search-index.json`: titles, summaries, aliases and tags of published entities.
pub fn search_index(r: &Renderer) -> String {
    let mut out = Vec::new();
    match write_search_index(r, &mut out) {
        Ok(()) => String::from_utf8(out).unwrap_or_else(|_| "[]".into()),
        Err(_) => "[]".into(),
    }
}

/// `search-index.json`, streamed to `w`.
pub fn write_search_index(r: &Renderer, w: impl Write) -> io::Result<()> {
    let entries: Vec<SearchEntry> = r
        .site
        .entities
        .iter()
        .map(|e| SearchEntry {
            t: &e.common.title,
            u: r.url(&e.path()),
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
