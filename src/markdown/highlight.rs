//! Code highlighting with syntect, as CSS classes (never inline styles), and the
//! stylesheet for those classes.
//!
//! The syntax set is loaded once per process and shared by all render threads.

use std::sync::OnceLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, css_for_theme_with_class_style};
use syntect::parsing::{
    BasicScopeStackOp, ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet,
};
use syntect::util::LinesWithEndings;

/// Classes carry this prefix so they cannot clash with the theme's own.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static S: OnceLock<SyntaxSet> = OnceLock::new();
    S.get_or_init(SyntaxSet::load_defaults_newlines)
}

fn themes() -> &'static ThemeSet {
    static T: OnceLock<ThemeSet> = OnceLock::new();
    T.get_or_init(ThemeSet::load_defaults)
}

/// Names of the built-in highlighting themes, sorted.
pub fn theme_names() -> Vec<String> {
    themes().themes.keys().cloned().collect()
}

/// Largest code block that is highlighted, in bytes. syntect needs some hundred bytes of
/// memory per byte of code and is slow on long lines: a 30 MB block took gigabytes (issue 9,
/// item 11). Bigger blocks are shown as escaped plain text.
pub const MAX_HIGHLIGHT_BYTES: usize = 256 * 1024;
/// Longest line of a code block that is highlighted, in bytes (minified code, data dumps).
pub const MAX_HIGHLIGHT_LINE: usize = 10_000;

/// Whether [`code_block`] would highlight `lang` at all.
pub fn can_highlight(lang: &str) -> bool {
    !lang.is_empty() && syntaxes().find_syntax_by_token(lang).is_some()
}

/// Whether `code` is beyond the highlighting limits, and why.
pub fn too_big_to_highlight(code: &str) -> Option<String> {
    if code.len() > MAX_HIGHLIGHT_BYTES {
        return Some(format!(
            "the code block has {} KiB, more than the {} KiB that are highlighted",
            code.len().div_ceil(1024),
            MAX_HIGHLIGHT_BYTES / 1024
        ));
    }
    let longest = code.lines().map(str::len).max().unwrap_or(0);
    (longest > MAX_HIGHLIGHT_LINE).then(|| {
        format!(
            "the code block has a line of {longest} bytes, longer than the {MAX_HIGHLIGHT_LINE} that are highlighted"
        )
    })
}

/// HTML for a fenced code block: highlighted when `lang` is known and `highlight` is on,
/// escaped plain text otherwise.
pub fn code_block(code: &str, lang: &str, highlight: bool) -> String {
    let lang_attr = super::escape_attr(lang);
    if highlight
        && !lang.is_empty()
        && let Some(syntax) = syntaxes().find_syntax_by_token(lang)
        && let Some(html) = classed_html(code, syntax)
    {
        return format!(
            "<pre class=\"code\" data-lang=\"{lang_attr}\"><code>{html}</code></pre>\n"
        );
    }
    let class = if lang.is_empty() {
        String::new()
    } else {
        format!(" data-lang=\"{lang_attr}\"")
    };
    format!(
        "<pre class=\"code\"{class}><code>{}</code></pre>\n",
        super::escape_text(code)
    )
}

