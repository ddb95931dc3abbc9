//! The reader's listings and site furniture (issue 12): incidents as tables, labels for
//! vocabulary values and tags (`[labels]`), "Last updated", the newsletter box of
//! `[newsletter]` and images from other hosts.

use briefing::check::check_site;

use crate::support::{TestSite, attrs, texts};

fn url(path: &str) -> String {
    format!("https://example.org/{path}")
}

/// The incident links of the rows of every incident table of `doc`.
fn table_rows(doc: &scraper::Html) -> Vec<String> {
    attrs(doc, ".incident-table tbody th[scope=row] a", "href")
}

#[test]
fn incident_tables_list_the_published_incidents_with_their_facts() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let listing = site.page("incidents/");
    let all = [
        url("incidents/harbour-bombing/"),
        url("incidents/border-ambush/"),
        url("incidents/depot-arson/"),
    ];
    // Newest first; `2015` (the year, its last day) before `2015-06`.
    assert_eq!(table_rows(&listing), all, "newest first");
    assert!(
        texts(&listing, "main .card").is_empty(),
        "no cards for incidents"
    );
    // Accessible markup: a caption, column and row headers, a focusable scrolling region
    // named by the caption.
    assert_eq!(
        texts(&listing, ".incident-table thead th[scope=col]"),
        [
            "Date",
            "Incident",
            "Place",
            "Killed",
            "Injured",
            "Attributed to",
            "Status"
        ]
    );
    let caption_id = attrs(&listing, ".incident-table caption", "id");
    assert_eq!(caption_id.len(), 1);
    assert_eq!(
        attrs(&listing, ".table-scroll[role=region]", "aria-labelledby"),
        caption_id
    );
    assert_eq!(attrs(&listing, ".table-scroll", "tabindex"), ["0"]);
    // The first row: date at its precision, place, figures, perpetrator, status label.
    let first: Vec<String> = texts(&listing, ".incident-table tbody tr:first-child > *");
    assert_eq!(first.len(), 7, "{first:?}");
    assert_eq!(first[1], "Harbour bombing");
    assert!(first[2].ends_with("Russia"), "{first:?}");
    assert_eq!(first[3], "12", "{first:?}");
    assert_eq!(first[5], "NF-C", "{first:?}");
    assert!(
        attrs(&listing, ".incident-table tbody time", "datetime").contains(&"2015".to_string()),
        "a year-precision date stays a year"
    );

    // The home page and the country pages list incidents in tables too.
    let home = site.page("");
    assert_eq!(table_rows(&home), all);
    let russia = site.page("countries/ru/");
    let rows = table_rows(&russia);
    assert!(
        !rows.is_empty() && rows.iter().all(|r| all.contains(r)),
        "{rows:?}"
    );
}

#[test]
fn canary_withheld_incidents_are_in_no_table() {
    for tlp in [None, Some("amber")] {
        let site = TestSite::fixture("canary");
        let mut opts = site.options();
        if let Some(level) = tlp {
            opts.tlp = Some(level.parse().expect("a TLP level"));
        }
        let report = briefing::build_site(&opts);
        assert!(report.success);
        let mut seen = Vec::new();
        for page in ["", "incidents/", "countries/fr/", "countries/mc/"] {
            if !site.out().join(page).join("index.html").is_file() {
                continue;
            }
            let rows = table_rows(&site.page(page));
            seen.extend(rows);
        }
        assert!(seen.contains(&url("incidents/pub-incident/")), "{seen:?}");
        for row in &seen {
            let withheld_here = match tlp {
                None => row.contains("canary-"),
                Some(_) => row.contains("canary-") && !row.contains("canary-amber-incident"),
            };
            assert!(!withheld_here, "withheld incident in a table: {row}");
        }
    }
}

#[test]
fn vocabulary_values_and_tags_get_labels_that_settings_may_rename() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/incidents/harbour-bombing.md",
        &std::fs::read_to_string(site.root().join("content/incidents/harbour-bombing.md"))
            .unwrap()
            .replace(
                "tags: [bombing, maritime]",
                "tags: [bombing, claim-of-responsibility, ISIS-K]",
            ),
    );
    site.build_ok();
    let incident = site.page("incidents/harbour-bombing/");
    let tags = texts(&incident, "a[rel=tag]");
    assert!(
        tags.contains(&"Claim of responsibility".to_string()),
        "{tags:?}"
    );
    assert!(tags.contains(&"ISIS-K".to_string()), "kept as written");
    let tag_page = site.page("tags/claim-of-responsibility/");
    assert_eq!(texts(&tag_page, "main h1"), ["Claim of responsibility"]);

    // `[labels]` renames a tag, a free word and a vocabulary value everywhere.
    site.write(
        "briefing.toml",
        "title = \"T\"\nbase_url = \"https://example.org/\"\n[labels]\nclaim-of-responsibility = \"Claimed attack\"\nbombing = \"Explosive attack\"\nconfirmed = \"Established\"\n",
    );
    site.build_ok();
    let incident = site.page("incidents/harbour-bombing/");
    assert!(texts(&incident, "a[rel=tag]").contains(&"Claimed attack".to_string()));
    let facts = texts(&incident, ".facts dd").join(" | ");
    assert!(facts.contains("Explosive attack"), "{facts}");
    let listing = site.page("incidents/");
    let statuses = texts(&listing, ".incident-table .status");
    assert!(
        statuses.contains(&"Established".to_string()),
        "{statuses:?}"
    );
    assert!(!statuses.contains(&"Confirmed".to_string()), "{statuses:?}");
    let tags = site.page("tags/");
    assert!(texts(&tags, ".term-list a").contains(&"Claimed attack".to_string()));
    let feed = site.read_out("tags/claim-of-responsibility/atom.xml");
    assert!(
        feed.contains("<title>Tag Claimed attack · T</title>"),
        "{feed}"
    );
    assert!(feed.contains("term=\"claim-of-responsibility\" label=\"Claimed attack\""));
}

