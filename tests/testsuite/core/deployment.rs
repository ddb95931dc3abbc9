//! Deployment: base URLs, reproducible output, and the fixtures building cleanly.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::Path;

use briefing::build_site;
use briefing::diag::Severity;

use super::built;
use crate::support::{
    TestSite, assert_same_files, attrs, copy_dir, diagnostics_text, files_with_extension, snapshot,
};

// ----- deployment -----

/// Check every internal link of every page starts with `base` and resolves to a file
/// in `out` (and, with a fragment, to an element with that id); return the problems.
fn broken_links(out: &Path, base: &str) -> Vec<String> {
    let host = {
        let rest = base.split_once("://").map_or(base, |(_, r)| r);
        rest.split('/').next().unwrap_or("").to_string()
    };
    let mut ids: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut ids_of = |file: &str| -> BTreeSet<String> {
        ids.entry(file.to_string())
            .or_insert_with(|| {
                let doc = scraper::Html::parse_document(
                    &fs::read_to_string(out.join(file)).unwrap_or_default(),
                );
                attrs(&doc, "[id]", "id").into_iter().collect()
            })
            .clone()
    };
    let mut problems = Vec::new();
    for page in files_with_extension(out, "html") {
        let doc = scraper::Html::parse_document(&fs::read_to_string(out.join(&page)).unwrap());
        let mut links = Vec::new();
        for attr in ["href", "src", "action"] {
            links.extend(attrs(&doc, &format!("[{attr}]"), attr));
        }
        for link in links {
            let (target_file, fragment) = if let Some(frag) = link.strip_prefix('#') {
                (page.clone(), frag.to_string())
            } else if let Some(rel) = link.strip_prefix(base) {
                let (path, frag) = rel.split_once('#').unwrap_or((rel, ""));
                let path = path.split('?').next().unwrap_or("");
                let file = if path.is_empty() || path.ends_with('/') {
                    format!("{path}index.html")
                } else {
                    path.to_string()
                };
                if !out.join(&file).is_file() {
                    problems.push(format!("`{page}`: {link} -> no `{file}`"));
                    continue;
                }
                (file, frag.to_string())
            } else if link.starts_with("https://") || link.starts_with("http://") {
                let rest = link.split_once("://").map_or("", |(_, r)| r);
                if rest.split('/').next() == Some(host.as_str()) {
                    problems.push(format!("`{page}`: {link} is outside `{base}`"));
                }
                continue;
            } else if link.starts_with("mailto:") {
                continue;
            } else {
                problems.push(format!("`{page}`: {link} is not absolute"));
                continue;
            };
            if !fragment.is_empty()
                && target_file.ends_with(".html")
                && !ids_of(&target_file).contains(&fragment)
            {
                problems.push(format!("`{page}`: {link} -> no id `{fragment}`"));
            }
        }
    }
    problems
}

#[test]
fn sub_path_base_url_prefixes_every_internal_link() {
    let site = TestSite::fixture("basic");
    let base = "https://example.org/briefings/";
    let mut opts = site.options();
    opts.base_url = Some(base.to_string());
    let report = build_site(&opts);
    assert!(report.success, "{}", diagnostics_text(&report));

    let problems = broken_links(&site.out(), base);
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    let incident = site.page("incidents/harbour-bombing/");
    assert!(
        attrs(&incident, "a", "href").contains(&format!("{base}groups/northern-front-coastal/")),
        "the perpetrator link does not use the sub-path"
    );
    // The search page fetches its index, and links its results, under the sub-path.
    let search = site.page("search/");
    assert_eq!(
        attrs(&search, "form.search-form", "data-index"),
        [format!("{base}search-index/")]
    );
    for file in ["atom.xml", "sitemap.xml"] {
        let text = site.read_out(file);
        assert!(text.contains(base), "`{file}` has no link under {base}");
        let stray = text.matches("https://example.org/").count();
        let good = text.matches(base).count();
        assert_eq!(stray, good, "`{file}` links outside {base}");
    }
}

#[test]
fn base_url_in_briefing_toml_is_honoured() {
    let site = TestSite::fixture("basic");
    site.write(
        "briefing.toml",
        "title = \"Harbour briefing\"\nbase_url = \"https://example.org/briefings\"\n",
    );
    site.build_ok();
    let problems = broken_links(&site.out(), "https://example.org/briefings/");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_second_build_gives_byte_identical_output() {
    let site = built();
    let first = snapshot(&site.out());
    site.build_ok();
    assert_same_files(&first, &snapshot(&site.out()));
}

#[test]
fn output_does_not_depend_on_where_the_site_lives() {
    let a = built();
    let b = built();
    assert_ne!(a.root(), b.root());
    assert_same_files(&snapshot(&a.out()), &snapshot(&b.out()));
}

#[test]
fn example_site_builds_without_errors_or_warnings() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = TestSite::new();
    copy_dir(&repo.join("content"), &site.root().join("content"));
    fs::copy(
        repo.join("briefing.toml"),
        site.root().join("briefing.toml"),
    )
    .expect("copy briefing.toml");
    if repo.join("static").is_dir() {
        copy_dir(&repo.join("static"), &site.root().join("static"));
    }
    let report = site.build();
    let problems: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Note)
        .collect();
    assert!(
        report.success && problems.is_empty(),
        "{}",
        diagnostics_text(&report)
    );
    assert!(report.entities > 0);
}

#[test]
fn basic_fixture_builds_without_warnings() {
    let site = TestSite::fixture("basic");
    let report = site.build_ok();
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| d.severity == Severity::Note),
        "{}",
        diagnostics_text(&report)
    );
}
