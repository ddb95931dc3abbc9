//! Checks on parsed frontmatter that serde cannot make: non-empty titles, tags with letters,
//! http(s) or site-relative URLs, known country codes, coordinates on Earth, date order;
//! and the spans of references and URLs, for later stages' diagnostics. Every place comes
//! from the parser (see [`crate::model::Spanned`]).

use super::spans::{key_of, unquoted};
use crate::diag::{Code, Diagnostic, Span};
use crate::model::front::FrontSpans;
use crate::model::{Common, CountryCode, Data, RefSlug, Source, Spanned, country, slugify};

/// Checks on the common fields; `spans` is where the parser found their values.
pub(super) fn validate_common(
    common: &mut Common,
    spans: &FrontSpans,
    front: &str,
    shift: usize,
    out: &mut Vec<Diagnostic>,
) {
    if common.title.trim().is_empty() {
        // The parser's place of the top-level value, not the first `title` in the text,
        // which may be a source's (the empty top-level title was reported on its line).
        out.push(
            Diagnostic::error(Code::EmptyField, "`title` is empty")
                .at_opt(at_key(front, spans.title, "title", shift))
                .help("give the entity a short, specific title"),
        );
    }
    for (i, tag) in common.tags.iter().enumerate() {
        if slugify(tag).is_none() {
            let node = spans.tags.get(i).copied().flatten();
            out.push(
                Diagnostic::error(
                    Code::InvalidTag,
                    format!("tag `{tag}` has no letters or digits"),
                )
                .at_opt(value_span(front, node).map(|s| s.shifted(shift)))
                .help("use words such as `mass-shooting`"),
            );
        }
    }
    if let Some(lang) = &common.lang
        && !is_language_tag(lang)
    {
        out.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!("`lang` `{lang}` is not a language tag"),
            )
            .at_opt(value_span(front, spans.lang).map(|s| s.shifted(shift)))
            .help("use a BCP 47 tag such as `ru`, `uk`, `ar` or `fa-IR`"),
        );
    }
    for source in &mut common.sources {
        source.url_span = locate_url(source, front, shift);
        check_url(source, out);
    }
}

/// Whether `tag` has the shape of a BCP 47 language tag: a 2-3 letter language, then
/// subtags of 1-8 letters or digits (`ru`, `fa-IR`, `sr-Latn`). Not checked against the
/// registry: it only has to be safe and useful in a `lang` attribute.
pub(super) fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// URLs in sources must be http(s) or site-relative, as a browser reads them: `\` is a
/// slash, so `/\evil.example/` is another site (issue 9).
pub fn url_is_allowed(url: &str) -> bool {
    let lower = crate::markdown::as_browser_reads(url).to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || (lower.starts_with('/') && !lower.starts_with("//"))
}

/// Where the URL of a source is in the file.
fn locate_url(source: &Source, front: &str, shift: usize) -> Option<Span> {
    source.url.as_ref()?;
    value_span(front, source.url_span).map(|s| s.shifted(shift))
}

/// Where a value is in the frontmatter: its node from the parser, without quotes.
pub(super) fn value_span(front: &str, node: Option<Span>) -> Option<Span> {
    node.map(|node| unquoted(front, node))
}

/// Where the key of the value at `node` is in the file (the value itself if the key is not
/// just before it).
fn at_key(front: &str, node: Option<Span>, key: &str, shift: usize) -> Option<Span> {
    node.map(|value| key_of(front, value, key).unwrap_or(value).shifted(shift))
}

/// `source`'s URL must be allowed; its `url_span` is in the file already.
fn check_url(source: &Source, out: &mut Vec<Diagnostic>) {
    let Some(url) = source.url.as_deref() else {
        return;
    };
    if !url_is_allowed(url) || url.chars().any(char::is_control) {
        // Control characters are shown escaped, never sent to the terminal as they are.
        let shown: String = url
            .chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect();
        out.push(
            Diagnostic::error(
                Code::InvalidUrl,
                format!("URL `{shown}` is not an http(s) or site-relative URL"),
            )
            .at_opt(source.url_span)
            .help("use a full `https://...` address, or a path on this site starting with `/`"),
        );
    }
}

