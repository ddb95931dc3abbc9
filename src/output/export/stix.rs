//! `data/stix-bundle.json`: the site as a STIX 2.1 bundle (mapping in `docs/exports.md`).
//!
//! - groups are `intrusion-set`s (short name and aliases as `aliases`); actors are
//!   `identity` objects; incidents are `incident`s with a `location`; statements are
//!   `opinion`s (stances that agree or disagree) or `note`s; sources are
//!   `external_references`; every object carries the standard TLP 2.0 marking of its level.
//! - Ids are UUIDv5 from [`NAMESPACE`] and `<kind>:<slug>`, and timestamps come from the
//!   content's dates, never the clock: the same content gives a byte-identical bundle.
//! - A statement whose verification is `fabricated` or `false` is never presented as the
//!   speaker's own words: it becomes a `note` created by the site, labelled, with the
//!   speaker only among the objects it is about.
//! - STIX 2.1 defines no relationship from an `incident` other than the common ones, and
//!   the validator rejects any other in strict mode, so an incident's perpetrators and
//!   location are `related-to` relationships whose `description` says which.

use std::collections::BTreeSet;
use std::io::{self, Write};

use serde::Serialize;
use uuid::Uuid;

use super::Exports;
use crate::link::Entity;
use crate::model::country::country_name;
use crate::model::{ActorKind, Data, EntityId, Kind, Source, Stance, Tlp, VerificationStatus};

/// The namespace of every id in a briefing bundle (fixed: changing it changes every id).
pub const NAMESPACE: Uuid = Uuid::from_u128(0x4cc44d2e_163f_4a0a_8e53_7b926e526ddc);

/// The TLP 2.0 extension definition of the STIX common objects (OASIS CTI TC).
const TLP_EXTENSION: &str = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

/// The standard TLP 2.0 marking-definition id of a level (OASIS `cti-stix-common-objects`,
/// `extension-definition-specifications/tlp-2.0`).
pub fn tlp_marking_id(tlp: Tlp) -> &'static str {
    match tlp {
        Tlp::Clear => "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
        Tlp::Green => "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
        Tlp::Amber => "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
        Tlp::AmberStrict => "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        Tlp::Red => "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
    }
}

/// The STIX id of an object of `stix_type` for `name` (`incident:<slug>`).
pub fn stix_id(stix_type: &str, name: &str) -> String {
    format!("{stix_type}--{}", Uuid::new_v5(&NAMESPACE, name.as_bytes()))
}

/// The `opinion` value of a stance, or `None` where the statement is a `note`.
pub fn opinion(stance: Stance) -> Option<&'static str> {
    match stance {
        Stance::Claims => Some("strongly-agree"),
        Stance::Admits | Stance::Attributes | Stance::Blames => Some("agree"),
        Stance::Denies => Some("strongly-disagree"),
        Stance::Warns | Stance::Condemns | Stance::Threatens | Stance::Other => None,
    }
}

