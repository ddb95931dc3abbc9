//! Trust the output (issue 9): a link, however written, to an entry this build does not
//! publish ships neither the link nor the slug; URLs that browsers read as another site
//! are refused however they are spelt.

use std::path::Path;

use crate::support::*;

const SECRET: &str = "---\ntitle: Hidden operation\nsummary: s\ndate: 2024-01-01\ntlp: red\nsources:\n  - title: t\n    url: https://news.example.com/x\n---\n\nHidden.\n";

/// A clear incident linking to `secret-plan` in every way there is (with `wikilinks`, also
/// as `[[secret-plan]]` and `![[secret-plan]]`), and a statement whose source is its URL.
fn site_linking_to_secret_plan(wikilinks: bool) -> TestSite {
    let site = TestSite::new();
    let (a, b) = if wikilinks {
        ("[[secret-plan]]", "![[secret-plan]]")
    } else {
        ("a", "b")
    };
    site.write(
        "content/incidents/clear-raid.md",
        &format!("---\ntitle: Clear raid\nsummary: s\ndate: 2024-02-01\nsources:\n  - title: The plan itself\n    url: /incidents/secret-plan/\n---\n\nA {a}.\n\nB {b}.\n\nC [the plan](/incidents/secret-plan/).\n\nD [its page](https://example.org/incidents/secret-plan/).\n\nE [next door](../secret-plan/#top) and ![a map](/incidents/secret-plan/map.png).\n"),
    );
    site.write(
        "content/statements/about-the-plan.md",
        "---\ntitle: About the plan\nsummary: s\ndate: 2024-02-02\nspeaker: speaker\nincident: clear-raid\nstance: other\nsource:\n  title: The plan page\n  url: https://example.org/incidents/secret-plan/\n---\n\nSaid.\n",
    );
    site.write(
        "content/actors/speaker.md",
        "---\ntitle: Speaker\nsummary: s\nkind: person\n---\n",
    );
    site
}

#[test]
fn links_to_a_withheld_page_ship_no_slug_however_written() {
    let site = site_linking_to_secret_plan(true);
    site.write("content/incidents/secret-plan.md", SECRET);
    let report = site.build_ok();
    let leaks = occurrences(&site.out(), "secret-plan");
    assert!(leaks.is_empty(), "the slug leaked:\n{}", leaks.join("\n"));
    assert!(occurrences(&site.out(), "Hidden operation").is_empty());

    let page = site.page("incidents/clear-raid/");
    let prose = texts(&page, ".prose").join(" ");
    for kept in ["C the plan.", "D its page.", "E next door and a map."] {
        assert!(prose.contains(kept), "{kept:?} not in {prose:?}");
    }
    assert!(attrs(&page, ".prose img", "src").is_empty());
    let html = site.read_out("incidents/clear-raid/index.html");
    assert!(
        html.contains("The plan itself"),
        "the source keeps its title"
    );
    let statement = site.read_out("statements/about-the-plan/index.html");
    assert!(statement.contains("The plan page"));

    // Every one left out is a note naming its file and line, for the author.
    let notes = with_code(&report, "N-withheld-ref");
    let at = |file: &str| {
        let mut lines: Vec<usize> = notes
            .iter()
            .filter(|d| d.file.as_deref() == Some(Path::new(file)))
            .filter_map(|d| d.line)
            .collect();
        lines.sort();
        lines
    };
    assert_eq!(
        at("content/incidents/clear-raid.md"),
        [7, 10, 12, 14, 16, 18, 18]
    );
    assert_eq!(at("content/statements/about-the-plan.md"), [10]);
}

#[test]
fn links_to_a_page_that_does_not_exist_are_left_out_alike_and_are_errors() {
    // Without the entry at all, the output would have to look the same as with it
    // withheld (or its presence leaks): the build refuses, naming each URL.
    let site = site_linking_to_secret_plan(false);
    site.write(
        "content/incidents/secret-plans.md",
        &SECRET.replace("tlp: red", "tlp: clear"),
    );
    let places = |report: &briefing::BuildReport| {
        let broken = with_code(report, "E-broken-link");
        assert!(
            broken
                .iter()
                .all(|d| d.help.as_deref() == Some("did you mean `/incidents/secret-plans/`?")),
            "{}",
            diagnostics_text(report)
        );
        let mut places: Vec<(String, usize)> = broken
            .iter()
            .map(|d| {
                (
                    d.file.as_deref().unwrap().display().to_string(),
                    d.line.unwrap(),
                )
            })
            .collect();
        places.sort();
        places
    };
    // Source URLs are judged with the references, so bodies are not rendered yet.
    let report = site.build();
    assert!(!report.success);
    let raid = "content/incidents/clear-raid.md".to_string();
    let statement = "content/statements/about-the-plan.md".to_string();
    assert_eq!(places(&report), [(raid.clone(), 7), (statement, 10)]);
    site.write(
        "content/statements/about-the-plan.md",
        "---\ntitle: S\nsummary: s\ndate: 2024-02-02\nspeaker: speaker\nstance: other\n---\n",
    );
    let text = std::fs::read_to_string(site.root().join(&raid)).unwrap();
    site.write(
        &raid,
        &text.replace(
            "url: /incidents/secret-plan/",
            "url: https://news.example.com/y",
        ),
    );
    let report = site.build();
    assert!(!report.success);
    assert_eq!(
        places(&report),
        [
            (raid.clone(), 14),
            (raid.clone(), 16),
            (raid.clone(), 18),
            (raid, 18)
        ]
    );
    assert!(!site.out().exists());
}

