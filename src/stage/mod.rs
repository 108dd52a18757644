//! The stage: the system drawn as it is at this instant (every request where the core
//! says it is), refusals marked where they happen, one request followed through a
//! waterfall of its phases; and the charts below. At high speeds and in fast-forward
//! the requests give way to flows.
//!
//! `scene` lays the parts out from the core's topology, `place` puts each request in
//! its cell, `paint`, `flows` and `marks` draw, `labels` words the parts, `follow` is
//! the waterfall.

mod changes;
mod flows;
mod follow;
pub mod geometry;
mod hops;
mod labels;
mod marks;
mod paint;
pub mod place;
mod publish;
pub mod scene;

use crate::chrome::Shown;
use crate::i18n::{Lang, Strings};
use crate::ids::{ChartId, PRESENTER_HIDDEN};
use crate::run::Run;
use crate::view::chart;
use crate::view::charts::{self, WINDOWS_SHOWN};
use crate::view::details::details;
use loadlab_sim::{Part, Simulation};
use marks::Marks;
use place::{Fill, Look, Placed};
use scene::{Scene, Shape};
use web_sys::{HtmlCanvasElement, HtmlElement};
use yew::prelude::*;

/// How often the charts may redraw, in milliseconds.
const CHART_PERIOD_MS: f64 = 250.0;
/// The root font size the canvases' drawing sizes are designed for.
const BASE_FONT_PX: f64 = 13.0;
/// From this speed on, and in fast-forward, the stage shows flows, not requests.
pub const FLOW_SPEED: f64 = 30.0;
/// How far from a request a click still picks it, in logical pixels.
const PICK_REACH: f64 = 10.0;

/// What the pointer does on the stage.
pub enum StageMsg {
    /// The pointer moved over the topology (canvas pixels), or left it.
    Hover(Option<(f64, f64)>),
    /// A click or a tap: follow the request there, or show the part's details.
    Tap((f64, f64)),
    /// Stop following.
    Unfollow,
    /// A key on the focused stage: arrows visit the parts in turn, showing each one's
    /// details as hovering does; Escape puts them away.
    Key(String),
}

/// A laid-out stage: its shape, its scene, and its lanes.
struct Laid {
    shape: Shape,
    scene: Scene,
    lanes: Vec<Lane>,
}

/// One edge of the topology as drawn: the parts it joins and the path between them.
pub(super) struct Lane {
    from: Part,
    to: Part,
    points: Vec<(f64, f64)>,
}

/// The other views' slots in the stage: the Curves view (in the charts' place while
/// open) and the Training view (above the topology).
pub struct Slots {
    pub curves: Html,
    pub curves_open: bool,
    pub training: Html,
}

/// The canvases and what is drawn on them.
pub struct Stage {
    topology: NodeRef,
    charts: Vec<NodeRef>,
    /// The hover details' box, placed beside the pointer after each render.
    tooltip: NodeRef,
    hovered: Option<(Part, f64, f64)>,
    /// Canvas drawing scale: the root font size over [`BASE_FONT_PX`].
    scale: f64,
    /// Windows closed when the charts were last drawn (`None`: redraw at once).
    charted: Option<(usize, f64)>,
    last_chart_ms: f64,
    laid: Option<Laid>,
    placed: Placed,
    /// Requests' hops between parts, drawn as short trails.
    hops: hops::Hops,
    marks: Marks,
    /// A request was picked to follow (its journey may have ended since).
    following: bool,
    /// Whether the core traces endings for this run (the marks read them).
    tracing: bool,
    /// Tests asked for the drawn scene (`?scene`): it is published every frame.
    publish: bool,
}

impl Default for Stage {
    fn default() -> Self {
        Self {
            topology: NodeRef::default(),
            charts: ChartId::ALL.iter().map(|_| NodeRef::default()).collect(),
            tooltip: NodeRef::default(),
            hovered: None,
            scale: 1.0,
            charted: None,
            last_chart_ms: f64::NEG_INFINITY,
            laid: None,
            placed: Placed::default(),
            hops: hops::Hops::default(),
            marks: Marks::default(),
            following: false,
            tracing: false,
            publish: crate::address::scene_asked(),
        }
    }
}

