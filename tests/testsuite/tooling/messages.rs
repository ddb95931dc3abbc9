//! What the binary prints: help, version, and how many reports of one code it shows.

use crate::support::{TestSite, briefing, run};

#[test]
fn help_and_version_are_complete() {
    let out = run(briefing().arg("--version"));
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stdout.trim(),
        format!("briefing {}", env!("CARGO_PKG_VERSION"))
    );

    let out = run(briefing().arg("--help"));
    assert_eq!(out.code, 0);
    for word in [
        "build",
        "check",
        "init",
        "new",
        "--quiet",
        "--verbose",
        "Examples:",
        "NO_COLOR",
    ] {
        assert!(
            out.stdout.contains(word),
            "`--help` lacks {word:?}:\n{}",
            out.stdout
        );
    }
    let cases: [(&str, &[&str]); 4] = [
        (
            "build",
            &[
                "--root",
                "--output",
                "--base-url",
                "--drafts",
                "--tlp",
                "--now",
                "Examples:",
            ],
        ),
        (
            "check",
            &[
                "--format",
                "--deny-warnings",
                "--tlp",
                "--drafts",
                "--now",
                "--base-url",
                "json",
                "Examples:",
            ],
        ),
        ("init", &["[DIR]", "--force", "Examples:"]),
        (
            "new",
            &[
                "<KIND>",
                "<TITLE>",
                "--root",
                "--slug",
                "--speaker",
                "--date",
                "statement",
                "draft",
                "Examples:",
            ],
        ),
    ];
    for (command, words) in cases {
        let out = run(briefing().args([command, "--help"]));
        assert_eq!(out.code, 0);
        for word in words {
            assert!(
                out.stdout.contains(word),
                "`{command} --help` lacks {word:?}:\n{}",
                out.stdout
            );
        }
    }
}

// ----- many diagnostics of one code -----

/// A site of eight groups `g1` .. `g8` with `frontmatter` (after the title) and no summary:
/// eight `W-no-summary` warnings, more than the human output shows of one code.
fn site_with_eight_groups(frontmatter: &str) -> TestSite {
    let site = TestSite::new();
    for i in 1..=8 {
        site.write(
            &format!("content/groups/g{i}.md"),
            &format!("---\ntitle: G{i}\n{frontmatter}---\n"),
        );
    }
    site
}

/// How many human reports with `code` a run printed: each starts with its code on a line
/// of its own.
fn reports(stderr: &str, code: &str) -> usize {
    stderr.lines().filter(|l| l.trim() == code).count()
}

#[test]
fn warnings_beyond_five_of_one_code_are_counted_not_shown() {
    let site = site_with_eight_groups("");
    for command in ["check", "build"] {
        let out = run(briefing().args([command, "--root"]).arg(site.root()));
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert_eq!(reports(&out.stderr, "W-no-summary"), 5, "{}", out.stderr);
        // The first five in order, then one line for the rest.
        assert!(
            out.stderr.contains("content/groups/g5.md") && !out.stderr.contains("g6.md"),
            "{}",
            out.stderr
        );
        assert!(
            out.stderr.contains(
                "warning: 3 more W-no-summary warnings not shown (run with `--verbose` to see \
                 them all, or `briefing check --format json` for a machine-readable list)"
            ),
            "{}",
            out.stderr
        );
        // The summary counts every warning.
        assert!(out.stderr.contains("8 warnings"), "{}", out.stderr);
    }
}

#[test]
fn verbose_and_json_show_every_warning_that_the_default_caps() {
    let site = site_with_eight_groups("");
    let out = run(briefing().args(["check", "--root"]).arg(site.root()));
    assert_eq!(reports(&out.stderr, "W-no-summary"), 5, "{}", out.stderr);

    let out = run(briefing().args(["-v", "check", "--root"]).arg(site.root()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(reports(&out.stderr, "W-no-summary"), 8, "{}", out.stderr);
    assert!(out.stderr.contains("g8.md"), "{}", out.stderr);
    assert!(!out.stderr.contains("not shown"), "{}", out.stderr);

    let out = run(briefing()
        .args(["check", "--format", "json", "--root"])
        .arg(site.root()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let codes: Vec<String> = out
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).expect("a JSON line")["code"].to_string()
        })
        .collect();
    assert_eq!(codes, vec!["\"W-no-summary\""; 8], "{}", out.stdout);
    assert!(!out.stderr.contains("not shown"), "{}", out.stderr);

    // --quiet still prints nothing for warnings, not even the count.
    let out = run(briefing().args(["-q", "check", "--root"]).arg(site.root()));
    assert_eq!(out.code, 0);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
}

#[test]
fn errors_are_never_capped_even_when_warnings_are() {
    // Eight unknown parents: eight errors, and eight warnings of one code beside them.
    let site = site_with_eight_groups("parent: nobody\n");
    for command in ["check", "build"] {
        let out = run(briefing().args([command, "--root"]).arg(site.root()));
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert_eq!(reports(&out.stderr, "E-unknown-ref"), 8, "{}", out.stderr);
        for i in 1..=8 {
            assert!(
                out.stderr.contains(&format!("content/groups/g{i}.md:3:9")),
                "the error in g{i}.md is not shown:\n{}",
                out.stderr
            );
        }
        assert!(!out.stderr.contains("more E-unknown-ref"), "{}", out.stderr);
        assert_eq!(reports(&out.stderr, "W-no-summary"), 5, "{}", out.stderr);
        assert!(
            out.stderr
                .contains("warning: 3 more W-no-summary warnings not shown"),
            "{}",
            out.stderr
        );
    }
}
