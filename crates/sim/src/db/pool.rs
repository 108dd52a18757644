//! An app server's connection pool: a fixed number of connections and a FIFO of
//! queries waiting for one (as HikariCP or database/sql do).

use super::Ticket;
use std::collections::VecDeque;

/// One server's connections.
#[derive(Debug, Clone, Default)]
pub struct Pool {
    in_use: u32,
    waiting: VecDeque<Ticket>,
}

impl Pool {
    /// Takes a connection if one of `size` is free.
    pub fn try_acquire(&mut self, size: u32) -> bool {
        if self.in_use < size {
            self.in_use += 1;
            true
        } else {
            false
        }
    }

    /// Queues a query (by its ticket) for the next free connection.
    pub fn wait(&mut self, ticket: Ticket) {
        self.waiting.push_back(ticket);
    }

    /// Gives a connection back.
    pub fn release(&mut self) {
        self.in_use -= 1;
    }

    /// The longest-waiting query, if a connection of `size` is free; the caller skips
    /// queries that gave up meanwhile and asks again.
    pub fn next_waiting(&mut self, size: u32) -> Option<Ticket> {
        if self.in_use >= size {
            return None;
        }
        self.waiting.pop_front()
    }

    /// Connections held now.
    pub fn in_use(&self) -> u32 {
        self.in_use
    }
    /// Queries waiting (some may have given up and not been skipped yet).
    /// The tickets in line, the first first; some may be void (their query has ended,
    /// its server lost), which the database skips when it grants.
    pub fn waiting(&self) -> impl Iterator<Item = Ticket> + '_ {
        self.waiting.iter().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pool_hands_connections_out_in_order_of_waiting() {
        let mut pool = Pool::default();
        assert!(pool.try_acquire(1));
        assert!(!pool.try_acquire(1));
        pool.wait((7, 1));
        pool.wait((8, 2));
        assert_eq!(pool.next_waiting(1), None);
        pool.release();
        assert_eq!(pool.next_waiting(1), Some((7, 1)));
    }
}
