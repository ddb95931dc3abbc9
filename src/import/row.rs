//! One CSV row -> one incident, or every reason the row cannot be mapped.
//!
//! Pure functions of the row and the mapping: no file system, no site. Cells the mapping
//! calls unknown (`-9`, `Unknown`, empty) become absent fields, never zeros.

use crate::model::country::COUNTRIES;
use crate::model::{PartialDate, slugify};

use super::mapping::{Mapping, Resolved, lookup};

/// An incident read from a row, before slugs are given out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// Value of the `id` column.
    pub id: Option<String>,
    /// Value of the `slug` column.
    pub slug: Option<String>,
    /// Title (given, or made from the attack type and place).
    pub title: String,
    /// Summary.
    pub summary: Option<String>,
    /// Start.
    pub date: Option<PartialDate>,
    /// End.
    pub end_date: Option<PartialDate>,
    /// ISO code.
    pub country: Option<String>,
    /// Region.
    pub region: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Place.
    pub place: Option<String>,
    /// `[lat, lon]`.
    pub coordinates: Option<[f64; 2]>,
    /// Killed.
    pub killed: Option<u64>,
    /// Injured.
    pub injured: Option<u64>,
    /// Casualty note.
    pub casualties_note: Option<String>,
    /// Attack type values.
    pub attack_types: Vec<String>,
    /// Target values.
    pub targets: Vec<String>,
    /// Perpetrator names as written.
    pub perpetrators: Vec<String>,
    /// Source texts.
    pub sources: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Map one record; `Err` holds every problem of the row.
