//! The hostile corpus (payloads in every field and body) and the scan of an output file for
//! anything that could run script; used by the `xss` tests.

use crate::support::*;

// ----- hostile content -----

/// Payloads that would run script if any stage emitted author text unescaped.
const PAYLOADS: &[&str] = &[
    "<script>alert('x1')</script>",
    "\"><script>alert(2)</script>",
    "'><img src=x onerror=alert(3)>",
    "<svg onload=alert(4)><circle/></svg>",
    "<a href=\"javascript:alert(5)\">five</a>",
    "<iframe src=\"javascript:alert(6)\"></iframe>",
    "<style>body{background:url(javascript:alert(7))}</style>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(8)\">",
    "&lt;script&gt;alert(9)&lt;/script&gt;",
    "&#x3C;script&#x3E;alert(10)&#x3C;/script&#x3E;",
    "</textarea></title><script>alert(11)</script>",
    "]]><script>alert(12)</script><![CDATA[",
    "{{ site.title }} {% raw %} {# x #}",
];

/// `text` as a double-quoted YAML string.
pub(super) fn yaml(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A hostile value for `field`: its name, then every payload.
pub(super) fn hostile(field: &str) -> String {
    format!("{field} {}", PAYLOADS.join(" "))
}

/// Raw HTML and Markdown in a body, each of which is sanitised or neutralised.
const HOSTILE_BODY: &str = r#"
<script>alert('body-1')</script>

<img src=x onerror=alert(2)>

<svg onload=alert(3)><use xlink:href="javascript:alert(4)"/></svg>

<math><a xlink:href="javascript:alert(5)">m</a></math>

<iframe src="https://evil.example/"></iframe>

<object data="javascript:alert(6)"></object>

<embed src="javascript:alert(7)">

<a href="javascript:alert(8)">a</a> <a href="JaVaScRiPt:alert(9)">b</a>
<a href="&#106;avascript:alert(10)">c</a> <a href="&#x6A;avascript&#x3A;alert(11)">d</a>
<a href="java&#x09;script:alert(12)">e</a> <a href=" javascript:alert(13)">f</a>
<a href="vbscript:msgbox(14)">g</a>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxNSk8L3NjcmlwdD4=">h</a>
<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">

<form action="javascript:alert(16)"><button formaction="javascript:alert(17)">x</button></form>

<style>*{color:red}</style>

<meta http-equiv="refresh" content="0;url=https://evil.example/">

<base href="https://evil.example/">

<div style="position:fixed;top:0;background:url(javascript:alert(18))">styled</div>

<details open ontoggle=alert(19)><summary>s</summary></details>

<input autofocus onfocus=alert(20)>

<p onclick="alert(21)">p</p> <a href="https://ok.example/" onmouseover="alert(22)">ok</a>

<scr<script>ipt>alert(23)</script>

<noscript><p title="</noscript><img src=x onerror=alert(24)>"></noscript>

<template><script>alert(25)</script></template>

<table><tr><td background="javascript:alert(26)">t</td></tr></table>

<a href="https://ok.example/" target="_blank">new window</a>

## Heading {onclick="alert(27)" .note}

## Second {#x"onmouseover="alert(28)}

| a | b |
|:--|--:|
| 1 | 2 |

See [[xss-group#"onmouseover="alert(29)]] and [[xss-group|<b>bold</b>]].

```"><script>alert(30)</script>
code
```

[safe](https://example.org/a "title\" onclick=\"alert(31)") [relative](/pages/xss-page/) [mail](mailto:a@example.org)
"#;

pub(super) fn hostile_site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "briefing.toml",
        &format!(
            "title = {}\ndescription = {}\nbase_url = \"https://example.org/\"\n",
            yaml(&hostile("site-title")),
            yaml(&hostile("site-description"))
        ),
    );
    let source = format!(
        "sources:\n  - title: {}\n    publisher: {}\n    url: {}\n",
        yaml(&hostile("source-title")),
        yaml(&hostile("source-publisher")),
        yaml("https://example.org/?q=\"><script>alert(40)</script>&x='y'")
    );
    let common = |field: &str| {
        format!(
            "title: {}\nsummary: {}\ntags: [{}, {}]\n{source}extra:\n  html: {}\n",
            yaml(&hostile(&format!("{field}-title"))),
            yaml(&hostile(&format!("{field}-summary"))),
            yaml(&hostile(&format!("{field}-tag"))),
            yaml("<b onmouseover=alert(41)>tag</b>"),
            yaml(&hostile("extra"))
        )
    };
    site.write(
        "content/incidents/xss-incident.md",
        &format!(
            "---\n{}date: 2024-03-22\nlocation:\n  place: {}\n  city: {}\n  region: {}\n  country: FR\ncasualties:\n  killed: 1\n  note: {}\nattack_types: [{}]\ntargets: [{}]\nperpetrators: [xss-group]\n---\n{HOSTILE_BODY}",
            common("incident"),
            yaml(&hostile("place")),
            yaml(&hostile("city")),
            yaml(&hostile("region")),
            yaml(&hostile("casualty-note")),
            yaml("<script>alert(42)</script>"),
            yaml("\" onmouseover=\"alert(43)"),
        ),
    );
    site.write(
        "content/groups/xss-group.md",
        &format!(
            "---\n{}short_name: {}\naliases: [{}, {}]\nideology: [{}]\n---\n{HOSTILE_BODY}",
            common("group"),
            yaml(&hostile("short-name")),
            yaml(&hostile("alias")),
            yaml("javascript:alert(44)"),
            yaml(&hostile("ideology")),
        ),
    );
    site.write(
        "content/actors/xss-actor.md",
        &format!(
            "---\n{}kind: person\nrole: {}\n---\n{HOSTILE_BODY}",
            common("actor"),
            yaml(&hostile("role"))
        ),
    );
    site.write(
        "content/statements/xss-statement.md",
        &format!(
            "---\n{}date: 2024-03-23\nspeaker: xss-group\nvia: xss-actor\nincident: xss-incident\nabout: [xss-actor]\nstance: claims\nquote: {}\nverification:\n  status: fabricated\n  note: {}\nsource:\n  title: {}\n  url: {}\n---\n{HOSTILE_BODY}",
            common("statement"),
            yaml(&hostile("quote")),
            yaml(&hostile("verification-note")),
            yaml(&hostile("statement-source")),
            yaml("/pages/xss-page/?a=\"><script>alert(45)</script>"),
        ),
    );
    site.write(
        "content/pages/xss-page.md",
        &format!(
            "---\n{}description: {}\n---\n{HOSTILE_BODY}",
            common("page"),
            yaml(&hostile("description"))
        ),
    );
    site.write(
        "content/_index.md",
        &format!(
            "---\ntitle: {}\ndescription: {}\n---\n{HOSTILE_BODY}",
            yaml(&hostile("intro-title")),
            yaml(&hostile("intro-description"))
        ),
    );
    site
}

/// URL attributes that a browser may follow or load.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "srcset",
    "ping",
];

/// Every reason `doc` (the output file `file`) could run script.
/// Whether an `<svg>` is one of the generator's pictures: a map, a chart or a legend key
/// inside a `<div class="picture">`.
fn is_picture(svg: scraper::ElementRef<'_>) -> bool {
    let ours = svg
        .value()
        .classes()
        .any(|c| ["map", "chart", "legend-key"].contains(&c));
    let in_figure = svg
        .ancestors()
        .filter_map(scraper::ElementRef::wrap)
        .any(|a| a.value().name() == "div" && a.value().classes().any(|c| c == "picture"));
    ours && in_figure
}

pub(super) fn executable_content(file: &str, doc: &scraper::Html) -> Vec<String> {
    let mut found = Vec::new();
    for node in doc.tree.nodes() {
        let Some(el) = scraper::ElementRef::wrap(node) else {
            continue;
        };
        let e = el.value();
        let name = e.name();
        match name {
            // The generator's own pictures (issue 13): an <svg> of the theme's classes,
            // in a figure; their elements and attributes are checked like any other.
            "svg" if is_picture(el) => {}
            "script" => {
                let theirs = e.attr("src") == Some("https://example.org/search.js")
                    && file == "search/index.html"
                    && el.text().all(|t| t.trim().is_empty());
                // JSON-LD (issue 12) is data, not code, if it parses as JSON and holds no
                // `<` that could end the element.
                let text: String = el.text().collect();
                let json_ld = e.attr("type") == Some("application/ld+json")
                    && e.attr("src").is_none()
                    && !text.contains('<')
                    && serde_json::from_str::<serde_json::Value>(&text).is_ok();
                if !theirs && !json_ld {
                    found.push(format!("{file}: <script> {:?}", e.attr("src")));
                }
            }
            "iframe" | "frame" | "frameset" | "object" | "embed" | "applet" | "base" | "style"
            | "svg" | "math" | "template" | "portal" | "foreignObject" | "use" | "animate"
            | "set" => {
                found.push(format!("{file}: <{name}>"));
            }
            "meta" if e.attr("http-equiv").is_some() => {
                found.push(format!("{file}: <meta http-equiv>"));
            }
            _ => {}
        }
        for (attr, value) in e.attrs() {
            let attr = attr.to_ascii_lowercase();
            if attr.starts_with("on") || attr == "srcdoc" || attr == "formaction" {
                found.push(format!("{file}: <{name} {attr}={value:?}>"));
            }
            let style = value.trim();
            if attr == "style" && !style.is_empty() && !style.starts_with("text-align") {
                found.push(format!("{file}: <{name} style={value:?}>"));
            }
            if URL_ATTRIBUTES.contains(&attr.as_str()) {
                let compact: String = value
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                if ["javascript:", "vbscript:", "data:"]
                    .iter()
                    .any(|s| compact.starts_with(s))
                {
                    found.push(format!("{file}: <{name} {attr}={value:?}>"));
                }
            }
        }
    }
    found
}
