use super::*;
use serde_json::json;

/// A trainer's lesson: two servers' pool, the change one more worker each.
fn lesson() -> Value {
    json!({"id": "my-pool",
        "preset": {"servers": {"count": 2, "workers": 4}},
        "change": {"settings": {"servers": {"workers": 5}}},
        "text": {"en": {"title": "One more worker", "try": "Apply the change."},
                 "zh-CN": {"title": "多一个线程", "try": "应用改动。", "watch": "看队列。"}}})
}

/// A trainer's challenge: the first built-in one under another id, with words.
fn challenge() -> Value {
    let built_in: Value = serde_json::from_str(crate::challenges::BUILT_IN).unwrap();
    let mut c = built_in["challenges"][0].clone();
    c["id"] = json!("my-spike");
    c
}

fn read(doc: Value) -> Result<Workshop, ScenarioError> {
    Workshop::from_json(&doc.to_string())
}

fn problem(doc: Value) -> String {
    read(doc).unwrap_err().to_string()
}

#[test]
fn a_workshop_holds_built_in_and_own_lessons_and_challenges_in_order() {
    let w = read(json!({"title": {"en": "Pools day", "zh-CN": "线程池日"},
        "items": [{"lesson": "thread-pool-sizing"}, {"lesson": lesson()},
                  {"challenge": "first-spike"}, {"challenge": challenge()}]}))
    .unwrap();
    assert_eq!(w.title("zh-CN"), Some("线程池日"));
    assert_eq!(w.title("fr"), Some("Pools day"));
    assert!(matches!(&w.items[0], Item::BuiltInLesson(id) if id == "thread-pool-sizing"));
    assert!(matches!(&w.items[2], Item::BuiltInChallenge(id) if id == "first-spike"));
    let Item::Lesson(mine) = &w.items[1] else {
        panic!("a trainer's lesson");
    };
    assert_eq!(w.items[1].title("zh-CN"), Some("多一个线程"));
    assert_eq!(mine.words("zh-CN").unwrap().watch, "看队列。");
    // Words missing in a language fall back to English.
    assert_eq!(mine.words("en").unwrap().watch, "");
    let preset = mine.preset().unwrap();
    assert_eq!((preset.servers.count, preset.servers.workers), (2, 4));
    let Change::Scenario(next) = mine.try_it(&preset).unwrap() else {
        panic!("a settings change");
    };
    assert_eq!(next.servers.workers, 5);
    // Made now on the page, the same change: a patch of the scenario as it stands.
    let mut sim = crate::Simulation::new(preset.clone()).unwrap();
    sim.apply(mine.change_now().change()).unwrap();
    assert_eq!(sim.scenario(), &*next);
    let w_kill = read(
        json!({"lesson": {"id": "k", "preset": {}, "change": {"kill_server": 1},
        "text": {"en": {"title": "t", "try": "t"}}}}),
    )
    .unwrap();
    let Item::Lesson(kill) = &w_kill.items[0] else {
        panic!("a trainer's lesson");
    };
    assert!(matches!(kill.change_now().change(), Change::KillServer(1)));
    let Item::Challenge(c) = &w.items[3] else {
        panic!("a trainer's challenge");
    };
    assert!(c.play(&c.answer).unwrap().passed);
    assert_eq!(
        w.challenges().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["my-spike"]
    );
}

#[test]
fn a_lone_lesson_or_challenge_is_a_workshop_of_one_and_a_bom_is_allowed() {
    let w = Workshop::from_json(&format!("\u{feff}{}", json!({"lesson": lesson()}))).unwrap();
    assert_eq!(w.items.len(), 1);
    assert!(w.title.is_empty());
    let w = read(json!({"challenge": challenge()})).unwrap();
    assert_eq!(w.items[0].title("en"), Some("The first spike"));
}

