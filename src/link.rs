//! LINK: withhold what may not be published, resolve every reference through one index,
//! and derive every backlink.
//!
//! Invariants:
//! - Withholding happens first. An entity above the published TLP level, a draft (unless
//!   drafts are asked for) or an embargoed entity never becomes part of the [`Site`]: it
//!   has no id, so no later stage can list, count, link or export it. References to it
//!   from published entities are dropped (see `docs/publishing.md`) and reported as notes.
//! - References are checked for every document, published or not, so `check` finds errors
//!   in withheld content too.
//! - Linear time: one pass over documents to index slugs, one pass over references.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use crate::diag::{Diagnostic, Diagnostics, did_you_mean};
use crate::load::{Document, Fingerprint, Loaded};
use crate::markdown::WikiLink;
use crate::model::{Common, Data, EntityId, Kind, PartialDate, RefSlug, Slug, Stance, slugify};
use crate::plan::BaseUrl;

mod relations;
mod urls;

pub use relations::RELATED_LIMIT;

use urls::drop_unpublished_source_urls;
pub use urls::{EntryUrl, Verdict, entry_of_url, judge};

pub use crate::plan::Publish;

/// A published entity with resolved references.
#[derive(Debug, Clone)]
pub struct Entity {
    /// Its id (index in [`Site::entities`]).
    pub id: EntityId,
    /// Kind.
    pub kind: Kind,
    /// Slug.
    pub slug: Slug,
    /// Source file relative to the site root.
    pub file: PathBuf,
    /// Where the body starts in the file.
    pub body_offset: usize,
    /// Fingerprint of the file as loaded (see [`crate::load::reread_body`]).
    pub fingerprint: Fingerprint,
    /// Common fields.
    pub common: Common,
    /// Per-kind data; references to withheld entities are gone.
    pub data: Data<EntityId>,
    /// Page description.
    pub description: Option<String>,
    /// Wikilinks of the body (for render-time diagnostics and resolution).
    pub wikilinks: Vec<WikiLink>,
}

impl Entity {
    /// Sort key for chronological listings: date, then slug.
    pub fn date(&self) -> Option<&PartialDate> {
        self.data.date()
    }
}

/// Derived links of one entity; each list holds published entities only.
#[derive(Debug, Clone, Default)]
pub struct Backlinks {
    /// Incident: statements about it, oldest first.
    pub statements: Vec<EntityId>,
    /// Group: incidents attributed to it, newest first.
    pub incidents: Vec<EntityId>,
    /// Actor or group: statements it made, newest first.
    pub statements_by: Vec<EntityId>,
    /// Actor or group: statements about it, newest first.
    pub statements_about: Vec<EntityId>,
    /// Group: groups whose parent it is.
    pub children: Vec<EntityId>,
    /// Actor: actors affiliated with it.
    pub affiliated: Vec<EntityId>,
    /// Any: entities whose body links to it.
    pub mentioned_in: Vec<EntityId>,
    /// Incident: speakers of the statements claiming it, in the statements' order.
    pub claimed_by: Vec<EntityId>,
    /// Incident: other incidents of its perpetrators, newest first, at most
    /// [`RELATED_LIMIT`].
    pub related: Vec<EntityId>,
}

/// The home page introduction.
#[derive(Debug, Clone)]
pub struct Intro {
    /// Title.
    pub title: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// File.
    pub file: PathBuf,
    /// Body offset.
    pub body_offset: usize,
    /// Fingerprint of the file as loaded (see [`crate::load::reread_body`]).
    pub fingerprint: Fingerprint,
}

/// A tag and what carries it.
#[derive(Debug, Clone)]
pub struct TagEntry {
    /// The tag as first written.
    pub name: String,
    /// Entities with it, in id order.
    pub entities: Vec<EntityId>,
}

