//! The Challenges view: the list, a challenge's brief and the learner's changes, its run
//! on the stage, and the score and debrief at its end. The learner sets the challenge
//! up with the page's own controls; the view reads what they changed from the
//! challenge's start (settings it locks are named), and on Play asks the page to run
//! the start with those settings and the script to the script's end. It scores the very
//! same run itself, in slices between frames (a run is a pure function of the
//! challenge and the settings: the CLI's `loadlab challenge` gives the same score), and
//! shows the score when the stage reaches the end.

mod diff;
pub mod host;
mod progress;
mod room;
pub mod slot;
mod words;
mod workshop;

/// The id of the page's element the view mounts in.
pub const ROOT_ID: &str = "training-root";

use crate::i18n::{error_text, fill, setting_label, Lang, Strings};
use crate::view::{fixed, grouped, percent};
use gloo_timers::callback::{Interval, Timeout};
use loadlab_sim::challenges::{self, Challenge, Challenges, Score, Scripted};
use loadlab_sim::metrics::Reason;
use loadlab_sim::{Scenario, Simulation};
use serde_json::{json, Value};
use std::rc::Rc;
use words::{words, Words};
use yew::prelude::*;

/// Work the view's own run does between two frames of the page.
const SCORING_SLICE: u64 = 40_000;
/// How often the view looks at the stage's clock, in milliseconds.
const POLL_MS: u32 = 250;

/// What the view receives.
#[derive(Properties, PartialEq, Clone)]
pub struct ChallengesProps {
    pub lang: Lang,
    /// The page's scenario: what the controls have made.
    pub scenario: Rc<Scenario>,
    /// Whether a challenge is on the stage.
    pub in_challenge: bool,
    /// The open workshop: its own challenges are listed after the built-in ones, and
    /// their result links carry its link.
    pub workshop: Option<Rc<workshop::Opened>>,
    /// A challenge to open (from the workshop, or a workshop's result link).
    pub pick: Option<Rc<Pick>>,
}

/// A challenge to open by id; with `settings`, played at once (a result link). Each
/// pick has its own number, so picking the same challenge again opens it again.
#[derive(PartialEq)]
pub struct Pick {
    pub number: u32,
    pub id: String,
    pub settings: Option<Value>,
}

/// Where the learner is.
enum Phase {
    /// Choosing a challenge.
    List,
    /// Setting challenge `index` up with the page's controls.
    Setup(usize),
    /// Its run is on the stage; its score, once the view's own run has finished.
    Playing {
        index: usize,
        settings: Value,
        score: Option<Rc<Score>>,
    },
    /// The stage reached the end: the score and the debrief.
    Result {
        index: usize,
        settings: Value,
        score: Rc<Score>,
    },
}

pub enum Msg {
    Pick(usize),
    Play,
    Finish,
    ChangeSettings,
    Reset,
    Back,
    Next,
    Copy,
    /// The stage's clock, looked at.
    Poll,
    /// The next slice of the view's own run.
    Score,
}

/// The Challenges view.
pub struct ChallengesView {
    set: Challenges,
    phase: Phase,
    progress: progress::Progress,
    /// The progress kept in the browser could not be read (it was moved aside).
    progress_unreadable: bool,
    /// A result link that cannot be played, and why.
    link_error: Option<String>,
    /// The stage's clock, in simulated seconds.
    now: f64,
    /// The view's own run of the challenge being played, until scored.
    scoring: Option<Simulation>,
    copied: bool,
    /// The phase changed: the view scrolls back to its top, where the new phase starts.
    to_top: bool,
    _poll: Interval,
    _slice: Option<Timeout>,
}

impl Component for ChallengesView {
    type Message = Msg;
    type Properties = ChallengesProps;

