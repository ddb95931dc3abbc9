//! `check`: links and fragments of the rendered site, raw HTML, highlighting, and `--external`.

use briefing::check::check_site;

use super::{assert_at, assert_unplaced, build, only, site};

// ----- check: links of the rendered site -----

#[test]
fn e_broken_link_points_at_the_markdown_link() {
    let site = site();
    site.write(
        "content/pages/p.md",
        "---\ntitle: P\n---\n\nRead [the report](/incidents/crocsu/) first.\n",
    );
    let d = only(&check_site(&site.options()).diagnostics, "E-broken-link");
    assert_at(
        &d,
        "content/pages/p.md",
        5,
        19,
        "did you mean `/incidents/crocus/`?",
    );
}

#[test]
fn n_withheld_ref_points_at_a_written_link_to_a_withheld_page() {
    let site = site();
    site.write(
        "content/pages/p.md",
        "---\ntitle: P\n---\n\nRead [the report](/incidents/secret/) first.\n",
    );
    site.write(
        "content/incidents/secret.md",
        "---\ntitle: Secret\nsummary: s\ndate: 2024-03-22\ntlp: amber\n---\n",
    );
    let d = only(&build(&site), "N-withheld-ref");
    assert_at(&d, "content/pages/p.md", 5, 19, "publish the target");
}

#[test]
fn e_raw_link_unpublished_points_at_the_url_in_raw_html() {
    let site = site();
    site.write(
        "briefing.toml",
        "title = \"T\"\n[markdown]\nunsafe_raw_html = true\n",
    );
    site.write(
        "content/pages/p.md",
        "---\ntitle: P\n---\n\nRead <a href=\"/incidents/secret/\">it</a>.\n",
    );
    site.write(
        "content/incidents/secret.md",
        "---\ntitle: Secret\nsummary: s\ndate: 2024-03-22\ntlp: amber\n---\n",
    );
    let d = only(&build(&site), "E-raw-link-unpublished");
    assert_at(&d, "content/pages/p.md", 5, 15, "remove the link");
}

#[test]
fn e_unclosed_html_points_at_the_start_tag() {
    let site = site();
    site.write(
        "content/pages/p.md",
        "---\ntitle: P\n---\n\nIntro.\n\nA <style>\n\n## Lost\n",
    );
    let d = only(&build(&site), "E-unclosed-html");
    assert_at(&d, "content/pages/p.md", 7, 3, "close it with `</style>`");
}

#[test]
fn n_highlight_points_at_the_code_block() {
    let site = site();
    let code = "x".repeat(20_000);
    site.write(
        "content/pages/p.md",
        &format!("---\ntitle: P\n---\n\nIntro.\n\n```rust\n{code}\n```\n"),
    );
    let d = only(&build(&site), "N-highlight");
    assert_at(&d, "content/pages/p.md", 7, 1, "split the block");
}

/// `check --external` against a server of the test (see `external.rs`).
#[test]
fn e_dead_link_points_at_the_url_with_the_status() {
    let server = crate::external::Server::start();
    let site = crate::external::quick_site();
    site.write(
        "content/pages/p.md",
        &format!("---\ntitle: P\n---\n\nSee [it]({}).\n", server.url("/gone")),
    );
    let report = crate::external::check_external(&site, false);
    let d = only(&report.diagnostics, "E-dead-link");
    assert_at(&d, "content/pages/p.md", 5, 10, "archived copy");
    assert!(d.message.contains("404 Not Found"), "{d}");
}

/// A cache that cannot be written is a warning, not a failed check.
#[test]
fn w_cache_says_the_answers_were_not_kept() {
    let server = crate::external::Server::start();
    let site = crate::external::quick_site();
    site.write(
        "content/pages/p.md",
        &format!("---\ntitle: P\n---\n[a]({})\n", server.url("/ok")),
    );
    site.write(".briefing-cache", "not a folder");
    let report = crate::external::check_external(&site, true);
    let d = only(&report.diagnostics, "W-cache");
    assert_unplaced(&d, None, "`.briefing-cache` is a folder");
    assert!(report.passes(false), "{:#?}", report.diagnostics);
}

#[test]
fn w_moved_link_names_the_new_address() {
    let server = crate::external::Server::start();
    let site = crate::external::quick_site();
    site.write(
        "content/groups/g.md",
        &format!(
            "---\ntitle: G\nsummary: A group.\nsources:\n  - title: T\n    url: {}\n---\n",
            server.url("/moved")
        ),
    );
    let report = crate::external::check_external(&site, false);
    let d = only(&report.diagnostics, "W-moved-link");
    assert_at(&d, "content/groups/g.md", 6, 10, &server.url("/ok"));
}

#[test]
fn e_broken_fragment_points_at_the_wikilink() {
    let site = site();
    site.write("content/pages/q.md", "---\ntitle: Q\n---\n\n## Method\n");
    site.write(
        "content/pages/p.md",
        "---\ntitle: P\n---\n\nSee [[q#methd]].\n",
    );
    let d = only(
        &check_site(&site.options()).diagnostics,
        "E-broken-fragment",
    );
    assert_at(&d, "content/pages/p.md", 5, 8, "did you mean `#method`?");
}
