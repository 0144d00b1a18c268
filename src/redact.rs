//! Keeps the access key secret out of everything a caller sees: the whole secret, whatever its
//! length, and any run of [`MIN_FRAGMENT_CHARS`] or more of its consecutive characters (a cut
//! start or end, or one half of a secret split across two fields).

/// Shorter runs are too likely to be ordinary text; a real SecretKey has 32 characters.
pub const MIN_FRAGMENT_CHARS: usize = 8;
/// What stands where the secret was, in text and in `Debug` output.
pub const MASK: &str = "[redacted]";

/// `text` with every piece of `secret` masked; `None` when there was nothing to mask.
pub fn redacted(text: &str, secret: &str) -> Option<String> {
    let secret: Vec<char> = secret.chars().collect();
    if secret.is_empty() || text.is_empty() {
        return None;
    }
    let shortest = secret.len().min(MIN_FRAGMENT_CHARS);
    let text: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut found = false;
    let mut at = 0;
    while let Some(&character) = text.get(at) {
        let run = longest_run(text.get(at..).unwrap_or_default(), &secret);
        if run >= shortest {
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
    let unit = |offset: usize| {
        escape
            .get(offset..offset + 4)
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
    };
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
    fn a_short_secret_is_masked_whole_whatever_its_length() {
        assert_eq!(
            redacted("a abc b", "abc").as_deref(),
            Some("a [redacted] b")
        );
        assert_eq!(redacted("ab", "abc"), None);
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
}
