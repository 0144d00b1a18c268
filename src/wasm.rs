//! The JavaScript binding. Values cross as JSON text, strings and bytes, and every export returns
//! text in the one encoding of [`wire`], so no JavaScript value is walked from Rust and no JavaScript function is called
//! from Rust: a JS exception can never unwind through wasm. The JS layer (`lib/engine.js`) calls
//! the host's `fetch` between the send steps, inside its own try/catch, so every promise settles
//! even when the wasm traps.

#[allow(unused_imports)]
use crate::prelude::*;

use core::cell::RefCell;

use crate::json::Value;
use wasm_bindgen::prelude::*;

use crate::api_call;
use crate::config;
use crate::dry_run;
use crate::error::{ConnectorError, Delivery, ErrorCode};
use crate::exchange::{Answer, Exchange, NoAnswer, Step};
use crate::json::WriteJson;
use crate::send_event::{self, Outcome, SendEvent};
use crate::send_limits;
use crate::send_sms;
use crate::state::{Held, ProcessState};
use crate::tc3::{self, SignInput, DEFAULT_SIGNED_HEADERS};
use crate::text::{concat, whole_number};
use crate::validation::{Issue, IssueCode, PathSegment, Validation};
use crate::wire::{self, MAX_INPUT_BYTES, MAX_PAYLOAD_BYTES, MAX_SIGNED_HEADERS};

// All the state the core keeps between calls. Each export borrows it once and calls no
// JavaScript while it does, so the borrow never nests. A plain static, not `thread_local!`,
// whose access checks and their panic messages cost 660 B of the gzip budget.
static STATE: OneThread<RefCell<ProcessState>> = OneThread(RefCell::new(ProcessState::new()));

/// Lets a `static` hold a value that is not `Sync` (`RefCell`, the `Rc`s inside).
struct OneThread<T>(T);

// SAFETY: wasm32 without the atomics feature runs one thread (the allocator in lib.rs assumes
// the same), so the value is never shared between threads.
unsafe impl<T> Sync for OneThread<T> {}

#[cfg(target_feature = "atomics")]
compile_error!("the binding's state and the allocator assume single-threaded wasm32");

fn with_state<T>(step: impl FnOnce(&mut ProcessState) -> T) -> T {
    step(&mut STATE.0.borrow_mut())
}

/// wasm-bindgen's reset-state support re-runs the start function on every fresh instance.
#[wasm_bindgen(start)]
fn start() {}

/// The limits the JS layer enforces before a value crosses (see [`wire::LIMITS_REPLY`]).
#[wasm_bindgen]
pub fn limits() -> String {
    wire::LIMITS_REPLY.to_owned()
}

/// `config`: the config as JSON text. Returns the validation.
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
                message: concat(&["The config must be a JSON object: ", problem, "."]),
            }],
            warnings: Vec::new(),
        },
    };
    wire::json(wire::VALIDATION, &validation)
}

/// `fields`: the input object but its payload, as [`wire::sign_fields`] reads it; the payload is
/// the exact body as text (copied straight into wasm memory) or else as bytes, never escaped.
/// Returns the headers to send (Authorization among them, Host not: `fetch` sets it from the
/// URL, and browsers forbid setting it) or an error.
#[wasm_bindgen(js_name = signRequest)]
pub fn sign_request(fields: &str, payload_text: Option<String>, payload_bytes: &[u8]) -> String {
    let payload = payload_text.as_deref().map_or(payload_bytes, str::as_bytes);
    let refuse = |message: &str| {
        wire::error(&ConnectorError::new(
            ErrorCode::InvalidRequestParameters,
            concat(&["signRequest: ", message, "."]),
        ))
    };
    let Ok(fields) = wire::sign_fields(fields) else {
        return refuse("a field holds a line break");
    };
    let [secret_id, secret_key, service, host, action, version, region, timestamp, content_type, token, language, signed_headers] =
        fields.values();
    let Some(timestamp) = timestamp.and_then(whole_number) else {
        return refuse("timestamp must be Unix time in whole seconds");
    };
    if payload.len() > MAX_PAYLOAD_BYTES {
        return refuse("payload is larger than 8 MiB");
    }
    let names: Vec<&str> = match signed_headers {
        // A loop, not `collect`: a generic body of its own in the wasm.
        Some(names) => {
            let mut list = Vec::new();
            for name in names.split(';') {
                list.push(name);
            }
            list
        }
        None => DEFAULT_SIGNED_HEADERS.to_vec(),
    };
    if names.len() > MAX_SIGNED_HEADERS {
        return refuse("signedHeaders lists more than 16 names");
    }
    let secret_key = secret_key.unwrap_or_default();
    let input = SignInput {
        secret_id: secret_id.unwrap_or_default(),
        secret_key,
        service: service.unwrap_or_default(),
        host: host.unwrap_or_default(),
        action: action.unwrap_or_default(),
        version: version.unwrap_or_default(),
        region,
        timestamp,
        payload,
        content_type: content_type.unwrap_or(send_sms::CONTENT_TYPE),
        token,
        language,
        signed_headers: &names,
    };
    match with_state(|state| tc3::sign(&input, &mut state.keys)) {
        Ok(signed) => wire::headers(&signed.headers),
        // The message may quote an input (an unknown header name): unquoted, the secret masked.
        Err(error) => wire::error(
            &ConnectorError::new(
                ErrorCode::InvalidRequestParameters,
                concat(&["signRequest: ", &error.message(), "."]),
            )
            .redact(secret_key),
        ),
    }
}

