//! One event per send, for operators (`sendLog`): what the core knows of its outcome. It rides on
//! the send's last reply; the JS layer adds the send id, clock and Tencent's fields already in
//! the result or error, and writes it as one line. Never a secret, the code or the full number.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::country::TABLE;
use crate::country_policy::NOT_OFFERED;
use crate::error::{ConnectorError, Delivery};
use crate::json::{Object, Value, WriteJson};
use crate::phone::E164;
use crate::text::concat;
use crate::validation::{at, IssueCode, Validation};

pub const FIELD: &str = "sendLog";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// Tencent refused; nothing was delivered.
    Refused,
    /// Anything else that did not send, or may have.
    Failed,
    /// countryPolicy or sendLimits refused before any request.
    Blocked,
    /// A rehearsal: nothing was meant to go out.
    DryRun,
}

impl Outcome {
    /// How a send that ended in `error` came out (sendLimits' refusal, which comes before the
    /// send is over, is [`Outcome::Blocked`] where it is decided).
    pub fn of(error: &ConnectorError) -> Outcome {
        // countryPolicy's refusal is the one error that tells the user this.
        if error.data.error_description == NOT_OFFERED {
            Outcome::Blocked
        } else if error.data.tencent_code.is_some()
            && error.data.delivery != Some(Delivery::Unknown)
        {
            Outcome::Refused
        } else {
            Outcome::Failed
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Sent => "sent",
            Outcome::Refused => "refused",
            Outcome::Failed => "failed",
            Outcome::Blocked => "blocked",
            Outcome::DryRun => "dry_run",
        }
    }
}

/// Written in camel case, without the fields that are `None`.
#[derive(Debug, PartialEq)]
pub struct SendEvent<'a> {
    pub outcome: Outcome,
    /// See [`mask`].
    pub to: String,
    pub template_id: Option<&'a str>,
    /// The chosen template entry's `locale`; `None` for a type's default entry.
    pub locale: Option<&'a str>,
    /// Requests that went out.
    pub attempts: u8,
}

impl WriteJson for SendEvent<'_> {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("outcome", self.outcome.as_str())
            .field("to", &self.to)
            .optional("templateId", self.template_id)
            .optional("locale", self.locale)
            .field("attempts", &u64::from(self.attempts))
            .end();
    }
}

/// The calling code and the last two digits (`+86…22`): enough to tell numbers apart in a log,
/// too little to be one. A code the country table lacks is left out.
pub fn mask(number: &E164) -> String {
    let digits = number.as_str().get(1..).unwrap_or_default();
    let last = digits
        .get(digits.len().saturating_sub(2)..)
        .unwrap_or_default();
    concat(&["+", calling_code(digits), "…", last])
}

/// The first row of the country table (sorted as bytes, so the shortest) that `digits` begin
/// with; "" when none does. Read byte by byte, a row compared only when its first digit is the
/// number's: `country::rows` took most of what the event cost the wasm for the ~200 rows before +86.
fn calling_code(digits: &str) -> &'static str {
    let table = TABLE.as_bytes();
    let mut start = 0;
    while let Some(&byte) = table.get(start) {
        let mut at = start + 1;
        while table.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        if digits.as_bytes().first() == Some(&byte) {
            let row = TABLE.get(start..at).unwrap_or_default();
            if digits.starts_with(row) {
                return row;
            }
        }
        start = at + 2;
    }
    ""
}

/// `sendLog`: `"on"` (the default) or `"off"`; `None` after an error.
pub fn check_field(value: Option<&Value>, report: &mut Validation) -> Option<bool> {
    match value.map(Value::as_str) {
        None | Some(Some("on")) => Some(true),
        Some(Some("off")) => Some(false),
        _ => {
            report.error(
                at(FIELD),
                IssueCode::InvalidSendLog,
                "sendLog must be \"on\" or \"off\".".into(),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use crate::phone::normalize;
    use serde_json::json;

    #[test]
    fn the_calling_code_is_the_first_row_the_number_begins_with() {
        // Every row, and every row with a digit more or less, against the plain scan of the table.
        let scan = |digits: &str| {
            crate::country::rows()
                .find(|(prefix, _)| digits.starts_with(prefix))
                .map_or("", |(prefix, _)| prefix)
        };
        for (row, _) in crate::country::rows() {
            for digits in [
                row.to_owned(),
                format!("{row}5"),
                row[..row.len() - 1].to_owned(),
            ] {
                for number in [digits.clone(), format!("{digits}12345678")] {
                    assert_eq!(calling_code(&number), scan(&number), "{number}");
                }
            }
        }
        for number in ["", "0", "012345", "80012345678", "99999999"] {
            assert_eq!(calling_code(number), scan(number), "{number}");
        }
    }

    #[test]
    fn a_number_shows_its_calling_code_and_last_two_digits_only() {
        for (number, masked) in [
            ("8613711112222", "+86…22"),
            ("14155550123", "+1…23"),
            ("2125288123456", "+212…56"),
            ("85291234567", "+852…67"),
            ("80012345678", "+…78"),
        ] {
            assert_eq!(mask(&normalize(number).unwrap()), masked, "{number}");
        }
    }

    #[test]
    fn the_event_is_compact_json_without_missing_fields() {
        let mut event = SendEvent {
            outcome: Outcome::Sent,
            to: "+86…22".into(),
            template_id: Some("1001"),
            locale: Some("en"),
            attempts: 2,
        };
        assert_eq!(
            crate::json::to_string(&event),
            r#"{"outcome":"sent","to":"+86…22","templateId":"1001","locale":"en","attempts":2}"#
        );
        event.outcome = Outcome::DryRun;
        event.template_id = None;
        event.locale = None;
        assert_eq!(
            crate::json::to_string(&event),
            r#"{"outcome":"dry_run","to":"+86…22","attempts":2}"#
        );
    }

    #[test]
    fn a_policy_refusal_is_blocked_a_definite_tencent_one_refused_and_anything_else_failed() {
        let mut error = ConnectorError::new(ErrorCode::RateLimitExceeded, "x");
        assert_eq!(Outcome::of(&error), Outcome::Failed);
        error.data.tencent_code = Some("LimitExceeded.PhoneNumberDailyLimit".into());
        assert_eq!(Outcome::of(&error), Outcome::Refused);
        error.data.delivery = Some(Delivery::Unknown);
        assert_eq!(Outcome::of(&error), Outcome::Failed);
        let policy = crate::country_policy::check_field(
            Some(&json!({ "allow": ["US"] })),
            &mut Validation::default(),
        );
        let refused = policy
            .unwrap()
            .unwrap()
            .check(&normalize("8613711112222").unwrap());
        assert_eq!(Outcome::of(&refused.unwrap_err()), Outcome::Blocked);
    }

    #[test]
    fn send_log_is_on_or_off() {
        for (value, expected) in [
            (None, Some(true)),
            (Some(json!("on")), Some(true)),
            (Some(json!("off")), Some(false)),
            (Some(json!(false)), None),
            (Some(json!("OFF")), None),
        ] {
            let mut report = Validation::default();
            assert_eq!(
                check_field(value.as_ref(), &mut report),
                expected,
                "{value:?}"
            );
            assert_eq!(report.errors.len(), usize::from(expected.is_none()));
        }
    }
}
