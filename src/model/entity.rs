//! Entity data: the fields every kind has ([`Common`]), the per-kind data ([`Data`]),
//! generic over its reference type, and the parts they share (sources, locations).

use serde::{Deserialize, Serialize};

use super::written;
use super::{
    ActorKind, CountryCode, GroupStatus, IncidentStatus, Kind, PartialDate, Relation, Reliability,
    Stance, Tlp, VerificationStatus,
};
use crate::diag::Span;

/// Index of a published entity in [`crate::link::Site::entities`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntityId(pub u32);

impl EntityId {
    /// As a vector index.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A cited source.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Title.
    pub title: String,
    /// Publisher.
    #[serde(default)]
    pub publisher: Option<String>,
    /// http(s) or site-relative URL.
    #[serde(default)]
    pub url: Option<String>,
    /// Publication date.
    #[serde(default)]
    pub date: Option<PartialDate>,
    /// Admiralty grade.
    #[serde(default)]
    pub reliability: Option<Reliability>,
    /// Where `url` is: the parser's node in the frontmatter, then (after the load stage)
    /// the URL in its file. Not part of the data.
    #[serde(skip)]
    pub url_span: Option<Span>,
}

impl<'de> Deserialize<'de> for Source {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = written::Source::deserialize(d)?;
        let (url, url_span) = w.url.map_or((None, None), |u| (Some(u.value), u.span));
        Ok(Source {
            title: w.title,
            publisher: w.publisher,
            url,
            date: w.date,
            reliability: w.reliability,
            url_span,
        })
    }
}

/// Where an incident happened, validated: the country is a known code (as written, see
/// [`written::Location`]).
#[derive(Debug, Clone, Serialize)]
pub struct Location {
    /// Venue or landmark.
    pub place: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Region.
    pub region: Option<String>,
    /// Country.
    pub country: Option<CountryCode>,
    /// `[lat, lon]`.
    pub coordinates: Option<[f64; 2]>,
}

/// Casualty figures.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Casualties {
    /// Killed.
    #[serde(default)]
    pub killed: Option<u64>,
    /// Injured.
    #[serde(default)]
    pub injured: Option<u64>,
    /// Qualifier.
    #[serde(default)]
    pub note: Option<String>,
}

/// Verification of a statement.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Verification {
    /// Status.
    pub status: VerificationStatus,
    /// Note.
    #[serde(default)]
    pub note: Option<String>,
}

/// Fields every kind has.
#[derive(Debug, Clone)]
pub struct Common {
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Sources.
    pub sources: Vec<Source>,
    /// TLP level.
    pub tlp: Tlp,
    /// Draft.
    pub draft: bool,
    /// Embargo: not published before.
    pub publish_at: Option<PartialDate>,
    /// Last update.
    pub updated: Option<PartialDate>,
    /// Language of the entry (BCP 47 tag) when it is not the site's.
    pub lang: Option<String>,
    /// Author data.
    pub extra: Option<serde_json::Value>,
}

/// Incident data.
#[derive(Debug, Clone)]
pub struct IncidentData<R> {
    /// Start.
    pub date: PartialDate,
    /// End.
    pub end_date: Option<PartialDate>,
    /// Location.
    pub location: Option<Location>,
    /// Casualties.
    pub casualties: Option<Casualties>,
    /// Attack types.
    pub attack_types: Vec<String>,
    /// Targets.
    pub targets: Vec<String>,
    /// Perpetrator groups.
    pub perpetrators: Vec<R>,
    /// Status.
    pub status: IncidentStatus,
}

/// Group data.
#[derive(Debug, Clone)]
pub struct GroupData<R> {
    /// Short name.
    pub short_name: Option<String>,
    /// Aliases.
    pub aliases: Vec<String>,
    /// Parent group.
    pub parent: Option<R>,
    /// Founded.
    pub founded: Option<PartialDate>,
    /// Countries of operation.
    pub regions: Vec<CountryCode>,
    /// Ideology.
    pub ideology: Vec<String>,
    /// Status.
    pub status: Option<GroupStatus>,
    /// Typed relations to other groups.
    pub relations: Vec<Relation<R>>,
}

/// Actor data.
#[derive(Debug, Clone)]
pub struct ActorData<R> {
    /// Kind of actor.
    pub kind: ActorKind,
    /// Country.
    pub country: Option<CountryCode>,
    /// Role.
    pub role: Option<String>,
    /// Affiliation.
    pub affiliation: Option<R>,
    /// Typed relations to groups.
    pub relations: Vec<Relation<R>>,
}

/// Statement data.
#[derive(Debug, Clone)]
pub struct StatementData<R> {
    /// Date.
    pub date: PartialDate,
    /// Speaker (a resolved statement always has one; `None` only when it is withheld).
    pub speaker: Option<R>,
    /// Channel.
    pub via: Option<R>,
    /// Incident.
    pub incident: Option<R>,
    /// Whom it is about.
    pub about: Vec<R>,
    /// Stance.
    pub stance: Stance,
    /// Quote.
    pub quote: Option<String>,
    /// Verification.
    pub verification: Option<Verification>,
    /// Where it was reported.
    pub source: Option<Source>,
}

