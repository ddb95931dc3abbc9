//! Which pages and outputs of a rebuild can have changed: the last good build's
//! [`Snapshot`] against the new one.
//!
//! The comparison is of what the render stage reads, never of what changed on disk, so it
//! holds whatever sequence of edits (and failed builds) led here:
//!
//! - settings (`briefing.toml`, overrides, base URL) or templates differ, or the set of
//!   published entities (kind and slug, in id order) or of withheld slugs differs: every
//!   page and output. A withheld-by-edit entity (TLP raised, draft, embargo, slug changed)
//!   therefore disappears from every page at once, and ids mean the same entity in both
//!   builds otherwise;
//! - an entity whose fields or derived links differ is *changed*; one whose body (file
//!   fingerprint, body offset, wikilinks) differs has a *new body*;
//! - an entity's page shows its own fields and body, links to and cards of the entities it
//!   references, its backlinks and its wikilink targets, and a card shows the entity and the
//!   entities it references: the page is rendered again when its body is new or any of those
//!   changed;
//! - a listing (a kind's section, a tag, a country, a timeline year) is rendered again,
//!   every page of it, when its entities (or their order) differ or a card on it changed;
//!   every year of the timeline when one year's entities differ (each lists all years);
//! - the home page, the overviews (timeline, tags, countries), search, 404 and the other
//!   outputs (feeds, sitemap, search index, exports) whenever anything but bodies changed;
//!   the feeds also after a body changed when they carry whole bodies.
//!
//! A new reference field must be listed by [`crate::model::Data::references`] (backlinks
//! need that too), or pages showing it would not be rendered again.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Debug;

use crate::link::{Backlinks, Entity, Site};
use crate::model::{CountryCode, EntityId, Kind, Slug};
use crate::routes::{Page, Routes};

/// A hash of a value's `Debug` form: every field, nested, in a stable order.
pub(super) fn hash_debug(value: &impl Debug) -> u64 {
    use std::io::Write;
    struct Hashing(xxhash_rust::xxh3::Xxh3);
    impl Write for Hashing {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.update(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut h = Hashing(xxhash_rust::xxh3::Xxh3::new());
    let _ = write!(h, "{value:?}");
    h.0.digest()
}

/// A listing: the pages of one list of entities.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Listing {
    /// A kind's section.
    Section(Kind),
    /// A tag, by slug.
    Tag(String),
    /// A country, by code.
    Country(CountryCode),
    /// A year of the timeline.
    Year(i16),
}

impl Listing {
    /// The listing a page belongs to (`None`: an entity page or a single page).
    fn of(page: &Page) -> Option<Listing> {
        match page {
            Page::Section(kind, _) => Some(Listing::Section(*kind)),
            Page::Tag(t, _) => Some(Listing::Tag(t.clone())),
            Page::Country(c, _) => Some(Listing::Country(*c)),
            Page::TimelineYear(y, _) => Some(Listing::Year(*y)),
            _ => None,
        }
    }
}

/// Every listing of a site with its entities, in page order where the link stage or the
/// routes fix it (a tag's or a country's page order follows from its entities' fields).
fn listings<'s>(site: &'s Site, routes: &'s Routes<'_>) -> Vec<(Listing, &'s [EntityId], &'s str)> {
    let mut out = Vec::new();
    for (kind, ids) in &site.listings {
        out.push((Listing::Section(*kind), ids.as_slice(), ""));
    }
    for (slug, tag) in &site.tags {
        out.push((
            Listing::Tag(slug.clone()),
            tag.entities.as_slice(),
            tag.name.as_str(),
        ));
    }
    for (code, ids) in &site.countries {
        out.push((Listing::Country(*code), ids.as_slice(), ""));
    }
    for (year, ids) in routes.timeline_years() {
        out.push((Listing::Year(*year), ids.as_slice(), ""));
    }
    out
}

/// The digest of what an entity's body depends on: its file's fingerprint, where the body
/// starts, and its wikilinks.
pub(super) fn body_digest(e: &Entity) -> u64 {
    hash_debug(&(e.fingerprint, e.body_offset, &e.wikilinks))
}

