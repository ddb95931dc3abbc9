//! Withheld entities leave no trace in the data exports and the pictures.

use briefing::model::Tlp;

use super::{assert_absent, build_canary};
use crate::support::*;

/// Every export (issue 14) lists published entities only, and no reference, backlink,
/// relationship or count in it points at a withheld one: STIX refs are UUIDs, which the
/// `canary` scan cannot see, so each is resolved inside the bundle.
#[test]
fn canary_exports_hold_published_entities_only() {
    let (site, _) = build_canary(|_| {});
    let exports = [
        "data/briefing.json",
        "data/incidents.csv",
        "data/statements.csv",
        "data/incidents.geojson",
        "data/stix-bundle.json",
    ];
    for file in exports {
        assert!(site.out().join(file).is_file(), "`{file}` is missing");
    }
    assert_absent(&site, "canary");
    let objects = crate::exports::check_exports(&site);
    let count = |t: &str| objects.values().filter(|o| o["type"] == t).count();
    assert_eq!(count("incident"), 2);
    assert_eq!(count("intrusion-set"), 6);
    assert_eq!(count("note") + count("opinion"), 6);
    // Actors, the site itself, and the groups that speak (`pub-group` claims).
    let actors = objects
        .values()
        .filter(|o| {
            o["type"] == "identity"
                && o["external_references"][0]["external_id"]
                    .as_str()
                    .is_some_and(|i| i.starts_with("actors/"))
        })
        .count();
    assert_eq!(actors, 6);
    // Only TLP:CLEAR is published, so only its marking is defined.
    let markings: Vec<&str> = objects
        .values()
        .filter(|o| o["type"] == "marking-definition")
        .filter_map(|o| o["name"].as_str())
        .collect();
    assert_eq!(markings, ["TLP:CLEAR"]);
    let files = snapshot(&site.out().join("data"));
    assert_eq!(
        files
            .iter()
            .filter(|(f, _)| f.matches('/').count() == 1)
            .count(),
        20,
        "per-entity files"
    );
    let csv = crate::exports::csv_rows(&site.read_out("data/incidents.csv"));
    assert_eq!(csv.len(), 2);
    // The withheld statements all claim `pub-incident` for `pub-actor`: not counted.
    let claimed: Vec<(&str, &str, &str)> = csv
        .iter()
        .map(|r| {
            (
                r["eventid"].as_str(),
                r["claimed"].as_str(),
                r["claimed_by"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        claimed,
        [
            ("pub-incident-two", "0", ""),
            ("pub-incident", "1", "Published group")
        ]
    );
}

/// Published at TLP:RED, each level's marking is the standard TLP 2.0 object, and every
/// object carries the marking of its own level (or a stricter one, for a relationship or
/// statement that touches a stricter entity).
#[test]
fn canary_exports_mark_each_object_with_its_tlp_level() {
    let (site, _) = build_canary(|o| o.tlp = Some(Tlp::Red));
    let objects = crate::exports::check_exports(&site);
    let ids: Vec<(&str, &str)> = objects
        .values()
        .filter(|o| o["type"] == "marking-definition")
        .map(|o| {
            (
                o["name"].as_str().unwrap_or(""),
                o["id"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        ids,
        [
            (
                "TLP:AMBER",
                "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
            ),
            (
                "TLP:AMBER+STRICT",
                "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"
            ),
            (
                "TLP:CLEAR",
                "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
            ),
            (
                "TLP:RED",
                "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
            ),
        ]
    );
    let red = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
    let incident = objects
        .values()
        .find(|o| o["type"] == "incident" && o["name"] == "CANARY-RED-INCIDENT-TITLE")
        .expect("the red incident");
    assert_eq!(incident["object_marking_refs"], serde_json::json!([red]));
    for o in objects.values().filter(|o| o["type"] == "relationship") {
        let touches_red = [&o["source_ref"], &o["target_ref"]]
            .iter()
            .any(|r| objects[r.as_str().unwrap_or("")]["object_marking_refs"][0] == red);
        if touches_red {
            assert_eq!(o["object_marking_refs"][0], red, "{o}");
        }
    }
}

#[test]
fn canary_pictures_count_and_pin_published_incidents_only() {
    // Issue 13: the five withheld incidents have a country (KP, LI, SM, VA, MC) and
    // casualties and name `pub-group`; none may give a pin, a bar or a count.
    let (site, _) = build_canary(|_| {});
    let map = site.page("map/");
    let pins = attrs(&map, "svg.map-world a.pin", "href");
    assert_eq!(
        pins,
        [
            "https://example.org/incidents/pub-incident-two/",
            "https://example.org/incidents/pub-incident/",
        ],
        "one pin per published incident, none for the withheld ones"
    );
    let caption = texts(&map, ".picture figcaption").join(" ");
    assert!(caption.starts_with("2 incidents on the map"), "{caption}");
    for code in ["kp", "li", "sm", "va", "mc"] {
        assert!(!site.out().join(format!("countries/{code}")).exists());
    }
    let group = site.page("groups/pub-group/");
    // The first chart counts incidents, the second their casualties.
    let values = attrs(&group, "svg.chart-bars:first-of-type g.bar", "data-value");
    let incidents: u64 = values
        .iter()
        .map(|v| v.parse::<u64>().expect("count"))
        .sum();
    assert_eq!(incidents, 2, "{values:?}");
    let home = site.page("");
    let total: u64 = attrs(&home, "section.activity g.bar", "data-value")
        .iter()
        .map(|v| v.parse::<u64>().expect("count"))
        .sum();
    assert_eq!(total, 2);
}
