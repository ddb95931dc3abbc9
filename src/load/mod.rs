//! LOAD: walk `content/`, read each file, split and parse its frontmatter into typed data,
//! and collect the `[[wikilinks]]` of its body.
//!
//! Takes the site root; gives [`Loaded`]: the documents sorted by kind then slug, with
//! references as written (link resolves them). One file per job: `walk` (which files),
//! `document` (one file -> [`Document`]), `serde_errors` (parser errors -> diagnostics, also
//! for `briefing.toml`), `validate` (checks serde cannot make), `spans` (parser spans ->
//! diagnostic spans), `split` (frontmatter fences),
//! `reread` (bodies for the render stage).
//!
//! Invariants: every file is read once here and its body is not kept (the render stage reads
//! it again when it needs it, so memory stays flat on large sites, but only through
//! [`reread_body`], which refuses a file whose text is not the one judged here); every problem becomes a
//! [`Diagnostic`] with a span into the file and loading goes on with the next file.

mod document;
pub mod reread;
mod serde_errors;
mod spans;
pub mod split;
mod validate;
mod walk;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use document::load_document;
pub use document::parse_document_text;
pub use reread::{Fingerprint, reread_body};
pub use serde_errors::serde_diagnostic;
pub use spans::unquoted;
pub use validate::url_is_allowed;
use walk::walk_content;

use crate::diag::{Code, Diagnostic, Diagnostics, Span};
use crate::markdown::WikiLink;
use crate::model::{Common, Data, Kind, RefSlug, Slug};
use crate::source::escapes_root;

/// The folder holding the content, under the site root.
pub const CONTENT_DIR: &str = "content";
/// The home page introduction, under `content/`.
pub const INTRO_FILE: &str = "_index.md";

/// A content file parsed up to its frontmatter.
#[derive(Debug, Clone)]
pub struct Document {
    /// Kind, from the folder.
    pub kind: Kind,
    /// Slug (file stem or `slug` field), validated; the intro's is `index`, which no
    /// index holds.
    pub slug: Slug,
    /// Where the `slug` field stands, if the slug came from it.
    pub slug_span: Option<Span>,
    /// Path relative to the site root.
    pub file: PathBuf,
    /// Common fields.
    pub common: Common,
    /// Per-kind data with references as written.
    pub data: Data<RefSlug>,
    /// Description (pages and the intro).
    pub description: Option<String>,
    /// Byte offset of the body in the normalised file.
    pub body_offset: usize,
    /// Fingerprint of the normalised file: the body may only be read again through
    /// [`reread_body`] with it.
    pub fingerprint: Fingerprint,
    /// `[[wikilinks]]` in the body.
    pub wikilinks: Vec<WikiLink>,
}

/// What the load stage produces.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Every document that parsed, sorted by kind then slug (for determinism).
    pub documents: Vec<Document>,
    /// `content/_index.md`, if present and valid.
    pub intro: Option<Document>,
    /// Number of content files seen.
    pub files_seen: usize,
    /// Slugs (file stems) and kinds of files that exist but failed to load; their errors
    /// are reported already, so references to them are not reported as unknown too.
    pub failed: Vec<(String, Kind)>,
}

/// Largest frontmatter (1 MiB): fields are short, long text belongs in the body.
pub const MAX_FRONTMATTER_BYTES: usize = 1 << 20;

/// Counters of the load stage, updated by its threads as they go (for `--timings` and
/// progress bars).
#[derive(Debug, Default)]
pub struct LoadStats {
    /// Markdown files found by the walk.
    pub total: AtomicU64,
    /// Files loaded so far.
    pub done: AtomicU64,
    /// Bytes read.
    pub bytes: AtomicU64,
    /// Nanoseconds spent reading files, summed over threads.
    pub read_ns: AtomicU64,
}

/// Walk `content/` under `root` and load every Markdown file in parallel.
pub fn load_site(root: &Path, diags: &Diagnostics) -> Loaded {
    load_site_with(root, diags, &LoadStats::default(), &|_| {})
}

/// [`load_site`], counting into `stats` and calling `on_file` with `stats` after each file.
pub fn load_site_with(
    root: &Path,
    diags: &Diagnostics,
    stats: &LoadStats,
    on_file: &(dyn Fn(&LoadStats) + Sync),
) -> Loaded {
    let Some(files) = content_files(root, diags) else {
        return Loaded::default();
    };
    stats.total.store(files.len() as u64, Ordering::Relaxed);
    let results: Vec<Option<Document>> = files
        .par_iter()
        .map(|(rel, kind)| {
            let doc = load_document(root, rel, *kind, diags, stats);
            stats.done.fetch_add(1, Ordering::Relaxed);
            on_file(stats);
            doc
        })
        .collect();
    assemble(&files, results)
}

/// Every content file under `root` with its kind, sorted (the walk of [`load_site`]);
/// `None`, after reporting why, when there is no usable `content/` folder.
pub fn content_files(root: &Path, diags: &Diagnostics) -> Option<Vec<(PathBuf, Kind)>> {
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(
                Code::NoContent,
                format!("no `{CONTENT_DIR}/` folder in the site"),
            )
            .help("create `content/incidents/`, `content/groups/`, ... (or run `briefing init`)"),
        );
        return None;
    }
    if let Some(target) = escapes_root(root, &content) {
        diags.push(path_escape(Path::new(CONTENT_DIR), &target));
        return None;
    }
    Some(walk_content(root, &content, diags))
}

/// Load one content file (`rel`, relative to `root`, as given by [`content_files`]);
/// `None` after reporting why it failed. Serve's incremental rebuilds load changed files
/// alone with it and keep the others' documents.
pub fn load_file(root: &Path, rel: &Path, kind: Kind, diags: &Diagnostics) -> Option<Document> {
    load_document(root, rel, kind, diags, &LoadStats::default())
}

/// The [`Loaded`] of `files` (from [`content_files`]) and what loading each gave, in the
/// same order: the intro apart, documents sorted by kind then slug, failed files listed.
pub fn assemble(files: &[(PathBuf, Kind)], results: Vec<Option<Document>>) -> Loaded {
    let mut intro = None;
    let mut documents = Vec::with_capacity(results.len());
    let mut failed = Vec::new();
    for (doc, (rel, kind)) in results.into_iter().zip(files) {
        let Some(doc) = doc else {
            if let Some(stem) = rel.file_stem().and_then(|s| s.to_str()) {
                failed.push((stem.to_string(), *kind));
            }
            continue;
        };
        if rel == &Path::new(CONTENT_DIR).join(INTRO_FILE) {
            intro = Some(doc);
        } else {
            documents.push(doc);
        }
    }
    documents.sort_by(|a, b| (a.kind, &a.slug, &a.file).cmp(&(b.kind, &b.slug, &b.file)));
    Loaded {
        documents,
        intro,
        files_seen: files.len(),
        failed,
    }
}

/// The error for `shown` (relative to the root) leading outside the site, to `target`.
pub fn path_escape(shown: &Path, target: &Path) -> Diagnostic {
    Diagnostic::error(
        Code::PathEscape,
        format!(
            "symbolic link points outside the site, to `{}`",
            target.display()
        ),
    )
    .in_file(shown)
    .help("copy the files into the site instead of linking to them")
}
