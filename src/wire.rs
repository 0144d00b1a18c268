//! The one encoding of what crosses between JavaScript and the wasm (its twin is
//! `pkg-template/lib/wire.js`; a round-trip test on each side keeps them together).
//!
//! Every reply is text in lines. The first line is a tag that says what follows, `error` for a
//! failure and one of the success tags below otherwise; each later line is one field. No field
//! holds a line break: JSON is written compact (serde_json escapes every line break), URLs and
//! header values are validated, so lines need no escaping and the request body, itself JSON,
//! crosses as it is, never escaped a second time.
//!
//! | tag          | fields after the tag                                   |
//! |--------------|--------------------------------------------------------|
//! | `error`      | the `ConnectorError` as JSON, then the send's event    |
//! | `validation` | the `Validation` as JSON                               |
//! | `limits`     | the limits as JSON                                     |
//! | `headers`    | `name`, `value` line pairs                             |
//! | `begun`      | send id, timeout in ms, then as `request`              |
//! | `request`    | URL, body, then `name`, `value` line pairs             |
//! | `retry`      | the delay in whole milliseconds                        |
//! | `fallback`   | timeout in ms, then as `request` (the fallback's)      |
//! | `result`     | the `SendResult` as JSON, then the send's event        |
//! | `count`      | send id, timeout in ms, a note (an empty line for none), |
//! |              | then `key`, `max`, `window ms` lines per counter       |
//!
//! The event (`send_event::SendEvent` as JSON) ends a send's last reply; it is left out where
//! there is none (no send, `sendLog` off).
//! `count` comes instead of `begun` when `sendLimits` applies to a send: the host counts the
//! keys (in its Redis, see `lib/redis.js`) and passes the counts, one per line, or nothing, to
//! `sendCounted`, which answers `begun` or `error`.
//! The one structured input, `signRequest`'s fields, uses the same lines: `name`, `value` pairs
//! (see [`sign_fields`]); the payload crosses beside it as text or bytes.

#[allow(unused_imports)]
use crate::prelude::*;

use serde_json::{Map, Value};

use crate::error::ConnectorError;
use crate::json::WriteJson;
use crate::send_limits::Counter;
use crate::send_sms::SmsRequest;
use crate::text::decimal;

/// What one input may weigh: a connector config or message is a few kilobytes.
pub const MAX_INPUT_BYTES: usize = 1 << 20;
/// A signed payload may be larger (signRequest signs any API call).
pub const MAX_PAYLOAD_BYTES: usize = 8 << 20;
pub const MAX_SIGNED_HEADERS: usize = 16;
/// The JS layer cuts deeper values to null: the validator never reads them, and serde_json's
/// recursion limit stays out of reach.
pub const MAX_DEPTH: usize = 32;

/// The reply of `limits()`, every limit the JS layer needs, so JS restates none. Written out, so
/// the wasm carries no serializer for it; `the_limits_reply_states_each_constant` checks it.
pub const LIMITS_REPLY: &str = "limits\n{\"maxInputBytes\":1048576,\"maxPayloadBytes\":8388608,\"maxBodyBytes\":1048576,\"maxSignedHeaders\":16,\"maxDepth\":32,\"maxAttempts\":4,\"maxRequests\":8}\n";

pub const ERROR: &str = "error";
pub const VALIDATION: &str = "validation";
pub const LIMITS: &str = "limits";
pub const HEADERS: &str = "headers";
pub const BEGUN: &str = "begun";
pub const REQUEST: &str = "request";
pub const RETRY: &str = "retry";
pub const RESULT: &str = "result";
pub const COUNT: &str = "count";
pub const FALLBACK: &str = "fallback";
/// Requests one send may make: each route's attempts.
pub const MAX_REQUESTS: u8 = 2 * crate::retry::MAX_ATTEMPTS;

fn push_line(lines: &mut String, line: &str) {
    lines.push_str(line);
    lines.push('\n');
}

fn tagged(tag: &str, capacity: usize) -> String {
    let mut lines = String::with_capacity(capacity);
    push_line(&mut lines, tag);
    lines
}

/// `tag`, then `value` as one line of compact JSON.
pub fn json(tag: &str, value: &dyn WriteJson) -> String {
    let mut lines = tagged(tag, 256);
    value.write_json(&mut lines);
    lines.push('\n');
    lines
}

pub fn error(error: &ConnectorError) -> String {
    json(ERROR, error)
}

