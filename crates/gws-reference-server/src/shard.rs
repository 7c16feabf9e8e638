//! A sharded map keyed by string: many short, independent critical sections instead of one
//! global lock on the hot path. Locks are `std::sync::Mutex`, never held across an `.await`.

use std::{
    collections::{HashMap, VecDeque},
    hash::{BuildHasher, RandomState},
    sync::{Mutex, MutexGuard},
};

const SHARDS: usize = 16;

/// One shard: the entries, each with the number of its insertion, and the insertion order of the
/// capped inserts (oldest first; entries removed since are skipped lazily and compacted away).
#[derive(Debug)]
struct Shard<V> {
    map: HashMap<String, (u64, V)>,
    order: VecDeque<(u64, String)>,
    next: u64,
}

impl<V> Default for Shard<V> {
    fn default() -> Self {
        Self {
            map: HashMap::new(),
            order: VecDeque::new(),
            next: 0,
        }
    }
}

impl<V> Shard<V> {
    fn insert(&mut self, key: String, value: V) -> u64 {
        let seq = self.next;
        self.next += 1;
        self.map.insert(key, (seq, value));
        seq
    }

    /// Removes the oldest entry still present that was inserted by a capped insert. Amortised
    /// O(1): each order entry is popped once.
    fn evict_oldest(&mut self) {
        while let Some((seq, key)) = self.order.pop_front() {
            if self.map.get(&key).is_some_and(|(s, _)| *s == seq) {
                self.map.remove(&key);
                return;
            }
        }
    }

    /// Drops order entries of removed or replaced keys once they outnumber the live ones, so
    /// the order stays O(len) however many entries come and go.
    fn compact(&mut self) {
        if self.order.len() > 2 * self.map.len() + 64 {
            let map = &self.map;
            self.order
                .retain(|(seq, key)| map.get(key).is_some_and(|(s, _)| s == seq));
        }
    }
}

/// A `String → V` map split over 16 mutex-guarded shards.
#[derive(Debug)]
pub struct Sharded<V> {
    // Keys are hashed with a per-map random seed, so clients cannot aim at one shard.
    hasher: RandomState,
    shards: Vec<Mutex<Shard<V>>>,
}

impl<V> Default for Sharded<V> {
    fn default() -> Self {
        Self {
            hasher: RandomState::new(),
            shards: (0..SHARDS).map(|_| Mutex::new(Shard::default())).collect(),
        }
    }
}

fn lock<V>(shard: &Mutex<Shard<V>>) -> MutexGuard<'_, Shard<V>> {
    // A poisoned shard only means another request panicked mid-update; the map is still usable.
    shard.lock().unwrap_or_else(|e| e.into_inner())
}

impl<V: Clone> Sharded<V> {
    fn shard(&self, key: &str) -> MutexGuard<'_, Shard<V>> {
        let i = (self.hasher.hash_one(key) as usize) % SHARDS;
        lock(&self.shards[i])
    }
    /// A clone of the value at `key`.
    pub fn get(&self, key: &str) -> Option<V> {
        self.shard(key).map.get(key).map(|(_, v)| v.clone())
    }
    /// Inserts or replaces.
    pub fn insert(&self, key: String, value: V) {
        self.shard(&key).insert(key, value);
    }
    /// Inserts or replaces; when the key's shard already holds `max_per_shard` entries, first
    /// evicts the entry of that shard inserted longest ago by `insert_capped`. Amortised O(1):
    /// the shard keeps its capped inserts in order (no scan for the oldest).
    pub fn insert_capped(&self, key: String, value: V, max_per_shard: usize) {
        let mut shard = self.shard(&key);
        if shard.map.len() >= max_per_shard.max(1) && !shard.map.contains_key(&key) {
            shard.evict_oldest();
        }
        let seq = shard.insert(key.clone(), value);
        shard.order.push_back((seq, key));
        shard.compact();
    }
    /// Number of entries (locks one shard at a time).
    pub fn len(&self) -> usize {
        self.shards.iter().map(|s| lock(s).map.len()).sum()
    }
    /// Removes and returns the value at `key`.
    pub fn remove(&self, key: &str) -> Option<V> {
        let mut shard = self.shard(key);
        let removed = shard.map.remove(key).map(|(_, v)| v);
        shard.compact();
        removed
    }
    /// Clones of every value (locks one shard at a time).
    pub fn values(&self) -> Vec<V> {
        self.shards
            .iter()
            .flat_map(|s| {
                lock(s)
                    .map
                    .values()
                    .map(|(_, v)| v.clone())
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
            map.insert_capped(format!("k{i}"), i, 2);
        }
        assert!(map.len() <= 2 * SHARDS, "{}", map.len());
        // The newest entry always survives.
        assert_eq!(map.get("k199"), Some(199));
        assert!(map.get("k0").is_none());
        map.insert_capped("k199".into(), 1000, 2);
        assert_eq!(map.get("k199"), Some(1000));
    }

    #[test]
    fn capped_inserts_keep_exactly_the_newest_of_each_shard() {
        let map: Sharded<u32> = Sharded::default();
        let cap = 50;
        let n = 20_000u32;
        for i in 0..n {
            map.insert_capped(format!("k{i}"), i, cap);
        }
        assert_eq!(map.len(), cap * SHARDS);
        // Per shard, the survivors are the newest `cap` keys of that shard.
        let mut per_shard: Vec<Vec<u32>> = vec![Vec::new(); SHARDS];
        for i in 0..n {
            let key = format!("k{i}");
            per_shard[(map.hasher.hash_one(key.as_str()) as usize) % SHARDS].push(i);
        }
        for keys in per_shard {
            for (rank, i) in keys.iter().rev().enumerate() {
                assert_eq!(map.get(&format!("k{i}")).is_some(), rank < cap, "k{i}");
            }
        }
    }

    #[test]
    fn removed_and_replaced_keys_leave_no_unbounded_order() {
        let map: Sharded<u32> = Sharded::default();
        for i in 0..100_000u32 {
            map.insert_capped(format!("k{i}"), i, 1000);
            assert_eq!(map.remove(&format!("k{i}")), Some(i));
        }
        for s in &map.shards {
            let shard = lock(s);
            assert!(shard.order.len() <= 64 + 1, "{}", shard.order.len());
        }
        // A key removed and inserted again is evicted by its new age, not its old one.
        let map: Sharded<u32> = Sharded::default();
        let shard_of = |k: &str| (map.hasher.hash_one(k) as usize) % SHARDS;
        let same: Vec<String> = (0..)
            .map(|i| format!("s{i}"))
            .filter(|k| shard_of(k) == shard_of("s0"))
            .take(3)
            .collect();
        let (a, b, c) = (&same[0], &same[1], &same[2]);
        map.insert_capped(a.clone(), 1, 2);
        map.remove(a);
        map.insert_capped(b.clone(), 2, 2);
        map.insert_capped(a.clone(), 3, 2);
        map.insert_capped(c.clone(), 4, 2);
        assert_eq!(
            (map.get(a), map.get(b), map.get(c)),
            (Some(3), None, Some(4))
        );
    }
}
