//! Criterion benchmarks of each build stage on the shared 1,000-incident corpus (issue 5).
//!
//! The corpus (1,000 incidents, 100 groups, 50 actors, 3,000 statements) is generated at
//! start into a temporary folder with `../shared/bench/gen_corpus.py` (or the script named
//! by `BRIEFING_GEN_CORPUS`); without python3 or the script the benchmarks are skipped.
//!
//! ```text
//! cargo bench --bench stages            # all stages
//! cargo bench --bench stages -- render  # one
//! ```
//!
//! Stages run on one thread here (except `load`, which is parallel inside), so the numbers
//! are costs per stage rather than the wall time of a build; `bench/compare.sh` measures
//! whole builds.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput};

use briefing::diag::Diagnostics;
use briefing::link::{Site, resolve_links};
use briefing::load::{Loaded, load_site};
use briefing::output::Staging;
use briefing::plan::{BaseUrl, Overrides, Plan, Publish};
use briefing::render::{Renderer, Theme, load_theme};
use briefing::routes::{Page, Routes};

const INCIDENTS: &str = "1000";

fn generator() -> PathBuf {
    std::env::var_os("BRIEFING_GEN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_corpus.py")
        })
}

/// Generate the corpus into `dir`; `Err` says why the benchmarks are skipped.
fn generate(dir: &Path) -> Result<(), String> {
    let script = generator();
    if !script.is_file() {
        return Err(format!("no corpus generator at `{}`", script.display()));
    }
    let status = Command::new("python3")
        .arg(&script)
        .args(["--incidents", INCIDENTS, "--format", "briefing", "--out"])
        .arg(dir)
        .stdout(std::process::Stdio::null())
        .status()
        .map_err(|e| format!("cannot run python3: {e}"))?;
    if !status.success() {
        return Err(format!("`{}` failed: {status}", script.display()));
    }
    Ok(())
}

fn publish() -> Publish {
    Publish {
        tlp: briefing::model::Tlp::Clear,
        drafts: false,
        now: jiff::Timestamp::now(),
    }
}

fn load(root: &Path) -> Loaded {
    load_site(root, &Diagnostics::new())
}

fn link(root: &Path) -> Site {
    resolve_links(
        load(root),
        &publish(),
        &BaseUrl::default(),
        &Diagnostics::new(),
    )
}

fn stages(c: &mut Criterion, root: &Path) {
    let plan = Plan::resolve(root, &Overrides::default(), &Diagnostics::new())
        .expect("the corpus has a valid briefing.toml");
    let theme: Theme = load_theme(root, &Diagnostics::new()).expect("the default theme");
    let files = load(root).files_seen as u64;

    let mut group = c.benchmark_group("stages");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));

    group.throughput(Throughput::Elements(files));
    group.bench_function("load", |b| b.iter(|| load(root)));

    group.bench_function("link", |b| {
        b.iter_batched(
            || load(root),
            |loaded| resolve_links(loaded, &publish(), &BaseUrl::default(), &Diagnostics::new()),
            BatchSize::LargeInput,
        )
    });

    let site = link(root);
    let routes = Routes::new(&site, &plan);
    let renderer = Renderer::new(&theme, &site, &plan, &routes);
    let incidents: Vec<Page> = routes
        .pages()
        .into_iter()
        .filter(|p| matches!(p, Page::Entity(id) if site.get(*id).kind == briefing::model::Kind::Incident))
        .collect();
    group.throughput(Throughput::Elements(incidents.len() as u64));
    group.bench_function("render incident pages", |b| {
        b.iter(|| {
            let diags = Diagnostics::new();
            incidents
                .iter()
                .filter_map(|p| renderer.render_page(p, &diags))
                .map(|html| html.len())
                .sum::<usize>()
        })
    });

    let diags = Diagnostics::new();
    let pages: Vec<(String, String)> = incidents
        .iter()
        .filter_map(|p| Some((routes.file(p), renderer.render_page(p, &diags)?)))
        .collect();
    // On tmpfs when there is one, to measure the program rather than the disk.
    let shm = Path::new("/dev/shm");
    let scratch = if shm.is_dir() {
        tempfile::tempdir_in(shm)
    } else {
        tempfile::tempdir()
    }
    .expect("a temporary folder");
    let target = scratch.path().join("public");
    group.bench_function("write incident pages", |b| {
        b.iter_batched(
            || {
                Discard(Some(
                    Staging::create(&target, &target).expect("a staging folder"),
                ))
            },
            |staging| {
                if let Some(s) = &staging.0 {
                    s.create_dirs(pages.iter().map(|(path, _)| path.as_str()))
                        .expect("folders");
                    for (path, html) in &pages {
                        s.write_file(path, html.as_bytes()).expect("a page");
                    }
                }
                staging // removed when dropped, after the measurement
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

/// A staging folder removed on drop.
struct Discard(Option<Staging>);

impl Drop for Discard {
    fn drop(&mut self) {
        if let Some(s) = self.0.take() {
            s.abandon();
        }
    }
}

fn main() {
    let corpus = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("stages: skipped, no temporary folder: {e}");
            return;
        }
    };
    if let Err(why) = generate(corpus.path()) {
        eprintln!("stages: skipped, {why}");
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    stages(&mut c, corpus.path());
    c.final_summary();
}
