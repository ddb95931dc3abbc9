//! One build, from options to a swapped-in output folder: the stages in order, timed and
//! counted for `--timings`, and reported as they go to an optional progress callback.
//!
//! Memory stays proportional to the site's metadata, not its text: bodies are read when
//! their page is rendered, each page is written as soon as it is rendered, and the big
//! machine-readable outputs are streamed into their files (issue 5).

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{Config, base_url_is_absolute, normalise_base_url};
use crate::diag::{Diagnostic, Diagnostics};
use crate::link::{Publish, resolve_links};
use crate::load::{LoadStats, load_site_with};
use crate::markdown::highlight;
use crate::model::Tlp;
use crate::output::{Generated, MARKER, Staging, check_output_dir, copy_static, export, feeds};
use crate::render::{Renderer, load_theme, pages::page_jobs};

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
}

impl BuildOptions {
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
#[derive(Debug)]
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
        format!(
            "timings: {} in total\n\
             \x20 setup   {}  settings and templates\n\
             \x20 load    {}  {} files, {} (reading {}, parsing frontmatter {})\n\
             \x20 link    {}  {} entities published, {} withheld\n\
             \x20 render  {}  {} pages (Markdown and highlighting {}, templates {})\n\
             \x20 write   {}  {} files, {}, {} folders (pages {}, other outputs {}, swap {})\n\
             \x20 (pages are rendered and written together on all cores in {})",
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
            s(t.render.saturating_sub(t.render_markdown)),
            s(t.write),
            self.pages,
            mb(self.bytes_written),
            self.dirs_created,
            s(t.write.saturating_sub(t.write_outputs + t.write_swap)),
            s(t.write_outputs),
            s(t.write_swap),
            s(t.pages_parallel),
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

/// A writer that counts the bytes written through it.
struct Counting<W> {
    inner: W,
    count: u64,
}

impl<W: Write> Counting<W> {
    fn new(inner: W) -> Self {
        Counting { inner, count: 0 }
    }
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.count += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// Run the whole pipeline.
pub fn build_site(opts: &BuildOptions) -> BuildReport {
    let diags = Diagnostics::new();
    let mut report = BuildReport {
        diagnostics: Vec::new(),
        success: false,
        files: 0,
        bytes_read: 0,
        entities: 0,
        withheld: 0,
        pages: 0,
        pages_rendered: 0,
        bytes_written: 0,
        dirs_created: 0,
        timings: Timings::default(),
    };
    let progress = |stage: Stage, done: u64, total: u64| {
        if let Some(p) = &opts.progress {
            p.call(stage, done, total);
        }
    };
    let finish = |mut report: BuildReport, diags: Diagnostics| {
        report.diagnostics = diags.finish(&opts.root);
        report.success = report.success && report.error_count() == 0;
        report
    };

    let t = Instant::now();
    let mut config = match Config::load(&opts.root) {
        Ok(c) => c,
        Err(errors) => {
            diags.extend(errors);
            return finish(report, diags);
        }
    };
    if let Some(url) = &opts.base_url {
        match normalise_base_url(url) {
            Ok(u) => config.base_url = u,
            Err(why) => diags.push(
                Diagnostic::error("E-config", format!("invalid `--base-url`: {why}"))
                    .help("use an absolute http(s) URL such as `https://example.org/briefings/`"),
            ),
        }
    }
    if let Some(tlp) = opts.tlp {
        config.build.tlp = tlp;
    }
    let theme = load_theme(&opts.root, &diags);
    report.timings.setup = t.elapsed();

    let t = Instant::now();
    let stats = LoadStats::default();
    let loaded = load_site_with(&opts.root, &diags, &stats, &|s| {
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

    progress(Stage::Link, 0, 0);

    let t = Instant::now();
    let publish = Publish {
        tlp: config.build.tlp,
        drafts: opts.drafts,
        now: opts.now.unwrap_or_else(jiff::Timestamp::now),
    };
    let site = resolve_links(loaded, &publish, &config.base_url, &diags);
    report.entities = site.entities.len();
    report.withheld = site.withheld;
    report.timings.link = t.elapsed();

    if let Some(hook) = &opts.after_link {
        (hook.0)();
    }

    let Some(theme) = theme else {
        return finish(report, diags);
    };
    if diags.has_errors() {
        return finish(report, diags);
    }

    let mut renderer = Renderer::new(&theme, &site, &config, &opts.root);
    renderer.site_view.tlp = config.build.tlp.as_str().to_string();
    let staging = match &opts.output {
        Some(out) => {
            let created = check_output_dir(&opts.root, out, opts.force)
                .and_then(|real| Staging::create(&real, out));
            match created {
                Ok(s) => Some(s),
                Err(d) => {
                    diags.push(d);
                    return finish(report, diags);
                }
            }
        }
        None => None,
    };

    // Pages: every output path is known before rendering, so each folder is created once,
    // up front; then pages are rendered in parallel and each written as soon as it is
    // rendered, so no more than a page per thread is held in memory.
    let t = Instant::now();
    let jobs = page_jobs(&renderer);
    let files: Vec<String> = jobs.iter().map(|j| renderer.output_file(j)).collect();
    let write_error = Mutex::new(None::<String>);
    let record_write_error = |path: &str, e: std::io::Error| {
        write_error
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get_or_insert(format!("`{path}`: {e}"));
    };
    if let Some(s) = &staging {
        match s.create_dirs(files.iter().map(String::as_str)) {
            Ok(n) => report.dirs_created = n,
            Err(e) => record_write_error("a folder", e),
        }
    }
    let dirs_time = t.elapsed();
    let t = Instant::now();
    let total = jobs.len() as u64;
    let done = AtomicU64::new(0);
    let (job_ns, write_ns, written) = (AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0));
    let mut paths: Vec<String> = jobs
        .par_iter()
        .zip(files)
        .filter_map(|(job, file)| {
            let started = Instant::now();
            let rendered = renderer.render_job(job, &diags);
            job_ns.fetch_add(nanos(started.elapsed()), Ordering::Relaxed);
            let (path, html) = rendered?;
            debug_assert_eq!(path, file);
            if let Some(s) = &staging {
                let started = Instant::now();
                match s.write_file(&file, html.as_bytes()) {
                    Ok(()) => {
                        written.fetch_add(html.len() as u64, Ordering::Relaxed);
                    }
                    Err(e) => record_write_error(&file, e),
                }
                write_ns.fetch_add(nanos(started.elapsed()), Ordering::Relaxed);
            }
            progress(
                Stage::Render,
                done.fetch_add(1, Ordering::Relaxed) + 1,
                total,
            );
            Some(file)
        })
        .collect();
    drop(jobs);
    let pages_wall = t.elapsed();
    report.pages_rendered = paths.len();
    let (job_ns, write_ns) = (job_ns.into_inner(), write_ns.into_inner());
    let markdown_ns = renderer.stats.markdown_ns.load(Ordering::Relaxed);
    report.timings.pages_parallel = pages_wall;
    report.timings.render = share(pages_wall, job_ns, job_ns + write_ns);
    report.timings.render_markdown = share(pages_wall, markdown_ns, job_ns + write_ns);
    let mut write_time = dirs_time + share(pages_wall, write_ns, job_ns + write_ns);

    // The other outputs, in parallel, each streamed into its file.
    let t = Instant::now();
    let mut bytes_written = written.into_inner();
    if let Some(staging) = staging {
        paths.sort_unstable();
        let (renderer, config, sitemap_paths) = (&renderer, &config, &paths);
        let exports = export::Exports {
            site: &site,
            title: &config.title,
            base_url: &config.base_url,
            tlp: config.build.tlp,
        };
        type Make<'m> = Box<dyn Fn(&mut dyn Write) -> std::io::Result<()> + Send + Sync + 'm>;
        let mut outputs: Vec<(String, Make)> = theme
            .assets
            .iter()
            .map(|(n, t)| {
                (
                    n.clone(),
                    Box::new(move |w: &mut dyn Write| w.write_all(t.as_bytes())) as Make,
                )
            })
            .collect();
        outputs.extend([
            (
                "syntax.css".to_string(),
                Box::new(move |w: &mut dyn Write| {
                    let css = highlight::stylesheet(
                        &config.markdown.highlight_theme,
                        &config.markdown.highlight_theme_dark,
                    );
                    w.write_all(css.as_bytes())
                }) as Make,
            ),
            (
                "search-index.json".into(),
                Box::new(move |w: &mut dyn Write| feeds::write_search_index(renderer, w)),
            ),
        ]);
        outputs.extend(exports.outputs());
        // Atom and sitemaps need absolute URLs: with a `base_url` that is only a path they
        // would be invalid, so they are left out (and `check` warns).
        if base_url_is_absolute(&config.base_url) {
            outputs.extend([
                (
                    "atom.xml".to_string(),
                    Box::new(move |w: &mut dyn Write| w.write_all(feeds::atom(renderer).as_bytes()))
                        as Make,
                ),
                (
                    "sitemap.xml".into(),
                    Box::new(move |w: &mut dyn Write| {
                        feeds::write_sitemap(renderer, sitemap_paths, w)
                    }),
                ),
            ]);
        }
        let total = outputs.len() as u64 + 1;
        let done = AtomicU64::new(0);
        bytes_written += outputs
            .par_iter()
            .map(|(path, make)| {
                let result = staging.create_file(path).and_then(|file| {
                    let mut w = Counting::new(std::io::BufWriter::with_capacity(1 << 16, file));
                    make(&mut w)?;
                    w.flush()?;
                    Ok(w.count)
                });
                progress(
                    Stage::Write,
                    done.fetch_add(1, Ordering::Relaxed) + 1,
                    total,
                );
                result.unwrap_or_else(|e| {
                    record_write_error(path, e);
                    0
                })
            })
            .sum::<u64>();
        let generated = Generated::new(
            paths
                .iter()
                .chain(outputs.iter().map(|(path, _)| path))
                .map(String::as_str)
                .chain([MARKER]),
        );
        let copied = copy_static(&opts.root, &staging, &generated, &diags);
        report.pages = paths.len() + outputs.len() + copied;
        report.timings.write_outputs = t.elapsed();
        if let Some(e) = write_error.into_inner().unwrap_or_else(|e| e.into_inner()) {
            diags.push(
                Diagnostic::error("E-write", format!("cannot write {e}"))
                    .help("check the permissions and free space of the output folder"),
            );
        }
        let t = Instant::now();
        if diags.has_errors() {
            staging.abandon();
        } else {
            match staging.commit() {
                Err(e) => diags.push(
                    Diagnostic::error(
                        "E-write",
                        format!("cannot move the new output into place: {e}"),
                    )
                    .help("check that nothing holds the output folder open"),
                ),
                Ok(committed) => {
                    report.success = true;
                    if let Some((old, e)) = committed.leftover {
                        diags.push(
                            Diagnostic::warning(
                                "W-old-output",
                                format!(
                                    "the new output is in place, but the previous one could \
                                     not be removed from `{}`: {e}",
                                    crate::diag::display_path(&old)
                                ),
                            )
                            .help("the next build removes it; or remove it by hand"),
                        );
                    }
                }
            }
        }
        report.timings.write_swap = t.elapsed();
        progress(Stage::Write, total, total);
    } else {
        report.pages = paths.len();
        report.success = true;
    }
    report.bytes_written = bytes_written;
    write_time += report.timings.write_outputs + report.timings.write_swap;
    report.timings.write = write_time;
    finish(report, diags)
}
