//! Time-varying Poisson arrivals by thinning (Lewis and Shedler, 1979).
//!
//! Candidates arrive as a Poisson process at the profile's peak rate; each is kept with
//! probability rate(t) / peak. The kept ones are exactly a Poisson process with rate(t).
//! With a constant rate every candidate is kept, and no extra random number is drawn.

use crate::dist::exponential;
use crate::rng::{chance, SimRng};
use serde::{Deserialize, Serialize};

/// One entry of a rate schedule. Times are simulated seconds since the start.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum RateEvent {
    /// From `at` on, the base rate is `rate`.
    Step { at: f64, rate: f64 },
    /// From `start` to `end` the base rate moves linearly to `rate`, then stays there.
    Ramp { start: f64, end: f64, rate: f64 },
    /// For `duration` seconds from `at`, the rate is multiplied by `multiplier`.
    Spike {
        at: f64,
        duration: f64,
        multiplier: f64,
    },
    /// The rate is multiplied by 1 + `amplitude` × sin(2π t / `period`): a daily cycle
    /// with a period of 86,400 s, or a faster one for a demonstration.
    Sine { amplitude: f64, period: f64 },
}

/// A base rate and a schedule: the rate at any time.
#[derive(Debug, Clone, PartialEq)]
pub struct RateProfile {
    rate: f64,
    schedule: Vec<RateEvent>,
    peak: f64,
}

impl RateProfile {
    /// The profile of `rate` varied by `schedule` (entries in any order).
    pub fn new(rate: f64, schedule: &[RateEvent]) -> Self {
        let mut schedule = schedule.to_vec();
        schedule.sort_by(|a, b| start_of(a).total_cmp(&start_of(b)));
        let mut profile = Self {
            rate,
            schedule,
            peak: 0.0,
        };
        profile.peak = profile.upper_bound();
        profile
    }

    /// The rate at time `t`, per second.
    pub fn rate_at(&self, t: f64) -> f64 {
        let mut base = self.rate;
        let mut factor = 1.0;
        for event in &self.schedule {
            match *event {
                RateEvent::Step { at, rate } if t >= at => base = rate,
                RateEvent::Ramp { start, end, rate } if t >= start => {
                    base = if t >= end || end <= start {
                        rate
                    } else {
                        base + (rate - base) * (t - start) / (end - start)
                    };
                }
                RateEvent::Spike {
                    at,
                    duration,
                    multiplier,
                } if t >= at && t < at + duration => factor *= multiplier,
                RateEvent::Sine { amplitude, period } => {
                    factor *= 1.0 + amplitude * libm::sin(std::f64::consts::TAU * t / period);
                }
                _ => {}
            }
        }
        (base * factor).max(0.0)
    }

    /// The highest rate the profile can reach, the thinning envelope.
    pub fn peak(&self) -> f64 {
        self.peak
    }

    /// When the schedule last changes the rate (a sine never settles: infinity).
    pub fn last_change(&self) -> f64 {
        self.schedule
            .iter()
            .map(|e| match *e {
                RateEvent::Step { at, .. } => at,
                RateEvent::Ramp { end, .. } => end,
                RateEvent::Spike { at, duration, .. } => at + duration,
                RateEvent::Sine { .. } => f64::INFINITY,
            })
            .fold(0.0, f64::max)
    }

    /// An envelope for thinning from time `t` on: the rate in force after the last
    /// change once `t` is past it, the global peak before.
    pub fn peak_from(&self, t: f64) -> f64 {
        if t >= self.last_change() {
            self.rate_at(t)
        } else {
            self.peak
        }
    }

    /// Whether the rate never changes (no thinning needed).
    pub fn is_constant(&self) -> bool {
        self.schedule.is_empty()
    }

    /// The base rate in force before the schedule.
    pub fn base_rate(&self) -> f64 {
        self.rate
    }

    /// The schedule, in time order.
    pub fn schedule(&self) -> &[RateEvent] {
        &self.schedule
    }

