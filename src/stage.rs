//! The stage: the topology canvas with the request dots and the hover details, and the
//! charts. It fits the canvases to the page, draws them each frame (the charts only
//! when a window has closed, at most four times a second), and tells tests where each
//! part of the topology is (`data-parts` on the canvas).

use crate::chrome::Shown;
use crate::i18n::{mark_text, Lang};
use crate::ids::{ChartId, PRESENTER_HIDDEN};
use crate::run::Run;
use crate::view::charts::{self, WINDOWS_SHOWN};
use crate::view::details::details;
use crate::view::dots::{self, Dots};
use crate::view::layout::{Layout, Part};
use crate::view::{chart, topology};
use loadlab_sim::server::Lifecycle;
use loadlab_sim::Simulation;
use web_sys::{HtmlCanvasElement, HtmlElement};
use yew::prelude::*;

/// How often the charts may redraw, in milliseconds.
const CHART_PERIOD_MS: f64 = 250.0;
/// The root font size the canvases' drawing sizes are designed for.
const BASE_FONT_PX: f64 = 13.0;

/// What the pointer does over the topology.
pub enum StageMsg {
    /// The pointer moved over the topology (canvas pixels), or left it.
    Hover(Option<(f64, f64)>),
}

/// The canvases and what is drawn on them.
pub struct Stage {
    topology: NodeRef,
    charts: Vec<NodeRef>,
    /// The hover details' box, placed beside the pointer after each render.
    tooltip: NodeRef,
    hovered: Option<(Part, f64, f64)>,
    dots: Dots,
    /// The core's trace sampling now (one request in this many; 0: none).
    trace_every: u64,
    /// Canvas drawing scale: the root font size over [`BASE_FONT_PX`].
    scale: f64,
    /// Windows closed when the charts were last drawn (`None`: redraw at once).
    charted: Option<(usize, f64)>,
    last_chart_ms: f64,
    /// The topology's layout, and how many servers were retired when it was made: kept
    /// (and published in `data-parts`) until the canvas, the scenario or the servers
    /// shown change, so a frame neither lays out nor allocates for it.
    layout: Option<(Layout, usize)>,
}

impl Default for Stage {
    fn default() -> Self {
        Self {
            topology: NodeRef::default(),
            charts: ChartId::ALL.iter().map(|_| NodeRef::default()).collect(),
            tooltip: NodeRef::default(),
            hovered: None,
            dots: Dots::default(),
            trace_every: 0,
            scale: 1.0,
            charted: None,
            last_chart_ms: f64::NEG_INFINITY,
            layout: None,
        }
    }
}

impl Stage {
    /// Follows the pointer; whether the details shown changed.
    pub fn update(&mut self, msg: StageMsg) -> bool {
        match msg {
            StageMsg::Hover(point) => {
                let before = self.hovered.map(|h| h.0);
                self.hovered = point.and_then(|(x, y)| self.part_at(x, y).map(|part| (part, x, y)));
                self.hovered.is_some() || before.is_some()
            }
        }
    }

    /// Whether hover details show (they follow the run, so the page re-renders).
    pub fn hovering(&self) -> bool {
        self.hovered.is_some()
    }

    /// A new run starts: no dots in flight, its tracing off, all drawn anew.
    pub fn restart(&mut self) {
        self.dots = Dots::default();
        self.trace_every = 0;
        self.refresh();
    }

    /// Lays out and draws everything anew at the next frame: the scenario, the words or
    /// the sizes changed, or a change mark is to be drawn.
    pub fn refresh(&mut self) {
        self.charted = None;
        self.layout = None;
    }

    /// The chart canvases, in page order.
    pub fn chart_canvases(&self) -> Vec<HtmlCanvasElement> {
        self.charts.iter().filter_map(NodeRef::cast).collect()
    }

    /// Draws the frame at `now_ms`: the topology and its dots every frame, the charts when
    /// a window has closed (at most every [`CHART_PERIOD_MS`]) or the canvases resized.
    pub fn draw(&mut self, now_ms: f64, run: &mut Run, lang: Lang, reduced_motion: bool) {
        let resized = self.fit_canvases();
        if resized {
            self.scale = root_font_px() / BASE_FONT_PX;
        }
        self.update_dots(now_ms, run, reduced_motion);
        if let Some(canvas) = self.topology.cast::<HtmlCanvasElement>() {
            self.lay_out(&canvas, run.sim(), resized);
            if let Some((layout, _)) = &self.layout {
                let dots = (!reduced_motion).then_some(&self.dots);
                let (sim, t) = (run.sim(), lang.strings());
                topology::draw(&canvas, sim, layout, dots, now_ms, self.scale, t);
            }
        }
        let windows = run.sim().metrics().windows();
        let key = (windows.len(), windows.back().map_or(0.0, |w| w.end));
        let due = now_ms - self.last_chart_ms >= CHART_PERIOD_MS || resized;
        if (self.charted != Some(key) && due) || self.charted.is_none() {
            self.draw_charts(run, lang);
            self.charted = Some(key);
            self.last_chart_ms = now_ms;
        }
    }

