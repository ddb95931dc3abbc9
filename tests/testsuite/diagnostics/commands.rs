//! The commands that write content: `init`, `new`, `import csv` and `schema`.

use briefing::diag::Diagnostic;
use briefing::model::Kind;
use briefing::scaffold::{InitOptions, NewOptions, init_site, new_entry};

use super::{assert_unplaced, site};
use crate::support::TestSite;

// ----- init and new -----

#[test]
fn e_not_empty_refuses_a_used_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let d = init_site(&InitOptions {
        dir: dir.path().to_path_buf(),
        force: false,
    })
    .unwrap_err();
    assert_eq!(d.code, "E-not-empty");
    assert_unplaced(&d, None, "--force");
}

fn new_options(site: &TestSite, kind: Kind, title: &str) -> NewOptions {
    NewOptions {
        root: site.root().to_path_buf(),
        kind,
        title: title.to_string(),
        slug: None,
        speaker: None,
        date: None,
    }
}

#[test]
fn e_exists_refuses_to_overwrite() {
    let site = site();
    let d = new_entry(&new_options(&site, Kind::Incident, "Crocus")).unwrap_err();
    assert_eq!(d.code, "E-exists");
    assert_unplaced(&d, Some("content/incidents/crocus.md"), "--slug");
}

#[test]
fn e_no_speaker_says_to_create_one_first() {
    let site = TestSite::new();
    let d = new_entry(&new_options(&site, Kind::Statement, "Said")).unwrap_err();
    assert_eq!(d.code, "E-no-speaker");
    assert_unplaced(&d, None, "briefing new actor");
}

// ----- import csv and schema (issue 14) -----

fn import_in(
    site: &TestSite,
    csv: &str,
    mapping: briefing::import::MappingChoice,
) -> Vec<Diagnostic> {
    let file = site.root().join("data.csv");
    std::fs::write(&file, csv).unwrap();
    let options = briefing::import::ImportOptions {
        file,
        mapping,
        root: site.root().to_path_buf(),
        dry_run: false,
    };
    briefing::import::import_csv(&options, &mut |_, _| {}).diagnostics
}

#[test]
fn e_import_mapping_lists_every_missing_column_with_a_hint() {
    let site = TestSite::new();
    site.write(
        "m.toml",
        "[columns]\ndate = \"when\"\ncity = \"town\"\nkilled = \"dead\"\n",
    );
    let mapping = briefing::import::MappingChoice::File(site.root().join("m.toml"));
    let d = import_in(&site, "when,towns\n2024,Kabul\n", mapping);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, "E-import-mapping");
    assert!(
        d[0].message
            .contains("no column `town` in the CSV header; did you mean `towns`?"),
        "{}",
        d[0]
    );
    assert!(
        d[0].message.contains("`dead`") && d[0].line == Some(1),
        "{}",
        d[0]
    );
}

#[test]
fn e_import_row_points_at_the_line() {
    let site = TestSite::new();
    let d = import_in(
        &site,
        "iyear,imonth,iday\n2024,3,22\n2024,2,30\n",
        briefing::import::MappingChoice::Gtd,
    );
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!((d[0].code.as_str(), d[0].line), ("E-import-row", Some(3)));
    assert!(
        d[0].message.contains("February 2024 has 29 days"),
        "{}",
        d[0]
    );
}

#[test]
fn e_import_exists_never_overwrites() {
    let site = TestSite::new();
    site.write(
        "content/incidents/2024-03-22-incident.md",
        "---\ntitle: Mine\ndate: 2024-03-22\n---\n",
    );
    let d = import_in(
        &site,
        "iyear,imonth,iday\n2024,3,22\n",
        briefing::import::MappingChoice::Gtd,
    );
    assert_eq!(
        (d[0].code.as_str(), d[0].line),
        ("E-import-exists", Some(2))
    );
    assert!(d[0].help.as_deref().unwrap().contains("imported before"));
    let kept =
        std::fs::read_to_string(site.root().join("content/incidents/2024-03-22-incident.md"))
            .unwrap();
    assert!(kept.contains("title: Mine"));
}

#[test]
fn e_import_file_needs_a_site_and_a_readable_csv() {
    let site = TestSite::new();
    let d = import_in(&site, "iyear\n", briefing::import::MappingChoice::Gtd);
    assert!(d.is_empty(), "{d:?}");
    let options = briefing::import::ImportOptions {
        file: site.root().join("missing.csv"),
        mapping: briefing::import::MappingChoice::Gtd,
        root: site.root().to_path_buf(),
        dry_run: false,
    };
    let d = briefing::import::import_csv(&options, &mut |_, _| {}).diagnostics;
    assert_eq!(d[0].code, "E-import-file");
    assert!(d[0].message.contains("missing.csv"), "{}", d[0]);
    let elsewhere = tempfile::tempdir().unwrap();
    let options = briefing::import::ImportOptions {
        root: elsewhere.path().to_path_buf(),
        ..options
    };
    let d = briefing::import::import_csv(&options, &mut |_, _| {}).diagnostics;
    assert_eq!(d[0].code, "E-import-file");
    assert!(
        d[0].help.as_deref().unwrap().contains("briefing init"),
        "{}",
        d[0]
    );
}

#[test]
fn e_schema_write_names_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let d = briefing::schema::write_schemas(&file.join("schemas")).unwrap_err();
    assert_eq!(d.code, "E-schema-write");
    assert!(d.message.contains("a-file/schemas"), "{}", d.message);
    assert!(d.help.as_deref().unwrap().contains("--out"));
}
