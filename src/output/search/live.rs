//! The search index updated in place, for `serve` (issue 11): when only bodies changed,
//! the words of those documents are taken out of the index and their new words put in,
//! and only the shards holding a changed word are written again, instead of reading every
//! body of the site again.
//!
//! Invariant: after any sequence of updates the index is the one [`Index::build`] makes of
//! the same texts: the same words in the same lists, so the same shards and, when the
//! index grew or shrank past a power of two, the same number of them.

use std::collections::BTreeSet;

use foldhash::HashMap;

use super::index::{Index, Texts, best_fields, cost, shard_count};
use super::postings::{encode, shard_key, shard_of};

/// A word's documents by field (title, other fields, body), ascending.
type Lists = [Vec<u32>; 3];

/// What an index keeps to be updated in place.
pub(super) struct Live {
    /// The number of documents.
    n: u32,
    /// Word number -> the word and its lists. A word whose lists are all empty stays here
    /// (its number stays valid) but is in no shard.
    words: Vec<(String, Lists)>,
    /// Word -> its number.
    ids: HashMap<String, u32>,
    /// Document -> its words, each as `number << 2 | field`, ascending.
    docs: Vec<Vec<u32>>,
    /// The index's size, as [`cost`] reckons it.
    bytes: usize,
}

impl Live {
    /// From the words of a build, with their sorted lists, and the index's size.
    pub(super) fn new(n: u32, words: Vec<(String, Lists)>, bytes: usize) -> Live {
        let mut docs = vec![Vec::new(); n as usize];
        let mut ids = HashMap::default();
        ids.reserve(words.len());
        for (id, (w, lists)) in words.iter().enumerate() {
            ids.insert(w.clone(), id as u32);
            for (field, list) in lists.iter().enumerate() {
                for &doc in list {
                    docs[doc as usize].push((id as u32) << 2 | field as u32);
                }
            }
        }
        for d in &mut docs {
            d.sort_unstable();
        }
        Live {
            n,
            words,
            ids,
            docs,
            bytes,
        }
    }

    fn id(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = self.words.len() as u32;
        self.words.push((word.to_string(), Lists::default()));
        self.ids.insert(word.to_string(), id);
        id
    }
}

/// Which shards an update changed.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Changed {
    /// These shards, by number.
    Shards(BTreeSet<u32>),
    /// The number of shards changed (it was `before`): every shard, and the manifest.
    All { before: u32 },
}

impl Index {
    /// Give document `doc` the text `texts` (by field, as [`Index::build`] takes it).
    /// `None` when the index was not built to be updated, or has no document `doc`.
    pub(super) fn update(&mut self, doc: u32, texts: &Texts<'_>) -> Option<Changed> {
        let Index { shards, live } = self;
        let live = live.as_mut()?;
        if doc >= live.n {
            return None;
        }
        let mut new: Vec<u32> = Vec::new();
        best_fields(texts, |w, field| new.push(live.id(w) << 2 | field as u32));
        new.sort_unstable();
        let old = std::mem::take(&mut live.docs[doc as usize]);
        let mut dirty = BTreeSet::new();
        for &e in &old {
            if new.binary_search(&e).is_err() {
                let list = &mut live.words[(e >> 2) as usize].1[(e & 3) as usize];
                if let Ok(i) = list.binary_search(&doc) {
                    list.remove(i);
                }
                dirty.insert(e >> 2);
            }
        }
        for &e in &new {
            if old.binary_search(&e).is_err() {
                let list = &mut live.words[(e >> 2) as usize].1[(e & 3) as usize];
                if let Err(i) = list.binary_search(&doc) {
                    list.insert(i, doc);
                }
                dirty.insert(e >> 2);
            }
        }
        live.docs[doc as usize] = new;

        let count = shards.len() as u32;
        let mut changed = BTreeSet::new();
        for id in dirty {
            let (word, lists) = &live.words[id as usize];
            let shard = shard_of(shard_key(word), count);
            let map = &mut shards[shard as usize];
            if let Some(was) = map.remove(word) {
                live.bytes -= cost(word, &was);
            }
            if lists.iter().any(|l| !l.is_empty()) {
                let encoded = lists.each_ref().map(|l| encode(l, live.n));
                live.bytes += cost(word, &encoded);
                map.insert(word.clone(), encoded);
            }
            changed.insert(shard);
        }
        let wanted = shard_count(live.bytes);
        if wanted != count {
            let all: Vec<_> = std::mem::take(shards).into_iter().flatten().collect();
            *shards = Index::sharded(all, wanted);
            return Some(Changed::All { before: count });
        }
        Some(Changed::Shards(changed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EntityId;

    fn texts(seed: u32) -> [String; 3] {
        let word = |i: u32| format!("w{}", (seed.wrapping_mul(7919).wrapping_add(i * 31)) % 97);
        [
            word(1),
            (2..5).map(word).collect::<Vec<_>>().join(" "),
            (5..(5 + seed % 40)).map(word).collect::<Vec<_>>().join(" "),
        ]
    }

    /// Updates in place give the index a build of the same texts gives, shards and all.
    #[test]
    fn updates_equal_a_build_of_the_same_texts() {
        let order: Vec<EntityId> = (0..60).map(EntityId).collect();
        let mut now: Vec<[String; 3]> = (0..60).map(texts).collect();
        let mut index = Index::build(&order, |id| Texts::of(now[id.index()].clone()), true);
        for step in 0..100u32 {
            let doc = step.wrapping_mul(13) % 60;
            now[doc as usize] = if step % 17 == 0 {
                // A big body: enough words to need more shards, then fewer again.
                let many = (0..1500)
                    .map(|i| format!("x{step}y{i}"))
                    .collect::<Vec<_>>();
                [String::new(), String::new(), many.join(" ")]
            } else {
                texts(step + 1000)
            };
            index
                .update(doc, &Texts::of(now[doc as usize].clone()))
                .expect("kept");
            let fresh = Index::build(&order, |id| Texts::of(now[id.index()].clone()), false);
            assert_eq!(index.shards, fresh.shards, "after step {step}");
        }
    }

    #[test]
    fn an_index_not_kept_is_not_updated() {
        let order: Vec<EntityId> = (0..2).map(EntityId).collect();
        let mut index = Index::build(&order, |_| Texts::of(texts(1)), false);
        assert_eq!(index.update(0, &Texts::of(texts(2))), None);
    }
}
