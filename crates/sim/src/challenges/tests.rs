//! Every built-in challenge can be won (its answer passes) and is a challenge (its start
//! fails); scores are deterministic; the learner may change only what it allows; the
//! debrief says where and when.

use super::*;
use serde_json::json;

#[test]
fn every_challenge_is_won_by_its_answer_and_lost_from_its_start() {
    let set = Challenges::built_in();
    assert!(set.challenges.len() >= 12);
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
    let dies = Challenges::built_in()
        .challenges
        .iter()
        .position(|c| c.id == "server-dies")
        .unwrap();
    doc["challenges"][dies]["script"][0]["database"] = json!(false);
    let e = Challenges::from_json(&doc.to_string()).unwrap_err();
    assert_eq!(e.path, format!("challenges[{dies}].script[0]"));
    doc["challenges"][dies]["script"][0] = json!({"at": 20.0, "kill_server": 1});
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

/// Refusals in a debrief for `reason`, every part together.
fn refused_for(score: &Score, reason: &str) -> u64 {
    score
        .debrief
        .refused
        .iter()
        .filter(|(_, r, _)| r == reason)
        .map(|(_, _, n)| n)
        .sum()
}

/// Seconds of the script in stretches that missed the goal.
fn missed_seconds(score: &Score) -> f64 {
    score.debrief.missed.iter().map(|m| m.to - m.from).sum()
}

#[test]
fn read_replicas_take_the_reads_a_single_primary_cannot() {
    let set = Challenges::built_in();
    let c = set.get("read-replicas").unwrap();
    // One node takes every read: the whole run misses, workers wait on it and queues fill.
    let start = c.play(&json!({})).unwrap();
    assert!(start.verdicts.p99_ms > 400.0, "{:?}", start.verdicts);
    assert!(start.verdicts.good_share < 0.75, "{:?}", start.verdicts);
    assert_eq!(start.debrief.missed.len(), 1);
    assert_eq!(
        (start.debrief.missed[0].from, start.debrief.missed[0].to),
        (0.0, 60.0)
    );
    assert!(refused_for(&start, "queue_full") > 8_000);
    // One replica takes every read (the primary keeps the writes): no better.
    let one = c.play(&json!({"database": {"replicas": 1}})).unwrap();
    assert!(
        !one.passed && one.verdicts.good_share < 0.8,
        "{:?}",
        one.verdicts
    );
    // Two replicas share them: nothing refused, no stretch missed.
    let answer = c.play(&c.answer).unwrap();
    assert!(answer.verdicts.p99_ms < 150.0, "{:?}", answer.verdicts);
    assert!(answer.debrief.refused.is_empty() && answer.debrief.missed.is_empty());
    // Two shards halve the reads with one node fewer: three stars.
    let shards = c.play(&json!({"database": {"shards": 2}})).unwrap();
    assert_eq!((shards.passed, shards.stars), (true, 3));
}

#[test]
fn shedding_keeps_an_overload_from_making_every_answer_late() {
    let set = Challenges::built_in();
    let c = set.get("shed-the-overload").unwrap();
    // 460/s on 400/s from 20 s to 60 s: the deep queue makes every answer late, and its
    // backlog keeps them late long after the load is back to 300/s.
    let start = c.play(&json!({})).unwrap();
    assert!(start.debrief.late > 15_000, "{}", start.debrief.late);
    assert!(start.verdicts.good_share < 0.5, "{:?}", start.verdicts);
    let last = start.debrief.missed.last().unwrap();
    assert!(last.to >= 75.0 && last.worst_good_share == 0.0, "{last:?}");
    // Shedding what waited over 0.5 s: no late answer, the excess shed, calm after 60 s.
    let answer = c.play(&c.answer).unwrap();
    assert_eq!(answer.debrief.late, 0);
    assert!(refused_for(&answer, "shed") > 1_500);
    for m in &answer.debrief.missed {
        assert!(
            m.from >= 20.0 && m.to <= 61.0 && m.worst_good_share > 0.7,
            "{m:?}"
        );
    }
}

#[test]
fn a_hot_key_overloads_the_one_server_its_hash_picks() {
    let set = Challenges::built_in();
    let c = set.get("hot-key-appears").unwrap();
    // Fine until the key turns hot at 30 s; from then to the end, one server refuses.
    let start = c.play(&json!({})).unwrap();
    assert_eq!(start.debrief.missed.len(), 1);
    let m = &start.debrief.missed[0];
    assert_eq!((m.from, m.to), (30.0, 90.0));
    assert_eq!(start.debrief.refused.len(), 1);
    let (part, reason, n) = &start.debrief.refused[0];
    assert_eq!((part.as_str(), reason.as_str()), ("server 3", "queue_full"));
    assert!(*n > 5_000, "{n}");
    // More servers on the same ring: the hot key still lands on one of them.
    let more = c.play(&json!({"servers": {"count": 6}})).unwrap();
    assert!(!more.verdicts.good_share_held, "{:?}", more.verdicts);
    // Spread by load: nothing refused, no stretch missed; and a server fewer does.
    let answer = c.play(&c.answer).unwrap();
    assert!(answer.debrief.refused.is_empty() && answer.debrief.missed.is_empty());
    let fewer = c
        .play(&json!({"balancer": {"kind": "power_of_two_choices"}, "servers": {"count": 3}}))
        .unwrap();
    assert_eq!((fewer.passed, fewer.stars), (true, 3));
}

#[test]
fn a_breaker_confines_a_hung_database_to_what_needs_it() {
    let set = Challenges::built_in();
    let c = set.get("database-outage").unwrap();
    // From 20 s to 40 s the database is down and every connection to it hangs 3 s:
    // every worker waits, and even requests the cache could answer are refused.
    let start = c.play(&json!({})).unwrap();
    assert!(refused_for(&start, "queue_full") > 15_000);
    assert_eq!(refused_for(&start, "circuit_open"), 0);
    assert_eq!(start.debrief.missed.len(), 1);
    let m = &start.debrief.missed[0];
    assert!(
        m.from == 20.0 && m.to >= 42.0 && m.worst_p99_ms > 5_000.0,
        "{m:?}"
    );
    assert!(start.debrief.late > 500, "{}", start.debrief.late);
    // The breaker fails the database's calls at once: the hits are served, the damage
    // ends with the outage and its late answers are a fifth of the start's.
    let answer = c.play(&c.answer).unwrap();
    let (part, reason, _) = &answer.debrief.refused[0];
    assert_eq!(
        (part.as_str(), reason.as_str()),
        ("database", "circuit_open")
    );
    assert!(refused_for(&answer, "queue_full") < 2_500);
    assert!(answer.debrief.late * 5 < start.debrief.late);
    for m in &answer.debrief.missed {
        assert!(m.from >= 20.0 && m.to <= 40.0, "{m:?}");
    }
    assert!(answer.verdicts.p99_ms < 100.0, "{:?}", answer.verdicts);
    // Waiting for the database's return with a breaker that stays open 10 s does not.
    let slow = c
        .play(
            &json!({"protection": {"circuit_breaker": {"window_calls": 100,
            "failure_ratio": 0.5, "open_seconds": 10.0, "probe_calls": 1}}}),
        )
        .unwrap();
    assert!(!slow.passed && slow.debrief.missed[0].to > 42.0, "{slow:?}");
}

#[test]
fn autoscaling_follows_the_day_that_fixed_servers_cannot_afford() {
    let set = Challenges::built_in();
    let c = set.get("daily-sine").unwrap();
    // Three fixed servers miss from the morning rise through the peak at 75 s, and are
    // fine at night (the second half of the day).
    let start = c.play(&json!({})).unwrap();
    assert!(missed_seconds(&start) > 120.0, "{:?}", start.debrief.missed);
    for m in &start.debrief.missed {
        assert!(m.to <= 150.0, "{m:?}");
    }
    // Five fixed servers hold the peak and cost too much.
    let five = c
        .play(&json!({"servers": {"count": 5, "autoscale": {"min": 5, "max": 5}}}))
        .unwrap();
    let v = &five.verdicts;
    assert!(v.p99_held && v.good_share_held && !v.cost_held, "{v:?}");
    // Autoscaling misses only while new servers boot, and costs less.
    let answer = c.play(&c.answer).unwrap();
    assert!(
        missed_seconds(&answer) < 25.0,
        "{:?}",
        answer.debrief.missed
    );
    assert!(answer.verdicts.cost_per_hour < 0.7, "{:?}", answer.verdicts);
}

#[test]
fn a_retry_storm_outlives_the_spike_that_started_it() {
    let set = Challenges::built_in();
    let c = set.get("retry-storm").unwrap();
    // The ×2 spike ends at 33 s; the retries of late answers keep the queue full to the
    // end, and the retries count among the arrivals.
    let start = c.play(&json!({})).unwrap();
    assert_eq!(start.debrief.missed.len(), 1);
    let m = &start.debrief.missed[0];
    assert_eq!((m.from, m.to, m.worst_good_share), (33.0, 120.0, 0.0));
    assert!(
        start.debrief.arrivals > 100_000,
        "{}",
        start.debrief.arrivals
    );
    // One retry instead of three: still a storm.
    let fewer = c
        .play(&json!({"protection": {"retries": {"max_attempts": 2}}}))
        .unwrap();
    assert_eq!(fewer.debrief.missed.last().unwrap().to, 120.0);
    // A budget of a retry per ten requests: over within seconds of the spike.
    let answer = c.play(&c.answer).unwrap();
    for m in &answer.debrief.missed {
        assert!(m.from >= 30.0 && m.to <= 40.0, "{m:?}");
    }
    assert!(
        answer.debrief.arrivals < 36_000,
        "{}",
        answer.debrief.arrivals
    );
    assert!(answer.debrief.late * 20 < start.debrief.late);
}
