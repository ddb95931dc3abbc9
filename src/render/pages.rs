//! One page of the site -> its HTML.
//!
//! Takes a [`Page`] of the [`crate::routes::Routes`]; gives its HTML, or `None` after
//! reporting why it could not be rendered. The page's path and file come from the routes,
//! never from here. The views are built by [`super::entity`] (entity pages) and
//! [`super::listings`] (listings, home, timeline, tags, countries). Only published entities
//! are seen, because the link stage never gave withheld ones an id.

use tera::Context;

use super::Renderer;
use crate::diag::Diagnostics;
use crate::routes::Page;

impl Renderer<'_> {
    /// Render one page; problems go to `diags`, and a page that failed is `None`.
    pub fn render_page(&self, page: &Page, diags: &Diagnostics) -> Option<String> {
        let path = self.routes.path(page);
        let result = match page {
            Page::Entity(id) => self.entity_page(*id, &path, diags),
            Page::Section(kind, n) => self.section_page(*kind, *n, &path),
            Page::Home => self.home_page(diags),
            Page::Timeline => self.timeline_page(None, &path),
            Page::TimelineYear(y, n) => self.timeline_page(Some((*y, *n)), &path),
            Page::Tags => self.tags_page(),
            Page::Tag(t, n) => self.tag_page(t, *n, &path),
            Page::Countries => self.countries_page(),
            Page::Map => self.map_page(&path),
            Page::Country(c, n) => self.country_page(*c, *n, &path),
            Page::GroupGraph => self.group_graph_page(&path),
            Page::Search => self.render("search.html", "search", &path, Context::new()),
            Page::NotFound => self.render("404.html", "", &path, Context::new()),
        };
        result.map_err(|d| diags.push(d)).ok()
    }
}
