//! Charts: incidents and casualties per period on group pages, incidents per month on the
//! home and country pages, and an incident's statements on a time axis around it.
//!
//! Invariants: counts come from published entities only (the link stage dropped the
//! withheld ones); a date is placed at its own precision: a month-precision date counts in
//! its month and is drawn over it, a year-precision date never counts in a month (it is
//! counted in a note instead), and nothing is given a made-up day.

use std::collections::BTreeMap;

use super::Renderer;
use super::view::*;
use crate::draw::{self, Bar, BarChart, TimeAxis, TimeMark};
use crate::link::Backlinks;
use crate::model::{Data, EntityId, IncidentData, Kind, PartialDate, VerificationStatus};

/// The home and country charts show this many months, up to the newest incident's month.
pub const RECENT_MONTHS: i32 = 36;
/// A group's chart is per month when its incidents span at most this many months.
pub const MONTHLY_UP_TO: i32 = 24;
/// Days either side of an incident on its statements' time axis.
pub const STATEMENT_WINDOW_DAYS: f64 = 30.0;

const SECONDS_PER_DAY: f64 = 86_400.0;

/// Year and month of a date known to the month or better.
fn month_of(d: &PartialDate) -> Option<(i16, i8)> {
    match *d {
        PartialDate::Year(_) => None,
        PartialDate::Month(y, m) => Some((y, m)),
        PartialDate::Day(d) => Some((d.year(), d.month())),
        PartialDate::Time(t, o) => {
            let dt = o.to_datetime(t);
            Some((dt.year(), dt.month()))
        }
    }
}

/// Months since year 0, for spans and ranges.
fn index((y, m): (i16, i8)) -> i32 {
    i32::from(y) * 12 + i32::from(m) - 1
}

fn month_at(i: i32) -> (i16, i8) {
    ((i.div_euclid(12)) as i16, (i.rem_euclid(12) + 1) as i8)
}

/// Bars for the months `first..=last` from counts by month index.
fn month_bars(first: i32, last: i32, values: &BTreeMap<i32, Vec<u64>>, series: usize) -> Vec<Bar> {
    let n = last - first + 1;
    (first..=last)
        .map(|i| {
            let (y, m) = month_at(i);
            let label = PartialDate::Month(y, m).to_string();
            let tick = if n <= 12 {
                Some(label.chars().take(3).collect())
            } else if m == 1 || (i == first && m <= 10) {
                Some(y.to_string())
            } else {
                None
            };
            Bar {
                key: format!("{y:04}-{m:02}"),
                label,
                tick,
                values: values.get(&i).cloned().unwrap_or_else(|| vec![0; series]),
            }
        })
        .collect()
}

fn year_bars(first: i16, last: i16, values: &BTreeMap<i16, Vec<u64>>, series: usize) -> Vec<Bar> {
    let n = i32::from(last - first) + 1;
    let every = (n as usize).div_ceil(12).max(1);
    (first..=last)
        .enumerate()
        .map(|(k, y)| Bar {
            key: format!("{y:04}"),
            label: y.to_string(),
            tick: (k % every == 0).then(|| y.to_string()),
            values: values.get(&y).cloned().unwrap_or_else(|| vec![0; series]),
        })
        .collect()
}

fn table(columns: &[&str], bars: &[Bar]) -> (Vec<String>, Vec<FigureRowView>) {
    let rows = bars
        .iter()
        .map(|b| FigureRowView {
            id: None,
            cells: std::iter::once(CellView::text(b.label.clone()))
                .chain(b.values.iter().map(|v| CellView::text(v.to_string())))
                .collect(),
        })
        .collect();
    (columns.iter().map(|c| c.to_string()).collect(), rows)
}

fn incident(data: &Data<EntityId>) -> Option<&IncidentData<EntityId>> {
    match data {
        Data::Incident(i) => Some(i),
        _ => None,
    }
}

