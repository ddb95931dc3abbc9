//! Hostile content cannot make the output execute anything.

use super::hostile::{executable_content, hostile, hostile_site, yaml};
use crate::support::*;

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
