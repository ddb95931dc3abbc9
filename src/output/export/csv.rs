//! CSV exports: `data/incidents.csv`, one row per incident with columns modelled on the
//! Global Terrorism Database codebook (`iyear`, `imonth`, `iday` with 0 for an unknown
//! part, `country_txt`, `gname`, `nkill`, ...), and `data/statements.csv`, one row per
//! statement. Both newest first; lists within a cell are joined with `; `.
//!
//! Formula safety: a text cell that a spreadsheet could run as a formula gets a leading
//! `'` (see [`cell`]). Numbers and codes the generator writes itself are left as they are.

use std::borrow::Cow;
use std::io::{self, Write};

use super::Exports;
use super::json::claimed_by;
use super::pieces::{Part, PieceSource};
use crate::link::Entity;
use crate::model::{Data, EntityId, Kind, PartialDate, Source};

/// Characters that start a formula in Excel, LibreOffice or Google Sheets, with their
/// full-width and small forms, which some spreadsheets fold to ASCII.
const FORMULA_START: [char; 12] = [
    '=', '+', '-', '@', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}', '\u{FE66}', '\u{FE62}',
    '\u{FE63}', '\u{FE6B}',
];

/// A text cell made safe for spreadsheets: if its first visible character could start a
/// formula (after any spaces, tabs, line breaks or invisible characters, which some
/// spreadsheets skip), or it starts with a tab or line break, it is prefixed with `'`, the
/// usual CSV-injection defence. Anything else is kept as written.
pub fn cell(text: &str) -> Cow<'_, str> {
    let invisible =
        |c: char| c.is_whitespace() || matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}');
    let first = text.trim_start_matches(invisible).chars().next();
    let risky =
        first.is_some_and(|c| FORMULA_START.contains(&c)) || text.starts_with(['\t', '\r', '\n']);
    if risky {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Year, month and day of a date as the GTD writes them: 0 for a part not known.
pub fn ymd(d: &PartialDate) -> (i16, i8, i8) {
    match *d {
        PartialDate::Year(y) => (y, 0, 0),
        PartialDate::Month(y, m) => (y, m, 0),
        PartialDate::Day(d) => (d.year(), d.month(), d.day()),
        PartialDate::Time(t, o) => {
            let d = o.to_datetime(t).date();
            (d.year(), d.month(), d.day())
        }
    }
}

/// A source in one line: `Publisher: Title (date) <url>`.
fn source_text(s: &Source) -> String {
    let mut out = String::new();
    if let Some(p) = &s.publisher {
        out.push_str(p);
        out.push_str(": ");
    }
    out.push_str(&s.title);
    if let Some(d) = &s.date {
        out.push_str(&format!(" ({})", d.iso()));
    }
    if let Some(u) = &s.url {
        out.push_str(&format!(" <{u}>"));
    }
    out
}

fn titles(x: &Exports, ids: impl IntoIterator<Item = EntityId>) -> String {
    let t: Vec<&str> = ids
        .into_iter()
        .map(|id| x.get(id).common.title.as_str())
        .collect();
    t.join("; ")
}

fn slugs(x: &Exports, ids: impl IntoIterator<Item = EntityId>) -> String {
    let s: Vec<&str> = ids.into_iter().map(|id| x.slug(id)).collect();
    s.join("; ")
}

/// The columns of `data/incidents.csv`.
pub const INCIDENT_COLUMNS: [&str; 28] = [
    "eventid",
    "iyear",
    "imonth",
    "iday",
    "approxdate",
    "extended",
    "resolution",
    "country_iso",
    "country_txt",
    "provstate",
    "city",
    "location",
    "latitude",
    "longitude",
    "title",
    "summary",
    "attacktype_txt",
    "targtype_txt",
    "gname",
    "perpetrators",
    "claimed",
    "claimed_by",
    "nkill",
    "nwound",
    "casualties_note",
    "status",
    "sources",
    "url",
];

/// `data/incidents.csv`, streamed to `w`.
pub fn write_incidents(x: &Exports, source: PieceSource, w: &mut dyn Write) -> io::Result<()> {
    let ids: Vec<EntityId> = x.listed(Kind::Incident).map(|e| e.id).collect();
    w.write_all(&record(INCIDENT_COLUMNS))?;
    source.each(x, Part::Row, &ids, &mut |p| w.write_all(p))
}

/// One record as a CSV line.
fn record<I>(fields: I) -> Vec<u8>
where
    I: IntoIterator,
    I::Item: AsRef<[u8]>,
{
    let mut w = ::csv::Writer::from_writer(Vec::new());
    // Into memory: cannot fail.
    let _ = w.write_record(fields);
    w.into_inner().unwrap_or_default()
}

/// The row of entity `e` in `data/incidents.csv` or `data/statements.csv` (empty for the
/// other kinds).
pub(super) fn row(x: &Exports, e: &Entity) -> Vec<u8> {
    match &e.data {
        Data::Incident(_) => incident_row(x, e),
        Data::Statement(_) => statement_row(x, e),
        _ => Vec::new(),
    }
}

fn incident_row(x: &Exports, e: &Entity) -> Vec<u8> {
    let Data::Incident(i) = &e.data else {
        return Vec::new();
    };
    let loc = i.location.as_ref();
    let text = |f: fn(&crate::model::Location) -> Option<&String>| {
        cell(loc.and_then(f).map_or("", String::as_str)).into_owned()
    };
    let country = loc.and_then(|l| l.country);
    let coords = loc.and_then(|l| l.coordinates);
    let cas = i.casualties.as_ref();
    let num = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
    let (y, m, d) = ymd(&i.date);
    let claimed = claimed_by(x, e.id);
    let claimed_titles: Vec<&str> = claimed
        .iter()
        .filter_map(|s| x.site.by_slug.get(*s))
        .map(|&id| x.get(id).common.title.as_str())
        .collect();
    let extended = i.end_date.is_some_and(|end| end != i.date);
    let sources: Vec<String> = e.common.sources.iter().map(source_text).collect();
    record([
        e.slug.as_str(),
        &y.to_string(),
        &m.to_string(),
        &d.to_string(),
        &i.date.iso(),
        if extended { "1" } else { "0" },
        &i.end_date.map(|d| d.iso()).unwrap_or_default(),
        country.map_or("", |c| c.as_str()),
        country.map_or("", |c| c.name()),
        &text(|l| l.region.as_ref()),
        &text(|l| l.city.as_ref()),
        &text(|l| l.place.as_ref()),
        &coords.map(|c| c[0].to_string()).unwrap_or_default(),
        &coords.map(|c| c[1].to_string()).unwrap_or_default(),
        &cell(&e.common.title),
        &cell(e.common.summary.as_deref().unwrap_or("")),
        &cell(&i.attack_types.join("; ")),
        &cell(&i.targets.join("; ")),
        &cell(&titles(x, i.perpetrators.iter().copied())),
        &slugs(x, i.perpetrators.iter().copied()),
        if claimed.is_empty() { "0" } else { "1" },
        &cell(&claimed_titles.join("; ")),
        &num(cas.and_then(|c| c.killed)),
        &num(cas.and_then(|c| c.injured)),
        &cell(cas.and_then(|c| c.note.as_deref()).unwrap_or("")),
        i.status.as_str(),
        &cell(&sources.join("; ")),
        &x.page_url(e),
    ])
}

/// The columns of `data/statements.csv`.
pub const STATEMENT_COLUMNS: [&str; 26] = [
    "slug",
    "date",
    "iyear",
    "imonth",
    "iday",
    "speaker",
    "speaker_slug",
    "falsely_attributed",
    "verification",
    "verification_note",
    "stance",
    "incident",
    "incident_slug",
    "about",
    "about_slugs",
    "via",
    "quote",
    "title",
    "summary",
    "source",
    "source_publisher",
    "source_url",
    "source_date",
    "source_reliability",
    "tlp",
    "url",
];

/// `data/statements.csv`, streamed to `w`. A fabricated or false statement keeps its speaker in
/// `speaker` (whom it is attributed to) with `falsely_attributed` set to 1 beside it.
pub fn write_statements(x: &Exports, source: PieceSource, w: &mut dyn Write) -> io::Result<()> {
    let ids: Vec<EntityId> = x.listed(Kind::Statement).map(|e| e.id).collect();
    w.write_all(&record(STATEMENT_COLUMNS))?;
    source.each(x, Part::Row, &ids, &mut |p| w.write_all(p))
}

fn statement_row(x: &Exports, e: &Entity) -> Vec<u8> {
    let Data::Statement(s) = &e.data else {
        return Vec::new();
    };
    let (y, m, d) = ymd(&s.date);
    let status = s.verification.as_ref().map(|v| v.status);
    // `false` or `fabricated`: the content model's "falsely attributed" (issue 12).
    let fabricated = s.falsely_attributed();
    let src = s.source.as_ref();
    record([
        e.slug.as_str(),
        &s.date.iso(),
        &y.to_string(),
        &m.to_string(),
        &d.to_string(),
        &cell(&titles(x, s.speaker)),
        &slugs(x, s.speaker),
        if fabricated { "1" } else { "0" },
        status.map_or("", |v| v.as_str()),
        &cell(
            s.verification
                .as_ref()
                .and_then(|v| v.note.as_deref())
                .unwrap_or(""),
        ),
        s.stance.as_str(),
        &cell(&titles(x, s.incident)),
        &slugs(x, s.incident),
        &cell(&titles(x, s.about.iter().copied())),
        &slugs(x, s.about.iter().copied()),
        &cell(&titles(x, s.via)),
        &cell(s.quote.as_deref().unwrap_or("")),
        &cell(&e.common.title),
        &cell(e.common.summary.as_deref().unwrap_or("")),
        &cell(src.map_or("", |s| s.title.as_str())),
        &cell(src.and_then(|s| s.publisher.as_deref()).unwrap_or("")),
        &cell(src.and_then(|s| s.url.as_deref()).unwrap_or("")),
        &src.and_then(|s| s.date)
            .map(|d| d.iso())
            .unwrap_or_default(),
        src.and_then(|s| s.reliability).map_or("", |r| r.as_str()),
        e.common.tlp.as_str(),
        &x.page_url(e),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_could_be_formulas_are_defused() {
        for risky in [
            "=1+1",
            "+1",
            "-1",
            "@SUM(A1)",
            " =1",
            "\t=1",
            "\u{3000}=1",
            "\u{a0}+1",
            "\u{FF1D}1",
            "\u{FF0B}1",
            "\u{FF0D}1",
            "\u{FF20}x",
            "\u{200B}=1",
            "\tplain",
            "\rplain",
            "\nplain",
        ] {
            assert_eq!(cell(risky), format!("'{risky}"), "{risky:?}");
        }
        for safe in ["", "plain", "a=b", "Lyon, centre", "'quoted", " plain"] {
            assert_eq!(cell(safe), safe, "{safe:?}");
        }
    }

    #[test]
    fn unknown_date_parts_are_zero() {
        let d = |s: &str| s.parse::<PartialDate>().expect("date");
        assert_eq!(ymd(&d("2015")), (2015, 0, 0));
        assert_eq!(ymd(&d("2015-06")), (2015, 6, 0));
        assert_eq!(ymd(&d("2015-06-21")), (2015, 6, 21));
        assert_eq!(ymd(&d("2015-06-21T23:30:00-05:00")), (2015, 6, 21));
    }
}
