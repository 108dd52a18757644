//! Each lesson's key observation, checked on its preset: run it, make the lesson's
//! change, run again, compare what the lesson says the class will see.

use super::{by_id, Lesson, ALL};
use crate::metrics::WindowStats;
use crate::Simulation;

/// Lesson 10's preset with a consistent-hash ring on the client address instead of IP
/// hash: what the lesson asks the user to compare.
fn consistent_hash_local_caches() -> crate::Scenario {
    let mut s = super::presets::ip_hash_local_caches();
    s.balancer = crate::balancer::BalancerKind::ConsistentHash {
        virtual_nodes: 100,
        hash_on: crate::balancer::HashOn::ClientIp,
    };
    s
}

/// Seconds each phase runs; the first `WARM_UP` are left out of the figures.
const PHASE: f64 = 20.0;
const WARM_UP: f64 = 5.0;

/// Figures of the windows ending in (from + WARM_UP, until].
struct Phase<'a> {
    windows: Vec<&'a WindowStats>,
}

impl<'a> Phase<'a> {
    fn of(sim: &'a Simulation, from: f64, until: f64) -> Self {
        let windows = sim
            .metrics()
            .windows()
            .iter()
            .filter(|w| w.end > from + WARM_UP && w.end <= until + 1e-9)
            .collect();
        Self { windows }
    }

    fn sum(&self, f: impl Fn(&WindowStats) -> f64) -> f64 {
        self.windows.iter().map(|w| f(w)).sum()
    }

    fn seconds(&self) -> f64 {
        self.sum(|w| w.end - w.start)
    }

    fn per_second(&self, f: impl Fn(&WindowStats) -> f64) -> f64 {
        self.sum(f) / self.seconds()
    }

    fn max(&self, f: impl Fn(&WindowStats) -> f64) -> f64 {
        self.windows.iter().map(|w| f(w)).fold(0.0, f64::max)
    }

    fn mean(&self, f: impl Fn(&WindowStats) -> f64) -> f64 {
        self.sum(f) / self.windows.len() as f64
    }

    fn rejected_share(&self) -> f64 {
        self.sum(|w| w.rejections.total() as f64) / self.sum(|w| w.arrivals as f64)
    }

    fn db(&self, f: impl Fn(&crate::db::DbWindow) -> f64) -> f64 {
        self.sum(|w| w.database.as_ref().map_or(0.0, &f))
    }
}

/// Runs a lesson: its preset for a phase, then its change for another.
fn run(lesson: &Lesson) -> Simulation {
    let mut sim = Simulation::new((lesson.preset)()).expect("a preset is valid");
    sim.run_until(PHASE);
    let change = (lesson.try_it)(sim.scenario());
    sim.apply(change).expect("the lesson's change applies");
    sim.run_until(2.0 * PHASE);
    sim
}

fn lesson(id: &str) -> Simulation {
    run(by_id(id).expect("a lesson"))
}

/// The lesson's two phases: before its change and after.
fn phases(sim: &Simulation) -> (Phase<'_>, Phase<'_>) {
    (
        Phase::of(sim, 0.0, PHASE),
        Phase::of(sim, PHASE, 2.0 * PHASE),
    )
}

#[test]
fn every_lesson_has_a_unique_id_and_a_valid_preset() {
    for (i, l) in ALL.iter().enumerate() {
        assert!(ALL[..i].iter().all(|o| o.id != l.id), "{} twice", l.id);
        (l.preset)()
            .validate()
            .unwrap_or_else(|e| panic!("{}: {e}", l.id));
    }
}

/// Every lesson's change leaves a numbered mark on the charts, and never the catch-all
/// "settings changed" (each names what it changes).
#[test]
fn every_lessons_change_leaves_a_mark_that_names_it() {
    for l in &ALL {
        let mut sim = crate::Simulation::new((l.preset)()).unwrap();
        sim.run_until(1.0);
        sim.apply((l.try_it)(sim.scenario())).unwrap();
        let marks: Vec<_> = sim.marks().iter().collect();
        assert!(!marks.is_empty(), "{}: no mark", l.id);
        assert_eq!(marks[0].number, 1, "{}", l.id);
        for m in marks {
            assert_ne!(m.label, crate::Mark::SettingsChanged, "{}", l.id);
        }
    }
}

