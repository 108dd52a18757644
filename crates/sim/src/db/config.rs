//! The database's settings: a documented serde struct, validated by path.

use crate::dist::{Distribution, MAX_SECONDS};
use crate::tagged::need;
use crate::validate::{fraction, in_range, non_negative, positive, Path, ScenarioError};
use serde::{Deserialize, Serialize};

/// Largest number of shards.
pub const MAX_SHARDS: u32 = 64;
/// Largest number of read replicas per shard.
pub const MAX_REPLICAS: u32 = 16;

/// The database behind the cache: shards, each a primary with read replicas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Database {
    /// Round trip between an app server and the database (spent outside any node).
    pub network: Distribution,
    /// CPU time of one query on a node.
    pub processing: Distribution,
    /// Disk time of an indexed lookup or write.
    pub disk: Distribution,
    /// Whether queries use an index; `false`: each query scans its shard's rows.
    pub indexed: bool,
    /// Rows in the table, spread evenly over the shards.
    pub rows: u64,
    /// Seconds a scan takes per million rows (without an index).
    pub scan_seconds_per_million_rows: f64,
    /// Queries one node executes at once; more wait in its queue.
    pub node_concurrency: u32,
    /// Read replicas per shard.
    pub replicas: u32,
    /// Reads go to the replicas (round robin); `false`: every query goes to the primary.
    pub read_write_split: bool,
    /// Time a committed write takes to reach the replicas.
    pub replication_lag: Distribution,
    /// Connections each app server may hold; a query waits for a free one.
    pub pool_size: u32,
    /// A query that waits longer than this for a connection fails; `null`: it waits.
    pub pool_timeout_seconds: Option<f64>,
    /// Number of shards; a key lives on exactly one.
    pub shards: u32,
    /// How keys map to shards.
    pub sharding: Sharding,
    /// How concurrent writes to one row are kept apart.
    pub locking: Locking,
    /// Writes go through a message queue drained by consumers; `null`: written directly.
    pub write_queue: Option<WriteQueueConfig>,
    /// Share of queries (0 to 1) that fail, after their execution.
    pub error_rate: f64,
}

/// How keys map to shards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sharding {
    /// A hash of the key, modulo the shard count: even spread, but one hot key is still
    /// one hot shard.
    Hash,
    /// Contiguous key ranges: shard `i` holds the `i`-th slice of the key space, so
    /// popular low keys (Zipf) crowd onto the first shard.
    Range,
}

/// A [`Locking`] as the file writes it (see `crate::tagged`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LockingFields {
    kind: LockingKind,
    max_retries: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum LockingKind {
    None,
    Pessimistic,
    Optimistic,
}

impl TryFrom<LockingFields> for Locking {
    type Error = String;
    fn try_from(f: LockingFields) -> Result<Self, String> {
        Ok(match f.kind {
            LockingKind::None => Locking::None,
            LockingKind::Pessimistic => Locking::Pessimistic,
            LockingKind::Optimistic => Locking::Optimistic {
                max_retries: need(f.max_retries, "max_retries")?,
            },
        })
    }
}

/// How writes to one row are kept apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "LockingFields")]
pub enum Locking {
    /// No row locks: concurrent writes simply both apply.
    None,
    /// A write takes the row's lock before it runs; others wait in the lock's queue.
    Pessimistic,
    /// A write reads the row's version, runs, and commits only if the version is
    /// unchanged; otherwise it conflicts and runs again, at most `max_retries` times.
    Optimistic { max_retries: u32 },
}

/// Order in which the write queue hands writes to consumers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueOrder {
    /// Oldest first.
    Fifo,
    /// Urgent writes first, oldest first within a class.
    Priority,
}

/// A message queue in front of the primary for writes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WriteQueueConfig {
    /// FIFO or priority.
    pub order: QueueOrder,
    /// Consumers draining the queue, each writing one message at a time.
    pub consumers: u32,
    /// Share of writes (0 to 1) marked urgent (they jump the queue under `priority`).
    pub urgent_share: f64,
}

