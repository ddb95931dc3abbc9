//! Which pages a site has, and the view of each.
//!
//! [`page_jobs`] lists every page to render; [`Renderer::render_job`] builds its context
//! from the linked site and renders it. Both only see published entities, because the
//! link stage never gave withheld ones an id.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use tera::Context;

use super::Renderer;
use super::view::*;
use crate::diag::{Diagnostic, Diagnostics};
use crate::link::Entity;
use crate::markdown::render_markdown;
use crate::model::country::country_name;
use crate::model::{Data, EntityId, Kind, PartialDate, Source, Stance, slugify};

/// Above this many entries the timeline overview lists years only; each year has its own page.
pub const TIMELINE_INLINE_LIMIT: usize = 1000;
/// Entries per page of a timeline year: a year with more has `timeline/<year>/page/2/`
/// and so on, so that no page grows with the size of the site (issue 5).
pub const TIMELINE_PER_PAGE: usize = 500;
/// How many incidents and statements the home page shows.
pub const HOME_LATEST: usize = 10;
/// How many related incidents an incident page shows.
pub const RELATED_LIMIT: usize = 10;
/// A paginator lists every page up to this many pages; beyond, the first, the last and
/// [`PAGINATION_WINDOW`] pages either side of the current one, so that listing pages stay
/// small and the cost of a site grows linearly with its size (issue 5).
pub const PAGINATION_ALL_UP_TO: usize = 10;
/// Pages listed either side of the current page by a long paginator.
pub const PAGINATION_WINDOW: usize = 3;

/// One page to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
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
    /// Page `n` (1-based) of one country, by code.
    Country(String, usize),
    /// The search page.
    Search,
    /// `404.html`.
    NotFound,
}

/// Every page of the site, in a deterministic order.
pub fn page_jobs(r: &Renderer) -> Vec<Job> {
    let site = r.site;
    let mut jobs: Vec<Job> = (0..site.entities.len() as u32)
        .map(|i| Job::Entity(EntityId(i)))
        .collect();
    for (&kind, ids) in &site.listings {
        for n in 1..=page_count(ids.len(), r.config.build.paginate_by) {
            jobs.push(Job::Section(kind, n));
        }
    }
    jobs.push(Job::Home);
    jobs.push(Job::Timeline);
    for (year, ids) in timeline_years(r) {
        for n in 1..=page_count(ids.len(), TIMELINE_PER_PAGE) {
            jobs.push(Job::TimelineYear(*year, n));
        }
    }
    let per = r.config.build.paginate_by;
    jobs.push(Job::Tags);
    for (slug, t) in &site.tags {
        for n in 1..=page_count(t.entities.len(), per) {
            jobs.push(Job::Tag(slug.clone(), n));
        }
    }
    jobs.push(Job::Countries);
    for (code, ids) in &site.countries {
        for n in 1..=page_count(ids.len(), per) {
            jobs.push(Job::Country(code.clone(), n));
        }
    }
    jobs.push(Job::Search);
    jobs.push(Job::NotFound);
    jobs
}

fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
}

/// The items of page `n` (1-based) of a listing.
fn page_items(ids: &[EntityId], n: usize, per_page: usize) -> &[EntityId] {
    let per = per_page.max(1);
    let start = n.saturating_sub(1).saturating_mul(per).min(ids.len());
    &ids[start..(start + per).min(ids.len())]
}

/// The page numbers a paginator links to from page `current` of `total`: all of them up
/// to [`PAGINATION_ALL_UP_TO`] pages, otherwise the first, the last and
/// [`PAGINATION_WINDOW`] either side of the current one, so that the paginators of a
/// listing cost linear rather than quadratic time and space (issue 5).
fn linked_pages(current: usize, total: usize) -> Vec<usize> {
    if total <= PAGINATION_ALL_UP_TO {
        return (1..=total).collect();
    }
    let low = current.saturating_sub(PAGINATION_WINDOW).max(1);
    let high = (current + PAGINATION_WINDOW).min(total);
    let mut numbers = Vec::with_capacity(2 * PAGINATION_WINDOW + 5);
    for k in std::iter::once(1)
        .chain(low..=high)
        .chain(std::iter::once(total))
    {
        match numbers.last() {
            Some(&last) if k <= last => continue,
            // A gap of one page is shown as that page rather than as an ellipsis.
            Some(&last) if k == last + 2 => numbers.push(last + 1),
            _ => {}
        }
        numbers.push(k);
    }
    numbers
}

