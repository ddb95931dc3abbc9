//! Publishing safety (issue 4): withheld entities leave no trace in any output file,
//! references to them are dropped and reported as notes, and hostile content cannot make
//! the output execute anything.
//!
//! The canary fixture (`tests/fixtures/canary/`) holds, for each way of being withheld
//! (TLP amber, amber+strict and red, draft, embargo) one entity of every kind, each with
//! canary strings `CANARY-<LEVEL>-<KIND>-<FIELD>` in every field and a slug starting with
//! `canary-`; published entities refer to them through every reference field and through
//! `[[wikilinks]]` with and without text.

use briefing::check::check_site;
use briefing::diag::Severity;
use briefing::model::Tlp;
use briefing::{BuildOptions, BuildReport, build_site};

use crate::support::*;

/// The moment canary builds are judged at: before the embargo of 2030-01-01.
const NOW: &str = "2026-06-01T00:00:00Z";
/// The ways of being withheld, as they appear in canary slugs.
const LEVELS: [&str; 5] = ["amber", "amberstrict", "red", "draft", "embargo"];
/// Kinds and their folders.
const KINDS: [(&str, &str); 5] = [
    ("incident", "incidents"),
    ("group", "groups"),
    ("actor", "actors"),
    ("statement", "statements"),
    ("page", "pages"),
];
/// The country only the withheld entities of each level use.
const LEVEL_COUNTRIES: [(&str, &str); 5] = [
    ("amber", "kp"),
    ("amberstrict", "li"),
    ("red", "mc"),
    ("draft", "sm"),
    ("embargo", "va"),
];

fn url(path: &str) -> String {
    format!("https://example.org/{path}")
}

/// Build the canary fixture at [`NOW`] with `adjust` applied; the build must succeed.
fn build_canary(adjust: impl FnOnce(&mut BuildOptions)) -> (TestSite, BuildReport) {
    let site = TestSite::fixture("canary");
    let mut opts = site.options();
    opts.now = Some(moment(NOW));
    adjust(&mut opts);
    let report = build_site(&opts);
    assert!(
        report.success,
        "the canary site must build:\n{}",
        diagnostics_text(&report)
    );
    (site, report)
}

/// No output file names or contains `needle`, in any case.
fn assert_absent(site: &TestSite, needle: &str) {
    let leaks = occurrences(&site.out(), needle);
    assert!(
        leaks.is_empty(),
        "withheld material leaked ({} places):\n{}",
        leaks.len(),
        leaks.join("\n")
    );
}

/// Every entity of `level` has its page, showing its canary title.
fn assert_level_published(site: &TestSite, level: &str) {
    for (kind, dir) in KINDS {
        let page = format!("{dir}/canary-{level}-{kind}/index.html");
        let html = site.read_out(&page);
        let title = format!(
            "CANARY-{}-{}-TITLE",
            level.to_uppercase(),
            kind.to_uppercase()
        );
        assert!(html.contains(&title), "`{page}` does not show {title}");
    }
}

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

// ----- hostile content -----

/// Payloads that would run script if any stage emitted author text unescaped.
const PAYLOADS: &[&str] = &[
    "<script>alert('x1')</script>",
    "\"><script>alert(2)</script>",
    "'><img src=x onerror=alert(3)>",
    "<svg onload=alert(4)><circle/></svg>",
    "<a href=\"javascript:alert(5)\">five</a>",
    "<iframe src=\"javascript:alert(6)\"></iframe>",
    "<style>body{background:url(javascript:alert(7))}</style>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(8)\">",
    "&lt;script&gt;alert(9)&lt;/script&gt;",
    "&#x3C;script&#x3E;alert(10)&#x3C;/script&#x3E;",
    "</textarea></title><script>alert(11)</script>",
    "]]><script>alert(12)</script><![CDATA[",
    "{{ site.title }} {% raw %} {# x #}",
];

