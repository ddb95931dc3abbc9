//! Trusting the output (issue 9): a build replaces only a folder it wrote, never the
//! site's sources, one build at a time, and nothing it leaves behind (a killed build's
//! staging folder, `check`'s scratch folder) outlives the next build or a signal.

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use briefing::build_site;
use briefing::output::MARKER;

use crate::support::*;

const HOME: &str = "---\ntitle: Home\n---\nHome.\n";

fn site() -> TestSite {
    let site = TestSite::new();
    site.write("content/pages/home.md", HOME);
    site
}

/// The one error of a failed build, with `code`, whose message contains every `part`.
#[track_caller]
fn refused(report: &briefing::BuildReport, code: &str, parts: &[&str]) {
    assert!(!report.success, "the build succeeded");
    let errs = errors(report);
    assert_eq!(errs.len(), 1, "{}", diagnostics_text(report));
    assert_eq!(errs[0].code, code, "{}", errs[0]);
    for part in parts {
        assert!(
            errs[0].message.contains(part),
            "{part:?} not in: {}",
            errs[0]
        );
    }
}

/// Names in `dir` starting with `prefix`.
fn names_starting(dir: &Path, prefix: &str) -> Vec<String> {
    fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix))
        .collect()
}

#[test]
fn output_reached_through_a_symlinked_root_or_output_cannot_replace_the_sources() {
    let site = site();
    let alias = tempfile::tempdir().expect("temp dir");
    let root_alias = alias.path().join("alias");
    symlink(site.root(), &root_alias).expect("symlink");
    // `--root alias -o site/content` and `--root site -o link/static`, `-o link/templates`.
    let cases = [
        (root_alias.clone(), site.root().join("content")),
        (root_alias.clone(), site.root().join("content/pages")),
        (site.root().to_path_buf(), root_alias.join("static")),
        (site.root().to_path_buf(), root_alias.join("templates/out")),
        (root_alias.clone(), site.root().join("briefing.toml")),
    ];
    for (root, output) in cases {
        let mut opts = site.options();
        opts.root = root;
        opts.output = Some(output.clone());
        let report = build_site(&opts);
        refused(
            &report,
            "E-output",
            &["would overwrite the site's own files"],
        );
    }
    assert_eq!(
        fs::read_to_string(site.root().join("content/pages/home.md")).expect("source"),
        HOME
    );
    assert!(site.root().join("briefing.toml").is_file());
    assert!(!site.root().join("static").exists());
}

#[test]
fn output_that_is_the_config_file_or_any_file_is_refused() {
    let site = site();
    let config = fs::read_to_string(site.root().join("briefing.toml")).expect("config");
    let mut opts = site.options();
    opts.output = Some(site.root().join("briefing.toml"));
    refused(&build_site(&opts), "E-output", &["`briefing.toml`"]);
    assert_eq!(
        fs::read_to_string(site.root().join("briefing.toml")).expect("config"),
        config
    );
    site.write("notes.txt", "mine");
    opts.output = Some(site.root().join("notes.txt"));
    opts.force = true;
    refused(&build_site(&opts), "E-output", &["is a file"]);
    assert_eq!(
        fs::read_to_string(site.root().join("notes.txt")).expect("notes"),
        "mine"
    );
    // Later builds still work.
    site.build_ok();
}

#[test]
fn folder_of_other_files_is_refused_naming_what_would_be_lost() {
    let site = site();
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let out = elsewhere.path().join("www");
    for file in [".git/HEAD", "CNAME", "a.txt", "b.txt", "c.txt"] {
        fs::create_dir_all(out.join(file).parent().expect("parent")).expect("mkdir");
        fs::write(out.join(file), "keep").expect("write");
    }
    let mut opts = site.options();
    opts.output = Some(out.clone());
    let report = build_site(&opts);
    refused(
        &report,
        "E-output",
        &[
            "holds files briefing did not write",
            "`.git`, `CNAME`, `a.txt`, ... (2 more)",
        ],
    );
    let help = errors(&report)[0].help.clone().unwrap_or_default();
    assert!(help.contains("--force"), "{help}");
    assert_eq!(
        fs::read_to_string(out.join(".git/HEAD")).expect("kept"),
        "keep"
    );
    assert_eq!(
        names_starting(elsewhere.path(), "").len(),
        1,
        "nothing beside it"
    );

    opts.force = true;
    assert!(build_site(&opts).success);
    assert!(!out.join(".git").exists());
    assert!(out.join(MARKER).is_file());
}

