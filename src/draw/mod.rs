//! DRAW: pictures as SVG, from plain data.
//!
//! Takes numbers, labels and URLs that the render stage has already chosen (published
//! entities only); gives SVG markup as strings that render places in its views. Nothing
//! here knows about entities, templates or routes, so every picture can be tested alone.
//!
//! Invariants: the same input gives the same bytes (no hash-map order, fixed number
//! formatting); every text is XML-escaped; colours come from CSS classes of the theme
//! (`templates/style.css`), so the pictures follow dark mode and print; no picture needs
//! JavaScript or fetches anything.
//!
//! Modules by job: `projection` (Equal Earth), `world` (the Natural Earth base map in
//! `assets/world-110m.json`, clipping), `map` (world and locator maps), `chart` (bar
//! charts and the statements' time axis), `svg` (escaping and numbers), `graph`
//! (the relations graph: a deterministic layout of groups and typed edges).

mod chart;
pub mod graph;
mod map;
mod projection;
mod svg;
mod world;

pub use chart::{Bar, BarChart, TimeAxis, TimeMark, bar_chart, time_axis};
pub use map::{Cluster, Locator, MapLayout, PIN_LIMIT, Pin, locator_map, world_map};
pub use world::country_centroid;
