//! The record of the last build (issue 16): what a build read and wrote, so that the next
//! build with nothing changed can say so and stop, instead of doing everything again.
//!
//! Takes the site's root, its output folder and a digest of the build's settings; gives,
//! when nothing changed, the diagnostics the last build reported ([`check`]), and
//! writes the record after a build that may be trusted again ([`write()`]).
//!
//! What the record holds, in `.briefing-cache/last-build.json`:
//! - the running binary's hash and the settings' digest;
//! - one digest of every input: each file under `content/`, `templates/` and `static/`
//!   (editor litter aside) and `briefing.toml`, by path, type, size, modification and
//!   change times and inode;
//! - for the files changed within [`RACY`] of the build's start ("racily clean": a second
//!   change in the same tick of the clock may keep every one of those stats), the hash of
//!   their bytes, folded into the digest, and a hash of their paths, so the next check
//!   reads exactly those files again;
//! - one digest of every file and folder of the output, by path, type, size, modification
//!   time and inode: an output changed or removed by hand is written again;
//! - the diagnostics the build reported, to report them again.
//!
//! Invariants:
//! - the record names no file and holds no text of the site but the diagnostics; the build
//!   writes one only when no diagnostic concerns a withheld entity and no embargo is
//!   pending (the time an embargo lifts is itself withheld; see `build.rs`), and only for
//!   builds that publish what the settings publish;
//! - the inputs are taken before the build and again after it; a build during which an
//!   input changed writes no record;
//! - a record that cannot be read, parsed or matched is ignored and the build runs in
//!   full; the record never decides what a page holds, only whether to build at all.

use std::collections::HashSet;
use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use walkdir::WalkDir;
use xxhash_rust::xxh3::{Xxh3, xxh3_128};

use super::files;
use crate::diag::{Code, Diagnostic, Severity, Span};
use crate::source::litter::is_litter;

/// The record's file name in the cache folder.
pub const RECORD_FILE: &str = "last-build.json";
/// What the record's `format` field holds; another value is another format.
const FORMAT: &str = "briefing-last-build-1";
/// Files changed this close to the start of a build are read and hashed (see the module).
pub const RACY: Duration = Duration::from_secs(2);
/// Largest record read.
const MAX_RECORD_BYTES: u64 = 1 << 30;
/// The folders of the site a build reads.
const INPUT_DIRS: [&str; 3] = ["content", "templates", "static"];
/// The settings file.
const CONFIG: &str = "briefing.toml";

/// The inputs of a build, as found on disk at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inputs {
    digest: u128,
    /// Hashes of the paths of the racily clean files.
    racy: Vec<u128>,
    /// How many files.
    pub files: usize,
}

/// What [`check`] found: nothing changed since the last build.
#[derive(Debug, Clone, Default)]
pub struct UpToDate {
    /// What the last build reported, to report again.
    pub diagnostics: Vec<Diagnostic>,
    /// Input files checked.
    pub inputs: usize,
    /// Output files and folders checked.
    pub outputs: usize,
}

/// Which files count as racily clean: those changed since a moment (taking the inputs
/// before a build), or those a record names (checking and after the build).
enum Racy<'a> {
    Since(SystemTime),
    Named(&'a HashSet<u128>),
}

/// The inputs of the site at `root` now, with the files changed since `start - RACY`
/// hashed. `None` if a folder cannot be read (then there is nothing to compare).
pub fn inputs(root: &Path, start: SystemTime) -> Option<Inputs> {
    digest_inputs(root, &Racy::Since(start.checked_sub(RACY)?))
}

/// The inputs again, with the same files hashed as in `before`.
pub fn inputs_like(root: &Path, before: &Inputs) -> Option<Inputs> {
    let named: HashSet<u128> = before.racy.iter().copied().collect();
    digest_inputs(root, &Racy::Named(&named))
}

fn digest_inputs(root: &Path, racy: &Racy<'_>) -> Option<Inputs> {
    digest_inputs_as(root, std::slice::from_ref(racy))?.pop()
}