/// Every malformed file says what is wrong at its path in the file.
#[test]
fn problems_are_named_by_their_path_in_the_file() {
    let one = |item: Value| json!({"items": [{"lesson": "littles-law"}, item]});
    let with_lesson = |key: &str, value: Value| {
        let mut l = lesson();
        l[key] = value;
        problem(one(json!({ "lesson": l })))
    };
    let cases = [
        (
            with_lesson("preset", json!({"servers": {"workers": 0}})),
            "items[1].lesson.preset.servers.workers: ",
        ),
        (
            with_lesson("change", json!({"kill": 1})),
            "items[1].lesson.change.kill: ",
        ),
        (with_lesson("groups", json!([])), "items[1].lesson.groups: "),
        (with_lesson("text", json!({})), "items[1].lesson.text: "),
        (
            with_lesson("text", json!({"fr": {"title": "x", "try": "y"}})),
            "items[1].lesson.text.fr: ",
        ),
        (
            with_lesson("text", json!({"en": {"title": "x"}})),
            "items[1].lesson.text.en: ",
        ),
        (
            with_lesson("text", json!({"en": {"title": " ", "try": "y"}})),
            "items[1].lesson.text.en.title: ",
        ),
        (
            with_lesson(
                "text",
                json!({"en": {"title": "x", "try": "y".repeat(4_001)}}),
            ),
            "items[1].lesson.text.en.try: ",
        ),
        (
            with_lesson("id", json!("littles-law")),
            "items[1].lesson.id: ",
        ),
        (with_lesson("id", json!("a b")), "items[1].lesson.id: "),
        (
            problem(one(json!({"lesson": "no-such-lesson"}))),
            "items[1].lesson: ",
        ),
        (
            problem(one(json!({"challenge": "no-such-challenge"}))),
            "items[1].challenge: ",
        ),
        (
            problem(one(
                json!({"lesson": "littles-law", "challenge": "first-spike"}),
            )),
            "items[1]: ",
        ),
        (problem(one(json!({"quiz": 1}))), "items[1].quiz: "),
        (problem(json!({"items": []})), "items: "),
        (
            problem(json!({"items": [{"lesson": "littles-law"}], "extra": 1})),
            "extra: ",
        ),
        (problem(json!([1])), "expected an object"),
    ];
    for (said, starts) in cases {
        assert!(said.starts_with(starts), "{said:?} should start {starts:?}");
    }
    let mut c = challenge();
    c["goal"]["p99_ms"] = json!(-1);
    assert!(problem(one(json!({ "challenge": c }))).starts_with("items[1].challenge.goal: "));
    let mut c = challenge();
    c["id"] = json!("first-spike");
    assert!(problem(one(json!({ "challenge": c }))).starts_with("items[1].challenge.id: "));
    let mut c = challenge();
    c["text"] = json!({});
    assert!(problem(one(json!({ "challenge": c }))).starts_with("items[1].challenge.text: "));
    let twice = json!({"items": [{"lesson": lesson()}, {"lesson": lesson()}]});
    assert!(problem(twice).starts_with("items[1].lesson.id: "));
    assert!(Workshop::from_json("{\"items\": [").is_err());
}

#[test]
fn sizes_are_bounded() {
    let many = vec![json!({"lesson": "littles-law"}); MAX_ITEMS + 1];
    assert!(problem(json!({ "items": many })).starts_with("items: "));
    let huge = format!(
        "{{\"items\": [], \"pad\": \"{}\"}}",
        "x".repeat(MAX_FILE_BYTES)
    );
    assert!(Workshop::from_json(&huge)
        .unwrap_err()
        .to_string()
        .contains("256 KB"));
}

