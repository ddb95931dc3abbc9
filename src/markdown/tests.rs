//! Unit tests of Markdown rendering and wikilink scanning.

use super::*;

const OPTS: MarkdownOptions = MarkdownOptions {
    unsafe_raw_html: false,
    smart_punctuation: true,
    highlight_code: true,
    allow_remote_images: false,
};

fn resolver(slug: &str) -> Option<Resolved> {
    (slug == "known").then(|| Resolved {
        url: "/groups/known/".into(),
        title: "Known Group".into(),
    })
}

#[test]
fn wikilinks_resolve_or_fall_back_to_text() {
    let r = render_markdown(
        "See [[known]], [[known|them]] and [[gone|that one]] or [[gone]].",
        0,
        OPTS,
        &resolver,
    );
    assert!(
        r.html
            .contains(r#"<a href="/groups/known/">Known Group</a>"#),
        "{}",
        r.html
    );
    assert!(
        r.html.contains(r#"<a href="/groups/known/">them</a>"#),
        "{}",
        r.html
    );
    assert!(r.html.contains("and that one or ."), "{}", r.html);
    assert!(!r.html.contains("gone"));
}

#[test]
fn scan_skips_code_and_records_spans() {
    let body = "x [[a-b|T]]\n\n```\n[[not-a-link]]\n```\n`[[nor]]` [[c#f]]";
    let links = scan_wikilinks(body, 10);
    let targets: Vec<&str> = links.iter().map(|l| l.target.as_str()).collect();
    assert_eq!(targets, ["a-b", "c"]);
    assert_eq!(links[0].text.as_deref(), Some("T"));
    assert_eq!(links[1].fragment.as_deref(), Some("f"));
    assert_eq!(links[0].span.offset, 12);
}

#[test]
fn raw_html_is_sanitised_by_default() {
    let body = "<script>alert(1)</script>\n\n<p onclick=\"x()\">hi <kbd>K</kbd></p>\n";
    let r = render_markdown(body, 0, OPTS, &resolver);
    assert!(
        !r.html.contains("script") && !r.html.contains("onclick"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<kbd>K</kbd>"));
    let r = render_markdown(
        body,
        0,
        MarkdownOptions {
            unsafe_raw_html: true,
            ..OPTS
        },
        &resolver,
    );
    assert!(r.html.contains("<script>"));
}

#[test]
fn dangerous_link_schemes_are_reported() {
    let r = render_markdown(
        "[a](javascript:alert(1)) [b](JaVaScript:x) [e](data:text/html,x) [c](https://x.org) [d](/p/)",
        0,
        OPTS,
        &resolver,
    );
    assert_eq!(r.problems.len(), 3);
    assert!(!r.html.to_lowercase().contains("javascript"));
    assert!(r.html.contains("https://x.org"));
}

#[test]
fn headings_get_unique_ids_and_anchors() {
    let r = render_markdown(
        "## Attribution\n\n## Attribution\n\n### Own {#mine}\n",
        0,
        OPTS,
        &resolver,
    );
    assert!(r.html.contains(r#"<h2 id="attribution">"#), "{}", r.html);
    assert!(r.html.contains(r#"<h2 id="attribution-1">"#));
    assert!(r.html.contains(r#"<h3 id="mine">"#));
    assert!(r.html.contains(r##"href="#attribution""##));
    assert_eq!(r.toc.len(), 3);
    assert_eq!(r.toc[2].title, "Own");
}

#[test]
fn heading_attributes_cannot_inject_attributes() {
    // Regression (issue 4): `{onclick=...}` passed through, and an author's `{#id}`
    // broke out of the anchor's unescaped `href`, in bodies that are not sanitised.
    let r = render_markdown(
        "## A {onclick=\"alert(1)\" .note}\n\n## B {#x\"onmouseover=\"alert(2)}\n",
        0,
        OPTS,
        &resolver,
    );
    assert!(!r.html.contains("onclick"), "{}", r.html);
    assert!(r.html.contains(r#"<h2 id="a" class="note">"#), "{}", r.html);
    assert!(
        r.html
            .contains(r##"href="#x&quot;onmouseover=&quot;alert(2)""##),
        "{}",
        r.html
    );
    assert!(!r.html.contains(r#""onmouseover="#), "{}", r.html);
}

#[test]
fn nesting_beyond_the_limit_is_an_error_not_a_hang() {
    let deep = format!("{}x", "- ".repeat(MAX_NESTING + 1));
    let r = render_markdown(&deep, 7, OPTS, &resolver);
    assert_eq!(r.problems.len(), 1);
    assert_eq!(r.problems[0].code, Code::Limit);
    assert_eq!(r.problems[0].span.map(|s| s.offset), Some(7));
    assert!(r.html.is_empty());
    let fine = format!("{}x", "- ".repeat(MAX_NESTING));
    assert!(
        render_markdown(&fine, 0, OPTS, &resolver)
            .problems
            .is_empty()
    );
    let divs = format!("{}x", "<div>".repeat(100_000));
    assert_eq!(render_markdown(&divs, 0, OPTS, &resolver).problems.len(), 1);
}

#[test]
fn self_closed_divs_and_stray_end_tags_are_refused_not_quadratic() {
    // Regression (issue 9, item 7): 100,000 of either took 26 s in the sanitiser.
    for unit in ["<div/>", "<b></i>"] {
        let r = render_markdown(&unit.repeat(100_000), 0, OPTS, &resolver);
        assert_eq!(r.problems.len(), 1, "{unit}");
        assert_eq!(r.problems[0].code, Code::Limit, "{unit}");
        assert!(r.html.is_empty());
    }
}

#[test]
fn unclosed_raw_text_element_is_an_error_at_its_tag() {
    // Regression (issue 9, item 9): the rest of the body vanished without a word.
    for unsafe_raw_html in [false, true] {
        let opts = MarkdownOptions {
            unsafe_raw_html,
            ..OPTS
        };
        let r = render_markdown("Intro.\n\n<script>\nx()\n\n## Rest\n", 4, opts, &resolver);
        assert_eq!(r.problems.len(), 1);
        assert_eq!(r.problems[0].code, Code::UnclosedHtml);
        assert_eq!(r.problems[0].span.map(|s| s.offset), Some(12));
        assert!(
            r.problems[0]
                .help
                .as_deref()
                .unwrap_or("")
                .contains("</script>")
        );
    }
    let r = render_markdown(
        "a <style>b</style> <textarea>c</textarea>",
        0,
        OPTS,
        &resolver,
    );
    assert!(r.problems.is_empty());
}

#[test]
fn embeds_are_links_and_withheld_like_them() {
    let r = render_markdown(
        "A ![[known]], ![[known|them]], B ![[gone]] ![[gone|it]].",
        0,
        OPTS,
        &resolver,
    );
    assert!(
        r.html
            .contains(r#"<a href="/groups/known/">Known Group</a>"#),
        "{}",
        r.html
    );
    assert!(
        r.html.contains(r#"<a href="/groups/known/">them</a>"#),
        "{}",
        r.html
    );
    assert!(r.html.contains("B  it."), "{}", r.html);
    assert!(
        !r.html.contains("<img") && !r.html.contains("gone"),
        "{}",
        r.html
    );
    let links = scan_wikilinks("![[a]] and ![[b|B]]", 0);
    let targets: Vec<&str> = links.iter().map(|l| l.target.as_str()).collect();
    assert_eq!(targets, ["a", "b"]);
}

#[test]
fn unpublished_written_links_keep_their_text_only() {
    struct Hiding;
    impl Targets for Hiding {
        fn resolve(&self, _: &str) -> Option<Resolved> {
            None
        }
        fn unpublished(&self, url: &str) -> Option<Diagnostic> {
            url.contains("hidden")
                .then(|| Diagnostic::note(Code::WithheldRef, "left out"))
        }
    }
    let body =
        "See [the plan](/incidents/hidden/) and ![map](/incidents/hidden/m.png) or [ok](/x/).";
    let r = render_markdown(body, 10, OPTS, &Hiding);
    assert!(!r.html.contains("hidden"), "{}", r.html);
    assert!(
        r.html
            .contains("See the plan and map or <a href=\"/x/\">ok</a>"),
        "{}",
        r.html
    );
    assert_eq!(r.problems.len(), 2);
    assert_eq!(r.problems[0].span.map(|s| s.offset), Some(10 + 15));
}

#[test]
fn huge_code_blocks_are_plain_text_with_a_note() {
    // Regression (issue 9, item 11): a 30 MB block took gigabytes to highlight.
    let code = "let x = 1; // <one>\n".repeat(highlight::MAX_HIGHLIGHT_BYTES / 20 + 1);
    let r = render_markdown(
        &format!("Text.\n\n```rust\n{code}```\n"),
        5,
        OPTS,
        &resolver,
    );
    assert_eq!(r.problems.len(), 1);
    assert_eq!(r.problems[0].code, Code::Highlight);
    assert_eq!(r.problems[0].span.map(|s| s.offset), Some(5 + 7));
    assert!(!r.html.contains("hl-"));
    assert!(r.html.contains("let x = 1; // &lt;one&gt;"));
    let long_line = format!(
        "```rust\n{}\n```\n",
        "x".repeat(highlight::MAX_HIGHLIGHT_LINE + 1)
    );
    let r = render_markdown(&long_line, 0, OPTS, &resolver);
    assert_eq!(r.problems.len(), 1);
    let small = render_markdown("```rust\nlet x = 1;\n```\n", 0, OPTS, &resolver);
    assert!(small.problems.is_empty() && small.html.contains("hl-"));
}

#[test]
fn raw_html_may_use_web_and_mail_links_only() {
    let r = render_markdown(
        "<a href=\"ftp://x.org/\">f</a> <a href=\"tel:1\">t</a> <a href=\"https://x.org/\">h</a> <td style=\"color:red;text-align:left\">c</td>",
        0,
        OPTS,
        &resolver,
    );
    assert!(
        !r.html.contains("ftp:") && !r.html.contains("tel:"),
        "{}",
        r.html
    );
    assert!(r.html.contains("https://x.org/"), "{}", r.html);
    assert!(!r.html.contains("color"), "{}", r.html);
    // Regression (issue 9, item 12): browsers read `\` as `/`, so this is another site.
    let r = render_markdown("<a href=\"/\\evil.example/\">e</a>", 0, OPTS, &resolver);
    assert!(!r.html.contains("evil"), "{}", r.html);
}
