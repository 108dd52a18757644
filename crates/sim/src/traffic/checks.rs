//! What an open-loop rate and its schedule may hold. Beyond keeping every figure finite,
//! the bounds keep each arrival draw quick (`rate.rs`): a capped number of entries to
//! search; sines that never quite reach zero, and few enough of them, that thinning
//! keeps a fair share of its candidates; and a peak whose gaps between arrivals stay far
//! above the clock's resolution at the latest time an entry may name.

use super::{Arrivals, Keys, Popularity, RateEvent, RateProfile, Traffic};
use crate::problem::Problem;
use crate::validate::{fraction, in_range, non_negative, positive, Path, ScenarioError};

/// Largest open-loop arrival rate, in requests per second (spikes and sines may take it
/// to ten times this, [`MAX_PEAK_RATE`]). Far beyond any class demo; a larger one would
/// leave simulated time nearly standing still while requests pile up.
pub const MAX_RATE: f64 = 1e6;
/// Largest number of closed-loop users.
pub const MAX_USERS: u32 = 1_000_000;
/// Largest key space.
pub const MAX_KEYS: u64 = 1 << 40;

/// Most entries a schedule may have: far more than a lesson needs.
pub const MAX_SCHEDULE_ENTRIES: usize = 256;
/// Most sines in one schedule: a day, a week and two faster ones.
pub const MAX_SINES: usize = 4;
/// Largest sine amplitude. At 1 the rate touches zero, and thinning near that trough
/// rejects nearly every candidate for as long as the trough lasts (minutes of work for
/// one arrival with a long period). At 0.9 each sine keeps at least 1 in 19 candidates;
/// for a rate that stops at night, use a spike with multiplier 0.
pub const MAX_SINE_AMPLITUDE: f64 = 0.9;
/// Latest time a schedule entry may name, and longest duration or period: about 116
/// days. There the clock's resolution is 2 ns, 1 / 50 of the mean gap at the peak.
pub const MAX_SCHEDULE_SECONDS: f64 = 1e7;
/// Shortest sine period. A shorter one is noise, not a cycle, and its phase is lost in
/// the clock's rounding.
pub const MIN_SINE_PERIOD: f64 = 0.001;
/// Highest rate a schedule may reach with its spikes and sines together, per second: ten
/// times the highest base rate.
pub const MAX_PEAK_RATE: f64 = MAX_RATE * 10.0;

impl Traffic {
    /// Checks every value; `path` names this section in errors (`traffic`).
    pub fn validate(&self, path: Path) -> Result<(), ScenarioError> {
        self.arrivals.validate(path.field("arrivals"))?;
        in_range(path.field("clients"), self.clients, 1, u32::MAX)?;
        self.keys.validate(path.field("keys"))?;
        fraction(path.field("write_fraction"), self.write_fraction)?;
        if let Some(timeout) = self.timeout_seconds {
            positive(path.field("timeout_seconds"), timeout)?;
        }
        Ok(())
    }
}

impl Arrivals {
    /// Checks the rate and schedule, or the users and their think time.
    pub fn validate(&self, path: Path) -> Result<(), ScenarioError> {
        match self {
            Arrivals::OpenLoop { rate, schedule } => validate_open_loop(path, *rate, schedule),
            Arrivals::ClosedLoop { users, think_time } => {
                in_range(path.field("users"), *users, 0, MAX_USERS)?;
                think_time.validate(path.field("think_time"))?;
                // A zero think time lets a refused user ask again at the same instant, for ever.
                positive(path.field("think_time (its mean)"), think_time.mean())
            }
        }
    }
}

impl Keys {
    /// Checks the key count, the session share and the popularity law's parameters.
    pub fn validate(&self, path: Path) -> Result<(), ScenarioError> {
        in_range(path.field("count"), self.count, 1, MAX_KEYS)?;
        fraction(path.field("session_share"), self.session_share)?;
        let law = path.field("popularity");
        match self.popularity {
            Popularity::Uniform => Ok(()),
            Popularity::Zipf { exponent } => {
                non_negative(law.field("exponent"), exponent)?;
                in_range(law.field("exponent"), exponent, 0.0, 5.0)
            }
            Popularity::HotSet {
                hot_fraction,
                hot_share,
            } => {
                fraction(law.field("hot_fraction"), hot_fraction)?;
                fraction(law.field("hot_share"), hot_share)
            }
        }
    }
}

/// Rejects an open-loop rate or schedule outside the bounds above; `path` names the
/// arrivals (`traffic.arrivals`) in errors.
pub fn validate_open_loop(
    path: Path,
    rate: f64,
    schedule: &[RateEvent],
) -> Result<(), ScenarioError> {
    rate_in_range(path.field("rate"), rate)?;
    in_range(
        path.field("schedule (entries)"),
        schedule.len(),
        0,
        MAX_SCHEDULE_ENTRIES,
    )?;
    let sines = schedule
        .iter()
        .filter(|e| matches!(e, RateEvent::Sine { .. }))
        .count();
    in_range(path.field("schedule (sines)"), sines, 0, MAX_SINES)?;
    let entries = path.field("schedule");
    for (i, event) in schedule.iter().enumerate() {
        validate_rate_event(entries.index(i), event)?;
    }
    validate_peak(path.field("schedule"), &RateProfile::new(rate, schedule))
}

