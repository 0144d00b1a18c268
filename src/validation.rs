//! A validation report: where each problem is and what to do about it. Shared by the config
//! validator, which fills it, and errors, which carry its issues to Logto.

#[allow(unused_imports)]
use crate::prelude::*;

use serde::{Serialize, Serializer};

use crate::json::{serialize_written, Object, WriteJson};

/// Bounds the report for hostile input (a million bad templates still yields a readable answer).
pub const MAX_ISSUES: usize = 100;

/// Declares [`IssueCode`] from one list of errors and one of warnings: variant and wire name.
macro_rules! issue_codes {
    (
        errors { $($error:ident => $error_name:literal,)* }
        warnings { $($warning:ident => $warning_name:literal,)* }
    ) => {
        /// Every code an issue can carry. `index.d.ts` and the README list them again;
        /// `tests/one_source.rs` fails when they drift from this list.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum IssueCode {
            $($error,)*
            $($warning,)*
        }

        impl IssueCode {
            pub const ALL: &'static [IssueCode] =
                &[$(IssueCode::$error,)* $(IssueCode::$warning,)*];
            const ERRORS: usize = [$(IssueCode::$error,)*].len();

            /// The name it is serialised by, stable for JS callers.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(IssueCode::$error => $error_name,)*
                    $(IssueCode::$warning => $warning_name,)*
                }
            }

            /// Errors block saving; warnings never do.
            pub fn is_error(self) -> bool {
                // Errors are declared first.
                (self as usize) < Self::ERRORS
            }
        }
    };
}

issue_codes! {
    // The config cannot be saved.
    errors {
        NotJson => "not_json",
        TooLarge => "too_large",
        InvalidType => "invalid_type",
        Required => "required",
        MissingTemplates => "missing_templates",
        MissingCodePlaceholder => "missing_code_placeholder",
        InvalidEndpoint => "invalid_endpoint",
        InsecureEndpoint => "insecure_endpoint",
        BlockedPort => "blocked_port",
        InvalidTimeout => "invalid_timeout",
        InvalidLanguage => "invalid_language",
        InvalidLocale => "invalid_locale",
        DuplicateLocale => "duplicate_locale",
        InvalidCountryPolicy => "invalid_country_policy",
        UnknownCountry => "unknown_country",
        InvalidPrefix => "invalid_prefix",
        InvalidCountryEntry => "invalid_country_entry",
        InvalidSendLimit => "invalid_send_limit",
        InvalidTrustedIp => "invalid_trusted_ip",
        InvalidFallback => "invalid_fallback",
        InvalidCooldown => "invalid_cooldown",
        InvalidSendLog => "invalid_send_log",
        InvalidTestNumber => "invalid_test_number",
        DuplicateTestNumber => "duplicate_test_number",
    }
    // Saved, but Tencent would likely refuse a send.
    warnings {
        Empty => "empty",
        Whitespace => "whitespace",
        SecretIdShape => "secret_id_shape",
        SecretKeyLength => "secret_key_length",
        SecretLooksLikeId => "secret_looks_like_id",
        NotDigits => "not_digits",
        NotTemplateId => "not_template_id",
        UnknownRegion => "unknown_region",
        SignNameLength => "sign_name_length",
        SignNameBrackets => "sign_name_brackets",
        SignNameCharacters => "sign_name_characters",
        SignNameDigits => "sign_name_digits",
        UnknownUsageType => "unknown_usage_type",
        DuplicateUsageType => "duplicate_usage_type",
        TemplateParamFormat => "template_param_format",
        TemplateParamLink => "template_param_link",
        UnusedCountryEntry => "unused_country_entry",
        MainlandBlocked => "mainland_blocked",
        UnknownKey => "unknown_key",
        LocaleWithoutGeneric => "locale_without_generic",
        LocaleWithoutInternational => "locale_without_international",
        GenericWithoutDefault => "generic_without_default",
        IpLimitNeedsProxyHeader => "ip_limit_needs_proxy_header",
        UnusedSendLimit => "unused_send_limit",
        LongLimitWindow => "long_limit_window",
        UnusedTrustedIps => "unused_trusted_ips",
        FallbackSameAccount => "fallback_same_account",
        DryRunOn => "dry_run_on",
    }
}

