//! Full-text search (issue 15): the sharded index under `search-index/`, read back the way
//! `search.js` reads it (manifest, one shard per word, document files), on sites with
//! Cyrillic and Arabic text, body-only words, filters, fabricated statements and withheld
//! canaries.

use std::path::Path;

use briefing::output::search::postings::{DIGITS, shard_key, shard_of};
use briefing::render::words::fold;
use serde_json::Value;

use crate::support::*;

/// The search index of a built site, read like the search page reads it.
struct Index<'a> {
    site: &'a TestSite,
    manifest: Value,
}

impl<'a> Index<'a> {
    fn open(site: &'a TestSite) -> Self {
        let manifest = json(site, "search-index/manifest.json");
        Index { site, manifest }
    }

    fn n(&self) -> u32 {
        self.manifest["n"].as_u64().expect("n") as u32
    }

    /// The three lists (title, other fields, body) of `word` as typed.
    fn lists(&self, word: &str) -> [Vec<u32>; 3] {
        let word = fold(word);
        let shards = self.manifest["shards"].as_u64().expect("shards") as u32;
        let shard = shard_of(shard_key(&word), shards);
        let terms = json(self.site, &format!("search-index/shards/{shard}.json"));
        let Some(lists) = terms.get(&word) else {
            return Default::default();
        };
        [0, 1, 2].map(|i| decode(lists[i].as_str().expect("list"), self.n()))
    }

    /// The record of document `doc`.
    fn doc(&self, doc: u32) -> Value {
        let chunk = self.manifest["chunk"].as_u64().expect("chunk") as u32;
        let file = json(
            self.site,
            &format!("search-index/docs/{}.json", doc / chunk),
        );
        file[(doc % chunk) as usize].clone()
    }

    /// The paths of the documents holding `word` anywhere.
    fn paths(&self, word: &str) -> Vec<String> {
        let mut docs: Vec<u32> = self.lists(word).concat();
        docs.sort_unstable();
        docs.iter()
            .map(|&d| self.doc(d)["u"].as_str().expect("u").to_string())
            .collect()
    }

    /// The document number of the page at `path`.
    fn number(&self, path: &str) -> u32 {
        (0..self.n())
            .find(|&d| self.doc(d)["u"] == path)
            .unwrap_or_else(|| panic!("`{path}` is not in the index"))
    }

    /// The paths of the documents in an encoded filter file.
    fn filter(&self, file: &str) -> Vec<String> {
        let text = self.site.read_out(&format!("search-index/{file}"));
        decode(&text, self.n())
            .iter()
            .map(|&d| self.doc(d)["u"].as_str().expect("u").to_string())
            .collect()
    }
}

/// Every document record of the search index, in document order.
pub fn search_docs(site: &TestSite) -> Vec<Value> {
    let manifest = json(site, "search-index/manifest.json");
    let (n, chunk) = (
        manifest["n"].as_u64().unwrap(),
        manifest["chunk"].as_u64().unwrap(),
    );
    (0..n.div_ceil(chunk))
        .flat_map(|c| {
            json(site, &format!("search-index/docs/{c}.json"))
                .as_array()
                .expect("an array")
                .clone()
        })
        .collect()
}

fn json(site: &TestSite, rel: &str) -> Value {
    serde_json::from_str(&site.read_out(rel)).unwrap_or_else(|e| panic!("`{rel}`: {e}"))
}

/// A list as `search.js` decodes it: `~` and a bitmap, or base-32 gaps.
fn decode(s: &str, n: u32) -> Vec<u32> {
    let digit = |c: u8| DIGITS.iter().position(|&d| d == c).expect("digit") as u64;
    if let Some(bits) = s.strip_prefix('~') {
        return (0..n)
            .filter(|&i| digit(bits.as_bytes()[i as usize / 6]) & (1 << (i % 6)) != 0)
            .collect();
    }
    let (mut out, mut prev, mut acc) = (Vec::new(), -1i64, 0u64);
    for c in s.bytes() {
        let d = digit(c);
        acc = acc * 32 + (d & 31);
        if d < 32 {
            prev += acc as i64;
            out.push(prev as u32);
            acc = 0;
        }
    }
    out
}

