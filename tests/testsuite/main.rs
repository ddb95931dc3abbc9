//! The integration test suite: one binary, one module per feature.
//!
//! Tests build fixture sites in temporary folders through the library (and, for CLI text
//! and exit codes, through the binary) and check what a user sees in the output.

mod cache;
mod cache_record;
mod concurrent_edit;
mod core;
mod diagnostics;
mod exports;
mod external;
mod feeds;
mod golden;
mod hygiene;
mod import;
mod invalid;
mod litter;
mod odd_input;
mod pictures;
mod reader_lists;
mod relations;
mod safety;
mod schema;
mod search;
mod serve;
mod serve_http;
mod serve_incremental;
mod story;
mod support;
mod tooling;
mod trust_output;
mod unpublished_links;
