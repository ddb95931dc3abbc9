//! The load stage of a rebuild: the content files that changed are read and parsed
//! again, the others' documents (and their diagnostics) are kept from before; `content/`
//! is walked again only when a file may have appeared or gone.

use std::collections::HashSet;
use std::path::PathBuf;

use rayon::prelude::*;

use super::{Cached, Changes, Engine};
use crate::diag::Diagnostics;
use crate::load::{CONTENT_DIR, Loaded, assemble, content_files, load_file};
use crate::model::Kind;

impl Engine {
    /// The load stage: changed files read again, the others' documents kept.
    pub(super) fn load(&mut self, changes: &Changes, diags: &Diagnostics) -> Loaded {
        let root = &self.options.root;
        let changed: &[PathBuf] = match changes {
            Changes::All => {
                self.docs.clear();
                &[]
            }
            Changes::Paths(paths) => paths,
        };
        // A file may have appeared or gone: walk `content/` again.
        let walk = matches!(changes, Changes::All)
            || self.walked.is_none()
            || changed.iter().any(|p| {
                p.starts_with(CONTENT_DIR) && !(self.docs.contains_key(p) && root.join(p).is_file())
            });
        if walk {
            let found = Diagnostics::new();
            let files = content_files(root, &found).unwrap_or_default();
            self.walked = Some((files, found.into_vec()));
        }
        let Some((files, walk_diags)) = &self.walked else {
            return Loaded::default();
        };
        diags.extend(walk_diags.iter().cloned());
        if walk {
            let present: HashSet<&PathBuf> = files.iter().map(|(p, _)| p).collect();
            self.docs.retain(|p, _| present.contains(p));
        }
        self.docs
            .retain(|p, _| !changed.iter().any(|c| p.starts_with(c)));
        let missing: Vec<&(PathBuf, Kind)> = files
            .iter()
            .filter(|(p, k)| self.docs.get(p).is_none_or(|c| c.kind != *k))
            .collect();
        let fresh: Vec<(PathBuf, Cached)> = missing
            .par_iter()
            .map(|(rel, kind)| {
                let found = Diagnostics::new();
                let doc = load_file(root, rel, *kind, &found);
                let cached = Cached {
                    kind: *kind,
                    doc,
                    diags: found.into_vec(),
                };
                (rel.clone(), cached)
            })
            .collect();
        self.docs.extend(fresh);
        // Linking takes the documents: copies of them, made on all cores.
        let docs = &self.docs;
        let (results, found): (Vec<_>, Vec<_>) = files
            .par_iter()
            .map(|(rel, _)| {
                let cached = &docs[rel];
                (cached.doc.clone(), cached.diags.clone())
            })
            .unzip();
        diags.extend(found.into_iter().flatten());
        assemble(files, results)
    }
}
