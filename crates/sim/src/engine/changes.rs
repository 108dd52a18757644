//! Live changes: a new scenario applied to a running simulation, field by field, plus
//! the actions that are not settings (kill, revive, spike).
//!
//! Every change takes effect at the current simulated time; work in progress carries
//! on. Each change leaves a labelled mark for the charts.

use super::{Caches, Simulation};
use crate::cache::Cache;
use crate::rng::{stream, Stream};
use crate::scenario::{in_range, positive, Scenario, ScenarioError};
use crate::server::{Lifecycle, Server, ServerSpec};
use crate::traffic::{Arrivals, KeySampler, RateEvent, RateProfile};

/// Changes that may be applied while a run is in progress.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// New settings, applied live (the seed only matters at the start).
    Scenario(Box<Scenario>),
    /// Kill the server at this index: its requests are lost, new ones are refused.
    KillServer(u32),
    /// Restart a killed server, empty.
    ReviveServer(u32),
    /// Multiply the open-loop rate by `multiplier` for `seconds` from now.
    Spike { multiplier: f64, seconds: f64 },
    /// Take the database down: every query fails.
    KillDatabase,
    /// Bring the database back.
    ReviveDatabase,
}

/// A change, stamped with when it happened, for the charts' labelled lines.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeMark {
    /// Simulated time of the change, in seconds.
    pub time: f64,
    /// What changed, like "LB: round robin → least connections".
    pub label: String,
}

/// Marks kept; older ones are dropped so memory stays bounded.
const MAX_MARKS: usize = 256;

impl Simulation {
    /// Applies a live change at the current time; the run carries on. An invalid change
    /// is refused with the reason, and nothing changes.
    pub fn apply(&mut self, change: Change) -> Result<(), ScenarioError> {
        let labels = match change {
            Change::Scenario(next) => self.reconfigure(*next)?,
            Change::KillServer(index) => {
                self.check_server(index, true)?;
                self.kill_server(index);
                vec![format!("server {index} killed")]
            }
            Change::ReviveServer(index) => {
                self.check_server(index, false)?;
                self.servers[index as usize].revive(self.now);
                vec![format!("server {index} revived")]
            }
            Change::Spike {
                multiplier,
                seconds,
            } => self.spike(multiplier, seconds)?,
            Change::KillDatabase | Change::ReviveDatabase => {
                if self.scenario.database.is_none() {
                    return Err(ScenarioError::new("database", "there is no database"));
                }
                let now = self.now;
                let up = change == Change::ReviveDatabase;
                self.with_db(|db, fx| {
                    if up {
                        db.recover(now, fx);
                    } else {
                        db.crash(now, fx);
                    }
                });
                vec![format!("database {}", if up { "up" } else { "down" })]
            }
        };
        for label in labels {
            self.mark(label);
        }
        Ok(())
    }

    pub(super) fn mark(&mut self, label: String) {
        if self.marks.len() == MAX_MARKS {
            self.marks.pop_front();
        }
        self.marks.push_back(super::ChangeMark {
            time: self.now,
            label,
        });
    }

    fn check_server(&self, index: u32, must_be_alive: bool) -> Result<(), ScenarioError> {
        let server = self
            .servers
            .get(index as usize)
            .filter(|s| s.lifecycle() != Lifecycle::Retired)
            .ok_or_else(|| ScenarioError::new("server", format!("no server {index} is running")))?;
        match (must_be_alive, server.is_alive()) {
            (true, false) => Err(ScenarioError::new(
                "server",
                format!("server {index} is already dead"),
            )),
            (false, true) => Err(ScenarioError::new(
                "server",
                format!("server {index} is not dead"),
            )),
            _ => Ok(()),
        }
    }

    fn spike(&mut self, multiplier: f64, seconds: f64) -> Result<Vec<String>, ScenarioError> {
        positive("spike.seconds", seconds)?;
        in_range("spike.multiplier", multiplier, 0.0, 1000.0)?;
        let now = self.now;
        let Arrivals::OpenLoop { rate, schedule } = &mut self.scenario.traffic.arrivals else {
            return Err(ScenarioError::new(
                "spike",
                "spikes apply to open-loop traffic only",
            ));
        };
        // Spikes that have ended change nothing any more; drop them.
        schedule.retain(
            |e| !matches!(*e, RateEvent::Spike { at, duration, .. } if at + duration <= now),
        );
        schedule.push(RateEvent::Spike {
            at: now,
            duration: seconds,
            multiplier,
        });
        let profile = RateProfile::new(*rate, schedule);
        if let Some(source) = &mut self.source {
            source.set_profile(profile, now);
        }
        Ok(vec![format!("spike ×{multiplier} for {seconds} s")])
    }

