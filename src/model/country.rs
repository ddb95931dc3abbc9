//! ISO 3166-1 alpha-2 country codes and their English short names.
//!
//! Content names a country by its code (`country: RU` in front matter). The load stage
//! turns what is written into a [`CountryCode`] once ([`CountryCode::parse`]), and every
//! later stage takes that type: a `CountryCode` is always a known code, upper case, with
//! a name ("Russia"). When a code is unknown, [`similar_codes`] proposes near ones for a
//! did-you-mean hint.
//!
//! In the table codes are upper-case ASCII, exactly as ISO writes them: `country_name("RU")`
//! is known, `country_name("ru")` is not; only [`CountryCode::parse`] accepts other
//! spellings of a code (any case, spaces around).
//!
//! The table holds the 249 officially assigned codes plus `XK` (Kosovo), a
//! user-assigned code in common use. Names follow CLDR's English short forms
//! ("Russia", "South Korea", "Côte d’Ivoire", "St. Lucia"), with "Turkey"
//! rather than "Türkiye".

use std::borrow::Borrow;
use std::fmt;

use serde::{Serialize, Serializer};

/// A known country code: one of [`COUNTRIES`], upper case. Made only by
/// [`CountryCode::parse`], so it always has a name. Orders, hashes and compares as its
/// text, so maps keyed by it can be looked up with a `&str`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CountryCode(&'static str);

impl CountryCode {
    /// The known code written as `text`, in any case and with spaces around (`" ru"` is
    /// `RU`); `None` for an unknown one.
    pub fn parse(text: &str) -> Option<CountryCode> {
        let upper = text.trim().to_ascii_uppercase();
        COUNTRIES
            .binary_search_by(|&(known, _)| known.cmp(upper.as_str()))
            .ok()
            .map(|index| CountryCode(COUNTRIES[index].0))
    }

