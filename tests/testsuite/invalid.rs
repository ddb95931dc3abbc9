//! Bad input: one test per class of mistake an author makes.
//!
//! Each case under `tests/fixtures/invalid/<case>/` holds only the broken file(s), laid
//! over a copy of `tests/fixtures/basic/` after a first, good build. Every test checks
//! that the build fails, that the diagnostic names the code, the file, and the line and
//! column of the offending text, that its message and help say how to fix it, and that
//! the previous output is exactly as it was.

use std::path::Path;
use std::process::{Command, Output};

use briefing::diag::Diagnostic;

use crate::support::{TestSite, assert_same_files, attrs, copy_dir, errors, snapshot};

/// Build the basic fixture, lay `invalid/<case>/` over it and build again. Asserts the
/// second build failed and left the first output untouched; returns its errors.
fn errors_of(case: &str) -> Vec<Diagnostic> {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let before = snapshot(&site.out());
    overlay(&site, case);

    let report = site.build();
    assert!(!report.success, "the build of `{case}` succeeded");
    assert_same_files(&before, &snapshot(&site.out()));
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .expect("site root")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("briefing-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");
    errors(&report).into_iter().cloned().collect()
}

fn overlay(site: &TestSite, case: &str) {
    let case_dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/invalid")
        .join(case);
    assert!(case_dir.is_dir(), "no fixture `{}`", case_dir.display());
    copy_dir(&case_dir, site.root());
}

