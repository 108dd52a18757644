//! Properties of the engine over random valid scenarios and random live changes:
//! nothing panics, every request is accounted for, and a run is a function of its
//! scenario and seed.
//!
//! Runs are short (a couple of simulated seconds, a few thousand arrivals) so the file
//! stays quick in debug builds.

use loadlab_sim::balancer::{BalancerKind, HashOn};
use loadlab_sim::cache::PolicyKind;
use loadlab_sim::cache::{CacheConfig, Placement, WriteMode};
use loadlab_sim::db::{Database, Locking, QueueOrder, Sharding, WriteQueueConfig};
use loadlab_sim::dist::Distribution;
use loadlab_sim::protection::{CircuitBreakerConfig, Protection, RateLimit, Retries};
use loadlab_sim::scenario::{HealthCheck, MetricsConfig};
use loadlab_sim::server::{Autoscale, IoMode, Lifecycle, ScaleMetric, Servers};
use loadlab_sim::traffic::{Arrivals, Keys, Popularity, RateEvent, Traffic};
use loadlab_sim::{Change, Scenario, Simulation, SCENARIO_VERSION};
use proptest::prelude::*;

/// Simulated seconds each random scenario runs for.
const RUN_SECONDS: f64 = 2.0;
/// Simulated seconds between two live changes.
const STEP_SECONDS: f64 = 0.5;

/// 64 cases unless `PROPTEST_CASES` asks for another number (for a longer hunt).
fn config() -> ProptestConfig {
    let default = ProptestConfig::default();
    ProptestConfig {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            default.cases
        } else {
            64
        },
        // Integration tests have no lib.rs beside them for proptest's regression files.
        failure_persistence: None,
        ..default
    }
}

/// Every request that arrived is answered, rejected, or still in the system; and the
/// live view the stage draws agrees with every part's own counts.
fn assert_invariants(sim: &Simulation) -> Result<(), TestCaseError> {
    sim.check_conservation()
        .and_then(|()| sim.check_live_view())
        .map_err(TestCaseError::fail)?;
    assert_scaled_within_bounds(sim)
}

/// The servers asked for (serving or booting) are the scenario's count, and with
/// autoscaling within the policy's bounds.
fn assert_scaled_within_bounds(sim: &Simulation) -> Result<(), TestCaseError> {
    let asked_for = sim
        .servers()
        .iter()
        .filter(|s| matches!(s.lifecycle(), Lifecycle::Active | Lifecycle::Booting))
        .count() as u32;
    let servers = &sim.scenario().servers;
    prop_assert_eq!(asked_for, servers.count);
    if let Some(policy) = &servers.autoscale {
        prop_assert!(policy.min <= asked_for && asked_for <= policy.max);
    }
    Ok(())
}

/// With the traffic stopped, every request in flight ends within a simulated hour:
/// none is stuck in a queue, a pool, a lock or a load that never returns.
fn assert_drains(sim: &mut Simulation) -> Result<(), TestCaseError> {
    let mut quiet = sim.scenario().clone();
    quiet.traffic.arrivals = match quiet.traffic.arrivals {
        Arrivals::OpenLoop { .. } => Arrivals::open_loop(0.0),
        Arrivals::ClosedLoop { think_time, .. } => Arrivals::ClosedLoop {
            users: 0,
            think_time,
        },
    };
    let stopped = sim.apply(Change::Scenario(Box::new(quiet)));
    prop_assert!(stopped.is_ok(), "{:?}", stopped);
    // In steps, stopping once empty (a write queue retrying a poison message, errors at
    // 100 %, keeps events coming for ever, but no request waits on it). Draining may take
    // days when capacity is tiny (found at 100,000 cases: one server doing 27 requests a
    // second behind a backlog whose timed-out requests retry to the back of the queue);
    // what must never happen is ten simulated minutes in which nothing is served or
    // refused while requests wait.
    const STALL_SECONDS: f64 = 600.0;
    let work = |sim: &Simulation| {
        let served: u64 = sim.servers().iter().map(|s| s.stats().completed).sum();
        served + sim.metrics().completions() + sim.metrics().rejections().total()
    };
    let (mut done, mut progress_at) = (work(sim), sim.now());
    while sim.in_flight() > 0 && sim.now() - progress_at < STALL_SECONDS {
        sim.run_until(sim.now() + 10.0);
        if work(sim) > done {
            (done, progress_at) = (work(sim), sim.now());
        }
    }
    prop_assert_eq!(
        sim.in_flight(),
        0,
        "requests stuck: ten minutes without traffic in which nothing was served"
    );
    assert_invariants(sim)
}

