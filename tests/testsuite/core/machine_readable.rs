//! Machine-readable outputs: sitemap, Atom feed and search index.

use std::collections::BTreeSet;

use super::{BASE, built, url};

// ----- machine-readable outputs -----

const PUBLISHED: [&str; 13] = [
    "incidents/harbour-bombing/",
    "incidents/depot-arson/",
    "incidents/border-ambush/",
    "groups/northern-front/",
    "groups/northern-front-coastal/",
    "actors/russia/",
    "actors/interior-ministry/",
    "actors/harbour-gazette/",
    "statements/nf-coastal-claims-harbour-bombing/",
    "statements/ministry-blames-northern-front/",
    "statements/russia-condemns-harbour-bombing/",
    "statements/fake-ministry-denial/",
    "pages/methodology/",
];

#[test]
fn sitemap_lists_every_published_page_and_nothing_else() {
    let site = built();
    let sitemap = site.read_out("sitemap.xml");
    let locs: BTreeSet<String> = sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|s| s.split_once("</loc>").map(|(l, _)| l.to_string()))
        .collect();
    for path in PUBLISHED
        .iter()
        .chain(&["", "incidents/", "tags/maritime/", "countries/ru/"])
    {
        assert!(locs.contains(&url(path)), "sitemap lacks {path:?}");
    }
    for loc in &locs {
        let rel = loc.strip_prefix(BASE).expect("absolute loc");
        assert!(
            site.out().join(rel).join("index.html").is_file(),
            "sitemap lists {loc}, which is not a page"
        );
    }
    assert!(!sitemap.contains("unconfirmed-rumour"));
}

#[test]
fn atom_feed_lists_published_incidents_and_statements() {
    let site = built();
    let atom = site.read_out("atom.xml");
    assert!(atom.starts_with("<?xml"), "not XML");
    for path in PUBLISHED
        .iter()
        .filter(|p| p.starts_with("incidents/") || p.starts_with("statements/"))
    {
        assert!(
            atom.contains(&format!("href=\"{}\"", url(path))),
            "feed lacks {path}"
        );
    }
    assert!(!atom.contains("unconfirmed-rumour"));
}

#[test]
fn search_index_lists_every_published_entity() {
    let site = built();
    let index = crate::search::search_docs(&site);
    let paths: BTreeSet<String> = index
        .iter()
        .filter_map(|e| e.get("u").and_then(|u| u.as_str()).map(str::to_string))
        .collect();
    let expected: BTreeSet<String> = PUBLISHED.iter().map(|p| p.to_string()).collect();
    assert_eq!(paths, expected);
    assert_eq!(index.len(), PUBLISHED.len());
    let coastal = index
        .iter()
        .find(|e| e["u"] == "groups/northern-front-coastal/")
        .expect("the group");
    assert!(
        coastal.to_string().contains("NF-C"),
        "short name not searchable"
    );
}
