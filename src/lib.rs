//! `briefing` turns a folder of Markdown files about security incidents, armed groups,
//! actors and their statements into a linked static website.
//!
//! The pipeline, one module per stage, typed data between them:
//!
//! ```text
//! source  files, site folders               -> normalised text, sorted walks (below all)
//! plan    briefing.toml + command line      -> Plan     (Config, Publish, BaseUrl; once)
//! load    content/**/*.md                   -> Loaded   (frontmatter, wikilinks; bodies dropped)
//! (cache   rendered bodies kept between builds in .briefing-cache/; used by render)
//! link    Loaded + what may be published    -> Site     (ids, backlinks; withheld items gone)
//! routes  Site + Plan                       -> Routes   (every page's path and file)
//! draw    plain data                        -> SVG      (maps and charts; no project imports)
//! render  Site + Routes + templates         -> pages    (Markdown bodies rendered here, in parallel)
//! output  pages, streamed outputs, static/  -> staging folder, swapped in only on success
//! ```
//!
//! Imports point down only: `source`, `diag`, `model` -> `markdown` (parse, highlight,
//! escape) -> `cache` -> `load` -> `config` -> `link` -> `draw` -> `render` -> `output` -> `build`/`check`.
//!
//! Every stage reports problems as [`diag::Diagnostic`]s into one collector and carries on,
//! so a run reports all of them; errors stop the build before anything is swapped in.
//!
//! Around the pipeline: `check` builds into a scratch folder and checks the rendered
//! site's own links; `scaffold` writes new sites (`init`) and new entries (`new`); `serve`
//! builds into a folder of its own, serves it, rebuilds on change and reloads open pages.

#![warn(missing_docs, unreachable_pub)]
// Diagnostics are the error type of every stage; they are rich on purpose (file, span,
// help) and only travel on the failure path, so boxing them would buy nothing.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod cache;
pub mod check;
pub mod cli;
pub mod config;
pub mod diag;
pub mod draw;
pub mod import;
pub mod link;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod plan;
pub mod render;
pub mod routes;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod source;

pub use build::{BuildOptions, BuildReport, CacheUse, build_site};
