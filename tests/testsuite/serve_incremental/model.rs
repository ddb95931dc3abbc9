//! The model site of the property test: entities with fields, references, bodies and
//! publishing flags, plus templates, `static/` and `briefing.toml`, written out as files,
//! and the edits an author makes to it.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

/// Kinds the model writes, by folder.
const INCIDENTS: &str = "incidents";
const GROUPS: &str = "groups";
const ACTORS: &str = "actors";
const STATEMENTS: &str = "statements";

#[derive(Debug, Clone)]
struct Ent {
    id: u32,
    dir: &'static str,
    stem: String,
    slug: Option<String>,
    title: String,
    summary: String,
    year: u16,
    /// Month and day (1-9, 0-9) other than the ones the id gives.
    day: Option<(u8, u8)>,
    /// Day of the last update (`updated`), if any.
    updated: Option<u8>,
    tlp_red: bool,
    draft: bool,
    future: bool,
    tags: BTreeSet<&'static str>,
    country: Option<&'static str>,
    /// Incidents: perpetrators (groups); statements: the incident.
    refs: Vec<u32>,
    body: String,
    /// An entity the body links to with `[[slug]]`.
    wikilink: Option<u32>,
}

impl Ent {
    fn new(id: u32, dir: &'static str) -> Ent {
        Ent {
            id,
            dir,
            stem: format!("{}-{id}", &dir[..dir.len() - 1]),
            slug: None,
            title: format!("Entity {id}"),
            summary: format!("About entity {id}."),
            year: 2010 + (id % 3) as u16,
            day: None,
            updated: None,
            tlp_red: false,
            draft: false,
            future: false,
            tags: BTreeSet::new(),
            country: None,
            refs: Vec::new(),
            body: format!("The body of entity {id}."),
            wikilink: None,
        }
    }

    fn slug(&self) -> &str {
        self.slug.as_deref().unwrap_or(&self.stem)
    }

    /// Month (1-9) and day (0-9, after a 1) of its date.
    fn month_day(&self) -> (u8, u8) {
        self.day
            .unwrap_or((1 + (self.id % 9) as u8, (self.id % 10) as u8))
    }
}

#[derive(Debug, Clone)]
pub(super) struct Model {
    ents: Vec<Ent>,
    next: u32,
    paginate_by: u8,
    full_feeds: bool,
    feed_limit: u8,
    /// Variant of `templates/404.html` (None: the theme's).
    template: Option<u8>,
    /// Variant of `templates/style.css` (None: the theme's).
    style: Option<u8>,
    /// `static/` files: name -> content.
    statics: BTreeMap<u8, u8>,
}

impl Model {
    pub(super) fn new() -> Model {
        let mut m = Model {
            ents: Vec::new(),
            next: 0,
            paginate_by: 2,
            full_feeds: false,
            feed_limit: 3,
            template: None,
            style: None,
            statics: BTreeMap::new(),
        };
        for dir in [
            ACTORS, GROUPS, GROUPS, INCIDENTS, INCIDENTS, INCIDENTS, STATEMENTS, STATEMENTS,
        ] {
            m.add(dir);
        }
        m.ents[3].refs = vec![1];
        m.ents[4].refs = vec![1, 2];
        m.ents[6].refs = vec![3];
        m.ents[3].tags.insert("alpha");
        m.ents[5].country = Some("RU");
        m.ents[3].wikilink = Some(1);
        m
    }

    fn add(&mut self, dir: &'static str) {
        self.ents.push(Ent::new(self.next, dir));
        self.next += 1;
    }

    fn get(&self, id: u32) -> Option<&Ent> {
        self.ents.iter().find(|e| e.id == id)
    }

    /// The actor every statement is spoken by: the first entity, never deleted.
    fn speaker(&self) -> &str {
        self.ents[0].slug()
    }

