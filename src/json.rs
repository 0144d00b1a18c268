//! JSON text, read and written by hand: serde_json's generic deserializer and serializer cost
//! about 8 KB of the 64 KB gzip budget in the wasm.
//!
//! [`parse`] accepts and refuses exactly what `serde_json::from_slice::<Value>` does and builds
//! the same values, but for the digits of a fraction or exponent: the connector reads a number
//! only as a whole `u64`, so a float is kept close, not bit for bit (the tests hold it to
//! serde_json). [`WriteJson`] writes compact JSON escaped as serde_json escapes it; the types
//! that cross to JavaScript implement it, and their serde `Serialize` reads that same text back
//! ([`serialize_written`]), so there is one encoding.

#[allow(unused_imports)]
use crate::prelude::*;

mod value;

/// The wasm reads JSON into its own small [`value::Value`]; native builds and tests into
/// serde_json's, which [`parse`] converts to (same keys, order and numbers).
#[cfg(any(not(target_arch = "wasm32"), test))]
pub use serde_json::{Map, Value};
#[cfg(all(target_arch = "wasm32", not(test)))]
pub use value::{Map, Value};

use value::{Map as OwnMap, Number as OwnNumber, Value as Own};

use crate::text::decimal;

/// serde_json's nesting limit: 127 arrays or objects deep parse, 128 do not.
const MAX_NESTING: u8 = 127;

/// `10^289` to `10^308`, where `significand * 10^exponent` can overflow: the exact constants
/// serde_json uses, so both refuse the same out-of-range numbers.
const LARGE_POWERS: [f64; 20] = [
    1e289, 1e290, 1e291, 1e292, 1e293, 1e294, 1e295, 1e296, 1e297, 1e298, 1e299, 1e300, 1e301,
    1e302, 1e303, 1e304, 1e305, 1e306, 1e307, 1e308,
];

/// The value of `bytes`, or `None` for anything serde_json refuses (invalid UTF-8 too: outside a
/// string it is a syntax error, inside one serde_json refuses it).
// In the wasm the conversion is to the same type.
#[allow(clippy::useless_conversion)]
pub fn parse(bytes: &[u8]) -> Option<Value> {
    read(bytes).map(Into::into)
}

fn read(bytes: &[u8]) -> Option<Own> {
    let mut reader = Reader {
        text: core::str::from_utf8(bytes).ok()?,
        at: 0,
    };
    let value = reader.value(MAX_NESTING)?;
    reader.skip_whitespace().is_none().then_some(value)
}

