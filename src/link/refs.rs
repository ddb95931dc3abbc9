//! References: one index of every slug, published or not, and the check of every reference
//! of every document against it (unknown, wrong kind, withheld, self), with did-you-mean
//! hints from slugs and group aliases.

use std::collections::HashMap;
use std::path::PathBuf;

use super::Publish;
use crate::diag::{Code, Diagnostic, Diagnostics, Span, did_you_mean};
use crate::load::Document;
use crate::model::{Data, Kind, Slug, slugify};

/// What a slug of the index stands for.
pub(super) struct Target {
    pub(super) kind: Kind,
    pub(super) published: bool,
    /// The file exists but failed to load (its own errors are reported).
    pub(super) failed: bool,
}

/// Every slug, published or not, with what it stands for. A reference is looked up by its
/// [`Slug`]: written text that is no valid slug names no entity. Slugs are one namespace
/// across kinds (a reference need not know its target's kind), so the key is the slug and
/// the kind is part of the [`Target`].
pub(super) struct Index {
    /// Every document and every file that failed to load whose stem is a valid slug.
    slugs: HashMap<Slug, Target>,
    /// Files that failed to load whose stem is not a valid slug, by stem: a reference
    /// written as that stem must not be reported as unknown besides the file's own error.
    failed_stems: HashMap<String, Target>,
}

impl Index {
    /// What the reference written as `text` stands for: the entity of its slug, or a file
    /// that failed to load; `None` for a slug nothing has.
    pub(super) fn get(&self, text: &str) -> Option<&Target> {
        match Slug::parse(text) {
            Ok(slug) => self.slugs.get(&slug),
            Err(_) => self.failed_stems.get(text),
        }
    }

    /// Every slug with its target.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&Slug, &Target)> {
        self.slugs.iter()
    }
}

/// Index `documents` (and the slugs of files that `failed` to load); a duplicate slug is an
/// error and its document is dropped. Gives the documents kept and the index.
pub(super) fn index_documents(
    documents: Vec<Document>,
    failed: Vec<(String, Kind)>,
    publish: &Publish,
    diags: &Diagnostics,
) -> (Vec<Document>, Index) {
    let mut slugs: HashMap<Slug, Target> = HashMap::with_capacity(documents.len());
    let mut first_file: HashMap<Slug, PathBuf> = HashMap::new();
    let mut docs: Vec<Document> = Vec::with_capacity(documents.len());
    for doc in documents {
        if let Some(first) = first_file.get(&doc.slug) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateSlug,
                    format!(
                        "slug `{}` is already used by `{}`",
                        doc.slug,
                        crate::diag::display_path(first)
                    ),
                )
                .in_file(&doc.file)
                .at_opt(doc.slug_span.or(Some(Span::new(0, 3))))
                .help("slugs are shared by all kinds; rename this file or set a different `slug:`"),
            );
            continue;
        }
        first_file.insert(doc.slug.clone(), doc.file.clone());
        slugs.insert(
            doc.slug.clone(),
            Target {
                kind: doc.kind,
                published: publish.allows(&doc.common),
                failed: false,
            },
        );
        docs.push(doc);
    }
    let mut failed_stems = HashMap::new();
    for (stem, kind) in failed {
        let target = Target {
            kind,
            published: false,
            failed: true,
        };
        match Slug::parse(&stem) {
            Ok(slug) => slugs.entry(slug).or_insert(target),
            Err(_) => failed_stems.entry(stem).or_insert(target),
        };
    }
    (
        docs,
        Index {
            slugs,
            failed_stems,
        },
    )
}

/// A reference as written: in which field, to which slug, where, taking which kinds.
struct Ref<'a> {
    field: &'a str,
    slug: &'a str,
    span: Option<Span>,
    kinds: &'a [Kind],
}

/// Checks references against the index, reporting into `diags`.
pub(super) struct Checker<'a> {
    index: &'a Index,
    aliases: HashMap<String, Slug>,
    diags: &'a Diagnostics,
}

impl<'a> Checker<'a> {
    /// A checker of references to the documents of `index`; `docs` give group aliases.
    pub(super) fn new(index: &'a Index, docs: &[Document], diags: &'a Diagnostics) -> Self {
        Checker {
            index,
            aliases: alias_index(docs),
            diags,
        }
    }

    /// Check the frontmatter references and the wikilinks of `doc`.
    pub(super) fn check_document(&self, doc: &Document, from_published: bool) {
        for (field, r, kinds) in doc.data.references() {
            let r = Ref {
                field,
                slug: &r.slug,
                span: r.span,
                kinds,
            };
            self.check(doc, &r, from_published);
        }
        self.check_wikilinks(doc, from_published);
    }

