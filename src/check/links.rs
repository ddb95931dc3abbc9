//! The rendered site's own links: every internal `href`/`src` must lead to a page or file
//! of the output, and every `#fragment` to an element with that id on the target page.
//!
//! One linear pass: each HTML file is read and scanned once (in parallel) by a small
//! tokenizer that keeps only ids and link URLs; then every link is looked up in hash sets
//! of output paths and ids. The tokenizer is enough for HTML the generator writes (and
//! for hand-written templates): it understands comments, quoted and unquoted attribute
//! values, character references and raw-text elements such as `<script>`.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;

/// What one HTML page holds that matters for links.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageScan {
    /// Every `id` (and `<a name>`) on the page.
    pub ids: HashSet<String>,
    /// Every `href`, `src`, `poster` and `srcset` URL, in document order, decoded.
    pub links: Vec<String>,
}

/// Scan one HTML document for ids and link URLs.
pub fn scan_html(html: &str) -> PageScan {
    let mut scan = PageScan::default();
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(found) = html[i..].find('<') {
        let start = i + found;
        let rest = &html[start..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            match comment.find("-->") {
                Some(end) => i = start + 4 + end + 3,
                None => break,
            }
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") || rest.starts_with("</") {
            match rest.find('>') {
                Some(end) => i = start + end + 1,
                None => break,
            }
            continue;
        }
        let name_start = start + 1;
        let mut j = name_start;
        while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'-') {
            j += 1;
        }
        if j == name_start || !bytes[name_start].is_ascii_alphabetic() {
            i = start + 1;
            continue;
        }
        let tag = html[name_start..j].to_ascii_lowercase();
        j = scan_attributes(html, j, &tag, &mut scan);
        i = j;
        if matches!(
            tag.as_str(),
            "script" | "style" | "textarea" | "title" | "xmp"
        ) {
            let close = format!("</{tag}");
            match find_ascii_case_insensitive(&html[i..], &close) {
                Some(end) => i += end,
                None => break,
            }
        }
    }
    scan
}

/// Parse attributes from `j` (just after the tag name) to the end of the tag; returns the
/// offset after `>`.
fn scan_attributes(html: &str, mut j: usize, tag: &str, scan: &mut PageScan) -> usize {
    let bytes = html.as_bytes();
    let n = bytes.len();
    loop {
        while j < n && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
            j += 1;
        }
        if j >= n {
            return n;
        }
        if bytes[j] == b'>' {
            return j + 1;
        }
        let name_start = j;
        j += 1;
        while j < n && !bytes[j].is_ascii_whitespace() && !matches!(bytes[j], b'=' | b'>' | b'/') {
            j += 1;
        }
        let name = html[name_start..j].to_ascii_lowercase();
        while j < n && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        let mut value = None;
        if j < n && bytes[j] == b'=' {
            j += 1;
            while j < n && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < n && (bytes[j] == b'"' || bytes[j] == b'\'') {
                let quote = bytes[j] as char;
                let v_start = j + 1;
                let v_end = html[v_start..].find(quote).map_or(n, |e| v_start + e);
                value = Some(&html[v_start..v_end]);
                j = (v_end + 1).min(n);
            } else {
                let v_start = j;
                while j < n && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                    j += 1;
                }
                value = Some(&html[v_start..j]);
            }
        }
        let Some(value) = value else { continue };
        match name.as_str() {
            "id" => {
                scan.ids.insert(decode_entities(value).into_owned());
            }
            "name" if tag == "a" => {
                scan.ids.insert(decode_entities(value).into_owned());
            }
            "href" | "src" | "poster" => {
                scan.links.push(decode_entities(value).trim().to_string());
            }
            "srcset" => {
                for candidate in decode_entities(value).split(',') {
                    if let Some(url) = candidate.split_whitespace().next() {
                        scan.links.push(url.to_string());
                    }
                }
            }
            _ => {}
        }
    }
}

fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    if n.is_empty() || h.len() < n.len() {
        return None;
    }
    (0..=h.len() - n.len()).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Decode the character references that appear in attribute values.
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|&e| e <= 10).and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Decode `%XX` escapes (as UTF-8); invalid escapes stay as written.
pub fn percent_decode(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    match String::from_utf8(out) {
        Ok(s) => Cow::Owned(s),
        Err(_) => Cow::Borrowed(s),
    }
}

/// Where the site lives, to tell its own links from others.
#[derive(Debug, Clone)]
pub struct Base {
    /// `https://example.org/briefings/`, when `base_url` is absolute.
    absolute: Option<String>,
    /// `/briefings/`: the path part, always starting and ending with `/`.
    path: String,
}

impl Base {
    /// From a normalised `base_url` (ending with `/`).
    pub fn new(base_url: &str) -> Base {
        let base_url = if base_url.ends_with('/') {
            base_url.to_string()
        } else {
            format!("{base_url}/")
        };
        match base_url.split_once("://") {
            Some((_, rest)) => {
                let path = rest.find('/').map_or("/", |i| &rest[i..]).to_string();
                Base {
                    absolute: Some(base_url),
                    path,
                }
            }
            None => Base {
                absolute: None,
                path: base_url,
            },
        }
    }
}

