//! `static/`, copied as it is into the output, after everything generated (issue 9):
//!
//! - a symbolic link is followed only when it resolves to a file inside `static/` itself;
//!   one leading anywhere else, even elsewhere in the site (`../.git/config`, a TLP:RED
//!   file of `content/`), is `E-path-escape` naming the link and its target;
//! - a file that would replace a generated one (a page, `search-index.json`, a theme file)
//!   is `E-output-collision` naming both;
//! - editor and OS litter and version-control folders are skipped (see
//!   [`crate::source::litter`]); other hidden names, such as `.well-known/`, are published.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use super::staging::Staging;
use crate::diag::{Code, Diagnostic, Diagnostics, display_path};
use crate::source::{Skip, WalkError, escapes_root, walk};

/// The folder copied as it is into the output.
pub const STATIC_DIR: &str = "static";

/// The files a build generates, by output path, that `static/` may not replace.
#[derive(Debug, Default)]
pub struct Generated<'a> {
    files: HashSet<&'a str>,
    dirs: HashSet<&'a str>,
}

impl<'a> Generated<'a> {
    /// The output paths of `files` (`incidents/x/index.html`) and the folders they are in.
    pub fn new(files: impl IntoIterator<Item = &'a str>) -> Generated<'a> {
        let mut generated = Generated::default();
        for file in files {
            let mut path = file;
            while let Some((parent, _)) = path.rsplit_once('/') {
                if !generated.dirs.insert(parent) {
                    break;
                }
                path = parent;
            }
            generated.files.insert(file);
        }
        generated
    }

    /// Why the static file at `rel` would clash with a generated file, if it would.
    fn clash(&self, rel: &str) -> Option<String> {
        if self.files.contains(rel) {
            return Some(format!("would overwrite the generated `{rel}`"));
        }
        if self.dirs.contains(rel) {
            return Some(format!("would replace the generated folder `{rel}/`"));
        }
        let mut path = rel;
        while let Some((parent, _)) = path.rsplit_once('/') {
            if self.files.contains(parent) {
                return Some(format!(
                    "needs a folder where the generated file `{parent}` is"
                ));
            }
            path = parent;
        }
        None
    }
}

/// Copy `static/` into the staging folder; returns how many files were copied.
pub fn copy_static(
    root: &Path,
    staging: &Staging,
    generated: &Generated<'_>,
    diags: &Diagnostics,
) -> usize {
    copy_static_with(
        root,
        &|rel, bytes| staging.write(rel, bytes),
        generated,
        diags,
    )
}

/// [`copy_static`] into `put`, called with each file's output path and bytes (serve's
/// incremental rebuilds copy only the files that changed).
pub fn copy_static_with(
    root: &Path,
    put: &dyn Fn(&str, &[u8]) -> std::io::Result<()>,
    generated: &Generated<'_>,
    diags: &Diagnostics,
) -> usize {
    let dir = root.join(STATIC_DIR);
    if !dir.is_dir() {
        return 0;
    }
    if let Some(target) = escapes_root(root, &dir) {
        diags.push(crate::load::path_escape(Path::new(STATIC_DIR), &target));
        return 0;
    }
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let Ok(real_static) = dir.canonicalize() else {
        return 0;
    };
    if let Some(d) = linked_elsewhere(&real_root, &real_static) {
        diags.push(d);
        return 0;
    }
    let mut copied = 0;
    for found in walk(&dir, &real_static, Skip::Litter) {
        let found = match found {
            Ok(f) => f,
            Err(e) => {
                diags.push(walk_diagnostic(&dir, &real_root, e));
                continue;
            }
        };
        let Ok(rel) = found.path.strip_prefix(&dir) else {
            continue;
        };
        let shown = Path::new(STATIC_DIR).join(rel);
        let rel_str = display_path(rel);
        if let Some(why) = generated.clash(&rel_str) {
            diags.push(
                Diagnostic::error(
                    Code::OutputCollision,
                    format!("`{}` {why}", display_path(&shown)),
                )
                .in_file(shown)
                .help(
                    "rename or remove the file; to replace a theme file such as `style.css`, \
                     put your version in `templates/`",
                ),
            );
            continue;
        }
        let result = fs::read(&found.path).and_then(|bytes| put(&rel_str, &bytes));
        match result {
            Ok(()) => copied += 1,
            Err(e) => diags.push(
                Diagnostic::error(Code::Write, format!("cannot copy the file: {e}"))
                    .in_file(shown)
                    .help("check the permissions and free space"),
            ),
        }
    }
    copied
}

/// A problem of the walk of `static/` as a diagnostic.
fn walk_diagnostic(dir: &Path, real_root: &Path, e: WalkError) -> Diagnostic {
    let shown = |p: &Path| Path::new(STATIC_DIR).join(p.strip_prefix(dir).unwrap_or(p));
    match e {
        WalkError::Unreadable { error, .. } => {
            Diagnostic::error(Code::Read, format!("cannot read `static/`: {error}"))
                .in_file(STATIC_DIR)
                .help("check the permissions of the folder")
        }
        WalkError::LinkToFolder { path } => Diagnostic::warning(
            Code::SymlinkDir,
            "symbolic links to folders are not followed",
        )
        .in_file(shown(&path))
        .help("move the files into `static/` or link each file"),
        WalkError::LinkOutside { path, target } => {
            link_out_of_static(&shown(&path), real_root, &target)
        }
        WalkError::BrokenLink { path, error } => {
            Diagnostic::error(Code::Read, format!("broken symbolic link: {error}"))
                .in_file(shown(&path))
                .help("remove the link or point it at a file inside `static/`")
        }
    }
}

/// A link in `static/` that leads out of it: `E-path-escape`, naming the target relative to
/// the root when it is inside the site.
fn link_out_of_static(shown: &Path, real_root: &Path, target: &Path) -> Diagnostic {
    let (target, inside) = match target.strip_prefix(real_root) {
        Ok(rel) => (display_path(rel), true),
        Err(_) => (display_path(target), false),
    };
    let message = if inside {
        format!(
            "symbolic link leads out of `static/`, to `{target}`; only files inside `static/` are published"
        )
    } else {
        format!("symbolic link points outside the site, to `{target}`")
    };
    Diagnostic::error(Code::PathEscape, message)
        .in_file(shown)
        .help("copy the file into `static/` instead of linking to it")
}

/// `static/` as a link to another folder of the site: refused when that folder is the root,
/// holds or lies in `content/` or `templates/`, or is version-control data.
fn linked_elsewhere(real_root: &Path, real_static: &Path) -> Option<Diagnostic> {
    if real_static == real_root.join(STATIC_DIR) {
        return None;
    }
    let private: Vec<PathBuf> = [crate::load::CONTENT_DIR, crate::render::TEMPLATES_DIR]
        .iter()
        .map(|d| real_root.join(d))
        .collect();
    let refused = real_static == real_root
        || real_static.starts_with(real_root.join(".git"))
        || private
            .iter()
            .any(|p| p.starts_with(real_static) || real_static.starts_with(p));
    refused.then(|| {
        let target = real_static
            .strip_prefix(real_root)
            .map(display_path)
            .unwrap_or_else(|_| display_path(real_static));
        Diagnostic::error(
            Code::PathEscape,
            format!("`static/` is a symbolic link to `{target}/`, which is not published as it is"),
        )
        .in_file(STATIC_DIR)
        .help("make `static/` a folder holding only the files to publish")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clashes_with_generated_files_and_folders_are_named() {
        let generated = Generated::new(["index.html", "incidents/a/index.html", "data/x.json"]);
        assert!(generated.clash("robots.txt").is_none());
        assert!(generated.clash("incidents/a/photo.jpg").is_none());
        assert!(generated.clash("index.html").is_some());
        assert!(generated.clash("incidents/a").is_some());
        assert!(generated.clash("data/x.json/y").is_some());
    }
}
