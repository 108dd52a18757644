//! The knee of a latency curve: where it stops being flat.

use super::{Measure, Point};

/// How many times its light-load value a latency must reach to call the place a knee.
pub const KNEE_FACTOR: f64 = 2.0;

/// The setting's value where `measure` first reaches [`KNEE_FACTOR`] times its value at
/// the curve's first point (its light-load value), interpolated linearly between the
/// two points around it; `None` for figures that are not latencies, or when the curve
/// never gets there.
pub fn knee(points: &[Point], measure: Measure) -> Option<f64> {
    if !matches!(
        measure,
        Measure::MeanLatency | Measure::P50 | Measure::P95 | Measure::P99
    ) {
        return None;
    }
    let series: Vec<(f64, f64)> = points
        .iter()
        .map(|p| (p.value, p.figure(measure).mean))
        .filter(|(_, y)| y.is_finite() && *y > 0.0)
        .collect();
    let threshold = series.first()?.1 * KNEE_FACTOR;
    series.windows(2).find_map(|pair| {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        (y1 >= threshold).then(|| x0 + (x1 - x0) * (threshold - y0) / (y1 - y0))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curves::Estimate;

    fn point(value: f64, latency: f64) -> Point {
        let mut figures = vec![
            Estimate {
                mean: 0.0,
                half_width: 0.0
            };
            Measure::ALL.len()
        ];
        figures[Measure::MeanLatency.index()].mean = latency;
        Point {
            value,
            figures,
            theory: vec![None; Measure::ALL.len()],
            unsolved: None,
            requests: 1_000,
        }
    }

    /// 10 ms flat, then 15 and 30: twice 10 ms is reached a third of the way from 200
    /// to 300.
    #[test]
    fn the_knee_is_where_latency_doubles() {
        let points = [
            point(100.0, 0.010),
            point(200.0, 0.015),
            point(300.0, 0.030),
        ];
        let at = knee(&points, Measure::MeanLatency).unwrap();
        assert!((at - 200.0 - 100.0 / 3.0).abs() < 1e-9, "{at}");
        assert_eq!(knee(&points[..2], Measure::MeanLatency), None);
        assert_eq!(knee(&points, Measure::Throughput), None);
    }
}