pub fn map_row(
    m: &Mapping,
    cols: &Resolved,
    record: &csv::StringRecord,
) -> Result<Row, Vec<String>> {
    let mut errors = Vec::new();
    let name = |i: usize| cols.names.get(i).map_or("?", String::as_str);
    let cell = |i: Option<usize>| -> Option<&str> {
        let text = record.get(i?)?.trim();
        (!m.is_unknown(text)).then_some(text)
    };
    let text = |i: Option<usize>| cell(i).map(str::to_string);
    let list = |is: &[usize]| -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for &i in is {
            let Some(c) = cell(Some(i)) else { continue };
            let parts: Vec<&str> = match m.split.as_deref() {
                Some(sep) if !sep.is_empty() => c.split(sep).map(str::trim).collect(),
                _ => vec![c],
            };
            for p in parts {
                if !p.is_empty() && !m.is_unknown(p) && !out.contains(&p) {
                    out.push(p);
                }
            }
        }
        out
    };

    let mut row = Row {
        id: text(cols.id),
        slug: text(cols.slug),
        summary: text(cols.summary),
        region: text(cols.region),
        city: text(cols.city),
        place: text(cols.place),
        casualties_note: text(cols.casualties_note),
        ..Row::default()
    };

    // Date: one column, or year/month/day with 0 for an unknown part (GTD).
    if let Some(i) = cols.date {
        match cell(Some(i)).map(parse_date) {
            Some(Ok(d)) => row.date = Some(d),
            Some(Err(why)) => errors.push(format!("`{}`: {why}", name(i))),
            None => errors.push(format!("`{}` is empty: an incident needs a date", name(i))),
        }
    } else if let Some(yi) = cols.year {
        let part = |i: Option<usize>, what: &str, max: u32, errors: &mut Vec<String>| -> u32 {
            let Some(c) = cell(i) else { return 0 };
            match parse_whole(c) {
                Some(n) if n <= u64::from(max) => n as u32,
                _ => {
                    errors.push(format!(
                        "`{}`: `{c}` is not a {what} (0 to {max})",
                        name(i.unwrap_or(0))
                    ));
                    0
                }
            }
        };
        let year = part(Some(yi), "year", 9999, &mut errors);
        let month = part(cols.month, "month", 12, &mut errors);
        let day = part(cols.day, "day", 31, &mut errors);
        if year == 0 {
            if cell(Some(yi)).is_none() {
                errors.push(format!("`{}` is empty: an incident needs a date", name(yi)));
            }
        } else {
            let iso = match (month, day) {
                (0, _) => format!("{year:04}"),
                (m, 0) => format!("{year:04}-{m:02}"),
                (m, d) => format!("{year:04}-{m:02}-{d:02}"),
            };
            match iso.parse::<PartialDate>() {
                Ok(d) => row.date = Some(d),
                Err(e) => errors.push(e.to_string()),
            }
        }
    }
    if let Some(i) = cols.end_date {
        match cell(Some(i)).map(parse_date) {
            Some(Ok(d)) => row.end_date = Some(d),
            Some(Err(why)) => errors.push(format!("`{}`: {why}", name(i))),
            None => {}
        }
    }

    if let Some(c) = cell(cols.country) {
        match country_code(m, c) {
            Ok(code) => row.country = code,
            Err(why) => errors.push(why),
        }
    }

    let coordinate = |i: Option<usize>, limit: f64, errors: &mut Vec<String>| -> Option<f64> {
        let c = cell(i)?;
        match c.parse::<f64>() {
            Ok(v) if v.is_finite() && v.abs() <= limit => Some(v),
            _ => {
                errors.push(format!(
                    "`{}`: `{c}` is not a coordinate between -{limit} and {limit}",
                    name(i.unwrap_or(0))
                ));
                None
            }
        }
    };
    let lat = coordinate(cols.latitude, 90.0, &mut errors);
    let lon = coordinate(cols.longitude, 180.0, &mut errors);
    match (lat, lon) {
        (Some(lat), Some(lon)) => row.coordinates = Some([lat, lon]),
        (Some(_), None) if cell(cols.longitude).is_none() => {
            errors.push("a latitude without a longitude".into());
        }
        (None, Some(_)) if cell(cols.latitude).is_none() => {
            errors.push("a longitude without a latitude".into());
        }
        _ => {}
    }

    let count = |i: Option<usize>, errors: &mut Vec<String>| -> Option<u64> {
        let c = cell(i)?;
        let n = parse_whole(c);
        if n.is_none() {
            errors.push(format!(
                "`{}`: `{c}` is not a whole number of people",
                name(i.unwrap_or(0))
            ));
        }
        n
    };
    row.killed = count(cols.killed, &mut errors);
    row.injured = count(cols.injured, &mut errors);

    row.attack_types = values(m, &m.values.attack_types, list(&cols.attack_types));
    row.targets = values(m, &m.values.targets, list(&cols.targets));
    row.tags = list(&cols.tags)
        .into_iter()
        .filter_map(slugify)
        .fold(Vec::new(), push_new);
    row.perpetrators = list(&cols.perpetrators)
        .into_iter()
        .filter_map(|p| match lookup(&m.values.perpetrators, p) {
            Some("") => None,
            Some(v) => Some(v.to_string()),
            None => Some(p.to_string()),
        })
        .filter(|p| slugify(p).is_some())
        .fold(Vec::new(), push_new);
    row.sources = list(&cols.sources)
        .into_iter()
        .map(str::to_string)
        .collect();

    row.title = match text(cols.title) {
        Some(t) => t,
        None => made_title(&row),
    };
    if errors.is_empty() {
        Ok(row)
    } else {
        Err(errors)
    }
}

fn push_new(mut v: Vec<String>, s: String) -> Vec<String> {
    if !v.contains(&s) {
        v.push(s);
    }
    v
}

/// Cells through a value table: a mapped value as written (slugified), `""` dropped,
/// anything else slugified.
fn values(
    m: &Mapping,
    table: &std::collections::BTreeMap<String, String>,
    cells: Vec<&str>,
) -> Vec<String> {
    cells
        .into_iter()
        .filter_map(|c| match lookup(table, c) {
            Some(v) if v.is_empty() || m.is_unknown(v) => None,
            Some(v) => slugify(v),
            None => slugify(c),
        })
        .fold(Vec::new(), push_new)
}

