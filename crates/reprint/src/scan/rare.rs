//! The rare-term channel's index, built without sorting every content stem of the corpus.
//!
//! Each document's distinct content stems are kept as 32-bit hashes while the corpus is
//! fingerprinted, and counted in a small count-min sketch (one per worker thread, merged
//! after). A stem's estimated document frequency is never below its true one. Then:
//! 1. every document nominates its `k` rarest stems by estimate, among those estimated in
//!    `2..=max_df`;
//! 2. only stems some document nominated are indexed: each becomes a `(stem, document)` entry
//!    for every document holding it.
//!
//! [`super::candidates`] then builds exact postings from those entries, cuts them at `max_df`
//! and picks each document's `k` rarest by exact frequency. At 100k articles this indexes
//! about one entry in five instead of sorting all of them.

use std::sync::Mutex;

use rayon::prelude::*;

use crate::fasthash::{mix, FastSet};

/// A count-min sketch of document frequencies with one row of saturating byte counters
/// (one row measured as good as two at 100k articles, for half the cache misses).
#[derive(Clone)]
pub(crate) struct Sketch {
    counts: Vec<u8>,
    mask: usize,
}

/// A counter's ceiling: estimates are capped here, far above any useful `max_df`.
pub(crate) const SATURATED: u8 = u8::MAX;

/// The counter of `stem` in a sketch of `mask + 1` counters.
#[inline]
pub(crate) fn slot_of(stem: u32, mask: usize) -> usize {
    mix(u64::from(stem)) as usize & mask
}

impl Sketch {
    /// A sketch of `2^bits` counters.
    pub(crate) fn new(bits: u32) -> Sketch {
        Sketch {
            counts: vec![0; 1 << bits],
            mask: (1 << bits) - 1,
        }
    }

    /// Counter bits for a corpus of `n_docs` documents: 64 counters per document (about 50
    /// distinct stems per article are new to a 100k corpus), from 1 MiB up to 64 MiB.
    pub(crate) fn bits_for(n_docs: usize) -> u32 {
        (usize::BITS - n_docs.leading_zeros() + 6).clamp(20, 26)
    }

    #[inline]
    fn slot(&self, stem: u32) -> usize {
        slot_of(stem, self.mask)
    }

    /// Counts one document holding `stem`.
    #[inline]
    pub(crate) fn add(&mut self, stem: u32) {
        let i = self.slot(stem);
        self.counts[i] = self.counts[i].saturating_add(1);
    }

    /// The estimated number of documents holding `stem`: at least the true number (stems
    /// that share a counter add up), capped at 255.
    #[inline]
    pub(crate) fn estimate(&self, stem: u32) -> u8 {
        self.counts[self.slot(stem)]
    }

    /// Takes back one document's count of `stem` (a saturated counter stays saturated).
    #[inline]
    pub(crate) fn remove(&mut self, stem: u32) {
        let i = self.slot(stem);
        if self.counts[i] != SATURATED {
            self.counts[i] = self.counts[i].saturating_sub(1);
        }
    }

    /// Adds another sketch's counts into this one (same size).
    pub(crate) fn merge(&mut self, other: &Sketch) {
        self.counts
            .par_chunks_mut(1 << 16)
            .zip(other.counts.par_chunks(1 << 16))
            .for_each(|(a, b)| {
                for (x, y) in a.iter_mut().zip(b) {
                    *x = x.saturating_add(*y);
                }
            });
    }
}

/// One sketch per worker thread (up to 8; threads beyond share one under its lock), so
/// counting takes no shared writes.
pub(crate) struct Sketches {
    per_thread: Vec<Mutex<Option<Sketch>>>,
    bits: u32,
}

impl Sketches {
    /// Sketches sized for a corpus of `n_docs` documents.
    pub(crate) fn new(n_docs: usize) -> Sketches {
        Sketches {
            // At most 8 sketches (64 MiB each at 1M documents); more threads share them.
            per_thread: (0..rayon::current_num_threads().clamp(1, 8))
                .map(|_| Mutex::new(None))
                .collect(),
            bits: Sketch::bits_for(n_docs),
        }
    }

