//! Shared helpers: fixture sites in temporary folders, builds, and HTML queries.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use briefing::{BuildOptions, BuildReport, build_site};

/// A site in a temporary folder, deleted on drop.
pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    /// An empty site with a minimal `briefing.toml`.
    pub fn new() -> Self {
        let site = TestSite {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        site.write(
            "briefing.toml",
            "title = \"Test briefing\"\nbase_url = \"https://example.org/\"\n",
        );
        fs::create_dir_all(site.root().join("content")).expect("content dir");
        site
    }

    /// A copy of `tests/fixtures/<name>/`.
    pub fn fixture(name: &str) -> Self {
        let site = TestSite {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        copy_dir(&src, site.root());
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    /// Write a file (creating folders), relative to the site root.
    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
        self
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions::new(self.root())
    }

    /// Build with default options.
    pub fn build(&self) -> BuildReport {
        build_site(&self.options())
    }

    /// Build and fail the test on any error, printing all diagnostics.
    pub fn build_ok(&self) -> BuildReport {
        let report = self.build();
        assert!(
            report.success,
            "build failed:\n{}",
            report
                .diagnostics
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        );
        report
    }

    /// Read an output file, relative to the output folder.
    pub fn read_out(&self, rel: &str) -> String {
        fs::read_to_string(self.out().join(rel))
            .unwrap_or_else(|e| panic!("cannot read output `{rel}`: {e}"))
    }

    /// Parse an output page (`incidents/x/` means `incidents/x/index.html`).
    pub fn page(&self, rel: &str) -> scraper::Html {
        let file = if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        };
        scraper::Html::parse_document(&self.read_out(&file))
    }
}