/// Site-relative path of page `n` of a listing at `base` (`incidents/`).
fn paged_path(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

/// Incidents and statements per year, oldest first; computed once per build.
fn timeline_years<'r>(r: &'r Renderer) -> &'r BTreeMap<i16, Vec<EntityId>> {
    r.timeline.get_or_init(|| years_of(r))
}

fn years_of(r: &Renderer) -> BTreeMap<i16, Vec<EntityId>> {
    let mut years: BTreeMap<i16, Vec<EntityId>> = BTreeMap::new();
    for kind in [Kind::Incident, Kind::Statement] {
        for &id in &r.site.listings[&kind] {
            if let Some(d) = r.site.get(id).date() {
                years.entry(d.year()).or_default().push(id);
            }
        }
    }
    for ids in years.values_mut() {
        ids.sort_by(|a, b| {
            let (ea, eb) = (r.site.get(*a), r.site.get(*b));
            (ea.date(), ea.slug.as_str()).cmp(&(eb.date(), eb.slug.as_str()))
        });
    }
    years
}

impl Renderer<'_> {
    /// The site-relative path of a page: `incidents/<slug>/`, `tags/<tag>/page/2/`,
    /// `404.html`; empty for the home page.
    pub fn page_path(&self, job: &Job) -> String {
        match job {
            Job::Entity(id) => self.site.get(*id).path(),
            Job::Section(kind, n) => paged_path(&format!("{}/", kind.dir()), *n),
            Job::Home => String::new(),
            Job::Timeline => "timeline/".to_string(),
            Job::TimelineYear(y, n) => paged_path(&format!("timeline/{y}/"), *n),
            Job::Tags => "tags/".to_string(),
            Job::Tag(t, n) => paged_path(&format!("tags/{t}/"), *n),
            Job::Countries => "countries/".to_string(),
            Job::Country(c, n) => paged_path(&format!("countries/{}/", c.to_ascii_lowercase()), *n),
            Job::Search => "search/".to_string(),
            Job::NotFound => "404.html".to_string(),
        }
    }

    /// The file a page is written to, relative to the output folder
    /// (`incidents/<slug>/index.html`), known before the page is rendered.
    pub fn output_file(&self, job: &Job) -> String {
        let path = self.page_path(job);
        if path.ends_with(".html") {
            path
        } else {
            format!("{path}index.html")
        }
    }

    /// Render one page: its output path (relative to the output folder) and HTML.
    pub fn render_job(&self, job: &Job, diags: &Diagnostics) -> Option<(String, String)> {
        let result = match job {
            Job::Entity(id) => self.entity_page(*id, diags),
            Job::Section(kind, n) => self.section_page(*kind, *n),
            Job::Home => self.home_page(diags),
            Job::Timeline => self.timeline_page(None),
            Job::TimelineYear(y, n) => self.timeline_page(Some((*y, *n))),
            Job::Tags => self.tags_page(),
            Job::Tag(t, n) => self.tag_page(t, *n),
            Job::Countries => self.countries_page(),
            Job::Country(c, n) => self.country_page(c, *n),
            Job::Search => self
                .render("search.html", "search", "search/", Context::new())
                .map(|html| ("search/".to_string(), html)),
            Job::NotFound => self
                .render("404.html", "", "404.html", Context::new())
                .map(|html| ("404.html".to_string(), html)),
        };
        match result {
            Ok((path, html)) => {
                let file = if path.ends_with(".html") {
                    path
                } else {
                    format!("{path}index.html")
                };
                debug_assert_eq!(file, self.output_file(job), "page_path disagrees");
                Some((file, html))
            }
            Err(d) => {
                diags.push(d);
                None
            }
        }
    }

    // ----- small views -----

    /// A link to an entity.
    pub fn ref_view(&self, id: EntityId) -> RefView {
        let e = self.site.get(id);
        RefView {
            kind: e.kind.as_str(),
            slug: e.slug.to_string(),
            title: e.common.title.clone(),
            url: self.url(&e.path()),
            short_name: match &e.data {
                Data::Group(g) => g.short_name.clone(),
                _ => None,
            },
        }
    }

    fn refs(&self, ids: &[EntityId]) -> Vec<RefView> {
        ids.iter().map(|&id| self.ref_view(id)).collect()
    }

    /// A date at its precision.
    pub fn date_view(d: &PartialDate) -> DateView {
        DateView {
            iso: d.iso(),
            display: d.to_string(),
            precision: d.precision(),
            year: d.year(),
        }
    }

    fn country_view(&self, code: &str, count: usize) -> CountryView {
        CountryView {
            code: code.to_string(),
            name: country_name(code).unwrap_or(code).to_string(),
            url: self.url(&format!("countries/{}/", code.to_ascii_lowercase())),
            count,
        }
    }

    fn tag_view(&self, tag: &str, count: usize) -> Option<TagView> {
        let slug = slugify(tag)?;
        Some(TagView {
            name: tag.trim().to_string(),
            url: self.url(&format!("tags/{slug}/")),
            count,
        })
    }

    fn source_view(s: &Source) -> SourceView {
        SourceView {
            title: s.title.clone(),
            publisher: s.publisher.clone(),
            url: s.url.clone(),
            date: s.date.as_ref().map(Self::date_view),
            reliability: s.reliability.map(|r| r.as_str().to_string()),
            reliability_label: s.reliability.map(|r| r.label()),
        }
    }

    /// A summary card for listings.
    pub fn card(&self, id: EntityId) -> CardView {
        let e = self.site.get(id);
        let mut card = CardView {
            kind: e.kind.as_str(),
            slug: e.slug.to_string(),
            title: e.common.title.clone(),
            url: self.url(&e.path()),
            summary: e.common.summary.clone(),
            date: e.date().map(Self::date_view),
            country: None,
            casualties: None,
            perpetrators: Vec::new(),
            speaker: None,
            stance: None,
            stance_label: None,
            verification: None,
            incident: None,
            status: None,
        };
        match &e.data {
            Data::Incident(i) => {
                card.country = i
                    .location
                    .as_ref()
                    .and_then(|l| l.country.as_deref())
                    .map(|c| self.country_view(c, 0));
                card.casualties = i.casualties.as_ref().map(casualties_view);
                card.perpetrators = self.refs(&i.perpetrators);
                card.status = Some(i.status.as_str());
            }
            Data::Statement(s) => {
                card.speaker = s.speaker.map(|id| self.ref_view(id));
                card.stance = Some(s.stance.as_str());
                card.stance_label = Some(s.stance.label());
                card.verification = s.verification.as_ref().map(|v| v.status.as_str());
                card.incident = s.incident.map(|id| self.ref_view(id));
            }
            Data::Group(g) => card.status = g.status.map(|s| s.as_str()),
            Data::Actor(a) => card.country = a.country.as_deref().map(|c| self.country_view(c, 0)),
            Data::Page => {}
        }
        card
    }

    /// The shared card of an entity (see [`Card`]).
    pub fn shared_card(&self, id: EntityId) -> Card {
        match self.cards.get(id.index()) {
            Some(cell) => cell.get_or_init(|| Card(self.card_value(id, true))).clone(),
            // Made again for each page: rendering `html` would cost as much as the
            // template's own call, and be wasted where the template calls the component.
            None => Card(self.card_value(id, false)),
        }
    }

    /// The card of an entity as templates see it: the fields of [`CardView`] plus `html`,
    /// the theme's `card` component rendered once with its default arguments. Listings
    /// print `html` instead of calling the component for every page the entity is listed
    /// on, which took two fifths of the template time of a big site (issue 5). Without
    /// `with_html`, without a `card` component, or when it fails (the template's own call
    /// reports the error), there is no `html`.
    fn card_value(&self, id: EntityId, with_html: bool) -> tera::Value {
        let value = tera::Value::from_serializable(&self.card(id));
        let tera = &self.theme.tera;
        if !with_html || !tera.contains_component("card") {
            return value;
        }
        let html = {
            let mut ctx = Context::new();
            ctx.insert_value("item", value.clone());
            tera.render_component("card", &ctx, None, true)
        };
        let Ok(html) = html else {
            return value;
        };
        if !value.is_map() {
            return value;
        }
        // The context is gone, so the map is not shared any more and is not copied.
        let mut map = value.into_map().unwrap_or_default();
        map.insert("html".into(), tera::Value::safe_string(&html));
        tera::Value::from(map)
    }

    fn cards(&self, ids: &[EntityId]) -> Vec<Card> {
        ids.iter().map(|&id| self.shared_card(id)).collect()
    }

    // ----- entity pages -----

    fn render_body(&self, e: &Entity, diags: &Diagnostics) -> crate::markdown::Rendered {
        let started = std::time::Instant::now();
        let rendered = self.read_and_render_body(e, diags);
        let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.stats
            .markdown_ns
            .fetch_add(nanos, std::sync::atomic::Ordering::Relaxed);
        rendered
    }

    fn read_and_render_body(&self, e: &Entity, diags: &Diagnostics) -> crate::markdown::Rendered {
        // Only the text the load stage judged may be published (issue 9).
        match crate::load::reread_body(self.root, &e.file, e.fingerprint, e.body_offset) {
            Ok(body) => self.render_markdown_body(&body, e.body_offset, &e.file, &e.path(), diags),
            Err(d) => {
                diags.push(d);
                Default::default()
            }
        }
    }

    fn render_markdown_body(
        &self,
        body: &str,
        offset: usize,
        file: &std::path::Path,
        page: &str,
        diags: &Diagnostics,
    ) -> crate::markdown::Rendered {
        let targets = super::targets::PageTargets {
            renderer: self,
            page,
        };
        let mut rendered = render_markdown(body, offset, self.markdown, &targets);
        diags.extend(rendered.problems.drain(..).map(|d| d.in_file(file)));
        rendered
    }

    fn common_view(&self, e: &Entity, diags: &Diagnostics) -> CommonView {
        let body = self.render_body(e, diags);
        CommonView {
            kind: e.kind.as_str(),
            kind_label: e.kind.label(),
            slug: e.slug.to_string(),
            title: e.common.title.clone(),
            url: self.url(&e.path()),
            summary: e.common.summary.clone().or_else(|| e.description.clone()),
            tags: e
                .common
                .tags
                .iter()
                .filter_map(|t| self.tag_view(t, 0))
                .collect(),
            sources: e.common.sources.iter().map(Self::source_view).collect(),
            tlp: e.common.tlp.as_str(),
            updated: e.common.updated.as_ref().map(Self::date_view),
            body_html: body.html,
            toc: body.toc,
            mentioned_in: self.refs(&self.site.links(e.id).mentioned_in),
            extra: e.common.extra.clone().unwrap_or(serde_json::Value::Null),
        }
    }

    fn entity_page(
        &self,
        id: EntityId,
        diags: &Diagnostics,
    ) -> Result<(String, String), Diagnostic> {
        let e = self.site.get(id);
        let links = self.site.links(id);
        let common = self.common_view(e, diags);
        let mut ctx = Context::new();
        let template = match &e.data {
            Data::Incident(i) => {
                let statements = self.cards(&links.statements);
                let mut by_stance: Vec<StanceGroupView> = Stance::ALL
                    .iter()
                    .map(|&s| StanceGroupView {
                        stance: s.as_str(),
                        label: s.label(),
                        items: Vec::new(),
                    })
                    .collect();
                let mut claimed_by: Vec<EntityId> = Vec::new();
                for (&sid, card) in links.statements.iter().zip(&statements) {
                    if let Data::Statement(s) = &self.site.get(sid).data {
                        let idx = Stance::ALL.iter().position(|&x| x == s.stance).unwrap_or(0);
                        by_stance[idx].items.push(card.clone());
                        if s.stance == Stance::Claims
                            && let Some(sp) = s.speaker
                            && !claimed_by.contains(&sp)
                        {
                            claimed_by.push(sp);
                        }
                    }
                }
                by_stance.retain(|g| !g.items.is_empty());
                let mut related: Vec<EntityId> = Vec::new();
                for p in &i.perpetrators {
                    related.extend(
                        self.site
                            .links(*p)
                            .incidents
                            .iter()
                            .filter(|&&x| x != id)
                            .take(RELATED_LIMIT),
                    );
                }
                related.sort_by(|a, b| {
                    let (ea, eb) = (self.site.get(*a), self.site.get(*b));
                    (eb.date(), eb.slug.as_str()).cmp(&(ea.date(), ea.slug.as_str()))
                });
                related.dedup();
                related.truncate(RELATED_LIMIT);
                ctx.insert(
                    "entity",
                    &IncidentView {
                        common,
                        date: Self::date_view(&i.date),
                        end_date: i.end_date.as_ref().map(Self::date_view),
                        location: i.location.as_ref().map(|l| LocationView {
                            place: l.place.clone(),
                            city: l.city.clone(),
                            region: l.region.clone(),
                            country: l.country.as_deref().map(|c| self.country_view(c, 0)),
                            coordinates: l
                                .coordinates
                                .map(|[lat, lon]| CoordinatesView { lat, lon }),
                        }),
                        casualties: i.casualties.as_ref().map(casualties_view),
                        attack_types: i.attack_types.clone(),
                        targets: i.targets.clone(),
                        perpetrators: self.refs(&i.perpetrators),
                        status: i.status.as_str(),
                        statements,
                        statements_by_stance: by_stance,
                        claimed_by: self.refs(&claimed_by),
                        related: self.cards(&related),
                    },
                );
                "incident.html"
            }
            Data::Group(g) => {
                ctx.insert(
                    "entity",
                    &GroupView {
                        common,
                        short_name: g.short_name.clone(),
                        aliases: g.aliases.clone(),
                        parent: g.parent.map(|p| self.ref_view(p)),
                        founded: g.founded.as_ref().map(Self::date_view),
                        regions: g.regions.iter().map(|c| self.country_view(c, 0)).collect(),
                        ideology: g.ideology.clone(),
                        status: g.status.map(|s| s.as_str()),
                        incidents: self.cards(&links.incidents),
                        statements_by: self.cards(&links.statements_by),
                        statements_about: self.cards(&links.statements_about),
                        children: self.refs(&links.children),
                    },
                );
                "group.html"
            }
            Data::Actor(a) => {
                ctx.insert(
                    "entity",
                    &ActorView {
                        common,
                        actor_kind: a.kind.as_str(),
                        actor_kind_label: a.kind.label(),
                        country: a.country.as_deref().map(|c| self.country_view(c, 0)),
                        role: a.role.clone(),
                        affiliation: a.affiliation.map(|p| self.ref_view(p)),
                        statements_by: self.cards(&links.statements_by),
                        statements_about: self.cards(&links.statements_about),
                        affiliated: self.refs(&links.affiliated),
                    },
                );
                "actor.html"
            }
            Data::Statement(s) => {
                ctx.insert(
                    "entity",
                    &StatementView {
                        common,
                        date: Self::date_view(&s.date),
                        speaker: s.speaker.map(|p| self.ref_view(p)),
                        via: s.via.map(|p| self.ref_view(p)),
                        incident: s.incident.map(|p| self.ref_view(p)),
                        about: self.refs(&s.about),
                        stance: s.stance.as_str(),
                        stance_label: s.stance.label(),
                        quote: s.quote.clone(),
                        verification: s.verification.as_ref().map(|v| VerificationView {
                            status: v.status.as_str(),
                            label: v.status.label(),
                            note: v.note.clone(),
                        }),
                        source: s.source.as_ref().map(Self::source_view),
                    },
                );
                "statement.html"
            }
            Data::Page => {
                ctx.insert("entity", &PageView { common });
                "page.html"
            }
        };
        let path = e.path();
        let current = if e.kind == Kind::Page {
            "pages"
        } else {
            e.kind.dir()
        };
        self.render(template, current, &path, ctx)
            .map(|html| (path, html))
    }

    // ----- listings -----

    /// The paginator of page `n` of a listing at `base` (`incidents/`) of `total_items`.
    fn paginator(&self, base: &str, n: usize, total_items: usize) -> PaginatorView {
        self.paginate(base, n, total_items, self.config.build.paginate_by)
    }

    /// The paginator of page `n` of a listing at `base` with `per_page` items a page.
    fn paginate(&self, base: &str, n: usize, total_items: usize, per_page: usize) -> PaginatorView {
        let total_pages = page_count(total_items, per_page);
        let numbers = linked_pages(n, total_pages);
        let mut previous = 0;
        let pages = numbers
            .into_iter()
            .map(|k| {
                let gap = k > previous + 1;
                previous = k;
                PageLink {
                    number: k,
                    url: self.url(&paged_path(base, k)),
                    current: k == n,
                    gap,
                }
            })
            .collect();
        PaginatorView {
            current: n,
            total_pages,
            total_items,
            prev_url: (n > 1).then(|| self.url(&paged_path(base, n - 1))),
            next_url: (n < total_pages).then(|| self.url(&paged_path(base, n + 1))),
            pages,
        }
    }

    fn section_page(&self, kind: Kind, n: usize) -> Result<(String, String), Diagnostic> {
        let ids = &self.site.listings[&kind];
        let base = format!("{}/", kind.dir());
        let page_ids = page_items(ids, n, self.config.build.paginate_by);
        let paginator = self.paginator(&base, n, ids.len());
        let mut ctx = Context::new();
        ctx.insert(
            "section",
            &SectionView {
                key: kind.dir(),
                title: kind.plural_label(),
                url: self.url(&base),
            },
        );
        ctx.insert("items", &self.cards(page_ids));
        ctx.insert("paginator", &paginator);
        let path = paged_path(&base, n);
        self.render("section.html", kind.dir(), &path, ctx)
            .map(|html| (path, html))
    }

    fn home_page(&self, diags: &Diagnostics) -> Result<(String, String), Diagnostic> {
        let intro = self.site.intro.as_ref().map(|intro| {
            let reread = crate::load::reread_body(
                self.root,
                &intro.file,
                intro.fingerprint,
                intro.body_offset,
            );
            let body_html = match reread {
                Ok(body) => {
                    self.render_markdown_body(&body, intro.body_offset, &intro.file, "", diags)
                        .html
                }
                Err(d) => {
                    diags.push(d);
                    String::new()
                }
            };
            IntroView {
                title: intro.title.clone(),
                description: intro.description.clone(),
                body_html,
            }
        });
        let latest = |kind: Kind| {
            let ids = &self.site.listings[&kind];
            self.cards(&ids[..ids.len().min(HOME_LATEST)])
        };
        let count = |kind: Kind| self.site.listings[&kind].len();
        let mut ctx = Context::new();
        ctx.insert("intro", &intro);
        ctx.insert("latest_incidents", &latest(Kind::Incident));
        ctx.insert("latest_statements", &latest(Kind::Statement));
        ctx.insert(
            "stats",
            &StatsView {
                incidents: count(Kind::Incident),
                groups: count(Kind::Group),
                actors: count(Kind::Actor),
                statements: count(Kind::Statement),
            },
        );
        self.render("index.html", "home", "", ctx)
            .map(|html| (String::new(), html))
    }

    /// The timeline overview (`None`) or page `n` of one year.
    fn timeline_page(&self, year: Option<(i16, usize)>) -> Result<(String, String), Diagnostic> {
        let years = timeline_years(self);
        let total: usize = years.values().map(Vec::len).sum();
        let year_view = |y: i16, ids: &[EntityId], count: usize, with_entries: bool| YearView {
            year: y,
            url: self.url(&format!("timeline/{y}/")),
            count,
            entries: if with_entries {
                self.cards(ids)
            } else {
                Vec::new()
            },
        };
        let all_years: Vec<YearView> = years
            .iter()
            .map(|(&y, ids)| year_view(y, ids, ids.len(), false))
            .collect();
        let mut paginator = None;
        let (shown, path) = match year {
            None => (
                years
                    .iter()
                    .map(|(&y, ids)| year_view(y, ids, ids.len(), total <= TIMELINE_INLINE_LIMIT))
                    .collect::<Vec<_>>(),
                "timeline/".to_string(),
            ),
            Some((y, n)) => {
                let base = format!("timeline/{y}/");
                let shown = years
                    .get(&y)
                    .map(|ids| {
                        let page = page_items(ids, n, TIMELINE_PER_PAGE);
                        paginator = Some(self.paginate(&base, n, ids.len(), TIMELINE_PER_PAGE));
                        vec![year_view(y, page, ids.len(), true)]
                    })
                    .unwrap_or_default();
                (shown, paged_path(&base, n))
            }
        };
        let mut ctx = Context::new();
        ctx.insert("years", &shown);
        ctx.insert("all_years", &all_years);
        ctx.insert("current_year", &year.map(|(y, _)| y));
        ctx.insert("paginator", &paginator);
        self.render("timeline.html", "timeline", &path, ctx)
            .map(|html| (path, html))
    }

    /// The entities of a tag or a country in page order: by kind, newest first, then by
    /// title; sorted once per build, by the first page that needs it.
    fn taxonomy_order<'s>(
        &'s self,
        cell: &'s OnceLock<Vec<EntityId>>,
        ids: &[EntityId],
    ) -> &'s [EntityId] {
        cell.get_or_init(|| {
            let mut sorted = ids.to_vec();
            sorted.sort_by_cached_key(|&id| {
                let e = self.site.get(id);
                (
                    e.kind,
                    std::cmp::Reverse(e.date().copied()),
                    e.common.title.to_lowercase(),
                    e.slug.as_str(),
                )
            });
            sorted
        })
    }

    /// Cards of `ids` (already in page order), grouped by kind.
    fn kind_groups(&self, ids: &[EntityId]) -> Vec<KindGroupView> {
        let mut groups: Vec<KindGroupView> = Kind::ALL
            .iter()
            .map(|k| KindGroupView {
                key: k.dir(),
                title: k.plural_label(),
                items: Vec::new(),
            })
            .collect();
        for &id in ids {
            let k = self.site.get(id).kind;
            let idx = Kind::ALL.iter().position(|&x| x == k).unwrap_or(0);
            groups[idx].items.push(self.shared_card(id));
        }
        groups.retain(|g| !g.items.is_empty());
        groups
    }

    fn tags_page(&self) -> Result<(String, String), Diagnostic> {
        let tags: Vec<TagView> = self
            .site
            .tags
            .iter()
            .map(|(slug, t)| TagView {
                name: t.name.clone(),
                url: self.url(&format!("tags/{slug}/")),
                count: t.entities.len(),
            })
            .collect();
        let mut ctx = Context::new();
        ctx.insert("tags", &tags);
        self.render("tags.html", "tags", "tags/", ctx)
            .map(|html| ("tags/".to_string(), html))
    }

    fn tag_page(&self, slug: &str, n: usize) -> Result<(String, String), Diagnostic> {
        let t = &self.site.tags[slug];
        let base = format!("tags/{slug}/");
        let ordered = match self.tag_order.get(slug) {
            Some(cell) => self.taxonomy_order(cell, &t.entities),
            None => &t.entities,
        };
        let mut ctx = Context::new();
        ctx.insert(
            "tag",
            &TagView {
                name: t.name.clone(),
                url: self.url(&base),
                count: t.entities.len(),
            },
        );
        let items = page_items(ordered, n, self.config.build.paginate_by);
        ctx.insert("groups", &self.kind_groups(items));
        ctx.insert("paginator", &self.paginator(&base, n, ordered.len()));
        let path = paged_path(&base, n);
        self.render("tag.html", "tags", &path, ctx)
            .map(|html| (path, html))
    }

    fn countries_page(&self) -> Result<(String, String), Diagnostic> {
        let mut countries: Vec<CountryView> = self
            .site
            .countries
            .iter()
            .map(|(c, ids)| self.country_view(c, ids.len()))
            .collect();
        countries.sort_by(|a, b| a.name.cmp(&b.name));
        let mut ctx = Context::new();
        ctx.insert("countries", &countries);
        self.render("countries.html", "countries", "countries/", ctx)
            .map(|html| ("countries/".to_string(), html))
    }

    fn country_page(&self, code: &str, n: usize) -> Result<(String, String), Diagnostic> {
        let ids = &self.site.countries[code];
        let country = self.country_view(code, ids.len());
        let base = format!("countries/{}/", code.to_ascii_lowercase());
        let ordered = match self.country_order.get(code) {
            Some(cell) => self.taxonomy_order(cell, ids),
            None => ids,
        };
        let mut ctx = Context::new();
        ctx.insert("country", &country);
        let items = page_items(ordered, n, self.config.build.paginate_by);
        ctx.insert("groups", &self.kind_groups(items));
        ctx.insert("paginator", &self.paginator(&base, n, ordered.len()));
        let path = paged_path(&base, n);
        self.render("country.html", "countries", &path, ctx)
            .map(|html| (path, html))
    }
}