    fn create(ctx: &Context<Self>) -> Self {
        let poll = {
            let link = ctx.link().clone();
            Interval::new(POLL_MS, move || link.send_message(Msg::Poll))
        };
        let (progress, progress_unreadable) = progress::load();
        let mut view = Self {
            set: with_workshop(&ctx.props().workshop),
            phase: Phase::List,
            progress,
            progress_unreadable,
            link_error: None,
            now: 0.0,
            scoring: None,
            copied: false,
            to_top: false,
            _poll: poll,
            _slice: None,
        };
        view.open_result_link(ctx);
        view.open_pick(ctx);
        view
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &ChallengesProps) -> bool {
        // The learner left the challenge another way (a lesson, a file, their own
        // scenario), or the workshop whose challenge it was changed: back to the list.
        let props = ctx.props();
        if (old.in_challenge && !props.in_challenge) || old.workshop != props.workshop {
            self.phase = Phase::List;
            self.scoring = None;
            self.set = with_workshop(&props.workshop);
        }
        if old.pick != props.pick {
            self.open_pick(ctx);
        }
        true
    }

    fn rendered(&mut self, _: &Context<Self>, _: bool) {
        if std::mem::take(&mut self.to_top) {
            if let Some(view) = gloo_utils::document().get_element_by_id("training") {
                view.set_scroll_top(0);
            }
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        self.copied &= matches!(msg, Msg::Poll | Msg::Score);
        self.to_top |= !matches!(msg, Msg::Poll | Msg::Score | Msg::Copy);
        match msg {
            Msg::Pick(index) => self.set_up(index, &json!({})),
            Msg::Play => self.play(ctx),
            Msg::Finish => dispatch("challenge-finish", None),
            Msg::ChangeSettings => {
                if let Phase::Playing {
                    index, settings, ..
                }
                | Phase::Result {
                    index, settings, ..
                } = &self.phase
                {
                    let (index, settings) = (*index, settings.clone());
                    self.set_up(index, &settings);
                }
            }
            Msg::Reset => {
                if let Phase::Setup(index) = self.phase {
                    self.set_up(index, &json!({}));
                }
            }
            Msg::Back => {
                self.phase = Phase::List;
                self.scoring = None;
                dispatch("challenge-leave", None);
            }
            Msg::Next => {
                if let Phase::Result { index, .. } = self.phase {
                    let next = (index + 1) % self.set.challenges.len();
                    self.set_up(next, &json!({}));
                }
            }
            Msg::Copy => {
                if let Phase::Result {
                    index, settings, ..
                } = &self.phase
                {
                    let link = result_link(ctx, &self.set.challenges[*index], settings);
                    crate::keep::copy(&link);
                    self.copied = true;
                }
            }
            Msg::Poll => return self.poll(ctx),
            Msg::Score => self.score_slice(ctx),
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let w = words(ctx.props().lang);
        let body = match &self.phase {
            Phase::List => self.list(ctx, w),
            Phase::Setup(index) => self.setup(ctx, w, *index),
            Phase::Playing { index, score, .. } => self.playing(ctx, w, *index, score.is_some()),
            Phase::Result { index, score, .. } => self.result(ctx, w, *index, score),
        };
        html! {
            <div aria-label={w.aria}>
                if let Some(why) = &self.link_error {
                    <p class="training-error" id="challenge-link-error" role="alert">{ why }</p>
                }
                { body }
            </div>
        }
    }
}

impl ChallengesView {
    /// The page was opened with a result link: play it (or say why not).
    fn open_result_link(&mut self, ctx: &Context<Self>) {
        let hash = gloo_utils::window().location().hash().unwrap_or_default();
        if !hash.starts_with(crate::address::CHALLENGE_LINK) {
            return;
        }
        let t = ctx.props().lang.strings();
        let read = challenges::read_result(&hash).and_then(|(id, settings)| {
            let index = self
                .set
                .challenges
                .iter()
                .position(|c| c.id == id)
                .ok_or_else(|| {
                    loadlab_sim::ScenarioError::new("link", loadlab_sim::Problem::LinkNoScenario)
                })?;
            self.set.challenges[index].scenario(&settings)?;
            Ok((index, settings))
        });
        match read {
            Ok((index, settings)) => {
                self.phase = Phase::Setup(index);
                self.start_playing(ctx, index, settings);
            }
            Err(e) => {
                let why = error_text(t, &e);
                self.link_error = Some(fill(words(ctx.props().lang).link_broken, &[("why", &why)]));
            }
        }
    }

    /// The challenge asked for from outside, set up (or, with settings, played).
    fn open_pick(&mut self, ctx: &Context<Self>) {
        let Some(pick) = ctx.props().pick.clone() else {
            return;
        };
        let Some(index) = self.set.challenges.iter().position(|c| c.id == pick.id) else {
            return;
        };
        self.to_top = true;
        match &pick.settings {
            Some(settings) if self.set.challenges[index].scenario(settings).is_ok() => {
                self.phase = Phase::Setup(index);
                self.start_playing(ctx, index, settings.clone());
            }
            _ => self.set_up(index, &json!({})),
        }
    }

    /// Challenge `index` on the stage, at its start with `settings`, waiting for the
    /// learner's changes.
    fn set_up(&mut self, index: usize, settings: &Value) {
        let challenge = &self.set.challenges[index];
        let Ok(scenario) = challenge.scenario(settings) else {
            return;
        };
        send_run(&scenario, None, &[]);
        self.phase = Phase::Setup(index);
        self.scoring = None;
    }

    /// Plays the learner's settings, if the challenge allows them.
    fn play(&mut self, ctx: &Context<Self>) {
        let Phase::Setup(index) = self.phase else {
            return;
        };
        let settings = self.changes(ctx, index).settings;
        self.start_playing(ctx, index, settings);
    }

    /// Asks the page to play `settings` on challenge `index`, and begins the view's own
    /// run of it, to score.
    fn start_playing(&mut self, ctx: &Context<Self>, index: usize, settings: Value) {
        let challenge = &self.set.challenges[index];
        let (Ok(scenario), Ok(sim)) = (challenge.scenario(&settings), challenge.begin(&settings))
        else {
            return;
        };
        send_run(&scenario, Some(challenge.seconds), &challenge.script);
        self.scoring = Some(sim);
        self.phase = Phase::Playing {
            index,
            settings,
            score: None,
        };
        self.link_error = None;
        self.next_slice(ctx);
    }

    fn next_slice(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self._slice = Some(Timeout::new(0, move || link.send_message(Msg::Score)));
    }

    /// Runs the view's own run a slice further; scores it at its end.
    fn score_slice(&mut self, ctx: &Context<Self>) {
        let Phase::Playing { index, score, .. } = &mut self.phase else {
            return;
        };
        let challenge = &self.set.challenges[*index];
        let Some(sim) = &mut self.scoring else {
            return;
        };
        if sim.run_until_budget(challenge.seconds, SCORING_SLICE) {
            *score = Some(Rc::new(challenge.score(sim)));
            self.scoring = None;
            self.poll(ctx);
        } else {
            self.next_slice(ctx);
        }
    }

    /// Looks at the stage's clock; shows the result once the stage reached the end and
    /// the score is ready. Whether to render.
    fn poll(&mut self, ctx: &Context<Self>) -> bool {
        let Some(now) = stage_time() else {
            return false;
        };
        let moved = now != self.now;
        self.now = now;
        let Phase::Playing {
            index,
            settings,
            score: Some(score),
        } = &self.phase
        else {
            return moved;
        };
        let challenge = &self.set.challenges[*index];
        if now < challenge.seconds {
            return moved;
        }
        progress::record(&mut self.progress, &challenge.id, score.stars);
        let link = result_link(ctx, challenge, settings);
        if let Ok(history) = gloo_utils::window().history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&link));
        }
        self.to_top = true;
        self.phase = Phase::Result {
            index: *index,
            settings: settings.clone(),
            score: score.clone(),
        };
        true
    }

    /// What the learner changed from challenge `index`'s start with the page's controls.
    fn changes(&self, ctx: &Context<Self>, index: usize) -> Changes {
        let start = (self.set.challenges[index].start())
            .map(|s| to_value(&s))
            .unwrap_or_default();
        let now = to_value(&ctx.props().scenario);
        Changes {
            settings: diff::settings(&start, &now),
            start,
            now,
        }
    }

    fn list(&self, ctx: &Context<Self>, w: &Words) -> Html {
        let lang = ctx.props().lang;
        let built_in = Challenges::built_in().challenges.len();
        html! { <>
            <h2>{ words::kit_words(lang).tab_challenges }</h2>
            <p class="hint">{ w.intro }</p>
            if self.progress_unreadable {
                <p class="training-error" role="alert">{ w.progress_unreadable }</p>
            }
            <ol class="challenge-list">
                { for self.set.challenges.iter().enumerate().map(|(i, c)| {
                    let best = self.progress.get(&c.id).copied();
                    html! {
                        <li>
                            <button id={format!("challenge-{}", c.id)} class="challenge-card"
                                onclick={ctx.link().callback(move |_| Msg::Pick(i))}>
                                <strong>{ title(c, lang) }</strong>
                                <span class="challenge-meta">
                                    { format!("{} · {}", w.level[(c.level.clamp(1, 3) - 1) as usize], area(w, &c.area)) }
                                    if i >= built_in {
                                        { format!(" · {}", words::kit_words(lang).from_workshop) }
                                    }
                                </span>
                                <span class="challenge-best">
                                    { match best {
                                        Some(stars) if stars > 0 => format!("{} {}", w.best, stars_text(stars)),
                                        _ => w.not_passed.to_string(),
                                    } }
                                </span>
                            </button>
                        </li>
                    }
                }) }
            </ol>
        </> }
    }

    fn setup(&self, ctx: &Context<Self>, w: &Words, index: usize) -> Html {
        let lang = ctx.props().lang;
        let t = lang.strings();
        let c = &self.set.challenges[index];
        let Changes {
            settings,
            start,
            now,
        } = self.changes(ctx, index);
        let changes = diff::changed(&settings, &start, &now);
        let locked = changes.iter().any(|(path, _, _)| !c.may_change(path));
        let label = |path: &str| setting_words(t, path);
        html! { <>
            { self.heading(lang, w, c) }
            <p class="challenge-brief">{ c.words(lang.code()).map(|x| x.brief.clone()).unwrap_or_default() }</p>
            { goal(w, c) }
            { script(w, t, c) }
            <h3>{ w.may_change }</h3>
            <p id="challenge-may">{ c.may_change.iter().map(|p| label(p)).collect::<Vec<_>>().join(" · ") }</p>
            <h3>{ w.your_changes }</h3>
            if changes.is_empty() {
                <p class="hint" id="challenge-changes">{ w.no_changes }</p>
            } else {
                <ul id="challenge-changes">
                    { for changes.iter().map(|(path, old, new)| {
                        let ok = c.may_change(path);
                        html! {
                            <li class={classes!((!ok).then_some("locked"))}>
                                { format!("{}: {} → {}", label(path), diff::short(old), diff::short(new)) }
                                if !ok { <em>{ format!(" ({})", w.locked) }</em> }
                            </li>
                        }
                    }) }
                </ul>
            }
            if locked {
                <p class="training-error" role="alert">{ w.locked_hint }</p>
            }
            <div class="challenge-actions">
                <button id="challenge-play" class="action primary" disabled={locked}
                    onclick={ctx.link().callback(|_| Msg::Play)}>{ w.play }</button>
                <button id="challenge-reset" class="action" onclick={ctx.link().callback(|_| Msg::Reset)}>{ w.reset }</button>
                <button id="challenge-back" class="action" onclick={ctx.link().callback(|_| Msg::Back)}>{ w.back }</button>
            </div>
        </> }
    }

    fn playing(&self, ctx: &Context<Self>, w: &Words, index: usize, scored: bool) -> Html {
        let lang = ctx.props().lang;
        let c = &self.set.challenges[index];
        let now = self.now.min(c.seconds);
        html! {
            <div class="challenge-playing">
                <p id="challenge-progress">
                    { fill(w.playing, &[("title", &title(c, lang)), ("now", &fixed(now, 0)), ("end", &fixed(c.seconds, 0))]) }
                    if !scored { <span class="hint">{ format!(" · {}", w.scoring) }</span> }
                </p>
                <progress max={c.seconds.to_string()} value={now.to_string()}></progress>
                <div class="challenge-actions">
                    <button id="challenge-finish" class="action primary" onclick={ctx.link().callback(|_| Msg::Finish)}>{ w.finish }</button>
                    <button id="challenge-change" class="action" onclick={ctx.link().callback(|_| Msg::ChangeSettings)}>{ w.change }</button>
                    <button id="challenge-back" class="action" onclick={ctx.link().callback(|_| Msg::Back)}>{ w.back }</button>
                </div>
            </div>
        }
    }

    fn result(&self, ctx: &Context<Self>, w: &Words, index: usize, score: &Score) -> Html {
        let lang = ctx.props().lang;
        let c = &self.set.challenges[index];
        let v = &score.verdicts;
        let mark = |held: bool| if held { w.held } else { w.missed_mark };
        let rows = [
            (
                w.p99,
                format!("{} ms", fixed(v.p99_ms, 1)),
                format!("≤ {} ms", fixed(c.goal.p99_ms, 0)),
                v.p99_held,
            ),
            (
                w.share,
                percent(v.good_share, 2),
                format!("≥ {}", percent(c.goal.good_share, 1)),
                v.good_share_held,
            ),
            (
                w.cost,
                money(v.cost_per_hour),
                format!("≤ {}", money(c.goal.cost_per_hour)),
                v.cost_held,
            ),
        ];
        html! { <>
            { self.heading(lang, w, c) }
            <p id="challenge-verdict" class={classes!("verdict", if score.passed { "passed" } else { "failed" })}
                data-passed={score.passed.to_string()} data-stars={score.stars.to_string()}
                data-score={serde_json::to_string(score).unwrap_or_default()}>
                { if score.passed { format!("{} {}", w.passed, stars_text(score.stars)) } else { w.failed.to_string() } }
            </p>
            <table class="challenge-verdicts" id="challenge-verdicts">
                <tr><th></th><th>{ w.measured }</th><th>{ w.goal_col }</th><th></th></tr>
                { for rows.into_iter().map(|(name, measured, goal, held)| html! {
                    <tr class={classes!((!held).then_some("missed"))}>
                        <th>{ name }</th><td>{ measured }</td><td>{ goal }</td><td>{ mark(held) }</td>
                    </tr>
                }) }
            </table>
            { debrief(w, lang.strings(), score) }
            if self.copied {
                <p class="hint" role="status">{ w.copied }</p>
            }
            <div class="challenge-actions">
                <button id="challenge-copy" class="action" onclick={ctx.link().callback(|_| Msg::Copy)}>{ w.copy }</button>
                <button id="challenge-change" class="action primary" onclick={ctx.link().callback(|_| Msg::ChangeSettings)}>{ w.change }</button>
                <button id="challenge-next" class="action" onclick={ctx.link().callback(|_| Msg::Next)}>{ w.next }</button>
                <button id="challenge-back" class="action" onclick={ctx.link().callback(|_| Msg::Back)}>{ w.back }</button>
            </div>
        </> }
    }

    fn heading(&self, lang: Lang, w: &Words, c: &Challenge) -> Html {
        html! {
            <h2 id="challenge-title">
                { title(c, lang) }
                <span class="challenge-meta">
                    { format!(" · {} · {}", w.level[(c.level.clamp(1, 3) - 1) as usize], area(w, &c.area)) }
                </span>
            </h2>
        }
    }
}

