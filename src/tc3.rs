//! TC3-HMAC-SHA256, Tencent Cloud's API 3.0 request signature.
//!
//! Sans-IO: the caller passes the time (whole seconds) and the exact payload bytes, and gets back
//! the `Authorization` value and every header the caller sends (all but `Host`, which `fetch`
//! sets from the URL). Nothing here reads a clock or the network.

#[allow(unused_imports)]
use crate::prelude::*;

use core::fmt;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::bounded::BoundedMap;
use crate::endpoint::is_host;
use crate::redact::{quote, MASK};
use crate::text::{concat, decimal, join};
use crate::time::utc_date;

const ALGORITHM: &str = "TC3-HMAC-SHA256";
/// Latest timestamp accepted (9999-12-31T23:59:59Z): keeps the credential date four digits wide.
pub const MAX_TIMESTAMP: u64 = 253_402_300_799;

/// Header names that may be signed (each one is also sent), in canonical (sorted) order.
pub const SIGNABLE_HEADERS: [&str; 8] = [
    "content-type",
    "host",
    "x-tc-action",
    "x-tc-language",
    "x-tc-region",
    "x-tc-timestamp",
    "x-tc-token",
    "x-tc-version",
];

pub const DEFAULT_SIGNED_HEADERS: [&str; 2] = ["content-type", "host"];

/// Everything a TC3 signature covers.
#[derive(Clone)]
pub struct SignInput<'a> {
    pub secret_id: &'a str,
    pub secret_key: &'a str,
    pub service: &'a str,
    pub host: &'a str,
    pub action: &'a str,
    pub version: &'a str,
    pub region: Option<&'a str>,
    pub timestamp: u64,
    pub payload: &'a [u8],
    pub content_type: &'a str,
    pub token: Option<&'a str>,
    pub language: Option<&'a str>,
    /// Lower-case header names; must include `content-type` and `host`.
    pub signed_headers: &'a [&'a str],
}

/// Every field but the secret key, which is never formatted.
impl fmt::Debug for SignInput<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("SignInput")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &MASK)
            .field("service", &self.service)
            .field("host", &self.host)
            .field("action", &self.action)
            .field("version", &self.version)
            .field("region", &self.region)
            .field("timestamp", &self.timestamp)
            .field("payload", &self.payload)
            .field("content_type", &self.content_type)
            .field("token", &self.token)
            .field("language", &self.language)
            .field("signed_headers", &self.signed_headers)
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRequest {
    pub authorization: String,
    /// Every header to send (not `Host`, see above), `Authorization` first, in a stable order.
    pub headers: Vec<(&'static str, String)>,
}

/// Why a request could not be signed. Never carries the secret key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignError {
    pub field: &'static str,
    /// What is wrong with `field`, phrased to follow its name, so a caller can name the field
    /// the way its own users know it.
    pub problem: String,
}

impl SignError {
    fn new(field: &'static str, problem: impl Into<String>) -> Self {
        SignError {
            field,
            problem: problem.into(),
        }
    }

    pub fn message(&self) -> String {
        concat(&[self.field, " ", &self.problem])
    }
}

impl fmt::Display for SignError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message())
    }
}

impl core::error::Error for SignError {}

/// The intermediate strings, exposed so tests can compare them with Tencent's published examples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningSteps {
    pub signed_headers: String,
    pub canonical_request: String,
    pub credential_scope: String,
    pub string_to_sign: String,
    pub signature: String,
}

/// Signs `input`; `keys` keeps derived signing keys between calls (the caller owns it, so the
/// signer holds no state of its own).
pub fn sign(input: &SignInput, keys: &mut SigningKeys) -> Result<SignedRequest, SignError> {
    let steps = signing_steps(input, keys)?;
    let authorization = concat(&[
        ALGORITHM,
        " Credential=",
        input.secret_id,
        "/",
        &steps.credential_scope,
        ", SignedHeaders=",
        &steps.signed_headers,
        ", Signature=",
        &steps.signature,
    ]);
    let mut headers = vec![
        ("Authorization", authorization.clone()),
        // Host is signed but not returned: `fetch` sets it from the URL (browsers forbid
        // setting it), and validation keeps the two equal.
        ("Content-Type", input.content_type.to_owned()),
        ("X-TC-Action", input.action.to_owned()),
        ("X-TC-Timestamp", decimal(input.timestamp)),
        ("X-TC-Version", input.version.to_owned()),
    ];
    if let Some(region) = input.region {
        headers.push(("X-TC-Region", region.to_owned()));
    }
    if let Some(token) = input.token {
        headers.push(("X-TC-Token", token.to_owned()));
    }
    if let Some(language) = input.language {
        headers.push(("X-TC-Language", language.to_owned()));
    }
    Ok(SignedRequest {
        authorization,
        headers,
    })
}

