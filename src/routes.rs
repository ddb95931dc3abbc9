//! ROUTES: every page's URL path and output file, in one place.
//!
//! Takes the linked [`Site`] and the [`Plan`] (for `paginate_by`); gives [`Routes`]: the
//! list of every [`Page`] of the site in a deterministic order, and for each its
//! site-relative path and the file it is written to. Render, write, check, the feeds, the
//! exports and the sitemap all ask here; nothing else spells a URL scheme.
//!
//! Invariants:
//! - A path is site-relative and never starts with `/`: a folder ending with `/`
//!   (`incidents/<slug>/`, `tags/<tag>/page/2/`), a file (`404.html`), or empty for the
//!   home page. It is joined to [`crate::plan::BaseUrl`] to make a URL.
//! - A page in a folder is written to its `index.html`; [`file_of`] and [`path_of_file`]
//!   are inverses, so every page has exactly one file, known before it is rendered.
//! - Only published entities have pages: the link stage never gave withheld ones an id.
//! - Page 1 of a listing is its folder; page `n > 1` is `<folder>page/<n>/`.

use std::collections::BTreeMap;

use crate::link::Site;
use crate::model::{CountryCode, EntityId, Kind};
use crate::plan::Plan;

/// The search page.
pub const SEARCH: &str = "search/";
/// The 404 page.
pub const NOT_FOUND: &str = "404.html";
/// The timeline overview.
pub const TIMELINE: &str = "timeline/";
/// All tags.
pub const TAGS: &str = "tags/";
/// All countries.
pub const COUNTRIES: &str = "countries/";
/// The world map of incidents.
pub const MAP: &str = "map/";
/// The relations of every group, as a graph (no group may take the slug `graph`: see
/// [`crate::link::GRAPH_SLUG`]).
pub const GROUP_GRAPH: &str = "groups/graph/";
/// The Atom feed of a scope, in the scope's folder (only with an absolute base URL).
pub const ATOM: &str = "atom.xml";
/// The JSON Feed of a scope, in the scope's folder (only with an absolute base URL).
pub const JSON_FEED: &str = "feed.json";
/// The sitemap, or the sitemap index of a site with more URLs than one sitemap may hold
/// (only with an absolute base URL).
pub const SITEMAP: &str = "sitemap.xml";
/// `robots.txt`.
pub const ROBOTS: &str = "robots.txt";

/// Part `n` (1-based) of a sitemap split by a sitemap index: `sitemap-<n>.xml`.
pub fn sitemap_part(n: usize) -> String {
    format!("sitemap-{n}.xml")
}

/// The kinds with a feed of their own (plain pages have none).
pub const FEED_KINDS: [Kind; 4] = [Kind::Incident, Kind::Group, Kind::Actor, Kind::Statement];

/// What a feed follows. Its files are [`ATOM`] and [`JSON_FEED`] in the folder of the
/// page it follows ([`Routes::feed_dir`]): `groups/<slug>/atom.xml`, `tags/<slug>/feed.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedScope {
    /// The whole site: the newest incidents and statements.
    Site,
    /// One kind.
    Kind(Kind),
    /// One group: its incidents and the statements by and about it.
    Group(EntityId),
    /// One country.
    Country(CountryCode),
    /// One tag, by its slug.
    Tag(String),
}
/// The folder of the search index read by the search page (see `output::search`).
pub const SEARCH_INDEX: &str = "search-index/";
/// The search index's manifest, the first file the search page reads.
pub const SEARCH_MANIFEST: &str = "search-index/manifest.json";
/// The highlighting stylesheet.
pub const SYNTAX_CSS: &str = "syntax.css";
/// Every published entity as JSON.
pub const DATA_JSON: &str = "data/briefing.json";
/// One row per published incident, GTD-style.
pub const INCIDENTS_CSV: &str = "data/incidents.csv";
/// One row per published statement.
pub const STATEMENTS_CSV: &str = "data/statements.csv";
/// Published incidents with a place, as GeoJSON.
pub const INCIDENTS_GEOJSON: &str = "data/incidents.geojson";
/// The STIX 2.1 bundle.
pub const STIX_BUNDLE: &str = "data/stix-bundle.json";