struct Reader<'a> {
    text: &'a str,
    at: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.at += 1;
        Some(byte)
    }

    /// The next byte that is not JSON whitespace, not consumed.
    fn skip_whitespace(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.at += 1;
        }
        self.peek()
    }

    fn eat(&mut self, word: &str) -> Option<()> {
        let end = self.at + word.len();
        (self.text.as_bytes().get(self.at..end)? == word.as_bytes()).then(|| self.at = end)
    }

    /// `depth`: how many more arrays or objects may open.
    fn value(&mut self, depth: u8) -> Option<Own> {
        Some(match self.skip_whitespace()? {
            b'n' => self.eat("null").map(|()| Own::Null)?,
            b't' => self.eat("true").map(|()| Own::Bool(true))?,
            b'f' => self.eat("false").map(|()| Own::Bool(false))?,
            b'"' => Own::String(self.string()?),
            b'[' => {
                let depth = depth.checked_sub(1)?;
                let mut items = Vec::new();
                self.at += 1;
                if self.skip_whitespace()? != b']' {
                    loop {
                        items.push(self.value(depth)?);
                        if !self.comma(b']')? {
                            break;
                        }
                    }
                } else {
                    self.at += 1;
                }
                Own::Array(items)
            }
            b'{' => {
                let depth = depth.checked_sub(1)?;
                let mut entries = Vec::new();
                self.at += 1;
                if self.skip_whitespace()? != b'}' {
                    loop {
                        if self.skip_whitespace()? != b'"' {
                            return None;
                        }
                        let key = self.string()?;
                        if self.skip_whitespace()? != b':' {
                            return None;
                        }
                        self.at += 1;
                        entries.push((key, self.value(depth)?));
                        if !self.comma(b'}')? {
                            break;
                        }
                    }
                } else {
                    self.at += 1;
                }
                // The last of repeated keys wins, as in serde_json.
                Own::Object(OwnMap::from_entries(entries))
            }
            _ => self.number()?,
        })
    }

    /// After an item: `Some(true)` for a comma (another item follows), `Some(false)` for `close`.
    fn comma(&mut self, close: u8) -> Option<bool> {
        let byte = self.skip_whitespace()?;
        self.at += 1;
        match byte {
            b',' => Some(true),
            _ if byte == close => Some(false),
            _ => None,
        }
    }

    /// A string; `at` is on its opening quote.
    fn string(&mut self) -> Option<String> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let start = self.at;
            while let Some(byte) = self.peek() {
                if byte == b'"' || byte == b'\\' || byte < 0x20 {
                    break;
                }
                self.at += 1;
            }
            // Cut at ASCII bytes, so always on a character boundary.
            out.push_str(self.text.get(start..self.at)?);
            match self.next()? {
                b'"' => return Some(out),
                b'\\' => {}
                _ => return None, // a control character
            }
            out.push(match self.next()? {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    let unit = self.hex4()?;
                    let code = if (0xD800..0xDC00).contains(&unit) {
                        // A leading surrogate needs its trailing one.
                        self.eat("\\u")?;
                        let low = self.hex4()?;
                        if !(0xDC00..0xE000).contains(&low) {
                            return None;
                        }
                        0x1_0000 + ((unit - 0xD800) << 10 | (low - 0xDC00))
                    } else {
                        unit
                    };
                    // None for a lone trailing surrogate.
                    char::from_u32(code)?
                }
                _ => return None,
            });
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        (0..4).try_fold(0, |unit, _| {
            Some(unit * 16 + char::from(self.next()?).to_digit(16)?)
        })
    }

    fn digit(&mut self) -> Option<u8> {
        let digit = self.peek()?.checked_sub(b'0').filter(|digit| *digit < 10)?;
        self.at += 1;
        Some(digit)
    }

    /// A number, the way serde_json reads one: a whole number that fits is a `u64` or
    /// negative `i64`; anything else (`-0` too) an `f64`, and one out of `f64`'s range refused.
    fn number(&mut self) -> Option<Own> {
        let positive = self.peek() != Some(b'-');
        if !positive {
            self.at += 1;
        }
        // Leading zeros are refused.
        let mut significand = u64::from(self.digit()?);
        if significand == 0 && self.digit().is_some() {
            return None;
        }
        let mut exponent: i32 = 0;
        let mut float = false;
        // Digits past u64's range are dropped and counted in the exponent.
        let mut full = false;
        while let Some(digit) = self.digit() {
            match significand
                .checked_mul(10)
                .and_then(|s| s.checked_add(u64::from(digit)))
            {
                Some(more) if !full => significand = more,
                _ => {
                    full = true;
                    float = true;
                    exponent += 1;
                }
            }
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            float = true;
            // At least one digit; past u64's range the rest are dropped.
            let mut digit = self.digit()?;
            let mut full = false;
            loop {
                match significand
                    .checked_mul(10)
                    .and_then(|s| s.checked_add(u64::from(digit)))
                {
                    Some(more) if !full => {
                        significand = more;
                        exponent -= 1;
                    }
                    _ => full = true,
                }
                let Some(next) = self.digit() else { break };
                digit = next;
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            float = true;
            let positive_exponent = match self.peek() {
                Some(sign @ (b'+' | b'-')) => {
                    self.at += 1;
                    sign == b'+'
                }
                _ => true,
            };
            let mut written = i32::from(self.digit()?);
            let mut too_large = false;
            while let Some(digit) = self.digit() {
                match written
                    .checked_mul(10)
                    .and_then(|e| e.checked_add(i32::from(digit)))
                {
                    Some(more) if !too_large => written = more,
                    _ => too_large = true,
                }
            }
            if too_large {
                // serde_json's answer to an exponent past i32: out of range, or zero.
                if significand != 0 && positive_exponent {
                    return None;
                }
                let zero = if positive { 0.0 } else { -0.0 };
                return OwnNumber::from_f64(zero).map(Own::Number);
            }
            exponent = if positive_exponent {
                exponent.saturating_add(written)
            } else {
                exponent.saturating_sub(written)
            };
        }
        if !float {
            if positive {
                return Some(Own::Number(significand.into()));
            }
            let negative = (significand as i64).wrapping_neg();
            if negative < 0 {
                return Some(Own::Number(negative.into()));
            }
            // -0, or below i64::MIN: an f64, as in serde_json.
        }
        let magnitude = scale(significand as f64, exponent)?;
        let value = if positive { magnitude } else { -magnitude };
        Some(OwnNumber::from_f64(value).map_or(Own::Null, Own::Number))
    }
}

