//! Random eviction: any entry is equally likely to go.
//!
//! Surprisingly competitive under skewed popularity and free of metadata updates on
//! hits, which is why some hardware caches use it.

use super::key_index::KeyIndex;
use super::{Key, Policy};
use crate::rng::{below, SimRng};

/// Evicts a uniformly random entry.
#[derive(Debug)]
pub struct RandomEviction {
    keys: Vec<Key>,
    position: KeyIndex,
    rng: SimRng,
}

impl RandomEviction {
    /// An empty cache drawing victims from `rng`.
    pub fn new(rng: SimRng) -> Self {
        Self {
            keys: Vec::new(),
            position: KeyIndex::default(),
            rng,
        }
    }

    fn remove_at(&mut self, at: usize) -> Key {
        let key = self.keys.swap_remove(at);
        self.position.remove(key);
        if let Some(&moved) = self.keys.get(at) {
            self.position.insert(moved, at as u32);
        }
        key
    }
}

impl Policy for RandomEviction {
    fn lookup(&mut self, key: Key) -> bool {
        self.position.get(key).is_some()
    }

    fn admit(&mut self, key: Key) {
        self.position.insert(key, self.keys.len() as u32);
        self.keys.push(key);
    }

    fn evict(&mut self) -> Option<Key> {
        if self.keys.is_empty() {
            return None;
        }
        let at = below(&mut self.rng, self.keys.len() as u32) as usize;
        Some(self.remove_at(at))
    }

    fn remove(&mut self, key: Key) -> bool {
        match self.position.get(key) {
            Some(at) => {
                self.remove_at(at as usize);
                true
            }
            None => false,
        }
    }

    fn len(&self) -> usize {
        self.keys.len()
    }

    fn set_capacity(&mut self, capacity: usize) {
        self.position.set_capacity(capacity);
    }

    fn keys(&self) -> Vec<Key> {
        self.keys.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{stream, Stream};

    #[test]
    fn victims_are_spread_over_all_entries() {
        let mut counts = [0u32; 4];
        let mut policy = RandomEviction::new(stream(9, Stream::Cache(0)));
        for _ in 0..4_000 {
            for k in 0..4 {
                if !policy.lookup(k) {
                    policy.admit(k);
                }
            }
            let victim = policy.evict().unwrap();
            counts[victim as usize] += 1;
        }
        assert!(
            counts.iter().all(|&c| (850..1150).contains(&c)),
            "{counts:?}"
        );
    }

    #[test]
    fn removal_keeps_positions_consistent() {
        let mut policy = RandomEviction::new(stream(9, Stream::Cache(0)));
        for k in 0..5 {
            policy.admit(k);
        }
        assert!(policy.remove(0));
        assert!(policy.remove(3));
        assert!(!policy.remove(3));
        let mut left = policy.keys();
        left.sort_unstable();
        assert_eq!(left, [1, 2, 4]);
        assert!((1..5).filter(|k| *k != 3).all(|k| policy.lookup(k)));
    }
}