/// The known country of `code` as written (any case); an unknown one is reported where the
/// parser found it (relative to `front`, which starts at `shift` in the file).
pub(super) fn check_country(
    code: Spanned<String>,
    front: &str,
    shift: usize,
    out: &mut Vec<Diagnostic>,
) -> Option<CountryCode> {
    if let Some(known) = CountryCode::parse(&code.value) {
        return Some(known);
    }
    let similar = country::similar_codes(code.value.trim());
    let help = if similar.is_empty() {
        "use an ISO 3166-1 alpha-2 code such as `RU` or `AF`".to_string()
    } else {
        format!(
            "use an ISO 3166-1 alpha-2 code; did you mean {}?",
            similar
                .iter()
                .map(|c| format!("`{c}` ({})", country::country_name(c).unwrap_or(c)))
                .collect::<Vec<_>>()
                .join(" or ")
        )
    };
    out.push(
        Diagnostic::error(
            Code::UnknownCountry,
            format!("unknown country code `{}`", code.value),
        )
        .at_opt(value_span(front, code.span).map(|s| s.shifted(shift)))
        .help(help),
    );
    None
}

/// Shift the parser's span of every reference of `data` into the file, without quotes.
pub(super) fn locate_refs(data: &mut Data<RefSlug>, front: &str, shift: usize) {
    let set = |r: &mut RefSlug| r.span = value_span(front, r.span).map(|s| s.shifted(shift));
    match data {
        Data::Incident(i) => i.perpetrators.iter_mut().for_each(set),
        Data::Group(g) => {
            g.parent.iter_mut().for_each(set);
            g.relations.iter_mut().for_each(|r| set(&mut r.group));
        }
        Data::Actor(a) => {
            a.affiliation.iter_mut().for_each(set);
            a.relations.iter_mut().for_each(|r| set(&mut r.group));
        }
        Data::Statement(s) => {
            (s.speaker
                .iter_mut()
                .chain(&mut s.via)
                .chain(&mut s.incident))
            .chain(&mut s.about)
            .for_each(set);
        }
        Data::Page => {}
    }
}

pub(super) fn validate_data(
    data: &mut Data<RefSlug>,
    spans: &FrontSpans,
    front: &str,
    shift: usize,
    out: &mut Vec<Diagnostic>,
) {
    match data {
        Data::Incident(i) => {
            if let Some([lat, lon]) = i.location.as_ref().and_then(|l| l.coordinates)
                && !((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon))
            {
                out.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("coordinates [{lat}, {lon}] are not on Earth"),
                    )
                    .at_opt(at_key(front, spans.coordinates, "coordinates", shift))
                    .help("write `[latitude, longitude]` in decimal degrees, latitude first"),
                );
            }
            if let Some(end) = &i.end_date
                && i.date.is_after(end)
            {
                out.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("`end_date` {end} is before `date` {}", i.date),
                    )
                    .at_opt(at_key(front, spans.end_date, "end_date", shift))
                    .help("swap the two dates or correct one of them"),
                );
            }
        }
        Data::Statement(s) => {
            if let Some(src) = &mut s.source {
                src.url_span = locate_url(src, front, shift);
                check_url(src, out);
            }
        }
        Data::Group(_) | Data::Actor(_) | Data::Page => {}
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn source_urls_read_backslashes_as_slashes() {
        for bad in [
            "/\\evil.example/",
            "\\\\evil.example/",
            "/\t/evil.example/",
            " //x.org/",
        ] {
            assert!(!super::url_is_allowed(bad), "{bad:?}");
        }
        for good in ["/incidents/x/", " https://x.org/", "HTTP://x.org"] {
            assert!(super::url_is_allowed(good), "{good:?}");
        }
    }
}
