//! The JavaScript binding: converts values, reads the clock, calls the host's global `fetch`.
//! Every decision is made by the pure core; nothing here panics on any input.

use std::cell::RefCell;

use js_sys::{Array, Date, Function, Object, Promise, Reflect, Uint8Array};
use serde::Serialize;
use serde_json::{Map, Number, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, Headers, ReadableStreamDefaultReader, Request, RequestInit, Response,
};

use crate::config::{self, Issue, PathSegment, Validation};
use crate::error::{redact_bytes, ConnectorError, ErrorCode};
use crate::response::{self, SendResult, MAX_BODY_BYTES};
use crate::retry::{Next, RetryPolicy, MAX_ATTEMPTS};
use crate::send_sms::{self, Message, SmsRequest};
use crate::tc3::{self, SignInput, DEFAULT_SIGNED_HEADERS};
use crate::transport;

/// Values deeper than this are never read by the validator; cutting them bounds recursion.
const MAX_DEPTH: usize = 32;
/// Bounds what one call copies into wasm memory (strings, keys and nodes), so hostile input
/// gets an error instead of exhausting memory.
const MAX_INPUT_BYTES: usize = 8 << 20;
const NODE_COST: usize = 16;
/// Endpoints whose clock offset is remembered.
const MAX_REMEMBERED_CLOCKS: usize = 32;

thread_local! {
    /// Tencent's clock minus ours, per endpoint host, learnt from `AuthFailure.SignatureExpire`.
    static CLOCK_OFFSETS: RefCell<Vec<(String, f64)>> = const { RefCell::new(Vec::new()) };
}

#[wasm_bindgen(js_name = validateConfig)]
pub fn validate_config(config: JsValue) -> JsValue {
    let validation = match to_json(&config) {
        Ok(value) => config::validate(&value).0,
        Err(too_large) => Validation {
            valid: false,
            errors: vec![Issue {
                path: Vec::<PathSegment>::new(),
                code: "too_large",
                message: too_large.message().to_owned(),
            }],
            warnings: Vec::new(),
        },
    };
    to_js(&validation)
}

