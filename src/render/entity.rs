//! Entity pages: an incident, group, actor, statement or page with its body rendered and
//! its references and backlinks as views.
//!
//! Takes a published entity of the linked site; gives its page's HTML. Invariants: the body
//! is read again from its file here, and only if it is still the text the load stage judged
//! (issue 9); references and backlinks name published entities only, because the link stage
//! never gave withheld ones an id.

use tera::Context;

use super::Renderer;
use super::cards::casualties_view;
use super::view::*;
use crate::cache::Key;
use crate::diag::{Diagnostic, Diagnostics};
use crate::link::{Backlinks, Entity};
use crate::markdown::render_markdown;
use crate::model::{
    ActorData, Data, EntityId, GroupData, IncidentData, Kind, Stance, StatementData,
};
use crate::routes;

impl Renderer<'_> {
    fn render_body(&self, e: &Entity, diags: &Diagnostics) -> crate::markdown::Rendered {
        let started = std::time::Instant::now();
        let rendered = self.read_and_render_body(e, diags);
        let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.stats
            .markdown_ns
            .fetch_add(nanos, std::sync::atomic::Ordering::Relaxed);
        self.keep_index_words(e.id, &rendered.html);
        rendered
    }

    pub(super) fn read_and_render_body(
        &self,
        e: &Entity,
        diags: &Diagnostics,
    ) -> crate::markdown::Rendered {
        let mut rendered = self.body_with(e, self.markdown, true);
        diags.extend(rendered.problems.drain(..).map(|d| d.in_file(&e.file)));
        rendered
    }

    /// The body of `e` rendered with `markdown`, from the cache when this build has one,
    /// with its problems (not yet placed in its file). `first`: whether this is the body's
    /// first render in this build (the cache counts those only).
    pub(super) fn body_with(
        &self,
        e: &Entity,
        markdown: crate::markdown::MarkdownOptions,
        first: bool,
    ) -> crate::markdown::Rendered {
        let page = routes::entity(e.kind, e.slug.as_str());
        let targets = super::targets::PageTargets {
            renderer: self,
            page: &page,
        };
        // Only the text the load stage judged may be published (issue 9): a cached body is
        // keyed by that text's fingerprint, and a body rendered now is read again and
        // checked against it.
        let render = |targets: &dyn crate::markdown::Targets| match crate::load::reread_body(
            &self.plan.root,
            &e.file,
            e.fingerprint,
            e.body_offset,
        ) {
            Ok(body) => render_markdown(&body, e.body_offset, markdown, targets),
            Err(d) => crate::markdown::Rendered {
                problems: vec![d],
                ..Default::default()
            },
        };
        let key = self.cache.and_then(|c| {
            Some((
                c,
                Key::of(
                    &e.fingerprint.to_bytes(),
                    markdown,
                    crate::markdown::origin_of(self.plan.base_url.as_str()),
                )?,
            ))
        });
        match key {
            Some((cache, key)) => {
                let published = |h| self.published_slug_hash(h);
                if first {
                    cache.body(key, &targets, &published, render)
                } else {
                    cache.body_again(key, &targets, &published, render)
                }
            }
            None => render(&targets),
        }
    }

    pub(super) fn render_markdown_body(
        &self,
        body: &str,
        offset: usize,
        file: &std::path::Path,
        page: &str,
        diags: &Diagnostics,
    ) -> crate::markdown::Rendered {
        let targets = super::targets::PageTargets {
            renderer: self,
            page,
        };
        let mut rendered = render_markdown(body, offset, self.markdown, &targets);
        diags.extend(rendered.problems.drain(..).map(|d| d.in_file(file)));
        rendered
    }

    fn common_view(&self, e: &Entity, diags: &Diagnostics) -> CommonView {
        let body = self.render_body(e, diags);
        CommonView {
            kind: e.kind.as_str(),
            kind_label: e.kind.label(),
            slug: e.slug.to_string(),
            title: e.common.title.clone(),
            url: self.url(&routes::entity(e.kind, e.slug.as_str())),
            summary: e.common.summary.clone().or_else(|| e.description.clone()),
            tags: e
                .common
                .tags
                .iter()
                .filter_map(|t| self.tag_view(t, 0))
                .collect(),
            sources: e.common.sources.iter().map(Self::source_view).collect(),
            tlp: e.common.tlp.as_str(),
            updated: e.common.updated.as_ref().map(Self::date_view),
            lang: e.common.lang.clone(),
            dir: e.common.lang.as_deref().map(super::direction),
            body_html: body.html,
            toc: body.toc,
            mentioned_in: self.refs(&self.site.links(e.id).mentioned_in),
            extra: e.common.extra.clone().unwrap_or(serde_json::Value::Null),
        }
    }

    /// The page of entity `id`, at site path `path`.
    pub(super) fn entity_page(
        &self,
        id: EntityId,
        path: &str,
        diags: &Diagnostics,
    ) -> Result<String, Diagnostic> {
        let e = self.site.get(id);
        let links = self.site.links(id);
        let common = self.common_view(e, diags);
        let mut ctx = Context::new();
        ctx.insert("meta", &self.page_meta(e));
        let template = match &e.data {
            Data::Incident(i) => {
                ctx.insert("entity", &self.incident_view(id, i, links, common));
                "incident.html"
            }
            Data::Group(g) => {
                ctx.insert("entity", &self.group_view(id, g, links, common));
                "group.html"
            }
            Data::Actor(a) => {
                ctx.insert("entity", &self.actor_view(id, a, links, common));
                "actor.html"
            }
            Data::Statement(s) => {
                ctx.insert("entity", &self.statement_view(e, s, common));
                "statement.html"
            }
            Data::Page => {
                ctx.insert("entity", &PageView { common });
                "page.html"
            }
        };
        let current = if e.kind == Kind::Page {
            "pages"
        } else {
            e.kind.dir()
        };
        self.render(template, current, path, ctx)
    }

    fn incident_view(
        &self,
        id: EntityId,
        i: &IncidentData<EntityId>,
        links: &Backlinks,
        common: CommonView,
    ) -> IncidentView {
        let statements = self.cards(&links.statements);
        let mut by_stance: Vec<StanceGroupView> = Stance::ALL
            .iter()
            .map(|&s| StanceGroupView {
                stance: s.as_str(),
                label: self.labels.vocab(s.as_str(), s.label()),
                items: Vec::new(),
            })
            .collect();
        for (&sid, card) in links.statements.iter().zip(&statements) {
            if let Data::Statement(s) = &self.site.get(sid).data {
                let idx = Stance::ALL.iter().position(|&x| x == s.stance).unwrap_or(0);
                by_stance[idx].items.push(card.clone());
            }
        }
        by_stance.retain(|g| !g.items.is_empty());
        let merged_sources = self.merged_sources(&links.sources);
        IncidentView {
            chronology: self.chronology(&i.date, &links.statements, &merged_sources),
            stance_lines: self.stance_lines(&links.stance_lines),
            merged_sources,
            common,
            date: Self::date_view(&i.date),
            end_date: i.end_date.as_ref().map(Self::date_view),
            location: i.location.as_ref().map(|l| LocationView {
                place: l.place.clone(),
                city: l.city.clone(),
                region: l.region.clone(),
                country: l.country.map(|c| self.country_view(c, 0)),
                coordinates: l.coordinates.map(|[lat, lon]| CoordinatesView { lat, lon }),
            }),
            casualties: i.casualties.as_ref().map(casualties_view),
            attack_types: i.attack_types.clone(),
            attack_type_labels: self.labels.words(&i.attack_types),
            targets: i.targets.clone(),
            target_labels: self.labels.words(&i.targets),
            perpetrators: self.refs(&i.perpetrators),
            status: i.status.as_str(),
            status_label: self.labels.vocab(i.status.as_str(), i.status.label()),
            statements,
            statements_by_stance: by_stance,
            claimed_by: self.refs(&links.claimed_by),
            related: self.cards(&links.related),
            locator: self.timed_picture(|| self.incident_locator(id)),
            statements_chart: self.timed_picture(|| self.statements_chart(i, links)),
        }
    }

    fn group_view(
        &self,
        id: EntityId,
        g: &GroupData<EntityId>,
        links: &Backlinks,
        common: CommonView,
    ) -> GroupView {
        let name = g.short_name.clone().unwrap_or_else(|| common.title.clone());
        GroupView {
            common,
            short_name: g.short_name.clone(),
            aliases: g.aliases.clone(),
            parent: g.parent.map(|p| self.ref_view(p)),
            founded: g.founded.as_ref().map(Self::date_view),
            regions: g.regions.iter().map(|&c| self.country_view(c, 0)).collect(),
            ideology: g.ideology.clone(),
            ideology_labels: self.labels.words(&g.ideology),
            status: g.status.map(|s| s.as_str()),
            status_label: g.status.map(|s| self.labels.vocab(s.as_str(), s.label())),
            incidents: self.cards(&links.incidents),
            statements_by: self.cards(&links.statements_by),
            falsely_attributed: self.cards(&links.falsely_attributed),
            statements_about: self.cards(&links.statements_about),
            children: self.refs(&links.children),
            activity_chart: self.timed_picture(|| self.group_chart(&name, links)),
            merged_sources: self.merged_sources(&links.sources),
            relations: self.relation_views(id, false),
            graph: self.neighbourhood_view(id),
            graph_url: self.url(routes::GROUP_GRAPH),
        }
    }

    fn actor_view(
        &self,
        id: EntityId,
        a: &ActorData<EntityId>,
        links: &Backlinks,
        common: CommonView,
    ) -> ActorView {
        ActorView {
            common,
            actor_kind: a.kind.as_str(),
            actor_kind_label: self.labels.vocab(a.kind.as_str(), a.kind.label()),
            country: a.country.map(|c| self.country_view(c, 0)),
            role: a.role.clone(),
            affiliation: a.affiliation.map(|p| self.ref_view(p)),
            statements_by: self.cards(&links.statements_by),
            falsely_attributed: self.cards(&links.falsely_attributed),
            statements_about: self.cards(&links.statements_about),
            affiliated: self.refs(&links.affiliated),
            relations: self.relation_views(id, false),
        }
    }

    fn statement_view(
        &self,
        e: &Entity,
        s: &StatementData<EntityId>,
        common: CommonView,
    ) -> StatementView {
        // The source it was reported in is not repeated among the others (issue 12).
        let reported = s.source.as_ref();
        let same = |o: &crate::model::Source| {
            reported.is_some_and(|r| match (&r.url, &o.url) {
                (Some(a), Some(b)) => a.trim_end_matches('/') == b.trim_end_matches('/'),
                (None, None) => r.title == o.title && r.publisher == o.publisher,
                _ => false,
            })
        };
        let other_sources = (e.common.sources.iter())
            .filter(|o| !same(o))
            .map(Self::source_view)
            .collect();
        StatementView {
            other_sources,
            falsely_attributed: s.falsely_attributed(),
            common,
            date: Self::date_view(&s.date),
            speaker: s.speaker.map(|p| self.ref_view(p)),
            via: s.via.map(|p| self.ref_view(p)),
            incident: s.incident.map(|p| self.ref_view(p)),
            about: self.refs(&s.about),
            stance: s.stance.as_str(),
            stance_label: self.labels.vocab(s.stance.as_str(), s.stance.label()),
            quote: s.quote.clone(),
            verification: s.verification.as_ref().map(|v| VerificationView {
                status: v.status.as_str(),
                label: self.labels.vocab(v.status.as_str(), v.status.label()),
                note: v.note.clone(),
            }),
            source: s.source.as_ref().map(Self::source_view),
        }
    }
}
