//! Relations derived from the backlinks, for pages and exports to show as they are: who
//! claimed an incident, and which incidents are related to it.
//!
//! Takes the published entities and their sorted backlinks; fills
//! [`Backlinks::claimed_by`] and [`Backlinks::related`]. Invariant: like every backlink,
//! both name published entities only, and cost linear time (each incident looks at no more
//! than [`RELATED_LIMIT`] incidents per perpetrator).

use super::{Backlinks, Entity};
use crate::model::{Data, EntityId, Stance};

/// How many related incidents an incident has.
pub const RELATED_LIMIT: usize = 10;

/// Fill the derived relations of every incident; `backlinks` are already sorted.
pub(super) fn derive_relations(entities: &[Entity], backlinks: &mut [Backlinks]) {
    for e in entities {
        let Data::Incident(i) = &e.data else { continue };
        let claimed_by = claimed_by(entities, &backlinks[e.id.index()].statements);
        let related = related(entities, backlinks, e.id, &i.perpetrators);
        let b = &mut backlinks[e.id.index()];
        b.claimed_by = claimed_by;
        b.related = related;
    }
}

/// The speakers of the statements that claim an incident, in the statements' order, each
/// once.
fn claimed_by(entities: &[Entity], statements: &[EntityId]) -> Vec<EntityId> {
    let mut speakers = Vec::new();
    for &sid in statements {
        if let Data::Statement(s) = &entities[sid.index()].data
            && s.stance == Stance::Claims
            && !s.falsely_attributed()
            && let Some(sp) = s.speaker
            && !speakers.contains(&sp)
        {
            speakers.push(sp);
        }
    }
    speakers
}

/// Other incidents of the same perpetrators, newest first, at most [`RELATED_LIMIT`].
fn related(
    entities: &[Entity],
    backlinks: &[Backlinks],
    id: EntityId,
    perpetrators: &[EntityId],
) -> Vec<EntityId> {
    let mut related: Vec<EntityId> = Vec::new();
    for p in perpetrators {
        related.extend(
            backlinks[p.index()]
                .incidents
                .iter()
                .filter(|&&x| x != id)
                .take(RELATED_LIMIT),
        );
    }
    related.sort_by(|a, b| {
        super::backlinks::chrono_key(entities, *b).cmp(&super::backlinks::chrono_key(entities, *a))
    });
    related.dedup();
    related.truncate(RELATED_LIMIT);
    related
}
