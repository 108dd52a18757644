//! Running a curve's settings: its values, and where the running system is on it.

use crate::curve::CurveSpec;
use crate::scenario::Scenario;
use crate::sweep::{is_integer, value_at, with_value, SweepSpec};
use crate::validate::ScenarioError;

impl CurveSpec {
    /// The values swept, in order.
    pub fn values(&self, scenario: &Scenario) -> Vec<f64> {
        let integer = is_integer(scenario, &self.setting).unwrap_or(false);
        SweepSpec {
            path: self.setting.clone(),
            from: self.from,
            to: self.to,
            steps: self.points,
        }
        .values(integer)
    }

    /// The setting's value in `scenario`: where the running system is on the curve.
    pub fn current(&self, scenario: &Scenario) -> Option<f64> {
        value_at(scenario, &self.setting)
    }

    /// Checks what the scenario alone cannot: that both ends of the range give a valid
    /// scenario (a curve of workers from 0 does not), and says which end does not.
    pub fn check_ends(&self, scenario: &Scenario) -> Result<(), ScenarioError> {
        let mut plain = scenario.clone();
        plain.curve = None;
        for end in [self.from, self.to] {
            with_value(&plain, &self.setting, end)?;
        }
        Ok(())
    }
}