/// `T−15 d`, `T+9 h`, `T+1 month`, `same year`: the offset of `d` from `t`, in the unit of
/// the coarser of the two dates.
pub(super) fn offset_label(t: &PartialDate, d: &PartialDate) -> String {
    let rank = |p: &PartialDate| match p {
        PartialDate::Year(_) => 0,
        PartialDate::Month(..) => 1,
        PartialDate::Day(_) => 2,
        PartialDate::Time(..) => 3,
    };
    let signed = |n: i64, unit: &str, plural: &str| {
        let unit = if n.abs() == 1 { unit } else { plural };
        match n {
            0 => "T".to_string(),
            n if n < 0 => format!("T−{}{unit}", -n),
            n => format!("T+{n}{unit}"),
        }
    };
    match rank(t).min(rank(d)) {
        0 => match i64::from(d.year()) - i64::from(t.year()) {
            0 => "same year".into(),
            n => signed(n, " year", " years"),
        },
        1 => match (month_of(t), month_of(d)) {
            (Some(a), Some(b)) => match index(b) - index(a) {
                0 => "same month".into(),
                n => signed(i64::from(n), " month", " months"),
            },
            _ => String::new(),
        },
        2 => {
            let days = (d.start().as_second() - t.start().as_second()).div_euclid(86_400);
            signed(days, " d", " d")
        }
        _ => {
            let secs = d.start().as_second() - t.start().as_second();
            if secs.abs() < 48 * 3600 {
                signed(secs / 3600, " h", " h")
            } else {
                signed(secs.div_euclid(86_400), " d", " d")
            }
        }
    }
}

