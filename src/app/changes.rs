//! What the control groups ask of the run: a change (live, or restarting both runs
//! while comparing), a new run from a lesson or a file, and sharing and keeping.

use super::toast::Confirm;
use super::{App, FromTraining, Msg};
use crate::i18n::{error_text, fill, Strings};
use crate::ids::PanelId;
use crate::keep;
use crate::view::headline::Headline;
use loadlab_sim::{Change, Scenario, ScenarioError, Simulation};
use std::rc::Rc;
use yew::Context;

/// Why a group's last request was refused: kept as what happened, so it reads in the
/// language in force.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// The core refused a change.
    Refused(ScenarioError),
    /// An imported file is not a scenario the core accepts.
    NotAScenario(ScenarioError),
    /// A file could not be read (the message was made when it happened).
    File(String),
    /// A challenge is playing or played: its settings stay as they were at Play.
    Locked,
}

impl Fault {
    /// The fault in the words of `t`.
    pub fn text(&self, t: &'static Strings) -> String {
        match self {
            Fault::Refused(e) => error_text(t, e),
            Fault::NotAScenario(e) => fill(t.import_refused, &[("why", &error_text(t, e))]),
            Fault::File(message) => message.clone(),
            Fault::Locked => t.ch_locked.to_string(),
        }
    }
}

/// What the Share group asks.
pub enum ShareMsg {
    /// Make a link to the scenario and copy it.
    CopyLink,
    /// The link, made (the browser deflates it asynchronously): copy and show it.
    LinkReady(String),
    /// Download the scenario as JSON.
    Export,
    /// A scenario file's text (or why it could not be read).
    Import(Result<String, String>),
    /// Download the window series as CSV.
    ExportCsv,
    /// Download the charts as one PNG.
    ExportPng,
}

/// What the Lessons group asks.
pub enum LessonMsg {
    /// Start lesson `id` from its preset.
    Load(String),
    /// Make the current lesson's change.
    Try,
    /// Show the current lesson's explanation.
    Reveal,
    /// Mark the current lesson done or not.
    Done(bool),
    /// Start the current lesson again.
    Reset,
    /// Leave the lesson for the learner's own scenario, as it was.
    Mine,
}

impl App {
    /// Applies a change to the run; while comparing, a new setting for B starts A and B
    /// again from time zero (the same arrivals, differing only in the settings), and an
    /// action (kill, spike) happens to B alone, live.
    pub(super) fn apply(&mut self, group: PanelId, change: Change) -> bool {
        if self.locked() {
            self.error = Some((group, Fault::Locked));
            return true;
        }
        if let (Some(a), Change::Scenario(next)) = (self.run.baseline(), &change) {
            let a = a.scenario().clone();
            let b = (**next).clone();
            return self.compare(a, b, group);
        }
        match self.run.apply(change) {
            Ok(()) => {
                self.scenario = Rc::new(self.run.sim().scenario().clone());
                self.headline = Headline::of(self.run.sim());
                self.error = None;
                self.stage.refresh();
                if !self.in_challenge {
                    keep::save(self.run.sim().scenario(), self.lesson);
                }
            }
            Err(e) => self.error = Some((group, Fault::Refused(e))),
        }
        true
    }

    /// Starts comparing `a` with `b` from time zero, or says why not in `group`.
    pub(super) fn compare(&mut self, a: Scenario, b: Scenario, group: PanelId) -> bool {
        match self.run.compare(a, b) {
            Ok(()) => {
                self.started();
                self.error = None;
            }
            Err(e) => self.error = Some((group, Fault::Refused(e))),
        }
        true
    }

    /// Starts a new run of `scenario`, or shows why not in the Share group and keeps the
    /// run. A lesson or an imported file ends a comparison.
    fn replace_run(&mut self, scenario: Result<Scenario, Fault>) -> bool {
        match scenario.and_then(|s| Simulation::new(s).map_err(Fault::Refused)) {
            Ok(sim) => {
                self.run.replace(sim);
                self.started();
                self.error = None;
            }
            Err(why) => self.error = Some((PanelId::Share, why)),
        }
        true
    }

