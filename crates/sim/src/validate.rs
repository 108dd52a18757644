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

/// Where a field is in the document (`servers.weights[2]`), made into text only when a
/// value is refused: checking a valid scenario, as every live change does, allocates
/// nothing. Small on purpose (a parent, a name, an index): every check builds one.
#[derive(Debug, Clone, Copy)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    /// A field's name; a note (which follows a space) starts with `(`; empty for an entry.
    name: &'a str,
    /// The entry's index, for an entry of a list.
    index: u32,
}

impl<'a> Path<'a> {
    /// A path from the document's top, like `traffic`.
    pub const fn root(name: &'a str) -> Self {
        Self {
            parent: None,
            name,
            index: 0,
        }
    }

    /// The field `name` under this one.
    pub fn field(&'a self, name: &'a str) -> Path<'a> {
        Path {
            parent: Some(self),
            name,
            index: 0,
        }
    }

    /// Entry `index` of the list at this path.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path {
            parent: Some(self),
            name: "",
            index: index as u32,
        }
    }

    /// This path with a note on what of it is meant, like `traffic.arrivals.schedule
    /// (entries)`: the count, not an entry. The note is in brackets.
    pub fn note(&'a self, note: &'a str) -> Path<'a> {
        debug_assert!(note.starts_with('('));
        self.field(note)
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(parent) = self.parent else {
            return f.write_str(self.name);
        };
        match self.name {
            "" => write!(f, "{parent}[{}]", self.index),
            note if note.starts_with('(') => write!(f, "{parent} {note}"),
            name => write!(f, "{parent}.{name}"),
        }
    }
}

impl From<Path<'_>> for String {
    fn from(path: Path<'_>) -> String {
        path.to_string()
    }
}

/// Rejects NaN, infinities, zero and negatives.
pub fn positive(path: Path, value: f64) -> Result<(), ScenarioError> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(ScenarioError::new(path, Problem::Positive { got: value }))
    }
}

/// Rejects NaN, infinities and negatives.
pub fn non_negative(path: Path, value: f64) -> Result<(), ScenarioError> {
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
pub fn fraction(path: Path, value: f64) -> Result<(), ScenarioError> {
    if (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(ScenarioError::new(path, Problem::Fraction { got: value }))
    }
}

/// Rejects values outside `min..=max`.
pub fn in_range<T: PartialOrd + fmt::Display + Copy>(
    path: Path,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_reads_as_the_document_names_it() {
        let servers = Path::root("servers");
        let weights = servers.field("weights");
        assert_eq!(weights.index(2).to_string(), "servers.weights[2]");
        let traffic = Path::root("traffic");
        let arrivals = traffic.field("arrivals");
        let schedule = arrivals.field("schedule");
        assert_eq!(
            schedule.index(0).note("(its end)").to_string(),
            "traffic.arrivals.schedule[0] (its end)"
        );
        assert_eq!(
            in_range(weights.index(1), 7, 0, 5).unwrap_err().path,
            "servers.weights[1]"
        );
    }
}
