//! The inverted index: every folded word of every document, with the documents that hold
//! it in their title, their other fields, or their body only; split into shards.

use std::borrow::Cow;
use std::collections::BTreeMap;

use foldhash::HashMap;
use std::io::{self, Write};

use rayon::prelude::*;

use super::postings::{encode, shard_key, shard_of};
use crate::model::EntityId;
use crate::render::body_words::BodyWords;
use crate::render::words::words;

/// Documents read by one task: enough to keep both cores busy, few enough maps to merge.
const DOCS_PER_TASK: usize = 256;

/// Aim of a shard's size in bytes; the number of shards is the power of two that brings
/// the average near it.
const SHARD_TARGET: usize = 16 * 1024;

/// A word's documents, by the best field it is in: title, other fields, body.
type Lists = [Vec<u32>; 3];

/// Every word with its encoded lists; and, for an index updated in place, its lists.
type Built = (Vec<(String, [String; 3])>, Option<Vec<(String, Lists)>>);

/// The index of a build.
pub(super) struct Index {
    /// Per shard: word -> its three encoded lists, sorted by word.
    pub(super) shards: Vec<BTreeMap<String, [String; 3]>>,
    /// What an update in place needs (`serve`), if kept.
    pub(super) live: Option<super::live::Live>,
}

/// The size a word costs in the index, as the number of shards is reckoned from it.
pub(super) fn cost(word: &str, lists: &[String; 3]) -> usize {
    word.len() + lists.iter().map(String::len).sum::<usize>() + 16
}

/// The number of shards for an index of `bytes` (a power of two).
pub(super) fn shard_count(bytes: usize) -> u32 {
    bytes.div_ceil(SHARD_TARGET).max(1).next_power_of_two() as u32
}

/// The text of one document, by weight: title and aliases; summary, tags, place, quote
/// and speaker; the words of its body.
pub(super) struct Texts<'a> {
    pub(super) title: String,
    pub(super) meta: String,
    pub(super) body: Cow<'a, BodyWords>,
}

impl Texts<'_> {
    /// Texts given as three strings, the body's as text.
    #[cfg(test)]
    pub(super) fn of([title, meta, body]: [String; 3]) -> Texts<'static> {
        Texts {
            title,
            meta,
            body: Cow::Owned(BodyWords::of_text(&body)),
        }
    }
}

/// Calls `f` with each folded word of a document, once, with the best field it is in (0
/// title, 1 other fields, 2 body).
pub(super) fn best_fields(texts: &Texts<'_>, mut f: impl FnMut(&str, usize)) {
    let mut head: HashMap<Cow<str>, usize> = HashMap::default();
    for (field, text) in [&texts.title, &texts.meta].into_iter().enumerate() {
        words(text, |w| {
            head.entry(w).or_insert(field);
        });
    }
    for w in texts.body.iter() {
        if !head.contains_key(w) {
            f(w, 2);
        }
    }
    for (w, &field) in &head {
        f(w, field);
    }
}

impl Index {
    /// The index of the documents `order` (document number -> entity), whose text
    /// `fields` gives by weight (title, other fields, body). `live`: keep what
    /// [`super::live`] needs to update it in place.
    pub(super) fn build<'t>(
        order: &[EntityId],
        fields: impl Fn(EntityId) -> Texts<'t> + Sync,
        live: bool,
    ) -> Index {
        let n = order.len() as u32;
        let parts: Vec<HashMap<String, Lists>> = order
            .par_chunks(DOCS_PER_TASK)
            .enumerate()
            .map(|(task, ids)| {
                let mut map: HashMap<String, Lists> = HashMap::default();
                for (i, &id) in ids.iter().enumerate() {
                    let doc = (task * DOCS_PER_TASK + i) as u32;
                    best_fields(&fields(id), |w, field| match map.get_mut(w) {
                        Some(lists) => lists[field].push(doc),
                        None => map.entry(w.to_string()).or_default()[field].push(doc),
                    });
                }
                map
            })
            .collect();
        let mut all: HashMap<String, Lists> = HashMap::default();
        for part in parts {
            for (w, lists) in part {
                match all.get_mut(&w) {
                    Some(have) => {
                        for (h, l) in have.iter_mut().zip(lists) {
                            h.extend(l);
                        }
                    }
                    None => {
                        all.insert(w, lists);
                    }
                }
            }
        }
        let sorted = all.into_par_iter().map(|(w, mut lists)| {
            for l in &mut lists {
                l.sort_unstable();
            }
            (w, lists)
        });
        let encode_all = |(w, lists): (String, &Lists)| (w, lists.each_ref().map(|l| encode(l, n)));
        // The decoded lists are kept only for an index updated in place.
        let (encoded, sorted): Built = if live {
            let sorted: Vec<(String, Lists)> = sorted.collect();
            let encoded = sorted
                .par_iter()
                .map(|(w, lists)| encode_all((w.clone(), lists)))
                .collect();
            (encoded, Some(sorted))
        } else {
            let encoded = sorted.map(|(w, lists)| encode_all((w, &lists))).collect();
            (encoded, None)
        };
        let bytes: usize = encoded.iter().map(|(w, l)| cost(w, l)).sum();
        let live = sorted.map(|sorted| super::live::Live::new(n, sorted, bytes));
        Index {
            shards: Self::sharded(encoded, shard_count(bytes)),
            live,
        }
    }

    /// `words` with their encoded lists, in `shards` shards.
    pub(super) fn sharded(
        words: impl IntoIterator<Item = (String, [String; 3])>,
        shards: u32,
    ) -> Vec<BTreeMap<String, [String; 3]>> {
        let mut out: Vec<BTreeMap<String, [String; 3]>> = vec![BTreeMap::new(); shards as usize];
        for (w, lists) in words {
            out[shard_of(shard_key(&w), shards) as usize].insert(w, lists);
        }
        out
    }

    /// How many shards there are (a power of two).
    pub(super) fn shards(&self) -> u32 {
        self.shards.len() as u32
    }

    /// `shards/N.json`: `{"word": ["title list", "fields list", "body list"], ...}`, with
    /// the lists as [`super::postings`] writes them, empty ones as `""`.
    pub(super) fn write_shard(&self, shard: u32, w: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer(w, &self.shards[shard as usize]).map_err(io::Error::other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_is_listed_under_its_best_field_only() {
        let order: Vec<EntityId> = (0..3).map(EntityId).collect();
        let index = Index::build(
            &order,
            |id| {
                Texts::of(match id.0 {
                    0 => [
                        "Moscow attack".into(),
                        "moscow".into(),
                        "body moscow".into(),
                    ],
                    1 => [String::new(), "Moscow".into(), "moscow".into()],
                    _ => [String::new(), String::new(), "moscow Москва".into()],
                })
            },
            false,
        );
        let shard = &index.shards[shard_of("mos", index.shards()) as usize];
        assert_eq!(shard["moscow"], ["1".to_string(), "2".into(), "3".into()]);
        let shard = &index.shards[shard_of("мос", index.shards()) as usize];
        assert_eq!(shard["москва"], [String::new(), String::new(), "3".into()]);
    }
}
