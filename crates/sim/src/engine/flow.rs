//! A request's life: arrive, get routed, wait for a worker, compute on a core, wait on
//! the cache and the database, answer (or be turned away).

use super::database::{Load, Loaded};
use super::requests::{Request, Stage, Step, NO_FLIGHT, NO_SERVER, NO_USER};
use super::{Event, Simulation};
use crate::balancer::{HashOn, Route};
use crate::cache::WriteMode;
use crate::metrics::{Failure, Reason};
use crate::protection::Decision;
use crate::rng::{below, chance};
use crate::server::Offer;
use crate::trace::Outcome;
use crate::traffic::Arrivals;
use crate::RequestId;

/// What a request's I/O phase will be.
enum Io {
    /// No I/O: answer at once.
    None,
    /// Wait this long (a cache hit, a write put on the queue), then answer.
    Wait(f64),
    /// Load from the database.
    Load(Load),
}

impl Simulation {
    /// A request arrives now, from closed-loop user `user` (or the open-loop source).
    pub(super) fn arrive(&mut self, user: u32, user_seq: u32, attempt: u32) {
        let traced = self.tracer.samples(self.metrics.arrivals());
        self.metrics.arrival();
        let mut request = self.new_request(user, user_seq);
        request.traced = traced;
        request.attempt = attempt;
        let id = self.requests.admit(request);
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
            Decision::Delay(at) => {
                self.requests.enter(id, Stage::Shaping, self.now, at);
                self.events.push(at, Event::Released { request: id });
            }
            Decision::Reject => self.fail(id, Reason::RateLimited),
        }
    }

    /// The balancer picks a server for request `id`, which offers it a worker or a place.
    pub(super) fn route(&mut self, id: RequestId) {
        if self.health.pool.is_empty() {
            self.fail(id, Reason::NoServer);
            return;
        }
        let request = self.requests[id];
        let route = Route {
            pool: &self.health.pool,
            servers: &self.servers,
            client_ip: request.client_ip,
            key: request.key,
        };
        let server = self.balancer.pick(&route, &mut self.balancer_rng);
        self.requests[id].server = server;
        self.requests[id].routed_at = self.now;
        match self.servers[server as usize].offer(self.now, id) {
            Offer::Started => self.start_compute(server, id),
            Offer::Queued => self.requests.enter(id, Stage::Queued, self.now, f64::NAN),
            Offer::Rejected => self.fail(id, Reason::QueueFull),
            Offer::Down => self.fail(id, Reason::ServerDown),
        }
    }

    /// Draws who sends the request, which key, and whether it writes. Each draw is made
    /// only when something uses it, from the requests' own stream.
    fn new_request(&mut self, user: u32, user_seq: u32) -> Request {
        let traffic = &self.scenario.traffic;
        let hashes = self.scenario.balancer.hashes();
        let uses_keys = self.scenario.cache.is_some()
            || self.scenario.database.is_some()
            || hashes == Some(HashOn::Key);
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
            via_queue: false,
            stale: false,
            flight: NO_FLIGHT,
            attempt: 0,
            attempt_id: 0,
            abandoned: false,
            live: true,
        }
    }

    /// The request holds a worker: it computes now or waits for a core.
    pub(super) fn start_compute(&mut self, server: u32, id: RequestId) {
        self.requests.passed(id, Step::Worker, self.now);
        match self.servers[server as usize].request_core(self.now, id) {
            Some(compute) => self.schedule_compute(server, id, compute),
            None => self.requests.enter(id, Stage::RunQueue, self.now, f64::NAN),
        }
    }

    /// Request `request` computes on a core from now, for `compute` seconds.
    pub(super) fn schedule_compute(&mut self, server: u32, request: RequestId, compute: f64) {
        let end = self.now + compute;
        self.requests
            .enter(request, Stage::Computing, self.now, end);
        self.requests.passed(request, Step::Core, self.now);
        let epoch = self.servers[server as usize].epoch();
        self.events.push(
            end,
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
            let waited = self.now - self.requests[next].routed_at;
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
        self.requests.passed(id, Step::Io, self.now);
        let io = self.plan_io(server, id);
        match io {
            Io::None => return self.answer(server, id),
            Io::Load(Load::Refused) => {
                return self.answer_with_error(server, id, Reason::CircuitOpen)
            }
            _ => {}
        }
        let holds = self.servers[server as usize].begin_io(self.now);
        self.requests[id].holds_worker = holds;
        self.start_queued(server);
        match io {
            Io::Wait(wait) => {
                let end = self.now + wait;
                self.requests.enter(id, Stage::Lookup, self.now, end);
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
            Io::Load(Load::Query(delay)) => self.query(server, id, delay),
            Io::Load(Load::Join) => self
                .requests
                .enter(id, Stage::Coalesced, self.now, f64::NAN),
            _ => {}
        }
    }

    /// Looks the key up in the cache; a hit or a queued write waits a fixed time, a
    /// miss or a direct write loads from the database.
    fn plan_io(&mut self, server: u32, id: RequestId) -> Io {
        let request = self.requests[id];
        let lookup = match &self.scenario.cache {
            Some(c) => c.lookup_latency.sample(&mut self.io_rng),
            None => 0.0,
        };
        let hit = !request.write && self.cache_hit(server, id);
        self.requests[id].miss = self.scenario.cache.is_some() && !request.write && !hit;
        let Some(database) = self.scenario.database.as_ref().filter(|_| !hit) else {
            return if lookup > 0.0 {
                Io::Wait(lookup)
            } else {
                Io::None
            };
        };
        if request.write && database.write_queue.is_some() {
            let network = database.network.sample(&mut self.io_rng);
            self.requests[id].via_queue = true;
            return Io::Wait(lookup + network);
        }
        Io::Load(self.plan_load(server, id, lookup))
    }

    /// A cache lookup now; a hit on a value older than the database's is counted stale.
    fn cache_hit(&mut self, server: u32, id: RequestId) -> bool {
        let key = self.requests[id].key;
        let now = self.now;
        let Some(cache) = self.caches.for_server(server) else {
            return false;
        };
        if !cache.get(key, now) {
            return false;
        }
        let cached = cache.version(key);
        // A database switched off is kept only to finish its queries: no longer the truth.
        let database_on = self.scenario.database.is_some();
        if let Some(db) = self.db.as_mut().filter(|_| database_on) {
            if cached < db.committed_version(key) {
                db.note_stale_cache(false);
                self.requests[id].stale = true;
            }
        }
        true
    }

    /// The fixed I/O wait is over: a queued write goes on the queue now.
    pub(super) fn io_done(&mut self, server: u32, id: RequestId) {
        let request = self.requests[id];
        if request.via_queue {
            let now = self.now;
            self.with_db(|db, fx| db.enqueue_write(now, request.key, fx));
            // The new value reaches the database later: the cache holds it as newest.
            return self.finish_io(server, id, Loaded::written(u64::MAX));
        }
        self.finish_io(server, id, Loaded::written(0));
    }

    /// The I/O phase is over with `loaded`: the cache learns of it (a fill after a miss,
    /// a write's invalidation or write-through), then the answer leaves.
    pub(super) fn finish_io(&mut self, server: u32, id: RequestId, loaded: Loaded) {
        let Loaded {
            version,
            stale,
            fills,
        } = loaded;
        self.requests[id].stale |= stale;
        let request = self.requests[id];
        let write_mode = self.scenario.cache.as_ref().map(|c| c.write_mode);
        let now = self.now;
        let mut filled = false;
        if let Some(cache) = self.caches.for_server(server) {
            match (request.write, write_mode) {
                (true, Some(WriteMode::WriteThrough)) => {
                    cache.put_version(request.key, now, version)
                }
                (true, _) => cache.invalidate(request.key),
                (false, _) if request.miss && fills => {
                    cache.put_version(request.key, now, version);
                    filled = true;
                }
                (false, _) => {}
            }
        }
        // Only a fill can be stale: compare with the primary's version then.
        if let (true, true, Some(db)) = (filled, stale, &mut self.db) {
            db.note_stale_cache(true);
        }
        self.answer(server, id);
    }

    /// The server answers with an error: its worker is freed, the request has failed.
    pub(super) fn answer_with_error(&mut self, server: u32, id: RequestId, reason: Reason) {
        let holds_worker = self.requests[id].holds_worker;
        self.servers[server as usize].finish(self.now, holds_worker);
        self.start_queued(server);
        self.fail(id, reason);
    }

    /// The answer leaves `server`.
    fn answer(&mut self, server: u32, id: RequestId) {
        let request = self.requests[id];
        self.servers[server as usize].finish(self.now, request.holds_worker);
        self.start_queued(server);
        let latency = self.now - request.arrived_at;
        let late = self
            .scenario
            .traffic
            .timeout_seconds
            .is_some_and(|timeout| latency > timeout);
        self.metrics.completion(latency, late || request.abandoned);
        if request.traced || self.is_following() {
            let outcome = match (late, request.write, request.stale, request.miss) {
                (true, ..) => Outcome::TimedOut,
                (false, true, ..) => Outcome::Write,
                (false, false, true, _) => Outcome::StaleRead,
                (false, false, false, true) => Outcome::CacheMiss,
                (false, false, false, false) if self.scenario.cache.is_some() => Outcome::CacheHit,
                _ => Outcome::Served,
            };
            if request.traced {
                self.trace(id, Some(server), outcome);
            }
            self.follower_leaves(id, outcome);
        }
        self.balancer.observe(server, latency, self.now);
        self.user_answered(request.user, request.user_seq);
        self.requests.release(id);
    }

    /// The request gets no answer, for `reason`; its client may retry.
    pub(super) fn fail(&mut self, id: RequestId, reason: Reason) {
        self.metrics.rejection(reason);
        let request = self.requests[id];
        self.refusals.count(reason, request.server);
        if request.traced {
            let server = (request.server != NO_SERVER).then_some(request.server);
            self.trace(id, server, Outcome::Rejected(reason));
        }
        if self.is_following() {
            self.follower_leaves(id, Outcome::Rejected(reason));
        }
        self.requests.release(id);
        if !request.abandoned {
            let (user, seq) = (request.user, request.user_seq);
            self.client_failed(user, seq, request.attempt, Failure::Refused);
        }
    }

    /// Kills server `index`: every request in it is lost.
    pub(super) fn kill_server(&mut self, index: u32) {
        self.servers[index as usize].kill(self.now);
        for id in self.requests.on_server(index) {
            self.fail(id, Reason::ServerDown);
        }
        self.database_loses(index);
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