#[test]
fn least_connections_spares_the_slow_servers() {
    let sim = lesson("round-robin-vs-least-connections");
    let (before, after) = phases(&sim);
    assert!(
        before.rejected_share() > 0.05,
        "{}",
        before.rejected_share()
    );
    assert!(after.rejected_share() < 0.005, "{}", after.rejected_share());
    assert!(after.max(|w| w.latency.p99) < 0.5 * before.mean(|w| w.latency.p99));
}

#[test]
fn weights_2_3_4_give_shares_of_2_3_4_ninths() {
    let sim = lesson("smooth-weighted-shares");
    let (before, after) = phases(&sim);
    let share = |phase: &Phase, server: u32| {
        let mine = phase.sum(|w| {
            w.servers
                .iter()
                .find(|s| s.id == server)
                .map_or(0.0, |s| s.routed as f64)
        });
        mine / phase.sum(|w| w.servers.iter().map(|s| s.routed as f64).sum())
    };
    for (server, ninths) in [(0, 2.0), (1, 3.0), (2, 4.0)] {
        assert!((share(&before, server) - ninths / 9.0).abs() < 0.002);
        assert!((share(&after, server) - 1.0 / 3.0).abs() < 0.002);
    }
}

#[test]
fn two_random_choices_cut_the_wait_of_random_choice() {
    let sim = lesson("power-of-two-choices");
    let (before, after) = phases(&sim);
    let (random, p2c) = (
        before.mean(|w| w.latency.mean),
        after.mean(|w| w.latency.mean),
    );
    // Random: eight M/M/1 queues at 0.9, mean time in system 100 ms.
    assert!((random - 0.1).abs() < 0.03, "{random}");
    assert!(p2c < random / 3.0, "{p2c} vs {random}");
}

#[test]
fn more_threads_than_cores_pay_off_when_threads_wait_on_io() {
    let sim = lesson("thread-pool-sizing");
    let (before, after) = phases(&sim);
    let (two, ten) = (
        before.per_second(|w| w.completions as f64),
        after.per_second(|w| w.completions as f64),
    );
    // 2 threads × 1 / 50 ms = 40 /s; 10 threads reach the cores' 200 /s.
    assert!((two - 40.0).abs() < 3.0, "{two}");
    assert!(ten > 180.0, "{ten}");
}

#[test]
fn async_io_frees_the_workers_while_the_database_works() {
    let sim = lesson("sync-vs-async-io");
    let (before, after) = phases(&sim);
    let (sync, asynchronous) = (
        before.per_second(|w| w.completions as f64),
        after.per_second(|w| w.completions as f64),
    );
    assert!(sync < 85.0, "{sync}");
    assert!(asynchronous > 280.0, "{asynchronous}");
}

#[test]
fn a_bounded_queue_trades_a_few_rejections_for_bounded_latency() {
    let sim = lesson("bounded-queues-and-shedding");
    let (before, after) = phases(&sim);
    let (growing, bounded) = (before.max(|w| w.latency.p99), after.max(|w| w.latency.p99));
    assert!(
        growing > 2.0,
        "an unbounded queue only buys time: {growing}"
    );
    assert!(bounded < 0.2, "{bounded}");
    assert!((after.rejected_share() - 1.0 / 6.0).abs() < 0.03);
}

#[test]
fn a_fixed_window_lets_bursts_through_and_a_token_bucket_does_not() {
    let sim = lesson("rate-limiting");
    let (before, after) = phases(&sim);
    let quarter = |w: &WindowStats| (w.arrivals - w.rejections.total()) as f64;
    // Both admit about 100 a second...
    assert!((before.per_second(quarter) - 100.0).abs() < 5.0);
    assert!((after.per_second(quarter) - 100.0).abs() < 5.0);
    // ...but the fixed window admits its hundred in the first quarter second.
    assert!(before.max(quarter) >= 95.0, "{}", before.max(quarter));
    assert!(after.max(quarter) <= 40.0, "{}", after.max(quarter));
}

