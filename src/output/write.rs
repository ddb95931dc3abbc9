//! The write stage: rendered pages, theme assets, the streamed outputs and `static/` into a
//! private staging folder, then the swap.
//!
//! Takes the linked site, the plan, the routes, the pages to write with a function that
//! renders one, and the theme's assets; gives a [`Written`] with counts and timings. The
//! folder is only replaced when the whole build succeeded.
//!
//! Invariants (see [`super`]): the output folder is checked before anything is rendered
//! ([`super::check_output_dir`]); every folder is created once, up front, because every
//! page's file is known before it is rendered; pages are rendered in parallel and each is
//! written as soon as it is rendered, and the other outputs are streamed into their files,
//! so memory stays proportional to the site's metadata (issue 5); `static/` comes last and
//! may not replace a generated file; the first write error is reported and the staging
//! folder abandoned.

use std::io::Write;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::export::{Exports, PieceSource, Writer};
use super::streamed::{OutputContext, streamed_outputs};
use super::{Generated, MARKER, Staging, check_output_dir, copy_static};
use crate::diag::{Code, Diagnostic, Diagnostics, display_path};
use crate::link::Site;
use crate::plan::Plan;
use crate::render::Renderer;
use crate::routes::{Page, Routes};

/// Where to write, or `None` to render every page without writing (the pages are still
/// rendered, so their problems are reported).
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// The output folder.
    pub dir: &'a Path,
    /// Replace an output folder that holds files briefing did not write (`--force`).
    pub force: bool,
}

/// Renders one page (`None`: it failed, and said why); called from many threads.
pub type RenderPage<'a> = &'a (dyn Fn(&Page) -> Option<String> + Sync);

/// Called with `(done, total)` as the stage goes; from many threads.
pub type Tick<'a> = &'a (dyn Fn(u64, u64) + Sync);

/// What the write stage is given.
pub struct WriteInput<'a> {
    /// The linked site.
    pub site: &'a Site,
    /// Settings and base URL.
    pub plan: &'a Plan,
    /// Every page's path.
    pub routes: &'a Routes<'a>,
    /// Where to write.
    pub target: Option<Target<'a>>,
    /// Theme assets copied as they are: file and text.
    pub assets: &'a [(String, String)],
    /// Renders a page.
    pub render: RenderPage<'a>,
    /// The templates and bodies of the feeds.
    pub renderer: &'a Renderer<'a>,
    /// Called once per page rendered.
    pub on_page: Tick<'a>,
    /// Called once per other output written, and once more after the swap.
    pub on_output: Tick<'a>,
}

/// Time spent by the write stage.
#[derive(Debug, Clone, Default)]
pub struct WriteTimings {
    /// Creating the folders of every page, before rendering.
    pub dirs: Duration,
    /// Wall time of rendering and writing pages, which run interleaved on all cores.
    pub pages_wall: Duration,
    /// Thread time spent rendering pages, in nanoseconds.
    pub render_ns: u64,
    /// Thread time spent writing pages, in nanoseconds.
    pub write_ns: u64,
    /// Theme assets, streamed outputs and `static/`.
    pub outputs: Duration,
    /// Moving the new output into place and removing the old one.
    pub swap: Duration,
}

/// What the write stage did.
#[derive(Debug, Default)]
pub struct Written {
    /// Whether the new output is in place (or, without a target, the pages were rendered).
    pub success: bool,
    /// Pages rendered.
    pub pages_rendered: usize,
    /// Files written: pages, other outputs and static files.
    pub files: usize,
    /// Bytes written into the output.
    pub bytes: u64,
    /// Folders created.
    pub dirs_created: usize,
    /// Timings.
    pub timings: WriteTimings,
}

/// A writer that counts the bytes written through it.
struct Counting<W> {
    inner: W,
    count: u64,
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

/// The first write error of a stage whose files are written from many threads.
#[derive(Default)]
struct FirstError(Mutex<Option<String>>);

impl FirstError {
    fn record(&self, path: &str, e: std::io::Error) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get_or_insert(format!("`{path}`: {e}"));
    }

    fn into_diagnostic(self) -> Option<Diagnostic> {
        let e = self.0.into_inner().unwrap_or_else(|e| e.into_inner())?;
        Some(
            Diagnostic::error(Code::Write, format!("cannot write {e}"))
                .help("check the permissions and free space of the output folder"),
        )
    }
}

/// Write the site: see the module docs.
pub fn write_site(input: &WriteInput<'_>, pages: Vec<Page>, diags: &Diagnostics) -> Written {
    let mut written = Written::default();
    let staging = match input.target {
        Some(t) => {
            let created = check_output_dir(&input.plan.root, t.dir, t.force)
                .and_then(|real| Staging::create(&real, t.dir));
            match created {
                Ok(s) => Some(s),
                Err(d) => {
                    diags.push(d);
                    return written;
                }
            }
        }
        None => None,
    };
    let errors = FirstError::default();
    let mut files = write_pages(input, pages, staging.as_ref(), &errors, &mut written);
    let Some(staging) = staging else {
        written.files = files.len();
        written.success = true;
        return written;
    };
    files.sort_unstable();

    let t = Instant::now();
    let ctx = OutputContext {
        site: input.site,
        plan: input.plan,
        routes: input.routes,
        pages: &files,
    };
    let outputs = other_outputs(&ctx, input.renderer, input.assets, diags);
    let total = outputs.len() as u64 + 1;
    let done = AtomicU64::new(0);
    let write_one = |file: &str, write: &(dyn Fn(&mut dyn Write) -> std::io::Result<()> + Sync)| {
        let result = staging.create_file(file).and_then(|f| {
            let mut w = Counting {
                inner: std::io::BufWriter::with_capacity(1 << 16, f),
                count: 0,
            };
            write(&mut w)?;
            w.flush()?;
            Ok(w.count)
        });
        (input.on_output)(done.fetch_add(1, Ordering::Relaxed) + 1, total);
        result.unwrap_or_else(|e| {
            errors.record(file, e);
            0
        })
    };
    written.bytes += outputs
        .par_iter()
        .map(|(file, write)| write_one(file, write.as_ref()))
        .sum::<u64>();

    let generated = Generated::new(
        files
            .iter()
            .map(String::as_str)
            .chain(outputs.iter().map(|(file, _)| file.as_str()))
            .chain([MARKER]),
    );
    let copied = copy_static(&input.plan.root, &staging, &generated, diags);
    written.files = files.len() + outputs.len() + copied;
    written.timings.outputs = t.elapsed();
    if let Some(d) = errors.into_diagnostic() {
        diags.push(d);
    }

    let t = Instant::now();
    written.success = if diags.has_errors() {
        staging.abandon();
        false
    } else {
        swap(staging, diags)
    };
    written.timings.swap = t.elapsed();
    (input.on_output)(total, total);
    written
}

