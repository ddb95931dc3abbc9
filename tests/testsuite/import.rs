//! `briefing import csv` (issue 14): a GTD-shaped CSV round trip through build and the CSV
//! export, bad rows reported by line all at once, group deduplication, no overwriting,
//! deterministic slugs, mapping files and streaming.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use briefing::import::{ImportOptions, ImportReport, MappingChoice, import_csv};

use crate::support::{TestSite, briefing, run};

/// A GTD-shaped file written for the tests: a known group by its short name, a new group
/// spelt two ways, GTD's unknowns (`-9`, `Unknown`, 0 for month or day), a quoted cell.
const GTD: &str = "\
eventid,iyear,imonth,iday,country_txt,provstate,city,latitude,longitude,attacktype1_txt,targtype1_txt,gname,nkill,nwound,summary,scite1
202108260001,2021,8,26,Afghanistan,Kabul,Kabul,34.566,69.212,Bombing/Explosion,Private Citizens & Property,ISIS-K,183,200,\"A suicide bomber struck the \"\"Abbey Gate\"\".\",Reuters report
202201150001,2022,1,15,Afghanistan,Kandahar,Kandahar,31.6,65.7,Armed Assault,Police,Talibán,3,-9,,
201506000001,2015,6,0,Russia,Unknown,Unknown,,,Armed Assault,Unknown,TALIBAN,-9,,,
201500000001,2015,0,0,Iran,Kerman,Kerman,30.28,57.08,Hostage Taking (Kidnapping),Government (Diplomatic),Unknown,0,1.0,Kidnapping of an envoy.,
";

fn site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "content/groups/islamic-state-khorasan.md",
        "---\ntitle: Islamic State Khorasan Province\nshort_name: ISIS-K\nsummary: A group.\n---\n",
    );
    site
}

/// Import `csv` (written as `data.csv` beside the site) with `mapping`; the files are
/// returned in the order they were written.
fn import(
    site: &TestSite,
    csv: &str,
    mapping: MappingChoice,
    dry_run: bool,
) -> (ImportReport, Vec<(PathBuf, String)>) {
    let file = site.root().join("data.csv");
    std::fs::write(&file, csv).expect("write csv");
    let mut files = Vec::new();
    let report = import_csv(
        &ImportOptions {
            file,
            mapping,
            root: site.root().to_path_buf(),
            dry_run,
        },
        &mut |p, t| files.push((p.to_path_buf(), t.to_string())),
    );
    (report, files)
}

fn read_csv(text: &str) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn stem(p: &Path) -> String {
    p.file_stem().unwrap().to_string_lossy().into_owned()
}

