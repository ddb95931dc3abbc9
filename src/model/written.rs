//! The shared parts of frontmatter ([`Source`](super::Source), [`Location`](super::Location))
//! as the parser reads them: the same fields, with the values that diagnostics point at
//! wrapped in [`Spanned`]. Their `Deserialize` goes through these and keeps the spans in
//! the public types' span fields.

use serde::Deserialize;

use super::{PartialDate, Reliability, Spanned};

/// A cited source as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Source {
    pub(super) title: String,
    #[serde(default)]
    pub(super) publisher: Option<String>,
    #[serde(default)]
    pub(super) url: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) date: Option<PartialDate>,
    #[serde(default)]
    pub(super) reliability: Option<Reliability>,
}

/// A location as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Location {
    #[serde(default)]
    pub(super) place: Option<String>,
    #[serde(default)]
    pub(super) city: Option<String>,
    #[serde(default)]
    pub(super) region: Option<String>,
    #[serde(default)]
    pub(super) country: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) coordinates: Option<Spanned<[f64; 2]>>,
}
