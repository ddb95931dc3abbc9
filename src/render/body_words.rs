//! The distinct words of a body, for the search index, made by the page render from the
//! body it has just rendered (issue 16).
//!
//! Takes the body's HTML; gives its folded words, each once, in the order of first use,
//! in one string. Invariant: the words are those [`super::words::words`] gives of
//! [`super::words::html_text`] of the HTML, as a set. Every word of every body passes
//! through here, so it is made to be cheap: lowercase ASCII words are neither copied nor
//! allocated until they are new, and the set of words seen is a small open-addressing
//! table over the output string, not a map of strings.

use std::hash::BuildHasher;

use super::words::{MAX_WORD, fold, html_text, split_cased};

/// The distinct folded words of a text, in the order of their first use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyWords(Box<str>);

impl BodyWords {
    /// The words of sanitised HTML (see [`html_text`]).
    pub fn of_html(html: &str) -> BodyWords {
        BodyWords::of_text(&html_text(html))
    }

    /// The words of `text`.
    pub fn of_text(text: &str) -> BodyWords {
        let mut set = WordSet::default();
        let mut lower = String::new();
        split_cased(text, |w, capital| match capital {
            Some(capital) => {
                let w = &w[..w.len().min(MAX_WORD)];
                if capital {
                    lower.clear();
                    lower.push_str(w);
                    lower.make_ascii_lowercase();
                    set.insert(&lower);
                } else {
                    set.insert(w);
                }
            }
            None => {
                let w = fold(w);
                if !w.is_empty() {
                    set.insert(&w);
                }
            }
        });
        BodyWords(set.words.into_boxed_str())
    }

    /// Each word once.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        // A word holds no line break: the word rules break around one.
        self.0.split_terminator('\n')
    }
}

/// A set of words, kept as the string of [`BodyWords`], with a table of where each is.
#[derive(Default)]
struct WordSet {
    /// The words, each followed by a line break.
    words: String,
    /// Open addressing, a power of two long (or empty): 0 for a free slot, else the
    /// word's start in `words` (high half), its length in bytes (10 bits: a word has at
    /// most 64 characters of at most 4 bytes) and the low 22 bits of its hash.
    slots: Vec<u64>,
    /// The number of words.
    len: usize,
}

const HASH_BITS: u64 = (1 << 22) - 1;

impl WordSet {
    fn insert(&mut self, w: &str) {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let hash = hash(w);
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        let want = ((w.len() as u64) << 22) | (hash & HASH_BITS);
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                self.slots[i] = ((self.words.len() as u64) << 32) | want;
                self.words.push_str(w);
                self.words.push('\n');
                self.len += 1;
                return;
            }
            if slot as u32 == want as u32 && self.word_at(slot) == w.as_bytes() {
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /// The word a full slot points to.
    fn word_at(&self, slot: u64) -> &[u8] {
        let start = (slot >> 32) as usize;
        let len = (slot as u32 >> 22) as usize;
        &self.words.as_bytes()[start..start + len]
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(512);
        let old = std::mem::replace(&mut self.slots, vec![0; size]);
        let mask = size - 1;
        for slot in old.into_iter().filter(|&s| s != 0) {
            let mut i = hash_bytes(self.word_at(slot)) as usize & mask;
            while self.slots[i] != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
        }
    }
}

fn hash(w: &str) -> u64 {
    hash_bytes(w.as_bytes())
}

fn hash_bytes(w: &[u8]) -> u64 {
    foldhash::fast::FixedState::with_seed(0x5eed).hash_one(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::words::words;
    use proptest::prelude::*;

    #[test]
    fn body_words_are_distinct_folded_and_in_order() {
        let b = BodyWords::of_html("<p>Moscow <em>attack</em>; MOSCOW attack, Москва</p>");
        assert_eq!(b.iter().collect::<Vec<_>>(), ["moscow", "attack", "москва"]);
        assert_eq!(BodyWords::of_text("").iter().count(), 0);
    }

    /// The first use of each word of `words` (the reference).
    fn reference(text: &str) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        let mut v = Vec::new();
        words(text, |w| {
            if seen.insert(w.to_string()) {
                v.push(w.into_owned());
            }
        });
        v
    }

    #[test]
    fn many_words_grow_the_table() {
        let text: String = (0..5000).map(|i| format!("W{i} w{} ", i % 700)).collect();
        let body = BodyWords::of_text(&text);
        let got: Vec<&str> = body.iter().collect();
        assert_eq!(got, reference(&text));
        assert_eq!(got.len(), 5000);
    }

    #[test]
    fn the_longest_words_are_kept_whole() {
        // 64 characters of 4 bytes: the most a slot's length holds.
        let gothic = "\u{10330}".repeat(100);
        let text = format!("{gothic} {} {gothic}", "x".repeat(100));
        let body = BodyWords::of_text(&text);
        let got: Vec<&str> = body.iter().collect();
        assert_eq!(got, reference(&text));
        assert_eq!(got[0].len(), 256);
    }

    proptest! {
        #[test]
        fn body_words_are_the_distinct_words(
            text in "([a-eA-E0-9_.,:' ]|д|Д|é|\u{301}|\u{300}){0,80}",
            long in 0usize..3,
        ) {
            let text = format!("{text} {}", "Ab".repeat(long * 40));
            let body = BodyWords::of_text(&text);
            let got: Vec<&str> = body.iter().collect();
            prop_assert_eq!(got, reference(&text));
        }
    }
}