pub fn signing_steps(input: &SignInput, keys: &mut SigningKeys) -> Result<SigningSteps, SignError> {
    check_input(input)?;
    let names = signed_header_names(input.signed_headers)?;
    let mut canonical_headers = String::new();
    for name in &names {
        let value = header_value(input, name).ok_or_else(|| {
            SignError::new(
                "signedHeaders",
                concat(&[
                    "lists ",
                    name,
                    ", which has no value: give it or leave it out",
                ]),
            )
        })?;
        canonical_headers.push_str(name);
        canonical_headers.push(':');
        canonical_headers.push_str(&value.trim().to_ascii_lowercase());
        canonical_headers.push('\n');
    }
    let signed_headers = join(&names, ";");
    // Built by concatenation, not format!: signing is called often and fmt is slow in wasm.
    let canonical_request = concat(&[
        "POST\n/\n\n",
        &canonical_headers,
        "\n",
        &signed_headers,
        "\n",
        &hex_digest(&sha256(input.payload)),
    ]);
    let date = utc_date(input.timestamp);
    let credential_scope = concat(&[&date, "/", input.service, "/tc3_request"]);
    let string_to_sign = concat(&[
        ALGORITHM,
        "\n",
        &decimal(input.timestamp),
        "\n",
        &credential_scope,
        "\n",
        &hex_digest(&sha256(canonical_request.as_bytes())),
    ]);
    let signing_key = keys.get(input.secret_key, &date, input.service);
    let signature = hex_digest(&hmac_sha256(&signing_key, string_to_sign.as_bytes()));
    Ok(SigningSteps {
        signed_headers,
        canonical_request,
        credential_scope,
        string_to_sign,
        signature,
    })
}

/// SHA-256 of `data`. One outlined copy for every caller: `Digest::digest` is generic and
/// would be inlined at each.
#[inline(never)]
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// Lower-case hex of a 32-byte digest, written in one go (hex::encode pushes char by char).
fn hex_digest(digest: &[u8; 32]) -> String {
    let mut text = String::with_capacity(64);
    for byte in digest {
        // `push`, not `extend` with the Option (a generic body); a nibble is always a digit.
        text.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
        text.push(char::from_digit(u32::from(byte & 15), 16).unwrap_or('0'));
    }
    text
}

/// Signing keys by (secret, date, service). A key changes once a day and deriving it costs four of
/// the five HMACs of a signature, so the last few are kept, in the caller's memory only.
pub struct SigningKeys(BoundedMap<(String, String, String), [u8; 32]>);

/// The keys and their secrets are never formatted: only how many there are.
impl fmt::Debug for SigningKeys {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "SigningKeys({} kept)", self.0.len())
    }
}

impl Default for SigningKeys {
    fn default() -> Self {
        SigningKeys::new()
    }
}

/// Enough for a key rotation or two configs, across a change of date.
const KEPT_SIGNING_KEYS: usize = 4;

impl SigningKeys {
    /// Empty; allocates nothing until the first key.
    pub const fn new() -> Self {
        SigningKeys(BoundedMap::new(KEPT_SIGNING_KEYS))
    }

    fn get(&mut self, secret_key: &str, date: &str, service: &str) -> [u8; 32] {
        let found = self
            .0
            .find(|(secret, day, name)| secret == secret_key && day == date && name == service);
        if let Some(key) = found {
            return *key;
        }
        let key = derive_signing_key(secret_key, date, service);
        self.0.insert(
            (secret_key.to_owned(), date.to_owned(), service.to_owned()),
            key,
        );
        key
    }
}

