//! LOAD: walk `content/`, read each file, split and parse its frontmatter into typed data,
//! and collect the `[[wikilinks]]` of its body.
//!
//! Invariants: every file is read once here and its body is not kept (the render stage reads
//! it again when it needs it, so memory stays flat on large sites, but only through
//! [`reread_body`], which refuses a file whose text is not the one judged here); every problem becomes a
//! [`Diagnostic`] with a span into the file and loading goes on with the next file.

pub mod locate;
pub mod reread;
pub mod split;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use rayon::prelude::*;
use serde::de::DeserializeOwned;

pub use locate::{locate_key, locate_value};
pub use reread::{Fingerprint, reread_body};
use split::{Format, SplitError, split_frontmatter};

use crate::diag::{Diagnostic, Diagnostics, Span, did_you_mean};
use crate::markdown::{WikiLink, scan_wikilinks};
use crate::model::front::{
    ActorFront, COMMON_FIELDS, GroupFront, IncidentFront, Lowered, PageFront, StatementFront,
};
use crate::model::{Common, Data, Kind, RefSlug, Slug, country, slugify};
use crate::source::{ReadError, Skip, WalkError, escapes_root, read_source, walk};

/// The folder holding the content, under the site root.
pub const CONTENT_DIR: &str = "content";
/// The home page introduction, under `content/`.
pub const INTRO_FILE: &str = "_index.md";

/// A content file parsed up to its frontmatter.
#[derive(Debug, Clone)]
pub struct Document {
    /// Kind, from the folder.
    pub kind: Kind,
    /// Slug as given (file stem or `slug` field); valid unless an error was reported.
    pub slug: String,
    /// Where the `slug` field stands, if the slug came from it.
    pub slug_span: Option<Span>,
    /// Path relative to the site root.
    pub file: PathBuf,
    /// Common fields.
    pub common: Common,
    /// Per-kind data with references as written.
    pub data: Data<RefSlug>,
    /// Description (pages and the intro).
    pub description: Option<String>,
    /// Byte offset of the body in the normalised file.
    pub body_offset: usize,
    /// Fingerprint of the normalised file: the body may only be read again through
    /// [`reread_body`] with it.
    pub fingerprint: Fingerprint,
    /// `[[wikilinks]]` in the body.
    pub wikilinks: Vec<WikiLink>,
}

/// What the load stage produces.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Every document that parsed, sorted by kind then slug (for determinism).
    pub documents: Vec<Document>,
    /// `content/_index.md`, if present and valid.
    pub intro: Option<Document>,
    /// Number of content files seen.
    pub files_seen: usize,
    /// Slugs (file stems) and kinds of files that exist but failed to load; their errors
    /// are reported already, so references to them are not reported as unknown too.
    pub failed: Vec<(String, Kind)>,
}

/// Largest frontmatter (1 MiB): fields are short, long text belongs in the body.
pub const MAX_FRONTMATTER_BYTES: usize = 1 << 20;

/// Counters of the load stage, updated by its threads as they go (for `--timings` and
/// progress bars).
#[derive(Debug, Default)]
pub struct LoadStats {
    /// Markdown files found by the walk.
    pub total: AtomicU64,
    /// Files loaded so far.
    pub done: AtomicU64,
    /// Bytes read.
    pub bytes: AtomicU64,
    /// Nanoseconds spent reading files, summed over threads.
    pub read_ns: AtomicU64,
}

/// Walk `content/` under `root` and load every Markdown file in parallel.
pub fn load_site(root: &Path, diags: &Diagnostics) -> Loaded {
    load_site_with(root, diags, &LoadStats::default(), &|_| {})
}

