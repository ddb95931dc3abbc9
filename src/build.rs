//! BUILD: one build, the pipeline as a short function:
//! plan -> load -> link -> routes -> render + write (see [`build_with_plan`]).
//!
//! Takes [`BuildOptions`] (lowered once from the command line); gives a [`BuildReport`]
//! with every diagnostic, counts and the stages' timings for `--timings`. Progress is
//! reported as it goes to an optional callback.
//!
//! Invariants: the options are resolved once into a [`Plan`]; a stage with errors stops the
//! build before anything is swapped in, but every stage that can run does, so a run
//! reports all problems. Memory stays proportional to the site's metadata, not its text:
//! bodies are read when their page is rendered, each page is written as soon as it is
//! rendered, and the big machine-readable outputs are streamed into their files (issue 5).

mod record;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crate::cache::Cache;
use crate::cache::record::{Checked, UpToDate};
use crate::diag::{Diagnostic, Diagnostics};
use crate::link::resolve_links;
use crate::load::{LoadStats, Loaded, load_site_with};
use crate::model::Tlp;
use crate::output::write::{Target, WriteInput, Written, write_site};
use crate::plan::{Overrides, Plan};
use crate::render::{Renderer, load_theme};
use crate::routes::Routes;

/// What to build and how; lowered once from the command line.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Site root (holds `briefing.toml`).
    pub root: PathBuf,
    /// Output folder; `None` checks everything without writing.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of `briefing.toml`.
    pub base_url: Option<String>,
    /// Publish drafts.
    pub drafts: bool,
    /// Overrides the published TLP level of `briefing.toml`.
    pub tlp: Option<Tlp>,
    /// The moment embargoes are judged against (default: now).
    pub now: Option<jiff::Timestamp>,
    /// Called as the build progresses (for a progress bar); `None` for silence.
    pub progress: Option<OnProgress>,
    /// Test hook: called once between the link and render stages, e.g. to change a
    /// content file while the build runs (issue 9).
    #[doc(hidden)]
    pub after_link: Option<Hook>,
    /// Replace an output folder that holds files briefing did not write (`--force`).
    pub force: bool,
    /// Whether to take rendered bodies from the site's `.briefing-cache/` and keep them
    /// there (`build`: read and write, `check`: read only, both unless `--no-cache`; off
    /// here by default).
    pub cache: CacheUse,
}

/// How a build uses the cache of rendered bodies (issue 16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CacheUse {
    /// Neither read nor written.
    #[default]
    Off,
    /// Read only: nothing is written into the site (`check`).
    Read,
    /// Read, written, and pruned of what the build did not use.
    ReadWrite,
}

impl BuildOptions {
    /// What the command line overrides of `briefing.toml`.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            base_url: self.base_url.clone(),
            drafts: self.drafts,
            tlp: self.tlp,
            now: self.now,
        }
    }

    /// Build `root` into `root/public`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        BuildOptions {
            output: Some(root.join("public")),
            root,
            base_url: None,
            drafts: false,
            tlp: None,
            now: None,
            progress: None,
            after_link: None,
            force: false,
            cache: CacheUse::Off,
        }
    }
}

/// The stages of a build, in order, as reported to a progress callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading content files and parsing their frontmatter; items are files.
    Load,
    /// Resolving references and backlinks; no items.
    Link,
    /// Rendering and writing pages; items are pages.
    Render,
    /// Feeds, sitemap, search index, exports, static files and the swap; items are outputs.
    Write,
}

impl Stage {
    /// Lower-case name (`render`).
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Load => "load",
            Stage::Link => "link",
            Stage::Render => "render",
            Stage::Write => "write",
        }
    }
}

/// Where a build is: `done` of `total` items of `stage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// The current stage.
    pub stage: Stage,
    /// Items done in this stage.
    pub done: u64,
    /// Items in this stage (0 when it has none).
    pub total: u64,
}

/// A progress callback. It is called from the build's threads, once per file or page, so
/// it must be cheap and thread-safe (an `indicatif` bar is).
#[derive(Clone)]
pub struct OnProgress(Arc<dyn Fn(Progress) + Send + Sync>);

impl OnProgress {
    /// Wrap a callback.
    pub fn new(f: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        OnProgress(Arc::new(f))
    }

