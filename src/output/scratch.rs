//! Folders and files a run must not leave behind: staging folders, `check`'s scratch
//! folder and output locks, registered while they exist so that SIGINT and SIGTERM can
//! remove them before the process exits (issue 9).
//!
//! Invariant: the registry's lock is held across the swap of a new output into place (see
//! [`super::staging::Staging::commit`]), so a signal never interrupts the swap half-way: it
//! is handled before the swap starts or after it ended. What SIGKILL leaves behind is
//! removed by the next build of the same output.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, RwLock};

static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Set once a signal is being handled: no file or folder is created after it.
static STOPPING: AtomicBool = AtomicBool::new(false);

/// Held (shared) by every file system operation that creates something in a registered
/// folder, and (exclusively) by the signal handler before it removes them: removal never
/// races a write that would leave a file, or a folder, behind it.
static GATE: RwLock<()> = RwLock::new(());

/// Run `op`, which creates files or folders inside a registered folder, unless the
/// process is stopping: then nothing is created and the error says why.
pub(crate) fn creating<T>(op: impl FnOnce() -> std::io::Result<T>) -> std::io::Result<T> {
    let _gate = GATE.read().unwrap_or_else(|e| e.into_inner());
    if STOPPING.load(Ordering::SeqCst) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::Interrupted,
            "the build was stopped by a signal",
        ));
    }
    op()
}

/// The registry, locked; a panic elsewhere does not stop cleaning up.
pub(crate) fn live() -> MutexGuard<'static, Vec<PathBuf>> {
    LIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Remove `path` (a folder or a file) if the process is stopped by a signal.
pub fn register(path: &Path) {
    live().push(path.to_path_buf());
}

/// Create `path` with `create` and register it, as one step: a signal handled meanwhile
/// waits, so it never misses a folder just created.
pub(crate) fn create_registered<T>(
    path: &Path,
    create: impl FnOnce(&Path) -> std::io::Result<T>,
) -> std::io::Result<T> {
    let mut live = live();
    let made = create(path)?;
    live.push(path.to_path_buf());
    Ok(made)
}

/// `path` is gone or kept on purpose: no longer remove it on a signal.
pub fn unregister(path: &Path) {
    live().retain(|p| p != path);
}

/// Remove everything registered; for a signal handler about to exit. Writers still
/// running are let finish the file they are writing and then refused any other.
pub fn remove_all() {
    STOPPING.store(true, Ordering::SeqCst);
    let _gate = GATE.write().unwrap_or_else(|e| e.into_inner());
    let mut live = live();
    for path in live.drain(..) {
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_dir() => {
                let _ = std::fs::remove_dir_all(&path);
            }
            Ok(_) => {
                let _ = std::fs::remove_file(&path);
            }
            Err(_) => {}
        }
    }
}

/// A registered scratch path, unregistered when dropped (a `TempDir` removes itself).
#[derive(Debug)]
pub struct Registered(PathBuf);

impl Registered {
    /// Register `path` until the returned value is dropped.
    pub fn new(path: &Path) -> Registered {
        register(path);
        Registered(path.to_path_buf())
    }

    /// Create something with `create` and register its path (given by `path`) as one step,
    /// as [`create_registered`] does: a signal handled meanwhile waits, so it never misses
    /// a scratch folder that was just created. Bind the pair in this order
    /// (`let (_registered, made) = ...`) so that `made` is dropped (and a `TempDir`
    /// removed) before the path is unregistered.
    pub fn create<T>(
        create: impl FnOnce() -> std::io::Result<T>,
        path: impl FnOnce(&T) -> PathBuf,
    ) -> std::io::Result<(Registered, T)> {
        let mut live = live();
        let made = create()?;
        let path = path(&made);
        live.push(path.clone());
        Ok((Registered(path), made))
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        unregister(&self.0);
    }
}

/// On SIGINT or SIGTERM, remove everything registered and exit with 128 + the signal's
/// number (130, 143), as a shell reports a process killed by it. Call once, early, from
/// the binary. Other platforms keep their default handling; the next build removes what
/// an interrupted one left beside its output.
pub fn clean_up_on_signals() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
            return;
        };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                remove_all();
                std::process::exit(128 + signal);
            }
        });
    }
}
