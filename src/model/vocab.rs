//! The closed vocabularies of the content model (TLP, statuses, stances, reliability):
//! each a fieldless enum with its text as written in frontmatter and its label for readers.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Declares a closed vocabulary: a fieldless enum with its text as written, its label for
/// readers, [`ALL`](Tlp::ALL) and a [`FromStr`] that names the vocabulary (`what`) when
/// the word is unknown.
macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident as $what:literal { $($(#[$vm:meta])* $variant:ident = $text:literal / $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, schemars::JsonSchema)]
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
        impl FromStr for $name {
            type Err = UnknownWord;
            /// The value as written or its label, ignoring ASCII case and surrounding
            /// space (for the command line; frontmatter is read strictly by serde).
            fn from_str(s: &str) -> Result<Self, UnknownWord> {
                parse_word(s, $name::ALL, |v| [v.as_str(), v.label()], $what)
            }
        }
    };
}

/// A word that is not in a closed vocabulary (or not a [`Kind`](super::Kind)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownWord {
    /// What the vocabulary is, e.g. `TLP level`.
    pub what: &'static str,
    /// The word as given.
    pub word: String,
    /// The words allowed, as written.
    pub expected: Vec<&'static str>,
}

impl fmt::Display for UnknownWord {
    /// `unknown TLP level `orange`; use clear, green, amber, amber+strict or red`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} `{}`; use ", self.what, self.word)?;
        for (i, word) in self.expected.iter().enumerate() {
            match i {
                0 => {}
                _ if i + 1 == self.expected.len() => f.write_str(" or ")?,
                _ => f.write_str(", ")?,
            }
            f.write_str(word)?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownWord {}

/// The value of `all` whose words (`words`: text as written, label) match `s`, ignoring
/// ASCII case and surrounding space.
pub(super) fn parse_word<T: Copy, const N: usize>(
    s: &str,
    all: &[T],
    words: impl Fn(T) -> [&'static str; N],
    what: &'static str,
) -> Result<T, UnknownWord> {
    let wanted = s.trim();
    all.iter()
        .copied()
        .find(|&v| words(v).iter().any(|w| w.eq_ignore_ascii_case(wanted)))
        .ok_or_else(|| UnknownWord {
            what,
            word: s.to_string(),
            expected: all.iter().map(|&v| words(v)[0]).collect(),
        })
}

vocabulary! {
    /// Traffic Light Protocol 2.0, ordered from least to most restricted.
    Tlp as "TLP level" {
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
    IncidentStatus as "incident status" {
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
    GroupStatus as "group status" {
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
    ActorKind as "actor kind" {
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
    Stance as "stance" {
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
    VerificationStatus as "verification status" {
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
    /// How a group (or an actor) stands to a group (`relations`). `allied` and `rival`
    /// read the same from both sides; the others have a direction (see
    /// [`RelationKind::inverse_label`]).
    RelationKind as "relation kind" {
        /// Allies, from either side.
        Allied = "allied" / "Allied with",
        /// Rivals or enemies, from either side.
        Rival = "rival" / "Rival of",
        /// Broke away from the other group.
        SplinterOf = "splinter-of" / "Splinter of",
        /// Joined and became part of the other group.
        MergedInto = "merged-into" / "Merged into",
        /// Pledged to or franchised by the other group.
        Affiliate = "affiliate" / "Affiliate of",
    }
}

impl RelationKind {
    /// Whether the relation reads the same from both sides.
    pub fn is_symmetric(self) -> bool {
        matches!(self, RelationKind::Allied | RelationKind::Rival)
    }

    /// The label shown on the other side of the relation: `Splinters` on the page of the
    /// group a splinter broke away from; the same label for symmetric kinds.
    pub fn inverse_label(self) -> &'static str {
        match self {
            RelationKind::SplinterOf => "Splinters",
            RelationKind::MergedInto => "Absorbed",
            RelationKind::Affiliate => "Affiliates",
            k => k.label(),
        }
    }
}

vocabulary! {
    /// Admiralty grade of a source's reliability.
    Reliability as "reliability grade" {
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

    #[test]
    fn every_value_parses_from_its_text_and_label() {
        fn round_trip<T: FromStr<Err = UnknownWord> + PartialEq + fmt::Debug + Copy>(
            all: &[T],
            text: impl Fn(T) -> &'static str,
            label: impl Fn(T) -> &'static str,
        ) {
            for &v in all {
                assert_eq!(text(v).parse::<T>(), Ok(v));
                assert_eq!(label(v).to_ascii_uppercase().parse::<T>(), Ok(v));
            }
        }
        round_trip(Tlp::ALL, Tlp::as_str, Tlp::label);
        round_trip(
            IncidentStatus::ALL,
            IncidentStatus::as_str,
            IncidentStatus::label,
        );
        round_trip(GroupStatus::ALL, GroupStatus::as_str, GroupStatus::label);
        round_trip(ActorKind::ALL, ActorKind::as_str, ActorKind::label);
        round_trip(Stance::ALL, Stance::as_str, Stance::label);
        round_trip(
            VerificationStatus::ALL,
            VerificationStatus::as_str,
            VerificationStatus::label,
        );
        round_trip(Reliability::ALL, Reliability::as_str, Reliability::label);
        round_trip(RelationKind::ALL, RelationKind::as_str, RelationKind::label);
    }

    #[test]
    fn tlp_is_read_as_the_command_line_writes_it() {
        assert_eq!(" TLP:Amber+Strict ".parse(), Ok(Tlp::AmberStrict));
        assert_eq!("RED".parse(), Ok(Tlp::Red));
        assert_eq!(
            "orange".parse::<Tlp>().unwrap_err().to_string(),
            "unknown TLP level `orange`; use clear, green, amber, amber+strict or red"
        );
    }
}
