//! Feeds, sitemap and crawling, completions and `[extra]` (issue 15): feeds are parsed
//! back (Atom with roxmltree, JSON Feed with serde_json) and hold the right entries.

use std::collections::BTreeSet;

use crate::support::*;

/// The basic fixture with `settings` appended to its `[build]` table (or after it).
fn basic_with(settings: &str) -> TestSite {
    let site = TestSite::fixture("basic");
    let toml = std::fs::read_to_string(site.root().join("briefing.toml")).expect("settings");
    site.write("briefing.toml", &format!("{toml}\n{settings}\n"));
    site
}

/// The entry links of an Atom feed, in order.
fn atom_links(xml: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).expect("the feed is XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "feed");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    root.children()
        .filter(|n| n.has_tag_name("entry"))
        .map(|e| {
            e.children()
                .find(|n| n.has_tag_name("link"))
                .and_then(|l| l.attribute("href"))
                .expect("an entry link")
                .to_string()
        })
        .collect()
}

/// The item URLs of a JSON Feed, in order.
fn json_links(text: &str) -> Vec<String> {
    let feed: serde_json::Value = serde_json::from_str(text).expect("the feed is JSON");
    feed["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["url"].as_str().expect("url").to_string())
        .collect()
}

fn urls(paths: &[&str]) -> Vec<String> {
    paths
        .iter()
        .map(|p| format!("https://example.org/{p}"))
        .collect()
}

#[test]
fn group_feed_holds_its_incidents_and_the_statements_by_and_about_it() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let expected = urls(&[
        "statements/ministry-blames-northern-front/",
        // `2015` sorts after `2015-06` (issue 12).
        "incidents/border-ambush/",
        "incidents/depot-arson/",
    ]);
    let atom = site.read_out("groups/northern-front/atom.xml");
    assert_eq!(atom_links(&atom), expected, "{atom}");
    let json = site.read_out("groups/northern-front/feed.json");
    assert_eq!(json_links(&json), expected, "{json}");
}

#[test]
fn tag_feed_holds_the_entities_of_the_tag() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let atom = atom_links(&site.read_out("tags/arson/atom.xml"));
    assert_eq!(atom, urls(&["incidents/depot-arson/"]));
    let json = json_links(&site.read_out("tags/arson/feed.json"));
    assert_eq!(json, atom);
}

#[test]
fn every_json_feed_has_the_fields_its_spec_requires() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let feeds: Vec<String> = files_with_extension(&site.out(), "json")
        .into_iter()
        .filter(|f| f.ends_with("feed.json"))
        .collect();
    // The site, 4 kinds, 2 groups, 2 countries and 9 tags.
    assert!(feeds.len() >= 10, "{feeds:?}");
    for file in &feeds {
        let feed: serde_json::Value = serde_json::from_str(&site.read_out(file)).expect("json");
        assert_eq!(
            feed["version"], "https://jsonfeed.org/version/1.1",
            "{file}"
        );
        assert!(
            feed["title"].as_str().is_some_and(|t| !t.is_empty()),
            "{file}"
        );
        let own = format!("https://example.org/{file}");
        assert_eq!(feed["feed_url"].as_str(), Some(own.as_str()), "{file}");
        for item in feed["items"].as_array().expect("items") {
            assert!(
                item["id"]
                    .as_str()
                    .is_some_and(|i| i.starts_with("urn:uuid:"))
            );
            let content = item["content_html"]
                .as_str()
                .or(item["content_text"].as_str());
            assert!(content.is_some_and(|c| !c.is_empty()), "{file}: {item}");
            assert!(
                item["url"]
                    .as_str()
                    .is_some_and(|u| u.starts_with("https://"))
            );
            for date in ["date_published", "date_modified"] {
                if let Some(d) = item.get(date) {
                    let parsed = d.as_str().map(str::parse::<jiff::Timestamp>);
                    assert!(parsed.is_some_and(|p| p.is_ok()), "{file}: {d}");
                }
            }
        }
    }
}

#[test]
fn feed_ids_survive_a_new_base_url() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let ids = |xml: &str| -> Vec<String> {
        let doc = roxmltree::Document::parse(xml).expect("xml");
        doc.descendants()
            .filter(|n| n.has_tag_name("id"))
            .filter_map(|n| n.text().map(str::to_string))
            .collect()
    };
    let before = ids(&site.read_out("incidents/atom.xml"));
    let mut opts = site.options();
    opts.base_url = Some("https://mirror.example.net/briefing/".into());
    assert!(briefing::build_site(&opts).success);
    let after = site.read_out("incidents/atom.xml");
    assert!(after.contains("https://mirror.example.net/briefing/incidents/"));
    assert_eq!(ids(&after), before);
    // An entity has one id, whichever feed it is in.
    let site_feed = ids(&site.read_out("atom.xml"));
    assert!(before[1..].iter().all(|id| site_feed.contains(id)));
}

