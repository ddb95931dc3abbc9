//! Every page type of the example briefing and of the multilingual fixture (Cyrillic and
//! Arabic) in headless Chromium (issue 12): axe-core reports no violation at WCAG 2.1 AA,
//! no console error, no request leaves the machine, no horizontal scroll at 360 px; and
//! screenshots at 360 px, 1280 px and in print emulation for people to look at.
//!
//! Chromium is driven by `pages.mjs` through playwright-core, with axe-core injected from
//! its npm package: both are pinned and installed by `.ci/run` into
//! `~/.cache/briefing-node` (or `BRIEFING_NODE_MODULES`), never downloaded by the test.
//! The site is built with its base URL set to the test server, so its own absolute URLs
//! (stylesheets, feeds) stay on the machine, and any other host is refused and reported.

use std::path::{Path, PathBuf};
use std::process::Command;

use briefing::BuildOptions;

use super::{build_ok, chromium, serve};

/// The `node_modules` folder holding playwright-core and axe-core.
fn node_modules() -> PathBuf {
    if let Some(p) = std::env::var_os("BRIEFING_NODE_MODULES") {
        return PathBuf::from(p);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    home.join(".cache/briefing-node/node_modules")
}

/// One page type and the path of a page of that type in the built site.
fn page_types(out: &Path) -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = vec![
        ("home".into(), "/".into()),
        ("timeline".into(), "/timeline/".into()),
        ("tags".into(), "/tags/".into()),
        ("countries".into(), "/countries/".into()),
        ("search".into(), "/search/".into()),
        ("not-found".into(), "/404.html".into()),
    ];
    let first_page_in = |dir: &str| -> Option<String> {
        let mut names: Vec<String> = std::fs::read_dir(out.join(dir))
            .ok()?
            .filter_map(Result::ok)
            .filter(|e| e.path().join("index.html").is_file() && e.file_name() != "page")
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names.into_iter().next()
    };
    for dir in ["incidents", "groups", "actors", "statements"] {
        pages.push((format!("{dir}-listing"), format!("/{dir}/")));
    }
    for (name, dir) in [
        ("incident", "incidents"),
        ("group", "groups"),
        ("actor", "actors"),
        ("statement", "statements"),
        ("page", "pages"),
        ("tag", "tags"),
        ("country", "countries"),
    ] {
        if let Some(slug) = first_page_in(dir) {
            pages.push((name.into(), format!("/{dir}/{slug}/")));
        }
    }
    if let Some(year) = first_page_in("timeline") {
        pages.push(("timeline-year".into(), format!("/timeline/{year}/")));
    }
    pages
}

/// Build the site at `root`, open every page type and check what readers get; screenshots
/// go to `target/screenshots/<name>/`.
fn check_pages_in_chromium(name: &str, root: &Path, extra_pages: &[(&str, &str)]) {
    let chromium = chromium();
    assert!(
        chromium.is_file(),
        "this test needs Chromium, not found on PATH nor at {}: install it (Debian: apt-get install -y chromium) or set BRIEFING_CHROMIUM",
        chromium.display()
    );
    let modules = node_modules();
    assert!(
        modules.join("playwright-core").is_dir() && modules.join("axe-core").is_dir(),
        "this test needs playwright-core and axe-core in {} (see .ci/run: npm install --ignore-scripts --prefix ~/.cache/briefing-node axe-core playwright-core), or BRIEFING_NODE_MODULES",
        modules.display()
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let public = dir.path().join("public");
    let port = serve(public.clone());
    let mut opts = BuildOptions::new(root);
    opts.output = Some(public.clone());
    opts.base_url = Some(format!("http://127.0.0.1:{port}/"));
    build_ok(&opts);

    let mut pages = page_types(&public);
    pages.extend(
        extra_pages
            .iter()
            .map(|(n, p)| (n.to_string(), p.to_string())),
    );
    let shots = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/screenshots")
        .join(name);
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).expect("screenshot folder");
    let config = serde_json::json!({
        "chromium": chromium,
        "modules": modules,
        "origin": format!("http://127.0.0.1:{port}"),
        "pages": pages.iter().map(|(n, p)| serde_json::json!({"name": n, "path": p})).collect::<Vec<_>>(),
        "shots": shots,
    });
    let config_file = dir.path().join("pages.json");
    std::fs::write(&config_file, config.to_string()).expect("write config");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/pages.mjs");
    let out = Command::new("node")
        .arg(&script)
        .arg(&config_file)
        .output()
        .expect("this test needs Node.js (`node` on PATH) to drive Chromium");
    assert!(
        out.status.success(),
        "pages.mjs failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Vec<serde_json::Value> =
        serde_json::from_slice(&out.stdout).expect("pages.mjs prints JSON");
    println!(
        "screenshots of {} pages of `{name}` at 360 px, 1280 px and in print: {}",
        results.len(),
        shots.display()
    );
    assert_eq!(results.len(), pages.len());
    let mut problems = Vec::new();
    for r in &results {
        let page = r["url"].as_str().unwrap_or("?");
        if r["status"] != 200 {
            problems.push(format!("{page}: HTTP status {}", r["status"]));
        }
        for key in ["violations", "console_errors", "off_host_requests"] {
            let list = r[key].as_array().cloned().unwrap_or_default();
            if !list.is_empty() {
                problems.push(format!("{page}: {key}: {}", serde_json::Value::from(list)));
            }
        }
        if r["overflow_360"].as_i64().unwrap_or(1) > 0 {
            problems.push(format!(
                "{page}: scrolls sideways by {} px at 360 px",
                r["overflow_360"]
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems (screenshots in {}):\n{}",
        problems.len(),
        shots.display(),
        problems.join("\n")
    );
    for (n, _) in &pages {
        for variant in ["360", "1280", "print"] {
            let shot = shots.join(format!("{n}-{variant}.png"));
            assert!(shot.is_file(), "no screenshot {}", shot.display());
        }
    }
}

#[test]
#[ignore = "needs Chromium, Node.js and the npm packages playwright-core and axe-core (see .ci/run): cargo test --test browser -- --ignored"]
fn example_briefing_pages_pass_axe_on_phones_and_desktops() {
    check_pages_in_chromium(
        "example",
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[("crocus", "/incidents/crocus-city-hall-attack/")],
    );
}

#[test]
#[ignore = "needs Chromium, Node.js and the npm packages playwright-core and axe-core (see .ci/run): cargo test --test browser -- --ignored"]
fn multilingual_fixture_pages_pass_axe_on_phones_and_desktops() {
    check_pages_in_chromium(
        "multilingual",
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/multilingual"),
        &[
            ("incident-rtl", "/incidents/hujum-ala-suq/"),
            ("group-rtl", "/groups/jabhat-al-shamal/"),
        ],
    );
}
