//! Where requests meet the database: queries and their results, single flight
//! (request coalescing) for cache misses, and the circuit breaker hearing outcomes.

use super::flow::Loaded;
use super::{flight_key, Caches, Counted, Event, Feature, Flight, Mark, Simulation, NO_FLIGHT};
use crate::cache::Key;
use crate::db::{Database, Db, Effect, Failure, QueryResult};
use crate::metrics::Reason;
use crate::rng::{stream, Stream};
use crate::scenario::Scenario;
use crate::RequestId;

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
                } => self.query_answered(request, attempt_id, result),
            }
        }
        self.db_effects = effects;
    }

    /// Decides how request `id` on `server`, which missed the cache (or writes), loads
    /// from the database: joins a load in flight, is refused by the breaker, or queries.
    pub(super) fn plan_load(&mut self, server: u32, id: RequestId, lookup: f64) -> Load {
        let request = self.requests[id as usize];
        let coalesce = self.scenario.cache.as_ref().is_some_and(|c| c.coalesce);
        let flight = self.cache_index(server).map(|c| flight_key(c, request.key));
        if let (false, true, Some(flight)) = (request.write, coalesce, flight) {
            if let Some(f) = self.flights.get_mut(&flight) {
                f.followers.push((id, request.attempt_id));
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
            self.flights.insert(
                flight,
                Flight {
                    leader_server: server,
                    followers: Vec::new(),
                },
            );
            self.requests[id as usize].flight = flight;
        }
        Load::Query(lookup)
    }

    /// Sends request `id`'s query after `delay`.
    pub(super) fn query(&mut self, server: u32, id: RequestId, delay: f64) {
        let r = self.requests[id as usize];
        let now = self.now;
        self.with_db(|db, fx| {
            db.submit(now, delay, server, (id, r.attempt_id), r.key, r.write, fx);
        });
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
        let r = self.requests[leader as usize];
        if !(r.live && r.attempt_id == attempt_id) {
            return;
        }
        let followers = match r.flight {
            NO_FLIGHT => Vec::new(),
            flight => self
                .flights
                .remove(&flight)
                .map_or_else(Vec::new, |f| f.followers),
        };
        self.loaded(leader, result, true);
        for (follower, attempt) in followers {
            let f = self.requests[follower as usize];
            if f.live && f.attempt_id == attempt {
                // The leader filled the cache; a follower only takes the answer.
                self.loaded(follower, result, false);
            }
        }
    }

    /// Request `id` has its database result.
    fn loaded(&mut self, id: RequestId, result: QueryResult, fills: bool) {
        let server = self.requests[id as usize].server;
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

    /// Which cache serves `server`: 0 for the shared one, the server's index for its
    /// own; `None` without a cache.
    pub(super) fn cache_index(&self, server: u32) -> Option<u32> {
        match self.caches {
            Caches::None => None,
            Caches::Shared(_) => Some(0),
            Caches::Local(_) => Some(server),
        }
    }

    /// Server `server` died: its queries run on unheard; loads it led pass to the first
    /// request still waiting for them, which queries again.
    pub(super) fn database_loses(&mut self, server: u32) {
        if let Some(db) = &mut self.db {
            db.server_lost(server);
        }
        let mut orphaned: Vec<Key> = self
            .flights
            .iter()
            .filter(|(_, f)| f.leader_server == server)
            .map(|(&k, _)| k)
            .collect();
        orphaned.sort_unstable();
        for flight in orphaned {
            let mut f = self.flights.remove(&flight).expect("listed");
            let live = |s: &Self, (r, a): (RequestId, u64)| {
                let q = s.requests[r as usize];
                q.live && q.attempt_id == a && q.server != server
            };
            f.followers.retain(|&w| live(self, w));
            if f.followers.is_empty() {
                continue;
            }
            let (next, _) = f.followers.remove(0);
            let next_server = self.requests[next as usize].server;
            f.leader_server = next_server;
            self.requests[next as usize].flight = flight;
            self.flights.insert(flight, f);
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