#[test]
fn backslash_urls_that_browsers_read_as_another_site_are_refused() {
    // Regression (issue 9, item 12): `/\evil.example/` passed as a path on the site.
    let site = TestSite::new();
    site.write(
        "content/pages/p.md",
        "---\ntitle: P\nsources:\n  - title: s\n    url: /\\evil.example/\n---\n",
    );
    let report = site.build();
    let invalid = with_code(&report, "E-invalid-url");
    assert_eq!(invalid.len(), 1, "{}", diagnostics_text(&report));
    assert_eq!((invalid[0].line, invalid[0].column), (Some(5), Some(10)));

    let site = TestSite::new();
    site.write(
        "content/pages/p.md",
        "---\ntitle: P\n---\n\nSee [x](/\\evil.example/) and [y](\\\\\\\\evil.example/).\n",
    );
    let report = site.build();
    assert!(!report.success);
    let invalid = with_code(&report, "E-invalid-url");
    let places: Vec<(usize, usize)> = invalid
        .iter()
        .map(|d| (d.line.unwrap(), d.column.unwrap()))
        .collect();
    assert_eq!(places, [(5, 5), (5, 30)], "{}", diagnostics_text(&report));
    assert!(
        invalid[0].message.contains("`//evil.example/`"),
        "{}",
        invalid[0]
    );
    assert!(!site.out().exists());
}

/// Raw HTML is held to the same rule as Markdown: the sanitiser drops a URL attribute that
/// leads to an unpublished entry (the link keeps its text), with a note for the author;
/// a site that publishes raw HTML as written gets an error instead.
#[test]
fn raw_html_links_to_a_withheld_page_ship_no_slug() {
    let site = TestSite::new();
    site.write("content/incidents/secret-plan.md", SECRET);
    site.write(
        "content/incidents/clear-raid.md",
        "---\ntitle: Clear raid\nsummary: s\ndate: 2024-02-01\nsources: [{ title: t, url: \"https://news.example.com/y\" }]\n---\n\nSee <a href=\"/incidents/secret-plan/\">the plan</a> and\n<img src=\"https://example.org/incidents/secret-plan/map.png\" alt=\"a map\">.\n\n<p><a href=\"/incidents/clear-raid/\">this page</a></p>\n",
    );
    let report = site.build_ok();
    let leaks = occurrences(&site.out(), "secret-plan");
    assert!(leaks.is_empty(), "the slug leaked:\n{}", leaks.join("\n"));
    let page = site.page("incidents/clear-raid/");
    let prose = texts(&page, ".prose").join(" ");
    assert!(prose.contains("See the plan and"), "{prose:?}");
    // Links to published pages stay.
    assert_eq!(
        attrs(&page, ".prose a", "href"),
        ["/incidents/clear-raid/"],
        "only the link to a published page is kept"
    );
    let mut lines: Vec<Option<usize>> = with_code(&report, "N-withheld-ref")
        .iter()
        .map(|d| d.line)
        .collect();
    lines.sort();
    assert_eq!(lines, [Some(8), Some(9)]);

    // Published as written, raw HTML cannot be changed: the build refuses.
    site.write(
        "briefing.toml",
        "title = \"T\"\nbase_url = \"https://example.org/\"\n[markdown]\nunsafe_raw_html = true\n",
    );
    let before = snapshot(&site.out());
    let report = site.build();
    assert!(!report.success);
    let errors = with_code(&report, "E-raw-link-unpublished");
    assert_eq!(errors.len(), 2, "{}", diagnostics_text(&report));
    assert_same_files(&before, &snapshot(&site.out()));
}