/// The inputs digested once per way of choosing the racily clean files, in one walk.
fn digest_inputs_as(root: &Path, ways: &[Racy<'_>]) -> Option<Vec<Inputs>> {
    let mut hs: Vec<(Xxh3, Vec<u128>)> = ways.iter().map(|_| (Xxh3::new(), Vec::new())).collect();
    let mut files = 0;
    let mut add = |rel: &str, path: &Path, hs: &mut [(Xxh3, Vec<u128>)]| -> Option<()> {
        let meta = fs::symlink_metadata(path).ok()?;
        let mut stat = Xxh3::new();
        put_str(&mut stat, rel);
        put_stat(&mut stat, &meta, true);
        let mut racy_time = changed_at(&meta);
        if meta.file_type().is_symlink() {
            // A link to a file is read through: its target's stats count too.
            match fs::metadata(path) {
                Ok(target) => {
                    put_stat(&mut stat, &target, true);
                    racy_time = racy_time.max(changed_at(&target));
                }
                Err(_) => stat.update(b"broken"),
            }
        }
        let stat = stat.digest128().to_le_bytes();
        let path_hash = xxh3_128(rel.as_bytes());
        let mut content = None;
        for ((h, hashed), way) in hs.iter_mut().zip(ways) {
            h.update(&stat);
            let is_racy = !meta.is_dir()
                && match way {
                    Racy::Since(t) => racy_time.is_none_or(|c| c >= *t),
                    Racy::Named(set) => set.contains(&path_hash),
                };
            if is_racy {
                if content.is_none() {
                    content = Some(xxh3_128(&fs::read(path).ok()?).to_le_bytes());
                }
                h.update(content.as_ref()?);
                hashed.push(path_hash);
            }
        }
        files += usize::from(!meta.is_dir());
        Some(())
    };
    for dir in INPUT_DIRS {
        let top = root.join(dir);
        if fs::symlink_metadata(&top).is_err() {
            for (h, _) in &mut hs {
                put_str(h, &format!("no {dir}"));
            }
            continue;
        }
        let walk = WalkDir::new(&top)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_litter(e.file_name()));
        for entry in walk {
            let entry = entry.ok()?;
            let rel = entry.path().strip_prefix(root).ok()?;
            add(&rel.to_string_lossy(), entry.path(), &mut hs)?;
        }
    }
    let config = root.join(CONFIG);
    if fs::symlink_metadata(&config).is_ok() {
        add(CONFIG, &config, &mut hs)?;
    } else {
        for (h, _) in &mut hs {
            put_str(h, "no briefing.toml");
        }
    }
    Some(
        hs.into_iter()
            .map(|(h, mut hashed)| {
                hashed.sort_unstable();
                Inputs {
                    digest: h.digest128(),
                    racy: hashed,
                    files,
                }
            })
            .collect(),
    )
}

/// Every file and folder of the output folder `out`, and how many there are. `None` if it
/// cannot be read whole.
fn digest_output(out: &Path) -> Option<(u128, usize)> {
    use rayon::prelude::*;
    // Each entry of the top folder is walked on its own, on all cores; their digests are
    // taken in name order, so the result does not depend on the threads.
    let mut tops: Vec<fs::DirEntry> = fs::read_dir(out).ok()?.collect::<Result<_, _>>().ok()?;
    tops.sort_by_key(fs::DirEntry::file_name);
    let parts = tops
        .par_iter()
        .map(|top| {
            let mut h = Xxh3::new();
            let mut n = 0;
            for entry in WalkDir::new(top.path())
                .follow_links(false)
                .sort_by_file_name()
            {
                let entry = entry.ok()?;
                let rel = entry.path().strip_prefix(out).ok()?;
                let meta = entry.metadata().ok()?;
                put_str(&mut h, &rel.to_string_lossy());
                put_stat(&mut h, &meta, false);
                n += 1;
            }
            Some((h.digest128(), n))
        })
        .collect::<Option<Vec<_>>>()?;
    let mut h = Xxh3::new();
    put_stat(&mut h, &fs::symlink_metadata(out).ok()?, false);
    let mut n = 1;
    for (digest, count) in parts {
        h.update(&digest.to_le_bytes());
        n += count;
    }
    Some((h.digest128(), n))
}