impl Stage {
    /// Follows the pointer and taps; whether the page shows something new.
    pub fn update(&mut self, msg: StageMsg, run: &mut Run) -> bool {
        match msg {
            StageMsg::Hover(point) => {
                let before = self.hovered.map(|h| h.0);
                self.hovered = point.and_then(|p| self.part_at(p).map(|part| (part, p.0, p.1)));
                self.hovered.is_some() || before.is_some()
            }
            StageMsg::Tap(point) => {
                let logical = (point.0 / self.scale, point.1 / self.scale);
                // A part's label (never covered) always asks for its details; elsewhere
                // the request nearest the tap is followed, if there is one within reach.
                let on_label = (self.laid.as_ref())
                    .is_some_and(|l| l.scene.boxes().any(|b| b.label.contains(logical)));
                match self
                    .placed
                    .nearest(logical, PICK_REACH)
                    .filter(|_| !on_label)
                {
                    Some(item) => {
                        self.following = run.sim_mut().follow(item.id);
                        self.hovered = None;
                    }
                    None => self.hovered = self.part_at(point).map(|part| (part, point.0, point.1)),
                }
                true
            }
            StageMsg::Unfollow => {
                run.sim_mut().unfollow();
                self.following = false;
                true
            }
            StageMsg::Key(key) => {
                self.hovered = match key.as_str() {
                    "ArrowRight" | "ArrowDown" => self.next_part(1),
                    "ArrowLeft" | "ArrowUp" => self.next_part(-1),
                    "Escape" => None,
                    _ => return false,
                };
                true
            }
        }
    }

    /// The part `step` places along the flow from the one whose details show (the
    /// first or last part if none), at its centre in canvas pixels.
    fn next_part(&self, step: isize) -> Option<(Part, f64, f64)> {
        let parts = self.laid.as_ref()?.scene.in_flow_order();
        let now = self
            .hovered
            .and_then(|(part, ..)| parts.iter().position(|b| b.part == part));
        let n = parts.len() as isize;
        let next = match now {
            Some(i) => (i as isize + step).rem_euclid(n),
            None if step > 0 => 0,
            None => n - 1,
        };
        let b = parts.get(next as usize)?;
        let (x, y) = b.outer.centre();
        Some((b.part, x * self.scale, y * self.scale))
    }

    /// Whether hover details or a followed request show (they follow the run, so the
    /// page re-renders).
    pub fn live(&self) -> bool {
        self.hovered.is_some() || self.following
    }

    /// A new run starts: no marks, nothing followed, its tracing to switch on.
    pub fn restart(&mut self) {
        self.marks.clear();
        self.hops.reset();
        self.following = false;
        self.tracing = false;
        self.refresh();
    }

    /// Lays out and draws everything anew at the next frame: the scenario, the words or
    /// the sizes changed, or a change mark is to be drawn.
    pub fn refresh(&mut self) {
        self.charted = None;
        self.laid = None;
    }

    /// The chart canvases, in page order.
    pub fn chart_canvases(&self) -> Vec<HtmlCanvasElement> {
        self.charts.iter().filter_map(NodeRef::cast).collect()
    }

    /// Draws the frame at `now_ms`: the stage every frame, the charts when a window has
    /// closed (at most every [`CHART_PERIOD_MS`]) or the canvases resized.
    pub fn draw(&mut self, now_ms: f64, run: &mut Run, lang: Lang, reduced_motion: bool) {
        let resized = self.fit_canvases();
        if resized {
            self.scale = root_font_px() / BASE_FONT_PX;
        }
        if !self.tracing {
            run.sim_mut().trace_every(1);
            self.tracing = true;
        }
        if let Some(canvas) = self.topology.cast::<HtmlCanvasElement>() {
            let flows = run.fast_forward_progress().is_some() || run.speed() >= FLOW_SPEED;
            self.draw_stage(&canvas, run, lang, now_ms, flows, reduced_motion);
        }
        let windows = run.sim().metrics().windows();
        let key = (windows.len(), windows.back().map_or(0.0, |w| w.end));
        let due = now_ms - self.last_chart_ms >= CHART_PERIOD_MS || resized;
        // A canvas resized is a canvas cleared: drawn again even with no new window
        // (paused, the charts went blank when the Training view grew above them).
        if (self.charted != Some(key) && due) || self.charted.is_none() || resized {
            self.draw_charts(run, lang);
            self.charted = Some(key);
            self.last_chart_ms = now_ms;
        }
    }