/// `significand * 10^exponent` by serde_json's steps, `None` where it overflows.
fn scale(mut value: f64, mut exponent: i32) -> Option<f64> {
    loop {
        let power = exponent.unsigned_abs();
        if power <= 308 {
            let factor = match power.checked_sub(289) {
                Some(large) => *LARGE_POWERS.get(large as usize)?,
                None => powi(10.0, power),
            };
            if exponent >= 0 {
                value *= factor;
                return (!value.is_infinite()).then_some(value);
            }
            return Some(value / factor);
        }
        if value == 0.0 {
            return Some(value);
        }
        if exponent >= 0 {
            return None;
        }
        value /= 1e308;
        exponent += 308;
    }
}

/// `base^exponent` by compiler-rt's `__powidf2` steps, which `f64::powi` lowers to (no `powi` in
/// core), so the result is the same bit for bit.
fn powi(mut base: f64, mut exponent: u32) -> f64 {
    let mut result = 1.0;
    loop {
        if exponent & 1 != 0 {
            result *= base;
        }
        exponent /= 2;
        if exponent == 0 {
            return result;
        }
        base *= base;
    }
}

/// A value written as compact JSON text.
pub trait WriteJson {
    fn write_json(&self, out: &mut String);
}

pub fn to_string(value: &(impl WriteJson + ?Sized)) -> String {
    let mut out = String::new();
    value.write_json(&mut out);
    out
}

/// Quoted, escaping what serde_json escapes: `"`, `\` and control characters below U+0020.
impl WriteJson for str {
    fn write_json(&self, out: &mut String) {
        out.push('"');
        for character in self.chars() {
            match character {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                ..='\u{1f}' => {
                    out.push_str("\\u00");
                    for nibble in [u32::from(character) >> 4, u32::from(character) & 15] {
                        // `push`, not `extend` with the Option; below 16, so always a digit.
                        out.push(char::from_digit(nibble, 16).unwrap_or('0'));
                    }
                }
                _ => out.push(character),
            }
        }
        out.push('"');
    }
}

impl WriteJson for String {
    fn write_json(&self, out: &mut String) {
        self.as_str().write_json(out);
    }
}

impl WriteJson for u64 {
    fn write_json(&self, out: &mut String) {
        out.push_str(&decimal(*self));
    }
}

impl WriteJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl<T: WriteJson> WriteJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (index, item) in self.iter().enumerate() {
            if index > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

impl<T: WriteJson> WriteJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl<T: WriteJson + ?Sized> WriteJson for &T {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

/// For tests that stand a `Value` in for a reply; the wasm never writes one (serde_json's
/// serializer would come back with it).
#[cfg(test)]
impl WriteJson for Value {
    fn write_json(&self, out: &mut String) {
        out.push_str(&self.to_string());
    }
}

/// Writes an object field by field, in the order given: `Object::new(out).field(..).end()`.
pub struct Object<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> Object<'a> {
    pub fn new(out: &'a mut String) -> Self {
        out.push('{');
        Object { out, empty: true }
    }

