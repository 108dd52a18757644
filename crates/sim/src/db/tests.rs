//! Each database mechanism's defining behaviour, driven without the engine.

use super::*;
use crate::dist::Distribution;
use crate::event::EventQueue;
use crate::rng::{stream, Stream};

const fn constant(seconds: f64) -> Distribution {
    Distribution::Constant { seconds }
}

/// A database with fixed times: no network, 10 ms per query, no lag, one shard, no
/// replicas, a large pool and no timeout.
fn fixed() -> Database {
    Database {
        network: constant(0.0),
        processing: constant(0.01),
        disk: constant(0.0),
        replicas: 0,
        replication_lag: constant(0.0),
        pool_size: 1000,
        pool_timeout_seconds: None,
        node_concurrency: 1,
        ..Database::default()
    }
}

/// Runs a database on its own event list, collecting answers with their times.
struct Harness {
    db: Db,
    events: EventQueue<DbEvent>,
    fx: Vec<Effect>,
    answers: Vec<(RequestId, QueryResult, f64)>,
    now: f64,
    next_request: RequestId,
}

impl Harness {
    fn new(config: Database) -> Self {
        Self {
            db: Db::new(config, 1000, stream(1, Stream::Database)),
            events: EventQueue::default(),
            fx: Vec::new(),
            answers: Vec::new(),
            now: 0.0,
            next_request: 0,
        }
    }

    /// Runs to `at`, then sends a query from server 0; returns its request number.
    fn query_at(&mut self, at: f64, key: Key, write: bool) -> RequestId {
        self.run_until(at);
        let request = self.next_request;
        self.next_request += 1;
        self.db
            .submit(at, 0.0, 0, (request, 0), key, write, &mut self.fx);
        self.apply();
        request
    }

    fn apply(&mut self) {
        for effect in self.fx.drain(..) {
            match effect {
                Effect::Schedule(at, event) => self.events.push(at, event),
                Effect::Answered {
                    request, result, ..
                } => self.answers.push((request, result, self.now)),
            }
        }
    }

    fn run_until(&mut self, until: f64) {
        while self.events.peek_time().is_some_and(|t| t <= until) {
            let (t, event) = self.events.pop().expect("peeked");
            self.now = t;
            self.db.handle(t, event, &mut self.fx);
            self.apply();
        }
        self.now = until;
    }

    fn run(&mut self) {
        self.run_until(f64::INFINITY);
    }

    fn result(&self, request: RequestId) -> (QueryResult, f64) {
        let &(_, result, at) = self
            .answers
            .iter()
            .find(|a| a.0 == request)
            .expect("answered");
        (result, at)
    }
}

#[test]
fn a_node_runs_its_concurrency_and_queues_the_rest() {
    let mut h = Harness::new(fixed());
    let a = h.query_at(0.0, 1, false);
    let b = h.query_at(0.0, 2, false);
    h.run();
    assert!((h.result(a).1 - 0.01).abs() < 1e-12);
    assert!((h.result(b).1 - 0.02).abs() < 1e-12, "b waited for a");
}

#[test]
fn a_full_pool_makes_queries_wait_and_a_timeout_fails_them() {
    let mut h = Harness::new(Database {
        pool_size: 1,
        pool_timeout_seconds: Some(0.015),
        ..fixed()
    });
    let first = h.query_at(0.0, 1, false);
    let second = h.query_at(0.0, 2, false);
    let third = h.query_at(0.0, 3, false);
    h.run();
    assert_eq!(
        h.result(first).0,
        QueryResult::Ok {
            version: 0,
            stale: false
        }
    );
    assert!(
        (h.result(second).1 - 0.02).abs() < 1e-12,
        "second got first's connection"
    );
    assert_eq!(
        h.result(third),
        (QueryResult::Failed(Failure::PoolTimeout), 0.015)
    );
    let s = h.db.stats();
    assert_eq!((s.pool_waits, s.pool_timeouts), (2, 1));
    assert!((s.pool_wait_seconds - 0.025).abs() < 1e-12, "{s:?}");
}

