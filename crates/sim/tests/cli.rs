//! The `loadlab` binary as a user runs it: exit codes, stdout, stderr and files.
//!
//! Every failure must be one line on stderr starting with "loadlab: ", exit code 2,
//! and never a panic.

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_loadlab");

/// Runs `loadlab` with `args`.
fn loadlab(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("the loadlab binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8")
}

/// A file under the temp directory, unique to this process and test; removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn new(test: &str, name: &str, contents: &str) -> Self {
        let path = Self::path(test, name);
        std::fs::write(&path, contents).expect("temp file written");
        Self(path)
    }

    /// A path nothing has been written to yet (for outputs).
    fn path(test: &str, name: &str) -> PathBuf {
        std::env::temp_dir().join(format!("loadlab-cli-{}-{test}-{name}", std::process::id()))
    }

    fn as_str(&self) -> &str {
        self.0.to_str().expect("temp path is UTF-8")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// What `loadlab example` prints.
fn example_json() -> String {
    let out = loadlab(&["example"]);
    assert!(out.status.success(), "example failed: {}", stderr(&out));
    stdout(&out)
}

/// The example scenario, edited as a JSON value.
fn edited_example(edit: impl FnOnce(&mut Value)) -> String {
    let mut doc: Value = serde_json::from_str(&example_json()).expect("example is JSON");
    edit(&mut doc);
    serde_json::to_string_pretty(&doc).unwrap()
}

/// Asserts a clean failure: exit code 2, exactly one stderr line starting with
/// "loadlab: ", no panic; returns that line.
fn assert_fails(out: &Output) -> String {
    let err = stderr(out);
    assert_eq!(
        out.status.code(),
        Some(2),
        "expected exit code 2; stderr: {err}"
    );
    assert!(!err.contains("panicked"), "panic on stderr: {err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "expected one stderr line, got: {err:?}");
    assert!(
        lines[0].starts_with("loadlab: "),
        "stderr does not start with \"loadlab: \": {err:?}"
    );
    assert!(
        out.stdout.is_empty(),
        "nothing expected on stdout: {}",
        stdout(out)
    );
    lines[0].to_string()
}

/// Runs `loadlab run` on a scenario document and expects a clean failure naming `path`.
fn assert_scenario_rejected(test: &str, doc: &str, path: &str) {
    let file = TempFile::new(test, "scenario.json", doc);
    let line = assert_fails(&loadlab(&["run", file.as_str(), "--requests", "10"]));
    assert!(line.contains(path), "message does not name {path}: {line}");
}

#[test]
fn example_output_runs() {
    let file = TempFile::new("example_output_runs", "scenario.json", &example_json());
    let out = loadlab(&["run", file.as_str(), "--requests", "2000"]);
    assert!(out.status.success(), "run failed: {}", stderr(&out));
    let summary: Value = serde_json::from_str(&stdout(&out)).expect("run prints JSON");
    for key in ["arrivals", "throughput", "latency", "littles_law"] {
        assert!(summary.get(key).is_some(), "summary lacks {key:?}");
    }
    assert_eq!(summary["arrivals"], 2000);
}

/// Some editors write a UTF-8 byte-order mark first; the file is still a scenario, and
/// runs as it would without it.
#[test]
fn a_file_that_starts_with_a_byte_order_mark_runs() {
    let plain = TempFile::new("bom", "plain.json", &example_json());
    let marked = TempFile::new("bom", "marked.json", &format!("\u{feff}{}", example_json()));
    let run = |file: &TempFile| loadlab(&["run", file.as_str(), "--requests", "2000"]);
    let (plain, marked) = (run(&plain), run(&marked));
    assert!(marked.status.success(), "{}", stderr(&marked));
    assert_eq!(stdout(&marked), stdout(&plain));
}

#[test]
fn missing_file_is_one_line() {
    let path = TempFile::path("missing_file_is_one_line", "absent.json");
    let line = assert_fails(&loadlab(&["run", path.to_str().unwrap()]));
    assert!(line.contains("cannot read"), "{line}");
}

#[test]
fn truncated_json_is_one_line() {
    let text = example_json();
    let truncated = &text[..text.len() / 2];
    let file = TempFile::new("truncated_json_is_one_line", "scenario.json", truncated);
    assert_fails(&loadlab(&["run", file.as_str(), "--requests", "10"]));
}

#[test]
fn negative_rate_names_its_field() {
    let doc = edited_example(|d| d["traffic"]["arrivals"]["rate"] = (-5.0).into());
    assert_scenario_rejected(
        "negative_rate_names_its_field",
        &doc,
        "traffic.arrivals.rate",
    );
}

#[test]
fn zero_workers_names_its_field() {
    let doc = edited_example(|d| d["servers"]["workers"] = 0.into());
    assert_scenario_rejected("zero_workers_names_its_field", &doc, "servers.workers");
}

#[test]
fn all_zero_weights_names_its_field() {
    let doc = edited_example(|d| {
        d["servers"]["count"] = 4.into();
        d["servers"]["weights"] = serde_json::json!([0, 0, 0, 0]);
    });
    assert_scenario_rejected("all_zero_weights_names_its_field", &doc, "servers.weights");
}

#[test]
fn unknown_field_names_it() {
    let doc = edited_example(|d| d["servers"]["wrkers"] = 4.into());
    assert_scenario_rejected("unknown_field_names_it", &doc, "wrkers");
}

#[test]
fn unknown_command_is_one_line() {
    let line = assert_fails(&loadlab(&["frobnicate"]));
    assert!(line.contains("frobnicate"), "{line}");
}

#[test]
fn zero_requests_is_refused() {
    let file = TempFile::new("zero_requests_is_refused", "s.json", &example_json());
    let line = assert_fails(&loadlab(&["run", file.as_str(), "--requests", "0"]));
    assert!(line.contains("--requests"), "{line}");
}

#[test]
fn requests_and_duration_together_are_refused() {
    let file = TempFile::new(
        "requests_and_duration_together_are_refused",
        "s.json",
        &example_json(),
    );
    let line = assert_fails(&loadlab(&[
        "run",
        file.as_str(),
        "--requests",
        "5",
        "--duration",
        "5",
    ]));
    assert!(
        line.contains("--requests") && line.contains("--duration"),
        "{line}"
    );
}

#[test]
fn unknown_policy_lists_the_valid_ones() {
    let trace = TempFile::new("unknown_policy_lists_the_valid_ones", "trace", "a\nb\n");
    let line = assert_fails(&loadlab(&[
        "replay",
        "--policy",
        "mru",
        "--capacity",
        "2",
        trace.as_str(),
    ]));
    assert!(line.contains("mru"), "{line}");
    for name in ["lru", "lfu", "fifo", "random", "sieve", "s3_fifo"] {
        assert!(line.contains(name), "message does not list {name}: {line}");
    }
}

#[test]
fn bad_sweep_param_is_one_line() {
    let file = TempFile::new("bad_sweep_param_is_one_line", "s.json", &example_json());
    for param in [
        "nonsense",
        "servers.workers=1..",
        "servers.nope=1..3",
        "balancer=1..3",
        "servers.workers=0..2",
    ] {
        let line = assert_fails(&loadlab(&[
            "sweep",
            file.as_str(),
            "--param",
            param,
            "--duration",
            "1",
        ]));
        assert!(line.contains("--param"), "{param}: {line}");
    }
}

#[test]
fn same_seed_same_output_different_seed_different_output() {
    let file = TempFile::new(
        "same_seed_same_output_different_seed_different_output",
        "s.json",
        &example_json(),
    );
    let run = |seed: &str| {
        let out = loadlab(&["run", file.as_str(), "--requests", "2000", "--seed", seed]);
        assert!(out.status.success(), "run failed: {}", stderr(&out));
        out.stdout
    };
    let first = run("7");
    assert_eq!(first, run("7"), "same seed gave different output");
    assert_ne!(first, run("8"), "different seeds gave the same output");
}

#[test]
fn timeseries_has_a_row_per_window() {
    let test = "timeseries_has_a_row_per_window";
    let file = TempFile::new(test, "s.json", &example_json());
    let csv = TempFile(TempFile::path(test, "series.csv"));
    let out = loadlab(&[
        "run",
        file.as_str(),
        "--duration",
        "5",
        "--timeseries",
        csv.as_str(),
    ]);
    assert!(out.status.success(), "run failed: {}", stderr(&out));
    let text = std::fs::read_to_string(&csv.0).expect("the CSV was written");
    let mut lines = text.lines();
    let header = lines.next().expect("a header line");
    assert!(header.starts_with("start_s,end_s,arrivals_req"), "{header}");
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 5, "expected 5 one-second rows:\n{text}");
    let commas = header.matches(',').count();
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row.matches(',').count(), commas, "row {i}: {row}");
        assert!(row.starts_with(&format!("{i},{}", i + 1)), "row {i}: {row}");
    }
}

