//! Closed-loop users: each sends a request, waits for the answer (or gives up at the
//! timeout), thinks, and sends the next. Load falls as the system slows down.

use super::{Event, Simulation, NO_USER};
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
    active: u32,
    rng: SimRng,
}

impl Users {
    pub(super) fn new(rng: SimRng) -> Self {
        Self {
            state: Vec::new(),
            seq: Vec::new(),
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
        if let Some(timeout) = self.scenario.traffic.timeout_seconds {
            self.events
                .push(self.now + timeout, Event::UserTimeout { user, seq });
        }
        self.arrive(user, seq);
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
        self.user_answered(user, seq);
    }

    /// Users taking part now.
    pub fn active_users(&self) -> u32 {
        self.users.active
    }
}
