//! RENDER: the linked [`Site`] -> HTML pages, through Tera templates.
//!
//! Takes the linked site, the [`Plan`] (settings, base URL, TLP level) and the [`Routes`];
//! gives a [`Renderer`] whose [`Renderer::render_page`] turns one page of the routes into
//! HTML. Writing is the output stage's job: it asks for pages one at a time, in parallel.
//!
//! Invariants: templates are compiled once, the theme embedded in the binary first, then
//! the site's own `templates/` on top, by file name; every URL in a view is a route joined
//! to the plan's base URL, so templates never build URLs; no more than a page per thread is
//! held in memory; bodies are read from their files again here (see the load stage),
//! rendered, and dropped. Only published entities are seen.
//!
//! Modules by job: `pages` dispatches a page, `entity` builds entity pages, `listings` the
//! listings, home, timeline, tags and countries, `paginate` their paginators and `cards`
//! the small views they share; `maps` and `charts` turn published entities into the plain
//! data that [`crate::draw`] draws, and `figures` holds the views of those pictures.

pub mod body_words;
mod cards;
mod charts;
mod entity;
mod feed;
mod figures;
mod html_text;
mod labels;
mod listings;
mod maps;
mod meta;
mod pages;
mod paginate;
pub mod relations;
mod story;
mod targets;
mod text;
mod timeline;
pub mod view;
pub mod words;

pub use charts::{MONTHLY_UP_TO, RECENT_MONTHS, STATEMENT_WINDOW_DAYS};
pub use feed::{FeedLinkView, feed_title};
pub use labels::{Labels, check_labels, direction, spell_out};
pub use listings::{HOME_LATEST, TIMELINE_INLINE_LIMIT, taxonomy_order};
pub use paginate::{PAGINATION_ALL_UP_TO, PAGINATION_WINDOW};

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::AtomicU64;

use include_dir::{Dir, include_dir};
use tera::{Context, Tera};

use crate::diag::{Code, Diagnostic, Diagnostics, display_path};
use crate::link::Site;
use crate::markdown::MarkdownOptions;
use crate::model::{CountryCode, EntityId, Kind};
use crate::plan::Plan;
use crate::routes::{self, Routes};
use crate::source::{Skip, WalkError, escapes_root, read_source, walk};

/// The default theme, embedded at compile time.
pub static THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// The folder of a site's template overrides.
pub const TEMPLATES_DIR: &str = "templates";

/// Compiled templates plus the theme's static assets.
pub struct Theme {
    /// The Tera instance.
    pub tera: Tera,
    /// Theme assets copied to the output root (`style.css`, `search.js`, ...): every
    /// theme file that is not a template, the site's own version winning.
    pub assets: Vec<(String, String)>,
    /// Every template: name, text, and the site file it came from (None: embedded).
    pub sources: Vec<(String, String, Option<PathBuf>)>,
}

/// Compile the embedded theme with the site's overrides on top.
pub fn load_theme(root: &Path, diags: &Diagnostics) -> Option<Theme> {
    let mut sources: Vec<(String, String, Option<PathBuf>)> = Vec::new();
    embedded_sources(&THEME, &mut sources);
    let site_dir = root.join(TEMPLATES_DIR);
    if let Some(target) = escapes_root(root, &site_dir) {
        diags.push(crate::load::path_escape(Path::new(TEMPLATES_DIR), &target));
        return None;
    }
    if site_dir.is_dir() {
        let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let within = site_dir.canonicalize().unwrap_or_else(|_| site_dir.clone());
        for found in walk(&site_dir, &within, Skip::Hidden) {
            let found = match found {
                Ok(f) => f,
                Err(e) => {
                    diags.push(walk_diagnostic(&site_dir, &real_root, e));
                    continue;
                }
            };
            let Ok(rel) = found.path.strip_prefix(&site_dir) else {
                continue;
            };
            let name = rel.to_string_lossy().replace('\\', "/");
            let file = Path::new(TEMPLATES_DIR).join(rel);
            if !is_template(&name) && !sources.iter().any(|(n, _, _)| n == &name) {
                diags.push(not_published(file));
                continue;
            }
            match read_source(&found.path) {
                Ok(text) => {
                    sources.retain(|(n, _, _)| n != &name);
                    sources.push((name, text, Some(file)));
                }
                Err(e) => diags.push(
                    Diagnostic::error(Code::Read, format!("cannot read the template: {e}"))
                        .in_file(file)
                        .help("templates must be UTF-8 text"),
                ),
            }
        }
    }
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    // For `feeds/feed.json`, which is not escaped as HTML: a value as JSON.
    tera.register_filter(
        "json",
        |v: tera::Value, _: tera::Kwargs, _: &tera::State| {
            serde_json::to_string(&v).unwrap_or_else(|_| "null".to_string())
        },
    );
    let mut ok = true;
    let templates: Vec<(&str, &str)> = sources
        .iter()
        .filter(|(n, _, _)| is_template(n))
        .map(|(n, t, _)| (n.as_str(), t.as_str()))
        .collect();
    if let Err(e) = tera.add_raw_templates(templates) {
        ok = false;
        diags.push(template_diagnostic(&e, &sources));
    }
    let assets = sources
        .iter()
        .filter(|(n, _, _)| !(is_template(n) || n.ends_with(".md")))
        .map(|(n, t, _)| (n.clone(), t.clone()))
        .collect();
    ok.then_some(Theme {
        tera,
        assets,
        sources,
    })
}

