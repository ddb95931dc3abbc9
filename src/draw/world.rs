//! The base map: Natural Earth country shapes from `assets/world-110m.json` (made once by
//! `tools/world-atlas/regen.sh`; see `assets/README.md`), projected on first use, and the
//! geometry to cut a region out of it.

use std::sync::OnceLock;

use serde::Deserialize;

use super::projection::{HALF_HEIGHT, HALF_WIDTH, equal_earth};
use super::svg::push_num;

/// The asset, embedded in the binary: the build never reads it from disk.
const ASSET: &str = include_str!("../../assets/world-110m.json");

#[derive(Deserialize)]
struct Asset {
    countries: Vec<AssetCountry>,
}

#[derive(Deserialize)]
struct AssetCountry {
    iso: String,
    centroid: Option<[f64; 2]>,
    rings: Vec<Vec<f64>>,
}

/// A rectangle in projected units, y growing northwards.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    /// The whole projected world.
    pub(crate) const WORLD: Rect = Rect {
        x0: -HALF_WIDTH,
        y0: -HALF_HEIGHT,
        x1: HALF_WIDTH,
        y1: HALF_HEIGHT,
    };

    fn around(points: &[(f64, f64)]) -> Rect {
        let mut r = Rect {
            x0: f64::INFINITY,
            y0: f64::INFINITY,
            x1: f64::NEG_INFINITY,
            y1: f64::NEG_INFINITY,
        };
        for &(x, y) in points {
            r.x0 = r.x0.min(x);
            r.y0 = r.y0.min(y);
            r.x1 = r.x1.max(x);
            r.y1 = r.y1.max(y);
        }
        r
    }

    pub(crate) fn width(&self) -> f64 {
        self.x1 - self.x0
    }

    pub(crate) fn height(&self) -> f64 {
        self.y1 - self.y0
    }

    pub(crate) fn union(&self, o: &Rect) -> Rect {
        Rect {
            x0: self.x0.min(o.x0),
            y0: self.y0.min(o.y0),
            x1: self.x1.max(o.x1),
            y1: self.y1.max(o.y1),
        }
    }

    fn intersects(&self, o: &Rect) -> bool {
        self.x0 <= o.x1 && o.x0 <= self.x1 && self.y0 <= o.y1 && o.y0 <= self.y1
    }

    fn contains(&self, o: &Rect) -> bool {
        self.x0 <= o.x0 && o.x1 <= self.x1 && self.y0 <= o.y0 && o.y1 <= self.y1
    }
}

/// A projected ring with its bounding box.
struct Ring {
    points: Vec<(f64, f64)>,
    bbox: Rect,
}

/// A country of the base map.
struct Country {
    iso: String,
    /// Longitude and latitude.
    centroid: Option<(f64, f64)>,
    rings: Vec<Ring>,
}

/// The projected base map.
pub(crate) struct World {
    countries: Vec<Country>,
}

/// The base map, parsed and projected on first use.
pub(crate) fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        // The asset is part of the source tree and checked by a unit test below.
        let asset: Asset = serde_json::from_str(ASSET).unwrap_or(Asset {
            countries: Vec::new(),
        });
        let mut countries: Vec<Country> = asset
            .countries
            .into_iter()
            .map(|c| Country {
                iso: c.iso,
                centroid: c.centroid.map(|[lon, lat]| (lon, lat)),
                rings: c
                    .rings
                    .iter()
                    .map(|flat| {
                        let points: Vec<(f64, f64)> = flat
                            .chunks_exact(2)
                            .map(|p| equal_earth(p[0], p[1]))
                            .collect();
                        Ring {
                            bbox: Rect::around(&points),
                            points,
                        }
                    })
                    .collect(),
            })
            .collect();
        // By code, for the binary searches below (shapes without a code come first).
        countries.sort_by(|a, b| a.iso.cmp(&b.iso));
        World { countries }
    })
}

/// The centroid of a country's main landmass as `(latitude, longitude)`, from Natural
/// Earth, by ISO 3166-1 alpha-2 code (upper case); none for a code the data lacks.
pub fn country_centroid(iso: &str) -> Option<(f64, f64)> {
    let w = world();
    let i = w
        .countries
        .binary_search_by(|c| c.iso.as_str().cmp(iso))
        .ok()?;
    w.countries[i].centroid.map(|(lon, lat)| (lat, lon))
}

/// Maps projected units into an SVG frame: `view` becomes `0..width` by `0..height`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    pub view: Rect,
    pub scale: f64,
}

impl Frame {
    /// A frame showing `view` at `width` SVG units wide.
    pub(crate) fn new(view: Rect, width: f64) -> Frame {
        Frame {
            view,
            scale: width / view.width(),
        }
    }

    pub(crate) fn width(&self) -> f64 {
        self.view.width() * self.scale
    }

    pub(crate) fn height(&self) -> f64 {
        self.view.height() * self.scale
    }

    /// SVG coordinates of a projected point.
    pub(crate) fn place(&self, (x, y): (f64, f64)) -> (f64, f64) {
        (
            (x - self.view.x0) * self.scale,
            (self.view.y1 - y) * self.scale,
        )
    }

    /// SVG coordinates of a longitude and latitude.
    pub(crate) fn place_lonlat(&self, lon: f64, lat: f64) -> (f64, f64) {
        self.place(equal_earth(lon, lat))
    }
}

