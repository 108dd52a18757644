//! The playground: owns the running simulation, advances it each animation frame, and
//! renders what it reports.

use crate::components::Slider;
use crate::view::{chart, headline::Headline, topology};
use gloo_render::{request_animation_frame, AnimationFrame};
use loadlab_sim::traffic::Arrivals;
use loadlab_sim::{Change, Scenario, Simulation};
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

/// Wall-clock time after which one frame's simulated advance is capped: a tab that
/// was hidden for a minute resumes smoothly instead of computing a minute at once.
const MAX_FRAME_SECONDS: f64 = 0.1;
/// How often the headline strip re-renders, in wall-clock milliseconds.
const HEADLINE_PERIOD_MS: f64 = 250.0;

/// Messages the playground handles.
pub enum Msg {
    /// An animation frame at this `performance.now()` timestamp, in milliseconds.
    Frame(f64),
    /// The user moved the arrival-rate slider.
    SetArrivalRate(f64),
}

/// The playground component.
pub struct App {
    sim: Simulation,
    /// Simulated seconds per wall-clock second.
    speed: f64,
    frame: Option<AnimationFrame>,
    last_frame_ms: Option<f64>,
    last_headline_ms: f64,
    headline: Headline,
    /// Windows closed when the chart was last drawn; it is redrawn only when this changes.
    charted_windows: Option<(usize, f64)>,
    error: Option<String>,
    topology: NodeRef,
    chart: NodeRef,
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(_ctx: &Context<Self>) -> Self {
        let sim = Simulation::new(Scenario::default()).expect("the default scenario is valid");
        Self {
            headline: Headline::of(&sim),
            sim,
            speed: 1.0,
            frame: None,
            last_frame_ms: None,
            last_headline_ms: f64::NEG_INFINITY,
            charted_windows: None,
            error: None,
            topology: NodeRef::default(),
            chart: NodeRef::default(),
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Self::Message) -> bool {
        match msg {
            Msg::Frame(now_ms) => {
                self.advance(now_ms);
                self.draw();
                self.schedule_frame(ctx);
                self.refresh_headline(now_ms)
            }
            Msg::SetArrivalRate(rate) => {
                let mut next = self.sim.scenario().clone();
                next.traffic.arrivals = Arrivals::OpenLoop {
                    rate,
                    schedule: Vec::new(),
                };
                let change = Change::Scenario(Box::new(next));
                self.error = self.sim.apply(change).err().map(|e| e.to_string());
                true
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let on_rate = ctx.link().callback(Msg::SetArrivalRate);
        html! {
            <main class="playground">
                <header>
                    <h1>{ "Loadlab" }</h1>
                    <p class="tagline">{ "Watch requests flow through a load balancer and a pool of servers." }</p>
                </header>
                { self.headline_strip() }
                <section class="stage">
                    <canvas ref={self.topology.clone()} id="topology" width="720" height="360"
                        aria-label="Topology: clients, load balancer, servers with busy workers and queues" />
                    <canvas ref={self.chart.clone()} id="chart" width="720" height="360"
                        aria-label="Chart: latency p50 and p99 and throughput over simulated time" />
                </section>
                <section class="controls" aria-label="Traffic">
                    <h2>{ "Traffic" }</h2>
                    <Slider id="arrival-rate" label="Arrival rate" unit="req/s"
                        min={50.0} max={2000.0} step={10.0}
                        value={self.arrival_rate()}
                        onchange={on_rate} />
                    <p class="hint">{ "Mean requests per second (Poisson). Push it past what the pool can serve and watch the queues fill and requests get rejected." }</p>
                    if let Some(error) = &self.error {
                        <p class="error" role="alert">{ error }</p>
                    }
                </section>
            </main>
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if first_render {
            self.draw();
            self.schedule_frame(ctx);
        }
    }
}

impl App {
    /// The open-loop rate now (0 for closed-loop traffic).
    fn arrival_rate(&self) -> f64 {
        match self.sim.scenario().traffic.arrivals {
            Arrivals::OpenLoop { rate, .. } => rate,
            Arrivals::ClosedLoop { .. } => 0.0,
        }
    }

    fn schedule_frame(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self.frame = Some(request_animation_frame(move |ms| {
            link.send_message(Msg::Frame(ms))
        }));
    }

    /// Advances simulated time by the wall-clock time since the last frame, times speed.
    fn advance(&mut self, now_ms: f64) {
        if let Some(last) = self.last_frame_ms {
            let wall = ((now_ms - last) / 1e3).clamp(0.0, MAX_FRAME_SECONDS);
            self.sim.run_until(self.sim.now() + wall * self.speed);
        }
        self.last_frame_ms = Some(now_ms);
    }

    fn draw(&mut self) {
        if let Some(canvas) = self.topology.cast::<HtmlCanvasElement>() {
            topology::draw(&canvas, &self.sim);
        }
        let windows = self.sim.metrics().windows();
        let key = (windows.len(), windows.back().map_or(0.0, |w| w.end));
        if self.charted_windows == Some(key) {
            return;
        }
        if let Some(canvas) = self.chart.cast::<HtmlCanvasElement>() {
            let skip = windows.len().saturating_sub(chart::WINDOWS_SHOWN);
            let shown: Vec<_> = windows.iter().skip(skip).collect();
            let marks: Vec<_> = self.sim.marks().iter().cloned().collect();
            chart::draw(&canvas, &shown, &marks);
            self.charted_windows = Some(key);
        }
    }

    /// Re-renders the strip a few times a second, not every frame.
    fn refresh_headline(&mut self, now_ms: f64) -> bool {
        if now_ms - self.last_headline_ms < HEADLINE_PERIOD_MS {
            return false;
        }
        self.last_headline_ms = now_ms;
        let fresh = Headline::of(&self.sim);
        let changed = fresh != self.headline;
        self.headline = fresh;
        changed
    }

    fn headline_strip(&self) -> Html {
        let h = &self.headline;
        let item = |key: &'static str, label: &'static str, value: String| {
            html! {
                <div class="figure">
                    <span class="label">{ label }</span>
                    <span class="value" data-readout={key}>{ value }</span>
                </div>
            }
        };
        html! {
            <section class="headline" aria-label="Headline numbers" aria-live="off">
                { item("sim-time", "simulated time (s)", format!("{:.1}", h.sim_time)) }
                { item("throughput", "throughput (req/s)", format!("{:.0}", h.throughput)) }
                { item("p99", "p99 latency (ms)", format!("{:.1}", h.p99_ms)) }
                { item("rejected", "rejected (last s)", h.rejected.to_string()) }
                { item("in-flight", "in flight", h.in_flight.to_string()) }
                { item("utilisation", "utilisation", format!("{:.0} %", h.utilisation * 100.0)) }
            </section>
        }
    }
}
