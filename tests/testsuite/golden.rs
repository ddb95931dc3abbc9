//! Golden tests: whole outputs compared with expected copies kept in the repository, so a
//! refactor is provably output-neutral and a deliberate change shows in review.
//!
//! - `tests/golden/<fixture>/` is the expected output tree of `tests/fixtures/<fixture>/`,
//!   compared file by file: a missing, unexpected or different file fails the test.
//! - `tests/golden/diagnostics/<case>.human.txt` and `.json.txt` hold what `briefing check`
//!   prints for each `tests/fixtures/invalid/<case>/` (laid over the basic fixture), with the
//!   temporary site path replaced by `[ROOT]`.
//!
//! A deliberate change updates them in the same commit: run the tests with
//! `BRIEFING_BLESS=1` (`BRIEFING_BLESS=1 cargo test --test testsuite golden`) and review
//! the diff.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::support::{TestSite, briefing, copy_dir, moment, run, snapshot};

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn blessing() -> bool {
    std::env::var_os("BRIEFING_BLESS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Where two texts first differ, as a few lines of each.
fn first_difference(expected: &[u8], actual: &[u8]) -> String {
    let (e, a) = (
        String::from_utf8_lossy(expected),
        String::from_utf8_lossy(actual),
    );
    for (n, (le, la)) in e.lines().zip(a.lines()).enumerate() {
        if le != la {
            return format!("line {}:\n  expected: {le}\n  actual:   {la}", n + 1);
        }
    }
    format!(
        "one is a prefix of the other ({} against {} lines)",
        e.lines().count(),
        a.lines().count()
    )
}

/// Compare the tree `actual` with the golden tree `name`, or replace the golden tree with
/// it when blessing.
fn assert_tree(name: &str, actual: &Path) {
    let expected_dir = golden_dir().join(name);
    let actual: BTreeMap<String, Vec<u8>> = snapshot(actual).into_iter().collect();
    if blessing() {
        let _ = fs::remove_dir_all(&expected_dir);
        for (rel, bytes) in &actual {
            let path = expected_dir.join(rel);
            fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            fs::write(path, bytes).expect("write golden file");
        }
        return;
    }
    assert!(
        expected_dir.is_dir(),
        "no golden tree at `{}`: run with BRIEFING_BLESS=1 to create it",
        expected_dir.display()
    );
    let expected: BTreeMap<String, Vec<u8>> = snapshot(&expected_dir).into_iter().collect();
    let mut problems = Vec::new();
    for rel in expected.keys().filter(|k| !actual.contains_key(*k)) {
        problems.push(format!("missing from the output: `{rel}`"));
    }
    for rel in actual.keys().filter(|k| !expected.contains_key(*k)) {
        problems.push(format!("not expected in the output: `{rel}`"));
    }
    for (rel, bytes) in &actual {
        if let Some(want) = expected.get(rel)
            && want != bytes
        {
            problems.push(format!(
                "`{rel}` differs, {}",
                first_difference(want, bytes)
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "the output of `{name}` differs from `tests/golden/{name}/` ({} problems; if the change is \
         deliberate, run with BRIEFING_BLESS=1 and review the diff):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Compare `actual` with the golden file `rel`, or write it when blessing.
fn assert_text(rel: &str, actual: &str) {
    let path = golden_dir().join(rel);
    if blessing() {
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(&path, actual).expect("write golden file");
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no golden file `tests/golden/{rel}`: run with BRIEFING_BLESS=1 to create it\nactual:\n{actual}"
        )
    });
    assert!(
        expected == actual,
        "`tests/golden/{rel}` differs ({}); if deliberate, run with BRIEFING_BLESS=1\nactual:\n{actual}",
        first_difference(expected.as_bytes(), actual.as_bytes())
    );
}

#[test]
fn basic_fixture_output_matches_the_golden_tree() {
    let site = TestSite::fixture("basic");
    let mut opts = site.options();
    opts.now = Some(moment("2026-01-01T00:00:00Z"));
    let report = briefing::build_site(&opts);
    assert!(report.success, "{:#?}", report.diagnostics);
    assert_tree("basic", &site.out());
}

#[test]
fn canary_fixture_output_matches_the_golden_tree() {
    let site = TestSite::fixture("canary");
    let mut opts = site.options();
    opts.now = Some(moment("2026-01-01T00:00:00Z"));
    let report = briefing::build_site(&opts);
    assert!(report.success, "{:#?}", report.diagnostics);
    assert_tree("canary", &site.out());
}

#[test]
fn diagnostics_of_invalid_fixtures_match_their_snapshots() {
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid");
    let mut names: Vec<String> = fs::read_dir(&cases)
        .expect("invalid fixtures")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 10, "{names:?}");
    for case in names {
        let site = TestSite::fixture("basic");
        copy_dir(&cases.join(&case), site.root());
        let root = site.root().to_string_lossy().into_owned();
        for format in ["human", "json"] {
            let out = run(briefing()
                .args(["check", "--now", "2026-01-01T00:00:00Z", "--format", format])
                .arg("--root")
                .arg(site.root())
                .env("COLUMNS", "100"));
            assert_eq!(out.code, 1, "`{case}` must fail: {}", out.stderr);
            let text = format!("{}{}", out.stdout, out.stderr).replace(&root, "[ROOT]");
            assert_text(&format!("diagnostics/{case}.{format}.txt"), &text);
        }
    }
}
