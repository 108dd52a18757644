//! The Curves view's worker: receives a [`Job`] (a scenario with its curve, the chart's
//! words), runs the curve's points one after another with `loadlab_sim::curves`,
//! and posts a [`Report`] after every replication (progress) and every point (the chart
//! so far as SVG, the CSV, the points), then a last one. A job that brings points only
//! draws them again. The page cancels a sweep by terminating the worker, so nothing
//! here listens for it.
//!
//! Single-threaded and seeded like the CLI's points, so both give the same numbers.

mod bridge;
mod svg;

use loadlab_sim::curves::{
    self, knee, points_from_json, points_json, Job, Point, Progress, Report,
};
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn main() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        serve(&e.data(), &post);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    // A message posted before the wasm started would have found no handler: the page
    // waits for this one before it posts the job.
    let _ = scope.post_message(&JsValue::from_str(READY));
}

/// What the worker says once it listens (the page's `curves::bridge` waits for it).
const READY: &str = "ready";

/// Posts `report` to the page.
fn post(report: &Report) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    // Posting fails only if the page is gone; then no one is waiting.
    let _ = scope.post_message(&bridge::write_report(report));
}

/// Does the job in `data`, posting each report.
fn serve(data: &JsValue, post: &dyn Fn(&Report)) {
    let job: Job = match bridge::read_job(data) {
        Ok(job) => job,
        Err(e) => return post(&Report::failed(e)),
    };
    match &job.points {
        Some(points) => match points_from_json(points) {
            Ok(points) => post(&Report {
                finished: true,
                ..chart(&job, &points)
            }),
            Err(e) => post(&Report::failed(e)),
        },
        None => run(&job, post),
    }
}

/// Runs the job's curve, posting progress and each point's chart.
fn run(job: &Job, post: &dyn Fn(&Report)) {
    let scenario = &job.scenario;
    let Some(curve) = scenario.curve.clone() else {
        return post(&Report::failed("the scenario has no curve".to_string()));
    };
    let values = curve.values(scenario);
    // Grows when a point's band is too wide and it runs again, longer.
    let mut total = values.len() as u32 * curve.replications;
    let mut done = 0;
    let mut points = Vec::with_capacity(values.len());
    for value in values {
        let point = curves::curve_point(scenario, &curve, value, &mut |event| {
            match event {
                Progress::RunDone => done += 1,
                Progress::MoreRuns(n) => total += n,
            }
            post(&Report::progress(done, total));
        });
        match point {
            Ok(p) => points.push(p),
            Err(e) => return post(&Report::failed(e.to_string())),
        }
        post(&Report {
            done,
            total,
            finished: done == total,
            ..chart(job, &points)
        });
    }
}

/// The report that shows `points`: their chart, CSV and JSON, the knee, the widest
/// band and why theory is silent.
fn chart(job: &Job, points: &[Point]) -> Report {
    let Some(curve) = &job.scenario.curve else {
        return Report::failed("the scenario has no curve".to_string());
    };
    let knee = knee(points, curve.measure);
    let widest_band = points
        .iter()
        .map(|p| p.figure(curve.measure))
        .filter(|e| e.mean.abs() > 0.0)
        .map(|e| e.half_width / e.mean.abs())
        .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))));
    let svg = svg::Chart {
        points,
        measure: curve.measure,
        words: &job.words,
        current: job.current,
        knee,
    }
    .svg();
    Report {
        svg,
        csv: curves::csv(&curve.setting, points),
        points: points_json(points),
        knee,
        widest_band,
        unsolved: points.iter().find_map(|p| p.unsolved),
        ..Report::default()
    }
}