impl Default for Database {
    /// One unsharded primary with two replicas, indexed, a pool of 8 per server.
    fn default() -> Self {
        Self {
            network: Distribution::Constant { seconds: 0.0005 },
            processing: Distribution::Exponential {
                mean_seconds: 0.002,
            },
            disk: Distribution::Exponential {
                mean_seconds: 0.004,
            },
            indexed: true,
            rows: 1_000_000,
            scan_seconds_per_million_rows: 0.2,
            node_concurrency: 8,
            replicas: 2,
            read_write_split: true,
            replication_lag: Distribution::Constant { seconds: 0.05 },
            pool_size: 8,
            pool_timeout_seconds: Some(0.5),
            shards: 1,
            sharding: Sharding::Hash,
            locking: Locking::None,
            write_queue: None,
            error_rate: 0.0,
        }
    }
}

impl Database {
    /// A database that is a fixed delay of `seconds` per query: no network, no disk, no
    /// replicas, and room everywhere, so nothing in it queues. Lessons and tests use it
    /// where the database is only "the slow call".
    pub fn fixed_delay(seconds: f64) -> Self {
        Self {
            network: Distribution::Constant { seconds: 0.0 },
            processing: Distribution::Constant { seconds },
            disk: Distribution::Constant { seconds: 0.0 },
            replicas: 0,
            node_concurrency: 10_000,
            pool_size: 10_000,
            pool_timeout_seconds: None,
            ..Self::default()
        }
    }

    /// Nodes per shard: the primary and its replicas.
    pub fn nodes_per_shard(&self) -> u32 {
        1 + self.replicas
    }

    /// Mean time a query occupies a node, without queueing.
    pub fn mean_service(&self) -> f64 {
        self.processing.mean() + self.mean_storage()
    }

    /// Mean disk or scan time of one query.
    pub fn mean_storage(&self) -> f64 {
        if self.indexed {
            self.disk.mean()
        } else {
            self.scan_seconds()
        }
    }

    /// Time to scan one shard's rows.
    pub fn scan_seconds(&self) -> f64 {
        self.rows as f64 / f64::from(self.shards.max(1)) / 1e6 * self.scan_seconds_per_million_rows
    }

    /// Checks every value; `path` names this section in errors (`database`).
    pub fn validate(&self, path: Path) -> Result<(), ScenarioError> {
        self.network.validate(path.field("network"))?;
        self.processing.validate(path.field("processing"))?;
        self.disk.validate(path.field("disk"))?;
        self.replication_lag
            .validate(path.field("replication_lag"))?;
        in_range(path.field("rows"), self.rows, 1, 1 << 40)?;
        non_negative(
            path.field("scan_seconds_per_million_rows"),
            self.scan_seconds_per_million_rows,
        )?;
        // Bounded like a distribution's mean: a scan multiplies it by up to a million
        // (2^40 rows), and an unbounded one made the query time infinite (found by fuzzing).
        in_range(
            path.field("scan_seconds_per_million_rows"),
            self.scan_seconds_per_million_rows,
            0.0,
            MAX_SECONDS,
        )?;
        in_range(
            path.field("node_concurrency"),
            self.node_concurrency,
            1,
            10_000,
        )?;
        in_range(path.field("replicas"), self.replicas, 0, MAX_REPLICAS)?;
        in_range(path.field("pool_size"), self.pool_size, 1, 10_000)?;
        if let Some(timeout) = self.pool_timeout_seconds {
            positive(path.field("pool_timeout_seconds"), timeout)?;
        }
        in_range(path.field("shards"), self.shards, 1, MAX_SHARDS)?;
        if let Locking::Optimistic { max_retries } = self.locking {
            in_range(path.field("locking.max_retries"), max_retries, 0, 100)?;
        }
        if let Some(q) = &self.write_queue {
            in_range(path.field("write_queue.consumers"), q.consumers, 1, 10_000)?;
            fraction(path.field("write_queue.urgent_share"), q.urgent_share)?;
        }
        fraction(path.field("error_rate"), self.error_rate)
    }
}
