//! `testNumbers` and `dryRun`: sends that never reach Tencent. Decided first, before
//! countryPolicy and sendLimits, so a rehearsal costs nothing and counts nowhere; the JS layer
//! writes the code where Logto's mock SMS connector writes it.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::config::Config;
use crate::json::Value;
use crate::phone::{self, E164};
use crate::text::concat;
use crate::validation::{at, IssueCode, PathSegment, Validation};

pub const NUMBERS_FIELD: &str = "testNumbers";
pub const FIELD: &str = "dryRun";
/// A list to type by hand, not a directory.
pub const MAX_TEST_NUMBERS: usize = 100;

/// The two fields, parsed; both off by default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DryRun {
    /// `dryRun: true`: no number reaches Tencent.
    pub all: bool,
    /// Full E.164 numbers with `+`.
    pub numbers: Vec<String>,
}

/// The `result` reply of a send that must not reach Tencent, `{ dryRun: true, reason,
/// phoneNumber }` with `reason` the field that decided it; `None` for a real send. Written by
/// hand: both values are plain ASCII (a field name, `+` and digits).
pub fn decide(config: &Config, to: &E164) -> Option<String> {
    let reason = if config.dry_run.all {
        FIELD
    } else if config
        .dry_run
        .numbers
        .iter()
        .any(|number| number == to.as_str())
    {
        NUMBERS_FIELD
    } else {
        return None;
    };
    Some(concat(&[
        "result\n{\"dryRun\":true,\"reason\":\"",
        reason,
        "\",\"phoneNumber\":\"",
        to.as_str(),
        "\"}\n",
    ]))
}

const NUMBER: &str = "Give full E.164 numbers with +, e.g. \"+8613711112222\" (at most 100; no prefixes or wildcards).";
const ON: &str = "dryRun is on: no SMS is sent; codes go to Logto's mock SMS file.";

/// Both fields, with the loud warning; `None` after an error.
#[inline(never)]
pub fn check_fields(
    numbers: Option<&Value>,
    dry_run: Option<&Value>,
    report: &mut Validation,
) -> Option<DryRun> {
    let all = match dry_run {
        None | Some(Value::Null) => Some(false),
        Some(Value::Bool(on)) => Some(*on),
        Some(_) => {
            report.error(
                at(FIELD),
                IssueCode::InvalidType,
                "dryRun must be true or false.".into(),
            );
            None
        }
    };
    if all == Some(true) {
        report.warn(at(FIELD), IssueCode::DryRunOn, ON.into());
    }
    let items: &[Value] = match numbers {
        None | Some(Value::Null) => &[],
        Some(Value::Array(items)) if items.len() <= MAX_TEST_NUMBERS => items,
        Some(_) => {
            report.error(
                at(NUMBERS_FIELD),
                IssueCode::InvalidTestNumber,
                NUMBER.into(),
            );
            return None;
        }
    };
    let mut list: Vec<String> = Vec::with_capacity(items.len());
    let errors = report.errors.len();
    for (index, item) in items.iter().enumerate() {
        // `+` first: bare digits would be read as a country code, and `00…` is a dial prefix.
        let number = item
            .as_str()
            .filter(|text| text.starts_with('+'))
            .and_then(|text| phone::normalize(text).ok())
            .map(|number| number.as_str().to_owned());
        let mut path = at(NUMBERS_FIELD);
        path.push(PathSegment::Index(index));
        match number {
            None => report.error(path, IssueCode::InvalidTestNumber, NUMBER.into()),
            Some(number) if list.contains(&number) => report.error(
                path,
                IssueCode::DuplicateTestNumber,
                "Listed twice: remove the copy.".into(),
            ),
            Some(number) => list.push(number),
        }
    }
    Some(DryRun {
        all: all?,
        numbers: list,
    })
    .filter(|_| report.errors.len() == errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config;
    use serde_json::json;

    fn codes(value: &serde_json::Value) -> (Vec<String>, Vec<String>) {
        let (report, _) = config::validate(value);
        let named = |issues: &[crate::validation::Issue]| {
            issues
                .iter()
                .map(|issue| {
                    let path: Vec<String> = issue
                        .path
                        .iter()
                        .map(|segment| match segment {
                            PathSegment::Key(key) => key.clone(),
                            PathSegment::Index(index) => index.to_string(),
                        })
                        .collect();
                    format!("{}:{}", path.join("."), issue.code.as_str())
                })
                .collect()
        };
        (named(&report.errors), named(&report.warnings))
    }

    #[test]
    fn test_numbers_must_be_whole_numbers_written_once() {
        let mut value = config::tests::valid();
        value["testNumbers"] = json!([
            "+8613711112222",
            "+86137*",
            "8613711112222",
            "+86",
            "+86 137 1111 2222",
            7,
            "+8613711112222"
        ]);
        let (errors, _) = codes(&value);
        assert_eq!(
            errors,
            [
                "testNumbers.1:invalid_test_number",
                "testNumbers.2:invalid_test_number",
                "testNumbers.3:invalid_test_number",
                "testNumbers.4:invalid_test_number",
                "testNumbers.5:invalid_test_number",
                "testNumbers.6:duplicate_test_number",
            ]
        );
        value["testNumbers"] = json!("+8613711112222");
        assert_eq!(codes(&value).0, ["testNumbers:invalid_test_number"]);
        value["testNumbers"] = json!(vec!["+8613711112222"; 101]);
        assert_eq!(codes(&value).0, ["testNumbers:invalid_test_number"]);
    }

    #[test]
    fn dry_run_is_a_boolean_and_warns_loudly_when_on() {
        let mut value = config::tests::valid();
        value["dryRun"] = json!("yes");
        assert_eq!(codes(&value).0, ["dryRun:invalid_type"]);
        value["dryRun"] = json!(true);
        let (errors, warnings) = codes(&value);
        assert!(errors.is_empty());
        assert_eq!(warnings, ["dryRun:dry_run_on"]);
        value["dryRun"] = json!(false);
        assert_eq!(codes(&value), (vec![], vec![]));
    }

    #[test]
    fn only_listed_numbers_or_every_number_in_a_dry_run_are_rehearsed() {
        let mut value = config::tests::valid();
        value["testNumbers"] = json!(["+8613711112222"]);
        let config = config::parse(&value).unwrap();
        let listed = phone::normalize("8613711112222").unwrap();
        let other = phone::normalize("8613711113333").unwrap();
        assert_eq!(
            decide(&config, &listed).unwrap(),
            "result\n{\"dryRun\":true,\"reason\":\"testNumbers\",\"phoneNumber\":\"+8613711112222\"}\n"
        );
        assert!(decide(&config, &other).is_none());
        value["dryRun"] = json!(true);
        let config = config::parse(&value).unwrap();
        assert!(decide(&config, &other)
            .unwrap()
            .contains(r#""reason":"dryRun""#));
        // Off by default: a saved config without the fields sends as before.
        let config = config::parse(&config::tests::valid()).unwrap();
        assert!(decide(&config, &listed).is_none());
    }
}
