//! Tencent's answer → a send result or a Logto error, by the code families of Tencent's docs.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::json::{Map, Value};

use crate::error::{ConnectorError, Delivery, ErrorCode};
use crate::fallback::Route;
use crate::json::{serialize_written, Object, WriteJson};
use crate::redact::{redact, redacted, unescape_json};
use crate::tencent_codes::judge;
pub use crate::tencent_codes::Retryable;
use crate::text::{concat, decimal, truncate};

/// Bodies are read up to this many bytes; a SendSms answer for one number is under 1 KiB.
pub const MAX_BODY_BYTES: usize = 1 << 20;
/// How much of an unusable answer `bodyExcerpt` shows.
pub const EXCERPT_CHARS: usize = 200;

/// Written in camel case.
#[derive(Debug, Clone, PartialEq)]
pub struct SendResult {
    pub request_id: String,
    pub serial_no: String,
    pub fee: u64,
    pub iso_code: String,
    pub phone_number: String,
    /// Which route sent it.
    pub route: Route,
    /// An HTTP gateway fallback's status.
    pub status: Option<u16>,
    /// Why the primary did not send, when the fallback did.
    pub primary_error: Option<Box<ConnectorError>>,
}

impl WriteJson for SendResult {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("requestId", &self.request_id)
            .field("serialNo", &self.serial_no)
            .field("fee", &self.fee)
            .field("isoCode", &self.iso_code)
            .field("phoneNumber", &self.phone_number)
            .field("route", &self.route)
            .optional("status", self.status.map(u64::from).as_ref())
            .optional("primaryError", self.primary_error.as_deref())
            .end();
    }
}

serialize_written!(SendResult);

#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub error: ConnectorError,
    pub retryable: Option<Retryable>,
}

impl From<ConnectorError> for Failure {
    fn from(error: ConnectorError) -> Self {
        Failure {
            error,
            retryable: None,
        }
    }
}

/// `truncated` says the body was cut at [`MAX_BODY_BYTES`]. Every text taken from the answer,
/// success or failure, has `secret` masked before it is cut to length.
pub fn parse(
    status: u16,
    body: &[u8],
    truncated: bool,
    secret: &str,
) -> Result<SendResult, Failure> {
    let invalid_response = |status, body, reason| invalid_response(status, body, reason, secret);
    let text = |object, key| text(object, key, secret);
    if truncated {
        return Err(invalid_response(status, body, "the answer is larger than 1 MiB").into());
    }
    if (300..400).contains(&status) || status == 0 {
        // Status 0 is a browser's opaque redirect. Never followed: it would resend the signed
        // request, code and number, to a host nobody validated.
        return Err(invalid_response(status, body, "the endpoint answered with a redirect, which is never followed; Tencent's API does not redirect, so set endpoint to its API host (sms.tencentcloudapi.com or sms.intl.tencentcloudapi.com) or fix the proxy in between").into());
    }
    if status != 200 {
        return Err(invalid_response(status, body, "Tencent Cloud APIs always answer HTTP 200; another status comes from a proxy or gateway").into());
    }
    let Some(Value::Object(root)) = crate::json::parse(body) else {
        let reason = if body.is_empty() {
            "the answer is empty"
        } else {
            "the answer is not a JSON object"
        };
        return Err(invalid_response(status, body, reason).into());
    };
    let Some(Value::Object(response)) = root.get("Response") else {
        return Err(invalid_response(status, body, "the answer has no Response object").into());
    };
    let request_id = text(response, "RequestId");
    if let Some(error) = response.get("Error") {
        let Some(code) = error.get("Code").and_then(Value::as_str) else {
            return Err(invalid_response(status, body, "Response.Error has no Code").into());
        };
        let message = error
            .get("Message")
            .and_then(Value::as_str)
            .unwrap_or_default();
        return Err(tencent_failure(code, message, request_id, None, secret));
    }
    let Some(first) = response
        .get("SendStatusSet")
        .and_then(Value::as_array)
        .and_then(|set| set.first())
        .and_then(Value::as_object)
    else {
        return Err(
            invalid_response(status, body, "Response.SendStatusSet is missing or empty").into(),
        );
    };
    let Some(code) = first.get("Code").and_then(Value::as_str) else {
        return Err(invalid_response(status, body, "the SendStatusSet entry has no Code").into());
    };
    let phone_number = text(first, "PhoneNumber");
    if !code.eq_ignore_ascii_case("ok") {
        let message = first
            .get("Message")
            .and_then(Value::as_str)
            .unwrap_or_default();
        return Err(tencent_failure(
            code,
            message,
            request_id,
            phone_number,
            secret,
        ));
    }
    Ok(SendResult {
        request_id: request_id.unwrap_or_default(),
        serial_no: text(first, "SerialNo").unwrap_or_default(),
        fee: first.get("Fee").and_then(Value::as_u64).unwrap_or(0),
        iso_code: text(first, "IsoCode").unwrap_or_default(),
        phone_number: phone_number.unwrap_or_default(),
        route: Route::Primary,
        status: None,
        primary_error: None,
    })
}

