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
//! - a listing (a kind's section, a tag, a country, a timeline year) is compared page by
//!   page, in page order: every page of it when its length or name differs (each page
//!   shows the totals), otherwise the pages whose entities (or their order) differ or that
//!   hold a card that changed; a country's first page also when one of its entities
//!   changed (it maps and charts them all); every year of the timeline when one year's
//!   entities or their dates differ (each lists all years and months with their counts);
//! - the single pages by what each shows: the home page (introduction, counts, the latest
//!   cards, the chart of incidents by month), the timeline overview (with the years), the
//!   lists of tags and of countries (names and counts), the map (incidents), the graph of
//!   groups (groups and actors); search and 404 show the settings only;
//! - the other outputs (feeds, sitemap, search index, exports) are looked at whenever
//!   anything but bodies changed, or a body changed; which of them are made again is
//!   [`super::outputs`]'s to say.
//!
//! A new reference field must be listed by [`crate::model::Data::references`] (backlinks
//! need that too), or pages showing it would not be rendered again.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Debug;

use rayon::prelude::*;

use super::outputs::Clean;
use crate::link::{Backlinks, Entity, Site};
use crate::model::{CountryCode, EntityId, Kind, Slug};
use crate::render::{HOME_LATEST, taxonomy_order};
use crate::routes::{Page, Routes, TIMELINE_PER_PAGE};

