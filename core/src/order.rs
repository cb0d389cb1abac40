//! One stable sort for the whole crate.
//!
//! The standard library's sort is generic over the element and the comparison, so every call
//! site with its own closure compiles a sort of its own: fourteen of them were a twentieth of
//! the WebAssembly module. Here the sort runs once, on positions, with the comparison behind a
//! `dyn`; each call site adds only a small permutation step.

use std::cmp::Ordering;

/// Sorts `items` by `cmp`, keeping equal items in their order (a stable sort, as
/// `slice::sort_by`).
pub(crate) fn sort_by<T>(items: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    {
        let items = &*items;
        sort_positions(&mut order, &mut |a, b| match (items.get(a), items.get(b)) {
            (Some(x), Some(y)) => cmp(x, y),
            _ => Ordering::Equal,
        });
    }
    permute(items, &order);
}

/// Sorts `items` in their natural order and drops repeats (as `sort` then `dedup`).
pub(crate) fn sort_dedup<T: Ord>(items: &mut Vec<T>) {
    sort_by(items, Ord::cmp);
    items.dedup();
}

/// The distinct values of `items`, sorted. Made for a few values repeated many times (the
/// roles of a thousand assignments): they are found by a scan rather than by sorting every
/// item. Past `FEW` distinct values the scan would grow quadratic (a hostile document can
/// name a new role on every assignment), so the rest is sorted instead.
pub(crate) fn distinct<T: Ord>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    const FEW: usize = 16;
    let mut out: Vec<T> = Vec::new();
    let mut rest = items.into_iter();
    for item in rest.by_ref() {
        if !out.contains(&item) {
            out.push(item);
            if out.len() > FEW {
                break;
            }
        }
    }
    if out.len() > FEW {
        out.extend(rest);
        sort_dedup(&mut out);
    } else {
        sort_by(&mut out, Ord::cmp);
    }
    out
}

/// Drops every repeat of an earlier item, keeping the rest in their order. Hashed: a
/// finding may point at thousands of entities.
pub(crate) fn keep_first<T: std::hash::Hash + Eq>(items: &mut Vec<T>) {
    if items.len() < 2 {
        return;
    }
    let mut seen = rustc_hash::FxHashSet::default();
    let keep: Vec<bool> = items.iter().map(|x| seen.insert(x)).collect();
    let mut flags = keep.into_iter();
    items.retain(|_| flags.next().unwrap_or(true));
}

#[inline(never)]
fn sort_positions(order: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|a, b| cmp(*a, *b));
}

/// Rearranges `items` so that position `i` holds what was at `order[i]`, by following each
/// cycle of the permutation with swaps.
fn permute<T>(items: &mut [T], order: &[usize]) {
    let mut done = vec![false; items.len()];
    for start in 0..items.len() {
        if done.get(start).copied().unwrap_or(true) {
            continue;
        }
        let mut at = start;
        loop {
            if let Some(d) = done.get_mut(at) {
                *d = true;
            }
            let next = order.get(at).copied().unwrap_or(start);
            if next == start {
                break;
            }
            items.swap(at, next);
            at = next;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The same answer as the standard library's stable sort, ties included: the items
        /// carry their original position, and only the key is compared.
        #[test]
        fn agrees_with_the_standard_stable_sort(keys in proptest::collection::vec(0u8..8, 0..200)) {
            let items: Vec<(u8, usize)> = keys.iter().copied().zip(0..).collect();
            let mut ours = items.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std = items;
            std.sort_by_key(|a| a.0);
            prop_assert_eq!(ours, std);
        }

        /// Both ways: few distinct values (scanned) and many (sorted).
        #[test]
        fn distinct_agrees_with_sort_then_dedup(
            few in proptest::collection::vec("[ab]{0,2}", 0..100),
            many in proptest::collection::vec(".{0,2}", 0..100),
        ) {
            for items in [few, many] {
                let ours = distinct(items.iter().cloned());
                let mut std = items;
                std.sort();
                std.dedup();
                prop_assert_eq!(ours, std);
            }
        }

        #[test]
        fn keep_first_keeps_first_occurrences_in_order(items in proptest::collection::vec(0u8..12, 0..80)) {
            let mut ours = items.clone();
            keep_first(&mut ours);
            let mut expected: Vec<u8> = Vec::new();
            for x in items {
                if !expected.contains(&x) {
                    expected.push(x);
                }
            }
            prop_assert_eq!(ours, expected);
        }

        #[test]
        fn sort_dedup_agrees_with_sort_then_dedup(items in proptest::collection::vec(".{0,3}", 0..100)) {
            let mut ours = items.clone();
            sort_dedup(&mut ours);
            let mut std = items;
            std.sort();
            std.dedup();
            prop_assert_eq!(ours, std);
        }
    }
}
