//! Where requests come from: open-loop arrivals at a (time-varying) rate, or closed-loop
//! users who wait for each answer and think before asking again; which client sends
//! each request, which key it asks for, and whether it reads or writes.

mod checks;
mod keys;
mod rate;

pub use checks::{
    validate_open_loop, MAX_KEYS, MAX_PEAK_RATE, MAX_RATE, MAX_SCHEDULE_SECONDS, MAX_USERS,
};
pub use keys::{KeySampler, Keys, Popularity};
pub use rate::{OpenLoopSource, RateEvent, RateProfile};

use crate::dist::Distribution;
use crate::tagged::need;
use serde::{Deserialize, Serialize};

/// Everything about the offered load.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Traffic {
    /// How requests arrive.
    pub arrivals: Arrivals,
    /// Size of the client address population (for IP hash and sticky sessions).
    pub clients: u32,
    /// Which keys requests ask for.
    pub keys: Keys,
    /// Fraction of requests that write (0 to 1).
    pub write_fraction: f64,
    /// A client gives up after this long; a later answer counts as timed out, not as
    /// goodput. `null`: clients wait for ever.
    pub timeout_seconds: Option<f64>,
}

/// Open or closed loop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "ArrivalsFields")]
pub enum Arrivals {
    /// Poisson arrivals at `rate` per second, whatever the system does: the load a
    /// public service sees. `schedule` varies the rate over time.
    OpenLoop {
        /// Mean arrivals per second before any schedule entry applies.
        rate: f64,
        /// Steps, ramps, spikes and a daily sine, applied in time order.
        #[serde(default)]
        schedule: Vec<RateEvent>,
    },
    /// `users` users, each sending one request, waiting for its answer (or giving up at
    /// the timeout), then thinking before the next: load that backs off when the system
    /// slows down.
    ClosedLoop {
        /// How many users.
        users: u32,
        /// Pause between an answer and the next request.
        think_time: Distribution,
    },
}

/// [`Arrivals`] as the file writes them (see `crate::tagged`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArrivalsFields {
    kind: ArrivalsKind,
    rate: Option<f64>,
    schedule: Option<Vec<RateEvent>>,
    users: Option<u32>,
    think_time: Option<Distribution>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ArrivalsKind {
    OpenLoop,
    ClosedLoop,
}

impl TryFrom<ArrivalsFields> for Arrivals {
    type Error = String;
    fn try_from(f: ArrivalsFields) -> Result<Self, String> {
        Ok(match f.kind {
            ArrivalsKind::OpenLoop => Arrivals::OpenLoop {
                rate: need(f.rate, "rate")?,
                schedule: f.schedule.unwrap_or_default(),
            },
            ArrivalsKind::ClosedLoop => Arrivals::ClosedLoop {
                users: need(f.users, "users")?,
                think_time: need(f.think_time, "think_time")?,
            },
        })
    }
}

impl Arrivals {
    /// Poisson arrivals at a constant `rate` per second: no schedule.
    pub fn open_loop(rate: f64) -> Self {
        Arrivals::OpenLoop {
            rate,
            schedule: Vec::new(),
        }
    }
}
