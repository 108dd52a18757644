//! The claims of the lessons on capacity (the knee, Little's law, timeouts and wasted
//! work, scaling up or out), each checked on its lesson's own preset and change.

use super::course;
use crate::metrics::SpanStats;
use crate::{Change, Scenario, Simulation};

/// Lesson `id`'s preset, and its change made on it.
fn before_and_after(id: &str) -> (Scenario, Scenario) {
    let lesson = course().lesson(id).expect("a lesson");
    let preset = lesson.preset().unwrap();
    let Change::Scenario(after) = lesson.try_it(&preset).unwrap() else {
        panic!("{id} changes a setting");
    };
    (preset, *after)
}

/// What `sim` measures over its next `seconds`, after `warm_up` seconds not counted.
fn stretch(sim: &mut Simulation, warm_up: f64, seconds: f64) -> SpanStats {
    sim.run_until(sim.now() + warm_up);
    let mark = sim.metrics().mark(sim.now());
    sim.run_until(sim.now() + seconds);
    sim.metrics().since(&mark, sim.now())
}

fn measured(scenario: Scenario, warm_up: f64, seconds: f64) -> SpanStats {
    stretch(&mut Simulation::new(scenario).unwrap(), warm_up, seconds)
}

fn near(got: f64, want: f64, share: f64) -> bool {
    (got - want).abs() <= share * want
}

#[track_caller]
fn assert_near(got: f64, want: f64, share: f64) {
    assert!(
        near(got, want, share),
        "{got}, not within {share} of {want}"
    );
}

/// The knee: one worker of 10 ms (μ = 100/s) is M/M/1, whose mean time in system is
/// 1 / (μ − λ): 20 ms at 50 % load and 100 ms at 90 % (×2 and ×10 the 10 ms of work),
/// 50 ms at 80 % and 200 ms at 95 %, as the lesson says; p99 grows as much, 4.6 × the
/// mean (the time in system is exponential), by about 370 ms against the mean's 80.
#[test]
fn the_knee_doubles_then_multiplies_the_time_in_system() {
    let (preset, after) = before_and_after("the-knee");
    let at = |rate: f64, seconds: f64| {
        let mut s = preset.clone();
        s.traffic.arrivals = crate::traffic::Arrivals::open_loop(rate);
        measured(s, 10.0, seconds)
    };
    let light = measured(preset.clone(), 10.0, 400.0);
    // Near capacity a long run is needed: busy periods last long, so the
    // windows are far from independent.
    let heavy = measured(after, 20.0, 10_000.0);
    assert_near(light.latency.mean, 0.020, 0.05);
    assert_near(heavy.latency.mean, 0.100, 0.05);
    assert!(near(at(80.0, 800.0).latency.mean, 0.050, 0.08));
    assert!(near(at(95.0, 4000.0).latency.mean, 0.200, 0.15));
    assert_near(light.latency.p99, 4.6 * 0.020, 0.10);
    assert_near(heavy.latency.p99, 4.6 * 0.100, 0.10);
    // Its preset keeps the curve of the mean against the rate, 10 to 95 a second.
    let curve = preset.curve.expect("a curve to open");
    assert_eq!(
        (curve.setting.as_str(), curve.from, curve.to),
        ("traffic.arrivals.rate", 10.0, 95.0)
    );
}

/// Little's law: 5,000 requests a minute of 2 s each keep λW = 83.3 × 2 ≈ 167 in flight,
/// not 5,000 / 2 = 2,500; at 1 s each, about 83. In flight is measured (the mean of the
/// windows' time-averaged count) and so is λW.
#[test]
fn littles_law_counts_the_requests_in_flight() {
    let (preset, after) = before_and_after("littles-law");
    let in_flight = |s: Scenario| {
        let mut sim = Simulation::new(s).unwrap();
        sim.run_until(70.0);
        let windows: Vec<_> = sim
            .metrics()
            .windows()
            .iter()
            .filter(|w| w.start >= 10.0)
            .collect();
        let mean = |f: &dyn Fn(&crate::metrics::WindowStats) -> f64| {
            windows.iter().map(|w| f(w)).sum::<f64>() / windows.len() as f64
        };
        (
            mean(&|w| w.mean_in_system),
            mean(&|w| w.throughput_times_latency),
        )
    };
    let crate::traffic::Arrivals::OpenLoop { rate, .. } = preset.traffic.arrivals else {
        panic!("open loop");
    };
    assert!(near(rate * 60.0, 5000.0, 1e-9), "{rate}");
    let (l, lw) = in_flight(preset);
    assert!(
        near(l, 5000.0 / 60.0 * 2.0, 0.03) && near(lw, l, 0.03),
        "{l} {lw}"
    );
    let (l, lw) = in_flight(after);
    assert!(
        near(l, 5000.0 / 60.0, 0.03) && near(lw, l, 0.03),
        "{l} {lw}"
    );
}

/// Response time is not linear in concurrency: the preset's 256 workers answer in 2 s at
/// 40 and 80 a second alike (a line through them is flat), yet at 140 a second, beyond
/// the 128 a second they can serve, requests wait longer and longer.
#[test]
fn a_line_fitted_at_light_load_predicts_nothing_near_capacity() {
    let (preset, _) = before_and_after("littles-law");
    let at = |rate: f64| {
        let mut s = preset.clone();
        s.traffic.arrivals = crate::traffic::Arrivals::open_loop(rate);
        measured(s, 5.0, 60.0)
    };
    let (w40, w80) = (at(40.0).latency.mean, at(80.0).latency.mean);
    assert!(near(w40, 2.0, 0.01) && near(w80, 2.0, 0.01), "{w40} {w80}");
    let w140 = at(140.0).latency.max;
    assert!(w140 > 5.0, "{w140}");
}

