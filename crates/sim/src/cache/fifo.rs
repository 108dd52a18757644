//! FIFO: evict the entry inserted first; hits change nothing.
//!
//! The baseline that shows what recency tracking buys (and, with SIEVE and S3-FIFO,
//! how much a single bit of it can buy).

use super::keyed_list::KeyedList;
use super::{Key, Policy};

/// First in, first out.
#[derive(Debug, Default)]
pub struct Fifo {
    keys: KeyedList,
}

impl Policy for Fifo {
    fn lookup(&mut self, key: Key) -> bool {
        self.keys.find(key).is_some()
    }

    fn admit(&mut self, key: Key) {
        self.keys.push_front(key);
    }

    fn evict(&mut self) -> Option<Key> {
        self.keys.pop_back()
    }

    fn replace(&mut self, key: Key) -> Option<Key> {
        self.keys.replace_back(key)
    }

    fn remove(&mut self, key: Key) -> bool {
        self.keys.remove(key)
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
    use crate::cache::PolicyKind::Fifo;

    #[test]
    fn hand_checked_trace() {
        // Same trace as LRU's second: the hit on 1 does not save it, so 3 evicts 1.
        assert_eq!(replay(Fifo, 2, &[1, 2, 1, 3, 1]), "MMHMM");
        // Capacity 3: 1 2 3 in; 1 hits; 4 evicts 1 (oldest); 1 misses, evicts 2.
        assert_eq!(replay(Fifo, 3, &[1, 2, 3, 1, 4, 1, 2]), "MMMHMMM");
    }
}
