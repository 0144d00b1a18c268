//! `fallback`: a second route for a send the primary account certainly did not deliver (a second
//! Tencent account or site, or an HTTP gateway that takes `@logto/connector-http-sms`'s payload),
//! and the rule for when a send may move to it. SendSms has no idempotency key, so a send moves
//! only when the primary provably sent nothing, for a reason of the primary's own; every other
//! outcome stays the primary's. The exchange (`exchange.rs`) switches routes; this module decides.

#[allow(unused_imports)]
use crate::prelude::*;

use core::fmt;

use crate::json::{Map, Value};

use crate::config::{self, Config, ROOT_KEYS};
use crate::endpoint::{parse_endpoint, EndpointError};
use crate::error::{ConnectorError, Delivery, ErrorCode};
use crate::redact::{quote, MASK};
use crate::response::{excerpt, SendResult};
use crate::send_limits;
use crate::send_sms::{Message, SmsRequest};
use crate::tencent_codes::judge;
use crate::text::{concat, decimal};
use crate::transport;
use crate::validation::{IssueCode, PathSegment, Validation};

pub const FIELD: &str = "fallback";
pub const COOLDOWN_FIELD: &str = "fallbackCooldownSeconds";
pub const DEFAULT_COOLDOWN_SECONDS: u32 = 60;
pub const MAX_COOLDOWN_SECONDS: u64 = 86_400;
/// The keys of an HTTP gateway fallback.
pub const GATEWAY_KEYS: [&str; 3] = ["type", "endpoint", "authorization"];

const SHAPE: &str = "fallback must be {\"type\": \"tencent\", …the top level's fields} (a second Tencent account) or {\"type\": \"http\", \"endpoint\": \"https://…\", \"authorization\": \"…\"} (a gateway taking @logto/connector-http-sms's payload); {} for none.";
const NESTED: &str =
    "fallback: fallback, fallbackCooldownSeconds, sendLimits and trustedIps belong to the top level only: remove this key.";
const BAD_URL: &str = "fallback.endpoint must be an https:// URL without credentials, spaces or #fragment, e.g. \"https://sms-gateway.example.com/send\" (http:// only for 127.x.x.x, [::1] or localhost).";
const INSECURE_URL: &str = "fallback.endpoint uses http://, which would send the codes and the authorization in clear text: use https:// (http:// is allowed only for 127.x.x.x, [::1] or localhost).";
const BAD_AUTHORIZATION: &str =
    "fallback.authorization must be one line of Latin-1 text (an HTTP header value), e.g. \"Bearer <token>\"; leave it out for none.";
const COOLDOWN_RANGE: &str = "fallbackCooldownSeconds must be a whole number of seconds from 0 to 86400 (0: try the primary on every send); remove it to use 60.";
const SAME_ACCOUNT: &str = "fallback: this is the primary's own account (same accessKeyId and sdkAppId), which refuses for the same reasons: use a second account or SMS application.";

/// Which route a result or an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Primary,
    Fallback,
}

impl Route {
    /// Its name in replies and errors.
    pub fn as_str(self) -> &'static str {
        match self {
            Route::Primary => "primary",
            Route::Fallback => "fallback",
        }
    }
}

/// `Debug` shows a Tencent fallback as `Config` does and the gateway without its authorization.
// One per parsed config, behind an `Rc`: boxing the larger variant would save nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fallback {
    /// A second Tencent account or site: a whole config, without a fallback of its own.
    Tencent(Config),
    Http(Gateway),
}

#[derive(Clone, PartialEq, Eq)]
pub struct Gateway {
    pub url: String,
    /// Host and port, for messages.
    pub host: String,
    /// Sent as the `Authorization` header; `None` when absent or empty.
    pub authorization: Option<String>,
}

impl fmt::Debug for Gateway {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Gateway")
            .field("url", &self.url)
            .field("authorization", &self.authorization.as_ref().map(|_| MASK))
            .finish()
    }
}

impl Fallback {
    /// Every secret of this route, for redaction.
    pub fn secret(&self) -> Option<&str> {
        match self {
            Fallback::Tencent(config) => Some(&config.access_key_secret),
            Fallback::Http(gateway) => gateway.authorization.as_deref(),
        }
    }
}

// ---- Validation ---------------------------------------------------------------------------

