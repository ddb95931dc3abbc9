//! Views of the pictures (maps and charts): what templates receive to show a picture and
//! its text alternative. Part of the template contract (`docs/templates.md`), re-exported
//! by [`super::view`].

use serde::Serialize;

/// A picture with its text alternative: `svg_html` is an inline `<svg>` made by the
/// generator (safe to print unescaped); `caption` says what it shows; the table holds the
/// same data as text.
#[derive(Debug, Clone, Serialize)]
pub struct FigureView {
    /// The `<svg>` element.
    pub svg_html: String,
    /// One sentence on what the picture shows.
    pub caption: String,
    /// Headings of the table's columns.
    pub columns: Vec<String>,
    /// Rows of the table, in the picture's order.
    pub rows: Vec<FigureRowView>,
    /// A remark on what the picture leaves out (e.g. incidents dated only to the year).
    pub note: Option<String>,
    /// Classes and labels of the picture's colours, for a legend.
    pub legend: Vec<LegendView>,
}

/// One row of a picture's table.
#[derive(Debug, Clone, Serialize)]
pub struct FigureRowView {
    /// Fragment id (`map-cell-12-7`) that marks of the picture link to, if any.
    pub id: Option<String>,
    /// Cells, one per column.
    pub cells: Vec<CellView>,
}

/// A cell of a picture's table: text, possibly a link.
#[derive(Debug, Clone, Serialize)]
pub struct CellView {
    /// Text.
    pub text: String,
    /// Absolute URL the text links to.
    pub url: Option<String>,
}

/// One entry of a picture's legend.
#[derive(Debug, Clone, Serialize)]
pub struct LegendView {
    /// CSS class of the mark (`incidents`, `pin approximate`).
    pub class: String,
    /// What it means.
    pub label: String,
}

impl CellView {
    /// A cell of plain text.
    pub fn text(text: impl Into<String>) -> Self {
        CellView {
            text: text.into(),
            url: None,
        }
    }

    /// A cell linking to `url`.
    pub fn link(text: impl Into<String>, url: String) -> Self {
        CellView {
            text: text.into(),
            url: Some(url),
        }
    }
}
