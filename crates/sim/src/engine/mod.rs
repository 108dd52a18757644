//! The discrete-event loop: arrivals, routing, compute, I/O, answers; health checks,
//! closed-loop users, and live changes.
//!
//! Simulated time only ever comes from the event list, never from a wall clock, so a
//! run is a pure function of its scenario, seed and changes. The open-loop source's
//! next arrival is kept apart from the heap (a Poisson source has exactly one pending
//! arrival, and a rate change simply redraws it). At equal times, heap events come
//! before the arrival, and heap events among themselves in the order they were
//! scheduled.

mod autoscaler;
mod billing;
mod caches;
mod changes;
mod database;
mod fleet;
mod flow;
mod health;
mod live;
mod mark;
mod requests;
mod retries;
mod topology;
mod users;

pub use changes::{Change, ChangeMark};
pub use live::{Journey, LiveRequest, Phase, Refusals, Segment};
pub use mark::{Counted, Feature, Mark};
pub use requests::Stage;
pub use topology::{Part, Topology};

use crate::balancer::Balancer;
use crate::cache::CacheStats;
use crate::db::{Db, DbEvent, DbSnapshot, Effect};
use crate::event::EventQueue;
use crate::metrics::Metrics;
use crate::protection::{BreakerState, CircuitBreaker, RateLimiter};
use crate::rng::{stream, SimRng, Stream};
use crate::scenario::Scenario;
use crate::server::Server;
use crate::trace::{Trace, Tracer};
use crate::traffic::{KeySampler, OpenLoopSource};
use crate::validate::ScenarioError;
use crate::RequestId;
use autoscaler::Autoscaler;
use billing::Billing;
use caches::Caches;
use health::Health;
use requests::{Requests, NO_USER};
use retries::RetryBudget;
use std::collections::VecDeque;
use users::Users;

#[derive(Debug, Clone, Copy)]
enum Event {
    /// A request's compute phase ends on `server`.
    ComputeDone {
        server: u32,
        request: RequestId,
        epoch: u32,
    },
    /// A request's I/O phase ends on `server`.
    IoDone {
        server: u32,
        request: RequestId,
        epoch: u32,
    },
    /// The balancer probes every server.
    HealthCheck { generation: u32 },
    /// A closed-loop user finishes thinking.
    UserWake { user: u32, seq: u32 },
    /// A closed-loop user gives up waiting.
    UserTimeout { user: u32, seq: u32 },
    /// A request the leaky bucket held back may go on to the balancer.
    Released { request: RequestId },
    /// A client sends attempt number `attempt` of a failed request again.
    Retry {
        user: u32,
        user_seq: u32,
        attempt: u32,
    },
    /// An open-loop client gives up waiting for attempt `attempt_id` (held in `request`).
    ClientTimeout { request: RequestId, attempt_id: u64 },
    /// Something in the database.
    Db(DbEvent),
    /// The autoscaler reads its measure and decides.
    Autoscale { generation: u32 },
    /// A server asked for by the autoscaler has booted.
    Booted { server: u32 },
}

/// Latest simulated time a run reaches, about 317 years: nothing happens after it.
/// Beyond about 9e12 s the clock's resolution is coarser than the shortest chart window
/// (1 ms), which could then never close; no lesson needs a century.
pub const MAX_CLOCK_SECONDS: f64 = 1e10;

/// A running simulation of one scenario.
pub struct Simulation {
    scenario: Scenario,
    now: f64,
    /// Events handled since the start: with windows closed, the work a budget counts.
    events_processed: u64,
    events: EventQueue<Event>,
    source: Option<OpenLoopSource>,
    users: Users,
    keys: KeySampler,
    request_rng: SimRng,
    io_rng: SimRng,
    balancer_rng: SimRng,
    balancer: Box<dyn Balancer>,
    rate_limiter: Option<Box<dyn RateLimiter>>,
    /// The circuit breaker in front of the database, if any.
    breaker: Option<CircuitBreaker>,
    /// The database, once a scenario has had one (kept after it is switched off, so
    /// queries under way still end).
    db: Option<Db>,
    /// What the database asked for in its last call (a buffer reused across calls).
    db_effects: Vec<Effect>,
    /// The clients' retry budget and backoff jitter.
    retry_budget: RetryBudget,
    /// What the balancer believes about the servers, and the pool it routes to.
    health: Health,
    /// The autoscaler's memory between readings.
    autoscaler: Autoscaler,
    /// What the run has spent on what is not a server.
    billing: Billing,
    servers: Vec<Server>,
    caches: Caches,
    requests: Requests,
    metrics: Metrics,
    marks: VecDeque<ChangeMark>,
    /// Marks made since the start (the next mark's number less one).
    marks_made: u64,
    tracer: Tracer,
    /// Refusals at the part that made them, for the stage.
    refusals: Refusals,
    /// The request the stage follows.
    follow: live::Follow,
    /// Changes to make at set times (a challenge's script), earliest last.
    scheduled: Vec<(f64, Change)>,
}

