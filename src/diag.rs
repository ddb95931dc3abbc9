//! Diagnostics: every problem found in a site, from every stage, as one type.
//!
//! A [`Diagnostic`] names a stable code, a file relative to the site root, a byte span in
//! that file (after BOM removal and CRLF normalisation, see [`crate::source::read_source`]),
//! a lowercase message without a trailing period and a help line. Stages push diagnostics
//! into a [`Diagnostics`] collector and go on, so one run reports every problem; only the
//! caller decides whether errors stop the build.
//!
//! Line and column are computed when a diagnostic is reported, by reading the file again:
//! stages never keep whole files in memory for the sake of an error that rarely happens.

mod code;
mod excerpt;

pub use code::Code;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops the build.
    Error,
    /// Worth fixing; the build goes on (`check --deny-warnings` fails on it).
    Warning,
    /// Information, e.g. a link to a withheld entity that was left out.
    Note,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        })
    }
}

/// A byte range in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// Byte offset from the start of the (normalised) file.
    pub offset: usize,
    /// Length in bytes (may be 0).
    pub len: usize,
}

impl Span {
    /// A span from offset and length.
    pub fn new(offset: usize, len: usize) -> Self {
        Span { offset, len }
    }

    /// This span moved `by` bytes further into the file.
    pub fn shifted(self, by: usize) -> Self {
        Span {
            offset: self.offset + by,
            len: self.len,
        }
    }
}

/// One problem, with everything a person needs to fix it.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    /// Error, warning or note.
    pub severity: Severity,
    /// Stable code, e.g. `E-unknown-ref`.
    pub code: Code,
    /// What is wrong.
    pub message: String,
    /// File relative to the site root, if the problem is in a file.
    #[serde(serialize_with = "serialize_path")]
    pub file: Option<PathBuf>,
    /// 1-based line, filled in by [`Diagnostics::finish`].
    pub line: Option<usize>,
    /// 1-based column (in characters), filled in by [`Diagnostics::finish`].
    pub column: Option<usize>,
    /// How to fix it.
    pub help: Option<String>,
    /// Where in the file.
    #[serde(skip)]
    pub span: Option<Span>,
    /// Label shown under the span.
    #[serde(skip)]
    pub label: Option<String>,
}

fn serialize_path<S: serde::Serializer>(p: &Option<PathBuf>, s: S) -> Result<S::Ok, S::Error> {
    match p {
        Some(p) => s.serialize_str(&display_path(p)),
        None => s.serialize_none(),
    }
}

