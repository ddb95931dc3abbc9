//! View structs: the serialisable context every template receives.
//!
//! This module is the contract with theme authors (documented in `docs/templates.md`).
//! Every string in a view is plain text that templates autoescape, except the fields
//! named `*_html`, which hold HTML that the generator has already rendered and sanitised.
//! Every URL is absolute and honours the site's `base_url`, so templates never build URLs.

use serde::Serialize;

pub use super::figures::{CellView, FigureRowView, FigureView, LegendView};
pub use super::story::{ChronologyEntryView, NumberedSourceView, StanceLineView};
pub use crate::markdown::TocEntry;

/// Site-wide values, available to every template as `site`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    /// Site title from `briefing.toml`.
    pub title: String,
    /// Site description from `briefing.toml`.
    pub description: String,
    /// Base URL, always ending with `/`.
    pub base_url: String,
    /// Language tag, e.g. `en`.
    pub language: String,
    /// Direction of the site's language: `rtl` (Arabic, Hebrew, Persian, ...) or `ltr`.
    pub dir: &'static str,
    /// URL of the site's Atom feed; none when `base_url` is a path (a feed needs absolute
    /// URLs).
    pub feed_url: Option<String>,
    /// URL of the site's JSON Feed; none when `base_url` is a path.
    pub json_feed_url: Option<String>,
    /// Whether search engines may index the site (`[build] robots`); when not, pages say
    /// `noindex`.
    pub indexable: bool,
    /// The `[extra]` table of `briefing.toml`, for site-specific template settings.
    pub extra: toml::Table,
    /// URL of the generated stylesheet for highlighted code.
    pub syntax_css_url: String,
    /// Main navigation entries.
    pub nav: Vec<NavItem>,
    /// Published TLP level of this build (e.g. `clear`).
    pub tlp: String,
    /// The newsletter sign-up box of `[newsletter]`, if configured.
    pub newsletter: Option<crate::config::NewsletterConfig>,
}

/// One entry of the main navigation.
#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    /// Label.
    pub title: String,
    /// Absolute URL.
    pub url: String,
    /// Stable key (`incidents`, `timeline`, ...) to mark the current section.
    pub key: String,
}

/// A link to an entity.
#[derive(Debug, Clone, Serialize)]
pub struct RefView {
    /// `incident`, `group`, `actor`, `statement` or `page`.
    pub kind: &'static str,
    /// The entity's slug.
    pub slug: String,
    /// The entity's title.
    pub title: String,
    /// Absolute URL of the entity's page.
    pub url: String,
    /// Short name of a group (`ISIS-K`), if any.
    pub short_name: Option<String>,
}

/// A date at the precision the author gave.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// Machine-readable form for `<time datetime>`: `2015`, `2015-06`, `2015-06-21` or RFC 3339.
    pub iso: String,
    /// Human form: `2015`, `June 2015`, `21 June 2015`, `21 June 2015, 21:30 (UTC+03:00)`.
    pub display: String,
    /// `year`, `month`, `day` or `time`.
    pub precision: &'static str,
    /// Year, for grouping.
    pub year: i16,
}

/// A tag with its page.
#[derive(Debug, Clone, Serialize)]
pub struct TagView {
    /// Tag as written by authors.
    pub name: String,
    /// Label for readers: `[labels]`, else the tag spelt out (`claim-of-responsibility`
    /// reads "Claim of responsibility").
    pub label: String,
    /// Absolute URL of `/tags/<tag>/`.
    pub url: String,
    /// Number of published entities with this tag (0 when not counted).
    pub count: usize,
}

/// A country with its page.
#[derive(Debug, Clone, Serialize)]
pub struct CountryView {
    /// ISO 3166-1 alpha-2 code, upper case.
    pub code: String,
    /// English short name.
    pub name: String,
    /// Absolute URL of `/countries/<code>/` (code in lower case).
    pub url: String,
    /// Number of published entities for this country (0 when not counted).
    pub count: usize,
}

/// A source, as cited.
#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    /// Title of the source.
    pub title: String,
    /// Publisher.
    pub publisher: Option<String>,
    /// URL (http or https, or site-relative).
    pub url: Option<String>,
    /// Publication date.
    pub date: Option<DateView>,
    /// Admiralty reliability grade `A`..`F`.
    pub reliability: Option<String>,
    /// Meaning of the grade, e.g. `Completely reliable`.
    pub reliability_label: Option<&'static str>,
}

