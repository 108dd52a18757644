//! Arbitrary bytes into `Scenario::from_json`, the decoder behind `loadlab run` and the
//! page's scenario upload. It must refuse bad input with an error, never a panic; a
//! scenario it accepts must survive a save and a shared link unchanged, and must start
//! and run without losing a request.

#![no_main]

use libfuzzer_sys::fuzz_target;
use loadlab_sim::{share, Scenario, Simulation};

/// Simulated seconds each accepted scenario runs for at most.
const HORIZON_SECONDS: f64 = 2.0;
/// Events each accepted scenario runs for at most, so that a scenario with a huge rate
/// still costs a few milliseconds and libFuzzer spends its time on new inputs.
const MAX_EVENTS: u64 = 5_000;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(scenario) = Scenario::from_json(text) else {
        return;
    };

    // What the page saves (pretty JSON) and what it shares (a link) read back the same.
    assert_eq!(
        Scenario::from_json(&scenario.to_json()).as_ref(),
        Ok(&scenario),
        "a decoded scenario changes when saved and read back"
    );
    let shared = share::decode(&share::encode(&scenario, None)).map(|s| s.scenario);
    assert_eq!(
        shared.as_ref(),
        Ok(&scenario),
        "a decoded scenario changes through a shared link"
    );

    let mut sim = Simulation::new(scenario).expect("from_json has validated the scenario");
    sim.run_until_budget(HORIZON_SECONDS, MAX_EVENTS);
    let m = sim.metrics();
    assert_eq!(
        m.arrivals(),
        m.completions() + m.rejections().total() + sim.in_flight() as u64,
        "arrivals != completions + rejections + in flight at t = {}",
        sim.now()
    );
    // The CLI prints this after every run: building it must not panic either.
    let _ = sim.summary();
});