#[test]
fn lfu_keeps_the_popular_keys_that_fifo_throws_out() {
    let sim = lesson("cache-eviction");
    let (before, after) = phases(&sim);
    let hit_rate = |p: &Phase| {
        p.sum(|w| w.cache.hits as f64) / p.sum(|w| (w.cache.hits + w.cache.misses) as f64)
    };
    assert!(
        hit_rate(&after) > hit_rate(&before) + 0.05,
        "{} vs {}",
        hit_rate(&after),
        hit_rate(&before)
    );
}

#[test]
fn coalescing_turns_a_stampede_into_one_load() {
    let sim = lesson("stampede-and-coalescing");
    let (before, after) = phases(&sim);
    let reads = |p: &Phase| p.db(|d| d.reads as f64) / p.seconds();
    assert!(
        reads(&before) > 5.0 * reads(&after),
        "{} vs {}",
        reads(&before),
        reads(&after)
    );
}

#[test]
fn consistent_hashing_keeps_most_local_caches_warm_when_a_server_dies() {
    // Extra cache misses in the 10 s after server 1 dies, beyond the 10 s before.
    let extra_misses = |mut sim: Simulation| {
        let misses = |sim: &Simulation, from: f64, to: f64| {
            let p = Phase::of(sim, from - WARM_UP, to);
            p.sum(|w| w.cache.misses as f64)
        };
        sim.run_until(PHASE);
        sim.apply(crate::Change::KillServer(1))
            .expect("server 1 runs");
        sim.run_until(PHASE + 10.0);
        misses(&sim, PHASE, PHASE + 10.0) - misses(&sim, PHASE - 10.0, PHASE)
    };
    let lesson = by_id("hashing-when-a-server-dies").expect("a lesson");
    let ip_hash = extra_misses(Simulation::new((lesson.preset)()).unwrap());
    let ring = extra_misses(Simulation::new(consistent_hash_local_caches()).unwrap());
    // 400 clients, each with its session on one server. IP hash moves about three
    // clients in four when the pool shrinks from 4 to 3; the ring moves only the dead
    // server's quarter.
    assert!(
        ip_hash > 250.0,
        "IP hash remaps most clients: {ip_hash} extra misses"
    );
    assert!(
        ring < ip_hash / 2.5,
        "the ring remaps a quarter: {ring} vs {ip_hash}"
    );
}

#[test]
fn stale_reads_stop_when_reads_go_to_the_primary() {
    let sim = lesson("replicas-and-stale-reads");
    let (before, after) = phases(&sim);
    assert!(before.db(|d| d.stale_reads as f64) > 100.0);
    assert_eq!(after.db(|d| d.stale_reads as f64), 0.0);
}

#[test]
fn hash_sharding_spreads_what_range_sharding_piles_on_one_shard() {
    let sim = lesson("sharding-and-indexes");
    let (before, after) = phases(&sim);
    let busiest = |p: &Phase| {
        let mut shards = [0.0; 4];
        for w in &p.windows {
            for (i, q) in w
                .database
                .as_ref()
                .map_or(&[][..], |d| &d.shards[..])
                .iter()
                .enumerate()
            {
                shards[i] += *q as f64;
            }
        }
        shards.iter().copied().fold(0.0, f64::max) / shards.iter().sum::<f64>()
    };
    assert!(busiest(&before) > 0.7, "{}", busiest(&before));
    assert!(busiest(&after) < 0.45, "{}", busiest(&after));
}

#[test]
fn pessimistic_locks_turn_conflicts_into_waits() {
    let sim = lesson("optimistic-vs-pessimistic");
    let (before, after) = phases(&sim);
    assert!(before.db(|d| d.conflicts as f64) > 100.0);
    assert_eq!(after.db(|d| d.conflicts as f64), 0.0);
    assert!(after.db(|d| d.lock_waits as f64) > 100.0);
}

#[test]
fn a_retry_budget_stops_the_storm() {
    let sim = lesson("retry-storm");
    let (before, after) = phases(&sim);
    let retries = |p: &Phase| p.sum(|w| w.retries as f64) / p.sum(|w| w.arrivals as f64);
    assert!(retries(&before) > 0.3, "a storm: {}", retries(&before));
    assert!(retries(&after) < 0.12, "{}", retries(&after));
}
