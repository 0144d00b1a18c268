//! The JavaScript binding. Values cross as JSON text, strings and bytes, and every export returns
//! JSON text, so no JavaScript value is walked from Rust and no JavaScript function is called
//! from Rust: a JS exception can never unwind through wasm. The JS layer (`lib/engine.js`) calls
//! the host's `fetch` between the send steps, inside its own try/catch, so every promise settles
//! even when the wasm traps.

use std::cell::RefCell;

use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::config;
use crate::error::{ConnectorError, Delivery, ErrorCode};
use crate::exchange::{Answer, Exchange, NoAnswer, Step};
use crate::response::{SendResult, MAX_BODY_BYTES};
use crate::send_sms::{self, SmsRequest};
use crate::state::ProcessState;
use crate::tc3::{self, SignInput, DEFAULT_SIGNED_HEADERS};
use crate::text::decimal;
use crate::validation::{Issue, IssueCode, PathSegment, Validation};

/// What one input may weigh: a connector config or message is a few kilobytes.
const MAX_INPUT_BYTES: usize = 1 << 20;
/// A signed payload may be larger (signRequest signs any API call).
const MAX_PAYLOAD_BYTES: usize = 8 << 20;
const MAX_SIGNED_HEADERS: usize = 16;

// All the state the core keeps between calls. Each export borrows it once and calls no
// JavaScript while it does, so the borrow never nests.
thread_local! {
    static STATE: RefCell<ProcessState> = const { RefCell::new(ProcessState::new()) };
}

fn with_state<T>(step: impl FnOnce(&mut ProcessState) -> T) -> T {
    STATE.with(|state| step(&mut state.borrow_mut()))
}

/// wasm-bindgen's reset-state support re-runs the start function on every fresh instance.
#[wasm_bindgen(start)]
fn start() {}

/// The limits the JS layer enforces before a value crosses; stated once, here.
#[wasm_bindgen]
pub fn limits() -> String {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Limits {
        max_input_bytes: usize,
        max_payload_bytes: usize,
        max_body_bytes: usize,
    }
    to_text(&Limits {
        max_input_bytes: MAX_INPUT_BYTES,
        max_payload_bytes: MAX_PAYLOAD_BYTES,
        max_body_bytes: MAX_BODY_BYTES,
    })
}

/// `config`: the config as JSON text. Returns the validation as JSON text.
#[wasm_bindgen(js_name = validateConfig)]
pub fn validate_config(config: &str) -> String {
    let validation = match parse_input(config) {
        Ok(value) => config::validate(&value).0,
        Err(problem) => Validation {
            valid: false,
            errors: vec![Issue {
                path: Vec::<PathSegment>::new(),
                // The JS layer refuses both before the text crosses; this is the backstop.
                code: if config.len() > MAX_INPUT_BYTES {
                    IssueCode::TooLarge
                } else {
                    IssueCode::NotJson
                },
                message: format!("The config must be a JSON object: {problem}."),
            }],
            warnings: Vec::new(),
        },
    };
    to_text(&validation)
}

