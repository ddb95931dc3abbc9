//! Odd input (issue 4): each case gives a clean result or a clear error naming the file,
//! never a panic, a hang, unbounded memory, or a read or write outside the site.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

use briefing::build_site;
use briefing::diag::Diagnostic;
use briefing::load::parse_document_text;
use briefing::model::Kind;
use briefing::source::normalise_source;

use crate::support::*;

/// A page file with `front` lines after the title and `body` after the fences.
fn page(front: &str, body: &str) -> String {
    format!("---\ntitle: A page\n{front}---\n{body}")
}

/// Write raw bytes, creating folders.
fn write_bytes(site: &TestSite, rel: &str, bytes: &[u8]) {
    let path = site.root().join(rel);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, bytes).expect("write");
}

/// The only error of a failed build, which must carry `code` and name `file`.
fn sole_error<'a>(report: &'a briefing::BuildReport, code: &str, file: &str) -> &'a Diagnostic {
    let errs = errors(report);
    assert!(!report.success);
    assert_eq!(
        errs.len(),
        1,
        "one error expected:\n{}",
        diagnostics_text(report)
    );
    let e = errs[0];
    assert_eq!(e.code, code, "{e}");
    assert_eq!(e.file.as_deref(), Some(Path::new(file)), "{e}");
    e
}

#[test]
fn byte_order_mark_is_skipped_and_positions_stay_right() {
    let site = TestSite::new();
    site.write(
        "content/pages/bom.md",
        &format!("\u{feff}{}", page("", "\nText after a BOM.\n")),
    );
    site.build_ok();
    let doc = site.page("pages/bom/");
    assert_eq!(texts(&doc, "h1"), ["A page"]);
    assert_eq!(texts(&doc, ".prose p"), ["Text after a BOM."]);

    site.write(
        "content/pages/bom-error.md",
        &format!("\u{feff}{}", page("updated: 2024-13-01\n", "")),
    );
    let report = site.build();
    let e = sole_error(&report, "E-invalid-date", "content/pages/bom-error.md");
    assert_eq!((e.line, e.column), (Some(3), Some(10)), "{e}");
}

#[test]
fn crlf_line_endings_build_and_keep_line_numbers() {
    let site = TestSite::new();
    let crlf = |s: &str| s.replace('\n', "\r\n");
    site.write(
        "content/pages/crlf.md",
        &crlf(&page(
            "summary: Written on Windows\n",
            "\nFirst paragraph\nstill first.\n\nSecond paragraph.\n",
        )),
    );
    // Old Mac OS line endings: a lone carriage return.
    site.write(
        "content/pages/cr.md",
        &page("", "\nOne.\n\nTwo.\n").replace('\n', "\r"),
    );
    site.build_ok();
    let doc = site.page("pages/crlf/");
    assert_eq!(
        texts(&doc, ".prose p"),
        ["First paragraph still first.", "Second paragraph."]
    );
    assert!(!site.read_out("pages/crlf/index.html").contains('\r'));
    assert_eq!(texts(&site.page("pages/cr/"), ".prose p"), ["One.", "Two."]);

    site.write(
        "content/pages/crlf-front.md",
        &crlf(&page("updated: 2024-13-01\n", "")),
    );
    let report = site.build();
    let e = sole_error(&report, "E-invalid-date", "content/pages/crlf-front.md");
    assert_eq!((e.line, e.column), (Some(3), Some(10)), "{e}");
    fs::remove_file(site.root().join("content/pages/crlf-front.md")).expect("remove");

    site.write(
        "content/pages/crlf-body.md",
        &crlf(&page(
            "",
            "\nText.\n\nMore [bad](javascript:alert(1)) text.\n",
        )),
    );
    let report = site.build();
    let e = sole_error(&report, "E-invalid-url", "content/pages/crlf-body.md");
    assert_eq!((e.line, e.column), (Some(7), Some(6)), "{e}");
}

#[test]
fn non_utf8_file_is_a_clear_error_naming_it() {
    let site = TestSite::new();
    write_bytes(
        &site,
        "content/pages/latin1.md",
        b"---\ntitle: Caf\xe9 in Latin-1\n---\n",
    );
    site.write("content/pages/fine.md", &page("", "Fine.\n"));
    let report = site.build();
    let e = sole_error(&report, "E-not-utf8", "content/pages/latin1.md");
    assert_eq!(e.line, Some(2));
    let shown = e.to_string();
    assert!(
        shown.contains("content/pages/latin1.md") && shown.contains("UTF-8"),
        "{shown}"
    );
}