/// The JSON file of one entity: `data/incidents/<slug>.json`.
pub fn entity_data(kind: Kind, slug: &str) -> String {
    format!("data/{}/{slug}.json", kind.dir())
}

/// Entries per page of a timeline year: a year with more has `timeline/<year>/page/2/`
/// and so on, so that no page grows with the size of the site (issue 5).
pub const TIMELINE_PER_PAGE: usize = 500;

/// One page of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// An entity's page.
    Entity(EntityId),
    /// Page `n` (1-based) of a kind's listing.
    Section(Kind, usize),
    /// The home page.
    Home,
    /// The timeline overview.
    Timeline,
    /// Page `n` (1-based) of one year of the timeline.
    TimelineYear(i16, usize),
    /// All tags.
    Tags,
    /// Page `n` (1-based) of one tag, by its slug.
    Tag(String, usize),
    /// All countries.
    Countries,
    /// Page `n` (1-based) of one country.
    Country(CountryCode, usize),
    /// The world map of incidents.
    Map,
    /// The graph of every group's relations.
    GroupGraph,
    /// The search page.
    Search,
    /// `404.html`.
    NotFound,
}

/// The path of an entity's page: `incidents/<slug>/`.
pub fn entity(kind: Kind, slug: &str) -> String {
    format!("{}/{slug}/", kind.dir())
}

/// The path of a kind's listing: `incidents/`.
pub fn section(kind: Kind) -> String {
    format!("{}/", kind.dir())
}

/// The path of a tag's page, by the tag's slug: `tags/<slug>/`.
pub fn tag(slug: &str) -> String {
    format!("{TAGS}{slug}/")
}

/// The path of a country's page, by its code: `countries/<code in lower case>/`.
pub fn country(code: CountryCode) -> String {
    format!("{COUNTRIES}{}/", code.as_str().to_ascii_lowercase())
}

/// The path of a year of the timeline: `timeline/<year>/`.
pub fn timeline_year(year: i16) -> String {
    format!("{TIMELINE}{year}/")
}

/// The path of page `n` of a listing at `base` (`incidents/`).
pub fn paged(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

/// How many pages a listing of `items` has with `per_page` a page (at least one).
pub fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
}

/// The file a page at `path` is written to: `incidents/x/` -> `incidents/x/index.html`.
pub fn file_of(path: &str) -> String {
    if path.ends_with(".html") {
        path.to_string()
    } else {
        format!("{path}index.html")
    }
}

/// The path of the page written to `file`: `incidents/x/index.html` -> `incidents/x/`.
pub fn path_of_file(file: &str) -> &str {
    file.strip_suffix("index.html").unwrap_or(file)
}

/// The pages of a linked site.
#[derive(Debug)]
pub struct Routes<'s> {
    site: &'s Site,
    paginate_by: usize,
    timeline: Timeline,
}

/// The timeline's years and months of a site, which only the dates, kinds, slugs and
/// publication of its entities decide (`serve` keeps it across body-only edits).
#[derive(Debug, Clone)]
pub struct Timeline {
    years: BTreeMap<i16, Vec<EntityId>>,
    months: BTreeMap<i16, Vec<MonthRun>>,
}

impl Timeline {
    /// The timeline of `site`.
    pub fn of(site: &Site) -> Self {
        let years = years_of(site);
        let months = (years.iter())
            .map(|(&y, ids)| (y, month_runs(site, ids)))
            .collect();
        Timeline { years, months }
    }
}

/// One month of a timeline year: the month (none for entries dated to the year only) and
/// which of the year's entries (in [`Routes::timeline_years`] order) fall in it.
pub type MonthRun = (Option<i8>, std::ops::Range<usize>);

/// The id of a month's heading on a timeline page: `m-2024-03`, or `m-2024-undated` for
/// the entries dated to the year only.
pub fn timeline_month_anchor(year: i16, month: Option<i8>) -> String {
    match month {
        Some(m) => format!("m-{year:04}-{m:02}"),
        None => format!("m-{year:04}-undated"),
    }
}

