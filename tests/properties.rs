//! Property tests: random and hostile input for every public pure function. Each property checks
//! that nothing panics and something a user of the connector would notice if it broke.
// proptest is a native-only dev-dependency; the wasm tests live in tests/wasm.rs.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::{json, Map, Value};
use tencent_sms_connector::config::{self, ROOT_KEYS, TEMPLATE_KEYS};
use tencent_sms_connector::error::{Delivery, ErrorCode};
use tencent_sms_connector::phone;
use tencent_sms_connector::redact;
use tencent_sms_connector::response::{self, Retryable, EXCERPT_CHARS as MAX_EXCERPT_CHARS};
use tencent_sms_connector::retry::{
    is_plausible_clock_offset, Next, RetryPolicy, MAX_ATTEMPTS, MAX_RATE_LIMIT_RETRIES,
};
use tencent_sms_connector::send_sms;
use tencent_sms_connector::tc3::{
    self, SignInput, SigningKeys, DEFAULT_SIGNED_HEADERS, MAX_TIMESTAMP,
};
use tencent_sms_connector::time::{parse_http_date, utc_date};
use tencent_sms_connector::validation::{PathSegment, Validation, MAX_ISSUES};

/// The usage types of `valid_config`'s templates, in order.
const USAGE_TYPES: [&str; 4] = ["SignIn", "Register", "ForgotPassword", "Generic"];
/// This test's own bound on one issue's message: no crate constant states it.
const MAX_MESSAGE_CHARS: usize = 400;
const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
/// IMF-fixdate's shape with fields of any width, to probe the parser's range checks.
const HTTP_DATE_LIKE: &str =
    "[A-Za-z]{3}, [0-9]{1,3} [A-Za-z]{3} [0-9]{3,5} [0-9]{1,3}:[0-9]{1,3}:[0-9]{1,3} [A-Z]{3}";
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The valid config every test layer shares.
fn valid_config() -> Value {
    serde_json::from_str(include_str!("fixtures/valid-config.json")).unwrap()
}

#[test]
fn the_fixture_has_a_template_per_usage_type_in_order() {
    let fixture = valid_config();
    let usage_types: Vec<_> = fixture["templates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|template| template["usageType"].as_str().unwrap())
        .collect();
    assert_eq!(usage_types, USAGE_TYPES);
}

// ---------------------------------------------------------------------------------------------
// Strategies

/// Short text: mostly plausible characters, sometimes any (controls, non-BMP, combining marks).
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-zA-Z0-9 ._:/+-]{0,12}",
        1 => prop::collection::vec(any::<char>(), 0..12).prop_map(String::from_iter),
    ]
}

/// Object keys that often hit the fields the validator looks at.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => prop::sample::select(ROOT_KEYS.to_vec()).prop_map(str::to_owned),
        1 => prop::sample::select(TEMPLATE_KEYS.to_vec()).prop_map(str::to_owned),
        2 => text(),
    ]
}

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        // Around the timeoutMs bounds.
        (0_u64..70_000).prop_map(Value::from),
        text().prop_map(Value::String),
    ]
}

/// Any JSON value, at most three levels deep and a few dozen nodes.
fn json_value() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(3, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// Values a config field plausibly gets, valid or not, besides any JSON.
fn field_value() -> impl Strategy<Value = Value> {
    let plausible = prop::sample::select(vec![
        "sms.ap-guangzhou.tencentcloudapi.com",
        "https://SMS.tencentcloudapi.com:443/",
        "http://127.0.0.1:8080",
        "http://[::1]:9",
        "http://example.com",
        "https://u@x/path",
        "sms.intl.tencentcloudapi.com",
        "http://127.000.000.001:8080",
        "http://localhost:080",
        "http://[0:0::1]",
        "https://[.]",
        "http://127.0.0.1:9",
        "<template-code>",
        "{code}",
        "ap-beijing",
        "zh-CN",
        "en-US",
        "Generic",
        "SignIn",
        " AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        "",
        "1400006666",
    ]);
    let params = prop::collection::vec(
        prop_oneof![Just("{code}".to_owned()), "[0-9]{0,7}", text(),],
        0..4,
    )
    .prop_map(|params| json!(params));
    prop_oneof![
        4 => json_value(),
        2 => plausible.prop_map(Value::from),
        1 => params,
    ]
}

#[derive(Debug, Clone)]
enum Mutation {
    Set(String, Value),
    Remove(String),
    SetInTemplate(usize, String, Value),
    RemoveFromTemplate(usize, String),
    ReplaceTemplate(usize, Value),
    AddTemplate(Value, Value),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (key(), field_value()).prop_map(|(key, value)| Mutation::Set(key, value)),
        key().prop_map(Mutation::Remove),
        (0_usize..5, key(), field_value())
            .prop_map(|(index, key, value)| Mutation::SetInTemplate(index, key, value)),
        (0_usize..5, key()).prop_map(|(index, key)| Mutation::RemoveFromTemplate(index, key)),
        (0_usize..5, json_value())
            .prop_map(|(index, value)| Mutation::ReplaceTemplate(index, value)),
        (field_value(), field_value())
            .prop_map(|(usage_type, code)| Mutation::AddTemplate(usage_type, code)),
    ]
}

fn template(config: &mut Value, index: usize) -> Option<&mut Value> {
    config.get_mut("templates")?.get_mut(index)
}

