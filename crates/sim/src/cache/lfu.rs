//! LFU: evict the entry used least often; among equals, the least recently used.
//!
//! O(1) per operation: one recency list per frequency, and the lowest frequency
//! present is tracked, so the victim is the back of that list.

use super::key_index::KeyIndex;
use super::list::{Arena, List};
use super::{Key, Policy};
use rustc_hash::FxHashMap;

/// Least frequently used (frequency counted since the entry was admitted).
#[derive(Debug, Default)]
pub struct Lfu {
    arena: Arena,
    /// Frequency → entries with that frequency, most recent first.
    buckets: FxHashMap<u32, List>,
    index: KeyIndex,
    min_frequency: u32,
    len: usize,
}

impl Lfu {
    fn link(&mut self, i: u32, frequency: u32) {
        self.arena[i].count = frequency;
        let bucket = self.buckets.entry(frequency).or_default();
        bucket.push_front(&mut self.arena, i);
    }

    /// Unlinks node `i` from its bucket, dropping the bucket if it empties; returns
    /// whether it did. `min_frequency` is the caller's to keep.
    fn detach(&mut self, i: u32) -> bool {
        let frequency = self.arena[i].count;
        let bucket = self
            .buckets
            .get_mut(&frequency)
            .expect("node is in its bucket");
        bucket.unlink(&mut self.arena, i);
        let emptied = bucket.len == 0;
        if emptied {
            self.buckets.remove(&frequency);
        }
        emptied
    }
}

impl Policy for Lfu {
    fn lookup(&mut self, key: Key) -> bool {
        let Some(i) = self.index.get(key) else {
            return false;
        };
        let frequency = self.arena[i].count;
        if self.detach(i) && self.min_frequency == frequency {
            // The node lands in the next bucket, so that one is now the lowest.
            self.min_frequency = frequency + 1;
        }
        self.link(i, frequency + 1);
        true
    }

    fn admit(&mut self, key: Key) {
        let i = self.arena.alloc(key);
        self.link(i, 1);
        self.index.insert(key, i);
        self.min_frequency = 1;
        self.len += 1;
    }

    fn evict(&mut self) -> Option<Key> {
        if !self.buckets.contains_key(&self.min_frequency) {
            // Stale after an eviction or removal emptied the lowest bucket: repair
            // here, lazily, since an admission usually resets it to 1 first.
            self.min_frequency = self.buckets.keys().copied().min()?;
        }
        let victim = self.buckets[&self.min_frequency].tail;
        self.detach(victim);
        let key = self.arena[victim].key;
        self.index.remove(key);
        self.arena.release(victim);
        self.len -= 1;
        Some(key)
    }

    fn remove(&mut self, key: Key) -> bool {
        let Some(i) = self.index.remove(key) else {
            return false;
        };
        self.detach(i);
        self.arena.release(i);
        self.len -= 1;
        true
    }

    fn len(&self) -> usize {
        self.len
    }

    fn set_capacity(&mut self, capacity: usize) {
        self.index.set_capacity(capacity);
    }

    fn keys(&self) -> Vec<Key> {
        let mut frequencies: Vec<u32> = self.buckets.keys().copied().collect();
        frequencies.sort_unstable();
        let mut keys = Vec::with_capacity(self.len);
        for f in frequencies {
            let mut bucket_keys = self.buckets[&f].keys(&self.arena);
            bucket_keys.reverse();
            keys.extend(bucket_keys);
        }
        keys
    }
}

#[cfg(test)]
mod tests {
    use crate::cache::tests::replay;
    use crate::cache::PolicyKind::Lfu;

    #[test]
    fn hand_checked_trace() {
        // Capacity 2. 1 is used twice (frequency 2); 2 once. 3 evicts 2 (least
        // frequent), so 1 hits again and 2 misses.
        assert_eq!(replay(Lfu, 2, &[1, 1, 2, 3, 1, 2]), "MHMMHM");
    }

    #[test]
    fn ties_go_to_the_least_recently_used() {
        // Capacity 2, 1 and 2 both at frequency 1; 1 is older, so 3 evicts 1.
        assert_eq!(replay(Lfu, 2, &[1, 2, 3, 2, 1]), "MMMHM");
        // Touch 1 and 2 equally but 2 last: 3 evicts 1.
        assert_eq!(replay(Lfu, 2, &[1, 2, 1, 2, 3, 2, 1]), "MMHHMHM");
    }

    #[test]
    fn a_new_entry_is_the_next_victim_among_old_frequent_ones() {
        // 1 and 2 hot (frequency 3); 3 arrives and is the least frequent, so 4
        // evicts 3, not a hot key.
        assert_eq!(
            replay(Lfu, 3, &[1, 1, 1, 2, 2, 2, 3, 4, 1, 2, 3]),
            "MHHMHHMMHHM"
        );
    }
}