impl Simulation {
    /// Validates `scenario` and sets up a run at time 0.
    pub fn new(scenario: Scenario) -> Result<Self, ScenarioError> {
        scenario.validate()?;
        let seed = scenario.seed;
        let mut sim = Self {
            now: 0.0,
            events_processed: 0,
            events: EventQueue::default(),
            source: None,
            users: Users::new(stream(seed, Stream::Users)),
            keys: KeySampler::new(&scenario.traffic.keys),
            request_rng: stream(seed, Stream::Requests),
            io_rng: stream(seed, Stream::Io),
            balancer_rng: stream(seed, Stream::Balancer),
            balancer: scenario.balancer.build(),
            rate_limiter: scenario.protection.rate_limit.map(|r| r.build()),
            breaker: scenario.protection.circuit_breaker.map(CircuitBreaker::new),
            db: scenario.database.clone().map(|d| {
                Db::new(
                    d,
                    scenario.traffic.keys.count,
                    stream(seed, Stream::Database),
                )
            }),
            db_effects: Vec::new(),
            retry_budget: RetryBudget::new(stream(seed, Stream::Retries)),
            health: Health::default(),
            autoscaler: Autoscaler::default(),
            billing: Billing::default(),
            servers: Vec::new(),
            caches: Caches::new(),
            requests: Requests::default(),
            metrics: Metrics::new(scenario.metrics.window_seconds),
            marks: VecDeque::new(),
            marks_made: 0,
            tracer: Tracer::default(),
            refusals: Refusals::default(),
            follow: live::Follow::default(),
            scheduled: Vec::new(),
            scenario: scenario.clone(),
        };
        sim.start_arrivals(&scenario.traffic.arrivals);
        sim.resize_servers(scenario.servers.count, 0.0);
        sim.apply_server_specs();
        sim.build_caches();
        sim.schedule_health_check();
        sim.schedule_autoscaling();
        sim.rebuild_pool();
        Ok(sim)
    }

    /// The scenario as it stands now, live changes included.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Keeps `curve` with the scenario (the page's Curves view): not part of the model,
    /// so nothing that runs changes and no change is marked.
    pub fn set_curve(&mut self, curve: Option<crate::curve::CurveSpec>) {
        self.scenario.curve = curve;
    }
    /// Simulated time, in seconds.
    pub fn now(&self) -> f64 {
        self.now
    }
    /// Every server ever added, by index (retired ones included).
    pub fn servers(&self) -> &[Server] {
        &self.servers
    }
    /// Indices of the servers the balancer routes to now.
    pub fn pool(&self) -> &[u32] {
        &self.health.pool
    }
    /// Whether the balancer believes server `index` healthy.
    pub fn balancer_sees_up(&self, index: u32) -> bool {
        self.health.sees_up(index)
    }
    /// All measures.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }
    /// Traces one request in `every` from now on (0: none), for animation.
    pub fn trace_every(&mut self, every: u64) {
        self.tracer.set_every(every);
    }
    /// Traces numbered `from` and later (see [`Trace::seq`]).
    pub fn traces_since(&self, from: u64) -> impl Iterator<Item = &Trace> {
        self.tracer.since(from)
    }
    /// Calls `sink` with every window as it closes.
    pub fn on_window(&mut self, sink: crate::metrics::WindowSink) {
        self.metrics.set_sink(sink);
    }
    /// Live changes so far, oldest first (at most the last 256).
    pub fn marks(&self) -> &VecDeque<ChangeMark> {
        &self.marks
    }
    /// Requests in the system: queued, computing or waiting on I/O.
    pub fn in_flight(&self) -> usize {
        self.requests.in_flight()
    }

    /// Cache counters since the start, all caches together (replaced ones included).
    pub fn cache_stats(&self) -> CacheStats {
        self.caches.stats()
    }

    /// Counters since the start of each server's own cache, by server index (empty if
    /// caches were never local). They never go backwards, even across a rebuild.
    pub fn local_cache_stats(&self) -> Vec<CacheStats> {
        self.caches.local_stats()
    }