#[test]
fn canary_labels_of_withheld_words_never_show() {
    let site = TestSite::fixture("canary");
    let config = std::fs::read_to_string(site.root().join("briefing.toml")).unwrap();
    site.write(
        "briefing.toml",
        &format!("{config}\n[labels]\ncanary-red-attacktype = \"Hidden label\"\n"),
    );
    let report = site.build_ok();
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| d.code != "W-unknown-label"),
        "a word of withheld content is a known word"
    );
    for entry in walkdir::WalkDir::new(site.out()) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            assert!(!text.contains("Hidden label"), "{}", entry.path().display());
        }
    }
}

#[test]
fn pages_with_updated_say_when_in_a_time_element() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/groups/northern-front.md",
        &std::fs::read_to_string(site.root().join("content/groups/northern-front.md"))
            .unwrap()
            .replacen("---\n", "---\nupdated: 2024-05\n", 1),
    );
    site.build_ok();
    let group = site.page("groups/northern-front/");
    let meta = texts(&group, ".entity-meta").join(" ");
    assert!(meta.contains("Last updated May 2024"), "{meta}");
    assert_eq!(attrs(&group, ".entity-meta time", "datetime"), ["2024-05"]);
    let other = site.page("groups/northern-front-coastal/");
    assert!(
        !texts(&other, ".entity-meta")
            .join(" ")
            .contains("Last updated")
    );
}

const NEWSLETTER: &str = "title = \"T\"\nbase_url = \"https://example.org/\"\n[newsletter]\naction = \"https://lists.example.net/join?list=7\"\nmethod = \"GET\"\nemail_field = \"EMAIL\"\ntitle = \"Follow by email\"\ntext = \"Weekly.\"\nlabel = \"Your email\"\nbutton = \"Join\"\nprivacy = \"Only for this list.\"\n[newsletter.hidden]\nu = \"abc\"\n";

#[test]
fn the_newsletter_box_comes_from_the_settings() {
    let site = TestSite::fixture("basic");
    site.write("briefing.toml", NEWSLETTER);
    site.build_ok();
    for page in ["", "incidents/harbour-bombing/", "tags/"] {
        let doc = site.page(page);
        assert_eq!(
            attrs(&doc, "form.newsletter-form", "action"),
            ["https://lists.example.net/join?list=7"],
            "{page}"
        );
        assert_eq!(attrs(&doc, "form.newsletter-form", "method"), ["get"]);
        assert_eq!(texts(&doc, ".newsletter h2"), ["Follow by email"]);
        assert_eq!(
            attrs(&doc, ".newsletter input[type=email]", "name"),
            ["EMAIL"]
        );
        // The label names the field; the privacy note describes it.
        let id = attrs(&doc, ".newsletter input[type=email]", "id");
        assert_eq!(attrs(&doc, ".newsletter label", "for"), id);
        assert_eq!(texts(&doc, ".newsletter label"), ["Your email"]);
        let described = attrs(&doc, ".newsletter input[type=email]", "aria-describedby");
        assert_eq!(attrs(&doc, ".newsletter-privacy", "id"), described);
        assert_eq!(texts(&doc, ".newsletter-privacy"), ["Only for this list."]);
        assert_eq!(texts(&doc, ".newsletter button[type=submit]"), ["Join"]);
        assert_eq!(
            attrs(&doc, ".newsletter input[type=hidden][name=u]", "value"),
            ["abc"]
        );
        assert!(attrs(&doc, ".newsletter script", "src").is_empty());
    }
}

#[test]
fn no_newsletter_settings_no_box() {
    let site = TestSite::fixture("basic");
    site.build_ok();
    let home = site.page("");
    assert!(texts(&home, ".newsletter").is_empty());
    assert!(
        attrs(&home, "form", "action")
            .iter()
            .all(|a| !a.contains("http"))
    );
}

#[test]
fn a_newsletter_action_must_be_an_http_url() {
    let site = TestSite::fixture("basic");
    for action in ["javascript:alert(1)", "/subscribe", "https://"] {
        site.write(
            "briefing.toml",
            &format!(
                "title = \"T\"\nbase_url = \"https://example.org/\"\n[newsletter]\naction = \"{action}\"\n"
            ),
        );
        let report = site.build();
        assert!(!report.success, "{action}");
        let d = report
            .diagnostics
            .iter()
            .find(|d| d.code == "E-config")
            .expect("an E-config error");
        assert!(d.message.contains("newsletter `action`"), "{d}");
        assert_eq!(d.location().as_deref(), Some("briefing.toml:4:11"), "{d}");
    }
}

