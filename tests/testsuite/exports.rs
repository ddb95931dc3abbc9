//! Data exports (issue 14): each export parsed back and checked against the site.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use briefing::build_site;
use serde_json::Value;

use crate::support::{TestSite, moment, snapshot};

fn site() -> TestSite {
    let site = TestSite::new();
    site.write("content/groups/front.md", "---\ntitle: The Front\nsummary: A group.\n---\n")
        .write("content/groups/hidden-cell.md", "---\ntitle: Hidden cell\ntlp: amber\n---\n")
        .write(
            "content/incidents/blast.md",
            "---\ntitle: \"=HYPERLINK(\\\"http://x\\\")\"\ndate: 2024-05\nlocation: { city: \"Lyon, centre\", country: fr }\ncasualties: { killed: 3, injured: 0 }\nperpetrators: [front, hidden-cell]\nsources: [{ title: S, url: \"https://example.org/\" }]\nsummary: S.\n---\n",
        )
        .write(
            "content/statements/front-claims.md",
            "---\ntitle: Claim\ndate: 2024-05-02\nspeaker: front\nincident: blast\nstance: claims\nsummary: S.\nsource: { title: S }\n---\n",
        );
    site
}

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

/// Rows of a CSV export as column -> value maps.
pub fn csv_rows(text: &str) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    r.records()
        .map(|rec| {
            let rec = rec.expect("a well-formed CSV row");
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect()
}

fn json(site: &TestSite, rel: &str) -> Value {
    serde_json::from_str(&site.read_out(rel)).unwrap_or_else(|e| panic!("`{rel}`: {e}"))
}

/// Every string value at a key ending in `_ref` or `_refs`, anywhere in `v`.
fn stix_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                if k.ends_with("_ref") || k.ends_with("_refs") {
                    match v {
                        Value::String(s) => out.push(s.clone()),
                        Value::Array(a) => {
                            out.extend(a.iter().filter_map(|s| s.as_str().map(String::from)))
                        }
                        _ => {}
                    }
                } else {
                    stix_refs(v, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| stix_refs(v, out)),
        _ => {}
    }
}

/// Checks every export of a built site against `data/briefing.json` and each other:
/// counts, per-entity files, references, CSV rows, GeoJSON features and STIX refs.
/// Returns the STIX objects by id. Shared with the canary tests.
pub fn check_exports(site: &TestSite) -> BTreeMap<String, Value> {
    let all = json(site, "data/briefing.json");
    assert_eq!(all["version"], 1);
    let mut slugs: BTreeMap<String, &str> = BTreeMap::new();
    for (key, dir) in [
        ("incidents", "incidents"),
        ("groups", "groups"),
        ("actors", "actors"),
        ("statements", "statements"),
    ] {
        let list = all[key].as_array().expect(key);
        assert_eq!(all["counts"][key], list.len(), "counts.{key}");
        let files: BTreeSet<String> = std::fs::read_dir(site.out().join("data").join(dir))
            .map(|d| {
                d.map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        let expected: BTreeSet<String> = list
            .iter()
            .map(|e| format!("{}.json", e["slug"].as_str().expect("slug")))
            .collect();
        assert_eq!(files, expected, "files of data/{dir}/");
        for e in list {
            slugs.insert(e["slug"].as_str().expect("slug").to_string(), dir);
        }
    }
    // Every slug in the whole-site file and in each entity file resolves to a published
    // entity, and each entity file resolves every slug it holds.
    let slug_fields = [
        "perpetrators",
        "claimed_by",
        "parent",
        "affiliation",
        "speaker",
        "via",
        "incident",
        "about",
    ];
    for (slug, dir) in &slugs {
        let file = json(site, &format!("data/{dir}/{slug}.json"));
        assert_eq!(file["version"], 1);
        assert_eq!(file["slug"], slug.as_str());
        let refs = file["references"].as_object().expect("references");
        let mut held: Vec<&str> = Vec::new();
        for f in slug_fields {
            match &file[f] {
                Value::String(s) => held.push(s),
                Value::Array(a) => held.extend(a.iter().filter_map(Value::as_str)),
                _ => {}
            }
        }
        for list in file["backlinks"].as_object().expect("backlinks").values() {
            held.extend(
                list.as_array()
                    .expect("list")
                    .iter()
                    .filter_map(Value::as_str),
            );
        }
        for s in held {
            let r = &refs[s];
            assert!(
                slugs.contains_key(s) || r["kind"] == "page",
                "`{slug}` refers to unpublished `{s}`"
            );
            assert!(
                r["url"]
                    .as_str()
                    .is_some_and(|u| u.ends_with(&format!("/{s}/"))),
                "`{slug}`: `{s}` is not resolved: {r}"
            );
        }
    }
    let incidents = all["incidents"].as_array().expect("incidents");
    let rows = csv_rows(&site.read_out("data/incidents.csv"));
    assert_eq!(rows.len(), incidents.len(), "incidents.csv rows");
    for (row, inc) in rows.iter().zip(incidents) {
        assert_eq!(row["eventid"], inc["slug"].as_str().expect("slug"));
        let perps = inc["perpetrators"].as_array().expect("perpetrators");
        let joined: Vec<&str> = perps.iter().filter_map(Value::as_str).collect();
        assert_eq!(row["perpetrators"], joined.join("; "));
    }
    let statements = all["statements"].as_array().expect("statements");
    let rows = csv_rows(&site.read_out("data/statements.csv"));
    assert_eq!(rows.len(), statements.len(), "statements.csv rows");
    for (row, st) in rows.iter().zip(statements) {
        assert_eq!(row["slug"], st["slug"].as_str().expect("slug"));
        assert_eq!(row["speaker_slug"], st["speaker"].as_str().unwrap_or(""));
    }
    let geo = json(site, "data/incidents.geojson");
    assert_eq!(geo["type"], "FeatureCollection");
    let located = incidents
        .iter()
        .filter(|i| i["location"]["coordinates"].is_array())
        .count();
    let features = geo["features"].as_array().expect("features");
    assert_eq!(features.len(), located, "one feature per located incident");
    for f in features {
        let id = f["id"].as_str().expect("id");
        let inc = incidents
            .iter()
            .find(|i| i["slug"] == id)
            .expect("feature of an incident");
        let [lat, lon] = [0, 1].map(|i| {
            inc["location"]["coordinates"][i]
                .as_f64()
                .expect("coordinate")
        });
        assert_eq!(
            f["geometry"]["coordinates"],
            serde_json::json!([lon, lat]),
            "{id}: [lon, lat]"
        );
        assert_eq!(f["properties"]["perpetrator_slugs"], inc["perpetrators"]);
    }
    let bundle = json(site, "data/stix-bundle.json");
    assert_eq!(bundle["type"], "bundle");
    let objects: BTreeMap<String, Value> = bundle["objects"]
        .as_array()
        .expect("objects")
        .iter()
        .map(|o| (o["id"].as_str().expect("id").to_string(), o.clone()))
        .collect();
    let mut refs = Vec::new();
    stix_refs(&bundle, &mut refs);
    for r in &refs {
        assert!(objects.contains_key(r), "STIX ref `{r}` does not resolve");
    }
    let count = |t: &str| objects.values().filter(|o| o["type"] == t).count();
    assert_eq!(count("incident"), incidents.len());
    assert_eq!(
        count("intrusion-set"),
        all["groups"].as_array().map_or(0, Vec::len)
    );
    assert_eq!(count("note") + count("opinion"), statements.len());
    objects
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
