//! What single values become in the exports: fabricated statements, partial dates, formulas.

use std::collections::{BTreeMap, BTreeSet};

use super::{check_exports, csv_rows};
use crate::support::TestSite;

/// A fabricated statement is never presented as its speaker's words: not an opinion,
/// not created by the speaker, labelled, and flagged in the CSV.
#[test]
fn fabricated_statements_are_not_the_speakers_words() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let objects = check_exports(&site);
    let by_page = |slug: &str| {
        objects
            .values()
            .find(|o| o["external_references"][0]["external_id"] == format!("statements/{slug}"))
            .unwrap_or_else(|| panic!("no STIX object for `{slug}`"))
    };
    let ministry = objects
        .values()
        .find(|o| {
            o["type"] == "identity"
                && o["external_references"][0]["external_id"] == "actors/interior-ministry"
        })
        .expect("ministry identity");
    let fake = by_page("fake-ministry-denial");
    assert_eq!(fake["type"], "note", "{fake}");
    assert_ne!(fake["created_by_ref"], ministry["id"]);
    assert_eq!(
        objects[fake["created_by_ref"].as_str().expect("creator")]["name"],
        "Harbour briefing"
    );
    assert!(
        fake["labels"]
            .as_array()
            .expect("labels")
            .iter()
            .any(|l| l == "falsely-attributed")
    );
    assert!(
        fake["abstract"]
            .as_str()
            .expect("abstract")
            .starts_with("Fabricated statement falsely attributed to")
    );
    assert!(
        fake["object_refs"]
            .as_array()
            .expect("refs")
            .contains(&ministry["id"])
    );
    // A genuine statement by the same speaker is its opinion: blames -> agree.
    let blames = by_page("ministry-blames-northern-front");
    assert_eq!(
        (blames["type"].as_str(), blames["opinion"].as_str()),
        (Some("opinion"), Some("agree"))
    );
    assert_eq!(blames["created_by_ref"], ministry["id"]);
    // A group speaks through an identity of its own; claims -> strongly-agree.
    let claim = by_page("nf-coastal-claims-harbour-bombing");
    assert_eq!(claim["opinion"], "strongly-agree");
    let voice = &objects[claim["created_by_ref"].as_str().expect("creator")];
    assert_eq!(
        (voice["type"].as_str(), voice["identity_class"].as_str()),
        (Some("identity"), Some("group"))
    );
    // Condemnation is no agreement: a note.
    assert_eq!(by_page("russia-condemns-harbour-bombing")["type"], "note");

    let rows = csv_rows(&site.read_out("data/statements.csv"));
    let row = rows
        .iter()
        .find(|r| r["slug"] == "fake-ministry-denial")
        .expect("row");
    assert_eq!(
        (
            row["falsely_attributed"].as_str(),
            row["verification"].as_str()
        ),
        ("1", "fabricated")
    );
    assert!(
        rows.iter()
            .filter(|r| r["slug"] != "fake-ministry-denial")
            .all(|r| r["falsely_attributed"] == "0")
    );
}

#[test]
fn incidents_csv_writes_zero_for_unknown_date_parts_like_the_gtd() {
    let site = TestSite::new();
    for (slug, date) in [
        ("in-year", "2015"),
        ("in-month", "2015-06"),
        ("on-day", "2015-06-21"),
        ("at-time", "2015-06-21T23:30:00-05:00"),
    ] {
        site.write(
            &format!("content/incidents/{slug}.md"),
            &format!("---\ntitle: {slug}\ndate: {date}\n---\n"),
        );
    }
    site.build_ok();
    let rows = csv_rows(&site.read_out("data/incidents.csv"));
    let ymd: BTreeMap<&str, (&str, &str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["eventid"].as_str(),
                (
                    r["iyear"].as_str(),
                    r["imonth"].as_str(),
                    r["iday"].as_str(),
                    r["approxdate"].as_str(),
                ),
            )
        })
        .collect();
    assert_eq!(ymd["in-year"], ("2015", "0", "0", "2015"));
    assert_eq!(ymd["in-month"], ("2015", "6", "0", "2015-06"));
    assert_eq!(ymd["on-day"], ("2015", "6", "21", "2015-06-21"));
    // The day where it happened, not in UTC (where it is already the 22nd).
    assert_eq!(
        ymd["at-time"],
        ("2015", "6", "21", "2015-06-21T23:30:00-05:00")
    );
    for r in &rows {
        assert_eq!(
            (
                r["nkill"].as_str(),
                r["nwound"].as_str(),
                r["claimed"].as_str()
            ),
            ("", "", "0"),
            "unknown casualties stay empty"
        );
    }
}