/// `fallback`, checked with the top level's own checks, issues at `fallback.…`. `Some(None)`:
/// no fallback (absent, `null` or `{}`, which Logto's console saves for an untouched Json field).
pub fn check_field(
    value: Option<&Value>,
    primary: &Map<String, Value>,
    report: &mut Validation,
) -> Option<Option<Fallback>> {
    let fields = match value {
        None | Some(Value::Null) => return Some(None),
        Some(Value::Object(fields)) if fields.is_empty() => return Some(None),
        Some(Value::Object(fields)) => fields,
        Some(_) => {
            report.error(
                crate::validation::at(FIELD),
                IssueCode::InvalidFallback,
                SHAPE.into(),
            );
            return None;
        }
    };
    let fallback = match fields.get("type").and_then(Value::as_str) {
        Some("tencent") => check_tencent(fields, primary, report).map(Fallback::Tencent),
        Some("http") => check_gateway(fields, report).map(Fallback::Http),
        _ => {
            report.error(path("type"), IssueCode::InvalidFallback, SHAPE.into());
            None
        }
    };
    fallback.map(Some)
}

fn path(key: &str) -> Vec<PathSegment> {
    vec![FIELD.into(), key.into()]
}

fn check_tencent(
    fields: &Map<String, Value>,
    primary: &Map<String, Value>,
    report: &mut Validation,
) -> Option<Config> {
    // The top level's keys and `type` (its own two are refused below).
    let mut known = [""; ROOT_KEYS.len() + 1];
    for (slot, key) in known.iter_mut().zip(ROOT_KEYS.iter().chain(&["type"])) {
        *slot = key;
    }
    let mut inner = Validation::default();
    let config = config::check_account(fields, &known, &mut inner);
    report.nest(FIELD, inner, "fallback: ");
    for key in [
        FIELD,
        COOLDOWN_FIELD,
        send_limits::FIELD,
        send_limits::TRUSTED_FIELD,
    ] {
        if fields.contains_key(key) {
            report.error(path(key), IssueCode::InvalidFallback, NESTED.into());
            return None;
        }
    }
    let same = |key: &str| {
        let mine = fields.get(key).and_then(Value::as_str);
        mine.is_some() && mine == primary.get(key).and_then(Value::as_str)
    };
    if same("accessKeyId") && same("sdkAppId") {
        report.warn(
            crate::validation::at(FIELD),
            IssueCode::FallbackSameAccount,
            SAME_ACCOUNT.into(),
        );
    }
    config
}

fn check_gateway(fields: &Map<String, Value>, report: &mut Validation) -> Option<Gateway> {
    config::warn_unknown_keys(fields, &GATEWAY_KEYS, &[FIELD.into()], report);
    let authorization = match fields.get("authorization") {
        None | Some(Value::Null) => Some(None),
        // A header value fetch accepts: one line of Latin-1.
        Some(Value::String(text))
            if !text.contains(|c: char| c.is_control() || u32::from(c) > 0xFF) =>
        {
            config::warn_whitespace(
                text,
                "fallback.authorization",
                path("authorization"),
                report,
            );
            Some(Some(text).filter(|text| !text.is_empty()))
        }
        Some(_) => {
            report.error(
                path("authorization"),
                IssueCode::InvalidFallback,
                BAD_AUTHORIZATION.into(),
            );
            None
        }
    };
    let endpoint = match fields.get("endpoint") {
        Some(Value::String(text)) => match parse_gateway_url(text) {
            Ok(endpoint) => Some(endpoint),
            Err((code, message)) => {
                report.error(path("endpoint"), code, message);
                None
            }
        },
        None => {
            report.error(
                path("endpoint"),
                IssueCode::Required,
                "fallback.endpoint is required: the gateway's URL, e.g. \"https://sms-gateway.example.com/send\".".into(),
            );
            None
        }
        Some(_) => {
            report.error(path("endpoint"), IssueCode::InvalidType, BAD_URL.into());
            None
        }
    };
    let ((url, host), authorization) = (endpoint?, authorization?);
    Some(Gateway {
        url,
        host,
        authorization: authorization.cloned(),
    })
}

