//! The cache's files: where entries live, writing them atomically, pruning and cleaning.
//!
//! ```text
//! .briefing-cache/CACHEDIR.TAG          marks the folder as a cache for backup tools
//! .briefing-cache/bodies/ab/ab12...ef   one entry per body, named by its key in hex
//! .briefing-cache/external.json         the answers `check --external` keeps
//! .briefing-cache/last-build.json       the record of the last build (see `record.rs`)
//! ```
//!
//! Pruning and cleaning remove only names the cache writes (32 hex digits, temporary files
//! with the cache's prefix, the tag it wrote, and for cleaning the record of the last
//! build and the answers file of `check --external`); anything else in the folder is left alone.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::Key;

/// The cache folder, in the site's root.
pub const CACHE_DIR: &str = ".briefing-cache";
/// The file in the cache folder where `check --external` keeps its answers (written by
/// `check::external`, removed by [`clean`]).
pub const EXTERNAL_FILE: &str = "external.json";
/// Where the entries of bodies are, in the cache folder.
const BODIES: &str = "bodies";
/// The tag file, and what it holds (see <https://bford.info/cachedir/>).
const TAG: &str = "CACHEDIR.TAG";
const TAG_TEXT: &str = "Signature: 8a477f597d28d172789f06886806bc55\n\
# This folder is a cache made by briefing (https://github.com/briefing); `briefing clean` removes it.\n";
/// Prefix of an entry being written.
const TMP_PREFIX: &str = ".briefing-tmp";