#[test]
fn empty_folders_and_earlier_outputs_are_replaced_without_force() {
    let site = site();
    fs::create_dir(site.out()).expect("mkdir");
    site.build_ok();
    assert!(site.out().join(MARKER).is_file(), "every output is marked");
    site.build_ok();

    // `public/` of a version before the marker.
    fs::remove_file(site.out().join(MARKER)).expect("rm marker");
    site.build_ok();

    // ... unless it holds what briefing never writes.
    fs::remove_file(site.out().join(MARKER)).expect("rm marker");
    site.write("public/CNAME", "example.org");
    refused(&site.build(), "E-output", &["`CNAME`"]);
    site.write("static/CNAME", "example.org");
    site.build_ok();
}

#[test]
fn leftovers_of_killed_builds_are_removed_by_the_next_build() {
    let site = site();
    site.build_ok();
    for dir in [
        ".public.briefing-tmp-4194000",
        ".public.briefing-tmp-4194001.old",
    ] {
        site.write(&format!("{dir}/index.html"), "stale");
    }
    site.write(".publicity/keep.txt", "not ours");
    site.build_ok();
    assert_eq!(names_starting(site.root(), ".public"), [".publicity"]);
}

#[test]
fn a_second_build_of_the_same_output_fails_cleanly() {
    let site = site();
    site.build_ok();
    let before = snapshot(&site.out());
    let lock_path = site.root().join(".public.briefing-lock");
    let lock = fs::File::create(&lock_path).expect("lock file");
    lock.lock().expect("lock");
    fs::write(&lock_path, "4242").expect("pid");
    refused(
        &site.build(),
        "E-output",
        &["another build is writing", "(pid 4242)"],
    );
    assert_same_files(&before, &snapshot(&site.out()));
    assert_eq!(
        names_starting(site.root(), ".public"),
        [".public.briefing-lock"]
    );
    drop(lock);
    fs::remove_file(&lock_path).expect("rm lock");
    site.build_ok();
    assert!(
        names_starting(site.root(), ".public").is_empty(),
        "lock removed"
    );
}

// ----- signals -----

/// A site big enough that the debug binary takes a while over it.
fn slow_site() -> TestSite {
    let site = site();
    for i in 0..1500 {
        site.write(
            &format!("content/incidents/incident-{i}.md"),
            &format!(
                "---\ntitle: Incident {i}\ndate: 2024-01-01\ntlp: red\nsummary: S.\n---\n{}\n",
                "Body text with `code` and [a link](https://example.org/). ".repeat(40)
            ),
        );
    }
    site
}

/// Wait until `found()` holds, then send `signal` to `child`; returns what `found()`
/// returned, and the exit code. Fails if the process ended before.
fn signal_when<T>(child: &mut Child, signal: &str, found: impl Fn() -> Option<T>) -> (T, i32) {
    let started = Instant::now();
    let value = loop {
        if let Some(v) = found() {
            break v;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the process ended ({status}) before it could be signalled");
        }
        assert!(started.elapsed() < Duration::from_secs(120), "timed out");
        std::thread::sleep(Duration::from_millis(2));
    };
    let pid = child.id().to_string();
    let killed = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = child.wait().expect("wait");
    (value, status.code().unwrap_or(-1))
}

#[test]
fn check_tlp_red_scratch_folder_is_private_and_removed_on_sigint() {
    let site = slow_site();
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut child = briefing()
        .args(["check", "--tlp", "red", "--root"])
        .arg(site.root())
        .env("TMPDIR", tmp.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let (mode, code) = signal_when(&mut child, "INT", || {
        let scratch = fs::read_dir(tmp.path()).ok()?.next()?.ok()?.path();
        Some(fs::metadata(scratch).ok()?.permissions().mode() & 0o777)
    });
    assert_eq!(mode, 0o700, "the scratch folder is private");
    assert_eq!(code, 130);
    assert!(
        names_starting(tmp.path(), "").is_empty(),
        "scratch folder left"
    );
}

#[test]
fn build_stopped_by_sigterm_leaves_the_previous_output_and_nothing_else() {
    let site = slow_site();
    site.build_ok();
    let before = snapshot(&site.out());
    // On a loaded machine the build may finish between seeing its staging folder and the
    // signal arriving (exit 0, a complete output): then try again, a few times.
    for _ in 0..5 {
        let mut child = briefing()
            .args(["build", "--tlp", "red", "--root"])
            .arg(site.root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        let root = site.root().to_path_buf();
        let (_, code) = signal_when(&mut child, "TERM", || {
            let staging = names_starting(&root, ".public.briefing-tmp-");
            (!staging.is_empty()).then_some(())
        });
        let left = names_starting(site.root(), ".public");
        assert!(left.is_empty(), "left beside the output: {left:?}");
        if code == 0 {
            continue;
        }
        assert_eq!(code, 143);
        assert_same_files(&before, &snapshot(&site.out()));
        return;
    }
    panic!("every build finished before SIGTERM reached it");
}
