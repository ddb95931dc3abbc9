//! Field values (empty fields, tags, URLs, countries, coordinates) reported where the parser
//! found them, in YAML and TOML.

use super::{assert_at, build, only, site};

/// Regression (issue 10, step 9): the place came from searching the text for the first
/// `title:`, which was the source's, so the error named the source's line.
#[test]
fn e_empty_field_after_a_source_title_points_at_the_top_level_title() {
    let site = site();
    site.write(
        "content/groups/g.md",
        "---\nsummary: A group.\nsources:\n  - title: A report\n    url: https://x.example/r\ntitle: \"\"\n---\n",
    );
    let d = only(&build(&site), "E-empty-field");
    assert_at(&d, "content/groups/g.md", 6, 1, "title");
}

/// TOML values come without parser spans: the key is found in the text, where a top-level
/// key always stands before any table.
#[test]
fn e_empty_field_in_toml_points_at_the_field() {
    let site = site();
    site.write(
        "content/groups/g.md",
        "+++\nsummary = \"A group.\"\ntitle = \"\"\n[[sources]]\ntitle = \"A report\"\n+++\n",
    );
    let d = only(&build(&site), "E-empty-field");
    assert_at(&d, "content/groups/g.md", 3, 1, "title");
}

/// Issue 10: TOML values carry the parser's span too. A TOML 1.1 inline table may span
/// lines, so a source's `title` can stand on a line of its own before the top-level one;
/// the search of the text for the first `title =` found it.
#[test]
fn e_empty_field_in_toml_after_a_source_title_points_at_the_top_level_title() {
    let site = site();
    site.write(
        "content/groups/g.md",
        "+++\nsummary = \"A group.\"\nsources = [{\n  title = \"A report\" }]\ntitle = \"\"\n+++\n",
    );
    let d = only(&build(&site), "E-empty-field");
    assert_at(&d, "content/groups/g.md", 5, 1, "title");
}

#[test]
fn e_invalid_tag_points_at_the_tag() {
    let site = site();
    site.write(
        "content/groups/g.md",
        "---\ntitle: G\nsummary: A group.\ntags: [fine, \"!!!\"]\n---\n",
    );
    let d = only(&build(&site), "E-invalid-tag");
    assert_at(&d, "content/groups/g.md", 4, 15, "mass-shooting");
}

#[test]
fn e_invalid_tag_in_toml_points_at_the_tag() {
    let site = site();
    site.write(
        "content/groups/g.md",
        "+++\ntitle = \"G\"\nsummary = \"A group.\"\ntags = [\"fine\", \"!!!\"]\n+++\n",
    );
    let d = only(&build(&site), "E-invalid-tag");
    assert_at(&d, "content/groups/g.md", 4, 18, "mass-shooting");
}

#[test]
fn e_invalid_url_points_at_the_url() {
    let site = site();
    site.write(
        "content/groups/g.md",
        "---\ntitle: G\nsummary: A group.\nsources:\n  - title: T\n    url: javascript:alert(1)\n---\n",
    );
    let d = only(&build(&site), "E-invalid-url");
    assert_at(&d, "content/groups/g.md", 6, 10, "https://");

    let site = self::site();
    site.write(
        "content/pages/p.md",
        "---\ntitle: P\n---\n\nSee [this](javascript:alert(1)).\n",
    );
    let d = only(&build(&site), "E-invalid-url");
    assert_at(&d, "content/pages/p.md", 5, 5, "http, https or mailto");
}

/// The parser's span points at a URL written with escapes, which a search of the text for
/// the parsed value could not find (it fell back to the key).
#[test]
fn e_invalid_url_written_with_escapes_points_at_the_value() {
    let site = site();
    site.write(
        "content/groups/g.md",
        "---\ntitle: G\nsummary: A group.\nsources:\n  - title: T\n    url: \"java\\x73cript:alert(1)\"\n---\n",
    );
    let d = only(&build(&site), "E-invalid-url");
    assert_at(&d, "content/groups/g.md", 6, 11, "https://");
}

/// The same in TOML, whose values were found by searching the text (issue 10).
#[test]
fn e_invalid_url_in_toml_written_with_escapes_points_at_the_value() {
    let site = site();
    site.write(
        "content/groups/g.md",
        "+++\ntitle = \"G\"\nsummary = \"A group.\"\n[[sources]]\ntitle = \"T\"\nurl = \"java\\u0073cript:alert(1)\"\n+++\n",
    );
    let d = only(&build(&site), "E-invalid-url");
    assert_at(&d, "content/groups/g.md", 6, 8, "https://");
}