/// `https://host[:port][/path][?query]`: the host checked as `endpoint` is (what `fetch` sends
/// unchanged, no port it refuses, `http://` only for loopback); the path is the gateway's.
fn parse_gateway_url(raw: &str) -> Result<(String, String), (IssueCode, String)> {
    let bad = || (IssueCode::InvalidEndpoint, BAD_URL.to_owned());
    let (scheme, rest) = if let Some(rest) = raw.strip_prefix("https://") {
        ("https://", rest)
    } else if let Some(rest) = raw.strip_prefix("http://") {
        ("http://", rest)
    } else {
        return Err(bad());
    };
    // ASCII only (fetch would percent-encode the rest): no spaces, fragment or credentials.
    if !raw
        .bytes()
        .all(|byte| byte.is_ascii_graphic() && !matches!(byte, b'#' | b'@' | b'\\'))
    {
        return Err(bad());
    }
    let cut = rest
        .bytes()
        .position(|byte| byte == b'/' || byte == b'?')
        .unwrap_or(rest.len());
    let (authority, tail) = rest.split_at_checked(cut).ok_or_else(bad)?;
    let endpoint =
        parse_endpoint(&concat(&[scheme, authority])).map_err(|EndpointError(code, reason)| {
            match code {
                IssueCode::InsecureEndpoint => (code, INSECURE_URL.to_owned()),
                _ => (code, concat(&["fallback.endpoint ", reason, "."])),
            }
        })?;
    let url = match tail.strip_prefix('/') {
        // `endpoint.url` ends with the root path already.
        Some(path) => concat(&[&endpoint.url, path]),
        None => concat(&[&endpoint.url, tail]),
    };
    Ok((url, endpoint.host))
}

/// `fallbackCooldownSeconds`: how long the primary is skipped after an account-level refusal.
pub fn check_cooldown(value: Option<&Value>, report: &mut Validation) -> Option<u32> {
    match value {
        None => Some(DEFAULT_COOLDOWN_SECONDS),
        Some(Value::Number(number)) => match number.as_u64() {
            Some(seconds) if seconds <= MAX_COOLDOWN_SECONDS => u32::try_from(seconds).ok(),
            _ => {
                report.error(
                    crate::validation::at(COOLDOWN_FIELD),
                    IssueCode::InvalidCooldown,
                    COOLDOWN_RANGE.into(),
                );
                None
            }
        },
        // JSON text carries NaN and ±Infinity as null: an error, as for timeoutMs.
        Some(Value::Null) => {
            report.error(
                crate::validation::at(COOLDOWN_FIELD),
                IssueCode::InvalidCooldown,
                COOLDOWN_RANGE.into(),
            );
            None
        }
        Some(_) => {
            report.error(
                crate::validation::at(COOLDOWN_FIELD),
                IssueCode::InvalidType,
                COOLDOWN_RANGE.into(),
            );
            None
        }
    }
}

// ---- The failover rule ----------------------------------------------------------------------

