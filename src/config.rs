//! Connector config: the one validator behind Logto's `configGuard`, the admin page and `sendMessage`.
//!
//! Errors reject exactly what the official connector's zod guard rejects (same paths), plus bad
//! values of this connector's own optional fields. Warnings flag what Tencent would refuse later.
//!
//! `model` is what a valid config is; `check` (with `templates` and `warnings`) turns JSON into
//! one, reporting every problem. Children import each other, never this module.

#[allow(unused_imports)]
use crate::prelude::*;

mod check;
mod model;
mod templates;
mod value;
mod warnings;

pub use crate::endpoint::parse_endpoint;
pub(crate) use check::check_account;
pub use check::{parse, validate};
pub use model::{
    fill_code, is_template_id, Config, Language, Template, CODE_PLACEHOLDER, DEFAULT_TIMEOUT_MS,
    KNOWN_USAGE_TYPES, MAX_TIMEOUT_MS, MIN_TIMEOUT_MS, REQUIRED_USAGE_TYPES, ROOT_KEYS,
    SMS_REGIONS, TEMPLATE_KEYS,
};
pub(crate) use warnings::{warn_unknown_keys, warn_whitespace};

#[cfg(test)]
pub(crate) use check::tests;