/// The bounding box of a country's largest ring (its main landmass), in projected units.
pub(crate) fn main_landmass(iso: &str) -> Option<Rect> {
    let w = world();
    let i = w
        .countries
        .binary_search_by(|c| c.iso.as_str().cmp(iso))
        .ok()?;
    w.countries[i]
        .rings
        .iter()
        .max_by(|a, b| {
            let area = |r: &Rect| r.width() * r.height();
            area(&a.bbox).total_cmp(&area(&b.bbox))
        })
        .map(|r| r.bbox)
}

/// The path data (`d`) of every country inside `frame`, cut to the frame; points closer
/// than `tolerance` SVG units to the last one kept are dropped. Countries whose code is
/// `highlight` go to the second string.
pub(crate) fn land_paths(
    frame: &Frame,
    tolerance: f64,
    highlight: Option<&str>,
) -> (String, String) {
    let (mut land, mut marked) = (String::new(), String::new());
    let view = frame.view;
    let mut clipped = Vec::new();
    for c in &world().countries {
        let out = if highlight == Some(c.iso.as_str()) {
            &mut marked
        } else {
            &mut land
        };
        for ring in &c.rings {
            if !ring.bbox.intersects(&view) {
                continue;
            }
            let points: &[(f64, f64)] = if view.contains(&ring.bbox) {
                &ring.points
            } else {
                clip(&ring.points, &view, &mut clipped);
                &clipped
            };
            push_ring(out, points, frame, tolerance);
        }
    }
    (land, marked)
}

/// Append a closed ring as relative path commands, in tenths of SVG units.
fn push_ring(out: &mut String, points: &[(f64, f64)], frame: &Frame, tolerance: f64) {
    if points.len() < 3 {
        return;
    }
    let tenths = |p: (f64, f64)| {
        let (x, y) = frame.place(p);
        ((x * 10.0).round() as i64, (y * 10.0).round() as i64)
    };
    let tol = (tolerance * 10.0) as i64;
    let first = tenths(points[0]);
    let mut kept = vec![first];
    for &p in &points[1..] {
        let q = tenths(p);
        let last = kept[kept.len() - 1];
        if (q.0 - last.0).abs() + (q.1 - last.1).abs() > tol {
            kept.push(q);
        }
    }
    if kept.len() < 3 {
        return;
    }
    out.push('M');
    push_num(out, first.0 as f64 / 10.0);
    out.push(' ');
    push_num(out, first.1 as f64 / 10.0);
    out.push('l');
    let mut last = first;
    for (i, &q) in kept[1..].iter().enumerate() {
        let (dx, dy) = (q.0 - last.0, q.1 - last.1);
        if i > 0 && dx >= 0 {
            out.push(' ');
        }
        push_num(out, dx as f64 / 10.0);
        if dy >= 0 {
            out.push(' ');
        }
        push_num(out, dy as f64 / 10.0);
        last = q;
    }
    out.push('z');
}

/// Sutherland–Hodgman: the part of a closed ring inside `r`, into `out`.
fn clip(points: &[(f64, f64)], r: &Rect, out: &mut Vec<(f64, f64)>) {
    out.clear();
    out.extend_from_slice(points);
    let mut input = Vec::with_capacity(points.len());
    // Each edge of the rectangle: inside test and intersection with the edge's line.
    for edge in 0..4 {
        std::mem::swap(&mut input, out);
        out.clear();
        let Some(&last) = input.last() else {
            return;
        };
        let inside = |p: (f64, f64)| match edge {
            0 => p.0 >= r.x0,
            1 => p.0 <= r.x1,
            2 => p.1 >= r.y0,
            _ => p.1 <= r.y1,
        };
        let cross = |a: (f64, f64), b: (f64, f64)| {
            let t = match edge {
                0 => (r.x0 - a.0) / (b.0 - a.0),
                1 => (r.x1 - a.0) / (b.0 - a.0),
                2 => (r.y0 - a.1) / (b.1 - a.1),
                _ => (r.y1 - a.1) / (b.1 - a.1),
            };
            (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1))
        };
        let mut prev = last;
        for &p in &input {
            match (inside(prev), inside(p)) {
                (true, true) => out.push(p),
                (true, false) => out.push(cross(prev, p)),
                (false, true) => {
                    out.push(cross(prev, p));
                    out.push(p);
                }
                (false, false) => {}
            }
            prev = p;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_asset_parses_and_knows_the_countries_of_the_example() {
        assert!(serde_json::from_str::<Asset>(ASSET).is_ok());
        assert!(world().countries.len() > 200);
        let (lat, lon) = country_centroid("RU").expect("Russia");
        assert!((50.0..70.0).contains(&lat) && (40.0..130.0).contains(&lon));
        let (lat, lon) = country_centroid("AF").expect("Afghanistan");
        assert!((30.0..38.0).contains(&lat) && (60.0..72.0).contains(&lon));
        assert!(country_centroid("ZZ").is_none());
    }

    #[test]
    fn clipping_keeps_the_part_inside() {
        let square = [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0)];
        let r = Rect {
            x0: 1.0,
            y0: 1.0,
            x1: 2.0,
            y1: 5.0,
        };
        let mut out = Vec::new();
        clip(&square, &r, &mut out);
        let b = Rect::around(&out);
        assert_eq!((b.x0, b.y0, b.x1, b.y1), (1.0, 1.0, 2.0, 4.0));
    }
}