/// A hash of a value's `Debug` form: every field, nested, in a stable order. The form is
/// written into a buffer of the thread's and hashed at once (`Debug` writes many pieces of
/// a few bytes each, and hashing them one by one cost more than the writing).
pub(super) fn hash_debug(value: &impl Debug) -> u64 {
    use std::fmt::Write;
    thread_local! {
        static BUFFER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    BUFFER.with(|b| match b.try_borrow_mut() {
        Ok(mut text) => {
            text.clear();
            let _ = write!(text, "{value:?}");
            let digest = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
            // A value with a very long form does not keep its memory for the thread.
            if text.capacity() > 1 << 20 {
                *text = String::new();
            }
            digest
        }
        // Only if a `Debug` form hashed a value itself: a buffer of its own.
        Err(_) => xxhash_rust::xxh3::xxh3_64(format!("{value:?}").as_bytes()),
    })
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
    /// The listing a page belongs to, with the page's number (`None`: an entity page or a
    /// single page).
    fn of(page: &Page) -> Option<(Listing, usize)> {
        match page {
            Page::Section(kind, n) => Some((Listing::Section(*kind), *n)),
            Page::Tag(t, n) => Some((Listing::Tag(t.clone()), *n)),
            Page::Country(c, n) => Some((Listing::Country(*c), *n)),
            Page::TimelineYear(y, n) => Some((Listing::Year(*y), *n)),
            _ => None,
        }
    }
}

/// One listing as a snapshot keeps it.
#[derive(Debug)]
pub(super) struct Listed {
    /// Its entities in the link stage's order, with its name.
    pub(super) digest: u64,
    /// Its entities in page order.
    order: Vec<EntityId>,
    /// Its name (a tag's; empty for the others).
    name: String,
}

/// Every listing of a site with its entities in page order and its name; the order of a
/// tag or a country is taken from `old` when its entities and their fields are the same
/// (`same_fields`, by id).
fn listings(
    site: &Site,
    routes: &Routes<'_>,
    old: Option<&Snapshot>,
    same_fields: &[bool],
) -> Vec<(Listing, Listed)> {
    let mut raw: Vec<(Listing, &[EntityId], &str)> = Vec::new();
    for (kind, ids) in &site.listings {
        raw.push((Listing::Section(*kind), ids.as_slice(), ""));
    }
    for (slug, tag) in &site.tags {
        let key = Listing::Tag(slug.clone());
        raw.push((key, tag.entities.as_slice(), tag.name.as_str()));
    }
    for (code, ids) in &site.countries {
        raw.push((Listing::Country(*code), ids.as_slice(), ""));
    }
    for (year, ids) in routes.timeline_years() {
        raw.push((Listing::Year(*year), ids.as_slice(), ""));
    }
    raw.into_par_iter()
        .map(|(key, ids, name)| {
            let digest = hash_debug(&(ids, name));
            let was = old
                .and_then(|o| o.listings.get(&key))
                .filter(|was| was.digest == digest && ids.iter().all(|k| same_fields[k.index()]));
            // Tags and countries are shown in an order of their own (the render stage's).
            let order = match (&key, was) {
                (Listing::Tag(_) | Listing::Country(_), Some(was)) => was.order.clone(),
                (Listing::Tag(_) | Listing::Country(_), None) => taxonomy_order(site, ids),
                _ => ids.to_vec(),
            };
            let name = name.to_string();
            (
                key,
                Listed {
                    digest,
                    order,
                    name,
                },
            )
        })
        .collect()
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
    /// Its file and the fingerprint of its text, by id.
    sources: Vec<u64>,
    /// Slugs withheld.
    withheld: HashSet<Slug>,
    /// Fields (what links and cards show), by id.
    pub(super) fields: Vec<u64>,
    /// Derived links (what the entity's own page shows), by id.
    pub(super) links: Vec<u64>,
    /// Body: file fingerprint, offset and wikilinks, by id.
    bodies: Vec<u64>,
    /// Date and `updated` (time order, the sitemap's dates, charts), by id.
    dates: Vec<u64>,
    /// Every listing.
    pub(super) listings: BTreeMap<Listing, Listed>,
    /// The home page's introduction.
    intro: u64,
}

impl Snapshot {
    /// The snapshot of `site` with `routes`; `settings` stands for the plan and templates.
    /// What `old` (the last good build's) says of the fields and dates of an entity whose
    /// file has the same text is taken from it when the settings, the published entities
    /// and the withheld slugs are the same: they are made from that text, with references
    /// resolved among the same entities.
    pub(super) fn of(
        site: &Site,
        routes: &Routes<'_>,
        settings: u64,
        old: Option<&Snapshot>,
    ) -> Snapshot {
        let identity: Vec<(Kind, Slug)> = (site.entities.iter())
            .map(|e| (e.kind, e.slug.clone()))
            .collect();
        let old = old.filter(|o| {
            o.settings == settings && o.identity == identity && o.withheld == site.withheld_slugs
        });
        let digests: Vec<[u64; 5]> = (site.entities.par_iter().zip(&site.backlinks))
            .map(|(e, links)| {
                let i = e.id.index();
                let source = hash_debug(&(&e.file, e.fingerprint));
                let links = hash_debug(links);
                // Not the body's digest: a body-only rebuild updates it, not `sources`.
                let body = body_digest(e);
                if let Some(o) = old.filter(|o| o.sources[i] == source) {
                    return [source, o.fields[i], links, body, o.dates[i]];
                }
                let fields = (e.kind, &e.slug, &e.file, &e.common, &e.data, &e.description);
                [
                    source,
                    hash_debug(&fields),
                    links,
                    body,
                    hash_debug(&(e.date(), &e.common.updated)),
                ]
            })
            .collect();
        let column = |i: usize| -> Vec<u64> { digests.iter().map(|d| d[i]).collect() };
        let fields = column(1);
        let same_fields: Vec<bool> = match old {
            Some(o) => (o.fields.iter().zip(&fields))
                .map(|(a, b)| a == b)
                .collect(),
            None => vec![false; fields.len()],
        };
        Snapshot {
            settings,
            identity,
            sources: column(0),
            withheld: site.withheld_slugs.clone(),
            fields,
            links: column(2),
            bodies: column(3),
            dates: column(4),
            listings: listings(site, routes, old, &same_fields)
                .into_iter()
                .collect(),
            intro: hash_debug(&site.intro),
        }
    }

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
    /// Pages of listings rendered again, by listing (`None`: every page).
    listings: HashMap<Listing, Option<HashSet<usize>>>,
    /// Single pages rendered again (home, overviews, map, graph).
    singles: Vec<Page>,
    /// Feeds, sitemap, search index, exports and theme assets are looked at.
    pub(super) others: bool,
    /// Which of them are known to be unchanged.
    pub(super) clean: Clean,
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
                Some((l, n)) => match self.listings.get(&l) {
                    Some(Some(pages)) => pages.contains(&n),
                    Some(None) => true,
                    None => false,
                },
                None => self.singles.contains(page),
            },
        }
    }

    /// Everything (a first build, new settings or templates, a different published set).
    fn everything() -> Scope {
        Scope {
            all: true,
            entities: Vec::new(),
            listings: HashMap::new(),
            singles: Vec::new(),
            others: true,
            clean: Clean::default(),
            changed: 0,
            new_bodies: 0,
        }
    }
}

