//! The reader's briefing (issue 12): an incident's "who said what, when" in time order
//! with offsets at each date's precision, the facts-box stance lines, statements falsely
//! attributed to their speaker shown as such everywhere, the timeline by month, merged
//! sources, JSON-LD and social tags, and that withheld material reaches none of it.

use crate::support::*;

const INCIDENT: &str = "incidents/market-attack/";

/// A statement file: `slug`, date, speaker, stance, verification, source URL, extra lines.
fn statement(site: &TestSite, slug: &str, date: &str, speaker: &str, stance: &str, extra: &str) {
    site.write(
        &format!("content/statements/{slug}.md"),
        &format!(
            "---\ntitle: \"Statement {slug}\"\nsummary: \"What {slug} said.\"\ndate: {date}\nspeaker: {speaker}\nincident: market-attack\nstance: {stance}\n{extra}---\nBody of {slug}.\n"
        ),
    );
}

/// An incident on 22 March 2024 at 20:00 Moscow time, with statements at every precision.
fn story_site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "content/incidents/market-attack.md",
        "---\ntitle: Market attack\nsummary: Gunmen attacked a market.\ndate: 2024-03-22T20:00:00+03:00\nlocation: { city: Exampleville, country: RU, coordinates: [55.8, 37.4] }\nperpetrators: [front]\nstatus: confirmed\nsources:\n  - { title: \"Wire report\", publisher: \"Wire\", url: \"https://news.example/wire\", date: 2024-03-22, reliability: B }\n---\nWhat happened.\n",
    );
    site.write(
        "content/groups/front.md",
        "---\ntitle: The Front\nshort_name: TF\nsources:\n  - { title: \"Group profile\", publisher: \"Institute\", url: \"https://inst.example/front\", reliability: A }\n---\nA group.\n",
    );
    for (slug, kind, title) in [
        ("embassy", "agency", "The Embassy"),
        ("minister", "person", "The Minister"),
        ("neighbour", "state", "Neighbour State"),
    ] {
        site.write(
            &format!("content/actors/{slug}.md"),
            &format!("---\ntitle: {title}\nkind: {kind}\n---\n"),
        );
    }
    let source = |url: &str, grade: &str| {
        format!(
            "source: {{ title: \"Report {url}\", publisher: \"Paper\", url: \"https://paper.example/{url}\", reliability: {grade} }}\n"
        )
    };
    statement(
        &site,
        "warning",
        "2024-03-07",
        "embassy",
        "warns",
        &source("warn", "A"),
    );
    statement(
        &site,
        "claim",
        "2024-03-22T23:30:00+03:00",
        "front",
        "claims",
        &format!(
            "verification: {{ status: confirmed }}\n{}sources:\n  - {{ title: \"Wire again\", url: \"https://news.example/wire/\" }}\n",
            source("claim", "C")
        ),
    );
    statement(
        &site,
        "blame",
        "2024-03-23",
        "minister",
        "blames",
        &format!("about: [neighbour]\n{}", source("blame", "D")),
    );
    statement(&site, "denial", "2024-03-23", "neighbour", "denies", "");
    statement(
        &site,
        "fake-admission",
        "2024-03",
        "neighbour",
        "admits",
        &format!(
            "verification: {{ status: fabricated, note: \"A deepfake.\" }}\n{}",
            source("claim", "C")
        ),
    );
    statement(&site, "earlier", "2024-02", "minister", "other", "");
    statement(&site, "yearly", "2024", "embassy", "other", "");
    statement(&site, "last-year", "2023", "embassy", "threatens", "");
    site
}

fn chronology_titles(doc: &scraper::Html) -> Vec<String> {
    attrs(doc, ".chronology .chrono-title", "href")
}

