//! The `templates` list: each entry's fields, its `templateParams`, and the usage types the
//! official guard requires once every entry is well formed.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::json::{Map, Value};

use super::model::{
    is_template_id, Template, CODE_PLACEHOLDER, REQUIRED_USAGE_TYPES, TEMPLATE_KEYS,
};
use super::value::type_name;
use super::warnings::{
    warn_template_codes, warn_template_param, warn_unknown_keys, warn_usage_type,
};
use crate::locale::{self, GENERIC};
use crate::text::{concat, decimal, find_text, join};
use crate::validation::{IssueCode, PathSegment, Validation};

pub(super) fn check_templates(
    value: Option<&Value>,
    report: &mut Validation,
) -> Option<Vec<Template>> {
    let items = template_items(value, report)?;
    let mut templates = Vec::with_capacity(items.len().min(64));
    // Where each parsed template is in the list, for the checks across entries.
    let mut indices = Vec::with_capacity(items.len().min(64));
    let mut all_well_formed = true;
    // A JSON map as the set: the module already carries its code.
    let mut seen_usage_types = Map::new();
    for (index, item) in items.iter().enumerate() {
        match check_template(index, item, &mut seen_usage_types, report) {
            Some(template) => {
                templates.push(template);
                indices.push(index);
            }
            None => all_well_formed = false,
        }
    }
    check_locales(&templates, &indices, report);
    // Like the official guard, the required-types rule is checked once every item is well formed.
    if !all_well_formed {
        return None;
    }
    require_usage_types(&templates, report);
    Some(templates)
}

// Their paths name the entry: static text keeps the wasm small.
const BAD_LOCALE: &str = "locale must be a BCP 47 language tag such as \"en\", \"zh-CN\" or \"fr-CA\" (letters and digits in parts of up to 8, joined by \"-\"; not \"zh_CN\"). Leave it out for the default template.";
const DUPLICATE_LOCALE: &str = "An earlier entry has the same usageType and locale: keep one entry per usage type and language.";
const NO_GENERIC: &str = "No Generic entry serves this locale: its users get other message types (MfaVerification, BindMfa, …) in the default language. Add a Generic entry with this locale.";
const NO_INTERNATIONAL: &str = "This entry has no internationalTemplateCode but its default has one: numbers outside mainland China in this language get its mainland template, which Tencent refuses. Add the approved international template ID.";

/// Across entries with a `locale`: one entry per (usageType, locale), and warnings where a
/// language would get less than the default does. JSON maps as sets keep it O(n log n).
fn check_locales(templates: &[Template], indices: &[usize], report: &mut Validation) {
    let international = |entry: &Template| {
        entry
            .international_template_code
            .as_deref()
            .is_some_and(is_template_id)
    };
    // Per usage type, whether its default entry (the first sendable one) has an international ID.
    let mut defaults = Map::new();
    let mut generic_tags = Map::new();
    for template in templates {
        match template.locale.as_deref() {
            None if is_template_id(&template.template_code)
                && !defaults.contains_key(&template.usage_type) =>
            {
                defaults.insert(template.usage_type.clone(), international(template).into());
            }
            Some(tag) if template.usage_type == GENERIC => {
                generic_tags.insert(tag.to_ascii_lowercase(), Value::Null);
            }
            _ => {}
        }
    }
    let has_default_generic = templates
        .iter()
        .any(|template| template.usage_type == GENERIC && template.locale.is_none());
    if !generic_tags.is_empty() && !has_default_generic {
        report.warn(
            vec![PathSegment::from("templates")],
            IssueCode::GenericWithoutDefault,
            "Every Generic entry has a locale: codes for other languages or without one (Management API, the console's Test) fail with template_not_found unless their type has a default. Add a Generic entry without locale.".into(),
        );
    }
    let mut seen = Map::new();
    for (position, template) in templates.iter().enumerate() {
        let Some(tag) = template.locale.as_deref() else {
            continue;
        };
        let index = indices.get(position).copied().unwrap_or_default();
        let path = |key: &str| vec![PathSegment::from("templates"), index.into(), key.into()];
        let lower = tag.to_ascii_lowercase();
        let mut key = lower.clone();
        key.push(' ');
        key.push_str(&template.usage_type);
        if seen.insert(key, Value::Null).is_some() {
            report.error(
                path("locale"),
                IssueCode::DuplicateLocale,
                DUPLICATE_LOCALE.into(),
            );
            continue;
        }
        // Once per tag, at its first entry (the key without a usage type is never a full key).
        let served =
            generic_tags.contains_key(&lower) || generic_tags.contains_key(locale::primary(&lower));
        if !served && seen.insert(lower, Value::Null).is_none() {
            report.warn(
                path("locale"),
                IssueCode::LocaleWithoutGeneric,
                NO_GENERIC.into(),
            );
        }
        let default_has_international = defaults
            .get(&template.usage_type)
            .or_else(|| defaults.get(GENERIC))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if default_has_international && !international(template) {
            report.warn(
                path("internationalTemplateCode"),
                IssueCode::LocaleWithoutInternational,
                NO_INTERNATIONAL.into(),
            );
        }
    }
}

