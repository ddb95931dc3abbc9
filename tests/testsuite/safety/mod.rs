//! Publishing safety (issue 4): withheld entities leave no trace in any output file,
//! references to them are dropped and reported as notes, and hostile content cannot make
//! the output execute anything.
//!
//! The canary fixture (`tests/fixtures/canary/`) holds, for each way of being withheld
//! (TLP amber, amber+strict and red, draft, embargo) one entity of every kind, each with
//! canary strings `CANARY-<LEVEL>-<KIND>-<FIELD>` in every field and a slug starting with
//! `canary-`; published entities refer to them through every reference field and through
//! `[[wikilinks]]` with and without text.

use briefing::{BuildOptions, BuildReport, build_site};

use crate::support::*;

mod canary;
mod canary_outputs;
mod hostile;
mod xss;

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
