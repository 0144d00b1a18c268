//! Warnings: what the validator accepts but Tencent would refuse later (or what looks like a
//! slip). They never block saving or sending; each says what Tencent would answer and the fix.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::json::{Map, Value};

use super::model::{fill_code, is_template_id, KNOWN_USAGE_TYPES, SMS_REGIONS};
use crate::redact::quote;
use crate::text::{char_count, concat, decimal, find_text, join};
use crate::validation::{IssueCode, PathSegment, Validation, MAX_ISSUES};

// Warnings whose path already names the field: static text keeps the wasm small.
const PARAM_FORMAT: &str = "This value is not 0-6 digits once the code is filled in: a verification-code template accepts only 0-6 digits per variable (Tencent answers InvalidParameterValue.TemplateParameterFormatError).";
const PARAM_FORMAT_AND_LENGTH: &str = "This value is not 0-6 digits once the code is filled in: a verification-code template accepts only 0-6 digits per variable (Tencent answers InvalidParameterValue.TemplateParameterFormatError), and any template takes at most 6 characters per variable for accounts opened after 2024-01-25 (or long unused), 12 before (InvalidParameterValue.TemplateParameterLengthLimit).";
/// Tencent SecretKeys are 32 characters.
const SECRET_KEY_LENGTH: usize = 32;

pub(super) fn warn_access_key_id(id: &str, report: &mut Validation) {
    warn_whitespace(
        id,
        "accessKeyId",
        crate::validation::at("accessKeyId"),
        report,
    );
    let trimmed = id.trim();
    if !trimmed.is_empty() && !is_secret_id_shaped(trimmed) {
        report.warn(
            crate::validation::at("accessKeyId"),
            IssueCode::SecretIdShape,
            "accessKeyId does not look like a Tencent Cloud SecretId (AKID followed by letters and digits): check that it is not the SecretKey or an app ID.".into(),
        );
    }
}

pub(super) fn warn_access_key_secret(secret: &str, report: &mut Validation) {
    warn_whitespace(
        secret,
        "accessKeySecret",
        crate::validation::at("accessKeySecret"),
        report,
    );
    let length = char_count(secret.trim());
    if length > 0 && length < SECRET_KEY_LENGTH {
        report.warn(
            crate::validation::at("accessKeySecret"),
            IssueCode::SecretKeyLength,
            "accessKeySecret is shorter than a Tencent Cloud SecretKey (32 characters): copy the whole SecretKey from the CAM console's API keys page.".into(),
        );
    }
    if secret.trim().starts_with("AKID") {
        report.warn(
            crate::validation::at("accessKeySecret"),
            IssueCode::SecretLooksLikeId,
            "accessKeySecret looks like a SecretId (AKID…): put the SecretId in accessKeyId and its SecretKey here.".into(),
        );
    }
}

pub(super) fn warn_sdk_app_id(app_id: &str, report: &mut Validation) {
    warn_whitespace(
        app_id,
        "sdkAppId",
        crate::validation::at("sdkAppId"),
        report,
    );
    warn_not_digits(
        app_id,
        "sdkAppId",
        crate::validation::at("sdkAppId"),
        "the SmsSdkAppId from the SMS console, e.g. \"1400000000\"",
        report,
    );
}

pub(super) fn warn_region(region: &str, report: &mut Validation) {
    warn_whitespace(region, "region", crate::validation::at("region"), report);
    if !region.trim().is_empty() && !SMS_REGIONS.contains(&region.trim()) {
        report.warn(
            crate::validation::at("region"),
            IssueCode::UnknownRegion,
            concat(&[
                "region \"",
                &quote(region, 40),
                "\" is not a Tencent Cloud SMS region: use one of ",
                &join(&SMS_REGIONS, ", "),
                ".",
            ]),
        );
    }
}

