//! The domain: kinds of entity, slugs, TLP levels, the closed vocabularies of the content
//! model and the per-kind data.
//!
//! Per-kind data is generic over its reference type `R`: the load stage produces it with
//! [`RefSlug`] (the slug as written, with its place in the file), the link stage turns
//! it into [`EntityId`]s of published entities. One definition serves both stages.

pub mod country;
pub mod date;
pub mod front;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use date::PartialDate;

use crate::diag::Span;

/// The five kinds of content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// An attack.
    Incident,
    /// An armed group or organisation.
    Group,
    /// A state, person, agency, organisation or media outlet.
    Actor,
    /// Who said what about an incident.
    Statement,
    /// A plain page.
    Page,
}

impl Kind {
    /// Every kind, in display order.
    pub const ALL: [Kind; 5] = [
        Kind::Incident,
        Kind::Group,
        Kind::Actor,
        Kind::Statement,
        Kind::Page,
    ];

    /// Singular key: `incident`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Incident => "incident",
            Kind::Group => "group",
            Kind::Actor => "actor",
            Kind::Statement => "statement",
            Kind::Page => "page",
        }
    }

    /// Folder and URL segment: `incidents`.
    pub fn dir(self) -> &'static str {
        match self {
            Kind::Incident => "incidents",
            Kind::Group => "groups",
            Kind::Actor => "actors",
            Kind::Statement => "statements",
            Kind::Page => "pages",
        }
    }

    /// `Incident`.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Incident => "Incident",
            Kind::Group => "Group",
            Kind::Actor => "Actor",
            Kind::Statement => "Statement",
            Kind::Page => "Page",
        }
    }

    /// `Incidents`.
    pub fn plural_label(self) -> &'static str {
        match self {
            Kind::Incident => "Incidents",
            Kind::Group => "Groups",
            Kind::Actor => "Actors",
            Kind::Statement => "Statements",
            Kind::Page => "Pages",
        }
    }

    /// The kind whose content folder is `dir`.
    pub fn from_dir(dir: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.dir() == dir)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A validated slug: lowercase ASCII letters, digits and single inner hyphens.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Slug(String);

impl Slug {
    /// Validate `s` as a slug; the error says what is wrong.
    pub fn parse(s: &str) -> Result<Slug, String> {
        if s.is_empty() {
            return Err("the slug is empty".into());
        }
        if s.len() > 200 {
            return Err("the slug is longer than 200 characters".into());
        }
        if let Some(c) = s
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            return Err(format!("`{c}` is not allowed in a slug"));
        }
        if s.starts_with('-') || s.ends_with('-') {
            return Err("a slug may not start or end with a hyphen".into());
        }
        if s.contains("--") {
            return Err("a slug may not contain two hyphens in a row".into());
        }
        Ok(Slug(s.to_string()))
    }

    /// The slug text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Turn any text into a valid slug (transliterating non-ASCII), or `None` if nothing is left.
pub fn slugify(text: &str) -> Option<String> {
    let ascii = deunicode::deunicode(text).to_ascii_lowercase();
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out.truncate(200);
    while out.ends_with('-') {
        out.pop();
    }
    (!out.is_empty()).then_some(out)
}

/// Index of a published entity in [`crate::link::Site::entities`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntityId(pub u32);

impl EntityId {
    /// As a vector index.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A reference as written in frontmatter: the slug text and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefSlug {
    /// The text as written.
    pub slug: String,
    /// Where in the file (filled in after parsing).
    pub span: Option<Span>,
}

impl<'de> Deserialize<'de> for RefSlug {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(RefSlug {
            slug: String::deserialize(d)?,
            span: None,
        })
    }
}

macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $text:literal / $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, schemars::JsonSchema)]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $text)] $variant,)+
        }
        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The value as written in frontmatter.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }
            /// The value for readers.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }
        }
    };
}

vocabulary! {
    /// Traffic Light Protocol 2.0, ordered from least to most restricted.
    Tlp {
        /// May be published.
        Clear = "clear" / "TLP:CLEAR",
        /// Community-wide.
        Green = "green" / "TLP:GREEN",
        /// Limited disclosure.
        Amber = "amber" / "TLP:AMBER",
        /// Organisation only.
        AmberStrict = "amber+strict" / "TLP:AMBER+STRICT",
        /// Named recipients only.
        Red = "red" / "TLP:RED",
    }
}

#[allow(clippy::derivable_impls)] // the vocabulary macro derives no Default
impl Default for Tlp {
    fn default() -> Self {
        Tlp::Clear
    }
}

vocabulary! {
    /// Status of an incident's facts.
    IncidentStatus {
        /// Facts still emerging.
        Developing = "developing" / "Developing",
        /// Established.
        Confirmed = "confirmed" / "Confirmed",
        /// Contested.
        Disputed = "disputed" / "Disputed",
    }
}

vocabulary! {
    /// Whether a group is operating.
    GroupStatus {
        /// Operating.
        Active = "active" / "Active",
        /// Dormant.
        Inactive = "inactive" / "Inactive",
        /// No longer exists.
        Defunct = "defunct" / "Defunct",
    }
}

vocabulary! {
    /// What kind of actor.
    ActorKind {
        /// A state.
        State = "state" / "State",
        /// A person.
        Person = "person" / "Person",
        /// A government agency.
        Agency = "agency" / "Agency",
        /// A non-state organisation.
        Organisation = "organisation" / "Organisation",
        /// A media outlet.
        Media = "media" / "Media",
    }
}

