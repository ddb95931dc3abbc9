//! The site-wide exports are made of per-entity pieces on every core (issue 16): the same
//! bytes whatever the number of threads.

use crate::support::{TestSite, snapshot};

/// More incidents than the write stage makes pieces of at once, with every kind of piece.
fn big_site() -> TestSite {
    let site = TestSite::new();
    site.write("content/groups/front.md", "---\ntitle: The Front\n---\n")
        .write(
            "content/groups/cell.md",
            "---\ntitle: Cell\ntlp: amber\n---\n",
        )
        .write(
            "content/actors/minister.md",
            "---\ntitle: Minister\nkind: person\ncountry: fr\n---\n",
        );
    for i in 0..530 {
        let place = if i % 3 == 0 {
            "location: { city: Lyon, country: fr, coordinates: [45.76, 4.83] }\n"
        } else {
            ""
        };
        site.write(
            &format!("content/incidents/i{i}.md"),
            &format!(
                "---\ntitle: \"Incident {i}, \\\"quoted\\\"\"\ndate: 2024-0{}-1{}\n{place}perpetrators: [front{}]\nsummary: S {i}.\n---\n",
                1 + i % 9,
                i % 10,
                if i % 7 == 0 { ", cell" } else { "" }
            ),
        );
    }
    for i in 0..40 {
        site.write(
            &format!("content/statements/s{i}.md"),
            &format!(
                "---\ntitle: Claim {i}\ndate: 2024-05-0{}\nspeaker: front\nincident: i{i}\nstance: claims\nsummary: S.\n---\n",
                1 + i % 9
            ),
        );
    }
    site
}

fn data_with_threads(site: &TestSite, threads: usize) -> Vec<(String, Vec<u8>)> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("pool");
    let report = pool.install(|| site.build());
    assert!(
        report.success,
        "{}",
        crate::support::diagnostics_text(&report)
    );
    snapshot(&site.out().join("data"))
}

#[test]
fn exports_are_the_same_bytes_on_one_thread_and_on_many() {
    let site = big_site();
    let one = data_with_threads(&site, 1);
    let many = data_with_threads(&site, 4);
    assert!(one.len() > 500, "{} files", one.len());
    crate::support::assert_same_files(&one, &many);
    let all = crate::exports::csv_rows(&site.read_out("data/incidents.csv"));
    assert_eq!(all.len(), 530);
    let json: serde_json::Value =
        serde_json::from_str(&site.read_out("data/briefing.json")).expect("JSON");
    assert_eq!(json["counts"]["incidents"], 530);
    assert_eq!(json["incidents"].as_array().map(Vec::len), Some(530));
    assert!(!site.read_out("data/briefing.json").contains("Cell"));
}
