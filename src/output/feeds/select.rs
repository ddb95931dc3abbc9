//! Which entities a feed holds: see [`entries`].

use crate::link::Site;
use crate::model::{EntityId, Kind};
use crate::routes::FeedScope;

/// The entities of the feed of `scope`, newest first (by date, else by `updated`; those
/// with neither last, by slug), at most `limit`:
/// - the site: incidents and statements;
/// - a kind: its listing;
/// - a group: the incidents attributed to it and the statements by and about it;
/// - a country or a tag: every entity listed on its page.
pub fn entries(site: &Site, scope: &FeedScope, limit: usize) -> Vec<EntityId> {
    let listing = |kind: Kind| site.listings.get(&kind).into_iter().flatten().copied();
    let mut ids: Vec<EntityId> = match scope {
        FeedScope::Site => listing(Kind::Incident)
            .chain(listing(Kind::Statement))
            .collect(),
        FeedScope::Kind(kind) => listing(*kind).collect(),
        FeedScope::Group(id) => {
            let links = site.links(*id);
            links
                .incidents
                .iter()
                .chain(&links.statements_by)
                .chain(&links.falsely_attributed)
                .chain(&links.statements_about)
                .copied()
                .collect()
        }
        FeedScope::Country(code) => site.countries.get(code).cloned().unwrap_or_default(),
        FeedScope::Tag(slug) => site
            .tags
            .get(slug)
            .map(|t| t.entities.clone())
            .unwrap_or_default(),
    };
    ids.sort_unstable();
    ids.dedup();
    let key = |id: EntityId| {
        let e = site.get(id);
        // Time order as everywhere (issue 12): a partial date after its period's days.
        let date = e.date().or(e.common.updated.as_ref()).map(|d| d.sort_key());
        (date, e.slug.as_str())
    };
    // Newest first; among equal dates (and those without any), by slug.
    ids.sort_by(|&a, &b| {
        let ((da, sa), (db, sb)) = (key(a), key(b));
        db.cmp(&da).then(sa.cmp(sb))
    });
    ids.truncate(limit);
    ids
}
