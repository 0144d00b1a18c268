//! Failures without an answer from Tencent: whether the SMS may have gone out decides the message.

#[allow(unused_imports)]
use crate::prelude::*;
use crate::text::{concat, decimal};

use crate::error::{ConnectorError, Delivery, ErrorCode};
use crate::redact::quote;

/// Node's error codes that only a failure before any request byte was written raises:
/// ECONNREFUSED (a reset answering the SYN; on an open connection a reset is ECONNRESET),
/// ENOTFOUND and EAI_AGAIN (name resolution), EADDRNOTAVAIL (bind/connect), undici's connect
/// timeout, and the TLS certificate checks of the handshake (undici writes the request only
/// once the connection is secure).
const NOT_SENT_CODES: [&str; 10] = [
    "ECONNREFUSED",
    "ENOTFOUND",
    "EAI_AGAIN",
    "EADDRNOTAVAIL",
    "UND_ERR_CONNECT_TIMEOUT",
    "CERT_HAS_EXPIRED",
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "ERR_TLS_CERT_ALTNAME_INVALID",
];
/// Raised by `connect`, but also on an open connection whose retransmissions time out after an
/// ICMP error (Linux reports that soft error instead of ETIMEDOUT): not sent only from `connect`.
const CONNECT_CODES: [&str; 2] = ["ENETUNREACH", "EHOSTUNREACH"];

/// Whether a connection failure provably came before the request was written. `syscall` is the
/// failing call Node names (`connect`, `getaddrinfo`, `read`, …) when it names one.
pub fn before_writing(cause_code: Option<&str>, syscall: Option<&str>) -> bool {
    cause_code.is_some_and(|code| {
        NOT_SENT_CODES.contains(&code)
            || (CONNECT_CODES.contains(&code) && syscall == Some("connect"))
    })
}

/// `cause_code` is the `code` of the fetch error's `cause` (Node), absent in browsers.
pub fn network_failure(
    cause_code: Option<&str>,
    syscall: Option<&str>,
    host: &str,
) -> ConnectorError {
    let not_sent = before_writing(cause_code, syscall);
    let (host, code) = (quote(host, 260), quote(cause_code.unwrap_or("unknown"), 40));
    let message = if not_sent {
        concat(&["Could not connect to ", &host, " (", &code, "); the SMS was not sent. Check the endpoint, DNS and outbound network access, then try again."])
    } else {
        concat(&["The connection to ", &host, " failed after the request was sent (", &code, "); the SMS may or may not have been sent. Check the SMS console's delivery records before sending again."])
    };
    let mut error = ConnectorError::new(ErrorCode::General, message);
    error.data.delivery = Some(if not_sent {
        Delivery::NotSent
    } else {
        Delivery::Unknown
    });
    error
}

/// The host refused to start the request (`fetch` missing, or rejecting the URL or a header
/// before connecting): nothing was written.
pub fn not_started(reason: &str, host: &str) -> ConnectorError {
    let (host, reason) = (quote(host, 260), quote(reason, 200));
    let mut error = ConnectorError::new(
        ErrorCode::General,
        concat(&[
            "The request to ",
            &host,
            " could not be started (",
            &reason,
            "); the SMS was not sent. Check the endpoint in the connector config, then try again.",
        ]),
    );
    error.data.delivery = Some(Delivery::NotSent);
    error
}

pub fn timeout(timeout_ms: u32, host: &str) -> ConnectorError {
    let host = quote(host, 260);
    let mut error = ConnectorError::new(
        ErrorCode::General,
        concat(&["Tencent Cloud SMS (", &host, ") did not answer within ", &decimal(timeout_ms as u64), " ms; the SMS may or may not have been sent. Check the SMS console's delivery records before sending again, or raise timeoutMs."]),
    );
    error.data.delivery = Some(Delivery::Unknown);
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_connections_say_not_sent() {
        let error = network_failure(Some("ECONNREFUSED"), None, "127.0.0.1:9");
        assert_eq!(error.data.delivery, Some(Delivery::NotSent));
        assert!(error.message().contains("was not sent"));
    }

    #[test]
    fn unreachable_is_not_sent_only_from_connect() {
        let error = network_failure(Some("EHOSTUNREACH"), Some("connect"), "h");
        assert_eq!(error.data.delivery, Some(Delivery::NotSent));
        for syscall in [Some("read"), None] {
            let error = network_failure(Some("EHOSTUNREACH"), syscall, "h");
            assert_eq!(error.data.delivery, Some(Delivery::Unknown));
        }
    }

    #[test]
    fn resets_and_unknown_failures_say_unknown() {
        for code in [Some("ECONNRESET"), Some("UND_ERR_SOCKET"), None] {
            let error = network_failure(code, None, "sms.tencentcloudapi.com");
            assert_eq!(error.data.delivery, Some(Delivery::Unknown));
            assert!(error.message().contains("may or may not"));
        }
    }

    #[test]
    fn requests_the_host_refused_to_start_say_not_sent() {
        let error = not_started("bad port", "127.0.0.1:9");
        assert_eq!(error.data.delivery, Some(Delivery::NotSent));
        assert!(error.message().contains("bad port"));
    }

    #[test]
    fn timeouts_say_the_outcome_is_unknown() {
        let error = timeout(2_000, "sms.tencentcloudapi.com");
        assert!(error.message().contains("did not answer within 2000 ms"));
        assert!(error.message().contains("may or may not"));
    }
}
