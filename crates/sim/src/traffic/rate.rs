//! Time-varying Poisson arrivals.
//!
//! Steps, ramps and spikes make the rate piecewise linear: between two of their change
//! points it moves along a straight line. The next arrival after `t` is where the area
//! under the rate, counted from `t`, reaches an exponential draw of mean 1 (the rate's
//! integral turns the process into one of rate 1). On a straight piece that is a
//! quadratic equation, so the draw is exact and a stretch of zero rate costs nothing
//! however long it lasts.
//!
//! A sine is not a straight line. Its factor is applied by thinning (Lewis and Shedler,
//! 1979): candidates arrive at the linear rate times the sines' crest, and each is kept
//! with probability (the sines' factor now) / (their crest). Without a sine one random
//! number is drawn per arrival.

use crate::dist::exponential;
use crate::rng::{chance, SimRng};
use crate::tagged::need;
use serde::{Deserialize, Serialize};

/// One entry of a rate schedule. Times are simulated seconds since the start.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "RateEventFields")]
pub enum RateEvent {
    /// From `at` on, the base rate is `rate`.
    Step { at: f64, rate: f64 },
    /// From `start` to `end` the base rate moves in a straight line from the rate in
    /// force at `start` to `rate`, then stays there.
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

/// A [`RateEvent`] as the file writes it (see `crate::tagged`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RateEventFields {
    kind: RateEventKind,
    at: Option<f64>,
    rate: Option<f64>,
    start: Option<f64>,
    end: Option<f64>,
    duration: Option<f64>,
    multiplier: Option<f64>,
    amplitude: Option<f64>,
    period: Option<f64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RateEventKind {
    Step,
    Ramp,
    Spike,
    Sine,
}

impl TryFrom<RateEventFields> for RateEvent {
    type Error = String;
    fn try_from(f: RateEventFields) -> Result<Self, String> {
        Ok(match f.kind {
            RateEventKind::Step => RateEvent::Step {
                at: need(f.at, "at")?,
                rate: need(f.rate, "rate")?,
            },
            RateEventKind::Ramp => RateEvent::Ramp {
                start: need(f.start, "start")?,
                end: need(f.end, "end")?,
                rate: need(f.rate, "rate")?,
            },
            RateEventKind::Spike => RateEvent::Spike {
                at: need(f.at, "at")?,
                duration: need(f.duration, "duration")?,
                multiplier: need(f.multiplier, "multiplier")?,
            },
            RateEventKind::Sine => RateEvent::Sine {
                amplitude: need(f.amplitude, "amplitude")?,
                period: need(f.period, "period")?,
            },
        })
    }
}

/// A stretch between two change points of the schedule, along which the rate without
/// the sines moves in a straight line from `from` (at `start`) to `to` (at `end`).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Piece {
    start: f64,
    end: f64,
    from: f64,
    to: f64,
}

impl Piece {
    /// How fast the rate changes along the piece, per second (0 on the last, endless one).
    fn slope(&self) -> f64 {
        if self.end.is_finite() {
            (self.to - self.from) / (self.end - self.start)
        } else {
            0.0
        }
    }

    /// The rate at `t`, a time within the piece.
    fn rate_at(&self, t: f64) -> f64 {
        (self.from + self.slope() * (t - self.start)).max(0.0)
    }

    /// How long after `t` (within the piece) the area under the rate reaches `work`; if
    /// the rest of the piece holds less than that, the area it does hold, as the error.
    fn time_for(&self, t: f64, work: f64) -> Result<f64, f64> {
        let rate = self.rate_at(t);
        let slope = self.slope();
        if !self.end.is_finite() {
            // `work * (1 / rate)` rather than `work / rate`: the same bits as a constant
            // rate's `exponential(mean = 1 / rate)`.
            return if rate > 0.0 {
                Ok(work * (1.0 / rate))
            } else {
                Err(0.0)
            };
        }
        if work <= 0.0 {
            return Ok(0.0);
        }
        let length = self.end - t;
        let area = (rate * length + slope * length * length / 2.0).max(0.0);
        if work >= area {
            return Err(area);
        }
        // rate·x + slope·x²/2 = work, in the form that does not cancel when slope ≈ 0.
        let root = (rate * rate + 2.0 * slope * work).max(0.0).sqrt();
        Ok((2.0 * work / (rate + root)).min(length))
    }
}

/// A base rate and a schedule: the rate at any time.
#[derive(Debug, Clone, PartialEq)]
pub struct RateProfile {
    /// The rate without the sines, piece by piece, in time order; the last never ends.
    pieces: Vec<Piece>,
    /// The sines as (amplitude, period).
    sines: Vec<(f64, f64)>,
    /// The largest factor the sines together can reach: the product of 1 + amplitude.
    crest: f64,
}

