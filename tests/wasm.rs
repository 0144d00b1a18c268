//! The binding itself, compiled to wasm32 and run in Node by wasm-bindgen-test-runner:
//! JS values in and out, the host's fetch, errors as JS `Error`s with `code` and `data`.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, JsString, Object, Reflect, JSON};
use tencent_sms_connector::wasm::{send_message, sign_request, validate_config};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen(inline_js = "
export function answerWith(status, body, date) {
  globalThis.__seen = [];
  globalThis.fetch = async (request) => {
    globalThis.__seen.push({ url: request.url, headers: Object.fromEntries(request.headers), body: await request.text() });
    return new Response(body, { status, headers: date ? { date } : {} });
  };
}
export function failFetchWith(code) {
  globalThis.__seen = [];
  globalThis.fetch = async () => { throw new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) }); };
}
export function seen() { return globalThis.__seen; }
")]
extern "C" {
    #[wasm_bindgen(js_name = answerWith)]
    fn answer_with(status: u16, body: &str, date: Option<String>);
    #[wasm_bindgen(js_name = failFetchWith)]
    fn fail_fetch_with(code: &str);
    fn seen() -> Array;
}

fn json(text: &str) -> JsValue {
    JSON::parse(text).unwrap()
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap()
}

fn config() -> JsValue {
    json(
        r#"{"accessKeyId":"AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE","accessKeySecret":"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        "signName":"Sign","sdkAppId":"1400006666","region":"ap-guangzhou","endpoint":"http://127.0.0.1:8080",
        "templates":[{"usageType":"SignIn","templateCode":"1"},{"usageType":"Register","templateCode":"2"},
        {"usageType":"ForgotPassword","templateCode":"3"},{"usageType":"Generic","templateCode":"4"}]}"#,
    )
}

