//! Live changes: a new scenario applied to a running simulation, field by field, plus
//! the actions that are not settings (kill, revive, spike).
//!
//! Every change takes effect at the current simulated time; work in progress carries
//! on. Each change leaves a [`Mark`] for the charts.

use super::{Counted, Feature, Mark, Simulation};
use crate::cache::Placement;
use crate::problem::Problem;
use crate::rng::{stream, Stream};
use crate::scenario::Scenario;
use crate::server::Lifecycle;
use crate::traffic::{validate_open_loop, Arrivals, KeySampler, RateEvent, RateProfile};
use crate::validate::{in_range, positive, Path, ScenarioError};

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
    /// New settings as a merge patch of the scenario as it stands when the change
    /// happens (a script's entry: what an earlier one changed is kept).
    Patch(Box<serde_json::Value>),
}

/// A change, stamped with when it happened, for the charts' numbered lines.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeMark {
    /// Its number: 1 for the run's first change, counting on even when old marks are
    /// dropped, so a number always means the same change.
    pub number: u64,
    /// Simulated time of the change, in seconds.
    pub time: f64,
    /// What changed, as data for the page to word in any language; its `Display` is
    /// the English, like "LB: round robin → least connections".
    pub label: Mark,
}

/// Marks kept; older ones are dropped so memory stays bounded.
const MAX_MARKS: usize = 256;