/// Replays `trace` and returns (requests, hits, misses).
fn replay(test: &str, policy: &str, capacity: &str, trace: &str) -> (u64, u64, u64) {
    let file = TempFile::new(test, &format!("{policy}.trace"), trace);
    let out = loadlab(&[
        "replay",
        "--policy",
        policy,
        "--capacity",
        capacity,
        file.as_str(),
    ]);
    assert!(out.status.success(), "replay failed: {}", stderr(&out));
    let result: Value = serde_json::from_str(&stdout(&out)).expect("replay prints JSON");
    assert_eq!(result["policy"], policy);
    let count = |k: &str| result[k].as_u64().unwrap_or_else(|| panic!("no {k}"));
    (count("requests"), count("hits"), count("misses"))
}

#[test]
fn replay_lru_by_hand() {
    // Capacity 2: a miss {a}; b miss {b,a}; a hit {a,b}; c miss, evicts b {c,a};
    // a hit {a,c}. 2 hits, 3 misses.
    assert_eq!(
        replay("replay_lru_by_hand", "lru", "2", "a\nb\na\nc\na\n"),
        (5, 2, 3)
    );
}

#[test]
fn replay_lfu_by_hand() {
    let test = "replay_lfu_by_hand";
    // Capacity 2, frequencies counted from admission (an entry enters with 1):
    //   a  miss        {a:1}
    //   a  hit         {a:2}
    //   b  miss        {a:2, b:1}
    //   c  miss, evicts b (lowest count)       {a:2, c:1}
    //   b  miss, evicts c                       {a:2, b:1}
    //   d  miss, evicts b                       {a:2, d:1}
    //   b  miss, evicts d                       {a:2, b:1}
    //   a  hit         {a:3, b:1}
    // 2 hits, 6 misses. (LRU would get 3 hits here: it evicts a at c.)
    assert_eq!(
        replay(test, "lfu", "2", "a\na\nb\nc\nb\nd\nb\na\n"),
        (8, 2, 6)
    );
    assert_eq!(
        replay(test, "lru", "2", "a\na\nb\nc\nb\nd\nb\na\n"),
        (8, 3, 5)
    );
    // Ties go to the least recently used:
    //   p miss {p:1}; q miss {p:1, q:1}; p hit {p:2}; q hit {q:2};
    //   r miss: p and q both 2, p used longer ago, so p goes {q:2, r:1};
    //   q hit.
    // 3 hits, 3 misses (evicting q, the most recent, would give 2 hits).
    assert_eq!(replay(test, "lfu", "2", "p\nq\np\nq\nr\nq\n"), (6, 3, 3));
}

