//! The summary of a fixed scenario and seed, pinned in a file; and fingerprints of every
//! lesson's run (which together use every mechanism of the model).
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

const LESSONS: &str = "tests/golden/lessons.txt";

/// Every lesson's preset and change, as a fingerprint of its summary (see
/// `Lesson::reference_fingerprint`); `tests/wasm.rs` compares the same file.
#[test]
fn every_lessons_run_matches_its_pinned_fingerprint() {
    let lines: String = loadlab_sim::lessons::ALL
        .iter()
        .map(|l| l.reference_fingerprint() + "\n")
        .collect();
    if std::env::var_os("LOADLAB_BLESS").is_some() {
        std::fs::write(LESSONS, &lines).unwrap();
    }
    let pinned = std::fs::read_to_string(LESSONS).expect("golden file present");
    assert_eq!(lines, pinned, "fingerprints differ from {LESSONS}");
}
