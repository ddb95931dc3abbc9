//! JSON exports, shape version 1 (`docs/exports.md`, `docs/exports.schema.json`):
//! `data/briefing.json` holds every published entity with references as slugs;
//! `data/<kind>/<slug>.json` holds one entity with the same fields, plus its backlinks and
//! every slug it mentions resolved to a kind, title and URL.
//!
//! Changing a field's meaning or removing one is a new version; adding a field is not.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::Exports;
use super::pieces::{self, Document, Part, PieceSource};
use crate::link::{Backlinks, Entity};
use crate::model::{
    Casualties, CountryCode, Data, EntityId, Kind, Location, PartialDate, Relation, Source, Stance,
    Verification,
};

/// The version of the JSON shape.
pub const VERSION: u32 = 1;

/// Fields every exported entity has.
#[derive(Serialize)]
struct Common<'a> {
    slug: &'a str,
    url: String,
    title: &'a str,
    summary: Option<&'a str>,
    tags: &'a [String],
    sources: &'a [Source],
    tlp: &'static str,
    updated: Option<PartialDate>,
}

#[derive(Serialize)]
struct IncidentOut<'a> {
    date: PartialDate,
    end_date: Option<PartialDate>,
    location: Option<&'a Location>,
    casualties: Option<&'a Casualties>,
    attack_types: &'a [String],
    targets: &'a [String],
    perpetrators: Vec<&'a str>,
    claimed_by: Vec<&'a str>,
    status: &'static str,
}

#[derive(Serialize)]
struct GroupOut<'a> {
    short_name: Option<&'a str>,
    aliases: &'a [String],
    parent: Option<&'a str>,
    founded: Option<PartialDate>,
    regions: &'a [CountryCode],
    ideology: &'a [String],
    status: Option<&'static str>,
    relations: Vec<Relation<&'a str>>,
}

#[derive(Serialize)]
struct ActorOut<'a> {
    kind: &'static str,
    country: Option<CountryCode>,
    role: Option<&'a str>,
    affiliation: Option<&'a str>,
    relations: Vec<Relation<&'a str>>,
}

#[derive(Serialize)]
struct StatementOut<'a> {
    date: PartialDate,
    speaker: Option<&'a str>,
    via: Option<&'a str>,
    incident: Option<&'a str>,
    about: Vec<&'a str>,
    stance: &'static str,
    quote: Option<&'a str>,
    verification: Option<&'a Verification>,
    /// Verification `false` or `fabricated`: never the speaker's words (issue 12).
    falsely_attributed: bool,
    source: Option<&'a Source>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum DataOut<'a> {
    Incident(IncidentOut<'a>),
    Group(GroupOut<'a>),
    Actor(ActorOut<'a>),
    Statement(StatementOut<'a>),
}

/// One entity as exported: common fields, then its kind's fields.
#[derive(Serialize)]
struct EntityOut<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    #[serde(flatten)]
    data: DataOut<'a>,
}

#[derive(Serialize)]
struct Counts {
    incidents: usize,
    groups: usize,
    actors: usize,
    statements: usize,
}

/// The fields of `data/briefing.json` before the lists of entities.
#[derive(Serialize)]
struct Head<'a> {
    version: u32,
    title: &'a str,
    base_url: &'a str,
    tlp: &'static str,
    counts: Counts,
}

/// Backlinks as slugs, in the link stage's order.
#[derive(Serialize)]
struct BacklinksOut<'a> {
    statements: Vec<&'a str>,
    incidents: Vec<&'a str>,
    statements_by: Vec<&'a str>,
    /// Statements assessed false or fabricated that name it as speaker (issue 12): not in
    /// `statements_by`.
    falsely_attributed: Vec<&'a str>,
    statements_about: Vec<&'a str>,
    children: Vec<&'a str>,
    affiliated: Vec<&'a str>,
    mentioned_in: Vec<&'a str>,
}

/// A slug resolved.
#[derive(Serialize)]
struct RefOut<'a> {
    kind: Kind,
    title: &'a str,
    url: String,
}

#[derive(Serialize)]
struct EntityFile<'a> {
    version: u32,
    /// The entity's kind (`kind` is an actor's own field).
    #[serde(rename = "type")]
    kind: Kind,
    #[serde(flatten)]
    entity: EntityOut<'a>,
    backlinks: BacklinksOut<'a>,
    references: BTreeMap<&'a str, RefOut<'a>>,
}

/// The output path of an entity's JSON file: `data/incidents/<slug>.json`.
pub fn entity_file(e: &Entity) -> String {
    crate::routes::entity_data(e.kind, e.slug.as_str())
}