vocabulary! {
    /// What a statement does.
    Stance {
        /// Claims responsibility.
        Claims = "claims" / "Claims",
        /// Warns of a threat.
        Warns = "warns" / "Warns",
        /// Blames someone.
        Blames = "blames" / "Blames",
        /// Denies involvement.
        Denies = "denies" / "Denies",
        /// Condemns.
        Condemns = "condemns" / "Condemns",
        /// Admits.
        Admits = "admits" / "Admits",
        /// Attributes responsibility (analytic).
        Attributes = "attributes" / "Attributes",
        /// Threatens.
        Threatens = "threatens" / "Threatens",
        /// Anything else.
        Other = "other" / "Other",
    }
}

vocabulary! {
    /// Whether a statement is authentic and true.
    VerificationStatus {
        /// Verified.
        Confirmed = "confirmed" / "Confirmed",
        /// Not verified.
        Unverified = "unverified" / "Unverified",
        /// Contested.
        Disputed = "disputed" / "Disputed",
        /// Authentic but untrue.
        False = "false" / "False",
        /// Not made by the speaker at all (e.g. a deepfake).
        Fabricated = "fabricated" / "Fabricated",
    }
}

vocabulary! {
    /// Admiralty grade of a source's reliability.
    Reliability {
        /// Completely reliable.
        A = "A" / "Completely reliable",
        /// Usually reliable.
        B = "B" / "Usually reliable",
        /// Fairly reliable.
        C = "C" / "Fairly reliable",
        /// Not usually reliable.
        D = "D" / "Not usually reliable",
        /// Unreliable.
        E = "E" / "Unreliable",
        /// Reliability cannot be judged.
        F = "F" / "Reliability cannot be judged",
    }
}

/// A cited source.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
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
    /// Where `url` is in its file (set by the load stage; not part of the data).
    #[serde(skip)]
    pub url_span: Option<Span>,
}

/// Where an incident happened.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Venue or landmark.
    #[serde(default)]
    pub place: Option<String>,
    /// City.
    #[serde(default)]
    pub city: Option<String>,
    /// Region.
    #[serde(default)]
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2 code.
    #[serde(default)]
    #[schemars(regex(pattern = r"^[A-Z]{2}$"))]
    pub country: Option<String>,
    /// `[lat, lon]`.
    #[serde(default)]
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
    /// Country codes.
    pub regions: Vec<String>,
    /// Ideology.
    pub ideology: Vec<String>,
    /// Status.
    pub status: Option<GroupStatus>,
}

/// Actor data.
#[derive(Debug, Clone)]
pub struct ActorData<R> {
    /// Kind of actor.
    pub kind: ActorKind,
    /// Country code.
    pub country: Option<String>,
    /// Role.
    pub role: Option<String>,
    /// Affiliation.
    pub affiliation: Option<R>,
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
            Data::Group(g) => out.extend(g.parent.iter().map(|r| ("parent", r, GROUP))),
            Data::Actor(a) => out.extend(a.affiliation.iter().map(|r| ("affiliation", r, ACTOR))),
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
            }),
            Data::Actor(a) => Data::Actor(ActorData {
                kind: a.kind,
                country: a.country,
                role: a.role,
                affiliation: a.affiliation.and_then(&mut f),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_strict() {
        assert!(Slug::parse("crocus-city-hall-attack").is_ok());
        assert!(Slug::parse("isis-k2").is_ok());
        for bad in [
            "", "Crocus", "a--b", "-a", "a-", "a_b", "a b", "../x", "a/b", "é",
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn slugify_transliterates() {
        assert_eq!(
            slugify("Крокус Сити Холл").as_deref(),
            Some("krokus-siti-kholl")
        );
        assert_eq!(
            slugify("  ISIS-K: the  attack! ").as_deref(),
            Some("isis-k-the-attack")
        );
        assert_eq!(slugify("!!!"), None);
    }

    #[test]
    fn tlp_orders_by_restriction() {
        assert!(Tlp::Clear < Tlp::Green && Tlp::Green < Tlp::Amber);
        assert!(Tlp::Amber < Tlp::AmberStrict && Tlp::AmberStrict < Tlp::Red);
    }
}

/// Property tests (issue 4): `slugify` always yields a valid slug, a valid slug is its own
/// slug, and validation never panics.
#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn slugify_output_is_always_a_valid_slug(text in any::<String>()) {
            if let Some(s) = slugify(&text) {
                prop_assert!(Slug::parse(&s).is_ok(), "{:?} -> {:?}", text, s);
            }
        }

        #[test]
        fn slugify_of_long_and_mixed_text_is_valid(text in "[a-zA-Z0-9 _.-]{150,400}") {
            if let Some(s) = slugify(&text) {
                prop_assert!(s.len() <= 200);
                prop_assert!(Slug::parse(&s).is_ok(), "{:?}", s);
            }
        }

        #[test]
        fn parse_never_panics_and_valid_slugs_are_fixed_points(text in any::<String>()) {
            if let Ok(slug) = Slug::parse(&text) {
                let again = slugify(slug.as_str());
                prop_assert_eq!(again.as_deref(), Some(text.as_str()));
            }
        }

        #[test]
        fn slug_shaped_text_is_a_fixed_point(text in "[a-z0-9]{1,20}(-[a-z0-9]{1,20}){0,5}") {
            prop_assert!(Slug::parse(&text).is_ok());
            prop_assert_eq!(slugify(&text), Some(text.clone()));
        }
    }
}
