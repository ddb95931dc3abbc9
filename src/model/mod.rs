//! The domain: kinds of entity, slugs, TLP levels, the closed vocabularies of the content
//! model and the per-kind data.
//!
//! Per-kind data is generic over its reference type `R`: the load stage produces it with
//! [`RefSlug`] (the slug as written, with its place in the file), the link stage turns
//! it into [`EntityId`]s of published entities. One definition serves both stages.

pub mod country;
pub mod date;
mod entity;
pub mod front;
mod kind;
mod order;
mod relation;
mod slug;
mod spanned;
mod vocab;
pub mod written;

pub use country::CountryCode;
pub use date::PartialDate;
pub use entity::{
    ActorData, Casualties, Common, Data, EntityId, GroupData, IncidentData, Location, Source,
    StatementData, Verification,
};
pub use kind::Kind;
pub use order::{DateKey, Offset};
pub use relation::Relation;
pub use slug::{RefSlug, Slug, slugify};
pub use spanned::Spanned;
pub use vocab::{
    ActorKind, GroupStatus, IncidentStatus, RelationKind, Reliability, Stance, Tlp, UnknownWord,
    VerificationStatus,
};
