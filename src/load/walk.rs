//! The walk of `content/`: every Markdown file with the kind of its folder, and the walk's
//! problems as diagnostics (the walk itself and its link policy are [`crate::source::walk`]).

use std::path::{Path, PathBuf};

use super::INTRO_FILE;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::Kind;
use crate::source::{Skip, WalkError, walk};

/// Every Markdown file of `content/`, sorted, with the kind of its folder. `_index.md` is
/// returned with kind `Page`. Walk errors and symlinks leaving the site are reported.
pub(super) fn walk_content(
    root: &Path,
    content: &Path,
    diags: &Diagnostics,
) -> Vec<(PathBuf, Kind)> {
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut files = Vec::new();
    for found in walk(content, &canonical_root, Skip::Hidden) {
        let found = match found {
            Ok(f) => f,
            Err(e) => {
                diags.push(walk_diagnostic(root, e));
                continue;
            }
        };
        let path = found.path.as_path();
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        if path.extension().and_then(|e| e.to_str()) != Some("md") {
            continue;
        }
        let inner = path.strip_prefix(content).unwrap_or(path);
        let mut comps = inner.components();
        let first = comps.next().and_then(|c| c.as_os_str().to_str());
        let nested = comps.next().is_some();
        match (first, nested) {
            (Some(INTRO_FILE), false) => files.push((rel.to_path_buf(), Kind::Page)),
            (Some(dir), true) if Kind::from_dir(dir).is_some() => {
                files.push((rel.to_path_buf(), Kind::from_dir(dir).unwrap_or(Kind::Page)));
            }
            _ => diags.push(
                Diagnostic::warning(
                    Code::UnknownFolder,
                    "this file is not in a content folder and is ignored",
                )
                .in_file(rel)
                .help("move it into one of `content/incidents/`, `groups/`, `actors/`, `statements/` or `pages/`"),
            ),
        }
    }
    files
}

/// A problem of the walk of `content/` as a diagnostic on the entry, relative to `root`.
fn walk_diagnostic(root: &Path, e: WalkError) -> Diagnostic {
    let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    match e {
        WalkError::Unreadable { path, error } => {
            let path = path.and_then(|p| p.strip_prefix(root).ok().map(Path::to_path_buf));
            let mut d =
                Diagnostic::error(Code::Read, format!("cannot read a content entry: {error}"))
                    .help("check the permissions of the file or folder");
            if let Some(p) = path {
                d = d.in_file(p);
            }
            d
        }
        WalkError::LinkToFolder { path } => Diagnostic::warning(
            Code::SymlinkDir,
            "symbolic links to folders are not followed",
        )
        .in_file(rel(&path))
        .help("move the files into `content/` or link each file"),
        WalkError::LinkOutside { path, target } => Diagnostic::error(
            Code::PathEscape,
            format!(
                "symbolic link points outside the site, to `{}`",
                target.display()
            ),
        )
        .in_file(rel(&path))
        .help("copy the file into the site instead of linking to it"),
        WalkError::BrokenLink { path, error } => {
            Diagnostic::error(Code::Read, format!("broken symbolic link: {error}"))
                .in_file(rel(&path))
                .help("remove the link or point it at a file inside the site")
        }
    }
}
