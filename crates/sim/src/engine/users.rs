//! Closed-loop users: each sends a request, waits for the answer (or gives up at the
//! timeout), thinks, and sends the next. Load falls as the system slows down.

use super::{Event, Simulation, NO_USER};
use crate::metrics::Failure;
use crate::rng::SimRng;
use crate::traffic::Arrivals;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Not taking part (beyond the active count, or never started).
    Idle,
    /// Thinking; a wake-up is scheduled.
    Thinking,
    /// Waiting for an answer.
    Waiting,
}

/// Every user's state. A user's sequence number is bumped at each transition, so a
/// stale wake-up or timeout (from before a change) is recognised and ignored.
#[derive(Debug)]
pub(super) struct Users {
    state: Vec<State>,
    seq: Vec<u32>,
    /// The attempt number of each user's request in flight.
    attempt: Vec<u32>,
    active: u32,
    rng: SimRng,
}

impl Users {
    pub(super) fn new(rng: SimRng) -> Self {
        Self {
            state: Vec::new(),
            seq: Vec::new(),
            attempt: Vec::new(),
            active: 0,
            rng,
        }
    }
}

impl Simulation {
    /// Sets how many users take part; new ones start thinking now, surplus ones stop
    /// after their current request.
    pub(super) fn set_active_users(&mut self, count: u32) {
        let old = self.users.active;
        self.users.active = count;
        if self.users.state.len() < count as usize {
            self.users.state.resize(count as usize, State::Idle);
            self.users.seq.resize(count as usize, 0);
            self.users.attempt.resize(count as usize, 0);
        }
        for user in old..count {
            if self.users.state[user as usize] == State::Idle {
                self.think(user);
            }
        }
    }

    fn think(&mut self, user: u32) {
        let Arrivals::ClosedLoop { think_time, .. } = self.scenario.traffic.arrivals else {
            self.users.state[user as usize] = State::Idle;
            return;
        };
        let seq = self.bump(user, State::Thinking);
        let pause = think_time.sample(&mut self.users.rng);
        self.events
            .push(self.now + pause, Event::UserWake { user, seq });
    }

    fn bump(&mut self, user: u32, state: State) -> u32 {
        let u = user as usize;
        self.users.state[u] = state;
        self.users.seq[u] = self.users.seq[u].wrapping_add(1);
        self.users.seq[u]
    }

    pub(super) fn user_wakes(&mut self, user: u32, seq: u32) {
        if self.users.seq[user as usize] != seq {
            return;
        }
        if user >= self.users.active {
            self.users.state[user as usize] = State::Idle;
            return;
        }
        let seq = self.bump(user, State::Waiting);
        self.user_attempt(user, seq, 0);
    }

    /// User `user` sends attempt `attempt` of its request, numbered `seq`.
    pub(super) fn user_attempt(&mut self, user: u32, seq: u32, attempt: u32) {
        self.users.attempt[user as usize] = attempt;
        if let Some(timeout) = self.scenario.traffic.timeout_seconds {
            self.events
                .push(self.now + timeout, Event::UserTimeout { user, seq });
        }
        self.arrive(user, seq, attempt);
    }

    /// Whether `user` is waiting on its request numbered `seq`.
    pub(super) fn user_is_waiting(&self, user: u32, seq: u32) -> bool {
        let u = user as usize;
        self.users.state[u] == State::Waiting && self.users.seq[u] == seq
    }

    /// The user keeps waiting, for a retry: a new number voids the old attempt's events.
    pub(super) fn user_keeps_waiting(&mut self, user: u32) -> u32 {
        self.bump(user, State::Waiting)
    }

    /// The answer (or refusal) to `user`'s request numbered `seq` arrived.
    pub(super) fn user_answered(&mut self, user: u32, seq: u32) {
        if user == NO_USER {
            return;
        }
        let u = user as usize;
        if self.users.state[u] == State::Waiting && self.users.seq[u] == seq {
            self.think(user);
        }
    }

    pub(super) fn user_gives_up(&mut self, user: u32, seq: u32) {
        if self.user_is_waiting(user, seq) {
            let attempt = self.users.attempt[user as usize];
            self.client_failed(user, seq, attempt, Failure::GaveUp);
        }
    }

    /// Users taking part now.
    pub fn active_users(&self) -> u32 {
        self.users.active
    }
}
