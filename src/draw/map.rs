//! Maps: the world map of `/map/` and the small locator maps of incident and country pages.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::projection::{HALF_HEIGHT, equal_earth};
use super::svg::{esc, num, push_num};
use super::world::{Frame, Rect, land_paths, main_landmass};

/// Width of the world map in SVG units.
const WORLD_WIDTH: f64 = 1000.0;
/// Up to this many pins the world map draws every one; beyond, crowded cells are merged.
pub const PIN_LIMIT: usize = 400;
/// Side of a clustering cell of the world map, in SVG units.
const CELL: f64 = 20.0;
/// A cell with more pins than this becomes one cluster.
const CELL_PINS: usize = 2;
/// Size of a locator map in SVG units.
const LOCATOR: (f64, f64) = (320.0, 200.0);

/// An incident on a map.
#[derive(Debug, Clone)]
pub struct Pin {
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// Where the pin links to.
    pub url: String,
    /// Text of the pin's tooltip and accessible name.
    pub label: String,
    /// Killed plus injured: sizes the pin.
    pub weight: u64,
    /// Placed at its country's centroid, not at its own coordinates.
    pub approximate: bool,
}

/// Pins merged into one mark of the world map.
#[derive(Debug, Clone)]
pub struct Cluster {
    /// Fragment id of the cluster's row in the text alternative (`map-cell-12-7`).
    pub id: String,
    /// Indexes into the pins given.
    pub members: Vec<usize>,
}

/// The world map and how its pins were grouped.
#[derive(Debug, Clone)]
pub struct MapLayout {
    /// The `<svg>` element.
    pub svg: String,
    /// Indexes of the pins drawn one by one.
    pub single: Vec<usize>,
    /// Cells drawn as one mark each.
    pub clusters: Vec<Cluster>,
}

/// A locator map's content.
#[derive(Debug, Clone, Copy)]
pub struct Locator<'a> {
    /// Points to show (not links: the page around the map lists them).
    pub pins: &'a [Pin],
    /// ISO code of a country to highlight.
    pub country: Option<&'a str>,
    /// Whether the map shows the whole main landmass of `country`, not only the pins.
    pub whole_country: bool,
    /// Accessible name of the map.
    pub label: &'a str,
}

fn radius(weight: u64) -> f64 {
    (2.5 + (weight as f64).sqrt() * 0.6).min(12.0)
}

/// The outline of the projected world, in `frame`.
fn sphere(frame: &Frame) -> String {
    let mut d = String::new();
    let side = |d: &mut String, lon: f64, lats: &mut dyn Iterator<Item = i32>| {
        for lat in lats {
            let (x, y) = frame.place(equal_earth(lon, lat as f64));
            d.push(if d.is_empty() { 'M' } else { 'L' });
            push_num(d, x);
            d.push(' ');
            push_num(d, y);
        }
    };
    side(&mut d, -180.0, &mut (-90..=90).step_by(10));
    side(&mut d, 180.0, &mut (-90..=90).rev().step_by(10));
    d.push('z');
    d
}

fn open_svg(out: &mut String, frame: &Frame, class: &str, label: &str) {
    let _ = write!(
        out,
        "<svg class=\"{class}\" viewBox=\"0 0 {} {}\" role=\"group\" aria-label=\"{}\">",
        num(frame.width()),
        num(frame.height()),
        esc(label)
    );
}

fn push_pin(out: &mut String, frame: &Frame, pin: &Pin, link: bool) {
    let (x, y) = frame.place_lonlat(pin.lon, pin.lat);
    let class = if pin.approximate {
        "pin approximate"
    } else {
        "pin"
    };
    let label = if pin.approximate {
        format!("{} (approximate: country centroid)", pin.label)
    } else {
        pin.label.clone()
    };
    if link {
        let _ = write!(out, "<a class=\"{class}\" href=\"{}\">", esc(&pin.url));
    } else {
        let _ = write!(out, "<g class=\"{class}\">");
    }
    let _ = write!(
        out,
        "<title>{}</title><circle cx=\"{}\" cy=\"{}\" r=\"{}\"/>",
        esc(&label),
        num(x),
        num(y),
        num(radius(pin.weight))
    );
    out.push_str(if link { "</a>" } else { "</g>" });
}

