//! CHECK: everything a build verifies, without touching the output folder, plus the
//! rendered site's own links (see [`links`]).
//!
//! Takes [`BuildOptions`], resolved once into a [`Plan`] shared with the build; gives a
//! [`CheckReport`]. The site is built exactly as `build` would build it, into a scratch
//! folder that is removed afterwards, so `check` judges the very files a deploy would publish (theme
//! assets, `static/`, feeds) and never disturbs the real output. A broken link is traced
//! back to where an author can fix it: the Markdown or frontmatter of the page's own file,
//! else a template override under `templates/`, else only the page is named.

pub mod external;
pub mod links;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::build::{BuildOptions, build_with_plan};
use crate::diag::{Code, Diagnostic, Diagnostics, Severity, Span, did_you_mean};
use crate::load::{CONTENT_DIR, INTRO_FILE, load_site};
use crate::plan::Plan;
use crate::render::TEMPLATES_DIR;
use crate::routes;
use crate::source::{Skip, read_source, walk};
use external::{ExternalOptions, check_external};
use links::{Base, BrokenLink, OutputIndex, Problem, broken_links};

/// What a check found.
#[derive(Debug)]
pub struct CheckReport {
    /// Every diagnostic of the build and of the link check, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Content files seen.
    pub files: usize,
    /// Published entities.
    pub entities: usize,
    /// Withheld entities.
    pub withheld: usize,
    /// HTML pages whose links were checked (0 when the build failed).
    pub pages: usize,
    /// Internal links checked.
    pub links: usize,
    /// Outbound URLs checked with `--external` (`None` without), and how many of them were
    /// answered from the cache.
    pub external: Option<(usize, usize)>,
}

impl CheckReport {
    /// Number of diagnostics of this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// Whether the site passes: no errors, and no warnings either if they are denied.
    pub fn passes(&self, deny_warnings: bool) -> bool {
        self.count(Severity::Error) == 0 && !(deny_warnings && self.count(Severity::Warning) > 0)
    }
}

/// Check the site of `opts` (its `output` is ignored: nothing is written there).
pub fn check_site(opts: &BuildOptions) -> CheckReport {
    check_site_with(opts, None)
}

/// [`check_site`], and with `external` the outbound URLs of the published site too (see
/// [`external`]); only when the site builds.
pub fn check_site_with(opts: &BuildOptions, external: Option<&ExternalOptions>) -> CheckReport {
    let mut report = CheckReport {
        diagnostics: Vec::new(),
        files: 0,
        entities: 0,
        withheld: 0,
        pages: 0,
        links: 0,
        external: None,
    };
    // Private (0700): with `--tlp red` it holds the whole red site. Registered, so SIGINT
    // and SIGTERM remove it too (issue 9).
    let mut builder = tempfile::Builder::new();
    builder.prefix("briefing-check-");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
    let registered = crate::output::scratch::Registered::create(
        || builder.tempdir(),
        |dir| dir.path().to_path_buf(),
    );
    let (_registered, scratch) = match registered {
        Ok(s) => s,
        Err(e) => {
            report.diagnostics.push(
                Diagnostic::error(
                    Code::Write,
                    format!("cannot create a scratch folder to check the site in: {e}"),
                )
                .help("check the permissions and free space of the temporary folder (TMPDIR)"),
            );
            return report;
        }
    };
    let out = scratch.path().join("site");
    let diags = Diagnostics::new();
    let Some(plan) = Plan::resolve(&opts.root, &opts.overrides(), &diags) else {
        report.diagnostics = diags.finish(&opts.root);
        return report;
    };
    let built = build_with_plan(
        &plan,
        &BuildOptions {
            output: Some(out.clone()),
            ..opts.clone()
        },
        diags,
    );
    report.diagnostics = built.diagnostics;
    report.files = built.files;
    report.entities = built.entities;
    report.withheld = built.withheld;
    if !built.success {
        return report;
    }

    let base_url = &plan.base_url;
    if !base_url.is_absolute() {
        let warning = Diagnostic::warning(
            Code::RelativeBaseUrl,
            format!(
                "`base_url` is the path `{base_url}`, so the site has no feeds and no sitemap: both need absolute URLs"
            ),
        )
        .help("set `base_url` to the published address, e.g. `base_url = \"https://example.org/briefings/\"`, or build with `--base-url`");
        report.diagnostics.push(match plan.base_url_file() {
            Some(file) => warning.in_file(file),
            None => warning,
        });
    }
    let base = Base::new(base_url.as_str());
    let index = match OutputIndex::read(&out) {
        Ok(i) => i,
        Err(e) => {
            report.diagnostics.push(
                Diagnostic::error(
                    Code::Read,
                    format!("cannot read the checked site back: {e}"),
                )
                .help("check the permissions and free space of the temporary folder (TMPDIR)"),
            );
            return report;
        }
    };
    let (broken, checked) = broken_links(&index, &base);
    report.pages = index.pages.len();
    report.links = checked;
    if broken.is_empty() && external.is_none() {
        return report;
    }
    if !broken.is_empty() {
        let diags = Diagnostics::new();
        let sources = Sources::read(&opts.root);
        diags.extend(link_diagnostics(&broken, &index, &base, &sources));
        report.diagnostics.extend(diags.finish(&opts.root));
    }
    if let Some(external) = external {
        let found = check_external(&plan, external);
        report.external = Some((found.urls, found.cached));
        report.diagnostics.extend(found.diagnostics);
    }
    report.diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.code, &b.message))
    });
    report
}

