//! Keeps the access key secret out of everything a caller sees. Only text from outside is
//! scanned (Tencent's answers, input the validator quotes back), never the connector's own
//! sentences. A secret of [`MIN_FRAGMENT_CHARS`] or more characters is masked whole and in any
//! run of that many consecutive characters (a cut start or end, or one half of a secret split
//! across two fields). A shorter one (a placeholder such as `e`) is masked only where it stands
//! as a whole word: masking its every occurrence inside words would garble the text and spell
//! the secret out by where the masks fall.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::text::find_text;

/// Shorter runs are too likely to be ordinary text; a real SecretKey has 32 characters.
pub const MIN_FRAGMENT_CHARS: usize = 8;
/// What stands where the secret was, in text and in `Debug` output.
pub const MASK: &str = "[redacted]";
/// Marks input quoted inside the connector's own sentences (see [`quote`]); private-use code
/// points, removed from the quoted text itself so input cannot end a quote early. Searched as
/// bytes with `find_text`: `str` pattern search of a non-ASCII char costs kilobytes of wasm.
const QUOTE_START: &str = "\u{E000}";
const QUOTE_END: &str = "\u{E001}";

/// `text` with every piece of `secret` masked; `None` when there was nothing to mask.
pub fn redacted(text: &str, secret: &str) -> Option<String> {
    let secret: Vec<char> = crate::text::chars(secret);
    if secret.is_empty() || text.is_empty() {
        return None;
    }
    let short = secret.len() < MIN_FRAGMENT_CHARS;
    let text: Vec<char> = crate::text::chars(text);
    let mut out = String::new();
    let mut found = false;
    let mut at = 0;
    while let Some(&character) = text.get(at) {
        let run = if short {
            whole_word_at(&text, at, &secret)
        } else {
            longest_run(text.get(at..).unwrap_or_default(), &secret)
        };
        if run >= secret.len().min(MIN_FRAGMENT_CHARS) {
            out.push_str(MASK);
            found = true;
            at += run;
        } else {
            out.push(character);
            at += 1;
        }
    }
    found.then_some(out)
}

/// The secret's length when it starts at `at` and is not part of a longer word, else 0.
fn whole_word_at(text: &[char], at: usize, secret: &[char]) -> usize {
    let end = at + secret.len();
    let in_word = |index: Option<usize>| {
        index
            .and_then(|index| text.get(index))
            // ASCII only: Unicode's alphanumeric tables cost 2 KB of wasm gzipped.
            .is_some_and(|character| character.is_ascii_alphanumeric())
    };
    if text.get(at..end) == Some(secret) && !in_word(at.checked_sub(1)) && !in_word(Some(end)) {
        secret.len()
    } else {
        0
    }
}

/// `value` cut to `max` characters and marked as quoted input: [`unquote`] later masks the
/// secret in it, and only in it.
pub fn quote(value: &str, max: usize) -> String {
    let mut out = String::with_capacity(value.len().min(max * 4) + 6);
    out.push_str(QUOTE_START);
    for character in crate::text::truncate(value, max).chars() {
        out.push(match character {
            '\u{E000}' | '\u{E001}' => '\u{FFFD}',
            other => other,
        });
    }
    out.push_str(QUOTE_END);
    out
}

/// Removes the quote marks from `text`; a quote holding the secret (as [`redacted`] finds it)
/// is replaced whole by [`MASK`], so nothing of it shows and the text stays bounded.
pub fn unquote(text: &mut String, secret: Option<&str>) {
    unquote_secrets(text, secret.as_slice());
}