impl Simulation {
    /// Applies a live change at the current time; the run carries on. An invalid change
    /// is refused with the reason, and nothing changes.
    pub fn apply(&mut self, change: Change) -> Result<(), ScenarioError> {
        let labels = match change {
            Change::Scenario(next) => self.reconfigure(*next)?,
            Change::Patch(patch) => {
                let next = crate::patch::patched(&self.scenario, &patch)?;
                self.reconfigure(next)?
            }
            Change::KillServer(index) => {
                self.check_server(index, true)?;
                self.kill_server(index);
                vec![Mark::ServerKilled(index)]
            }
            Change::ReviveServer(index) => {
                self.check_server(index, false)?;
                self.servers[index as usize].revive(self.now);
                vec![Mark::ServerRevived(index)]
            }
            Change::Spike {
                multiplier,
                seconds,
            } => self.spike(multiplier, seconds)?,
            Change::KillDatabase | Change::ReviveDatabase => {
                if self.scenario.database.is_none() {
                    return Err(ScenarioError::new("database", Problem::NoDatabase));
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
                vec![if up {
                    Mark::DatabaseUp
                } else {
                    Mark::DatabaseDown
                }]
            }
        };
        for label in labels {
            self.mark(label);
        }
        Ok(())
    }

    pub(super) fn mark(&mut self, label: Mark) {
        if self.marks.len() == MAX_MARKS {
            self.marks.pop_front();
        }
        self.marks_made += 1;
        self.marks.push_back(super::ChangeMark {
            number: self.marks_made,
            time: self.now,
            label,
        });
    }

    fn check_server(&self, index: u32, must_be_alive: bool) -> Result<(), ScenarioError> {
        let server = self
            .servers
            .get(index as usize)
            .filter(|s| s.lifecycle() != Lifecycle::Retired)
            .ok_or_else(|| ScenarioError::new("server", Problem::NoServer { index }))?;
        match (must_be_alive, server.is_alive()) {
            (true, false) => Err(ScenarioError::new("server", Problem::AlreadyDead { index })),
            (false, true) => Err(ScenarioError::new("server", Problem::NotDead { index })),
            _ => Ok(()),
        }
    }

    /// The rate open-loop clients offer at this instant, per second (steps, ramps and
    /// spikes included), from the arrival source's own profile; `None` for closed-loop
    /// users, whose rate follows the system.
    pub fn offered_rate(&self) -> Option<f64> {
        self.source.as_ref().map(|source| source.rate_at(self.now))
    }

    /// The spike running now, if any: (its multiplier, simulated seconds left); of
    /// several on top of each other, their product and the longest time left.
    pub fn spike_now(&self) -> Option<(f64, f64)> {
        let Arrivals::OpenLoop { schedule, .. } = &self.scenario.traffic.arrivals else {
            return None;
        };
        let now = self.now;
        schedule
            .iter()
            .filter_map(|e| match *e {
                RateEvent::Spike {
                    at,
                    duration,
                    multiplier,
                } if at <= now && now < at + duration => Some((multiplier, at + duration - now)),
                _ => None,
            })
            .reduce(|(m1, left1), (m2, left2)| (m1 * m2, left1.max(left2)))
    }

    fn spike(&mut self, multiplier: f64, seconds: f64) -> Result<Vec<Mark>, ScenarioError> {
        positive(Path::root("spike.seconds"), seconds)?;
        in_range(Path::root("spike.multiplier"), multiplier, 0.0, 1000.0)?;
        let now = self.now;
        let Arrivals::OpenLoop { rate, schedule } = &mut self.scenario.traffic.arrivals else {
            return Err(ScenarioError::new("spike", Problem::SpikeNeedsOpenLoop));
        };
        // Spikes that have ended change nothing any more; drop them.
        let mut next: Vec<RateEvent> = schedule
            .iter()
            .filter(
                |e| !matches!(**e, RateEvent::Spike { at, duration, .. } if at + duration <= now),
            )
            .copied()
            .collect();
        next.push(RateEvent::Spike {
            at: now,
            duration: seconds,
            multiplier,
        });
        // The schedule with it must be one a scenario may hold: spikes pressed on top of
        // each other multiply, so the one that would go beyond the peak is refused, and
        // the run stays as it was.
        validate_open_loop(Path::root("traffic.arrivals"), *rate, &next)?;
        let profile = RateProfile::new(*rate, &next);
        *schedule = next;
        if let Some(source) = &mut self.source {
            source.set_profile(profile, now);
        }
        Ok(vec![Mark::Spike {
            multiplier,
            seconds,
        }])
    }

    fn reconfigure(&mut self, mut next: Scenario) -> Result<Vec<Mark>, ScenarioError> {
        self.drop_overridden_entries(&mut next);
        next.validate()?;
        // What the old cache, database and prices cost is counted up to now.
        self.settle_fixed_cost();
        let old = std::mem::replace(&mut self.scenario, next);
        let mut labels = Vec::new();
        self.reconfigure_traffic(&old, &mut labels);
        if old.balancer != self.scenario.balancer {
            self.balancer = self.scenario.balancer.build();
            self.balancer.pool_changed(&self.health.pool, &self.servers);
            labels.push(Mark::Balancer {
                from: old.balancer.clone(),
                to: self.scenario.balancer.clone(),
            });
        }
        if old.health_check != self.scenario.health_check {
            if self.scenario.health_check.is_none() {
                self.reset_health_views();
            }
            self.schedule_health_check();
            self.rebuild_pool();
            labels.push(Mark::Switched {
                what: Feature::HealthChecks,
                on: self.scenario.health_check.is_some(),
            });
        }
        if old.protection != self.scenario.protection {
            let p = &self.scenario.protection;
            if old.protection.rate_limit != p.rate_limit {
                self.rate_limiter = p.rate_limit.map(|r| r.build());
                labels.push(Mark::RateLimit(p.rate_limit));
            }
            if old.protection.concurrency_limit != p.concurrency_limit {
                labels.push(Mark::ConcurrencyLimit(p.concurrency_limit));
            }
            if old.protection.circuit_breaker != p.circuit_breaker {
                self.breaker = p
                    .circuit_breaker
                    .map(crate::protection::CircuitBreaker::new);
                labels.push(Mark::Switched {
                    what: Feature::CircuitBreaker,
                    on: p.circuit_breaker.is_some(),
                });
            }
            if old.protection.retries != p.retries {
                labels.push(Mark::Switched {
                    what: Feature::Retries,
                    on: p.retries.is_some(),
                });
            }
            if old.protection.shed_after_seconds != p.shed_after_seconds {
                labels.push(Mark::Shedding(p.shed_after_seconds));
            }
        }
        self.reconfigure_servers(&old, &mut labels);
        self.reconfigure_cache(&old, &mut labels);
        self.reconfigure_database(&old, &mut labels);
        if old.metrics != self.scenario.metrics {
            self.metrics
                .set_window_seconds(self.scenario.metrics.window_seconds);
            labels.push(Mark::Window(self.scenario.metrics.window_seconds));
        }
        if labels.is_empty() && old != self.scenario {
            labels.push(Mark::SettingsChanged);
        }
        Ok(labels)
    }

    /// A new base rate applies from now: the entries of the next schedule that already
    /// took effect would otherwise override it, so they go, before validation (which
    /// then checks the profile that will run, peak included).
    fn drop_overridden_entries(&self, next: &mut Scenario) {
        let (before, after) = (&self.scenario.traffic, &mut next.traffic);
        if let (Arrivals::OpenLoop { rate: r0, .. }, Arrivals::OpenLoop { rate: r1, schedule }) =
            (&before.arrivals, &mut after.arrivals)
        {
            if r0 != r1 {
                let now = self.now;
                schedule.retain(|e| !has_taken_effect(e, now));
            }
        }
    }

    fn reconfigure_traffic(&mut self, old: &Scenario, labels: &mut Vec<Mark>) {
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
                        labels.push(Mark::ArrivalRate { from: *r0, to: *r1 });
                    }
                    if *s0 != *s1 && r0 == r1 {
                        labels.push(Mark::ScheduleChanged);
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
                    labels.push(Mark::Count {
                        what: Counted::Users,
                        from: *u0,
                        to: u1,
                    });
                }
                if *t0 != t1 {
                    labels.push(Mark::ThinkTime(t1));
                }
            }
            (_, next) => {
                let next = next.clone();
                let closed = matches!(next, Arrivals::ClosedLoop { .. });
                self.start_arrivals(&next);
                labels.push(Mark::TrafficLoop { closed });
            }
        }
        let (before, after) = (&old.traffic, &self.scenario.traffic);
        if before.keys != after.keys {
            self.keys = KeySampler::new(&after.keys);
            labels.push(Mark::KeysChanged);
        }
        if before.clients != after.clients {
            labels.push(Mark::Count {
                what: Counted::Clients,
                from: before.clients,
                to: after.clients,
            });
        }
        if before.write_fraction != after.write_fraction {
            labels.push(Mark::WriteFraction {
                from: before.write_fraction,
                to: after.write_fraction,
            });
        }
        if before.timeout_seconds != after.timeout_seconds {
            labels.push(Mark::Timeout(after.timeout_seconds));
        }
    }

    fn reconfigure_servers(&mut self, old: &Scenario, labels: &mut Vec<Mark>) {
        let (a, b) = (&old.servers, &self.scenario.servers);
        if a == b {
            return;
        }
        let mut changed = Vec::new();
        for (what, from, to) in [
            (Counted::Servers, a.count, b.count),
            (Counted::Workers, a.workers, b.workers),
            (Counted::Cores, a.cores, b.cores),
        ] {
            if from != to {
                changed.push(Mark::Count { what, from, to });
            }
        }
        if a.queue_capacity != b.queue_capacity {
            changed.push(Mark::Queue {
                from: a.queue_capacity,
                to: b.queue_capacity,
            });
        }
        if a.service_time != b.service_time {
            changed.push(Mark::ServiceTime(b.service_time));
        }
        if a.io != b.io {
            changed.push(Mark::Io(b.io));
        }
        if a.switch_overhead != b.switch_overhead {
            changed.push(Mark::SwitchOverhead(b.switch_overhead));
        }
        if a.weights != b.weights || a.speeds != b.speeds {
            changed.push(Mark::WeightsOrSpeedsChanged);
        }
        let rescaled = a.autoscale != b.autoscale;
        if rescaled {
            changed.push(match (&a.autoscale, &b.autoscale) {
                (Some(_), Some(_)) => Mark::AutoscalingChanged,
                (_, on) => Mark::Switched {
                    what: Feature::Autoscaling,
                    on: on.is_some(),
                },
            });
        }
        // A count set by hand takes effect at once, booting or not.
        let count = b.count;
        if rescaled {
            self.schedule_autoscaling();
        }
        self.resize_servers(count, 0.0);
        self.apply_server_specs();
        self.rebuild_pool();
        labels.extend(changed);
    }

    fn reconfigure_cache(&mut self, old: &Scenario, labels: &mut Vec<Mark>) {
        let (Some(a), Some(b)) = (&old.cache, self.scenario.cache.clone()) else {
            if old.cache != self.scenario.cache {
                self.build_caches();
                labels.push(Mark::Switched {
                    what: Feature::Cache,
                    on: self.scenario.cache.is_some(),
                });
            }
            return;
        };
        if a.placement != b.placement {
            self.build_caches();
            labels.push(Mark::CachePlacement {
                from: a.placement,
                to: b.placement,
            });
            return;
        }
        let now = self.now;
        let seed = self.scenario.seed;
        // Stream ids as `build_caches` gives them: 0 for the shared cache, index + 1 for local ones.
        let first_id = u32::from(b.placement == Placement::Local);
        for (i, cache) in self.caches.all_mut().enumerate() {
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
            labels.push(Mark::CachePolicy {
                from: a.policy,
                to: b.policy,
            });
        }
        if a.capacity != b.capacity {
            labels.push(Mark::Count {
                what: Counted::CacheSize,
                from: a.capacity,
                to: b.capacity,
            });
        }
        if a.ttl_seconds != b.ttl_seconds {
            labels.push(Mark::Ttl(b.ttl_seconds));
        }
        if a.lookup_latency != b.lookup_latency || a.write_mode != b.write_mode {
            labels.push(Mark::CacheSettingsChanged);
        }
        if a.coalesce != b.coalesce {
            labels.push(Mark::Switched {
                what: Feature::Coalescing,
                on: b.coalesce,
            });
        }
    }
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