#[test]
fn empty_file_is_a_clear_error_naming_it() {
    for text in ["", "  \n\n"] {
        let site = TestSite::new();
        site.write("content/incidents/empty.md", text);
        let report = site.build();
        let e = sole_error(&report, "E-frontmatter", "content/incidents/empty.md");
        assert!(e.message.contains("empty"), "{e}");
    }
}

#[test]
fn twenty_megabyte_body_builds() {
    let site = TestSite::new();
    let paragraph = "A long report with *emphasis*, `code` and a [link](https://example.org/). ";
    let mut body = String::with_capacity(21 << 20);
    let mut n = 0;
    // A heading per section too: anchors were once inserted in quadratic time.
    while body.len() < 20 << 20 {
        body.push_str(&format!("## Section {n}\n\n"));
        body.push_str(&paragraph.repeat(8));
        body.push_str(&format!("Paragraph {n}.\n\n"));
        n += 1;
    }
    body.push_str("The last paragraph.\n");
    site.write("content/pages/huge.md", &page("", &body));
    site.build_ok();
    let html = site.read_out("pages/huge/index.html");
    assert!(html.len() > 20 << 20);
    assert!(html.contains(&format!("Paragraph {}.", n - 1)));
    assert!(html.contains("<p>The last paragraph.</p>"));
    assert!(html.contains(&format!("<h2 id=\"section-{}\">", n - 1)));
}

#[test]
fn file_over_64_mib_is_refused_without_reading_it_whole() {
    let site = TestSite::new();
    site.write("content/pages/huge.md", &page("", "\nText.\n"));
    let file = fs::OpenOptions::new()
        .append(true)
        .open(site.root().join("content/pages/huge.md"))
        .expect("open");
    file.set_len((64 << 20) + 1)
        .expect("grow the file (sparse)");
    let report = site.build();
    let e = sole_error(&report, "E-limit", "content/pages/huge.md");
    assert!(e.message.contains("larger than 64 MiB"), "{e}");
}

#[test]
fn ten_thousand_nested_list_levels_are_refused_cleanly() {
    let site = TestSite::new();
    site.write(
        "content/pages/lists.md",
        &page("", &format!("\n{}deep\n", "- ".repeat(10_000))),
    );
    let report = site.build();
    let e = sole_error(&report, "E-limit", "content/pages/lists.md");
    assert!(e.message.contains("10000 levels deep"), "{e}");

    // Quotes, ordered lists and raw HTML are bounded the same way; raw HTML would
    // otherwise take minutes in the sanitiser (its tree builder is quadratic in depth).
    for (name, body) in [
        ("quotes", format!("{}deep\n", "> ".repeat(10_000))),
        ("ordered", format!("{}deep\n", "1. ".repeat(10_000))),
        (
            "divs",
            format!(
                "{}deep{}\n",
                "<div>".repeat(100_000),
                "</div>".repeat(100_000)
            ),
        ),
    ] {
        let site = TestSite::new();
        let file = format!("content/pages/{name}.md");
        site.write(&file, &page("", &format!("\n{body}")));
        let report = site.build();
        sole_error(&report, "E-limit", &file);
    }

    // Deep but sane nesting still builds.
    let site = TestSite::new();
    site.write(
        "content/pages/nested.md",
        &page("", &format!("\n{}deep\n", "- ".repeat(200))),
    );
    site.build_ok();
    assert_eq!(
        texts(&site.page("pages/nested/"), ".prose li li li").len(),
        198
    );
}

/// `n` distinct YAML keys of four letters, one a line, indented by `indent` (100,000 of
/// them stay under the 1 MiB frontmatter limit, so the YAML budget is what stops them).
fn yaml_keys(n: usize, indent: &str) -> String {
    (0..n)
        .map(|i| {
            let name: String = (0..4)
                .map(|d| char::from(b'a' + ((i / 26usize.pow(d)) % 26) as u8))
                .collect();
            format!("{indent}{name}: 1\n")
        })
        .collect()
}

