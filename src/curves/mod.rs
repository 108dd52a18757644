//! The Curves view: choose a setting of the running scenario, a range and a figure; a
//! worker runs the sweep off the page's thread and sends back the chart so far after
//! every point, which is shown as it comes. The chart is the worker's SVG; this view
//! holds the form, the progress, what the chart means in words, and sets the scenario
//! to a point clicked (a live change, marked as any other).
//!
//! The curve's settings live in the scenario (`Scenario::curve`), so they travel with
//! it in links and files; editing them changes nothing that runs.

mod bridge;
pub mod host;
mod png;
pub mod slot;
mod words;

/// The id of the page's element the view mounts in.
pub const ROOT_ID: &str = "curves-root";

use crate::components::Select;
use crate::i18n::{error_text, fill, Lang, Strings};
use bridge::{Bridge, Job};
use loadlab_sim::curves::{ChartWords, CurveSpec, Measure, Report};
use loadlab_sim::Scenario;
use std::rc::Rc;
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

/// What the view receives.
#[derive(Properties, PartialEq, Clone)]
pub struct CurvesProps {
    pub lang: Lang,
    /// The running scenario, its curve among its settings.
    pub scenario: Rc<Scenario>,
    /// Called with the curve's edited settings.
    pub on_curve: Callback<CurveSpec>,
    /// Called with the scenario set to a point clicked.
    pub on_apply: Callback<Scenario>,
}

pub enum Msg {
    Edit(CurveSpec),
    /// A number field was typed in that is not a number.
    Refused,
    Run,
    Cancel,
    Report(Report),
    Click(MouseEvent),
    Csv,
    Png,
    /// The PNG could not be made: why.
    PngFailed(String),
}

/// How the last sweep went.
#[derive(PartialEq)]
enum State {
    Idle,
    Running,
    Finished,
    Cancelled,
    Failed(String),
}

/// The view.
pub struct CurvesView {
    bridge: Option<Bridge>,
    state: State,
    /// Replications run and in all, of the sweep running or last run.
    done: u32,
    total: u32,
    /// The last report with a chart.
    chart: Option<Report>,
    /// What the chart was drawn for: language, figure, where the system is; another
    /// has it drawn again from its points.
    drawn: Option<(Lang, Measure, Option<f64>)>,
    /// The chart's size when it was drawn: the chart is drawn again at a new size, so
    /// its type stays the page's.
    drawn_size: (f64, f64),
    /// A refused edit, said under the form.
    refused: Option<String>,
}

impl Component for CurvesView {
    type Message = Msg;
    type Properties = CurvesProps;

