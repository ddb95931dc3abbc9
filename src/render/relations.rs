//! Typed relations on pages: the list of a group's or an actor's relations, the graph of a
//! group's neighbourhood, and the overview page of every group's relations
//! (`groups/graph/`).
//!
//! Takes the relations and graphs the link stage derived ([`crate::link::neighbourhood`],
//! [`crate::link::overview`]) and gives views; the SVG itself is drawn by
//! [`crate::draw::graph`]. Invariants: every node, edge and list item names a published
//! entity (the link stage never gave a withheld one an id), and every picture comes with
//! the same relations in words.

use serde::Serialize;
use tera::Context;

use super::Renderer;
use super::view::{DateView, RefView};
use crate::diag::Diagnostic;
use crate::draw::graph::{self as draw, EdgeStyle, Layout, Shape};
use crate::link::{EdgeKind, Graph, GraphEdge, declared, neighbourhood, overview};
use crate::model::{Data, EntityId, Kind, RelationKind};
use crate::routes;

/// How many hops from a group its page's graph reaches.
pub const GRAPH_HOPS: usize = 2;
/// How many nodes a group page's graph shows at most: past it, groups two steps away are
/// left out (the caption says how many; the overview has them all).
pub const GRAPH_NODE_LIMIT: usize = 40;

/// The relations of one kind and side, as an entity's page lists them:
/// `Affiliates: ISIS-K (since 2015), IS-Sinai (since 2014)`.
#[derive(Debug, Clone, Serialize)]
pub struct RelationView {
    /// The kind as written (`rival`), or `part-of` for a parent or a branch.
    pub kind: &'static str,
    /// The words on this side (`Rival of`, `Splinters`, `Part of`, `Branches`).
    pub label: &'static str,
    /// The entities on the other side, in a fixed order.
    pub items: Vec<RelationItemView>,
}

/// One entity on the other side of a relation.
#[derive(Debug, Clone, Serialize)]
pub struct RelationItemView {
    /// The entity on the other side.
    pub other: RefView,
    /// Since when.
    pub since: Option<DateView>,
    /// The author's note.
    pub note: Option<String>,
}

/// One edge of a graph in words: `from` `label` `to`.
#[derive(Debug, Clone, Serialize)]
pub struct EdgeView {
    /// The kind as written, or `part-of`.
    pub kind: &'static str,
    /// The words between the two (`Rival of`, `Part of`).
    pub label: &'static str,
    /// The entity declaring it.
    pub from: RefView,
    /// The group it points to.
    pub to: RefView,
    /// Since when.
    pub since: Option<DateView>,
}

/// A graph: its SVG and the same edges in words.
#[derive(Debug, Clone, Serialize)]
pub struct GraphView {
    /// The SVG (drawn from escaped text; inserted as it is).
    pub svg: String,
    /// The caption.
    pub caption: String,
    /// Every edge, in words, in the graph's order.
    pub edges: Vec<EdgeView>,
}

/// One entity of the overview with its relations.
#[derive(Debug, Clone, Serialize)]
pub struct GraphEntryView {
    /// The entity.
    pub entity: RefView,
    /// Its parent, branches and typed relations.
    pub relations: Vec<RelationView>,
}

/// `group-graph.html`: `graph` (absent when no group has a relation) and `entries`.
#[derive(Debug, Clone, Serialize)]
struct GroupGraphPage {
    graph: Option<GraphView>,
    entries: Vec<GraphEntryView>,
}

fn style(kind: EdgeKind) -> EdgeStyle {
    match kind {
        EdgeKind::PartOf => EdgeStyle::PartOf,
        EdgeKind::Relation(k) => match k {
            RelationKind::Allied => EdgeStyle::Allied,
            RelationKind::Rival => EdgeStyle::Rival,
            RelationKind::SplinterOf => EdgeStyle::SplinterOf,
            RelationKind::MergedInto => EdgeStyle::MergedInto,
            RelationKind::Affiliate => EdgeStyle::Affiliate,
        },
    }
}

