//! A merge-sort tree: keys in a fixed order (vacancies by the day their window
//! opens, trainees by the day they are ready), where node `k` of a segment tree
//! holds its range's keys sorted. How many keys of any range pass a test that
//! holds for a prefix of sorted keys ("salary below the floor", "old enough")
//! is then counted in O(log² n), and they are listed in O(log² n + found).
//! Memory is n·log n entries; the reasons build one per destination, when
//! someone needs it.

/// Keys with the item (trainee or vacancy) each belongs to.
pub(super) struct MergeSortTree<K> {
    size: usize,
    nodes: Vec<Vec<(K, usize)>>,
}

impl<K: Copy + PartialOrd> MergeSortTree<K> {
    /// `items` in the order ranges refer to. Keys must be comparable (no NaN).
    pub(super) fn new(items: Vec<(K, usize)>) -> MergeSortTree<K> {
        let size = items.len().next_power_of_two();
        let mut nodes = vec![Vec::new(); 2 * size];
        for (i, item) in items.into_iter().enumerate() {
            nodes[size + i] = vec![item];
        }
        for k in (1..size).rev() {
            let (left, right) = (&nodes[2 * k], &nodes[2 * k + 1]);
            let mut merged = Vec::with_capacity(left.len() + right.len());
            let (mut i, mut j) = (0, 0);
            while i < left.len() || j < right.len() {
                if j == right.len() || (i < left.len() && left[i].0 <= right[j].0) {
                    merged.push(left[i]);
                    i += 1;
                } else {
                    merged.push(right[j]);
                    j += 1;
                }
            }
            nodes[k] = merged;
        }
        MergeSortTree { size, nodes }
    }

    /// For each node exactly covering positions `lo..hi`, the slice of its
    /// sorted keys that pass `outer` but not `inner`. Both tests must hold for
    /// a prefix of keys in ascending order, and `inner` must imply `outer`
    /// (a test that never holds stands for "nothing excluded").
    fn band<'a>(
        &'a self,
        lo: usize,
        hi: usize,
        outer: &impl Fn(K) -> bool,
        inner: &impl Fn(K) -> bool,
    ) -> Vec<&'a [(K, usize)]> {
        let mut cover = Vec::new();
        let (mut l, mut r) = (lo + self.size, hi + self.size);
        while l < r {
            if l & 1 == 1 {
                cover.push(l);
                l += 1;
            }
            if r & 1 == 1 {
                r -= 1;
                cover.push(r);
            }
            l >>= 1;
            r >>= 1;
        }
        cover
            .into_iter()
            .map(|k| {
                let node = &self.nodes[k];
                let end = node.partition_point(|&(key, _)| outer(key));
                let start = node[..end].partition_point(|&(key, _)| inner(key));
                &node[start..end]
            })
            .collect()
    }

    /// How many keys in `lo..hi` pass `outer` but not `inner` (see `band`).
    pub(super) fn count(
        &self,
        lo: usize,
        hi: usize,
        outer: impl Fn(K) -> bool,
        inner: impl Fn(K) -> bool,
    ) -> usize {
        self.band(lo, hi, &outer, &inner)
            .iter()
            .map(|s| s.len())
            .sum()
    }

    /// The items of those keys, appended to `out` (in no particular order).
    pub(super) fn list(
        &self,
        lo: usize,
        hi: usize,
        outer: impl Fn(K) -> bool,
        inner: impl Fn(K) -> bool,
        out: &mut Vec<usize>,
    ) {
        for slice in self.band(lo, hi, &outer, &inner) {
            out.extend(slice.iter().map(|&(_, item)| item));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_lists_a_band_of_keys_in_any_range_as_a_scan_does() {
        let keys = [5, 1, 4, 4, 9, 2, 7, 3, 8, 6, 0];
        let tree = MergeSortTree::new(keys.iter().enumerate().map(|(i, &k)| (k, i)).collect());
        for lo in 0..=keys.len() {
            for hi in lo..=keys.len() {
                for (a, b) in [(3, 7), (0, 10), (4, 5), (6, 2)] {
                    // keys in a..b: below b, not below a
                    let want: Vec<usize> =
                        (lo..hi).filter(|&i| keys[i] >= a && keys[i] < b).collect();
                    assert_eq!(tree.count(lo, hi, |k| k < b, |k| k < a), want.len());
                    let mut got = Vec::new();
                    tree.list(lo, hi, |k| k < b, |k| k < a, &mut got);
                    got.sort_unstable();
                    assert_eq!(got, want, "{lo}..{hi}, keys in {a}..{b}");
                }
            }
        }
    }
}
