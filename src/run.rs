//! The run: the simulation the page shows (B), and while comparing, run A beside it,
//! advanced in step. Each animation frame advances them by wall time × speed (or a
//! fast-forward slice) within a wall-clock budget, so no frame freezes.
//!
//! No web call in here: the clock is a parameter, so the budget's logic is tested
//! natively with a fake clock (`run/tests.rs`).

use crate::panels::{Comparison, FastForwardResult, TimeState};
use loadlab_sim::metrics::TotalsMark;
use loadlab_sim::{compare, Change, Scenario, ScenarioError, Simulation};
use std::collections::VecDeque;

/// Wall-clock time after which one frame's simulated advance is capped: a tab that
/// was hidden for a minute resumes smoothly instead of computing a minute at once.
const MAX_FRAME_SECONDS: f64 = 0.1;
/// Wall-clock milliseconds the simulation may use per frame, so a frame never freezes.
pub const FRAME_BUDGET_MS: f64 = 8.0;
/// Work (events handled plus chart windows closed) between two looks at the clock.
const WORK_PER_SLICE: u64 = 4_000;
/// Frames whose work time is kept for the frame-time figure.
const FRAME_SAMPLES: usize = 600;
/// Simulated seconds one press of Step advances.
pub const STEP_SECONDS: f64 = 0.1;

/// What the time controls ask of the run.
#[derive(Debug, Clone, PartialEq)]
pub enum RunMsg {
    /// Play or pause.
    TogglePlay,
    /// Advance a little while paused.
    Step,
    /// New speed.
    Speed(f64),
    /// Fast-forward this many requests.
    FastForward(u64),
    /// Stop the fast-forward.
    CancelFastForward,
    /// Put away the last fast-forward's result.
    DismissResult,
    /// Run to the end at once (a challenge's script).
    Finish,
}

/// A fast-forward in progress: arrivals counted from `from` up to `target`, and the
/// totals when it started, to measure its result from.
struct FastForward {
    from: u64,
    target: u64,
    mark: TotalsMark,
}

/// The running simulation (B), and A while comparing.
pub struct Run {
    sim: Simulation,
    /// While comparing, run A: the settings as they were when the comparison started,
    /// advanced in step with the main run (B), which the controls change.
    baseline: Option<Simulation>,
    /// A beside B, refreshed with the headline while comparing.
    comparison: Option<Comparison>,
    playing: bool,
    speed: f64,
    fast_forward: Option<FastForward>,
    /// What the last fast-forward measured, until put away or the run is replaced.
    fast_forward_result: Option<FastForwardResult>,
    /// The last frame could not reach the asked time, or A could not keep up with B.
    behind: bool,
    last_frame_ms: Option<f64>,
    /// Wall-clock milliseconds each recent frame's work took (a ring).
    frame_work_ms: VecDeque<f64>,
    /// Where the run stops (a challenge's script ends there): it pauses on reaching
    /// it, and nothing takes it further.
    end: Option<f64>,
    /// Running to the end as fast as the frames allow.
    finishing: bool,
}

impl Run {
    /// Runs `sim`, playing at real time.
    pub fn new(mut sim: Simulation) -> Self {
        // The stage draws where each request is: the run keeps it from its start.
        sim.watch();
        Self {
            sim,
            baseline: None,
            comparison: None,
            playing: true,
            speed: 1.0,
            fast_forward: None,
            fast_forward_result: None,
            behind: false,
            last_frame_ms: None,
            frame_work_ms: VecDeque::with_capacity(FRAME_SAMPLES),
            end: None,
            finishing: false,
        }
    }

    /// Stops the run at `end` from now on (`None`: it runs on).
    pub fn set_end(&mut self, end: Option<f64>) {
        self.end = end;
        self.finishing = false;
    }

    /// Where the run stops, if it has an end.
    pub fn end(&self) -> Option<f64> {
        self.end
    }

    /// Whether the run has an end and reached it.
    pub fn ended(&self) -> bool {
        self.end.is_some_and(|end| self.sim.now() >= end)
    }

    /// The run shown (B while comparing).
    pub fn sim(&self) -> &Simulation {
        &self.sim
    }

    /// The run shown, to tune its tracing.
    pub fn sim_mut(&mut self) -> &mut Simulation {
        &mut self.sim
    }

    /// Run A, while comparing.
    pub fn baseline(&self) -> Option<&Simulation> {
        self.baseline.as_ref()
    }

