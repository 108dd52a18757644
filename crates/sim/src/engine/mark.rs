//! What a change mark says, as data rather than words, so the page can say each
//! [`Mark`] in the reader's language from its values; `Display` gives the English
//! label.

use crate::balancer::BalancerKind;
use crate::cache::Placement;
use crate::cache::PolicyKind;
use crate::db::{Locking, Sharding};
use crate::dist::Distribution;
use crate::protection::RateLimit;
use crate::server::IoMode;
use std::fmt;

/// What changed at a mark, one variant per kind of label, carrying the settings' own
/// values (never words) so any language can describe them.
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    /// This server was killed.
    ServerKilled(u32),
    /// This server was revived, empty.
    ServerRevived(u32),
    /// The database was taken down: every query fails.
    DatabaseDown,
    /// The database was brought back.
    DatabaseUp,
    /// The open-loop rate was multiplied for a while.
    Spike {
        /// Factor on the rate.
        multiplier: f64,
        /// How long, in seconds.
        seconds: f64,
    },
    /// Health checks found this server dead and took it out of the balancer's pool.
    TakenOut(u32),
    /// Health checks found this server alive again and put it back in the pool.
    BackIn(u32),
    /// A feature was turned on or off.
    Switched {
        /// Which feature.
        what: Feature,
        /// Whether it is now on.
        on: bool,
    },
    /// A count changed.
    Count {
        /// What is counted.
        what: Counted,
        /// The count before.
        from: u32,
        /// The count now.
        to: u32,
    },
    /// The balancing algorithm changed (labelled by [`BalancerKind::label`]; its
    /// [`BalancerKind::name`] is a language-neutral key).
    Balancer {
        /// The algorithm before.
        from: BalancerKind,
        /// The algorithm now.
        to: BalancerKind,
    },
    /// The rate limiter changed; `None`: now off.
    RateLimit(Option<RateLimit>),
    /// The concurrency limit changed; `None`: now off.
    ConcurrencyLimit(Option<u32>),
    /// Load shedding changed: requests that waited this many seconds are dropped;
    /// `None`: now off.
    Shedding(Option<f64>),
    /// The chart window's length changed, to this many seconds.
    Window(f64),
    /// The open-loop base rate changed, in requests per second.
    ArrivalRate {
        /// The rate before.
        from: f64,
        /// The rate now.
        to: f64,
    },
    /// The open-loop rate schedule changed (steps, ramps, spikes, sine), the base rate
    /// not.
    ScheduleChanged,
    /// The closed-loop users' think time changed, to this.
    ThinkTime(Distribution),
    /// Traffic switched between open and closed loop.
    TrafficLoop {
        /// Whether it is now closed-loop (users), rather than open-loop (a rate).
        closed: bool,
    },
    /// The key space or its popularity changed.
    KeysChanged,
    /// The share of requests that are writes changed (0 to 1).
    WriteFraction {
        /// The share before.
        from: f64,
        /// The share now.
        to: f64,
    },
    /// The client timeout changed, to this many seconds; `None`: now none.
    Timeout(Option<f64>),
    /// The servers' queue capacity changed; `None`: unbounded.
    Queue {
        /// The capacity before.
        from: Option<u32>,
        /// The capacity now.
        to: Option<u32>,
    },
    /// The servers' service time changed, to this.
    ServiceTime(Distribution),
    /// The servers' I/O mode changed, to this.
    Io(IoMode),
    /// The context-switching overhead changed, to this fraction.
    SwitchOverhead(f64),
    /// The servers' weights or speeds changed.
    WeightsOrSpeedsChanged,
    /// The cache moved between shared and local (emptied).
    CachePlacement {
        /// The placement before.
        from: Placement,
        /// The placement now.
        to: Placement,
    },
    /// The cache's eviction policy changed.
    CachePolicy {
        /// The policy before.
        from: PolicyKind,
        /// The policy now.
        to: PolicyKind,
    },
    /// The cache's time to live changed, to this many seconds; `None`: now no expiry.
    Ttl(Option<f64>),
    /// The cache's lookup latency or write mode changed.
    CacheSettingsChanged,
    /// The database's sharding changed.
    Shards {
        /// How many shards there now are.
        count: u32,
        /// How keys are now spread over them.
        by: Sharding,
    },
    /// The database table's size changed, to this many rows.
    Rows(u64),
    /// The database's locking changed, to this.
    Locking(Locking),
    /// The database connection pool changed (its size, to this, or its timeout).
    PoolSize(u32),
    /// The replication lag changed, to this.
    ReplicationLag(Distribution),
    /// The share of database queries that fail changed, to this (0 to 1).
    ErrorRate(f64),
    /// Some other database setting changed (timings, scan speed, concurrency, write
    /// queue details).
    DatabaseTimingsChanged,
    /// Settings changed that no other mark names (every change leaves a mark).
    SettingsChanged,
    /// The autoscaler changed the number of servers asked for.
    Scaled {
        /// Servers before.
        from: u32,
        /// Servers after.
        to: u32,
    },
    /// The autoscaling policy's settings changed (it stayed on).
    AutoscalingChanged,
}

