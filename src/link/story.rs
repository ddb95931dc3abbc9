//! The story of an incident or a group at a glance (issue 12): who took which stance on an
//! incident, for its facts box, and the sources of a page merged with those of the
//! statements it shows.
//!
//! Takes the published entities and their sorted backlinks; fills
//! [`Backlinks::stance_lines`] and [`Backlinks::sources`]. Invariants: like every
//! backlink they name published entities only; a statement falsely attributed to its
//! speaker never makes the speaker a party to a stance, it has a line of its own.

use std::collections::HashSet;

use super::{Backlinks, Entity, SourceRef, StanceLine};
use crate::model::{Data, EntityId, Stance};

/// Fill the stance lines of incidents and the merged sources of incidents and groups.
pub(super) fn derive_story(entities: &[Entity], backlinks: &mut [Backlinks]) {
    for e in entities {
        let b = &backlinks[e.id.index()];
        let shown: Vec<EntityId> = match &e.data {
            Data::Incident(_) => b.statements.clone(),
            Data::Group(_) => (b.statements_by.iter())
                .chain(&b.falsely_attributed)
                .chain(&b.statements_about)
                .copied()
                .collect(),
            _ => continue,
        };
        let lines = match e.data {
            Data::Incident(_) => stance_lines(entities, &shown),
            _ => Vec::new(),
        };
        let sources = merged_sources(entities, e.id, &shown);
        let b = &mut backlinks[e.id.index()];
        b.stance_lines = lines;
        b.sources = sources;
    }
}

/// The words before the names of a stance's line in an incident's facts box.
fn stance_label(stance: Stance) -> &'static str {
    match stance {
        Stance::Claims => "Claimed by",
        Stance::Warns => "Warned by",
        Stance::Blames => "Blamed on",
        Stance::Denies => "Denied by",
        Stance::Condemns => "Condemned by",
        Stance::Admits => "Admitted by",
        Stance::Attributes => "Attributed by",
        Stance::Threatens => "Threats by",
        Stance::Other => "Also spoke",
    }
}

/// The order of the lines: the warning, the claim, attributions and blame, then the rest.
const LINE_ORDER: [Stance; 9] = [
    Stance::Warns,
    Stance::Claims,
    Stance::Attributes,
    Stance::Blames,
    Stance::Denies,
    Stance::Admits,
    Stance::Condemns,
    Stance::Threatens,
    Stance::Other,
];

/// One line per stance present among `statements` (in time order), in [`LINE_ORDER`];
/// statements falsely attributed to their speakers go on a last line of their own.
fn stance_lines(entities: &[Entity], statements: &[EntityId]) -> Vec<StanceLine> {
    let mut lines: Vec<StanceLine> = Vec::new();
    let mut falsely = StanceLine {
        stance: None,
        label: "Falsely attributed to",
        targets: Vec::new(),
        speakers: Vec::new(),
    };
    for &sid in statements {
        let Data::Statement(s) = &entities[sid.index()].data else {
            continue;
        };
        let Some(speaker) = s.speaker else { continue };
        let line = if s.falsely_attributed() {
            &mut falsely
        } else if let Some(i) = lines.iter().position(|l| l.stance == Some(s.stance)) {
            &mut lines[i]
        } else {
            lines.push(StanceLine {
                stance: Some(s.stance),
                label: stance_label(s.stance),
                targets: Vec::new(),
                speakers: Vec::new(),
            });
            lines.last_mut().expect("just pushed")
        };
        push_once(&mut line.speakers, speaker);
        if matches!(line.stance, Some(Stance::Blames | Stance::Attributes)) {
            for &a in &s.about {
                push_once(&mut line.targets, a);
            }
        }
    }
    if let Some(line) = lines
        .iter_mut()
        .find(|l| l.stance == Some(Stance::Blames) && l.targets.is_empty())
    {
        line.label = "Blame voiced by";
    }
    lines.sort_by_key(|l| LINE_ORDER.iter().position(|&s| Some(s) == l.stance));
    if !falsely.speakers.is_empty() {
        lines.push(falsely);
    }
    lines
}

fn push_once(v: &mut Vec<EntityId>, id: EntityId) {
    if !v.contains(&id) {
        v.push(id);
    }
}

/// `owner`'s sources, then for each of `statements` its `source` and its `sources`, each
/// once: by URL where there is one, otherwise by title and publisher.
fn merged_sources(entities: &[Entity], owner: EntityId, statements: &[EntityId]) -> Vec<SourceRef> {
    let mut seen: HashSet<(Option<&str>, Option<&str>, Option<&str>)> = HashSet::new();
    let mut out = Vec::new();
    let mut add = |r: SourceRef| {
        let e = &entities[r.owner.index()];
        let src = match (r.index, &e.data) {
            (Some(i), _) => e.common.sources.get(i),
            (None, Data::Statement(s)) => s.source.as_ref(),
            (None, _) => None,
        };
        let Some(src) = src else { return };
        let key = match src.url.as_deref() {
            Some(url) => (Some(url.trim_end_matches('/')), None, None),
            None => (None, Some(src.title.as_str()), src.publisher.as_deref()),
        };
        if seen.insert(key) {
            out.push(r);
        }
    };
    let own = &entities[owner.index()];
    for i in 0..own.common.sources.len() {
        add(SourceRef {
            owner,
            index: Some(i),
        });
    }
    for &sid in statements {
        add(SourceRef {
            owner: sid,
            index: None,
        });
        for i in 0..entities[sid.index()].common.sources.len() {
            add(SourceRef {
                owner: sid,
                index: Some(i),
            });
        }
    }
    out
}