#[test]
fn fabricated_statements_are_flagged_and_never_read_as_the_speakers_words() {
    let site = basic_with("");
    let toml = std::fs::read_to_string(site.root().join("briefing.toml")).expect("settings");
    site.write(
        "briefing.toml",
        &toml.replace("[build]", "[build]\nfeed_content = \"full\""),
    );
    site.build_ok();
    let doc_text = site.read_out("statements/atom.xml");
    let doc = roxmltree::Document::parse(&doc_text).expect("xml");
    let entry = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .find(|e| {
            e.descendants().any(|l| {
                l.attribute("href")
                    .is_some_and(|h| h.contains("fake-ministry"))
            })
        })
        .expect("the fabricated statement");
    let text = |tag: &str| {
        entry
            .children()
            .find(|n| n.has_tag_name(tag))
            .and_then(|n| n.text())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(
        text("title"),
        "[Fabricated] Denies: Fake video of the ministry denying the bombing"
    );
    assert!(text("summary").starts_with("Fabricated statement: falsely attributed to"));
    assert!(text("content").starts_with("<p><strong>Fabricated statement:"));
    let json: serde_json::Value =
        serde_json::from_str(&site.read_out("statements/feed.json")).expect("json");
    let item = json["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| {
            i["url"]
                .as_str()
                .is_some_and(|u| u.contains("fake-ministry"))
        })
        .expect("item");
    assert!(
        item["title"]
            .as_str()
            .expect("title")
            .starts_with("[Fabricated] ")
    );
    assert_eq!(item["_briefing"]["flag"], "Fabricated");
}

#[test]
fn full_content_is_a_setting_and_summaries_the_default() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    assert!(!site.read_out("incidents/atom.xml").contains("<content"));
    assert!(
        !site
            .read_out("incidents/feed.json")
            .contains("content_html")
    );
    let toml = std::fs::read_to_string(site.root().join("briefing.toml")).expect("settings");
    site.write(
        "briefing.toml",
        &toml.replace(
            "[build]",
            "[build]\nfeed_content = \"full\"\nfeed_limit = 2",
        ),
    );
    site.build_ok();
    let atom = site.read_out("incidents/atom.xml");
    assert_eq!(atom_links(&atom).len(), 2, "feed_limit");
    assert!(atom.contains("<content type=\"html\" xml:base=\"https://example.org/incidents/"));
    assert!(
        site.read_out("incidents/feed.json")
            .contains("\"content_html\"")
    );
}

#[test]
fn no_feed_or_sitemap_with_a_path_base_url_but_robots_txt() {
    let site = TestSite::fixture("basic");
    std::fs::remove_file(site.root().join("static/robots.txt")).expect("rm");
    let mut opts = site.options();
    opts.base_url = Some("/sub/".into());
    assert!(briefing::build_site(&opts).success);
    for f in [
        "atom.xml",
        "feed.json",
        "groups/northern-front/atom.xml",
        "sitemap.xml",
    ] {
        assert!(!site.out().join(f).exists(), "{f}");
    }
    let home = site.read_out("index.html");
    assert!(!home.contains("application/feed+json") && !home.contains("class=\"follow\""));
    assert_eq!(site.read_out("robots.txt"), "User-agent: *\nAllow: /\n");
}

#[test]
fn pages_link_the_feed_that_follows_them_and_their_canonical_url() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    for (page, feed) in [
        ("", ""),
        ("incidents/", "incidents/"),
        ("groups/northern-front/", "groups/northern-front/"),
        ("tags/arson/", "tags/arson/"),
        ("countries/fi/", "countries/fi/"),
    ] {
        let doc = site.page(page);
        let alternates = attrs(
            &doc,
            "link[rel=alternate][type='application/atom+xml']",
            "href",
        );
        let atom = format!("https://example.org/{feed}atom.xml");
        assert_eq!(alternates.first(), Some(&atom), "{page}");
        let json = format!("https://example.org/{feed}feed.json");
        let follow = attrs(&doc, ".follow a", "href");
        assert_eq!(follow, [atom, json], "{page}");
        assert_eq!(
            attrs(&doc, "link[rel=canonical]", "href"),
            [format!("https://example.org/{page}")]
        );
    }
    // Pages without a feed of their own link the site's, and show no "Follow" link.
    let incident = site.page("incidents/depot-arson/");
    assert!(texts(&incident, ".follow").is_empty());
    assert_eq!(
        attrs(
            &incident,
            "link[rel=alternate][type='application/atom+xml']",
            "href"
        ),
        ["https://example.org/atom.xml"]
    );
}

/// The `<loc>`s of a sitemap file.
fn locs(xml: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).expect("sitemap xml");
    doc.descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text().map(str::to_string))
        .collect()
}

