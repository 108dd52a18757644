//! Walker's alias method (in Vose's stable form): constant-time draws from a fixed
//! discrete distribution, one 64-bit random number and one table lookup each.
//!
//! Drawing uses integer arithmetic only, so it is identical on every platform; the
//! table is built with plain floating-point sums in a fixed order.

use crate::rng::SimRng;
use rand::Rng;

/// Draws indices 0..n with probabilities proportional to the weights it was built from.
#[derive(Debug, Clone, PartialEq)]
pub struct AliasTable {
    /// Keep column `i` when the draw's low 32 bits fall below this (out of 2^32).
    keep: Vec<u64>,
    /// Otherwise take this index.
    alias: Vec<u32>,
}

impl AliasTable {
    /// A table for `weights` (non-negative, not all zero, at most 2^32 of them).
    pub fn new(weights: &[f64]) -> Self {
        let n = weights.len();
        let total: f64 = weights.iter().sum();
        // Each column holds probability 1/n: scaled weights above 1 give to those below.
        let mut scaled: Vec<f64> = weights.iter().map(|w| w * n as f64 / total).collect();
        let mut keep = vec![1u64 << 32; n];
        let mut alias: Vec<u32> = (0..n as u32).collect();
        let (mut small, mut large): (Vec<u32>, Vec<u32>) =
            (0..n as u32).partition(|&i| scaled[i as usize] < 1.0);
        while let (Some(s), Some(&l)) = (small.pop(), large.last()) {
            keep[s as usize] = (scaled[s as usize] * 4_294_967_296.0) as u64;
            alias[s as usize] = l;
            scaled[l as usize] -= 1.0 - scaled[s as usize];
            if scaled[l as usize] < 1.0 {
                large.pop();
                small.push(l);
            }
        }
        // What is left over (rounding) keeps its own column whole.
        Self { keep, alias }
    }

    /// One index.
    pub fn sample(&self, rng: &mut SimRng) -> u64 {
        let r = rng.next_u64();
        let column = ((r >> 32) * self.keep.len() as u64) >> 32;
        if (r & 0xffff_ffff) < self.keep[column as usize] {
            column
        } else {
            u64::from(self.alias[column as usize])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{stream, Stream};

    #[test]
    fn draws_follow_the_weights() {
        let weights = [1.0, 2.0, 3.0, 0.0, 4.0];
        let table = AliasTable::new(&weights);
        let mut rng = stream(3, Stream::Requests);
        let mut counts = [0u32; 5];
        for _ in 0..100_000 {
            counts[table.sample(&mut rng) as usize] += 1;
        }
        for (count, w) in counts.iter().zip(weights) {
            let expected = 100_000.0 * w / 10.0;
            assert!((f64::from(*count) - expected).abs() < 600.0, "{counts:?}");
        }
        assert_eq!(counts[3], 0, "a zero weight is never drawn");
    }
}
