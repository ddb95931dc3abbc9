//! The `briefing` binary: parse the command line, run, map the outcome to an exit code.
//!
//! Exit codes: 0 success; 1 the command failed (errors, or warnings under
//! `check --deny-warnings`); 2 usage errors (clap). Diagnostics go to stderr, rendered by
//! miette, in colour only on a terminal and never with `NO_COLOR`; `check --format json`
//! prints them to stdout instead, one JSON object per line.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use briefing::build_site;
use briefing::check::check_site_with;
use briefing::cli::{Cli, Format, Run, Verbosity};
use briefing::diag::{Code, Diagnostic, Severity, display_path, to_report};
use briefing::import::import_csv;
use briefing::scaffold::{init_site, new_entry};

#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    briefing::output::scratch::clean_up_on_signals();
    let terminal = std::io::stderr().is_terminal();
    let color = terminal && std::env::var_os("NO_COLOR").is_none();
    let _ = miette::set_hook(Box::new(move |_| {
        Box::new(
            miette::MietteHandlerOpts::new()
                .color(color)
                .unicode(color)
                // In logs and pipes, keep each message on one line: grep-able, and no
                // paths or slugs broken at their hyphens.
                .wrap_lines(terminal)
                .build(),
        )
    }));
    let options = cli.lower();
    let out = Printer {
        verbosity: options.verbosity,
    };
    let ok = match options.run {
        Run::Build {
            mut options,
            timings,
        } => {
            // Progress bar (issue 5): on a terminal only, drawn once the build takes a second.
            let bar = (terminal && out.verbosity != Verbosity::Quiet).then(progress_bar);
            options.progress = bar.as_ref().map(|(_, on_progress)| on_progress.clone());
            let report = build_site(&options);
            if let Some((bar, _)) = bar {
                bar.finish_and_clear();
            }
            out.diagnostics(&report.diagnostics, &options.root, Format::Human);
            if timings {
                eprintln!("{}", report.timings_summary());
            }
            let errors = report.error_count();
            let warnings = count(&report.diagnostics, Severity::Warning);
            let dest = options
                .output
                .as_deref()
                .map(display_path)
                .unwrap_or_default();
            if let Some(up) = report.up_to_date.as_ref().filter(|_| report.success) {
                out.status(format_args!(
                    "`{dest}` is up to date: nothing changed since the last build ({} input files compared; {} warning{})",
                    up.inputs,
                    warnings,
                    plural(warnings)
                ));
            } else if report.success {
                out.status(format_args!(
                    "built {} pages from {} files ({} published, {} withheld, {} warning{}) into `{dest}`",
                    report.pages,
                    report.files,
                    report.entities,
                    report.withheld,
                    warnings,
                    plural(warnings)
                ));
            } else {
                eprintln!(
                    "build failed with {errors} error{}; the previous output was left untouched",
                    plural(errors)
                );
            }
            report.success
        }
        Run::Check {
            options,
            format,
            deny_warnings,
            external,
        } => {
            let report = check_site_with(&options, external.as_ref());
            out.diagnostics(&report.diagnostics, &options.root, format);
            let errors = report.count(Severity::Error);
            let warnings = report.count(Severity::Warning);
            let passes = report.passes(deny_warnings);
            let mut links = if report.pages == 0 && errors > 0 {
                "links not checked, as the site does not build".to_string()
            } else {
                format!(
                    "{} internal links on {} pages checked",
                    report.links, report.pages
                )
            };
            if let Some((urls, cached)) = report.external {
                links.push_str(&format!(
                    "; {urls} outbound URL{} checked ({cached} answered from the cache)",
                    plural(urls)
                ));
            }
            let summary = format!(
                "{} error{}, {} warning{} in {} files; {links}",
                errors,
                plural(errors),
                warnings,
                plural(warnings),
                report.files,
            );
            if passes {
                out.status(format_args!("check passed: {summary}"));
            } else {
                let why = if errors == 0 {
                    " (warnings are denied)"
                } else {
                    ""
                };
                eprintln!("check failed{why}: {summary}");
            }
            passes
        }
        Run::Init(options) => match init_site(&options) {
            Ok(done) => {
                let dir = display_path(&options.dir);
                for file in &done.replaced {
                    out.status(format_args!("replaced `{}`", display_path(file)));
                }
                if out.verbosity == Verbosity::Verbose {
                    for file in &done.written {
                        eprintln!("wrote `{}`", display_path(file));
                    }
                }
                out.status(format_args!(
                    "created a briefing site in `{dir}` with an example of each kind of entry\n\
                     next: `briefing serve --root {dir}` and open http://127.0.0.1:1111/ \
                     (it rebuilds and reloads as you edit; `briefing build --root {dir}` \
                     writes the site into `{dir}/public/` for publishing); \
                     add entries with `briefing new incident \"Title\" --root {dir}`"
                ));
                true
            }
            Err(d) => {
                out.diagnostics(&[d], &options.dir, Format::Human);
                false
            }
        },
        Run::New(options) => match new_entry(&options) {
            Ok(created) => {
                for note in &created.notes {
                    out.status(format_args!("note: {note}"));
                }
                // The path is the command's result: on stdout, even with --quiet, so that
                // `$EDITOR "$(briefing new ...)"` works.
                println!("{}", display_path(&created.path));
                true
            }
            Err(d) => {
                out.diagnostics(&[d], &options.root, Format::Human);
                false
            }
        },
        Run::Import(options) => {
            let verbose = out.verbosity == Verbosity::Verbose;
            let stdout = std::io::stdout();
            let mut stdout = stdout.lock();
            let report = import_csv(&options, &mut |path, text| {
                // Dry runs list the files on stdout (the command's result); real runs only
                // with --verbose.
                if options.dry_run {
                    let _ = writeln!(stdout, "would write {}", display_path(path));
                    if verbose {
                        let _ = writeln!(stdout, "{text}");
                    }
                } else if verbose {
                    let _ = writeln!(stdout, "wrote {}", display_path(path));
                }
            });
            // One line per problem, not a source excerpt: a data file can be large, and
            // its rows are easy to find by line number.
            for d in &report.diagnostics {
                eprintln!("{d}");
            }
            let errors = count(&report.diagnostics, Severity::Error);
            let groups = format!(
                "{} new group{} ({} of the site's groups named)",
                report.new_groups,
                plural(report.new_groups as usize),
                report.known_groups
            );
            if errors > 0 {
                let nothing = if report.incidents + report.new_groups == 0 {
                    "; no file was written"
                } else {
                    ""
                };
                eprintln!(
                    "import failed with {errors} error{} in {} rows{nothing}",
                    plural(errors),
                    report.rows
                );
            } else if options.dry_run {
                out.status(format_args!(
                    "dry run: would write {} incident{} and {groups} from {} rows",
                    report.incidents,
                    plural(report.incidents as usize),
                    report.rows
                ));
            } else {
                out.status(format_args!(
                    "imported {} incident{} and {groups} from {} rows into `{}`",
                    report.incidents,
                    plural(report.incidents as usize),
                    report.rows,
                    display_path(&options.root.join("content"))
                ));
            }
            errors == 0
        }
        Run::Schema(dir) => match briefing::schema::write_schemas(&dir) {
            Ok(written) => {
                for path in &written {
                    println!("{}", display_path(path));
                }
                true
            }
            Err(d) => {
                out.diagnostics(&[d], Path::new("."), Format::Human);
                false
            }
        },
        Run::Completions(shell) => {
            let mut out = std::io::stdout().lock();
            clap_complete::generate(shell, &mut Cli::command(), "briefing", &mut out);
            out.flush().is_ok()
        }
        Run::Serve { options, open } => serve(options, open, out),
        Run::Clean(root) => match briefing::cache::clean(&root) {
            Ok(n) => {
                out.status(format_args!(
                    "removed the cache `{}` ({n} files)",
                    display_path(&root.join(briefing::cache::CACHE_DIR))
                ));
                true
            }
            Err(e) => {
                eprintln!(
                    "error: cannot remove the cache `{}`: {e}",
                    display_path(&root.join(briefing::cache::CACHE_DIR))
                );
                false
            }
        },
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// How many warnings (or notes) with the same code human output shows before it only
/// counts the rest. A site where every file lacks the same field would otherwise print one
/// report per file: 41,500 `W-no-summary` reports, 456,000 lines and 4 s of an 11 s build
/// on the issue-5 benchmark corpus. Errors are never capped (all errors at once), and
/// `--verbose` and `--format json` show every diagnostic.
const SHOWN_PER_CODE: usize = 5;

/// Prints diagnostics and status lines as the verbosity asks.
struct Printer {
    verbosity: Verbosity,
}

impl Printer {
    fn shows(&self, severity: Severity) -> bool {
        match severity {
            Severity::Error => true,
            Severity::Warning => self.verbosity >= Verbosity::Normal,
            Severity::Note => self.verbosity >= Verbosity::Verbose,
        }
    }

    /// Print `diagnostics` (already sorted) in `format`. Human output at normal verbosity
    /// shows at most [`SHOWN_PER_CODE`] warnings or notes of each code, then one line per
    /// capped code with the number left out, in the order the codes first appeared.
    fn diagnostics(&self, diagnostics: &[Diagnostic], root: &Path, format: Format) {
        let capped = format == Format::Human && self.verbosity < Verbosity::Verbose;
        // (severity, code, how many seen), in order of first appearance: a site has a few
        // dozen codes at most, so a linear search beats hashing.
        let mut seen: Vec<(Severity, Code, usize)> = Vec::new();
        let stdout = std::io::stdout();
        let mut stdout = stdout.lock();
        for d in diagnostics.iter().filter(|d| self.shows(d.severity)) {
            if capped && d.severity != Severity::Error {
                let at = match seen
                    .iter()
                    .position(|&(s, c, _)| (s, c) == (d.severity, d.code))
                {
                    Some(at) => at,
                    None => {
                        seen.push((d.severity, d.code, 0));
                        seen.len() - 1
                    }
                };
                seen[at].2 += 1;
                if seen[at].2 > SHOWN_PER_CODE {
                    continue;
                }
            }
            match format {
                Format::Human => eprintln!("{:?}", to_report(d, root)),
                Format::Json => {
                    if let Ok(line) = serde_json::to_string(d) {
                        let _ = writeln!(stdout, "{line}");
                    }
                }
            }
        }
        for (severity, code, total) in seen {
            let hidden = total.saturating_sub(SHOWN_PER_CODE);
            if hidden > 0 {
                eprintln!(
                    "{severity}: {hidden} more {code} {severity}{} not shown (run with \
                     `--verbose` to see them all, or `briefing check --format json` for a \
                     machine-readable list)",
                    plural(hidden)
                );
            }
        }
    }

    /// A progress or summary line, on stderr; hidden by `--quiet`.
    fn status(&self, line: std::fmt::Arguments<'_>) {
        if self.verbosity >= Verbosity::Normal {
            eprintln!("{line}");
        }
    }
}

/// `briefing serve`: runs until SIGINT or SIGTERM; `false` when the server cannot start.
fn serve(mut options: briefing::serve::ServeOptions, open: bool, out: Printer) -> bool {
    use briefing::serve::Event;
    let root = options.build.root.clone();
    let out = std::sync::Arc::new(out);
    let printer = out.clone();
    options.report = Some(std::sync::Arc::new(move |event: &Event<'_>| match event {
        Event::Notice(line) => eprintln!("{line}"),
        Event::Built(b) => {
            let r = b.report;
            let ms = b.took.as_millis();
            let why = match b.changed {
                [] => String::new(),
                [one] => format!(" after a change to `{}`", display_path(one)),
                [first, rest @ ..] => format!(
                    " after changes to `{}` and {} other file{}",
                    display_path(first),
                    rest.len(),
                    plural(rest.len())
                ),
            };
            if r.success {
                printer.diagnostics(&r.diagnostics, &root, Format::Human);
                let o = b.outcome;
                let what = if o.everything {
                    String::from("everything")
                } else {
                    format!("{} entities changed, {} bodies", o.changed.0, o.changed.1)
                };
                printer.status(format_args!(
                    "build {}{why}: {what}; {} pages rendered, {} files written, {} removed in {ms} ms",
                    b.number,
                    r.pages_rendered,
                    o.written.len(),
                    o.removed.len()
                ));
            } else {
                printer.diagnostics(&r.diagnostics, &root, Format::Human);
                let errors = r.error_count();
                eprintln!(
                    "build {}{why} failed with {errors} error{} in {ms} ms; still serving the last good site",
                    b.number,
                    plural(errors)
                );
            }
        }
    }));
    match briefing::serve::serve(&options) {
        Ok(server) => {
            let url = server.url();
            out.status(format_args!("serving the site at {url} (Ctrl-C to stop)"));
            if open && let Err(e) = briefing::serve::open_browser(&url) {
                eprintln!("cannot open a browser ({e}); open {url} yourself");
            }
            server.wait()
        }
        Err(e) => {
            eprintln!("error: cannot serve the site: {e}");
            false
        }
    }
}

