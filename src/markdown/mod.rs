//! PARSE: Markdown bodies -> HTML, and the `[[wikilinks]]` they contain.
//!
//! Takes a body's text and [`MarkdownOptions`]; gives [`Rendered`] HTML with its table of
//! contents ([`TocEntry`]) and problems, or the wikilinks of a body for the load stage.
//! Owns everything below the page templates that turns text into HTML: code highlighting
//! ([`highlight`]), heading anchors and HTML escaping ([`escape_attr`], [`escape_text`]).
//! Imports only `diag` and `model`: render and every stage above depend on it, never the
//! reverse.
//!
//! One set of pulldown-cmark options serves both [`scan_wikilinks`] (load stage: which
//! entities a body mentions, with spans) and [`render_markdown`] (render stage), so the two
//! always agree on what is a link and what is code.
//!
//! Safety invariants: link and image URLs are http(s), mailto, or site-relative (anything
//! else is reported and neutralised); raw HTML is sanitised with ammonia unless the site
//! opted into `unsafe_raw_html`.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::diag::{Code, Diagnostic, Span};

mod escape;
pub mod highlight;
mod html_limits;
mod images;
mod outbound;
mod raw_links;
mod urls;

pub use escape::{escape_attr, escape_text};
pub use html_limits::MAX_NESTING;
use html_limits::{RawTextWatch, nesting_beyond, unclosed_problem};
use images::ImageAs;
pub use images::{is_remote_url, origin_of};
pub use outbound::{Outbound, is_outbound, outbound_links};
use urls::checked_url;
pub use urls::{as_browser_reads, is_protocol_relative, link_url_is_safe};

/// A `[[target#fragment|text]]` link in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WikiLink {
    /// Slug of the target.
    pub target: String,
    /// Fragment after `#`, if any.
    pub fragment: Option<String>,
    /// Display text after `|`, if any.
    pub text: Option<String>,
    /// Where in the file.
    pub span: Span,
}

/// A heading of the body, for a table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    /// Heading level 1..6.
    pub level: u8,
    /// Anchor id.
    pub id: String,
    /// Heading text.
    pub title: String,
}

/// What a wikilink target resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// Absolute URL of the target page.
    pub url: String,
    /// Title of the target.
    pub title: String,
}

/// What the links of a body lead to on this site.
pub trait Targets {
    /// The page of a wikilink's target, if it is published.
    fn resolve(&self, slug: &str) -> Option<Resolved>;

    /// Why a written link or image URL must be left out of this build (it leads to a page
    /// this build does not publish), or `None` to keep it. The diagnostic has no place yet.
    fn unpublished(&self, _url: &str) -> Option<Diagnostic> {
        None
    }

    /// Whether an image at `url` would be loaded from another host than the site's.
    fn is_remote(&self, url: &str) -> bool {
        is_remote_url(url, None)
    }
}

impl<F: Fn(&str) -> Option<Resolved>> Targets for F {
    fn resolve(&self, slug: &str) -> Option<Resolved> {
        self(slug)
    }
}

/// Markdown settings for one render.
#[derive(Debug, Clone, Copy)]
pub struct MarkdownOptions {
    /// Keep raw HTML unsanitised.
    pub unsafe_raw_html: bool,
    /// Typographic punctuation.
    pub smart_punctuation: bool,
    /// Highlight fenced code with a language.
    pub highlight_code: bool,
    /// Load images from other hosts instead of showing them as links.
    pub allow_remote_images: bool,
}

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// Sanitised HTML.
    pub html: String,
    /// Headings.
    pub toc: Vec<TocEntry>,
    /// Problems found (bad URLs), with spans relative to the file.
    pub problems: Vec<Diagnostic>,
}

pub(super) fn parser_options(smart_punctuation: bool) -> Options {
    let mut o = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS;
    if smart_punctuation {
        o |= Options::ENABLE_SMART_PUNCTUATION;
    }
    o
}

fn split_target(dest: &str) -> (String, Option<String>) {
    match dest.split_once('#') {
        Some((t, f)) => (t.trim().to_string(), Some(f.trim().to_string())),
        None => (dest.trim().to_string(), None),
    }
}

