//! Typed relations (`relations:` of groups and actors) seen from both sides, and the
//! graphs drawn from them: a group's neighbourhood and the overview of every group with
//! a relation.
//!
//! Takes the published entities (references to withheld groups are already gone) and their
//! backlinks; fills [`Backlinks::relations`]. Invariants: `allied` and `rival` read the
//! same from both sides and are listed once per pair however many sides declare them;
//! directed kinds are listed with their inverse label on the other side ("Splinters",
//! "Affiliates"). Every list and graph is in a fixed order (kind, side, then entity id,
//! which is kind then slug), so the same input gives the same pages.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::{Backlinks, Entity, Site};
use crate::model::{Data, EntityId, PartialDate, Relation, RelationKind};

/// One relation as shown on one side of it.
#[derive(Debug, Clone, PartialEq)]
pub struct RelationLink {
    /// The entity on the other side.
    pub other: EntityId,
    /// The kind, as declared.
    pub kind: RelationKind,
    /// Whether this is the target's side of a directed kind (`Splinters` rather than
    /// `Splinter of`).
    pub inverse: bool,
    /// Since when.
    pub since: Option<PartialDate>,
    /// The author's note.
    pub note: Option<String>,
}

impl RelationLink {
    /// The label on this side: `Splinter of` from the splinter, `Splinters` from the group
    /// it broke from.
    pub fn label(&self) -> &'static str {
        if self.inverse {
            self.kind.inverse_label()
        } else {
            self.kind.label()
        }
    }
}

/// The typed relations an entity declares (a group's or an actor's), else none.
pub fn declared(e: &Entity) -> &[Relation<EntityId>] {
    match &e.data {
        Data::Group(g) => &g.relations,
        Data::Actor(a) => &a.relations,
        _ => &[],
    }
}

/// Fill [`Backlinks::relations`] of every entity from the relations declared on either side.
pub(super) fn derive_relation_links(entities: &[Entity], backlinks: &mut [Backlinks]) {
    for e in entities {
        for r in declared(e) {
            let link = |other, inverse| RelationLink {
                other,
                kind: r.kind,
                inverse,
                since: r.since,
                note: r.note.clone(),
            };
            backlinks[e.id.index()].relations.push(link(r.group, false));
            backlinks[r.group.index()]
                .relations
                .push(link(e.id, !r.kind.is_symmetric()));
        }
    }
    for b in backlinks.iter_mut().filter(|b| b.relations.len() > 1) {
        // Stable: of two declarations of one relation, the first keeps its place and lends
        // the second's date and note only where it has none.
        b.relations.sort_by_key(|l| (l.kind, l.inverse, l.other));
        b.relations.dedup_by(|later, kept| {
            let same =
                (later.kind, later.inverse, later.other) == (kept.kind, kept.inverse, kept.other);
            if same {
                kept.since = kept.since.or(later.since);
                kept.note = kept.note.take().or(later.note.take());
            }
            same
        });
    }
}

/// How two entities of a graph are related.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    /// `from` is a branch of `to` (its `parent`).
    PartOf,
    /// A typed relation declared by `from` about `to`.
    Relation(RelationKind),
}

/// An edge of a graph: as declared, from the entity whose frontmatter says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GraphEdge {
    /// The entity declaring it.
    pub from: EntityId,
    /// The group it points to.
    pub to: EntityId,
    /// What it is.
    pub kind: EdgeKind,
}

/// An entity of a graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GraphNode {
    /// The entity.
    pub id: EntityId,
    /// Its distance in hops from the centre (0 in an overview).
    pub hop: usize,
    /// The node one hop nearer the centre through which it was reached (the first found,
    /// in a fixed order), if any: a drawing puts it near that one.
    pub via: Option<EntityId>,
}

/// Entities and the edges between them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Graph {
    /// Every node, by distance, then id.
    pub nodes: Vec<GraphNode>,
    /// Every edge between two of the nodes, from the entity declaring it (the smaller id
    /// for a symmetric one declared by both), once, sorted.
    pub edges: Vec<GraphEdge>,
    /// How many entities within reach were left out to keep the picture readable.
    pub left_out: usize,
}

/// The edges `e` declares: its parent and its typed relations.
fn declared_edges(e: &Entity) -> impl Iterator<Item = GraphEdge> + '_ {
    let parent = match &e.data {
        Data::Group(g) => g.parent,
        _ => None,
    };
    let part_of = parent.map(|p| GraphEdge {
        from: e.id,
        to: p,
        kind: EdgeKind::PartOf,
    });
    let typed = declared(e).iter().map(move |r| GraphEdge {
        from: e.id,
        to: r.group,
        kind: EdgeKind::Relation(r.kind),
    });
    part_of.into_iter().chain(typed)
}

