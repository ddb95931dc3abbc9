//! The command line: clap definitions, lowered once into typed options ([`Cli::lower`]).
//!
//! Nothing outside this module sees clap types: the binary parses a [`Cli`], lowers it
//! into [`Options`] and runs those. Usage errors exit with code 2 (clap's default).

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::BuildOptions;
use crate::check::external::ExternalOptions;
use crate::import::{ImportOptions, MappingChoice};
use crate::model::{Kind, PartialDate, Tlp};
use crate::scaffold::{InitOptions, NewOptions};

const MAIN_EXAMPLES: &str = "\
Examples:
  briefing init my-briefing             Create a site with an example of each kind of entry
  briefing new incident \"Kerman bombings\" --root my-briefing
  briefing check --root my-briefing     Find mistakes and broken links; write nothing
  briefing serve --root my-briefing     Preview at http://127.0.0.1:1111/, rebuilt as you edit
  briefing build --root my-briefing     Build the site into my-briefing/public/

Exit codes: 0 success, 1 errors found (or warnings with `check --deny-warnings`), 2 usage errors.
Colour is used on a terminal only, and never when NO_COLOR is set.";

const BUILD_EXAMPLES: &str = "\
Examples:
  briefing build                        Build the site in this folder into ./public/
  briefing build --root site -o /srv/www/briefing --base-url https://example.org/briefing/
  briefing build --tlp amber --drafts   An internal preview: TLP:AMBER entries and drafts too
  briefing build --now 2024-03-25T09:00:00Z   Publish what is not embargoed at that moment

The previous output is replaced only when the whole build succeeds, and only if briefing
wrote it (or it is empty or new): a folder holding other files is refused unless --force.";

const CHECK_EXAMPLES: &str = "\
Examples:
  briefing check                        Check the site in this folder
  briefing check --deny-warnings        Fail on warnings too, e.g. in CI
  briefing check --format json          One JSON object per diagnostic and line, for editors
  briefing check --tlp red --drafts     Check everything, withheld entries included
  briefing check --external             Also ask other sites whether the URLs still work

`check` builds the site into a temporary folder, checks that every internal link and
`#fragment` of the rendered pages leads somewhere, and removes the folder again; the real
output folder is never touched. JSON lines hold: severity, code, message, file, line,
column, help. Exit code 0 when clean, 1 on errors (or warnings with --deny-warnings).

With --external, every http(s) URL of what this run publishes (sources, links and images
of bodies) is requested too: HEAD (GET where refused), redirects followed, at most --jobs
requests at once and one at a time per host. Answers are kept for a day in
`.briefing-cache/external.json`; settings in `[check]` of briefing.toml.";

const INIT_EXAMPLES: &str = "\
Examples:
  briefing init my-briefing             Create my-briefing/ with an example site
  briefing init                         Use the current folder, if it is empty
  briefing init old-site --force        Write the example into a folder that is not empty

The example builds at once: `briefing serve --root my-briefing` previews it.";

const NEW_EXAMPLES: &str = "\
Examples:
  briefing new incident \"Crocus City Hall attack\"
  briefing new group \"Islamic State Khorasan Province\" --slug islamic-state-khorasan
  briefing new actor \"Владимир Путин\"       Slug from the title: vladimir-putin
  briefing new statement \"Kyiv denies involvement\" --speaker ukraine --date 2024-03-22
  briefing new page \"Methodology\"

The file is created as content/<kind>s/<slug>.md and its path printed; an existing file is
never overwritten. Every required field is filled in, so the site builds at once.
A statement needs a speaker (an actor or group of the site): name it with --speaker.
Without --speaker the first actor or group of the site stands in as a placeholder and the
statement is written with `draft: true`, so it is not published until you fix both.";

const IMPORT_EXAMPLES: &str = "\
Examples:
  briefing import csv gtd.csv --mapping gtd --root my-briefing
  briefing import csv acled.csv --mapping acled --dry-run   List the files it would write
  briefing import csv events.csv --mapping my-columns.toml  Your own columns (docs/import.md)

Each row becomes content/incidents/<slug>.md; each perpetrator the site does not know yet
becomes content/groups/<slug>.md (groups are matched by name and alias, ignoring case and
accents). Every row that cannot be mapped is reported with its line, and then nothing is
written; existing files are never overwritten.";

