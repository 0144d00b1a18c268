//! Client addresses as Logto passes them (`data.ip`, Koa's `ctx.request.ip`): IPv4, IPv6 and
//! IPv4-mapped IPv6, the /64 an IPv6 client owns, CIDR ranges, and the addresses that are not a
//! client's own (loopback, private, link-local: a proxy's, when Logto runs without
//! `TRUST_PROXY_HEADER`). Parsed and written here, not by `std::net`, whose parser and `Display`
//! cost kilobytes of wasm.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::text::{decimal, find_text};

/// An address, IPv4 ones as IPv4-mapped IPv6 (`::ffff:a.b.c.d`): one form, so ranges, keys and
/// the checks below have one code path (wasm size) and Node's `::ffff:` spelling of an IPv4
/// client of a dual-stack socket is that IPv4 client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Addr(u128);

const MAPPED: u128 = 0xffff << 32;

/// An address and how many leading bits of it a range fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: Addr,
    bits: u32,
}

impl Addr {
    pub fn is_v4(self) -> bool {
        self.0 >> 32 == 0xffff
    }
}

/// An IPv4 or IPv6 address; a zone (`%eth0`) is dropped, and so is a port, which some proxies
/// (Azure's) put in X-Forwarded-For: `203.0.113.7:51234`, `[2001:db8::1]:443`. Decimal octets
/// without leading zeros only: `010.0.0.1` is octal to some parsers and decimal to others.
pub fn parse(text: &str) -> Option<Addr> {
    let text = match text.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        // A byte scan: `rsplit_once` brings a reverse searcher into the wasm.
        None => match text.bytes().rposition(|byte| byte == b':') {
            Some(at)
                if !text.get(..at).unwrap_or_default().contains(':')
                    && digits(text.get(at + 1..).unwrap_or_default(), 10, 5).is_some() =>
            {
                text.get(..at).unwrap_or_default()
            }
            _ => text,
        },
    };
    let text = text.split('%').next().unwrap_or_default();
    if text.contains(':') {
        parse_v6(text).map(Addr)
    } else {
        parse_v4(text).map(|v4| Addr(MAPPED | u128::from(v4)))
    }
}

fn parse_v4(text: &str) -> Option<u32> {
    let mut value = 0_u32;
    let mut octets = 0;
    for octet in text.split('.') {
        let number = digits(octet, 10, 3)?;
        if number > 255 || (octet.len() > 1 && octet.starts_with('0')) {
            return None;
        }
        value = (value << 8) | number;
        octets += 1;
    }
    (octets == 4).then_some(value)
}

/// 1 to `max` digits of `radix` (10 or 16), nothing else.
fn digits(text: &str, radix: u32, max: usize) -> Option<u32> {
    if text.is_empty() || text.len() > max {
        return None;
    }
    // `to_digit(16)` and a bound, not `to_digit(radix)`: a radix not known at compile time
    // keeps its invalid-radix panic path in the wasm.
    text.chars().try_fold(0_u32, |value, digit| {
        Some(value * radix + digit.to_digit(16).filter(|digit| *digit < radix)?)
    })
}

fn parse_v6(text: &str) -> Option<u128> {
    // `find_text`, not `split_once("::")`, whose substring searcher costs kilobytes of wasm.
    let (head, tail) = match find_text(text, "::") {
        Some(at) => (
            text.get(..at).unwrap_or_default(),
            Some(text.get(at + 2..).unwrap_or_default()),
        ),
        None => (text, None),
    };
    let mut groups = Vec::with_capacity(8);
    push_groups(head, tail.is_none(), &mut groups)?;
    let before = groups.len();
    if let Some(tail) = tail {
        push_groups(tail, true, &mut groups)?;
    }
    // `::` stands for at least one zero group.
    let zeros = match tail {
        Some(_) if groups.len() <= 7 => 8 - groups.len() as u32,
        None if groups.len() == 8 => 0,
        _ => return None,
    };
    let mut value = 0_u128;
    for (index, group) in groups.iter().enumerate() {
        if index == before {
            value = value.checked_shl(16 * zeros).unwrap_or(0);
        }
        value = (value << 16) | u128::from(*group);
    }
    if before == groups.len() {
        value = value.checked_shl(16 * zeros).unwrap_or(0);
    }
    Some(value)
}