/// Every file of a build besides its pages and `static/`, each with what writes it: the
/// theme's assets, the [`super::STREAMED`] outputs, the exports, the feeds, the sitemap and
/// `robots.txt`. `ctx.pages` must hold the files of every page. `write_site` writes them
/// all; serve's incremental rebuilds write those whose bytes changed.
pub fn other_outputs<'a>(
    ctx: &OutputContext<'a>,
    renderer: &'a Renderer<'a>,
    assets: &'a [(String, String)],
    diags: &'a Diagnostics,
) -> Vec<(String, Writer<'a>)> {
    let mut outputs = other_outputs_but_search(ctx, renderer, assets, diags, PieceSource::Fresh);
    outputs.extend(super::search::outputs(ctx, renderer, diags));
    outputs
}

/// [`other_outputs`] but the search index (which `serve` keeps and updates in place), the
/// site-wide exports made of the pieces of `exports` (`serve` keeps them too).
pub fn other_outputs_but_search<'a>(
    ctx: &OutputContext<'a>,
    renderer: &'a Renderer<'a>,
    assets: &'a [(String, String)],
    diags: &'a Diagnostics,
    exports: PieceSource<'a>,
) -> Vec<(String, Writer<'a>)> {
    let ctx = *ctx;
    let mut outputs: Vec<(String, Writer<'a>)> = Vec::new();
    for (file, text) in assets {
        outputs.push((
            file.clone(),
            Box::new(move |w: &mut dyn Write| w.write_all(text.as_bytes())),
        ));
    }
    for s in streamed_outputs(ctx.plan) {
        outputs.push((
            s.file.to_string(),
            Box::new(move |w: &mut dyn Write| (s.write)(&ctx, w)),
        ));
    }
    outputs.extend(Exports::new(&ctx).outputs(exports));
    outputs.extend(super::feeds::outputs(&ctx, renderer, diags));
    outputs.extend(super::sitemap::outputs(&ctx));
    outputs
}

/// Render every page in parallel, writing each as soon as it is rendered; gives the files
/// of the pages rendered.
fn write_pages(
    input: &WriteInput<'_>,
    pages: Vec<Page>,
    staging: Option<&Staging>,
    errors: &FirstError,
    written: &mut Written,
) -> Vec<String> {
    let t = Instant::now();
    let files: Vec<String> = pages.iter().map(|p| input.routes.file(p)).collect();
    if let Some(s) = staging {
        match s.create_dirs(files.iter().map(String::as_str)) {
            Ok(n) => written.dirs_created = n,
            Err(e) => errors.record("a folder", e),
        }
    }
    written.timings.dirs = t.elapsed();

    let t = Instant::now();
    let total = pages.len() as u64;
    let done = AtomicU64::new(0);
    let (render_ns, write_ns, bytes) = (AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0));
    let files: Vec<String> = pages
        .par_iter()
        .zip(files)
        .filter_map(|(page, file)| {
            let started = Instant::now();
            let html = (input.render)(page);
            render_ns.fetch_add(nanos(started.elapsed()), Ordering::Relaxed);
            let html = html?;
            if let Some(s) = staging {
                let started = Instant::now();
                match s.write_file(&file, html.as_bytes()) {
                    Ok(()) => {
                        bytes.fetch_add(html.len() as u64, Ordering::Relaxed);
                    }
                    Err(e) => errors.record(&file, e),
                }
                write_ns.fetch_add(nanos(started.elapsed()), Ordering::Relaxed);
            }
            (input.on_page)(done.fetch_add(1, Ordering::Relaxed) + 1, total);
            Some(file)
        })
        .collect();
    drop(pages);
    written.timings.pages_wall = t.elapsed();
    written.timings.render_ns = render_ns.into_inner();
    written.timings.write_ns = write_ns.into_inner();
    written.bytes = bytes.into_inner();
    written.pages_rendered = files.len();
    files
}

/// Move the staging folder into place; whether it is there.
fn swap(staging: Staging, diags: &Diagnostics) -> bool {
    match staging.commit() {
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    Code::Write,
                    format!("cannot move the new output into place: {e}"),
                )
                .help("check that nothing holds the output folder open"),
            );
            false
        }
        Ok(committed) => {
            if let Some((old, e)) = committed.leftover {
                diags.push(
                    Diagnostic::warning(
                        Code::OldOutput,
                        format!(
                            "the new output is in place, but the previous one could \
                             not be removed from `{}`: {e}",
                            display_path(&old)
                        ),
                    )
                    .help("the next build removes it; or remove it by hand"),
                );
            }
            true
        }
    }
}
