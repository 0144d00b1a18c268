//! `sendLimits` and `trustedIps`: how many codes one client address, number range or country
//! may get per window, decided before any request (SMS pumping walks number ranges from few
//! addresses, and Logto limits per number only).
//!
//! A rule is `{ "by": "ip" | "prefix" | "country", "max": n, "perSeconds": s }`. A send gets one
//! counter per rule: the client address (an IPv6 one by its /64), the number without its last 4
//! digits, or the number's ISO country. Windows are fixed and start at a key's first counted
//! send; a send over any rule is refused and counted nowhere. The host counts, in its Redis
//! when it has one (`lib/redis.js`, keys below), else [`crate::counters`] in this process; the
//! core plans the counters and decides from the counts.
//!
//! `ip` rules apply only to a client's own public address: a missing, loopback or private one
//! is a proxy's (Logto without `TRUST_PROXY_HEADER`), which every user would share, so those
//! rules are skipped for the send and the send says why. `trustedIps` skips them on purpose.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::json::Value;

use crate::config::Config;
use crate::counters::Check;
use crate::country;
use crate::error::{ConnectorError, ErrorCode};
use crate::ip::{self, Cidr};
use crate::phone::E164;
use crate::text::{concat, decimal};
use crate::validation::{IssueCode, PathSegment, Validation};

pub const FIELD: &str = "sendLimits";
pub const TRUSTED_FIELD: &str = "trustedIps";
pub const RULE_KEYS: [&str; 3] = ["by", "max", "perSeconds"];
pub const MAX_RULES: usize = 16;
pub const MAX_TRUSTED: usize = 256;
pub const MAX_SENDS: u64 = 1_000_000;
/// 30 days: Redis keys and per-process windows never outlive it.
pub const MAX_WINDOW_SECONDS: u64 = 2_592_000;
const LONG_WINDOW_SECONDS: u32 = 86_400;
/// Keys in the host's Redis start so; `{sdkAppId}` is a Redis Cluster hash tag, so one
/// deployment's keys share a slot and one script counts them all.
const KEY_PREFIX: &str = "tencent-sms-limit:{";
/// The number's last digits a `prefix` key leaves out: one range of 10,000 numbers.
const PREFIX_HIDDEN_DIGITS: usize = 4;

const SHAPE: &str = "sendLimits is a list of at most 16 rules such as {\"by\": \"ip\", \"max\": 5, \"perSeconds\": 3600}; [] for none.";
const RULE: &str = "A rule is {\"by\": \"ip\", \"prefix\" or \"country\", \"max\": sends, \"perSeconds\": window}.";
const BY: &str = "by must be \"ip\" (the client address), \"prefix\" (the number without its last 4 digits) or \"country\".";
const MAX: &str = "max must be a whole number of sends from 1 to 1000000.";
const PER_SECONDS: &str =
    "perSeconds must be a whole number of seconds from 1 to 2592000 (30 days).";
const TRUSTED_SHAPE: &str = "trustedIps is a list of at most 256 addresses or CIDR ranges, e.g. [\"203.0.113.0/24\"]; [] for none.";
const TRUSTED_ENTRY: &str =
    "Not an IPv4 or IPv6 address or CIDR range, e.g. \"203.0.113.0/24\" or \"2001:db8::/48\".";
const IP_REMINDER: &str =
    "ip rules count by the address Logto passes, which is the client's only when Logto runs with TRUST_PROXY_HEADER=1 behind a proxy that sets X-Forwarded-For. A send whose address is missing, loopback or private skips ip rules, and the console's Test says so.";
const COVERED: &str =
    "Another rule with the same \"by\" allows no more sends over a window at least as long: this one never refuses a send first. Remove it.";
const LONG_WINDOW: &str =
    "A window longer than a day: a client, range or country that reaches max stays refused until it ends, and counters kept per process (without Redis) are lost on restart.";
const UNUSED_TRUSTED: &str =
    "trustedIps only exempts addresses from ip rules, and sendLimits has none: it changes nothing.";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Ip,
    Prefix,
    Country,
}

