//! Derived relations: every entity's backlinks (statements about an incident, incidents of a
//! group, ...), in one pass over the references of published entities, each list sorted for
//! display.

use std::collections::HashMap;

use super::{Backlinks, ChronoKey, Entity};
use crate::model::{Data, EntityId, Slug};

/// The backlinks of every entity, by id; `by_slug` resolves the targets of wikilinks.
pub(super) fn derive_backlinks(
    entities: &[Entity],
    by_slug: &HashMap<Slug, EntityId>,
) -> Vec<Backlinks> {
    let mut backlinks = vec![Backlinks::default(); entities.len()];
    for e in entities {
        let id = e.id;
        match &e.data {
            Data::Incident(i) => {
                for &p in &i.perpetrators {
                    backlinks[p.index()].incidents.push(id);
                }
            }
            Data::Group(g) => {
                if let Some(p) = g.parent.filter(|&p| p != id) {
                    backlinks[p.index()].children.push(id);
                }
            }
            Data::Actor(a) => {
                if let Some(p) = a.affiliation.filter(|&p| p != id) {
                    backlinks[p.index()].affiliated.push(id);
                }
            }
            Data::Statement(s) => {
                if let Some(inc) = s.incident {
                    backlinks[inc.index()].statements.push(id);
                }
                if let Some(sp) = s.speaker {
                    // Words someone never said are not theirs (issue 12).
                    let b = &mut backlinks[sp.index()];
                    if s.falsely_attributed() {
                        b.falsely_attributed.push(id);
                    } else {
                        b.statements_by.push(id);
                    }
                }
                let mut about = s.about.clone();
                about.sort();
                about.dedup();
                for a in about {
                    backlinks[a.index()].statements_about.push(id);
                }
            }
            Data::Page => {}
        }
        let mut mentioned: Vec<EntityId> = e
            .wikilinks
            .iter()
            .filter_map(|w| by_slug.get(&Slug::parse(&w.target).ok()?).copied())
            .filter(|&t| t != id)
            .collect();
        mentioned.sort();
        mentioned.dedup();
        for t in mentioned {
            backlinks[t.index()].mentioned_in.push(id);
        }
    }
    for b in &mut backlinks {
        b.statements.sort_by_key(|&id| chrono_key(entities, id));
        newest_first(entities, &mut b.incidents);
        newest_first(entities, &mut b.statements_by);
        newest_first(entities, &mut b.falsely_attributed);
        newest_first(entities, &mut b.statements_about);
        b.children.sort_by_key(|&id| title_key(entities, id));
        b.affiliated.sort_by_key(|&id| title_key(entities, id));
        b.mentioned_in.sort_by_key(|&id| title_key(entities, id));
    }
    backlinks
}

/// Sort `ids` newest first (undated last), by [`Entity::chrono_key`].
pub(super) fn newest_first(entities: &[Entity], ids: &mut [EntityId]) {
    ids.sort_by(|a, b| chrono_key(entities, *b).cmp(&chrono_key(entities, *a)));
}

/// Time order of `id` (undated first in ascending order), by [`Entity::chrono_key`].
pub(super) fn chrono_key(entities: &[Entity], id: EntityId) -> (Option<ChronoKey<'_>>, &str) {
    let e = &entities[id.index()];
    (e.chrono_key(), e.slug.as_str())
}

/// Alphabetical sort key: title, case folded, then slug.
pub(super) fn title_key(entities: &[Entity], id: EntityId) -> (String, &str) {
    let e = &entities[id.index()];
    (e.common.title.to_lowercase(), e.slug.as_str())
}
