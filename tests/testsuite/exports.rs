//! Data exports: `data/briefing.json` and `data/incidents.csv`.

use crate::support::TestSite;

fn site() -> TestSite {
    let site = TestSite::new();
    site.write("content/groups/front.md", "---\ntitle: The Front\nsummary: A group.\n---\n")
        .write("content/groups/hidden-cell.md", "---\ntitle: Hidden cell\ntlp: amber\n---\n")
        .write(
            "content/incidents/blast.md",
            "---\ntitle: \"=HYPERLINK(\\\"http://x\\\")\"\ndate: 2024-05\nlocation: { city: \"Lyon, centre\", country: fr }\ncasualties: { killed: 3, injured: 0 }\nperpetrators: [front, hidden-cell]\nsources: [{ title: S, url: \"https://example.org/\" }]\nsummary: S.\n---\n",
        )
        .write(
            "content/statements/front-claims.md",
            "---\ntitle: Claim\ndate: 2024-05-02\nspeaker: front\nincident: blast\nstance: claims\nsummary: S.\nsource: { title: S }\n---\n",
        );
    site
}

#[test]
fn json_export_holds_published_entities_with_references_as_slugs() {
    let site = site();
    site.build_ok();
    let json: serde_json::Value =
        serde_json::from_str(&site.read_out("data/briefing.json")).expect("valid JSON");
    let incidents = json["incidents"].as_array().expect("incidents");
    assert_eq!(incidents.len(), 1);
    assert_eq!(incidents[0]["slug"], "blast");
    assert_eq!(incidents[0]["date"], "2024-05");
    assert_eq!(
        incidents[0]["perpetrators"],
        serde_json::json!(["front"]),
        "withheld group must not be exported"
    );
    assert_eq!(incidents[0]["url"], "https://example.org/incidents/blast/");
    assert_eq!(json["statements"][0]["speaker"], "front");
    let groups: Vec<&str> = json["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .filter_map(|g| g["slug"].as_str())
        .collect();
    assert_eq!(groups, ["front"]);
}

#[test]
fn csv_export_quotes_fields_and_defuses_formulas() {
    let site = site();
    site.build_ok();
    let csv = site.read_out("data/incidents.csv");
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .expect("header")
            .starts_with("slug,date,end_date,title,")
    );
    let row = lines.next().expect("one row");
    assert!(
        row.starts_with(
            "blast,2024-05,,\"'=HYPERLINK(\"\"http://x\"\")\",FR,France,\"Lyon, centre\""
        ),
        "{row}"
    );
    assert!(row.contains(",3,0,"), "{row}");
    assert!(
        row.contains(",front,front,developing,"),
        "perpetrators and claimed-by: {row}"
    );
    assert!(!csv.contains("hidden-cell"));
    assert_eq!(lines.next(), None);
}

/// Atom and sitemaps need absolute URLs: a site whose `base_url` is a path gets neither
/// (rather than invalid files), no page links to a missing feed, and `check` says why.
#[test]
fn feed_and_sitemap_need_an_absolute_base_url() {
    let site = site();
    site.write("briefing.toml", "title = \"Relative\"\nbase_url = \"/\"\n");
    site.build_ok();
    for file in ["atom.xml", "sitemap.xml"] {
        assert!(
            !site.out().join(file).exists(),
            "`{file}` written with a relative base_url"
        );
    }
    let home = site.read_out("index.html");
    assert!(!home.contains("application/atom+xml"), "{home}");
    assert!(!home.contains("atom.xml"), "{home}");
    let report = briefing::check::check_site(&site.options());
    let warning = report
        .diagnostics
        .iter()
        .find(|d| d.code == "W-relative-base-url")
        .unwrap_or_else(|| panic!("no warning: {:#?}", report.diagnostics));
    assert!(warning.message.contains("no Atom feed and no sitemap"));
    assert!(!report.passes(true), "--deny-warnings must fail");

    // The same site published at an absolute address gets both, each with absolute URLs.
    let mut opts = site.options();
    opts.base_url = Some("https://example.org/briefing/".into());
    let report = briefing::build_site(&opts);
    assert!(report.success, "{:#?}", report.diagnostics);
    let atom = site.read_out("atom.xml");
    assert!(
        atom.contains("<id>https://example.org/briefing/</id>"),
        "{atom}"
    );
    let sitemap = site.read_out("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/briefing/"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("<loc>/"), "{sitemap}");
    let home = site.read_out("index.html");
    assert!(
        home.contains("href=\"https://example.org/briefing/atom.xml\""),
        "{home}"
    );
    assert!(
        !briefing::check::check_site(&opts)
            .diagnostics
            .iter()
            .any(|d| d.code == "W-relative-base-url")
    );
}
