//! Feeds (issue 15): Atom 1.0 and JSON Feed 1.1 for the whole site, each kind, each group,
//! each country and each tag, rendered from the templates `feeds/atom.xml` and
//! `feeds/feed.json`, which a site may override like any other template.
//!
//! Takes the [`OutputContext`], the [`Renderer`] (its templates, and the bodies of entries
//! when `[build] feed_content = "full"`) and the diagnostics; gives every feed file with
//! its writer, for the write stage to stream in parallel. Each [`FeedScope`] has its two
//! files in the folder of the page it follows ([`crate::routes::Routes::feed_dir`]).
//!
//! Invariants:
//! - Only the linked site is read, so no withheld entity, and no reference to one, can
//!   appear; bodies are the text the load stage judged publishable.
//! - Feeds need absolute URLs: none is written when `base_url` is a path (`check` warns).
//! - Ids are stable: `urn:uuid:` UUIDv5s of the site's title and the entity's kind and
//!   slug (see [`entry_id`]), so they survive rebuilds, a new `base_url` and a move to
//!   another host; an entity has the same id in every feed it is in.
//! - A statement assessed as fabricated or false is flagged in its title (`[Fabricated]`)
//!   and its text opens with who did not make it: a feed reader shows only the title, and
//!   it must never read as the speaker's own words.
//! - Dates come from the content, never the clock: the same content gives identical feeds.

mod select;

pub use select::entries;

use std::io::Write;

use serde::Serialize;
use tera::Context;
use uuid::Uuid;

use super::export::Writer;
use super::streamed::OutputContext;
use crate::config::FeedContent;
use crate::diag::Diagnostics;
use crate::link::Entity;
use crate::model::{Data, EntityId, VerificationStatus};
use crate::render::{Renderer, feed_title};
use crate::routes::{self, FeedScope};

/// The namespace of feed ids (UUIDv5), fixed forever.
pub const NAMESPACE: Uuid = Uuid::from_u128(0x9d1e_7f3a_52c4_4b8e_a0f1_6c2d_83b5_e417);

/// The template of Atom feeds.
pub const ATOM_TEMPLATE: &str = "feeds/atom.xml";
/// The template of JSON Feeds.
pub const JSON_TEMPLATE: &str = "feeds/feed.json";

/// Used when no entry has a date (Atom requires `updated`; the clock is never read).
const NO_DATE: &str = "1970-01-01T00:00:00Z";

/// One feed, as its templates see it (`feed`).
#[derive(Debug, Serialize)]
pub struct FeedView {
    /// Title: the site's, or what is followed and the site's (`Incidents · Briefings`).
    pub title: String,
    /// The site's description.
    pub subtitle: String,
    /// Stable id (`urn:uuid:...`).
    pub id: String,
    /// The page the feed follows.
    pub page_url: String,
    /// This feed as Atom.
    pub atom_url: String,
    /// This feed as JSON Feed.
    pub json_url: String,
    /// The newest `updated` of its entries (RFC 3339).
    pub updated: String,
    /// Whether entries carry their whole body (`content_html`).
    pub full_content: bool,
    /// Newest first, at most `[build] feed_limit`.
    pub entries: Vec<EntryView>,
}

/// One entry of a feed.
#[derive(Debug, Serialize)]
pub struct EntryView {
    /// Stable id (`urn:uuid:...`), the same in every feed.
    pub id: String,
    /// Its page.
    pub url: String,
    /// Title; a statement's starts with its flag (`[Fabricated] `) and stance (`Claims: `).
    pub title: String,
    /// `incident`, `group`, `actor` or `statement`.
    pub kind: &'static str,
    /// When it happened (RFC 3339), if it has a date.
    pub published: Option<String>,
    /// Last change: `updated`, else its date (RFC 3339).
    pub updated: String,
    /// Plain-text summary; a flagged statement's opens with the warning.
    pub summary: Option<String>,
    /// Plain text for a JSON Feed item without a body: the summary, else the title.
    pub content_text: String,
    /// The rendered body, with `feed_content = "full"`; a flagged statement's opens with
    /// the warning.
    pub content_html: Option<String>,
    /// Tags as written.
    pub tags: Vec<String>,
    /// Labels of the tags, in the same order (`[labels]`, else spelt out).
    pub tag_labels: Vec<String>,
    /// `Fabricated` or `False` for a statement so assessed.
    pub flag: Option<&'static str>,
}

/// A stable id: `urn:uuid:` and the UUIDv5 of the site's title and `name`.
fn stable_id(site_title: &str, name: &str) -> String {
    let site = Uuid::new_v5(&NAMESPACE, site_title.as_bytes());
    format!("urn:uuid:{}", Uuid::new_v5(&site, name.as_bytes()))
}

/// The id of an entity's entries: from its kind and slug.
pub fn entry_id(site_title: &str, e: &Entity) -> String {
    stable_id(
        site_title,
        &format!("{}:{}", e.kind.as_str(), e.slug.as_str()),
    )
}