/// What became of the primary's last request (after any retries), as the rule needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrimaryOutcome<'a> {
    /// Tencent's verdict: the `Error.Code` of the answer or the `Code` of its `SendStatusSet`.
    Refused(&'a str),
    /// Any other answer: a redirect, another status, a body that is not Tencent's verdict.
    Unusable,
    /// No answer in time: written or not, the host cannot tell.
    Timeout,
    /// The host refused to start the request: nothing was written.
    NotStarted,
    /// The connection failed; Node's `code` and `syscall` of the failure when there are some.
    Network {
        cause_code: Option<&'a str>,
        syscall: Option<&'a str>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The primary's outcome is the send's.
    Stay,
    /// The send moves to the fallback; `cool_down`: the primary refused for an account reason,
    /// so later sends skip it for `fallbackCooldownSeconds`.
    FailOver { cool_down: bool },
}

/// Whether a send moves to the fallback: only when the primary certainly sent nothing, and not
/// for a reason of the number's that another route would only evade.
///
/// - A Tencent code moves the send when the table (`tencent_codes.rs`) judges it a definite
///   refusal (no `delivery`) that only the operator can fix: `invalid_config` (the key, its
///   permissions, the SDK app, signature and templates, countries the app may not send to) or
///   `usage_limit_exceeded` (package, arrears, daily limits). Never `invalid_request_parameters`
///   or `rate_limit_exceeded` (this number: invalid, blacklisted, its frequency limits), never a
///   `general` code (a cause Tencent did not state, a clock the fallback shares, codes added
///   later), never a possible delivery.
/// - A request that never started, and a connection failure that provably came before the
///   request was written ([`transport::before_writing`]).
/// - Never a timeout, a reset or any answer that is not Tencent's verdict (a redirect, 5xx).
pub fn decide(outcome: PrimaryOutcome) -> Decision {
    match outcome {
        PrimaryOutcome::Refused(code) => {
            let judgement = judge(code);
            let account = matches!(
                judgement.logto,
                ErrorCode::InvalidConfig | ErrorCode::UsageLimitExceeded
            );
            if judgement.delivery.is_none() && account {
                Decision::FailOver { cool_down: true }
            } else {
                Decision::Stay
            }
        }
        PrimaryOutcome::NotStarted => Decision::FailOver { cool_down: false },
        PrimaryOutcome::Network {
            cause_code,
            syscall,
        } if transport::before_writing(cause_code, syscall) => {
            Decision::FailOver { cool_down: false }
        }
        PrimaryOutcome::Network { .. } | PrimaryOutcome::Timeout | PrimaryOutcome::Unusable => {
            Decision::Stay
        }
    }
}

/// The primary's refusal remembered for `fallbackCooldownSeconds` (per process).
#[derive(Debug, Clone, PartialEq)]
pub struct Cooldown {
    pub until_ms: f64,
    pub refusal: ConnectorError,
}

/// What a send skipping the primary reports as the primary's outcome: the refusal that started
/// the cooldown, with its Logto code (so a failing fallback still gets the useful one).
pub fn skipped(cooldown: &Cooldown, now_ms: f64) -> ConnectorError {
    let mut note = cooldown.refusal.clone();
    // Whole seconds, rounded up (no `ceil` in core).
    let exact = ((cooldown.until_ms - now_ms) / 1_000.0).max(0.0);
    let whole = exact as u64;
    let left = whole + u64::from((whole as f64) < exact);
    note.data.message = concat(&[
        "The primary route was not tried: it refused an earlier send for an account reason and is skipped for ",
        &decimal(left),
        " more s (fallbackCooldownSeconds). Its refusal: ",
        &cooldown.refusal.data.message,
    ]);
    note.data.delivery = Some(Delivery::NotSent);
    note
}

/// Logto codes, most useful to the end user first: a per-number reason the user can act on,
/// then the quota (Logto's sign-in page offers the password), then the operator's problems.
const USEFULNESS: [ErrorCode; 7] = [
    ErrorCode::InvalidRequestParameters,
    ErrorCode::RateLimitExceeded,
    ErrorCode::UsageLimitExceeded,
    ErrorCode::TemplateNotFound,
    ErrorCode::InvalidConfig,
    ErrorCode::InvalidResponse,
    ErrorCode::General,
];

fn rank(code: ErrorCode) -> usize {
    USEFULNESS
        .iter()
        .position(|known| *known == code)
        .unwrap_or(USEFULNESS.len())
}

/// Both routes failed: the fallback's outcome (its `route`, `delivery`, Tencent code or HTTP
/// status) with the primary's under `primaryError`, and the more useful Logto code of the two.
pub fn both_failed(primary: ConnectorError, mut fallback: ConnectorError) -> ConnectorError {
    if rank(primary.code) < rank(fallback.code) {
        fallback.code = primary.code;
        fallback.data.error_description = primary.data.error_description.clone();
    }
    fallback.data.message = concat(&[
        "Both routes failed. Fallback: ",
        &fallback.data.message,
        " Primary: ",
        &primary.data.message,
    ]);
    fallback.data.route = Some(Route::Fallback);
    fallback.data.primary_error = Some(Box::new(primary));
    fallback
}

// ---- The HTTP gateway -----------------------------------------------------------------------

/// The POST `@logto/connector-http-sms` makes: `{ to, type, payload, ip }` from Logto's message
/// as given (`ip` only when set), `Content-Type: application/json` and `Authorization`.
pub fn gateway_request(gateway: &Gateway, logto_message: &str) -> SmsRequest {
    let mut body = String::with_capacity(logto_message.len() + 8);
    body.push('{');
    for key in ["to", "type", "payload", "ip"] {
        let Some(raw) = raw_member(logto_message, key) else {
            continue;
        };
        // `ip && { ip }`: an empty or missing address is left out.
        if key == "ip" && !(raw.starts_with('"') && raw.len() > 2) {
            continue;
        }
        if body.len() > 1 {
            body.push(',');
        }
        body.push('"');
        body.push_str(key);
        body.push_str("\":");
        body.push_str(raw);
    }
    body.push('}');
    let mut headers = vec![("Content-Type", "application/json".to_owned())];
    if let Some(authorization) = &gateway.authorization {
        headers.push(("Authorization", authorization.clone()));
    }
    SmsRequest {
        url: gateway.url.clone(),
        body,
        headers,
    }
}

/// The JSON text of member `key` of the object `text`, as written. `text` is JSON the core has
/// parsed already (the message); copying the member's text keeps its numbers exactly as Logto
/// gave them, and spares the wasm serde_json's float formatting.
fn raw_member<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let bytes = text.as_bytes();
    let mut at = bytes.iter().position(|byte| *byte == b'{')? + 1;
    loop {
        at += skip_space(bytes.get(at..)?);
        // A member name, which `JSON.stringify` writes without escapes for these keys.
        let name_end = at + value_len(bytes.get(at..)?)?;
        let name = text.get(at + 1..name_end.checked_sub(1)?)?;
        at = name_end + skip_space(bytes.get(name_end..)?);
        if bytes.get(at) != Some(&b':') {
            return None;
        }
        at += 1 + skip_space(bytes.get(at + 1..)?);
        let end = at + value_len(bytes.get(at..)?)?;
        if name == key {
            return text.get(at..end);
        }
        at = end + skip_space(bytes.get(end..)?);
        if bytes.get(at) != Some(&b',') {
            return None;
        }
        at += 1;
    }
}

