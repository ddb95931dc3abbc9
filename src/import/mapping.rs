//! Mapping files: which CSV column feeds which incident field, which cell values mean
//! "not known", and how cell text turns into vocabulary values. The format is documented
//! in `docs/import.md`; the built-in `gtd` and `acled` mappings are written in it too.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diag::did_you_mean;

/// A mapping as written in TOML.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Name of the dataset, shown in the generated bodies (`GTD`).
    #[serde(default)]
    pub name: Option<String>,
    /// Cell values that mean "not known" (compared after trimming, ignoring case).
    #[serde(default = "default_unknown")]
    pub unknown: Vec<String>,
    /// Cells starting with one of these (ignoring case) are "not known" too.
    #[serde(default)]
    pub unknown_prefixes: Vec<String>,
    /// Leave out fields whose column the CSV lacks, instead of refusing the file (the
    /// date column must be there all the same).
    #[serde(default)]
    pub allow_missing_columns: bool,
    /// Split cells of list fields on this text (e.g. `";"`); unset: one value per column.
    #[serde(default)]
    pub split: Option<String>,
    /// Where each field comes from.
    pub columns: Columns,
    /// Cell text -> value, per field.
    #[serde(default)]
    pub values: Values,
}

fn default_unknown() -> Vec<String> {
    vec![String::new()]
}

/// One column or several, for list fields.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ColumnList {
    /// `perpetrators = "gname"`.
    One(String),
    /// `perpetrators = ["gname", "gname2"]`.
    Many(Vec<String>),
}

impl Default for ColumnList {
    fn default() -> Self {
        ColumnList::Many(Vec::new())
    }
}

impl ColumnList {
    fn names(&self) -> Vec<&str> {
        match self {
            ColumnList::One(c) => vec![c.as_str()],
            ColumnList::Many(cs) => cs.iter().map(String::as_str).collect(),
        }
    }
}

/// `[columns]`: header names of the CSV for each field. Every field is optional except a
/// date (`date`, or `year` with optional `month` and `day`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Columns {
    pub id: Option<String>,
    pub slug: Option<String>,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub date: Option<String>,
    pub year: Option<String>,
    pub month: Option<String>,
    pub day: Option<String>,
    pub end_date: Option<String>,
    pub country: Option<String>,
    pub region: Option<String>,
    pub city: Option<String>,
    pub place: Option<String>,
    pub latitude: Option<String>,
    pub longitude: Option<String>,
    pub killed: Option<String>,
    pub injured: Option<String>,
    pub casualties_note: Option<String>,
    #[serde(default)]
    pub attack_types: ColumnList,
    #[serde(default)]
    pub targets: ColumnList,
    #[serde(default)]
    pub perpetrators: ColumnList,
    #[serde(default)]
    pub sources: ColumnList,
    #[serde(default)]
    pub tags: ColumnList,
}

/// `[values.<field>]`: cell text (ignoring case) -> value written; `""` drops the value.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Values {
    #[serde(default)]
    pub attack_types: BTreeMap<String, String>,
    #[serde(default)]
    pub targets: BTreeMap<String, String>,
    #[serde(default)]
    pub country: BTreeMap<String, String>,
    #[serde(default)]
    pub perpetrators: BTreeMap<String, String>,
}

impl Mapping {
    /// Parse a mapping file's text; the error is a one-line message.
    pub fn parse(text: &str) -> Result<Mapping, String> {
        let mapping: Mapping = toml::from_str(text).map_err(|e| {
            let at = e
                .span()
                .map(|s| {
                    let (line, col) = crate::diag::line_column(text, s.start);
                    format!(" (line {line}, column {col})")
                })
                .unwrap_or_default();
            format!("{}{at}", e.message().trim_end_matches('\n'))
        })?;
        let c = &mapping.columns;
        if c.date.is_none() && c.year.is_none() {
            return Err(
                "`[columns]` names no date: set `date`, or `year` (with `month` and \
                        `day` if the data has them)"
                    .into(),
            );
        }
        Ok(mapping)
    }

    /// Whether a trimmed cell means "not known".
    pub fn is_unknown(&self, cell: &str) -> bool {
        self.unknown.iter().any(|u| u.eq_ignore_ascii_case(cell))
            || self.unknown_prefixes.iter().any(|p| {
                cell.get(..p.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(p))
            })
    }