impl By {
    pub fn as_str(self) -> &'static str {
        match self {
            By::Ip => "ip",
            By::Prefix => "prefix",
            By::Country => "country",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub by: By,
    pub max: u32,
    pub per_seconds: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendLimits {
    rules: Vec<Rule>,
    trusted: Vec<Cidr>,
}

/// One counter a send must pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counter {
    /// `tencent-sms-limit:{sdkAppId}:by:max/perSeconds:value`, the host's Redis key.
    pub key: String,
    /// The key digested for the per-process map, keyed by the account's secret.
    pub check: Check,
    rule: usize,
    by: By,
    per_seconds: u32,
    /// Where the counted value (address, range, country) starts in `key`.
    value_at: usize,
}

/// The per-process map counts a send's counters as they are (no list of checks built).
impl AsRef<Check> for Counter {
    fn as_ref(&self) -> &Check {
        &self.check
    }
}

/// What a send must pass, and why `ip` rules were skipped for it, if they were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub counters: Vec<Counter>,
    pub note: Option<String>,
}

impl SendLimits {
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }
}

/// The counters a send to `to` from `ip` (Logto's `data.ip`) must pass; `None` when the config
/// has no limits, or none applies and there is nothing to say.
pub fn plan(config: &Config, to: &E164, ip: Option<&str>) -> Option<Plan> {
    let limits = config.send_limits.as_ref()?;
    let mut client = None;
    let mut note = None;
    if limits.rules.iter().any(|rule| rule.by == By::Ip) {
        let given = ip.map(str::trim).filter(|text| !text.is_empty());
        match given.map(ip::parse) {
            None => note = Some(skipped("no client address")),
            Some(None) => note = Some(skipped("a client address that is not an IP address")),
            Some(Some(addr)) if limits.trusted.iter().any(|range| range.contains(addr)) => {}
            Some(Some(addr)) => match ip::not_a_client(addr) {
                Some(reason) => {
                    // An IPv6 address by its /64: the rest says nothing more.
                    let address = ip::client_key(addr);
                    note = Some(skipped(&concat(&[&address, ", ", reason, ","])));
                }
                None => client = Some(ip::client_key(addr)),
            },
        }
    }
    let digits = to.as_str().get(1..).unwrap_or_default();
    let mut app = String::with_capacity(config.sdk_app_id.len());
    for byte in config.sdk_app_id.bytes() {
        app.push(if byte.is_ascii_alphanumeric() {
            char::from(byte)
        } else {
            '_'
        });
    }
    let mut counters = Vec::new();
    for (index, rule) in limits.rules.iter().enumerate() {
        // A repeated rule would count the same key twice.
        if limits.rules.get(..index).unwrap_or_default().contains(rule) {
            continue;
        }
        let value = match rule.by {
            By::Ip => match &client {
                Some(client) => client.clone(),
                None => continue,
            },
            By::Prefix => {
                let kept = digits.len().saturating_sub(PREFIX_HIDDEN_DIGITS);
                concat(&["+", digits.get(..kept).unwrap_or_default()])
            }
            By::Country => country::country_of(digits)
                .map_or_else(|| "ZZ".to_owned(), |country| country.iso().to_owned()),
        };
        let max = decimal(u64::from(rule.max));
        let per = decimal(u64::from(rule.per_seconds));
        let head = concat(&[
            KEY_PREFIX,
            &app,
            "}:",
            rule.by.as_str(),
            ":",
            &max,
            "/",
            &per,
            ":",
        ]);
        let key = concat(&[&head, &value]);
        counters.push(Counter {
            check: Check {
                digest: digest(&config.access_key_secret, &key),
                max: rule.max,
                window_ms: u64::from(rule.per_seconds) * 1_000,
            },
            key,
            rule: index,
            by: rule.by,
            per_seconds: rule.per_seconds,
            value_at: head.len(),
        });
    }
    (!counters.is_empty() || note.is_some()).then_some(Plan { counters, note })
}

fn skipped(what: &str) -> String {
    concat(&[
        "sendLimits' ip rules were not applied to this send: Logto passed ",
        what,
        " as the client's address. Behind a proxy or load balancer, run Logto with TRUST_PROXY_HEADER=1 and have the proxy set X-Forwarded-For to the client's address; list addresses you exempt on purpose in trustedIps.",
    ])
}