#[test]
fn sweep_prints_a_header_and_a_row_per_value() {
    let file = TempFile::new(
        "sweep_prints_a_header_and_a_row_per_value",
        "s.json",
        &example_json(),
    );
    let out = loadlab(&[
        "sweep",
        file.as_str(),
        "--param",
        "servers.workers=2..4",
        "--duration",
        "10",
    ]);
    assert!(out.status.success(), "sweep failed: {}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "expected a header and 3 rows:\n{text}");
    assert!(
        lines[0].contains("workers") && lines[0].contains("throughput"),
        "{}",
        lines[0]
    );
    for (line, value) in lines[1..].iter().zip(["2", "3", "4"]) {
        assert_eq!(line.split_whitespace().next(), Some(value), "{line}");
    }
}

/// `sweep --replications`: means with 95 % intervals and theory beside them, the very
/// numbers `curves::point` gives (what the page's curves will show).
#[test]
fn a_sweep_with_replications_prints_the_curves_numbers() {
    let model = loadlab_sim::theory::model_scenario(200.0, 1, 4, None, 0.01);
    let file = TempFile::new(
        "a_sweep_with_replications_prints_the_curves_numbers",
        "m.json",
        &model.to_json(),
    );
    let out = loadlab(&[
        "sweep",
        file.as_str(),
        "--param",
        "traffic.arrivals.rate=200..300:2",
        "--requests",
        "4000",
        "--replications",
        "3",
    ]);
    assert!(out.status.success(), "sweep failed: {}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].contains("mean_ms ± 95%") && lines[0].contains("theory_ms"),
        "{text}"
    );
    for (line, rate) in lines[1..].iter().zip([200.0, 300.0]) {
        let p = loadlab_sim::curves::point(&model, "traffic.arrivals.rate", rate, 3, 4000).unwrap();
        let mean = p.figure(loadlab_sim::curves::Measure::MeanLatency);
        let cell = format!("{:.3} ± {:.3}", mean.mean * 1e3, mean.half_width * 1e3);
        assert!(line.contains(&cell), "{line} lacks {cell}");
        let theory = format!(
            "{:.3}",
            p.theory_of(loadlab_sim::curves::Measure::MeanLatency)
                .unwrap()
                * 1e3
        );
        assert!(line.trim_end().ends_with(&theory), "{line} lacks {theory}");
    }
}

/// The determinism set (tests/golden/determinism, pinned by the golden test): the CLI
/// prints each scenario's summary byte for byte as pinned; `tests/wasm.rs` requires the
/// same bytes from the page's build in Chromium.
#[test]
fn the_cli_prints_the_pinned_summary_of_every_scenario_of_the_determinism_set() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/determinism");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.to_str().unwrap();
        let Some(base) = name.strip_suffix(".summary.json") else {
            continue;
        };
        let out = loadlab(&["run", &format!("{base}.json"), "--requests", "10000"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let pinned = std::fs::read_to_string(&path).unwrap();
        assert_eq!(stdout(&out), pinned, "{name}");
        checked += 1;
    }
    // Each lesson's, and the three beyond them (tests/golden.rs).
    assert_eq!(checked, loadlab_sim::lessons::ALL.len() + 3);
}

/// `sweep` on a scenario that keeps a curve (as the page exports it) runs that curve:
/// its setting, points, replications and requests, with the curve's figure and theory's
/// value of it in the last columns, the very numbers `curves::point` gives.
#[test]
fn a_sweep_of_a_kept_curve_prints_the_curves_numbers() {
    use loadlab_sim::curves::{CurveSpec, Measure};
    let mut model = loadlab_sim::theory::model_scenario(200.0, 1, 4, Some(8), 0.01);
    let curve = CurveSpec {
        setting: "traffic.arrivals.rate".into(),
        from: 300.0,
        to: 450.0,
        points: 2,
        replications: 2,
        requests: 3000,
        measure: Measure::Utilisation,
        band: None,
    };
    model.curve = Some(curve.clone());
    let file = TempFile::new("a_sweep_of_a_kept_curve", "m.json", &model.to_json());
    let csv = TempFile::new("a_sweep_of_a_kept_curve", "curve.csv", "");
    let out = loadlab(&["sweep", file.as_str(), "--csv", csv.as_str()]);
    assert!(out.status.success(), "sweep failed: {}", stderr(&out));
    let text = stdout(&out);
    // The CSV is `curves::csv` of the very points (what the page downloads).
    let points: Vec<_> = [300.0, 450.0]
        .iter()
        .map(|&r| loadlab_sim::curves::point(&model, &curve.setting, r, 2, 3000).unwrap())
        .collect();
    assert_eq!(
        std::fs::read_to_string(csv.as_str()).unwrap(),
        loadlab_sim::curves::csv(&curve.setting, &points)
    );
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].contains("utilisation ± 95%"), "{text}");
    assert_eq!(lines.len(), 3, "{text}");
    for (line, rate) in lines[1..].iter().zip([300.0, 450.0]) {
        let p = loadlab_sim::curves::point(&model, &curve.setting, rate, 2, 3000).unwrap();
        let busy = p.figure(Measure::Utilisation);
        let theory = p
            .theory_of(Measure::Utilisation)
            .expect("M/M/4/12 is solved");
        let cells = format!(
            "{:.3} ± {:.3} {:>12}",
            busy.mean,
            busy.half_width,
            format!("{theory:.3}")
        );
        assert!(line.trim_end().ends_with(&cells), "{line} lacks {cells}");
    }
    // Without a curve and without --param, it says what it needs.
    model.curve = None;
    let plain = TempFile::new("a_sweep_of_a_kept_curve", "p.json", &model.to_json());
    let out = loadlab(&["sweep", plain.as_str()]);
    assert!(
        stderr(&out).contains("or a scenario with a curve"),
        "{}",
        stderr(&out)
    );
}

