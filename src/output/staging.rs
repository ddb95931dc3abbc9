//! The staging folder a build writes into, beside the output, and the swap that makes it
//! the output (issue 9).
//!
//! - One build per output at a time: a lock file beside the output (`.public.briefing-lock`,
//!   holding the builder's process id) is locked with an OS advisory lock, released by the
//!   OS when the process dies however it dies. A second build fails at once with `E-output`
//!   and writes nothing.
//! - Holding the lock, a build first removes the staging and `.old` folders that earlier
//!   builds of the same output left when they were killed (`.public.briefing-tmp-*`).
//! - The staging folder is readable by its owner only (0700) while it is written, since it
//!   may hold a `--tlp red` build; the swap gives it the permissions a new folder gets
//!   (the umask's), so a deploy sees a normal folder.
//! - It is registered with [`super::scratch`], so SIGINT and SIGTERM remove it, and it is
//!   removed when dropped without [`Staging::commit`].
//! - Once the new output is in place the build has succeeded: failing to remove the old
//!   one is reported back (a warning), and the next build removes it.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};

use super::guard::{MARKER, MARKER_TEXT};
use super::scratch;
use crate::diag::{Code, Diagnostic, display_path};

/// A build's output being written; becomes the output folder on [`Staging::commit`].
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    /// Mode bits the folder gets on commit (unix).
    mode: Option<u32>,
    committed: bool,
    /// Held until the staging folder is committed or removed; dropped after it.
    _lock: OutputLock,
}

/// What a successful swap left behind.
#[derive(Debug)]
pub struct Committed {
    /// The previous output, moved aside but not removed, and why.
    pub leftover: Option<(PathBuf, io::Error)>,
}

impl Staging {
    /// Lock `target` (a folder, which [`super::check_output_dir`] has approved), remove
    /// what killed builds of it left, and create an empty staging folder beside it holding
    /// the output marker. `shown` is the output as the user wrote it, for messages.
    pub fn create(target: &Path, shown: &Path) -> Result<Staging, Diagnostic> {
        let write_error = |e: io::Error| {
            Diagnostic::error(
                Code::Write,
                format!(
                    "cannot create the output folder beside `{}`: {e}",
                    display_path(shown)
                ),
            )
            .help("check the permissions of the output's parent folder")
        };
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(write_error)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let lock = OutputLock::acquire(&parent.join(format!(".{name}.briefing-lock"))).map_err(
            |e| match e {
                LockError::Busy(pid) => {
                    let by = pid.map(|p| format!(" (pid {p})")).unwrap_or_default();
                    Diagnostic::error(
                        Code::Output,
                        format!("another build is writing `{}`{by}", display_path(shown)),
                    )
                    .help("wait for it to finish, or stop it, then build again")
                }
                LockError::Io(e) => write_error(e),
            },
        )?;
        let prefix = format!(".{name}.briefing-tmp-");
        remove_leftovers(&parent, &prefix);
        let dir = parent.join(format!("{prefix}{}", std::process::id()));
        scratch::create_registered(&dir, |d| fs::create_dir(d)).map_err(write_error)?;
        let mut staging = Staging {
            dir,
            target: target.to_path_buf(),
            mode: None,
            committed: false,
            _lock: lock,
        };
        staging.mode = private(&staging.dir).map_err(write_error)?;
        fs::write(staging.dir.join(MARKER), MARKER_TEXT).map_err(write_error)?;
        Ok(staging)
    }

