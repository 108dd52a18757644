//! The scenario: a versioned JSON document that fully determines a run (with its seed).
//!
//! Decoding rejects unknown fields and wrong types with the field's path; validation
//! then rejects values the model cannot take, also by path. Both errors are a
//! [`ScenarioError`], so the CLI prints one line and the page shows it beside the input.
//! docs/scenario.md documents every field.

use crate::balancer::BalancerKind;
use crate::cache::PolicyKind;
use crate::db::Database;
use crate::dist::Distribution;
use crate::protection::{Protection, RateLimit};
use crate::traffic::{Arrivals, Keys, Popularity, Traffic};
use serde::{Deserialize, Serialize};
use std::fmt;

pub use crate::problem::{PerServer, Problem};

/// The format version this build reads and writes.
pub const SCENARIO_VERSION: u32 = 1;

/// Largest number of servers a scenario may ask for.
pub const MAX_SERVERS: u32 = 256;
/// Largest worker or core count per server.
pub const MAX_WORKERS: u32 = 100_000;
/// Largest number of closed-loop users.
pub const MAX_USERS: u32 = 1_000_000;
/// Largest open-loop arrival rate, in requests per second (spikes and sines may take it
/// to ten times this, `traffic::MAX_PEAK_RATE`). Far beyond any class demo; a larger one would leave simulated time
/// nearly standing still while requests pile up.
pub const MAX_RATE: f64 = 1e6;
/// Largest key space.
pub const MAX_KEYS: u64 = 1 << 40;
/// Shortest chart window, in seconds. The clock closes windows one at a time on its way
/// to the next event, so a window of 1e-300 s made a single step close more windows than
/// could ever finish (found by fuzzing, tests/fuzz_regressions.rs); a millisecond is
/// finer than any chart shows.
pub const MIN_WINDOW_SECONDS: f64 = 0.001;

/// Everything a run needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Format version; must equal [`SCENARIO_VERSION`].
    pub version: u32,
    /// Seeds every random stream; the same seed gives the same run.
    pub seed: u64,
    /// Where requests come from.
    pub traffic: Traffic,
    /// How requests are spread over servers.
    pub balancer: BalancerKind,
    /// How the balancer notices dead servers; `null`: it never does.
    pub health_check: Option<HealthCheck>,
    /// The server pool.
    pub servers: Servers,
    /// The cache in front of the database; `null`: none.
    pub cache: Option<CacheConfig>,
    /// The database behind the cache; `null`: requests need no I/O beyond the cache.
    pub database: Option<Database>,
    /// Rate limiting, a concurrency limit and load shedding; all off by default.
    #[serde(default)]
    pub protection: Protection,
    /// How results are aggregated over time.
    pub metrics: MetricsConfig,
}

/// Periodic probes from the balancer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HealthCheck {
    /// Seconds between probes.
    pub interval_seconds: f64,
    /// Consecutive failed probes before a server is taken out; one success brings it back.
    pub failure_threshold: u32,
}

/// The server pool: every server alike but for its weight and speed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Servers {
    /// How many servers sit behind the balancer.
    pub count: u32,
    /// Worker threads per server.
    pub workers: u32,
    /// CPU cores per server: a request's compute phase needs one.
    pub cores: u32,
    /// Requests that may wait for a worker, per server; 0: none wait; `null`: no limit
    /// (allowed, but flagged: under overload its latency grows without bound).
    pub queue_capacity: Option<u32>,
    /// CPU work per request on a server of speed 1.
    pub service_time: Distribution,
    /// Extra compute time per runnable thread beyond the cores, as a fraction (0.02 =
    /// each extra runnable thread makes compute 2 % slower): context switching.
    pub switch_overhead: f64,
    /// Whether a worker waits for I/O or is freed while it happens.
    pub io: IoMode,
    /// Balancer weights by server index; empty: all 1.
    #[serde(default)]
    pub weights: Vec<u32>,
    /// Speed factors by server index (2 = twice as fast); empty: all 1.
    #[serde(default)]
    pub speeds: Vec<f64>,
}

