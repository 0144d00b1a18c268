//! One logical send as a sequence of steps the host drives: a signed request, Tencent's answer
//! (or the host's report that there was none), and at most a few safe retries. The host does the
//! I/O in between; every decision, and every redaction, is made here.

use std::rc::Rc;

use crate::config::Config;
use crate::error::ConnectorError;
use crate::response::{self, SendResult};
use crate::retry::{Next, RetryPolicy, MAX_ATTEMPTS};
use crate::send_sms::{self, Message, SmsRequest};
use crate::tc3::SigningKeys;
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
    /// The connection failed; `cause_code` is Node's error code when there is one.
    Network { cause_code: Option<&'a str> },
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
}

/// `Debug` shows the config as `Config` does, without the secret.
#[derive(Debug)]
pub struct Exchange {
    config: Rc<Config>,
    message: Message,
    policy: RetryPolicy,
    attempts: u8,
    deadline_ms: f64,
}

impl Exchange {
    pub fn new(config: Rc<Config>, message: Message, now_ms: f64) -> Self {
        let deadline_ms = now_ms + f64::from(config.timeout_ms);
        Exchange {
            config,
            message,
            policy: RetryPolicy::default(),
            attempts: 0,
            deadline_ms,
        }
    }

    /// The endpoint host, whose clock offset applies to this send.
    pub fn host(&self) -> &str {
        &self.config.endpoint.host
    }

    pub fn timeout_ms(&self) -> u32 {
        self.config.timeout_ms
    }

    /// The next request, signed for `server_now_ms` (our clock plus any learnt offset).
    pub fn request(
        &mut self,
        server_now_ms: f64,
        keys: &mut SigningKeys,
    ) -> Result<SmsRequest, ConnectorError> {
        self.attempts = self.attempts.saturating_add(1);
        let timestamp = (server_now_ms / 1_000.0).floor().max(0.0) as u64;
        send_sms::build_request(&self.config, &self.message, timestamp, keys)
            .map_err(|error| self.clean(error))
    }

    pub fn on_answer(&mut self, answer: &Answer, now_ms: f64) -> Step {
        let secret = &self.config.access_key_secret;
        let failure = match response::parse(answer.status, answer.body, answer.truncated, secret) {
            Ok(result) => return Step::Sent(result),
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
                error.data.message = format!(
                    "Tencent Cloud SMS refused the request as expired, but its Date header ({}) is more than a day from this server's clock, so it was not retried. Check this server's clock (NTP) and any proxy between it and Tencent.",
                    crate::text::truncate(answer.date.unwrap_or_default(), 40)
                );
                Step::Failed(self.clean(error))
            }
            _ => Step::Failed(self.clean(failure.error)),
        }
    }

    pub fn on_no_answer(&self, why: NoAnswer) -> ConnectorError {
        let host = &self.config.endpoint.host;
        let error = match why {
            NoAnswer::Timeout => transport::timeout(self.config.timeout_ms, host),
            NoAnswer::NotStarted(reason) => transport::not_started(reason, host),
            NoAnswer::Network { cause_code } => transport::network_failure(cause_code, host),
        };
        self.clean(error)
    }

    fn clean(&self, error: ConnectorError) -> ConnectorError {
        error.redact(&self.config.access_key_secret)
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
                Step::Sent(_) => panic!("not a success"),
            }
            assert!(retries <= 5, "unbounded");
        }
        assert_eq!(retries, 2);
    }

    #[test]
    fn no_answer_says_whether_the_sms_may_have_gone_out() {
        let send = exchange();
        let refused = send.on_no_answer(NoAnswer::NotStarted("bad port"));
        assert_eq!(refused.data.delivery, Some(Delivery::NotSent));
        let reset = send.on_no_answer(NoAnswer::Network {
            cause_code: Some("ECONNRESET"),
        });
        assert_eq!(reset.data.delivery, Some(Delivery::Unknown));
        let late = send.on_no_answer(NoAnswer::Timeout);
        assert_eq!(late.data.delivery, Some(Delivery::Unknown));
    }
}
