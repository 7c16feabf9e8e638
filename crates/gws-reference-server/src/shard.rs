//! A sharded map keyed by string: many short, independent critical sections instead of one
//! global lock on the hot path. Locks are `std::sync::Mutex`, never held across an `.await`.

use std::{
    collections::HashMap,
    hash::{BuildHasher, RandomState},
    sync::{Mutex, MutexGuard},
};

const SHARDS: usize = 16;

/// A `String → V` map split over 16 mutex-guarded shards.
#[derive(Debug)]
pub struct Sharded<V> {
    // Keys are hashed with a per-map random seed, so clients cannot aim at one shard.
    hasher: RandomState,
    shards: Vec<Mutex<HashMap<String, V>>>,
}

impl<V> Default for Sharded<V> {
    fn default() -> Self {
        Self {
            hasher: RandomState::new(),
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
        }
    }
}

impl<V: Clone> Sharded<V> {
    fn shard(&self, key: &str) -> MutexGuard<'_, HashMap<String, V>> {
        let i = (self.hasher.hash_one(key) as usize) % SHARDS;
        // A poisoned shard only means another request panicked mid-update; the map is still usable.
        self.shards[i].lock().unwrap_or_else(|e| e.into_inner())
    }
    /// A clone of the value at `key`.
    pub fn get(&self, key: &str) -> Option<V> {
        self.shard(key).get(key).cloned()
    }
    /// Inserts or replaces.
    pub fn insert(&self, key: String, value: V) {
        let mut shard = self.shard(&key);
        shard.insert(key, value);
    }
    /// Inserts or replaces; when the key's shard already holds `max_per_shard` entries, first
    /// evicts the entry with the smallest `age_key` (e.g. the oldest creation time).
    pub fn insert_capped<K: Ord>(
        &self,
        key: String,
        value: V,
        max_per_shard: usize,
        age_key: impl Fn(&V) -> K,
    ) {
        let mut shard = self.shard(&key);
        if shard.len() >= max_per_shard && !shard.contains_key(&key) {
            let oldest = shard
                .iter()
                .min_by_key(|(_, v)| age_key(v))
                .map(|(k, _)| k.clone());
            if let Some(k) = oldest {
                shard.remove(&k);
            }
        }
        shard.insert(key, value);
    }
    /// Number of entries (locks one shard at a time).
    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().unwrap_or_else(|e| e.into_inner()).len())
            .sum()
    }
    /// Removes and returns the value at `key`.
    pub fn remove(&self, key: &str) -> Option<V> {
        self.shard(key).remove(key)
    }
    /// Clones of every value (locks one shard at a time).
    pub fn values(&self) -> Vec<V> {
        self.shards
            .iter()
            .flat_map(|s| {
                s.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .values()
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_insert_evicts_the_oldest_of_a_full_shard() {
        let map: Sharded<u32> = Sharded::default();
        for i in 0..200u32 {
            map.insert_capped(format!("k{i}"), i, 2, |v| *v);
        }
        assert!(map.len() <= 2 * SHARDS, "{}", map.len());
        // The newest entry always survives.
        assert_eq!(map.get("k199"), Some(199));
        assert!(map.get("k0").is_none());
        map.insert_capped("k199".into(), 1000, 2, |v| *v);
        assert_eq!(map.get("k199"), Some(1000));
    }
}
