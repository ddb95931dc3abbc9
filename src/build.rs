//! One build, from options to a swapped-in output folder: the stages in order, timed.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{Config, normalise_base_url};
use crate::diag::{Diagnostic, Diagnostics};
use crate::link::{Publish, resolve_links};
use crate::load::load_site;
use crate::model::Tlp;
use crate::output::{Staging, check_output_dir, copy_static, export, feeds};
use crate::render::{Renderer, highlight, load_theme, pages::page_jobs};

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
        }
    }
}

/// Time spent per stage.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// Settings and templates.
    pub setup: Duration,
    /// Reading files and parsing frontmatter.
    pub load: Duration,
    /// Resolving references and backlinks.
    pub link: Duration,
    /// Rendering and writing pages (interleaved, in parallel).
    pub render: Duration,
    /// Feed, sitemap, search index, static files and the swap.
    pub write: Duration,
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
    /// Published entities.
    pub entities: usize,
    /// Withheld entities.
    pub withheld: usize,
    /// Files written.
    pub pages: usize,
    /// Stage timings.
    pub timings: Timings,
}

impl BuildReport {
    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

/// Run the whole pipeline.
pub fn build_site(opts: &BuildOptions) -> BuildReport {
    let diags = Diagnostics::new();
    let mut report = BuildReport {
        diagnostics: Vec::new(),
        success: false,
        files: 0,
        entities: 0,
        withheld: 0,
        pages: 0,
        timings: Timings::default(),
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
    let loaded = load_site(&opts.root, &diags);
    report.files = loaded.files_seen;
    report.timings.load = t.elapsed();

    let t = Instant::now();
    let publish = Publish {
        tlp: config.build.tlp,
        drafts: opts.drafts,
        now: opts.now.unwrap_or_else(jiff::Timestamp::now),
    };
    let site = resolve_links(loaded, &publish, &diags);
    report.entities = site.entities.len();
    report.withheld = site.withheld;
    report.timings.link = t.elapsed();

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
            if let Err(d) = check_output_dir(&opts.root, out) {
                diags.push(d);
                return finish(report, diags);
            }
            match Staging::create(out) {
                Ok(s) => Some(s),
                Err(e) => {
                    diags.push(
                        Diagnostic::error(
                            "E-write",
                            format!(
                                "cannot create the output folder beside `{}`: {e}",
                                out.display()
                            ),
                        )
                        .help("check the permissions of the output's parent folder"),
                    );
                    return finish(report, diags);
                }
            }
        }
        None => None,
    };

    let t = Instant::now();
    let jobs = page_jobs(&renderer);
    let write_error = Mutex::new(None::<String>);
    let mut paths: Vec<String> = jobs
        .par_iter()
        .filter_map(|job| {
            let (path, html) = renderer.render_job(job, &diags)?;
            if let Some(s) = &staging
                && let Err(e) = s.write(&path, html.as_bytes())
            {
                write_error
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .get_or_insert(format!("`{path}`: {e}"));
            }
            Some(path)
        })
        .collect();
    report.timings.render = t.elapsed();

    let t = Instant::now();
    if let Some(staging) = staging {
        let mut extra: Vec<(&str, String)> = theme
            .assets
            .iter()
            .map(|(n, t)| (n.as_str(), t.clone()))
            .collect();
        extra.extend([
            (
                "syntax.css",
                highlight::stylesheet(
                    &config.markdown.highlight_theme,
                    &config.markdown.highlight_theme_dark,
                ),
            ),
            ("atom.xml", feeds::atom(&renderer)),
            ("search-index.json", feeds::search_index(&renderer)),
            ("data/briefing.json", export::json(&renderer)),
            ("data/incidents.csv", export::incidents_csv(&renderer)),
        ]);
        paths.sort();
        extra.push(("sitemap.xml", feeds::sitemap(&renderer, &paths)));
        for (path, text) in &extra {
            if let Err(e) = staging.write(path, text.as_bytes()) {
                write_error
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .get_or_insert(format!("`{path}`: {e}"));
            }
        }
        let copied = copy_static(&opts.root, &staging, &diags);
        report.pages = paths.len() + extra.len() + copied;
        if let Some(e) = write_error.into_inner().unwrap_or_else(|e| e.into_inner()) {
            diags.push(
                Diagnostic::error("E-write", format!("cannot write {e}"))
                    .help("check the permissions and free space of the output folder"),
            );
        }
        if diags.has_errors() {
            staging.abandon();
        } else if let Err(e) = staging.commit() {
            diags.push(
                Diagnostic::error(
                    "E-write",
                    format!("cannot move the new output into place: {e}"),
                )
                .help("check that nothing holds the output folder open"),
            );
        } else {
            report.success = true;
        }
    } else {
        report.pages = paths.len();
        report.success = true;
    }
    report.timings.write = t.elapsed();
    finish(report, diags)
}
