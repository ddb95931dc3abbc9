//! The core promise of issue 2: a folder of Markdown becomes a complete, linked site.
//!
//! Every test builds `tests/fixtures/basic/` (or a variant of it) in a temporary folder
//! and reads the output as a reader or a crawler would: pages at their URLs, the links
//! between them, the derived lists, and the machine-readable files.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::Path;

use briefing::build_site;
use briefing::diag::Severity;

use crate::support::{
    TestSite, assert_same_files, attrs, copy_dir, diagnostics_text, fact_links,
    files_with_extension, section_links, snapshot, text_of, texts,
};

const BASE: &str = "https://example.org/";

/// Absolute URL of a site path under the fixture's `base_url`.
fn url(path: &str) -> String {
    format!("{BASE}{path}")
}

/// The basic fixture, built; the test fails on any error.
fn built() -> TestSite {
    let site = TestSite::fixture("basic");
    site.build_ok();
    site
}

fn h1(doc: &scraper::Html) -> String {
    texts(doc, "h1").into_iter().next().unwrap_or_default()
}

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

#[test]
fn partial_dates_display_at_their_precision() {
    let site = built();
    let time = |path: &str, label: &str| -> (String, String) {
        let doc = site.page(path);
        let sel = scraper::Selector::parse("dt").expect("selector");
        let dt = doc
            .select(&sel)
            .find(|dt| text_of(*dt) == label)
            .unwrap_or_else(|| panic!("no `{label}` on `{path}`"));
        let dd = dt
            .next_siblings()
            .filter_map(scraper::ElementRef::wrap)
            .find(|e| e.value().name() == "dd")
            .expect("dd");
        let t = scraper::Selector::parse("time").expect("selector");
        let time = dd.select(&t).next().expect("a <time> element");
        (
            time.value().attr("datetime").unwrap_or("").to_string(),
            text_of(time),
        )
    };
    assert_eq!(
        time("incidents/border-ambush/", "Date"),
        ("2015".into(), "2015".into())
    );
    assert_eq!(
        time("incidents/depot-arson/", "Date"),
        ("2015-06".into(), "June 2015".into())
    );
    assert_eq!(
        time("incidents/harbour-bombing/", "Date"),
        ("2016-03-14".into(), "14 March 2016".into())
    );
    assert_eq!(
        time("groups/northern-front/", "Founded"),
        ("2015".into(), "2015".into())
    );
    assert_eq!(
        time("statements/fake-ministry-denial/", "Date"),
        ("2016-03".into(), "March 2016".into())
    );
    // Nowhere does a partial date turn into the first day of its year or month.
    for rel in files_with_extension(&site.out(), "html") {
        let html = site.read_out(&rel);
        for wrong in ["1 January 2015", "1 June 2015", "1 March 2016"] {
            assert!(!html.contains(wrong), "`{rel}` shows {wrong:?}");
        }
    }
}

#[test]
fn tag_pages_list_the_entities_with_the_tag() {
    let site = built();
    let maritime = section_links(&site.page("tags/maritime/"), "Incidents");
    assert!(maritime.contains(&url("incidents/harbour-bombing/")));
    assert!(!maritime.contains(&url("incidents/depot-arson/")));
    let groups = section_links(&site.page("tags/maritime/"), "Groups");
    assert!(groups.contains(&url("groups/northern-front-coastal/")));
    assert!(!groups.contains(&url("groups/northern-front/")));

    let index = attrs(&site.page("tags/"), "main a", "href");
    for tag in [
        "bombing",
        "maritime",
        "arson",
        "ambush",
        "insurgency",
        "method",
    ] {
        assert!(index.contains(&url(&format!("tags/{tag}/"))), "tag {tag}");
    }
}

#[test]
fn country_pages_show_the_country_name_and_list_its_entities() {
    let site = built();
    let ru = site.page("countries/ru/");
    assert_eq!(h1(&ru), "Russia");
    let incidents = section_links(&ru, "Incidents");
    assert!(incidents.contains(&url("incidents/harbour-bombing/")));
    assert!(incidents.contains(&url("incidents/depot-arson/")));
    assert!(!incidents.contains(&url("incidents/border-ambush/")));
    assert!(section_links(&ru, "Actors").contains(&url("actors/interior-ministry/")));

    let fi = site.page("countries/fi/");
    assert_eq!(h1(&fi), "Finland");
    assert_eq!(
        section_links(&fi, "Incidents")
            .into_iter()
            .filter(|l| l.contains("/incidents/"))
            .collect::<Vec<_>>(),
        [url("incidents/border-ambush/")]
    );

    let index = site.page("countries/");
    let names = texts(&index, "main a");
    assert!(names.iter().any(|n| n.starts_with("Russia")), "{names:?}");
    assert!(names.iter().any(|n| n.starts_with("Finland")), "{names:?}");
    // The incident page names the country too, linking to its page.
    let incident = site.page("incidents/harbour-bombing/");
    assert!(
        texts(&incident, "dd a").contains(&"Russia".to_string()),
        "the incident does not show `Russia`"
    );
}