/// Tencent's signature rules: "only Chinese, letters and digits, 2 - 12 characters" (its SDK's
/// text for FailedOperation.SignatureIncorrectOrUnapproved, tencentcloud-sdk-python-sms 3.1.153),
/// not digits alone (SMS docs 382/39022); the 【】 of a delivered SMS are not part of it.
pub(super) fn warn_sign_name(name: &str, field: &'static str, report: &mut Validation) {
    let trimmed = name.trim();
    let length = char_count(trimmed);
    warn_whitespace(name, field, crate::validation::at(field), report);
    if let Some(inner) = inside_brackets(trimmed) {
        report.warn(
            crate::validation::at(field),
            IssueCode::SignNameBrackets,
            concat(&[field, " includes the 【】 Tencent puts around a signature in the SMS; Tencent refuses them in the API (FailedOperation.SignatureIncorrectOrUnapproved): set ", field, " to \"", &quote(inner, 20), "\"."]),
        );
        return;
    }
    if !name.is_empty() && !(2..=12).contains(&length) {
        report.warn(
            crate::validation::at(field),
            IssueCode::SignNameLength,
            concat(&[field, " has ", &decimal(length as u64), " characters; Tencent approves signatures of 2 to 12 characters: copy it exactly from the SMS console."]),
        );
    }
    if !trimmed.chars().all(is_sign_name_char) {
        report.warn(
            crate::validation::at(field),
            IssueCode::SignNameCharacters,
            concat(&[field, " has characters other than Chinese characters, letters and digits (spaces and punctuation included), which Tencent does not approve in a signature: copy the approved signature exactly from the SMS console."]),
        );
    } else if !trimmed.is_empty() && crate::text::is_digits(trimmed) {
        report.warn(
            crate::validation::at(field),
            IssueCode::SignNameDigits,
            concat(&[field, " is only digits; Tencent does not approve such signatures, so this is probably a SignId: use the signature's text from the SMS console."]),
        );
    }
}

/// `name` without the 【】 around it, when it has any. Plain loops, not `contains` and
/// `trim_matches` with ['【', '】']: that pattern is a generic searcher of its own in the wasm.
fn inside_brackets(name: &str) -> Option<&str> {
    let is_bracket = |character| matches!(character, '【' | '】');
    if !name.chars().any(is_bracket) {
        return None;
    }
    let mut inner = name;
    while let Some(rest) = inner
        .strip_prefix('【')
        .or_else(|| inner.strip_prefix('】'))
    {
        inner = rest;
    }
    while let Some(rest) = inner
        .strip_suffix('【')
        .or_else(|| inner.strip_suffix('】'))
    {
        inner = rest;
    }
    Some(inner)
}

fn is_sign_name_char(character: char) -> bool {
    character.is_ascii_alphanumeric()
        || matches!(character, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}')
}

/// A usage type Logto never sends, or one an earlier entry already has.
pub(super) fn warn_usage_type(
    usage_type: &str,
    index: usize,
    localised: bool,
    seen_usage_types: &mut Map<String, Value>,
    report: &mut Validation,
) {
    let field_path = || {
        vec![
            PathSegment::from("templates"),
            index.into(),
            "usageType".into(),
        ]
    };
    if !KNOWN_USAGE_TYPES.contains(&usage_type) {
        let hint = closest(usage_type, &KNOWN_USAGE_TYPES)
            .map(|known| concat(&[" Did you mean \"", known, "\"?"]))
            .unwrap_or_default();
        report.warn(
            field_path(),
            IssueCode::UnknownUsageType,
            concat(&["templates[", &decimal(index as u64), "].usageType \"", &quote(usage_type, 40), "\" is not a Logto message type, so it is only used if Logto sends that exact type.", &hint]),
        );
    }
    if !localised
        && seen_usage_types
            .insert(usage_type.to_owned(), Value::Null)
            .is_some()
    {
        report.warn(
            field_path(),
            IssueCode::DuplicateUsageType,
            concat(&[
                "templates[",
                &decimal(index as u64),
                "] repeats usageType \"",
                &quote(usage_type, 40),
                "\"; only the first one is used: remove or rename the duplicate.",
            ]),
        );
    }
}

