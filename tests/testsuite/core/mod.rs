//! The core promise of issue 2: a folder of Markdown becomes a complete, linked site.
//!
//! Every test builds `tests/fixtures/basic/` (or a variant of it) in a temporary folder
//! and reads the output as a reader or a crawler would: pages at their URLs, the links
//! between them, the derived lists, and the machine-readable files.

use crate::support::{TestSite, texts};

mod deployment;
mod listings;
mod machine_readable;
mod pages;
mod theme;

const BASE: &str = "https://example.org/";

/// Absolute URL of a site path under the fixture's `base_url`.
fn url(path: &str) -> String {
    format!("{BASE}{path}")
}

/// The basic fixture, built; the test fails on any error.
fn built() -> TestSite {
    let site = TestSite::fixture("basic");
    site.build_ok();
    site
}

fn h1(doc: &scraper::Html) -> String {
    texts(doc, "h1").into_iter().next().unwrap_or_default()
}
