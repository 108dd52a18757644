//! The live view the stage draws: it agrees with every part's own counts at every
//! instant, reading it changes nothing, refusals are counted where they happen, and a
//! followed request's journey runs back to back from its arrival to its end.

use super::*;
use crate::cache::{CacheConfig, Placement, PolicyKind, WriteMode};
use crate::db::{DbStage, Locking};
use crate::dist::Distribution;
use crate::metrics::Reason;
use crate::protection::RateLimit;
use crate::server::IoMode;
use crate::trace::Outcome;

/// A run of `scenario`, watched from its start.
fn watched(scenario: Scenario) -> Simulation {
    let mut sim = Simulation::new(scenario).unwrap();
    assert!(sim.watch());
    sim
}

/// Scenarios that together pass every stage a request can be in.
fn scenarios() -> Vec<(&'static str, Scenario)> {
    let mut overloaded = Scenario::compute_only(1_000.0, 2, 4, 0.01);
    overloaded.servers.cores = 2;
    overloaded.servers.queue_capacity = Some(20);
    let mut shaped = Scenario::compute_only(300.0, 2, 2, 0.005);
    shaped.protection.rate_limit = Some(RateLimit::LeakyBucket {
        rate: 250.0,
        capacity: 50,
    });
    let mut pooled = Scenario::default();
    if let Some(db) = &mut pooled.database {
        db.pool_size = 2;
        db.locking = Locking::Pessimistic;
        db.node_concurrency = 2;
    }
    pooled.traffic.write_fraction = 0.3;
    pooled.servers.io = IoMode::Async { max_in_flight: 20 };
    let mut coalesced = Scenario::default();
    coalesced.cache = Some(CacheConfig {
        placement: Placement::Local,
        policy: PolicyKind::Lru,
        capacity: 50,
        ttl_seconds: Some(0.5),
        lookup_latency: Distribution::Constant { seconds: 0.001 },
        write_mode: WriteMode::Invalidate,
        coalesce: true,
    });
    vec![
        ("default", Scenario::default()),
        ("overloaded", overloaded),
        ("shaped", shaped),
        ("pooled", pooled),
        ("coalesced", coalesced),
    ]
}

#[test]
fn the_live_view_agrees_with_every_part_at_every_step() {
    let mut seen = std::collections::HashSet::new();
    for (name, scenario) in scenarios() {
        let mut sim = watched(scenario);
        for step in 0..4_000 {
            sim.run_until(f64::from(step) * 0.001);
            if let Err(e) = sim.check_live_view() {
                panic!("{name}, step {step}: {e}");
            }
            seen.extend(sim.live_requests().map(|r| (r.stage, r.db_stage)));
        }
        assert!(sim.in_flight() > 0, "{name}: something to see");
    }
    // The scenarios pass every place a request can be, so the checks above saw them all.
    for stage in [
        Stage::Shaping,
        Stage::Queued,
        Stage::RunQueue,
        Stage::Computing,
        Stage::Lookup,
        Stage::Coalesced,
    ] {
        assert!(seen.contains(&(stage, None)), "{stage:?} never seen");
    }
    for db in [
        DbStage::PoolWait,
        DbStage::Network,
        DbStage::LockWait,
        DbStage::Queued,
        DbStage::Executing,
    ] {
        assert!(
            seen.contains(&(Stage::Database, Some(db))),
            "{db:?} never seen"
        );
    }
}

#[test]
fn the_live_view_still_agrees_after_a_server_dies_and_a_change() {
    let mut sim = watched(scenarios().remove(3).1);
    sim.run_until(2.0);
    sim.apply(Change::KillServer(1)).unwrap();
    sim.run_until(2.5);
    sim.check_live_view().unwrap();
    let mut next = sim.scenario().clone();
    next.servers.workers = 2;
    next.servers.io = IoMode::Sync;
    sim.apply(Change::Scenario(Box::new(next))).unwrap();
    for step in 0..500 {
        sim.run_until(2.5 + f64::from(step) * 0.002);
        sim.check_live_view().unwrap();
    }
}

#[test]
fn reading_the_live_view_and_following_change_nothing() {
    let run = |watch: bool| {
        let mut sim = Simulation::new(scenarios().remove(3).1).unwrap();
        if watch {
            sim.watch();
            sim.trace_every(1);
        }
        for step in 0..2_000 {
            sim.run_until(f64::from(step) * 0.002);
            if watch {
                let seen = sim.live_requests().count();
                let first = sim.live_requests().next().map(|r| r.id);
                if let (Some(id), None) = (first, sim.journey()) {
                    sim.follow(id);
                }
                assert_eq!(seen, sim.in_flight());
            }
        }
        serde_json::to_string(&sim.summary()).unwrap()
    };
    assert_eq!(run(true), run(false));
}