/// The learner's settings (a merge patch over the start) and the two scenarios, as
/// JSON values, they are the difference of.
struct Changes {
    settings: Value,
    start: Value,
    now: Value,
}

/// The goal in words.
fn goal(w: &Words, c: &Challenge) -> Html {
    let g = &c.goal;
    html! { <>
        <h3>{ w.goal }</h3>
        <ul id="challenge-goal">
            <li>{ fill(w.goal_p99, &[("ms", &fixed(g.p99_ms, 0))]) }</li>
            <li>{ fill(w.goal_share, &[("share", &percent(g.good_share, 1))]) }</li>
            <li>{ fill(w.goal_cost, &[("cost", &money(g.cost_per_hour))]) }</li>
        </ul>
        <p class="hint">{ fill(w.stars_rule, &[("three", &money(g.stars[0])), ("two", &money(g.stars[1]))]) }</p>
    </> }
}

/// The script in words.
fn script(w: &Words, t: &'static crate::i18n::Strings, c: &Challenge) -> Html {
    let entry = |e: &Scripted| {
        let what = if let Some(n) = e.kill_server {
            fill(w.kill, &[("n", &n)])
        } else if let Some(n) = e.revive_server {
            fill(w.revive, &[("n", &n)])
        } else if let Some(up) = e.database {
            (if up { w.db_up } else { w.db_down }).to_string()
        } else {
            let patch = e.patch.clone().unwrap_or_default();
            let paths = diff::changed(&patch, &Value::Null, &Value::Null);
            let mut labels: Vec<String> =
                paths.iter().map(|(p, _, _)| setting_words(t, p)).collect();
            labels.dedup();
            fill(w.patch, &[("what", &labels.join(", "))])
        };
        format!("{}: {what}", fill(w.at, &[("s", &fixed(e.at, 0))]))
    };
    html! { <>
        <h3>{ w.script }</h3>
        <ul id="challenge-script">
            { for c.script.iter().map(|e| html! { <li>{ entry(e) }</li> }) }
            <li>{ fill(w.lasts, &[("s", &fixed(c.seconds, 0))]) }</li>
        </ul>
    </> }
}

