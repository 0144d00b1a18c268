//! Which template a send uses for the user's language (issue 22): one config, one table. Each
//! row is a Logto message (type, `payload.locale`, `payload.uiLocales`, number) and the
//! TemplateId the SendSms body must carry.

use serde_json::{json, Value};
use tencent_sms_connector::config;
use tencent_sms_connector::send_sms::{build_request, parse_message};
use tencent_sms_connector::tc3::SigningKeys;

const MAINLAND: &str = "8613711112222";
const ABROAD: &str = "14155550123";

/// The shared sample config (`tests/fixtures/valid-config.json`) with templates in several
/// languages.
fn localised_config() -> Value {
    let mut config: Value =
        serde_json::from_str(include_str!("fixtures/valid-config.json")).expect("fixture");
    config["templates"] = json!([
            { "usageType": "SignIn", "templateCode": "1001", "internationalTemplateCode": "2001" },
            { "usageType": "Register", "templateCode": "1002" },
            { "usageType": "ForgotPassword", "templateCode": "1003" },
            { "usageType": "Generic", "templateCode": "1004", "internationalTemplateCode": "2004" },
            { "usageType": "SignIn", "locale": "en", "templateCode": "1101", "internationalTemplateCode": "2101" },
            { "usageType": "Generic", "locale": "en", "templateCode": "1104", "internationalTemplateCode": "2104" },
            { "usageType": "Generic", "locale": "fr", "templateCode": "1204", "internationalTemplateCode": "2204" },
            { "usageType": "SignIn", "locale": "fr-CA", "templateCode": "1301", "internationalTemplateCode": "2301" },
            { "usageType": "Generic", "locale": "ja", "templateCode": "1404" },
            { "usageType": "SignIn", "locale": "zh-TW", "templateCode": "1501", "internationalTemplateCode": "2501" },
            { "usageType": "Register", "locale": "pt-BR", "templateCode": "1602" },
            { "usageType": "ForgotPassword", "locale": "de", "templateCode": "1703", "internationalTemplateCode": "2703" },
            // Not a template ID: never sent, as without a locale.
            { "usageType": "SignIn", "locale": "ko", "templateCode": "<template-code>" }
    ]);
    config
}

/// (usage type, payload.locale, payload.uiLocales, to, expected TemplateId, why)
type Case = (
    &'static str,
    Value,
    Value,
    &'static str,
    &'static str,
    &'static str,
);