#[test]
fn refusals_are_counted_at_the_part_that_made_them() {
    let (_, scenario) = scenarios().remove(1);
    let mut sim = watched(scenario);
    sim.run_until(5.0);
    let refusals = sim.refusals();
    let at_servers: u64 = refusals.servers.iter().map(|r| r.queue_full).sum();
    assert!(at_servers > 0);
    assert_eq!(at_servers, sim.metrics().rejections().queue_full);
    for (i, server) in sim.servers().iter().enumerate() {
        assert_eq!(refusals.servers[i].queue_full, server.stats().rejected);
    }
    assert_eq!(refusals.balancer.total() + refusals.limiter.total(), 0);
}

/// Follows the first request that arrives after `from`, to its end.
fn follow_one(scenario: Scenario, from: f64) -> Journey {
    let mut sim = watched(scenario);
    sim.run_until(from);
    let id = sim.live_requests().last().expect("a request in flight").id;
    assert!(sim.follow(id));
    let live = sim.journey().expect("followed");
    assert!(live.outcome.is_none());
    for _ in 0..100_000 {
        sim.run_until(sim.now() + 0.001);
        let journey = sim.journey().expect("kept after its end");
        if journey.outcome.is_some() {
            return journey;
        }
    }
    panic!("the followed request never ended");
}

fn assert_back_to_back(j: &Journey) {
    let mut at = j.arrived_at;
    for s in &j.segments {
        assert_eq!(s.start, at, "{j:#?}");
        assert!(s.end >= s.start, "{j:#?}");
        at = s.end;
    }
    assert_eq!(at, j.ended_at, "{j:#?}");
}

#[test]
fn a_followed_requests_phases_run_back_to_back_to_its_end() {
    for (name, scenario) in scenarios() {
        for from in [1.0, 2.5, 3.7] {
            let j = follow_one(scenario.clone(), from);
            assert_back_to_back(&j);
            assert!(!j.segments.is_empty(), "{name}: {j:#?}");
        }
    }
}

#[test]
fn a_database_read_shows_its_network_and_execution() {
    let mut scenario = Scenario::default();
    scenario.cache = None;
    scenario.traffic.write_fraction = 0.0;
    let j = follow_one(scenario, 1.0);
    let phases: Vec<Phase> = j.segments.iter().map(|s| s.phase).collect();
    for phase in [
        Phase::Compute,
        Phase::Network,
        Phase::Processing,
        Phase::Storage,
    ] {
        assert!(phases.contains(&phase), "{phases:?}");
    }
    assert!(matches!(j.outcome, Some(Outcome::Served)), "{j:#?}");
}

#[test]
fn a_queued_request_shows_its_wait() {
    let (_, scenario) = scenarios().remove(1);
    let mut sim = watched(scenario);
    sim.run_until(3.0);
    let queued = sim
        .live_requests()
        .find(|r| r.stage == Stage::Queued)
        .expect("a queue under overload");
    sim.follow(queued.id);
    while sim.journey().is_some_and(|j| j.outcome.is_none()) {
        sim.run_until(sim.now() + 0.001);
    }
    let j = sim.journey().unwrap();
    assert_back_to_back(&j);
    assert_eq!(j.segments[0].phase, Phase::Queue, "{j:#?}");
    assert!(j.segments[0].end - j.segments[0].start > 0.0);
}

#[test]
fn a_refused_request_ends_where_it_was_refused() {
    let mut scenario = Scenario::compute_only(100.0, 1, 1, 0.05);
    scenario.servers.queue_capacity = Some(0);
    let mut sim = watched(scenario);
    sim.trace_every(1);
    sim.run_until(5.0);
    let refused: Vec<_> = sim
        .traces_since(0)
        .filter(|t| t.outcome == Outcome::Rejected(Reason::QueueFull))
        .collect();
    assert!(!refused.is_empty());
    assert!(refused.iter().all(|t| t.server == Some(0)));
}

/// Every change leaves a mark, numbered from 1: one no other mark names (the seed) says
/// "settings changed"; a change that changes nothing leaves none.
#[test]
fn every_change_marks_numbered_in_order() {
    let mut sim = Simulation::new(Scenario::default()).unwrap();
    sim.run_until(1.0);
    let same = sim.scenario().clone();
    sim.apply(Change::Scenario(Box::new(same))).unwrap();
    assert!(sim.marks().is_empty());
    let mut reseeded = sim.scenario().clone();
    reseeded.seed += 1;
    sim.apply(Change::Scenario(Box::new(reseeded))).unwrap();
    sim.apply(Change::KillServer(0)).unwrap();
    let marks: Vec<_> = sim.marks().iter().map(|m| (m.number, &m.label)).collect();
    assert_eq!(
        marks,
        [(1, &Mark::SettingsChanged), (2, &Mark::ServerKilled(0))]
    );
}