/// Starts a send: `config` and `message` as JSON text, `now_ms` the local clock, `session` the
/// send id (Tencent's `SessionContext`; left out with `sendLog` off or when longer than 64 bytes).
/// Returns the first request (`begun`) or an error, with the send's event when it got that far.
#[wasm_bindgen(js_name = sendBegin)]
pub fn send_begin(config: &str, message: &str, now_ms: f64, session: Option<String>) -> String {
    let message_text = message;
    let begun = with_state(|state| {
        let config = state.config(config, parse_config).map_err(not_sent_text)?;
        // Each error returned where it arises: no clone of a shared one.
        let value = parse_input(message).map_err(|problem| {
            let error = ConnectorError::new(
                ErrorCode::InvalidRequestParameters,
                concat(&[
                    "sendMessage needs { to, type, payload: { code } }: ",
                    problem,
                    ".",
                ]),
            );
            not_sent_text(error.redact(&config.access_key_secret))
        })?;
        let mut message = send_sms::parse_message(&value)
            .map_err(|error| not_sent_text(error.redact(&config.access_key_secret)))?;
        // Before countryPolicy and sendLimits: a rehearsal never reaches Tencent nor counts.
        if let Some(rehearsed) = dry_run::decide(&config, &message.to) {
            let event = SendEvent {
                outcome: Outcome::DryRun,
                to: send_event::mask(&message.to),
                template_id: None,
                locale: None,
                attempts: 0,
            };
            return Ok(with_event(rehearsed, config.send_log.then_some(event)));
        }
        // Written as a JSON string; Tencent takes under 512 bytes.
        message.session_context = session.filter(|id| config.send_log && id.len() <= 64);
        let ip = value.get("ip");
        let plan = send_limits::plan(&config, &message.to, ip.and_then(Value::as_str));
        let mut exchange = Exchange::new(config, message, now_ms);
        exchange.keep_logto_message(message_text);
        let (send, request) = state.begin(exchange, now_ms).map_err(|(error, exchange)| {
            let event = exchange.event(Outcome::of(&error));
            with_event(not_sent_text(error), event)
        })?;
        // The route begun on (the primary's, or the fallback's while the primary cools down).
        let timeout_ms = state
            .send_mut(send)
            .map_or(0, |exchange| exchange.timeout_ms());
        let Some(plan) = plan else {
            return Ok(wire::request(&request, Some((send, timeout_ms))));
        };
        // Counted before its request may go: the host answers with `sendCounted`.
        let reply = wire::count(send, timeout_ms, plan.note.as_deref(), &plan.counters);
        let held = Held {
            request,
            counters: plan.counters,
            timeout_ms,
        };
        state.hold(send, held);
        Ok(reply)
    });
    begun.unwrap_or_else(|reply| reply)
}

/// `reply` with the send's event as one more line, when there is one.
fn with_event(mut reply: String, event: Option<SendEvent>) -> String {
    if let Some(event) = event {
        event.write_json(&mut reply);
        reply.push('\n');
    }
    reply
}

/// The last reply of a send, with its event; the send is over.
fn last_reply(send: u32, reply: String, outcome: Outcome) -> String {
    let reply = with_state(|state| {
        let event = state
            .send_mut(send)
            .and_then(|exchange| exchange.event(outcome));
        with_event(reply, event)
    });
    send_end(send);
    reply
}

/// The counts of a `count` reply's keys, one decimal per line in their order, from the host's
/// shared store; `None` when it has none or it did not answer, and this process counts.
/// Returns the first request (`begun`) or the refusal; after a refusal the send is over.
#[wasm_bindgen(js_name = sendCounted)]
pub fn send_counted(send: u32, counts: Option<String>, now_ms: f64) -> String {
    let decided = with_state(|state| {
        let held = state.take_held(send)?;
        let counts = counts
            .as_deref()
            .and_then(|text| wire::counts(text, held.counters.len()))
            .unwrap_or_else(|| state.counters.count(&held.counters, now_ms));
        Some(send_limits::decide(&held.counters, &counts).map(|()| held))
    });
    match decided {
        Some(Ok(held)) => wire::request(&held.request, Some((send, held.timeout_ms))),
        Some(Err(refusal)) => last_reply(send, not_sent_text(refusal), Outcome::Blocked),
        None => unknown_send(),
    }
}

/// A send refused before its request left: whatever the reason, nothing was sent.
fn not_sent_text(mut error: ConnectorError) -> String {
    error.data.delivery.get_or_insert(Delivery::NotSent);
    wire::error(&error)
}

