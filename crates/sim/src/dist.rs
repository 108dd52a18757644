//! Service-time and inter-arrival distributions.
//!
//! Sampling uses `libm` for logarithms rather than `rand_distr`: `rand_distr` takes its
//! float functions from `num-traits`, whose choice between the platform's maths library
//! and `libm` is decided by Cargo feature unification (plotters in the page switches it).
//! The CLI and the page would then compute different `ln(u)` in the last bit, and the
//! same seed would stop giving the same run. One implementation everywhere keeps them equal.

use crate::rng::SimRng;
use rand::Rng;
use serde::{Deserialize, Serialize};

/// A uniform draw in (0, 1]: never 0, so `ln(u)` is finite.
pub fn unit_open_below(rng: &mut SimRng) -> f64 {
    // 53 random bits, the precision of an f64 mantissa.
    let bits = rng.next_u64() >> 11;
    (bits + 1) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// An exponential draw with the given mean, by inversion: `-mean * ln(U)`.
pub fn exponential(rng: &mut SimRng, mean: f64) -> f64 {
    -mean * libm::log(unit_open_below(rng))
}

/// How long a request's work takes on a server of speed 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ServiceTime {
    /// Every request takes exactly `seconds`.
    Constant { seconds: f64 },
    /// Memoryless work with the given mean: the M in M/M/c.
    Exponential { mean_seconds: f64 },
}

impl ServiceTime {
    /// The mean, which the theory module and utilisation estimates need.
    pub fn mean(&self) -> f64 {
        match *self {
            ServiceTime::Constant { seconds } => seconds,
            ServiceTime::Exponential { mean_seconds } => mean_seconds,
        }
    }

    /// One draw.
    pub fn sample(&self, rng: &mut SimRng) -> f64 {
        match *self {
            ServiceTime::Constant { seconds } => seconds,
            ServiceTime::Exponential { mean_seconds } => exponential(rng, mean_seconds),
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
    fn unit_draws_stay_in_the_half_open_interval() {
        let mut rng = stream(3, Stream::Balancer);
        for _ in 0..10_000 {
            let u = unit_open_below(&mut rng);
            assert!(u > 0.0 && u <= 1.0);
        }
    }
}
