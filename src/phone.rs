//! Phone numbers to E.164 with a leading `+`.
//!
//! Logto passes digits with the country code but without `+`; Tencent reads bare digits as a
//! mainland China number, so a foreign number sent as-is is misrouted.

#[allow(unused_imports)]
use crate::prelude::*;

use core::fmt;

/// E.164 allows at most 15 digits; the shortest numbers in use (e.g. +683 4002) have 7.
const MIN_DIGITS: usize = 7;
const MAX_DIGITS: usize = 15;
const MAINLAND_CHINA_PREFIX: &str = "+86";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct E164(String);

impl E164 {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Decided by the country code, not by the number's length: +852, +853 and +886 are not +86.
    pub fn is_mainland_china(&self) -> bool {
        self.0.starts_with(MAINLAND_CHINA_PREFIX)
    }
}

/// Why a number was refused; the message says how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneError(pub &'static str);

impl fmt::Display for PhoneError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.0)
    }
}

impl core::error::Error for PhoneError {}

/// `8613711112222` → `+8613711112222`; `+…` kept; `00…` → `+…`; anything else is an error.
pub fn normalize(raw: &str) -> Result<E164, PhoneError> {
    let digits = if let Some(rest) = raw.strip_prefix('+') {
        rest
    } else if let Some(rest) = raw.strip_prefix("00") {
        rest
    } else {
        raw
    };
    if raw.is_empty() {
        return Err(PhoneError("the phone number is empty"));
    }
    if !crate::text::is_digits(digits) {
        return Err(PhoneError(
            "the phone number must be digits with the country code, optionally starting with + or 00 (e.g. 8613711112222)",
        ));
    }
    if digits.len() < MIN_DIGITS {
        return Err(PhoneError(
            "the phone number is too short for E.164: include the country code",
        ));
    }
    if digits.len() > MAX_DIGITS {
        return Err(PhoneError(
            "the phone number is longer than E.164 allows (15 digits)",
        ));
    }
    if digits.starts_with('0') {
        return Err(PhoneError(
            "the phone number must start with a country code, which never begins with 0",
        ));
    }
    let mut number = String::with_capacity(digits.len() + 1);
    number.push('+');
    number.push_str(digits);
    Ok(E164(number))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logto_digits_get_a_plus() {
        assert_eq!(
            normalize("8613711112222").unwrap().as_str(),
            "+8613711112222"
        );
        assert_eq!(normalize("14155550123").unwrap().as_str(), "+14155550123");
    }

    #[test]
    fn plus_is_kept_and_00_becomes_plus() {
        assert_eq!(
            normalize("+447911123456").unwrap().as_str(),
            "+447911123456"
        );
        assert_eq!(
            normalize("00447911123456").unwrap().as_str(),
            "+447911123456"
        );
    }

    #[test]
    fn malformed_numbers_are_refused_with_a_reason() {
        for (raw, reason) in [
            ("", "empty"),
            ("+", "too short"),
            ("86 137 1111 2222", "digits"),
            ("call-me", "digits"),
            ("+1-415-555-0123", "digits"),
            ("123456", "too short"),
            ("1234567890123456", "longer"),
            ("+0123456789", "country code"),
            ("000123456789", "country code"),
            ("１３７１１１１２２２２", "digits"),
            ("++8613711112222", "digits"),
        ] {
            let error = normalize(raw).unwrap_err();
            assert!(error.0.contains(reason), "{raw:?}: {}", error.0);
        }
    }

    #[test]
    fn phone_error_displays_its_reason() {
        let error = normalize("").unwrap_err();
        assert_eq!(error.to_string(), error.0);
        let _: &dyn std::error::Error = &error;
    }

    #[test]
    fn mainland_china_is_decided_by_country_code() {
        assert!(normalize("8613711112222").unwrap().is_mainland_china());
        for foreign in ["85291234567", "85361234567", "886912345678", "14155550123"] {
            assert!(
                !normalize(foreign).unwrap().is_mainland_china(),
                "{foreign}"
            );
        }
    }
}
