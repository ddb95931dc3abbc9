//! The timeline: incidents and statements by year and, within each year, by month
//! (CrisisWatch-style), with a year and month index made of plain links (issue 12).
//!
//! Takes the routes' years and their month runs, made once per build (entries already in
//! time order, [`crate::link::ChronoKey`]);
//! gives the overview and each year's pages. Invariants: a month's entries are consecutive
//! in that order (a partial date sorts after the days of its period), so grouping never
//! reorders; entries known only to the year come last in their year, under a heading of
//! their own; every index link leads to the page that holds the month.

use std::ops::Range;

use serde::Serialize;
use tera::Context;

use super::Renderer;
use super::listings::TIMELINE_INLINE_LIMIT;
use super::view::{Card, YearView};
use crate::diag::Diagnostic;
use crate::model::EntityId;
use crate::routes::{self, TIMELINE_PER_PAGE};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// One month of a year of the timeline (or the entries known only to the year).
#[derive(Debug, Clone, Serialize)]
pub struct MonthView {
    /// 1-12; none for the entries dated to the year only.
    pub month: Option<i8>,
    /// `March`, or `Month not known`.
    pub label: String,
    /// Id of its heading: `m-2024-03`, or `m-2024-undated` for the year-only entries.
    pub id: String,
    /// Absolute URL of its heading on the page that holds it.
    pub url: String,
    /// Number of entries in the month (over all pages).
    pub count: usize,
    /// Its entries on this page, in time order (empty in the index).
    pub entries: Vec<Card>,
}

impl Renderer<'_> {
    /// The months of year `y` (all its entries `ids`), each with its entries among
    /// `shown` (indices into `ids`); their links lead to the overview when `inline` (it
    /// holds every entry), otherwise to the year's page that holds them.
    fn months(
        &self,
        y: i16,
        ids: &[EntityId],
        shown: Range<usize>,
        inline: bool,
    ) -> Vec<MonthView> {
        (self.routes.timeline_months(y).iter())
            .map(|(m, range)| {
                let (m, range) = (*m, range.clone());
                let id = routes::timeline_month_anchor(y, m);
                let home = range.start / TIMELINE_PER_PAGE + 1;
                let url = if inline {
                    format!("{}#{id}", self.url(routes::TIMELINE))
                } else {
                    format!(
                        "{}#{id}",
                        self.url(&routes::paged(&routes::timeline_year(y), home))
                    )
                };
                let (a, b) = (range.start.max(shown.start), range.end.min(shown.end));
                let entries = if a < b {
                    self.cards(&ids[a..b])
                } else {
                    Vec::new()
                };
                MonthView {
                    month: m,
                    label: m.map_or_else(
                        || "Month not known".to_string(),
                        |m| MONTHS[(m - 1) as usize].to_string(),
                    ),
                    id,
                    url,
                    count: range.len(),
                    entries,
                }
            })
            .collect()
    }

    /// The timeline overview (`None`) or page `n` of one year.
    pub(super) fn timeline_page(
        &self,
        year: Option<(i16, usize)>,
        path: &str,
    ) -> Result<String, Diagnostic> {
        let years = self.routes.timeline_years();
        let total: usize = years.values().map(Vec::len).sum();
        let inline = total <= TIMELINE_INLINE_LIMIT;
        // `shown`: which of the year's entries this page shows (indices into `ids`).
        let year_view = |y: i16, ids: &[EntityId], shown: Range<usize>| YearView {
            year: y,
            url: self.url(&routes::timeline_year(y)),
            count: ids.len(),
            entries: self.cards(&ids[shown.clone()]),
            months: self.months(y, ids, shown, inline && year.is_none()),
        };
        // The index: every year and its months, without entries.
        let all_years: Vec<YearView> = (years.iter())
            .map(|(&y, ids)| year_view(y, ids, 0..0))
            .collect();
        let mut paginator = None;
        let shown = match year {
            None => years
                .iter()
                .map(|(&y, ids)| year_view(y, ids, 0..if inline { ids.len() } else { 0 }))
                .collect::<Vec<_>>(),
            Some((y, n)) => {
                let base = routes::timeline_year(y);
                years
                    .get(&y)
                    .map(|ids| {
                        paginator = Some(self.paginate(&base, n, ids.len(), TIMELINE_PER_PAGE));
                        let per = TIMELINE_PER_PAGE;
                        let lo = (n.saturating_sub(1) * per).min(ids.len());
                        vec![year_view(y, ids, lo..(lo + per).min(ids.len()))]
                    })
                    .unwrap_or_default()
            }
        };
        let mut ctx = Context::new();
        ctx.insert("years", &shown);
        ctx.insert("all_years", &all_years);
        ctx.insert("current_year", &year.map(|(y, _)| y));
        ctx.insert("paginator", &paginator);
        self.render("timeline.html", "timeline", path, ctx)
    }
}