/// The parts of the system a change turns on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    /// Health checks by the balancer.
    HealthChecks,
    /// Autoscaling of the server pool.
    Autoscaling,
    /// The circuit breaker in front of the database.
    CircuitBreaker,
    /// Client retries.
    Retries,
    /// The cache.
    Cache,
    /// The database (in the scenario, not a crash: see [`Mark::DatabaseDown`]).
    Database,
    /// Sending reads to replicas and writes to the primary.
    ReadWriteSplit,
    /// The database index.
    Index,
    /// The write queue in front of the database.
    WriteQueue,
    /// Cache misses for one key share one database load (single flight).
    Coalescing,
}

/// The counts a change sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// Closed-loop users.
    Users,
    /// Distinct clients (addresses) sending traffic.
    Clients,
    /// Servers behind the balancer.
    Servers,
    /// Worker threads per server.
    Workers,
    /// CPU cores per server.
    Cores,
    /// Database replicas.
    Replicas,
    /// Cache capacity, in entries.
    CacheSize,
}

impl fmt::Display for Mark {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mark::ServerKilled(index) => write!(f, "server {index} killed"),
            Mark::ServerRevived(index) => write!(f, "server {index} revived"),
            Mark::DatabaseDown => f.write_str("database down"),
            Mark::DatabaseUp => f.write_str("database up"),
            Mark::Spike {
                multiplier,
                seconds,
            } => write!(f, "spike ×{multiplier} for {seconds} s"),
            Mark::TakenOut(index) => write!(f, "health check: server {index} taken out"),
            Mark::BackIn(index) => write!(f, "health check: server {index} back in"),
            Mark::Switched { what, on } => write!(f, "{what} {}", on_off(*on)),
            Mark::Count { what, from, to } => write!(f, "{what} {from} → {to}"),
            Mark::Balancer { from, to } => write!(f, "LB: {} → {}", from.label(), to.label()),
            Mark::RateLimit(limit) => {
                write!(f, "rate limit: {}", limit.map_or("off", |r| r.label()))
            }
            Mark::ConcurrencyLimit(limit) => {
                write!(
                    f,
                    "concurrency limit {}",
                    or_off(limit.map(|c| c.to_string()))
                )
            }
            Mark::Shedding(after) => {
                write!(
                    f,
                    "shedding {}",
                    or_off(after.map(|s| format!("after {s} s")))
                )
            }
            Mark::Window(seconds) => write!(f, "window {seconds} s"),
            Mark::ArrivalRate { from, to } => write!(f, "arrival rate {from} → {to} /s"),
            Mark::ScheduleChanged => f.write_str("arrival schedule changed"),
            Mark::ThinkTime(time) => write!(f, "think time {}", time.label()),
            Mark::TrafficLoop { closed } => {
                write!(
                    f,
                    "traffic → {} loop",
                    if *closed { "closed" } else { "open" }
                )
            }
            Mark::KeysChanged => f.write_str("key popularity changed"),
            Mark::WriteFraction { from, to } => write!(f, "writes {from} → {to}"),
            Mark::Timeout(seconds) => write!(f, "timeout {}", seconds_or_none(*seconds)),
            Mark::Queue { from, to } => {
                write!(f, "queue {} → {}", queue_label(*from), queue_label(*to))
            }
            Mark::ServiceTime(time) => write!(f, "service {}", time.label()),
            Mark::Io(mode) => write!(f, "I/O {}", io_label(*mode)),
            Mark::SwitchOverhead(overhead) => write!(f, "switch overhead {overhead}"),
            Mark::WeightsOrSpeedsChanged => f.write_str("weights or speeds changed"),
            Mark::CachePlacement { from, to } => write!(
                f,
                "cache placement {} → {}",
                placement_label(*from),
                placement_label(*to)
            ),
            Mark::CachePolicy { from, to } => write!(f, "cache: {} → {}", from.name(), to.name()),
            Mark::Ttl(seconds) => write!(f, "TTL {}", seconds_or_none(*seconds)),
            Mark::CacheSettingsChanged => f.write_str("cache settings changed"),
            Mark::Shards { count, by } => write!(f, "shards {count} by {}", sharding_label(*by)),
            Mark::Rows(rows) => write!(f, "table {rows} rows"),
            Mark::Locking(locking) => write!(f, "locking: {}", locking_label(*locking)),
            Mark::PoolSize(size) => write!(f, "pool {size} per server"),
            Mark::ReplicationLag(lag) => write!(f, "replication lag {}", lag.label()),
            Mark::ErrorRate(rate) => write!(f, "DB errors {} %", rate * 100.0),
            Mark::DatabaseTimingsChanged => f.write_str("database timings changed"),
            Mark::SettingsChanged => f.write_str("settings changed"),
            Mark::Scaled { from, to } => write!(f, "autoscaling: {from} → {to} servers"),
            Mark::AutoscalingChanged => f.write_str("autoscaling settings changed"),
        }
    }
}

