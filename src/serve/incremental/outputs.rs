//! Which other outputs of a rebuild (feeds, sitemap, exports) are known to be unchanged,
//! so that a rebuild keeps them as they are instead of making them again; every other
//! output (theme assets, `robots.txt`, the search index, and any output added later) is
//! made again and written only if its bytes changed.
//!
//! Judged, like the pages, by comparing the last good build's [`Snapshot`] with the new
//! one (see [`super::scope`]); an output is kept only when nothing it reads changed:
//!
//! - the site-wide exports (`briefing.json`, the CSV files, GeoJSON, STIX) read every
//!   entity's fields and derived links in listing order: kept when no entity's fields or
//!   links changed and every kind's listing is the same. Otherwise they are joined again
//!   from per-entity pieces ([`crate::output::export::Pieces`]): an entity's pieces show
//!   its fields, its links and the slugs, titles, kinds and TLP levels of the entities it
//!   names or that name it, all of which its page shows too, so they are kept when its
//!   page is not rendered again (its STIX objects also show the site's earliest date, and
//!   are all made again when that moved);
//! - an entity's JSON file shows its fields, backlinks and the titles and URLs of the
//!   entities it names, all of which its page shows too: kept when its page is not
//!   rendered again;
//! - the sitemap lists every page with its entity's date: kept when no listing changed
//!   its length (so the same pages) and no date changed;
//! - a feed holds the newest of the entities it follows (a kind's listing, a group's
//!   incidents and statements, a tag's or a country's entities), each shown as its page
//!   shows it: kept when it follows the same entities and, of them, none whose page is
//!   rendered again is among its entries (with the same entities and no date changed,
//!   it has the same entries as before); a group's feed also shows the group's title.

use std::collections::HashSet;

use rayon::prelude::*;

use super::scope::{Diff, Listing, Snapshot};
use crate::link::Site;
use crate::model::{EntityId, Kind};
use crate::output::feeds;
use crate::routes::{self, FeedScope, Routes};

/// The site-wide exports.
const EXPORTS: [&str; 5] = [
    routes::DATA_JSON,
    routes::INCIDENTS_CSV,
    routes::STATEMENTS_CSV,
    routes::INCIDENTS_GEOJSON,
    routes::STIX_BUNDLE,
];

/// Other outputs whose bytes a rebuild knows to be unchanged.
#[derive(Debug, Default)]
pub(super) struct Clean {
    /// The site-wide exports.
    exports: bool,
    /// The sitemap (and its parts).
    sitemap: bool,
    /// Entities whose JSON file is unchanged, by id.
    entities: Vec<bool>,
    /// Feed files that are unchanged.
    feeds: HashSet<String>,
}

impl Clean {
    /// Whether the output `file` is known to be unchanged.
    pub(super) fn has(&self, file: &str, routes: &Routes<'_>) -> bool {
        if EXPORTS.contains(&file) {
            return self.exports;
        }
        if file == routes::SITEMAP || file.starts_with("sitemap-") && file.ends_with(".xml") {
            return self.sitemap;
        }
        // `data/<kind>/<slug>.json` of the entity whose page is `<kind>/<slug>/`.
        if let Some(rest) = (file.strip_prefix("data/")).and_then(|f| f.strip_suffix(".json"))
            && let Some(id) = routes.entity_at(&format!("{rest}/"))
        {
            return self.entities.get(id.index()).copied().unwrap_or(false);
        }
        self.feeds.contains(file)
    }
}

/// What of the other outputs of the build of `old` is unchanged in that of `new` (the
/// snapshot of `site`), given what differs per entity and whether listings changed their
/// lengths; feeds hold at most `feed_limit` entries.
pub(super) fn clean(
    old: &Snapshot,
    new: &Snapshot,
    site: &Site,
    routes: &Routes<'_>,
    diff: &Diff,
    sizes_changed: bool,
    feed_limit: usize,
) -> Clean {
    let any = |v: &[bool]| v.iter().any(|&b| b);
    let same = |key: &Listing| {
        old.listings.get(key).map(|l| l.digest) == new.listings.get(key).map(|l| l.digest)
    };
    let sections = Kind::ALL.iter().all(|&k| same(&Listing::Section(k)));
    Clean {
        exports: sections && !any(&diff.changed) && !any(&diff.new_links),
        sitemap: !sizes_changed && !any(&diff.new_dates),
        entities: diff.page.iter().map(|&p| !p).collect(),
        feeds: clean_feeds(old, new, site, routes, diff, feed_limit, &same),
    }
}

/// The files of the feeds that are unchanged.
fn clean_feeds(
    old: &Snapshot,
    new: &Snapshot,
    site: &Site,
    routes: &Routes<'_>,
    diff: &Diff,
    limit: usize,
    same: &(dyn Fn(&Listing) -> bool + Sync),
) -> HashSet<String> {
    let listing = |kind: Kind| site.listings.get(&kind).map_or(&[][..], Vec::as_slice);
    let unchanged = |scope: &FeedScope| {
        // The entities it follows: the same ones, and its title.
        let (same_set, followed): (bool, Vec<&[EntityId]>) = match scope {
            FeedScope::Site => (
                same(&Listing::Section(Kind::Incident)) && same(&Listing::Section(Kind::Statement)),
                vec![listing(Kind::Incident), listing(Kind::Statement)],
            ),
            FeedScope::Kind(k) => (same(&Listing::Section(*k)), vec![listing(*k)]),
            FeedScope::Group(id) => {
                let i = id.index();
                let l = site.links(*id);
                (
                    old.links[i] == new.links[i] && !diff.changed[i],
                    vec![
                        &l.incidents,
                        &l.statements_by,
                        &l.falsely_attributed,
                        &l.statements_about,
                    ],
                )
            }
            FeedScope::Country(c) => (
                same(&Listing::Country(*c)),
                vec![site.countries.get(c).map_or(&[][..], Vec::as_slice)],
            ),
            FeedScope::Tag(t) => (
                same(&Listing::Tag(t.clone())),
                vec![site.tags.get(t).map_or(&[][..], |t| t.entities.as_slice())],
            ),
        };
        let followed = || followed.iter().flat_map(|ids| ids.iter());
        let touched = |k: &EntityId| diff.page[k.index()];
        if !same_set || followed().any(|k| diff.new_dates[k.index()]) {
            return false;
        }
        !followed().any(touched) || !feeds::entries(site, scope, limit).iter().any(touched)
    };
    routes
        .feeds()
        .into_par_iter()
        .filter(unchanged)
        .flat_map_iter(|scope| {
            let dir = routes.feed_dir(&scope);
            [routes::ATOM, routes::JSON_FEED].map(|f| format!("{dir}{f}"))
        })
        .collect()
}
