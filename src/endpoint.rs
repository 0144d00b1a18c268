//! The `endpoint` field: only forms that `fetch` sends unchanged, so the Host that is signed is the
//! Host that is sent. WHATWG URL parsing rewrites `127.000.000.001`, `127.1`, `0x7f.0.0.1`, `:080`,
//! `[0:0::1]` and drops `:443`/`:80`; and fetch refuses the Fetch standard's bad ports outright.

#[allow(unused_imports)]
use crate::prelude::*;

use core::fmt;

use crate::text::{concat, find_text, whole_number};
use crate::validation::IssueCode;

/// China-site accounts (cloud.tencent.com).
pub const DEFAULT_HOST: &str = "sms.tencentcloudapi.com";
/// International-site accounts (tencentcloud.com): the SendSms domain of the international API
/// reference. Signed with service `sms`, like every `sms.*` host.
pub const INTERNATIONAL_HOST: &str = "sms.intl.tencentcloudapi.com";

/// Fetch standard, "port blocking" (https://fetch.spec.whatwg.org/#port-blocking; 4190 and 6679
/// added by whatwg/fetch#1663): fetch fails every request to these ports on http(s).
pub const BAD_PORTS: [u16; 82] = [
    1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102,
    103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465,
    512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993,
    995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668,
    6669, 6679, 6697, 10080,
];

/// Where SendSms goes: `url` to fetch, `host` as sent and signed (port only when not the default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub url: String,
    pub host: String,
}

/// Why an endpoint was refused: an issue code and the rest of a sentence that starts with
/// "endpoint ".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndpointError(pub IssueCode, pub &'static str);

impl fmt::Display for EndpointError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "endpoint {}", self.1)
    }
}

impl core::error::Error for EndpointError {}

const BAD_FORMAT: EndpointError = EndpointError(
    IssueCode::InvalidEndpoint,
    "must be a host like \"sms.tencentcloudapi.com\" (China site) or \"sms.intl.tencentcloudapi.com\" (international site), or an https:// URL without path, query or credentials",
);
const BAD_NAME: EndpointError = EndpointError(
    IssueCode::InvalidEndpoint,
    "has an invalid host name: use letters, digits and hyphens in dot-separated labels (RFC 1123), e.g. \"sms.ap-guangzhou.tencentcloudapi.com\"",
);
const BAD_PUNYCODE: EndpointError = EndpointError(
    IssueCode::InvalidEndpoint,
    "has a label starting \"xn--\" that is not valid Punycode of a host name, which fetch refuses: copy the host name again, or write it in its ASCII form",
);
const BAD_IPV4: EndpointError = EndpointError(
    IssueCode::InvalidEndpoint,
    "has an IPv4 address fetch would rewrite: write four decimal numbers 0-255 without leading zeros, e.g. 127.0.0.1",
);
const BAD_IPV6: EndpointError = EndpointError(
    IssueCode::InvalidEndpoint,
    "has an IPv6 address fetch would rewrite: write it in brackets, lower-case hex without leading zeros, the longest run of zero groups as ::, e.g. [::1]",
);
const BAD_PORT_FORMAT: EndpointError = EndpointError(
    IssueCode::InvalidEndpoint,
    "has an invalid port: use a number from 1 to 65535 without leading zeros",
);
const BLOCKED_PORT: EndpointError = EndpointError(
    IssueCode::BlockedPort,
    "uses a port that fetch refuses (the Fetch standard's bad ports, e.g. 25 or 6667): every send would fail; use another port",
);

pub fn default_endpoint() -> Endpoint {
    Endpoint {
        url: concat(&["https://", DEFAULT_HOST, "/"]),
        host: DEFAULT_HOST.to_owned(),
    }
}

