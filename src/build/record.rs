//! The build's side of the record of the last build (issue 16; the record itself is
//! [`crate::cache::record`]): which builds may skip themselves, and which may be recorded.
//!
//! A build may be skipped, and recorded, only when it uses the cache to the full (`build`
//! without `--no-cache`), writes an output folder and publishes what the settings
//! publish (no `--tlp`, `--drafts` or `--now`). It is recorded only when it succeeded, no
//! embargo is pending (when one lifts the site changes without any file changing, and the
//! moment is itself withheld) and no diagnostic it reported concerns a withheld entity:
//! none is about a withheld entity's file, and none names a withheld entity's slug or
//! title. A build that may not be recorded removes the old record.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use aho_corasick::AhoCorasick;

use super::{BuildOptions, CacheUse};
use crate::cache::record::{self, Checked, Inputs};
use crate::diag::Diagnostic;
use crate::load::Loaded;
use crate::plan::Publish;

/// A build that may be skipped and recorded: its root and output folder.
pub(super) struct Recorder<'a> {
    root: &'a Path,
    output: &'a Path,
    base_url: &'a str,
}

impl<'a> Recorder<'a> {
    /// The recorder of a build with `opts`, if its settings allow one (see the module).
    pub(super) fn of(opts: &'a BuildOptions) -> Option<Recorder<'a>> {
        let plain = opts.cache == CacheUse::ReadWrite
            && opts.tlp.is_none()
            && !opts.drafts
            && opts.now.is_none()
            && opts.after_link.is_none();
        plain.then_some(Recorder {
            root: &opts.root,
            output: opts.output.as_deref()?,
            base_url: opts.base_url.as_deref().unwrap_or(""),
        })
    }

    /// The digest of the settings; `None` when a folder cannot be resolved.
    fn settings(&self) -> Option<u128> {
        let root = self.root.canonicalize().ok()?;
        let output = self.output.canonicalize().ok()?;
        Some(record::settings_digest(&[
            &root.to_string_lossy(),
            &output.to_string_lossy(),
            self.base_url,
        ]))
    }

    /// Compare with the record of the last build: up to date, or the inputs as they are
    /// before this build starts.
    pub(super) fn check(&self) -> Checked {
        record::check(self.root, self.output, self.settings(), SystemTime::now())
    }

    /// After the build: record it if it succeeded and `may` be recorded, else forget the
    /// last record.
    pub(super) fn finish(&self, before: Option<&Inputs>, may: bool, diagnostics: &[Diagnostic]) {
        let settings = self.settings();
        match (before, settings) {
            (Some(before), Some(settings)) if may => {
                record::write(self.root, self.output, settings, before, diagnostics);
            }
            _ => record::forget(self.root),
        }
    }
}

/// What the diagnostics of a build must not mention for it to be recorded.
#[derive(Debug, Default)]
pub(super) struct Withheld {
    /// An embargo is pending.
    embargo: bool,
    /// Files of withheld entities.
    files: HashSet<PathBuf>,
    /// Their slugs and titles.
    names: Vec<String>,
}

impl Withheld {
    /// What `loaded` holds that `publish` withholds.
    pub(super) fn of(loaded: &Loaded, publish: &Publish) -> Withheld {
        let mut w = Withheld::default();
        for d in &loaded.documents {
            w.embargo |= d.common.publish_at.is_some_and(|p| p.start() > publish.now);
            if !publish.allows(&d.common) {
                w.files.insert(d.file.clone());
                w.names.push(d.slug.as_str().to_string());
                w.names.push(d.common.title.clone());
            }
        }
        w.names.retain(|n| !n.is_empty());
        w
    }

    /// Whether a build that reported `diagnostics` may be recorded.
    pub(super) fn allows(&self, diagnostics: &[Diagnostic]) -> bool {
        if self.embargo {
            return false;
        }
        if self.names.is_empty() {
            return true;
        }
        let Ok(names) = AhoCorasick::new(&self.names) else {
            return false;
        };
        diagnostics.iter().all(|d| {
            let about = d.file.as_ref().is_some_and(|f| self.files.contains(f));
            let texts = [Some(&d.message), d.help.as_ref(), d.label.as_ref()];
            !about && !texts.into_iter().flatten().any(|t| names.is_match(t))
        })
    }
}
