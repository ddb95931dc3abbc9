//! One content file -> [`Document`]: read it, split off the frontmatter, parse it into the
//! kind's typed fields, validate them and scan the body for wikilinks.

use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::Instant;

use serde::de::DeserializeOwned;

use super::serde_errors::{serde_diagnostic, strip_location, yaml_limit, yaml_type_mismatch};
use super::split::{Format, SplitError, split_frontmatter};
use super::validate::{check_country, locate_refs, validate_common, validate_data, value_span};
use super::{CONTENT_DIR, Document, Fingerprint, INTRO_FILE, LoadStats, MAX_FRONTMATTER_BYTES};
use crate::diag::{Code, Diagnostic, Diagnostics, Span};
use crate::markdown::scan_wikilinks;
use crate::model::front::{
    ActorFront, CheckCountry, GroupFront, IncidentFront, Lower, Lowered, PageFront, StatementFront,
};
use crate::model::{Kind, Slug, slugify};
use crate::source::{ReadError, read_source};

pub(super) fn load_document(
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
                    Code::NotUtf8,
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
                Diagnostic::error(Code::Limit, ReadError::TooLarge.to_string())
                    .in_file(rel)
                    .help("split the text into several pages"),
            );
            return None;
        }
        Err(e) => {
            diags.push(
                Diagnostic::error(Code::Read, format!("cannot read the file: {e}"))
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
                Diagnostic::error(Code::Frontmatter, msg)
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
                Code::Limit,
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
    let mut problems = Vec::new();
    // Country codes are validated once, here, into `CountryCode`s.
    let mut country = |code| check_country(code, front, shift, &mut problems);
    let format = split.format;
    let parsed = match kind {
        Kind::Incident => parse_front::<IncidentFront>(front, format, &mut country),
        Kind::Group => parse_front::<GroupFront>(front, format, &mut country),
        Kind::Actor => parse_front::<ActorFront>(front, format, &mut country),
        Kind::Statement => parse_front::<StatementFront>(front, format, &mut country),
        Kind::Page => parse_front::<PageFront>(front, format, &mut country),
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
    // Slug: the `slug` field or the file stem.
    let stem = rel
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    let (slug, slug_span) = match lowered.slug.take() {
        Some(s) => {
            let span = value_span(front, lowered.spans.slug).map(|sp| sp.shifted(shift));
            (s, span)
        }
        None => (stem.clone(), None),
    };
    let parsed_slug = match Slug::parse(&slug) {
        Ok(s) => Some(s),
        Err(_) if is_intro => Slug::parse("index").ok(),
        Err(why) => {
            invalid_slug(&slug, slug_span, &why, &mut problems);
            None
        }
    };
    validate_common(
        &mut lowered.common,
        &lowered.spans,
        front,
        shift,
        &mut problems,
    );
    locate_refs(&mut lowered.data, front, shift);
    validate_data(
        &mut lowered.data,
        &lowered.spans,
        front,
        shift,
        &mut problems,
    );
    let body = &text[split.body..];
    let wikilinks = if body.contains("[[") {
        scan_wikilinks(body, split.body)
    } else {
        Vec::new()
    };
    let failed = problems.iter().any(Diagnostic::is_error);
    diags.extend(problems.into_iter().map(|d| d.in_file(rel)));
    let slug = match parsed_slug {
        Some(slug) if !failed => slug,
        _ => return None,
    };
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

/// The error of a file name or `slug:` that is not a valid slug, with the one suggested.
fn invalid_slug(slug: &str, slug_span: Option<Span>, why: &str, problems: &mut Vec<Diagnostic>) {
    let suggestion = slugify(slug).unwrap_or_else(|| "incident-name".to_string());
    let help = if slug_span.is_some() {
        format!("use `slug: {suggestion}`")
    } else {
        format!("rename the file to `{suggestion}.md` or set `slug: {suggestion}`")
    };
    problems.push(
        Diagnostic::error(Code::InvalidSlug, format!("invalid slug `{slug}`: {why}"))
            .at_opt(slug_span.or(Some(Span::new(0, 3))))
            .help(help),
    );
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

/// Parse frontmatter text and lower it, turning country codes with `country`; on error,
/// the message and a span relative to `front`.
pub(super) fn parse_front<T>(
    front: &str,
    format: Format,
    country: &mut CheckCountry<'_>,
) -> Result<Lowered, (String, Option<Span>)>
where
    T: DeserializeOwned + Lower,
{
    match format {
        Format::Yaml => {
            // An empty YAML document is null; treat it as an empty map so that the
            // missing `title` is what gets reported.
            let src = if front.trim().is_empty() { "{}" } else { front };
            serde_saphyr::from_str_with_options::<T>(src, yaml_options())
                .map(|t| t.lower(country))
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
        Format::Toml => toml::from_str::<T>(front)
            .map(|t| t.lower(country))
            .map_err(|e| {
                let span = e.span().map(|r| Span::new(r.start, r.end - r.start));
                (e.message().to_string(), span)
            }),
    }
}

/// Deepest nesting of YAML collections in frontmatter.
pub(super) const YAML_MAX_DEPTH: usize = 32;
/// Most YAML values (scalars, lists, maps) in one frontmatter.
pub(super) const YAML_MAX_NODES: usize = 50_000;

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