#[test]
fn listings_paginate_with_prev_and_next_links() {
    let site = TestSite::fixture("basic");
    site.write(
        "briefing.toml",
        "title = \"Harbour briefing\"\nbase_url = \"https://example.org/\"\n[build]\npaginate_by = 2\n",
    );
    site.build_ok();
    // Incidents are listed in a table (issue 12), other kinds as cards.
    let titles = |path: &str| {
        texts(
            &site.page(path),
            "main .card-title, main .incident-table tbody th",
        )
    };

    let first = site.page("incidents/");
    // `2015` sorts after `2015-06`: a partial date after its period's days (issue 12).
    assert_eq!(titles("incidents/"), ["Harbour bombing", "Border ambush"]);
    assert_eq!(
        attrs(&first, "a[rel=next]", "href"),
        [url("incidents/page/2/")]
    );
    assert!(attrs(&first, "a[rel=prev]", "href").is_empty());

    let second = site.page("incidents/page/2/");
    assert_eq!(titles("incidents/page/2/"), ["Depot arson"]);
    assert_eq!(attrs(&second, "a[rel=prev]", "href"), [url("incidents/")]);
    assert!(attrs(&second, "a[rel=next]", "href").is_empty());
    assert!(!site.out().join("incidents/page/3").exists());

    // Four published statements make exactly two pages; the draft is not counted.
    assert!(site.out().join("statements/page/2/index.html").is_file());
    assert!(!site.out().join("statements/page/3").exists());
}

#[test]
fn a_long_timeline_year_is_split_into_pages() {
    // 501 incidents in 2023 plus the fixture's own entries: more than a year page holds.
    let site = TestSite::fixture("basic");
    for k in 0..501 {
        site.write(
            &format!("content/incidents/bulk-{k:03}.md"),
            &format!(
                "---\ntitle: \"Bulk incident {k:03}\"\ndate: 2023-01-01\nsummary: \"One of many.\"\n---\nBody.\n"
            ),
        );
    }
    site.build_ok();
    let entries = |path: &str| texts(&site.page(path), "main .tl-title");

    // Under 1,000 entries in all, the overview still lists every one of them.
    assert!(entries("timeline/").len() > 501);

    let first = entries("timeline/2023/");
    assert_eq!(first.len(), 500);
    assert_eq!(first[0], "Bulk incident 000");
    let page1 = site.page("timeline/2023/");
    assert_eq!(
        attrs(&page1, "a[rel=next]", "href"),
        [url("timeline/2023/page/2/")]
    );
    let second = entries("timeline/2023/page/2/");
    assert_eq!(second, ["Bulk incident 500"]);
    let page2 = site.page("timeline/2023/page/2/");
    assert_eq!(
        attrs(&page2, "a[rel=prev]", "href"),
        [url("timeline/2023/")]
    );
    assert!(texts(&page2, "title")[0].contains("(page 2)"));
    assert!(!site.out().join("timeline/2023/page/3").exists());
    // A year that fits on one page has no paginator.
    let other_year = files_with_extension(&site.out().join("timeline"), "html")
        .into_iter()
        .find(|f| !f.starts_with("2023") && f.contains('/'))
        .expect("the fixture has another year");
    let other = site.page(&format!(
        "timeline/{}",
        other_year.trim_end_matches("index.html")
    ));
    assert!(attrs(&other, "nav.pagination a", "href").is_empty());
}

#[test]
fn home_page_shows_the_intro_and_latest_incidents() {
    let site = built();
    let home = site.page("");
    assert_eq!(h1(&home), "Harbour briefing: who attacked the port");
    let intro = texts(&home, ".prose p").join(" ");
    assert!(
        intro.contains("This briefing follows the Harbour bombing"),
        "{intro:?}"
    );
    assert!(
        section_links(&home, "Latest incidents").contains(&url("incidents/harbour-bombing/")),
        "no `Latest incidents` linking the incidents"
    );
    assert_eq!(
        texts(&home, ".incident-table tbody th[scope=row]"),
        ["Harbour bombing", "Border ambush", "Depot arson"],
        "latest incidents, newest first (`2015` after `2015-06`)"
    );
}

// ----- deployment -----

