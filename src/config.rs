//! `briefing.toml` -> [`Config`].
//!
//! Takes the site root; gives the [`Config`] (or the diagnostics of `briefing.toml`).
//! Where it sits: above `load` and `markdown`, below `link`: it reads through `source`,
//! words its parser errors with load's `serde_diagnostic` (one wording for frontmatter and
//! settings) and checks highlight theme names against `markdown::highlight`; nothing below
//! `render` imports it, so the resolved plan (issue 10, step 4) can take its place there.
//!
//! Unknown keys are errors with a did-you-mean, like unknown frontmatter fields: a typo
//! in a setting must not be ignored silently.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diag::{Code, Diagnostic, Span};
use crate::load::serde_diagnostic;
use crate::model::Tlp;

mod base_url;
pub use base_url::BaseUrl;

/// The name of the settings file at the site root.
pub const CONFIG_FILE: &str = "briefing.toml";

/// Site settings.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Site title.
    pub title: String,
    /// Where the site is published, e.g. `https://example.org/briefings/`, as written
    /// (checked and normalised by [`Config::parse`]). A run joins URLs to the
    /// [`crate::plan::Plan::base_url`], which the command line may override.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// Language tag of the content.
    #[serde(default = "default_language")]
    pub language: String,
    /// One-sentence description of the site.
    #[serde(default)]
    pub description: String,
    /// Build settings.
    #[serde(default)]
    pub build: BuildConfig,
    /// Markdown settings.
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// Settings of `briefing check --external`.
    #[serde(default)]
    pub check: CheckConfig,
    /// Site-specific settings for templates, as written: `site.extra` (issue 15).
    #[serde(default)]
    #[schemars(with = "std::collections::BTreeMap<String, serde_json::Value>")]
    pub extra: toml::Table,
    /// The newsletter sign-up box; none when the table is absent (issue 12).
    #[serde(default)]
    pub newsletter: Option<NewsletterConfig>,
    /// Labels for readers of vocabulary values and tags, by the word as written
    /// (`claim-of-responsibility = "Claim of responsibility"`), replacing the built-in ones.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Where each key of `[labels]` is written in `briefing.toml`, for diagnostics.
    #[serde(skip)]
    #[schemars(skip)]
    pub label_spans: BTreeMap<String, Span>,
}

/// `[newsletter]`: a sign-up form posted to another service, which works without
/// JavaScript. Every text a reader sees is a setting, so a site can word it in its own
/// language.
#[derive(Debug, Clone, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewsletterConfig {
    /// Where the form is sent: an absolute http(s) URL (checked by [`Config::parse`]).
    pub action: String,
    /// `post` (the default) or `get`.
    #[serde(default = "default_method")]
    pub method: String,
    /// The name of the e-mail address field, as the service expects it.
    #[serde(default = "default_email_field")]
    pub email_field: String,
    /// Heading of the box.
    #[serde(default = "default_newsletter_title")]
    pub title: String,
    /// A sentence under the heading.
    #[serde(default)]
    pub text: Option<String>,
    /// Label of the e-mail address field.
    #[serde(default = "default_email_label")]
    pub label: String,
    /// Text of the button.
    #[serde(default = "default_button")]
    pub button: String,
    /// A note on what happens to the address (who runs the list, how to leave it).
    #[serde(default)]
    pub privacy: Option<String>,
    /// Hidden fields the service needs (e.g. a list id), by name.
    #[serde(default)]
    pub hidden: BTreeMap<String, String>,
}

/// What a feed entry carries (`[build] feed_content`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FeedContent {
    /// The summary only (the default: smaller feeds, no body rendered twice).
    #[default]
    Summary,
    /// The whole rendered body as well.
    Full,
}

/// Whether `robots.txt` lets crawlers in (`[build] robots`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Robots {
    /// Allow at TLP:CLEAR, disallow at TLP:GREEN and above (see
    /// [`crate::plan::Plan::robots`]).
    #[default]
    Auto,
    /// Crawlers may index the site; `robots.txt` names the sitemap.
    Allow,
    /// Crawlers are asked to stay out, and pages say `noindex`.
    Disallow,
}

