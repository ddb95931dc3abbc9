//! One test per diagnostic code: the smallest site that provokes it, and where it points
//! (file, line, column) and what it suggests (help).
//!
//! The tests are grouped by topic in the modules of this folder. `every_code_has_a_test_and_docs`
//! keeps them complete: a code added to `briefing::diag::Code` without a test in this folder,
//! or without a line in `docs/diagnostics.md`, fails it.

use std::path::Path;

use briefing::diag::{Code, Diagnostic};

use crate::support::TestSite;

mod commands;
mod fields;
mod files;
mod links;
mod references;
mod values;
mod warnings;

/// A group, an actor and an incident that references can point at.
fn site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "content/groups/islamic-state-khorasan.md",
        "---\ntitle: Islamic State Khorasan Province\nshort_name: ISIS-K\nsummary: A group.\n---\n",
    );
    site.write(
        "content/actors/russia.md",
        "---\ntitle: Russia\nkind: state\nsummary: A state.\n---\nSee [[islamic-state-khorasan]].\n",
    );
    site.write(
        "content/incidents/crocus.md",
        "---\ntitle: Crocus\nsummary: An attack.\ndate: 2024-03-22\nsources:\n  - title: A report\n    url: https://news.example.com/r\nperpetrators: [islamic-state-khorasan]\n---\nSee [[russia]].\n",
    );
    site
}

/// The diagnostics of a build of `site` with default options.
fn build(site: &TestSite) -> Vec<Diagnostic> {
    site.build().diagnostics
}

/// The one diagnostic with `code`; fails listing all when there is none or several.
fn only(diagnostics: &[Diagnostic], code: &str) -> Diagnostic {
    let found: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.code == code).collect();
    assert_eq!(
        found.len(),
        1,
        "expected one `{code}`, got:\n{}",
        diagnostics
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    found[0].clone()
}

/// Assert where a diagnostic points and that its help contains `help`.
#[track_caller]
fn assert_at(d: &Diagnostic, file: &str, line: usize, column: usize, help: &str) {
    assert_eq!(
        d.location().as_deref(),
        Some(&*format!("{file}:{line}:{column}")),
        "{d}"
    );
    assert_help(d, help);
}

/// Assert a diagnostic about a whole file (or no file) and its help.
#[track_caller]
fn assert_unplaced(d: &Diagnostic, file: Option<&str>, help: &str) {
    let shown = d
        .file
        .as_deref()
        .map(|f| f.to_string_lossy().replace('\\', "/"));
    assert_eq!(shown.as_deref(), file, "{d}");
    assert_eq!((d.line, d.column), (None, None), "{d}");
    assert_help(d, help);
}

#[track_caller]
fn assert_help(d: &Diagnostic, help: &str) {
    let text = d.help.as_deref().unwrap_or_else(|| panic!("no help: {d}"));
    assert!(text.contains(help), "help {text:?} lacks {help:?}\n{d}");
    // Lowercase (acronyms such as `URL` aside), no trailing period.
    let mut first = d.message.chars();
    let lower = !first.next().is_some_and(char::is_uppercase)
        || first.next().is_some_and(char::is_uppercase);
    assert!(
        lower && !d.message.ends_with('.'),
        "messages are lowercase without a trailing period: {d}"
    );
}

// ----- completeness -----

#[test]
fn every_code_has_a_test_and_docs() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(Code::ALL.len() > 20, "{:?}", Code::ALL);
    // Every file of this folder: the tests are split by topic.
    let tests: String = walkdir::WalkDir::new(manifest.join("tests/testsuite/diagnostics"))
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("a readable folder"))
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| std::fs::read_to_string(e.path()).expect("a test file"))
        .collect();
    let docs = std::fs::read_to_string(manifest.join("docs/diagnostics.md")).unwrap();
    for code in Code::ALL {
        let test_name = format!("fn {}_", code.as_str().to_lowercase().replace('-', "_"));
        assert!(
            tests.contains(&test_name),
            "no test `{test_name}...` for `{code}` in tests/testsuite/diagnostics/"
        );
        assert!(
            docs.contains(&format!("`{code}`")),
            "`{code}` is not listed in docs/diagnostics.md"
        );
    }
}