/// kSigning = HMAC(HMAC(HMAC("TC3" + SecretKey, date), service), "tc3_request"). Raw bytes only:
/// these keys are as sensitive as the secret and are never rendered outside tests.
pub(crate) fn derive_signing_key(secret_key: &str, date: &str, service: &str) -> [u8; 32] {
    let mut first_key = Vec::with_capacity(3 + secret_key.len());
    first_key.extend_from_slice(b"TC3");
    first_key.extend_from_slice(secret_key.as_bytes());
    let date_key = hmac_sha256(&first_key, date.as_bytes());
    let service_key = hmac_sha256(&date_key, service.as_bytes());
    hmac_sha256(&service_key, b"tc3_request")
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    // HMAC takes keys of any length (long ones are hashed first), so this constructor cannot fail;
    // the zero fallback is unreachable and would only produce a signature Tencent rejects.
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(message);
            mac.finalize().into_bytes().into()
        }
        Err(_) => [0; 32],
    }
}

fn header_value<'a>(input: &SignInput<'a>, name: &str) -> Option<alloc::borrow::Cow<'a, str>> {
    use alloc::borrow::Cow::{Borrowed, Owned};
    match name {
        "content-type" => Some(Borrowed(input.content_type)),
        "host" => Some(Borrowed(input.host)),
        "x-tc-action" => Some(Borrowed(input.action)),
        "x-tc-version" => Some(Borrowed(input.version)),
        "x-tc-timestamp" => Some(Owned(decimal(input.timestamp))),
        "x-tc-region" => input.region.map(Borrowed),
        "x-tc-token" => input.token.map(Borrowed),
        "x-tc-language" => input.language.map(Borrowed),
        _ => None,
    }
}

/// Lower-cased, de-duplicated and sorted, as the canonical request needs them.
fn signed_header_names(requested: &[&str]) -> Result<Vec<&'static str>, SignError> {
    // A loop, not map/collect: their adapters are generic bodies of their own in the wasm.
    let mut lowered: Vec<String> = Vec::with_capacity(requested.len());
    for raw in requested {
        lowered.push(raw.trim().to_ascii_lowercase());
    }
    let requested = lowered;
    if let Some(unknown) = requested
        .iter()
        .find(|name| !SIGNABLE_HEADERS.contains(&name.as_str()))
    {
        return Err(SignError::new(
            "signedHeaders",
            concat(&[
                "cannot include \"",
                &quote(unknown, 40),
                "\": use names from ",
                &join(&SIGNABLE_HEADERS, ", "),
            ]),
        ));
    }
    for required in DEFAULT_SIGNED_HEADERS {
        if !requested.iter().any(|name| name == required) {
            return Err(SignError::new(
                "signedHeaders",
                concat(&["must include ", required]),
            ));
        }
    }
    // SIGNABLE_HEADERS is sorted, so filtering it yields the canonical order without a sort.
    Ok(SIGNABLE_HEADERS
        .iter()
        .copied()
        .filter(|name| requested.iter().any(|requested| requested == name))
        .collect())
}

fn check_input(input: &SignInput) -> Result<(), SignError> {
    require_token("secretId", input.secret_id)?;
    if input.secret_key.is_empty() {
        return Err(SignError::new("secretKey", "is empty"));
    }
    if !is_service_name(input.service) {
        return Err(SignError::new(
            "service",
            "must be the lower-case product name, like \"sms\" or \"cvm\"",
        ));
    }
    if !is_host(input.host) {
        return Err(SignError::new(
            "host",
            "must be a host name with an optional port, like \"sms.tencentcloudapi.com\", without scheme or path",
        ));
    }
    require_token("action", input.action)?;
    require_token("version", input.version)?;
    require_header_safe("contentType", input.content_type)?;
    if input.content_type.trim().is_empty() {
        return Err(SignError::new("contentType", "is empty"));
    }
    if let Some(region) = input.region {
        require_token("region", region)?;
    }
    if let Some(token) = input.token {
        require_header_safe("token", token)?;
    }
    if let Some(language) = input.language {
        require_token("language", language)?;
    }
    if input.timestamp > MAX_TIMESTAMP {
        return Err(SignError::new(
            "timestamp",
            "must be Unix time in whole seconds (not milliseconds)",
        ));
    }
    Ok(())
}

/// Non-empty printable ASCII without spaces: these values go into headers and the credential.
fn require_token(field: &'static str, value: &str) -> Result<(), SignError> {
    if value.is_empty() {
        return Err(SignError::new(field, "is empty"));
    }
    if !value.bytes().all(|byte| byte.is_ascii_graphic()) {
        return Err(SignError::new(
            field,
            "must be printable ASCII without spaces or line breaks",
        ));
    }
    Ok(())
}

