//! The story at a glance (issue 12): an incident's "who said what, when" chronology with
//! offsets from the incident date, its facts-box stance lines, and the merged, numbered
//! sources of incident and group pages.
//!
//! Takes the relations the link stage derived ([`crate::link::Backlinks`]); gives views.
//! Invariants: time order is the link stage's (`Backlinks::statements`); offsets come from
//! [`crate::model::PartialDate::offset_from`], at the coarser precision of the two dates;
//! a statement falsely attributed to its speaker says so wherever it is shown.

use std::collections::HashMap;

use serde::Serialize;

use super::Renderer;
use super::view::{DateView, RefView, SourceView};
use crate::link::{SourceRef, StanceLine};
use crate::model::{Data, EntityId, PartialDate};

/// One line of an incident's chronology: `T−15 d · US Embassy warns ...`.
#[derive(Debug, Clone, Serialize)]
pub struct ChronologyEntryView {
    /// Short offset from the incident date: `T−15 d`, `T+0`, `T+1 d`, `same month`, `T−2 mo`.
    pub offset: String,
    /// The offset in words: `15 days before`, `the same day`, `the same month (day not known)`.
    pub offset_long: String,
    /// -1 before the incident, 0 at it (as far as known), 1 after.
    pub offset_sign: i8,
    /// The statement's date.
    pub date: DateView,
    /// The statement's slug; its card on the same page has the id `statement-<slug>`.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Absolute URL of the statement's own page.
    pub url: String,
    /// Speaker (or, when `falsely_attributed`, whom it is falsely attributed to).
    pub speaker: Option<RefView>,
    /// Stance key and label.
    pub stance: &'static str,
    /// Stance label (`Warns`).
    pub stance_label: &'static str,
    /// Verification status key and label.
    pub verification: Option<&'static str>,
    /// Verification label (`Fabricated`).
    pub verification_label: Option<&'static str>,
    /// Whether the statement is assessed false or fabricated: never the speaker's words.
    pub falsely_attributed: bool,
    /// Admiralty grade of the source it was reported in.
    pub grade: Option<String>,
    /// Meaning of the grade.
    pub grade_label: Option<&'static str>,
    /// Number of that source in the page's merged source list (1-based), if listed.
    pub source_number: Option<usize>,
}

/// One line of an incident's facts box: `Blamed on Ukraine by Vladimir Putin`.
#[derive(Debug, Clone, Serialize)]
pub struct StanceLineView {
    /// Stance key (`blames`), or `falsely-attributed`.
    pub stance: &'static str,
    /// Words before the names (`Warned by`, `Blamed on`, `Falsely attributed to`).
    pub label: &'static str,
    /// Whom it is about, where the line names them (`Blamed on <targets> by <speakers>`).
    pub targets: Vec<RefView>,
    /// Who said it.
    pub speakers: Vec<RefView>,
}

/// A source of a merged list, with its number.
#[derive(Debug, Clone, Serialize)]
pub struct NumberedSourceView {
    /// 1-based number; the list item has the id `source-<number>`.
    pub number: usize,
    /// The source.
    #[serde(flatten)]
    pub source: SourceView,
}

/// How the same source is recognised in two lists: by URL (without a trailing slash).
fn url_key(url: &str) -> &str {
    url.trim_end_matches('/')
}

impl Renderer<'_> {
    /// The merged sources of a page, numbered.
    pub(super) fn merged_sources(&self, refs: &[SourceRef]) -> Vec<NumberedSourceView> {
        refs.iter()
            .filter_map(|&r| self.site.source(r))
            .enumerate()
            .map(|(i, s)| NumberedSourceView {
                number: i + 1,
                source: Self::source_view(s),
            })
            .collect()
    }

    /// The facts-box lines of an incident.
    pub(super) fn stance_lines(&self, lines: &[StanceLine]) -> Vec<StanceLineView> {
        lines
            .iter()
            .map(|l| StanceLineView {
                stance: l.stance.map_or("falsely-attributed", |s| s.as_str()),
                label: l.label,
                targets: self.refs(&l.targets),
                speakers: self.refs(&l.speakers),
            })
            .collect()
    }

    /// The chronology of the statements about an incident dated `origin`, in the link
    /// stage's time order; `sources` is the page's merged list, for source numbers.
    pub(super) fn chronology(
        &self,
        origin: &PartialDate,
        statements: &[EntityId],
        sources: &[NumberedSourceView],
    ) -> Vec<ChronologyEntryView> {
        let numbers: HashMap<&str, usize> = sources
            .iter()
            .rev()
            .filter_map(|s| Some((url_key(s.source.url.as_deref()?), s.number)))
            .collect();
        statements
            .iter()
            .filter_map(|&id| {
                let e = self.site.get(id);
                let Data::Statement(s) = &e.data else {
                    return None;
                };
                let offset = s.date.offset_from(origin);
                let source = s.source.as_ref();
                Some(ChronologyEntryView {
                    offset: offset.short(),
                    offset_long: offset.long(),
                    offset_sign: offset.sign(),
                    date: Self::date_view(&s.date),
                    slug: e.slug.to_string(),
                    title: e.common.title.clone(),
                    url: self.url(&crate::routes::entity(e.kind, e.slug.as_str())),
                    speaker: s.speaker.map(|p| self.ref_view(p)),
                    stance: s.stance.as_str(),
                    stance_label: s.stance.label(),
                    verification: s.verification.as_ref().map(|v| v.status.as_str()),
                    verification_label: s.verification.as_ref().map(|v| v.status.label()),
                    falsely_attributed: s.falsely_attributed(),
                    grade: source
                        .and_then(|s| s.reliability)
                        .map(|r| r.as_str().to_string()),
                    grade_label: source.and_then(|s| s.reliability).map(|r| r.label()),
                    source_number: source
                        .and_then(|s| s.url.as_deref())
                        .and_then(|u| numbers.get(url_key(u)).copied()),
                })
            })
            .collect()
    }
}
