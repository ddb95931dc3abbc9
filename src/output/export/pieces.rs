//! The site-wide exports made of per-entity pieces (issues 11 and 16).
//!
//! `briefing.json`, the CSV files, the GeoJSON and the STIX bundle each hold one piece per
//! entity (its object, its row, its feature, its STIX objects) in a fixed order, between a
//! head and a tail that only the settings and the counts decide. A piece is made from the
//! entity, its links and the entities it names, so:
//!
//! - a build makes the pieces of a file on every core ([`PieceSource::Fresh`], a chunk at a time,
//!   so memory stays bounded) and writes them in order: the bytes are those of serializing
//!   the whole file at once, whatever the number of threads;
//! - `serve` keeps every entity's pieces ([`Pieces`]) from one rebuild to the next and makes
//!   again only those of the entities whose page is rendered again (its fields, links or
//!   something it names changed), then writes the files from the pieces
//!   ([`PieceSource::Kept`]). The new pieces replace the old ones: memory does not grow.
//!
//! JSON pieces are pretty-printed at the depth where they sit ([`Indented`]), so that
//! the file is what `serde_json::to_writer_pretty` writes for the whole document.

use std::io::{self, Write};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::ser::Formatter;

use super::{Exports, csv, geojson, json, stix};
use crate::link::Entity;
use crate::model::EntityId;

/// Entities whose pieces are made together before they are written (a build).
const CHUNK: usize = 512;

/// `serde_json`'s pretty formatter (two spaces) starting at a given depth.
pub(super) struct Indented {
    depth: usize,
    has_value: bool,
}

impl Indented {
    fn indent(&self, w: &mut (impl ?Sized + Write)) -> io::Result<()> {
        for _ in 0..self.depth {
            w.write_all(b"  ")?;
        }
        Ok(())
    }
}

impl Formatter for Indented {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// The depth of the elements of a document's arrays (`{"key": [ here ]}`).
pub(super) const ELEMENT_DEPTH: usize = 2;

/// `value` pretty-printed as an element of an array of a document's field, appended to
/// `out` (which is returned).
pub(super) fn element(mut out: Vec<u8>, value: &impl Serialize) -> Vec<u8> {
    let f = Indented {
        depth: ELEMENT_DEPTH,
        has_value: false,
    };
    let mut ser = serde_json::Serializer::with_formatter(&mut out, f);
    // Writing into a `Vec` cannot fail, nor can serializing these types.
    value
        .serialize(&mut ser)
        .expect("an export serializes into memory");
    out
}

/// What goes between two elements of a document's array.
pub(super) const SEPARATOR: &[u8] = b",\n    ";

/// A JSON document written as `head`'s fields followed by arrays of pieces.
pub(super) struct Document<'w> {
    w: &'w mut dyn Write,
    /// Whether the array open has no element yet.
    empty: bool,
}

impl<'w> Document<'w> {
    /// Start the document with the fields of `head` (an object with at least one field).
    pub(super) fn open(w: &'w mut dyn Write, head: &impl Serialize) -> io::Result<Self> {
        let mut bytes = serde_json::to_vec_pretty(head).map_err(io::Error::other)?;
        // `{ ... \n}`: without the closing brace, to add fields.
        let end = bytes.len().saturating_sub(2);
        bytes.truncate(end);
        w.write_all(&bytes)?;
        Ok(Document { w, empty: true })
    }

    /// Open the array field `key` (a plain name).
    pub(super) fn array(&mut self, key: &str) -> io::Result<()> {
        self.empty = true;
        write!(self.w, ",\n  \"{key}\": [")
    }

    /// Add a piece (one element or several, joined by [`SEPARATOR`]); empty: none.
    pub(super) fn piece(&mut self, piece: &[u8]) -> io::Result<()> {
        if piece.is_empty() {
            return Ok(());
        }
        self.w
            .write_all(if self.empty { b"\n    " } else { SEPARATOR })?;
        self.empty = false;
        self.w.write_all(piece)
    }

