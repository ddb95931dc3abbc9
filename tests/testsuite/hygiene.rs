//! The crate's own housekeeping, as a new contributor meets it: every dependency is used,
//! no source or test file is over 600 lines.

use std::fs;
use std::path::Path;

/// Names of the `[dependencies]` of `Cargo.toml`, as written there.
fn dependencies(manifest: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut inside = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line == "[dependencies]";
            continue;
        }
        if inside && let Some((name, _)) = line.split_once('=') {
            let name = name.trim();
            if !name.is_empty() && !name.starts_with('#') {
                names.push(name.to_string());
            }
        }
    }
    names
}

/// Every `.rs` file under `dir`, concatenated.
fn sources(dir: &Path) -> String {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| fs::read_to_string(e.path()).expect("read source"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_dependency_is_used_by_the_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = fs::read_to_string(root.join("Cargo.toml")).expect("Cargo.toml");
    let deps = dependencies(&manifest);
    assert!(deps.len() > 10, "parsed too few dependencies: {deps:?}");
    let code = sources(&root.join("src"));
    let unused: Vec<&String> = deps
        .iter()
        .filter(|name| {
            let ident = name.replace('-', "_");
            // Used as a path (`ident::`), imported, or as an attribute's crate.
            ![
                format!("{ident}::"),
                format!("use {ident}"),
                format!("{ident}!"),
            ]
            .iter()
            .any(|needle| code.contains(needle.as_str()))
        })
        .collect();
    assert!(
        unused.is_empty(),
        "dependencies that no code under src/ uses (remove them from Cargo.toml): {unused:?}"
    );
}

/// `cargo test` on a machine with only a Rust toolchain: every test that needs an outside
/// tool (Chromium, Java) is ignored by default with the reason shown, and CI runs them
/// with `--ignored`.
#[test]
fn tests_needing_outside_tools_are_ignored_with_a_reason() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let mut tests = 0;
    for entry in fs::read_dir(&dir).expect("tests/browser") {
        let path = entry.expect("entry").path();
        let text = fs::read_to_string(&path).expect("read test file");
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        for (i, line) in lines.iter().enumerate() {
            if *line == "#[test]" {
                tests += 1;
                let next = lines.get(i + 1).copied().unwrap_or("");
                assert!(
                    next.starts_with("#[ignore = \"needs "),
                    "{}:{}: a test that needs an outside tool must be `#[ignore = \"needs ...\"]`, found `{next}`",
                    path.display(),
                    i + 2
                );
            }
        }
    }
    assert!(
        tests >= 4,
        "expected the browser and validator tests, found {tests}"
    );
    let ci =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/run")).expect(".ci/run");
    assert!(
        ci.contains("cargo test --test browser -- --ignored"),
        ".ci/run must run the ignored browser tests for real"
    );
}

#[test]
fn no_source_file_is_over_600_lines() {
    // The house rule: a file of the crate that grows past 600 lines is split by job, tests
    // (split by topic) included.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut long = Vec::new();
    for dir in ["src", "examples", "benches", "tests"] {
        for entry in walkdir::WalkDir::new(root.join(dir)).sort_by_file_name() {
            let entry = entry.expect("a readable tree");
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "rs") {
                let lines = fs::read_to_string(path)
                    .expect("a source file")
                    .lines()
                    .count();
                if lines > 600 {
                    long.push(format!("{} ({lines} lines)", path.display()));
                }
            }
        }
    }
    assert!(long.is_empty(), "split these files by job: {long:?}");
}
