//! The binding itself, compiled to wasm32 and run in Node by wasm-bindgen-test-runner: text in,
//! replies in the wire encoding out (read back with `wire::decode`), the send steps the JS layer
//! drives around `fetch`, errors as `{ error }` values.
#![cfg(target_arch = "wasm32")]

use serde_json::{json, Value};
use tencent_sms_connector::wasm::{
    limits, send_answer, send_begin, send_end, send_failed, send_retry, sign_request,
    validate_config,
};
use tencent_sms_connector::wire;
use wasm_bindgen_test::wasm_bindgen_test;

const NOW: f64 = 1_700_000_000_000.0;

/// A reply as `wire.js` reads it; a validation or the limits as themselves.
fn parsed(text: String) -> Value {
    let mut reply = wire::decode(&text).unwrap_or_else(|| panic!("not a reply: {text:?}"));
    for tag in ["validation", "limits"] {
        if let Some(value) = reply.get_mut(tag) {
            return value.take();
        }
    }
    reply
}

/// The valid config every test layer shares, sending to a loopback endpoint.
fn config() -> String {
    let mut config: Value =
        serde_json::from_str(include_str!("fixtures/valid-config.json")).unwrap();
    config["endpoint"] = json!("http://127.0.0.1:8080");
    config.to_string()
}

const MESSAGE: &str =
    r#"{"to":"8613711112222","type":"SignIn","payload":{"code":"123456","locale":"en"}}"#;
const OK_BODY: &str = r#"{"Response":{"SendStatusSet":[{"SerialNo":"s-1","PhoneNumber":"+8613711112222","Fee":1,"SessionContext":"","Code":"Ok","Message":"send success","IsoCode":"CN"}],"RequestId":"r-1"}}"#;

/// The request in a reply: `begun` for the first one, `request` for a retry.
fn request(text: &str, first: bool) -> Value {
    let mut reply = parsed(text.to_owned());
    reply[if first { "begun" } else { "request" }].take()
}

fn begin() -> (u32, Value) {
    let begun = request(
        &send_begin(&config(), MESSAGE, NOW, Some("send-1".into())),
        true,
    );
    (begun["send"].as_u64().unwrap() as u32, begun)
}