/// Check every internal link of every page starts with `base` and resolves to a file
/// in `out` (and, with a fragment, to an element with that id); return the problems.
fn broken_links(out: &Path, base: &str) -> Vec<String> {
    let host = {
        let rest = base.split_once("://").map_or(base, |(_, r)| r);
        rest.split('/').next().unwrap_or("").to_string()
    };
    let mut ids: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut ids_of = |file: &str| -> BTreeSet<String> {
        ids.entry(file.to_string())
            .or_insert_with(|| {
                let doc = scraper::Html::parse_document(
                    &fs::read_to_string(out.join(file)).unwrap_or_default(),
                );
                attrs(&doc, "[id]", "id").into_iter().collect()
            })
            .clone()
    };
    let mut problems = Vec::new();
    for page in files_with_extension(out, "html") {
        let doc = scraper::Html::parse_document(&fs::read_to_string(out.join(&page)).unwrap());
        let mut links = Vec::new();
        for attr in ["href", "src", "action"] {
            links.extend(attrs(&doc, &format!("[{attr}]"), attr));
        }
        for link in links {
            let (target_file, fragment) = if let Some(frag) = link.strip_prefix('#') {
                (page.clone(), frag.to_string())
            } else if let Some(rel) = link.strip_prefix(base) {
                let (path, frag) = rel.split_once('#').unwrap_or((rel, ""));
                let path = path.split('?').next().unwrap_or("");
                let file = if path.is_empty() || path.ends_with('/') {
                    format!("{path}index.html")
                } else {
                    path.to_string()
                };
                if !out.join(&file).is_file() {
                    problems.push(format!("`{page}`: {link} -> no `{file}`"));
                    continue;
                }
                (file, frag.to_string())
            } else if link.starts_with("https://") || link.starts_with("http://") {
                let rest = link.split_once("://").map_or("", |(_, r)| r);
                if rest.split('/').next() == Some(host.as_str()) {
                    problems.push(format!("`{page}`: {link} is outside `{base}`"));
                }
                continue;
            } else if link.starts_with("mailto:") {
                continue;
            } else {
                problems.push(format!("`{page}`: {link} is not absolute"));
                continue;
            };
            if !fragment.is_empty()
                && target_file.ends_with(".html")
                && !ids_of(&target_file).contains(&fragment)
            {
                problems.push(format!("`{page}`: {link} -> no id `{fragment}`"));
            }
        }
    }
    problems
}

#[test]
fn sub_path_base_url_prefixes_every_internal_link() {
    let site = TestSite::fixture("basic");
    let base = "https://example.org/briefings/";
    let mut opts = site.options();
    opts.base_url = Some(base.to_string());
    let report = build_site(&opts);
    assert!(report.success, "{}", diagnostics_text(&report));

    let problems = broken_links(&site.out(), base);
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    let incident = site.page("incidents/harbour-bombing/");
    assert!(
        attrs(&incident, "a", "href").contains(&format!("{base}groups/northern-front-coastal/")),
        "the perpetrator link does not use the sub-path"
    );
    // The search page fetches its index, and links its results, under the sub-path.
    let search = site.page("search/");
    assert_eq!(
        attrs(&search, "form.search-form", "data-index"),
        [format!("{base}search-index/")]
    );
    for file in ["atom.xml", "sitemap.xml"] {
        let text = site.read_out(file);
        assert!(text.contains(base), "`{file}` has no link under {base}");
        let stray = text.matches("https://example.org/").count();
        let good = text.matches(base).count();
        assert_eq!(stray, good, "`{file}` links outside {base}");
    }
}

#[test]
fn base_url_in_briefing_toml_is_honoured() {
    let site = TestSite::fixture("basic");
    site.write(
        "briefing.toml",
        "title = \"Harbour briefing\"\nbase_url = \"https://example.org/briefings\"\n",
    );
    site.build_ok();
    let problems = broken_links(&site.out(), "https://example.org/briefings/");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_second_build_gives_byte_identical_output() {
    let site = built();
    let first = snapshot(&site.out());
    site.build_ok();
    assert_same_files(&first, &snapshot(&site.out()));
}

#[test]
fn output_does_not_depend_on_where_the_site_lives() {
    let a = built();
    let b = built();
    assert_ne!(a.root(), b.root());
    assert_same_files(&snapshot(&a.out()), &snapshot(&b.out()));
}

#[test]
fn example_site_builds_without_errors_or_warnings() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = TestSite::new();
    copy_dir(&repo.join("content"), &site.root().join("content"));
    fs::copy(
        repo.join("briefing.toml"),
        site.root().join("briefing.toml"),
    )
    .expect("copy briefing.toml");
    if repo.join("static").is_dir() {
        copy_dir(&repo.join("static"), &site.root().join("static"));
    }
    let report = site.build();
    let problems: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Note)
        .collect();
    assert!(
        report.success && problems.is_empty(),
        "{}",
        diagnostics_text(&report)
    );
    assert!(report.entities > 0);
}

