//! Each row's committed version, and when the replicas will have it.
//!
//! Only written rows have an entry: a row never written is at version 0 everywhere.

use crate::cache::{Key, KeyMap};

/// Row versions.
#[derive(Debug, Clone, Default)]
pub struct Versions {
    rows: KeyMap<Row>,
}

#[derive(Debug, Clone, Copy)]
struct Row {
    version: u64,
    /// When the replicas apply the latest version.
    visible_at: f64,
}

impl Versions {
    /// The latest committed version of `key` (on the primary).
    pub fn committed(&self, key: Key) -> u64 {
        self.rows.get(&key).map_or(0, |r| r.version)
    }

    /// Commits a write to `key` that replicas apply at `visible_at`; returns the new version.
    pub fn commit(&mut self, key: Key, visible_at: f64) -> u64 {
        let row = self.rows.entry(key).or_insert(Row {
            version: 0,
            visible_at,
        });
        row.version += 1;
        row.visible_at = visible_at;
        row.version
    }

    /// The committed version of `key`, and the one a replica serves at `now` (one behind
    /// while the latest has not reached it), from one lookup.
    pub fn committed_and_on_replica(&self, key: Key, now: f64) -> (u64, u64) {
        match self.rows.get(&key) {
            Some(r) if now < r.visible_at => (r.version, r.version - 1),
            Some(r) => (r.version, r.version),
            None => (0, 0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replica_serves_the_old_version_until_the_lag_has_passed() {
        let mut v = Versions::default();
        assert_eq!(v.commit(5, 1.5), 1);
        assert_eq!(v.committed(5), 1);
        assert_eq!(v.committed_and_on_replica(5, 1.0), (1, 0));
        assert_eq!(v.committed_and_on_replica(5, 1.5), (1, 1));
        assert_eq!(v.committed_and_on_replica(6, 1.0), (0, 0));
    }
}
