//! Measures: per window of simulated time, and cumulative since the start.
//!
//! Latencies go into HDR histograms (microsecond resolution, 3 significant digits),
//! so percentiles cost constant memory however long a run goes. The window series is a
//! ring of at most [`MAX_WINDOWS`] entries for the same reason.

use crate::cache::CacheStats;
use crate::db::{DbSnapshot, DbWindow};
use crate::server::{Server, ServerStats};
use hdrhistogram::Histogram;
use serde::Serialize;
use std::collections::VecDeque;

/// Windows kept for the charts; older ones are dropped.
pub const MAX_WINDOWS: usize = 1_800;

/// Largest latency the histograms resolve: one hour, in microseconds.
const MAX_LATENCY_MICROS: u64 = 3_600_000_000;

/// Why a request got no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The chosen server's queue was full.
    QueueFull,
    /// The chosen server was dead (refused, or lost with it).
    ServerDown,
    /// The balancer had no healthy server.
    NoServer,
    /// The rate limiter turned it away.
    RateLimited,
    /// The concurrency limit was reached.
    ConcurrencyLimited,
    /// It waited in a queue longer than the shedding threshold.
    Shed,
    /// Its database query failed (an error, or the database was down).
    DatabaseError,
    /// No database connection came free in time.
    PoolTimeout,
    /// Its write kept conflicting (optimistic locking) until its retries ran out.
    WriteConflict,
    /// The circuit breaker in front of the database was open.
    CircuitOpen,
}

/// Requests that got no answer, by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Rejections {
    /// Full queue.
    pub queue_full: u64,
    /// Dead server.
    pub server_down: u64,
    /// No healthy server.
    pub no_server: u64,
    /// Rate limiter.
    pub rate_limited: u64,
    /// Concurrency limit.
    pub concurrency_limited: u64,
    /// Shed after waiting too long.
    pub shed: u64,
    /// The database query failed.
    pub database_error: u64,
    /// No database connection in time.
    pub pool_timeout: u64,
    /// Optimistic write conflicts beyond the retries.
    pub write_conflict: u64,
    /// The circuit breaker was open: failed at once.
    pub circuit_open: u64,
}

impl Rejections {
    /// All reasons together.
    pub fn total(&self) -> u64 {
        self.queue_full
            + self.server_down
            + self.no_server
            + self.rate_limited
            + self.concurrency_limited
            + self.shed
            + self.database_error
            + self.pool_timeout
            + self.write_conflict
            + self.circuit_open
    }

    fn count(&mut self, reason: Reason) {
        match reason {
            Reason::QueueFull => self.queue_full += 1,
            Reason::ServerDown => self.server_down += 1,
            Reason::NoServer => self.no_server += 1,
            Reason::RateLimited => self.rate_limited += 1,
            Reason::ConcurrencyLimited => self.concurrency_limited += 1,
            Reason::Shed => self.shed += 1,
            Reason::DatabaseError => self.database_error += 1,
            Reason::PoolTimeout => self.pool_timeout += 1,
            Reason::WriteConflict => self.write_conflict += 1,
            Reason::CircuitOpen => self.circuit_open += 1,
        }
    }
}

/// Latency summary, in seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Percentiles {
    /// Arithmetic mean.
    pub mean: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Largest seen.
    pub max: f64,
}

/// Cache figures over a window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct CacheWindow {
    /// Lookups that hit.
    pub hits: u64,
    /// Lookups that missed.
    pub misses: u64,
    /// Hits over lookups (0 without lookups).
    pub hit_rate: f64,
}

/// One server over a window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServerWindow {
    /// The server's id.
    pub id: u32,
    /// Requests routed to it.
    pub routed: u64,
    /// Requests it answered.
    pub completed: u64,
    /// Busy fraction of its workers.
    pub utilisation: f64,
    /// Busy fraction of its cores.
    pub cpu_utilisation: f64,
    /// Time-average queue length.
    pub mean_queue: f64,
    /// Lookups in this server's own cache that hit (local placement; 0 otherwise).
    pub cache_hits: u64,
    /// Lookups in this server's own cache that missed (local placement; 0 otherwise).
    pub cache_misses: u64,
}

