//! Words as the search index and `search.js` both see them: [`crate::render::words`],
//! where the page render takes each body's words as it renders it (issue 16).

pub use crate::render::words::{MAX_WORD, fold, html_text, words};