fn skip_space(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .take_while(|byte| matches!(byte, b' ' | b'\t' | b'\n' | b'\r'))
        .count()
}

/// The length of the JSON value at the start of `bytes`: a string, an object or array (strings
/// inside skipped), or a literal up to the next `,`, `}` or `]`.
fn value_len(bytes: &[u8]) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0_usize, false, false);
    for (index, byte) in bytes.iter().enumerate() {
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => {
                    in_string = false;
                    if depth == 0 {
                        return Some(index + 1);
                    }
                }
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    return Some(index + 1);
                }
            }
            b',' | b'}' | b']' if depth == 0 => return Some(index),
            _ => {}
        }
    }
    (depth == 0 && !in_string).then_some(bytes.len())
}

/// The gateway's answer: any 2xx is sent, as `@logto/connector-http-sms` reads it; anything else
/// (a redirect, never followed, included) may or may not have sent the SMS.
pub fn gateway_answer(
    gateway: &Gateway,
    status: u16,
    body: &[u8],
    message: &Message,
) -> Result<SendResult, ConnectorError> {
    if (200..300).contains(&status) {
        return Ok(SendResult {
            request_id: String::new(),
            serial_no: String::new(),
            fee: 0,
            iso_code: String::new(),
            phone_number: message.to.as_str().to_owned(),
            route: Route::Fallback,
            status: Some(status),
            primary_error: None,
        });
    }
    let mut error = gateway_failure(
        gateway,
        &concat(&[
            ") answered HTTP ",
            &decimal(u64::from(status)),
            " instead of 2xx",
        ]),
    );
    error.data.status = Some(status);
    error.data.body_excerpt = Some(excerpt(
        body,
        gateway.authorization.as_deref().unwrap_or_default(),
    ));
    Err(error)
}

/// The gateway did not answer within `timeout_ms`.
pub fn gateway_timeout(gateway: &Gateway, timeout_ms: u32) -> ConnectorError {
    gateway_failure(
        gateway,
        &concat(&[
            ") did not answer within ",
            &decimal(u64::from(timeout_ms)),
            " ms",
        ]),
    )
}