/// Closed-window figures: what a chart plots at one x.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WindowStats {
    /// Simulated start time, in seconds.
    pub start: f64,
    /// Simulated end time, in seconds.
    pub end: f64,
    /// Requests that arrived.
    pub arrivals: u64,
    /// Requests answered (in time or late).
    pub completions: u64,
    /// Answers that came after the client's timeout.
    pub timed_out: u64,
    /// Requests that got no answer.
    pub rejections: Rejections,
    /// Retries sent (they count among the arrivals too).
    pub retries: u64,
    /// Seconds of the window the circuit breaker spent open.
    pub circuit_open_seconds: f64,
    /// Answers per second.
    pub throughput: f64,
    /// Answers in time per second.
    pub goodput: f64,
    /// Latency of the answers, in seconds (zeros when none).
    pub latency: Percentiles,
    /// L: time-average number of requests in the system.
    pub mean_in_system: f64,
    /// λW: throughput × mean latency, the other side of Little's law.
    pub throughput_times_latency: f64,
    /// Cache lookups, all caches together.
    pub cache: CacheWindow,
    /// Per server (retired ones left out).
    pub servers: Vec<ServerWindow>,
    /// Database figures, when there is a database.
    pub database: Option<DbWindow>,
}

/// Counts and a latency histogram over some span of time.
#[derive(Debug, Clone)]
struct Tally {
    arrivals: u64,
    retries: u64,
    circuit_open_seconds: f64,
    completions: u64,
    timed_out: u64,
    rejections: Rejections,
    latency: Histogram<u64>,
    latency_sum: f64,
    in_system_area: f64,
}

impl Tally {
    fn new() -> Self {
        Self {
            arrivals: 0,
            retries: 0,
            circuit_open_seconds: 0.0,
            completions: 0,
            timed_out: 0,
            rejections: Rejections::default(),
            latency: Histogram::new_with_bounds(1, MAX_LATENCY_MICROS, 3)
                .expect("static histogram bounds are valid"),
            latency_sum: 0.0,
            in_system_area: 0.0,
        }
    }

    fn reset(&mut self) {
        self.arrivals = 0;
        self.retries = 0;
        self.circuit_open_seconds = 0.0;
        self.completions = 0;
        self.timed_out = 0;
        self.rejections = Rejections::default();
        // Clearing zeroes every bucket (hundreds of kilobytes): not for a window that
        // recorded nothing, as idle windows between rare events do.
        if !self.latency.is_empty() {
            self.latency.reset();
        }
        self.latency_sum = 0.0;
        self.in_system_area = 0.0;
    }

    fn mean_latency(&self) -> f64 {
        if self.completions == 0 {
            0.0
        } else {
            self.latency_sum / self.completions as f64
        }
    }

    fn percentiles(&self) -> Percentiles {
        let h = &self.latency;
        if h.is_empty() {
            return Percentiles::default();
        }
        // Division, not multiplication by 1e-6: 54975 µs prints as 0.054975.
        let secs = |micros: u64| micros as f64 / 1e6;
        Percentiles {
            mean: self.mean_latency(),
            p50: secs(h.value_at_quantile(0.50)),
            p90: secs(h.value_at_quantile(0.90)),
            p95: secs(h.value_at_quantile(0.95)),
            p99: secs(h.value_at_quantile(0.99)),
            max: secs(h.max()),
        }
    }
}

/// One bar of the latency histogram: answers with latency up to `le_seconds`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bucket {
    /// Upper bound, in seconds.
    pub le_seconds: f64,
    /// Answers in this bar (above the previous bound).
    pub count: u64,
}

/// Called with each window as it closes (the CLI streams them to a CSV file).
pub type WindowSink = Box<dyn FnMut(&WindowStats)>;

/// All measures of a run.
pub struct Metrics {
    window_seconds: f64,
    next_window_seconds: f64,
    window_start: f64,
    window: Tally,
    total: Tally,
    previous_servers: Vec<ServerStats>,
    previous_cache: CacheStats,
    previous_local: Vec<CacheStats>,
    previous_db: DbSnapshot,
    windows: VecDeque<WindowStats>,
    windows_closed: u64,
    sink: Option<WindowSink>,
    /// Idle windows passed over since the last close, as (start of the first, count):
    /// the sink hears them, as copies of the next window, when that one closes.
    passed_over: Option<(f64, u64)>,
}

