//! Editor and operating-system litter: files nobody means to publish or build, which the
//! walks of `content/`, `templates/` and `static/` skip silently (issue 9).
//!
//! Emacs leaves lock files (`.#x.md`, often dangling symbolic links) and backups (`x.md~`,
//! `#x.md#`); Vim leaves swap files (`.x.md.swp`); macOS leaves `._x.md` (AppleDouble) and
//! `.DS_Store`. In `content/` and `templates/` every hidden name is skipped too; `static/`
//! keeps hidden names such as `.well-known/` and only loses litter and version-control
//! folders.

use std::ffi::OsStr;

/// Whether `name` (a file or folder name, not a path) is editor or operating-system litter,
/// or a version-control folder.
pub fn is_litter(name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with(".#")
        || name.starts_with("._")
        || name.ends_with('~')
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swo", ".swx"]
            .iter()
            .any(|ext| name.ends_with(ext))
        || matches!(
            name.as_ref(),
            ".DS_Store" | "Thumbs.db" | "desktop.ini" | ".git" | ".hg" | ".svn"
        )
}

/// Whether the walks of `content/` and `templates/` skip `name`: litter or hidden.
pub fn is_ignored(name: &OsStr) -> bool {
    name.to_string_lossy().starts_with('.') || is_litter(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn litter_is_recognised_and_real_files_are_not() {
        for name in [
            ".#x.md",
            "._x.md",
            "x.md~",
            "#x.md#",
            ".x.md.swp",
            ".DS_Store",
            ".git",
        ] {
            assert!(is_litter(OsStr::new(name)), "{name}");
        }
        for name in ["x.md", "robots.txt", ".well-known", ".nojekyll", "#", "a#b"] {
            assert!(!is_litter(OsStr::new(name)), "{name}");
        }
        assert!(is_ignored(OsStr::new(".draft.md")));
        assert!(!is_ignored(OsStr::new("_index.md")));
    }
}