    /// Close the array open.
    pub(super) fn end_array(&mut self) -> io::Result<()> {
        self.w.write_all(if self.empty { b"]" } else { b"\n  ]" })
    }

    /// Close the document.
    pub(super) fn close(self) -> io::Result<()> {
        self.w.write_all(b"\n}")
    }
}

/// Which piece of an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Its object in `briefing.json`.
    Json,
    /// Its row in `incidents.csv` or `statements.csv`.
    Row,
    /// Its feature in `incidents.geojson`.
    Feature,
    /// Its objects in the STIX bundle.
    Stix,
}

/// One entity's pieces (empty where it has none).
#[derive(Debug, Default)]
struct EntityPieces {
    json: Vec<u8>,
    row: Vec<u8>,
    feature: Vec<u8>,
    stix: Vec<u8>,
    /// The TLP levels of its STIX objects, as a bit set.
    levels: u8,
}

impl EntityPieces {
    fn get(&self, part: Part) -> &[u8] {
        match part {
            Part::Json => &self.json,
            Part::Row => &self.row,
            Part::Feature => &self.feature,
            Part::Stix => &self.stix,
        }
    }
}

/// Every entity's pieces, by id, as `serve` keeps them between rebuilds.
#[derive(Debug, Default)]
pub struct Pieces {
    /// What every STIX piece depends on besides its entity and what it names.
    stix: Option<stix::Shared>,
    /// Shared with the next rebuild's where they are the same.
    entities: Vec<Arc<EntityPieces>>,
}

impl Pieces {
    /// The pieces of the exports `x`: those of `old` (the last good build's, of the same
    /// published entities in the same order) for the entities `keep` names, made again
    /// for the others, on every core.
    pub fn update(
        x: &Exports<'_>,
        old: Option<&Pieces>,
        keep: &(dyn Fn(EntityId) -> bool + Sync),
    ) -> Pieces {
        let n = x.site.entities.len();
        let shared = stix::Shared::of(x);
        let old = old.filter(|o| o.entities.len() == n);
        let same_stix = old
            .and_then(|o| o.stix.as_ref())
            .is_some_and(|o| o.same_as(&shared));
        let entities = (x.site.entities.par_iter())
            .map(|e| {
                let was = old
                    .map(|o| &o.entities[e.id.index()])
                    .filter(|was| was_made(was, e) && keep(e.id));
                let Some(was) = was else {
                    return Arc::new(make(x, &shared, e));
                };
                if same_stix {
                    return was.clone();
                }
                let (stix, levels) = stix::objects(x, &shared, e);
                Arc::new(EntityPieces {
                    json: was.json.clone(),
                    row: was.row.clone(),
                    feature: was.feature.clone(),
                    stix,
                    levels,
                })
            })
            .collect();
        Pieces {
            stix: Some(shared),
            entities,
        }
    }
}

/// Whether `p` holds pieces made for an entity like `e` (a kept set is never empty but
/// for a page, which has none).
fn was_made(p: &EntityPieces, e: &Entity) -> bool {
    !p.json.is_empty() || matches!(e.data, crate::model::Data::Page)
}

fn make(x: &Exports<'_>, shared: &stix::Shared, e: &Entity) -> EntityPieces {
    let (stix, levels) = stix::objects(x, shared, e);
    EntityPieces {
        json: json::piece(x, e),
        row: csv::row(x, e),
        feature: geojson::feature(x, e),
        stix,
        levels,
    }
}

/// Where the writers of the site-wide exports take their pieces from.
#[derive(Clone, Copy)]
pub enum PieceSource<'p> {
    /// Made as they are written (a build).
    Fresh,
    /// Made before ([`Pieces::update`], `serve`).
    Kept(&'p Pieces),
}

