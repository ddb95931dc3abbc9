//! The served folder and the files of one rebuild waiting to go into it.
//!
//! A rebuild writes each file whose bytes changed into a pending folder beside the served
//! one (same file system), and moves them in with `rename` only when the whole rebuild
//! succeeded: a request reads either the old file or the new one, never half of one, and
//! a failed rebuild leaves the served folder exactly as it was.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// A hash of a file's bytes: what tells a changed output from an unchanged one.
pub(super) type Digest = u128;

/// The digest of `bytes`.
pub(super) fn digest(bytes: &[u8]) -> Digest {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// `rel` (an output path such as `incidents/x/index.html`) as a relative path, refused
/// when it is not plain (no root, no `..`).
fn checked(rel: &str) -> io::Result<PathBuf> {
    let path = Path::new(rel);
    let plain = !rel.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)));
    if plain {
        Ok(path.to_path_buf())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("not a plain relative path: `{rel}`"),
        ))
    }
}

/// The files of one rebuild, written into `dir` as they come (from many threads).
pub(super) struct Pending {
    dir: PathBuf,
    files: Mutex<Vec<String>>,
}

impl Pending {
    /// An empty pending folder at `dir` (what a previous rebuild left there is removed).
    pub(super) fn create(dir: PathBuf) -> io::Result<Pending> {
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        Ok(Pending {
            dir,
            files: Mutex::new(Vec::new()),
        })
    }

    /// Write `bytes` as the new version of the output file `rel`.
    pub(super) fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.dir.join(checked(rel)?);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, bytes)?;
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(rel.to_string());
        Ok(())
    }

    /// How many files are waiting.
    pub(super) fn len(&self) -> usize {
        self.files.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Move every file into `site`, then remove `removed` from it (and the folders this
    /// empties); gives the files moved in, sorted.
    pub(super) fn commit(self, site: &Path, removed: &[String]) -> io::Result<Vec<String>> {
        let mut files = self.files.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_unstable();
        for rel in &files {
            let to = site.join(checked(rel)?);
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::rename(self.dir.join(rel), &to)?;
        }
        for rel in removed {
            let path = site.join(checked(rel)?);
            match fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
            // Folders left empty go too, as a cold build would not have them.
            let mut dir = path.parent();
            while let Some(d) = dir.filter(|d| *d != site) {
                if fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
        }
        let _ = fs::remove_dir_all(&self.dir);
        Ok(files)
    }

    /// Drop every waiting file.
    pub(super) fn discard(self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_written() {
        assert!(checked("incidents/x/index.html").is_ok());
        for bad in ["", "/etc/passwd", "../x", "a/../../x"] {
            assert!(checked(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn files_move_in_on_commit_and_removed_folders_go() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        fs::create_dir_all(site.join("old/deep")).unwrap();
        fs::write(site.join("old/deep/index.html"), "old").unwrap();
        let pending = Pending::create(tmp.path().join("pending")).unwrap();
        pending.put("new/index.html", b"new").unwrap();
        assert_eq!(pending.len(), 1);
        assert!(!site.join("new/index.html").exists());
        let moved = pending
            .commit(&site, &["old/deep/index.html".to_string()])
            .unwrap();
        assert_eq!(moved, ["new/index.html"]);
        assert_eq!(fs::read(site.join("new/index.html")).unwrap(), b"new");
        assert!(!site.join("old").exists());
        assert!(!tmp.path().join("pending").exists());
    }
}