/// The linked, published site: the input of the render stage.
#[derive(Debug)]
pub struct Site {
    /// Published entities, sorted by kind then slug.
    pub entities: Vec<Entity>,
    /// Backlinks, by entity id.
    pub backlinks: Vec<Backlinks>,
    /// Slug -> id of published entities.
    pub by_slug: HashMap<String, EntityId>,
    /// Per kind, in listing order (incidents and statements newest first, others by title).
    pub listings: BTreeMap<Kind, Vec<EntityId>>,
    /// Tag slug -> tag.
    pub tags: BTreeMap<String, TagEntry>,
    /// Country code -> entities.
    pub countries: BTreeMap<String, Vec<EntityId>>,
    /// Home introduction.
    pub intro: Option<Intro>,
    /// How many documents were withheld.
    pub withheld: usize,
    /// Slugs of the withheld documents. Never rendered: only to tell a written link to a
    /// withheld page (a note) from one to a page that does not exist (an error).
    pub withheld_slugs: HashSet<String>,
}

impl Site {
    /// The entity with this id.
    pub fn get(&self, id: EntityId) -> &Entity {
        &self.entities[id.index()]
    }

    /// Derived links of this entity.
    pub fn links(&self, id: EntityId) -> &Backlinks {
        &self.backlinks[id.index()]
    }
}

struct Target {
    kind: Kind,
    published: bool,
    /// The file exists but failed to load (its own errors are reported).
    failed: bool,
}