    /// The base rate's maximum, times the largest product of spikes that overlap (a
    /// product of steps peaks where one of them starts), times the sine's crest.
    fn upper_bound(&self) -> f64 {
        let mut base_max = self.rate;
        let mut sine = 1.0;
        for event in &self.schedule {
            match *event {
                RateEvent::Step { rate, .. } | RateEvent::Ramp { rate, .. } => {
                    base_max = base_max.max(rate)
                }
                RateEvent::Sine { amplitude, .. } => sine *= 1.0 + amplitude.abs(),
                RateEvent::Spike { .. } => {}
            }
        }
        let spikes = self.schedule.iter().filter_map(|e| match *e {
            RateEvent::Spike { at, .. } => Some(at),
            _ => None,
        });
        let spike_max = spikes.map(|t| self.spike_factor_at(t)).fold(1.0, f64::max);
        base_max * spike_max * sine
    }

    /// The product of the multipliers (at least 1 each) of the spikes running at `t`.
    fn spike_factor_at(&self, t: f64) -> f64 {
        self.schedule
            .iter()
            .map(|e| match *e {
                RateEvent::Spike {
                    at,
                    duration,
                    multiplier,
                } if t >= at && t < at + duration => multiplier.max(1.0),
                _ => 1.0,
            })
            .product()
    }
}

fn start_of(event: &RateEvent) -> f64 {
    match *event {
        RateEvent::Step { at, .. } | RateEvent::Spike { at, .. } => at,
        RateEvent::Ramp { start, .. } => start,
        RateEvent::Sine { .. } => f64::NEG_INFINITY,
    }
}

/// The open-loop source: the time of the next arrival, drawn from its own stream.
#[derive(Debug, Clone)]
pub struct OpenLoopSource {
    profile: RateProfile,
    rng: SimRng,
    next: f64,
}

impl OpenLoopSource {
    /// A source whose first arrival comes after time `now`.
    pub fn new(profile: RateProfile, rng: SimRng, now: f64) -> Self {
        let mut source = Self {
            profile,
            rng,
            next: f64::INFINITY,
        };
        source.next = source.draw_after(now);
        source
    }

    /// When the next arrival happens (infinite if the rate is zero for ever).
    pub fn next_time(&self) -> f64 {
        self.next
    }

    /// Consumes the pending arrival and draws the one after it.
    pub fn advance(&mut self) {
        self.next = self.draw_after(self.next);
    }

    /// Replaces the profile from `now` on; the pending arrival is redrawn, which is
    /// exact for a Poisson process (it has no memory).
    pub fn set_profile(&mut self, profile: RateProfile, now: f64) {
        self.profile = profile;
        self.next = self.draw_after(now);
    }

    /// The profile in force.
    pub fn profile(&self) -> &RateProfile {
        &self.profile
    }

