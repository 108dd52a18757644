//! Doubly linked lists threaded through one arena of nodes, by index.
//!
//! Every policy here is some arrangement of queues (LRU moves a hit to the front, FIFO
//! does not, S3-FIFO has two queues, LFU one per frequency). Indices instead of pointers
//! keep it safe Rust, and one arena lets a node move between lists without reallocating.

use super::Key;

/// "No node": the end of a list.
pub const NIL: u32 = u32::MAX;

/// One cached key and its links.
#[derive(Debug, Clone)]
pub struct Node {
    /// The key this node holds.
    pub key: Key,
    /// Toward the front (newer).
    pub prev: u32,
    /// Toward the back (older).
    pub next: u32,
    /// Policy-specific counter: LFU's frequency, S3-FIFO's 2-bit count.
    pub count: u32,
    /// Policy-specific bit: SIEVE's "visited", S3-FIFO's "in main queue".
    pub flag: bool,
}

/// Storage for nodes; freed slots are reused.
#[derive(Debug, Default, Clone)]
pub struct Arena {
    nodes: Vec<Node>,
    free: Vec<u32>,
}

impl Arena {
    /// A new unlinked node holding `key`.
    pub fn alloc(&mut self, key: Key) -> u32 {
        let node = Node {
            key,
            prev: NIL,
            next: NIL,
            count: 0,
            flag: false,
        };
        match self.free.pop() {
            Some(i) => {
                self.nodes[i as usize] = node;
                i
            }
            None => {
                self.nodes.push(node);
                (self.nodes.len() - 1) as u32
            }
        }
    }

    /// Returns node `i` to the free list; it must already be unlinked.
    pub fn release(&mut self, i: u32) {
        self.free.push(i);
    }
}

impl std::ops::Index<u32> for Arena {
    type Output = Node;
    fn index(&self, i: u32) -> &Node {
        &self.nodes[i as usize]
    }
}

impl std::ops::IndexMut<u32> for Arena {
    fn index_mut(&mut self, i: u32) -> &mut Node {
        &mut self.nodes[i as usize]
    }
}

/// A list's ends and length; its links live in an [`Arena`].
#[derive(Debug, Clone, Copy)]
pub struct List {
    /// Newest node, or [`NIL`].
    pub head: u32,
    /// Oldest node, or [`NIL`].
    pub tail: u32,
    /// Number of nodes.
    pub len: usize,
}

impl Default for List {
    fn default() -> Self {
        Self {
            head: NIL,
            tail: NIL,
            len: 0,
        }
    }
}

impl List {
    /// Links node `i` in at the front.
    pub fn push_front(&mut self, arena: &mut Arena, i: u32) {
        arena[i].prev = NIL;
        arena[i].next = self.head;
        if self.head != NIL {
            arena[self.head].prev = i;
        } else {
            self.tail = i;
        }
        self.head = i;
        self.len += 1;
    }

    /// Unlinks node `i`, which must be in this list.
    pub fn unlink(&mut self, arena: &mut Arena, i: u32) {
        let (prev, next) = (arena[i].prev, arena[i].next);
        if prev != NIL {
            arena[prev].next = next;
        } else {
            self.head = next;
        }
        if next != NIL {
            arena[next].prev = prev;
        } else {
            self.tail = prev;
        }
        arena[i].prev = NIL;
        arena[i].next = NIL;
        self.len -= 1;
    }

    /// Unlinks and returns the oldest node.
    pub fn pop_back(&mut self, arena: &mut Arena) -> Option<u32> {
        let tail = self.tail;
        (tail != NIL).then(|| {
            self.unlink(arena, tail);
            tail
        })
    }

    /// Moves node `i`, already in this list, to the front.
    pub fn move_to_front(&mut self, arena: &mut Arena, i: u32) {
        if self.head != i {
            self.unlink(arena, i);
            self.push_front(arena, i);
        }
    }

    /// Keys from front (newest) to back (oldest), for tests and inspection.
    pub fn keys(&self, arena: &Arena) -> Vec<Key> {
        let mut out = Vec::with_capacity(self.len);
        let mut i = self.head;
        while i != NIL {
            out.push(arena[i].key);
            i = arena[i].next;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_unlink_move_and_pop_keep_links_consistent() {
        let mut arena = Arena::default();
        let mut list = List::default();
        let ids: Vec<u32> = (1..=4).map(|k| arena.alloc(k)).collect();
        for &i in &ids {
            list.push_front(&mut arena, i);
        }
        assert_eq!(list.keys(&arena), [4, 3, 2, 1]);
        list.move_to_front(&mut arena, ids[0]);
        assert_eq!(list.keys(&arena), [1, 4, 3, 2]);
        list.unlink(&mut arena, ids[2]);
        assert_eq!(list.keys(&arena), [1, 4, 2]);
        assert_eq!(list.pop_back(&mut arena).map(|i| arena[i].key), Some(2));
        assert_eq!(list.keys(&arena), [1, 4]);
        assert_eq!(list.len, 2);
    }
}
