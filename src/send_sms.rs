//! One SendSms request: from config + Logto message + time to the exact bytes and signed headers.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::json::Value;

use crate::config::{fill_code, is_template_id, Config, CODE_PLACEHOLDER};
use crate::error::{ConnectorError, ErrorCode};
use crate::json::{self, Object, WriteJson};
use crate::locale;
use crate::phone::{self, E164};
use crate::redact::quote;
use crate::tc3::{self, SignInput, SigningKeys, DEFAULT_SIGNED_HEADERS};
use crate::text::{concat, decimal, find_text};

pub const SERVICE: &str = "sms";
pub const ACTION: &str = "SendSms";
pub const VERSION: &str = "2021-01-11";
pub const CONTENT_TYPE: &str = "application/json; charset=utf-8";
/// Names this connector to Tencent the way its SDKs do (`SDK_NODEJS_4.x`); not signed. The
/// version is Cargo's, which the npm package shares.
pub const REQUEST_CLIENT_HEADER: &str = "X-TC-RequestClient";
pub const REQUEST_CLIENT: &str = concat!("connector-tencent-sms-wasm/", env!("CARGO_PKG_VERSION"));

/// What Logto asks to send: `{ to, type, payload: { code, … } }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub to: E164,
    pub usage_type: String,
    pub code: String,
    /// From `payload.locale` and `payload.uiLocales`, in the order to try (see [`locale`]).
    pub languages: Vec<String>,
    /// Tencent's `SessionContext`: the send id of the send's event, so the SMS console's records
    /// and receipts join to it. Not from Logto's message.
    pub session_context: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsRequest {
    pub url: String,
    /// Serialised once; the signature covers exactly these bytes.
    pub body: String,
    pub headers: Vec<(&'static str, String)>,
}

/// Written in Tencent's Pascal case, without the fields that are `None`.
struct SendSmsBody<'a> {
    phone_number_set: [&'a str; 1],
    sms_sdk_app_id: &'a str,
    sign_name: Option<&'a str>,
    template_id: &'a str,
    /// The template's `templateParams` with the code filled in; never other payload keys
    /// (`locale`, `uiLocales`), which would break the approved placeholder count.
    template_param_set: Vec<String>,
    sender_id: Option<&'a str>,
    session_context: Option<&'a str>,
}

impl WriteJson for SendSmsBody<'_> {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("PhoneNumberSet", self.phone_number_set.as_slice())
            .field("SmsSdkAppId", self.sms_sdk_app_id)
            .optional("SignName", self.sign_name)
            .field("TemplateId", self.template_id)
            .field("TemplateParamSet", &self.template_param_set)
            .optional("SenderId", self.sender_id)
            .optional("SessionContext", self.session_context)
            .end();
    }
}

/// What one send uses: mainland numbers the plain fields, other numbers the international ones.
pub(crate) struct Choice<'a> {
    pub template_id: &'a str,
    /// The template entry's `locale`.
    pub locale: Option<&'a str>,
    sign_name: Option<&'a str>,
    params: &'a [String],
    sender_id: Option<&'a str>,
}

pub fn parse_message(data: &Value) -> Result<Message, ConnectorError> {
    let invalid =
        |message: String| ConnectorError::new(ErrorCode::InvalidRequestParameters, message);
    let Value::Object(fields) = data else {
        return Err(invalid(
            "sendMessage needs { to, type, payload: { code } }".into(),
        ));
    };
    let to = match fields.get("to") {
        Some(Value::String(to)) => to,
        _ => {
            return Err(invalid(
                "`to` must be the recipient's phone number as a string".into(),
            ))
        }
    };
    let to = phone::normalize(to).map_err(|error| {
        invalid(concat(&[
            "Cannot send to \"",
            &quote(to, 24),
            "\": ",
            error.0,
            ".",
        ]))
    })?;
    let usage_type = match fields.get("type") {
        Some(Value::String(kind)) if !kind.is_empty() => kind.clone(),
        _ => {
            return Err(invalid(
                "`type` must be a Logto template type such as \"SignIn\"".into(),
            ))
        }
    };
    let code = match fields
        .get("payload")
        .and_then(|payload| payload.get("code"))
    {
        Some(Value::String(code)) if !code.is_empty() => code.clone(),
        Some(Value::Number(code)) if code.is_u64() => decimal(code.as_u64().unwrap_or_default()),
        _ => {
            return Err(invalid(
                "`payload.code` must be the verification code to send".into(),
            ))
        }
    };
    let payload_text = |key: &str| {
        fields
            .get("payload")
            .and_then(|payload| payload.get(key))
            .and_then(Value::as_str)
    };
    let languages = locale::user_languages(payload_text("locale"), payload_text("uiLocales"));
    Ok(Message {
        to,
        usage_type,
        code,
        languages,
        session_context: None,
    })
}