/// Colon-separated hex groups; the last may be dotted IPv4 when `last` (two groups).
fn push_groups(part: &str, last: bool, groups: &mut Vec<u16>) -> Option<()> {
    if part.is_empty() {
        return Some(());
    }
    let mut ended = false;
    for piece in part.split(':') {
        // Dotted IPv4 only as the last piece of the last part.
        if ended || groups.len() >= 8 {
            return None;
        }
        if last && piece.contains('.') {
            let v4 = parse_v4(piece)?;
            groups.push((v4 >> 16) as u16);
            groups.push(v4 as u16);
            ended = true;
        } else {
            groups.push(digits(piece, 16, 4)? as u16);
        }
    }
    Some(())
}

/// Addresses that are not a client's own public one, IPv4 ranges as mapped, with the phrase
/// messages use.
const NOT_CLIENTS: [(u128, u32, &str); 11] = [
    (MAPPED | 0x7f00_0000, 104, "a loopback address"),
    (1, 128, "a loopback address"),
    (MAPPED | 0x0a00_0000, 104, "a private address"),
    (MAPPED | 0xac10_0000, 108, "a private address"),
    (MAPPED | 0xc0a8_0000, 112, "a private address"),
    (0xfc00 << 112, 7, "a private address"),
    (
        MAPPED | 0x6440_0000,
        106,
        "a shared (carrier-grade NAT) address",
    ),
    (MAPPED | 0xa9fe_0000, 112, "a link-local address"),
    (0xfe80 << 112, 10, "a link-local address"),
    (MAPPED, 104, "an unspecified address"),
    (0, 128, "an unspecified address"),
];

/// Why `addr` is not a client's own public address, as a phrase for messages; `None` when it is.
pub fn not_a_client(addr: Addr) -> Option<&'static str> {
    NOT_CLIENTS
        .iter()
        .find(|(prefix, bits, _)| within(*prefix, *bits, addr.0))
        .map(|(_, _, reason)| *reason)
}

/// Whether `value` shares the first `bits` bits of `prefix`.
fn within(prefix: u128, bits: u32, value: u128) -> bool {
    (prefix ^ value).checked_shr(128 - bits).unwrap_or(0) == 0
}

/// The counter key of a client: an IPv4 address as it is, an IPv6 one by its /64 (one
/// subscriber's network: a host picks any address in it at will).
pub fn client_key(addr: Addr) -> String {
    let value = addr.0;
    let mut text = String::with_capacity(24);
    // Ranges, not arrays of shifts: an array iterator costs more wasm.
    if addr.is_v4() {
        for octet in (0..4_u32).rev() {
            text.push_str(&decimal(((value >> (8 * octet)) & 0xff) as u64));
            if octet > 0 {
                text.push('.');
            }
        }
        return text;
    }
    for group in (4..8_u32).rev() {
        let group = (value >> (16 * group)) as u16;
        let mut started = false;
        for nibble in (0..4_u16).rev() {
            let digit = (group >> (4 * nibble)) & 0xf;
            if digit != 0 || started || nibble == 0 {
                started = true;
                text.push(char::from_digit(u32::from(digit), 16).unwrap_or('0'));
            }
        }
        text.push(':');
    }
    text.push_str(":/64");
    text
}

/// `address/bits`, or an address alone for just itself. An IPv4 range is written with IPv4
/// lengths (`10.0.0.0/8`), a mapped IPv6 one with IPv6 lengths (`::ffff:10.0.0.0/104`).
pub fn parse_cidr(text: &str) -> Option<Cidr> {
    let (address, bits) = match text.split_once('/') {
        Some((address, bits)) => (address, Some(digits(bits, 10, 3)?)),
        None => (text, None),
    };
    if address.contains('%') {
        return None;
    }
    let addr = parse(address)?;
    // IPv4 lengths count from the mapped form's 97th bit.
    let offset = if address.contains(':') { 0 } else { 96 };
    let bits = bits.unwrap_or(128 - offset) + offset;
    (bits <= 128).then_some(Cidr { addr, bits })
}

