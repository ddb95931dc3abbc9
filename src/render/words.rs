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

pub use super::html_text::html_text;

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
    split_cased(text, |w, _| f(w));
}

/// [`split`], telling of each word whether it is ASCII with a capital (`Some(true)`),
/// ASCII without (`Some(false)`), or not ASCII (`None`), so a caller folds only what needs it.
pub(super) fn split_cased<'t>(text: &'t str, mut f: impl FnMut(&'t str, Option<bool>)) {
    if text.is_ascii() {
        return ascii_words(text, &mut f);
    }
    let b = text.as_bytes();
    // The part not yet split; whether it is ASCII; the last cut in it.
    let (mut start, mut ascii, mut cut) = (0, true, 0);
    for i in 0..b.len() {
        if i > 0 && is_space(b[i - 1]) && b[i].is_ascii() && !is_space(b[i]) {
            if !ascii {
                text[start..i].unicode_words().for_each(|w| f(w, None));
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
        text[start..].unicode_words().for_each(|w| f(w, None));
    }
}

/// The ASCII whitespace [`split`] cuts after.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c')
}

/// The word-break classes of the ASCII characters a word may hold (UAX #29).
#[derive(Clone, Copy, PartialEq, Eq)]
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

/// [`FLAGS`]: a byte a word runs through (letter, digit, `_`).
const IN_WORD: u8 = 1;
/// [`FLAGS`]: a capital letter.
const CAPITAL: u8 = 2;
/// [`FLAGS`]: a letter or digit, which makes a segment a word.
const ALNUM: u8 = 4;

/// Flags by ASCII byte, or-ed over a word as it is scanned.
const FLAGS: [u8; 128] = {
    let mut t = [0; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            b'A'..=b'Z' => IN_WORD | CAPITAL | ALNUM,
            b'a'..=b'z' | b'0'..=b'9' => IN_WORD | ALNUM,
            b'_' => IN_WORD,
            _ => 0,
        };
        b += 1;
    }
    t
};

/// The flags of an ASCII byte.
fn flags(b: u8) -> u8 {
    FLAGS[usize::from(b & 0x7f)]
}

/// The words of ASCII text (`s` must be ASCII), each with whether it holds a capital:
/// letters, digits and `_` run together (WB5, 8-10, 13a-b); a letter, `:`, `.` or `'`,
/// and a letter (WB6-7), or a digit, `,`, `;`, `.` or `'`, and a digit (WB11-12), too; all
/// else breaks. A segment is a word if it holds a letter or digit.
fn ascii_words<'t>(s: &'t str, f: &mut impl FnMut(&'t str, Option<bool>)) {
    use Class::*;
    let b = s.as_bytes();
    let n = b.len();
    let mut i = 0;
    while i < n {
        let mut seen = flags(b[i]);
        if seen & IN_WORD == 0 {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        loop {
            while i < n {
                let fl = flags(b[i]);
                if fl & IN_WORD == 0 {
                    break;
                }
                seen |= fl;
                i += 1;
            }
            if i + 1 < n
                && matches!(
                    (class(b[i - 1]), class(b[i]), class(b[i + 1])),
                    (Letter, MidLetter | MidNumLet, Letter) | (Digit, MidNum | MidNumLet, Digit)
                )
            {
                seen |= flags(b[i + 1]);
                i += 2;
                continue;
            }
            break;
        }
        if seen & ALNUM != 0 {
            f(&s[start..i], Some(seen & CAPITAL != 0));
        }
    }
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
}
