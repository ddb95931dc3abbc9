//! Listing pages: a kind's listing, the home page, the timeline, tags and countries.
//!
//! Takes the linked site's listings, tags and countries and the [`crate::routes::Routes`]
//! (timeline years, items per page); gives each listing page's HTML. Invariants: listings
//! show published entities only, as cards shared across pages; a page's size is bounded by
//! its items per page and its paginator, never by the size of the site (issue 5).

use std::sync::OnceLock;

use tera::Context;

use super::Renderer;
use super::paginate::page_items;
use super::view::*;
use crate::diag::{Diagnostic, Diagnostics};
use crate::link::Site;
use crate::model::{CountryCode, EntityId, Kind};
use crate::routes;

/// Above this many entries the timeline overview lists years only; each year has its own page.
pub const TIMELINE_INLINE_LIMIT: usize = 1000;
/// How many incidents and statements the home page shows.
pub const HOME_LATEST: usize = 10;

/// The entities `ids` of a tag or a country in the order of its pages: by kind, newest
/// first, then by title, then by slug.
pub fn taxonomy_order(site: &Site, ids: &[EntityId]) -> Vec<EntityId> {
    let mut sorted = ids.to_vec();
    sorted.sort_by_cached_key(|&id| {
        let e = site.get(id);
        (
            e.kind,
            std::cmp::Reverse(e.chrono_key()),
            e.common.title.to_lowercase(),
            e.slug.as_str(),
        )
    });
    sorted
}

impl Renderer<'_> {
    pub(super) fn section_page(
        &self,
        kind: Kind,
        n: usize,
        path: &str,
    ) -> Result<String, Diagnostic> {
        let ids = &self.site.listings[&kind];
        let base = routes::section(kind);
        let page_ids = page_items(ids, n, self.routes.paginate_by());
        let paginator = self.paginator(&base, n, ids.len());
        let mut ctx = Context::new();
        ctx.insert(
            "section",
            &SectionView {
                key: kind.dir(),
                title: kind.plural_label(),
                url: self.url(&base),
                graph_url: (kind == Kind::Group).then(|| self.url(routes::GROUP_GRAPH)),
            },
        );
        ctx.insert("items", &self.cards(page_ids));
        ctx.insert("paginator", &paginator);
        self.render("section.html", kind.dir(), path, ctx)
    }

    pub(super) fn home_page(&self, diags: &Diagnostics) -> Result<String, Diagnostic> {
        let intro = self.site.intro.as_ref().map(|intro| {
            let reread = crate::load::reread_body(
                &self.plan.root,
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
            "incidents_chart",
            &self.timed_picture(|| {
                self.monthly_chart(&self.site.listings[&Kind::Incident], "on this site")
            }),
        );
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
    }

    /// The entities of a tag or a country in page order ([`taxonomy_order`]), sorted once
    /// per build, by the first page that needs it.
    fn taxonomy_order<'s>(
        &'s self,
        cell: &'s OnceLock<Vec<EntityId>>,
        ids: &[EntityId],
    ) -> &'s [EntityId] {
        cell.get_or_init(|| taxonomy_order(self.site, ids))
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

    pub(super) fn tags_page(&self) -> Result<String, Diagnostic> {
        let tags: Vec<TagView> = self
            .site
            .tags
            .iter()
            .map(|(slug, t)| TagView {
                name: t.name.clone(),
                label: self.labels.word(&t.name),
                url: self.url(&routes::tag(slug)),
                count: t.entities.len(),
            })
            .collect();
        let mut ctx = Context::new();
        ctx.insert("tags", &tags);
        self.render("tags.html", "tags", routes::TAGS, ctx)
    }

    pub(super) fn tag_page(&self, slug: &str, n: usize, path: &str) -> Result<String, Diagnostic> {
        let t = &self.site.tags[slug];
        let base = routes::tag(slug);
        let ordered = match self.tag_order.get(slug) {
            Some(cell) => self.taxonomy_order(cell, &t.entities),
            None => &t.entities,
        };
        let mut ctx = Context::new();
        ctx.insert(
            "tag",
            &TagView {
                name: t.name.clone(),
                label: self.labels.word(&t.name),
                url: self.url(&base),
                count: t.entities.len(),
            },
        );
        let items = page_items(ordered, n, self.routes.paginate_by());
        ctx.insert("groups", &self.kind_groups(items));
        ctx.insert("paginator", &self.paginator(&base, n, ordered.len()));
        self.render("tag.html", "tags", path, ctx)
    }

    pub(super) fn countries_page(&self) -> Result<String, Diagnostic> {
        let mut countries: Vec<CountryView> = self
            .site
            .countries
            .iter()
            .map(|(&c, ids)| self.country_view(c, ids.len()))
            .collect();
        countries.sort_by(|a, b| a.name.cmp(&b.name));
        let mut ctx = Context::new();
        ctx.insert("countries", &countries);
        self.render("countries.html", "countries", routes::COUNTRIES, ctx)
    }

    pub(super) fn country_page(
        &self,
        code: CountryCode,
        n: usize,
        path: &str,
    ) -> Result<String, Diagnostic> {
        let ids = &self.site.countries[&code];
        let country = self.country_view(code, ids.len());
        let base = routes::country(code);
        let ordered = match self.country_order.get(&code) {
            Some(cell) => self.taxonomy_order(cell, ids),
            None => ids,
        };
        let mut ctx = Context::new();
        let (locator, chart) = if n == 1 {
            let scope = format!("in {}", country.name);
            self.timed_picture(|| {
                (
                    self.country_locator(code.as_str(), ids),
                    self.monthly_chart(ids, &scope),
                )
            })
        } else {
            (None, None)
        };
        ctx.insert("locator", &locator);
        ctx.insert("incidents_chart", &chart);
        ctx.insert("country", &country);
        let items = page_items(ordered, n, self.routes.paginate_by());
        ctx.insert("groups", &self.kind_groups(items));
        ctx.insert("paginator", &self.paginator(&base, n, ordered.len()));
        self.render("country.html", "countries", path, ctx)
    }
}