const REMOTE: &str = "---\ntitle: Gallery\n---\nA map: ![Map of the port](https://maps.example.net/port.png)\n\n<p><img src=\"https://img.example.net/h.jpg\" alt=\"The hall\"></p>\n\n![Local](/pic.png)\n";

#[test]
fn remote_images_are_links_unless_allowed() {
    let site = TestSite::fixture("basic");
    site.write("content/pages/gallery.md", REMOTE);
    site.build_ok();
    let page = site.page("pages/gallery/");
    let srcs = attrs(&page, ".prose img", "src");
    assert_eq!(srcs, ["/pic.png"], "no image from another host");
    assert_eq!(
        attrs(&page, ".prose a.remote-image", "href"),
        [
            "https://maps.example.net/port.png",
            "https://img.example.net/h.jpg"
        ]
    );
    assert_eq!(
        texts(&page, ".prose a.remote-image"),
        ["Map of the port", "The hall"]
    );
    // `check` lists them with file and line.
    let report = check_site(&site.options());
    let warned: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "W-remote-image")
        .filter_map(|d| d.location())
        .collect();
    assert_eq!(
        warned,
        [
            "content/pages/gallery.md:4:27",
            "content/pages/gallery.md:6:14"
        ]
    );

    site.write(
        "briefing.toml",
        "title = \"T\"\nbase_url = \"https://example.org/\"\n[markdown]\nallow_remote_images = true\n",
    );
    site.build_ok();
    let page = site.page("pages/gallery/");
    assert_eq!(
        attrs(&page, ".prose img", "src"),
        [
            "https://maps.example.net/port.png",
            "https://img.example.net/h.jpg",
            "/pic.png"
        ]
    );
    assert!(attrs(&page, ".prose a.remote-image", "href").is_empty());
}

#[test]
fn images_on_the_site_own_host_are_not_remote() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/pages/own.md",
        "---\ntitle: Own\n---\n![Chart](https://example.org/chart.png)\n",
    );
    let report = site.build_ok();
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| d.code != "W-remote-image")
    );
    let page = site.page("pages/own/");
    assert_eq!(
        attrs(&page, ".prose img", "src"),
        ["https://example.org/chart.png"]
    );
}

#[test]
fn entries_in_another_language_carry_lang_and_dir() {
    let site = TestSite::fixture("multilingual");
    site.build_ok();
    let home = site.page("");
    assert_eq!(attrs(&home, "html", "lang"), ["ru"]);
    assert!(
        attrs(&home, "html", "dir").is_empty(),
        "Russian reads left to right"
    );
    // An Arabic incident on the Russian site: its page reads right to left...
    let arabic = site.page("incidents/hujum-ala-suq/");
    assert_eq!(attrs(&arabic, "main", "lang"), ["ar"]);
    assert_eq!(attrs(&arabic, "main", "dir"), ["rtl"]);
    // ... but the newsletter box, in the site's language, is outside it.
    assert!(texts(&arabic, "main .newsletter").is_empty());
    assert_eq!(texts(&arabic, ".newsletter h2"), ["Рассылка"]);
    let russian = site.page("incidents/vzryv-na-vokzale/");
    assert!(attrs(&russian, "main", "lang").is_empty());
    // Titles in listings say their language too.
    let listing = site.page("incidents/");
    assert_eq!(
        attrs(&listing, ".incident-table a[lang=ar][dir=rtl]", "href"),
        [url("incidents/hujum-ala-suq/")]
    );
    assert_eq!(
        texts(&listing, ".incident-table td span[lang=ar][dir=rtl]"),
        ["المدينة القديمة"],
        "the place, in the entry's language"
    );
    let group = site.page("groups/jabhat-al-shamal/");
    assert_eq!(
        attrs(&group, ".card-title a[lang=ar]", "dir"),
        ["rtl", "rtl", "rtl"],
        "its incident, the statement it made and the one about it"
    );
    // A site in a right-to-left language.
    let config = std::fs::read_to_string(site.root().join("briefing.toml")).unwrap();
    site.write(
        "briefing.toml",
        &config.replace("language = \"ru\"", "language = \"ar\""),
    );
    site.build_ok();
    let home = site.page("");
    assert_eq!(attrs(&home, "html", "dir"), ["rtl"]);
}

#[test]
fn a_lang_that_is_no_language_tag_is_an_error() {
    let site = TestSite::new();
    site.write(
        "content/pages/p.md",
        "---\ntitle: P\nlang: \"ar rtl\"\n---\n",
    );
    let report = site.build();
    assert!(!report.success);
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.code == "E-invalid-value")
        .expect("E-invalid-value");
    assert!(d.message.contains("`lang`"), "{d}");
    assert_eq!(
        d.location().as_deref(),
        Some("content/pages/p.md:3:8"),
        "{d}"
    );
}
