//! SIEVE (Zhang et al., NSDI 2024): a FIFO queue, one "visited" bit per entry, and a
//! hand that sweeps from the oldest entry toward the newest.
//!
//! A hit only sets the bit (no list surgery, unlike LRU). To evict, the hand clears set
//! bits as it passes and evicts the first unvisited entry; it keeps its place for next
//! time, so survivors stay where they are and new entries are judged quickly.

use super::keyed_list::KeyedList;
use super::list::NIL;
use super::{Key, Policy};

/// The SIEVE policy.
#[derive(Debug)]
pub struct Sieve {
    keys: KeyedList,
    /// Next candidate for eviction, or [`NIL`] to start again from the oldest.
    hand: u32,
}

impl Default for Sieve {
    fn default() -> Self {
        Self {
            keys: KeyedList::default(),
            hand: NIL,
        }
    }
}

impl Sieve {
    /// Removes node `i`, moving the hand off it first.
    fn remove_node(&mut self, i: u32) -> Key {
        if self.hand == i {
            self.hand = self.keys.node(i).prev;
        }
        self.keys.remove_node(i)
    }
}

impl Policy for Sieve {
    fn lookup(&mut self, key: Key) -> bool {
        match self.keys.find(key) {
            Some(i) => {
                self.keys.node(i).flag = true;
                true
            }
            None => false,
        }
    }

    fn admit(&mut self, key: Key) {
        self.keys.push_front(key);
    }

    fn evict(&mut self) -> Option<Key> {
        if self.keys.is_empty() {
            return None;
        }
        let mut at = if self.hand == NIL {
            self.keys.tail()
        } else {
            self.hand
        };
        while self.keys.node(at).flag {
            self.keys.node(at).flag = false;
            at = match self.keys.node(at).prev {
                NIL => self.keys.tail(),
                newer => newer,
            };
        }
        self.hand = at;
        Some(self.remove_node(at))
    }

    fn remove(&mut self, key: Key) -> bool {
        match self.keys.find(key) {
            Some(i) => {
                self.remove_node(i);
                true
            }
            None => false,
        }
    }

    fn len(&self) -> usize {
        self.keys.len()
    }

    fn set_capacity(&mut self, capacity: usize) {
        self.keys.set_capacity(capacity);
    }

    fn keys(&self) -> Vec<Key> {
        self.keys.keys_oldest_first()
    }
}

#[cfg(test)]
mod tests {
    use crate::cache::tests::replay;
    use crate::cache::PolicyKind::{Fifo, Sieve};

    #[test]
    fn hand_checked_trace() {
        // Capacity 3: 1 2 3 in, 1 visited. 4: the hand starts at 1 (oldest), clears its
        // bit, moves to 2 and evicts it. 5: the hand is at 3 now and evicts it. 1 hits.
        assert_eq!(replay(Sieve, 3, &[1, 2, 3, 1, 4, 5, 1]), "MMMHMMH");
        // FIFO on the same trace loses 1 to 4.
        assert_eq!(replay(Fifo, 3, &[1, 2, 3, 1, 4, 5, 1]), "MMMHMMM");
    }

    #[test]
    fn the_hand_keeps_its_place_between_evictions() {
        // 1 2 3 in, 1 and 2 visited. 4: the hand clears 1 and 2 and evicts 3 (newest),
        // ending past the head. 1 visited again. 5: the hand restarts at the oldest (1,
        // visited: cleared), moves to 2 (unvisited) and evicts it; it now rests on 4,
        // which the next miss (2) evicts.
        assert_eq!(
            replay(Sieve, 3, &[1, 2, 3, 1, 2, 4, 1, 5, 2, 1]),
            "MMMHHMHMMH"
        );
    }
}