#[test]
fn chronology_is_in_time_order_with_offsets_at_each_dates_precision() {
    let site = story_site();
    site.build_ok();
    let doc = site.page(INCIDENT);
    let expected = [
        // A year sorts after the days and months of its year; a month after its days.
        ("last-year", "T−1 y"),
        ("earlier", "T−1 mo"),
        ("warning", "T−15 d"),
        ("claim", "T+0"),
        ("blame", "T+1 d"),
        ("denial", "T+1 d"),
        ("fake-admission", "same month"),
        ("yearly", "same year"),
    ];
    assert_eq!(
        chronology_titles(&doc),
        expected
            .iter()
            .map(|(s, _)| format!("#statement-{s}"))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        texts(&doc, ".chronology .chrono-offset"),
        expected
            .iter()
            .map(|(_, o)| o.to_string())
            .collect::<Vec<_>>()
    );
    // Screen readers hear the offset in words; a month never gets an invented day.
    let words = texts(&doc, ".chronology .chrono-entry > .visually-hidden");
    assert_eq!(words[2], "15 days before:");
    assert_eq!(words[6], "the same month (day not known):");
    // Each entry links to its full card, and the cards below are in the same order.
    let cards: Vec<String> = attrs(&doc, ".statements li[id]", "id")
        .into_iter()
        .map(|id| format!("#{id}"))
        .collect();
    assert_eq!(cards, chronology_titles(&doc));
    // The chronology comes right after the facts box, before the body.
    let html = site.read_out(&format!("{INCIDENT}index.html"));
    let (facts, chrono, body) = (
        html.find("class=\"facts\"").expect("facts"),
        html.find("class=\"block chronology\"").expect("chronology"),
        html.find("class=\"prose\"").expect("body"),
    );
    assert!(facts < chrono && chrono < body);
    // Speaker, stance, verification and source grade on each line.
    let warning = texts(&doc, ".chrono-entry")[2].clone();
    for part in ["The Embassy", "Warns", "Source A"] {
        assert!(warning.contains(part), "{warning}");
    }
    let claim = texts(&doc, ".chrono-entry")[3].clone();
    assert!(
        claim.contains("Confirmed") && claim.contains("Source C"),
        "{claim}"
    );
}

#[test]
fn facts_box_has_one_line_per_stance_and_no_fake_admission() {
    let site = story_site();
    site.build_ok();
    let doc = site.page(INCIDENT);
    let u = |p: &str| format!("https://example.org/{p}");
    assert_eq!(fact_links(&doc, "Warned by"), [u("actors/embassy/")]);
    assert_eq!(fact_links(&doc, "Claimed by"), [u("groups/front/")]);
    assert_eq!(
        fact_links(&doc, "Blamed on"),
        [u("actors/neighbour/"), u("actors/minister/")]
    );
    assert_eq!(fact_links(&doc, "Denied by"), [u("actors/neighbour/")]);
    assert_eq!(
        fact_links(&doc, "Falsely attributed to"),
        [u("actors/neighbour/")]
    );
    let labels = texts(&doc, ".facts dt");
    assert!(!labels.contains(&"Admitted by".to_string()), "{labels:?}");
    let blame = texts(&doc, ".stance-line-blames dd");
    assert_eq!(blame, ["Neighbour State by The Minister"]);
}

