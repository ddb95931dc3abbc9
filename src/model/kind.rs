//! The five kinds of content, their folders and labels.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use super::vocab::{UnknownWord, parse_word};

/// The five kinds of content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// An attack.
    Incident,
    /// An armed group or organisation.
    Group,
    /// A state, person, agency, organisation or media outlet.
    Actor,
    /// Who said what about an incident.
    Statement,
    /// A plain page.
    Page,
}

impl Kind {
    /// Every kind, in display order.
    pub const ALL: [Kind; 5] = [
        Kind::Incident,
        Kind::Group,
        Kind::Actor,
        Kind::Statement,
        Kind::Page,
    ];

    /// Singular key: `incident`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Incident => "incident",
            Kind::Group => "group",
            Kind::Actor => "actor",
            Kind::Statement => "statement",
            Kind::Page => "page",
        }
    }

    /// Folder and URL segment: `incidents`.
    pub fn dir(self) -> &'static str {
        match self {
            Kind::Incident => "incidents",
            Kind::Group => "groups",
            Kind::Actor => "actors",
            Kind::Statement => "statements",
            Kind::Page => "pages",
        }
    }

    /// `Incident`.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Incident => "Incident",
            Kind::Group => "Group",
            Kind::Actor => "Actor",
            Kind::Statement => "Statement",
            Kind::Page => "Page",
        }
    }

    /// `Incidents`.
    pub fn plural_label(self) -> &'static str {
        match self {
            Kind::Incident => "Incidents",
            Kind::Group => "Groups",
            Kind::Actor => "Actors",
            Kind::Statement => "Statements",
            Kind::Page => "Pages",
        }
    }

    /// The kind whose content folder is `dir`.
    pub fn from_dir(dir: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.dir() == dir)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = UnknownWord;

    /// The singular key (`incident`) or label, ignoring ASCII case and surrounding space.
    fn from_str(s: &str) -> Result<Self, UnknownWord> {
        parse_word(s, &Kind::ALL, |k| [k.as_str(), k.label()], "kind")
    }
}