/// `[build]`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BuildConfig {
    /// Highest TLP level published by default (a run publishes up to
    /// [`crate::plan::Publish::tlp`], which the command line may override).
    #[serde(default)]
    pub tlp: Tlp,
    /// Items per page of a listing.
    #[serde(default = "default_paginate_by")]
    pub paginate_by: usize,
    /// How many entries each feed holds.
    #[serde(default = "default_feed_limit")]
    pub feed_limit: usize,
    /// Summaries or whole bodies in feed entries.
    #[serde(default)]
    pub feed_content: FeedContent,
    /// `robots.txt`: `auto` allows at TLP:CLEAR and disallows at TLP:GREEN or above (see
    /// [`crate::plan::Plan::robots`]).
    #[serde(default)]
    pub robots: Robots,
    /// URLs per sitemap file; past it, `sitemap.xml` becomes a sitemap index (the
    /// protocol allows at most 50,000).
    #[serde(default = "default_sitemap_limit")]
    pub sitemap_limit: usize,
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig {
            tlp: Tlp::Clear,
            paginate_by: default_paginate_by(),
            feed_limit: default_feed_limit(),
            feed_content: FeedContent::default(),
            robots: Robots::Auto,
            sitemap_limit: default_sitemap_limit(),
        }
    }
}

/// `[markdown]`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Keep raw HTML in Markdown as written instead of sanitising it. Only for sites
    /// whose every author is trusted.
    #[serde(default)]
    pub unsafe_raw_html: bool,
    /// Typographic quotes and dashes.
    #[serde(default = "yes")]
    pub smart_punctuation: bool,
    /// Highlight fenced code that names a language.
    #[serde(default = "yes")]
    pub highlight_code: bool,
    /// syntect theme for the light colour scheme.
    #[serde(default = "default_light_theme")]
    pub highlight_theme: String,
    /// syntect theme for the dark colour scheme.
    #[serde(default = "default_dark_theme")]
    pub highlight_theme_dark: String,
    /// Load images from other hosts in readers' browsers. Off by default: such an image
    /// is shown as a link to it, so reading a page calls no other host.
    #[serde(default)]
    pub allow_remote_images: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            unsafe_raw_html: false,
            smart_punctuation: true,
            highlight_code: true,
            highlight_theme: default_light_theme(),
            highlight_theme_dark: default_dark_theme(),
            allow_remote_images: false,
        }
    }
}

/// `[check]`: how `briefing check --external` asks other sites about the URLs of the site.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// Seconds to wait for a host: to connect, and again for its answer.
    #[serde(default = "default_external_timeout")]
    pub external_timeout: f64,
    /// Seconds between the start of two requests to one host (one at a time per host).
    #[serde(default = "default_external_delay")]
    pub external_delay: f64,
    /// Hours a host's answer is reused from the cache (`.briefing-cache/external.json`).
    #[serde(default = "default_external_cache_hours")]
    pub external_cache_hours: f64,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            external_timeout: default_external_timeout(),
            external_delay: default_external_delay(),
            external_cache_hours: default_external_cache_hours(),
        }
    }
}

fn default_external_timeout() -> f64 {
    10.0
}
fn default_external_delay() -> f64 {
    0.5
}
fn default_external_cache_hours() -> f64 {
    24.0
}

fn default_base_url() -> String {
    "/".to_string()
}
fn default_language() -> String {
    "en".to_string()
}
fn default_paginate_by() -> usize {
    20
}
fn default_feed_limit() -> usize {
    50
}
/// The sitemap protocol's limit of URLs per file.
pub const SITEMAP_MAX_URLS: usize = 50_000;

fn default_sitemap_limit() -> usize {
    SITEMAP_MAX_URLS
}
fn yes() -> bool {
    true
}
fn default_light_theme() -> String {
    "InspiredGitHub".to_string()
}
fn default_dark_theme() -> String {
    "base16-ocean.dark".to_string()
}
fn default_method() -> String {
    "post".to_string()
}
fn default_email_field() -> String {
    "email".to_string()
}
fn default_newsletter_title() -> String {
    "Newsletter".to_string()
}
fn default_email_label() -> String {
    "Email address".to_string()
}
fn default_button() -> String {
    "Subscribe".to_string()
}

/// Why `url` cannot be a form's action: it must be an absolute http(s) URL with a host.
fn form_action_problem(url: &str) -> Option<String> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Some(format!("`{url}` is not an absolute http(s) URL"));
    };
    if !(scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http")) {
        return Some(format!("`{url}` uses the scheme `{scheme}`, not http(s)"));
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() {
        return Some(format!("`{url}` has no host"));
    }
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\'))
    {
        return Some(format!("`{url}` contains characters a URL may not have"));
    }
    None
}

