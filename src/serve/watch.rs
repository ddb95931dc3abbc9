//! Watching the site's sources: `content/`, `templates/`, `static/` and `briefing.toml`,
//! never the output, through notify with notify-debouncer-full.
//!
//! Invariants: a burst of changes (an editor's write-temp-and-rename, `git checkout` of
//! hundreds of files) causes one rebuild: after the first relevant change the watcher waits
//! until no relevant change came for [`QUIET`] ([`QUIET_ONE`] after a single file whose
//! writer closed it, [`BURST_QUIET`] once more files came), then rebuilds once; changes
//! during a rebuild cause one more. Editor litter and hidden files are ignored by the same
//! rules as the walks that read the sources ([`crate::source::litter`]), so they cause no
//! rebuild.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use notify::RecursiveMode;
use notify::event::{AccessKind, AccessMode, CreateKind, EventKind, ModifyKind};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::Builder;
use crate::config::CONFIG_FILE;
use crate::source::litter::{is_ignored, is_litter};

/// How long notify-debouncer-full holds events of one file (it pairs the events of a
/// rename within this time). Short: the trailing windows below make bursts one rebuild.
const DEBOUNCE: Duration = Duration::from_millis(3);

/// How often the debouncer hands over the events older than [`DEBOUNCE`].
const TICK: Duration = Duration::from_millis(1);

/// How long the watcher waits after the last relevant change before it rebuilds, when the
/// first batch of changes named several files, or a file still being written: the
/// trailing window that makes a burst (`git checkout`, which writes its files well under
/// a millisecond apart) one rebuild.
const QUIET: Duration = Duration::from_millis(100);

/// The trailing window after a first batch of changes that names one file only, whose
/// writer closed it (or renamed it into place): a save, by an editor's write or
/// write-temp-and-rename (which the debouncer pairs). A burst names many files in its
/// first batch, and its next batch comes within the debouncer's [`TICK`], well inside
/// this window, which then grows to [`BURST_QUIET`]. With [`DEBOUNCE`] this is most of
/// the time from a save to the rebuild of a body edit (issue 11 asks for 50 ms to the
/// browser).
const QUIET_ONE: Duration = Duration::from_millis(10);

/// Whether the watcher reports a writer closing its file (inotify does): then a file
/// written to is waited for until its writer closed it (for at most [`QUIET`] after the
/// last change), so that a rebuild does not read half a save.
const CLOSE_EVENTS: bool = cfg!(any(target_os = "linux", target_os = "android"));

/// The trailing window once a second batch of changes came: a burst is under way (a
/// checkout, a script, a slow disk), so waiting longer costs nothing a reader sees.
const BURST_QUIET: Duration = Duration::from_millis(200);

/// The longest a burst is waited for: changes that never stop still give rebuilds.
const LONGEST: Duration = Duration::from_secs(2);

/// The folders watched, recursively.
const WATCHED: [&str; 3] = ["content", "templates", "static"];

type Notifier = Debouncer<notify::RecommendedWatcher, RecommendedCache>;

