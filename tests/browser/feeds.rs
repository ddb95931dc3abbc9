//! Feeds (issue 15) read back by Python's `feedparser`, as a feed reader would: every Atom
//! file parses without a single "bozo" problem, and the feeds of a group and of a tag hold
//! the right entries. `.ci/run` installs the pinned package from PyPI; without it, a run
//! with `--ignored` fails and says what to install.

use std::path::Path;
use std::process::Command;

use briefing::{BuildOptions, build_site};

const PIP: &str = "python3 -m pip install feedparser==6.0.14";

/// Parse each Atom file given with feedparser; fail on any bozo feed; print, per file, its
/// entry links in order.
const FEEDPARSER: &str = r#"
import sys, feedparser
for path in sys.argv[1:]:
    d = feedparser.parse(path)
    if d.bozo:
        sys.exit(f"{path}: {d.bozo_exception!r}")
    if d.version != "atom10":
        sys.exit(f"{path}: not Atom 1.0 but {d.version!r}")
    for e in d.entries:
        if not (e.get("id") and e.get("title") and e.get("link") and e.get("updated")):
            sys.exit(f"{path}: an entry lacks id, title, link or updated: {e}")
    print(path.rsplit("/public/", 1)[1], " ".join(e.link for e in d.entries))
print("checked")
"#;

#[test]
#[ignore = "needs python3 with feedparser 6.0.14 (pip, see .ci/run): cargo test --test browser -- --ignored"]
fn feeds_parse_in_feedparser_with_the_right_entries() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    crate::data::copy(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic"),
        &root,
    );
    let report = build_site(&BuildOptions::new(&root));
    assert!(report.success, "{:#?}", report.diagnostics);
    let out = root.join("public");
    let atoms: Vec<String> = walkdir::WalkDir::new(&out)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "atom.xml")
        .map(|e| e.path().display().to_string())
        .collect();
    assert!(atoms.len() > 10, "{atoms:?}");
    let run = Command::new("python3")
        .arg("-c")
        .arg(FEEDPARSER)
        .args(&atoms)
        .output()
        .unwrap_or_else(|e| panic!("this test needs python3 ({e}); then: {PIP}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        !text.contains("ModuleNotFoundError"),
        "this test needs Python packages: {PIP}\n{text}"
    );
    assert!(run.status.success() && text.contains("checked"), "{text}");
    let line = |feed: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{feed} ")))
            .unwrap_or_else(|| panic!("no {feed} in:\n{text}"))
            .to_string()
    };
    let u = "https://example.org/";
    assert_eq!(
        line("groups/northern-front/atom.xml"),
        format!(
            "{u}statements/ministry-blames-northern-front/ {u}incidents/border-ambush/ {u}incidents/depot-arson/"
        )
    );
    assert_eq!(
        line("tags/arson/atom.xml"),
        format!("{u}incidents/depot-arson/")
    );
}
