//! DRAW: pictures as SVG text, from plain data the render stage prepares. No file, no
//! template and no site here: each picture is a pure function of its input, so the same
//! input gives the same bytes.

pub mod graph;