impl fmt::Display for Feature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Feature::HealthChecks => "health checks",
            Feature::Autoscaling => "autoscaling",
            Feature::CircuitBreaker => "circuit breaker",
            Feature::Retries => "retries",
            Feature::Cache => "cache",
            Feature::Database => "database",
            Feature::ReadWriteSplit => "read/write split",
            Feature::Index => "index",
            Feature::WriteQueue => "write queue",
            Feature::Coalescing => "coalescing",
        })
    }
}

impl fmt::Display for Counted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Counted::Users => "users",
            Counted::Clients => "clients",
            Counted::Servers => "servers",
            Counted::Workers => "workers",
            Counted::Cores => "cores",
            Counted::Replicas => "replicas",
            Counted::CacheSize => "cache size",
        })
    }
}

fn on_off(on: bool) -> &'static str {
    if on {
        "on"
    } else {
        "off"
    }
}

fn or_off(setting: Option<String>) -> String {
    setting.unwrap_or_else(|| "off".to_string())
}

fn seconds_or_none(seconds: Option<f64>) -> String {
    seconds.map_or_else(|| "none".to_string(), |s| format!("{s} s"))
}

fn queue_label(capacity: Option<u32>) -> String {
    capacity.map_or_else(|| "unbounded".to_string(), |c| c.to_string())
}

fn io_label(mode: IoMode) -> &'static str {
    match mode {
        IoMode::Sync => "sync",
        IoMode::Async { .. } => "async",
    }
}

fn placement_label(placement: Placement) -> &'static str {
    match placement {
        Placement::Shared => "shared",
        Placement::Local => "local",
    }
}

fn sharding_label(sharding: Sharding) -> &'static str {
    match sharding {
        Sharding::Hash => "hash",
        Sharding::Range => "range",
    }
}

fn locking_label(locking: Locking) -> &'static str {
    match locking {
        Locking::None => "none",
        Locking::Pessimistic => "pessimistic",
        Locking::Optimistic { .. } => "optimistic",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_english_is_the_label_the_charts_have_always_shown() {
        for (mark, english) in [
            (
                Mark::Balancer {
                    from: BalancerKind::RoundRobin,
                    to: BalancerKind::LeastConnections,
                },
                "LB: round robin → least connections",
            ),
            (
                Mark::ArrivalRate {
                    from: 600.0,
                    to: 300.0,
                },
                "arrival rate 600 → 300 /s",
            ),
            (Mark::ErrorRate(0.001), "DB errors 0.1 %"),
            (
                Mark::Switched {
                    what: Feature::ReadWriteSplit,
                    on: false,
                },
                "read/write split off",
            ),
            (
                Mark::Queue {
                    from: None,
                    to: Some(5),
                },
                "queue unbounded → 5",
            ),
            (Mark::TakenOut(2), "health check: server 2 taken out"),
        ] {
            assert_eq!(mark.to_string(), english);
        }
    }
}