    fn reconfigure(&mut self, next: Scenario) -> Result<Vec<String>, ScenarioError> {
        next.validate()?;
        let old = std::mem::replace(&mut self.scenario, next);
        let mut labels = Vec::new();
        self.reconfigure_traffic(&old, &mut labels);
        if old.balancer != self.scenario.balancer {
            self.balancer = self.scenario.balancer.build();
            self.balancer.pool_changed(&self.pool, &self.servers);
            labels.push(format!(
                "LB: {} → {}",
                old.balancer.label(),
                self.scenario.balancer.label()
            ));
        }
        if old.health_check != self.scenario.health_check {
            if self.scenario.health_check.is_none() {
                self.reset_health_views();
            }
            self.schedule_health_check();
            self.rebuild_pool();
            let state = if self.scenario.health_check.is_some() {
                "on"
            } else {
                "off"
            };
            labels.push(format!("health checks {state}"));
        }
        if old.protection != self.scenario.protection {
            let p = &self.scenario.protection;
            if old.protection.rate_limit != p.rate_limit {
                self.rate_limiter = p.rate_limit.map(|r| r.build());
                labels.push(format!(
                    "rate limit: {}",
                    p.rate_limit.map_or("off", |r| r.label())
                ));
            }
            if old.protection.concurrency_limit != p.concurrency_limit {
                labels.push(format!(
                    "concurrency limit {}",
                    p.concurrency_limit.map_or("off".into(), |c| c.to_string())
                ));
            }
            if old.protection.circuit_breaker != p.circuit_breaker {
                self.breaker = p
                    .circuit_breaker
                    .map(crate::protection::CircuitBreaker::new);
                labels.push(format!(
                    "circuit breaker {}",
                    if p.circuit_breaker.is_some() {
                        "on"
                    } else {
                        "off"
                    }
                ));
            }
            if old.protection.retries != p.retries {
                labels.push(format!(
                    "retries {}",
                    if p.retries.is_some() { "on" } else { "off" }
                ));
            }
            if old.protection.shed_after_seconds != p.shed_after_seconds {
                labels.push(format!(
                    "shedding {}",
                    p.shed_after_seconds
                        .map_or("off".into(), |s| format!("after {s} s"))
                ));
            }
        }
        self.reconfigure_servers(&old, &mut labels);
        self.reconfigure_cache(&old, &mut labels);
        self.reconfigure_database(&old, &mut labels);
        if old.metrics != self.scenario.metrics {
            self.metrics
                .set_window_seconds(self.scenario.metrics.window_seconds);
            labels.push(format!("window {} s", self.scenario.metrics.window_seconds));
        }
        Ok(labels)
    }

    fn reconfigure_traffic(&mut self, old: &Scenario, labels: &mut Vec<String>) {
        let now = self.now;
        let (before, after) = (&old.traffic, &mut self.scenario.traffic);
        match (&before.arrivals, &mut after.arrivals) {
            (
                Arrivals::OpenLoop {
                    rate: r0,
                    schedule: s0,
                },
                Arrivals::OpenLoop {
                    rate: r1,
                    schedule: s1,
                },
            ) => {
                if r0 == r1 && s0 == s1 {
                } else {
                    if r0 != r1 {
                        // A new base rate applies from now: entries that already took
                        // effect would otherwise override it.
                        s1.retain(|e| !has_taken_effect(e, now));
                        labels.push(format!("arrival rate {r0} → {r1} /s"));
                    }
                    if *s0 != *s1 && r0 == r1 {
                        labels.push("arrival schedule changed".into());
                    }
                    let profile = RateProfile::new(*r1, s1);
                    if let Some(source) = &mut self.source {
                        source.set_profile(profile, now);
                    }
                }
            }
            (
                Arrivals::ClosedLoop {
                    users: u0,
                    think_time: t0,
                },
                Arrivals::ClosedLoop {
                    users: u1,
                    think_time: t1,
                },
            ) => {
                let (u1, t1) = (*u1, *t1);
                if *u0 != u1 {
                    self.set_active_users(u1);
                    labels.push(format!("users {u0} → {u1}"));
                }
                if *t0 != t1 {
                    labels.push(format!("think time {}", t1.label()));
                }
            }
            (_, next) => {
                let next = next.clone();
                let kind = match next {
                    Arrivals::OpenLoop { .. } => "open loop",
                    Arrivals::ClosedLoop { .. } => "closed loop",
                };
                self.start_arrivals(&next);
                labels.push(format!("traffic → {kind}"));
            }
        }
        let (before, after) = (&old.traffic, &self.scenario.traffic);
        if before.keys != after.keys {
            self.keys = KeySampler::new(&after.keys);
            labels.push("key popularity changed".into());
        }
        if before.clients != after.clients {
            labels.push(format!("clients {} → {}", before.clients, after.clients));
        }
        if before.write_fraction != after.write_fraction {
            labels.push(format!(
                "writes {} → {}",
                before.write_fraction, after.write_fraction
            ));
        }
        if before.timeout_seconds != after.timeout_seconds {
            labels.push(format!(
                "timeout {}",
                seconds_or_none(after.timeout_seconds)
            ));
        }
    }

