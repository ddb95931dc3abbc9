//! Every published entity's page and the links between pages.

use super::{built, h1, url};
use crate::support::{fact_links, section_links, text_of, texts};

// ----- pages and links between them -----

#[test]
fn every_published_entity_has_a_page_at_kind_and_slug() {
    let site = built();
    for (path, title) in [
        ("incidents/harbour-bombing/", "Harbour bombing"),
        ("incidents/depot-arson/", "Depot arson"),
        ("incidents/border-ambush/", "Border ambush"),
        ("groups/northern-front/", "Northern Front"),
        (
            "groups/northern-front-coastal/",
            "Northern Front Coastal Province",
        ),
        ("actors/russia/", "Russia"),
        ("actors/interior-ministry/", "Ministry of Internal Affairs"),
        ("actors/harbour-gazette/", "Harbour Gazette"),
        (
            "statements/nf-coastal-claims-harbour-bombing/",
            "Northern Front Coastal Province claims the harbour bombing",
        ),
        (
            "statements/ministry-blames-northern-front/",
            "The ministry blames the Northern Front",
        ),
        (
            "statements/russia-condemns-harbour-bombing/",
            "Russia condemns the harbour bombing",
        ),
        (
            "statements/fake-ministry-denial/",
            "Fake video of the ministry denying the bombing",
        ),
        ("pages/methodology/", "Methodology"),
    ] {
        assert!(
            site.out().join(path).join("index.html").is_file(),
            "no page at `{path}index.html`"
        );
        // A falsely attributed statement's heading says so before its title (issue 12).
        assert!(h1(&site.page(path)).contains(title), "title of `{path}`");
    }
}

#[test]
fn drafts_get_no_page() {
    let site = built();
    assert!(!site.out().join("statements/unconfirmed-rumour").exists());
}

#[test]
fn incident_page_links_perpetrator_and_sums_up_each_stance() {
    let site = built();
    let doc = site.page("incidents/harbour-bombing/");
    assert_eq!(
        fact_links(&doc, "Attributed to"),
        [url("groups/northern-front-coastal/")]
    );

    let claim = url("statements/nf-coastal-claims-harbour-bombing/");
    let blame = url("statements/ministry-blames-northern-front/");
    let condemn = url("statements/russia-condemns-harbour-bombing/");
    let fake = url("statements/fake-ministry-denial/");
    let all = section_links(&doc, "Statements in time order");
    for s in [&claim, &blame, &condemn, &fake] {
        assert!(all.contains(s), "statement {s} missing from {all:?}");
    }
    assert!(
        !all.iter().any(|l| l.contains("unconfirmed-rumour")),
        "a draft statement is listed"
    );
    // The facts box sums up each stance (issue 12); the fake denial is nobody's denial.
    assert_eq!(
        fact_links(&doc, "Claimed by"),
        [url("groups/northern-front-coastal/")]
    );
    assert_eq!(
        fact_links(&doc, "Blamed on"),
        [
            url("groups/northern-front/"),
            url("actors/interior-ministry/")
        ]
    );
    assert_eq!(fact_links(&doc, "Condemned by"), [url("actors/russia/")]);
    assert_eq!(
        fact_links(&doc, "Falsely attributed to"),
        [url("actors/interior-ministry/")]
    );
    assert!(texts(&doc, ".facts dt").iter().all(|t| t != "Denied by"));
}

#[test]
fn fabricated_statement_is_marked_as_such() {
    let site = built();
    let doc = site.page("statements/fake-ministry-denial/");
    let page = doc.root_element().html();
    assert!(page.contains("Fabricated"), "no `Fabricated` marker");
    assert!(
        texts(&doc, "title")[0].starts_with("[Fabricated]"),
        "{:?}",
        texts(&doc, "title")
    );
}

#[test]
fn group_page_lists_incidents_child_groups_and_statements() {
    let site = built();
    let parent = site.page("groups/northern-front/");
    let incidents = section_links(&parent, "Attributed incidents");
    assert!(incidents.contains(&url("incidents/depot-arson/")));
    assert!(incidents.contains(&url("incidents/border-ambush/")));
    assert!(!incidents.contains(&url("incidents/harbour-bombing/")));
    assert_eq!(
        fact_links(&parent, "Branches"),
        [url("groups/northern-front-coastal/")]
    );
    assert!(
        section_links(&parent, "Statements about")
            .contains(&url("statements/ministry-blames-northern-front/"))
    );

    let child = site.page("groups/northern-front-coastal/");
    assert_eq!(
        fact_links(&child, "Part of"),
        [url("groups/northern-front/")]
    );
    assert!(
        section_links(&child, "Attributed incidents").contains(&url("incidents/harbour-bombing/"))
    );
    assert!(
        section_links(&child, "Statements by")
            .contains(&url("statements/nf-coastal-claims-harbour-bombing/"))
    );
    assert!(
        section_links(&child, "Statements about")
            .contains(&url("statements/russia-condemns-harbour-bombing/"))
    );
}

#[test]
fn actor_page_lists_its_statements_and_affiliated_actors() {
    let site = built();
    let ministry = site.page("actors/interior-ministry/");
    let by = section_links(&ministry, "Statements by");
    assert!(by.contains(&url("statements/ministry-blames-northern-front/")));
    // Words it never said are not its statements (issue 12).
    assert!(!by.contains(&url("statements/fake-ministry-denial/")));
    assert_eq!(
        section_links(&ministry, "Falsely attributed to"),
        [
            url("statements/fake-ministry-denial/"),
            url("actors/interior-ministry/"),
            url("incidents/harbour-bombing/")
        ]
    );
    assert!(!by.contains(&url("statements/russia-condemns-harbour-bombing/")));
    assert_eq!(fact_links(&ministry, "Part of"), [url("actors/russia/")]);

    let state = site.page("actors/russia/");
    assert_eq!(
        fact_links(&state, "Affiliated"),
        [url("actors/interior-ministry/")]
    );
    assert!(
        section_links(&state, "Statements by")
            .contains(&url("statements/russia-condemns-harbour-bombing/"))
    );
}

#[test]
fn wikilinks_render_title_or_text_and_backlink_as_mentioned_in() {
    let site = built();
    let doc = site.page("pages/methodology/");
    let prose = scraper::Selector::parse(".prose a").expect("selector");
    let links: Vec<(String, String)> = doc
        .select(&prose)
        .map(|a| (a.value().attr("href").unwrap_or("").to_string(), text_of(a)))
        .collect();
    assert!(
        links.contains(&(
            url("incidents/harbour-bombing/"),
            "the attack on the port".to_string()
        )),
        "[[slug|text]] not rendered with its text: {links:?}"
    );
    let group = site.page("groups/northern-front/");
    let prose_links: Vec<(String, String)> = group
        .select(&prose)
        .map(|a| (a.value().attr("href").unwrap_or("").to_string(), text_of(a)))
        .collect();
    assert_eq!(
        prose_links,
        [(
            url("groups/northern-front-coastal/"),
            "Northern Front Coastal Province".to_string()
        )],
        "[[slug]] not rendered with the target's title"
    );

    let target = site.page("incidents/harbour-bombing/");
    let mentioned = section_links(&target, "Mentioned in");
    assert!(
        mentioned.contains(&url("pages/methodology/")),
        "{mentioned:?}"
    );
    assert!(mentioned.contains(&url("actors/russia/")), "{mentioned:?}");
    let coastal = site.page("groups/northern-front-coastal/");
    assert!(
        section_links(&coastal, "Mentioned in").contains(&url("groups/northern-front/")),
        "a group linking its branch is not listed under `Mentioned in`"
    );
}
