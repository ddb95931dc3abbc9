//! Partial dates: `2015`, `2015-06`, `2015-06-21` or a full RFC 3339 date-time.
//!
//! A [`PartialDate`] keeps the precision the author gave. It sorts by the instant it
//! starts (a year sorts before any month of it) and displays at its own precision, so a
//! year never turns into "1 January".

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use jiff::civil;
use jiff::tz::Offset;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

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

/// A date known to the year, month, day, or to the second with an offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartialDate {
    /// `2015`.
    Year(i16),
    /// `2015-06`.
    Month(i16, i8),
    /// `2015-06-21`.
    Day(civil::Date),
    /// `2015-06-21T21:30:00+03:00`: the instant and the offset it was written with.
    Time(jiff::Timestamp, Offset),
}

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid date `{input}`: {reason}")]
pub struct DateError {
    input: String,
    reason: String,
}

impl PartialDate {
    /// The first instant of the date, in UTC where no offset was given; used for sorting.
    pub fn start(&self) -> jiff::Timestamp {
        let utc = |d: civil::Date| {
            Offset::UTC
                .to_timestamp(d.to_datetime(civil::Time::midnight()))
                .unwrap_or(jiff::Timestamp::MIN)
        };
        match *self {
            PartialDate::Year(y) => civil::Date::new(y, 1, 1).map_or(jiff::Timestamp::MIN, utc),
            PartialDate::Month(y, m) => civil::Date::new(y, m, 1).map_or(jiff::Timestamp::MIN, utc),
            PartialDate::Day(d) => utc(d),
            PartialDate::Time(t, _) => t,
        }
    }

    /// The first instant after the date: the next year, month, day or second.
    pub fn end(&self) -> jiff::Timestamp {
        let next = |d: Option<civil::Date>| {
            d.and_then(|d| {
                Offset::UTC
                    .to_timestamp(d.to_datetime(civil::Time::midnight()))
                    .ok()
            })
            .unwrap_or(jiff::Timestamp::MAX)
        };
        match *self {
            PartialDate::Year(y) => next(civil::Date::new(y.saturating_add(1), 1, 1).ok()),
            PartialDate::Month(y, m) => next(if m == 12 {
                civil::Date::new(y.saturating_add(1), 1, 1).ok()
            } else {
                civil::Date::new(y, m + 1, 1).ok()
            }),
            PartialDate::Day(d) => next(d.tomorrow().ok()),
            PartialDate::Time(t, _) => t
                .checked_add(jiff::SignedDuration::from_secs(1))
                .unwrap_or(t),
        }
    }

    /// Whether the whole of this date lies before `other` starts.
    pub fn is_wholly_before(&self, other: &PartialDate) -> bool {
        self.end() <= other.start()
    }

    /// The year.
    pub fn year(&self) -> i16 {
        match *self {
            PartialDate::Year(y) | PartialDate::Month(y, _) => y,
            PartialDate::Day(d) => d.year(),
            PartialDate::Time(t, o) => o.to_datetime(t).year(),
        }
    }

    /// `year`, `month`, `day` or `time`.
    pub fn precision(&self) -> &'static str {
        match self {
            PartialDate::Year(_) => "year",
            PartialDate::Month(..) => "month",
            PartialDate::Day(_) => "day",
            PartialDate::Time(..) => "time",
        }
    }

    /// Machine-readable form, valid for HTML `<time datetime>`.
    pub fn iso(&self) -> String {
        match *self {
            PartialDate::Year(y) => format!("{y:04}"),
            PartialDate::Month(y, m) => format!("{y:04}-{m:02}"),
            PartialDate::Day(d) => d.to_string(),
            PartialDate::Time(t, o) => {
                let dt = o.to_datetime(t);
                format!(
                    "{}T{:02}:{:02}:{:02}{}",
                    dt.date(),
                    dt.hour(),
                    dt.minute(),
                    dt.second(),
                    offset_suffix(o)
                )
            }
        }
    }

    /// RFC 3339 date-time of the start, for feeds and sitemaps.
    pub fn rfc3339(&self) -> String {
        match self {
            PartialDate::Time(..) => self.iso(),
            _ => format!("{}", self.start().strftime("%Y-%m-%dT%H:%M:%SZ")),
        }
    }

    /// Whether the date lies after `other` by its start.
    pub fn is_after(&self, other: &PartialDate) -> bool {
        self.start() > other.start()
    }
}

fn offset_suffix(o: Offset) -> String {
    let secs = o.seconds();
    if secs == 0 {
        return "Z".to_string();
    }
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.abs();
    format!("{sign}{:02}:{:02}", secs / 3600, (secs % 3600) / 60)
}

