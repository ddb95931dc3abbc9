//! The pages with a relations graph (issue 13) — a group page and `groups/graph/` of the
//! example site — pass axe-core (WCAG 2.1 A and AA) in headless Chromium and the Nu HTML
//! checker. `.ci/run` installs axe-core from npm (pinned); `AXE_JS` may point at another
//! copy of `axe.min.js`.

use std::path::{Path, PathBuf};
use std::process::Command;

use briefing::BuildOptions;

use super::validate::{java, vnu_jar};
use super::{build_ok, dump_dom, serve};

/// The pages checked: a group with relations two steps deep, and the overview.
const PAGES: [&str; 2] = ["groups/islamic-state-khorasan/", "groups/graph/"];

fn axe_js() -> PathBuf {
    if let Some(p) = std::env::var_os("AXE_JS") {
        return PathBuf::from(p);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    home.join(".cache/briefing-axe/node_modules/axe-core/axe.min.js")
}

/// The example site built into `out`, at `base_url`; fails unless each of [`PAGES`]
/// carries a graph.
fn build_example(out: &Path, base_url: Option<String>) {
    let mut opts = BuildOptions::new(Path::new(env!("CARGO_MANIFEST_DIR")));
    opts.output = Some(out.to_path_buf());
    opts.base_url = base_url;
    build_ok(&opts);
    for page in PAGES {
        let html = std::fs::read_to_string(out.join(page).join("index.html")).expect("page");
        assert!(
            html.contains("<svg") && html.contains("relations-graph"),
            "`{page}` has no relations graph"
        );
    }
}

#[test]
#[ignore = "needs Chromium and axe-core (npm, see .ci/run): cargo test --test browser -- --ignored"]
fn relations_graph_pages_have_no_axe_violations() {
    let axe = axe_js();
    assert!(
        axe.is_file(),
        "this test needs axe.min.js at {} (npm install --prefix ~/.cache/briefing-axe axe-core@4.14.1), or AXE_JS set",
        axe.display()
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("public");
    let port = serve(out.clone());
    build_example(&out, Some(format!("http://127.0.0.1:{port}/")));
    std::fs::copy(&axe, out.join("axe-under-test.js")).expect("copy axe");
    for page in PAGES {
        // A copy of the page that runs axe once loaded and writes what it found into the
        // DOM, which Chromium then prints.
        let file = out.join(page).join("index.html");
        let html = std::fs::read_to_string(&file).expect("page");
        let probe = r#"<script src="/axe-under-test.js"></script><script>
window.addEventListener("load", () => {
  axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
    .then(r => document.body.setAttribute("data-axe", JSON.stringify(r.violations.map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", ")))))
    .catch(e => document.body.setAttribute("data-axe", JSON.stringify(["axe failed: " + e])));
});
</script></body>"#;
        std::fs::write(&file, html.replace("</body>", probe)).expect("write probe");
        let dom = dump_dom(&format!("http://127.0.0.1:{port}/{page}"));
        let doc = scraper::Html::parse_document(&dom);
        let body = scraper::Selector::parse("body").expect("selector");
        let found = doc
            .select(&body)
            .next()
            .and_then(|b| b.value().attr("data-axe").map(str::to_string))
            .unwrap_or_else(|| panic!("axe did not report on `{page}`"));
        let violations: Vec<String> = serde_json::from_str(&found).expect("axe's JSON");
        assert!(
            violations.is_empty(),
            "axe violations on `{page}`:\n{}",
            violations.join("\n")
        );
    }
}

#[test]
#[ignore = "needs Java and vnu.jar (VNU_JAR or ~/.cache/briefing-vnu, see .ci/run): cargo test --test browser -- --ignored"]
fn relations_graph_pages_are_valid_html() {
    let jar = vnu_jar();
    assert!(
        jar.exists(),
        "this test needs vnu.jar at {} (see .ci/run), or VNU_JAR set",
        jar.display()
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("public");
    build_example(&out, None);
    let result = Command::new(java())
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "text"])
        .args(PAGES.map(|p| out.join(p).join("index.html")))
        .output()
        .expect("this test needs Java to run vnu.jar");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(result.status.success(), "vnu found errors:\n{text}");
}
