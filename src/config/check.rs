//! JSON to a [`Config`], with every error and warning reported at its path.

#[allow(unused_imports)]
use crate::prelude::*;

use alloc::rc::Rc;

use crate::json::{Map, Value};

use super::model::{
    is_template_id, Config, Language, Template, DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS, MIN_TIMEOUT_MS,
    ROOT_KEYS,
};
use super::templates::check_templates;
use super::value::type_name;
use super::warnings::{
    warn_access_key_id, warn_access_key_secret, warn_region, warn_sdk_app_id, warn_sign_name,
    warn_unknown_keys, warn_whitespace,
};
use crate::country_policy;
use crate::dry_run;
use crate::endpoint::{
    default_endpoint, parse_endpoint, Endpoint, EndpointError,
    DEFAULT_HOST as DEFAULT_ENDPOINT_HOST,
};
use crate::error::{ConnectorError, ErrorCode};
use crate::fallback;
use crate::redact::{redacted, unquote_secrets, MASK};
use crate::send_event;
use crate::send_limits;
use crate::text::concat;
use crate::validation::{IssueCode, PathSegment, Validation};

/// Validates a config and, when it has no errors, returns it parsed.
pub fn validate(value: &Value) -> (Validation, Option<Config>) {
    let mut validation = Validation::default();
    let config = check_root(value, &mut validation);
    mask_secret(value, &mut validation);
    validation.valid = validation.errors.is_empty();
    let config = config.filter(|_| validation.valid);
    (validation, config)
}

/// The validator quotes input back (a region, a key name, a usageType): a secret pasted into one
/// of them must not come back with it, in a message or in a path. Only the quoted input is
/// scanned, never the sentence around it.
fn mask_secret(value: &Value, validation: &mut Validation) {
    // Both routes' secrets: a fallback's may be pasted into the top level too, or the other way.
    let fallback = value.get(fallback::FIELD).unwrap_or(&Value::Null);
    let mut secrets = Vec::with_capacity(3);
    for secret in [
        &value["accessKeySecret"],
        &fallback["accessKeySecret"],
        &fallback["authorization"],
    ] {
        if let Value::String(secret) = secret {
            secrets.push(secret.as_str());
        }
    }
    for issue in validation
        .errors
        .iter_mut()
        .chain(validation.warnings.iter_mut())
    {
        unquote_secrets(&mut issue.message, &secrets);
        for segment in &mut issue.path {
            if let PathSegment::Key(key) = segment {
                if secrets.iter().any(|secret| redacted(key, secret).is_some()) {
                    *key = MASK.to_owned();
                }
            }
        }
    }
}

/// The config for sending, or an `invalid_config` error listing every problem. The required
/// usage types are a rule for saving: a send only needs its own template (or Generic), and
/// reports `template_not_found` when neither exists.
pub fn parse(value: &Value) -> Result<Config, ConnectorError> {
    let mut report = Validation::default();
    let config = check_root(value, &mut report);
    mask_secret(value, &mut report);
    report.errors.retain(|issue| issue.code.blocks_sending());
    match config {
        Some(config) if report.errors.is_empty() => Ok(config),
        _ => {
            let mut summary = String::from("The connector config is invalid: ");
            for (index, issue) in report.errors.iter().take(3).enumerate() {
                if index > 0 {
                    summary.push_str("; ");
                }
                summary.push_str(&issue.message);
            }
            if report.errors.len() > 3 {
                summary.push_str("; and more");
            }
            let mut error = ConnectorError::new(ErrorCode::InvalidConfig, summary);
            error.data.issues = report.errors;
            Err(error)
        }
    }
}

fn check_root(value: &Value, report: &mut Validation) -> Option<Config> {
    let Value::Object(root) = value else {
        report.error(
            Vec::new(),
            IssueCode::InvalidType,
            concat(&["The config must be a JSON object with accessKeyId, accessKeySecret, signName, sdkAppId, region and templates, not ", type_name(value), "."]),
        );
        return None;
    };
    let config = check_account(root, &ROOT_KEYS, report);
    let send_limits = send_limits::check_fields(
        root.get(send_limits::FIELD),
        root.get(send_limits::TRUSTED_FIELD),
        report,
    );
    let fallback = fallback::check_field(root.get(fallback::FIELD), root, report);
    let cooldown = fallback::check_cooldown(root.get(fallback::COOLDOWN_FIELD), report);
    let send_log = send_event::check_field(root.get(send_event::FIELD), report);
    let dry_run = dry_run::check_fields(
        root.get(dry_run::NUMBERS_FIELD),
        root.get(dry_run::FIELD),
        report,
    );
    let (mut config, send_limits, fallback, cooldown, send_log, dry_run) = (
        config?,
        send_limits?,
        fallback?,
        cooldown?,
        send_log?,
        dry_run?,
    );
    config.send_log = send_log;
    config.send_limits = send_limits;
    config.fallback = fallback.map(Rc::new);
    config.fallback_cooldown_seconds = cooldown;
    config.dry_run = dry_run;
    config.sign_id = check_sign_id(root, report)?;
    Some(config)
}

