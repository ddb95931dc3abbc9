//! A relations graph as SVG: nodes (groups and actors) linking to their pages, edges styled
//! by kind with a dash pattern, an arrow for directed kinds and a legend, so that no kind
//! is told apart by colour alone.
//!
//! Layout, by hand because it is small and must be byte-stable: nodes sit on concentric
//! rings, ring `n` for the nodes `n` hops from the centre ([`Layout::Rings`], a group's
//! neighbourhood), or all on one circle ([`Layout::Circle`], the overview). On each ring
//! nodes keep the order given (the caller sorts them); a ring grows with its node count so
//! that neighbours keep their distance. Labels stand outside their ring, pointing away
//! from the centre. Coordinates are printed with one decimal: the same input gives the
//! same bytes.
//!
//! Why no layout crate: the one that fits best (`layout-rs`, a Graphviz-style layered
//! layout) is a 0.1 crate with one maintainer that draws its own SVG (no links, no ARIA,
//! no dash per kind), and ours are pictures of a few dozen nodes at most, for which rings
//! read better than layers.
//!
//! Colours are CSS classes (`rel-<kind>`, `node-<shape>`) that the theme's stylesheet
//! sets for light mode, dark mode and print; the SVG itself only sets geometry and dashes.

use std::collections::BTreeMap;
use std::f64::consts::PI;
use std::fmt::Write;

use crate::markdown::{escape_attr, escape_text};

/// How an edge is drawn: one per kind of relation, plus `part of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeStyle {
    /// A branch, to the group it is part of.
    PartOf,
    /// Allies (no direction).
    Allied,
    /// Rivals (no direction).
    Rival,
    /// A splinter, to the group it broke from.
    SplinterOf,
    /// A group, to the one it merged into.
    MergedInto,
    /// An affiliate, to the group it is affiliated with.
    Affiliate,
}

impl EdgeStyle {
    /// Every style, in legend order.
    pub const ALL: [EdgeStyle; 6] = [
        EdgeStyle::PartOf,
        EdgeStyle::Allied,
        EdgeStyle::Rival,
        EdgeStyle::SplinterOf,
        EdgeStyle::MergedInto,
        EdgeStyle::Affiliate,
    ];

    /// The CSS class suffix and the word of the content model (`part-of` for parents).
    pub fn key(self) -> &'static str {
        match self {
            EdgeStyle::PartOf => "part-of",
            EdgeStyle::Allied => "allied",
            EdgeStyle::Rival => "rival",
            EdgeStyle::SplinterOf => "splinter-of",
            EdgeStyle::MergedInto => "merged-into",
            EdgeStyle::Affiliate => "affiliate",
        }
    }

    /// The legend's words.
    pub fn label(self) -> &'static str {
        match self {
            EdgeStyle::PartOf => "part of",
            EdgeStyle::Allied => "allied",
            EdgeStyle::Rival => "rival",
            EdgeStyle::SplinterOf => "splinter of",
            EdgeStyle::MergedInto => "merged into",
            EdgeStyle::Affiliate => "affiliate of",
        }
    }

    /// `stroke-dasharray`, or `None` for a solid line.
    fn dashes(self) -> Option<&'static str> {
        match self {
            EdgeStyle::PartOf | EdgeStyle::Allied => None,
            EdgeStyle::Rival => Some("7 4"),
            EdgeStyle::SplinterOf => Some("2 3"),
            EdgeStyle::MergedInto => Some("9 3 2 3"),
            EdgeStyle::Affiliate => Some("14 3 3 3 3 3"),
        }
    }

    /// Whether the edge has a direction (an arrow at its `to` end).
    pub fn directed(self) -> bool {
        !matches!(self, EdgeStyle::Allied | EdgeStyle::Rival)
    }
}

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A group: a circle.
    Group,
    /// An actor: a square.
    Actor,
}

