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

mod map;

use std::collections::BTreeSet;
use std::io::{self, Write};

use serde::Serialize;
use uuid::Uuid;

use crate::link::Entity;
use crate::model::{Data, EntityId, Kind, Source, Stance, Tlp, VerificationStatus};
use crate::output::export::Exports;
use crate::output::export::pieces::{self, Document, Part, PieceSource};

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
    #[serde(skip_serializing_if = "Option::is_none")]
    external_id: Option<String>,
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

/// Whether `url` is absolute: STIX wants URIs, and a site-relative link is none.
fn is_absolute(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

/// A source as an external reference; a site-relative URL is resolved against an absolute
/// `base_url` or, failing that, kept in the description.
fn ext_ref(x: &Exports, s: &Source) -> ExtRef {
    let mut description = s.title.clone();
    if let Some(d) = &s.date {
        description.push_str(&format!(" ({})", d.iso()));
    }
    if let Some(r) = s.reliability {
        description.push_str(&format!("; reliability {}: {}", r.as_str(), r.label()));
    }
    let url = match s.url.as_deref() {
        Some(u) if is_absolute(u) => Some(u.to_string()),
        Some(u) if x.base_url.is_absolute() => Some(x.url(u.trim_start_matches('/'))),
        Some(u) => {
            description.push_str(&format!("; {u}"));
            None
        }
        None => None,
    };
    ExtRef {
        source_name: s.publisher.clone().unwrap_or_else(|| s.title.clone()),
        description: Some(description),
        url,
        external_id: None,
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
        let url = self.x.page_url(e);
        let mut out = vec![ExtRef {
            source_name: self.x.title.to_string(),
            description: Some(format!("{} page", e.kind.label())),
            url: is_absolute(&url).then_some(url),
            external_id: Some(format!("{}/{}", e.kind.dir(), e.slug)),
        }];
        out.extend(e.common.sources.iter().map(|s| ext_ref(self.x, s)));
        out
    }
}

/// What every entity's STIX objects depend on besides the entity and what it names.
#[derive(Debug)]
pub(crate) struct Shared {
    /// The earliest content date, for objects that have no date of their own.
    epoch: jiff::Timestamp,
    /// Speakers of published statements not falsely attributed to them.
    speakers: BTreeSet<EntityId>,
}

impl Shared {
    /// What the exports `x` share.
    pub(crate) fn of(x: &Exports) -> Shared {
        let epoch = x
            .site
            .entities
            .iter()
            .filter_map(|e| e.date().map(|d| d.start()))
            .min()
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let speakers = x
            .listed(Kind::Statement)
            .filter_map(|e| match &e.data {
                Data::Statement(s) if !falsely_attributed(s) => s.speaker,
                _ => None,
            })
            .collect();
        Shared { epoch, speakers }
    }

    /// Whether objects made with `self` and `other` are the same for an entity whose
    /// fields, links and named entities are the same (who speaks is in the links).
    pub(crate) fn same_as(&self, other: &Shared) -> bool {
        self.epoch == other.epoch
    }
}

/// The bit of a TLP level in a set of levels.
fn level_bit(tlp: Tlp) -> u8 {
    let i = Tlp::ALL.iter().position(|&t| t == tlp).unwrap_or(0);
    1 << i
}

/// The STIX objects of entity `e` as elements of the bundle's `objects` (joined by
/// [`pieces::SEPARATOR`]; empty for a plain page), with the TLP levels they carry as a bit
/// set.
pub(crate) fn objects(x: &Exports, shared: &Shared, e: &Entity) -> (Vec<u8>, u8) {
    let mut b = Builder {
        x,
        site_identity: stix_id("identity", "site"),
        epoch: shared.epoch,
        objects: Vec::new(),
        levels: BTreeSet::new(),
    };
    match &e.data {
        Data::Incident(_) => map::incident(&mut b, e),
        Data::Group(_) => map::group(&mut b, e, shared.speakers.contains(&e.id)),
        Data::Actor(_) => map::actor(&mut b, e),
        Data::Statement(_) => map::statement(&mut b, e),
        Data::Page => {}
    }
    let levels = b.levels.iter().fold(0, |l, &t| l | level_bit(t));
    (join(&b.objects), levels)
}

/// Objects as elements of the bundle's `objects`.
fn join(objects: &[Object]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(pieces::SEPARATOR);
        }
        out = pieces::element(out, o);
    }
    out
}

#[derive(Serialize)]
struct Head {
    r#type: &'static str,
    id: String,
}

/// `data/stix-bundle.json`, streamed to `w`: the markings of the levels used, the site's
/// identity, then every entity's objects in id order.
pub fn write_bundle(x: &Exports, source: PieceSource, w: &mut dyn Write) -> io::Result<()> {
    let ids: Vec<EntityId> = x.site.entities.iter().map(|e| e.id).collect();
    let (fresh, levels) = source.stix(x, &ids);
    let epoch = Shared::of(x).epoch;
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
            url: x.base_url.is_absolute().then(|| x.url("")),
            external_id: None,
        }],
        Body::Identity {
            name: x.title.to_string(),
            description: None,
            identity_class: "organization",
            roles: Vec::new(),
        },
    );
    let levels = levels | level_bit(Tlp::Clear);
    let mut objects: Vec<Object> = (Tlp::ALL.iter())
        .filter(|&&t| levels & level_bit(t) != 0)
        .map(|&t| marking(t))
        .collect();
    objects.append(&mut b.objects);
    let head = Head {
        r#type: "bundle",
        id: stix_id("bundle", &format!("bundle:{}", x.title)),
    };
    let mut doc = Document::open(w, &head)?;
    doc.array("objects")?;
    doc.piece(&join(&objects))?;
    match fresh {
        Some(made) => {
            for p in &made {
                doc.piece(p)?;
            }
        }
        None => source.each(x, Part::Stix, &ids, &mut |p| doc.piece(p))?,
    }
    doc.end_array()?;
    doc.close()
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
