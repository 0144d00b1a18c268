//! Arbitrary bytes as a connector config. Validation must be self-consistent and bounded, never
//! show the secret, and a parsed config must yield a request carrying exactly the code.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use tencent_sms_connector::config::{self, Config};
use tencent_sms_connector::error::{ConnectorError, ErrorCode};
use tencent_sms_connector::redact;
use tencent_sms_connector::send_sms::{self, SmsRequest};
use tencent_sms_connector::tc3::SigningKeys;
use tencent_sms_connector::validation::{Validation, MAX_ISSUES};

const CODE: &str = "123456";
const TIMESTAMP: u64 = 1_700_000_000;
/// Mainland and foreign, so both the plain and the international template are used.
const RECIPIENTS: [&str; 2] = ["8613711112222", "14155550123"];
/// The target's own bound on one issue's message: no crate constant states it.
const MAX_MESSAGE_CHARS: usize = 400;
/// Shorter secrets occur in ordinary text: redaction masks them only as whole words.
const MIN_SECRET_CHARS: usize = redact::MIN_FRAGMENT_CHARS;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let (validation, validated) = config::validate(&value);
    check_report(&value, &validation);
    assert_eq!(validated.is_some(), validation.valid);
    let parsed = config::parse(&value);
    // Sending needs only its own template: missing required usage types block saving, not parse().
    let blocking = validation
        .errors
        .iter()
        .any(|issue| issue.code.blocks_sending());
    assert_eq!(parsed.is_ok(), !blocking);
    if validation.valid {
        assert_eq!(parsed.as_ref().ok(), validated.as_ref());
    }

    // The same config with another secret tells fixed text and other fields from an echo.
    let secret = value["accessKeySecret"].as_str().unwrap_or_default();
    let masked_value = with_masked_secret(&value);
    assert_no_leak(
        secret,
        &to_json(&validation),
        &to_json(&config::validate(&masked_value).0),
    );
    let masked_parsed = config::parse(&masked_value);
    assert_no_leak(
        secret,
        &render_parsed(&parsed),
        &render_parsed(&masked_parsed),
    );
    let (Ok(config), Ok(masked_config)) = (parsed, masked_parsed) else {
        return;
    };
    for recipient in RECIPIENTS {
        let message = send_sms::parse_message(&json!({
            "to": recipient,
            "type": "SignIn",
            "payload": { "code": CODE, "locale": "en", "uiLocales": "fr-CA ja" },
        }))
        .unwrap();
        let request = send_sms::build_request(&config, &message, TIMESTAMP, &mut SigningKeys::default());
        let masked = send_sms::build_request(&masked_config, &message, TIMESTAMP, &mut SigningKeys::default());
        assert_no_leak(secret, &render_request(&request), &render_request(&masked));
        match request {
            Ok(request) => {
                let body: Value = serde_json::from_str(&request.body).expect("the body is JSON");
                // The chosen template's params (mainland or international) with the code filled in.
                let template = config
                    .template_for_languages("SignIn", &message.languages)
                    .expect("a request needs a template");
                let filled = |params: &[String]| {
                    json!(params
                        .iter()
                        .map(|param| config::fill_code(param, CODE))
                        .collect::<Vec<_>>())
                };
                let sent = &body["TemplateParamSet"];
                assert!(
                    *sent == filled(&template.template_params)
                        || *sent == filled(&template.international_template_params),
                    "{sent}"
                );
                assert_eq!(body["PhoneNumberSet"], json!([message.to.as_str()]));
            }
            Err(error) => {
                // A bad key is reported before a missing template; TemplateNotFound only when none fits.
                let allowed: &[ErrorCode] = match config
                    .template_for_languages(&message.usage_type, &message.languages)
                {
                    Some(_) => &[ErrorCode::InvalidConfig],
                    None => &[ErrorCode::InvalidConfig, ErrorCode::TemplateNotFound],
                };
                assert!(allowed.contains(&error.code), "{error:?}");
            }
        }
    }
});

fn check_report(value: &Value, validation: &Validation) {
    assert_eq!(validation.valid, validation.errors.is_empty());
    assert!(validation.errors.len() <= MAX_ISSUES);
    assert!(validation.warnings.len() <= MAX_ISSUES);
    for issue in validation.errors.iter().chain(&validation.warnings) {
        assert!(!issue.message.is_empty());
        assert!(
            issue.message.chars().count() <= MAX_MESSAGE_CHARS,
            "message too long: {}",
            issue.message
        );
        // Only a non-object root has an issue about the whole config.
        assert_eq!(issue.path.is_empty(), !value.is_object(), "{issue:?}");
    }
}

/// The secret may show in `text` only where it also shows for the masked config: as fixed text
/// or copied from another field. Compares JSON, so exact for secrets JSON leaves unescaped.
fn assert_no_leak(secret: &str, text: &str, masked_text: &str) {
    if secret.chars().count() >= MIN_SECRET_CHARS && text.contains(secret) {
        assert!(masked_text.contains(secret), "the secret shows in {text}");
    }
}

fn to_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap()
}

fn render_parsed(parsed: &Result<Config, ConnectorError>) -> String {
    parsed.as_ref().err().map(to_json).unwrap_or_default()
}

fn render_request(request: &Result<SmsRequest, ConnectorError>) -> String {
    match request {
        Ok(request) => to_json(&(&request.body, &request.headers)),
        Err(error) => to_json(error),
    }
}

/// Every non-space character replaced: same emptiness and padding, different text.
fn with_masked_secret(value: &Value) -> Value {
    let mut masked = value.clone();
    if let Some(Value::String(secret)) = masked.get_mut("accessKeySecret") {
        *secret = secret
            .chars()
            .map(|character| {
                if character.is_whitespace() {
                    character
                } else {
                    'x'
                }
            })
            .collect();
    }
    masked
}
