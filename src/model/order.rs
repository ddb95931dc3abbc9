//! Time order and offsets between partial dates (issue 12).
//!
//! [`DateKey`] is THE order of time on every page, listing, feed and export that shows
//! things in time order: a date sorts by the last day of its period, so a partial date
//! comes after the full dates of its period (`2024-03` after `2024-03-31`, `2024` after
//! `2024-12`), and within one day a timed date comes before a date known to the day.
//! [`Offset`] says how far one date lies from another, at the coarser of the two
//! precisions: never an invented day for a date known only to the month or the year.

use jiff::civil;

use super::PartialDate;

/// Where a date falls in time order. Compare whole keys; the parts are for
/// [`crate::link`], which puts the kind of entity between `period` and `within`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateKey {
    /// The last civil day of the period (the day itself for a day or a date-time, in the
    /// offset it was written with), then 0 for a day, 1 for a month, 2 for a year.
    pub period: (civil::Date, u8),
    /// Within one day: 0 and the instant for a date-time, 1 for a date known to the day.
    pub within: (u8, jiff::Timestamp),
}

impl PartialDate {
    /// The key of this date in time order (see [`DateKey`]).
    pub fn sort_key(&self) -> DateKey {
        let last_of_month = |y: i16, m: i8| {
            civil::Date::new(y, m, 1)
                .map(|d| d.last_of_month())
                .unwrap_or(civil::Date::MAX)
        };
        let (day, span) = match *self {
            PartialDate::Year(y) => (last_of_month(y, 12), 2),
            PartialDate::Month(y, m) => (last_of_month(y, m), 1),
            PartialDate::Day(d) => (d, 0),
            PartialDate::Time(t, o) => (o.to_datetime(t).date(), 0),
        };
        let within = match *self {
            PartialDate::Time(t, _) => (0, t),
            _ => (1, jiff::Timestamp::MIN),
        };
        DateKey {
            period: (day, span),
            within,
        }
    }

    /// The civil day of a day or date-time (in the offset it was written with).
    fn civil_day(&self) -> Option<civil::Date> {
        match *self {
            PartialDate::Day(d) => Some(d),
            PartialDate::Time(t, o) => Some(o.to_datetime(t).date()),
            _ => None,
        }
    }

    /// The month (1-12), where it is known; a date-time's in the offset it was written with.
    pub fn month(&self) -> Option<i8> {
        self.year_month().map(|(_, m)| m)
    }

    /// Year and month, where the month is known.
    fn year_month(&self) -> Option<(i16, i8)> {
        match *self {
            PartialDate::Year(_) => None,
            PartialDate::Month(y, m) => Some((y, m)),
            _ => self.civil_day().map(|d| (d.year(), d.month())),
        }
    }

    /// How far this date lies from `origin` (e.g. a statement from its incident).
    pub fn offset_from(&self, origin: &PartialDate) -> Offset {
        if let (Some(a), Some(b)) = (self.civil_day(), origin.civil_day()) {
            let days = (a - b).get_days();
            return Offset::Days(days.into());
        }
        if let (Some((ya, ma)), Some((yb, mb))) = (self.year_month(), origin.year_month()) {
            let months =
                (i64::from(ya) * 12 + i64::from(ma)) - (i64::from(yb) * 12 + i64::from(mb));
            return Offset::Months(months);
        }
        Offset::Years(i64::from(self.year()) - i64::from(origin.year()))
    }
}

/// How far a date lies from another, at the coarser of the two precisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offset {
    /// Both known to the day: whole days (0 = the same day).
    Days(i64),
    /// One known to the month only: whole calendar months (0 = the same month).
    Months(i64),
    /// One known to the year only: whole calendar years (0 = the same year).
    Years(i64),
}

