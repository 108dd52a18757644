//! The summary of a fixed scenario and seed, pinned in a file.
//!
//! The page's wasm tests compare their own run against the same file, so together they
//! prove the native and wasm builds produce a byte-identical summary. A deliberate
//! change to the model re-blesses it: `LOADLAB_BLESS=1 cargo test -p loadlab-sim --test golden`.

use loadlab_sim::{Scenario, Simulation};

const GOLDEN: &str = "tests/golden/default-seed42-20k.json";

#[test]
fn default_scenario_seed_42_matches_the_pinned_summary() {
    let scenario = Scenario {
        seed: 42,
        ..Scenario::default()
    };
    let mut sim = Simulation::new(scenario).unwrap();
    sim.run_arrivals(20_000);
    let summary = serde_json::to_string_pretty(&sim.summary()).unwrap() + "\n";
    if std::env::var_os("LOADLAB_BLESS").is_some() {
        std::fs::write(GOLDEN, &summary).unwrap();
    }
    let pinned = std::fs::read_to_string(GOLDEN).expect("golden file present");
    assert_eq!(summary, pinned, "summary differs from {GOLDEN}");
}
