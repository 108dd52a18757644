//! Fixed window: at most `limit` requests per window, windows back to back. Simple and
//! cheap, but a client can send `limit` at the end of one window and `limit` at the
//! start of the next: twice the limit within one window's length.

use super::{Decision, RateLimiter};

/// The current window and its count.
#[derive(Debug)]
pub struct FixedWindow {
    limit: u32,
    window: f64,
    index: i64,
    count: u32,
}

impl FixedWindow {
    /// No request counted yet.
    pub fn new(limit: u32, window: f64) -> Self {
        Self {
            limit,
            window,
            index: -1,
            count: 0,
        }
    }
}

impl RateLimiter for FixedWindow {
    fn decide(&mut self, now: f64) -> Decision {
        let index = (now / self.window).floor() as i64;
        if index != self.index {
            self.index = index;
            self.count = 0;
        }
        if self.count < self.limit {
            self.count += 1;
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
    fn lets_twice_the_limit_through_across_a_boundary() {
        let mut window = FixedWindow::new(10, 1.0);
        // 20 requests just before the boundary at t = 1, 20 just after.
        let mut times = steady(20, 0.9, 1.0);
        times.extend(steady(20, 1.0, 1.1));
        let out = admitted(&mut window, times);
        assert_eq!(out.len(), 20, "10 + 10 within 0.2 s");
    }
}
