//! Splitting a file into frontmatter and body.
//!
//! Frontmatter is YAML between `---` lines or TOML between `+++` lines, at the very start
//! of the file (after BOM removal and CRLF normalisation). Offsets are byte offsets into
//! the normalised text, so spans of the frontmatter parser can be shifted into the file.

use std::ops::Range;

/// Frontmatter syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `---` fences.
    Yaml,
    /// `+++` fences.
    Toml,
}

/// Where the parts of a file lie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Frontmatter syntax.
    pub format: Format,
    /// The frontmatter text, without fences.
    pub front: Range<usize>,
    /// Start of the body.
    pub body: usize,
}

/// Why a file could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file is empty or only whitespace.
    Empty,
    /// The file does not start with `---` or `+++`.
    Missing,
    /// The opening fence has no closing one; the value is the fence.
    Unterminated(&'static str),
}

/// Split `text` into frontmatter and body.
pub fn split_frontmatter(text: &str) -> Result<Split, SplitError> {
    if text.trim().is_empty() {
        return Err(SplitError::Empty);
    }
    let (format, fence) = if text.starts_with("---") {
        (Format::Yaml, "---")
    } else if text.starts_with("+++") {
        (Format::Toml, "+++")
    } else {
        return Err(SplitError::Missing);
    };
    // The opening fence must be alone on its line (trailing spaces allowed).
    let first_end = text.find('\n').unwrap_or(text.len());
    if !text[fence.len()..first_end].trim().is_empty() {
        return Err(SplitError::Missing);
    }
    let front_start = (first_end + 1).min(text.len());
    let mut line_start = front_start;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line = &text[line_start..line_end];
        if line.starts_with(fence) && line[fence.len()..].trim().is_empty() {
            let body = (line_end + 1).min(text.len());
            return Ok(Split {
                format,
                front: front_start..line_start,
                body,
            });
        }
        line_start = line_end + 1;
    }
    Err(SplitError::Unterminated(fence))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_and_toml() {
        let t = "---\ntitle: A\n---\nbody\n";
        let s = split_frontmatter(t).unwrap();
        assert_eq!(s.format, Format::Yaml);
        assert_eq!(&t[s.front.clone()], "title: A\n");
        assert_eq!(&t[s.body..], "body\n");
        let t = "+++\ntitle = \"A\"\n+++";
        let s = split_frontmatter(t).unwrap();
        assert_eq!(s.format, Format::Toml);
        assert_eq!(&t[s.front.clone()], "title = \"A\"\n");
        assert_eq!(&t[s.body..], "");
    }

    #[test]
    fn empty_frontmatter_and_dashes_in_body() {
        let t = "---\n---\n----\ntext --- more\n";
        let s = split_frontmatter(t).unwrap();
        assert_eq!(&t[s.front.clone()], "");
        assert_eq!(&t[s.body..], "----\ntext --- more\n");
    }

    #[test]
    fn reports_missing_and_unterminated() {
        assert_eq!(split_frontmatter(""), Err(SplitError::Empty));
        assert_eq!(split_frontmatter("  \n"), Err(SplitError::Empty));
        assert_eq!(split_frontmatter("# hi\n"), Err(SplitError::Missing));
        assert_eq!(split_frontmatter("----\n"), Err(SplitError::Missing));
        assert_eq!(
            split_frontmatter("---\ntitle: a\n"),
            Err(SplitError::Unterminated("---"))
        );
        // A closing fence of the other syntax does not count.
        assert_eq!(
            split_frontmatter("+++\ntitle = 1\n---\n"),
            Err(SplitError::Unterminated("+++"))
        );
    }
}

/// Property tests (issue 4): splitting never panics and its offsets lie inside the text, on
/// character boundaries, in order; a well-formed file splits into what it was made of.
#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn check_offsets(text: &str, s: &Split) -> Result<(), TestCaseError> {
        prop_assert!(s.front.start <= s.front.end);
        prop_assert!(s.front.end <= s.body && s.body <= text.len());
        for i in [s.front.start, s.front.end, s.body] {
            prop_assert!(text.is_char_boundary(i));
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn never_panics_and_offsets_are_in_bounds(text in any::<String>()) {
            if let Ok(s) = split_frontmatter(&text) {
                check_offsets(&text, &s)?;
            }
        }

        #[test]
        fn fence_heavy_text_never_panics(text in "((---|\\+\\+\\+|-|\\+| |é|\n|a|:)){0,60}") {
            if let Ok(s) = split_frontmatter(&text) {
                check_offsets(&text, &s)?;
            }
        }

        #[test]
        fn well_formed_files_split_into_their_parts(
            front in "([a-z]{1,8}: [a-zé ]{0,10}\n){0,6}",
            body in "([^\n]{0,20}\n){0,5}",
            toml in any::<bool>(),
        ) {
            let fence = if toml { "+++" } else { "---" };
            let text = format!("{fence}\n{front}{fence}\n{body}");
            let s = split_frontmatter(&text).expect("a well-formed file splits");
            check_offsets(&text, &s)?;
            prop_assert_eq!(s.format, if toml { Format::Toml } else { Format::Yaml });
            prop_assert_eq!(&text[s.front.clone()], front.as_str());
            prop_assert_eq!(&text[s.body..], body.as_str());
        }
    }
}