    fn reconfigure_servers(&mut self, old: &Scenario, labels: &mut Vec<String>) {
        let (a, b) = (&old.servers, &self.scenario.servers);
        if a == b {
            return;
        }
        let mut changed = Vec::new();
        if a.count != b.count {
            changed.push(format!("servers {} → {}", a.count, b.count));
        }
        if a.workers != b.workers {
            changed.push(format!("workers {} → {}", a.workers, b.workers));
        }
        if a.cores != b.cores {
            changed.push(format!("cores {} → {}", a.cores, b.cores));
        }
        if a.queue_capacity != b.queue_capacity {
            changed.push(format!(
                "queue {} → {}",
                queue_label(a.queue_capacity),
                queue_label(b.queue_capacity)
            ));
        }
        if a.service_time != b.service_time {
            changed.push(format!("service {}", b.service_time.label()));
        }
        if a.io != b.io {
            changed.push(format!(
                "I/O {}",
                if matches!(b.io, crate::scenario::IoMode::Sync) {
                    "sync"
                } else {
                    "async"
                }
            ));
        }
        if a.switch_overhead != b.switch_overhead {
            changed.push(format!("switch overhead {}", b.switch_overhead));
        }
        if a.weights != b.weights || a.speeds != b.speeds {
            changed.push("weights or speeds changed".into());
        }
        let count = b.count;
        self.resize_servers(count);
        self.apply_server_specs();
        self.rebuild_pool();
        labels.extend(changed);
    }

    /// Adds servers, or drains the newest, until `count` are active.
    pub(super) fn resize_servers(&mut self, count: u32) {
        let active: Vec<u32> = self.active_servers();
        for &index in active.iter().skip(count as usize) {
            self.servers[index as usize].drain(self.now);
        }
        for _ in active.len()..count as usize {
            let id = self.servers.len() as u32;
            let spec = self.spec_for(0);
            self.servers
                .push(Server::new(id, self.scenario.seed, spec, self.now));
            // A change that also turns local caches off rebuilds them afterwards.
            if let (Caches::Local(caches), Some(config)) = (&mut self.caches, &self.scenario.cache)
            {
                caches.push(new_cache(config, self.scenario.seed, id + 1));
            }
        }
    }

    fn active_servers(&self) -> Vec<u32> {
        (0..self.servers.len() as u32)
            .filter(|&i| self.servers[i as usize].lifecycle() == Lifecycle::Active)
            .collect()
    }

    /// The settings of the `ordinal`-th active server.
    fn spec_for(&self, ordinal: usize) -> ServerSpec {
        let s = &self.scenario.servers;
        ServerSpec {
            workers: s.workers,
            cores: s.cores,
            queue_capacity: s.queue_capacity,
            service: s.service_time,
            switch_overhead: s.switch_overhead,
            io: s.io,
            speed: s.speeds.get(ordinal).copied().unwrap_or(1.0),
            weight: s.weights.get(ordinal).copied().unwrap_or(1),
        }
    }