impl RateProfile {
    /// The profile of `rate` varied by `schedule` (entries in any order; entries that
    /// start at the same time take effect in the order given).
    pub fn new(rate: f64, schedule: &[RateEvent]) -> Self {
        let mut schedule = schedule.to_vec();
        schedule.sort_by(|a, b| start_of(a).total_cmp(&start_of(b)));
        let sines: Vec<(f64, f64)> = schedule
            .iter()
            .filter_map(|e| match *e {
                RateEvent::Sine { amplitude, period } => Some((amplitude, period)),
                _ => None,
            })
            .collect();
        let crest = sines.iter().map(|&(a, _)| 1.0 + a.abs()).product();
        let origins = ramp_origins(rate, &schedule);
        Self {
            pieces: linear_pieces(rate, &schedule, &origins),
            sines,
            crest,
        }
    }

    /// The rate at time `t`, per second.
    pub fn rate_at(&self, t: f64) -> f64 {
        let linear = self
            .pieces
            .get(self.piece_index(t))
            .map_or(0.0, |p| p.rate_at(t));
        (linear * self.sine_factor(t)).max(0.0)
    }

    /// The highest rate the profile can reach: the highest corner of its straight pieces
    /// times the sines' crest.
    pub fn peak(&self) -> f64 {
        let corners = self.pieces.iter().map(|p| p.from.max(p.to));
        corners.fold(0.0, f64::max) * self.crest
    }

    /// Which piece holds time `t`.
    fn piece_index(&self, t: f64) -> usize {
        self.pieces.partition_point(|p| p.end <= t)
    }

    /// The time after `t` at which the area under the rate without the sines reaches
    /// `work`; infinite if it never does.
    fn time_for_work(&self, t: f64, mut work: f64) -> f64 {
        let mut index = self.piece_index(t);
        let mut t = t;
        while let Some(piece) = self.pieces.get(index) {
            match piece.time_for(t, work) {
                Ok(after) => return t + after,
                Err(area) => {
                    work -= area;
                    t = piece.end;
                    index += 1;
                }
            }
        }
        f64::INFINITY
    }

    /// The product of the sines' factors at `t` (1 without a sine).
    fn sine_factor(&self, t: f64) -> f64 {
        self.sines
            .iter()
            .map(|&(amplitude, period)| {
                1.0 + amplitude * libm::sin(std::f64::consts::TAU * t / period)
            })
            .product()
    }
}

/// Each ramp's starting rate (0 for the other entries): the base rate that the entries
/// before it give at its start. Entries are few (validation caps them), so the square
/// cost is small.
fn ramp_origins(rate: f64, schedule: &[RateEvent]) -> Vec<f64> {
    let mut origins = vec![0.0; schedule.len()];
    for (i, event) in schedule.iter().enumerate() {
        if let RateEvent::Ramp { start, .. } = *event {
            origins[i] = base_at(&schedule[..i], &origins[..i], rate, start, start);
        }
    }
    origins
}

/// The straight pieces between the schedule's change points, from time 0 on.
fn linear_pieces(rate: f64, schedule: &[RateEvent], origins: &[f64]) -> Vec<Piece> {
    // The rate without the sines, with the entries in force at `phase` evaluated at
    // time `t`: at a piece's start, where its line begins (`t = phase`) and, with `t`
    // the piece's end, where it arrives.
    let linear_at = |t: f64, phase: f64| {
        base_at(schedule, origins, rate, t, phase) * spikes_at(schedule, phase)
    };
    let mut points: Vec<f64> = schedule.iter().flat_map(change_points).collect();
    points.retain(|p| p.is_finite() && *p > 0.0);
    points.push(0.0);
    points.sort_unstable_by(f64::total_cmp);
    points.dedup();
    let ends = points.iter().skip(1).copied().chain([f64::INFINITY]);
    points
        .iter()
        .zip(ends)
        .map(|(&start, end)| {
            let from = linear_at(start, start);
            let to = if end.is_finite() {
                linear_at(end, start)
            } else {
                from
            };
            Piece {
                start,
                end,
                from,
                to,
            }
        })
        .collect()
}

/// The product of the multipliers of the spikes running at `phase`.
fn spikes_at(schedule: &[RateEvent], phase: f64) -> f64 {
    schedule
        .iter()
        .map(|e| match *e {
            RateEvent::Spike {
                at,
                duration,
                multiplier,
            } if phase >= at && phase < at + duration => multiplier,
            _ => 1.0,
        })
        .product()
}

/// The base rate (no spikes, no sines) that `schedule` gives at `t`, with the entries
/// in force at `phase`; `origins` are the ramps' starting rates.
fn base_at(schedule: &[RateEvent], origins: &[f64], rate: f64, t: f64, phase: f64) -> f64 {
    let mut base = rate;
    for (event, &origin) in schedule.iter().zip(origins) {
        match *event {
            RateEvent::Step { at, rate } if phase >= at => base = rate,
            RateEvent::Ramp { start, end, rate } if phase >= start => {
                base = if phase >= end {
                    rate
                } else {
                    origin + (rate - origin) * (t - start) / (end - start)
                };
            }
            _ => {}
        }
    }
    base
}