    fn call(&self, stage: Stage, done: u64, total: u64) {
        (self.0)(Progress { stage, done, total });
    }
}

impl std::fmt::Debug for OnProgress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OnProgress(..)")
    }
}

/// A callback run at a fixed point of a build (for tests).
#[doc(hidden)]
#[derive(Clone)]
pub struct Hook(Arc<dyn Fn() + Send + Sync>);

impl Hook {
    /// Wrap a callback.
    pub fn new(f: impl Fn() + Send + Sync + 'static) -> Self {
        Hook(Arc::new(f))
    }
}

impl std::fmt::Debug for Hook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Hook(..)")
    }
}

/// Time spent per stage. Loading and rendering run on all cores; the split of a parallel
/// stage (reading vs parsing, Markdown vs templates vs writing) is each part's share of the
/// time its threads spent, applied to the stage's wall time.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// Settings and templates.
    pub setup: Duration,
    /// Walking `content/`, reading files and parsing frontmatter.
    pub load: Duration,
    /// Of `load`: reading files.
    pub load_read: Duration,
    /// Resolving references and backlinks.
    pub link: Duration,
    /// Rendering pages: Markdown, highlighting, views and templates.
    pub render: Duration,
    /// Of `render`: reading bodies again and rendering their Markdown, with highlighting.
    pub render_markdown: Duration,
    /// Of `render`: gathering and drawing the maps and charts (not their templates).
    pub render_pictures: Duration,
    /// Creating folders, writing pages, the other outputs and the swap.
    pub write: Duration,
    /// Of `write`: feeds, sitemap, search index, exports and `static/`.
    pub write_outputs: Duration,
    /// Of `write`: moving the new output into place and removing the old one.
    pub write_swap: Duration,
    /// Wall time of rendering and writing pages, which run interleaved on all cores.
    pub pages_parallel: Duration,
}

/// What a build did.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Every diagnostic, sorted, with lines and columns.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the output was written (or, without output, whether the site is valid).
    pub success: bool,
    /// Content files seen.
    pub files: usize,
    /// Bytes of content read by the load stage.
    pub bytes_read: u64,
    /// Published entities.
    pub entities: usize,
    /// Withheld entities.
    pub withheld: usize,
    /// Files written (pages, other outputs and static files).
    pub pages: usize,
    /// Pages rendered.
    pub pages_rendered: usize,
    /// Bytes written into the output.
    pub bytes_written: u64,
    /// Folders created in the output.
    pub dirs_created: usize,
    /// Stage timings.
    pub timings: Timings,
    /// What the cache did, if the build used it.
    pub cache: Option<CacheReport>,
    /// Set when nothing changed since the last build, which was not done again: its
    /// diagnostics are reported again, and the output is as it left it.
    pub up_to_date: Option<UpToDate>,
    /// What this build withheld, which its record must not mention (judged only for
    /// builds that may be recorded: see `build/record.rs`).
    unpublished: record::Withheld,
}

/// What a build's cache did (issue 16).
#[derive(Debug, Clone, Default)]
pub struct CacheReport {
    /// Bodies taken from the cache.
    pub hits: u64,
    /// Bodies rendered.
    pub misses: u64,
    /// Entries written.
    pub written: u64,
    /// Entries refused by their checks (and rendered again).
    pub rejected: u64,
    /// Entries removed because the build did not use them.
    pub pruned: usize,
}