#[test]
fn stale_reads_need_both_replicas_and_lag() {
    let stale_reads = |replicas: u32, lag: f64| {
        let mut h = Harness::new(Database {
            replicas,
            replication_lag: constant(lag),
            node_concurrency: 100,
            ..fixed()
        });
        for i in 0..100 {
            let t = f64::from(i) * 0.1;
            h.query_at(t, 7, true);
            h.query_at(t + 0.02, 7, false);
        }
        h.run();
        h.db.stats().stale_reads
    };
    assert_eq!(stale_reads(2, 0.5), 100, "every read lands inside the lag");
    assert_eq!(stale_reads(0, 0.5), 0, "the primary is never stale");
    assert_eq!(stale_reads(2, 0.0), 0, "no lag, no stale read");
}

#[test]
fn pessimistic_locks_serialise_writes_to_one_row() {
    let mut h = Harness::new(Database {
        locking: Locking::Pessimistic,
        node_concurrency: 10,
        ..fixed()
    });
    let writes: Vec<_> = (0..3).map(|_| h.query_at(0.0, 5, true)).collect();
    let other = h.query_at(0.0, 6, true);
    h.run();
    let times: Vec<f64> = writes.iter().map(|&w| h.result(w).1).collect();
    assert!((times[2] - 0.03).abs() < 1e-12, "{times:?}");
    assert!(
        (h.result(other).1 - 0.01).abs() < 1e-12,
        "another row is not blocked"
    );
    let s = h.db.stats();
    assert_eq!(s.lock_waits, 2);
    assert!((s.lock_wait_seconds - 0.03).abs() < 1e-12, "{s:?}");
    assert_eq!(h.db.locked_rows(), 0);
}

#[test]
fn optimistic_conflicts_rise_with_contention() {
    let conflict_rate = |rows: u64| {
        let mut h = Harness::new(Database {
            locking: Locking::Optimistic { max_retries: 3 },
            processing: Distribution::Exponential { mean_seconds: 0.01 },
            node_concurrency: 50,
            ..fixed()
        });
        for i in 0..2000u64 {
            h.query_at(i as f64 * 0.001, i % rows, true);
        }
        h.run();
        h.db.stats().conflicts as f64 / 2000.0
    };
    let (spread, hot) = (conflict_rate(1000), conflict_rate(2));
    assert!(spread < 0.05, "{spread}");
    assert!(hot > 0.5, "{hot}");
}

#[test]
fn optimistic_writes_fail_after_their_last_retry() {
    let mut h = Harness::new(Database {
        locking: Locking::Optimistic { max_retries: 0 },
        node_concurrency: 10,
        ..fixed()
    });
    let a = h.query_at(0.0, 5, true);
    let b = h.query_at(0.0, 5, true);
    h.run();
    assert_eq!(
        h.result(a).0,
        QueryResult::Ok {
            version: 1,
            stale: false
        }
    );
    assert_eq!(h.result(b).0, QueryResult::Failed(Failure::Conflict));
    assert_eq!(h.db.stats().conflict_failures, 1);
}

#[test]
fn without_an_index_a_query_scans_and_grows_with_the_table() {
    let time = |indexed: bool, rows: u64| {
        let mut h = Harness::new(Database {
            indexed,
            rows,
            scan_seconds_per_million_rows: 0.1,
            ..fixed()
        });
        let q = h.query_at(0.0, 1, false);
        h.run();
        h.result(q).1
    };
    assert!((time(true, 10_000_000) - 0.01).abs() < 1e-12);
    assert!((time(false, 1_000_000) - 0.11).abs() < 1e-12);
    assert!((time(false, 10_000_000) - 1.01).abs() < 1e-12);
}