    /// Check the wikilinks of `doc`.
    pub(super) fn check_wikilinks(&self, doc: &Document, from_published: bool) {
        for w in &doc.wikilinks {
            let r = Ref {
                field: "link",
                slug: &w.target,
                span: Some(w.span),
                kinds: &Kind::ALL,
            };
            self.check(doc, &r, from_published);
        }
    }

    /// Check one reference of `doc`.
    fn check(&self, doc: &Document, r: &Ref<'_>, from_published: bool) {
        let &Ref {
            field,
            slug,
            span,
            kinds,
        } = r;
        let (index, aliases, diags) = (self.index, &self.aliases, self.diags);
        let what = kinds_phrase(kinds);
        match index.get(slug) {
        // A file that failed to load: its own error says what is wrong.
        Some(t) if t.failed => {}
        None => {
            let suggestion = aliases
                .get(slug)
                .filter(|s| index.slugs.get(*s).is_some_and(|t| kinds.contains(&t.kind)))
                .map(Slug::to_string)
                .or_else(|| {
                    let candidates = index
                        .iter()
                        .filter(|(_, t)| kinds.contains(&t.kind))
                        .map(|(s, _)| s.as_str());
                    did_you_mean(slug, candidates).map(str::to_string)
                });
            let help = match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("create `content/{}/{slug}.md` or fix the slug", kinds[0].dir()),
            };
            diags.push(
                Diagnostic::error(Code::UnknownRef, format!("unknown {what} `{slug}` in `{field}`"))
                    .in_file(&doc.file)
                    .at_opt(span)
                    .label("no such slug")
                    .help(help),
            );
        }
        Some(t) if !kinds.contains(&t.kind) => diags.push(
            Diagnostic::error(
                Code::WrongKind,
                format!("`{slug}` is a {}, but `{field}` takes {what}s", t.kind),
            )
            .in_file(&doc.file)
            .at_opt(span)
            .help(format!("refer to a {what} here")),
        ),
        Some(t) if from_published && !t.published => diags.push(
            Diagnostic::note(
                Code::WithheldRef,
                format!("`{field}` refers to `{slug}`, which is withheld from this build; the reference is left out"),
            )
            .in_file(&doc.file)
            .at_opt(span)
            .help("publish the target, or accept that readers will not see this reference"),
        ),
        Some(_) if slug == doc.slug.as_str() && field != "link" => diags.push(
            Diagnostic::error(Code::SelfRef, format!("`{field}` refers to the entity itself"))
                .in_file(&doc.file)
                .at_opt(span)
                .help("remove the reference"),
        ),
        Some(_) => {}
    }
    }
}

fn kinds_phrase(kinds: &[Kind]) -> String {
    match kinds {
        [k] => k.as_str().to_string(),
        [a, b] => format!("{a} or {b}"),
        _ => "entity".to_string(),
    }
}

/// Short names and aliases of groups, as slugs, pointing at the group: `isis-k` ->
/// `islamic-state-khorasan`, for did-you-mean hints.
fn alias_index(docs: &[Document]) -> HashMap<String, Slug> {
    let mut map = HashMap::new();
    for d in docs {
        if let Data::Group(g) = &d.data {
            for name in g
                .short_name
                .iter()
                .chain(&g.aliases)
                .chain(std::iter::once(&d.common.title))
            {
                if let Some(s) = slugify(name) {
                    map.entry(s).or_insert_with(|| d.slug.clone());
                }
            }
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_by_slug_and_failed_stems_by_text() {
        let failed = vec![
            ("broken".to_string(), Kind::Group),
            ("Not A Slug".to_string(), Kind::Actor),
        ];
        let publish = Publish {
            tlp: crate::model::Tlp::Clear,
            drafts: false,
            now: jiff::Timestamp::UNIX_EPOCH,
        };
        let (_, index) = index_documents(Vec::new(), failed, &publish, &Diagnostics::new());
        assert!(
            index
                .get("broken")
                .is_some_and(|t| t.failed && t.kind == Kind::Group)
        );
        assert!(
            index
                .get("Not A Slug")
                .is_some_and(|t| t.kind == Kind::Actor)
        );
        // Text that is no valid slug names no entity, even one whose slug it spells.
        assert!(index.get("Broken").is_none());
        assert!(index.get("").is_none());
        assert_eq!(index.iter().count(), 1);
    }
}