/// Per entity, by id: what differs between two snapshots of the same published set.
pub(super) struct Diff {
    /// Fields.
    pub(super) changed: Vec<bool>,
    /// Derived links.
    pub(super) new_links: Vec<bool>,
    /// Date or `updated`.
    pub(super) new_dates: Vec<bool>,
    /// What a card of it (or a link to it) shows: it or an entity it references changed.
    pub(super) shown: Vec<bool>,
    /// Its page is rendered again.
    pub(super) page: Vec<bool>,
}

/// What must be rendered again to go from the build of `old` to `site` (whose snapshot is
/// `new`, with `routes`); feeds hold at most `feed_limit` entries.
pub(super) fn scope(
    old: Option<&Snapshot>,
    new: &Snapshot,
    site: &Site,
    routes: &Routes<'_>,
    feed_limit: usize,
) -> Scope {
    let Some(old) = old else {
        return Scope::everything();
    };
    if old.settings != new.settings || old.identity != new.identity || old.withheld != new.withheld
    {
        return Scope::everything();
    }
    // Same published entities in the same order: an id names the same entity in both.
    let diff = diff(old, new, site);
    let n = diff.page.len();
    let (listings, sizes_changed) = listing_pages(old, new, routes, &diff);
    let raw_changed = |key: &Listing| {
        old.listings.get(key).map(|l| l.digest) != new.listings.get(key).map(|l| l.digest)
    };
    let keys_of = |s: &Snapshot, f: fn(&Listing) -> bool| -> Vec<Listing> {
        s.listings.keys().filter(|k| f(k)).cloned().collect()
    };
    // A list of listings shows each with its count: changed, come or gone.
    let any_raw = |f: fn(&Listing) -> bool| {
        keys_of(old, f) != keys_of(new, f) || keys_of(new, f).iter().any(raw_changed)
    };
    let of_kind = |kinds: &[Kind], what: &[bool]| {
        (0..n).any(|i| what[i] && kinds.contains(&site.entities[i].kind))
    };
    let any_changed = diff.changed.iter().any(|&c| c);
    let any_links = diff.new_links.iter().any(|&c| c);
    let latest = [Kind::Incident, Kind::Statement].iter().any(|k| {
        let ids = site.listings.get(k).map_or(&[][..], |v| v);
        ids.iter().take(HOME_LATEST).any(|k| diff.shown[k.index()])
    });
    let home = old.intro != new.intro
        || any_raw(|k| matches!(k, Listing::Section(_)))
        || latest
        || of_kind(&[Kind::Incident], &diff.new_dates)
        // The introduction's wikilinks show their targets' titles.
        || (site.intro.is_some() && any_changed);
    let people = [Kind::Group, Kind::Actor];
    let singles = [
        (home, Page::Home),
        (
            listings.keys().any(|k| matches!(k, Listing::Year(_))),
            Page::Timeline,
        ),
        (any_raw(|k| matches!(k, Listing::Tag(_))), Page::Tags),
        (
            any_raw(|k| matches!(k, Listing::Country(_))),
            Page::Countries,
        ),
        (
            raw_changed(&Listing::Section(Kind::Incident))
                || of_kind(&[Kind::Incident], &diff.changed),
            Page::Map,
        ),
        (
            raw_changed(&Listing::Section(Kind::Group))
                || of_kind(&people, &diff.changed)
                || of_kind(&people, &diff.new_links),
            Page::GroupGraph,
        ),
    ]
    .into_iter()
    .filter_map(|(wanted, page)| wanted.then_some(page))
    .collect();
    let new_bodies = (0..n).filter(|&i| old.bodies[i] != new.bodies[i]).count();
    let others = any_changed
        || any_links
        || sizes_changed
        || any_raw(|_| true)
        || old.intro != new.intro
        || new_bodies > 0;
    let clean = super::outputs::clean(old, new, site, routes, &diff, sizes_changed, feed_limit);
    Scope {
        all: false,
        listings,
        singles,
        // The search index holds every body's words.
        others,
        clean,
        changed: (0..n)
            .filter(|&i| diff.changed[i] || diff.new_links[i])
            .count(),
        new_bodies,
        entities: diff.page,
    }
}