#[wasm_bindgen_test]
fn a_send_carries_its_id_to_tencent_and_its_last_reply_carries_its_event() {
    let (send, begun) = begin();
    let body: Value = serde_json::from_str(begun["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["SessionContext"], "send-1");
    let done = parsed(send_answer(send, 200, None, OK_BODY.as_bytes(), false, NOW));
    assert_eq!(done["result"]["requestId"], "r-1");
    assert_eq!(
        done["event"],
        json!({ "outcome": "sent", "to": "+86…22", "templateId": "1001", "attempts": 1 })
    );
    // countryPolicy refuses before any request: blocked, and the event says so.
    let mut blocked: Value = serde_json::from_str(&config()).unwrap();
    blocked["countryPolicy"] = json!({ "allow": ["US"] });
    let refused = parsed(send_begin(&blocked.to_string(), MESSAGE, NOW, None));
    assert_eq!(refused["event"]["outcome"], "blocked");
    assert_eq!(refused["event"]["attempts"], 0);
    // sendLog "off": no event, no SessionContext.
    let mut off: Value = serde_json::from_str(&config()).unwrap();
    off["sendLog"] = json!("off");
    let begun = request(
        &send_begin(&off.to_string(), MESSAGE, NOW, Some("send-2".into())),
        true,
    );
    assert!(!begun["body"].as_str().unwrap().contains("SessionContext"));
    let send = begun["send"].as_u64().unwrap() as u32;
    let done = parsed(send_answer(send, 200, None, OK_BODY.as_bytes(), false, NOW));
    assert!(done.get("event").is_none(), "{done}");
}

#[wasm_bindgen_test]
fn validate_config_reports_paths_as_arrays_and_refuses_text_that_is_not_json() {
    let result = parsed(validate_config(r#"{"accessKeyId":1}"#));
    assert_eq!(result["valid"], false);
    assert_eq!(result["errors"][0]["path"], json!(["accessKeyId"]));
    let result = parsed(validate_config("{"));
    assert_eq!(result["errors"][0]["code"], "not_json");
}

/// sendBegin's two message errors (not JSON; JSON without `to`) are values, never sent.
#[wasm_bindgen_test]
fn a_message_that_is_not_json_or_lacks_fields_is_refused_unsent() {
    let not_json = parsed(send_begin(&config(), "{to:", NOW, None));
    assert_eq!(
        not_json["error"]["data"]["message"],
        "sendMessage needs { to, type, payload: { code } }: it is not JSON text."
    );
    assert_eq!(not_json["error"]["data"]["delivery"], "not_sent");
    let no_to = r#"{"type":"SignIn","payload":{"code":"123456"}}"#;
    let refused = parsed(send_begin(&config(), no_to, NOW, None));
    assert!(refused["error"]["data"]["message"].is_string());
    assert_eq!(refused["error"]["data"]["delivery"], "not_sent");
}

#[wasm_bindgen_test]
fn oversized_input_is_an_error_not_a_trap() {
    let max = parsed(limits())["maxInputBytes"].as_u64().unwrap() as usize;
    let huge = format!("{{\"signName\":\"{}\"}}", "x".repeat(max));
    let result = parsed(validate_config(&huge));
    assert_eq!(result["errors"][0]["code"], "too_large");
    let refused = parsed(send_begin(&huge, MESSAGE, NOW, None));
    assert!(refused["error"]["data"]["message"]
        .as_str()
        .unwrap()
        .contains("larger than 1 MiB"));
    assert_eq!(refused["error"]["data"]["delivery"], "not_sent");
}

#[wasm_bindgen_test]
fn sign_request_matches_the_published_example_as_text_or_bytes() {
    let payload =
        r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
    let fields = "secretId\nAKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE\nsecretKey\nGu5t9xGARNpq86cd98joQYCN3EXAMPLE\nservice\ncvm\nhost\ncvm.tencentcloudapi.com\naction\nDescribeInstances\nversion\n2017-03-12\nregion\nap-guangzhou\ntimestamp\n1551113065\n";
    let signed = sign_request(fields, Some(payload.into()), &[]);
    let headers = &parsed(signed.clone())["headers"];
    assert!(headers["Authorization"]
        .as_str()
        .unwrap()
        .ends_with("Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"));
    assert_eq!(headers["X-TC-Region"], "ap-guangzhou");
    assert!(
        headers["Host"].is_null(),
        "fetch sets Host; it is signed, not returned"
    );
    assert_eq!(sign_request(fields, None, payload.as_bytes()), signed);
}

#[wasm_bindgen_test]
fn sign_request_refusals_are_error_values_naming_the_field() {
    let sign = |key: &str, timestamp: &str, headers: Option<String>| {
        let mut fields = format!("secretId\nAKIDa\nsecretKey\n{key}\nservice\nsms\nhost\nh.example\naction\nA\nversion\n1\ntimestamp\n{timestamp}\n");
        if let Some(headers) = headers {
            fields.push_str(&format!("signedHeaders\n{headers}\n"));
        }
        parsed(sign_request(&fields, None, b"{}"))
    };
    let refused = sign("", "1", None);
    assert_eq!(refused["error"]["code"], "invalid_request_parameters");
    assert!(refused["error"]["data"]["message"]
        .as_str()
        .unwrap()
        .contains("secretKey"));
    assert!(sign("k", "1.5", None)["error"].is_object());
    let many = ["host"; 17].join(";");
    let unknown = sign("k", "1", Some("host;content-type;x-evil".into()));
    assert!(unknown["error"]["data"]["message"]
        .as_str()
        .unwrap()
        .starts_with("signRequest: signedHeaders cannot include \"x-evil\":"));
    // A name holding the secret is quoted input: masked, never echoed.
    let secret = sign(
        "x-secret-key",
        "1",
        Some("host;content-type;x-secret-key".into()),
    );
    assert!(secret["error"]["data"]["message"]
        .as_str()
        .unwrap()
        .contains("include \"[redacted]\""));
    assert!(sign("k", "1", Some(many))["error"]["data"]["message"]
        .as_str()
        .unwrap()
        .contains("more than 16"));
}

#[wasm_bindgen_test]
fn a_send_is_a_signed_request_then_a_result() {
    let (send, request) = begin();
    assert_eq!(request["url"], "http://127.0.0.1:8080/");
    assert_eq!(request["timeoutMs"], 10_000);
    assert_eq!(
        request["body"],
        r#"{"PhoneNumberSet":["+8613711112222"],"SmsSdkAppId":"1400006666","SignName":"腾讯云","TemplateId":"1001","TemplateParamSet":["123456"],"SessionContext":"send-1"}"#
    );
    assert!(request["headers"]["Host"].is_null(), "fetch sets Host");
    // Every header of the request is sent, the unsigned client name included.
    assert_eq!(
        request["headers"]["X-TC-RequestClient"],
        concat!("connector-tencent-sms-wasm/", env!("CARGO_PKG_VERSION"))
    );
    assert!(request["headers"]["Authorization"]
        .as_str()
        .unwrap()
        .starts_with("TC3-HMAC-SHA256 Credential=AKID"));
    let answer = parsed(send_answer(send, 200, None, OK_BODY.as_bytes(), false, NOW));
    assert_eq!(answer["result"]["serialNo"], "s-1");
    // The send is over: a late step is an error value, not a trap.
    assert!(parsed(send_retry(send, NOW))["error"].is_object());
}

#[wasm_bindgen_test]
fn an_expired_signature_asks_for_a_retry_signed_with_the_server_clock() {
    let (send, _) = begin();
    let expired = r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureExpire","Message":"m"},"RequestId":"r"}}"#;
    let date = Some("Tue, 14 Nov 2023 22:23:20 GMT".to_owned()); // NOW + 10 minutes
    let answer = parsed(send_answer(send, 200, date, expired.as_bytes(), false, NOW));
    assert_eq!(answer["retryInMs"], 0);
    let retry = request(&send_retry(send, NOW), false);
    assert_eq!(retry["headers"]["X-TC-Timestamp"], "1700000600");
    send_end(send);
}

#[wasm_bindgen_test]
fn no_answer_says_whether_the_sms_may_have_gone_out() {
    for (stage, detail, syscall, delivery) in [
        ("not_started", Some("bad port"), None, "not_sent"),
        ("network", Some("ECONNREFUSED"), Some("connect"), "not_sent"),
        ("network", Some("EHOSTUNREACH"), Some("connect"), "not_sent"),
        ("network", Some("EHOSTUNREACH"), Some("read"), "unknown"),
        ("network", Some("ECONNRESET"), Some("read"), "unknown"),
        ("timeout", None, None, "unknown"),
    ] {
        let (send, _) = begin();
        let failed = parsed(send_failed(
            send,
            stage,
            detail.map(String::from),
            syscall.map(String::from),
            NOW,
        ));
        assert_eq!(failed["error"]["data"]["delivery"], delivery, "{stage}");
        assert_eq!(failed["error"]["data"]["route"], "primary", "{stage}");
    }
}