impl Cidr {
    pub fn contains(&self, addr: Addr) -> bool {
        within(self.addr.0, self.bits, addr.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv6Addr;

    fn v6(text: &str) -> Addr {
        Addr(u128::from(text.parse::<Ipv6Addr>().unwrap()))
    }

    fn v4(value: u32) -> Addr {
        Addr(MAPPED | u128::from(value))
    }

    #[test]
    fn addresses_parse_as_std_reads_them() {
        for text in [
            "::",
            "::1",
            "1::",
            "2001:db8::1",
            "2001:DB8:0:0:8:800:200C:417A",
            "fe80::1:2:3:4",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6::8",
            "::2:3:4:5:6:7:8",
            "64:ff9b::192.0.2.33",
            "::1.2.3.4",
        ] {
            assert_eq!(parse(text), Some(v6(text)), "{text}");
        }
        assert_eq!(parse("203.0.113.7"), Some(v4(0xcb00_7107)));
        assert_eq!(parse("::ffff:203.0.113.7"), Some(v4(0xcb00_7107)));
        assert_eq!(parse("::FFFF:cb00:7107"), Some(v4(0xcb00_7107)));
        assert!(v4(1).is_v4() && !v6("::1").is_v4());
        assert_eq!(parse("fe80::1%eth0"), Some(v6("fe80::1")));
        assert_eq!(
            parse("203.0.113.7:51234"),
            Some(v4(0xcb00_7107)),
            "a port is dropped"
        );
        assert_eq!(parse("[2001:db8::1]:443"), Some(v6("2001:db8::1")));
        assert_eq!(parse("[::ffff:203.0.113.7]"), Some(v4(0xcb00_7107)));
        assert_eq!(parse("203.0.113.7:"), None);
        assert_eq!(parse("203.0.113.7:123456"), None);
        for bad in [
            "",
            "1.2.3",
            "1.2.3.4.5",
            "256.1.1.1",
            "01.2.3.4",
            "1.2.3.-4",
            "+1.2.3.4",
            ":::",
            "1:::2",
            ":1::",
            "1::2::3",
            "1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7::8",
            "12345::",
            "g::",
            "+1::",
            "1.2.3.4::",
            "::1.2.3.4:5",
            "localhost",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;
        use std::net::Ipv4Addr;

        proptest! {
            #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]
            #[test]
            fn every_address_std_writes_parses_back(bits: u128, value: u32) {
                prop_assert_eq!(parse(&Ipv6Addr::from(bits).to_string()), Some(Addr(bits)));
                let text = Ipv4Addr::from(value).to_string();
                prop_assert_eq!(parse(&text), Some(v4(value)));
                prop_assert_eq!(client_key(v4(value)), text);
            }

            #[test]
            fn addresses_in_one_slash_64_share_a_key_and_others_never_do(
                network: u64, host: u64, other_host: u64, other_network: u64
            ) {
                prop_assume!(network != 0);
                let address = |network: u64, host: u64| Addr((u128::from(network) << 64) | u128::from(host));
                let key = client_key(address(network, host));
                prop_assert_eq!(&key, &client_key(address(network, other_host)));
                prop_assert!(key.ends_with("::/64"));
                // The key is the /64 std writes, so every spelling of an address meets in it.
                let std_network = Ipv6Addr::from(u128::from(network) << 64).to_string();
                prop_assert_eq!(parse(key.trim_end_matches("/64")), parse(&std_network));
                if other_network != network {
                    prop_assert_ne!(key, client_key(address(other_network, host)));
                }
            }

            #[test]
            fn a_cidr_contains_exactly_the_addresses_sharing_its_prefix(range: u128, value: u128, bits in 0_u32..=128) {
                let cidr = parse_cidr(&format!("{}/{bits}", Ipv6Addr::from(range))).unwrap();
                let expected = (range ^ value).checked_shr(128 - bits).unwrap_or(0) == 0;
                prop_assert_eq!(cidr.contains(Addr(value)), expected);
            }

            #[test]
            fn an_ipv4_cidr_is_its_mapped_range(range: u32, value: u32, bits in 0_u32..=32) {
                let cidr = parse_cidr(&format!("{}/{bits}", Ipv4Addr::from(range))).unwrap();
                let expected = (range ^ value).checked_shr(32 - bits).unwrap_or(0) == 0;
                prop_assert_eq!(cidr.contains(v4(value)), expected);
            }
        }
    }

    #[test]
    fn the_slash_64_key_is_compact_lower_case_hex() {
        let key = |text| client_key(parse(text).unwrap());
        assert_eq!(key("2001:DB8:0001:0002:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(key("2001:db8:1:2:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64");
        assert_eq!(key("2001:db8::"), "2001:db8:0:0::/64");
        assert_eq!(key("::ffff:198.51.100.4"), "198.51.100.4");
    }

    #[test]
    fn ranges_match_their_own_family_and_mapped_ranges_match_ipv4() {
        let cidr = |text| parse_cidr(text).unwrap();
        let addr = |text| parse(text).unwrap();
        assert!(cidr("203.0.113.0/24").contains(addr("203.0.113.255")));
        assert!(!cidr("203.0.113.0/24").contains(addr("203.0.114.0")));
        assert!(
            cidr("203.0.113.9/24").contains(addr("203.0.113.1")),
            "host bits are ignored"
        );
        assert!(cidr("0.0.0.0/0").contains(addr("8.8.8.8")));
        assert!(!cidr("0.0.0.0/0").contains(addr("::1")));
        assert!(cidr("198.51.100.7").contains(addr("::ffff:198.51.100.7")));
        assert!(!cidr("198.51.100.7").contains(addr("198.51.100.8")));
        assert!(cidr("::ffff:10.0.0.0/104").contains(addr("10.9.9.9")));
        assert!(cidr("2001:db8::/32").contains(addr("2001:db8:ffff::1")));
        assert!(!cidr("2001:db8::/32").contains(addr("2001:db9::1")));
        assert!(cidr("2001:db8::1").contains(addr("2001:db8::1")));
        assert!(!cidr("2001:db8::1").contains(addr("2001:db8::2")));
        for bad in [
            "10.0.0.0/33",
            "::/129",
            "10.0.0.0/",
            "10.0.0.0/x",
            "fe80::1%1/64",
            "nope/8",
            "1.2.3.4/-1",
        ] {
            assert_eq!(parse_cidr(bad), None, "{bad}");
        }
    }

    #[test]
    fn proxies_and_private_networks_are_not_clients() {
        let reason = |text| not_a_client(parse(text).unwrap());
        for (text, expected) in [
            ("127.0.0.1", Some("a loopback address")),
            ("::ffff:127.0.0.1", Some("a loopback address")),
            ("::1", Some("a loopback address")),
            ("10.1.2.3", Some("a private address")),
            ("172.16.0.1", Some("a private address")),
            ("172.31.255.255", Some("a private address")),
            ("192.168.1.1", Some("a private address")),
            ("fd12:3456::1", Some("a private address")),
            ("fc00::1", Some("a private address")),
            ("100.64.0.1", Some("a shared (carrier-grade NAT) address")),
            (
                "100.127.255.255",
                Some("a shared (carrier-grade NAT) address"),
            ),
            ("169.254.1.1", Some("a link-local address")),
            ("fe80::1", Some("a link-local address")),
            ("febf::1", Some("a link-local address")),
            ("0.0.0.0", Some("an unspecified address")),
            ("0.1.2.3", Some("an unspecified address")),
            ("::", Some("an unspecified address")),
            ("172.32.0.1", None),
            ("100.128.0.1", None),
            ("192.169.0.1", None),
            ("203.0.113.7", None),
            ("2001:db8::1", None),
            ("fec0::1", None),
            ("8.8.8.8", None),
            ("::2", None),
        ] {
            assert_eq!(reason(text), expected, "{text}");
        }
    }
}