fn cases() -> Vec<Case> {
    let none = Value::Null;
    let s = |text: &str| json!(text);
    vec![
        (
            "SignIn",
            none.clone(),
            none.clone(),
            MAINLAND,
            "1001",
            "no locale: the default",
        ),
        (
            "SignIn",
            none.clone(),
            none.clone(),
            ABROAD,
            "2001",
            "no locale abroad: default international",
        ),
        (
            "Register",
            none.clone(),
            none.clone(),
            MAINLAND,
            "1002",
            "no locale, own default",
        ),
        (
            "BindMfa",
            none.clone(),
            none.clone(),
            MAINLAND,
            "1004",
            "no locale, Generic default",
        ),
        (
            "BindMfa",
            none.clone(),
            none.clone(),
            ABROAD,
            "2004",
            "no locale, Generic international",
        ),
        (
            "SignIn",
            s("en"),
            none.clone(),
            MAINLAND,
            "1101",
            "locale only, exact",
        ),
        (
            "SignIn",
            s("en"),
            none.clone(),
            ABROAD,
            "2101",
            "locale only, international",
        ),
        (
            "Register",
            s("en"),
            none.clone(),
            MAINLAND,
            "1104",
            "language before usage: Generic en beats Register default",
        ),
        (
            "Register",
            s("en"),
            none.clone(),
            ABROAD,
            "2104",
            "Generic en international",
        ),
        (
            "SignIn",
            s("en-US"),
            none.clone(),
            MAINLAND,
            "1101",
            "region fallback: en serves en-US",
        ),
        (
            "SignIn",
            s("en-GB"),
            none.clone(),
            ABROAD,
            "2101",
            "region fallback abroad",
        ),
        (
            "SignIn",
            s("fr"),
            none.clone(),
            MAINLAND,
            "1204",
            "fr-CA does not serve fr: Generic fr",
        ),
        (
            "SignIn",
            s("fr-CA"),
            none.clone(),
            MAINLAND,
            "1301",
            "exact region",
        ),
        (
            "SignIn",
            s("fr-CA"),
            none.clone(),
            ABROAD,
            "2301",
            "exact region abroad",
        ),
        (
            "Register",
            s("fr-CA"),
            none.clone(),
            MAINLAND,
            "1204",
            "Generic fr serves fr-CA",
        ),
        (
            "SignIn",
            s("fr-FR"),
            none.clone(),
            MAINLAND,
            "1204",
            "another region: bare fr",
        ),
        (
            "SignIn",
            s("ja"),
            none.clone(),
            MAINLAND,
            "1404",
            "Generic ja",
        ),
        (
            "SignIn",
            s("ja"),
            none.clone(),
            ABROAD,
            "1404",
            "ja has no international template: its mainland one",
        ),
        (
            "SignIn",
            s("ko"),
            none.clone(),
            MAINLAND,
            "1001",
            "ko entry is a placeholder: default",
        ),
        (
            "SignIn",
            s("ko"),
            none.clone(),
            ABROAD,
            "2001",
            "unknown language abroad: default international",
        ),
        (
            "SignIn",
            none.clone(),
            s("fr-CA fr"),
            MAINLAND,
            "1301",
            "uiLocales only",
        ),
        (
            "SignIn",
            none.clone(),
            s("ko ja"),
            MAINLAND,
            "1404",
            "uiLocales only, second tag",
        ),
        (
            "SignIn",
            none.clone(),
            s("ko"),
            MAINLAND,
            "1001",
            "uiLocales only, unknown",
        ),
        (
            "SignIn",
            none.clone(),
            s("  ja   en "),
            MAINLAND,
            "1404",
            "uiLocales with extra spaces",
        ),
        (
            "SignIn",
            s("ko"),
            s("ja en"),
            MAINLAND,
            "1404",
            "both: unknown locale, then uiLocales",
        ),
        (
            "SignIn",
            s("en"),
            s("fr-CA"),
            MAINLAND,
            "1101",
            "both: locale first",
        ),
        (
            "SignIn",
            s("zh-CN"),
            s("fr"),
            MAINLAND,
            "1204",
            "both: zh-CN unmatched, then fr",
        ),
        (
            "SignIn",
            s("fr"),
            s("zh-TW"),
            MAINLAND,
            "1204",
            "a French Generic beats a Chinese SignIn",
        ),
        (
            "SignIn",
            s("zh-TW"),
            none.clone(),
            MAINLAND,
            "1501",
            "exact zh-TW",
        ),
        (
            "SignIn",
            s("zh-TW"),
            none.clone(),
            ABROAD,
            "2501",
            "zh-TW abroad",
        ),
        (
            "SignIn",
            s("ZH-tw"),
            none.clone(),
            MAINLAND,
            "1501",
            "case-insensitive",
        ),
        (
            "SignIn",
            s("EN"),
            none.clone(),
            MAINLAND,
            "1101",
            "case-insensitive bare language",
        ),
        (
            "SignIn",
            s("zh-Hant-TW"),
            none.clone(),
            MAINLAND,
            "1001",
            "zh-TW does not serve zh-Hant-TW",
        ),
        (
            "SignIn",
            s("zh"),
            none.clone(),
            MAINLAND,
            "1001",
            "zh-TW does not serve zh",
        ),
        (
            "SignIn",
            s("en_US"),
            none.clone(),
            MAINLAND,
            "1001",
            "malformed tag is ignored",
        ),
        (
            "SignIn",
            s(""),
            none.clone(),
            MAINLAND,
            "1001",
            "empty locale",
        ),
        (
            "SignIn",
            s("x-klingon"),
            none.clone(),
            MAINLAND,
            "1001",
            "private-use tag: default",
        ),
        (
            "SignIn",
            json!(5),
            json!(["en"]),
            MAINLAND,
            "1001",
            "non-string locale and uiLocales are ignored",
        ),
        (
            "Register",
            s("pt-BR"),
            none.clone(),
            MAINLAND,
            "1602",
            "own type, exact region",
        ),
        (
            "Register",
            s("pt-BR"),
            none.clone(),
            ABROAD,
            "1602",
            "no international: mainland id abroad",
        ),
        (
            "Register",
            s("pt-PT"),
            none.clone(),
            MAINLAND,
            "1002",
            "pt-BR does not serve pt-PT",
        ),
        (
            "Register",
            s("pt"),
            none.clone(),
            MAINLAND,
            "1002",
            "pt-BR does not serve pt",
        ),
        (
            "Register",
            s("fr"),
            s("pt-BR"),
            MAINLAND,
            "1204",
            "earlier language's Generic beats later language's own type",
        ),
        (
            "Register",
            s("pt-BR"),
            s("fr"),
            MAINLAND,
            "1602",
            "own type in the first language",
        ),
        (
            "ForgotPassword",
            s("de-AT"),
            none.clone(),
            MAINLAND,
            "1703",
            "de serves de-AT",
        ),
        (
            "ForgotPassword",
            s("de-AT"),
            none.clone(),
            ABROAD,
            "2703",
            "de serves de-AT abroad",
        ),
        (
            "ForgotPassword",
            none.clone(),
            s("it de-CH"),
            MAINLAND,
            "1703",
            "uiLocales region fallback",
        ),
        (
            "SignIn",
            s("de"),
            none.clone(),
            MAINLAND,
            "1001",
            "de only for ForgotPassword: SignIn default",
        ),
        (
            "MfaVerification",
            s("en"),
            none.clone(),
            MAINLAND,
            "1104",
            "Generic fallback in the language",
        ),
        (
            "MfaVerification",
            s("fr-CA"),
            none.clone(),
            MAINLAND,
            "1204",
            "Generic fr for fr-CA, SignIn fr-CA is another type",
        ),
        (
            "MfaVerification",
            s("ja"),
            none.clone(),
            ABROAD,
            "1404",
            "Generic ja abroad",
        ),
        (
            "MfaVerification",
            s("en-AU"),
            none.clone(),
            ABROAD,
            "2104",
            "Generic en international for en-AU",
        ),
        (
            "SignIn",
            none.clone(),
            s("en-US fr-CA"),
            MAINLAND,
            "1101",
            "first uiLocale wins",
        ),
    ]
}