#[wasm_bindgen(js_name = signRequest)]
pub fn sign_request(input: JsValue) -> Result<JsValue, JsValue> {
    if !input.is_object() {
        return Err(sign_error("signRequest needs an object of inputs"));
    }
    // Field by field: converting the whole input would also walk `payload`, and a Uint8Array
    // payload would be read one index key at a time.
    let field = |key: &str| -> Result<Value, JsValue> {
        let value = Reflect::get(&input, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
        to_json(&value).map_err(|error| js_error(&error))
    };
    let text = |key: &str| -> Result<String, JsValue> {
        match field(key)? {
            Value::String(value) => Ok(value),
            _ => Err(sign_error(&format!("{key} must be a string"))),
        }
    };
    let optional = |key: &str| -> Result<Option<String>, JsValue> {
        match field(key)? {
            Value::Null => Ok(None),
            Value::String(value) => Ok(Some(value)),
            _ => Err(sign_error(&format!("{key} must be a string when given"))),
        }
    };
    let payload = payload_bytes(&input)?;
    let timestamp = match field("timestamp")?.as_u64() {
        Some(timestamp) => timestamp,
        None => return Err(sign_error("timestamp must be Unix time in whole seconds")),
    };
    let signed_headers: Vec<String> = match field("signedHeaders")? {
        Value::Null => DEFAULT_SIGNED_HEADERS
            .iter()
            .map(|name| (*name).to_owned())
            .collect(),
        Value::Array(names) => {
            let mut collected = Vec::with_capacity(names.len().min(16));
            for name in names.into_iter().take(16) {
                match name {
                    Value::String(name) => collected.push(name),
                    _ => return Err(sign_error("signedHeaders must be an array of header names")),
                }
            }
            collected
        }
        _ => return Err(sign_error("signedHeaders must be an array of header names")),
    };
    let signed_names: Vec<&str> = signed_headers.iter().map(String::as_str).collect();
    let (secret_id, secret_key) = (text("secretId")?, text("secretKey")?);
    let (service, host, action, version) = (
        text("service")?,
        text("host")?,
        text("action")?,
        text("version")?,
    );
    let (region, token, language) = (
        optional("region")?,
        optional("token")?,
        optional("language")?,
    );
    let content_type =
        optional("contentType")?.unwrap_or_else(|| send_sms::CONTENT_TYPE.to_owned());
    let signed = tc3::sign(&SignInput {
        secret_id: &secret_id,
        secret_key: &secret_key,
        service: &service,
        host: &host,
        action: &action,
        version: &version,
        region: region.as_deref(),
        timestamp,
        payload: &payload,
        content_type: &content_type,
        token: token.as_deref(),
        language: language.as_deref(),
        signed_headers: &signed_names,
    })
    .map_err(|error| sign_error(&error.message()))?;
    let headers = Object::new();
    for (name, value) in &signed.headers {
        set(&headers, name, &JsValue::from_str(value));
    }
    let result = Object::new();
    set(
        &result,
        "authorization",
        &JsValue::from_str(&signed.authorization),
    );
    set(&result, "headers", &headers);
    Ok(result.into())
}

#[wasm_bindgen(js_name = sendMessage)]
pub async fn send_message(data: JsValue, config: JsValue) -> Result<JsValue, JsValue> {
    let config = to_json(&config)
        .and_then(|value| config::parse(&value))
        .map_err(|error| js_error(&error))?;
    let message = to_json(&data)
        .and_then(|value| send_sms::parse_message(&value))
        .map_err(|error| js_error(&error))?;
    match deliver(&config, &message).await {
        Ok(result) => Ok(to_js(&result)),
        Err(error) => Err(js_error(&error.redact(&config.access_key_secret))),
    }
}

/// One logical send, bounded as a whole by `timeoutMs` through one abort signal.
async fn deliver(config: &config::Config, message: &Message) -> Result<SendResult, ConnectorError> {
    let controller =
        AbortController::new().map_err(|_| internal("AbortController is unavailable"))?;
    let abort_timer = start_abort_timer(&controller, config.timeout_ms)?;
    let outcome = send_until_final(config, message, &controller).await;
    // Cleared on every path: a pending timer would also keep a Node process alive.
    clear_timer(&abort_timer);
    outcome
}

/// At most one clock correction and two rate-limit retries; only answers proving the request was
/// not processed are retried.
async fn send_until_final(
    config: &config::Config,
    message: &Message,
    controller: &AbortController,
) -> Result<SendResult, ConnectorError> {
    let host = &config.endpoint.host;
    let deadline = Date::now() + f64::from(config.timeout_ms);
    let mut policy = RetryPolicy::default();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let timestamp = ((Date::now() + clock_offset(host)) / 1_000.0)
            .floor()
            .max(0.0) as u64;
        let request = send_sms::build_request(config, message, timestamp)?;
        let mut answer = fetch_once(&request, controller).await.map_err(|failure| {
            describe_fetch_failure(&failure, controller, config.timeout_ms, host)
        })?;
        redact_bytes(&mut answer.body, &config.access_key_secret);
        let failure = match response::parse(answer.status, &answer.body, answer.truncated) {
            Ok(result) => return Ok(result),
            Err(failure) => failure,
        };
        let now = Date::now();
        match policy.after_failure(
            failure.retryable,
            answer.date.as_deref(),
            now,
            deadline - now,
        ) {
            Next::Retry {
                delay_ms,
                clock_offset_ms,
            } if attempts < MAX_ATTEMPTS => {
                if let Some(offset) = clock_offset_ms {
                    remember_clock_offset(host, offset);
                }
                if delay_ms > 0.0 {
                    sleep(delay_ms).await;
                }
            }
            _ => return Err(failure.error),
        }
    }
}

struct Answer {
    status: u16,
    date: Option<String>,
    body: Vec<u8>,
    truncated: bool,
}

