//! The served folder and the files of one rebuild waiting to go into it.
//!
//! A rebuild writes each file whose bytes changed into a pending folder beside the served
//! one (same file system), and moves them in with `rename` only when the whole rebuild
//! succeeded: a request reads either the old file or the new one, never half of one, and
//! a failed rebuild leaves the served folder exactly as it was. A body-only rebuild (a page
//! and a few shards) holds its files in memory instead and writes each, at the commit,
//! into the pending folder just before moving it in. The first build has no served folder
//! yet: its pending folder becomes the served one in a single `rename`.

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

/// The files of one rebuild, written into `dir` as they come (from many threads), or held
/// in memory until the commit (a rebuild of a few files: fewer operations on the disk,
/// which wait for its journal while other processes write).
pub(super) struct Pending {
    dir: PathBuf,
    files: Mutex<Vec<String>>,
    held: Option<Mutex<Vec<Held>>>,
}

/// A file held in memory: its path in the site and its bytes.
type Held = (String, Vec<u8>);

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
            held: None,
        })
    }

    /// Pending files held in memory; at the commit each is written into `dir` (flat, by
    /// number) and moved from there into place.
    pub(super) fn held(dir: PathBuf) -> Pending {
        Pending {
            dir,
            files: Mutex::new(Vec::new()),
            held: Some(Mutex::new(Vec::new())),
        }
    }

    /// Write `bytes` as the new version of the output file `rel`.
    pub(super) fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        if let Some(held) = &self.held {
            checked(rel)?;
            let mut held = held.lock().unwrap_or_else(|e| e.into_inner());
            held.push((rel.to_string(), bytes.to_vec()));
            return Ok(());
        }
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
        match &self.held {
            Some(held) => held.lock().unwrap_or_else(|e| e.into_inner()).len(),
            None => self.files.lock().unwrap_or_else(|e| e.into_inner()).len(),
        }
    }

    /// Move every file into `site`, then remove `removed` from it (and the folders this
    /// empties); gives the files moved in, sorted.
    pub(super) fn commit(self, site: &Path, removed: &[String]) -> io::Result<Vec<String>> {
        if let Some(held) = self.held {
            let mut held = held.into_inner().unwrap_or_else(|e| e.into_inner());
            held.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            if !held.is_empty() {
                fs::create_dir_all(&self.dir)?;
            }
            for (n, (rel, bytes)) in held.iter().enumerate() {
                let to = site.join(checked(rel)?);
                if let Some(parent) = to.parent() {
                    fs::create_dir_all(parent)?;
                }
                let from = self.dir.join(format!(".held-{n}"));
                fs::write(&from, bytes)?;
                fs::rename(&from, &to)?;
            }
            remove(site, removed)?;
            return Ok(held.into_iter().map(|(rel, _)| rel).collect());
        }
        let mut files = self.files.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_unstable();
        // The first build: the pending folder becomes the served one in one move, rather
        // than one per file (which, on a disk, can take longer than the build).
        if !site.exists() && removed.is_empty() {
            if let Some(parent) = site.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::rename(&self.dir, site)?;
            return Ok(files);
        }
        for rel in &files {
            let to = site.join(checked(rel)?);
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::rename(self.dir.join(rel), &to)?;
        }
        remove(site, removed)?;
        let _ = fs::remove_dir_all(&self.dir);
        Ok(files)
    }

    /// Drop every waiting file.
    pub(super) fn discard(self) {
        if self.held.is_none() {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Remove `removed` from `site`, and the folders this empties.
fn remove(site: &Path, removed: &[String]) -> io::Result<()> {
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
    Ok(())
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
    fn held_files_move_in_on_commit_only() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        fs::create_dir_all(site.join("a")).unwrap();
        fs::write(site.join("a/index.html"), "old").unwrap();
        fs::write(site.join("gone.json"), "x").unwrap();
        let pending = Pending::held(tmp.path().join("pending"));
        pending.put("b/index.html", b"new b").unwrap();
        pending.put("a/index.html", b"new a").unwrap();
        assert!(pending.put("../x", b"no").is_err());
        assert_eq!(pending.len(), 2);
        assert_eq!(fs::read(site.join("a/index.html")).unwrap(), b"old");
        assert!(!site.join("b").exists());
        let moved = pending.commit(&site, &["gone.json".to_string()]).unwrap();
        assert_eq!(moved, ["a/index.html", "b/index.html"]);
        assert_eq!(fs::read(site.join("a/index.html")).unwrap(), b"new a");
        assert_eq!(fs::read(site.join("b/index.html")).unwrap(), b"new b");
        assert!(!site.join("gone.json").exists());
        let left: Vec<_> = fs::read_dir(tmp.path().join("pending")).unwrap().collect();
        assert!(left.is_empty(), "nothing is left in the pending folder");

        let discarded = Pending::held(tmp.path().join("pending"));
        discarded.put("a/index.html", b"never").unwrap();
        discarded.discard();
        assert_eq!(fs::read(site.join("a/index.html")).unwrap(), b"new a");
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

    #[test]
    fn the_first_commit_moves_the_whole_pending_folder_in() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        let pending = Pending::create(tmp.path().join("pending")).unwrap();
        pending.put("b/index.html", b"b").unwrap();
        pending.put("a/deep/index.html", b"a").unwrap();
        assert!(!site.exists(), "nothing is served before the commit");
        #[cfg(unix)]
        let inode = |p: &Path| std::os::unix::fs::MetadataExt::ino(&fs::metadata(p).unwrap());
        #[cfg(unix)]
        let before = inode(&tmp.path().join("pending"));
        let moved = pending.commit(&site, &[]).unwrap();
        #[cfg(unix)]
        assert_eq!(inode(&site), before, "the folder itself was moved");
        assert_eq!(moved, ["a/deep/index.html", "b/index.html"]);
        assert_eq!(fs::read(site.join("a/deep/index.html")).unwrap(), b"a");
        assert_eq!(fs::read(site.join("b/index.html")).unwrap(), b"b");
        assert!(!tmp.path().join("pending").exists());
        // The next rebuild starts from an empty pending folder and moves files one by one.
        let next = Pending::create(tmp.path().join("pending")).unwrap();
        next.put("b/index.html", b"b2").unwrap();
        assert_eq!(next.commit(&site, &[]).unwrap(), ["b/index.html"]);
        assert_eq!(fs::read(site.join("b/index.html")).unwrap(), b"b2");
        assert_eq!(fs::read(site.join("a/deep/index.html")).unwrap(), b"a");
    }
}
