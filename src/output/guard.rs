//! Which folder a build may replace (issue 9): never the site's own files, never a file,
//! never a folder holding files briefing did not write.
//!
//! Paths are compared as the file system resolves them (symbolic links followed as far as
//! the path exists), so `--root alias -o site/content` or `-o link/static` is caught as well
//! as `-o content`. Every output carries a marker file, [`MARKER`]; a non-empty folder
//! without it is refused unless `--force`, naming what a build would delete.
//!
//! Migration: outputs of versions before the marker have none. The default `public/` of
//! the site is still accepted when it holds what only briefing writes (`search-index.json`
//! and `data/briefing.json`) and nothing briefing never writes (a hidden entry such as
//! `.git`, a file without an extension such as `CNAME`, unless `static/` has it too); any
//! other unmarked folder needs `--force` once.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::diag::{Code, Diagnostic, display_path};

/// The file written into every output, by which a later build knows the folder is its own.
pub const MARKER: &str = ".briefing-output";

/// The text of [`MARKER`].
pub const MARKER_TEXT: &str = "This folder is the output of `briefing build`. The next build \
replaces it as a whole: keep no other files here.\n";

/// How many entries of a refused folder are named.
const NAMED: usize = 3;

/// Check that `output` may be replaced by a build of the site at `root`, and return the
/// folder to write: `output` with symbolic links resolved, so that a link to the output
/// stays a link to the new output.
pub fn check_output_dir(root: &Path, output: &Path, force: bool) -> Result<PathBuf, Diagnostic> {
    let shown = display_path(output);
    let (root_abs, out_abs) = (absolute(root), absolute(output));
    let real_root = resolve(&root_abs);
    let real_out = resolve(&out_abs);
    let overwrite = |what: &str| {
        Diagnostic::error(
            Code::Output,
            format!("the output folder `{shown}` would overwrite the site's own files ({what})"),
        )
        .help("choose a folder of its own, e.g. `public/` (the default)")
    };
    // As written, then as resolved: an output that is (or is reached through) a link to the
    // root, a folder above it, or an input folder is that folder.
    let (lexical_root, lexical_out) = (normalise(&root_abs), normalise(&out_abs));
    if lexical_root.starts_with(&lexical_out) || real_root.starts_with(&real_out) {
        return Err(overwrite("the site root is inside it"));
    }
    for input in [
        crate::load::CONTENT_DIR,
        super::STATIC_DIR,
        crate::render::TEMPLATES_DIR,
    ] {
        let inside = lexical_out.starts_with(lexical_root.join(input))
            || real_out.starts_with(real_root.join(input))
            || real_out.starts_with(resolve(&real_root.join(input)));
        if inside {
            return Err(overwrite(&format!("`{input}/`")));
        }
    }
    if real_out == real_root.join(crate::config::CONFIG_FILE) {
        return Err(overwrite(&format!("`{}`", crate::config::CONFIG_FILE)));
    }
    let Ok(meta) = fs::symlink_metadata(&real_out) else {
        return Ok(real_out);
    };
    if !meta.is_dir() {
        return Err(Diagnostic::error(
            Code::Output,
            format!("the output `{shown}` is a file, not a folder"),
        )
        .help("choose a folder: a build replaces the output folder as a whole"));
    }
    if force || real_out.join(MARKER).is_file() {
        return Ok(real_out);
    }
    let entries = match entries(&real_out) {
        Ok(e) => e,
        Err(e) => {
            return Err(Diagnostic::error(
                Code::Output,
                format!("cannot read the output folder `{shown}`: {e}"),
            )
            .help("check the permissions of the folder"));
        }
    };
    if entries.is_empty() || earlier_output(&real_root, &real_out, &entries) {
        return Ok(real_out);
    }
    let mut named: Vec<String> = entries
        .iter()
        .take(NAMED)
        .map(|n| format!("`{n}`"))
        .collect();
    if entries.len() > NAMED {
        named.push(format!("... ({} more)", entries.len() - NAMED));
    }
    Err(Diagnostic::error(
        Code::Output,
        format!(
            "the output folder `{shown}` holds files briefing did not write, which a build \
             would delete: {}",
            named.join(", ")
        ),
    )
    .help("pass `--force` to replace it, or choose an empty folder"))
}

/// The names in `dir`, hidden ones (`.git`) first, then sorted.
fn entries(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut names = fs::read_dir(dir)?
        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<std::io::Result<Vec<String>>>()?;
    names.sort_by(|a, b| (!a.starts_with('.'), a).cmp(&(!b.starts_with('.'), b)));
    Ok(names)
}

/// Whether `out` is the site's default output as written by a version before the marker:
/// it holds what only briefing writes, and no hidden entry (`.git`) or file without an
/// extension (`CNAME`) that `static/` does not hold too; briefing writes neither.
fn earlier_output(root: &Path, out: &Path, entries: &[String]) -> bool {
    let foreign = |name: &String| {
        let path = out.join(name);
        let odd = name.starts_with('.') || (path.is_file() && !name.contains('.'));
        odd && !root.join(super::STATIC_DIR).join(name).exists()
    };
    out == root.join("public")
        // The search index: one file in those versions, a folder since issue 15.
        && (out.join("search-index.json").is_file()
            || out.join(crate::routes::SEARCH_MANIFEST).is_file())
        && out.join(crate::routes::DATA_JSON).is_file()
        && !entries.iter().any(foreign)
}

fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    }
}

/// `p` as the file system resolves it: the longest part that exists canonicalised
/// (symbolic links and `..` followed), the rest appended with `.` and `..` applied.
pub(crate) fn resolve(p: &Path) -> PathBuf {
    let parts: Vec<Component> = p.components().collect();
    for keep in (1..=parts.len()).rev() {
        let existing: PathBuf = parts[..keep].iter().collect();
        if let Ok(real) = existing.canonicalize() {
            return normalise(&parts[keep..].iter().fold(real, |acc, c| acc.join(c)));
        }
    }
    normalise(p)
}

/// `p` with `.` and `..` applied as written.
fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_follows_links_and_dots_as_the_file_system_does() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().canonicalize().unwrap();
        fs::create_dir_all(real.join("a/b")).unwrap();
        assert_eq!(resolve(&real.join("a/b/../c/d")), real.join("a/c/d"));
        assert_eq!(resolve(&real.join("x/../a")), real.join("a"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(real.join("a/b"), real.join("link")).unwrap();
            // `link/..` is `a`, not the folder holding the link.
            assert_eq!(resolve(&real.join("link/../out")), real.join("a/out"));
        }
    }
}