    /// A beside B, while comparing.
    pub fn comparison(&self) -> Option<&Comparison> {
        self.comparison.as_ref()
    }

    /// Replaces the run with `sim` from its start; a comparison ends.
    pub fn replace(&mut self, sim: Simulation) {
        self.baseline = None;
        self.comparison = None;
        self.start(sim);
    }

    /// Starts A and B from time zero, or says why B cannot run and changes nothing.
    pub fn compare(&mut self, a: Scenario, b: Scenario) -> Result<(), ScenarioError> {
        let b = Simulation::new(b)?;
        self.baseline = Some(Simulation::new(a)?);
        self.start(b);
        self.comparison = self.compare_now();
        Ok(())
    }

    /// Stops comparing, keeping B as the run.
    pub fn stop_compare(&mut self) {
        self.baseline = None;
        self.comparison = None;
    }

    /// Applies `change` to B, live.
    pub fn apply(&mut self, change: Change) -> Result<(), ScenarioError> {
        self.sim.apply(change)?;
        // An action (a spike) can change B's settings: what B changes, anew.
        self.comparison = self.compare_now();
        Ok(())
    }

    fn start(&mut self, mut sim: Simulation) {
        sim.watch();
        self.sim = sim;
        self.fast_forward = None;
        self.fast_forward_result = None;
        self.end = None;
        self.finishing = false;
    }

    /// Plays or pauses.
    pub fn set_playing(&mut self, playing: bool) {
        self.playing = playing;
    }

    /// A and B side by side, while comparing: the figures and what B's settings change.
    /// Found when both runs start and after an action on B; between those, only the
    /// figures move ([`Run::refresh_comparison_rows`]).
    fn compare_now(&self) -> Option<Comparison> {
        let a = self.baseline.as_ref()?;
        Some(Comparison {
            rows: compare::rows(a, &self.sim),
            differences: compare::differences(a.scenario(), self.sim.scenario()),
        })
    }

    /// The comparison's figures as they stand now; whether they changed.
    pub fn refresh_comparison_rows(&mut self) -> bool {
        let (Some(a), Some(c)) = (&self.baseline, &mut self.comparison) else {
            return false;
        };
        let rows = compare::rows(a, &self.sim);
        let changed = rows != c.rows;
        c.rows = rows;
        changed
    }

    /// Carries out what the time controls ask.
    pub fn update(&mut self, msg: RunMsg) {
        match msg {
            RunMsg::TogglePlay => self.playing = !self.playing,
            RunMsg::Step => {
                self.playing = false;
                let until = self.limit(self.sim.now() + STEP_SECONDS);
                self.sim.run_until(until);
                if let Some(a) = &mut self.baseline {
                    a.run_until(until);
                }
            }
            RunMsg::Speed(speed) => self.speed = speed.clamp(0.1, 1000.0),
            // A run with an end goes there: a count of requests would pass it.
            RunMsg::FastForward(_) | RunMsg::Finish if self.end.is_some() => {
                self.finishing = true;
            }
            RunMsg::Finish => {}
            RunMsg::FastForward(requests) => {
                let from = self.sim.metrics().arrivals();
                self.fast_forward_result = None;
                self.fast_forward = Some(FastForward {
                    from,
                    target: from + requests,
                    mark: self.sim.metrics().mark(self.sim.now()),
                });
            }
            RunMsg::CancelFastForward => self.end_fast_forward(true),
            RunMsg::DismissResult => self.fast_forward_result = None,
        }
    }

    /// Ends the fast-forward (if one runs), keeping what it measured.
    fn end_fast_forward(&mut self, cancelled: bool) {
        if let Some(ff) = self.fast_forward.take() {
            let metrics = self.sim.metrics();
            self.fast_forward_result = Some(FastForwardResult {
                span: metrics.since(&ff.mark, self.sim.now()),
                cancelled,
            });
        }
    }

