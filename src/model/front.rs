//! Frontmatter as authors write it, one strict serde struct per kind.
//!
//! Every struct denies unknown fields (a typo must never vanish silently); author data
//! goes under `extra`. The common fields are spelt once, in the macro below, because
//! serde cannot combine `flatten` with `deny_unknown_fields`.

use serde::Deserialize;

use super::{
    ActorData, ActorKind, Casualties, Common, CountryCode, Data, GroupData, GroupStatus,
    IncidentData, IncidentStatus, PartialDate, RefSlug, Relation, Source, Spanned, Stance,
    StatementData, Tlp, Verification, written,
};
use crate::diag::Span;

/// The common fields, shared by the macro and by field lists for did-you-mean hints.
pub const COMMON_FIELDS: &[&str] = &[
    "title",
    "slug",
    "summary",
    "tags",
    "sources",
    "tlp",
    "draft",
    "publish_at",
    "updated",
    "lang",
    "extra",
];

macro_rules! frontmatter {
    ($(#[$m:meta])* $name:ident { $($(#[$fm:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$m])*
        ///
        /// Fields are those of the content model (see the README).
        #[derive(Debug, Deserialize, schemars::JsonSchema)]
        #[serde(deny_unknown_fields)]
        #[allow(missing_docs)]
        pub struct $name {
            /// Title (required).
            pub title: Spanned<String>,
            /// Slug overriding the file stem.
            #[serde(default)]
            pub slug: Option<Spanned<String>>,
            /// Summary.
            #[serde(default)]
            pub summary: Option<String>,
            /// Tags.
            #[serde(default)]
            pub tags: Vec<Spanned<String>>,
            /// Sources.
            #[serde(default)]
            pub sources: Vec<Source>,
            /// TLP level.
            #[serde(default)]
            pub tlp: Tlp,
            /// Draft.
            #[serde(default)]
            pub draft: bool,
            /// Embargo.
            #[serde(default)]
            pub publish_at: Option<PartialDate>,
            /// Last update.
            #[serde(default)]
            pub updated: Option<PartialDate>,
            /// Language of this entry when it is not the site's (a BCP 47 tag: `ru`, `ar`).
            #[serde(default)]
            pub lang: Option<Spanned<String>>,
            /// Author data.
            #[serde(default)]
            pub extra: Option<serde_json::Value>,
            $($(#[$fm])* pub $field: $ty,)*
        }

        impl $name {
            fn split_common(self) -> ((Option<String>, FrontSpans), Common, ($($ty,)*)) {
                let spans = FrontSpans {
                    title: self.title.span,
                    slug: self.slug.as_ref().and_then(|s| s.span),
                    tags: self.tags.iter().map(|t| t.span).collect(),
                    end_date: None,
                    lang: self.lang.as_ref().and_then(|s| s.span),
                    coordinates: None,
                };
                let (tags, slug) = (
                    self.tags.into_iter().map(|t| t.value).collect(),
                    self.slug.map(|s| s.value),
                );
                (
                    (slug, spans),
                    Common {
                        title: self.title.value,
                        summary: self.summary,
                        tags,
                        sources: self.sources,
                        tlp: self.tlp,
                        draft: self.draft,
                        publish_at: self.publish_at,
                        updated: self.updated,
                        lang: self.lang.map(|l| l.value),
                        extra: self.extra,
                    },
                    ($(self.$field,)*),
                )
            }
        }
    };
}

frontmatter! {
    /// `content/incidents/*.md`.
    IncidentFront {
        date: PartialDate,
        #[serde(default)] end_date: Option<Spanned<PartialDate>>,
        #[serde(default)] location: Option<written::Location>,
        #[serde(default)] casualties: Option<Casualties>,
        #[serde(default)] attack_types: Vec<String>,
        #[serde(default)] targets: Vec<String>,
        #[serde(default)] perpetrators: Vec<RefSlug>,
        #[serde(default = "default_incident_status")] status: IncidentStatus,
    }
}

fn default_incident_status() -> IncidentStatus {
    IncidentStatus::Developing
}

frontmatter! {
    /// `content/groups/*.md`.
    GroupFront {
        #[serde(default)] short_name: Option<String>,
        #[serde(default)] aliases: Vec<String>,
        #[serde(default)] parent: Option<RefSlug>,
        #[serde(default)] founded: Option<PartialDate>,
        #[serde(default)] regions: Vec<Spanned<String>>,
        #[serde(default)] ideology: Vec<String>,
        #[serde(default)] status: Option<GroupStatus>,
        #[serde(default)] relations: Vec<Relation<RefSlug>>,
    }
}

frontmatter! {
    /// `content/actors/*.md`.
    ActorFront {
        kind: ActorKind,
        #[serde(default)] #[schemars(regex(pattern = r"^[A-Z]{2}$"))] country: Option<Spanned<String>>,
        #[serde(default)] role: Option<String>,
        #[serde(default)] affiliation: Option<RefSlug>,
        #[serde(default)] relations: Vec<Relation<RefSlug>>,
    }
}

frontmatter! {
    /// `content/statements/*.md`.
    StatementFront {
        date: PartialDate,
        speaker: RefSlug,
        #[serde(default)] via: Option<RefSlug>,
        #[serde(default)] incident: Option<RefSlug>,
        #[serde(default)] about: Vec<RefSlug>,
        stance: Stance,
        #[serde(default)] quote: Option<String>,
        #[serde(default)] verification: Option<Verification>,
        #[serde(default)] source: Option<Source>,
    }
}

frontmatter! {
    /// `content/pages/*.md` and `content/_index.md`.
    PageFront {
        #[serde(default)] description: Option<String>,
    }
}

/// Where the parser found the values that the load stage checks, relative to the
/// frontmatter (the node of each value, quotes included).
#[derive(Debug, Default)]
pub struct FrontSpans {
    /// The `title` value.
    pub title: Option<Span>,
    /// The `slug` value.
    pub slug: Option<Span>,
    /// Each tag, in order.
    pub tags: Vec<Option<Span>>,
    /// An incident's `end_date`.
    pub end_date: Option<Span>,
    /// The `lang` value.
    pub lang: Option<Span>,
    /// An incident's `location.coordinates`.
    pub coordinates: Option<Span>,
}

/// Turns a country code as written into a known one; `None` for an unknown one, which it
/// reports. The load stage's check, given to [`Lower::lower`].
pub type CheckCountry<'a> = dyn FnMut(Spanned<String>) -> Option<CountryCode> + 'a;

/// Parsed frontmatter of one kind, lowered into the shared shape.
pub trait Lower {
    /// Lower `self`, turning every country code with `country`.
    fn lower(self, country: &mut CheckCountry<'_>) -> Lowered;
}

/// Parsed frontmatter of any kind, lowered into the shared shape.
pub struct Lowered {
    /// The `slug` field, if given.
    pub slug: Option<String>,
    /// Where the parser found the values that load checks.
    pub spans: FrontSpans,
    /// Common fields.
    pub common: Common,
    /// Per-kind data.
    pub data: Data<RefSlug>,
    /// Page description (pages and the home intro only).
    pub description: Option<String>,
}

impl Lower for IncidentFront {
    fn lower(self, country: &mut CheckCountry<'_>) -> Lowered {
        let (
            (slug, mut spans),
            common,
            (date, end_date, location, casualties, attack_types, targets, perpetrators, status),
        ) = self.split_common();
        spans.end_date = end_date.as_ref().and_then(|d| d.span);
        let end_date = end_date.map(|d| d.value);
        let location = location.map(|l| {
            let (location, coordinates) = l.lower(country);
            spans.coordinates = coordinates;
            location
        });
        Lowered {
            slug,
            spans,
            common,
            data: Data::Incident(IncidentData {
                date,
                end_date,
                location,
                casualties,
                attack_types,
                targets,
                perpetrators,
                status,
            }),
            description: None,
        }
    }
}

impl Lower for GroupFront {
    fn lower(self, country: &mut CheckCountry<'_>) -> Lowered {
        let (
            (slug, spans),
            common,
            (short_name, aliases, parent, founded, regions, ideology, status, relations),
        ) = self.split_common();
        let regions = regions.into_iter().filter_map(country).collect();
        Lowered {
            slug,
            spans,
            common,
            data: Data::Group(GroupData {
                short_name,
                aliases,
                parent,
                founded,
                regions,
                ideology,
                status,
                relations,
            }),
            description: None,
        }
    }
}

impl Lower for ActorFront {
    fn lower(self, check: &mut CheckCountry<'_>) -> Lowered {
        let ((slug, spans), common, (kind, country, role, affiliation, relations)) =
            self.split_common();
        let country = country.and_then(check);
        Lowered {
            slug,
            spans,
            common,
            data: Data::Actor(ActorData {
                kind,
                country,
                role,
                affiliation,
                relations,
            }),
            description: None,
        }
    }
}

impl Lower for StatementFront {
    fn lower(self, _: &mut CheckCountry<'_>) -> Lowered {
        let (
            (slug, spans),
            common,
            (date, speaker, via, incident, about, stance, quote, verification, source),
        ) = self.split_common();
        Lowered {
            slug,
            spans,
            common,
            data: Data::Statement(StatementData {
                date,
                speaker: Some(speaker),
                via,
                incident,
                about,
                stance,
                quote,
                verification,
                source,
            }),
            description: None,
        }
    }
}

impl Lower for PageFront {
    fn lower(self, _: &mut CheckCountry<'_>) -> Lowered {
        let ((slug, spans), common, (description,)) = self.split_common();
        Lowered {
            slug,
            spans,
            common,
            data: Data::Page,
            description,
        }
    }
}