/// A hash of the running executable: a cache entry made by another build of briefing is
/// another entry. `None` if the executable cannot be read (then nothing is cached).
pub(super) fn binary_hash() -> Option<u128> {
    static H: OnceLock<Option<u128>> = OnceLock::new();
    *H.get_or_init(|| {
        // Streamed: reading the whole executable at once would add its size to the peak
        // memory of every build.
        let mut exe = fs::File::open(std::env::current_exe().ok()?).ok()?;
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        let mut buf = vec![0; 1 << 16];
        loop {
            match io::Read::read(&mut exe, &mut buf) {
                Ok(0) => return Some(hasher.digest128()),
                Ok(n) => hasher.update(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return None,
            }
        }
    })
}

/// Write `bytes` as the file `name` of the cache folder `cache` (created and tagged if
/// need be), through a temporary file renamed into place.
pub(super) fn write_in_cache(cache: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    if !cache.is_dir() {
        fs::create_dir_all(cache)?;
    }
    tag(cache);
    persist(cache, &cache.join(name), bytes)
}

/// Tag the cache folder `cache` for backup tools, once.
fn tag(cache: &Path) {
    let tag = cache.join(TAG);
    if !tag.exists() {
        let _ = fs::write(tag, TAG_TEXT);
    }
}

/// Write `bytes` to `path` through a temporary file in its `folder`, renamed into place,
/// so a reader sees the whole file or none.
fn persist(folder: &Path, path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut tmp = tempfile::Builder::new()
        .prefix(TMP_PREFIX)
        .tempfile_in(folder)?;
    tmp.write_all(bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The file of the entry `key` in the cache folder `dir`.
pub(super) fn entry_path(dir: &Path, key: Key) -> PathBuf {
    let hex = key.hex();
    dir.join(BODIES).join(&hex[..2]).join(hex)
}

/// Write `bytes` to `path` through a temporary file renamed into place, so a reader sees
/// the whole entry or none. The first write also tags the cache folder.
pub(super) fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let folder = path.parent().ok_or(io::ErrorKind::InvalidInput)?;
    if !folder.is_dir() {
        fs::create_dir_all(folder)?;
        if let Some(cache) = folder.parent().and_then(Path::parent) {
            tag(cache);
        }
    }
    persist(folder, path, bytes)
}

/// Whether `name` is the name of an entry in the sub-folder `sub`, and its key.
fn entry_key(sub: &str, name: &str) -> Option<Key> {
    let hex_digits = |s: &str| s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if name.len() != 32 || !hex_digits(name) || !name.starts_with(sub) {
        return None;
    }
    u128::from_str_radix(name, 16).ok().map(Key)
}

/// Every file the cache wrote under `dir/bodies`, with its key (`None`: a temporary file),
/// and the sub-folders.
fn walk_bodies(dir: &Path) -> (Vec<(PathBuf, Option<Key>)>, Vec<PathBuf>) {
    let (mut files, mut subs) = (Vec::new(), Vec::new());
    let Ok(top) = fs::read_dir(dir.join(BODIES)) else {
        return (files, subs);
    };
    for sub in top.flatten() {
        let sub_name = sub.file_name().to_string_lossy().into_owned();
        let is_dir = sub.file_type().is_ok_and(|t| t.is_dir());
        if !is_dir || sub_name.len() != 2 {
            continue;
        }
        let Ok(inside) = fs::read_dir(sub.path()) else {
            continue;
        };
        for f in inside.flatten() {
            if !f.file_type().is_ok_and(|t| t.is_file()) {
                continue;
            }
            let name = f.file_name().to_string_lossy().into_owned();
            if let Some(key) = entry_key(&sub_name, &name) {
                files.push((f.path(), Some(key)));
            } else if name.starts_with(TMP_PREFIX) {
                files.push((f.path(), None));
            }
        }
        subs.push(sub.path());
    }
    (files, subs)
}

/// Remove every entry of the cache folder `dir` that `keep` refuses, and temporary files
/// left by an interrupted build; returns how many files went.
pub(super) fn prune(dir: &Path, keep: impl Fn(Key) -> bool) -> usize {
    let (files, subs) = walk_bodies(dir);
    let mut removed = 0;
    for (path, key) in files {
        if !key.is_some_and(&keep) && fs::remove_file(&path).is_ok() {
            removed += 1;
        }
    }
    for sub in subs {
        // Only empty folders go; anyone else's file keeps its folder.
        let _ = fs::remove_dir(sub);
    }
    removed
}

/// Whether `path` is the answers file as `check --external` writes it: a plain file holding
/// a JSON object with its `version` and `urls`. A file of the same name that is not is
/// someone else's.
fn is_external_file(path: &Path) -> bool {
    let is_file = fs::symlink_metadata(path).is_ok_and(|m| m.is_file());
    is_file
        && fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
            .is_some_and(|v| {
                v.get("version").is_some_and(serde_json::Value::is_u64)
                    && v.get("urls").is_some_and(serde_json::Value::is_object)
            })
}

/// `briefing clean`: remove the cache of the site at `root` (the files the cache wrote,
/// the answers of `check --external`, and its folders once empty). Returns how many files
/// were removed. A cache folder that is a symbolic link is refused: what it points to is
/// not the cache's to delete.
pub fn clean(root: &Path) -> io::Result<usize> {
    let dir = root.join(CACHE_DIR);
    match fs::symlink_metadata(&dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
        Ok(m) if !m.is_dir() => {
            return Err(io::Error::other(format!(
                "`{CACHE_DIR}` is not a folder; it was left alone"
            )));
        }
        Ok(_) => {}
    }
    let mut removed = prune(&dir, |_| false);
    let tag = dir.join(TAG);
    if fs::read_to_string(&tag).is_ok_and(|t| t == TAG_TEXT) && fs::remove_file(&tag).is_ok() {
        removed += 1;
    }
    let external = dir.join(EXTERNAL_FILE);
    if is_external_file(&external) && fs::remove_file(&external).is_ok() {
        removed += 1;
    }
    let record = dir.join(super::record::RECORD_FILE);
    if super::record::is_record(&record) && fs::remove_file(&record).is_ok() {
        removed += 1;
    }
    // A record whose writing was interrupted.
    for entry in fs::read_dir(&dir)?.flatten() {
        let temporary = entry.file_name().to_string_lossy().starts_with(TMP_PREFIX);
        if temporary
            && entry.file_type().is_ok_and(|t| t.is_file())
            && fs::remove_file(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    let _ = fs::remove_dir(dir.join(BODIES));
    let _ = fs::remove_dir(&dir);
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names_are_recognised_and_nothing_else() {
        let hex = format!("{:032x}", 0xab12u128 << 112);
        assert_eq!(entry_key("ab", &hex), Some(Key(0xab12u128 << 112)));
        assert_eq!(entry_key("cd", &hex), None, "in the wrong folder");
        assert_eq!(entry_key("ab", &hex.to_uppercase()), None);
        assert_eq!(entry_key("ab", "ab-notes.txt"), None);
    }

    #[test]
    fn clean_removes_what_the_cache_wrote_only() {
        let root = tempfile::tempdir().unwrap();
        let key = Key(0x0102u128 << 112 | 5);
        let path = entry_path(&root.path().join(CACHE_DIR), key);
        write_atomic(&path, b"entry").unwrap();
        let mine = root.path().join(CACHE_DIR).join("notes.txt");
        fs::write(&mine, "keep me").unwrap();
        let theirs = path.with_file_name("README");
        fs::write(&theirs, "keep me too").unwrap();
        let interrupted = root.path().join(CACHE_DIR).join(format!("{TMP_PREFIX}x1"));
        fs::write(&interrupted, "half a record").unwrap();
        assert_eq!(
            clean(root.path()).unwrap(),
            3,
            "the entry, the tag and a temporary file"
        );
        assert!(!interrupted.exists());
        assert!(!path.exists());
        assert!(mine.exists() && theirs.exists());
        fs::remove_file(mine).unwrap();
        fs::remove_file(theirs).unwrap();
        assert_eq!(clean(root.path()).unwrap(), 0);
        assert!(!root.path().join(CACHE_DIR).exists(), "empty folders go");
    }

    #[test]
    fn clean_removes_the_answers_of_check_external_only_if_briefing_wrote_them() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join(CACHE_DIR);
        fs::create_dir_all(&dir).unwrap();
        let external = dir.join(EXTERNAL_FILE);
        for foreign in ["my notes", "[1, 2]", "{\"urls\": {}}"] {
            fs::write(&external, foreign).unwrap();
            assert_eq!(clean(root.path()).unwrap(), 0, "{foreign}");
            assert_eq!(fs::read_to_string(&external).unwrap(), foreign);
        }
        fs::write(&external, "{\n  \"version\": 1,\n  \"urls\": {}\n}\n").unwrap();
        assert_eq!(clean(root.path()).unwrap(), 1);
        assert!(!dir.exists());
    }
}
