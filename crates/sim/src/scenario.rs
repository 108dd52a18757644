//! The scenario: a versioned JSON document that fully determines a run (with its seed).
//!
//! Decoding rejects unknown fields and wrong types with the field's path; validation
//! then rejects values the model cannot take, also by path. Both errors are a
//! [`ScenarioError`], so the CLI prints one line and the page shows it beside the input.
//! docs/scenario.md documents every field.

use crate::balancer::BalancerKind;
use crate::cache::{CacheConfig, Placement, PolicyKind, WriteMode};
use crate::cost::CostModel;
use crate::curve::CurveSpec;
use crate::db::Database;
use crate::dist::Distribution;
use crate::json_path::numbers;
use crate::problem::Problem;
use crate::protection::Protection;
use crate::server::{IoMode, Servers};
use crate::traffic::{Arrivals, Keys, Popularity, Traffic};
use crate::validate::{in_range, positive, Path, ScenarioError};
use serde::{Deserialize, Serialize};

/// The format version this build reads and writes.
pub const SCENARIO_VERSION: u32 = 1;

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
    /// A what-if curve chosen on the page (or for `loadlab sweep`); absent: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub curve: Option<CurveSpec>,
    /// Prices of what the run uses; absent: the defaults.
    #[serde(default, skip_serializing_if = "CostModel::is_default")]
    pub cost: CostModel,
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

impl HealthCheck {
    /// Checks the interval and the threshold.
    pub fn validate(&self, path: Path) -> Result<(), ScenarioError> {
        positive(path.field("interval_seconds"), self.interval_seconds)?;
        in_range(
            path.field("failure_threshold"),
            self.failure_threshold,
            1,
            1000,
        )
    }
}

/// Aggregation settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsConfig {
    /// Length of one chart window, in simulated seconds.
    pub window_seconds: f64,
}