#[test]
fn basic_fixture_builds_without_warnings() {
    let site = TestSite::fixture("basic");
    let report = site.build_ok();
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| d.severity == Severity::Note),
        "{}",
        diagnostics_text(&report)
    );
}

// ----- theme and static files -----

#[test]
fn site_without_templates_builds_with_the_embedded_theme() {
    let site = built();
    assert!(!site.root().join("templates").exists());
    let doc = site.page("incidents/harbour-bombing/");
    assert!(
        attrs(&doc, "link[rel=stylesheet]", "href").contains(&url("style.css")),
        "no stylesheet link"
    );
    assert!(!site.read_out("style.css").trim().is_empty());
    assert_eq!(texts(&doc, "main h1"), ["Harbour bombing"]);
    assert!(site.out().join("404.html").is_file());
}

#[test]
fn site_template_overrides_the_embedded_one_by_name() {
    let site = TestSite::fixture("basic");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<p id=\"custom\">Custom: {{ entity.title }}</p>{% endblock content %}",
    );
    site.build_ok();
    let page = site.page("pages/methodology/");
    assert_eq!(texts(&page, "#custom"), ["Custom: Methodology"]);
    let incident = site.page("incidents/harbour-bombing/");
    assert!(texts(&incident, "#custom").is_empty());
    assert_eq!(texts(&incident, "main h1"), ["Harbour bombing"]);
}

#[test]
fn a_site_card_component_shapes_every_listing() {
    // Listings print each card made once by the `card` component (issue 5); a site's own
    // `card` must still be the one used, on every kind of page that lists cards.
    let site = TestSite::fixture("basic");
    let theme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/components.html"))
            .expect("the embedded components");
    let marked = theme.replacen(
        "<article class=\"card card-{{ item.kind }}",
        "<article data-site-card=\"{{ h }}\" class=\"card card-{{ item.kind }}",
        1,
    );
    assert_ne!(
        marked, theme,
        "the card component changed: update this test"
    );
    site.write("templates/components.html", &marked);
    site.build_ok();
    for (page, selector, level) in [
        ("groups/northern-front/", ".card", "3"),
        ("tags/maritime/", ".card", "3"),
        ("incidents/harbour-bombing/", ".statements .card", "3"),
        ("statements/", ".card", "2"),
        ("", ".card", "3"),
    ] {
        let doc = site.page(page);
        let marks = attrs(&doc, selector, "data-site-card");
        let cards = texts(&doc, selector);
        assert!(!cards.is_empty(), "no cards on `{page}`");
        assert_eq!(marks.len(), cards.len(), "a built-in card on `{page}`");
        assert!(marks.iter().all(|m| m == level), "`{page}`: {marks:?}");
    }
}

#[test]
fn static_files_are_copied_as_they_are() {
    let site = built();
    for rel in ["robots.txt", "files/notes.txt"] {
        let source = fs::read(site.root().join("static").join(rel)).expect("source");
        let copied = fs::read(site.out().join(rel)).expect("copied file");
        assert_eq!(source, copied, "`{rel}` changed on the way");
    }
}

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

// ----- Markdown -----

#[test]
fn markdown_features_render() {
    let site = built();
    let doc = site.page("pages/methodology/");
    assert_eq!(texts(&doc, ".prose table th"), ["grade", "meaning"]);
    assert_eq!(texts(&doc, ".prose del"), ["wrong"]);

    let boxes = scraper::Selector::parse(".prose input[type=checkbox]").expect("selector");
    let checked: Vec<bool> = doc
        .select(&boxes)
        .map(|b| b.value().attr("checked").is_some())
        .collect();
    assert_eq!(checked, [true, false], "task list");

    assert_eq!(texts(&doc, ".prose h2#grades"), ["Grades #"]);
    assert!(attrs(&doc, ".prose h2#grades a", "href").contains(&"#grades".to_string()));

    let footnote_refs = attrs(&doc, ".prose sup a", "href");
    assert_eq!(footnote_refs.len(), 1, "one footnote reference");
    let target = footnote_refs[0].trim_start_matches('#');
    let defs = scraper::Selector::parse(&format!("[id=\"{target}\"]")).expect("selector");
    let def = doc.select(&defs).next().expect("the footnote definition");
    assert!(text_of(def).contains("The first count was later revised."));

    let spans = attrs(&doc, ".prose pre code span", "class");
    assert!(
        spans
            .iter()
            .any(|c| c.split(' ').any(|c| c.starts_with("hl-"))),
        "rust code is not highlighted with `hl-` classes: {spans:?}"
    );
    assert!(
        attrs(&doc, "link[rel=stylesheet]", "href").contains(&url("syntax.css")),
        "syntax.css is not linked"
    );
    assert!(site.read_out("syntax.css").contains(".hl-"));
}
