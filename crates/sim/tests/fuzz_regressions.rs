//! Inputs the fuzz targets (crates/sim/fuzz, docs/reliability.md) found failing, kept
//! here as plain tests so the failures cannot come back unnoticed.

use loadlab_sim::dist::{Distribution, MAX_SECONDS};
use loadlab_sim::traffic::MAX_RATE;
use loadlab_sim::traffic::{Arrivals, RateEvent, MAX_SCHEDULE_SECONDS};
use loadlab_sim::{share, Scenario, Simulation};

/// The default scenario with `shed_after_seconds` written as `value`, as JSON text.
fn default_with_shed_after(value: &str) -> String {
    let text = Scenario::default().to_json();
    assert!(text.contains("\"shed_after_seconds\": null"), "{text}");
    text.replace(
        "\"shed_after_seconds\": null",
        &format!("\"shed_after_seconds\": {value}"),
    )
}

/// Found by `scenario_json`: this number decodes to the double written back as
/// 0.21844674407370954, which serde_json's default (fast, not correctly rounded) parser
/// read back as the next double down, so a saved or shared scenario was not the one
/// that had been opened.
#[test]
fn a_decoded_scenario_survives_a_save_and_a_link_exactly() {
    let scenario = Scenario::from_json(&default_with_shed_after("0.218446744073709551615"))
        .expect("the fuzz input is a valid scenario");
    assert_eq!(
        Scenario::from_json(&scenario.to_json()),
        Ok(scenario.clone())
    );
    let link = share::encode(&scenario, None);
    assert_eq!(share::decode(&link).map(|s| s.scenario), Ok(scenario));
}

/// The same over many doubles with 17 significant digits, where rounding twice (the
/// digits to a double, then the division by a power of ten) goes wrong most often.
#[test]
fn every_double_survives_a_save_exactly() {
    let mut scenario = Scenario::default();
    let mut bits = 0.1f64.to_bits();
    for _ in 0..1000 {
        // A fixed walk through the doubles in (0.1, 1): deterministic, and dense enough
        // to hit the values that one rounding step gets wrong.
        bits += 0x0000_0a3d_70a3_d70b;
        let value = f64::from_bits(bits);
        assert!(value < 1.0, "the walk left (0.1, 1) at {value}");
        scenario.protection.shed_after_seconds = Some(value);
        let back = Scenario::from_json(&scenario.to_json()).expect("a valid scenario decodes");
        assert_eq!(back.protection.shed_after_seconds, Some(value));
    }
}

/// A change to the default scenario.
type Edit = fn(&mut Scenario);

/// `scenario`, saved and read back: the decoder's verdict on it.
fn decoded(scenario: &Scenario) -> Result<Scenario, String> {
    Scenario::from_json(&scenario.to_json()).map_err(|e| e.path)
}

/// Found by `scenario_json`: a service time with a mean of 1e308 s (log-normal, sigma 1)
/// was valid, its draws overflowed to infinity and the engine scheduled a compute at
/// t = inf. The same followed from a think time that long, a speed near 0 and a scan
/// cost that large (inputs made by hand from the fuzz finding, each crashing the target).
/// Each is now refused, naming its field.
#[test]
fn durations_that_overflow_are_refused_by_name() {
    let cases: [(&str, Edit); 5] = [
        ("servers.service_time.mean_seconds", |s| {
            s.servers.service_time = Distribution::LogNormal {
                mean_seconds: 1e308,
                sigma: 1.0,
            }
        }),
        ("servers.service_time.seconds", |s| {
            s.servers.service_time = Distribution::Constant { seconds: 1e308 }
        }),
        ("traffic.arrivals.think_time.mean_seconds", |s| {
            s.traffic.arrivals = Arrivals::ClosedLoop {
                users: 5,
                think_time: Distribution::Exponential {
                    mean_seconds: 1e308,
                },
            }
        }),
        ("servers.speeds[0]", |s| {
            s.servers.speeds = vec![5e-324, 1.0, 1.0, 1.0];
        }),
        ("database.scan_seconds_per_million_rows", |s| {
            let db = s.database.as_mut().expect("the default has a database");
            db.indexed = false;
            db.scan_seconds_per_million_rows = 1e308;
        }),
    ];
    for (path, edit) in cases {
        let mut scenario = Scenario::default();
        edit(&mut scenario);
        assert_eq!(decoded(&scenario).map(|_| ()), Err(path.to_string()));
    }
}

