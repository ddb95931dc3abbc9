//! Maps of incidents: the world map of `/map/` and the locator maps of incident and country
//! pages, drawn by [`crate::draw`] from the published incidents' places.
//!
//! Invariants: only published incidents are seen (the link stage never gave withheld ones
//! an id), so no withheld incident gives a pin, a cluster or a count; an incident without
//! coordinates stands at its country's centroid, marked approximate; one without either is
//! left off the map and counted in the caption.

use tera::Context;

use super::Renderer;
use super::view::*;
use crate::diag::Diagnostic;
use crate::draw::{self, Locator, Pin};
use crate::link::Entity;
use crate::model::country::country_name;
use crate::model::{CountryCode, Data, EntityId, IncidentData, Kind};
use crate::routes;

/// Up to this many incidents, a country page's map has a table of them; beyond, the
/// listing and the world map's table stand in.
const COUNTRY_TABLE_LIMIT: usize = 100;

/// `55.83° N, 37.39° E`.
fn lat_lon(lat: f64, lon: f64) -> String {
    format!(
        "{:.2}° {}, {:.2}° {}",
        lat.abs(),
        if lat >= 0.0 { "N" } else { "S" },
        lon.abs(),
        if lon >= 0.0 { "E" } else { "W" }
    )
}

fn incident_of(e: &Entity) -> Option<&IncidentData<EntityId>> {
    match &e.data {
        Data::Incident(i) => Some(i),
        _ => None,
    }
}

/// Killed plus injured, in words: `139 killed, 182 injured`.
fn casualties_text(i: &IncidentData<EntityId>) -> String {
    let Some(c) = &i.casualties else {
        return String::new();
    };
    let mut parts = Vec::new();
    if let Some(k) = c.killed {
        parts.push(format!("{k} killed"));
    }
    if let Some(n) = c.injured {
        parts.push(format!("{n} injured"));
    }
    parts.join(", ")
}

