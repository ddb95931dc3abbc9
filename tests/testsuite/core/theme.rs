//! The embedded theme, template overrides, static files and Markdown rendering.

use std::fs;
use std::path::Path;

use super::{built, url};
use crate::support::{TestSite, attrs, text_of, texts};

// ----- theme and static files -----

#[test]
fn site_without_templates_builds_with_the_embedded_theme() {
    let site = built();
    assert!(!site.root().join("templates").exists());
    let doc = site.page("incidents/harbour-bombing/");
    assert!(
        attrs(&doc, "link[rel=stylesheet]", "href").contains(&url("style.css")),
        "no stylesheet link"
    );
    assert!(!site.read_out("style.css").trim().is_empty());
    assert_eq!(texts(&doc, "main h1"), ["Harbour bombing"]);
    assert!(site.out().join("404.html").is_file());
}

#[test]
fn site_template_overrides_the_embedded_one_by_name() {
    let site = TestSite::fixture("basic");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<p id=\"custom\">Custom: {{ entity.title }}</p>{% endblock content %}",
    );
    site.build_ok();
    let page = site.page("pages/methodology/");
    assert_eq!(texts(&page, "#custom"), ["Custom: Methodology"]);
    let incident = site.page("incidents/harbour-bombing/");
    assert!(texts(&incident, "#custom").is_empty());
    assert_eq!(texts(&incident, "main h1"), ["Harbour bombing"]);
}

#[test]
fn a_site_card_component_shapes_every_listing() {
    // Listings print each card made once by the `card` component (issue 5); a site's own
    // `card` must still be the one used, on every kind of page that lists cards.
    let site = TestSite::fixture("basic");
    let theme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/components.html"))
            .expect("the embedded components");
    let marked = theme.replacen(
        "<article class=\"card card-{{ item.kind }}",
        "<article data-site-card=\"{{ h }}\" class=\"card card-{{ item.kind }}",
        1,
    );
    assert_ne!(
        marked, theme,
        "the card component changed: update this test"
    );
    site.write("templates/components.html", &marked);
    site.build_ok();
    for (page, selector, level) in [
        ("groups/northern-front/", ".card", "3"),
        ("tags/maritime/", ".card", "3"),
        ("incidents/harbour-bombing/", ".statements .card", "3"),
        ("statements/", ".card", "2"),
        ("", ".card", "3"),
    ] {
        let doc = site.page(page);
        let marks = attrs(&doc, selector, "data-site-card");
        let cards = texts(&doc, selector);
        assert!(!cards.is_empty(), "no cards on `{page}`");
        assert_eq!(marks.len(), cards.len(), "a built-in card on `{page}`");
        assert!(marks.iter().all(|m| m == level), "`{page}`: {marks:?}");
    }
}

#[test]
fn static_files_are_copied_as_they_are() {
    let site = built();
    for rel in ["robots.txt", "files/notes.txt"] {
        let source = fs::read(site.root().join("static").join(rel)).expect("source");
        let copied = fs::read(site.out().join(rel)).expect("copied file");
        assert_eq!(source, copied, "`{rel}` changed on the way");
    }
}

// ----- Markdown -----

#[test]
fn markdown_features_render() {
    let site = built();
    let doc = site.page("pages/methodology/");
    assert_eq!(texts(&doc, ".prose table th"), ["grade", "meaning"]);
    assert_eq!(texts(&doc, ".prose del"), ["wrong"]);

    let boxes = scraper::Selector::parse(".prose input[type=checkbox]").expect("selector");
    let checked: Vec<bool> = doc
        .select(&boxes)
        .map(|b| b.value().attr("checked").is_some())
        .collect();
    assert_eq!(checked, [true, false], "task list");

    assert_eq!(texts(&doc, ".prose h2#grades"), ["Grades #"]);
    assert!(attrs(&doc, ".prose h2#grades a", "href").contains(&"#grades".to_string()));

    let footnote_refs = attrs(&doc, ".prose sup a", "href");
    assert_eq!(footnote_refs.len(), 1, "one footnote reference");
    let target = footnote_refs[0].trim_start_matches('#');
    let defs = scraper::Selector::parse(&format!("[id=\"{target}\"]")).expect("selector");
    let def = doc.select(&defs).next().expect("the footnote definition");
    assert!(text_of(def).contains("The first count was later revised."));

    let spans = attrs(&doc, ".prose pre code span", "class");
    assert!(
        spans
            .iter()
            .any(|c| c.split(' ').any(|c| c.starts_with("hl-"))),
        "rust code is not highlighted with `hl-` classes: {spans:?}"
    );
    assert!(
        attrs(&doc, "link[rel=stylesheet]", "href").contains(&url("syntax.css")),
        "syntax.css is not linked"
    );
    assert!(site.read_out("syntax.css").contains(".hl-"));
}
