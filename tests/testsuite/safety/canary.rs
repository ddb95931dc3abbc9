//! Withheld entities leave no trace in pages, feeds, listings and counts, at every TLP level,
//! for drafts and for embargoes.

use briefing::build_site;
use briefing::check::check_site;
use briefing::diag::Severity;
use briefing::model::Tlp;

use super::{
    KINDS, LEVEL_COUNTRIES, LEVELS, NOW, assert_absent, assert_level_published, build_canary, url,
};
use crate::support::*;

const PUBLISHED_PAGES: [&str; 9] = [
    "incidents/pub-incident/",
    "incidents/pub-incident-two/",
    "groups/pub-group/",
    "actors/pub-actor/",
    "statements/pub-group-claims/",
    "pages/pub-page/",
    "",
    "tags/shared-tag/",
    "countries/fr/",
];

#[test]
fn canary_default_build_leaks_nothing_withheld() {
    let (site, report) = build_canary(|_| {});
    assert_absent(&site, "canary");

    // Every published page still builds.
    assert_eq!(report.entities, 21, "published entities");
    assert_eq!(report.withheld, 25, "withheld entities");
    let mut pages: Vec<String> = PUBLISHED_PAGES.iter().map(|p| p.to_string()).collect();
    for level in LEVELS {
        pages.push(format!("groups/pub-branch-{level}/"));
        pages.push(format!("actors/pub-member-{level}/"));
        pages.push(format!("statements/pub-statement-{level}/"));
    }
    for page in &pages {
        assert!(
            site.out().join(page).join("index.html").is_file(),
            "published page `{page}` is missing"
        );
    }
    for (kind, dir) in KINDS {
        for level in LEVELS {
            let gone = site.out().join(format!("{dir}/canary-{level}-{kind}"));
            assert!(!gone.exists(), "`{}` exists", gone.display());
        }
    }
}

#[test]
fn canary_feeds_with_full_content_hold_published_entities_only() {
    let site = TestSite::fixture("canary");
    let toml = std::fs::read_to_string(site.root().join("briefing.toml")).expect("settings");
    site.write(
        "briefing.toml",
        &format!("{toml}\n[build]\nfeed_content = \"full\"\nfeed_limit = 1000\n"),
    );
    let mut opts = site.options();
    opts.now = Some(moment(NOW));
    let report = build_site(&opts);
    assert!(report.success, "{}", diagnostics_text(&report));
    assert_absent(&site, "canary");
    // Every scope has its feeds, bodies included, and withheld levels add no scope.
    let feeds = files_with_extension(&site.out(), "xml");
    for feed in [
        "atom.xml",
        "groups/pub-group/atom.xml",
        "tags/shared-tag/atom.xml",
        "countries/fr/atom.xml",
    ] {
        assert!(feeds.iter().any(|f| f == feed), "{feed}: {feeds:?}");
        let json = feed.replace("atom.xml", "feed.json");
        assert!(site.read_out(&json).contains("\"content_html\""), "{json}");
    }
    for (_, code) in LEVEL_COUNTRIES {
        assert!(
            !site
                .out()
                .join(format!("countries/{code}/atom.xml"))
                .exists()
        );
    }
}

#[test]
fn canary_references_to_withheld_entities_are_dropped_and_noted() {
    let (_site, report) = build_canary(|_| {});
    assert!(errors(&report).is_empty(), "{}", diagnostics_text(&report));
    let notes = with_code(&report, "N-withheld-ref");
    assert!(notes.iter().all(|n| n.severity == Severity::Note));
    for field in [
        "perpetrators",
        "parent",
        "affiliation",
        "speaker",
        "via",
        "incident",
        "about",
        "relations",
        "link",
    ] {
        assert!(
            notes
                .iter()
                .any(|n| n.message.starts_with(&format!("`{field}` refers to"))),
            "no N-withheld-ref note for `{field}`:\n{}",
            diagnostics_text(&report)
        );
    }
    for level in LEVELS {
        for (kind, _) in KINDS {
            let slug = format!("`canary-{level}-{kind}`");
            assert!(
                notes.iter().any(|n| n.message.contains(&slug)),
                "no note about {slug}"
            );
        }
    }
    // Notes point at the reference: file, line and column.
    let perpetrator = notes
        .iter()
        .find(|n| {
            n.message.contains("`canary-red-group`") && n.message.starts_with("`perpetrators`")
        })
        .expect("note on the red perpetrator");
    assert_eq!(
        perpetrator.file.as_deref(),
        Some(std::path::Path::new("content/incidents/pub-incident.md"))
    );
    assert!(perpetrator.line.is_some() && perpetrator.column.is_some());
    // Withheld documents referring to each other are not noted: only published referrers.
    assert!(
        notes.iter().all(|n| !n
            .file
            .as_ref()
            .is_some_and(|f| f.to_string_lossy().contains("canary-"))),
        "a note came from a withheld file"
    );
}