    /// The staging folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Write `bytes` at `rel` inside the staging folder, creating parent folders.
    /// `rel` must be a plain relative path (no `..`, no root).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.dir.join(checked(rel)?);
        scratch::creating(|| {
            if let Some(parent) = path.parent()
                && parent != self.dir
            {
                fs::create_dir_all(parent)?;
            }
            fs::write(&path, bytes)
        })
    }

    /// Create the file `rel` inside the staging folder for streaming into, creating its
    /// parent folders. `rel` must be a plain relative path.
    pub fn create_file(&self, rel: &str) -> io::Result<fs::File> {
        let path = self.dir.join(checked(rel)?);
        scratch::creating(|| {
            if let Some(parent) = path.parent()
                && parent != self.dir
            {
                fs::create_dir_all(parent)?;
            }
            fs::File::create(&path)
        })
    }

    /// Create every folder that `files` (paths relative to the staging folder) live in,
    /// each exactly once, parents before children and each level in parallel, so that
    /// [`Staging::write_file`] never has to create or check a folder. Returns how many
    /// folders were created.
    pub fn create_dirs<'p>(&self, files: impl IntoIterator<Item = &'p str>) -> io::Result<usize> {
        use rayon::prelude::*;
        let mut dirs: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for file in files {
            let mut path = file;
            while let Some((parent, _)) = path.rsplit_once('/') {
                if !dirs.insert(parent) {
                    break;
                }
                path = parent;
            }
        }
        let mut by_depth: Vec<Vec<&str>> = Vec::new();
        for dir in &dirs {
            checked(dir)?;
            let depth = dir.matches('/').count();
            if by_depth.len() <= depth {
                by_depth.resize_with(depth + 1, Vec::new);
            }
            by_depth[depth].push(dir);
        }
        for level in &by_depth {
            level.par_iter().try_for_each(|dir| {
                match scratch::creating(|| fs::create_dir(self.dir.join(dir))) {
                    Err(e) if e.kind() != io::ErrorKind::AlreadyExists => Err(e),
                    _ => Ok(()),
                }
            })?;
        }
        Ok(dirs.len())
    }

    /// Write `bytes` at `rel` inside the staging folder, whose folder must exist (see
    /// [`Staging::create_dirs`]). `rel` must be a plain relative path.
    pub fn write_file(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.dir.join(checked(rel)?);
        scratch::creating(|| fs::write(&path, bytes))
    }

    /// Swap the staging folder in as the output: the old output is moved aside, the new
    /// one renamed into place, then the old one removed. An error means the previous
    /// output is still in place.
    pub fn commit(self) -> io::Result<Committed> {
        self.commit_with(remove_tree)
    }

    fn commit_with(
        mut self,
        remove: impl FnOnce(&Path) -> io::Result<()>,
    ) -> io::Result<Committed> {
        let old = self.dir.with_file_name(format!(
            "{}.old",
            self.dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        {
            // A signal waits for the swap to end (see `scratch`).
            let mut live = scratch::live();
            restore_mode(&self.dir, self.mode)?;
            let had_old = fs::symlink_metadata(&self.target).is_ok();
            if had_old {
                fs::rename(&self.target, &old)?;
            }
            if let Err(e) = fs::rename(&self.dir, &self.target) {
                if had_old && let Err(back) = fs::rename(&old, &self.target) {
                    return Err(io::Error::new(
                        e.kind(),
                        format!(
                            "{e}; the previous output is in `{}` and could not be moved back: \
                             {back}",
                            old.display()
                        ),
                    ));
                }
                return Err(e);
            }
            self.committed = true;
            live.retain(|p| p != &self.dir);
            if !had_old {
                return Ok(Committed { leftover: None });
            }
        }
        Ok(Committed {
            leftover: remove(&old).err().map(|e| (old, e)),
        })
    }

    /// Remove the staging folder; the output stays as it was.
    pub fn abandon(self) {}
}

/// Remove the folder `dir` and everything in it, on all cores: an output holds tens of
/// thousands of folders, and removing them one by one took a second at 10,000 incidents.
/// The subtrees two levels down are removed in parallel; links are removed, never followed.
fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let is_dir = |e: &fs::DirEntry| e.file_type().is_ok_and(|t| t.is_dir());
    let mut work = Vec::new();
    let mut tops = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if is_dir(&entry) {
            for inner in fs::read_dir(entry.path())? {
                let inner = inner?;
                work.push((inner.path(), is_dir(&inner)));
            }
            tops.push(entry.path());
        } else {
            work.push((entry.path(), false));
        }
    }
    work.par_iter().try_for_each(|(path, dir)| {
        if *dir {
            fs::remove_dir_all(path)
        } else {
            fs::remove_file(path)
        }
    })?;
    for top in tops {
        fs::remove_dir(top)?;
    }
    fs::remove_dir(dir)
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
            scratch::unregister(&self.dir);
        }
    }
}

/// `rel` as a path, if it is a plain relative path (no `..`, no root, not empty).
fn checked(rel: &str) -> io::Result<&Path> {
    let path = Path::new(rel);
    if rel.is_empty() || !path.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write outside the output folder: `{rel}`"),
        ));
    }
    Ok(path)
}

/// Remove the staging folders (and old outputs moved aside) of earlier builds of the same
/// output, which were killed before they could: the caller holds the output's lock, so no
/// live build owns them.
fn remove_leftovers(parent: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let ours = entry.file_name().to_string_lossy().starts_with(prefix);
        if ours && entry.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Make `dir` readable by its owner only; returns the mode it had.
fn private(dir: &Path) -> io::Result<Option<u32>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(dir)?.permissions().mode();
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
        Ok(Some(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(None)
    }
}

fn restore_mode(dir: &Path, mode: Option<u32>) -> io::Result<()> {
    #[cfg(unix)]
    if let Some(mode) = mode {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(mode))?;
    }
    let _ = (dir, mode);
    Ok(())
}

/// The lock of one output folder; released, and its file removed, when dropped.
#[derive(Debug)]
struct OutputLock {
    path: PathBuf,
    file: Option<fs::File>,
}

enum LockError {
    /// Another process holds the lock; its process id, if it could be read.
    Busy(Option<u32>),
    Io(io::Error),
}

