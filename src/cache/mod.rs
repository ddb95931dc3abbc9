//! CACHE: rendered Markdown bodies kept between builds in the site's `.briefing-cache/`
//! (issue 16).
//!
//! Takes a body's [`Key`] (a hash of what the render stage reads: the file's text, the
//! Markdown settings and the running binary) and the page's [`Targets`]; gives the
//! [`Rendered`] body, from the cache when an entry is there and still true, else rendered
//! and stored. Sits between `markdown` (which it calls) and `render` (which calls it).
//!
//! What depends on other entities is never trusted from the cache. Rendering a body asks
//! the site two kinds of question: where a `[[wikilink]]` leads (its URL and title, or that
//! it leads to nothing published; then only a hash of its slug is kept, since the slug may
//! name a withheld entity) and whether a written link leads to a page this build
//! does not publish. The entry records each question with the answer it got ([`Dep`]); a
//! later build asks the questions again of the site it is building and uses the entry only
//! if every answer is the same, else renders the body again. The answers cannot simply be
//! filled into holes of a stored HTML: a wikilink's title is part of a heading's text, so
//! of its id and the table of contents, and a link to a withheld page loses its tag.
//!
//! Invariants:
//! - only bodies of published entities rendered without problems are stored (problems
//!   are reported on every build, so a body with one is rendered every time), and only by
//!   builds that publish what the site's settings publish (no `--tlp`, `--drafts` or
//!   `--now`); an answer names published entities only;
//! - an entry is checked before use (magic, format, key, length, checksum: see [`entry`]);
//!   one that fails is ignored and written again, never trusted;
//! - entries are written to a temporary file and renamed into place (atomic);
//! - at the end of a build that rendered every page, entries it did not use are removed
//!   ([`Cache::prune`]), so the cache holds the bodies of the last build only;
//! - [`clean`] removes only what the cache wrote.

mod entry;
mod files;
pub mod record;

pub use files::{CACHE_DIR, EXTERNAL_FILE, clean};

use std::cell::RefCell;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use xxhash_rust::xxh3::Xxh3;

use crate::diag::Diagnostic;
use crate::markdown::{MarkdownOptions, Rendered, Resolved, Targets};
use entry::Entry;

/// The name of an entry: a 128-bit hash of everything its body's HTML is made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key(u128);

impl Key {
    /// The key of a body: `text` identifies the content (the file's fingerprint; it holds
    /// the body and where it starts), rendered with `opts` by this very binary for a site
    /// at `site_origin` (which decides what images are remote).
    pub fn of(text: &[u8], opts: MarkdownOptions, site_origin: Option<&str>) -> Option<Key> {
        let binary = files::binary_hash()?;
        let mut h = Xxh3::new();
        h.update(&entry::FORMAT.to_le_bytes());
        h.update(&binary.to_le_bytes());
        h.update(&[
            u8::from(opts.unsafe_raw_html),
            u8::from(opts.smart_punctuation),
            u8::from(opts.highlight_code),
            u8::from(opts.allow_remote_images),
        ]);
        let origin = site_origin.unwrap_or("").as_bytes();
        h.update(&(origin.len() as u64).to_le_bytes());
        h.update(origin);
        h.update(text);
        Some(Key(h.digest128()))
    }

    fn hex(self) -> String {
        format!("{:032x}", self.0)
    }
}

/// A question the rendering of a body asked of the site, with the answer it got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Dep {
    /// Where the wikilink target with this slug leads.
    Resolve(String, Resolved),
    /// A wikilink target that led nowhere published, by a hash of its slug: the slug may
    /// name a withheld entity, and the cache holds no trace of those.
    Missing(u128),
    /// A written link or image URL that was found published (kept).
    Published(String),
}

/// Counts of a build's use of the cache.
#[derive(Debug, Default)]
pub struct CacheStats {
    /// Bodies taken from the cache.
    pub hits: AtomicU64,
    /// Bodies rendered (no entry, or one that failed a check or whose answers changed).
    pub misses: AtomicU64,
    /// Entries written.
    pub written: AtomicU64,
    /// Entries that failed a check (damaged, truncated, foreign).
    pub rejected: AtomicU64,
}

/// The cache of one build.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    /// Whether this build may store entries (it publishes what the settings publish).
    store: bool,
    /// The entries this build used or wrote, kept by [`Cache::prune`].
    used: Mutex<HashSet<Key>>,
    /// Counts for `--timings`.
    pub stats: CacheStats,
}

