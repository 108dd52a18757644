//! Pessimistic row locks: one holder per row and a FIFO of writes waiting for it.

use super::QueryId;
use crate::cache::{Key, KeyMap};
use std::collections::VecDeque;

/// Locks held, by row.
#[derive(Debug, Clone, Default)]
pub struct LockTable {
    /// Rows locked now, with the writes queued behind the holder.
    held: KeyMap<VecDeque<QueryId>>,
}

impl LockTable {
    /// Takes `key`'s lock for `query`: `true` if it was free, else `query` queues.
    pub fn acquire(&mut self, key: Key, query: QueryId) -> bool {
        match self.held.get_mut(&key) {
            Some(waiters) => {
                waiters.push_back(query);
                false
            }
            None => {
                self.held.insert(key, VecDeque::new());
                true
            }
        }
    }

    /// The holder releases `key`: the next waiter, if any, now holds it.
    pub fn release(&mut self, key: Key) -> Option<QueryId> {
        let waiters = self.held.get_mut(&key)?;
        let next = waiters.pop_front();
        if next.is_none() {
            self.held.remove(&key);
        }
        next
    }

    /// Rows locked now.
    pub fn locked_rows(&self) -> usize {
        self.held.len()
    }

    /// Forgets every lock (the database went down); returns the writes that waited.
    pub fn clear(&mut self) -> Vec<QueryId> {
        self.held.drain().flat_map(|(_, w)| w).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waiters_get_the_lock_in_turn() {
        let mut locks = LockTable::default();
        assert!(locks.acquire(9, 1));
        assert!(!locks.acquire(9, 2));
        assert!(locks.acquire(10, 3));
        assert_eq!(locks.release(9), Some(2));
        assert_eq!(locks.release(9), None);
        assert_eq!(locks.locked_rows(), 1);
    }
}
