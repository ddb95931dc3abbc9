//! `data/incidents.geojson`: an RFC 7946 FeatureCollection with one Point Feature per
//! incident that has coordinates, newest first.
//!
//! Content writes coordinates as `[lat, lon]`; GeoJSON positions are `[lon, lat]` (RFC 7946
//! section 3.1.1), so they are swapped here, in one place. Incidents without coordinates
//! are left out: a Feature with a null geometry is valid but many map libraries reject it.

use std::io::{self, Write};

use serde::Serialize;

use super::Exports;
use crate::model::{CountryCode, Data, Kind};

#[derive(Serialize)]
struct Collection<'a> {
    r#type: &'static str,
    features: Vec<Feature<'a>>,
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

/// `data/incidents.geojson`, streamed to `w`.
pub fn write_incidents(x: &Exports, w: &mut dyn Write) -> io::Result<()> {
    let mut features = Vec::new();
    for e in x.listed(Kind::Incident) {
        let Data::Incident(i) = &e.data else { continue };
        let Some(loc) = &i.location else { continue };
        let Some([lat, lon]) = loc.coordinates else {
            continue;
        };
        let cas = i.casualties.as_ref();
        features.push(Feature {
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
        });
    }
    let out = Collection {
        r#type: "FeatureCollection",
        features,
    };
    serde_json::to_writer_pretty(w, &out).map_err(io::Error::other)
}