#[test]
fn a_fabricated_statement_is_falsely_attributed_everywhere() {
    let site = story_site();
    site.build_ok();
    let fake = "https://example.org/statements/fake-admission/";
    // Never among the speaker's own statements; under its own heading instead.
    let actor = site.page("actors/neighbour/");
    let own = section_links(&actor, "Statements by");
    assert!(own.contains(&"https://example.org/statements/denial/".to_string()));
    assert!(!own.contains(&fake.to_string()), "{own:?}");
    assert!(
        section_links(&actor, "Falsely attributed to Neighbour State").contains(&fake.to_string())
    );
    // The same for a group.
    statement(
        &site,
        "fake-claim",
        "2024-03-24",
        "front",
        "claims",
        "verification: { status: false }\n",
    );
    site.build_ok();
    let group = site.page("groups/front/");
    let fake_claim = "https://example.org/statements/fake-claim/".to_string();
    assert!(!section_links(&group, "Statements by").contains(&fake_claim));
    assert!(section_links(&group, "Falsely attributed to TF").contains(&fake_claim));
    let incident = site.page(INCIDENT);
    // A false claim claims nothing: the facts box names the genuine claimant once.
    assert_eq!(
        fact_links(&incident, "Claimed by"),
        ["https://example.org/groups/front/"]
    );
    // Cards and chronology say so.
    let card = texts(&incident, "#statement-fake-admission .card-line")[0].clone();
    assert!(
        card.starts_with("Falsely attributed to Neighbour State"),
        "{card}"
    );
    let line = texts(&incident, ".chrono-entry.is-flagged .chrono-meta");
    assert_eq!(line.len(), 2, "{line:?}");
    assert!(
        line[0].contains("Falsely attributed to The Front"),
        "{line:?}"
    );
    assert!(
        line[1].contains("Falsely attributed to Neighbour State"),
        "{line:?}"
    );
    // The statement's own page: title and heading.
    let page = site.page("statements/fake-admission/");
    assert!(
        texts(&page, "title")[0].starts_with(
            "[Fabricated] Falsely attributed to Neighbour State: Statement fake-admission"
        ),
        "{:?}",
        texts(&page, "title")
    );
    assert!(texts(&page, "h1")[0].starts_with("Falsely attributed to Neighbour State:"));
    assert_eq!(
        fact_links(&page, "Falsely attributed to"),
        ["https://example.org/actors/neighbour/"]
    );
    // The timeline.
    let timeline = site.page("timeline/");
    let flagged = texts(&timeline, ".tl-entry.is-flagged .tl-detail");
    assert_eq!(flagged.len(), 2, "{flagged:?}");
    assert!(
        flagged
            .iter()
            .all(|t| t.starts_with("Falsely attributed to"))
    );
    // The search index: the speaker as `fa` (falsely attributed to), never as `by`.
    let docs = crate::search::search_docs(&site);
    let relative = |url: &str| url.trim_start_matches("https://example.org/").to_string();
    let entry = docs
        .iter()
        .find(|e| e["u"] == relative(fake))
        .expect("entry");
    assert_eq!(entry["fa"], "Neighbour State", "{entry}");
    assert!(entry.get("by").is_none(), "{entry}");
    let genuine = docs
        .iter()
        .find(|e| e["u"] == "statements/denial/")
        .expect("entry");
    assert!(genuine.get("fa").is_none(), "{genuine}");
    assert!(genuine.get("by").is_some(), "{genuine}");
    // The JSON export keeps the data and adds a flag; the CSV flags `false` too.
    let json: serde_json::Value =
        serde_json::from_str(&site.read_out("data/statements/fake-claim.json")).expect("json");
    let flag = json
        .pointer("/entity/falsely_attributed")
        .or_else(|| json.pointer("/falsely_attributed"))
        .unwrap_or_else(|| panic!("no flag in {json}"));
    assert_eq!(flag, true);
    let actor: serde_json::Value =
        serde_json::from_str(&site.read_out("data/actors/neighbour.json")).expect("json");
    let backlinks = &actor["backlinks"];
    assert_eq!(
        backlinks["falsely_attributed"],
        serde_json::json!(["fake-admission"])
    );
    assert_eq!(backlinks["statements_by"], serde_json::json!(["denial"]));
    // The group's feed still carries the false claim, flagged.
    let feed = site.read_out("groups/front/atom.xml");
    assert!(
        feed.contains("[False] Claims: Statement fake-claim"),
        "{feed}"
    );
    let csv = site.read_out("data/statements.csv");
    let row = csv
        .lines()
        .find(|l| l.starts_with("fake-claim,"))
        .expect("row");
    assert!(row.contains(",1,false,"), "{row}");
}

