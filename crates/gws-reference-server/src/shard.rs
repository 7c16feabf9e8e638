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