    fn text(&self, e: &Ent) -> String {
        let mut s = String::from("---\n");
        s += &format!("title: \"{}\"\nsummary: \"{}\"\n", e.title, e.summary);
        if let Some(slug) = &e.slug {
            s += &format!("slug: {slug}\n");
        }
        if e.tlp_red {
            s += "tlp: red\n";
        }
        if e.draft {
            s += "draft: true\n";
        }
        if e.future {
            s += "publish_at: 2999-01-01T00:00:00Z\n";
        }
        if let Some(d) = e.updated {
            s += &format!("updated: 2020-01-1{d}\n");
        }
        if !e.tags.is_empty() {
            let tags: Vec<&str> = e.tags.iter().copied().collect();
            s += &format!("tags: [{}]\n", tags.join(", "));
        }
        let refs: Vec<&str> = e
            .refs
            .iter()
            .filter_map(|&r| self.get(r))
            .map(Ent::slug)
            .collect();
        match e.dir {
            INCIDENTS => {
                let (m, d) = e.month_day();
                s += &format!("date: {}-0{m}-1{d}\n", e.year);
                if !refs.is_empty() {
                    s += &format!("perpetrators: [{}]\n", refs.join(", "));
                }
                if let Some(c) = e.country {
                    s += &format!("location: {{ city: Town, country: {c} }}\n");
                }
            }
            STATEMENTS => {
                let (m, d) = e.month_day();
                s += &format!("date: {}-0{m}-0{}\n", e.year, 1 + d % 9);
                s += &format!("speaker: {}\nstance: claims\n", self.speaker());
                if let Some(i) = refs.first() {
                    s += &format!("incident: {i}\n");
                }
            }
            ACTORS => {
                s += "kind: state\n";
                if let Some(c) = e.country {
                    s += &format!("country: {c}\n");
                }
            }
            _ => {
                if let Some(c) = e.country {
                    s += &format!("regions: [{c}]\n");
                }
            }
        }
        s += "---\n\n";
        s += &e.body;
        if let Some(t) = e.wikilink.and_then(|t| self.get(t)) {
            s += &format!(" See [[{}]].", t.slug());
        }
        s += "\n";
        s
    }

    /// Every file of the site.
    pub(super) fn files(&self) -> BTreeMap<String, String> {
        let mut files = BTreeMap::new();
        files.insert(
            "briefing.toml".to_string(),
            format!(
                "title = \"Incremental\"\nbase_url = \"https://example.org/\"\n\n[build]\n\
                 paginate_by = {}\nfeed_content = \"{}\"\nfeed_limit = {}\n",
                self.paginate_by,
                if self.full_feeds { "full" } else { "summary" },
                self.feed_limit
            ),
        );
        for e in &self.ents {
            files.insert(format!("content/{}/{}.md", e.dir, e.stem), self.text(e));
        }
        if let Some(v) = self.template {
            let theme = theme_file("404.html");
            files.insert(
                "templates/404.html".to_string(),
                theme.replacen("</main>", &format!("<p>Variant {v}.</p></main>"), 1),
            );
        }
        if let Some(v) = self.style {
            files.insert(
                "templates/style.css".to_string(),
                format!(
                    "{}\n.variant-{v} {{ color: red; }}\n",
                    theme_file("style.css")
                ),
            );
        }
        for (name, content) in &self.statics {
            files.insert(
                format!("static/files/f{name}.txt"),
                format!("static {content}\n"),
            );
        }
        files
    }

    pub(super) fn apply(&mut self, op: &Op) {
        let n = self.ents.len();
        let pick = |i: u8| (i as usize) % n;
        // The speaker stays published and keeps its slug, so statements keep building.
        let pick_not_first = |i: u8| 1 + (i as usize) % (n - 1);
        match *op {
            Op::Body(i, v) => self.ents[pick(i)].body = format!("Body version {v}."),
            Op::Wikilink(i, t) => {
                let target = self.ents[pick(t)].id;
                let e = &mut self.ents[pick(i)];
                e.wikilink = if e.wikilink == Some(target) {
                    None
                } else {
                    Some(target)
                };
            }
            Op::Title(i, v) => self.ents[pick(i)].title = format!("Title {v}"),
            Op::Summary(i, v) => self.ents[pick(i)].summary = format!("Summary {v}."),
            Op::Year(i, v) => self.ents[pick(i)].year = 2010 + (v % 3) as u16,
            Op::Date(i, v) => self.ents[pick(i)].day = Some((1 + v % 9, v % 10)),
            Op::Updated(i, v) => {
                let e = &mut self.ents[pick(i)];
                e.updated = if e.updated.is_some() {
                    None
                } else {
                    Some(v % 10)
                };
            }
            Op::Tlp(i) => {
                let e = &mut self.ents[pick_not_first(i)];
                e.tlp_red = !e.tlp_red;
            }
            Op::Draft(i) => {
                let e = &mut self.ents[pick_not_first(i)];
                e.draft = !e.draft;
            }
            Op::Embargo(i) => {
                let e = &mut self.ents[pick_not_first(i)];
                e.future = !e.future;
            }
            Op::Slug(i, v) => {
                let e = &mut self.ents[pick_not_first(i)];
                e.slug = if e.slug.is_some() {
                    None
                } else {
                    Some(format!("renamed-{v}"))
                };
                // Two entities may not share a slug: the second rename is undone.
                let slug = e.slug.clone();
                let id = e.id;
                if slug.is_some()
                    && self
                        .ents
                        .iter()
                        .any(|o| o.id != id && o.slug() == slug.as_deref().unwrap_or(""))
                {
                    self.ents[pick_not_first(i)].slug = None;
                }
            }
            Op::Tag(i, t) => {
                let tag = ["alpha", "beta", "gamma"][(t % 3) as usize];
                let e = &mut self.ents[pick(i)];
                if !e.tags.remove(tag) {
                    e.tags.insert(tag);
                }
            }
            Op::Country(i, c) => {
                self.ents[pick(i)].country = [None, Some("RU"), Some("FI")][(c % 3) as usize];
            }
            Op::Ref(i, t) => {
                let e = &self.ents[pick(i)];
                let wanted = match e.dir {
                    INCIDENTS => GROUPS,
                    STATEMENTS => INCIDENTS,
                    _ => return,
                };
                let targets: Vec<u32> = self
                    .ents
                    .iter()
                    .filter(|o| o.dir == wanted)
                    .map(|o| o.id)
                    .collect();
                if targets.is_empty() {
                    return;
                }
                let target = targets[(t as usize) % targets.len()];
                let e = &mut self.ents[pick(i)];
                if let Some(at) = e.refs.iter().position(|&r| r == target) {
                    e.refs.remove(at);
                } else if e.dir == INCIDENTS {
                    e.refs.push(target);
                } else {
                    e.refs = vec![target];
                }
            }
            Op::Add(k) => self.add([INCIDENTS, GROUPS, STATEMENTS][(k % 3) as usize]),
            Op::Delete(i) => {
                if n > 2 {
                    let id = self.ents.remove(pick_not_first(i)).id;
                    for e in &mut self.ents {
                        e.refs.retain(|&r| r != id);
                        if e.wikilink == Some(id) {
                            e.wikilink = None;
                        }
                    }
                }
            }
            Op::Template(v) => self.template = (v % 3 != 0).then_some(v),
            Op::Style(v) => self.style = (v % 3 != 0).then_some(v),
            Op::Static(name, v) => {
                let name = name % 3;
                if v % 3 == 0 {
                    self.statics.remove(&name);
                } else {
                    self.statics.insert(name, v);
                }
            }
            Op::Config(v) => {
                self.paginate_by = [1, 2, 20][(v % 3) as usize];
                self.full_feeds = v % 2 == 0;
                self.feed_limit = [2, 3, 50][(v / 3 % 3) as usize];
            }
        }
    }
}

