//! The record of the last build (issue 16): a build with nothing changed since the last one
//! writes nothing, says so and reports the same diagnostics; a change to anything a build
//! reads or wrote makes the next one run in full; the record keeps nothing withheld.
//! (The random edit sequences of `cache_edits.rs` also go through it.)

use std::fs;
use std::path::PathBuf;

use briefing::cache::CACHE_DIR;
use briefing::{BuildOptions, BuildReport, CacheUse, build_site};

use crate::support::*;

/// A build as `briefing build` runs it: with the cache, into `public/`.
fn build(site: &TestSite) -> BuildReport {
    build_site(&BuildOptions {
        cache: CacheUse::ReadWrite,
        ..site.options()
    })
}

fn record(site: &TestSite) -> PathBuf {
    site.root().join(CACHE_DIR).join("last-build.json")
}

/// A site with a warning (no summary), a template and a static file.
fn site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "content/groups/north-cell.md",
        "---\ntitle: North cell\n---\n\nA group with no summary.\n",
    )
    .write(
        "content/incidents/first-attack.md",
        "---\ntitle: First attack\nsummary: An incident.\ndate: 2024-01-15\nperpetrators: [north-cell]\n---\n\nBody text.\n",
    )
    .write("static/robots.txt", "User-agent: *\n");
    site
}

/// The identity of an output file: a skipped build leaves it as it was, a full one writes
/// a new file.
#[cfg(unix)]
fn identity(path: &std::path::Path) -> (u64, std::time::SystemTime) {
    use std::os::unix::fs::MetadataExt;
    let m = fs::metadata(path).unwrap();
    (m.ino(), m.modified().unwrap())
}

#[cfg(unix)]
#[test]
fn a_build_with_nothing_changed_writes_nothing_and_reports_the_same_diagnostics() {
    let site = site();
    let first = build(&site);
    assert!(first.success && first.up_to_date.is_none());
    assert_eq!(with_code(&first, "W-no-summary").len(), 1);
    assert!(record(&site).is_file(), "the build was not recorded");
    let page = site.out().join("incidents/first-attack/index.html");
    let before = (identity(&page), snapshot(&site.out()));

    let again = build(&site);
    let up = again
        .up_to_date
        .as_ref()
        .expect("the build was not skipped");
    assert!(again.success);
    assert_eq!(up.inputs, 4, "two entries, a static file and briefing.toml");
    assert_eq!(diagnostics_text(&again), diagnostics_text(&first));
    assert_eq!(
        again.diagnostics[0].line, first.diagnostics[0].line,
        "lines are reported again"
    );
    assert_eq!(identity(&page), before.0, "the page was written again");
    assert_same_files(&before.1, &snapshot(&site.out()));
}

/// A change made to a site between two builds.
type Change = Box<dyn Fn(&TestSite)>;

/// Every kind of change to what a build reads or wrote: the next build runs in full and
/// writes what a build without the cache writes; the one after it is skipped again.
#[test]
fn any_change_to_the_inputs_or_the_output_makes_the_next_build_run() {
    let site = site();
    assert!(build(&site).success);
    let changes: Vec<(&str, Change)> = vec![
        (
            "a body edited, same length",
            Box::new(|s| {
                s.write(
                    "content/incidents/first-attack.md",
                    "---\ntitle: First attack\nsummary: An incident.\ndate: 2024-01-15\nperpetrators: [north-cell]\n---\n\nBody TEXT.\n",
                );
            }),
        ),
        (
            "a file added",
            Box::new(|s| {
                s.write(
                    "content/actors/a-state.md",
                    "---\ntitle: A state\nsummary: An actor.\nkind: state\n---\n",
                );
            }),
        ),
        (
            "a file removed",
            Box::new(|s| fs::remove_file(s.root().join("content/actors/a-state.md")).unwrap()),
        ),
        (
            "a template added",
            Box::new(|s| {
                let base = include_str!("../../templates/incident.html");
                s.write(
                    "templates/incident.html",
                    &base.replace("</article>", "<p>TEMPLATE-EDIT</p></article>"),
                );
            }),
        ),
        (
            "a static file edited",
            Box::new(|s| {
                s.write("static/robots.txt", "User-agent: x\n");
            }),
        ),
        (
            "the settings edited",
            Box::new(|s| {
                s.write(
                    "briefing.toml",
                    "title = \"Renamed briefing\"\nbase_url = \"https://example.org/\"\n",
                );
            }),
        ),
        (
            "an output file removed",
            Box::new(|s| fs::remove_file(s.out().join("index.html")).unwrap()),
        ),
        (
            "an output file edited",
            Box::new(|s| fs::write(s.out().join("robots.txt"), "User-agent: y\n").unwrap()),
        ),
        (
            "a page in a folder of the output edited",
            Box::new(|s| {
                fs::write(s.out().join("incidents/first-attack/index.html"), "edited").unwrap();
            }),
        ),
        (
            "the record damaged",
            Box::new(|s| fs::write(record(s), "{\"format\": \"briefing-last-build-1\"").unwrap()),
        ),
    ];
    let plain = tempfile::tempdir().unwrap();
    for (what, change) in &changes {
        change(&site);
        let report = build(&site);
        assert!(report.success, "{what}: {}", diagnostics_text(&report));
        assert!(report.up_to_date.is_none(), "{what}: the build was skipped");
        let fresh = build_site(&BuildOptions {
            output: Some(plain.path().to_path_buf()),
            ..site.options()
        });
        assert!(fresh.success);
        assert_same_files(&snapshot(plain.path()), &snapshot(&site.out()));
        assert!(
            build(&site).up_to_date.is_some(),
            "{what}: not skipped after"
        );
    }
    assert!(site.read_out("robots.txt").contains("User-agent: x"));
    assert!(site.read_out("index.html").contains("Renamed briefing"));
}