impl Renderer<'_> {
    /// The typed relations of entity `id` (both sides); with `family`, its parent and
    /// branches first.
    pub(super) fn relation_views(&self, id: EntityId, family: bool) -> Vec<RelationView> {
        let mut flat: Vec<(&'static str, &'static str, RelationItemView)> = Vec::new();
        let item = |other, since: Option<&crate::model::PartialDate>, note: Option<&String>| {
            RelationItemView {
                other: self.ref_view(other),
                since: since.map(Self::date_view),
                note: note.cloned(),
            }
        };
        if family && let Data::Group(g) = &self.site.get(id).data {
            flat.extend(
                g.parent
                    .map(|p| ("part-of", "Part of", item(p, None, None))),
            );
            let children = &self.site.links(id).children;
            flat.extend((children.iter()).map(|&c| ("part-of", "Branches", item(c, None, None))));
        }
        for l in &self.site.links(id).relations {
            let it = item(l.other, l.since.as_ref(), l.note.as_ref());
            flat.push((l.kind.as_str(), l.label(), it));
        }
        // The link stage sorts by kind and side, so each label's entries are together.
        let mut out: Vec<RelationView> = Vec::new();
        for (kind, label, it) in flat {
            match out.last_mut() {
                Some(last) if last.label == label => last.items.push(it),
                _ => out.push(RelationView {
                    kind,
                    label,
                    items: vec![it],
                }),
            }
        }
        out
    }

    /// The graph of group `id`'s neighbourhood, or `None` when it has no relation.
    pub(super) fn neighbourhood_view(&self, id: EntityId) -> Option<GraphView> {
        let graph = neighbourhood(self.site, id, GRAPH_HOPS, GRAPH_NODE_LIMIT);
        let e = self.site.get(id);
        let name = match &e.data {
            Data::Group(g) => g.short_name.as_deref().unwrap_or(&e.common.title),
            _ => &e.common.title,
        };
        let mut caption = format!("Relations of {name}, up to {GRAPH_HOPS} steps away");
        if graph.left_out > 0 {
            let n = graph.left_out;
            let what = if n == 1 { "entry" } else { "entries" };
            caption.push_str(&format!(
                " ({n} more {what} two steps away left out: see all groups' relations)"
            ));
        }
        self.graph_view(&graph, Layout::Rings, "relations", caption)
    }

    /// The view of `graph`, or `None` when it has no edge.
    fn graph_view(
        &self,
        graph: &Graph,
        layout: Layout,
        id: &str,
        caption: String,
    ) -> Option<GraphView> {
        if graph.edges.is_empty() {
            return None;
        }
        let nodes: Vec<draw::Node> = graph
            .nodes
            .iter()
            .map(|n| {
                let e = self.site.get(n.id);
                let short = match &e.data {
                    Data::Group(g) => g.short_name.clone(),
                    _ => None,
                };
                draw::Node {
                    key: e.slug.to_string(),
                    label: short.unwrap_or_else(|| e.common.title.clone()),
                    title: e.common.title.clone(),
                    href: self.url(&routes::entity(e.kind, e.slug.as_str())),
                    ring: n.hop,
                    near: n
                        .via
                        .and_then(|v| graph.nodes.iter().position(|m| m.id == v)),
                    shape: if e.kind == Kind::Actor {
                        Shape::Actor
                    } else {
                        Shape::Group
                    },
                }
            })
            .collect();
        let index = |id: EntityId| graph.nodes.iter().position(|n| n.id == id);
        let edges: Vec<draw::Edge> = graph
            .edges
            .iter()
            .filter_map(|e| {
                Some(draw::Edge {
                    from: index(e.from)?,
                    to: index(e.to)?,
                    style: style(e.kind),
                })
            })
            .collect();
        let svg = draw::draw(&nodes, &edges, layout, id, &caption);
        Some(GraphView {
            svg,
            caption,
            edges: graph.edges.iter().map(|e| self.edge_view(e)).collect(),
        })
    }

    fn edge_view(&self, e: &GraphEdge) -> EdgeView {
        let (kind, label) = match e.kind {
            EdgeKind::PartOf => ("part-of", "Part of"),
            EdgeKind::Relation(k) => (k.as_str(), k.label()),
        };
        // The date of the declaration, from whichever side wrote it.
        let since = match e.kind {
            EdgeKind::PartOf => None,
            EdgeKind::Relation(k) => {
                let find = |by: EntityId, to: EntityId| {
                    declared(self.site.get(by))
                        .iter()
                        .find(|r| r.group == to && r.kind == k && r.since.is_some())
                        .and_then(|r| r.since)
                };
                find(e.from, e.to).or_else(|| find(e.to, e.from))
            }
        };
        EdgeView {
            kind,
            label,
            from: self.ref_view(e.from),
            to: self.ref_view(e.to),
            since: since.as_ref().map(Self::date_view),
        }
    }

    /// `groups/graph/`: every group (and actor) with a relation, drawn and listed.
    pub(super) fn group_graph_page(&self, path: &str) -> Result<String, Diagnostic> {
        let graph = overview(self.site);
        let entries = graph
            .nodes
            .iter()
            .map(|n| GraphEntryView {
                entity: self.ref_view(n.id),
                relations: self.relation_views(n.id, true),
            })
            .collect();
        let view = GroupGraphPage {
            graph: self.graph_view(
                &graph,
                Layout::Circle,
                "relations-all",
                "Relations between groups".to_string(),
            ),
            entries,
        };
        let mut ctx = Context::new();
        ctx.insert("page", &view);
        self.render("group-graph.html", Kind::Group.dir(), path, ctx)
    }
}
