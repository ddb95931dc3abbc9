//! The [`Targets`] of a body on one page: wikilinks resolve to published entities, and
//! written links and images that lead to an entry page this build does not publish are
//! left out (see [`crate::link::entry_of_url`]; issue 9, item 3).

use super::Renderer;
use crate::diag::Diagnostic;
use crate::link::{Verdict, entry_of_url, judge};
use crate::markdown::{Resolved, Targets, is_remote_url, origin_of};

/// The targets of a body on the page at site path `page` (`incidents/x/`; empty for home).
pub(super) struct PageTargets<'r, 'a> {
    /// The renderer, for the site and its URLs.
    pub renderer: &'r Renderer<'a>,
    /// Site path of the page the body is on.
    pub page: &'r str,
}

impl Targets for PageTargets<'_, '_> {
    fn resolve(&self, slug: &str) -> Option<Resolved> {
        let site = self.renderer.site;
        site.by_slug.get(slug).map(|&id| {
            let t = site.get(id);
            Resolved {
                url: self.renderer.url(&self.renderer.routes.entity(id)),
                title: t.common.title.clone(),
            }
        })
    }

    fn is_remote(&self, url: &str) -> bool {
        is_remote_url(url, origin_of(self.renderer.plan.base_url.as_str()))
    }

    fn unpublished(&self, url: &str) -> Option<Diagnostic> {
        let site = self.renderer.site;
        let entry = entry_of_url(url, self.page, self.renderer.plan.base_url.as_str())?;
        let state = |slug: &str| match site.by_slug.get(slug) {
            Some(&id) => Some((site.get(id).kind, true)),
            None => site
                .withheld_slugs
                .contains(slug)
                .then_some((entry.kind, false)),
        };
        let published = |kind| {
            site.listings
                .get(&kind)
                .into_iter()
                .flatten()
                .map(|&id| site.get(id).slug.as_str())
                .collect()
        };
        match judge(url, &entry, state, published) {
            Verdict::Keep => None,
            Verdict::Drop(d) => Some(d),
        }
    }
}