/// `what` happened at the gateway, after the request was sent: the SMS may have gone out.
fn gateway_failure(gateway: &Gateway, what: &str) -> ConnectorError {
    let mut error = ConnectorError::new(
        ErrorCode::General,
        concat(&[
            "The fallback gateway (",
            &quote(&gateway.host, 260),
            what,
            "; the SMS may or may not have been sent. Check the gateway's logs before sending again.",
        ]),
    );
    error.data.delivery = Some(Delivery::Unknown);
    error
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::tests::valid;
    use crate::tencent_codes::{Codes, TABLE};
    use serde_json::json;

    fn http(endpoint: &str) -> Value {
        json!({ "type": "http", "endpoint": endpoint, "authorization": "Bearer t0ken-Value" })
    }

    fn gateway_of(value: Value) -> Result<Gateway, Validation> {
        let mut report = Validation::default();
        match check_field(Some(&value), &Map::new(), &mut report) {
            Some(Some(Fallback::Http(gateway))) if report.errors.is_empty() => Ok(gateway),
            _ => Err(report),
        }
    }

    #[test]
    fn account_refusals_move_the_send_and_start_a_cooldown() {
        for code in [
            "FailedOperation.InsufficientBalanceInSmsPackage",
            "UnauthorizedOperation.ServiceSuspendDueToArrears",
            "LimitExceeded.AppDailyLimit",
            "LimitExceeded.AppCountryOrRegionDailyLimit",
            "FailedOperation.SignatureIncorrectOrUnapproved",
            "FailedOperation.TemplateIncorrectOrUnapproved",
            "AuthFailure.SecretIdNotFound",
            "AuthFailure.SignatureFailure",
            "UnauthorizedOperation.RequestPermissionDeny",
            "AuthFailure.SomethingNew",
        ] {
            assert_eq!(
                decide(PrimaryOutcome::Refused(code)),
                Decision::FailOver { cool_down: true },
                "{code}"
            );
        }
    }

    #[test]
    fn per_number_reasons_and_possible_deliveries_stay() {
        for code in [
            "LimitExceeded.PhoneNumberDailyLimit",
            "LimitExceeded.PhoneNumberThirtySecondLimit",
            "LimitExceeded.DeliveryFrequencyLimit",
            "FailedOperation.PhoneNumberInBlacklist",
            "InvalidParameterValue.IncorrectPhoneNumber",
            "UnsupportedOperation.UnsupportedRegion",
            "RequestLimitExceeded",
            "InternalError",
            "InternalError.Timeout",
            "ServiceUnavailable",
            "AuthFailure.SignatureExpire",
            "FailedOperation.OtherError",
            "Something.New",
            "",
        ] {
            assert_eq!(
                decide(PrimaryOutcome::Refused(code)),
                Decision::Stay,
                "{code}"
            );
        }
        for outcome in [PrimaryOutcome::Timeout, PrimaryOutcome::Unusable] {
            assert_eq!(decide(outcome), Decision::Stay);
        }
    }

    #[test]
    fn the_rule_is_the_table_s_judgement_for_every_row() {
        for row in TABLE {
            let codes: Vec<&str> = match row.codes {
                Codes::Exact(codes) => codes.to_vec(),
                Codes::Family(name) => vec![name],
            };
            for code in codes {
                let moves = decide(PrimaryOutcome::Refused(code)) != Decision::Stay;
                let judgement = judge(code);
                assert_eq!(
                    moves,
                    judgement.delivery.is_none()
                        && matches!(
                            judgement.logto,
                            ErrorCode::InvalidConfig | ErrorCode::UsageLimitExceeded
                        ),
                    "{code}"
                );
            }
        }
    }

    #[test]
    fn only_connection_failures_before_writing_move_the_send() {
        let network = |code, syscall| PrimaryOutcome::Network {
            cause_code: code,
            syscall,
        };
        for (code, syscall) in [
            (Some("ECONNREFUSED"), None),
            (Some("ENOTFOUND"), Some("getaddrinfo")),
            (Some("EAI_AGAIN"), Some("getaddrinfo")),
            (Some("EHOSTUNREACH"), Some("connect")),
            (Some("UND_ERR_CONNECT_TIMEOUT"), None),
            (Some("CERT_HAS_EXPIRED"), None),
        ] {
            assert_eq!(
                decide(network(code, syscall)),
                Decision::FailOver { cool_down: false },
                "{code:?}"
            );
        }
        for (code, syscall) in [
            (Some("ECONNRESET"), Some("read")),
            (Some("EHOSTUNREACH"), Some("read")),
            (Some("ENETUNREACH"), None),
            (Some("EPIPE"), Some("write")),
            (Some("UND_ERR_SOCKET"), None),
            (None, None),
        ] {
            assert_eq!(decide(network(code, syscall)), Decision::Stay, "{code:?}");
        }
        assert_eq!(
            decide(PrimaryOutcome::NotStarted),
            Decision::FailOver { cool_down: false }
        );
    }

    #[test]
    fn the_more_useful_code_wins_and_both_outcomes_are_kept() {
        let mut primary = ConnectorError::new(ErrorCode::UsageLimitExceeded, "package empty");
        primary.data.tencent_code = Some("FailedOperation.InsufficientBalanceInSmsPackage".into());
        primary.data.request_id = Some("req-primary".into());
        let mut fallback = ConnectorError::new(ErrorCode::General, "timed out");
        fallback.data.delivery = Some(Delivery::Unknown);
        let both = both_failed(primary.clone(), fallback);
        assert_eq!(both.code, ErrorCode::UsageLimitExceeded);
        assert_eq!(both.data.error_description, "package empty");
        assert_eq!(both.data.delivery, Some(Delivery::Unknown));
        assert_eq!(both.data.route, Some(Route::Fallback));
        assert!(both.message().contains("timed out") && both.message().contains("package empty"));
        let nested = both.data.primary_error.as_ref().unwrap();
        assert_eq!(nested.data.request_id.as_deref(), Some("req-primary"));
        let number = ConnectorError::new(ErrorCode::RateLimitExceeded, "wait");
        assert_eq!(
            both_failed(primary, number).code,
            ErrorCode::RateLimitExceeded
        );
    }

    #[test]
    fn the_gateway_gets_the_http_sms_connector_s_payload() {
        let gateway = gateway_of(http("https://gw.example.com/sms/send?x=1")).unwrap();
        assert_eq!(gateway.url, "https://gw.example.com/sms/send?x=1");
        let message = r#"{"to":"8613711112222","type":"SignIn","payload":{"code":"123456","locale":"en"},"ip":"203.0.113.9"}"#;
        let request = gateway_request(&gateway, message);
        assert_eq!(
            request.body,
            r#"{"to":"8613711112222","type":"SignIn","payload":{"code":"123456","locale":"en"},"ip":"203.0.113.9"}"#
        );
        assert_eq!(
            request.headers,
            [
                ("Content-Type", "application/json".to_owned()),
                ("Authorization", "Bearer t0ken-Value".to_owned())
            ]
        );
        let without_ip = r#"{"to":"1","type":"SignIn","payload":{"code":"1"},"ip":""}"#;
        assert_eq!(
            gateway_request(&gateway, without_ip).body,
            r#"{"to":"1","type":"SignIn","payload":{"code":"1"}}"#
        );
        let anonymous =
            gateway_of(json!({ "type": "http", "endpoint": "http://127.0.0.1:8080" })).unwrap();
        assert_eq!(anonymous.url, "http://127.0.0.1:8080/");
        assert_eq!(gateway_request(&anonymous, without_ip).headers.len(), 1);
    }

    #[test]
    fn gateway_urls_are_checked_like_the_endpoint() {
        for (bad, code) in [
            ("gw.example.com/send", "invalid_endpoint"),
            ("https://user:pw@gw.example.com/", "invalid_endpoint"),
            ("https://gw.example.com/a b", "invalid_endpoint"),
            ("https://gw.example.com/#x", "invalid_endpoint"),
            ("http://gw.example.com/send", "insecure_endpoint"),
            ("https://gw.example.com:25/send", "blocked_port"),
            ("https://127.1/send", "invalid_endpoint"),
        ] {
            let report = gateway_of(http(bad)).unwrap_err();
            assert_eq!(report.errors[0].code, code, "{bad}");
            assert_eq!(
                serde_json::to_string(&report.errors[0].path).unwrap(),
                r#"["fallback","endpoint"]"#
            );
            assert!(report.errors[0].message.starts_with("fallback.endpoint"));
        }
        let report = gateway_of(json!({ "type": "http", "endpoint": "https://gw.example.com/", "authorization": "Bearer 令牌" })).unwrap_err();
        assert_eq!(report.errors[0].code, "invalid_fallback");
        let report = gateway_of(json!({ "type": "http", "authorization": "a\nb" })).unwrap_err();
        let codes: Vec<_> = report
            .errors
            .iter()
            .map(|issue| issue.code.as_str())
            .collect();
        assert_eq!(codes, ["invalid_fallback", "required"]);
    }

    #[test]
    fn a_tencent_fallback_is_checked_by_the_top_level_checks_at_fallback_paths() {
        let mut config = valid();
        let mut second = valid();
        second["type"] = json!("tencent");
        second["accessKeyId"] = json!("AKIDsecondaccount0000000000000000000");
        second["templates"][0]["templateCode"] = json!(7);
        second["regoin"] = json!("typo");
        config["fallback"] = second;
        let (validation, parsed) = config::validate(&config);
        assert!(parsed.is_none());
        let paths: Vec<_> = validation
            .errors
            .iter()
            .chain(&validation.warnings)
            .map(|issue| serde_json::to_string(&issue.path).unwrap())
            .collect();
        assert_eq!(
            paths,
            [
                r#"["fallback","templates",0,"templateCode"]"#,
                r#"["fallback","regoin"]"#
            ]
        );
        assert!(validation.errors[0].message.starts_with("fallback: "));
        config["fallback"]["templates"][0]["templateCode"] = json!("2001");
        config["fallback"]["fallback"] = json!({});
        let (validation, _) = config::validate(&config);
        assert_eq!(validation.errors[0].code, "invalid_fallback");
        config["fallback"]
            .as_object_mut()
            .unwrap()
            .remove("fallback");
        // The top level's send limits apply to every send: a fallback's own are refused.
        for (key, value) in [
            (
                "sendLimits",
                json!([{ "by": "ip", "max": 5, "perSeconds": 3600 }]),
            ),
            ("trustedIps", json!(["10.0.0.0/8"])),
        ] {
            config["fallback"][key] = value;
            let (validation, _) = config::validate(&config);
            assert_eq!(validation.errors.len(), 1, "{key}");
            assert_eq!(validation.errors[0].code, "invalid_fallback", "{key}");
            assert_eq!(
                serde_json::to_string(&validation.errors[0].path).unwrap(),
                format!(r#"["fallback","{key}"]"#)
            );
            config["fallback"].as_object_mut().unwrap().remove(key);
        }
        let parsed = config::parse(&config).unwrap();
        let Some(Fallback::Tencent(fallback)) = parsed.fallback.as_deref() else {
            panic!("a Tencent fallback");
        };
        assert_eq!(fallback.templates[0].template_code, "2001");
        assert!(fallback.fallback.is_none());
        assert_eq!(parsed.fallback_cooldown_seconds, DEFAULT_COOLDOWN_SECONDS);
    }

    #[test]
    fn no_fallback_is_absent_null_or_empty_and_the_cooldown_is_bounded() {
        for none in [json!(null), json!({})] {
            let mut config = valid();
            config["fallback"] = none;
            assert!(config::parse(&config).unwrap().fallback.is_none());
        }
        let mut config = valid();
        for bad in [
            json!("http"),
            json!({ "type": "smtp" }),
            json!({ "endpoint": "x" }),
        ] {
            config["fallback"] = bad.clone();
            let (validation, _) = config::validate(&config);
            assert_eq!(validation.errors[0].code, "invalid_fallback", "{bad}");
        }
        let mut config = valid();
        for (value, seconds) in [(json!(0), Some(0)), (json!(86_400), Some(86_400))] {
            config["fallbackCooldownSeconds"] = value;
            assert_eq!(
                config::parse(&config)
                    .ok()
                    .map(|c| c.fallback_cooldown_seconds),
                seconds
            );
        }
        for bad in [
            json!(-1),
            json!(86_401),
            json!(1.5),
            json!(null),
            json!("60"),
        ] {
            config["fallbackCooldownSeconds"] = bad.clone();
            let (validation, _) = config::validate(&config);
            assert_eq!(
                serde_json::to_string(&validation.errors[0].path).unwrap(),
                r#"["fallbackCooldownSeconds"]"#,
                "{bad}"
            );
        }
    }

    #[test]
    fn the_same_account_as_a_fallback_is_warned_about() {
        let mut config = valid();
        let mut same = valid();
        same["type"] = json!("tencent");
        config["fallback"] = same;
        let (validation, parsed) = config::validate(&config);
        assert!(parsed.is_some());
        let codes: Vec<_> = validation
            .warnings
            .iter()
            .map(|issue| issue.code.as_str())
            .collect();
        assert_eq!(codes, ["fallback_same_account"]);
    }

    #[test]
    fn secrets_of_both_routes_never_come_back() {
        let mut config = valid();
        let mut second = valid();
        second["type"] = json!("tencent");
        second["accessKeyId"] = json!("AKIDsecondaccount0000000000000000000");
        second["accessKeySecret"] = json!("SecondSecretKey0123456789abcdefgh");
        // Pasted into fields the validator quotes back.
        second["region"] = json!("SecondSecretKey0123456789abcdefgh");
        config["region"] = json!("SecondSecretKey0123456789abcdefgh");
        config["fallback"] = second;
        let (validation, _) = config::validate(&config);
        let shown = serde_json::to_string(&validation).unwrap();
        assert!(!shown.contains("SecondSecretKey"), "{shown}");
        // `Debug` never formats a secret field (a secret pasted elsewhere is the caller's).
        config["region"] = json!("ap-guangzhou");
        config["fallback"]["region"] = json!("ap-guangzhou");
        let shown = format!("{:?}", config::parse(&config).unwrap());
        assert!(!shown.contains("SecondSecretKey"), "{shown}");

        let mut config = valid();
        config["fallback"] = http("https://gw.example.com/send");
        config["fallback"]["authorization"] = json!("Bearer gateway-token-123456");
        config["region"] = json!("Bearer gateway-token-123456");
        let (validation, _) = config::validate(&config);
        let shown = serde_json::to_string(&validation).unwrap();
        assert!(!shown.contains("gateway-token"), "{shown}");
        config["region"] = json!("ap-guangzhou");
        let shown = format!("{:?}", config::parse(&config).unwrap());
        assert!(!shown.contains("gateway-token"), "{shown}");
    }
}
