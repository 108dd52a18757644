//! LRU: evict the entry used least recently.
//!
//! A hit moves the entry to the front of one list; the victim is at the back.

use super::keyed_list::KeyedList;
use super::{Key, Policy};

/// Least recently used.
#[derive(Debug, Default)]
pub struct Lru {
    keys: KeyedList,
}

impl Policy for Lru {
    fn lookup(&mut self, key: Key) -> bool {
        match self.keys.find(key) {
            Some(i) => {
                self.keys.move_to_front(i);
                true
            }
            None => false,
        }
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
    use crate::cache::PolicyKind::Lru;

    #[test]
    fn hand_checked_trace() {
        // Capacity 3. After 1 2 3, 1 hits (recency 1 3 2); 4 evicts 2, the least
        // recent; 2 misses and evicts 3; 3 misses and evicts 1; 1 misses and evicts 4.
        assert_eq!(replay(Lru, 3, &[1, 2, 3, 1, 4, 2, 3, 1]), "MMMHMMMM");
        // The classic LRU win: a hit refreshes the key so it survives one new key.
        assert_eq!(replay(Lru, 2, &[1, 2, 1, 3, 1]), "MMHMH");
    }
}
