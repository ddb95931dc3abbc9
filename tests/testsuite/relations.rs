//! Typed relations (issue 13): validation with file and line, the graph on group pages
//! and on `groups/graph/` (its edges are those the frontmatter says, from both sides),
//! deterministic bytes, and nothing withheld in any node, edge or list item.

use std::collections::BTreeSet;

use crate::support::*;

/// A small world: `front` (parent of `west` and `east`), `east` rival of `west` and
/// affiliate of `front`, `spl` splinter of `east`, `merged` merged into `front`, a TOML
/// group `north` allied with `east` (which says so too), and the actor `state` rival of
/// `front`.
fn world() -> TestSite {
    let site = TestSite::new();
    let group = |slug: &str, extra: &str| {
        site.write(
            &format!("content/groups/{slug}.md"),
            &format!("---\ntitle: Group {slug}\nsummary: A group.\n{extra}---\n"),
        );
    };
    group("front", "short_name: FR\n");
    group("west", "parent: front\n");
    group(
        "east",
        "parent: front\nrelations:\n  - group: west\n    kind: rival\n    since: 2015-06\n  - group: front\n    kind: affiliate\n    note: Pledged in <b>2016</b>\n  - group: north\n    kind: allied\n",
    );
    group(
        "spl",
        "relations:\n  - { group: east, kind: splinter-of, since: 2019 }\n",
    );
    group(
        "merged",
        "relations:\n  - { group: front, kind: merged-into }\n",
    );
    group("alone", "");
    site.write(
        "content/groups/north.md",
        "+++\ntitle = \"Group north\"\nsummary = \"A group.\"\n\n[[relations]]\ngroup = \"east\"\nkind = \"allied\"\nsince = 2020\n+++\n",
    );
    site.write(
        "content/actors/state.md",
        "---\ntitle: State\nkind: state\nsummary: A state.\nrelations:\n  - group: front\n    kind: rival\n---\n",
    );
    site
}

type Edge = (String, String, String);

fn edge(from: &str, to: &str, kind: &str) -> Edge {
    (from.into(), to.into(), kind.into())
}

/// Every edge of the relations graph on `page`: (from, to, kind), from the SVG.
fn svg_edges(site: &TestSite, page: &str) -> BTreeSet<Edge> {
    let doc = site.page(page);
    let sel = scraper::Selector::parse("svg.relations-graph g.edges line").unwrap();
    doc.select(&sel)
        .map(|l| {
            let v = l.value();
            let kind = v
                .classes()
                .find_map(|c| c.strip_prefix("rel-"))
                .expect("an edge has its kind as a class");
            edge(
                v.attr("data-from").unwrap(),
                v.attr("data-to").unwrap(),
                kind,
            )
        })
        .collect()
}

/// The slugs of the nodes of the graph on `page`, each checked to link to its group or
/// actor page.
fn svg_nodes(site: &TestSite, page: &str) -> BTreeSet<String> {
    let doc = site.page(page);
    let sel = scraper::Selector::parse("svg.relations-graph a.node").unwrap();
    doc.select(&sel)
        .map(|a| {
            let slug = a.value().attr("data-node").unwrap().to_string();
            let href = a.value().attr("href").unwrap();
            assert!(
                href == format!("https://example.org/groups/{slug}/")
                    || href == format!("https://example.org/actors/{slug}/"),
                "{href}"
            );
            slug
        })
        .collect()
}

