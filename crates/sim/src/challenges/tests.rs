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

/// The script scheduled in the run happens exactly as if the run were stopped at each
/// entry's time and the change applied there (how the first version played it).
#[test]
fn a_scheduled_script_plays_as_stopping_and_changing_at_each_time() {
    let mut doc: Value = serde_json::from_str(BUILT_IN).unwrap();
    let dies = doc["challenges"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["id"] == "server-dies")
        .unwrap();
    // Two patches at one instant (the second keeps the first), a kill and a revive.
    dies["script"] = json!([
        {"at": 20.0, "kill_server": 1},
        {"at": 30.0, "patch": {"traffic": {"arrivals": {"rate": 1400.0}}}},
        {"at": 30.0, "patch": {"servers": {"workers": 6}}},
        {"at": 45.5, "revive_server": 1}
    ]);
    let set = Challenges::from_json(&doc.to_string()).unwrap();
    for id in ["server-dies"] {
        let c = set.get(id).unwrap();
        let mut by_hand = Simulation::new(c.scenario(&c.answer).unwrap()).unwrap();
        for entry in &c.script {
            by_hand.run_until(entry.at);
            let _ = by_hand.apply(entry.change());
        }
        by_hand.run_until(c.seconds);
        let mut sliced = c.begin(&c.answer).unwrap();
        // In uneven slices, as a page's frames would run it.
        let mut t = 0.0;
        while t < c.seconds {
            t = (t + 0.37).min(c.seconds);
            sliced.run_until_budget(t, 5_000);
        }
        while !sliced.run_until_budget(c.seconds, 5_000) {}
        assert_eq!(c.score(&by_hand), c.score(&sliced), "{id}");
        assert_eq!(by_hand.marks(), sliced.marks(), "{id}");
        // Kill, out of the pool, rate, workers, revive, back in the pool.
        assert_eq!(sliced.marks().len(), 6, "{:?}", sliced.marks());
    }
}

/// The page reads a script entry from the JSON the Challenges view sends: the same
/// change as the file's own decoder makes, for every kind of entry.
#[test]
fn a_script_entry_read_from_json_is_the_change_the_file_makes() {
    let entries = json!([
        {"at": 1.0, "kill_server": 2}, {"at": 2.0, "revive_server": 2},
        {"at": 3.0, "database": false}, {"at": 4.0, "database": true},
        {"at": 5.0, "patch": {"servers": {"count": 3}}}
    ]);
    let typed: Vec<Scripted> = serde_json::from_value(entries).unwrap();
    for entry in &typed {
        let sent = serde_json::to_value(entry).unwrap();
        assert_eq!(scripted(&sent), Some((entry.at, entry.change())), "{sent}");
    }
    assert_eq!(scripted(&json!({"at": 1.0})), None);
}

/// Every challenge that ships speaks both of the page's languages.
#[test]
fn every_challenge_has_its_words_in_english_and_chinese() {
    for c in &Challenges::built_in().challenges {
        for code in ["en", "zh-CN"] {
            let words = c
                .text
                .get(code)
                .unwrap_or_else(|| panic!("{}: no {code}", c.id));
            assert!(
                !words.title.is_empty() && words.brief.len() > 40,
                "{}: {code}",
                c.id
            );
        }
    }
}
