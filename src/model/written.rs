//! The shared parts of frontmatter as the parser reads them, with the values that
//! diagnostics point at wrapped in [`Spanned`]. [`Source`](super::Source)'s `Deserialize`
//! goes through its as-written form and keeps the span of its URL; a [`Location`] as written
//! keeps its country as text until the load stage validates it into a
//! [`Location`](super::Location).

use serde::Deserialize;

use super::{CountryCode, PartialDate, Reliability, Spanned};
use crate::diag::Span;

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

/// Where an incident happened, as written.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Location")]
pub struct Location {
    /// Venue or landmark.
    #[serde(default)]
    pub place: Option<String>,
    /// City.
    #[serde(default)]
    pub city: Option<String>,
    /// Region.
    #[serde(default)]
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2 code.
    #[serde(default)]
    #[schemars(regex(pattern = r"^[A-Z]{2}$"))]
    pub country: Option<Spanned<String>>,
    /// `[lat, lon]`.
    #[serde(default)]
    pub coordinates: Option<Spanned<[f64; 2]>>,
}

impl Location {
    /// The validated location: `country` turns the code as written into a known one (and
    /// reports an unknown one). Also gives the span of `coordinates`.
    pub fn lower(
        self,
        country: &mut dyn FnMut(Spanned<String>) -> Option<CountryCode>,
    ) -> (super::Location, Option<Span>) {
        let (coordinates, span) = self
            .coordinates
            .map_or((None, None), |c| (Some(c.value), c.span));
        let location = super::Location {
            place: self.place,
            city: self.city,
            region: self.region,
            country: self.country.and_then(country),
            coordinates,
        };
        (location, span)
    }
}