/// Sync or async I/O.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case", deny_unknown_fields)]
pub enum IoMode {
    /// A worker is held while its request waits on the cache and the database.
    Sync,
    /// The worker is freed while the request waits; at most `max_in_flight` requests
    /// per server are past the queue at once.
    Async {
        /// Cap on requests being served or awaiting I/O, per server.
        max_in_flight: u32,
    },
}

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

/// Aggregation settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsConfig {
    /// Length of one chart window, in simulated seconds.
    pub window_seconds: f64,
}

/// A scenario the model cannot take: where, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioError {
    /// The field's path, like `servers.workers`; empty for the document as a whole.
    pub path: String,
    /// What is wrong, as data, so the page can say it in the reader's language;
    /// its `Display` is the English.
    pub problem: Problem,
}

impl ScenarioError {
    /// An error at `path`.
    pub fn new(path: impl Into<String>, problem: Problem) -> Self {
        Self {
            path: path.into(),
            problem,
        }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.problem)
        } else {
            write!(f, "{}: {}", self.path, self.problem)
        }
    }
}

impl std::error::Error for ScenarioError {}

impl Default for Scenario {
    /// The walk-through default: 4 servers of 4 workers at about 75 % utilisation,
    /// a shared LRU cache over a database with two replicas, Zipf keys.
    fn default() -> Self {
        Self {
            version: SCENARIO_VERSION,
            seed: 1,
            traffic: Traffic {
                arrivals: Arrivals::OpenLoop {
                    rate: 600.0,
                    schedule: Vec::new(),
                },
                clients: 1000,
                keys: Keys {
                    count: 10_000,
                    popularity: Popularity::Zipf { exponent: 0.9 },
                    session_share: 0.0,
                },
                write_fraction: 0.05,
                timeout_seconds: Some(1.0),
            },
            balancer: BalancerKind::RoundRobin,
            health_check: Some(HealthCheck {
                interval_seconds: 2.0,
                failure_threshold: 2,
            }),
            servers: Servers {
                count: 4,
                workers: 4,
                cores: 4,
                queue_capacity: Some(32),
                service_time: Distribution::Exponential { mean_seconds: 0.01 },
                switch_overhead: 0.0,
                io: IoMode::Sync,
                weights: Vec::new(),
                speeds: Vec::new(),
            },
            cache: Some(CacheConfig {
                placement: Placement::Shared,
                policy: PolicyKind::Lru,
                capacity: 1000,
                ttl_seconds: None,
                lookup_latency: Distribution::Constant { seconds: 0.0005 },
                write_mode: WriteMode::Invalidate,
                coalesce: false,
            }),
            database: Some(Database {
                processing: Distribution::Exponential {
                    mean_seconds: 0.004,
                },
                disk: Distribution::Exponential {
                    mean_seconds: 0.015,
                },
                ..Database::default()
            }),
            protection: Protection::default(),
            metrics: MetricsConfig {
                window_seconds: 1.0,
            },
        }
    }
}