fn require_header_safe(field: &'static str, value: &str) -> Result<(), SignError> {
    if value.bytes().any(|byte| byte.is_ascii_control()) {
        return Err(SignError::new(
            field,
            "must not contain line breaks or control characters",
        ));
    }
    Ok(())
}

fn is_service_name(service: &str) -> bool {
    !service.is_empty()
        && service
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cvm_input<'a>(payload: &'a [u8], signed: &'a [&'a str]) -> SignInput<'a> {
        SignInput {
            secret_id: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
            secret_key: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
            service: "cvm",
            host: "cvm.tencentcloudapi.com",
            action: "DescribeInstances",
            version: "2017-03-12",
            region: Some("ap-guangzhou"),
            timestamp: 1_551_113_065,
            payload,
            content_type: "application/json; charset=utf-8",
            token: None,
            language: None,
            signed_headers: signed,
        }
    }

    #[test]
    fn signed_header_names_are_sorted_lowercased_and_deduplicated() {
        let names = signed_header_names(&["X-TC-Action", "host", "Content-Type", "host"]);
        assert_eq!(names, Ok(vec!["content-type", "host", "x-tc-action"]));
    }

    #[test]
    fn signing_without_host_or_content_type_is_refused() {
        let error = sign(
            &cvm_input(b"{}", &["content-type"]),
            &mut SigningKeys::default(),
        )
        .unwrap_err();
        assert_eq!(error.field, "signedHeaders");
        assert_eq!(error.message(), "signedHeaders must include host");
    }

    #[test]
    fn unknown_signed_header_is_refused_by_name() {
        let error = sign(
            &cvm_input(b"{}", &["content-type", "host", "x-evil"]),
            &mut SigningKeys::default(),
        )
        .unwrap_err();
        assert!(error.message().contains("x-evil"), "{}", error.message());
        // Quoted input: the binding's redaction masks a secret in it, and only in it.
        assert!(error.message().contains(&quote("x-evil", 40)));
        let mut message = error.message();
        crate::redact::unquote(&mut message, Some("x-evil"));
        assert!(
            message.starts_with(
                "signedHeaders cannot include \"[redacted]\": use names from content-type"
            ),
            "{message}"
        );
    }

    #[test]
    fn a_signed_header_without_a_value_is_refused() {
        let mut input = cvm_input(b"{}", &["content-type", "host", "x-tc-token"]);
        input.token = None;
        assert_eq!(
            sign(&input, &mut SigningKeys::default()).unwrap_err().field,
            "signedHeaders"
        );
    }

    #[test]
    fn header_injection_through_values_is_refused() {
        let mut input = cvm_input(b"{}", &DEFAULT_SIGNED_HEADERS);
        input.secret_id = "AKID\r\nX-Evil: 1";
        assert_eq!(
            sign(&input, &mut SigningKeys::default()).unwrap_err().field,
            "secretId"
        );
        let mut input = cvm_input(b"{}", &DEFAULT_SIGNED_HEADERS);
        input.token = Some("token\nX-Evil: 1");
        assert_eq!(
            sign(&input, &mut SigningKeys::default()).unwrap_err().field,
            "token"
        );
    }

    #[test]
    fn millisecond_timestamps_are_refused() {
        let mut input = cvm_input(b"{}", &DEFAULT_SIGNED_HEADERS);
        input.timestamp = 1_551_113_065_000;
        assert_eq!(
            sign(&input, &mut SigningKeys::default()).unwrap_err().field,
            "timestamp"
        );
    }

    #[test]
    fn errors_never_contain_the_secret_key() {
        let mut input = cvm_input(b"{}", &["content-type", "host", "bad header"]);
        input.secret_key = "very-secret-value-123";
        let error = sign(&input, &mut SigningKeys::default()).unwrap_err();
        assert!(!format!("{error:?}").contains("very-secret-value-123"));
    }

    #[test]
    fn debug_output_never_shows_the_secret_key() {
        let input = cvm_input(b"{}", &DEFAULT_SIGNED_HEADERS);
        let shown = format!("{input:?}");
        assert!(!shown.contains(input.secret_key), "{shown}");
        assert!(shown.contains("[redacted]"));
    }

    #[test]
    fn sign_error_displays_as_its_message() {
        let error = sign(
            &cvm_input(b"{}", &["content-type"]),
            &mut SigningKeys::default(),
        )
        .unwrap_err();
        assert_eq!(error.to_string(), error.message());
        let _: &dyn std::error::Error = &error;
    }

    #[test]
    fn headers_carry_optional_values_only_when_given() {
        let mut input = cvm_input(b"{}", &DEFAULT_SIGNED_HEADERS);
        input.region = None;
        let names: Vec<_> = sign(&input, &mut SigningKeys::default())
            .unwrap()
            .headers
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        assert_eq!(
            names,
            [
                "Authorization",
                "Content-Type",
                "X-TC-Action",
                "X-TC-Timestamp",
                "X-TC-Version"
            ]
        );
        input.token = Some("sts-token");
        input.language = Some("en-US");
        let headers = sign(&input, &mut SigningKeys::default()).unwrap().headers;
        assert!(headers.contains(&("X-TC-Token", "sts-token".into())));
        assert!(headers.contains(&("X-TC-Language", "en-US".into())));
    }

    #[test]
    fn max_timestamp_is_the_last_second_of_9999() {
        assert_eq!(utc_date(MAX_TIMESTAMP), "9999-12-31");
        assert_eq!(utc_date(MAX_TIMESTAMP - 86_399), "9999-12-31");
        assert_eq!(utc_date(MAX_TIMESTAMP - 86_400), "9999-12-30");
    }

    #[test]
    fn the_cached_signing_key_is_per_secret_date_and_service() {
        let derived =
            |secret, date, service| hex::encode(derive_signing_key(secret, date, service));
        let mut keys = SigningKeys::default();
        let mut cached = |secret, date, service| hex::encode(keys.get(secret, date, service));
        let inputs = [
            ("secret-a", "2026-12-01", "sms"),
            ("secret-b", "2026-12-01", "sms"),
            ("secret-a", "2026-12-02", "sms"),
            ("secret-a", "2026-12-01", "cvm"),
            ("secret-a", "2026-12-01", "sms"),
        ];
        for _ in 0..2 {
            for (secret, date, service) in inputs {
                assert_eq!(
                    cached(secret, date, service),
                    derived(secret, date, service)
                );
            }
        }
    }
}

