//! Withholding: only documents this build may publish become entities with ids, so no
//! later stage can list, count, link or export a withheld one.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::refs::Index;
use super::{Entity, Intro, Publish};
use crate::load::Document;
use crate::model::{EntityId, RefSlug, Slug};

/// The published entities and what is known of the withheld ones.
pub(super) struct Published {
    /// Published entities, ids in order.
    pub(super) entities: Vec<Entity>,
    /// Slug -> id of published entities.
    pub(super) by_slug: HashMap<Slug, EntityId>,
    /// How many documents were withheld.
    pub(super) withheld: usize,
    /// Slugs of the withheld documents.
    pub(super) withheld_slugs: HashSet<Slug>,
}

/// Give ids to the documents `publish` allows, resolving their references to ids
/// (references to withheld entities are dropped).
pub(super) fn withhold(docs: Vec<Document>, publish: &Publish, index: &Index) -> Published {
    let total = docs.len();
    let published: Vec<Document> = docs
        .into_iter()
        .filter(|d| publish.allows(&d.common))
        .collect();
    let withheld = total - published.len();
    let withheld_slugs = super::urls::withheld_slugs(index);
    let by_slug: HashMap<Slug, EntityId> = published
        .iter()
        .enumerate()
        .map(|(i, d)| (d.slug.clone(), EntityId(i as u32)))
        .collect();
    // Each document's references are resolved on its own, on all cores, ids in order.
    let entities: Vec<Entity> = published
        .into_par_iter()
        .enumerate()
        .map(|(i, d)| {
            let resolve = |r: RefSlug| by_slug.get(&Slug::parse(&r.slug).ok()?).copied();
            Entity {
                id: EntityId(i as u32),
                kind: d.kind,
                slug: d.slug,
                file: d.file,
                body_offset: d.body_offset,
                fingerprint: d.fingerprint,
                common: d.common,
                data: d.data.map_refs(resolve),
                description: d.description,
                wikilinks: d.wikilinks,
            }
        })
        .collect();
    Published {
        entities,
        by_slug,
        withheld,
        withheld_slugs,
    }
}

/// The home introduction, withheld like any entity: the home page then has none.
pub(super) fn withhold_intro(intro: Option<Document>, publish: &Publish) -> Option<Intro> {
    intro.filter(|d| publish.allows(&d.common)).map(|d| Intro {
        title: Some(d.common.title),
        description: d.description.or(d.common.summary),
        file: d.file,
        body_offset: d.body_offset,
        fingerprint: d.fingerprint,
    })
}