/// A link resolved to the site: the output path it names and its fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Path relative to the output folder, as written (`incidents/x/`, `style.css`, ``).
    pub path: String,
    /// The fragment, decoded; `None` without `#`.
    pub fragment: Option<String>,
}

/// Resolve `href` found on the page at output path `page` (`incidents/x/index.html`).
/// `None` for links that leave the site (other hosts, `mailto:`, paths outside the base).
pub fn resolve(href: &str, page: &str, base: &Base) -> Option<Target> {
    let href = href.trim();
    let (before, fragment) = match href.split_once('#') {
        Some((b, f)) => (b, Some(percent_decode(f).into_owned())),
        None => (href, None),
    };
    let before = before.split('?').next().unwrap_or("");
    let has_scheme = before
        .find(':')
        .is_some_and(|c| !before[..c].contains('/') && c > 0);
    let rel: String = if has_scheme {
        let abs = base.absolute.as_deref()?;
        if let Some(rest) = strip_prefix_ignore_case(before, abs) {
            rest.to_string()
        } else if format!("{before}/").eq_ignore_ascii_case(abs) {
            String::new()
        } else {
            return None;
        }
    } else if let Some(no_scheme) = before.strip_prefix("//") {
        let abs = base.absolute.as_deref()?;
        let host_and_path = abs.split_once("://").map_or(abs, |(_, r)| r);
        strip_prefix_ignore_case(no_scheme, host_and_path)?.to_string()
    } else if before.starts_with('/') {
        if let Some(rest) = before.strip_prefix(base.path.as_str()) {
            rest.to_string()
        } else if format!("{before}/") == base.path {
            String::new()
        } else {
            return None;
        }
    } else if before.is_empty() {
        page.to_string()
    } else {
        let dir = match page.rfind('/') {
            Some(i) => &page[..=i],
            None => "",
        };
        normalise(&format!("{dir}{before}"))
    };
    Some(Target {
        path: percent_decode(&rel).into_owned(),
        fragment,
    })
}

/// `href` without the site's base URL or base path in front, if it starts with either:
/// what a template writes after `{{ site.base_url }}`.
pub fn strip_base<'a>(href: &'a str, base: &Base) -> Option<&'a str> {
    base.absolute
        .as_deref()
        .and_then(|abs| strip_prefix_ignore_case(href, abs))
        .or_else(|| href.strip_prefix(base.path.as_str()))
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    (s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix))
    .then(|| &s[prefix.len()..])
}

/// Resolve `.` and `..` segments; `..` above the root stays at the root, as in browsers.
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let trailing = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if trailing && !out.is_empty() {
        out.push('/');
    }
    out
}

/// Every file of the output folder, and the scan of every HTML page.
#[derive(Debug, Default)]
pub struct OutputIndex {
    /// Every file, relative to the output folder, with `/` separators.
    pub files: HashSet<String>,
    /// Scans of HTML files, by path.
    pub pages: HashMap<String, PageScan>,
}

impl OutputIndex {
    /// Walk `dir` and scan every HTML file once, in parallel.
    pub fn read(dir: &Path) -> std::io::Result<OutputIndex> {
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry = entry.map_err(std::io::Error::other)?;
            if entry.file_type().is_file() {
                let rel = entry
                    .path()
                    .strip_prefix(dir)
                    .unwrap_or(entry.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push(rel);
            }
        }
        let pages = files
            .par_iter()
            .filter(|f| f.ends_with(".html"))
            .map(|f| {
                let html = std::fs::read_to_string(dir.join(f))?;
                Ok((f.clone(), scan_html(&html)))
            })
            .collect::<std::io::Result<HashMap<_, _>>>()?;
        Ok(OutputIndex {
            files: files.into_iter().collect(),
            pages,
        })
    }

    /// The output file a site path names: `x/` is `x/index.html`, and `x` is accepted for
    /// `x/index.html` (servers redirect it).
    pub fn file_for(&self, path: &str) -> Option<String> {
        if path.is_empty() || path.ends_with('/') {
            let f = format!("{path}index.html");
            return self.files.contains(&f).then_some(f);
        }
        if self.files.contains(path) {
            return Some(path.to_string());
        }
        let f = format!("{path}/index.html");
        self.files.contains(&f).then_some(f)
    }
}

/// What is wrong with a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// No page or file has this path.
    NoTarget {
        /// The path looked for.
        path: String,
    },
    /// The page exists but has no element with this id.
    NoFragment {
        /// The target page (output file).
        file: String,
        /// The missing id.
        fragment: String,
    },
}

/// One broken link on one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The page it is on (output file, e.g. `incidents/x/index.html`).
    pub page: String,
    /// The URL as written in the HTML (references decoded).
    pub href: String,
    /// What is wrong.
    pub problem: Problem,
}