impl fmt::Display for PartialDate {
    /// Human form at the given precision: `2015`, `June 2015`, `21 June 2015`,
    /// `21 June 2015, 21:30 UTC+03:00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            PartialDate::Year(y) => write!(f, "{y}"),
            PartialDate::Month(y, m) => write!(f, "{} {y}", MONTHS[(m - 1) as usize]),
            PartialDate::Day(d) => {
                write!(
                    f,
                    "{} {} {}",
                    d.day(),
                    MONTHS[(d.month() - 1) as usize],
                    d.year()
                )
            }
            PartialDate::Time(t, o) => {
                let dt = o.to_datetime(t);
                let off = offset_suffix(o);
                let zone = if off == "Z" {
                    "UTC".to_string()
                } else {
                    format!("UTC{off}")
                };
                write!(
                    f,
                    "{} {} {}, {:02}:{:02} {zone}",
                    dt.day(),
                    MONTHS[(dt.month() - 1) as usize],
                    dt.year(),
                    dt.hour(),
                    dt.minute()
                )
            }
        }
    }
}

impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> Ordering {
        let rank = |d: &PartialDate| match d {
            PartialDate::Year(_) => 0,
            PartialDate::Month(..) => 1,
            PartialDate::Day(_) => 2,
            PartialDate::Time(..) => 3,
        };
        self.start()
            .cmp(&other.start())
            .then(rank(self).cmp(&rank(other)))
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn err(input: &str, reason: impl Into<String>) -> DateError {
    DateError {
        input: input.to_string(),
        reason: reason.into(),
    }
}

fn parse_year(s: &str, input: &str) -> Result<i16, DateError> {
    if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err(input, "the year must have four digits"));
    }
    let y: i16 = s
        .parse()
        .map_err(|_| err(input, "the year is not a number"))?;
    if y < 1 {
        return Err(err(input, "the year must be 0001 or later"));
    }
    Ok(y)
}

fn parse_two(s: &str, what: &str, input: &str) -> Result<i8, DateError> {
    if s.len() != 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err(input, format!("the {what} must have two digits")));
    }
    s.parse()
        .map_err(|_| err(input, format!("the {what} is not a number")))
}

impl FromStr for PartialDate {
    type Err = DateError;

    fn from_str(input: &str) -> Result<Self, DateError> {
        let s = input.trim();
        const FORMS: &str = "use `2015`, `2015-06`, `2015-06-21` or `2015-06-21T21:30:00+03:00`";
        if s.is_empty() {
            return Err(err(input, "the date is empty"));
        }
        if s.len() > 10 {
            // A date-time: RFC 3339 with an offset (or Z).
            let ts: jiff::Timestamp = s.parse().map_err(|_| {
                err(
                    input,
                    format!("not a valid RFC 3339 date-time with an offset; {FORMS}"),
                )
            })?;
            let offset = parse_offset(s).ok_or_else(|| err(input, "missing offset"))?;
            return Ok(PartialDate::Time(ts, offset));
        }
        let parts: Vec<&str> = s.split('-').collect();
        match parts.as_slice() {
            [y] => Ok(PartialDate::Year(parse_year(y, input)?)),
            [y, m] => {
                let y = parse_year(y, input)?;
                let m = parse_two(m, "month", input)?;
                if !(1..=12).contains(&m) {
                    return Err(err(input, format!("month {m} does not exist")));
                }
                Ok(PartialDate::Month(y, m))
            }
            [y, m, d] => {
                let y = parse_year(y, input)?;
                let m = parse_two(m, "month", input)?;
                let d = parse_two(d, "day", input)?;
                if !(1..=12).contains(&m) {
                    return Err(err(input, format!("month {m} does not exist")));
                }
                civil::Date::new(y, m, d)
                    .map(PartialDate::Day)
                    .map_err(|_| {
                        let days = civil::Date::new(y, m, 1).map_or(31, |d| d.days_in_month());
                        err(
                            input,
                            format!("{} {y} has {days} days", MONTHS[(m - 1) as usize]),
                        )
                    })
            }
            _ => Err(err(input, FORMS)),
        }
    }
}