/// Tencent's published examples and independently computed cases (Python's hmac/hashlib).
#[cfg(test)]
mod published_vectors {
    use super::*;
    use serde_json::Value;

    fn vectors() -> Vec<Value> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/tc3-published-vectors.json"
        );
        let text = std::fs::read_to_string(path)
            .expect("tests/fixtures/tc3-published-vectors.json in the repository");
        let json: Value = serde_json::from_str(&text).unwrap();
        json["vectors"].as_array().unwrap().clone()
    }

    #[test]
    fn all_published_vectors_match_at_every_published_step() {
        let vectors = vectors();
        assert_eq!(vectors.len(), 5);
        for vector in &vectors {
            let id = vector["id"].as_str().unwrap();
            let inputs = &vector["inputs"];
            let expected = &vector["expected"];
            let field = |key: &str| inputs[key].as_str().unwrap();
            let signed: Vec<&str> = field("signed_headers").split(';').collect();
            let input = SignInput {
                secret_id: field("secret_id"),
                secret_key: field("secret_key"),
                service: field("service"),
                host: field("host"),
                action: field("action"),
                version: field("version"),
                region: inputs["region"].as_str(),
                timestamp: inputs["timestamp"].as_u64().unwrap(),
                payload: field("payload").as_bytes(),
                content_type: field("content_type"),
                token: None,
                language: None,
                signed_headers: &signed,
            };
            let steps = signing_steps(&input, &mut SigningKeys::default()).unwrap();
            let signed_request = sign(&input, &mut SigningKeys::default()).unwrap();
            let hex_sha = |text: &str| hex::encode(Sha256::digest(text.as_bytes()));
            let mut checked = 0;
            for (key, actual) in [
                ("hashed_payload", hex::encode(Sha256::digest(input.payload))),
                ("canonical_request", steps.canonical_request.clone()),
                (
                    "hashed_canonical_request",
                    hex_sha(&steps.canonical_request),
                ),
                ("string_to_sign", steps.string_to_sign.clone()),
                ("signature", steps.signature.clone()),
                ("authorization", signed_request.authorization.clone()),
            ] {
                if let Some(value) = expected[key].as_str() {
                    assert_eq!(actual, value, "{id}: {key}");
                    checked += 1;
                }
            }
            if let Some(date_key) = expected["secret_date_hex"].as_str() {
                let date = utc_date(input.timestamp);
                let mut first = b"TC3".to_vec();
                first.extend_from_slice(input.secret_key.as_bytes());
                let k_date = hmac_sha256(&first, date.as_bytes());
                let k_service = hmac_sha256(&k_date, input.service.as_bytes());
                assert_eq!(hex::encode(k_date), date_key, "{id}");
                assert_eq!(
                    hex::encode(k_service),
                    expected["secret_service_hex"].as_str().unwrap()
                );
                assert_eq!(
                    hex::encode(derive_signing_key(input.secret_key, &date, input.service)),
                    expected["secret_signing_hex"].as_str().unwrap()
                );
                checked += 3;
            }
            assert!(checked >= 1, "{id}: nothing compared");
        }
    }

    fn sms_authorization(
        secret_key: &str,
        timestamp: u64,
        payload: &[u8],
        signed: &[&str],
    ) -> String {
        sign(
            &SignInput {
                secret_id: "AKIDtest",
                secret_key,
                service: "sms",
                host: "sms.tencentcloudapi.com",
                action: "SendSms",
                version: "2021-01-11",
                region: Some("ap-guangzhou"),
                timestamp,
                payload,
                content_type: "application/json; charset=utf-8",
                token: None,
                language: None,
                signed_headers: signed,
            },
            &mut SigningKeys::default(),
        )
        .unwrap()
        .authorization
    }

    #[test]
    fn one_second_either_side_of_utc_midnight() {
        // 1700006400 is 2023-11-15T00:00:00Z.
        let cases = [
            (
                1_700_006_399,
                "2023-11-14",
                "ae5b823a302db4a439269a678eec14844713297ca23ad1dc8297a45ac52af23e",
            ),
            (
                1_700_006_400,
                "2023-11-15",
                "e894b36dc98179db36cacd223675198daf5da0ddd40a3a9b5d79070366d37759",
            ),
            (
                1_700_006_401,
                "2023-11-15",
                "33c1163a1585f6e0648adcc237d540599acdae25660fbffba01bf44d29c45627",
            ),
        ];
        for (timestamp, date, signature) in cases {
            let authorization =
                sms_authorization("secret", timestamp, b"{}", &DEFAULT_SIGNED_HEADERS);
            assert!(
                authorization.contains(&format!("/{date}/sms/tc3_request")),
                "{authorization}"
            );
            assert!(authorization.ends_with(signature), "{authorization}");
        }
    }

    #[test]
    fn secret_key_longer_than_the_hmac_block() {
        let authorization = sms_authorization(
            &"k".repeat(100),
            1_700_000_000,
            b"{}",
            &DEFAULT_SIGNED_HEADERS,
        );
        assert!(authorization
            .ends_with("09d533fa519d2f982fb13cd345e1b451f3a025c2658dc32f191cb4f3d2f2284b"));
    }

    #[test]
    fn non_ascii_sign_name_is_hashed_as_raw_utf8() {
        let body = r#"{"PhoneNumberSet":["+8613711112222"],"SmsSdkAppId":"1400006666","SignName":"腾讯云","TemplateId":"1002","TemplateParamSet":["123456"]}"#;
        let authorization = sms_authorization(
            "secret",
            1_700_000_000,
            body.as_bytes(),
            &DEFAULT_SIGNED_HEADERS,
        );
        assert!(authorization
            .ends_with("b14ae18bbf6365bcae15ce48eadcb92bda0b90cdbcc4d96f21ff114c247a9833"));
        let with_action = sms_authorization(
            "secret",
            1_700_000_000,
            body.as_bytes(),
            &["content-type", "host", "x-tc-action"],
        );
        assert!(with_action.contains("SignedHeaders=content-type;host;x-tc-action, "));
        assert!(with_action
            .ends_with("13239b9161ca4aafab3440e0e9f3085373efce54eba79feabce3e33a082229b5"));
    }
}
