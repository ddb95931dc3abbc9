//! The bytes of one cache entry, and reading them back with every check.
//!
//! ```text
//! magic "BRFCACHE" | format u32 | key u128 | payload length u64 | XXH3-128 of payload | payload
//! ```
//!
//! All integers are little-endian. The payload holds the body's HTML, its table of contents
//! and its dependencies (see [`super::Dep`]), as length-prefixed strings. An entry whose
//! magic, format, key, length or checksum is not what it should be is not an entry: it is
//! ignored and written again.

use xxhash_rust::xxh3::xxh3_128;

use super::{Dep, Key};
use crate::markdown::{Resolved, TocEntry};

/// The first bytes of every entry.
const MAGIC: &[u8; 8] = b"BRFCACHE";
/// Bumped whenever the layout of an entry or what it means changes.
pub(super) const FORMAT: u32 = 1;
/// Bytes before the payload.
const HEADER: usize = 8 + 4 + 16 + 8 + 16;

/// What an entry holds: a body rendered without problems, and what its rendering asked
/// of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Entry {
    pub(super) html: String,
    pub(super) toc: Vec<TocEntry>,
    pub(super) deps: Vec<Dep>,
}

/// The bytes of `entry` under `key`.
pub(super) fn encode(key: Key, entry: &Entry) -> Vec<u8> {
    let mut p = Vec::with_capacity(entry.html.len() + 256);
    put_str(&mut p, &entry.html);
    put_u64(&mut p, entry.toc.len() as u64);
    for t in &entry.toc {
        p.push(t.level);
        put_str(&mut p, &t.id);
        put_str(&mut p, &t.title);
    }
    put_u64(&mut p, entry.deps.len() as u64);
    for d in &entry.deps {
        match d {
            Dep::Missing(hash) => {
                p.push(0);
                p.extend_from_slice(&hash.to_le_bytes());
            }
            Dep::Resolve(slug, r) => {
                p.push(1);
                put_str(&mut p, slug);
                put_str(&mut p, &r.url);
                put_str(&mut p, &r.title);
            }
            Dep::Published(url) => {
                p.push(2);
                put_str(&mut p, url);
            }
        }
    }
    let mut out = Vec::with_capacity(HEADER + p.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    out.extend_from_slice(&key.0.to_le_bytes());
    put_u64(&mut out, p.len() as u64);
    out.extend_from_slice(&xxh3_128(&p).to_le_bytes());
    out.extend_from_slice(&p);
    out
}

/// The entry in `bytes` if they are a whole, intact entry of this format under `key`.
pub(super) fn decode(key: Key, bytes: &[u8]) -> Option<Entry> {
    let (head, payload) = bytes.split_at_checked(HEADER)?;
    let mut h = Reader(head);
    if h.take(8)? != MAGIC
        || u32::from_le_bytes(h.take(4)?.try_into().ok()?) != FORMAT
        || u128::from_le_bytes(h.take(16)?.try_into().ok()?) != key.0
        || h.u64()? != payload.len() as u64
        || u128::from_le_bytes(h.take(16)?.try_into().ok()?) != xxh3_128(payload)
    {
        return None;
    }
    let mut r = Reader(payload);
    let html = r.string()?;
    let mut toc = Vec::new();
    for _ in 0..r.u64()? {
        toc.push(TocEntry {
            level: *r.take(1)?.first()?,
            id: r.string()?,
            title: r.string()?,
        });
    }
    let mut deps = Vec::new();
    for _ in 0..r.u64()? {
        deps.push(match r.take(1)?.first()? {
            0 => Dep::Missing(u128::from_le_bytes(r.take(16)?.try_into().ok()?)),
            1 => {
                let slug = r.string()?;
                let url = r.string()?;
                let title = r.string()?;
                Dep::Resolve(slug, Resolved { url, title })
            }
            2 => Dep::Published(r.string()?),
            _ => return None,
        });
    }
    r.0.is_empty().then_some(Entry { html, toc, deps })
}

fn put_u64(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(&n.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u64(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Reads a payload front to back; every read fails rather than panics past the end.
struct Reader<'b>(&'b [u8]);

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize) -> Option<&'b [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn string(&mut self) -> Option<String> {
        let n = usize::try_from(self.u64()?).ok()?;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Entry {
        Entry {
            html: "<p>body é</p>\n".into(),
            toc: vec![TocEntry {
                level: 2,
                id: "a".into(),
                title: "A".into(),
            }],
            deps: vec![
                Dep::Missing(12345),
                Dep::Resolve(
                    "y".into(),
                    Resolved {
                        url: "/y/".into(),
                        title: "Y".into(),
                    },
                ),
                Dep::Published("/z/".into()),
            ],
        }
    }

    #[test]
    fn an_entry_reads_back_as_written() {
        let bytes = encode(Key(7), &entry());
        assert_eq!(decode(Key(7), &bytes), Some(entry()));
    }

    #[test]
    fn a_damaged_truncated_or_foreign_entry_is_refused() {
        let bytes = encode(Key(7), &entry());
        assert_eq!(decode(Key(8), &bytes), None, "another key");
        for cut in [0, 10, HEADER, bytes.len() - 1] {
            assert_eq!(decode(Key(7), &bytes[..cut]), None, "cut at {cut}");
        }
        for at in [0, 9, HEADER + 3, bytes.len() - 2] {
            let mut bad = bytes.clone();
            bad[at] ^= 0x20;
            assert_eq!(decode(Key(7), &bad), None, "byte {at} flipped");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode(Key(7), &longer), None, "trailing byte");
    }
}