/// An incident's `location.country` is reported where the parser found it, not at the
/// same code written earlier under `extra` (author data, never checked).
#[test]
fn e_unknown_country_of_a_location_points_at_the_location() {
    let site = site();
    site.write(
        "content/incidents/i.md",
        "---\ntitle: I\nsummary: An attack.\ndate: 2024-01-02\nextra:\n  country: ZZ\nlocation:\n  country: ZZ\n---\n",
    );
    let d = only(&build(&site), "E-unknown-country");
    assert_at(&d, "content/incidents/i.md", 8, 12, "ISO 3166-1");
}

/// A group's `regions` are reported where the parser found them, not at the same code
/// written earlier under `extra`.
#[test]
fn e_unknown_country_in_regions_points_at_the_region() {
    let site = site();
    site.write(
        "content/groups/g.md",
        "---\ntitle: G\nsummary: A group.\nextra:\n  regions: [RUS]\nregions: [AF, RUS]\n---\n",
    );
    let d = only(&build(&site), "E-unknown-country");
    assert_at(&d, "content/groups/g.md", 6, 15, "`RU` (Russia)");
}

/// In TOML `[extra]` may come before `[location]`; the search of the text for the first
/// `country =` found the one under `extra` (issue 10).
#[test]
fn e_unknown_country_in_toml_points_at_the_location() {
    let site = site();
    site.write(
        "content/incidents/i.md",
        "+++\ntitle = \"I\"\nsummary = \"An attack.\"\ndate = 2024-01-02\n[extra]\ncountry = \"ZZ\"\n[location]\ncountry = \"ZZ\"\n+++\n",
    );
    let d = only(&build(&site), "E-unknown-country");
    assert_at(&d, "content/incidents/i.md", 8, 12, "ISO 3166-1");
}

#[test]
fn e_unknown_country_suggests_codes() {
    let site = site();
    site.write(
        "content/actors/a.md",
        "---\ntitle: A\nkind: state\nsummary: A state.\ncountry: RUS\n---\n[[russia]]\n",
    );
    let d = only(&build(&site), "E-unknown-country");
    assert_at(&d, "content/actors/a.md", 5, 10, "`RU` (Russia)");
}

#[test]
fn e_invalid_value_points_at_the_value() {
    let site = site();
    site.write(
        "content/incidents/i.md",
        "---\ntitle: I\ndate: 2024-03-22\nlocation:\n  coordinates: [155.8, 37.3]\n---\n",
    );
    let d = only(&build(&site), "E-invalid-value");
    assert_at(&d, "content/incidents/i.md", 5, 3, "latitude first");
    site.write(
        "content/incidents/i.md",
        "---\ntitle: I\ndate: 2024-03-22\nend_date: 2024-03-01\n---\n",
    );
    let d = only(&build(&site), "E-invalid-value");
    assert_at(&d, "content/incidents/i.md", 4, 1, "swap the two dates");
}

/// Issue 10: `coordinates` and `end_date` were found by searching the text for their key,
/// which found the first `coordinates:` (here under `extra`); the parser's place of the
/// value now leads to its key, also above a block sequence and in TOML.
#[test]
fn e_invalid_value_points_at_the_key_of_the_value_parsed() {
    let site = site();
    site.write(
        "content/incidents/i.md",
        "---\ntitle: I\ndate: 2024-03-22\nextra:\n  coordinates: [1, 2]\nlocation:\n  coordinates:\n    - 155.8\n    - 37.3\n---\n",
    );
    let d = only(&build(&site), "E-invalid-value");
    assert_at(&d, "content/incidents/i.md", 7, 3, "latitude first");
    site.write(
        "content/incidents/i.md",
        "+++\ntitle = \"I\"\ndate = 2024-03-22\nend_date = 2024-03-01\n[extra]\nend_date = 1\n+++\n",
    );
    let d = only(&build(&site), "E-invalid-value");
    assert_at(&d, "content/incidents/i.md", 4, 1, "swap the two dates");
    site.write(
        "content/incidents/i.md",
        "+++\ntitle = \"I\"\ndate = 2024-03-22\n[extra]\ncoordinates = 1\n[location]\ncoordinates = [155.8, 37.3]\n+++\n",
    );
    let d = only(&build(&site), "E-invalid-value");
    assert_at(&d, "content/incidents/i.md", 7, 1, "latitude first");
}