/// One account's fields (the top level's, or a Tencent fallback's with `known` its keys),
/// without the top-level-only fields (`fallback`, `fallbackCooldownSeconds`, `sendLimits`,
/// `trustedIps`).
pub(crate) fn check_account(
    root: &Map<String, Value>,
    known: &[&str],
    report: &mut Validation,
) -> Option<Config> {
    let access_key_id = required_string(root, "accessKeyId", report);
    let access_key_secret = required_string(root, "accessKeySecret", report);
    let sign_name = required_string(root, "signName", report);
    let sdk_app_id = required_string(root, "sdkAppId", report);
    let region = required_string(root, "region", report);
    let templates = check_templates(root.get("templates"), report);
    let endpoint = check_endpoint(root.get("endpoint"), report);
    let timeout_ms = check_timeout(root.get("timeoutMs"), report);
    let language = check_language(root.get("language"), report);
    let international_sign_name = optional_string(root, "internationalSignName", report);
    let sender_id = optional_string(root, "senderId", report);
    let country_policy = country_policy::check_field(root.get(country_policy::FIELD), report);

    if let Some(id) = access_key_id {
        warn_access_key_id(id, report);
    }
    if let Some(secret) = access_key_secret {
        warn_access_key_secret(secret, report);
    }
    if let Some(name) = sign_name {
        warn_sign_name(name, "signName", report);
    }
    if let Some(Some(name)) = international_sign_name {
        warn_sign_name(name, "internationalSignName", report);
    }
    if let Some(Some(id)) = sender_id {
        warn_whitespace(id, "senderId", crate::validation::at("senderId"), report);
    }
    if let Some(app_id) = sdk_app_id {
        warn_sdk_app_id(app_id, report);
    }
    if let Some(region) = region {
        warn_region(region, report);
    }
    warn_unknown_keys(root, known, &[], report);
    if let (Some(Some(policy)), Some(templates), Some(endpoint)) =
        (&country_policy, &templates, &endpoint)
    {
        country_policy::warn_policy(policy, serves_mainland_only(templates, endpoint), report);
    }

    // One exit for every missing field: each `?` would drop all the values parsed so far again.
    let (
        Some(access_key_id),
        Some(access_key_secret),
        Some(sign_name),
        Some(sdk_app_id),
        Some(region),
        Some(templates),
        Some(endpoint),
        Some(timeout_ms),
        Some(language),
        Some(international_sign_name),
        Some(sender_id),
        Some(country_policy),
    ) = (
        access_key_id,
        access_key_secret,
        sign_name,
        sdk_app_id,
        region,
        templates,
        endpoint,
        timeout_ms,
        language,
        international_sign_name,
        sender_id,
        country_policy,
    )
    else {
        return None;
    };
    Some(Config {
        access_key_id: access_key_id.to_owned(),
        access_key_secret: access_key_secret.to_owned(),
        sign_name: sign_name.to_owned(),
        sdk_app_id: sdk_app_id.to_owned(),
        region: region.to_owned(),
        templates,
        endpoint,
        timeout_ms,
        language,
        international_sign_name: international_sign_name.map(str::to_owned),
        // Saved configs drop empty strings; an empty one here means the same: none.
        sender_id: sender_id.filter(|id| !id.is_empty()).map(str::to_owned),
        country_policy,
        send_limits: None,
        fallback: None,
        fallback_cooldown_seconds: fallback::DEFAULT_COOLDOWN_SECONDS,
        send_log: true,
        dry_run: Default::default(),
        sign_id: None,
    })
}

/// `signId`: the SignId of `signName`, read only by the console Test's template check
/// (`DescribeSmsSignList` takes IDs, not names).
fn check_sign_id(root: &Map<String, Value>, report: &mut Validation) -> Option<Option<String>> {
    let id = optional_string(root, "signId", report)?;
    Some(id.filter(|id| !id.is_empty()).map(str::to_owned))
}

/// The international site's API host (tencentcloud.com accounts).
const INTERNATIONAL_SITE_HOST: &str = "sms.intl.tencentcloudapi.com";

/// Whether only +86 numbers can get a template Tencent accepts: no entry has an international
/// template, and the account is not an international-site one (whose templates all are).
fn serves_mainland_only(templates: &[Template], endpoint: &Endpoint) -> bool {
    endpoint.host != INTERNATIONAL_SITE_HOST
        && templates.iter().all(|template| {
            !template
                .international_template_code
                .as_deref()
                .is_some_and(is_template_id)
        })
}