    /// Entries and capacity of each cache (one for a shared cache).
    pub fn cache_fill(&self) -> Vec<(usize, usize)> {
        self.caches.fill()
    }

    /// Checks the conservation of requests, an invariant of every run: each request
    /// that arrived has been answered (in time or late), refused for a reason, or is
    /// still in the system. Tests call it after every step; `Err` says the three sums.
    pub fn check_conservation(&self) -> Result<(), String> {
        let m = &self.metrics;
        let (arrived, answered, refused) = (m.arrivals(), m.completions(), m.rejections().total());
        let in_flight = self.in_flight() as u64;
        if arrived == answered + refused + in_flight {
            Ok(())
        } else {
            Err(format!(
                "at t = {}: {arrived} arrived but {answered} answered + {refused} refused \
                 + {in_flight} in flight",
                self.now
            ))
        }
    }

    /// Makes `change` at simulated time `at` (now, if that has passed), after every
    /// event at that instant: exactly as if the run were stopped at `at` and the change
    /// applied. A challenge's script is made of these, so the page and the CLI play
    /// it alike whatever slices they run in. Changes due at the same time happen in
    /// the order they were scheduled.
    pub fn schedule(&mut self, at: f64, change: Change) {
        let at = at.max(self.now);
        let index = self.scheduled.partition_point(|(t, _)| *t > at);
        self.scheduled.insert(index, (at, change));
    }

    /// Processes every event up to and including `until`, then sets the clock to `until`.
    pub fn run_until(&mut self, until: f64) {
        self.run_until_budget(until, u64::MAX);
    }

    /// Like [`Simulation::run_until`], but stops after `max_work` units of work: events
    /// processed plus chart windows closed (with rare events and short windows, each
    /// event can close hundreds). Returns whether `until` was reached. The page uses
    /// this so no frame can freeze.
    pub fn run_until_budget(&mut self, until: f64, max_work: u64) -> bool {
        let until = until.min(MAX_CLOCK_SECONDS);
        let budget = self.budget(max_work);
        while self.within(budget) {
            if self.next_event_time() > until {
                if until > self.now {
                    self.advance_clock(until);
                }
                return true;
            }
            self.step();
        }
        false
    }

    /// Processes events until `count` more requests have arrived, or no arrival can
    /// ever come (a zero rate, or no users): periodic health checks alone would
    /// otherwise keep the loop going for ever.
    pub fn run_arrivals(&mut self, count: u64) {
        self.run_arrivals_budget(count, u64::MAX);
    }

    /// Like [`Simulation::run_arrivals`], but stops after `max_work` units of work (see
    /// [`Simulation::run_until_budget`]): the page's fast-forward, which must not freeze
    /// a frame however far away the next arrival is (health checks every second until
    /// an arrival a year away).
    pub fn run_arrivals_budget(&mut self, count: u64, max_work: u64) {
        let target = self.metrics.arrivals().saturating_add(count);
        let budget = self.budget(max_work);
        while self.within(budget) && self.metrics.arrivals() < target && self.arrivals_possible() {
            self.step();
        }
    }

    /// The work count at which a budget of `max_work` from now runs out.
    fn budget(&self, max_work: u64) -> u64 {
        self.work_done().saturating_add(max_work)
    }

    /// Whether work is left before `budget` runs out.
    fn within(&self, budget: u64) -> bool {
        self.work_done() < budget
    }

    /// Events processed and windows closed since the start.
    fn work_done(&self) -> u64 {
        self.events_processed + self.metrics.windows_closed()
    }

    /// Whether an arrival can still come (an open-loop rate, or users taking part) before
    /// the clock's end, [`MAX_CLOCK_SECONDS`].
    pub fn arrivals_possible(&self) -> bool {
        let open = self
            .source
            .as_ref()
            .is_some_and(|s| s.next_time().is_finite());
        (open || self.active_users() > 0) && self.next_event_time() <= MAX_CLOCK_SECONDS
    }

    /// When the next thing happens: an event, an arrival or a scheduled change.
    fn next_event_time(&self) -> f64 {
        let queued = self.next_queued_time();
        match self.scheduled.last() {
            Some(&(at, _)) if at < queued => at,
            _ => queued,
        }
    }

    /// When the next event or arrival happens.
    fn next_queued_time(&self) -> f64 {
        let arrival = self
            .source
            .as_ref()
            .map_or(f64::INFINITY, OpenLoopSource::next_time);
        match self.events.peek_time() {
            Some(t) if t <= arrival => t,
            _ => arrival,
        }
    }