    /// Counts a document's distinct stems in the calling thread's sketch.
    pub(crate) fn count(&self, stems: &[u32]) {
        let i = rayon::current_thread_index().unwrap_or(0) % self.per_thread.len();
        let mut slot = self.per_thread[i]
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let sketch = slot.get_or_insert_with(|| Sketch::new(self.bits));
        for &s in stems {
            sketch.add(s);
        }
    }

    /// All threads' counts in one sketch.
    pub(crate) fn merged(self) -> Sketch {
        let bits = self.bits;
        let mut all = self
            .per_thread
            .into_iter()
            .filter_map(|m| m.into_inner().unwrap_or_else(|p| p.into_inner()));
        let mut first = all.next().unwrap_or_else(|| Sketch::new(bits));
        for other in all {
            first.merge(&other);
        }
        first
    }
}

/// Documents' distinct content stems, stored flat: document `docs[i]` holds
/// `stems[ends[i - 1]..ends[i]]` (from 0 for the first).
#[derive(Default)]
pub(crate) struct StemStore {
    docs: Vec<u32>,
    ends: Vec<u32>,
    stems: Vec<u32>,
}

impl StemStore {
    /// A store with room for `docs` documents and `stems` stems.
    pub(crate) fn with_capacity(docs: usize, stems: usize) -> StemStore {
        StemStore {
            docs: Vec::with_capacity(docs),
            ends: Vec::with_capacity(docs),
            stems: Vec::with_capacity(stems),
        }
    }

    pub(crate) fn push(&mut self, doc: u32, stems: &[u32]) {
        if stems.is_empty() {
            return;
        }
        self.stems.extend_from_slice(stems);
        self.docs.push(doc);
        self.ends.push(self.stems.len() as u32);
    }

    /// Takes the stems of the documents `gone(d)` back out of `sketch`.
    fn uncount(&self, sketch: &mut Sketch, gone: impl Fn(u32) -> bool) {
        for (d, stems) in self.iter() {
            if gone(d) {
                stems.iter().for_each(|&s| sketch.remove(s));
            }
        }
    }

    /// Keeps only the documents `keep(d)`, in place.
    fn retain_docs(&mut self, keep: impl Fn(u32) -> bool) {
        let (mut start, mut w, mut kept) = (0usize, 0usize, 0usize);
        for i in 0..self.docs.len() {
            let (d, end) = (self.docs[i], self.ends[i] as usize);
            if keep(d) {
                self.stems.copy_within(start..end, w);
                w += end - start;
                self.docs[kept] = d;
                self.ends[kept] = w as u32;
                kept += 1;
            }
            start = end;
        }
        self.docs.truncate(kept);
        self.ends.truncate(kept);
        self.stems.truncate(w);
    }

    /// Stems stored.
    pub(crate) fn len(&self) -> usize {
        self.stems.len()
    }

    fn iter(&self) -> impl Iterator<Item = (u32, &[u32])> + '_ {
        let mut start = 0usize;
        self.docs.iter().zip(&self.ends).map(move |(&d, &e)| {
            let s = &self.stems[start..e as usize];
            start = e as usize;
            (d, s)
        })
    }
}

/// Removes the documents `gone(d)` from the stores and their stems' counts from `sketch`
/// (which counted them), so that frequencies count each duplicate family once. The counts
/// are taken back one store after another (decrements of a counter commute, so the order
/// does not matter), then the stores are compacted in place, in parallel.
pub(crate) fn forget_all(
    stores: &mut [StemStore],
    sketch: &mut Sketch,
    gone: impl Fn(u32) -> bool + Sync,
) {
    for st in stores.iter() {
        st.uncount(sketch, &gone);
    }
    stores
        .par_iter_mut()
        .for_each(|st| st.retain_docs(|d| !gone(d)));
}

/// A document's `k` rarest stems by `df`, among those held by `2..=max_df` documents, as
/// `(df, stem)` into `picks` (in no particular order). The scan nominates by a sketch's
/// estimate, the index by its exact postings.
pub(crate) fn rarest<D: Ord + Copy + From<u8>>(
    stems: &[u32],
    df: impl Fn(u32) -> D,
    k: usize,
    max_df: D,
    picks: &mut Vec<(D, u32)>,
) {
    picks.clear();
    let two = D::from(2);
    picks.extend(
        stems
            .iter()
            .map(|&s| (df(s), s))
            .filter(|&(d, _)| two <= d && d <= max_df),
    );
    if k == 0 {
        picks.clear();
    } else if picks.len() > k {
        picks.select_nth_unstable(k - 1);
        picks.truncate(k);
    }
}