/// A small site in Russian, Arabic and English.
fn multilingual() -> TestSite {
    let site = TestSite::new();
    site.write(
        "content/groups/wilayat-khurasan.md",
        "---\ntitle: Islamic State Khorasan Province\nshort_name: ISKP\naliases: [\"ولاية خراسان\", \"Вилаят Хорасан\"]\nregions: [AF]\n---\n\nA regional branch.\n",
    )
    .write(
        "content/incidents/crocus.md",
        "---\ntitle: Теракт в «Крокус Сити Холле»\nsummary: Нападение на концертный зал в Красногорске.\ndate: 2024-03-22\nlocation:\n  city: Красногорск\n  country: RU\nperpetrators: [wilayat-khurasan]\n---\n\nStrangely, the word quixotically appears only here in the body.\n",
    )
    .write(
        "content/incidents/kabul.md",
        "---\ntitle: Kabul airport bombing\ndate: 2021-08\nlocation:\n  city: Kabul\n  country: AF\n---\n\nالهجوم على مطار كابول الدولي.\n",
    )
    .write(
        "content/actors/ntv.md",
        "---\ntitle: NTV\nkind: media\ncountry: RU\n---\n",
    )
    .write(
        "content/actors/danilov.md",
        "---\ntitle: Oleksiy Danilov\nkind: person\ncountry: UA\n---\n",
    )
    .write(
        "content/statements/deepfake.md",
        "---\ntitle: Deepfake video of Danilov\ndate: 2024-03-24\nspeaker: danilov\nvia: ntv\nstance: admits\nincident: crocus\nverification:\n  status: fabricated\n---\n",
    )
    .write(
        "content/statements/claim.md",
        "---\ntitle: ISKP claims the attack\ndate: 2024-03-22\nspeaker: wilayat-khurasan\nstance: claims\nincident: crocus\nverification:\n  status: confirmed\n---\n",
    );
    site.build_ok();
    site
}

#[test]
fn search_index_maps_cyrillic_and_arabic_words_to_their_pages() {
    let site = multilingual();
    let index = Index::open(&site);
    // Title words, in any case; a summary word; an alias in each script.
    assert_eq!(index.paths("КРОКУС"), ["incidents/crocus/"]);
    assert_eq!(
        index.lists("крокус")[0].len(),
        1,
        "a title word is in the title list"
    );
    assert_eq!(index.paths("концертный"), ["incidents/crocus/"]);
    assert_eq!(index.paths("хорасан"), ["groups/wilayat-khurasan/"]);
    assert_eq!(index.paths("خراسان"), ["groups/wilayat-khurasan/"]);
    // Arabic of a body, with or without the hamza the reader may not type.
    assert_eq!(index.paths("مطار"), ["incidents/kabul/"]);
    assert_eq!(index.paths("كابول"), ["incidents/kabul/"]);
    assert!(index.paths("nonexistentword").is_empty());
}

#[test]
fn search_index_finds_a_word_of_the_body_only() {
    let site = multilingual();
    let index = Index::open(&site);
    let [title, fields, body] = index.lists("Quixotically");
    assert!(
        title.is_empty() && fields.is_empty(),
        "{title:?} {fields:?}"
    );
    assert_eq!(body.len(), 1);
    assert_eq!(index.paths("quixotically"), ["incidents/crocus/"]);
}