impl Config {
    /// Read and validate `briefing.toml` under `root`.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let text = match crate::source::read_source(&path) {
            Ok(t) => t,
            Err(e) => {
                return Err(vec![
                    Diagnostic::error(Code::Config, format!("cannot read `{CONFIG_FILE}`: {e}"))
                        .in_file(CONFIG_FILE)
                        .help("run `briefing build` in a site folder, or pass `--root DIR`"),
                ]);
            }
        };
        Self::parse(&text)
    }

    /// Parse and validate settings text.
    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let span = e.span().map(|r| Span::new(r.start, r.end - r.start));
            vec![serde_diagnostic(e.message(), span, text, &[]).in_file(CONFIG_FILE)]
        })?;
        let mut errors = Vec::new();
        // Point at the value itself, not at its key, where the parser found it.
        let table = toml::de::DeTable::parse(text).ok();
        let locate = |path: &[&str]| table.as_ref().and_then(|t| value_span(text, t, path));
        let locate_key = |path: &[&str]| table.as_ref().and_then(|t| key_span(t, path));
        if config.build.paginate_by == 0 {
            errors.push(
                Diagnostic::error(Code::Config, "`paginate_by` must be at least 1")
                    .in_file(CONFIG_FILE)
                    .at_opt(locate(&["build", "paginate_by"]))
                    .help("use e.g. `paginate_by = 20`"),
            );
        }
        let limit = config.build.sitemap_limit;
        if !(1..=SITEMAP_MAX_URLS).contains(&limit) {
            errors.push(
                Diagnostic::error(
                    Code::Config,
                    format!("`sitemap_limit` must be between 1 and {SITEMAP_MAX_URLS}"),
                )
                .in_file(CONFIG_FILE)
                .at_opt(locate(&["build", "sitemap_limit"]))
                .help("leave it out to use the protocol's limit of 50000"),
            );
        }
        for (key, value, least) in [
            ("external_timeout", config.check.external_timeout, 0.001),
            ("external_delay", config.check.external_delay, 0.0),
            (
                "external_cache_hours",
                config.check.external_cache_hours,
                0.0,
            ),
        ] {
            // At most a week: anything longer is a mistake (and must fit a `Duration`).
            if !(least..=7.0 * 24.0 * 3600.0).contains(&value) {
                errors.push(
                    Diagnostic::error(Code::Config, format!("`{key}` is out of range"))
                        .in_file(CONFIG_FILE)
                        .at_opt(locate(&["check", key]))
                        .help("use a positive number, e.g. `external_timeout = 10` (seconds)"),
                );
            }
        }
        match BaseUrl::parse(&config.base_url) {
            Ok(url) => config.base_url = url.as_str().to_string(),
            Err(why) => errors.push(
                Diagnostic::error(Code::Config, format!("invalid `base_url`: {why}"))
                    .in_file(CONFIG_FILE)
                    .at_opt(locate(&["base_url"]))
                    .help("use an absolute http(s) URL such as `https://example.org/briefings/`, or `/`"),
            ),
        }
        for (key, theme) in [
            ("highlight_theme", &config.markdown.highlight_theme),
            (
                "highlight_theme_dark",
                &config.markdown.highlight_theme_dark,
            ),
        ] {
            let themes = crate::markdown::highlight::theme_names();
            if !themes.iter().any(|t| t == theme) {
                errors.push(
                    Diagnostic::error(Code::Config, format!("unknown highlight theme `{theme}`"))
                        .in_file(CONFIG_FILE)
                        .at_opt(locate(&["markdown", key]))
                        .help(format!("known themes: {}", themes.join(", "))),
                );
            }
        }
        if let Some(n) = &config.newsletter {
            if let Some(why) = form_action_problem(n.action.trim()) {
                errors.push(
                    Diagnostic::error(Code::Config, format!("invalid newsletter `action`: {why}"))
                        .in_file(CONFIG_FILE)
                        .at_opt(locate(&["newsletter", "action"]))
                        .help("use the sign-up address your newsletter service gives, e.g. `action = \"https://lists.example.org/subscribe\"`"),
                );
            }
            let method = n.method.to_ascii_lowercase();
            if method != "post" && method != "get" {
                errors.push(
                    Diagnostic::error(
                        Code::Config,
                        format!(
                            "newsletter `method` must be `post` or `get`, not `{}`",
                            n.method
                        ),
                    )
                    .in_file(CONFIG_FILE)
                    .at_opt(locate(&["newsletter", "method"]))
                    .help("leave it out to use `post`"),
                );
            }
            let fields = std::iter::once((["newsletter", "email_field", ""], &n.email_field))
                .chain(
                    n.hidden
                        .keys()
                        .map(|k| (["newsletter", "hidden", k.as_str()], k)),
                );
            for (path, name) in fields {
                let path = if path[2].is_empty() {
                    &path[..2]
                } else {
                    &path[..]
                };
                if name.is_empty() || name.contains(|c: char| c.is_whitespace() || c.is_control()) {
                    errors.push(
                        Diagnostic::error(
                            Code::Config,
                            format!("newsletter field name `{name}` is empty or has spaces"),
                        )
                        .in_file(CONFIG_FILE)
                        .at_opt(locate(path))
                        .help("use the field name your newsletter service expects, e.g. `email`"),
                    );
                }
            }
        }
        if let Some(n) = &mut config.newsletter {
            n.method = n.method.to_ascii_lowercase();
            n.action = n.action.trim().to_string();
        }
        config.label_spans = config
            .labels
            .keys()
            .filter_map(|k| Some((k.clone(), locate_key(&["labels", k])?)))
            .collect();
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        }
    }
}