    pub fn field(mut self, name: &str, value: &(impl WriteJson + ?Sized)) -> Self {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        name.write_json(self.out);
        self.out.push(':');
        value.write_json(self.out);
        self
    }

    /// A field written only when there is a value (serde's `skip_serializing_if`).
    pub fn optional(self, name: &str, value: Option<&(impl WriteJson + ?Sized)>) -> Self {
        match value {
            Some(value) => self.field(name, value),
            None => self,
        }
    }

    pub fn end(self) {
        self.out.push('}');
    }
}

/// serde's `Serialize` for types that implement [`WriteJson`], for native callers and tests:
/// their JSON text read back as a `Value` (objects come out with sorted keys). No serde
/// serializer reaches the wasm, so there the macro writes nothing.
macro_rules! serialize_written {
    ($($type:ty),* $(,)?) => {$(
        #[cfg(any(not(target_arch = "wasm32"), test))]
        impl serde::Serialize for $type {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let text = crate::json::to_string(self);
                serde::Serialize::serialize(&crate::json::parse(text.as_bytes()), serializer)
            }
        }
    )*};
}
pub(crate) use serialize_written;

#[cfg(test)]
mod tests {
    use super::*;

    /// serde_json's answer, with every float replaced by a marker: float digits may differ.
    fn serde(text: &str) -> Option<Value> {
        serde_json::from_slice::<Value>(text.as_bytes())
            .ok()
            .map(floats_marked)
    }

    fn ours(text: &str) -> Option<Value> {
        parse(text.as_bytes()).map(floats_marked)
    }

    fn floats_marked(value: Value) -> Value {
        match value {
            Value::Number(number) if number.is_f64() => Value::String("<float>".into()),
            Value::Array(items) => Value::Array(items.into_iter().map(floats_marked).collect()),
            Value::Object(entries) => Value::Object(
                entries
                    .into_iter()
                    .map(|(key, value)| (key, floats_marked(value)))
                    .collect(),
            ),
            other => other,
        }
    }

    #[test]
    fn agrees_with_serde_json_on_edge_cases() {
        let cases = [
            "",
            " ",
            "null",
            "nul",
            "nulll",
            "true",
            "false",
            "tru",
            " [ ] ",
            "[",
            "]",
            "[1,]",
            "[,1]",
            "[1 2]",
            "{}",
            "{ }",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{a:1}",
            "{\"a\":1,\"a\":2}",
            "{\"b\":1,\"a\":[true,{\"c\":null}]}",
            "\"\\u00e9\\n\\t\\/\\\\\\\"\\b\\f\\r\"",
            "\"\\ud83d\\ude00\"",
            "\"\\ud83d\"",
            "\"\\ud83dx\"",
            "\"\\ud83d\\n\"",
            "\"\\ud83d\\u0041\"",
            "\"\\ude00\"",
            "\"\\u12\"",
            "\"\\u+123\"",
            "\"\\uDEAD\"",
            "\"\\x\"",
            "\"a\u{1}\"",
            "\"a\u{7f}é\"",
            "\"unterminated",
            "0",
            "-0",
            "-",
            "01",
            "-01",
            "1.",
            "1.5",
            ".5",
            "1e",
            "1e+",
            "1e-2",
            "1E5",
            "1.5e3",
            "+1",
            "00",
            "0.0",
            "18446744073709551615",
            "18446744073709551616",
            "184467440737095516150",
            "-9223372036854775808",
            "-9223372036854775809",
            "1e308",
            "2e308",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "17976931348623157e292",
            "1e309",
            "0e999",
            "0e99999999999",
            "1e99999999999",
            "1e-99999999999",
            "-1e99999999999",
            "1e-400",
            "123456789012345678901234567890e280",
            "0.0000000000000000000000000000000000001e330",
            "1 2",
            "1true",
            "[1]x",
            "\u{feff}1",
            "\t\n\r 1 \t\n\r",
        ];
        for case in cases {
            assert_eq!(ours(case), serde(case), "{case:?}");
        }
    }