impl BuildReport {
    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// The timings and counts per stage, as printed by `briefing build --timings`.
    pub fn timings_summary(&self) -> String {
        let t = &self.timings;
        let s = |d: Duration| format!("{:.3}s", d.as_secs_f64());
        let mb = |b: u64| format!("{:.1} MB", b as f64 / 1e6);
        let total = t.setup + t.load + t.link + t.render + t.write;
        if let Some(up) = &self.up_to_date {
            return format!(
                "timings: {} in total: nothing changed since the last build \
                 ({} input files and {} output files and folders compared)",
                s(total),
                up.inputs,
                up.outputs
            );
        }
        format!(
            "timings: {} in total\n\
             \x20 setup   {}  settings and templates\n\
             \x20 load    {}  {} files, {} (reading {}, parsing frontmatter {})\n\
             \x20 link    {}  {} entities published, {} withheld\n\
             \x20 render  {}  {} pages (Markdown and highlighting {}, pictures {}, templates {})\n\
             \x20 write   {}  {} files, {}, {} folders (pages {}, other outputs {}, swap {})\n\
             \x20 (pages are rendered and written together on all cores in {}){}",
            s(total),
            s(t.setup),
            s(t.load),
            self.files,
            mb(self.bytes_read),
            s(t.load_read),
            s(t.load.saturating_sub(t.load_read)),
            s(t.link),
            self.entities,
            self.withheld,
            s(t.render),
            self.pages_rendered,
            s(t.render_markdown),
            s(t.render_pictures),
            s(t.render
                .saturating_sub(t.render_markdown + t.render_pictures)),
            s(t.write),
            self.pages,
            mb(self.bytes_written),
            self.dirs_created,
            s(t.write.saturating_sub(t.write_outputs + t.write_swap)),
            s(t.write_outputs),
            s(t.write_swap),
            s(t.pages_parallel),
            self.cache.as_ref().map_or(String::new(), |c| format!(
                "\n  cache   {} bodies from the cache, {} rendered ({} stored, {} refused), {} unused removed",
                c.hits, c.misses, c.written, c.rejected, c.pruned
            )),
        )
    }
}

/// `part` of `total` thread-time, as a share of `wall`.
fn share(wall: Duration, part: u64, total: u64) -> Duration {
    if total == 0 {
        return Duration::ZERO;
    }
    wall.mul_f64(part as f64 / total as f64)
}

/// Run the whole pipeline; or, when nothing it reads or wrote changed since the last
/// build with the same settings, nothing (see `build/record.rs`).
pub fn build_site(opts: &BuildOptions) -> BuildReport {
    let t = Instant::now();
    let recorder = record::Recorder::of(opts);
    let before = match recorder.as_ref().map(record::Recorder::check) {
        Some(Checked::UpToDate(up)) => {
            let mut report = BuildReport {
                success: !up.diagnostics.iter().any(Diagnostic::is_error),
                diagnostics: up.diagnostics.clone(),
                up_to_date: Some(up),
                ..BuildReport::default()
            };
            report.timings.setup = t.elapsed();
            return report;
        }
        Some(Checked::Changed(inputs)) => inputs,
        None => None,
    };
    let diags = Diagnostics::new();
    let Some(plan) = Plan::resolve(&opts.root, &opts.overrides(), &diags) else {
        return finish(BuildReport::default(), diags, &opts.root);
    };
    let plan_time = t.elapsed();
    let mut report = build_with_plan(&plan, opts, diags);
    report.timings.setup += plan_time;
    if let Some(recorder) = &recorder {
        let may = report.success && report.unpublished.allows(&report.diagnostics);
        recorder.finish(before.as_ref(), may, &report.diagnostics);
    }
    report
}

/// Run the pipeline with settings already resolved (`check` resolves them itself, to judge
/// the base URL); `diags` may already hold what resolving them found. The output folder,
/// `--force`, progress and hooks come from `opts`.
pub fn build_with_plan(plan: &Plan, opts: &BuildOptions, diags: Diagnostics) -> BuildReport {
    let mut report = BuildReport::default();
    let progress = |stage: Stage, done: u64, total: u64| {
        if let Some(p) = &opts.progress {
            p.call(stage, done, total);
        }
    };

    let t = Instant::now();
    let theme = load_theme(&plan.root, &diags);
    report.timings.setup = t.elapsed();

    let loaded = load(plan, &diags, &progress, &mut report);
    diags.extend(crate::render::check_labels(&plan.config, &loaded));
    let withheld = record::Withheld::of(&loaded, &plan.publish);

    progress(Stage::Link, 0, 0);
    let t = Instant::now();
    let site = resolve_links(loaded, &plan.publish, &plan.base_url, &diags);
    report.entities = site.entities.len();
    report.withheld = site.withheld;
    report.timings.link = t.elapsed();

    if let Some(hook) = &opts.after_link {
        (hook.0)();
    }
    let Some(theme) = theme.filter(|_| !diags.has_errors()) else {
        return finish(report, diags, &plan.root);
    };

    // Only a build that publishes what the settings publish may add to the cache, so it
    // never holds what `--tlp`, `--drafts` or a `--now` in the future reveal (issue 16).
    let store = opts.cache == CacheUse::ReadWrite
        && opts.tlp.is_none()
        && !opts.drafts
        && opts.now.is_none_or(|now| now <= jiff::Timestamp::now());
    let cache = (opts.cache != CacheUse::Off)
        .then(|| Cache::open(&plan.root, store))
        .flatten();
    let routes = Routes::new(&site, plan);
    let renderer = Renderer::new(&theme, &site, plan, &routes).with_cache(cache.as_ref());
    let written = write_site(
        &WriteInput {
            site: &site,
            plan,
            routes: &routes,
            target: opts.output.as_deref().map(|dir| Target {
                dir,
                force: opts.force,
            }),
            assets: &theme.assets,
            render: &|page| renderer.render_page(page, &diags),
            renderer: &renderer,
            on_page: &|done, total| progress(Stage::Render, done, total),
            on_output: &|done, total| progress(Stage::Write, done, total),
        },
        routes.pages(),
        &diags,
    );
    let markdown_ns = renderer.stats.markdown_ns.load(Ordering::Relaxed);
    let pictures_ns = renderer.stats.pictures_ns.load(Ordering::Relaxed);
    record_written(&mut report, &written, markdown_ns, pictures_ns);
    let mut report = finish(report, diags, &plan.root);
    report.unpublished = withheld;
    if let Some(cache) = &cache {
        let prune = report.success && opts.cache == CacheUse::ReadWrite;
        report.cache = Some(cache_report(cache, prune));
    }
    report
}

