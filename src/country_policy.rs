//! `countryPolicy`: the countries and number ranges a send may go to, decided before any request
//! (SMS pumping walks premium ranges; Tencent charges for every request it accepts).
//!
//! `{ "allow": [...] }` or `{ "deny": [...] }`; an entry is an ISO 3166-1 alpha-2 code or an
//! E.164 prefix, `!` makes it an exception. The longest matching entry decides; an ISO code's
//! length is the number of digits that identify the country (`US` 4, as +1 numbers are told
//! apart by area code; `RU` 1; `KZ` 2), so `!+1900` (4) overrides `US`. At equal length an
//! exception wins. A number no entry matches is blocked by an allow list, sent by a deny list.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::json::Value;

use crate::country::{self, Country};
use crate::error::{ConnectorError, ErrorCode};
use crate::phone::E164;
use crate::text::decimal;
use crate::validation::{IssueCode, PathSegment, Validation};

pub const FIELD: &str = "countryPolicy";
/// Bounds the validator's analysis (entries × number classes) and the per-send scan.
pub const MAX_ENTRIES: usize = 256;
const NOT_A_PREFIX: &str = "A prefix is + and 1-15 digits, e.g. \"+1876\".";
const NEITHER: &str =
    "Write an ISO code (\"CN\") or a prefix (\"+1876\"), \"!\" first for an exception.";
/// E.164 allows at most 15 digits.
const MAX_PREFIX_DIGITS: usize = 15;
/// Shown to end users: Logto's sign-in page shows a `general` error's description.
pub const NOT_OFFERED: &str = "SMS to phone numbers in this country or region is not offered: use another phone number or another way to sign in.";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Allow,
    Deny,
}