    #[test]
    fn overflow_is_refused_at_serde_jsons_boundary() {
        let significands = [
            "1",
            "2",
            "17",
            "179",
            "1797",
            "17976931348623157",
            "17976931348623158",
            "17976931348623159",
            "18446744073709551615",
            "99999999999999999999999",
            "1.7976931348623157",
            "1.79769313486231580",
            "0.000001",
        ];
        for significand in significands {
            for exponent in 270..=330 {
                let text = format!("{significand}e{exponent}");
                assert_eq!(ours(&text), serde(&text), "{text}");
            }
        }
    }

    #[test]
    fn nesting_stops_where_serde_json_stops() {
        for depth in [126, 127, 128, 129] {
            let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            let objects = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
            for text in [arrays, objects] {
                assert_eq!(ours(&text).is_some(), serde(&text).is_some(), "{depth}");
            }
        }
        assert!(parse("[".repeat(127).as_bytes()).is_none());
    }

    /// Every object of `value` holds its keys in strictly increasing order (sorted, each once),
    /// which the conversion to serde_json's map would hide.
    fn keys_sorted_once(value: &Own) -> bool {
        match value {
            Own::Array(items) => items.iter().all(keys_sorted_once),
            Own::Object(fields) => {
                let keys: Vec<&String> = fields.keys().collect();
                keys.windows(2).all(|pair| pair[0] < pair[1])
                    && fields.values().all(keys_sorted_once)
            }
            _ => true,
        }
    }

