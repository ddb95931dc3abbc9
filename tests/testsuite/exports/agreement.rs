//! Every export agrees with the site and with the others, and re-exports give the same bytes.

use std::collections::BTreeSet;

use briefing::build_site;

use super::{check_exports, csv_rows, json, site};
use crate::support::{TestSite, moment, snapshot};

#[test]
fn json_export_holds_published_entities_with_references_as_slugs() {
    let site = site();
    site.build_ok();
    let json: serde_json::Value =
        serde_json::from_str(&site.read_out("data/briefing.json")).expect("valid JSON");
    assert_eq!(json["version"], 1);
    assert_eq!(json["counts"]["incidents"], 1);
    let incidents = json["incidents"].as_array().expect("incidents");
    assert_eq!(incidents.len(), 1);
    assert_eq!(incidents[0]["slug"], "blast");
    assert_eq!(incidents[0]["date"], "2024-05");
    assert_eq!(
        incidents[0]["perpetrators"],
        serde_json::json!(["front"]),
        "withheld group must not be exported"
    );
    assert_eq!(incidents[0]["url"], "https://example.org/incidents/blast/");
    assert_eq!(json["statements"][0]["speaker"], "front");
    let groups: Vec<&str> = json["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .filter_map(|g| g["slug"].as_str())
        .collect();
    assert_eq!(groups, ["front"]);
}

#[test]
fn csv_export_quotes_fields_and_defuses_formulas() {
    let site = site();
    site.build_ok();
    let rows = csv_rows(&site.read_out("data/incidents.csv"));
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(row["eventid"], "blast");
    assert_eq!(row["title"], "'=HYPERLINK(\"http://x\")");
    assert_eq!(
        (row["country_iso"].as_str(), row["country_txt"].as_str()),
        ("FR", "France")
    );
    assert_eq!(row["city"], "Lyon, centre");
    assert_eq!((row["nkill"].as_str(), row["nwound"].as_str()), ("3", "0"));
    assert_eq!(
        row["perpetrators"], "front",
        "withheld group must not be exported"
    );
    assert_eq!(row["gname"], "The Front");
    assert_eq!(
        (row["claimed"].as_str(), row["claimed_by"].as_str()),
        ("1", "The Front")
    );
    let csv = site.read_out("data/incidents.csv");
    assert!(!csv.contains("hidden-cell") && !csv.contains("Hidden cell"));
}

/// Atom and sitemaps need absolute URLs: a site whose `base_url` is a path gets neither
/// (rather than invalid files), no page links to a missing feed, and `check` says why.
#[test]
fn feed_and_sitemap_need_an_absolute_base_url() {
    let site = site();
    site.write("briefing.toml", "title = \"Relative\"\nbase_url = \"/\"\n");
    site.build_ok();
    for file in ["atom.xml", "sitemap.xml"] {
        assert!(
            !site.out().join(file).exists(),
            "`{file}` written with a relative base_url"
        );
    }
    let home = site.read_out("index.html");
    assert!(!home.contains("application/atom+xml"), "{home}");
    assert!(!home.contains("atom.xml"), "{home}");
    let report = briefing::check::check_site(&site.options());
    let warning = report
        .diagnostics
        .iter()
        .find(|d| d.code == "W-relative-base-url")
        .unwrap_or_else(|| panic!("no warning: {:#?}", report.diagnostics));
    assert!(warning.message.contains("no feeds and no sitemap"));
    assert!(!report.passes(true), "--deny-warnings must fail");

    // The same site published at an absolute address gets both, each with absolute URLs.
    let mut opts = site.options();
    opts.base_url = Some("https://example.org/briefing/".into());
    let report = briefing::build_site(&opts);
    assert!(report.success, "{:#?}", report.diagnostics);
    let atom = site.read_out("atom.xml");
    assert!(
        atom.contains("rel=\"self\" type=\"application/atom+xml\" href=\"https://example.org/briefing/atom.xml\""),
        "{atom}"
    );
    let sitemap = site.read_out("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/briefing/"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("<loc>/"), "{sitemap}");
    let home = site.read_out("index.html");
    assert!(
        home.contains("href=\"https://example.org/briefing/atom.xml\""),
        "{home}"
    );
    assert!(
        !briefing::check::check_site(&opts)
            .diagnostics
            .iter()
            .any(|d| d.code == "W-relative-base-url")
    );
}

#[test]
fn basic_fixture_exports_agree_with_the_site() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let objects = check_exports(&site);
    let all = json(&site, "data/briefing.json");
    assert_eq!(
        all["counts"],
        serde_json::json!({"incidents": 3, "groups": 2, "actors": 3, "statements": 4})
    );
    let file = json(&site, "data/groups/northern-front-coastal.json");
    assert_eq!(file["type"], "group");
    assert_eq!(file["references"]["harbour-bombing"]["kind"], "incident");
    assert_eq!(
        file["references"]["harbour-bombing"]["url"],
        "https://example.org/incidents/harbour-bombing/"
    );
    assert!(
        file["backlinks"]["incidents"]
            .as_array()
            .is_some_and(|a| a.iter().any(|s| s == "harbour-bombing"))
    );
    // Harbour bombing: [60.71, 28.75] as written, [28.75, 60.71] in GeoJSON.
    let geo = json(&site, "data/incidents.geojson");
    let f = geo["features"]
        .as_array()
        .expect("features")
        .iter()
        .find(|f| f["id"] == "harbour-bombing")
        .expect("feature");
    assert_eq!(
        f["geometry"]["coordinates"],
        serde_json::json!([28.75, 60.71])
    );
    assert_eq!(f["properties"]["date"], "2016-03-14");
    assert_eq!(f["properties"]["killed"], 12);
    // STIX: every object marked TLP:CLEAR with the standard TLP 2.0 id.
    let clear = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
    assert_eq!(objects[clear]["name"], "TLP:CLEAR");
    for o in objects
        .values()
        .filter(|o| o["type"] != "marking-definition")
    {
        assert_eq!(
            o["object_marking_refs"],
            serde_json::json!([clear]),
            "{}",
            o["id"]
        );
        assert!(
            o["created"].as_str().is_some_and(|c| c.ends_with(".000Z")),
            "{o}"
        );
    }
}

/// Re-exports diff cleanly: the same content gives the same bytes whenever it is built,
/// and STIX ids stay put when other content changes.
#[test]
fn exports_are_byte_identical_across_builds() {
    let site = TestSite::fixture("basic");
    let data = |at: &str| {
        let mut opts = site.options();
        opts.now = Some(moment(at));
        assert!(build_site(&opts).success);
        snapshot(&site.out().join("data"))
    };
    let first = data("2026-01-01T00:00:00Z");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = data("2027-06-01T12:00:00Z");
    assert_eq!(first.len(), second.len());
    for ((a, x), (b, y)) in first.iter().zip(&second) {
        assert_eq!(a, b);
        assert!(x == y, "`{a}` differs between builds");
    }
    let ids = |site: &TestSite| -> BTreeSet<String> {
        json(site, "data/stix-bundle.json")["objects"]
            .as_array()
            .expect("objects")
            .iter()
            .filter(|o| o["type"] == "incident")
            .map(|o| o["id"].as_str().expect("id").to_string())
            .collect()
    };
    let before = ids(&site);
    site.write(
        "content/incidents/zz-new.md",
        "---\ntitle: New\ndate: 2017-01-01\n---\n",
    );
    site.build_ok();
    let after = ids(&site);
    assert_eq!(after.len(), before.len() + 1);
    assert!(before.is_subset(&after), "existing incident ids changed");
}
