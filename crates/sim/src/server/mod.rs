//! A server: W worker threads, C CPU cores, a bounded queue in front.
//!
//! A request waits in the queue for a worker. Holding a worker, its compute phase needs
//! a core; if all cores are busy it waits in the run queue (first come, first served,
//! as an OS run queue without time slicing). Each runnable thread beyond the cores
//! slows compute by the switching overhead. Then comes the I/O phase (cache, backend):
//! with sync I/O the worker waits through it; with async I/O the worker is freed and
//! the request holds only an in-flight slot. That is why more threads than cores help
//! I/O-bound work and hurt CPU-bound work.
//!
//! This type only keeps state and counts; the engine schedules the events.

mod autoscale;
mod config;

pub use autoscale::{Autoscale, Decision, ScaleMetric};
pub use config::{IoMode, Servers, MAX_SERVERS, MAX_WORKERS};

use crate::dist::Distribution;
use crate::rng::{stream, SimRng, Stream};
use crate::RequestId;
use std::collections::VecDeque;

/// What happened to a request offered to a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offer {
    /// A worker took it: its compute phase can begin.
    Started,
    /// It waits in the queue.
    Queued,
    /// The queue was full.
    Rejected,
    /// The server is dead: the connection is refused.
    Down,
}

/// Whether the server takes traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifecycle {
    /// Asked for by autoscaling and starting up: it costs, but serves nothing yet.
    Booting,
    /// In the pool.
    Active,
    /// Removed from the pool, finishing what it has.
    Draining,
    /// Gone: drained, or killed while draining.
    Retired,
}

/// The tunable settings of one server.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerSpec {
    /// Worker threads.
    pub workers: u32,
    /// CPU cores.
    pub cores: u32,
    /// Waiting room; `None` for unbounded.
    pub queue_capacity: Option<u32>,
    /// Compute per request at speed 1.
    pub service: Distribution,
    /// Slow-down per runnable thread beyond the cores.
    pub switch_overhead: f64,
    /// Sync or async I/O.
    pub io: IoMode,
    /// Speed factor.
    pub speed: f64,
    /// Balancer weight.
    pub weight: u32,
}

/// Counters and time integrals since the start of the run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServerStats {
    /// Requests the balancer sent here.
    pub routed: u64,
    /// Requests answered from here.
    pub completed: u64,
    /// Requests turned away by a full queue.
    pub rejected: u64,
    /// Requests refused or lost because the server was dead.
    pub failed: u64,
    /// Requests dropped from the queue after waiting too long.
    pub shed: u64,
    /// ∫ busy workers dt.
    pub busy_worker_seconds: f64,
    /// ∫ workers dt.
    pub worker_seconds: f64,
    /// ∫ busy cores dt.
    pub busy_core_seconds: f64,
    /// ∫ cores dt.
    pub core_seconds: f64,
    /// ∫ queue length dt.
    pub queue_seconds: f64,
    /// Seconds it could serve: booting and retired time not counted.
    pub serving_seconds: f64,
    /// Seconds it has cost: from being asked for (booting included) to retiring.
    pub billed_seconds: f64,
    /// ∫ cores dt over the seconds it has cost.
    pub billed_core_seconds: f64,
    last_update: f64,
}

/// One server of the pool.
#[derive(Debug, Clone)]
pub struct Server {
    id: u32,
    spec: ServerSpec,
    rng: SimRng,
    alive: bool,
    epoch: u32,
    lifecycle: Lifecycle,
    /// When a booting server will serve.
    ready_at: f64,
    busy_workers: u32,
    started: u32,
    busy_cores: u32,
    queue: VecDeque<RequestId>,
    run_queue: VecDeque<RequestId>,
    stats: ServerStats,
}

impl Server {
    /// A server with its own service-time stream, seeded by its stable `id`.
    pub fn new(id: u32, seed: u64, spec: ServerSpec, now: f64) -> Self {
        Self {
            id,
            spec,
            rng: stream(seed, Stream::Server(id)),
            alive: true,
            epoch: 0,
            lifecycle: Lifecycle::Active,
            ready_at: now,
            busy_workers: 0,
            started: 0,
            busy_cores: 0,
            queue: VecDeque::new(),
            run_queue: VecDeque::new(),
            stats: ServerStats {
                last_update: now,
                ..ServerStats::default()
            },
        }
    }

