//! Small text helpers shared by the modules that echo untrusted values in messages.

#[allow(unused_imports)]
use crate::prelude::*;

/// At most `max` characters, for echoing untrusted values in messages.
pub fn truncate(value: &str, max: usize) -> String {
    match value.char_indices().nth(max) {
        Some((end, _)) => concat(&[value.get(..end).unwrap_or_default(), "…"]),
        None => value.to_owned(),
    }
}

/// Where `needle` first occurs in `haystack`. A byte scan instead of `str::find`, whose
/// substring searcher costs kilobytes of wasm for needles this short.
pub fn find_text(haystack: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|window| window == needle.as_bytes())
}

/// `parts` one after another. A plain loop: std's `concat`/`join` monomorphise a generic copy
/// routine that costs about 1 KB of wasm.
pub fn concat(parts: &[&str]) -> String {
    join(parts, "")
}

/// `parts` with `separator` between them (see `concat`).
pub fn join(parts: &[&str], separator: &str) -> String {
    let mut out = String::new();
    for (index, part) in parts.iter().enumerate() {
        if index > 0 {
            out.push_str(separator);
        }
        out.push_str(part);
    }
    out
}

/// `text`'s characters. A loop, not `chars().collect()`, whose generic body costs wasm.
pub fn chars(text: &str) -> Vec<char> {
    let mut out = Vec::new();
    for character in text.chars() {
        out.push(character);
    }
    out
}

/// Whether every byte of `text` is an ASCII digit (true for ""). One outlined body for every
/// caller instead of one `all` per call site.
#[inline(never)]
pub fn is_digits(text: &str) -> bool {
    text.bytes().all(|byte| byte.is_ascii_digit())
}

/// How many characters `text` has: its bytes but UTF-8 continuation bytes. core's
/// `chars().count()` is an unrolled word-at-a-time routine of about 1 KB of wasm.
pub fn char_count(text: &str) -> usize {
    let mut count = 0;
    for byte in text.bytes() {
        count += usize::from(byte & 0xC0 != 0x80);
    }
    count
}

/// Decimal digits as a number; no sign, no float, `None` past `u64`. (`str::parse` costs more
/// wasm, once per integer type.)
pub fn whole_number(text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    text.bytes().try_fold(0_u64, |number, byte| {
        let digit = byte.checked_sub(b'0').filter(|digit| *digit < 10)?;
        number.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

/// `value` in decimal, without core::fmt.
pub fn decimal(mut value: u64) -> String {
    let mut digits = [0_u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        if let Some(digit) = digits.get_mut(start) {
            *digit = b'0' + (value % 10) as u8;
        }
        value /= 10;
        if value == 0 || start == 0 {
            break;
        }
    }
    // Pushed as chars, not `String::from_utf8`: no UTF-8 check to run on ASCII digits.
    let mut text = String::new();
    for digit in digits.get(start..).unwrap_or_default() {
        text.push(char::from(*digit));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_writes_every_u64() {
        for value in [0, 7, 10, 1_551_113_065, u64::MAX] {
            assert_eq!(decimal(value), value.to_string());
        }
    }

    #[test]
    fn whole_number_reads_digits_only_as_str_parse_does() {
        for text in [
            "0",
            "007",
            "65535",
            "18446744073709551615",
            "18446744073709551616",
            "",
            "+1",
            "-1",
            "1.0",
            " 1",
            "1a",
        ] {
            assert_eq!(
                whole_number(text),
                text.parse::<u64>().ok().filter(|_| !text.starts_with('+')),
                "{text}"
            );
        }
    }

    #[test]
    fn join_and_concat_match_std() {
        for parts in [&[][..], &["a"][..], &["a", "", "bc"][..]] {
            assert_eq!(join(parts, ", "), parts.join(", "));
            assert_eq!(concat(parts), parts.concat());
        }
    }

    #[test]
    fn truncate_counts_characters_not_bytes() {
        assert_eq!(truncate("短信签名测试", 2), "短信…");
        assert_eq!(truncate("abc", 3), "abc");
    }
}
