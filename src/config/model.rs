//! What a valid config is: its fields, the lists the checks use, and template choice.

#[allow(unused_imports)]
use crate::prelude::*;

use alloc::rc::Rc;
use core::fmt;

use crate::country_policy::CountryPolicy;
use crate::dry_run::DryRun;
use crate::endpoint::Endpoint;
use crate::fallback::Fallback;
use crate::locale;
use crate::redact::MASK;
use crate::send_limits::SendLimits;
use crate::text::find_text;

pub const DEFAULT_TIMEOUT_MS: u32 = 10_000;
pub const MIN_TIMEOUT_MS: u64 = 100;
pub const MAX_TIMEOUT_MS: u64 = 60_000;

/// The usage types the official guard insists on.
pub const REQUIRED_USAGE_TYPES: [&str; 4] = ["Register", "SignIn", "ForgotPassword", "Generic"];
/// connector-kit's `TemplateType` values.
pub const KNOWN_USAGE_TYPES: [&str; 9] = [
    "SignIn",
    "Register",
    "ForgotPassword",
    "OrganizationInvitation",
    "Generic",
    "UserPermissionValidation",
    "BindNewIdentifier",
    "MfaVerification",
    "BindMfa",
];
pub const SMS_REGIONS: [&str; 4] = ["ap-beijing", "ap-guangzhou", "ap-nanjing", "ap-singapore"];

/// Every key the root may have; others get an `unknown_key` warning.
pub const ROOT_KEYS: [&str; 20] = [
    "accessKeyId",
    "accessKeySecret",
    "signName",
    "sdkAppId",
    "region",
    "templates",
    "endpoint",
    "timeoutMs",
    "language",
    "internationalSignName",
    "senderId",
    "countryPolicy",
    "sendLimits",
    "trustedIps",
    "fallback",
    "fallbackCooldownSeconds",
    "sendLog",
    "testNumbers",
    "dryRun",
    "signId",
];
/// Every key a template may have.
pub const TEMPLATE_KEYS: [&str; 6] = [
    "usageType",
    "locale",
    "templateCode",
    "internationalTemplateCode",
    "templateParams",
    "internationalTemplateParams",
];
/// Replaced by the verification code in `templateParams`.
pub const CODE_PLACEHOLDER: &str = "{code}";
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub usage_type: String,
    /// A well-formed BCP 47 tag as written; `None` for the usage type's default.
    pub locale: Option<String>,
    pub template_code: String,
    pub international_template_code: Option<String>,
    /// `TemplateParamSet` in order, `{code}` still in place; default `["{code}"]`.
    pub template_params: Vec<String>,
    /// For `international_template_code`; defaults to `template_params`.
    pub international_template_params: Vec<String>,
}

/// `param` with every `{code}` replaced by `code`.
pub fn fill_code(param: &str, code: &str) -> String {
    let mut out = String::with_capacity(param.len() + code.len());
    let mut rest = param;
    while let Some((before, after)) =
        find_text(rest, CODE_PLACEHOLDER).and_then(|at| rest.split_at_checked(at))
    {
        out.push_str(before);
        out.push_str(code);
        rest = after.get(CODE_PLACEHOLDER.len()..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// Whether `code` can be a Tencent template ID (digits only). Anything else, e.g. the form's
/// `<template-code>` placeholder, is never sent: the entry counts as absent.
pub fn is_template_id(code: &str) -> bool {
    !code.is_empty() && crate::text::is_digits(code)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    ZhCn,
    EnUs,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::EnUs => "en-US",
        }
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct Config {
    pub access_key_id: String,
    pub access_key_secret: String,
    pub sign_name: String,
    pub sdk_app_id: String,
    pub region: String,
    pub templates: Vec<Template>,
    pub endpoint: Endpoint,
    pub timeout_ms: u32,
    pub language: Option<Language>,
    pub international_sign_name: Option<String>,
    /// `SenderId`, sent only to numbers outside mainland China.
    pub sender_id: Option<String>,
    /// Which numbers may be sent to; checked before any request.
    pub country_policy: Option<CountryPolicy>,
    /// Send limits (`sendLimits` with `trustedIps`); `None` without rules.
    pub send_limits: Option<SendLimits>,
    /// A second route for sends the primary certainly did not deliver.
    pub fallback: Option<Rc<Fallback>>,
    /// How long the primary is skipped after an account-level refusal.
    pub fallback_cooldown_seconds: u32,
    /// `sendLog`: one event per send (see [`crate::send_event`]).
    pub send_log: bool,
    /// `testNumbers` and `dryRun`: sends that never reach Tencent.
    pub dry_run: DryRun,
    /// `signId`: lets the console Test check `signName` with Tencent.
    pub sign_id: Option<String>,
}

/// Every field but the secret key, which is never formatted.
impl fmt::Debug for Config {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Config")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &MASK)
            .field("sign_name", &self.sign_name)
            .field("sdk_app_id", &self.sdk_app_id)
            .field("region", &self.region)
            .field("templates", &self.templates)
            .field("endpoint", &self.endpoint)
            .field("timeout_ms", &self.timeout_ms)
            .field("language", &self.language)
            .field("international_sign_name", &self.international_sign_name)
            .field("sender_id", &self.sender_id)
            .field("country_policy", &self.country_policy)
            .field("send_limits", &self.send_limits)
            .field("fallback", &self.fallback)
            .field("fallback_cooldown_seconds", &self.fallback_cooldown_seconds)
            .field("send_log", &self.send_log)
            .field("dry_run", &self.dry_run)
            .field("sign_id", &self.sign_id)
            .finish()
    }
}

impl Config {
    /// The template for a Logto message type when the user's language is unknown: the type's
    /// default entry, else Generic's.
    pub fn template_for(&self, usage_type: &str) -> Option<&Template> {
        self.template_for_languages::<&str>(usage_type, &[])
    }

    /// The template for a message type and the user's languages (see [`locale::resolve`]); an
    /// entry whose code is not a template ID counts as absent.
    pub fn template_for_languages<L: AsRef<str>>(
        &self,
        usage_type: &str,
        languages: &[L],
    ) -> Option<&Template> {
        locale::resolve(&self.templates, usage_type, languages, |template| {
            is_template_id(&template.template_code)
                .then_some((template.usage_type.as_str(), template.locale.as_deref()))
        })
    }
}