/// What a build's render stage read, in digests: enough to tell what the next build must
/// render again.
#[derive(Debug, Default)]
pub(super) struct Snapshot {
    /// Settings and templates.
    settings: u64,
    /// Kind and slug of every published entity, by id.
    identity: Vec<(Kind, Slug)>,
    /// Slugs withheld.
    withheld: HashSet<Slug>,
    /// Fields (what links and cards show), by id.
    fields: Vec<u64>,
    /// Derived links (what the entity's own page shows), by id.
    links: Vec<u64>,
    /// Body: file fingerprint, offset and wikilinks, by id.
    bodies: Vec<u64>,
    /// Entities of each listing, in order, with its name.
    listings: BTreeMap<Listing, u64>,
    /// The home page's introduction.
    intro: u64,
}

impl Snapshot {
    /// The snapshot of `site` with `routes`; `settings` stands for the plan and templates.
    pub(super) fn of(site: &Site, routes: &Routes<'_>, settings: u64) -> Snapshot {
        use rayon::prelude::*;
        let digests: Vec<[u64; 3]> = site
            .entities
            .par_iter()
            .zip(&site.backlinks)
            .map(|(e, links)| {
                let fields = (e.kind, &e.slug, &e.file, &e.common, &e.data, &e.description);
                [hash_debug(&fields), hash_debug(links), body_digest(e)]
            })
            .collect();
        Snapshot {
            settings,
            identity: site
                .entities
                .iter()
                .map(|e| (e.kind, e.slug.clone()))
                .collect(),
            withheld: site.withheld_slugs.clone(),
            fields: digests.iter().map(|d| d[0]).collect(),
            links: digests.iter().map(|d| d[1]).collect(),
            bodies: digests.iter().map(|d| d[2]).collect(),
            listings: listings(site, routes)
                .into_iter()
                .map(|(key, ids, name)| (key, hash_debug(&(ids, name))))
                .collect(),
            intro: hash_debug(&site.intro),
        }
    }
}

impl Snapshot {
    /// Whether it was taken with these settings.
    pub(super) fn settings(&self) -> u64 {
        self.settings
    }

    /// Record that the body of entity `index` (of the same site) is now `e`'s.
    pub(super) fn set_body(&mut self, index: usize, e: &Entity) {
        if let Some(b) = self.bodies.get_mut(index) {
            *b = body_digest(e);
        }
    }

    /// Record the site's new introduction.
    pub(super) fn set_intro(&mut self, site: &Site) {
        self.intro = hash_debug(&site.intro);
    }
}

/// What a rebuild renders and writes again.
#[derive(Debug)]
pub(super) struct Scope {
    /// Everything.
    pub(super) all: bool,
    /// Entity pages, by id.
    entities: Vec<bool>,
    /// Listings rendered again, every page of them.
    listings: HashSet<Listing>,
    /// The home page, the overviews, search and 404.
    globals: bool,
    /// Feeds, sitemap, search index, exports and theme assets.
    pub(super) others: bool,
    /// Entities changed (fields or derived links).
    pub(super) changed: usize,
    /// Entities with a new body.
    pub(super) new_bodies: usize,
}

impl Scope {
    /// Whether `page` is to be rendered again.
    pub(super) fn wants(&self, page: &Page) -> bool {
        if self.all {
            return true;
        }
        match page {
            Page::Entity(id) => self.entities.get(id.index()).copied().unwrap_or(true),
            _ => match Listing::of(page) {
                Some(l) => self.listings.contains(&l),
                None => self.globals,
            },
        }
    }

    /// Everything (a first build, new settings or templates, a different published set).
    fn everything() -> Scope {
        Scope {
            all: true,
            entities: Vec::new(),
            listings: HashSet::new(),
            globals: true,
            others: true,
            changed: 0,
            new_bodies: 0,
        }
    }
}

