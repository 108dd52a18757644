//! A curve's points as CSV: every figure with its 95 % band and theory's value, in the
//! units the page shows (latencies and waits in ms, rates per second, shares 0–1).

use super::{Measure, Point, Unit};
use std::fmt::Write;

/// The CSV of `points` of a curve over the setting at `setting` (its first column).
pub fn csv(setting: &str, points: &[Point]) -> String {
    let mut out = format!("{setting},requests_per_run");
    for m in Measure::ALL {
        let (name, suffix) = (m.name(), suffix(m.unit()));
        let _ = write!(
            out,
            ",{name}{suffix},{name}{suffix}_low,{name}{suffix}_high"
        );
        let _ = write!(out, ",{name}{suffix}_theory");
    }
    out.push('\n');
    for p in points {
        let _ = write!(out, "{},{}", p.value, p.requests);
        for m in Measure::ALL {
            let scale = if m.unit() == Unit::Seconds { 1e3 } else { 1.0 };
            let e = p.figure(m);
            let (low, high) = (e.mean - e.half_width, e.mean + e.half_width);
            let _ = write!(out, ",{},{},{}", e.mean * scale, low * scale, high * scale);
            match p.theory_of(m) {
                Some(t) => {
                    let _ = write!(out, ",{}", t * scale);
                }
                None => out.push(','),
            }
        }
        out.push('\n');
    }
    out
}

fn suffix(unit: Unit) -> &'static str {
    match unit {
        Unit::Seconds => "_ms",
        Unit::PerSecond => "_per_s",
        Unit::Share => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theory::model_scenario;

    /// A header naming every figure with its unit and band, then a row per point whose
    /// cells are the point's numbers in those units.
    #[test]
    fn the_csv_has_every_figure_with_its_band_and_theory() {
        let base = model_scenario(200.0, 1, 4, None, 0.01);
        let p = super::super::point(&base, "traffic.arrivals.rate", 200.0, 2, 2_000).unwrap();
        let text = csv("traffic.arrivals.rate", std::slice::from_ref(&p));
        let lines: Vec<&str> = text.lines().collect();
        let header: Vec<&str> = lines[0].split(',').collect();
        assert_eq!(header.len(), 2 + 4 * Measure::ALL.len());
        assert_eq!(
            &header[..6],
            [
                "traffic.arrivals.rate",
                "requests_per_run",
                "mean_latency_ms",
                "mean_latency_ms_low",
                "mean_latency_ms_high",
                "mean_latency_ms_theory"
            ]
        );
        let row: Vec<&str> = lines[1].split(',').collect();
        assert_eq!(row.len(), header.len());
        assert_eq!(row[1], "2000");
        let w = p.figure(Measure::MeanLatency);
        assert_eq!(row[2].parse::<f64>().unwrap(), w.mean * 1e3);
        assert_eq!(
            row[4].parse::<f64>().unwrap(),
            (w.mean + w.half_width) * 1e3
        );
        let theory = p.theory_of(Measure::MeanLatency).unwrap() * 1e3;
        assert_eq!(row[5].parse::<f64>().unwrap(), theory);
        // No theory for the hit rate: an empty cell.
        let hit = 2 + 4 * Measure::HitRate.index();
        assert_eq!((header[hit + 3], row[hit + 3]), ("hit_rate_theory", ""));
    }
}