impl Renderer<'_> {
    /// Where an incident goes on a map: its coordinates, or its country's centroid
    /// (approximate); none without either.
    pub(super) fn pin_of(&self, id: EntityId) -> Option<Pin> {
        let e = self.site.get(id);
        let i = incident_of(e)?;
        let loc = i.location.as_ref()?;
        let (lat, lon, approximate) = match (loc.coordinates, loc.country.map(|c| c.as_str())) {
            (Some([lat, lon]), _) if lat.is_finite() && lon.is_finite() => (lat, lon, false),
            (_, Some(code)) => {
                let (lat, lon) = draw::country_centroid(code)?;
                (lat, lon, true)
            }
            _ => return None,
        };
        let killed_injured = i.casualties.as_ref().map_or(0, |c| {
            c.killed.unwrap_or(0).saturating_add(c.injured.unwrap_or(0))
        });
        let casualties = casualties_text(i);
        let mut label = format!("{} ({}", e.common.title, i.date);
        if !casualties.is_empty() {
            label.push_str(", ");
            label.push_str(&casualties);
        }
        label.push(')');
        Some(Pin {
            lat,
            lon,
            url: self.url(&routes::entity(e.kind, e.slug.as_str())),
            label,
            weight: killed_injured,
            approximate,
        })
    }

    /// Where a pin stands, in words.
    fn position_text(&self, id: EntityId, pin: &Pin) -> String {
        if pin.approximate {
            let code = incident_of(self.site.get(id))
                .and_then(|i| i.location.as_ref())
                .and_then(|l| l.country.map(|c| c.as_str()))
                .unwrap_or("");
            format!(
                "approximate: centre of {}",
                country_name(code).unwrap_or(code)
            )
        } else {
            lat_lon(pin.lat, pin.lon)
        }
    }

    /// The place of an incident in words: `Crocus City Hall, Krasnogorsk, Russia`.
    fn place_text(&self, id: EntityId) -> String {
        let Some(loc) = incident_of(self.site.get(id)).and_then(|i| i.location.as_ref()) else {
            return String::new();
        };
        let country = loc
            .country
            .map(|c| c.as_str())
            .map(|c| country_name(c).unwrap_or(c));
        [
            loc.place.as_deref(),
            loc.city.as_deref(),
            loc.region.as_deref(),
            country,
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
    }

    /// `/map/`: every published incident with a place.
    pub(super) fn map_page(&self, path: &str) -> Result<String, Diagnostic> {
        let ctx = self.timed_picture(|| self.map_context());
        self.render("map.html", "map", path, ctx)
    }

    fn map_context(&self) -> Context {
        let incidents = self
            .site
            .listings
            .get(&Kind::Incident)
            .map_or(&[][..], |v| v);
        let (mut ids, mut pins) = (Vec::new(), Vec::new());
        for &id in incidents {
            if let Some(p) = self.pin_of(id) {
                ids.push(id);
                pins.push(p);
            }
        }
        let approximate = pins.iter().filter(|p| p.approximate).count();
        let unplaced = incidents.len() - pins.len();
        let layout = draw::world_map(&pins, "World map of the incidents");
        let mut caption = format!(
            "{} incident{} on the map",
            pins.len(),
            if pins.len() == 1 { "" } else { "s" }
        );
        if approximate > 0 {
            caption.push_str(&format!(
                "; {approximate} without coordinates placed approximately, at the centre of their country"
            ));
        }
        if unplaced > 0 {
            caption.push_str(&format!("; {unplaced} without a known place not shown"));
        }
        caption.push('.');
        let mut legend = vec![LegendView {
            class: "pin".into(),
            label: "Incident at its coordinates (larger: more killed and injured)".into(),
        }];
        if approximate > 0 {
            legend.push(LegendView {
                class: "pin approximate".into(),
                label: "Incident placed approximately, at its country's centre".into(),
            });
        }
        let (columns, rows) = if layout.clusters.is_empty() {
            let rows = layout
                .single
                .iter()
                .map(|&k| self.pin_row(ids[k], &pins[k]))
                .collect();
            (
                vec!["Incident", "Date", "Place", "Casualties", "Position"],
                rows,
            )
        } else {
            legend.push(LegendView {
                class: "cluster".into(),
                label: "Several incidents close together: the number links to their row below"
                    .into(),
            });
            (
                vec!["Area", "Incidents", "Count"],
                self.cluster_rows(&ids, &pins, &layout),
            )
        };
        let figure = FigureView {
            svg_html: layout.svg,
            caption,
            columns: columns.into_iter().map(String::from).collect(),
            rows,
            note: None,
            legend,
        };
        let mut ctx = Context::new();
        ctx.insert("map", &figure);
        ctx.insert("placed", &pins.len());
        ctx.insert("approximate", &approximate);
        ctx.insert("unplaced", &unplaced);
        ctx
    }

    fn pin_row(&self, id: EntityId, pin: &Pin) -> FigureRowView {
        let e = self.site.get(id);
        let i = incident_of(e);
        FigureRowView {
            id: None,
            cells: vec![
                CellView::link(e.common.title.clone(), pin.url.clone()),
                CellView::text(i.map(|i| i.date.to_string()).unwrap_or_default()),
                CellView::text(self.place_text(id)),
                CellView::text(i.map(casualties_text).unwrap_or_default()),
                CellView::text(self.position_text(id, pin)),
            ],
        }
    }

    /// The table of a clustered map: per area, its single incidents by name and its
    /// clusters by country with counts, in the order of the areas.
    fn cluster_rows(
        &self,
        ids: &[EntityId],
        pins: &[Pin],
        layout: &draw::MapLayout,
    ) -> Vec<FigureRowView> {
        let mut rows = Vec::new();
        let area = |members: &[usize]| {
            let n = members.len() as f64;
            let lat = members.iter().map(|&k| pins[k].lat).sum::<f64>() / n;
            let lon = members.iter().map(|&k| pins[k].lon).sum::<f64>() / n;
            format!("Near {}", lat_lon(lat, lon))
        };
        for c in &layout.clusters {
            let mut by_country: std::collections::BTreeMap<&str, usize> = Default::default();
            for &k in &c.members {
                let code = incident_of(self.site.get(ids[k]))
                    .and_then(|i| i.location.as_ref())
                    .and_then(|l| l.country.map(|c| c.as_str()))
                    .unwrap_or("");
                *by_country.entry(code).or_default() += 1;
            }
            let where_ = area(&c.members);
            for (n, (code, count)) in by_country.into_iter().enumerate() {
                let country = if code.is_empty() {
                    CellView::text("Country not given")
                } else if let Some(cc) = CountryCode::parse(code) {
                    let v = self.country_view(cc, 0);
                    CellView::link(format!("{} (see the country's page)", v.name), v.url)
                } else {
                    CellView::text(code)
                };
                rows.push(FigureRowView {
                    id: (n == 0).then(|| c.id.clone()),
                    cells: vec![
                        CellView::text(where_.clone()),
                        country,
                        CellView::text(count.to_string()),
                    ],
                });
            }
        }
        for &k in &layout.single {
            rows.push(FigureRowView {
                id: None,
                cells: vec![
                    CellView::text(area(&[k])),
                    CellView::link(
                        self.site.get(ids[k]).common.title.clone(),
                        pins[k].url.clone(),
                    ),
                    CellView::text("1"),
                ],
            });
        }
        rows
    }

    /// The locator map of an incident page.
    pub(super) fn incident_locator(&self, id: EntityId) -> Option<FigureView> {
        let pin = self.pin_of(id)?;
        let e = self.site.get(id);
        let code = incident_of(e)
            .and_then(|i| i.location.as_ref())
            .and_then(|l| l.country.map(|c| c.as_str()));
        let place = self.place_text(id);
        let caption = if pin.approximate {
            format!(
                "Approximate location: no coordinates are given, so the pin stands at the centre of {}.",
                country_name(code.unwrap_or("")).unwrap_or("its country")
            )
        } else if place.is_empty() {
            format!("Location of the incident ({}).", lat_lon(pin.lat, pin.lon))
        } else {
            format!(
                "Location of the incident: {place} ({}).",
                lat_lon(pin.lat, pin.lon)
            )
        };
        let svg = draw::locator_map(Locator {
            pins: std::slice::from_ref(&pin),
            country: code,
            whole_country: false,
            label: &caption,
        })?;
        Some(FigureView {
            svg_html: svg,
            caption,
            columns: Vec::new(),
            rows: Vec::new(),
            note: None,
            legend: Vec::new(),
        })
    }

    /// The locator map of a country page: the country and its incidents.
    pub(super) fn country_locator(&self, code: &str, ids: &[EntityId]) -> Option<FigureView> {
        // Newest first, as in the listings.
        let mut ids = ids.to_vec();
        ids.sort_by_cached_key(|&id| {
            let e = self.site.get(id);
            (std::cmp::Reverse(e.date().copied()), e.slug.as_str())
        });
        let (mut placed, mut pins) = (Vec::new(), Vec::new());
        for id in ids {
            let in_country = incident_of(self.site.get(id))
                .and_then(|i| i.location.as_ref())
                .is_some_and(|l| l.country.map(|c| c.as_str()) == Some(code));
            if let Some(p) = in_country.then(|| self.pin_of(id)).flatten() {
                placed.push(id);
                pins.push(p);
            }
        }
        let name = country_name(code).unwrap_or(code);
        let approximate = pins.iter().filter(|p| p.approximate).count();
        let mut caption = format!(
            "{name} and its {} incident{} with a place",
            pins.len(),
            if pins.len() == 1 { "" } else { "s" }
        );
        if approximate > 0 {
            caption.push_str(&format!(
                " ({approximate} placed approximately, at the country's centre)"
            ));
        }
        caption.push('.');
        let svg = draw::locator_map(Locator {
            pins: &pins,
            country: Some(code),
            whole_country: true,
            label: &caption,
        })?;
        let (columns, rows, note) = if pins.len() <= COUNTRY_TABLE_LIMIT {
            let rows = placed
                .iter()
                .zip(&pins)
                .map(|(&id, p)| self.pin_row(id, p))
                .collect();
            (
                ["Incident", "Date", "Place", "Casualties", "Position"]
                    .map(String::from)
                    .to_vec(),
                rows,
                None,
            )
        } else {
            (
                Vec::new(),
                Vec::new(),
                Some("The incidents are listed below and in the table of the world map.".into()),
            )
        };
        let mut legend = vec![LegendView {
            class: "pin".into(),
            label: "Incident at its coordinates".into(),
        }];
        if approximate > 0 {
            legend.push(LegendView {
                class: "pin approximate".into(),
                label: "Placed approximately, at the country's centre".into(),
            });
        }
        Some(FigureView {
            svg_html: svg,
            caption,
            columns,
            rows,
            note,
            legend,
        })
    }
}