/// [`unquote`] for several secrets (both routes' with a fallback): a quote holding any is masked.
pub fn unquote_secrets(text: &mut String, secrets: &[&str]) {
    if find_text(text, QUOTE_START).is_none() {
        return;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(start) = find_text(rest, QUOTE_START) {
        out.push_str(rest.get(..start).unwrap_or_default());
        let after = rest.get(start + QUOTE_START.len()..).unwrap_or_default();
        let end = find_text(after, QUOTE_END).unwrap_or(after.len());
        let quoted = after.get(..end).unwrap_or_default();
        if secrets
            .iter()
            .any(|secret| redacted(quoted, secret).is_some())
        {
            out.push_str(MASK);
        } else {
            out.push_str(quoted);
        }
        rest = after.get(end + QUOTE_END.len()..).unwrap_or_default();
    }
    out.push_str(rest);
    *text = out;
}

/// Masks `text` in place (see [`redacted`]).
pub fn redact(text: &mut String, secret: &str) {
    if let Some(clean) = redacted(text, secret) {
        *text = clean;
    }
}

/// The longest prefix of `text` that occurs anywhere in `secret`.
fn longest_run(text: &[char], secret: &[char]) -> usize {
    let Some(first) = text.first() else {
        return 0;
    };
    let mut longest = 0;
    for (start, candidate) in secret.iter().enumerate() {
        if candidate != first {
            continue;
        }
        let rest = secret.get(start..).unwrap_or_default();
        let run = text
            .iter()
            .zip(rest)
            .take_while(|(left, right)| left == right)
            .count();
        longest = longest.max(run);
    }
    longest
}

/// JSON string escapes (`\uXXXX`, `\"`, `\n`, …) decoded, so an answer cannot hide the secret
/// from redaction by escaping one of its characters. Anything malformed is kept as it is.
pub fn unescape_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.push_str(rest.get(..at).unwrap_or_default());
        let escape = rest.get(at..).unwrap_or_default();
        let (decoded, used) = decode_escape(escape);
        match decoded {
            Some(character) => out.push(character),
            None => out.push_str(escape.get(..used).unwrap_or_default()),
        }
        rest = escape.get(used..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// The character `escape` (starting with `\`) stands for, and how many bytes it took.
fn decode_escape(escape: &str) -> (Option<char>, usize) {
    let simple = match escape.as_bytes().get(1) {
        Some(b'"') => '"',
        Some(b'\\') => '\\',
        Some(b'/') => '/',
        Some(b'b') => '\u{8}',
        Some(b'f') => '\u{c}',
        Some(b'n') => '\n',
        Some(b'r') => '\r',
        Some(b't') => '\t',
        Some(b'u') => return decode_unicode(escape),
        Some(_) | None => return (None, 1),
    };
    (Some(simple), 2)
}

fn decode_unicode(escape: &str) -> (Option<char>, usize) {
    let unit = |offset: usize| escape.get(offset..offset + 4).and_then(hex_unit);
    let Some(high) = unit(2) else {
        return (None, 1);
    };
    if (0xD800..0xDC00).contains(&high) && escape.get(6..8) == Some("\\u") {
        if let Some(low @ 0xDC00..=0xDFFF) = unit(8) {
            let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
            return (char::from_u32(code), 12);
        }
    }
    (Some(char::from_u32(high).unwrap_or('\u{FFFD}')), 6)
}

/// What `u32::from_str_radix(hex, 16)` reads from four bytes (a `+` first included), without
/// its generic parser (338 B of wasm).
fn hex_unit(hex: &str) -> Option<u32> {
    let digits = hex.strip_prefix('+').unwrap_or(hex);
    if digits.is_empty() {
        return None;
    }
    digits.bytes().try_fold(0, |unit, byte| {
        Some(unit * 16 + char::from(byte).to_digit(16)?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";

    #[test]
    fn the_whole_secret_and_every_long_run_of_it_are_masked() {
        let cases = [
            (format!("key {SECRET} end"), "key [redacted] end"),
            (format!("cut {}", &SECRET[1..]), "cut [redacted]"),
            (format!("{} cut", &SECRET[..31]), "[redacted] cut"),
            (
                format!("half {} half", &SECRET[8..24]),
                "half [redacted] half",
            ),
            (format!("eight {}", &SECRET[3..11]), "eight [redacted]"),
        ];
        for (text, expected) in cases {
            assert_eq!(redacted(&text, SECRET).as_deref(), Some(expected), "{text}");
        }
    }

    #[test]
    fn runs_shorter_than_eight_and_unrelated_text_are_kept() {
        assert_eq!(redacted(&format!("x {}", &SECRET[..7]), SECRET), None);
        assert_eq!(redacted("InvalidParameter: bad value", SECRET), None);
    }

    #[test]
    fn a_short_secret_is_masked_only_as_a_whole_word() {
        assert_eq!(
            redacted("a abc b", "abc").as_deref(),
            Some("a [redacted] b")
        );
        assert_eq!(redacted("ab", "abc"), None);
        assert_eq!(redacted("abcd xabc", "abc"), None);
        assert_eq!(redacted("accessKeySecret is shorter", "e"), None);
        assert_eq!(
            redacted("the (the)", "the").as_deref(),
            Some("[redacted] ([redacted])")
        );
    }

    #[test]
    fn only_quoted_input_is_masked_and_a_quote_holding_the_secret_goes_whole() {
        let mut text = format!(
            "region {} is short; e {}",
            quote("e", 40),
            quote("ap-e", 40)
        );
        unquote(&mut text, Some("e"));
        assert_eq!(text, "region [redacted] is short; e [redacted]");
        let mut text = format!("key {} here", quote(&format!("x{}y", &SECRET[4..20]), 40));
        unquote(&mut text, Some(SECRET));
        assert_eq!(text, "key [redacted] here");
        let mut text = format!("key {} here", quote("ap-beijing\u{E001} e", 40));
        unquote(&mut text, None);
        assert_eq!(text, "key ap-beijing\u{FFFD} e here");
    }

    #[test]
    fn escapes_are_decoded_so_an_escaped_secret_is_found() {
        let escaped = format!("\\u0047{}", &SECRET[1..]);
        let decoded = unescape_json(&escaped);
        assert_eq!(decoded, SECRET);
        assert_eq!(
            unescape_json("a\\n\\\"b\\\\ \\ud83d\\ude00 \\x \\u12"),
            "a\n\"b\\ 😀 \\x \\u12"
        );
        assert_eq!(unescape_json("\\ud800 lone"), "\u{FFFD} lone");
    }

    #[test]
    fn hex_unit_reads_what_from_str_radix_reads() {
        for hex in [
            "00e9", "D83D", "+abc", "-abc", "++ab", "0x1f", "12 4", "g000", "+", "",
        ] {
            assert_eq!(hex_unit(hex), u32::from_str_radix(hex, 16).ok(), "{hex}");
        }
    }
}