/// When a file last changed: the later of its modification and (on Unix) change times;
/// `None` if unknown.
fn changed_at(meta: &fs::Metadata) -> Option<SystemTime> {
    let modified = meta.modified().ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let ctime = SystemTime::UNIX_EPOCH.checked_add(Duration::new(
            u64::try_from(meta.ctime()).ok()?,
            u32::try_from(meta.ctime_nsec()).ok()?,
        ))?;
        Some(modified.max(ctime))
    }
    #[cfg(not(unix))]
    Some(modified)
}

fn put_str(h: &mut Xxh3, s: &str) {
    h.update(&(s.len() as u64).to_le_bytes());
    h.update(s.as_bytes());
}

/// Type, size, times and identity of a file. `ctime`: whether the change time counts
/// (inputs); a folder's size and times do not (editor litter changes them).
fn put_stat(h: &mut Xxh3, meta: &fs::Metadata, ctime: bool) {
    let t = meta.file_type();
    h.update(&[
        u8::from(t.is_dir()),
        u8::from(t.is_file()),
        u8::from(t.is_symlink()),
    ]);
    if t.is_dir() {
        return;
    }
    h.update(&meta.len().to_le_bytes());
    let nanos = |t: std::io::Result<SystemTime>| {
        t.ok()
            .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos())
    };
    h.update(&nanos(meta.modified()).to_le_bytes());
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        h.update(&meta.ino().to_le_bytes());
        h.update(&meta.dev().to_le_bytes());
        if ctime {
            h.update(&meta.ctime().to_le_bytes());
            h.update(&meta.ctime_nsec().to_le_bytes());
        }
    }
    #[cfg(not(unix))]
    let _ = ctime;
}

/// The record as stored (`D`: its diagnostics, or `IgnoredAny` to skip them).
#[derive(Debug, Serialize, Deserialize)]
struct Stored<D = Vec<StoredDiagnostic>> {
    format: String,
    binary: String,
    settings: String,
    inputs: String,
    racy: Vec<String>,
    outputs: String,
    diagnostics: D,
}

/// A diagnostic as stored: everything it is printed from (line and column included; the
/// excerpt is read from the unchanged file again when printed).
#[derive(Debug, Serialize, Deserialize)]
struct StoredDiagnostic {
    severity: String,
    code: String,
    message: String,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    help: Option<String>,
    span: Option<(usize, usize)>,
    label: Option<String>,
}

impl StoredDiagnostic {
    fn of(d: &Diagnostic) -> Self {
        StoredDiagnostic {
            severity: d.severity.to_string(),
            code: d.code.as_str().to_string(),
            message: d.message.clone(),
            file: d.file.as_ref().map(|f| f.to_string_lossy().into_owned()),
            line: d.line,
            column: d.column,
            help: d.help.clone(),
            span: d.span.map(|s| (s.offset, s.len)),
            label: d.label.clone(),
        }
    }

    fn into_diagnostic(self) -> Option<Diagnostic> {
        let code = *Code::ALL.iter().find(|c| c.as_str() == self.code)?;
        // A code has one severity; a record that says otherwise is not trusted.
        if self.severity != code.severity().to_string() {
            return None;
        }
        let mut d = match code.severity() {
            Severity::Error => Diagnostic::error(code, self.message),
            Severity::Warning => Diagnostic::warning(code, self.message),
            Severity::Note => Diagnostic::note(code, self.message),
        };
        d.file = self.file.map(Into::into);
        d.line = self.line;
        d.column = self.column;
        d.help = self.help;
        d.span = self.span.map(|(offset, len)| Span::new(offset, len));
        d.label = self.label;
        Some(d)
    }
}

fn hex(n: u128) -> String {
    format!("{n:032x}")
}

/// A digest of the settings a build ran with (`parts` in order: root, output, base URL
/// override, ...). Builds with other settings never match the record.
pub fn settings_digest(parts: &[&str]) -> u128 {
    let mut h = Xxh3::new();
    h.update(FORMAT.as_bytes());
    for p in parts {
        put_str(&mut h, p);
    }
    h.digest128()
}

