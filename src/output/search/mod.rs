//! The full-text search index: sharded files under `search-index/` that `search.js` fetches
//! as a reader types, so a search works on any static host, with no server, and downloads
//! only the parts it needs (issue 15).
//!
//! Takes the linked site and the renderer (for the bodies as the reader sees them); gives
//! these files, all under [`routes::SEARCH_INDEX`]:
//!
//! - `manifest.json`: the number of documents, of shards and of documents per chunk; the
//!   range of document numbers of each kind (documents are numbered kind by kind, each in
//!   its listing order, so a kind filter is a range); the countries with a filter file.
//! - `shards/N.json`: the words whose first three characters hash to shard N, each with
//!   three lists of documents (see [`postings`]): where it is in the title or an alias,
//!   else in the summary, tags, place, quote or speaker, else in the body only.
//! - `docs/N.json`: what a result shows (title, URL, kind, date, summary, stance,
//!   verification, speaker), for documents `N * chunk` to `(N + 1) * chunk - 1`.
//! - `names.json`: each group's number, title, short name and aliases: the group filter's
//!   choices, and the dictionary `search.js` searches with one typo allowed.
//! - `country/XX.txt`, `group/N.txt`: the documents of a country (as its country page
//!   lists them) and of a group (itself, its incidents, statements by and about it,
//!   its sub-groups), for the filters.
//!
//! Why our own index rather than Pagefind: see `docs/search.md`.
//!
//! Invariants: built from the linked site only, so withheld entities are in no file; a
//! body's words are those of its rendered HTML, so a link to a withheld page indexes what
//! the page shows (the link's text, or nothing), never its slug; a fabricated or false
//! statement carries its speaker as `fa` (falsely attributed to), never as `by`; every
//! file is byte-identical between builds (sorted maps, no clock).

use std::io::{self, Write};
use std::sync::Arc;

use serde::Serialize;

use super::export::Writer;
use super::streamed::OutputContext;
use crate::diag::Diagnostics;
use crate::link::Entity;
use crate::model::country::country_name;
use crate::model::{Data, EntityId, Kind, VerificationStatus};
use crate::render::Renderer;
use crate::routes;

mod index;
mod live;
pub mod postings;
mod update;

use index::{Index, Texts};
pub use update::{Kept, Update, update_bodies, update_docs};

/// Documents per `docs/N.json` file: small, because the first results are spread over the
/// whole site and each costs its chunk.
pub const DOCS_PER_CHUNK: usize = 16;

/// The order of kinds in the numbering, and so in the results: the named things a reader
/// looks for first.
pub const KIND_ORDER: [Kind; 5] = [
    Kind::Group,
    Kind::Actor,
    Kind::Incident,
    Kind::Statement,
    Kind::Page,
];

/// What a result shows of one document.
#[derive(Serialize)]
struct DocRecord<'a> {
    /// Title.
    t: &'a str,
    /// Path from the site's base URL.
    u: String,
    /// Kind.
    k: &'static str,
    /// Date at its own precision: ISO (`2024-03`) and as pages show it (`March 2024`).
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<[String; 2]>,
    /// Summary, cut at a word near 200 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    s: Option<String>,
    /// Short name and aliases.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    a: Vec<&'a str>,
    /// Place.
    #[serde(skip_serializing_if = "Option::is_none")]
    p: Option<String>,
    /// Stance, as a label, and its key.
    #[serde(skip_serializing_if = "Option::is_none")]
    st: Option<[&'static str; 2]>,
    /// Verification, as a label, and its key.
    #[serde(skip_serializing_if = "Option::is_none")]
    v: Option<[&'static str; 2]>,
    /// Speaker of a statement presented as theirs.
    #[serde(skip_serializing_if = "Option::is_none")]
    by: Option<&'a str>,
    /// Speaker a fabricated or false statement is falsely attributed to.
    #[serde(skip_serializing_if = "Option::is_none")]
    fa: Option<&'a str>,
}

/// One kind's range of document numbers.
#[derive(Serialize)]
struct KindRange {
    k: &'static str,
    label: &'static str,
    from: u32,
    to: u32,
}

/// A country with a filter file.
#[derive(Serialize)]
struct CountryEntry<'a> {
    c: &'a str,
    name: &'a str,
    n: usize,
}

#[derive(Serialize)]
struct Manifest<'a> {
    v: u32,
    n: u32,
    chunk: usize,
    shards: u32,
    key: usize,
    kinds: Vec<KindRange>,
    countries: Vec<CountryEntry<'a>>,
}

/// Every file of the search index of the build of `ctx`, with its writer. The index is
/// built here, once, on all cores; the writers only serialise it.
pub fn outputs<'a>(
    ctx: &OutputContext<'a>,
    renderer: &'a Renderer<'a>,
    diags: &'a Diagnostics,
) -> Vec<(String, Writer<'a>)> {
    outputs_with(ctx, renderer, diags, false).0
}

