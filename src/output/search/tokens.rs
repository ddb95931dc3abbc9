//! Words as the search index and `search.js` both see them.
//!
//! A text is split into words by the Unicode word rules (UAX #29, which the browser's
//! `Intl.Segmenter` also follows), and each word is folded the same way on both sides:
//! compatibility decomposition (NFKD), lowercase, combining marks dropped (accents, Arabic
//! short vowels), recomposed (NFC), then Arabic alef variants written as plain alef and the
//! tatweel removed, and the Greek final sigma written as sigma. So `Москва`, `москва`, `Ｍｏｓｋｏｗ`, `São` and `sao`, `القاعدة` with or
//! without vowel marks, meet. `search.js` has the same function, `fold`; change both.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation;

/// Longest word kept, in characters: longer ones are cut (hashes, run-on strings).
pub const MAX_WORD: usize = 64;

/// The folded form of one word (see the module docs).
pub fn fold(word: &str) -> String {
    fold_cow(word).into_owned()
}

/// [`fold`], borrowing `word` when it is already folded (lowercase ASCII, most words of a
/// body), so indexing allocates once per distinct word rather than once per word.
fn fold_cow(word: &str) -> Cow<'_, str> {
    if word.is_ascii() {
        let word = &word[..word.len().min(MAX_WORD)];
        if !word.bytes().any(|b| b.is_ascii_uppercase()) {
            return Cow::Borrowed(word);
        }
        return Cow::Owned(word.to_ascii_lowercase());
    }
    // The whole word at once, as `toLowerCase` does: a final capital sigma becomes `ς`.
    let lowered = word.nfkd().collect::<String>().to_lowercase();
    Cow::Owned(
        lowered
            .chars()
            .filter(|c| !is_combining_mark(*c))
            .nfc()
            .filter_map(|c| match c {
                '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0671}' => Some('\u{0627}'),
                '\u{0640}' => None,
                '\u{03c2}' => Some('\u{03c3}'),
                c => Some(c),
            })
            .take(MAX_WORD)
            .collect(),
    )
}

/// Calls `f` with each folded word of `text`.
pub fn words<'t>(text: &'t str, mut f: impl FnMut(Cow<'t, str>)) {
    for w in text.unicode_words() {
        let w = fold_cow(w);
        if !w.is_empty() {
            f(w);
        }
    }
}

/// Inline elements: their tags do not end a word, as they do not on the page
/// (`Mos<em>cow</em>` reads `Moscow`). Highlighted code is text in `span`s, so a body gives
/// the same words highlighted or not.
const INLINE: [&str; 27] = [
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
];

/// Whether the tag `tag` (from `<` to `>`, both left out) is of an inline element.
fn is_inline(tag: &str) -> bool {
    let name = tag.strip_prefix('/').unwrap_or(tag);
    let end = name
        .find(|c: char| c.is_ascii_whitespace() || c == '/')
        .unwrap_or(name.len());
    let name = &name[..end];
    INLINE.iter().any(|i| i.eq_ignore_ascii_case(name))
}

/// The text of sanitised HTML: tags dropped (a tag other than an inline one ends a word),
/// character references decoded.
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            match rest.find('>') {
                Some(end) => {
                    if !is_inline(&rest[1..end]) {
                        out.push(' ');
                    }
                    rest = &rest[end + 1..];
                }
                None => rest = "",
            }
        } else {
            let end = rest[1..]
                .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
                .map_or(rest.len(), |n| n + 1);
            let name = &rest[1..end];
            let decoded = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => name.strip_prefix('#').and_then(|n| {
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => n.parse().ok(),
                    };
                    code.and_then(char::from_u32)
                }),
            };
            match decoded {
                Some(c) => {
                    out.push(c);
                    rest = rest[end..].strip_prefix(';').unwrap_or(&rest[end..]);
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        let mut v = Vec::new();
        words(text, |w| v.push(w.into_owned()));
        v
    }

    #[test]
    fn folds_case_width_and_marks_in_every_script() {
        assert_eq!(all("Crocus City Hall"), ["crocus", "city", "hall"]);
        assert_eq!(all("МОСКВА Москва"), ["москва", "москва"]);
        assert_eq!(all("Ｍｏｓｋｏｗ São"), ["moskow", "sao"]);
        assert_eq!(all("الْقَاعِدَة أفغانستان"), ["القاعدة", "افغانستان"]);
        assert_eq!(all("Ёж"), ["еж"]);
        assert_eq!(all("ΟΔΟΣ οδος"), ["οδοσ", "οδοσ"]);
    }

    #[test]
    fn splits_on_punctuation_and_keeps_numbers() {
        assert_eq!(
            all("ISIS-K, 2024: 145 killed."),
            ["isis", "k", "2024", "145", "killed"]
        );
    }

    #[test]
    fn long_words_are_cut() {
        let w = "a".repeat(100);
        assert_eq!(all(&w)[0].len(), MAX_WORD);
        let w = "д".repeat(100);
        assert_eq!(all(&w)[0].chars().count(), MAX_WORD);
    }

    #[test]
    fn html_text_drops_tags_and_decodes_references() {
        assert_eq!(
            html_text("<p>a&amp;b &lt;x&gt; &#1052;&#x43e; &bogus; <br>c</p>"),
            " a&b <x> Мо &bogus;  c "
        );
        assert_eq!(all(&html_text("<p>one</p><p>two</p>")), ["one", "two"]);
        assert_eq!(
            all(&html_text("<li>one<li>two<br>three")),
            ["one", "two", "three"]
        );
    }

    #[test]
    fn inline_tags_do_not_split_a_word() {
        assert_eq!(
            all(&html_text(
                "<p>Mos<em>cow</em> <a href=\"/x/\">Cro</a><STRONG>cus</STRONG></p>"
            )),
            ["moscow", "crocus"]
        );
        assert_eq!(
            all(&html_text(
                "<span class=\"hl\">let</span><span>x</span> = 1"
            )),
            ["letx", "1"]
        );
    }
}