fn text(object: &Map<String, Value>, key: &str, secret: &str) -> Option<String> {
    object
        .get(key)
        .and_then(Value::as_str)
        .map(|value| clean(value, 128, secret))
}

/// Redacted first, then cut: a cut secret must still be recognised.
fn clean(text: &str, max_chars: usize, secret: &str) -> String {
    match redacted(text, secret) {
        Some(text) => truncate(&text, max_chars),
        None => truncate(text, max_chars),
    }
}

fn tencent_failure(
    code: &str,
    message: &str,
    request_id: Option<String>,
    phone_number: Option<String>,
    secret: &str,
) -> Failure {
    let judgement = judge(code);
    let code = clean(code, 100, secret);
    let message = clean(message, 300, secret);
    let description = concat(&[&code, ": ", &message]);
    let mut full = concat(&[
        "Tencent Cloud SMS refused the message (",
        &description,
        "). ",
        judgement.advice,
    ]);
    if let Some(id) = &request_id {
        full.push_str(" RequestId: ");
        full.push_str(id);
    }
    let mut error = ConnectorError::new(judgement.logto, full);
    error.data.error_description = description;
    error.data.tencent_code = Some(code);
    error.data.request_id = request_id;
    error.data.phone_number = phone_number;
    error.data.delivery = judgement.delivery;
    Failure {
        error,
        retryable: judgement.retry,
    }
}

fn invalid_response(status: u16, body: &[u8], reason: &str, secret: &str) -> ConnectorError {
    let excerpt = excerpt(body, secret);
    let mut error = ConnectorError::new(
        ErrorCode::InvalidResponse,
        // Not format!: the status would link u16's Display.
        concat(&[
            "Tencent Cloud SMS gave an unusable answer (HTTP ",
            &decimal(u64::from(status)),
            "): ",
            reason,
            ". The SMS may or may not have been sent; check the SMS console's delivery records before sending again.",
        ]),
    );
    error.data.status = Some(status);
    error.data.body_excerpt = Some(excerpt);
    error.data.delivery = Some(Delivery::Unknown);
    error
}

