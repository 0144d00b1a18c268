//! Arbitrary answers from Tencent (or from a proxy in front of it): a status, a body and the
//! truncation flag. Failures must be explained, bounded, and redactable.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use tencent_sms_connector::error::{Delivery, ErrorCode};
use tencent_sms_connector::response::EXCERPT_CHARS as MAX_EXCERPT_CHARS;
use tencent_sms_connector::{redact, response};

/// Also in the dictionary, so the fuzzer can place it in any field of the answer.
const SECRET: &str = "FuzzSecretKey0123456789";
/// Shorter runs of the body are not tried as secrets: they would match ordinary text.
const MIN_SECRET_CHARS: usize = redact::MIN_FRAGMENT_CHARS;
const MAX_CANDIDATES: usize = 6;
/// A real SecretKey has 32 characters; longer runs only make each redaction check quadratic.
const MAX_SECRET_CHARS: usize = 64;

fuzz_target!(|data: &[u8]| {
    let (flags, rest) = data
        .split_first()
        .map_or((0, data), |(flags, rest)| (*flags, rest));
    let truncated = flags & 1 == 1;
    // Mostly 200: only that status reaches the JSON handling.
    let (status, body) = match rest.split_first_chunk::<2>() {
        Some((status, body)) if flags & 2 == 2 => (u16::from_le_bytes(*status), body),
        _ => (200, rest),
    };
    match response::parse(status, body, truncated, SECRET) {
        Ok(result) => {
            assert!(status == 200 && !truncated);
            let answer: Value = serde_json::from_slice(body).expect("a success is JSON");
            let code = answer["Response"]["SendStatusSet"][0]["Code"].as_str();
            assert!(
                code.is_some_and(|code| code.eq_ignore_ascii_case("ok")),
                "{code:?}"
            );
            assert!(result.request_id.chars().count() <= 129);
            assert_no_secret_fragment(&serde_json::to_value(&result).unwrap());
        }
        Err(failure) => {
            let error = &failure.error;
            assert_no_secret_fragment(&serde_json::to_value(error).unwrap()["data"]);
            assert!(!error.message().is_empty());
            if status != 200 || truncated {
                assert_eq!(error.code, ErrorCode::InvalidResponse);
            }
            if error.code == ErrorCode::InvalidResponse {
                assert_eq!(error.data.status, Some(status));
                assert_eq!(error.data.delivery, Some(Delivery::Unknown));
                assert_eq!(failure.retryable, None);
                let excerpt = error.data.body_excerpt.as_deref().expect("an excerpt");
                assert!(excerpt.chars().count() <= MAX_EXCERPT_CHARS);
                assert!(!excerpt.chars().any(char::is_control), "{excerpt:?}");
            }
            // A misbehaving server may echo the secret anywhere: try its own words as secrets.
            // Parsing redacts what came from the answer, never the connector's own words (a
            // candidate such as "RequestId" is also in its sentences). So the check parses again
            // with each candidate as the secret, and allows it only where it also shows for the
            // answer with the candidate overwritten: as the connector's fixed text.
            for secret in secret_candidates(body) {
                let Err(again) = response::parse(status, body, truncated, &secret) else {
                    panic!("the same answer parsed differently");
                };
                let redacted = serde_json::to_value(&again.error).unwrap();
                let overwritten = overwrite(body, secret.as_bytes());
                let fixed = match response::parse(status, &overwritten, truncated, &secret) {
                    Ok(result) => serde_json::to_string(&result).unwrap(),
                    Err(failure) => serde_json::to_string(&failure.error).unwrap(),
                };
                let mut texts = Vec::new();
                collect_texts(&redacted["data"], &mut texts);
                for text in texts {
                    assert!(
                        !text.contains(&secret) || fixed.contains(&secret),
                        "{secret:?} survived redaction: {redacted}"
                    );
                }
            }
        }
    }
});

/// Parsing itself redacts the secret it is given: no run of 8 of its characters may be shown,
/// whatever the answer did to it (escaped, cut, split across fields).
fn assert_no_secret_fragment(shown: &Value) {
    let mut texts = Vec::new();
    collect_texts(shown, &mut texts);
    for text in &texts {
        for start in 0..=SECRET.len() - redact::MIN_FRAGMENT_CHARS {
            let fragment = &SECRET[start..start + redact::MIN_FRAGMENT_CHARS];
            assert!(!text.contains(fragment), "{fragment:?} shown in {text:?}");
        }
    }
}

/// `SECRET` and the first runs of key-like characters in the body (which cannot combine with the
/// brackets of "[redacted]" into a new occurrence).
fn secret_candidates(body: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(body);
    let runs = text
        .split(|character: char| !(character.is_ascii_alphanumeric() || "+-.:".contains(character)))
        .filter(|run| {
            (MIN_SECRET_CHARS..=MAX_SECRET_CHARS).contains(&run.len()) && *run != "redacted"
        })
        .map(str::to_owned);
    std::iter::once(SECRET.to_owned())
        .chain(runs)
        .take(MAX_CANDIDATES)
        .collect()
}

/// Every text an error carries, except its fixed codes (`delivery` is an enum word).
/// `body` with every occurrence of `word` replaced by as many `x`, except where it ends a JSON
/// object key (`…word":`): keys shape the answer, and the connector names some of them itself.
fn overwrite(body: &[u8], word: &[u8]) -> Vec<u8> {
    let mut out = body.to_vec();
    let mut at = 0;
    while at + word.len() <= out.len() {
        let after = out.get(at + word.len()..).unwrap_or_default();
        let is_key = after.first() == Some(&b'"')
            && after
                .iter()
                .skip(1)
                .find(|byte| !byte.is_ascii_whitespace())
                == Some(&b':');
        if out.get(at..at + word.len()) == Some(word) && !is_key {
            out[at..at + word.len()].fill(b'x');
            at += word.len();
        } else {
            at += 1;
        }
    }
    out
}

fn collect_texts(value: &Value, texts: &mut Vec<String>) {
    match value {
        Value::String(text) => texts.push(text.clone()),
        Value::Array(items) => items.iter().for_each(|item| collect_texts(item, texts)),
        Value::Object(fields) => fields
            .iter()
            .filter(|(key, _)| *key != "delivery")
            .for_each(|(_, field)| collect_texts(field, texts)),
        _ => {}
    }
}
