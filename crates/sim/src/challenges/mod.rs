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

mod link;
mod score;

pub use link::{read_result, result_fragment, MAX_RESULT_CHARS};
pub use score::{reason_name, Debrief, Missed, Score, Verdicts};

use crate::engine::Change;
use crate::lessons::{patched, wrong};
use crate::problem::Problem;
use crate::scenario::Scenario;
use crate::validate::ScenarioError;
use crate::Simulation;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::OnceLock;

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
    /// Its words by language code (`en`, `zh-CN`): what the page shows.
    #[serde(default)]
    pub text: BTreeMap<String, Words>,
}

/// A challenge's words in one language.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    /// A few words: "The first spike".
    pub title: String,
    /// The story: the system, what will happen to it, what to do.
    pub brief: String,
}

/// One entry of a script: at `at` seconds, exactly one of the rest.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scripted {
    /// When, in simulated seconds.
    pub at: f64,
    /// Kill the server at this index (nothing if there is none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kill_server: Option<u32>,
    /// Restart the server at this index (nothing if it is not dead).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revive_server: Option<u32>,
    /// The database fails every query (`false`) or is back (`true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<bool>,
    /// A merge patch of the running scenario.
    #[serde(skip_serializing_if = "Option::is_none")]
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

    /// The challenges that ship, read and checked once (checking plays nothing, but
    /// patches every start and answer: not work for each look-up of an id).
    pub fn built_in() -> &'static Self {
        static BUILT_IN_SET: OnceLock<Challenges> = OnceLock::new();
        BUILT_IN_SET
            .get_or_init(|| Self::from_json(BUILT_IN).expect("the built-in challenges are valid"))
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
        if let Some(locked) = leaf_paths(settings)
            .iter()
            .find(|path| !self.may_change(path))
        {
            return Err(ScenarioError::new(locked.as_str(), Problem::Locked));
        }
        patched(&self.start()?, settings)
    }

    /// Its words in the language `code`, else in English, else in any it has.
    pub fn words(&self, code: &str) -> Option<&Words> {
        self.text
            .get(code)
            .or_else(|| self.text.get("en"))
            .or_else(|| self.text.values().next())
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

    /// The run of the learner's `settings`, at its start, with the script scheduled:
    /// run it to [`Challenge::seconds`] (in one go or in slices, as the page does) and
    /// score it with [`Challenge::score`].
    pub fn begin(&self, settings: &Value) -> Result<Simulation, ScenarioError> {
        let mut sim = Simulation::new(self.scenario(settings)?)?;
        for entry in &self.script {
            sim.schedule(entry.at, entry.change());
        }
        Ok(sim)
    }

    /// Plays the script to its end with the learner's `settings` and scores the run.
    pub fn play(&self, settings: &Value) -> Result<Score, ScenarioError> {
        let mut sim = self.begin(settings)?;
        sim.run_until(self.seconds);
        Ok(self.score(&sim))
    }

    /// The score of a run begun by [`Challenge::begin`] and played to its end.
    pub fn score(&self, sim: &Simulation) -> Score {
        score::score(sim, &self.goal)
    }
}

impl Scripted {
    /// What happens, as a live change. A patch is merged into the scenario as it stands
    /// when its time comes, so an earlier entry's patch is kept.
    pub fn change(&self) -> Change {
        if let Some(index) = self.kill_server {
            Change::KillServer(index)
        } else if let Some(index) = self.revive_server {
            Change::ReviveServer(index)
        } else if let Some(up) = self.database {
            if up {
                Change::ReviveDatabase
            } else {
                Change::KillDatabase
            }
        } else {
            // `check` let through only entries with exactly one thing to happen.
            Change::Patch(Box::new(self.patch.clone().unwrap_or(Value::Null)))
        }
    }
}

/// Every built-in challenge's scored runs, its start and its answer, one line each
/// (`id start {score as JSON}`): what the golden file pins natively and the wasm test
/// compares in Chromium, so a challenge scores the same in the CLI and on the page.
pub fn reference_scores() -> String {
    let mut lines = String::new();
    for c in &Challenges::built_in().challenges {
        for (name, settings) in [
            ("start", Value::Object(Default::default())),
            ("answer", c.answer.clone()),
        ] {
            let score = c.play(&settings).expect("a built-in challenge plays");
            let json = serde_json::to_string(&score).expect("a score serialises");
            lines.push_str(&format!("{} {name} {json}\n", c.id));
        }
    }
    lines
}

/// A script entry read from its JSON (`{"at": 20, "kill_server": 1}`, as the file writes
/// it): when, and what happens. The page reads a challenge's script this way, from the
/// Challenges view that checked it, without the file's decoder (its download).
pub fn scripted(entry: &Value) -> Option<(f64, Change)> {
    let at = entry.get("at")?.as_f64()?;
    let index = |key: &str| entry.get(key)?.as_u64().map(|i| i as u32);
    let change = if let Some(i) = index("kill_server") {
        Change::KillServer(i)
    } else if let Some(i) = index("revive_server") {
        Change::ReviveServer(i)
    } else if let Some(up) = entry.get("database").and_then(Value::as_bool) {
        if up {
            Change::ReviveDatabase
        } else {
            Change::KillDatabase
        }
    } else {
        Change::Patch(Box::new(entry.get("patch")?.clone()))
    };
    Some((at, change))
}

/// Every path in a merge patch that sets something (holds anything but a non-empty
/// object): `{"servers": {"count": 3}}` sets `servers.count`.
pub fn leaf_paths(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    leaves(value, String::new(), &mut out);
    out
}

fn leaves(value: &Value, path: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, inner) in map {
                let inner_path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                leaves(inner, inner_path, out);
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