/// The first 200 characters, on one line, with JSON escapes decoded and the secret masked.
pub(crate) fn excerpt(body: &[u8], secret: &str) -> String {
    let start = body.get(..EXCERPT_CHARS * 4).unwrap_or(body);
    // The valid UTF-8 prefix: a cut may split a character, and a short excerpt needs no more.
    let text = match core::str::from_utf8(start) {
        Ok(text) => text,
        Err(error) => start
            .get(..error.valid_up_to())
            .and_then(|valid| core::str::from_utf8(valid).ok())
            .unwrap_or_default(),
    };
    let mut text = unescape_json(text);
    redact(&mut text, secret);
    // A loop, not take/map/collect: their adapters are generic bodies of their own in the wasm.
    let mut excerpt = String::new();
    for character in text.chars().take(EXCERPT_CHARS) {
        excerpt.push(if character.is_control() {
            ' '
        } else {
            character
        });
    }
    excerpt
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";

    fn ok_body(code: &str) -> String {
        format!(
            r#"{{"Response":{{"SendStatusSet":[{{"SerialNo":"2640:1","PhoneNumber":"+8613711112222","Fee":1,"SessionContext":"","Code":"{code}","Message":"m","IsoCode":"CN"}}],"RequestId":"req-1"}}}}"#
        )
    }

    fn error_body(code: &str) -> String {
        format!(
            r#"{{"Response":{{"Error":{{"Code":"{code}","Message":"msg"}},"RequestId":"req-2"}}}}"#
        )
    }

    #[test]
    fn ok_is_case_insensitive_and_gives_the_result() {
        for code in ["Ok", "OK", "ok"] {
            let result = parse(200, ok_body(code).as_bytes(), false, SECRET).unwrap();
            assert_eq!(
                result,
                SendResult {
                    request_id: "req-1".into(),
                    serial_no: "2640:1".into(),
                    fee: 1,
                    iso_code: "CN".into(),
                    phone_number: "+8613711112222".into(),
                    route: Route::Primary,
                    status: None,
                    primary_error: None,
                }
            );
        }
    }

    #[test]
    fn request_errors_carry_code_message_and_request_id() {
        let failure = parse(
            200,
            error_body("AuthFailure.SecretIdNotFound").as_bytes(),
            false,
            SECRET,
        )
        .unwrap_err();
        assert_eq!(failure.error.code, ErrorCode::InvalidConfig);
        assert_eq!(
            failure.error.data.error_description,
            "AuthFailure.SecretIdNotFound: msg"
        );
        assert_eq!(
            failure.error.data.tencent_code.as_deref(),
            Some("AuthFailure.SecretIdNotFound")
        );
        assert_eq!(failure.error.data.request_id.as_deref(), Some("req-2"));
        assert!(failure.error.message().contains("accessKeyId"));
        assert!(failure.error.message().contains("req-2"));
    }

    #[test]
    fn families_map_alike_for_request_and_per_number_errors() {
        let cases = [
            ("AuthFailure.SignatureFailure", ErrorCode::InvalidConfig),
            (
                "AuthFailure.UnauthorizedOperation",
                ErrorCode::InvalidConfig,
            ),
            ("RequestLimitExceeded", ErrorCode::RateLimitExceeded),
            (
                "RequestLimitExceeded.PhoneNumberDailyLimit",
                ErrorCode::RateLimitExceeded,
            ),
            (
                "LimitExceeded.PhoneNumberThirtySecondLimit",
                ErrorCode::RateLimitExceeded,
            ),
            (
                "LimitExceeded.DeliveryFrequencyLimit",
                ErrorCode::RateLimitExceeded,
            ),
            // Quota exhaustion: Logto's sign-in page offers the password instead.
            ("LimitExceeded.AppDailyLimit", ErrorCode::UsageLimitExceeded),
            (
                "FailedOperation.InsufficientBalanceInSmsPackage",
                ErrorCode::UsageLimitExceeded,
            ),
            (
                "UnauthorizedOperation.ServiceSuspendDueToArrears",
                ErrorCode::UsageLimitExceeded,
            ),
            (
                "InvalidParameterValue.TemplateParameterFormatError",
                ErrorCode::InvalidConfig,
            ),
            (
                "FailedOperation.TemplateParamSetNotMatchApprovedTemplate",
                ErrorCode::InvalidConfig,
            ),
            (
                "FailedOperation.TemplateIncorrectOrUnapproved",
                ErrorCode::InvalidConfig,
            ),
            (
                "InvalidParameterValue.SdkAppIdNotExist",
                ErrorCode::InvalidConfig,
            ),
            (
                "InvalidParameterValue.IncorrectPhoneNumber",
                ErrorCode::InvalidRequestParameters,
            ),
            (
                "UnsupportedOperation.ChineseMainlandTemplateToGlobalPhone",
                ErrorCode::InvalidRequestParameters,
            ),
            ("InternalError.Timeout", ErrorCode::General),
            ("ServiceUnavailable", ErrorCode::General),
            ("Something.New", ErrorCode::General),
        ];
        for (code, expected) in cases {
            let request = parse(200, error_body(code).as_bytes(), false, SECRET).unwrap_err();
            let number = parse(200, ok_body(code).as_bytes(), false, SECRET).unwrap_err();
            assert_eq!(request.error.code, expected, "{code}");
            assert_eq!(number.error.code, expected, "{code}");
            assert_eq!(
                number.error.data.phone_number.as_deref(),
                Some("+8613711112222")
            );
        }
    }

    #[test]
    fn template_parameter_refusals_point_to_template_params() {
        for code in [
            "FailedOperation.TemplateParamSetNotMatchApprovedTemplate",
            "InvalidParameterValue.TemplateParameterFormatError",
        ] {
            let judgement = judge(code);
            assert_eq!(judgement.retry, None);
            assert!(
                judgement.advice.contains("templateParams"),
                "{code}: {}",
                judgement.advice
            );
        }
    }

    #[test]
    fn only_expired_signatures_and_api_rate_limits_are_retryable() {
        let retryable = |code: &str| {
            parse(200, error_body(code).as_bytes(), false, SECRET)
                .unwrap_err()
                .retryable
        };
        assert_eq!(
            retryable("AuthFailure.SignatureExpire"),
            Some(Retryable::SignatureExpired)
        );
        assert_eq!(
            retryable("RequestLimitExceeded.Foo"),
            Some(Retryable::RateLimited)
        );
        assert_eq!(retryable("InternalError"), None);
        assert_eq!(retryable("LimitExceeded.PhoneNumberDailyLimit"), None);
    }

    #[test]
    fn internal_errors_say_the_outcome_is_unknown() {
        let failure = parse(
            200,
            error_body("InternalError.Timeout").as_bytes(),
            false,
            SECRET,
        )
        .unwrap_err();
        assert_eq!(failure.error.data.delivery, Some(Delivery::Unknown));
        assert!(failure.error.message().contains("may or may not"));
    }

    #[test]
    fn malformed_answers_are_invalid_response_with_status_and_short_excerpt() {
        let html = format!(
            "<html><head><title>502 Bad Gateway</title></head><body>{}</body></html>",
            "x".repeat(500)
        );
        let cases: [(u16, &[u8], bool); 8] = [
            (502, html.as_bytes(), false),
            (200, b"", false),
            (200, b"{\"Response\": {", false),
            (200, b"{\"Foo\":1}", false),
            (200, b"{\"Response\":{\"SendStatusSet\":[],\"RequestId\":\"r\"}}", false),
            (200, b"{\"Response\":{\"SendStatusSet\":[{\"PhoneNumber\":\"+86\"}],\"RequestId\":\"r\"}}", false),
            (200, b"{\"Response\":{\"Error\":{}}}", false),
            (200, b"{\"Response\":{}}", true),
        ];
        for (status, body, truncated) in cases {
            let failure = parse(status, body, truncated, SECRET).unwrap_err();
            assert_eq!(
                failure.error.code,
                ErrorCode::InvalidResponse,
                "{}",
                String::from_utf8_lossy(body)
            );
            assert_eq!(failure.error.data.status, Some(status));
            assert!(
                failure
                    .error
                    .data
                    .body_excerpt
                    .as_ref()
                    .unwrap()
                    .chars()
                    .count()
                    <= 200
            );
            assert_eq!(failure.retryable, None);
        }
    }

    #[test]
    fn excerpt_is_valid_utf8_on_one_line() {
        assert_eq!(excerpt(b"a\nb\xffc", SECRET), "a b");
        assert_eq!(
            excerpt("é".repeat(500).as_bytes(), SECRET).chars().count(),
            200
        );
    }

    #[test]
    fn an_echoed_secret_is_masked_in_every_field_even_escaped_cut_or_split() {
        let half = SECRET.len() / 2;
        let escaped = format!("\\u0047{}", &SECRET[1..]);
        let bodies = [
            format!(
                r#"{{"Response":{{"Error":{{"Code":"X.{escaped}","Message":"{SECRET}"}},"RequestId":"{}"}}}}"#,
                &SECRET[..31]
            ),
            format!(
                r#"{{"Response":{{"Error":{{"Code":"{}","Message":"m"}},"RequestId":"{}"}}}}"#,
                &SECRET[..half],
                &SECRET[half..]
            ),
            format!(
                r#"{{"Response":{{"Error":{{"Code":"{}{}","Message":"m"}},"RequestId":"r"}}}}"#,
                "C".repeat(95),
                SECRET
            ),
            format!(
                r#"{{"Response":{{"Error":{{"Code":"C","Message":"m"}},"RequestId":"r"}}}} {escaped}"#
            ),
            format!(r#"<html>{escaped}</html>"#),
        ];
        for body in &bodies {
            let failure = parse(200, body.as_bytes(), false, SECRET).unwrap_err();
            let shown = serde_json::to_string(&failure.error).unwrap();
            assert!(!shown.contains(&SECRET[1..9]), "{shown}");
            assert!(!shown.contains(&SECRET[24..]), "{shown}");
            assert!(!shown.contains("u0047"), "{shown}");
        }
    }

    #[test]
    fn a_successful_result_is_masked_too() {
        let body = ok_body("Ok").replace("2640:1", SECRET);
        let result = parse(200, body.as_bytes(), false, SECRET).unwrap();
        assert_eq!(result.serial_no, "[redacted]");
    }
}
