//! Errors as values, shaped for Logto's `ConnectorError(code, data)`.

#[allow(unused_imports)]
use crate::prelude::*;

use serde::{Serialize, Serializer};

use crate::fallback::Route;
use crate::json::{serialize_written, Object, WriteJson};
use crate::redact::{redact, unquote_secrets};
use crate::validation::Issue;

/// The subset of connector-kit's `ConnectorErrorCodes` this connector raises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    General,
    InvalidConfig,
    InvalidRequestParameters,
    InvalidResponse,
    TemplateNotFound,
    RateLimitExceeded,
    /// The account's quota or balance is used up. Logto's sign-in page answers it with a "could
    /// not send the code" toast, or the password page; hosts whose kit lacks it get
    /// `rate_limit_exceeded` (pkg-template/lib/index.js).
    UsageLimitExceeded,
}

impl ErrorCode {
    /// Its name in connector-kit (snake case).
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// The request never reached Tencent: safe to try again.
    NotSent,
    /// The request may have been processed: check delivery records before sending again.
    Unknown,
}

impl Delivery {
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::NotSent => "not_sent",
            Delivery::Unknown => "unknown",
        }
    }
}

// Both by name, for JSON written by hand and by serde.
macro_rules! named {
    ($($type:ty),*) => {$(
        impl WriteJson for $type {
            fn write_json(&self, out: &mut String) {
                self.as_str().write_json(out);
            }
        }

        impl Serialize for $type {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    )*};
}
named!(ErrorCode, Delivery, Route);

/// Plain, JSON-serialisable error details (Logto stringifies `data`), written in camel case
/// without the fields that are `None` or empty.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ErrorData {
    /// Shown to the user by Logto for `general` errors.
    pub error_description: String,
    /// What went wrong and what to do about it.
    pub message: String,
    pub tencent_code: Option<String>,
    pub request_id: Option<String>,
    pub phone_number: Option<String>,
    pub status: Option<u16>,
    pub body_excerpt: Option<String>,
    pub delivery: Option<Delivery>,
    pub issues: Vec<Issue>,
    /// Which route the fields above are about, once a send has begun.
    pub route: Option<Route>,
    /// Why the primary did not send, when the fallback was tried and failed too.
    pub primary_error: Option<Box<ConnectorError>>,
}

impl WriteJson for ErrorData {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("errorDescription", &self.error_description)
            .field("message", &self.message)
            .optional("tencentCode", self.tencent_code.as_ref())
            .optional("requestId", self.request_id.as_ref())
            .optional("phoneNumber", self.phone_number.as_ref())
            .optional("status", self.status.map(u64::from).as_ref())
            .optional("bodyExcerpt", self.body_excerpt.as_ref())
            .optional("delivery", self.delivery.as_ref())
            .optional(
                "issues",
                Some(&self.issues).filter(|issues| !issues.is_empty()),
            )
            .optional("route", self.route.as_ref())
            .optional("primaryError", self.primary_error.as_deref())
            .end();
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConnectorError {
    pub code: ErrorCode,
    /// Boxed: errors travel through every `Result` here and should stay small.
    pub data: Box<ErrorData>,
}

impl WriteJson for ConnectorError {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("code", &self.code)
            .field("data", &*self.data)
            .end();
    }
}

serialize_written!(ErrorData, ConnectorError);

impl ConnectorError {
    /// An error whose description and message are the same sentence.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::with_message(code, message.into())
    }

    // Not generic: one copy in the wasm, not one per message type.
    fn with_message(code: ErrorCode, message: String) -> Self {
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

    /// Masks the secret in the input its sentences quote (see [`quote`](crate::redact::quote))
    /// and in the texts taken from an answer, never in the connector's own words. Answers are
    /// redacted field by field already; this is defence in depth for them.
    pub fn redact(self, secret: &str) -> Self {
        self.redact_all(&[secret])
    }

    /// [`ConnectorError::redact`] for several secrets (both routes' when there is a fallback).
    pub fn redact_all(mut self, secrets: &[&str]) -> Self {
        let data = &mut self.data;
        for text in [&mut data.error_description, &mut data.message] {
            unquote_secrets(text, secrets);
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
            for secret in secrets {
                redact(text, secret);
            }
        }
        self
    }
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
    fn redact_removes_the_secret_from_every_text_field() {
        let quoted = crate::redact::quote("s3cr3t-key-value", 40);
        let mut error = ConnectorError::new(ErrorCode::InvalidResponse, format!("got {quoted}"));
        error.data.body_excerpt = Some("echo s3cr3t-key-value".into());
        let error = error.redact("s3cr3t-key-value");
        let text = serde_json::to_string(&error).unwrap();
        assert!(!text.contains("s3cr3t-key-value"), "{text}");
        assert!(text.contains("[redacted]"));
    }
}
