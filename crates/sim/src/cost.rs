//! What a run costs: a price list in the scenario, and the bill it adds up to.
//!
//! Servers are billed per core-hour from the moment they are asked for (booting
//! included) until they retire; a cache per gigabyte-hour of its entries (a shared cache
//! while it exists, a local one as part of each billed server); each database node
//! (primaries and replicas of every shard) per hour; and every request that arrives per
//! million. The defaults are round numbers near public cloud list prices, for comparing
//! designs, not for budgeting.

use crate::validate::{in_range, Path, ScenarioError};
use serde::{Deserialize, Serialize};

/// Prices, in any one currency.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CostModel {
    /// One CPU core of a server for an hour.
    pub core_hour: f64,
    /// A gigabyte of cache memory for an hour.
    pub cache_gb_hour: f64,
    /// Memory one cache entry takes, in bytes.
    pub cache_entry_bytes: f64,
    /// One database node (a primary or a replica of a shard) for an hour.
    pub database_node_hour: f64,
    /// A million requests arriving (what a gateway or load balancer charges).
    pub per_million_requests: f64,
}

impl Default for CostModel {
    fn default() -> Self {
        Self {
            core_hour: 0.04,
            cache_gb_hour: 0.02,
            cache_entry_bytes: 4096.0,
            database_node_hour: 0.5,
            per_million_requests: 0.4,
        }
    }
}

/// What is being paid for at an instant, apart from the servers' cores.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Footprint {
    /// Entries of a shared cache (0 if none; local caches are billed with their
    /// servers).
    pub shared_cache_entries: f64,
    /// Database nodes (0 if none).
    pub database_nodes: f64,
}

/// A run's bill so far, and its rate now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Bill {
    /// Spent since the start.
    pub total: f64,
    /// What the run costs per hour at this instant: what is provisioned now, and the
    /// requests at the last window's arrival rate.
    pub per_hour: f64,
    /// Spent per million requests answered in time; `None` before the first.
    pub per_million_good: Option<f64>,
}

impl CostModel {
    /// The price of `footprint` per second (servers' cores apart).
    pub fn fixed_per_second(&self, footprint: Footprint) -> f64 {
        let cache_gb = footprint.shared_cache_entries * self.cache_entry_bytes / 1e9;
        (cache_gb * self.cache_gb_hour + footprint.database_nodes * self.database_node_hour)
            / 3600.0
    }

    /// The price per second of one server of `cores` with a local cache of `entries`.
    pub fn server_per_second(&self, cores: f64, entries: f64) -> f64 {
        let cache_gb = entries * self.cache_entry_bytes / 1e9;
        (cores * self.core_hour + cache_gb * self.cache_gb_hour) / 3600.0
    }

    /// The price of `requests` arriving.
    pub fn requests(&self, requests: f64) -> f64 {
        requests * self.per_million_requests / 1e6
    }

    /// Checks every price: none negative or beyond reason.
    pub fn validate(&self, path: Path) -> Result<(), ScenarioError> {
        in_range(path.field("core_hour"), self.core_hour, 0.0, 1e6)?;
        in_range(path.field("cache_gb_hour"), self.cache_gb_hour, 0.0, 1e6)?;
        in_range(
            path.field("cache_entry_bytes"),
            self.cache_entry_bytes,
            1.0,
            1e9,
        )?;
        in_range(
            path.field("database_node_hour"),
            self.database_node_hour,
            0.0,
            1e6,
        )?;
        in_range(
            path.field("per_million_requests"),
            self.per_million_requests,
            0.0,
            1e6,
        )
    }

    /// Whether these are the default prices (a scenario then need not write them).
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

#[cfg(test)]
mod tests {
    use super::{CostModel, Footprint};

    #[test]
    fn prices_add_up_as_by_hand() {
        let prices = CostModel::default();
        // 4 cores at 0.04 an hour, and 1,000 local entries of 4,096 B at 0.02 a GB-hour.
        let server = prices.server_per_second(4.0, 1000.0) * 3600.0;
        assert!((server - (0.16 + 0.004_096 * 0.02)).abs() < 1e-12);
        // A shared cache of 1,000 entries and three database nodes.
        let footprint = Footprint {
            shared_cache_entries: 1000.0,
            database_nodes: 3.0,
        };
        let fixed = prices.fixed_per_second(footprint) * 3600.0;
        assert!((fixed - (0.004_096 * 0.02 + 1.5)).abs() < 1e-12);
        assert!((prices.requests(2_500_000.0) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_negative_price_is_refused() {
        let path = crate::validate::Path::root("cost");
        let free = CostModel {
            core_hour: 0.0,
            ..CostModel::default()
        };
        assert!(free.validate(path).is_ok());
        let negative = CostModel {
            database_node_hour: -1.0,
            ..CostModel::default()
        };
        assert!(negative.validate(path).is_err());
    }
}
