//! Pictures (issue 13): the world map, locator maps and charts, read back from the
//! generated SVG and HTML and compared with counts made here from the fixture.

use std::collections::BTreeMap;

use scraper::{ElementRef, Html, Selector};

use crate::support::*;

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("selector")
}

fn url(path: &str) -> String {
    format!("https://example.org/{path}")
}

fn incident(slug: &str, front: &str) -> (String, String) {
    (
        format!("content/incidents/{slug}.md"),
        format!("---\ntitle: Incident {slug}\n{front}\n---\nBody.\n"),
    )
}

/// A small site: incidents with coordinates, with a country only, with neither, and two
/// withheld ones (TLP:RED and a draft) that must not show anywhere in a picture.
fn site() -> TestSite {
    let site = TestSite::new();
    site.write(
        "content/groups/front.md",
        "---\ntitle: The Front\nshort_name: TF\n---\n",
    );
    site.write("content/groups/short.md", "---\ntitle: Short Lived\n---\n");
    site.write(
        "content/actors/ministry.md",
        "---\ntitle: The Ministry\nkind: agency\n---\n",
    );
    for (file, text) in [
        incident(
            "placed",
            "date: 2024-03-22\nlocation: { city: Krasnogorsk, country: RU, coordinates: [55.8, 37.4] }\ncasualties: { killed: 10, injured: 5 }\nperpetrators: [front]",
        ),
        incident(
            "country-only",
            "date: 2024-05\nlocation: { country: AF }\ncasualties: { killed: 3 }\nperpetrators: [front]",
        ),
        incident("nowhere", "date: 2023\nperpetrators: [front]"),
        incident(
            "hidden-red",
            "date: 2024-04-02\ntlp: red\nlocation: { country: NG, coordinates: [9.1, 7.4] }\ncasualties: { killed: 999 }\nperpetrators: [front]",
        ),
        incident(
            "hidden-draft",
            "date: 2022-06-01\ndraft: true\nlocation: { country: ML, coordinates: [12.6, -8.0] }\nperpetrators: [front, short]",
        ),
        incident(
            "short-one",
            "date: 2024-01-10\nlocation: { country: FR, coordinates: [48.85, 2.35] }\nperpetrators: [short]",
        ),
        incident(
            "short-two",
            "date: 2024-03\nlocation: { country: FR }\ncasualties: { injured: 2 }\nperpetrators: [short]",
        ),
    ] {
        site.write(&file, &text);
    }
    for (slug, date, extra) in [
        ("before", "2024-03-17", ""),
        ("month-only", "2024-03", ""),
        ("much-later", "2024-05-06", ""),
        ("hidden-statement", "2024-03-23", "tlp: red\n"),
    ] {
        site.write(
            &format!("content/statements/{slug}.md"),
            &format!(
                "---\ntitle: Statement {slug}\ndate: {date}\nspeaker: ministry\nincident: placed\nstance: blames\n{extra}---\n"
            ),
        );
    }
    site.build_ok();
    site
}