/// Resolve references, withhold what may not be published and derive backlinks (of a site
/// at `base_url`).
pub fn resolve_links(
    loaded: Loaded,
    publish: &Publish,
    base_url: &BaseUrl,
    diags: &Diagnostics,
) -> Site {
    let Loaded {
        documents,
        intro,
        failed,
        ..
    } = loaded;

    // 1. One index of every slug, published or not; duplicates are errors.
    let mut index: HashMap<String, Target> = HashMap::with_capacity(documents.len());
    let mut first_file: HashMap<String, PathBuf> = HashMap::new();
    let mut docs: Vec<Document> = Vec::with_capacity(documents.len());
    for doc in documents {
        if let Some(first) = first_file.get(&doc.slug) {
            diags.push(
                Diagnostic::error(
                    "E-duplicate-slug",
                    format!(
                        "slug `{}` is already used by `{}`",
                        doc.slug,
                        crate::diag::display_path(first)
                    ),
                )
                .in_file(&doc.file)
                .at_opt(doc.slug_span.or(Some(crate::diag::Span::new(0, 3))))
                .help("slugs are shared by all kinds; rename this file or set a different `slug:`"),
            );
            continue;
        }
        first_file.insert(doc.slug.clone(), doc.file.clone());
        index.insert(
            doc.slug.clone(),
            Target {
                kind: doc.kind,
                published: publish.allows(&doc.common),
                failed: false,
            },
        );
        docs.push(doc);
    }
    for (slug, kind) in failed {
        index.entry(slug).or_insert(Target {
            kind,
            published: false,
            failed: true,
        });
    }
    let aliases = alias_index(&docs);

    // 2. Check every reference of every document.
    for doc in &docs {
        let published = publish.allows(&doc.common);
        for (field, r, kinds) in doc.data.references() {
            check_ref(
                doc, field, &r.slug, r.span, kinds, published, &index, &aliases, diags,
            );
        }
        for w in &doc.wikilinks {
            check_ref(
                doc,
                "link",
                &w.target,
                Some(w.span),
                &Kind::ALL,
                published,
                &index,
                &aliases,
                diags,
            );
        }
        content_warnings(doc, &index, &docs, diags);
    }
    if let Some(intro) = &intro {
        for w in &intro.wikilinks {
            check_ref(
                intro,
                "link",
                &w.target,
                Some(w.span),
                &Kind::ALL,
                publish.allows(&intro.common),
                &index,
                &aliases,
                diags,
            );
        }
    }
    orphan_actor_warnings(&docs, diags);
    (docs.iter_mut())
        .for_each(|d| drop_unpublished_source_urls(d, publish, base_url.as_str(), &index, diags));

    // 3. Withhold: only published documents get ids.
    let total = docs.len();
    let published: Vec<Document> = docs
        .into_iter()
        .filter(|d| publish.allows(&d.common))
        .collect();
    let withheld = total - published.len();
    let withheld_slugs = urls::withheld_slugs(&index);
    let by_slug: HashMap<String, EntityId> = published
        .iter()
        .enumerate()
        .map(|(i, d)| (d.slug.clone(), EntityId(i as u32)))
        .collect();
    let entities: Vec<Entity> = published
        .into_iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let slug = Slug::parse(&d.slug).ok()?;
            let resolve = |r: RefSlug| by_slug.get(&r.slug).copied();
            Some(Entity {
                id: EntityId(i as u32),
                kind: d.kind,
                slug,
                file: d.file,
                body_offset: d.body_offset,
                fingerprint: d.fingerprint,
                common: d.common,
                data: d.data.map_refs(resolve),
                description: d.description,
                wikilinks: d.wikilinks,
            })
        })
        .collect();

    // 4. Backlinks, in one pass over references.
    let mut backlinks = vec![Backlinks::default(); entities.len()];
    for e in &entities {
        let id = e.id;
        match &e.data {
            Data::Incident(i) => {
                for &p in &i.perpetrators {
                    backlinks[p.index()].incidents.push(id);
                }
            }
            Data::Group(g) => {
                if let Some(p) = g.parent.filter(|&p| p != id) {
                    backlinks[p.index()].children.push(id);
                }
            }
            Data::Actor(a) => {
                if let Some(p) = a.affiliation.filter(|&p| p != id) {
                    backlinks[p.index()].affiliated.push(id);
                }
            }
            Data::Statement(s) => {
                if let Some(inc) = s.incident {
                    backlinks[inc.index()].statements.push(id);
                }
                if let Some(sp) = s.speaker {
                    backlinks[sp.index()].statements_by.push(id);
                }
                let mut about = s.about.clone();
                about.sort();
                about.dedup();
                for a in about {
                    backlinks[a.index()].statements_about.push(id);
                }
            }
            Data::Page => {}
        }
        let mut mentioned: Vec<EntityId> = e
            .wikilinks
            .iter()
            .filter_map(|w| by_slug.get(&w.target).copied())
            .filter(|&t| t != id)
            .collect();
        mentioned.sort();
        mentioned.dedup();
        for t in mentioned {
            backlinks[t.index()].mentioned_in.push(id);
        }
    }
    let newest_first = |ids: &mut Vec<EntityId>| {
        ids.sort_by(|a, b| chrono_key(&entities, *b).cmp(&chrono_key(&entities, *a)));
    };
    for b in &mut backlinks {
        b.statements.sort_by_key(|&id| chrono_key(&entities, id));
        newest_first(&mut b.incidents);
        newest_first(&mut b.statements_by);
        newest_first(&mut b.statements_about);
        b.children.sort_by_key(|&id| title_key(&entities, id));
        b.affiliated.sort_by_key(|&id| title_key(&entities, id));
        b.mentioned_in.sort_by_key(|&id| title_key(&entities, id));
    }
    relations::derive_relations(&entities, &mut backlinks);

    // 5. Listings, tags, countries.
    let mut listings: BTreeMap<Kind, Vec<EntityId>> =
        Kind::ALL.iter().map(|&k| (k, Vec::new())).collect();
    let mut tags: BTreeMap<String, TagEntry> = BTreeMap::new();
    let mut countries: BTreeMap<String, Vec<EntityId>> = BTreeMap::new();
    for e in &entities {
        listings.entry(e.kind).or_default().push(e.id);
        for tag in &e.common.tags {
            let Some(key) = slugify(tag) else { continue };
            let entry = tags.entry(key).or_insert_with(|| TagEntry {
                name: tag.trim().to_string(),
                entities: Vec::new(),
            });
            if entry.entities.last() != Some(&e.id) {
                entry.entities.push(e.id);
            }
        }
        let mut codes: Vec<&String> = match &e.data {
            Data::Incident(i) => i
                .location
                .iter()
                .filter_map(|l| l.country.as_ref())
                .collect(),
            Data::Group(g) => g.regions.iter().collect(),
            Data::Actor(a) => a.country.iter().collect(),
            _ => Vec::new(),
        };
        codes.sort();
        codes.dedup();
        for c in codes {
            countries.entry(c.clone()).or_default().push(e.id);
        }
    }
    for (kind, ids) in &mut listings {
        match kind {
            Kind::Incident | Kind::Statement => newest_first(ids),
            _ => ids.sort_by_key(|&id| title_key(&entities, id)),
        }
    }

    // The home introduction is withheld like any entity: the home page then has none.
    let intro = intro.filter(|d| publish.allows(&d.common)).map(|d| Intro {
        title: Some(d.common.title),
        description: d.description.or(d.common.summary),
        file: d.file,
        body_offset: d.body_offset,
        fingerprint: d.fingerprint,
    });
    Site {
        entities,
        backlinks,
        by_slug,
        listings,
        tags,
        countries,
        intro,
        withheld,
        withheld_slugs,
    }
}