impl<'s> Routes<'s> {
    /// The routes of `site` built with `plan`.
    pub fn new(site: &'s Site, plan: &Plan) -> Self {
        Routes::with_timeline(site, plan, Timeline::of(site))
    }

    /// The routes of `site` built with `plan`, with `timeline`, which must be
    /// [`Timeline::of`] `site` (or of a site with the same dated entities).
    pub fn with_timeline(site: &'s Site, plan: &Plan, timeline: Timeline) -> Self {
        Routes {
            site,
            paginate_by: plan.config.build.paginate_by.max(1),
            timeline,
        }
    }

    /// The timeline, to build routes of the same site again with.
    pub fn into_timeline(self) -> Timeline {
        self.timeline
    }

    /// Items per page of a listing.
    pub fn paginate_by(&self) -> usize {
        self.paginate_by
    }

    /// Incidents and statements per year, oldest first: the timeline's pages.
    pub fn timeline_years(&self) -> &BTreeMap<i16, Vec<EntityId>> {
        &self.timeline.years
    }

    /// The months of a timeline year, in order (made once per build: every timeline page
    /// indexes every month).
    pub fn timeline_months(&self, year: i16) -> &[MonthRun] {
        self.timeline.months.get(&year).map_or(&[], Vec::as_slice)
    }

    /// Every page of the site, in a deterministic order.
    pub fn pages(&self) -> Vec<Page> {
        let site = self.site;
        let per = self.paginate_by;
        let mut pages: Vec<Page> = (0..site.entities.len() as u32)
            .map(|i| Page::Entity(EntityId(i)))
            .collect();
        for (&kind, ids) in &site.listings {
            pages.extend((1..=page_count(ids.len(), per)).map(|n| Page::Section(kind, n)));
        }
        pages.push(Page::Home);
        pages.push(Page::Timeline);
        for (year, ids) in &self.timeline.years {
            pages.extend(
                (1..=page_count(ids.len(), TIMELINE_PER_PAGE))
                    .map(|n| Page::TimelineYear(*year, n)),
            );
        }
        pages.push(Page::Tags);
        for (slug, t) in &site.tags {
            pages.extend(
                (1..=page_count(t.entities.len(), per)).map(|n| Page::Tag(slug.clone(), n)),
            );
        }
        pages.push(Page::Countries);
        for (code, ids) in &site.countries {
            pages.extend((1..=page_count(ids.len(), per)).map(|n| Page::Country(*code, n)));
        }
        pages.push(Page::Map);
        pages.push(Page::GroupGraph);
        pages.push(Page::Search);
        pages.push(Page::NotFound);
        pages
    }

    /// The path of a published entity's page.
    pub fn entity(&self, id: EntityId) -> String {
        let e = self.site.get(id);
        entity(e.kind, e.slug.as_str())
    }

    /// The published entity whose page is at `path` (`incidents/x/`), if any.
    pub fn entity_at(&self, path: &str) -> Option<EntityId> {
        let (dir, rest) = path.split_once('/')?;
        let id = *self.site.by_slug.get(rest.strip_suffix('/')?)?;
        (self.site.get(id).kind.dir() == dir).then_some(id)
    }

    /// Every feed of the site: the site, each kind, each group, country and tag.
    pub fn feeds(&self) -> Vec<FeedScope> {
        let site = self.site;
        let mut feeds = vec![FeedScope::Site];
        feeds.extend(FEED_KINDS.into_iter().map(FeedScope::Kind));
        feeds.extend(
            site.listings
                .get(&Kind::Group)
                .into_iter()
                .flatten()
                .map(|&id| FeedScope::Group(id)),
        );
        feeds.extend(site.countries.keys().copied().map(FeedScope::Country));
        feeds.extend(site.tags.keys().cloned().map(FeedScope::Tag));
        feeds
    }

    /// The folder of a feed's files: the folder of the page it follows.
    pub fn feed_dir(&self, scope: &FeedScope) -> String {
        match scope {
            FeedScope::Site => String::new(),
            FeedScope::Kind(kind) => section(*kind),
            FeedScope::Group(id) => self.entity(*id),
            FeedScope::Country(code) => country(*code),
            FeedScope::Tag(slug) => tag(slug),
        }
    }