#[test]
fn frontmatter_with_100000_keys_is_a_clean_error() {
    let site = TestSite::new();
    site.write("content/pages/keys.md", &page(&yaml_keys(100_000, ""), ""));
    let report = site.build();
    let e = sole_error(&report, "E-unknown-field", "content/pages/keys.md");
    assert!(e.message.contains("`aaaa`"), "{e}");

    let site = TestSite::new();
    site.write(
        "content/pages/keys.md",
        &page(&format!("extra:\n{}", yaml_keys(100_000, "  ")), ""),
    );
    let report = site.build();
    let e = sole_error(&report, "E-limit", "content/pages/keys.md");
    assert!(e.message.contains("more than 50000 values"), "{e}");

    // TOML has no such budget; the frontmatter size limit bounds it instead.
    let site = TestSite::new();
    let keys: String = (0..100_000).map(|i| format!("key{i:06} = {i}\n")).collect();
    site.write(
        "content/pages/keys.md",
        &format!("+++\ntitle = \"A page\"\n[extra]\n{keys}+++\n"),
    );
    let report = site.build();
    let e = sole_error(&report, "E-limit", "content/pages/keys.md");
    assert!(e.message.contains("larger than 1024 KiB"), "{e}");
}

#[test]
fn frontmatter_larger_than_a_mebibyte_is_refused() {
    let site = TestSite::new();
    let summary = "x".repeat(2 << 20);
    site.write(
        "content/pages/big.md",
        &page(&format!("summary: {summary}\n"), ""),
    );
    let report = site.build();
    let e = sole_error(&report, "E-limit", "content/pages/big.md");
    assert_eq!((e.line, e.column), (Some(1), Some(1)));
}

#[test]
fn deeply_nested_frontmatter_is_refused_by_the_budget() {
    let block: String = (0..100)
        .map(|i| format!("{}k{i}:\n", "  ".repeat(i + 1)))
        .collect();
    let cases = [
        ("block.md", page(&format!("extra:\n{block}"), "")),
        (
            "flow.md",
            page(
                &format!("extra: {}1{}\n", "[".repeat(100_000), "]".repeat(100_000)),
                "",
            ),
        ),
        (
            "toml-arrays.md",
            format!(
                "+++\ntitle = \"A page\"\n[extra]\na = {}1{}\n+++\n",
                "[".repeat(100_000),
                "]".repeat(100_000)
            ),
        ),
        (
            "toml-tables.md",
            format!(
                "+++\ntitle = \"A page\"\n[extra]\na = {}1{}\n+++\n",
                "{a=".repeat(10_000),
                "}".repeat(10_000)
            ),
        ),
    ];
    for (name, text) in cases {
        let site = TestSite::new();
        let file = format!("content/pages/{name}");
        site.write(&file, &text);
        let report = site.build();
        let e = sole_error(&report, "E-limit", &file);
        assert!(e.line.is_some(), "{e}");
    }
}

#[test]
fn yaml_alias_bomb_is_refused() {
    let site = TestSite::new();
    let mut bomb = String::from("extra:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        let refs = vec![format!("*{prev}"); 9].join(", ");
        bomb.push_str(&format!("  {name}: &{name} [{refs}]\n"));
    }
    site.write("content/pages/bomb.md", &page(&bomb, ""));
    let report = site.build();
    let e = sole_error(&report, "E-limit", "content/pages/bomb.md");
    assert!(e.message.contains("values"), "{e}");
}

#[test]
fn slug_path_traversal_is_an_invalid_slug() {
    for (file, text) in [
        ("content/pages/escape.md", page("slug: ../../etc\n", "")),
        ("content/pages/absolute.md", page("slug: /etc/passwd\n", "")),
        ("content/pages/dots.md", page("slug: ..\n", "")),
        ("content/pages/x..y.md", page("", "")),
        ("content/pages/a.b.md", page("", "")),
        ("content/pages/back\\slash.md", page("", "")),
    ] {
        let site = TestSite::new();
        site.write(file, &text);
        let report = site.build();
        sole_error(&report, "E-invalid-slug", file);
        assert!(!site.out().exists());
        assert!(!site.root().join("etc").exists());
    }
}

