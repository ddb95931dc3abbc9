//! Turning parser errors (serde-saphyr for YAML, toml for TOML) into diagnostics with a
//! stable code, an author's wording and a hint: [`serde_diagnostic`]. Shared with
//! `briefing.toml` (the config stage).
//!
//! The parsers report errors as text; the mapping reads it by its stable beginnings
//! (`unknown field`, `missing field`, ...), which the unit tests below pin down so a parser
//! update that rewords them fails here, not in a user's terminal.

use super::document::{YAML_MAX_DEPTH, YAML_MAX_NODES};
use crate::diag::{Code, Diagnostic, Span, did_you_mean};
use crate::model::front::COMMON_FIELDS;

/// A breached YAML budget, in an author's words (the breach itself is Debug text).
/// The message starts with "limit exceeded" so it gets the `E-limit` code.
pub(super) fn yaml_limit(e: &serde_saphyr::Error) -> Option<String> {
    use serde_saphyr::Error;
    use serde_saphyr::budget::BudgetBreach;
    let mut e = e;
    while let Error::WithSnippet { error, .. } | Error::AliasError { error, .. } = e {
        e = error;
    }
    let breach = match e {
        Error::Budget { breach, .. } => breach,
        Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. } => {
            return Some(
                "limit exceeded: the frontmatter uses too many anchors or aliases (`&name`, `*name`)"
                    .to_string(),
            );
        }
        _ => return None,
    };
    let what = match breach {
        BudgetBreach::Depth { .. } => {
            format!("values are nested more than {YAML_MAX_DEPTH} levels deep")
        }
        BudgetBreach::Nodes { .. } | BudgetBreach::Events { .. } => {
            format!(
                "the frontmatter holds more than {YAML_MAX_NODES} values (aliases count as what they expand to)"
            )
        }
        BudgetBreach::Aliases { .. }
        | BudgetBreach::Anchors { .. }
        | BudgetBreach::AliasAnchorRatio { .. } => {
            "the frontmatter uses too many anchors or aliases (`&name`, `*name`)".to_string()
        }
        BudgetBreach::Documents { .. } => {
            "the frontmatter holds more than one YAML document".to_string()
        }
        _ => "the frontmatter is too large or too complex".to_string(),
    };
    Some(format!("limit exceeded: {what}"))
}

/// serde-saphyr reports a value of the wrong type in parser terms (`invalid u64`,
/// `expected sequence start`); say it as a type mismatch, quoting the value as written,
/// so it gets the wrong-type code and hint.
pub(super) fn yaml_type_mismatch(
    e: &serde_saphyr::Error,
    front: &str,
    span: Option<Span>,
) -> Option<String> {
    let mut e = e;
    while let serde_saphyr::Error::WithSnippet { error, .. } = e {
        e = error;
    }
    let expected = match e {
        serde_saphyr::Error::InvalidScalar { ty, .. } => *ty,
        serde_saphyr::Error::Unexpected { expected, .. } => {
            let expected = match *expected {
                "string scalar" | "str expected" => "a single value, not a list or fields",
                "sequence start" => "a sequence",
                "mapping start" => "a map",
                "bool expected" => "a boolean",
                _ => return None,
            };
            return Some(format!("invalid type: expected {expected}"));
        }
        _ => return None,
    };
    let found = span
        .and_then(|s| front.get(s.offset..))
        .and_then(|rest| rest.split(['\n', ',', ']', '}', '#']).next())
        .map(str::trim)
        .filter(|v| !v.is_empty());
    Some(match found {
        Some(v) => format!("invalid type: `{v}`, expected {expected}"),
        None => format!("invalid type: expected {expected}"),
    })
}

/// Rust type names in serde messages, in the words of the content model.
fn plain_type_names(message: &str) -> String {
    let Some((head, expected)) = message.rsplit_once("expected ") else {
        return message.to_string();
    };
    let plain = match expected.trim() {
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number (0 or more)",
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number",
        "f32" | "f64" => "a number",
        "a boolean" | "boolean" | "bool" => "`true` or `false`",
        "a string" => "text",
        "a sequence" => "a list, e.g. `[a, b]`",
        "a map" => "`key: value` fields on the lines below, indented",
        _ => return message.to_string(),
    };
    format!("{head}expected {plain}")
}

