//! Small views shared by every page: links to entities, dates, countries, tags, sources
//! and the summary cards of listings.
//!
//! Takes published entities of the linked site; gives serialisable views (see [`super::view`])
//! whose URLs come from [`crate::routes`] joined to the plan's base URL. A card is made once
//! per build for the first [`super::CARD_CACHE_LIMIT`] entities and shared by every page
//! listing it.

use tera::Context;

use super::Renderer;
use super::view::*;
use crate::model::{CountryCode, Data, EntityId, PartialDate, Source, slugify};
use crate::routes;

impl Renderer<'_> {
    /// A link to an entity.
    pub fn ref_view(&self, id: EntityId) -> RefView {
        let e = self.site.get(id);
        RefView {
            kind: e.kind.as_str(),
            slug: e.slug.to_string(),
            title: e.common.title.clone(),
            url: self.url(&routes::entity(e.kind, e.slug.as_str())),
            short_name: match &e.data {
                Data::Group(g) => g.short_name.clone(),
                _ => None,
            },
        }
    }

    pub(super) fn refs(&self, ids: &[EntityId]) -> Vec<RefView> {
        ids.iter().map(|&id| self.ref_view(id)).collect()
    }

    /// A date at its precision.
    pub fn date_view(d: &PartialDate) -> DateView {
        DateView {
            iso: d.iso(),
            display: d.to_string(),
            precision: d.precision(),
            year: d.year(),
        }
    }

    pub(super) fn country_view(&self, code: CountryCode, count: usize) -> CountryView {
        CountryView {
            code: code.to_string(),
            name: code.name().to_string(),
            url: self.url(&routes::country(code)),
            count,
        }
    }

    pub(super) fn tag_view(&self, tag: &str, count: usize) -> Option<TagView> {
        let slug = slugify(tag)?;
        Some(TagView {
            name: tag.trim().to_string(),
            label: self.labels.word(tag),
            url: self.url(&routes::tag(&slug)),
            count,
        })
    }

    pub(super) fn source_view(s: &Source) -> SourceView {
        SourceView {
            title: s.title.clone(),
            publisher: s.publisher.clone(),
            url: s.url.clone(),
            date: s.date.as_ref().map(Self::date_view),
            reliability: s.reliability.map(|r| r.as_str().to_string()),
            reliability_label: s.reliability.map(|r| r.label()),
        }
    }

    /// A summary card for listings.
    pub fn card(&self, id: EntityId) -> CardView {
        let e = self.site.get(id);
        let mut card = CardView {
            kind: e.kind.as_str(),
            slug: e.slug.to_string(),
            title: e.common.title.clone(),
            url: self.url(&routes::entity(e.kind, e.slug.as_str())),
            summary: e.common.summary.clone(),
            lang: e.common.lang.clone(),
            dir: e.common.lang.as_deref().map(super::direction),
            date: e.date().map(Self::date_view),
            country: None,
            place: None,
            casualties: None,
            perpetrators: Vec::new(),
            speaker: None,
            stance: None,
            stance_label: None,
            verification: None,
            falsely_attributed: false,
            verification_label: None,
            incident: None,
            status: None,
            status_label: None,
        };
        let labels = &self.labels;
        match &e.data {
            Data::Incident(i) => {
                card.country = i
                    .location
                    .as_ref()
                    .and_then(|l| l.country)
                    .map(|c| self.country_view(c, 0));
                card.place = i.location.as_ref().and_then(|l| {
                    [&l.city, &l.place, &l.region]
                        .into_iter()
                        .find_map(|n| n.as_ref().filter(|n| !n.trim().is_empty()).cloned())
                });
                card.casualties = i.casualties.as_ref().map(casualties_view);
                card.perpetrators = self.refs(&i.perpetrators);
                card.status = Some(i.status.as_str());
                card.status_label = Some(labels.vocab(i.status.as_str(), i.status.label()));
            }
            Data::Statement(s) => {
                card.speaker = s.speaker.map(|id| self.ref_view(id));
                card.stance = Some(s.stance.as_str());
                card.stance_label = Some(labels.vocab(s.stance.as_str(), s.stance.label()));
                card.verification = s.verification.as_ref().map(|v| v.status.as_str());
                card.falsely_attributed = s.falsely_attributed();
                card.verification_label = s
                    .verification
                    .as_ref()
                    .map(|v| labels.vocab(v.status.as_str(), v.status.label()));
                card.incident = s.incident.map(|id| self.ref_view(id));
            }
            Data::Group(g) => {
                card.status = g.status.map(|s| s.as_str());
                card.status_label = g.status.map(|s| labels.vocab(s.as_str(), s.label()));
            }
            Data::Actor(a) => card.country = a.country.map(|c| self.country_view(c, 0)),
            Data::Page => {}
        }
        card
    }

    /// The shared card of an entity (see [`Card`]).
    pub fn shared_card(&self, id: EntityId) -> Card {
        match self.cards.get(id.index()) {
            Some(cell) => cell.get_or_init(|| Card(self.card_value(id, true))).clone(),
            // Made again for each page: rendering `html` would cost as much as the
            // template's own call, and be wasted where the template calls the component.
            None => Card(self.card_value(id, false)),
        }
    }

    /// The card of an entity as templates see it: the fields of [`CardView`] plus `html`,
    /// the theme's `card` component rendered once with its default arguments. Listings
    /// print `html` instead of calling the component for every page the entity is listed
    /// on, which took two fifths of the template time of a big site (issue 5). Without
    /// `with_html`, without a `card` component, or when it fails (the template's own call
    /// reports the error), there is no `html`.
    fn card_value(&self, id: EntityId, with_html: bool) -> tera::Value {
        let value = tera::Value::from_serializable(&self.card(id));
        let tera = &self.theme.tera;
        if !with_html || !tera.contains_component("card") {
            return value;
        }
        let html = {
            let mut ctx = Context::new();
            ctx.insert_value("item", value.clone());
            tera.render_component("card", &ctx, None, true)
        };
        let Ok(html) = html else {
            return value;
        };
        if !value.is_map() {
            return value;
        }
        // The context is gone, so the map is not shared any more and is not copied.
        let mut map = value.into_map().unwrap_or_default();
        map.insert("html".into(), tera::Value::safe_string(&html));
        tera::Value::from(map)
    }

    pub(super) fn cards(&self, ids: &[EntityId]) -> Vec<Card> {
        ids.iter().map(|&id| self.shared_card(id)).collect()
    }
}

pub(super) fn casualties_view(c: &crate::model::Casualties) -> CasualtiesView {
    CasualtiesView {
        killed: c.killed,
        injured: c.injured,
        note: c.note.clone(),
    }
}
