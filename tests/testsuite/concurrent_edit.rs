//! A content file rewritten while a build runs (issue 9): what the site publishes comes
//! from the one read the load stage judged, or the build fails and the previous output
//! stays as it was.
//!
//! The build's `after_link` hook rewrites the file between the link and render stages,
//! where the render stage reads bodies again.

use std::path::Path;

use briefing::build::Hook;
use briefing::{BuildReport, build_site};

use crate::support::*;

const CANARY: &str = "CANARY-CONCURRENT-SECRET";

const CLEAR_INCIDENT: &str =
    "---\ntitle: Harbour fire\ndate: 2024-03-01\ntlp: clear\n---\n\nA fire at the harbour.\n";

const CLEAR_INTRO: &str = "---\ntitle: Welcome\n---\n\nAbout this briefing.\n";

/// A site with one clear incident and an introduction, built once successfully.
fn built_site() -> TestSite {
    let site = TestSite::new();
    site.write("content/incidents/harbour-fire.md", CLEAR_INCIDENT);
    site.write("content/_index.md", CLEAR_INTRO);
    site.build_ok();
    site
}

/// Build `site` again while `rel` is replaced by `text` between link and render.
fn build_with_rewrite(site: &TestSite, rel: &str, text: &str) -> BuildReport {
    let path = site.root().join(rel);
    let text = text.to_string();
    let mut opts = site.options();
    opts.after_link = Some(Hook::new(move || {
        std::fs::write(&path, &text).expect("rewrite the file");
    }));
    build_site(&opts)
}

/// The build failed with `E-changed` on `rel`, published nothing and left the previous
/// output byte for byte.
fn assert_refused(site: &TestSite, report: &BuildReport, rel: &str, before: &[(String, Vec<u8>)]) {
    assert!(!report.success, "the build must fail");
    let changed = with_code(report, "E-changed");
    assert_eq!(changed.len(), 1, "{}", diagnostics_text(report));
    let d = changed[0];
    assert_eq!(d.file.as_deref(), Some(Path::new(rel)), "{d}");
    assert_eq!(
        d.message,
        format!("`{rel}` changed while the site was being built")
    );
    assert_eq!(
        d.help.as_deref(),
        Some("build again; nothing was published")
    );
    let leaks = occurrences(&site.out(), CANARY);
    assert!(
        leaks.is_empty(),
        "the rewrite leaked:\n{}",
        leaks.join("\n")
    );
    assert_same_files(before, &snapshot(&site.out()));
}

#[test]
fn file_rewritten_to_red_during_a_build_publishes_nothing() {
    let site = built_site();
    let before = snapshot(&site.out());
    let rel = "content/incidents/harbour-fire.md";
    let red = format!("---\ntitle: Harbour fire\ndate: 2024-03-01\ntlp: red\n---\n\n{CANARY}\n");
    let report = build_with_rewrite(&site, rel, &red);
    assert_refused(&site, &report, rel, &before);
}

#[test]
fn body_rewritten_during_a_build_at_the_same_level_publishes_nothing() {
    let site = built_site();
    let before = snapshot(&site.out());
    let rel = "content/incidents/harbour-fire.md";
    let same_front = CLEAR_INCIDENT.replace("A fire at the harbour.", CANARY);
    let report = build_with_rewrite(&site, rel, &same_front);
    assert_refused(&site, &report, rel, &before);
}

#[test]
fn intro_rewritten_during_a_build_publishes_nothing() {
    let site = built_site();
    let before = snapshot(&site.out());
    let rel = "content/_index.md";
    let red = format!("---\ntitle: Welcome\ntlp: red\n---\n\n{CANARY}\n");
    let report = build_with_rewrite(&site, rel, &red);
    assert_refused(&site, &report, rel, &before);
}

#[test]
fn file_removed_during_a_build_publishes_nothing() {
    let site = built_site();
    let before = snapshot(&site.out());
    let rel = "content/incidents/harbour-fire.md";
    let path = site.root().join(rel);
    let mut opts = site.options();
    opts.after_link = Some(Hook::new(move || {
        std::fs::remove_file(&path).expect("remove the file");
    }));
    let report = build_site(&opts);
    assert_refused(&site, &report, rel, &before);
}