    /// Processes the single next event.
    fn step(&mut self) {
        self.events_processed += 1;
        if self.next_event_time() < self.next_queued_time() {
            let (at, change) = self.scheduled.pop().expect("a change is due");
            self.advance_clock(at);
            // What cannot happen when its time comes (a server this run does not
            // have) does not; the change's own checks refuse it.
            let _ = self.apply(change);
            return;
        }
        let arrival = self
            .source
            .as_ref()
            .map_or(f64::INFINITY, OpenLoopSource::next_time);
        match self.events.peek_time() {
            Some(t) if t <= arrival => {
                let (time, event) = self.events.pop().expect("peeked");
                self.advance_clock(time);
                self.handle(event);
            }
            _ if arrival.is_finite() => {
                self.advance_clock(arrival);
                if let Some(source) = &mut self.source {
                    source.advance();
                }
                self.arrive(NO_USER, 0, 0);
            }
            _ => {}
        }
    }

    fn handle(&mut self, event: Event) {
        match event {
            Event::ComputeDone {
                server,
                request,
                epoch,
            } => {
                if self.servers[server as usize].epoch() == epoch {
                    self.compute_done(server, request);
                }
            }
            Event::IoDone {
                server,
                request,
                epoch,
            } => {
                if self.servers[server as usize].epoch() == epoch {
                    self.io_done(server, request);
                }
            }
            Event::HealthCheck { generation } => self.health_check(generation),
            Event::Autoscale { generation } => self.autoscale(generation),
            Event::Booted { server } => self.server_booted(server),
            Event::UserWake { user, seq } => self.user_wakes(user, seq),
            Event::UserTimeout { user, seq } => self.user_gives_up(user, seq),
            Event::Released { request } => self.route(request),
            Event::Retry {
                user,
                user_seq,
                attempt,
            } => self.retry_due(user, user_seq, attempt),
            Event::ClientTimeout {
                request,
                attempt_id,
            } => self.client_gives_up(request, attempt_id),
            Event::Db(event) => {
                let now = self.now;
                self.with_db(|db, fx| db.handle(now, event, fx));
            }
        }
    }

    /// The breaker's state now, if there is one (for the page).
    pub fn breaker_state(&mut self) -> Option<BreakerState> {
        let now = self.now;
        self.breaker.as_mut().map(|b| b.state(now))
    }

    /// The database, if the scenario has (or had) one.
    pub fn database(&self) -> Option<&Db> {
        self.db.as_ref()
    }

    /// Moves the clock to `to`, closing every window that ends on the way.
    fn advance_clock(&mut self, to: f64) {
        let in_system = self.in_flight();
        let open_until = match self.breaker_state() {
            Some(BreakerState::Open { until }) => Some(until),
            _ => None,
        };
        while to >= self.metrics.window_end() {
            let end = self.metrics.window_end();
            let (cache, local, db) = self.integrate_to(in_system, open_until, end);
            self.metrics.close_window(&self.servers, cache, &local, db);
            // Nothing happens before `to`: the windows the ring would not keep anyway
            // are passed over, their time integrals added in one go.
            if let Some(count) = self.metrics.idle_windows_to_skip(to) {
                let start = self.metrics.start_after(count);
                let (cache, local, db) = self.integrate_to(in_system, open_until, start);
                self.metrics
                    .skip_windows(count, &self.servers, cache, &local, db);
            }
        }
        self.account(in_system, open_until, to);
        self.now = to;
    }

    /// Moves the clock to `t` (a window's end) with every time integral brought up to
    /// it, and reads the counters a window closes with: the shared cache's, each
    /// server's own cache's, the database's.
    fn integrate_to(
        &mut self,
        in_system: usize,
        open_until: Option<f64>,
        t: f64,
    ) -> (CacheStats, Vec<CacheStats>, Option<DbSnapshot>) {
        self.account(in_system, open_until, t);
        self.now = t;
        for server in &mut self.servers {
            server.integrate(t);
        }
        let db = self.db.as_mut().map(|db| {
            db.integrate(t);
            db.snapshot()
        });
        (self.cache_stats(), self.local_cache_stats(), db)
    }

    /// Adds the span from now to `to` to the time integrals: requests in the system, and
    /// the time the breaker is open (until `open_until`).
    fn account(&mut self, in_system: usize, open_until: Option<f64>, to: f64) {
        self.metrics.add_presence(in_system, to - self.now);
        if let Some(until) = open_until {
            let open = until.min(to) - self.now;
            if open > 0.0 {
                self.metrics.circuit_open(open);
            }
        }
    }
}

#[cfg(test)]
mod tests;