/// A path as shown to users: forward slashes on every platform.
pub fn display_path(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

impl Diagnostic {
    /// A new error.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    /// A new warning.
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    /// A new note.
    pub fn note(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Note, code, message)
    }

    fn new(severity: Severity, code: Code, message: impl Into<String>) -> Self {
        debug_assert_eq!(severity, code.severity(), "`{code}` has the wrong severity");
        Diagnostic {
            severity,
            code,
            message: message.into(),
            file: None,
            line: None,
            column: None,
            help: None,
            span: None,
            label: None,
        }
    }

    /// Attach the file (relative to the site root).
    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Attach a span in the file.
    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// Attach an optional span in the file.
    pub fn at_opt(mut self, span: Option<Span>) -> Self {
        self.span = span;
        self
    }

    /// Attach a known line and column (when no span is known).
    pub fn at_line(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Attach help.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Attach a label for the underlined span.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, as far as known.
    pub fn location(&self) -> Option<String> {
        let file = display_path(self.file.as_ref()?);
        Some(match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(l), None) => format!("{file}:{l}"),
            _ => file,
        })
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `error[E-code]: file:line:col: message (help: ...)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]: ", self.severity, self.code)?;
        if let Some(loc) = self.location() {
            write!(f, "{loc}: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// A thread-safe collector: stages push from rayon workers.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Mutex<Vec<Diagnostic>>,
}

impl Diagnostics {
    /// An empty collector.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add one diagnostic.
    pub fn push(&self, d: Diagnostic) {
        self.items.lock().unwrap_or_else(|e| e.into_inner()).push(d);
    }

    /// Add many.
    pub fn extend(&self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(ds);
    }

    /// Whether any error was pushed so far.
    pub fn has_errors(&self) -> bool {
        self.items
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .any(Diagnostic::is_error)
    }

    /// The diagnostics as pushed: no lines or columns, not sorted (see [`Self::finish`]).
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    /// Fill in lines and columns from the files under `root`, sort deterministically
    /// (by file, position, then code) and return them.
    pub fn finish(self, root: &Path) -> Vec<Diagnostic> {
        use rayon::prelude::*;
        let mut items = self.items.into_inner().unwrap_or_else(|e| e.into_inner());
        // Each file is read once, files in parallel, and its text is dropped as soon as its
        // diagnostics have their positions: a big site with a warning on every file must
        // not hold all its files in memory (issue 5). The start of a file needs no reading.
        let mut pending: Vec<usize> = (0..items.len())
            .filter(|&i| {
                items[i].file.is_some() && items[i].span.is_some() && items[i].line.is_none()
            })
            .collect();
        pending.sort_by(|&a, &b| items[a].file.cmp(&items[b].file));
        let items_ref = &items;
        let positions: Vec<(usize, (usize, usize))> = pending
            .chunk_by(|&a, &b| items_ref[a].file == items_ref[b].file)
            .collect::<Vec<_>>()
            .into_par_iter()
            .flat_map_iter(|group| {
                let offset = |i: usize| items_ref[i].span.map_or(0, |s| s.offset);
                let text = if group.iter().all(|&i| offset(i) == 0) {
                    None
                } else {
                    let file = items_ref[group[0]].file.as_deref().unwrap_or(Path::new(""));
                    match crate::source::read_source(&root.join(file)) {
                        Ok(text) => Some(text),
                        Err(_) => return Vec::new(),
                    }
                };
                group
                    .iter()
                    .map(|&i| match &text {
                        Some(text) => (i, line_column(text, offset(i))),
                        None => (i, (1, 1)),
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        for (i, (line, column)) in positions {
            items[i].line = Some(line);
            items[i].column = Some(column);
        }
        sort_dedup(&mut items);
        items
    }
}

/// Diagnostics in the order [`Diagnostics::finish`] gives them, repeats dropped.
fn sort_dedup(items: &mut Vec<Diagnostic>) {
    items.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.code, &b.message))
    });
    items.dedup_by(|a, b| {
        a.code == b.code && a.file == b.file && a.span == b.span && a.message == b.message
    });
}

/// Two lists of finished diagnostics as one, as if they had been finished together.
pub fn merge_finished(a: &[Diagnostic], b: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut items = Vec::with_capacity(a.len() + b.len());
    items.extend_from_slice(a);
    items.extend(b);
    sort_dedup(&mut items);
    items
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

/// Byte offset of a 1-based line and column (in characters), clamped to the text.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    text[start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(i, _)| start + i)
}

/// The closest candidate to `word` by edit distance, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(word, c);
        let contains = c.contains(word) || word.contains(c);
        let score = if contains && word.len() >= 3 {
            score.max(0.85)
        } else {
            score
        };
        if score >= 0.8 && best.is_none_or(|(s, b)| score > s || (score == s && c < b)) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Turn a diagnostic into a miette report with the source snippet, for terminals.
pub fn to_report(d: &Diagnostic, root: &Path) -> miette::Report {
    use miette::{LabeledSpan, MietteDiagnostic};
    let severity = match d.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Note => miette::Severity::Advice,
    };
    let mut md = MietteDiagnostic::new(d.message.clone())
        .with_code(d.code.as_str())
        .with_severity(severity);
    if let Some(help) = &d.help {
        md = md.with_help(help.clone());
    }
    let Some(file) = &d.file else {
        return miette::Report::new(md);
    };
    let name = display_path(file);
    let text = crate::source::read_source(&root.join(file)).ok();
    let span = d.span.or_else(|| {
        let text = text.as_ref()?;
        Some(Span::new(
            offset_of(text, d.line?, d.column.unwrap_or(1)),
            0,
        ))
    });
    match (text, span) {
        (Some(text), Some(span)) => {
            // A window of the file, not the whole file: see `excerpt` (issue 9).
            let excerpt = excerpt::Excerpt::new(name, &text, span);
            let label = d.label.clone().unwrap_or_else(|| "here".to_string());
            md = md.with_label(LabeledSpan::new_with_span(Some(label), excerpt.span()));
            miette::Report::new(md).with_source_code(excerpt)
        }
        _ => {
            md = md.with_url(d.location().unwrap_or(name));
            miette::Report::new(md)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters() {
        let text = "ab\nдa x\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 3), (2, 1));
        assert_eq!(line_column(text, text.find('x').unwrap()), (2, 4));
        assert_eq!(offset_of(text, 2, 4), text.find('x').unwrap());
    }

    #[test]
    fn suggests_close_words_only() {
        let c = ["islamic-state-khorasan", "islamic-state", "russia"];
        assert_eq!(
            did_you_mean("islamic-state-korasan", c),
            Some("islamic-state-khorasan")
        );
        assert_eq!(did_you_mean("zzz", c), None);
        assert_eq!(
            did_you_mean("blamed", ["blames", "claims", "denies"]),
            Some("blames")
        );
    }
}
