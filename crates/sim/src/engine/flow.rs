//! A request's life: arrive, get routed, wait for a worker, compute on a core, wait on
//! the cache and the backend, answer (or be turned away).

use super::{Caches, Event, Request, Simulation, NO_SERVER, NO_USER};
use crate::balancer::{HashOn, Route};
use crate::cache::Cache;
use crate::metrics::Reason;
use crate::protection::Decision;
use crate::rng::{below, chance};
use crate::scenario::WriteMode;
use crate::server::Offer;
use crate::trace::Outcome;
use crate::traffic::Arrivals;
use crate::RequestId;

/// What a request's I/O phase will be.
enum Io {
    /// No I/O: answer at once.
    None,
    /// Wait this long (cache lookup, backend call).
    Wait(f64),
    /// The circuit breaker refuses the backend call: fail at once.
    Refused,
}

impl Simulation {
    /// A request arrives now, from closed-loop user `user` (or the open-loop source).
    pub(super) fn arrive(&mut self, user: u32, user_seq: u32, attempt: u32) {
        let traced = self.tracer.samples(self.metrics.arrivals());
        self.metrics.arrival();
        let mut request = self.new_request(user, user_seq);
        request.traced = traced;
        request.attempt = attempt;
        request.attempt_id = self.next_attempt_id;
        self.next_attempt_id += 1;
        let id = self.allocate(request);
        self.start_attempt_clock(id, attempt);
        let protection = &self.scenario.protection;
        if protection
            .concurrency_limit
            .is_some_and(|limit| self.in_flight() > limit as usize)
        {
            self.fail(id, Reason::ConcurrencyLimited);
            return;
        }
        let decision = match &mut self.rate_limiter {
            Some(limiter) => limiter.decide(self.now),
            None => Decision::Admit,
        };
        match decision {
            Decision::Admit => self.route(id),
            Decision::Delay(at) => self.events.push(at, Event::Released { request: id }),
            Decision::Reject => self.fail(id, Reason::RateLimited),
        }
    }

    /// The balancer picks a server for request `id`, which offers it a worker or a place.
    pub(super) fn route(&mut self, id: RequestId) {
        if self.pool.is_empty() {
            self.fail(id, Reason::NoServer);
            return;
        }
        let request = self.requests[id as usize];
        let route = Route {
            pool: &self.pool,
            servers: &self.servers,
            client_ip: request.client_ip,
            key: request.key,
        };
        let server = self.balancer.pick(&route, &mut self.balancer_rng);
        self.requests[id as usize].server = server;
        self.requests[id as usize].routed_at = self.now;
        match self.servers[server as usize].offer(self.now, id) {
            Offer::Started => self.start_compute(server, id),
            Offer::Queued => {}
            Offer::Rejected => self.fail(id, Reason::QueueFull),
            Offer::Down => self.fail(id, Reason::ServerDown),
        }
    }

    /// Draws who sends the request, which key, and whether it writes. Each draw is made
    /// only when something uses it, from the requests' own stream.
    fn new_request(&mut self, user: u32, user_seq: u32) -> Request {
        let traffic = &self.scenario.traffic;
        let hashes = self.scenario.balancer.hashes();
        let uses_keys = self.scenario.cache.is_some() || hashes == Some(HashOn::Key);
        let uses_ip = hashes.is_some() || (uses_keys && traffic.keys.session_share > 0.0);
        let client_ip = match (user, uses_ip) {
            (_, false) => 0,
            (NO_USER, true) => below(&mut self.request_rng, traffic.clients),
            (user, true) => user % traffic.clients,
        };
        let key = if uses_keys {
            self.keys.sample(&mut self.request_rng, client_ip)
        } else {
            0
        };
        let write =
            traffic.write_fraction > 0.0 && chance(&mut self.request_rng, traffic.write_fraction);
        Request {
            arrived_at: self.now,
            routed_at: self.now,
            key,
            server: NO_SERVER,
            client_ip,
            user,
            user_seq,
            write,
            miss: false,
            holds_worker: true,
            traced: false,
            calls_backend: false,
            attempt: 0,
            attempt_id: 0,
            abandoned: false,
            live: true,
        }
    }