impl Metrics {
    /// Empty measures with windows of `window_seconds`.
    pub fn new(window_seconds: f64) -> Self {
        Self {
            window_seconds,
            next_window_seconds: window_seconds,
            window_start: 0.0,
            window: Tally::new(),
            total: Tally::new(),
            previous_servers: Vec::new(),
            previous_cache: CacheStats::default(),
            previous_local: Vec::new(),
            previous_db: DbSnapshot::default(),
            windows: VecDeque::new(),
            windows_closed: 0,
            sink: None,
            passed_over: None,
        }
    }

    /// Calls `sink` with every window from now on, beyond the ring's reach.
    pub fn set_sink(&mut self, sink: WindowSink) {
        self.sink = Some(sink);
    }

    /// When the current window ends.
    pub fn window_end(&self) -> f64 {
        self.window_start + self.window_seconds
    }

    /// Windows from the next one on last `seconds`.
    pub fn set_window_seconds(&mut self, seconds: f64) {
        // The window in progress keeps its length: shortening it could put its end
        // before the clock.
        self.next_window_seconds = seconds;
    }

    /// `in_system` requests were present for `dt` seconds.
    pub fn add_presence(&mut self, in_system: usize, dt: f64) {
        let area = in_system as f64 * dt;
        self.window.in_system_area += area;
        self.total.in_system_area += area;
    }

    /// Closes the current window at its end, reading the servers', caches' and
    /// database's counters (`local`: each server's own cache, by server index, when
    /// caches are local).
    pub fn close_window(
        &mut self,
        servers: &[Server],
        cache: CacheStats,
        local: &[CacheStats],
        db: Option<DbSnapshot>,
    ) {
        let end = self.window_end();
        let span = self.window_seconds;
        let w = &self.window;
        let hits = cache.hits - self.previous_cache.hits;
        let misses = cache.misses - self.previous_cache.misses;
        let throughput = w.completions as f64 / span;
        let stats = WindowStats {
            start: self.window_start,
            end,
            arrivals: w.arrivals,
            completions: w.completions,
            timed_out: w.timed_out,
            rejections: w.rejections,
            retries: w.retries,
            circuit_open_seconds: w.circuit_open_seconds,
            throughput,
            goodput: (w.completions - w.timed_out) as f64 / span,
            latency: w.percentiles(),
            mean_in_system: w.in_system_area / span,
            throughput_times_latency: throughput * w.mean_latency(),
            cache: CacheWindow {
                hits,
                misses,
                hit_rate: ratio(hits, hits + misses),
            },
            servers: self.server_windows(servers, local, span),
            database: db
                .as_ref()
                .map(|now| DbWindow::between(&self.previous_db, now, span)),
        };
        self.remember(servers, cache, local, db);
        if let Some(sink) = &mut self.sink {
            // Windows passed over were idle like this one: the sink hears each of them.
            if let Some((first, count)) = self.passed_over.take() {
                let mut idle = stats.clone();
                for k in 0..count {
                    idle.start = first + k as f64 * span;
                    idle.end = idle.start + span;
                    sink(&idle);
                }
            }
            sink(&stats);
        }
        if self.windows.len() == MAX_WINDOWS {
            self.windows.pop_front();
        }
        self.windows.push_back(stats);
        self.windows_closed += 1;
        self.window.reset();
        self.window_start = end;
        self.window_seconds = self.next_window_seconds;
    }

    /// How many of the windows that end by `to` can be passed over unrecorded: all but
    /// the last [`MAX_WINDOWS`] (the ring keeps no more), if the window length is
    /// settled. `None` when there are too few to bother.
    ///
    /// The caller promises that nothing happens before `to`: every window passed over
    /// would read the same, and closing them one by one costs time in proportion to the
    /// gap (a think time of a day in windows of 10 ms is 8.6 million windows). A sink
    /// still hears each one (see [`Metrics::skip_windows`]), so a run's totals do not
    /// depend on whether a time series is written.
    pub(crate) fn idle_windows_to_skip(&self, to: f64) -> Option<u64> {
        if self.window_seconds != self.next_window_seconds {
            return None;
        }
        let ahead = ((to - self.window_start) / self.window_seconds).floor();
        // Two spare windows: closing one by one adds the length each time, and the sum
        // can miss the product by a window at the end.
        let keep = MAX_WINDOWS as f64 + 2.0;
        (ahead > 2.0 * keep).then_some((ahead - keep) as u64)
    }