/// The highlighted HTML of `code` in `syntax`, byte for byte what syntect's
/// `ClassedHTMLGenerator` with [`CLASS_STYLE`] gives (a test compares the two), or `None`
/// when syntect fails on it. Written out here to save what the generator repeats for
/// every span (issue 16): each scope's class list is made once per thread, not once per
/// span under syntect's global scope lock, and the lines go into one buffer. Plain text
/// has no grammar to run: its one scope wraps the escaped text.
fn classed_html(code: &str, syntax: &SyntaxReference) -> Option<String> {
    let mut out = String::with_capacity(code.len() + code.len() / 2);
    if syntax.name == "Plain Text" {
        if !code.is_empty() {
            out.push_str("<span class=\"hl-text hl-plain\">");
            push_escaped(&mut out, code);
            out.push_str("</span>");
        }
        return Some(out);
    }
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut open: isize = 0;
    CLASSES.with_borrow_mut(|classes| {
        for line in LinesWithEndings::from(code) {
            let ops = state.parse_line(line, syntaxes()).ok()?;
            let mut at = 0;
            // An element that would be empty is left out, as syntect does.
            let (mut span_empty, mut span_start) = (false, 0);
            for (i, op) in &ops {
                if *i > at {
                    span_empty = false;
                    push_escaped(&mut out, &line[at..*i]);
                    at = *i;
                }
                stack
                    .apply_with_hook(op, |basic, _| match basic {
                        BasicScopeStackOp::Push(scope) => {
                            span_start = out.len();
                            span_empty = true;
                            out.push_str(classes.entry(scope).or_insert_with(|| open_tag(scope)));
                            open += 1;
                        }
                        BasicScopeStackOp::Pop => {
                            if span_empty {
                                out.truncate(span_start);
                            } else {
                                out.push_str("</span>");
                            }
                            open -= 1;
                            span_empty = false;
                        }
                    })
                    .ok()?;
            }
            push_escaped(&mut out, &line[at..]);
        }
        Some(())
    })?;
    for _ in 0..open {
        out.push_str("</span>");
    }
    Some(out)
}

thread_local! {
    /// The opening tag of each scope seen by this thread.
    static CLASSES: std::cell::RefCell<std::collections::HashMap<Scope, String>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// `<span class="hl-source hl-json">` for `source.json`.
fn open_tag(scope: Scope) -> String {
    let mut s = String::from("<span class=\"");
    for (i, atom) in scope.build_string().split('.').enumerate() {
        if i != 0 {
            s.push(' ');
        }
        s.push_str("hl-");
        s.push_str(atom);
    }
    s.push_str("\">");
    s
}

/// `text` escaped as syntect escapes code (`<`, `>`, `&`, `'` and `"`).
fn push_escaped(out: &mut String, text: &str) {
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let rep = match b {
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'&' => "&amp;",
            b'\'' => "&#39;",
            b'"' => "&quot;",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}

/// The stylesheet for highlighted code: `light` by default, `dark` under
/// `prefers-color-scheme: dark`. Unknown theme names were rejected with the config.
pub fn stylesheet(light: &str, dark: &str) -> String {
    let css = |name: &str| {
        themes()
            .themes
            .get(name)
            .and_then(|t| css_for_theme_with_class_style(t, CLASS_STYLE).ok())
            .unwrap_or_default()
    };
    format!(
        "/* generated by briefing from the syntect themes `{light}` and `{dark}` */\n{}\n@media (prefers-color-scheme: dark) {{\n{}\n}}\n",
        css(light),
        css(dark)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use syntect::html::ClassedHTMLGenerator;

    /// What syntect's own generator makes of `code`.
    fn syntect_html(code: &str, lang: &str) -> String {
        let syntax = syntaxes().find_syntax_by_token(lang).unwrap();
        let mut g = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes(), CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            g.parse_html_for_line_which_includes_newline(line).unwrap();
        }
        g.finalize()
    }

    #[test]
    fn classed_html_is_what_syntect_writes() {
        let samples = [
            "",
            "x",
            "plain <b>&'\"</b>\nsecond line\n\n",
            "{\"a\": [1, 2.5e3, true, null], \"b\": \"<&>\"}\n",
            "key: value\nlist:\n  - 'one' # comment\n  - \"two\"\n",
            "#!/bin/sh\nfor f in *.md; do echo \"$f\" > /dev/null; done\n",
            "def f(x):\n    \"\"\"doc\"\"\"\n    return x ** 2  # <square>\n",
            "unterminated \"string\n  and 'more\n",
            "<div class=\"a\">&amp;</div>\n",
        ];
        // `text` has no grammar: it is escaped without syntect (see `code_block`).
        assert!(!can_highlight("text"));
        for lang in ["txt", "json", "yaml", "bash", "python", "rust", "html", "c"] {
            let syntax = syntaxes().find_syntax_by_token(lang).unwrap();
            for code in samples {
                assert_eq!(
                    classed_html(code, syntax).unwrap(),
                    syntect_html(code, lang),
                    "{lang}: {code:?}"
                );
            }
        }
    }
}
