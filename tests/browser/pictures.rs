//! Pictures (issue 13) pass axe-core in headless Chromium: the world map, a group page with
//! its charts, an incident page with its locator map and time axis, a country page and the
//! home page of the example briefing. (The Nu checker test in `validate.rs` checks every
//! page of the same site, these included.)
//!
//! axe-core comes from npm (`.ci/run` installs it into `~/.cache/briefing-node`, or
//! `BRIEFING_NODE_MODULES` names the `node_modules` folder);
//! `AXE_JS` may point at another `axe.min.js`.

use std::path::{Path, PathBuf};

use briefing::BuildOptions;

use super::{build_ok, dump_dom, serve};

fn axe_js() -> PathBuf {
    if let Some(p) = std::env::var_os("AXE_JS") {
        return PathBuf::from(p);
    }
    let modules = std::env::var_os("BRIEFING_NODE_MODULES").map_or_else(
        || {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/briefing-node/node_modules")
        },
        PathBuf::from,
    );
    modules.join("axe-core/axe.min.js")
}

/// Runs axe on the page it is added to and writes the violations into `#axe-result`.
const RUN_AXE: &str = r#"<script src="/__axe.min.js"></script>
<script>
axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
  .then(function (r) {
    var out = document.createElement("pre");
    out.id = "axe-result";
    out.textContent = JSON.stringify(r.violations.map(function (v) {
      return v.id + ": " + v.help + " at " + v.nodes.map(function (n) { return n.target.join(" "); }).join(", ");
    }));
    document.body.appendChild(out);
  });
</script>
"#;

#[test]
#[ignore = "needs Chromium and axe-core (npm, see .ci/run; or AXE_JS): cargo test --test browser -- --ignored"]
fn pages_with_pictures_have_no_axe_violations() {
    let axe = axe_js();
    assert!(
        axe.is_file(),
        "this test needs axe-core's axe.min.js at {} (npm install --prefix ~/.cache/briefing-node axe-core), or AXE_JS set",
        axe.display()
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("public");
    let mut opts = BuildOptions::new(Path::new(env!("CARGO_MANIFEST_DIR")));
    opts.output = Some(out.clone());
    build_ok(&opts);
    std::fs::copy(&axe, out.join("__axe.min.js")).expect("copy axe");
    let pages = [
        "map/",
        "groups/islamic-state-khorasan/",
        "incidents/crocus-city-hall-attack/",
        "countries/ru/",
        "",
    ];
    // Each page gets a copy next to it, with axe added: the same markup, styles and links.
    for page in pages {
        let html = std::fs::read_to_string(out.join(page).join("index.html")).expect("page");
        assert!(
            html.contains("class=\"picture\""),
            "`{page}` has no picture"
        );
        let with_axe = html.replace("</body>", &format!("{RUN_AXE}</body>"));
        std::fs::write(out.join(page).join("axe.html"), with_axe).expect("write");
    }
    let port = serve(out);
    let mut found = Vec::new();
    for page in pages {
        let dom = dump_dom(&format!("http://127.0.0.1:{port}/{page}axe.html"));
        let doc = scraper::Html::parse_document(&dom);
        let sel = scraper::Selector::parse("#axe-result").expect("selector");
        let result = doc
            .select(&sel)
            .next()
            .map(|e| e.text().collect::<String>())
            .unwrap_or_else(|| panic!("axe did not finish on `{page}`"));
        let violations: Vec<String> = serde_json::from_str(&result).expect("axe result");
        found.extend(violations.into_iter().map(|v| format!("/{page}: {v}")));
    }
    assert!(found.is_empty(), "axe violations:\n{}", found.join("\n"));
}
