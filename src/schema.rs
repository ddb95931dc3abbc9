//! `briefing schema`: JSON Schemas (draft 2020-12) for each kind's frontmatter and for
//! `briefing.toml`, generated with `schemars` from the very types the loader deserialises
//! ([`crate::model::front`], [`crate::config::Config`]), so the schemas cannot drift from
//! what a build accepts (issue 14).
//!
//! What the types cannot say is added here: the shapes of a partial date and of a slug
//! reference, whose serde implementations are hand-written. Checks that need the whole
//! site (unknown references, duplicate slugs) stay with `briefing check`.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::config::Config;
use crate::diag::{Code, Diagnostic, display_path};
use crate::model::front::{ActorFront, GroupFront, IncidentFront, PageFront, StatementFront};
use crate::model::{PartialDate, RefSlug};

/// A slug as the content model allows it.
pub const SLUG_PATTERN: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";

/// A partial date: `2015`, `2015-06`, `2015-06-21`, or an RFC 3339 date-time with offset.
pub const DATE_PATTERN: &str = "^[0-9]{1,4}(-[0-9]{2}(-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?([Zz]|[+-][0-9]{2}:?[0-9]{2}))?)?)?$";

impl JsonSchema for PartialDate {
    fn schema_name() -> Cow<'static, str> {
        "PartialDate".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A date at the precision known: `2015`, `2015-06`, `2015-06-21`, or an RFC 3339 date-time with an offset (`2015-06-21T21:30:00+03:00`).",
            "anyOf": [
                { "type": "string", "pattern": DATE_PATTERN },
                { "type": "integer", "minimum": 0, "maximum": 9999 }
            ]
        })
    }
}

impl JsonSchema for RefSlug {
    fn schema_name() -> Cow<'static, str> {
        "Slug".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "The slug of another entry of the site (its file name without `.md`, or its `slug` field).",
            "type": "string",
            "pattern": SLUG_PATTERN
        })
    }
}

/// Every schema `briefing schema` writes: file name and schema.
pub fn schemas() -> Vec<(&'static str, Schema)> {
    fn titled<T: JsonSchema>(title: &str, description: &str) -> Schema {
        let mut schema = schemars::schema_for!(T);
        schema.insert("title".into(), title.into());
        schema.insert("description".into(), description.into());
        schema
    }
    vec![
        (
            "incident.schema.json",
            titled::<IncidentFront>(
                "briefing incident",
                "Frontmatter of `content/incidents/*.md`.",
            ),
        ),
        (
            "group.schema.json",
            titled::<GroupFront>("briefing group", "Frontmatter of `content/groups/*.md`."),
        ),
        (
            "actor.schema.json",
            titled::<ActorFront>("briefing actor", "Frontmatter of `content/actors/*.md`."),
        ),
        (
            "statement.schema.json",
            titled::<StatementFront>(
                "briefing statement",
                "Frontmatter of `content/statements/*.md`.",
            ),
        ),
        (
            "page.schema.json",
            titled::<PageFront>(
                "briefing page",
                "Frontmatter of `content/pages/*.md` and `content/_index.md`.",
            ),
        ),
        (
            "briefing.schema.json",
            titled::<Config>("briefing settings", "`briefing.toml` at the site root."),
        ),
    ]
}

/// Write every schema into `dir` (created if missing; earlier schemas are replaced) and
/// return the paths written.
pub fn write_schemas(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let fail = |what: &str, path: &Path, e: std::io::Error| {
        Diagnostic::error(
            Code::SchemaWrite,
            format!("cannot {what} `{}`: {e}", display_path(path)),
        )
        .help("pass a folder you may write to with `--out DIR`")
    };
    std::fs::create_dir_all(dir).map_err(|e| fail("create", dir, e))?;
    let mut written = Vec::new();
    for (name, schema) in schemas() {
        let path = dir.join(name);
        let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
        text.push('\n');
        std::fs::write(&path, text).map_err(|e| fail("write", &path, e))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_are_draft_2020_12_and_closed() {
        for (name, schema) in schemas() {
            let v = schema.as_value();
            assert_eq!(
                v["$schema"], "https://json-schema.org/draft/2020-12/schema",
                "{name}"
            );
            assert_eq!(v["additionalProperties"], false, "{name}");
            assert_eq!(v["type"], "object", "{name}");
        }
    }

    #[test]
    fn required_fields_follow_the_content_model() {
        let all = schemas();
        let required = |file: &str| -> Vec<String> {
            let (_, s) = all.iter().find(|(n, _)| *n == file).unwrap();
            let mut r: Vec<String> = s.as_value()["required"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect();
            r.sort();
            r
        };
        assert_eq!(required("incident.schema.json"), ["date", "title"]);
        assert_eq!(required("actor.schema.json"), ["kind", "title"]);
        assert_eq!(
            required("statement.schema.json"),
            ["date", "speaker", "stance", "title"]
        );
        assert_eq!(required("briefing.schema.json"), ["title"]);
    }
}