impl Renderer<'_> {
    /// Run `draw`, which makes a picture, and add its time to the render statistics.
    pub(super) fn timed_picture<T>(&self, draw: impl FnOnce() -> T) -> T {
        let started = std::time::Instant::now();
        let picture = draw();
        let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.stats
            .pictures_ns
            .fetch_add(nanos, std::sync::atomic::Ordering::Relaxed);
        picture
    }

    /// The month of the newest published incident: the end of the home and country charts.
    fn newest_month(&self) -> Option<i32> {
        self.site
            .listings
            .get(&Kind::Incident)?
            .iter()
            .filter_map(|&id| self.site.get(id).date().and_then(month_of))
            .map(index)
            .max()
    }

    /// Incidents per month over the last [`RECENT_MONTHS`] months of the site, counting
    /// the incidents among `ids` (other kinds are skipped); `scope` names them. None when
    /// none of them falls in those months.
    pub(super) fn monthly_chart(&self, ids: &[EntityId], scope: &str) -> Option<FigureView> {
        let last = self.newest_month()?;
        let first = last - RECENT_MONTHS + 1;
        let (mut counts, mut year_only, mut earlier, mut total) = (BTreeMap::new(), 0, 0, 0);
        for &id in ids {
            let Some(i) = incident(&self.site.get(id).data) else {
                continue;
            };
            total += 1;
            match month_of(&i.date).map(index) {
                None => year_only += 1,
                Some(k) if k < first => earlier += 1,
                Some(k) => counts.entry(k).or_insert_with(|| vec![0u64])[0] += 1,
            }
        }
        // Nothing to draw in the window: the listing below says it all.
        if total == 0 || counts.is_empty() {
            return None;
        }
        let bars = month_bars(first, last, &counts, 1);
        let (from, to) = (&bars[0].label, &bars[bars.len() - 1].label);
        let caption = format!("Incidents {scope} per month, {from} to {to}.");
        let svg = draw::bar_chart(BarChart {
            label: &caption,
            series: &["incidents"],
            bars: &bars,
        });
        let mut notes = Vec::new();
        if earlier > 0 {
            notes.push(format!(
                "{earlier} earlier incident{} not shown",
                plural(earlier)
            ));
        }
        if year_only > 0 {
            notes.push(format!(
                "{year_only} incident{} dated only to the year not counted in any month",
                plural(year_only)
            ));
        }
        let (columns, rows) = table(&["Month", "Incidents"], &bars);
        Some(FigureView {
            svg_html: svg,
            caption,
            columns,
            rows,
            note: (!notes.is_empty()).then(|| capitalise(&notes.join("; ")) + "."),
            legend: Vec::new(),
        })
    }

    /// A group's incidents and casualties per year, or per month when they span at most
    /// [`MONTHLY_UP_TO`] months and all are dated to the month.
    pub(super) fn group_chart(&self, name: &str, links: &Backlinks) -> Option<FigureView> {
        let incidents: Vec<&IncidentData<EntityId>> = links
            .incidents
            .iter()
            .filter_map(|&id| incident(&self.site.get(id).data))
            .collect();
        if incidents.is_empty() {
            return None;
        }
        let months: Vec<Option<i32>> = incidents
            .iter()
            .map(|i| month_of(&i.date).map(index))
            .collect();
        let values = |i: &IncidentData<EntityId>| {
            let c = i.casualties.as_ref();
            vec![
                1,
                c.and_then(|c| c.killed).unwrap_or(0),
                c.and_then(|c| c.injured).unwrap_or(0),
            ]
        };
        let add = |acc: &mut Vec<u64>, v: Vec<u64>| {
            for (a, b) in acc.iter_mut().zip(v) {
                *a += b;
            }
        };
        let monthly = months.iter().all(Option::is_some) && {
            let (lo, hi) = (
                months.iter().flatten().min()?,
                months.iter().flatten().max()?,
            );
            hi - lo < MONTHLY_UP_TO
        };
        let (bars, unit) = if monthly {
            let mut by: BTreeMap<i32, Vec<u64>> = BTreeMap::new();
            for (i, m) in incidents.iter().zip(&months) {
                let m = (*m)?;
                add(by.entry(m).or_insert_with(|| vec![0; 3]), values(i));
            }
            let (lo, hi) = (*by.keys().next()?, *by.keys().next_back()?);
            (month_bars(lo, hi, &by, 3), "month")
        } else {
            let mut by: BTreeMap<i16, Vec<u64>> = BTreeMap::new();
            for i in &incidents {
                add(
                    by.entry(i.date.year()).or_insert_with(|| vec![0; 3]),
                    values(i),
                );
            }
            let (lo, hi) = (*by.keys().next()?, *by.keys().next_back()?);
            (year_bars(lo, hi, &by, 3), "year")
        };
        let (from, to) = (&bars[0].label, &bars[bars.len() - 1].label);
        let span = if from == to {
            from.clone()
        } else {
            format!("{from} to {to}")
        };
        let caption = format!(
            "Incidents attributed to {name} (top) and their casualties (bottom) per {unit}, {span}."
        );
        let counts: Vec<Bar> = bars
            .iter()
            .map(|b| Bar {
                values: vec![b.values[0]],
                ..b.clone()
            })
            .collect();
        let casualties: Vec<Bar> = bars
            .iter()
            .map(|b| Bar {
                values: b.values[1..].to_vec(),
                ..b.clone()
            })
            .collect();
        let mut svg = draw::bar_chart(BarChart {
            label: &format!("Incidents attributed to {name} per {unit}, {span}"),
            series: &["incidents"],
            bars: &counts,
        });
        svg.push_str(&draw::bar_chart(BarChart {
            label: &format!(
                "Killed and injured in incidents attributed to {name} per {unit}, {span}"
            ),
            series: &["killed", "injured"],
            bars: &casualties,
        }));
        let period = if monthly { "Month" } else { "Year" };
        let (columns, rows) = table(&[period, "Incidents", "Killed", "Injured"], &bars);
        Some(FigureView {
            svg_html: svg,
            caption,
            columns,
            rows,
            note: None,
            legend: ["incidents", "killed", "injured"]
                .into_iter()
                .map(|s| LegendView {
                    class: s.into(),
                    label: capitalise(s),
                })
                .collect(),
        })
    }

    /// An incident's statements on an axis from T−30 d to T+30 d.
    pub(super) fn statements_chart(
        &self,
        i: &IncidentData<EntityId>,
        links: &Backlinks,
    ) -> Option<FigureView> {
        if links.statements.is_empty() {
            return None;
        }
        let t0 = i.date.start().as_second() as f64;
        let end = i.end_date.as_ref().unwrap_or(&i.date).end().as_second() as f64;
        let days = |secs: f64| (secs - t0) / SECONDS_PER_DAY;
        let (mut marks, mut rows) = (Vec::new(), Vec::new());
        for &sid in &links.statements {
            let e = self.site.get(sid);
            let Data::Statement(s) = &e.data else {
                continue;
            };
            let (from, to) = (
                days(s.date.start().as_second() as f64),
                days(s.date.end().as_second() as f64),
            );
            let (from, to, exact) = match s.date {
                PartialDate::Day(_) => ((from + to) / 2.0, (from + to) / 2.0, true),
                PartialDate::Time(..) => (from, from, true),
                _ => (from, to, false),
            };
            let speaker = s
                .speaker
                .map(|p| self.site.get(p).common.title.clone())
                .unwrap_or_default();
            let false_words = s.verification.as_ref().is_some_and(|v| {
                matches!(
                    v.status,
                    VerificationStatus::False | VerificationStatus::Fabricated
                )
            });
            let who = if false_words {
                format!("falsely attributed to {speaker}")
            } else {
                speaker
            };
            let offset = offset_label(&i.date, &s.date);
            marks.push(TimeMark {
                from,
                to,
                exact,
                class: if false_words {
                    "stance-false".to_string()
                } else {
                    format!("stance-{}", s.stance.as_str())
                },
                label: format!("{offset}: {} ({}; {who})", e.common.title, s.stance.label()),
            });
            let window = STATEMENT_WINDOW_DAYS;
            let place = if to < -window {
                "before the chart"
            } else if from > window {
                "after the chart"
            } else {
                "on the chart"
            };
            rows.push(FigureRowView {
                id: None,
                cells: vec![
                    CellView::text(offset),
                    CellView::text(s.date.to_string()),
                    CellView::link(e.common.title.clone(), self.ref_view(sid).url),
                    CellView::text(s.stance.label()),
                    CellView::text(who),
                    CellView::text(place),
                ],
            });
        }
        let caption = format!(
            "When the {} statement{} on this incident were made, from T−30 d to T+30 d (T: the incident's date, {}).",
            marks.len(),
            plural(marks.len()),
            i.date
        );
        let svg = draw::time_axis(TimeAxis {
            label: &caption,
            window: STATEMENT_WINDOW_DAYS,
            incident_days: days(end),
            marks: &marks,
        });
        Some(FigureView {
            svg_html: svg,
            caption,
            columns: ["Offset", "Date", "Statement", "Stance", "Speaker", "Shown"]
                .map(String::from)
                .to_vec(),
            rows,
            note: Some(
                "A dot is a statement dated to the day or the minute; a bar spans the month or year of a statement dated only that far; the shaded band is the incident."
                    .into(),
            ),
            legend: Vec::new(),
        })
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        s.parse().expect("a date")
    }

    #[test]
    fn offsets_follow_the_coarser_precision() {
        assert_eq!(offset_label(&d("2024-03-22"), &d("2024-03-07")), "T−15 d");
        assert_eq!(offset_label(&d("2024-03-22"), &d("2024-03-22")), "T");
        assert_eq!(offset_label(&d("2024-03-22"), &d("2024-03")), "same month");
        assert_eq!(offset_label(&d("2024-03-22"), &d("2024-05")), "T+2 months");
        assert_eq!(offset_label(&d("2024-03-22"), &d("2023")), "T−1 year");
        assert_eq!(
            offset_label(
                &d("2024-03-22T20:00:00+03:00"),
                &d("2024-03-23T05:00:00+03:00")
            ),
            "T+9 h"
        );
    }
}