    #[test]
    fn objects_are_sorted_and_keep_the_last_repeated_key() {
        let text = r#"{"b":1,"a":{"z":0,"y":[{"k":1,"k":2}]},"b":3,"c":null,"a":true,"":"e"}"#;
        let own = read(text.as_bytes()).unwrap();
        assert!(keys_sorted_once(&own));
        let fields = own.as_object().unwrap();
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["", "a", "b", "c"]);
        assert_eq!(fields.len(), 4);
        assert_eq!(own.get("a").and_then(Own::as_bool), Some(true));
        assert_eq!(own["b"].as_u64(), Some(3));
        assert!(own["c"].is_null() && own["missing"].is_null() && own["b"]["x"].is_null());
        assert!(fields.contains_key("") && !fields.contains_key("d"));
        assert_eq!(ours(text), serde(text));
    }

    #[test]
    fn a_map_inserts_in_key_order_and_replaces() {
        let mut map = OwnMap::new();
        assert!(map.is_empty());
        assert_eq!(map.insert("m".into(), Own::Null), None);
        assert_eq!(map.insert("a".into(), true.into()), None);
        assert_eq!(map.insert("z".into(), "x".into()), None);
        assert_eq!(map.insert("m".into(), Own::from(vec![])), Some(Own::Null));
        let entries: Vec<_> = map
            .iter()
            .map(|(key, value)| (key.as_str(), value.clone()))
            .collect();
        assert_eq!(
            entries,
            [
                ("a", Own::Bool(true)),
                ("m", Own::Array(vec![])),
                ("z", "x".into())
            ]
        );
        assert_eq!(map.get("z").and_then(Own::as_str), Some("x"));
        assert_eq!(map.get("b"), None);
    }

    #[test]
    fn numbers_read_as_serde_json_reads_them() {
        for text in [
            "0",
            "7",
            "18446744073709551615",
            "-1",
            "-9223372036854775808",
            "1.5",
            "-0",
            "1e3",
        ] {
            let own = read(text.as_bytes()).unwrap();
            let serde = serde(text);
            let theirs: Value = serde_json::from_str(text).unwrap();
            assert_eq!(own.as_u64(), theirs.as_u64(), "{text}");
            assert_eq!(own.as_i64(), theirs.as_i64(), "{text}");
            assert_eq!(own.as_f64(), theirs.as_f64(), "{text}");
            assert_eq!(own.is_number(), theirs.is_number(), "{text}");
            assert_eq!(ours(text), serde, "{text}");
        }
    }

    #[test]
    fn a_large_object_in_reverse_order_is_read_quickly_and_exactly() {
        let mut text = String::from("{");
        for index in (0..100_000).rev() {
            text.push_str(&format!("\"k{index}\":{index},\"k{}\":0,", index / 2));
        }
        text.push_str("\"end\":0}");
        let own = read(text.as_bytes()).unwrap();
        assert!(keys_sorted_once(&own));
        assert_eq!(own.as_object().unwrap().len(), 100_001);
        assert_eq!(ours(&text), serde(&text));
    }

    #[test]
    fn invalid_utf8_is_refused() {
        assert_eq!(parse(b"\"\xff\""), None);
        assert_eq!(parse(b"\xff"), None);
    }

    #[test]
    fn floats_stay_close() {
        for (text, expected) in [("1.5", 1.5), ("-2.5e-3", -0.0025), ("1e22", 1e22)] {
            assert_eq!(parse(text.as_bytes()).unwrap().as_f64(), Some(expected));
        }
    }

    #[test]
    fn objects_and_arrays_are_written_compact_in_order() {
        let mut out = String::new();
        Object::new(&mut out)
            .field("b", "x\"y")
            .optional("skipped", None::<&str>)
            .field("a", &vec![1_u64, u64::MAX])
            .optional("c", Some(&true))
            .field("d", &Vec::<String>::new())
            .end();
        assert_eq!(
            out,
            r#"{"b":"x\"y","a":[1,18446744073709551615],"c":true,"d":[]}"#
        );
    }

    // proptest is a native-only dev-dependency (see Cargo.toml).
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;

        proptest::proptest! {
            #![proptest_config(proptest::prelude::ProptestConfig { cases: 2_000, failure_persistence: None, ..Default::default() })]

            #[test]
            fn agrees_with_serde_json_on_json_like_text(
                text in r#"[ \[\]{}",:0-9eE.+\-ntrufalsx\\/bu\u{1}é😀dD]{0,24}"#
            ) {
                proptest::prop_assert_eq!(ours(&text), serde(&text), "{:?}", text);
                proptest::prop_assert!(read(text.as_bytes()).as_ref().map_or(true, keys_sorted_once));
            }

            #[test]
            fn agrees_with_serde_json_on_numbers(
                text in r#"-?(0|[1-9][0-9]{0,25})(\.[0-9]{0,22})?([eE][+-]?[0-9]{1,12})?"#
            ) {
                proptest::prop_assert_eq!(ours(&text), serde(&text), "{:?}", text);
            }

            #[test]
            fn agrees_with_serde_json_on_repeated_keys(
                entries in proptest::collection::vec(("[ab]{0,2}", 0_u64..4), 0..40)
            ) {
                let fields: Vec<String> = entries.iter().map(|(key, value)| format!("\"{key}\":{value}")).collect();
                let text = format!("{{{}}}", fields.join(","));
                proptest::prop_assert_eq!(ours(&text), serde(&text), "{:?}", text);
                proptest::prop_assert!(read(text.as_bytes()).is_some_and(|own| keys_sorted_once(&own)));
            }

            #[test]
            fn strings_are_written_as_serde_json_writes_them(text in "(.|[\u{0}-\u{1f}\u{7f}\"\\\\])*") {
                proptest::prop_assert_eq!(to_string(text.as_str()), serde_json::to_string(&text).unwrap());
            }

            #[test]
            fn agrees_with_serde_json_on_documents(value in document()) {
                let text = serde_json::to_string_pretty(&value).unwrap();
                proptest::prop_assert_eq!(parse(text.as_bytes()), Some(value));
                proptest::prop_assert!(read(text.as_bytes()).is_some_and(|own| keys_sorted_once(&own)));
            }
        }

        fn document() -> impl proptest::strategy::Strategy<Value = Value> {
            use proptest::prelude::*;
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::from),
                any::<u64>().prop_map(Value::from),
                any::<i64>().prop_map(Value::from),
                ".{0,12}".prop_map(Value::from),
            ];
            leaf.prop_recursive(4, 32, 6, |inner| {
                prop_oneof![
                    proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
                    proptest::collection::btree_map(".{0,6}", inner, 0..6)
                        .prop_map(|entries| Value::Object(entries.into_iter().collect())),
                ]
            })
        }
    }
}