    /// Advances the run for the frame at `now_ms`: a fast-forward slice, or wall time ×
    /// speed; never more than [`FRAME_BUDGET_MS`] of wall-clock time as `clock` (in
    /// milliseconds) tells it.
    pub fn advance(&mut self, now_ms: f64, clock: &mut dyn FnMut() -> f64) {
        let wall = self.last_frame_ms.map_or(0.0, |last| {
            ((now_ms - last) / 1e3).clamp(0.0, MAX_FRAME_SECONDS)
        });
        self.last_frame_ms = Some(now_ms);
        let deadline = clock() + FRAME_BUDGET_MS;
        if self.finishing {
            self.finish(deadline, clock);
            return;
        }
        if let Some(ff) = &self.fast_forward {
            let target = ff.target;
            self.fast_forward_to(target, deadline, clock);
            return;
        }
        if !self.playing {
            self.catch_up(deadline, clock);
            self.behind = false;
            return;
        }
        let target = self.limit(self.sim.now() + wall * self.speed);
        let mut reached = false;
        while !reached && clock() < deadline {
            reached = self.sim.run_until_budget(target, WORK_PER_SLICE);
            self.catch_up(deadline, clock);
        }
        if self.ended() {
            self.playing = false;
        }
        let a_behind = self
            .baseline
            .as_ref()
            .is_some_and(|a| a.now() < self.sim.now());
        self.behind = !reached || a_behind;
    }

    /// Runs arrivals towards `target` until `deadline`; ends the fast-forward when it
    /// is reached or nothing can arrive any more (a zero rate, no users).
    fn fast_forward_to(&mut self, target: u64, deadline: f64, clock: &mut dyn FnMut() -> f64) {
        while self.sim.metrics().arrivals() < target
            && self.sim.arrivals_possible()
            && clock() < deadline
        {
            let left = target - self.sim.metrics().arrivals();
            self.sim.run_arrivals_budget(left, WORK_PER_SLICE);
            self.catch_up(deadline, clock);
        }
        if self.sim.metrics().arrivals() >= target || !self.sim.arrivals_possible() {
            self.end_fast_forward(false);
        }
    }

    /// `time`, or the run's end if that comes first.
    fn limit(&self, time: f64) -> f64 {
        self.end.map_or(time, |end| time.min(end))
    }

    /// Runs towards the end until `deadline`; pauses there.
    fn finish(&mut self, deadline: f64, clock: &mut dyn FnMut() -> f64) {
        let end = self.limit(f64::INFINITY);
        while !self.sim.run_until_budget(end, WORK_PER_SLICE) {
            if clock() >= deadline {
                return;
            }
        }
        self.finishing = false;
        self.playing = false;
    }

    /// Advances A to B's time, within the frame's `deadline`.
    fn catch_up(&mut self, deadline: f64, clock: &mut dyn FnMut() -> f64) {
        let now = self.sim.now();
        if let Some(a) = &mut self.baseline {
            while !a.run_until_budget(now, WORK_PER_SLICE) && clock() < deadline {}
        }
    }

    /// What the time controls show.
    pub fn time_state(&self) -> TimeState {
        TimeState {
            playing: self.playing,
            speed: self.speed,
            fast_forward: self.fast_forward_progress().or(self.finishing.then(|| {
                self.end
                    .map_or(0.0, |end| self.sim.now() / end.max(f64::MIN_POSITIVE))
            })),
            result: self.fast_forward_result.clone(),
            behind: self.behind,
        }
    }

    /// Whether time flows at the chosen speed (playing, no fast-forward): then the
    /// request dots move.
    pub fn flowing(&self) -> bool {
        self.playing && self.fast_forward.is_none()
    }

    /// Simulated seconds per wall-clock second.
    pub fn speed(&self) -> f64 {
        self.speed
    }

    /// Fast-forward progress from 0 to 1, while one runs.
    pub fn fast_forward_progress(&self) -> Option<f64> {
        self.fast_forward.as_ref().map(|ff| {
            let done = self.sim.metrics().arrivals().saturating_sub(ff.from);
            done as f64 / (ff.target - ff.from).max(1) as f64
        })
    }

    /// Keeps how long a frame's work took, in milliseconds.
    pub fn record_frame_work(&mut self, ms: f64) {
        if self.frame_work_ms.len() == FRAME_SAMPLES {
            self.frame_work_ms.pop_front();
        }
        self.frame_work_ms.push_back(ms);
    }

    /// The 95th percentile of recent frames' work, in milliseconds: published on the
    /// page (`data-frame-p95`) for the frame-time benchmark.
    pub fn frame_work_p95(&self) -> f64 {
        let mut sorted: Vec<f64> = self.frame_work_ms.iter().copied().collect();
        sorted.sort_unstable_by(f64::total_cmp);
        sorted.get(sorted.len() * 95 / 100).copied().unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests;
