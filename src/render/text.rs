//! A body as the search index reads it: the words of the HTML a reader sees.
//!
//! The search index (`output::search`) takes its words from the rendered body rather than
//! from the Markdown, so it holds exactly what the page shows: a wikilink or a written
//! link to a withheld page is resolved (or dropped) by the same targets as on the page,
//! and raw HTML is sanitised the same way.
//!
//! The page's render keeps its body's words as it renders it (issue 16), so the index
//! neither renders a body again nor reads it back from the cache, and the build holds the
//! distinct words of each body, not its HTML. A body whose page this renderer did not
//! render (serve's updates may ask for one) is rendered again: from the cache when there
//! is one, else without highlighting, which changes markup only (`span`s around the words
//! of code), never text; inline tags do not split a word, so both give the same words.

use std::borrow::Cow;

use super::Renderer;
use super::body_words::BodyWords;
use crate::diag::Diagnostics;
use crate::markdown::MarkdownOptions;
use crate::model::EntityId;

impl Renderer<'_> {
    /// Keep the words of `html`, the body of entity `id` as its page shows it, for the
    /// search index.
    pub(super) fn keep_index_words(&self, id: EntityId, html: &str) {
        if let Some(slot) = self.index_words.get(id.index()) {
            slot.get_or_init(|| BodyWords::of_html(html));
        }
    }

    /// The words of the rendered body of a published entity, for the search index: kept by
    /// its page's render, else rendered again. Warnings of a body rendered again were
    /// reported when its page was rendered; errors (the file changed since it was read,
    /// issue 9) are reported again, so the build fails rather than index nothing.
    pub fn index_words(&self, id: EntityId, diags: &Diagnostics) -> Cow<'_, BodyWords> {
        if let Some(words) = self.index_words.get(id.index()).and_then(|s| s.get()) {
            return Cow::Borrowed(words);
        }
        Cow::Owned(BodyWords::of_html(&self.body_for_index(id, diags)))
    }

    /// The rendered body of a published entity, rendered again (see [`Self::index_words`]).
    fn body_for_index(&self, id: EntityId, diags: &Diagnostics) -> String {
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
