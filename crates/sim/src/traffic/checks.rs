//! What an open-loop rate and its schedule may hold. Beyond keeping every figure finite,
//! the bounds keep each arrival draw quick (`rate.rs`): a capped number of entries to
//! search; sines that never quite reach zero, and few enough of them, that thinning
//! keeps a fair share of its candidates; and a peak whose gaps between arrivals stay far
//! above the clock's resolution at the latest time an entry may name.

use super::{RateEvent, RateProfile};
use crate::scenario::{fraction, in_range, non_negative, positive, Problem, MAX_RATE};
use crate::ScenarioError;

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

/// Rejects an open-loop rate or schedule outside the bounds above, naming the field.
pub fn validate_open_loop(rate: f64, schedule: &[RateEvent]) -> Result<(), ScenarioError> {
    rate_in_range("traffic.arrivals.rate", rate)?;
    in_range(
        "traffic.arrivals.schedule (entries)",
        schedule.len(),
        0,
        MAX_SCHEDULE_ENTRIES,
    )?;
    let sines = schedule
        .iter()
        .filter(|e| matches!(e, RateEvent::Sine { .. }))
        .count();
    in_range("traffic.arrivals.schedule (sines)", sines, 0, MAX_SINES)?;
    for (i, event) in schedule.iter().enumerate() {
        validate_rate_event(&format!("traffic.arrivals.schedule[{i}]"), event)?;
    }
    validate_peak(&RateProfile::new(rate, schedule))
}

/// Rejects a profile whose spikes and sines together go beyond [`MAX_PEAK_RATE`].
fn validate_peak(profile: &RateProfile) -> Result<(), ScenarioError> {
    let peak = profile.peak();
    if peak <= MAX_PEAK_RATE {
        Ok(())
    } else {
        Err(ScenarioError::new(
            "traffic.arrivals.schedule",
            Problem::PeakTooHigh {
                peak,
                max: MAX_PEAK_RATE,
            },
        ))
    }
}

/// Rejects a rate that is negative, not finite, or above [`MAX_RATE`].
fn rate_in_range(path: &str, rate: f64) -> Result<(), ScenarioError> {
    non_negative(path, rate)?;
    in_range(path, rate, 0.0, MAX_RATE)
}

/// Rejects a time that is negative, not finite or later than [`MAX_SCHEDULE_SECONDS`].
fn time_in_range(path: &str, seconds: f64) -> Result<(), ScenarioError> {
    non_negative(path, seconds)?;
    in_range(path, seconds, 0.0, MAX_SCHEDULE_SECONDS)
}

/// Like [`time_in_range`], for a length of time, which must also be above `min`.
fn length_in_range(path: &str, seconds: f64, min: f64) -> Result<(), ScenarioError> {
    positive(path, seconds)?;
    in_range(path, seconds, min, MAX_SCHEDULE_SECONDS)
}

fn validate_rate_event(path: &str, event: &RateEvent) -> Result<(), ScenarioError> {
    match *event {
        RateEvent::Step { at, rate } => {
            time_in_range(&format!("{path}.at"), at)?;
            rate_in_range(&format!("{path}.rate"), rate)
        }
        RateEvent::Ramp { start, end, rate } => {
            time_in_range(&format!("{path}.start"), start)?;
            rate_in_range(&format!("{path}.rate"), rate)?;
            if !(end.is_finite() && end > start) {
                return Err(ScenarioError::new(
                    format!("{path}.end"),
                    Problem::EndBeforeStart { start, got: end },
                ));
            }
            time_in_range(&format!("{path}.end"), end)
        }
        RateEvent::Spike {
            at,
            duration,
            multiplier,
        } => {
            time_in_range(&format!("{path}.at"), at)?;
            length_in_range(&format!("{path}.duration"), duration, 0.0)?;
            time_in_range(&format!("{path} (its end)"), at + duration)?;
            non_negative(&format!("{path}.multiplier"), multiplier)?;
            in_range(&format!("{path}.multiplier"), multiplier, 0.0, 1000.0)
        }
        RateEvent::Sine { amplitude, period } => {
            fraction(&format!("{path}.amplitude"), amplitude)?;
            in_range(
                &format!("{path}.amplitude"),
                amplitude,
                0.0,
                MAX_SINE_AMPLITUDE,
            )?;
            length_in_range(&format!("{path}.period"), period, MIN_SINE_PERIOD)
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
        validate_open_loop(rate, schedule).unwrap_err().path
    }

    #[test]
    fn stacked_spikes_beyond_the_peak_are_refused() {
        let two = [spike(0.0, 10.0, 100.0), spike(5.0, 10.0, 100.0)];
        assert_eq!(refusal(2000.0, &two), "traffic.arrivals.schedule");
        // Apart, the same two spikes are fine.
        let apart = [spike(0.0, 10.0, 100.0), spike(20.0, 10.0, 100.0)];
        assert!(validate_open_loop(2000.0, &apart).is_ok());
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