/// The request for a retry the previous step asked for, or an error.
#[wasm_bindgen(js_name = sendRetry)]
pub fn send_retry(send: u32, now_ms: f64) -> String {
    match with_state(|state| state.retry(send, now_ms)) {
        Some(Ok(request)) => wire::request(&request, None),
        Some(Err(error)) => {
            // Retries follow only answers proving the last request was not processed.
            let outcome = Outcome::of(&error);
            last_reply(send, not_sent_text(error), outcome)
        }
        None => unknown_send(),
    }
}

/// Tencent's answer to the last request. Returns a result, an error or a retry delay;
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
            wire::retry(delay_ms.max(0.0) as u64)
        }
        step => finish(send, step, now_ms),
    }
}

/// A step that ends the send or moves it to the fallback.
fn finish(send: u32, step: Step, now_ms: f64) -> String {
    match step {
        Step::FailOver { cool_down } => {
            let next = with_state(|state| {
                let request = state.fail_over(send, cool_down, now_ms)?;
                let timeout_ms = state
                    .send_mut(send)
                    .map_or(0, |exchange| exchange.timeout_ms());
                Some(request.map(|request| (request, timeout_ms)))
            });
            match next {
                Some(Ok((request, timeout_ms))) => wire::fallback(&request, timeout_ms),
                Some(Err(error)) => {
                    let outcome = Outcome::of(&error);
                    last_reply(send, not_sent_text(error), outcome)
                }
                None => unknown_send(),
            }
        }
        Step::Sent(result) => last_reply(send, wire::json(wire::RESULT, &result), Outcome::Sent),
        Step::Failed(error) => {
            let outcome = Outcome::of(&error);
            last_reply(send, wire::error(&error), outcome)
        }
        // `send_answer` handles retries itself; no other step asks for one.
        Step::Retry { delay_ms, .. } => wire::retry(delay_ms.max(0.0) as u64),
    }
}

/// No answer came: `stage` is `timeout`, `not_started` (with the reason in `detail`) or
/// `network` (with Node's cause code in `detail` and the failing call in `syscall`). Returns an
/// error (the send is over) or, when the primary provably sent nothing, the fallback's request.
#[wasm_bindgen(js_name = sendFailed)]
pub fn send_failed(
    send: u32,
    stage: &str,
    detail: Option<String>,
    syscall: Option<String>,
    now_ms: f64,
) -> String {
    let (detail, syscall) = (detail.as_deref(), syscall.as_deref());
    let step = with_state(|state| {
        let why = match stage {
            "timeout" => NoAnswer::Timeout,
            "not_started" => NoAnswer::NotStarted(detail.unwrap_or("refused by the host")),
            _ => NoAnswer::Network {
                cause_code: detail,
                syscall,
            },
        };
        Some(state.send_mut(send)?.on_no_answer(why, now_ms))
    });
    match step {
        Some(step) => finish(send, step, now_ms),
        None => {
            send_end(send);
            unknown_send()
        }
    }
}

/// Any SMS API `action` with `config`'s endpoint and keys: `params` is the body (one line of JSON
/// object text). Returns the signed `request` or an error.
#[wasm_bindgen(js_name = apiRequest)]
pub fn api_request(config: &str, action: &str, params: &str, now_ms: f64) -> String {
    let signed = with_state(|state| {
        let config = state.config(config, parse_config)?;
        let server_now_ms = now_ms + state.clock_offset(&config.endpoint.host);
        let timestamp = (server_now_ms / 1_000.0).max(0.0) as u64;
        api_call::request(&config, action, params, timestamp, &mut state.keys)
    });
    match signed {
        Ok(request) => wire::request(&request, None),
        Err(error) => wire::error(&error),
    }
}

/// The answer to an `apiRequest`: an empty `result` when Tencent answered (the caller reads the
/// body), or an error with `secret` (the config's accessKeySecret) masked.
#[wasm_bindgen(js_name = apiAnswer)]
pub fn api_answer(secret: &str, status: u16, body: &[u8], truncated: bool) -> String {
    match api_call::answer(secret, status, body, truncated) {
        Ok(()) => concat(&[wire::RESULT, "\n{}\n"]),
        Err(error) => wire::error(&error),
    }
}

/// Forgets a send; harmless when it is already over.
#[wasm_bindgen(js_name = sendEnd)]
pub fn send_end(send: u32) {
    with_state(|state| state.end(send));
}

fn unknown_send() -> String {
    wire::error(&ConnectorError::new(
        ErrorCode::General,
        "This send is no longer known to the connector (it restarted after an internal error); the SMS may or may not have been sent.",
    ))
}

/// A config from its JSON text, for [`ProcessState::config`], which keeps it.
fn parse_config(text: &str) -> Result<config::Config, ConnectorError> {
    let value = parse_input(text).map_err(|problem| {
        ConnectorError::new(
            ErrorCode::InvalidConfig,
            concat(&["The connector config must be a JSON object: ", problem, "."]),
        )
    })?;
    config::parse(&value)
}

fn parse_input(text: &str) -> Result<Value, &'static str> {
    if text.len() > MAX_INPUT_BYTES {
        return Err("it is larger than 1 MiB");
    }
    crate::json::parse(text.as_bytes()).ok_or("it is not JSON text")
}