/// Flat inputs, as signing is called often: `signedHeaders` is `;`-separated, the payload is the
/// exact body as text (copied straight into wasm memory) or else as bytes. Returns the headers to send as `name\nvalue\n` lines (Authorization among them),
/// or `{ error }` as JSON text.
#[wasm_bindgen(js_name = signRequest)]
#[allow(clippy::too_many_arguments)]
pub fn sign_request(
    secret_id: &str,
    secret_key: &str,
    service: &str,
    host: &str,
    action: &str,
    version: &str,
    region: Option<String>,
    timestamp: f64,
    content_type: Option<String>,
    token: Option<String>,
    language: Option<String>,
    signed_headers: Option<String>,
    payload_text: Option<String>,
    payload_bytes: &[u8],
) -> String {
    let payload = payload_text.as_deref().map_or(payload_bytes, str::as_bytes);
    let refuse = |message: &str| {
        error_text(&ConnectorError::new(
            ErrorCode::InvalidRequestParameters,
            format!("signRequest: {message}."),
        ))
    };
    let whole_seconds =
        (0.0..=9_007_199_254_740_991.0).contains(&timestamp) && timestamp.fract() == 0.0;
    if !whole_seconds {
        return refuse("timestamp must be Unix time in whole seconds");
    }
    if payload.len() > MAX_PAYLOAD_BYTES {
        return refuse("payload is larger than 8 MiB");
    }
    let names: Vec<&str> = match &signed_headers {
        Some(names) => names.split(';').collect(),
        None => DEFAULT_SIGNED_HEADERS.to_vec(),
    };
    if names.len() > MAX_SIGNED_HEADERS {
        return refuse("signedHeaders lists more than 16 names");
    }
    let input = SignInput {
        secret_id,
        secret_key,
        service,
        host,
        action,
        version,
        region: region.as_deref(),
        timestamp: timestamp as u64,
        payload,
        content_type: content_type.as_deref().unwrap_or(send_sms::CONTENT_TYPE),
        token: token.as_deref(),
        language: language.as_deref(),
        signed_headers: &names,
    };
    match with_state(|state| tc3::sign(&input, &mut state.keys)) {
        // Header names and values never hold a line break (the signer refuses control
        // characters), so lines are a complete and cheap encoding: no JSON escaping either way.
        Ok(signed) => {
            let mut lines = String::with_capacity(512);
            push_header_lines(&mut lines, &signed.headers, true);
            lines
        }
        Err(error) => refuse(&error.message()),
    }
}

/// Starts a send: `config` and `message` as JSON text, `now_ms` the local clock. Returns the
/// first request as lines (see `request_text`) or `{ error }` as JSON text.
#[wasm_bindgen(js_name = sendBegin)]
pub fn send_begin(config: &str, message: &str, now_ms: f64) -> String {
    let begun = with_state(|state| {
        let config = state.config(config, parse_config)?;
        let message = parse_input(message)
            .map_err(|problem| {
                ConnectorError::new(
                    ErrorCode::InvalidRequestParameters,
                    format!("sendMessage needs {{ to, type, payload: {{ code }} }}: {problem}."),
                )
            })
            .and_then(|value| send_sms::parse_message(&value))
            .map_err(|error| error.redact(&config.access_key_secret))?;
        let exchange = Exchange::new(config, message, now_ms);
        let timeout_ms = exchange.timeout_ms();
        let (send, request) = state.begin(exchange, now_ms)?;
        Ok((send, timeout_ms, request))
    });
    match begun {
        Ok((send, timeout_ms, request)) => request_text(&request, Some((send, timeout_ms))),
        Err(error) => not_sent_text(error),
    }
}

/// A send refused before its request left: whatever the reason, nothing was sent.
fn not_sent_text(mut error: ConnectorError) -> String {
    error.data.delivery.get_or_insert(Delivery::NotSent);
    error_text(&error)
}

/// The request for a retry the previous step asked for, as lines, or `{ error }`.
#[wasm_bindgen(js_name = sendRetry)]
pub fn send_retry(send: u32, now_ms: f64) -> String {
    match with_state(|state| state.retry(send, now_ms)) {
        Some(Ok(request)) => request_text(&request, None),
        Some(Err(error)) => {
            // Retries follow only answers proving the last request was not processed.
            send_end(send);
            not_sent_text(error)
        }
        None => unknown_send(),
    }
}

/// Tencent's answer to the last request. Returns `{ result }`, `{ error }` or `{ retryInMs }`;
/// after a result or an error the send is over.
#[wasm_bindgen(js_name = sendAnswer)]
pub fn send_answer(
    send: u32,
    status: u16,
    date: Option<String>,
    body: &[u8],
    truncated: bool,
    now_ms: f64,
) -> String {
    let answer = Answer {
        status,
        date: date.as_deref(),
        body,
        truncated,
    };
    let step = with_state(|state| {
        let exchange = state.send_mut(send)?;
        Some((
            exchange.on_answer(&answer, now_ms),
            exchange.host().to_owned(),
        ))
    });
    let Some((step, host)) = step else {
        return unknown_send();
    };
    match step {
        Step::Retry {
            delay_ms,
            clock_offset_ms,
        } => {
            if let Some(offset) = clock_offset_ms {
                with_state(|state| state.remember_clock_offset(&host, offset));
            }
            #[derive(Serialize)]
            #[serde(rename_all = "camelCase")]
            struct Retry {
                /// Whole milliseconds: no float formatting in the wasm.
                retry_in_ms: u64,
            }
            to_text(&Retry {
                retry_in_ms: delay_ms.max(0.0) as u64,
            })
        }
        Step::Sent(result) => {
            send_end(send);
            #[derive(Serialize)]
            struct Sent<'a> {
                result: &'a SendResult,
            }
            to_text(&Sent { result: &result })
        }
        Step::Failed(error) => {
            send_end(send);
            error_text(&error)
        }
    }
}