    /// The request holds a worker: it computes now or waits for a core.
    pub(super) fn start_compute(&mut self, server: u32, id: RequestId) {
        if let Some(compute) = self.servers[server as usize].request_core(self.now, id) {
            self.schedule_compute(server, id, compute);
        }
    }

    pub(super) fn schedule_compute(&mut self, server: u32, request: RequestId, compute: f64) {
        let epoch = self.servers[server as usize].epoch();
        self.events.push(
            self.now + compute,
            Event::ComputeDone {
                server,
                request,
                epoch,
            },
        );
    }

    /// Free workers on `server` take queued requests; with shedding on, a request that
    /// has waited too long is dropped instead (its client has likely given up).
    pub(super) fn start_queued(&mut self, server: u32) {
        let shed_after = self.scenario.protection.shed_after_seconds;
        while let Some(next) = self.servers[server as usize].take_queued(self.now) {
            let waited = self.now - self.requests[next as usize].routed_at;
            if shed_after.is_some_and(|limit| waited > limit) {
                self.servers[server as usize].shed(self.now);
                self.fail(next, Reason::Shed);
            } else {
                self.start_compute(server, next);
            }
        }
    }

    pub(super) fn compute_done(&mut self, server: u32, id: RequestId) {
        if let Some((next, compute)) = self.servers[server as usize].release_core(self.now) {
            self.schedule_compute(server, next, compute);
        }
        match self.io_wait(server, id) {
            Io::None => self.answer(server, id),
            Io::Refused => self.answer_with_error(server, id, Reason::CircuitOpen),
            Io::Wait(wait) => {
                let holds = self.servers[server as usize].begin_io(self.now);
                self.requests[id as usize].holds_worker = holds;
                self.start_queued(server);
                let epoch = self.servers[server as usize].epoch();
                self.events.push(
                    self.now + wait,
                    Event::IoDone {
                        server,
                        request: id,
                        epoch,
                    },
                );
            }
        }
    }

    fn io_wait(&mut self, server: u32, id: RequestId) -> Io {
        let request = self.requests[id as usize];
        let cache_config = self.scenario.cache.clone();
        let lookup = cache_config
            .as_ref()
            .map_or(0.0, |c| c.lookup_latency.sample(&mut self.io_rng));
        let now = self.now;
        let hit = match &cache_config {
            Some(_) if !request.write => self
                .cache_for(server)
                .is_some_and(|c| c.get(request.key, now)),
            _ => false,
        };
        self.requests[id as usize].miss = cache_config.is_some() && !request.write && !hit;
        let needs_backend = !hit && self.scenario.backend.is_some();
        if !needs_backend {
            return if lookup > 0.0 {
                Io::Wait(lookup)
            } else {
                Io::None
            };
        }
        if let Some(breaker) = &mut self.breaker {
            if !breaker.allows(now) {
                return Io::Refused;
            }
        }
        self.requests[id as usize].calls_backend = true;
        let backend = self
            .scenario
            .backend
            .as_ref()
            .expect("checked above")
            .latency;
        Io::Wait(lookup + backend.sample(&mut self.io_rng))
    }

    pub(super) fn io_done(&mut self, server: u32, id: RequestId) {
        let request = self.requests[id as usize];
        if request.calls_backend && !self.backend_call_succeeds() {
            self.answer_with_error(server, id, Reason::BackendError);
            return;
        }
        let write_mode = self.scenario.cache.as_ref().map(|c| c.write_mode);
        let now = self.now;
        if let Some(cache) = self.cache_for(server) {
            match (request.write, write_mode) {
                (true, Some(WriteMode::WriteThrough)) => cache.put(request.key, now),
                (true, _) => cache.invalidate(request.key),
                (false, _) if request.miss => cache.put(request.key, now),
                (false, _) => {}
            }
        }
        self.answer(server, id);
    }