/// Text that a spreadsheet would run as a formula, however it is disguised, gets a `'`;
/// every text column is covered, in both CSV files.
#[test]
fn csv_cells_are_formula_safe_with_spaces_tabs_and_full_width_signs() {
    let payloads = [
        "=1+1",
        "+1",
        "-1",
        "@SUM(A1)",
        "  =1+1",
        "\t=1+1",
        "\tx",
        "\u{3000}=1",
        "\u{FF1D}1+1",
        "\u{FF0B}1",
        "\u{FF0D}1",
        "\u{FF20}SUM(A1)",
    ];
    let site = TestSite::new();
    site.write("content/groups/g.md", "---\ntitle: \"=G\"\n---\n");
    site.write(
        "content/actors/a.md",
        "---\ntitle: \" +A\"\nkind: state\n---\n",
    );
    for (n, p) in payloads.iter().enumerate() {
        let q = serde_json::to_string(p).expect("quoted");
        site.write(
            &format!("content/incidents/i{n}.md"),
            &format!("---\ntitle: {q}\nsummary: {q}\ndate: 2020-01-0{}\nlocation: {{ city: {q}, place: {q}, region: {q}, country: FR }}\ncasualties: {{ note: {q} }}\nattack_types: [{q}]\ntargets: [{q}]\nperpetrators: [g]\nsources: [{{ title: {q}, publisher: {q} }}]\n---\n", n % 9 + 1),
        );
        site.write(
            &format!("content/statements/s{n}.md"),
            &format!("---\ntitle: {q}\nsummary: {q}\ndate: 2020-02-01\nspeaker: a\nvia: a\nabout: [g]\nincident: i{n}\nstance: claims\nquote: {q}\nverification: {{ status: unverified, note: {q} }}\nsource: {{ title: {q}, publisher: {q}, url: \"https://example.org/x\" }}\n---\n"),
        );
    }
    site.build_ok();
    let numeric = [
        "iyear",
        "imonth",
        "iday",
        "latitude",
        "longitude",
        "nkill",
        "nwound",
        "claimed",
        "extended",
        "falsely_attributed",
    ];
    for file in ["data/incidents.csv", "data/statements.csv"] {
        let rows = csv_rows(&site.read_out(file));
        assert_eq!(rows.len(), payloads.len(), "{file}");
        let mut checked = 0;
        for row in &rows {
            for (col, value) in row {
                if numeric.contains(&col.as_str()) {
                    assert!(
                        value
                            .chars()
                            .all(|c| c.is_ascii_digit() || c == '.' || c == '-'),
                        "{file} {col}: {value:?}"
                    );
                    continue;
                }
                let first = value.trim_start().chars().next();
                let risky = first
                    .is_some_and(|c| "=+-@\u{FF1D}\u{FF0B}\u{FF0D}\u{FF20}".contains(c))
                    || value.starts_with(['\t', '\r']);
                assert!(
                    !risky,
                    "{file}, column `{col}`: {value:?} could run as a formula"
                );
                if value.starts_with('\'') {
                    checked += 1;
                }
            }
        }
        assert!(
            checked >= payloads.len() * 5,
            "{file}: only {checked} defused cells"
        );
    }
    // The text itself is kept after the `'`.
    let rows = csv_rows(&site.read_out("data/incidents.csv"));
    let titles: BTreeSet<&str> = rows.iter().map(|r| r["title"].as_str()).collect();
    for p in payloads {
        assert!(
            titles.contains(format!("'{p}").as_str()),
            "{p:?} in {titles:?}"
        );
    }
    let statements = csv_rows(&site.read_out("data/statements.csv"));
    assert!(
        statements
            .iter()
            .all(|r| r["speaker"] == "' +A" && r["about"] == "'=G")
    );
}