impl Default for Scenario {
    /// The walk-through default: 4 servers of 4 workers at about 75 % utilisation,
    /// a shared LRU cache over a database with two replicas, Zipf keys.
    fn default() -> Self {
        Self {
            version: SCENARIO_VERSION,
            seed: 1,
            traffic: Traffic {
                arrivals: Arrivals::open_loop(600.0),
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
                autoscale: None,
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
            curve: None,
            cost: CostModel::default(),
            metrics: MetricsConfig {
                window_seconds: 1.0,
            },
        }
    }
}

impl Scenario {
    /// Decodes and validates a JSON document.
    // Never inlined: the page calls it from several places (a link, a file, storage, a
    // lesson), and each inlined copy cost it about 4 KB of download (measured with
    // twiggy). The page's profile builds the core at "z" anyway.
    #[inline(never)]
    pub fn from_json(text: &str) -> Result<Self, ScenarioError> {
        // A UTF-8 byte-order mark, as some editors write first, is no part of the JSON.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let scenario: Scenario = serde_json::from_str(text).map_err(|e| {
            if e.is_eof() {
                return ScenarioError::new("", Problem::Truncated { line: e.line() });
            }
            let path = crate::json_path::path_at(text, e.line(), e.column());
            ScenarioError::new(path, Problem::syntax(e))
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

    /// The walk-through default reduced to compute: no cache, no database, no timeout;
    /// open-loop arrivals at `rate`, `servers` servers of `workers` workers with a core
    /// each, exponential service of mean `mean_service`. Lessons, theory's model
    /// scenarios and tests start from it and change what they are about.
    pub fn compute_only(rate: f64, servers: u32, workers: u32, mean_service: f64) -> Self {
        let mut s = Scenario {
            cache: None,
            database: None,
            ..Scenario::default()
        };
        s.traffic.arrivals = Arrivals::open_loop(rate);
        s.traffic.timeout_seconds = None;
        s.servers.count = servers;
        s.servers.workers = workers;
        s.servers.cores = workers;
        s.servers.service_time = Distribution::Exponential {
            mean_seconds: mean_service,
        };
        s
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
        self.traffic.validate(Path::root("traffic"))?;
        self.balancer.validate(Path::root("balancer"))?;
        if let Some(h) = &self.health_check {
            h.validate(Path::root("health_check"))?;
        }
        self.servers.validate(Path::root("servers"))?;
        if let Some(c) = &self.cache {
            c.validate(Path::root("cache"))?;
        }
        if let Some(d) = &self.database {
            d.validate(Path::root("database"))?;
        }
        self.protection.validate(Path::root("protection"))?;
        self.cost.validate(Path::root("cost"))?;
        let window = self.metrics.window_seconds;
        positive(Path::root("metrics.window_seconds"), window)?;
        in_range(
            Path::root("metrics.window_seconds"),
            window,
            MIN_WINDOW_SECONDS,
            crate::dist::MAX_SECONDS,
        )?;
        match &self.curve {
            Some(curve) => curve.validate(Path::root("curve"), &self.sweepable()),
            None => Ok(()),
        }
    }

    /// The numeric settings a what-if curve can sweep, by their dotted paths in
    /// alphabetical order: every number in the document but its version, seed, chart
    /// window, curve and prices.
    pub fn sweepable(&self) -> Vec<String> {
        let plain = Scenario {
            curve: None,
            ..self.clone()
        };
        let doc = serde_json::to_value(&plain).expect("a scenario always serialises");
        let mut found = numbers(&doc);
        found.retain(|p| {
            !matches!(p.as_str(), "version" | "seed")
                && !p.starts_with("metrics.")
                && !p.starts_with("cost.")
        });
        found
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
                .starts_with("traffic.arrivals.schedul: unknown field `schedul`"),
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

    /// Tagged objects are decoded through flat structs (`crate::tagged`): a field of
    /// another kind is still refused by name, and a kind's missing field is named.
    #[test]
    fn tagged_objects_refuse_other_kinds_fields_and_name_missing_ones() {
        let text = Scenario::default().to_json().replace(
            "\"kind\": \"zipf\",",
            "\"kind\": \"zipf\", \"hot_share\": 0.5,",
        );
        let err = Scenario::from_json(&text).unwrap_err();
        assert_eq!(err.path, "traffic.keys.popularity.hot_share", "{err}");
        assert_eq!(err.problem, Problem::UnknownField);
        let text = Scenario::default()
            .to_json()
            .replace("\"exponent\": 0.9", "\"hot_fraction\": 0.1");
        let err = Scenario::from_json(&text).unwrap_err();
        assert!(err.path.starts_with("traffic.keys"), "{err}");
        assert!(
            err.to_string().contains("missing field `exponent`"),
            "{err}"
        );
    }

    #[test]
    fn wrong_type_is_rejected_with_its_path() {
        let text = Scenario::default()
            .to_json()
            .replace("\"rate\": 600.0", "\"rate\": \"fast\"");
        let err = Scenario::from_json(&text).unwrap_err();
        // Inside a tagged object too (decoded without buffering: `crate::tagged`).
        assert_eq!(err.path, "traffic.arrivals.rate");
        assert!(
            matches!(&err.problem, Problem::Syntax(m) if m.contains("expected f64")),
            "{err}"
        );
    }

    #[test]
    fn invalid_values_are_rejected_with_their_paths() {
        let open = Arrivals::open_loop;
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
    fn a_cut_off_file_is_called_incomplete_before_any_path() {
        let whole = Scenario::default().to_json();
        let cut = &whole[..whole.len() / 2];
        let err = Scenario::from_json(cut).unwrap_err();
        assert!(err.path.is_empty(), "{err}");
        assert!(matches!(err.problem, Problem::Truncated { .. }), "{err}");
        assert!(err.to_string().contains("is it complete?"), "{err}");
    }

    #[test]
    fn malformed_json_is_an_error_not_a_panic() {
        let err = Scenario::from_json("{\"version\": 1,, }").unwrap_err();
        assert!(matches!(&err.problem, Problem::Syntax(m) if !m.is_empty()));
    }
}