/// Every `(attr value)` of elements matching `selector`.
pub fn attrs(doc: &scraper::Html, selector: &str, attr: &str) -> Vec<String> {
    let sel = scraper::Selector::parse(selector).expect("selector");
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// Text of every element matching `selector`, whitespace collapsed.
pub fn texts(doc: &scraper::Html, selector: &str) -> Vec<String> {
    let sel = scraper::Selector::parse(selector).expect("selector");
    doc.select(&sel)
        .map(|e| {
            e.text()
                .collect::<Vec<_>>()
                .join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Recursively copy a folder.
pub fn copy_dir(src: &Path, dst: &Path) {
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.expect("walk fixture");
        let rel = entry.path().strip_prefix(src).expect("prefix");
        let target = dst.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A snapshot of every file under `dir`: relative path -> bytes, sorted.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, fs::read(e.path()).expect("read"))
        })
        .collect();
    files.sort();
    files
}

/// Every diagnostic of a report, one per line, for assertion messages.
pub fn diagnostics_text(report: &BuildReport) -> String {
    report
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The diagnostics of a report that are errors.
pub fn errors(report: &BuildReport) -> Vec<&briefing::diag::Diagnostic> {
    report.diagnostics.iter().filter(|d| d.is_error()).collect()
}

/// Text of an element, whitespace collapsed.
pub fn text_of(e: scraper::ElementRef) -> String {
    e.text()
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text of an element as a sighted reader sees it: without `.visually-hidden` parts.
pub fn visible_text(e: scraper::ElementRef) -> String {
    let mut out = Vec::new();
    for node in e.descendants() {
        let hidden = node
            .ancestors()
            .filter_map(scraper::ElementRef::wrap)
            .any(|a| a.value().classes().any(|c| c == "visually-hidden"));
        if let scraper::Node::Text(t) = node.value()
            && !hidden
        {
            out.push(t.to_string());
        }
    }
    out.join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `href` of every link inside the `<section>` whose own first heading (`h2`..`h4`)
/// starts with `heading`; panics when there is no such section.
pub fn section_links(doc: &scraper::Html, heading: &str) -> Vec<String> {
    let sections = scraper::Selector::parse("section").expect("selector");
    let headings = scraper::Selector::parse("h2, h3, h4").expect("selector");
    let links = scraper::Selector::parse("a[href]").expect("selector");
    for section in doc.select(&sections) {
        let Some(h) = section.select(&headings).next() else {
            continue;
        };
        if visible_text(h).starts_with(heading) {
            return section
                .select(&links)
                .filter_map(|a| a.value().attr("href").map(str::to_string))
                .collect();
        }
    }
    panic!(
        "no section headed {heading:?}; headings: {:?}",
        texts(doc, "section h2, section h3")
    );
}

/// The `href` of every link in the `<dd>` that follows the `<dt>` whose text is `label`;
/// panics when there is no such term.
pub fn fact_links(doc: &scraper::Html, label: &str) -> Vec<String> {
    let dts = scraper::Selector::parse("dt").expect("selector");
    let links = scraper::Selector::parse("a[href]").expect("selector");
    for dt in doc.select(&dts) {
        if text_of(dt) != label {
            continue;
        }
        let dd = dt
            .next_siblings()
            .filter_map(scraper::ElementRef::wrap)
            .find(|e| e.value().name() == "dd")
            .unwrap_or_else(|| panic!("`<dt>{label}</dt>` has no `<dd>`"));
        return dd
            .select(&links)
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect();
    }
    panic!("no `<dt>{label}</dt>`; terms: {:?}", texts(doc, "dt"));
}

/// Every file under `dir` with the extension `ext`, relative to `dir`, sorted.
pub fn files_with_extension(dir: &Path, ext: &str) -> Vec<String> {
    snapshot(dir)
        .into_iter()
        .map(|(rel, _)| rel)
        .filter(|rel| rel.ends_with(&format!(".{ext}")))
        .collect()
}

/// Assert two snapshots are identical, naming the first file that differs.
pub fn assert_same_files(before: &[(String, Vec<u8>)], after: &[(String, Vec<u8>)]) {
    let names = |s: &[(String, Vec<u8>)]| s.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(before),
        names(after),
        "the output has different files"
    );
    for ((name, a), (_, b)) in before.iter().zip(after) {
        assert!(a == b, "`{name}` differs between the two outputs");
    }
}

/// The `briefing` binary, without colour (`NO_COLOR=1`), for CLI-level tests.
pub fn briefing() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_briefing"));
    cmd.env("NO_COLOR", "1");
    cmd
}

/// What a run of the binary printed, and its exit code.
#[derive(Debug)]
pub struct RunOutput {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Run a command to the end.
pub fn run(cmd: &mut std::process::Command) -> RunOutput {
    let out = cmd.output().expect("run the briefing binary");
    RunOutput {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Every place under `dir` where `needle` occurs, ASCII case-insensitively, in a file's
/// path or contents, as `path: WORD` with the whole word that holds it, so a failure says
/// what leaked (`incidents/x/index.html: CANARY-AMBER-INCIDENT-TITLE`).
pub fn occurrences(dir: &Path, needle: &str) -> Vec<String> {
    let needle = needle.to_ascii_lowercase();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'+' | b'.');
    let mut found = Vec::new();
    for (rel, bytes) in snapshot(dir) {
        if rel.to_ascii_lowercase().contains(&needle) {
            found.push(format!("{rel}: (in the file name)"));
        }
        let lower = bytes.to_ascii_lowercase();
        let mut words = std::collections::BTreeSet::new();
        let mut from = 0;
        while let Some(i) = lower[from..]
            .windows(needle.len())
            .position(|w| w == needle.as_bytes())
        {
            let at = from + i;
            let start = bytes[..at]
                .iter()
                .rposition(|&b| !is_word(b))
                .map_or(0, |p| p + 1);
            let end = bytes[at..]
                .iter()
                .position(|&b| !is_word(b))
                .map_or(bytes.len(), |p| at + p);
            words.insert(String::from_utf8_lossy(&bytes[start..end]).into_owned());
            from = at + needle.len();
        }
        found.extend(words.into_iter().map(|w| format!("{rel}: {w}")));
    }
    found
}

/// A moment as `BuildOptions::now` takes it, from RFC 3339 text.
pub fn moment(text: &str) -> jiff::Timestamp {
    text.parse().expect("RFC 3339 moment")
}

/// The diagnostics of a report with this code.
pub fn with_code<'a>(report: &'a BuildReport, code: &str) -> Vec<&'a briefing::diag::Diagnostic> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .collect()
}