/// `https://host[:port][/]` or a bare `host[:port]` (https); `http://` only for loopback hosts.
/// A default port (`:443` for https, `:80` for http) is dropped, as fetch drops it.
pub fn parse_endpoint(raw: &str) -> Result<Endpoint, EndpointError> {
    let (secure, rest) = if let Some(rest) = raw.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = raw.strip_prefix("http://") {
        (false, rest)
    } else if raw
        .split_once(':')
        .is_some_and(|(_, rest)| rest.starts_with("//"))
    {
        return Err(EndpointError(
            IssueCode::InvalidEndpoint,
            "must use https:// (http:// is allowed only for 127.x.x.x, [::1] or localhost)",
        ));
    } else {
        (true, raw)
    };
    let authority = rest.strip_suffix('/').unwrap_or(rest).to_ascii_lowercase();
    let (name, port) = split_port(&authority)?;
    check_name(name)?;
    let port = match port {
        Some(port) => check_port(port, secure)?,
        None => None,
    };
    if !secure && !is_loopback(name) {
        return Err(EndpointError(
            IssueCode::InsecureEndpoint,
            "uses http://, which would send the API signature in clear text: use https:// (http:// is allowed only for 127.x.x.x, [::1] or localhost)",
        ));
    }
    let mut host = String::with_capacity(authority.len());
    host.push_str(name);
    if let Some(port) = port {
        host.push(':');
        host.push_str(port);
    }
    let scheme = if secure { "https://" } else { "http://" };
    Ok(Endpoint {
        url: concat(&[scheme, &host, "/"]),
        host,
    })
}

/// The host name and the text after its port colon, if any.
fn split_port(authority: &str) -> Result<(&str, Option<&str>), EndpointError> {
    if authority.starts_with('[') {
        let Some(end) = authority.find(']') else {
            return Err(BAD_IPV6);
        };
        // `split_at_checked`, not `split_at`: the panic path would pull kilobytes of formatting in.
        let (name, rest) = authority.split_at_checked(end + 1).ok_or(BAD_IPV6)?;
        return match rest {
            "" => Ok((name, None)),
            _ => match rest.strip_prefix(':') {
                Some(port) => Ok((name, Some(port))),
                None => Err(BAD_FORMAT),
            },
        };
    }
    Ok(match authority.split_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (authority, None),
    })
}

fn check_name(name: &str) -> Result<(), EndpointError> {
    if name.is_empty() {
        return Err(BAD_FORMAT);
    }
    if let Some(inner) = name.strip_prefix('[') {
        let address = inner.strip_suffix(']').ok_or(BAD_IPV6)?;
        return match canonical_ipv6(address) {
            Some(canonical) if canonical == address => Ok(()),
            _ => Err(BAD_IPV6),
        };
    }
    if !name
        .bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'.')
    {
        // Covers paths, queries, credentials, spaces and non-ASCII names alike.
        return Err(
            // Bytes, not `contains` with a char array (a generic searcher); all are ASCII.
            if name.bytes().any(|byte| b"/?#@\\ %:".contains(&byte)) {
                BAD_FORMAT
            } else {
                BAD_NAME
            },
        );
    }
    // WHATWG URL reads a host whose last label (before an optional final dot) is a number as
    // IPv4 and rewrites it.
    let trimmed = name.strip_suffix('.').unwrap_or(name);
    let last = trimmed
        .bytes()
        .rposition(|byte| byte == b'.')
        .and_then(|dot| trimmed.get(dot + 1..))
        .unwrap_or(trimmed);
    if !last.is_empty() && (crate::text::is_digits(last) || last.starts_with("0x")) {
        return if is_canonical_ipv4(name) {
            Ok(())
        } else {
            Err(BAD_IPV4)
        };
    }
    let labels_ok = name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
    if !labels_ok {
        return Err(BAD_NAME);
    }
    // WHATWG URL decodes every `xn--` label (UTS 46 ToASCII) and refuses the host when it does
    // not decode to a valid label; fetch then fails before connecting.
    if name
        .split('.')
        .filter_map(|label| label.strip_prefix("xn--"))
        .all(is_valid_punycode)
    {
        Ok(())
    } else {
        Err(BAD_PUNYCODE)
    }
}

/// Whether the part of a label after `xn--` is Punycode that WHATWG URL keeps unchanged: it
/// decodes, to a label with a non-ASCII character, of code points surely valid under UTS 46,
/// and encodes back to the same text. The code point check is a short allow-list instead of
/// the UTS 46 tables (kilobytes of wasm): an exotic but valid name is refused, never the reverse.
fn is_valid_punycode(encoded: &str) -> bool {
    let Some(decoded) = punycode::decode(encoded) else {
        return false;
    };
    decoded.iter().any(|character| !character.is_ascii())
        && decoded
            .iter()
            .all(|&character| is_allowed_in_label(character))
        && punycode::encode(&decoded).as_deref() == Some(encoded)
}

