//! The search index of the last build, updated in place by `serve` (issue 11): instead
//! of reading every body of the site again after an edit, the documents whose text may
//! have changed are read again and the others' words kept.
//!
//! Which documents: after a body-only edit, those bodies ([`update_bodies`]: only the
//! shards change); after any other edit that left the same documents in the same order,
//! those whose pages the rebuild renders again ([`update_docs`]: a document's text is
//! what its page shows, so a document whose page is unchanged has unchanged text; the
//! other files of the index are made again, which is cheap). When the documents or their
//! order changed, the index is made whole again. The property test `serve_incremental`
//! checks the result against cold builds.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::live::Changed;
use super::{Index, Writer, fields, manifest, numbering, numbers_of, shard_file, side_files};
use crate::diag::Diagnostics;
use crate::model::EntityId;
use crate::output::OutputContext;
use crate::render::Renderer;
use crate::routes;

/// The search index of a build, kept by `serve` to update in place.
pub struct Kept {
    pub(super) index: Arc<Index>,
    /// Entity index -> document number.
    pub(super) number: Vec<u32>,
    /// Document number -> the page's path: which documents, in which order.
    pub(super) urls: Vec<String>,
}

/// Files to write, with their writers, and other files: for [`update_bodies`], those to
/// remove; for [`update_docs`], those that stay as they are.
pub type Update<'a> = (Vec<(String, Writer<'a>)>, Vec<String>);

/// Update `kept` for new texts of the documents of `ids`; the shards that changed.
fn apply(
    kept: &mut Kept,
    ctx: &OutputContext<'_>,
    renderer: &Renderer<'_>,
    diags: &Diagnostics,
    ids: impl Iterator<Item = EntityId>,
) -> Option<(BTreeSet<u32>, bool)> {
    let index = Arc::get_mut(&mut kept.index)?;
    let mut changed = BTreeSet::new();
    let mut all = false;
    for id in ids {
        let doc = *kept.number.get(id.index())?;
        match index.update(doc, &fields(*ctx, renderer, diags, id))? {
            Changed::Shards(s) => changed.extend(s),
            Changed::All { .. } => all = true,
        }
    }
    Some((changed, all))
}

/// The shard files to write and remove after an update that changed `changed` (or, if
/// `all`, the number of shards, which was `before`).
fn shard_files<'a>(
    kept: &Kept,
    changed: BTreeSet<u32>,
    all: bool,
    before: u32,
    out: &mut Vec<(String, Writer<'a>)>,
) -> Vec<String> {
    let after = kept.index.shards();
    if all || after != before {
        out.extend((0..after).map(|s| shard_file(&kept.index, s)));
        (after..before)
            .map(|s| format!("{}shards/{s}.json", routes::SEARCH_INDEX))
            .collect()
    } else {
        out.extend(changed.into_iter().map(|s| shard_file(&kept.index, s)));
        Vec::new()
    }
}

/// The files of the search index that change when the bodies (only) of `ids` changed,
/// made by updating `kept` in place, and the files that go (shards past a smaller
/// number of them). `None` when `kept` cannot be updated (it was not built `live`, or a
/// writer of it is still alive): then make the whole index again.
pub fn update_bodies<'a>(
    kept: &mut Kept,
    ctx: &OutputContext<'a>,
    renderer: &'a Renderer<'a>,
    diags: &'a Diagnostics,
    ids: &[EntityId],
) -> Option<Update<'a>> {
    let before = kept.index.shards();
    let (changed, all) = apply(kept, ctx, renderer, diags, ids.iter().copied())?;
    let mut out = Vec::new();
    let gone = shard_files(kept, changed, all, before, &mut out);
    if all || kept.index.shards() != before {
        let (order, kinds) = numbering(ctx.site);
        out.push((
            routes::SEARCH_MANIFEST.to_string(),
            manifest(ctx, kinds, order.len() as u32, kept.index.shards()),
        ));
    }
    Some((out, gone))
}

/// Every file of the search index of the build of `ctx`, made by updating `kept` in
/// place for the documents `changed` says may have changed: with their writers, but for
/// the shards that did not change and that `have` says are written already, which are
/// only named (second list). `None` when the documents or their order changed, or `kept`
/// cannot be updated: then make the whole index again.
pub fn update_docs<'a>(
    kept: &mut Kept,
    ctx: &OutputContext<'a>,
    renderer: &'a Renderer<'a>,
    diags: &'a Diagnostics,
    changed: &dyn Fn(EntityId) -> bool,
    have: &dyn Fn(&str) -> bool,
) -> Option<Update<'a>> {
    let (order, kinds) = numbering(ctx.site);
    if order.len() != kept.urls.len()
        || order
            .iter()
            .zip(&kept.urls)
            .any(|(&id, url)| ctx.routes.entity(id) != *url)
    {
        return None;
    }
    kept.number = numbers_of(ctx.site, &order);
    let before = kept.index.shards();
    let ids = order.iter().copied().filter(|&id| changed(id));
    let (shards, all) = apply(kept, ctx, renderer, diags, ids)?;
    let mut out = side_files(ctx, &order, &kept.number);
    let after = kept.index.shards();
    let mut same = Vec::new();
    for shard in 0..after {
        let (file, write) = shard_file(&kept.index, shard);
        if !all && after == before && !shards.contains(&shard) && have(&file) {
            same.push(file);
        } else {
            out.push((file, write));
        }
    }
    out.push((
        routes::SEARCH_MANIFEST.to_string(),
        manifest(ctx, kinds, order.len() as u32, after),
    ));
    Some((out, same))
}
