//! The cache of rendered bodies (issue 16): a build with the cache writes exactly what a
//! build without it writes, whatever was edited in between; entries that are damaged or
//! foreign are ignored and rewritten; withheld text never enters the cache nor leaves it.

use std::fs;
use std::path::Path;

use briefing::cache::{CACHE_DIR, clean};
use briefing::{BuildOptions, BuildReport, CacheUse, build_site};

use crate::support::*;

/// Build `site` into `out`, with or without the cache.
fn build_into(site: &TestSite, out: &Path, cache: bool) -> BuildReport {
    build_site(&BuildOptions {
        output: Some(out.to_path_buf()),
        cache: if cache {
            CacheUse::ReadWrite
        } else {
            CacheUse::Off
        },
        ..site.options()
    })
}

/// Build with and without the cache into two folders; both must give the same result and
/// the same bytes. Returns the cached build's report.
fn build_both(site: &TestSite, scratch: &Path, step: &str) -> BuildReport {
    let (a, b) = (scratch.join("cached"), scratch.join("uncached"));
    let cached = build_into(site, &a, true);
    let plain = build_into(site, &b, false);
    assert_eq!(
        cached.success,
        plain.success,
        "{step}: the builds disagree:\n{}\n---\n{}",
        diagnostics_text(&cached),
        diagnostics_text(&plain)
    );
    assert_eq!(
        diagnostics_text(&cached),
        diagnostics_text(&plain),
        "{step}: the diagnostics differ"
    );
    assert_same_files(&snapshot(&b), &snapshot(&a));
    cached
}

fn cache_dir(site: &TestSite) -> std::path::PathBuf {
    site.root().join(CACHE_DIR)
}