/// What [`check`] found.
#[derive(Debug)]
pub enum Checked {
    /// Nothing changed since the last build.
    UpToDate(UpToDate),
    /// Something did (or there is no record to compare with): the inputs as they are now,
    /// taken at `start` as [`inputs`] takes them, for the build to record.
    Changed(Option<Inputs>),
}

/// Compare the site at `root`, its output folder `out` and `settings` with the record of
/// the last build: up to date if nothing it read or wrote changed since. Otherwise the
/// inputs as [`inputs`] would take them at `start`, from the same walk.
pub fn check(root: &Path, out: &Path, settings: Option<u128>, start: SystemTime) -> Checked {
    match compare(root, out, settings, start) {
        Ok(up) => Checked::UpToDate(up),
        Err(Some(now)) => Checked::Changed(Some(now)),
        Err(None) => Checked::Changed(inputs(root, start)),
    }
}

/// [`check`]; `Err` holds the inputs if they were taken.
fn compare(
    root: &Path,
    out: &Path,
    settings: Option<u128>,
    start: SystemTime,
) -> Result<UpToDate, Option<Inputs>> {
    let path = root.join(files::CACHE_DIR).join(RECORD_FILE);
    if !fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
        return Err(None);
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(fs::File::open(&path).map_err(|_| None)?, MAX_RECORD_BYTES),
        &mut bytes,
    )
    .map_err(|_| None)?;
    // The digests first: the diagnostics are read only if they are to be reported.
    let stored: Stored<serde::de::IgnoredAny> = serde_json::from_slice(&bytes).map_err(|_| None)?;
    let binary = files::binary_hash().ok_or(None)?;
    let settings = settings.ok_or(None)?;
    if stored.format != FORMAT || stored.binary != hex(binary) || stored.settings != hex(settings) {
        return Err(None);
    }
    let racy = stored
        .racy
        .iter()
        .map(|s| u128::from_str_radix(s, 16).ok())
        .collect::<Option<HashSet<u128>>>()
        .ok_or(None)?;
    // The inputs first (a third as many as the outputs), digested both as the record names
    // its racy files and as a build starting now would record them; the outputs only if
    // the inputs are the same.
    let since = start.checked_sub(RACY).ok_or(None)?;
    let mut inputs =
        digest_inputs_as(root, &[Racy::Named(&racy), Racy::Since(since)]).ok_or(None)?;
    let now = inputs.pop().ok_or(None)?;
    let then = inputs.pop().ok_or(None)?;
    if stored.inputs != hex(then.digest) {
        return Err(Some(now));
    }
    let n_out = match digest_output(out) {
        Some((outputs, n)) if stored.outputs == hex(outputs) => n,
        _ => return Err(Some(now)),
    };
    let diagnostics = serde_json::from_slice::<Stored>(&bytes)
        .ok()
        .and_then(|stored| {
            stored
                .diagnostics
                .into_iter()
                .map(StoredDiagnostic::into_diagnostic)
                .collect::<Option<Vec<_>>>()
        })
        .ok_or(Some(now))?;
    Ok(UpToDate {
        diagnostics,
        inputs: then.files,
        outputs: n_out,
    })
}

/// Write the record of a build of the site at `root` into `out` with `settings`, which
/// read `before` and reported `diagnostics`; nothing is written if the inputs changed
/// while it ran. Returns whether the record was written.
pub fn write(
    root: &Path,
    out: &Path,
    settings: u128,
    before: &Inputs,
    diagnostics: &[Diagnostic],
) -> bool {
    let cache = root.join(files::CACHE_DIR);
    let written = (|| {
        let (after, output) = rayon::join(|| inputs_like(root, before), || digest_output(out));
        if after? != *before {
            return None;
        }
        let (outputs, _) = output?;
        let stored: Stored = Stored {
            format: FORMAT.to_string(),
            binary: hex(files::binary_hash()?),
            settings: hex(settings),
            inputs: hex(before.digest),
            racy: before.racy.iter().map(|&r| hex(r)).collect(),
            outputs: hex(outputs),
            diagnostics: diagnostics.iter().map(StoredDiagnostic::of).collect(),
        };
        let bytes = serde_json::to_vec(&stored).ok()?;
        files::write_in_cache(&cache, RECORD_FILE, &bytes).ok()
    })()
    .is_some();
    if !written {
        forget(root);
    }
    written
}

