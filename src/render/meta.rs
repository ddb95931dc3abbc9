//! Machine-readable metadata of entity pages (issue 12): schema.org JSON-LD and the values
//! of OpenGraph and Twitter card tags.
//!
//! Takes a published entity; gives a [`PageMetaView`] that `base.html` prints in `<head>`.
//! Invariants: the JSON-LD is escaped so that no content can end the `<script>` element
//! (`<`, `>` and `&` are written as `\u003c`, `\u003e`, `\u0026`, which JSON reads back as
//! the same characters); it names published entities only (the link stage gave withheld
//! ones no id); a statement assessed false or fabricated is never presented as its
//! speaker's quotation: it has no `creator` or `spokesperson`, and a `ClaimReview` with
//! the assessment says whom it is falsely attributed to.

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::Renderer;
use crate::link::Entity;
use crate::model::{ActorKind, Data, EntityId, Kind};
use crate::routes;

/// What `base.html` puts in `<head>` for an entity page, as `meta`.
#[derive(Debug, Clone, Serialize)]
pub(super) struct PageMetaView {
    /// `og:title` and `twitter:title`; flagged for a falsely attributed statement.
    pub title: String,
    /// `og:description` and `twitter:description`.
    pub description: String,
    /// `og:type`: `article`, or `profile` for a person.
    pub og_type: &'static str,
    /// The JSON-LD object, already serialised and escaped for a `<script>` element.
    pub json_ld: String,
}

/// `value` as JSON that cannot end a `<script>` element or open a comment in it.
pub(super) fn script_safe_json(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "{}".to_string());
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

