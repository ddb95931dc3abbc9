//! The bare floor of a build, to compare `briefing` against (issue 5).
//!
//! It does only what any static site generator must do: walk `content/`, read each file,
//! split off the frontmatter, parse it as YAML, render the Markdown body with
//! pulldown-cmark and write one HTML file per entity, in parallel with rayon. No links,
//! no templates, no listings, no feeds. `--highlight` also highlights fenced code with
//! syntect the way `briefing` does, to show what highlighting alone costs.
//!
//! ```text
//! cargo run --release --example floor -- SITE_ROOT OUT_DIR [--highlight]
//! ```

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd, html};
use rayon::prelude::*;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let highlight = args.iter().any(|a| a == "--highlight");
    let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let [root, out] = paths.as_slice() else {
        eprintln!("usage: floor SITE_ROOT OUT_DIR [--highlight]");
        std::process::exit(2);
    };
    let (root, out) = (Path::new(root.as_str()), Path::new(out.as_str()));
    let start = Instant::now();
    let files: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let _ = fs::remove_dir_all(out);
    fs::create_dir_all(out).expect("create the output folder");
    let bytes: usize = files
        .par_iter()
        .map(|path| build_one(root, out, path, highlight))
        .sum();
    eprintln!(
        "floor: {} files, {} bytes written in {:.3}s",
        files.len(),
        bytes,
        start.elapsed().as_secs_f64()
    );
}

/// Read, split, parse, render and write one file; returns the bytes written.
fn build_one(root: &Path, out: &Path, path: &Path, highlight: bool) -> usize {
    let Ok(text) = fs::read_to_string(path) else {
        return 0;
    };
    let Some((front, body)) = split(&text) else {
        return 0;
    };
    let meta: serde_json::Value = serde_saphyr::from_str(front).unwrap_or_default();
    let title = meta.get("title").and_then(|t| t.as_str()).unwrap_or("");
    let mut page = String::with_capacity(body.len() * 2 + 256);
    page.push_str("<!doctype html><meta charset=\"utf-8\"><title>");
    page.push_str(&briefing::markdown::escape_text(title));
    page.push_str("</title><main>\n");
    render(body, highlight, &mut page);
    page.push_str("</main>\n");
    let rel = path
        .strip_prefix(root.join("content"))
        .unwrap_or(path)
        .with_extension("");
    let dir = out.join(rel);
    if fs::create_dir_all(&dir).is_err() || fs::write(dir.join("index.html"), &page).is_err() {
        return 0;
    }
    page.len()
}

/// `---` frontmatter and body.
fn split(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("---\n")?;
    let end = rest.find("\n---\n")?;
    Some((&rest[..end + 1], &rest[end + 5..]))
}

fn render(body: &str, highlight: bool, out: &mut String) {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION;
    let parser = Parser::new_ext(body, opts);
    if !highlight {
        html::push_html(out, parser);
        return;
    }
    let mut code: Option<(String, String)> = None;
    let events = parser.filter_map(|event| match (&mut code, event) {
        (None, Event::Start(Tag::CodeBlock(kind))) => {
            let lang = match kind {
                CodeBlockKind::Fenced(info) => info.split(' ').next().unwrap_or("").to_string(),
                CodeBlockKind::Indented => String::new(),
            };
            code = Some((lang, String::new()));
            None
        }
        (Some((_, buf)), Event::Text(t)) => {
            buf.push_str(&t);
            None
        }
        (Some(_), Event::End(TagEnd::CodeBlock)) => {
            let (lang, text) = code.take().unwrap_or_default();
            Some(Event::Html(highlighted(&lang, &text).into()))
        }
        (Some(_), _) => None,
        (None, e) => Some(e),
    });
    html::push_html(out, events);
}

fn highlighted(lang: &str, code: &str) -> String {
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    let ss = SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines);
    let mut html = String::from("<pre><code>");
    match ss.find_syntax_by_token(lang) {
        Some(syntax) => {
            let style = ClassStyle::SpacedPrefixed { prefix: "hl-" };
            let mut g = ClassedHTMLGenerator::new_with_class_style(syntax, ss, style);
            for line in LinesWithEndings::from(code) {
                let _ = g.parse_html_for_line_which_includes_newline(line);
            }
            html.push_str(&g.finalize());
        }
        None => {
            html.push_str(&briefing::markdown::escape_text(code));
        }
    }
    html.push_str("</code></pre>\n");
    html
}
