//! How requests end, for the stage: where each left the system and how (answered,
//! late, stale, refused and why), and when a client gave up on one still inside.
//! Sampled (every n-th arrival; 1 for all). Tracing draws no random numbers, so turning
//! it on never changes a run.

use crate::metrics::Reason;
use crate::RequestId;
use std::collections::VecDeque;

/// Traces kept; older ones are dropped. At 100× speed a frame sees about a thousand
/// endings; the page reads them every frame.
pub const MAX_TRACES: usize = 8_192;

/// How a traced request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Answered from the cache.
    CacheHit,
    /// Missed the cache; answered from the database.
    CacheMiss,
    /// Answered with a value older than the database's: a hit on a stale cache entry, or
    /// a read from a replica the latest write had not reached.
    StaleRead,
    /// A write: went to the database (or its write queue).
    Write,
    /// Answered without a cache in the way.
    Served,
    /// Answered after the client had given up.
    TimedOut,
    /// Got no answer.
    Rejected(Reason),
    /// Its client stopped waiting (the timeout); the request itself is still inside,
    /// and the work on it is wasted.
    GaveUp,
}

/// One traced request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trace {
    /// Increasing number: the page asks for traces after the last one it saw.
    pub seq: u64,
    /// The request's slot, and its attempt (a slot is reused; an attempt is not).
    pub request: RequestId,
    pub attempt_id: u64,
    /// When it arrived, simulated seconds.
    pub arrived_at: f64,
    /// When it ended (answered or turned away).
    pub ended_at: f64,
    /// The server it was routed to, if any.
    pub server: Option<u32>,
    /// How it ended.
    pub outcome: Outcome,
    /// It was a client's retry of an earlier failed or timed-out attempt.
    pub retried: bool,
}

/// The ring of recent traces and the sampling rate.
#[derive(Debug, Default)]
pub struct Tracer {
    every: u64,
    traces: VecDeque<Trace>,
    next_seq: u64,
}

impl Tracer {
    /// Traces one request in `every` (0 turns tracing off).
    pub fn set_every(&mut self, every: u64) {
        self.every = every;
    }

    /// Whether the request with this arrival number is traced.
    pub fn samples(&self, arrival: u64) -> bool {
        self.every > 0 && arrival.is_multiple_of(self.every)
    }

    /// Records a traced request's end (its `seq` is given here).
    pub fn record(&mut self, trace: Trace) {
        if self.traces.len() == MAX_TRACES {
            self.traces.pop_front();
        }
        self.traces.push_back(Trace {
            seq: self.next_seq,
            ..trace
        });
        self.next_seq += 1;
    }

    /// Traces numbered `from` and later that are still kept.
    pub fn since(&self, from: u64) -> impl Iterator<Item = &Trace> {
        let skip = self
            .traces
            .front()
            .map_or(0, |t| from.saturating_sub(t.seq) as usize);
        self.traces.iter().skip(skip)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_every_nth_and_keeps_a_bounded_ring() {
        let mut t = Tracer::default();
        assert!(!t.samples(0));
        t.set_every(3);
        assert_eq!((0..9).filter(|&a| t.samples(a)).count(), 3);
        for i in 0..MAX_TRACES + 5 {
            t.record(Trace {
                seq: 0,
                request: 0,
                attempt_id: i as u64,
                arrived_at: 0.0,
                ended_at: i as f64,
                server: None,
                outcome: Outcome::Served,
                retried: false,
            });
        }
        assert_eq!(t.since(0).count(), MAX_TRACES);
        assert_eq!(
            t.since(MAX_TRACES as u64).next().unwrap().seq,
            MAX_TRACES as u64
        );
    }
}
