//! Where requests meet the database: queries and their results, single flight
//! (request coalescing) for cache misses, and the circuit breaker hearing outcomes.

use super::caches::flight_key;
use super::requests::{Stage, NO_FLIGHT};
use super::{Counted, Event, Feature, Mark, Simulation};
use crate::db::{Database, Db, Effect, Failure, QueryResult};
use crate::metrics::Reason;
use crate::rng::{stream, Stream};
use crate::scenario::Scenario;
use crate::RequestId;

/// What a request's I/O phase brought back.
#[derive(Debug, Clone, Copy)]
pub(super) struct Loaded {
    /// The row version read or written (`u64::MAX`: a queued write, newest by definition).
    pub version: u64,
    /// Older than the primary's version (a lagging replica).
    pub stale: bool,
    /// This request fills the cache on a miss (a coalesced follower does not: its
    /// leader did).
    pub fills: bool,
}

impl Loaded {
    /// A fixed-wait I/O (a hit, no database, a queued write) at `version`.
    pub(super) fn written(version: u64) -> Self {
        Self {
            version,
            stale: false,
            fills: true,
        }
    }
}

/// How a request's missed read or write reaches the database.
pub(super) enum Load {
    /// Query it after `delay` (the cache lookup).
    Query(f64),
    /// A load of the same key is in flight: wait for its result.
    Join,
    /// The breaker is open: fail at once.
    Refused,
}

impl Simulation {
    /// Calls the database, then does what it asked: schedule its events, hand results
    /// to their requests.
    pub(super) fn with_db(&mut self, call: impl FnOnce(&mut Db, &mut Vec<Effect>)) {
        let Some(db) = &mut self.db else { return };
        let mut effects = std::mem::take(&mut self.db_effects);
        call(db, &mut effects);
        for effect in effects.drain(..) {
            match effect {
                Effect::Schedule(at, event) => self.events.push(at, Event::Db(event)),
                Effect::Answered {
                    request,
                    attempt_id,
                    result,
                    timing,
                } => {
                    self.follower_heard(request, attempt_id, timing);
                    self.query_answered(request, attempt_id, result);
                }
            }
        }
        self.db_effects = effects;
    }

    /// Decides how request `id` on `server`, which missed the cache (or writes), loads
    /// from the database: joins a load in flight, is refused by the breaker, or queries.
    pub(super) fn plan_load(&mut self, server: u32, id: RequestId, lookup: f64) -> Load {
        let request = self.requests[id];
        let coalesce = self.scenario.cache.as_ref().is_some_and(|c| c.coalesce);
        let flight = self
            .caches
            .index_of(server)
            .map(|c| flight_key(c, request.key));
        if let (false, true, Some(flight)) = (request.write, coalesce, flight) {
            if self.caches.join_flight(flight, (id, request.attempt_id)) {
                return Load::Join;
            }
        }
        let now = self.now;
        if let Some(breaker) = &mut self.breaker {
            if !breaker.allows(now) {
                return Load::Refused;
            }
        }
        if let (false, true, Some(flight)) = (request.write, coalesce, flight) {
            self.caches.lead_flight(flight, server);
            self.requests[id].flight = flight;
        }
        Load::Query(lookup)
    }

    /// Sends request `id`'s query after `delay`.
    pub(super) fn query(&mut self, server: u32, id: RequestId, delay: f64) {
        let r = self.requests[id];
        let now = self.now;
        let mut query = None;
        self.with_db(|db, fx| {
            query = Some(db.submit(now, delay, server, (id, r.attempt_id), r.key, r.write, fx));
        });
        if let Some(q) = query.filter(|_| self.requests.is_current(id, r.attempt_id)) {
            self.requests.enter(id, Stage::Database, now, f64::NAN);
            self.requests.querying(id, q);
        }
    }

    /// A query is over: the breaker hears how; the request (if still the same attempt)
    /// and any requests that joined its load get the result.
    fn query_answered(&mut self, leader: RequestId, attempt_id: u64, result: QueryResult) {
        let healthy = !matches!(
            result,
            QueryResult::Failed(Failure::Error | Failure::PoolTimeout)
        );
        let now = self.now;
        if let Some(breaker) = &mut self.breaker {
            breaker.record(now, healthy);
        }
        if !self.requests.is_current(leader, attempt_id) {
            return;
        }
        let followers = match self.requests[leader].flight {
            NO_FLIGHT => Vec::new(),
            flight => self.caches.land_flight(flight),
        };
        self.loaded(leader, result, true);
        for (follower, attempt) in followers {
            if self.requests.is_current(follower, attempt) {
                // The leader filled the cache; a follower only takes the answer.
                self.loaded(follower, result, false);
            }
        }
    }

