//! The strip of headline numbers, from the core's latest closed window.

use super::{clock_time, fixed, percent};
use crate::i18n::{fill, Strings};
use loadlab_sim::cost::Bill;
use loadlab_sim::metrics::ServerWindow;
use loadlab_sim::Simulation;
use yew::prelude::*;

/// The numbers the strip shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Headline {
    /// Simulated seconds since the start.
    pub sim_time: f64,
    /// Answers per second in the last window.
    pub throughput: f64,
    /// Answers in time per second in the last window.
    pub goodput: f64,
    /// 99th-percentile latency in the last window, in milliseconds.
    pub p99_ms: f64,
    /// Cache hit rate in the last window, if there is a cache.
    pub hit_rate: Option<f64>,
    /// What clients saw fail in the last window (`WindowStats::error_share`).
    pub errors: f64,
    /// The last window's refusals and give-ups (the failures), and late answers.
    pub refused: u64,
    pub gave_up: u64,
    pub late: u64,
    /// Requests in the system now.
    pub in_flight: usize,
    /// Mean busy fraction of the workers in the last window.
    pub utilisation: f64,
    /// Mean busy fraction of the cores in the last window.
    pub cpu: f64,
    /// What the run has spent and costs now, at the scenario's prices.
    pub bill: Bill,
}

impl Headline {
    /// Reads the strip's numbers from `sim`.
    pub fn of(sim: &Simulation) -> Self {
        let last = sim.metrics().windows().back();
        let mean = |f: fn(&ServerWindow) -> f64| {
            last.map_or(0.0, |w| {
                w.servers.iter().map(f).sum::<f64>() / w.servers.len().max(1) as f64
            })
        };
        Self {
            sim_time: sim.now(),
            throughput: last.map_or(0.0, |w| w.throughput),
            goodput: last.map_or(0.0, |w| w.goodput),
            p99_ms: last.map_or(0.0, |w| w.latency.p99 * 1e3),
            hit_rate: sim
                .scenario()
                .cache
                .as_ref()
                .map(|_| last.map_or(0.0, |w| w.cache.hit_rate)),
            errors: last.map_or(0.0, |w| w.error_share()),
            refused: last.map_or(0, |w| w.failed - w.gave_up),
            gave_up: last.map_or(0, |w| w.gave_up),
            late: last.map_or(0, |w| w.timed_out),
            in_flight: sim.in_flight(),
            utilisation: mean(|s| s.utilisation),
            cpu: mean(|s| s.cpu_utilisation),
            bill: sim.bill(),
        }
    }

    /// (readout key, label, value) for each figure.
    pub fn figures(&self, t: &'static Strings) -> Vec<(&'static str, &'static str, String)> {
        vec![
            ("sim-time", t.hl_sim_time, clock_time(self.sim_time)),
            ("throughput", t.hl_throughput, fixed(self.throughput, 0)),
            ("goodput", t.hl_goodput, fixed(self.goodput, 0)),
            ("p99", t.hl_p99, fixed(self.p99_ms, 1)),
            (
                "hit-rate",
                t.hl_hit_rate,
                self.hit_rate.map_or("–".into(), |h| percent(h, 0)),
            ),
            ("errors", t.hl_errors, percent(self.errors, 1)),
            (
                "utilisation",
                t.hl_utilisation,
                percent(self.utilisation, 0),
            ),
            ("cpu", t.hl_cpu, percent(self.cpu, 0)),
            ("in-flight", t.hl_in_flight, self.in_flight.to_string()),
            ("cost", t.hl_cost, fixed(self.bill.per_hour, 2)),
        ]
    }

    /// The failures by how, beside the share where there is room.
    fn errors_parts(&self, t: &Strings) -> String {
        fill(
            t.hl_errors_parts,
            &[("refused", &self.refused), ("gave_up", &self.gave_up)],
        )
    }

    /// A figure's tooltip, for the figures that have one.
    fn detail(&self, t: &Strings, key: &str) -> Option<String> {
        match key {
            "errors" => Some(self.errors_detail(t)),
            "cost" => Some(fill(
                t.hl_cost_detail,
                &[("total", &fixed(self.bill.total, 4))],
            )),
            _ => None,
        }
    }

    /// The errors' parts, for the figure's tooltip: refusals and give-ups (what the
    /// share counts), and late answers apart, as work done for nobody.
    fn errors_detail(&self, t: &Strings) -> String {
        let (refused, gave_up, late) = (self.refused, self.gave_up, self.late);
        fill(
            t.hl_errors_detail,
            &[
                ("refused", &refused),
                ("gave_up", &gave_up),
                ("late", &late),
            ],
        )
    }

    /// Spent per million good answers, under the cost per hour.
    fn cost_parts(&self, t: &Strings) -> Option<String> {
        let x = self.bill.per_million_good?;
        Some(fill(t.hl_cost_parts, &[("x", &fixed(x, 2))]))
    }

    /// The strip: each figure under its label, its value marked for tests
    /// (`data-readout`; the time also in seconds, `data-value`).
    pub fn view(&self, t: &'static Strings, comparing: bool) -> Html {
        html! {
            <section class="headline" aria-label={t.headline_aria}>
                if comparing {
                    <div class="figure run-shown" id="headline-run" title={t.compare_badge}>
                        <span class="label">{ t.hl_run }</span>
                        <span class="value">{ t.hl_run_b }</span>
                    </div>
                }
                { for self.figures(t).into_iter().map(|(key, label, value)| html! {
                    <div class="figure" title={self.detail(t, key)}>
                        <span class="label">{ label }</span>
                        <span class="value" data-readout={key}
                            data-value={(key == "sim-time").then(|| self.sim_time.to_string())}>
                            { value }
                        </span>
                        if key == "errors" && self.refused + self.gave_up > 0 {
                            <span class="parts" id="errors-parts">{ self.errors_parts(t) }</span>
                        }
                        if key == "cost" {
                            <span class="parts" id="cost-parts">{ self.cost_parts(t) }</span>
                        }
                    </div>
                }) }
            </section>
        }
    }
}
