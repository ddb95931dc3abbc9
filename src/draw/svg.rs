//! Small pieces of SVG text: escaping and numbers with a fixed format.

/// `s` escaped for XML text and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Append `v` with one decimal, without a trailing `.0` and never as `-0`.
pub(crate) fn push_num(out: &mut String, v: f64) {
    let tenths = (v * 10.0).round() as i64;
    if tenths < 0 {
        out.push('-');
    }
    let a = tenths.unsigned_abs();
    // Digits by hand: maps write tens of thousands of numbers, and `write!` costs a
    // formatter per call.
    let mut digits = [0u8; 20];
    let (mut i, mut n) = (digits.len(), a / 10);
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[i..].iter().map(|&d| char::from(d)));
    if !a.is_multiple_of(10) {
        out.push('.');
        out.push(char::from(b'0' + (a % 10) as u8));
    }
}

/// `v` with one decimal, as [`push_num`] writes it.
pub(crate) fn num(v: f64) -> String {
    let mut s = String::new();
    push_num(&mut s, v);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_one_decimal_and_no_negative_zero() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.25), "1.3");
        assert_eq!(num(-0.01), "0");
        assert_eq!(num(-3.44), "-3.4");
        assert_eq!(num(0.0), "0");
        assert_eq!(num(1234.5), "1234.5");
        assert_eq!(num(-1000.0), "-1000");
        assert_eq!(num(90.04), "90");
        assert_eq!(num(4_000_000_000.7), "4000000000.7");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            esc(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