/// A running watcher; dropping it stops it.
pub(crate) struct Watcher {
    /// Shared with the loop, which watches `templates/` or `static/` once they appear.
    debouncer: Arc<Mutex<Option<Notifier>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Watcher {
    /// Watch the sources of the site at `root` (canonical) and rebuild with `builder`.
    pub(crate) fn start(root: &Path, builder: Arc<Builder>) -> notify::Result<Watcher> {
        let (tx, rx) = channel();
        let mut debouncer = new_debouncer(DEBOUNCE, Some(TICK), tx)?;
        // The root itself, not recursively: `briefing.toml`, and folders appearing.
        debouncer.watch(root, RecursiveMode::NonRecursive)?;
        for dir in WATCHED {
            let dir = root.join(dir);
            if dir.is_dir() {
                debouncer.watch(&dir, RecursiveMode::Recursive)?;
            }
        }
        let debouncer = Arc::new(Mutex::new(Some(debouncer)));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let stop = stop.clone();
            let root = root.to_path_buf();
            let debouncer = debouncer.clone();
            std::thread::Builder::new()
                .name("briefing-watch".to_string())
                .spawn(move || watch_loop(&root, &rx, &builder, &stop, &debouncer))
                .map_err(|e| notify::Error::generic(&e.to_string()))?
        };
        Ok(Watcher {
            debouncer,
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        self.debouncer
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Wait for relevant changes, let the burst settle, rebuild; until stopped.
fn watch_loop(
    root: &Path,
    rx: &Receiver<DebounceEventResult>,
    builder: &Builder,
    stop: &AtomicBool,
    debouncer: &Mutex<Option<Notifier>>,
) {
    let tick = Duration::from_millis(100);
    while !stop.load(Ordering::SeqCst) {
        let mut changed = Changed::default();
        match rx.recv_timeout(tick) {
            Ok(events) => {
                changed.collect(root, events);
            }
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => return,
        }
        if changed.paths.is_empty() {
            continue;
        }
        // The burst goes on while relevant changes keep coming (other events, such as
        // the build's own reads, do not extend it), for at most `LONGEST`.
        let started = Instant::now();
        let mut quiet_from = Instant::now();
        let mut burst = false;
        loop {
            let quiet = if burst {
                BURST_QUIET
            } else if changed.paths.len() == 1
                && changed.writing.is_empty()
                && !changed.paths.iter().any(|p| root.join(p).is_dir())
            {
                // One file saved. A folder created first is how a burst starts
                // (`mkdir`, then its files), and gets the longer window.
                QUIET_ONE
            } else {
                QUIET
            };
            let left = (quiet_from + quiet)
                .min(started + LONGEST)
                .saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            match rx.recv_timeout(left) {
                Ok(events) => {
                    let before = changed.paths.len();
                    if changed.collect(root, events) {
                        quiet_from = Instant::now();
                        // More files: a burst. The same file again (its writer closing
                        // it, another write) is still one save.
                        burst |= changed.paths.len() > before;
                    }
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        if stop.load(Ordering::SeqCst) {
            return;
        }
        // A watched folder created (or replaced) since: watch it, before the build reads it.
        for dir in WATCHED {
            if changed.paths.contains(Path::new(dir))
                && let Some(d) = debouncer.lock().unwrap_or_else(|e| e.into_inner()).as_mut()
            {
                let _ = d.unwatch(root.join(dir));
                let _ = d.watch(root.join(dir), RecursiveMode::Recursive);
            }
        }
        let changed: Vec<PathBuf> = changed.paths.into_iter().collect();
        builder.build(&changed);
    }
}

/// The relevant changes of one burst.
#[derive(Default)]
struct Changed {
    /// Paths changed, relative to the root.
    paths: BTreeSet<PathBuf>,
    /// Files of `paths` written to and not closed yet: their writer is still at work.
    writing: BTreeSet<PathBuf>,
}

impl Changed {
    /// Add the relevant paths of `events`, relative to `root`; whether there were any.
    fn collect(&mut self, root: &Path, events: DebounceEventResult) -> bool {
        let Ok(events) = events else {
            // The watcher lost track (e.g. the queue overflowed): rebuild to be safe.
            self.paths.insert(PathBuf::from(CONFIG_FILE));
            return true;
        };
        let mut any = false;
        for event in events {
            for path in &event.paths {
                let Ok(rel) = path.strip_prefix(root) else {
                    continue;
                };
                if !is_source(rel) {
                    continue;
                }
                match event.kind {
                    // The writer is done with it: a change of its own if the file was
                    // changed (the build's own reads are none).
                    EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
                        self.writing.remove(rel);
                        any |= self.paths.contains(rel);
                    }
                    EventKind::Access(_) => {}
                    EventKind::Create(CreateKind::File)
                    | EventKind::Modify(ModifyKind::Data(_)) => {
                        if CLOSE_EVENTS {
                            self.writing.insert(rel.to_path_buf());
                        }
                        self.paths.insert(rel.to_path_buf());
                        any = true;
                    }
                    _ => {
                        // Renamed, removed, metadata: nothing left to wait for.
                        self.writing.remove(rel);
                        self.paths.insert(rel.to_path_buf());
                        any = true;
                    }
                }
            }
        }
        any
    }
}

/// Whether a change to `rel` (relative to the site root) can change the site.
pub(crate) fn is_source(rel: &Path) -> bool {
    let mut parts = rel.components();
    let Some(Component::Normal(first)) = parts.next() else {
        return false;
    };
    let rest: Vec<_> = parts
        .filter_map(|c| match c {
            Component::Normal(n) => Some(n),
            _ => None,
        })
        .collect();
    match first.to_str() {
        Some(CONFIG_FILE) => rest.is_empty(),
        Some("content" | "templates") => !rest.iter().any(|n| is_ignored(n)),
        Some("static") => !rest.iter().any(|n| is_litter(n)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_litter() {
        for yes in [
            "briefing.toml",
            "content/incidents/x.md",
            "templates/page.html",
            "static/.well-known/security.txt",
            "content",
        ] {
            assert!(is_source(Path::new(yes)), "{yes}");
        }
        for no in [
            "public/index.html",
            "content/incidents/.x.md.swp",
            "content/incidents/x.md~",
            "content/.#x.md",
            "static/#x.css#",
            "templates/.hidden.html",
            "target/debug/x",
            "briefing.toml~",
            "README.md",
        ] {
            assert!(!is_source(Path::new(no)), "{no}");
        }
    }
}