#[test]
fn search_index_holds_the_data_of_the_kind_country_and_group_filters() {
    let site = multilingual();
    let index = Index::open(&site);
    // Kinds are ranges of document numbers, and every document is in its kind's.
    let kinds = index.manifest["kinds"].as_array().expect("kinds");
    let labels: Vec<&str> = kinds.iter().map(|k| k["k"].as_str().unwrap()).collect();
    assert_eq!(labels, ["group", "actor", "incident", "statement"]);
    for k in kinds {
        for d in k["from"].as_u64().unwrap()..k["to"].as_u64().unwrap() {
            assert_eq!(index.doc(d as u32)["k"], k["k"]);
        }
    }
    assert_eq!(kinds.last().unwrap()["to"], index.n());
    // Countries, with names, and the pages of each.
    let countries: Vec<(String, String)> = index.manifest["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["c"].as_str().unwrap().into(),
                c["name"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(
        countries.contains(&("RU".into(), "Russia".into())),
        "{countries:?}"
    );
    let ru = index.filter("country/RU.txt");
    assert!(ru.contains(&"incidents/crocus/".to_string()), "{ru:?}");
    assert!(!ru.contains(&"incidents/kabul/".to_string()), "{ru:?}");
    // A group: itself, its incidents, statements by it.
    let group = index.number("groups/wilayat-khurasan/");
    let mut related = index.filter(&format!("group/{group}.txt"));
    related.sort();
    assert_eq!(
        related,
        [
            "groups/wilayat-khurasan/",
            "incidents/crocus/",
            "statements/claim/"
        ]
    );
    // The group filter's names (and typo dictionary) hold every alias.
    let names = json(&site, "search-index/names.json");
    assert_eq!(
        names[0],
        serde_json::json!([
            group.to_string(),
            "Islamic State Khorasan Province",
            "ISKP",
            "ولاية خراسان",
            "Вилаят Хорасан"
        ])
    );
}

#[test]
fn search_results_show_dates_at_their_precision_and_fabricated_statements_as_falsely_attributed() {
    let site = multilingual();
    let index = Index::open(&site);
    let kabul = index.doc(index.number("incidents/kabul/"));
    assert_eq!(kabul["d"], serde_json::json!(["2021-08", "August 2021"]));
    let fake = index.doc(index.number("statements/deepfake/"));
    assert_eq!(fake["fa"], "Oleksiy Danilov");
    assert!(fake.get("by").is_none(), "{fake}");
    assert_eq!(fake["v"], serde_json::json!(["Fabricated", "fabricated"]));
    let claim = index.doc(index.number("statements/claim/"));
    assert_eq!(claim["by"], "Islamic State Khorasan Province");
    assert_eq!(claim["st"], serde_json::json!(["Claims", "claims"]));
    assert!(claim.get("fa").is_none());
}

/// Every file of the search index, with its text.
fn search_files(out: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(out.join("search-index"))
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("entry"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap().display().to_string();
            (rel, std::fs::read_to_string(e.path()).expect("text"))
        })
        .collect()
}

#[test]
fn canary_withheld_text_is_in_no_search_file() {
    let site = TestSite::new();
    site.write(
        "briefing.toml",
        "title = \"T\"\nbase_url = \"https://example.org/\"\n[build]\ntlp = \"green\"\n",
    );
    let withheld = [
        ("content/incidents/red.md", "tlp: red\ndate: 2024-01-01"),
        (
            "content/groups/amber.md",
            "tlp: amber\naliases: [Zorblaxcanary alias]",
        ),
        (
            "content/statements/draft.md",
            "draft: true\ndate: 2024-01-01\nspeaker: pub\nstance: claims",
        ),
        ("content/pages/embargo.md", "publish_at: 2999-01-01"),
    ];
    for (file, how) in withheld {
        site.write(
            file,
            &format!(
                "---\ntitle: Zorblaxcanary title\nsummary: zorblaxcanary summary\n{how}\n---\n\nBody with zorblaxcanary inside.\n"
            ),
        );
    }
    site.write(
        "content/groups/pub.md",
        "---\ntitle: Published group\n---\n\nBody with quuxpublished inside, and [[red]] and [[amber|a link]].\n",
    );
    site.build_ok();
    let files = search_files(&site.out());
    assert!(files.len() >= 4, "{files:?}");
    // The scan can see the published word (in its shard) ...
    assert!(files.iter().any(|(_, t)| t.contains("quuxpublished")));
    // ... and sees no withheld one, in any case, nor a withheld slug.
    for (file, text) in &files {
        let lower = text.to_lowercase();
        for needle in [
            "zorblaxcanary",
            "statements/draft",
            "incidents/red",
            "groups/amber",
        ] {
            assert!(!lower.contains(needle), "`{file}` holds `{needle}`: {text}");
        }
    }
    assert!(Index::open(&site).paths("zorblaxcanary").is_empty());
}

#[test]
fn canary_fixture_search_index_holds_no_canary() {
    let site = TestSite::fixture("canary");
    let mut opts = site.options();
    opts.now = Some(moment("2026-06-01T00:00:00Z"));
    let report = briefing::build_site(&opts);
    assert!(report.success, "{}", diagnostics_text(&report));
    let files = search_files(&site.out());
    assert!(files.iter().any(|(_, t)| t.contains("published")));
    for (file, text) in files {
        assert!(
            !text.to_lowercase().contains("canary"),
            "`{file}` holds a canary: {text}"
        );
    }
}

/// The index reads a body's words as the page shows them: inline markup does not split a
/// word, and a highlighted code block gives the words it gives unhighlighted. So a build
/// that reads the bodies back from the cache (highlighted) and one without the cache
/// (rendered again without highlighting) write the same index.
#[test]
fn search_index_is_the_same_with_and_without_the_body_cache() {
    let site = TestSite::new();
    site.write(
        "content/incidents/x.md",
        "---\ntitle: X\ndate: 2024-01-02\n---\n\nThe town of Zel*ten*grad.\n\n```rust\nlet quokkavar = \"walrusstring\"; // bilbycomment\n```\n\n```nosuchlanguage\nplatypusword\n```\n",
    );
    let mut options = site.options();
    options.output = Some(site.root().join("cached"));
    options.cache = briefing::CacheUse::ReadWrite;
    assert!(briefing::build_site(&options).success);
    // Again, now with every body in the cache.
    assert!(briefing::build_site(&options).success);
    let cached = snapshot(&site.root().join("cached/search-index"));
    options.output = Some(site.root().join("uncached"));
    options.cache = briefing::CacheUse::Off;
    assert!(briefing::build_site(&options).success);
    let uncached = snapshot(&site.root().join("uncached/search-index"));
    assert_same_files(&cached, &uncached);

    // And the words are the reader's.
    site.build_ok();
    let index = Index::open(&site);
    for word in [
        "zeltengrad",
        "quokkavar",
        "walrusstring",
        "bilbycomment",
        "platypusword",
    ] {
        assert_eq!(index.paths(word), ["incidents/x/"], "{word}");
    }
    assert!(index.paths("zel").is_empty());
}