#[derive(Serialize)]
struct Bundle {
    r#type: &'static str,
    id: String,
    objects: Vec<Object>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Object {
    Marking(Marking),
    Sdo(Box<Sdo>),
}

#[derive(Serialize)]
struct Marking {
    r#type: &'static str,
    spec_version: &'static str,
    id: &'static str,
    created: &'static str,
    name: &'static str,
    extensions: serde_json::Value,
}

#[derive(Serialize)]
struct ExtRef {
    source_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

/// A STIX domain or relationship object: common properties, then its type's.
#[derive(Serialize)]
struct Sdo {
    r#type: &'static str,
    spec_version: &'static str,
    id: String,
    created: String,
    modified: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_by_ref: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    labels: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    external_references: Vec<ExtRef>,
    object_marking_refs: [&'static str; 1],
    #[serde(flatten)]
    body: Body,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Body {
    Identity {
        name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        identity_class: &'static str,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        roles: Vec<String>,
    },
    IntrusionSet {
        name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        aliases: Vec<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        first_seen: Option<String>,
    },
    Incident {
        name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        description: Option<String>,
    },
    Location {
        name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        latitude: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        longitude: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        country: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        administrative_area: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        city: Option<String>,
    },
    Opinion {
        explanation: String,
        opinion: &'static str,
        object_refs: Vec<String>,
    },
    Note {
        r#abstract: String,
        content: String,
        object_refs: Vec<String>,
    },
    Relationship {
        relationship_type: &'static str,
        description: String,
        source_ref: String,
        target_ref: String,
    },
}

/// A timestamp as STIX writes it: UTC, to the millisecond.
fn ts(t: jiff::Timestamp) -> String {
    format!("{}.000Z", t.strftime("%Y-%m-%dT%H:%M:%S"))
}

/// The STIX id an entity is known by in object refs.
fn entity_ref(e: &Entity) -> String {
    match e.kind {
        Kind::Incident => stix_id("incident", &format!("incident:{}", e.slug)),
        Kind::Group => stix_id("intrusion-set", &format!("group:{}", e.slug)),
        Kind::Actor => stix_id("identity", &format!("actor:{}", e.slug)),
        Kind::Statement => {
            let note = matches!(&e.data, Data::Statement(s) if statement_is_note(s));
            let t = if note { "note" } else { "opinion" };
            stix_id(t, &format!("statement:{}", e.slug))
        }
        Kind::Page => stix_id("note", &format!("page:{}", e.slug)),
    }
}

/// The identity through which a group speaks (`created_by_ref` must be an identity).
fn group_identity(slug: &str) -> String {
    stix_id("identity", &format!("group-identity:{slug}"))
}

fn falsely_attributed(s: &crate::model::StatementData<EntityId>) -> bool {
    s.verification.as_ref().is_some_and(|v| {
        matches!(
            v.status,
            VerificationStatus::Fabricated | VerificationStatus::False
        )
    })
}

fn statement_is_note(s: &crate::model::StatementData<EntityId>) -> bool {
    falsely_attributed(s) || opinion(s.stance).is_none()
}

fn ext_ref(s: &Source) -> ExtRef {
    let mut description = s.title.clone();
    if let Some(d) = &s.date {
        description.push_str(&format!(" ({})", d.iso()));
    }
    if let Some(r) = s.reliability {
        description.push_str(&format!("; reliability {}: {}", r.as_str(), r.label()));
    }
    ExtRef {
        source_name: s.publisher.clone().unwrap_or_else(|| s.title.clone()),
        description: Some(description),
        url: s.url.clone(),
    }
}

struct Builder<'x, 'a> {
    x: &'x Exports<'a>,
    site_identity: String,
    /// The earliest content date, for objects that have no date of their own.
    epoch: jiff::Timestamp,
    objects: Vec<Object>,
    levels: BTreeSet<Tlp>,
}

impl Builder<'_, '_> {
    fn created(&self, e: &Entity) -> jiff::Timestamp {
        e.date()
            .or(e.common.updated.as_ref())
            .map_or(self.epoch, |d| d.start())
    }

    fn modified(&self, e: &Entity) -> jiff::Timestamp {
        let created = self.created(e);
        e.common.updated.map_or(created, |u| u.start().max(created))
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        r#type: &'static str,
        id: String,
        (created, modified): (jiff::Timestamp, jiff::Timestamp),
        tlp: Tlp,
        created_by_ref: Option<String>,
        labels: Vec<String>,
        external_references: Vec<ExtRef>,
        body: Body,
    ) {
        self.levels.insert(tlp);
        self.objects.push(Object::Sdo(Box::new(Sdo {
            r#type,
            spec_version: "2.1",
            id,
            created: ts(created),
            modified: ts(modified.max(created)),
            created_by_ref,
            labels,
            external_references,
            object_marking_refs: [tlp_marking_id(tlp)],
            body,
        })));
    }

    /// A `related-to` relationship; its marking is the stricter of its ends'.
    fn relate(
        &mut self,
        from: (&str, &String),
        to: (&str, &String),
        what: String,
        e: &Entity,
        tlp: Tlp,
    ) {
        let id = stix_id(
            "relationship",
            &format!("relationship:{}:{}:{}", from.0, what, to.0),
        );
        let times = (self.created(e), self.modified(e));
        let by = Some(self.site_identity.clone());
        self.push(
            "relationship",
            id,
            times,
            tlp,
            by,
            Vec::new(),
            Vec::new(),
            Body::Relationship {
                relationship_type: "related-to",
                description: what,
                source_ref: from.1.clone(),
                target_ref: to.1.clone(),
            },
        );
    }

    /// Sources plus the entity's own page.
    fn refs(&self, e: &Entity) -> Vec<ExtRef> {
        let mut out = vec![ExtRef {
            source_name: self.x.title.to_string(),
            description: Some(format!("{} page", e.kind.label())),
            url: Some(self.x.page_url(e)),
        }];
        out.extend(e.common.sources.iter().map(ext_ref));
        out
    }
}

/// `data/stix-bundle.json`, streamed to `w`.
pub fn write_bundle(x: &Exports, w: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(w, &bundle(x)).map_err(io::Error::other)
}

fn bundle(x: &Exports) -> Bundle {
    let epoch = x
        .site
        .entities
        .iter()
        .filter_map(|e| e.date().map(|d| d.start()))
        .min()
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let mut b = Builder {
        x,
        site_identity: stix_id("identity", "site"),
        epoch,
        objects: Vec::new(),
        levels: BTreeSet::new(),
    };
    let site_id = b.site_identity.clone();
    b.push(
        "identity",
        site_id,
        (epoch, epoch),
        Tlp::Clear,
        None,
        Vec::new(),
        vec![ExtRef {
            source_name: x.title.to_string(),
            description: Some("the briefing that published this bundle".into()),
            url: Some(x.url("")),
        }],
        Body::Identity {
            name: x.title.to_string(),
            description: None,
            identity_class: "organization",
            roles: Vec::new(),
        },
    );
    let speakers: BTreeSet<EntityId> = x
        .listed(Kind::Statement)
        .filter_map(|e| match &e.data {
            Data::Statement(s) if !falsely_attributed(s) => s.speaker,
            _ => None,
        })
        .collect();
    for e in &x.site.entities {
        match &e.data {
            Data::Incident(_) => incident(&mut b, e),
            Data::Group(_) => group(&mut b, e, speakers.contains(&e.id)),
            Data::Actor(_) => actor(&mut b, e),
            Data::Statement(_) => statement(&mut b, e),
            Data::Page => {}
        }
    }
    let mut objects: Vec<Object> = b.levels.iter().map(|&t| marking(t)).collect();
    objects.append(&mut b.objects);
    Bundle {
        r#type: "bundle",
        id: stix_id("bundle", &format!("bundle:{}", x.title)),
        objects,
    }
}

fn marking(tlp: Tlp) -> Object {
    let level = tlp.as_str();
    Object::Marking(Marking {
        r#type: "marking-definition",
        spec_version: "2.1",
        id: tlp_marking_id(tlp),
        created: "2022-10-01T00:00:00.000Z",
        name: tlp.label(),
        extensions: serde_json::json!({
            TLP_EXTENSION: { "extension_type": "property-extension", "tlp_2_0": level }
        }),
    })
}

fn incident(b: &mut Builder, e: &Entity) {
    let Data::Incident(i) = &e.data else { return };
    let id = entity_ref(e);
    let mut labels: Vec<String> = e.common.tags.clone();
    labels.extend(i.attack_types.iter().map(|t| format!("attack-type:{t}")));
    labels.extend(i.targets.iter().map(|t| format!("target:{t}")));
    labels.push(format!("status:{}", i.status.as_str()));
    let times = (b.created(e), b.modified(e));
    let by = Some(b.site_identity.clone());
    let refs = b.refs(e);
    b.push(
        "incident",
        id.clone(),
        times,
        e.common.tlp,
        by.clone(),
        labels,
        refs,
        Body::Incident {
            name: e.common.title.clone(),
            description: e.common.summary.clone(),
        },
    );
    let slug = e.slug.as_str();
    if let Some(loc) = &i.location {
        let country = loc.country.clone().filter(|c| country_name(c).is_some());
        let coords = loc.coordinates;
        // A location needs a country, a region or coordinates (STIX 2.1, 4.10).
        if country.is_some() || coords.is_some() {
            let loc_id = stix_id("location", &format!("location:{slug}"));
            let name = [&loc.place, &loc.city, &loc.region]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .chain(country.as_deref().and_then(country_name))
                .collect::<Vec<_>>()
                .join(", ");
            b.push(
                "location",
                loc_id.clone(),
                times,
                e.common.tlp,
                by,
                Vec::new(),
                Vec::new(),
                Body::Location {
                    name: if name.is_empty() {
                        e.common.title.clone()
                    } else {
                        name
                    },
                    latitude: coords.map(|c| c[0]),
                    longitude: coords.map(|c| c[1]),
                    country,
                    administrative_area: loc.region.clone(),
                    city: loc.city.clone(),
                },
            );
            b.relate(
                (slug, &id),
                ("location", &loc_id),
                "location".into(),
                e,
                e.common.tlp,
            );
        }
    }
    for &p in &i.perpetrators {
        let g = b.x.get(p);
        let tlp = e.common.tlp.max(g.common.tlp);
        b.relate(
            (slug, &id),
            (g.slug.as_str(), &entity_ref(g)),
            "perpetrator".into(),
            e,
            tlp,
        );
    }
}

fn group(b: &mut Builder, e: &Entity, speaks: bool) {
    let Data::Group(g) = &e.data else { return };
    let id = entity_ref(e);
    let mut aliases: Vec<String> = g.short_name.iter().chain(&g.aliases).cloned().collect();
    aliases.dedup();
    let mut labels = e.common.tags.clone();
    labels.extend(g.ideology.iter().map(|i| format!("ideology:{i}")));
    labels.extend(g.status.map(|s| format!("status:{}", s.as_str())));
    let times = (b.created(e), b.modified(e));
    let by = Some(b.site_identity.clone());
    let refs = b.refs(e);
    b.push(
        "intrusion-set",
        id.clone(),
        times,
        e.common.tlp,
        by.clone(),
        labels,
        refs,
        Body::IntrusionSet {
            name: e.common.title.clone(),
            description: e.common.summary.clone(),
            aliases,
            first_seen: g.founded.map(|d| ts(d.start())),
        },
    );
    let slug = e.slug.as_str();
    if let Some(parent) = g.parent {
        let p = b.x.get(parent);
        let tlp = e.common.tlp.max(p.common.tlp);
        b.relate(
            (slug, &id),
            (p.slug.as_str(), &entity_ref(p)),
            "parent".into(),
            e,
            tlp,
        );
    }
    if speaks {
        let voice = group_identity(slug);
        b.push(
            "identity",
            voice.clone(),
            times,
            e.common.tlp,
            by,
            Vec::new(),
            Vec::new(),
            Body::Identity {
                name: e.common.title.clone(),
                description: Some("the group as the author of its statements".into()),
                identity_class: "group",
                roles: Vec::new(),
            },
        );
        let tlp = e.common.tlp;
        b.relate(
            (&format!("{slug}:voice"), &voice),
            (slug, &id),
            "speaks for".into(),
            e,
            tlp,
        );
    }
}

fn actor(b: &mut Builder, e: &Entity) {
    let Data::Actor(a) = &e.data else { return };
    let id = entity_ref(e);
    let class = match a.kind {
        ActorKind::Person => "individual",
        ActorKind::State | ActorKind::Agency | ActorKind::Organisation | ActorKind::Media => {
            "organization"
        }
    };
    let mut labels = e.common.tags.clone();
    labels.push(format!("actor-kind:{}", a.kind.as_str()));
    let times = (b.created(e), b.modified(e));
    let by = Some(b.site_identity.clone());
    let refs = b.refs(e);
    b.push(
        "identity",
        id.clone(),
        times,
        e.common.tlp,
        by.clone(),
        labels,
        refs,
        Body::Identity {
            name: e.common.title.clone(),
            description: e.common.summary.clone(),
            identity_class: class,
            roles: a.role.iter().cloned().collect(),
        },
    );
    let slug = e.slug.as_str();
    if let Some(code) = a.country.as_deref().filter(|c| country_name(c).is_some()) {
        let loc = stix_id("location", &format!("actor-country:{slug}"));
        b.push(
            "location",
            loc.clone(),
            times,
            e.common.tlp,
            by.clone(),
            Vec::new(),
            Vec::new(),
            Body::Location {
                name: country_name(code).unwrap_or(code).to_string(),
                latitude: None,
                longitude: None,
                country: Some(code.to_string()),
                administrative_area: None,
                city: None,
            },
        );
        let rel = stix_id("relationship", &format!("relationship:{slug}:located-at"));
        b.push(
            "relationship",
            rel,
            times,
            e.common.tlp,
            by,
            Vec::new(),
            Vec::new(),
            Body::Relationship {
                relationship_type: "located-at",
                description: "country".into(),
                source_ref: id.clone(),
                target_ref: loc,
            },
        );
    }
    if let Some(aff) = a.affiliation {
        let p = b.x.get(aff);
        let tlp = e.common.tlp.max(p.common.tlp);
        b.relate(
            (slug, &id),
            (p.slug.as_str(), &entity_ref(p)),
            "affiliation".into(),
            e,
            tlp,
        );
    }
}

fn statement(b: &mut Builder, e: &Entity) {
    let Data::Statement(s) = &e.data else { return };
    let x = b.x;
    let name = |id: EntityId| x.get(id).common.title.as_str();
    let speaker = s.speaker.map(|id| x.get(id));
    let speaker_name = s.speaker.map_or("an unknown speaker", name);
    // Objects it is about: the incident, whom it is about, and the speaker where the stance
    // is about the speaker's own part, or where it is falsely attributed to them.
    let mut about: Vec<String> = s
        .incident
        .iter()
        .chain(&s.about)
        .map(|&id| entity_ref(x.get(id)))
        .collect();
    let own_part = matches!(s.stance, Stance::Claims | Stance::Admits | Stance::Denies);
    if let Some(sp) = speaker
        && (own_part || falsely_attributed(s) || about.is_empty())
    {
        about.push(entity_ref(sp));
    }
    if about.is_empty() {
        about.push(b.site_identity.clone());
    }
    about.dedup();
    let mut tlp = e.common.tlp;
    for id in s.incident.iter().chain(&s.about).chain(&s.speaker) {
        tlp = tlp.max(x.get(*id).common.tlp);
    }
    let mut labels = e.common.tags.clone();
    labels.push(format!("stance:{}", s.stance.as_str()));
    if let Some(v) = &s.verification {
        labels.push(format!("verification:{}", v.status.as_str()));
    }
    let mut text = e.common.summary.clone().unwrap_or_default();
    if let Some(q) = &s.quote {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&format!("Quote: \u{201c}{q}\u{201d}"));
    }
    if let Some(via) = s.via {
        text.push_str(&format!("\nVia: {}", name(via)));
    }
    if let Some(note) = s.verification.as_ref().and_then(|v| v.note.as_deref()) {
        text.push_str(&format!("\nVerification: {note}"));
    }
    let text = text.trim().to_string();
    let mut refs = b.refs(e);
    refs.extend(s.source.iter().map(ext_ref));
    let times = (b.created(e), b.modified(e));
    let id = entity_ref(e);
    if falsely_attributed(s) {
        let fabricated =
            s.verification.as_ref().map(|v| v.status) == Some(VerificationStatus::Fabricated);
        labels.push("falsely-attributed".into());
        let what = if fabricated {
            format!("Fabricated statement falsely attributed to {speaker_name} (not made by them)")
        } else {
            format!("Statement attributed to {speaker_name}, assessed as false")
        };
        let by = Some(b.site_identity.clone());
        b.push(
            "note",
            id,
            times,
            tlp,
            by,
            labels,
            refs,
            Body::Note {
                r#abstract: format!("{what}: {}", e.common.title),
                content: if text.is_empty() {
                    what
                } else {
                    format!("{what}.\n{text}")
                },
                object_refs: about,
            },
        );
        return;
    }
    let by = match speaker {
        Some(sp) if sp.kind == Kind::Group => Some(group_identity(sp.slug.as_str())),
        Some(sp) => Some(entity_ref(sp)),
        None => Some(b.site_identity.clone()),
    };
    let body = match opinion(s.stance) {
        Some(value) => Body::Opinion {
            explanation: if text.is_empty() {
                e.common.title.clone()
            } else {
                format!("{}\n{text}", e.common.title)
            },
            opinion: value,
            object_refs: about,
        },
        None => Body::Note {
            r#abstract: e.common.title.clone(),
            content: if text.is_empty() {
                e.common.title.clone()
            } else {
                text
            },
            object_refs: about,
        },
    };
    let t = if matches!(body, Body::Opinion { .. }) {
        "opinion"
    } else {
        "note"
    };
    b.push(t, id, times, tlp, by, labels, refs, body);
}
