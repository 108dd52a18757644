//! Every built-in challenge can be won (its answer passes) and is a challenge (its start
//! fails); scores are deterministic; the learner may change only what it allows; the
//! debrief says where and when.

use super::*;
use serde_json::json;

#[test]
fn every_challenge_is_won_by_its_answer_and_lost_from_its_start() {
    let set = Challenges::built_in();
    assert!(set.challenges.len() >= 6);
    for c in &set.challenges {
        let start = c.play(&json!({})).unwrap();
        assert!(!start.passed, "{}: the start already passes", c.id);
        let answer = c.play(&c.answer).unwrap();
        assert!(
            answer.passed,
            "{}: the answer fails: {:?}",
            c.id, answer.verdicts
        );
        assert!(answer.stars >= 1);
    }
}

#[test]
fn the_same_settings_give_the_same_score() {
    let set = Challenges::built_in();
    let c = set.get("server-dies").unwrap();
    assert_eq!(c.play(&c.answer).unwrap(), c.play(&c.answer).unwrap());
}

#[test]
fn a_setting_the_challenge_locks_is_refused_by_its_path() {
    let set = Challenges::built_in();
    let c = set.get("slow-server").unwrap();
    let e = c.play(&json!({"servers": {"count": 8}})).unwrap_err();
    assert_eq!(
        (e.path.as_str(), &e.problem),
        ("servers.count", &Problem::Locked)
    );
    assert!(c.may_change("balancer.kind") && !c.may_change("balancers"));
}

#[test]
fn the_debrief_names_the_part_the_reason_and_the_stretch() {
    let set = Challenges::built_in();
    // The killed server refuses until health checks (none at the start) would notice.
    let dies = set.get("server-dies").unwrap().play(&json!({})).unwrap();
    let (part, reason, n) = &dies.debrief.refused[0];
    assert_eq!(
        (part.as_str(), reason.as_str()),
        ("server 1", "server_down")
    );
    assert!(*n > 9_000, "{n}");
    // The spike from 20 s to 40 s is where the first challenge's start misses its goal.
    let spike = set.get("first-spike").unwrap().play(&json!({})).unwrap();
    assert!(!spike.debrief.missed.is_empty());
    for m in &spike.debrief.missed {
        assert!(m.from >= 20.0 && m.to <= 41.0, "{m:?}");
    }
    assert!(spike.verdicts.good_share < 0.95 && !spike.verdicts.good_share_held);
}

#[test]
fn a_file_with_a_bom_reads_and_a_bad_entry_is_named_by_its_path() {
    assert!(Challenges::from_json(&format!("\u{feff}{BUILT_IN}")).is_ok());
    let mut doc: Value = serde_json::from_str(BUILT_IN).unwrap();
    doc["challenges"][3]["script"][0]["database"] = json!(false);
    let e = Challenges::from_json(&doc.to_string()).unwrap_err();
    assert_eq!(e.path, "challenges[3].script[0]");
    doc["challenges"][3]["script"][0] = json!({"at": 20.0, "kill_server": 1});
    doc["challenges"][0]["start"]["servers"] = json!({"count": 0});
    let e = Challenges::from_json(&doc.to_string()).unwrap_err();
    assert_eq!(e.path, "challenges[0].start.servers.count");
}