/// Fields every entity page has, available as `entity.*`.
#[derive(Debug, Clone, Serialize)]
pub struct CommonView {
    /// `incident`, `group`, `actor`, `statement` or `page`.
    pub kind: &'static str,
    /// Human label of the kind (`Incident`).
    pub kind_label: &'static str,
    /// Slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Absolute URL.
    pub url: String,
    /// One or two sentences.
    pub summary: Option<String>,
    /// Tags.
    pub tags: Vec<TagView>,
    /// Sources.
    pub sources: Vec<SourceView>,
    /// TLP level (`clear`, `green`, ...).
    pub tlp: &'static str,
    /// Last substantive update.
    pub updated: Option<DateView>,
    /// Language of the entry (`lang` in its frontmatter) when it is not the site's.
    pub lang: Option<String>,
    /// Direction of that language (`rtl` or `ltr`), with `lang`.
    pub dir: Option<&'static str>,
    /// Rendered Markdown body (sanitised HTML).
    pub body_html: String,
    /// Headings of the body.
    pub toc: Vec<TocEntry>,
    /// Published pages whose body links here with `[[slug]]`.
    pub mentioned_in: Vec<RefView>,
    /// Author data from `extra:`, as given.
    pub extra: serde_json::Value,
}

/// A compact summary of an entity, for listings.
#[derive(Debug, Clone, Serialize)]
pub struct CardView {
    /// Kind.
    pub kind: &'static str,
    /// Slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Absolute URL.
    pub url: String,
    /// Summary.
    pub summary: Option<String>,
    /// Language of the entry (`lang` in its frontmatter) when it is not the site's.
    pub lang: Option<String>,
    /// Direction of that language (`rtl` or `ltr`), with `lang`.
    pub dir: Option<&'static str>,
    /// Main date (incident start, statement date, group founding), if any.
    pub date: Option<DateView>,
    /// Incident: country; actor: country.
    pub country: Option<CountryView>,
    /// Incident: where, without the country (the city, else the place, else the region).
    pub place: Option<String>,
    /// Incident: casualties.
    pub casualties: Option<CasualtiesView>,
    /// Incident: perpetrators.
    pub perpetrators: Vec<RefView>,
    /// Statement: speaker.
    pub speaker: Option<RefView>,
    /// Statement: stance (`claims`) and its label (`Claims`).
    pub stance: Option<&'static str>,
    /// Statement: stance label.
    pub stance_label: Option<String>,
    /// Statement: verification status.
    pub verification: Option<&'static str>,
    /// Statement: assessed false or fabricated, so shown as falsely attributed to
    /// `speaker`, never as their words.
    pub falsely_attributed: bool,
    /// Statement: label of the verification status (`Fabricated`).
    pub verification_label: Option<String>,
    /// Statement: incident it is about.
    pub incident: Option<RefView>,
    /// Incident or group status.
    pub status: Option<&'static str>,
    /// Label of the status (`Confirmed`).
    pub status_label: Option<String>,
}

/// A [`CardView`] as templates receive it in lists: built and serialised once per entity
/// and shared by every page that lists the entity (a group, a tag, a year, a listing page),
/// so a big site does not rebuild the same card dozens of times. Templates see exactly the
/// fields of [`CardView`].
#[derive(Debug, Clone)]
pub struct Card(pub(crate) tera::Value);

impl Serialize for Card {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Inside Tera's serialiser this clones the shared value instead of re-serialising it.
        self.0.serialize(serializer)
    }
}

/// Coordinates in decimal degrees.
#[derive(Debug, Clone, Serialize)]
pub struct CoordinatesView {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
}

/// Where an incident happened.
#[derive(Debug, Clone, Serialize)]
pub struct LocationView {
    /// Place name (venue, landmark).
    pub place: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Region.
    pub region: Option<String>,
    /// Country.
    pub country: Option<CountryView>,
    /// Coordinates.
    pub coordinates: Option<CoordinatesView>,
}

/// Casualty figures.
#[derive(Debug, Clone, Serialize)]
pub struct CasualtiesView {
    /// Killed.
    pub killed: Option<u64>,
    /// Injured.
    pub injured: Option<u64>,
    /// Qualifier, e.g. "at least; early official count".
    pub note: Option<String>,
}

/// Statements sharing one stance.
#[derive(Debug, Clone, Serialize)]
pub struct StanceGroupView {
    /// Stance key (`claims`).
    pub stance: &'static str,
    /// Stance label (`Claims`).
    pub label: String,
    /// Statements, by date.
    pub items: Vec<Card>,
}