/// No answer came: `stage` is `timeout`, `not_started` (with the reason in `detail`) or
/// `network` (with Node's cause code in `detail`). Returns `{ error }`; the send is over.
#[wasm_bindgen(js_name = sendFailed)]
pub fn send_failed(send: u32, stage: &str, detail: Option<String>) -> String {
    let detail = detail.as_deref();
    let error = with_state(|state| {
        Some(state.send_mut(send)?.on_no_answer(match stage {
            "timeout" => NoAnswer::Timeout,
            "not_started" => NoAnswer::NotStarted(detail.unwrap_or("refused by the host")),
            _ => NoAnswer::Network { cause_code: detail },
        }))
    });
    send_end(send);
    match error {
        Some(error) => error_text(&error),
        None => unknown_send(),
    }
}

/// Forgets a send; harmless when it is already over.
#[wasm_bindgen(js_name = sendEnd)]
pub fn send_end(send: u32) {
    with_state(|state| state.end(send));
}

fn unknown_send() -> String {
    error_text(&ConnectorError::new(
        ErrorCode::General,
        "This send is no longer known to the connector (it restarted after an internal error); the SMS may or may not have been sent.",
    ))
}

/// A config from its JSON text, for [`ProcessState::config`], which keeps it.
fn parse_config(text: &str) -> Result<config::Config, ConnectorError> {
    let value = parse_input(text).map_err(|problem| {
        ConnectorError::new(
            ErrorCode::InvalidConfig,
            format!("The connector config must be a JSON object: {problem}."),
        )
    })?;
    config::parse(&value)
}

fn parse_input(text: &str) -> Result<Value, &'static str> {
    if text.len() > MAX_INPUT_BYTES {
        return Err("it is larger than 1 MiB");
    }
    // from_slice, as response parsing uses: one serde_json reader in the wasm, not two.
    serde_json::from_slice(text.as_bytes()).map_err(|_| "it is not JSON text")
}

/// `name\nvalue\n` per header. `Host` can be left to `fetch`, which sets it from the URL
/// (browsers forbid setting it); validation guarantees it equals the signed value.
fn push_header_lines(lines: &mut String, headers: &[(&'static str, String)], with_host: bool) {
    for (name, value) in headers {
        if with_host || *name != "Host" {
            push_line(lines, name);
            push_line(lines, value);
        }
    }
}

fn push_line(lines: &mut String, line: &str) {
    lines.push_str(line);
    lines.push('\n');
}

/// A request as lines: `send` and `timeoutMs` (first request only), the URL, the body, then the
/// headers. None of them holds a line break (serde_json's compact output escapes every one, the
/// URL and header values are validated), and lines need no JSON escaping either way.
fn request_text(request: &SmsRequest, begun: Option<(u32, u32)>) -> String {
    let mut lines = String::with_capacity(1_024);
    if let Some((send, timeout_ms)) = begun {
        push_line(&mut lines, &decimal(u64::from(send)));
        push_line(&mut lines, &decimal(u64::from(timeout_ms)));
    }
    push_line(&mut lines, &request.url);
    push_line(&mut lines, &request.body);
    push_header_lines(&mut lines, &request.headers, false);
    lines
}

fn error_text(error: &ConnectorError) -> String {
    #[derive(Serialize)]
    struct Failed<'a> {
        error: &'a ConnectorError,
    }
    to_text(&Failed { error })
}

fn to_text<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| String::from("null"))
}