/// Most refusal rows and missed stretches the debrief lists.
const DEBRIEF_ROWS: usize = 6;

/// What held and what broke, where and when.
fn debrief(w: &Words, t: &'static crate::i18n::Strings, score: &Score) -> Html {
    let d = &score.debrief;
    let more = |n: usize| {
        (n > DEBRIEF_ROWS).then(
            || html! { <li class="hint">{ fill(w.more, &[("n", &(n - DEBRIEF_ROWS))]) }</li> },
        )
    };
    html! {
        <div class="debrief" id="challenge-debrief">
            <h3>{ w.debrief }</h3>
            <p>{ fill(w.totals, &[("arrivals", &grouped(d.arrivals)), ("late", &grouped(d.late)), ("gave_up", &grouped(d.gave_up))]) }</p>
            <h4>{ w.refused }</h4>
            if d.refused.is_empty() {
                <p class="hint">{ w.nothing_refused }</p>
            } else {
                <ul id="challenge-refused">
                    { for d.refused.iter().take(DEBRIEF_ROWS).map(|(part, reason, n)| html! {
                        <li>{ format!("{}: {} · {}", part_name(w, part), grouped(*n), reason_words(t, reason)) }</li>
                    }) }
                    { for more(d.refused.len()) }
                </ul>
            }
            <h4>{ w.stretches }</h4>
            if d.missed.is_empty() {
                <p class="hint">{ w.no_stretch }</p>
            } else {
                <ul id="challenge-missed">
                    { for d.missed.iter().take(DEBRIEF_ROWS).map(|m| html! {
                        <li>{ fill(w.stretch, &[("from", &fixed(m.from, 0)), ("to", &fixed(m.to, 0)),
                            ("p99", &fixed(m.worst_p99_ms, 0)), ("share", &percent(m.worst_good_share, 1))]) }</li>
                    }) }
                    { for more(d.missed.len()) }
                </ul>
            }
            <p id="challenge-cost">{ fill(w.spent, &[("total", &money(d.cost)), ("hour", &money(score.verdicts.cost_per_hour))]) }</p>
        </div>
    }
}