#[test]
fn timeline_is_by_month_with_ties_and_partial_dates_in_order() {
    let site = story_site();
    // An incident on the same day as the claim, with no time: incidents come first.
    site.write(
        "content/incidents/second-attack.md",
        "---\ntitle: Second attack\ndate: 2024-03-22\n---\n",
    );
    site.build_ok();
    let doc = site.page("timeline/");
    let titles: Vec<String> = texts(&doc, "#m-2024-03 + ol .tl-title");
    assert_eq!(
        titles,
        [
            "Statement warning",
            "Market attack",
            "Second attack",
            "Statement claim",
            "Statement blame",
            "Statement denial",
            "Statement fake-admission",
        ]
    );
    // Month headings in each year; the year-only entries last, under their own heading.
    assert_eq!(
        texts(&doc, ".timeline-year h3"),
        [
            "2023, month not known",
            "February 2024",
            "March 2024",
            "2024, month not known"
        ]
    );
    // The index: every year and month, as plain links to headings that exist.
    let links = attrs(&doc, ".timeline-index a", "href");
    let ids = attrs(&doc, "[id]", "id");
    let months: Vec<&String> = links.iter().filter(|l| l.contains('#')).collect();
    assert_eq!(months.len(), 4, "{links:?}");
    for l in months {
        let (page, id) = l.split_once('#').expect("fragment");
        assert_eq!(page, "https://example.org/timeline/");
        assert!(ids.iter().any(|i| i == id), "no #{id}");
    }
    // A year's own page has the same months, its links pointing at itself.
    let year = site.page("timeline/2024/");
    assert!(
        attrs(&year, ".timeline-index a", "href")
            .contains(&"https://example.org/timeline/2024/#m-2024-03".to_string())
    );
    assert!(!attrs(&year, "#m-2024-03", "id").is_empty());
}

#[test]
fn incident_and_group_sources_are_merged_and_deduplicated_by_url() {
    let site = story_site();
    site.build_ok();
    let doc = site.page(INCIDENT);
    let hrefs = attrs(&doc, ".sources .source-list cite a", "href");
    // Its own source first; `.../wire/` is the same URL as `.../wire`; the fake
    // admission's source is the claim's.
    assert_eq!(
        hrefs,
        [
            "https://news.example/wire",
            "https://paper.example/warn",
            "https://paper.example/claim",
            "https://paper.example/blame",
        ]
    );
    assert_eq!(
        attrs(&doc, ".source-list li", "id"),
        ["source-1", "source-2", "source-3", "source-4"]
    );
    let first = texts(&doc, ".source-list li")[0].clone();
    for part in ["Wire report", "Wire", "22 March 2024", "Reliability B"] {
        assert!(first.contains(part), "{first}");
    }
    // The chronology points at the numbers.
    assert_eq!(
        attrs(&doc, ".chrono-entry .source-ref", "href"),
        ["#source-2", "#source-3", "#source-4", "#source-3"]
    );
    // A group page: its sources, then those of its statements.
    let group = site.page("groups/front/");
    assert_eq!(
        attrs(&group, ".sources .source-list cite a", "href"),
        [
            "https://inst.example/front",
            "https://paper.example/claim",
            "https://news.example/wire/"
        ]
    );
    // A statement does not repeat the source it was reported in.
    site.write(
        "content/statements/claim.md",
        "---\ntitle: Claim\ndate: 2024-03-22\nspeaker: front\nincident: market-attack\nstance: claims\nsource: { title: \"Paper\", url: \"https://paper.example/claim\" }\nsources:\n  - { title: \"Paper\", url: \"https://paper.example/claim/\" }\n  - { title: \"Other\", url: \"https://other.example/\" }\n---\n",
    );
    site.build_ok();
    let claim = site.page("statements/claim/");
    assert_eq!(
        section_links(&claim, "Other sources"),
        ["https://other.example/"]
    );
}

fn json_ld(doc: &scraper::Html) -> serde_json::Value {
    let sel = scraper::Selector::parse("script[type=\"application/ld+json\"]").expect("selector");
    let scripts: Vec<String> = doc.select(&sel).map(|s| s.text().collect()).collect();
    assert_eq!(scripts.len(), 1, "{scripts:?}");
    serde_json::from_str(&scripts[0]).unwrap_or_else(|e| panic!("{e}: {}", scripts[0]))
}

