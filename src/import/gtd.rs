//! The built-in mapping for CSVs shaped like the Global Terrorism Database (GTD) export:
//! `iyear`/`imonth`/`iday` with 0 for an unknown part, `country_txt`, `provstate`,
//! `attacktype1_txt`..`3`, `targtype1_txt`..`3`, `gname`..`gname3`, `nkill`, `nwound`,
//! `scite1`..`3`. GTD writes `-9`/`-99` and `Unknown` for values it does not know: those
//! become absent fields. Written in the mapping format users write (`docs/import.md`), so
//! the built-in mappings exercise it too.

/// `--mapping gtd`.
pub const GTD: &str = r#"
name = "GTD"
unknown = ["", "-9", "-99", "Unknown", "."]
allow_missing_columns = true

[columns]
id = "eventid"
year = "iyear"
month = "imonth"
day = "iday"
summary = "summary"
country = "country_txt"
region = "provstate"
city = "city"
place = "location"
latitude = "latitude"
longitude = "longitude"
killed = "nkill"
injured = "nwound"
attack_types = ["attacktype1_txt", "attacktype2_txt", "attacktype3_txt"]
targets = ["targtype1_txt", "targtype2_txt", "targtype3_txt"]
perpetrators = ["gname", "gname2", "gname3"]
sources = ["scite1", "scite2", "scite3"]

[values.attack_types]
"Assassination" = "assassination"
"Armed Assault" = "armed-assault"
"Bombing/Explosion" = "bombing"
"Hijacking" = "hijacking"
"Hostage Taking (Barricade Incident)" = "hostage-taking"
"Hostage Taking (Kidnapping)" = "kidnapping"
"Facility/Infrastructure Attack" = "facility-attack"
"Unarmed Assault" = "unarmed-assault"

[values.targets]
"Private Citizens & Property" = "civilians"
"Government (Diplomatic)" = "diplomatic"
"Government (General)" = "government"
"Religious Figures/Institutions" = "religious"
"Transportation" = "transport"
"Airports & Aircraft" = "aviation"
"Educational Institution" = "education"
"Journalists & Media" = "media"
"Terrorists/Non-State Militia" = "non-state-armed-groups"
"Violent Political Party" = "political-party"
"Food or Water Supply" = "food-water-supply"
"NGO" = "ngo"
"Other" = ""

# GTD names countries of its time; those without an ISO 3166-1 code today are left out.
[values.country]
"West Germany (FRG)" = "DE"
"East Germany (GDR)" = "DE"
"Soviet Union" = ""
"Yugoslavia" = ""
"Czechoslovakia" = ""
"Serbia-Montenegro" = ""
"North Yemen" = "YE"
"South Yemen" = "YE"
"South Vietnam" = "VN"
"Zaire" = "CD"
"Rhodesia" = "ZW"
"People's Republic of the Congo" = "CG"
"Democratic Republic of the Congo" = "CD"
"Republic of the Congo" = "CG"
"Bosnia-Herzegovina" = "BA"
"Macau" = "MO"
"Ivory Coast" = "CI"
"Slovak Republic" = "SK"
"St. Kitts and Nevis" = "KN"
"St. Lucia" = "LC"
"Vatican City" = "VA"
"West Bank and Gaza Strip" = "PS"
"International" = ""
"New Hebrides" = "VU"
"East Timor" = "TL"
"Swaziland" = "SZ"
"Macedonia" = "MK"
"Great Britain" = "GB"
"#;

#[cfg(test)]
mod tests {
    use super::super::mapping::Mapping;

    #[test]
    fn the_gtd_mapping_parses() {
        let m = Mapping::parse(super::GTD).unwrap();
        assert!(m.is_unknown("-9") && m.is_unknown("Unknown"));
        assert_eq!(m.values.attack_types["Bombing/Explosion"], "bombing");
    }
}