/// A part of the debrief (`server 2`, `rate limiter`) in words.
fn part_name(w: &Words, part: &str) -> String {
    match part {
        "rate limiter" => w.part_limiter.to_string(),
        "balancer" => w.part_balancer.to_string(),
        "database" => w.part_database.to_string(),
        other => match other.strip_prefix("server ") {
            Some(n) => fill(w.part_server, &[("n", &n)]),
            None => other.to_string(),
        },
    }
}

/// A refusal's reason, as the summary names it, in the page's words.
fn reason_words(t: &'static crate::i18n::Strings, name: &str) -> String {
    Reason::ALL
        .iter()
        .find(|&&r| challenges::reason_name(r) == name)
        .map_or(name.to_string(), |&r| {
            crate::i18n::reason_name(t, r).to_string()
        })
}

fn area(w: &Words, area: &str) -> String {
    w.areas
        .iter()
        .find(|(key, _)| *key == area)
        .map_or(area.to_string(), |(_, name)| name.to_string())
}

fn title(c: &Challenge, lang: Lang) -> String {
    c.words(lang.code())
        .map_or(c.id.clone(), |w| w.title.clone())
}

fn stars_text(stars: u8) -> String {
    (0..3).map(|i| if i < stars { '★' } else { '☆' }).collect()
}