/// A problem of the walk of `templates/` as a diagnostic. Links are followed only to files
/// inside `templates/`: a theme asset such as `style.css` is published, so a link must not
/// carry another file of the site (a TLP:RED page) into the output.
fn walk_diagnostic(site_dir: &Path, real_root: &Path, e: WalkError) -> Diagnostic {
    let shown = |p: &Path| Path::new(TEMPLATES_DIR).join(p.strip_prefix(site_dir).unwrap_or(p));
    match e {
        WalkError::Unreadable { error, .. } => Diagnostic::error(
            Code::Read,
            format!("cannot read the templates folder: {error}"),
        )
        .in_file(TEMPLATES_DIR)
        .help("check the permissions of `templates/`"),
        WalkError::LinkToFolder { path } => Diagnostic::warning(
            Code::SymlinkDir,
            "symbolic links to folders are not followed",
        )
        .in_file(shown(&path))
        .help("move the files into `templates/` or link each file"),
        WalkError::LinkOutside { path, target } => {
            let message = match target.strip_prefix(real_root) {
                Ok(rel) => format!(
                    "symbolic link leads out of `templates/`, to `{}`; only files inside `templates/` are used",
                    display_path(rel)
                ),
                Err(_) => format!(
                    "symbolic link points outside the site, to `{}`",
                    display_path(&target)
                ),
            };
            Diagnostic::error(Code::PathEscape, message)
                .in_file(shown(&path))
                .help("copy the file into `templates/` instead of linking to it")
        }
        WalkError::BrokenLink { path, error } => {
            Diagnostic::error(Code::Read, format!("broken symbolic link: {error}"))
                .in_file(shown(&path))
                .help("remove the link or point it at a file inside `templates/`")
        }
    }
}

/// Whether a file of `templates/` is a template (the others are theme assets).
/// Every file of the embedded theme, sub-folders (`feeds/`) included.
fn embedded_sources(dir: &Dir<'static>, out: &mut Vec<(String, String, Option<PathBuf>)>) {
    for file in dir.files() {
        let name = file.path().to_string_lossy().replace('\\', "/");
        if let Some(text) = file.contents_utf8() {
            out.push((name, text.to_string(), None));
        }
    }
    for sub in dir.dirs() {
        embedded_sources(sub, out);
    }
}

/// Whether a file of `templates/` is a template (the others are theme assets): HTML and
/// XML files, and everything under `feeds/` (`feeds/feed.json`).
fn is_template(name: &str) -> bool {
    name.ends_with(".html") || name.ends_with(".xml") || name.starts_with("feeds/")
}

/// A file of `templates/` that is neither a template nor replaces a theme asset: it is not
/// published (issue 9: `NOTES.txt` must not reach the output).
fn not_published(file: PathBuf) -> Diagnostic {
    Diagnostic::note(
        Code::NotPublished,
        "not a template nor a theme file of the same name; it is not published",
    )
    .in_file(file)
    .help("files to publish as they are belong in `static/`")
}

