//! The reader's briefing in a real browser (issue 12): the example site's incident, group,
//! statement, actor and timeline pages in headless Chromium through playwright-core, with
//! axe-core, no console errors, no request leaving the machine, no horizontal scroll on a
//! 360 px phone, the chronology visible in time order near the top, and print emulation
//! (a screenshot and the A4 page count). `tests/browser/reader.js` drives the browser.
//!
//! Needs Node with `playwright-core` and `axe-core` (pinned in `.ci/run`, installed under
//! `~/.cache/briefing-node`, or `BRIEFING_NODE_MODULES` naming a `node_modules` folder)
//! and Chromium. Screenshots and PDFs go to `BRIEFING_SCREENSHOTS` (default
//! `target/browser-screenshots`), which the test prints.

use std::path::{Path, PathBuf};
use std::process::Command;

use briefing::BuildOptions;

use crate::{build_ok, chromium, serve};

/// The `node_modules` folder holding `playwright-core` and `axe-core`.
fn node_modules() -> PathBuf {
    let dir = std::env::var_os("BRIEFING_NODE_MODULES").map_or_else(
        || {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/briefing-node/node_modules")
        },
        PathBuf::from,
    );
    assert!(
        dir.join("playwright-core").is_dir() && dir.join("axe-core/axe.min.js").is_file(),
        "this test needs playwright-core and axe-core from npm in {} (see .ci/run) or BRIEFING_NODE_MODULES",
        dir.display()
    );
    dir
}

/// One page as `reader.js` saw it.
fn run_reader(origin: &str, shots: &Path, paths: &[&str]) -> Vec<serde_json::Value> {
    let chromium = chromium();
    assert!(
        chromium.is_file(),
        "this test needs Chromium: {}",
        chromium.display()
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/reader.js");
    let out = Command::new("node")
        .arg(script)
        .arg(node_modules())
        .arg(origin)
        .arg(shots)
        .args(paths)
        .env("BRIEFING_CHROMIUM", &chromium)
        .output()
        .expect("this test needs Node (`node` on PATH)");
    assert!(
        out.status.success(),
        "reader.js failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

#[test]
#[ignore = "needs Chromium and Node with playwright-core and axe-core (see .ci/run): cargo test --test browser -- --ignored"]
fn example_briefing_reads_in_time_order_accessibly_on_screen_and_paper() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("temp dir");
    let mut opts = BuildOptions::new(root);
    opts.output = Some(dir.path().join("public"));
    build_ok(&opts);
    let port = serve(dir.path().join("public"));
    let shots = std::env::var_os("BRIEFING_SCREENSHOTS")
        .map_or_else(|| root.join("target/browser-screenshots"), PathBuf::from);
    std::fs::create_dir_all(&shots).expect("screenshot folder");
    println!("screenshots and PDFs in {}", shots.display());
    let pages = [
        "/incidents/crocus-city-hall-attack/",
        "/groups/islamic-state-khorasan/",
        "/statements/ntv-danilov-deepfake/",
        "/actors/oleksiy-danilov/",
        "/timeline/",
    ];
    let results = run_reader(&format!("http://127.0.0.1:{port}"), &shots, &pages);
    assert_eq!(results.len(), pages.len());
    for r in &results {
        let p = &r["path"];
        for key in ["violations", "console", "blocked"] {
            assert_eq!(r[key], serde_json::json!([]), "{p}: {key}");
        }
        assert!(
            r["phone_scroll_width"].as_u64() <= Some(360),
            "{p}: scrolls sideways"
        );
        assert_eq!(r["print_hidden"], serde_json::json!([]), "{p}: printed");
        assert!(r["pdf_pages"].as_u64() >= Some(1), "{p}: no PDF pages");
        println!("{p}: {} A4 pages", r["pdf_pages"]);
    }
    // The chronology: visible, above the body, in time order.
    let incident = &results[0];
    let chrono = incident["chronology"].as_array().expect("chronology");
    assert!(chrono.len() >= 8, "{chrono:?}");
    assert!(chrono.iter().all(|c| c["visible"] == true));
    let tops: Vec<f64> = chrono
        .iter()
        .map(|c| c["top"].as_f64().unwrap_or(0.0))
        .collect();
    assert!(tops.windows(2).all(|w| w[0] < w[1]), "{tops:?}");
    let body_top = incident["body_top"].as_f64().expect("body");
    assert!(tops[tops.len() - 1] < body_top);
    let dates: Vec<&str> = chrono
        .iter()
        .map(|c| c["date"].as_str().unwrap_or(""))
        .collect();
    assert!(
        dates.windows(2).all(|w| w[0][..10] <= w[1][..10]),
        "{dates:?}"
    );
    let offsets: Vec<&str> = chrono
        .iter()
        .map(|c| c["offset"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(offsets[0], "T−15 d", "{offsets:?}");
    assert!(
        offsets.contains(&"T+0") && offsets.contains(&"T+1 d"),
        "{offsets:?}"
    );
    // Printed, the Crocus briefing took 7 A4 pages before issue 12.
    assert!(
        incident["pdf_pages"].as_u64() <= Some(6),
        "{}",
        incident["pdf_pages"]
    );
}