#[test]
fn check_reports_withheld_references_as_notes() {
    let site = TestSite::fixture("canary");
    let mut opts = site.options();
    opts.now = Some(moment(NOW));
    let report = check_site(&opts);
    assert_eq!(report.count(Severity::Error), 0, "{:?}", report.diagnostics);
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.code == "N-withheld-ref" && d.severity == Severity::Note)
    );
    assert!(!site.out().exists(), "check must not write the output");
}

#[test]
fn canary_derived_lists_and_counts_hold_published_entities_only() {
    let (site, _) = build_canary(|_| {});

    // "Claimed by": the withheld statements all claim `pub-incident` for `pub-actor`.
    let incident = site.page("incidents/pub-incident/");
    assert_eq!(
        fact_links(&incident, "Claimed by"),
        [url("groups/pub-group/")]
    );
    assert_eq!(
        fact_links(&incident, "Attributed to"),
        [url("groups/pub-group/")]
    );
    assert_eq!(
        texts(&incident, "section.statements > h2"),
        ["Statements in time order (1)"]
    );
    let related = section_links(&incident, "Related incidents");
    assert!(related.contains(&url("incidents/pub-incident-two/")));

    // Backlinks of entities that withheld ones point at.
    let actor = site.page("actors/pub-actor/");
    let headings = texts(&actor, "section h2");
    assert!(
        !headings.iter().any(|h| h.starts_with("Statements")),
        "{headings:?}"
    );
    assert!(!texts(&actor, "dt").contains(&"Affiliated".to_string()));
    let group = site.page("groups/pub-group/");
    assert!(!texts(&group, "dt").contains(&"Branches".to_string()));
    let mut incidents: Vec<String> = section_links(&group, "Attributed incidents")
        .into_iter()
        .filter(|u| u.contains("/incidents/"))
        .collect();
    incidents.sort();
    incidents.dedup();
    assert_eq!(
        incidents,
        [
            url("incidents/pub-incident-two/"),
            url("incidents/pub-incident/")
        ]
    );
    let mut about: Vec<String> = section_links(&group, "Statements about")
        .into_iter()
        .filter(|u| u.contains("/statements/"))
        .collect();
    about.dedup();
    assert_eq!(about.len(), 5, "{about:?}");

    // A published statement whose speaker, channel and incident are withheld.
    let statement = site.page("statements/pub-statement-red/");
    for term in ["Speaker", "Via", "Incident"] {
        assert!(
            !texts(&statement, "dt").contains(&term.to_string()),
            "{term}"
        );
    }
    assert_eq!(fact_links(&statement, "About"), [url("groups/pub-group/")]);

    // Counts: home, tags, countries, timeline.
    let home = site.page("");
    assert_eq!(texts(&home, ".stats dd"), ["2", "6", "6", "6"]);
    let tag = site.page("tags/shared-tag/");
    assert_eq!(texts(&tag, ".page-header .muted"), ["2 entries"]);
    let country = site.page("countries/fr/");
    assert_eq!(texts(&country, ".page-header .muted"), ["4 entries"]);
    let countries = site.page("countries/");
    assert_eq!(texts(&countries, ".term-list a"), ["France"]);
    let tags = site.page("tags/");
    assert_eq!(
        texts(&tags, ".term-list a"),
        ["Published tag", "Shared tag"]
    );
    let timeline = site.read_out("timeline/index.html");
    assert!(
        !timeline.contains("2019"),
        "a withheld year is in the timeline"
    );
    assert!(!site.out().join("timeline/2019").exists());

    // Tags and countries used only by withheld entities get no page.
    for (_, code) in LEVEL_COUNTRIES {
        assert!(
            !site.out().join("countries").join(code).exists(),
            "country `{code}` of withheld entities has a page"
        );
    }
    let mut tag_dirs: Vec<String> = std::fs::read_dir(site.out().join("tags"))
        .expect("tags folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    tag_dirs.sort();
    assert_eq!(tag_dirs, ["index.html", "published-tag", "shared-tag"]);

    // Machine-readable outputs list the 21 published entities only.
    assert_eq!(crate::search::search_docs(&site).len(), 21);
    let export: serde_json::Value =
        serde_json::from_str(&site.read_out("data/briefing.json")).expect("export");
    for (key, n) in [
        ("incidents", 2),
        ("groups", 6),
        ("actors", 6),
        ("statements", 6),
    ] {
        assert_eq!(export[key].as_array().map(Vec::len), Some(n), "{key}");
    }
}

#[test]
fn canary_wikilinks_to_withheld_entities_render_their_text_or_nothing() {
    let (site, _) = build_canary(|_| {});
    let page = site.page("pages/pub-page/");
    let items = texts(&page, ".prose li");
    assert_eq!(items.len(), 50);
    assert!(items[..25].iter().all(String::is_empty), "{items:?}");
    assert_eq!(items[25], "withheld incident at amber");
    assert_eq!(attrs(&page, ".prose a", "href"), Vec::<String>::new());
    assert!(
        texts(&page, "section h2")
            .iter()
            .all(|h| h != "Mentioned in")
    );
    // In a heading, the dropped link is dropped from the id and the contents too.
    let incident = site.page("incidents/pub-incident/");
    assert_eq!(
        attrs(&incident, ".prose h2", "id"),
        ["about-and-the-other-group"]
    );
    let home = site.page("");
    assert!(texts(&home, ".intro .prose p")[0].starts_with("Welcome. a red incident"));
}

#[test]
fn canary_tlp_amber_publishes_amber_but_nothing_above_it() {
    let (site, _) = build_canary(|o| o.tlp = Some(Tlp::Amber));
    assert_level_published(&site, "amber");
    for needle in [
        "canary-amberstrict",
        "canary-red",
        "canary-draft",
        "canary-embargo",
    ] {
        assert_absent(&site, needle);
    }
    assert!(site.out().join("countries/kp/index.html").is_file());
    assert!(
        site.out()
            .join("tags/canary-amber-incident-tag/index.html")
            .is_file()
    );
    // Withholding was what kept the amber claim out of "Claimed by".
    let incident = site.page("incidents/pub-incident/");
    assert_eq!(
        fact_links(&incident, "Claimed by"),
        [url("actors/pub-actor/"), url("groups/pub-group/")]
    );
}

#[test]
fn canary_tlp_red_publishes_every_level_but_not_drafts_or_embargoes() {
    let (site, _) = build_canary(|o| o.tlp = Some(Tlp::Red));
    for level in ["amber", "amberstrict", "red"] {
        assert_level_published(&site, level);
    }
    assert_absent(&site, "canary-draft");
    assert_absent(&site, "canary-embargo");
}

#[test]
fn canary_drafts_appear_only_when_asked_for() {
    let (site, _) = build_canary(|o| o.drafts = true);
    assert_level_published(&site, "draft");
    for needle in ["canary-amber", "canary-red", "canary-embargo"] {
        assert_absent(&site, needle);
    }
}

#[test]
fn canary_embargo_lifts_at_its_moment() {
    let (site, _) = build_canary(|o| o.now = Some(moment("2029-12-31T23:59:59Z")));
    assert_absent(&site, "canary");
    let (site, _) = build_canary(|o| o.now = Some(moment("2030-01-01T00:00:00Z")));
    assert_level_published(&site, "embargo");
    for needle in ["canary-amber", "canary-red", "canary-draft"] {
        assert_absent(&site, needle);
    }
}

#[test]
fn cli_tlp_flag_publishes_up_to_the_level_given() {
    let site = TestSite::fixture("canary");
    let root = site.root().to_string_lossy().into_owned();
    let out = run(briefing().args(["build", "--root", &root, "--now", NOW]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_absent(&site, "canary");
    let out = run(briefing().args(["build", "--root", &root, "--now", NOW, "--tlp", "amber"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_level_published(&site, "amber");
    assert_absent(&site, "canary-red");
    let out = run(briefing().args(["build", "--root", &root, "--now", NOW, "--drafts", "-v"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_level_published(&site, "draft");
    assert_absent(&site, "canary-amber");
    assert!(out.stderr.contains("N-withheld-ref"), "{}", out.stderr);
}

#[test]
fn withheld_home_introduction_is_left_out() {
    let site = TestSite::new();
    site.write(
        "content/_index.md",
        "---\ntitle: CANARY-INTRO-TITLE\ndescription: CANARY-INTRO-DESCRIPTION\ntlp: red\n---\n\nCANARY-INTRO-BODY\n",
    );
    site.build_ok();
    assert_absent(&site, "canary");
    let site = TestSite::new();
    site.write(
        "content/_index.md",
        "---\ntitle: CANARY-INTRO-TITLE\ndraft: true\n---\n\nCANARY-INTRO-BODY\n",
    );
    site.build_ok();
    assert_absent(&site, "canary");
    let mut opts = site.options();
    opts.drafts = true;
    assert!(build_site(&opts).success);
    assert!(site.read_out("index.html").contains("CANARY-INTRO-BODY"));
}