impl Scenario {
    /// Decodes and validates a JSON document.
    // `inline`: the serde code it instantiates is then compiled in the caller's crate,
    // so the page builds it at its size-minded opt-level, not the core's "3" (measured:
    // docs/performance.md, page size).
    #[inline]
    pub fn from_json(text: &str) -> Result<Self, ScenarioError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let scenario: Scenario = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let path = if path == "." { String::new() } else { path };
            ScenarioError::new(path, Problem::syntax(e.into_inner()))
        })?;
        scenario.reject_unknown_keys(text)?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// Serde's `deny_unknown_fields` misses fields on variants without fields (as in
    /// `{"kind": "uniform", "exponent": 0.9}`), so compare the input with the decoded
    /// scenario written back: every key of the input must be there. This also names the
    /// exact path of an unknown key inside a tagged enum.
    #[inline]
    fn reject_unknown_keys(&self, text: &str) -> Result<(), ScenarioError> {
        let input: serde_json::Value =
            serde_json::from_str(text).map_err(|e| ScenarioError::new("", Problem::syntax(e)))?;
        let known = serde_json::to_value(self).expect("a scenario always serialises");
        match first_unknown_key(&input, &known, "") {
            Some(path) => Err(ScenarioError::new(path, Problem::UnknownField)),
            None => Ok(()),
        }
    }

    /// Pretty JSON, the format `loadlab example` prints.
    #[inline]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a scenario always serialises")
    }

    /// Checks every value against what the model can take.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        if self.version != SCENARIO_VERSION {
            return Err(ScenarioError::new(
                "version",
                Problem::Version {
                    reads: SCENARIO_VERSION,
                    got: self.version,
                },
            ));
        }
        validate_traffic(&self.traffic)?;
        validate_balancer(&self.balancer)?;
        if let Some(h) = &self.health_check {
            positive("health_check.interval_seconds", h.interval_seconds)?;
            in_range(
                "health_check.failure_threshold",
                h.failure_threshold,
                1,
                1000,
            )?;
        }
        validate_servers(&self.servers)?;
        if let Some(c) = &self.cache {
            in_range("cache.capacity", c.capacity, 0, 100_000_000)?;
            if let Some(ttl) = c.ttl_seconds {
                positive("cache.ttl_seconds", ttl)?;
            }
            c.lookup_latency.validate("cache.lookup_latency")?;
        }
        if let Some(d) = &self.database {
            d.validate()?;
        }
        validate_protection(&self.protection)?;
        let window = self.metrics.window_seconds;
        positive("metrics.window_seconds", window)?;
        in_range(
            "metrics.window_seconds",
            window,
            MIN_WINDOW_SECONDS,
            crate::dist::MAX_SECONDS,
        )
    }

    /// Valid but risky choices, each a sentence naming the field.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.servers.queue_capacity.is_none() {
            out.push(
                "servers.queue_capacity is unbounded: under overload the queue and latency grow without limit"
                    .to_string(),
            );
        }
        out
    }
}

/// The path of the first key in `input` that `known` lacks, depth first.
fn first_unknown_key(
    input: &serde_json::Value,
    known: &serde_json::Value,
    path: &str,
) -> Option<String> {
    use serde_json::Value;
    let join = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match (input, known) {
        (Value::Object(given), Value::Object(expected)) => {
            given
                .iter()
                .find_map(|(key, value)| match expected.get(key) {
                    Some(known_value) => first_unknown_key(value, known_value, &join(key)),
                    None => Some(join(key)),
                })
        }
        (Value::Array(given), Value::Array(expected)) => given
            .iter()
            .zip(expected)
            .enumerate()
            .find_map(|(i, (g, e))| first_unknown_key(g, e, &format!("{path}[{i}]"))),
        _ => None,
    }
}

/// Rejects NaN, infinities, zero and negatives.
pub fn positive(path: &str, value: f64) -> Result<(), ScenarioError> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(ScenarioError::new(path, Problem::Positive { got: value }))
    }
}

/// Rejects NaN, infinities and negatives.
pub fn non_negative(path: &str, value: f64) -> Result<(), ScenarioError> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(ScenarioError::new(
            path,
            Problem::NonNegative { got: value },
        ))
    }
}

/// Rejects anything outside 0 to 1.
pub fn fraction(path: &str, value: f64) -> Result<(), ScenarioError> {
    if (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(ScenarioError::new(path, Problem::Fraction { got: value }))
    }
}

/// Rejects integers outside `min..=max`.
pub fn in_range<T: PartialOrd + fmt::Display + Copy>(
    path: &str,
    value: T,
    min: T,
    max: T,
) -> Result<(), ScenarioError> {
    if value >= min && value <= max {
        Ok(())
    } else {
        Err(ScenarioError::new(
            path,
            Problem::Range {
                min: min.to_string(),
                max: max.to_string(),
                got: value.to_string(),
            },
        ))
    }
}

