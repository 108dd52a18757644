//! Which shard holds a key: by hash or by range.

use super::config::Sharding;
use crate::cache::Key;
use crate::rng::splitmix64;

/// The shard of `key` among `shards`, with `key_space` keys in all (0 to key_space − 1).
pub fn shard_of(key: Key, sharding: Sharding, shards: u32, key_space: u64) -> u32 {
    if shards <= 1 {
        return 0;
    }
    match sharding {
        // SplitMix64 (as the hashing balancers use): neighbouring keys land far apart.
        Sharding::Hash => (splitmix64(key) % u64::from(shards)) as u32,
        Sharding::Range => {
            let slice = key_space.div_ceil(u64::from(shards)).max(1);
            ((key / slice) as u32).min(shards - 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_sharding_keeps_neighbours_together_and_hash_spreads_them() {
        let range: Vec<u32> = (0..8).map(|k| shard_of(k, Sharding::Range, 4, 8)).collect();
        assert_eq!(range, [0, 0, 1, 1, 2, 2, 3, 3]);
        let mut counts = [0u32; 4];
        for k in 0..4000 {
            counts[shard_of(k, Sharding::Hash, 4, 4000) as usize] += 1;
        }
        assert!(
            counts.iter().all(|&c| (900..1100).contains(&c)),
            "{counts:?}"
        );
        assert_eq!(shard_of(12345, Sharding::Hash, 1, 10), 0);
    }
}