/// Every cache entry file.
fn entries(site: &TestSite) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(cache_dir(site).join("bodies"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

const NOW_TLP: &str = "title = \"Cache test\"\nbase_url = \"https://example.org/\"\n";

fn small_site() -> TestSite {
    let site = TestSite::new();
    site.write("briefing.toml", NOW_TLP)
        .write(
            "content/groups/north-cell.md",
            "---\ntitle: North cell\nsummary: A group.\n---\n\nSee [[first-attack]].\n\n```json\n{\"a\": 1}\n```\n",
        )
        .write(
            "content/incidents/first-attack.md",
            "---\ntitle: First attack\nsummary: An incident.\ndate: 2024-01-15\nperpetrators: [north-cell]\n---\n\n## About [[north-cell]]\n\nText with [a link](/groups/north-cell/).\n",
        );
    site
}

#[test]
fn a_repeat_build_takes_every_body_from_the_cache_and_writes_the_same_bytes() {
    let site = small_site();
    let scratch = tempfile::tempdir().unwrap();
    let first = build_both(&site, scratch.path(), "first");
    let c = first.cache.expect("the build used the cache");
    assert_eq!((c.hits, c.misses, c.written), (0, 2, 2));
    // With the output gone, the build runs again (nothing else changed, so it would be
    // skipped: see `cache_record.rs`).
    remove_output(scratch.path());
    let again = build_both(&site, scratch.path(), "again");
    let c = again.cache.expect("the build used the cache");
    assert_eq!((c.hits, c.misses, c.written), (2, 0, 0));
    assert!(
        fs::read_to_string(cache_dir(&site).join("CACHEDIR.TAG"))
            .unwrap()
            .starts_with("Signature: 8a477f597d28d172789f06886806bc55")
    );
}

#[test]
fn a_renamed_target_renders_the_bodies_linking_to_it_again() {
    let site = small_site();
    let scratch = tempfile::tempdir().unwrap();
    build_both(&site, scratch.path(), "first");
    site.write(
        "content/groups/north-cell.md",
        "---\ntitle: Northern cell\nsummary: A group.\n---\n\nSee [[first-attack]].\n\n```json\n{\"a\": 1}\n```\n",
    );
    let report = build_both(&site, scratch.path(), "renamed");
    // The group's own file changed; the incident's heading holds the group's title.
    let c = report.cache.unwrap();
    assert_eq!((c.hits, c.misses), (0, 2));
    let page = site_page(scratch.path(), "incidents/first-attack/index.html");
    assert!(page.contains("id=\"about-northern-cell\""), "{page}");
}

/// Remove the output of the cached build, so that the next one is not skipped.
fn remove_output(scratch: &Path) {
    fs::remove_dir_all(scratch.join("cached")).unwrap();
}

fn site_page(scratch: &Path, rel: &str) -> String {
    fs::read_to_string(scratch.join("cached").join(rel)).unwrap()
}

#[test]
fn damaged_truncated_and_foreign_entries_are_ignored_and_rewritten() {
    let site = small_site();
    let scratch = tempfile::tempdir().unwrap();
    build_both(&site, scratch.path(), "first");
    let files = entries(&site);
    assert_eq!(files.len(), 2);
    // One entry truncated, the other replaced by the first's bytes (a foreign entry).
    let first = fs::read(&files[0]).unwrap();
    fs::write(&files[0], &first[..first.len() / 2]).unwrap();
    fs::write(&files[1], &first).unwrap();
    remove_output(scratch.path());
    let report = build_both(&site, scratch.path(), "damaged");
    let c = report.cache.unwrap();
    assert_eq!((c.hits, c.rejected, c.written), (0, 2, 2));
    // A flipped byte in the HTML is refused too.
    let mut bytes = fs::read(&files[0]).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    fs::write(&files[0], bytes).unwrap();
    remove_output(scratch.path());
    let c = build_both(&site, scratch.path(), "flipped").cache.unwrap();
    assert_eq!((c.hits, c.rejected), (1, 1));
}

#[test]
fn unused_entries_are_removed_and_clean_removes_the_cache_only() {
    let site = small_site();
    let scratch = tempfile::tempdir().unwrap();
    build_both(&site, scratch.path(), "first");
    assert_eq!(entries(&site).len(), 2);
    site.write(
        "content/incidents/first-attack.md",
        "---\ntitle: First attack\nsummary: An incident.\ndate: 2024-01-15\n---\n\nEdited.\n",
    );
    let c = build_both(&site, scratch.path(), "edited").cache.unwrap();
    assert_eq!((c.hits, c.misses, c.pruned), (1, 1, 1));
    assert_eq!(entries(&site).len(), 2);
    site.write(&format!("{CACHE_DIR}/mine.txt"), "not the cache's");
    assert_eq!(
        clean(site.root()).unwrap(),
        4,
        "two entries, the tag and the record of the last build"
    );
    assert!(entries(&site).is_empty());
    assert!(cache_dir(&site).join("mine.txt").exists());
    assert!(
        site.root()
            .join("content/incidents/first-attack.md")
            .exists()
    );
}

#[test]
fn no_cache_neither_reads_nor_writes_it() {
    let site = small_site();
    let scratch = tempfile::tempdir().unwrap();
    let report = build_into(&site, scratch.path(), false);
    assert!(report.success && report.cache.is_none());
    assert!(!cache_dir(&site).exists());
}

#[test]
fn the_command_line_cleans_and_skips_the_cache() {
    let site = small_site();
    let out = run(briefing()
        .args(["--quiet", "build", "--no-cache", "--root"])
        .arg(site.root()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!cache_dir(&site).exists(), "--no-cache wrote the cache");
    let out = run(briefing()
        .args(["--quiet", "build", "--root"])
        .arg(site.root()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(entries(&site).len(), 2);
    // `check` reads the cache but writes nothing into the site.
    let before = snapshot(&cache_dir(&site));
    let out = run(briefing()
        .args(["--quiet", "check", "--root"])
        .arg(site.root()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_same_files(&before, &snapshot(&cache_dir(&site)));
    let out = run(briefing().args(["clean", "--root"]).arg(site.root()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!cache_dir(&site).exists(), "clean left the cache");
    assert!(
        site.out().join("index.html").exists(),
        "clean removed the output"
    );
}

/// `clean` empties `.briefing-cache/` of everything briefing keeps there, the body entries of
/// `build` and the answers of `check --external`, and of nothing else.
#[test]
fn clean_removes_the_bodies_and_the_external_answers_but_no_other_file() {
    let server = crate::external::Server::start();
    let site = small_site();
    site.write(
        "briefing.toml",
        &format!("{NOW_TLP}\n[check]\nexternal_timeout = 1\nexternal_delay = 0\n"),
    )
    .write(
        "content/pages/p.md",
        &format!("---\ntitle: P\n---\n[a]({})\n", server.url("/ok")),
    );
    let out = run(briefing()
        .args(["--quiet", "build", "--root"])
        .arg(site.root()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(entries(&site).len(), 3, "the bodies of the three entries");
    let report = crate::external::check_external(&site, true);
    assert_eq!(report.external, Some((1, 0)));
    let external = cache_dir(&site).join(briefing::check::external::CACHE_FILE);
    assert!(external.is_file(), "check --external kept no answers");
    site.write(&format!("{CACHE_DIR}/mine.txt"), "not the cache's");

    let out = run(briefing().args(["clean", "--root"]).arg(site.root()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("(6 files)"),
        "three entries, the tag, the answers and the record of the last build: {}",
        out.stderr
    );
    assert!(entries(&site).is_empty(), "clean left body entries");
    assert!(!external.exists(), "clean left `external.json`");
    assert_eq!(
        fs::read_to_string(cache_dir(&site).join("mine.txt")).unwrap(),
        "not the cache's"
    );
    assert_eq!(
        fs::read_dir(cache_dir(&site))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect::<Vec<_>>(),
        ["mine.txt"]
    );
    assert!(
        site.out().join("index.html").exists(),
        "clean removed the output"
    );
}

/// The canary fixture, built with the cache at a moment before its embargo: no withheld
/// text is in the cache, and building with `--tlp red --drafts` adds none either.
#[test]
fn canary_the_cache_never_holds_withheld_text() {
    let site = TestSite::fixture("canary");
    let now = moment("2026-06-01T00:00:00Z");
    let opts = BuildOptions {
        now: Some(now),
        cache: CacheUse::ReadWrite,
        ..site.options()
    };
    let report = build_site(&opts);
    assert!(report.success, "{}", diagnostics_text(&report));
    assert!(report.cache.unwrap().written > 0, "nothing was cached");
    assert_eq!(
        occurrences(&cache_dir(&site), "canary"),
        Vec::<String>::new()
    );
    let wide = BuildOptions {
        tlp: Some(briefing::model::Tlp::Red),
        drafts: true,
        now: Some(moment("2031-01-01T00:00:00Z")),
        ..opts.clone()
    };
    let report = build_site(&wide);
    assert!(report.success, "{}", diagnostics_text(&report));
    assert_eq!(report.cache.unwrap().written, 0);
    assert_eq!(
        occurrences(&cache_dir(&site), "canary"),
        Vec::<String>::new()
    );
    // A published body that becomes withheld leaves the cache with the next build.
    let page = site.root().join("content/incidents/pub-incident.md");
    let text = fs::read_to_string(&page).unwrap();
    fs::write(&page, text.replacen("---\n", "---\ntlp: red\n", 1)).unwrap();
    assert!(!occurrences(&cache_dir(&site), "plain mentions").is_empty());
    let report = build_site(&opts);
    assert!(report.success, "{}", diagnostics_text(&report));
    assert_eq!(
        occurrences(&cache_dir(&site), "plain mentions"),
        Vec::<String>::new()
    );
}

#[path = "cache_edits.rs"]
mod edits;

#[test]
fn init_ignores_the_cache_and_the_output_in_git() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    briefing::scaffold::init_site(&briefing::scaffold::InitOptions {
        dir: root.clone(),
        force: false,
    })
    .unwrap();
    let ignore = fs::read_to_string(root.join(".gitignore")).unwrap();
    let lines: Vec<&str> = ignore.lines().collect();
    assert!(lines.contains(&"/.briefing-cache/"), "{ignore}");
    assert!(lines.contains(&"/public/"), "{ignore}");
}
