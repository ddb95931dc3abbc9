//! Full-text search as a reader uses it (issue 15): typing into the search box of a served
//! site in headless Chromium, driven over the DevTools protocol ([`super::cdp`]).

use std::time::Duration;

use super::cdp::Browser;
use super::{CONFIG, build_and_serve, chromium};

const WAIT: Duration = Duration::from_secs(10);

/// A site in Russian, Arabic and English with a group known by several aliases.
fn site() -> (tempfile::TempDir, u16) {
    build_and_serve(&[
        ("briefing.toml", CONFIG),
        (
            "content/groups/wilayat-khurasan.md",
            "---\ntitle: Islamic State Khorasan Province\nshort_name: ISKP\naliases: [\"ولاية خراسان\", \"Вилаят Хорасан\"]\nsummary: Regional branch.\n---\n",
        ),
        (
            "content/groups/other-front.md",
            "---\ntitle: Other Front\nsummary: Unrelated.\n---\n",
        ),
        (
            "content/incidents/crocus.md",
            "---\ntitle: Теракт в «Крокус Сити Холле»\nsummary: Нападение на концертный зал.\ndate: 2024-03-22\nlocation:\n  city: Красногорск\n  country: RU\nperpetrators: [wilayat-khurasan]\n---\n\nВооружённые люди открыли огонь в зале.\n",
        ),
        (
            "content/incidents/kabul.md",
            "---\ntitle: Kabul airport bombing\ndate: 2021-08\nlocation:\n  city: Kabul\n  country: AF\n---\n\nالهجوم على مطار كابول.\n",
        ),
    ])
}

fn open_search(port: u16) -> Browser {
    let chromium = chromium();
    assert!(
        chromium.is_file(),
        "this test needs Chromium, not found on PATH nor at {}: install it (Debian: apt-get install -y chromium) or set BRIEFING_CHROMIUM",
        chromium.display()
    );
    let mut b = Browser::launch(&chromium);
    b.goto(&format!("http://127.0.0.1:{port}/search/"));
    b.eval("document.getElementById('search-q').focus()");
    b
}

/// The titles and links of the results shown, in order.
fn results(b: &mut Browser) -> Vec<(String, String)> {
    let v = b.eval(
        "Array.from(document.querySelectorAll('#search-results .search-title a'))\
         .map(a => [a.textContent, new URL(a.href).pathname])",
    );
    serde_json::from_value(v).expect("pairs")
}

#[test]
#[ignore = "needs Chromium (on PATH, at /usr/bin/chromium or in BRIEFING_CHROMIUM): cargo test --test browser -- --ignored"]
fn search_as_you_type_finds_a_cyrillic_title_and_its_link_leads_to_the_page() {
    let (_dir, port) = site();
    let mut b = open_search(port);
    // Typed a letter at a time: the last word is matched as the start of a word.
    b.type_text("крок", Duration::from_millis(30));
    b.wait_for(
        "document.querySelector('#search-results .search-title a')",
        WAIT,
    );
    assert_eq!(
        results(&mut b),
        [(
            "Теракт в «Крокус Сити Холле»".to_string(),
            "/incidents/crocus/".to_string()
        )]
    );
    // Grouped by kind, with the date at its precision and a count in the live region.
    assert_eq!(
        b.eval("document.querySelector('#search-results h2').textContent"),
        "Incidents (1)"
    );
    assert_eq!(
        b.eval("document.querySelector('#search-results time').textContent"),
        "22 March 2024"
    );
    let status = b.eval("document.getElementById('search-status').textContent");
    assert_eq!(status, "1 result: 1 incident.");
    // Click it as a reader would, at its place on the screen.
    let at = b.eval(
        "(() => { const r = document.querySelector('#search-results .search-title a')\
         .getBoundingClientRect(); return [r.x + 5, r.y + r.height / 2]; })()",
    );
    for kind in ["mousePressed", "mouseReleased"] {
        b.call(
            "Input.dispatchMouseEvent",
            serde_json::json!({"type": kind, "x": at[0], "y": at[1], "button": "left", "clickCount": 1}),
        );
    }
    b.wait_for("location.pathname === '/incidents/crocus/'", WAIT);
    b.wait_for("document.readyState === 'complete'", WAIT);
    assert_eq!(
        b.eval("document.querySelector('h1').textContent.trim()"),
        "Теракт в «Крокус Сити Холле»"
    );
}