/// `Bombing in Kabul, Afghanistan`, from what the row has.
fn made_title(row: &Row) -> String {
    let what = row
        .attack_types
        .first()
        .map_or("Incident".to_string(), |a| {
            let words = a.replace('-', " ");
            let mut c = words.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        });
    let country = row
        .country
        .as_deref()
        .and_then(crate::model::country::country_name);
    let place: Vec<&str> = [row.city.as_deref().or(row.region.as_deref()), country]
        .into_iter()
        .flatten()
        .collect();
    if place.is_empty() {
        what
    } else {
        format!("{what} in {}", place.join(", "))
    }
}

/// A whole, non-negative number; `3.0` counts (spreadsheets write counts as decimals).
fn parse_whole(c: &str) -> Option<u64> {
    if let Ok(n) = c.parse::<u64>() {
        return Some(n);
    }
    let f: f64 = c.parse().ok()?;
    (f.is_finite() && f >= 0.0 && f.fract() == 0.0 && f < 1e15).then_some(f as u64)
}

/// `2024`, `2024-03`, `2024-03-22`, RFC 3339, or `22 March 2024` / `March 2024` (ACLED).
pub fn parse_date(c: &str) -> Result<PartialDate, String> {
    if let Ok(d) = c.parse::<PartialDate>() {
        return Ok(d);
    }
    let words: Vec<String> = c
        .split([' ', '-', '/', ','])
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let month = |w: &str| {
        MONTHS
            .iter()
            .position(|m| w.len() >= 3 && m.starts_with(w))
            .map(|i| i + 1)
    };
    let iso = match words.as_slice() {
        [d, m, y] if d.parse::<u8>().is_ok() && month(m).is_some() => {
            format!("{y}-{:02}-{:0>2}", month(m).unwrap_or(1), d)
        }
        [m, y] if month(m).is_some() => format!("{y}-{:02}", month(m).unwrap_or(1)),
        _ => String::new(),
    };
    iso.parse::<PartialDate>().map_err(|_| {
        format!("`{c}` is not a date; use `2024-03-22`, `2024-03`, `2024` or `22 March 2024`")
    })
}

/// A country cell -> its ISO code (`None`: mapped away), through `[values.country]`,
/// then as a code, then by its English name, ignoring case and accents.
fn country_code(m: &Mapping, c: &str) -> Result<Option<String>, String> {
    let c = match lookup(&m.values.country, c) {
        Some("") => return Ok(None),
        Some(v) => v,
        None => c,
    };
    let upper = c.to_ascii_uppercase();
    if upper.len() == 2 && COUNTRIES.iter().any(|(code, _)| *code == upper) {
        return Ok(Some(upper));
    }
    static BY_NAME: std::sync::OnceLock<std::collections::HashMap<String, &'static str>> =
        std::sync::OnceLock::new();
    let by_name = BY_NAME.get_or_init(|| {
        COUNTRIES
            .iter()
            .map(|(code, name)| (name_key(name), *code))
            .collect()
    });
    if let Some(code) = by_name.get(&name_key(c)) {
        return Ok(Some((*code).to_string()));
    }
    let hint = crate::diag::did_you_mean(c, COUNTRIES.iter().map(|(_, n)| *n))
        .map(|n| format!("; did you mean `{n}`?"))
        .unwrap_or_default();
    Err(format!(
        "unknown country `{c}`{hint} (map it to an ISO code, or to \"\" to leave it out, in \
         `[values.country]` of a mapping file)"
    ))
}

