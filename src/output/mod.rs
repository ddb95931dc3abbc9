//! WRITE: a staging folder beside the output, swapped in only when the whole build
//! succeeded; plus the machine-readable outputs (feed, sitemap, search index, exports) and
//! `static/`.
//!
//! Takes the linked site, the plan, the routes and a function that renders a page (see
//! [`write::write_site`]); gives the output folder, or leaves the previous one untouched.
//! The machine-readable outputs are a list, [`streamed::STREAMED`], of a file and a
//! function streaming it from an [`streamed::OutputContext`]; they never see the renderer.
//!
//! Invariants: a failed build leaves the previous output exactly as it was; nothing is
//! written outside the staging folder (every output path is checked to be a plain relative
//! path); each file is written once; a build replaces only a folder it wrote before, or an
//! empty or new one, never the site's own files (see [`guard`]); one build writes an output
//! at a time, and what a killed build left is removed by the next (see [`staging`]).

pub mod export;
pub mod feeds;
pub mod guard;
pub mod scratch;
pub mod search;
pub mod sitemap;
pub mod staging;
pub mod static_files;
pub mod streamed;
pub mod write;

pub use guard::{MARKER, check_output_dir};
pub use staging::{Committed, Staging};
pub use static_files::{Generated, STATIC_DIR, copy_static, copy_static_with};
pub use streamed::{OutputContext, STREAMED, Streamed, WriteFn};
pub use write::write_site;