const SCHEMA_EXAMPLES: &str = "\
Examples:
  briefing schema                       Write schemas/*.schema.json
  briefing schema --out .vscode/schemas

One JSON Schema (draft 2020-12) per kind's frontmatter and one for briefing.toml, for
editors; the README shows how to point VS Code at them.";

/// A static site generator for security-incident briefings.
#[derive(Debug, Parser)]
#[command(
    name = "briefing",
    version,
    about,
    long_about = None,
    propagate_version = true,
    after_help = MAIN_EXAMPLES
)]
pub struct Cli {
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print notes, stage details and every warning (without it, at most five of each code).
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (replaced only if the build succeeds).
    #[command(after_help = BUILD_EXAMPLES)]
    Build(BuildArgs),
    /// Check the site and its links without writing any output.
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// Create a new site with an example of each kind of entry.
    #[command(after_help = INIT_EXAMPLES)]
    Init(InitArgs),
    /// Create a new entry from a skeleton holding every field.
    #[command(after_help = NEW_EXAMPLES)]
    New(NewArgs),
    /// Create incidents and groups from a dataset.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Write JSON Schemas of the frontmatter and of `briefing.toml`, for editors.
    #[command(after_help = SCHEMA_EXAMPLES)]
    Schema(SchemaArgs),
    /// Print a shell completion script to stdout.
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Build the site, serve it on this machine and rebuild it as you edit.
    #[command(after_help = SERVE_EXAMPLES)]
    Serve(ServeArgs),
    /// Remove the cache (`.briefing-cache/`: rendered bodies, `check --external` answers).
    Clean(CleanArgs),
}

/// Arguments of `clean`.
#[derive(Debug, Args)]
pub struct CleanArgs {
    /// Site root, the folder holding `briefing.toml`.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
}

const SERVE_EXAMPLES: &str = "\
Examples:
  briefing serve                        Serve the site in this folder at http://127.0.0.1:1111/
  briefing serve --root my-briefing --open
  briefing serve --tlp amber --drafts   Preview TLP:AMBER entries and drafts too

The site is built into a private temporary folder (never the output folder), served with
live reload, and rebuilt when `content/`, `templates/`, `static/` or `briefing.toml`
change; a build that fails keeps the last good site served and shows its errors in the
browser. Links point at the server, under the path of `base_url`. Without --port, a taken
port 1111 gives the next free one; a --port that is taken is an error.";

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// What to serve (`--now` is taken as given for every rebuild).
    #[command(flatten)]
    pub site: SiteArgs,
    /// Address to listen on; anything but loopback lets other machines see the site.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
    pub bind: std::net::IpAddr,
    /// Port to listen on [default: 1111, or the next free one].
    #[arg(long, value_name = "PORT")]
    pub port: Option<u16>,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
}

/// What `import` reads.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Turn the rows of a CSV file (GTD, ACLED or your own columns) into entries.
    #[command(after_help = IMPORT_EXAMPLES)]
    Csv(ImportCsvArgs),
}

/// Arguments of `import csv`.
#[derive(Debug, Args)]
pub struct ImportCsvArgs {
    /// The CSV file, with a header row.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// How columns map to fields: `gtd`, `acled`, or the path of a mapping file.
    #[arg(long, value_name = "gtd|acled|MAPPING.toml")]
    pub mapping: String,
    /// Site root, the folder holding `briefing.toml`.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Write nothing: print the files that would be written (with --verbose, their text).
    #[arg(long)]
    pub dry_run: bool,
}

/// Arguments of `schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Folder to write the schemas into (created if missing).
    #[arg(long, default_value = "schemas", value_name = "DIR")]
    pub out: PathBuf,
}

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  briefing completions bash > ~/.local/share/bash-completion/completions/briefing
  briefing completions zsh > \"${fpath[1]}/_briefing\"
  briefing completions fish > ~/.config/fish/completions/briefing.fish";

/// What to build, shared by `build` and `check`.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// Site root, the folder holding `briefing.toml`.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Base URL to publish under, overriding `base_url` of `briefing.toml`.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Publish drafts too.
    #[arg(long)]
    pub drafts: bool,
    /// Highest TLP level to publish: clear, green, amber, amber+strict or red
    /// [default: `build.tlp` of `briefing.toml`, else clear].
    #[arg(long, value_name = "LEVEL")]
    pub tlp: Option<Tlp>,
    /// Judge embargoes (`publish_at`) as of this RFC 3339 moment instead of now.
    #[arg(long, value_name = "DATETIME", value_parser = parse_now)]
    pub now: Option<jiff::Timestamp>,
}

/// Arguments of `build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// What to build.
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output folder [default: ROOT/public].
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Print the time spent in each stage.
    #[arg(long)]
    pub timings: bool,
    /// Replace the output folder even if it holds files briefing did not write.
    #[arg(long)]
    pub force: bool,
    /// Neither use nor update the cache of rendered bodies (`.briefing-cache/`).
    #[arg(long)]
    pub no_cache: bool,
}

/// How `check` prints diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    /// For people: source snippets with the problem underlined, on stderr.
    #[default]
    Human,
    /// For tools: one JSON object per diagnostic and line, on stdout.
    Json,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// What to check.
    #[command(flatten)]
    pub site: SiteArgs,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human, value_name = "FORMAT")]
    pub format: Format,
    /// Fail (exit code 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Also check every outbound http(s) URL of the published site, over the network.
    #[arg(long)]
    pub external: bool,
    /// With --external: requests under way at once, at most.
    #[arg(long, default_value_t = 8, value_name = "N", requires = "external",
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
    /// Neither use nor update the cache of rendered bodies (`.briefing-cache/`); with
    /// --external, also ask about every URL again instead of using answers kept from
    /// earlier runs (the new answers are kept).
    #[arg(long)]
    pub no_cache: bool,
}

/// Arguments of `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create the site in; created if missing, and must be empty.
    #[arg(default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,
    /// Write into a folder that is not empty; files of the same name are replaced.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// Kind of entry.
    #[arg(value_name = "KIND", value_parser = PossibleValuesParser::new(Kind::ALL.map(Kind::as_str)).try_map(|s| s.parse::<Kind>()))]
    pub kind: Kind,
    /// Title of the entry; the slug (file name) is made from it.
    #[arg(value_name = "TITLE")]
    pub title: String,
    /// Site root, the folder holding `briefing.toml`.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Slug (file name without `.md`) instead of the one made from the title.
    #[arg(long, value_name = "SLUG")]
    pub slug: Option<String>,
    /// Statements: slug of the actor or group who said it.
    #[arg(long, value_name = "SLUG")]
    pub speaker: Option<String>,
    /// Date of the incident or statement: 2024, 2024-03, 2024-03-22 or RFC 3339
    /// [default: today].
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<PartialDate>,
}

fn parse_now(s: &str) -> Result<jiff::Timestamp, String> {
    parse_date(s).map(|d| d.start())
}

fn parse_date(s: &str) -> Result<PartialDate, String> {
    s.parse::<PartialDate>().map_err(|e| e.to_string())
}

/// How much to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    /// Errors only.
    Quiet,
    /// Errors, warnings and a summary.
    Normal,
    /// Notes too.
    Verbose,
}

/// The command line, lowered.
#[derive(Debug, Clone)]
pub struct Options {
    /// How much to print.
    pub verbosity: Verbosity,
    /// What to run.
    pub run: Run,
}

/// A command with resolved options.
#[derive(Debug, Clone)]
pub enum Run {
    /// `build`.
    Build {
        /// What to build.
        options: BuildOptions,
        /// Print stage timings.
        timings: bool,
    },
    /// `check`.
    Check {
        /// What to check (`output` is unused).
        options: BuildOptions,
        /// How to print diagnostics.
        format: Format,
        /// Fail on warnings.
        deny_warnings: bool,
        /// Check outbound URLs too (`--external`).
        external: Option<ExternalOptions>,
    },
    /// `init`.
    Init(InitOptions),
    /// `new`.
    New(NewOptions),
    /// `import csv`.
    Import(ImportOptions),
    /// `schema`: the folder to write into.
    Schema(PathBuf),
    /// `completions`.
    Completions(clap_complete::Shell),
    /// `clean`: the site root.
    Clean(PathBuf),
    /// `serve`.
    Serve {
        /// What to serve and how.
        options: crate::serve::ServeOptions,
        /// Open the browser.
        open: bool,
    },
}

impl Cli {
    /// Lower the parsed command line into options.
    pub fn lower(self) -> Options {
        let verbosity = if self.quiet {
            Verbosity::Quiet
        } else if self.verbose {
            Verbosity::Verbose
        } else {
            Verbosity::Normal
        };
        let run = match self.command {
            Command::Build(args) => Run::Build {
                options: args.to_options(),
                timings: args.timings,
            },
            Command::Check(args) => Run::Check {
                options: BuildOptions {
                    output: None,
                    cache: if args.no_cache {
                        crate::CacheUse::Off
                    } else {
                        crate::CacheUse::Read
                    },
                    ..args.site.to_options()
                },
                format: args.format,
                deny_warnings: args.deny_warnings,
                external: args.external.then(|| ExternalOptions {
                    jobs: usize::from(args.jobs),
                    cache: !args.no_cache,
                }),
            },
            Command::Init(args) => Run::Init(InitOptions {
                dir: args.dir,
                force: args.force,
            }),
            Command::New(args) => Run::New(NewOptions {
                root: args.root,
                kind: args.kind,
                title: args.title,
                slug: args.slug,
                speaker: args.speaker,
                date: args.date,
            }),
            Command::Import(ImportCommand::Csv(args)) => Run::Import(ImportOptions {
                mapping: MappingChoice::parse(&args.mapping),
                file: args.file,
                root: args.root,
                dry_run: args.dry_run,
            }),
            Command::Schema(args) => Run::Schema(args.out),
            Command::Completions { shell } => Run::Completions(shell),
            Command::Clean(args) => Run::Clean(args.root),
            Command::Serve(args) => Run::Serve {
                options: crate::serve::ServeOptions {
                    build: args.site.to_options(),
                    bind: args.bind,
                    port: args.port.unwrap_or(crate::serve::DEFAULT_PORT),
                    next_free_port: args.port.is_none(),
                    watch: true,
                    report: None,
                },
                open: args.open,
            },
        };
        Options { verbosity, run }
    }
}

impl SiteArgs {
    /// Lower into build options writing to `ROOT/public`.
    pub fn to_options(&self) -> BuildOptions {
        BuildOptions {
            output: Some(self.root.join("public")),
            root: self.root.clone(),
            base_url: self.base_url.clone(),
            drafts: self.drafts,
            tlp: self.tlp,
            now: self.now,
            progress: None,
            after_link: None,
            force: false,
            cache: crate::CacheUse::Off,
        }
    }
}

impl BuildArgs {
    /// Lower into build options.
    pub fn to_options(&self) -> BuildOptions {
        let mut options = self.site.to_options();
        options.force = self.force;
        options.cache = if self.no_cache {
            crate::CacheUse::Off
        } else {
            crate::CacheUse::ReadWrite
        };
        if let Some(out) = &self.output {
            options.output = Some(out.clone());
        }
        options
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn lowers_check_without_output() {
        let cli = Cli::parse_from([
            "briefing",
            "-q",
            "check",
            "--root",
            "s",
            "--tlp",
            "TLP:AMBER",
        ]);
        let opts = cli.lower();
        assert_eq!(opts.verbosity, Verbosity::Quiet);
        let Run::Check {
            options, format, ..
        } = opts.run
        else {
            panic!("not check");
        };
        assert_eq!(options.output, None);
        assert_eq!(options.tlp, Some(Tlp::Amber));
        assert_eq!(format, Format::Human);
    }

    #[test]
    fn lowers_check_external_only_when_asked() {
        let external = |args: &[&str]| {
            let cli = Cli::parse_from(["briefing", "check"].iter().chain(args));
            let Run::Check { external, .. } = cli.lower().run else {
                panic!("not check");
            };
            external.map(|e| (e.jobs, e.cache))
        };
        assert_eq!(external(&[]), None);
        assert_eq!(external(&["--external"]), Some((8, true)));
        assert_eq!(
            external(&["--external", "--jobs", "3", "--no-cache"]),
            Some((3, false))
        );
        // Without --external, --no-cache is about the cache of rendered bodies only.
        assert_eq!(external(&["--no-cache"]), None);
        assert!(Cli::try_parse_from(["briefing", "check", "--external", "--jobs", "0"]).is_err());
    }

    #[test]
    fn new_takes_a_kind() {
        let cli = Cli::parse_from(["briefing", "new", "statement", "T", "--speaker", "x"]);
        let Run::New(o) = cli.lower().run else {
            panic!("not new");
        };
        assert_eq!(o.kind, Kind::Statement);
        assert!(Cli::try_parse_from(["briefing", "new", "statment", "T"]).is_err());
    }

    #[test]
    fn import_takes_a_builtin_mapping_or_a_file() {
        let cli = Cli::parse_from(["briefing", "import", "csv", "a.csv", "--mapping", "gtd"]);
        let Run::Import(o) = cli.lower().run else {
            panic!("not import");
        };
        assert_eq!(o.mapping, MappingChoice::Gtd);
        assert!(!o.dry_run);
        let cli = Cli::parse_from(["briefing", "import", "csv", "a.csv", "--mapping", "m.toml"]);
        let Run::Import(o) = cli.lower().run else {
            panic!("not import");
        };
        assert_eq!(o.mapping, MappingChoice::File("m.toml".into()));
        assert!(Cli::try_parse_from(["briefing", "import", "csv", "a.csv"]).is_err());
    }
}
