//! `briefing check`: broken links and fragments, JSON lines, exit codes.

use std::fs;
use std::path::Path;

use crate::support::{TestSite, briefing, run};

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
