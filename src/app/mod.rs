//! The playground: composes the run (`run.rs`), the stage (`stage.rs`), the page's
//! chrome (`chrome.rs`) and the control groups (`panels/`), routes their messages, and
//! applies the groups' changes to the run.

mod changes;
mod toast;

pub use changes::{Fault, LessonMsg, ShareMsg};

use crate::chrome::{Chrome, PageMsg, Shortcut};
use crate::curves::{self, slot::FromView};
use crate::i18n::Lang;
use crate::ids::{Groups, PanelId};
use crate::keep;
use crate::lesson_text;
use crate::panels::{
    BalancerPanel, CachePanel, ComparePanel, DatabasePanel, LessonPanel, PanelProps,
    ProtectionPanel, ServerPanel, ServerState, SharePanel, TheoryPanel, TimePanel, TrafficPanel,
};
use crate::run::{Run, RunMsg};
use crate::stage::{Slots, Stage, StageMsg};
use crate::training::{self, slot::FromView as FromTraining};
use crate::view::{self, headline::Headline};
use gloo_render::{request_animation_frame, AnimationFrame};
use loadlab_sim::live_theory::{self, LiveTheory};
use loadlab_sim::server::Lifecycle;
use loadlab_sim::{Change, Scenario, Simulation};
use std::collections::BTreeSet;
use std::rc::Rc;
use yew::prelude::*;

/// How often the headline strip re-renders, in milliseconds.
const HEADLINE_PERIOD_MS: f64 = 250.0;

/// Messages the playground handles.
pub enum Msg {
    /// An animation frame at this `performance.now()` timestamp, in milliseconds.
    Frame(f64),
    /// For the run: play, pause, step, speed, fast-forward.
    Run(RunMsg),
    /// For the stage: the pointer over the topology.
    Stage(StageMsg),
    /// For the chrome: language, presenter mode, the notice.
    Page(PageMsg),
    /// A control group edited the scenario.
    Apply(PanelId, Box<Scenario>),
    /// A button asked for an action (kill, revive, spike).
    Act(PanelId, Change),
    /// From the Share group.
    Share(ShareMsg),
    /// From the Lessons group.
    Lesson(LessonMsg),
    /// Start comparing: A keeps the current settings, the controls change B.
    StartCompare,
    /// Start both compared runs again from time zero.
    RestartCompare,
    /// Stop comparing and keep B as the run.
    StopCompare,
    /// A confirmation's time is up.
    ToastGone,
    /// The English lessons' words and the course were fetched and installed, or why not.
    LessonWords(Result<(), String>),
    /// From the Curves view (its own wasm, in its slot).
    Curves(FromView),
    /// From the Training view (its own wasm, in its slot).
    Training(FromTraining),
}

/// Keeps a fetched file's contents, or says why they are unreadable.
type Install = fn(String) -> Result<(), String>;

/// The playground component.
pub struct App {
    run: Run,
    stage: Stage,
    chrome: Chrome,
    /// The run's scenario, shared with the control groups.
    scenario: Rc<Scenario>,
    frame: Option<AnimationFrame>,
    last_headline_ms: f64,
    headline: Headline,
    /// Theory beside simulation, refreshed with the headline.
    theory: LiveTheory,
    error: Option<(PanelId, Fault)>,
    /// The last link made with "Copy link".
    share_link: Option<String>,
    /// The lesson in progress.
    lesson: Option<&'static str>,
    /// Whether its explanation is shown.
    revealed: bool,
    /// Lessons marked done.
    lessons_done: BTreeSet<String>,
    /// A confirmation on screen, fading.
    toast: Option<toast::Toast>,
    /// The learner's own scenario, set aside while a lesson runs.
    mine: Option<Scenario>,
    /// The English lessons' words and the course were asked for (once: they come with
    /// the first lesson shown).
    lesson_words_asked: bool,
    /// The lesson in progress waits for the course to start from its preset: the
    /// lesson there was before (to go back to if the course never comes).
    waiting_lesson: Option<Option<&'static str>>,
    /// The Curves view's listeners, once it is fetched.
    curves_listeners: Vec<gloo_events::EventListener>,
    /// What the Curves view was last sent: the scenario and the language.
    curves_sent: Option<(Rc<Scenario>, Lang)>,
    /// The Training view's listeners, once it is fetched.
    training_listeners: Vec<gloo_events::EventListener>,
    /// What the Training view was last sent: the scenario, the language, whether a
    /// challenge is on the stage.
    training_sent: Option<(Rc<Scenario>, Lang, bool)>,
    /// A challenge is on the stage (set up, playing or played): nothing is saved, and
    /// once played the settings stay as they were at Play.
    in_challenge: bool,
    /// The number of the latest change mark the page has seen: a new one (the
    /// autoscaler, a script) may have changed the scenario the controls show.
    marks_seen: Option<u64>,
}