/// What the cache did; after a successful build, every body was asked for, so the
/// entries it did not use are removed (if `prune`: builds that may write the cache).
fn cache_report(cache: &Cache, prune: bool) -> CacheReport {
    let n = |a: &std::sync::atomic::AtomicU64| a.load(Ordering::Relaxed);
    CacheReport {
        hits: n(&cache.stats.hits),
        misses: n(&cache.stats.misses),
        written: n(&cache.stats.written),
        rejected: n(&cache.stats.rejected),
        pruned: if prune { cache.prune() } else { 0 },
    }
}

/// The load stage, timed and counted.
fn load(
    plan: &Plan,
    diags: &Diagnostics,
    progress: &(dyn Fn(Stage, u64, u64) + Sync),
    report: &mut BuildReport,
) -> Loaded {
    let t = Instant::now();
    let stats = LoadStats::default();
    let loaded = load_site_with(&plan.root, diags, &stats, &|s| {
        let done = s.done.load(Ordering::Relaxed);
        progress(Stage::Load, done, s.total.load(Ordering::Relaxed));
    });
    report.files = loaded.files_seen;
    report.bytes_read = stats.bytes.load(Ordering::Relaxed);
    report.timings.load = t.elapsed();
    // Reading is a share of the threads' time; the walk and the rest are parsing.
    let threads = rayon::current_num_threads().max(1) as u64;
    let read_ns = stats.read_ns.load(Ordering::Relaxed) / threads;
    report.timings.load_read = Duration::from_nanos(read_ns).min(report.timings.load);
    loaded
}

/// The counts and timings of the render and write stages, which run interleaved: each
/// part's share of the threads' time, applied to the wall time of the pages.
fn record_written(report: &mut BuildReport, written: &Written, markdown_ns: u64, pictures_ns: u64) {
    let w = &written.timings;
    let busy = w.render_ns + w.write_ns;
    report.success = written.success;
    report.pages = written.files;
    report.pages_rendered = written.pages_rendered;
    report.bytes_written = written.bytes;
    report.dirs_created = written.dirs_created;
    let t = &mut report.timings;
    t.pages_parallel = w.pages_wall;
    t.render = share(w.pages_wall, w.render_ns, busy);
    t.render_markdown = share(w.pages_wall, markdown_ns, busy);
    t.render_pictures = share(w.pages_wall, pictures_ns, busy);
    t.write_outputs = w.outputs;
    t.write_swap = w.swap;
    t.write = w.dirs + share(w.pages_wall, w.write_ns, busy) + w.outputs + w.swap;
}

/// The report with every diagnostic, sorted; a build with errors did not succeed.
fn finish(mut report: BuildReport, diags: Diagnostics, root: &Path) -> BuildReport {
    report.diagnostics = diags.finish(root);
    report.success = report.success && report.error_count() == 0;
    report
}