async fn fetch_once(request: &SmsRequest, controller: &AbortController) -> Result<Answer, JsValue> {
    let headers = Headers::new()?;
    for (name, value) in &request.headers {
        // The host sets Host from the URL (browsers forbid setting it); it equals the signed value.
        if *name != "Host" {
            headers.set(name, value)?;
        }
    }
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(&request.body));
    init.set_signal(Some(&controller.signal()));
    let fetch_request = Request::new_with_str_and_init(&request.url, &init)?;
    let fetch: Function = Reflect::get(&js_sys::global(), &JsValue::from_str("fetch"))?
        .dyn_into()
        .map_err(|_| JsValue::from_str("no global fetch"))?;
    let response: Response = JsFuture::from(Promise::resolve(
        &fetch.call1(&JsValue::UNDEFINED, &fetch_request)?,
    ))
    .await?
    .dyn_into()?;
    let date = response.headers().get("date").ok().flatten();
    let (body, truncated) = read_capped(&response).await?;
    Ok(Answer {
        status: response.status(),
        date,
        body,
        truncated,
    })
}

/// Reads at most `MAX_BODY_BYTES` and cancels the rest.
async fn read_capped(response: &Response) -> Result<(Vec<u8>, bool), JsValue> {
    let Some(stream) = response.body() else {
        return Ok((Vec::new(), false));
    };
    let reader: ReadableStreamDefaultReader = stream.get_reader().dyn_into()?;
    let mut body = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await?;
        if Reflect::get(&chunk, &JsValue::from_str("done"))?.is_truthy() {
            return Ok((body, false));
        }
        let bytes: Uint8Array = Reflect::get(&chunk, &JsValue::from_str("value"))?.dyn_into()?;
        let room = MAX_BODY_BYTES.saturating_sub(body.len());
        let length = bytes.length() as usize;
        if length > room {
            let _ = reader.cancel();
            return Ok((body, true));
        }
        let start = body.len();
        body.resize(start + length, 0);
        if let Some(target) = body.get_mut(start..) {
            bytes.copy_to(target);
        }
    }
}

fn describe_fetch_failure(
    failure: &JsValue,
    controller: &AbortController,
    timeout_ms: u32,
    host: &str,
) -> ConnectorError {
    if controller.signal().aborted() {
        return transport::timeout(timeout_ms, host);
    }
    let cause_code = Reflect::get(failure, &JsValue::from_str("cause"))
        .ok()
        .filter(|cause| cause.is_object())
        .and_then(|cause| Reflect::get(&cause, &JsValue::from_str("code")).ok())
        .and_then(|code| code.as_string());
    transport::network_failure(cause_code.as_deref(), host)
}

fn start_abort_timer(
    controller: &AbortController,
    timeout_ms: u32,
) -> Result<JsValue, ConnectorError> {
    let abort = Reflect::get(controller, &JsValue::from_str("abort"))
        .ok()
        .and_then(|abort| abort.dyn_into::<Function>().ok())
        .ok_or_else(|| internal("AbortController.abort is unavailable"))?;
    call_global(
        "setTimeout",
        &abort.bind0(controller),
        &JsValue::from(timeout_ms),
    )
    .ok_or_else(|| internal("setTimeout is unavailable"))
}

fn clear_timer(timer: &JsValue) {
    let _ = call_global("clearTimeout", timer, &JsValue::UNDEFINED);
}

async fn sleep(ms: f64) {
    let promise = Promise::new(&mut |resolve, _reject| {
        let _ = call_global("setTimeout", &resolve, &JsValue::from(ms));
    });
    let _ = JsFuture::from(promise).await;
}

fn call_global(name: &str, first: &JsValue, second: &JsValue) -> Option<JsValue> {
    let global = js_sys::global();
    let function: Function = Reflect::get(&global, &JsValue::from_str(name))
        .ok()?
        .dyn_into()
        .ok()?;
    function.call2(&global, first, second).ok()
}

fn clock_offset(host: &str) -> f64 {
    CLOCK_OFFSETS.with(|offsets| {
        offsets
            .borrow()
            .iter()
            .find(|(known, _)| known == host)
            .map_or(0.0, |(_, offset)| *offset)
    })
}

fn remember_clock_offset(host: &str, offset: f64) {
    CLOCK_OFFSETS.with(|offsets| {
        let mut offsets = offsets.borrow_mut();
        offsets.retain(|(known, _)| known != host);
        if offsets.len() >= MAX_REMEMBERED_CLOCKS {
            offsets.remove(0);
        }
        offsets.push((host.to_owned(), offset));
    });
}

