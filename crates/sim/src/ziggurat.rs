//! Exponential draws by the ziggurat method (Marsaglia and Tsang, 2000).
//!
//! The density e^-x is covered by 256 stacked horizontal layers of equal area. A draw
//! picks a layer and a point in it; about 99 % of the time the point lies inside the
//! part of the layer that is certainly under the curve, and the draw costs one table
//! lookup and one multiplication instead of a logarithm. The rest (the curved wedges
//! and the tail beyond the base layer) is settled exactly with `exp` and `log`. The
//! tables are computed once with `libm`, so they are identical on every platform.

use crate::rng::unit_open_below;
use crate::rng::SimRng;
use rand::Rng;
use std::sync::OnceLock;

const LAYERS: usize = 256;
/// Right edge of the base layer: where the tail begins.
const R: f64 = 7.697_117_470_131_05;
/// Area of each layer (the base layer's includes the tail).
const V: f64 = 0.003_949_659_822_581_557;
/// Draws use 53 random bits for the position within a layer.
const SCALE: f64 = (1u64 << 53) as f64;

struct Tables {
    /// A draw `j < k[i]` is certainly under the curve.
    k: [u64; LAYERS],
    /// Converts `j` to x in layer `i`.
    w: [f64; LAYERS],
    /// e^-x at each layer's right edge.
    f: [f64; LAYERS],
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut t = Tables {
            k: [0; LAYERS],
            w: [0.0; LAYERS],
            f: [0.0; LAYERS],
        };
        let mut x = R;
        let mut previous = x;
        let q = V / libm::exp(-x);
        t.k[0] = ((x / q) * SCALE) as u64;
        t.k[1] = 0;
        t.w[0] = q / SCALE;
        t.w[LAYERS - 1] = x / SCALE;
        t.f[0] = 1.0;
        t.f[LAYERS - 1] = libm::exp(-x);
        for i in (1..LAYERS - 1).rev() {
            x = -libm::log(V / x + libm::exp(-x));
            t.k[i + 1] = ((x / previous) * SCALE) as u64;
            previous = x;
            t.f[i] = libm::exp(-x);
            t.w[i] = x / SCALE;
        }
        t
    })
}

/// One draw from the exponential distribution with mean 1.
pub fn standard_exponential(rng: &mut SimRng) -> f64 {
    let t = tables();
    loop {
        let bits = rng.next_u64();
        let layer = (bits & 0xff) as usize;
        let j = bits >> 11;
        if j < t.k[layer] {
            return j as f64 * t.w[layer];
        }
        if layer == 0 {
            // The tail beyond R is itself exponential, shifted by R.
            return R - libm::log(unit_open_below(rng));
        }
        let x = j as f64 * t.w[layer];
        let height = t.f[layer] + unit_open_below(rng) * (t.f[layer - 1] - t.f[layer]);
        if height < libm::exp(-x) {
            return x;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{stream, Stream};

    #[test]
    fn quantiles_match_the_exponential_law() {
        let mut rng = stream(8, Stream::Arrivals);
        let n = 1_000_000;
        let mut draws: Vec<f64> = (0..n).map(|_| standard_exponential(&mut rng)).collect();
        draws.sort_by(f64::total_cmp);
        // The p-quantile of Exp(1) is -ln(1 - p).
        for p in [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999] {
            let got = draws[(p * n as f64) as usize];
            let want = -(1.0f64 - p).ln();
            assert!(
                (got - want).abs() < 0.02 * want.max(0.05),
                "p={p}: {got} vs {want}"
            );
        }
        let mean = draws.iter().sum::<f64>() / n as f64;
        assert!((mean - 1.0).abs() < 0.005, "{mean}");
        // The tail beyond R is reached (about e^-7.7 = 0.045 % of draws).
        let tail = draws.iter().filter(|&&x| x > R).count();
        assert!((300..650).contains(&tail), "{tail}");
    }
}
