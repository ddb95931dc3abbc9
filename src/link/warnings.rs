//! Content warnings that need the whole site: incidents and statements without sources or
//! summaries, statements dated before their incident, actors nothing refers to, a relation
//! declared twice.

use super::refs::Index;
use crate::diag::{Code, Diagnostic, Diagnostics, Span};
use crate::load::Document;
use crate::model::{Data, Kind, Stance};

/// Warnings on one document.
pub(super) fn content_warnings(
    doc: &Document,
    index: &Index,
    docs: &[Document],
    diags: &Diagnostics,
) {
    let at_title = Span::new(0, 3);
    let has_sources = !doc.common.sources.is_empty()
        || matches!(&doc.data, Data::Statement(s) if s.source.is_some());
    if matches!(doc.kind, Kind::Incident | Kind::Statement) && !has_sources {
        diags.push(
            Diagnostic::warning(
                Code::NoSources,
                format!("this {} cites no source", doc.kind),
            )
            .in_file(&doc.file)
            .at(at_title)
            .help("add `sources:` with at least a title and a URL, so readers can check it"),
        );
    }
    if doc.kind != Kind::Page
        && doc
            .common
            .summary
            .as_deref()
            .is_none_or(|s| s.trim().is_empty())
    {
        diags.push(
            Diagnostic::warning(Code::NoSummary, format!("this {} has no summary", doc.kind))
                .in_file(&doc.file)
                .at(at_title)
                .help(
                    "add `summary:` with one or two sentences; listings, feeds and search use it",
                ),
        );
    }
    if let Data::Statement(s) = &doc.data
        && !matches!(s.stance, Stance::Warns | Stance::Threatens | Stance::Other)
        && let Some(inc) = &s.incident
        && index
            .get(&inc.slug)
            .is_some_and(|t| t.kind == Kind::Incident)
        && let Ok(pos) = docs.binary_search_by(|d| {
            (d.kind, d.slug.as_str()).cmp(&(Kind::Incident, inc.slug.as_str()))
        })
        && let Data::Incident(i) = &docs[pos].data
        && s.date.is_wholly_before(&i.date)
    {
        diags.push(
            Diagnostic::warning(
                Code::StatementBeforeIncident,
                format!("the statement is dated {} but its incident `{}` happened on {}", s.date, inc.slug, i.date),
            )
            .in_file(&doc.file)
            .at_opt(inc.span)
            .help("check both dates; a statement that predicts an incident should use `stance: warns`"),
        );
    }
    duplicate_relation_warnings(doc, diags);
}

/// A relation declared twice by one document (same group, same kind): the second is
/// shown once with the first, so one of them is a slip.
fn duplicate_relation_warnings(doc: &Document, diags: &Diagnostics) {
    let relations = match &doc.data {
        Data::Group(g) => &g.relations,
        Data::Actor(a) => &a.relations,
        _ => return,
    };
    for (i, r) in relations.iter().enumerate() {
        if relations[..i]
            .iter()
            .any(|p| p.group.slug == r.group.slug && p.kind == r.kind)
        {
            diags.push(
                Diagnostic::warning(
                    Code::DuplicateRelation,
                    format!(
                        "`{}` is listed twice as `{}` in `relations`",
                        r.group.slug,
                        r.kind.as_str()
                    ),
                )
                .in_file(&doc.file)
                .at_opt(r.group.span)
                .help("remove one of the two entries (readers see the relation once)"),
            );
        }
    }
}

/// Actors no document refers to.
pub(super) fn orphan_actor_warnings(docs: &[Document], diags: &Diagnostics) {
    let mut referenced: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for d in docs {
        for (_, r, _) in d.data.references() {
            referenced.insert(r.slug.as_str());
        }
        for w in &d.wikilinks {
            referenced.insert(w.target.as_str());
        }
    }
    for d in docs.iter().filter(|d| d.kind == Kind::Actor) {
        // An actor with relations to groups is shown on their pages: not an orphan.
        let related = matches!(&d.data, Data::Actor(a) if !a.relations.is_empty());
        if !referenced.contains(d.slug.as_str()) && !related {
            diags.push(
                Diagnostic::warning(Code::OrphanActor, format!("no statement or entity refers to actor `{}`", d.slug))
                    .in_file(&d.file)
                    .at(Span::new(0, 3))
                    .help("link it from a statement (`speaker`, `via`, `about`), an `affiliation`, or a `[[link]]`; or remove it"),
            );
        }
    }
}
