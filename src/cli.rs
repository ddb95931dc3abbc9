//! The command line: clap definitions, lowered once into typed options.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::BuildOptions;
use crate::model::Tlp;

/// A static site generator for security-incident briefings.
#[derive(Debug, Parser)]
#[command(name = "briefing", version, about, long_about = None)]
pub struct Cli {
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print notes and stage details too.
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
    Build(BuildArgs),
}

/// Arguments of `build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Site root, the folder holding `briefing.toml`.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Output folder [default: ROOT/public].
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Base URL to publish under, overriding `base_url` of `briefing.toml`.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Publish drafts too.
    #[arg(long)]
    pub drafts: bool,
    /// Highest TLP level to publish: clear, green, amber, amber+strict or red
    /// [default: `build.tlp` of `briefing.toml`, else clear].
    #[arg(long, value_name = "LEVEL", value_parser = parse_tlp)]
    pub tlp: Option<Tlp>,
    /// Judge embargoes (`publish_at`) as of this RFC 3339 moment instead of now.
    #[arg(long, value_name = "DATETIME", value_parser = parse_now)]
    pub now: Option<jiff::Timestamp>,
    /// Print the time spent in each stage.
    #[arg(long)]
    pub timings: bool,
}

fn parse_tlp(s: &str) -> Result<Tlp, String> {
    let lower = s.trim().to_ascii_lowercase();
    let lower = lower.strip_prefix("tlp:").unwrap_or(&lower);
    Tlp::ALL
        .iter()
        .copied()
        .find(|t| t.as_str() == lower)
        .ok_or_else(|| {
            format!("unknown TLP level `{s}`; use clear, green, amber, amber+strict or red")
        })
}

fn parse_now(s: &str) -> Result<jiff::Timestamp, String> {
    s.parse::<crate::model::PartialDate>()
        .map(|d| d.start())
        .map_err(|e| e.to_string())
}

impl BuildArgs {
    /// Lower into build options.
    pub fn to_options(&self) -> BuildOptions {
        BuildOptions {
            output: Some(
                self.output
                    .clone()
                    .unwrap_or_else(|| self.root.join("public")),
            ),
            root: self.root.clone(),
            base_url: self.base_url.clone(),
            drafts: self.drafts,
            tlp: self.tlp,
            now: self.now,
        }
    }
}
