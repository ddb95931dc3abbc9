//! One sorted walk of a site folder (`content/`, `templates/`, `static/`) with one
//! symbolic-link policy, used by every stage that lists a site folder.
//!
//! The policy: the folder itself may be a link (the caller checks it with
//! [`super::escapes_root`] first); inside it, a link is followed only to a file inside
//! `within` (the site root for `content/`, the folder itself for `static/` and
//! `templates/`); a link to a folder is not followed; a link leading out of `within`
//! or nowhere is an error. Every problem is yielded as a [`WalkError`], in walk order.

use std::ffi::OsStr;
use std::io;
use std::path::{Path, PathBuf};

use super::litter::{is_ignored, is_litter};

/// Which names a walk skips, besides the folder itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// Editor litter and every hidden name (`content/`, `templates/`).
    Hidden,
    /// Editor litter and version-control folders only (`static/`, which keeps
    /// `.well-known/`).
    Litter,
}

impl Skip {
    fn skips(self, name: &OsStr) -> bool {
        match self {
            Skip::Hidden => is_ignored(name),
            Skip::Litter => is_litter(name),
        }
    }
}

/// A file found by [`walk`]: a regular file, or a link to a file inside `within`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path as walked (under the walked folder, not resolved).
    pub path: PathBuf,
    /// Whether the path is a symbolic link (to a file inside `within`).
    pub linked: bool,
}

/// A problem met by [`walk`]. Paths are as walked (under the walked folder).
#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    /// A folder or entry could not be read.
    #[error("{error}")]
    Unreadable {
        /// The entry, when known.
        path: Option<PathBuf>,
        /// What the walk met.
        error: walkdir::Error,
    },
    /// A link to a folder inside `within`: not followed.
    #[error("symbolic links to folders are not followed")]
    LinkToFolder {
        /// The link.
        path: PathBuf,
    },
    /// A link leading out of `within`.
    #[error("symbolic link points to `{}`", target.display())]
    LinkOutside {
        /// The link.
        path: PathBuf,
        /// Where it really leads.
        target: PathBuf,
    },
    /// A link that leads nowhere (or cannot be resolved).
    #[error("broken symbolic link: {error}")]
    BrokenLink {
        /// The link.
        path: PathBuf,
        /// Why it could not be resolved.
        error: io::Error,
    },
}

/// Every file under `dir`, sorted by name, skipping what `skip` says, applying the link
/// policy of this module with links allowed to files inside `within` (a canonical path).
/// Folders and special files are passed over; every problem is yielded, none dropped.
pub fn walk(
    dir: &Path,
    within: &Path,
    skip: Skip,
) -> impl Iterator<Item = Result<SourceFile, WalkError>> {
    let within = within.to_path_buf();
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(move |e| e.depth() == 0 || !skip.skips(e.file_name()))
        .filter_map(move |entry| {
            let entry = match entry {
                Ok(e) => e,
                Err(error) => {
                    let path = error.path().map(Path::to_path_buf);
                    return Some(Err(WalkError::Unreadable { path, error }));
                }
            };
            let path = entry.path();
            if entry.file_type().is_symlink() {
                return match path.canonicalize() {
                    Ok(target) if !target.starts_with(&within) => {
                        Some(Err(WalkError::LinkOutside {
                            path: path.to_path_buf(),
                            target,
                        }))
                    }
                    Ok(target) if target.is_dir() => Some(Err(WalkError::LinkToFolder {
                        path: path.to_path_buf(),
                    })),
                    Ok(target) if target.is_file() => Some(Ok(SourceFile {
                        path: path.to_path_buf(),
                        linked: true,
                    })),
                    Ok(_) => None,
                    Err(error) => Some(Err(WalkError::BrokenLink {
                        path: path.to_path_buf(),
                        error,
                    })),
                };
            }
            entry.file_type().is_file().then(|| {
                Ok(SourceFile {
                    path: path.to_path_buf(),
                    linked: false,
                })
            })
        })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn walked(dir: &Path, within: &Path, skip: Skip) -> Vec<String> {
        walk(dir, within, skip)
            .map(|r| match r {
                Ok(f) => format!(
                    "file {}{}",
                    f.path.strip_prefix(dir).unwrap().display(),
                    if f.linked { " (link)" } else { "" }
                ),
                Err(WalkError::LinkToFolder { path }) => {
                    format!("folder link {}", path.strip_prefix(dir).unwrap().display())
                }
                Err(WalkError::LinkOutside { path, .. }) => {
                    format!("outside {}", path.strip_prefix(dir).unwrap().display())
                }
                Err(WalkError::BrokenLink { path, .. }) => {
                    format!("broken {}", path.strip_prefix(dir).unwrap().display())
                }
                Err(e) => format!("error {e}"),
            })
            .collect()
    }

    #[test]
    fn walks_sorted_with_the_link_policy_and_litter_skipped() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "x").unwrap();
        let dir = tmp.path().join("site");
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("b.md"), "b").unwrap();
        std::fs::write(dir.join("sub/a.md"), "a").unwrap();
        std::fs::write(dir.join(".hidden"), "h").unwrap();
        std::fs::write(dir.join("x.md~"), "litter").unwrap();
        symlink(dir.join("b.md"), dir.join("c.md")).unwrap();
        symlink(dir.join("sub"), dir.join("d")).unwrap();
        symlink(outside.path().join("secret"), dir.join("e")).unwrap();
        symlink(dir.join("nowhere"), dir.join("f")).unwrap();
        let within = dir.canonicalize().unwrap();
        assert_eq!(
            walked(&dir, &within, Skip::Hidden),
            [
                "file b.md",
                "file c.md (link)",
                "folder link d",
                "outside e",
                "broken f",
                "file sub/a.md"
            ]
        );
        assert!(walked(&dir, &within, Skip::Litter).contains(&"file .hidden".to_string()));
        assert!(!walked(&dir, &within, Skip::Litter).contains(&"file x.md~".to_string()));
    }
}
