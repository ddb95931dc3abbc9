//! `briefing init`.

use std::fs;

use super::init_site;
use crate::support::{briefing, run};

#[test]
fn init_points_to_a_preview_that_works() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run(briefing().arg("init").arg(dir.path().join("site")));
    assert_eq!(out.code, 0, "{}", out.stderr);
    // Opening `public/index.html` from disk shows an unstyled page with broken links (every
    // URL starts at the site's root): the hint must name a way that serves it over HTTP,
    // which is `briefing serve` (issue 11).
    assert!(
        !out.stderr.contains("open `") || !out.stderr.contains("public/index.html`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("`briefing serve --root "),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("http://127.0.0.1:1111/"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("http.server"), "{}", out.stderr);
}

#[test]
fn init_then_build_succeeds_with_zero_warnings() {
    let dir = init_site();
    let site = dir.path().join("site");
    for file in [
        "briefing.toml",
        "content/_index.md",
        "content/incidents/crocus-city-hall-attack.md",
        "content/groups/islamic-state-khorasan.md",
        "content/actors/amaq-news-agency.md",
        "content/statements/isis-k-claims-crocus-attack.md",
        "content/pages/about.md",
    ] {
        assert!(site.join(file).is_file(), "`{file}` was not created");
    }
    assert!(site.join("static").is_dir());
    assert_eq!(fs::read_dir(site.join("static")).unwrap().count(), 0);

    let report = briefing::build_site(&briefing::BuildOptions::new(&site));
    assert!(report.success, "{:#?}", report.diagnostics);
    assert!(
        report.diagnostics.is_empty(),
        "the scaffold must build without a single diagnostic:\n{}",
        report
            .diagnostics
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(report.entities, 5, "one published entity of each kind");

    // The scaffold does not know where it will be published: `check` says that without an
    // absolute `base_url` there is no feed or sitemap, and nothing else.
    let out = run(briefing().args(["check", "--root"]).arg(&site));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("W-relative-base-url"), "{}", out.stderr);
    assert!(out.stderr.contains("1 warning"), "{}", out.stderr);
    let out = run(briefing()
        .args([
            "check",
            "--deny-warnings",
            "--base-url",
            "https://example.org/",
            "--root",
        ])
        .arg(&site));
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn init_examples_link_to_each_other() {
    let dir = init_site();
    let site = dir.path().join("site");
    let out = site.join("public");
    let report = briefing::build_site(&briefing::BuildOptions::new(&site));
    assert!(report.success);
    let statement =
        fs::read_to_string(out.join("statements/isis-k-claims-crocus-attack/index.html")).unwrap();
    for target in [
        "/incidents/crocus-city-hall-attack/",
        "/groups/islamic-state-khorasan/",
        "/actors/amaq-news-agency/",
    ] {
        assert!(
            statement.contains(target),
            "the statement does not link `{target}`"
        );
    }
    let about = fs::read_to_string(out.join("pages/about/index.html")).unwrap();
    assert!(about.contains("/statements/isis-k-claims-crocus-attack/"));
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let out = run(briefing().arg("init").arg(dir.path()));
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("E-not-empty"), "{}", out.stderr);
    assert!(out.stderr.contains("--force"), "{}", out.stderr);
    assert!(!dir.path().join("briefing.toml").exists());

    let out = run(briefing().arg("init").arg("--force").arg(dir.path()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(dir.path().join("briefing.toml").is_file());
    assert_eq!(
        fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
        "mine"
    );

    // A second forced init replaces the example files and says so.
    fs::write(dir.path().join("briefing.toml"), "title = \"Changed\"\n").unwrap();
    let out = run(briefing().arg("init").arg("--force").arg(dir.path()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("replaced `briefing.toml`"),
        "{}",
        out.stderr
    );
}