/// Timeouts: 600 a second against 400 of work, clients giving up after 0.5 s. The queue
/// grows, every answer comes late: throughput stays near 400 while goodput is zero (and
/// errors 100 %). Shedding requests that waited over 0.4 s serves only requests whose
/// clients still wait: goodput back to ~400, errors a third (the 200 a second beyond
/// capacity), each answered within the timeout, after about 0.4 s in the queue.
#[test]
fn timeouts_keep_throughput_up_and_goodput_down_until_shedding() {
    let (preset, after) = before_and_after("timeouts-and-wasted-work");
    // Within about two seconds every answer is late: the queue passes 200 (0.5 s of
    // work) after one.
    let mut start = Simulation::new(preset.clone()).unwrap();
    let third_second = stretch(&mut start, 2.0, 1.0);
    assert_eq!(third_second.completions, third_second.timed_out);
    let before = measured(preset, 10.0, 30.0);
    let seconds = |s: &SpanStats| s.end - s.start;
    assert!(near(
        before.completions as f64 / seconds(&before),
        400.0,
        0.03
    ));
    assert_eq!(before.completions, before.timed_out, "every answer is late");
    assert!(before.error_share() > 0.99);
    let shed = measured(after, 10.0, 30.0);
    let good = (shed.completions - shed.timed_out) as f64 / seconds(&shed);
    assert!(near(good, 400.0, 0.03), "{good}");
    assert!(
        near(shed.error_share(), 1.0 / 3.0, 0.05),
        "{}",
        shed.error_share()
    );
    assert!(
        shed.latency.max < 0.5 && shed.latency.p50 > 0.35,
        "{:?}",
        shed.latency
    );
}

/// Scale up or out: at 160 a second, one worker of 5 ms (M/M/1, μ = 200) answers in
/// 25 ms on average; two servers of one 10 ms worker each behind least connections
/// (close to M/M/2, 27.8 ms) in about 28 ms: the fast one wins on the mean, and on p99;
/// picked at random instead, the two are two M/M/1 queues, 50 ms.
/// If a server dies, the one fast server serves nothing; of the two, one serves ~100/s.
#[test]
fn one_fast_server_beats_two_slow_ones_until_one_dies() {
    let (up, out) = before_and_after("scale-up-or-out");
    let fast = measured(up, 10.0, 400.0);
    let pair = measured(out.clone(), 10.0, 400.0);
    assert_near(fast.latency.mean, 0.025, 0.06);
    assert_near(pair.latency.mean, 0.0278, 0.08);
    assert!(fast.latency.mean < pair.latency.mean && fast.latency.p99 < pair.latency.p99);
    // Two queues picked at random: two M/M/1 at μ = 100 and λ = 80, 50 ms.
    let mut random = out.clone();
    random.balancer = crate::balancer::BalancerKind::Random;
    assert_near(measured(random, 10.0, 400.0).latency.mean, 0.050, 0.08);
    let mut sim = Simulation::new(out).unwrap();
    sim.run_until(5.0);
    sim.apply(Change::KillServer(0)).unwrap();
    let one_left = stretch(&mut sim, 5.0, 20.0);
    let served = one_left.completions as f64 / (one_left.end - one_left.start);
    assert!(near(served, 100.0, 0.05), "{served}");
}

/// Lesson 19's preset with `pool` connections per server: 60 s measured after 10.
fn with_pool(pool: u32) -> (SpanStats, f64) {
    let (mut s, _) = before_and_after("connection-pool-sizing");
    s.database.as_mut().expect("a database").pool_size = pool;
    let mut sim = Simulation::new(s).unwrap();
    let span = stretch(&mut sim, 10.0, 60.0);
    let waits: u64 = sim
        .metrics()
        .windows()
        .iter()
        .filter(|w| w.start >= 10.0)
        .map(|w| w.database.as_ref().map_or(0, |d| d.pool_waits))
        .sum();
    (span, waits as f64 / 60.0)
}

/// The pool as a semaphore: 600 reads a second, each holding a connection for about
/// 10.5 ms, against a database of 8 slots (capacity ~760/s). One connection per server
/// (4 in all) serves at most ~380 a second: requests wait for a connection, time out,
/// and over half fail. Four per server serve all 600 in about 13 ms. Two (8, as many as
/// the database's slots) serve them too, but slower (each server's two make a queue of
/// their own); sixteen never wait for a connection, yet answer no faster than four:
/// the wait has moved into the database's own queue, its 8 slots the real limit.
#[test]
fn a_pool_too_small_starves_and_one_too_large_moves_the_queue() {
    let (_, after) = before_and_after("connection-pool-sizing");
    assert_eq!(after.database.as_ref().unwrap().pool_size, 4);
    let per_second = |s: &SpanStats| s.completions as f64 / (s.end - s.start);
    let (one, one_waits) = with_pool(1);
    assert_near(per_second(&one), 380.0, 0.05);
    assert!(
        one.error_share() > 0.5 && one_waits > 300.0,
        "{} {one_waits}",
        one.error_share()
    );
    let (four, _) = with_pool(4);
    assert!(near(per_second(&four), 600.0, 0.02) && four.error_share() == 0.0);
    assert_near(four.latency.mean, 0.0133, 0.08);
    let (two, _) = with_pool(2);
    assert!(two.error_share() == 0.0 && two.latency.mean > 1.3 * four.latency.mean);
    let (sixteen, sixteen_waits) = with_pool(16);
    assert_eq!(sixteen_waits, 0.0);
    assert_near(sixteen.latency.mean, four.latency.mean, 0.05);
}