// ----- progress bar (issue 5) -----

/// A progress bar on stderr for `build` and the callback that drives it. The bar stays
/// hidden for the first second, so quick builds print nothing but their summary.
fn progress_bar() -> (indicatif::ProgressBar, briefing::build::OnProgress) {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    if let Ok(style) = ProgressStyle::with_template("{prefix:>6} [{bar:32}] {pos}/{len}") {
        bar.set_style(style.progress_chars("=> "));
    }
    let started = std::time::Instant::now();
    let shown = std::sync::atomic::AtomicBool::new(false);
    let stage = std::sync::atomic::AtomicU8::new(u8::MAX);
    let driven = bar.clone();
    let on_progress = briefing::build::OnProgress::new(move |p| {
        use std::sync::atomic::Ordering::Relaxed;
        if !shown.load(Relaxed)
            && started.elapsed() >= std::time::Duration::from_secs(1)
            && !shown.swap(true, Relaxed)
        {
            driven.set_draw_target(ProgressDrawTarget::stderr());
        }
        if stage.swap(p.stage as u8, Relaxed) != p.stage as u8 {
            driven.set_prefix(p.stage.as_str());
            driven.set_position(0);
        }
        if driven.length() != Some(p.total) {
            driven.set_length(p.total);
        }
        // Threads report out of order; the bar only moves forward.
        if p.done > driven.position() {
            driven.set_position(p.done);
        }
    });
    (bar, on_progress)
}

// ----- end of progress bar -----

fn count(diagnostics: &[Diagnostic], severity: Severity) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .count()
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