/// Slugs of the speakers of published `claims` statements about an incident, sorted.
pub(super) fn claimed_by<'a>(x: &Exports<'a>, incident: EntityId) -> Vec<&'a str> {
    let mut out: Vec<&str> = x
        .site
        .links(incident)
        .statements
        .iter()
        .filter_map(|&s| match &x.get(s).data {
            Data::Statement(st) if st.stance == Stance::Claims => st.speaker,
            _ => None,
        })
        .map(|p| x.slug(p))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn entity<'a>(x: &Exports<'a>, e: &'a Entity) -> Option<EntityOut<'a>> {
    let slug = |id: EntityId| x.slug(id);
    // Published targets only: the link stage dropped relations to withheld groups.
    let relations = |rs: &'a [Relation<EntityId>]| {
        rs.iter()
            .filter_map(|r| r.clone().map_group(|id| Some(x.slug(id))))
            .collect::<Vec<_>>()
    };
    let data = match &e.data {
        Data::Incident(i) => DataOut::Incident(IncidentOut {
            date: i.date,
            end_date: i.end_date,
            location: i.location.as_ref(),
            casualties: i.casualties.as_ref(),
            attack_types: &i.attack_types,
            targets: &i.targets,
            perpetrators: i.perpetrators.iter().map(|&p| slug(p)).collect(),
            claimed_by: claimed_by(x, e.id),
            status: i.status.as_str(),
        }),
        Data::Group(g) => DataOut::Group(GroupOut {
            short_name: g.short_name.as_deref(),
            aliases: &g.aliases,
            parent: g.parent.map(slug),
            founded: g.founded,
            regions: &g.regions,
            ideology: &g.ideology,
            status: g.status.map(|s| s.as_str()),
            relations: relations(&g.relations),
        }),
        Data::Actor(a) => DataOut::Actor(ActorOut {
            kind: a.kind.as_str(),
            country: a.country,
            role: a.role.as_deref(),
            affiliation: a.affiliation.map(slug),
            relations: relations(&a.relations),
        }),
        Data::Statement(s) => DataOut::Statement(StatementOut {
            date: s.date,
            speaker: s.speaker.map(slug),
            via: s.via.map(slug),
            incident: s.incident.map(slug),
            about: s.about.iter().map(|&p| slug(p)).collect(),
            stance: s.stance.as_str(),
            quote: s.quote.as_deref(),
            verification: s.verification.as_ref(),
            falsely_attributed: s.falsely_attributed(),
            source: s.source.as_ref(),
        }),
        Data::Page => return None,
    };
    Some(EntityOut {
        common: Common {
            slug: e.slug.as_str(),
            url: x.page_url(e),
            title: &e.common.title,
            summary: e.common.summary.as_deref(),
            tags: &e.common.tags,
            sources: &e.common.sources,
            tlp: e.common.tlp.as_str(),
            updated: e.common.updated,
        },
        data,
    })
}

/// The object of entity `e` in `data/briefing.json`, as an element of its kind's array
/// (empty for a plain page).
pub(super) fn piece(x: &Exports, e: &Entity) -> Vec<u8> {
    entity(x, e).map_or_else(Vec::new, |o| pieces::element(Vec::new(), &o))
}

/// `data/briefing.json`, streamed to `w` (it is the biggest output of a big site).
pub fn write_site(x: &Exports, source: PieceSource, w: &mut dyn Write) -> io::Result<()> {
    let ids = |k: Kind| -> Vec<EntityId> {
        x.listed(k)
            .filter(|e| !matches!(e.data, Data::Page))
            .map(|e| e.id)
            .collect()
    };
    let lists = [
        ("incidents", ids(Kind::Incident)),
        ("groups", ids(Kind::Group)),
        ("actors", ids(Kind::Actor)),
        ("statements", ids(Kind::Statement)),
    ];
    let head = Head {
        version: VERSION,
        title: x.title,
        base_url: x.base_url.as_str(),
        tlp: x.tlp.as_str(),
        counts: Counts {
            incidents: lists[0].1.len(),
            groups: lists[1].1.len(),
            actors: lists[2].1.len(),
            statements: lists[3].1.len(),
        },
    };
    let mut doc = Document::open(w, &head)?;
    for (key, ids) in &lists {
        doc.array(key)?;
        source.each(x, Part::Json, ids, &mut |p| doc.piece(p))?;
        doc.end_array()?;
    }
    doc.close()
}

/// `data/<kind>/<slug>.json` of the entity `id`.
pub fn write_entity(x: &Exports, id: EntityId, w: &mut dyn Write) -> io::Result<()> {
    let e = x.get(id);
    let Some(out) = entity(x, e) else {
        return Ok(());
    };
    let b: &Backlinks = x.site.links(id);
    let slugs = |ids: &[EntityId]| ids.iter().map(|&i| x.slug(i)).collect::<Vec<_>>();
    let backlinks = BacklinksOut {
        statements: slugs(&b.statements),
        incidents: slugs(&b.incidents),
        statements_by: slugs(&b.statements_by),
        falsely_attributed: slugs(&b.falsely_attributed),
        statements_about: slugs(&b.statements_about),
        children: slugs(&b.children),
        affiliated: slugs(&b.affiliated),
        mentioned_in: slugs(&b.mentioned_in),
    };
    let mut mentioned: Vec<EntityId> = e
        .data
        .references()
        .into_iter()
        .map(|(_, &r, _)| r)
        .collect();
    for list in [
        &b.statements,
        &b.incidents,
        &b.statements_by,
        &b.falsely_attributed,
        &b.statements_about,
        &b.children,
        &b.affiliated,
        &b.mentioned_in,
    ] {
        mentioned.extend(list.iter().copied());
    }
    if let Data::Incident(_) = e.data {
        // `claimed_by` names speakers, who are reachable through the statements only.
        for &s in &b.statements {
            if let Data::Statement(st) = &x.get(s).data {
                mentioned.extend(st.speaker);
            }
        }
    }
    let references = mentioned
        .into_iter()
        .map(|id| {
            let r = x.get(id);
            (
                r.slug.as_str(),
                RefOut {
                    kind: r.kind,
                    title: &r.common.title,
                    url: x.page_url(r),
                },
            )
        })
        .collect();
    let file = EntityFile {
        version: VERSION,
        kind: e.kind,
        entity: out,
        backlinks,
        references,
    };
    serde_json::to_writer_pretty(w, &file).map_err(io::Error::other)
}
