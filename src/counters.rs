//! Send-limit counters kept in this process, when no shared store (the host's Redis) answers:
//! fixed windows that start at a key's first counted send, as Redis's INCR + PEXPIRE do, in a
//! map of at most [`MAX_KEYS`] keys that evicts the least recently used.
//!
//! Keys arrive as 64-bit digests keyed by a secret of the account (see `send_limits`), so
//! nobody outside can aim keys at one bucket; each key costs one fixed-size slot and no
//! allocation of its own, and memory stays under [`Counters::MAX_HEAP_BYTES`] whatever arrives.

#[allow(unused_imports)]
use crate::prelude::*;

/// The most keys kept: 3.3 MiB of slots and buckets at the most.
pub const MAX_KEYS: usize = 100_000;
/// A power of two, so a digest's low bits pick the bucket.
const BUCKETS: usize = 1 << 16;
const NIL: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct Slot {
    digest: u64,
    /// When this key's window ends; a count from an ended window is zero.
    ends_ms: f64,
    count: u32,
    /// The next slot in the same bucket.
    chain: u32,
    /// Neighbours in recency order.
    newer: u32,
    older: u32,
}

/// One counter a send must pass: the key's digest, the most sends its window allows, the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check {
    pub digest: u64,
    pub max: u32,
    pub window_ms: u64,
}

impl AsRef<Check> for Check {
    fn as_ref(&self) -> &Check {
        self
    }
}

#[derive(Debug)]
pub struct Counters {
    buckets: Vec<u32>,
    slots: Vec<Slot>,
    newest: u32,
    oldest: u32,
}

impl Default for Counters {
    fn default() -> Self {
        Counters::new()
    }
}

impl Counters {
    /// What the slots and buckets can ever take: the slots grow by doubling, capped at
    /// [`MAX_KEYS`].
    pub const MAX_HEAP_BYTES: usize =
        MAX_KEYS * core::mem::size_of::<Slot>() + BUCKETS * core::mem::size_of::<u32>();

