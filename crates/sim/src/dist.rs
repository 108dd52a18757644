//! Service-time and inter-arrival distributions.
//!
//! Sampling uses `libm` for logarithms rather than `rand_distr`: `rand_distr` takes its
//! float functions from `num-traits`, whose choice between the platform's maths library
//! and `libm` is decided by Cargo feature unification (plotters in the page switches it).
//! The CLI and the page would then compute different `ln(u)` in the last bit, and the
//! same seed would stop giving the same run. One implementation everywhere keeps them equal.

use crate::problem::Problem;
use crate::rng::{unit_open_below, SimRng};
use crate::tagged::need;
use crate::validate::{in_range, non_negative, positive, Path, ScenarioError};
use serde::{Deserialize, Serialize};

/// An exponential draw with the given mean (by the ziggurat method: see `ziggurat`).
pub fn exponential(rng: &mut SimRng, mean: f64) -> f64 {
    mean * crate::ziggurat::standard_exponential(rng)
}

/// A normal draw (mean 0, standard deviation 1) by Box–Muller; one of the pair is used,
/// which keeps the sampler stateless.
pub fn standard_normal(rng: &mut SimRng) -> f64 {
    let u1 = unit_open_below(rng);
    let u2 = unit_open_below(rng);
    libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(std::f64::consts::TAU * u2)
}

/// Largest log-normal `sigma` a scenario may give: at 4 already one request in ten
/// thousand takes over a million times the median, a tail beyond any real service.
pub const MAX_SIGMA: f64 = 4.0;
/// Longest constant or mean a distribution may have, in seconds: a day, far beyond any
/// request, think time or I/O. Without a bound, a valid scenario could draw an infinite
/// duration (a log-normal draw reaches e^26 times its mean, and a server divides it by
/// its speed) and schedule an event at infinity, which the run then either never reaches
/// or loops on for ever (found by fuzzing, tests/fuzz_regressions.rs).
pub const MAX_SECONDS: f64 = 86_400.0;

/// A random duration: service times, think times, I/O latencies.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    try_from = "DistributionFields"
)]
pub enum Distribution {
    /// Always exactly `seconds`.
    Constant { seconds: f64 },
    /// Memoryless with the given mean: the M in M/M/c.
    Exponential { mean_seconds: f64 },
    /// Log-normal with the given mean; `sigma` (the log's standard deviation) sets how
    /// heavy the tail is: 0.5 is mild, 1.5 gives rare very slow requests.
    LogNormal { mean_seconds: f64, sigma: f64 },
}

/// A [`Distribution`] as the file writes it (see `crate::tagged`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DistributionFields {
    kind: DistributionKind,
    seconds: Option<f64>,
    mean_seconds: Option<f64>,
    sigma: Option<f64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum DistributionKind {
    Constant,
    Exponential,
    LogNormal,
}

impl TryFrom<DistributionFields> for Distribution {
    type Error = String;
    fn try_from(f: DistributionFields) -> Result<Self, String> {
        Ok(match f.kind {
            DistributionKind::Constant => Distribution::Constant {
                seconds: need(f.seconds, "seconds")?,
            },
            DistributionKind::Exponential => Distribution::Exponential {
                mean_seconds: need(f.mean_seconds, "mean_seconds")?,
            },
            DistributionKind::LogNormal => Distribution::LogNormal {
                mean_seconds: need(f.mean_seconds, "mean_seconds")?,
                sigma: need(f.sigma, "sigma")?,
            },
        })
    }
}

impl Distribution {
    /// The mean, which theory and utilisation estimates need.
    pub fn mean(&self) -> f64 {
        match *self {
            Distribution::Constant { seconds } => seconds,
            Distribution::Exponential { mean_seconds } => mean_seconds,
            Distribution::LogNormal { mean_seconds, .. } => mean_seconds,
        }
    }

    /// E[X²], which the Pollaczek–Khinchine formula (M/G/1) needs: s² for a constant,
    /// 2m² for an exponential, m²·e^(σ²) for a log-normal of mean m.
    pub fn second_moment(&self) -> f64 {
        match *self {
            Distribution::Constant { seconds } => seconds * seconds,
            Distribution::Exponential { mean_seconds } => 2.0 * mean_seconds * mean_seconds,
            Distribution::LogNormal {
                mean_seconds,
                sigma,
            } => mean_seconds * mean_seconds * libm::exp(sigma * sigma),
        }
    }