impl Cache {
    /// The cache of the site at `root`. `store`: whether this build may add entries (only
    /// builds publishing exactly what the site's settings publish may). `None` when the
    /// running binary cannot be identified (then nothing is cached).
    pub fn open(root: &Path, store: bool) -> Option<Cache> {
        files::binary_hash()?;
        Some(Cache {
            dir: root.join(CACHE_DIR),
            store,
            used: Mutex::new(HashSet::new()),
            stats: CacheStats::default(),
        })
    }

    /// The body under `key`, as `render` renders it with `targets`: from the cache when an
    /// intact entry is there and the site answers its questions as before, else rendered
    /// (and stored, if it rendered without problems and this build may store).
    /// `published` tells whether a slug hash ([`slug_hash`]) is one of a published entity.
    pub fn body(
        &self,
        key: Key,
        targets: &dyn Targets,
        published: &dyn Fn(u128) -> bool,
        render: impl FnOnce(&dyn Targets) -> Rendered,
    ) -> Rendered {
        self.body_counted(key, targets, published, render, true)
    }

    /// [`Cache::body`] for a second reader of a body the build has rendered already (the
    /// search index): not counted in [`Cache::stats`], which count each body once.
    pub fn body_again(
        &self,
        key: Key,
        targets: &dyn Targets,
        published: &dyn Fn(u128) -> bool,
        render: impl FnOnce(&dyn Targets) -> Rendered,
    ) -> Rendered {
        self.body_counted(key, targets, published, render, false)
    }

    fn body_counted(
        &self,
        key: Key,
        targets: &dyn Targets,
        published: &dyn Fn(u128) -> bool,
        render: impl FnOnce(&dyn Targets) -> Rendered,
        count: bool,
    ) -> Rendered {
        let add = |n: &AtomicU64| {
            if count {
                n.fetch_add(1, Ordering::Relaxed);
            }
        };
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key);
        let path = files::entry_path(&self.dir, key);
        if let Ok(bytes) = std::fs::read(&path) {
            match entry::decode(key, &bytes) {
                Some(e) if still_true(&e.deps, targets, published) => {
                    add(&self.stats.hits);
                    return Rendered {
                        html: e.html,
                        toc: e.toc,
                        problems: Vec::new(),
                    };
                }
                Some(_) => {}
                None => add(&self.stats.rejected),
            }
        }
        add(&self.stats.misses);
        let recording = Recording {
            inner: targets,
            deps: RefCell::new(Vec::new()),
        };
        let rendered = render(&recording);
        if self.store && rendered.problems.is_empty() {
            let entry = Entry {
                html: rendered.html.clone(),
                toc: rendered.toc.clone(),
                deps: recording.deps.into_inner(),
            };
            if files::write_atomic(&path, &entry::encode(key, &entry)).is_ok() {
                add(&self.stats.written);
            }
        }
        rendered
    }

    /// Remove the entries this build did not use: call it only after every page was
    /// rendered, so that every body of the site was asked for. Returns how many went.
    pub fn prune(&self) -> usize {
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        files::prune(&self.dir, |k| used.contains(&k))
    }
}

/// Whether the site answers every question of an entry as it did when it was stored. A
/// wikilink resolves exactly when its slug is a published entity's.
fn still_true(deps: &[Dep], targets: &dyn Targets, published: &dyn Fn(u128) -> bool) -> bool {
    deps.iter().all(|d| match d {
        Dep::Resolve(slug, was) => targets.resolve(slug).as_ref() == Some(was),
        Dep::Missing(hash) => !published(*hash),
        Dep::Published(url) => targets.unpublished(url).is_none(),
    })
}

/// The hash of a slug that a [`Dep::Missing`] holds.
pub fn slug_hash(slug: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(slug.as_bytes())
}

/// The page's targets, recording every question and answer.
struct Recording<'t> {
    inner: &'t dyn Targets,
    deps: RefCell<Vec<Dep>>,
}

impl Targets for Recording<'_> {
    fn resolve(&self, slug: &str) -> Option<Resolved> {
        let answer = self.inner.resolve(slug);
        self.deps.borrow_mut().push(match &answer {
            Some(r) => Dep::Resolve(slug.to_string(), r.clone()),
            None => Dep::Missing(slug_hash(slug)),
        });
        answer
    }

    fn unpublished(&self, url: &str) -> Option<Diagnostic> {
        let answer = self.inner.unpublished(url);
        // An unpublished link is a problem, and a body with problems is not stored.
        if answer.is_none() {
            self.deps.borrow_mut().push(Dep::Published(url.to_string()));
        }
        answer
    }
}
