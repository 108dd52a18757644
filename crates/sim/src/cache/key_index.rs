//! Key → node index, by array when keys are small, by hash map otherwise.
//!
//! The simulator's keys are small integers (0..count, then session keys), and a
//! replayed trace's keys are interned to 0..distinct: an array indexed by key is then
//! the fastest map there is (no hashing, one memory access). To keep memory tied to
//! the cache rather than to the key space, the array only grows while keys stay below
//! max(65,536, 16 × capacity); a larger key turns the index into a hash map for good.

use super::list::NIL;
use super::{Key, KeyMap};

/// Smallest array bound, whatever the capacity.
const MIN_DENSE: u64 = 1 << 16;
/// Array slots allowed per unit of cache capacity.
const DENSE_PER_ENTRY: u64 = 16;

/// Where each cached key's node is.
#[derive(Debug, Clone)]
pub enum KeyIndex {
    /// `slots[key]` is the node, or [`NIL`].
    Dense { slots: Vec<u32>, limit: u64 },
    /// A hash map, for keys too large for an array.
    Sparse(KeyMap<u32>),
}

impl Default for KeyIndex {
    fn default() -> Self {
        KeyIndex::Dense {
            slots: Vec::new(),
            limit: MIN_DENSE,
        }
    }
}

impl KeyIndex {
    /// Sets the array bound from the cache's capacity.
    pub fn set_capacity(&mut self, capacity: usize) {
        if let KeyIndex::Dense { limit, .. } = self {
            *limit = MIN_DENSE.max(DENSE_PER_ENTRY.saturating_mul(capacity as u64));
        }
    }

    /// The node of `key`, if indexed.
    #[inline]
    pub fn get(&self, key: Key) -> Option<u32> {
        match self {
            // Not `key as usize`: on wasm32 that would truncate a key above 2^32 onto
            // another key's slot.
            KeyIndex::Dense { slots, .. } => usize::try_from(key)
                .ok()
                .and_then(|k| slots.get(k))
                .copied()
                .filter(|&i| i != NIL),
            KeyIndex::Sparse(map) => map.get(&key).copied(),
        }
    }

    /// Indexes `key` at `node`.
    pub fn insert(&mut self, key: Key, node: u32) {
        if let KeyIndex::Dense { slots, limit } = self {
            if key < *limit {
                if key as usize >= slots.len() {
                    slots.resize((key as usize + 1).next_power_of_two(), NIL);
                }
                slots[key as usize] = node;
                return;
            }
            self.make_sparse();
        }
        if let KeyIndex::Sparse(map) = self {
            map.insert(key, node);
        }
    }

    /// Un-indexes `key`; returns its node if it was indexed.
    pub fn remove(&mut self, key: Key) -> Option<u32> {
        match self {
            KeyIndex::Dense { slots, .. } => {
                let slot = slots.get_mut(usize::try_from(key).ok()?)?;
                let node = std::mem::replace(slot, NIL);
                (node != NIL).then_some(node)
            }
            KeyIndex::Sparse(map) => map.remove(&key),
        }
    }

    fn make_sparse(&mut self) {
        if let KeyIndex::Dense { slots, .. } = self {
            let map = slots
                .iter()
                .enumerate()
                .filter(|(_, &n)| n != NIL)
                .map(|(k, &n)| (k as Key, n))
                .collect();
            *self = KeyIndex::Sparse(map);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_keys_use_the_array_and_a_large_one_switches_to_the_map() {
        let mut index = KeyIndex::default();
        index.insert(3, 30);
        index.insert(7, 70);
        assert!(matches!(index, KeyIndex::Dense { .. }));
        assert_eq!(index.get(3), Some(30));
        assert_eq!(index.remove(3), Some(30));
        assert_eq!(index.get(3), None);
        index.insert(1 << 40, 99);
        assert!(matches!(index, KeyIndex::Sparse(_)));
        assert_eq!(index.get(7), Some(70));
        assert_eq!(index.get(1 << 40), Some(99));
        assert_eq!(index.get(5), None);
    }

    #[test]
    fn the_array_bound_follows_the_capacity() {
        let mut index = KeyIndex::default();
        index.set_capacity(100_000);
        index.insert(1_500_000, 1);
        assert!(matches!(index, KeyIndex::Dense { .. }));
        index.insert(1_700_000, 2);
        assert!(matches!(index, KeyIndex::Sparse(_)));
    }
}
