//! Any Tencent SMS API action (2021-01-11) with the connector's config: the CLI's `status`
//! (PullSmsSendStatusByPhoneNumber) and the rehearsal's Describe checks. Same endpoint, keys,
//! signing, answer checks and error mapping as SendSms, so each caller builds none of its own.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::config::Config;
use crate::error::{ConnectorError, ErrorCode};
use crate::response;
use crate::send_sms::{self, SmsRequest};
use crate::tc3::SigningKeys;

/// `params`: the request body, one line of JSON object text (what `JSON.stringify` gives),
/// signed and sent byte for byte.
pub fn request(
    config: &Config,
    action: &str,
    params: &str,
    timestamp: u64,
    keys: &mut SigningKeys,
) -> Result<SmsRequest, ConnectorError> {
    // The action becomes a header and the body crosses back as one line; Tencent itself
    // refuses a body that is not a JSON object.
    if action.is_empty()
        || !action.bytes().all(|byte| byte.is_ascii_alphanumeric())
        || params.bytes().any(|byte| byte == b'\n')
    {
        return Err(ConnectorError::new(
            ErrorCode::InvalidRequestParameters,
            "apiRequest needs an action name (e.g. PullSmsSendStatusByPhoneNumber) and one line of JSON.",
        ));
    }
    send_sms::signed(config, action, params.to_owned(), timestamp, keys)
}

/// `Ok` when Tencent answered (JSON whose `Response` has no `Error`: the caller reads the body);
/// else the error, mapped as SendSms's are (Tencent's code and RequestId kept, the secret masked).
pub fn answer(
    secret: &str,
    status: u16,
    body: &[u8],
    truncated: bool,
) -> Result<(), ConnectorError> {
    response::parse_action(status, body, truncated, secret, false)
        .map(drop)
        .map_err(|failure| {
            let mut error = failure.error;
            // Whether an SMS went out is a send's question, not a query's.
            error.data.delivery = None;
            error
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config;

    const SECRET: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";

    fn config() -> Config {
        config::parse(&config::tests::valid()).unwrap()
    }

    #[test]
    fn a_request_is_signed_for_its_action_with_the_body_as_given() {
        let params = r#"{"Limit":10,"SmsSdkAppId":"1400006666"}"#;
        let request = request(
            &config(),
            "PullSmsSendStatusByPhoneNumber",
            params,
            1_551_113_065,
            &mut SigningKeys::default(),
        )
        .unwrap();
        assert_eq!(request.body, params);
        assert!(request.headers.iter().any(
            |(name, value)| *name == "X-TC-Action" && value == "PullSmsSendStatusByPhoneNumber"
        ));
        assert!(request.headers[0]
            .1
            .starts_with("TC3-HMAC-SHA256 Credential="));
    }

    #[test]
    fn a_bad_action_or_params_is_refused_before_signing() {
        let keys = &mut SigningKeys::default();
        for (action, params) in [("", "{}"), ("Send\nSms", "{}"), ("SendSms", "{\n}")] {
            let error = request(&config(), action, params, 1, keys).unwrap_err();
            assert_eq!(
                error.code,
                ErrorCode::InvalidRequestParameters,
                "{action:?} {params:?}"
            );
        }
    }

    #[test]
    fn an_answer_is_ok_or_the_mapped_error() {
        let body = br#"{"Response":{"PullSmsSendStatusSet":[],"RequestId":"r1"}}"#;
        assert_eq!(answer(SECRET, 200, body, false), Ok(()));
        let refused = br#"{"Response":{"Error":{"Code":"AuthFailure.SecretIdNotFound","Message":"m"},"RequestId":"r2"}}"#;
        let error = answer(SECRET, 200, refused, false).unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidConfig);
        assert_eq!(error.data.request_id.as_deref(), Some("r2"));
        assert_eq!(
            error.data.tencent_code.as_deref(),
            Some("AuthFailure.SecretIdNotFound")
        );
        assert_eq!(error.data.delivery, None);
        let gateway = answer(SECRET, 502, b"<html>", false).unwrap_err();
        assert_eq!(gateway.code, ErrorCode::InvalidResponse);
        assert_eq!(gateway.data.status, Some(502));
    }
}