impl Mode {
    pub fn key(self) -> &'static str {
        match self {
            Mode::Allow => "allow",
            Mode::Deny => "deny",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Country([u8; 2]),
    /// Digits after `+`.
    Prefix(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// As the operator wrote it, for messages.
    pub text: String,
    pub exception: bool,
    target: Target,
}

impl Entry {
    /// How many digits of the number this entry matches, if it matches.
    fn matches(&self, digits: &str, country: Option<Country>) -> Option<usize> {
        match &self.target {
            Target::Country(iso) => country
                .filter(|country| country.iso == *iso)
                .map(|country| country.identified_by),
            Target::Prefix(prefix) => digits.starts_with(prefix.as_str()).then_some(prefix.len()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryPolicy {
    mode: Mode,
    entries: Vec<Entry>,
}

/// What the policy says about one number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    pub allowed: bool,
    /// The entry that decided; `None` when none matched.
    pub entry: Option<usize>,
    pub country: Option<Country>,
}

impl CountryPolicy {
    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The decision for a number given as digits after `+`: the longest match, an exception
    /// first at equal length (a score of twice the length, plus one for an exception), the first
    /// written among equals. No match: an allow list blocks, a deny list sends.
    pub fn decide(&self, digits: &str) -> Verdict {
        let country = country::country_of(digits);
        let mut best: Option<(usize, usize)> = None;
        let mut allowed = self.mode == Mode::Deny;
        for (index, entry) in self.entries.iter().enumerate() {
            let Some(length) = entry.matches(digits, country) else {
                continue;
            };
            let score = 2 * length + usize::from(entry.exception);
            if best.map_or(true, |(best_score, _)| score > best_score) {
                best = Some((score, index));
                allowed = (self.mode == Mode::Allow) != entry.exception;
            }
        }
        Verdict {
            allowed,
            entry: best.map(|(_, index)| index),
            country,
        }
    }

    /// `Ok` when the policy lets `to` be sent; else the error for Logto, naming the rule.
    pub fn check(&self, to: &E164) -> Result<(), ConnectorError> {
        let digits = to.as_str().get(1..).unwrap_or_default();
        let verdict = self.decide(digits);
        if verdict.allowed {
            return Ok(());
        }
        let mut rule = String::from("countryPolicy.");
        rule.push_str(self.mode.key());
        let entry = verdict
            .entry
            .and_then(|index| Some((index, self.entries.get(index)?)));
        match entry {
            Some((index, entry)) => {
                rule.push('[');
                rule.push_str(&decimal(index as u64));
                rule.push_str("] \"");
                rule.push_str(&entry.text);
                rule.push('"');
            }
            None => rule.push_str(" (no entry matches)"),
        }
        // The identifying digits only, never the whole number.
        let shown = verdict.country.map_or(3, |country| country.identified_by);
        let mut message = rule;
        message.push_str(" blocks this number (");
        if let Some(country) = verdict.country {
            // The table's codes are ASCII letters: no UTF-8 check needed.
            let [first, second] = country.iso;
            message.push(char::from(first));
            message.push(char::from(second));
            message.push_str(", ");
        }
        message.push('+');
        message.push_str(digits.get(..shown.min(digits.len())).unwrap_or_default());
        message.push_str("…): no SMS was sent. Change countryPolicy to send there.");
        let mut error = ConnectorError::new(ErrorCode::General, NOT_OFFERED);
        error.data.message = message;
        Err(error)
    }
}

/// The `countryPolicy` field: `Some(None)` when absent (or null), `None` after an error. Messages
/// are static, as the path names the entry: each formatted one costs wasm.
#[inline(never)]
pub fn check_field(
    value: Option<&Value>,
    report: &mut Validation,
) -> Option<Option<CountryPolicy>> {
    let fields = match value {
        // Logto's console saves an untouched Json field as {}: no policy, as when absent.
        None | Some(Value::Null) => return Some(None),
        Some(Value::Object(fields)) if fields.is_empty() => return Some(None),
        Some(Value::Object(fields)) => Some(fields),
        Some(_) => None,
    };
    let allow = fields.and_then(|fields| fields.get("allow"));
    let deny = fields.and_then(|fields| fields.get("deny"));
    let (mode, items) = match (allow, deny) {
        (Some(Value::Array(items)), None) => (Mode::Allow, items),
        (None, Some(Value::Array(items))) => (Mode::Deny, items),
        _ => (Mode::Allow, &Vec::new()),
    };
    // One sentence for every shape problem: both lists, neither, not a list, empty, too long.
    if items.is_empty() || items.len() > MAX_ENTRIES {
        report.error(
            path(None),
            IssueCode::InvalidCountryPolicy,
            "countryPolicy needs one list, \"allow\" or \"deny\", of 1-256 entries, e.g. {\"allow\": [\"CN\"]}; {} for none.".into(),
        );
        return None;
    }
    let mut entries = Vec::new();
    for (index, item) in items.iter().enumerate() {
        match parse_entry(item) {
            Ok(entry) => entries.push(entry),
            Err((entry_code, problem)) => {
                report.error(path(Some((mode, index))), entry_code, problem.into())
            }
        }
    }
    (entries.len() == items.len()).then_some(Some(CountryPolicy { mode, entries }))
}

#[inline(never)]
fn parse_entry(item: &Value) -> Result<Entry, (IssueCode, &'static str)> {
    let Value::String(text) = item else {
        return Err((IssueCode::InvalidCountryEntry, NEITHER));
    };
    let (exception, body) = match text.strip_prefix('!') {
        Some(body) => (true, body),
        None => (false, text.as_str()),
    };
    let all_digits = |digits: &str| !digits.is_empty() && crate::text::is_digits(digits);
    let target = if let Some(digits) = body.strip_prefix('+') {
        if !all_digits(digits) || digits.starts_with('0') || digits.len() > MAX_PREFIX_DIGITS {
            return Err((IssueCode::InvalidPrefix, NOT_A_PREFIX));
        }
        Target::Prefix(digits.to_owned())
    } else if let Some(iso) = iso_code(body) {
        if !country::is_known(iso) {
            return Err((
                IssueCode::UnknownCountry,
                "Not an ISO 3166-1 code with numbers of its own (UK is GB).",
            ));
        }
        Target::Country(iso)
    } else if all_digits(body) {
        return Err((IssueCode::InvalidPrefix, NOT_A_PREFIX));
    } else {
        return Err((IssueCode::InvalidCountryEntry, NEITHER));
    };
    Ok(Entry {
        text: text.clone(),
        exception,
        target,
    })
}

/// The path of `countryPolicy`, or of one of its entries. One function for every issue of the
/// field: building a path at each call site costs wasm.
#[inline(never)]
fn path(entry: Option<(Mode, usize)>) -> Vec<PathSegment> {
    let mut path = crate::validation::at(FIELD);
    if let Some((mode, index)) = entry {
        path.push(mode.key().into());
        path.push(index.into());
    }
    path
}

/// Two ASCII letters, upper-cased. A slice pattern, not `copy_from_slice`, whose length check
/// leaves a panic path in the wasm.
fn iso_code(body: &str) -> Option<[u8; 2]> {
    let [first, second] = *body.as_bytes() else {
        return None;
    };
    (first.is_ascii_alphabetic() && second.is_ascii_alphabetic())
        .then(|| [first.to_ascii_uppercase(), second.to_ascii_uppercase()])
}

impl Target {
    /// Whether some number matches both.
    fn overlaps(&self, other: &Target) -> bool {
        match (self, other) {
            (Target::Prefix(mine), Target::Prefix(theirs)) => {
                mine.starts_with(theirs.as_str()) || theirs.starts_with(mine.as_str())
            }
            (Target::Country(mine), Target::Country(theirs)) => mine == theirs,
            (Target::Country(iso), Target::Prefix(prefix))
            | (Target::Prefix(prefix), Target::Country(iso)) => {
                country::rows()
                    .any(|(row, known)| known == *iso && row.starts_with(prefix.as_str()))
                    || country::country_of(prefix).is_some_and(|country| country.iso == *iso)
            }
        }
    }
}

/// Warnings: entries that never decide a number, and a policy that leaves nothing to send to
/// when the templates serve mainland China only.
///
/// Flagged: an entry an earlier one repeats, and an exception that no plain entry shares a number
/// with. Entries that only several others cover together are not found: an exact analysis cost
/// 2.3 KB of wasm, more than the size budget leaves.
#[inline(never)]
pub fn warn_policy(policy: &CountryPolicy, mainland_only: bool, report: &mut Validation) {
    let entries = &policy.entries;
    for (index, entry) in entries.iter().enumerate() {
        let repeated = entries
            .get(..index)
            .unwrap_or_default()
            .iter()
            .any(|earlier| earlier.exception == entry.exception && earlier.target == entry.target);
        let outside = entry.exception
            && !entries
                .iter()
                .any(|plain| !plain.exception && plain.target.overlaps(&entry.target));
        if repeated || outside {
            report.warn(
                path(Some((policy.mode, index))),
                IssueCode::UnusedCountryEntry,
                if outside {
                    "This exception is inside no entry: it changes nothing."
                } else {
                    "This entry repeats an earlier one."
                }
                .into(),
            );
        }
    }
    // +86 numbers no longer entry names, and any entry that lets part of +86 through.
    let mainland_sendable = policy.decide("8600000000000").allowed
        || entries.iter().any(|entry| {
            entry.exception == (policy.mode == Mode::Deny)
                && entry.target.overlaps(&Target::Prefix("86".into()))
        });
    if mainland_only && !mainland_sendable {
        report.warn(
            path(None),
            IssueCode::MainlandBlocked,
            "countryPolicy blocks +86 and no template has an internationalTemplateCode: no send can succeed.".into(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phone::normalize;
    use serde_json::json;

    fn policy(value: Value) -> CountryPolicy {
        let mut report = Validation::default();
        let parsed = check_field(Some(&value), &mut report);
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        parsed.unwrap().unwrap()
    }

    fn allowed(policy: &CountryPolicy, number: &str) -> bool {
        policy.decide(number).allowed
    }

    fn warnings(value: Value, mainland_only: bool) -> Vec<(String, &'static str)> {
        let mut report = Validation::default();
        warn_policy(&policy(value), mainland_only, &mut report);
        report
            .warnings
            .iter()
            .map(|issue| {
                (
                    serde_json::to_string(&issue.path).unwrap(),
                    issue.code.as_str(),
                )
            })
            .collect()
    }

    fn errors(value: Value) -> Vec<(String, &'static str, String)> {
        let mut report = Validation::default();
        let parsed = check_field(Some(&value), &mut report);
        assert!(parsed.is_none() || report.errors.is_empty());
        report
            .errors
            .iter()
            .map(|issue| {
                (
                    serde_json::to_string(&issue.path).unwrap(),
                    issue.code.as_str(),
                    issue.message.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn us_admits_its_own_area_codes_but_not_the_caribbean() {
        let us = policy(json!({ "allow": ["US"] }));
        assert!(allowed(&us, "14155550123"));
        assert!(allowed(&us, "12125550123"));
        assert!(!allowed(&us, "18765550123"), "JM");
        assert!(!allowed(&us, "18095550123"), "DO");
        assert!(!allowed(&us, "16715550123"), "GU");
        assert!(!allowed(&us, "14165550123"), "CA");
        assert!(!allowed(&us, "8613711112222"));
    }

    #[test]
    fn the_longest_entry_decides_and_exceptions_win_ties() {
        let mixed = policy(json!({ "allow": ["CN", "US", "!+1900"] }));
        assert!(allowed(&mixed, "14155550123"));
        assert!(
            !allowed(&mixed, "19005550123"),
            "!+1900 (4 digits) ties US (4): the exception wins"
        );
        assert!(allowed(&mixed, "8613711112222"));
        let verdict = mixed.decide("19005550123");
        assert_eq!(verdict.entry, Some(2));

        let deny = policy(json!({ "deny": ["+1", "!US", "+14155"] }));
        assert!(allowed(&deny, "12125550123"), "!US (4) beats +1 (1)");
        assert!(!allowed(&deny, "14155550123"), "+14155 (5) beats !US (4)");
        assert!(!allowed(&deny, "14165550123"), "CA: only +1 matches");
    }

    #[test]
    fn prefixes_shorter_and_longer_than_a_calling_code() {
        // Shorter: +2 covers +20 EG, +27 ZA, +211… but not +1 or +30.
        let africa = policy(json!({ "deny": ["+2"] }));
        assert!(!allowed(&africa, "201001234567"));
        assert!(!allowed(&africa, "27821234567"));
        assert!(!allowed(&africa, "2348012345678"));
        assert!(allowed(&africa, "306912345678"));
        // Longer: +4470 (UK personal numbers) inside GB.
        let gb = policy(json!({ "allow": ["GB", "!+4470"] }));
        assert!(allowed(&gb, "447912123456"));
        assert!(!allowed(&gb, "447012345678"));
        // +44 1534 is Jersey: GB does not cover it, a prefix does.
        assert!(!allowed(&gb, "441534123456"));
        let prefix = policy(json!({ "allow": ["+44"] }));
        assert!(allowed(&prefix, "441534123456"));
        // Longer than a sub-range: one number block.
        let block = policy(json!({ "deny": ["+1876555"] }));
        assert!(!allowed(&block, "18765551234"));
        assert!(allowed(&block, "18765561234"));
    }

    #[test]
    fn deny_lists_send_what_no_entry_matches_and_exceptions_reopen() {
        let deny = policy(json!({ "deny": ["JM", "+882", "RU", "!+7495"] }));
        assert!(!allowed(&deny, "18765550123"));
        assert!(!allowed(&deny, "88212345678"), "a global code, by prefix");
        assert!(!allowed(&deny, "79161234567"));
        assert!(allowed(&deny, "74951234567"), "+7495 (4) beats RU (1)");
        assert!(allowed(&deny, "77011234567"), "KZ is not RU");
        assert!(allowed(&deny, "14155550123"));
    }

    #[test]
    fn iso_codes_are_case_insensitive_and_unknown_ones_are_named() {
        assert!(allowed(
            &policy(json!({ "allow": ["cn"] })),
            "8613711112222"
        ));
        let found = errors(
            json!({ "allow": ["CN", "ZZ", "UK", "BL", "+1 876", "1876", "+0", "", 5, "USA", "!"] }),
        );
        let codes: Vec<_> = found
            .iter()
            .map(|(path, code, _)| (path.as_str(), *code))
            .collect();
        assert_eq!(
            codes,
            [
                (r#"["countryPolicy","allow",1]"#, "unknown_country"),
                (r#"["countryPolicy","allow",2]"#, "unknown_country"),
                (r#"["countryPolicy","allow",3]"#, "unknown_country"),
                (r#"["countryPolicy","allow",4]"#, "invalid_prefix"),
                (r#"["countryPolicy","allow",5]"#, "invalid_prefix"),
                (r#"["countryPolicy","allow",6]"#, "invalid_prefix"),
                (r#"["countryPolicy","allow",7]"#, "invalid_country_entry"),
                (r#"["countryPolicy","allow",8]"#, "invalid_country_entry"),
                (r#"["countryPolicy","allow",9]"#, "invalid_country_entry"),
                (r#"["countryPolicy","allow",10]"#, "invalid_country_entry"),
            ]
        );
        assert!(found[1].2.contains("GB"), "{}", found[1].2);
        assert!(found[4].2.contains("\"+1876\""), "{}", found[4].2);
        // The path names the entry; each message says what an entry must be.
        assert!(found
            .iter()
            .all(|(_, _, message)| message.contains("ISO") || message.contains("+1876")));
    }

    #[test]
    fn the_shape_is_checked_with_the_field_named() {
        for value in [
            json!({ "allow": ["CN"], "deny": ["JM"] }),
            json!({ "alow": ["CN"] }),
            json!({ "allow": [] }),
            json!({ "deny": [] }),
            json!({ "allow": "CN" }),
            json!(["CN"]),
            json!({ "deny": vec!["CN"; MAX_ENTRIES + 1] }),
        ] {
            let found = errors(value.clone());
            assert_eq!(found.len(), 1, "{value}");
            assert_eq!(found[0].0, r#"["countryPolicy"]"#, "{value}");
            assert_eq!(found[0].1, "invalid_country_policy", "{value}");
            assert!(found[0].2.contains("countryPolicy"), "{value}");
        }
        let mut report = Validation::default();
        assert_eq!(check_field(None, &mut report), Some(None));
        assert_eq!(check_field(Some(&Value::Null), &mut report), Some(None));
        // What Logto's console saves for the untouched form field.
        assert_eq!(check_field(Some(&json!({})), &mut report), Some(None));
        assert!(report.errors.is_empty());
    }

    #[test]
    fn entries_that_never_decide_are_flagged() {
        let flagged = |list: &str, index: usize| {
            vec![(
                format!(r#"["countryPolicy","{list}",{index}]"#),
                "unused_country_entry",
            )]
        };
        // An exception outside every entry of an allow list.
        assert_eq!(
            warnings(json!({ "allow": ["CN", "!+1900"] }), false),
            flagged("allow", 1)
        );
        assert_eq!(
            warnings(json!({ "deny": ["+1876", "!GB"] }), false),
            flagged("deny", 1)
        );
        // A repeat, whatever the case it is written in.
        assert_eq!(
            warnings(json!({ "allow": ["CN", "US", "cn"] }), false),
            flagged("allow", 2)
        );
        // Exceptions inside an entry, of a prefix or of a country, and entries that differ.
        assert!(warnings(json!({ "allow": ["CN", "US", "!+1900"] }), false).is_empty());
        assert!(warnings(json!({ "deny": ["+1", "!US", "!CA"] }), false).is_empty());
        assert!(warnings(json!({ "allow": ["GB", "!+4470", "+447010"] }), false).is_empty());
        assert!(warnings(json!({ "deny": ["+7", "!KZ", "US", "!+1900"] }), false).is_empty());
        // Pair checks only: +7 is covered by RU and KZ together, and not flagged.
        assert!(warnings(json!({ "deny": ["RU", "KZ", "+7"] }), false).is_empty());
    }

    #[test]
    fn blocking_mainland_with_mainland_only_templates_is_flagged() {
        let blocked = [("[\"countryPolicy\"]".to_owned(), "mainland_blocked")];
        assert_eq!(warnings(json!({ "allow": ["US"] }), true), blocked);
        assert_eq!(warnings(json!({ "deny": ["CN"] }), true), blocked);
        assert!(warnings(json!({ "allow": ["US"] }), false).is_empty());
        assert!(warnings(json!({ "allow": ["CN"] }), true).is_empty());
        // Part of +86 blocked (e.g. a virtual-operator range) still leaves mainland numbers.
        assert!(warnings(json!({ "deny": ["+86170"] }), true).is_empty());
    }

    #[test]
    fn a_blocked_number_is_general_with_a_readable_sentence_and_the_rule() {
        let policy = policy(json!({ "allow": ["CN", "US", "!+1900"] }));
        let error = policy
            .check(&normalize("19005550123").unwrap())
            .unwrap_err();
        assert_eq!(error.code, ErrorCode::General);
        assert_eq!(error.data.error_description, NOT_OFFERED);
        assert!(
            error
                .data
                .message
                .contains(r#"countryPolicy.allow[2] "!+1900""#),
            "{}",
            error.data.message
        );
        let text = serde_json::to_string(&error).unwrap();
        assert!(!text.contains("5550123"), "never the whole number: {text}");

        let error = policy
            .check(&normalize("18765550123").unwrap())
            .unwrap_err();
        assert!(
            error.data.message.contains("no entry matches"),
            "{}",
            error.data.message
        );
        assert!(
            error.data.message.contains("JM, +1876…"),
            "{}",
            error.data.message
        );
        assert!(policy.check(&normalize("8613711112222").unwrap()).is_ok());
    }

    /// Properties, natively only: proptest is not a wasm32 dev-dependency.
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use crate::validation::PathSegment;
        use proptest::prelude::*;

        fn any_entry() -> impl Strategy<Value = String> {
            let iso = prop::sample::select(vec![
                "US", "CA", "JM", "CN", "GB", "JE", "RU", "KZ", "DO", "HK",
            ]);
            let prefix = "[1-9][0-9]{0,5}";
            (
                any::<bool>(),
                prop_oneof![
                    iso.prop_map(str::to_owned),
                    prefix.prop_map(|digits| format!("+{digits}"))
                ],
            )
                .prop_map(|(exception, body)| if exception { format!("!{body}") } else { body })
        }

        /// The rule written out the slow way: every matching entry with its length, then the best.
        fn reference(policy: &CountryPolicy, digits: &str) -> bool {
            let country = country::country_of(digits);
            let best = policy
                .entries
                .iter()
                .filter_map(|entry| Some((entry.matches(digits, country)?, entry.exception)))
                .max();
            match best {
                None => policy.mode == Mode::Deny,
                Some((_, exception)) => (policy.mode == Mode::Allow) != exception,
            }
        }

        proptest! {
            // The analysis runs once per case; debug builds make it the slow part of `cargo test`.
            #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]
            #[test]
            fn decisions_follow_the_longest_match(
                deny in any::<bool>(),
                entries in prop::collection::vec(any_entry(), 1..12),
                number in "(1[2-9][0-9]{9}|[2-9][0-9]{7,12})",
            ) {
                let list = if deny { "deny" } else { "allow" };
                let policy = policy(json!({ list: entries }));
                prop_assert_eq!(policy.decide(&number).allowed, reference(&policy, &number));
            }

            #[test]
            fn dropping_every_flagged_entry_changes_no_decision(
                deny in any::<bool>(),
                entries in prop::collection::vec(any_entry(), 1..8),
                suffixes in prop::collection::vec("[0-9]{10}", 8),
            ) {
                let list = if deny { "deny" } else { "allow" };
                let full = policy(json!({ list: entries.clone() }));
                let mut report = Validation::default();
                warn_policy(&full, false, &mut report);
                // Numbers in and around every entry: its prefixes, one digit shorter, then anything.
                let mut numbers = Vec::new();
                for entry in &full.entries {
                    let heads: Vec<String> = match &entry.target {
                        Target::Prefix(digits) => vec![digits.clone()],
                        Target::Country(iso) => country::prefixes_of(*iso).map(str::to_owned).collect(),
                    };
                    for head in heads {
                        for suffix in &suffixes {
                            numbers.push(format!("{head}{suffix}"));
                            numbers.push(format!("{}{suffix}", &head[..head.len() - 1]));
                        }
                    }
                }
                numbers.retain(|number| !number.is_empty() && !number.starts_with('0'));
                let flagged: Vec<usize> = report.warnings.iter().filter_map(|issue| match issue.path.get(2) {
                    Some(PathSegment::Index(index)) => Some(*index),
                    _ => None,
                }).collect();
                let fewer: Vec<String> = entries.iter().enumerate()
                    .filter(|(index, _)| !flagged.contains(index))
                    .map(|(_, entry)| entry.clone())
                    .collect();
                prop_assume!(!fewer.is_empty());
                let reduced = policy(json!({ list: fewer }));
                for number in &numbers {
                    prop_assert_eq!(full.decide(number).allowed, reduced.decide(number).allowed, "{} without {:?}", number, flagged);
                }
            }
        }
    }
}
