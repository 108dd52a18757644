//! The playground: owns the running simulation, advances it each animation frame within
//! a wall-clock budget, applies the controls' changes, and draws what the core reports.

use crate::i18n::{error_text, fill, mark_text, Lang, Strings};
use crate::ids::{ChartId, PanelId, PRESENTER_HIDDEN};
use crate::keep::{self, Notice};
use crate::panels::{
    BalancerPanel, CachePanel, DatabasePanel, PanelProps, ServerPanel, ServerState, TimePanel,
    TimeState, TrafficPanel,
};
use crate::panels::{
    ComparePanel, Comparison, LessonPanel, ProtectionPanel, SharePanel, TheoryPanel,
};
use crate::view::charts::{self, WINDOWS_SHOWN};
use crate::view::details::details;
use crate::view::dots::{self, Dots};
use crate::view::headline::Headline;
use crate::view::layout::{Layout, Part};
use crate::view::{chart, topology};
use gloo_events::EventListener;
use gloo_render::{request_animation_frame, AnimationFrame};
use loadlab_sim::server::Lifecycle;
use loadlab_sim::{Change, Scenario, ScenarioError, Simulation};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, HtmlElement, KeyboardEvent};
use yew::prelude::*;

/// Wall-clock time after which one frame's simulated advance is capped: a tab that
/// was hidden for a minute resumes smoothly instead of computing a minute at once.
const MAX_FRAME_SECONDS: f64 = 0.1;
/// Wall-clock milliseconds the simulation may use per frame, so a frame never freezes.
const FRAME_BUDGET_MS: f64 = 8.0;
/// Work (events handled plus chart windows closed) between two looks at the clock.
const WORK_PER_SLICE: u64 = 4_000;
/// How often the headline strip re-renders, in milliseconds.
const HEADLINE_PERIOD_MS: f64 = 250.0;
/// How often the charts may redraw, in milliseconds.
const CHART_PERIOD_MS: f64 = 250.0;
/// Frames whose work time is kept for the frame-time figure.
const FRAME_SAMPLES: usize = 600;
/// Simulated seconds one press of Step advances.
const STEP_SECONDS: f64 = 0.1;
/// The root font size the canvases' drawing sizes are designed for.
const BASE_FONT_PX: f64 = 13.0;

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
}

impl Fault {
    fn text(&self, t: &'static Strings) -> String {
        match self {
            Fault::Refused(e) => error_text(t, e),
            Fault::NotAScenario(e) => fill(t.import_refused, &[("why", &error_text(t, e))]),
            Fault::File(message) => message.clone(),
        }
    }
}

/// Messages the playground handles.
pub enum Msg {
    /// An animation frame at this `performance.now()` timestamp, in milliseconds.
    Frame(f64),
    /// A control group edited the scenario.
    Apply(PanelId, Box<Scenario>),
    /// A button asked for an action (kill, revive, spike).
    Act(PanelId, Change),
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
    /// The pointer moved over the topology (canvas pixels), or left it.
    Hover(Option<(f64, f64)>),
    /// Make a link to the scenario and copy it.
    CopyLink,
    /// Download the scenario as JSON.
    Export,
    /// A scenario file's text (or why it could not be read).
    Import(Result<String, String>),
    /// Download the window series as CSV.
    ExportCsv,
    /// Download the charts as one PNG.
    ExportPng,
    /// Hide the notice at the top.
    DismissNotice,
    /// Start lesson `id` from its preset.
    LoadLesson(String),
    /// Make the current lesson's change.
    TryLesson,
    /// Show the current lesson's explanation.
    RevealLesson,
    /// Mark the current lesson done or not.
    LessonDone(bool),
    /// Start the current lesson again.
    ResetLesson,
    /// Presenter mode on or off.
    TogglePresenter,
    /// Speak this language from now on.
    Language(Lang),
    /// Start comparing: A keeps the current settings, the controls change B.
    StartCompare,
    /// Start both compared runs again from time zero.
    RestartCompare,
    /// Stop comparing and keep B as the run.
    StopCompare,
}

struct FastForward {
    from: u64,
    target: u64,
}

