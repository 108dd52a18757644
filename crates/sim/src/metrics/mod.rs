//! Measures: per window of simulated time, and cumulative since the start.
//!
//! Latencies go into HDR histograms (microsecond resolution, 3 significant digits),
//! so percentiles cost constant memory however long a run goes. The window series is a
//! ring of at most [`MAX_WINDOWS`] entries for the same reason.

mod reason;
mod span;
mod tally;
mod window;

pub use reason::{Reason, RefusedAt, Rejections};
pub use span::{SpanStats, TotalsMark};
pub use tally::{Bucket, Percentiles};
pub use window::{CacheWindow, ServerWindow, WindowStats};

use crate::cache::CacheStats;
use crate::db::{DbSnapshot, DbWindow};
use crate::server::{Server, ServerStats};
use std::collections::VecDeque;
use tally::Tally;

/// Windows kept for the charts; older ones are dropped.
pub const MAX_WINDOWS: usize = 1_800;

/// Called with each window as it closes (the CLI streams them to a CSV file).
pub type WindowSink = Box<dyn FnMut(&WindowStats)>;

/// How a client learned that its request failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Its last attempt was refused.
    Refused,
    /// It stopped waiting (its timeout, or a user's patience).
    GaveUp,
}

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
    /// Answers since the autoscaler last read their p99, while it measures p99.
    recent: Option<Tally>,
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
            recent: None,
        }
    }

    /// Keeps the latencies of answers between readings of [`Metrics::take_recent_p99`]
    /// (or stops): only while an autoscaler measures p99, as it costs a histogram.
    pub(crate) fn keep_recent_latency(&mut self, keep: bool) {
        match (keep, &self.recent) {
            (true, None) => self.recent = Some(Tally::new()),
            (false, Some(_)) => self.recent = None,
            _ => {}
        }
    }

    /// The p99 latency of the answers since the last call, in seconds, and starts
    /// again; `None` if none were answered or none are kept.
    pub(crate) fn take_recent_p99(&mut self) -> Option<f64> {
        let recent = self.recent.as_mut()?;
        let p99 = (recent.completions > 0).then(|| recent.percentiles().p99);
        recent.reset();
        p99
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
            failed: w.failed,
            gave_up: w.gave_up,
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
            // A server booting all window long is not running yet: none of its figures
            // mean anything (its utilisation would read 0 and pull the pool's mean down).
            if now.serving_seconds == before.serving_seconds
                && s.lifecycle() == crate::server::Lifecycle::Booting
            {
                continue;
            }
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

    /// A client learned that its request failed: refused with no retry left, or given up
    /// on.
    pub fn client_failure(&mut self, how: Failure) {
        let gave_up = u64::from(how == Failure::GaveUp);
        for tally in [&mut self.window, &mut self.total] {
            tally.failed += 1;
            tally.gave_up += gave_up;
        }
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
        self.window.answered(latency, micros, late);
        self.total.answered(latency, micros, late);
        if let Some(recent) = &mut self.recent {
            recent.answered(latency, micros, late);
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
    /// Requests whose client learned they failed, since the start.
    pub fn failed(&self) -> u64 {
        self.total.failed
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
        self.total.buckets()
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
