//! Queueing theory: what M/M/c and M/M/c/K predict, to set beside the simulation.
//!
//! λ is the arrival rate, μ = 1 / (mean service time) the rate of one worker, c the
//! workers, K the most requests the system holds (c serving + K − c waiting). The
//! offered load is a = λ/μ (in "workers' worth" of work), utilisation ρ = a / c.
//! Sums of aᵏ/k! are built term by term (tₖ = tₖ₋₁ · a / k), never from factorials,
//! so they stay finite for hundreds of workers.

use crate::balancer::BalancerKind;
use crate::dist::Distribution;
use crate::scenario::Scenario;
use crate::server::IoMode;
use crate::traffic::Arrivals;
use serde::{Deserialize, Serialize};

/// What a model predicts, in seconds and requests.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prediction {
    /// Fraction of worker time busy.
    pub utilisation: f64,
    /// Probability an arriving request must wait (M/M/c: Erlang C).
    pub wait_probability: f64,
    /// Probability an arriving request is turned away (0 without a bound).
    pub blocking_probability: f64,
    /// Mean time waiting in the queue (Wq).
    pub mean_wait: f64,
    /// Mean time in the system (W = Wq + 1/μ).
    pub mean_time_in_system: f64,
    /// Mean number waiting (Lq).
    pub mean_queue_length: f64,
    /// Mean number in the system (L).
    pub mean_in_system: f64,
    /// Accepted requests per second.
    pub throughput: f64,
}

/// M/M/c with an unlimited queue; `None` if unstable (λ ≥ cμ) or degenerate.
pub fn mmc(lambda: f64, mu: f64, c: u32) -> Option<Prediction> {
    if !(lambda > 0.0 && mu > 0.0 && c > 0) {
        return None;
    }
    let c_f = f64::from(c);
    let a = lambda / mu;
    let rho = a / c_f;
    if rho >= 1.0 {
        return None;
    }
    // Erlang B by recursion, then Erlang C from it.
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (f64::from(k) + a * b);
    }
    let wait_probability = c_f * b / (c_f - a * (1.0 - b));
    let mean_wait = wait_probability / (c_f * mu - lambda);
    Some(unbounded(
        lambda,
        rho,
        wait_probability,
        mean_wait,
        1.0 / mu,
    ))
}

/// A queue that turns nobody away, from its waits: everything else follows (W = Wq +
/// E[S], and Little's law for Lq and L).
fn unbounded(
    lambda: f64,
    utilisation: f64,
    wait_probability: f64,
    mean_wait: f64,
    mean_service: f64,
) -> Prediction {
    let mean_time_in_system = mean_wait + mean_service;
    Prediction {
        utilisation,
        wait_probability,
        blocking_probability: 0.0,
        mean_wait,
        mean_time_in_system,
        mean_queue_length: lambda * mean_wait,
        mean_in_system: lambda * mean_time_in_system,
        throughput: lambda,
    }
}

/// M/M/c/K: at most `k` ≥ `c` requests in the system; arrivals beyond are blocked.
pub fn mmck(lambda: f64, mu: f64, c: u32, k: u32) -> Option<Prediction> {
    if !(lambda > 0.0 && mu > 0.0 && c > 0 && k >= c) {
        return None;
    }
    let a = lambda / mu;
    let c_f = f64::from(c);
    let rho = a / c_f;
    // Unnormalised p_n: aⁿ/n! up to c, then (a^c/c!)·ρ^(n−c). Rescaled on the way so
    // no term overflows; only ratios matter.
    let mut terms = Vec::with_capacity(k as usize + 1);
    let mut term = 1.0_f64;
    for n in 0..=k {
        if n > 0 {
            term *= if n <= c { a / f64::from(n) } else { rho };
        }
        terms.push(term);
        if term > 1e250 {
            terms.iter_mut().for_each(|t| *t /= 1e250);
            term /= 1e250;
        }
    }
    let total: f64 = terms.iter().sum();
    let p = |n: usize| terms[n] / total;
    let blocking = p(k as usize);
    let mean_in_system: f64 = (0..=k as usize).map(|n| n as f64 * p(n)).sum();
    let mean_queue_length: f64 = (c as usize..=k as usize)
        .map(|n| (n - c as usize) as f64 * p(n))
        .sum();
    let wait_probability: f64 = (c as usize..k as usize).map(p).sum::<f64>() / (1.0 - blocking);
    let throughput = lambda * (1.0 - blocking);
    Some(Prediction {
        utilisation: throughput / (c_f * mu),
        wait_probability,
        blocking_probability: blocking,
        mean_wait: mean_queue_length / throughput,
        mean_time_in_system: mean_in_system / throughput,
        mean_queue_length,
        mean_in_system,
        throughput,
    })
}

