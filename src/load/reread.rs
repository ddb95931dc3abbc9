//! Reading a body again, for the render stage, with proof that it is the text the load stage
//! judged.
//!
//! Bodies are not kept in memory (a 10,000-incident site holds 276 MB of Markdown), so the
//! render stage reads each file a second time. Between the two reads the file may be
//! rewritten: if the second read were trusted, text added then (say `tlp: red` and a secret
//! body) would be published under what the first read allowed (issue 9). So the load stage
//! records a [`Fingerprint`] of each file's text, and every byte of a content file that
//! reaches the output comes through [`reread_body`], which refuses text whose fingerprint
//! differs. Diagnostics may read files again freely: they never reach the site.

use std::io;
use std::path::Path;

use xxhash_rust::xxh3::xxh3_128;

use crate::diag::{Code, Diagnostic, display_path};
use crate::source::{ReadError, read_source};

/// A 128-bit XXH3 hash of a content file's text as [`read_source`] returns it (normalised).
/// Not a defence against an attacker who can craft collisions, but against a file changed
/// while a build runs; it costs well under a millisecond per megabyte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint(u128);

impl Fingerprint {
    /// The fingerprint of `text`.
    pub fn of(text: &str) -> Self {
        Fingerprint(xxh3_128(text.as_bytes()))
    }

    /// The hash as bytes (little-endian), e.g. to make a cache key of.
    pub fn to_bytes(self) -> [u8; 16] {
        self.0.to_le_bytes()
    }
}

/// The body of `file` (relative to `root`), from `body_offset` on, read again: only if the
/// whole file still has the `fingerprint` the load stage recorded. Otherwise the error to
/// report on that file: `E-changed` if the file changed or vanished, `E-read` if the system
/// refused to read it.
pub fn reread_body(
    root: &Path,
    file: &Path,
    fingerprint: Fingerprint,
    body_offset: usize,
) -> Result<String, Diagnostic> {
    let mut text = match read_source(&root.join(file)) {
        Ok(text) => text,
        Err(ReadError::Io(e)) if e.kind() != io::ErrorKind::NotFound => {
            return Err(Diagnostic::error(
                Code::Read,
                format!("cannot read the file again to render it: {e}"),
            )
            .in_file(file)
            .help("check the permissions of the file; nothing was published"));
        }
        Err(_) => return Err(changed(file)),
    };
    if Fingerprint::of(&text) != fingerprint || !text.is_char_boundary(body_offset) {
        return Err(changed(file));
    }
    text.replace_range(..body_offset, "");
    Ok(text)
}

/// The error for a content file that is not what the load stage read any more.
fn changed(file: &Path) -> Diagnostic {
    Diagnostic::error(
        Code::Changed,
        format!(
            "`{}` changed while the site was being built",
            display_path(file)
        ),
    )
    .in_file(file)
    .help("build again; nothing was published")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(text: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), text).unwrap();
        dir
    }

    #[test]
    fn an_unchanged_file_gives_its_body() {
        let text = "---\ntitle: A\n---\nbody\n";
        let dir = site(text);
        let body = reread_body(dir.path(), Path::new("a.md"), Fingerprint::of(text), 17);
        assert_eq!(body.unwrap(), "body\n");
    }

    #[test]
    fn a_changed_file_is_refused() {
        let dir = site("---\ntitle: A\ntlp: red\n---\nsecret\n");
        let was = Fingerprint::of("---\ntitle: A\n---\nbody\n");
        let err = reread_body(dir.path(), Path::new("a.md"), was, 17).unwrap_err();
        assert_eq!(err.code, Code::Changed);
        assert_eq!(err.message, "`a.md` changed while the site was being built");
    }

    #[test]
    fn a_vanished_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let was = Fingerprint::of("x");
        let err = reread_body(dir.path(), Path::new("a.md"), was, 0).unwrap_err();
        assert_eq!(err.code, Code::Changed);
    }
}
