//! Why a request got no answer, and the count of each reason.

use serde::Serialize;

/// Why a request got no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The chosen server's queue was full.
    QueueFull,
    /// The chosen server was dead (refused, or lost with it).
    ServerDown,
    /// The balancer had no healthy server.
    NoServer,
    /// The rate limiter turned it away.
    RateLimited,
    /// The concurrency limit was reached.
    ConcurrencyLimited,
    /// It waited in a queue longer than the shedding threshold.
    Shed,
    /// Its database query failed (an error, or the database was down).
    DatabaseError,
    /// No database connection came free in time.
    PoolTimeout,
    /// Its write kept conflicting (optimistic locking) until its retries ran out.
    WriteConflict,
    /// The circuit breaker in front of the database was open.
    CircuitOpen,
}

/// Requests that got no answer, by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Rejections {
    /// Full queue.
    pub queue_full: u64,
    /// Dead server.
    pub server_down: u64,
    /// No healthy server.
    pub no_server: u64,
    /// Rate limiter.
    pub rate_limited: u64,
    /// Concurrency limit.
    pub concurrency_limited: u64,
    /// Shed after waiting too long.
    pub shed: u64,
    /// The database query failed.
    pub database_error: u64,
    /// No database connection in time.
    pub pool_timeout: u64,
    /// Optimistic write conflicts beyond the retries.
    pub write_conflict: u64,
    /// The circuit breaker was open: failed at once.
    pub circuit_open: u64,
}

impl Rejections {
    /// All reasons together.
    pub fn total(&self) -> u64 {
        self.queue_full
            + self.server_down
            + self.no_server
            + self.rate_limited
            + self.concurrency_limited
            + self.shed
            + self.database_error
            + self.pool_timeout
            + self.write_conflict
            + self.circuit_open
    }

    pub(super) fn count(&mut self, reason: Reason) {
        match reason {
            Reason::QueueFull => self.queue_full += 1,
            Reason::ServerDown => self.server_down += 1,
            Reason::NoServer => self.no_server += 1,
            Reason::RateLimited => self.rate_limited += 1,
            Reason::ConcurrencyLimited => self.concurrency_limited += 1,
            Reason::Shed => self.shed += 1,
            Reason::DatabaseError => self.database_error += 1,
            Reason::PoolTimeout => self.pool_timeout += 1,
            Reason::WriteConflict => self.write_conflict += 1,
            Reason::CircuitOpen => self.circuit_open += 1,
        }
    }
}
