//! S3-FIFO (Yang et al., SOSP 2023): three FIFO queues.
//!
//! - **Small** (10 % of the capacity) takes new keys. Most keys are used once
//!   ("one-hit wonders"); they leave from here quickly, remembered in the ghost queue.
//! - **Main** (the other 90 %) takes keys hit while in small, and keys seen again while
//!   still in the ghost. It evicts as FIFO with reinsertion: a key with a non-zero
//!   2-bit counter goes back to the front with the counter decremented.
//! - **Ghost** remembers the keys (no values) of the last evictions from small.
//!
//! Semantics as in libCacheSim's `S3FIFO`: a key hit at least once in small moves to
//! main; hits raise a counter capped at 3.

use super::key_index::KeyIndex;
use super::list::{Arena, List};
use super::{Key, KeyMap, Policy};
use std::collections::VecDeque;

/// Counter cap: two bits.
const MAX_COUNT: u32 = 3;
/// Small queue's share of the capacity, in tenths.
const SMALL_TENTHS: usize = 1;

/// The S3-FIFO policy.
#[derive(Debug, Default)]
pub struct S3Fifo {
    arena: Arena,
    small: List,
    main: List,
    index: KeyIndex,
    /// Recently evicted keys with their ghost sequence number, oldest first.
    ghost_queue: VecDeque<(Key, u64)>,
    /// Live ghost entries; a key readmitted leaves a stale entry in the queue.
    ghost: KeyMap<u64>,
    ghost_seq: u64,
    small_target: usize,
    ghost_capacity: usize,
}

impl S3Fifo {
    /// Evicts from small: a key hit there moves to main (returns `None`), others go.
    fn evict_small(&mut self) -> Option<Key> {
        let i = self.small.pop_back(&mut self.arena)?;
        if self.arena[i].count > 0 {
            self.arena[i].count = 0;
            self.arena[i].flag = true;
            self.main.push_front(&mut self.arena, i);
            return None;
        }
        let key = self.drop_node(i);
        self.remember(key);
        Some(key)
    }

    /// Evicts from main: a key with a non-zero counter is reinserted, decremented.
    fn evict_main(&mut self) -> Option<Key> {
        let i = self.main.pop_back(&mut self.arena)?;
        if self.arena[i].count > 0 {
            self.arena[i].count -= 1;
            self.main.push_front(&mut self.arena, i);
            return None;
        }
        Some(self.drop_node(i))
    }

    fn drop_node(&mut self, i: u32) -> Key {
        let key = self.arena[i].key;
        self.index.remove(key);
        self.arena.release(i);
        key
    }

    fn remember(&mut self, key: Key) {
        self.ghost_seq += 1;
        self.ghost.insert(key, self.ghost_seq);
        self.ghost_queue.push_back((key, self.ghost_seq));
        while self.ghost_queue.len() > self.ghost_capacity {
            let (old, seq) = self.ghost_queue.pop_front().expect("non-empty");
            if self.ghost.get(&old) == Some(&seq) {
                self.ghost.remove(&old);
            }
        }
    }

    /// Keys in small, then main, each oldest first: for tests.
    #[cfg(test)]
    fn queues(&self) -> (Vec<Key>, Vec<Key>) {
        let mut small = self.small.keys(&self.arena);
        let mut main = self.main.keys(&self.arena);
        small.reverse();
        main.reverse();
        (small, main)
    }
}

impl Policy for S3Fifo {
    fn lookup(&mut self, key: Key) -> bool {
        match self.index.get(key) {
            Some(i) => {
                let node = &mut self.arena[i];
                node.count = (node.count + 1).min(MAX_COUNT);
                true
            }
            None => false,
        }
    }

    fn admit(&mut self, key: Key) {
        let i = self.arena.alloc(key);
        if self.ghost.remove(&key).is_some() {
            self.arena[i].flag = true;
            self.main.push_front(&mut self.arena, i);
        } else {
            self.small.push_front(&mut self.arena, i);
        }
        self.index.insert(key, i);
    }

    fn evict(&mut self) -> Option<Key> {
        loop {
            if self.small.len + self.main.len == 0 {
                return None;
            }
            let from_small = self.small.len >= self.small_target || self.main.len == 0;
            let evicted = if from_small {
                self.evict_small()
            } else {
                self.evict_main()
            };
            if evicted.is_some() {
                return evicted;
            }
        }
    }

    fn remove(&mut self, key: Key) -> bool {
        let Some(i) = self.index.get(key) else {
            return false;
        };
        if self.arena[i].flag {
            self.main.unlink(&mut self.arena, i);
        } else {
            self.small.unlink(&mut self.arena, i);
        }
        self.drop_node(i);
        true
    }

    fn len(&self) -> usize {
        self.small.len + self.main.len
    }

    fn set_capacity(&mut self, capacity: usize) {
        self.small_target = (capacity * SMALL_TENTHS / 10).max(1);
        self.ghost_capacity = capacity.saturating_sub(self.small_target).max(1);
        self.index.set_capacity(capacity);
    }

    fn keys(&self) -> Vec<Key> {
        let mut small = self.small.keys(&self.arena);
        let mut main = self.main.keys(&self.arena);
        small.reverse();
        main.reverse();
        small.extend(main);
        small
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::tests::replay;
    use crate::cache::PolicyKind::{Lru, S3Fifo as S3};

    fn request(p: &mut S3Fifo, capacity: usize, key: Key) -> bool {
        if p.lookup(key) {
            return true;
        }
        while p.len() >= capacity {
            p.evict();
        }
        p.admit(key);
        false
    }

    #[test]
    fn hand_checked_trace_and_queues() {
        // Capacity 5: small target 1, main 4, ghost 4.
        let mut p = S3Fifo::default();
        p.set_capacity(5);
        let trace = [1, 2, 3, 4, 5, 1, 6, 2, 1, 3, 7, 1];
        let hits: String = trace
            .iter()
            .map(|&k| if request(&mut p, 5, k) { 'H' } else { 'M' })
            .collect();
        // 6: small's oldest, 1, was hit, so it moves to main; 2 (unhit) is evicted to
        // the ghost. 2 again: in the ghost, so it is admitted straight into main,
        // evicting 3 from small. 3 again likewise (evicting 4); 7 evicts 5.
        assert_eq!(hits, "MMMMMHMMHMMH");
        assert_eq!(p.queues(), (vec![6, 7], vec![1, 2, 3]));
    }

    #[test]
    fn a_scan_does_not_flush_the_hot_keys() {
        // Hot keys used twice, then a one-pass scan of 100 keys, then the hot keys.
        let hot: Vec<Key> = (1..=5).collect();
        let mut trace: Vec<Key> = hot.iter().chain(&hot).copied().collect();
        trace.extend(100..200);
        trace.extend(&hot);
        let tail = |s: String| s[s.len() - 5..].to_string();
        assert_eq!(tail(replay(S3, 10, &trace)), "HHHHH");
        assert_eq!(tail(replay(Lru, 10, &trace)), "MMMMM");
    }
}