/// The template for the message's type and the user's languages (see [`locale::resolve`]); then
/// signature, parameters and Sender ID for this number: mainland numbers use the plain
/// fields; other numbers the template's international variant when it has a real one, and
/// `senderId` always (Tencent's SenderId is for international SMS only).
pub(crate) fn choose<'a>(
    config: &'a Config,
    message: &Message,
) -> Result<Choice<'a>, ConnectorError> {
    let template = config
        .template_for_languages(&message.usage_type, &message.languages)
        .ok_or_else(|| {
        ConnectorError::new(
            ErrorCode::TemplateNotFound,
            concat(&["No template for usageType \"", &quote(&message.usage_type, 40), "\" and no Generic template, for the user's language or without locale: add { \"usageType\": \"Generic\", \"templateCode\": \"<approved template ID>\" } to templates."]),
        )
    })?;
    if message.to.is_mainland_china() {
        return Ok(Choice {
            template_id: &template.template_code,
            locale: template.locale.as_deref(),
            sign_name: Some(&config.sign_name),
            params: &template.template_params,
            sender_id: None,
        });
    }
    let sender_id = config.sender_id.as_deref();
    Ok(match &template.international_template_code {
        Some(international) if is_template_id(international) => Choice {
            template_id: international,
            locale: template.locale.as_deref(),
            sign_name: config.international_sign_name.as_deref(),
            params: &template.international_template_params,
            sender_id,
        },
        _ => Choice {
            template_id: &template.template_code,
            locale: template.locale.as_deref(),
            sign_name: Some(&config.sign_name),
            params: &template.template_params,
            sender_id,
        },
    })
}

/// Template values one request may carry, and their total UTF-8 length with the code filled in.
/// Tencent's own limits are far lower (a few variables of at most a few dozen characters); these
/// only keep a hostile config or code from costing seconds and megabytes before Tencent says no.
pub const MAX_TEMPLATE_PARAMS: usize = 64;
pub const MAX_FILLED_PARAMS_BYTES: usize = 16 << 10;

/// The values as Tencent would get them must fit the bounds; measured without filling them in.
fn check_param_bounds(params: &[String], code: &str) -> Result<(), ConnectorError> {
    if params.len() > MAX_TEMPLATE_PARAMS {
        return Err(ConnectorError::new(
            ErrorCode::InvalidConfig,
            concat(&[
                "This template has ",
                &decimal(params.len() as u64),
                " templateParams; a Tencent template has a few placeholders, and at most ",
                &decimal(MAX_TEMPLATE_PARAMS as u64),
                " values are sent: give one value per placeholder.",
            ]),
        ));
    }
    let mut own = 0_usize;
    let mut codes = 0_usize;
    for param in params {
        let mut rest = param.as_str();
        while let Some(at) = find_text(rest, CODE_PLACEHOLDER) {
            codes += 1;
            rest = rest.get(at + CODE_PLACEHOLDER.len()..).unwrap_or_default();
        }
        own = own.saturating_add(param.len());
    }
    let own = own.saturating_sub(codes.saturating_mul(CODE_PLACEHOLDER.len()));
    if own > MAX_FILLED_PARAMS_BYTES {
        return Err(ConnectorError::new(
            ErrorCode::InvalidConfig,
            concat(&[
                "This template's templateParams hold ",
                &decimal(own as u64),
                " bytes besides the code; at most ",
                &decimal(MAX_FILLED_PARAMS_BYTES as u64),
                " are sent, and Tencent allows far less: shorten them.",
            ]),
        ));
    }
    if own.saturating_add(codes.saturating_mul(code.len())) > MAX_FILLED_PARAMS_BYTES {
        return Err(ConnectorError::new(
            ErrorCode::InvalidRequestParameters,
            concat(&[
                "The verification code (",
                &decimal(code.len() as u64),
                " bytes, placed ",
                &decimal(codes as u64),
                " times) makes the template values longer than ",
                &decimal(MAX_FILLED_PARAMS_BYTES as u64),
                " bytes: send a short code.",
            ]),
        ));
    }
    Ok(())
}

