//! One logical send as a sequence of steps the host drives: a signed request, Tencent's answer
//! (or the host's report that there was none), and at most a few safe retries. The host does the
//! I/O in between; every decision, and every redaction, is made here.

#[allow(unused_imports)]
use crate::prelude::*;

use alloc::rc::Rc;

use crate::config::Config;
use crate::error::ConnectorError;
use crate::fallback::{self, Cooldown, Decision, Fallback, Gateway, PrimaryOutcome, Route};
use crate::response::{self, SendResult};
use crate::retry::{Next, RetryPolicy, MAX_ATTEMPTS};
use crate::send_event::{self, Outcome, SendEvent};
use crate::send_sms::{self, Message, SmsRequest};
use crate::tc3::SigningKeys;
use crate::text::concat;
use crate::transport;

/// What the host saw of one HTTP exchange.
pub struct Answer<'a> {
    pub status: u16,
    /// The `Date` header, for clock correction.
    pub date: Option<&'a str>,
    /// At most [`response::MAX_BODY_BYTES`] of the body.
    pub body: &'a [u8],
    /// The body was longer than the cap and was cut.
    pub truncated: bool,
}

/// Why the host has no answer.
pub enum NoAnswer<'a> {
    /// The send's deadline passed.
    Timeout,
    /// The host refused to start the request; nothing was written.
    NotStarted(&'a str),
    /// The connection failed; Node's error `code` and failing `syscall` when there are some.
    Network {
        cause_code: Option<&'a str>,
        syscall: Option<&'a str>,
    },
}

#[derive(Debug, PartialEq)]
pub enum Step {
    Sent(SendResult),
    Failed(ConnectorError),
    /// Ask for [`Exchange::request`] again after `delay_ms`; a learnt clock offset comes along.
    Retry {
        delay_ms: f64,
        clock_offset_ms: Option<f64>,
    },
    /// The primary certainly sent nothing: the send moved to the fallback, whose request
    /// [`Exchange::request`] gives next. `cool_down`: skip the primary for a while (see
    /// [`Exchange::cooldown`]).
    FailOver {
        cool_down: bool,
    },
}