/// What differs per entity between `old` and `new` (the snapshot of `site`), which have
/// the same published entities in the same order.
fn diff(old: &Snapshot, new: &Snapshot, site: &Site) -> Diff {
    let n = new.fields.len();
    let differ = |a: &[u64], b: &[u64]| -> Vec<bool> { (0..n).map(|i| a[i] != b[i]).collect() };
    let changed = differ(&old.fields, &new.fields);
    let new_links = differ(&old.links, &new.links);
    let new_body = differ(&old.bodies, &new.bodies);
    let new_dates = differ(&old.dates, &new.dates);
    let any_changed = changed.iter().any(|&c| c);
    let refs = |id: EntityId| {
        site.get(id)
            .data
            .references()
            .into_iter()
            .map(|(_, &r, _)| r)
    };
    // A card of `k` (or a link to it) on a page shows `k` and what `k` references.
    let shown: Vec<bool> = (0..n)
        .into_par_iter()
        .map(|i| {
            changed[i] || (any_changed && refs(EntityId(i as u32)).any(|r| changed[r.index()]))
        })
        .collect();
    let page: Vec<bool> = (0..n)
        .into_par_iter()
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
                    .any(|k| shown[k.index()])
        })
        .collect();
    Diff {
        changed,
        new_links,
        new_dates,
        shown,
        page,
    }
}

/// The pages of each listing to render again (`None`: all of them), and whether the set
/// of listing pages may differ (a listing came, went or changed its length).
fn listing_pages(
    old: &Snapshot,
    new: &Snapshot,
    routes: &Routes<'_>,
    diff: &Diff,
) -> (HashMap<Listing, Option<HashSet<usize>>>, bool) {
    let mut sizes_changed = old.listings.len() != new.listings.len();
    // Every year's page lists all years and months with their counts.
    let years = |s: &Snapshot| -> Vec<Listing> {
        let keys = s.listings.keys();
        keys.filter(|k| matches!(k, Listing::Year(_)))
            .cloned()
            .collect()
    };
    let mut years_changed = years(old) != years(new);
    let mut dirty: HashMap<Listing, Option<HashSet<usize>>> = HashMap::new();
    for (key, l) in &new.listings {
        let year = matches!(key, Listing::Year(_));
        let per = if year {
            TIMELINE_PER_PAGE
        } else {
            routes.paginate_by()
        };
        let Some(was) = (old.listings.get(key))
            .filter(|was| was.order.len() == l.order.len() && was.name == l.name)
        else {
            sizes_changed = true;
            years_changed |= year;
            dirty.insert(key.clone(), None);
            continue;
        };
        let mut pages = HashSet::new();
        for (i, (a, b)) in was.order.iter().zip(&l.order).enumerate() {
            if a != b || diff.shown[b.index()] {
                pages.insert(i / per + 1);
            }
        }
        let months_moved = || l.order.iter().any(|k| diff.new_dates[k.index()]);
        years_changed |= year && (was.digest != l.digest || months_moved());
        // A country's first page maps and charts all of its entities.
        if matches!(key, Listing::Country(_)) && l.order.iter().any(|k| diff.changed[k.index()]) {
            pages.insert(1);
        }
        if !pages.is_empty() {
            dirty.insert(key.clone(), Some(pages));
        }
    }
    if years_changed {
        for key in new.listings.keys() {
            if matches!(key, Listing::Year(_)) {
                dirty.insert(key.clone(), None);
            }
        }
    }
    (dirty, sizes_changed)
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
