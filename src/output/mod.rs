//! WRITE: a staging folder beside the output, swapped in only when the whole build
//! succeeded; plus the machine-readable outputs (feed, sitemap, search index) and
//! `static/`.
//!
//! Invariants: a failed build leaves the previous output exactly as it was; nothing is
//! written outside the staging folder (every output path is checked to be a plain relative
//! path); each file is written once.

pub mod export;
pub mod feeds;

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics};

/// A build's output being written; becomes the output folder on [`Staging::commit`].
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
}

impl Staging {
    /// Create an empty staging folder beside `target`.
    pub fn create(target: &Path) -> io::Result<Staging> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let dir = parent.join(format!(".{name}.briefing-tmp-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir(&dir)?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
        })
    }

    /// The staging folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Write `bytes` at `rel` inside the staging folder, creating parent folders.
    /// `rel` must be a plain relative path (no `..`, no root).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.dir.join(checked(rel)?);
        if let Some(parent) = path.parent()
            && parent != self.dir
        {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, bytes)
    }

    /// Create the file `rel` inside the staging folder for streaming into, creating its
    /// parent folders. `rel` must be a plain relative path.
    pub fn create_file(&self, rel: &str) -> io::Result<fs::File> {
        let path = self.dir.join(checked(rel)?);
        if let Some(parent) = path.parent()
            && parent != self.dir
        {
            fs::create_dir_all(parent)?;
        }
        fs::File::create(path)
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
            level
                .par_iter()
                .try_for_each(|dir| match fs::create_dir(self.dir.join(dir)) {
                    Err(e) if e.kind() != io::ErrorKind::AlreadyExists => Err(e),
                    _ => Ok(()),
                })?;
        }
        Ok(dirs.len())
    }

    /// Write `bytes` at `rel` inside the staging folder, whose folder must exist (see
    /// [`Staging::create_dirs`]). `rel` must be a plain relative path.
    pub fn write_file(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        fs::write(self.dir.join(checked(rel)?), bytes)
    }

    /// Swap the staging folder in as the output: the old output is moved aside, the new
    /// one renamed into place, then the old one removed.
    pub fn commit(self) -> io::Result<()> {
        let old = self.dir.with_file_name(format!(
            "{}.old",
            self.dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        let had_old = self.target.exists();
        if had_old {
            fs::rename(&self.target, &old)?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(e);
        }
        if had_old {
            fs::remove_dir_all(&old)?;
        }
        Ok(())
    }

    /// Remove the staging folder; the output stays as it was.
    pub fn abandon(self) {
        let _ = fs::remove_dir_all(&self.dir);
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

/// The folder copied as it is into the output.
pub const STATIC_DIR: &str = "static";

/// Copy `static/` into the staging folder. Symbolic links leading outside the site are
/// errors; other links are copied as the files they point to.
pub fn copy_static(root: &Path, staging: &Staging, diags: &Diagnostics) -> usize {
    let dir = root.join(STATIC_DIR);
    if !dir.is_dir() {
        return 0;
    }
    if let Some(target) = crate::load::escapes_root(root, &dir) {
        diags.push(crate::load::path_escape(Path::new(STATIC_DIR), &target));
        return 0;
    }
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut copied = 0;
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(
                    Diagnostic::error("E-read", format!("cannot read `static/`: {e}"))
                        .in_file(STATIC_DIR)
                        .help("check the permissions of the folder"),
                );
                continue;
            }
        };
        let Ok(rel) = entry.path().strip_prefix(&dir) else {
            continue;
        };
        let shown = Path::new(STATIC_DIR).join(rel);
        if entry.file_type().is_symlink() {
            match entry.path().canonicalize() {
                Ok(t) if t.starts_with(&canonical_root) && t.is_file() => {}
                Ok(t) if t.starts_with(&canonical_root) => continue,
                Ok(t) => {
                    diags.push(
                        Diagnostic::error(
                            "E-path-escape",
                            format!(
                                "symbolic link points outside the site, to `{}`",
                                t.display()
                            ),
                        )
                        .in_file(shown)
                        .help("copy the file into `static/` instead of linking to it"),
                    );
                    continue;
                }
                Err(e) => {
                    diags.push(
                        Diagnostic::error("E-read", format!("broken symbolic link: {e}"))
                            .in_file(shown)
                            .help("remove the link or point it at a file inside the site"),
                    );
                    continue;
                }
            }
        } else if !entry.file_type().is_file() {
            continue;
        }
        let rel_str = rel.to_string_lossy().replace('\\', "/");
        let result = fs::read(entry.path()).and_then(|bytes| staging.write(&rel_str, &bytes));
        match result {
            Ok(()) => copied += 1,
            Err(e) => diags.push(
                Diagnostic::error("E-write", format!("cannot copy the file: {e}"))
                    .in_file(shown)
                    .help("check the permissions and free space"),
            ),
        }
    }
    copied
}

/// Refuse an output folder that would swallow the site: the root itself, one of its
/// ancestors, or a folder the site reads from.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        normalise(&p)
    };
    // Lexically first, then as the file system resolves symbolic links: an output that
    // is a link to the root (or to a folder above it) is the root.
    let (root, out) = (abs(root), abs(output));
    let (real_root, real_out) = (resolve(&root), resolve(&out));
    let inputs = [
        root.join(crate::load::CONTENT_DIR),
        root.join(STATIC_DIR),
        root.join(crate::render::TEMPLATES_DIR),
    ];
    if real_root.starts_with(&real_out)
        || root.starts_with(&out)
        || inputs.iter().any(|i| out.starts_with(i))
    {
        return Err(Diagnostic::error(
            "E-output",
            format!(
                "the output folder `{}` would overwrite the site's own files",
                output.display()
            ),
        )
        .help("choose a folder of its own, e.g. `public/` (the default)"));
    }
    Ok(())
}

/// `p` with symbolic links resolved as far as it exists; the rest is kept as written.
fn resolve(p: &Path) -> PathBuf {
    let mut existing = p;
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return rest.iter().rev().fold(real, |acc, name| acc.join(name));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return p.to_path_buf(),
        }
    }
}

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
    fn folders_are_created_once_before_the_pages_written_into_them() {
        let scratch = tempfile::tempdir().unwrap();
        let staging = Staging::create(&scratch.path().join("public")).unwrap();
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
        let out = scratch.path().join("public");
        assert_eq!(
            fs::read(out.join("tags/x/page/3/index.html")).unwrap(),
            b"page"
        );
    }
}
