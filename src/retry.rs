//! When a failed SendSms may be sent again. Only answers that prove Tencent did not process the
//! request qualify: SendSms has no idempotency token, so anything else would risk a second SMS.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::response::Retryable;
use crate::time::parse_http_date;

pub const MAX_RATE_LIMIT_RETRIES: u8 = 2;
const FIRST_BACKOFF_MS: f64 = 250.0;
/// Time kept free for the retried request itself.
const ATTEMPT_RESERVE_MS: f64 = 1_000.0;
/// Attempts per call, including the first: one clock correction plus the rate-limit retries.
pub const MAX_ATTEMPTS: u8 = 2 + MAX_RATE_LIMIT_RETRIES;
/// A `Date` further than this from our clock is not Tencent's clock but a broken proxy or
/// server: following it would sign every later request with a time Tencent refuses.
const MAX_PLAUSIBLE_CLOCK_OFFSET_MS: f64 = 24.0 * 60.0 * 60.0 * 1_000.0;

/// False for NaN too.
pub fn is_plausible_clock_offset(offset_ms: f64) -> bool {
    offset_ms.abs() <= MAX_PLAUSIBLE_CLOCK_OFFSET_MS
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Next {
    /// Re-sign and send again after `delay_ms`; a new clock offset applies when given.
    Retry {
        delay_ms: f64,
        clock_offset_ms: Option<f64>,
    },
    /// The answer's `Date` is implausibly far from our clock: neither retried nor remembered.
    ImplausibleServerClock,
    GiveUp,
}

#[derive(Debug, Default, Clone)]
pub struct RetryPolicy {
    clock_corrected: bool,
    rate_limit_retries: u8,
}

impl RetryPolicy {
    /// `server_date` is the answer's `Date` header; `now_ms` the local clock; `remaining_ms` what
    /// is left of the call's timeout.
    pub fn after_failure(
        &mut self,
        retryable: Option<Retryable>,
        server_date: Option<&str>,
        now_ms: f64,
        remaining_ms: f64,
    ) -> Next {
        match retryable {
            Some(Retryable::SignatureExpired) if !self.clock_corrected => {
                let Some(server_seconds) = server_date.and_then(parse_http_date) else {
                    return Next::GiveUp;
                };
                self.clock_corrected = true;
                // The header has whole seconds: aim at the middle of that second.
                let offset = server_seconds as f64 * 1_000.0 + 500.0 - now_ms;
                if !is_plausible_clock_offset(offset) {
                    return Next::ImplausibleServerClock;
                }
                Next::Retry {
                    delay_ms: 0.0,
                    clock_offset_ms: Some(offset),
                }
            }
            Some(Retryable::RateLimited) if self.rate_limit_retries < MAX_RATE_LIMIT_RETRIES => {
                let delay_ms = FIRST_BACKOFF_MS * f64::from(1_u8 << self.rate_limit_retries);
                if delay_ms + ATTEMPT_RESERVE_MS > remaining_ms {
                    return Next::GiveUp;
                }
                self.rate_limit_retries += 1;
                Next::Retry {
                    delay_ms,
                    clock_offset_ms: None,
                }
            }
            _ => Next::GiveUp,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: f64 = 1_551_113_065_000.0;

    #[test]
    fn expired_signature_is_retried_once_with_the_server_clock() {
        let mut policy = RetryPolicy::default();
        let date = Some("Mon, 25 Feb 2019 16:54:25 GMT"); // ten minutes ahead
        let Next::Retry {
            clock_offset_ms: Some(offset),
            delay_ms,
        } = policy.after_failure(Some(Retryable::SignatureExpired), date, NOW, 10_000.0)
        else {
            panic!("expected a retry");
        };
        assert_eq!((offset, delay_ms), (600_500.0, 0.0));
        assert_eq!(
            policy.after_failure(Some(Retryable::SignatureExpired), date, NOW, 10_000.0),
            Next::GiveUp
        );
    }

    #[test]
    fn a_server_clock_more_than_a_day_off_is_neither_followed_nor_retried() {
        let mut policy = RetryPolicy::default();
        for date in [
            "Mon, 25 Feb 2030 16:54:25 GMT",
            "Thu, 01 Jan 1970 00:00:00 GMT",
        ] {
            assert_eq!(
                RetryPolicy::default().after_failure(
                    Some(Retryable::SignatureExpired),
                    Some(date),
                    NOW,
                    10_000.0
                ),
                Next::ImplausibleServerClock
            );
        }
        // Twenty-three hours is a wrong clock, not a broken one: still corrected.
        let date = Some("Tue, 26 Feb 2019 15:44:25 GMT");
        assert!(matches!(
            policy.after_failure(Some(Retryable::SignatureExpired), date, NOW, 10_000.0),
            Next::Retry { .. }
        ));
    }

    #[test]
    fn expired_signature_without_a_usable_date_is_not_retried() {
        let mut policy = RetryPolicy::default();
        assert_eq!(
            policy.after_failure(Some(Retryable::SignatureExpired), None, NOW, 10_000.0),
            Next::GiveUp
        );
        assert_eq!(
            policy.after_failure(
                Some(Retryable::SignatureExpired),
                Some("soon"),
                NOW,
                10_000.0
            ),
            Next::GiveUp
        );
    }

    #[test]
    fn rate_limits_back_off_twice_with_growing_delays() {
        let mut policy = RetryPolicy::default();
        let mut delays = Vec::new();
        while let Next::Retry { delay_ms, .. } =
            policy.after_failure(Some(Retryable::RateLimited), None, NOW, 10_000.0)
        {
            delays.push(delay_ms);
            assert!(delays.len() <= 5, "unbounded");
        }
        assert_eq!(delays, [250.0, 500.0]);
    }

    #[test]
    fn no_retry_when_the_timeout_would_not_allow_it() {
        let mut policy = RetryPolicy::default();
        assert_eq!(
            policy.after_failure(Some(Retryable::RateLimited), None, NOW, 1_100.0),
            Next::GiveUp
        );
    }

    #[test]
    fn everything_else_is_final() {
        assert_eq!(
            RetryPolicy::default().after_failure(None, None, NOW, 10_000.0),
            Next::GiveUp
        );
    }
}