#[test]
fn builds_with_other_settings_are_never_skipped_nor_recorded() {
    let site = site();
    assert!(build(&site).success);
    let drafts = build_site(&BuildOptions {
        cache: CacheUse::ReadWrite,
        drafts: true,
        ..site.options()
    });
    assert!(drafts.success && drafts.up_to_date.is_none());
    // The output is the drafts build's now: the next plain build runs in full.
    let plain = build(&site);
    assert!(plain.up_to_date.is_none());
    let other = tempfile::tempdir().unwrap();
    let elsewhere = build_site(&BuildOptions {
        cache: CacheUse::ReadWrite,
        output: Some(other.path().to_path_buf()),
        ..site.options()
    });
    assert!(elsewhere.up_to_date.is_none(), "another output folder");
    let no_cache = build_site(&BuildOptions {
        output: Some(other.path().to_path_buf()),
        ..site.options()
    });
    assert!(no_cache.up_to_date.is_none(), "--no-cache");
}

/// A record is kept only when nothing in it concerns a withheld entity: a diagnostic
/// naming a draft, or a pending embargo (the moment it lifts is withheld too), and the
/// site is built in full every time.
#[test]
fn the_record_keeps_nothing_withheld() {
    let site = site();
    site.write(
        "content/groups/canary-draft-cell.md",
        "---\ntitle: CANARY-DRAFT-TITLE\nsummary: A draft.\ndraft: true\n---\n",
    );
    assert!(build(&site).success);
    assert!(
        record(&site).is_file(),
        "a draft nobody mentions does not matter"
    );
    assert!(occurrences(&site.root().join(CACHE_DIR), "canary").is_empty());

    site.write(
        "content/incidents/second-attack.md",
        "---\ntitle: Second attack\nsummary: An incident.\ndate: 2024-02-01\n---\n\nSee [the cell](/groups/canary-draft-cell/).\n",
    );
    let report = build(&site);
    assert!(report.success, "{}", diagnostics_text(&report));
    assert!(
        diagnostics_text(&report).contains("canary-draft-cell"),
        "the link to the draft is reported: {}",
        diagnostics_text(&report)
    );
    assert!(!record(&site).exists(), "the record names the draft");
    assert!(build(&site).up_to_date.is_none());
    assert!(occurrences(&site.root().join(CACHE_DIR), "canary").is_empty());

    fs::remove_file(site.root().join("content/incidents/second-attack.md")).unwrap();
    site.write(
        "content/incidents/embargoed.md",
        "---\ntitle: Embargoed\nsummary: Later.\ndate: 2024-02-01\npublish_at: 2099-01-01T00:00:00Z\n---\n",
    );
    assert!(build(&site).success);
    assert!(!record(&site).exists(), "an embargo is pending");
    assert!(build(&site).up_to_date.is_none());
}

#[test]
fn the_command_line_says_the_output_is_up_to_date() {
    let site = site();
    let first = run(briefing().args(["build", "--root"]).arg(site.root()));
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(first.stderr.contains("built "), "{}", first.stderr);
    let again = run(briefing()
        .args(["build", "--timings", "--root"])
        .arg(site.root()));
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again
            .stderr
            .contains("is up to date: nothing changed since the last build"),
        "{}",
        again.stderr
    );
    assert!(again.stderr.contains("W-no-summary"), "{}", again.stderr);
    assert!(
        again
            .stderr
            .contains("nothing changed since the last build ("),
        "--timings: {}",
        again.stderr
    );
}
