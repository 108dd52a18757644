//! One database node (a primary or a replica): a few executors in front of an
//! unbounded FIFO queue, like a connection-limited database process.

use super::QueryId;
use std::collections::VecDeque;

/// A node's role in its shard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Takes every write (and reads when they are not split off).
    Primary,
    /// Serves reads, `lag` behind the primary; the number is its place in the shard.
    Replica(u32),
}

/// A node: executors and a queue.
#[derive(Debug, Clone)]
pub struct Node {
    /// Unique over the run: a slot reused for a new node gets a new id.
    id: u32,
    shard: u32,
    role: Role,
    executing: u32,
    queue: VecDeque<QueryId>,
    /// Queries it started since the start.
    started: u64,
    /// A newer layout replaced it: it finishes its work and takes no more.
    retired: bool,
}

impl Node {
    /// An idle node.
    pub fn new(id: u32, shard: u32, role: Role) -> Self {
        Self {
            id,
            shard,
            role,
            executing: 0,
            queue: VecDeque::new(),
            started: 0,
            retired: false,
        }
    }

    /// Takes `query`: `true` if an executor is free (it starts now), else it queues.
    pub fn offer(&mut self, query: QueryId, concurrency: u32) -> bool {
        if self.executing < concurrency {
            self.executing += 1;
            self.started += 1;
            true
        } else {
            self.queue.push_back(query);
            false
        }
    }

    /// An executor finished: the next queued query, if any, starts on it.
    pub fn release(&mut self, concurrency: u32) -> Option<QueryId> {
        self.executing -= 1;
        self.start_queued(concurrency)
    }

    /// Starts a queued query if an executor is free (after the concurrency grew).
    pub fn start_queued(&mut self, concurrency: u32) -> Option<QueryId> {
        if self.executing >= concurrency {
            return None;
        }
        let next = self.queue.pop_front()?;
        self.executing += 1;
        self.started += 1;
        Some(next)
    }

    /// Drops everything (the database went down); returns the queued queries.
    pub fn crash(&mut self) -> Vec<QueryId> {
        self.executing = 0;
        self.queue.drain(..).collect()
    }

    /// Its id, unique over the run.
    pub fn id(&self) -> u32 {
        self.id
    }
    /// Which shard it serves.
    pub fn shard(&self) -> u32 {
        self.shard
    }
    /// Primary or replica.
    pub fn role(&self) -> Role {
        self.role
    }
    /// Queries running now.
    pub fn executing(&self) -> u32 {
        self.executing
    }
    /// The queries waiting for an executor, the next first.
    pub fn queue(&self) -> impl Iterator<Item = QueryId> + '_ {
        self.queue.iter().copied()
    }
    /// How many queries wait for an executor.
    pub fn queued(&self) -> usize {
        self.queue.len()
    }
    /// Queries started since the start.
    pub fn started(&self) -> u64 {
        self.started
    }
    /// Whether a newer layout replaced it.
    pub fn is_retired(&self) -> bool {
        self.retired
    }
    /// Takes no more work.
    pub fn retire(&mut self) {
        self.retired = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_beyond_the_concurrency_wait_in_order() {
        let mut node = Node::new(1, 0, Role::Primary);
        assert!(node.offer(1, 2));
        assert!(node.offer(2, 2));
        assert!(!node.offer(3, 2));
        assert!(!node.offer(4, 2));
        assert_eq!(node.queued(), 2);
        assert_eq!(node.release(2), Some(3));
        assert_eq!(node.release(2), Some(4));
        assert_eq!(node.release(2), None);
        assert_eq!((node.executing(), node.started()), (1, 4));
    }
}