/// Lower-case or uncased letters, precomposed and left-to-right (so NFC, no bidi or joiner
/// rules apply): Latin-1, Greek, Cyrillic, kana, CJK ideographs and Hangul syllables.
fn is_allowed_in_label(character: char) -> bool {
    matches!(character,
        'a'..='z' | '0'..='9' | '-'
        | '\u{DF}'..='\u{F6}' | '\u{F8}'..='\u{FF}'
        | '\u{3AC}'..='\u{3CE}'
        | '\u{430}'..='\u{44F}' | '\u{451}'..='\u{45F}'
        | '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | '\u{30FC}'
        | '\u{4E00}'..='\u{9FEF}'
        | '\u{AC00}'..='\u{D7A3}')
}

/// Punycode (RFC 3492) with the parameters IDNA uses; arithmetic overflow is a failure.
mod punycode {
    #[allow(unused_imports)]
    use crate::prelude::*;

    const BASE: u32 = 36;
    const T_MIN: u32 = 1;
    const T_MAX: u32 = 26;
    const SKEW: u32 = 38;
    const DAMP: u32 = 700;
    const INITIAL_BIAS: u32 = 72;
    const INITIAL_N: u32 = 128;

    fn adapt(delta: u32, points: u32, first: bool) -> u32 {
        let mut delta = if first { delta / DAMP } else { delta / 2 };
        // `max(1)`: no division-by-zero panic path in the wasm.
        delta += delta / points.max(1);
        let mut k = 0;
        while delta > ((BASE - T_MIN) * T_MAX) / 2 {
            delta /= BASE - T_MIN;
            k += BASE;
        }
        k + (((BASE - T_MIN + 1) * delta) / (delta + SKEW))
    }

    fn threshold(k: u32, bias: u32) -> u32 {
        k.saturating_sub(bias).clamp(T_MIN, T_MAX)
    }

    fn digit_value(byte: u8) -> Option<u32> {
        match byte {
            b'a'..=b'z' => Some(u32::from(byte - b'a')),
            b'0'..=b'9' => Some(u32::from(byte - b'0') + 26),
            _ => None,
        }
    }

    fn digit(value: u32) -> char {
        let value = value as u8;
        char::from(if value < 26 {
            b'a' + value
        } else {
            b'0' + value - 26
        })
    }

    pub fn decode(input: &str) -> Option<Vec<char>> {
        let (basic, extended) = match input.bytes().rposition(|byte| byte == b'-') {
            Some(at) => (input.get(..at)?, input.get(at + 1..)?),
            None => ("", input),
        };
        let mut output: Vec<char> = crate::text::chars(basic);
        let (mut n, mut i, mut bias) = (INITIAL_N, 0_u32, INITIAL_BIAS);
        let mut bytes = extended.bytes().peekable();
        while bytes.peek().is_some() {
            let old_i = i;
            let mut weight = 1_u32;
            let mut k = BASE;
            loop {
                let value = digit_value(bytes.next()?)?;
                i = i.checked_add(value.checked_mul(weight)?)?;
                let t = threshold(k, bias);
                if value < t {
                    break;
                }
                weight = weight.checked_mul(BASE - t)?;
                k += BASE;
            }
            let length = u32::try_from(output.len()).ok()? + 1;
            bias = adapt(i - old_i, length, old_i == 0);
            n = n.checked_add(i.checked_div(length)?)?;
            i = i.checked_rem(length)?;
            // A label has at most 63 bytes: longer output is not a label anyway.
            if output.len() >= 63 {
                return None;
            }
            // Not `insert` or `rotate_right`: each costs hundreds of bytes of wasm.
            let at = usize::try_from(i).ok()?;
            output.push(char::from_u32(n)?);
            for index in (at..output.len().saturating_sub(1)).rev() {
                // Not `swap`: its bounds check leaves a panic path in the wasm.
                if let Some([left, right]) = output.get_mut(index..index + 2) {
                    core::mem::swap(left, right);
                }
            }
            i += 1;
        }
        Some(output)
    }