/// The scenario that is exactly the M/M/c (queue `None`) or M/M/c/K model: Poisson
/// arrivals at `lambda` per second split at random over `servers` servers of `workers`
/// workers each, exponential service with mean `mean_service`, no cache, no database,
/// no timeouts and no health checks.
/// The shape of `s` that theory solves, for the page's one click: one of its servers as
/// M/M/c (or M/M/c/K with its queue), taking its share of the arrival rate, with the
/// same workers and mean service time, exponential; no cache, no database, no
/// protection. `None` for closed-loop users (their rate follows the system).
pub fn model_shape(s: &Scenario) -> Option<Scenario> {
    let Arrivals::OpenLoop { rate, .. } = s.traffic.arrivals else {
        return None;
    };
    let servers = &s.servers;
    let lambda = rate / f64::from(servers.count.max(1));
    let mean = servers.service_time.mean();
    let model = model_scenario(lambda, 1, servers.workers, servers.queue_capacity, mean);
    Some(Scenario {
        seed: s.seed,
        ..model
    })
}

pub fn model_scenario(
    lambda: f64,
    servers: u32,
    workers: u32,
    queue: Option<u32>,
    mean_service: f64,
) -> Scenario {
    let mut s = Scenario::compute_only(lambda, servers, workers, mean_service);
    s.traffic.write_fraction = 0.0;
    s.health_check = None;
    s.balancer = BalancerKind::Random;
    s.servers.queue_capacity = queue;
    s
}

/// Why theory has no prediction for a scenario: the first thing that takes it outside
/// the models theory solves (said on the page where no theory line is drawn).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unsolved {
    /// Closed-loop users: the arrival rate follows the system's answers.
    ClosedLoop,
    /// A schedule changes the rate over time: there is no one steady state.
    Schedule,
    /// A cache or a database: a network of queues with shared state.
    Backend,
    /// Fewer cores than workers: workers share cores.
    SharedCores,
    /// Servers of unequal speeds.
    UnequalSpeeds,
    /// Asynchronous I/O: a request leaves its worker while it waits.
    AsyncIo,
    /// A balancer other than random spreads arrivals in a way that is not Poisson.
    Balancer,
    /// A rate limit, concurrency limit, shedding, retries or a circuit breaker.
    Protection,
    /// Several workers or a bounded queue with service times that are not exponential
    /// (only one worker with an unbounded queue is solved for any service: M/G/1).
    ServiceShape,
    /// At or beyond saturation with an unbounded queue: no steady state, the queue grows.
    Saturated,
    /// A server is dead (live only: a scenario has none): the others take its share.
    DeadServer,
}

impl Unsolved {
    /// Every reason.
    pub const ALL: [Unsolved; 11] = [
        Unsolved::ClosedLoop,
        Unsolved::Schedule,
        Unsolved::Backend,
        Unsolved::SharedCores,
        Unsolved::UnequalSpeeds,
        Unsolved::AsyncIo,
        Unsolved::Balancer,
        Unsolved::Protection,
        Unsolved::ServiceShape,
        Unsolved::Saturated,
        Unsolved::DeadServer,
    ];

    /// Its name, as it is written in a point's JSON.
    pub fn name(self) -> &'static str {
        match self {
            Unsolved::ClosedLoop => "closed_loop",
            Unsolved::Schedule => "schedule",
            Unsolved::Backend => "backend",
            Unsolved::SharedCores => "shared_cores",
            Unsolved::UnequalSpeeds => "unequal_speeds",
            Unsolved::AsyncIo => "async_io",
            Unsolved::Balancer => "balancer",
            Unsolved::Protection => "protection",
            Unsolved::ServiceShape => "service_shape",
            Unsolved::Saturated => "saturated",
            Unsolved::DeadServer => "dead_server",
        }
    }

    /// The reason named `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.name() == name)
    }
}

/// The prediction for one server of `scenario`, when the scenario is a model theory
/// solves: open-loop constant-rate Poisson arrivals, exponential compute (or any compute
/// time for one worker with an unbounded queue: M/G/1), no I/O phase, a core per
/// worker, no protection, and either one server or a random balancer (which splits a
/// Poisson stream into independent Poisson streams). `None` otherwise.
pub fn predict_per_server(scenario: &Scenario) -> Option<Prediction> {
    solve_per_server(scenario).ok()
}