    /// When the window after the next `count` would start.
    pub(crate) fn start_after(&self, count: u64) -> f64 {
        self.window_start + count as f64 * self.window_seconds
    }

    /// Passes over `count` idle windows (see [`Metrics::idle_windows_to_skip`]) without
    /// recording them: the counters are read, as a close would, so the next window
    /// measures only itself. What the gap added to the totals stays. A sink hears them
    /// when the next window closes, as copies of it (it is idle too).
    pub(crate) fn skip_windows(
        &mut self,
        count: u64,
        servers: &[Server],
        cache: CacheStats,
        local: &[CacheStats],
        db: Option<DbSnapshot>,
    ) {
        self.remember(servers, cache, local, db);
        self.window.reset();
        if self.sink.is_some() {
            self.passed_over = Some((self.window_start, count));
        }
        self.window_start = self.start_after(count);
    }

    /// Keeps the counters as they are now: the next window's figures are the change.
    fn remember(
        &mut self,
        servers: &[Server],
        cache: CacheStats,
        local: &[CacheStats],
        db: Option<DbSnapshot>,
    ) {
        self.previous_servers.clear();
        self.previous_servers
            .extend(servers.iter().map(|s| s.stats().clone()));
        self.previous_local.clear();
        self.previous_local.extend_from_slice(local);
        self.previous_cache = cache;
        if let Some(now) = db {
            self.previous_db = now;
        }
    }

    /// Each running server's figures over the window of `span` seconds.
    fn server_windows(
        &self,
        servers: &[Server],
        local: &[CacheStats],
        span: f64,
    ) -> Vec<ServerWindow> {
        let never = ServerStats::default();
        let mut out = Vec::with_capacity(servers.len());
        for (i, s) in servers.iter().enumerate() {
            if s.lifecycle() == crate::server::Lifecycle::Retired {
                continue;
            }
            let now = s.stats();
            let before = self.previous_servers.get(i).unwrap_or(&never);
            let cache_now = local.get(i).copied().unwrap_or_default();
            let cache_before = self.previous_local.get(i).copied().unwrap_or_default();
            let busy = now.busy_worker_seconds - before.busy_worker_seconds;
            let cpu = now.busy_core_seconds - before.busy_core_seconds;
            out.push(ServerWindow {
                id: s.id(),
                routed: now.routed - before.routed,
                completed: now.completed - before.completed,
                utilisation: ratio_f(busy, now.worker_seconds - before.worker_seconds),
                cpu_utilisation: ratio_f(cpu, now.core_seconds - before.core_seconds),
                mean_queue: (now.queue_seconds - before.queue_seconds) / span,
                cache_hits: cache_now.hits - cache_before.hits,
                cache_misses: cache_now.misses - cache_before.misses,
            });
        }
        out
    }

    /// A request arrived.
    pub fn arrival(&mut self) {
        self.window.arrivals += 1;
        self.total.arrivals += 1;
    }

    /// A retry was sent (its arrival is counted by [`Metrics::arrival`]).
    pub fn retry(&mut self) {
        self.window.retries += 1;
        self.total.retries += 1;
    }

    /// The circuit breaker was open for `seconds`.
    pub fn circuit_open(&mut self, seconds: f64) {
        self.window.circuit_open_seconds += seconds;
        self.total.circuit_open_seconds += seconds;
    }

    /// Seconds the circuit breaker spent open since the start.
    pub fn circuit_open_seconds(&self) -> f64 {
        self.total.circuit_open_seconds
    }

    /// Retries since the start.
    pub fn retries(&self) -> u64 {
        self.total.retries
    }

    /// A request got no answer.
    pub fn rejection(&mut self, reason: Reason) {
        self.window.rejections.count(reason);
        self.total.rejections.count(reason);
    }

    /// A request was answered after `latency` seconds; `late` if past the timeout.
    pub fn completion(&mut self, latency: f64, late: bool) {
        // Rounded to the nearest microsecond (adding ½ then truncating: latencies are
        // never negative, and this is much cheaper than f64::round).
        let micros = ((latency * 1e6 + 0.5) as u64).max(1);
        for tally in [&mut self.window, &mut self.total] {
            tally.completions += 1;
            tally.timed_out += u64::from(late);
            tally.latency.saturating_record(micros);
            tally.latency_sum += latency;
        }
    }