impl Offset {
    /// Short form for a chronology: `T−15 d`, `T+0`, `T+1 d`, `same month`, `T−2 mo`,
    /// `same year`, `T+1 y` (with a real minus sign).
    pub fn short(&self) -> String {
        let signed = |n: i64, unit: &str| {
            let sign = if n < 0 { '−' } else { '+' };
            format!("T{sign}{} {unit}", n.unsigned_abs())
        };
        match *self {
            Offset::Days(0) => "T+0".to_string(),
            Offset::Days(n) => signed(n, "d"),
            Offset::Months(0) => "same month".to_string(),
            Offset::Months(n) => signed(n, "mo"),
            Offset::Years(0) => "same year".to_string(),
            Offset::Years(n) => signed(n, "y"),
        }
    }

    /// Words for the same, for screen readers and titles: `15 days before`, `the same
    /// day`, `1 day after`, `the same month (day not known)`, `2 months before`.
    pub fn long(&self) -> String {
        let words = |n: i64, one: &str, many: &str| {
            let unit = if n.unsigned_abs() == 1 { one } else { many };
            let side = if n < 0 { "before" } else { "after" };
            format!("{} {unit} {side}", n.unsigned_abs())
        };
        match *self {
            Offset::Days(0) => "the same day".to_string(),
            Offset::Days(n) => words(n, "day", "days"),
            Offset::Months(0) => "the same month (day not known)".to_string(),
            Offset::Months(n) => words(n, "month", "months"),
            Offset::Years(0) => "the same year (month not known)".to_string(),
            Offset::Years(n) => words(n, "year", "years"),
        }
    }

    /// Whether the offset is before (-1), at (0) or after (1) the origin, as far as known.
    pub fn sign(&self) -> i8 {
        let (Offset::Days(n) | Offset::Months(n) | Offset::Years(n)) = *self;
        n.signum() as i8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> PartialDate {
        s.parse().unwrap()
    }

    #[test]
    fn partial_dates_sort_after_the_full_dates_of_their_period() {
        let mut v = [
            p("2024"),
            p("2024-03"),
            p("2024-03-31"),
            p("2024-03-07"),
            p("2024-04-01"),
            p("2024-03-22T23:30:00+03:00"),
            p("2024-03-22"),
            p("2024-03-22T20:00:00+03:00"),
            p("2024-12-31"),
            p("2023"),
        ];
        v.sort_by_key(PartialDate::sort_key);
        let s: Vec<String> = v.iter().map(PartialDate::iso).collect();
        assert_eq!(
            s,
            [
                "2023",
                "2024-03-07",
                "2024-03-22T20:00:00+03:00",
                "2024-03-22T23:30:00+03:00",
                "2024-03-22",
                "2024-03-31",
                "2024-03",
                "2024-04-01",
                "2024-12-31",
                "2024",
            ]
        );
    }

    #[test]
    fn a_date_time_sorts_on_the_day_it_was_written_for() {
        // 23:30 in Moscow is 20:30 UTC, but 00:30 in Moscow on the 23rd is still the 23rd.
        assert!(p("2024-03-22T23:30:00+03:00").sort_key() < p("2024-03-22").sort_key());
        assert!(p("2024-03-23T00:30:00+03:00").sort_key() > p("2024-03-22").sort_key());
    }

    #[test]
    fn offsets_keep_the_coarser_precision() {
        let attack = p("2024-03-22T20:00:00+03:00");
        let off = |s: &str| p(s).offset_from(&attack);
        assert_eq!(off("2024-03-07").short(), "T−15 d");
        assert_eq!(off("2024-03-07").long(), "15 days before");
        assert_eq!(off("2024-03-22").short(), "T+0");
        assert_eq!(off("2024-03-23T01:00:00+03:00").short(), "T+1 d");
        assert_eq!(off("2024-03-23").long(), "1 day after");
        assert_eq!(off("2024-03").short(), "same month");
        assert_eq!(off("2024-01").short(), "T−2 mo");
        assert_eq!(off("2024-05").long(), "2 months after");
        assert_eq!(off("2024").short(), "same year");
        assert_eq!(off("2023").short(), "T−1 y");
        assert_eq!(p("2024-04-02").offset_from(&p("2024-03")).short(), "T+1 mo");
        assert_eq!(off("2024-03").sign(), 0);
        assert_eq!(off("2023").sign(), -1);
    }
}
