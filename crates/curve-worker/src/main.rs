//! The Curves view's worker: receives a scenario with its curve (as JSON), runs the
//! curve's points one after another with `loadlab_sim::curves`, and posts a report
//! after every replication (progress) and every point (the point), then a last one.
//! The page cancels a sweep by terminating the worker, so nothing here listens for it.
//!
//! Single-threaded and seeded like the CLI's points, so both give the same numbers.

use loadlab_sim::curves::{self, Report};
use loadlab_sim::Scenario;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn main() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let post = |report: &Report| {
            let text = serde_json::to_string(report).expect("a report always serialises");
            // Posting fails only if the page is gone; then no one is waiting.
            let _ = scope.post_message(&JsValue::from_str(&text));
        };
        let text = e.data().as_string().unwrap_or_default();
        sweep(&text, &post);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
}

/// Runs the curve of the scenario in `text`, posting each report.
fn sweep(text: &str, post: &dyn Fn(&Report)) {
    let failed = |error: String| post(&Report::failed(error));
    let scenario = match Scenario::from_json(text) {
        Ok(s) => s,
        Err(e) => return failed(e.to_string()),
    };
    let Some(curve) = scenario.curve.clone() else {
        return failed("the scenario has no curve".to_string());
    };
    let values = curve.values(&scenario);
    let total = values.len() as u32 * curve.replications;
    let mut done = 0;
    for value in values {
        let point = curves::point_with_progress(
            &scenario,
            &curve.setting,
            value,
            curve.replications,
            curve.requests,
            &mut || {
                done += 1;
                post(&Report::progress(done, total));
            },
        );
        match point {
            Ok(p) => post(&Report::point(done, total, p)),
            Err(e) => return failed(e.to_string()),
        }
    }
    post(&Report::finished(total));
}
