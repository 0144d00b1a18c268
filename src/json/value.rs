//! The JSON value the wasm reads configs and replies into: serde_json's `Value` without its
//! object map's B-tree (about 2 KB of the gzip budget). An object is a `Vec` of entries sorted by
//! key, one entry per key, so it iterates and looks up as serde_json's map (no
//! `preserve_order`): keys in sorted order, the last of repeated keys kept. Native builds use
//! serde_json's types (see `crate::json`); the tests hold this one to them.

#[allow(unused_imports)]
use crate::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Value>),
    Object(Map<String, Value>),
}

/// A JSON number as serde_json keeps it: a whole number that fits as `u64` or negative `i64`,
/// anything else as a finite `f64`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Number(N);

#[derive(Clone, Copy, Debug, PartialEq)]
enum N {
    Whole(u64),
    Negative(i64),
    Float(f64),
}

impl Number {
    /// `None` for infinities and NaN, as in serde_json.
    pub fn from_f64(value: f64) -> Option<Number> {
        value.is_finite().then_some(Number(N::Float(value)))
    }

    pub fn as_u64(&self) -> Option<u64> {
        match self.0 {
            N::Whole(value) => Some(value),
            _ => None,
        }
    }

    pub fn is_u64(&self) -> bool {
        self.as_u64().is_some()
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self.0 {
            N::Whole(value) => i64::try_from(value).ok(),
            N::Negative(value) => Some(value),
            N::Float(_) => None,
        }
    }

    pub fn is_f64(&self) -> bool {
        matches!(self.0, N::Float(_))
    }

    pub fn as_f64(&self) -> Option<f64> {
        Some(match self.0 {
            N::Whole(value) => value as f64,
            N::Negative(value) => value as f64,
            N::Float(value) => value,
        })
    }
}

impl From<u64> for Number {
    fn from(value: u64) -> Self {
        Number(N::Whole(value))
    }
}

impl From<i64> for Number {
    fn from(value: i64) -> Self {
        match u64::try_from(value) {
            Ok(whole) => Number(N::Whole(whole)),
            Err(_) => Number(N::Negative(value)),
        }
    }
}

/// An object: entries sorted by key, each key once.
#[derive(Clone, Debug, PartialEq)]
pub struct Map<K, V>(Vec<(K, V)>);

impl Default for Map<String, Value> {
    fn default() -> Self {
        Map::new()
    }
}

impl Map<String, Value> {
    pub fn new() -> Self {
        Map(Vec::new())
    }

    /// An object from its entries in document order: sorted by key, and of repeated keys the
    /// last value kept, as serde_json's map keeps it.
    pub fn from_entries(entries: Vec<(String, Value)>) -> Self {
        Map(sorted(entries))
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        self.0
            .binary_search_by(|(other, _)| other.as_str().cmp(key))
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        let at = self.find(key).ok()?;
        self.0.get(at).map(|(_, value)| value)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    /// The previous value of `key`, if it had one.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        match self.find(&key) {
            Ok(at) => self
                .0
                .get_mut(at)
                .map(|(_, old)| core::mem::replace(old, value)),
            Err(at) => {
                self.0.insert(at, (key, value));
                None
            }
        }
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// In key order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter().map(|(key, value)| (key, value))
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(key, _)| key)
    }

    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.0.iter().map(|(_, value)| value)
    }
}

/// A merge sort by key that keeps, of equal keys, the later entry: `O(n log n)` for a 1 MiB
/// object of 100,000 keys, and 2 KB (gzip) smaller in the wasm than `sort_by` and `dedup_by`.
fn sorted(mut entries: Vec<(String, Value)>) -> Vec<(String, Value)> {
    if entries.len() < 2 {
        return entries;
    }
    // Each half sorted and without repeats; the right half came later in the document.
    let right = sorted(entries.split_off(entries.len() / 2));
    let left = sorted(entries);
    let mut out = Vec::with_capacity(left.len() + right.len());
    let mut left = left.into_iter().peekable();
    let mut right = right.into_iter().peekable();
    loop {
        let from_left = match (left.peek(), right.peek()) {
            (Some(first), Some(second)) => match first.0.cmp(&second.0) {
                core::cmp::Ordering::Less => true,
                core::cmp::Ordering::Greater => false,
                core::cmp::Ordering::Equal => {
                    // A repeated key: the later value wins.
                    left.next();
                    false
                }
            },
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return out,
        };
        // `push`, not `extend` with the Option: extend's generic body costs wasm.
        if let Some(entry) = if from_left { left.next() } else { right.next() } {
            out.push(entry);
        }
    }
}

impl Value {
    /// The field `key` of an object; `None` for a missing field or a value that is not an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?.get(key)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(value) => Some(*value),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Map<String, Value>> {
        match self {
            Value::Object(fields) => Some(fields),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(number) => Some(number),
            _ => None,
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        self.as_number()?.as_u64()
    }

    pub fn as_i64(&self) -> Option<i64> {
        self.as_number()?.as_i64()
    }

    pub fn as_f64(&self) -> Option<f64> {
        self.as_number()?.as_f64()
    }

    pub fn is_number(&self) -> bool {
        self.as_number().is_some()
    }

    pub fn is_null(&self) -> bool {
        *self == Value::Null
    }
}

/// A missing field, or indexing what is not an object, gives null (as in serde_json).
impl core::ops::Index<&str> for Value {
    type Output = Value;

    fn index(&self, key: &str) -> &Value {
        static NULL: Value = Value::Null;
        self.get(key).unwrap_or(&NULL)
    }
}

impl From<bool> for Value {
    fn from(value: bool) -> Self {
        Value::Bool(value)
    }
}

impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Value::String(value.into())
    }
}

impl From<String> for Value {
    fn from(value: String) -> Self {
        Value::String(value)
    }
}

impl From<Vec<Value>> for Value {
    fn from(value: Vec<Value>) -> Self {
        Value::Array(value)
    }
}

impl From<Map<String, Value>> for Value {
    fn from(value: Map<String, Value>) -> Self {
        Value::Object(value)
    }
}

/// serde_json's value for this one (natively, where the crate works with serde_json's types).
#[cfg(any(not(target_arch = "wasm32"), test))]
impl From<Value> for serde_json::Value {
    fn from(value: Value) -> Self {
        match value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(value) => value.into(),
            Value::Number(Number(N::Whole(value))) => value.into(),
            Value::Number(Number(N::Negative(value))) => value.into(),
            Value::Number(Number(N::Float(value))) => {
                serde_json::Number::from_f64(value).map_or(serde_json::Value::Null, Into::into)
            }
            Value::String(text) => text.into(),
            Value::Array(items) => items.into_iter().map(serde_json::Value::from).collect(),
            Value::Object(Map(entries)) => serde_json::Value::Object(
                entries
                    .into_iter()
                    .map(|(key, value)| (key, value.into()))
                    .collect(),
            ),
        }
    }
}
