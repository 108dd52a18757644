//! Sliding window (log): at most `limit` requests in any span of `window_seconds`. It
//! remembers the admission times within the last window (at most `limit` of them), so
//! the boundary burst of the fixed window cannot happen.

use super::{Decision, RateLimiter};
use std::collections::VecDeque;

/// Admission times within the last window.
#[derive(Debug)]
pub struct SlidingWindow {
    limit: u32,
    window: f64,
    admitted: VecDeque<f64>,
}

impl SlidingWindow {
    /// Nothing admitted yet.
    pub fn new(limit: u32, window: f64) -> Self {
        Self {
            limit,
            window,
            admitted: VecDeque::new(),
        }
    }
}

impl RateLimiter for SlidingWindow {
    fn decide(&mut self, now: f64) -> Decision {
        while self
            .admitted
            .front()
            .is_some_and(|&t| t <= now - self.window)
        {
            self.admitted.pop_front();
        }
        if self.admitted.len() < self.limit as usize {
            self.admitted.push_back(now);
            Decision::Admit
        } else {
            Decision::Reject
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protection::tests::{admitted, steady};

    #[test]
    fn never_exceeds_the_limit_in_any_window() {
        let mut window = SlidingWindow::new(10, 1.0);
        let mut times = steady(20, 0.9, 1.0);
        times.extend(steady(20, 1.0, 1.1));
        times.extend(steady(50, 1.1, 3.0));
        let out = admitted(&mut window, times);
        assert_eq!(
            out.iter().filter(|&&t| t < 1.1).count(),
            10,
            "no boundary burst"
        );
        for &start in &out {
            let in_window = out
                .iter()
                .filter(|&&t| t >= start && t < start + 1.0)
                .count();
            assert!(in_window <= 10, "{in_window} in the window from {start}");
        }
    }
}
