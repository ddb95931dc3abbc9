//! The mapping of each kind of entity to STIX objects (see `docs/exports.md`).

use super::{
    Body, Builder, entity_ref, ext_ref, falsely_attributed, group_identity, opinion, stix_id, ts,
};
use crate::link::Entity;
use crate::model::CountryCode;
use crate::model::{ActorKind, Data, EntityId, Kind, Relation, Stance, VerificationStatus};

pub(super) fn incident(b: &mut Builder, e: &Entity) {
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
        let country = loc.country;
        let coords = loc.coordinates;
        // A location needs a country, a region or coordinates (STIX 2.1, 4.10).
        if country.is_some() || coords.is_some() {
            let loc_id = stix_id("location", &format!("location:{slug}"));
            let name = [&loc.place, &loc.city, &loc.region]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .chain(country.map(CountryCode::name))
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
                    country: country.map(|c| c.to_string()),
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

pub(super) fn group(b: &mut Builder, e: &Entity, speaks: bool) {
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
    relations(b, e, &id, &g.relations);
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

pub(super) fn actor(b: &mut Builder, e: &Entity) {
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
    relations(b, e, &id, &a.relations);
    let slug = e.slug.as_str();
    if let Some(code) = a.country {
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
                name: code.name().to_string(),
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

pub(super) fn statement(b: &mut Builder, e: &Entity) {
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
    let own = s.source.as_ref().map(|src| ext_ref(x, src));
    refs.extend(own.filter(|r| {
        !refs
            .iter()
            .any(|o| o.url == r.url && o.description == r.description)
    }));
    let times = (b.created(e), b.modified(e));
    let id = entity_ref(e);
    if falsely_attributed(s) {
        let fabricated =
            s.verification.as_ref().map(|v| v.status) == Some(VerificationStatus::Fabricated);
        labels.push(
            if fabricated {
                "falsely-attributed"
            } else {
                "assessed-false"
            }
            .into(),
        );
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

/// Typed relations of a group or an actor (`id`), each a `related-to` relationship whose
/// description is its kind (`rival`, `affiliate`), as declared; targets are published.
fn relations(b: &mut Builder, e: &Entity, id: &String, relations: &[Relation<EntityId>]) {
    for r in relations {
        let g = b.x.get(r.group);
        let tlp = e.common.tlp.max(g.common.tlp);
        b.relate(
            (e.slug.as_str(), id),
            (g.slug.as_str(), &entity_ref(g)),
            r.kind.as_str().into(),
            e,
            tlp,
        );
    }
}