/// Template codes that are not template IDs are never sent: say what happens instead.
pub(super) fn warn_template_codes(
    usage_type: Option<&str>,
    template_code: Option<&str>,
    international: Option<&str>,
    index: usize,
    report: &mut Validation,
) {
    let field_path = |key: &str| vec![PathSegment::from("templates"), index.into(), key.into()];
    if let Some(code) = template_code {
        if !is_template_id(code) {
            let fallback = if usage_type == Some("Generic") {
                "templateCode is not a Tencent template ID (digits only), so it is never sent: messages without their own template fail with template_not_found. Set it to the approved template ID from the SMS console."
            } else {
                "templateCode is not a Tencent template ID (digits only), so it is never sent: this message type falls back to the Generic template. Set it to the approved template ID from the SMS console, or remove the entry."
            };
            report.warn(
                field_path("templateCode"),
                IssueCode::NotTemplateId,
                fallback.into(),
            );
        }
    }
    if let Some(code) = international {
        if !is_template_id(code) {
            report.warn(
                field_path("internationalTemplateCode"),
                IssueCode::NotTemplateId,
                "internationalTemplateCode is not a Tencent template ID (digits only), so it is never sent: numbers outside mainland China get templateCode instead. Set it to the approved international template ID, or remove it.".into(),
            );
        }
    }
}

/// One `templateParams` value checked against the variable rules Tencent documents.
pub(super) fn warn_template_param(
    text: &str,
    item_path: impl Fn() -> Vec<PathSegment>,
    report: &mut Validation,
) {
    // What Tencent will see, with Logto's 6-digit code in place.
    let filled = fill_code(text, "000000");
    let length = char_count(&filled);
    if length > 6 || !crate::text::is_digits(&filled) {
        report.warn(
            item_path(),
            IssueCode::TemplateParamFormat,
            if length > 6 {
                PARAM_FORMAT_AND_LENGTH
            } else {
                PARAM_FORMAT
            }
            .into(),
        );
    }
    if find_text(&filled, "://").is_some() || filled.starts_with("www.") {
        report.warn(
            item_path(),
            IssueCode::TemplateParamLink,
            "This value looks like a link; Tencent refuses links in template variables: put the link in the approved template text.".into(),
        );
    }
}

pub(crate) fn warn_whitespace(
    value: &str,
    name: &str,
    path: Vec<PathSegment>,
    report: &mut Validation,
) {
    if value.trim() != value {
        let answer = match name {
            "accessKeyId" => " (Tencent answers AuthFailure.SecretIdNotFound)",
            "accessKeySecret" => " (Tencent answers AuthFailure.SignatureFailure)",
            _ => "",
        };
        report.warn(
            path,
            IssueCode::Whitespace,
            concat(&[
                name,
                " starts or ends with whitespace, which is sent as part of the value so sends fail",
                answer,
                ": remove it.",
            ]),
        );
    }
}

fn warn_not_digits(
    value: &str,
    name: &str,
    path: Vec<PathSegment>,
    expected: &str,
    report: &mut Validation,
) {
    let trimmed = value.trim();
    if !trimmed.is_empty() && !crate::text::is_digits(trimmed) {
        report.warn(
            path,
            IssueCode::NotDigits,
            concat(&[name, " should be digits only: ", expected, "."]),
        );
    }
}

pub(crate) fn warn_unknown_keys(
    fields: &Map<String, Value>,
    known: &[&str],
    parent: &[PathSegment],
    report: &mut Validation,
) {
    for key in fields.keys() {
        if known.contains(&key.as_str()) {
            continue;
        }
        if report.warnings.len() >= MAX_ISSUES {
            return;
        }
        let hint = closest(key, known)
            .map(|name| concat(&[" Did you mean \"", name, "\"?"]))
            .unwrap_or_else(|| " It is ignored: remove it.".into());
        let mut path = parent.to_vec();
        path.push(PathSegment::Key(key.clone()));
        report.warn(
            path,
            IssueCode::UnknownKey,
            concat(&["Unknown key \"", &quote(key, 40), "\".", &hint]),
        );
    }
}

