//! What one closed window of simulated time measured: the figures a chart plots at one x.

use super::{Percentiles, Rejections};
use crate::db::DbWindow;
use serde::Serialize;

/// Cache figures over a window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct CacheWindow {
    /// Lookups that hit.
    pub hits: u64,
    /// Lookups that missed.
    pub misses: u64,
    /// Hits over lookups (0 without lookups).
    pub hit_rate: f64,
}

/// One server over a window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServerWindow {
    /// The server's id.
    pub id: u32,
    /// Requests routed to it.
    pub routed: u64,
    /// Requests it answered.
    pub completed: u64,
    /// Busy fraction of its workers.
    pub utilisation: f64,
    /// Busy fraction of its cores.
    pub cpu_utilisation: f64,
    /// Time-average queue length.
    pub mean_queue: f64,
    /// Lookups in this server's own cache that hit (local placement; 0 otherwise).
    pub cache_hits: u64,
    /// Lookups in this server's own cache that missed (local placement; 0 otherwise).
    pub cache_misses: u64,
}

/// Closed-window figures: what a chart plots at one x.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WindowStats {
    /// Simulated start time, in seconds.
    pub start: f64,
    /// Simulated end time, in seconds.
    pub end: f64,
    /// Requests that arrived.
    pub arrivals: u64,
    /// Requests answered (in time or late).
    pub completions: u64,
    /// Answers that came after the client's timeout: work the servers finished for
    /// nobody (wasted).
    pub timed_out: u64,
    /// Requests whose client learned in this window that they failed: refused with no
    /// retry left, or given up on (its timeout, a user's patience), counted at that
    /// moment, not when a late answer comes back. A retried attempt's refusal is not a
    /// failure; the request's last attempt decides.
    pub failed: u64,
    /// Of [`failed`](Self::failed), the requests given up on (the rest were refused).
    pub gave_up: u64,
    /// Requests that got no answer.
    pub rejections: Rejections,
    /// Retries sent (they count among the arrivals too).
    pub retries: u64,
    /// Seconds of the window the circuit breaker spent open.
    pub circuit_open_seconds: f64,
    /// Answers per second.
    pub throughput: f64,
    /// Answers in time per second.
    pub goodput: f64,
    /// Latency of the answers, in seconds (zeros when none).
    pub latency: Percentiles,
    /// L: time-average number of requests in the system.
    pub mean_in_system: f64,
    /// λW: throughput × mean latency, the other side of Little's law.
    pub throughput_times_latency: f64,
    /// Cache lookups, all caches together.
    pub cache: CacheWindow,
    /// Per server (retired ones left out).
    pub servers: Vec<ServerWindow>,
    /// Database figures, when there is a database.
    pub database: Option<DbWindow>,
}

impl WindowStats {
    /// What a client sees go wrong: of the requests whose outcome their clients learned
    /// in the window (answered in time, or [`failed`](Self::failed)), the share that
    /// failed. At most 1 by construction; 0 when no client learned anything.
    pub fn error_share(&self) -> f64 {
        let answered = self.completions - self.timed_out;
        let learned = self.failed + answered;
        if learned == 0 {
            0.0
        } else {
            self.failed as f64 / learned as f64
        }
    }
}