fn apply(config: &mut Value, mutation: &Mutation) {
    match mutation {
        Mutation::Set(key, value) => config[key.as_str()] = value.clone(),
        Mutation::Remove(key) => {
            config.as_object_mut().map(|root| root.remove(key));
        }
        Mutation::SetInTemplate(index, key, value) => {
            if let Some(Value::Object(item)) = template(config, *index) {
                item.insert(key.clone(), value.clone());
            }
        }
        Mutation::RemoveFromTemplate(index, key) => {
            if let Some(Value::Object(item)) = template(config, *index) {
                item.remove(key);
            }
        }
        Mutation::ReplaceTemplate(index, value) => {
            if let Some(item) = template(config, *index) {
                *item = value.clone();
            }
        }
        Mutation::AddTemplate(usage_type, code) => {
            if let Some(Value::Array(items)) = config.get_mut("templates") {
                items.push(json!({ "usageType": usage_type, "templateCode": code }));
            }
        }
    }
}

/// The valid config after a few random edits: mostly near-valid, which is where bugs hide.
fn mutated_config() -> impl Strategy<Value = Value> {
    prop::collection::vec(mutation(), 0..6).prop_map(|mutations| {
        let mut config = valid_config();
        for mutation in &mutations {
            apply(&mut config, mutation);
        }
        config
    })
}

/// A secret that cannot occur by chance in generated text, nor in "[redacted]".
fn secret() -> impl Strategy<Value = String> {
    "[A-Za-z0-9]{12,40}"
}

/// Logto's form of a phone number: digits with the country code.
fn phone_digits() -> impl Strategy<Value = String> {
    prop_oneof!["86[1-9][0-9]{10}", "[1-9][0-9]{6,14}",]
}

fn error_code() -> impl Strategy<Value = String> {
    let known = prop::sample::select(vec![
        "Ok",
        "OK",
        "ok",
        "AuthFailure.SignatureExpire",
        "AuthFailure.SignatureFailure",
        "AuthFailure.Whatever",
        "RequestLimitExceeded",
        "RequestLimitExceeded.PhoneNumberDailyLimit",
        "LimitExceeded.PhoneNumberDailyLimit",
        "InternalError.Timeout",
        "ServiceUnavailable",
        "FailedOperation.TemplateIncorrectOrUnapproved",
    ]);
    prop_oneof![
        2 => known.prop_map(str::to_owned),
        1 => "[A-Za-z]{1,12}(\\.[A-Za-z]{1,12})?",
        1 => text(),
        1 => "[A-Za-z.]{90,120}",
    ]
}

/// The parts of a SendSms answer a server controls.
#[derive(Debug, Clone)]
struct Answer {
    request_id: Option<String>,
    /// A request-level `Response.Error` (code, message) instead of a per-number status.
    error: Option<(String, String)>,
    code: String,
    message: String,
    phone_number: String,
    serial_no: String,
    fee: Value,
    iso_code: String,
}

impl Answer {
    fn to_json(&self) -> Value {
        let mut response = Map::new();
        if let Some(id) = &self.request_id {
            response.insert("RequestId".into(), json!(id));
        }
        match &self.error {
            Some((code, message)) => {
                response.insert("Error".into(), json!({ "Code": code, "Message": message }));
            }
            None => {
                let status = json!({
                    "Code": self.code,
                    "Message": self.message,
                    "PhoneNumber": self.phone_number,
                    "SerialNo": self.serial_no,
                    "Fee": self.fee,
                    "IsoCode": self.iso_code,
                });
                response.insert("SendStatusSet".into(), json!([status]));
            }
        }
        json!({ "Response": response })
    }
}

fn answer() -> impl Strategy<Value = Answer> {
    let long_text = prop_oneof![3 => text(), 1 => "[a-z0-9]{120,400}"];
    (
        prop::option::of(long_text.clone()),
        prop::option::of((error_code(), long_text.clone())),
        error_code(),
        long_text.clone(),
        long_text.clone(),
        text(),
        json_leaf(),
        text(),
    )
        .prop_map(
            |(request_id, error, code, message, phone_number, serial_no, fee, iso_code)| Answer {
                request_id,
                error,
                code,
                message,
                phone_number,
                serial_no,
                fee,
                iso_code,
            },
        )
}

/// `sendMessage` data shaped like Logto's, with any value in each field.
fn message_data() -> impl Strategy<Value = Value> {
    (
        prop_oneof![
            phone_digits().prop_map(Value::from),
            "[+0-9 ]{0,18}".prop_map(Value::from),
            json_leaf(),
        ],
        prop_oneof![text().prop_map(Value::from), json_leaf()],
        prop_oneof![verification_code(), json_leaf()],
    )
        .prop_map(|(to, kind, code)| json!({ "to": to, "type": kind, "payload": { "code": code } }))
}

/// A non-empty code as Logto passes it: usually a string, possibly a number.
fn verification_code() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => prop::collection::vec(any::<char>(), 1..16)
            .prop_map(|chars| Value::from(String::from_iter(chars))),
        1 => any::<u64>().prop_map(Value::from),
    ]
}

fn usage_type() -> impl Strategy<Value = String> {
    let known = prop::sample::select(vec![
        "SignIn",
        "Register",
        "ForgotPassword",
        "Generic",
        "BindMfa",
        "MfaVerification",
    ]);
    prop_oneof![known.prop_map(str::to_owned), "[A-Za-z]{1,12}"]
}

// ---------------------------------------------------------------------------------------------
// Checks shared by several properties

/// What the connector promises for echoed text: the first `max` characters, then "…" if cut.
fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() > max {
        text.chars().take(max).chain(['…']).collect()
    } else {
        text.to_owned()
    }
}