fn validate_traffic(t: &Traffic) -> Result<(), ScenarioError> {
    match &t.arrivals {
        Arrivals::OpenLoop { rate, schedule } => {
            crate::traffic::validate_open_loop(*rate, schedule)?
        }
        Arrivals::ClosedLoop { users, think_time } => {
            in_range("traffic.arrivals.users", *users, 0, MAX_USERS)?;
            think_time.validate("traffic.arrivals.think_time")?;
            // A zero think time lets a refused user ask again at the same instant, for ever.
            positive("traffic.arrivals.think_time (its mean)", think_time.mean())?;
        }
    }
    in_range("traffic.clients", t.clients, 1, u32::MAX)?;
    in_range("traffic.keys.count", t.keys.count, 1, MAX_KEYS)?;
    fraction("traffic.keys.session_share", t.keys.session_share)?;
    match t.keys.popularity {
        Popularity::Uniform => {}
        Popularity::Zipf { exponent } => {
            non_negative("traffic.keys.popularity.exponent", exponent)?;
            in_range("traffic.keys.popularity.exponent", exponent, 0.0, 5.0)?;
        }
        Popularity::HotSet {
            hot_fraction,
            hot_share,
        } => {
            fraction("traffic.keys.popularity.hot_fraction", hot_fraction)?;
            fraction("traffic.keys.popularity.hot_share", hot_share)?;
        }
    }
    fraction("traffic.write_fraction", t.write_fraction)?;
    if let Some(timeout) = t.timeout_seconds {
        positive("traffic.timeout_seconds", timeout)?;
    }
    Ok(())
}

fn validate_balancer(b: &BalancerKind) -> Result<(), ScenarioError> {
    match *b {
        BalancerKind::ConsistentHash { virtual_nodes, .. } => {
            in_range("balancer.virtual_nodes", virtual_nodes, 1, 10_000)
        }
        BalancerKind::PeakEwma { decay_seconds } => {
            positive("balancer.decay_seconds", decay_seconds)
        }
        _ => Ok(()),
    }
}

fn validate_protection(p: &Protection) -> Result<(), ScenarioError> {
    match p.rate_limit {
        None => {}
        Some(RateLimit::TokenBucket { rate, burst }) => {
            positive("protection.rate_limit.rate", rate)?;
            in_range("protection.rate_limit.burst", burst, 1.0, 1e9)?;
        }
        Some(RateLimit::LeakyBucket { rate, capacity }) => {
            positive("protection.rate_limit.rate", rate)?;
            in_range("protection.rate_limit.capacity", capacity, 1, 10_000_000)?;
        }
        Some(
            RateLimit::FixedWindow {
                limit,
                window_seconds,
            }
            | RateLimit::SlidingWindow {
                limit,
                window_seconds,
            },
        ) => {
            in_range("protection.rate_limit.limit", limit, 1, 1_000_000)?;
            positive("protection.rate_limit.window_seconds", window_seconds)?;
        }
    }
    if let Some(limit) = p.concurrency_limit {
        in_range("protection.concurrency_limit", limit, 1, 100_000_000)?;
    }
    if let Some(after) = p.shed_after_seconds {
        positive("protection.shed_after_seconds", after)?;
    }
    if let Some(b) = p.circuit_breaker {
        in_range(
            "protection.circuit_breaker.window_calls",
            b.window_calls,
            1,
            100_000,
        )?;
        fraction("protection.circuit_breaker.failure_ratio", b.failure_ratio)?;
        positive("protection.circuit_breaker.open_seconds", b.open_seconds)?;
        in_range(
            "protection.circuit_breaker.probe_calls",
            b.probe_calls,
            1,
            10_000,
        )?;
    }
    if let Some(r) = p.retries {
        in_range("protection.retries.max_attempts", r.max_attempts, 1, 20)?;
        positive("protection.retries.backoff_seconds", r.backoff_seconds)?;
        fraction("protection.retries.jitter", r.jitter)?;
        if let Some(budget) = r.budget {
            fraction("protection.retries.budget", budget)?;
        }
    }
    Ok(())
}