/// [`predict_per_server`], or why there is no prediction.
pub fn solve_per_server(scenario: &Scenario) -> Result<Prediction, Unsolved> {
    let Arrivals::OpenLoop { rate, schedule } = &scenario.traffic.arrivals else {
        return Err(Unsolved::ClosedLoop);
    };
    let s = &scenario.servers;
    let p = &scenario.protection;
    let checks = [
        (schedule.is_empty(), Unsolved::Schedule),
        (
            scenario.database.is_none() && scenario.cache.is_none(),
            Unsolved::Backend,
        ),
        (s.cores >= s.workers, Unsolved::SharedCores),
        (s.speeds.iter().all(|&v| v == 1.0), Unsolved::UnequalSpeeds),
        (matches!(s.io, IoMode::Sync), Unsolved::AsyncIo),
        (
            s.count == 1 || scenario.balancer == BalancerKind::Random,
            Unsolved::Balancer,
        ),
        (
            p.rate_limit.is_none()
                && p.concurrency_limit.is_none()
                && p.shed_after_seconds.is_none()
                && p.retries.is_none()
                && p.circuit_breaker.is_none(),
            Unsolved::Protection,
        ),
    ];
    if let Some((_, why)) = checks.iter().find(|(ok, _)| !ok) {
        return Err(*why);
    }
    let lambda = rate / f64::from(s.count);
    let solved = match (s.service_time, s.queue_capacity) {
        (Distribution::Exponential { mean_seconds }, None) => {
            mmc(lambda, 1.0 / mean_seconds, s.workers)
        }
        (Distribution::Exponential { mean_seconds }, Some(q)) => mmck(
            lambda,
            1.0 / mean_seconds,
            s.workers,
            s.workers.saturating_add(q),
        ),
        (service, None) if s.workers == 1 => mg1(lambda, &service),
        _ => return Err(Unsolved::ServiceShape),
    };
    solved.ok_or(Unsolved::Saturated)
}

/// M/G/1 by the Pollaczek–Khinchine formula: one worker, Poisson arrivals, any service
/// time; Wq = λ·E[S²] / (2(1 − ρ)). `None` at or beyond saturation.
pub fn mg1(lambda: f64, service: &Distribution) -> Option<Prediction> {
    let mean = service.mean();
    let rho = lambda * mean;
    if !(lambda > 0.0 && mean > 0.0 && rho < 1.0) {
        return None;
    }
    let mean_wait = lambda * service.second_moment() / (2.0 * (1.0 - rho));
    // One worker is busy a share ρ of the time, so an arrival waits with probability ρ.
    Some(unbounded(lambda, rho, rho, mean_wait, mean))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One click turns any open-loop scenario into a shape theory solves, one server's
    /// share of the load on its workers.
    #[test]
    fn the_model_shape_of_the_default_is_solved() {
        let shape = model_shape(&Scenario::default()).unwrap();
        assert!(shape.cache.is_none() && shape.database.is_none());
        assert_eq!((shape.servers.count, shape.servers.workers), (1, 4));
        let p = predict_per_server(&shape).expect("solvable");
        assert!((p.utilisation - 150.0 * 0.01 / 4.0).abs() < 1e-3, "{p:?}");
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * b.abs().max(1.0)
    }

    #[test]
    fn mm1_matches_the_textbook() {
        // λ = 8, μ = 10: ρ = 0.8, W = 1/(μ−λ) = 0.5, L = ρ/(1−ρ) = 4.
        let p = mmc(8.0, 10.0, 1).unwrap();
        assert!(close(p.utilisation, 0.8));
        assert!(close(p.wait_probability, 0.8));
        assert!(close(p.mean_time_in_system, 0.5));
        assert!(close(p.mean_in_system, 4.0));
    }

    #[test]
    fn erlang_c_matches_a_hand_computed_case() {
        // c = 2, a = 1 (λ = 1, μ = 1): P(wait) = (a²/2!·2/(2−1)) / (1 + a + 1) = 1/3;
        // Wq = P(wait)/(cμ − λ) = 1/3.
        let p = mmc(1.0, 1.0, 2).unwrap();
        assert!(close(p.wait_probability, 1.0 / 3.0));
        assert!(close(p.mean_wait, 1.0 / 3.0));
    }

    #[test]
    fn mmck_with_no_waiting_room_is_erlang_b() {
        // M/M/2/2 with a = 1: B = (a²/2) / (1 + a + a²/2) = 0.2.
        let p = mmck(1.0, 1.0, 2, 2).unwrap();
        assert!(close(p.blocking_probability, 0.2));
        assert!(close(p.mean_queue_length, 0.0));
    }

    #[test]
    fn mm1k_matches_the_closed_form() {
        // M/M/1/K: P_K = (1−ρ)ρ^K / (1−ρ^(K+1)).
        let (rho, k) = (0.9_f64, 5);
        let p = mmck(0.9, 1.0, 1, k).unwrap();
        let expected = (1.0 - rho) * rho.powi(5) / (1.0 - rho.powi(6));
        assert!(close(p.blocking_probability, expected));
    }

    #[test]
    fn a_large_bound_converges_to_the_unbounded_model() {
        let bounded = mmck(70.0, 10.0, 8, 2_000).unwrap();
        let open = mmc(70.0, 10.0, 8).unwrap();
        assert!((bounded.mean_wait - open.mean_wait).abs() < 1e-9);
    }

    #[test]
    fn unstable_or_degenerate_systems_have_no_prediction() {
        assert!(mmc(10.0, 1.0, 10).is_none());
        assert!(mmc(0.0, 1.0, 1).is_none());
        assert!(mmck(1.0, 1.0, 3, 2).is_none());
        // Hundreds of workers stay finite.
        assert!(mmc(790.0, 1.0, 800).unwrap().mean_wait.is_finite());
    }
}