/// A node: a link to an entity's page.
#[derive(Debug, Clone)]
pub struct Node {
    /// A name unique in the graph (a slug), written on the node and on the ends of its
    /// edges (`data-node`, `data-from`, `data-to`) for tools and tests.
    pub key: String,
    /// The label under it (a short name, or a title).
    pub label: String,
    /// The full name, for the link's tooltip.
    pub title: String,
    /// The page it links to.
    pub href: String,
    /// Its ring: hops from the centre (0 for the centre itself); ignored by [`Layout::Circle`].
    pub ring: usize,
    /// The node on an inner ring it should stand near (by index), if any.
    pub near: Option<usize>,
    /// Its shape.
    pub shape: Shape,
}

/// An edge between two nodes, by their index in the node list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    /// From (the splinter, the branch, the affiliate).
    pub from: usize,
    /// To (the group split from, the parent, the group affiliated with).
    pub to: usize,
    /// How it is drawn.
    pub style: EdgeStyle,
}

/// Where nodes go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Concentric rings by [`Node::ring`].
    Rings,
    /// One circle, in the order given.
    Circle,
}

/// Distance between rings, in SVG units.
const RING_GAP: f64 = 150.0;
/// Least distance between neighbours on a ring (along the arc).
const NODE_GAP: f64 = 70.0;
/// Radius of a group's circle (half the side of an actor's square).
const NODE_R: f64 = 7.0;
/// Longest label, in characters, before it is cut with an ellipsis.
const LABEL_MAX: usize = 24;
/// Estimated width of one character of a label (at the 13-unit font the theme sets).
const CHAR_W: f64 = 7.0;
/// Height of a legend line.
const LEGEND_LINE: f64 = 20.0;