/// `incident.html`: `entity`.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentView {
    /// Common fields.
    #[serde(flatten)]
    pub common: CommonView,
    /// Start.
    pub date: DateView,
    /// End.
    pub end_date: Option<DateView>,
    /// Location.
    pub location: Option<LocationView>,
    /// Casualties.
    pub casualties: Option<CasualtiesView>,
    /// Attack types, as written.
    pub attack_types: Vec<String>,
    /// Labels of the attack types, in the same order.
    pub attack_type_labels: Vec<String>,
    /// Targets, as written.
    pub targets: Vec<String>,
    /// Labels of the targets, in the same order.
    pub target_labels: Vec<String>,
    /// Attributed perpetrators.
    pub perpetrators: Vec<RefView>,
    /// `developing`, `confirmed` or `disputed`.
    pub status: &'static str,
    /// Label of the status.
    pub status_label: String,
    /// Statements about this incident, in time order.
    pub statements: Vec<Card>,
    /// The same statements grouped by stance (stances in a fixed order).
    pub statements_by_stance: Vec<StanceGroupView>,
    /// The same statements as a "who said what, when" chronology with offsets.
    pub chronology: Vec<ChronologyEntryView>,
    /// One facts-box line per stance present ("Warned by", "Blamed on ... by").
    pub stance_lines: Vec<StanceLineView>,
    /// Speakers of `claims` statements (none falsely attributed).
    pub claimed_by: Vec<RefView>,
    /// The incident's sources and those of its statements, each URL once, numbered.
    pub merged_sources: Vec<NumberedSourceView>,
    /// Incidents sharing a perpetrator, newest first.
    pub related: Vec<Card>,
    /// Locator map of the incident's place (none without coordinates or country).
    pub locator: Option<FigureView>,
    /// The statements on a time axis from T−30 d to T+30 d (none without statements).
    pub statements_chart: Option<FigureView>,
}

/// `group.html`: `entity`.
#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    /// Common fields.
    #[serde(flatten)]
    pub common: CommonView,
    /// Short name.
    pub short_name: Option<String>,
    /// Aliases.
    pub aliases: Vec<String>,
    /// Parent group.
    pub parent: Option<RefView>,
    /// Founding date.
    pub founded: Option<DateView>,
    /// Areas of operation.
    pub regions: Vec<CountryView>,
    /// Ideology, as written.
    pub ideology: Vec<String>,
    /// Labels of the ideologies, in the same order.
    pub ideology_labels: Vec<String>,
    /// `active`, `inactive` or `defunct`.
    pub status: Option<&'static str>,
    /// Label of the status.
    pub status_label: Option<String>,
    /// Incidents attributed to the group, newest first.
    pub incidents: Vec<Card>,
    /// Statements the group made, newest first (none falsely attributed).
    pub statements_by: Vec<Card>,
    /// Statements assessed false or fabricated that were attributed to the group.
    pub falsely_attributed: Vec<Card>,
    /// Statements about the group, newest first.
    pub statements_about: Vec<Card>,
    /// Groups whose parent is this group.
    pub children: Vec<RefView>,
    /// Incidents and casualties per year (per month over a short span); none without
    /// incidents.
    pub activity_chart: Option<FigureView>,
    /// The group's sources and those of the statements shown, each URL once, numbered.
    pub merged_sources: Vec<NumberedSourceView>,
    /// Typed relations, declared by the group or about it.
    pub relations: Vec<super::relations::RelationView>,
    /// The graph of its neighbourhood, when it has any relation.
    pub graph: Option<super::relations::GraphView>,
    /// Absolute URL of the graph of every group's relations.
    pub graph_url: String,
}

/// `actor.html`: `entity`.
#[derive(Debug, Clone, Serialize)]
pub struct ActorView {
    /// Common fields.
    #[serde(flatten)]
    pub common: CommonView,
    /// `state`, `person`, `agency`, `organisation` or `media`.
    pub actor_kind: &'static str,
    /// Label of the actor kind (`State`).
    pub actor_kind_label: String,
    /// Country.
    pub country: Option<CountryView>,
    /// Role.
    pub role: Option<String>,
    /// Actor this one belongs to.
    pub affiliation: Option<RefView>,
    /// Statements the actor made, newest first (none falsely attributed).
    pub statements_by: Vec<Card>,
    /// Statements assessed false or fabricated that were attributed to the actor.
    pub falsely_attributed: Vec<Card>,
    /// Statements about the actor, newest first.
    pub statements_about: Vec<Card>,
    /// Actors affiliated with this one.
    pub affiliated: Vec<RefView>,
    /// Typed relations to groups.
    pub relations: Vec<super::relations::RelationView>,
}