/// [`load_site`], counting into `stats` and calling `on_file` with `stats` after each file.
pub fn load_site_with(
    root: &Path,
    diags: &Diagnostics,
    stats: &LoadStats,
    on_file: &(dyn Fn(&LoadStats) + Sync),
) -> Loaded {
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(
                "E-no-content",
                format!("no `{CONTENT_DIR}/` folder in the site"),
            )
            .help("create `content/incidents/`, `content/groups/`, ... (or run `briefing init`)"),
        );
        return Loaded::default();
    }
    if let Some(target) = escapes_root(root, &content) {
        diags.push(path_escape(Path::new(CONTENT_DIR), &target));
        return Loaded::default();
    }
    let files = walk_content(root, &content, diags);
    let files_seen = files.len();
    stats.total.store(files_seen as u64, Ordering::Relaxed);
    let results: Vec<Option<Document>> = files
        .par_iter()
        .map(|(rel, kind)| {
            let doc = load_document(root, rel, *kind, diags, stats);
            stats.done.fetch_add(1, Ordering::Relaxed);
            on_file(stats);
            doc
        })
        .collect();
    let mut intro = None;
    let mut documents = Vec::with_capacity(results.len());
    let mut failed = Vec::new();
    for (doc, (rel, kind)) in results.into_iter().zip(&files) {
        let Some(doc) = doc else {
            if let Some(stem) = rel.file_stem().and_then(|s| s.to_str()) {
                failed.push((stem.to_string(), *kind));
            }
            continue;
        };
        if rel == &Path::new(CONTENT_DIR).join(INTRO_FILE) {
            intro = Some(doc);
        } else {
            documents.push(doc);
        }
    }
    documents.sort_by(|a, b| (a.kind, &a.slug, &a.file).cmp(&(b.kind, &b.slug, &b.file)));
    Loaded {
        documents,
        intro,
        files_seen,
        failed,
    }
}

/// The error for `shown` (relative to the root) leading outside the site, to `target`.
pub fn path_escape(shown: &Path, target: &Path) -> Diagnostic {
    Diagnostic::error(
        "E-path-escape",
        format!(
            "symbolic link points outside the site, to `{}`",
            target.display()
        ),
    )
    .in_file(shown)
    .help("copy the files into the site instead of linking to them")
}

/// Every Markdown file of `content/`, sorted, with the kind of its folder. `_index.md` is
/// returned with kind `Page`. Walk errors and symlinks leaving the site are reported.
fn walk_content(root: &Path, content: &Path, diags: &Diagnostics) -> Vec<(PathBuf, Kind)> {
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut files = Vec::new();
    for found in walk(content, &canonical_root, Skip::Hidden) {
        let found = match found {
            Ok(f) => f,
            Err(e) => {
                diags.push(walk_diagnostic(root, e));
                continue;
            }
        };
        let path = found.path.as_path();
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        if path.extension().and_then(|e| e.to_str()) != Some("md") {
            continue;
        }
        let inner = path.strip_prefix(content).unwrap_or(path);
        let mut comps = inner.components();
        let first = comps.next().and_then(|c| c.as_os_str().to_str());
        let nested = comps.next().is_some();
        match (first, nested) {
            (Some(INTRO_FILE), false) => files.push((rel.to_path_buf(), Kind::Page)),
            (Some(dir), true) if Kind::from_dir(dir).is_some() => {
                files.push((rel.to_path_buf(), Kind::from_dir(dir).unwrap_or(Kind::Page)));
            }
            _ => diags.push(
                Diagnostic::warning(
                    "W-unknown-folder",
                    "this file is not in a content folder and is ignored",
                )
                .in_file(rel)
                .help("move it into one of `content/incidents/`, `groups/`, `actors/`, `statements/` or `pages/`"),
            ),
        }
    }
    files
}

/// A problem of the walk of `content/` as a diagnostic on the entry, relative to `root`.
fn walk_diagnostic(root: &Path, e: WalkError) -> Diagnostic {
    let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    match e {
        WalkError::Unreadable { path, error } => {
            let path = path.and_then(|p| p.strip_prefix(root).ok().map(Path::to_path_buf));
            let mut d =
                Diagnostic::error("E-read", format!("cannot read a content entry: {error}"))
                    .help("check the permissions of the file or folder");
            if let Some(p) = path {
                d = d.in_file(p);
            }
            d
        }
        WalkError::LinkToFolder { path } => Diagnostic::warning(
            "W-symlink-dir",
            "symbolic links to folders are not followed",
        )
        .in_file(rel(&path))
        .help("move the files into `content/` or link each file"),
        WalkError::LinkOutside { path, target } => Diagnostic::error(
            "E-path-escape",
            format!(
                "symbolic link points outside the site, to `{}`",
                target.display()
            ),
        )
        .in_file(rel(&path))
        .help("copy the file into the site instead of linking to it"),
        WalkError::BrokenLink { path, error } => {
            Diagnostic::error("E-read", format!("broken symbolic link: {error}"))
                .in_file(rel(&path))
                .help("remove the link or point it at a file inside the site")
        }
    }
}

