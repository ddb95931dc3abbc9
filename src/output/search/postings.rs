//! How a list of document numbers is written in the index files, and which shard holds a
//! word. `search.js` reads both (`decode`, `shardOf`); change both together.
//!
//! A list is a string over the 64 characters [`DIGITS`]. Sparse lists are the gaps between
//! ascending numbers (the first from -1), each gap in base 32, most significant digit
//! first, every digit but the last offset by 32; so a gap under 32 costs one character.
//! Dense lists are `~` and a bitmap, six documents per character, lowest first. The shorter
//! of the two is written, so no list costs more than one character per six documents.

/// The digits of an encoded list.
pub const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// How many characters of a folded word choose its shard: every word with the same first
/// characters is in the same shard, so the words starting with what was typed are found
/// in the one shard.
pub const SHARD_KEY_CHARS: usize = 3;

/// `ids` (ascending, distinct, all below `n`) encoded as described in the module docs.
pub fn encode(ids: &[u32], n: u32) -> String {
    let dense_len = 1 + (n as usize).div_ceil(6);
    let mut sparse = String::new();
    let mut prev: i64 = -1;
    let mut digits = Vec::new();
    for &id in ids {
        let mut gap = i64::from(id) - prev;
        prev = i64::from(id);
        digits.clear();
        loop {
            digits.push((gap % 32) as usize);
            gap /= 32;
            if gap == 0 {
                break;
            }
        }
        for (i, d) in digits.iter().rev().enumerate() {
            let last = i == digits.len() - 1;
            sparse.push(DIGITS[if last { *d } else { d + 32 }] as char);
        }
        if sparse.len() > dense_len {
            break;
        }
    }
    if sparse.len() <= dense_len {
        return sparse;
    }
    let mut bits = vec![0u8; (n as usize).div_ceil(6)];
    for &id in ids {
        bits[id as usize / 6] |= 1 << (id % 6);
    }
    let mut dense = String::with_capacity(dense_len);
    dense.push('~');
    dense.extend(bits.into_iter().map(|b| DIGITS[b as usize] as char));
    dense
}

/// The shard key of a folded word: its first [`SHARD_KEY_CHARS`] characters.
pub fn shard_key(word: &str) -> &str {
    match word.char_indices().nth(SHARD_KEY_CHARS) {
        Some((i, _)) => &word[..i],
        None => word,
    }
}

/// The shard (of `shards`, a power of two) holding the words with this key: FNV-1a of its
/// UTF-8 bytes.
pub fn shard_of(key: &str, shards: u32) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in key.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h & (shards - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reader's side, as `search.js` does it.
    fn decode(s: &str, n: u32) -> Vec<u32> {
        let digit = |c: u8| DIGITS.iter().position(|&d| d == c).expect("digit") as u32;
        if let Some(bits) = s.strip_prefix('~') {
            return (0..n)
                .filter(|&i| digit(bits.as_bytes()[i as usize / 6]) & (1 << (i % 6)) != 0)
                .collect();
        }
        let (mut out, mut prev, mut acc) = (Vec::new(), -1i64, 0i64);
        for c in s.bytes() {
            let d = i64::from(digit(c));
            acc = acc * 32 + (d & 31);
            if d < 32 {
                prev += acc;
                out.push(prev as u32);
                acc = 0;
            }
        }
        out
    }

    #[test]
    fn sparse_lists_round_trip() {
        let ids = [0, 1, 31, 32, 1000, 40_000, 1_000_000];
        let s = encode(&ids, 2_000_000);
        assert!(!s.starts_with('~'));
        assert_eq!(decode(&s, 2_000_000), ids);
        assert_eq!(encode(&[0], 10), "1");
    }

    #[test]
    fn dense_lists_are_bitmaps_and_round_trip() {
        let ids: Vec<u32> = (0..1000).filter(|i| i % 3 != 0).collect();
        let s = encode(&ids, 1000);
        assert!(s.starts_with('~'));
        assert_eq!(s.len(), 1 + 167);
        assert_eq!(decode(&s, 1000), ids);
    }

    #[test]
    fn shard_keys_count_characters_not_bytes() {
        assert_eq!(shard_key("москва"), "мос");
        assert_eq!(shard_key("is"), "is");
        assert_eq!(shard_of("mos", 1), 0);
        // FNV-1a of "a" is 0xe40c292c.
        assert_eq!(shard_of("a", 1 << 31), 0xe40c_292c & 0x7fff_ffff);
    }
}
