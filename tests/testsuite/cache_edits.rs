//! The property of the cache (issue 16): after any sequence of edits (bodies, titles, TLP,
//! drafts, embargoes, deleted files, templates, settings), a build with the cache writes
//! byte for byte what a build without it writes, and no withheld body is in the output or
//! in the cache. A seeded loop, so a failure names the seed and step to replay.

use std::fs;

use super::{build_both, cache_dir};
use crate::support::*;

/// A small deterministic generator (xorshift64*), so runs are repeatable.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Slugs of the site, and one that never exists.
const SLUGS: [&str; 8] = [
    "g-alpha", "g-beta", "a-one", "i-one", "i-two", "i-three", "s-one", "ghost",
];

#[derive(Clone)]
struct Entity {
    folder: &'static str,
    slug: &'static str,
    /// Frontmatter lines besides title, tlp, draft and publish_at.
    fields: &'static str,
    title: usize,
    tlp: &'static str,
    draft: bool,
    publish_at: Option<&'static str>,
    version: usize,
    snippets: Vec<String>,
    present: bool,
}

impl Entity {
    fn new(folder: &'static str, slug: &'static str, fields: &'static str) -> Self {
        Entity {
            folder,
            slug,
            fields,
            title: 0,
            tlp: "clear",
            draft: false,
            publish_at: None,
            version: 0,
            snippets: Vec::new(),
            present: true,
        }
    }

    fn path(&self) -> String {
        format!("content/{}/{}.md", self.folder, self.slug)
    }

    /// The word only this version of this body holds.
    fn marker(&self) -> String {
        format!("bodymark-{}-v{}", self.slug, self.version)
    }

    fn text(&self) -> String {
        let mut t = format!(
            "---\ntitle: Title of {} {}\ntlp: {}\ndraft: {}\n{}",
            self.slug, self.title, self.tlp, self.draft, self.fields
        );
        if let Some(at) = self.publish_at {
            t.push_str(&format!("publish_at: {at}\n"));
        }
        t.push_str(&format!("---\n\nIntro {}.\n\n", self.marker()));
        for s in &self.snippets {
            t.push_str(s);
            t.push_str("\n\n");
        }
        t
    }

    fn withheld(&self) -> bool {
        self.tlp != "clear" || self.draft || self.publish_at == Some("2099-01-01T00:00:00Z")
    }
}

fn snippet(rng: &mut Rng) -> String {
    let s = rng.pick(&SLUGS);
    let folder = match &s[..2] {
        "g-" => "groups",
        "a-" => "actors",
        "s-" => "statements",
        _ => "incidents",
    };
    match rng.below(9) {
        0 => format!("See [[{s}]] and \"quotes\" -- here."),
        1 => format!("## About [[{s}]]\n\nUnder the heading."),
        2 => format!("[[{s}#part|in {s}'s words]]"),
        3 => format!("A [written link](/{folder}/{s}/) and a [relative one](../../{folder}/{s}/)."),
        4 => format!("<p>Raw <a href=\"/{folder}/{s}/\">link</a> and <em>text</em></p>"),
        5 => format!("```python\ndef f():\n    return \"{s}\"  # note\n```"),
        6 => format!(
            "```json\n{{\"slug\": \"{s}\", \"n\": {}}}\n```",
            rng.below(100)
        ),
        7 => format!("![[{s}]]"),
        _ => format!("- item [[{s}|x]]\n- item two\n\n> quote of {s}"),
    }
}

fn entities() -> Vec<Entity> {
    vec![
        Entity::new("groups", "g-alpha", "summary: A group.\n"),
        Entity::new("groups", "g-beta", "summary: Another group.\n"),
        Entity::new("actors", "a-one", "summary: An actor.\nkind: person\n"),
        Entity::new(
            "incidents",
            "i-one",
            "summary: One.\ndate: 2024-01-15\nperpetrators: [g-alpha]\n",
        ),
        Entity::new(
            "incidents",
            "i-two",
            "summary: Two.\ndate: 2024-02-15\nperpetrators: [g-beta, g-alpha]\n",
        ),
        Entity::new("incidents", "i-three", "summary: Three.\ndate: 2023-05\n"),
        Entity::new(
            "statements",
            "s-one",
            "summary: Said.\ndate: 2024-01-16\nspeaker: g-alpha\nincident: i-one\nstance: claims\n",
        ),
    ]
}

const TEMPLATE_EDIT: &str = "</article>\n{% endblock content %}";

