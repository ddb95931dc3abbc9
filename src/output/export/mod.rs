//! Data exports for analysts' tools, written with every build (issue 14):
//!
//! - `data/briefing.json`: the whole site, versioned (`"version": 1`), and one file per
//!   entity, `data/<kind>/<slug>.json`, with its references resolved and its backlinks
//!   ([`json`]); the shape is documented in `docs/exports.md` and
//!   `docs/exports.schema.json`;
//! - `data/incidents.csv` (columns modelled on the GTD codebook) and
//!   `data/statements.csv`, formula-safe ([`csv`]);
//! - `data/incidents.geojson`, an RFC 7946 FeatureCollection ([`geojson`]);
//! - `data/stix-bundle.json`, a STIX 2.1 bundle with TLP 2.0 markings ([`stix`]).
//!
//! Invariants: every export is built from the linked [`Site`] only, so withheld entities,
//! and every reference, backlink and count that would point at one, are absent by
//! construction. Nothing depends on the clock or on hash order: the same content gives
//! byte-identical files. Exports do not depend on the render stage.

pub mod csv;
pub mod geojson;
pub mod json;
pub mod pieces;
pub mod stix;

pub use pieces::{PieceSource, Pieces};

use std::io::{self, Write};

use super::streamed::OutputContext;
use crate::config::BaseUrl;
use crate::link::{Entity, Site};
use crate::model::{EntityId, Kind, Tlp};
use crate::routes::{self, Routes};

/// What every export needs besides the site.
#[derive(Clone, Copy)]
pub struct Exports<'a> {
    /// The linked, published site.
    pub site: &'a Site,
    /// Site title.
    pub title: &'a str,
    /// Where the site is published, with a trailing slash (may be a bare path).
    pub base_url: &'a BaseUrl,
    /// The highest TLP level published in this build.
    pub tlp: Tlp,
    /// Every page's path.
    pub routes: &'a Routes<'a>,
}

/// Writes one export into its file.
pub type Writer<'a> = Box<dyn Fn(&mut dyn Write) -> io::Result<()> + Send + Sync + 'a>;

/// The kinds that carry data (plain pages have none).
pub const DATA_KINDS: [Kind; 4] = [Kind::Incident, Kind::Group, Kind::Actor, Kind::Statement];

impl<'a> Exports<'a> {
    /// What the exports of the build of `ctx` need.
    pub fn new(ctx: &OutputContext<'a>) -> Exports<'a> {
        Exports {
            site: ctx.site,
            title: &ctx.plan.config.title,
            base_url: &ctx.plan.base_url,
            tlp: ctx.plan.publish.tlp,
            routes: ctx.routes,
        }
    }

    /// The public URL of a site-relative path.
    pub fn url(&self, path: &str) -> String {
        self.base_url.join(path)
    }

    /// The public URL of an entity's page.
    pub fn page_url(&self, e: &Entity) -> String {
        self.url(&self.routes.entity(e.id))
    }

    /// The entity with this id.
    pub fn get(&self, id: EntityId) -> &'a Entity {
        self.site.get(id)
    }

    /// The slug of the entity with this id.
    pub fn slug(&self, id: EntityId) -> &'a str {
        self.site.get(id).slug.as_str()
    }

    /// Published entities of `kind`, in listing order.
    pub fn listed(&self, kind: Kind) -> impl Iterator<Item = &'a Entity> + 'a {
        let site = self.site;
        site.listings
            .get(&kind)
            .into_iter()
            .flatten()
            .map(move |&id| site.get(id))
    }

    /// Every export file with its writer, for the write stage to stream in parallel; the
    /// site-wide ones take their per-entity pieces from `source` (see [`pieces`]).
    pub fn outputs(self, source: PieceSource<'a>) -> Vec<(String, Writer<'a>)> {
        let mut out: Vec<(String, Writer<'a>)> = vec![
            (
                routes::DATA_JSON.into(),
                Box::new(move |w: &mut dyn Write| json::write_site(&self, source, w)),
            ),
            (
                routes::INCIDENTS_CSV.into(),
                Box::new(move |w: &mut dyn Write| csv::write_incidents(&self, source, w)),
            ),
            (
                routes::STATEMENTS_CSV.into(),
                Box::new(move |w: &mut dyn Write| csv::write_statements(&self, source, w)),
            ),
            (
                routes::INCIDENTS_GEOJSON.into(),
                Box::new(move |w: &mut dyn Write| geojson::write_incidents(&self, source, w)),
            ),
            (
                routes::STIX_BUNDLE.into(),
                Box::new(move |w: &mut dyn Write| stix::write_bundle(&self, source, w)),
            ),
        ];
        for e in &self.site.entities {
            if DATA_KINDS.contains(&e.kind) {
                let id = e.id;
                out.push((
                    json::entity_file(e),
                    Box::new(move |w: &mut dyn Write| json::write_entity(&self, id, w)),
                ));
            }
        }
        out
    }
}