/// Money as the cost model counts it (no currency: the price list is the trainer's).
fn money(x: f64) -> String {
    let decimals = if x >= 1.0 { 2 } else { 3 };
    format!("${}", fixed(x, decimals))
}

/// A setting by the label of its control. The fields of autoscaling, retries and the
/// breaker, which challenges let the learner change one by one, are named here by their
/// own controls' labels: the page's table names only their group (its first load has no
/// room for more), and none for autoscaling.
fn setting_words(t: &'static Strings, path: &str) -> String {
    let own = match path {
        "servers.autoscale" => Some(t.as_title),
        "servers.autoscale.metric" => Some(t.as_metric),
        "servers.autoscale.target" => Some(t.as_target),
        "servers.autoscale.min" => Some(t.as_min),
        "servers.autoscale.max" => Some(t.as_max),
        "servers.autoscale.interval_seconds" => Some(t.as_interval),
        "servers.autoscale.cooldown_seconds" => Some(t.as_cooldown),
        "servers.autoscale.boot_seconds" => Some(t.as_boot),
        "servers.autoscale.step_up" => Some(t.as_step_up),
        "servers.autoscale.step_down" => Some(t.as_step_down),
        "protection.retries.max_attempts" => Some(t.attempts),
        "protection.retries.backoff_seconds" => Some(t.backoff),
        "protection.retries.budget" => Some(t.budget),
        "protection.circuit_breaker.failure_ratio" => Some(t.breaker_ratio),
        "protection.circuit_breaker.open_seconds" => Some(t.breaker_open),
        _ => None,
    };
    own.or_else(|| setting_label(t, path))
        .unwrap_or(path)
        .to_string()
}