/// A key's digest for the per-process map: keyed by the account's secret, so nobody outside
/// can choose keys that share a bucket.
fn digest(secret: &str, key: &str) -> u64 {
    // One buffer through the `digest` signing already uses: a hasher fed piece by piece is
    // another copy of the update code in the wasm.
    let hash = crate::tc3::sha256(concat(&[secret, "\0", key]).as_bytes());
    let [a, b, c, d, e, f, g, h, ..] = hash;
    u64::from_le_bytes([a, b, c, d, e, f, g, h])
}

/// `Ok` when every count (this send included) is within its rule; else the refusal, naming the
/// first rule it passes. `counts` has one entry per counter.
pub fn decide(counters: &[Counter], counts: &[u64]) -> Result<(), ConnectorError> {
    for (counter, count) in counters.iter().zip(counts) {
        if *count > u64::from(counter.check.max) {
            return Err(refusal(counter));
        }
    }
    Ok(())
}

fn refusal(counter: &Counter) -> ConnectorError {
    let value = counter.key.get(counter.value_at..).unwrap_or_default();
    let shown = if counter.by == By::Prefix {
        concat(&[value, "…"])
    } else {
        value.to_owned()
    };
    let mut error = ConnectorError::new(
        ErrorCode::RateLimitExceeded,
        "Too many verification codes were requested: try again later.",
    );
    error.data.message = concat(&[
        "sendLimits[",
        &decimal(counter.rule as u64),
        "] (",
        counter.by.as_str(),
        ", ",
        &decimal(u64::from(counter.check.max)),
        " per ",
        &decimal(u64::from(counter.per_seconds)),
        " s) refused this send (",
        &shown,
        "): no SMS was sent. Sends resume when the window that began with the first counted send ends.",
    ]);
    error
}

/// The `sendLimits` and `trustedIps` fields, with their warnings: `Some(None)` when there are no
/// rules, `None` after an error.
#[inline(never)]
pub fn check_fields(
    limits: Option<&Value>,
    trusted: Option<&Value>,
    report: &mut Validation,
) -> Option<Option<SendLimits>> {
    let rules = check_rules(limits, report);
    let ranges = check_trusted(trusted, report);
    let (rules, ranges) = (rules?, ranges?);
    warn_rules(&rules, report);
    if rules.iter().all(|rule| rule.by != By::Ip) && !ranges.is_empty() {
        warn_at(
            report,
            IssueCode::UnusedTrustedIps,
            TRUSTED_FIELD,
            None,
            None,
            UNUSED_TRUSTED,
        );
    }
    Some((!rules.is_empty()).then_some(SendLimits {
        rules,
        trusted: ranges,
    }))
}

/// `null`, absent and `[]` are no list.
fn list(value: Option<&Value>, max: usize) -> Result<&[Value], ()> {
    match value {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) if items.len() <= max => Ok(items),
        _ => Err(()),
    }
}

fn check_rules(value: Option<&Value>, report: &mut Validation) -> Option<Vec<Rule>> {
    let Ok(items) = list(value, MAX_RULES) else {
        error_at(
            report,
            IssueCode::InvalidSendLimit,
            FIELD,
            None,
            None,
            SHAPE,
        );
        return None;
    };
    let mut rules = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let Value::Object(fields) = item else {
            error_at(
                report,
                IssueCode::InvalidSendLimit,
                FIELD,
                Some(index),
                None,
                RULE,
            );
            continue;
        };
        let by = match fields.get("by").and_then(Value::as_str) {
            Some("ip") => Some(By::Ip),
            Some("prefix") => Some(By::Prefix),
            Some("country") => Some(By::Country),
            _ => None,
        };
        let max = whole(fields.get("max"), MAX_SENDS);
        let per_seconds = whole(fields.get("perSeconds"), MAX_WINDOW_SECONDS);
        // One call each: an array of (key, missing, message) to loop over costs more wasm.
        if by.is_none() {
            error_at(
                report,
                IssueCode::InvalidSendLimit,
                FIELD,
                Some(index),
                Some("by"),
                BY,
            );
        }
        if max.is_none() {
            error_at(
                report,
                IssueCode::InvalidSendLimit,
                FIELD,
                Some(index),
                Some("max"),
                MAX,
            );
        }
        if per_seconds.is_none() {
            error_at(
                report,
                IssueCode::InvalidSendLimit,
                FIELD,
                Some(index),
                Some("perSeconds"),
                PER_SECONDS,
            );
        }
        crate::config::warn_unknown_keys(fields, &RULE_KEYS, &[FIELD.into(), index.into()], report);
        if let (Some(by), Some(max), Some(per_seconds)) = (by, max, per_seconds) {
            rules.push(Rule {
                by,
                max,
                per_seconds,
            });
        }
    }
    (rules.len() == items.len()).then_some(rules)
}