    pub fn encode(input: &[char]) -> Option<String> {
        let mut output: String = input.iter().filter(|c| c.is_ascii()).collect();
        let basic = u32::try_from(output.len()).ok()?;
        if basic > 0 {
            output.push('-');
        }
        let (mut n, mut delta, mut bias, mut handled) = (INITIAL_N, 0_u32, INITIAL_BIAS, basic);
        let total = u32::try_from(input.len()).ok()?;
        while handled < total {
            let next = input
                .iter()
                .map(|&c| u32::from(c))
                .filter(|&c| c >= n)
                .min()?;
            delta = delta.checked_add((next - n).checked_mul(handled + 1)?)?;
            n = next;
            for &character in input {
                let code = u32::from(character);
                if code < n {
                    delta = delta.checked_add(1)?;
                }
                if code == n {
                    let mut q = delta;
                    let mut k = BASE;
                    loop {
                        let t = threshold(k, bias);
                        if q < t {
                            break;
                        }
                        output.push(digit(t + (q - t) % (BASE - t)));
                        q = (q - t) / (BASE - t);
                        k += BASE;
                    }
                    output.push(digit(q));
                    bias = adapt(delta, handled + 1, handled == basic);
                    delta = 0;
                    handled += 1;
                }
            }
            delta = delta.checked_add(1)?;
            n = n.checked_add(1)?;
        }
        Some(output)
    }
}

fn is_canonical_ipv4(name: &str) -> bool {
    let mut count = 0;
    let all_ok = name.split('.').all(|octet| {
        count += 1;
        !octet.is_empty()
            && crate::text::is_digits(octet)
            && (octet == "0" || !octet.starts_with('0'))
            && whole_number(octet).is_some_and(|number| number <= 255)
    });
    all_ok && count == 4
}

/// The WHATWG URL serialisation of an IPv6 address given without brackets, or `None` when it
/// is not one. Embedded IPv4 (`::ffff:1.2.3.4`) is refused: fetch would rewrite it as hex.
fn canonical_ipv6(address: &str) -> Option<String> {
    let mut pieces = [0_u16; 8];
    let parse_groups = |text: &str| -> Option<Vec<u16>> {
        if text.is_empty() {
            return Some(Vec::new());
        }
        // A loop, not `collect` into `Option<Vec>`: its adapters are generic bodies in the wasm.
        let mut groups = Vec::new();
        for group in text.split(':') {
            if group.is_empty() || group.len() > 4 {
                return None;
            }
            // Hex digits only (checked above), at most four: fits in u16.
            groups.push(group.bytes().fold(0_u16, |value, byte| {
                let digit = char::from(byte).to_digit(16).unwrap_or(0) as u16;
                (value << 4) | digit
            }));
        }
        Some(groups)
    };
    if !address
        .bytes()
        .all(|byte| byte.is_ascii_hexdigit() || byte == b':')
    {
        return None;
    }
    let compressed = find_text(address, "::").and_then(|at| {
        let (head, tail) = address.split_at_checked(at)?;
        Some((head, tail.get(2..).unwrap_or_default()))
    });
    match compressed {
        Some((head, tail)) => {
            let head = parse_groups(head)?;
            let tail = parse_groups(tail)?;
            if head.len() + tail.len() > 7 {
                return None;
            }
            for (slot, piece) in pieces.iter_mut().zip(&head) {
                *slot = *piece;
            }
            for (slot, piece) in pieces.iter_mut().rev().zip(tail.iter().rev()) {
                *slot = *piece;
            }
        }
        None => {
            let groups = parse_groups(address)?;
            if groups.len() != 8 {
                return None;
            }
            for (slot, piece) in pieces.iter_mut().zip(&groups) {
                *slot = *piece;
            }
        }
    }
    // The first longest run of two or more zero pieces is written as "::".
    let (mut best_start, mut best_len, mut run_start, mut run_len) = (0, 0, 0, 0);
    for (index, piece) in pieces.iter().enumerate() {
        if *piece == 0 {
            if run_len == 0 {
                run_start = index;
            }
            run_len += 1;
            if run_len > best_len {
                (best_start, best_len) = (run_start, run_len);
            }
        } else {
            run_len = 0;
        }
    }
    let mut out = String::with_capacity(39);
    let mut index = 0;
    while index < 8 {
        if best_len >= 2 && index == best_start {
            out.push_str(if index == 0 { "::" } else { ":" });
            index += best_len;
            continue;
        }
        out.push_str(&lower_hex(*pieces.get(index)?));
        if index < 7 {
            out.push(':');
        }
        index += 1;
    }
    Some(out)
}

