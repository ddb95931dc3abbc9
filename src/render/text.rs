//! A body as the search index reads it: the HTML a reader sees, without highlighting.
//!
//! The search index (`output::search`) takes its words from the rendered body rather than
//! from the Markdown, so it holds exactly what the page shows: a wikilink or a written
//! link to a withheld page is resolved (or dropped) by the same targets as on the page,
//! and raw HTML is sanitised the same way. Highlighting changes markup only, never text,
//! so it is left out to save time.

use super::Renderer;
use super::targets::PageTargets;
use crate::diag::Diagnostics;
use crate::markdown::{MarkdownOptions, render_markdown};
use crate::model::EntityId;
use crate::routes;

impl Renderer<'_> {
    /// The rendered body of a published entity, without highlighting, for the search
    /// index. Its warnings were reported when its page was rendered; errors (the file
    /// changed since it was read, issue 9) are reported again, so the build fails rather
    /// than index nothing.
    pub fn body_for_index(&self, id: EntityId, diags: &Diagnostics) -> String {
        let e = self.site.get(id);
        let body = match crate::load::reread_body(
            &self.plan.root,
            &e.file,
            e.fingerprint,
            e.body_offset,
        ) {
            Ok(body) => body,
            Err(d) => {
                diags.push(d);
                return String::new();
            }
        };
        let page = routes::entity(e.kind, e.slug.as_str());
        let targets = PageTargets {
            renderer: self,
            page: &page,
        };
        let opts = MarkdownOptions {
            highlight_code: false,
            ..self.markdown
        };
        let rendered = render_markdown(&body, e.body_offset, opts, &targets);
        for d in rendered.problems.into_iter().filter(|d| d.is_error()) {
            diags.push(d.in_file(&e.file));
        }
        rendered.html
    }
}