fn load_document(
    root: &Path,
    rel: &Path,
    kind: Kind,
    diags: &Diagnostics,
    stats: &LoadStats,
) -> Option<Document> {
    let started = Instant::now();
    let read = read_source(&root.join(rel));
    let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
    stats.read_ns.fetch_add(nanos, Ordering::Relaxed);
    if let Ok(text) = &read {
        stats.bytes.fetch_add(text.len() as u64, Ordering::Relaxed);
    }
    let text = match read {
        Ok(t) => t,
        Err(ReadError::NotUtf8 { offset, line }) => {
            diags.push(
                Diagnostic::error(
                    "E-not-utf8",
                    format!("the file is not valid UTF-8 (first bad byte at byte {offset})"),
                )
                .in_file(rel)
                .at_line(line, 1)
                .help("save the file as UTF-8"),
            );
            return None;
        }
        Err(ReadError::TooLarge) => {
            diags.push(
                Diagnostic::error("E-limit", ReadError::TooLarge.to_string())
                    .in_file(rel)
                    .help("split the text into several pages"),
            );
            return None;
        }
        Err(e) => {
            diags.push(
                Diagnostic::error("E-read", format!("cannot read the file: {e}"))
                    .in_file(rel)
                    .help("check that the file exists and is readable"),
            );
            return None;
        }
    };
    parse_document(rel, kind, &text, diags)
}

/// Parse one content file's text (as [`read_source`] returns it) into a [`Document`] of
/// `kind`, exactly as the load stage does, without touching the file system: for tools and
/// fuzzing. `file` is the path relative to the site root; it gives the slug and tells
/// `content/_index.md` apart. Diagnostics come with lines and columns from `text`.
pub fn parse_document_text(
    kind: Kind,
    file: &Path,
    text: &str,
) -> (Option<Document>, Vec<Diagnostic>) {
    let diags = Diagnostics::new();
    let doc = parse_document(file, kind, text, &diags);
    let mut items = diags.into_vec();
    for d in &mut items {
        if let Some(span) = d.span {
            let (line, column) = crate::diag::line_column(text, span.offset);
            d.line = Some(line);
            d.column = Some(column);
        }
    }
    (doc, items)
}