#[test]
fn entity_pages_carry_json_ld_and_social_tags_that_cannot_close_the_script() {
    let site = story_site();
    let hostile = "Attack </script><script>alert(1)</script> & <!-- x";
    site.write(
        "content/incidents/market-attack.md",
        &std::fs::read_to_string(site.root().join("content/incidents/market-attack.md"))
            .expect("incident")
            .replace("title: Market attack", &format!("title: \"{hostile}\"")),
    );
    site.build_ok();
    let html = site.read_out(&format!("{INCIDENT}index.html"));
    assert!(
        !html.contains("<script>alert"),
        "the title closed the script"
    );
    let doc = site.page(INCIDENT);
    let ld = json_ld(&doc);
    assert_eq!(ld["@type"], "Event");
    assert_eq!(ld["name"], hostile, "escaped, and read back the same");
    assert_eq!(ld["startDate"], "2024-03-22T20:00:00+03:00");
    assert_eq!(ld["location"]["geo"]["latitude"], 55.8);
    assert_eq!(
        attrs(&doc, "meta[property=\"og:title\"]", "content"),
        [hostile]
    );
    assert_eq!(
        attrs(&doc, "meta[property=\"og:url\"]", "content"),
        ["https://example.org/incidents/market-attack/"]
    );
    assert_eq!(
        attrs(&doc, "meta[name=\"twitter:card\"]", "content"),
        ["summary"]
    );

    assert_eq!(
        json_ld(&site.page("groups/front/"))["@type"],
        "Organization"
    );
    let genuine = json_ld(&site.page("statements/claim/"));
    assert_eq!(genuine["@type"], "Quotation");
    assert_eq!(
        genuine["creator"]["url"],
        "https://example.org/groups/front/"
    );
    assert_eq!(
        genuine["review"]["reviewRating"]["alternateName"],
        "Confirmed"
    );
    // A fabricated statement is not its speaker's quotation.
    let fake_page = site.page("statements/fake-admission/");
    let fake = json_ld(&fake_page);
    assert!(
        fake.get("creator").is_none() && fake.get("spokesperson").is_none(),
        "{fake}"
    );
    assert_eq!(
        fake["review"]["reviewRating"]["alternateName"],
        "Fabricated"
    );
    assert!(
        attrs(&fake_page, "meta[property=\"og:title\"]", "content")[0]
            .starts_with("[Fabricated] Falsely attributed to Neighbour State")
    );
}

#[test]
fn canary_withheld_statement_reaches_no_chronology_sources_or_metadata() {
    let site = story_site();
    site.write(
        "content/statements/canary-draft.md",
        "---\ntitle: CANARYDRAFT statement\ndate: 2024-03-22\nspeaker: minister\nincident: market-attack\nstance: blames\nabout: [neighbour]\ndraft: true\nsource: { title: \"CANARYSOURCE\", url: \"https://canary.example/draft\" }\n---\n",
    );
    site.write(
        "content/statements/canary-amber.md",
        "---\ntitle: CANARYAMBER statement\ndate: 2024-03-21\nspeaker: embassy\nincident: market-attack\nstance: warns\ntlp: amber\nsources:\n  - { title: \"CANARYSOURCE2\", url: \"https://canary.example/amber\" }\n---\n",
    );
    site.write(
        "content/actors/canary-speaker.md",
        "---\ntitle: CANARYSPEAKER\nkind: person\ntlp: red\n---\n",
    );
    statement(
        &site,
        "canary-by-withheld",
        "2024-03-22",
        "canary-speaker",
        "denies",
        "draft: true\n",
    );
    site.build_ok();
    for page in [
        INCIDENT,
        "groups/front/",
        "actors/minister/",
        "actors/embassy/",
        "timeline/",
    ] {
        let html = site.read_out(&format!("{page}index.html"));
        for canary in ["CANARY", "canary.example", "canary-"] {
            assert!(!html.contains(canary), "`{canary}` on `{page}`");
        }
    }
    let doc = site.page(INCIDENT);
    assert_eq!(texts(&doc, ".chrono-entry").len(), 8);
    assert!(!json_ld(&doc).to_string().contains("CANARY"));
    assert!(fact_links(&doc, "Warned by") == ["https://example.org/actors/embassy/"]);
}