/// `(href, classes)` of every pin of the world map.
fn world_pins(doc: &Html) -> Vec<(String, String)> {
    doc.select(&sel("svg.map-world a.pin"))
        .map(|a| {
            (
                a.value().attr("href").unwrap_or_default().to_string(),
                a.value().attr("class").unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The rows of a figure's table: the text of each cell.
fn table_rows(figure: ElementRef<'_>) -> Vec<Vec<String>> {
    figure
        .select(&sel("tbody tr"))
        .map(|tr| tr.select(&sel("th, td")).map(visible_text).collect())
        .collect()
}

/// `period -> values` of the bars of one bar chart.
fn bars(svg: ElementRef<'_>) -> BTreeMap<String, String> {
    svg.select(&sel("g.bar"))
        .map(|g| {
            (
                g.value()
                    .attr("data-period")
                    .unwrap_or_default()
                    .to_string(),
                g.value().attr("data-value").unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn each_published_incident_with_a_place_has_one_pin_linking_to_it_and_withheld_ones_none() {
    let site = site();
    let map = site.page("map/");
    let pins = world_pins(&map);
    let mut hrefs: Vec<&str> = pins.iter().map(|(h, _)| h.as_str()).collect();
    hrefs.sort_unstable();
    assert_eq!(
        hrefs,
        [
            url("incidents/country-only/"),
            url("incidents/placed/"),
            url("incidents/short-one/"),
            url("incidents/short-two/"),
        ]
    );
    // Without coordinates: at the country's centroid, drawn and labelled as approximate.
    for (href, class) in &pins {
        let approximate = href.contains("country-only") || href.contains("short-two");
        assert_eq!(
            class.contains("approximate"),
            approximate,
            "{href}: {class}"
        );
    }
    let html = site.read_out("map/index.html");
    assert!(
        !html.contains("incidents/hidden"),
        "a withheld incident reached the map"
    );
    assert!(
        !html.contains("999"),
        "a withheld casualty count reached the map"
    );
    let caption = visible_text(
        map.select(&sel(".picture figcaption"))
            .next()
            .expect("caption"),
    );
    assert!(caption.starts_with("4 incidents on the map"), "{caption}");
    assert!(
        caption.contains("2 without coordinates placed approximately"),
        "{caption}"
    );
    assert!(
        caption.contains("1 without a known place not shown"),
        "{caption}"
    );
    // The pin of an approximate incident says so to every reader.
    let titles = texts(&map, "svg.map-world a.pin.approximate title");
    assert!(
        titles.iter().all(|t| t.contains("approximate")),
        "{titles:?}"
    );
}

#[test]
fn the_map_table_lists_the_same_incidents_as_the_pins() {
    let site = site();
    let map = site.page("map/");
    let figure = map.select(&sel("div.picture")).next().expect("figure");
    let linked: Vec<String> = figure
        .select(&sel("details a[href]"))
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    let mut pins: Vec<String> = world_pins(&map).into_iter().map(|(h, _)| h).collect();
    let mut table = linked.clone();
    pins.sort();
    table.sort();
    assert_eq!(table, pins);
    let rows = table_rows(figure);
    let afghan = rows
        .iter()
        .find(|r| r[0] == "Incident country-only")
        .expect("row");
    assert_eq!(afghan[4], "approximate: centre of Afghanistan");
    let placed = rows
        .iter()
        .find(|r| r[0] == "Incident placed")
        .expect("row");
    assert_eq!(placed[3], "10 killed, 5 injured");
    assert_eq!(placed[4], "55.80° N, 37.40° E");
    // The map is in the navigation and the sitemap.
    assert!(attrs(&site.page(""), "nav.site-nav a", "href").contains(&url("map/")));
    assert!(site.read_out("sitemap.xml").contains(&url("map/")));
}

#[test]
fn pins_stand_where_their_incidents_are() {
    let site = site();
    let map = site.page("map/");
    let svg = map.select(&sel("svg.map-world")).next().expect("map");
    let view: Vec<f64> = svg
        .value()
        .attr("viewBox")
        .expect("viewBox")
        .split(' ')
        .map(|v| v.parse().expect("number"))
        .collect();
    let centre = |href: &str| {
        let a = svg
            .select(&sel("a.pin"))
            .find(|a| a.value().attr("href") == Some(href))
            .expect("pin");
        let c = a.select(&sel("circle")).next().expect("circle");
        let num = |n: &str| c.value().attr(n).expect(n).parse::<f64>().expect("number");
        (num("cx") / view[2], num("cy") / view[3])
    };
    // Where the Equal Earth projection (written out here from the paper, independently
    // of the generator's code) puts them, as a share of the map's width and height.
    let (x, y) = centre(&url("incidents/placed/"));
    let (ex, ey) = equal_earth(37.4, 55.8);
    assert!(
        (x - ex).abs() < 0.002 && (y - ey).abs() < 0.002,
        "{x} {y} / {ex} {ey}"
    );
    let (px, py) = centre(&url("incidents/short-one/"));
    let (ex, ey) = equal_earth(2.35, 48.85);
    assert!(
        (px - ex).abs() < 0.002 && (py - ey).abs() < 0.002,
        "{px} {py} / {ex} {ey}"
    );
    // Afghanistan's centroid lies inside the country's bounding box.
    let (ax, ay) = centre(&url("incidents/country-only/"));
    let (west, north) = equal_earth(60.5, 38.5);
    let (east, south) = equal_earth(74.9, 29.4);
    assert!(
        (west..east).contains(&ax) && (north..south).contains(&ay),
        "{ax} {ay}"
    );
}

/// Equal Earth (Šavrič, Patterson, Jenny 2018) as a share of the map: x from the left,
/// y from the top.
fn equal_earth(lon: f64, lat: f64) -> (f64, f64) {
    let (a1, a2, a3, a4) = (1.340264, -0.081106, 0.000893, 0.003796);
    let m = 3f64.sqrt() / 2.0;
    let project = |lon: f64, lat: f64| {
        let t = (m * lat.to_radians().sin()).asin();
        let (t2, t6) = (t * t, t.powi(6));
        let x = lon.to_radians() * t.cos()
            / (m * (a1 + 3.0 * a2 * t2 + t6 * (7.0 * a3 + 9.0 * a4 * t2)));
        (x, t * (a1 + a2 * t2 + t6 * (a3 + a4 * t2)))
    };
    let (w, _) = project(180.0, 0.0);
    let (_, h) = project(0.0, 90.0);
    let (x, y) = project(lon, lat);
    ((x + w) / (2.0 * w), (h - y) / (2.0 * h))
}

#[test]
fn group_chart_bars_match_the_counts_of_its_published_incidents() {
    let site = site();
    let page = site.page("groups/front/");
    let figure = page
        .select(&sel("section.activity div.picture"))
        .next()
        .expect("chart");
    let charts: Vec<ElementRef> = figure.select(&sel("svg.chart-bars")).collect();
    assert_eq!(charts.len(), 2, "incidents and casualties");
    // Counted here from the fixture: `nowhere` (2023), `placed` and `country-only` (2024);
    // the withheld `hidden-red` (2024) and `hidden-draft` (2022) do not count. One date
    // is only a year, so the chart is per year.
    let expected_counts = BTreeMap::from([
        ("2023".to_string(), "1".to_string()),
        ("2024".into(), "2".into()),
    ]);
    assert_eq!(bars(charts[0]), expected_counts);
    let expected_casualties = BTreeMap::from([
        ("2023".to_string(), "0 0".to_string()),
        ("2024".into(), "13 5".into()),
    ]);
    assert_eq!(bars(charts[1]), expected_casualties);
    // Heights follow the values: the 2024 bar is twice the 2023 one.
    let height = |period: &str| {
        charts[0]
            .select(&sel("g.bar"))
            .find(|g| g.value().attr("data-period") == Some(period))
            .and_then(|g| g.select(&sel("rect")).next())
            .and_then(|r| r.value().attr("height"))
            .and_then(|h| h.parse::<f64>().ok())
            .expect("height")
    };
    assert!((height("2024") - 2.0 * height("2023")).abs() < 0.2);
    // The text alternative holds the same numbers.
    assert_eq!(
        table_rows(figure),
        [["2023", "1", "0", "0"], ["2024", "2", "13", "5"]]
    );
    assert!(!site.read_out("groups/front/index.html").contains("999"));
}

#[test]
fn a_short_span_is_charted_per_month_at_each_dates_precision() {
    let site = site();
    let page = site.page("groups/short/");
    let svg = page.select(&sel("svg.chart-bars")).next().expect("chart");
    // `short-one` on 10 January 2024 and `short-two` in March 2024 (month precision): the
    // withheld draft of 2022 does not stretch the span.
    let expected = BTreeMap::from([
        ("2024-01".to_string(), "1".to_string()),
        ("2024-02".into(), "0".into()),
        ("2024-03".into(), "1".into()),
    ]);
    assert_eq!(bars(svg), expected);
    let ticks = texts(&page, "svg.chart-bars text.tick");
    assert!(ticks.contains(&"Jan".to_string()), "{ticks:?}");
    assert!(
        !ticks.iter().any(|t| t.contains("10")),
        "no made-up day: {ticks:?}"
    );
}

#[test]
fn home_and_country_charts_count_published_incidents_per_month() {
    let site = site();
    let home = site.page("");
    let figure = home
        .select(&sel("section.activity div.picture"))
        .next()
        .expect("home chart");
    let counted = bars(figure.select(&sel("svg")).next().expect("svg"));
    assert_eq!(counted.len(), 36, "three years of months");
    assert_eq!(
        counted.keys().next_back().map(String::as_str),
        Some("2024-05")
    );
    let nonzero: BTreeMap<&str, &str> = counted
        .iter()
        .filter(|(_, v)| v.as_str() != "0")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        nonzero,
        BTreeMap::from([("2024-01", "1"), ("2024-03", "2"), ("2024-05", "1")])
    );
    let caption = visible_text(figure.select(&sel("figcaption")).next().expect("caption"));
    assert!(
        caption.contains("1 incident dated only to the year"),
        "{caption}"
    );
    let fr = site.page("countries/fr/");
    let svg = fr
        .select(&sel("section.activity svg"))
        .next()
        .expect("country chart");
    let total: u64 = bars(svg)
        .values()
        .map(|v| v.parse::<u64>().expect("count"))
        .sum();
    assert_eq!(total, 2);
}

#[test]
fn incident_pages_have_a_locator_map_and_their_statements_on_a_time_axis() {
    let site = site();
    let page = site.page("incidents/placed/");
    let locator = page
        .select(&sel("section.locator svg.map-locator"))
        .next()
        .expect("locator");
    assert_eq!(locator.select(&sel(".pin circle")).count(), 1);
    assert!(
        locator.select(&sel(".map-focus")).next().is_some(),
        "Russia highlighted"
    );
    let approximate = site.page("incidents/country-only/");
    let pin = approximate
        .select(&sel("svg.map-locator .pin"))
        .next()
        .expect("pin");
    assert!(
        pin.value()
            .attr("class")
            .unwrap_or_default()
            .contains("approximate")
    );
    assert!(
        site.page("incidents/nowhere/")
            .select(&sel("svg.map-locator"))
            .next()
            .is_none()
    );

    let chart = page
        .select(&sel("svg.chart-time"))
        .next()
        .expect("time axis");
    // The day-precision statement is a dot, the month-precision one a bar over March,
    // the one 45 days later is counted at the edge, the withheld one is nowhere.
    assert_eq!(chart.select(&sel(".mark circle")).count(), 1);
    assert_eq!(chart.select(&sel(".mark rect.span")).count(), 1);
    assert!(visible_text(chart).contains("1 later →"));
    let figure = page
        .select(&sel("section.statements div.picture"))
        .next()
        .expect("figure");
    let offsets: Vec<String> = table_rows(figure)
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    // In time order: a month-precision date sorts after the days of its month.
    assert_eq!(offsets, ["T−5 d", "same month", "T+45 d"]);
    let html = site.read_out("incidents/placed/index.html");
    assert!(
        !html.contains("hidden-statement"),
        "a withheld statement reached the chart"
    );
}

#[test]
fn country_pages_have_a_locator_of_their_incidents() {
    let site = site();
    let af = site.page("countries/af/");
    let svg = af
        .select(&sel("section.locator svg.map-locator"))
        .next()
        .expect("locator");
    assert_eq!(svg.select(&sel(".pin.approximate")).count(), 1);
    let fr = site.page("countries/fr/");
    let figure = fr
        .select(&sel("section.locator div.picture"))
        .next()
        .expect("locator");
    assert_eq!(figure.select(&sel("svg.map-locator .pin")).count(), 2);
    assert_eq!(
        figure
            .select(&sel("svg.map-locator .pin.approximate"))
            .count(),
        1
    );
    let rows = table_rows(figure);
    let names: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(names, ["Incident short-two", "Incident short-one"]);
    // The withheld incident in Nigeria gives the country no page and no pin.
    assert!(
        !site.out().join("countries/ng").exists(),
        "withheld country page"
    );
}

#[test]
fn a_crowded_map_clusters_and_still_accounts_for_every_incident() {
    let site = TestSite::new();
    let n = briefing::draw::PIN_LIMIT + 30;
    for k in 0..n {
        // Three places, many incidents each, and a few lone ones.
        let (lat, lon) = match k % 10 {
            0..=3 => (55.75, 37.6),
            4..=6 => (34.5, 69.2),
            7 | 8 => (48.85, 2.35),
            _ => (-33.0 + (k as f64 / 10.0), -70.0 + (k as f64 / 10.0) * 2.0),
        };
        site.write(
            &format!("content/incidents/i{k:04}.md"),
            &format!("---\ntitle: I{k}\ndate: 2024-01-01\nlocation: {{ coordinates: [{lat}, {lon}] }}\n---\n"),
        );
    }
    site.build_ok();
    let map = site.page("map/");
    let single = world_pins(&map).len();
    let clusters: Vec<(String, u64)> = map
        .select(&sel("svg.map-world a.cluster"))
        .map(|a| {
            (
                a.value().attr("href").unwrap_or_default().to_string(),
                a.select(&sel("text"))
                    .next()
                    .map(visible_text)
                    .unwrap_or_default()
                    .parse()
                    .expect("count"),
            )
        })
        .collect();
    assert!(clusters.len() >= 3, "{clusters:?}");
    let clustered: u64 = clusters.iter().map(|(_, c)| c).sum();
    assert_eq!(single as u64 + clustered, n as u64);
    // Each cluster links to its row of the table, which counts the same incidents.
    for (href, count) in &clusters {
        let id = href.strip_prefix('#').expect("fragment");
        let row = map
            .select(&sel(&format!("tr[id=\"{id}\"]")))
            .next()
            .expect("row");
        let cells: Vec<String> = row.select(&sel("th, td")).map(visible_text).collect();
        assert_eq!(cells[2], count.to_string());
    }
}
