//! A server: W workers in front of a bounded FIFO queue.
//!
//! A request that arrives when a worker is free starts at once; otherwise it waits in
//! the queue if there is room, and is rejected if not. The server also keeps the
//! worker-time integrals that utilisation is computed from.

use crate::dist::ServiceTime;
use crate::rng::{stream, SimRng, Stream};
use crate::RequestId;
use std::collections::VecDeque;

/// What happened to a request offered to a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// A worker was free: service starts now.
    Started,
    /// All workers busy, room in the queue: it waits.
    Queued,
    /// All workers busy and the queue full.
    Rejected,
}

/// One server of the pool.
#[derive(Debug, Clone)]
pub struct Server {
    id: u32,
    workers: u32,
    queue_capacity: u32,
    service: ServiceTime,
    rng: SimRng,
    busy: u32,
    queue: VecDeque<RequestId>,
    stats: ServerStats,
}

/// Counters and time integrals since the start of the run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServerStats {
    /// Requests the balancer sent here.
    pub routed: u64,
    /// Requests that finished service here.
    pub completed: u64,
    /// Requests turned away because the queue was full.
    pub rejected: u64,
    /// Integral of busy workers over time (worker-seconds spent serving).
    pub busy_worker_seconds: f64,
    /// Integral of the worker count over time (worker-seconds available).
    pub worker_seconds: f64,
    last_update: f64,
}

impl Server {
    /// A server with its own service-time stream, seeded by its stable `id`.
    pub fn new(
        id: u32,
        seed: u64,
        workers: u32,
        queue_capacity: u32,
        service: ServiceTime,
    ) -> Self {
        Self {
            id,
            workers,
            queue_capacity,
            service,
            rng: stream(seed, Stream::Server(id)),
            busy: 0,
            queue: VecDeque::new(),
            stats: ServerStats::default(),
        }
    }

    /// The stable id, which seeds this server's stream.
    pub fn id(&self) -> u32 {
        self.id
    }
    /// Worker threads.
    pub fn workers(&self) -> u32 {
        self.workers
    }
    /// Workers serving a request right now.
    pub fn busy(&self) -> u32 {
        self.busy
    }
    /// Requests waiting right now.
    pub fn queue_len(&self) -> usize {
        self.queue.len()
    }
    /// Room for waiting requests.
    pub fn queue_capacity(&self) -> u32 {
        self.queue_capacity
    }
    /// Requests here, served or waiting: what least-connections compares.
    pub fn in_flight(&self) -> usize {
        self.busy as usize + self.queue.len()
    }
    /// Counters and integrals.
    pub fn stats(&self) -> &ServerStats {
        &self.stats
    }

    /// Busy fraction of worker time since the start.
    pub fn utilisation(&self) -> f64 {
        if self.stats.worker_seconds > 0.0 {
            self.stats.busy_worker_seconds / self.stats.worker_seconds
        } else {
            0.0
        }
    }

    /// Offers request `id` at time `now`.
    pub fn admit(&mut self, now: f64, id: RequestId) -> Admission {
        self.integrate(now);
        self.stats.routed += 1;
        if self.busy < self.workers {
            self.busy += 1;
            Admission::Started
        } else if self.queue.len() < self.queue_capacity as usize {
            self.queue.push_back(id);
            Admission::Queued
        } else {
            self.stats.rejected += 1;
            Admission::Rejected
        }
    }

    /// A worker finished at `now`; returns the queued request it starts next, if any.
    pub fn finish(&mut self, now: f64) -> Option<RequestId> {
        self.integrate(now);
        self.stats.completed += 1;
        match self.queue.pop_front() {
            Some(next) => Some(next),
            None => {
                self.busy -= 1;
                None
            }
        }
    }

    /// Draws the service time of the next request, scaled by nothing yet (speed comes later).
    pub fn sample_service(&mut self) -> f64 {
        self.service.sample(&mut self.rng)
    }

    /// Brings the time integrals up to `now`.
    pub fn integrate(&mut self, now: f64) {
        let dt = now - self.stats.last_update;
        if dt > 0.0 {
            self.stats.busy_worker_seconds += f64::from(self.busy) * dt;
            self.stats.worker_seconds += f64::from(self.workers) * dt;
            self.stats.last_update = now;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(workers: u32, queue: u32) -> Server {
        Server::new(0, 1, workers, queue, ServiceTime::Constant { seconds: 1.0 })
    }

    #[test]
    fn starts_then_queues_then_rejects() {
        let mut s = server(2, 1);
        assert_eq!(s.admit(0.0, 0), Admission::Started);
        assert_eq!(s.admit(0.0, 1), Admission::Started);
        assert_eq!(s.admit(0.0, 2), Admission::Queued);
        assert_eq!(s.admit(0.0, 3), Admission::Rejected);
        assert_eq!((s.busy(), s.queue_len(), s.stats().rejected), (2, 1, 1));
    }

    #[test]
    fn finishing_hands_the_worker_to_the_queue_in_fifo_order() {
        let mut s = server(1, 5);
        s.admit(0.0, 10);
        s.admit(0.0, 11);
        s.admit(0.0, 12);
        assert_eq!(s.finish(1.0), Some(11));
        assert_eq!(s.finish(2.0), Some(12));
        assert_eq!(s.finish(3.0), None);
        assert_eq!(s.busy(), 0);
    }

    #[test]
    fn zero_capacity_queue_rejects_when_workers_are_busy() {
        let mut s = server(1, 0);
        assert_eq!(s.admit(0.0, 0), Admission::Started);
        assert_eq!(s.admit(0.0, 1), Admission::Rejected);
    }

    #[test]
    fn utilisation_is_busy_time_over_worker_time() {
        let mut s = server(2, 0);
        s.admit(0.0, 0);
        s.finish(1.0);
        s.integrate(2.0);
        // One of two workers busy for 1 s out of 2 s: 1 / 4 worker-seconds.
        assert!((s.utilisation() - 0.25).abs() < 1e-12);
    }
}
