//! Incremental rebuilds for `serve` (issue 11): the same pipeline as `build`, keeping
//! what the last build found so that a change costs what it touches.
//!
//! Takes the site's root, the overrides, a folder of its own and, for each rebuild, the
//! paths that changed ([`Changes`]); gives the served folder, kept equal byte for byte to
//! what a cold `build` with the same settings writes (same files, same bytes; the property
//! test `serve_incremental` checks this on random edit sequences), and an [`Outcome`].
//!
//! How a rebuild goes:
//! - **load**: only the changed content files are read and parsed again; the others'
//!   documents (and their diagnostics) are kept from before. `content/` is walked again
//!   only when a file may have appeared or gone;
//! - **link**: always the whole site (tens of milliseconds for 10,000 incidents);
//! - **render**: the pages [`scope`] names, judged by comparing the new site with the
//!   last good build's [`scope::Snapshot`] (never by what the event said), plus any page
//!   that did not exist before;
//! - **write**: every output is hashed; only files whose bytes changed are written, first
//!   into a pending folder, and moved into the served folder (`rename`, so a request never
//!   sees half a file) only when the whole rebuild succeeded; outputs that went are
//!   removed. A failed rebuild leaves the served folder and the snapshot as they were, so
//!   the next one is compared with the last good build.
//!
//! `briefing.toml` or templates changed: everything is rendered again (and still only
//! changed files written). `static/` is compared file by file.

mod body;
mod folder;
mod outputs;
mod scope;
mod sources;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use folder::{Digest, Pending, digest};
use scope::Snapshot;

use crate::build::{BuildOptions, BuildReport};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::link::{Site, resolve_links};
use crate::load::Document;
use crate::model::Kind;
use crate::output::export::{Exports, PieceSource, Pieces};
use crate::output::guard::MARKER_TEXT;
use crate::output::search;
use crate::output::write::other_outputs_but_search;
use crate::output::{Generated, MARKER, OutputContext, STATIC_DIR, copy_static_with};
use crate::plan::{BaseUrl, Plan};
use crate::render::{Renderer, TEMPLATES_DIR, Theme, load_theme};
use crate::routes::Routes;

/// What changed since the last rebuild.
#[derive(Debug, Clone)]
pub enum Changes {
    /// Unknown: read everything again.
    All,
    /// These paths, relative to the site root (files or folders, created, changed or
    /// removed).
    Paths(Vec<PathBuf>),
}

impl Changes {
    /// Whether a path under `top` (`content`, `templates`, `static`, `briefing.toml`)
    /// may have changed.
    fn touch(&self, top: &str) -> bool {
        match self {
            Changes::All => true,
            Changes::Paths(paths) => paths.iter().any(|p| p.starts_with(top)),
        }
    }
}

/// What one rebuild did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Diagnostics, counts and success, as a build reports them (`pages`: files written,
    /// `pages_rendered`: pages rendered).
    pub report: BuildReport,
    /// Files written into the served folder (changed or new), sorted.
    pub written: Vec<String>,
    /// Files removed from it.
    pub removed: Vec<String>,
    /// Whether every page was rendered (first build, settings or templates, a different
    /// set of published entities).
    pub everything: bool,
    /// Whether only bodies changed, so the last site was updated in place, not linked
    /// again (see `body.rs`).
    pub body_only: bool,
    /// Entities whose fields or links changed, and whose body changed.
    pub changed: (usize, usize),
    /// Time of the load, link, render and write steps.
    pub steps: [Duration; 4],
    /// Of the render step, the time spent on the other outputs (feeds, sitemap, search
    /// index, exports, theme assets).
    pub others: Duration,
}

/// The content files of the last walk of `content/`, with what the walk reported.
type Walked = (Vec<(PathBuf, Kind)>, Vec<Diagnostic>);

/// One content file as last loaded.
struct Cached {
    kind: Kind,
    doc: Option<Document>,
    diags: Vec<Diagnostic>,
}

