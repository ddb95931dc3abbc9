//! Author tooling through the binary: `init`, `new`, `check`, help, version and exit codes.
//!
//! Every run sets `NO_COLOR=1`, so output is plain text whatever the terminal.

use crate::support::{briefing, run};

mod check;
mod init;
mod messages;
mod new;

/// `init DIR` in a fresh temporary folder; returns the folder (the site is `DIR/site`).
fn init_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run(briefing().arg("init").arg(dir.path().join("site")));
    assert_eq!(out.code, 0, "{}", out.stderr);
    dir
}