fn is_e164(number: &str) -> bool {
    number.strip_prefix('+').is_some_and(|digits| {
        (7..=15).contains(&digits.len())
            && digits.bytes().all(|byte| byte.is_ascii_digit())
            && !digits.starts_with('0')
    })
}

/// Validation's promises for any input; returns the report for further checks.
fn check_validation(value: &Value) -> Result<(Validation, Option<config::Config>), TestCaseError> {
    let (validation, parsed) = config::validate(value);
    prop_assert_eq!(validation.valid, validation.errors.is_empty());
    prop_assert_eq!(parsed.is_some(), validation.valid);
    prop_assert!(validation.errors.len() <= MAX_ISSUES);
    prop_assert!(validation.warnings.len() <= MAX_ISSUES);
    // Each code is an error or a warning, never both: README and index.d.ts list them so.
    prop_assert!(validation.errors.iter().all(|issue| issue.code.is_error()));
    prop_assert!(validation
        .warnings
        .iter()
        .all(|issue| !issue.code.is_error()));
    for issue in validation.errors.iter().chain(&validation.warnings) {
        prop_assert!(!issue.message.is_empty());
        prop_assert!(
            issue.message.chars().count() <= MAX_MESSAGE_CHARS,
            "message too long: {}",
            issue.message
        );
        // Only a non-object root has an issue about the whole config.
        prop_assert_eq!(issue.path.is_empty(), !value.is_object(), "{:?}", issue);
    }
    // Sending needs only its own template, so the required usage types do not block parse().
    let blocking: Vec<_> = validation
        .errors
        .iter()
        .filter(|issue| issue.code.blocks_sending())
        .cloned()
        .collect();
    match config::parse(value) {
        Ok(config) => {
            prop_assert!(blocking.is_empty(), "{:?}", blocking);
            if validation.valid {
                prop_assert_eq!(Some(config), parsed.clone());
            }
        }
        Err(error) => {
            prop_assert_eq!(error.code, ErrorCode::InvalidConfig);
            prop_assert!(!blocking.is_empty());
            prop_assert_eq!(&error.data.issues, &blocking);
            // The summary names at most three issues.
            prop_assert!(error.message().chars().count() <= 3 * MAX_MESSAGE_CHARS + 100);
        }
    }
    Ok((validation, parsed))
}