fn parse_document(rel: &Path, kind: Kind, text: &str, diags: &Diagnostics) -> Option<Document> {
    let split = match split_frontmatter(text) {
        Ok(s) => s,
        Err(e) => {
            let (msg, help, span) = match e {
                SplitError::Empty => (
                    "the file is empty".to_string(),
                    "start the file with frontmatter: `---`, `title: ...`, `---`",
                    Span::new(0, 0),
                ),
                SplitError::Missing => (
                    "the file has no frontmatter".to_string(),
                    "start the file with a `---` line, the fields in YAML, and another `---` line (or `+++` and TOML)",
                    Span::new(0, text.find('\n').unwrap_or(text.len())),
                ),
                SplitError::Unterminated(fence) => (
                    format!("the frontmatter opened by `{fence}` is never closed"),
                    "add a line with only the closing fence after the last field",
                    Span::new(0, 3),
                ),
            };
            diags.push(
                Diagnostic::error("E-frontmatter", msg)
                    .in_file(rel)
                    .at(span)
                    .help(help),
            );
            return None;
        }
    };
    if split.front.len() > MAX_FRONTMATTER_BYTES {
        diags.push(
            Diagnostic::error(
                "E-limit",
                format!(
                    "the frontmatter is larger than {} KiB",
                    MAX_FRONTMATTER_BYTES >> 10
                ),
            )
            .in_file(rel)
            .at(Span::new(0, 3))
            .help("keep fields short and move long text into the body, below the frontmatter"),
        );
        return None;
    }
    let front = &text[split.front.clone()];
    let shift = split.front.start;
    let is_intro = rel.file_name().and_then(|n| n.to_str()) == Some(INTRO_FILE)
        && rel.parent() == Some(Path::new(CONTENT_DIR));
    let parsed = match (kind, is_intro) {
        (Kind::Incident, _) => parse_front::<IncidentFront>(front, split.format),
        (Kind::Group, _) => parse_front::<GroupFront>(front, split.format),
        (Kind::Actor, _) => parse_front::<ActorFront>(front, split.format),
        (Kind::Statement, _) => parse_front::<StatementFront>(front, split.format),
        (Kind::Page, _) => parse_front::<PageFront>(front, split.format),
    };
    let mut lowered = match parsed {
        Ok(l) => l,
        Err((message, span)) => {
            // A missing field has no place of its own (parsers point at whatever key came
            // last): point at the opening fence of the frontmatter that lacks it.
            let span = span
                .map(|s| s.shifted(shift))
                .filter(|_| !message.starts_with("missing field"))
                .or(Some(Span::new(0, 3)));
            let mut d = serde_diagnostic(&message, span, front, kind_fields(kind)).in_file(rel);
            d.span = d.span.map(|s| within_line(text, s));
            diags.push(d);
            return None;
        }
    };
    let mut problems = Vec::new();
    // Slug: the `slug` field or the file stem.
    let stem = rel
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    let (slug, slug_span) = match lowered.slug.take() {
        Some(s) => {
            let span = locate_value(front, "slug", &s).map(|sp| sp.shifted(shift));
            (s, span)
        }
        None => (stem.clone(), None),
    };
    if !is_intro && let Err(why) = Slug::parse(&slug) {
        let suggestion = slugify(&slug).unwrap_or_else(|| "incident-name".to_string());
        let help = if slug_span.is_some() {
            format!("use `slug: {suggestion}`")
        } else {
            format!("rename the file to `{suggestion}.md` or set `slug: {suggestion}`")
        };
        problems.push(
            Diagnostic::error("E-invalid-slug", format!("invalid slug `{slug}`: {why}"))
                .at_opt(slug_span.or(Some(Span::new(0, 3))))
                .help(help),
        );
    }
    validate_common(&mut lowered.common, front, shift, &mut problems);
    locate_refs(&mut lowered.data, front, shift);
    validate_data(&mut lowered.data, front, shift, &mut problems);
    let body = &text[split.body..];
    let wikilinks = if body.contains("[[") {
        scan_wikilinks(body, split.body)
    } else {
        Vec::new()
    };
    let failed = problems.iter().any(Diagnostic::is_error);
    diags.extend(problems.into_iter().map(|d| d.in_file(rel)));
    if failed {
        return None;
    }
    Some(Document {
        kind,
        slug,
        slug_span,
        file: rel.to_path_buf(),
        common: lowered.common,
        data: lowered.data,
        description: lowered.description,
        body_offset: split.body,
        fingerprint: Fingerprint::of(text),
        wikilinks,
    })
}

/// `span` cut at the end of its line (and of the text), on a character boundary. A parsed
/// value can be longer than its source (`"\L"` is one character of three bytes), so a span
/// sized from the value could run past the text: found by fuzzing (issue 4).
fn within_line(text: &str, span: Span) -> Span {
    let start = span.offset.min(text.len());
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let mut end = (start + span.len).min(line_end);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut start = start.min(end);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    Span::new(start, end - start)
}

/// Field names of a kind, for did-you-mean hints on unknown fields.
fn kind_fields(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Incident => &[
            "date",
            "end_date",
            "location",
            "casualties",
            "attack_types",
            "targets",
            "perpetrators",
            "status",
        ],
        Kind::Group => &[
            "short_name",
            "aliases",
            "parent",
            "founded",
            "regions",
            "ideology",
            "status",
        ],
        Kind::Actor => &["kind", "country", "role", "affiliation"],
        Kind::Statement => &[
            "date",
            "speaker",
            "via",
            "incident",
            "about",
            "stance",
            "quote",
            "verification",
            "source",
        ],
        Kind::Page => &["description"],
    }
}