pub fn build_request(
    config: &Config,
    message: &Message,
    timestamp: u64,
    keys: &mut SigningKeys,
) -> Result<SmsRequest, ConnectorError> {
    // Before anything is built: a number the policy refuses never becomes a request.
    if let Some(policy) = &config.country_policy {
        policy.check(&message.to)?;
    }
    let choice = choose(config, message)?;
    check_param_bounds(choice.params, &message.code)?;
    let body = SendSmsBody {
        phone_number_set: [message.to.as_str()],
        sms_sdk_app_id: &config.sdk_app_id,
        sign_name: choice.sign_name,
        template_id: choice.template_id,
        // A loop, not map/collect: a generic body of its own in the wasm.
        template_param_set: {
            let mut filled = Vec::with_capacity(choice.params.len());
            for param in choice.params {
                filled.push(fill_code(param, &message.code));
            }
            filled
        },
        sender_id: choice.sender_id,
        session_context: message.session_context.as_deref(),
    };
    signed(config, ACTION, json::to_string(&body), timestamp, keys)
}

/// `body` as a request for `action` (any SMS API 2021-01-11 action) with `config`'s endpoint,
/// region, language and keys: SendSms's and [`crate::api_call`]'s one signing path.
pub(crate) fn signed(
    config: &Config,
    action: &str,
    body: String,
    timestamp: u64,
    keys: &mut SigningKeys,
) -> Result<SmsRequest, ConnectorError> {
    let signed = tc3::sign(
        &SignInput {
            secret_id: &config.access_key_id,
            secret_key: &config.access_key_secret,
            service: SERVICE,
            host: &config.endpoint.host,
            action,
            version: VERSION,
            region: Some(&config.region),
            timestamp,
            payload: body.as_bytes(),
            content_type: CONTENT_TYPE,
            token: None,
            language: config.language.map(|language| language.as_str()),
            signed_headers: &DEFAULT_SIGNED_HEADERS,
        },
        keys,
    )
    .map_err(|error| {
        // The signer's inputs come from these config fields.
        let field = match error.field {
            "secretId" => "accessKeyId",
            "secretKey" => "accessKeySecret",
            other => other,
        };
        ConnectorError::new(
            ErrorCode::InvalidConfig,
            concat(&[
                field,
                " ",
                &error.problem,
                ": copy it again exactly as Tencent Cloud issued it.",
            ]),
        )
    })?;
    let mut headers = signed.headers;
    headers.push((REQUEST_CLIENT_HEADER, REQUEST_CLIENT.to_owned()));
    Ok(SmsRequest {
        url: config.endpoint.url.clone(),
        body,
        headers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config;
    use serde_json::json;

    #[test]
    fn template_values_are_bounded_before_they_are_built() {
        let mut value = config::tests::valid();
        let message = parse_message(
            &json!({ "to": "8613711112222", "type": "SignIn", "payload": { "code": "1".repeat(500_000) } }),
        )
        .unwrap();
        let refusal = |value: &Value| {
            build_request(
                &config::parse(value).unwrap(),
                &message,
                1,
                &mut SigningKeys::default(),
            )
            .unwrap_err()
        };
        value["templates"][0]["templateParams"] = json!(vec!["{code}"; 3_000]);
        assert_eq!(refusal(&value).code, ErrorCode::InvalidConfig);
        value["templates"][0]["templateParams"] = json!(["{code}".repeat(3_000)]);
        let error = refusal(&value);
        assert_eq!(error.code, ErrorCode::InvalidRequestParameters);
        assert!(
            error.message().contains("500000 bytes, placed 3000 times"),
            "{}",
            error.message()
        );
        value["templates"][0]["templateParams"] = json!(["{code}", "x".repeat(20_000)]);
        let error = refusal(&value);
        assert_eq!(error.code, ErrorCode::InvalidConfig);
    }

    fn config(extra: Value) -> Config {
        let mut value = config::tests::valid();
        value["templates"][0]["internationalTemplateCode"] = json!("2001");
        for (key, field) in extra.as_object().unwrap() {
            value[key] = field.clone();
        }
        config::parse(&value).unwrap()
    }

    fn message(to: &str, kind: &str) -> Message {
        parse_message(&json!({ "to": to, "type": kind, "payload": { "code": "123456", "locale": "en", "uiLocales": "fr-CA fr" } })).unwrap()
    }

    fn body(request: &SmsRequest) -> Value {
        serde_json::from_str(&request.body).unwrap()
    }

    #[test]
    fn a_number_the_country_policy_refuses_never_becomes_a_request() {
        let config = config(json!({ "countryPolicy": { "allow": ["CN", "US", "!+1900"] } }));
        let refused = build_request(
            &config,
            &message("18765550123", "SignIn"),
            1_700_000_000,
            &mut SigningKeys::default(),
        )
        .unwrap_err();
        assert_eq!(refused.code, ErrorCode::General);
        assert!(refused.data.message.contains("(JM, +1876…)"));
        let refused = build_request(
            &config,
            &message("19005550123", "SignIn"),
            1_700_000_000,
            &mut SigningKeys::default(),
        )
        .unwrap_err();
        assert!(refused
            .data
            .message
            .starts_with(r#"countryPolicy.allow[2] "!+1900" blocks"#));
        for allowed in ["14155550123", "8613711112222"] {
            assert!(build_request(
                &config,
                &message(allowed, "SignIn"),
                1_700_000_000,
                &mut SigningKeys::default()
            )
            .is_ok());
        }
    }

    #[test]
    fn body_is_compact_raw_utf8_with_string_ids_and_only_the_code() {
        let request = build_request(
            &config(json!({})),
            &message("8613711112222", "Register"),
            1_700_000_000,
            &mut SigningKeys::default(),
        )
        .unwrap();
        assert_eq!(
            request.body,
            r#"{"PhoneNumberSet":["+8613711112222"],"SmsSdkAppId":"1400006666","SignName":"腾讯云","TemplateId":"1002","TemplateParamSet":["123456"]}"#
        );
        assert_eq!(request.url, "https://sms.tencentcloudapi.com/");
    }

    #[test]
    fn headers_are_signed_over_the_exact_body() {
        let config = config(json!({}));
        let request = build_request(
            &config,
            &message("8613711112222", "SignIn"),
            1_700_000_000,
            &mut SigningKeys::default(),
        )
        .unwrap();
        let steps = tc3::signing_steps(
            &SignInput {
                secret_id: &config.access_key_id,
                secret_key: &config.access_key_secret,
                service: "sms",
                host: "sms.tencentcloudapi.com",
                action: "SendSms",
                version: "2021-01-11",
                region: Some("ap-guangzhou"),
                timestamp: 1_700_000_000,
                payload: request.body.as_bytes(),
                content_type: CONTENT_TYPE,
                token: None,
                language: None,
                signed_headers: &DEFAULT_SIGNED_HEADERS,
            },
            &mut SigningKeys::default(),
        )
        .unwrap();
        let authorization = &request.headers[0];
        assert_eq!(authorization.0, "Authorization");
        assert!(authorization.1.ends_with(&steps.signature));
        assert!(request
            .headers
            .contains(&("X-TC-Region", "ap-guangzhou".into())));
        assert!(request
            .headers
            .contains(&("X-TC-Timestamp", "1700000000".into())));
    }

    #[test]
    fn unknown_types_fall_back_to_generic_then_fail() {
        let request = build_request(
            &config(json!({})),
            &message("8613711112222", "BindMfa"),
            1,
            &mut SigningKeys::default(),
        )
        .unwrap();
        assert_eq!(body(&request)["TemplateId"], "1004");
        let mut no_generic = config(json!({}));
        no_generic
            .templates
            .retain(|template| template.usage_type != "Generic");
        let error = build_request(
            &no_generic,
            &message("8613711112222", "BindMfa"),
            1,
            &mut SigningKeys::default(),
        )
        .unwrap_err();
        assert_eq!(error.code, ErrorCode::TemplateNotFound);
        assert!(error.message().contains("BindMfa"));
    }

    #[test]
    fn foreign_numbers_use_the_international_template_and_sign() {
        let both = config(json!({ "internationalSignName": "Acme" }));
        let mainland = body(
            &build_request(
                &both,
                &message("8613711112222", "SignIn"),
                1,
                &mut SigningKeys::default(),
            )
            .unwrap(),
        );
        assert_eq!(
            (
                mainland["TemplateId"].as_str(),
                mainland["SignName"].as_str()
            ),
            (Some("1001"), Some("腾讯云"))
        );
        let foreign = body(
            &build_request(
                &both,
                &message("14155550123", "SignIn"),
                1,
                &mut SigningKeys::default(),
            )
            .unwrap(),
        );
        assert_eq!(
            (foreign["TemplateId"].as_str(), foreign["SignName"].as_str()),
            (Some("2001"), Some("Acme"))
        );
        let without_sign = config(json!({}));
        let foreign = body(
            &build_request(
                &without_sign,
                &message("85291234567", "SignIn"),
                1,
                &mut SigningKeys::default(),
            )
            .unwrap(),
        );
        assert_eq!(foreign["TemplateId"], "2001");
        assert!(foreign.get("SignName").is_none());
        // A template without an international variant behaves as before.
        let old = body(
            &build_request(
                &without_sign,
                &message("14155550123", "Register"),
                1,
                &mut SigningKeys::default(),
            )
            .unwrap(),
        );
        assert_eq!(
            (old["TemplateId"].as_str(), old["SignName"].as_str()),
            (Some("1002"), Some("腾讯云"))
        );
    }

    #[test]
    fn language_adds_the_header_and_regional_endpoint_sets_host() {
        let config = config(
            json!({ "language": "zh-CN", "endpoint": "sms.ap-guangzhou.tencentcloudapi.com" }),
        );
        let request = build_request(
            &config,
            &message("8613711112222", "SignIn"),
            1,
            &mut SigningKeys::default(),
        )
        .unwrap();
        assert!(request.headers.contains(&("X-TC-Language", "zh-CN".into())));
        assert!(request.headers.iter().all(|(name, _)| *name != "Host"));
        assert_eq!(request.url, "https://sms.ap-guangzhou.tencentcloudapi.com/");
    }

    #[test]
    fn template_params_fill_in_the_code_in_order() {
        let config = config(json!({
            "templates": [
                { "usageType": "SignIn", "templateCode": "1001", "templateParams": ["{code}", "10"],
                  "internationalTemplateCode": "2001", "internationalTemplateParams": ["{code}"] },
                { "usageType": "Register", "templateCode": "1002", "templateParams": ["5", "A{code}{code}"],
                  "internationalTemplateCode": "2002" },
                { "usageType": "Generic", "templateCode": "1004" }
            ]
        }));
        let sent = |to: &str, kind: &str| {
            body(
                &build_request(&config, &message(to, kind), 1, &mut SigningKeys::default())
                    .unwrap(),
            )["TemplateParamSet"]
                .clone()
        };
        assert_eq!(sent("8613711112222", "SignIn"), json!(["123456", "10"]));
        assert_eq!(sent("14155550123", "SignIn"), json!(["123456"]));
        assert_eq!(
            sent("8613711112222", "Register"),
            json!(["5", "A123456123456"])
        );
        // internationalTemplateParams defaults to templateParams.
        assert_eq!(
            sent("14155550123", "Register"),
            json!(["5", "A123456123456"])
        );
        assert_eq!(sent("14155550123", "BindMfa"), json!(["123456"]));
    }

    #[test]
    fn sender_id_goes_only_to_numbers_outside_mainland_china() {
        let with_sender = config(json!({ "senderId": "Acme" }));
        let mainland = body(
            &build_request(
                &with_sender,
                &message("8613711112222", "SignIn"),
                1,
                &mut SigningKeys::default(),
            )
            .unwrap(),
        );
        assert!(mainland.get("SenderId").is_none());
        for (to, kind) in [("14155550123", "SignIn"), ("85291234567", "Register")] {
            let foreign = body(
                &build_request(
                    &with_sender,
                    &message(to, kind),
                    1,
                    &mut SigningKeys::default(),
                )
                .unwrap(),
            );
            assert_eq!(foreign["SenderId"], "Acme", "{to} {kind}");
        }
        let without = config(json!({}));
        let foreign = body(
            &build_request(
                &without,
                &message("14155550123", "SignIn"),
                1,
                &mut SigningKeys::default(),
            )
            .unwrap(),
        );
        assert!(foreign.get("SenderId").is_none());
    }

    #[test]
    fn a_placeholder_international_code_is_never_sent() {
        let config = config(json!({
            "templates": [
                { "usageType": "SignIn", "templateCode": "1001", "internationalTemplateCode": "<template-code>" },
                { "usageType": "Register", "templateCode": "<template-code>" },
                { "usageType": "Generic", "templateCode": "1004", "internationalTemplateCode": "2004" }
            ]
        }));
        let foreign = body(
            &build_request(
                &config,
                &message("14155550123", "SignIn"),
                1,
                &mut SigningKeys::default(),
            )
            .unwrap(),
        );
        assert_eq!(foreign["TemplateId"], "1001");
        let register = body(
            &build_request(
                &config,
                &message("14155550123", "Register"),
                1,
                &mut SigningKeys::default(),
            )
            .unwrap(),
        );
        assert_eq!(register["TemplateId"], "2004");
    }

    #[test]
    fn the_request_names_this_client_unsigned() {
        let request = build_request(
            &config(json!({})),
            &message("8613711112222", "SignIn"),
            1,
            &mut SigningKeys::default(),
        )
        .unwrap();
        let client = request
            .headers
            .iter()
            .find(|(name, _)| *name == "X-TC-RequestClient")
            .map(|(_, value)| value.as_str());
        assert_eq!(
            client,
            Some(concat!(
                "connector-tencent-sms-wasm/",
                env!("CARGO_PKG_VERSION")
            ))
        );
        assert!(request.headers[0]
            .1
            .contains("SignedHeaders=content-type;host,"));
    }

    #[test]
    fn the_international_site_endpoint_is_signed_for_sms() {
        let config =
            config(json!({ "endpoint": "sms.intl.tencentcloudapi.com", "region": "ap-singapore" }));
        let request = build_request(
            &config,
            &message("6591234567", "SignIn"),
            1_700_000_000,
            &mut SigningKeys::default(),
        )
        .unwrap();
        assert_eq!(request.url, "https://sms.intl.tencentcloudapi.com/");
        assert!(request.headers.iter().all(|(name, _)| *name != "Host"));
        assert!(request.headers[0].1.contains("/2023-11-14/sms/tc3_request"));
    }

    #[test]
    fn padded_keys_are_refused_naming_the_config_field() {
        let mut padded = config(json!({}));
        padded.access_key_id.push(' ');
        let error = build_request(
            &padded,
            &message("8613711112222", "SignIn"),
            1,
            &mut SigningKeys::default(),
        )
        .unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidConfig);
        assert!(
            error.message().starts_with("accessKeyId "),
            "{}",
            error.message()
        );
    }

    #[test]
    fn bad_messages_are_invalid_request_parameters() {
        for data in [
            json!(null),
            json!({ "to": 8613711112222_u64, "type": "SignIn", "payload": { "code": "1" } }),
            json!({ "to": "abc", "type": "SignIn", "payload": { "code": "1" } }),
            json!({ "to": "8613711112222", "payload": { "code": "1" } }),
            json!({ "to": "8613711112222", "type": "SignIn", "payload": {} }),
        ] {
            assert_eq!(
                parse_message(&data).unwrap_err().code,
                ErrorCode::InvalidRequestParameters,
                "{data}"
            );
        }
    }
}
