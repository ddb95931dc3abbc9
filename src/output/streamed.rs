//! The machine-readable outputs, as a list: each is a file and a function that streams it.
//!
//! Takes an [`OutputContext`] (the linked site, the plan, the routes and the files of the
//! pages written); gives one file each. To add an output (an export, a feed), write a
//! [`WriteFn`] and add a [`Streamed`] to [`STREAMED`]; the write stage creates its file in
//! the staging folder, streams into it on its own thread, counts its bytes and keeps
//! `static/` from replacing it. The outputs whose files depend on the site are lists of
//! files with their writers, written alike: the data exports (one per entity,
//! [`super::export::Exports::outputs`]), the feeds (one pair per group, country, tag...,
//! [`super::feeds::outputs`]), the sitemap with `robots.txt` ([`super::sitemap::outputs`])
//! and the search index's shards ([`super::search::outputs`]).
//!
//! Invariants: an output reads the linked site only, so withheld entities cannot appear; it
//! streams into its writer rather than building the file in memory where it can grow with
//! the site; it takes no clock (dates come from the content), so output is byte-identical
//! between builds.

use std::io::{self, Write};

use crate::link::Site;
use crate::markdown::highlight;
use crate::plan::Plan;
use crate::routes::{self, Routes};

/// What an output may read.
#[derive(Clone, Copy)]
pub struct OutputContext<'a> {
    /// The linked, published site.
    pub site: &'a Site,
    /// Settings, base URL and publish policy.
    pub plan: &'a Plan,
    /// Every page's path.
    pub routes: &'a Routes<'a>,
    /// The files of the pages written, sorted (`incidents/x/index.html`, `404.html`).
    pub pages: &'a [String],
}

impl OutputContext<'_> {
    /// The absolute (or, with a path base URL, root-relative) URL of a site path.
    pub fn url(&self, path: &str) -> String {
        self.plan.base_url.join(path)
    }
}

/// Streams one output into `w`.
pub type WriteFn = fn(&OutputContext<'_>, &mut dyn Write) -> io::Result<()>;

/// One machine-readable output.
#[derive(Clone, Copy)]
pub struct Streamed {
    /// Its file, relative to the output folder.
    pub file: &'static str,
    /// What writes it.
    pub write: WriteFn,
}

impl Streamed {
    const fn new(file: &'static str, write: WriteFn) -> Streamed {
        Streamed { file, write }
    }
}

/// Every machine-readable output.
pub const STREAMED: &[Streamed] = &[Streamed::new(routes::SYNTAX_CSS, write_syntax_css)];

/// The outputs a build with `plan` writes.
pub fn streamed_outputs(_plan: &Plan) -> impl Iterator<Item = &'static Streamed> + '_ {
    STREAMED.iter()
}

/// `syntax.css`: the highlighting colours of the light and dark themes.
fn write_syntax_css(ctx: &OutputContext<'_>, w: &mut dyn Write) -> io::Result<()> {
    let markdown = &ctx.plan.config.markdown;
    let css = highlight::stylesheet(&markdown.highlight_theme, &markdown.highlight_theme_dark);
    w.write_all(css.as_bytes())
}
