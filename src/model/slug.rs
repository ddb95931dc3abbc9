//! Slugs: the validated [`Slug`], [`slugify`] for making one from any text, and
//! [`RefSlug`], a reference as written before it is checked.

use std::borrow::Borrow;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::diag::Span;

/// A validated slug: lowercase ASCII letters, digits and single inner hyphens.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Slug(String);

impl Slug {
    /// Validate `s` as a slug; the error says what is wrong.
    pub fn parse(s: &str) -> Result<Slug, String> {
        if s.is_empty() {
            return Err("the slug is empty".into());
        }
        if s.len() > 200 {
            return Err("the slug is longer than 200 characters".into());
        }
        if let Some(c) = s
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            return Err(format!("`{c}` is not allowed in a slug"));
        }
        if s.starts_with('-') || s.ends_with('-') {
            return Err("a slug may not start or end with a hyphen".into());
        }
        if s.contains("--") {
            return Err("a slug may not contain two hyphens in a row".into());
        }
        Ok(Slug(s.to_string()))
    }

    /// The slug text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Slug {
    /// Indexes keyed by `Slug` are looked up with the text of a reference.
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Turn any text into a valid slug (transliterating non-ASCII), or `None` if nothing is left.
pub fn slugify(text: &str) -> Option<String> {
    let ascii = deunicode::deunicode(text).to_ascii_lowercase();
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out.truncate(200);
    while out.ends_with('-') {
        out.pop();
    }
    (!out.is_empty()).then_some(out)
}

/// A reference as written in frontmatter: the slug text and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefSlug {
    /// The text as written.
    pub slug: String,
    /// Where in the file: from the parser (relative to the frontmatter until the load
    /// stage shifts it), or found by the load stage where the parser gives none.
    pub span: Option<Span>,
}

impl<'de> Deserialize<'de> for RefSlug {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = super::Spanned::<String>::deserialize(d)?;
        Ok(RefSlug {
            slug: spanned.value,
            span: spanned.span,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_strict() {
        assert!(Slug::parse("crocus-city-hall-attack").is_ok());
        assert!(Slug::parse("isis-k2").is_ok());
        for bad in [
            "", "Crocus", "a--b", "-a", "a-", "a_b", "a b", "../x", "a/b", "é",
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn slugify_transliterates() {
        assert_eq!(
            slugify("Крокус Сити Холл").as_deref(),
            Some("krokus-siti-kholl")
        );
        assert_eq!(
            slugify("  ISIS-K: the  attack! ").as_deref(),
            Some("isis-k-the-attack")
        );
        assert_eq!(slugify("!!!"), None);
    }
}

/// Property tests (issue 4): `slugify` always yields a valid slug, a valid slug is its own
/// slug, and validation never panics.
#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn slugify_output_is_always_a_valid_slug(text in any::<String>()) {
            if let Some(s) = slugify(&text) {
                prop_assert!(Slug::parse(&s).is_ok(), "{:?} -> {:?}", text, s);
            }
        }

        #[test]
        fn slugify_of_long_and_mixed_text_is_valid(text in "[a-zA-Z0-9 _.-]{150,400}") {
            if let Some(s) = slugify(&text) {
                prop_assert!(s.len() <= 200);
                prop_assert!(Slug::parse(&s).is_ok(), "{:?}", s);
            }
        }

        #[test]
        fn parse_never_panics_and_valid_slugs_are_fixed_points(text in any::<String>()) {
            if let Ok(slug) = Slug::parse(&text) {
                let again = slugify(slug.as_str());
                prop_assert_eq!(again.as_deref(), Some(text.as_str()));
            }
        }

        #[test]
        fn slug_shaped_text_is_a_fixed_point(text in "[a-z0-9]{1,20}(-[a-z0-9]{1,20}){0,5}") {
            prop_assert!(Slug::parse(&text).is_ok());
            prop_assert_eq!(slugify(&text), Some(text.clone()));
        }
    }
}