/// `lessons` lists every lesson's id and title; `lesson ID` prints its preset and
/// `lesson ID --changed` the scenario after its change, both as scenario JSON that `run`
/// takes; an action lesson says so; an unknown id is refused with the known ones.
#[test]
fn lessons_are_listed_and_printed_as_scenarios() {
    use loadlab_sim::lessons::ALL;
    use loadlab_sim::Scenario;
    let out = loadlab(&["lessons"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), ALL.len());
    for (line, lesson) in lines.iter().zip(ALL.iter()) {
        assert!(
            line.starts_with(lesson.id) && line.ends_with(lesson.title),
            "{line}"
        );
    }
    let lesson = &ALL[0];
    let preset = stdout(&loadlab(&["lesson", lesson.id]));
    assert_eq!(
        Scenario::from_json(&preset).unwrap(),
        lesson.data().preset().unwrap()
    );
    let changed = stdout(&loadlab(&["lesson", lesson.id, "--changed"]));
    let loadlab_sim::Change::Scenario(expected) = lesson
        .data()
        .try_it(&lesson.data().preset().unwrap())
        .unwrap()
    else {
        panic!("the first lesson changes a setting");
    };
    assert_eq!(Scenario::from_json(&changed).unwrap(), *expected);
    assert_ne!(preset, changed);
    // What `lesson` prints, `run` takes.
    let file = TempFile::new("lessons_are_listed", "l.json", &changed);
    assert!(loadlab(&["run", file.as_str(), "--requests", "1000"])
        .status
        .success());
    let action = loadlab(&["lesson", "hashing-when-a-server-dies", "--changed"]);
    assert!(!action.status.success());
    assert!(
        stderr(&action).contains("is an action, not a setting (KillServer(1))"),
        "{}",
        stderr(&action)
    );
    let unknown = loadlab(&["lesson", "no-such-lesson"]);
    assert!(!unknown.status.success());
    assert!(
        stderr(&unknown).contains("the lessons are: round-robin-vs-least-connections, "),
        "{}",
        stderr(&unknown)
    );
}

