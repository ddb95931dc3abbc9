//! Data exports (issue 14): each export parsed back and checked against the site.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use crate::support::TestSite;

mod agreement;
mod cells;
mod threads;

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