impl PieceSource<'_> {
    /// Call `f` with the `part` of each entity of `ids`, in order.
    pub(super) fn each(
        self,
        x: &Exports<'_>,
        part: Part,
        ids: &[EntityId],
        f: &mut dyn FnMut(&[u8]) -> io::Result<()>,
    ) -> io::Result<()> {
        match self {
            PieceSource::Kept(p) => {
                for id in ids {
                    f(p.entities[id.index()].get(part))?;
                }
            }
            PieceSource::Fresh => {
                let shared = (part == Part::Stix).then(|| stix::Shared::of(x));
                for chunk in ids.chunks(CHUNK) {
                    let made: Vec<Vec<u8>> = chunk
                        .par_iter()
                        .map(|&id| {
                            let e = x.get(id);
                            match (part, &shared) {
                                (Part::Json, _) => json::piece(x, e),
                                (Part::Row, _) => csv::row(x, e),
                                (Part::Feature, _) => geojson::feature(x, e),
                                (Part::Stix, Some(s)) => stix::objects(x, s, e).0,
                                (Part::Stix, None) => Vec::new(),
                            }
                        })
                        .collect();
                    for piece in &made {
                        f(piece)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// The TLP levels the STIX pieces of `ids` use, as a bit set, with the pieces when
    /// they are made here (every one at once: the levels come first in the bundle).
    pub(super) fn stix(self, x: &Exports<'_>, ids: &[EntityId]) -> (Option<Vec<Vec<u8>>>, u8) {
        match self {
            PieceSource::Kept(p) => {
                let levels = ids
                    .iter()
                    .fold(0, |l, id| l | p.entities[id.index()].levels);
                (None, levels)
            }
            PieceSource::Fresh => {
                let shared = stix::Shared::of(x);
                let made: Vec<(Vec<u8>, u8)> = ids
                    .par_iter()
                    .map(|&id| stix::objects(x, &shared, x.get(id)))
                    .collect();
                let levels = made.iter().fold(0, |l, (_, b)| l | b);
                (Some(made.into_iter().map(|(p, _)| p).collect()), levels)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Inner {
        name: &'static str,
        list: Vec<u32>,
        empty: Vec<u32>,
        nested: Vec<Vec<&'static str>>,
        map: std::collections::BTreeMap<&'static str, Option<f64>>,
    }

    #[derive(Serialize)]
    struct Head {
        version: u32,
        counts: [u32; 2],
    }

    #[derive(Serialize)]
    struct Whole {
        version: u32,
        counts: [u32; 2],
        items: Vec<Inner>,
        none: Vec<Inner>,
        more: Vec<Inner>,
    }

    fn inner(i: u32) -> Inner {
        Inner {
            name: "a \"quoted\"\nname",
            list: (0..i).collect(),
            empty: Vec::new(),
            nested: vec![vec![], vec!["x", "y"]],
            map: [("k", Some(1.5)), ("n", None)].into_iter().collect(),
        }
    }

    #[test]
    fn a_document_of_pieces_is_what_serde_json_prints_for_the_whole() {
        let whole = Whole {
            version: 1,
            counts: [3, 0],
            items: (0..3).map(inner).collect(),
            none: Vec::new(),
            more: vec![inner(1)],
        };
        let expected = serde_json::to_vec_pretty(&whole).expect("JSON");
        let mut out = Vec::new();
        let mut doc = Document::open(
            &mut out,
            &Head {
                version: 1,
                counts: [3, 0],
            },
        )
        .expect("write");
        for (key, items) in [("items", &whole.items), ("none", &whole.none)] {
            doc.array(key).expect("write");
            for item in items {
                doc.piece(&element(Vec::new(), item)).expect("write");
                // An entity without a piece leaves no trace.
                doc.piece(&[]).expect("write");
            }
            doc.end_array().expect("write");
        }
        // Two elements in one piece.
        doc.array("more").expect("write");
        let mut two = element(Vec::new(), &whole.more[0]);
        two.extend_from_slice(SEPARATOR);
        let two = element(two, &inner(2));
        doc.piece(&two).expect("write");
        doc.end_array().expect("write");
        doc.close().expect("write");
        let mut expected_two = whole;
        expected_two.more.push(inner(2));
        let expected_two = serde_json::to_vec_pretty(&expected_two).expect("JSON");
        assert_ne!(expected, expected_two);
        assert_eq!(
            String::from_utf8_lossy(&out),
            String::from_utf8_lossy(&expected_two)
        );
    }
}