/// The offset at the end of an RFC 3339 string (`Z`, `+03:00`, `-0500`).
fn parse_offset(s: &str) -> Option<Offset> {
    if s.ends_with('Z') || s.ends_with('z') {
        return Some(Offset::UTC);
    }
    let idx = s.rfind(['+', '-'])?;
    let tail = &s[idx + 1..].replace(':', "");
    if tail.len() != 4 || !tail.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i32 = tail[..2].parse().ok()?;
    let m: i32 = tail[2..].parse().ok()?;
    let secs = (h * 3600 + m * 60) * if s.as_bytes()[idx] == b'-' { -1 } else { 1 };
    Offset::from_seconds(secs).ok()
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PartialDate;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a date such as `2015`, `2015-06`, `2015-06-21` or an RFC 3339 date-time",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PartialDate, E> {
                v.parse().map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<PartialDate, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<PartialDate, E> {
                self.visit_str(&v.to_string())
            }
            // TOML date-times arrive as a one-entry map holding the text.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PartialDate, A::Error> {
                let Some((_, text)) = map.next_entry::<String, String>()? else {
                    return Err(de::Error::custom("empty date"));
                };
                text.parse().map_err(de::Error::custom)
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> PartialDate {
        s.parse().unwrap()
    }

    #[test]
    fn toml_native_dates_deserialize() {
        #[derive(serde::Deserialize)]
        struct F {
            d: PartialDate,
            t: PartialDate,
        }
        let f: F = toml::from_str("d = 2024-03-01\nt = 2024-03-22T20:00:00+03:00\n").unwrap();
        assert_eq!(f.d, p("2024-03-01"));
        assert_eq!(f.t, p("2024-03-22T20:00:00+03:00"));
    }

    #[test]
    fn displays_at_its_precision() {
        assert_eq!(p("2015").to_string(), "2015");
        assert_eq!(p("2015-06").to_string(), "June 2015");
        assert_eq!(p("2015-06-21").to_string(), "21 June 2015");
        assert_eq!(
            p("2024-03-22T21:30:00+03:00").to_string(),
            "22 March 2024, 21:30 UTC+03:00"
        );
        assert_eq!(
            p("2024-03-22T21:30:00+03:00").iso(),
            "2024-03-22T21:30:00+03:00"
        );
        assert_eq!(p("2024-03-22T18:30:00Z").iso(), "2024-03-22T18:30:00Z");
    }

    #[test]
    fn sorts_by_start_then_precision() {
        let mut v = [p("2015-06-21"), p("2015"), p("2014-12"), p("2015-06")];
        v.sort();
        let s: Vec<String> = v.iter().map(PartialDate::iso).collect();
        assert_eq!(s, ["2014-12", "2015", "2015-06", "2015-06-21"]);
    }

    #[test]
    fn partial_dates_cover_their_span() {
        assert!(!p("2024-01").is_wholly_before(&p("2024-01-03")));
        assert!(p("2023-12").is_wholly_before(&p("2024-01-03")));
        assert!(p("2024-01-02").is_wholly_before(&p("2024-01-03")));
        assert!(!p("2024").is_wholly_before(&p("2024-12-31")));
    }

    #[test]
    fn rejects_impossible_dates() {
        let e = "2023-02-30".parse::<PartialDate>().unwrap_err().to_string();
        assert!(e.contains("February 2023 has 28 days"), "{e}");
        assert!("2023-13".parse::<PartialDate>().is_err());
        assert!("23-01-01".parse::<PartialDate>().is_err());
        assert!("2024-03-22T25:00:00Z".parse::<PartialDate>().is_err());
        assert!("yesterday".parse::<PartialDate>().is_err());
    }
}

/// Property tests (issue 4): parsing the ISO form gives the date back, order agrees
/// with `start()`, and no input makes parsing panic.
#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn any_date() -> impl Strategy<Value = PartialDate> {
        let day = (1i16..=9999, 1i8..=12, 1i8..=31).prop_filter_map("a real day", |(y, m, d)| {
            civil::Date::new(y, m, d).ok().map(PartialDate::Day)
        });
        let time = (
            2i16..=9998,
            1i8..=12,
            1i8..=28,
            0i8..24,
            0i8..60,
            0i8..60,
            -18 * 60i32..=18 * 60,
        )
            .prop_filter_map("a real instant", |(y, mo, d, h, mi, s, off)| {
                let offset = Offset::from_seconds(off * 60).ok()?;
                let dt = civil::date(y, mo, d).at(h, mi, s, 0);
                let ts = offset.to_timestamp(dt).ok()?;
                Some(PartialDate::Time(ts, offset))
            });
        prop_oneof![
            (1i16..=9999).prop_map(PartialDate::Year),
            (1i16..=9999, 1i8..=12).prop_map(|(y, m)| PartialDate::Month(y, m)),
            day,
            time,
        ]
    }

    proptest! {
        #[test]
        fn iso_form_parses_back_to_the_same_date(d in any_date()) {
            let back: PartialDate = d.iso().parse().expect("its own ISO form parses");
            prop_assert_eq!(back, d);
            prop_assert_eq!(back.iso(), d.iso());
            prop_assert_eq!(back.to_string(), d.to_string());
        }

        #[test]
        fn order_agrees_with_start(a in any_date(), b in any_date()) {
            if a.start() < b.start() {
                prop_assert!(a < b);
            }
            if a <= b {
                prop_assert!(a.start() <= b.start());
            }
            prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
        }

        #[test]
        fn a_date_spans_from_start_to_end(d in any_date()) {
            prop_assert!(d.start() < d.end());
            prop_assert!(!d.is_wholly_before(&d));
            prop_assert_eq!(d.year(), d.iso()[..4].parse::<i16>().unwrap_or(d.year()));
        }

        #[test]
        fn parsing_never_panics(s in ".{0,40}") {
            let _ = s.parse::<PartialDate>();
        }

        #[test]
        fn parsing_date_shaped_text_never_panics(
            s in "[0-9]{1,5}(-[0-9]{1,3}(-[0-9]{1,3}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?([+-][0-9]{2}:?[0-9]{2}|Z)?)?)?)?"
        ) {
            if let Ok(d) = s.parse::<PartialDate>() {
                let _ = (d.to_string(), d.iso(), d.rfc3339(), d.start(), d.end());
            }
        }
    }
}