impl OutputLock {
    fn acquire(path: &Path) -> Result<OutputLock, LockError> {
        // The holder removes the file before it unlocks; a build that opened the file just
        // before then locks a file no longer at `path`, and must try again.
        for _ in 0..8 {
            // Not registered until locked: a signal must not remove another build's lock.
            let mut file = fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(path)
                .map_err(LockError::Io)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    let mut text = String::new();
                    let _ = file.read_to_string(&mut text);
                    return Err(LockError::Busy(text.trim().parse().ok()));
                }
                // A file system without locks: build unlocked rather than not at all.
                Err(fs::TryLockError::Error(e)) if e.kind() == io::ErrorKind::Unsupported => {}
                Err(fs::TryLockError::Error(e)) => return Err(LockError::Io(e)),
            }
            if !same_file(&file, path) {
                continue;
            }
            scratch::register(path);
            file.set_len(0).map_err(LockError::Io)?;
            let _ = write!(file, "{}", std::process::id());
            return Ok(OutputLock {
                path: path.to_path_buf(),
                file: Some(file),
            });
        }
        Err(LockError::Busy(None))
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still locked (see `acquire`); Windows cannot remove an open file,
        // and it keeps the empty file.
        #[cfg(unix)]
        let _ = fs::remove_file(&self.path);
        scratch::unregister(&self.path);
        drop(self.file.take());
    }
}

/// Whether the open `file` is the one at `path`.
fn same_file(file: &fs::File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), fs::metadata(path)) {
            (Ok(a), Ok(b)) => (a.dev(), a.ino()) == (b.dev(), b.ino()),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn removing_a_tree_removes_links_without_following_them() {
        let scratch = tempfile::tempdir().unwrap();
        let outside = scratch.path().join("outside");
        fs::create_dir_all(outside.join("deep")).unwrap();
        fs::write(outside.join("deep/keep.txt"), "keep").unwrap();
        let old = scratch.path().join("public.old");
        for dir in ["a/b/c", "a/d", "e"] {
            fs::create_dir_all(old.join(dir)).unwrap();
        }
        for file in ["index.html", "a/index.html", "a/b/c/x.html", "e/y.html"] {
            fs::write(old.join(file), "x").unwrap();
        }
        std::os::unix::fs::symlink(&outside, old.join("link")).unwrap();
        std::os::unix::fs::symlink(&outside, old.join("a/link")).unwrap();
        std::os::unix::fs::symlink(&outside, old.join("a/b/link")).unwrap();
        remove_tree(&old).unwrap();
        assert!(!old.exists());
        assert_eq!(
            fs::read_to_string(outside.join("deep/keep.txt")).unwrap(),
            "keep"
        );
    }

    #[test]
    fn folders_are_created_once_before_the_pages_written_into_them() {
        let scratch = tempfile::tempdir().unwrap();
        let out = scratch.path().join("public");
        let staging = Staging::create(&out, &out).unwrap();
        let files = [
            "index.html",
            "incidents/index.html",
            "incidents/a/index.html",
            "incidents/page/2/index.html",
            "tags/x/page/3/index.html",
        ];
        // incidents, incidents/a, incidents/page, incidents/page/2, tags, tags/x, ...
        assert_eq!(staging.create_dirs(files).unwrap(), 8);
        for f in files {
            staging.write_file(f, b"page").unwrap();
        }
        assert!(staging.write_file("../escape.html", b"x").is_err());
        assert!(staging.write_file("missing/index.html", b"x").is_err());
        staging.commit().unwrap();
        assert_eq!(
            fs::read(out.join("tags/x/page/3/index.html")).unwrap(),
            b"page"
        );
    }

    #[test]
    fn a_swap_that_happened_is_a_success_even_if_the_old_output_stays() {
        let scratch = tempfile::tempdir().unwrap();
        let out = scratch.path().join("public");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("old.html"), "old").unwrap();
        let staging = Staging::create(&out, Path::new("public")).unwrap();
        fs::write(staging.dir().join("new.html"), "new").unwrap();
        let committed = staging
            .commit_with(|_| Err(io::Error::other("busy")))
            .expect("the new output is in place");
        let (old, _) = committed.leftover.expect("the old output is reported");
        assert_eq!(fs::read_to_string(out.join("new.html")).unwrap(), "new");
        assert!(old.join("old.html").is_file());
        // The next build removes it.
        drop(Staging::create(&out, Path::new("public")).unwrap());
        assert!(!old.exists());
    }

    #[cfg(unix)]
    #[test]
    fn staging_is_private_while_written_and_ordinary_once_committed() {
        use std::os::unix::fs::PermissionsExt;
        let scratch = tempfile::tempdir().unwrap();
        let out = scratch.path().join("public");
        let fresh = scratch.path().join("fresh");
        fs::create_dir(&fresh).unwrap();
        let staging = Staging::create(&out, Path::new("public")).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(staging.dir()), 0o700);
        staging.commit().unwrap();
        assert_eq!(mode(&out), mode(&fresh));
        assert!(out.join(MARKER).is_file());
    }
}