    /// Resolve column names against a CSV header; every column missing from the header
    /// is reported, with a did-you-mean where one is close.
    pub fn resolve(&self, header: &[String]) -> Result<Resolved, Vec<String>> {
        let mut missing = Vec::new();
        let mut find = |name: &str| -> Option<usize> {
            let found = header.iter().position(|h| h == name).or_else(|| {
                header
                    .iter()
                    .position(|h| h.trim().eq_ignore_ascii_case(name.trim()))
            });
            if found.is_none() {
                let hint = did_you_mean(name, header.iter().map(String::as_str))
                    .map(|h| format!("; did you mean `{h}`?"))
                    .unwrap_or_default();
                missing.push(format!("no column `{name}` in the CSV header{hint}"));
            }
            found
        };
        let c = &self.columns;
        let mut one = |name: &Option<String>| name.as_deref().and_then(&mut find);
        let mut r = Resolved {
            id: one(&c.id),
            slug: one(&c.slug),
            title: one(&c.title),
            summary: one(&c.summary),
            date: one(&c.date),
            year: one(&c.year),
            month: one(&c.month),
            day: one(&c.day),
            end_date: one(&c.end_date),
            country: one(&c.country),
            region: one(&c.region),
            city: one(&c.city),
            place: one(&c.place),
            latitude: one(&c.latitude),
            longitude: one(&c.longitude),
            killed: one(&c.killed),
            injured: one(&c.injured),
            casualties_note: one(&c.casualties_note),
            ..Resolved::default()
        };
        let mut many = |list: &ColumnList| -> Vec<usize> {
            list.names().into_iter().filter_map(&mut find).collect()
        };
        r.attack_types = many(&c.attack_types);
        r.targets = many(&c.targets);
        r.perpetrators = many(&c.perpetrators);
        r.sources = many(&c.sources);
        r.tags = many(&c.tags);
        r.names = header.to_vec();
        let date_missing = r.date.is_none() && r.year.is_none();
        if self.allow_missing_columns && !date_missing {
            missing.clear();
        }
        if missing.is_empty() {
            Ok(r)
        } else {
            Err(missing)
        }
    }
}

/// Column indices of a mapping in one CSV file.
#[derive(Debug, Clone, Default)]
#[allow(missing_docs)]
pub struct Resolved {
    pub id: Option<usize>,
    pub slug: Option<usize>,
    pub title: Option<usize>,
    pub summary: Option<usize>,
    pub date: Option<usize>,
    pub year: Option<usize>,
    pub month: Option<usize>,
    pub day: Option<usize>,
    pub end_date: Option<usize>,
    pub country: Option<usize>,
    pub region: Option<usize>,
    pub city: Option<usize>,
    pub place: Option<usize>,
    pub latitude: Option<usize>,
    pub longitude: Option<usize>,
    pub killed: Option<usize>,
    pub injured: Option<usize>,
    pub casualties_note: Option<usize>,
    pub attack_types: Vec<usize>,
    pub targets: Vec<usize>,
    pub perpetrators: Vec<usize>,
    pub sources: Vec<usize>,
    pub tags: Vec<usize>,
    /// The header, for messages.
    pub names: Vec<String>,
}

/// Look `cell` up in a value table, ignoring case: `Some("")` means "drop it".
pub fn lookup<'a>(table: &'a BTreeMap<String, String>, cell: &str) -> Option<&'a str> {
    table
        .get(cell)
        .or_else(|| {
            table
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(cell))
                .map(|(_, v)| v)
        })
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mapping_needs_a_date() {
        let err = Mapping::parse("[columns]\ntitle = \"t\"\n").unwrap_err();
        assert!(err.contains("no date"), "{err}");
    }

    #[test]
    fn unknown_keys_are_refused_with_their_line() {
        let err =
            Mapping::parse("[columns]\ndate = \"d\"\ncity = \"c\"\ncountri = \"x\"\n").unwrap_err();
        assert!(err.contains("countri") && err.contains("line 4"), "{err}");
    }

    #[test]
    fn missing_columns_are_all_reported() {
        let m = Mapping::parse("[columns]\ndate = \"when\"\ncity = \"town\"\n").unwrap();
        let err = m
            .resolve(&["When".to_string(), "towns".to_string()])
            .unwrap_err();
        assert_eq!(err.len(), 1);
        assert!(
            err[0].contains("`town`") && err[0].contains("`towns`"),
            "{err:?}"
        );
        let m = Mapping::parse(
            "allow_missing_columns = true\n[columns]\ndate = \"when\"\ncity = \"town\"\n",
        )
        .unwrap();
        let r = m.resolve(&["When".to_string()]).unwrap();
        assert_eq!((r.date, r.city), (Some(0), None));
        assert!(m.resolve(&["town".to_string()]).is_err());
    }

    #[test]
    fn unknown_cells_ignore_case() {
        let mut m = Mapping::parse("unknown = [\"\", \"-9\", \"Unknown\"]\nunknown_prefixes = [\"Unidentified\"]\n[columns]\ndate = \"d\"\n").unwrap();
        assert!(m.is_unknown("unknown") && m.is_unknown("-9") && m.is_unknown(""));
        assert!(m.is_unknown("Unidentified Armed Group (Syria)"));
        assert!(!m.is_unknown("Taliban"));
        m.unknown.clear();
        assert!(!m.is_unknown(""));
    }
}
