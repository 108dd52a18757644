//! The fleet: servers added or drained to the count asked for, each given its settings,
//! and the caches built for them. `Simulation::new` builds the first fleet with these;
//! live changes resize and respecify it.

use super::Simulation;
use crate::server::{Lifecycle, Server, ServerSpec};

impl Simulation {
    /// Adds servers, or drains the newest, until `count` are asked for (active or
    /// booting). New ones serve at once if `boot_seconds` is 0, else boot that long
    /// first; of those drained, booting ones go first (they serve nothing yet).
    pub(super) fn resize_servers(&mut self, count: u32, boot_seconds: f64) {
        let in_state = |sim: &Self, state: Lifecycle| -> Vec<u32> {
            (0..sim.servers.len() as u32)
                .filter(|&i| sim.servers[i as usize].lifecycle() == state)
                .collect()
        };
        let (booting, active) = (
            in_state(self, Lifecycle::Booting),
            in_state(self, Lifecycle::Active),
        );
        let asked_for = booting.len() + active.len();
        let surplus = asked_for.saturating_sub(count as usize);
        let newest_first = booting.iter().rev().chain(active.iter().rev());
        for &index in newest_first.take(surplus) {
            self.servers[index as usize].drain(self.now);
        }
        for _ in asked_for..count as usize {
            let id = self.servers.len() as u32;
            let spec = self.spec_for(0);
            let mut server = Server::new(id, self.scenario.seed, spec, self.now);
            if boot_seconds > 0.0 {
                let ready = self.now + boot_seconds;
                server.boot(self.now, ready);
                self.events.push(ready, super::Event::Booted { server: id });
            }
            self.servers.push(server);
            // A change that also turns local caches off rebuilds them afterwards.
            self.caches
                .server_added(self.scenario.cache.as_ref(), self.scenario.seed, id);
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

    /// Builds empty caches for the current scenario, keeping the old ones' counters.
    pub(super) fn build_caches(&mut self) {
        let servers = self.servers.len() as u32;
        self.caches
            .rebuild(self.scenario.cache.as_ref(), servers, self.scenario.seed);
    }
}