impl<R> StatementData<R> {
    /// Whether the statement is assessed `false` or `fabricated`: shown as falsely
    /// attributed to its speaker, never among the speaker's own words (issue 12).
    pub fn falsely_attributed(&self) -> bool {
        self.verification.as_ref().is_some_and(|v| {
            matches!(
                v.status,
                super::VerificationStatus::Fabricated | super::VerificationStatus::False
            )
        })
    }
}

/// Per-kind data.
#[derive(Debug, Clone)]
pub enum Data<R> {
    /// An incident.
    Incident(IncidentData<R>),
    /// A group.
    Group(GroupData<R>),
    /// An actor.
    Actor(ActorData<R>),
    /// A statement.
    Statement(StatementData<R>),
    /// A plain page.
    Page,
}

impl<R> Data<R> {
    /// The kind of this data.
    pub fn kind(&self) -> Kind {
        match self {
            Data::Incident(_) => Kind::Incident,
            Data::Group(_) => Kind::Group,
            Data::Actor(_) => Kind::Actor,
            Data::Statement(_) => Kind::Statement,
            Data::Page => Kind::Page,
        }
    }

    /// The main date (incident start, statement date, group founding).
    pub fn date(&self) -> Option<&PartialDate> {
        match self {
            Data::Incident(i) => Some(&i.date),
            Data::Statement(s) => Some(&s.date),
            Data::Group(g) => g.founded.as_ref(),
            _ => None,
        }
    }

    /// Every reference with the field it stands in and the kinds it may point to.
    pub fn references(&self) -> Vec<(&'static str, &R, &'static [Kind])> {
        const GROUP: &[Kind] = &[Kind::Group];
        const ACTOR: &[Kind] = &[Kind::Actor];
        const INCIDENT: &[Kind] = &[Kind::Incident];
        const SPEAKER: &[Kind] = &[Kind::Actor, Kind::Group];
        let mut out = Vec::new();
        match self {
            Data::Incident(i) => {
                out.extend(i.perpetrators.iter().map(|r| ("perpetrators", r, GROUP)));
            }
            Data::Group(g) => {
                out.extend(g.parent.iter().map(|r| ("parent", r, GROUP)));
                out.extend(g.relations.iter().map(|r| ("relations", &r.group, GROUP)));
            }
            Data::Actor(a) => {
                out.extend(a.affiliation.iter().map(|r| ("affiliation", r, ACTOR)));
                out.extend(a.relations.iter().map(|r| ("relations", &r.group, GROUP)));
            }
            Data::Statement(s) => {
                out.extend(s.speaker.iter().map(|r| ("speaker", r, SPEAKER)));
                out.extend(s.via.iter().map(|r| ("via", r, ACTOR)));
                out.extend(s.incident.iter().map(|r| ("incident", r, INCIDENT)));
                out.extend(s.about.iter().map(|r| ("about", r, SPEAKER)));
            }
            Data::Page => {}
        }
        out
    }

    /// The same data with every reference mapped; `None` drops it.
    pub fn map_refs<T>(self, mut f: impl FnMut(R) -> Option<T>) -> Data<T> {
        match self {
            Data::Incident(i) => Data::Incident(IncidentData {
                date: i.date,
                end_date: i.end_date,
                location: i.location,
                casualties: i.casualties,
                attack_types: i.attack_types,
                targets: i.targets,
                perpetrators: i.perpetrators.into_iter().filter_map(&mut f).collect(),
                status: i.status,
            }),
            Data::Group(g) => Data::Group(GroupData {
                short_name: g.short_name,
                aliases: g.aliases,
                parent: g.parent.and_then(&mut f),
                founded: g.founded,
                regions: g.regions,
                ideology: g.ideology,
                status: g.status,
                relations: (g.relations.into_iter())
                    .filter_map(|r| r.map_group(&mut f))
                    .collect(),
            }),
            Data::Actor(a) => Data::Actor(ActorData {
                kind: a.kind,
                country: a.country,
                role: a.role,
                affiliation: a.affiliation.and_then(&mut f),
                relations: (a.relations.into_iter())
                    .filter_map(|r| r.map_group(&mut f))
                    .collect(),
            }),
            Data::Statement(s) => Data::Statement(StatementData {
                date: s.date,
                speaker: s.speaker.and_then(&mut f),
                via: s.via.and_then(&mut f),
                incident: s.incident.and_then(&mut f),
                about: s.about.into_iter().filter_map(&mut f).collect(),
                stance: s.stance,
                quote: s.quote,
                verification: s.verification,
                source: s.source,
            }),
            Data::Page => Data::Page,
        }
    }
}
