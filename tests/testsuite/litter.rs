//! What `static/` and `templates/` may publish, and litter that must not fail a build
//! (issue 9): links out of `static/`, files clashing with generated ones, editor and
//! operating-system leftovers.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

use crate::support::*;

fn site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "content/incidents/crocus.md",
        "---\ntitle: Crocus\ndate: 2024-03-22\nsummary: S.\n---\nBody.\n",
    );
    site
}

#[test]
fn static_links_leading_out_of_static_are_refused_even_inside_the_site() {
    let site = site();
    site.write(".git/config", "[remote] token = CI-SECRET-TOKEN\n");
    site.write(
        "content/incidents/red.md",
        "---\ntitle: Red\ndate: 2024-03-22\ntlp: red\n---\nRED-SECRET\n",
    );
    fs::create_dir_all(site.root().join("static")).expect("mkdir");
    symlink("../.git/config", site.root().join("static/logo.svg")).expect("symlink");
    symlink(
        "../content/incidents/red.md",
        site.root().join("static/red.md"),
    )
    .expect("symlink");
    let report = site.build();
    assert!(!report.success);
    let errs = errors(&report);
    let found: Vec<(String, String)> = errs
        .iter()
        .map(|e| {
            let file = e.file.as_deref().map(display).unwrap_or_default();
            (format!("{} {file}", e.code), e.message.clone())
        })
        .collect();
    assert_eq!(found.len(), 2, "{}", diagnostics_text(&report));
    assert_eq!(found[0].0, "E-path-escape static/logo.svg");
    assert!(found[0].1.contains("`.git/config`"), "{}", found[0].1);
    assert_eq!(found[1].0, "E-path-escape static/red.md");
    assert!(
        found[1].1.contains("`content/incidents/red.md`"),
        "{}",
        found[1].1
    );
    assert!(!site.out().exists());
}

#[test]
fn template_links_follow_the_static_policy() {
    // Regression (issue 10): the templates walk passed over every link silently; it now
    // shares the walk of `content/` and `static/`. A theme asset is published, so a link
    // out of `templates/` (here to a TLP:RED page) is refused; one inside is followed.
    let site = site();
    site.write(
        "content/incidents/red.md",
        "---\ntitle: Red\ndate: 2024-03-22\ntlp: red\n---\nRED-SECRET\n",
    );
    site.write("templates/mine.css", "body { color: red }\n");
    symlink(
        "../content/incidents/red.md",
        site.root().join("templates/style.css"),
    )
    .expect("symlink");
    let report = site.build();
    let errs = errors(&report);
    assert_eq!(errs.len(), 1, "{}", diagnostics_text(&report));
    assert_eq!(errs[0].code, "E-path-escape");
    assert!(
        errs[0].message.contains("`content/incidents/red.md`"),
        "{}",
        errs[0]
    );
    assert!(!site.out().exists());

    fs::remove_file(site.root().join("templates/style.css")).expect("rm");
    symlink("mine.css", site.root().join("templates/style.css")).expect("symlink");
    site.build_ok();
    assert_eq!(site.read_out("style.css"), "body { color: red }\n");
}

#[test]
fn static_links_to_folders_are_not_followed_and_say_so() {
    // Regression (issue 10): the walk of `static/` passed them over silently.
    let site = site();
    site.write("static/img/a.png", "png");
    symlink("img", site.root().join("static/pictures")).expect("symlink");
    let report = site.build_ok();
    let warned: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "W-symlink-dir")
        .map(|d| d.file.as_deref().map(display).unwrap_or_default())
        .collect();
    assert_eq!(warned, ["static/pictures"]);
    assert_eq!(site.read_out("img/a.png"), "png");
    assert!(!site.out().join("pictures").exists());
}

fn display(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

#[test]
fn static_folder_linked_to_the_content_is_refused() {
    let site = site();
    symlink("content", site.root().join("static")).expect("symlink");
    let report = site.build();
    let errs = errors(&report);
    assert_eq!(errs.len(), 1, "{}", diagnostics_text(&report));
    assert_eq!(errs[0].code, "E-path-escape");
    assert!(errs[0].message.contains("`content/`"), "{}", errs[0]);
    assert!(!site.out().exists());
}

#[test]
fn static_files_may_not_overwrite_generated_files() {
    let site = site();
    for file in [
        "static/search-index/manifest.json",
        "static/incidents/crocus/index.html",
        "static/style.css",
        "static/incidents/crocus/photo.jpg",
    ] {
        site.write(file, "from static");
    }
    let report = site.build();
    let errs = errors(&report);
    let messages: Vec<String> = errs.iter().map(|e| e.message.clone()).collect();
    assert_eq!(
        messages,
        [
            "`static/incidents/crocus/index.html` would overwrite the generated \
             `incidents/crocus/index.html`",
            "`static/search-index/manifest.json` would overwrite the generated \
             `search-index/manifest.json`",
            "`static/style.css` would overwrite the generated `style.css`",
        ],
        "{}",
        diagnostics_text(&report)
    );
    assert!(errs.iter().all(|e| e.code == "E-output-collision"));
    // A file beside a page is fine.
    for file in [
        "search-index/manifest.json",
        "incidents/crocus/index.html",
        "style.css",
    ] {
        fs::remove_file(site.root().join("static").join(file)).expect("rm");
    }
    site.build_ok();
    assert_eq!(site.read_out("incidents/crocus/photo.jpg"), "from static");
}

#[test]
fn editor_and_os_litter_does_not_fail_the_build_nor_get_published() {
    let site = site();
    // Emacs: a dangling lock link, backups; macOS: AppleDouble files; Vim: swap files.
    symlink(
        "user@host.12345:1700000000",
        site.root().join("content/incidents/.#crocus.md"),
    )
    .expect("symlink");
    let apple_double = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \xff\xfe";
    for file in [
        "content/incidents/._crocus.md",
        "content/incidents/crocus.md~",
        "content/incidents/#crocus.md#",
        "content/incidents/.crocus.md.swp",
        "content/.DS_Store",
        "templates/._page.html",
        "templates/incident.html~",
        "static/._robots.txt",
        "static/robots.txt~",
        "static/.DS_Store",
        "static/.git/config",
    ] {
        let path = site.root().join(file);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, apple_double).expect("write");
    }
    symlink(
        "user@host.12345:1700000000",
        site.root().join("templates/.#page.html"),
    )
    .expect("symlink");
    site.write("templates/NOTES.txt", "private notes on the theme");
    site.write("static/robots.txt", "User-agent: *\n");
    site.write(
        "static/.well-known/security.txt",
        "Contact: mailto:x@example.org\n",
    );
    let report = site.build_ok();
    assert!(errors(&report).is_empty());
    let published: Vec<String> = snapshot(&site.out()).into_iter().map(|(n, _)| n).collect();
    for kept in [
        "robots.txt",
        ".well-known/security.txt",
        "incidents/crocus/index.html",
    ] {
        assert!(published.contains(&kept.to_string()), "`{kept}` missing");
    }
    let leaked: Vec<&String> = published
        .iter()
        .filter(|n| {
            n.contains("NOTES")
                || n.contains('~')
                || n.contains("._")
                || n.contains(".DS_Store")
                || n.starts_with(".git/")
        })
        .collect();
    assert!(leaked.is_empty(), "published litter: {leaked:?}");
}