/// A whole number from 1 to `max`.
fn whole(value: Option<&Value>, max: u64) -> Option<u32> {
    let number = value?.as_u64()?;
    if number == 0 || number > max {
        return None;
    }
    u32::try_from(number).ok()
}

fn check_trusted(value: Option<&Value>, report: &mut Validation) -> Option<Vec<Cidr>> {
    let Ok(items) = list(value, MAX_TRUSTED) else {
        error_at(
            report,
            IssueCode::InvalidTrustedIp,
            TRUSTED_FIELD,
            None,
            None,
            TRUSTED_SHAPE,
        );
        return None;
    };
    let mut ranges = Vec::new();
    for (index, item) in items.iter().enumerate() {
        match item.as_str().map(str::trim).and_then(ip::parse_cidr) {
            Some(range) => ranges.push(range),
            None => error_at(
                report,
                IssueCode::InvalidTrustedIp,
                TRUSTED_FIELD,
                Some(index),
                None,
                TRUSTED_ENTRY,
            ),
        }
    }
    (ranges.len() == items.len()).then_some(ranges)
}

/// The reminder an `ip` rule needs, rules another makes useless, and windows longer than a day.
fn warn_rules(rules: &[Rule], report: &mut Validation) {
    if let Some(first) = rules.iter().position(|rule| rule.by == By::Ip) {
        warn_at(
            report,
            IssueCode::IpLimitNeedsProxyHeader,
            FIELD,
            Some(first),
            None,
            IP_REMINDER,
        );
    }
    for (index, rule) in rules.iter().enumerate() {
        // Another rule of the same kind allows no more over a window at least as long; of two
        // equal rules, the later is the one to remove.
        let covered = rules.iter().enumerate().any(|(other_index, other)| {
            other_index != index
                && other.by == rule.by
                && other.max <= rule.max
                && other.per_seconds >= rule.per_seconds
                && (other_index < index || other != rule)
        });
        if covered {
            warn_at(
                report,
                IssueCode::UnusedSendLimit,
                FIELD,
                Some(index),
                None,
                COVERED,
            );
        }
        if rule.per_seconds > LONG_WINDOW_SECONDS {
            warn_at(
                report,
                IssueCode::LongLimitWindow,
                FIELD,
                Some(index),
                Some("perSeconds"),
                LONG_WINDOW,
            );
        }
    }
}

/// An error at `field[index].key`; see [`issue`].
fn error_at(
    report: &mut Validation,
    code: IssueCode,
    field: &str,
    index: Option<usize>,
    key: Option<&str>,
    message: &'static str,
) {
    issue(report, code, field, index, key, message);
}

/// A warning at `field[index].key`; see [`issue`].
fn warn_at(
    report: &mut Validation,
    code: IssueCode,
    field: &str,
    index: Option<usize>,
    key: Option<&str>,
    message: &'static str,
) {
    issue(report, code, field, index, key, message);
}