/// A Tera error as a diagnostic pointing into the template file.
pub fn template_diagnostic(
    e: &tera::Error,
    sources: &[(String, String, Option<PathBuf>)],
) -> Diagnostic {
    let report = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    let mut message = match report {
        Some(r) => r.message().to_string(),
        None => e.to_string(),
    };
    let mut src: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(inner) = src {
        message.push_str(&format!(": {inner}"));
        src = inner.source();
    }
    let message = message.trim().trim_end_matches('.').to_string();
    let mut d = Diagnostic::error(Code::Template, format!("template error: {message}"))
        .help("fix the template; `docs/templates.md` lists the variables each template receives");
    if let Some(r) = report {
        let name = r.filename();
        let file = sources
            .iter()
            .find(|(n, _, _)| n == name)
            .and_then(|(_, _, f)| f.clone());
        match file {
            Some(f) => {
                d = d
                    .in_file(f)
                    .at_line(r.span().start_line, r.span().start_col + 1);
            }
            None if !name.is_empty() => {
                d.message = format!(
                    "{} (in the built-in template `{name}`, line {})",
                    d.message,
                    r.span().start_line
                );
            }
            None => {}
        }
    }
    d
}

/// How many entity cards are kept for reuse. A card is listed on a dozen pages on average
/// (listings, timeline, tags, countries, groups, related incidents), so keeping it saves
/// about a fifth of the render time, but each takes some 5 KB: beyond this many, cards are
/// made again for every page (entities are in kind order, so incidents, the most listed,
/// come first). This keeps a 200,000-incident site under 4 GiB (issue 5).
pub const CARD_CACHE_LIMIT: usize = 100_000;

/// What the render threads measured, summed over threads.
#[derive(Debug, Default)]
pub struct RenderStats {
    /// Nanoseconds spent reading bodies again and rendering their Markdown (including
    /// code highlighting).
    pub markdown_ns: AtomicU64,
    /// Nanoseconds spent gathering and drawing the maps and charts (issue 13).
    pub pictures_ns: AtomicU64,
}

/// Everything the page renderers share.
pub struct Renderer<'a> {
    /// Templates.
    pub theme: &'a Theme,
    /// Linked site.
    pub site: &'a Site,
    /// Settings, base URL and publish policy.
    pub plan: &'a Plan,
    /// Every page's path.
    pub routes: &'a Routes<'a>,
    /// Context values shared by all pages.
    pub site_view: view::SiteView,
    /// Markdown options.
    pub markdown: MarkdownOptions,
    /// Counters for `--timings`, updated by the render threads.
    pub stats: RenderStats,
    /// Labels for readers of vocabulary values and tags (`[labels]`).
    pub labels: Labels,
    /// Rendered bodies kept between builds, if this build uses them (see [`Renderer::with_cache`]).
    cache: Option<&'a crate::cache::Cache>,
    /// Hashes of the published slugs ([`crate::cache::slug_hash`]), made on first use.
    slug_hashes: OnceLock<std::collections::HashSet<u128>>,
    /// `site_view` as a template value, made on first use (after `site_view` is final).
    site_value: OnceLock<tera::Value>,
    /// The cards of the first [`CARD_CACHE_LIMIT`] entities, made on first use and shared by
    /// every page listing them.
    cards: Vec<OnceLock<view::Card>>,
    /// The words of each entity's body for the search index, by entity, kept as its page
    /// renders it ([`Renderer::index_words`]).
    index_words: Vec<OnceLock<body_words::BodyWords>>,
    /// Bodies rendered for feeds with full content, by entity, made on first use.
    feed_bodies: OnceLock<Vec<OnceLock<String>>>,
    /// The entities of each tag, in page order, sorted on first use.
    tag_order: HashMap<String, OnceLock<Vec<EntityId>>>,
    /// The entities of each country, in page order, sorted on first use.
    country_order: HashMap<CountryCode, OnceLock<Vec<EntityId>>>,
}