/// The text of every element matching `selector`, as read (text nodes joined, whitespace
/// collapsed).
fn read(site: &TestSite, page: &str, selector: &str) -> Vec<String> {
    let sel = scraper::Selector::parse(selector).unwrap();
    site.page(page)
        .select(&sel)
        .map(|e| {
            let text: String = e.text().collect();
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

/// The relation list of a page: `Label: a, b` per line, as read.
fn relation_lines(site: &TestSite, page: &str) -> Vec<String> {
    read(site, page, "ul.relation-list > li")
}

#[test]
fn the_graph_has_exactly_the_edges_the_frontmatter_says() {
    let site = world();
    site.build_ok();
    // Every declared relation and parent among `front`'s neighbours up to two hops; a
    // symmetric relation declared on both sides is one edge.
    let all: BTreeSet<Edge> = [
        edge("west", "front", "part-of"),
        edge("east", "front", "part-of"),
        edge("east", "west", "rival"),
        edge("east", "front", "affiliate"),
        edge("east", "north", "allied"),
        edge("spl", "east", "splinter-of"),
        edge("merged", "front", "merged-into"),
        edge("state", "front", "rival"),
    ]
    .into();
    assert_eq!(svg_edges(&site, "groups/front/"), all);
    assert_eq!(
        svg_nodes(&site, "groups/front/"),
        ["front", "west", "east", "spl", "merged", "north", "state"]
            .map(String::from)
            .into()
    );
    // Two hops from `north`: east (1), then front, west, spl (2); not merged or state (3).
    assert_eq!(
        svg_nodes(&site, "groups/north/"),
        ["north", "east", "front", "west", "spl"]
            .map(String::from)
            .into()
    );
    let north: BTreeSet<Edge> = all
        .iter()
        .filter(|(f, t, _)| ![f, t].iter().any(|s| *s == "merged" || *s == "state"))
        .cloned()
        .collect();
    assert_eq!(svg_edges(&site, "groups/north/"), north);
    // The overview has every edge; a group without relations has no graph.
    assert_eq!(svg_edges(&site, "groups/graph/"), all);
    assert!(svg_edges(&site, "groups/alone/").is_empty());
    assert!(texts(&site.page("groups/alone/"), "#relations-heading").is_empty());
}

#[test]
fn relations_are_listed_from_both_sides_with_inverse_labels() {
    let site = world();
    site.build_ok();
    assert_eq!(
        relation_lines(&site, "groups/front/"),
        [
            "Rival of: State",
            "Absorbed: Group merged",
            "Affiliates: Group east — Pledged in <b>2016</b>",
        ]
    );
    assert_eq!(
        relation_lines(&site, "groups/east/"),
        [
            "Allied with: Group north (since 2020)",
            "Rival of: Group west (since June 2015)",
            "Splinters: Group spl (since 2019)",
            "Affiliate of: Group front — Pledged in <b>2016</b>",
        ]
    );
    assert_eq!(
        relation_lines(&site, "groups/spl/"),
        ["Splinter of: Group east (since 2019)"]
    );
    assert_eq!(
        relation_lines(&site, "actors/state/"),
        ["Rival of: Group front"]
    );
    // The text alternative of the picture names every edge, with its date.
    let words = read(&site, "groups/west/", "details.graph-words li");
    assert!(
        words.contains(&"Group east rival of Group west since June 2015".to_string()),
        "{words:?}"
    );
    assert_eq!(words.len(), svg_edges(&site, "groups/west/").len());
}

#[test]
fn the_overview_lists_every_published_group_with_a_relation() {
    let site = world();
    site.build_ok();
    let doc = site.page("groups/graph/");
    let listed: BTreeSet<String> = attrs(&doc, "ul.relation-index > li > a", "href")
        .into_iter()
        .collect();
    let expected: BTreeSet<String> = [
        "groups/front/",
        "groups/west/",
        "groups/east/",
        "groups/spl/",
        "groups/merged/",
        "groups/north/",
        "actors/state/",
    ]
    .iter()
    .map(|p| format!("https://example.org/{p}"))
    .collect();
    assert_eq!(listed, expected);
    // The groups listing links to it.
    assert!(
        attrs(&site.page("groups/"), "a", "href")
            .contains(&"https://example.org/groups/graph/".to_string())
    );
}

#[test]
fn the_graph_pages_are_the_same_bytes_on_every_build() {
    let site = world();
    site.build_ok();
    let first = snapshot(&site.out());
    site.build_ok();
    assert_same_files(&first, &snapshot(&site.out()));
    let svg = site.read_out("groups/front/index.html");
    assert!(svg.contains("<svg") && !svg.contains("NaN"));
}

#[test]
fn an_unknown_relation_group_is_an_error_with_a_suggestion_and_its_line() {
    let site = world();
    site.write(
        "content/groups/typo.md",
        "---\ntitle: T\nsummary: A group.\nrelations:\n  - group: esat\n    kind: rival\n---\n",
    );
    site.write(
        "content/groups/typo-toml.md",
        "+++\ntitle = \"T\"\nsummary = \"A group.\"\n\n[[relations]]\ngroup = \"wset\"\nkind = \"allied\"\n+++\n",
    );
    let report = site.build();
    assert!(!report.success);
    let unknown = with_code(&report, "E-unknown-ref");
    let yaml = unknown
        .iter()
        .find(|d| d.message.contains("`esat`"))
        .expect("an error for `esat`");
    assert_eq!(
        yaml.location().as_deref(),
        Some("content/groups/typo.md:5:12")
    );
    assert!(yaml.to_string().contains("did you mean `east`?"), "{yaml}");
    let toml = unknown
        .iter()
        .find(|d| d.message.contains("`wset`"))
        .expect("an error for `wset`");
    assert_eq!(
        toml.location().as_deref(),
        Some("content/groups/typo-toml.md:6:10")
    );
    assert!(toml.to_string().contains("did you mean `west`?"), "{toml}");
}

#[test]
fn a_relation_to_itself_or_to_a_non_group_or_of_an_unknown_kind_is_an_error() {
    let site = world();
    site.write(
        "content/groups/selfish.md",
        "+++\ntitle = \"S\"\nsummary = \"A group.\"\n\n[[relations]]\ngroup = \"selfish\"\nkind = \"rival\"\n+++\n",
    );
    site.write(
        "content/groups/to-actor.md",
        "---\ntitle: O\nsummary: A group.\nrelations:\n  - group: state\n    kind: rival\n---\n",
    );
    site.write(
        "content/groups/odd.md",
        "---\ntitle: O\nsummary: A group.\nrelations:\n  - group: east\n    kind: friend\n---\n",
    );
    let report = site.build();
    let own = with_code(&report, "E-self-ref");
    assert_eq!(own.len(), 1, "{}", diagnostics_text(&report));
    assert_eq!(
        own[0].location().as_deref(),
        Some("content/groups/selfish.md:6:10")
    );
    let wrong = with_code(&report, "E-wrong-kind");
    assert_eq!(wrong.len(), 1, "{}", diagnostics_text(&report));
    assert_eq!(
        wrong[0].location().as_deref(),
        Some("content/groups/to-actor.md:5:12")
    );
    let unknown_kind = with_code(&report, "E-unknown-value");
    assert_eq!(unknown_kind.len(), 1, "{}", diagnostics_text(&report));
    assert_eq!(
        unknown_kind[0].file.as_deref(),
        Some(std::path::Path::new("content/groups/odd.md"))
    );
    assert!(
        unknown_kind[0].to_string().contains("allied"),
        "{}",
        unknown_kind[0]
    );
}

#[test]
fn a_group_may_not_take_the_slug_of_the_overview() {
    let site = world();
    site.write(
        "content/groups/graph.md",
        "---\ntitle: G\nsummary: A group.\n---\n",
    );
    let report = site.build();
    assert!(!report.success);
    let bad = with_code(&report, "E-invalid-slug");
    assert_eq!(bad.len(), 1, "{}", diagnostics_text(&report));
    assert_eq!(
        bad[0].file.as_deref(),
        Some(std::path::Path::new("content/groups/graph.md"))
    );
}

#[test]
fn a_withheld_group_gives_no_node_edge_or_list_item() {
    let site = TestSite::fixture("canary");
    let mut opts = site.options();
    opts.now = Some(moment("2026-06-01T00:00:00Z"));
    let report = briefing::build_site(&opts);
    assert!(report.success, "{}", diagnostics_text(&report));
    // pub-group declares relations to five withheld groups, which declare relations back;
    // five withheld actors declare relations to it too. Only published ones are drawn.
    assert_eq!(
        svg_nodes(&site, "groups/pub-group/"),
        ["pub-group", "pub-branch-red", "pub-actor"]
            .map(String::from)
            .into()
    );
    assert_eq!(
        svg_edges(&site, "groups/pub-group/"),
        [
            edge("pub-group", "pub-branch-red", "rival"),
            edge("pub-actor", "pub-group", "allied"),
        ]
        .into()
    );
    assert_eq!(
        relation_lines(&site, "groups/pub-group/"),
        [
            "Allied with: Published actor",
            "Rival of: Branch under a withheld parent (red) (since May 2020)"
        ]
    );
    for page in ["groups/pub-group/", "groups/graph/", "actors/pub-actor/"] {
        let html = site.read_out(&format!("{page}index.html")).to_lowercase();
        assert!(!html.contains("canary"), "withheld material on `{page}`");
    }
    // The overview: the same three, since the other published branches' parents are
    // withheld.
    assert_eq!(
        svg_nodes(&site, "groups/graph/"),
        svg_nodes(&site, "groups/pub-group/")
    );
}

#[test]
fn exports_carry_relations_as_declared_and_stix_as_relationships() {
    let site = world();
    site.build_ok();
    let east: serde_json::Value =
        serde_json::from_str(&site.read_out("data/groups/east.json")).unwrap();
    assert_eq!(
        east["relations"],
        serde_json::json!([
            { "group": "west", "kind": "rival", "since": "2015-06", "note": null },
            { "group": "front", "kind": "affiliate", "since": null, "note": "Pledged in <b>2016</b>" },
            { "group": "north", "kind": "allied", "since": null, "note": null }
        ])
    );
    let bundle: serde_json::Value =
        serde_json::from_str(&site.read_out("data/stix-bundle.json")).unwrap();
    let objects = bundle["objects"].as_array().unwrap();
    let name_of = |id: &serde_json::Value| {
        objects
            .iter()
            .find(|o| o["id"] == *id)
            .map(|o| o["name"].as_str().unwrap().to_string())
            .expect("a relationship's ends are in the bundle")
    };
    let typed: BTreeSet<(String, String, String)> = objects
        .iter()
        .filter(|o| o["type"] == "relationship")
        .filter(|o| {
            ["allied", "rival", "splinter-of", "merged-into", "affiliate"]
                .contains(&o["description"].as_str().unwrap_or(""))
        })
        .map(|o| {
            (
                name_of(&o["source_ref"]),
                o["description"].as_str().unwrap().to_string(),
                name_of(&o["target_ref"]),
            )
        })
        .collect();
    let t = |a: &str, k: &str, b: &str| (a.to_string(), k.to_string(), b.to_string());
    assert_eq!(
        typed,
        [
            t("Group east", "rival", "Group west"),
            t("Group east", "affiliate", "Group front"),
            t("Group east", "allied", "Group north"),
            t("Group north", "allied", "Group east"),
            t("Group spl", "splinter-of", "Group east"),
            t("Group merged", "merged-into", "Group front"),
            t("State", "rival", "Group front"),
        ]
        .into()
    );
}

#[test]
fn a_crowded_neighbourhood_keeps_every_direct_neighbour_and_says_what_it_left_out() {
    let site = TestSite::new();
    let mut direct = String::from("relations:\n");
    for d in 0..5 {
        direct.push_str(&format!("  - {{ group: d{d}, kind: allied }}\n"));
        let mut far = String::from("relations:\n");
        for f in 0..20 {
            far.push_str(&format!("  - {{ group: f{d}x{f}, kind: rival }}\n"));
            site.write(
                &format!("content/groups/f{d}x{f}.md"),
                &format!("---\ntitle: F{d}x{f}\nsummary: A group.\n---\n"),
            );
        }
        site.write(
            &format!("content/groups/d{d}.md"),
            &format!("---\ntitle: D{d}\nsummary: A group.\n{far}---\n"),
        );
    }
    site.write(
        "content/groups/centre.md",
        &format!("---\ntitle: Centre\nsummary: A group.\n{direct}---\n"),
    );
    site.build_ok();
    let nodes = svg_nodes(&site, "groups/centre/");
    assert_eq!(nodes.len(), 40, "{nodes:?}");
    assert!((0..5).all(|d| nodes.contains(&format!("d{d}"))));
    // 1 + 5 + 100 within two steps, 40 drawn.
    let caption = read(
        &site,
        "groups/centre/",
        "figure.relations-figure figcaption",
    );
    assert!(
        caption[0].contains("(66 more entries two steps away left out"),
        "{caption:?}"
    );
    // Every edge drawn is between two drawn nodes.
    for (from, to, _) in svg_edges(&site, "groups/centre/") {
        assert!(nodes.contains(&from) && nodes.contains(&to));
    }
    // The overview has them all.
    assert_eq!(svg_nodes(&site, "groups/graph/").len(), 106);
}
