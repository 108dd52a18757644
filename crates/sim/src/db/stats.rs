//! The database's counters since the start, and the figures of one window computed
//! from two snapshots of them.

use super::node::{Node, Role};
use serde::Serialize;

/// Counters since the start.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DbStats {
    /// Reads answered.
    pub reads: u64,
    /// Writes committed (directly or from the write queue).
    pub writes: u64,
    /// Queries that found every connection of their server's pool taken.
    pub pool_waits: u64,
    /// Seconds those queries waited for a connection (timeouts included).
    pub pool_wait_seconds: f64,
    /// Queries that gave up waiting for a connection.
    pub pool_timeouts: u64,
    /// Writes that found their row locked.
    pub lock_waits: u64,
    /// Seconds those writes waited for the lock.
    pub lock_wait_seconds: f64,
    /// Optimistic writes that found their row changed at commit (each ran again or failed).
    pub conflicts: u64,
    /// Writes that failed after their last conflict.
    pub conflict_failures: u64,
    /// Reads a replica answered with a version older than the primary's.
    pub stale_reads: u64,
    /// Cache fills with a value older than the database's.
    pub stale_cache_fills: u64,
    /// Cache hits that returned a value older than the database's.
    pub stale_cache_hits: u64,
    /// Queries that failed at the error rate or because the database was down.
    pub errors: u64,
    /// Writes put on the write queue.
    pub queue_enqueued: u64,
    /// Writes from the queue that are now committed.
    pub queue_written: u64,
    /// Seconds from enqueue until reads see the write (its commit, plus the replication
    /// lag when reads go to replicas), summed over those writes.
    pub queue_lag_seconds: f64,
    /// Longest such time seen.
    pub queue_lag_max: f64,
    /// Of the writes from the queue, those marked urgent.
    pub queue_urgent_written: u64,
    /// Their summed lag (to compare with all writes' under FIFO and priority order).
    pub queue_urgent_lag_seconds: f64,
    /// ∫ queue depth dt.
    pub queue_depth_area: f64,
}

/// A node's count at a moment, to difference across a window.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeCount {
    id: u32,
    shard: u32,
    role: Role,
    started: u64,
    retired: bool,
}

impl NodeCount {
    /// Reads `node`.
    pub fn of(node: &Node) -> Self {
        Self {
            id: node.id(),
            shard: node.shard(),
            role: node.role(),
            started: node.started(),
            retired: node.is_retired(),
        }
    }
}

/// Everything needed to compute a window: counters and per-node counts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DbSnapshot {
    /// The counters.
    pub stats: DbStats,
    /// Each node's count, by node index.
    pub nodes: Vec<NodeCount>,
}

/// One node over a window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeWindow {
    /// Its shard.
    pub shard: u32,
    /// 0 for the primary, 1.. for replicas.
    pub replica: u32,
    /// Queries it started.
    pub queries: u64,
}

/// Database figures over a window.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DbWindow {
    /// Reads answered.
    pub reads: u64,
    /// Writes committed.
    pub writes: u64,
    /// Queries started per node (retired nodes left out).
    pub nodes: Vec<NodeWindow>,
    /// Queries started per shard.
    pub shards: Vec<u64>,
    /// Queries that waited for a connection.
    pub pool_waits: u64,
    /// Mean wait of those, in seconds.
    pub mean_pool_wait: f64,
    /// Queries that gave up waiting for a connection.
    pub pool_timeouts: u64,
    /// Writes that waited for a row lock.
    pub lock_waits: u64,
    /// Mean wait of those, in seconds.
    pub mean_lock_wait: f64,
    /// Optimistic conflicts.
    pub conflicts: u64,
    /// Stale replica reads.
    pub stale_reads: u64,
    /// Hits on stale cache entries.
    pub stale_cache_hits: u64,
    /// Time-average depth of the write queue.
    pub queue_depth: f64,
    /// Mean time from enqueue until reads see the write, over the writes from the queue.
    pub queue_lag: f64,
}

impl DbWindow {
    /// The window between `before` and `after`, `span` seconds long.
    pub fn between(before: &DbSnapshot, after: &DbSnapshot, span: f64) -> Self {
        let (b, a) = (&before.stats, &after.stats);
        let mut nodes = Vec::new();
        let mut shards = Vec::new();
        for (i, now) in after.nodes.iter().enumerate() {
            // A slot reused by a new node since `before` counts from 0.
            let then = before
                .nodes
                .get(i)
                .filter(|n| n.id == now.id)
                .map_or(0, |n| n.started);
            if now.retired {
                continue;
            }
            let queries = now.started - then;
            let replica = match now.role {
                Role::Primary => 0,
                Role::Replica(r) => r + 1,
            };
            nodes.push(NodeWindow {
                shard: now.shard,
                replica,
                queries,
            });
            let shard = now.shard as usize;
            if shards.len() <= shard {
                shards.resize(shard + 1, 0);
            }
            shards[shard] += queries;
        }
        let pool_waits = a.pool_waits - b.pool_waits;
        let lock_waits = a.lock_waits - b.lock_waits;
        let written = a.queue_written - b.queue_written;
        Self {
            reads: a.reads - b.reads,
            writes: a.writes - b.writes,
            nodes,
            shards,
            pool_waits,
            mean_pool_wait: mean(a.pool_wait_seconds - b.pool_wait_seconds, pool_waits),
            pool_timeouts: a.pool_timeouts - b.pool_timeouts,
            lock_waits,
            mean_lock_wait: mean(a.lock_wait_seconds - b.lock_wait_seconds, lock_waits),
            conflicts: a.conflicts - b.conflicts,
            stale_reads: a.stale_reads - b.stale_reads,
            stale_cache_hits: a.stale_cache_hits - b.stale_cache_hits,
            queue_depth: if span > 0.0 {
                (a.queue_depth_area - b.queue_depth_area) / span
            } else {
                0.0
            },
            queue_lag: mean(a.queue_lag_seconds - b.queue_lag_seconds, written),
        }
    }
}

fn mean(sum: f64, count: u64) -> f64 {
    if count == 0 {
        0.0
    } else {
        sum / count as f64
    }
}
