//! Files and folders: reading, links out of the site, templates, the output folder, writing.

use briefing::BuildOptions;
use briefing::diag::Severity;

use super::{assert_help, assert_unplaced, build, only, site};

// ----- files and folders -----

#[test]
fn e_no_content_says_how_to_start() {
    let site = site();
    std::fs::remove_dir_all(site.root().join("content")).unwrap();
    let d = only(&build(&site), "E-no-content");
    assert_unplaced(&d, None, "briefing init");
}

#[cfg(unix)]
#[test]
fn e_read_names_a_broken_link() {
    let site = site();
    std::os::unix::fs::symlink(
        site.root().join("nowhere.md"),
        site.root().join("content/groups/gone.md"),
    )
    .unwrap();
    let d = only(&build(&site), "E-read");
    assert_unplaced(&d, Some("content/groups/gone.md"), "remove the link");
}

#[cfg(unix)]
#[test]
fn e_path_escape_refuses_links_out_of_the_site() {
    let site = site();
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("secret.md");
    std::fs::write(&target, "---\ntitle: S\nsummary: S.\n---\n").unwrap();
    std::os::unix::fs::symlink(&target, site.root().join("content/groups/secret.md")).unwrap();
    let d = only(&build(&site), "E-path-escape");
    assert_unplaced(&d, Some("content/groups/secret.md"), "copy the file");
}

#[cfg(unix)]
#[test]
fn w_symlink_dir_is_not_followed() {
    let site = site();
    std::fs::create_dir_all(site.root().join("more")).unwrap();
    std::os::unix::fs::symlink(
        site.root().join("more"),
        site.root().join("content/groups/more"),
    )
    .unwrap();
    let d = only(&build(&site), "W-symlink-dir");
    assert_unplaced(&d, Some("content/groups/more"), "move the files");
}

#[test]
fn e_template_points_into_the_override() {
    let site = site();
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ entity.title }\n{% endblock content %}\n",
    );
    site.write("content/pages/p.md", "---\ntitle: P\n---\n");
    let d = only(&build(&site), "E-template");
    let location = d.location().unwrap_or_default();
    assert!(location.starts_with("templates/page.html:3:"), "{d}");
    assert_help(&d, "docs/templates.md");
}

#[test]
fn e_output_refuses_to_overwrite_the_site() {
    let site = site();
    let opts = BuildOptions {
        output: Some(site.root().to_path_buf()),
        ..site.options()
    };
    let d = only(&briefing::build_site(&opts).diagnostics, "E-output");
    assert_unplaced(&d, None, "a folder of its own");
}

#[test]
fn e_output_collision_names_the_static_file_and_the_generated_one() {
    let site = site();
    site.write("static/sitemap.xml", "<urlset/>");
    let d = only(&build(&site), "E-output-collision");
    assert!(
        d.message
            .contains("`static/sitemap.xml` would overwrite the generated `sitemap.xml`"),
        "{d}"
    );
    assert_unplaced(&d, Some("static/sitemap.xml"), "rename or remove");
}

#[test]
fn n_not_published_names_the_file_of_templates() {
    let site = site();
    site.write("templates/NOTES.txt", "notes");
    let report = site.build_ok();
    let d = only(&report.diagnostics, "N-not-published");
    assert_eq!(d.severity, Severity::Note);
    assert_unplaced(&d, Some("templates/NOTES.txt"), "`static/`");
    assert!(!site.out().join("NOTES.txt").exists());
}

#[test]
fn w_old_output_is_a_warning_of_a_build_that_succeeded() {
    use std::os::unix::fs::PermissionsExt;
    let site = site();
    site.build_ok();
    let stuck = site.out().join("stuck");
    site.write("public/stuck/file.txt", "held");
    let mode = |m| std::fs::set_permissions(&stuck, std::fs::Permissions::from_mode(m));
    mode(0o555).unwrap();
    if std::fs::write(stuck.join("probe"), "").is_ok() {
        // Root removes what permissions protect; the unit test
        // `a_swap_that_happened_is_a_success_even_if_the_old_output_stays` covers it.
        eprintln!("skipped: running as root, a read-only folder does not stop its removal");
        return;
    }
    let report = site.build();
    let _ = std::fs::read_dir(site.root()).map(|entries| {
        for e in entries.flatten() {
            let stuck = e.path().join("stuck");
            if stuck.is_dir() {
                let _ = std::fs::set_permissions(&stuck, std::fs::Permissions::from_mode(0o755));
            }
        }
    });
    assert!(report.success, "the swap succeeded, so did the build");
    let d = only(&report.diagnostics, "W-old-output");
    assert_unplaced(&d, None, "the next build removes it");
    assert!(
        !site.out().join("stuck").exists(),
        "the new output is in place"
    );
    site.build_ok();
    let left: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("briefing-tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn e_write_says_what_to_check() {
    let site = site();
    site.write("blocker", "a file where a folder should be");
    let opts = BuildOptions {
        output: Some(site.root().join("blocker/public")),
        ..site.options()
    };
    let d = only(&briefing::build_site(&opts).diagnostics, "E-write");
    assert_unplaced(&d, None, "permissions");
}