/// What the page starts from, read before the App mounts ([`keep::start`]).
#[derive(Properties)]
pub struct AppProps {
    start: std::cell::RefCell<Option<keep::Start>>,
}

impl AppProps {
    /// Props that start the App from `start`.
    pub fn new(start: keep::Start) -> Self {
        Self {
            start: std::cell::RefCell::new(Some(start)),
        }
    }
}

/// The App is mounted once and never given new props.
impl PartialEq for AppProps {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = AppProps;

    fn create(ctx: &Context<Self>) -> Self {
        let start = ctx.props().start.take().unwrap_or_else(|| keep::Start {
            scenario: Scenario::default(),
            lesson: None,
            notice: None,
        });
        let (lessons_done, progress_notice) = keep::lessons_done();
        let (sim, notice) = match Simulation::new(start.scenario) {
            Ok(sim) => (sim, start.notice),
            // Decoding validated it, so this is a bug; still, start rather than go blank.
            Err(e) => (
                Simulation::new(Scenario::default()).expect("the default scenario is valid"),
                Some(keep::Notice::StartFailed(e)),
            ),
        };
        Self {
            headline: Headline::of(&sim),
            theory: live_theory::live(&sim),
            scenario: Rc::new(sim.scenario().clone()),
            run: Run::new(sim),
            stage: Stage::default(),
            chrome: Chrome::new(notice.or(progress_notice)),
            frame: None,
            last_headline_ms: f64::NEG_INFINITY,
            error: None,
            share_link: None,
            lesson: start.lesson,
            revealed: false,
            lessons_done,
            toast: None,
            mine: start.lesson.and_then(|_| keep::load_mine()),
            lesson_words_asked: false,
            waiting_lesson: None,
            curves_listeners: Vec::new(),
            curves_sent: None,
            training_listeners: Vec::new(),
            training_sent: None,
            in_challenge: false,
            marks_seen: None,
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Self::Message) -> bool {
        match msg {
            Msg::Frame(now_ms) => self.frame(ctx, now_ms),
            Msg::Run(msg) => {
                let stepped = msg == RunMsg::Step;
                self.run.update(msg);
                if stepped {
                    self.headline = Headline::of(self.run.sim());
                    self.run.refresh_comparison_rows();
                }
                true
            }
            Msg::Stage(msg) => self.stage.update(msg, &mut self.run),
            Msg::Page(msg) => {
                // The charts' words, the canvases' sizes or the glyphs changed: redraw them now.
                if self.chrome.update(msg) {
                    self.stage.refresh();
                }
                true
            }
            Msg::Apply(group, next) => self.apply(group, Change::Scenario(next)),
            Msg::Act(group, change) => self.apply(group, change),
            Msg::StartCompare if self.locked() => {
                self.error = Some((PanelId::Compare, changes::Fault::Locked));
                true
            }
            Msg::StartCompare => {
                let scenario = self.run.sim().scenario().clone();
                self.compare(scenario.clone(), scenario, PanelId::Compare)
            }
            Msg::RestartCompare => match self.run.baseline() {
                Some(a) => {
                    let a = a.scenario().clone();
                    let b = self.run.sim().scenario().clone();
                    self.compare(a, b, PanelId::Compare)
                }
                None => false,
            },
            Msg::StopCompare => {
                self.run.stop_compare();
                self.stage.refresh();
                true
            }
            Msg::Share(msg) => self.share(ctx, msg),
            Msg::ToastGone => self.toast.take().is_some(),
            Msg::LessonWords(Ok(())) => {
                if self.waiting_lesson.is_some() {
                    self.start_lesson();
                }
                true
            }
            Msg::LessonWords(Err(why)) => {
                self.lessons_unavailable();
                self.chrome.tell(keep::Notice::LessonsUnavailable(why));
                true
            }
            Msg::Lesson(msg) => self.lesson(msg),
            Msg::Curves(FromView::Ready) => {
                self.curves_sent = None;
                true
            }
            // The curve's settings are kept with the scenario; nothing that runs changes.
            Msg::Curves(FromView::Edit(s)) => {
                self.run.sim_mut().set_curve(s.curve);
                self.scenario = Rc::new(self.run.sim().scenario().clone());
                keep::save(self.run.sim().scenario(), self.lesson);
                true
            }
            Msg::Curves(FromView::Apply(s)) => self.apply(PanelId::Curves, Change::Scenario(s)),
            Msg::Training(msg) => self.challenge(msg),
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let lang = self.chrome.lang();
        let t = lang.strings();
        let shown = self.chrome.shown(self.lesson);
        html! {
            <main class="playground"
                data-frame-p95={format!("{:.2}", self.run.frame_work_p95())}>
                { self.chrome.view(&link.callback(Msg::Page)) }
                { self.headline.view(t, self.run.comparison().is_some()) }
                { toast::view(self.toast.as_ref(), t) }
                <div class="workspace">
                    <aside class="controls" id="controls" aria-label={t.controls_aria}>
                        // The sliders word their refusals in the page's language.
                        <ContextProvider<Lang> context={lang}>
                            { self.panels(ctx) }
                        </ContextProvider<Lang>>
                    </aside>
                    { self.stage.view(&self.run, lang, self.chrome.reduced_motion(), shown,
                        self.slots(), &link.callback(Msg::Stage)) }
                </div>
            </main>
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        self.stage.place_tooltip();
        self.fetch_lesson_words(ctx);
        self.feed_curves(ctx);
        self.feed_training(ctx);
        if first_render {
            if crate::address::crash_test_asked() {
                panic!(
                    "crash test: the page was opened with ?{}",
                    crate::address::CRASH_TEST
                );
            }
            let link = ctx.link();
            self.chrome.listen(
                link.callback(|key| match key {
                    Shortcut::PlayPause => Msg::Run(RunMsg::TogglePlay),
                    Shortcut::Step => Msg::Run(RunMsg::Step),
                    Shortcut::Presenter => Msg::Page(PageMsg::TogglePresenter),
                }),
                link.callback(Msg::Page),
            );
            self.draw(0.0);
            self.schedule_frame(ctx);
        }
    }
}

impl App {
    /// The other views' slots: Curves' once first opened (then kept, hidden while the
    /// charts show), and whether it is shown; Challenges' likewise.
    fn slots(&self) -> Slots {
        let open = self.chrome.curves();
        let curves = match open {
            Some(open) => {
                html! { <div id={curves::ROOT_ID} class="curves-root" hidden={!open}></div> }
            }
            None => html! {},
        };
        Slots {
            curves,
            curves_open: open == Some(true),
            training: self.training(),
        }
    }

    /// The Training view's slot, once first opened (then kept, hidden when closed).
    fn training(&self) -> Html {
        match self.chrome.challenges() {
            Some(open) => {
                html! { <div id={training::ROOT_ID} class="training-root" hidden={!open}></div> }
            }
            None => html! {},
        }
    }

    /// Fetches the Training view when first opened; tells it the scenario, the
    /// language and whether a challenge is on the stage whenever one of them changed.
    fn feed_training(&mut self, ctx: &Context<Self>) {
        if self.chrome.challenges().is_none() {
            return;
        }
        if self.training_listeners.is_empty() {
            self.training_listeners = training::slot::load(ctx.link().callback(Msg::Training));
        }
        let now = (self.scenario.clone(), self.chrome.lang(), self.in_challenge);
        let fresh = match &self.training_sent {
            Some((scenario, lang, on)) => {
                !Rc::ptr_eq(scenario, &now.0) || *lang != now.1 || *on != now.2
            }
            None => true,
        };
        if fresh {
            training::slot::send(&now.0, now.1.code(), now.2);
            self.training_sent = Some(now);
        }
    }

    /// Fetches the Curves view when first opened; sends it the scenario and the
    /// language whenever either changed.
    fn feed_curves(&mut self, ctx: &Context<Self>) {
        if self.chrome.curves().is_none() {
            return;
        }
        if self.curves_listeners.is_empty() {
            self.curves_listeners = curves::slot::load(ctx.link().callback(Msg::Curves));
        }
        let lang = self.chrome.lang();
        let fresh = match &self.curves_sent {
            Some((scenario, sent)) => !Rc::ptr_eq(scenario, &self.scenario) || *sent != lang,
            None => true,
        };
        if fresh {
            curves::slot::send(&self.scenario, lang.code());
            self.curves_sent = Some((self.scenario.clone(), lang));
        }
    }

    /// Fetches the English lessons' words and the course (neither is in the wasm) once
    /// a lesson is shown.
    fn fetch_lesson_words(&mut self, ctx: &Context<Self>) {
        if self.lesson.is_none() || self.lesson_words_asked || lesson_text::ready() {
            return;
        }
        self.lesson_words_asked = true;
        let done = ctx.link().callback(Msg::LessonWords);
        wasm_bindgen_futures::spawn_local(async move {
            // One fetch after the other through one await: a second await of its own
            // would cost the page 1.7 KB of download.
            let files = [
                (
                    lesson_text::ENGLISH_ADDRESS,
                    lesson_text::install_english as Install,
                ),
                (
                    loadlab_sim::lessons::COURSE_ADDRESS,
                    lesson_text::install_course,
                ),
            ];
            let mut outcome = Ok(());
            for (address, install) in files {
                outcome = crate::chrome::fetch_text(address).await.and_then(install);
                if outcome.is_err() {
                    break;
                }
            }
            done.emit(outcome);
        });
    }

    /// One animation frame: advance the run within its budget, draw, ask for the next
    /// frame; whether the page re-renders.
    fn frame(&mut self, ctx: &Context<Self>, now_ms: f64) -> bool {
        let started = clock_ms();
        let progress_before = self.run.fast_forward_progress();
        self.run.advance(now_ms, &mut clock_ms);
        self.draw(now_ms);
        self.schedule_frame(ctx);
        let progress = self.run.fast_forward_progress();
        if progress_before.is_some() && progress.is_none() {
            // A fast-forward just ended: show where it got to at once.
            self.headline = Headline::of(self.run.sim());
        }
        self.run.record_frame_work(clock_ms() - started);
        let changed = self.follow_the_core();
        self.refresh_headline(now_ms) || progress != progress_before || changed
    }

    /// The core changes the scenario as the run goes (the autoscaler's server count, a
    /// challenge's script): the controls show the settings there are, and a change made
    /// with them starts from those. Looked at when a new change mark appears; whether
    /// the scenario changed.
    fn follow_the_core(&mut self) -> bool {
        let latest = self.run.sim().marks().back().map(|m| m.number);
        if latest == self.marks_seen {
            return false;
        }
        self.marks_seen = latest;
        let stale = self.run.sim().scenario() != &*self.scenario;
        if stale {
            self.scenario = Rc::new(self.run.sim().scenario().clone());
        }
        stale
    }

    fn schedule_frame(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self.frame = Some(request_animation_frame(move |ms| {
            link.send_message(Msg::Frame(ms))
        }));
    }

    fn draw(&mut self, now_ms: f64) {
        let (lang, still) = (self.chrome.lang(), self.chrome.reduced_motion());
        self.stage.draw(now_ms, &mut self.run, lang, still);
    }

    /// The control groups, each given its part of the state and its error.
    fn panels(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let lang = self.chrome.lang();
        let shown = self.chrome.shown(self.lesson);
        let lesson_groups = self.lesson.map(lesson_text::groups);
        let error = |group: PanelId| {
            let fault = self.error.as_ref().filter(|(g, _)| *g == group);
            fault.map(|(_, fault)| AttrValue::from(fault.text(lang.strings())))
        };
        let panel = |group: PanelId| PanelProps {
            lang,
            scenario: self.scenario.clone(),
            on_change: link.callback(move |s| Msg::Apply(group, Box::new(s))),
            on_action: link.callback(move |c| Msg::Act(group, c)),
            error: error(group),
            status: (group == PanelId::Traffic)
                .then(|| view::spike_status(lang.strings(), self.run.sim()))
                .flatten()
                .map(AttrValue::from),
            hidden: !shown.panel(group),
            open: open_at_first(group, lesson_groups),
        };
        // One callback type for every button that sends a fixed message, not one each:
        // smaller code.
        let send = |msg: fn() -> Msg| link.callback(move |()| msg());
        html! { <>
            <LessonPanel {lang} current={self.lesson.map(AttrValue::from)}
                done={self.lessons_done.clone()} revealed={self.revealed}
                on_load={link.callback(|id| Msg::Lesson(LessonMsg::Load(id)))}
                on_try={send(|| Msg::Lesson(LessonMsg::Try))}
                on_reveal={send(|| Msg::Lesson(LessonMsg::Reveal))}
                on_done={link.callback(|done| Msg::Lesson(LessonMsg::Done(done)))}
                on_reset={send(|| Msg::Lesson(LessonMsg::Reset))}
                has_mine={self.mine.is_some()}
                on_mine={send(|| Msg::Lesson(LessonMsg::Mine))}
                hidden={!shown.panel(PanelId::Lessons)} />
            <TimePanel {lang} state={self.run.time_state()}
                on_toggle={send(|| Msg::Run(RunMsg::TogglePlay))}
                on_step={send(|| Msg::Run(RunMsg::Step))}
                on_speed={link.callback(|s| Msg::Run(RunMsg::Speed(s)))}
                on_fast_forward={link.callback(|n| Msg::Run(RunMsg::FastForward(n)))}
                on_cancel={send(|| Msg::Run(RunMsg::CancelFastForward))}
                on_dismiss={send(|| Msg::Run(RunMsg::DismissResult))}
                hidden={!shown.panel(PanelId::Time)} />
            <ComparePanel {lang} comparison={self.run.comparison().cloned()}
                error={error(PanelId::Compare)}
                on_start={send(|| Msg::StartCompare)}
                on_restart={send(|| Msg::RestartCompare)}
                on_stop={send(|| Msg::StopCompare)}
                hidden={!shown.panel(PanelId::Compare)} />
            <TheoryPanel {lang} theory={self.theory.clone()}
                on_model={loadlab_sim::theory::model_shape(&self.scenario).map(|shape| {
                    link.callback(move |()| Msg::Apply(PanelId::Theory, Box::new(shape.clone())))
                })}
                hidden={!shown.panel(PanelId::Theory)} />
            <TrafficPanel ..panel(PanelId::Traffic) />
            <BalancerPanel ..panel(PanelId::Balancer) />
            <ServerPanel panel={panel(PanelId::Servers)} servers={self.server_states()} />
            <CachePanel ..panel(PanelId::Cache) />
            <DatabasePanel ..panel(PanelId::Database) />
            <ProtectionPanel ..panel(PanelId::Protection) />
            <SharePanel {lang} link={self.share_link.clone().map(AttrValue::from)}
                error={error(PanelId::Share)}
                on_copy_link={send(|| Msg::Share(ShareMsg::CopyLink))}
                on_export={send(|| Msg::Share(ShareMsg::Export))}
                on_import={link.callback(|text| Msg::Share(ShareMsg::Import(text)))}
                on_export_csv={send(|| Msg::Share(ShareMsg::ExportCsv))}
                on_export_png={send(|| Msg::Share(ShareMsg::ExportPng))}
                hidden={!shown.panel(PanelId::Share)} />
        </> }
    }

    /// The servers the Servers group lists (not draining or retired), alive or not.
    fn server_states(&self) -> Vec<ServerState> {
        (self.run.sim().servers().iter().enumerate())
            .filter(|(_, s)| s.lifecycle() == Lifecycle::Active)
            .map(|(i, s)| ServerState {
                index: i as u32,
                alive: s.is_alive(),
            })
            .collect()
    }

    /// Re-renders a few times a second, not every frame.
    fn refresh_headline(&mut self, now_ms: f64) -> bool {
        if now_ms - self.last_headline_ms < HEADLINE_PERIOD_MS {
            return false;
        }
        self.last_headline_ms = now_ms;
        let fresh = Headline::of(self.run.sim());
        let theory = live_theory::live(self.run.sim());
        let rows_changed = self.run.refresh_comparison_rows();
        let changed =
            fresh != self.headline || theory != self.theory || rows_changed || self.stage.live();
        self.headline = fresh;
        self.theory = theory;
        changed
    }
}

/// Milliseconds from the page's clock.
fn clock_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Whether a settings group starts open: traffic and servers, where most playing starts,
/// and the groups the lesson in progress works with; the others fold to their titles.
fn open_at_first(group: PanelId, lesson_groups: Option<Groups>) -> bool {
    matches!(group, PanelId::Traffic | PanelId::Servers)
        || lesson_groups.is_some_and(|groups| groups.contains(group))
}