impl Renderer<'_> {
    fn entity_url(&self, id: EntityId) -> String {
        let e = self.site.get(id);
        self.url(&routes::entity(e.kind, e.slug.as_str()))
    }

    /// A short schema.org node naming an entity: its type, name and URL.
    fn node(&self, id: EntityId) -> Value {
        let e = self.site.get(id);
        json!({
            "@type": schema_type(e),
            "name": e.common.title,
            "url": self.entity_url(id),
        })
    }

    /// The metadata of entity `e`'s page.
    pub(super) fn page_meta(&self, e: &Entity) -> PageMetaView {
        let url = self.entity_url(e.id);
        let summary = e.common.summary.clone().or_else(|| e.description.clone());
        let mut ld = Map::new();
        ld.insert("@context".into(), json!("https://schema.org"));
        ld.insert("@type".into(), json!(schema_type(e)));
        ld.insert("@id".into(), json!(url));
        ld.insert("url".into(), json!(url));
        ld.insert("name".into(), json!(e.common.title));
        if let Some(s) = &summary {
            ld.insert("description".into(), json!(s));
        }
        if !e.common.tags.is_empty() {
            ld.insert("keywords".into(), json!(e.common.tags.join(", ")));
        }
        if let Some(u) = &e.common.updated {
            ld.insert("dateModified".into(), json!(u.iso()));
        }
        let mut title = e.common.title.clone();
        let mut description = summary.unwrap_or_else(|| self.site_view.description.clone());
        match &e.data {
            Data::Incident(i) => {
                ld.insert("startDate".into(), json!(i.date.iso()));
                if let Some(end) = &i.end_date {
                    ld.insert("endDate".into(), json!(end.iso()));
                }
                if let Some(l) = &i.location {
                    let mut place = Map::new();
                    place.insert("@type".into(), json!("Place"));
                    let names: Vec<&str> = [&l.place, &l.city]
                        .into_iter()
                        .filter_map(|n| n.as_deref())
                        .collect();
                    if !names.is_empty() {
                        place.insert("name".into(), json!(names.join(", ")));
                    }
                    let mut address = Map::new();
                    address.insert("@type".into(), json!("PostalAddress"));
                    for (key, value) in [
                        ("addressLocality", l.city.as_deref()),
                        ("addressRegion", l.region.as_deref()),
                        ("addressCountry", l.country.map(|c| c.as_str())),
                    ] {
                        if let Some(v) = value {
                            address.insert(key.into(), json!(v));
                        }
                    }
                    place.insert("address".into(), Value::Object(address));
                    if let Some([lat, lon]) = l.coordinates {
                        place.insert(
                            "geo".into(),
                            json!({"@type": "GeoCoordinates", "latitude": lat, "longitude": lon}),
                        );
                    }
                    ld.insert("location".into(), Value::Object(place));
                }
                if !i.perpetrators.is_empty() {
                    let p: Vec<Value> = i.perpetrators.iter().map(|&p| self.node(p)).collect();
                    ld.insert("organizer".into(), json!(p));
                }
            }
            Data::Group(g) => {
                let alt: Vec<&String> = g.short_name.iter().chain(&g.aliases).collect();
                if !alt.is_empty() {
                    ld.insert("alternateName".into(), json!(alt));
                }
                if let Some(f) = &g.founded {
                    ld.insert("foundingDate".into(), json!(f.iso()));
                }
                if let Some(p) = g.parent {
                    ld.insert("parentOrganization".into(), self.node(p));
                }
                let areas: Vec<Value> = (g.regions.iter())
                    .map(|c| json!({"@type": "Country", "name": c.name()}))
                    .collect();
                if !areas.is_empty() {
                    ld.insert("areaServed".into(), json!(areas));
                }
            }
            Data::Actor(a) => {
                if let Some(role) = &a.role {
                    let key = if a.kind == ActorKind::Person {
                        "jobTitle"
                    } else {
                        "disambiguatingDescription"
                    };
                    ld.insert(key.into(), json!(role));
                }
                if let Some(p) = a.affiliation {
                    let key = if a.kind == ActorKind::Person {
                        "affiliation"
                    } else {
                        "parentOrganization"
                    };
                    ld.insert(key.into(), self.node(p));
                }
            }
            Data::Statement(s) => {
                ld.insert("dateCreated".into(), json!(s.date.iso()));
                if let Some(q) = &s.quote {
                    ld.insert("text".into(), json!(q));
                }
                if let Some(i) = s.incident {
                    ld.insert("about".into(), self.node(i));
                }
                if let Some(src) = s.source.as_ref().and_then(|s| s.url.as_ref()) {
                    ld.insert("citation".into(), json!(src));
                }
                let speaker = s.speaker.map(|p| self.site.get(p).common.title.clone());
                if s.falsely_attributed() {
                    // Never the speaker's quotation: no creator, a review that says so.
                    let label = s
                        .verification
                        .as_ref()
                        .map_or("False", |v| v.status.label());
                    let whom = speaker.as_deref().unwrap_or("its speaker");
                    title = format!("[{label}] Falsely attributed to {whom}: {title}");
                    description =
                        format!("{label} statement, falsely attributed to {whom}. {description}");
                    ld.insert(
                        "review".into(),
                        json!({
                            "@type": "ClaimReview",
                            "claimReviewed": format!("That {whom} said this"),
                            "reviewRating": {"@type": "Rating", "alternateName": label},
                            "author": {"@type": "Organization", "name": self.site_view.title},
                        }),
                    );
                } else {
                    if let Some(p) = s.speaker {
                        ld.insert("creator".into(), self.node(p));
                    }
                    if let Some(v) = &s.verification {
                        ld.insert(
                            "review".into(),
                            json!({
                                "@type": "ClaimReview",
                                "reviewRating": {"@type": "Rating", "alternateName": v.status.label()},
                                "author": {"@type": "Organization", "name": self.site_view.title},
                            }),
                        );
                    }
                }
            }
            Data::Page => {}
        }
        PageMetaView {
            title,
            description,
            og_type: match &e.data {
                Data::Actor(a) if a.kind == ActorKind::Person => "profile",
                _ => "article",
            },
            json_ld: script_safe_json(&Value::Object(ld)),
        }
    }
}

/// The schema.org type of an entity's page.
fn schema_type(e: &Entity) -> &'static str {
    match (&e.data, e.kind) {
        (Data::Incident(_), _) => "Event",
        (Data::Group(_), _) => "Organization",
        (Data::Statement(_), _) => "Quotation",
        (Data::Actor(a), _) => match a.kind {
            ActorKind::Person => "Person",
            ActorKind::State => "Country",
            ActorKind::Agency => "GovernmentOrganization",
            ActorKind::Media => "NewsMediaOrganization",
            ActorKind::Organisation => "Organization",
        },
        (Data::Page, Kind::Page) | (Data::Page, _) => "WebPage",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_for_a_script_element_cannot_close_it() {
        let v = json!({"name": "</script><script>alert(1)</script> & <!--"});
        let s = script_safe_json(&v);
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
