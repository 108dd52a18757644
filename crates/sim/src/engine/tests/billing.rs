//! The bill against sums worked by hand from the default prices (`cost::CostModel`).

use super::*;
use crate::cache::Placement;
use crate::cost::CostModel;
use crate::db::Database;
use crate::server::{Autoscale, ScaleMetric};

const HOUR: f64 = 3600.0;

fn close(got: f64, want: f64) -> bool {
    (got - want).abs() <= 1e-9 * want.max(1.0)
}

#[test]
fn servers_and_requests_cost_what_the_prices_say() {
    // Two servers of 4 cores for 100 s, at 0.04 a core-hour; 0.4 a million arrivals.
    let mut sim = Simulation::new(Scenario::compute_only(300.0, 2, 4, 0.01)).unwrap();
    sim.run_until(100.0);
    let arrivals = sim.metrics().arrivals() as f64;
    let bill = sim.bill();
    let want = 2.0 * 4.0 * 0.04 * 100.0 / HOUR + arrivals * 0.4 / 1e6;
    assert!(close(bill.total, want), "{} vs {want}", bill.total);
    // Per hour now: the cores, and the last window's 300-odd arrivals a second.
    let last = sim.metrics().windows().back().unwrap().arrivals as f64;
    assert!(close(bill.per_hour, 0.32 + last * HOUR * 0.4 / 1e6));
    let good = (sim.metrics().completions() - sim.metrics().timed_out()) as f64;
    assert!(close(bill.per_million_good.unwrap(), want / good * 1e6));
}

#[test]
fn a_cache_and_a_database_cost_from_when_they_are_there() {
    let mut s = Scenario::compute_only(100.0, 1, 2, 0.01);
    s.cost = CostModel {
        per_million_requests: 0.0,
        ..CostModel::default()
    };
    let mut sim = Simulation::new(s.clone()).unwrap();
    sim.run_until(60.0);
    // A shared cache of 10,000 entries (4,096 B each) and a database of 2 shards with one
    // replica each (4 nodes) from 60 s to 120 s.
    let mut next = s.clone();
    next.cache = Scenario::default().cache;
    if let Some(c) = &mut next.cache {
        c.capacity = 10_000;
        c.placement = Placement::Shared;
    }
    next.database = Some(Database {
        shards: 2,
        replicas: 1,
        ..Database::default()
    });
    sim.apply(Change::Scenario(Box::new(next))).unwrap();
    sim.run_until(120.0);
    let cores = 2.0 * 0.04 * 120.0 / HOUR;
    let cache = 10_000.0 * 4096.0 / 1e9 * 0.02 * 60.0 / HOUR;
    let database = 4.0 * 0.5 * 60.0 / HOUR;
    let total = sim.bill().total;
    assert!(close(total, cores + cache + database), "{total}");
}

#[test]
fn local_caches_are_billed_with_their_servers_and_booting_servers_are_billed() {
    let mut s = Scenario::compute_only(100.0, 2, 2, 0.01);
    s.cost.per_million_requests = 0.0;
    s.cache = Scenario::default().cache;
    if let Some(c) = &mut s.cache {
        c.capacity = 50_000;
        c.placement = Placement::Local;
    }
    s.servers.count = 2;
    s.servers.autoscale = Some(Autoscale {
        metric: ScaleMetric::Cpu,
        target: 0.01,
        min: 2,
        max: 3,
        interval_seconds: 10.0,
        cooldown_seconds: 1000.0,
        step_up: 1,
        step_down: 1,
        boot_seconds: 1000.0,
    });
    let mut sim = Simulation::new(s).unwrap();
    // At 10 s a third server is asked for; it boots (and is billed) from then on.
    sim.run_until(40.0);
    let server_seconds = 2.0 * 40.0 + 30.0;
    let per_server_second = (2.0 * 0.04 + 50_000.0 * 4096.0 / 1e9 * 0.02) / HOUR;
    let total = sim.bill().total;
    assert!(close(total, server_seconds * per_server_second), "{total}");
}
