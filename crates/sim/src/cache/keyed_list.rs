//! A list of keys with an index from key to node: the structure LRU, FIFO and SIEVE
//! share. Newest at the front, oldest at the back. What differs between those
//! policies (whether a hit moves the node, which node is evicted) is theirs to decide.

use super::key_index::KeyIndex;
use super::list::{Arena, List, Node};
use super::Key;

/// Keys in order, findable by key.
#[derive(Debug, Default)]
pub struct KeyedList {
    arena: Arena,
    list: List,
    index: KeyIndex,
}

impl KeyedList {
    /// The node holding `key`, if present.
    pub fn find(&self, key: Key) -> Option<u32> {
        self.index.get(key)
    }

    /// Sizes the index for a cache of `capacity` entries.
    pub fn set_capacity(&mut self, capacity: usize) {
        self.index.set_capacity(capacity);
    }

    /// Adds `key` (absent) at the front; returns its node.
    pub fn push_front(&mut self, key: Key) -> u32 {
        let i = self.arena.alloc(key);
        self.list.push_front(&mut self.arena, i);
        self.index.insert(key, i);
        i
    }

    /// Moves node `i` to the front.
    pub fn move_to_front(&mut self, i: u32) {
        self.list.move_to_front(&mut self.arena, i);
    }

    /// Removes the oldest key and returns it.
    pub fn pop_back(&mut self) -> Option<Key> {
        let tail = self.list.tail;
        (tail != super::list::NIL).then(|| self.remove_node(tail))
    }

    /// Puts `key` (absent) at the front in the oldest key's node, and returns the
    /// oldest key: an eviction and an insertion with one relinking and no allocation.
    pub fn replace_back(&mut self, key: Key) -> Option<Key> {
        let tail = self.list.tail;
        if tail == super::list::NIL {
            self.push_front(key);
            return None;
        }
        let victim = std::mem::replace(&mut self.arena[tail].key, key);
        self.index.remove(victim);
        self.index.insert(key, tail);
        self.list.move_to_front(&mut self.arena, tail);
        Some(victim)
    }

    /// Removes `key` if present; `true` if it was.
    pub fn remove(&mut self, key: Key) -> bool {
        match self.find(key) {
            Some(i) => {
                self.remove_node(i);
                true
            }
            None => false,
        }
    }

    /// Removes node `i` and returns its key.
    pub fn remove_node(&mut self, i: u32) -> Key {
        self.list.unlink(&mut self.arena, i);
        let key = self.arena[i].key;
        self.index.remove(key);
        self.arena.release(i);
        key
    }

    /// Node `i`, to read or set its policy fields.
    pub fn node(&mut self, i: u32) -> &mut Node {
        &mut self.arena[i]
    }

    /// The oldest node, or [`super::list::NIL`].
    pub fn tail(&self) -> u32 {
        self.list.tail
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.list.len
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.list.len == 0
    }

    /// Keys, oldest first.
    pub fn keys_oldest_first(&self) -> Vec<Key> {
        let mut keys = self.list.keys(&self.arena);
        keys.reverse();
        keys
    }
}