    /// The stable id, which seeds this server's stream and names it.
    pub fn id(&self) -> u32 {
        self.id
    }
    /// Its settings.
    pub fn spec(&self) -> &ServerSpec {
        &self.spec
    }
    /// Worker threads.
    pub fn workers(&self) -> u32 {
        self.spec.workers
    }
    /// Balancer weight.
    pub fn weight(&self) -> u32 {
        self.spec.weight
    }
    /// Workers holding a request now.
    pub fn busy(&self) -> u32 {
        self.busy_workers
    }
    /// Cores computing now.
    pub fn busy_cores(&self) -> u32 {
        self.busy_cores
    }
    /// Requests waiting for a worker.
    pub fn queue_len(&self) -> usize {
        self.queue.len()
    }
    /// The requests waiting for a worker, the head (next to be served) first.
    pub fn queued(&self) -> impl Iterator<Item = RequestId> + '_ {
        self.queue.iter().copied()
    }
    /// Requests holding a worker but waiting for a core.
    pub fn run_queue_len(&self) -> usize {
        self.run_queue.len()
    }
    /// Room for waiting requests; `None` if unbounded.
    pub fn queue_capacity(&self) -> Option<u32> {
        self.spec.queue_capacity
    }
    /// Requests here (past the queue, or in it): what least connections compares.
    pub fn in_flight(&self) -> usize {
        self.started as usize + self.queue.len()
    }
    /// Whether it is running (not killed).
    pub fn is_alive(&self) -> bool {
        self.alive
    }
    /// Active, draining or retired.
    pub fn lifecycle(&self) -> Lifecycle {
        self.lifecycle
    }
    /// Bumped on every kill; events from an earlier epoch are void.
    pub fn epoch(&self) -> u32 {
        self.epoch
    }
    /// Counters and integrals.
    pub fn stats(&self) -> &ServerStats {
        &self.stats
    }

    /// Busy fraction of worker time since the start.
    pub fn utilisation(&self) -> f64 {
        ratio(self.stats.busy_worker_seconds, self.stats.worker_seconds)
    }

    /// Busy fraction of core time since the start.
    pub fn cpu_utilisation(&self) -> f64 {
        ratio(self.stats.busy_core_seconds, self.stats.core_seconds)
    }

    /// Offers request `id` at `now`.
    pub fn offer(&mut self, now: f64, id: RequestId) -> Offer {
        self.integrate(now);
        self.stats.routed += 1;
        if !self.alive {
            self.stats.failed += 1;
            return Offer::Down;
        }
        if self.can_start() {
            self.busy_workers += 1;
            self.started += 1;
            Offer::Started
        } else if self
            .spec
            .queue_capacity
            .is_none_or(|cap| self.queue.len() < cap as usize)
        {
            self.queue.push_back(id);
            Offer::Queued
        } else {
            self.stats.rejected += 1;
            Offer::Rejected
        }
    }

    /// The next queued request a free worker takes, if any (call until `None`).
    pub fn take_queued(&mut self, now: f64) -> Option<RequestId> {
        if !self.can_start() {
            return None;
        }
        self.integrate(now);
        let next = self.queue.pop_front()?;
        self.busy_workers += 1;
        self.started += 1;
        Some(next)
    }

    /// Undoes [`Server::take_queued`]: the request it returned is dropped, not served.
    pub fn shed(&mut self, now: f64) {
        self.integrate(now);
        self.busy_workers -= 1;
        self.started -= 1;
        self.stats.shed += 1;
        self.retire_if_drained();
    }

    /// Request `id`, holding a worker, wants a core: its compute time if it gets one
    /// now, `None` if it must wait in the run queue.
    pub fn request_core(&mut self, now: f64, id: RequestId) -> Option<f64> {
        self.integrate(now);
        if self.busy_cores < self.spec.cores {
            self.busy_cores += 1;
            Some(self.compute_time())
        } else {
            self.run_queue.push_back(id);
            None
        }
    }

    /// A compute phase ended: frees its core; returns the request that takes the core
    /// next and its compute time.
    pub fn release_core(&mut self, now: f64) -> Option<(RequestId, f64)> {
        self.integrate(now);
        self.busy_cores -= 1;
        if self.busy_cores < self.spec.cores {
            if let Some(next) = self.run_queue.pop_front() {
                self.busy_cores += 1;
                return Some((next, self.compute_time()));
            }
        }
        None
    }

    /// After more cores were added: the next run-queue request that gets one, with its
    /// compute time (call until `None`).
    pub fn fill_cores(&mut self, now: f64) -> Option<(RequestId, f64)> {
        if self.busy_cores >= self.spec.cores {
            return None;
        }
        self.integrate(now);
        let next = self.run_queue.pop_front()?;
        self.busy_cores += 1;
        Some((next, self.compute_time()))
    }

    /// The request enters its I/O phase: with async I/O its worker is freed. Returns
    /// whether the request still holds its worker (sync I/O), which the caller keeps:
    /// the mode may change before the answer, and only the holder may free a worker.
    pub fn begin_io(&mut self, now: f64) -> bool {
        match self.spec.io {
            IoMode::Sync => true,
            IoMode::Async { .. } => {
                self.integrate(now);
                self.busy_workers -= 1;
                false
            }
        }
    }

    /// A request was answered; `holds_worker` says whether it still had its worker.
    pub fn finish(&mut self, now: f64, holds_worker: bool) {
        self.integrate(now);
        self.stats.completed += 1;
        self.started -= 1;
        if holds_worker {
            self.busy_workers -= 1;
        }
        self.retire_if_drained();
    }

    /// Kills the server: everything in it is lost (the engine fails those requests),
    /// and pending events for it become void.
    pub fn kill(&mut self, now: f64) {
        self.integrate(now);
        self.alive = false;
        self.epoch += 1;
        self.stats.failed += self.in_flight() as u64;
        self.busy_workers = 0;
        self.busy_cores = 0;
        self.started = 0;
        self.queue.clear();
        self.run_queue.clear();
        self.retire_if_drained();
    }

    /// Restarts a killed server, empty.
    pub fn revive(&mut self, now: f64) {
        self.integrate(now);
        self.alive = true;
    }

    /// Takes the server out of the pool; it retires once empty (a booting one at once).
    pub fn drain(&mut self, now: f64) {
        self.integrate(now);
        if matches!(self.lifecycle, Lifecycle::Active | Lifecycle::Booting) {
            self.lifecycle = Lifecycle::Draining;
        }
        self.retire_if_drained();
    }

    /// Starts the server booting: out of the pool until [`Server::booted`], due at
    /// `ready_at`.
    pub fn boot(&mut self, now: f64, ready_at: f64) {
        self.integrate(now);
        self.lifecycle = Lifecycle::Booting;
        self.ready_at = ready_at;
    }

    /// When a booting server will serve; `None` if it is not booting.
    pub fn ready_at(&self) -> Option<f64> {
        (self.lifecycle == Lifecycle::Booting).then_some(self.ready_at)
    }

    /// A booting server is ready: it joins the pool. Returns whether it was booting
    /// (one drained while booting stays out).
    pub fn booted(&mut self, now: f64) -> bool {
        self.integrate(now);
        let was_booting = self.lifecycle == Lifecycle::Booting;
        if was_booting {
            self.lifecycle = Lifecycle::Active;
        }
        was_booting
    }

    /// Applies new settings; work in progress finishes under the old ones.
    pub fn set_spec(&mut self, now: f64, spec: ServerSpec) {
        self.integrate(now);
        self.spec = spec;
    }

    /// (billed seconds, billed core-seconds) up to `now`, without bringing the
    /// integrals up to it.
    pub fn billed_until(&self, now: f64) -> (f64, f64) {
        let s = &self.stats;
        let tail = if self.lifecycle == Lifecycle::Retired {
            0.0
        } else {
            (now - s.last_update).max(0.0)
        };
        (
            s.billed_seconds + tail,
            s.billed_core_seconds + f64::from(self.spec.cores) * tail,
        )
    }

    /// Brings the time integrals up to `now`.
    pub fn integrate(&mut self, now: f64) {
        let dt = now - self.stats.last_update;
        if dt > 0.0 {
            let s = &mut self.stats;
            let billed = if self.lifecycle == Lifecycle::Retired {
                0.0
            } else {
                dt
            };
            // Capacity counts only once it can serve.
            let up = if self.lifecycle == Lifecycle::Booting {
                0.0
            } else {
                billed
            };
            s.billed_seconds += billed;
            s.billed_core_seconds += f64::from(self.spec.cores) * billed;
            s.serving_seconds += up;
            s.busy_worker_seconds += f64::from(self.busy_workers) * dt;
            s.worker_seconds += f64::from(self.spec.workers) * up;
            s.busy_core_seconds += f64::from(self.busy_cores) * dt;
            s.core_seconds += f64::from(self.spec.cores) * up;
            s.queue_seconds += self.queue.len() as f64 * dt;
            s.last_update = now;
        }
    }

    fn can_start(&self) -> bool {
        let in_flight_room = match self.spec.io {
            IoMode::Sync => true,
            IoMode::Async { max_in_flight } => self.started < max_in_flight,
        };
        self.alive && self.busy_workers < self.spec.workers && in_flight_room
    }

    /// Compute time of the request taking a core now, with the switching penalty of
    /// the runnable threads beyond the cores.
    fn compute_time(&mut self) -> f64 {
        let runnable = self.busy_cores + self.run_queue.len() as u32;
        let excess = runnable.saturating_sub(self.spec.cores);
        let penalty = 1.0 + self.spec.switch_overhead * f64::from(excess);
        self.spec.service.sample(&mut self.rng) / self.spec.speed * penalty
    }

    fn retire_if_drained(&mut self) {
        if self.lifecycle == Lifecycle::Draining && self.in_flight() == 0 {
            self.lifecycle = Lifecycle::Retired;
        }
    }
}

