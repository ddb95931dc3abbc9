//! The snippet a terminal report shows: the lines around a span, with long lines cut to a
//! window around it.
//!
//! Why not hand miette the whole file: its graphical handler pads the underline of a span
//! with a format width, which Rust caps at `u16::MAX`, so a span past column 65,535
//! panicked and lost every later diagnostic (issue 9); a minified line would also be printed
//! whole. The window keeps every column small, and [`Excerpt`] tells miette the real line
//! and column for the header, so `file:line:column` stays what the JSON output says.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use super::{Span, line_column};

/// Characters of a long line kept before the start of the span.
const BEFORE: usize = 60;
/// Characters of a long line kept from the start of the span on.
const AFTER: usize = 100;
/// Lines up to this many characters are shown whole.
const LONG: usize = BEFORE + AFTER;
/// Marks text cut from a line.
const CUT: &str = "…";

/// A window of a file around one span, as a miette source.
#[derive(Debug)]
pub(crate) struct Excerpt {
    name: String,
    text: String,
    /// The span within `text`.
    span: SourceSpan,
    /// 0-based line of the file where `text` starts.
    first_line: usize,
    /// 0-based line and column (in characters) of the span in the file.
    at: (usize, usize),
}

impl Excerpt {
    /// The excerpt of `file` (named `name`) around `span`: the line before the span, its
    /// lines, and the line after, each line longer than [`LONG`] characters cut around the
    /// span (or after its start, for the other lines).
    pub(crate) fn new(name: String, file: &str, span: Span) -> Self {
        let start = floor_boundary(file, span.offset);
        let end = floor_boundary(file, start.saturating_add(span.len)).max(start);
        let (line, column) = line_column(file, start);
        let line_start = |at: usize| file[..at].rfind('\n').map_or(0, |i| i + 1);
        let line_end = |at: usize| file[at..].find('\n').map_or(file.len(), |i| at + i);
        let span_line = line_start(start);
        let (from, first_line) = match span_line.checked_sub(1) {
            Some(prev_end) => (line_start(prev_end), line - 2),
            None => (0, line - 1),
        };
        let last_end = line_end(end);
        let to = if last_end < file.len() {
            line_end(last_end + 1)
        } else {
            last_end
        };

        let mut text = String::new();
        let (mut new_start, mut new_end) = (None, None);
        let mut at = from;
        while at <= to {
            let stop = line_end(at);
            let line = &file[at..stop];
            // The kept part of this line, in file offsets.
            let (keep_from, keep_to) = if line.chars().count() <= LONG {
                (at, stop)
            } else {
                let anchor = if (at..=stop).contains(&start) {
                    start
                } else {
                    at
                };
                let keep_from = back_chars(file, anchor, BEFORE).max(at);
                (keep_from, forward_chars(file, anchor, AFTER).min(stop))
            };
            if keep_from > at {
                text.push_str(CUT);
            }
            let map = |offset: usize, text: &String| {
                text.len() + offset.clamp(keep_from, keep_to) - keep_from
            };
            if (at..=stop).contains(&start) && new_start.is_none() {
                new_start = Some(map(start, &text));
            }
            if (at..=stop).contains(&end) && new_end.is_none() {
                new_end = Some(map(end, &text));
            }
            text.push_str(&file[keep_from..keep_to]);
            if keep_to < stop {
                text.push_str(CUT);
            }
            if stop < to {
                text.push('\n');
            }
            at = stop + 1;
        }
        let new_start = new_start.unwrap_or(0);
        let new_end = new_end.unwrap_or(new_start).max(new_start);
        Excerpt {
            name,
            text,
            span: SourceSpan::new(new_start.into(), new_end - new_start),
            first_line,
            at: (line - 1, column - 1),
        }
    }

    /// The span within the excerpt.
    pub(crate) fn span(&self) -> SourceSpan {
        self.span
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        // miette asks for the span alone to write the header's `file:line:column`.
        let (line, column) = if context_lines_before == 0 && *span == self.span {
            self.at
        } else {
            (self.first_line + inner.line(), inner.column())
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            line,
            column,
            inner.line_count(),
        )))
    }
}

/// The largest character boundary of `text` at or before `at`.
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The offset `n` characters before `at` (or 0).
fn back_chars(text: &str, at: usize, n: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

/// The offset `n` characters after `at` (or the end).
fn forward_chars(text: &str, at: usize, n: usize) -> usize {
    text[at..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| at + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excerpt(file: &str, needle: &str) -> Excerpt {
        let offset = file.find(needle).unwrap();
        Excerpt::new("f.md".into(), file, Span::new(offset, needle.len()))
    }

    fn spanned(e: &Excerpt) -> &str {
        &e.text[e.span.offset()..e.span.offset() + e.span.len()]
    }

    #[test]
    fn short_lines_are_kept_whole_with_a_line_around() {
        let e = excerpt("one\ntwo\nthree x four\nfive\nsix\n", "x");
        assert_eq!(e.text, "two\nthree x four\nfive");
        assert_eq!(spanned(&e), "x");
        assert_eq!((e.first_line, e.at), (1, (2, 6)));
    }

    #[test]
    fn a_long_line_is_cut_around_the_span() {
        let file = format!(
            "---\n{} [[x]] {}\nend\n",
            "é".repeat(70_000),
            "b".repeat(500)
        );
        let e = excerpt(&file, "[[x]]");
        assert_eq!(spanned(&e), "[[x]]");
        assert_eq!(e.at, (1, 70_001));
        let long = e.text.lines().nth(1).unwrap();
        assert!(long.starts_with(CUT) && long.ends_with(CUT), "{long}");
        assert_eq!(long.chars().count(), BEFORE + AFTER + 2);
    }

    #[test]
    fn the_header_gives_the_real_place() {
        let file = format!("a\n{}x\n", "b".repeat(80_000));
        let e = excerpt(&file, "x");
        let header = e.read_span(&e.span(), 0, 0).unwrap();
        assert_eq!((header.line(), header.column()), (1, 80_000));
        let context = e.read_span(&e.span(), 1, 1).unwrap();
        assert_eq!(context.line(), 0);
    }

    #[test]
    fn a_span_past_the_end_is_clamped() {
        let e = Excerpt::new("f.md".into(), "abc", Span::new(10, 5));
        assert_eq!(e.span().offset(), 3);
    }
}
