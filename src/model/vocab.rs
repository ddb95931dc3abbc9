//! The closed vocabularies of the content model (TLP, statuses, stances, reliability):
//! each a fieldless enum with its text as written in frontmatter and its label for readers.

use serde::{Deserialize, Serialize};

macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $text:literal / $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $text)] $variant,)+
        }
        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The value as written in frontmatter.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }
            /// The value for readers.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }
        }
    };
}

vocabulary! {
    /// Traffic Light Protocol 2.0, ordered from least to most restricted.
    Tlp {
        /// May be published.
        Clear = "clear" / "TLP:CLEAR",
        /// Community-wide.
        Green = "green" / "TLP:GREEN",
        /// Limited disclosure.
        Amber = "amber" / "TLP:AMBER",
        /// Organisation only.
        AmberStrict = "amber+strict" / "TLP:AMBER+STRICT",
        /// Named recipients only.
        Red = "red" / "TLP:RED",
    }
}

#[allow(clippy::derivable_impls)] // the vocabulary macro derives no Default
impl Default for Tlp {
    fn default() -> Self {
        Tlp::Clear
    }
}

vocabulary! {
    /// Status of an incident's facts.
    IncidentStatus {
        /// Facts still emerging.
        Developing = "developing" / "Developing",
        /// Established.
        Confirmed = "confirmed" / "Confirmed",
        /// Contested.
        Disputed = "disputed" / "Disputed",
    }
}

vocabulary! {
    /// Whether a group is operating.
    GroupStatus {
        /// Operating.
        Active = "active" / "Active",
        /// Dormant.
        Inactive = "inactive" / "Inactive",
        /// No longer exists.
        Defunct = "defunct" / "Defunct",
    }
}

vocabulary! {
    /// What kind of actor.
    ActorKind {
        /// A state.
        State = "state" / "State",
        /// A person.
        Person = "person" / "Person",
        /// A government agency.
        Agency = "agency" / "Agency",
        /// A non-state organisation.
        Organisation = "organisation" / "Organisation",
        /// A media outlet.
        Media = "media" / "Media",
    }
}

vocabulary! {
    /// What a statement does.
    Stance {
        /// Claims responsibility.
        Claims = "claims" / "Claims",
        /// Warns of a threat.
        Warns = "warns" / "Warns",
        /// Blames someone.
        Blames = "blames" / "Blames",
        /// Denies involvement.
        Denies = "denies" / "Denies",
        /// Condemns.
        Condemns = "condemns" / "Condemns",
        /// Admits.
        Admits = "admits" / "Admits",
        /// Attributes responsibility (analytic).
        Attributes = "attributes" / "Attributes",
        /// Threatens.
        Threatens = "threatens" / "Threatens",
        /// Anything else.
        Other = "other" / "Other",
    }
}

vocabulary! {
    /// Whether a statement is authentic and true.
    VerificationStatus {
        /// Verified.
        Confirmed = "confirmed" / "Confirmed",
        /// Not verified.
        Unverified = "unverified" / "Unverified",
        /// Contested.
        Disputed = "disputed" / "Disputed",
        /// Authentic but untrue.
        False = "false" / "False",
        /// Not made by the speaker at all (e.g. a deepfake).
        Fabricated = "fabricated" / "Fabricated",
    }
}

vocabulary! {
    /// Admiralty grade of a source's reliability.
    Reliability {
        /// Completely reliable.
        A = "A" / "Completely reliable",
        /// Usually reliable.
        B = "B" / "Usually reliable",
        /// Fairly reliable.
        C = "C" / "Fairly reliable",
        /// Not usually reliable.
        D = "D" / "Not usually reliable",
        /// Unreliable.
        E = "E" / "Unreliable",
        /// Reliability cannot be judged.
        F = "F" / "Reliability cannot be judged",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tlp_orders_by_restriction() {
        assert!(Tlp::Clear < Tlp::Green && Tlp::Green < Tlp::Amber);
        assert!(Tlp::Amber < Tlp::AmberStrict && Tlp::AmberStrict < Tlp::Red);
    }
}