    /// Request `id` has its database result.
    fn loaded(&mut self, id: RequestId, result: QueryResult, fills: bool) {
        let server = self.requests[id].server;
        match result {
            QueryResult::Ok { version, stale } => self.finish_io(
                server,
                id,
                Loaded {
                    version,
                    stale,
                    fills,
                },
            ),
            QueryResult::Failed(failure) => {
                let reason = match failure {
                    Failure::Error => Reason::DatabaseError,
                    Failure::PoolTimeout => Reason::PoolTimeout,
                    Failure::Conflict => Reason::WriteConflict,
                };
                self.answer_with_error(server, id, reason);
            }
        }
    }

    /// Server `server` died: its queries run on unheard; loads it led pass to the first
    /// request still waiting for them, which queries again.
    pub(super) fn database_loses(&mut self, server: u32) {
        if let Some(db) = &mut self.db {
            db.server_lost(self.now, server);
        }
        for flight in self.caches.flights_led_on(server) {
            let mut followers = self.caches.land_flight(flight);
            followers.retain(|&(r, a)| {
                self.requests.is_current(r, a) && self.requests[r].server != server
            });
            if followers.is_empty() {
                continue;
            }
            let (next, _) = followers.remove(0);
            let next_server = self.requests[next].server;
            self.requests[next].flight = flight;
            self.caches.hand_over_flight(flight, next_server, followers);
            self.query(next_server, next, 0.0);
        }
    }

    /// Applies a new database setting (or key space) live, naming what changed.
    pub(super) fn reconfigure_database(&mut self, old: &Scenario, labels: &mut Vec<Mark>) {
        let key_space = self.scenario.traffic.keys.count;
        let unchanged =
            old.database == self.scenario.database && old.traffic.keys.count == key_space;
        let Some(next) = self.scenario.database.clone().filter(|_| !unchanged) else {
            if old.database.is_some() && self.scenario.database.is_none() {
                labels.push(Mark::Switched {
                    what: Feature::Database,
                    on: false,
                });
            }
            return;
        };
        match &old.database {
            None => labels.push(Mark::Switched {
                what: Feature::Database,
                on: true,
            }),
            Some(before) => labels.extend(database_changes(before, &next)),
        }
        let now = self.now;
        if self.db.is_none() {
            let rng = stream(self.scenario.seed, Stream::Database);
            self.db = Some(Db::new(next.clone(), key_space, rng));
        }
        self.with_db(|db, fx| db.reconfigure(next, key_space, now, fx));
    }
}

/// Marks for what differs between two database settings.
fn database_changes(a: &Database, b: &Database) -> Vec<Mark> {
    let switched = |what, on| Mark::Switched { what, on };
    let mut out = Vec::new();
    if a.replicas != b.replicas {
        out.push(Mark::Count {
            what: Counted::Replicas,
            from: a.replicas,
            to: b.replicas,
        });
    }
    if a.shards != b.shards || a.sharding != b.sharding {
        out.push(Mark::Shards {
            count: b.shards,
            by: b.sharding,
        });
    }
    if a.read_write_split != b.read_write_split {
        out.push(switched(Feature::ReadWriteSplit, b.read_write_split));
    }
    if a.indexed != b.indexed {
        out.push(switched(Feature::Index, b.indexed));
    }
    if a.rows != b.rows {
        out.push(Mark::Rows(b.rows));
    }
    if a.locking != b.locking {
        out.push(Mark::Locking(b.locking));
    }
    if a.write_queue != b.write_queue {
        out.push(switched(Feature::WriteQueue, b.write_queue.is_some()));
    }
    if a.pool_size != b.pool_size || a.pool_timeout_seconds != b.pool_timeout_seconds {
        out.push(Mark::PoolSize(b.pool_size));
    }
    if a.replication_lag != b.replication_lag {
        out.push(Mark::ReplicationLag(b.replication_lag));
    }
    if a.error_rate != b.error_rate {
        out.push(Mark::ErrorRate(b.error_rate));
    }
    if out.is_empty() && a != b {
        out.push(Mark::DatabaseTimingsChanged);
    }
    out
}