/// The crate's JSON value for `value`: serde_json's natively, its own in the wasm.
fn crate_value(value: &Value) -> tencent_sms_connector::JsonValue {
    tencent_sms_connector::parse_json(value.to_string().as_bytes()).unwrap()
}

#[test]
fn templates_are_chosen_by_the_users_language() {
    let config = config::parse(&crate_value(&localised_config())).unwrap();
    let cases = cases();
    assert!(cases.len() >= 40);
    let mut failures = Vec::new();
    for (kind, locale, ui_locales, to, expected, why) in &cases {
        let mut payload = json!({ "code": "123456" });
        if !locale.is_null() {
            payload["locale"] = locale.clone();
        }
        if !ui_locales.is_null() {
            payload["uiLocales"] = ui_locales.clone();
        }
        let message = parse_message(&crate_value(
            &json!({ "to": to, "type": kind, "payload": payload }),
        ))
        .unwrap();
        let request = build_request(
            &config,
            &message,
            1_700_000_000,
            &mut SigningKeys::default(),
        )
        .unwrap();
        let body: Value = serde_json::from_str(&request.body).unwrap();
        if body["TemplateId"] != *expected {
            failures.push(format!(
                "{kind} locale={locale} uiLocales={ui_locales} to={to}: got {}, want {expected} ({why})",
                body["TemplateId"]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn without_a_default_generic_an_unmatched_language_finds_no_template() {
    let mut value = localised_config();
    let templates = value["templates"].as_array_mut().unwrap();
    templates.retain(|template| {
        !(template["usageType"] == "Generic" && template.get("locale").is_none())
    });
    let config = config::parse(&crate_value(&value)).unwrap();
    let send = |kind: &str, locale: &str| {
        let message = parse_message(&crate_value(
            &json!({ "to": MAINLAND, "type": kind, "payload": { "code": "1", "locale": locale } }),
        ))
        .unwrap();
        build_request(&config, &message, 1, &mut SigningKeys::default()).map(|request| {
            serde_json::from_str::<Value>(&request.body).unwrap()["TemplateId"].clone()
        })
    };
    assert_eq!(send("BindMfa", "ja").unwrap(), "1404");
    assert_eq!(send("SignIn", "ko").unwrap(), "1001");
    let error = send("BindMfa", "ko").unwrap_err();
    assert_eq!(
        error.code,
        tencent_sms_connector::error::ErrorCode::TemplateNotFound
    );
}

/// Random localised configs and language lists against the rule written out plainly: the first
/// language some sendable T or Generic entry serves (T first, exact tag before a bare language),
/// else T's default, else Generic's.
#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;
    use tencent_sms_connector::config::{is_template_id, Template};
    use tencent_sms_connector::locale;

    const TAGS: [&str; 7] = ["en", "en-US", "fr", "fr-CA", "ja", "zh-CN", "ZH-cn"];
    const TYPES: [&str; 3] = ["SignIn", "Generic", "BindMfa"];

    fn entry() -> impl Strategy<Value = Value> {
        (
            prop::sample::select(TYPES.to_vec()),
            prop::option::of(prop::sample::select(TAGS.to_vec())),
            prop_oneof![4 => "[1-9][0-9]{3}", 1 => Just("<template-code>".to_owned())],
        )
            .prop_map(|(usage_type, locale, code)| {
                let mut entry = json!({ "usageType": usage_type, "templateCode": code });
                if let Some(locale) = locale {
                    entry["locale"] = json!(locale);
                }
                entry
            })
    }

    fn expected<'a>(
        templates: &'a [Template],
        usage_type: &str,
        languages: &[String],
    ) -> Option<&'a Template> {
        let sendable = |template: &&Template| is_template_id(&template.template_code);
        let pick = |usage: &str, wanted: &dyn Fn(Option<&str>) -> bool| {
            templates
                .iter()
                .filter(sendable)
                .find(|template| template.usage_type == usage && wanted(template.locale.as_deref()))
        };
        for language in languages {
            for usage in [usage_type, "Generic"] {
                let exact = pick(usage, &|tag| {
                    tag.is_some_and(|tag| tag.eq_ignore_ascii_case(language))
                });
                let bare = pick(usage, &|tag| {
                    tag.is_some_and(|tag| {
                        !tag.contains('-')
                            && tag.eq_ignore_ascii_case(language.split('-').next().unwrap())
                    })
                });
                if let Some(found) = exact.or(bare) {
                    return Some(found);
                }
            }
        }
        pick(usage_type, &|tag| tag.is_none()).or_else(|| pick("Generic", &|tag| tag.is_none()))
    }

    proptest! {
        #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn resolution_follows_the_rule(
            entries in prop::collection::vec(entry(), 0..10),
            locale in prop::option::of(prop::sample::select(TAGS.to_vec())),
            ui_locales in prop::collection::vec(prop::sample::select(TAGS.to_vec()), 0..3),
            usage_type in prop::sample::select(TYPES.to_vec()),
        ) {
            let mut value = localised_config();
            value["templates"] = json!(entries);
            let Ok(config) = config::parse(&value) else {
                // Only a repeated (usageType, locale) is refused.
                let repeated = entries.iter().enumerate().any(|(index, entry)| {
                    entry.get("locale").is_some() && entries[..index].iter().any(|earlier| {
                        earlier["usageType"] == entry["usageType"]
                            && earlier["locale"].as_str().map(str::to_ascii_lowercase)
                                == entry["locale"].as_str().map(str::to_ascii_lowercase)
                    })
                });
                prop_assert!(repeated);
                return Ok(());
            };
            let languages = locale::user_languages(locale, Some(&ui_locales.join(" ")));
            let chosen = config.template_for_languages(usage_type, &languages);
            prop_assert_eq!(chosen, expected(&config.templates, usage_type, &languages));
            if config.templates.iter().all(|template| template.locale.is_none()) {
                // Without locale entries, no language changes the choice: configs as before.
                prop_assert_eq!(chosen, config.template_for(usage_type));
            }
        }
    }
}
