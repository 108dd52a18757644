//! The autoscaler at work: every interval it reads the pool's measure over the interval
//! just ended, asks the policy (`server::Autoscale`) what to do, and resizes the pool,
//! new servers booting before they serve.
//!
//! Readings come from the servers' own time integrals (busy cores, busy workers, queue
//! length, time serving), taken as differences since the last reading, so every second
//! of every server counts once whether it served all of the interval or part of it; p99
//! from a histogram of the interval's answers that the metrics keep while the policy
//! measures p99.

use super::{Event, Mark, Simulation};
use crate::server::{Decision, Lifecycle, ScaleMetric};

/// What the autoscaler remembers between readings.
#[derive(Debug, Default)]
pub(super) struct Autoscaler {
    /// The current series of readings; an older series' event is void.
    generation: u32,
    /// When the last step was taken (−∞: none yet).
    last_step: Option<f64>,
    /// The pool's integrals at the last reading.
    at_last: Integrals,
}

/// Sums over every server ever added of its time integrals.
#[derive(Debug, Default, Clone, Copy)]
struct Integrals {
    busy_cores: f64,
    cores: f64,
    busy_workers: f64,
    workers: f64,
    queue: f64,
    serving: f64,
}

impl Simulation {
    /// Starts a new series of readings (voiding the old one) if the pool autoscales.
    pub(super) fn schedule_autoscaling(&mut self) {
        self.autoscaler.generation += 1;
        self.autoscaler.at_last = self.integrals();
        let policy = self.scenario.servers.autoscale.as_ref();
        self.metrics
            .keep_recent_latency(policy.is_some_and(|p| p.metric == ScaleMetric::P99));
        if let Some(policy) = policy {
            let generation = self.autoscaler.generation;
            let at = self.now + policy.interval_seconds;
            self.events.push(at, Event::Autoscale { generation });
        }
    }

    /// One reading and what the policy makes of it.
    pub(super) fn autoscale(&mut self, generation: u32) {
        if generation != self.autoscaler.generation {
            return;
        }
        let Some(policy) = self.scenario.servers.autoscale.clone() else {
            return;
        };
        let reading = self.reading(policy.metric);
        let servers = self.provisioned_servers();
        let last_step = self.autoscaler.last_step.unwrap_or(f64::NEG_INFINITY);
        if let Decision::ScaleTo(wanted) = policy.decide(reading, servers, self.now, last_step) {
            self.autoscaler.last_step = Some(self.now);
            self.scenario.servers.count = wanted;
            self.resize_servers(wanted, policy.boot_seconds);
            self.rebuild_pool();
            self.mark(Mark::Scaled {
                from: servers,
                to: wanted,
            });
        }
        let at = self.now + policy.interval_seconds;
        self.events.push(at, Event::Autoscale { generation });
    }

    /// A server asked for has booted: it joins the pool, with this scenario's settings.
    pub(super) fn server_booted(&mut self, index: u32) {
        if self.servers[index as usize].booted(self.now) {
            self.apply_server_specs();
            self.rebuild_pool();
        }
    }

    /// Servers asked for: serving (dead ones too: the policy does not know) or booting.
    pub(super) fn provisioned_servers(&self) -> u32 {
        let asked_for = |s: &&crate::server::Server| {
            matches!(s.lifecycle(), Lifecycle::Active | Lifecycle::Booting)
        };
        self.servers.iter().filter(asked_for).count() as u32
    }

    /// The measure over the interval since the last reading; `None` if nothing was
    /// there to measure (no server serving, or no answer for p99).
    fn reading(&mut self, metric: ScaleMetric) -> Option<f64> {
        let now = self.integrals();
        let before = std::mem::replace(&mut self.autoscaler.at_last, now);
        let share = |part: f64, whole: f64| (whole > 0.0).then(|| part / whole);
        match metric {
            ScaleMetric::Cpu => share(now.busy_cores - before.busy_cores, now.cores - before.cores),
            ScaleMetric::Workers => share(
                now.busy_workers - before.busy_workers,
                now.workers - before.workers,
            ),
            ScaleMetric::Queue => share(now.queue - before.queue, now.serving - before.serving),
            ScaleMetric::P99 => self.metrics.take_recent_p99(),
        }
    }

    fn integrals(&mut self) -> Integrals {
        let now = self.now;
        let mut sum = Integrals::default();
        for server in &mut self.servers {
            server.integrate(now);
            let s = server.stats();
            sum.busy_cores += s.busy_core_seconds;
            sum.cores += s.core_seconds;
            sum.busy_workers += s.busy_worker_seconds;
            sum.workers += s.worker_seconds;
            sum.queue += s.queue_seconds;
            sum.serving += s.serving_seconds;
        }
        sum
    }
}