#[test]
fn symlinks_leading_outside_the_site_are_path_escapes() {
    let outside = tempfile::tempdir().expect("temp dir");
    let secret = outside.path().join("secret.md");
    fs::write(&secret, page("", "SECRET-OUTSIDE-THE-SITE\n")).expect("write");
    let secret_dir = outside.path().join("dir");
    fs::create_dir_all(secret_dir.join("pages")).expect("mkdir");
    fs::write(secret_dir.join("pages/p.md"), page("", "SECRET\n")).expect("write");

    let cases: [(&str, &Path, &str); 5] = [
        ("content/pages/link.md", &secret, "content/pages/link.md"),
        ("static/leak.md", &secret, "static/leak.md"),
        ("content", &secret_dir, "content"),
        ("static", &secret_dir, "static"),
        ("templates", &secret_dir, "templates"),
    ];
    for (link, target, shown) in cases {
        let site = TestSite::new();
        site.write("content/pages/home.md", &page("", "Home.\n"));
        if link == "content" {
            fs::remove_dir_all(site.root().join("content")).expect("rm content");
        }
        let path = site.root().join(link);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        symlink(target, &path).expect("symlink");
        let report = site.build();
        let e = sole_error(&report, "E-path-escape", shown);
        assert!(e.message.contains("outside the site"), "{e}");
        assert!(
            !site.out().exists(),
            "`{link}`: a failed build wrote output"
        );
    }

    // Links that stay inside the site are followed.
    let site = TestSite::new();
    site.write("content/pages/home.md", &page("", "Home.\n"));
    site.write("static/real.txt", "real");
    symlink(
        site.root().join("static/real.txt"),
        site.root().join("static/alias.txt"),
    )
    .expect("symlink");
    site.build_ok();
    assert_eq!(site.read_out("alias.txt"), "real");
}

#[test]
fn output_folder_that_would_overwrite_the_site_is_refused() {
    let site = TestSite::new();
    site.write("content/pages/home.md", &page("", "Home.\n"));
    let link = site.root().join("out-link");
    symlink(site.root(), &link).expect("symlink");
    let parent = site.root().parent().expect("parent").to_path_buf();
    for output in [
        site.root().to_path_buf(),
        site.root().join("."),
        site.root().join("content"),
        site.root().join("static/out"),
        site.root().join("content/../"),
        link,
        parent,
    ] {
        let mut opts = site.options();
        opts.output = Some(output.clone());
        let report = build_site(&opts);
        assert!(!report.success, "{}", output.display());
        let errs = errors(&report);
        assert_eq!(errs.len(), 1, "{}", diagnostics_text(&report));
        assert_eq!(errs[0].code, "E-output", "{}", output.display());
    }
    assert!(site.root().join("content/pages/home.md").is_file());
    assert!(site.root().join("briefing.toml").is_file());
}

// ----- regressions found by fuzzing (fuzz/run.sh) -----

#[test]
fn fuzz_regression_value_longer_than_its_source_keeps_its_span_in_the_line() {
    // `"\L"` is three bytes once parsed: the span of the unknown value was sized from the
    // parsed value and ran past the end of the file (miette: "OutOfBounds").
    let text = "---\ntitle: T\ndate: 2024-01-01\nstatus: \"\\L\\L\\L\\L\\L\\L\\L\\L\\L\\L\"\n---\n";
    let (doc, diagnostics) =
        parse_document_text(Kind::Incident, Path::new("content/incidents/x.md"), text);
    assert!(doc.is_none());
    let d = &diagnostics[0];
    assert_eq!(d.code, "E-unknown-value", "{d}");
    let span = d.span.expect("span");
    assert_eq!(
        &text[span.offset..span.offset + span.len],
        "\"\\L\\L\\L\\L\\L\\L\\L\\L\\L\\L\""
    );
    assert_eq!((d.line, d.column), (Some(4), Some(9)));
}

#[test]
fn fuzz_regression_lone_carriage_returns_keep_positions_right() {
    // YAML reads a lone `\r` as a line break; the pipeline used to keep it, so positions
    // from the YAML parser and our line counting disagreed and a span left the file.
    let raw = "---\ntitle: T\r\r\rdate: 2024-01-01\rstatus: confirey\n---\n";
    let text = normalise_source(raw);
    let (_, diagnostics) =
        parse_document_text(Kind::Incident, Path::new("content/incidents/x.md"), &text);
    let d = &diagnostics[0];
    assert_eq!(d.code, "E-unknown-value", "{d}");
    assert_eq!((d.line, d.column), (Some(6), Some(9)), "{d}");
    let site = TestSite::new();
    site.write("content/incidents/x.md", raw);
    let report = site.build();
    let e = sole_error(&report, "E-unknown-value", "content/incidents/x.md");
    assert_eq!((e.line, e.column), (Some(6), Some(9)), "{e}");
}