/// One function reports every issue of these fields, an error or a warning by its code: each
/// call site building its own path and text costs wasm. (`error_at` and `warn_at` name the kind
/// at each call site for js-tests/documented-codes.test.js.)
#[inline(never)]
fn issue(
    report: &mut Validation,
    code: IssueCode,
    field: &str,
    index: Option<usize>,
    key: Option<&str>,
    message: &'static str,
) {
    let mut path = vec![PathSegment::from(field)];
    if let Some(index) = index {
        path.push(index.into());
    }
    if let Some(key) = key {
        path.push(key.into());
    }
    let record = if code.is_error() {
        Validation::error
    } else {
        Validation::warn
    };
    record(report, path, code, message.into());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::tests::valid;
    use crate::counters::Counters;
    use crate::phone::normalize;
    use serde_json::json;

    fn config(limits: Value, trusted: Value) -> Config {
        let mut value = valid();
        value["sendLimits"] = limits;
        value["trustedIps"] = trusted;
        crate::config::parse(&value).unwrap()
    }

    fn report(limits: Value, trusted: Value) -> Validation {
        let mut report = Validation::default();
        check_fields(Some(&limits), Some(&trusted), &mut report);
        report
    }

    fn issues(issues: &[crate::validation::Issue]) -> Vec<(String, &'static str)> {
        issues
            .iter()
            .map(|issue| {
                (
                    serde_json::to_string(&issue.path).unwrap(),
                    issue.code.as_str(),
                )
            })
            .collect()
    }

    fn to(number: &str) -> E164 {
        normalize(number).unwrap()
    }

    fn keys(plan: &Plan) -> Vec<&str> {
        plan.counters
            .iter()
            .map(|counter| counter.key.as_str())
            .collect()
    }

    fn three_rules() -> Value {
        json!([
            { "by": "ip", "max": 5, "perSeconds": 3600 },
            { "by": "prefix", "max": 20, "perSeconds": 3600 },
            { "by": "country", "max": 1000, "perSeconds": 86400 },
        ])
    }

    #[test]
    fn keys_name_the_account_the_rule_and_the_counted_value() {
        let config = config(three_rules(), json!([]));
        let planned = plan(&config, &to("8613711112222"), Some("2001:db8:1:2:3:4:5:6")).unwrap();
        assert_eq!(
            keys(&planned),
            [
                "tencent-sms-limit:{1400006666}:ip:5/3600:2001:db8:1:2::/64",
                "tencent-sms-limit:{1400006666}:prefix:20/3600:+861371111",
                "tencent-sms-limit:{1400006666}:country:1000/86400:CN",
            ]
        );
        assert_eq!(planned.note, None);
        let windows: Vec<u64> = planned.counters.iter().map(|c| c.check.window_ms).collect();
        assert_eq!(windows, [3_600_000, 3_600_000, 86_400_000]);
        // A +1 number is counted by its own country, by area code.
        let jamaica = plan(&config, &to("18765550123"), Some("::ffff:203.0.113.7")).unwrap();
        assert_eq!(
            keys(&jamaica),
            [
                "tencent-sms-limit:{1400006666}:ip:5/3600:203.0.113.7",
                "tencent-sms-limit:{1400006666}:prefix:20/3600:+1876555",
                "tencent-sms-limit:{1400006666}:country:1000/86400:JM",
            ]
        );
        let global = plan(&config, &to("+88213123456"), Some("203.0.113.7")).unwrap();
        assert!(
            global.counters[2].key.ends_with(":ZZ"),
            "no country: one shared counter"
        );
    }

    #[test]
    fn two_accounts_never_share_a_key_or_a_digest() {
        let one = config(three_rules(), json!([]));
        let mut value = valid();
        value["sendLimits"] = three_rules();
        value["sdkAppId"] = json!("1400009999");
        let other = crate::config::parse(&value).unwrap();
        let message = to("8613711112222");
        let (a, b) = (
            plan(&one, &message, Some("203.0.113.7")).unwrap(),
            plan(&other, &message, Some("203.0.113.7")).unwrap(),
        );
        for (a, b) in a.counters.iter().zip(&b.counters) {
            assert_ne!(a.key, b.key);
            assert_ne!(a.check.digest, b.check.digest);
        }
        // Braces or line breaks in sdkAppId cannot break the hash tag or the wire's lines.
        let mut value = valid();
        value["sendLimits"] = three_rules();
        value["sdkAppId"] = json!("14}\n{x");
        let odd = crate::config::parse(&value).unwrap();
        let planned = plan(&odd, &message, None).unwrap();
        assert!(planned.counters[0]
            .key
            .starts_with("tencent-sms-limit:{14___x}:prefix"));
    }

    #[test]
    fn ip_rules_skip_proxies_and_trusted_ranges_and_say_why() {
        let config = config(three_rules(), json!(["198.51.100.0/24", "10.0.0.0/8"]));
        let message = to("8613711112222");
        for (ip, shown) in [
            (None, "Logto passed no client address"),
            (Some(""), "Logto passed no client address"),
            (Some("unknown"), "not an IP address"),
            (Some("127.0.0.1"), "127.0.0.1, a loopback address,"),
            (
                Some("::ffff:192.168.1.9"),
                "192.168.1.9, a private address,",
            ),
            (
                Some("fd00:1:2:3:4:5:6:7"),
                "fd00:1:2:3::/64, a private address,",
            ),
        ] {
            let planned = plan(&config, &message, ip).unwrap();
            assert_eq!(
                planned.counters.len(),
                2,
                "{ip:?}: prefix and country still apply"
            );
            let note = planned.note.unwrap();
            assert!(note.contains(shown), "{note}");
            assert!(note.contains("TRUST_PROXY_HEADER=1"), "{note}");
            assert!(!note.contains('\n'));
        }
        for trusted in ["198.51.100.20", "10.1.2.3"] {
            let planned = plan(&config, &message, Some(trusted)).unwrap();
            assert_eq!(
                (planned.counters.len(), planned.note),
                (2, None),
                "{trusted}"
            );
        }
        let only_ip = self::config(
            json!([{ "by": "ip", "max": 5, "perSeconds": 60 }]),
            json!(["198.51.100.0/24"]),
        );
        assert_eq!(
            plan(&only_ip, &message, Some("198.51.100.1")),
            None,
            "nothing to count or say"
        );
        let no_ip = self::config(
            json!([{ "by": "prefix", "max": 5, "perSeconds": 60 }]),
            json!([]),
        );
        assert_eq!(
            plan(&no_ip, &message, None).unwrap().note,
            None,
            "no ip rule, nothing to say"
        );
    }

    #[test]
    fn a_refusal_names_the_rule_and_never_the_whole_number() {
        let config = config(three_rules(), json!([]));
        let planned = plan(&config, &to("8613711112222"), Some("203.0.113.7")).unwrap();
        assert_eq!(decide(&planned.counters, &[5, 20, 1000]), Ok(()));
        let ip = decide(&planned.counters, &[6, 1, 1]).unwrap_err();
        assert_eq!(ip.code, ErrorCode::RateLimitExceeded);
        assert!(
            ip.message().starts_with("sendLimits[0] (ip, 5 per 3600 s) refused this send (203.0.113.7): no SMS was sent."),
            "{}",
            ip.message()
        );
        let prefix = decide(&planned.counters, &[1, 21, 1001]).unwrap_err();
        assert!(
            prefix.message().starts_with(
                "sendLimits[1] (prefix, 20 per 3600 s) refused this send (+861371111…)"
            ),
            "{}",
            prefix.message()
        );
        assert!(!prefix.message().contains("8613711112222"));
        let country = decide(&planned.counters, &[1, 1, 1001]).unwrap_err();
        assert!(country
            .message()
            .starts_with("sendLimits[2] (country, 1000 per 86400 s) refused this send (CN)"));
    }

    #[test]
    fn a_repeated_rule_is_counted_once() {
        let rule = json!({ "by": "prefix", "max": 3, "perSeconds": 60 });
        let config = config(json!([rule, rule]), json!([]));
        let planned = plan(&config, &to("8613711112222"), None).unwrap();
        assert_eq!(planned.counters.len(), 1);
        let mut counters = Counters::new();
        let checks: Vec<Check> = planned.counters.iter().map(|c| c.check).collect();
        let sent = (0..10)
            .filter(|_| decide(&planned.counters, &counters.count(&checks, 0.0)).is_ok())
            .count();
        assert_eq!(sent, 3);
    }

    #[test]
    fn pumping_one_range_from_one_address_gets_at_most_max_and_users_are_never_refused() {
        let config = config(three_rules(), json!([]));
        let mut counters = Counters::new();
        let mut send = |number: String, ip: String| {
            let planned = plan(&config, &to(&number), Some(&ip)).unwrap();
            let checks: Vec<Check> = planned.counters.iter().map(|c| c.check).collect();
            decide(&planned.counters, &counters.count(&checks, 0.0)).is_ok()
        };
        let pumped = (0..500)
            .filter(|n| send(format!("861371111{n:04}"), "203.0.113.66".into()))
            .count();
        assert_eq!(pumped, 5, "the ip rule");
        let users = (0..500)
            .filter(|n| {
                send(
                    format!("86138{n:04}{n:04}"),
                    format!("198.51.{}.{}", n / 250, n % 250),
                )
            })
            .count();
        assert_eq!(users, 500);
    }

    #[test]
    fn fields_are_checked_with_errors_naming_the_field() {
        let report = report(
            json!([
                { "by": "ip", "max": 5, "perSeconds": 3600 },
                { "by": "range", "max": 0, "perSeconds": 2592001, "note": 1 },
                "ip",
                { "by": "prefix", "max": 1.5, "perSeconds": 60 },
            ]),
            json!(["10.0.0.0/8", "10.0.0.0/33", 7, " 2001:db8::/48 "]),
        );
        assert_eq!(
            issues(&report.errors),
            [
                (r#"["sendLimits",1,"by"]"#.to_owned(), "invalid_send_limit"),
                (r#"["sendLimits",1,"max"]"#.to_owned(), "invalid_send_limit"),
                (
                    r#"["sendLimits",1,"perSeconds"]"#.to_owned(),
                    "invalid_send_limit"
                ),
                (r#"["sendLimits",2]"#.to_owned(), "invalid_send_limit"),
                (r#"["sendLimits",3,"max"]"#.to_owned(), "invalid_send_limit"),
                (r#"["trustedIps",1]"#.to_owned(), "invalid_trusted_ip"),
                (r#"["trustedIps",2]"#.to_owned(), "invalid_trusted_ip"),
            ]
        );
        assert_eq!(
            issues(&report.warnings),
            [(r#"["sendLimits",1,"note"]"#.to_owned(), "unknown_key")]
        );
        let too_many: Vec<Value> = (0..17)
            .map(|_| json!({ "by": "ip", "max": 1, "perSeconds": 1 }))
            .collect();
        for (limits, trusted, path) in [
            (json!(too_many), json!([]), r#"["sendLimits"]"#),
            (json!({ "by": "ip" }), json!([]), r#"["sendLimits"]"#),
            (json!([]), json!("10.0.0.0/8"), r#"["trustedIps"]"#),
        ] {
            let report = self::report(limits, trusted);
            assert_eq!(report.errors.len(), 1);
            assert_eq!(serde_json::to_string(&report.errors[0].path).unwrap(), path);
        }
        for none in [Value::Null, json!([])] {
            let mut report = Validation::default();
            assert_eq!(check_fields(Some(&none), None, &mut report), Some(None));
            assert_eq!(check_fields(None, Some(&none), &mut report), Some(None));
            assert!(report.errors.is_empty() && report.warnings.is_empty());
        }
    }

    #[test]
    fn warnings_remind_of_the_proxy_header_and_flag_rules_that_add_nothing() {
        let report = report(
            json!([
                { "by": "prefix", "max": 20, "perSeconds": 3600 },
                { "by": "ip", "max": 5, "perSeconds": 3600 },
                { "by": "prefix", "max": 30, "perSeconds": 600 },
                { "by": "prefix", "max": 20, "perSeconds": 3600 },
                { "by": "prefix", "max": 100, "perSeconds": 86400 },
                { "by": "country", "max": 100, "perSeconds": 604800 },
            ]),
            json!([]),
        );
        assert!(report.errors.is_empty());
        assert_eq!(
            issues(&report.warnings),
            [
                (
                    r#"["sendLimits",1]"#.to_owned(),
                    "ip_limit_needs_proxy_header"
                ),
                (r#"["sendLimits",2]"#.to_owned(), "unused_send_limit"),
                (r#"["sendLimits",3]"#.to_owned(), "unused_send_limit"),
                (
                    r#"["sendLimits",5,"perSeconds"]"#.to_owned(),
                    "long_limit_window"
                ),
            ]
        );
        let report = self::report(
            json!([{ "by": "country", "max": 5, "perSeconds": 60 }]),
            json!(["10.0.0.0/8"]),
        );
        assert_eq!(
            issues(&report.warnings),
            [(r#"["trustedIps"]"#.to_owned(), "unused_trusted_ips")]
        );
    }
}