fn write_all(site: &TestSite, all: &[Entity]) {
    for e in all {
        let path = site.root().join(e.path());
        if e.present {
            // Only what changed is written, as an editor saves: the steps that change
            // nothing are builds with nothing to do (the record of the last build).
            if fs::read_to_string(&path).ok() != Some(e.text()) {
                site.write(&e.path(), &e.text());
            }
        } else if path.exists() {
            fs::remove_file(path).unwrap();
        }
    }
}

/// One random edit; returns what it did, for failure messages.
fn edit(rng: &mut Rng, site: &TestSite, all: &mut [Entity], settings: &mut (bool, bool)) -> String {
    let i = rng.below(all.len());
    let e = &mut all[i];
    let what = match rng.below(10) {
        0..=2 => {
            e.version += 1;
            let s = snippet(rng);
            if e.snippets.len() > 3 {
                let at = rng.below(e.snippets.len());
                e.snippets[at] = s;
            } else {
                e.snippets.push(s);
            }
            "body"
        }
        3 => {
            e.title = rng.below(3);
            "title"
        }
        4 => {
            e.tlp = rng.pick(&["clear", "red", "amber"]);
            "tlp"
        }
        5 => {
            e.draft = !e.draft;
            "draft"
        }
        6 => {
            e.publish_at = [
                None,
                Some("2020-01-01T00:00:00Z"),
                Some("2099-01-01T00:00:00Z"),
            ][rng.below(3)];
            "publish_at"
        }
        7 => {
            e.present = !e.present;
            "deleted or restored"
        }
        8 => {
            let base = include_str!("../../templates/incident.html");
            if rng.below(2) == 0 {
                let edited = base.replace(
                    TEMPLATE_EDIT,
                    &format!("<p>edit {}</p>\n{TEMPLATE_EDIT}", rng.below(1000)),
                );
                site.write("templates/incident.html", &edited);
            } else {
                let _ = fs::remove_file(site.root().join("templates/incident.html"));
            }
            return "template".into();
        }
        _ => {
            if rng.below(2) == 0 {
                settings.0 = !settings.0;
            } else {
                settings.1 = !settings.1;
            }
            site.write(
                "briefing.toml",
                &format!(
                    "title = \"Cache property\"\nbase_url = \"https://example.org/\"\n\n[markdown]\nsmart_punctuation = {}\nhighlight_code = {}\n",
                    settings.0, settings.1
                ),
            );
            return "settings".into();
        }
    };
    format!("{what} of {}", e.slug)
}

fn run_seed(seed: u64, steps: usize) -> (u64, usize) {
    let mut rng = Rng(seed);
    let site = TestSite::new();
    let scratch = tempfile::tempdir().unwrap();
    let mut all = entities();
    let mut settings = (true, true);
    write_all(&site, &all);
    let (mut hits, mut skipped) = (0, 0);
    let mut log = Vec::new();
    for step in 0..steps {
        let what = edit(&mut rng, &site, &mut all, &mut settings);
        write_all(&site, &all);
        log.push(what);
        let name = format!("seed {seed}, step {step} ({})", log.join(", "));
        let report = build_both(&site, scratch.path(), &name);
        hits += report.cache.as_ref().map_or(0, |c| c.hits);
        skipped += usize::from(report.up_to_date.is_some());
        if step == 0 {
            assert!(report.success, "{name}: {}", diagnostics_text(&report));
        }
        if !report.success {
            continue;
        }
        for e in all.iter().filter(|e| e.present && e.withheld()) {
            let leaks = occurrences(&scratch.path().join("cached"), &e.marker());
            assert!(
                leaks.is_empty(),
                "{name}: withheld body published: {leaks:?}"
            );
            let kept = occurrences(&cache_dir(&site), &e.marker());
            assert!(
                kept.is_empty(),
                "{name}: withheld body in the cache: {kept:?}"
            );
        }
    }
    (hits, skipped)
}

#[test]
fn cached_builds_equal_uncached_builds_after_random_edits() {
    let (mut hits, mut skipped) = (0, 0);
    for seed in [0x5eed_0001, 0x5eed_0002, 0x5eed_0003] {
        let (h, s) = run_seed(seed, 12);
        hits += h;
        skipped += s;
    }
    assert!(hits > 0, "no build took a body from the cache");
    assert!(
        skipped > 0,
        "no step left the site as it was, so no build was skipped"
    );
}
