//! The run's budget and stepping, natively, with fake clocks.

use super::*;
use loadlab_sim::dist::Distribution;
use loadlab_sim::traffic::Arrivals;

/// A clock that never moves: the budget never runs out.
fn frozen() -> impl FnMut() -> f64 {
    || 0.0
}

/// A clock that moves `ms` milliseconds each time it is read.
fn ticking(ms: f64) -> impl FnMut() -> f64 {
    let mut now = -ms;
    move || {
        now += ms;
        now
    }
}

fn with_rate(rate: f64) -> Scenario {
    let mut s = Scenario::default();
    s.traffic.arrivals = Arrivals::OpenLoop {
        rate,
        schedule: Vec::new(),
    };
    s
}

fn run_of(scenario: Scenario) -> Run {
    Run::new(Simulation::new(scenario).expect("a valid scenario"))
}

/// Frames 100 ms apart (the most one frame may count) at `speed`, from a first frame
/// at 0 that only sets the frame clock.
fn frames(run: &mut Run, count: u32, clock: &mut dyn FnMut() -> f64) {
    for i in 0..=count {
        run.advance(f64::from(i) * 100.0, clock);
    }
}

#[test]
fn a_keeps_step_with_b_when_the_budget_allows() {
    let mut run = run_of(Scenario::default());
    run.compare(Scenario::default(), with_rate(300.0)).unwrap();
    frames(&mut run, 5, &mut frozen());
    let (a, b) = (run.baseline().unwrap(), run.sim());
    assert!((b.now() - 0.5).abs() < 1e-9, "B at {}", b.now());
    assert_eq!(a.now(), b.now());
    assert!(!run.time_state().behind);
}

#[test]
fn a_busier_a_falls_behind_then_catches_up() {
    let mut run = run_of(Scenario::default());
    // At 100×, a frame asks for 10 s: B's 300 arrivals take one slice, A's 30,000 many,
    // and the clock allows three slices.
    run.compare(with_rate(3_000.0), with_rate(30.0)).unwrap();
    run.update(RunMsg::Speed(100.0));
    frames(&mut run, 1, &mut ticking(3.0));
    let (a, b) = (run.baseline().unwrap(), run.sim());
    assert!(
        (b.now() - 10.0).abs() < 1e-9,
        "B reached its time: {}",
        b.now()
    );
    assert!(a.now() < b.now(), "A at {}, B at {}", a.now(), b.now());
    assert!(run.time_state().behind);
    // Paused, A catches up in the frames that follow.
    run.update(RunMsg::TogglePlay);
    for i in 2..200 {
        run.advance(f64::from(i) * 100.0, &mut frozen());
    }
    assert_eq!(run.baseline().unwrap().now(), run.sim().now());
    assert!(!run.time_state().behind);
}

#[test]
fn the_budget_stops_a_frame_at_its_deadline() {
    let mut run = run_of(with_rate(3_000.0));
    run.update(RunMsg::Speed(1_000.0));
    let mut reads = 0;
    let mut last = 0.0;
    let mut clock = || {
        reads += 1;
        last = f64::from(reads) * 2.0;
        last
    };
    run.advance(0.0, &mut clock);
    run.advance(100.0, &mut clock);
    // 100 simulated seconds were asked at 3,000 req/s: far more than 8 ms allows.
    let now = run.sim().now();
    assert!(now > 0.0 && now < 100.0, "reached {now}");
    assert!(run.time_state().behind);
    // The first frame read the clock twice (2 and 4 ms); the second started at 6 ms, so
    // its deadline was 14 ms, and it stopped at the first look that was not before it.
    assert_eq!(last, 6.0 + FRAME_BUDGET_MS);
}

#[test]
fn fast_forward_stops_when_its_target_is_reached() {
    let mut run = run_of(Scenario::default());
    run.update(RunMsg::FastForward(1_000));
    assert_eq!(run.fast_forward_progress(), Some(0.0));
    run.advance(0.0, &mut frozen());
    assert_eq!(run.fast_forward_progress(), None);
    assert_eq!(run.sim().metrics().arrivals(), 1_000);
}

