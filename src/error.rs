//! Errors as values, shaped for Logto's `ConnectorError(code, data)`.

use serde::Serialize;

use crate::config::Issue;

/// The subset of connector-kit's `ConnectorErrorCodes` this connector raises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    General,
    InvalidConfig,
    InvalidRequestParameters,
    InvalidResponse,
    TemplateNotFound,
    RateLimitExceeded,
    UsageLimitExceeded,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::General => "general",
            ErrorCode::InvalidConfig => "invalid_config",
            ErrorCode::InvalidRequestParameters => "invalid_request_parameters",
            ErrorCode::InvalidResponse => "invalid_response",
            ErrorCode::TemplateNotFound => "template_not_found",
            ErrorCode::RateLimitExceeded => "rate_limit_exceeded",
            ErrorCode::UsageLimitExceeded => "usage_limit_exceeded",
        }
    }
}

/// Whether an SMS may have gone out when a call failed without a Tencent answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// The request never reached Tencent: safe to try again.
    NotSent,
    /// The request may have been processed: check delivery records before sending again.
    Unknown,
}

/// Plain, JSON-serialisable error details (Logto stringifies `data`).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorData {
    /// Shown to the user by Logto for `general` errors.
    pub error_description: String,
    /// What went wrong and what to do about it.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tencent_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_excerpt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Delivery>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<Issue>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConnectorError {
    pub code: ErrorCode,
    /// Boxed: errors travel through every `Result` here and should stay small.
    pub data: Box<ErrorData>,
}

impl ConnectorError {
    /// An error whose description and message are the same sentence.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        let message = message.into();
        ConnectorError {
            code,
            data: Box::new(ErrorData {
                error_description: message.clone(),
                message,
                ..ErrorData::default()
            }),
        }
    }

    pub fn message(&self) -> &str {
        &self.data.message
    }

    /// Replaces every occurrence of `secret` in the strings this error carries. Defence in depth:
    /// nothing here formats the secret, but a misbehaving server could echo it into a body excerpt.
    pub fn redact(mut self, secret: &str) -> Self {
        let data = &mut self.data;
        for text in [&mut data.error_description, &mut data.message] {
            redact_in(text, secret);
        }
        for text in [
            &mut data.body_excerpt,
            &mut data.tencent_code,
            &mut data.request_id,
            &mut data.phone_number,
        ]
        .into_iter()
        .flatten()
        {
            redact_in(text, secret);
        }
        self
    }
}

/// A very short secret would match ordinary text; such a key is rejected by Tencent anyway.
const MIN_REDACTED_LEN: usize = 8;

fn redact_in(text: &mut String, secret: &str) {
    let mut bytes = std::mem::take(text).into_bytes();
    redact_bytes(&mut bytes, secret);
    // Replacing whole UTF-8 sequences with ASCII keeps the text valid UTF-8.
    *text = String::from_utf8(bytes).unwrap_or_default();
}

/// Replaces every occurrence of `secret` with `[redacted]`; used on a raw answer before it is
/// excerpted, so not even part of an echoed secret can reach an error. Secrets under 8 bytes
/// are left alone (see [`ConnectorError::redact`]).
pub fn redact_bytes(bytes: &mut Vec<u8>, secret: &str) {
    // A byte-window scan rather than str::replace: the substring searcher is large in wasm.
    let needle = secret.as_bytes();
    if needle.len() < MIN_REDACTED_LEN {
        return;
    }
    let mut redacted = Vec::new();
    let mut rest: &[u8] = bytes;
    while let Some(at) = rest
        .windows(needle.len())
        .position(|window| window == needle)
    {
        redacted.extend_from_slice(rest.get(..at).unwrap_or_default());
        redacted.extend_from_slice(b"[redacted]");
        rest = rest.get(at + needle.len()..).unwrap_or_default();
    }
    if redacted.is_empty() {
        return;
    }
    redacted.extend_from_slice(rest);
    *bytes = redacted;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_serialises_to_plain_camel_case_json_without_empty_fields() {
        let error = ConnectorError::new(ErrorCode::TemplateNotFound, "no template");
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "code": "template_not_found",
                "data": { "errorDescription": "no template", "message": "no template" }
            })
        );
    }

    #[test]
    fn raw_bytes_are_redacted_even_when_not_utf8() {
        let mut body = b"\xff s3cr3t-key-value, s3cr3t-key-value".to_vec();
        redact_bytes(&mut body, "s3cr3t-key-value");
        assert_eq!(body, b"\xff [redacted], [redacted]");
        let mut short = b"abc".to_vec();
        redact_bytes(&mut short, "abc");
        assert_eq!(short, b"abc");
    }

    #[test]
    fn redact_removes_the_secret_from_every_text_field() {
        let mut error = ConnectorError::new(ErrorCode::InvalidResponse, "got s3cr3t-key-value");
        error.data.body_excerpt = Some("echo s3cr3t-key-value".into());
        let error = error.redact("s3cr3t-key-value");
        let text = serde_json::to_string(&error).unwrap();
        assert!(!text.contains("s3cr3t-key-value"), "{text}");
        assert!(text.contains("[redacted]"));
    }
}