/// Where the value at `path` (`["build", "paginate_by"]`) stands in the settings `text`
/// parsed into `table`, as the parser reports it, without the quotes of a string.
fn value_span(
    text: &str,
    table: &toml::Spanned<toml::de::DeTable<'_>>,
    path: &[&str],
) -> Option<Span> {
    let mut value: Option<&toml::Spanned<toml::de::DeValue<'_>>> = None;
    let mut current = table.get_ref();
    for (i, key) in path.iter().enumerate() {
        let (_, v) = current.iter().find(|(k, _)| k.get_ref() == key)?;
        match v.get_ref() {
            toml::de::DeValue::Table(t) if i + 1 < path.len() => current = t,
            _ if i + 1 == path.len() => value = Some(v),
            _ => return None,
        }
    }
    let range = value?.span();
    Some(crate::load::unquoted(
        text,
        Span::new(range.start, range.end - range.start),
    ))
}

/// Where the key at the end of `path` (`["labels", "isis-k"]`) stands in the settings
/// parsed into `table`, as the parser reports it.
fn key_span(table: &toml::Spanned<toml::de::DeTable<'_>>, path: &[&str]) -> Option<Span> {
    let (last, parents) = path.split_last()?;
    let mut current = table.get_ref();
    for key in parents {
        let (_, v) = current.iter().find(|(k, _)| k.get_ref() == key)?;
        match v.get_ref() {
            toml::de::DeValue::Table(t) => current = t,
            _ => return None,
        }
    }
    let (k, _) = current.iter().find(|(k, _)| k.get_ref() == last)?;
    let range = k.span();
    Some(Span::new(range.start, range.end - range.start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newsletter_settings_are_checked() {
        let parse = |t: &str| Config::parse(&format!("title = \"x\"\n[newsletter]\n{t}\n"));
        let ok = parse("action = \"HTTPS://lists.example.org/join\"\nmethod = \"GET\"").unwrap();
        let n = ok.newsletter.unwrap();
        assert_eq!(
            (n.method.as_str(), n.email_field.as_str()),
            ("get", "email")
        );
        for bad in [
            "action = \"ftp://lists.example.org/\"",
            "action = \"https://lists.example.org/\"\nmethod = \"put\"",
            "action = \"https://lists.example.org/\"\nemail_field = \"e mail\"",
            "action = \"https://lists.example.org/a b\"",
        ] {
            let errs = parse(bad).unwrap_err();
            assert_eq!(errs[0].code, Code::Config, "{bad}");
            assert!(errs[0].span.is_some(), "{bad}: {:?}", errs[0]);
        }
        assert!(
            Config::parse("title = \"x\"\n")
                .unwrap()
                .newsletter
                .is_none()
        );
    }

    #[test]
    fn unknown_key_suggests_the_right_one() {
        let errs = Config::parse("title = \"x\"\nbase_ulr = \"/\"\n").unwrap_err();
        assert_eq!(errs[0].code, Code::UnknownField);
        assert!(
            errs[0].help.as_deref().unwrap().contains("base_url"),
            "{:?}",
            errs[0]
        );
    }
}