/// Rejects a profile whose spikes and sines together go beyond [`MAX_PEAK_RATE`].
fn validate_peak(path: Path, profile: &RateProfile) -> Result<(), ScenarioError> {
    let peak = profile.peak();
    if peak <= MAX_PEAK_RATE {
        Ok(())
    } else {
        Err(ScenarioError::new(
            path,
            Problem::PeakTooHigh {
                peak,
                max: MAX_PEAK_RATE,
            },
        ))
    }
}

/// Rejects a rate that is negative, not finite, or above [`MAX_RATE`].
fn rate_in_range(path: Path, rate: f64) -> Result<(), ScenarioError> {
    non_negative(path, rate)?;
    in_range(path, rate, 0.0, MAX_RATE)
}

/// Rejects a time that is negative, not finite or later than [`MAX_SCHEDULE_SECONDS`].
fn time_in_range(path: Path, seconds: f64) -> Result<(), ScenarioError> {
    non_negative(path, seconds)?;
    in_range(path, seconds, 0.0, MAX_SCHEDULE_SECONDS)
}

/// Like [`time_in_range`], for a length of time, which must also be above `min`.
fn length_in_range(path: Path, seconds: f64, min: f64) -> Result<(), ScenarioError> {
    positive(path, seconds)?;
    in_range(path, seconds, min, MAX_SCHEDULE_SECONDS)
}

fn validate_rate_event(path: Path, event: &RateEvent) -> Result<(), ScenarioError> {
    match *event {
        RateEvent::Step { at, rate } => {
            time_in_range(path.field("at"), at)?;
            rate_in_range(path.field("rate"), rate)
        }
        RateEvent::Ramp { start, end, rate } => {
            time_in_range(path.field("start"), start)?;
            rate_in_range(path.field("rate"), rate)?;
            if !(end.is_finite() && end > start) {
                return Err(ScenarioError::new(
                    path.field("end"),
                    Problem::EndBeforeStart { start, got: end },
                ));
            }
            time_in_range(path.field("end"), end)
        }
        RateEvent::Spike {
            at,
            duration,
            multiplier,
        } => {
            time_in_range(path.field("at"), at)?;
            length_in_range(path.field("duration"), duration, 0.0)?;
            time_in_range(path.note("(its end)"), at + duration)?;
            non_negative(path.field("multiplier"), multiplier)?;
            in_range(path.field("multiplier"), multiplier, 0.0, 1000.0)
        }
        RateEvent::Sine { amplitude, period } => {
            fraction(path.field("amplitude"), amplitude)?;
            in_range(path.field("amplitude"), amplitude, 0.0, MAX_SINE_AMPLITUDE)?;
            length_in_range(path.field("period"), period, MIN_SINE_PERIOD)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spike(at: f64, duration: f64, multiplier: f64) -> RateEvent {
        RateEvent::Spike {
            at,
            duration,
            multiplier,
        }
    }

    fn refusal(rate: f64, schedule: &[RateEvent]) -> String {
        validate_open_loop(Path::root("traffic.arrivals"), rate, schedule)
            .unwrap_err()
            .path
    }

    #[test]
    fn stacked_spikes_beyond_the_peak_are_refused() {
        let two = [spike(0.0, 10.0, 100.0), spike(5.0, 10.0, 100.0)];
        assert_eq!(refusal(2000.0, &two), "traffic.arrivals.schedule");
        // Apart, the same two spikes are fine.
        let apart = [spike(0.0, 10.0, 100.0), spike(20.0, 10.0, 100.0)];
        assert!(validate_open_loop(Path::root("traffic.arrivals"), 2000.0, &apart).is_ok());
    }

    #[test]
    fn times_periods_and_counts_have_limits() {
        let far = [RateEvent::Step {
            at: 1e300,
            rate: 1.0,
        }];
        assert_eq!(refusal(1.0, &far), "traffic.arrivals.schedule[0].at");
        let fast = [RateEvent::Sine {
            amplitude: 0.5,
            period: 1e-300,
        }];
        assert_eq!(refusal(1.0, &fast), "traffic.arrivals.schedule[0].period");
        let full = [RateEvent::Sine {
            amplitude: 1.0,
            period: 60.0,
        }];
        assert_eq!(
            refusal(1.0, &full),
            "traffic.arrivals.schedule[0].amplitude"
        );
        let sines = [RateEvent::Sine {
            amplitude: 0.5,
            period: 60.0,
        }; MAX_SINES + 1];
        assert_eq!(refusal(1.0, &sines), "traffic.arrivals.schedule (sines)");
        let many = vec![spike(1.0, 1.0, 1.0); MAX_SCHEDULE_ENTRIES + 1];
        assert_eq!(refusal(1.0, &many), "traffic.arrivals.schedule (entries)");
        let endless = [RateEvent::Ramp {
            start: 0.0,
            end: 2e7,
            rate: 1.0,
        }];
        assert_eq!(refusal(1.0, &endless), "traffic.arrivals.schedule[0].end");
    }
}