    /// Lays the topology out again if the canvas was `resized`, the layout was dropped
    /// ([`Stage::refresh`]) or a server retired, and publishes its parts' boxes on the
    /// canvas (`data-parts`, in CSS pixels) for tests that point at them.
    fn lay_out(&mut self, canvas: &HtmlCanvasElement, sim: &Simulation, resized: bool) {
        let retired = (sim.servers().iter())
            .filter(|s| s.lifecycle() == Lifecycle::Retired)
            .count();
        if !resized && self.layout.as_ref().is_some_and(|(_, r)| *r == retired) {
            return;
        }
        let layout = topology::layout(canvas, sim, self.scale);
        let _ = canvas.set_attribute("data-parts", &layout.parts_json(self.scale));
        self.layout = Some((layout, retired));
    }

    fn draw_charts(&self, run: &Run, lang: Lang) {
        let t = lang.strings();
        let specs_of = |sim: &Simulation| {
            let windows = sim.metrics().windows();
            let skip = windows.len().saturating_sub(WINDOWS_SHOWN);
            let shown: Vec<_> = windows.iter().skip(skip).collect();
            let s = sim.scenario();
            charts::specs(t, &shown, s.cache.is_some(), s.database.is_some())
        };
        let mut specs = specs_of(run.sim());
        if let Some(a) = run.baseline() {
            for (spec, ghost) in specs.iter_mut().zip(specs_of(a)) {
                spec.ghost = ghost.series;
            }
        }
        let marks: Vec<chart::Mark> = (run.sim().marks().iter())
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
    fn update_dots(&mut self, now_ms: f64, run: &mut Run, reduced_motion: bool) {
        let every = if run.flowing() && !reduced_motion {
            let rate = (run.sim().metrics().windows().back())
                .map_or(100.0, |w| w.arrivals as f64 / (w.end - w.start));
            dots::sampling(rate * run.speed())
        } else {
            0
        };
        if every != self.trace_every {
            run.sim_mut().trace_every(every);
            self.trace_every = every;
        }
        self.dots.update(run.sim(), now_ms);
    }

    /// The part under (`x`, `y`) in canvas pixels, as last drawn.
    fn part_at(&self, x: f64, y: f64) -> Option<Part> {
        let (layout, _) = self.layout.as_ref()?;
        layout.hit(x / self.scale, y / self.scale)
    }

    /// Puts the hover details beside the pointer. Through the element's style object, not
    /// a `style` attribute, which the page's Content-Security-Policy forbids.
    pub fn place_tooltip(&self) {
        let (Some((_, x, y)), Some(tip)) = (self.hovered, self.tooltip.cast::<HtmlElement>())
        else {
            return;
        };
        let style = tip.style();
        let _ = style.set_property("left", &format!("{}px", x + 14.0));
        let _ = style.set_property("top", &format!("{}px", y + 14.0));
    }

    /// The topology (with its details, the comparison's badge and the reduced-motion
    /// note) over the charts, those presenter mode does not show marked hidden.
    pub fn view(
        &self,
        run: &Run,
        lang: Lang,
        reduced_motion: bool,
        shown: Shown,
        on: &Callback<StageMsg>,
    ) -> Html {
        let t = lang.strings();
        // A tap (a click without hovering) shows the same details.
        let point = on.reform(|e: MouseEvent| StageMsg::Hover(Some(offset(&e))));
        html! {
            <section class="stage">
                <div class="topology-wrap">
                    <canvas ref={self.topology.clone()} id="topology" aria-label={t.topology_aria}
                        onmousemove={point.clone()} onclick={point}
                        onmouseleave={on.reform(|_: MouseEvent| StageMsg::Hover(None))} />
                    { self.tooltip(run.sim(), lang) }
                    if run.baseline().is_some() {
                        <p class="compare-badge" id="compare-badge">{ t.compare_badge }</p>
                    }
                    if reduced_motion {
                        <p class="motion-note">{ t.reduced_motion }</p>
                    }
                </div>
                <div class={classes!("charts", shown.is_lesson().then_some("presenter-lesson"))}>
                    { for ChartId::ALL.iter().zip(&self.charts).map(|(&id, node)| {
                        chart_canvas(id, node, shown.chart(id))
                    }) }
                </div>
            </section>
        }
    }

    fn tooltip(&self, sim: &Simulation, lang: Lang) -> Html {
        let Some((part, _, _)) = self.hovered else {
            return html! {};
        };
        let (title, rows) = details(lang.strings(), sim, part);
        html! {
            <div class="tooltip" role="status" ref={self.tooltip.clone()}>
                <strong>{ title }</strong>
                <dl>
                    { for rows.into_iter().map(|(k, v)| html! {
                        <><dt>{ k }</dt><dd>{ v }</dd></>
                    }) }
                </dl>
            </div>
        }
    }
}

/// A chart's canvas; `shown` or hidden by presenter mode.
fn chart_canvas(id: ChartId, node: &NodeRef, shown: bool) -> Html {
    let class = classes!("chart", (!shown).then_some(PRESENTER_HIDDEN));
    html! { <canvas ref={node.clone()} id={id.id()} {class} /> }
}

/// Where a mouse event happened on its target, in CSS pixels.
fn offset(e: &MouseEvent) -> (f64, f64) {
    (f64::from(e.offset_x()), f64::from(e.offset_y()))
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
