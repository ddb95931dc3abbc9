//! Data exports for analysts: `data/briefing.json` (every published entity with its
//! fields and references as slugs) and `data/incidents.csv` (one row per incident).
//!
//! Built from the linked site only, so withheld entities and references to them are absent.

use serde::Serialize;

use super::streamed::OutputContext;
use crate::link::{Entity, Site};
use crate::model::country::country_name;
use crate::model::{Casualties, Data, EntityId, Kind, Location, PartialDate, Source, Verification};

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
    #[serde(flatten)]
    common: Common<'a>,
    date: PartialDate,
    end_date: Option<PartialDate>,
    location: Option<&'a Location>,
    casualties: Option<&'a Casualties>,
    attack_types: &'a [String],
    targets: &'a [String],
    perpetrators: Vec<&'a str>,
    status: &'static str,
}

#[derive(Serialize)]
struct GroupOut<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    short_name: Option<&'a str>,
    aliases: &'a [String],
    parent: Option<&'a str>,
    founded: Option<PartialDate>,
    regions: &'a [String],
    ideology: &'a [String],
    status: Option<&'static str>,
}

#[derive(Serialize)]
struct ActorOut<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    kind: &'static str,
    country: Option<&'a str>,
    role: Option<&'a str>,
    affiliation: Option<&'a str>,
}

#[derive(Serialize)]
struct StatementOut<'a> {
    #[serde(flatten)]
    common: Common<'a>,
    date: PartialDate,
    speaker: Option<&'a str>,
    via: Option<&'a str>,
    incident: Option<&'a str>,
    about: Vec<&'a str>,
    stance: &'static str,
    quote: Option<&'a str>,
    verification: Option<&'a Verification>,
    source: Option<&'a Source>,
}

#[derive(Serialize)]
struct Export<'a> {
    title: &'a str,
    base_url: &'a str,
    tlp: &'static str,
    incidents: Vec<IncidentOut<'a>>,
    groups: Vec<GroupOut<'a>>,
    actors: Vec<ActorOut<'a>>,
    statements: Vec<StatementOut<'a>>,
}

fn slug(site: &Site, id: EntityId) -> &str {
    site.get(id).slug.as_str()
}

fn common<'a>(r: &OutputContext<'_>, e: &'a Entity) -> Common<'a> {
    Common {
        slug: e.slug.as_str(),
        url: r.url(&r.routes.entity(e.id)),
        title: &e.common.title,
        summary: e.common.summary.as_deref(),
        tags: &e.common.tags,
        sources: &e.common.sources,
        tlp: e.common.tlp.as_str(),
        updated: e.common.updated,
    }
}

/// `data/briefing.json`, streamed to `w` (it is the biggest output of a big site).
pub fn write_json(r: &OutputContext<'_>, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let site = r.site;
    let mut out = Export {
        title: &r.plan.config.title,
        base_url: r.plan.base_url.as_str(),
        tlp: r.plan.publish.tlp.as_str(),
        incidents: Vec::new(),
        groups: Vec::new(),
        actors: Vec::new(),
        statements: Vec::new(),
    };
    let ids = |k: Kind| site.listings[&k].iter().map(|&id| site.get(id));
    for e in ids(Kind::Incident) {
        if let Data::Incident(i) = &e.data {
            out.incidents.push(IncidentOut {
                common: common(r, e),
                date: i.date,
                end_date: i.end_date,
                location: i.location.as_ref(),
                casualties: i.casualties.as_ref(),
                attack_types: &i.attack_types,
                targets: &i.targets,
                perpetrators: i.perpetrators.iter().map(|&p| slug(site, p)).collect(),
                status: i.status.as_str(),
            });
        }
    }
    for e in ids(Kind::Group) {
        if let Data::Group(g) = &e.data {
            out.groups.push(GroupOut {
                common: common(r, e),
                short_name: g.short_name.as_deref(),
                aliases: &g.aliases,
                parent: g.parent.map(|p| slug(site, p)),
                founded: g.founded,
                regions: &g.regions,
                ideology: &g.ideology,
                status: g.status.map(|s| s.as_str()),
            });
        }
    }
    for e in ids(Kind::Actor) {
        if let Data::Actor(a) = &e.data {
            out.actors.push(ActorOut {
                common: common(r, e),
                kind: a.kind.as_str(),
                country: a.country.as_deref(),
                role: a.role.as_deref(),
                affiliation: a.affiliation.map(|p| slug(site, p)),
            });
        }
    }
    for e in ids(Kind::Statement) {
        if let Data::Statement(s) = &e.data {
            out.statements.push(StatementOut {
                common: common(r, e),
                date: s.date,
                speaker: s.speaker.map(|p| slug(site, p)),
                via: s.via.map(|p| slug(site, p)),
                incident: s.incident.map(|p| slug(site, p)),
                about: s.about.iter().map(|&p| slug(site, p)).collect(),
                stance: s.stance.as_str(),
                quote: s.quote.as_deref(),
                verification: s.verification.as_ref(),
                source: s.source.as_ref(),
            });
        }
    }
    serde_json::to_writer_pretty(w, &out).map_err(std::io::Error::other)
}

/// A text cell that a spreadsheet would take for a formula is prefixed with `'`
/// (CSV injection); everything else is kept as written.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// `data/incidents.csv`: one row per published incident, newest first, streamed to `w`.
pub fn write_incidents_csv(
    r: &OutputContext<'_>,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let site = r.site;
    let mut w = csv::Writer::from_writer(w);
    w.write_record([
        "slug",
        "date",
        "end_date",
        "title",
        "country_code",
        "country",
        "city",
        "place",
        "latitude",
        "longitude",
        "killed",
        "injured",
        "casualties_note",
        "attack_types",
        "targets",
        "perpetrators",
        "claimed_by",
        "status",
        "url",
    ])
    .map_err(std::io::Error::other)?;
    for &id in &site.listings[&Kind::Incident] {
        let e = site.get(id);
        let Data::Incident(i) = &e.data else { continue };
        let loc = i.location.as_ref();
        let code = loc.and_then(|l| l.country.as_deref()).unwrap_or("");
        let coords = loc.and_then(|l| l.coordinates);
        let cas = i.casualties.as_ref();
        let num = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
        let mut claimed: Vec<&str> = site
            .links(id)
            .claimed_by
            .iter()
            .map(|&p| slug(site, p))
            .collect();
        claimed.sort_unstable();
        w.write_record([
            e.slug.as_str(),
            &i.date.iso(),
            &i.end_date.map(|d| d.iso()).unwrap_or_default(),
            &cell(&e.common.title),
            code,
            country_name(code).unwrap_or(""),
            &cell(loc.and_then(|l| l.city.as_deref()).unwrap_or("")),
            &cell(loc.and_then(|l| l.place.as_deref()).unwrap_or("")),
            &coords.map(|c| c[0].to_string()).unwrap_or_default(),
            &coords.map(|c| c[1].to_string()).unwrap_or_default(),
            &num(cas.and_then(|c| c.killed)),
            &num(cas.and_then(|c| c.injured)),
            &cell(cas.and_then(|c| c.note.as_deref()).unwrap_or("")),
            &cell(&i.attack_types.join("; ")),
            &cell(&i.targets.join("; ")),
            &i.perpetrators
                .iter()
                .map(|&p| slug(site, p))
                .collect::<Vec<_>>()
                .join("; "),
            &claimed.join("; "),
            i.status.as_str(),
            &r.url(&r.routes.entity(id)),
        ])
        .map_err(std::io::Error::other)?;
    }
    w.flush()
}