/// The world map of `pins`: every pin a link to its incident, or, with more than
/// [`PIN_LIMIT`] pins, crowded cells merged into a cluster that links to its row
/// (`#<id>`) in the page's text alternative.
pub fn world_map(pins: &[Pin], label: &str) -> MapLayout {
    let frame = Frame::new(Rect::WORLD, WORLD_WIDTH);
    let mut single = Vec::new();
    let mut clusters = Vec::new();
    if pins.len() <= PIN_LIMIT {
        single.extend(0..pins.len());
    } else {
        let mut cells: BTreeMap<(i64, i64), Vec<usize>> = BTreeMap::new();
        for (i, p) in pins.iter().enumerate() {
            let (x, y) = frame.place_lonlat(p.lon, p.lat);
            let key = ((x / CELL).floor() as i64, (y / CELL).floor() as i64);
            cells.entry(key).or_default().push(i);
        }
        for ((col, row), members) in cells {
            if members.len() <= CELL_PINS {
                single.extend(members);
            } else {
                clusters.push(Cluster {
                    id: format!("map-cell-{col}-{row}"),
                    members,
                });
            }
        }
        single.sort_unstable();
    }
    let mut svg = String::with_capacity(96 * 1024 + 160 * pins.len().min(4 * PIN_LIMIT));
    open_svg(&mut svg, &frame, "map map-world", label);
    let (land, _) = land_paths(&frame, 0.6, None);
    let _ = write!(
        svg,
        "<g aria-hidden=\"true\"><path class=\"map-sea\" d=\"{}\"/><path class=\"map-land\" d=\"{land}\"/></g>",
        sphere(&frame)
    );
    // Big marks first, so that small ones stay on top and clickable.
    let mut order: Vec<usize> = single.clone();
    order.sort_by(|&a, &b| pins[b].weight.cmp(&pins[a].weight).then(a.cmp(&b)));
    svg.push_str("<g class=\"pins\">");
    for i in order {
        push_pin(&mut svg, &frame, &pins[i], true);
    }
    svg.push_str("</g>");
    if !clusters.is_empty() {
        svg.push_str("<g class=\"clusters\">");
        for c in &clusters {
            let n = c.members.len() as f64;
            let (mut x, mut y) = (0.0, 0.0);
            for &i in &c.members {
                let (px, py) = frame.place_lonlat(pins[i].lon, pins[i].lat);
                x += px / n;
                y += py / n;
            }
            let r = (5.0 + 2.5 * n.log2()).min(24.0);
            let _ = write!(
                svg,
                "<a class=\"cluster\" href=\"#{id}\"><title>{count} incidents in this area: see the list below the map</title><circle cx=\"{x}\" cy=\"{y}\" r=\"{r}\"/><text x=\"{x}\" y=\"{y}\" dy=\"0.35em\">{count}</text></a>",
                id = c.id,
                count = c.members.len(),
                x = num(x),
                y = num(y),
                r = num(r),
            );
        }
        svg.push_str("</g>");
    }
    svg.push_str("</svg>");
    MapLayout {
        svg,
        single,
        clusters,
    }
}

/// A small map of the region around `pins` (and the whole main landmass of `country`),
/// cut out of the world map; `None` when there is nothing to place.
pub fn locator_map(loc: Locator<'_>) -> Option<String> {
    let points: Vec<(f64, f64)> = loc.pins.iter().map(|p| equal_earth(p.lon, p.lat)).collect();
    let mut view = points.iter().fold(None::<Rect>, |acc, &(x, y)| {
        let r = Rect {
            x0: x,
            y0: y,
            x1: x,
            y1: y,
        };
        Some(acc.map_or(r, |a| a.union(&r)))
    });
    if let Some(land) = loc
        .country
        .filter(|_| loc.whole_country)
        .and_then(main_landmass)
    {
        view = Some(view.map_or(land, |v| v.union(&land)));
    }
    let view = fit(view?);
    let frame = Frame::new(view, LOCATOR.0);
    let mut svg = String::with_capacity(8 * 1024);
    open_svg(&mut svg, &frame, "map map-locator", loc.label);
    let (land, marked) = land_paths(&frame, 0.4, loc.country);
    let _ = write!(
        svg,
        "<g aria-hidden=\"true\"><rect class=\"map-sea\" width=\"100%\" height=\"100%\"/><path class=\"map-land\" d=\"{land}\"/>"
    );
    if !marked.is_empty() {
        let _ = write!(svg, "<path class=\"map-land map-focus\" d=\"{marked}\"/>");
    }
    svg.push_str("</g><g class=\"pins\">");
    // Pins on the same spot are drawn once, the biggest.
    let mut seen = std::collections::BTreeSet::new();
    let mut order: Vec<usize> = (0..loc.pins.len()).collect();
    order.sort_by(|&a, &b| loc.pins[b].weight.cmp(&loc.pins[a].weight).then(a.cmp(&b)));
    for i in order {
        let (x, y) = frame.place_lonlat(loc.pins[i].lon, loc.pins[i].lat);
        if seen.insert(((x / 2.0) as i64, (y / 2.0) as i64, loc.pins[i].approximate)) {
            push_pin(&mut svg, &frame, &loc.pins[i], false);
        }
    }
    svg.push_str("</g></svg>");
    Some(svg)
}