/// Where the current request goes.
enum Target<'a> {
    Tencent(&'a Config),
    Gateway(&'a Gateway),
}

/// `Debug` shows the config as `Config` does, without the secrets.
#[derive(Debug)]
pub struct Exchange {
    /// The primary's config, which holds the fallback.
    config: Rc<Config>,
    message: Message,
    /// Logto's message as given, kept only for an HTTP gateway fallback (it gets it whole).
    logto_message: Option<String>,
    route: Route,
    policy: RetryPolicy,
    attempts: u8,
    /// Requests built on every route, for the send's event.
    requests: u8,
    deadline_ms: f64,
    /// Why the primary did not send, once the send is on the fallback.
    primary_error: Option<ConnectorError>,
}

impl Exchange {
    pub fn new(config: Rc<Config>, message: Message, now_ms: f64) -> Self {
        let deadline_ms = now_ms + f64::from(config.timeout_ms);
        Exchange {
            config,
            message,
            logto_message: None,
            route: Route::Primary,
            policy: RetryPolicy::default(),
            attempts: 0,
            requests: 0,
            deadline_ms,
            primary_error: None,
        }
    }

    /// Keeps Logto's message (JSON text) for an HTTP gateway fallback; nothing without one.
    pub fn keep_logto_message(&mut self, text: &str) {
        if matches!(self.config.fallback.as_deref(), Some(Fallback::Http(_))) {
            self.logto_message = Some(text.to_owned());
        }
    }

    pub fn route(&self) -> Route {
        self.route
    }

    fn target(&self) -> Target<'_> {
        match (self.route, self.config.fallback.as_deref()) {
            (Route::Fallback, Some(Fallback::Tencent(config))) => Target::Tencent(config),
            (Route::Fallback, Some(Fallback::Http(gateway))) => Target::Gateway(gateway),
            _ => Target::Tencent(&self.config),
        }
    }

    /// The current route's host, whose clock offset applies to this send.
    pub fn host(&self) -> &str {
        match self.target() {
            Target::Tencent(config) => &config.endpoint.host,
            Target::Gateway(gateway) => &gateway.host,
        }
    }

    /// The current route's bound: a Tencent account's own `timeoutMs`; the gateway's, the
    /// primary's.
    pub fn timeout_ms(&self) -> u32 {
        match self.target() {
            Target::Tencent(config) => config.timeout_ms,
            Target::Gateway(_) => self.config.timeout_ms,
        }
    }

    /// Who the primary is, for its cooldown: its key, SDK app and endpoint; `None` without a
    /// fallback, when there is nothing to skip it for.
    pub fn primary_key(&self) -> Option<String> {
        self.config.fallback.as_ref()?;
        let config = &self.config;
        Some(concat(&[
            &config.access_key_id,
            "\n",
            &config.sdk_app_id,
            "\n",
            &config.endpoint.host,
        ]))
    }

    /// The primary's refusal to remember after a [`Step::FailOver`] with `cool_down`, and until
    /// when; `None` when `fallbackCooldownSeconds` is 0.
    pub fn cooldown(&self, now_ms: f64) -> Option<Cooldown> {
        let seconds = self.config.fallback_cooldown_seconds;
        let refusal = self.primary_error.clone().filter(|_| seconds > 0)?;
        Some(Cooldown {
            until_ms: now_ms + f64::from(seconds) * 1_000.0,
            refusal,
        })
    }

    /// Starts on the fallback: the primary is cooling down after an account-level refusal.
    pub fn skip_primary(&mut self, cooldown: &Cooldown, now_ms: f64) {
        // A number the policy refuses gets the policy's own error from the primary's build.
        let refused = self
            .config
            .country_policy
            .as_ref()
            .is_some_and(|policy| policy.check(&self.message.to).is_err());
        if self.config.fallback.is_some() && self.route == Route::Primary && !refused {
            self.switch(fallback::skipped(cooldown, now_ms), now_ms);
        }
    }

    fn switch(&mut self, primary_error: ConnectorError, now_ms: f64) {
        self.primary_error = Some(primary_error);
        self.route = Route::Fallback;
        self.policy = RetryPolicy::default();
        self.attempts = 0;
        self.deadline_ms = now_ms + f64::from(self.timeout_ms());
    }

    /// The next request, signed for `server_now_ms` (our clock plus any learnt offset).
    pub fn request(
        &mut self,
        server_now_ms: f64,
        keys: &mut SigningKeys,
    ) -> Result<SmsRequest, ConnectorError> {
        self.attempts = self.attempts.saturating_add(1);
        // `as` truncates, which is the floor once negatives are 0 (no `floor` in core).
        let timestamp = (server_now_ms / 1_000.0).max(0.0) as u64;
        // The top level's countryPolicy was checked before the primary's request, or before it
        // was skipped; a Tencent fallback's own policy is checked by its build.
        let built = match self.target() {
            Target::Tencent(config) => {
                send_sms::build_request(config, &self.message, timestamp, keys)
            }
            Target::Gateway(gateway) => Ok(fallback::gateway_request(
                gateway,
                self.logto_message.as_deref().unwrap_or("{}"),
            )),
        };
        match built {
            Ok(request) => {
                self.requests = self.requests.saturating_add(1);
                Ok(request)
            }
            Err(error) => Err(self.finish(error)),
        }
    }

    /// The send's event (`None` with `sendLog` off): the masked number, the template and locale
    /// of the current route (none for a gateway), and the requests that went out (none when
    /// blocked: a held request never left).
    pub fn event(&self, outcome: Outcome) -> Option<SendEvent<'_>> {
        if !self.config.send_log {
            return None;
        }
        let choice = match self.target() {
            Target::Tencent(config) => send_sms::choose(config, &self.message).ok(),
            Target::Gateway(_) => None,
        };
        Some(SendEvent {
            outcome,
            to: send_event::mask(&self.message.to),
            template_id: choice.as_ref().map(|choice| choice.template_id),
            locale: choice.and_then(|choice| choice.locale),
            attempts: if outcome == Outcome::Blocked {
                0
            } else {
                self.requests
            },
        })
    }

    pub fn on_answer(&mut self, answer: &Answer, now_ms: f64) -> Step {
        let config = match self.target() {
            Target::Tencent(config) => config,
            Target::Gateway(gateway) => {
                return match fallback::gateway_answer(
                    gateway,
                    answer.status,
                    answer.body,
                    &self.message,
                ) {
                    Ok(result) => self.sent(result),
                    Err(error) => Step::Failed(self.finish(error)),
                };
            }
        };
        let secret = &config.access_key_secret;
        let failure = match response::parse(answer.status, answer.body, answer.truncated, secret) {
            Ok(result) => return self.sent(result),
            Err(failure) => failure,
        };
        let next = self.policy.after_failure(
            failure.retryable,
            answer.date,
            now_ms,
            self.deadline_ms - now_ms,
        );
        match next {
            Next::Retry {
                delay_ms,
                clock_offset_ms,
            } if self.attempts < MAX_ATTEMPTS => Step::Retry {
                delay_ms,
                clock_offset_ms,
            },
            Next::ImplausibleServerClock => {
                let mut error = failure.error;
                error.data.message = concat(&["Tencent Cloud SMS refused the request as expired, but its Date header (", &crate::text::truncate(answer.date.unwrap_or_default(), 40), ") is more than a day from this server's clock, so it was not retried. Check this server's clock (NTP) and any proxy between it and Tencent."]);
                Step::Failed(self.finish(error))
            }
            _ => {
                let outcome = match failure.error.data.tencent_code.as_deref() {
                    Some(code) => PrimaryOutcome::Refused(code),
                    None => PrimaryOutcome::Unusable,
                };
                let decision = fallback::decide(outcome);
                self.after_failure(failure.error, decision, now_ms)
            }
        }
    }

    /// No answer came: a failure, or a move to the fallback when the primary provably sent
    /// nothing.
    pub fn on_no_answer(&mut self, why: NoAnswer, now_ms: f64) -> Step {
        let (error, outcome) = match (why, self.target()) {
            (NoAnswer::Timeout, Target::Gateway(gateway)) => (
                fallback::gateway_timeout(gateway, self.timeout_ms()),
                PrimaryOutcome::Timeout,
            ),
            (NoAnswer::Timeout, Target::Tencent(config)) => (
                transport::timeout(config.timeout_ms, &config.endpoint.host),
                PrimaryOutcome::Timeout,
            ),
            (NoAnswer::NotStarted(reason), _) => (
                transport::not_started(reason, self.host()),
                PrimaryOutcome::NotStarted,
            ),
            (
                NoAnswer::Network {
                    cause_code,
                    syscall,
                },
                _,
            ) => (
                transport::network_failure(cause_code, syscall, self.host()),
                PrimaryOutcome::Network {
                    cause_code,
                    syscall,
                },
            ),
        };
        let decision = fallback::decide(outcome);
        self.after_failure(error, decision, now_ms)
    }

    fn after_failure(&mut self, error: ConnectorError, decision: Decision, now_ms: f64) -> Step {
        match decision {
            Decision::FailOver { cool_down }
                if self.route == Route::Primary && self.config.fallback.is_some() =>
            {
                let error = self.clean(error);
                self.switch(error, now_ms);
                Step::FailOver { cool_down }
            }
            _ => Step::Failed(self.finish(error)),
        }
    }

    fn sent(&mut self, mut result: SendResult) -> Step {
        result.route = self.route;
        result.primary_error = self.primary_error.take().map(Box::new);
        Step::Sent(result)
    }

    /// The send's error: this route's, with the primary's beside it when this is the fallback.
    fn finish(&mut self, error: ConnectorError) -> ConnectorError {
        let error = self.clean(error);
        match self.primary_error.take() {
            Some(primary) => fallback::both_failed(primary, error),
            None => error,
        }
    }

    /// Every secret of both routes masked, and the route named.
    fn clean(&self, error: ConnectorError) -> ConnectorError {
        let primary = self.config.access_key_secret.as_str();
        let fallback = self.config.fallback.as_deref().and_then(Fallback::secret);
        let mut error = match fallback {
            Some(secret) => error.redact_all(&[primary, secret]),
            None => error.redact(primary),
        };
        error.data.route.get_or_insert(self.route);
        error
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config;
    use crate::error::{Delivery, ErrorCode};
    use serde_json::json;

    const SECRET: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
    const NOW: f64 = 1_551_113_065_000.0;

    fn exchange() -> Exchange {
        let config = config::parse(&config::tests::valid()).unwrap();
        let message = send_sms::parse_message(
            &json!({ "to": "8613711112222", "type": "SignIn", "payload": { "code": "123456" } }),
        )
        .unwrap();
        Exchange::new(Rc::new(config), message, NOW)
    }

    #[test]
    fn debug_output_never_shows_the_secret() {
        let shown = format!("{:?}", exchange());
        assert!(!shown.contains(SECRET), "{shown}");
    }

    fn error_answer(code: &str) -> String {
        format!(r#"{{"Response":{{"Error":{{"Code":"{code}","Message":"m"}},"RequestId":"r"}}}}"#)
    }

    fn answer<'a>(body: &'a str, date: Option<&'a str>) -> Answer<'a> {
        Answer {
            status: 200,
            date,
            body: body.as_bytes(),
            truncated: false,
        }
    }

    #[test]
    fn an_expired_signature_is_retried_once_then_reported() {
        let mut send = exchange();
        send.request(NOW, &mut SigningKeys::default()).unwrap();
        let body = error_answer("AuthFailure.SignatureExpire");
        let date = Some("Mon, 25 Feb 2019 16:54:25 GMT");
        let Step::Retry {
            clock_offset_ms: Some(offset),
            ..
        } = send.on_answer(&answer(&body, date), NOW)
        else {
            panic!("expected a clock retry");
        };
        let request = send
            .request(NOW + offset, &mut SigningKeys::default())
            .unwrap();
        assert!(request
            .headers
            .iter()
            .any(|(name, value)| *name == "X-TC-Timestamp" && value == "1551113665"));
        assert!(matches!(
            send.on_answer(&answer(&body, date), NOW),
            Step::Failed(_)
        ));
    }

    #[test]
    fn a_server_clock_years_off_is_reported_not_followed() {
        let mut send = exchange();
        send.request(NOW, &mut SigningKeys::default()).unwrap();
        let body = error_answer("AuthFailure.SignatureExpire");
        let Step::Failed(error) =
            send.on_answer(&answer(&body, Some("Mon, 25 Feb 2030 16:54:25 GMT")), NOW)
        else {
            panic!("an implausible clock must not be retried");
        };
        assert!(
            error.message().contains("more than a day"),
            "{}",
            error.message()
        );
    }

    #[test]
    fn rate_limits_are_retried_at_most_within_the_attempt_budget() {
        let mut send = exchange();
        let body = error_answer("RequestLimitExceeded");
        let mut retries = 0;
        loop {
            send.request(NOW, &mut SigningKeys::default()).unwrap();
            match send.on_answer(&answer(&body, None), NOW) {
                Step::Retry { .. } => retries += 1,
                Step::Failed(error) => {
                    assert_eq!(error.code, ErrorCode::RateLimitExceeded);
                    break;
                }
                Step::Sent(_) | Step::FailOver { .. } => panic!("not a success"),
            }
            assert!(retries <= 5, "unbounded");
        }
        assert_eq!(retries, 2);
    }

    fn failed(step: Step) -> ConnectorError {
        match step {
            Step::Failed(error) => error,
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    #[test]
    fn no_answer_says_whether_the_sms_may_have_gone_out() {
        let refused = failed(exchange().on_no_answer(NoAnswer::NotStarted("bad port"), NOW));
        assert_eq!(refused.data.delivery, Some(Delivery::NotSent));
        assert_eq!(refused.data.route, Some(Route::Primary));
        let reset = failed(exchange().on_no_answer(
            NoAnswer::Network {
                cause_code: Some("ECONNRESET"),
                syscall: Some("read"),
            },
            NOW,
        ));
        assert_eq!(reset.data.delivery, Some(Delivery::Unknown));
        let late = failed(exchange().on_no_answer(NoAnswer::Timeout, NOW));
        assert_eq!(late.data.delivery, Some(Delivery::Unknown));
    }

    fn with_fallback(fallback: serde_json::Value) -> Exchange {
        let mut value = config::tests::valid();
        value["fallback"] = fallback;
        let config = config::parse(&value).unwrap();
        let text = r#"{"to":"8613711112222","type":"SignIn","payload":{"code":"123456"}}"#;
        let message = send_sms::parse_message(&serde_json::from_str(text).unwrap()).unwrap();
        let mut send = Exchange::new(Rc::new(config), message, NOW);
        send.keep_logto_message(text);
        send
    }

    fn second_account() -> serde_json::Value {
        let mut second = config::tests::valid();
        second["type"] = json!("tencent");
        second["accessKeyId"] = json!("AKIDsecondaccount0000000000000000000");
        second["accessKeySecret"] = json!("SecondSecretKey0123456789abcdefgh");
        second["endpoint"] = json!("sms.intl.tencentcloudapi.com");
        second["timeoutMs"] = json!(3_000);
        second
    }

    #[test]
    fn an_account_refusal_moves_the_send_to_a_second_account_once() {
        let mut send = with_fallback(second_account());
        let keys = &mut SigningKeys::default();
        send.request(NOW, keys).unwrap();
        let body = error_answer("FailedOperation.InsufficientBalanceInSmsPackage");
        assert_eq!(
            send.on_answer(&answer(&body, None), NOW),
            Step::FailOver { cool_down: true }
        );
        assert_eq!(send.route(), Route::Fallback);
        assert_eq!(send.timeout_ms(), 3_000);
        let cooldown = send.cooldown(NOW).unwrap();
        assert_eq!(cooldown.until_ms, NOW + 60_000.0);
        let request = send.request(NOW, keys).unwrap();
        assert_eq!(request.url, "https://sms.intl.tencentcloudapi.com/");
        assert!(request.headers[0].1.contains("AKIDsecondaccount"));
        // The fallback refusing too ends the send with both outcomes.
        let error = failed(send.on_answer(
            &answer(&error_answer("LimitExceeded.AppDailyLimit"), None),
            NOW,
        ));
        assert_eq!(error.code, ErrorCode::UsageLimitExceeded);
        assert_eq!(error.data.route, Some(Route::Fallback));
        assert_eq!(
            error.data.tencent_code.as_deref(),
            Some("LimitExceeded.AppDailyLimit")
        );
        let primary = error.data.primary_error.as_ref().unwrap();
        assert_eq!(
            primary.data.tencent_code.as_deref(),
            Some("FailedOperation.InsufficientBalanceInSmsPackage")
        );
        assert_eq!(primary.data.route, Some(Route::Primary));
    }

    #[test]
    fn a_per_number_refusal_or_a_possible_delivery_never_moves_the_send() {
        for body in [
            error_answer("LimitExceeded.PhoneNumberDailyLimit"),
            error_answer("InternalError"),
            "<html>502</html>".to_owned(),
        ] {
            let mut send = with_fallback(second_account());
            send.request(NOW, &mut SigningKeys::default()).unwrap();
            let error = failed(send.on_answer(&answer(&body, None), NOW));
            assert_eq!(error.data.route, Some(Route::Primary));
            assert!(error.data.primary_error.is_none());
        }
        let mut send = with_fallback(second_account());
        send.request(NOW, &mut SigningKeys::default()).unwrap();
        failed(send.on_no_answer(NoAnswer::Timeout, NOW));
    }

    #[test]
    fn a_gateway_gets_logto_s_payload_and_any_2xx_is_sent() {
        let mut send = with_fallback(
            json!({ "type": "http", "endpoint": "http://127.0.0.1:8080/sms", "authorization": "Bearer gw-token" }),
        );
        send.request(NOW, &mut SigningKeys::default()).unwrap();
        let refused = NoAnswer::Network {
            cause_code: Some("ECONNREFUSED"),
            syscall: Some("connect"),
        };
        assert_eq!(
            send.on_no_answer(refused, NOW),
            Step::FailOver { cool_down: false }
        );
        let request = send.request(NOW, &mut SigningKeys::default()).unwrap();
        assert_eq!(request.url, "http://127.0.0.1:8080/sms");
        assert_eq!(
            request.body,
            r#"{"to":"8613711112222","type":"SignIn","payload":{"code":"123456"}}"#
        );
        let accepted = Answer {
            status: 204,
            date: None,
            body: b"",
            truncated: false,
        };
        let Step::Sent(result) = send.on_answer(&accepted, NOW) else {
            panic!("a 2xx is sent");
        };
        assert_eq!(result.route, Route::Fallback);
        assert_eq!(result.status, Some(204));
        assert_eq!(result.phone_number, "+8613711112222");
        let primary = result.primary_error.unwrap();
        assert_eq!(primary.data.delivery, Some(Delivery::NotSent));
    }

    #[test]
    fn a_gateway_echoing_its_token_is_masked() {
        let mut send = with_fallback(
            json!({ "type": "http", "endpoint": "http://127.0.0.1:8080/sms", "authorization": "Bearer gw-token-0123456789" }),
        );
        send.request(NOW, &mut SigningKeys::default()).unwrap();
        let body = error_answer("AuthFailure.SecretIdNotFound");
        assert!(matches!(
            send.on_answer(&answer(&body, None), NOW),
            Step::FailOver { .. }
        ));
        send.request(NOW, &mut SigningKeys::default()).unwrap();
        let echo = Answer {
            status: 401,
            date: None,
            body: b"bad Authorization: Bearer gw-token-0123456789",
            truncated: false,
        };
        let error = failed(send.on_answer(&echo, NOW));
        let shown = serde_json::to_string(&error).unwrap();
        assert!(!shown.contains("gw-token-0123456789"), "{shown}");
        assert_eq!(
            error.code,
            ErrorCode::InvalidConfig,
            "the primary's code is more useful"
        );
        assert_eq!(error.data.status, Some(401));
        assert_eq!(error.data.delivery, Some(Delivery::Unknown));
    }

    #[test]
    fn a_cooling_primary_is_skipped_unless_the_policy_refuses_the_number() {
        let mut send = with_fallback(second_account());
        let refusal = ConnectorError::new(ErrorCode::UsageLimitExceeded, "empty package");
        let cooldown = Cooldown {
            until_ms: NOW + 30_000.0,
            refusal,
        };
        send.skip_primary(&cooldown, NOW);
        assert_eq!(send.route(), Route::Fallback);
        let request = send.request(NOW, &mut SigningKeys::default()).unwrap();
        assert!(request.headers[0].1.contains("AKIDsecondaccount"));
        let ok = r#"{"Response":{"SendStatusSet":[{"SerialNo":"s","PhoneNumber":"+8613711112222","Fee":1,"Code":"Ok","Message":"ok","IsoCode":"CN"}],"RequestId":"r2"}}"#;
        let Step::Sent(result) = send.on_answer(&answer(ok, None), NOW) else {
            panic!("sent");
        };
        let note = result.primary_error.unwrap();
        assert_eq!(note.code, ErrorCode::UsageLimitExceeded);
        assert!(note.message().contains("30 more s"), "{}", note.message());

        let mut value = config::tests::valid();
        value["fallback"] = second_account();
        value["countryPolicy"] = json!({ "allow": ["US"] });
        let config = Rc::new(config::parse(&value).unwrap());
        let message = send_sms::parse_message(
            &json!({ "to": "8613711112222", "type": "SignIn", "payload": { "code": "1" } }),
        )
        .unwrap();
        let mut send = Exchange::new(config, message, NOW);
        send.skip_primary(&cooldown, NOW);
        assert_eq!(send.route(), Route::Primary);
        let error = send.request(NOW, &mut SigningKeys::default()).unwrap_err();
        assert!(
            error.message().contains("countryPolicy"),
            "{}",
            error.message()
        );
    }
}