/// Document number -> entity, kind by kind in listing order; and each kind's range.
fn numbering(site: &crate::link::Site) -> (Vec<EntityId>, Vec<KindRange>) {
    let mut order: Vec<EntityId> = Vec::with_capacity(site.entities.len());
    let mut kinds = Vec::new();
    for kind in KIND_ORDER {
        let from = order.len() as u32;
        match site.listings.get(&kind) {
            Some(ids) => order.extend(ids),
            None => order.extend(
                site.entities
                    .iter()
                    .filter(|e| e.kind == kind)
                    .map(|e| e.id),
            ),
        }
        let to = order.len() as u32;
        if to > from {
            kinds.push(KindRange {
                k: kind.as_str(),
                label: kind.plural_label(),
                from,
                to,
            });
        }
    }
    (order, kinds)
}

/// Entity index -> document number, for the numbering `order`.
fn numbers_of(site: &crate::link::Site, order: &[EntityId]) -> Vec<u32> {
    let mut number = vec![0u32; site.entities.len()];
    for (n, id) in order.iter().enumerate() {
        number[id.index()] = n as u32;
    }
    number
}

/// `manifest.json` of an index of `shards` shards.
fn manifest<'a>(ctx: &OutputContext<'_>, kinds: Vec<KindRange>, n: u32, shards: u32) -> Writer<'a> {
    let countries: Vec<CountryEntry> = ctx
        .site
        .countries
        .iter()
        .map(|(c, ids)| CountryEntry {
            c: c.as_str(),
            name: c.name(),
            n: ids.len(),
        })
        .collect();
    let manifest = Manifest {
        v: 1,
        n,
        chunk: DOCS_PER_CHUNK,
        shards,
        key: postings::SHARD_KEY_CHARS,
        kinds,
        countries,
    };
    bytes_file(serde_json::to_vec(&manifest).map_err(io::Error::other))
}

fn shard_file<'a>(index: &Arc<Index>, shard: u32) -> (String, Writer<'a>) {
    let index = Arc::clone(index);
    (
        format!("{}shards/{shard}.json", routes::SEARCH_INDEX),
        Box::new(move |w: &mut dyn Write| index.write_shard(shard, w)),
    )
}

/// [`outputs`], and the index, kept for updates in place if `live`.
pub fn outputs_with<'a>(
    ctx: &OutputContext<'a>,
    renderer: &'a Renderer<'a>,
    diags: &'a Diagnostics,
    live: bool,
) -> (Vec<(String, Writer<'a>)>, Kept) {
    let ctx = *ctx;
    let site = ctx.site;
    let (order, kinds) = numbering(site);
    let number = numbers_of(site, &order);
    let n = order.len() as u32;
    let index = Arc::new(Index::build(
        &order,
        |id| fields(ctx, renderer, diags, id),
        live,
    ));
    let mut out = side_files(&ctx, &order, &number);
    let shards = index.shards();
    for shard in 0..shards {
        out.push(shard_file(&index, shard));
    }
    out.push((
        routes::SEARCH_MANIFEST.to_string(),
        manifest(&ctx, kinds, n, shards),
    ));
    let urls = order.iter().map(|&id| ctx.routes.entity(id)).collect();
    (
        out,
        Kept {
            index,
            number,
            urls,
        },
    )
}

/// Every file of the index but the shards and the manifest: the filters, the group
/// names and the documents' records. `number`: entity index -> document number.
fn side_files<'a>(
    ctx: &OutputContext<'a>,
    order: &[EntityId],
    number: &[u32],
) -> Vec<(String, Writer<'a>)> {
    let ctx = *ctx;
    let site = ctx.site;
    let n = order.len() as u32;
    let numbers = |ids: &mut dyn Iterator<Item = &EntityId>| {
        let mut v: Vec<u32> = ids.map(|id| number[id.index()]).collect();
        v.sort_unstable();
        v.dedup();
        v
    };

    let dir = routes::SEARCH_INDEX;
    let mut out: Vec<(String, Writer<'a>)> = Vec::new();
    for (c, ids) in &site.countries {
        let list = postings::encode(&numbers(&mut ids.iter()), n);
        out.push((format!("{dir}country/{c}.txt"), text_file(list)));
    }
    let mut names: Vec<Vec<&str>> = Vec::new();
    let mut groups: Vec<(u32, &Entity)> = Vec::new();
    for e in site.entities.iter().filter(|e| e.kind == Kind::Group) {
        let l = site.links(e.id);
        let me = [e.id];
        let related = me
            .iter()
            .chain(&l.incidents)
            .chain(&l.statements_by)
            .chain(&l.statements_about)
            .chain(&l.children);
        let list = postings::encode(&numbers(&mut related.into_iter()), n);
        out.push((
            format!("{dir}group/{}.txt", number[e.id.index()]),
            text_file(list),
        ));
        groups.push((number[e.id.index()], e));
    }
    groups.sort_by_key(|(n, _)| *n);
    let numbers_text: Vec<String> = groups.iter().map(|(n, _)| n.to_string()).collect();
    for ((_, e), num) in groups.iter().zip(&numbers_text) {
        let mut row = vec![num.as_str(), e.common.title.as_str()];
        if let Data::Group(g) = &e.data {
            row.extend(g.short_name.iter().chain(&g.aliases).map(String::as_str));
        }
        names.push(row);
    }
    let names = serde_json::to_vec(&names).map_err(io::Error::other);
    out.push((format!("{dir}names.json"), bytes_file(names)));

    for (chunk, ids) in order.chunks(DOCS_PER_CHUNK).enumerate() {
        let ids = ids.to_vec();
        out.push((
            format!("{dir}docs/{chunk}.json"),
            Box::new(move |w: &mut dyn Write| {
                let docs: Vec<DocRecord> = ids.iter().map(|&id| record(&ctx, id)).collect();
                serde_json::to_writer(w, &docs).map_err(io::Error::other)
            }),
        ));
    }
    out
}

fn text_file<'a>(text: String) -> Writer<'a> {
    Box::new(move |w: &mut dyn Write| w.write_all(text.as_bytes()))
}

fn bytes_file<'a>(bytes: io::Result<Vec<u8>>) -> Writer<'a> {
    Box::new(move |w: &mut dyn Write| match &bytes {
        Ok(b) => w.write_all(b),
        Err(e) => Err(io::Error::other(e.to_string())),
    })
}

/// The speaker of a statement and whether it is falsely attributed to them.
fn speaker<'s>(ctx: &OutputContext<'s>, e: &Entity) -> Option<(&'s str, bool)> {
    let Data::Statement(s) = &e.data else {
        return None;
    };
    let name = ctx.site.get(s.speaker?).common.title.as_str();
    let false_ = matches!(
        s.verification.as_ref().map(|v| v.status),
        Some(VerificationStatus::Fabricated | VerificationStatus::False)
    );
    Some((name, false_))
}