/// The headers to send, `Authorization` among them.
pub fn headers(headers: &[(&'static str, String)]) -> String {
    let mut lines = tagged(HEADERS, 512);
    push_headers(&mut lines, headers);
    lines
}

/// A request to send: with `begun` (send id, timeout) for the first, without for a retry.
pub fn request(request: &SmsRequest, begun: Option<(u32, u32)>) -> String {
    let mut lines = tagged(if begun.is_some() { BEGUN } else { REQUEST }, 1_024);
    if let Some((send, timeout_ms)) = begun {
        push_line(&mut lines, &decimal(u64::from(send)));
        push_line(&mut lines, &decimal(u64::from(timeout_ms)));
    }
    push_line(&mut lines, &request.url);
    push_line(&mut lines, &request.body);
    push_headers(&mut lines, &request.headers);
    lines
}

/// A send whose counters the host must count before its first request may go.
pub fn count(send: u32, timeout_ms: u32, note: Option<&str>, counters: &[Counter]) -> String {
    let mut lines = tagged(COUNT, 256);
    push_line(&mut lines, &decimal(u64::from(send)));
    push_line(&mut lines, &decimal(u64::from(timeout_ms)));
    push_line(&mut lines, note.unwrap_or_default());
    for counter in counters {
        push_line(&mut lines, &counter.key);
        push_line(&mut lines, &decimal(u64::from(counter.check.max)));
        push_line(&mut lines, &decimal(counter.check.window_ms));
    }
    lines
}

/// The counts `sendCounted` takes, one decimal per line, exactly `expected` of them.
pub fn counts(text: &str, expected: usize) -> Option<Vec<u64>> {
    // Plain loops: `str::parse` and collecting into an `Option` cost more wasm.
    let mut counts = Vec::with_capacity(expected);
    for line in text.split('\n').filter(|line| !line.is_empty()) {
        let mut count = 0_u64;
        for byte in line.bytes() {
            let digit = byte.checked_sub(b'0').filter(|digit| *digit < 10)?;
            count = count.checked_mul(10)?.checked_add(u64::from(digit))?;
        }
        counts.push(count);
    }
    (counts.len() == expected).then_some(counts)
}

/// The fallback's first request, with its route's timeout.
pub fn fallback(request: &SmsRequest, timeout_ms: u32) -> String {
    let mut lines = tagged(FALLBACK, 1_024);
    push_line(&mut lines, &decimal(u64::from(timeout_ms)));
    push_line(&mut lines, &request.url);
    push_line(&mut lines, &request.body);
    push_headers(&mut lines, &request.headers);
    lines
}

/// Whole milliseconds: no float formatting in the wasm.
pub fn retry(delay_ms: u64) -> String {
    let mut lines = tagged(RETRY, 24);
    push_line(&mut lines, &decimal(delay_ms));
    lines
}

fn push_headers(lines: &mut String, headers: &[(&'static str, String)]) {
    for (name, value) in headers {
        push_line(lines, name);
        push_line(lines, value);
    }
}

/// The names of `signRequest`'s fields, in the order of [`SignFields`]'s slots.
pub const SIGN_FIELDS: [&str; 12] = [
    "secretId",
    "secretKey",
    "service",
    "host",
    "action",
    "version",
    "region",
    "timestamp",
    "contentType",
    "token",
    "language",
    // `;`-separated header names.
    "signedHeaders",
];

/// `signRequest`'s fields, read from `name`, `value` line pairs; every name at most once.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SignFields<'a>([Option<&'a str>; SIGN_FIELDS.len()]);

impl<'a> SignFields<'a> {
    /// The values in [`SIGN_FIELDS`] order, for destructuring.
    pub fn values(self) -> [Option<&'a str>; SIGN_FIELDS.len()] {
        self.0
    }

    #[cfg(test)]
    fn get(&self, name: &str) -> Option<&'a str> {
        let slot = SIGN_FIELDS.iter().position(|known| *known == name)?;
        self.0.get(slot).copied().flatten()
    }
}

/// The fields in `text`, or the name that is unknown, repeated or without a value.
pub fn sign_fields(text: &str) -> Result<SignFields<'_>, &str> {
    let mut fields = SignFields::default();
    let mut lines = text.split('\n');
    while let Some(name) = lines.next() {
        if name.is_empty() && lines.clone().next().is_none() {
            break; // the text's final line break
        }
        let slot = SIGN_FIELDS
            .iter()
            .position(|known| *known == name)
            .and_then(|slot| fields.0.get_mut(slot));
        match (slot, lines.next()) {
            (Some(slot @ None), Some(value)) => *slot = Some(value),
            _ => return Err(name),
        }
    }
    Ok(fields)
}

/// A reply as a JSON value of the shape `wire.js` decodes it to: `{ error }`, `{ validation }`,
/// `{ limits }`, `{ headers }`, `{ begun: { send, timeoutMs, url, body, headers } }`,
/// `{ request: { url, body, headers } }`, `{ fallback: { timeoutMs, url, body, headers } }`,
/// `{ retryInMs }`, `{ result }` or
/// `{ count: { send, timeoutMs, note?, counters: [{ key, max, windowMs }] } }`. `None` for text that
/// is not a reply. For tests and native callers; the wasm never decodes its own replies.
pub fn decode(text: &str) -> Option<Value> {
    let mut lines = text.strip_suffix('\n')?.split('\n');
    let tag = lines.next()?;
    let mut out = Map::new();
    match tag {
        ERROR | VALIDATION | LIMITS | RESULT => {
            let value = serde_json::from_str(lines.next()?).ok()?;
            out.insert(tag.to_owned(), value);
            if let (ERROR | RESULT, Some(event)) = (tag, lines.next()) {
                out.insert("event".to_owned(), serde_json::from_str(event).ok()?);
            }
        }
        RETRY => {
            let delay: u64 = lines.next()?.parse().ok()?;
            out.insert("retryInMs".to_owned(), delay.into());
        }
        HEADERS => {
            out.insert(tag.to_owned(), header_object(&mut lines)?);
        }
        BEGUN | REQUEST | FALLBACK => {
            let mut request = Map::new();
            if tag == BEGUN {
                let send: u32 = lines.next()?.parse().ok()?;
                request.insert("send".to_owned(), send.into());
            }
            if tag != REQUEST {
                let timeout_ms: u32 = lines.next()?.parse().ok()?;
                request.insert("timeoutMs".to_owned(), timeout_ms.into());
            }
            request.insert("url".to_owned(), lines.next()?.into());
            request.insert("body".to_owned(), lines.next()?.into());
            request.insert("headers".to_owned(), header_object(&mut lines)?);
            out.insert(tag.to_owned(), request.into());
        }
        COUNT => {
            let mut count = Map::new();
            let send: u32 = lines.next()?.parse().ok()?;
            let timeout_ms: u32 = lines.next()?.parse().ok()?;
            count.insert("send".to_owned(), send.into());
            count.insert("timeoutMs".to_owned(), timeout_ms.into());
            let note = lines.next()?;
            if !note.is_empty() {
                count.insert("note".to_owned(), note.into());
            }
            let mut counters = Vec::new();
            while let Some(key) = lines.next() {
                let max: u64 = lines.next()?.parse().ok()?;
                let window_ms: u64 = lines.next()?.parse().ok()?;
                counters.push(serde_json::json!({ "key": key, "max": max, "windowMs": window_ms }));
            }
            count.insert("counters".to_owned(), counters.into());
            out.insert(tag.to_owned(), count.into());
        }
        _ => return None,
    }
    lines.next().is_none().then_some(out.into())
}

fn header_object<'a>(lines: &mut impl Iterator<Item = &'a str>) -> Option<Value> {
    let mut headers = Map::new();
    while let Some(name) = lines.next() {
        headers.insert(name.to_owned(), lines.next()?.into());
    }
    Some(headers.into())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::error::{Delivery, ErrorCode};

    fn sms_request() -> SmsRequest {
        SmsRequest {
            url: "https://sms.tencentcloudapi.com/".into(),
            body: r#"{"PhoneNumberSet":["+8613711112222"],"TemplateParamSet":["line\nbreak \"quoted\""]}"#
                .into(),
            headers: vec![
                ("Authorization", "TC3-HMAC-SHA256 Credential=x".into()),
                ("X-TC-Action", "SendSms".into()),
            ],
        }
    }

    #[test]
    fn every_reply_round_trips() {
        let mut failure = ConnectorError::new(ErrorCode::General, "two\nlines and a {brace}");
        failure.data.delivery = Some(Delivery::Unknown);
        assert_eq!(
            decode(&error(&failure)),
            Some(json!({ "error": serde_json::to_value(&failure).unwrap() }))
        );
        assert_eq!(
            decode(&json(LIMITS, &json!({ "maxInputBytes": 1 }))),
            Some(json!({ "limits": { "maxInputBytes": 1 } }))
        );
        assert_eq!(
            decode(&json(RESULT, &json!({ "fee": 1 }))),
            Some(json!({ "result": { "fee": 1 } }))
        );
        assert_eq!(decode(&retry(1_500)), Some(json!({ "retryInMs": 1500 })));
        let with_event = format!(
            "{}{{\"outcome\":\"sent\"}}\n",
            json(RESULT, &json!({ "fee": 1 }))
        );
        assert_eq!(
            decode(&with_event),
            Some(json!({ "result": { "fee": 1 }, "event": { "outcome": "sent" } }))
        );
        let request_value = json!({
            "url": "https://sms.tencentcloudapi.com/",
            "body": sms_request().body,
            "headers": { "Authorization": "TC3-HMAC-SHA256 Credential=x", "X-TC-Action": "SendSms" },
        });
        let mut begun_value = request_value.clone();
        begun_value["send"] = 7.into();
        begun_value["timeoutMs"] = 10_000.into();
        assert_eq!(
            decode(&request(&sms_request(), Some((7, 10_000)))),
            Some(json!({ "begun": begun_value }))
        );
        assert_eq!(
            decode(&request(&sms_request(), None)),
            Some(json!({ "request": request_value }))
        );
        let mut fallback_value = request_value.clone();
        fallback_value["timeoutMs"] = 5_000.into();
        assert_eq!(
            decode(&fallback(&sms_request(), 5_000)),
            Some(json!({ "fallback": fallback_value }))
        );
        assert_eq!(
            decode(&headers(&sms_request().headers)),
            Some(json!({ "headers": request_value["headers"] }))
        );
    }

    #[test]
    fn a_count_reply_round_trips_and_counts_are_read_exactly() {
        let mut config = crate::config::tests::valid();
        config["sendLimits"] = json!([
            { "by": "prefix", "max": 3, "perSeconds": 60 },
            { "by": "country", "max": 9, "perSeconds": 3600 },
        ]);
        let config = crate::config::parse(&config).unwrap();
        let to = crate::phone::normalize("8613711112222").unwrap();
        let plan = crate::send_limits::plan(&config, &to, None).unwrap();
        let text = count(7, 10_000, Some("a note"), &plan.counters);
        let counters = json!([
            { "key": plan.counters[0].key, "max": 3, "windowMs": 60_000 },
            { "key": plan.counters[1].key, "max": 9, "windowMs": 3_600_000 },
        ]);
        assert_eq!(
            decode(&text),
            Some(
                json!({ "count": { "send": 7, "timeoutMs": 10_000, "note": "a note", "counters": counters } })
            )
        );
        assert_eq!(
            decode(&count(7, 10_000, None, &[])),
            Some(json!({ "count": { "send": 7, "timeoutMs": 10_000, "counters": [] } }))
        );
        assert_eq!(counts("3\n11\n", 2), Some(vec![3, 11]));
        assert_eq!(counts("3\n11", 2), Some(vec![3, 11]));
        for (bad, expected) in [
            ("3\n", 2),
            ("3\n4\n5\n", 2),
            ("3\n-4\n", 2),
            ("3\nx\n", 2),
            ("99999999999999999999\n", 1),
        ] {
            assert_eq!(counts(bad, expected), None, "{bad:?}");
        }
    }

    #[test]
    fn the_limits_reply_states_each_constant() {
        let limits = json!({
            "maxInputBytes": MAX_INPUT_BYTES,
            "maxPayloadBytes": MAX_PAYLOAD_BYTES,
            "maxBodyBytes": crate::response::MAX_BODY_BYTES,
            "maxSignedHeaders": MAX_SIGNED_HEADERS,
            "maxDepth": MAX_DEPTH,
            "maxAttempts": crate::retry::MAX_ATTEMPTS,
            "maxRequests": MAX_REQUESTS,
        });
        assert_eq!(decode(LIMITS_REPLY), Some(json!({ "limits": limits })));
    }

    #[test]
    fn the_body_crosses_unescaped_on_one_line() {
        let text = request(&sms_request(), None);
        assert!(text.contains(&sms_request().body));
        assert_eq!(text.lines().count(), 7);
    }

    #[test]
    fn text_that_is_not_a_reply_decodes_to_none() {
        for text in [
            "",
            "{\"error\":{}}",
            "nope\n",
            "retry\nsoon\n",
            "retry\n1\nextra\n",
        ] {
            assert_eq!(decode(text), None, "{text:?}");
        }
    }

    #[test]
    fn sign_fields_are_named_pairs_each_given_once() {
        let fields = sign_fields(
            "secretId\nAKID\ntimestamp\n1700000000\nsignedHeaders\nhost;content-type\n",
        )
        .unwrap();
        assert_eq!(fields.get("secretId"), Some("AKID"));
        assert_eq!(fields.get("timestamp"), Some("1700000000"));
        assert_eq!(fields.get("signedHeaders"), Some("host;content-type"));
        assert_eq!(fields.get("region"), None);
        assert_eq!(sign_fields("region\n\n").unwrap().get("region"), Some(""));
        assert_eq!(sign_fields("").unwrap(), SignFields::default());
        assert_eq!(sign_fields("host\na\nhost\nb\n"), Err("host"));
        assert_eq!(sign_fields("evil\nx\n"), Err("evil"));
        assert_eq!(sign_fields("host"), Err("host"));
    }
}