/// Check every link of every page; returns the broken ones sorted by page, and how many
/// internal links were checked.
pub fn broken_links(index: &OutputIndex, base: &Base) -> (Vec<BrokenLink>, usize) {
    let mut pages: Vec<(&String, &PageScan)> = index.pages.iter().collect();
    pages.sort_by_key(|(p, _)| *p);
    let mut checked = 0;
    let mut broken = Vec::new();
    for (page, scan) in pages {
        for href in &scan.links {
            let Some(target) = resolve(href, page, base) else {
                continue;
            };
            checked += 1;
            let problem = match index.file_for(&target.path) {
                None => Some(Problem::NoTarget { path: target.path }),
                Some(file) => match target.fragment {
                    Some(f)
                        if !f.is_empty()
                            && f != "top"
                            && index.pages.get(&file).is_some_and(|p| !p.ids.contains(&f)) =>
                    {
                        Some(Problem::NoFragment { file, fragment: f })
                    }
                    _ => None,
                },
            };
            if let Some(problem) = problem {
                broken.push(BrokenLink {
                    page: page.clone(),
                    href: href.clone(),
                    problem,
                });
            }
        }
    }
    (broken, checked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_ids_and_links_once() {
        let html = r##"<!doctype html><html><head><title>a <b href="/no/"></title>
<link rel=stylesheet href=/style.css><script>let x = '<a href="/nope/">';</script></head>
<body><!-- <a href="/commented/"> --><h2 id="one">x</h2><a name=two></a>
<a class="x" href="/p/?a=1&amp;b=2#one">y</a><img src='/i.png' srcset="/a.png 1x, /b.png 2x">
<p>1 < 2</p><DIV ID="Three"></DIV></body></html>"##;
        let s = scan_html(html);
        assert_eq!(
            s.links,
            [
                "/style.css",
                "/p/?a=1&b=2#one",
                "/i.png",
                "/a.png",
                "/b.png"
            ]
        );
        for id in ["one", "two", "Three"] {
            assert!(s.ids.contains(id), "{id}");
        }
        assert_eq!(s.ids.len(), 3);
    }

    #[test]
    fn resolves_against_the_base_and_the_page() {
        let root = Base::new("/");
        let page = "incidents/x/index.html";
        let t = |path: &str, f: Option<&str>| {
            Some(Target {
                path: path.into(),
                fragment: f.map(str::to_string),
            })
        };
        assert_eq!(
            resolve("/groups/g/#a", page, &root),
            t("groups/g/", Some("a"))
        );
        assert_eq!(resolve("#b", page, &root), t(page, Some("b")));
        assert_eq!(resolve("../y/", page, &root), t("incidents/y/", None));
        assert_eq!(
            resolve("../../../style.css", page, &root),
            t("style.css", None)
        );
        assert_eq!(resolve("https://else.org/x", page, &root), None);
        assert_eq!(resolve("mailto:a@b.c", page, &root), None);
        assert_eq!(resolve("/%C3%BC/", page, &root), t("ü/", None));

        let sub = Base::new("https://ex.org/b/");
        assert_eq!(
            resolve("https://ex.org/b/tags/t/", page, &sub),
            t("tags/t/", None)
        );
        assert_eq!(resolve("https://ex.org/b", page, &sub), t("", None));
        assert_eq!(resolve("/b/atom.xml", page, &sub), t("atom.xml", None));
        assert_eq!(resolve("//ex.org/b/x/", page, &sub), t("x/", None));
        assert_eq!(resolve("/other/", page, &sub), None);
        assert_eq!(resolve("https://ex.org/other/", page, &sub), None);
    }

    #[test]
    fn finds_missing_pages_and_fragments() {
        let mut index = OutputIndex::default();
        for f in ["index.html", "a/index.html", "style.css"] {
            index.files.insert(f.into());
        }
        let mut home = scan_html(
            r##"<a href="/a/#s">x</a><a href="/a">x</a><a href="/style.css#z">x</a><a href="#top">x</a>"##,
        );
        home.links
            .extend(["/b/".to_string(), "/a/#nope".to_string()]);
        index.pages.insert("index.html".into(), home);
        index
            .pages
            .insert("a/index.html".into(), scan_html(r#"<h2 id="s">S</h2>"#));
        let (broken, checked) = broken_links(&index, &Base::new("/"));
        assert_eq!(checked, 6);
        assert_eq!(
            broken.iter().map(|b| b.href.as_str()).collect::<Vec<_>>(),
            ["/b/", "/a/#nope"]
        );
        assert_eq!(
            broken[1].problem,
            Problem::NoFragment {
                file: "a/index.html".into(),
                fragment: "nope".into()
            }
        );
    }

    #[test]
    fn decodes_references_and_escapes() {
        assert_eq!(
            decode_entities("a&amp;b&#39;c&#x2F;&bogus;"),
            "a&b'c/&bogus;"
        );
        assert_eq!(percent_decode("a%20b%zz%C3%BC"), "a b%zzü");
    }
}