    fn draw_stage(
        &mut self,
        canvas: &HtmlCanvasElement,
        run: &Run,
        lang: Lang,
        now_ms: f64,
        flows: bool,
        reduced_motion: bool,
    ) {
        let sim = run.sim();
        self.lay_out(canvas, sim);
        let (Some(laid), Some(ctx)) = (&self.laid, paint::context(canvas)) else {
            return;
        };
        let t = lang.strings();
        paint::begin(&ctx, canvas, self.scale);
        let scene = &laid.scene;
        if flows {
            flows::lanes(&ctx, sim, &laid.lanes);
        } else {
            for lane in &laid.lanes {
                let out = matches!((lane.from, lane.to), (Part::Balancer, Part::Server(i)) if !sim.pool().contains(&i));
                paint::lane(&ctx, &lane.points, out, 1.0);
            }
        }
        draw_parts(&ctx, sim, scene, t);
        if flows {
            flows::bars(&ctx, sim, scene);
        } else {
            self.placed.place(sim, scene, reduced_motion);
            draw_requests(&ctx, sim, scene, &self.placed);
        }
        if flows || reduced_motion {
            self.hops.reset();
        } else {
            self.hops
                .update(&self.placed.items, &laid.lanes, sim.now(), now_ms);
            self.hops.draw(&ctx, now_ms);
        }
        self.marks.update(sim, now_ms);
        self.marks.draw(&ctx, scene, now_ms);
        let note = if flows {
            crate::i18n::fill(t.st_flows, &[("speed", &format!("{}×", run.speed()))])
        } else if !run.time_state().playing {
            t.st_paused.to_string()
        } else {
            String::new()
        };
        paint::legend(&ctx, scene.legend, &legend(t), &note);
        if self.publish {
            let json = publish::scene(sim, scene, &self.placed, &self.marks, flows, self.scale);
            let _ = canvas.set_attribute("data-scene", &json);
        }
    }