/// `text` as a double-quoted YAML string.
fn yaml(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A hostile value for `field`: its name, then every payload.
fn hostile(field: &str) -> String {
    format!("{field} {}", PAYLOADS.join(" "))
}

/// Raw HTML and Markdown in a body, each of which is sanitised or neutralised.
const HOSTILE_BODY: &str = r#"
<script>alert('body-1')</script>

<img src=x onerror=alert(2)>

<svg onload=alert(3)><use xlink:href="javascript:alert(4)"/></svg>

<math><a xlink:href="javascript:alert(5)">m</a></math>

<iframe src="https://evil.example/"></iframe>

<object data="javascript:alert(6)"></object>

<embed src="javascript:alert(7)">

<a href="javascript:alert(8)">a</a> <a href="JaVaScRiPt:alert(9)">b</a>
<a href="&#106;avascript:alert(10)">c</a> <a href="&#x6A;avascript&#x3A;alert(11)">d</a>
<a href="java&#x09;script:alert(12)">e</a> <a href=" javascript:alert(13)">f</a>
<a href="vbscript:msgbox(14)">g</a>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxNSk8L3NjcmlwdD4=">h</a>
<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">

<form action="javascript:alert(16)"><button formaction="javascript:alert(17)">x</button></form>

<style>*{color:red}</style>

<meta http-equiv="refresh" content="0;url=https://evil.example/">

<base href="https://evil.example/">

<div style="position:fixed;top:0;background:url(javascript:alert(18))">styled</div>

<details open ontoggle=alert(19)><summary>s</summary></details>

<input autofocus onfocus=alert(20)>

<p onclick="alert(21)">p</p> <a href="https://ok.example/" onmouseover="alert(22)">ok</a>

<scr<script>ipt>alert(23)</script>

<noscript><p title="</noscript><img src=x onerror=alert(24)>"></noscript>

<template><script>alert(25)</script></template>

<table><tr><td background="javascript:alert(26)">t</td></tr></table>

<a href="https://ok.example/" target="_blank">new window</a>

## Heading {onclick="alert(27)" .note}

## Second {#x"onmouseover="alert(28)}

| a | b |
|:--|--:|
| 1 | 2 |

See [[xss-group#"onmouseover="alert(29)]] and [[xss-group|<b>bold</b>]].

```"><script>alert(30)</script>
code
```

[safe](https://example.org/a "title\" onclick=\"alert(31)") [relative](/pages/xss-page/) [mail](mailto:a@example.org)
"#;

fn hostile_site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "briefing.toml",
        &format!(
            "title = {}\ndescription = {}\nbase_url = \"https://example.org/\"\n",
            yaml(&hostile("site-title")),
            yaml(&hostile("site-description"))
        ),
    );
    let source = format!(
        "sources:\n  - title: {}\n    publisher: {}\n    url: {}\n",
        yaml(&hostile("source-title")),
        yaml(&hostile("source-publisher")),
        yaml("https://example.org/?q=\"><script>alert(40)</script>&x='y'")
    );
    let common = |field: &str| {
        format!(
            "title: {}\nsummary: {}\ntags: [{}, {}]\n{source}extra:\n  html: {}\n",
            yaml(&hostile(&format!("{field}-title"))),
            yaml(&hostile(&format!("{field}-summary"))),
            yaml(&hostile(&format!("{field}-tag"))),
            yaml("<b onmouseover=alert(41)>tag</b>"),
            yaml(&hostile("extra"))
        )
    };
    site.write(
        "content/incidents/xss-incident.md",
        &format!(
            "---\n{}date: 2024-03-22\nlocation:\n  place: {}\n  city: {}\n  region: {}\n  country: FR\ncasualties:\n  killed: 1\n  note: {}\nattack_types: [{}]\ntargets: [{}]\nperpetrators: [xss-group]\n---\n{HOSTILE_BODY}",
            common("incident"),
            yaml(&hostile("place")),
            yaml(&hostile("city")),
            yaml(&hostile("region")),
            yaml(&hostile("casualty-note")),
            yaml("<script>alert(42)</script>"),
            yaml("\" onmouseover=\"alert(43)"),
        ),
    );
    site.write(
        "content/groups/xss-group.md",
        &format!(
            "---\n{}short_name: {}\naliases: [{}, {}]\nideology: [{}]\n---\n{HOSTILE_BODY}",
            common("group"),
            yaml(&hostile("short-name")),
            yaml(&hostile("alias")),
            yaml("javascript:alert(44)"),
            yaml(&hostile("ideology")),
        ),
    );
    site.write(
        "content/actors/xss-actor.md",
        &format!(
            "---\n{}kind: person\nrole: {}\n---\n{HOSTILE_BODY}",
            common("actor"),
            yaml(&hostile("role"))
        ),
    );
    site.write(
        "content/statements/xss-statement.md",
        &format!(
            "---\n{}date: 2024-03-23\nspeaker: xss-group\nvia: xss-actor\nincident: xss-incident\nabout: [xss-actor]\nstance: claims\nquote: {}\nverification:\n  status: fabricated\n  note: {}\nsource:\n  title: {}\n  url: {}\n---\n{HOSTILE_BODY}",
            common("statement"),
            yaml(&hostile("quote")),
            yaml(&hostile("verification-note")),
            yaml(&hostile("statement-source")),
            yaml("/pages/xss-page/?a=\"><script>alert(45)</script>"),
        ),
    );
    site.write(
        "content/pages/xss-page.md",
        &format!(
            "---\n{}description: {}\n---\n{HOSTILE_BODY}",
            common("page"),
            yaml(&hostile("description"))
        ),
    );
    site.write(
        "content/_index.md",
        &format!(
            "---\ntitle: {}\ndescription: {}\n---\n{HOSTILE_BODY}",
            yaml(&hostile("intro-title")),
            yaml(&hostile("intro-description"))
        ),
    );
    site
}

/// URL attributes that a browser may follow or load.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "srcset",
    "ping",
];

/// Every reason `doc` (the output file `file`) could run script.
/// Whether an `<svg>` is one of the generator's pictures: a map, a chart or a legend key
/// inside a `<div class="picture">`.
fn is_picture(svg: scraper::ElementRef<'_>) -> bool {
    let ours = svg
        .value()
        .classes()
        .any(|c| ["map", "chart", "legend-key"].contains(&c));
    let in_figure = svg
        .ancestors()
        .filter_map(scraper::ElementRef::wrap)
        .any(|a| a.value().name() == "div" && a.value().classes().any(|c| c == "picture"));
    ours && in_figure
}

fn executable_content(file: &str, doc: &scraper::Html) -> Vec<String> {
    let mut found = Vec::new();
    for node in doc.tree.nodes() {
        let Some(el) = scraper::ElementRef::wrap(node) else {
            continue;
        };
        let e = el.value();
        let name = e.name();
        match name {
            // The generator's own pictures (issue 13): an <svg> of the theme's classes,
            // in a figure; their elements and attributes are checked like any other.
            "svg" if is_picture(el) => {}
            "script" => {
                let theirs = e.attr("src") == Some("https://example.org/search.js")
                    && file == "search/index.html"
                    && el.text().all(|t| t.trim().is_empty());
                // JSON-LD (issue 12) is data, not code, if it parses as JSON and holds no
                // `<` that could end the element.
                let text: String = el.text().collect();
                let json_ld = e.attr("type") == Some("application/ld+json")
                    && e.attr("src").is_none()
                    && !text.contains('<')
                    && serde_json::from_str::<serde_json::Value>(&text).is_ok();
                if !theirs && !json_ld {
                    found.push(format!("{file}: <script> {:?}", e.attr("src")));
                }
            }
            "iframe" | "frame" | "frameset" | "object" | "embed" | "applet" | "base" | "style"
            | "svg" | "math" | "template" | "portal" | "foreignObject" | "use" | "animate"
            | "set" => {
                found.push(format!("{file}: <{name}>"));
            }
            "meta" if e.attr("http-equiv").is_some() => {
                found.push(format!("{file}: <meta http-equiv>"));
            }
            _ => {}
        }
        for (attr, value) in e.attrs() {
            let attr = attr.to_ascii_lowercase();
            if attr.starts_with("on") || attr == "srcdoc" || attr == "formaction" {
                found.push(format!("{file}: <{name} {attr}={value:?}>"));
            }
            let style = value.trim();
            if attr == "style" && !style.is_empty() && !style.starts_with("text-align") {
                found.push(format!("{file}: <{name} style={value:?}>"));
            }
            if URL_ATTRIBUTES.contains(&attr.as_str()) {
                let compact: String = value
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                if ["javascript:", "vbscript:", "data:"]
                    .iter()
                    .any(|s| compact.starts_with(s))
                {
                    found.push(format!("{file}: <{name} {attr}={value:?}>"));
                }
            }
        }
    }
    found
}

#[test]
fn xss_corpus_produces_no_executable_output() {
    let site = hostile_site();
    let report = site.build_ok();
    assert!(with_code(&report, "E-invalid-url").is_empty());
    let pages = files_with_extension(&site.out(), "html");
    assert!(pages.len() > 20, "{pages:?}");
    let mut found = Vec::new();
    for file in &pages {
        let html = site.read_out(file);
        found.extend(executable_content(
            file,
            &scraper::Html::parse_document(&html),
        ));
        for payload in ["<script>alert", "<img src=x", "<svg onload", "<iframe"] {
            if html.contains(payload) {
                found.push(format!("{file}: raw `{payload}`"));
            }
        }
    }
    for file in ["atom.xml", "sitemap.xml"] {
        let xml = site.read_out(file);
        for payload in ["<script", "<img", "<svg", "<iframe", "]]><"] {
            if xml.contains(payload) {
                found.push(format!("{file}: raw `{payload}`"));
            }
        }
    }
    assert!(found.is_empty(), "executable output:\n{}", found.join("\n"));
}

#[test]
fn xss_frontmatter_text_is_shown_as_text() {
    let site = hostile_site();
    site.build_ok();
    let page = site.page("incidents/xss-incident/");
    let h1 = texts(&page, "h1");
    assert_eq!(h1, [hostile("incident-title")], "the title must be text");
    assert_eq!(texts(&page, ".lede"), [hostile("incident-summary")]);
    let title = texts(&page, "title");
    assert!(
        title[0].starts_with(&hostile("incident-title")),
        "{title:?}"
    );
    assert_eq!(
        attrs(&page, "meta[name=description]", "content"),
        [hostile("incident-summary")]
    );
    let location = texts(&page, ".facts dd")
        .into_iter()
        .find(|t| t.starts_with("place "))
        .expect("location");
    assert!(location.starts_with(&hostile("place")));
    // Its own source, then its statement's, merged (issue 12).
    assert_eq!(
        attrs(&page, ".source-list cite a", "href"),
        [
            "https://example.org/?q=\"><script>alert(40)</script>&x='y'",
            "/pages/xss-page/?a=\"><script>alert(45)</script>"
        ]
    );
    assert_eq!(
        texts(&page, ".source-list cite"),
        [hostile("source-title"), hostile("statement-source")]
    );
    let tags = texts(&page, ".tag-list a");
    assert!(tags.contains(&hostile("incident-tag")), "{tags:?}");
    let statement = site.page("statements/xss-statement/");
    assert_eq!(texts(&statement, "blockquote p"), [hostile("quote")]);
    let group = site.page("groups/xss-group/");
    assert!(texts(&group, "dd").contains(&hostile("short-name")));
    // The search index and the feed hold the same text, as data.
    let index = crate::search::search_docs(&site);
    assert!(index.iter().any(|e| e["t"] == hostile("incident-title")));
    let atom = site.read_out("atom.xml");
    let atom = roxmltree::Document::parse(&atom).expect("atom.xml is XML");
    assert!(
        atom.descendants()
            .any(|n| n.has_tag_name("title") && n.text() == Some(&*hostile("incident-title"))),
        "the feed holds the title as text"
    );
}

#[test]
fn xss_body_markup_is_sanitised_but_kept_where_safe() {
    let site = hostile_site();
    site.build_ok();
    let page = site.page("pages/xss-page/");
    assert!(texts(&page, ".prose div").contains(&"styled".to_string()));
    assert_eq!(
        attrs(&page, ".prose td", "style"),
        ["text-align:left", "text-align:right"]
    );
    let links = attrs(&page, ".prose a", "href");
    for kept in [
        "https://ok.example/",
        "https://example.org/a",
        "/pages/xss-page/",
        "mailto:a@example.org",
    ] {
        assert!(
            links.iter().any(|l| l == kept),
            "{kept} missing from {links:?}"
        );
    }
    let ids = attrs(&page, ".prose h2", "id");
    assert_eq!(ids, ["heading", "x\"onmouseover=\"alert(28)"]);
    assert_eq!(
        attrs(&page, ".prose h2 a.anchor", "href"),
        ["#heading", "#x\"onmouseover=\"alert(28)"]
    );
}

#[test]
fn xss_dangerous_source_urls_are_refused_with_invalid_url() {
    let site = TestSite::new();
    let bad_sources = [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(2)",
        " javascript:alert(3)",
        "java\tscript:alert(4)",
        "&#106;avascript:alert(5)",
        "data:text/html,<script>alert(6)</script>",
        "vbscript:msgbox(7)",
        "//evil.example/8",
        "ftp://example.org/9",
        "https://example.org/\u{7}10",
    ];
    for (i, url) in bad_sources.iter().enumerate() {
        site.write(
            &format!("content/pages/source-{i}.md"),
            &format!(
                "---\ntitle: Source {i}\nsources:\n  - title: s\n    url: {}\n---\n",
                yaml(url)
            ),
        );
    }
    site.write(
        "content/statements/bad-statement-source.md",
        "---\ntitle: S\nsummary: s\ndate: 2024-01-01\nspeaker: speaker\nstance: other\nsource:\n  title: t\n  url: \"javascript:alert(11)\"\n---\n",
    );
    site.write(
        "content/actors/speaker.md",
        "---\ntitle: Speaker\nsummary: s\nkind: person\n---\n",
    );
    let report = site.build();
    assert!(!report.success);
    let invalid = with_code(&report, "E-invalid-url");
    assert_eq!(
        errors(&report).len(),
        invalid.len(),
        "only URL errors expected:\n{}",
        diagnostics_text(&report)
    );
    assert_eq!(invalid.len(), bad_sources.len() + 1);
    for (i, url) in bad_sources.iter().enumerate() {
        let file = format!("content/pages/source-{i}.md");
        assert!(
            invalid
                .iter()
                .any(|d| d.file.as_deref() == Some(std::path::Path::new(&file))),
            "no E-invalid-url for `{}` ({file})",
            url.escape_debug()
        );
    }
    assert!(invalid.iter().any(|d| {
        d.file
            .as_deref()
            .is_some_and(|f| f.ends_with("bad-statement-source.md"))
    }));
    assert!(
        invalid.iter().all(|d| !d.message.contains('\u{7}')),
        "control characters must be shown escaped"
    );
    assert!(
        !site.out().exists(),
        "a failed build must not write the output"
    );
}

#[test]
fn xss_dangerous_link_urls_in_bodies_are_refused_with_invalid_url() {
    let site = TestSite::new();
    let body = [
        "[a](javascript:alert(1))",
        "[b](JaVaScRiPt:alert(2))",
        "[c](&#106;avascript:alert(3))",
        "[d](java&#x09;script:alert(4))",
        "[e](vbscript:msgbox(5))",
        "[f](data:text/html;base64,PHNjcmlwdD4=)",
        "![g](data:image/svg+xml;base64,PHN2Zz4=)",
        "<javascript:alert(8)>",
        "[h][r]",
        "[i]( javascript:alert(10) )",
    ];
    site.write(
        "content/pages/links.md",
        &format!(
            "---\ntitle: Links\n---\n\n{}\n\n[r]: javascript:alert(9)\n",
            body.join("\n\n")
        ),
    );
    let report = site.build();
    assert!(!report.success);
    let invalid = with_code(&report, "E-invalid-url");
    assert_eq!(
        errors(&report).len(),
        invalid.len(),
        "only URL errors expected:\n{}",
        diagnostics_text(&report)
    );
    let mut lines: Vec<usize> = invalid
        .iter()
        .filter(|d| d.file.as_deref().is_some_and(|f| f.ends_with("links.md")))
        .filter_map(|d| d.line)
        .collect();
    lines.sort();
    let expected: Vec<usize> = (0..body.len()).map(|i| 5 + 2 * i).collect();
    assert_eq!(lines, expected, "{}", diagnostics_text(&report));
    assert!(
        !site.out().exists(),
        "a failed build must not write the output"
    );
}

#[test]
fn raw_html_is_kept_only_when_the_site_opts_in() {
    let site = TestSite::new();
    site.write(
        "briefing.toml",
        "title = \"T\"\nbase_url = \"https://example.org/\"\n[markdown]\nunsafe_raw_html = true\n",
    );
    site.write(
        "content/pages/p.md",
        "---\ntitle: P\n---\n\n<div data-widget=\"map\" onclick=\"go()\">kept</div>\n",
    );
    site.build_ok();
    let page = site.read_out("pages/p/index.html");
    assert!(page.contains("<div data-widget=\"map\" onclick=\"go()\">kept</div>"));
}

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