    /// The code, upper case (`"RU"`).
    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// The English short name (`"Russia"`).
    pub fn name(self) -> &'static str {
        country_name(self.0).unwrap_or(self.0)
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Borrow<str> for CountryCode {
    fn borrow(&self) -> &str {
        self.0
    }
}

impl Serialize for CountryCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

/// Every known code with its name, sorted by code.
///
/// Codes are two upper-case ASCII letters and strictly increasing, so the
/// table can be searched with [`slice::binary_search_by`].
pub static COUNTRIES: &[(&str, &str)] = &[
    ("AD", "Andorra"),
    ("AE", "United Arab Emirates"),
    ("AF", "Afghanistan"),
    ("AG", "Antigua & Barbuda"),
    ("AI", "Anguilla"),
    ("AL", "Albania"),
    ("AM", "Armenia"),
    ("AO", "Angola"),
    ("AQ", "Antarctica"),
    ("AR", "Argentina"),
    ("AS", "American Samoa"),
    ("AT", "Austria"),
    ("AU", "Australia"),
    ("AW", "Aruba"),
    ("AX", "Åland Islands"),
    ("AZ", "Azerbaijan"),
    ("BA", "Bosnia & Herzegovina"),
    ("BB", "Barbados"),
    ("BD", "Bangladesh"),
    ("BE", "Belgium"),
    ("BF", "Burkina Faso"),
    ("BG", "Bulgaria"),
    ("BH", "Bahrain"),
    ("BI", "Burundi"),
    ("BJ", "Benin"),
    ("BL", "St. Barthélemy"),
    ("BM", "Bermuda"),
    ("BN", "Brunei"),
    ("BO", "Bolivia"),
    ("BQ", "Caribbean Netherlands"),
    ("BR", "Brazil"),
    ("BS", "Bahamas"),
    ("BT", "Bhutan"),
    ("BV", "Bouvet Island"),
    ("BW", "Botswana"),
    ("BY", "Belarus"),
    ("BZ", "Belize"),
    ("CA", "Canada"),
    ("CC", "Cocos (Keeling) Islands"),
    ("CD", "Congo - Kinshasa"),
    ("CF", "Central African Republic"),
    ("CG", "Congo - Brazzaville"),
    ("CH", "Switzerland"),
    ("CI", "Côte d’Ivoire"),
    ("CK", "Cook Islands"),
    ("CL", "Chile"),
    ("CM", "Cameroon"),
    ("CN", "China"),
    ("CO", "Colombia"),
    ("CR", "Costa Rica"),
    ("CU", "Cuba"),
    ("CV", "Cape Verde"),
    ("CW", "Curaçao"),
    ("CX", "Christmas Island"),
    ("CY", "Cyprus"),
    ("CZ", "Czechia"),
    ("DE", "Germany"),
    ("DJ", "Djibouti"),
    ("DK", "Denmark"),
    ("DM", "Dominica"),
    ("DO", "Dominican Republic"),
    ("DZ", "Algeria"),
    ("EC", "Ecuador"),
    ("EE", "Estonia"),
    ("EG", "Egypt"),
    ("EH", "Western Sahara"),
    ("ER", "Eritrea"),
    ("ES", "Spain"),
    ("ET", "Ethiopia"),
    ("FI", "Finland"),
    ("FJ", "Fiji"),
    ("FK", "Falkland Islands"),
    ("FM", "Micronesia"),
    ("FO", "Faroe Islands"),
    ("FR", "France"),
    ("GA", "Gabon"),
    ("GB", "United Kingdom"),
    ("GD", "Grenada"),
    ("GE", "Georgia"),
    ("GF", "French Guiana"),
    ("GG", "Guernsey"),
    ("GH", "Ghana"),
    ("GI", "Gibraltar"),
    ("GL", "Greenland"),
    ("GM", "Gambia"),
    ("GN", "Guinea"),
    ("GP", "Guadeloupe"),
    ("GQ", "Equatorial Guinea"),
    ("GR", "Greece"),
    ("GS", "South Georgia & South Sandwich Islands"),
    ("GT", "Guatemala"),
    ("GU", "Guam"),
    ("GW", "Guinea-Bissau"),
    ("GY", "Guyana"),
    ("HK", "Hong Kong"),
    ("HM", "Heard & McDonald Islands"),
    ("HN", "Honduras"),
    ("HR", "Croatia"),
    ("HT", "Haiti"),
    ("HU", "Hungary"),
    ("ID", "Indonesia"),
    ("IE", "Ireland"),
    ("IL", "Israel"),
    ("IM", "Isle of Man"),
    ("IN", "India"),
    ("IO", "British Indian Ocean Territory"),
    ("IQ", "Iraq"),
    ("IR", "Iran"),
    ("IS", "Iceland"),
    ("IT", "Italy"),
    ("JE", "Jersey"),
    ("JM", "Jamaica"),
    ("JO", "Jordan"),
    ("JP", "Japan"),
    ("KE", "Kenya"),
    ("KG", "Kyrgyzstan"),
    ("KH", "Cambodia"),
    ("KI", "Kiribati"),
    ("KM", "Comoros"),
    ("KN", "St. Kitts & Nevis"),
    ("KP", "North Korea"),
    ("KR", "South Korea"),
    ("KW", "Kuwait"),
    ("KY", "Cayman Islands"),
    ("KZ", "Kazakhstan"),
    ("LA", "Laos"),
    ("LB", "Lebanon"),
    ("LC", "St. Lucia"),
    ("LI", "Liechtenstein"),
    ("LK", "Sri Lanka"),
    ("LR", "Liberia"),
    ("LS", "Lesotho"),
    ("LT", "Lithuania"),
    ("LU", "Luxembourg"),
    ("LV", "Latvia"),
    ("LY", "Libya"),
    ("MA", "Morocco"),
    ("MC", "Monaco"),
    ("MD", "Moldova"),
    ("ME", "Montenegro"),
    ("MF", "St. Martin"),
    ("MG", "Madagascar"),
    ("MH", "Marshall Islands"),
    ("MK", "North Macedonia"),
    ("ML", "Mali"),
    ("MM", "Myanmar"),
    ("MN", "Mongolia"),
    ("MO", "Macao"),
    ("MP", "Northern Mariana Islands"),
    ("MQ", "Martinique"),
    ("MR", "Mauritania"),
    ("MS", "Montserrat"),
    ("MT", "Malta"),
    ("MU", "Mauritius"),
    ("MV", "Maldives"),
    ("MW", "Malawi"),
    ("MX", "Mexico"),
    ("MY", "Malaysia"),
    ("MZ", "Mozambique"),
    ("NA", "Namibia"),
    ("NC", "New Caledonia"),
    ("NE", "Niger"),
    ("NF", "Norfolk Island"),
    ("NG", "Nigeria"),
    ("NI", "Nicaragua"),
    ("NL", "Netherlands"),
    ("NO", "Norway"),
    ("NP", "Nepal"),
    ("NR", "Nauru"),
    ("NU", "Niue"),
    ("NZ", "New Zealand"),
    ("OM", "Oman"),
    ("PA", "Panama"),
    ("PE", "Peru"),
    ("PF", "French Polynesia"),
    ("PG", "Papua New Guinea"),
    ("PH", "Philippines"),
    ("PK", "Pakistan"),
    ("PL", "Poland"),
    ("PM", "St. Pierre & Miquelon"),
    ("PN", "Pitcairn Islands"),
    ("PR", "Puerto Rico"),
    ("PS", "Palestinian Territories"),
    ("PT", "Portugal"),
    ("PW", "Palau"),
    ("PY", "Paraguay"),
    ("QA", "Qatar"),
    ("RE", "Réunion"),
    ("RO", "Romania"),
    ("RS", "Serbia"),
    ("RU", "Russia"),
    ("RW", "Rwanda"),
    ("SA", "Saudi Arabia"),
    ("SB", "Solomon Islands"),
    ("SC", "Seychelles"),
    ("SD", "Sudan"),
    ("SE", "Sweden"),
    ("SG", "Singapore"),
    ("SH", "St. Helena"),
    ("SI", "Slovenia"),
    ("SJ", "Svalbard & Jan Mayen"),
    ("SK", "Slovakia"),
    ("SL", "Sierra Leone"),
    ("SM", "San Marino"),
    ("SN", "Senegal"),
    ("SO", "Somalia"),
    ("SR", "Suriname"),
    ("SS", "South Sudan"),
    ("ST", "São Tomé & Príncipe"),
    ("SV", "El Salvador"),
    ("SX", "Sint Maarten"),
    ("SY", "Syria"),
    ("SZ", "Eswatini"),
    ("TC", "Turks & Caicos Islands"),
    ("TD", "Chad"),
    ("TF", "French Southern Territories"),
    ("TG", "Togo"),
    ("TH", "Thailand"),
    ("TJ", "Tajikistan"),
    ("TK", "Tokelau"),
    ("TL", "Timor-Leste"),
    ("TM", "Turkmenistan"),
    ("TN", "Tunisia"),
    ("TO", "Tonga"),
    ("TR", "Turkey"),
    ("TT", "Trinidad & Tobago"),
    ("TV", "Tuvalu"),
    ("TW", "Taiwan"),
    ("TZ", "Tanzania"),
    ("UA", "Ukraine"),
    ("UG", "Uganda"),
    ("UM", "U.S. Outlying Islands"),
    ("US", "United States"),
    ("UY", "Uruguay"),
    ("UZ", "Uzbekistan"),
    ("VA", "Vatican City"),
    ("VC", "St. Vincent & Grenadines"),
    ("VE", "Venezuela"),
    ("VG", "British Virgin Islands"),
    ("VI", "U.S. Virgin Islands"),
    ("VN", "Vietnam"),
    ("VU", "Vanuatu"),
    ("WF", "Wallis & Futuna"),
    ("WS", "Samoa"),
    ("XK", "Kosovo"),
    ("YE", "Yemen"),
    ("YT", "Mayotte"),
    ("ZA", "South Africa"),
    ("ZM", "Zambia"),
    ("ZW", "Zimbabwe"),
];

/// Codes ISO reserves for a country that has another official code, as
/// (reserved, official). Only used to rank did-you-mean hints.
static RESERVED_ALIASES: &[(&str, &str)] = &[("UK", "GB")];

/// The most hints [`similar_codes`] returns.
const MAX_HINTS: usize = 3;

/// The English short name of an upper-case alpha-2 code, or `None`.
///
/// The match is exact and case-sensitive: `country_name("RU")` is
/// `Some("Russia")`, while `country_name("ru")` and `country_name("ZZ")` are
/// `None`.
#[must_use]
pub fn country_name(code: &str) -> Option<&'static str> {
    COUNTRIES
        .binary_search_by(|&(known, _)| known.cmp(code))
        .ok()
        .map(|index| COUNTRIES[index].1)
}