    /// Lays the stage out again when its shape changed (the topology, a server's workers,
    /// the canvas), and publishes its parts' boxes on the canvas (`data-parts`, in CSS
    /// pixels) for tests that point at them.
    fn lay_out(&mut self, canvas: &HtmlCanvasElement, sim: &Simulation) {
        let shape = Shape {
            topology: sim.topology(),
            workers: sim.servers().iter().map(|s| s.workers()).collect(),
            db_concurrency: sim.database().map_or(1, |db| db.config().node_concurrency),
            width: f64::from(canvas.width()) / self.scale,
            height: f64::from(canvas.height()) / self.scale,
        };
        if self.laid.as_ref().is_some_and(|l| l.shape == shape) {
            return;
        }
        let scene = Scene::of(&shape);
        let lanes = lanes(&shape, &scene);
        let _ = canvas.set_attribute("data-parts", &publish::parts(&scene, self.scale));
        self.hops.reset();
        self.laid = Some(Laid {
            shape,
            scene,
            lanes,
        });
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
                number: m.number,
                time: m.time,
            })
            .collect();
        for (spec, node) in specs.iter().zip(&self.charts) {
            if let Some(canvas) = node.cast::<HtmlCanvasElement>() {
                let badges = chart::draw(&canvas, spec, &marks, self.scale, t);
                if self.publish {
                    let _ = canvas.set_attribute("data-marks", &publish::badges(&badges));
                }
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

    /// The part under `point` in canvas pixels, as last laid out.
    fn part_at(&self, (x, y): (f64, f64)) -> Option<Part> {
        self.laid
            .as_ref()?
            .scene
            .part_at((x / self.scale, y / self.scale))
    }

    /// Puts the hover details beside the pointer, through the element's style object.
    pub fn place_tooltip(&self) {
        let (Some((_, x, y)), Some(tip)) = (self.hovered, self.tooltip.cast::<HtmlElement>())
        else {
            return;
        };
        // Beside the pointer, on whichever side keeps it inside the stage (a tap near a
        // phone's right edge would otherwise push the page sideways).
        let room = tip
            .parent_element()
            .map_or(f64::INFINITY, |p| f64::from(p.client_width()));
        let w = f64::from(tip.offset_width());
        let left = if x + 14.0 + w <= room {
            x + 14.0
        } else {
            (x - 14.0 - w).max(0.0)
        };
        let style = tip.style();
        let _ = style.set_property("left", &format!("{left}px"));
        let _ = style.set_property("top", &format!("{}px", y + 14.0));
    }

    /// The stage (with its details, the comparison's badge and the reduced-motion note),
    /// the followed request's waterfall, and the charts, those presenter mode does not
    /// show marked hidden.
    pub fn view(
        &self,
        run: &Run,
        lang: Lang,
        reduced_motion: bool,
        shown: Shown,
        slots: Slots,
        on: &Callback<StageMsg>,
    ) -> Html {
        let t = lang.strings();
        let Slots {
            curves,
            curves_open,
            training,
        } = slots;
        let point = on.reform(|e: MouseEvent| StageMsg::Hover(Some(offset(&e))));
        let tap = on.reform(|e: MouseEvent| StageMsg::Tap(offset(&e)));
        let journey = run.sim().journey();
        html! {
            <section class="stage">
                { training }
                <div class="topology-wrap">
                    <canvas ref={self.topology.clone()} id="topology" aria-label={t.topology_aria}
                        tabindex="0" onkeydown={on.reform(stage_key)}
                        onmousemove={point} onclick={tap}
                        onmouseleave={on.reform(|_: MouseEvent| StageMsg::Hover(None))} />
                    { self.tooltip(run.sim(), lang) }
                    if run.baseline().is_some() {
                        <p class="compare-badge" id="compare-badge">{ t.compare_badge }</p>
                    }
                    if reduced_motion {
                        <p class="motion-note">{ t.reduced_motion }</p>
                    }
                </div>
                <div class="notes">
                    { follow::view(t, journey.as_ref(), self.following, on.reform(|_| StageMsg::Unfollow)) }
                    { changes::list(t, run.sim()) }
                </div>
                <div class={classes!("charts", shown.is_lesson().then_some("presenter-lesson"))}
                    hidden={curves_open}>
                    { for ChartId::ALL.iter().zip(&self.charts).map(|(&id, node)| {
                        chart_canvas(id, node, shown.chart(id), charted(run.sim(), id))
                    }) }
                </div>
                { curves }
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

/// Every lane of the topology's edges, laid out once with the scene.
fn lanes(shape: &Shape, scene: &Scene) -> Vec<Lane> {
    let t = &shape.topology;
    (t.edges.iter())
        .filter_map(|&(a, b)| {
            let (from, to) = (t.parts[a], t.parts[b]);
            let points = scene.lane(scene.box_of(from)?, scene.box_of(to)?);
            Some(Lane { from, to, points })
        })
        .collect()
}

/// The parts: outlines, labels, and the bars under them.
fn draw_parts(
    ctx: &web_sys::CanvasRenderingContext2d,
    sim: &Simulation,
    scene: &Scene,
    t: &Strings,
) {
    use crate::view::palette::{BLUE, ORANGE};
    paint::outline(ctx, scene.clients.outer, false, false);
    paint::label(ctx, scene.clients.label, &labels::clients(t, sim));
    if let Some(l) = &scene.limiter {
        paint::outline(ctx, l.b.outer, false, false);
        paint::label(ctx, l.b.label, &labels::limiter(t, sim));
    }
    paint::outline(ctx, scene.balancer.outer, false, false);
    paint::label(ctx, scene.balancer.label, &labels::balancer(t, sim));
    for s in &scene.servers {
        let server = &sim.servers()[s.index as usize];
        // Dashed: out of the pool, on its way in (booting) or out (draining).
        let draining = server.lifecycle() != loadlab_sim::server::Lifecycle::Active;
        paint::outline(
            ctx,
            s.b.outer,
            !server.is_alive(),
            draining || !server.is_alive(),
        );
        paint::label(ctx, s.b.label, &labels::server(t, sim, s.index));
    }
    if let Some(c) = &scene.cache {
        paint::outline(ctx, c.b.outer, false, false);
        paint::label(ctx, c.b.label, &labels::cache(t, sim));
        let (len, cap) = sim.cache_fill().first().copied().unwrap_or((0, 0));
        paint::bar(
            ctx,
            c.bar,
            (len as f64 / cap.max(1) as f64).min(0.999),
            BLUE,
        );
    }
    if let (Some(q), Some(db)) = (&scene.write_queue, sim.database()) {
        paint::outline(ctx, q.b.outer, false, false);
        paint::label(ctx, q.b.label, &labels::write_queue(t, sim));
        paint::bar(ctx, q.bar, db.queue_depth() as f64 / 100.0, ORANGE);
    }
    if let (Some(frame), Some(db)) = (&scene.database, sim.database()) {
        paint::outline(ctx, frame.outer, !db.is_up(), false);
        paint::label(ctx, frame.label, &labels::database(t, sim));
        for n in &scene.nodes {
            paint::outline(ctx, n.b.outer, !db.is_up(), false);
            paint::label(ctx, n.b.label, &labels::node(t, sim, n.position));
        }
    }
}

/// The requests, with their queues' grounds and their servers' idle slots under them.
fn draw_requests(
    ctx: &web_sys::CanvasRenderingContext2d,
    sim: &Simulation,
    scene: &Scene,
    placed: &Placed,
) {
    let too_long = sim.scenario().traffic.timeout_seconds.unwrap_or(1.0);
    for s in &scene.servers {
        let server = &sim.servers()[s.index as usize];
        let head = server.queued().next().and_then(|id| sim.live_request(id));
        let wait = head.map_or(0.0, |h| sim.now() - h.since);
        paint::queue_ground(ctx, &s.queue, wait, too_long);
        paint::slots(ctx, s, server.workers(), server.busy());
    }
    paint::items(ctx, &placed.items);
    if let Some(j) = sim.journey().filter(|j| j.outcome.is_none()) {
        if let Some(item) = placed.items.iter().find(|i| i.attempt_id == j.attempt_id) {
            paint::follow_ring(ctx, item.rect);
        }
    }
}

/// Whether chart `id` has anything to show (a cache's hit rate needs a cache).
fn charted(sim: &Simulation, id: ChartId) -> bool {
    let s = sim.scenario();
    match id {
        ChartId::HitRate => s.cache.is_some(),
        ChartId::DbNodes | ChartId::DbTrouble => s.database.is_some(),
        _ => true,
    }
}

/// The legend's entries: each look and worker state, in words.
fn legend(t: &'static Strings) -> Vec<(Look, Fill, bool, &'static str)> {
    vec![
        (Look::Read, Fill::Waiting, false, t.lg_read),
        (Look::Write, Fill::Waiting, false, t.lg_write),
        (Look::Hit, Fill::Waiting, false, t.lg_hit),
        (Look::Miss, Fill::Waiting, false, t.lg_miss),
        (Look::Stale, Fill::Waiting, false, t.lg_stale),
        (Look::Abandoned, Fill::Waiting, false, t.lg_wasted),
        (Look::Read, Fill::Waiting, true, t.lg_retry),
        (Look::Read, Fill::WaitingForCore, false, t.lg_waiting_core),
        (Look::Read, Fill::Blocked, false, t.lg_blocked),
    ]
}

/// A chart's canvas: hidden in presenter mode unless `shown`, and always when the part it
/// charts is `off`.
fn chart_canvas(id: ChartId, node: &NodeRef, shown: bool, on: bool) -> Html {
    let class = classes!(
        "chart",
        (!shown).then_some(PRESENTER_HIDDEN),
        (!on).then_some("off")
    );
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
    size.and_then(|s| crate::number::parse_number(s.trim_end_matches("px")))
        .filter(|px: &f64| *px > 0.0)
        .unwrap_or(BASE_FONT_PX)
}

#[cfg(test)]
mod place_tests;
#[cfg(test)]
mod scene_tests;

/// A key pressed on the stage, as the stage's message; the keys it uses do nothing else
/// there (no scrolling, no stepping the run).
fn stage_key(e: KeyboardEvent) -> StageMsg {
    let key = e.key();
    if matches!(
        key.as_str(),
        "ArrowRight" | "ArrowLeft" | "ArrowUp" | "ArrowDown" | "Escape"
    ) {
        e.prevent_default();
        e.stop_propagation();
    }
    StageMsg::Key(key)
}