    /// The next arrival after `from`. The envelope is piecewise: the global peak until
    /// the schedule's last change, the settled rate after it. A candidate that would
    /// cross that boundary is dropped and the search restarts there (exact, as the
    /// candidates are themselves Poisson), so a rate that settles at 0 ends the search.
    fn draw_after(&mut self, from: f64) -> f64 {
        let last_change = self.profile.last_change();
        let mut t = from;
        loop {
            let peak = self.profile.peak_from(t);
            if peak.is_nan() || peak <= 0.0 {
                return f64::INFINITY;
            }
            let candidate = t + exponential(&mut self.rng, 1.0 / peak);
            if t < last_change && candidate > last_change {
                t = last_change;
                continue;
            }
            t = candidate;
            if !t.is_finite() {
                return f64::INFINITY;
            }
            if self.profile.is_constant() || chance(&mut self.rng, self.profile.rate_at(t) / peak) {
                return t;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{stream, Stream};

    #[test]
    fn steps_ramps_spikes_and_sines_shape_the_rate() {
        let p = RateProfile::new(
            100.0,
            &[
                RateEvent::Ramp {
                    start: 20.0,
                    end: 30.0,
                    rate: 300.0,
                },
                RateEvent::Step {
                    at: 10.0,
                    rate: 200.0,
                },
                RateEvent::Spike {
                    at: 40.0,
                    duration: 5.0,
                    multiplier: 3.0,
                },
            ],
        );
        assert_eq!(p.rate_at(5.0), 100.0);
        assert_eq!(p.rate_at(10.0), 200.0);
        assert_eq!(p.rate_at(25.0), 250.0);
        assert_eq!(p.rate_at(35.0), 300.0);
        assert_eq!(p.rate_at(42.0), 900.0);
        assert_eq!(p.rate_at(45.0), 300.0);
        assert_eq!(p.peak(), 900.0);
        let sine = RateProfile::new(
            100.0,
            &[RateEvent::Sine {
                amplitude: 0.5,
                period: 40.0,
            }],
        );
        assert!((sine.rate_at(10.0) - 150.0).abs() < 1e-9);
        assert!((sine.rate_at(30.0) - 50.0).abs() < 1e-9);
    }

    fn count_between(source: &mut OpenLoopSource, from: f64, to: f64) -> usize {
        let mut n = 0;
        while source.next_time() < to {
            if source.next_time() >= from {
                n += 1;
            }
            source.advance();
        }
        n
    }

    #[test]
    fn thinning_follows_the_profile() {
        let profile = RateProfile::new(
            100.0,
            &[RateEvent::Step {
                at: 100.0,
                rate: 400.0,
            }],
        );
        let mut source = OpenLoopSource::new(profile, stream(5, Stream::Arrivals), 0.0);
        let before = count_between(&mut source, 0.0, 100.0);
        let after = count_between(&mut source, 100.0, 200.0);
        assert!((9_400..10_600).contains(&before), "{before}");
        assert!((38_800..41_200).contains(&after), "{after}");
    }

    #[test]
    fn many_spikes_that_do_not_overlap_keep_the_envelope_low() {
        let spikes: Vec<RateEvent> = (0..12)
            .map(|i| RateEvent::Spike {
                at: 20.0 * f64::from(i),
                duration: 10.0,
                multiplier: 3.0,
            })
            .collect();
        assert_eq!(RateProfile::new(100.0, &spikes).peak(), 300.0);
        let overlapping = [
            RateEvent::Spike {
                at: 0.0,
                duration: 10.0,
                multiplier: 3.0,
            },
            RateEvent::Spike {
                at: 5.0,
                duration: 10.0,
                multiplier: 2.0,
            },
        ];
        assert_eq!(RateProfile::new(100.0, &overlapping).peak(), 600.0);
    }

    #[test]
    fn a_rate_that_falls_to_zero_for_good_ends_the_arrivals() {
        let step = RateProfile::new(100.0, &[RateEvent::Step { at: 1.0, rate: 0.0 }]);
        let mut source = OpenLoopSource::new(step, stream(5, Stream::Arrivals), 0.0);
        let mut n = 0;
        while source.next_time().is_finite() {
            assert!(source.next_time() <= 1.0);
            source.advance();
            n += 1;
        }
        assert!((60..140).contains(&n), "{n}");
        let ramp = RateProfile::new(
            100.0,
            &[RateEvent::Ramp {
                start: 5.0,
                end: 10.0,
                rate: 0.0,
            }],
        );
        let mut source = OpenLoopSource::new(ramp, stream(5, Stream::Arrivals), 0.0);
        while source.next_time().is_finite() {
            source.advance();
        }
    }

    #[test]
    fn a_zero_rate_means_no_arrivals() {
        let source =
            OpenLoopSource::new(RateProfile::new(0.0, &[]), stream(5, Stream::Arrivals), 0.0);
        assert_eq!(source.next_time(), f64::INFINITY);
    }
}