fn ratio(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        part / whole
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::spec;

    fn server(workers: u32, cores: u32, queue: Option<u32>) -> Server {
        Server::new(
            0,
            1,
            ServerSpec {
                cores,
                queue_capacity: queue,
                ..spec(workers)
            },
            0.0,
        )
    }

    #[test]
    fn starts_then_queues_then_rejects() {
        let mut s = server(2, 2, Some(1));
        assert_eq!(s.offer(0.0, 0), Offer::Started);
        assert_eq!(s.offer(0.0, 1), Offer::Started);
        assert_eq!(s.offer(0.0, 2), Offer::Queued);
        assert_eq!(s.offer(0.0, 3), Offer::Rejected);
        assert_eq!((s.busy(), s.queue_len(), s.stats().rejected), (2, 1, 1));
    }

    #[test]
    fn a_zero_queue_rejects_and_an_unbounded_one_never_does() {
        let mut s = server(1, 1, Some(0));
        s.offer(0.0, 0);
        assert_eq!(s.offer(0.0, 1), Offer::Rejected);
        let mut s = server(1, 1, None);
        s.offer(0.0, 0);
        assert!((1..1000).all(|i| s.offer(0.0, i) == Offer::Queued));
    }

    #[test]
    fn workers_beyond_the_cores_wait_in_the_run_queue() {
        let mut s = server(3, 1, Some(0));
        for id in 0..3 {
            s.offer(0.0, id);
        }
        assert!(s.request_core(0.0, 0).is_some());
        assert!(s.request_core(0.0, 1).is_none());
        assert!(s.request_core(0.0, 2).is_none());
        assert_eq!(s.run_queue_len(), 2);
        assert_eq!(s.release_core(1.0).map(|(id, _)| id), Some(1));
        assert_eq!(s.busy_cores(), 1);
    }

    #[test]
    fn the_switching_overhead_slows_compute_per_extra_runnable_thread() {
        let mut s = Server::new(
            0,
            1,
            ServerSpec {
                cores: 1,
                switch_overhead: 0.1,
                ..spec(4)
            },
            0.0,
        );
        for id in 0..4 {
            s.offer(0.0, id);
        }
        assert_eq!(s.request_core(0.0, 0), Some(1.0));
        for id in 1..4 {
            s.request_core(0.0, id);
        }
        // The core passes on while three threads are runnable: two beyond the core.
        let (_, t) = s.release_core(1.0).unwrap();
        assert!((t - 1.2).abs() < 1e-12, "{t}");
    }

    #[test]
    fn async_io_frees_the_worker_but_keeps_the_in_flight_slot() {
        let mut s = Server::new(
            0,
            1,
            ServerSpec {
                io: IoMode::Async { max_in_flight: 2 },
                queue_capacity: None,
                ..spec(1)
            },
            0.0,
        );
        assert_eq!(s.offer(0.0, 0), Offer::Started);
        assert_eq!(s.offer(0.0, 1), Offer::Queued);
        s.request_core(0.0, 0);
        s.release_core(0.1);
        assert!(!s.begin_io(0.1));
        assert_eq!(s.take_queued(0.1), Some(1));
        assert_eq!(s.offer(0.1, 2), Offer::Queued);
        s.request_core(0.1, 1);
        s.release_core(0.2);
        s.begin_io(0.2);
        // A worker is free, but two requests are in flight: the cap holds the third.
        assert_eq!(s.take_queued(0.2), None);
        s.finish(0.3, false);
        assert_eq!(s.take_queued(0.3), Some(2));
    }

    #[test]
    fn killing_loses_everything_and_voids_old_events() {
        let mut s = server(1, 1, Some(4));
        s.offer(0.0, 0);
        s.offer(0.0, 1);
        let epoch = s.epoch();
        s.kill(1.0);
        assert_ne!(s.epoch(), epoch);
        assert_eq!((s.busy(), s.queue_len(), s.stats().failed), (0, 0, 2));
        assert_eq!(s.offer(1.0, 2), Offer::Down);
        s.revive(2.0);
        assert_eq!(s.offer(2.0, 3), Offer::Started);
    }

    #[test]
    fn draining_retires_when_empty() {
        let mut s = server(1, 1, Some(4));
        s.offer(0.0, 0);
        s.request_core(0.0, 0);
        s.drain(0.5);
        assert_eq!(s.lifecycle(), Lifecycle::Draining);
        s.release_core(1.0);
        s.finish(1.0, true);
        assert_eq!(s.lifecycle(), Lifecycle::Retired);
    }

    #[test]
    fn utilisation_is_busy_time_over_worker_time() {
        let mut s = server(2, 2, Some(0));
        s.offer(0.0, 0);
        s.finish(1.0, true);
        s.integrate(2.0);
        assert!((s.utilisation() - 0.25).abs() < 1e-12);
    }
}
