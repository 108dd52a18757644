//! Challenges: a starting scenario, a traffic script the learner may not change, a goal,
//! and the settings the learner may change. The run is the script played to its end,
//! a pure function of the challenge and the learner's settings (same settings, same
//! score, anywhere), scored by `score`.
//!
//! Written as data (`challenges/challenges.json`), in the scenario file's own terms like
//! the lessons: `start` is a merge patch over the default scenario; the learner's
//! settings are a merge patch over `start` that may touch only the paths `may_change`
//! names; the script's entries happen at their time: `kill_server`, `revive_server`,
//! `database` (`false`: it fails, `true`: back), or `patch` (a merge patch of the running
//! scenario, for a hot key appearing or a new traffic shape).

mod score;

pub use score::{Debrief, Missed, Score, Verdicts};

use crate::engine::Change;
use crate::lessons::{patched, wrong};
use crate::problem::Problem;
use crate::scenario::Scenario;
use crate::validate::ScenarioError;
use crate::Simulation;
use serde::Deserialize;
use serde_json::Value;

/// The challenges that ship, in order from easy to hard.
pub const BUILT_IN: &str = include_str!("../../challenges/challenges.json");

/// Longest script: the run keeps every window of it for the debrief.
pub const MAX_SECONDS: f64 = 1_800.0;

/// A set of challenges.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Challenges {
    /// In order from easy to hard.
    pub challenges: Vec<Challenge>,
}

/// One challenge.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Challenge {
    /// Its name in links and files.
    pub id: String,
    /// 1 easy, 2 harder, 3 hard.
    pub level: u8,
    /// What it is about: balancing, pools, caching, database, protection, autoscaling.
    pub area: String,
    /// The starting scenario: a merge patch over the default one.
    pub start: Value,
    /// What happens when, whatever the learner sets.
    #[serde(default)]
    pub script: Vec<Scripted>,
    /// How long the script runs, in simulated seconds.
    pub seconds: f64,
    /// What counts as passing, and the stars.
    pub goal: Goal,
    /// The settings the learner may change, as paths in the scenario (`servers.count`,
    /// `cache`): a path allows everything under it.
    pub may_change: Vec<String>,
    /// A setting that passes (a merge patch over `start`): the proof the challenge can
    /// be won, played by the tests.
    pub answer: Value,
}

/// One entry of a script: at `at` seconds, exactly one of the rest.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scripted {
    /// When, in simulated seconds.
    pub at: f64,
    /// Kill the server at this index (nothing if there is none).
    pub kill_server: Option<u32>,
    /// Restart the server at this index (nothing if it is not dead).
    pub revive_server: Option<u32>,
    /// The database fails every query (`false`) or is back (`true`).
    pub database: Option<bool>,
    /// A merge patch of the running scenario.
    pub patch: Option<Value>,
}

/// What the run must achieve over the whole script. Late answers (after the client's
/// timeout) count as failures.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    /// Most the 99th percentile of latency may be, over the script, in ms.
    pub p99_ms: f64,
    /// Least share of arrivals answered in time.
    pub good_share: f64,
    /// Most the run may cost per hour on average (its bill over its length).
    pub cost_per_hour: f64,
    /// Costs per hour at or below which a pass earns three stars and two stars.
    pub stars: [f64; 2],
}

impl Challenges {
    /// Reads a set of challenges (a BOM at the start is allowed) and checks each.
    pub fn from_json(text: &str) -> Result<Self, ScenarioError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let set: Challenges =
            serde_json::from_str(text).map_err(|e| ScenarioError::new("", Problem::syntax(e)))?;
        for (i, challenge) in set.challenges.iter().enumerate() {
            challenge
                .check()
                .map_err(|e| within(&format!("challenges[{i}]"), e))?;
        }
        Ok(set)
    }

    /// The challenges that ship.
    pub fn built_in() -> Self {
        Self::from_json(BUILT_IN).expect("the built-in challenges are valid")
    }

    /// The challenge called `id`.
    pub fn get(&self, id: &str) -> Option<&Challenge> {
        self.challenges.iter().find(|c| c.id == id)
    }
}