/// The playground component.
pub struct App {
    sim: Simulation,
    scenario: Rc<Scenario>,
    playing: bool,
    speed: f64,
    fast_forward: Option<FastForward>,
    behind: bool,
    frame: Option<AnimationFrame>,
    last_frame_ms: Option<f64>,
    last_headline_ms: f64,
    last_chart_ms: f64,
    headline: Headline,
    /// Windows closed when the charts were last drawn.
    charted: Option<(usize, f64)>,
    error: Option<(PanelId, Fault)>,
    dots: Dots,
    trace_every: u64,
    reduced_motion: bool,
    /// Canvas drawing scale: the root font size over [`BASE_FONT_PX`].
    scale: f64,
    hovered: Option<(Part, f64, f64)>,
    /// Wall-clock milliseconds each recent frame's work took (a ring).
    frame_work_ms: std::collections::VecDeque<f64>,
    topology: NodeRef,
    charts: Vec<NodeRef>,
    /// The hover details' box, placed beside the pointer after each render.
    tooltip: NodeRef,
    _keys: Option<EventListener>,
    /// Said at the top of the page: a broken link, an unreadable saved scenario.
    notice: Option<Notice>,
    /// The language the page speaks.
    lang: Lang,
    /// The last link made with "Copy link".
    share_link: Option<String>,
    /// The lesson in progress.
    lesson: Option<&'static str>,
    /// Whether its explanation is shown.
    revealed: bool,
    /// Lessons marked done.
    lessons_done: std::collections::BTreeSet<String>,
    /// Theory beside simulation, refreshed with the headline.
    theory: loadlab_sim::live_theory::LiveTheory,
    /// Presenter mode: large type, the current lesson's controls only.
    presenter: bool,
    /// While comparing, run A: the settings as they were when the comparison started,
    /// advanced in step with the main run (B), which the controls change.
    baseline: Option<Simulation>,
    /// A beside B, refreshed with the headline while comparing.
    comparison: Option<Comparison>,
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(_ctx: &Context<Self>) -> Self {
        let lang = keep::language();
        show_language(lang);
        let start = keep::start();
        let (lessons_done, progress_notice) = keep::lessons_done();
        let (sim, notice) = match Simulation::new(start.scenario) {
            Ok(sim) => (sim, start.notice),
            // Decoding validated it, so this is a bug; still, start rather than go blank.
            Err(e) => (
                Simulation::new(Scenario::default()).expect("the default scenario is valid"),
                Some(Notice::StartFailed(e)),
            ),
        };
        let theory_now = loadlab_sim::live_theory::live(&sim);
        Self {
            headline: Headline::of(&sim),
            scenario: Rc::new(sim.scenario().clone()),
            sim,
            playing: true,
            speed: 1.0,
            fast_forward: None,
            behind: false,
            frame: None,
            last_frame_ms: None,
            last_headline_ms: f64::NEG_INFINITY,
            last_chart_ms: f64::NEG_INFINITY,
            charted: None,
            error: None,
            dots: Dots::default(),
            trace_every: 0,
            reduced_motion: prefers_reduced_motion(),
            scale: 1.0,
            frame_work_ms: std::collections::VecDeque::with_capacity(FRAME_SAMPLES),
            hovered: None,
            topology: NodeRef::default(),
            tooltip: NodeRef::default(),
            charts: ChartId::ALL.iter().map(|_| NodeRef::default()).collect(),
            _keys: None,
            notice: notice.or(progress_notice),
            lang,
            share_link: None,
            lesson: start.lesson,
            revealed: false,
            lessons_done,
            theory: theory_now,
            presenter: false,
            baseline: None,
            comparison: None,
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Self::Message) -> bool {
        match msg {
            Msg::Frame(now_ms) => {
                let started = clock_ms();
                let progress_before = self.fast_forward_progress();
                self.advance(now_ms);
                self.draw(now_ms);
                self.schedule_frame(ctx);
                if progress_before.is_some() && self.fast_forward.is_none() {
                    // A fast-forward just ended: show where it got to at once.
                    self.headline = Headline::of(&self.sim);
                }
                self.record_frame_work(clock_ms() - started);
                self.refresh_headline(now_ms) || self.fast_forward_progress() != progress_before
            }
            Msg::Apply(group, next) => self.apply(group, Change::Scenario(next)),
            Msg::Act(group, change) => self.apply(group, change),
            Msg::TogglePlay => {
                self.playing = !self.playing;
                true
            }
            Msg::Step => {
                self.playing = false;
                let until = self.sim.now() + STEP_SECONDS;
                self.sim.run_until(until);
                if let Some(a) = &mut self.baseline {
                    a.run_until(until);
                }
                self.headline = Headline::of(&self.sim);
                self.refresh_comparison_rows();
                true
            }
            Msg::Speed(speed) => {
                self.speed = speed.clamp(0.1, 1000.0);
                true
            }
            Msg::FastForward(requests) => {
                let from = self.sim.metrics().arrivals();
                self.fast_forward = Some(FastForward {
                    from,
                    target: from + requests,
                });
                true
            }
            Msg::CancelFastForward => {
                self.fast_forward = None;
                true
            }
            Msg::Hover(point) => {
                let before = self.hovered.map(|h| h.0);
                self.hovered = point.and_then(|(x, y)| self.part_at(x, y).map(|part| (part, x, y)));
                self.hovered.is_some() || before.is_some()
            }
            Msg::CopyLink => {
                let link = keep::link(self.sim.scenario(), self.lesson);
                keep::copy(&link);
                self.share_link = Some(link);
                true
            }
            Msg::Export => {
                let json = keep::scenario_json(self.sim.scenario());
                keep::download_text("loadlab-scenario.json", "application/json", &json);
                false
            }
            Msg::Import(text) => self.import(text),
            Msg::ExportCsv => {
                keep::download_text("loadlab-timeseries.csv", "text/csv", &self.csv());
                false
            }
            Msg::ExportPng => {
                let canvases: Vec<HtmlCanvasElement> =
                    self.charts.iter().filter_map(NodeRef::cast).collect();
                if let Some(png) = keep::charts_png(&canvases, 4) {
                    keep::download_url("loadlab-charts.png", &png);
                }
                false
            }
            Msg::DismissNotice => {
                self.notice = None;
                true
            }
            Msg::LoadLesson(id) => {
                if let Some(lesson) = loadlab_sim::lessons::by_id(&id) {
                    self.lesson = Some(lesson.id);
                    self.revealed = false;
                    self.replace_run(Ok((lesson.preset)()), PanelId::Share);
                }
                true
            }
            Msg::ResetLesson => {
                if let Some(lesson) = self.lesson.and_then(loadlab_sim::lessons::by_id) {
                    self.replace_run(Ok((lesson.preset)()), PanelId::Share);
                }
                true
            }
            Msg::TryLesson => match self.lesson.and_then(loadlab_sim::lessons::by_id) {
                Some(lesson) => {
                    let change = (lesson.try_it)(self.sim.scenario());
                    self.apply(PanelId::Share, change)
                }
                None => false,
            },
            Msg::TogglePresenter => {
                self.presenter = !self.presenter;
                set_presenter_class(self.presenter);
                // The canvases follow the new root font size at the next frame.
                self.charted = None;
                true
            }
            Msg::Language(lang) => {
                self.lang = lang;
                keep::save_language(lang);
                show_language(lang);
                // Chart titles and the topology's words are drawn: redraw them now.
                self.charted = None;
                true
            }
            Msg::StartCompare => {
                let scenario = self.sim.scenario().clone();
                self.compare(scenario.clone(), scenario)
            }
            Msg::RestartCompare => match &self.baseline {
                Some(a) => {
                    let a = a.scenario().clone();
                    let b = self.sim.scenario().clone();
                    self.compare(a, b)
                }
                None => false,
            },
            Msg::StopCompare => {
                self.baseline = None;
                self.comparison = None;
                self.charted = None;
                true
            }
            Msg::RevealLesson => {
                self.revealed = true;
                true
            }
            Msg::LessonDone(done) => {
                if let Some(id) = self.lesson {
                    if done {
                        self.lessons_done.insert(id.to_string());
                    } else {
                        self.lessons_done.remove(id);
                    }
                    keep::save_lessons_done(&self.lessons_done);
                }
                true
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let t = self.lang.strings();
        let shown = Shown::of(self.presenter, self.lesson);
        let panel = |group: PanelId| PanelProps {
            lang: self.lang,
            scenario: self.scenario.clone(),
            on_change: link.callback(move |s| Msg::Apply(group, Box::new(s))),
            on_action: link.callback(move |c| Msg::Act(group, c)),
            error: self
                .error
                .as_ref()
                .filter(|(g, _)| *g == group)
                .map(|(_, fault)| fault.text(t).into()),
            hidden: !shown.panel(group),
        };
        let servers: Vec<ServerState> = self
            .sim
            .servers()
            .iter()
            .enumerate()
            .filter(|(_, s)| s.lifecycle() == Lifecycle::Active)
            .map(|(i, s)| ServerState {
                index: i as u32,
                alive: s.is_alive(),
            })
            .collect();
        let time = TimeState {
            playing: self.playing,
            speed: self.speed,
            fast_forward: self.fast_forward_progress(),
            behind: self.behind,
        };
        let on_move = link.callback(|e: MouseEvent| {
            Msg::Hover(Some((f64::from(e.offset_x()), f64::from(e.offset_y()))))
        });
        let on_leave = link.callback(|_: MouseEvent| Msg::Hover(None));
        // A tap (a click without hovering) shows the same details.
        let on_tap = link.callback(|e: MouseEvent| {
            Msg::Hover(Some((f64::from(e.offset_x()), f64::from(e.offset_y()))))
        });
        html! {
            <main class="playground" data-frame-p95={format!("{:.2}", self.frame_work_p95())}>
                <header>
                    <h1>{ "Loadlab" }</h1>
                    <p class="tagline">{ t.tagline }</p>
                    { self.language_switch(ctx) }
                    <button id="presenter" class="action" aria-pressed={self.presenter.to_string()}
                        onclick={link.callback(|_| Msg::TogglePresenter)}>
                        { if self.presenter { t.presenter_off } else { t.presenter_on } }
                    </button>
                </header>
                if let Some(notice) = &self.notice {
                    <p class="notice" id="notice" role="alert">
                        { notice.text(t) }
                        <button class="action" onclick={link.callback(|_| Msg::DismissNotice)}>{ t.dismiss }</button>
                    </p>
                }
                { self.headline_strip() }
                <div class="workspace">
                    <aside class="controls" aria-label={t.controls_aria}>
                        <LessonPanel lang={self.lang} current={self.lesson.map(AttrValue::from)}
                            done={self.lessons_done.clone()}
                            revealed={self.revealed}
                            on_load={link.callback(Msg::LoadLesson)}
                            on_try={link.callback(|_| Msg::TryLesson)}
                            on_reveal={link.callback(|_| Msg::RevealLesson)}
                            on_done={link.callback(Msg::LessonDone)}
                            on_reset={link.callback(|_| Msg::ResetLesson)}
                            hidden={!shown.panel(PanelId::Lessons)} />
                        <TimePanel lang={self.lang} state={time}
                            on_toggle={link.callback(|_| Msg::TogglePlay)}
                            on_step={link.callback(|_| Msg::Step)}
                            on_speed={link.callback(Msg::Speed)}
                            on_fast_forward={link.callback(Msg::FastForward)}
                            on_cancel={link.callback(|_| Msg::CancelFastForward)}
                            hidden={!shown.panel(PanelId::Time)} />
                        <ComparePanel lang={self.lang} comparison={self.comparison.clone()}
                            error={panel(PanelId::Compare).error}
                            on_start={link.callback(|_| Msg::StartCompare)}
                            on_restart={link.callback(|_| Msg::RestartCompare)}
                            on_stop={link.callback(|_| Msg::StopCompare)}
                            hidden={!shown.panel(PanelId::Compare)} />
                        <TheoryPanel lang={self.lang} theory={self.theory.clone()}
                            hidden={!shown.panel(PanelId::Theory)} />
                        <TrafficPanel ..panel(PanelId::Traffic) />
                        <BalancerPanel ..panel(PanelId::Balancer) />
                        <ServerPanel panel={panel(PanelId::Servers)} {servers} />
                        <CachePanel ..panel(PanelId::Cache) />
                        <DatabasePanel ..panel(PanelId::Database) />
                        <ProtectionPanel ..panel(PanelId::Protection) />
                        <SharePanel lang={self.lang} link={self.share_link.clone().map(AttrValue::from)}
                            error={panel(PanelId::Share).error}
                            on_copy_link={link.callback(|_| Msg::CopyLink)}
                            on_export={link.callback(|_| Msg::Export)}
                            on_import={link.callback(Msg::Import)}
                            on_export_csv={link.callback(|_| Msg::ExportCsv)}
                            on_export_png={link.callback(|_| Msg::ExportPng)}
                            hidden={!shown.panel(PanelId::Share)} />
                    </aside>
                    <section class="stage">
                        <div class="topology-wrap">
                            <canvas ref={self.topology.clone()} id="topology" onmousemove={on_move} onmouseleave={on_leave} onclick={on_tap}
                                aria-label={t.topology_aria} />
                            { self.tooltip() }
                            if self.baseline.is_some() {
                                <p class="compare-badge" id="compare-badge">{ t.compare_badge }</p>
                            }
                            if self.reduced_motion {
                                <p class="motion-note">{ t.reduced_motion }</p>
                            }
                        </div>
                        <div class={classes!("charts", shown.is_lesson().then_some("presenter-lesson"))}>
                            { for ChartId::ALL.iter().zip(&self.charts).map(|(id, r)| html! {
                                <canvas ref={r.clone()} id={id.id()}
                                    class={classes!("chart", (!shown.chart(*id)).then_some(PRESENTER_HIDDEN))} />
                            }) }
                        </div>
                    </section>
                </div>
            </main>
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        self.place_tooltip();
        if first_render {
            if crate::address::crash_test_asked() {
                panic!(
                    "crash test: the page was opened with ?{}",
                    crate::address::CRASH_TEST
                );
            }
            self._keys = Some(keyboard_shortcuts(ctx));
            self.draw(0.0);
            self.schedule_frame(ctx);
        }
    }
}

impl App {
    fn schedule_frame(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self.frame = Some(request_animation_frame(move |ms| {
            link.send_message(Msg::Frame(ms))
        }));
    }

    /// Applies a change to the run; while comparing, a new setting for B starts A and B
    /// again from time zero (the same arrivals, differing only in the settings), and an
    /// action (kill, spike) happens to B alone, live.
    fn apply(&mut self, group: PanelId, change: Change) -> bool {
        if let (Some(a), Change::Scenario(next)) = (&self.baseline, &change) {
            let a = a.scenario().clone();
            match self.restart_compared(a, (**next).clone()) {
                Ok(()) => self.error = None,
                Err(e) => self.error = Some((group, Fault::Refused(e))),
            }
            return true;
        }
        match self.sim.apply(change) {
            Ok(()) => {
                self.scenario = Rc::new(self.sim.scenario().clone());
                self.headline = Headline::of(&self.sim);
                // An action (a spike) can change B's settings: what B changes, anew.
                self.comparison = self.compare_now();
                self.error = None;
                self.charted = None;
                keep::save(self.sim.scenario(), self.lesson);
            }
            Err(e) => self.error = Some((group, Fault::Refused(e))),
        }
        true
    }

    /// Replaces the run with an imported scenario, or says why the file is refused and
    /// keeps the current one. An imported scenario leaves the lesson.
    fn import(&mut self, text: Result<String, String>) -> bool {
        let scenario = text
            .map_err(Fault::File)
            .and_then(|t| Scenario::from_json(&t).map_err(Fault::NotAScenario));
        if scenario.is_ok() {
            self.lesson = None;
        }
        self.replace_run(scenario, PanelId::Share)
    }

    /// Starts a new run of `scenario`, or shows why not in `group` and keeps the run.
    /// A lesson or an imported file ends a comparison.
    fn replace_run(&mut self, scenario: Result<Scenario, Fault>, group: PanelId) -> bool {
        match scenario.and_then(|s| Simulation::new(s).map_err(Fault::Refused)) {
            Ok(sim) => {
                self.baseline = None;
                self.comparison = None;
                self.start_run(sim);
                self.error = None;
            }
            Err(why) => self.error = Some((group, why)),
        }
        true
    }

    /// Starts comparing `a` with `b`, or says why not in the Compare group.
    fn compare(&mut self, a: Scenario, b: Scenario) -> bool {
        match self.restart_compared(a, b) {
            Ok(()) => self.error = None,
            Err(e) => self.error = Some((PanelId::Compare, Fault::Refused(e))),
        }
        true
    }

    /// Starts A and B from time zero, or says why B cannot run and changes nothing.
    fn restart_compared(&mut self, a: Scenario, b: Scenario) -> Result<(), ScenarioError> {
        let b = Simulation::new(b)?;
        self.baseline = Some(Simulation::new(a)?);
        self.start_run(b);
        self.comparison = self.compare_now();
        Ok(())
    }

    /// Makes `sim` the run shown, from its start.
    fn start_run(&mut self, sim: Simulation) {
        self.sim = sim;
        self.scenario = Rc::new(self.sim.scenario().clone());
        self.headline = Headline::of(&self.sim);
        self.charted = None;
        self.fast_forward = None;
        self.dots = Dots::default();
        self.trace_every = 0;
        keep::save(self.sim.scenario(), self.lesson);
    }

    /// A and B side by side, while comparing: the figures and what B's settings change.
    /// Found when both runs start and after an action on B; between those, only the
    /// figures move ([`App::refresh_comparison_rows`]).
    fn compare_now(&self) -> Option<Comparison> {
        use loadlab_sim::compare;
        let a = self.baseline.as_ref()?;
        Some(Comparison {
            rows: compare::rows(a, &self.sim),
            differences: compare::differences(a.scenario(), self.sim.scenario()),
        })
    }

    /// The comparison's figures as they stand now; whether they changed.
    fn refresh_comparison_rows(&mut self) -> bool {
        let (Some(a), Some(c)) = (&self.baseline, &mut self.comparison) else {
            return false;
        };
        let rows = loadlab_sim::compare::rows(a, &self.sim);
        let changed = rows != c.rows;
        c.rows = rows;
        changed
    }

    /// Advances A to B's time, within the frame's `deadline`.
    fn catch_up(&mut self, deadline: f64) {
        let now = self.sim.now();
        if let Some(a) = &mut self.baseline {
            while !a.run_until_budget(now, WORK_PER_SLICE) && clock_ms() < deadline {}
        }
    }

    /// The closed windows as CSV (the format of `loadlab run --timeseries`).
    fn csv(&self) -> String {
        use loadlab_sim::timeseries;
        let servers = self.sim.servers().len() as u32;
        let mut out = timeseries::header(servers);
        for w in self.sim.metrics().windows() {
            out.push('\n');
            out.push_str(&timeseries::row(w, servers));
        }
        out.push('\n');
        out
    }

    /// Advances the simulation for this frame: a fast-forward slice, or wall time ×
    /// speed; never more than the frame budget of wall-clock time.
    fn advance(&mut self, now_ms: f64) {
        let wall = self.last_frame_ms.map_or(0.0, |last| {
            ((now_ms - last) / 1e3).clamp(0.0, MAX_FRAME_SECONDS)
        });
        self.last_frame_ms = Some(now_ms);
        let deadline = clock_ms() + FRAME_BUDGET_MS;
        if let Some(ff) = &self.fast_forward {
            let target = ff.target;
            while self.sim.metrics().arrivals() < target
                && self.sim.arrivals_possible()
                && clock_ms() < deadline
            {
                let left = target - self.sim.metrics().arrivals();
                self.sim.run_arrivals_budget(left, WORK_PER_SLICE);
                self.catch_up(deadline);
            }
            // Done, or nothing can arrive any more (a zero rate, no users): stop.
            if self.sim.metrics().arrivals() >= target || !self.sim.arrivals_possible() {
                self.fast_forward = None;
            }
            return;
        }
        if !self.playing {
            self.catch_up(deadline);
            self.behind = false;
            return;
        }
        let target = self.sim.now() + wall * self.speed;
        let mut reached = false;
        while !reached && clock_ms() < deadline {
            reached = self.sim.run_until_budget(target, WORK_PER_SLICE);
            self.catch_up(deadline);
        }
        let a_behind = self
            .baseline
            .as_ref()
            .is_some_and(|a| a.now() < self.sim.now());
        self.behind = !reached || a_behind;
    }

    fn record_frame_work(&mut self, ms: f64) {
        if self.frame_work_ms.len() == FRAME_SAMPLES {
            self.frame_work_ms.pop_front();
        }
        self.frame_work_ms.push_back(ms);
    }

    /// The 95th percentile of recent frames' work, in milliseconds: published on the
    /// page (`data-frame-p95`) for the frame-time benchmark.
    fn frame_work_p95(&self) -> f64 {
        let mut sorted: Vec<f64> = self.frame_work_ms.iter().copied().collect();
        sorted.sort_by(f64::total_cmp);
        sorted.get(sorted.len() * 95 / 100).copied().unwrap_or(0.0)
    }

    fn fast_forward_progress(&self) -> Option<f64> {
        self.fast_forward.as_ref().map(|ff| {
            let done = self.sim.metrics().arrivals().saturating_sub(ff.from);
            done as f64 / (ff.target - ff.from).max(1) as f64
        })
    }

    fn draw(&mut self, now_ms: f64) {
        let resized = self.fit_canvases();
        if resized {
            self.scale = root_font_px() / BASE_FONT_PX;
        }
        self.update_dots(now_ms);
        if let Some(canvas) = self.topology.cast::<HtmlCanvasElement>() {
            let dots = (!self.reduced_motion).then_some(&self.dots);
            topology::draw(
                &canvas,
                &self.sim,
                dots,
                now_ms,
                self.scale,
                self.lang.strings(),
            );
        }
        let windows = self.sim.metrics().windows();
        let key = (windows.len(), windows.back().map_or(0.0, |w| w.end));
        let due = now_ms - self.last_chart_ms >= CHART_PERIOD_MS || resized;
        if (self.charted != Some(key) && due) || self.charted.is_none() {
            self.draw_charts();
            self.charted = Some(key);
            self.last_chart_ms = now_ms;
        }
    }

    fn draw_charts(&self) {
        let t = self.lang.strings();
        let specs_of = |sim: &Simulation| {
            let windows = sim.metrics().windows();
            let skip = windows.len().saturating_sub(WINDOWS_SHOWN);
            let shown: Vec<_> = windows.iter().skip(skip).collect();
            let s = sim.scenario();
            charts::specs(t, &shown, s.cache.is_some(), s.database.is_some())
        };
        let mut specs = specs_of(&self.sim);
        if let Some(a) = &self.baseline {
            for (spec, ghost) in specs.iter_mut().zip(specs_of(a)) {
                spec.ghost = ghost.series;
            }
        }
        let marks: Vec<chart::Mark> = self
            .sim
            .marks()
            .iter()
            .map(|m| chart::Mark {
                time: m.time,
                label: mark_text(t, &m.label),
            })
            .collect();
        for (spec, node) in specs.iter().zip(&self.charts) {
            if let Some(canvas) = node.cast::<HtmlCanvasElement>() {
                chart::draw(&canvas, spec, &marks, self.scale, t);
            }
        }
    }

    /// Gives each canvas as many pixels as it has on screen; returns whether any changed.
    fn fit_canvases(&self) -> bool {
        let mut changed = false;
        for node in std::iter::once(&self.topology).chain(&self.charts) {
            if let Some(canvas) = node.cast::<HtmlCanvasElement>() {
                let (w, h) = (
                    canvas.client_width().max(1) as u32,
                    canvas.client_height().max(1) as u32,
                );
                if canvas.width() != w || canvas.height() != h {
                    canvas.set_width(w);
                    canvas.set_height(h);
                    changed = true;
                }
            }
        }
        changed
    }

    /// Takes new traces as dots, and tunes the core's sampling so about
    /// `DOTS_PER_SECOND` dots set off whatever the speed.
    fn update_dots(&mut self, now_ms: f64) {
        let moving = self.playing && self.fast_forward.is_none() && !self.reduced_motion;
        let every = if moving {
            let rate = self
                .sim
                .metrics()
                .windows()
                .back()
                .map_or(100.0, |w| w.arrivals as f64 / (w.end - w.start));
            dots::sampling(rate * self.speed)
        } else {
            0
        };
        if every != self.trace_every {
            self.sim.trace_every(every);
            self.trace_every = every;
        }
        self.dots.update(&self.sim, now_ms);
    }

    fn part_at(&self, x: f64, y: f64) -> Option<Part> {
        let canvas = self.topology.cast::<HtmlCanvasElement>()?;
        let (w, h) = topology::logical_size(&canvas, self.scale);
        let layout = Layout::of(&self.sim, w, h - topology::LEGEND_HEIGHT);
        layout.hit(x / self.scale, y / self.scale)
    }

    /// Puts the hover details beside the pointer. Through the element's style object, not
    /// a `style` attribute, which the page's Content-Security-Policy forbids.
    fn place_tooltip(&self) {
        let (Some((_, x, y)), Some(tip)) = (self.hovered, self.tooltip.cast::<HtmlElement>())
        else {
            return;
        };
        let style = tip.style();
        let _ = style.set_property("left", &format!("{}px", x + 14.0));
        let _ = style.set_property("top", &format!("{}px", y + 14.0));
    }

    fn tooltip(&self) -> Html {
        let Some((part, _, _)) = self.hovered else {
            return html! {};
        };
        let (title, rows) = details(self.lang.strings(), &self.sim, part);
        html! {
            <div class="tooltip" role="status" ref={self.tooltip.clone()}>
                <strong>{ title }</strong>
                <dl>
                    { for rows.into_iter().map(|(k, v)| html! { <><dt>{ k }</dt><dd>{ v }</dd></> }) }
                </dl>
            </div>
        }
    }

    /// Re-renders a few times a second, not every frame.
    fn refresh_headline(&mut self, now_ms: f64) -> bool {
        if now_ms - self.last_headline_ms < HEADLINE_PERIOD_MS {
            return false;
        }
        self.last_headline_ms = now_ms;
        let fresh = Headline::of(&self.sim);
        let theory = loadlab_sim::live_theory::live(&self.sim);
        let rows_changed = self.refresh_comparison_rows();
        let changed = fresh != self.headline
            || theory != self.theory
            || rows_changed
            || self.hovered.is_some();
        self.headline = fresh;
        self.theory = theory;
        changed
    }

    /// One button per language, each named in its own language so anyone can find theirs.
    fn language_switch(&self, ctx: &Context<Self>) -> Html {
        let t = self.lang.strings();
        html! {
            <div class="languages" role="group" aria-label={t.language}>
                { for Lang::ALL.into_iter().map(|lang| html! {
                    <button id={format!("lang-{}", lang.code())} class="action" lang={lang.code()}
                        aria-pressed={(lang == self.lang).to_string()}
                        onclick={ctx.link().callback(move |_| Msg::Language(lang))}>
                        { lang.own_name() }
                    </button>
                }) }
            </div>
        }
    }

    fn headline_strip(&self) -> Html {
        html! {
            <section class="headline" aria-label={self.lang.strings().headline_aria}>
                { for self.headline.figures(self.lang.strings()).into_iter().map(|(key, label, value)| html! {
                    <div class="figure">
                        <span class="label">{ label }</span>
                        <span class="value" data-readout={key}>{ value }</span>
                    </div>
                }) }
            </section>
        }
    }
}

/// Tells the browser the page's language (it picks the fonts for Chinese by it) and
/// names the tab in it.
fn show_language(lang: Lang) {
    let document = gloo_utils::document();
    if let Some(root) = document.document_element() {
        let _ = root.set_attribute("lang", lang.code());
    }
    document.set_title(lang.strings().page_title);
}

/// Presenter mode's larger type is the root font size, so it is a class on `<html>`.
fn set_presenter_class(on: bool) {
    if let Some(root) = gloo_utils::document().document_element() {
        let _ = root.class_list().toggle_with_force("presenter", on);
    }
}

/// What presenter mode shows. With a lesson: the lesson's groups beside the lesson, time
/// and compare, and the charts that show what they change; without one, everything.
#[derive(Clone, Copy)]
struct Shown(Option<&'static [PanelId]>);

impl Shown {
    fn of(presenter: bool, lesson: Option<&str>) -> Self {
        Self(lesson.filter(|_| presenter).map(crate::lesson_text::groups))
    }

    /// Whether only a lesson's groups and charts show.
    fn is_lesson(self) -> bool {
        self.0.is_some()
    }

    fn panel(self, panel: PanelId) -> bool {
        use PanelId::{Compare, Lessons, Time};
        self.0.is_none_or(|groups| {
            matches!(panel, Lessons | Time | Compare) || groups.contains(&panel)
        })
    }

    fn chart(self, chart: ChartId) -> bool {
        use ChartId::{Latency, Throughput};
        self.0.is_none_or(|groups| {
            matches!(chart, Latency | Throughput)
                || groups.iter().any(|g| charts_of_group(*g).contains(&chart))
        })
    }
}

/// The charts that show what a control group changes.
fn charts_of_group(group: PanelId) -> &'static [ChartId] {
    match group {
        PanelId::Balancer => &[ChartId::Spread, ChartId::Queues],
        PanelId::Servers => &[ChartId::Queues],
        PanelId::Cache => &[ChartId::HitRate],
        PanelId::Database => &[ChartId::DbNodes, ChartId::DbTrouble],
        _ => &[],
    }
}

/// Space plays or pauses, → steps, P toggles presenter mode; not while typing in a form
/// control.
fn keyboard_shortcuts(ctx: &Context<App>) -> EventListener {
    let link = ctx.link().clone();
    let window = web_sys::window().expect("a page has a window");
    // Not passive: the space bar's default (scrolling) is prevented.
    let options = gloo_events::EventListenerOptions::enable_prevent_default();
    EventListener::new_with_options(&window, "keydown", options, move |event| {
        let Some(key) = event.dyn_ref::<KeyboardEvent>() else {
            return;
        };
        let in_form = key
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| {
                matches!(
                    el.tag_name().as_str(),
                    "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON"
                )
            });
        if in_form {
            return;
        }
        match key.key().as_str() {
            " " => {
                key.prevent_default();
                link.send_message(Msg::TogglePlay);
            }
            "ArrowRight" => link.send_message(Msg::Step),
            "p" => link.send_message(Msg::TogglePresenter),
            _ => {}
        }
    })
}

fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

/// The root element's font size in pixels (the CSS scales it with the viewport).
fn root_font_px() -> f64 {
    let size = web_sys::window()
        .zip(gloo_utils::document().document_element())
        .and_then(|(w, root)| w.get_computed_style(&root).ok().flatten())
        .and_then(|style| style.get_property_value("font-size").ok());
    size.and_then(|s| s.trim_end_matches("px").parse().ok())
        .filter(|px: &f64| *px > 0.0)
        .unwrap_or(BASE_FONT_PX)
}

/// Milliseconds from the page's clock.
fn clock_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}
