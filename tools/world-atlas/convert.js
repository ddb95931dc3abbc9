// Converts Natural Earth country shapes from the npm package `world-atlas` (TopoJSON) into
// `assets/world-110m.json`, the base map `briefing` draws from. Run by `regen.sh`; the
// build itself never needs Node or npm.
//
// Output: { source, countries: [{ iso, name, centroid: [lon, lat] | null, rings: [[lon,
// lat, lon, lat, ...], ...] }] }, sorted by ISO code (shapes without a code last, by name),
// every number in degrees rounded to 0.01. Shapes come from the 1:110m file; centroids from
// the 1:50m one, which also has the small countries the 110m file leaves out (they get a
// centroid and no shape). A centroid is the area-weighted centroid of the country's largest
// polygon, so France is placed in Europe, not between Europe and French Guiana.
"use strict";
const fs = require("fs");
const path = require("path");
const [, , modules, out] = process.argv;
const topojson = require(path.resolve(modules, "topojson-client"));
const iso = require(path.resolve(modules, "i18n-iso-countries"));
const load = (f) => JSON.parse(fs.readFileSync(path.join(modules, "world-atlas", f), "utf8"));
const version = JSON.parse(fs.readFileSync(path.join(modules, "world-atlas", "package.json"), "utf8")).version;

// Codes `i18n-iso-countries` does not know: Kosovo's user-assigned code, as briefing uses it.
const EXTRA = { Kosovo: "XK" };
const code = (f) => iso.numericToAlpha2(f.id) || EXTRA[f.properties.name] || "";
const round = (x) => Math.round(x * 100) / 100;

function polygons(geometry) {
  if (!geometry) return [];
  if (geometry.type === "Polygon") return [geometry.coordinates];
  if (geometry.type === "MultiPolygon") return geometry.coordinates;
  return [];
}

// Signed area and centroid of a ring, planar in degrees.
function ringStats(ring) {
  let a = 0, cx = 0, cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x0, y0] = ring[j], [x1, y1] = ring[i];
    const f = x0 * y1 - x1 * y0;
    a += f; cx += (x0 + x1) * f; cy += (y0 + y1) * f;
  }
  a /= 2;
  return a === 0 ? { a: 0, x: ring[0][0], y: ring[0][1] } : { a, x: cx / (6 * a), y: cy / (6 * a) };
}

function centroid(geometry) {
  let best = null;
  for (let poly of polygons(geometry)) {
    // A ring across the antimeridian (Russia's in the 1:50m file runs from -180 to 180):
    // move its western longitudes east by 360° so the ring is continuous.
    const xs = poly[0].map((p) => p[0]);
    if (Math.max(...xs) - Math.min(...xs) > 180) {
      poly = poly.map((ring) => ring.map(([x, y]) => [x < 0 ? x + 360 : x, y]));
    }
    // Outer ring minus holes.
    let a = 0, x = 0, y = 0;
    poly.forEach((ring, k) => {
      const s = ringStats(ring);
      const w = k === 0 ? Math.abs(s.a) : -Math.abs(s.a);
      a += w; x += s.x * w; y += s.y * w;
    });
    if (a > 0 && (!best || a > best.a)) best = { a, x: x / a, y: y / a };
  }
  // Back into -180..180 after the shift above.
  const lon = best ? ((best.x + 540) % 360) - 180 : 0;
  return best ? [round(lon), round(best.y)] : null;
}

const fine = topojson.feature(load("countries-50m.json"), load("countries-50m.json").objects.countries).features;
const coarse = topojson.feature(load("countries-110m.json"), load("countries-110m.json").objects.countries).features;

const byCode = new Map();
for (const f of coarse) {
  const c = code(f);
  const rings = [];
  for (const poly of polygons(f.geometry)) {
    for (const whole of poly) {
      // A ring cut at the antimeridian jumps between -180 and 180 (Fiji, Chukotka): draw
      // it twice, each time with the other side pressed flat onto the edge, so that no
      // edge runs across the whole map. Antarctica goes round the pole without a jump.
      const jumps = whole.some((p, i) => i > 0 && Math.abs(p[0] - whole[i - 1][0]) > 180);
      const parts = jumps
        ? [whole.map(([x, y]) => [x < 0 ? 180 : x, y]), whole.map(([x, y]) => [x > 0 ? -180 : x, y])]
        : [whole];
      for (const ring of parts) {
        const flat = [];
        for (const [lon, lat] of ring) {
          const x = round(lon), y = round(lat);
          const n = flat.length;
          if (n >= 2 && flat[n - 2] === x && flat[n - 1] === y) continue;
          flat.push(x, y);
        }
        // Three distinct points at least, and not pressed flat onto an edge.
        const lons = new Set(flat.filter((_, k) => k % 2 === 0));
        if (flat.length >= 8 && lons.size > 1) rings.push(flat);
      }
    }
  }
  const key = c || "~" + f.properties.name;
  byCode.set(key, { iso: c, name: f.properties.name, centroid: null, rings });
}
for (const f of fine) {
  const c = code(f);
  if (!c) continue;
  const entry = byCode.get(c) || { iso: c, name: f.properties.name, centroid: null, rings: [] };
  entry.centroid = centroid(f.geometry);
  byCode.set(c, entry);
}
const countries = [...byCode.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
const doc = {
  source: `Natural Earth 1:110m (shapes) and 1:50m (centroids), via world-atlas ${version}; public domain`,
  countries,
};
// One country a line: small diffs when regenerated.
const text = "{\"source\":" + JSON.stringify(doc.source) + ",\"countries\":[\n" +
  countries.map((c) => JSON.stringify(c)).join(",\n") + "\n]}\n";
fs.writeFileSync(out, text);
console.error(`wrote ${countries.length} countries to ${out}`);