/// Known codes closest to an unknown one, for did-you-mean hints: same first
/// letter or one edit away; at most 3, sorted.
///
/// Letters are compared without regard to case, so `"ru"` suggests `"RU"`. An
/// edit is inserting, deleting or replacing one letter, or swapping two
/// adjacent ones. When more than three codes qualify, the closest win: a code
/// differing from the input only in case, or the official code for a reserved
/// one (`"UK"` suggests `"GB"`), then codes one edit away that keep the first
/// letter, then other codes one edit away, then codes that only share the first
/// letter; ties go to the code that sorts first. The input itself is never
/// suggested, and an empty input gets no hints.
#[must_use]
pub fn similar_codes(code: &str) -> Vec<&'static str> {
    let upper = code.to_ascii_uppercase();
    let alias = RESERVED_ALIASES
        .iter()
        .find(|&&(reserved, _)| reserved == upper)
        .map(|&(_, official)| official);

    let mut ranked: Vec<(u8, &'static str)> = COUNTRIES
        .iter()
        .filter_map(|&(known, _)| {
            if known == code {
                return None;
            }
            let same_first = upper.chars().next() == known.chars().next();
            let rank = if known == upper || alias == Some(known) {
                0
            } else if strsim::osa_distance(&upper, known) == 1 {
                if same_first { 1 } else { 2 }
            } else if same_first {
                3
            } else {
                return None;
            };
            Some((rank, known))
        })
        .collect();

    ranked.sort_unstable();
    let mut hints: Vec<&'static str> = ranked
        .into_iter()
        .take(MAX_HINTS)
        .map(|(_, known)| known)
        .collect();
    hints.sort_unstable();
    hints
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_strictly_sorted_by_code() {
        for pair in COUNTRIES.windows(2) {
            assert!(
                pair[0].0 < pair[1].0,
                "{} must come before {}",
                pair[0].0,
                pair[1].0
            );
        }
    }

    #[test]
    fn every_code_is_two_upper_case_ascii_letters() {
        for &(code, _) in COUNTRIES {
            assert_eq!(code.len(), 2, "{code:?} is not two letters");
            assert!(
                code.bytes().all(|b| b.is_ascii_uppercase()),
                "{code:?} is not upper-case ASCII"
            );
        }
    }

    #[test]
    fn table_holds_the_249_assigned_codes_plus_kosovo() {
        assert_eq!(COUNTRIES.len(), 250);
        assert_eq!(country_name("XK"), Some("Kosovo"));
    }

    #[test]
    fn names_are_present_trimmed_and_unique() {
        let mut names: Vec<&str> = COUNTRIES.iter().map(|&(_, name)| name).collect();
        for name in &names {
            assert!(!name.is_empty());
            assert_eq!(name.trim(), *name);
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), COUNTRIES.len(), "a name appears twice");
    }

    #[test]
    fn every_code_finds_its_own_name() {
        for &(code, name) in COUNTRIES {
            assert_eq!(country_name(code), Some(name));
        }
    }

    #[test]
    fn names_known_codes() {
        assert_eq!(country_name("RU"), Some("Russia"));
        assert_eq!(country_name("US"), Some("United States"));
        assert_eq!(country_name("GB"), Some("United Kingdom"));
        assert_eq!(country_name("KR"), Some("South Korea"));
        assert_eq!(country_name("KP"), Some("North Korea"));
        assert_eq!(country_name("TR"), Some("Turkey"));
        assert_eq!(country_name("CI"), Some("Côte d’Ivoire"));
        assert_eq!(country_name("PS"), Some("Palestinian Territories"));
        assert_eq!(country_name("AD"), Some("Andorra"));
        assert_eq!(country_name("ZW"), Some("Zimbabwe"));
    }

    #[test]
    fn rejects_unknown_and_non_canonical_codes() {
        assert_eq!(country_name("ru"), None);
        assert_eq!(country_name("Ru"), None);
        assert_eq!(country_name("ZZ"), None);
        assert_eq!(country_name("UK"), None);
        assert_eq!(country_name(""), None);
        assert_eq!(country_name("RUS"), None);
        assert_eq!(country_name(" RU"), None);
    }

    fn assert_valid_hints(input: &str, hints: &[&str]) {
        assert!(hints.len() <= MAX_HINTS, "{input:?} gave {hints:?}");
        assert!(hints.is_sorted(), "{input:?} gave unsorted {hints:?}");
        for hint in hints {
            assert!(country_name(hint).is_some(), "{hint:?} is not a known code");
            assert_ne!(*hint, input, "{input:?} suggested itself");
        }
    }

    #[test]
    fn suggests_codes_for_uk() {
        let hints = similar_codes("UK");
        assert_valid_hints("UK", &hints);
        assert!(!hints.is_empty());
        assert!(hints.contains(&"GB") || hints.contains(&"UA"), "{hints:?}");
    }

    #[test]
    fn suggests_the_upper_case_form() {
        let hints = similar_codes("ru");
        assert_valid_hints("ru", &hints);
        assert!(hints.contains(&"RU"), "{hints:?}");
    }

    #[test]
    fn suggests_codes_one_edit_away() {
        let hints = similar_codes("USA");
        assert_valid_hints("USA", &hints);
        assert!(hints.contains(&"US"), "{hints:?}");

        // QA keeps the first letter; the other places go to codes one
        // substitution away that end in Q, first by code (AQ, BQ).
        let hints = similar_codes("QQ");
        assert_valid_hints("QQ", &hints);
        assert_eq!(hints, ["AQ", "BQ", "QA"]);
    }

    #[test]
    fn suggests_codes_sharing_the_first_letter() {
        let hints = similar_codes("ZZ");
        assert_valid_hints("ZZ", &hints);
        assert_eq!(hints, ["ZA", "ZM", "ZW"]);
    }

    #[test]
    fn never_suggests_the_input_itself() {
        let hints = similar_codes("RU");
        assert_valid_hints("RU", &hints);
        assert!(!hints.is_empty());
    }

    #[test]
    fn empty_input_gets_no_hints() {
        assert!(similar_codes("").is_empty());
    }

    #[test]
    fn codes_parse_in_any_case_and_only_when_known() {
        let ru = CountryCode::parse("RU").unwrap();
        assert_eq!((ru.as_str(), ru.name()), ("RU", "Russia"));
        assert_eq!(CountryCode::parse(" ru "), Some(ru));
        assert_eq!(
            CountryCode::parse("Ru").map(CountryCode::as_str),
            Some("RU")
        );
        for bad in ["", "ZZ", "UK", "RUS", "R"] {
            assert_eq!(CountryCode::parse(bad), None, "{bad:?}");
        }
        assert!(CountryCode::parse("AF").unwrap() < ru);
        assert_eq!(ru.to_string(), "RU");
        assert_eq!(serde_json::to_string(&ru).unwrap(), "\"RU\"");
    }
}
