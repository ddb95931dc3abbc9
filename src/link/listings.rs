//! Derived groupings of published entities: the listing of each kind, the tags and the
//! countries, each in the order pages show them.

use std::collections::BTreeMap;

use super::backlinks::{newest_first, title_key};
use super::{Entity, TagEntry};
use crate::model::{CountryCode, Data, EntityId, Kind, slugify};

/// Per kind, tag and country: which published entities, in display order.
pub(super) struct Listings {
    /// Per kind, in listing order (incidents and statements newest first, others by title).
    pub(super) listings: BTreeMap<Kind, Vec<EntityId>>,
    /// Tag slug -> tag.
    pub(super) tags: BTreeMap<String, TagEntry>,
    /// Country code -> entities.
    pub(super) countries: BTreeMap<CountryCode, Vec<EntityId>>,
}

/// Listings, tags and countries of `entities`.
pub(super) fn derive_listings(entities: &[Entity]) -> Listings {
    let mut listings: BTreeMap<Kind, Vec<EntityId>> =
        Kind::ALL.iter().map(|&k| (k, Vec::new())).collect();
    let mut tags: BTreeMap<String, TagEntry> = BTreeMap::new();
    let mut countries: BTreeMap<CountryCode, Vec<EntityId>> = BTreeMap::new();
    for e in entities {
        listings.entry(e.kind).or_default().push(e.id);
        for tag in &e.common.tags {
            let Some(key) = slugify(tag) else { continue };
            let entry = tags.entry(key).or_insert_with(|| TagEntry {
                name: tag.trim().to_string(),
                entities: Vec::new(),
            });
            if entry.entities.last() != Some(&e.id) {
                entry.entities.push(e.id);
            }
        }
        let mut codes: Vec<CountryCode> = match &e.data {
            Data::Incident(i) => i.location.iter().filter_map(|l| l.country).collect(),
            Data::Group(g) => g.regions.clone(),
            Data::Actor(a) => a.country.into_iter().collect(),
            _ => Vec::new(),
        };
        codes.sort();
        codes.dedup();
        for c in codes {
            countries.entry(c).or_default().push(e.id);
        }
    }
    for (kind, ids) in &mut listings {
        match kind {
            Kind::Incident | Kind::Statement => newest_first(entities, ids),
            _ => ids.sort_by_key(|&id| title_key(entities, id)),
        }
    }

    Listings {
        listings,
        tags,
        countries,
    }
}
