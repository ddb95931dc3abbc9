//! What the render stage gives feeds (issue 15): their titles, the bodies of their
//! entries, and the links of the feed that follows a page (`feed` in page templates:
//! `<link rel="alternate">` and the visible "Follow" link).

use serde::Serialize;

use super::{Labels, Renderer};
use crate::diag::Diagnostics;
use crate::link::Site;
use crate::model::EntityId;
use crate::routes::{self, FeedScope};

/// The feed following a page, as page templates see it (`feed`); only with an absolute
/// base URL, as feeds need one.
#[derive(Debug, Clone, Serialize)]
pub struct FeedLinkView {
    /// Its title.
    pub title: String,
    /// Its Atom file.
    pub atom_url: String,
    /// Its JSON Feed file.
    pub json_url: String,
}

/// The title of the feed of `scope` on the site titled `site_title` (a tag by its label).
pub fn feed_title(site: &Site, labels: &Labels, site_title: &str, scope: &FeedScope) -> String {
    let what = match scope {
        FeedScope::Site => return site_title.to_string(),
        FeedScope::Kind(kind) => {
            let dir = kind.dir();
            let mut first = dir.chars();
            first
                .next()
                .map(|c| c.to_uppercase().chain(first).collect())
                .unwrap_or_default()
        }
        FeedScope::Group(id) => site.get(*id).common.title.clone(),
        FeedScope::Country(code) => code.name().to_string(),
        FeedScope::Tag(slug) => format!(
            "Tag {}",
            labels.word(
                site.tags
                    .get(slug)
                    .map_or(slug.as_str(), |t| t.name.as_str())
            )
        ),
    };
    format!("{what} · {site_title}")
}

impl Renderer<'_> {
    /// The rendered body of a published entity, for a feed with full content: rendered
    /// once per build however many feeds (and both formats) carry it. Its warnings and
    /// notes were reported when its page was rendered; errors (the file changed since it
    /// was read, issue 9) are reported again, so the build fails rather than ship an
    /// empty body.
    pub fn feed_body(&self, id: EntityId, diags: &Diagnostics) -> String {
        let bodies = self.feed_bodies.get_or_init(|| {
            (0..self.site.entities.len())
                .map(|_| std::sync::OnceLock::new())
                .collect()
        });
        bodies[id.index()]
            .get_or_init(|| {
                let quiet = Diagnostics::new();
                let html = self.read_and_render_body(self.site.get(id), &quiet).html;
                for d in quiet.into_vec().into_iter().filter(|d| d.is_error()) {
                    diags.push(d);
                }
                html
            })
            .clone()
    }

    /// The feed that follows the page at `path`, if any.
    pub(super) fn feed_link(&self, path: &str) -> Option<FeedLinkView> {
        if !self.plan.base_url.is_absolute() {
            return None;
        }
        let scope = self.routes.feed_at(path)?;
        let dir = self.routes.feed_dir(&scope);
        Some(FeedLinkView {
            title: feed_title(self.site, &self.labels, &self.plan.config.title, &scope),
            atom_url: self.url(&format!("{dir}{}", routes::ATOM)),
            json_url: self.url(&format!("{dir}{}", routes::JSON_FEED)),
        })
    }
}