    /// Whether the settings are held: a challenge was played with them.
    pub(super) fn locked(&self) -> bool {
        self.in_challenge && self.run.end().is_some()
    }

    /// What the Training view asks: a challenge's run on the stage (its start to set
    /// up, or the learner's settings played with its script to its end), the rest of
    /// the script at once, or the learner's own scenario again.
    pub(super) fn challenge(&mut self, msg: FromTraining) -> bool {
        match msg {
            FromTraining::Ready => self.training_sent = None,
            FromTraining::Run(run) => match Simulation::new(*run.scenario) {
                Ok(mut sim) => {
                    self.set_mine_aside();
                    self.lesson = None;
                    for (at, change) in run.script {
                        sim.schedule(at, change);
                    }
                    self.run.replace(sim);
                    self.run.set_end(run.seconds);
                    self.run.set_playing(run.seconds.is_some());
                    self.in_challenge = true;
                    self.scenario = Rc::new(self.run.sim().scenario().clone());
                    self.headline = Headline::of(self.run.sim());
                    self.stage.restart();
                    self.error = None;
                }
                Err(e) => self.error = Some((PanelId::Share, Fault::Refused(e))),
            },
            FromTraining::Finish => self.run.update(crate::run::RunMsg::Finish),
            FromTraining::Leave => {
                let mine = self.mine.take().unwrap_or_default();
                keep::save_mine(None);
                self.replace_run(Ok(mine));
            }
            FromTraining::Lesson(id) => return self.lesson(LessonMsg::Load(id)),
            FromTraining::Load(scenario) => {
                self.set_mine_aside();
                keep::save_mine(self.mine.as_ref());
                self.lesson = None;
                self.replace_run(Ok(*scenario));
            }
            FromTraining::Change(change) => return self.apply(PanelId::Share, change),
        }
        true
    }

    /// The learner's own scenario waits aside, to come back to, when the stage leaves it
    /// for a challenge or a workshop's lesson (not when it leaves one of those).
    fn set_mine_aside(&mut self) {
        if !self.in_challenge && self.lesson.is_none() && self.mine.is_none() {
            self.mine = Some(self.run.sim().scenario().clone());
        }
    }

    /// Shows a run that just started from its beginning, and keeps its scenario.
    fn started(&mut self) {
        self.in_challenge = false;
        self.scenario = Rc::new(self.run.sim().scenario().clone());
        self.headline = Headline::of(self.run.sim());
        self.stage.restart();
        keep::save(self.run.sim().scenario(), self.lesson);
    }

    /// Share and keep: links, files in and out.
    pub(super) fn share(&mut self, ctx: &Context<Self>, msg: ShareMsg) -> bool {
        let scenario = self.run.sim().scenario();
        match msg {
            ShareMsg::CopyLink => {
                let ready = ctx
                    .link()
                    .callback(|link| Msg::Share(ShareMsg::LinkReady(link)));
                let (scenario, lesson) = (scenario.clone(), self.lesson);
                wasm_bindgen_futures::spawn_local(async move {
                    if let Some(link) = keep::link(scenario, lesson).await {
                        ready.emit(link);
                    }
                });
                false
            }
            ShareMsg::LinkReady(link) => {
                keep::copy(&link);
                self.share_link = Some(link);
                self.confirm(ctx, Confirm::LinkCopied);
                true
            }
            ShareMsg::Export => {
                let json = keep::scenario_json(scenario);
                keep::download_text("loadlab-scenario.json", "application/json", &json);
                false
            }
            ShareMsg::Import(text) => {
                let imported = self.import(text);
                if self.error.is_none() {
                    self.confirm(ctx, Confirm::Imported);
                }
                imported
            }
            ShareMsg::ExportCsv => {
                keep::download_text("loadlab-timeseries.csv", "text/csv", &self.csv());
                false
            }
            ShareMsg::ExportPng => {
                let t = self.chrome.lang().strings();
                let lesson = self
                    .lesson
                    .and_then(|id| crate::lesson_text::title(id, self.chrome.lang()));
                let header =
                    crate::view::export::header(t, self.run.sim(), lesson, &keep::now_utc());
                if let Some(png) = keep::charts_png(&self.stage.chart_canvases(), 4, &header) {
                    keep::download_url("loadlab-charts.png", &png);
                }
                false
            }
        }
    }