/// Parse frontmatter text; on error, the message and a span relative to `front`.
fn parse_front<T>(front: &str, format: Format) -> Result<Lowered, (String, Option<Span>)>
where
    T: DeserializeOwned + Into<Lowered>,
{
    match format {
        Format::Yaml => {
            // An empty YAML document is null; treat it as an empty map so that the
            // missing `title` is what gets reported.
            let src = if front.trim().is_empty() { "{}" } else { front };
            serde_saphyr::from_str_with_options::<T>(src, yaml_options())
                .map(Into::into)
                .map_err(|e| {
                    let span = e.location().and_then(|loc| {
                        let (l, c) = (loc.line() as usize, loc.column() as usize);
                        (l > 0).then(|| Span::new(crate::diag::offset_of(front, l, c), 0))
                    });
                    let message = yaml_limit(&e)
                        .or_else(|| yaml_type_mismatch(&e, front, span))
                        .unwrap_or_else(|| {
                            strip_location(&e.render_with_options(serde_saphyr::render_options! {
                                snippets: serde_saphyr::SnippetMode::Off,
                            }))
                        });
                    (message, span)
                })
        }
        Format::Toml => toml::from_str::<T>(front).map(Into::into).map_err(|e| {
            let span = e.span().map(|r| Span::new(r.start, r.end - r.start));
            (e.message().to_string(), span)
        }),
    }
}

/// Deepest nesting of YAML collections in frontmatter.
const YAML_MAX_DEPTH: usize = 32;
/// Most YAML values (scalars, lists, maps) in one frontmatter.
const YAML_MAX_NODES: usize = 50_000;

/// YAML limits for frontmatter, far above what an author writes and far below what would
/// exhaust the stack or memory: nesting depth, values, aliases (a "billion laughs" alias
/// bomb expands into nodes and is stopped by the node limit), one document.
fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: YAML_MAX_DEPTH,
            flow_nesting_limit: YAML_MAX_DEPTH,
            max_nodes: YAML_MAX_NODES,
            max_events: 4 * YAML_MAX_NODES,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_documents: 1,
        },
    }
}

/// A breached YAML budget, in an author's words (the breach itself is Debug text).
/// The message starts with "limit exceeded" so it gets the `E-limit` code.
fn yaml_limit(e: &serde_saphyr::Error) -> Option<String> {
    use serde_saphyr::Error;
    use serde_saphyr::budget::BudgetBreach;
    let mut e = e;
    while let Error::WithSnippet { error, .. } | Error::AliasError { error, .. } = e {
        e = error;
    }
    let breach = match e {
        Error::Budget { breach, .. } => breach,
        Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. } => {
            return Some(
                "limit exceeded: the frontmatter uses too many anchors or aliases (`&name`, `*name`)"
                    .to_string(),
            );
        }
        _ => return None,
    };
    let what = match breach {
        BudgetBreach::Depth { .. } => {
            format!("values are nested more than {YAML_MAX_DEPTH} levels deep")
        }
        BudgetBreach::Nodes { .. } | BudgetBreach::Events { .. } => {
            format!(
                "the frontmatter holds more than {YAML_MAX_NODES} values (aliases count as what they expand to)"
            )
        }
        BudgetBreach::Aliases { .. }
        | BudgetBreach::Anchors { .. }
        | BudgetBreach::AliasAnchorRatio { .. } => {
            "the frontmatter uses too many anchors or aliases (`&name`, `*name`)".to_string()
        }
        BudgetBreach::Documents { .. } => {
            "the frontmatter holds more than one YAML document".to_string()
        }
        _ => "the frontmatter is too large or too complex".to_string(),
    };
    Some(format!("limit exceeded: {what}"))
}

/// serde-saphyr reports a value of the wrong type in parser terms (`invalid u64`,
/// `expected sequence start`); say it as a type mismatch, quoting the value as written,
/// so it gets the wrong-type code and hint.
fn yaml_type_mismatch(e: &serde_saphyr::Error, front: &str, span: Option<Span>) -> Option<String> {
    let mut e = e;
    while let serde_saphyr::Error::WithSnippet { error, .. } = e {
        e = error;
    }
    let expected = match e {
        serde_saphyr::Error::InvalidScalar { ty, .. } => *ty,
        serde_saphyr::Error::Unexpected { expected, .. } => {
            let expected = match *expected {
                "string scalar" | "str expected" => "a single value, not a list or fields",
                "sequence start" => "a sequence",
                "mapping start" => "a map",
                "bool expected" => "a boolean",
                _ => return None,
            };
            return Some(format!("invalid type: expected {expected}"));
        }
        _ => return None,
    };
    let found = span
        .and_then(|s| front.get(s.offset..))
        .and_then(|rest| rest.split(['\n', ',', ']', '}', '#']).next())
        .map(str::trim)
        .filter(|v| !v.is_empty());
    Some(match found {
        Some(v) => format!("invalid type: `{v}`, expected {expected}"),
        None => format!("invalid type: expected {expected}"),
    })
}