#[test]
fn a_workshop_travels_in_a_link_and_a_broken_link_says_why() {
    let text = json!({"items": [{"lesson": lesson()}, {"challenge": "first-spike"}]}).to_string();
    let fragment = encode(&text).unwrap();
    assert!(fragment.starts_with(LINK_PREFIX));
    let back = decode(&format!("#{fragment}")).unwrap();
    assert_eq!(back.items.len(), 2);
    let problem = |f: &str| decode(f).unwrap_err().problem;
    assert_eq!(problem("workshop=1.***"), Problem::LinkNotBase64);
    assert_eq!(problem("workshop=1.AAAA"), Problem::LinkNotDeflate);
    assert_eq!(problem("workshop=abc"), Problem::LinkCutShort);
    assert!(matches!(
        problem("workshop=2.abc"),
        Problem::LinkFormat { .. }
    ));
    let long = format!("workshop=1.{}", "A".repeat(MAX_LINK_CHARS));
    assert_eq!(problem(&long), Problem::LinkTooLong);
    // A bomb: a small link inflating past the file limit is refused, not inflated.
    let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b' '; MAX_FILE_BYTES * 2], 10);
    assert_eq!(problem(&link_fragment(&bomb)), Problem::LinkTooLarge);
}

/// docs/workshops.md's complete example reads as the workshop it says it is.
#[test]
fn the_documented_example_reads() {
    let doc = include_str!("../../../../docs/workshops.md");
    let example = doc
        .split("```json\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("the doc has a JSON example");
    let w = Workshop::from_json(example).unwrap();
    let kinds: Vec<&str> = w
        .items
        .iter()
        .map(|item| match item {
            Item::BuiltInLesson(_) => "built-in lesson",
            Item::Lesson(_) => "lesson",
            Item::BuiltInChallenge(_) => "built-in challenge",
            Item::Challenge(_) => "challenge",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "built-in lesson",
            "lesson",
            "built-in challenge",
            "challenge"
        ]
    );
    for item in &w.items {
        if let Item::Challenge(c) = item {
            assert!(c.play(&c.answer).unwrap().passed, "its answer passes");
            assert!(!c.play(&json!({})).unwrap().passed, "its start fails");
        }
    }
}

/// The example's own lesson says: the hit rate drops to nothing, every read goes to the
/// database, and p99 rises. Checked on its preset and change.
#[test]
fn the_documented_lesson_shows_what_it_says() {
    let doc = include_str!("../../../../docs/workshops.md");
    let example = doc.split("```json\n").nth(1).unwrap();
    let example = example.split("\n```").next().unwrap();
    let w = Workshop::from_json(example).unwrap();
    let Item::Lesson(lesson) = &w.items[1] else {
        panic!("the example's second item is its own lesson");
    };
    let mut sim = crate::Simulation::new(lesson.preset().unwrap()).unwrap();
    sim.run_until(30.0);
    let change = lesson.try_it(sim.scenario()).unwrap();
    sim.apply(change).unwrap();
    sim.run_until(60.0);
    let phase = |from: f64, to: f64| {
        let windows: Vec<_> = sim
            .metrics()
            .windows()
            .iter()
            .filter(|w| w.start >= from && w.end <= to)
            .collect();
        let sum = |f: &dyn Fn(&crate::metrics::WindowStats) -> f64| -> f64 {
            windows.iter().map(|w| f(w)).sum()
        };
        let hits = sum(&|w| w.cache.hits as f64);
        let looked_up = hits + sum(&|w| w.cache.misses as f64);
        let p99 = sum(&|w| w.latency.p99) / windows.len() as f64;
        let reads = sum(&|w| w.database.as_ref().map_or(0.0, |d| d.reads as f64));
        (hits / looked_up.max(1.0), p99, reads / (to - from))
    };
    let (hit_before, p99_before, reads_before) = phase(10.0, 30.0);
    let (hit_after, p99_after, reads_after) = phase(40.0, 60.0);
    assert!(
        hit_before > 0.5 && hit_after == 0.0,
        "{hit_before} → {hit_after}"
    );
    assert!(p99_after > 1.5 * p99_before, "{p99_before} → {p99_after}");
    assert!(
        reads_after > 1.8 * reads_before,
        "{reads_before} → {reads_after}"
    );
}
