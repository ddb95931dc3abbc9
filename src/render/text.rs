//! A body as the search index reads it: the HTML a reader sees.
//!
//! The search index (`output::search`) takes its words from the rendered body rather than
//! from the Markdown, so it holds exactly what the page shows: a wikilink or a written
//! link to a withheld page is resolved (or dropped) by the same targets as on the page,
//! and raw HTML is sanitised the same way.
//!
//! With the body cache, this is the page's own body, which the page's render stored a
//! moment before: read back, not rendered a second time (issue 16). Without the cache it
//! is rendered again, without highlighting, which changes markup only (`span`s around the
//! words of code), never text; the index reads inline tags as not splitting a word, so
//! both give the same words.

use super::Renderer;
use crate::diag::Diagnostics;
use crate::markdown::MarkdownOptions;
use crate::model::EntityId;

impl Renderer<'_> {
    /// The rendered body of a published entity, for the search index. Its warnings were
    /// reported when its page was rendered; errors (the file changed since it was read,
    /// issue 9) are reported again, so the build fails rather than index nothing.
    pub fn body_for_index(&self, id: EntityId, diags: &Diagnostics) -> String {
        let e = self.site.get(id);
        let opts = match self.cache {
            Some(_) => self.markdown,
            None => MarkdownOptions {
                highlight_code: false,
                ..self.markdown
            },
        };
        let rendered = self.body_with(e, opts, false);
        for d in rendered.problems.into_iter().filter(|d| d.is_error()) {
            diags.push(d.in_file(&e.file));
        }
        rendered.html
    }
}