/// A diagnostic past column 65,535 once panicked in the terminal report (the snippet's
/// underline is padded with a format width, which Rust caps at `u16::MAX`), losing every
/// diagnostic after it (issue 9).
#[test]
fn error_past_column_65535_is_reported_with_the_others() {
    let site = TestSite::new();
    let long_line = format!("{} [[nowhere-slug]] {}", "a".repeat(70_000), "é".repeat(10));
    site.write(
        "content/incidents/long.md",
        &format!("---\ntitle: Long\ndate: 2024-01-01\n---\n{long_line}\nThe end.\n"),
    );
    site.write(
        "content/incidents/other.md",
        "---\ntitle: Other\ndate: 2024-01-01\nbogus: 1\n---\nx\n",
    );
    let out = run(briefing().arg("build").arg("--root").arg(site.root()));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert!(
        out.stderr.contains("[content/incidents/long.md:5:70002]"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("unknown entity `nowhere-slug`"));
    assert!(out.stderr.contains("[content/incidents/other.md:4:1]"));
    assert!(out.stderr.contains("unknown field `bogus`"));
    // The snippet shows the text around the error, not the whole line.
    assert!(out.stderr.contains("[[nowhere-slug]]"), "{}", out.stderr);
    let widest = out.stderr.lines().map(|l| l.chars().count()).max();
    assert!(widest < Some(300), "a line of {widest:?} characters");
}

#[test]
fn self_closed_divs_and_stray_end_tags_are_refused_not_quadratic() {
    // Regression (issue 9, item 7): each took half a minute in the sanitiser.
    for (name, unit) in [("divs", "<div/>"), ("stray", "<b></i>")] {
        let site = TestSite::new();
        let file = format!("content/pages/{name}.md");
        site.write(&file, &page("", &format!("\n{}\n", unit.repeat(100_000))));
        let report = site.build();
        let e = sole_error(&report, "E-limit", &file);
        assert!(e.message.contains("100000 levels deep"), "{e}");
    }
}

#[test]
fn unclosed_script_or_style_is_an_error_at_its_line() {
    // Regression (issue 9, item 9): the rest of the body vanished without a word.
    for tag in ["script", "style", "textarea"] {
        let site = TestSite::new();
        site.write(
            "content/pages/p.md",
            &page(
                "",
                &format!("\nIntro.\n\nSee <{tag}> here.\n\n## The rest\n\nMore.\n"),
            ),
        );
        let report = site.build();
        let e = sole_error(&report, "E-unclosed-html", "content/pages/p.md");
        assert_eq!((e.line, e.column), (Some(7), Some(5)), "{e}");
        assert!(
            e.help
                .as_deref()
                .unwrap_or("")
                .contains(&format!("</{tag}>")),
            "{e}"
        );
    }
}

#[test]
fn two_megabyte_code_block_is_shown_plain_with_a_note() {
    // Regression (issue 9, item 11): a 30 MB block took gigabytes to highlight.
    let site = TestSite::new();
    let code = "fn f<T>(x: T) -> T { x } // keep\n".repeat(2 * 1024 * 1024 / 33);
    site.write(
        "content/pages/big.md",
        &page("", &format!("\nText.\n\n```rust\n{code}```\n")),
    );
    let report = site.build_ok();
    let html = site.read_out("pages/big/index.html");
    assert!(html.contains("fn f&lt;T&gt;(x: T) -&gt; T { x } // keep"));
    assert!(!html.contains("hl-"), "a big block is not highlighted");
    let notes = with_code(&report, "N-highlight");
    assert_eq!(notes.len(), 1, "{}", diagnostics_text(&report));
    assert_eq!(
        notes[0].file.as_deref(),
        Some(Path::new("content/pages/big.md"))
    );
    assert_eq!(notes[0].line, Some(7));
}
