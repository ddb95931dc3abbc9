//! The default theme's pages pass the W3C Nu HTML checker (vnu). `.ci/run` installs it from
//! npm (`vnu-jar`) and Java runs it; `VNU_JAR` may point at another copy.

use std::path::{Path, PathBuf};
use std::process::Command;

use briefing::{BuildOptions, build_site};

pub(crate) fn vnu_jar() -> PathBuf {
    if let Some(p) = std::env::var_os("VNU_JAR") {
        return PathBuf::from(p);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    home.join(".cache/briefing-vnu/node_modules/vnu-jar/build/dist/vnu.jar")
}

/// `java` from `JAVA_HOME`, else from `PATH`.
pub(crate) fn java() -> PathBuf {
    std::env::var_os("JAVA_HOME")
        .map(|home| PathBuf::from(home).join("bin/java"))
        .filter(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from("java"))
}

/// Build the site at `root` and run vnu over every page and the stylesheet; fails with
/// every error. `at_least` pages are expected.
fn validate_site(root: &Path, at_least: usize) {
    let jar = vnu_jar();
    assert!(
        jar.exists(),
        "the HTML validation test needs vnu.jar at {} (npm install --prefix ~/.cache/briefing-vnu vnu-jar, and Java), or VNU_JAR set",
        jar.display()
    );
    let out = tempfile::tempdir().expect("temp dir");
    let mut opts = BuildOptions::new(root);
    opts.output = Some(out.path().join("public"));
    let report = build_site(&opts);
    assert!(report.success);
    let pages: Vec<PathBuf> = walkdir::WalkDir::new(out.path())
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    assert!(
        pages.len() >= at_least,
        "expected the whole site, got {} pages",
        pages.len()
    );
    let result = Command::new(java())
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--also-check-css", "--format", "text"])
        .args(&pages)
        .arg(out.path().join("public/style.css"))
        .output()
        .expect("this test needs Java to run vnu.jar: install a JRE (Debian: apt-get install -y default-jre-headless)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(result.status.success(), "vnu found errors:\n{text}");
}

#[test]
#[ignore = "needs Java and vnu.jar (VNU_JAR or ~/.cache/briefing-vnu, see .ci/run): cargo test --test browser -- --ignored"]
fn example_site_is_valid_html() {
    validate_site(Path::new(env!("CARGO_MANIFEST_DIR")), 31);
}

/// The second fixture: Russian pages with Arabic entries written right to left (issue 12).
#[test]
#[ignore = "needs Java and vnu.jar (VNU_JAR or ~/.cache/briefing-vnu, see .ci/run): cargo test --test browser -- --ignored"]
fn multilingual_fixture_is_valid_html() {
    validate_site(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/multilingual"),
        25,
    );
}