fn required_string<'a>(
    root: &'a Map<String, Value>,
    key: &'static str,
    report: &mut Validation,
) -> Option<&'a str> {
    match root.get(key) {
        Some(Value::String(text)) => {
            if text.is_empty() {
                report.warn(
                    crate::validation::at(key),
                    IssueCode::Empty,
                    concat(&[key, " is empty: set it to ", field_help(key), "."]),
                );
            }
            Some(text)
        }
        None => {
            report.error(
                crate::validation::at(key),
                IssueCode::Required,
                concat(&[key, " is required: set it to ", field_help(key), "."]),
            );
            None
        }
        Some(other) => {
            report.error(
                crate::validation::at(key),
                IssueCode::InvalidType,
                concat(&[
                    key,
                    " must be a string, not ",
                    type_name(other),
                    ": set it to ",
                    field_help(key),
                    ".",
                ]),
            );
            None
        }
    }
}

fn optional_string<'a>(
    root: &'a Map<String, Value>,
    key: &'static str,
    report: &mut Validation,
) -> Option<Option<&'a str>> {
    match root.get(key) {
        None | Some(Value::Null) => Some(None),
        Some(Value::String(text)) => Some(Some(text)),
        Some(other) => {
            report.error(
                crate::validation::at(key),
                IssueCode::InvalidType,
                concat(&[
                    key,
                    " must be a string, not ",
                    type_name(other),
                    ": set it to ",
                    field_help(key),
                    " or remove it.",
                ]),
            );
            None
        }
    }
}

fn field_help(key: &str) -> &'static str {
    match key {
        "accessKeyId" => {
            "the SecretId of a Tencent Cloud API key (AKID…, from the CAM console's API keys page)"
        }
        "accessKeySecret" => "the SecretKey that belongs to accessKeyId",
        "signName" => "the approved SMS signature name (the text in 【】)",
        "sdkAppId" => "the SMS SdkAppId as a string, e.g. \"1400000000\"",
        "region" => "the SMS API region, e.g. \"ap-guangzhou\"",
        "internationalSignName" => "the approved signature name for numbers outside mainland China",
        "senderId" => "the Sender ID Tencent approved for international SMS",
        _ => "a string",
    }
}

fn check_endpoint(value: Option<&Value>, report: &mut Validation) -> Option<Endpoint> {
    match value {
        None | Some(Value::Null) => Some(default_endpoint()),
        Some(Value::String(text)) => match parse_endpoint(text) {
            Ok(endpoint) => Some(endpoint),
            Err(EndpointError(code, reason)) => {
                report.error(
                    crate::validation::at("endpoint"),
                    code,
                    concat(&["endpoint ", reason, "."]),
                );
                None
            }
        },
        Some(other) => {
            report.error(
                crate::validation::at("endpoint"),
                IssueCode::InvalidType,
                concat(&["endpoint must be a string such as \"sms.ap-guangzhou.tencentcloudapi.com\", not ", type_name(other), "; remove it to use ", DEFAULT_ENDPOINT_HOST, "."]),
            );
            None
        }
    }
}

/// The timeoutMs rule with the limits written out: static text instead of three numbers
/// formatted per issue; a test derives it from the constants.
const TIMEOUT_RANGE: &str =
    "timeoutMs must be a whole number of milliseconds from 100 to 60000; remove it to use 10000.";

fn check_timeout(value: Option<&Value>, report: &mut Validation) -> Option<u32> {
    let range_message = || String::from(TIMEOUT_RANGE);
    match value {
        None => Some(DEFAULT_TIMEOUT_MS),
        // JSON text carries NaN and ±Infinity as null: an error, not the default.
        Some(Value::Null) => {
            report.error(
                crate::validation::at("timeoutMs"),
                IssueCode::InvalidTimeout,
                concat(&[
                    &range_message(),
                    " (got null, or a number that is not finite)",
                ]),
            );
            None
        }
        Some(Value::Number(number)) => match number.as_u64() {
            Some(ms) if (MIN_TIMEOUT_MS..=MAX_TIMEOUT_MS).contains(&ms) => u32::try_from(ms).ok(),
            _ => {
                report.error(
                    crate::validation::at("timeoutMs"),
                    IssueCode::InvalidTimeout,
                    range_message(),
                );
                None
            }
        },
        Some(other) => {
            report.error(
                crate::validation::at("timeoutMs"),
                IssueCode::InvalidType,
                concat(&[&range_message(), " (got ", type_name(other), ")"]),
            );
            None
        }
    }
}

