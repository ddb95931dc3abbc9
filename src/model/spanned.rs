//! A frontmatter value together with where the parser found it.
//!
//! One type for both frontmatter syntaxes: YAML through serde-saphyr's spanned newtype
//! (`serde_saphyr::Spanned`), TOML through the spanned struct of `serde_spanned` that the
//! `toml` deserializer answers (`toml::Spanned`). Either way only the byte span of the value's
//! node is kept, relative to the text that was parsed (the frontmatter slice: the load stage
//! adds its offset). Frontmatter is only ever read by these two parsers; any other
//! deserializer is refused.

use std::borrow::Cow;
use std::marker::PhantomData;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

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

/// The newtype name serde-saphyr answers with a `{marker, value, referenced, defined}` map.
const YAML_NAME: &str = "__yaml_spanned";
/// The first key of serde-saphyr's spanned map.
const YAML_MARKER: &str = "__serde_saphyr_private_spanned";
/// The struct name and fields `toml` answers with a `{start, end, value}` map (the
/// protocol of `serde_spanned`, which `toml::Spanned` is).
const TOML_NAME: &str = "$__serde_spanned_private_Spanned";
const TOML_START: &str = "$__serde_spanned_private_start";
const TOML_END: &str = "$__serde_spanned_private_end";
const TOML_VALUE: &str = "$__serde_spanned_private_value";
const TOML_FIELDS: &[&str] = &[TOML_START, TOML_END, TOML_VALUE];

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // serde-saphyr answers the newtype with its spanned deserializer, which gives its
        // map whatever is asked next; `toml` passes itself on, and answers the struct.
        d.deserialize_newtype_struct(YAML_NAME, Outer(PhantomData))
    }
}

/// Asks for the TOML struct inside the YAML newtype.
struct Outer<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for Outer<T> {
    type Value = Spanned<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a value")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_struct(TOML_NAME, TOML_FIELDS, Inner(PhantomData))
    }
}

/// Reads either parser's spanned map.
struct Inner<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for Inner<T> {
    type Value = Spanned<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let first = map.next_key::<String>()?;
        let (mut value, mut span) = (None, None);
        match first.as_deref() {
            Some(YAML_MARKER) => {
                map.next_value::<de::IgnoredAny>()?;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "value" => value = Some(map.next_value::<T>()?),
                        // `referenced` is where the value is used (an alias's own place, not
                        // its anchor's); `defined` is its anchor's.
                        "referenced" => {
                            span = yaml_span(&map.next_value::<serde_saphyr::Location>()?);
                        }
                        _ => {
                            map.next_value::<serde_saphyr::Location>()?;
                        }
                    }
                }
            }
            Some(TOML_START) => {
                let start: usize = map.next_value()?;
                while let Some(key) = map.next_key::<String>()? {
                    if key == TOML_END {
                        let end: usize = map.next_value()?;
                        span = end.checked_sub(start).map(|len| Span::new(start, len));
                    } else {
                        value = Some(map.next_value::<T>()?);
                    }
                }
            }
            _ => return Err(de::Error::custom("this format gives no spans")),
        }
        let value = value.ok_or_else(|| de::Error::missing_field("value"))?;
        Ok(Spanned { value, span })
    }
}

/// The byte span of a YAML location, if it has one.
fn yaml_span(at: &serde_saphyr::Location) -> Option<Span> {
    if at.line() == 0 {
        return None;
    }
    let s = at.span();
    let offset = usize::try_from(s.byte_offset()?).ok()?;
    let len = usize::try_from(s.byte_len()?).ok()?;
    Some(Span::new(offset, len))
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
        #[serde(default)]
        sources: Vec<Source>,
        #[serde(default)]
        coordinates: Option<Spanned<[f64; 2]>>,
    }

    #[derive(Deserialize)]
    struct Source {
        title: Spanned<String>,
    }

    fn text_of(text: &str, span: Option<Span>) -> &str {
        let s = span.expect("a span");
        &text[s.offset..s.offset + s.len]
    }

    #[test]
    fn yaml_values_carry_their_own_byte_spans() {
        let text = "sources:\n  - title: \"A\"\ntitle: ''\ncoordinates: [1.5, 2]\n";
        let f: Front = serde_saphyr::from_str(text).unwrap();
        assert_eq!(text_of(text, f.title.span), "''");
        assert_eq!(text_of(text, f.sources[0].title.span), "\"A\"");
        let c = f.coordinates.unwrap();
        assert_eq!(c.value, [1.5, 2.0]);
        assert!(text_of(text, c.span).starts_with('['), "{:?}", c.span);
    }

    /// Issue 10: TOML values used to come without a span and were found by searching the
    /// text for their key, which found a source's `title` for an empty top-level one.
    #[test]
    fn toml_values_carry_their_own_byte_spans() {
        let text = "coordinates = [1.5, 2.0]\ntitle = \"\"\n[[sources]]\ntitle = 'A'\n";
        let f: Front = toml::from_str(text).unwrap();
        assert_eq!(text_of(text, f.title.span), "\"\"");
        assert_eq!(text_of(text, f.sources[0].title.span), "'A'");
        let c = f.coordinates.unwrap();
        assert_eq!((c.value, text_of(text, c.span)), ([1.5, 2.0], "[1.5, 2.0]"));
    }

    #[test]
    fn other_deserializers_are_refused() {
        assert!(serde_json::from_str::<Spanned<String>>("\"x\"").is_err());
    }

    #[test]
    fn wrong_types_are_still_errors() {
        assert!(toml::from_str::<Front>("title = 3\n").is_err());
        assert!(serde_saphyr::from_str::<Front>("title: [1]\n").is_err());
    }
}