fn lower_hex(piece: u16) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(4);
    let mut started = false;
    for shift in [12_u16, 8, 4, 0] {
        let nibble = usize::from((piece >> shift) & 0xf);
        if nibble != 0 || started || shift == 0 {
            started = true;
            out.push(char::from(DIGITS.get(nibble).copied().unwrap_or(b'0')));
        }
    }
    out
}

/// The port to keep in the Host (`None` for the scheme's default, which fetch drops).
fn check_port(port: &str, secure: bool) -> Result<Option<&str>, EndpointError> {
    if port.is_empty() || port.len() > 5 || port.starts_with('0') || !crate::text::is_digits(port) {
        return Err(BAD_PORT_FORMAT);
    }
    let number = match whole_number(port).map(u16::try_from) {
        Some(Ok(number)) if number > 0 => number,
        _ => return Err(BAD_PORT_FORMAT),
    };
    if (secure && number == 443) || (!secure && number == 80) {
        return Ok(None);
    }
    if BAD_PORTS.contains(&number) {
        return Err(BLOCKED_PORT);
    }
    Ok(Some(port))
}

fn is_loopback(name: &str) -> bool {
    name == "localhost" || name == "[::1]" || (name.starts_with("127.") && is_canonical_ipv4(name))
}

/// A DNS name, IPv4 address or bracketed IPv6 address, with an optional port: the looser check
/// `signRequest` applies to any API host (the `endpoint` field is held to `parse_endpoint`).
pub fn is_host(host: &str) -> bool {
    // A byte scan: `rsplit_once` brings a reverse searcher into the wasm.
    let last_colon = host.bytes().rposition(|byte| byte == b':');
    let split = last_colon.and_then(|at| Some((host.get(..at)?, host.get(at + 1..)?)));
    let (name, port) = match split {
        Some((name, _)) if !name.ends_with(']') && name.contains(':') => (host, None),
        Some((name, port)) => (name, Some(port)),
        None => (host, None),
    };
    if let Some(port) = port {
        if port.is_empty() || port.len() > 5 || !crate::text::is_digits(port) {
            return false;
        }
        if !whole_number(port).is_some_and(|number| (1..=65_535).contains(&number)) {
            return false;
        }
    }
    if let Some(inner) = name.strip_prefix('[') {
        let Some(address) = inner.strip_suffix(']') else {
            return false;
        };
        return !address.is_empty()
            && address
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
    }
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(raw: &str) -> &'static str {
        parse_endpoint(raw).unwrap_err().0.as_str()
    }

    #[test]
    fn hosts_and_https_urls_are_accepted_and_default_ports_dropped() {
        let host = parse_endpoint("sms.ap-guangzhou.tencentcloudapi.com").unwrap();
        assert_eq!(host.url, "https://sms.ap-guangzhou.tencentcloudapi.com/");
        assert_eq!(host.host, "sms.ap-guangzhou.tencentcloudapi.com");
        assert_eq!(
            parse_endpoint(INTERNATIONAL_HOST).unwrap().url,
            "https://sms.intl.tencentcloudapi.com/"
        );
        assert_eq!(
            parse_endpoint("https://SMS.tencentcloudapi.com:443/")
                .unwrap()
                .host,
            "sms.tencentcloudapi.com"
        );
        let local = parse_endpoint("http://127.0.0.1:80").unwrap();
        assert_eq!(
            (local.url.as_str(), local.host.as_str()),
            ("http://127.0.0.1/", "127.0.0.1")
        );
        // Not the scheme's default: kept, as fetch keeps it.
        assert_eq!(parse_endpoint("https://x.com:80").unwrap().host, "x.com:80");
        assert_eq!(
            parse_endpoint("http://[::1]:8080").unwrap().host,
            "[::1]:8080"
        );
        assert_eq!(
            parse_endpoint("http://localhost").unwrap().host,
            "localhost"
        );
        assert_eq!(default_endpoint(), parse_endpoint(DEFAULT_HOST).unwrap());
    }

    #[test]
    fn forms_fetch_would_rewrite_are_refused() {
        for raw in [
            "http://127.000.000.001:8080",
            "http://127.1",
            "http://0x7f.0.0.1",
            "https://1.2.3",
            "https://123",
            "https://1.2.3.256",
            "https://01.2.3.4",
        ] {
            assert_eq!(parse_endpoint(raw).unwrap_err(), BAD_IPV4, "{raw}");
        }
        for raw in [
            "http://[0:0::1]",
            "http://[::0001]",
            "http://[::ffff:127.0.0.1]",
            "http://[1:0:0:2:0:0:0:3]",
            "http://[::1",
            "https://[.]",
            "https://[]",
        ] {
            assert_eq!(parse_endpoint(raw).unwrap_err(), BAD_IPV6, "{raw}");
        }
        assert_eq!(
            parse_endpoint("https://[1::2:0:0:0:3]").unwrap_err(),
            BAD_IPV6
        );
        assert!(parse_endpoint("https://[1:0:0:2::3]").is_ok());
        assert!(parse_endpoint("https://[2001:db8::]").is_ok());
        for raw in [
            "http://localhost:080",
            "https://x.com:",
            "https://x.com:0",
            "https://x.com:65536",
            "https://x.com:8o",
        ] {
            assert_eq!(parse_endpoint(raw).unwrap_err(), BAD_PORT_FORMAT, "{raw}");
        }
        for raw in [
            "a..b",
            "-a.com",
            "a-.com",
            "a_b.com",
            "tëst.com",
            "x.com.",
            &"a".repeat(64),
        ] {
            assert_eq!(parse_endpoint(raw).unwrap_err(), BAD_NAME, "{raw}");
        }
    }

    #[test]
    fn punycode_labels_must_decode_to_a_valid_name_and_back() {
        for good in [
            "xn--bcher-kva.com",
            "xn--fiqs8s.xn--fiqz9s",
            "xn--e1afmkfd.com",
            "sms.xn--3e0b707e",
            "ab--cd.com",
        ] {
            assert!(parse_endpoint(good).is_ok(), "{good}");
        }
        for bad in [
            "xn--a.com",
            "xn--zz",
            "xn--bcher-kvb.com",
            "xn--99999999999.com",
            "xn--a-ecp.com",
            // Valid for WHATWG URL but outside the allow-list (an emoji): refused, the safe way.
            "a.xn--ls8h",
        ] {
            assert_eq!(parse_endpoint(bad).unwrap_err(), BAD_PUNYCODE, "{bad}");
        }
        assert!(parse_endpoint("xn--abc-.com").is_err());
        assert_eq!(
            punycode::decode("bcher-kva"),
            Some("bücher".chars().collect())
        );
        assert_eq!(
            punycode::encode(&"中国".chars().collect::<Vec<_>>()).as_deref(),
            Some("fiqs8s")
        );
    }

    #[test]
    fn bad_ports_are_refused_with_their_own_code() {
        for port in BAD_PORTS {
            let raw = ["http://127.0.0.1:", &port.to_string()].concat();
            assert_eq!(code(&raw), "blocked_port", "{raw}");
        }
        for port in [2, 8080, 6670, 10081] {
            let raw = ["http://127.0.0.1:", &port.to_string()].concat();
            assert!(parse_endpoint(&raw).is_ok(), "{raw}");
        }
    }

    #[test]
    fn plain_http_is_only_for_loopback() {
        assert_eq!(code("http://example.com"), "insecure_endpoint");
        assert_eq!(code("http://127.0.0.1.evil.com"), "insecure_endpoint");
        assert!(parse_endpoint("http://127.8.9.10:8080").is_ok());
        for bad in [
            "ftp://x",
            "https://x/path",
            "https://u@x",
            "x?y",
            "",
            "https://",
        ] {
            assert_eq!(code(bad), "invalid_endpoint", "{bad}");
        }
    }

    #[test]
    fn hosts_are_checked() {
        for good in [
            "sms.tencentcloudapi.com",
            "127.0.0.1:8080",
            "[::1]:9000",
            "localhost",
        ] {
            assert!(is_host(good), "{good}");
        }
        for bad in [
            "",
            "https://sms.tencentcloudapi.com",
            "sms.tencentcloudapi.com/",
            "a..b",
            "host:0",
            "host:99999",
            "[::1",
            "ho st",
        ] {
            assert!(!is_host(bad), "{bad}");
        }
    }
}