fn validate_servers(s: &Servers) -> Result<(), ScenarioError> {
    in_range("servers.count", s.count, 1, MAX_SERVERS)?;
    in_range("servers.workers", s.workers, 1, MAX_WORKERS)?;
    in_range("servers.cores", s.cores, 1, MAX_WORKERS)?;
    if let Some(q) = s.queue_capacity {
        in_range("servers.queue_capacity", q, 0, 10_000_000)?;
    }
    s.service_time.validate("servers.service_time")?;
    non_negative("servers.switch_overhead", s.switch_overhead)?;
    in_range("servers.switch_overhead", s.switch_overhead, 0.0, 1.0)?;
    if let IoMode::Async { max_in_flight } = s.io {
        in_range("servers.io.max_in_flight", max_in_flight, 1, 10_000_000)?;
    }
    if !s.weights.is_empty() {
        if s.weights.len() != s.count as usize {
            return Err(one_per(
                "servers.weights",
                PerServer::Weight,
                s.count,
                s.weights.len(),
            ));
        }
        for (i, &w) in s.weights.iter().enumerate() {
            in_range(&format!("servers.weights[{i}]"), w, 0, 1000)?;
        }
        if s.weights.iter().all(|&w| w == 0) {
            return Err(ScenarioError::new(
                "servers.weights",
                Problem::AllWeightsZero,
            ));
        }
    }
    if !s.speeds.is_empty() {
        if s.speeds.len() != s.count as usize {
            return Err(one_per(
                "servers.speeds",
                PerServer::Speed,
                s.count,
                s.speeds.len(),
            ));
        }
        for (i, &v) in s.speeds.iter().enumerate() {
            positive(&format!("servers.speeds[{i}]"), v)?;
            // At least 1/1000, as at most 1000: compute time is divided by the speed,
            // and a speed near 0 made it infinite (found by fuzzing).
            in_range(&format!("servers.speeds[{i}]"), v, 0.001, 1000.0)?;
        }
    }
    Ok(())
}