    /// How a backend call ends: it fails if the backend is down, or at the error rate;
    /// the breaker, if any, hears of it.
    fn backend_call_succeeds(&mut self) -> bool {
        let error_rate = self.scenario.backend.as_ref().map_or(0.0, |b| b.error_rate);
        let success =
            self.backend_up && !(error_rate > 0.0 && chance(&mut self.io_rng, error_rate));
        let now = self.now;
        if let Some(breaker) = &mut self.breaker {
            breaker.record(now, success);
        }
        success
    }

    /// The server answers with an error: its worker is freed, the request has failed.
    fn answer_with_error(&mut self, server: u32, id: RequestId, reason: Reason) {
        let holds_worker = self.requests[id as usize].holds_worker;
        self.servers[server as usize].finish(self.now, holds_worker);
        self.start_queued(server);
        self.fail(id, reason);
    }

    fn cache_for(&mut self, server: u32) -> Option<&mut Cache> {
        match &mut self.caches {
            Caches::None => None,
            Caches::Shared(cache) => Some(cache),
            Caches::Local(caches) => caches.get_mut(server as usize),
        }
    }

    /// The answer leaves `server`.
    fn answer(&mut self, server: u32, id: RequestId) {
        let request = self.requests[id as usize];
        self.servers[server as usize].finish(self.now, request.holds_worker);
        self.start_queued(server);
        let latency = self.now - request.arrived_at;
        let late = self
            .scenario
            .traffic
            .timeout_seconds
            .is_some_and(|timeout| latency > timeout);
        self.metrics.completion(latency, late || request.abandoned);
        if request.traced {
            let outcome = match (late, request.write, request.miss) {
                (true, _, _) => Outcome::TimedOut,
                (false, true, _) => Outcome::Write,
                (false, false, true) => Outcome::CacheMiss,
                (false, false, false) if self.scenario.cache.is_some() => Outcome::CacheHit,
                _ => Outcome::Served,
            };
            self.tracer
                .record(request.arrived_at, self.now, Some(server), outcome);
        }
        self.balancer.observe(server, latency, self.now);
        self.user_answered(request.user, request.user_seq);
        self.release(id);
    }

    /// The request gets no answer, for `reason`; its client may retry.
    pub(super) fn fail(&mut self, id: RequestId, reason: Reason) {
        self.metrics.rejection(reason);
        let request = self.requests[id as usize];
        if request.traced {
            let server = (request.server != NO_SERVER).then_some(request.server);
            self.tracer.record(
                request.arrived_at,
                self.now,
                server,
                Outcome::Rejected(reason),
            );
        }
        self.release(id);
        if !request.abandoned {
            self.client_failed(request.user, request.user_seq, request.attempt);
        }
    }

    /// Kills server `index`: every request in it is lost.
    pub(super) fn kill_server(&mut self, index: u32) {
        self.servers[index as usize].kill(self.now);
        let lost: Vec<RequestId> = (0..self.requests.len() as RequestId)
            .filter(|&id| {
                let r = &self.requests[id as usize];
                r.live && r.server == index
            })
            .collect();
        for id in lost {
            self.fail(id, Reason::ServerDown);
        }
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
        self.requests[id as usize].live = false;
        self.free_slots.push(id);
    }

    /// Starts the arrival process `arrivals` from now.
    pub(super) fn start_arrivals(&mut self, arrivals: &Arrivals) {
        match arrivals {
            Arrivals::OpenLoop { rate, schedule } => {
                let profile = crate::traffic::RateProfile::new(*rate, schedule);
                let rng = crate::rng::stream(self.scenario.seed, crate::rng::Stream::Arrivals);
                self.source = Some(crate::traffic::OpenLoopSource::new(profile, rng, self.now));
                self.set_active_users(0);
            }
            Arrivals::ClosedLoop { users, .. } => {
                self.source = None;
                self.set_active_users(*users);
            }
        }
    }
}