impl IssueCode {
    /// Whether an error also stops a send. The required usage types are a rule for saving: a
    /// send needs only its own template (or Generic), and reports `template_not_found` without.
    pub fn blocks_sending(self) -> bool {
        self.is_error() && self != IssueCode::MissingTemplates
    }
}

/// By name: one `match` serves both this and [`IssueCode::as_str`].
impl Serialize for IssueCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl WriteJson for IssueCode {
    fn write_json(&self, out: &mut String) {
        self.as_str().write_json(out);
    }
}

/// Lets tests and callers compare with the wire name.
impl PartialEq<&str> for IssueCode {
    fn eq(&self, name: &&str) -> bool {
        self.as_str() == *name
    }
}

/// Written as a string or a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    Key(String),
    Index(usize),
}

impl WriteJson for PathSegment {
    fn write_json(&self, out: &mut String) {
        match self {
            PathSegment::Key(key) => key.write_json(out),
            PathSegment::Index(index) => (*index as u64).write_json(out),
        }
    }
}

impl From<&str> for PathSegment {
    fn from(key: &str) -> Self {
        PathSegment::Key(key.to_owned())
    }
}

impl From<usize> for PathSegment {
    fn from(index: usize) -> Self {
        PathSegment::Index(index)
    }
}

// Every issue becomes a zod issue with code `custom` in the JS layer: Logto's API replaces the
// message of an `invalid_type` issue with its own "Expected string but received number", so
// `custom` is what keeps this advice visible. Our `code` travels in the issue's params.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub path: Vec<PathSegment>,
    pub code: IssueCode,
    pub message: String,
}

impl WriteJson for Issue {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("path", &self.path)
            .field("code", &self.code)
            .field("message", &self.message)
            .end();
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Validation {
    pub valid: bool,
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
}

impl WriteJson for Validation {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("valid", &self.valid)
            .field("errors", &self.errors)
            .field("warnings", &self.warnings)
            .end();
    }
}

serialize_written!(PathSegment, Issue, Validation);

impl Validation {
    /// Records an error, up to [`MAX_ISSUES`]; `valid` is the caller's to set once all are in.
    pub fn error(&mut self, path: Vec<PathSegment>, code: IssueCode, message: String) {
        push_bounded(&mut self.errors, path, code, message);
    }

    /// Records a warning, up to [`MAX_ISSUES`].
    pub fn warn(&mut self, path: Vec<PathSegment>, code: IssueCode, message: String) {
        push_bounded(&mut self.warnings, path, code, message);
    }
}

impl Validation {
    /// The issues of a nested value's check, at `key.…` and with `prefix` before each message.
    pub fn nest(&mut self, key: &str, inner: Validation, prefix: &str) {
        for (issues, into) in [
            (inner.errors, &mut self.errors),
            (inner.warnings, &mut self.warnings),
        ] {
            for mut issue in issues {
                issue.path.insert(0, key.into());
                issue.message.insert_str(0, prefix);
                push_bounded(into, issue.path, issue.code, issue.message);
            }
        }
    }
}

/// The path of a top-level field, `[key]`. One copy, not one `vec!` per issue site.
#[inline(never)]
pub fn at(key: &str) -> Vec<PathSegment> {
    vec![PathSegment::Key(key.to_owned())]
}

fn push_bounded(issues: &mut Vec<Issue>, path: Vec<PathSegment>, code: IssueCode, message: String) {
    if issues.len() < MAX_ISSUES {
        issues.push(Issue {
            path,
            code,
            message,
        });
    }
}