/// The templates as last compiled, with what compiling them reported.
struct Templates {
    theme: Option<Theme>,
    diags: Vec<Diagnostic>,
    digest: u64,
}

/// The last good build.
struct Good {
    snapshot: Snapshot,
    /// Its linked site (a body-only edit updates it in place instead of linking again).
    site: Site,
    /// What linking it reported, as pushed.
    link_diags: Vec<Diagnostic>,
    /// Which of `link_diags` are about which file, and the routes' timeline: made by the
    /// first body-only rebuild, kept by the next ones.
    link_files: Option<HashMap<PathBuf, Vec<usize>>>,
    timeline: Option<crate::routes::Timeline>,
    /// Every file of the served folder with the digest of its bytes.
    files: HashMap<String, Digest>,
    /// Which of them are other outputs (not pages, not static files).
    others: Vec<String>,
    /// Which of them were copied from `static/`.
    statics: Vec<String>,
    /// Its search index, kept to update in place when only bodies change.
    search: Option<crate::output::search::Kept>,
    /// Every entity's pieces of the site-wide exports, to make them again from.
    exports: Option<Arc<Pieces>>,
    /// The diagnostics of walking, loading, linking and the templates, finished: kept by
    /// body-only rebuilds, which leave them as they are.
    base: Option<Vec<Diagnostic>>,
}

/// The incremental builder of one site into one folder.
pub struct Engine {
    options: BuildOptions,
    origin: Option<String>,
    site_dir: PathBuf,
    pending_dir: PathBuf,
    prefix: String,
    /// Content files of the last walk, with its diagnostics.
    walked: Option<Walked>,
    docs: HashMap<PathBuf, Cached>,
    templates: Option<Templates>,
    good: Option<Good>,
}

impl Engine {
    /// Build the site of `options` (its `root` and overrides; its `output` is ignored)
    /// into `dir/site`, using `dir/pending` on the way. With `origin` (`http://host:port`)
    /// the base URL becomes that origin with the path of `base_url`, as `serve` needs.
    pub fn new(options: BuildOptions, dir: &Path, origin: Option<String>) -> Engine {
        Engine {
            options,
            origin,
            site_dir: dir.join("site"),
            pending_dir: dir.join("pending"),
            prefix: "/".to_string(),
            walked: None,
            docs: HashMap::new(),
            templates: None,
            good: None,
        }
    }

    /// The folder the site is built into (it exists after the first good build).
    pub fn site_dir(&self) -> &Path {
        &self.site_dir
    }

    /// The path everything is served under (`/`, or the path of `base_url`).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Whether a build succeeded yet.
    pub fn has_site(&self) -> bool {
        self.good.is_some()
    }

    /// Bring the served folder up to date after `changes`.
    pub fn rebuild(&mut self, changes: &Changes) -> Outcome {
        self.rebuild_then(changes, &mut |_, _| {})
    }

    /// [`Engine::rebuild`], calling `ready` with the outcome and [`Engine::prefix`] as soon
    /// as the served folder is up to date or the rebuild failed. A body-only rebuild that
    /// succeeded calls it before it gathers the whole list of diagnostics (its
    /// `report.diagnostics` then holds only what the rebuild itself found; the list
    /// returned is whole), so that open pages can be told at once.
    pub fn rebuild_then(
        &mut self,
        changes: &Changes,
        ready: &mut dyn FnMut(&Outcome, &str),
    ) -> Outcome {
        let mut told = false;
        let outcome = self.run(changes, &mut |outcome, prefix| {
            told = true;
            ready(outcome, prefix);
        });
        if !told {
            ready(&outcome, &self.prefix);
        }
        outcome
    }

