//! A map with a fixed number of entries, for the state a process keeps between calls (parsed
//! configs, signing keys, clock offsets, sends in flight): memory stays bounded whatever callers do.

#[allow(unused_imports)]
use crate::prelude::*;

/// At most `capacity` entries in insertion order; [`BoundedMap::insert`] evicts the oldest when
/// full. A few entries at most, so a linear scan beats hashing, in time and in wasm size.
#[derive(Debug)]
pub struct BoundedMap<K, V> {
    entries: Vec<(K, V)>,
    capacity: usize,
}

impl<K, V> BoundedMap<K, V> {
    /// An empty map; allocates nothing until the first insert.
    pub const fn new(capacity: usize) -> Self {
        BoundedMap {
            entries: Vec::new(),
            capacity,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_full(&self) -> bool {
        self.entries.len() >= self.capacity
    }

    /// The value of the first key `matches` accepts.
    pub fn find(&self, matches: impl Fn(&K) -> bool) -> Option<&V> {
        self.entries
            .iter()
            .find(|(key, _)| matches(key))
            .map(|(_, value)| value)
    }

    pub fn find_mut(&mut self, matches: impl Fn(&K) -> bool) -> Option<&mut V> {
        self.entries
            .iter_mut()
            .find(|(key, _)| matches(key))
            .map(|(_, value)| value)
    }

    /// Removes every entry `matches` accepts.
    pub fn remove(&mut self, matches: impl Fn(&K) -> bool) {
        // Not `retain`: a generic body per map in the wasm, where `take` has one already.
        while self.take(&matches).is_some() {}
    }

    /// Removes and returns the value of the first key `matches` accepts.
    pub fn take(&mut self, matches: impl Fn(&K) -> bool) -> Option<V> {
        let index = self.entries.iter().position(|(key, _)| matches(key))?;
        Some(self.entries.remove(index).1)
    }

    /// Adds an entry as the newest, first evicting the oldest when full. The caller removes an
    /// older entry for the same key first if keys must stay unique.
    pub fn insert(&mut self, key: K, value: V) {
        if self.is_full() && !self.entries.is_empty() {
            self.entries.remove(0);
        }
        self.entries.push((key, value));
    }
}

impl<K: PartialEq, V> BoundedMap<K, V> {
    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: PartialEq<Q>,
        Q: ?Sized,
    {
        self.find(|known| known == key)
    }
}

#[cfg(test)]
mod tests {
    use super::BoundedMap;

    #[test]
    fn a_full_map_evicts_its_oldest_entry() {
        let mut map = BoundedMap::new(2);
        map.insert("a", 1);
        map.insert("b", 2);
        assert!(map.is_full());
        map.insert("c", 3);
        assert_eq!(map.len(), 2);
        assert_eq!(map.get(&"a"), None);
        assert_eq!((map.get(&"b"), map.get(&"c")), (Some(&2), Some(&3)));
    }

    #[test]
    fn removing_and_reinserting_makes_an_entry_the_newest() {
        let mut map = BoundedMap::new(2);
        map.insert("a", 1);
        map.insert("b", 2);
        map.remove(|key| *key == "a");
        map.insert("a", 10);
        map.insert("c", 3);
        assert_eq!(map.get(&"b"), None);
        assert_eq!((map.get(&"a"), map.get(&"c")), (Some(&10), Some(&3)));
        if let Some(value) = map.find_mut(|key| *key == "c") {
            *value = 30;
        }
        assert_eq!(map.get(&"c"), Some(&30));
    }
}
