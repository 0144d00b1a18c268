//! Structured TC3 signing input, each field either a well-formed usual value or arbitrary text, so
//! both the success path and every refusal are reached.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use tencent_sms_connector::redact;
use tencent_sms_connector::tc3::{
    self, SignError, SignInput, SignedRequest, SigningKeys, DEFAULT_SIGNED_HEADERS, MAX_TIMESTAMP,
    SIGNABLE_HEADERS,
};
use tencent_sms_connector::time::utc_date;

/// Shorter secrets would match ordinary text; `ConnectorError::redact` ignores them too.
const MIN_SECRET_CHARS: usize = redact::MIN_FRAGMENT_CHARS;

#[derive(Debug, Arbitrary)]
enum Text {
    Usual,
    Custom(String),
}

impl Text {
    fn or<'a>(&'a self, usual: &'a str) -> &'a str {
        match self {
            Text::Usual => usual,
            Text::Custom(text) => text,
        }
    }
}

#[derive(Debug, Arbitrary)]
enum OptionalText {
    Absent,
    Usual,
    Custom(String),
}

impl OptionalText {
    fn or<'a>(&'a self, usual: &'a str) -> Option<&'a str> {
        match self {
            OptionalText::Absent => None,
            OptionalText::Usual => Some(usual),
            OptionalText::Custom(text) => Some(text),
        }
    }
}

#[derive(Debug, Arbitrary)]
enum HeaderName {
    Signable(u8),
    Custom(String),
}

#[derive(Debug, Arbitrary)]
struct Input {
    secret_id: Text,
    secret_key: Text,
    service: Text,
    host: Text,
    action: Text,
    version: Text,
    region: OptionalText,
    token: OptionalText,
    language: OptionalText,
    content_type: Text,
    /// Taken modulo the accepted range unless `any_timestamp` is set.
    timestamp: u64,
    any_timestamp: bool,
    payload: Vec<u8>,
    with_default_headers: bool,
    extra_headers: Vec<HeaderName>,
}

fuzz_target!(|input: Input| {
    let mut names: Vec<&str> = Vec::new();
    if input.with_default_headers {
        names.extend(DEFAULT_SIGNED_HEADERS);
    }
    for name in &input.extra_headers {
        names.push(match name {
            HeaderName::Signable(index) => {
                SIGNABLE_HEADERS[usize::from(*index) % SIGNABLE_HEADERS.len()]
            }
            HeaderName::Custom(name) => name,
        });
    }
    let timestamp = if input.any_timestamp {
        input.timestamp
    } else {
        input.timestamp % (MAX_TIMESTAMP + 1)
    };
    let sign_input = SignInput {
        secret_id: input.secret_id.or("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"),
        secret_key: input.secret_key.or("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"),
        service: input.service.or("sms"),
        host: input.host.or("sms.tencentcloudapi.com"),
        action: input.action.or("SendSms"),
        version: input.version.or("2021-01-11"),
        region: input.region.or("ap-guangzhou"),
        timestamp,
        payload: &input.payload,
        content_type: input.content_type.or("application/json; charset=utf-8"),
        token: input.token.or("sts-token"),
        language: input.language.or("en-US"),
        signed_headers: &names,
    };
    let signed = tc3::sign(&sign_input, &mut SigningKeys::default());
    assert_eq!(
        signed,
        tc3::sign(&sign_input, &mut SigningKeys::default()),
        "signing is not deterministic"
    );
    // Another secret tells fixed text and other fields from an echo of the secret.
    let other_key = format!("{}x", sign_input.secret_key);
    let other = tc3::sign(&SignInput {
        secret_key: &other_key,
        ..sign_input.clone()
    }, &mut SigningKeys::default());
    if sign_input.secret_key.chars().count() >= MIN_SECRET_CHARS {
        let (text, other_text) = (render(&signed), render(&other));
        assert!(
            !text.contains(sign_input.secret_key) || other_text.contains(sign_input.secret_key),
            "the secret shows in {text}"
        );
    }
    match signed {
        Ok(signed) => {
            assert!(timestamp <= MAX_TIMESTAMP);
            let steps = tc3::signing_steps(&sign_input, &mut SigningKeys::default()).expect("steps of a signed request");
            assert_eq!(steps.signature.len(), 64);
            assert!(steps
                .signature
                .bytes()
                .all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f')));
            assert!(signed.authorization.ends_with(&steps.signature));
            assert!(steps.credential_scope.starts_with(&utc_date(timestamp)));
            assert_eq!(
                signed.headers.first(),
                Some(&("Authorization", signed.authorization.clone()))
            );
            // No header injection: every value stays one header line.
            for (name, value) in &signed.headers {
                assert!(
                    !value.bytes().any(|byte| byte.is_ascii_control()),
                    "{name}: {value:?}"
                );
            }
            // Only the signature depends on the secret.
            if let Ok(other) = other {
                assert_ne!(signed.authorization, other.authorization);
                assert_eq!(signed.headers.get(1..), other.headers.get(1..));
            }
            if let Some(first) = input.payload.first() {
                let mut changed = input.payload.clone();
                changed[0] = first ^ 1;
                let changed = tc3::sign(&SignInput {
                    payload: &changed,
                    ..sign_input.clone()
                }, &mut SigningKeys::default())
                .expect("the payload is not validated");
                assert_ne!(changed.authorization, signed.authorization);
            }
        }
        Err(error) => assert!(!error.problem.is_empty()),
    }
});

fn render(signed: &Result<SignedRequest, SignError>) -> String {
    match signed {
        Ok(signed) => signed
            .headers
            .iter()
            .map(|(name, value)| format!("{name}: {value}\n"))
            .collect(),
        Err(error) => error.message(),
    }
}