    /// The feed that follows the page at `path`, any page of a paged listing included.
    pub fn feed_at(&self, path: &str) -> Option<FeedScope> {
        if path.is_empty() {
            return Some(FeedScope::Site);
        }
        // Page 1 of a listing is its folder, page `n` is `<folder>page/<n>/`.
        let first = match path.find("page/") {
            Some(i) if path[..i].ends_with('/') => &path[..i],
            _ => path,
        };
        if let Some(kind) = FEED_KINDS.into_iter().find(|k| section(*k) == first) {
            return Some(FeedScope::Kind(kind));
        }
        if let Some(id) = self.entity_at(path) {
            return (self.site.get(id).kind == Kind::Group).then_some(FeedScope::Group(id));
        }
        let (folder, rest) = first.split_once('/')?;
        let key = rest.strip_suffix('/')?;
        if format!("{folder}/") == TAGS && self.site.tags.contains_key(key) {
            return Some(FeedScope::Tag(key.to_string()));
        }
        let code = CountryCode::parse(key)?;
        (format!("{folder}/") == COUNTRIES && self.site.countries.contains_key(&code))
            .then_some(FeedScope::Country(code))
    }

    /// The site-relative path of a page.
    pub fn path(&self, page: &Page) -> String {
        match page {
            Page::Entity(id) => self.entity(*id),
            Page::Section(kind, n) => paged(&section(*kind), *n),
            Page::Home => String::new(),
            Page::Timeline => TIMELINE.to_string(),
            Page::TimelineYear(y, n) => paged(&timeline_year(*y), *n),
            Page::Tags => TAGS.to_string(),
            Page::Tag(t, n) => paged(&tag(t), *n),
            Page::Countries => COUNTRIES.to_string(),
            Page::Country(c, n) => paged(&country(*c), *n),
            Page::Map => MAP.to_string(),
            Page::GroupGraph => GROUP_GRAPH.to_string(),
            Page::Search => SEARCH.to_string(),
            Page::NotFound => NOT_FOUND.to_string(),
        }
    }

    /// The file a page is written to, relative to the output folder.
    pub fn file(&self, page: &Page) -> String {
        file_of(&self.path(page))
    }
}

/// Incidents and statements per year, oldest first.
fn years_of(site: &Site) -> BTreeMap<i16, Vec<EntityId>> {
    let mut years: BTreeMap<i16, Vec<EntityId>> = BTreeMap::new();
    for kind in [Kind::Incident, Kind::Statement] {
        for &id in site.listings.get(&kind).into_iter().flatten() {
            if let Some(d) = site.get(id).date() {
                years.entry(d.year()).or_default().push(id);
            }
        }
    }
    for ids in years.values_mut() {
        // Each key once: a key is a date worked out from the entity's fields.
        ids.sort_by_cached_key(|&id| site.get(id).chrono_key());
    }
    years
}

/// Consecutive runs of the same month in `ids` (in time order, where a month's entries are
/// consecutive: a partial date sorts after the days of its period).
fn month_runs(site: &Site, ids: &[EntityId]) -> Vec<MonthRun> {
    let mut runs: Vec<MonthRun> = Vec::new();
    for (i, &id) in ids.iter().enumerate() {
        let m = site.get(id).date().and_then(|d| d.month());
        match runs.last_mut() {
            Some((last, range)) if *last == m => range.end = i + 1,
            _ => runs.push((m, i..i + 1)),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_and_paths_are_inverses() {
        for path in ["", "incidents/x/", "tags/a/page/2/", NOT_FOUND] {
            assert_eq!(path_of_file(&file_of(path)), path);
        }
        assert_eq!(file_of(""), "index.html");
        assert_eq!(file_of("incidents/x/"), "incidents/x/index.html");
    }

    #[test]
    fn listings_are_paged_under_their_folder() {
        assert_eq!(paged("incidents/", 1), "incidents/");
        assert_eq!(paged("incidents/", 3), "incidents/page/3/");
        assert_eq!(country(CountryCode::parse("FR").unwrap()), "countries/fr/");
        assert_eq!(page_count(45, 20), 3);
        assert_eq!(page_count(0, 20), 1);
    }
}
