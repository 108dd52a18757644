//! Each lesson's key observation, checked on its preset: run it, make the lesson's
//! change, run again, compare what the lesson says the class will see.

use super::{course, LessonData, ALL};
use crate::metrics::WindowStats;
use crate::{Change, Simulation};

/// Lesson 10's preset with a consistent-hash ring on the client address instead of IP
/// hash: what the lesson asks the user to compare.
fn consistent_hash_local_caches() -> crate::Scenario {
    let mut s = by_id("hashing-when-a-server-dies")
        .unwrap()
        .preset()
        .unwrap();
    s.balancer = crate::balancer::BalancerKind::ConsistentHash {
        virtual_nodes: 100,
        hash_on: crate::balancer::HashOn::ClientIp,
    };
    s
}

/// The built-in course's lesson `id`.
fn by_id(id: &str) -> Option<&'static LessonData> {
    course().lesson(id)
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
fn run(lesson: &LessonData) -> Simulation {
    let mut sim = Simulation::new(lesson.preset().unwrap()).expect("a preset is valid");
    sim.run_until(PHASE);
    let change = lesson.try_it(sim.scenario()).unwrap();
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

/// The course file and the catalogue the page lists before fetching it name the same
/// lessons in the same order, each once, each preset valid (read checks that).
#[test]
fn the_course_and_the_catalogue_agree() {
    let ids: Vec<&str> = course().lessons().iter().map(|l| l.id()).collect();
    let listed: Vec<&str> = ALL.iter().map(|l| l.id).collect();
    assert_eq!(ids, listed);
    for (i, id) in ids.iter().enumerate() {
        assert!(!ids[..i].contains(id), "{id} twice");
    }
}

/// Every lesson's change leaves a numbered mark on the charts, and never the catch-all
/// "settings changed" (each names what it changes).
#[test]
fn every_lessons_change_leaves_a_mark_that_names_it() {
    for l in course().lessons() {
        let mut sim = crate::Simulation::new(l.preset().unwrap()).unwrap();
        sim.run_until(1.0);
        sim.apply(l.try_it(sim.scenario()).unwrap()).unwrap();
        let marks: Vec<_> = sim.marks().iter().collect();
        assert!(!marks.is_empty(), "{}: no mark", l.id());
        assert_eq!(marks[0].number, 1, "{}", l.id());
        for m in marks {
            assert_ne!(m.label, crate::Mark::SettingsChanged, "{}", l.id());
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
    // Round robin sends server 3 a quarter of 700, 175 a second; at a quarter speed it
    // answers at most 4 workers / 40 ms = 100 a second.
    let server_3 = |p: &Phase, f: &dyn Fn(&crate::metrics::ServerWindow) -> u64| {
        p.per_second(|w| w.servers.iter().find(|s| s.id == 3).map_or(0, f) as f64)
    };
    assert!((server_3(&before, &|s| s.routed) - 175.0).abs() < 10.0);
    assert!(server_3(&before, &|s| s.completed) < 102.0);
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
    let mut least = lesson("power-of-two-choices").scenario().clone();
    least.balancer = crate::balancer::BalancerKind::LeastConnections;
    let mut sim = Simulation::new(least).unwrap();
    sim.run_until(PHASE);
    let least = Phase::of(&sim, 0.0, PHASE).mean(|w| w.latency.mean);
    assert!(
        least < p2c,
        "least connections does a little better: {least} vs {p2c}"
    );
}

/// The share of time a server of `scenario` holds at least 5 and at least 8 requests
/// (waiting or in service), sampled every 10 ms over 60 s after a warm-up.
fn long_queue_shares(scenario: crate::Scenario) -> (f64, f64) {
    let mut sim = Simulation::new(scenario).unwrap();
    let (mut five, mut eight, mut samples) = (0, 0, 0);
    for step in 500..6_500 {
        sim.run_until(f64::from(step) * 0.01);
        for server in sim.servers() {
            let held = server.queue_len() + server.busy() as usize;
            five += usize::from(held >= 5);
            eight += usize::from(held >= 8);
            samples += 1;
        }
    }
    (five as f64 / samples as f64, eight as f64 / samples as f64)
}

#[test]
fn with_two_choices_long_queues_all_but_vanish() {
    let lesson = by_id("power-of-two-choices").unwrap();
    let random = lesson.preset().unwrap();
    let Change::Scenario(two) = lesson.try_it(&random).unwrap() else {
        panic!("a scenario change")
    };
    let (five, eight) = long_queue_shares(random);
    // M/M/1 at 0.9: P(N ≥ i) = 0.9^i, 59 % and 43 %.
    assert!((five - 0.9_f64.powi(5)).abs() < 0.05, "{five}");
    assert!((eight - 0.9_f64.powi(8)).abs() < 0.05, "{eight}");
    let (five, eight) = long_queue_shares(*two);
    assert!((0.14..0.26).contains(&five), "about a fifth: {five}");
    assert!((0.01..0.04).contains(&eight), "about 2 %: {eight}");
}

/// Throughput, CPU and worker utilisation, and the refused share of lesson 4's server
/// with `threads` threads, over 10–30 s.
fn pool_of(threads: u32) -> (f64, f64, f64, f64) {
    let mut scenario = by_id("thread-pool-sizing").unwrap().preset().unwrap();
    scenario.servers.workers = threads;
    let mut sim = Simulation::new(scenario).unwrap();
    sim.run_until(30.0);
    let p = Phase::of(&sim, 5.0, 30.0);
    (
        p.mean(|w| w.throughput),
        p.mean(|w| w.servers[0].cpu_utilisation),
        p.mean(|w| w.servers[0].utilisation),
        p.rejected_share(),
    )
}

#[test]
fn more_threads_than_cores_pay_off_when_threads_wait_on_io_up_to_the_knee() {
    let s = by_id("thread-pool-sizing").unwrap().preset().unwrap();
    assert_eq!((s.servers.cores, s.servers.workers), (2, 2));
    assert_eq!(s.servers.switch_overhead, 0.02);
    // Little's law: 200/s of cores × 50 ms held = 10 threads.
    let (cores_rate, held) = (2.0 / 0.01, 0.01 + 0.04);
    assert!((cores_rate * held - 10.0_f64).abs() < 1e-9);
    let (two, cpu, workers, _) = pool_of(2);
    assert!((two - 40.0).abs() < 3.0, "{two}");
    assert!((cpu - 0.2).abs() < 0.02, "{cpu}");
    assert!(workers > 0.98, "{workers}");
    let (ten, cpu, _, refused) = pool_of(10);
    assert!((ten - 200.0).abs() < 8.0, "{ten}");
    assert!(cpu > 0.97, "{cpu}");
    assert!(
        (refused - 1.0 / 3.0).abs() < 0.03,
        "a third refused: {refused}"
    );
    let (forty, _, _, _) = pool_of(40);
    assert!((100.0..140.0).contains(&forty), "about 120: {forty}");
    // The lesson's change is the step from 2 to 10.
    let sim = lesson("thread-pool-sizing");
    assert_eq!(sim.scenario().servers.workers, 10);
}

#[test]
fn async_io_frees_the_workers_while_the_database_works() {
    let sim = lesson("sync-vs-async-io");
    let (before, after) = phases(&sim);
    let (sync, asynchronous) = (
        before.per_second(|w| w.completions as f64),
        after.per_second(|w| w.completions as f64),
    );
    // 4 workers / (2 ms + 50 ms) ≈ 77 a second.
    assert!((sync - 4.0 / 0.052).abs() < 3.0, "{sync}");
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

/// Requests admitted in a window.
fn admitted(w: &WindowStats) -> f64 {
    (w.arrivals - w.rejections.total()) as f64
}

/// The most admitted in any `n` consecutive windows of the phase.
fn most_admitted(p: &Phase, n: usize) -> f64 {
    p.windows
        .windows(n)
        .map(|run| run.iter().map(|w| admitted(w)).sum::<f64>())
        .fold(0.0, f64::max)
}

#[test]
fn a_fixed_window_lets_twice_its_limit_through_across_a_boundary_and_a_token_bucket_does_not() {
    let sim = lesson("rate-limiting");
    assert_eq!(sim.scenario().metrics.window_seconds, 0.25);
    let (before, after) = phases(&sim);
    // Four quarter-second windows make a second; two make half of one.
    let (second, half) = (most_admitted(&before, 4), most_admitted(&before, 2));
    assert!(
        (175.0..=200.0).contains(&second),
        "nearly twice 100: {second}"
    );
    assert!((150.0..=185.0).contains(&half), "about 170: {half}");
    // The quarter second before each whole second a burst starts in takes what that
    // second has left: about 100 − 0.75 s × 40 = 70.
    let ends: Vec<_> = before
        .windows
        .iter()
        .filter(|w| (w.end % 5.0).abs() < 1e-9)
        .collect();
    assert_eq!(ends.len(), 3, "windows ending at 10, 15 and 20 s");
    for w in ends {
        assert!(
            (55.0..=85.0).contains(&admitted(w)),
            "about 70 at {}: {}",
            w.end,
            admitted(w)
        );
    }
    let (second, half) = (most_admitted(&after, 4), most_admitted(&after, 2));
    assert!(second <= 110.0, "{second}");
    assert!((50.0..=65.0).contains(&half), "10 + 50: {half}");
    // Outside the two seconds a burst touches (4 and 5, 9 and 10, ...) all pass.
    for w in before.windows.iter().chain(&after.windows) {
        if (1.2..=4.8).contains(&(w.end % 5.0)) {
            assert_eq!(w.rejections.total(), 0, "window ending {}", w.end);
        }
    }
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
    // An entry lives 1 s after its 100 ms load: one expiry every 1.1 s.
    let per_expiry = |p: &Phase| p.db(|d| d.reads as f64) / p.seconds() * 1.1;
    assert!(
        (38.0..=55.0).contains(&per_expiry(&before)),
        "about 50: {}",
        per_expiry(&before)
    );
    assert!(
        (0.8..=1.2).contains(&per_expiry(&after)),
        "one: {}",
        per_expiry(&after)
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
    let ip_hash = extra_misses(Simulation::new(lesson.preset().unwrap()).unwrap());
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
fn switching_the_balancer_live_cools_the_caches_for_a_few_seconds() {
    let mut sim = Simulation::new(
        by_id("hashing-when-a-server-dies")
            .unwrap()
            .preset()
            .unwrap(),
    )
    .unwrap();
    sim.run_until(PHASE);
    let mut ring = sim.scenario().clone();
    ring.balancer = consistent_hash_local_caches().balancer;
    sim.apply(Change::Scenario(Box::new(ring))).unwrap();
    sim.run_until(PHASE + 15.0);
    let hit_rate = |w: &WindowStats| w.cache.hits as f64 / (w.cache.hits + w.cache.misses) as f64;
    let windows = sim.metrics().windows();
    let after = |from: f64, to: f64| {
        windows
            .iter()
            .filter(move |w| w.end > PHASE + from && w.end <= PHASE + to)
    };
    let before = Phase::of(&sim, 0.0, PHASE).mean(hit_rate);
    assert!(before > 0.9, "{before}");
    let low = after(0.0, 2.0).map(hit_rate).fold(1.0, f64::min);
    assert!((0.35..0.65).contains(&low), "about half: {low}");
    assert!(
        after(6.0, 15.0).all(|w| hit_rate(w) > 0.9),
        "back above 90 %"
    );
}

#[test]
fn stale_reads_and_stale_cache_hits_stop_when_reads_go_to_the_primary() {
    let sim = lesson("replicas-and-stale-reads");
    let (before, after) = phases(&sim);
    let (stale, reads) = (
        before.db(|d| d.stale_reads as f64),
        before.db(|d| d.reads as f64),
    );
    let on_replicas = |p: &Phase| {
        p.db(|d| {
            d.nodes
                .iter()
                .filter(|n| n.replica > 0)
                .map(|n| n.queries as f64)
                .sum()
        })
    };
    // Nearly every replica read is stale (20 rows, each written every third of a second).
    assert!(
        stale > 0.9 * on_replicas(&before),
        "{stale} of {}",
        on_replicas(&before)
    );
    assert!(stale <= reads);
    let stale_hits = before.db(|d| d.stale_cache_hits as f64);
    assert!(
        stale_hits > 3.0 * stale,
        "several times: {stale_hits} vs {stale}"
    );
    assert_eq!(after.db(|d| d.stale_reads as f64), 0.0);
    assert_eq!(after.db(|d| d.stale_cache_hits as f64), 0.0);
    assert_eq!(on_replicas(&after), 0.0, "every read on the primary");
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
fn pessimistic_locks_turn_conflicts_and_errors_into_waits() {
    let lesson13 = by_id("optimistic-vs-pessimistic").unwrap();
    let s = lesson13.preset().unwrap();
    let hot_writes = 300.0 * s.traffic.write_fraction * 0.8;
    assert!((hot_writes - 120.0_f64).abs() < 1e-9);
    // A write holds the row for its processing and its disk write: 6 ms, so ρ ≈ 0.7.
    let db = s.database.as_ref().unwrap();
    let hold = db.processing.mean() + db.disk.mean();
    assert!((hold - 0.006).abs() < 1e-9 && (hot_writes * hold - 0.72).abs() < 1e-9);
    let sim = lesson("optimistic-vs-pessimistic");
    let (before, after) = phases(&sim);
    let (commits, conflicts) = (
        before.db(|d| d.writes as f64),
        before.db(|d| d.conflicts as f64),
    );
    let conflicted = conflicts / (commits + conflicts);
    assert!(
        (0.3..0.5).contains(&conflicted),
        "about 40 % of attempts: {conflicted}"
    );
    let failed = before.sum(|w| w.failed as f64);
    let gave_up = failed / (commits + failed);
    assert!(
        (0.05..0.12).contains(&gave_up),
        "about 8 % of writes: {gave_up}"
    );
    assert_eq!(after.db(|d| d.conflicts as f64), 0.0);
    assert_eq!(after.sum(|w| w.failed as f64), 0.0);
    let waited = after.db(|d| d.lock_waits as f64) / after.db(|d| d.writes as f64);
    assert!((0.4..0.65).contains(&waited), "about half wait: {waited}");
    let wait =
        after.db(|d| d.lock_waits as f64 * d.mean_lock_wait) / after.db(|d| d.lock_waits as f64);
    assert!((0.009..0.016).contains(&wait), "about 12 ms: {wait}");
    assert!(after.mean(|w| w.latency.p99) > 1.15 * before.mean(|w| w.latency.p99));
}

#[test]
fn a_hot_row_caps_either_scheme_at_twice_the_load() {
    // 600 requests a second: 240 writes to the hot row, 60 to the others.
    let hot_commits = |locking| {
        let mut s = by_id("optimistic-vs-pessimistic")
            .unwrap()
            .preset()
            .unwrap();
        s.traffic.arrivals = crate::traffic::Arrivals::OpenLoop {
            rate: 600.0,
            schedule: vec![],
        };
        if let Some(d) = &mut s.database {
            d.locking = locking;
        }
        let mut sim = Simulation::new(s).unwrap();
        sim.run_until(30.0);
        let p = Phase::of(&sim, 5.0, 30.0);
        p.db(|d| d.writes as f64) / p.seconds() - 60.0
    };
    let pessimistic = hot_commits(crate::db::Locking::Pessimistic);
    assert!(
        (130.0..170.0).contains(&pessimistic),
        "about 150: {pessimistic}"
    );
    let optimistic = hot_commits(crate::db::Locking::Optimistic { max_retries: 2 });
    assert!(
        (150.0..200.0).contains(&optimistic),
        "under 200: {optimistic}"
    );
}

/// Lesson 14's preset run to 40 s, with `change` made at 20 s.
fn storm(change: impl FnOnce(&mut crate::protection::Retries)) -> Simulation {
    let mut sim = Simulation::new(by_id("retry-storm").unwrap().preset().unwrap()).unwrap();
    sim.run_until(PHASE);
    let mut next = sim.scenario().clone();
    change(next.protection.retries.as_mut().expect("retries"));
    sim.apply(Change::Scenario(Box::new(next))).unwrap();
    sim.run_until(2.0 * PHASE);
    sim
}

#[test]
fn a_spike_turns_retries_into_a_storm_that_a_retry_budget_ends() {
    let s = by_id("retry-storm").unwrap().preset().unwrap();
    assert_eq!(s.traffic.timeout_seconds, Some(0.5));
    assert_eq!(
        s.servers.queue_capacity,
        Some(400),
        "a second's wait at 400/s"
    );
    assert_eq!(s.protection.retries.unwrap().max_attempts, 4);
    let sim = lesson("retry-storm");
    let (quiet, storm, budget) = (
        Phase::of(&sim, -WARM_UP, 5.0),
        Phase::of(&sim, 5.0, PHASE),
        Phase::of(&sim, PHASE, 2.0 * PHASE),
    );
    assert!((quiet.mean(|w| w.goodput) - 300.0).abs() < 15.0);
    let attempts = storm.per_second(|w| w.arrivals as f64);
    assert!(
        (1_100.0..1_300.0).contains(&attempts),
        "four per request: {attempts}"
    );
    assert!(storm.mean(|w| w.throughput) > 370.0, "throughput stays up");
    assert!(storm.mean(|w| w.goodput) < 5.0, "goodput collapses");
    assert!(
        storm.per_second(|w| w.timed_out as f64) > 0.9 * storm.mean(|w| w.throughput),
        "work for nobody"
    );
    assert!(storm.mean(|w| w.error_share()) > 0.98);
    // With the budget: at most 10 % of 300 retries a second; the queue drains in seconds.
    let late = Phase::of(&sim, PHASE + 5.0, 2.0 * PHASE);
    assert!(budget.per_second(|w| w.retries as f64) < 33.0);
    assert!((late.mean(|w| w.goodput) - 300.0).abs() < 15.0);
    assert!(late.mean(|w| w.error_share()) < 0.01);
}

#[test]
fn without_a_budget_the_storm_outlives_the_spike_and_backoff_does_not_end_it() {
    for sim in [storm(|_| {}), storm(|r| r.backoff_seconds = 0.5)] {
        let end = Phase::of(&sim, 2.0 * PHASE - 15.0, 2.0 * PHASE);
        assert!(end.mean(|w| w.goodput) < 5.0);
        assert!(end.per_second(|w| w.arrivals as f64) > 1_100.0);
    }
}

#[test]
fn an_unbounded_queue_grows_by_80_a_second() {
    let s = by_id("bounded-queues-and-shedding")
        .unwrap()
        .preset()
        .unwrap();
    // 480 arrive; one server of 4 workers at 10 ms serves 400.
    assert_eq!(
        (s.servers.count, s.servers.workers, s.servers.queue_capacity),
        (1, 4, None)
    );
    let mut sim = Simulation::new(s).unwrap();
    sim.run_until(WARM_UP);
    let start = sim.servers()[0].queue_len() as f64;
    sim.run_until(PHASE);
    let growth = (sim.servers()[0].queue_len() as f64 - start) / (PHASE - WARM_UP);
    assert!((growth - 80.0).abs() < 20.0, "{growth}");
}

/// The cache hit rate of lesson 8's preset under `policy`, with its capacity × `scale`.
fn hit_rate_with(policy: crate::cache::PolicyKind, scale: f64) -> f64 {
    let mut s = by_id("cache-eviction").unwrap().preset().unwrap();
    let cache = s.cache.as_mut().expect("a cache");
    cache.policy = policy;
    cache.capacity = (cache.capacity as f64 * scale) as _;
    let mut sim = Simulation::new(s).unwrap();
    sim.run_until(40.0);
    let p = Phase::of(&sim, 5.0, 40.0);
    p.sum(|w| w.cache.hits as f64) / p.sum(|w| (w.cache.hits + w.cache.misses) as f64)
}

#[test]
fn lru_sits_between_fifo_and_lfu_and_sieve_and_s3_fifo_come_close_to_lfu() {
    use crate::cache::PolicyKind::{Fifo, Lfu, Lru, S3Fifo, Sieve};
    let (fifo, lru, lfu) = (
        hit_rate_with(Fifo, 1.0),
        hit_rate_with(Lru, 1.0),
        hit_rate_with(Lfu, 1.0),
    );
    assert!(
        fifo + 0.02 < lru && lru + 0.02 < lfu,
        "FIFO {fifo}, LRU {lru}, LFU {lfu}"
    );
    for policy in [Sieve, S3Fifo] {
        let rate = hit_rate_with(policy, 1.0);
        assert!(rate > lfu - 0.01, "{policy:?} {rate} vs LFU {lfu}");
    }
}

#[test]
fn each_doubling_of_the_cache_buys_about_the_same_hit_rate_for_twice_the_entries() {
    let rates: Vec<f64> = [0.25, 0.5, 1.0, 2.0]
        .iter()
        .map(|&scale| hit_rate_with(crate::cache::PolicyKind::Lfu, scale))
        .collect();
    // Gains per doubling stay near 0.09 while the entries added double: per entry, each
    // step buys about half what the one before did.
    for (step, pair) in rates.windows(2).enumerate() {
        let gain = pair[1] - pair[0];
        assert!((0.06..0.12).contains(&gain), "doubling {step}: {gain}");
    }
}

/// Mean latency and the busiest shard's share, hash-sharded lesson 12 with `edit` made.
fn hash_shards(edit: impl FnOnce(&mut crate::db::Database)) -> (f64, f64, f64) {
    let mut s = by_id("sharding-and-indexes").unwrap().preset().unwrap();
    let db = s.database.as_mut().expect("a database");
    db.sharding = crate::db::Sharding::Hash;
    edit(db);
    let mut sim = Simulation::new(s).unwrap();
    sim.run_until(PHASE);
    let p = Phase::of(&sim, 0.0, PHASE);
    let mut shards = vec![0.0; p.windows[0].database.as_ref().unwrap().shards.len()];
    for w in &p.windows {
        for (i, q) in w.database.as_ref().unwrap().shards.iter().enumerate() {
            shards[i] += *q as f64;
        }
    }
    let total: f64 = shards.iter().sum();
    let most = shards.iter().copied().fold(0.0, f64::max) / total;
    let least = shards.iter().copied().fold(f64::INFINITY, f64::min) / total;
    (p.mean(|w| w.latency.mean), most, least)
}

#[test]
fn a_hot_key_still_loads_one_shard_and_a_scan_grows_with_the_table_and_shrinks_with_shards() {
    let (indexed, most, least) = hash_shards(|_| {});
    assert!(
        most > 1.3 * least,
        "the hottest keys' shard: {most} vs {least}"
    );
    let (small_scan, _, _) = hash_shards(|d| {
        d.indexed = false;
        d.rows = 100_000;
    });
    let (large_scan, _, _) = hash_shards(|d| d.indexed = false);
    let (eight_shards, _, _) = hash_shards(|d| {
        d.indexed = false;
        d.shards = 8;
    });
    assert!(small_scan < 1.5 * indexed, "{small_scan} vs {indexed}");
    assert!(
        large_scan > 5.0 * small_scan,
        "10 × the rows: {large_scan} vs {small_scan}"
    );
    assert!(
        eight_shards < large_scan / 2.0,
        "half the rows per shard: {eight_shards} vs {large_scan}"
    );
}