    fn run(&mut self, changes: &Changes, ready: &mut dyn FnMut(&Outcome, &str)) -> Outcome {
        let diags = Diagnostics::new();
        let mut outcome = Outcome::default();
        let root = self.options.root.clone();
        let Some(mut plan) = Plan::resolve(&root, &self.options.overrides(), &diags) else {
            return fail(outcome, diags, &root);
        };
        if let Some(origin) = &self.origin {
            let path = super::base_path(&plan.base_url);
            if let Ok(local) = BaseUrl::parse(&format!("{origin}{path}")) {
                plan.base_url = local;
            }
            self.prefix = path;
        }
        if self.templates.is_none() || changes.touch(TEMPLATES_DIR) {
            let found = Diagnostics::new();
            let theme = load_theme(&root, &found);
            let digest = theme.as_ref().map_or(0, |t| {
                let mut h = xxhash_rust::xxh3::Xxh3::new();
                for (name, text, _) in &t.sources {
                    h.update(name.as_bytes());
                    h.update(&[0]);
                    h.update(text.as_bytes());
                    h.update(&[0]);
                }
                h.digest()
            });
            self.templates = Some(Templates {
                theme,
                diags: found.into_vec(),
                digest,
            });
        }

        let settings = scope::hash_debug(&(
            &plan.config,
            plan.base_url.as_str(),
            plan.publish.tlp,
            plan.publish.drafts,
            self.templates.as_ref().map(|t| t.digest),
        ));
        let mut diags = diags;
        if let Some(outcome) = self.body_only(changes, &plan, settings, &mut diags, ready) {
            return outcome;
        }

        let t = Instant::now();
        let loaded = self.load(changes, &diags);
        outcome.report.files = loaded.files_seen;
        outcome.steps[0] = t.elapsed();
        let t = Instant::now();
        let linking = Diagnostics::new();
        let site = resolve_links(loaded, &plan.publish, &plan.base_url, &linking);
        let link_diags = linking.into_vec();
        diags.extend(link_diags.iter().cloned());
        outcome.report.entities = site.entities.len();
        outcome.report.withheld = site.withheld;
        outcome.steps[1] = t.elapsed();

        let Some(templates) = &self.templates else {
            return fail(outcome, diags, &root);
        };
        diags.extend(templates.diags.iter().cloned());
        let Some(theme) = templates.theme.as_ref().filter(|_| !diags.has_errors()) else {
            return fail(outcome, diags, &root);
        };
        let pending = match Pending::create(self.pending_dir.clone()) {
            Ok(p) => p,
            Err(e) => {
                diags.push(write_error(&format!(
                    "cannot create the pending folder: {e}"
                )));
                return fail(outcome, diags, &root);
            }
        };

        let t = Instant::now();
        let routes = Routes::new(&site, &plan);
        let last = self.good.as_ref().map(|g| &g.snapshot);
        let snapshot = Snapshot::of(&site, &routes, settings, last);
        let scope = scope::scope(
            self.good.as_ref().map(|g| &g.snapshot),
            &snapshot,
            &site,
            &routes,
            plan.config.build.feed_limit,
        );
        let renderer = Renderer::new(theme, &site, &plan, &routes);
        // The last good build's search index, to update in place (it stays with the last
        // good build only if this one succeeds).
        let mut search = self.good.as_mut().and_then(|g| g.search.take());
        let old = self.good.as_ref();
        let put = |file: &str, bytes: &[u8], files: &mut Vec<(String, Digest)>| {
            let d = digest(bytes);
            if old.and_then(|g| g.files.get(file)) != Some(&d)
                && let Err(e) = pending.put(file, bytes)
            {
                diags.push(write_error(&format!("cannot write `{file}`: {e}")));
            }
            files.push((file.to_string(), d));
        };

        // Pages.
        let pages = routes.pages();
        let page_files: Vec<String> = pages.iter().map(|p| routes.file(p)).collect();
        let count = std::sync::atomic::AtomicUsize::new(0);
        let rendered: Vec<(String, Option<Digest>)> = pages
            .par_iter()
            .zip(&page_files)
            .map(|(page, file)| {
                let known = old.and_then(|g| g.files.get(file)).copied();
                if known.is_some() && !scope.wants(page) {
                    return (file.clone(), known);
                }
                count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(html) = renderer.render_page(page, &diags) else {
                    return (file.clone(), None);
                };
                let mut one = Vec::new();
                put(file, html.as_bytes(), &mut one);
                (file.clone(), one.pop().map(|(_, d)| d))
            })
            .collect();
        outcome.report.pages_rendered = count.into_inner();
        let mut files: Vec<(String, Digest)> = rendered
            .into_iter()
            .filter_map(|(f, d)| Some((f, d?)))
            .collect();

        // Feeds, sitemap, search index, exports, theme assets.
        let others_started = Instant::now();
        let mut sorted_pages = page_files.clone();
        sorted_pages.sort_unstable();
        let mut exports = old.and_then(|g| g.exports.clone());
        let others: Vec<String> = match old.filter(|_| !scope.others) {
            Some(g) => {
                files.extend(g.others.iter().map(|f| (f.clone(), g.files[f])));
                g.others.clone()
            }
            None => {
                let ctx = OutputContext {
                    site: &site,
                    plan: &plan,
                    routes: &routes,
                    pages: &sorted_pages,
                };
                // Pieces of entities whose page is not rendered again show nothing that
                // changed (see `outputs.rs`).
                let x = Exports::new(&ctx);
                let keep = |id| !scope.wants(&crate::routes::Page::Entity(id));
                let pieces = Arc::new(Pieces::update(&x, exports.as_deref(), &keep));
                exports = Some(pieces.clone());
                let source = PieceSource::Kept(&pieces);
                let mut outputs =
                    other_outputs_but_search(&ctx, &renderer, &theme.assets, &diags, source);
                let in_scope = |id| scope.wants(&crate::routes::Page::Entity(id));
                let have = |f: &str| old.is_some_and(|g| g.files.contains_key(f));
                let updated = search.as_mut().and_then(|kept| {
                    search::update_docs(kept, &ctx, &renderer, &diags, &in_scope, &have)
                });
                // Shards that went are in no list of outputs: removed below.
                let mut same = Vec::new();
                match updated {
                    Some((files, unchanged)) => {
                        outputs.extend(files);
                        same = unchanged;
                    }
                    None => {
                        let (files, kept) = search::outputs_with(&ctx, &renderer, &diags, true);
                        outputs.extend(files);
                        search = Some(kept);
                    }
                }
                // Outputs known to be unchanged keep their bytes (see `outputs.rs`).
                let was_other: HashSet<&str> = old
                    .iter()
                    .flat_map(|g| &g.others)
                    .map(String::as_str)
                    .collect();
                let kept = |file: &String| {
                    let g = old.filter(|_| was_other.contains(file.as_str()))?;
                    let d = g
                        .files
                        .get(file)
                        .filter(|_| scope.clean.has(file, &routes))?;
                    Some((file.clone(), *d))
                };
                let made: Vec<(String, Digest)> = outputs
                    .par_iter()
                    .filter_map(|(file, write)| {
                        if let Some(same) = kept(file) {
                            return Some(same);
                        }
                        let mut bytes = Vec::new();
                        if let Err(e) = write(&mut bytes) {
                            diags.push(write_error(&format!("cannot write `{file}`: {e}")));
                            return None;
                        }
                        let mut one = Vec::new();
                        put(file, &bytes, &mut one);
                        one.pop()
                    })
                    .collect();
                let mut names: Vec<String> = outputs.iter().map(|(f, _)| f.clone()).collect();
                files.extend(made);
                if let Some(g) = old {
                    files.extend(
                        same.iter()
                            .filter_map(|f| Some((f.clone(), *g.files.get(f)?))),
                    );
                }
                names.extend(same);
                names
            }
        };
        outcome.others = others_started.elapsed();
        outcome.steps[2] = t.elapsed();

        // `static/`: compared file by file whenever it or the generated files may clash.
        let t = Instant::now();
        let same_files = old.is_some_and(|g| {
            g.others == others
                && page_files.len() + g.others.len() + g.statics.len() + 1 == g.files.len()
                && page_files.iter().all(|f| g.files.contains_key(f))
        });
        let statics: Vec<String> = match old.filter(|_| same_files && !changes.touch(STATIC_DIR)) {
            Some(g) => {
                files.extend(g.statics.iter().map(|f| (f.clone(), g.files[f])));
                g.statics.clone()
            }
            None => {
                let generated = Generated::new(
                    page_files
                        .iter()
                        .chain(&others)
                        .map(String::as_str)
                        .chain([MARKER]),
                );
                let copied = std::sync::Mutex::new(Vec::new());
                copy_static_with(
                    &root,
                    &|rel, bytes| {
                        let mut one = Vec::new();
                        put(rel, bytes, &mut one);
                        copied.lock().unwrap_or_else(|e| e.into_inner()).extend(one);
                        Ok(())
                    },
                    &generated,
                    &diags,
                );
                let copied = copied.into_inner().unwrap_or_else(|e| e.into_inner());
                let names = copied.iter().map(|(f, _)| f.clone()).collect();
                files.extend(copied);
                names
            }
        };
        put(MARKER, MARKER_TEXT.as_bytes(), &mut files);

        outcome.everything = scope.all;
        outcome.changed = (scope.changed, scope.new_bodies);
        drop(renderer);
        drop(routes);
        if diags.has_errors() {
            pending.discard();
            return fail(outcome, diags, &root);
        }
        let files: HashMap<String, Digest> = files.into_iter().collect();
        let removed: Vec<String> = old
            .map(|g| {
                let mut gone: Vec<String> = g
                    .files
                    .keys()
                    .filter(|f| !files.contains_key(*f))
                    .cloned()
                    .collect();
                gone.sort_unstable();
                gone
            })
            .unwrap_or_else(|| self.files_on_disk(&files));
        let waiting = pending.len();
        match pending.commit(&self.site_dir, &removed) {
            Ok(written) => outcome.written = written,
            Err(e) => {
                // The folder may be half updated: the next rebuild writes everything.
                self.good = None;
                diags.push(write_error(&format!(
                    "cannot move {waiting} new files into the served folder: {e}"
                )));
                return fail(outcome, diags, &root);
            }
        }
        outcome.steps[3] = t.elapsed();
        outcome.removed = removed;
        outcome.report.pages = outcome.written.len();
        let last = self.good.replace(Good {
            snapshot,
            site,
            link_diags,
            link_files: None,
            timeline: None,
            files,
            others,
            statics,
            search,
            exports,
            base: None,
        });
        // Freeing the last build's site and digests takes a while: not before the reload.
        std::thread::spawn(move || drop(last));
        outcome.report.diagnostics = diags.finish(&root);
        outcome.report.success = outcome.report.error_count() == 0;
        outcome
    }

    /// Without a last good build to compare with: the files of the served folder (what an
    /// earlier, interrupted rebuild left) that are not in `files`.
    fn files_on_disk(&self, files: &HashMap<String, Digest>) -> Vec<String> {
        let mut gone: Vec<String> = walkdir::WalkDir::new(&self.site_dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| {
                let rel = e.path().strip_prefix(&self.site_dir).ok()?;
                Some(crate::diag::display_path(rel))
            })
            .filter(|rel| !files.contains_key(rel))
            .collect();
        gone.sort_unstable();
        gone
    }
}

/// A rebuild that failed: its diagnostics; the served folder is untouched.
fn fail(mut outcome: Outcome, diags: Diagnostics, root: &Path) -> Outcome {
    outcome.report.diagnostics = diags.finish(root);
    outcome.report.success = false;
    outcome.written.clear();
    outcome
}

fn write_error(message: &str) -> Diagnostic {
    Diagnostic::error(Code::Write, message.to_string())
        .help("check the permissions and free space of the temporary folder")
}