/// The summary serialises and its latency figures are finite and non-negative.
fn assert_summary_sane(sim: &Simulation) -> Result<(), TestCaseError> {
    let summary = sim.summary();
    let json = serde_json::to_string(&summary);
    prop_assert!(json.is_ok(), "summary does not serialise: {:?}", json.err());
    let l = summary.latency;
    for (name, v) in [
        ("mean", l.mean),
        ("p50", l.p50),
        ("p90", l.p90),
        ("p95", l.p95),
        ("p99", l.p99),
        ("max", l.max),
    ] {
        prop_assert!(v.is_finite() && v >= 0.0, "latency {} is {}", name, v);
    }
    Ok(())
}

// ---- Strategies -------------------------------------------------------------------

/// Any distribution: a constant in `constant`, or an exponential or log-normal (sigma
/// 0 to 2) with its mean in `mean`.
fn distribution(
    constant: std::ops::Range<f64>,
    mean: std::ops::Range<f64>,
) -> impl Strategy<Value = Distribution> {
    prop_oneof![
        constant.prop_map(|seconds| Distribution::Constant { seconds }),
        mean.clone()
            .prop_map(|mean_seconds| Distribution::Exponential { mean_seconds }),
        (mean, 0.0..2.0f64).prop_map(|(mean_seconds, sigma)| Distribution::LogNormal {
            mean_seconds,
            sigma
        }),
    ]
}

/// Means from 0.1 ms to 50 ms.
fn service_time() -> impl Strategy<Value = Distribution> {
    distribution(0.0001..0.05, 0.0001..0.05)
}

/// Small latencies for cache lookups and the database (including a zero constant).
fn io_latency() -> impl Strategy<Value = Distribution> {
    distribution(0.0..0.02, 0.0001..0.05)
}

/// Think times long enough that 300 users cannot flood a short debug-build run.
fn think_time() -> impl Strategy<Value = Distribution> {
    distribution(0.05..1.0, 0.05..1.0)
}

fn rate_event() -> impl Strategy<Value = RateEvent> {
    prop_oneof![
        (0.0..3.0f64, 0.0..3000.0f64).prop_map(|(at, rate)| RateEvent::Step { at, rate }),
        (0.0..2.0f64, 0.1..2.0f64, 0.0..3000.0f64).prop_map(|(start, len, rate)| {
            RateEvent::Ramp {
                start,
                end: start + len,
                rate,
            }
        }),
        (0.0..2.0f64, 0.1..2.0f64, 0.0..3.0f64).prop_map(|(at, duration, multiplier)| {
            RateEvent::Spike {
                at,
                duration,
                multiplier,
            }
        }),
        (0.0..0.9f64, 0.5..10.0f64)
            .prop_map(|(amplitude, period)| RateEvent::Sine { amplitude, period }),
    ]
}

fn arrivals() -> impl Strategy<Value = Arrivals> {
    prop_oneof![
        (0.0..3000.0f64, prop::collection::vec(rate_event(), 0..3))
            .prop_map(|(rate, schedule)| Arrivals::OpenLoop { rate, schedule }),
        (0u32..300, think_time())
            .prop_map(|(users, think_time)| Arrivals::ClosedLoop { users, think_time }),
    ]
}

