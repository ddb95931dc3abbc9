//! Answers kept between runs of `check --external`, in `.briefing-cache/external.json` of the
//! site folder: per URL, what its host answered and when (Unix seconds). An answer younger
//! than the TTL is used instead of asking again. A file that cannot be read or parsed is
//! ignored and replaced; failures to reach a host are not kept (they may pass).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::fetch::Outcome;

/// The cache folder, under the site root, and the cache file in it: the body cache's folder,
/// which `briefing clean` empties of both.
pub use crate::cache::{CACHE_DIR, EXTERNAL_FILE as CACHE_FILE};

/// The version of the file's shape; a file of another version is ignored.
const VERSION: u32 = 1;

/// One URL's answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Entry {
    /// When it was asked, in Unix seconds.
    pub(super) checked: u64,
    /// What it answered.
    #[serde(flatten)]
    pub(super) outcome: Outcome,
}

#[derive(Serialize, Deserialize)]
struct File {
    version: u32,
    urls: BTreeMap<String, Entry>,
}

/// The cache of one site.
pub(super) struct Cache {
    path: PathBuf,
    pub(super) urls: BTreeMap<String, Entry>,
}

impl Cache {
    /// The cache file of the site at `root`: what it holds, or nothing if it is missing,
    /// unreadable or not what this version writes.
    pub(super) fn read(root: &Path) -> Cache {
        let path = root.join(CACHE_DIR).join(CACHE_FILE);
        let urls = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<File>(&bytes).ok())
            .filter(|f| f.version == VERSION)
            .map(|f| f.urls)
            .unwrap_or_default();
        Cache { path, urls }
    }

    /// An empty cache that will be written to the site at `root`.
    pub(super) fn empty(root: &Path) -> Cache {
        Cache {
            path: root.join(CACHE_DIR).join(CACHE_FILE),
            urls: BTreeMap::new(),
        }
    }

    /// The answer for `url` if it was given less than `ttl` seconds before `now`.
    pub(super) fn fresh(&self, url: &str, now: u64, ttl: u64) -> Option<&Outcome> {
        let e = self.urls.get(url)?;
        (e.checked <= now && now - e.checked < ttl && e.outcome.cacheable()).then_some(&e.outcome)
    }

    /// Keep `outcome` for `url`, asked at `now` (failures are not kept).
    pub(super) fn put(&mut self, url: &str, outcome: &Outcome, now: u64) {
        if outcome.cacheable() {
            let entry = Entry {
                checked: now,
                outcome: outcome.clone(),
            };
            self.urls.insert(url.to_string(), entry);
        }
    }

    /// Write the entries younger than `ttl` at `now`, replacing the file whole.
    pub(super) fn write(mut self, now: u64, ttl: u64) -> std::io::Result<()> {
        self.urls
            .retain(|_, e| e.checked <= now && now - e.checked < ttl);
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let file = File {
            version: VERSION,
            urls: self.urls,
        };
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        serde_json::to_writer_pretty(&mut tmp, &file)?;
        tmp.write_all(b"\n")?;
        tmp.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_kept_until_they_are_too_old_and_failures_never() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = Cache::read(dir.path());
        assert!(cache.urls.is_empty());
        cache.put("https://a.example/", &Outcome::Ok { status: 200 }, 1000);
        let dead = Outcome::Dead {
            status: 404,
            at: None,
        };
        cache.put("https://b.example/", &dead, 1000);
        let failed = Outcome::Failed {
            reason: "x".into(),
            timeout: true,
        };
        cache.put("https://c.example/", &failed, 1000);
        cache.write(1000, 60).unwrap();
        let cache = Cache::read(dir.path());
        assert_eq!(
            cache.fresh("https://a.example/", 1059, 60),
            Some(&Outcome::Ok { status: 200 })
        );
        assert_eq!(cache.fresh("https://b.example/", 1010, 60), Some(&dead));
        assert_eq!(cache.fresh("https://a.example/", 1060, 60), None);
        assert_eq!(cache.fresh("https://c.example/", 1001, 60), None);
    }

    #[test]
    fn a_corrupt_file_is_ignored_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(CACHE_DIR)).unwrap();
        let file = dir.path().join(CACHE_DIR).join(CACHE_FILE);
        std::fs::write(&file, "{ not json").unwrap();
        let mut cache = Cache::read(dir.path());
        assert!(cache.urls.is_empty());
        cache.put("https://a.example/", &Outcome::Ok { status: 204 }, 5);
        cache.write(5, 60).unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            serde_json::from_str::<serde_json::Value>(&text).is_ok(),
            "{text}"
        );
        assert!(
            Cache::read(dir.path())
                .fresh("https://a.example/", 6, 60)
                .is_some()
        );
    }
}