impl Challenge {
    /// Its parts make sense: the start is a valid scenario, the script within the
    /// run and each entry one thing, the goal reachable in principle.
    pub fn check(&self) -> Result<(), ScenarioError> {
        self.start()?;
        if !(self.seconds > 0.0 && self.seconds <= MAX_SECONDS) {
            return Err(wrong("seconds", "a length from 0 to 1800 s"));
        }
        for (i, entry) in self.script.iter().enumerate() {
            let actions = [
                entry.kill_server.is_some(),
                entry.revive_server.is_some(),
                entry.database.is_some(),
                entry.patch.is_some(),
            ];
            let one = actions.iter().filter(|&&a| a).count() == 1;
            if !one || !(0.0..self.seconds).contains(&entry.at) {
                return Err(wrong(
                    &format!("script[{i}]"),
                    "a time within the run and one thing that happens",
                ));
            }
        }
        let g = &self.goal;
        let sane = g.p99_ms > 0.0
            && (0.0..=1.0).contains(&g.good_share)
            && g.cost_per_hour > 0.0
            && g.stars[0] <= g.stars[1]
            && g.stars[1] <= g.cost_per_hour;
        if !sane {
            return Err(wrong(
                "goal",
                "positive limits, a share, stars within the cost",
            ));
        }
        self.scenario(&self.answer).map(|_| ())
    }

    /// The starting scenario.
    pub fn start(&self) -> Result<Scenario, ScenarioError> {
        patched(&Scenario::default(), &self.start).map_err(|e| within("start", e))
    }

    /// The scenario the learner's `settings` (a merge patch over the start) make, if
    /// they change only what the challenge allows.
    pub fn scenario(&self, settings: &Value) -> Result<Scenario, ScenarioError> {
        let mut leaves = Vec::new();
        leaf_paths(settings, String::new(), &mut leaves);
        if let Some(locked) = leaves.iter().find(|path| !self.may_change(path)) {
            return Err(ScenarioError::new(locked.as_str(), Problem::Locked));
        }
        patched(&self.start()?, settings)
    }

    /// Whether the learner may change the setting at `path`.
    pub fn may_change(&self, path: &str) -> bool {
        self.may_change.iter().any(|allowed| {
            path == allowed
                || path
                    .strip_prefix(allowed.as_str())
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    }

    /// Plays the script to its end with the learner's `settings` and scores the run.
    pub fn play(&self, settings: &Value) -> Result<Score, ScenarioError> {
        let mut sim = Simulation::new(self.scenario(settings)?)?;
        let mut script: Vec<&Scripted> = self.script.iter().collect();
        script.sort_by(|a, b| a.at.total_cmp(&b.at));
        for entry in script {
            sim.run_until(entry.at);
            happen(&mut sim, entry);
        }
        sim.run_until(self.seconds);
        Ok(score::score(&sim, &self.goal))
    }
}

/// One scripted entry, on the run as it stands. What cannot happen (a server the
/// learner's settings do not have, a patch the running scenario refuses) does not.
fn happen(sim: &mut Simulation, entry: &Scripted) {
    let change = if let Some(index) = entry.kill_server {
        Change::KillServer(index)
    } else if let Some(index) = entry.revive_server {
        Change::ReviveServer(index)
    } else if let Some(up) = entry.database {
        if up {
            Change::ReviveDatabase
        } else {
            Change::KillDatabase
        }
    } else if let Some(patch) = &entry.patch {
        match patched(sim.scenario(), patch) {
            Ok(next) => Change::Scenario(Box::new(next)),
            Err(_) => return,
        }
    } else {
        return;
    };
    let _ = sim.apply(change);
}

/// Every path in `value` that holds something other than an object.
fn leaf_paths(value: &Value, path: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, inner) in map {
                let inner_path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                leaf_paths(inner, inner_path, out);
            }
        }
        _ if path.is_empty() => {}
        _ => out.push(path),
    }
}

fn within(path: &str, error: ScenarioError) -> ScenarioError {
    let inner = if error.path.is_empty() {
        path.to_string()
    } else {
        format!("{path}.{}", error.path)
    };
    ScenarioError::new(inner.as_str(), error.problem)
}

#[cfg(test)]
mod tests;