/// The built-in challenges, then the open workshop's own.
fn with_workshop(workshop: &Option<Rc<workshop::Opened>>) -> Challenges {
    let mut set = Challenges::built_in().clone();
    if let Some(opened) = workshop {
        set.challenges.extend(opened.workshop.challenges().cloned());
    }
    set
}

/// The page's address with the result of `settings` on challenge `c`; a workshop's own
/// challenge's carries the workshop's link before it, so the link opens anywhere.
fn result_link(ctx: &Context<ChallengesView>, c: &Challenge, settings: &Value) -> String {
    let result = challenges::result_fragment(&c.id, settings);
    let page = crate::address::page_address();
    let own = Challenges::built_in().get(&c.id).is_none();
    match &ctx.props().workshop {
        Some(opened) if own => format!("{page}#{}&{result}", opened.fragment),
        _ => format!("{page}#{result}"),
    }
}

fn to_value(scenario: &Scenario) -> Value {
    serde_json::to_value(scenario).unwrap_or_default()
}

/// Asks the page to show a challenge's run: `scenario`, played to `seconds` with
/// `script` (or, without `seconds`, waiting at its start to be set up).
fn send_run(scenario: &Scenario, seconds: Option<f64>, script: &[Scripted]) {
    let detail = json!({
        "scenario": to_value(scenario),
        "seconds": seconds,
        "script": script,
    });
    dispatch("challenge-run", Some(&detail.to_string()));
}

/// The stage's clock as the headline publishes it, in simulated seconds.
fn stage_time() -> Option<f64> {
    let element = gloo_utils::document()
        .query_selector("[data-readout=\"sim-time\"]")
        .ok()??;
    element.get_attribute("data-value")?.parse().ok()
}

/// Dispatches `kind` on the page's slot, with `detail` if any.
fn dispatch(kind: &str, detail: Option<&str>) {
    crate::components::lazy_view::dispatch(ROOT_ID, kind, detail);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a challenge lets the learner change reads as the page's controls do, in
    /// both languages, never as a path in the file.
    #[test]
    fn every_setting_a_challenge_opens_reads_as_a_control() {
        for lang in [Lang::En, Lang::Zh] {
            let t = lang.strings();
            for c in &Challenges::built_in().challenges {
                for path in &c.may_change {
                    let words = setting_words(t, path);
                    assert!(
                        !words.contains('.') || words.contains(' '),
                        "{path} reads {words:?}"
                    );
                    assert_ne!(&words, path);
                }
            }
        }
    }
}