#[test]
fn reads_spread_over_replicas_and_writes_stay_on_the_primary() {
    let mut h = Harness::new(Database {
        replicas: 2,
        ..fixed()
    });
    for i in 0..6 {
        h.query_at(f64::from(i), 1, false);
    }
    h.query_at(10.0, 1, true);
    h.run();
    let started: Vec<u64> = h.db.nodes().map(Node::started).collect();
    assert_eq!(started, [1, 3, 3]);
}

#[test]
fn a_crash_fails_what_the_nodes_hold_and_later_arrivals() {
    let mut h = Harness::new(fixed());
    let running = h.query_at(0.0, 1, false);
    let queued = h.query_at(0.0, 2, false);
    h.run_until(0.005);
    h.db.crash(0.005, &mut h.fx);
    h.apply();
    let later = h.query_at(0.006, 3, false);
    h.run();
    for q in [running, queued, later] {
        assert_eq!(h.result(q).0, QueryResult::Failed(Failure::Error));
    }
    h.db.recover(1.0, &mut h.fx);
    let after = h.query_at(1.0, 4, false);
    h.run();
    assert_eq!(
        h.result(after).0,
        QueryResult::Ok {
            version: 0,
            stale: false
        }
    );
}

#[test]
fn the_write_queue_delays_commits_and_its_depth_is_integrated() {
    let queue = |order: QueueOrder| Database {
        write_queue: Some(WriteQueueConfig {
            order,
            consumers: 1,
            urgent_share: 0.5,
        }),
        ..fixed()
    };
    let mut h = Harness::new(queue(QueueOrder::Fifo));
    for key in 0..10 {
        h.db.enqueue_write(0.0, key, &mut h.fx);
    }
    h.apply();
    assert_eq!(h.db.queue_depth(), 9);
    h.run();
    let s = h.db.stats().clone();
    assert_eq!((s.queue_enqueued, s.queue_written), (10, 10));
    assert!((s.queue_lag_max - 0.1).abs() < 1e-12, "{s:?}");
    assert!((s.queue_lag_seconds - 0.55).abs() < 1e-9, "{s:?}");
    // 9 waiting for 10 ms, 8 for the next 10 ms, ...: 0.45 message-seconds.
    h.db.integrate(1.0);
    assert!((h.db.stats().queue_depth_area - 0.45).abs() < 1e-9);
}

#[test]
fn a_lost_server_drops_its_waiting_queries() {
    let mut h = Harness::new(Database {
        pool_size: 1,
        ..fixed()
    });
    h.query_at(0.0, 1, false);
    h.query_at(0.0, 2, false);
    h.db.server_lost(0.0, 0);
    h.run();
    assert!(h.answers.is_empty(), "{:?}", h.answers);
    assert_eq!(h.db.pool_state(0), (0, 0));
}

#[test]
fn a_queued_write_is_visible_after_its_commit_and_the_replication_lag() {
    let lag = |replicas: u32| {
        let mut h = Harness::new(Database {
            replicas,
            replication_lag: constant(0.2),
            write_queue: Some(WriteQueueConfig {
                order: QueueOrder::Fifo,
                consumers: 1,
                urgent_share: 0.0,
            }),
            ..fixed()
        });
        h.db.enqueue_write(0.0, 1, &mut h.fx);
        h.apply();
        h.run();
        h.db.stats().queue_lag_max
    };
    assert!(
        (lag(0) - 0.01).abs() < 1e-12,
        "the primary serves reads: commit"
    );
    assert!(
        (lag(2) - 0.21).abs() < 1e-12,
        "replicas serve reads: commit + lag"
    );
}

