//! `briefing new`.

use std::fs;
use std::path::Path;

use super::init_site;
use crate::support::{briefing, run};

#[test]
fn new_for_each_kind_then_build_succeeds() {
    let dir = init_site();
    let site = dir.path().join("site");
    let cases = [
        (
            "incident",
            "Kerman bombings",
            "content/incidents/kerman-bombings.md",
        ),
        ("group", "Islamic State", "content/groups/islamic-state.md"),
        (
            "actor",
            "Владимир Путин",
            "content/actors/vladimir-putin.md",
        ),
        (
            "statement",
            "Kyiv denies involvement",
            "content/statements/kyiv-denies-involvement.md",
        ),
        (
            "page",
            "Methodology: how we grade",
            "content/pages/methodology-how-we-grade.md",
        ),
    ];
    for (kind, title, file) in cases {
        let out = run(briefing().args(["new", kind, title, "--root"]).arg(&site));
        assert_eq!(out.code, 0, "new {kind}: {}", out.stderr);
        let printed = out.stdout.trim();
        assert_eq!(
            Path::new(printed),
            site.join(file),
            "new {kind} printed {printed:?}"
        );
        let text = fs::read_to_string(site.join(file)).unwrap();
        assert!(text.contains(&format!("title: \"{title}\"")), "{text}");
    }
    let today = jiff::ZonedDateTime::now().date().to_string();
    let incident = fs::read_to_string(site.join(cases[0].2)).unwrap();
    assert!(incident.contains(&format!("date: {today}")), "{incident}");

    let report = briefing::build_site(&briefing::BuildOptions::new(&site));
    assert!(
        report.success,
        "{}",
        report
            .diagnostics
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(report.diagnostics.iter().all(|d| !d.is_error()));
    for page in [
        "incidents/kerman-bombings/index.html",
        "groups/islamic-state/index.html",
        "actors/vladimir-putin/index.html",
        "pages/methodology-how-we-grade/index.html",
    ] {
        assert!(site.join("public").join(page).is_file(), "no page `{page}`");
    }
    // Without --speaker, the statement's speaker is a placeholder: it stays a draft.
    let statement = fs::read_to_string(site.join(cases[3].2)).unwrap();
    assert!(statement.contains("draft: true"), "{statement}");
    assert!(
        !site
            .join("public/statements/kyiv-denies-involvement")
            .exists()
    );
    // With --speaker it is published at once.
    let out = run(briefing()
        .args([
            "new",
            "statement",
            "Amaq repeats the claim",
            "--speaker",
            "amaq-news-agency",
        ])
        .args(["--date", "2024-03-23", "--root"])
        .arg(&site));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text =
        fs::read_to_string(site.join("content/statements/amaq-repeats-the-claim.md")).unwrap();
    assert!(
        text.contains("speaker: amaq-news-agency\n") && !text.contains("\ndraft: true"),
        "{text}"
    );
    assert!(text.contains("date: 2024-03-23"), "{text}");
    let report = briefing::build_site(&briefing::BuildOptions::new(&site));
    assert!(report.success);
    assert!(
        site.join("public/statements/amaq-repeats-the-claim/index.html")
            .is_file()
    );
}

#[test]
fn new_refuses_to_overwrite() {
    let dir = init_site();
    let site = dir.path().join("site");
    let file = site.join("content/groups/islamic-state-khorasan.md");
    let before = fs::read(&file).unwrap();
    let out = run(briefing()
        .args([
            "new",
            "group",
            "Islamic State Khorasan",
            "--slug",
            "islamic-state-khorasan",
            "--root",
        ])
        .arg(&site));
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("E-exists"), "{}", out.stderr);
    assert!(out.stderr.contains("never overwrites"), "{}", out.stderr);
    assert_eq!(fs::read(&file).unwrap(), before);
    assert!(out.stdout.is_empty());

    // The same slug in another kind would break the build: refused too.
    let out = run(briefing()
        .args(["new", "group", "Amaq News Agency", "--root"])
        .arg(&site));
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("E-duplicate-slug"), "{}", out.stderr);
    assert!(
        out.stderr.contains("content/actors/amaq-news-agency.md"),
        "{}",
        out.stderr
    );
    assert!(!site.join("content/groups/amaq-news-agency.md").exists());
}

#[test]
fn new_explains_an_unknown_speaker_and_a_missing_site() {
    let dir = init_site();
    let site = dir.path().join("site");
    let out = run(briefing()
        .args([
            "new",
            "statement",
            "Said",
            "--speaker",
            "amaq-news-agensy",
            "--root",
        ])
        .arg(&site));
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("did you mean `amaq-news-agency`?"),
        "{}",
        out.stderr
    );
    let out = run(briefing()
        .args(["new", "page", "About", "--root"])
        .arg(dir.path()));
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("briefing init"), "{}", out.stderr);
}
