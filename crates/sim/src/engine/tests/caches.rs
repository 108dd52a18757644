//! Caches in the run: key affinity of local caches, rebuilds that keep counts.

use super::*;
use crate::balancer::{BalancerKind, HashOn};
use crate::cache::Placement;

#[test]
fn key_affinity_raises_the_hit_rate_of_local_caches() {
    let hit_rate = |balancer| {
        let mut s = Scenario::default();
        s.balancer = balancer;
        s.servers.count = 8;
        s.traffic.write_fraction = 0.0;
        s.traffic.keys.count = 20_000;
        let cache = s.cache.as_mut().unwrap();
        cache.placement = Placement::Local;
        cache.capacity = 2_000;
        let mut sim = Simulation::new(s).unwrap();
        sim.run_until(60.0);
        sim.summary().cache.unwrap().hit_rate
    };
    let spread = hit_rate(BalancerKind::RoundRobin);
    let affine = hit_rate(BalancerKind::ConsistentHash {
        virtual_nodes: 100,
        hash_on: HashOn::Key,
    });
    assert!(
        affine > spread + 0.15,
        "consistent hash {affine} vs round robin {spread}"
    );
}

#[test]
fn rebuilding_the_caches_live_keeps_counts_moving_forward() {
    let mut sim = Simulation::new(Scenario::default()).unwrap();
    sim.run_until(1.5);
    let mut next = sim.scenario().clone();
    next.cache.as_mut().unwrap().placement = Placement::Local;
    sim.apply(Change::Scenario(Box::new(next.clone()))).unwrap();
    sim.run_until(3.5);
    next.cache = None;
    sim.apply(Change::Scenario(Box::new(next))).unwrap();
    sim.run_until(5.5);
    let windows = sim.metrics().windows();
    assert!(windows
        .iter()
        .all(|w| w.cache.hit_rate <= 1.0 && w.cache.hits < 10_000));
    assert!(
        windows[2].cache.hits > 0,
        "local caches serve after the switch"
    );
    assert_eq!(
        windows[4].cache.hits + windows[4].cache.misses,
        0,
        "no cache, no lookups"
    );
    sim.check_conservation().unwrap();
}

#[test]
fn one_change_that_turns_local_caches_off_and_adds_a_server_is_applied() {
    let mut s = Scenario::default();
    s.cache.as_mut().unwrap().placement = Placement::Local;
    let mut sim = Simulation::new(s).unwrap();
    sim.run_until(1.0);
    let mut next = sim.scenario().clone();
    next.cache = None;
    next.servers.count += 1;
    sim.apply(Change::Scenario(Box::new(next))).unwrap();
    sim.run_until(3.0);
    assert_eq!(sim.pool().len(), 5);
    sim.check_conservation().unwrap();
}
