//! Settings and frontmatter: syntax, fields, types and dates, and where each problem points.

use std::path::Path;

use super::{assert_at, assert_help, assert_unplaced, build, only, site};

// ----- settings -----

#[test]
fn e_config_points_at_the_bad_value() {
    let site = site();
    site.write(
        "briefing.toml",
        "title = \"T\"\n\n[markdown]\nhighlight_theme = \"Solarized\"\n",
    );
    let d = only(&build(&site), "E-config");
    assert_at(&d, "briefing.toml", 4, 20, "known themes: ");
    site.write("briefing.toml", "title = \"T\"\n[build]\npaginate_by = 0\n");
    let d = only(&build(&site), "E-config");
    assert_at(&d, "briefing.toml", 3, 15, "paginate_by = 20");
    std::fs::remove_file(site.root().join("briefing.toml")).unwrap();
    let d = only(&build(&site), "E-config");
    assert_unplaced(&d, Some("briefing.toml"), "--root DIR");
}

/// Issue 10: the place of a bad setting came from searching the text for the first line
/// starting with its key, which may be under `[extra]`; it is the parser's now.
#[test]
fn e_config_points_at_the_value_of_the_right_table() {
    let site = site();
    site.write(
        "briefing.toml",
        "title = \"T\"\n\n[extra]\npaginate_by = 0\n\n[build]\npaginate_by = 0\n",
    );
    let d = only(&build(&site), "E-config");
    assert_at(&d, "briefing.toml", 7, 15, "paginate_by = 20");
}

#[test]
fn e_unknown_field_suggests_the_field_meant() {
    let site = site();
    site.write("briefing.toml", "title = \"T\"\nbase_ulr = \"/\"\n");
    let d = only(&build(&site), "E-unknown-field");
    assert_at(&d, "briefing.toml", 2, 1, "did you mean `base_url`?");

    let site = self::site();
    site.write(
        "content/groups/g.md",
        "---\ntitle: G\nsumary: A group.\n---\n",
    );
    let d = only(&build(&site), "E-unknown-field");
    assert_at(&d, "content/groups/g.md", 3, 1, "did you mean `summary`?");
}

// ----- frontmatter -----

#[test]
fn e_unknown_value_suggests_the_value_meant() {
    let site = site();
    site.write(
        "content/statements/s.md",
        "---\ntitle: S\ndate: 2024-03-22\nspeaker: russia\nstance: blamed\n---\n",
    );
    let d = only(&build(&site), "E-unknown-value");
    assert_at(
        &d,
        "content/statements/s.md",
        5,
        9,
        "did you mean `blames`?",
    );
}

#[test]
fn e_missing_field_names_the_field_and_an_example() {
    let site = site();
    site.write(
        "content/statements/s.md",
        "---\ntitle: S\ndate: 2024-03-22\nspeaker: russia\n---\n",
    );
    let d = only(&build(&site), "E-missing-field");
    assert!(d.message.contains("`stance`"), "{d}");
    assert_at(&d, "content/statements/s.md", 1, 1, "stance: claims");
}

#[test]
fn e_invalid_date_points_at_the_date() {
    let site = site();
    site.write(
        "content/incidents/i.md",
        "---\ntitle: I\ndate: 2024-13-01\n---\n",
    );
    let d = only(&build(&site), "E-invalid-date");
    assert_at(&d, "content/incidents/i.md", 3, 7, "2015-06-21");
}

#[test]
fn e_wrong_type_points_at_the_value() {
    let site = site();
    site.write(
        "content/incidents/i.md",
        "---\ntitle: I\ndate: 2024-03-22\ncasualties:\n  killed: many\n---\n",
    );
    let d = only(&build(&site), "E-wrong-type");
    assert_at(&d, "content/incidents/i.md", 5, 11, "type");
}

#[test]
fn e_duplicate_field_points_at_the_second() {
    let site = site();
    site.write(
        "content/groups/g.md",
        "---\ntitle: G\nsummary: One.\ntitle: H\n---\n",
    );
    let d = only(&build(&site), "E-duplicate-field");
    assert_at(&d, "content/groups/g.md", 4, 1, "keep one");
}

#[test]
fn e_syntax_points_at_the_stray_colon() {
    let site = site();
    site.write(
        "content/groups/g.md",
        "---\ntitle: G\nsummary: Breaking: news\n---\n",
    );
    let d = only(&build(&site), "E-syntax");
    assert_at(&d, "content/groups/g.md", 3, 18, "quotes");
}

#[test]
fn e_frontmatter_points_at_the_open_fence() {
    let site = site();
    site.write(
        "content/groups/g.md",
        "---\ntitle: G\n\nNo closing fence.\n",
    );
    let d = only(&build(&site), "E-frontmatter");
    assert_at(&d, "content/groups/g.md", 1, 1, "closing fence");
    site.write("content/groups/g.md", "Just text.\n");
    let d = only(&build(&site), "E-frontmatter");
    assert_at(
        &d,
        "content/groups/g.md",
        1,
        1,
        "start the file with a `---` line",
    );
}

#[test]
fn e_not_utf8_names_the_line() {
    let site = site();
    let path = site.root().join("content/groups/g.md");
    std::fs::write(&path, b"---\ntitle: G\nsummary: caf\xe9\n---\n").unwrap();
    let d = only(&build(&site), "E-not-utf8");
    assert_at(&d, "content/groups/g.md", 3, 1, "UTF-8");
}

#[test]
fn e_changed_names_a_file_edited_during_the_build() {
    let site = site();
    let path = site.root().join("content/actors/russia.md");
    let mut opts = site.options();
    opts.after_link = Some(briefing::build::Hook::new(move || {
        std::fs::write(&path, "---\ntitle: Russia\nkind: state\n---\nEdited.\n").unwrap();
    }));
    let d = only(&briefing::build_site(&opts).diagnostics, "E-changed");
    assert_unplaced(&d, Some("content/actors/russia.md"), "build again");
}

#[test]
fn e_limit_points_at_what_is_too_deep() {
    let front_site = site();
    front_site.write(
        "content/groups/deep.md",
        &format!(
            "---\ntitle: G\nsummary: s\nextra: {}1{}\n---\n",
            "[".repeat(100),
            "]".repeat(100)
        ),
    );
    let d = only(&build(&front_site), "E-limit");
    assert_eq!(d.file.as_deref(), Some(Path::new("content/groups/deep.md")));
    assert_eq!(d.line, Some(4), "{d}");
    assert_help(&d, "flatten");
    let body_site = site();
    body_site.write(
        "content/groups/deep.md",
        &format!("---\ntitle: G\nsummary: s\n---\n\n{}x\n", "> ".repeat(1000)),
    );
    let d = only(&build(&body_site), "E-limit");
    assert_at(&d, "content/groups/deep.md", 5, 1, "flatten");
}

#[test]
fn e_invalid_slug_suggests_a_valid_one() {
    let site = site();
    site.write(
        "content/groups/g.md",
        "---\ntitle: G\nslug: Bad_Slug\nsummary: A group.\n---\n",
    );
    let d = only(&build(&site), "E-invalid-slug");
    assert_at(&d, "content/groups/g.md", 3, 7, "slug: bad-slug");
}

#[test]
fn e_empty_field_points_at_the_field() {
    let site = site();
    site.write(
        "content/groups/g.md",
        "---\ntitle: \"  \"\nsummary: A group.\n---\n",
    );
    let d = only(&build(&site), "E-empty-field");
    assert_at(&d, "content/groups/g.md", 2, 1, "title");
}