fn check_language(value: Option<&Value>, report: &mut Validation) -> Option<Option<Language>> {
    match value {
        // The form's "Tencent's default" entry is the empty string.
        None | Some(Value::Null) => Some(None),
        Some(Value::String(text)) if text.is_empty() => Some(None),
        Some(Value::String(text)) if text == "zh-CN" => Some(Some(Language::ZhCn)),
        Some(Value::String(text)) if text == "en-US" => Some(Some(Language::EnUs)),
        Some(_) => {
            report.error(
                crate::validation::at("language"),
                IssueCode::InvalidLanguage,
                "language must be \"zh-CN\" or \"en-US\" (the language of Tencent's error messages), or empty for Tencent's default.".into(),
            );
            None
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::text::decimal;
    use crate::validation::{Issue, MAX_ISSUES};
    use serde_json::json;

    /// The valid config every test layer shares (`tests/fixtures/valid-config.json`).
    pub(crate) fn valid() -> Value {
        serde_json::from_str(include_str!("../../tests/fixtures/valid-config.json")).unwrap()
    }

    fn paths(issues: &[Issue]) -> Vec<String> {
        issues
            .iter()
            .map(|issue| serde_json::to_string(&issue.path).unwrap())
            .collect()
    }

    #[test]
    fn the_timeout_rule_names_the_limits_in_force() {
        let derived = concat(&[
            "timeoutMs must be a whole number of milliseconds from ",
            &decimal(MIN_TIMEOUT_MS),
            " to ",
            &decimal(MAX_TIMEOUT_MS),
            "; remove it to use ",
            &decimal(DEFAULT_TIMEOUT_MS.into()),
            ".",
        ]);
        assert_eq!(TIMEOUT_RANGE, derived);
    }

    #[test]
    fn a_valid_config_parses_with_defaults_and_no_warnings() {
        let (validation, config) = validate(&valid());
        assert!(validation.valid, "{validation:?}");
        assert!(validation.warnings.is_empty(), "{:?}", validation.warnings);
        let config = config.unwrap();
        assert_eq!(config.endpoint, default_endpoint());
        assert_eq!(config.timeout_ms, DEFAULT_TIMEOUT_MS);
        assert_eq!(config.templates.len(), 4);
    }

    #[test]
    fn a_secret_pasted_into_a_quoted_field_or_a_key_does_not_come_back() {
        let secret = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
        let mut config = valid();
        config["region"] = json!(secret);
        config[secret] = json!(1);
        config["templates"][0]["usageType"] = json!(secret);
        let (validation, _) = validate(&config);
        let shown = serde_json::to_string(&validation).unwrap();
        assert!(shown.contains("[redacted]"), "{shown}");
        assert!(!shown.contains(&secret[..8]), "{shown}");
        assert!(!shown.contains(&secret[24..]), "{shown}");
    }

    #[test]
    fn every_error_is_reported_at_once_with_its_path() {
        let mut config = valid();
        config["accessKeyId"] = json!(42);
        config.as_object_mut().unwrap().remove("region");
        config["templates"][1] = json!({ "usageType": "Register" });
        let (validation, parsed) = validate(&config);
        assert!(parsed.is_none());
        assert_eq!(
            paths(&validation.errors),
            [
                r#"["accessKeyId"]"#,
                r#"["region"]"#,
                r#"["templates",1,"templateCode"]"#
            ]
        );
        assert!(validation.errors[0]
            .message
            .contains("accessKeyId must be a string, not a number"));
    }

    #[test]
    fn missing_required_usage_types_are_named() {
        let mut config = valid();
        config["templates"] = json!([{ "usageType": "SignIn", "templateCode": "1" }]);
        let (validation, _) = validate(&config);
        assert_eq!(paths(&validation.errors), [r#"["templates"]"#]);
        assert_eq!(validation.errors[0].code, "missing_templates");
        assert!(validation.errors[0]
            .message
            .contains("Register, ForgotPassword, Generic"));
    }

    #[test]
    fn sending_needs_only_the_template_it_uses() {
        let mut config = valid();
        config["templates"] = json!([{ "usageType": "SignIn", "templateCode": "1" }]);
        let parsed = parse(&config).unwrap();
        assert_eq!(parsed.template_for("SignIn").unwrap().template_code, "1");
        assert!(parsed.template_for("Register").is_none());
        config["templates"] = json!([{ "usageType": 5, "templateCode": "1" }]);
        assert_eq!(parse(&config).unwrap_err().code, ErrorCode::InvalidConfig);
    }

    #[test]
    fn a_bad_international_code_does_not_hide_its_template() {
        let mut config = valid();
        config["templates"][3]["internationalTemplateCode"] = json!(5);
        let (validation, _) = validate(&config);
        assert_eq!(
            paths(&validation.errors),
            [r#"["templates",3,"internationalTemplateCode"]"#]
        );
    }

    #[test]
    fn a_secret_id_in_the_secret_field_is_flagged() {
        let mut config = valid();
        config["accessKeySecret"] = config["accessKeyId"].clone();
        let (validation, _) = validate(&config);
        assert!(validation
            .warnings
            .iter()
            .any(|issue| issue.code == "secret_looks_like_id"));
    }

    #[test]
    fn non_objects_are_rejected_at_the_root() {
        for value in [json!(null), json!([]), json!("x"), json!(1)] {
            let (validation, _) = validate(&value);
            assert_eq!(paths(&validation.errors), ["[]"]);
        }
    }

    #[test]
    fn endpoint_errors_name_the_field() {
        let mut config = valid();
        config["endpoint"] = json!("http://localhost:9");
        let (validation, _) = validate(&config);
        assert_eq!(paths(&validation.errors), [r#"["endpoint"]"#]);
        assert_eq!(validation.errors[0].code, "blocked_port");
        assert!(validation.errors[0]
            .message
            .starts_with("endpoint uses a port"));
        config["endpoint"] = json!("sms.intl.tencentcloudapi.com");
        let parsed = parse(&config).unwrap();
        assert_eq!(parsed.endpoint.host, "sms.intl.tencentcloudapi.com");
    }

    #[test]
    fn own_optional_fields_have_their_own_rules() {
        let mut config = valid();
        config["timeoutMs"] = json!(0);
        config["endpoint"] = json!(5);
        config["language"] = json!("fr");
        let (validation, _) = validate(&config);
        let codes: Vec<_> = validation.errors.iter().map(|issue| issue.code).collect();
        assert_eq!(
            codes,
            ["invalid_type", "invalid_timeout", "invalid_language"]
        );
        // NaN and ±Infinity reach Rust as null through JSON text: not the default.
        for bad in [
            json!(null),
            json!(99),
            json!(60_001),
            json!(2500.5),
            json!("2500"),
        ] {
            let mut config = valid();
            config["timeoutMs"] = bad.clone();
            let (validation, _) = validate(&config);
            assert_eq!(paths(&validation.errors), [r#"["timeoutMs"]"#], "{bad}");
        }
        let mut config = valid();
        config["language"] = json!("");
        assert_eq!(parse(&config).unwrap().language, None);
        let mut config = valid();
        config["timeoutMs"] = json!(2500);
        config["language"] = json!("en-US");
        config["endpoint"] = Value::Null;
        let (_, parsed) = validate(&config);
        let parsed = parsed.unwrap();
        assert_eq!(
            (parsed.timeout_ms, parsed.language),
            (2500, Some(Language::EnUs))
        );
    }

    #[test]
    fn warnings_flag_what_tencent_would_refuse() {
        let mut config = valid();
        config["accessKeyId"] = json!(" AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE");
        config["region"] = json!("ap-mars");
        config["sdkAppId"] = json!("app-1");
        config["signName"] = json!("X");
        config["signname"] = json!("typo");
        config["templates"][3]["usageType"] = json!("SignIn");
        config["accessKeySecret"] = json!("short-secret");
        config["templates"]
            .as_array_mut()
            .unwrap()
            .push(json!({ "usageType": "Generic", "templateCode": "" }));
        let (validation, parsed) = validate(&config);
        assert!(
            parsed.is_some(),
            "warnings never block: {:?}",
            validation.errors
        );
        let codes: Vec<_> = validation.warnings.iter().map(|issue| issue.code).collect();
        for code in [
            "whitespace",
            "unknown_region",
            "not_digits",
            "sign_name_length",
            "unknown_key",
            "duplicate_usage_type",
            "not_template_id",
            "secret_key_length",
        ] {
            assert!(
                codes.iter().any(|known| *known == code),
                "{code} missing from {codes:?}"
            );
        }
        let typo = validation
            .warnings
            .iter()
            .find(|issue| issue.code == "unknown_key")
            .unwrap();
        assert!(
            typo.message.contains("Did you mean \"signName\""),
            "{}",
            typo.message
        );
    }

    #[test]
    fn a_short_secret_leaves_our_sentences_whole_and_is_never_spelt_out() {
        // The fuzz case: a secret of one space once turned every space into a mask.
        for secret in [" ", "e", "the", "short"] {
            let mut config = valid();
            config["accessKeySecret"] = json!(secret);
            config["region"] = json!(secret);
            config["signName"] = json!(format!(" {secret} x"));
            config[secret] = json!(1);
            config["timeoutMs"] = json!("soon");
            let (validation, _) = validate(&config);
            let issues: Vec<_> = validation
                .errors
                .iter()
                .chain(&validation.warnings)
                .collect();
            assert!(issues.len() >= 4, "{issues:?}");
            for issue in issues {
                let masks = issue.message.matches(MASK).count();
                assert!(masks <= 1, "{secret:?}: {}", issue.message);
                assert!(issue.message.chars().count() <= 400);
                assert!(!issue.message.contains(['\u{E000}', '\u{E001}']));
            }
            let region = validation
                .warnings
                .iter()
                .find(|issue| issue.code == IssueCode::UnknownRegion);
            assert_eq!(
                region.map(|issue| issue.message.starts_with("region \"[redacted]\" is not")),
                (secret != " ").then_some(true),
                "{secret:?}"
            );
        }
    }

    #[test]
    fn messages_never_echo_the_secret() {
        let mut config = valid();
        config["accessKeySecret"] = json!(" secret-with-space ");
        config["accessKeyId"] = json!(1);
        let (validation, _) = validate(&config);
        let text = serde_json::to_string(&validation).unwrap();
        assert!(!text.contains("secret-with-space"));
    }

    #[test]
    fn hostile_sizes_stay_bounded() {
        let mut config = valid();
        config["templates"] = Value::Array(vec![json!(1); 100_000]);
        let (validation, _) = validate(&config);
        assert_eq!(validation.errors.len(), MAX_ISSUES);
        config["templates"] = json!([{ "usageType": "x".repeat(1 << 20), "templateCode": "1" }]);
        let (validation, _) = validate(&config);
        assert!(validation
            .warnings
            .iter()
            .all(|issue| issue.message.len() < 400));
    }

    #[test]
    fn template_params_default_to_the_code_and_need_it() {
        let mut config = valid();
        config["templates"][0]["templateParams"] = json!(["{code}", "10"]);
        config["templates"][1]["internationalTemplateCode"] = json!("2002");
        config["templates"][1]["internationalTemplateParams"] = json!(["5", "{code}"]);
        let (validation, parsed) = validate(&config);
        assert!(validation.warnings.is_empty(), "{:?}", validation.warnings);
        let parsed = parsed.unwrap();
        let [sign_in, register, ..] = parsed.templates.as_slice() else {
            panic!("four templates");
        };
        assert_eq!(sign_in.template_params, ["{code}", "10"]);
        assert_eq!(sign_in.international_template_params, ["{code}", "10"]);
        assert_eq!(register.template_params, ["{code}"]);
        assert_eq!(register.international_template_params, ["5", "{code}"]);

        for (bad, path, code) in [
            (
                json!("{code}"),
                r#"["templates",0,"templateParams"]"#,
                "invalid_type",
            ),
            (
                json!(["{code}", 10]),
                r#"["templates",0,"templateParams",1]"#,
                "invalid_type",
            ),
            (
                json!(["10"]),
                r#"["templates",0,"templateParams"]"#,
                "missing_code_placeholder",
            ),
            (
                json!([]),
                r#"["templates",0,"templateParams"]"#,
                "missing_code_placeholder",
            ),
        ] {
            let mut config = valid();
            config["templates"][0]["templateParams"] = bad.clone();
            let (validation, _) = validate(&config);
            assert_eq!(paths(&validation.errors), [path], "{bad}");
            assert_eq!(validation.errors[0].code, code, "{bad}");
        }
        let mut config = valid();
        config["templates"][2]["internationalTemplateParams"] = json!(["x"]);
        let (validation, _) = validate(&config);
        assert_eq!(
            paths(&validation.errors),
            [r#"["templates",2,"internationalTemplateParams"]"#]
        );
    }

    #[test]
    fn sign_names_tencent_would_refuse_are_warned_about() {
        let cases = [
            ("【腾讯云】", Some(IssueCode::SignNameBrackets)),
            ("Acme Inc.", Some(IssueCode::SignNameCharacters)),
            ("Acme Inc", Some(IssueCode::SignNameCharacters)),
            ("123456", Some(IssueCode::SignNameDigits)),
            ("X", Some(IssueCode::SignNameLength)),
            ("腾讯云", None),
            ("Acme2024", None),
        ];
        for field in ["signName", "internationalSignName"] {
            for (name, expected) in cases {
                let mut config = valid();
                config[field] = json!(name);
                let (validation, parsed) = validate(&config);
                assert!(parsed.is_some(), "warnings never block");
                let codes: Vec<_> = validation
                    .warnings
                    .iter()
                    .filter(|issue| {
                        paths(std::slice::from_ref(issue)) == [format!("[\"{field}\"]")]
                    })
                    .map(|issue| issue.code)
                    .collect();
                assert_eq!(
                    codes,
                    expected.into_iter().collect::<Vec<_>>(),
                    "{field} {name}"
                );
            }
        }
        let mut config = valid();
        config["signName"] = json!("【腾讯云】");
        let (validation, _) = validate(&config);
        assert!(validation.warnings[0].message.contains("\"腾讯云\""));
    }

    #[test]
    fn template_params_warn_where_tencent_documents_a_limit() {
        let mut config = valid();
        config["templates"][0]["templateParams"] = json!([
            "code {code}",
            "10 minutes",
            "https://x.example",
            "1234567890123",
            "42"
        ]);
        let (validation, parsed) = validate(&config);
        assert!(parsed.is_some());
        let found: Vec<_> = validation
            .warnings
            .iter()
            .map(|issue| {
                (
                    serde_json::to_string(&issue.path).unwrap(),
                    issue.code.as_str(),
                )
            })
            .collect();
        let at = |index: usize| format!(r#"["templates",0,"templateParams",{index}]"#);
        assert_eq!(
            found,
            [
                (at(0), "template_param_format"),
                (at(1), "template_param_format"),
                (at(2), "template_param_format"),
                (at(2), "template_param_link"),
                (at(3), "template_param_format"),
            ]
        );
        assert!(validation.warnings[4]
            .message
            .contains("2024-01-25 (or long unused), 12 before"));
        assert!(validation.warnings[0]
            .message
            .contains("InvalidParameterValue.TemplateParameterFormatError"));
    }

    #[test]
    fn placeholder_template_codes_are_never_used() {
        let mut config = valid();
        config["templates"][0]["templateCode"] = json!("<template-code>");
        config["templates"][1]["internationalTemplateCode"] = json!("<template-code>");
        let (validation, parsed) = validate(&config);
        assert_eq!(
            paths(&validation.warnings),
            [
                r#"["templates",0,"templateCode"]"#,
                r#"["templates",1,"internationalTemplateCode"]"#
            ]
        );
        assert!(validation.warnings[0].message.contains("Generic"));
        let parsed = parsed.unwrap();
        assert_eq!(parsed.template_for("SignIn").unwrap().usage_type, "Generic");
        config["templates"][3]["templateCode"] = json!("");
        let parsed = parse(&config).unwrap();
        assert!(parsed.template_for("SignIn").is_none());
        assert_eq!(
            parsed.template_for("Register").unwrap().template_code,
            "1002"
        );
    }

    #[test]
    fn sender_id_is_an_optional_string() {
        let mut config = valid();
        config["senderId"] = json!("Acme");
        assert_eq!(parse(&config).unwrap().sender_id.as_deref(), Some("Acme"));
        config["senderId"] = json!("");
        assert_eq!(parse(&config).unwrap().sender_id, None);
        config["senderId"] = json!(5);
        let (validation, _) = validate(&config);
        assert_eq!(paths(&validation.errors), [r#"["senderId"]"#]);
    }

    #[test]
    fn debug_output_never_shows_the_secret() {
        let config = parse(&valid()).unwrap();
        let shown = format!("{config:?}");
        assert!(!shown.contains(&config.access_key_secret), "{shown}");
        assert!(shown.contains("[redacted]"));
    }

    #[test]
    fn country_policy_is_parsed_and_checked_with_the_rest() {
        let mut config = valid();
        config["countryPolicy"] = json!({ "allow": ["CN", "JM"] });
        let parsed = parse(&config).unwrap();
        assert!(parsed.country_policy.unwrap().decide("18765550123").allowed);
        config["countryPolicy"] = json!({ "allow": ["CN", "XX"], "deny": [] });
        let (validation, _) = validate(&config);
        assert_eq!(paths(&validation.errors), [r#"["countryPolicy"]"#]);
        config["countryPolicy"] = json!({ "allow": ["CN", "XX"] });
        let (validation, _) = validate(&config);
        assert_eq!(
            paths(&validation.errors),
            [r#"["countryPolicy","allow",1]"#]
        );
        assert_eq!(validation.errors[0].code, "unknown_country");
        // Other keys beside the one list are not read.
        config["countryPolicy"] = json!({ "allow": ["CN"], "note": "mainland only" });
        let policy = parse(&config).unwrap().country_policy.unwrap();
        assert!(!policy.decide("18765550123").allowed);
        config["countryPolicy"] = Value::Null;
        assert_eq!(parse(&config).unwrap().country_policy, None);
    }

    #[test]
    fn blocking_mainland_warns_only_when_templates_are_mainland_only() {
        let mut config = valid();
        config["countryPolicy"] = json!({ "allow": ["US"] });
        let (validation, parsed) = validate(&config);
        assert!(parsed.is_some());
        assert_eq!(paths(&validation.warnings), [r#"["countryPolicy"]"#]);
        assert_eq!(validation.warnings[0].code, "mainland_blocked");
        config["templates"][3]["internationalTemplateCode"] = json!("2004");
        assert!(validate(&config).0.warnings.is_empty());
        config["templates"][3]["internationalTemplateCode"] = json!("<template-code>");
        config["endpoint"] = json!("sms.intl.tencentcloudapi.com");
        assert!(validate(&config)
            .0
            .warnings
            .iter()
            .all(|issue| issue.code != "mainland_blocked"));
    }

    #[test]
    fn generic_is_the_fallback_template() {
        let (_, config) = validate(&valid());
        let config = config.unwrap();
        assert_eq!(config.template_for("SignIn").unwrap().template_code, "1001");
        assert_eq!(
            config.template_for("BindMfa").unwrap().template_code,
            "1004"
        );
    }

    #[test]
    fn template_locales_are_checked_across_entries() {
        let mut config = valid();
        let templates = config["templates"].as_array_mut().unwrap();
        templates[0]["internationalTemplateCode"] = json!("2001");
        templates[3]["internationalTemplateCode"] = json!("2004");
        for entry in [
            json!({ "usageType": "SignIn", "locale": "en", "templateCode": "1101" }),
            json!({ "usageType": "Generic", "locale": "en", "templateCode": "1104", "internationalTemplateCode": "2104" }),
            json!({ "usageType": "SignIn", "locale": "EN", "templateCode": "1201" }),
            json!({ "usageType": "SignIn", "locale": "zh_CN", "templateCode": "1301" }),
            json!({ "usageType": "SignIn", "locale": 5, "templateCode": "1401" }),
            json!({ "usageType": "SignIn", "locale": "ja", "templateCode": "1501" }),
            json!({ "usageType": "Register", "locale": "fr-CA", "templateCode": "1602" }),
            json!({ "usageType": "Generic", "locale": "fr", "templateCode": "1604", "internationalTemplateCode": "2604" }),
            json!({ "usageType": "SignIn", "locale": "", "templateCode": "1701" }),
        ] {
            templates.push(entry);
        }
        let (validation, parsed) = validate(&config);
        assert!(parsed.is_none());
        let found = |issues: &[Issue]| -> Vec<(String, &str)> {
            issues
                .iter()
                .map(|issue| {
                    (
                        serde_json::to_string(&issue.path).unwrap(),
                        issue.code.as_str(),
                    )
                })
                .collect()
        };
        assert_eq!(
            found(&validation.errors),
            [
                (r#"["templates",7,"locale"]"#.into(), "invalid_locale"),
                (r#"["templates",8,"locale"]"#.into(), "invalid_type"),
                (r#"["templates",6,"locale"]"#.into(), "duplicate_locale"),
            ]
        );
        assert!(validation.errors[2].message.contains("earlier entry"));
        assert_eq!(
            found(&validation.warnings),
            [
                // The empty locale is the default: a second SignIn default.
                (
                    r#"["templates",12,"usageType"]"#.into(),
                    "duplicate_usage_type"
                ),
                (
                    r#"["templates",4,"internationalTemplateCode"]"#.into(),
                    "locale_without_international"
                ),
                (
                    r#"["templates",9,"locale"]"#.into(),
                    "locale_without_generic"
                ),
                (
                    r#"["templates",9,"internationalTemplateCode"]"#.into(),
                    "locale_without_international"
                ),
                // Not at 10: Register's own default has no international template.
            ]
        );
        // Without the errors it parses; Generic fr serves fr-CA, so no warning for it.
        let templates = config["templates"].as_array_mut().unwrap();
        templates.retain(|entry| {
            !matches!(entry["locale"].as_str(), Some("EN" | "zh_CN"))
                && !entry["locale"].is_number()
        });
        let (validation, parsed) = validate(&config);
        assert!(validation.valid, "{:?}", validation.errors);
        let parsed = parsed.unwrap();
        assert_eq!(parsed.template_for("SignIn").unwrap().template_code, "1001");
        assert_eq!(
            parsed
                .template_for_languages("SignIn", &["en-GB", "en"])
                .unwrap()
                .template_code,
            "1101"
        );
    }

    #[test]
    fn only_localised_generic_entries_are_flagged() {
        let mut config = valid();
        config["templates"][3]["locale"] = json!("en");
        let (validation, parsed) = validate(&config);
        assert!(
            parsed.is_some(),
            "the official guard's rule counts any Generic entry"
        );
        let codes: Vec<_> = validation
            .warnings
            .iter()
            .map(|issue| issue.code.as_str())
            .collect();
        assert_eq!(codes, ["generic_without_default"]);
    }

    #[test]
    fn a_secret_in_a_locale_tag_does_not_come_back() {
        let secret = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
        let mut config = valid();
        let templates = config["templates"].as_array_mut().unwrap();
        // Well formed (private use, warned as a locale without Generic) and malformed: no
        // message may echo either unmasked.
        templates.push(json!({ "usageType": "SignIn", "locale": "en-x-Gu5t9xGA-RNpq86cd", "templateCode": "1" }));
        templates.push(
            json!({ "usageType": "SignIn", "locale": format!("{secret}_"), "templateCode": "1" }),
        );
        let (validation, _) = validate(&config);
        let shown = serde_json::to_string(&validation).unwrap();

        assert!(!shown.contains("Gu5t9xGA"), "{shown}");
        assert!(!shown.contains("RNpq86cd"), "{shown}");
    }
}