    fn create(_: &Context<Self>) -> Self {
        Self {
            bridge: None,
            state: State::Idle,
            done: 0,
            total: 0,
            chart: None,
            drawn: None,
            drawn_size: (0.0, 0.0),
            refused: None,
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        let props = ctx.props();
        let t = props.lang.strings();
        match msg {
            Msg::Edit(next) => {
                let now = spec(&props.scenario);
                // Points of another setting or range would be mislabelled: drop them.
                let same_points = CurveSpec {
                    measure: now.measure,
                    ..next.clone()
                } == now;
                if !same_points {
                    self.chart = None;
                    self.drawn = None;
                }
                self.refused = None;
                props.on_curve.emit(next);
            }
            Msg::Refused => self.refused = Some(t.not_a_number.to_string()),
            Msg::Run => self.run(ctx),
            Msg::Cancel => {
                self.bridge = None;
                self.state = State::Cancelled;
            }
            Msg::Report(report) => self.report(report),
            Msg::Click(e) => self.click(ctx, e),
            Msg::Csv => {
                if let Some(chart) = &self.chart {
                    crate::keep::download_text("loadlab-curve.csv", "text/csv", &chart.csv);
                }
            }
            Msg::Png => self.png(ctx),
            Msg::PngFailed(why) => self.refused = Some(why),
        }
        self.redraw(ctx);
        true
    }

    fn rendered(&mut self, ctx: &Context<Self>, _first: bool) {
        // Hidden (the charts shown instead): nothing to fit.
        let Some((w, h)) = shown_size() else { return };
        let (dw, dh) = self.drawn_size;
        let moved = (w - dw).abs() > 0.05 * dw.max(1.0) || (h - dh).abs() > 0.05 * dh.max(1.0);
        if moved && self.state != State::Running {
            self.drawn = None;
            self.redraw(ctx);
        }
    }

    fn changed(&mut self, ctx: &Context<Self>, _: &CurvesProps) -> bool {
        self.redraw(ctx);
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let props = ctx.props();
        let t = props.lang.strings();
        let link = ctx.link();
        let running = self.state == State::Running;
        html! {
            <section id="curves" class="curves" aria-label={t.cv_title}>
                <div class="curve-form">
                    <h2>{ t.cv_title }</h2>
                    { self.form(ctx, running) }
                    if running {
                        <button id="curve-cancel" class="action"
                            onclick={link.callback(|_| Msg::Cancel)}>{ t.cancel }</button>
                    } else {
                        <button id="curve-run" class="action primary"
                            onclick={link.callback(|_| Msg::Run)}>{ t.cv_run }</button>
                    }
                    if let Some(refused) = &self.refused {
                        <p class="error" role="alert">{ refused }</p>
                    }
                    { self.progress(t) }
                    if self.chart.is_some() {
                        <button id="curve-csv" class="action"
                            onclick={link.callback(|_| Msg::Csv)}>{ t.cv_csv }</button>
                        <button id="curve-png" class="action"
                            onclick={link.callback(|_| Msg::Png)}>{ t.cv_png }</button>
                    }
                    <p class="hint">{ t.cv_hint }</p>
                </div>
                <div class="curve-result">
                    <div class="curve-chart" id="curve-chart" role="img" aria-label={t.cv_aria}
                        onclick={link.callback(Msg::Click)}>
                        if let Some(chart) = &self.chart {
                            { Html::from_html_unchecked(AttrValue::from(chart.svg.clone())) }
                        }
                    </div>
                    { self.findings(props) }
                </div>
            </section>
        }
    }
}

/// The chart's size and the page's type size, in CSS pixels (a default before the
/// chart is laid out).
fn chart_size() -> (f64, f64, f64) {
    let document = gloo_utils::document();
    let size = shown_size().unwrap_or((800.0, 400.0));
    let font = document
        .document_element()
        .and_then(|root| {
            gloo_utils::window()
                .get_computed_style(&root)
                .ok()
                .flatten()
        })
        .and_then(|style| style.get_property_value("font-size").ok())
        .and_then(|px| crate::number::parse_number(px.trim_end_matches("px")))
        .unwrap_or(13.0);
    (size.0, size.1, font)
}

/// The chart's size on screen; `None` while it is not laid out (hidden, or empty on a
/// phone, where the chart's own shape sets its height).
fn shown_size() -> Option<(f64, f64)> {
    gloo_utils::document()
        .get_element_by_id("curve-chart")
        .map(|e| (f64::from(e.client_width()), f64::from(e.client_height())))
        .filter(|(w, h)| *w > 0.0 && *h > 0.0)
}

/// How many points ran again with more requests than `curve` starts with, and the most
/// any ran; `None` if none did.
fn grown(chart: &Report, curve: &CurveSpec) -> Option<(usize, u64)> {
    let points = loadlab_sim::curves::points_from_json(&chart.points).ok()?;
    let longer: Vec<u64> = points
        .iter()
        .map(|p| p.requests)
        .filter(|&r| r > curve.requests)
        .collect();
    Some((longer.len(), longer.into_iter().max()?))
}

/// How many points a report's chart has (its points' JSON names each one's value once).
fn point_count(chart: &Report) -> usize {
    chart.points.matches("\"value\"").count()
}

/// The scenario's curve, or the first one it suggests.
fn spec(scenario: &Scenario) -> CurveSpec {
    scenario
        .curve
        .clone()
        .unwrap_or_else(|| CurveSpec::default_for(&scenario.traffic.arrivals))
}

impl CurvesView {
    fn form(&self, ctx: &Context<Self>, running: bool) -> Html {
        let props = ctx.props();
        let t = props.lang.strings();
        let now = spec(&props.scenario);
        let link = ctx.link();
        let edit = |f: fn(&mut CurveSpec, String)| {
            let now = now.clone();
            link.callback(move |text: String| {
                let mut next = now.clone();
                f(&mut next, text);
                Msg::Edit(next)
            })
        };
        let settings: Vec<(AttrValue, AttrValue)> = props
            .scenario
            .sweepable()
            .into_iter()
            .map(|path| {
                let text = words::setting(t, &path);
                (AttrValue::from(path), AttrValue::from(text))
            })
            .collect();
        let measures: Vec<(AttrValue, AttrValue)> = Measure::ALL
            .iter()
            .map(|m| {
                (
                    AttrValue::from(m.name()),
                    AttrValue::from(words::measure(t, *m)),
                )
            })
            .collect();
        let number =
            |id: &'static str, label: &'static str, value: String, f: fn(&mut CurveSpec, f64)| {
                let now = now.clone();
                let onchange = link.callback(move |e: Event| {
                    let input: HtmlInputElement = e.target_unchecked_into();
                    match crate::number::parse_number(&input.value()) {
                        Some(v) => {
                            let mut next = now.clone();
                            f(&mut next, v);
                            Msg::Edit(next)
                        }
                        None => Msg::Refused,
                    }
                });
                html! {
                    <div class="field">
                        <label for={id}>{ label }</label>
                        <input id={id} type="number" value={value} disabled={running} {onchange} />
                    </div>
                }
            };
        html! { <fieldset disabled={running}>
            <Select id="curve-setting" label={t.cv_setting} options={settings}
                value={now.setting.clone()}
                onchange={edit(|c, v| c.setting = v)} />
            { number("curve-from", t.cv_from, now.from.to_string(), |c, v| c.from = v) }
            { number("curve-to", t.cv_to, now.to.to_string(), |c, v| c.to = v) }
            { number("curve-points", t.cv_points, now.points.to_string(), |c, v| c.points = v as u32) }
            { number("curve-replications", t.cv_replications, now.replications.to_string(),
                |c, v| c.replications = v as u32) }
            { number("curve-requests", t.cv_requests, now.requests.to_string(),
                |c, v| c.requests = v as u64) }
            // A band of 0 % asks for none: each point runs its requests once.
            { number("curve-band", t.cv_band_target,
                format!("{}", now.band.map_or(0.0, |b| (b * 1e4).round() / 100.0)),
                |c, v| c.band = (v > 0.0).then_some(v / 100.0)) }
            <Select id="curve-measure" label={t.cv_measure} options={measures}
                value={now.measure.name()}
                onchange={edit(|c, v| {
                    if let Some(m) = Measure::ALL.into_iter().find(|m| m.name() == v) {
                        c.measure = m;
                    }
                })} />
        </fieldset> }
    }