/// Rust type names in serde messages, in the words of the content model.
fn plain_type_names(message: &str) -> String {
    let Some((head, expected)) = message.rsplit_once("expected ") else {
        return message.to_string();
    };
    let plain = match expected.trim() {
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number (0 or more)",
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number",
        "f32" | "f64" => "a number",
        "a boolean" | "boolean" | "bool" => "`true` or `false`",
        "a string" => "text",
        "a sequence" => "a list, e.g. `[a, b]`",
        "a map" => "`key: value` fields on the lines below, indented",
        _ => return message.to_string(),
    };
    format!("{head}expected {plain}")
}

/// Drop the ` at line X column Y` suffix serde-saphyr adds to plain messages.
fn strip_location(msg: &str) -> String {
    let first = msg.lines().next().unwrap_or(msg).trim();
    match first.rfind(" at line ") {
        Some(i) => first[..i].to_string(),
        None => first.to_string(),
    }
}

/// Turn a serde error message into a diagnostic with a stable code and a hint.
/// `fields` are the known names of a content kind, for did-you-mean on unknown fields;
/// empty for `briefing.toml`, which has no `extra:` and is not frontmatter.
pub fn serde_diagnostic(
    message: &str,
    span: Option<Span>,
    _front: &str,
    fields: &[&str],
) -> Diagnostic {
    let content = !fields.is_empty();
    let message = message.trim().trim_end_matches('.');
    let ticked: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    // serde quotes every expected name (`a`, `b`); serde-saphyr lists them bare (a, b).
    let listed: Vec<&str> = message
        .split_once("expected one of ")
        .map(|(_, list)| {
            list.split(", ")
                .map(|s| s.trim().trim_matches('`'))
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if let Some(rest) = message.strip_prefix("unknown field") {
        let name = ticked.first().copied().unwrap_or(rest.trim());
        let mut expected = listed;
        if expected.is_empty() {
            expected = COMMON_FIELDS.iter().chain(fields).copied().collect();
        }
        let extra = if content {
            "; custom data goes under `extra:`"
        } else {
            ""
        };
        let help = match did_you_mean(name, expected.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?{}", extra.trim_start_matches(';')),
            None => format!("known fields: {}{extra}", expected.join(", ")),
        };
        let label = if content {
            "not a field of this kind"
        } else {
            "not a setting"
        };
        return Diagnostic::error("E-unknown-field", format!("unknown field `{name}`"))
            .at_opt(span)
            .label(label)
            .help(help);
    }
    if message.starts_with("unknown variant") {
        let value = ticked.first().copied().unwrap_or("");
        let expected = listed;
        let help = match did_you_mean(value, expected.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("use one of: {}", expected.join(", ")),
        };
        let span = span.map(|s| Span::new(s.offset, value.len().max(s.len)));
        return Diagnostic::error("E-unknown-value", format!("unknown value `{value}`"))
            .at_opt(span)
            .help(help);
    }
    if message.starts_with("missing field") {
        let name = ticked.first().copied().unwrap_or("");
        let example = match name {
            "title" => "title: A short, specific title",
            "date" => "date: 2024-03-22",
            "speaker" => "speaker: <actor or group slug>",
            "stance" => "stance: claims",
            "kind" => "kind: state",
            "status" => "status: confirmed",
            _ => "",
        };
        let help = if !content {
            format!("add `{name} = ...` to `briefing.toml`")
        } else if example.is_empty() {
            format!("add `{name}` to the frontmatter")
        } else {
            format!("add `{example}` to the frontmatter")
        };
        return Diagnostic::error(
            "E-missing-field",
            format!("missing required field `{name}`"),
        )
        .at_opt(span)
        .help(help);
    }
    if message.starts_with("invalid date") {
        return Diagnostic::error("E-invalid-date", message.to_string())
            .at_opt(span)
            .help("use `2015`, `2015-06`, `2015-06-21` or an RFC 3339 date-time such as `2015-06-21T21:30:00+03:00`");
    }
    if message.starts_with("invalid type") || message.starts_with("invalid value") {
        return Diagnostic::error("E-wrong-type", plain_type_names(message))
            .at_opt(span)
            .help("check the field's type in the content model: text, number, list or date");
    }
    if message.starts_with("duplicate") {
        // serde-saphyr: "duplicate mapping key: title, set DuplicateKeyPolicy in Options
        // if acceptable"; the advice is for programmers, not authors.
        let name = ticked.first().copied().or_else(|| {
            message
                .strip_prefix("duplicate mapping key: ")
                .and_then(|rest| rest.split(',').next())
        });
        let message = match name {
            Some(n) => format!("field `{}` is given twice", n.trim()),
            None => "a field is given twice".to_string(),
        };
        return Diagnostic::error("E-duplicate-field", message)
            .at_opt(span)
            .help("keep one of the two");
    }
    // YAML budgets (see `yaml_limit`) and the parsers' own recursion limits.
    if message.starts_with("limit exceeded")
        || message.contains("recursion limit")
        || message.contains("max recursion depth")
    {
        let message = message
            .strip_prefix("limit exceeded: ")
            .unwrap_or("values are nested too deeply");
        return Diagnostic::error("E-limit", message.to_string())
            .at_opt(span)
            .help("frontmatter holds short fields; flatten nested values and move long text into the body");
    }
    if message.contains("mapping values are not allowed") {
        return Diagnostic::error("E-syntax", message.to_string())
            .at_opt(span)
            .help("`: ` inside a value starts a new field; put the whole value in quotes");
    }
    Diagnostic::error("E-syntax", message.to_string())
        .at_opt(span)
        .help("check the quoting, brackets, indentation and the `key: value` (YAML) or `key = value` (TOML) form around this place")
}

fn validate_common(common: &mut Common, front: &str, shift: usize, out: &mut Vec<Diagnostic>) {
    if common.title.trim().is_empty() {
        out.push(
            Diagnostic::error("E-empty-field", "`title` is empty")
                .at_opt(locate_key(front, "title").map(|s| s.shifted(shift)))
                .help("give the entity a short, specific title"),
        );
    }
    for tag in &common.tags {
        if slugify(tag).is_none() {
            out.push(
                Diagnostic::error(
                    "E-invalid-tag",
                    format!("tag `{tag}` has no letters or digits"),
                )
                .at_opt(locate_value(front, "tags", tag).map(|s| s.shifted(shift)))
                .help("use words such as `mass-shooting`"),
            );
        }
    }
    for source in &mut common.sources {
        check_url(source.url.as_deref(), "sources", front, shift, out);
        source.url_span = locate_url(source, front, shift);
    }
}

/// URLs in sources must be http(s) or site-relative, as a browser reads them: `\` is a
/// slash, so `/\evil.example/` is another site (issue 9).
pub fn url_is_allowed(url: &str) -> bool {
    let lower = crate::markdown::as_browser_reads(url).to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || (lower.starts_with('/') && !lower.starts_with("//"))
}

/// Where the URL of a source is in the file.
fn locate_url(source: &crate::model::Source, front: &str, shift: usize) -> Option<Span> {
    let url = source.url.as_deref()?;
    locate_value(front, "url", url).map(|s| s.shifted(shift))
}

fn check_url(url: Option<&str>, key: &str, front: &str, shift: usize, out: &mut Vec<Diagnostic>) {
    let Some(url) = url else { return };
    if !url_is_allowed(url) || url.chars().any(char::is_control) {
        // Control characters are shown escaped, never sent to the terminal as they are.
        let shown: String = url
            .chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect();
        out.push(
            Diagnostic::error(
                "E-invalid-url",
                format!("URL `{shown}` is not an http(s) or site-relative URL"),
            )
            .at_opt(locate_value(front, key, url).map(|s| s.shifted(shift)))
            .help("use a full `https://...` address, or a path on this site starting with `/`"),
        );
    }
}

fn check_country(
    code: &mut String,
    key: &str,
    front: &str,
    shift: usize,
    out: &mut Vec<Diagnostic>,
) {
    let upper = code.trim().to_ascii_uppercase();
    if country::country_name(&upper).is_some() {
        *code = upper;
        return;
    }
    let similar = country::similar_codes(&upper);
    let help = if similar.is_empty() {
        "use an ISO 3166-1 alpha-2 code such as `RU` or `AF`".to_string()
    } else {
        format!(
            "use an ISO 3166-1 alpha-2 code; did you mean {}?",
            similar
                .iter()
                .map(|c| format!("`{c}` ({})", country::country_name(c).unwrap_or(c)))
                .collect::<Vec<_>>()
                .join(" or ")
        )
    };
    out.push(
        Diagnostic::error(
            "E-unknown-country",
            format!("unknown country code `{code}`"),
        )
        .at_opt(locate_value(front, key, code).map(|s| s.shifted(shift)))
        .help(help),
    );
}

fn locate_refs(data: &mut Data<RefSlug>, front: &str, shift: usize) {
    let set = |key: &str, r: &mut RefSlug| {
        r.span = locate_value(front, key, &r.slug).map(|s| s.shifted(shift));
    };
    match data {
        Data::Incident(i) => i
            .perpetrators
            .iter_mut()
            .for_each(|r| set("perpetrators", r)),
        Data::Group(g) => g.parent.iter_mut().for_each(|r| set("parent", r)),
        Data::Actor(a) => a.affiliation.iter_mut().for_each(|r| set("affiliation", r)),
        Data::Statement(s) => {
            s.speaker.iter_mut().for_each(|r| set("speaker", r));
            s.via.iter_mut().for_each(|r| set("via", r));
            s.incident.iter_mut().for_each(|r| set("incident", r));
            s.about.iter_mut().for_each(|r| set("about", r));
        }
        Data::Page => {}
    }
}

fn validate_data(data: &mut Data<RefSlug>, front: &str, shift: usize, out: &mut Vec<Diagnostic>) {
    match data {
        Data::Incident(i) => {
            if let Some(loc) = &mut i.location {
                if let Some(c) = &mut loc.country {
                    check_country(c, "country", front, shift, out);
                }
                if let Some([lat, lon]) = loc.coordinates
                    && !((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon))
                {
                    out.push(
                        Diagnostic::error(
                            "E-invalid-value",
                            format!("coordinates [{lat}, {lon}] are not on Earth"),
                        )
                        .at_opt(locate_key(front, "coordinates").map(|s| s.shifted(shift)))
                        .help("write `[latitude, longitude]` in decimal degrees, latitude first"),
                    );
                }
            }
            if let Some(end) = &i.end_date
                && i.date.is_after(end)
            {
                out.push(
                    Diagnostic::error(
                        "E-invalid-value",
                        format!("`end_date` {end} is before `date` {}", i.date),
                    )
                    .at_opt(locate_key(front, "end_date").map(|s| s.shifted(shift)))
                    .help("swap the two dates or correct one of them"),
                );
            }
        }
        Data::Group(g) => {
            for r in &mut g.regions {
                check_country(r, "regions", front, shift, out);
            }
        }
        Data::Actor(a) => {
            if let Some(c) = &mut a.country {
                check_country(c, "country", front, shift, out);
            }
        }
        Data::Statement(s) => {
            if let Some(src) = &mut s.source {
                check_url(src.url.as_deref(), "source", front, shift, out);
                src.url_span = locate_url(src, front, shift);
            }
        }
        Data::Page => {}
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn source_urls_read_backslashes_as_slashes() {
        for bad in [
            "/\\evil.example/",
            "\\\\evil.example/",
            "/\t/evil.example/",
            " //x.org/",
        ] {
            assert!(!super::url_is_allowed(bad), "{bad:?}");
        }
        for good in ["/incidents/x/", " https://x.org/", "HTTP://x.org"] {
            assert!(super::url_is_allowed(good), "{good:?}");
        }
    }
}
