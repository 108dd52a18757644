//! The discrete-event loop: arrivals, routing, service, departures.
//!
//! Simulated time only ever comes from the event list, never from a wall clock, so a
//! run is a pure function of its scenario and seed. The next arrival is kept apart from
//! the event heap: a Poisson source has exactly one pending arrival, and keeping it out
//! of the heap lets a rate change simply redraw it. At equal times, departures are
//! processed before the arrival (a freed worker can take the newcomer), and departures
//! among themselves in the order they were scheduled.

use crate::balancer::Balancer;
use crate::dist::exponential;
use crate::event::EventQueue;
use crate::metrics::Metrics;
use crate::rng::{stream, SimRng, Stream};
use crate::scenario::{positive, Scenario, ScenarioError};
use crate::server::{Admission, Server};
use crate::summary::Summary;
use crate::RequestId;

/// Changes that may be applied while a run is in progress.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// New mean arrival rate, per second.
    ArrivalRate(f64),
}

/// A change, stamped with when it happened, for the charts' labelled lines.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeMark {
    /// Simulated time of the change, in seconds.
    pub time: f64,
    /// What changed, like "arrival rate 600 → 900 /s".
    pub label: String,
}

/// Change marks kept; older ones are dropped so memory stays bounded.
const MAX_MARKS: usize = 256;

#[derive(Debug, Clone, Copy)]
enum Event {
    /// The request being served by a worker of `server` finishes.
    Departure { server: u32, request: RequestId },
}

#[derive(Debug, Clone, Copy)]
struct Request {
    arrived_at: f64,
}

/// A running simulation of one scenario.
pub struct Simulation {
    scenario: Scenario,
    now: f64,
    events: EventQueue<Event>,
    arrival_rng: SimRng,
    next_arrival: f64,
    balancer: Box<dyn Balancer>,
    servers: Vec<Server>,
    requests: Vec<Request>,
    free_slots: Vec<RequestId>,
    metrics: Metrics,
    marks: Vec<ChangeMark>,
}

impl Simulation {
    /// Validates `scenario` and sets up a run at time 0.
    pub fn new(scenario: Scenario) -> Result<Self, ScenarioError> {
        scenario.validate()?;
        let s = &scenario.servers;
        let servers = (0..s.count)
            .map(|id| {
                Server::new(
                    id,
                    scenario.seed,
                    s.workers,
                    s.queue_capacity,
                    s.service_time,
                )
            })
            .collect();
        let mut arrival_rng = stream(scenario.seed, Stream::Arrivals);
        let next_arrival = exponential(&mut arrival_rng, 1.0 / scenario.traffic.arrival_rate);
        Ok(Self {
            balancer: scenario.balancer.build(),
            metrics: Metrics::new(scenario.metrics.window_seconds),
            now: 0.0,
            events: EventQueue::default(),
            arrival_rng,
            next_arrival,
            servers,
            requests: Vec::new(),
            free_slots: Vec::new(),
            marks: Vec::new(),
            scenario,
        })
    }

    /// The scenario as it stands now, live changes included.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }
    /// Simulated time, in seconds.
    pub fn now(&self) -> f64 {
        self.now
    }
    /// The server pool.
    pub fn servers(&self) -> &[Server] {
        &self.servers
    }
    /// All measures.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }
    /// Live changes so far, oldest first (at most the last 256).
    pub fn marks(&self) -> &[ChangeMark] {
        &self.marks
    }
    /// Requests in the system: being served or waiting.
    pub fn in_flight(&self) -> usize {
        self.requests.len() - self.free_slots.len()
    }

    /// Applies a live change at the current time; the run carries on.
    pub fn apply(&mut self, change: Change) -> Result<(), ScenarioError> {
        let label = match change {
            Change::ArrivalRate(rate) => {
                positive("traffic.arrival_rate", rate)?;
                let old = self.scenario.traffic.arrival_rate;
                self.scenario.traffic.arrival_rate = rate;
                // Poisson arrivals are memoryless: redrawing the pending arrival from
                // now is exactly the process with the new rate from now on.
                self.next_arrival = self.now + exponential(&mut self.arrival_rng, 1.0 / rate);
                format!("arrival rate {old} → {rate} /s")
            }
        };
        if self.marks.len() == MAX_MARKS {
            self.marks.remove(0);
        }
        self.marks.push(ChangeMark {
            time: self.now,
            label,
        });
        Ok(())
    }

    /// Processes every event up to and including `until`, then sets the clock to `until`.
    pub fn run_until(&mut self, until: f64) {
        while self.next_event_time() <= until {
            self.step();
        }
        if until > self.now {
            self.advance_clock(until);
        }
    }

    /// Processes events until `count` more requests have arrived.
    pub fn run_arrivals(&mut self, count: u64) {
        let target = self.metrics.arrivals().saturating_add(count);
        while self.metrics.arrivals() < target {
            self.step();
        }
    }

