//! The fast path of the commonest edit: only the body of content files changed.
//!
//! When every changed path is a known content file whose frontmatter parses to exactly
//! what it did (same fields, same body offset, same wikilink targets), the linked site is
//! the last good one but for those files' fingerprints (and wikilink spans): it is updated
//! in place instead of loading, linking and comparing the whole site again, and only the
//! pages showing those bodies are rendered (the entity's page; the home page for
//! `content/_index.md`), and the search index, which holds every body's words. Feeds with
//! whole bodies, a file with diagnostics, or anything else
//! takes the general path.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use super::folder::{Pending, digest};
use super::{Cached, Engine, Outcome, fail, write_error};
use crate::config::FeedContent;
use crate::diag::Diagnostics;
use crate::load::{CONTENT_DIR, Document, INTRO_FILE, load_file};
use crate::markdown::WikiLink;
use crate::output::{OutputContext, search};
use crate::plan::Plan;
use crate::render::Renderer;
use crate::routes::{Page, Routes, Timeline};

/// A document's frontmatter as the link stage reads it: everything but the fingerprint and
/// the positions of its wikilinks.
fn frontmatter(d: &Document) -> String {
    let links: Vec<_> = d.wikilinks.iter().map(targets).collect();
    format!(
        "{:?}",
        (
            d.kind,
            &d.slug,
            &d.slug_span,
            &d.file,
            &d.common,
            &d.data,
            &d.description,
            d.body_offset,
            links
        )
    )
}

fn targets(w: &WikiLink) -> (&str, Option<&str>, Option<&str>) {
    (&w.target, w.fragment.as_deref(), w.text.as_deref())
}