/// Every feed file of the build of `ctx`, with its writer; none without an absolute URL.
pub fn outputs<'a>(
    ctx: &OutputContext<'a>,
    renderer: &'a Renderer<'a>,
    diags: &'a Diagnostics,
) -> Vec<(String, Writer<'a>)> {
    let ctx = *ctx;
    if !ctx.plan.base_url.is_absolute() {
        return Vec::new();
    }
    let mut out: Vec<(String, Writer<'a>)> = Vec::new();
    for scope in ctx.routes.feeds() {
        let dir = ctx.routes.feed_dir(&scope);
        for (file, template) in [
            (routes::ATOM, ATOM_TEMPLATE),
            (routes::JSON_FEED, JSON_TEMPLATE),
        ] {
            let scope = scope.clone();
            let path = format!("{dir}{file}");
            out.push((
                path.clone(),
                Box::new(move |w: &mut dyn Write| {
                    let feed = feed_view(&ctx, renderer, &scope, diags);
                    let mut tctx = Context::new();
                    tctx.insert("feed", &feed);
                    match renderer.render(template, "", &path, tctx) {
                        Ok(text) => w.write_all(text.as_bytes()),
                        // Reported; the build fails, so this file is never published.
                        Err(d) => {
                            diags.push(d);
                            Ok(())
                        }
                    }
                }),
            ));
        }
    }
    out
}

/// The view of the feed of `scope`.
fn feed_view(
    ctx: &OutputContext<'_>,
    renderer: &Renderer<'_>,
    scope: &FeedScope,
    diags: &Diagnostics,
) -> FeedView {
    let config = &ctx.plan.config;
    let dir = ctx.routes.feed_dir(scope);
    let full = config.build.feed_content == FeedContent::Full;
    let entries: Vec<EntryView> = select::entries(ctx.site, scope, config.build.feed_limit)
        .into_iter()
        .map(|id| entry_view(ctx, renderer, id, full, diags))
        .collect();
    let updated = entries
        .iter()
        .map(|e| e.updated.as_str())
        .max()
        .unwrap_or(NO_DATE)
        .to_string();
    FeedView {
        title: feed_title(ctx.site, &renderer.labels, &config.title, scope),
        subtitle: config.description.clone(),
        id: stable_id(&config.title, &format!("feed:{dir}")),
        page_url: ctx.url(&dir),
        atom_url: ctx.url(&format!("{dir}{}", routes::ATOM)),
        json_url: ctx.url(&format!("{dir}{}", routes::JSON_FEED)),
        updated,
        full_content: full,
        entries,
    }
}

/// The entry of entity `id`.
fn entry_view(
    ctx: &OutputContext<'_>,
    renderer: &Renderer<'_>,
    id: EntityId,
    full: bool,
    diags: &Diagnostics,
) -> EntryView {
    let e = ctx.site.get(id);
    let (flag, warning, stance) = match &e.data {
        Data::Statement(s) => {
            let speaker = s
                .speaker
                .map(|sp| ctx.site.get(sp).common.title.as_str())
                .unwrap_or("the speaker");
            let status = s.verification.as_ref().map(|v| v.status);
            let (flag, warning) = match status {
                Some(VerificationStatus::Fabricated) => (
                    Some("Fabricated"),
                    Some(format!(
                        "Fabricated statement: falsely attributed to {speaker}, who did not make it."
                    )),
                ),
                Some(VerificationStatus::False) => (
                    Some("False"),
                    Some(format!(
                        "Statement attributed to {speaker}, assessed as false."
                    )),
                ),
                _ => (None, None),
            };
            (
                flag,
                warning,
                Some(renderer.labels.vocab(s.stance.as_str(), s.stance.label())),
            )
        }
        _ => (None, None, None),
    };
    let mut title = String::new();
    if let Some(f) = flag {
        title.push_str(&format!("[{f}] "));
    }
    if let Some(s) = stance {
        title.push_str(&format!("{s}: "));
    }
    title.push_str(&e.common.title);
    let text = e.common.summary.clone().or_else(|| e.description.clone());
    let summary = match (&warning, &text) {
        (Some(w), Some(t)) => Some(format!("{w} {t}")),
        (Some(w), None) => Some(w.clone()),
        (None, t) => t.clone(),
    };
    let content_html = full.then(|| {
        let body = renderer.feed_body(id, diags);
        match &warning {
            Some(w) => format!(
                "<p><strong>{}</strong></p>\n{body}",
                crate::markdown::escape_text(w)
            ),
            None => body,
        }
    });
    let published = e.date().map(|d| d.rfc3339());
    EntryView {
        id: entry_id(&ctx.plan.config.title, e),
        url: ctx.url(&ctx.routes.entity(id)),
        content_text: summary.clone().unwrap_or_else(|| title.clone()),
        title,
        kind: e.kind.as_str(),
        updated: e
            .common
            .updated
            .as_ref()
            .map(|d| d.rfc3339())
            .or_else(|| published.clone())
            .unwrap_or_else(|| NO_DATE.to_string()),
        published,
        summary,
        content_html,
        tags: e.common.tags.clone(),
        tag_labels: renderer.labels.words(&e.common.tags),
        flag,
    }
}