impl<'a> Renderer<'a> {
    /// Prepare rendering of `site`, built with `plan`, at `routes`.
    pub fn new(theme: &'a Theme, site: &'a Site, plan: &'a Plan, routes: &'a Routes<'a>) -> Self {
        let config = &plan.config;
        let base = plan.base_url.as_str().to_string();
        let mut nav = vec![view::NavItem {
            title: "Home".into(),
            url: base.clone(),
            key: "home".into(),
        }];
        for (key, title, path) in [
            ("incidents", "Incidents", routes::section(Kind::Incident)),
            ("groups", "Groups", routes::section(Kind::Group)),
            ("actors", "Actors", routes::section(Kind::Actor)),
            ("statements", "Statements", routes::section(Kind::Statement)),
            ("timeline", "Timeline", routes::TIMELINE.to_string()),
            ("countries", "Countries", routes::COUNTRIES.to_string()),
            ("map", "Map", routes::MAP.to_string()),
            ("tags", "Tags", routes::TAGS.to_string()),
            ("search", "Search", routes::SEARCH.to_string()),
        ] {
            nav.push(view::NavItem {
                title: title.into(),
                url: plan.base_url.join(&path),
                key: key.into(),
            });
        }
        let site_view = view::SiteView {
            title: config.title.clone(),
            description: config.description.clone(),
            base_url: base.clone(),
            language: config.language.clone(),
            dir: direction(&config.language),
            feed_url: plan
                .base_url
                .is_absolute()
                .then(|| plan.base_url.join(routes::ATOM)),
            json_feed_url: plan
                .base_url
                .is_absolute()
                .then(|| plan.base_url.join(routes::JSON_FEED)),
            indexable: plan.robots() == crate::config::Robots::Allow,
            extra: config.extra.clone(),
            syntax_css_url: plan.base_url.join(routes::SYNTAX_CSS),
            nav,
            tlp: plan.publish.tlp.as_str().to_string(),
            newsletter: config.newsletter.clone(),
        };
        Renderer {
            theme,
            site,
            plan,
            routes,
            site_view,
            markdown: MarkdownOptions {
                unsafe_raw_html: config.markdown.unsafe_raw_html,
                smart_punctuation: config.markdown.smart_punctuation,
                highlight_code: config.markdown.highlight_code,
                allow_remote_images: config.markdown.allow_remote_images,
            },
            stats: RenderStats::default(),
            labels: Labels::new(config),
            cache: None,
            slug_hashes: OnceLock::new(),
            site_value: OnceLock::new(),
            feed_bodies: OnceLock::new(),
            index_words: (0..site.entities.len()).map(|_| OnceLock::new()).collect(),
            cards: (0..site.entities.len().min(CARD_CACHE_LIMIT))
                .map(|_| OnceLock::new())
                .collect(),
            tag_order: site
                .tags
                .keys()
                .map(|k| (k.clone(), OnceLock::new()))
                .collect(),
            country_order: site
                .countries
                .keys()
                .map(|&k| (k, OnceLock::new()))
                .collect(),
        }
    }

    /// Take entity bodies from `cache` and keep them there (issue 16).
    pub fn with_cache(mut self, cache: Option<&'a crate::cache::Cache>) -> Self {
        self.cache = cache;
        self
    }

    /// Whether `hash` is the [`crate::cache::slug_hash`] of a published entity's slug.
    pub(crate) fn published_slug_hash(&self, hash: u128) -> bool {
        self.slug_hashes
            .get_or_init(|| {
                self.site
                    .by_slug
                    .keys()
                    .map(|s| crate::cache::slug_hash(s.as_str()))
                    .collect()
            })
            .contains(&hash)
    }

    /// Absolute URL of a site-relative path.
    pub fn url(&self, path: &str) -> String {
        self.plan.base_url.join(path)
    }

    /// Render `template` with the shared values plus `ctx`; errors become diagnostics.
    pub fn render(
        &self,
        template: &str,
        current: &str,
        page_path: &str,
        mut ctx: Context,
    ) -> Result<String, Diagnostic> {
        let site = self
            .site_value
            .get_or_init(|| tera::Value::from_serializable(&self.site_view));
        ctx.insert_value("site", site.clone());
        ctx.insert("current", current);
        ctx.insert("page_url", &self.url(page_path));
        if let Some(feed) = self.feed_link(page_path) {
            ctx.insert("feed", &feed);
        }
        self.theme.tera.render(template, &ctx).map_err(|e| {
            let mut d = template_diagnostic(&e, &self.theme.sources);
            d.message = format!("{} (rendering `{page_path}`)", d.message);
            d
        })
    }
}