impl Engine {
    /// Rebuild after body-only changes, if `changes` are that; `None` otherwise (nothing
    /// was changed then but the load cache).
    pub(super) fn body_only(
        &mut self,
        changes: &super::Changes,
        plan: &Plan,
        settings: u64,
        diags: &mut Diagnostics,
        ready: &mut dyn FnMut(&Outcome, &str),
    ) -> Option<Outcome> {
        let started = Instant::now();
        let super::Changes::Paths(paths) = changes else {
            return None;
        };
        let good = self.good.as_ref()?;
        let theme = self.templates.as_ref()?.theme.as_ref()?;
        if good.snapshot.settings() != settings
            || plan.config.build.feed_content == FeedContent::Full
            || diags.has_errors()
        {
            return None;
        }
        let root = &self.options.root;
        let intro_file = PathBuf::from(CONTENT_DIR).join(INTRO_FILE);
        // Which of linking's diagnostics are about which file, once per linked site.
        if let Some(good) = self.good.as_mut().filter(|g| g.link_files.is_none()) {
            let mut by_file: HashMap<PathBuf, Vec<usize>> = HashMap::new();
            for (i, d) in good.link_diags.iter().enumerate() {
                if let Some(file) = &d.file {
                    by_file.entry(file.clone()).or_default().push(i);
                }
            }
            good.link_files = Some(by_file);
        }
        let good = self.good.as_ref()?;
        let by_file = good.link_files.as_ref()?;
        let mut fresh = Vec::new();
        for path in paths {
            let old = self.docs.get(path)?;
            let (Some(old_doc), true) = (&old.doc, old.diags.is_empty()) else {
                return None;
            };
            // What linking said about this file stays true, but for positions in the body.
            let in_body = |&i: &usize| {
                let d: &crate::diag::Diagnostic = &good.link_diags[i];
                d.line.is_some() || d.span.is_some_and(|s| s.offset >= old_doc.body_offset)
            };
            let linked = by_file.get(path).map_or(&[][..], Vec::as_slice);
            if !path.starts_with(CONTENT_DIR) || linked.iter().any(in_body) {
                return None;
            }
            let found = Diagnostics::new();
            let doc = load_file(root, path, old.kind, &found);
            let doc = doc?;
            if !found.into_vec().is_empty() || frontmatter(&doc) != frontmatter(old_doc) {
                return None;
            }
            fresh.push((path.clone(), old.kind, doc));
        }

        // The same site but for these bodies: update it in place.
        let good = self.good.as_mut()?;
        let mut pages = Vec::new();
        for (path, _, doc) in &fresh {
            if *path == intro_file {
                if let Some(intro) = good.site.intro.as_mut() {
                    intro.fingerprint = doc.fingerprint;
                    intro.body_offset = doc.body_offset;
                    pages.push(Page::Home);
                }
                continue;
            }
            // A withheld document has no entity and no page.
            let id = match good.site.by_slug.get(&doc.slug) {
                Some(&id) if good.site.get(id).file == *path => Some(id),
                // Not published, or another file has the slug: look the file up.
                _ => good
                    .site
                    .entities
                    .iter()
                    .find(|e| e.file == *path)
                    .map(|e| e.id),
            };
            if let Some(e) = id.map(|id| &mut good.site.entities[id.index()]) {
                e.fingerprint = doc.fingerprint;
                e.body_offset = doc.body_offset;
                e.wikilinks = doc.wikilinks.clone();
                pages.push(Page::Entity(e.id));
            }
        }
        for e in pages.iter().filter_map(|p| match p {
            Page::Entity(id) => Some(&good.site.entities[id.index()]),
            _ => None,
        }) {
            good.snapshot.set_body(e.id.index(), e);
        }
        good.snapshot.set_intro(&good.site);
        for (path, kind, doc) in fresh {
            let cached = Cached {
                kind,
                doc: Some(doc),
                diags: Vec::new(),
            };
            self.docs.insert(path, cached);
        }

        // Diagnostics as a whole build reports them: those of walking, loading, linking
        // and the templates are the last good build's (these files had none and have
        // none), finished once and kept; this rebuild's own are added at the end.
        let base = match good.base.take() {
            Some(base) => base,
            None => {
                let found = Diagnostics::new();
                if let Some((_, walk)) = &self.walked {
                    found.extend(walk.iter().cloned());
                }
                for c in self.docs.values() {
                    found.extend(c.diags.iter().cloned());
                }
                found.extend(good.link_diags.iter().cloned());
                if let Some(t) = &self.templates {
                    found.extend(t.diags.iter().cloned());
                }
                found.finish(root)
            }
        };

        let mut outcome = Outcome {
            body_only: true,
            changed: (0, pages.len()),
            ..Outcome::default()
        };
        outcome.report.files = self.docs.len();
        outcome.report.entities = good.site.entities.len();
        outcome.report.withheld = good.site.withheld;
        outcome.steps[0] = started.elapsed();
        let t = Instant::now();
        // A page and a few shards: held in memory until the commit.
        let pending = Pending::held(self.pending_dir.clone());
        // Body-only edits keep every date: the timeline stays as it was.
        let timeline = good
            .timeline
            .take()
            .unwrap_or_else(|| Timeline::of(&good.site));
        let routes = Routes::with_timeline(&good.site, plan, timeline);
        let renderer = Renderer::new(theme, &good.site, plan, &routes);
        let mut digests = Vec::new();
        for page in &pages {
            let file = routes.file(page);
            let Some(html) = renderer.render_page(page, diags) else {
                continue;
            };
            let d = digest(html.as_bytes());
            if good.files.get(&file) != Some(&d)
                && let Err(e) = pending.put(&file, html.as_bytes())
            {
                diags.push(write_error(&format!("cannot write `{file}`: {e}")));
            }
            digests.push((file, d));
        }
        // The search index holds every body's words: updated in place for these bodies
        // (or made again), written where it changed.
        let ctx = OutputContext {
            site: &good.site,
            plan,
            routes: &routes,
            pages: &[],
        };
        let ids: Vec<_> = pages
            .iter()
            .filter_map(|p| match p {
                Page::Entity(id) => Some(*id),
                _ => None,
            })
            .collect();
        let gone = {
            let updated = good
                .search
                .as_mut()
                .and_then(|kept| search::update_bodies(kept, &ctx, &renderer, diags, &ids));
            let (outputs, gone) = match updated {
                Some(update) => update,
                None => {
                    let (outputs, kept) = search::outputs_with(&ctx, &renderer, diags, true);
                    good.search = Some(kept);
                    (outputs, Vec::new())
                }
            };
            for (file, write) in outputs {
                let mut bytes = Vec::new();
                if let Err(e) = write(&mut bytes) {
                    diags.push(write_error(&format!("cannot write `{file}`: {e}")));
                    continue;
                }
                let d = digest(&bytes);
                if good.files.get(&file) != Some(&d)
                    && let Err(e) = pending.put(&file, &bytes)
                {
                    diags.push(write_error(&format!("cannot write `{file}`: {e}")));
                }
                digests.push((file, d));
            }
            gone
        };
        outcome.report.pages_rendered = pages.len();
        outcome.steps[2] = t.elapsed();
        drop(renderer);
        good.timeline = Some(routes.into_timeline());
        if diags.has_errors() {
            // The site in memory is ahead of the served folder: the next rebuild starts
            // over from the sources.
            pending.discard();
            self.good = None;
            return Some(fail(outcome, std::mem::take(diags), root));
        }
        let t = Instant::now();
        match pending.commit(&self.site_dir, &gone) {
            Ok(written) => outcome.written = written,
            Err(e) => {
                diags.push(write_error(&format!(
                    "cannot move the new files into the served folder: {e}"
                )));
                self.good = None;
                return Some(fail(outcome, std::mem::take(diags), root));
            }
        }
        // The index may have gained or lost shards.
        for (file, _) in &digests {
            if !good.files.contains_key(file) {
                good.others.push(file.clone());
            }
        }
        for file in &gone {
            good.files.remove(file);
        }
        good.others.retain(|f| !gone.contains(f));
        good.files.extend(digests);
        outcome.removed = gone;
        outcome.steps[3] = t.elapsed();
        outcome.report.pages = outcome.written.len();
        // The served folder is final: say so before the whole list of diagnostics is
        // made (the kept ones have no error: they are a good build's).
        let own = std::mem::take(diags).finish(root);
        outcome.report.success = !own.iter().any(crate::diag::Diagnostic::is_error);
        outcome.report.diagnostics = own;
        ready(&outcome, &self.prefix);
        let own = std::mem::take(&mut outcome.report.diagnostics);
        outcome.report.diagnostics = if own.is_empty() {
            base.clone()
        } else {
            crate::diag::merge_finished(&base, own)
        };
        good.base = Some(base);
        Some(outcome)
    }
}