/// The files a broken link may come from.
struct Sources {
    /// Output page -> content file of the entity (or home introduction) rendered on it.
    by_page: HashMap<String, PathBuf>,
    /// Site template overrides: file and text.
    templates: Vec<(PathBuf, String)>,
    /// Texts of content files, read on demand.
    texts: std::cell::RefCell<HashMap<PathBuf, Option<String>>>,
    root: PathBuf,
}

impl Sources {
    /// Only called when links are broken, so a clean check does not load twice.
    fn read(root: &Path) -> Sources {
        let loaded = load_site(root, &Diagnostics::new());
        let mut by_page: HashMap<String, PathBuf> = loaded
            .documents
            .into_iter()
            .map(|d| {
                (
                    routes::file_of(&routes::entity(d.kind, d.slug.as_str())),
                    d.file,
                )
            })
            .collect();
        if loaded.intro.is_some() {
            by_page.insert(routes::file_of(""), Path::new(CONTENT_DIR).join(INTRO_FILE));
        }
        let mut templates = Vec::new();
        let dir = root.join(TEMPLATES_DIR);
        if dir.is_dir() {
            // Only to point diagnostics at template text: the build reported the walk's
            // problems already, so they are passed over here.
            let within = dir.canonicalize().unwrap_or_else(|_| dir.clone());
            for found in walk(&dir, &within, Skip::Hidden).filter_map(Result::ok) {
                let Ok(rel) = found.path.strip_prefix(root) else {
                    continue;
                };
                if let Ok(text) = read_source(&found.path) {
                    templates.push((rel.to_path_buf(), text));
                }
            }
        }
        Sources {
            by_page,
            templates,
            texts: Default::default(),
            root: root.to_path_buf(),
        }
    }

    /// Where in the page's own file `needles` first occur, trying them in order.
    fn in_content(&self, page: &str, needles: &[Needle]) -> Option<(PathBuf, Span)> {
        let file = self.by_page.get(page)?;
        let mut texts = self.texts.borrow_mut();
        let text = texts
            .entry(file.clone())
            .or_insert_with(|| read_source(&self.root.join(file)).ok())
            .as_deref()?;
        needles
            .iter()
            .find_map(|n| n.find(text))
            .map(|span| (file.clone(), span))
    }

    /// Where in the site's template overrides `needles` first occur.
    fn in_templates(&self, needles: &[Needle]) -> Option<(PathBuf, Span)> {
        needles.iter().find_map(|n| {
            self.templates
                .iter()
                .find_map(|(file, text)| n.find(text).map(|span| (file.clone(), span)))
        })
    }
}

/// Text to look for: `text`, underlining `skip..` of it, not followed by a word character.
struct Needle {
    text: String,
    skip: usize,
}

impl Needle {
    fn new(text: impl Into<String>, skip: usize) -> Needle {
        Needle {
            text: text.into(),
            skip,
        }
    }

    fn find(&self, haystack: &str) -> Option<Span> {
        if self.text.len() <= self.skip {
            return None;
        }
        let word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
        let mut from = 0;
        while let Some(i) = haystack.get(from..)?.find(&self.text) {
            let at = from + i;
            let end = at + self.text.len();
            if !haystack[end..].chars().next().is_some_and(word) {
                return Some(Span::new(at + self.skip, self.text.len() - self.skip));
            }
            from = end;
        }
        None
    }
}

