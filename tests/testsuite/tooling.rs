//! Author tooling through the binary: `init`, `new`, `check`, help, version and exit codes.
//!
//! Every run sets `NO_COLOR=1`, so output is plain text whatever the terminal.

use std::fs;
use std::path::Path;

use crate::support::{TestSite, briefing, run};

/// `init DIR` in a fresh temporary folder; returns the folder (the site is `DIR/site`).
fn init_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run(briefing().arg("init").arg(dir.path().join("site")));
    assert_eq!(out.code, 0, "{}", out.stderr);
    dir
}

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

/// A site whose Markdown and template override hold a broken link and a broken fragment.
fn site_with_broken_links() -> TestSite {
    let site = TestSite::new();
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\n\n## Method\n\nSee [the list](/serch/) and [[method#scales]].\n",
    );
    site.write(
        "content/pages/method.md",
        "---\ntitle: Method\n---\n\n## Grading scales\n\nBack to [[about#method]].\n",
    );
    let base =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/base.html"))
            .unwrap();
    let base = base.replacen(
        "<main id=\"main-content\"",
        "<a href=\"{{ site.base_url }}imprint/\">Imprint</a> <a href=\"#main-contnt\">Skip</a>\n<main id=\"main-content\"",
        1,
    );
    site.write("templates/base.html", &base);
    site
}

/// The 1-based line of the first line of `file` (under the site) containing `needle`.
fn line_of(site: &TestSite, file: &str, needle: &str) -> usize {
    let text = fs::read_to_string(site.root().join(file)).unwrap();
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle")
        + 1
}

#[test]
fn check_finds_broken_links_and_fragments_in_markdown_and_templates() {
    let site = site_with_broken_links();
    let before: Vec<_> = fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    let out = run(briefing()
        .args(["check", "--format", "json", "--root"])
        .arg(site.root()));
    assert_eq!(out.code, 1, "{}", out.stderr);
    let after: Vec<_> = fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(before, after, "check wrote into the site");
    assert!(
        !site.out().exists(),
        "check must not write the output folder"
    );

    let lines: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l:?}: {e}")))
        .collect();
    let find = |code: &str, file: &str| {
        lines
            .iter()
            .find(|d| d["code"] == code && d["file"] == file)
            .unwrap_or_else(|| panic!("no {code} in {file}: {}", out.stdout))
    };
    let template_line = line_of(&site, "templates/base.html", "imprint/");

    let d = find("E-broken-link", "content/pages/about.md");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(7), Some(16)),
        "{d}"
    );
    assert!(d["message"].as_str().unwrap().contains("/serch/"), "{d}");
    assert_eq!(d["help"], "did you mean `/search/`?");

    let d = find("E-broken-fragment", "content/pages/about.md");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(7), Some(37)),
        "{d}"
    );
    assert!(d["message"].as_str().unwrap().contains("`scales`"), "{d}");
    assert_eq!(d["help"], "did you mean `#grading-scales`?");

    let d = find("E-broken-link", "templates/base.html");
    assert_eq!(d["line"].as_u64(), Some(template_line as u64), "{d}");
    assert!(
        d["message"].as_str().unwrap().contains("more pages"),
        "reported once: {d}"
    );

    let d = find("E-broken-fragment", "templates/base.html");
    assert_eq!(d["line"].as_u64(), Some(template_line as u64), "{d}");
    assert_eq!(d["help"], "did you mean `#main-content`?");

    // `[[about#method]]` resolves: the heading `## Method` has the id `method`.
    assert_eq!(lines.len(), 4, "{}", out.stdout);
}

#[test]
fn check_json_lines_carry_every_field() {
    let site = TestSite::new();
    site.write(
        "content/incidents/i.md",
        "---\ntitle: I\ndate: 2024-03-22\nstatus: confirmd\n---\n",
    );
    let out = run(briefing()
        .args(["check", "--format", "json", "--root"])
        .arg(site.root()));
    assert_eq!(out.code, 1);
    let first = out.stdout.lines().next().expect("a line");
    let d: serde_json::Value = serde_json::from_str(first).unwrap();
    let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    for key in [
        "severity", "code", "message", "file", "line", "column", "help",
    ] {
        assert!(keys.contains(&key), "no `{key}` in {first}");
    }
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "E-unknown-value");
    assert_eq!(d["file"], "content/incidents/i.md");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(4), Some(9))
    );
    assert_eq!(d["help"], "did you mean `confirmed`?");
    assert!(out.stderr.contains("check failed"), "{}", out.stderr);
}

#[test]
fn check_exit_codes_and_deny_warnings() {
    // Clean: 0.
    let site = TestSite::new();
    site.write("content/pages/p.md", "---\ntitle: P\n---\nText.\n");
    let out = run(briefing().args(["check", "--root"]).arg(site.root()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("check passed"), "{}", out.stderr);

    // Warnings only: 0, or 1 with --deny-warnings.
    site.write("content/groups/g.md", "---\ntitle: G\n---\n");
    let out = run(briefing().args(["check", "--root"]).arg(site.root()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("W-no-summary"), "{}", out.stderr);
    let out = run(briefing()
        .args(["check", "--deny-warnings", "--root"])
        .arg(site.root()));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("warnings are denied"), "{}", out.stderr);
    let out = run(briefing().args(["-q", "check", "--root"]).arg(site.root()));
    assert_eq!(out.code, 0);
    assert!(
        out.stderr.is_empty(),
        "--quiet prints only errors: {}",
        out.stderr
    );

    // Errors: 1, human output without colour.
    site.write("content/groups/g.md", "---\ntitle: G\nsumary: x\n---\n");
    let out = run(briefing().args(["check", "--root"]).arg(site.root()));
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("E-unknown-field"), "{}", out.stderr);
    assert!(
        out.stderr.contains("content/groups/g.md:3:1"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains('\u{1b}'),
        "colour despite NO_COLOR: {}",
        out.stderr
    );

    // Usage errors: 2.
    let out = run(briefing().args(["check", "--format", "xml"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    let out = run(briefing().args(["new", "incidnet", "Title"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("incident"), "{}", out.stderr);
}

#[test]
fn build_failure_exits_with_one() {
    let site = TestSite::new();
    site.write(
        "content/groups/g.md",
        "---\ntitle: G\nparent: nobody\n---\n",
    );
    let out = run(briefing().args(["build", "--root"]).arg(site.root()));
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("E-unknown-ref"), "{}", out.stderr);
    assert!(out.stderr.contains("build failed"), "{}", out.stderr);
}

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