/// A known name within two edits (ignoring case) of `word`: the likely intended spelling.
fn closest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    if word.len() > 64 {
        return None;
    }
    let word = word.to_ascii_lowercase();
    // A loop, not map/filter/min_by_key: their fold is a generic body of its own in the wasm.
    // The first of equally close names wins, as with min_by_key.
    let mut best: Option<(usize, &'a str)> = None;
    for name in known {
        let distance = edit_distance(&word, &name.to_ascii_lowercase());
        if distance <= 2 && !matches!(best, Some((least, _)) if least <= distance) {
            best = Some((distance, name));
        }
    }
    best.map(|(_, name)| name)
}

/// Levenshtein distance in characters. `right` is a known name, ASCII and under 64 bytes, so its
/// bytes are its characters and two rows on the stack suffice (no `Vec`s to grow).
fn edit_distance(left: &str, right: &str) -> usize {
    const ROW: usize = 65;
    let right = right.as_bytes();
    if right.len() >= ROW || !right.is_ascii() {
        return usize::MAX;
    }
    let mut previous = [0_usize; ROW];
    for (j, slot) in previous.iter_mut().enumerate() {
        *slot = j;
    }
    let mut current = [0_usize; ROW];
    // `get`, not indexing: `j + 1 <= right.len() < ROW`, and no panic path is linked.
    let at = |row: &[usize; ROW], j: usize| row.get(j).copied().unwrap_or(usize::MAX - 1);
    for (i, left_char) in left.chars().enumerate() {
        current[0] = i + 1;
        for (j, right_byte) in right.iter().enumerate() {
            let substitution = at(&previous, j) + usize::from(left_char != char::from(*right_byte));
            let deletion = at(&previous, j + 1) + 1;
            let insertion = at(&current, j) + 1;
            if let Some(slot) = current.get_mut(j + 1) {
                *slot = substitution.min(deletion).min(insertion);
            }
        }
        previous = current;
    }
    at(&previous, right.len())
}

fn is_secret_id_shaped(id: &str) -> bool {
    id.starts_with("AKID") && id.len() >= 20 && id.bytes().all(|byte| byte.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::{closest, edit_distance, inside_brackets, KNOWN_USAGE_TYPES};
    use crate::config::ROOT_KEYS;

    #[test]
    fn closest_picks_the_first_of_the_nearest_as_min_by_key_does() {
        let known = ["abcd", "abce", "abc", "xyz"];
        for word in [
            "abcf", "ABCx", "ab", "abcde", "q", "signin", "Registr", "regoin", "",
        ] {
            for list in [&known[..], &KNOWN_USAGE_TYPES[..], &ROOT_KEYS[..]] {
                let expected = list
                    .iter()
                    .map(|name| {
                        (
                            edit_distance(&word.to_ascii_lowercase(), &name.to_ascii_lowercase()),
                            *name,
                        )
                    })
                    .filter(|(distance, _)| *distance <= 2)
                    .min_by_key(|(distance, _)| *distance)
                    .map(|(_, name)| name);
                assert_eq!(closest(word, list), expected, "{word}");
            }
        }
    }

    #[test]
    fn inside_brackets_trims_as_trim_matches_does() {
        for name in [
            "【腾讯云】",
            "【】【a】】",
            "a【b】c",
            "】x",
            "【",
            "腾讯云",
            "",
        ] {
            let expected = name
                .contains(['【', '】'])
                .then(|| name.trim_matches(['【', '】']));
            assert_eq!(inside_brackets(name), expected, "{name}");
        }
    }
}
