//! The balancer's view of its servers: the pool it routes to, kept by health checks.
//!
//! A killed server stays in the pool (and its requests fail) until `failure_threshold`
//! consecutive probes have failed; one successful probe brings it back. Without health
//! checks the balancer never finds out.

use super::{Event, Mark, Simulation};
use crate::server::Lifecycle;

/// What the balancer believes about one server.
#[derive(Debug, Clone, Copy)]
struct LbView {
    up: bool,
    failures: u32,
}

/// What the balancer believes about every server (by index), the pool that follows
/// from it, and the number of the current series of probes (an older series' probe is
/// void).
#[derive(Debug, Default)]
pub(super) struct Health {
    /// Servers the balancer routes to, by index.
    pub(super) pool: Vec<u32>,
    views: Vec<LbView>,
    generation: u32,
}

impl Health {
    /// Whether the balancer believes server `index` healthy.
    pub(super) fn sees_up(&self, index: u32) -> bool {
        self.views.get(index as usize).is_some_and(|v| v.up)
    }
}

impl Default for LbView {
    fn default() -> Self {
        Self {
            up: true,
            failures: 0,
        }
    }
}

impl Simulation {
    /// Starts a new series of probes (voiding the old one) if checks are enabled.
    pub(super) fn schedule_health_check(&mut self) {
        self.health.generation += 1;
        if let Some(check) = &self.scenario.health_check {
            let generation = self.health.generation;
            self.events.push(
                self.now + check.interval_seconds,
                Event::HealthCheck { generation },
            );
        }
    }

    pub(super) fn health_check(&mut self, generation: u32) {
        if generation != self.health.generation {
            return;
        }
        let Some(check) = self.scenario.health_check.clone() else {
            return;
        };
        self.health
            .views
            .resize(self.servers.len(), LbView::default());
        let mut notices = Vec::new();
        for (i, server) in self.servers.iter().enumerate() {
            let view = &mut self.health.views[i];
            if server.is_alive() {
                view.failures = 0;
                if !view.up {
                    view.up = true;
                    notices.push(Mark::BackIn(server.id()));
                }
            } else {
                view.failures += 1;
                if view.up && view.failures >= check.failure_threshold {
                    view.up = false;
                    notices.push(Mark::TakenOut(server.id()));
                }
            }
        }
        if !notices.is_empty() {
            self.rebuild_pool();
            for notice in notices {
                self.mark(notice);
            }
        }
        self.events.push(
            self.now + check.interval_seconds,
            Event::HealthCheck { generation },
        );
    }

    /// Forgets what probes found: every server counts as up.
    pub(super) fn reset_health_views(&mut self) {
        self.health
            .views
            .iter_mut()
            .for_each(|v| *v = LbView::default());
    }

    /// Recomputes the pool (active servers the balancer believes up) and tells the
    /// balancer.
    pub(super) fn rebuild_pool(&mut self) {
        self.health
            .views
            .resize(self.servers.len(), LbView::default());
        self.health.pool = (0..self.servers.len() as u32)
            .filter(|&i| {
                self.servers[i as usize].lifecycle() == Lifecycle::Active
                    && self.health.views[i as usize].up
            })
            .collect();
        self.balancer.pool_changed(&self.health.pool, &self.servers);
    }
}
