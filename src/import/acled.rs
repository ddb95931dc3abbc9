//! The built-in mapping for CSVs shaped like an ACLED export: `event_id_cnty`,
//! `event_date` (`22 March 2024` or `2024-03-22`), `sub_event_type`, `actor1` and
//! `assoc_actor_1` (several names joined with `; `), `country`, `admin1`, `location`,
//! `latitude`, `longitude`, `fatalities`, `source`, `notes`. Actors ACLED could not name
//! ("Unidentified Armed Group (Syria)") are left out, not turned into groups.

/// `--mapping acled`.
pub const ACLED: &str = r#"
name = "ACLED"
unknown = [""]
unknown_prefixes = ["Unidentified"]
split = ";"
allow_missing_columns = true

[columns]
id = "event_id_cnty"
date = "event_date"
summary = "notes"
country = "country"
region = "admin1"
city = "location"
latitude = "latitude"
longitude = "longitude"
killed = "fatalities"
attack_types = "sub_event_type"
perpetrators = ["actor1", "assoc_actor_1"]
sources = "source"

[values.attack_types]
"Suicide bomb" = "suicide-attack"
"Remote explosive/landmine/IED" = "bombing"
"Air/drone strike" = "air-strike"
"Shelling/artillery/missile attack" = "shelling"
"Grenade" = "grenade-attack"
"Attack" = "armed-assault"
"Armed clash" = "armed-clash"
"Abduction/forced disappearance" = "kidnapping"
"Sexual violence" = "sexual-violence"
"Looting/property destruction" = "property-destruction"
"Arson" = "arson"
"#;

#[cfg(test)]
mod tests {
    use super::super::mapping::Mapping;

    #[test]
    fn the_acled_mapping_parses() {
        let m = Mapping::parse(super::ACLED).unwrap();
        assert!(m.is_unknown("Unidentified Armed Group (Syria)"));
        assert_eq!(m.split.as_deref(), Some(";"));
    }
}