#[test]
fn gtd_csv_round_trips_through_build_and_export() {
    let site = site();
    let (report, files) = import(&site, GTD, MappingChoice::Gtd, false);
    assert!(report.success(), "{:?}", report.diagnostics);
    assert_eq!(
        (
            report.rows,
            report.incidents,
            report.new_groups,
            report.known_groups
        ),
        (4, 4, 1, 1)
    );
    site.build_ok();

    let exported = read_csv(&site.read_out("data/incidents.csv"));
    let by_slug: HashMap<&str, &HashMap<String, String>> = exported
        .iter()
        .map(|r| (r["eventid"].as_str(), r))
        .collect();
    let input = read_csv(GTD);
    // Incidents are written in row order, then the new groups.
    let slugs: Vec<String> = files
        .iter()
        .filter(|(p, _)| p.starts_with("content/incidents"))
        .map(|(p, _)| stem(p))
        .collect();
    assert_eq!(slugs.len(), input.len());
    let unknown = |v: &str| matches!(v, "-9" | "Unknown");
    for (row, slug) in input.iter().zip(&slugs) {
        let out = by_slug
            .get(slug.as_str())
            .unwrap_or_else(|| panic!("{slug} not exported"));
        for (in_col, out_col) in [
            ("iyear", "iyear"),
            ("imonth", "imonth"),
            ("iday", "iday"),
            ("country_txt", "country_txt"),
            ("provstate", "provstate"),
            ("city", "city"),
            ("latitude", "latitude"),
            ("longitude", "longitude"),
            ("summary", "summary"),
            ("scite1", "sources"),
        ] {
            let want = if unknown(&row[in_col]) {
                ""
            } else {
                row[in_col].as_str()
            };
            assert_eq!(out[out_col], want, "{slug}: `{in_col}` -> `{out_col}`");
        }
        for col in ["nkill", "nwound"] {
            let want = match row[col].as_str() {
                "-9" | "" => String::new(),
                n => (n.parse::<f64>().unwrap() as u64).to_string(),
            };
            assert_eq!(out[col], want, "{slug}: `{col}`");
        }
        let gname = match row["gname"].as_str() {
            "Unknown" => "",
            "ISIS-K" => "Islamic State Khorasan Province",
            // The first spelling names the new group; later ones are its aliases.
            _ => "Talibán",
        };
        assert_eq!(out["gname"], gname, "{slug}: `gname`");
    }
    let types: Vec<(&str, &str)> = slugs
        .iter()
        .map(|s| {
            (
                by_slug[s.as_str()]["attacktype_txt"].as_str(),
                by_slug[s.as_str()]["targtype_txt"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        types,
        [
            ("bombing", "civilians"),
            ("armed-assault", "police"),
            ("armed-assault", ""),
            ("kidnapping", "diplomatic"),
        ]
    );
    assert_eq!(by_slug[slugs[3].as_str()]["approxdate"], "2015");
}

#[test]
fn bad_rows_are_reported_with_line_numbers_all_at_once() {
    let site = site();
    // Line 3 holds a cell over two lines, so the next row starts on line 5.
    let csv = "\
eventid,iyear,imonth,iday,country_txt,city,nkill,latitude,longitude
1,2021,8,26,Afghanistan,Kabul,3,34.5,69.2
2,2021,13,1,Afghanistan,\"Kabul
East\",2,,
3,2021,2,30,Atlantis,Kabul,many,95,10
4,,,,Afghanistan,Kabul,1,,
";
    std::fs::write(site.root().join("bad.csv"), csv).unwrap();
    let r = run(briefing()
        .args([
            "import",
            "csv",
            "bad.csv",
            "--mapping",
            "gtd",
            "--root",
            ".",
        ])
        .current_dir(site.root()));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let lines: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("error["))
        .collect();
    let at = |n: usize| {
        lines
            .iter()
            .filter(|l| l.contains(&format!("bad.csv:{n}:1:")))
            .count()
    };
    assert_eq!((at(2), at(3), at(5), at(6)), (0, 1, 4, 1), "{}", r.stderr);
    assert!(
        r.stderr.contains("`imonth`: `13` is not a month"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("February 2021 has 28 days"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("unknown country `Atlantis`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("`nkill`: `many` is not a whole number"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("`latitude`: `95`"), "{}", r.stderr);
    assert!(r.stderr.contains("`iyear` is empty"), "{}", r.stderr);
    assert!(r.stderr.contains("no file was written"), "{}", r.stderr);
    assert!(!site.root().join("content/incidents").exists());
}

#[test]
fn import_refuses_to_overwrite_and_a_second_import_changes_nothing() {
    let site = site();
    let (first, _) = import(&site, GTD, MappingChoice::Gtd, false);
    assert!(first.success());
    let before = crate::support::snapshot(&site.root().join("content"));
    let (again, files) = import(&site, GTD, MappingChoice::Gtd, false);
    assert!(files.is_empty());
    let codes: Vec<&str> = again.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["E-import-exists"; 4]);
    crate::support::assert_same_files(
        &before,
        &crate::support::snapshot(&site.root().join("content")),
    );
}

#[test]
fn slug_collisions_are_numbered_in_row_order_and_avoid_the_sites_slugs() {
    let site = site();
    site.write(
        "content/actors/2021-08-26-bombing-in-kabul-afghanistan.md",
        "---\ntitle: An actor with an unlucky slug\nkind: person\n---\n",
    );
    let row = "1,2021,8,26,Afghanistan,Kabul,Bombing/Explosion\n";
    let csv =
        format!("eventid,iyear,imonth,iday,country_txt,city,attacktype1_txt\n{row}{row}{row}");
    let (report, files) = import(&site, &csv, MappingChoice::Gtd, true);
    assert!(report.success(), "{:?}", report.diagnostics);
    let slugs: Vec<String> = files.iter().map(|(p, _)| stem(p)).collect();
    let base = "2021-08-26-bombing-in-kabul-afghanistan";
    assert_eq!(
        slugs,
        [
            format!("{base}-2"),
            format!("{base}-3"),
            format!("{base}-4")
        ]
    );
    let (_, again) = import(&site, &csv, MappingChoice::Gtd, true);
    assert_eq!(files, again, "the same file and site give the same files");
}

#[test]
fn groups_are_deduplicated_by_name_and_alias_ignoring_case_and_accents() {
    let site = site();
    site.write(
        "content/groups/al-shabaab.md",
        "---\ntitle: Harakat al-Shabaab al-Mujahideen\naliases: [Al-Shabaab]\n---\n",
    );
    let csv = "eventid,iyear,gname,gname2,gname3\n\
               1,2020,AL-SHABAAB,isis-k,Ğroup Öne\n\
               2,2021,Group One,Al Shabaab,Unknown\n";
    let (report, files) = import(&site, csv, MappingChoice::Gtd, false);
    assert!(report.success(), "{:?}", report.diagnostics);
    let groups: Vec<&(PathBuf, String)> = files
        .iter()
        .filter(|(p, _)| p.starts_with("content/groups"))
        .collect();
    assert_eq!(groups.len(), 1, "{files:?}");
    assert_eq!(stem(&groups[0].0), "group-one");
    assert!(
        groups[0].1.contains("title: \"Ğroup Öne\"")
            && groups[0].1.contains("aliases: [\"Group One\"]")
    );
    assert!(
        files[0]
            .1
            .contains("perpetrators: [\"al-shabaab\", \"islamic-state-khorasan\", \"group-one\"]"),
        "{}",
        files[0].1
    );
    assert!(
        files[1]
            .1
            .contains("perpetrators: [\"group-one\", \"al-shabaab\"]"),
        "{}",
        files[1].1
    );
    site.build_ok();
}

#[test]
fn dry_run_writes_nothing_and_lists_the_files() {
    let site = site();
    std::fs::write(site.root().join("gtd.csv"), GTD).unwrap();
    let r = run(briefing()
        .args(["import", "csv", "gtd.csv", "--mapping", "gtd", "--dry-run"])
        .current_dir(site.root()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout
            .lines()
            .filter(|l| l.starts_with("would write content/"))
            .count(),
        5,
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains("would write 4 incidents and 1 new group"),
        "{}",
        r.stderr
    );
    assert!(!site.root().join("content/incidents").exists());
}

#[test]
fn a_mapping_file_maps_a_users_own_columns() {
    let site = site();
    site.write(
        "mine.toml",
        "name = \"Our log\"\nunknown = [\"\", \"n/a\"]\nsplit = \"|\"\n\
         [columns]\nid = \"ref\"\ntitle = \"headline\"\ndate = \"when\"\ncountry = \"cc\"\n\
         perpetrators = \"groups\"\nattack_types = \"how\"\nkilled = \"dead\"\n\
         [values.attack_types]\n\"gunfire\" = \"armed-assault\"\n\
         [values.country]\n\"High seas\" = \"\"\n",
    );
    let csv = "ref,headline,when,cc,groups,how,dead\n\
               A-1,Attack on a convoy,22 March 2024,ru,ISIS-K|New Front,Gunfire|arson,n/a\n\
               A-2,Ship seized,2024-04,High seas,n/a,hijacking,0\n";
    let mapping = MappingChoice::File(site.root().join("mine.toml"));
    let (report, files) = import(&site, csv, mapping, false);
    assert!(report.success(), "{:?}", report.diagnostics);
    let first = &files[0].1;
    assert!(
        first.contains("title: \"Attack on a convoy\"") && first.contains("date: \"2024-03-22\""),
        "{first}"
    );
    assert!(
        first.contains("country: \"RU\"")
            && first.contains("attack_types: [\"armed-assault\", \"arson\"]"),
        "{first}"
    );
    assert!(
        first.contains("perpetrators: [\"islamic-state-khorasan\", \"new-front\"]")
            && !first.contains("casualties"),
        "{first}"
    );
    assert!(first.contains("(Our log event `A-1`)"), "{first}");
    assert!(!files[1].1.contains("location"), "{}", files[1].1);
    site.build_ok();
}

#[test]
fn acled_rows_import_with_the_builtin_mapping() {
    let site = site();
    let csv = "event_id_cnty,event_date,sub_event_type,actor1,assoc_actor_1,country,admin1,location,latitude,longitude,fatalities,source,notes\n\
               AFG1,26 August 2021,Suicide bomb,Islamic State Khorasan Province,,Afghanistan,Kabul,Kabul,34.5,69.2,183,Reuters; AFP,A suicide attack.\n\
               SYR1,3 January 2024,Attack,Unidentified Armed Group (Syria),,Syria,Damascus,Damascus,33.5,36.3,2,SANA,\n";
    let (report, files) = import(&site, csv, MappingChoice::Acled, false);
    assert!(report.success(), "{:?}", report.diagnostics);
    assert_eq!(report.new_groups, 0);
    assert!(
        files[0]
            .1
            .contains("sources:\n  - title: \"Reuters\"\n  - title: \"AFP\""),
        "{}",
        files[0].1
    );
    assert!(!files[1].1.contains("perpetrators"), "{}", files[1].1);
    site.build_ok();
}

/// Issue 14: 100,000 rows stream (the rows are never held; only slugs are). A dry run, so
/// the test does not write 100,000 files.
#[test]
fn a_100000_row_file_streams() {
    let site = site();
    let mut csv =
        String::from("eventid,iyear,imonth,iday,country_txt,city,attacktype1_txt,gname,nkill\n");
    for i in 0..100_000u32 {
        let day = i % 28 + 1;
        csv.push_str(&format!(
            "{i},2020,{},{day},Iraq,Mosul,Armed Assault,Group {},{}\n",
            i % 12 + 1,
            i % 50,
            i % 7
        ));
    }
    let file = site.root().join("big.csv");
    std::fs::write(&file, csv).unwrap();
    let mut count = 0u64;
    let report = import_csv(
        &ImportOptions {
            file,
            mapping: MappingChoice::Gtd,
            root: site.root().to_path_buf(),
            dry_run: true,
        },
        &mut |_, _| count += 1,
    );
    assert!(
        report.success(),
        "{:?}",
        &report.diagnostics[..3.min(report.diagnostics.len())]
    );
    assert_eq!(
        (report.rows, report.incidents, report.new_groups),
        (100_000, 100_000, 50)
    );
    assert_eq!(count, 100_050);
}