#[test]
fn sitemap_becomes_an_index_past_its_limit() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let whole = locs(&site.read_out("sitemap.xml"));
    assert!(whole.len() > 25, "{}", whole.len());
    assert!(!site.out().join("sitemap-1.xml").exists());

    let toml = std::fs::read_to_string(site.root().join("briefing.toml")).expect("settings");
    site.write(
        "briefing.toml",
        &toml.replace("[build]", "[build]\nsitemap_limit = 10"),
    );
    site.build_ok();
    let index = site.read_out("sitemap.xml");
    let doc = roxmltree::Document::parse(&index).expect("xml");
    assert_eq!(doc.root_element().tag_name().name(), "sitemapindex");
    let parts = locs(&index);
    assert_eq!(parts.len(), whole.len().div_ceil(10));
    let mut split = Vec::new();
    for (n, url) in parts.iter().enumerate() {
        let file = format!("sitemap-{}.xml", n + 1);
        assert_eq!(url, &format!("https://example.org/{file}"));
        let urls = locs(&site.read_out(&file));
        assert!(urls.len() <= 10 && !urls.is_empty());
        split.extend(urls);
    }
    assert_eq!(split, whole, "the parts hold every URL once, in order");
}

#[test]
fn sitemap_limit_above_the_protocols_is_an_error() {
    let site = basic_with("");
    let toml = std::fs::read_to_string(site.root().join("briefing.toml")).expect("settings");
    site.write(
        "briefing.toml",
        &toml.replace("[build]", "[build]\nsitemap_limit = 50001"),
    );
    let report = site.build();
    assert!(!report.success);
    assert!(diagnostics_text(&report).contains("`sitemap_limit` must be between 1 and 50000"));
}

#[test]
fn robots_txt_keeps_a_tlp_green_site_out_unless_it_says_otherwise() {
    let site = TestSite::fixture("basic");
    std::fs::remove_file(site.root().join("static/robots.txt")).expect("rm");
    site.build_ok();
    assert_eq!(
        site.read_out("robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/sitemap.xml\n"
    );
    let mut opts = site.options();
    opts.tlp = Some(briefing::model::Tlp::Green);
    assert!(briefing::build_site(&opts).success);
    assert!(
        site.read_out("robots.txt")
            .ends_with("User-agent: *\nDisallow: /\n")
    );
    let noindex = attrs(&site.page(""), "meta[name=robots]", "content");
    assert_eq!(noindex, ["noindex, nofollow"]);

    let toml = std::fs::read_to_string(site.root().join("briefing.toml")).expect("settings");
    site.write(
        "briefing.toml",
        &toml.replace("[build]", "[build]\nrobots = \"allow\""),
    );
    assert!(briefing::build_site(&opts).success);
    assert!(site.read_out("robots.txt").contains("Allow: /"));
    assert!(attrs(&site.page(""), "meta[name=robots]", "content").is_empty());
}

#[test]
fn extra_table_reaches_templates_as_site_extra() {
    let site = basic_with("[extra]\nbanner = \"Mirror of record\"\ncontacts = [\"a@example.org\"]");
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<p id=\"x\">{{ site.extra.banner }} {{ site.extra.contacts[0] }}</p>{% endblock content %}",
    );
    site.build_ok();
    assert!(
        site.read_out("404.html")
            .contains("<p id=\"x\">Mirror of record a@example.org</p>")
    );
}

#[test]
fn feed_templates_can_be_overridden() {
    let site = TestSite::fixture("basic");
    site.write(
        "templates/feeds/atom.xml",
        "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>{{ feed.title }} (custom)</title></feed>",
    );
    site.build_ok();
    assert!(
        site.read_out("groups/northern-front/atom.xml")
            .contains("<title>Northern Front · Harbour briefing (custom)</title>")
    );
    let json: serde_json::Value =
        serde_json::from_str(&site.read_out("feed.json")).expect("json feed unchanged");
    assert_eq!(json["title"], "Harbour briefing");
}

#[test]
fn completions_are_printed_for_bash_zsh_and_fish() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef briefing"),
        ("fish", "complete -c briefing"),
    ] {
        let out = run(briefing().args(["completions", shell]));
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stdout.contains(marker), "{shell}: {}", out.stdout);
        assert!(out.stdout.contains("build"), "{shell}");
    }
    let bad = run(briefing().args(["completions", "tcsh"]));
    assert_eq!(bad.code, 2);
}

#[test]
fn set_of_feeds_is_one_pair_per_scope() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let atoms: BTreeSet<String> = files_with_extension(&site.out(), "xml")
        .into_iter()
        .filter(|f| f.ends_with("atom.xml"))
        .map(|f| f.trim_end_matches("atom.xml").to_string())
        .collect();
    let jsons: BTreeSet<String> = files_with_extension(&site.out(), "json")
        .into_iter()
        .filter(|f| f.ends_with("feed.json"))
        .map(|f| f.trim_end_matches("feed.json").to_string())
        .collect();
    assert_eq!(atoms, jsons);
    for dir in [
        "",
        "incidents/",
        "groups/",
        "actors/",
        "statements/",
        "groups/northern-front/",
    ] {
        assert!(atoms.contains(dir), "{dir}: {atoms:?}");
    }
}