/// Every wikilink of `body`; `offset` is where the body starts in its file.
pub fn scan_wikilinks(body: &str, offset: usize) -> Vec<WikiLink> {
    let mut out = Vec::new();
    let mut current: Option<(WikiLink, bool)> = None;
    for (event, range) in Parser::new_ext(body, parser_options(false)).into_offset_iter() {
        match event {
            // `![[slug]]` (an embed, in Obsidian's syntax) is a link like `[[slug]]`.
            Event::Start(
                Tag::Link {
                    link_type: LinkType::WikiLink { has_pothole },
                    dest_url,
                    ..
                }
                | Tag::Image {
                    link_type: LinkType::WikiLink { has_pothole },
                    dest_url,
                    ..
                },
            ) => {
                let (target, fragment) = split_target(&dest_url);
                current = Some((
                    WikiLink {
                        target,
                        fragment,
                        text: has_pothole.then(String::new),
                        span: Span::new(offset + range.start, range.len()),
                    },
                    has_pothole,
                ));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((link, true)) = &mut current
                    && let Some(text) = &mut link.text
                {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some((link, _)) = current.take() {
                    out.push(link);
                }
            }
            _ => {}
        }
    }
    out
}

/// Render `body` (starting at `offset` in its file) to HTML, resolving wikilinks with
/// `targets`; an unresolved wikilink renders as its own text, or as nothing when it has
/// none, and so does a written link that `targets` finds unpublished.
pub fn render_markdown(
    body: &str,
    offset: usize,
    opts: MarkdownOptions,
    targets: &dyn Targets,
) -> Rendered {
    let mut problems = Vec::new();
    let mut events: Vec<Event> = Vec::new();
    let mut has_raw_html = false;
    let mut raw_text = RawTextWatch::default();
    // Where raw HTML is in the body, to place what is wrong with its links.
    let mut raw_ranges: Vec<std::ops::Range<usize>> = Vec::new();
    // An open code block: its language, its text, and where it starts in the file.
    let mut code: Option<(String, String, usize)> = None;
    // For each open link: whether to drop its tags, and whether to replace its text.
    let mut links: Vec<(bool, Option<String>)> = Vec::new();
    // For each open image: what became of it.
    let mut images: Vec<ImageAs> = Vec::new();
    // Element nesting of the Markdown structure, counted as `nesting_beyond` counts HTML.
    let (mut depth, mut deepest) = (0usize, 0usize);
    for (event, range) in
        Parser::new_ext(body, parser_options(opts.smart_punctuation)).into_offset_iter()
    {
        match &event {
            Event::Start(tag) if nests(tag.to_end()) => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            Event::End(end) if nests(*end) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if let Some((_, buf, _)) = &mut code {
            match event {
                Event::Text(t) => buf.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, text, at) = code.take().unwrap_or_default();
                    let mut highlight = opts.highlight_code;
                    if highlight
                        && highlight::can_highlight(&lang)
                        && let Some(why) = highlight::too_big_to_highlight(&text)
                    {
                        highlight = false;
                        problems.push(
                            Diagnostic::note(
                                Code::Highlight,
                                format!("{why}; it is shown as plain text"),
                            )
                            .at(Span::new(at, 3))
                            .help(
                                "split the block, or leave its language out to silence this note",
                            ),
                        );
                    }
                    events.push(Event::Html(
                        highlight::code_block(&text, &lang, highlight).into(),
                    ));
                }
                _ => {}
            }
            continue;
        }
        let event_tag_end = match &event {
            Event::Start(tag) => Some(tag.to_end()),
            _ => None,
        };
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new(), offset + range.start));
            }
            // `![[slug]]` (an embed, in Obsidian's syntax) is a link like `[[slug]]`, and is
            // withheld like it: an image would ship the slug as its `src` (issue 9).
            Event::Start(
                Tag::Link {
                    link_type: LinkType::WikiLink { has_pothole },
                    dest_url,
                    title,
                    id,
                }
                | Tag::Image {
                    link_type: LinkType::WikiLink { has_pothole },
                    dest_url,
                    title,
                    id,
                },
            ) => {
                if matches!(event_tag_end, Some(TagEnd::Image)) {
                    images.push(ImageAs::Link);
                }
                let (target, fragment) = split_target(&dest_url);
                match targets.resolve(&target) {
                    Some(r) => {
                        let url = match fragment {
                            Some(f) if !f.is_empty() => format!("{}#{f}", r.url),
                            _ => r.url,
                        };
                        links.push((false, (!has_pothole).then_some(r.title)));
                        events.push(Event::Start(Tag::Link {
                            link_type: LinkType::WikiLink { has_pothole },
                            dest_url: url.into(),
                            title,
                            id,
                        }));
                    }
                    None => links.push((true, (!has_pothole).then(String::new))),
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let at = url_span(body, &range, &dest_url, offset);
                let dest_url = checked_url(
                    dest_url,
                    "link",
                    offset + range.start,
                    range.len(),
                    &mut problems,
                );
                // A link to a page this build does not publish keeps its text only.
                if let Some(d) = targets.unpublished(&dest_url) {
                    problems.push(d.at(at));
                    links.push((true, None));
                    continue;
                }
                links.push((false, None));
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let at = url_span(body, &range, &dest_url, offset);
                let dest_url = checked_url(
                    dest_url,
                    "image",
                    offset + range.start,
                    range.len(),
                    &mut problems,
                );
                // An image from a page this build does not publish is left out; its alt
                // text is kept as text.
                if let Some(d) = targets.unpublished(&dest_url) {
                    problems.push(d.at(at));
                    images.push(ImageAs::Dropped);
                    continue;
                }
                if targets.is_remote(&dest_url) && !opts.allow_remote_images {
                    let open = !links.iter().any(|(drop, _)| !drop);
                    let (ev, pr) = (&mut events, &mut problems);
                    images.push(images::open_remote(&dest_url, at, open, ev, pr));
                    continue;
                }
                images.push(ImageAs::Image(at, events.len() + 1, dest_url.to_string()));
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Image) => match images.pop() {
                Some(i @ (ImageAs::Image(..) | ImageAs::Remote(..))) => {
                    images::close(i, &mut events, &mut problems);
                }
                None => events.push(Event::End(TagEnd::Image)),
                Some(ImageAs::Dropped) => {}
                Some(ImageAs::Link) => {
                    if let Some((false, _)) = links.pop() {
                        events.push(Event::End(TagEnd::Link));
                    }
                }
            },
            Event::End(TagEnd::Link) => {
                if let Some((drop, _)) = links.pop()
                    && !drop
                {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            Event::Text(t) => match links.last_mut() {
                // The replacement is used once; further text of the link is dropped.
                Some((_, Some(replacement))) => {
                    let replacement = std::mem::take(replacement);
                    if !replacement.is_empty() {
                        events.push(Event::Text(replacement.into()));
                    }
                }
                _ => events.push(Event::Text(t)),
            },
            Event::Html(h) | Event::InlineHtml(h) => {
                has_raw_html = true;
                raw_text.feed(&h, offset + range.start);
                raw_ranges.push(range.clone());
                let fixed =
                    images::raw_images(&h, offset + range.start, opts, targets, &mut problems);
                events.push(Event::Html(fixed.map_or(h, Into::into)));
            }
            other => events.push(other),
        }
    }
    if let Some((name, at)) = raw_text.unclosed() {
        problems.push(unclosed_problem(name, at));
    }
    let toc = assign_heading_ids(&mut events);
    let mut html = String::with_capacity(body.len() + body.len() / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    // Checked before sanitising: html5ever's tree builder is quadratic in nesting depth,
    // so a 1 MB body of nested `<div>`s would take minutes (issue 4, odd input). Without
    // raw HTML, the events already told the depth: no need to scan the HTML (issue 5).
    let too_deep = if has_raw_html {
        nesting_beyond(&html, MAX_NESTING)
    } else {
        (deepest > MAX_NESTING).then_some(deepest)
    };
    if let Some(depth) = too_deep {
        problems.push(
            Diagnostic::error(
                Code::Limit,
                format!(
                    "the body nests lists, quotes or HTML elements {depth} levels deep; at most {MAX_NESTING} are rendered"
                ),
            )
            .at(Span::new(offset, 0))
            .help("flatten the structure; browsers stop nesting at 512 levels anyway"),
        );
        return Rendered {
            html: String::new(),
            toc,
            problems,
        };
    }
    if has_raw_html {
        html = raw_links::clean_with_targets(
            html,
            |h| sanitizer().clean(h).to_string(),
            opts.unsafe_raw_html,
            targets,
            (body, offset, &raw_ranges),
            &mut problems,
        );
    }
    Rendered {
        html,
        toc,
        problems,
    }
}

/// Where the URL of the link or image at `range` is in the file (for a reference link,
/// where the link is).
pub(super) fn url_span(body: &str, range: &Range<usize>, url: &str, offset: usize) -> Span {
    match body.get(range.clone()).and_then(|src| src.find(url)) {
        Some(at) if !url.is_empty() => Span::new(offset + range.start + at, url.len()),
        _ => Span::new(offset + range.start, range.len()),
    }
}

/// Give every heading an id (its own `{#id}` or one made from its text, unique in the
/// body), add an anchor link, and return the table of contents.
fn assign_heading_ids(events: &mut Vec<Event>) -> Vec<TocEntry> {
    let mut toc = Vec::new();
    let mut used: HashMap<String, usize> = HashMap::new();
    // One pass into a new vector: inserting each anchor in place was quadratic, minutes
    // for a body of some 40,000 headings (issue 4, large bodies).
    let mut out = Vec::with_capacity(events.len() + events.len() / 8);
    let mut rest = std::mem::take(events).into_iter();
    while let Some(event) = rest.next() {
        // `{key=value}` heading attributes would pass any attribute, `onclick` included,
        // into bodies that are not sanitised: only the id and classes are kept.
        let Event::Start(Tag::Heading {
            level, id, classes, ..
        }) = event
        else {
            out.push(event);
            continue;
        };
        let mut inner = Vec::new();
        let mut close = None;
        let mut text = String::new();
        for e in rest.by_ref() {
            match &e {
                Event::End(TagEnd::Heading(_)) => {
                    close = Some(e);
                    break;
                }
                Event::Text(t) | Event::Code(t) => text.push_str(t),
                _ => {}
            }
            inner.push(e);
        }
        let base = id
            .map(|s| s.to_string())
            .or_else(|| crate::model::slugify(&text))
            .unwrap_or_else(|| "section".to_string());
        let n = used.entry(base.clone()).or_insert(0);
        let unique = if *n == 0 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        *n += 1;
        // The id may come from the author (`{#id}`): escape it, this HTML is not sanitised.
        let anchor = format!(
            "<a class=\"anchor\" href=\"#{}\" aria-label=\"Link to this section\">#</a>",
            escape_attr(&unique)
        );
        out.push(Event::Start(Tag::Heading {
            level,
            id: Some(unique.clone().into()),
            classes,
            attrs: Vec::new(),
        }));
        out.extend(inner);
        out.push(Event::InlineHtml(anchor.into()));
        out.extend(close);
        toc.push(TocEntry {
            level: heading_number(level),
            id: unique,
            title: text.trim().to_string(),
        });
    }
    *events = out;
    toc
}

/// Whether a Markdown element counts towards the nesting depth: as in [`nesting_beyond`],
/// elements whose HTML is flat (`p`, `li`, table rows and cells) or holds text only (code
/// blocks, which are replaced by their highlighted HTML) do not.
fn nests(end: TagEnd) -> bool {
    !matches!(
        end,
        TagEnd::Paragraph
            | TagEnd::Item
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::TableCell
            | TagEnd::CodeBlock
    )
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The sanitiser for bodies with raw HTML: ammonia's safe defaults, plus the attributes
/// the generator itself emits (heading ids, anchor and highlighting classes, task list
/// checkboxes).
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static S: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    S.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["class", "id", "aria-label", "aria-hidden"])
            .add_tags([
                "input",
                "details",
                "summary",
                "figure",
                "figcaption",
                "mark",
            ])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("ol", ["start"])
            .add_tag_attributes("td", ["align", "style"])
            .add_tag_attributes("th", ["align", "style"])
            // pulldown-cmark aligns table cells with `style`; nothing else may be styled.
            .filter_style_properties(["text-align"].into())
            // The same schemes as Markdown links (see `link_url_is_safe`).
            .url_schemes(["http", "https", "mailto"].into())
            // `/\evil.example/` has no scheme, but browsers read it as `//evil.example/`.
            .url_relative(ammonia::UrlRelative::Custom(Box::new(same_site_only)))
            .link_rel(Some("noopener noreferrer"))
            // Links to pages this build does not publish are left out (issue 9).
            .attribute_filter(raw_links::filter);
        b
    })
}

/// A relative URL of raw HTML as it is, unless browsers read it as another site's.
fn same_site_only(url: &str) -> Option<std::borrow::Cow<'_, str>> {
    (!is_protocol_relative(url)).then_some(std::borrow::Cow::Borrowed(url))
}

#[cfg(test)]
mod tests;