/// What must be rendered again to go from the build of `old` to `site` (whose snapshot is
/// `new`, with `routes`).
pub(super) fn scope(
    old: Option<&Snapshot>,
    new: &Snapshot,
    site: &Site,
    routes: &Routes<'_>,
) -> Scope {
    let Some(old) = old else {
        return Scope::everything();
    };
    if old.settings != new.settings || old.identity != new.identity || old.withheld != new.withheld
    {
        return Scope::everything();
    }
    // Same published entities in the same order: an id names the same entity in both.
    let n = new.fields.len();
    let changed: Vec<bool> = (0..n).map(|i| old.fields[i] != new.fields[i]).collect();
    let new_links: Vec<bool> = (0..n).map(|i| old.links[i] != new.links[i]).collect();
    let new_body: Vec<bool> = (0..n).map(|i| old.bodies[i] != new.bodies[i]).collect();
    let any_changed = changed.iter().any(|&c| c);
    let any_links = new_links.iter().any(|&c| c);
    let refs = |id: EntityId| {
        site.get(id)
            .data
            .references()
            .into_iter()
            .map(|(_, &r, _)| r)
    };
    // A card of `k` (or a link to it) on a page shows `k` and what `k` references.
    let shown_changed = |k: EntityId| changed[k.index()] || refs(k).any(|r| changed[r.index()]);
    let entities: Vec<bool> = (0..n)
        .map(|i| {
            if new_body[i] || changed[i] || new_links[i] {
                return true;
            }
            if !any_changed {
                return false;
            }
            let id = EntityId(i as u32);
            let e = site.get(id);
            let wikilinked = e
                .wikilinks
                .iter()
                .filter_map(|w| site.by_slug.get(w.target.as_str()).copied());
            // A group's graph shows its neighbours and theirs (two hops).
            let neighbours = site.links(id).relations.iter().map(|r| r.other);
            let second = neighbours.clone().any(|k| {
                new_links[k.index()]
                    || (site.links(k).relations.iter()).any(|r| changed[r.other.index()])
            });
            second
                || refs(id)
                    .chain(backlinked(site.links(id)))
                    .chain(wikilinked)
                    .any(shown_changed)
        })
        .collect();
    let mut listings_changed = old.listings.len() != new.listings.len();
    let mut years_changed = false;
    let mut dirty = HashSet::new();
    let all = listings(site, routes);
    for (key, ids, _) in &all {
        let same = old.listings.get(key) == new.listings.get(key);
        listings_changed |= !same;
        years_changed |= !same && matches!(key, Listing::Year(_));
        if !same || (any_changed && ids.iter().any(|&k| shown_changed(k))) {
            dirty.insert(key.clone());
        }
    }
    // Every year's page lists all years with their counts.
    years_changed |= old
        .listings
        .keys()
        .filter(|k| matches!(k, Listing::Year(_)))
        .count()
        != routes.timeline_years().len();
    if years_changed {
        let years = all.iter().map(|(k, _, _)| k);
        dirty.extend(years.filter(|k| matches!(k, Listing::Year(_))).cloned());
    }
    // Exports and feeds carry derived links too.
    let globals = any_changed || any_links || listings_changed || old.intro != new.intro;
    let new_bodies = new_body.iter().filter(|&&b| b).count();
    Scope {
        all: false,
        entities,
        listings: dirty,
        globals,
        // The search index holds every body's words.
        others: globals || new_bodies > 0,
        changed: (0..n).filter(|&i| changed[i] || new_links[i]).count(),
        new_bodies,
    }
}

/// Every entity a page's backlinks name (every field: a new one must be added here).
fn backlinked(b: &Backlinks) -> impl Iterator<Item = EntityId> + '_ {
    let Backlinks {
        statements,
        incidents,
        statements_by,
        statements_about,
        children,
        affiliated,
        mentioned_in,
        falsely_attributed,
        claimed_by,
        stance_lines,
        sources,
        related,
        relations,
    } = b;
    let lists = [
        statements,
        incidents,
        statements_by,
        statements_about,
        children,
        affiliated,
        mentioned_in,
        falsely_attributed,
        claimed_by,
        related,
    ]
    .into_iter()
    .flatten()
    .copied();
    let lines = stance_lines
        .iter()
        .flat_map(|l| l.targets.iter().chain(&l.speakers).copied());
    lists
        .chain(lines)
        .chain(relations.iter().map(|r| r.other))
        .chain(sources.iter().map(|s| s.owner))
}