fn payload_bytes(input: &JsValue) -> Result<Vec<u8>, JsValue> {
    let payload = Reflect::get(input, &JsValue::from_str("payload")).unwrap_or(JsValue::UNDEFINED);
    if let Some(text) = payload.as_string() {
        return Ok(text.into_bytes());
    }
    match payload.dyn_into::<Uint8Array>() {
        Ok(bytes) if (bytes.length() as usize) <= MAX_INPUT_BYTES => Ok(bytes.to_vec()),
        Ok(_) => Err(sign_error("payload is larger than 8 MiB")),
        Err(_) => Err(sign_error(
            "payload must be the exact request body, as a string or Uint8Array",
        )),
    }
}

fn sign_error(message: &str) -> JsValue {
    js_error(&ConnectorError::new(
        ErrorCode::InvalidRequestParameters,
        format!("signRequest: {message}."),
    ))
}

fn internal(message: &str) -> ConnectorError {
    ConnectorError::new(
        ErrorCode::General,
        format!("The connector cannot run here: {message}."),
    )
}

/// A JS `Error` with `code` and plain `data`, as the JS layer rethrows for Logto.
fn js_error(error: &ConnectorError) -> JsValue {
    let js = js_sys::Error::new(error.message());
    set(&js, "code", &JsValue::from_str(error.code.as_str()));
    set(&js, "data", &to_js(&error.data));
    js.into()
}

fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// Through JSON text: serde_json is already in the module, a second serializer would add size.
fn to_js<T: Serialize>(value: &T) -> JsValue {
    serde_json::to_string(value)
        .ok()
        .and_then(|text| js_sys::JSON::parse(&text).ok())
        .unwrap_or(JsValue::NULL)
}

/// JS value → JSON, with JSON.stringify's view of it (undefined properties left out), a depth cut
/// and a size budget.
fn to_json(value: &JsValue) -> Result<Value, ConnectorError> {
    let mut budget = MAX_INPUT_BYTES;
    convert(value, 0, &mut budget).ok_or_else(|| {
        ConnectorError::new(
            ErrorCode::InvalidRequestParameters,
            "The input is larger than 8 MiB or too deeply repeated: a connector config or message is a few kilobytes.",
        )
    })
}

fn convert(value: &JsValue, depth: usize, budget: &mut usize) -> Option<Value> {
    *budget = budget.checked_sub(NODE_COST)?;
    if let Some(text) = value.dyn_ref::<js_sys::JsString>() {
        // UTF-16 length × 3 bounds the UTF-8 copy before it is made.
        *budget = budget.checked_sub(text.length() as usize * 3)?;
        return Some(Value::String(String::from(text)));
    }
    if let Some(number) = value.as_f64() {
        // JS has one number type; whole numbers become JSON integers, as JSON.parse would give.
        const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;
        if number.fract() == 0.0 && number.abs() <= MAX_SAFE_INTEGER {
            return Some(Value::Number(if number >= 0.0 {
                Number::from(number as u64)
            } else {
                Number::from(number as i64)
            }));
        }
        return Some(Number::from_f64(number).map_or(Value::Null, Value::Number));
    }
    if let Some(flag) = value.as_bool() {
        return Some(Value::Bool(flag));
    }
    if !value.is_object() && !value.is_function() {
        return Some(Value::Null);
    }
    if depth >= MAX_DEPTH {
        return Some(Value::Null);
    }
    if Array::is_array(value) {
        let array = Array::from(value);
        let mut items = Vec::new();
        for index in 0..array.length() {
            items.push(convert(&array.get(index), depth + 1, budget)?);
        }
        return Some(Value::Array(items));
    }
    let object: &Object = value.unchecked_ref();
    let mut fields = Map::new();
    for key in Object::keys(object).iter() {
        let Some(name) = key.as_string() else {
            continue;
        };
        *budget = budget.checked_sub(name.len())?;
        let field = Reflect::get(object, &key).unwrap_or(JsValue::UNDEFINED);
        if field.is_undefined() || field.is_function() {
            continue;
        }
        fields.insert(name, convert(&field, depth + 1, budget)?);
    }
    Some(Value::Object(fields))
}