    /// Replaces the run with an imported scenario, or says why the file is refused and
    /// keeps the current one. An imported scenario leaves the lesson and becomes the
    /// learner's own.
    fn import(&mut self, text: Result<String, String>) -> bool {
        let scenario = text
            .map_err(Fault::File)
            .and_then(|t| Scenario::from_json(&t).map_err(Fault::NotAScenario));
        if scenario.is_ok() {
            self.lesson = None;
            self.mine = None;
            keep::save_mine(None);
        }
        self.replace_run(scenario)
    }

    /// The closed windows as CSV (the format of `loadlab run --timeseries`).
    fn csv(&self) -> String {
        use loadlab_sim::timeseries;
        let sim = self.run.sim();
        let servers = sim.servers().len() as u32;
        let mut out = timeseries::header(servers);
        for w in sim.metrics().windows() {
            out.push('\n');
            out.push_str(&timeseries::row(w, servers));
        }
        out.push('\n');
        out
    }

    /// The lessons: start one, make its change, reveal, mark done, start again.
    pub(super) fn lesson(&mut self, msg: LessonMsg) -> bool {
        let current = self.lesson.and_then(loadlab_sim::lessons::by_id);
        match msg {
            LessonMsg::Load(id) => {
                if let Some(lesson) = loadlab_sim::lessons::by_id(&id) {
                    // The learner's own scenario waits aside, to come back to.
                    if self.lesson.is_none() {
                        self.mine = Some(self.run.sim().scenario().clone());
                        keep::save_mine(self.mine.as_ref());
                    }
                    let before = self.lesson.replace(lesson.id);
                    self.revealed = false;
                    // Already waiting, the lesson to go back to is the one before that.
                    let back_to = self.waiting_lesson.unwrap_or(before);
                    self.start_lesson();
                    if self.waiting_lesson.is_some() {
                        self.waiting_lesson = Some(back_to);
                    }
                }
                true
            }
            LessonMsg::Mine => {
                if let Some(mine) = self.mine.take() {
                    keep::save_mine(None);
                    self.lesson = None;
                    self.waiting_lesson = None;
                    self.replace_run(Ok(mine));
                }
                true
            }
            LessonMsg::Try => {
                let model = current.and_then(|l| crate::lesson_text::lesson(l.id));
                model.is_some_and(|model| match model.try_it(self.run.sim().scenario()) {
                    Ok(change) => self.apply(PanelId::Share, change),
                    Err(e) => {
                        self.error = Some((PanelId::Share, Fault::Refused(e)));
                        true
                    }
                })
            }
            LessonMsg::Reveal => {
                self.revealed = true;
                true
            }
            LessonMsg::Done(done) => {
                if let Some(lesson) = current {
                    if done {
                        self.lessons_done.insert(lesson.id.to_string());
                    } else {
                        self.lessons_done.remove(lesson.id);
                    }
                    keep::save_lessons_done(&self.lessons_done);
                }
                true
            }
            LessonMsg::Reset => {
                self.start_lesson();
                true
            }
        }
    }

    /// Starts the lesson in progress from its preset, or waits for the course (fetched
    /// with the lessons' words when a lesson is first shown) and starts it on arrival.
    pub(super) fn start_lesson(&mut self) {
        let Some(id) = self.lesson else {
            return;
        };
        match crate::lesson_text::lesson(id) {
            Some(model) => {
                self.waiting_lesson = None;
                self.replace_run(model.preset().map_err(Fault::Refused));
            }
            // Reset while waiting: back to this very lesson, whose scenario runs.
            None => self.waiting_lesson = Some(self.waiting_lesson.unwrap_or(Some(id))),
        }
    }

    /// The course and the lessons' words did not come: the lesson waiting for them is
    /// given up and the one before it, still running, is in progress again; if there was
    /// none, the learner's own scenario runs and is theirs again.
    pub(super) fn lessons_unavailable(&mut self) {
        if let Some(before) = self.waiting_lesson.take() {
            self.lesson = before;
            if before.is_none() {
                self.mine = None;
                keep::save_mine(None);
            }
        }
        self.lesson_words_asked = false;
    }
}
