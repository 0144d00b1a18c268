//! Arbitrary UTF-8 as a recipient: normalize must agree with the E.164 rule it documents.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tencent_sms_connector::phone;

fuzz_target!(|raw: &str| {
    let digits = raw
        .strip_prefix('+')
        .or_else(|| raw.strip_prefix("00"))
        .unwrap_or(raw);
    let acceptable = (7..=15).contains(&digits.len())
        && digits.bytes().all(|byte| byte.is_ascii_digit())
        && !digits.starts_with('0');
    match phone::normalize(raw) {
        Ok(number) => {
            assert!(acceptable, "{raw:?} was accepted");
            assert_eq!(number.as_str().strip_prefix('+'), Some(digits));
            assert_eq!(phone::normalize(number.as_str()), Ok(number.clone()));
            assert_eq!(number.is_mainland_china(), digits.starts_with("86"));
        }
        Err(error) => {
            assert!(!acceptable, "{raw:?} was refused: {}", error.0);
            assert!(!error.0.is_empty());
        }
    }
});
