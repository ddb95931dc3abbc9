//! Warnings of a build that succeeds: missing sources and summaries, orphans, unknown folders,
//! labels and images.

use std::path::Path;

use briefing::check::check_site;
use briefing::diag::{Diagnostic, Severity};

use super::{assert_at, assert_unplaced, build, only, site};
use crate::support::TestSite;

// ----- warnings -----

/// An incident without sources or summary.
fn bare_incident() -> Vec<Diagnostic> {
    let site = site();
    site.write(
        "content/incidents/i.md",
        "---\ntitle: I\ndate: 2024-03-22\n---\n",
    );
    build(&site)
}

#[test]
fn w_no_sources_points_at_the_frontmatter() {
    let d = only(&bare_incident(), "W-no-sources");
    assert_eq!(d.severity, Severity::Warning);
    assert_at(&d, "content/incidents/i.md", 1, 1, "add `sources:`");
}

#[test]
fn w_relative_base_url_names_the_settings_file() {
    let site = TestSite::new();
    site.write("briefing.toml", "title = \"T\"\nbase_url = \"/sub/\"\n");
    let d = only(
        &check_site(&site.options()).diagnostics,
        "W-relative-base-url",
    );
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.file.as_deref(), Some(Path::new("briefing.toml")));
    assert!(d.message.contains("`/sub/`"), "{}", d.message);
    assert!(d.help.as_deref().unwrap_or("").contains("--base-url"));
}

#[test]
fn w_no_summary_points_at_the_frontmatter() {
    let d = only(&bare_incident(), "W-no-summary");
    assert_eq!(d.severity, Severity::Warning);
    assert_at(&d, "content/incidents/i.md", 1, 1, "add `summary:`");
}

#[test]
fn w_orphan_actor_points_at_the_actor() {
    let site = site();
    site.write(
        "content/actors/nobody.md",
        "---\ntitle: Nobody\nkind: person\nsummary: A person.\n---\n",
    );
    let d = only(&build(&site), "W-orphan-actor");
    assert_at(
        &d,
        "content/actors/nobody.md",
        1,
        1,
        "link it from a statement",
    );
}

#[test]
fn w_statement_before_incident_points_at_the_incident() {
    let site = site();
    site.write(
        "content/statements/s.md",
        "---\ntitle: S\nsummary: Said.\ndate: 2024-03-01\nspeaker: russia\nstance: blames\nincident: crocus\nsource:\n  title: T\n---\n",
    );
    let d = only(&build(&site), "W-statement-before-incident");
    assert_at(&d, "content/statements/s.md", 7, 11, "stance: warns");
}

#[test]
fn w_unknown_folder_names_the_file() {
    let site = site();
    site.write("content/misc/x.md", "---\ntitle: X\n---\n");
    let d = only(&build(&site), "W-unknown-folder");
    assert_unplaced(&d, Some("content/misc/x.md"), "content/incidents/");
}

// ----- issue 12: labels and images -----

#[test]
fn w_unknown_label_suggests_the_word_meant() {
    let site = site();
    site.write(
        "briefing.toml",
        "title = \"T\"\nbase_url = \"https://example.org/\"\n[labels]\nclaims = \"Claimed\"\nisis-kk = \"ISIS-K\"\n",
    );
    site.write(
        "content/groups/islamic-state-khorasan.md",
        "---\ntitle: Islamic State Khorasan Province\nsummary: A group.\ntags: [isis-k]\n---\n",
    );
    let d = only(&build(&site), "W-unknown-label");
    assert_eq!(d.severity, Severity::Warning);
    assert!(d.message.contains("`isis-kk`"), "{d}");
    assert_at(&d, "briefing.toml", 5, 1, "did you mean `isis-k`?");
}

#[test]
fn w_remote_image_points_at_each_image() {
    let site = site();
    site.write(
        "content/pages/p.md",
        "---\ntitle: P\n---\nText.\n\n![A map](https://maps.example.net/m.png)\n\n<p>Photo: <img alt=\"The hall\" src=\"https://img.example.net/h.jpg\"></p>\n",
    );
    let ds = build(&site);
    let remote: Vec<&Diagnostic> = ds.iter().filter(|d| d.code == "W-remote-image").collect();
    assert_eq!(remote.len(), 2, "{ds:?}");
    assert_eq!(remote[0].severity, Severity::Warning);
    assert_at(
        remote[0],
        "content/pages/p.md",
        6,
        10,
        "allow_remote_images",
    );
    assert_at(remote[1], "content/pages/p.md", 8, 36, "static/");
    // Allowed: no warning.
    site.write(
        "briefing.toml",
        "title = \"T\"\nbase_url = \"https://example.org/\"\n[markdown]\nallow_remote_images = true\n",
    );
    assert!(build(&site).iter().all(|d| d.code != "W-remote-image"));
}

#[test]
fn w_no_alt_points_at_images_without_alt_text() {
    let site = site();
    site.write(
        "content/pages/p.md",
        "---\ntitle: P\n---\n![](/static/a.png)\n\n![Fine](/static/b.png)\n\n<img src=\"/static/c.png\">\n",
    );
    let ds = build(&site);
    let no_alt: Vec<&Diagnostic> = ds.iter().filter(|d| d.code == "W-no-alt").collect();
    assert_eq!(no_alt.len(), 2, "{ds:?}");
    assert_at(no_alt[0], "content/pages/p.md", 4, 5, "what it shows");
    assert!(
        no_alt[0].message.contains("`/static/a.png`"),
        "{}",
        no_alt[0]
    );
    assert_at(no_alt[1], "content/pages/p.md", 8, 11, "alt=");
}
