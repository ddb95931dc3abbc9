//! LINK: withhold what may not be published, resolve every reference through one index,
//! and derive every backlink.
//!
//! Takes [`Loaded`] and what may be published ([`Publish`]); gives the [`Site`] the render
//! stage reads: entities with typed ids, backlinks, listings, tags and countries. One file
//! per job, in the order [`resolve_links`] runs them: `refs` (the slug index and the check
//! of every reference), `warnings` (content warnings needing the whole site), `urls`
//! (source URLs to unpublished pages), `withhold` (ids for published documents only),
//! `backlinks`, `relations`, `graph` (typed relations from both sides, and the graphs of
//! them) and `listings` (derived relations).
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

use rayon::prelude::*;

use crate::diag::Diagnostics;
use crate::load::{Fingerprint, Loaded};
use crate::markdown::WikiLink;
use crate::model::{Common, CountryCode, Data, EntityId, Kind, PartialDate, Slug, Source, Stance};
use crate::plan::BaseUrl;

mod backlinks;
mod graph;
mod listings;
mod refs;
mod relations;
mod story;
mod urls;
mod warnings;
mod withhold;

pub use graph::{
    EdgeKind, GRAPH_SLUG, Graph, GraphEdge, GraphNode, RelationLink, declared, neighbourhood,
    overview,
};
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

    /// The key of this entity in time order, used wherever time order matters (issue 12):
    /// by [`crate::model::DateKey`] (a partial date after the full dates of its period), on the same
    /// day incidents before statements, then by time where known, then by slug. Undated
    /// entities have none (and sort first in ascending order).
    pub fn chrono_key(&self) -> Option<ChronoKey<'_>> {
        let key = self.date()?.sort_key();
        let kind = match self.kind {
            Kind::Incident => 0,
            Kind::Statement => 2,
            _ => 1,
        };
        Some(ChronoKey(key.period, kind, key.within, self.slug.as_str()))
    }
}

/// An entity's place in time order (see [`Entity::chrono_key`]); compare whole keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ChronoKey<'a>((jiff::civil::Date, u8), u8, (u8, jiff::Timestamp), &'a str);

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
    /// Actor or group: statements assessed false or fabricated that name it as speaker,
    /// newest first; never in `statements_by` (issue 12).
    pub falsely_attributed: Vec<EntityId>,
    /// Incident: speakers of the statements claiming it (none falsely attributed), in
    /// the statements' order.
    pub claimed_by: Vec<EntityId>,
    /// Incident: one line per stance among its statements, for the facts box (issue 12).
    pub stance_lines: Vec<StanceLine>,
    /// Incident or group: its own sources, then those of the statements its page shows,
    /// each URL once (issue 12).
    pub sources: Vec<SourceRef>,
    /// Incident: other incidents of its perpetrators, newest first, at most
    /// [`RELATED_LIMIT`].
    pub related: Vec<EntityId>,
    /// Group or actor: typed relations, declared by it or about it, each once (see
    /// [`RelationLink`]).
    pub relations: Vec<RelationLink>,
}

/// Who took one stance on an incident, for its facts box: "Warned by ...", "Blamed on
/// ... by ...".
#[derive(Debug, Clone, PartialEq)]
pub struct StanceLine {
    /// The stance; `None` for statements falsely attributed to their speakers.
    pub stance: Option<Stance>,
    /// The words before the names: `Warned by`, `Blamed on`, `Falsely attributed to`.
    pub label: &'static str,
    /// Whom the statements are about, where the line names them (`Blamed on X by Y`).
    pub targets: Vec<EntityId>,
    /// The speakers, each once, in time order.
    pub speakers: Vec<EntityId>,
}

/// One source of a merged list: the `index`th of `owner`'s `sources`, or the statement's
/// own `source` (`index` is `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceRef {
    /// The entity that cites it.
    pub owner: EntityId,
    /// Which of its sources.
    pub index: Option<usize>,
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
    pub by_slug: HashMap<Slug, EntityId>,
    /// Per kind, in listing order (incidents and statements newest first, others by title).
    pub listings: BTreeMap<Kind, Vec<EntityId>>,
    /// Tag slug -> tag.
    pub tags: BTreeMap<String, TagEntry>,
    /// Country code -> entities.
    pub countries: BTreeMap<CountryCode, Vec<EntityId>>,
    /// Home introduction.
    pub intro: Option<Intro>,
    /// How many documents were withheld.
    pub withheld: usize,
    /// Slugs of the withheld documents. Never rendered: only to tell a written link to a
    /// withheld page (a note) from one to a page that does not exist (an error).
    pub withheld_slugs: HashSet<Slug>,
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

    /// The source a [`SourceRef`] names.
    pub fn source(&self, r: SourceRef) -> Option<&Source> {
        let e = self.get(r.owner);
        match (r.index, &e.data) {
            (Some(i), _) => e.common.sources.get(i),
            (None, Data::Statement(s)) => s.source.as_ref(),
            (None, _) => None,
        }
    }
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
    let (mut docs, index) = refs::index_documents(documents, failed, publish, diags);
    graph::reserved_slug_errors(&docs, diags);

    // 2. Check every reference of every document, published or not.
    // Each document is checked on its own, on all cores (diagnostics are sorted later).
    let checker = refs::Checker::new(&index, &docs, diags);
    docs.par_iter().for_each(|doc| {
        checker.check_document(doc, publish.allows(&doc.common));
        warnings::content_warnings(doc, &index, &docs, diags);
    });
    if let Some(intro) = &intro {
        checker.check_wikilinks(intro, publish.allows(&intro.common));
    }
    warnings::orphan_actor_warnings(&docs, diags);
    (docs.par_iter_mut())
        .for_each(|d| drop_unpublished_source_urls(d, publish, base_url.as_str(), &index, diags));

    // 3. Withhold: only published documents get ids.
    let withhold::Published {
        entities,
        by_slug,
        withheld,
        withheld_slugs,
    } = withhold::withhold(docs, publish, &index);

    // 4. Backlinks, in one pass over references; 5. listings, tags, countries.
    let mut backlinks = backlinks::derive_backlinks(&entities, &by_slug);
    relations::derive_relations(&entities, &mut backlinks);
    story::derive_story(&entities, &mut backlinks);
    graph::derive_relation_links(&entities, &mut backlinks);
    let listings::Listings {
        listings,
        tags,
        countries,
    } = listings::derive_listings(&entities);
    Site {
        entities,
        backlinks,
        by_slug,
        listings,
        tags,
        countries,
        intro: withhold::withhold_intro(intro, publish),
        withheld,
        withheld_slugs,
    }
}