fn popularity() -> impl Strategy<Value = Popularity> {
    prop_oneof![
        Just(Popularity::Uniform),
        (0.0..2.0f64).prop_map(|exponent| Popularity::Zipf { exponent }),
        (0.0..=1.0f64, 0.0..=1.0f64).prop_map(|(hot_fraction, hot_share)| {
            Popularity::HotSet {
                hot_fraction,
                hot_share,
            }
        }),
    ]
}

fn traffic() -> impl Strategy<Value = Traffic> {
    (
        arrivals(),
        1u32..2000,
        1u64..100_000,
        popularity(),
        prop_oneof![Just(0.0), 0.0..=1.0f64],
        0.0..=1.0f64,
        prop::option::of(0.01..2.0f64),
    )
        .prop_map(
            |(arrivals, clients, count, popularity, session_share, write_fraction, timeout)| {
                Traffic {
                    arrivals,
                    clients,
                    keys: Keys {
                        count,
                        popularity,
                        session_share,
                    },
                    write_fraction,
                    timeout_seconds: timeout,
                }
            },
        )
}

fn balancer() -> impl Strategy<Value = BalancerKind> {
    prop_oneof![
        Just(BalancerKind::RoundRobin),
        Just(BalancerKind::Random),
        Just(BalancerKind::SmoothWeighted),
        Just(BalancerKind::LeastConnections),
        Just(BalancerKind::WeightedLeastConnections),
        Just(BalancerKind::IpHash),
        (
            1u32..300,
            prop_oneof![Just(HashOn::ClientIp), Just(HashOn::Key)]
        )
            .prop_map(|(virtual_nodes, hash_on)| BalancerKind::ConsistentHash {
                virtual_nodes,
                hash_on
            }),
        Just(BalancerKind::PowerOfTwoChoices),
        (0.01..10.0f64).prop_map(|decay_seconds| BalancerKind::PeakEwma { decay_seconds }),
    ]
}

fn health_check() -> impl Strategy<Value = Option<HealthCheck>> {
    prop::option::of(
        (0.1..2.0f64, 1u32..5).prop_map(|(interval_seconds, failure_threshold)| HealthCheck {
            interval_seconds,
            failure_threshold,
        }),
    )
}

fn io_mode() -> impl Strategy<Value = IoMode> {
    prop_oneof![
        Just(IoMode::Sync),
        (1u32..64).prop_map(|max_in_flight| IoMode::Async { max_in_flight }),
    ]
}