/// A fast-forward leaves its result: what it measured from its start, not the run's
/// totals; cancelling leaves what it had reached; another run clears it.
#[test]
fn fast_forward_leaves_the_result_of_its_stretch() {
    let mut run = run_of(Scenario::default());
    run.update(RunMsg::Step);
    let before = run.sim().metrics().arrivals();
    assert!(before > 0);
    run.update(RunMsg::FastForward(5_000));
    assert_eq!(run.time_state().result, None, "no result while it runs");
    run.advance(0.0, &mut frozen());
    let result = run.time_state().result.expect("a result when it ends");
    assert!(!result.cancelled);
    assert_eq!(result.span.arrivals, 5_000);
    assert!((result.span.start - STEP_SECONDS).abs() < 1e-9);
    assert_eq!(result.span.end, run.sim().now());
    run.update(RunMsg::DismissResult);
    assert_eq!(run.time_state().result, None);

    run.update(RunMsg::FastForward(10_000_000));
    run.advance(0.0, &mut ticking(1.0));
    run.update(RunMsg::CancelFastForward);
    let cut = run.time_state().result.expect("a cancelled run's result");
    assert!(cut.cancelled && cut.span.arrivals < 10_000_000);
    run.replace(Simulation::new(Scenario::default()).unwrap());
    assert_eq!(run.time_state().result, None);
}

#[test]
fn fast_forward_stops_when_nothing_can_arrive() {
    let no_users = {
        let mut s = Scenario::default();
        s.traffic.arrivals = Arrivals::ClosedLoop {
            users: 0,
            think_time: Distribution::Constant { seconds: 0.1 },
        };
        s
    };
    for scenario in [with_rate(0.0), no_users] {
        let mut run = run_of(scenario);
        run.update(RunMsg::FastForward(1_000));
        run.advance(0.0, &mut frozen());
        assert_eq!(run.fast_forward_progress(), None);
        assert_eq!(run.sim().metrics().arrivals(), 0);
    }
}

#[test]
fn a_step_pauses_and_moves_both_runs_a_tenth_of_a_second() {
    let mut run = run_of(Scenario::default());
    run.compare(Scenario::default(), with_rate(100.0)).unwrap();
    run.update(RunMsg::Step);
    assert!(!run.time_state().playing);
    assert_eq!(run.sim().now(), STEP_SECONDS);
    assert_eq!(run.baseline().unwrap().now(), STEP_SECONDS);
}

/// A challenge's run stops at its script's end, exactly, whichever way time is pushed:
/// playing, stepping, finishing at once (in slices, within the frame's budget), or a
/// fast-forward by requests, which becomes a finish.
#[test]
fn a_run_with_an_end_pauses_exactly_there() {
    let mut run = run_of(with_rate(500.0));
    run.set_end(Some(0.35));
    run.update(RunMsg::Speed(1.0));
    frames(&mut run, 5, &mut frozen());
    assert_eq!(run.sim().now(), 0.35);
    assert!(run.ended() && !run.time_state().playing);
    run.update(RunMsg::Step);
    assert_eq!(run.sim().now(), 0.35, "a step stays at the end");

    for ask in [RunMsg::Finish, RunMsg::FastForward(1_000_000)] {
        let mut run = run_of(with_rate(20_000.0));
        run.set_end(Some(3.0));
        run.update(ask);
        // Slices of the budget: one frame cannot do it all, a few can.
        run.advance(0.0, &mut ticking(3.0));
        assert!(run.sim().now() < 3.0 && run.time_state().fast_forward.is_some());
        for i in 1..200 {
            run.advance(f64::from(i) * 16.0, &mut ticking(3.0));
        }
        assert_eq!(run.sim().now(), 3.0);
        assert!(run.ended() && run.time_state().fast_forward.is_none());
    }
    // A new run has no end.
    run.replace(Simulation::new(with_rate(10.0)).unwrap());
    assert!(!run.ended());
    run.update(RunMsg::Finish);
    run.set_playing(true);
    frames(&mut run, 2, &mut frozen());
    assert!((run.sim().now() - 0.2).abs() < 1e-9, "{}", run.sim().now());
}