/// Verification of a statement.
#[derive(Debug, Clone, Serialize)]
pub struct VerificationView {
    /// `confirmed`, `unverified`, `disputed`, `false` or `fabricated`.
    pub status: &'static str,
    /// Label (`Fabricated`).
    pub label: String,
    /// Note.
    pub note: Option<String>,
}

/// `statement.html`: `entity`.
#[derive(Debug, Clone, Serialize)]
pub struct StatementView {
    /// Common fields.
    #[serde(flatten)]
    pub common: CommonView,
    /// Date.
    pub date: DateView,
    /// Who said it.
    pub speaker: Option<RefView>,
    /// Channel used.
    pub via: Option<RefView>,
    /// Incident it is about.
    pub incident: Option<RefView>,
    /// Whom it is about.
    pub about: Vec<RefView>,
    /// Stance key.
    pub stance: &'static str,
    /// Stance label.
    pub stance_label: String,
    /// Short exact words.
    pub quote: Option<String>,
    /// Verification status.
    pub verification: Option<VerificationView>,
    /// Where it was reported.
    pub source: Option<SourceView>,
    /// `sources` without the one it was reported in (`source`).
    pub other_sources: Vec<SourceView>,
    /// Assessed false or fabricated: shown as falsely attributed to `speaker`.
    pub falsely_attributed: bool,
}

/// `page.html`: `entity`.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    /// Common fields.
    #[serde(flatten)]
    pub common: CommonView,
}

/// Pagination of a listing.
#[derive(Debug, Clone, Serialize)]
pub struct PaginatorView {
    /// 1-based current page.
    pub current: usize,
    /// Number of pages.
    pub total_pages: usize,
    /// Number of items over all pages.
    pub total_items: usize,
    /// Previous page URL.
    pub prev_url: Option<String>,
    /// Next page URL.
    pub next_url: Option<String>,
    /// The pages to link to: every page of a listing of up to 10 pages; otherwise the
    /// first, the last and three either side of the current one (see [`PageLink::gap`]).
    pub pages: Vec<PageLink>,
}

/// One page of a paginated listing.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    /// 1-based number.
    pub number: usize,
    /// Absolute URL.
    pub url: String,
    /// Whether this is the current page.
    pub current: bool,
    /// Whether pages are left out between the previous link and this one (show an ellipsis).
    pub gap: bool,
}

/// `section.html`: a listing of one kind.
#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    /// `incidents`, `groups`, `actors`, `statements` or `pages`.
    pub key: &'static str,
    /// Title (`Incidents`).
    pub title: &'static str,
    /// Absolute URL of page 1.
    pub url: String,
    /// Groups only: absolute URL of the graph of their relations.
    pub graph_url: Option<String>,
}

/// The home page's introduction from `content/_index.md`.
#[derive(Debug, Clone, Serialize)]
pub struct IntroView {
    /// Title.
    pub title: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Rendered body.
    pub body_html: String,
}

/// Counts of published entities.
#[derive(Debug, Clone, Serialize)]
pub struct StatsView {
    /// Incidents.
    pub incidents: usize,
    /// Groups.
    pub groups: usize,
    /// Actors.
    pub actors: usize,
    /// Statements.
    pub statements: usize,
}

/// One year of the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct YearView {
    /// Year.
    pub year: i16,
    /// Absolute URL of the year's own page (`/timeline/<year>/`).
    pub url: String,
    /// Number of incidents and statements in the year.
    pub count: usize,
    /// Incidents and statements of that year, oldest first (empty on the overview of a
    /// large site, whose years each have their own page). On a year page, those of that
    /// page only: a year of more than 500 entries has several pages.
    pub entries: Vec<Card>,
    /// The same by month, in time order (entries known only to the year last); every
    /// month is listed, with `entries` only for those this page shows. In `all_years`
    /// (the index) no month has entries.
    pub months: Vec<super::timeline::MonthView>,
}

/// Entities of one kind on a tag or country page.
#[derive(Debug, Clone, Serialize)]
pub struct KindGroupView {
    /// `incidents`, `groups`, ...
    pub key: &'static str,
    /// `Incidents`, `Groups`, ...
    pub title: &'static str,
    /// Entities.
    pub items: Vec<Card>,
}