fn servers() -> impl Strategy<Value = Servers> {
    (
        1u32..=6,
        1u32..=16,
        1u32..=16,
        prop::option::of(0u32..64),
        service_time(),
        0.0..0.2f64,
        io_mode(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_flat_map(
            |(count, workers, cores, queue_capacity, service_time, switch_overhead, io, w, s)| {
                let n = count as usize;
                // Weights: empty, or one per server with at least one above zero.
                let weights = if w {
                    prop::collection::vec(0u32..10, n)
                        .prop_map(|mut v| {
                            if v.iter().all(|&x| x == 0) {
                                v[0] = 1;
                            }
                            v
                        })
                        .boxed()
                } else {
                    Just(Vec::new()).boxed()
                };
                let speeds = if s {
                    prop::collection::vec(0.25..4.0f64, n).boxed()
                } else {
                    Just(Vec::new()).boxed()
                };
                // Autoscaling only for servers alike (the scenario's own rule).
                let autoscale = if w || s {
                    Just(None).boxed()
                } else {
                    prop::option::of(autoscale(count)).boxed()
                };
                (weights, speeds, autoscale).prop_map(move |(weights, speeds, autoscale)| Servers {
                    count,
                    workers,
                    cores,
                    queue_capacity,
                    service_time,
                    switch_overhead,
                    io,
                    weights,
                    speeds,
                    autoscale,
                })
            },
        )
}

/// A policy whose bounds hold `count`, quick enough to act within a short run.
fn autoscale(count: u32) -> impl Strategy<Value = Autoscale> {
    (
        prop::sample::select(vec![
            ScaleMetric::Cpu,
            ScaleMetric::Workers,
            ScaleMetric::Queue,
            ScaleMetric::P99,
        ]),
        1u32..=count,
        count..=8,
        0.2..3.0f64,
        0.0..5.0f64,
        1u32..=3,
        1u32..=2,
        prop_oneof![Just(0.0), 0.1..3.0f64],
    )
        .prop_map(
            |(metric, min, max, interval_seconds, cooldown_seconds, step_up, step_down, boot)| {
                let target = match metric {
                    ScaleMetric::Cpu | ScaleMetric::Workers => 0.6,
                    ScaleMetric::Queue => 2.0,
                    ScaleMetric::P99 => 0.05,
                };
                Autoscale {
                    metric,
                    target,
                    min,
                    max,
                    interval_seconds,
                    cooldown_seconds,
                    step_up,
                    step_down,
                    boot_seconds: boot,
                }
            },
        )
}

fn placement() -> impl Strategy<Value = Placement> {
    prop_oneof![Just(Placement::Shared), Just(Placement::Local)]
}

fn policy() -> impl Strategy<Value = PolicyKind> {
    prop::sample::select(PolicyKind::ALL.to_vec())
}

fn ttl() -> impl Strategy<Value = Option<f64>> {
    prop::option::of(0.01..5.0f64)
}

fn cache() -> impl Strategy<Value = Option<CacheConfig>> {
    prop::option::of(
        (
            placement(),
            policy(),
            0u32..2000,
            ttl(),
            io_latency(),
            prop_oneof![Just(WriteMode::Invalidate), Just(WriteMode::WriteThrough)],
            any::<bool>(),
        )
            .prop_map(
                |(
                    placement,
                    policy,
                    capacity,
                    ttl_seconds,
                    lookup_latency,
                    write_mode,
                    coalesce,
                )| {
                    CacheConfig {
                        placement,
                        policy,
                        capacity,
                        ttl_seconds,
                        lookup_latency,
                        write_mode,
                        coalesce,
                    }
                },
            ),
    )
}

fn locking() -> impl Strategy<Value = Locking> {
    prop_oneof![
        Just(Locking::None),
        Just(Locking::Pessimistic),
        (0u32..4).prop_map(|max_retries| Locking::Optimistic { max_retries }),
    ]
}

fn write_queue() -> impl Strategy<Value = Option<WriteQueueConfig>> {
    prop::option::of((any::<bool>(), 1u32..8, 0.0..=1.0f64).prop_map(
        |(priority, consumers, urgent_share)| WriteQueueConfig {
            order: if priority {
                QueueOrder::Priority
            } else {
                QueueOrder::Fifo
            },
            consumers,
            urgent_share,
        },
    ))
}

/// Any database: every mechanism on or off, small pools and nodes so queues form.
fn database() -> impl Strategy<Value = Option<Database>> {
    let timings = (io_latency(), io_latency(), io_latency(), io_latency());
    let shape = (
        0u32..4,
        1u32..5,
        any::<bool>(),
        any::<bool>(),
        1u32..16,
        1u32..16,
        prop::option::of(0.001..0.5f64),
    );
    let behaviour = (
        any::<bool>(),
        1u64..5_000_000,
        locking(),
        write_queue(),
        prop_oneof![Just(0.0), 0.0..=1.0f64],
    );
    prop::option::of((timings, shape, behaviour).prop_map(
        |(
            (network, processing, disk, replication_lag),
            (replicas, shards, range, read_write_split, node_concurrency, pool_size, pool_timeout),
            (indexed, rows, locking, write_queue, error_rate),
        )| Database {
            network,
            processing,
            disk,
            indexed,
            rows,
            scan_seconds_per_million_rows: 0.01,
            node_concurrency,
            replicas,
            read_write_split,
            replication_lag,
            pool_size,
            pool_timeout_seconds: pool_timeout,
            shards,
            sharding: if range {
                Sharding::Range
            } else {
                Sharding::Hash
            },
            locking,
            write_queue,
            error_rate,
        },
    ))
}

fn rate_limit() -> impl Strategy<Value = Option<RateLimit>> {
    prop::option::of(prop_oneof![
        (1.0..3000.0f64, 1.0..200.0f64)
            .prop_map(|(rate, burst)| RateLimit::TokenBucket { rate, burst }),
        (1.0..3000.0f64, 1u32..500)
            .prop_map(|(rate, capacity)| RateLimit::LeakyBucket { rate, capacity }),
        (1u32..2000, 0.05..2.0f64).prop_map(|(limit, window_seconds)| RateLimit::FixedWindow {
            limit,
            window_seconds
        }),
        (1u32..2000, 0.05..2.0f64).prop_map(|(limit, window_seconds)| RateLimit::SlidingWindow {
            limit,
            window_seconds
        }),
    ])
}

fn retries() -> impl Strategy<Value = Option<Retries>> {
    prop::option::of(
        (
            1u32..6,
            0.001..0.5f64,
            0.0..=1.0f64,
            prop::option::of(0.0..=1.0f64),
        )
            .prop_map(|(max_attempts, backoff_seconds, jitter, budget)| Retries {
                max_attempts,
                backoff_seconds,
                jitter,
                budget,
            }),
    )
}

fn breaker() -> impl Strategy<Value = Option<CircuitBreakerConfig>> {
    prop::option::of((1u32..50, 0.0..=1.0f64, 0.01..5.0f64, 1u32..10).prop_map(
        |(window_calls, failure_ratio, open_seconds, probe_calls)| CircuitBreakerConfig {
            window_calls,
            failure_ratio,
            open_seconds,
            probe_calls,
        },
    ))
}

fn protection() -> impl Strategy<Value = Protection> {
    (
        rate_limit(),
        prop::option::of(1u32..500),
        prop::option::of(0.001..1.0f64),
        retries(),
        breaker(),
    )
        .prop_map(
            |(rate_limit, concurrency_limit, shed_after_seconds, retries, circuit_breaker)| {
                Protection {
                    rate_limit,
                    concurrency_limit,
                    shed_after_seconds,
                    retries,
                    circuit_breaker,
                }
            },
        )
}

/// A random scenario that passes validation.
fn scenario() -> impl Strategy<Value = Scenario> {
    (
        any::<u64>(),
        traffic(),
        balancer(),
        health_check(),
        servers(),
        cache(),
        database(),
        prop_oneof![Just(1.0), 0.1..2.0f64],
        protection(),
    )
        .prop_map(
            |(
                seed,
                traffic,
                balancer,
                health_check,
                servers,
                cache,
                database,
                window,
                protection,
            )| Scenario {
                version: SCENARIO_VERSION,
                seed,
                traffic,
                balancer,
                health_check,
                servers,
                cache,
                database,
                protection,
                metrics: MetricsConfig {
                    window_seconds: window,
                },
                curve: None,
                cost: Default::default(),
            },
        )
}

/// One edit of the running scenario.
#[derive(Debug, Clone)]
enum Edit {
    Count(u32),
    Workers(u32),
    Cores(u32),
    Queue(Option<u32>),
    Balancer(BalancerKind),
    Policy(PolicyKind),
    Capacity(u32),
    Ttl(Option<f64>),
    Placement(Placement),
    CacheOff,
    /// Open-loop rate (switches a closed-loop scenario to open loop).
    Rate(f64),
    /// Closed-loop users (switches an open-loop scenario to closed loop).
    Users(u32),
    HealthCheck(Option<HealthCheck>),
    Protection(Protection),
    Database(Option<Database>),
    Coalesce(bool),
    /// Autoscaling on (its bounds widened to hold the count), changed or off.
    Autoscale(Option<Autoscale>),
}

/// Random edits, including the ones that throw the cache away and build a new one
/// (turning it off, changing its placement).
fn edit() -> BoxedStrategy<Edit> {
    let keeps_cache = prop_oneof![
        (1u32..=8).prop_map(Edit::Count),
        (1u32..=16).prop_map(Edit::Workers),
        (1u32..=16).prop_map(Edit::Cores),
        prop::option::of(0u32..64).prop_map(Edit::Queue),
        balancer().prop_map(Edit::Balancer),
        policy().prop_map(Edit::Policy),
        (0u32..2000).prop_map(Edit::Capacity),
        ttl().prop_map(Edit::Ttl),
        (0.0..3000.0f64).prop_map(Edit::Rate),
        (0u32..300).prop_map(Edit::Users),
        health_check().prop_map(Edit::HealthCheck),
        protection().prop_map(Edit::Protection),
        database().prop_map(Edit::Database),
        any::<bool>().prop_map(Edit::Coalesce),
        prop::option::of(autoscale(4)).prop_map(Edit::Autoscale),
    ];
    prop_oneof![
        11 => keeps_cache,
        1 => placement().prop_map(Edit::Placement),
        1 => Just(Edit::CacheOff),
    ]
    .boxed()
}

/// A cache to edit when the scenario has none.
fn default_cache() -> CacheConfig {
    Scenario::default()
        .cache
        .expect("the default scenario has a cache")
}

impl Edit {
    /// `base` with this edit made.
    fn applied_to(&self, base: &Scenario) -> Scenario {
        let mut s = base.clone();
        match self {
            Edit::Count(n) => {
                // As the page's control does, within an autoscaling policy's bounds.
                s.servers.count = match &s.servers.autoscale {
                    Some(policy) => (*n).clamp(policy.min, policy.max),
                    None => *n,
                };
                s.servers.weights.clear();
                s.servers.speeds.clear();
            }
            Edit::Autoscale(policy) => {
                let count = s.servers.count;
                s.servers.autoscale = policy.clone().map(|p| Autoscale {
                    min: p.min.min(count),
                    max: p.max.max(count),
                    ..p
                });
                s.servers.weights.clear();
                s.servers.speeds.clear();
            }
            Edit::Workers(n) => s.servers.workers = *n,
            Edit::Cores(n) => s.servers.cores = *n,
            Edit::Queue(q) => s.servers.queue_capacity = *q,
            Edit::Balancer(b) => s.balancer = b.clone(),
            Edit::Policy(p) => s.cache.get_or_insert_with(default_cache).policy = *p,
            Edit::Capacity(c) => s.cache.get_or_insert_with(default_cache).capacity = *c,
            Edit::Ttl(t) => s.cache.get_or_insert_with(default_cache).ttl_seconds = *t,
            Edit::Placement(p) => s.cache.get_or_insert_with(default_cache).placement = *p,
            Edit::CacheOff => s.cache = None,
            Edit::Rate(r) => match &mut s.traffic.arrivals {
                Arrivals::OpenLoop { rate, .. } => *rate = *r,
                closed => *closed = Arrivals::open_loop(*r),
            },
            Edit::Users(u) => match &mut s.traffic.arrivals {
                Arrivals::ClosedLoop { users, .. } => *users = *u,
                open => {
                    *open = Arrivals::ClosedLoop {
                        users: *u,
                        think_time: Distribution::Exponential { mean_seconds: 0.1 },
                    }
                }
            },
            Edit::HealthCheck(h) => s.health_check = h.clone(),
            Edit::Protection(p) => s.protection = p.clone(),
            Edit::Database(d) => s.database = d.clone(),
            Edit::Coalesce(c) => s.cache.get_or_insert_with(default_cache).coalesce = *c,
        }
        s
    }
}

/// One live action.
#[derive(Debug, Clone)]
enum Action {
    Kill(u32),
    Revive(u32),
    Spike { multiplier: f64, seconds: f64 },
    Edit(Edit),
    DatabaseDown,
    DatabaseUp,
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        1 => Just(Action::DatabaseDown),
        1 => Just(Action::DatabaseUp),
        1 => (0u32..10).prop_map(Action::Kill),
        1 => (0u32..10).prop_map(Action::Revive),
        1 => (0.0..5.0f64, 0.1..2.0f64)
            .prop_map(|(multiplier, seconds)| Action::Spike { multiplier, seconds }),
        3 => edit().prop_map(Action::Edit),
    ]
}

/// Applies `actions` one by one, running the simulation a little between them, and
/// checks conservation after every step.
fn live_changes_keep_conservation(
    scenario: Scenario,
    actions: Vec<Action>,
) -> Result<(), TestCaseError> {
    prop_assert!(scenario.validate().is_ok(), "{:?}", scenario.validate());
    let mut sim = Simulation::new(scenario).expect("a valid scenario starts");
    sim.watch();
    sim.run_until(STEP_SECONDS);
    assert_invariants(&sim)?;
    for action in actions {
        match action {
            // Killing a dead or absent server, or reviving a live one, is refused:
            // an error is fine, a panic is not.
            Action::Kill(i) => {
                let _ = sim.apply(Change::KillServer(i));
            }
            // An error (no database) is fine; a panic is not.
            Action::DatabaseDown => {
                let _ = sim.apply(Change::KillDatabase);
            }
            Action::DatabaseUp => {
                let _ = sim.apply(Change::ReviveDatabase);
            }
            Action::Revive(i) => {
                let _ = sim.apply(Change::ReviveServer(i));
            }
            // Refused on closed-loop traffic.
            Action::Spike {
                multiplier,
                seconds,
            } => {
                let _ = sim.apply(Change::Spike {
                    multiplier,
                    seconds,
                });
            }
            Action::Edit(edit) => {
                let next = edit.applied_to(sim.scenario());
                prop_assert!(next.validate().is_ok(), "{:?}: {:?}", edit, next.validate());
                let applied = sim.apply(Change::Scenario(Box::new(next)));
                prop_assert!(applied.is_ok(), "{:?} refused: {:?}", edit, applied);
            }
        }
        assert_invariants(&sim)?;
        let until = sim.now() + STEP_SECONDS;
        sim.run_until(until);
        assert_invariants(&sim)?;
    }
    assert_summary_sane(&sim)?;
    assert_drains(&mut sim)
}

// ---- Properties ---------------------------------------------------------------------

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_valid_scenarios_run_and_conserve_requests(scenario in scenario()) {
        prop_assert!(scenario.validate().is_ok(), "{:?}", scenario.validate());
        let mut sim = Simulation::new(scenario).expect("a valid scenario starts");
    sim.watch();
        sim.run_until(RUN_SECONDS / 2.0);
        assert_invariants(&sim)?;
        sim.run_until(RUN_SECONDS);
        assert_invariants(&sim)?;
        assert_summary_sane(&sim)?;
        assert_drains(&mut sim)?;
    }

    #[test]
    fn random_live_changes_keep_conservation(
        scenario in scenario(),
        actions in prop::collection::vec(action(), 1..12),
    ) {
        live_changes_keep_conservation(scenario, actions)?;
    }

    /// The same scenario and seed give the same run, whether or not it is watched and
    /// traced for the stage (watching draws nothing and reorders nothing).
    #[test]
    fn same_scenario_and_seed_give_the_same_summary(scenario in scenario()) {
        let run = |s: Scenario, watched: bool| {
            let mut sim = Simulation::new(s).expect("a valid scenario starts");
            if watched {
                sim.watch();
                sim.trace_every(1);
            }
            sim.run_until(RUN_SECONDS);
            serde_json::to_string(&sim.summary()).expect("a summary serialises")
        };
        prop_assert_eq!(run(scenario.clone(), true), run(scenario, false));
    }
}
