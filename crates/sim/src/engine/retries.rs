//! Client retries: a failed or timed-out request is sent again after an exponential
//! backoff with jitter, up to a number of attempts and within a retry budget.
//!
//! Without a budget, retries multiply the load exactly when the system is overloaded:
//! timed-out requests are still being served (wasted work) while their retries queue up
//! behind them, the retry storm. A budget caps retries at a fraction of first attempts.

use super::requests::{NO_SERVER, NO_USER};
use super::{Event, Simulation};
use crate::metrics::Failure;
use crate::protection::{Retries, BUDGET_CAP};
use crate::rng::{unit_open_below, SimRng};
use crate::trace::Outcome;
use crate::RequestId;

/// The clients' retry tokens, and the stream their backoff jitter is drawn from.
pub(super) struct RetryBudget {
    tokens: f64,
    rng: SimRng,
}

impl RetryBudget {
    pub(super) fn new(rng: SimRng) -> Self {
        Self { tokens: 0.0, rng }
    }

    /// A first attempt earns `budget` tokens, up to [`BUDGET_CAP`].
    fn earn(&mut self, budget: f64) {
        self.tokens = (self.tokens + budget).min(BUDGET_CAP);
    }

    /// Spends a token on a retry, if there is one.
    fn spend(&mut self) -> bool {
        if self.tokens < 1.0 {
            return false;
        }
        self.tokens -= 1.0;
        true
    }

    /// The wait before retry number `attempt + 1`: exponential backoff, part of it random.
    fn backoff(&mut self, retries: &Retries, attempt: u32) -> f64 {
        let backoff = retries.backoff_seconds * f64::from(1u32 << attempt.min(20));
        backoff * (1.0 - retries.jitter * unit_open_below(&mut self.rng))
    }
}

impl Simulation {
    /// Starts the client's clock on a new attempt: a first attempt earns retry tokens;
    /// with a timeout, an open-loop client sets a timer (a closed-loop user has its
    /// own), so that it gives up, and learns of the failure, when its patience ends.
    pub(super) fn start_attempt_clock(&mut self, id: RequestId, attempt: u32) {
        if let (0, Some(retries)) = (attempt, self.scenario.protection.retries) {
            if let Some(budget) = retries.budget {
                self.retry_budget.earn(budget);
            }
        }
        let request = self.requests[id];
        if let (NO_USER, Some(timeout)) = (request.user, self.scenario.traffic.timeout_seconds) {
            let attempt_id = request.attempt_id;
            self.events.push(
                self.now + timeout,
                Event::ClientTimeout {
                    request: id,
                    attempt_id,
                },
            );
        }
    }

    /// An open-loop client stops waiting: its request stays in the system (the server
    /// does not know), but the client may retry.
    pub(super) fn client_gives_up(&mut self, id: RequestId, attempt_id: u64) {
        let request = self.requests[id];
        if !request.live || request.attempt_id != attempt_id || request.abandoned {
            return;
        }
        self.requests[id].abandoned = true;
        self.refusals.gave_up += 1;
        if request.traced {
            let server = (request.server != NO_SERVER).then_some(request.server);
            self.trace(id, server, Outcome::GaveUp);
        }
        self.client_failed(NO_USER, 0, request.attempt, Failure::GaveUp);
    }

    /// The client of a failed attempt retries if it may; otherwise a closed-loop user
    /// goes back to thinking.
    pub(super) fn client_failed(&mut self, user: u32, user_seq: u32, attempt: u32, how: Failure) {
        // A user who gave up already learned the failure (and counted it).
        let still_waiting = user == NO_USER || self.user_is_waiting(user, user_seq);
        if !self.schedule_retry(user, user_seq, attempt) {
            if still_waiting {
                self.metrics.client_failure(how);
            }
            self.user_answered(user, user_seq);
        }
    }

    fn schedule_retry(&mut self, user: u32, user_seq: u32, attempt: u32) -> bool {
        let Some(retries) = self.scenario.protection.retries else {
            return false;
        };
        if attempt + 1 >= retries.max_attempts {
            return false;
        }
        if user != NO_USER && !self.user_is_waiting(user, user_seq) {
            return false;
        }
        if retries.budget.is_some() && !self.retry_budget.spend() {
            return false;
        }
        let wait = self.retry_budget.backoff(&retries, attempt);
        let user_seq = if user == NO_USER {
            0
        } else {
            self.user_keeps_waiting(user)
        };
        let attempt = attempt + 1;
        self.events.push(
            self.now + wait,
            Event::Retry {
                user,
                user_seq,
                attempt,
            },
        );
        true
    }

    /// A retry's backoff is over: the client sends it.
    pub(super) fn retry_due(&mut self, user: u32, user_seq: u32, attempt: u32) {
        if user != NO_USER && !self.user_is_waiting(user, user_seq) {
            return;
        }
        self.metrics.retry();
        if user == NO_USER {
            self.arrive(NO_USER, 0, attempt);
        } else {
            self.user_attempt(user, user_seq, attempt);
        }
    }
}