/// The `(stem << 32 | document)` entries of every stem nominated by some document, for
/// every document holding it. `k` and `max_df` are the channel's settings.
pub(crate) fn nominated_entries(
    stores: &[StemStore],
    sketch: &Sketch,
    k: usize,
    max_df: usize,
) -> Vec<u64> {
    let max_df = max_df.min(usize::from(SATURATED) - 1) as u8;
    // 1. Nominations: each document's k rarest stems by estimate.
    let mut nominated: Vec<u32> = stores
        .par_iter()
        .flat_map_iter(|store| {
            let mut picks: Vec<(u8, u32)> = Vec::new();
            let mut out = Vec::new();
            for (_, stems) in store.iter() {
                rarest(stems, |s| sketch.estimate(s), k, max_df, &mut picks);
                out.extend(picks.iter().map(|&(_, s)| s));
            }
            out
        })
        .collect();
    nominated.par_sort_unstable();
    nominated.dedup();
    let wanted: FastSet<u32> = nominated.iter().copied().collect();
    drop(nominated);
    // 2. Every holder of a nominated stem.
    stores
        .par_iter()
        .flat_map_iter(|store| {
            let mut out = Vec::new();
            for (d, stems) in store.iter() {
                out.extend(
                    stems
                        .iter()
                        .filter(|s| wanted.contains(s))
                        .map(|&s| (u64::from(s) << 32) | u64::from(d)),
                );
            }
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sketch_never_underestimates_and_saturates() {
        let mut s = Sketch::new(Sketch::bits_for(100_000));
        for stem in 0..100_000u32 {
            for _ in 0..(stem % 5) {
                s.add(stem);
            }
        }
        let mut exact = 0;
        for stem in 0..100_000u32 {
            let e = s.estimate(stem);
            assert!(u32::from(e) >= stem % 5, "stem {stem}: {e}");
            exact += usize::from(u32::from(e) == stem % 5);
        }
        // 100k stems in 2^23 counters: about 1.2% share a counter with another stem, the
        // rest are exact.
        assert!(exact > 98_000, "{exact} exact estimates");
        for _ in 0..1000 {
            s.add(7);
        }
        assert_eq!(s.estimate(7), SATURATED);
        let mut t = Sketch::new(Sketch::bits_for(100_000));
        t.add(3);
        s.merge(&t);
        assert_eq!(s.estimate(3), 4);
    }

    #[test]
    fn nominated_stems_are_indexed_for_all_holders() {
        // Stem 10 is held by docs 0, 1, 2 (rare); stem 20 by every doc (common, df 40);
        // stem 30 by doc 0 alone (df 1: never rare).
        let mut store = StemStore::default();
        let mut sketch = Sketch::new(Sketch::bits_for(40));
        for d in 0..40u32 {
            let stems: Vec<u32> = match d {
                0 => vec![10, 20, 30],
                1 | 2 => vec![10, 20],
                _ => vec![20],
            };
            for &s in &stems {
                sketch.add(s);
            }
            store.push(d, &stems);
        }
        let mut e = nominated_entries(&[store], &sketch, 1, 30);
        e.sort_unstable();
        assert_eq!(e, vec![10 << 32, (10 << 32) | 1, (10 << 32) | 2]);
    }

    #[test]
    fn forgotten_documents_leave_store_and_counts() {
        let mut store = StemStore::default();
        let mut sketch = Sketch::new(Sketch::bits_for(10));
        for d in 0..4u32 {
            let stems = [10, 20 + d];
            stems.iter().for_each(|&s| sketch.add(s));
            store.push(d, &stems);
        }
        assert_eq!(sketch.estimate(10), 4);
        let mut stores = [store];
        forget_all(&mut stores, &mut sketch, |d| d == 1 || d == 3);
        let [store] = stores;
        assert_eq!(sketch.estimate(10), 2);
        assert_eq!(sketch.estimate(21), 0);
        assert_eq!(sketch.estimate(22), 1);
        let docs: Vec<u32> = store.iter().map(|(d, _)| d).collect();
        assert_eq!(docs, vec![0, 2]);
        assert_eq!(store.len(), 4);
    }
}
