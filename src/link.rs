//! LINK: withhold what may not be published, resolve every reference through one index,
//! and derive every backlink.
//!
//! Takes [`Loaded`] and what may be published ([`Publish`]); gives the [`Site`] the render
//! stage reads: entities with typed ids, backlinks, listings, tags and countries. One file
//! per job, in the order [`resolve_links`] runs them: `refs` (the slug index and the check
//! of every reference), `warnings` (content warnings needing the whole site), `urls`
//! (source URLs to unpublished pages), `withhold` (ids for published documents only),
//! `backlinks` and `listings` (derived relations).
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

use crate::diag::Diagnostics;
use crate::load::{Fingerprint, Loaded};
use crate::markdown::WikiLink;
use crate::model::{Common, CountryCode, Data, EntityId, Kind, PartialDate, Slug};
use crate::plan::BaseUrl;

mod backlinks;
mod listings;
mod refs;
mod relations;
mod urls;
mod warnings;
mod withhold;

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

    // 2. Check every reference of every document, published or not.
    let checker = refs::Checker::new(&index, &docs, diags);
    for doc in &docs {
        checker.check_document(doc, publish.allows(&doc.common));
        warnings::content_warnings(doc, &index, &docs, diags);
    }
    if let Some(intro) = &intro {
        checker.check_wikilinks(intro, publish.allows(&intro.common));
    }
    warnings::orphan_actor_warnings(&docs, diags);
    (docs.iter_mut())
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