    /// Empty; allocates nothing until the first send is counted.
    pub const fn new() -> Self {
        Counters {
            buckets: Vec::new(),
            slots: Vec::new(),
            newest: NIL,
            oldest: NIL,
        }
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Bytes held now (capacity, not length).
    pub fn heap_bytes(&self) -> usize {
        self.slots.capacity() * core::mem::size_of::<Slot>()
            + self.buckets.capacity() * core::mem::size_of::<u32>()
    }

    /// The count each check reaches with this send. The send is counted (every key once) only
    /// when none goes past its max, so a refused send spends no rule's budget, as the Redis
    /// script does (`lib/redis.js`).
    pub fn count<C: AsRef<Check>>(&mut self, checks: &[C], now_ms: f64) -> Vec<u64> {
        let mut counts = Vec::with_capacity(checks.len());
        let mut allowed = true;
        for check in checks {
            let check = check.as_ref();
            let count = u64::from(self.live_count(check.digest, now_ms)) + 1;
            allowed &= count <= u64::from(check.max);
            counts.push(count);
        }
        if allowed {
            for check in checks {
                self.add(check.as_ref(), now_ms);
            }
        }
        counts
    }

    fn live_count(&self, digest: u64, now_ms: f64) -> u32 {
        self.find(digest)
            .and_then(|index| self.slots.get(index as usize))
            .filter(|slot| slot.ends_ms > now_ms)
            .map_or(0, |slot| slot.count)
    }

    fn add(&mut self, check: &Check, now_ms: f64) {
        let index = match self.find(check.digest) {
            Some(index) => {
                self.unlink(index);
                index
            }
            None => self.claim(check.digest),
        };
        if let Some(slot) = self.slots.get_mut(index as usize) {
            if slot.ends_ms <= now_ms {
                slot.count = 0;
                slot.ends_ms = now_ms + check.window_ms as f64;
            }
            slot.count = slot.count.saturating_add(1);
        }
        self.link_newest(index);
    }

    fn bucket(digest: u64) -> usize {
        (digest as usize) & (BUCKETS - 1)
    }

    fn find(&self, digest: u64) -> Option<u32> {
        let mut index = *self.buckets.get(Self::bucket(digest))?;
        while let Some(slot) = self.slots.get(index as usize) {
            if slot.digest == digest {
                return Some(index);
            }
            index = slot.chain;
        }
        None
    }

    /// A slot for a new key, in its bucket and out of the recency list: a fresh one while there
    /// is room, else the least recently used one, taken out of its old bucket.
    fn claim(&mut self, digest: u64) -> u32 {
        if self.buckets.is_empty() {
            self.buckets = vec![NIL; BUCKETS];
        }
        let fresh = Slot {
            digest,
            ends_ms: f64::NEG_INFINITY,
            count: 0,
            chain: NIL,
            newer: NIL,
            older: NIL,
        };
        let index = if self.slots.len() < MAX_KEYS {
            if self.slots.len() == self.slots.capacity() {
                let grown = (self.slots.len() * 2).clamp(64, MAX_KEYS);
                self.slots.reserve_exact(grown - self.slots.len());
            }
            self.slots.push(fresh);
            (self.slots.len() - 1) as u32
        } else {
            let index = self.oldest;
            self.unlink(index);
            self.unchain(index);
            if let Some(slot) = self.slots.get_mut(index as usize) {
                *slot = fresh;
            }
            index
        };
        if let Some(head) = self.buckets.get_mut(Self::bucket(digest)) {
            if let Some(slot) = self.slots.get_mut(index as usize) {
                slot.chain = *head;
            }
            *head = index;
        }
        index
    }

    /// Takes a slot out of its bucket's chain.
    fn unchain(&mut self, index: u32) {
        let Some(&Slot { digest, chain, .. }) = self.slots.get(index as usize) else {
            return;
        };
        let bucket = Self::bucket(digest);
        if self.buckets.get(bucket) == Some(&index) {
            if let Some(head) = self.buckets.get_mut(bucket) {
                *head = chain;
            }
            return;
        }
        let mut previous = self.buckets.get(bucket).copied().unwrap_or(NIL);
        while let Some(slot) = self.slots.get(previous as usize) {
            if slot.chain == index {
                if let Some(slot) = self.slots.get_mut(previous as usize) {
                    slot.chain = chain;
                }
                return;
            }
            previous = slot.chain;
        }
    }

    /// Takes a slot out of the recency list.
    fn unlink(&mut self, index: u32) {
        let Some(&Slot { newer, older, .. }) = self.slots.get(index as usize) else {
            return;
        };
        match self.slots.get_mut(newer as usize) {
            Some(slot) => slot.older = older,
            None => self.newest = older,
        }
        match self.slots.get_mut(older as usize) {
            Some(slot) => slot.newer = newer,
            None => self.oldest = newer,
        }
    }

    fn link_newest(&mut self, index: u32) {
        let previous = self.newest;
        if let Some(slot) = self.slots.get_mut(index as usize) {
            slot.newer = NIL;
            slot.older = previous;
        }
        match self.slots.get_mut(previous as usize) {
            Some(slot) => slot.newer = index,
            None => self.oldest = index,
        }
        self.newest = index;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(digest: u64, max: u32) -> Check {
        Check {
            digest,
            max,
            window_ms: 1_000,
        }
    }

    #[test]
    fn a_window_counts_up_to_max_then_refuses_until_it_ends() {
        let mut counters = Counters::new();
        let rule = [check(7, 3)];
        let counts: Vec<u64> = (0..5).map(|_| counters.count(&rule, 0.0)[0]).collect();
        assert_eq!(counts, [1, 2, 3, 4, 4], "refused sends are not counted");
        assert_eq!(counters.count(&rule, 999.0), [4]);
        assert_eq!(counters.count(&rule, 1_000.0), [1], "the window ended");
        assert_eq!(
            counters.count(&rule, 1_500.0),
            [2],
            "a new window from its first send"
        );
    }

    #[test]
    fn a_send_one_rule_refuses_spends_no_other_rule_s_budget() {
        let mut counters = Counters::new();
        let strict = check(1, 1);
        let loose = check(2, 100);
        assert_eq!(counters.count(&[strict, loose], 0.0), [1, 1]);
        for _ in 0..10 {
            assert_eq!(counters.count(&[strict, loose], 0.0), [2, 2]);
        }
        assert_eq!(counters.count(&[loose], 0.0), [2]);
    }

    #[test]
    fn a_million_keys_stay_within_the_bound_and_the_oldest_go_first() {
        let mut counters = Counters::new();
        for digest in 0..1_000_000_u64 {
            // Spread like a hash: the bucket bits differ key to key.
            let digest = digest.wrapping_mul(0x9e37_79b9_7f4a_7c15);
            counters.count(&[check(digest, 5)], 0.0);
            assert!(counters.len() <= MAX_KEYS);
        }
        assert_eq!(counters.len(), MAX_KEYS);
        assert!(
            counters.heap_bytes() <= Counters::MAX_HEAP_BYTES,
            "{} > {}",
            counters.heap_bytes(),
            Counters::MAX_HEAP_BYTES
        );
        const { assert!(Counters::MAX_HEAP_BYTES < 4 << 20) };
        let newest = 999_999_u64.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let evicted = 0_u64;
        assert_eq!(counters.count(&[check(newest, 5)], 0.0), [2]);
        assert_eq!(counters.count(&[check(evicted, 5)], 0.0), [1]);
    }

    #[test]
    fn keys_in_one_bucket_are_kept_apart_and_evicted_cleanly() {
        let mut counters = Counters::new();
        // All in bucket 0.
        let keys: Vec<u64> = (1..=5).map(|n| n << 40).collect();
        for (round, key) in keys.iter().enumerate() {
            for _ in 0..=round {
                counters.count(&[check(*key, 100)], 0.0);
            }
        }
        for (round, key) in keys.iter().enumerate() {
            assert_eq!(counters.count(&[check(*key, 0)], 0.0), [round as u64 + 2]);
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;
        use std::collections::HashMap;

        #[derive(Debug, Clone)]
        enum Op {
            Count(Vec<(u8, u8)>, u16),
        }

        proptest! {
            #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]
            /// Against a plain model with no bound (few distinct keys, so nothing is evicted).
            #[test]
            fn counts_match_a_plain_model(ops in proptest::collection::vec(
                (proptest::collection::vec((0_u8..12, 0_u8..4), 1..4), 0_u16..50).prop_map(|(keys, at)| Op::Count(keys, at)),
                1..200,
            )) {
                let mut counters = Counters::new();
                let mut model: HashMap<u64, (u32, f64)> = HashMap::new();
                let mut now = 0.0;
                for Op::Count(keys, step) in ops {
                    now += f64::from(step);
                    let mut seen = Vec::new();
                    let checks: Vec<Check> = keys
                        .iter()
                        .filter(|(key, _)| { let fresh = !seen.contains(key); seen.push(*key); fresh })
                        .map(|(key, max)| Check { digest: u64::from(*key), max: u32::from(*max), window_ms: 100 })
                        .collect();
                    let expected: Vec<u64> = checks
                        .iter()
                        .map(|check| match model.get(&check.digest) {
                            Some((count, ends)) if *ends > now => u64::from(*count) + 1,
                            _ => 1,
                        })
                        .collect();
                    if checks.iter().zip(&expected).all(|(check, count)| *count <= u64::from(check.max)) {
                        for check in &checks {
                            let entry = model.entry(check.digest).or_insert((0, f64::NEG_INFINITY));
                            if entry.1 <= now {
                                *entry = (0, now + 100.0);
                            }
                            entry.0 += 1;
                        }
                    }
                    prop_assert_eq!(counters.count(&checks, now), expected);
                }
            }
        }
    }
}