/// The `templates` list, or `None` (with an error) when it is absent or not a list.
fn template_items<'a>(value: Option<&'a Value>, report: &mut Validation) -> Option<&'a [Value]> {
    let path = || vec![PathSegment::from("templates")];
    match value {
        None => {
            report.error(
                path(),
                IssueCode::Required,
                "templates is required: a list of { \"usageType\": \"SignIn\", \"templateCode\": \"<approved template ID>\" }, including Register, SignIn, ForgotPassword and Generic.".into(),
            );
            None
        }
        Some(Value::Array(items)) => Some(items),
        Some(other) => {
            report.error(
                path(),
                IssueCode::InvalidType,
                concat(&[
                    "templates must be a list of { usageType, templateCode } objects, not ",
                    type_name(other),
                    ".",
                ]),
            );
            None
        }
    }
}

/// One entry, or `None` when the official guard would call it malformed (errors reported).
fn check_template(
    index: usize,
    item: &Value,
    seen_usage_types: &mut Map<String, Value>,
    report: &mut Validation,
) -> Option<Template> {
    let Value::Object(fields) = item else {
        report.error(
            vec![PathSegment::from("templates"), index.into()],
            IssueCode::InvalidType,
            concat(&["templates[", &decimal(index as u64), "] must be an object like { \"usageType\": \"SignIn\", \"templateCode\": \"1234567\" }, not ", type_name(item), "."]),
        );
        return None;
    };
    let usage_type = template_string(fields, index, "usageType", report);
    let template_code = template_string(fields, index, "templateCode", report);
    let international = template_optional_string(fields, index, report);
    let locale = template_locale(fields, index, report);
    let params = check_template_params(fields, index, "templateParams", report);
    let international_params =
        check_template_params(fields, index, "internationalTemplateParams", report);
    if let Some(usage_type) = usage_type {
        // Entries with a locale are checked across the list, in `check_locales`.
        let localised = !matches!(locale, Some(None));
        warn_usage_type(usage_type, index, localised, seen_usage_types, report);
    }
    warn_template_codes(
        usage_type,
        template_code,
        international.flatten(),
        index,
        report,
    );
    warn_unknown_keys(
        fields,
        &TEMPLATE_KEYS,
        &[PathSegment::from("templates"), index.into()],
        report,
    );
    // Only the official guard's own fields make an item malformed for its refinement; a bad
    // internationalTemplateCode is reported above and still counts for the required types.
    let (Some(usage_type), Some(template_code)) = (usage_type, template_code) else {
        return None;
    };
    let template_params = params
        .flatten()
        .unwrap_or_else(|| vec![CODE_PLACEHOLDER.to_owned()]);
    Some(Template {
        usage_type: usage_type.to_owned(),
        locale: locale.flatten().map(str::to_owned),
        template_code: template_code.to_owned(),
        international_template_code: international.flatten().map(str::to_owned),
        international_template_params: international_params
            .flatten()
            .unwrap_or_else(|| template_params.clone()),
        template_params,
    })
}

/// Reports the usage types the official guard requires that no entry has.
fn require_usage_types(templates: &[Template], report: &mut Validation) {
    // A loop, not filter/collect: their adapters are generic bodies of their own in the wasm.
    let mut missing: Vec<&str> = Vec::new();
    for required in REQUIRED_USAGE_TYPES {
        if !templates
            .iter()
            .any(|template| template.usage_type == required)
        {
            missing.push(required);
        }
    }
    if !missing.is_empty() {
        report.error(
            vec![PathSegment::from("templates")],
            IssueCode::MissingTemplates,
            concat(&["templates has no entry for usageType ", &join(&missing, ", "), ": add one { \"usageType\": \"<type>\", \"templateCode\": \"<approved template ID>\" } per missing type."]),
        );
    }
}

fn template_string<'a>(
    fields: &'a Map<String, Value>,
    index: usize,
    key: &'static str,
    report: &mut Validation,
) -> Option<&'a str> {
    let path = vec![PathSegment::from("templates"), index.into(), key.into()];
    let help = if key == "usageType" {
        "a Logto message type such as \"SignIn\""
    } else {
        "the approved template ID as a string, e.g. \"1234567\""
    };
    match fields.get(key) {
        Some(Value::String(text)) => {
            // An empty templateCode gets the not_template_id warning instead.
            if text.is_empty() && key == "usageType" {
                report.warn(
                    path,
                    IssueCode::Empty,
                    concat(&[
                        "templates[",
                        &decimal(index as u64),
                        "].",
                        key,
                        " is empty: set it to ",
                        help,
                        ".",
                    ]),
                );
            }
            Some(text)
        }
        None => {
            report.error(
                path,
                IssueCode::Required,
                concat(&[
                    "templates[",
                    &decimal(index as u64),
                    "].",
                    key,
                    " is required: ",
                    help,
                    ".",
                ]),
            );
            None
        }
        Some(other) => {
            report.error(
                path,
                IssueCode::InvalidType,
                concat(&[
                    "templates[",
                    &decimal(index as u64),
                    "].",
                    key,
                    " must be a string, not ",
                    type_name(other),
                    ": use ",
                    help,
                    ".",
                ]),
            );
            None
        }
    }
}

