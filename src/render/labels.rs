//! Labels for readers of vocabulary values and free words (tags, attack types, targets,
//! ideologies): `claim-of-responsibility` reads "Claim of responsibility" (issue 12).
//!
//! Takes the `[labels]` table of `briefing.toml`; gives the label of a word. A key of
//! `[labels]` renames that word wherever a page, listing or feed shows it; without one, a
//! vocabulary value gets its built-in label ([`crate::model::Stance::label`], ...) and a
//! free word written as a slug (lowercase, hyphens) is spelt out. A word with a capital or
//! a space is the author's own spelling and is kept. [`check_labels`] warns about keys
//! that name no word of the content.

use std::collections::{BTreeMap, BTreeSet};

use crate::config::{CONFIG_FILE, Config};
use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::load::Loaded;
use crate::model::{
    ActorKind, Data, GroupStatus, IncidentStatus, Stance, VerificationStatus, slugify,
};

/// The labels of a site: its `[labels]` over the built-in ones.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    renamed: BTreeMap<String, String>,
}

impl Labels {
    /// The labels of `config`.
    pub fn new(config: &Config) -> Labels {
        Labels {
            renamed: config
                .labels
                .iter()
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .filter(|(_, v)| !v.is_empty())
                .collect(),
        }
    }

    /// The label of a vocabulary value written `word` whose built-in label is `builtin`.
    pub fn vocab(&self, word: &str, builtin: &str) -> String {
        self.renamed
            .get(word)
            .cloned()
            .unwrap_or_else(|| builtin.to_string())
    }

    /// The label of a free word (a tag, an attack type, a target, an ideology), as written
    /// or by its slug in `[labels]`, else [`spell_out`].
    pub fn word(&self, word: &str) -> String {
        let word = word.trim();
        if self.renamed.is_empty() {
            return spell_out(word);
        }
        self.renamed
            .get(word)
            .or_else(|| slugify(word).and_then(|s| self.renamed.get(&s)))
            .cloned()
            .unwrap_or_else(|| spell_out(word))
    }

    /// The labels of free words.
    pub fn words(&self, words: &[String]) -> Vec<String> {
        words.iter().map(|w| self.word(w)).collect()
    }
}

/// A word written as a slug (`claim-of-responsibility`, `car_bomb`) spelt out for readers
/// ("Claim of responsibility", "Car bomb"); a word with a capital letter or a space is
/// the author's own spelling (`ISIS-K`, `Crocus City Hall`) and is kept as written.
pub fn spell_out(word: &str) -> String {
    let word = word.trim();
    if word.chars().any(|c| c.is_uppercase() || c.is_whitespace()) {
        return word.to_string();
    }
    let spaced: String = word
        .chars()
        .map(|c| if c == '-' || c == '_' { ' ' } else { c })
        .collect();
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The words `[labels]` may rename: every vocabulary value and every tag, attack type,
/// target and ideology of the content (withheld documents included: a label must not be
/// reported unknown because of the TLP level of a build).
fn known_words(loaded: &Loaded) -> BTreeSet<String> {
    let mut known: BTreeSet<String> = BTreeSet::new();
    known.extend(IncidentStatus::ALL.iter().map(|v| v.as_str().to_string()));
    known.extend(GroupStatus::ALL.iter().map(|v| v.as_str().to_string()));
    known.extend(ActorKind::ALL.iter().map(|v| v.as_str().to_string()));
    known.extend(Stance::ALL.iter().map(|v| v.as_str().to_string()));
    known.extend(
        VerificationStatus::ALL
            .iter()
            .map(|v| v.as_str().to_string()),
    );
    let mut add = |w: &String| {
        known.insert(w.trim().to_string());
        known.extend(slugify(w));
    };
    for d in &loaded.documents {
        d.common.tags.iter().for_each(&mut add);
        match &d.data {
            Data::Incident(i) => {
                i.attack_types.iter().for_each(&mut add);
                i.targets.iter().for_each(&mut add);
            }
            Data::Group(g) => g.ideology.iter().for_each(&mut add),
            _ => {}
        }
    }
    known
}

/// A warning for every key of `[labels]` that names no word `[labels]` may rename, with
/// the closest one.
pub fn check_labels(config: &Config, loaded: &Loaded) -> Vec<Diagnostic> {
    if config.labels.is_empty() {
        return Vec::new();
    }
    let known = known_words(loaded);
    config
        .labels
        .keys()
        .filter(|k| !known.contains(k.trim()))
        .map(|k| {
            let help = match did_you_mean(k, known.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "keys are vocabulary values (`claims`, `confirmed`, ...) or tags, attack types, targets and ideologies used in the content".to_string(),
            };
            Diagnostic::warning(
                Code::UnknownLabel,
                format!("`[labels]` renames `{k}`, which no value or tag of the site uses"),
            )
            .in_file(CONFIG_FILE)
            .at_opt(config.label_spans.get(k).copied())
            .help(help)
        })
        .collect()
}

/// The direction of text in language `lang` (a BCP 47 tag): `rtl` for the languages
/// written right to left (Arabic, Hebrew, Persian, Urdu, ...; or any tag with the `Arab`
/// or `Hebr` script), else `ltr`.
pub fn direction(lang: &str) -> &'static str {
    const RTL: &[&str] = &[
        "ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ku-arab", "ps", "sd", "syr", "ug", "ur",
        "yi",
    ];
    let lower = lang.trim().to_ascii_lowercase();
    let primary = lower.split('-').next().unwrap_or("");
    let script_rtl = lower.split('-').skip(1).any(|s| s == "arab" || s == "hebr");
    let latin = lower.split('-').skip(1).any(|s| s == "latn" || s == "cyrl");
    if script_rtl || (!latin && (RTL.contains(&primary) || RTL.contains(&lower.as_str()))) {
        "rtl"
    } else {
        "ltr"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_spelt_out_and_spellings_kept() {
        assert_eq!(
            spell_out("claim-of-responsibility"),
            "Claim of responsibility"
        );
        assert_eq!(spell_out("car_bomb"), "Car bomb");
        assert_eq!(spell_out("ISIS-K"), "ISIS-K");
        assert_eq!(spell_out("Crocus City Hall"), "Crocus City Hall");
        assert_eq!(spell_out("теракт"), "Теракт");
    }

    #[test]
    fn right_to_left_languages() {
        for l in ["ar", "fa-IR", "he", "ur", "ku-Arab", "AR"] {
            assert_eq!(direction(l), "rtl", "{l}");
        }
        for l in ["en", "ru", "uk", "ku", "az-Latn", "ar-Latn"] {
            assert_eq!(direction(l), "ltr", "{l}");
        }
    }

    #[test]
    fn labels_rename_words_and_vocabulary() {
        let config = Config::parse(
            "title = \"t\"\n[labels]\nclaims = \"Claimed\"\narson = \"Fire-setting\"\n",
        )
        .unwrap();
        let labels = Labels::new(&config);
        assert_eq!(labels.vocab("claims", "Claims"), "Claimed");
        assert_eq!(labels.vocab("warns", "Warns"), "Warns");
        assert_eq!(labels.word("arson"), "Fire-setting");
        assert_eq!(labels.word("Arson"), "Fire-setting");
        assert_eq!(labels.word("armed-assault"), "Armed assault");
    }
}
