//! Parameter sweeps: one scenario run at many values of one field, in parallel.
//!
//! `PATH=FROM..TO[:STEPS]` names a field by its dotted path in the scenario document
//! (`servers.workers`, `cache.capacity`, `traffic.arrivals.rate`, `servers.speeds[0]`).
//! Integer fields step by whole numbers.

use crate::problem::Problem;
use crate::scenario::Scenario;
use crate::summary::Summary;
use crate::validate::ScenarioError;
use crate::Simulation;
use serde_json::Value;

/// A parsed `PATH=FROM..TO[:STEPS]`.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepSpec {
    /// Dotted path of the field.
    pub path: String,
    /// First value.
    pub from: f64,
    /// Last value.
    pub to: f64,
    /// Number of values, ends included.
    pub steps: u32,
}

/// Largest number of points a sweep may have.
pub const MAX_STEPS: u32 = 1_000;

impl SweepSpec {
    /// Parses `PATH=FROM..TO[:STEPS]`; without STEPS, 11 values (or every integer of a
    /// short integer range, decided later by [`SweepSpec::values`]).
    pub fn parse(text: &str) -> Result<Self, String> {
        let (path, range) = text
            .split_once('=')
            .ok_or_else(|| format!("--param: expected PATH=FROM..TO[:STEPS], got {text}"))?;
        let (range, steps) = match range.split_once(':') {
            Some((r, s)) => (r, Some(s)),
            None => (range, None),
        };
        let (from, to) = range
            .split_once("..")
            .ok_or_else(|| format!("--param: expected FROM..TO, got {range}"))?;
        let number = |s: &str| {
            s.trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("--param: not a number: {s}"))
        };
        let steps = match steps {
            None => 0,
            Some(s) => match s.parse::<u32>() {
                Ok(n) if (2..=MAX_STEPS).contains(&n) => n,
                _ => {
                    return Err(format!(
                        "--param: STEPS must be from 2 to {MAX_STEPS}, got {s}"
                    ))
                }
            },
        };
        Ok(Self {
            path: path.trim().to_string(),
            from: number(from)?,
            to: number(to)?,
            steps,
        })
    }

    /// The values to run, rounded to whole numbers when `integer`.
    pub fn values(&self, integer: bool) -> Vec<f64> {
        let span = self.to - self.from;
        let steps = match self.steps {
            0 if integer && span.abs() <= 20.0 => span.abs() as u32 + 1,
            0 => 11,
            n => n,
        };
        let mut values: Vec<f64> = (0..steps)
            .map(|i| self.from + span * f64::from(i) / f64::from(steps - 1))
            .map(|v| if integer { v.round() } else { v })
            .collect();
        values.dedup();
        values
    }
}

/// The scenario with the field at `path` set to `value`, validated.
pub fn with_value(
    base: &Scenario,
    path: &str,
    value: f64,
) -> Result<(Scenario, bool), ScenarioError> {
    let mut doc = serde_json::to_value(base).expect("a scenario always serialises");
    let slot =
        locate(&mut doc, path).ok_or_else(|| ScenarioError::new(path, Problem::NoSuchField))?;
    let integer = slot.is_u64() || slot.is_i64();
    *slot = if integer {
        Value::from(value.round() as i64)
    } else if slot.is_f64() {
        Value::from(value)
    } else {
        return Err(ScenarioError::new(path, Problem::NotANumber));
    };
    let text = doc.to_string();
    Ok((Scenario::from_json(&text)?, integer))
}

/// Whether the field at `path` holds a whole number.
pub fn is_integer(base: &Scenario, path: &str) -> Result<bool, ScenarioError> {
    let mut doc = serde_json::to_value(base).expect("a scenario always serialises");
    let slot =
        locate(&mut doc, path).ok_or_else(|| ScenarioError::new(path, Problem::NoSuchField))?;
    match slot {
        Value::Number(n) => Ok(n.is_u64() || n.is_i64()),
        _ => Err(ScenarioError::new(path, Problem::NotANumber)),
    }
}