/// `r` grown by a margin to at least a region's size and to the locator's shape, kept
/// inside the world.
fn fit(r: Rect) -> Rect {
    // About 27° of longitude at the equator: a point is shown with its neighbours.
    const MIN_WIDTH: f64 = 0.5;
    let aspect = LOCATOR.0 / LOCATOR.1;
    let (cx, cy) = ((r.x0 + r.x1) / 2.0, (r.y0 + r.y1) / 2.0);
    let mut w = (r.width() * 1.3).max(MIN_WIDTH);
    let mut h = r.height() * 1.3;
    if w / aspect < h {
        w = h * aspect;
    } else {
        h = w / aspect;
    }
    let world = Rect::WORLD;
    if w > world.width() {
        w = world.width();
        h = w / aspect;
    }
    h = h.min(2.0 * HALF_HEIGHT);
    let x0 = (cx - w / 2.0).clamp(world.x0, world.x1 - w);
    let y0 = (cy - h / 2.0).clamp(world.y0, world.y1 - h);
    Rect {
        x0,
        y0,
        x1: x0 + w,
        y1: y0 + h,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pin(lat: f64, lon: f64, n: usize) -> Pin {
        Pin {
            lat,
            lon,
            url: format!("/incidents/i{n}/"),
            label: format!("Incident <{n}>"),
            weight: n as u64,
            approximate: n % 2 == 1,
        }
    }

    #[test]
    fn small_maps_draw_every_pin_once_and_are_deterministic() {
        let pins: Vec<Pin> = (0..5).map(|n| pin(55.8, 37.4 + n as f64, n)).collect();
        let a = world_map(&pins, "Map");
        assert_eq!(a.single, vec![0, 1, 2, 3, 4]);
        for n in 0..5 {
            assert_eq!(
                a.svg.matches(&format!("href=\"/incidents/i{n}/\"")).count(),
                1
            );
        }
        assert!(a.svg.contains("Incident &lt;1&gt; (approximate"));
        assert_eq!(a.svg, world_map(&pins, "Map").svg);
    }

    #[test]
    fn crowded_cells_become_clusters_that_account_for_every_pin() {
        let pins: Vec<Pin> = (0..PIN_LIMIT + 50)
            .map(|n| pin(-40.0 + (n % 50) as f64, -100.0 + (n / 50) as f64 * 20.0, n))
            .collect();
        let m = world_map(&pins, "Map");
        assert!(!m.clusters.is_empty());
        let mut all: Vec<usize> = m.single.clone();
        all.extend(m.clusters.iter().flat_map(|c| c.members.iter().copied()));
        all.sort_unstable();
        assert_eq!(all, (0..pins.len()).collect::<Vec<_>>());
    }

    #[test]
    fn a_locator_is_small_and_shows_its_point() {
        let pins = [pin(55.8, 37.4, 0)];
        let svg = locator_map(Locator {
            pins: &pins,
            country: Some("RU"),
            whole_country: false,
            label: "Where",
        })
        .expect("a map");
        assert!(svg.len() < 40_000, "{}", svg.len());
        assert!(svg.contains("map-focus"));
        assert!(
            locator_map(Locator {
                pins: &[],
                country: None,
                whole_country: true,
                label: "Where",
            })
            .is_none()
        );
    }
}