/// One edit an author makes.
#[derive(Debug, Clone)]
pub(super) enum Op {
    Body(u8, u8),
    Wikilink(u8, u8),
    Title(u8, u8),
    Summary(u8, u8),
    Year(u8, u8),
    /// Another month and day in the same year.
    Date(u8, u8),
    /// `updated` set or removed.
    Updated(u8, u8),
    Tlp(u8),
    Draft(u8),
    Embargo(u8),
    Slug(u8, u8),
    Tag(u8, u8),
    Country(u8, u8),
    Ref(u8, u8),
    Add(u8),
    Delete(u8),
    Template(u8),
    Style(u8),
    Static(u8, u8),
    Config(u8),
}

pub(super) fn op() -> impl Strategy<Value = Op> {
    let i = any::<u8>;
    prop_oneof![
        4 => (i(), i()).prop_map(|(a, b)| Op::Body(a, b)),
        2 => (i(), i()).prop_map(|(a, b)| Op::Wikilink(a, b)),
        2 => (i(), i()).prop_map(|(a, b)| Op::Title(a, b)),
        2 => (i(), i()).prop_map(|(a, b)| Op::Summary(a, b)),
        1 => (i(), i()).prop_map(|(a, b)| Op::Year(a, b)),
        1 => (i(), i()).prop_map(|(a, b)| Op::Date(a, b)),
        1 => (i(), i()).prop_map(|(a, b)| Op::Updated(a, b)),
        2 => i().prop_map(Op::Tlp),
        1 => i().prop_map(Op::Draft),
        1 => i().prop_map(Op::Embargo),
        2 => (i(), i()).prop_map(|(a, b)| Op::Slug(a, b)),
        1 => (i(), i()).prop_map(|(a, b)| Op::Tag(a, b)),
        1 => (i(), i()).prop_map(|(a, b)| Op::Country(a, b)),
        2 => (i(), i()).prop_map(|(a, b)| Op::Ref(a, b)),
        1 => i().prop_map(Op::Add),
        1 => i().prop_map(Op::Delete),
        1 => i().prop_map(Op::Template),
        1 => i().prop_map(Op::Style),
        1 => (i(), i()).prop_map(|(a, b)| Op::Static(a, b)),
        1 => i().prop_map(Op::Config),
    ]
}

fn theme_file(name: &str) -> String {
    briefing::render::THEME
        .get_file(name)
        .and_then(|f| f.contents_utf8())
        .unwrap_or_else(|| panic!("the theme has `{name}`"))
        .to_string()
}