/// The number at `path` of `scenario`; `None` if there is none.
pub fn value_at(scenario: &Scenario, path: &str) -> Option<f64> {
    let mut doc = serde_json::to_value(scenario).expect("a scenario always serialises");
    locate(&mut doc, path)?.as_f64()
}

/// Walks `a.b[2].c` through objects and arrays.
fn locate<'a>(doc: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    let mut at = doc;
    for part in path.split('.') {
        let (name, index) = match part.split_once('[') {
            Some((name, rest)) => (name, Some(rest.strip_suffix(']')?.parse::<usize>().ok()?)),
            None => (part, None),
        };
        at = at.get_mut(name)?;
        if let Some(i) = index {
            at = at.get_mut(i)?;
        }
    }
    Some(at)
}

/// How long each point runs.
#[derive(Debug, Clone, Copy)]
pub enum Length {
    /// This many arrivals.
    Requests(u64),
    /// This many simulated seconds.
    Duration(f64),
}

/// Runs one scenario for `length` and summarises it.
pub fn run_one(scenario: Scenario, length: Length) -> Result<Summary, ScenarioError> {
    let mut sim = Simulation::new(scenario)?;
    match length {
        Length::Requests(n) => sim.run_arrivals(n),
        Length::Duration(s) => sim.run_until(s),
    }
    Ok(sim.summary())
}

/// Runs every point of the sweep on all cores; results in the order of `values`.
#[cfg(not(target_arch = "wasm32"))]
pub fn run(
    base: &Scenario,
    spec: &SweepSpec,
    length: Length,
) -> Result<Vec<(f64, Summary)>, ScenarioError> {
    use rayon::prelude::*;
    let integer = is_integer(base, &spec.path)?;
    let points: Vec<(f64, Scenario)> = spec
        .values(integer)
        .into_iter()
        .map(|v| with_value(base, &spec.path, v).map(|(s, _)| (v, s)))
        .collect::<Result<_, _>>()?;
    points
        .into_par_iter()
        .map(|(v, s)| run_one(s, length).map(|summary| (v, summary)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ranges_and_steps() {
        let spec = SweepSpec::parse("cache.capacity=100..1000:4").unwrap();
        assert_eq!(spec.values(true), [100.0, 400.0, 700.0, 1000.0]);
        let spec = SweepSpec::parse("servers.workers=1..8").unwrap();
        assert_eq!(spec.values(true), [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]);
        assert_eq!(SweepSpec::parse("x=0..1").unwrap().values(false).len(), 11);
        assert!(SweepSpec::parse("x=1..").is_err());
        assert!(SweepSpec::parse("x=1..2:1").is_err());
        assert!(SweepSpec::parse("nope").is_err());
    }

    #[test]
    fn sets_fields_by_path_and_validates() {
        let base = Scenario::default();
        let (s, integer) = with_value(&base, "servers.workers", 9.0).unwrap();
        assert!(integer);
        assert_eq!(s.servers.workers, 9);
        let (s, _) = with_value(&base, "traffic.arrivals.rate", 750.5).unwrap();
        assert!(
            matches!(s.traffic.arrivals, crate::traffic::Arrivals::OpenLoop { rate, .. } if rate == 750.5)
        );
        assert_eq!(
            with_value(&base, "servers.nope", 1.0).unwrap_err().path,
            "servers.nope"
        );
        assert_eq!(
            with_value(&base, "servers.workers", 0.0).unwrap_err().path,
            "servers.workers"
        );
        assert!(with_value(&base, "balancer", 1.0).is_err());
    }

    #[test]
    fn a_sweep_over_workers_shows_latency_falling() {
        let mut base = Scenario::default();
        base.traffic.arrivals = crate::traffic::Arrivals::OpenLoop {
            rate: 500.0,
            schedule: vec![],
        };
        let spec = SweepSpec::parse("servers.workers=2..6:3").unwrap();
        let rows = run(&base, &spec, Length::Duration(20.0)).unwrap();
        assert_eq!(
            rows.iter().map(|r| r.0).collect::<Vec<_>>(),
            [2.0, 4.0, 6.0]
        );
        assert!(rows[0].1.latency.p99 > rows[2].1.latency.p99);
    }
}