/// The bounds are tight enough: the longest durations, slowest server and costliest scan
/// still allowed give finite event times (the event list asserts it in debug builds).
#[test]
fn the_longest_durations_allowed_stay_finite() {
    let mut scenario = Scenario::default();
    scenario.servers.service_time = Distribution::LogNormal {
        mean_seconds: MAX_SECONDS,
        sigma: 4.0,
    };
    scenario.servers.speeds = vec![0.001; 4];
    scenario.servers.switch_overhead = 1.0;
    let db = scenario
        .database
        .as_mut()
        .expect("the default has a database");
    db.indexed = false;
    db.rows = 1 << 40;
    db.scan_seconds_per_million_rows = MAX_SECONDS;
    let mut sim = Simulation::new(decoded(&scenario).expect("at the limits, still valid"))
        .expect("a valid scenario starts");
    sim.run_until_budget(10.0, 20_000);
    assert!(sim.metrics().arrivals() > 0);
}

/// Found by probing `scenario_json` with extreme values after its first finding: a chart
/// window of 1e-300 s made the first step close windows for ever (a libFuzzer timeout).
#[test]
fn a_window_too_short_to_close_is_refused() {
    let mut scenario = Scenario::default();
    scenario.metrics.window_seconds = 1e-300;
    assert_eq!(
        decoded(&scenario).map(|_| ()),
        Err("metrics.window_seconds".to_string())
    );
}

/// The default scenario's arrivals replaced by an open loop at `rate` under `schedule`.
fn open_loop(rate: f64, schedule: Vec<RateEvent>) -> Scenario {
    let mut scenario = Scenario::default();
    scenario.traffic.arrivals = Arrivals::OpenLoop { rate, schedule };
    scenario
}

/// Found by hand after the fuzz runs (docs/reliability.md): schedules whose peak
/// overflowed, or whose sine turned 1e-300 s, were valid, and `Simulation::new` never
/// returned (thinning drew candidates 0 s apart and rejected them all). Each is now
/// refused, naming its field.
#[test]
fn schedules_beyond_any_rate_or_time_are_refused_by_name() {
    let text = r#"{ "kind": "open_loop", "rate": 600.0, "schedule": [
        { "kind": "spike", "at": 0.0, "duration": 1e308, "multiplier": 1000.0 },
        { "kind": "step", "at": 0.0, "rate": 1e308 } ] }"#;
    let arrivals: Arrivals = serde_json::from_str(text).expect("well-formed arrivals");
    let mut scenario = Scenario::default();
    scenario.traffic.arrivals = arrivals;
    assert_eq!(
        decoded(&scenario).map(|_| ()),
        Err("traffic.arrivals.schedule[0].duration".to_string())
    );
    let stacked = open_loop(
        1e6,
        vec![
            RateEvent::Spike {
                at: 0.0,
                duration: 1.0,
                multiplier: 1000.0,
            };
            2
        ],
    );
    assert_eq!(
        decoded(&stacked).map(|_| ()),
        Err("traffic.arrivals.schedule".to_string())
    );
    let buzz = open_loop(
        600.0,
        vec![RateEvent::Sine {
            amplitude: 0.5,
            period: 1e-300,
        }],
    );
    assert_eq!(
        decoded(&buzz).map(|_| ()),
        Err("traffic.arrivals.schedule[0].period".to_string())
    );
}

/// The same hang with valid bounds: silence, then the highest rate at the latest time
/// allowed, or a ramp from zero over the longest time allowed, cost (time × peak)
/// candidates before any arrival. The draw is now exact on straight pieces of the rate,
/// so both start at once and arrive where the rate says; the silent years between are
/// passed over without closing each chart window (health checks are off here: each is
/// an event, and a check every two seconds for 116 days is five million).
#[test]
fn silence_before_a_distant_peak_starts_at_once() {
    let mut distant = open_loop(
        0.0,
        vec![RateEvent::Step {
            at: MAX_SCHEDULE_SECONDS,
            rate: MAX_RATE,
        }],
    );
    distant.health_check = None;
    let mut sim = Simulation::new(decoded(&distant).expect("valid")).expect("starts");
    sim.run_arrivals(1000);
    assert!(sim.now() >= MAX_SCHEDULE_SECONDS, "{}", sim.now());
    let slow_ramp = open_loop(
        0.0,
        vec![RateEvent::Ramp {
            start: 0.0,
            end: MAX_SCHEDULE_SECONDS,
            rate: MAX_RATE,
        }],
    );
    let mut sim = Simulation::new(decoded(&slow_ramp).expect("valid")).expect("starts");
    sim.run_arrivals(1000);
    // The rate is t / 10 per second: the 1,000th arrival comes near √(2·10⁴) ≈ 141 s.
    assert!((130.0..153.0).contains(&sim.now()), "{}", sim.now());
}