#[test]
fn priority_order_shortens_the_urgent_writes_lag() {
    let urgent_and_all = |order| {
        let mut h = Harness::new(Database {
            write_queue: Some(WriteQueueConfig {
                order,
                consumers: 1,
                urgent_share: 0.2,
            }),
            ..fixed()
        });
        // A burst of 200 writes: the queue drains over 2 s.
        for key in 0..200 {
            h.db.enqueue_write(0.0, key, &mut h.fx);
        }
        h.apply();
        h.run();
        let s = h.db.stats();
        (
            s.queue_urgent_lag_seconds / s.queue_urgent_written as f64,
            s.queue_lag_seconds / s.queue_written as f64,
        )
    };
    let (fifo_urgent, fifo_all) = urgent_and_all(QueueOrder::Fifo);
    let (priority_urgent, priority_all) = urgent_and_all(QueueOrder::Priority);
    assert!(
        (fifo_urgent - fifo_all).abs() < 0.2,
        "{fifo_urgent} {fifo_all}"
    );
    assert!(
        priority_urgent < 0.5 * fifo_urgent,
        "{priority_urgent} {fifo_urgent}"
    );
    assert!(
        (priority_all - fifo_all).abs() < 1e-9,
        "the same work, reordered"
    );
}

#[test]
fn new_layouts_reuse_idle_nodes_so_the_table_stays_small() {
    let mut h = Harness::new(fixed());
    let busy = h.query_at(0.0, 1, false);
    for replicas in [1, 2, 3, 0, 3, 1, 2] {
        let config = Database {
            replicas,
            ..fixed()
        };
        h.db.reconfigure(config, 1000, 0.001, &mut h.fx);
        h.apply();
    }
    // At most: the busy node and the largest layout (4 nodes), plus a little churn.
    assert!(h.db.nodes.len() <= 8, "{} nodes", h.db.nodes.len());
    let before = h.db.snapshot();
    h.run();
    let after = h.db.snapshot();
    let window = DbWindow::between(&before, &after, 1.0);
    assert_eq!(
        window.nodes.len(),
        3,
        "the current layout: a primary and 2 replicas"
    );
    assert!(matches!(h.result(busy).0, QueryResult::Ok { .. }));
}

#[test]
fn switching_pessimistic_to_optimistic_releases_the_locks_of_failing_writes() {
    // Found by the drain property: a write holding its row's lock under pessimistic
    // locking, failing as an optimistic conflict after a switch, kept the lock, and the
    // writes queued behind it waited for ever.
    let config = |locking| Database {
        locking,
        node_concurrency: 10,
        processing: Distribution::Exponential { mean_seconds: 0.01 },
        ..fixed()
    };
    let mut h = Harness::new(config(Locking::Pessimistic));
    let writes: Vec<_> = (0..40)
        .map(|i| h.query_at(f64::from(i) * 0.001, 5, true))
        .collect();
    h.run_until(0.02);
    h.db.reconfigure(
        config(Locking::Optimistic { max_retries: 0 }),
        1000,
        0.02,
        &mut h.fx,
    );
    h.apply();
    let more: Vec<_> = (0..40)
        .map(|i| h.query_at(0.02 + f64::from(i) * 0.001, 5, true))
        .collect();
    h.run();
    assert!(h.db.stats().conflict_failures > 0, "the conflict path ran");
    for w in writes.iter().chain(&more) {
        let _ = h.result(*w);
    }
    assert_eq!(h.db.locked_rows(), 0);
}

#[test]
fn a_write_planned_for_the_queue_is_written_even_if_the_queue_is_switched_off() {
    let queued = Database {
        write_queue: Some(WriteQueueConfig {
            order: QueueOrder::Fifo,
            consumers: 1,
            urgent_share: 0.0,
        }),
        ..fixed()
    };
    let mut h = Harness::new(queued);
    h.db.reconfigure(fixed(), 1000, 0.0, &mut h.fx);
    h.db.enqueue_write(0.0, 3, &mut h.fx);
    h.apply();
    h.run();
    assert_eq!(h.db.stats().queue_written, 1);
    assert_eq!(h.db.committed_version(3), 1);
}