/// Remove the record of the site at `root`, if there is one.
pub fn forget(root: &Path) {
    let path = root.join(files::CACHE_DIR).join(RECORD_FILE);
    if is_record(&path) {
        let _ = fs::remove_file(path);
    }
}

/// Whether `path` is a record as [`write`] writes it (a file of the same name that is not
/// is someone else's).
pub(super) fn is_record(path: &Path) -> bool {
    #[derive(Deserialize)]
    struct Format {
        format: String,
    }
    fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
        && fs::File::open(path)
            .ok()
            .and_then(|f| serde_json::from_reader::<_, Format>(std::io::BufReader::new(f)).ok())
            .is_some_and(|f| f.format.starts_with("briefing-last-build-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir_all(root.path().join("content/incidents")).unwrap();
        fs::write(root.path().join("content/incidents/a.md"), "---\n---\nA\n").unwrap();
        fs::write(root.path().join("content/.a.md.swp"), "litter").unwrap();
        fs::write(root.path().join(CONFIG), "title = \"T\"\n").unwrap();
        root
    }

    #[test]
    fn files_changed_near_the_start_of_a_build_are_hashed_and_litter_is_not_an_input() {
        let root = site();
        let now = SystemTime::now();
        let recent = inputs(root.path(), now).unwrap();
        assert_eq!(
            recent.files, 2,
            "the entry and briefing.toml, not the swap file"
        );
        assert_eq!(recent.racy.len(), 2, "both were just written");
        let later = inputs(root.path(), now + Duration::from_secs(3600)).unwrap();
        assert!(later.racy.is_empty(), "{later:?}");
        assert_eq!(inputs_like(root.path(), &recent).unwrap(), recent);
        fs::write(root.path().join("content/.a.md.swp"), "more litter").unwrap();
        assert_eq!(inputs_like(root.path(), &recent).unwrap(), recent);
        fs::write(root.path().join("content/incidents/a.md"), "---\n---\nB\n").unwrap();
        assert_ne!(inputs_like(root.path(), &recent).unwrap(), recent);
    }

    #[test]
    fn a_check_that_finds_a_change_gives_the_inputs_a_build_would_record() {
        let root = site();
        let out = root.path().join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("index.html"), "page").unwrap();
        let start = SystemTime::now();
        let before = inputs(root.path(), start).unwrap();
        assert!(write(root.path(), &out, 7, &before, &[]));
        assert!(matches!(
            check(root.path(), &out, Some(7), start),
            Checked::UpToDate(UpToDate {
                inputs: 2,
                outputs: 2,
                ..
            })
        ));
        assert!(matches!(
            check(root.path(), &out, Some(8), start),
            Checked::Changed(Some(_))
        ));
        fs::write(root.path().join("content/incidents/b.md"), "---\n---\n").unwrap();
        let Checked::Changed(Some(now)) = check(root.path(), &out, Some(7), start) else {
            panic!("the new file was not seen");
        };
        assert_eq!(now, inputs(root.path(), start).unwrap());
        assert_eq!(now.files, 3);
    }

    #[test]
    fn diagnostics_come_back_as_they_were_stored() {
        let code = *Code::ALL
            .iter()
            .find(|c| c.severity() == Severity::Warning)
            .unwrap();
        let mut d = Diagnostic::warning(code, "a message")
            .in_file("content/a.md")
            .help("a hint");
        d.span = Some(Span::new(3, 4));
        d.label = Some("here".into());
        d.line = Some(2);
        d.column = Some(5);
        let back = StoredDiagnostic::of(&d).into_diagnostic().unwrap();
        assert_eq!(format!("{back:?}"), format!("{d:?}"));
        let mut foreign = StoredDiagnostic::of(&d);
        foreign.code = "E-from-the-future".into();
        assert!(foreign.into_diagnostic().is_none());
        let mut tampered = StoredDiagnostic::of(&d);
        tampered.severity = "error".into();
        assert!(
            tampered.into_diagnostic().is_none(),
            "a warning's code as an error"
        );
    }
}
