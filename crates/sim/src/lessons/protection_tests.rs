//! The claims of the lessons on protecting a service from what is behind it (the circuit
//! breaker, a message queue for writes), each checked on its lesson's preset and change.

use super::course;
use crate::metrics::SpanStats;
use crate::protection::BreakerState;
use crate::Simulation;

/// Lesson `id`'s preset run to `change_at`, its change made, run on.
fn lesson_sim(id: &str, change_at: f64) -> Simulation {
    let lesson = course().lesson(id).expect("a lesson");
    let mut sim = Simulation::new(lesson.preset().unwrap()).unwrap();
    sim.run_until(change_at);
    sim.apply(lesson.try_it(sim.scenario()).unwrap()).unwrap();
    sim
}

/// What `sim` measured from `from` to `to` (simulated seconds), running it there.
fn between(sim: &mut Simulation, from: f64, to: f64) -> SpanStats {
    sim.run_until(from);
    let mark = sim.metrics().mark(from);
    sim.run_until(to);
    sim.metrics().since(&mark, to)
}

fn per_second(count: u64, span: &SpanStats) -> f64 {
    count as f64 / (span.end - span.start)
}

/// The circuit breaker: the database fails half its queries, each after 200 ms. Without
/// the breaker, misses hold the workers, the servers' queues fill, and even the cache's
/// hits wait behind them: almost every answer is late (goodput ~0, errors ~100 %). With
/// it, the breaker opens (open ~95 % of the time, half-open every 5 s for its probes),
/// misses fail at once, and the hits (about 42 % of requests) are served in time, in a
/// few milliseconds: goodput ~250 a second, errors ~58 %. Open, the breaker lets no miss
/// fill the cache, so the hit rate stays what it was when it opened (made at 20 s, as
/// the lesson asks).
#[test]
fn the_breaker_fails_misses_fast_and_keeps_serving_hits() {
    let mut sim = lesson_sim("circuit-breaker", 20.0);
    let before = {
        let mut plain = Simulation::new(
            course()
                .lesson("circuit-breaker")
                .unwrap()
                .preset()
                .unwrap(),
        )
        .unwrap();
        between(&mut plain, 10.0, 20.0)
    };
    assert!(per_second(before.completions - before.timed_out, &before) < 10.0);
    assert!(before.error_share() > 0.98, "{}", before.error_share());
    // After the change: its state sampled every 50 ms, and the figures.
    let mut states = Vec::new();
    sim.run_until(25.0);
    let mark = sim.metrics().mark(25.0);
    for i in 1..=700 {
        sim.run_until(25.0 + f64::from(i) * 0.05);
        states.push(sim.breaker_state().expect("a breaker"));
    }
    let after = sim.metrics().since(&mark, sim.now());
    let open = states
        .iter()
        .filter(|s| matches!(s, BreakerState::Open { .. }))
        .count();
    let half_open = states
        .iter()
        .filter(|s| matches!(s, BreakerState::HalfOpen { .. }))
        .count();
    assert!(
        open as f64 / states.len() as f64 > 0.9,
        "{open} of {}",
        states.len()
    );
    assert!(half_open > 0, "it tries again");
    let good = per_second(after.completions - after.timed_out, &after);
    assert!((220.0..280.0).contains(&good), "{good}");
    assert!(
        (0.52..0.64).contains(&after.error_share()),
        "{}",
        after.error_share()
    );
    assert!(after.latency.p50 < 0.02, "{:?}", after.latency);
    assert!(after.rejections.circuit_open > 10 * after.rejections.database_error);
    // The cache fills no further while the breaker is open: the hit rate stays near the
    // ~40 % it had reached in 20 s.
    let hit_rate = |from: f64, to: f64| {
        let windows = sim
            .metrics()
            .windows()
            .iter()
            .filter(|w| w.start >= from && w.end <= to);
        let (hits, misses) =
            windows.fold((0, 0), |(h, m), w| (h + w.cache.hits, m + w.cache.misses));
        hits as f64 / (hits + misses) as f64
    };
    let (at_change, later) = (hit_rate(15.0, 20.0), hit_rate(50.0, 60.0));
    assert!((0.35..0.48).contains(&at_change), "{at_change}");
    assert!((later - at_change).abs() < 0.05, "{at_change} then {later}");
}

