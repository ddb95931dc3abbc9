//! The `briefing` binary: parse the command line, run, map the outcome to an exit code.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use briefing::build_site;
use briefing::cli::{Cli, Command};
use briefing::diag::{Severity, to_report};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let _ = miette::set_hook(Box::new(move |_| {
        Box::new(
            miette::MietteHandlerOpts::new()
                .color(color)
                .unicode(color)
                .build(),
        )
    }));
    match cli.command {
        Command::Build(args) => {
            let opts = args.to_options();
            let report = build_site(&opts);
            for d in &report.diagnostics {
                let show = match d.severity {
                    Severity::Error => true,
                    Severity::Warning => !cli.quiet,
                    Severity::Note => cli.verbose,
                };
                if show {
                    eprintln!("{:?}", to_report(d, &opts.root));
                }
            }
            if args.timings {
                let t = &report.timings;
                eprintln!(
                    "timings: setup {:.3}s, load {:.3}s, link {:.3}s, render+write pages {:.3}s, other outputs and swap {:.3}s",
                    t.setup.as_secs_f64(),
                    t.load.as_secs_f64(),
                    t.link.as_secs_f64(),
                    t.render.as_secs_f64(),
                    t.write.as_secs_f64()
                );
            }
            let errors = report.error_count();
            let warnings = report
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Warning)
                .count();
            if report.success {
                if !cli.quiet {
                    let out = opts
                        .output
                        .as_deref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default();
                    eprintln!(
                        "built {} pages from {} files ({} published, {} withheld, {} warnings) into `{out}`",
                        report.pages, report.files, report.entities, report.withheld, warnings
                    );
                }
                ExitCode::SUCCESS
            } else {
                eprintln!(
                    "build failed with {errors} error{}; the previous output was left untouched",
                    if errors == 1 { "" } else { "s" }
                );
                ExitCode::FAILURE
            }
        }
    }
}
