//! The site side of an import: what the site already holds (slugs, group names) and the
//! Markdown text of the files an import writes.
//!
//! Generated frontmatter is YAML whose every string is a JSON string literal, which YAML
//! reads as the same text: no cell can break out of its field, whatever it holds.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use crate::model::{Data, Kind, PartialDate};

use super::row::{Row, name_key};

/// What the site already holds.
#[derive(Debug, Default)]
pub struct Existing {
    /// Every slug and file stem of every kind.
    pub slugs: HashSet<String>,
    /// Group title, short name and aliases (by [`name_key`]) -> slug.
    pub groups: HashMap<String, String>,
}

/// Read the site's content folders (files that do not parse still reserve their stem).
pub fn existing(root: &Path) -> Existing {
    let mut out = Existing::default();
    for kind in Kind::ALL {
        let dir = Path::new("content").join(kind.dir());
        let Ok(entries) = std::fs::read_dir(root.join(&dir)) else {
            continue;
        };
        let mut files: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        files.sort();
        for path in files {
            if path.extension().is_none_or(|e| e != "md") {
                continue;
            }
            let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            out.slugs.insert(stem.to_string());
            let Ok(text) = crate::source::read_source(&path) else {
                continue;
            };
            let rel = dir.join(path.file_name().unwrap_or_default());
            let (Some(doc), _) = crate::load::parse_document_text(kind, &rel, &text) else {
                continue;
            };
            out.slugs.insert(doc.slug.to_string());
            if let Data::Group(g) = &doc.data {
                let names = std::iter::once(&doc.common.title)
                    .chain(g.short_name.as_ref())
                    .chain(&g.aliases);
                for name in names {
                    out.groups
                        .entry(name_key(name))
                        .or_insert_with(|| doc.slug.to_string());
                }
            }
        }
    }
    out
}

/// A string as a YAML scalar (a JSON string literal).
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| q(s)).collect();
    format!("[{}]", quoted.join(", "))
}

fn date(d: &PartialDate) -> String {
    q(&d.iso())
}

/// Where a row came from, for the generated bodies.
pub struct Origin<'a> {
    /// File name of the CSV.
    pub file: &'a str,
    /// Line of the row.
    pub line: u64,
    /// Dataset name (`GTD`).
    pub dataset: Option<&'a str>,
}

impl Origin<'_> {
    fn sentence(&self, id: Option<&str>) -> String {
        let file = self.file.replace('`', "'");
        let mut s = format!("line {} of `{file}`", self.line);
        match (self.dataset, id) {
            (Some(set), Some(id)) => {
                let _ = write!(s, " ({set} event `{}`)", id.replace('`', "'"));
            }
            (None, Some(id)) => {
                let _ = write!(s, " (id `{}`)", id.replace('`', "'"));
            }
            _ => {}
        }
        s
    }
}

/// The Markdown file of an imported incident; `perpetrators` are group slugs.
pub fn incident_file(row: &Row, perpetrators: &[String], origin: &Origin<'_>) -> String {
    let mut f = String::with_capacity(512);
    f.push_str("---\n");
    let _ = writeln!(f, "title: {}", q(&row.title));
    if let Some(s) = &row.summary {
        let _ = writeln!(f, "summary: {}", q(s));
    }
    if let Some(d) = &row.date {
        let _ = writeln!(f, "date: {}", date(d));
    }
    if let Some(d) = &row.end_date {
        let _ = writeln!(f, "end_date: {}", date(d));
    }
    let place = [
        ("place", &row.place),
        ("city", &row.city),
        ("region", &row.region),
        ("country", &row.country),
    ];
    if place.iter().any(|(_, v)| v.is_some()) || row.coordinates.is_some() {
        f.push_str("location:\n");
        for (key, value) in place {
            if let Some(v) = value {
                let _ = writeln!(f, "  {key}: {}", q(v));
            }
        }
        if let Some([lat, lon]) = row.coordinates {
            let _ = writeln!(f, "  coordinates: [{lat}, {lon}]");
        }
    }
    if row.killed.is_some() || row.injured.is_some() || row.casualties_note.is_some() {
        f.push_str("casualties:\n");
        if let Some(n) = row.killed {
            let _ = writeln!(f, "  killed: {n}");
        }
        if let Some(n) = row.injured {
            let _ = writeln!(f, "  injured: {n}");
        }
        if let Some(n) = &row.casualties_note {
            let _ = writeln!(f, "  note: {}", q(n));
        }
    }
    for (key, items) in [
        ("attack_types", &row.attack_types),
        ("targets", &row.targets),
        ("perpetrators", &perpetrators.to_vec()),
        ("tags", &row.tags),
    ] {
        if !items.is_empty() {
            let _ = writeln!(f, "{key}: {}", list(items));
        }
    }
    if !row.sources.is_empty() {
        f.push_str("sources:\n");
        for s in &row.sources {
            let _ = writeln!(f, "  - title: {}", q(s));
        }
    }
    if let Some(id) = &row.id {
        let _ = writeln!(f, "extra:\n  import_id: {}", q(id));
    }
    f.push_str("---\n\n");
    let _ = writeln!(
        f,
        "*Imported by `briefing import` from {}.*",
        origin.sentence(row.id.as_deref())
    );
    f
}

/// The Markdown file of a group first named by an imported row.
pub fn group_file(name: &str, aliases: &[String], origin: &Origin<'_>) -> String {
    let mut f = String::from("---\n");
    let _ = writeln!(f, "title: {}", q(name));
    if !aliases.is_empty() {
        let _ = writeln!(f, "aliases: {}", list(aliases));
    }
    f.push_str("---\n\n");
    let _ = writeln!(
        f,
        "*Created by `briefing import`: first named on {}.*",
        origin.sentence(None)
    );
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_files_parse_as_the_loader_reads_them() {
        let row = Row {
            title: "Bombing in \"Kabul\"\n---".into(),
            summary: Some("a: b # c".into()),
            date: Some("2021-08".parse().unwrap()),
            city: Some("Kabul".into()),
            country: Some("AF".into()),
            coordinates: Some([34.5, 69.25]),
            killed: Some(3),
            attack_types: vec!["bombing".into()],
            sources: vec!["=HYPERLINK(\"x\")".into()],
            id: Some("2021".into()),
            ..Row::default()
        };
        let origin = Origin {
            file: "gtd.csv",
            line: 2,
            dataset: Some("GTD"),
        };
        let text = incident_file(&row, &["taliban".into()], &origin);
        let (doc, diags) = crate::load::parse_document_text(
            Kind::Incident,
            Path::new("content/incidents/x.md"),
            &text,
        );
        assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}\n{text}");
        let doc = doc.unwrap();
        assert_eq!(doc.common.title, row.title);
        assert_eq!(doc.common.summary, row.summary);
        let Data::Incident(i) = doc.data else {
            panic!()
        };
        assert_eq!(i.perpetrators[0].slug, "taliban");
        assert_eq!(i.location.unwrap().coordinates, Some([34.5, 69.25]));

        let text = group_file("Talibán", &["taliban".into()], &origin);
        let (doc, diags) = crate::load::parse_document_text(
            Kind::Group,
            Path::new("content/groups/taliban.md"),
            &text,
        );
        assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
        assert_eq!(doc.unwrap().common.title, "Talibán");
    }
}