/// Drop the ` at line X column Y` suffix serde-saphyr adds to plain messages.
pub(super) fn strip_location(msg: &str) -> String {
    let first = msg.lines().next().unwrap_or(msg).trim();
    match first.rfind(" at line ") {
        Some(i) => first[..i].to_string(),
        None => first.to_string(),
    }
}

/// Turn a serde error message into a diagnostic with a stable code and a hint.
/// `fields` are the known names of a content kind, for did-you-mean on unknown fields;
/// empty for `briefing.toml`, which has no `extra:` and is not frontmatter.
pub fn serde_diagnostic(
    message: &str,
    span: Option<Span>,
    _front: &str,
    fields: &[&str],
) -> Diagnostic {
    let content = !fields.is_empty();
    let message = message.trim().trim_end_matches('.');
    let ticked: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    // serde quotes every expected name (`a`, `b`); serde-saphyr lists them bare (a, b).
    let listed: Vec<&str> = message
        .split_once("expected one of ")
        .map(|(_, list)| {
            list.split(", ")
                .map(|s| s.trim().trim_matches('`'))
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if let Some(rest) = message.strip_prefix("unknown field") {
        let name = ticked.first().copied().unwrap_or(rest.trim());
        let mut expected = listed;
        if expected.is_empty() {
            expected = COMMON_FIELDS.iter().chain(fields).copied().collect();
        }
        let extra = if content {
            "; custom data goes under `extra:`"
        } else {
            ""
        };
        let help = match did_you_mean(name, expected.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?{}", extra.trim_start_matches(';')),
            None => format!("known fields: {}{extra}", expected.join(", ")),
        };
        let label = if content {
            "not a field of this kind"
        } else {
            "not a setting"
        };
        return Diagnostic::error(Code::UnknownField, format!("unknown field `{name}`"))
            .at_opt(span)
            .label(label)
            .help(help);
    }
    if message.starts_with("unknown variant") {
        let value = ticked.first().copied().unwrap_or("");
        let expected = listed;
        let help = match did_you_mean(value, expected.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("use one of: {}", expected.join(", ")),
        };
        let span = span.map(|s| Span::new(s.offset, value.len().max(s.len)));
        return Diagnostic::error(Code::UnknownValue, format!("unknown value `{value}`"))
            .at_opt(span)
            .help(help);
    }
    if message.starts_with("missing field") {
        let name = ticked.first().copied().unwrap_or("");
        let example = match name {
            "title" => "title: A short, specific title",
            "date" => "date: 2024-03-22",
            "speaker" => "speaker: <actor or group slug>",
            "stance" => "stance: claims",
            "kind" => "kind: state",
            "status" => "status: confirmed",
            _ => "",
        };
        let help = if !content {
            format!("add `{name} = ...` to `briefing.toml`")
        } else if example.is_empty() {
            format!("add `{name}` to the frontmatter")
        } else {
            format!("add `{example}` to the frontmatter")
        };
        return Diagnostic::error(
            Code::MissingField,
            format!("missing required field `{name}`"),
        )
        .at_opt(span)
        .help(help);
    }
    if message.starts_with("invalid date") {
        return Diagnostic::error(Code::InvalidDate, message.to_string())
            .at_opt(span)
            .help("use `2015`, `2015-06`, `2015-06-21` or an RFC 3339 date-time such as `2015-06-21T21:30:00+03:00`");
    }
    if message.starts_with("invalid type") || message.starts_with("invalid value") {
        return Diagnostic::error(Code::WrongType, plain_type_names(message))
            .at_opt(span)
            .help("check the field's type in the content model: text, number, list or date");
    }
    if message.starts_with("duplicate") {
        // serde-saphyr: "duplicate mapping key: title, set DuplicateKeyPolicy in Options
        // if acceptable"; the advice is for programmers, not authors.
        let name = ticked.first().copied().or_else(|| {
            message
                .strip_prefix("duplicate mapping key: ")
                .and_then(|rest| rest.split(',').next())
        });
        let message = match name {
            Some(n) => format!("field `{}` is given twice", n.trim()),
            None => "a field is given twice".to_string(),
        };
        return Diagnostic::error(Code::DuplicateField, message)
            .at_opt(span)
            .help("keep one of the two");
    }
    // YAML budgets (see `yaml_limit`) and the parsers' own recursion limits.
    if message.starts_with("limit exceeded")
        || message.contains("recursion limit")
        || message.contains("max recursion depth")
    {
        let message = message
            .strip_prefix("limit exceeded: ")
            .unwrap_or("values are nested too deeply");
        return Diagnostic::error(Code::Limit, message.to_string())
            .at_opt(span)
            .help("frontmatter holds short fields; flatten nested values and move long text into the body");
    }
    if message.contains("mapping values are not allowed") {
        return Diagnostic::error(Code::Syntax, message.to_string())
            .at_opt(span)
            .help("`: ` inside a value starts a new field; put the whole value in quotes");
    }
    Diagnostic::error(Code::Syntax, message.to_string())
        .at_opt(span)
        .help("check the quoting, brackets, indentation and the `key: value` (YAML) or `key = value` (TOML) form around this place")
}

#[cfg(test)]
mod tests {
    use super::super::document::parse_front;
    use super::super::split::Format;
    use super::*;
    use crate::model::front::IncidentFront;

    const INCIDENT: &[&str] = &["date", "status"];

    /// The diagnostic for an incident's frontmatter `front`, as the load stage makes it.
    fn from_yaml(front: &str) -> Diagnostic {
        let (message, span) = parse_front::<IncidentFront>(front, Format::Yaml, &mut |_| None)
            .err()
            .expect("the frontmatter is invalid");
        serde_diagnostic(&message, span, front, INCIDENT)
    }

    fn from_toml(front: &str) -> Diagnostic {
        let (message, span) = parse_front::<IncidentFront>(front, Format::Toml, &mut |_| None)
            .err()
            .expect("the frontmatter is invalid");
        serde_diagnostic(&message, span, front, INCIDENT)
    }

    #[test]
    fn unknown_fields_suggest_the_nearest_known_one() {
        let d = serde_diagnostic("unknown field `titel`", None, "", INCIDENT);
        assert_eq!(
            (d.code, d.message.as_str()),
            (Code::UnknownField, "unknown field `titel`")
        );
        assert_eq!(
            d.help.as_deref(),
            Some("did you mean `title`? custom data goes under `extra:`")
        );
        assert_eq!(d.label.as_deref(), Some("not a field of this kind"));
        // briefing.toml: no `extra:`, the names the parser lists.
        let d = serde_diagnostic("unknown field `x`, expected one of `a`, `b`", None, "", &[]);
        assert_eq!(d.help.as_deref(), Some("known fields: a, b"));
        assert_eq!(d.label.as_deref(), Some("not a setting"));
    }

    #[test]
    fn unknown_values_list_the_allowed_ones() {
        let d = serde_diagnostic(
            "unknown variant `confirmd`, expected one of confirmed, disputed",
            Some(Span::new(10, 2)),
            "",
            INCIDENT,
        );
        assert_eq!(
            (d.code, d.message.as_str()),
            (Code::UnknownValue, "unknown value `confirmd`")
        );
        assert_eq!(d.help.as_deref(), Some("did you mean `confirmed`?"));
        assert_eq!(d.span, Some(Span::new(10, 8)), "the span covers the value");
        let d = serde_diagnostic("unknown variant `zzz`, expected one of a, b", None, "", &[]);
        assert_eq!(d.help.as_deref(), Some("use one of: a, b"));
    }

    #[test]
    fn missing_fields_show_an_example() {
        let d = serde_diagnostic("missing field `date`", None, "", INCIDENT);
        assert_eq!(d.code, Code::MissingField);
        assert_eq!(d.message, "missing required field `date`");
        assert_eq!(
            d.help.as_deref(),
            Some("add `date: 2024-03-22` to the frontmatter")
        );
        let d = serde_diagnostic("missing field `title`", None, "", &[]);
        assert_eq!(
            d.help.as_deref(),
            Some("add `title = ...` to `briefing.toml`")
        );
    }

    #[test]
    fn other_messages_get_their_codes() {
        let code = |m: &str| serde_diagnostic(m, None, "", INCIDENT).code;
        assert_eq!(code("invalid date `2024-13`"), Code::InvalidDate);
        assert_eq!(
            code("invalid type: string \"x\", expected u32"),
            Code::WrongType
        );
        assert_eq!(
            code("invalid value: integer `-1`, expected u32"),
            Code::WrongType
        );
        assert_eq!(code("duplicate key `title`"), Code::DuplicateField);
        assert_eq!(code("limit exceeded: values are nested"), Code::Limit);
        assert_eq!(code("recursion limit exceeded"), Code::Limit);
        assert_eq!(
            code("mapping values are not allowed in this context"),
            Code::Syntax
        );
        assert_eq!(code("did not find expected key"), Code::Syntax);
    }

    #[test]
    fn type_names_are_in_the_words_of_the_content_model() {
        let d = serde_diagnostic(
            "invalid type: string \"x\", expected u32.",
            None,
            "",
            INCIDENT,
        );
        assert_eq!(
            d.message,
            "invalid type: string \"x\", expected a whole number (0 or more)"
        );
        assert_eq!(
            plain_type_names("invalid type: expected a map"),
            "invalid type: expected `key: value` fields on the lines below, indented"
        );
        assert_eq!(plain_type_names("no expectation"), "no expectation");
    }

    #[test]
    fn duplicate_keys_name_the_field_without_the_parsers_advice() {
        let d = serde_diagnostic(
            "duplicate mapping key: title, set DuplicateKeyPolicy in Options if acceptable",
            None,
            "",
            INCIDENT,
        );
        assert_eq!(d.message, "field `title` is given twice");
    }

    #[test]
    fn locations_are_stripped_from_parser_messages() {
        assert_eq!(
            strip_location("bad thing at line 3 column 4\nmore"),
            "bad thing"
        );
        assert_eq!(strip_location("bad thing"), "bad thing");
    }

    // The parsers' own wording, pinned: a serde-saphyr or toml update that rewords its
    // errors fails here.

    #[test]
    fn real_yaml_errors_get_their_codes() {
        let base = "title: T\ndate: 2024-03-22\n";
        let d = from_yaml(&format!("{base}titel: x\n"));
        assert_eq!(
            (d.code, d.message.as_str()),
            (Code::UnknownField, "unknown field `titel`")
        );
        assert_eq!(from_yaml("title: T\n").code, Code::MissingField);
        assert_eq!(
            from_yaml(&format!("{base}status: confirmd\n")).code,
            Code::UnknownValue
        );
        assert_eq!(
            from_yaml("title: T\ndate: 2024-13-40\n").code,
            Code::InvalidDate
        );
        let d = from_yaml(&format!("{base}casualties:\n  killed: many\n"));
        assert_eq!(d.code, Code::WrongType, "{}", d.message);
        assert!(d.message.contains("`many`"), "{}", d.message);
        let d = from_yaml(&format!("{base}title: U\n"));
        assert_eq!(
            (d.code, d.message.as_str()),
            (Code::DuplicateField, "field `title` is given twice")
        );
        let deep = format!("{base}extra: {}{}\n", "[".repeat(40), "]".repeat(40));
        assert_eq!(from_yaml(&deep).code, Code::Limit);
        assert_eq!(from_yaml("title: a: b\n").code, Code::Syntax);
    }

    #[test]
    fn real_toml_errors_get_their_codes() {
        let base = "title = \"T\"\ndate = \"2024-03-22\"\n";
        assert_eq!(
            from_toml(&format!("{base}titel = 1\n")).code,
            Code::UnknownField
        );
        assert_eq!(from_toml("title = \"T\"\n").code, Code::MissingField);
        assert_eq!(
            from_toml(&format!("{base}status = \"confirmd\"\n")).code,
            Code::UnknownValue
        );
        assert_eq!(
            from_toml(&format!("{base}title = \"U\"\n")).code,
            Code::DuplicateField
        );
        assert_eq!(from_toml("title = \n").code, Code::Syntax);
    }
}