    /// Gives every active server its settings; more workers or cores start waiting work.
    pub(super) fn apply_server_specs(&mut self) {
        for (ordinal, index) in self.active_servers().into_iter().enumerate() {
            let spec = self.spec_for(ordinal);
            if *self.servers[index as usize].spec() != spec {
                self.servers[index as usize].set_spec(self.now, spec);
                while let Some((request, compute)) =
                    self.servers[index as usize].fill_cores(self.now)
                {
                    self.schedule_compute(index, request, compute);
                }
                self.start_queued(index);
            }
        }
    }

    fn reconfigure_cache(&mut self, old: &Scenario, labels: &mut Vec<String>) {
        let (Some(a), Some(b)) = (&old.cache, self.scenario.cache.clone()) else {
            if old.cache != self.scenario.cache {
                self.build_caches();
                labels.push(format!(
                    "cache {}",
                    if self.scenario.cache.is_some() {
                        "on"
                    } else {
                        "off"
                    }
                ));
            }
            return;
        };
        if a.placement != b.placement {
            self.build_caches();
            labels.push(
                format!("cache placement {:?} → {:?}", a.placement, b.placement).to_lowercase(),
            );
            return;
        }
        let now = self.now;
        let seed = self.scenario.seed;
        // Stream ids as `build_caches` gives them: 0 for the shared cache, index + 1 for local ones.
        let first_id = u32::from(b.placement == crate::scenario::Placement::Local);
        for (i, cache) in self.caches_mut().into_iter().enumerate() {
            if a.policy != b.policy {
                cache.set_policy(b.policy, stream(seed, Stream::Cache(first_id + i as u32)));
            }
            if a.capacity != b.capacity {
                cache.set_capacity(b.capacity as usize);
            }
            if a.ttl_seconds != b.ttl_seconds {
                cache.set_ttl(b.ttl_seconds, now);
            }
        }
        if a.policy != b.policy {
            labels.push(format!("cache: {} → {}", a.policy.name(), b.policy.name()));
        }
        if a.capacity != b.capacity {
            labels.push(format!("cache size {} → {}", a.capacity, b.capacity));
        }
        if a.ttl_seconds != b.ttl_seconds {
            labels.push(format!("TTL {}", seconds_or_none(b.ttl_seconds)));
        }
        if a.lookup_latency != b.lookup_latency || a.write_mode != b.write_mode {
            labels.push("cache settings changed".into());
        }
    }

    fn caches_mut(&mut self) -> Vec<&mut Cache> {
        match &mut self.caches {
            Caches::None => Vec::new(),
            Caches::Shared(cache) => vec![cache],
            Caches::Local(caches) => caches.iter_mut().collect(),
        }
    }

    /// Builds empty caches for the current scenario.
    pub(super) fn build_caches(&mut self) {
        // Keep the counters of the caches being replaced, so totals never go back.
        self.retired_cache_stats = self.cache_stats();
        self.retired_local_stats = self.local_cache_stats();
        let seed = self.scenario.seed;
        self.caches = match &self.scenario.cache {
            None => Caches::None,
            Some(c) if c.placement == crate::scenario::Placement::Shared => {
                Caches::Shared(new_cache(c, seed, 0))
            }
            Some(c) => Caches::Local(
                (0..self.servers.len() as u32)
                    .map(|i| new_cache(c, seed, i + 1))
                    .collect(),
            ),
        };
    }
}

fn new_cache(config: &crate::scenario::CacheConfig, seed: u64, id: u32) -> Cache {
    Cache::new(
        config.policy,
        config.capacity as usize,
        config.ttl_seconds,
        stream(seed, Stream::Cache(id)),
    )
}

/// Whether a schedule entry has started (a spike still running has not "taken effect"
/// in the sense of being overridden: it is kept).
fn has_taken_effect(event: &RateEvent, now: f64) -> bool {
    match *event {
        RateEvent::Step { at, .. } => at <= now,
        RateEvent::Ramp { start, .. } => start <= now,
        RateEvent::Spike { at, duration, .. } => at + duration <= now,
        RateEvent::Sine { .. } => false,
    }
}

fn queue_label(capacity: Option<u32>) -> String {
    capacity.map_or_else(|| "unbounded".to_string(), |c| c.to_string())
}

fn seconds_or_none(seconds: Option<f64>) -> String {
    seconds.map_or_else(|| "none".to_string(), |s| format!("{s} s"))
}