    /// A summary of everything measured so far.
    pub fn summary(&self) -> Summary {
        Summary::of(self)
    }

    fn next_event_time(&self) -> f64 {
        match self.events.peek_time() {
            Some(t) if t <= self.next_arrival => t,
            _ => self.next_arrival,
        }
    }

    /// Processes the single next event.
    fn step(&mut self) {
        match self.events.peek_time() {
            Some(t) if t <= self.next_arrival => {
                let (time, event) = self.events.pop().expect("peeked");
                self.advance_clock(time);
                match event {
                    Event::Departure { server, request } => self.depart(server, request),
                }
            }
            _ => {
                self.advance_clock(self.next_arrival);
                self.arrive();
            }
        }
    }

    fn advance_clock(&mut self, to: f64) {
        self.metrics.advance(self.now, to, self.in_flight());
        self.now = to;
    }

    fn arrive(&mut self) {
        let rate = self.scenario.traffic.arrival_rate;
        self.next_arrival = self.now + exponential(&mut self.arrival_rng, 1.0 / rate);
        self.metrics.arrival();
        let request = self.allocate(Request {
            arrived_at: self.now,
        });
        let index = self.balancer.pick(&self.servers);
        match self.servers[index].admit(self.now, request) {
            Admission::Started => self.start_service(index as u32, request),
            Admission::Queued => {}
            Admission::Rejected => {
                self.release(request);
                self.metrics.rejection();
            }
        }
    }

    fn depart(&mut self, server: u32, request: RequestId) {
        let arrived_at = self.requests[request as usize].arrived_at;
        self.metrics.completion(self.now - arrived_at);
        self.release(request);
        if let Some(next) = self.servers[server as usize].finish(self.now) {
            self.start_service(server, next);
        }
    }

    fn start_service(&mut self, server: u32, request: RequestId) {
        let service = self.servers[server as usize].sample_service();
        self.events
            .push(self.now + service, Event::Departure { server, request });
    }

    fn allocate(&mut self, request: Request) -> RequestId {
        match self.free_slots.pop() {
            Some(id) => {
                self.requests[id as usize] = request;
                id
            }
            None => {
                self.requests.push(request);
                (self.requests.len() - 1) as RequestId
            }
        }
    }

    fn release(&mut self, id: RequestId) {
        self.free_slots.push(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sim() -> Simulation {
        Simulation::new(Scenario::default()).unwrap()
    }

    #[test]
    fn requests_are_conserved() {
        let mut s = sim();
        s.run_until(30.0);
        let m = s.metrics();
        assert!(m.arrivals() > 10_000);
        assert_eq!(
            m.arrivals(),
            m.completions() + m.rejections() + s.in_flight() as u64
        );
    }

    #[test]
    fn the_clock_ends_where_asked_and_windows_close() {
        let mut s = sim();
        s.run_until(10.0);
        assert_eq!(s.now(), 10.0);
        assert_eq!(s.metrics().windows().len(), 10);
    }

    #[test]
    fn same_seed_same_run_other_seed_other_run() {
        let run = |seed| {
            let sc = Scenario {
                seed,
                ..Scenario::default()
            };
            let mut s = Simulation::new(sc).unwrap();
            s.run_arrivals(20_000);
            serde_json::to_string(&s.summary()).unwrap()
        };
        assert_eq!(run(5), run(5));
        assert_ne!(run(5), run(6));
    }

    #[test]
    fn a_higher_rate_raises_throughput_from_the_change_on() {
        let mut s = sim();
        s.run_until(20.0);
        s.apply(Change::ArrivalRate(300.0)).unwrap();
        s.run_until(40.0);
        let w = s.metrics().windows();
        let before: f64 = w.range(10..20).map(|w| w.throughput).sum::<f64>() / 10.0;
        let after: f64 = w.range(30..40).map(|w| w.throughput).sum::<f64>() / 10.0;
        assert!((before - 600.0).abs() < 40.0, "before {before}");
        assert!((after - 300.0).abs() < 30.0, "after {after}");
        assert_eq!(s.marks()[0].time, 20.0);
        assert_eq!(s.marks()[0].label, "arrival rate 600 → 300 /s");
    }

    #[test]
    fn an_invalid_change_is_refused_and_changes_nothing() {
        let mut s = sim();
        let err = s.apply(Change::ArrivalRate(f64::NAN)).unwrap_err();
        assert_eq!(err.path, "traffic.arrival_rate");
        assert_eq!(s.scenario().traffic.arrival_rate, 600.0);
        assert!(s.marks().is_empty());
    }

    #[test]
    fn overload_fills_queues_and_rejects() {
        let mut sc = Scenario::default();
        sc.traffic.arrival_rate = 2_000.0; // capacity is 4 × 4 / 0.02 = 800 /s
        let mut s = Simulation::new(sc).unwrap();
        s.run_until(10.0);
        assert!(s.metrics().rejections() > 5_000);
        assert!(s.servers().iter().all(|sv| sv.queue_len() > 0));
    }
}