    /// How many windows have closed since the start (passed-over idle ones not counted).
    pub(crate) fn windows_closed(&self) -> u64 {
        self.windows_closed
    }

    /// Closed windows, oldest first (at most [`MAX_WINDOWS`]).
    pub fn windows(&self) -> &VecDeque<WindowStats> {
        &self.windows
    }

    /// Arrivals since the start.
    pub fn arrivals(&self) -> u64 {
        self.total.arrivals
    }
    /// Answers since the start (in time or late).
    pub fn completions(&self) -> u64 {
        self.total.completions
    }
    /// Late answers since the start.
    pub fn timed_out(&self) -> u64 {
        self.total.timed_out
    }
    /// Unanswered requests since the start, by reason.
    pub fn rejections(&self) -> Rejections {
        self.total.rejections
    }
    /// Latency percentiles since the start.
    pub fn latency(&self) -> Percentiles {
        self.total.percentiles()
    }
    /// Exact mean latency since the start, in seconds.
    pub fn mean_latency(&self) -> f64 {
        self.total.mean_latency()
    }
    /// ∫ (number in system) dt since the start.
    pub fn in_system_area(&self) -> f64 {
        self.total.in_system_area
    }

    /// The cumulative latency histogram in bars doubling from 100 µs.
    pub fn histogram(&self) -> Vec<Bucket> {
        self.total
            .latency
            .iter_log(100, 2.0)
            .map(|v| Bucket {
                // The iterator reports the highest value equivalent to the bound (99 µs
                // for 100 µs); the bound itself reads better.
                le_seconds: (v.value_iterated_to() + 1) as f64 / 1e6,
                count: v.count_since_last_iteration(),
            })
            .collect()
    }
}

fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn ratio_f(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        part / whole
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_close_with_their_own_counts() {
        let mut m = Metrics::new(1.0);
        m.arrival();
        m.completion(0.010, false);
        m.arrival();
        m.completion(2.0, true);
        m.rejection(Reason::QueueFull);
        m.add_presence(1, 1.0);
        m.close_window(&[], CacheStats::default(), &[], None);
        m.close_window(&[], CacheStats::default(), &[], None);
        let first = &m.windows()[0];
        assert_eq!(
            (first.arrivals, first.completions, first.timed_out),
            (2, 2, 1)
        );
        assert_eq!((first.throughput, first.goodput), (2.0, 1.0));
        assert_eq!(first.rejections.queue_full, 1);
        assert_eq!(first.mean_in_system, 1.0);
        assert_eq!(m.windows()[1].completions, 0);
        assert_eq!(m.windows()[1].start, 1.0);
    }

    #[test]
    fn a_new_window_length_starts_with_the_next_window() {
        let mut m = Metrics::new(1.0);
        m.set_window_seconds(0.5);
        assert_eq!(m.window_end(), 1.0);
        m.close_window(&[], CacheStats::default(), &[], None);
        assert_eq!(m.window_end(), 1.5);
    }

    #[test]
    fn the_window_ring_is_bounded() {
        let mut m = Metrics::new(1.0);
        for _ in 0..MAX_WINDOWS + 10 {
            m.close_window(&[], CacheStats::default(), &[], None);
        }
        assert_eq!(m.windows().len(), MAX_WINDOWS);
        assert_eq!(m.windows()[0].start, 10.0);
    }

    #[test]
    fn percentiles_and_histogram_come_from_the_recorded_latencies() {
        let mut m = Metrics::new(1.0);
        for ms in 1..=100 {
            m.completion(f64::from(ms) * 1e-3, false);
        }
        let p = m.latency();
        assert!((p.p50 - 0.050).abs() < 1e-4, "{p:?}");
        assert!((p.p99 - 0.099).abs() < 1e-4, "{p:?}");
        assert!((p.max - 0.100).abs() < 1e-4, "{p:?}");
        assert!((m.mean_latency() - 0.0505).abs() < 1e-12);
        let bars = m.histogram();
        assert_eq!(bars.iter().map(|b| b.count).sum::<u64>(), 100);
        assert_eq!(bars[0].le_seconds, 0.0001);
        assert!(bars
            .windows(2)
            .all(|w| w[1].le_seconds == 2.0 * w[0].le_seconds));
    }
}