fn casualties_view(c: &crate::model::Casualties) -> CasualtiesView {
    CasualtiesView {
        killed: c.killed,
        injured: c.injured,
        note: c.note.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_listings_link_every_page() {
        assert_eq!(linked_pages(1, 1), [1]);
        assert_eq!(
            linked_pages(4, PAGINATION_ALL_UP_TO),
            (1..=10).collect::<Vec<_>>()
        );
    }

    #[test]
    fn long_listings_link_a_window_the_first_and_the_last() {
        assert_eq!(linked_pages(1, 1500), [1, 2, 3, 4, 1500]);
        assert_eq!(
            linked_pages(750, 1500),
            [1, 747, 748, 749, 750, 751, 752, 753, 1500]
        );
        assert_eq!(linked_pages(1500, 1500), [1, 1497, 1498, 1499, 1500]);
        // A gap of a single page shows that page.
        assert_eq!(linked_pages(5, 20), [1, 2, 3, 4, 5, 6, 7, 8, 20]);
        assert_eq!(linked_pages(16, 20), [1, 13, 14, 15, 16, 17, 18, 19, 20]);
    }

    #[test]
    fn page_items_slice_the_listing() {
        let ids: Vec<EntityId> = (0..45).map(EntityId).collect();
        assert_eq!(page_items(&ids, 1, 20).len(), 20);
        assert_eq!(page_items(&ids, 3, 20), &ids[40..]);
        assert!(page_items(&ids, 4, 20).is_empty());
        assert_eq!(page_count(45, 20), 3);
        assert_eq!(page_count(0, 20), 1);
    }
}