    fn progress(&self, t: &'static Strings) -> Html {
        let text = fill(
            t.cv_progress,
            &[("done", &self.done), ("total", &self.total)],
        );
        let outcome = match &self.state {
            State::Idle | State::Running => None,
            State::Finished => {
                let points = self.chart.as_ref().map_or(0, point_count);
                Some(fill(
                    t.cv_finished,
                    &[("points", &points), ("total", &self.total)],
                ))
            }
            State::Cancelled => Some(fill(
                t.cv_cancelled,
                &[("done", &self.done), ("total", &self.total)],
            )),
            State::Failed(why) => Some(fill(t.cv_failed, &[("error", why)])),
        };
        html! { <div class="curve-progress" id="curve-progress" data-done={self.done.to_string()}
            data-total={self.total.to_string()}>
            if self.total > 0 {
                <progress max={self.total.to_string()} value={self.done.to_string()}></progress>
                <span>{ text }</span>
            }
            if let Some(outcome) = outcome {
                <p id="curve-outcome" role="status">{ outcome }</p>
            }
        </div> }
    }

    /// The chart in words: the knee, how narrow the bands are (and how many points ran
    /// longer for it), why no theory line.
    fn findings(&self, props: &CurvesProps) -> Html {
        let t = props.lang.strings();
        let Some(chart) = &self.chart else {
            return html! {};
        };
        let knee = chart
            .knee
            .map(|k| fill(t.cv_knee, &[("value", &format!("{k:.0}"))]));
        let band = chart
            .widest_band
            .map(|b| fill(t.cv_band, &[("share", &format!("{:.1} %", b * 100.0))]));
        let silent = chart.unsolved.map(|why| {
            fill(
                t.cv_no_theory,
                &[("reason", &crate::i18n::unsolved_text(t, why))],
            )
        });
        let grown = grown(chart, &spec(&props.scenario)).map(|(n, most)| {
            fill(
                t.cv_band_grown,
                &[("n", &n), ("requests", &crate::view::grouped(most))],
            )
        });
        html! { <ul class="curve-findings" id="curve-findings">
            { for [knee, band, grown, silent].into_iter().flatten().map(|line| html! { <li>{ line }</li> }) }
        </ul> }
    }

    /// Starts the sweep of the scenario's curve, or says why it cannot.
    fn run(&mut self, ctx: &Context<Self>) {
        let props = ctx.props();
        let t = props.lang.strings();
        let mut scenario = (*props.scenario).clone();
        let curve = spec(&scenario);
        scenario.curve = Some(curve.clone());
        if let Err(e) = scenario
            .validate()
            .and_then(|()| curve.check_ends(&scenario))
        {
            self.refused = Some(error_text(t, &e));
            return;
        }
        let job = self.job(ctx, scenario, "");
        self.bridge = Bridge::start(ctx.link().callback(Msg::Report));
        let Some(bridge) = &self.bridge else {
            self.state = State::Failed("the browser did not start the worker".to_string());
            return;
        };
        bridge.post(&job);
        self.state = State::Running;
        self.chart = None;
        self.refused = None;
        (self.done, self.total) = (
            0,
            curve.values(&props.scenario).len() as u32 * curve.replications,
        );
    }

