//! SOURCE: reading files and walking site folders, below every stage (no project imports).
//!
//! Takes paths; gives text as the pipeline sees it ([`read_source`]) and the files of a site
//! folder ([`walk`]). Invariants: every stage reads a file through [`read_source`], so
//! spans agree (UTF-8, no byte-order mark, `\n` line endings); every walk of a site folder
//! goes through [`walk`], sorted by name, skipping editor litter (see [`litter`]), applying
//! one symbolic-link policy and handing every problem to the caller as a [`WalkError`],
//! never dropping one. Turning those errors into diagnostics is the caller's job: this
//! module knows no stage.

pub mod litter;
mod walk;

use std::io;
use std::path::{Path, PathBuf};

pub use walk::{Skip, SourceFile, WalkError, walk};

/// Why a file could not be read as text.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The operating system refused.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// The file is not UTF-8.
    #[error("the file is not valid UTF-8 (first bad byte at offset {offset})")]
    NotUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
        /// 1-based line of it.
        line: usize,
    },
    /// The file is larger than [`MAX_FILE_BYTES`].
    #[error("the file is larger than {} MiB", MAX_FILE_BYTES >> 20)]
    TooLarge,
}

/// Largest text file read (64 MiB); a larger one is refused without being read whole.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// Read a text file as the pipeline sees it: UTF-8, without a byte-order mark, with `\n`
/// line endings (`\r\n` and a lone `\r` both become `\n`, as YAML and Markdown read
/// them). Every stage reads files through this, so spans agree.
pub fn read_source(path: &Path) -> Result<String, ReadError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(normalise_source(text)),
        Err(e) => {
            let offset = e.valid_up_to();
            let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(ReadError::NotUtf8 { offset, line })
        }
    }
}

/// Text as the pipeline sees it (see [`read_source`]): without a byte-order mark, with
/// `\r\n` and lone `\r` line endings turned into `\n`.
pub fn normalise_source(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    }
}

/// Where `path` really leads, if that is outside the site root: a symlinked `content/`,
/// `static/` or `templates/` (which walkdir follows as its root) must not take the build
/// elsewhere.
pub fn escapes_root(root: &Path, path: &Path) -> Option<PathBuf> {
    let root = root.canonicalize().ok()?;
    let target = path.canonicalize().ok()?;
    (!target.starts_with(&root)).then_some(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_order_marks_and_carriage_returns_are_normalised() {
        assert_eq!(normalise_source("\u{feff}a\r\nb\rc\n"), "a\nb\nc\n");
        assert_eq!(normalise_source("plain\n"), "plain\n");
    }

    #[test]
    fn invalid_utf8_is_reported_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, b"\xEF\xBB\xBFok\nbad \xff\n").unwrap();
        match read_source(&path) {
            Err(ReadError::NotUtf8 { offset, line }) => assert_eq!((offset, line), (7, 2)),
            other => panic!("{other:?}"),
        }
    }
}