/// The p99 of the windows during the spikes (which start every 20 s from 10 s and last
/// 4 s) and of those between them, from 30 s to 90 s.
fn p99_in_and_out_of_spikes(sim: &Simulation) -> (f64, f64) {
    let (mut inside, mut outside) = (Vec::new(), Vec::new());
    for w in sim
        .metrics()
        .windows()
        .iter()
        .filter(|w| w.start >= 30.0 && w.end <= 90.0)
    {
        let into_period = (w.start - 10.0).rem_euclid(20.0);
        match into_period < 4.0 {
            true => inside.push(w.latency.p99),
            false => outside.push(w.latency.p99),
        }
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    (mean(&inside), mean(&outside))
}

/// A message queue for writes (削峰填谷): 400 requests a second, half of them writes,
/// with a ×5 spike for 4 s every 20 s, against a database of 8 slots at 5 ms. Written
/// directly, the spikes overload it: p99 goes from ~25 ms to ~140 ms during them and
/// about 10 % of all requests are refused (queues full). Through a queue drained by 2
/// consumers (400 writes a second) a write is answered once queued: p99 stays near
/// 22 ms in and out of the spikes and nothing is refused, while the queue grows to
/// ~2,700 messages and the lag until reads see a write to ~7 s, draining before the
/// next spike. Urgent writes (5 %) jump the queue: their lag stays far below the rest's.
#[test]
fn a_write_queue_keeps_answers_flat_while_its_lag_absorbs_the_spike() {
    let lesson = course().lesson("message-queue-smoothing").unwrap();
    let mut direct = Simulation::new(lesson.preset().unwrap()).unwrap();
    let before = between(&mut direct, 30.0, 90.0);
    let (spike, calm) = p99_in_and_out_of_spikes(&direct);
    assert!(spike > 0.1 && calm < 0.04, "{spike} {calm}");
    assert!(
        (0.07..0.13).contains(&before.error_share()),
        "{}",
        before.error_share()
    );
    let mut queued = lesson_sim("message-queue-smoothing", 0.0);
    let after = between(&mut queued, 30.0, 90.0);
    let (spike, calm) = p99_in_and_out_of_spikes(&queued);
    assert!(spike < 0.03 && calm < 0.03, "{spike} {calm}");
    assert_eq!(after.error_share(), 0.0);
    let windows = || {
        queued
            .metrics()
            .windows()
            .iter()
            .filter(|w| w.start >= 30.0 && w.end <= 90.0)
    };
    let db = |w: &crate::metrics::WindowStats| w.database.clone().expect("a database");
    let deepest = windows().map(|w| db(w).queue_depth).fold(0.0, f64::max);
    let longest_lag = windows().map(|w| db(w).queue_lag).fold(0.0, f64::max);
    assert!((2000.0..3500.0).contains(&deepest), "{deepest}");
    assert!((5.0..10.0).contains(&longest_lag), "{longest_lag}");
    // Drained before the next spike: the window before each spike holds few.
    for w in windows().filter(|w| (w.start - 9.0).rem_euclid(20.0) < 0.5) {
        assert!(
            db(w).queue_depth < 600.0,
            "at {}: {}",
            w.start,
            db(w).queue_depth
        );
    }
    let s = queued.database().expect("a database").stats();
    let urgent = s.queue_urgent_lag_seconds / s.queue_urgent_written as f64;
    let all = s.queue_lag_seconds / s.queue_written as f64;
    assert!(urgent < all / 10.0, "urgent {urgent} s, all {all} s");
}
