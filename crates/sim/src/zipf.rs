//! Zipf-distributed ranks by rejection-inversion (Hörmann and Derflinger, 1996).
//!
//! P(rank = k) ∝ 1 / k^s for k in 1..=n. Constant time per draw and no table, so a
//! key space of millions costs nothing to set up; `libm` keeps it identical on every
//! platform (see `dist`).

use crate::rng::unit_open_below;
use crate::rng::SimRng;

/// A sampler of ranks 1..=n with exponent `s`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Zipf {
    n: f64,
    exponent: f64,
    h_integral_x1: f64,
    h_integral_n: f64,
    squeeze: f64,
}

impl Zipf {
    /// A sampler over `n` ≥ 1 ranks with exponent `s` ≥ 0 (0 is uniform).
    pub fn new(n: u64, s: f64) -> Self {
        let mut z = Self {
            n: n.max(1) as f64,
            exponent: s.max(0.0),
            h_integral_x1: 0.0,
            h_integral_n: 0.0,
            squeeze: 0.0,
        };
        z.h_integral_x1 = z.h_integral(1.5) - 1.0;
        z.h_integral_n = z.h_integral(z.n + 0.5);
        z.squeeze = 2.0 - z.h_integral_inverse(z.h_integral(2.5) - z.h(2.0));
        z
    }

    /// One rank in 1..=n; rank 1 is the most popular.
    pub fn sample(&self, rng: &mut SimRng) -> u64 {
        loop {
            let u =
                self.h_integral_n + unit_open_below(rng) * (self.h_integral_x1 - self.h_integral_n);
            let x = self.h_integral_inverse(u);
            let k = (x + 0.5).floor().clamp(1.0, self.n);
            if k - x <= self.squeeze || u >= self.h_integral(k + 0.5) - self.h(k) {
                return k as u64;
            }
        }
    }

    /// x^-s.
    fn h(&self, x: f64) -> f64 {
        libm::exp(-self.exponent * libm::log(x))
    }

    /// ∫ x^-s dx, as (x^(1-s) - 1) / (1-s), written to stay exact near s = 1.
    fn h_integral(&self, x: f64) -> f64 {
        let log_x = libm::log(x);
        expm1_over_x((1.0 - self.exponent) * log_x) * log_x
    }

    fn h_integral_inverse(&self, x: f64) -> f64 {
        let t = (x * (1.0 - self.exponent)).max(-1.0);
        libm::exp(log1p_over_x(t) * x)
    }
}

/// (e^x - 1) / x, tending to 1 at 0.
fn expm1_over_x(x: f64) -> f64 {
    if x.abs() > 1e-8 {
        libm::expm1(x) / x
    } else {
        1.0 + x * 0.5 * (1.0 + x / 3.0)
    }
}

/// ln(1 + x) / x, tending to 1 at 0.
fn log1p_over_x(x: f64) -> f64 {
    if x.abs() > 1e-8 {
        libm::log1p(x) / x
    } else {
        1.0 - x * (0.5 - x / 3.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{stream, Stream};

    fn frequencies(n: u64, s: f64, draws: u32) -> Vec<f64> {
        let z = Zipf::new(n, s);
        let mut rng = stream(11, Stream::Requests);
        let mut counts = vec![0u32; n as usize];
        for _ in 0..draws {
            counts[(z.sample(&mut rng) - 1) as usize] += 1;
        }
        counts
            .iter()
            .map(|&c| f64::from(c) / f64::from(draws))
            .collect()
    }

    fn expected(n: u64, s: f64) -> Vec<f64> {
        let weights: Vec<f64> = (1..=n).map(|k| (k as f64).powf(-s)).collect();
        let total: f64 = weights.iter().sum();
        weights.iter().map(|w| w / total).collect()
    }

    #[test]
    fn matches_the_zipf_law_for_several_exponents() {
        for s in [0.0, 0.5, 0.9, 1.0, 1.2] {
            let seen = frequencies(20, s, 400_000);
            for (k, (got, want)) in seen.iter().zip(expected(20, s)).enumerate() {
                assert!(
                    (got - want).abs() < 0.004,
                    "s={s} rank {}: {got} vs {want}",
                    k + 1
                );
            }
        }
    }

    #[test]
    fn stays_in_range_for_a_large_key_space() {
        let z = Zipf::new(1_000_000, 0.9);
        let mut rng = stream(1, Stream::Requests);
        assert!((0..100_000).all(|_| (1..=1_000_000).contains(&z.sample(&mut rng))));
    }
}