/// `templateParams`/`internationalTemplateParams`: `Some(None)` when absent or null, `None` when
/// present but invalid (an error is reported). Values get warnings where they break the limits
/// Tencent documents for template variables: a verification-code template takes only 0-6 digits
/// per variable (Tencent answers InvalidParameterValue.TemplateParameterFormatError), any template
/// at most 6 characters per variable for accounts opened after 2024-01-25 (12 before), and no
/// variable may be a link.
/// Sources: cloud.tencent.com/document/product/382/39023 (正文模板审核标准, 变量规范) and
/// tencentcloud.com/document/product/382/40659 (Body Template Review Standards).
fn check_template_params(
    fields: &Map<String, Value>,
    index: usize,
    key: &'static str,
    report: &mut Validation,
) -> Option<Option<Vec<String>>> {
    let path = || vec![PathSegment::from("templates"), index.into(), key.into()];
    let items = match fields.get(key) {
        None | Some(Value::Null) => return Some(None),
        Some(Value::Array(items)) => items,
        Some(other) => {
            report.error(
                path(),
                IssueCode::InvalidType,
                concat(&["templates[", &decimal(index as u64), "].", key, " must be a list of strings, one per template placeholder ({1}, {2}, …), with \"{code}\" where the code goes, e.g. [\"{code}\", \"10\"]; not ", type_name(other), "."]),
            );
            return None;
        }
    };
    let mut params = Vec::with_capacity(items.len().min(64));
    let mut well_formed = true;
    for (position, item) in items.iter().enumerate() {
        let item_path = || {
            let mut item_path = path();
            item_path.push(position.into());
            item_path
        };
        let Value::String(text) = item else {
            report.error(
                item_path(),
                IssueCode::InvalidType,
                concat(&[
                    "templates[",
                    &decimal(index as u64),
                    "].",
                    key,
                    "[",
                    &decimal(position as u64),
                    "] must be a string, not ",
                    type_name(item),
                    ": write numbers in quotes, e.g. \"10\".",
                ]),
            );
            well_formed = false;
            continue;
        };
        warn_template_param(text, item_path, report);
        params.push(text.clone());
    }
    if !well_formed {
        return None;
    }
    if !params
        .iter()
        .any(|param| find_text(param, CODE_PLACEHOLDER).is_some())
    {
        report.error(
            path(),
            IssueCode::MissingCodePlaceholder,
            concat(&["templates[", &decimal(index as u64), "].", key, " has no \"{code}\", so the verification code would never be sent: write \"{code}\" where the template's code placeholder is, e.g. [\"{code}\", \"10\"] for \"Your code is {1}. It expires in {2} minutes.\""]),
        );
        return None;
    }
    Some(Some(params))
}

/// `Some(None)` when absent or null, `None` when present with the wrong type.
fn template_optional_string<'a>(
    fields: &'a Map<String, Value>,
    index: usize,
    report: &mut Validation,
) -> Option<Option<&'a str>> {
    match fields.get("internationalTemplateCode") {
        None | Some(Value::Null) => Some(None),
        Some(Value::String(text)) => Some(Some(text)),
        Some(other) => {
            report.error(
                vec![PathSegment::from("templates"), index.into(), "internationalTemplateCode".into()],
                IssueCode::InvalidType,
                concat(&["templates[", &decimal(index as u64), "].internationalTemplateCode must be a string (an approved international template ID), not ", type_name(other), "."]),
            );
            None
        }
    }
}

/// `locale`: `Some(None)` when absent, null or empty (the default entry), `None` when present but
/// not a well-formed BCP 47 tag (an error is reported).
fn template_locale<'a>(
    fields: &'a Map<String, Value>,
    index: usize,
    report: &mut Validation,
) -> Option<Option<&'a str>> {
    let path = || {
        vec![
            PathSegment::from("templates"),
            index.into(),
            "locale".into(),
        ]
    };
    match fields.get("locale") {
        None | Some(Value::Null) => Some(None),
        Some(Value::String(tag)) if tag.is_empty() => Some(None),
        Some(Value::String(tag)) if locale::is_well_formed(tag) => Some(Some(tag)),
        Some(Value::String(_)) => {
            report.error(path(), IssueCode::InvalidLocale, BAD_LOCALE.into());
            None
        }
        Some(_) => {
            report.error(path(), IssueCode::InvalidType, BAD_LOCALE.into());
            None
        }
    }
}