/// The place of an incident, or an actor's country: `City, Country`.
fn place(e: &Entity) -> Option<String> {
    let (city, code) = match &e.data {
        Data::Incident(i) => {
            let l = i.location.as_ref()?;
            (
                l.city.as_deref().or(l.place.as_deref()),
                l.country.map(|c| c.as_str()),
            )
        }
        Data::Actor(a) => (None, a.country.map(|c| c.as_str())),
        _ => return None,
    };
    let country = code.map(|c| country_name(c).unwrap_or(c));
    match (city, country) {
        (Some(a), Some(b)) => Some(format!("{a}, {b}")),
        (a, b) => a.or(b).map(str::to_string),
    }
}

/// `s` cut at a word boundary near `max` characters, with an ellipsis.
fn cut(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((i, _)) => {
            let head = &s[..i];
            let head = head.rfind(' ').map_or(head, |j| &head[..j]);
            format!(
                "{}\u{2026}",
                head.trim_end_matches([',', ';', ':', '.', ' '])
            )
        }
    }
}

fn record<'s>(ctx: &OutputContext<'s>, id: EntityId) -> DocRecord<'s> {
    let e = ctx.site.get(id);
    let (st, v) = match &e.data {
        Data::Statement(s) => (
            Some([s.stance.label(), s.stance.as_str()]),
            s.verification
                .as_ref()
                .map(|v| [v.status.label(), v.status.as_str()]),
        ),
        _ => (None, None),
    };
    let (by, fa) = match speaker(ctx, e) {
        Some((name, true)) => (None, Some(name)),
        Some((name, false)) => (Some(name), None),
        None => (None, None),
    };
    DocRecord {
        t: &e.common.title,
        u: ctx.routes.entity(id),
        k: e.kind.as_str(),
        d: e.date().map(|d| [d.iso(), d.to_string()]),
        s: e.common.summary.as_deref().map(|s| cut(s, 200)),
        a: match &e.data {
            Data::Group(g) => g
                .short_name
                .iter()
                .chain(&g.aliases)
                .map(String::as_str)
                .collect(),
            _ => Vec::new(),
        },
        p: place(e),
        st,
        v,
        by,
        fa,
    }
}

/// The text of one document, by weight: title and aliases; summary, tags, place, quote
/// and speaker; the words of its body.
fn fields<'r>(
    ctx: OutputContext<'_>,
    renderer: &'r Renderer<'_>,
    diags: &Diagnostics,
    id: EntityId,
) -> Texts<'r> {
    let e = ctx.site.get(id);
    let mut title = e.common.title.clone();
    if let Data::Group(g) = &e.data {
        for a in g.short_name.iter().chain(&g.aliases) {
            title.push('\n');
            title.push_str(a);
        }
    }
    let mut meta = e.common.summary.clone().unwrap_or_default();
    for t in &e.common.tags {
        meta.push('\n');
        meta.push_str(t);
    }
    if let Some(p) = place(e) {
        meta.push('\n');
        meta.push_str(&p);
    }
    if let Data::Statement(s) = &e.data {
        if let Some(q) = &s.quote {
            meta.push('\n');
            meta.push_str(q);
        }
        if let Some((name, _)) = speaker(&ctx, e) {
            meta.push('\n');
            meta.push_str(name);
        }
    }
    Texts {
        title,
        meta,
        body: renderer.index_words(id, diags),
    }
}
