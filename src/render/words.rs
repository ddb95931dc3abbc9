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
pub(super) fn fold_cow(word: &str) -> Cow<'_, str> {
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
    split(text, |w| {
        let w = fold_cow(w);
        if !w.is_empty() {
            f(w);
        }
    });
}

/// Calls `f` with each word of `text`, unfolded: exactly the words of
/// [`UnicodeSegmentation::unicode_words`], in order, but found without its tables in the
/// runs of ASCII, where the rules reduce to a few (issue 16).
///
/// The text is cut where an ASCII character other than whitespace follows ASCII
/// whitespace: no rule joins the two, and no rule deciding a break on one side looks past
/// the whitespace to the other, so the words of the parts are the words of the whole. A
/// part holding a non-ASCII character goes to `unicode_words` (a combining mark after a
/// space joins it, and makes a word of it if it is a letter), the others to
/// [`ascii_words`]. The tests `split_is_unicode_words*` check this against the crate.
pub fn split<'t>(text: &'t str, mut f: impl FnMut(&'t str)) {
    if text.is_ascii() {
        return ascii_words(text, &mut f);
    }
    let b = text.as_bytes();
    // The part not yet split; whether it is ASCII; the last cut in it.
    let (mut start, mut ascii, mut cut) = (0, true, 0);
    for i in 0..b.len() {
        if i > 0 && is_space(b[i - 1]) && b[i].is_ascii() && !is_space(b[i]) {
            if !ascii {
                text[start..i].unicode_words().for_each(&mut f);
                (start, ascii) = (i, true);
            }
            cut = i;
        } else if ascii && !b[i].is_ascii() {
            ascii_words(&text[start..cut], &mut f);
            (start, ascii) = (cut, false);
        }
    }
    if ascii {
        ascii_words(&text[start..], &mut f);
    } else {
        text[start..].unicode_words().for_each(&mut f);
    }
}

/// The ASCII whitespace [`split`] cuts after.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c')
}

/// The word-break classes of the ASCII characters a word may hold (UAX #29); those a
/// word runs through first.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    /// `A`-`Z`, `a`-`z`: ALetter.
    Letter,
    /// `0`-`9`: Numeric.
    Digit,
    /// `_`: ExtendNumLet.
    Underscore,
    /// `:`: MidLetter (between letters).
    MidLetter,
    /// `.` (MidNumLet) and `'` (Single_Quote): between letters or between digits.
    MidNumLet,
    /// `,` and `;`: MidNum (between digits).
    MidNum,
    /// Any other: a segment of its own.
    Other,
}

/// [`Class`] by ASCII byte.
const CLASSES: [Class; 128] = {
    let mut t = [Class::Other; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
            b'0'..=b'9' => Class::Digit,
            b'_' => Class::Underscore,
            b':' => Class::MidLetter,
            b'.' | b'\'' => Class::MidNumLet,
            b',' | b';' => Class::MidNum,
            _ => Class::Other,
        };
        b += 1;
    }
    t
};

/// The class of an ASCII byte.
fn class(b: u8) -> Class {
    CLASSES[usize::from(b & 0x7f)]
}

/// The words of ASCII text (`s` must be ASCII): letters, digits and `_` run together (WB5, 8-10, 13a-b); a
/// letter, `:`, `.` or `'`, and a letter (WB6-7), or a digit, `,`, `;`, `.` or `'`, and a
/// digit (WB11-12), too; all else breaks. A segment is a word if it holds a letter or
/// digit.
fn ascii_words<'t>(s: &'t str, f: &mut impl FnMut(&'t str)) {
    use Class::*;
    let b = s.as_bytes();
    let n = b.len();
    let in_word = |i: usize| class(b[i]) <= Underscore;
    let mut i = 0;
    while i < n {
        if !in_word(i) {
            i += 1;
            continue;
        }
        let start = i;
        loop {
            while i < n && in_word(i) {
                i += 1;
            }
            // A letter, `:`, `.` or `'` and a letter; a digit, `,`, `;`, `.` or `'`
            // and a digit.
            if i + 1 < n {
                let joins = matches!(
                    (class(b[i - 1]), class(b[i]), class(b[i + 1])),
                    (Letter, MidLetter | MidNumLet, Letter) | (Digit, MidNum | MidNumLet, Digit)
                );
                if joins {
                    i += 2;
                    continue;
                }
            }
            break;
        }
        if b[start..i].iter().any(|&c| c != b'_') {
            f(&s[start..i]);
        }
    }
}

