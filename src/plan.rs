//! PLAN: `briefing.toml` + command-line overrides -> [`Plan`], lowered once (as ripgrep
//! lowers its arguments) and taken by `build`, `check` and (next) `serve`.
//!
//! Takes: the site root and the [`Overrides`] of the command line. Gives: a [`Plan`] that
//! holds the settings as written ([`Config`]), the one [`BaseUrl`] every URL of the site is
//! joined to, and the [`Publish`] policy (TLP level, drafts, the moment embargoes are
//! judged against).
//!
//! Invariants: nothing downstream reads `briefing.toml` again or re-applies an override;
//! the base URL is normalised exactly once (by [`BaseUrl::parse`]) and always ends with `/`;
//! the TLP level that decides what is published is [`Publish::tlp`], never
//! `config.build.tlp` (which is only the default the command line may override).

use std::path::{Path, PathBuf};

pub use crate::config::BaseUrl;
use crate::config::{CONFIG_FILE, Config, Robots};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::{Common, Tlp};

/// What may be published in this build.
#[derive(Debug, Clone, Copy)]
pub struct Publish {
    /// Highest TLP level published.
    pub tlp: Tlp,
    /// Publish drafts too.
    pub drafts: bool,
    /// Embargoes up to this moment have lifted.
    pub now: jiff::Timestamp,
}

impl Publish {
    /// Whether an entity with these fields may be published.
    pub fn allows(&self, c: &Common) -> bool {
        c.tlp <= self.tlp
            && (self.drafts || !c.draft)
            && c.publish_at.is_none_or(|p| p.start() <= self.now)
    }
}

/// What the command line may override; everything else comes from `briefing.toml`.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Overrides `base_url`.
    pub base_url: Option<String>,
    /// Publish drafts.
    pub drafts: bool,
    /// Overrides `build.tlp`.
    pub tlp: Option<Tlp>,
    /// The moment embargoes are judged against (default: now).
    pub now: Option<jiff::Timestamp>,
}

/// Where the base URL came from, so a diagnostic about it can name the right place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseUrlFrom {
    /// `base_url` of `briefing.toml` (or its default).
    Config,
    /// `--base-url`.
    CommandLine,
}

/// Everything a run needs to know before it reads content, resolved once.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Site root (holds `briefing.toml`).
    pub root: PathBuf,
    /// The settings as written in `briefing.toml`.
    pub config: Config,
    /// The base URL every URL of the site is joined to.
    pub base_url: BaseUrl,
    /// Where [`Plan::base_url`] came from.
    pub base_url_from: BaseUrlFrom,
    /// What may be published.
    pub publish: Publish,
}

impl Plan {
    /// Read `briefing.toml` under `root` and apply `overrides`. Problems go to `diags`;
    /// `None` when there are no usable settings. An invalid `--base-url` is an error, and
    /// the plan keeps the base URL of `briefing.toml` so the run can report everything else.
    pub fn resolve(root: &Path, overrides: &Overrides, diags: &Diagnostics) -> Option<Plan> {
        let config = match Config::load(root) {
            Ok(c) => c,
            Err(errors) => {
                diags.extend(errors);
                return None;
            }
        };
        Some(Plan::with_config(root, config, overrides, diags))
    }

    /// Apply `overrides` to settings already read.
    pub fn with_config(
        root: &Path,
        config: Config,
        overrides: &Overrides,
        diags: &Diagnostics,
    ) -> Plan {
        // `Config::parse` has checked and normalised it.
        let mut base_url = BaseUrl::from_config(&config);
        let mut base_url_from = BaseUrlFrom::Config;
        if let Some(url) = &overrides.base_url {
            match BaseUrl::parse(url) {
                Ok(u) => {
                    base_url = u;
                    base_url_from = BaseUrlFrom::CommandLine;
                }
                Err(why) => diags.push(
                    Diagnostic::error(Code::Config, format!("invalid `--base-url`: {why}")).help(
                        "use an absolute http(s) URL such as `https://example.org/briefings/`",
                    ),
                ),
            }
        }
        let publish = Publish {
            tlp: overrides.tlp.unwrap_or(config.build.tlp),
            drafts: overrides.drafts,
            now: overrides.now.unwrap_or_else(jiff::Timestamp::now),
        };
        Plan {
            root: root.to_path_buf(),
            config,
            base_url,
            base_url_from,
            publish,
        }
    }

    /// Whether crawlers are welcome ([`Robots::Allow`] or [`Robots::Disallow`], never
    /// `Auto`): `[build] robots` as written, else only at TLP:CLEAR.
    /// TLP:GREEN and above limit disclosure to a community, which a search engine's index
    /// is not, so such a site asks crawlers to stay out unless it says otherwise.
    pub fn robots(&self) -> Robots {
        match self.config.build.robots {
            Robots::Auto if self.publish.tlp > Tlp::Clear => Robots::Disallow,
            Robots::Auto => Robots::Allow,
            chosen => chosen,
        }
    }

    /// The file a diagnostic about the base URL points at: `briefing.toml`, unless the
    /// URL came from the command line.
    pub fn base_url_file(&self) -> Option<&'static str> {
        (self.base_url_from == BaseUrlFrom::Config).then_some(CONFIG_FILE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line_overrides_settings_once() {
        let config = Config::parse("title = \"T\"\nbase_url = \"/x\"\n[build]\ntlp = \"green\"\n")
            .expect("valid settings");
        let diags = Diagnostics::new();
        let plan = Plan::with_config(
            Path::new("."),
            config,
            &Overrides {
                base_url: Some("https://ex.org".into()),
                tlp: Some(Tlp::Amber),
                ..Overrides::default()
            },
            &diags,
        );
        assert_eq!(plan.base_url.as_str(), "https://ex.org/");
        assert_eq!(plan.base_url_file(), None);
        assert_eq!(plan.publish.tlp, Tlp::Amber);
        assert!(!diags.has_errors());
    }
}
