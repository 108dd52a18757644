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

    /// Counts one more refusal for `reason`.
    pub fn count(&mut self, reason: Reason) {
        *self.slot(reason) += 1;
    }

    /// The refusals counted since `earlier`, a copy of these counts taken before.
    pub fn since(&self, earlier: &Rejections) -> Rejections {
        let mut out = *self;
        for reason in Reason::ALL {
            *out.slot(reason) -= earlier.of(reason);
        }
        out
    }

    /// The refusals for `reason`.
    pub fn of(&self, reason: Reason) -> u64 {
        let mut copy = *self;
        *copy.slot(reason)
    }

    fn slot(&mut self, reason: Reason) -> &mut u64 {
        match reason {
            Reason::QueueFull => &mut self.queue_full,
            Reason::ServerDown => &mut self.server_down,
            Reason::NoServer => &mut self.no_server,
            Reason::RateLimited => &mut self.rate_limited,
            Reason::ConcurrencyLimited => &mut self.concurrency_limited,
            Reason::Shed => &mut self.shed,
            Reason::DatabaseError => &mut self.database_error,
            Reason::PoolTimeout => &mut self.pool_timeout,
            Reason::WriteConflict => &mut self.write_conflict,
            Reason::CircuitOpen => &mut self.circuit_open,
        }
    }
}

/// The part of the system that turns a request away, for each [`Reason`]: where the
/// stage marks the refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusedAt {
    /// The rate limiter in front of the balancer.
    Limiter,
    /// The balancer (no healthy server) or the admission check before it (the
    /// concurrency limit).
    Balancer,
    /// The request's server: its queue, its death, shedding, its connection pool.
    Server,
    /// The database, or the circuit breaker in front of it.
    Database,
}

impl Reason {
    /// Every reason, in the order of [`Rejections`]' fields.
    pub const ALL: [Reason; 10] = [
        Reason::QueueFull,
        Reason::ServerDown,
        Reason::NoServer,
        Reason::RateLimited,
        Reason::ConcurrencyLimited,
        Reason::Shed,
        Reason::DatabaseError,
        Reason::PoolTimeout,
        Reason::WriteConflict,
        Reason::CircuitOpen,
    ];

    /// Where a request refused for this reason is turned away.
    pub fn refused_at(self) -> RefusedAt {
        match self {
            Reason::RateLimited => RefusedAt::Limiter,
            Reason::ConcurrencyLimited | Reason::NoServer => RefusedAt::Balancer,
            Reason::QueueFull | Reason::ServerDown | Reason::Shed | Reason::PoolTimeout => {
                RefusedAt::Server
            }
            Reason::DatabaseError | Reason::WriteConflict | Reason::CircuitOpen => {
                RefusedAt::Database
            }
        }
    }
}