    /// The job for `scenario` (its curve set) in this view's words; `points` to draw
    /// only (empty: run).
    fn job<'a>(&mut self, ctx: &Context<Self>, scenario: Scenario, points: &'a str) -> Job<'a> {
        let props = ctx.props();
        let t = props.lang.strings();
        let curve = spec(&scenario);
        let current = curve.current(&props.scenario);
        let (width, height, font) = chart_size();
        self.drawn_size = (width, height);
        self.drawn = Some((props.lang, curve.measure, current));
        Job {
            words: ChartWords {
                x_title: words::axis(t, &curve.setting),
                y_title: words::measure(t, curve.measure).to_string(),
                simulated: t.cv_simulated.to_string(),
                theory: t.cv_theory.to_string(),
                now: t.cv_now.to_string(),
                knee: t.cv_knee_mark.to_string(),
                width,
                height,
                font,
            },
            scenario: crate::keep::scenario_json(&scenario),
            current,
            points,
        }
    }

    fn report(&mut self, report: Report) {
        if let Some(error) = report.error {
            self.state = State::Failed(error);
            self.bridge = None;
            return;
        }
        if report.total > 0 {
            (self.done, self.total) = (report.done, report.total);
        }
        if report.finished && self.state == State::Running {
            self.state = State::Finished;
        }
        if !report.svg.is_empty() {
            self.chart = Some(report);
        }
    }

    /// Draws the chart again from its points when the language, the figure or the
    /// system's place on the curve changed (not while a sweep runs: its next point will).
    fn redraw(&mut self, ctx: &Context<Self>) {
        let props = ctx.props();
        let curve = spec(&props.scenario);
        let wanted = Some((props.lang, curve.measure, curve.current(&props.scenario)));
        let Some(chart) = &self.chart else { return };
        if self.state == State::Running || self.drawn == wanted {
            return;
        }
        let points = chart.points.clone();
        let mut scenario = (*props.scenario).clone();
        scenario.curve = Some(curve);
        let job = self.job(ctx, scenario, &points);
        if self.bridge.is_none() {
            self.bridge = Bridge::start(ctx.link().callback(Msg::Report));
        }
        if let Some(bridge) = &self.bridge {
            bridge.post(&job);
        }
    }

    /// Offers the chart as a PNG under a caption of what was swept and how.
    fn png(&self, ctx: &Context<Self>) {
        let props = ctx.props();
        let Some(chart) = &self.chart else { return };
        let t = props.lang.strings();
        let curve = spec(&props.scenario);
        let caption = vec![
            format!("Loadlab · {} · {}", t.cv_title, crate::keep::now_utc()),
            fill(
                t.cv_caption,
                &[
                    ("figure", &words::measure(t, curve.measure)),
                    ("setting", &words::axis(t, &curve.setting)),
                    ("points", &point_count(chart)),
                    ("runs", &curve.replications),
                    ("requests", &crate::view::grouped(curve.requests)),
                    ("seed", &props.scenario.seed),
                ],
            ),
        ];
        let (svg, size, chinese) = (chart.svg.clone(), self.drawn_size, props.lang == Lang::Zh);
        let failed = ctx.link().callback(Msg::PngFailed);
        wasm_bindgen_futures::spawn_local(async move {
            match png::png(&svg, size, &caption, chinese).await {
                Ok(url) => crate::keep::download_url("loadlab-curve.png", &url),
                Err(why) => failed.emit(why),
            }
        });
    }

    /// A click on a point sets the scenario's setting to the point's value.
    fn click(&mut self, ctx: &Context<Self>, e: MouseEvent) {
        let props = ctx.props();
        let point = e
            .target_dyn_into::<Element>()
            .and_then(|el| el.closest("g.point").ok().flatten());
        let Some(value) = point
            .and_then(|g| g.get_attribute("data-value"))
            .and_then(|v| crate::number::parse_number(&v))
        else {
            return;
        };
        let setting = spec(&props.scenario).setting;
        match loadlab_sim::sweep::with_value(&props.scenario, &setting, value) {
            Ok((next, _)) => props.on_apply.emit(next),
            Err(e) => self.refused = Some(error_text(props.lang.strings(), &e)),
        }
    }
}
