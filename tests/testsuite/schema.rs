//! `briefing schema` (issue 14): the generated JSON Schemas accept every valid example and
//! fixture file, and refuse what a build refuses.

use std::path::{Path, PathBuf};

use briefing::load::split::{Format, split_frontmatter};
use briefing::schema::schemas;

use crate::support::{briefing, run};

fn validator(file: &str) -> jsonschema::Validator {
    let (_, schema) = schemas()
        .into_iter()
        .find(|(name, _)| *name == file)
        .expect("schema");
    jsonschema::draft202012::new(schema.as_value()).expect("a valid draft 2020-12 schema")
}

/// TOML as JSON, datetimes as their text (what an editor's TOML server sees).
fn toml_to_json(v: toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => J::from(f),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            J::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

fn frontmatter(path: &Path) -> serde_json::Value {
    let text = briefing::source::read_source(path).expect("read");
    let split = split_frontmatter(&text).expect("frontmatter");
    let front = &text[split.front];
    match split.format {
        Format::Yaml if front.trim().is_empty() => serde_json::json!({}),
        Format::Yaml => serde_saphyr::from_str(front).expect("yaml"),
        Format::Toml => toml_to_json(toml::from_str(front).expect("toml")),
    }
}

/// Every content file and `briefing.toml` under the examples and valid fixtures.
fn example_files() -> (Vec<(PathBuf, &'static str)>, Vec<PathBuf>) {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut content = Vec::new();
    let mut settings = Vec::new();
    for root in ["content", "briefing.toml", "scaffold", "tests/fixtures"] {
        for entry in walkdir::WalkDir::new(manifest.join(root)).sort_by_file_name() {
            let entry = entry.expect("walk");
            let path = entry.path();
            if path.components().any(|c| c.as_os_str() == "invalid") {
                continue;
            }
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name == "briefing.toml" {
                settings.push(path.to_path_buf());
                continue;
            }
            if !name.ends_with(".md") {
                continue;
            }
            let parent = path
                .parent()
                .and_then(|p| p.file_name())
                .and_then(|n| n.to_str());
            let schema = match (name, parent) {
                ("_index.md", Some("content")) => "page.schema.json",
                (_, Some("incidents")) => "incident.schema.json",
                (_, Some("groups")) => "group.schema.json",
                (_, Some("actors")) => "actor.schema.json",
                (_, Some("statements")) => "statement.schema.json",
                (_, Some("pages")) => "page.schema.json",
                _ => continue,
            };
            content.push((path.to_path_buf(), schema));
        }
    }
    (content, settings)
}

#[test]
fn every_example_and_fixture_file_validates_against_the_generated_schema() {
    let (content, settings) = example_files();
    assert!(content.len() >= 20, "{content:?}");
    assert!(settings.len() >= 3, "{settings:?}");
    let mut failures = Vec::new();
    for (path, schema) in &content {
        let v = validator(schema);
        for e in v.iter_errors(&frontmatter(path)) {
            failures.push(format!("{}: {e} at {}", path.display(), e.instance_path()));
        }
    }
    let v = validator("briefing.schema.json");
    for path in &settings {
        let text = std::fs::read_to_string(path).expect("read");
        let json = toml_to_json(toml::from_str(&text).expect("toml"));
        for e in v.iter_errors(&json) {
            failures.push(format!("{}: {e}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_schema_refuses_what_a_build_refuses() {
    let v = validator("incident.schema.json");
    let ok = serde_json::json!({"title": "T", "date": "2024-03-22", "location": {"country": "RU", "coordinates": [55.8, 37.4]}});
    assert!(v.is_valid(&ok));
    for bad in [
        serde_json::json!({"title": "T"}),
        serde_json::json!({"title": "T", "date": "2024-03-22", "perpetratorz": []}),
        serde_json::json!({"title": "T", "date": "22 March 2024"}),
        serde_json::json!({"title": "T", "date": "2024", "tlp": "white"}),
        serde_json::json!({"title": "T", "date": "2024", "perpetrators": ["ISIS K"]}),
        serde_json::json!({"title": "T", "date": "2024", "location": {"country": "ru"}}),
    ] {
        assert!(!v.is_valid(&bad), "accepted {bad}");
    }
    let v = validator("briefing.schema.json");
    assert!(!v.is_valid(&serde_json::json!({"title": "x", "base_ulr": "/"})));
}

#[test]
fn schema_writes_one_file_per_kind_and_one_for_the_settings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("schemas");
    let r = run(briefing().arg("schema").arg("--out").arg(&out));
    assert_eq!(r.code, 0, "{}", r.stderr);
    for name in [
        "incident",
        "group",
        "actor",
        "statement",
        "page",
        "briefing",
    ] {
        let path = out.join(format!("{name}.schema.json"));
        let text = std::fs::read_to_string(&path).expect("schema written");
        let json: serde_json::Value = serde_json::from_str(&text).expect("json");
        assert_eq!(
            json["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert!(
            r.stdout.contains(&format!("{name}.schema.json")),
            "{}",
            r.stdout
        );
    }
}
