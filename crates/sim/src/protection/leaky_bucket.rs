//! Leaky bucket, as a queue: requests wait in a bucket of `capacity` and leave at
//! exactly `rate` per second; a request finding the bucket full is turned away. Unlike
//! the token bucket it never lets a burst through: it smooths it (at the cost of delay).

use super::{Decision, RateLimiter};

/// When the next request may leave the bucket.
#[derive(Debug)]
pub struct LeakyBucket {
    interval: f64,
    capacity: u32,
    next_departure: f64,
}

impl LeakyBucket {
    /// An empty bucket.
    pub fn new(rate: f64, capacity: u32) -> Self {
        Self {
            interval: 1.0 / rate,
            capacity,
            next_departure: 0.0,
        }
    }
}

impl RateLimiter for LeakyBucket {
    fn decide(&mut self, now: f64) -> Decision {
        let departure = self.next_departure.max(now);
        // Requests already waiting: those due to leave before this one would.
        let waiting = ((departure - now) / self.interval).round() as u64;
        if waiting >= u64::from(self.capacity) {
            return Decision::Reject;
        }
        self.next_departure = departure + self.interval;
        if departure > now {
            Decision::Delay(departure)
        } else {
            Decision::Admit
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protection::tests::admitted;

    #[test]
    fn smooths_a_burst_into_its_rate_and_turns_away_the_overflow() {
        let mut bucket = LeakyBucket::new(10.0, 5);
        let out = admitted(&mut bucket, vec![0.0; 20]);
        // The first leaves at once, four more wait their turn; the rest overflow.
        assert_eq!(out, [0.0, 0.1, 0.2, 0.30000000000000004, 0.4]);
        // Once drained, it admits again.
        assert_eq!(admitted(&mut bucket, [1.0]), [1.0]);
    }
}
