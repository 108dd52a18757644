//! docs/scenario.md stays true: every complete scenario in it decodes and validates, and
//! the one it calls the output of `loadlab example` is exactly that.

use loadlab_sim::Scenario;

const DOC: &str = include_str!("../../../docs/scenario.md");

/// The ```json blocks of the document that are whole scenarios (they name a version).
fn scenarios() -> Vec<&'static str> {
    DOC.split("```json\n")
        .skip(1)
        .filter_map(|rest| rest.split("\n```").next())
        .filter(|block| block.contains("\"version\""))
        .collect()
}

#[test]
fn every_scenario_in_the_reference_decodes() {
    let blocks = scenarios();
    assert!(blocks.len() >= 2, "found {}", blocks.len());
    for block in blocks {
        if let Err(e) = Scenario::from_json(block) {
            panic!("{e}\nin\n{block}");
        }
    }
}

#[test]
fn the_default_scenario_in_the_reference_is_what_loadlab_example_prints() {
    assert_eq!(scenarios()[0], Scenario::default().to_json());
}