/// The SVG of a graph. `id` prefixes the ids inside it (unique on its page); `title` is
/// its accessible name.
pub fn draw(nodes: &[Node], edges: &[Edge], layout: Layout, id: &str, title: &str) -> String {
    let points = place(nodes, layout);
    let labels: Vec<(String, Label)> = nodes
        .iter()
        .zip(&points)
        .map(|(n, &p)| {
            (
                shorten(&n.label),
                label_place(p, n.ring == 0 && layout == Layout::Rings),
            )
        })
        .collect();

    // Bounds of nodes and labels, then of the legend below them.
    let (mut x0, mut y0, mut x1, mut y1) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    for ((text, l), p) in labels.iter().zip(&points) {
        let w = text.chars().count() as f64 * CHAR_W;
        let (lx0, lx1) = match l.anchor {
            "start" => (l.x, l.x + w),
            "end" => (l.x - w, l.x),
            _ => (l.x - w / 2.0, l.x + w / 2.0),
        };
        x0 = x0.min(lx0).min(p.0 - NODE_R);
        x1 = x1.max(lx1).max(p.0 + NODE_R);
        y0 = y0.min(l.y - 13.0).min(p.1 - NODE_R);
        y1 = y1.max(l.y + 4.0).max(p.1 + NODE_R);
    }
    let styles: Vec<EdgeStyle> = EdgeStyle::ALL
        .into_iter()
        .filter(|s| edges.iter().any(|e| e.style == *s))
        .collect();
    // With actors among the nodes, the legend also tells the two shapes apart.
    let shapes = nodes.iter().any(|n| n.shape == Shape::Actor);
    let legend_w = 190.0;
    x1 = x1.max(x0 + legend_w);
    let legend_top = y1 + 24.0;
    let lines = styles.len() + if shapes { 2 } else { 0 };
    y1 = legend_top + lines as f64 * LEGEND_LINE;
    let (x0, y0) = (x0 - 10.0, y0 - 10.0);
    let (w, h) = (x1 + 10.0 - x0, y1 + 10.0 - y0);

    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="relations-graph" viewBox="{} {} {} {}" width="{}" height="{}" role="group" aria-labelledby="{id}-title"><title id="{id}-title">{}</title>"#,
        f(x0),
        f(y0),
        f(w),
        f(h),
        f(w),
        f(h),
        escape_text(title)
    );
    s.push_str("<defs>");
    for style in styles.iter().filter(|s| s.directed()) {
        let _ = write!(
            s,
            r#"<marker id="{id}-arrow-{k}" class="rel-{k}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z"/></marker>"#,
            k = style.key()
        );
    }
    s.push_str("</defs>");

    // Edges, decorative: the list beside the picture says the same in words.
    s.push_str(r#"<g class="edges" aria-hidden="true">"#);
    let mut parallel: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (i, e) in edges.iter().enumerate() {
        parallel
            .entry((e.from.min(e.to), e.from.max(e.to)))
            .or_default()
            .push(i);
    }
    for (i, e) in edges.iter().enumerate() {
        let (Some(&a), Some(&b)) = (points.get(e.from), points.get(e.to)) else {
            continue;
        };
        let pair = &parallel[&(e.from.min(e.to), e.from.max(e.to))];
        let k = pair.iter().position(|&j| j == i).unwrap_or(0) as f64;
        let shift = (k - (pair.len() as f64 - 1.0) / 2.0) * 6.0;
        let Some(((ax, ay), (bx, by))) = segment(a, b, shift) else {
            continue;
        };
        let _ = write!(
            s,
            r#"<line class="edge rel-{}" data-from="{}" data-to="{}" x1="{}" y1="{}" x2="{}" y2="{}""#,
            e.style.key(),
            escape_attr(&nodes[e.from].key),
            escape_attr(&nodes[e.to].key),
            f(ax),
            f(ay),
            f(bx),
            f(by)
        );
        if let Some(d) = e.style.dashes() {
            let _ = write!(s, r#" stroke-dasharray="{d}""#);
        }
        if e.style.directed() {
            let _ = write!(s, r#" marker-end="url(#{id}-arrow-{})""#, e.style.key());
        }
        s.push_str("/>");
    }
    s.push_str("</g>");

    // Nodes: links to their pages.
    s.push_str(r#"<g class="nodes">"#);
    for ((n, &(x, y)), (text, l)) in nodes.iter().zip(&points).zip(&labels) {
        let centre = n.ring == 0 && layout == Layout::Rings;
        let _ = write!(
            s,
            r#"<a href="{}" class="node node-{}{}" data-node="{}"><title>{}</title>"#,
            escape_attr(&n.href),
            match n.shape {
                Shape::Group => "group",
                Shape::Actor => "actor",
            },
            if centre { " node-centre" } else { "" },
            escape_attr(&n.key),
            escape_text(&n.title)
        );
        match n.shape {
            Shape::Group => {
                let _ = write!(
                    s,
                    r#"<circle cx="{}" cy="{}" r="{}"/>"#,
                    f(x),
                    f(y),
                    f(NODE_R)
                );
            }
            Shape::Actor => {
                let _ = write!(
                    s,
                    r#"<rect x="{}" y="{}" width="{}" height="{}"/>"#,
                    f(x - NODE_R),
                    f(y - NODE_R),
                    f(2.0 * NODE_R),
                    f(2.0 * NODE_R)
                );
            }
        }
        // A halo in the page's colour first, so the name reads over the edges.
        let (x, y, label) = (f(l.x), f(l.y), escape_text(text));
        let _ = write!(
            s,
            r#"<text class="halo" aria-hidden="true" x="{x}" y="{y}" text-anchor="{a}">{label}</text><text x="{x}" y="{y}" text-anchor="{a}">{label}</text></a>"#,
            a = l.anchor,
        );
    }
    s.push_str("</g>");

    // Legend: each kind drawn shows its line, dash and arrow with its words.
    if !styles.is_empty() {
        s.push_str(r#"<g class="legend" aria-hidden="true">"#);
        for (i, style) in styles.iter().enumerate() {
            let y = legend_top + i as f64 * LEGEND_LINE;
            let _ = write!(
                s,
                r#"<line class="edge rel-{k}" x1="{}" y1="{}" x2="{}" y2="{}""#,
                f(x0 + 10.0),
                f(y),
                f(x0 + 60.0),
                f(y),
                k = style.key()
            );
            if let Some(d) = style.dashes() {
                let _ = write!(s, r#" stroke-dasharray="{d}""#);
            }
            if style.directed() {
                let _ = write!(s, r#" marker-end="url(#{id}-arrow-{})""#, style.key());
            }
            let _ = write!(
                s,
                r#"/><text x="{}" y="{}">{}</text>"#,
                f(x0 + 70.0),
                f(y + 4.0),
                style.label()
            );
        }
        if shapes {
            let y = legend_top + styles.len() as f64 * LEGEND_LINE;
            let (cx, t) = (f(x0 + 35.0), f(x0 + 70.0));
            let _ = write!(
                s,
                r#"<g class="node node-group"><circle cx="{cx}" cy="{}" r="{}"/></g><text x="{t}" y="{}">group</text><g class="node node-actor"><rect x="{}" y="{}" width="{}" height="{}"/></g><text x="{t}" y="{}">actor</text>"#,
                f(y),
                f(NODE_R),
                f(y + 4.0),
                f(x0 + 35.0 - NODE_R),
                f(y + LEGEND_LINE - NODE_R),
                f(2.0 * NODE_R),
                f(2.0 * NODE_R),
                f(y + LEGEND_LINE + 4.0)
            );
        }
        s.push_str("</g>");
    }
    s.push_str("</svg>");
    s
}

/// Where each node stands.
fn place(nodes: &[Node], layout: Layout) -> Vec<(f64, f64)> {
    let ring_of = |n: &Node| match layout {
        Layout::Rings => n.ring,
        Layout::Circle => 1,
    };
    let mut rings: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, n) in nodes.iter().enumerate() {
        rings.entry(ring_of(n)).or_default().push(i);
    }
    let mut points: Vec<(f64, f64)> = vec![(0.0, 0.0); nodes.len()];
    let mut last_radius = 0.0f64;
    for (&ring, members) in &rings {
        if ring == 0 && members.len() == 1 {
            points[members[0]] = (0.0, 0.0);
            continue;
        }
        let count = members.len() as f64;
        // Far enough from the previous ring, and round enough for its nodes.
        let radius = (ring.max(1) as f64 * RING_GAP)
            .max(last_radius + RING_GAP)
            .max(count * NODE_GAP / (2.0 * PI));
        last_radius = radius;
        let step = 2.0 * PI / count;
        let near: Option<Vec<f64>> = members
            .iter()
            .map(|&i| {
                let n = nodes[i]
                    .near
                    .filter(|&n| n < nodes.len() && ring_of(&nodes[n]) < ring)?;
                let (x, y) = points[n];
                Some(y.atan2(x))
            })
            .collect();
        match near {
            // Each node near the one it was reached through, neighbours kept apart.
            Some(wanted) if ring > 1 => {
                for (i, a) in spread(members, &wanted, NODE_GAP * 1.3 / radius) {
                    points[i] = (radius * a.cos(), radius * a.sin());
                }
            }
            // Evenly round the ring from the top.
            _ => {
                for (k, &i) in members.iter().enumerate() {
                    let a = -PI / 2.0 + step * k as f64;
                    points[i] = (radius * a.cos(), radius * a.sin());
                }
            }
        }
    }
    points
}

/// Angles for `members` as near as may be to the `wanted` ones, at least `gap` apart:
/// siblings spread evenly round their common angle, then each pushed past the one before.
/// When that does not fit round the circle, evenly spaced from the first wanted angle.
fn spread(members: &[usize], wanted: &[f64], gap: f64) -> Vec<(usize, f64)> {
    let mut order: Vec<(f64, usize)> = wanted
        .iter()
        .copied()
        .zip(members.iter().copied())
        .collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let n = order.len();
    let gap = gap.min(2.0 * PI / n as f64);
    let mut angles: Vec<f64> = Vec::with_capacity(n);
    let mut k = 0;
    while k < n {
        let same = order[k..].iter().take_while(|o| o.0 == order[k].0).count();
        for j in 0..same {
            angles.push(order[k].0 + (j as f64 - (same as f64 - 1.0) / 2.0) * gap);
        }
        k += same;
    }
    for k in 1..n {
        angles[k] = angles[k].max(angles[k - 1] + gap);
    }
    if n > 1 && angles[n - 1] - angles[0] > 2.0 * PI - gap {
        let step = 2.0 * PI / n as f64;
        angles = (0..n).map(|k| order[0].0 + step * k as f64).collect();
    }
    order.iter().map(|o| o.1).zip(angles).collect()
}

/// Where a label stands and which way it runs from there.
struct Label {
    x: f64,
    y: f64,
    anchor: &'static str,
}

/// The label of a node at `p`, outside its ring (below the node for the centre).
fn label_place((x, y): (f64, f64), centre: bool) -> Label {
    let d = x.hypot(y);
    if centre || d < 1.0 {
        return Label {
            x,
            y: y + NODE_R + 15.0,
            anchor: "middle",
        };
    }
    let (ux, uy) = (x / d, y / d);
    let anchor = if ux > 0.3 {
        "start"
    } else if ux < -0.3 {
        "end"
    } else {
        "middle"
    };
    let gap = NODE_R + 6.0;
    Label {
        x: x + ux * gap,
        // Text stands on its baseline: below a node it needs its height, above none.
        y: y + uy * gap
            + if uy > 0.3 {
                10.0
            } else if uy < -0.3 {
                0.0
            } else {
                4.0
            },
        anchor,
    }
}

/// The line from `a` to `b`, moved `shift` to its side, without the ends inside the nodes.
fn segment(a: (f64, f64), b: (f64, f64), shift: f64) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = dx.hypot(dy);
    if len < 3.0 * NODE_R {
        return None;
    }
    let (ux, uy) = (dx / len, dy / len);
    let (px, py) = (-uy * shift, ux * shift);
    let cut = NODE_R + 2.0;
    Some((
        (a.0 + ux * cut + px, a.1 + uy * cut + py),
        (b.0 - ux * cut + px, b.1 - uy * cut + py),
    ))
}

/// `label`, cut to [`LABEL_MAX`] characters with an ellipsis.
fn shorten(label: &str) -> String {
    let label = label.trim();
    if label.chars().count() <= LABEL_MAX {
        return label.to_string();
    }
    let mut s: String = label.chars().take(LABEL_MAX - 1).collect();
    s.truncate(s.trim_end().len());
    s.push('…');
    s
}

/// A coordinate with one decimal, `-0.0` written as `0`.
fn f(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == 0.0 {
        "0".to_string()
    } else if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(label: &str, ring: usize) -> Node {
        Node {
            key: label.into(),
            label: label.into(),
            title: label.into(),
            href: format!("/groups/{label}/"),
            ring,
            near: (ring > 1).then_some(1),
            shape: Shape::Group,
        }
    }

    #[test]
    fn the_same_graph_gives_the_same_bytes_and_every_node_links() {
        let nodes = [node("a", 0), node("b", 1), node("c", 1), node("d", 2)];
        let edges = [
            Edge {
                from: 1,
                to: 0,
                style: EdgeStyle::PartOf,
            },
            Edge {
                from: 0,
                to: 2,
                style: EdgeStyle::Rival,
            },
            Edge {
                from: 3,
                to: 2,
                style: EdgeStyle::Affiliate,
            },
        ];
        let one = draw(&nodes, &edges, Layout::Rings, "g", "Relations of a");
        assert_eq!(
            one,
            draw(&nodes, &edges, Layout::Rings, "g", "Relations of a")
        );
        assert_eq!(one.matches("<a href=").count(), 4);
        assert_eq!(one.matches(r#"<line class="edge"#).count(), 3 + 3);
        assert!(one.contains(r#"stroke-dasharray="7 4""#));
        assert!(one.contains("marker-end=\"url(#g-arrow-affiliate)\""));
        assert!(!one.contains("NaN") && !one.contains("inf"));
    }

    #[test]
    fn labels_are_escaped_and_cut() {
        let nodes = [node("<b>&", 1), node(&"x".repeat(40), 1)];
        let svg = draw(&nodes, &[], Layout::Circle, "o", "All");
        assert!(svg.contains("&lt;b&gt;&amp;"));
        assert!(svg.contains(&format!("{}…", "x".repeat(23))));
    }

    #[test]
    fn coordinates_are_short_and_signless_at_zero() {
        assert_eq!(f(-0.01), "0");
        assert_eq!(f(12.0), "12");
        assert_eq!(f(-3.24), "-3.2");
    }
}
