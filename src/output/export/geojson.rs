//! `data/incidents.geojson`: an RFC 7946 FeatureCollection with one Point Feature per
//! incident that has coordinates, newest first.
//!
//! Content writes coordinates as `[lat, lon]`; GeoJSON positions are `[lon, lat]` (RFC 7946
//! section 3.1.1), so they are swapped here, in one place. Incidents without coordinates
//! are left out: a Feature with a null geometry is valid but many map libraries reject it.

use std::io::{self, Write};

use serde::Serialize;

use super::Exports;
use super::pieces::{self, Document, Part, PieceSource};
use crate::link::Entity;
use crate::model::{CountryCode, Data, EntityId, Kind};

/// The fields of the collection before its features.
#[derive(Serialize)]
struct Head {
    r#type: &'static str,
}

#[derive(Serialize)]
struct Feature<'a> {
    r#type: &'static str,
    id: &'a str,
    geometry: Point,
    properties: Properties<'a>,
}

#[derive(Serialize)]
struct Point {
    r#type: &'static str,
    /// `[longitude, latitude]`.
    coordinates: [f64; 2],
}

#[derive(Serialize)]
struct Properties<'a> {
    title: &'a str,
    /// The date at the precision given: `2024`, `2024-03`, `2024-03-22` or a date-time.
    date: String,
    /// `year`, `month`, `day` or `time`.
    date_precision: &'static str,
    end_date: Option<String>,
    url: String,
    killed: Option<u64>,
    injured: Option<u64>,
    casualties_note: Option<&'a str>,
    perpetrators: Vec<&'a str>,
    perpetrator_slugs: Vec<&'a str>,
    status: &'static str,
    country: Option<CountryCode>,
    city: Option<&'a str>,
    place: Option<&'a str>,
}

/// The feature of entity `e` in `data/incidents.geojson`, as an element of `features`:
/// empty unless it is an incident with coordinates.
pub(super) fn feature(x: &Exports, e: &Entity) -> Vec<u8> {
    let Data::Incident(i) = &e.data else {
        return Vec::new();
    };
    let Some(loc) = &i.location else {
        return Vec::new();
    };
    let Some([lat, lon]) = loc.coordinates else {
        return Vec::new();
    };
    let cas = i.casualties.as_ref();
    let feature = Feature {
        r#type: "Feature",
        id: e.slug.as_str(),
        geometry: Point {
            r#type: "Point",
            coordinates: [lon, lat],
        },
        properties: Properties {
            title: &e.common.title,
            date: i.date.iso(),
            date_precision: i.date.precision(),
            end_date: i.end_date.map(|d| d.iso()),
            url: x.page_url(e),
            killed: cas.and_then(|c| c.killed),
            injured: cas.and_then(|c| c.injured),
            casualties_note: cas.and_then(|c| c.note.as_deref()),
            perpetrators: i
                .perpetrators
                .iter()
                .map(|&p| x.get(p).common.title.as_str())
                .collect(),
            perpetrator_slugs: i.perpetrators.iter().map(|&p| x.slug(p)).collect(),
            status: i.status.as_str(),
            country: loc.country,
            city: loc.city.as_deref(),
            place: loc.place.as_deref(),
        },
    };
    pieces::element(Vec::new(), &feature)
}

/// `data/incidents.geojson`, streamed to `w`.
pub fn write_incidents(x: &Exports, source: PieceSource, w: &mut dyn Write) -> io::Result<()> {
    let ids: Vec<EntityId> = x.listed(Kind::Incident).map(|e| e.id).collect();
    let head = Head {
        r#type: "FeatureCollection",
    };
    let mut doc = Document::open(w, &head)?;
    doc.array("features")?;
    source.each(x, Part::Feature, &ids, &mut |p| doc.piece(p))?;
    doc.end_array()?;
    doc.close()
}