    /// One draw, in seconds.
    pub fn sample(&self, rng: &mut SimRng) -> f64 {
        match *self {
            Distribution::Constant { seconds } => seconds,
            Distribution::Exponential { mean_seconds } => exponential(rng, mean_seconds),
            Distribution::LogNormal {
                mean_seconds,
                sigma,
            } => {
                // E[e^(mu + sigma Z)] = e^(mu + sigma^2 / 2): choose mu for the mean asked.
                let mu = libm::log(mean_seconds) - sigma * sigma / 2.0;
                libm::exp(mu + sigma * standard_normal(rng))
            }
        }
    }

    /// Checks the parameters; `path` names this distribution in errors.
    pub fn validate(&self, path: Path) -> Result<(), ScenarioError> {
        let mean = |value: f64| {
            let path = path.field("mean_seconds");
            positive(path, value)?;
            in_range(path, value, 0.0, MAX_SECONDS)
        };
        match *self {
            Distribution::Constant { seconds } => {
                let path = path.field("seconds");
                non_negative(path, seconds)?;
                in_range(path, seconds, 0.0, MAX_SECONDS)
            }
            Distribution::Exponential { mean_seconds } => mean(mean_seconds),
            Distribution::LogNormal {
                mean_seconds,
                sigma,
            } => {
                mean(mean_seconds)?;
                non_negative(path.field("sigma"), sigma)?;
                if sigma > MAX_SIGMA {
                    return Err(ScenarioError::new(
                        path.field("sigma"),
                        Problem::SigmaTooLarge {
                            max: MAX_SIGMA,
                            got: sigma,
                        },
                    ));
                }
                Ok(())
            }
        }
    }

    /// A short description for chart labels, like "exp 20 ms".
    pub fn label(&self) -> String {
        let ms = |s: f64| format!("{} ms", (s * 1e4).round() / 10.0);
        match *self {
            Distribution::Constant { seconds } => format!("constant {}", ms(seconds)),
            Distribution::Exponential { mean_seconds } => format!("exp {}", ms(mean_seconds)),
            Distribution::LogNormal {
                mean_seconds,
                sigma,
            } => format!("log-normal {} σ {sigma}", ms(mean_seconds)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{stream, Stream};

    #[test]
    fn exponential_has_its_mean_and_variance() {
        let mut rng = stream(1, Stream::Arrivals);
        let n = 200_000;
        let draws: Vec<f64> = (0..n).map(|_| exponential(&mut rng, 0.5)).collect();
        let mean = draws.iter().sum::<f64>() / n as f64;
        let var = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!((mean - 0.5).abs() < 0.01, "mean {mean}");
        assert!((var - 0.25).abs() < 0.01, "variance {var}");
        assert!(draws.iter().all(|x| x.is_finite() && *x >= 0.0));
    }

    #[test]
    fn log_normal_has_its_mean_and_a_heavy_tail() {
        let d = Distribution::LogNormal {
            mean_seconds: 0.02,
            sigma: 1.0,
        };
        let mut rng = stream(4, Stream::Server(0));
        let n = 400_000;
        let mut draws: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
        let mean = draws.iter().sum::<f64>() / n as f64;
        assert!((mean - 0.02).abs() < 0.0006, "mean {mean}");
        draws.sort_by(f64::total_cmp);
        // Median e^mu = mean e^(-sigma^2/2); p99 = median e^(2.326 sigma).
        let median = 0.02 * (-0.5f64).exp();
        assert!((draws[n / 2] - median).abs() / median < 0.02);
        let p99 = median * (2.326f64).exp();
        assert!((draws[n * 99 / 100] - p99).abs() / p99 < 0.03);
    }

    #[test]
    fn unit_draws_stay_in_the_half_open_interval() {
        let mut rng = stream(3, Stream::Balancer);
        for _ in 0..10_000 {
            let u = unit_open_below(&mut rng);
            assert!(u > 0.0 && u <= 1.0);
        }
    }
}