#[test]
#[ignore = "needs Chromium (on PATH, at /usr/bin/chromium or in BRIEFING_CHROMIUM): cargo test --test browser -- --ignored"]
fn search_finds_a_group_by_an_alias_typed_with_a_typo_and_arabic_body_words() {
    let (_dir, port) = site();
    let mut b = open_search(port);
    // `Хорасен` is one letter off the alias `Хорасан`; `iskb` one off `ISKP`.
    for typo in ["Хорасен", "iskb"] {
        b.eval("document.getElementById('search-q').value = ''");
        b.type_text(typo, Duration::from_millis(30));
        b.wait_for(
            "document.querySelector('#search-results .search-title a')",
            WAIT,
        );
        assert_eq!(
            results(&mut b),
            [(
                "Islamic State Khorasan Province".to_string(),
                "/groups/wilayat-khurasan/".to_string()
            )],
            "typed {typo}"
        );
    }
    // A word of an Arabic body, typed with the hamza the text has.
    b.eval("document.getElementById('search-q').value = ''");
    b.type_text("مطار ", Duration::from_millis(30));
    b.wait_for(
        "document.querySelector('#search-results .search-title a[href$=\"/incidents/kabul/\"]')",
        WAIT,
    );
    // The kind filter narrows the results; the filters are labelled controls.
    assert_eq!(
        b.eval("document.querySelector('label[for=search-kind]').textContent"),
        "Kind"
    );
    b.eval(
        "(() => { const s = document.getElementById('search-kind'); s.value = 'group'; \
         s.dispatchEvent(new Event('change')); })()",
    );
    b.wait_for(
        "document.getElementById('search-status').textContent.startsWith('No results')",
        WAIT,
    );
}

#[test]
#[ignore = "needs Chromium (on PATH, at /usr/bin/chromium or in BRIEFING_CHROMIUM): cargo test --test browser -- --ignored"]
fn search_results_over_several_document_files_keep_their_order_and_show_more_moves_focus() {
    // Twenty incidents with the word in their titles: their results come from two
    // document files (16 documents each), shown in listing order (newest first).
    let mut files: Vec<(String, String)> = vec![("briefing.toml".into(), CONFIG.into())];
    for i in 1..=20 {
        files.push((
            format!("content/incidents/flood-{i:02}.md"),
            format!("---\ntitle: Flood report {i:02}\ndate: 2024-01-{i:02}\n---\n"),
        ));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (&**p, &**t)).collect();
    let (_dir, port) = build_and_serve(&files);
    let mut b = open_search(port);
    b.type_text("flood ", Duration::from_millis(30));
    b.wait_for(
        "document.getElementById('search-status').textContent === '20 results: 20 incidents.'\
         && document.querySelectorAll('#search-results .search-title a').length === 5\
         && !document.getElementById('search-results').hasAttribute('aria-busy')",
        WAIT,
    );
    let titles =
        |b: &mut Browser| -> Vec<String> { results(b).into_iter().map(|(t, _)| t).collect() };
    let newest_first: Vec<String> = (1..=20)
        .rev()
        .map(|i| format!("Flood report {i:02}"))
        .collect();
    assert_eq!(titles(&mut b), newest_first[..5]);
    assert_eq!(
        b.eval("document.querySelector('#search-results .search-more').textContent"),
        "Show 15 more incidents (of 20)"
    );
    b.eval("document.querySelector('#search-results .search-more').click()");
    b.wait_for(
        "document.querySelectorAll('#search-results .search-title a').length === 20",
        WAIT,
    );
    assert_eq!(titles(&mut b), newest_first);
    // Focus moves to the first result added, so a keyboard reader goes on from there.
    assert_eq!(
        b.eval("document.activeElement.textContent"),
        "Flood report 15"
    );
    assert_eq!(
        b.eval("document.querySelectorAll('#search-results .search-more').length"),
        0
    );
}
