//! Where a scenario is wrong, and the small checks every section's `validate` is made of.
//!
//! A leaf of the core: it knows [`Problem`] and nothing else, so every section (traffic,
//! servers, the database, a distribution...) can check itself next to its own type
//! without reaching up to the scenario that holds it.

use crate::problem::Problem;
use std::fmt;

/// A scenario the model cannot take: where, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioError {
    /// The field's path, like `servers.workers`; empty for the document as a whole.
    pub path: String,
    /// What is wrong, as data, so the page can say it in the reader's language;
    /// its `Display` is the English.
    pub problem: Problem,
}

impl ScenarioError {
    /// An error at `path`.
    pub fn new(path: impl Into<String>, problem: Problem) -> Self {
        Self {
            path: path.into(),
            problem,
        }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.problem)
        } else {
            write!(f, "{}: {}", self.path, self.problem)
        }
    }
}

impl std::error::Error for ScenarioError {}

/// Rejects NaN, infinities, zero and negatives.
pub fn positive(path: &str, value: f64) -> Result<(), ScenarioError> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(ScenarioError::new(path, Problem::Positive { got: value }))
    }
}

/// Rejects NaN, infinities and negatives.
pub fn non_negative(path: &str, value: f64) -> Result<(), ScenarioError> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(ScenarioError::new(
            path,
            Problem::NonNegative { got: value },
        ))
    }
}

/// Rejects anything outside 0 to 1.
pub fn fraction(path: &str, value: f64) -> Result<(), ScenarioError> {
    if (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(ScenarioError::new(path, Problem::Fraction { got: value }))
    }
}

/// Rejects values outside `min..=max`.
pub fn in_range<T: PartialOrd + fmt::Display + Copy>(
    path: &str,
    value: T,
    min: T,
    max: T,
) -> Result<(), ScenarioError> {
    if value >= min && value <= max {
        Ok(())
    } else {
        Err(ScenarioError::new(
            path,
            Problem::Range {
                min: min.to_string(),
                max: max.to_string(),
                got: value.to_string(),
            },
        ))
    }
}
