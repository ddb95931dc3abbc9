//! References between entries: unknown, of the wrong kind, to itself, duplicated, withheld.

use briefing::diag::Severity;

use super::{assert_at, build, only, site};

// ----- references -----

#[test]
fn e_unknown_ref_suggests_by_alias() {
    let site = site();
    site.write(
        "content/incidents/i.md",
        "---\ntitle: I\ndate: 2024-03-22\nperpetrators: [isis-k]\n---\n",
    );
    let d = only(&build(&site), "E-unknown-ref");
    assert_at(
        &d,
        "content/incidents/i.md",
        4,
        16,
        "did you mean `islamic-state-khorasan`?",
    );
}

/// A TOML reference written with an escape is reported where the parser found it; the
/// search of the text for the parsed slug fell back to the key (issue 10).
#[test]
fn e_unknown_ref_in_toml_points_at_the_reference() {
    let site = site();
    site.write(
        "content/incidents/i.md",
        "+++\ntitle = \"I\"\nsummary = \"An attack.\"\ndate = 2024-03-22\nperpetrators = [\"isis\\u002Dk\"]\n+++\n",
    );
    let d = only(&build(&site), "E-unknown-ref");
    assert_at(
        &d,
        "content/incidents/i.md",
        5,
        18,
        "islamic-state-khorasan",
    );
}

#[test]
fn e_wrong_kind_names_the_kinds() {
    let site = site();
    site.write(
        "content/incidents/i.md",
        "---\ntitle: I\ndate: 2024-03-22\nperpetrators: [russia]\n---\n",
    );
    let d = only(&build(&site), "E-wrong-kind");
    assert_at(&d, "content/incidents/i.md", 4, 16, "refer to a group");
}

#[test]
fn e_self_ref_points_at_the_reference() {
    let site = site();
    site.write(
        "content/groups/g.md",
        "---\ntitle: G\nsummary: A group.\nparent: g\n---\n",
    );
    let d = only(&build(&site), "E-self-ref");
    assert_at(&d, "content/groups/g.md", 4, 9, "remove the reference");
}

#[test]
fn e_self_ref_points_at_a_relation_to_the_group_itself() {
    let site = site();
    site.write(
        "content/groups/g.md",
        "---\ntitle: G\nsummary: A group.\nrelations:\n  - group: g\n    kind: rival\n---\n",
    );
    let d = only(&build(&site), "E-self-ref");
    assert!(d.message.contains("`relations`"), "{d}");
    assert_at(&d, "content/groups/g.md", 5, 12, "remove the reference");
}

#[test]
fn w_duplicate_relation_points_at_the_second_entry() {
    let site = site();
    site.write(
        "content/groups/g.md",
        "---\ntitle: G\nsummary: A group.\nrelations:\n  - group: islamic-state-khorasan\n    kind: rival\n  - { group: islamic-state-khorasan, kind: rival, since: 2015 }\n---\n",
    );
    let d = only(&build(&site), "W-duplicate-relation");
    assert!(d.message.contains("`islamic-state-khorasan`"), "{d}");
    assert_at(
        &d,
        "content/groups/g.md",
        7,
        14,
        "remove one of the two entries",
    );
}

#[test]
fn e_duplicate_slug_names_the_other_file() {
    let site = site();
    site.write(
        "content/actors/crocus.md",
        "---\ntitle: C\nkind: person\nsummary: A person.\n---\n",
    );
    let d = only(&build(&site), "E-duplicate-slug");
    assert!(d.message.contains("content/incidents/crocus.md"), "{d}");
    assert_at(&d, "content/actors/crocus.md", 1, 1, "rename this file");
}

#[test]
fn n_withheld_ref_points_at_the_reference() {
    let site = site();
    site.write(
        "content/actors/hidden.md",
        "---\ntitle: H\nkind: person\nsummary: A person.\ndraft: true\n---\n",
    );
    site.write(
        "content/groups/g.md",
        "---\ntitle: G\nsummary: A group.\n---\nSee [[hidden]].\n",
    );
    let diagnostics = build(&site);
    let d = only(&diagnostics, "N-withheld-ref");
    assert_eq!(d.severity, Severity::Note);
    assert_at(&d, "content/groups/g.md", 5, 5, "publish the target");
}