/// The times at which an entry changes the linear rate (a sine has none).
fn change_points(event: &RateEvent) -> Vec<f64> {
    match *event {
        RateEvent::Step { at, .. } => vec![at],
        RateEvent::Ramp { start, end, .. } => vec![start, end],
        RateEvent::Spike { at, duration, .. } => vec![at, at + duration],
        RateEvent::Sine { .. } => Vec::new(),
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

    /// The rate at time `t`, per second, by the profile in force.
    pub fn rate_at(&self, t: f64) -> f64 {
        self.profile.rate_at(t)
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

    /// The next arrival after `from`: the linear rate's exact draw, thinned by the sines.
    fn draw_after(&mut self, from: f64) -> f64 {
        let crest = self.profile.crest;
        let mut t = from;
        loop {
            // Candidates come at the linear rate times the crest: the same area is
            // reached after 1 / crest of the work.
            let work = exponential(&mut self.rng, 1.0) / crest;
            t = self.profile.time_for_work(t, work);
            if !t.is_finite() {
                return f64::INFINITY;
            }
            let sines = &self.profile.sines;
            if sines.is_empty() || chance(&mut self.rng, self.profile.sine_factor(t) / crest) {
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

    #[test]
    fn a_constant_rate_draws_plain_exponential_gaps() {
        let mut source = OpenLoopSource::new(
            RateProfile::new(250.0, &[]),
            stream(9, Stream::Arrivals),
            0.0,
        );
        let mut rng = stream(9, Stream::Arrivals);
        let mut t = 0.0;
        for _ in 0..1000 {
            t += exponential(&mut rng, 1.0 / 250.0);
            assert_eq!(source.next_time(), t);
            source.advance();
        }
    }

    #[test]
    fn a_distant_step_after_silence_comes_at_once() {
        let profile = RateProfile::new(0.0, &[RateEvent::Step { at: 1e7, rate: 1e6 }]);
        let mut source = OpenLoopSource::new(profile, stream(5, Stream::Arrivals), 0.0);
        assert!((1e7..1e7 + 1e-3).contains(&source.next_time()));
        // 10,000 expected in the next 10 ms (sd 100).
        let burst = count_between(&mut source, 1e7, 1e7 + 0.01);
        assert!((9_600..10_400).contains(&burst), "{burst}");
    }

    #[test]
    fn a_slow_ramp_from_zero_follows_its_area() {
        // The rate is t / 1000 per second: 500 arrivals expected in the first 1,000 s,
        // 1,500 in the next (sd about 22 and 39).
        let profile = RateProfile::new(
            0.0,
            &[RateEvent::Ramp {
                start: 0.0,
                end: 1e9,
                rate: 1e6,
            }],
        );
        let mut source = OpenLoopSource::new(profile, stream(5, Stream::Arrivals), 0.0);
        let first = count_between(&mut source, 0.0, 1000.0);
        let second = count_between(&mut source, 1000.0, 2000.0);
        assert!((410..590).contains(&first), "{first}");
        assert!((1_340..1_660).contains(&second), "{second}");
    }

    #[test]
    fn a_ramp_down_and_a_sine_follow_their_area() {
        // 1,000 → 0 over 100 s: 50,000 arrivals in all (sd about 224).
        let down = RateProfile::new(
            1000.0,
            &[RateEvent::Ramp {
                start: 0.0,
                end: 100.0,
                rate: 0.0,
            }],
        );
        let mut source = OpenLoopSource::new(down, stream(6, Stream::Arrivals), 0.0);
        let all = count_between(&mut source, 0.0, f64::INFINITY);
        assert!((49_100..50_900).contains(&all), "{all}");
        // 1,000 × (1 + sin): 5,000 + 10,000 / π ≈ 8,183 in the first half-period (sd
        // about 90), 100,000 over ten whole periods (sd about 316).
        let sine = RateProfile::new(
            1000.0,
            &[RateEvent::Sine {
                amplitude: 1.0,
                period: 10.0,
            }],
        );
        let mut source = OpenLoopSource::new(sine, stream(6, Stream::Arrivals), 0.0);
        let crest = count_between(&mut source, 0.0, 5.0);
        let rest = count_between(&mut source, 5.0, 100.0);
        assert!((7_800..8_560).contains(&crest), "{crest}");
        assert!(
            (98_700..101_300).contains(&(crest + rest)),
            "{crest} {rest}"
        );
    }

    #[test]
    fn a_ramp_starts_from_the_rate_in_force_even_inside_another_ramp() {
        let p = RateProfile::new(
            0.0,
            &[
                RateEvent::Ramp {
                    start: 0.0,
                    end: 100.0,
                    rate: 100.0,
                },
                RateEvent::Ramp {
                    start: 50.0,
                    end: 60.0,
                    rate: 0.0,
                },
            ],
        );
        assert_eq!(p.rate_at(50.0), 50.0);
        assert_eq!(p.rate_at(55.0), 25.0);
        assert_eq!(p.rate_at(70.0), 0.0);
        assert_eq!(p.peak(), 50.0);
    }
}