/// A name compared ignoring case, accents and punctuation: `Côte d’Ivoire` ==
/// `cote d'ivoire` == `COTE-D-IVOIRE`.
pub fn name_key(name: &str) -> String {
    slugify(&name.replace('&', " and ")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping() -> Mapping {
        Mapping::parse(super::super::gtd::GTD).unwrap()
    }

    fn row(header: &[&str], cells: &[&str]) -> Result<Row, Vec<String>> {
        let m = mapping();
        let mut h: Vec<String> = header.iter().map(|s| s.to_string()).collect();
        // Every column the GTD mapping names, so it resolves.
        for c in [
            "eventid",
            "iyear",
            "imonth",
            "iday",
            "summary",
            "country_txt",
            "provstate",
            "city",
            "location",
            "latitude",
            "longitude",
            "nkill",
            "nwound",
            "attacktype1_txt",
            "attacktype2_txt",
            "attacktype3_txt",
            "targtype1_txt",
            "targtype2_txt",
            "targtype3_txt",
            "gname",
            "gname2",
            "gname3",
            "scite1",
            "scite2",
            "scite3",
        ] {
            if !h.iter().any(|x| x == c) {
                h.push(c.to_string());
            }
        }
        let cols = m.resolve(&h).unwrap();
        let mut rec: Vec<&str> = cells.to_vec();
        rec.resize(h.len(), "");
        map_row(&m, &cols, &csv::StringRecord::from(rec))
    }

    #[test]
    fn gtd_unknowns_become_absent() {
        let r = row(
            &[
                "iyear",
                "imonth",
                "iday",
                "city",
                "nkill",
                "gname",
                "latitude",
                "longitude",
            ],
            &["2015", "6", "0", "Unknown", "-9", "Unknown", "", ""],
        )
        .unwrap();
        assert_eq!(r.date, Some("2015-06".parse().unwrap()));
        assert_eq!((r.city, r.killed, r.coordinates), (None, None, None));
        assert!(r.perpetrators.is_empty());
        assert_eq!(r.title, "Incident");
    }

    #[test]
    fn every_problem_of_a_row_is_reported() {
        let errs = row(
            &[
                "iyear",
                "imonth",
                "iday",
                "country_txt",
                "nkill",
                "latitude",
                "longitude",
            ],
            &["2015", "13", "2", "Atlantis", "many", "95", "10"],
        )
        .unwrap_err();
        assert_eq!(errs.len(), 4, "{errs:?}");
        assert!(
            errs[0].contains("imonth") && errs[1].contains("Atlantis"),
            "{errs:?}"
        );
    }

    #[test]
    fn countries_by_name_code_or_table() {
        let m = mapping();
        assert_eq!(country_code(&m, "Russia").unwrap().as_deref(), Some("RU"));
        assert_eq!(
            country_code(&m, "cote d'ivoire").unwrap().as_deref(),
            Some("CI")
        );
        assert_eq!(country_code(&m, "af").unwrap().as_deref(), Some("AF"));
        assert_eq!(country_code(&m, "Soviet Union").unwrap(), None);
        assert!(country_code(&m, "Rusia").unwrap_err().contains("Russia"));
    }

    #[test]
    fn acled_dates_parse() {
        assert_eq!(
            parse_date("22 March 2024").unwrap(),
            "2024-03-22".parse().unwrap()
        );
        assert_eq!(
            parse_date("3 Sep 2022").unwrap(),
            "2022-09-03".parse().unwrap()
        );
        assert_eq!(parse_date("2021").unwrap(), "2021".parse().unwrap());
        assert!(parse_date("31 February 2024").is_err());
        assert!(parse_date("soon").is_err());
    }

    #[test]
    fn titles_and_counts() {
        let r = row(
            &[
                "iyear",
                "imonth",
                "iday",
                "attacktype1_txt",
                "city",
                "country_txt",
                "nkill",
            ],
            &[
                "2021",
                "8",
                "26",
                "Bombing/Explosion",
                "Kabul",
                "Afghanistan",
                "183.0",
            ],
        )
        .unwrap();
        assert_eq!(r.title, "Bombing in Kabul, Afghanistan");
        assert_eq!(r.attack_types, ["bombing"]);
        assert_eq!(r.killed, Some(183));
    }
}
