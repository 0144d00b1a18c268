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
//! | `error`      | the `ConnectorError` as JSON                           |
//! | `validation` | the `Validation` as JSON                               |
//! | `limits`     | the limits as JSON                                     |
//! | `headers`    | `name`, `value` line pairs                             |
//! | `begun`      | send id, timeout in ms, then as `request`              |
//! | `request`    | URL, body, then `name`, `value` line pairs             |
//! | `retry`      | the delay in whole milliseconds                        |
//! | `fallback`   | timeout in ms, then as `request` (the fallback's)      |
//! | `result`     | the `SendResult` as JSON                               |
//!
//! The one structured input, `signRequest`'s fields, uses the same lines: `name`, `value` pairs
//! (see [`sign_fields`]); the payload crosses beside it as text or bytes.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::ConnectorError;
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
pub fn json<T: Serialize>(tag: &str, value: &T) -> String {
    json_line(tag, serde_json::to_string(value).ok())
}

/// Not generic, so each type serialised adds only its serializer to the wasm.
fn json_line(tag: &str, json: Option<String>) -> String {
    let json = json.as_deref().unwrap_or("null");
    let mut lines = tagged(tag, json.len() + 16);
    push_line(&mut lines, json);
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
/// `{ retryInMs }` or `{ result }`. `None` for text that
/// is not a reply. For tests and native callers; the wasm never decodes its own replies.
pub fn decode(text: &str) -> Option<Value> {
    let mut lines = text.strip_suffix('\n')?.split('\n');
    let tag = lines.next()?;
    let mut out = Map::new();
    match tag {
        ERROR | VALIDATION | LIMITS | RESULT => {
            let value = serde_json::from_str(lines.next()?).ok()?;
            out.insert(tag.to_owned(), value);
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