/// A per-server list at `path` whose length is not the server count.
fn one_per(path: &str, what: PerServer, servers: u32, got: usize) -> ScenarioError {
    ScenarioError::new(path, Problem::OnePer { what, servers, got })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::traffic::RateEvent;

    fn error_path(edit: impl FnOnce(&mut Scenario)) -> String {
        let mut s = Scenario::default();
        edit(&mut s);
        s.validate().unwrap_err().path
    }

    #[test]
    fn default_is_valid_and_round_trips_through_json() {
        let s = Scenario::default();
        assert_eq!(Scenario::from_json(&s.to_json()).unwrap(), s);
    }

    #[test]
    fn rates_beyond_the_limit_are_refused() {
        let mut s = Scenario::default();
        if let Arrivals::OpenLoop { rate, .. } = &mut s.traffic.arrivals {
            *rate = 1e308;
        }
        let err = s.validate().unwrap_err();
        assert_eq!(err.path, "traffic.arrivals.rate");
        assert!(matches!(err.problem, Problem::Range { .. }), "{err}");
    }

    /// A gigantic value quoted back by serde is cut, so the message stays readable.
    #[test]
    fn a_gigantic_value_in_an_error_is_cut() {
        let mut json: serde_json::Value =
            serde_json::from_str(&Scenario::default().to_json()).unwrap();
        json["balancer"]["kind"] = "x".repeat(200_000).into();
        let err = Scenario::from_json(&json.to_string()).unwrap_err();
        assert_eq!(err.path, "balancer.kind");
        let text = err.to_string();
        assert!(
            text.chars().count() < 300 && text.ends_with('…'),
            "{} chars",
            text.len()
        );
    }

    #[test]
    fn unknown_field_is_rejected_with_its_path() {
        let text = Scenario::default()
            .to_json()
            .replace("\"workers\"", "\"wrkers\"");
        let err = Scenario::from_json(&text).unwrap_err();
        assert_eq!(err.path, "servers.wrkers");
        assert!(
            matches!(&err.problem, Problem::Syntax(m) if m.contains("wrkers")),
            "{err}"
        );
        let text = Scenario::default()
            .to_json()
            .replace("\"schedule\"", "\"schedul\"");
        let err = Scenario::from_json(&text).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("traffic.arrivals: unknown field `schedul`"),
            "{err}"
        );
    }

    #[test]
    fn extra_fields_on_variants_without_fields_are_rejected() {
        let text = Scenario::default().to_json().replace(
            "\"kind\": \"round_robin\"",
            "\"kind\": \"round_robin\", \"weights\": 3",
        );
        assert_eq!(
            Scenario::from_json(&text).unwrap_err().path,
            "balancer.weights"
        );
        let text = Scenario::default().to_json().replace(
            "\"mode\": \"sync\"",
            "\"mode\": \"sync\", \"max_in_flight\": 3",
        );
        assert_eq!(
            Scenario::from_json(&text).unwrap_err().path,
            "servers.io.max_in_flight"
        );
    }

    #[test]
    fn wrong_type_is_rejected_with_its_path() {
        let text = Scenario::default()
            .to_json()
            .replace("\"rate\": 600.0", "\"rate\": \"fast\"");
        let err = Scenario::from_json(&text).unwrap_err();
        // Inside an internally tagged enum serde buffers the content, so the path
        // stops at the enum; the reason still names the type expected.
        assert_eq!(err.path, "traffic.arrivals");
        assert!(
            matches!(&err.problem, Problem::Syntax(m) if m.contains("expected f64")),
            "{err}"
        );
    }

    #[test]
    fn invalid_values_are_rejected_with_their_paths() {
        let open = |rate| Arrivals::OpenLoop {
            rate,
            schedule: Vec::new(),
        };
        assert_eq!(
            error_path(|s| s.traffic.arrivals = open(-5.0)),
            "traffic.arrivals.rate"
        );
        assert_eq!(error_path(|s| s.servers.workers = 0), "servers.workers");
        assert_eq!(error_path(|s| s.servers.count = 0), "servers.count");
        assert_eq!(
            error_path(|s| s.servers.service_time = Distribution::Exponential {
                mean_seconds: f64::NAN
            }),
            "servers.service_time.mean_seconds"
        );
        assert_eq!(error_path(|s| s.version = 99), "version");
        assert_eq!(
            error_path(|s| s.traffic.write_fraction = 1.5),
            "traffic.write_fraction"
        );
        assert_eq!(
            error_path(|s| {
                s.servers.count = 3;
                s.servers.weights = vec![0, 0, 0];
            }),
            "servers.weights"
        );
        assert_eq!(
            error_path(|s| s.servers.weights = vec![1, 2]),
            "servers.weights"
        );
        assert_eq!(
            error_path(|s| s.traffic.arrivals = Arrivals::OpenLoop {
                rate: 1.0,
                schedule: vec![RateEvent::Ramp {
                    start: 5.0,
                    end: 2.0,
                    rate: 1.0
                }],
            }),
            "traffic.arrivals.schedule[0].end"
        );
    }

    #[test]
    fn an_unbounded_queue_is_flagged() {
        let mut s = Scenario::default();
        assert!(s.warnings().is_empty());
        s.servers.queue_capacity = None;
        assert!(s.validate().is_ok());
        assert!(s.warnings()[0].starts_with("servers.queue_capacity"));
    }

    #[test]
    fn malformed_json_is_an_error_not_a_panic() {
        let err = Scenario::from_json("{\"version\": 1,").unwrap_err();
        assert!(matches!(&err.problem, Problem::Syntax(m) if !m.is_empty()));
    }
}
