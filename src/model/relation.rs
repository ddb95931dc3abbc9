//! A typed relation from a group or an actor to a group (`relations` in frontmatter).
//!
//! Generic over its reference type like the rest of [`Data`](super::Data): the load stage
//! reads it with the group as written ([`RefSlug`](super::RefSlug)), the link stage keeps
//! it only when the group is published.

use serde::{Deserialize, Serialize};

use super::{PartialDate, RelationKind};

/// `{ group, kind, since, note }`: how the entity carrying it stands to `group`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Relation<R> {
    /// The group it relates to (a group slug).
    pub group: R,
    /// What the relation is.
    pub kind: RelationKind,
    /// Since when (a partial date).
    #[serde(default)]
    pub since: Option<PartialDate>,
    /// A short note for readers.
    #[serde(default)]
    pub note: Option<String>,
}

impl<R> Relation<R> {
    /// The same relation to `f(group)`, or `None` when `f` drops the group.
    pub fn map_group<T>(self, f: impl FnOnce(R) -> Option<T>) -> Option<Relation<T>> {
        Some(Relation {
            group: f(self.group)?,
            kind: self.kind,
            since: self.since,
            note: self.note,
        })
    }
}