/// The only error, failing the test (and listing them all) when there are more.
fn single(errors: &[Diagnostic]) -> &Diagnostic {
    assert_eq!(
        errors.len(),
        1,
        "expected one error, got:\n{}",
        errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    &errors[0]
}

/// Assert code, file and position of a diagnostic.
fn assert_at(d: &Diagnostic, code: &str, file: &str, line: usize, column: usize) {
    assert_eq!(d.code, code, "{d}");
    assert_eq!(
        d.location().as_deref(),
        Some(&*format!("{file}:{line}:{column}")),
        "{d}"
    );
}

fn help(d: &Diagnostic) -> &str {
    d.help.as_deref().unwrap_or_else(|| panic!("no help: {d}"))
}

#[test]
fn malformed_yaml_points_at_the_stray_colon() {
    let errors = errors_of("malformed-yaml");
    let e = single(&errors);
    // `summary: Breaking: a bomb ...`: the second `: ` starts a mapping YAML does not allow.
    assert_at(e, "E-syntax", "content/incidents/harbour-bombing.md", 3, 18);
    assert!(e.message.contains("mapping values are not allowed"), "{e}");
    assert!(help(e).contains("quotes"), "{e}");
}

#[test]
fn references_to_a_file_that_failed_to_load_are_not_reported_as_unknown() {
    // Four files refer to `harbour-bombing`; its own syntax error is the one problem.
    let errors = errors_of("malformed-yaml");
    assert!(
        errors.iter().all(|e| e.code != "E-unknown-ref"),
        "{}",
        errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn malformed_toml_points_at_the_missing_comma() {
    let errors = errors_of("malformed-toml");
    let e = single(&errors);
    // `tags = ["ambush" "border"]`: the second string, where a comma should come first.
    assert_at(e, "E-syntax", "content/incidents/border-ambush.md", 7, 18);
    assert!(e.message.contains("missing comma"), "{e}");
    assert!(help(e).contains("`key = value` (TOML)"), "{e}");
}

#[test]
fn missing_required_field_names_it_and_shows_an_example() {
    let errors = errors_of("missing-field");
    let e = single(&errors);
    assert_at(
        e,
        "E-missing-field",
        "content/statements/russia-condemns-harbour-bombing.md",
        1,
        1,
    );
    assert_eq!(e.message, "missing required field `stance`");
    assert!(help(e).contains("stance: claims"), "{e}");
}

#[test]
fn wrong_type_quotes_the_value_and_the_type_expected() {
    let errors = errors_of("wrong-type");
    let e = single(&errors);
    // `  killed: none`
    assert_at(e, "E-wrong-type", "content/incidents/depot-arson.md", 9, 11);
    assert!(e.message.contains("`none`"), "{e}");
    assert!(e.message.contains("a whole number"), "{e}");
    assert!(!e.message.contains("u64"), "Rust type names leak: {e}");
}

#[test]
fn unknown_field_suggests_the_field_meant() {
    let errors = errors_of("unknown-field");
    let e = single(&errors);
    assert_at(
        e,
        "E-unknown-field",
        "content/actors/harbour-gazette.md",
        2,
        1,
    );
    assert_eq!(e.message, "unknown field `titel`");
    assert!(help(e).contains("did you mean `title`?"), "{e}");
    assert!(help(e).contains("extra:"), "{e}");
}

#[test]
fn unknown_setting_suggests_the_setting_meant() {
    let errors = errors_of("unknown-config-key");
    let e = single(&errors);
    assert_at(e, "E-unknown-field", "briefing.toml", 8, 1);
    assert_eq!(e.message, "unknown field `paginte_by`");
    // Settings have no `extra:`; the hint must not send the author there.
    assert_eq!(help(e), "did you mean `paginate_by`?");
}

#[test]
fn unknown_reference_suggests_the_slug_or_the_group_of_an_alias() {
    let errors = errors_of("unknown-ref");
    assert_eq!(errors.len(), 2, "{errors:?}");
    let typo = &errors[0];
    assert_at(
        typo,
        "E-unknown-ref",
        "content/incidents/depot-arson.md",
        12,
        16,
    );
    assert_eq!(
        typo.message,
        "unknown group `northern-frnt` in `perpetrators`"
    );
    assert_eq!(help(typo), "did you mean `northern-front`?");

    // `nf-c` is the group's short name `NF-C`, not its slug.
    let alias = &errors[1];
    assert_at(
        alias,
        "E-unknown-ref",
        "content/statements/nf-coastal-claims-harbour-bombing.md",
        5,
        10,
    );
    assert!(alias.message.contains("`nf-c`"), "{alias}");
    assert_eq!(help(alias), "did you mean `northern-front-coastal`?");
}

#[test]
fn duplicate_slug_across_kinds_names_the_first_file() {
    let errors = errors_of("duplicate-slug");
    assert_eq!(errors.len(), 2, "{errors:?}");
    // From the `slug` field: points at its value.
    let field = &errors[0];
    assert_at(
        field,
        "E-duplicate-slug",
        "content/pages/about-the-front.md",
        3,
        7,
    );
    assert!(
        field
            .message
            .contains("already used by `content/groups/northern-front.md`"),
        "{field}"
    );
    // From the file name: points at the start of the file.
    let stem = &errors[1];
    assert_at(
        stem,
        "E-duplicate-slug",
        "content/pages/harbour-bombing.md",
        1,
        1,
    );
    assert!(
        stem.message
            .contains("already used by `content/incidents/harbour-bombing.md`"),
        "{stem}"
    );
    assert!(
        help(stem).contains("slugs are shared by all kinds"),
        "{stem}"
    );
}

#[test]
fn invalid_slug_says_why_and_suggests_a_valid_one() {
    let errors = errors_of("invalid-slug");
    let e = single(&errors);
    assert_at(e, "E-invalid-slug", "content/pages/about.md", 3, 7);
    assert!(e.message.contains("`About Us`"), "{e}");
    assert_eq!(help(e), "use `slug: about-us`");
}

#[test]
fn impossible_date_says_how_many_days_the_month_has() {
    let errors = errors_of("impossible-date");
    let e = single(&errors);
    assert_at(
        e,
        "E-invalid-date",
        "content/statements/ministry-blames-northern-front.md",
        4,
        7,
    );
    assert!(e.message.contains("`2023-02-30`"), "{e}");
    assert!(e.message.contains("February 2023 has 28 days"), "{e}");
}

#[test]
fn unterminated_frontmatter_points_at_the_opening_fence() {
    let errors = errors_of("unterminated-frontmatter");
    let e = single(&errors);
    assert_at(e, "E-frontmatter", "content/pages/notes.md", 1, 1);
    assert!(e.message.contains("never closed"), "{e}");
    assert!(help(e).contains("closing fence"), "{e}");
}

#[test]
fn every_error_of_every_file_is_reported_in_one_run() {
    let errors = errors_of("several-errors");
    let found: Vec<(&str, String)> = errors
        .iter()
        .map(|e| (e.code.as_str(), e.location().unwrap_or_default()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "E-unknown-field",
                "content/actors/harbour-gazette.md:2:1".to_string()
            ),
            (
                "E-syntax",
                "content/incidents/harbour-bombing.md:3:18".to_string()
            ),
            (
                "E-unknown-ref",
                "content/statements/russia-condemns-harbour-bombing.md:5:10".to_string()
            ),
        ]
    );
}

// ----- through the binary -----

fn briefing(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run briefing")
}

#[test]
fn binary_exits_zero_after_a_good_build() {
    let site = TestSite::fixture("basic");
    let root = site.root().to_str().expect("UTF-8 path");
    let out = briefing(&["build", "--root", root]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("built"), "{stderr}");
    assert!(site.out().join("index.html").is_file());
}

#[test]
fn binary_exits_non_zero_and_names_file_line_column_on_bad_input() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let before = snapshot(&site.out());
    overlay(&site, "malformed-yaml");

    let root = site.root().to_str().expect("UTF-8 path");
    let out = briefing(&["build", "--root", root]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("content/incidents/harbour-bombing.md:3:18"),
        "{stderr}"
    );
    assert!(
        stderr.contains("mapping values are not allowed"),
        "{stderr}"
    );
    assert!(stderr.contains("put the whole value in quotes"), "{stderr}");
    assert!(
        !stderr.contains('\u{1b}'),
        "colours despite NO_COLOR: {stderr}"
    );
    assert_same_files(&before, &snapshot(&site.out()));
}

#[test]
fn binary_base_url_flag_moves_every_link_under_the_sub_path() {
    let site = TestSite::fixture("basic");
    let root = site.root().to_str().expect("UTF-8 path");
    let base = "https://example.org/briefings/";
    let out = briefing(&["build", "--root", root, "--base-url", base]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let links = attrs(&site.page("incidents/harbour-bombing/"), "a", "href");
    assert!(links.contains(&format!("{base}groups/northern-front-coastal/")));
    assert!(
        links
            .iter()
            .filter(|l| l.starts_with("https://example.org/"))
            .all(|l| l.starts_with(base)),
        "{links:?}"
    );
}
