//! The bill: what the run has spent so far at the scenario's prices (`cost::CostModel`)
//! and what it costs per hour now.
//!
//! Servers carry their own integrals (billed seconds and core-seconds, booting
//! included), so every change of the pool counts exactly. The rest of the footprint (a
//! shared cache, the database's nodes) is settled whenever it is about to change.

use super::Simulation;
use crate::cache::Placement;
use crate::cost::{Bill, Footprint};
use crate::server::Lifecycle;

/// What the fixed footprint had cost when it last changed, and since when it has run.
#[derive(Debug, Default)]
pub(super) struct Billing {
    fixed_spent: f64,
    fixed_since: f64,
}

impl Simulation {
    /// What is paid for now apart from the servers.
    fn footprint(&self) -> Footprint {
        let s = &self.scenario;
        Footprint {
            shared_cache_entries: s
                .cache
                .as_ref()
                .filter(|c| c.placement == Placement::Shared)
                .map_or(0.0, |c| c.capacity as f64),
            database_nodes: s
                .database
                .as_ref()
                .map_or(0.0, |d| f64::from(d.shards) * f64::from(1 + d.replicas)),
        }
    }

    /// Entries of each server's local cache (0 without local caches).
    fn local_cache_entries(&self) -> f64 {
        let cache = self.scenario.cache.as_ref();
        cache
            .filter(|c| c.placement == Placement::Local)
            .map_or(0.0, |c| c.capacity as f64)
    }

    /// Brings what the fixed footprint has cost up to now, at the scenario's prices:
    /// call before the footprint or the prices change.
    pub(super) fn settle_fixed_cost(&mut self) {
        let rate = self.scenario.cost.fixed_per_second(self.footprint());
        self.billing.fixed_spent += rate * (self.now - self.billing.fixed_since);
        self.billing.fixed_since = self.now;
    }

    /// The run's bill at this instant.
    pub fn bill(&self) -> Bill {
        let prices = &self.scenario.cost;
        let local = self.local_cache_entries();
        let mut servers = 0.0;
        let mut servers_per_second = 0.0;
        for server in &self.servers {
            let (seconds, core_seconds) = server.billed_until(self.now);
            servers += core_seconds * prices.core_hour / 3600.0
                + prices.server_per_second(0.0, local) * seconds;
            if server.lifecycle() != Lifecycle::Retired {
                servers_per_second += prices.server_per_second(server.spec().cores.into(), local);
            }
        }
        let fixed_per_second = prices.fixed_per_second(self.footprint());
        let fixed =
            self.billing.fixed_spent + fixed_per_second * (self.now - self.billing.fixed_since);
        let arrivals = self.metrics.arrivals() as f64;
        let total = servers + fixed + prices.requests(arrivals);
        let arrival_rate = self
            .metrics
            .windows()
            .back()
            .map_or(0.0, |w| w.arrivals as f64 / (w.end - w.start).max(1e-9));
        let per_hour = (servers_per_second + fixed_per_second) * 3600.0
            + prices.requests(arrival_rate * 3600.0);
        let good = self.metrics.completions() - self.metrics.timed_out();
        Bill {
            total,
            per_hour,
            per_million_good: (good > 0).then(|| total / good as f64 * 1e6),
        }
    }
}