/// Whether the tag `tag` (from `<` to `>`, both left out) is of an inline element: its
/// tags do not end a word, as they do not on the page (`Mos<em>cow</em>` reads `Moscow`).
/// Highlighted code is text in `span`s, so a body gives the same words highlighted or not.
fn is_inline(tag: &str) -> bool {
    let name = tag.strip_prefix('/').unwrap_or(tag).as_bytes();
    let end = name
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/')
        .unwrap_or(name.len());
    let name = &name[..end];
    let mut lower = [0u8; 6];
    if name.len() > lower.len() {
        return false;
    }
    for (l, b) in lower.iter_mut().zip(name) {
        *l = b.to_ascii_lowercase();
    }
    matches!(
        &lower[..name.len()],
        b"a" | b"abbr"
            | b"b"
            | b"bdi"
            | b"bdo"
            | b"cite"
            | b"code"
            | b"data"
            | b"del"
            | b"dfn"
            | b"em"
            | b"i"
            | b"ins"
            | b"kbd"
            | b"mark"
            | b"q"
            | b"s"
            | b"samp"
            | b"small"
            | b"span"
            | b"strong"
            | b"sub"
            | b"sup"
            | b"time"
            | b"u"
            | b"var"
            | b"wbr"
    )
}

/// The text of sanitised HTML: tags dropped (a tag other than an inline one ends a word),
/// character references decoded.
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    // Where the next `<` and `&` are at or after `at` (`len` if none): each found once.
    let find = |c: char, at: usize| html[at..].find(c).map_or(html.len(), |i| at + i);
    let (mut at, mut lt, mut amp) = (0, find('<', 0), find('&', 0));
    loop {
        if lt < at {
            lt = find('<', at);
        }
        if amp < at {
            amp = find('&', at);
        }
        let i = lt.min(amp);
        if i == html.len() {
            break;
        }
        out.push_str(&html[at..i]);
        let rest = &html[i..];
        if i == lt {
            match rest.find('>') {
                Some(end) => {
                    if !is_inline(&rest[1..end]) {
                        out.push(' ');
                    }
                    at = i + end + 1;
                }
                None => at = html.len(),
            }
            continue;
        }
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
                at = i + end + usize::from(rest[end..].starts_with(';'));
            }
            None => {
                out.push('&');
                at = i + 1;
            }
        }
    }
    out.push_str(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn split_all(text: &str) -> Vec<&str> {
        let mut v = Vec::new();
        split(text, |w| v.push(w));
        v
    }

    /// Characters of every class the ASCII rules know, and non-ASCII ones that join or
    /// break around them: combining mark, zero-width joiner, soft hyphen (Format), Hebrew
    /// letter, katakana, regional indicator, pictograph, other spaces and line breaks,
    /// other punctuation of the mid classes, other digits.
    const ALPHABET: &[char] = &[
        'a',
        'Z',
        'q',
        '0',
        '7',
        '_',
        ':',
        '.',
        '\'',
        ',',
        ';',
        '"',
        '-',
        '#',
        ' ',
        '\t',
        '\n',
        '\r',
        '\x0b',
        '\x0c',
        'é',
        '\u{301}',
        '\u{200d}',
        '\u{ad}',
        'д',
        '\u{5d0}',
        '\u{30a2}',
        '\u{1f1e6}',
        '\u{1f600}',
        '\u{3000}',
        '\u{a0}',
        '\u{85}',
        '\u{2028}',
        '\u{2019}',
        '\u{ff0e}',
        '\u{b7}',
        '\u{663}',
        '\u{ff10}',
        '\u{e9}',
        '\u{2060}',
        '\u{113c5}',
        '\u{903}',
        ' ',
        ' ',
    ];

    /// Every string of up to four characters of the ASCII classes, and some more.
    #[test]
    fn split_is_unicode_words_on_every_short_ascii_text() {
        let chars = [
            'a', 'B', '1', '_', ':', '.', '\'', ',', ';', '"', '-', ' ', '\t', '\n', '\r',
        ];
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| chars.iter().map(move |c| format!("{t}{c}")))
                .collect();
            for t in &longer {
                let want: Vec<&str> = t.unicode_words().collect();
                assert_eq!(split_all(t), want, "{t:?}");
            }
            texts = longer;
        }
    }

    #[test]
    fn a_mark_after_spaces_makes_a_word_with_them() {
        for t in [
            "a  \u{113c5}",
            "a\u{3000} \u{903}b",
            "x\t\u{301}y",
            "1 \u{200d}\u{1f600}",
        ] {
            let want: Vec<&str> = t.unicode_words().collect();
            assert_eq!(split_all(t), want, "{t:?}");
        }
        assert_eq!(split_all("a  \u{113c5}"), ["a", "  \u{113c5}"]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// Random text of ASCII and the non-ASCII characters that matter near it.
        #[test]
        fn split_is_unicode_words(
            picks in proptest::collection::vec(0..ALPHABET.len(), 0..40)
        ) {
            let text: String = picks.iter().map(|&i| ALPHABET[i]).collect();
            let want: Vec<&str> = text.unicode_words().collect();
            prop_assert_eq!(split_all(&text), want, "{:?}", text);
        }

        /// Random ASCII: what bodies mostly are.
        #[test]
        fn split_is_unicode_words_on_ascii(text in "[ -~\t\n\r]{0,60}") {
            let want: Vec<&str> = text.unicode_words().collect();
            prop_assert_eq!(split_all(&text), want, "{:?}", text);
        }

        /// Any text at all.
        #[test]
        fn split_is_unicode_words_on_any_text(text in "\\PC{0,40}") {
            let want: Vec<&str> = text.unicode_words().collect();
            prop_assert_eq!(split_all(&text), want, "{:?}", text);
        }
    }

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

    /// `html_text` as it was first written: the reference for the faster one.
    fn html_text_reference(html: &str) -> String {
        let mut out = String::new();
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

    proptest! {
        #[test]
        fn html_text_is_the_reference(
            html in "(<|>|&|;|#|x|X|4|1|3|a|m|p|lt|amp|nbsp|<em>|</span>|<p>|<br/>|<a href=x>| |é|д){0,50}"
        ) {
            prop_assert_eq!(html_text(&html), html_text_reference(&html));
        }
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
    fn inline_elements_are_known_by_name_in_any_case() {
        for t in [
            "a href=\"/x/\"",
            "/a",
            "ABBR",
            "b",
            "bdi",
            "bdo",
            "cite",
            "code",
            "data",
            "del",
            "dfn",
            "em",
            "i",
            "ins",
            "kbd",
            "mark",
            "q",
            "s",
            "samp",
            "small",
            "span class=x",
            "Strong",
            "sub",
            "sup",
            "time",
            "u",
            "var",
            "wbr/",
            "wbr /",
        ] {
            assert!(is_inline(t), "{t}");
        }
        for t in [
            "p",
            "/p",
            "br",
            "li",
            "section",
            "strongest",
            "spans",
            "",
            "/",
            "é",
        ] {
            assert!(!is_inline(t), "{t}");
        }
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
