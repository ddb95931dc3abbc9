//! A frontmatter value together with where the YAML parser found it.
//!
//! Takes serde-saphyr's [`serde_saphyr::Spanned`] and keeps only the byte span, relative to
//! the text that was parsed (the frontmatter slice: the load stage adds its offset). Other
//! deserializers (TOML) give the value without a span; the load stage then falls back to
//! finding the key in the text, which is exact there because TOML writes top-level keys
//! before any table.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer};

use crate::diag::Span;

/// `value` as parsed, and the bytes of its node in the parsed text (quotes included), if
/// the parser reports them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where its node stands in the parsed text.
    pub span: Option<Span>,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let parsed = serde_saphyr::Spanned::<T>::deserialize(d)?;
        // `referenced` is where the value is used (an alias's own place, not its anchor's).
        let at = parsed.referenced;
        let span = (at.line() > 0)
            .then(|| {
                let s = at.span();
                let offset = usize::try_from(s.byte_offset()?).ok()?;
                let len = usize::try_from(s.byte_len()?).ok()?;
                Some(Span::new(offset, len))
            })
            .flatten();
        Ok(Spanned {
            value: parsed.value,
            span,
        })
    }
}

impl<T: JsonSchema> JsonSchema for Spanned<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Front {
        title: Spanned<String>,
        sources: Vec<Source>,
    }

    #[derive(Deserialize)]
    struct Source {
        title: Spanned<String>,
    }

    #[test]
    fn yaml_values_carry_their_own_byte_spans() {
        let text = "sources:\n  - title: \"A\"\ntitle: ''\n";
        let f: Front = serde_saphyr::from_str(text).unwrap();
        let top = f.title.span.unwrap();
        assert_eq!(&text[top.offset..top.offset + top.len], "''");
        let inner = f.sources[0].title.span.unwrap();
        assert_eq!(&text[inner.offset..inner.offset + inner.len], "\"A\"");
    }

    #[test]
    fn toml_values_come_without_a_span() {
        let f: Spanned<String> = toml::from_str::<Front>("title = 'x'\nsources = []\n")
            .unwrap()
            .title;
        assert_eq!((f.value.as_str(), f.span), ("x", None));
    }
}