/// The entities related to `id` either way: parent, branches, relations of both sides.
fn neighbours(site: &Site, id: EntityId) -> impl Iterator<Item = EntityId> + '_ {
    let e = site.get(id);
    let links = site.links(id);
    let parent = match &e.data {
        Data::Group(g) => g.parent,
        _ => None,
    };
    let children = match e.data {
        Data::Group(_) => links.children.as_slice(),
        _ => &[],
    };
    parent
        .into_iter()
        .chain(children.iter().copied())
        .chain(links.relations.iter().map(|l| l.other))
}

/// The entities at most `hops` away from `centre`, and every edge between them. Empty when
/// `centre` has no relation at all. Past `limit` nodes, those two hops away or more are
/// left out, the farthest and then the last in id order first (the direct neighbours
/// always stay); [`Graph::left_out`] says how many.
pub fn neighbourhood(site: &Site, centre: EntityId, hops: usize, limit: usize) -> Graph {
    let mut distance: BTreeMap<EntityId, (usize, Option<EntityId>)> =
        BTreeMap::from([(centre, (0, None))]);
    let mut queue = VecDeque::from([centre]);
    while let Some(id) = queue.pop_front() {
        let d = distance[&id].0;
        if d == hops {
            continue;
        }
        let mut next: Vec<EntityId> = neighbours(site, id).collect();
        next.sort();
        for n in next {
            distance.entry(n).or_insert_with(|| {
                queue.push_back(n);
                (d + 1, Some(id))
            });
        }
    }
    if distance.len() < 2 {
        return Graph::default();
    }
    let mut left_out = 0;
    if distance.len() > limit {
        let mut order: Vec<(usize, EntityId)> =
            distance.iter().map(|(&id, &(d, _))| (d, id)).collect();
        order.sort();
        for &(d, id) in order.iter().skip(limit) {
            if d > 1 {
                distance.remove(&id);
                left_out += 1;
            }
        }
    }
    Graph {
        left_out,
        ..graph_of(site, distance)
    }
}

/// Every entity with a relation or a parent or a branch, and every edge between them.
pub fn overview(site: &Site) -> Graph {
    let mut nodes: BTreeMap<EntityId, (usize, Option<EntityId>)> = BTreeMap::new();
    for e in &site.entities {
        for edge in declared_edges(e) {
            nodes.insert(edge.from, (0, None));
            nodes.insert(edge.to, (0, None));
        }
    }
    graph_of(site, nodes)
}

/// The graph of `nodes` (id -> distance, reached via) with every edge between two of them.
fn graph_of(site: &Site, nodes: BTreeMap<EntityId, (usize, Option<EntityId>)>) -> Graph {
    let declared: BTreeSet<GraphEdge> = nodes
        .keys()
        .flat_map(|&id| declared_edges(site.get(id)))
        .filter(|e| nodes.contains_key(&e.from) && nodes.contains_key(&e.to))
        .collect();
    // A symmetric relation declared by both sides is one edge, from the smaller id.
    let edges = declared.iter().copied().filter(|e| {
        let symmetric = matches!(e.kind, EdgeKind::Relation(k) if k.is_symmetric());
        let mirror = GraphEdge {
            from: e.to,
            to: e.from,
            kind: e.kind,
        };
        !(symmetric && e.from > e.to && declared.contains(&mirror))
    });
    let mut nodes: Vec<GraphNode> = nodes
        .into_iter()
        .map(|(id, (hop, via))| GraphNode { id, hop, via })
        .collect();
    nodes.sort_by_key(|n| (n.hop, n.id));
    Graph {
        nodes,
        edges: edges.collect(),
        left_out: 0,
    }
}

/// The slug no group may take: its page would be the overview of all groups' relations
/// (`groups/graph/`).
pub const GRAPH_SLUG: &str = "graph";

/// An error for a group whose slug is [`GRAPH_SLUG`].
pub(super) fn reserved_slug_errors(
    docs: &[crate::load::Document],
    diags: &crate::diag::Diagnostics,
) {
    use crate::diag::{Code, Diagnostic, Span};
    for d in docs
        .iter()
        .filter(|d| d.kind == crate::model::Kind::Group && d.slug.as_str() == GRAPH_SLUG)
    {
        diags.push(
            Diagnostic::error(
                Code::InvalidSlug,
                format!("the slug `{GRAPH_SLUG}` is taken by the page of all groups' relations"),
            )
            .in_file(&d.file)
            .at_opt(d.slug_span.or(Some(Span::new(0, 3))))
            .help("rename this file or set a different `slug:`"),
        );
    }
}