/// `course FILE` checks a course file as the page reads it: the built-in course passes,
/// naming its lessons; a broken one is refused with the path of what is wrong, and
/// exit status 2.
#[test]
fn a_course_file_is_checked_with_the_path_of_what_is_wrong() {
    let course = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons/course.json");
    let out = loadlab(&["course", course]);
    assert!(out.status.success(), "{}", stderr(&out));
    let ok = stdout(&out);
    let count = loadlab_sim::lessons::ALL.len();
    assert!(
        ok.contains(&format!(
            "{count} lessons, each valid: round-robin-vs-least-connections, "
        )),
        "{ok}"
    );
    let dir = std::env::temp_dir().join(format!("loadlab-course-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases = [
        (
            r#"{"lessons": [{"id": "a", "groups": [], "preset": {"servers": {"workers": 0}}, "change": {"kill_server": 0}}]}"#,
            "lessons[0].preset.servers.workers: must be from 1 to 100000, got 0",
        ),
        (
            r#"{"lessons": [{"id": "a", "groups": [], "preset": {}, "change": {"settings": {"balancer": {"kind": "fastest"}}}}]}"#,
            "lessons[0].change.settings.balancer",
        ),
        (
            r#"{"lessons": [{"id": "a", "groups": [], "preset": {}}]}"#,
            "lessons[0]: missing field `change`",
        ),
        (
            r#"{"lessons": "none"}"#,
            "lessons: expected a list of lessons",
        ),
    ];
    for (i, (text, said)) in cases.iter().enumerate() {
        let path = dir.join(format!("{i}.json"));
        std::fs::write(&path, text).unwrap();
        let out = loadlab(&["course", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{text}");
        assert!(stderr(&out).contains(said), "{text}: {}", stderr(&out));
    }
}

/// `workshop FILE` checks a trainer's workshop: docs/workshops.md's example passes, its
/// own challenge failing at its start and passing with its answer, and the link is
/// printed; a broken file is refused with the path of what is wrong.
#[test]
fn a_workshop_file_is_checked_and_its_link_printed() {
    let doc = include_str!("../../../docs/workshops.md");
    let example = doc.split("```json\n").nth(1).unwrap();
    let example = TempFile::new(
        "workshop",
        "ok.json",
        example.split("\n```").next().unwrap(),
    );
    let out = loadlab(&["workshop", example.as_str()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(said.contains("4 items, each valid"), "{said}");
    assert!(
        said.contains("challenge lunch-rush: The lunch rush; start fails (p99 "),
        "{said}"
    );
    assert!(said.contains(", answer passes (p99 "), "{said}");
    let fragment = said.split("#workshop=").nth(1).unwrap().trim();
    let back = loadlab_sim::workshop::decode(&format!("workshop={fragment}")).unwrap();
    assert_eq!(back.items.len(), 4);
    let broken = TempFile::new(
        "workshop",
        "broken.json",
        r#"{"items": [{"lesson": {"id": "x", "preset": {"servers": {"workers": 0}}, "change": {"kill_server": 0}, "text": {"en": {"title": "t", "try": "t"}}}}]}"#,
    );
    let out = loadlab(&["workshop", broken.as_str()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("items[0].lesson.preset.servers.workers: must be"),
        "{}",
        stderr(&out)
    );
}

/// `challenge` plays a challenge with the learner's settings (a file, a BOM allowed) and
/// prints the score and debrief as JSON; a locked setting is refused by its path.
#[test]
fn a_challenge_is_played_from_the_command_line() {
    let listed = stdout(&loadlab(&["challenges"]));
    assert!(
        listed.starts_with("first-spike  level 1  pools"),
        "{listed}"
    );
    let start = loadlab(&["challenge", "first-spike"]);
    assert!(start.status.success(), "{}", stderr(&start));
    let score: serde_json::Value = serde_json::from_str(&stdout(&start)).unwrap();
    assert_eq!(score["passed"], false);
    assert_eq!(score["debrief"]["refused"][0][1], "queue_full");
    let mine = TempFile::new(
        "challenge",
        "mine.json",
        "\u{feff}{\"servers\": {\"count\": 3}}",
    );
    let won = loadlab(&["challenge", "first-spike", "--settings", mine.as_str()]);
    let score: serde_json::Value = serde_json::from_str(&stdout(&won)).unwrap();
    assert_eq!(
        (score["passed"].clone(), score["stars"].clone()),
        (true.into(), 3.into())
    );
    let locked = TempFile::new(
        "challenge",
        "locked.json",
        r#"{"balancer": {"kind": "random"}}"#,
    );
    let refused = loadlab(&["challenge", "first-spike", "--settings", locked.as_str()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("balancer.kind: this challenge does not let you change"));
}
