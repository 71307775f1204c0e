//! Stable sorting with one copy of the sort in the page (issue #13, the page weight).
//!
//! Why not `slice::sort_by`: the standard library's stable sort (driftsort) is generic over the
//! element and the comparison, so each call site compiles to its own ~4 KB copy of it in the
//! wasm: thirty of them in the lab's code. Here the sort itself runs once, on `usize` indices
//! with a comparison behind `dyn`, and each call site only moves its elements into the order
//! found; that took 116 KB off the optimised wasm (17 KB brotli). The result is exactly
//! `sort_by`'s: the same stable order (equal elements keep their order), so no output changes.
//!
//! The cost is one `Vec<usize>` per sort and a call through a pointer per comparison, nothing
//! next to what the lab does with the sorted lists (a few hundred items at most; see
//! [`crate::limits`]).

use std::cmp::Ordering;

/// Sorts `items` stably by `compare`, as `items.sort_by(compare)` does.
pub fn sort_by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    let order = stable_order(items.len(), &|a, b| compare(&items[a], &items[b]));
    permute(items, order);
}

/// Sorts `items` stably by `key`, as `items.sort_by_key(key)` does.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` as `items.sort()` does.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// Sorts `items` stably by `key`, computing each key once, as `items.sort_by_cached_key(key)` does.
pub fn sort_by_cached_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    let keys: Vec<K> = items.iter().map(key).collect();
    let order = stable_order(items.len(), &|a, b| keys[a].cmp(&keys[b]));
    permute(items, order);
}

/// Collecting into a map or a set by inserting each item in turn: `.collect_map()` where
/// `.collect()` would build a `BTreeMap`, `BTreeSet` or `serde_json::Map`.
///
/// Why: `collect()` into a `BTreeMap` or `BTreeSet` first sorts its items with the standard
/// library's stable sort, one copy per call site and iterator type (25 in the lab, 95 KB of the
/// optimised wasm, 9 KB brotli). Inserting builds the same map without a sort: keys in order, and
/// a later equal key's value replaces the earlier one, as `collect()` keeps the last.
pub trait CollectMap: Iterator + Sized {
    fn collect_map<C: Default + Extend<Self::Item>>(self) -> C {
        let mut collection = C::default();
        collection.extend(self);
        collection
    }
}

impl<I: Iterator> CollectMap for I {}

/// The indices `0..len` in the stable order `compare` gives them: the one monomorphic sort.
#[inline(never)]
fn stable_order(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|a, b| compare(*a, *b));
    order
}

/// Moves `items` into `order`: afterwards `items[i]` is what `items[order[i]]` was. Follows each
/// cycle of the permutation with swaps, marking each place done by pointing it at itself.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != start {
            let from = order[at];
            items.swap(at, from);
            order[at] = at;
            at = from;
        }
        order[at] = at;
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The same order as the standard library's stable sort, ties included.
        #[test]
        fn sorts_as_the_standard_stable_sort(items in proptest::collection::vec((0u8..6, any::<u16>()), 0..80)) {
            let mut ours = items.clone();
            super::sort_by_key(&mut ours, |x| x.0);
            let mut std = items.clone();
            std.sort_by_key(|x| x.0);
            prop_assert_eq!(&ours, &std);

            let mut ours = items.clone();
            super::sort_by_cached_key(&mut ours, |x| std::cmp::Reverse(x.0));
            let mut std = items.clone();
            std.sort_by_cached_key(|x| std::cmp::Reverse(x.0));
            prop_assert_eq!(&ours, &std);

            let mut ours = items.clone();
            super::sort(&mut ours);
            let mut std = items.clone();
            std.sort();
            prop_assert_eq!(ours, std);

            // Inserting keeps the last value of an equal key, as `collect()` does.
            use super::CollectMap;
            let ours: std::collections::BTreeMap<u8, u16> = items.iter().copied().collect_map();
            let std: std::collections::BTreeMap<u8, u16> = items.iter().copied().collect();
            prop_assert_eq!(ours, std);
        }
    }
}