/// Chronological sort key: date (undated last in ascending order), then slug.
fn chrono_key(entities: &[Entity], id: EntityId) -> (Option<PartialDate>, &str) {
    let e = &entities[id.index()];
    (e.date().copied(), e.slug.as_str())
}

fn title_key(entities: &[Entity], id: EntityId) -> (String, &str) {
    let e = &entities[id.index()];
    (e.common.title.to_lowercase(), e.slug.as_str())
}

/// Short names and aliases of groups, as slugs, pointing at the group: `isis-k` ->
/// `islamic-state-khorasan`, for did-you-mean hints.
fn alias_index(docs: &[Document]) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for d in docs {
        if let Data::Group(g) = &d.data {
            for name in g
                .short_name
                .iter()
                .chain(&g.aliases)
                .chain(std::iter::once(&d.common.title))
            {
                if let Some(s) = slugify(name) {
                    map.entry(s).or_insert_with(|| d.slug.clone());
                }
            }
        }
    }
    map
}

#[allow(clippy::too_many_arguments)]
fn check_ref(
    doc: &Document,
    field: &str,
    slug: &str,
    span: Option<crate::diag::Span>,
    kinds: &[Kind],
    from_published: bool,
    index: &HashMap<String, Target>,
    aliases: &HashMap<String, String>,
    diags: &Diagnostics,
) {
    let what = kinds_phrase(kinds);
    match index.get(slug) {
        // A file that failed to load: its own error says what is wrong.
        Some(t) if t.failed => {}
        None => {
            let suggestion = aliases
                .get(slug)
                .filter(|s| index.get(s.as_str()).is_some_and(|t| kinds.contains(&t.kind)))
                .cloned()
                .or_else(|| {
                    let candidates = index
                        .iter()
                        .filter(|(_, t)| kinds.contains(&t.kind))
                        .map(|(s, _)| s.as_str());
                    did_you_mean(slug, candidates).map(str::to_string)
                });
            let help = match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("create `content/{}/{slug}.md` or fix the slug", kinds[0].dir()),
            };
            diags.push(
                Diagnostic::error("E-unknown-ref", format!("unknown {what} `{slug}` in `{field}`"))
                    .in_file(&doc.file)
                    .at_opt(span)
                    .label("no such slug")
                    .help(help),
            );
        }
        Some(t) if !kinds.contains(&t.kind) => diags.push(
            Diagnostic::error(
                "E-wrong-kind",
                format!("`{slug}` is a {}, but `{field}` takes {what}s", t.kind),
            )
            .in_file(&doc.file)
            .at_opt(span)
            .help(format!("refer to a {what} here")),
        ),
        Some(t) if from_published && !t.published => diags.push(
            Diagnostic::note(
                "N-withheld-ref",
                format!("`{field}` refers to `{slug}`, which is withheld from this build; the reference is left out"),
            )
            .in_file(&doc.file)
            .at_opt(span)
            .help("publish the target, or accept that readers will not see this reference"),
        ),
        Some(_) if slug == doc.slug && field != "link" => diags.push(
            Diagnostic::error("E-self-ref", format!("`{field}` refers to the entity itself"))
                .in_file(&doc.file)
                .at_opt(span)
                .help("remove the reference"),
        ),
        Some(_) => {}
    }
}