/// One diagnostic per broken link and place it comes from; a link broken on many pages
/// (a template) is reported once, with the count.
fn link_diagnostics(
    broken: &[BrokenLink],
    index: &OutputIndex,
    base: &Base,
    sources: &Sources,
) -> Vec<Diagnostic> {
    type Place = Option<(PathBuf, Span)>;
    type Key = (Option<(PathBuf, usize)>, String);
    let mut groups: BTreeMap<Key, (Place, Vec<&BrokenLink>)> = BTreeMap::new();
    for b in broken {
        let place = locate(b, base, sources);
        let key = (
            place.as_ref().map(|(f, s)| (f.clone(), s.offset)),
            b.href.clone(),
        );
        groups
            .entry(key)
            .or_insert_with(|| (place, Vec::new()))
            .1
            .push(b);
    }
    groups
        .into_values()
        .map(|(place, links)| {
            let first = links[0];
            let pages = match links.len() {
                1 => format!("on `{}`", shown(&first.page)),
                n => format!("on `{}` and {} more pages", shown(&first.page), n - 1),
            };
            let in_template = place
                .as_ref()
                .is_some_and(|(f, _)| f.starts_with(TEMPLATES_DIR));
            let mut d = match &first.problem {
                Problem::NoTarget { path } => {
                    let wanted = format!("/{path}");
                    let help = match similar_path(path, index) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None if in_template => "fix the URL in the template; URLs from the context (`{{ entity.url }}`, `{{ site.base_url }}`) always lead to a page".to_string(),
                        None => "link to a page that exists; `[[slug]]` links always lead to the right page".to_string(),
                    };
                    Diagnostic::error(
                        Code::BrokenLink,
                        format!(
                            "broken link `{}`: no page or file of the site is at `{wanted}` ({pages})",
                            first.href
                        ),
                    )
                    .help(help)
                }
                Problem::NoFragment { file, fragment } => {
                    let ids = index.pages.get(file).map(|p| &p.ids);
                    let suggestion = ids.and_then(|ids| {
                        did_you_mean(fragment, ids.iter().map(String::as_str))
                    });
                    let help = match suggestion {
                        Some(s) => format!("did you mean `#{s}`?"),
                        None => "headings get their id from their text (`## Who claimed it` -> `#who-claimed-it`), or set one with `## Title {#id}`".to_string(),
                    };
                    Diagnostic::error(
                        Code::BrokenFragment,
                        format!(
                            "broken link `{}`: `{}` has no element with id `{fragment}` ({pages})",
                            first.href,
                            shown(file)
                        ),
                    )
                    .help(help)
                }
            };
            if let Some((file, span)) = place {
                d = d.in_file(file).at(span).label("broken link");
            }
            d
        })
        .collect()
}

/// The page or file beside `path` (in the same folder) whose name is closest to its name.
fn similar_path(path: &str, index: &OutputIndex) -> Option<String> {
    let split = |p: &str| -> (String, String) {
        let p = p.trim_end_matches('/');
        match p.rsplit_once('/') {
            Some((parent, name)) => (parent.to_string(), name.to_string()),
            None => (String::new(), p.to_string()),
        }
    };
    let (parent, name) = split(path);
    let mut siblings: Vec<(String, String)> = index
        .files
        .iter()
        .filter_map(|f| {
            let page = f.strip_suffix("index.html");
            let (p, n) = split(page.unwrap_or(f));
            (p == parent && !n.is_empty()).then(|| {
                let shown = match page {
                    Some(dir) => format!("/{dir}"),
                    None => format!("/{f}"),
                };
                (n, shown)
            })
        })
        .collect();
    siblings.sort();
    siblings.dedup();
    let best = did_you_mean(&name, siblings.iter().map(|(n, _)| n.as_str()))?;
    siblings
        .iter()
        .find(|(n, _)| n == best)
        .map(|(_, shown)| shown.clone())
}

/// An output file as a site path: `incidents/x/index.html` -> `/incidents/x/`.
fn shown(file: &str) -> String {
    format!("/{}", routes::path_of_file(file))
}

/// Where a broken link was written: the page's own file first, then template overrides.
fn locate(b: &BrokenLink, base: &Base, sources: &Sources) -> Option<(PathBuf, Span)> {
    let href = b.href.as_str();
    let decoded = links::percent_decode(href).into_owned();
    // For a missing fragment, underline only `#fragment`.
    let fragment_only = matches!(b.problem, Problem::NoFragment { .. });
    let focus = |text: &str| match text.rfind('#') {
        Some(i) if fragment_only => i,
        _ => 0,
    };
    let needle = |prefix: &str, text: &str| {
        Needle::new(format!("{prefix}{text}"), prefix.len() + focus(text))
    };
    let mut content = vec![
        needle("](", href),
        needle("](", &decoded),
        needle("]: ", href),
    ];
    if let Problem::NoFragment { file, fragment } = &b.problem {
        // `[[slug#fragment]]`: the slug is the target page's last folder.
        let dir = file.strip_suffix("/index.html").unwrap_or(file);
        let slug = dir.rsplit('/').next().unwrap_or(dir);
        content.push(needle("[[", &format!("{slug}#{fragment}")));
    }
    content.push(needle("", href));
    content.push(needle("", &decoded));
    if let Some(place) = sources.in_content(&b.page, &content) {
        return Some(place);
    }
    let mut templates = vec![needle("", href)];
    if let Some(rest) = links::strip_base(href, base).filter(|r| r.len() > 1) {
        templates.push(needle("", rest));
    }
    if let Problem::NoFragment { fragment, .. } = &b.problem {
        templates.push(Needle::new(format!("#{fragment}"), 0));
    }
    sources.in_templates(&templates)
}