/// Everything an invalid_response failure must say.
fn check_invalid_response(
    failure: &response::Failure,
    status: u16,
    body: &[u8],
) -> Result<(), TestCaseError> {
    let error = &failure.error;
    prop_assert_eq!(error.code, ErrorCode::InvalidResponse);
    prop_assert_eq!(error.data.status, Some(status));
    prop_assert_eq!(error.data.delivery, Some(Delivery::Unknown));
    prop_assert_eq!(failure.retryable, None);
    let excerpt = error.data.body_excerpt.as_deref().unwrap_or_default();
    prop_assert!(excerpt.chars().count() <= MAX_EXCERPT_CHARS);
    prop_assert!(!excerpt.chars().any(char::is_control), "{:?}", excerpt);
    // A readable body shows its start unchanged (escapes are decoded, so that a `\u` escape
    // cannot hide the secret from redaction).
    if let Ok(text) = std::str::from_utf8(body) {
        if !text
            .chars()
            .any(|character| character.is_control() || character == '\\')
        {
            let start: String = text.chars().take(MAX_EXCERPT_CHARS).collect();
            prop_assert_eq!(excerpt, start);
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Independent calendar arithmetic for the date oracles

fn is_leap(year: u64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: u64, month: usize) -> u64 {
    match month {
        1 if is_leap(year) => 29,
        1 => 28,
        3 | 5 | 8 | 10 => 30,
        _ => 31,
    }
}

/// (year, month index, day of month, weekday index) of a Unix timestamp, counted day by day.
fn civil(timestamp: u64) -> (u64, usize, u64, usize) {
    let mut days = timestamp / 86_400;
    // 1970-01-01 was a Thursday.
    let weekday = ((days + 4) % 7) as usize;
    let mut year = 1970;
    while days >= if is_leap(year) { 366 } else { 365 } {
        days -= if is_leap(year) { 366 } else { 365 };
        year += 1;
    }
    let mut month = 0;
    while days >= days_in_month(year, month) {
        days -= days_in_month(year, month);
        month += 1;
    }
    (year, month, days + 1, weekday)
}

fn imf_fixdate(timestamp: u64) -> String {
    let (year, month, day, weekday) = civil(timestamp);
    let seconds = timestamp % 86_400;
    format!(
        "{}, {day:02} {} {year:04} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[weekday],
        MONTHS[month],
        seconds / 3_600,
        seconds / 60 % 60,
        seconds % 60
    )
}

fn timestamp_of(year: u64, month: usize, day: u64, seconds_of_day: u64) -> u64 {
    let year_days: u64 = (1970..year)
        .map(|year| if is_leap(year) { 366 } else { 365 })
        .sum();
    let month_days: u64 = (0..month).map(|month| days_in_month(year, month)).sum();
    (year_days + month_days + day - 1) * 86_400 + seconds_of_day
}

// ---------------------------------------------------------------------------------------------
// Properties

proptest! {
    // Failures are reported with their shrunk input; nothing is written next to the tests.
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn validate_is_consistent_for_any_json(value in json_value()) {
        check_validation(&value)?;
    }

    #[test]
    fn validate_is_consistent_for_mutated_configs(value in mutated_config()) {
        let (_, parsed) = check_validation(&value)?;
        if let Some(config) = parsed {
            // A valid config is taken as written: no field is silently trimmed or replaced.
            prop_assert_eq!(Some(config.access_key_id.as_str()), value["accessKeyId"].as_str());
            prop_assert_eq!(
                Some(config.access_key_secret.as_str()),
                value["accessKeySecret"].as_str()
            );
            prop_assert_eq!(Some(config.sign_name.as_str()), value["signName"].as_str());
            prop_assert_eq!(Some(config.sdk_app_id.as_str()), value["sdkAppId"].as_str());
            prop_assert_eq!(Some(config.region.as_str()), value["region"].as_str());
            let items = value["templates"].as_array().map(Vec::len);
            prop_assert_eq!(Some(config.templates.len()), items);
            // A required type sends its own template or Generic, but never a code that is not a
            // template ID (e.g. an untouched "<template-code>").
            let usable = |wanted: &str| {
                config.templates.iter().any(|template| {
                    template.usage_type == wanted
                        && template.locale.is_none()
                        && config::is_template_id(&template.template_code)
                })
            };
            for usage_type in USAGE_TYPES {
                let chosen = config.template_for(usage_type);
                prop_assert_eq!(chosen.is_some(), usable(usage_type) || usable("Generic"));
                if let Some(template) = chosen {
                    prop_assert!(config::is_template_id(&template.template_code));
                    let has_code = template.template_params.iter().any(|param| param.contains(config::CODE_PLACEHOLDER));
                    prop_assert!(has_code);
                }
            }
            if let Some(port) = config.endpoint.host.rsplit_once(':').and_then(|(_, port)| port.parse::<u16>().ok()) {
                prop_assert!(!tencent_sms_connector::endpoint::BAD_PORTS.contains(&port));
            }
            // What was accepted is already in the form fetch sends: parsing it again changes nothing.
            let reparsed = config::parse_endpoint(&config.endpoint.url);
            prop_assert_eq!(reparsed, Ok(config.endpoint.clone()));
            prop_assert!((100..=60_000).contains(&config.timeout_ms));
            prop_assert!(config.endpoint.url.ends_with('/'));
            prop_assert!(config.endpoint.url.contains(&config.endpoint.host));
        }
    }

    #[test]
    fn unknown_keys_only_warn(
        root_extra in prop::collection::btree_map(
            text().prop_filter("unknown", |key| !ROOT_KEYS.contains(&key.as_str())),
            json_value(),
            1..8,
        ),
        template_extra in prop::collection::btree_map(
            text().prop_filter("unknown", |key| !TEMPLATE_KEYS.contains(&key.as_str())),
            json_value(),
            0..4,
        ),
    ) {
        let mut value = valid_config();
        for (key, extra) in &root_extra {
            value[key.as_str()] = extra.clone();
        }
        for (key, extra) in &template_extra {
            value["templates"][0][key.as_str()] = extra.clone();
        }
        let (validation, parsed) = check_validation(&value)?;
        prop_assert!(validation.valid, "{:?}", validation.errors);
        prop_assert_eq!(parsed, config::validate(&valid_config()).1);
        prop_assert!(validation.warnings.iter().all(|issue| issue.code == "unknown_key"));
        prop_assert_eq!(validation.warnings.len(), root_extra.len() + template_extra.len());
        for key in root_extra.keys() {
            let path = vec![PathSegment::Key(key.clone())];
            prop_assert!(validation.warnings.iter().any(|issue| issue.path == path), "{}", key);
        }
        for key in template_extra.keys() {
            let path = vec!["templates".into(), 0.into(), PathSegment::Key(key.clone())];
            prop_assert!(validation.warnings.iter().any(|issue| issue.path == path), "{}", key);
        }
    }

    #[test]
    fn the_secret_is_never_echoed_nor_sent(
        secret in secret(),
        padding in prop::sample::select(vec!["", " ", "\t", "\n"]),
        mut value in mutated_config(),
        recipient in phone_digits(),
    ) {
        value["accessKeySecret"] = json!(format!("{padding}{secret}{padding}"));
        let report = serde_json::to_string(&config::validate(&value).0).unwrap();
        prop_assert!(!report.contains(&secret), "{}", report);
        let parsed = config::parse(&value);
        if let Err(error) = &parsed {
            let error = serde_json::to_string(error).unwrap();
            prop_assert!(!error.contains(&secret), "{}", error);
        }
        if let Ok(config) = parsed {
            let message = send_sms::parse_message(
                &json!({ "to": recipient, "type": "SignIn", "payload": { "code": "123456" } }),
            ).unwrap();
            match send_sms::build_request(&config, &message, 1_700_000_000, &mut SigningKeys::default()) {
                Ok(request) => {
                    prop_assert!(!request.body.contains(&secret));
                    for (name, header) in &request.headers {
                        prop_assert!(!header.contains(&secret), "{}: {}", name, header);
                    }
                }
                Err(error) => {
                    let error = serde_json::to_string(&error).unwrap();
                    prop_assert!(!error.contains(&secret), "{}", error);
                }
            }
        }
    }

    #[test]
    fn any_answer_is_a_result_or_an_explained_failure(
        status in prop_oneof![3 => Just(200_u16), 1 => any::<u16>()],
        body in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..1200),
            json_value().prop_map(|value| serde_json::to_vec(&value).unwrap()),
            answer().prop_map(|answer| serde_json::to_vec(&answer.to_json()).unwrap()),
        ],
        truncated in prop::bool::weighted(0.1),
    ) {
        match response::parse(status, &body, truncated, "") {
            Ok(result) => {
                prop_assert!(status == 200 && !truncated);
                let answer: Value = serde_json::from_slice(&body).unwrap();
                let code = answer["Response"]["SendStatusSet"][0]["Code"].as_str();
                prop_assert!(code.is_some_and(|code| code.eq_ignore_ascii_case("ok")));
                prop_assert!(result.request_id.chars().count() <= 129);
                prop_assert!(result.phone_number.chars().count() <= 129);
            }
            Err(failure) => {
                prop_assert!(!failure.error.message().is_empty());
                prop_assert!(!failure.error.data.error_description.is_empty());
                let unusable = status != 200
                    || truncated
                    || !matches!(serde_json::from_slice(&body), Ok(Value::Object(_)));
                if unusable || failure.error.code == ErrorCode::InvalidResponse {
                    check_invalid_response(&failure, status, &body)?;
                }
            }
        }
    }

    #[test]
    fn tencent_answers_are_classified_by_code(answer in answer()) {
        let body = serde_json::to_vec(&answer.to_json()).unwrap();
        let parsed = response::parse(200, &body, false, "");
        let request_id = answer.request_id.as_deref().map(|id| shortened(id, 128));
        let code = match &answer.error {
            None if answer.code.eq_ignore_ascii_case("ok") => {
                let result = parsed.unwrap();
                prop_assert_eq!(result.request_id, request_id.clone().unwrap_or_default());
                prop_assert_eq!(result.phone_number, shortened(&answer.phone_number, 128));
                prop_assert_eq!(result.serial_no, shortened(&answer.serial_no, 128));
                prop_assert_eq!(result.iso_code, shortened(&answer.iso_code, 128));
                prop_assert_eq!(result.fee, answer.fee.as_u64().unwrap_or(0));
                return Ok(());
            }
            None => &answer.code,
            Some((code, _)) => code,
        };
        let failure = parsed.unwrap_err();
        let error = &failure.error;
        prop_assert_ne!(error.code, ErrorCode::InvalidResponse);
        let tencent_code = shortened(code, 100);
        prop_assert_eq!(error.data.tencent_code.as_ref(), Some(&tencent_code));
        prop_assert_eq!(&error.data.request_id, &request_id);
        prop_assert!(error.message().contains(&tencent_code));
        // Per-number failures say which number; request-level ones have none to say.
        let phone_number = answer.error.is_none().then(|| shortened(&answer.phone_number, 128));
        prop_assert_eq!(&error.data.phone_number, &phone_number);
        let family = code.split('.').next().unwrap_or_default();
        let expected_retry = if code == "AuthFailure.SignatureExpire" {
            Some(Retryable::SignatureExpired)
        } else if family == "RequestLimitExceeded" {
            Some(Retryable::RateLimited)
        } else {
            None
        };
        prop_assert_eq!(failure.retryable, expected_retry);
    }

    /// Redaction removes the secret from every string shown, whichever field of the answer a
    /// misbehaving server echoed it in.
    #[test]
    fn redaction_removes_a_secret_echoed_anywhere(
        secret in secret(),
        mut answer in answer(),
        field in 0_usize..7,
        status in prop_oneof![Just(200_u16), Just(502_u16)],
    ) {
        match field {
            1 => answer.request_id = Some(secret.clone()),
            2 => answer.error = Some((secret.clone(), "m".into())),
            3 => answer.error = Some(("InternalError".into(), format!("echo {secret}"))),
            4 => {
                answer.error = None;
                answer.code = secret.clone();
            }
            5 => {
                answer.error = None;
                answer.code = "Fail".into();
                answer.message = secret.clone();
            }
            6 => {
                answer.error = None;
                answer.code = "Fail".into();
                answer.phone_number = secret.clone();
            }
            _ => {}
        }
        // Field 0: not JSON at all, as from a proxy.
        let body = match field {
            0 => format!("<html>{secret}</html>").into_bytes(),
            _ => serde_json::to_vec(&answer.to_json()).unwrap(),
        };
        // Parsing alone redacts, before any field is cut: no run of 8 of the secret's characters
        // may survive, however the answer placed or escaped it.
        let shown = match response::parse(status, &body, false, &secret) {
            Ok(result) => serde_json::to_string(&result).unwrap(),
            Err(failure) => serde_json::to_string(&failure.error).unwrap(),
        };
        for start in 0..=secret.len() - redact::MIN_FRAGMENT_CHARS {
            let fragment = &secret[start..start + redact::MIN_FRAGMENT_CHARS];
            prop_assert!(!shown.contains(fragment), "{} survived in {}", fragment, shown);
        }
    }

    #[test]
    fn normalized_numbers_are_always_e164(
        raw in prop_oneof![
            "[+0-9 ()-]{0,20}",
            "(\\+|00)?[0-9]{0,18}",
            any::<String>(),
        ],
    ) {
        let digits = raw.strip_prefix('+').or_else(|| raw.strip_prefix("00")).unwrap_or(&raw);
        match phone::normalize(&raw) {
            Ok(number) => {
                prop_assert!(is_e164(number.as_str()), "{}", number.as_str());
                prop_assert_eq!(number.as_str().strip_prefix('+'), Some(digits));
                prop_assert_eq!(phone::normalize(number.as_str()), Ok(number.clone()));
            }
            Err(error) => {
                prop_assert!(!error.0.is_empty());
                prop_assert!(!is_e164(&format!("+{digits}")), "{:?} refused: {}", raw, error.0);
            }
        }
    }

    #[test]
    fn logto_digits_get_a_plus(digits in "[1-9][0-9]{6,14}") {
        let expected = format!("+{digits}");
        for raw in [digits.clone(), expected.clone(), format!("00{digits}")] {
            let number = phone::normalize(&raw).unwrap();
            prop_assert_eq!(number.as_str(), &expected);
            prop_assert_eq!(number.is_mainland_china(), digits.starts_with("86"));
        }
    }

    #[test]
    fn numbers_of_the_wrong_length_are_refused(
        digits in prop_oneof!["[1-9][0-9]{0,5}", "[1-9][0-9]{15,30}"],
    ) {
        prop_assert!(phone::normalize(&digits).is_err());
        let with_plus = format!("+{digits}");
        prop_assert!(phone::normalize(&with_plus).is_err());
    }

    #[test]
    fn dates_round_trip_through_imf_fixdate(timestamp in 0..=MAX_TIMESTAMP) {
        let (year, month, day, _) = civil(timestamp);
        prop_assert_eq!(utc_date(timestamp), format!("{year:04}-{:02}-{day:02}", month + 1));
        let header = imf_fixdate(timestamp);
        prop_assert_eq!(parse_http_date(&header), Some(timestamp), "{}", header);
    }

    #[test]
    fn utc_date_is_always_a_date(timestamp in any::<u64>()) {
        let date = utc_date(timestamp);
        let parts: Vec<&str> = date.split('-').collect();
        prop_assert_eq!(parts.len(), 3, "{}", date);
        prop_assert!(parts[0].len() >= 4 && parts[1].len() == 2 && parts[2].len() == 2);
        prop_assert!(date.bytes().all(|byte| byte.is_ascii_digit() || byte == b'-'));
    }

    #[test]
    fn http_date_fields_are_range_checked(
        weekday in prop::sample::select(WEEKDAYS.to_vec()),
        day in 0_u64..=40,
        month in 0_usize..12,
        year in 1960_u64..=9999,
        hour in 0_u64..=30,
        minute in 0_u64..=70,
        second in 0_u64..=70,
    ) {
        let header = format!(
            "{weekday}, {day:02} {} {year:04} {hour:02}:{minute:02}:{second:02} GMT",
            MONTHS[month]
        );
        // Impossible dates (31 Feb) are refused, not rolled over into the next month.
        let in_range = year >= 1970
            && (1..=days_in_month(year, month)).contains(&day)
            && hour <= 23
            && minute <= 59
            && second <= 60;
        let parsed = parse_http_date(&header);
        prop_assert_eq!(parsed.is_some(), in_range, "{}", header);
        if in_range && second < 60 {
            let expected = timestamp_of(year, month, day, hour * 3_600 + minute * 60 + second);
            prop_assert_eq!(parsed, Some(expected), "{}", header);
        }
    }

    #[test]
    fn any_text_is_a_date_or_none(
        value in prop_oneof![
            any::<String>(),
            HTTP_DATE_LIKE,
        ],
    ) {
        // The latest a parsed header can be: 9999-12-31 with day and second overflow allowed.
        if let Some(seconds) = parse_http_date(&value) {
            prop_assert!(seconds <= MAX_TIMESTAMP + 31 * 86_400, "{}", value);
        }
    }

    #[test]
    fn retries_are_bounded_and_only_after_provably_unprocessed_requests(
        failures in prop::collection::vec(
            (
                prop_oneof![
                    Just(None),
                    Just(Some(Retryable::SignatureExpired)),
                    Just(Some(Retryable::RateLimited)),
                ],
                prop_oneof![
                    Just(None),
                    (0..=MAX_TIMESTAMP).prop_map(|timestamp| Some(imf_fixdate(timestamp))),
                    text().prop_map(Some),
                ],
                -1e13_f64..1e13,
                -5_000_f64..20_000.0,
            ),
            0..10,
        ),
    ) {
        let mut policy = RetryPolicy::default();
        let (mut clock_corrections, mut rate_limit_delays) = (0, Vec::new());
        for (retryable, date, now_ms, remaining_ms) in failures {
            match policy.after_failure(retryable, date.as_deref(), now_ms, remaining_ms) {
                Next::GiveUp => {}
                Next::ImplausibleServerClock => {
                    prop_assert_eq!(retryable, Some(Retryable::SignatureExpired));
                    let server_seconds = date.as_deref().and_then(parse_http_date).unwrap();
                    let offset = server_seconds as f64 * 1_000.0 + 500.0 - now_ms;
                    prop_assert!(!is_plausible_clock_offset(offset));
                    // Counts as the one correction: a later expiry is not retried either.
                    clock_corrections += 1;
                }
                Next::Retry { delay_ms, clock_offset_ms: Some(offset) } => {
                    prop_assert!(is_plausible_clock_offset(offset), "followed a clock {} ms off", offset);
                    prop_assert_eq!(retryable, Some(Retryable::SignatureExpired));
                    prop_assert_eq!(delay_ms, 0.0);
                    let server_seconds = date.as_deref().and_then(parse_http_date).unwrap();
                    let server_ms = server_seconds as f64 * 1_000.0;
                    prop_assert_eq!(offset, server_ms + 500.0 - now_ms);
                    clock_corrections += 1;
                }
                Next::Retry { delay_ms, clock_offset_ms: None } => {
                    prop_assert_eq!(retryable, Some(Retryable::RateLimited));
                    // A retry must leave a second for the request itself.
                    prop_assert!(delay_ms + 1_000.0 <= remaining_ms);
                    rate_limit_delays.push(delay_ms);
                }
            }
        }
        prop_assert!(clock_corrections <= 1);
        prop_assert!(rate_limit_delays.len() <= usize::from(MAX_RATE_LIMIT_RETRIES));
        prop_assert_eq!(&rate_limit_delays[..], &[250.0, 500.0][..rate_limit_delays.len()]);
        prop_assert!(clock_corrections + rate_limit_delays.len() < usize::from(MAX_ATTEMPTS));
    }

    #[test]
    fn signatures_are_deterministic_and_cover_every_payload_byte(
        secret_key in secret(),
        secret_id in "[!-~]{1,24}",
        host in "[a-z0-9]{1,10}(\\.[a-z0-9]{1,10}){0,3}(:[1-9][0-9]{0,3})?",
        region in prop::option::of("[!-~]{1,16}"),
        token in prop::option::of("[ -~]{0,24}"),
        language in prop::option::of("[!-~]{1,8}"),
        content_type in "[!-~][ -~]{0,29}",
        timestamp in 0..MAX_TIMESTAMP,
        payload in prop::collection::vec(any::<u8>(), 1..256),
        changed_byte in any::<prop::sample::Index>(),
        bit in 0_u8..8,
        signed_optional in prop::collection::vec(any::<bool>(), 6),
    ) {
        // Sign the optional headers that have a value, in a random subset and mixed case.
        let optional = [
            ("X-TC-Action", true),
            ("x-tc-timestamp", true),
            ("X-TC-VERSION", true),
            ("x-tc-region", region.is_some()),
            ("x-tc-token", token.is_some()),
            ("x-tc-language", language.is_some()),
        ];
        let mut names: Vec<&str> = DEFAULT_SIGNED_HEADERS.to_vec();
        for ((name, has_value), signed) in optional.into_iter().zip(signed_optional) {
            if has_value && signed {
                names.push(name);
            }
        }
        let input = SignInput {
            secret_id: &secret_id,
            secret_key: &secret_key,
            service: "sms",
            host: &host,
            action: "SendSms",
            version: "2021-01-11",
            region: region.as_deref(),
            timestamp,
            payload: &payload,
            content_type: &content_type,
            token: token.as_deref(),
            language: language.as_deref(),
            signed_headers: &names,
        };
        let signed = tc3::sign(&input, &mut SigningKeys::default()).unwrap();
        prop_assert_eq!(&signed, &tc3::sign(&input, &mut SigningKeys::default()).unwrap());
        let steps = tc3::signing_steps(&input, &mut SigningKeys::default()).unwrap();
        let date = utc_date(timestamp);
        let prefix = format!(
            "TC3-HMAC-SHA256 Credential={secret_id}/{date}/sms/tc3_request, \
             SignedHeaders={}, Signature=",
            steps.signed_headers
        );
        prop_assert!(signed.authorization.starts_with(&prefix), "{}", signed.authorization);
        prop_assert!(signed.authorization.ends_with(&steps.signature));
        prop_assert_eq!(steps.signature.len(), 64);
        prop_assert!(steps.signature.bytes().all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f')));
        prop_assert!(signed.headers.contains(&("X-TC-Timestamp", timestamp.to_string())));
        for (name, value) in &signed.headers {
            prop_assert!(!value.contains(&secret_key), "{}: {}", name, value);
        }

        let mut changed = payload.clone();
        *changed_byte.get_mut(&mut changed) ^= 1 << bit;
        let resigned = tc3::sign(&SignInput { payload: &changed, ..input.clone() }, &mut SigningKeys::default()).unwrap();
        prop_assert_ne!(&resigned.authorization, &signed.authorization);
        let later = tc3::sign(&SignInput { timestamp: timestamp + 1, ..input.clone() }, &mut SigningKeys::default()).unwrap();
        prop_assert_ne!(&later.authorization, &signed.authorization);
    }

    #[test]
    fn signing_random_fields_fails_cleanly(
        secret_key in prop_oneof![1 => Just(String::new()), 4 => secret()],
        fields in prop::collection::vec(prop_oneof![3 => "[!-~]{1,12}", 1 => text()], 6),
        optional in prop::collection::vec(prop::option::of(text()), 3),
        timestamp in prop_oneof![0..=MAX_TIMESTAMP, any::<u64>()],
        signed_headers in prop::collection::vec(
            prop_oneof![
                prop::sample::select(vec![
                    "content-type", "host", "Host ", "x-tc-action", "x-tc-region", "x-tc-token",
                    "x-tc-language", "x-tc-timestamp", "x-tc-version",
                ]).prop_map(str::to_owned),
                text(),
            ],
            0..6,
        ),
    ) {
        let names: Vec<&str> = signed_headers.iter().map(String::as_str).collect();
        let input = SignInput {
            secret_id: &fields[0],
            secret_key: &secret_key,
            service: &fields[1],
            host: &fields[2],
            action: &fields[3],
            version: &fields[4],
            region: optional[0].as_deref(),
            timestamp,
            payload: b"{}",
            content_type: &fields[5],
            token: optional[1].as_deref(),
            language: optional[2].as_deref(),
            signed_headers: &names,
        };
        match tc3::sign(&input, &mut SigningKeys::default()) {
            Ok(signed) => {
                prop_assert!(timestamp <= MAX_TIMESTAMP);
                prop_assert!(!secret_key.is_empty());
                // No header injection: every value is a single header line.
                for (name, value) in &signed.headers {
                    let one_line = !value.bytes().any(|byte| byte.is_ascii_control());
                    prop_assert!(one_line, "{}: {:?}", name, value);
                }
            }
            Err(error) => {
                prop_assert!(!error.message().is_empty());
                if !secret_key.is_empty() {
                    let error = format!("{error:?}");
                    prop_assert!(!error.contains(&secret_key), "{}", error);
                }
            }
        }
    }

    #[test]
    fn any_message_data_is_parsed_or_refused_as_a_request_error(
        data in prop_oneof![json_value(), message_data()],
    ) {
        match send_sms::parse_message(&data) {
            Ok(message) => {
                prop_assert!(is_e164(message.to.as_str()));
                let to = data["to"].as_str().unwrap();
                prop_assert_eq!(phone::normalize(to), Ok(message.to.clone()));
                prop_assert!(!message.usage_type.is_empty());
                prop_assert_eq!(Some(message.usage_type.as_str()), data["type"].as_str());
                let code = &data["payload"]["code"];
                let expected = code
                    .as_str()
                    .map(str::to_owned)
                    .or_else(|| code.as_u64().map(|code| code.to_string()));
                prop_assert_eq!(Some(message.code), expected);
            }
            Err(error) => {
                prop_assert_eq!(error.code, ErrorCode::InvalidRequestParameters);
                prop_assert!(!error.message().is_empty());
                prop_assert!(error.message().chars().count() <= MAX_MESSAGE_CHARS);
            }
        }
    }

    #[test]
    fn template_params_are_sent_in_order_with_the_code_filled_in(
        code in "[0-9]{6}",
        params in prop::collection::vec(prop_oneof![Just("{code}".to_owned()), "[0-9]{0,6}", text()], 0..5),
        position in 0_usize..5,
        recipient in phone_digits(),
    ) {
        let mut params = params;
        params.insert(position.min(params.len()), "{code}".to_owned());
        let mut value = valid_config();
        value["templates"][0]["templateParams"] = json!(params);
        let config = config::parse(&value).unwrap();
        let message = send_sms::parse_message(
            &json!({ "to": recipient, "type": "SignIn", "payload": { "code": code } }),
        ).unwrap();
        let request = send_sms::build_request(&config, &message, 1_700_000_000, &mut SigningKeys::default()).unwrap();
        let body: Value = serde_json::from_str(&request.body).unwrap();
        let expected: Vec<String> = params.iter().map(|param| param.replace("{code}", &code)).collect();
        prop_assert_eq!(&body["TemplateParamSet"], &json!(expected));
        prop_assert_eq!(body.get("SenderId"), None);
    }

    #[test]
    fn the_request_body_carries_exactly_the_code(
        code in verification_code(),
        usage_type in usage_type(),
        recipient in phone_digits(),
        international_codes in prop::collection::vec(prop::option::of("[0-9]{1,8}"), 4),
        international_sign_name in prop::option::of(text()),
        timestamp in prop_oneof![8 => 0..=MAX_TIMESTAMP, 1 => any::<u64>()],
    ) {
        let mut value = valid_config();
        for (index, international) in international_codes.iter().enumerate() {
            if let Some(international) = international {
                value["templates"][index]["internationalTemplateCode"] = json!(international);
            }
        }
        if let Some(name) = &international_sign_name {
            value["internationalSignName"] = json!(name);
        }
        let config = config::parse(&value).unwrap();
        let message = send_sms::parse_message(
            &json!({ "to": recipient, "type": usage_type, "payload": { "code": code } }),
        ).unwrap();
        let request = match send_sms::build_request(&config, &message, timestamp, &mut SigningKeys::default()) {
            Ok(request) => request,
            Err(error) => {
                prop_assert!(timestamp > MAX_TIMESTAMP, "{:?}", error);
                return Ok(());
            }
        };
        let body: Value = serde_json::from_str(&request.body).unwrap();
        let code_text = code.as_str().map(str::to_owned).unwrap_or_else(|| code.to_string());
        prop_assert_eq!(&body["TemplateParamSet"], &json!([code_text]));
        prop_assert_eq!(&body["PhoneNumberSet"], &json!([format!("+{recipient}")]));
        let fixture = valid_config();
        prop_assert_eq!(&body["SmsSdkAppId"], &fixture["sdkAppId"]);

        // The template of the type, else Generic; its international variant outside mainland China.
        let index = USAGE_TYPES.iter().position(|known| *known == usage_type).unwrap_or(3);
        let mainland = recipient.starts_with("86");
        let (template_id, sign_name) = match (&international_codes[index], mainland) {
            (Some(international), false) => {
                (international.as_str(), international_sign_name.as_deref())
            }
            _ => (
                fixture["templates"][index]["templateCode"].as_str().unwrap_or_default(),
                fixture["signName"].as_str(),
            ),
        };
        let mut expected = json!({
            "PhoneNumberSet": [format!("+{recipient}")],
            "SmsSdkAppId": fixture["sdkAppId"],
            "TemplateId": template_id,
            "TemplateParamSet": [code_text],
        });
        if let Some(sign_name) = sign_name {
            expected["SignName"] = json!(sign_name);
        }
        prop_assert_eq!(body, expected);

        prop_assert!(request.headers.contains(&("X-TC-Timestamp", timestamp.to_string())));
        let steps = tc3::signing_steps(&SignInput {
            secret_id: &config.access_key_id,
            secret_key: &config.access_key_secret,
            service: send_sms::SERVICE,
            host: &config.endpoint.host,
            action: send_sms::ACTION,
            version: send_sms::VERSION,
            region: Some(&config.region),
            timestamp,
            payload: request.body.as_bytes(),
            content_type: send_sms::CONTENT_TYPE,
            token: None,
            language: None,
            signed_headers: &DEFAULT_SIGNED_HEADERS,
        }, &mut SigningKeys::default()).unwrap();
        // The signature covers exactly the bytes that are sent.
        prop_assert_eq!(request.headers[0].0, "Authorization");
        prop_assert!(request.headers[0].1.ends_with(&steps.signature));
    }
}