fn kinds_phrase(kinds: &[Kind]) -> String {
    match kinds {
        [k] => k.as_str().to_string(),
        [a, b] => format!("{a} or {b}"),
        _ => "entity".to_string(),
    }
}

fn content_warnings(
    doc: &Document,
    index: &HashMap<String, Target>,
    docs: &[Document],
    diags: &Diagnostics,
) {
    let at_title = crate::diag::Span::new(0, 3);
    let has_sources = !doc.common.sources.is_empty()
        || matches!(&doc.data, Data::Statement(s) if s.source.is_some());
    if matches!(doc.kind, Kind::Incident | Kind::Statement) && !has_sources {
        diags.push(
            Diagnostic::warning("W-no-sources", format!("this {} cites no source", doc.kind))
                .in_file(&doc.file)
                .at(at_title)
                .help("add `sources:` with at least a title and a URL, so readers can check it"),
        );
    }
    if doc.kind != Kind::Page
        && doc
            .common
            .summary
            .as_deref()
            .is_none_or(|s| s.trim().is_empty())
    {
        diags.push(
            Diagnostic::warning("W-no-summary", format!("this {} has no summary", doc.kind))
                .in_file(&doc.file)
                .at(at_title)
                .help(
                    "add `summary:` with one or two sentences; listings, feeds and search use it",
                ),
        );
    }
    if let Data::Statement(s) = &doc.data
        && !matches!(s.stance, Stance::Warns | Stance::Threatens | Stance::Other)
        && let Some(inc) = &s.incident
        && index
            .get(&inc.slug)
            .is_some_and(|t| t.kind == Kind::Incident)
        && let Ok(pos) = docs.binary_search_by(|d| {
            (d.kind, d.slug.as_str()).cmp(&(Kind::Incident, inc.slug.as_str()))
        })
        && let Data::Incident(i) = &docs[pos].data
        && s.date.is_wholly_before(&i.date)
    {
        diags.push(
            Diagnostic::warning(
                "W-statement-before-incident",
                format!("the statement is dated {} but its incident `{}` happened on {}", s.date, inc.slug, i.date),
            )
            .in_file(&doc.file)
            .at_opt(inc.span)
            .help("check both dates; a statement that predicts an incident should use `stance: warns`"),
        );
    }
}

fn orphan_actor_warnings(docs: &[Document], diags: &Diagnostics) {
    let mut referenced: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for d in docs {
        for (_, r, _) in d.data.references() {
            referenced.insert(r.slug.as_str());
        }
        for w in &d.wikilinks {
            referenced.insert(w.target.as_str());
        }
    }
    for d in docs.iter().filter(|d| d.kind == Kind::Actor) {
        if !referenced.contains(d.slug.as_str()) {
            diags.push(
                Diagnostic::warning("W-orphan-actor", format!("no statement or entity refers to actor `{}`", d.slug))
                    .in_file(&d.file)
                    .at(crate::diag::Span::new(0, 3))
                    .help("link it from a statement (`speaker`, `via`, `about`), an `affiliation`, or a `[[link]]`; or remove it"),
            );
        }
    }
}
