//! The cache's settings, as the scenario names them, validated by path.

use super::PolicyKind;
use crate::dist::Distribution;
use crate::validate::{in_range, positive, Path, ScenarioError};
use serde::{Deserialize, Serialize};

/// Where the cache lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    /// One cache node shared by every server.
    Shared,
    /// One cache inside each server: hit rates depend on how the balancer routes.
    Local,
}

/// What a write does to the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WriteMode {
    /// Delete the key; the next read misses and reloads it.
    Invalidate,
    /// Store the new value in the cache as well as the database.
    WriteThrough,
}

/// The cache.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheConfig {
    /// Shared node or one per server.
    pub placement: Placement,
    /// Eviction policy.
    pub policy: PolicyKind,
    /// Entries per cache.
    pub capacity: u32,
    /// Entries older than this are stale; `null`: no expiry.
    pub ttl_seconds: Option<f64>,
    /// Time to look a key up (hit or miss).
    pub lookup_latency: Distribution,
    /// What writes do.
    pub write_mode: WriteMode,
    /// Misses on a key already being loaded wait for that load (single flight)
    /// instead of querying the database again.
    #[serde(default)]
    pub coalesce: bool,
}

impl CacheConfig {
    /// Checks every value; `path` names this section in errors (`cache`).
    pub fn validate(&self, path: Path) -> Result<(), ScenarioError> {
        in_range(path.field("capacity"), self.capacity, 0, 100_000_000)?;
        if let Some(ttl) = self.ttl_seconds {
            positive(path.field("ttl_seconds"), ttl)?;
        }
        self.lookup_latency.validate(path.field("lookup_latency"))
    }
}