fn message() -> JsValue {
    json(r#"{"to":"8613711112222","type":"SignIn","payload":{"code":"123456","locale":"en"}}"#)
}

const OK_BODY: &str = r#"{"Response":{"SendStatusSet":[{"SerialNo":"s-1","PhoneNumber":"+8613711112222","Fee":1,"SessionContext":"","Code":"Ok","Message":"send success","IsoCode":"CN"}],"RequestId":"r-1"}}"#;

#[wasm_bindgen_test]
fn validate_config_reports_paths_as_arrays() {
    let result = validate_config(json(r#"{"accessKeyId":1}"#));
    assert_eq!(get(&result, "valid"), JsValue::FALSE);
    let first = Array::from(&get(&result, "errors")).get(0);
    assert_eq!(
        JSON::stringify(&get(&first, "path")).unwrap(),
        "[\"accessKeyId\"]"
    );
}

#[wasm_bindgen_test]
fn whole_js_numbers_are_integers_for_the_validator() {
    let mut text = JSON::stringify(&config()).unwrap().as_string().unwrap();
    text.insert_str(1, r#""timeoutMs":2500,"#);
    assert_eq!(get(&validate_config(json(&text)), "valid"), JsValue::TRUE);
}

#[wasm_bindgen_test]
fn oversized_input_is_an_error_not_a_trap() {
    let huge = JsString::from("x".repeat(3 << 20));
    let items = Array::new();
    for _ in 0..4 {
        items.push(&huge);
    }
    let config = Object::new();
    Reflect::set(&config, &"templates".into(), &items).unwrap();
    let result = validate_config(config.into());
    let first = Array::from(&get(&result, "errors")).get(0);
    assert_eq!(get(&first, "code"), "too_large");
}

#[wasm_bindgen_test]
fn sign_request_matches_the_published_example() {
    let input = json(
        r#"{"secretId":"AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE","secretKey":"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        "service":"cvm","host":"cvm.tencentcloudapi.com","action":"DescribeInstances","version":"2017-03-12",
        "region":"ap-guangzhou","timestamp":1551113065,
        "payload":"{\"Limit\": 1, \"Filters\": [{\"Values\": [\"\\u672a\\u547d\\u540d\"], \"Name\": \"instance-name\"}]}"}"#,
    );
    let signed = sign_request(input).unwrap();
    let authorization = get(&signed, "authorization").as_string().unwrap();
    assert!(authorization
        .ends_with("Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"));
    assert_eq!(get(&get(&signed, "headers"), "X-TC-Region"), "ap-guangzhou");
}

#[wasm_bindgen_test]
fn sign_request_takes_byte_payloads_of_any_size_up_to_the_limit() {
    let input = |payload: &JsValue| {
        let input = json(
            r#"{"secretId":"AKIDtest","secretKey":"secret-key-1","service":"sms","host":"sms.tencentcloudapi.com",
            "action":"SendSms","version":"2021-01-11","timestamp":1700000000}"#,
        );
        Reflect::set(&input, &"payload".into(), payload).unwrap();
        input
    };
    let authorization = |signed: JsValue| get(&signed, "authorization").as_string().unwrap();
    let text = r#"{"PhoneNumberSet":["+8613711112222"]}"#;
    let as_text = authorization(sign_request(input(&text.into())).unwrap());
    let as_bytes = authorization(
        sign_request(input(&js_sys::Uint8Array::from(text.as_bytes()).into())).unwrap(),
    );
    assert_eq!(as_text, as_bytes);
    let large = js_sys::Uint8Array::new_with_length(2 << 20);
    assert!(sign_request(input(&large.into())).is_ok());
}

#[wasm_bindgen_test]
fn sign_request_errors_are_js_errors_with_code_and_data() {
    let error = sign_request(json(
        r#"{"secretId":"a","service":"sms","host":"h","action":"A","version":"1","timestamp":1,"payload":"{}"}"#,
    ))
    .unwrap_err();
    assert!(error.is_instance_of::<js_sys::Error>());
    assert_eq!(get(&error, "code"), "invalid_request_parameters");
    assert!(get(&get(&error, "data"), "message")
        .as_string()
        .unwrap()
        .contains("secretKey"));
}

#[wasm_bindgen_test]
async fn send_message_posts_through_the_global_fetch() {
    answer_with(200, OK_BODY, None);
    let result = send_message(message(), config()).await.unwrap();
    assert_eq!(get(&result, "serialNo"), "s-1");
    assert_eq!(get(&result, "phoneNumber"), "+8613711112222");
    let request = seen().get(0);
    assert_eq!(get(&request, "url"), "http://127.0.0.1:8080/");
    assert_eq!(
        get(&request, "body"),
        r#"{"PhoneNumberSet":["+8613711112222"],"SmsSdkAppId":"1400006666","SignName":"Sign","TemplateId":"1","TemplateParamSet":["123456"]}"#
    );
    let headers = get(&request, "headers");
    assert_eq!(get(&headers, "x-tc-action"), "SendSms");
    // The binding sends every header of the request, the unsigned client name included.
    assert_eq!(
        get(&headers, "x-tc-requestclient"),
        concat!("connector-tencent-sms-wasm/", env!("CARGO_PKG_VERSION"))
    );
    assert!(get(&headers, "authorization")
        .as_string()
        .unwrap()
        .starts_with("TC3-HMAC-SHA256 Credential=AKID"));
}

#[wasm_bindgen_test]
async fn tencent_errors_become_js_errors_with_mapped_code() {
    answer_with(
        200,
        r#"{"Response":{"Error":{"Code":"LimitExceeded.AppDailyLimit","Message":"m"},"RequestId":"r-9"}}"#,
        None,
    );
    let error = send_message(message(), config()).await.unwrap_err();
    // Quota exhaustion: Logto's usage_limit_exceeded sentence speaks of email.
    assert_eq!(get(&error, "code"), "rate_limit_exceeded");
    let data = get(&error, "data");
    assert_eq!(get(&data, "requestId"), "r-9");
    assert_eq!(
        get(&data, "errorDescription"),
        "LimitExceeded.AppDailyLimit: m"
    );
    assert_eq!(seen().length(), 1);
}

#[wasm_bindgen_test]
async fn refused_connections_say_not_sent() {
    fail_fetch_with("ECONNREFUSED");
    let error = send_message(message(), config()).await.unwrap_err();
    assert_eq!(get(&get(&error, "data"), "delivery"), "not_sent");
}
