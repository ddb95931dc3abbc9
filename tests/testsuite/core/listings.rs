//! Dates, tag and country pages, pagination, the timeline and the home page.

use super::{built, h1, url};
use crate::support::{TestSite, attrs, files_with_extension, section_links, text_of, texts};

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
