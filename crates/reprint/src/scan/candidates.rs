//! Candidate generation: sort-based grouping of (fingerprint, document) entries into
//! postings, then pair counting in bounded-memory blocks.
//!
//! Two channels, merged in pair order:
//! - **n-grams**: documents that share winnowed word n-gram fingerprints, counted by sorting
//!   packed pair keys;
//! - **rare terms**: each document's `k` rarest content stems (by document frequency in
//!   this corpus); a pair scores one for each of A's rare stems that B holds, and the reverse.
//!   Scored document at a time in a small local list ([`RareIndex`]), since a rare stem
//!   pairs every selector with up to `rare_max_df` holders (13 million keys at 100k
//!   articles, which sorting cost a second).
//!
//! Postings longer than a maximum document frequency are dropped (boilerplate, stock
//! phrases), so the work per fingerprint is bounded and the whole stage grows with the number
//! of entries, not with the square of the number of documents.

use rayon::prelude::*;

/// Candidate-generation parameters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CandParams<'w> {
    pub max_df: usize,
    pub rare_k: usize,
    pub rare_max_df: usize,
    pub min_ngrams: u32,
    pub min_rare: u32,
    /// Most pair keys held in memory at once (8 bytes each).
    pub pair_budget: usize,
    /// Also list the n-gram fingerprints held by at least this many documents.
    pub common_df: Option<usize>,
    /// How many distinct texts each document stands for when counting toward `common_df` (a
    /// duplicate family's representative: itself and its near copies, for the fingerprints
    /// they share); empty: one each.
    pub doc_weight: &'w [u32],
}

/// A pair of documents worth verifying; `a < b`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub a: u32,
    pub b: u32,
    /// Shared n-gram fingerprints.
    pub ngrams: u32,
    /// Rare-term hits, both directions added.
    pub rare: u32,
}

/// Counts that explain the candidate stage.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct CandidateStats {
    /// n-gram fingerprints indexed (after per-document de-duplication).
    pub ngram_fingerprints: u64,
    /// Distinct n-gram fingerprints held by two or more documents, within the df cut.
    pub ngram_shared_postings: u64,
    /// Distinct n-gram fingerprints dropped for exceeding the max document frequency.
    pub ngram_postings_over_max_df: u64,
    /// Distinct content stems per document, summed over the corpus (rare-term channel).
    pub stem_occurrences: u64,
    /// Of those, the entries indexed: stems that some document nominated as one of its
    /// rarest (by a count-min estimate), for every document holding them.
    pub stem_entries: u64,
    /// Rare-term selections made (at most k per document).
    pub rare_selected: u64,
    /// n-gram pair keys emitted before counting.
    pub pair_emissions: u64,
    /// Distinct document pairs that shared an n-gram fingerprint.
    pub pairs_counted: u64,
    /// Distinct document pairs with at least one rare-term hit (counted before the date
    /// window and same-series filters).
    pub rare_pairs_scored: u64,
    /// Pairs above the thresholds, sent to verification.
    pub candidates: u64,
    /// Memory blocks the pair counting ran in.
    pub blocks: u32,
}

/// Postings lists in compact form: the documents of group `g` are
/// `docs[offsets[g]..offsets[g + 1]]`, ascending.
struct Postings {
    docs: Vec<u32>,
    offsets: Vec<u64>,
}

impl Postings {
    fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }
    fn group(&self, g: usize) -> &[u32] {
        &self.docs[self.offsets[g] as usize..self.offsets[g + 1] as usize]
    }
}

/// Sorts packed `(hash << doc_bits | doc)` entries and keeps the groups whose size is in
/// `2..=max_df`. Returns the postings and the number of groups over `max_df`.
fn build_postings(entries: Vec<u64>, doc_bits: u32, max_df: usize) -> (Postings, u64) {
    let (postings, over, _) = build_postings_noting(entries, doc_bits, max_df, None, &[]);
    (postings, over)
}

/// As [`build_postings`]; with `common_df`, also returns the 32-bit keys
/// (`commonness::key_of`) of the fingerprints held by at least that many documents,
/// ascending (over `max_df` included).
fn build_postings_noting(
    mut entries: Vec<u64>,
    doc_bits: u32,
    max_df: usize,
    common_df: Option<usize>,
    doc_weight: &[u32],
) -> (Postings, u64, Vec<u32>) {
    entries.par_sort_unstable();
    let mut common = Vec::new();
    let mask = (1u64 << doc_bits) - 1;
    let mut docs = Vec::new();
    let mut offsets = vec![0u64];
    let mut over = 0u64;
    let mut i = 0;
    while i < entries.len() {
        let key = entries[i] >> doc_bits;
        let mut j = i + 1;
        while j < entries.len() && entries[j] >> doc_bits == key {
            j += 1;
        }
        let k = j - i;
        // Documents held, each counted for what it stands for (only looked at under the
        // threshold: a group of `c` entries is common whatever the weights).
        let weighted = |c: usize| {
            k >= c
                || (!doc_weight.is_empty()
                    && entries[i..j]
                        .iter()
                        .map(|&e| {
                            doc_weight
                                .get((e & mask) as usize)
                                .map_or(1, |&w| w as usize)
                        })
                        .sum::<usize>()
                        >= c)
        };
        if common_df.is_some_and(weighted) {
            // The fingerprint's 32-bit key (`commonness::key_of`); doc_bits <= 31, so the
            // entry's high half is the hash's.
            let short = (entries[i] >> 32) as u32;
            if common.last() != Some(&short) {
                common.push(short);
            }
        }
        if k > max_df {
            over += 1;
        } else if k >= 2 {
            let before = docs.len();
            for &e in &entries[i..j] {
                let d = (e & mask) as u32;
                // Truncated hashes can collide inside one document: keep each document once.
                if docs.len() == before || docs.last() != Some(&d) {
                    docs.push(d);
                }
            }
            if docs.len() - before >= 2 {
                offsets.push(docs.len() as u64);
            } else {
                docs.truncate(before);
            }
        }
        i = j;
    }
    drop(entries);
    docs.shrink_to_fit();
    offsets.shrink_to_fit();
    (Postings { docs, offsets }, over, common)
}

// Channels of a pair key. A shared n-gram fingerprint is weaker evidence the more documents
// hold it (a stock phrase, a footer just under the max-df cut): fingerprints held by at most
// 10 documents count fully, by 11-30 half, by more a quarter. A pair needs `min_ngrams` full
// weights: 3 fingerprints of a phrase that 50 documents share do not make it a candidate,
// while a story reprinted by 50 outlets shares dozens.
const CH_NGRAM: u64 = 0;
const CH_NGRAM_COMMON: u64 = 1;
const CH_NGRAM_FREQUENT: u64 = 2;
pub(crate) const FULL_WEIGHT: u32 = 4;

pub(crate) fn ngram_channel(df: usize) -> u64 {
    match df {
        0..=10 => CH_NGRAM,
        11..=30 => CH_NGRAM_COMMON,
        _ => CH_NGRAM_FREQUENT,
    }
}

pub(crate) fn ngram_weight(channel: u64) -> u32 {
    match channel {
        CH_NGRAM => FULL_WEIGHT,
        CH_NGRAM_COMMON => FULL_WEIGHT / 2,
        _ => FULL_WEIGHT / 4,
    }
}

#[inline]
fn pack(a: u32, b: u32, channel: u64) -> u64 {
    (u64::from(a) << 33) | (u64::from(b) << 2) | channel
}

/// `(a, b, hits)`: a pair scored by the rare-term channel.
type RarePair = (u32, u32, u32);

/// The rare-term channel in per-document form. Group `g` is one rare stem; its holders are
/// `postings.group(g)`. Each document selected at most `k` groups (its rarest stems).
struct RareIndex {
    postings: Postings,
    /// Document `d` selected `sel_groups[sel_off[d]..sel_off[d + 1]]`, ascending.
    sel_off: Vec<u32>,
    sel_groups: Vec<u32>,
    /// Group `g` was selected by `selectors[by_group_off[g]..by_group_off[g + 1]]`.
    by_group_off: Vec<u32>,
    selectors: Vec<u32>,
    /// Document `d` holds the stems `held_groups[held_off[d]..held_off[d + 1]]`, ascending.
    held_off: Vec<u32>,
    held_groups: Vec<u32>,
}

/// Compressed rows from `(row, value)` pairs sorted by row then value.
fn csr(pairs: impl Iterator<Item = (u32, u32)>, rows: usize) -> (Vec<u32>, Vec<u32>) {
    let mut off = vec![0u32; rows + 1];
    let mut vals = Vec::new();
    for (r, v) in pairs {
        off[r as usize + 1] += 1;
        vals.push(v);
    }
    for i in 0..rows {
        off[i + 1] += off[i];
    }
    (off, vals)
}

impl RareIndex {
    fn build(entries: Vec<u64>, doc_bits: u32, n_docs: usize, k: usize, max_df: usize) -> Self {
        let (postings, _) = build_postings(entries, doc_bits, max_df);
        // (doc, df, group) for every holding, sorted: each document's rarest come first.
        let mut picks: Vec<(u32, u32, u32)> = (0..postings.len())
            .into_par_iter()
            .with_min_len(1 << 12)
            .flat_map_iter(|g| {
                let docs = postings.group(g);
                let df = docs.len() as u32;
                docs.iter().map(move |&d| (d, df, g as u32))
            })
            .collect();
        picks.par_sort_unstable();
        // Held: every (doc, group), groups ascending per doc (`picks` is already by doc).
        let mut held: Vec<(u32, u32)> = picks.iter().map(|&(d, _, g)| (d, g)).collect();
        held.chunk_by_mut(|x, y| x.0 == y.0)
            .for_each(|run| run.sort_unstable());
        let (held_off, held_groups) = csr(held.iter().copied(), n_docs);
        drop(held);
        // Selected: the first k of each document's run.
        let mut sel: Vec<(u32, u32)> = Vec::new();
        let mut i = 0;
        while i < picks.len() {
            let d = picks[i].0;
            let start = sel.len();
            let mut j = i;
            while j < picks.len() && picks[j].0 == d {
                if j - i < k {
                    sel.push((d, picks[j].2));
                }
                j += 1;
            }
            sel[start..].sort_unstable();
            i = j;
        }
        drop(picks);
        let (sel_off, sel_groups) = csr(sel.iter().copied(), n_docs);
        let mut by_group: Vec<(u32, u32)> = sel.iter().map(|&(d, g)| (g, d)).collect();
        drop(sel);
        by_group.par_sort_unstable();
        let (by_group_off, selectors) = csr(by_group.into_iter(), postings.len());
        RareIndex {
            postings,
            sel_off,
            sel_groups,
            by_group_off,
            selectors,
            held_off,
            held_groups,
        }
    }

    fn selected(&self, d: u32) -> &[u32] {
        &self.sel_groups[self.sel_off[d as usize] as usize..self.sel_off[d as usize + 1] as usize]
    }

    fn held(&self, d: u32) -> &[u32] {
        &self.held_groups
            [self.held_off[d as usize] as usize..self.held_off[d as usize + 1] as usize]
    }

    fn selectors(&self, g: u32) -> &[u32] {
        &self.selectors
            [self.by_group_off[g as usize] as usize..self.by_group_off[g as usize + 1] as usize]
    }

    /// Rare-term hits of a pair: A's selected stems that B holds, plus the reverse.
    fn hits(&self, a: u32, b: u32) -> u32 {
        (for_each_common(self.selected(a), self.held(b), |_| {})
            + for_each_common(self.selected(b), self.held(a), |_| {})) as u32
    }

    /// Pairs `(a, b, hits)` with `a < b`, `hits >= min` and `keep(a, b)`, sorted; and the
    /// number of pairs with at least one hit. Each document counts its partners in a small
    /// local list, so no corpus-wide list of pair keys is built.
    fn candidates<F>(&self, min: u32, keep: &F) -> (Vec<RarePair>, u64)
    where
        F: Fn(u32, u32) -> bool + Sync,
    {
        let n_docs = self.sel_off.len() - 1;
        let parts: Vec<(Vec<RarePair>, u64)> = (0..n_docs as u32)
            .into_par_iter()
            .with_min_len(1 << 10)
            .fold(
                || (Vec::new(), 0u64, Vec::<u32>::new()),
                |(mut out, mut scored, mut partners), a| {
                    partners.clear();
                    for &g in self.selected(a) {
                        partners.extend(self.postings.group(g as usize).iter().filter(|&&b| b > a));
                    }
                    for &g in self.held(a) {
                        partners.extend(self.selectors(g).iter().filter(|&&b| b > a));
                    }
                    partners.sort_unstable();
                    for run in partners.chunk_by(|x, y| x == y) {
                        scored += 1;
                        let b = run[0];
                        if run.len() as u32 >= min && keep(a, b) {
                            out.push((a, b, run.len() as u32));
                        }
                    }
                    (out, scored, partners)
                },
            )
            .map(|(out, scored, _)| (out, scored))
            .collect();
        let scored = parts.iter().map(|p| p.1).sum();
        let mut out: Vec<RarePair> = parts.into_iter().flat_map(|p| p.0).collect();
        out.par_sort_unstable();
        (out, scored)
    }
}

/// Calls `f` with each value both ascending lists hold, and returns how many there are.
pub(crate) fn for_each_common<T: Ord + Copy>(x: &[T], y: &[T], mut f: impl FnMut(T)) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                f(x[i]);
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Finds candidate pairs. `ngram_entries` hold `(hash & !mask) | doc` (the hash's high bits
/// above `doc_bits`), `stem_entries` hold `stem << 32 | doc`; both group by `entry >>
/// doc_bits` because `doc < 2^doc_bits`. `keep(a, b)` filters pairs (date window, series).
/// Also returns the n-gram keys held by at least `p.common_df` documents, when asked.
pub(crate) fn find_candidates<F>(
    ngram_entries: Vec<u64>,
    stem_entries: Vec<u64>,
    doc_bits: u32,
    n_docs: usize,
    p: &CandParams,
    keep: F,
) -> (Vec<Candidate>, CandidateStats, Vec<u32>)
where
    F: Fn(u32, u32) -> bool + Sync,
{
    let mut stats = CandidateStats {
        ngram_fingerprints: ngram_entries.len() as u64,
        stem_entries: stem_entries.len() as u64,
        ..Default::default()
    };
    let (ngrams, over, common) =
        build_postings_noting(ngram_entries, doc_bits, p.max_df, p.common_df, p.doc_weight);
    stats.ngram_shared_postings = ngrams.len() as u64;
    stats.ngram_postings_over_max_df = over;

    // Rare-term channel: each document selects its k rarest stems among those held by
    // 2..=rare_max_df documents; pairs are scored document at a time (see `RareIndex`).
    let rare = if p.rare_k > 0 {
        let idx = RareIndex::build(stem_entries, doc_bits, n_docs, p.rare_k, p.rare_max_df);
        stats.rare_selected = idx.sel_groups.len() as u64;
        Some(idx)
    } else {
        drop(stem_entries);
        None
    };
    let rare_cands: Vec<RarePair> = match &rare {
        Some(idx) => {
            let (c, scored) = idx.candidates(p.min_rare, &keep);
            stats.rare_pairs_scored = scored;
            c
        }
        None => Vec::new(),
    };

    // Emission load per lower document id, to cut the pair counting into blocks that fit
    // the memory budget.
    let mut load = vec![0u64; n_docs + 1];
    for g in 0..ngrams.len() {
        let docs = ngrams.group(g);
        let k = docs.len() as u64;
        for (i, &d) in docs.iter().enumerate() {
            load[d as usize] += k - 1 - i as u64;
        }
    }
    let mut blocks: Vec<(u32, u32)> = Vec::new();
    let mut lo = 0usize;
    let mut acc = 0u64;
    for (d, &l) in load.iter().enumerate().take(n_docs) {
        if acc > 0 && acc + l > p.pair_budget as u64 {
            blocks.push((lo as u32, d as u32));
            lo = d;
            acc = 0;
        }
        acc += l;
    }
    blocks.push((lo as u32, n_docs as u32));
    drop(load);
    stats.blocks = blocks.len() as u32;

    // Rare-channel candidates are merged in pair order with the n-gram counts, so each
    // candidate carries both channels' evidence.
    let rare_hits = |a: u32, b: u32| rare.as_ref().map_or(0, |idx| idx.hits(a, b));
    let mut out = Vec::new();
    let mut r = 0usize;
    for (lo, hi) in blocks {
        let in_block = |a: u32| a >= lo && a < hi;
        let mut keys: Vec<u64> = (0..ngrams.len())
            .into_par_iter()
            .with_min_len(1 << 10)
            .flat_map_iter(|g| {
                let docs = ngrams.group(g);
                let channel = ngram_channel(docs.len());
                let mut v = Vec::new();
                for (i, &a) in docs.iter().enumerate() {
                    if !in_block(a) {
                        continue;
                    }
                    for &b in &docs[i + 1..] {
                        if keep(a, b) {
                            v.push(pack(a, b, channel));
                        }
                    }
                }
                v
            })
            .collect();
        stats.pair_emissions += keys.len() as u64;
        keys.par_sort_unstable();
        let mut i = 0;
        while i < keys.len() {
            let pair = keys[i] >> 2;
            let (a, b) = ((pair >> 31) as u32, (pair & 0x7fff_ffff) as u32);
            let (mut ng, mut weight) = (0u32, 0u32);
            while i < keys.len() && keys[i] >> 2 == pair {
                ng += 1;
                weight += ngram_weight(keys[i] & 3);
                i += 1;
            }
            stats.pairs_counted += 1;
            push_rare_only(&rare_cands, &mut r, (a, b), &mut out);
            let rr = if r < rare_cands.len() && (rare_cands[r].0, rare_cands[r].1) == (a, b) {
                r += 1;
                Some(rare_cands[r - 1].2)
            } else {
                None
            };
            if rr.is_some() || weight >= p.min_ngrams.saturating_mul(FULL_WEIGHT) {
                out.push(Candidate {
                    a,
                    b,
                    ngrams: ng,
                    rare: rr.unwrap_or_else(|| rare_hits(a, b)),
                });
            }
        }
        // The block's remaining rare-only candidates.
        push_rare_only(&rare_cands, &mut r, (hi, 0), &mut out);
    }
    stats.candidates = out.len() as u64;
    (out, stats, common)
}

/// Moves the rare-term candidates from `rare[*r..]` that sort before `until` to `out`: pairs
/// that shared no n-gram fingerprint.
fn push_rare_only(rare: &[RarePair], r: &mut usize, until: (u32, u32), out: &mut Vec<Candidate>) {
    while let Some(&(a, b, hits)) = rare.get(*r).filter(|x| (x.0, x.1) < until) {
        out.push(Candidate {
            a,
            b,
            ngrams: 0,
            rare: hits,
        });
        *r += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BITS: u32 = 20;

    fn entry(h: u64, d: u32) -> u64 {
        (h << BITS) | u64::from(d)
    }

    fn params() -> CandParams<'static> {
        CandParams {
            max_df: 3,
            rare_k: 0,
            rare_max_df: 10,
            min_ngrams: 2,
            min_rare: 2,
            pair_budget: 1 << 20,
            common_df: None,
            doc_weight: &[],
        }
    }

    #[test]
    fn common_fingerprints_count_what_each_document_stands_for() {
        // Hash 7 is held by docs 0 and 1; doc 0 stands for four texts (a family).
        let e = || vec![entry(7, 0), entry(7, 1), entry(8, 0), entry(8, 1)];
        let p = CandParams {
            common_df: Some(5),
            ..params()
        };
        let (_, _, plain) = find_candidates(e(), vec![], BITS, 4, &p, |_, _| true);
        assert!(plain.is_empty());
        let weights = [4, 1, 1, 1];
        let q = CandParams {
            doc_weight: &weights,
            ..p
        };
        let (_, _, weighted) = find_candidates(e(), vec![], BITS, 4, &q, |_, _| true);
        assert!(!weighted.is_empty());
    }

    #[test]
    fn counts_shared_and_cuts_frequent() {
        // docs 0 and 1 share hashes 1, 2; docs 1 and 2 share hash 3 only; hash 9 is in 4 docs.
        let e = vec![
            entry(1, 0),
            entry(2, 0),
            entry(1, 1),
            entry(2, 1),
            entry(3, 1),
            entry(3, 2),
            entry(9, 0),
            entry(9, 1),
            entry(9, 2),
            entry(9, 3),
        ];
        let (c, stats, _) = find_candidates(e, vec![], BITS, 4, &params(), |_, _| true);
        assert_eq!(
            c,
            vec![Candidate {
                a: 0,
                b: 1,
                ngrams: 2,
                rare: 0
            }]
        );
        assert_eq!(stats.ngram_postings_over_max_df, 1);
        assert_eq!(stats.pairs_counted, 2);
    }

    #[test]
    fn fingerprints_many_documents_share_weigh_less() {
        // Docs 0..40 all hold phrase fingerprints 1, 2, 3 (a stock phrase under the max-df
        // cut); docs 0 and 1 also share 4, 5, 6, held by no one else.
        let mut e = Vec::new();
        for d in 0..40u32 {
            for h in 1..=3u64 {
                e.push(entry(h, d));
            }
        }
        for h in 4..=6u64 {
            e.push(entry(h, 0));
            e.push(entry(h, 1));
        }
        let mut p = params();
        p.max_df = 100;
        p.min_ngrams = 3;
        let (c, _, _) = find_candidates(e, vec![], BITS, 40, &p, |_, _| true);
        // Only 0-1 qualifies: 3 full weights of its own (plus 3 quarter weights). The other
        // 779 pairs share only the three quarter-weight fingerprints.
        assert_eq!(
            c,
            vec![Candidate {
                a: 0,
                b: 1,
                ngrams: 6,
                rare: 0
            }]
        );
        // The same three fingerprints held by 8 documents count fully.
        let mut e = Vec::new();
        for d in 0..8u32 {
            for h in 1..=3u64 {
                e.push(entry(h, d));
            }
        }
        let (c, _, _) = find_candidates(e, vec![], BITS, 8, &p, |_, _| true);
        assert_eq!(c.len(), 28);
    }

    #[test]
    fn filter_and_blocks_give_same_answer() {
        let mut e = Vec::new();
        for d in 0..50u32 {
            for h in 0..5u64 {
                e.push(entry(1000 + u64::from(d / 2) * 10 + h, d));
            }
        }
        let mut p = params();
        let (all, _, _) = find_candidates(e.clone(), vec![], BITS, 50, &p, |_, _| true);
        assert_eq!(all.len(), 25);
        p.pair_budget = 7;
        let (blocked, stats, _) = find_candidates(e.clone(), vec![], BITS, 50, &p, |_, _| true);
        assert!(stats.blocks > 1);
        assert_eq!(all, blocked);
        let (odd, _, _) = find_candidates(e, vec![], BITS, 50, &p, |a, _| a % 4 == 0);
        assert_eq!(odd.len(), 13);
    }

    #[test]
    fn rare_channel_picks_k_rarest() {
        // Doc 0 and 1 share two stems of df 2; doc 2 shares with both a stem of df 3.
        let s = vec![
            entry(5, 0),
            entry(5, 1),
            entry(6, 0),
            entry(6, 1),
            entry(7, 0),
            entry(7, 1),
            entry(7, 2),
        ];
        let mut p = params();
        p.rare_k = 2;
        p.min_ngrams = 100;
        let (c, stats, _) = find_candidates(vec![], s, BITS, 3, &p, |_, _| true);
        // 0 and 1 each select stems 5 and 6 (df 2): 4 hits for the pair. Doc 2 selects 7.
        assert_eq!(
            c,
            vec![Candidate {
                a: 0,
                b: 1,
                ngrams: 0,
                rare: 4
            }]
        );
        assert_eq!(stats.rare_selected, 5);
    }

    #[test]
    fn rare_scores_match_their_definition() {
        // 60 documents holding pseudo-random stems from a vocabulary of 150, with blocks of
        // shared stems so some pairs overlap a lot. Scored document at a time, every pair
        // must get exactly: A's selected stems that B holds, plus B's that A holds.
        let n = 60u32;
        let mut held: Vec<Vec<u64>> = Vec::new();
        for d in 0..n {
            let mut v: Vec<u64> = (0..12u64)
                .map(|i| crate::fasthash::mix(u64::from(d) * 31 + i) % 150)
                .collect();
            v.extend((0..6u64).map(|i| 200 + u64::from(d / 3) * 10 + i));
            v.sort_unstable();
            v.dedup();
            held.push(v);
        }
        let entries: Vec<u64> = held
            .iter()
            .enumerate()
            .flat_map(|(d, v)| v.iter().map(move |&h| entry(h, d as u32)))
            .collect();
        let idx = RareIndex::build(entries.clone(), BITS, n as usize, 4, 8);
        let (cands, scored) = idx.candidates(1, &|_, _| true);
        let mut expected = Vec::new();
        for a in 0..n {
            for b in a + 1..n {
                let holds = |d: u32, g: u32| idx.postings.group(g as usize).contains(&d);
                let hits = idx.selected(a).iter().filter(|&&g| holds(b, g)).count()
                    + idx.selected(b).iter().filter(|&&g| holds(a, g)).count();
                assert_eq!(idx.hits(a, b) as usize, hits);
                if hits > 0 {
                    expected.push((a, b, hits as u32));
                }
            }
        }
        assert!(expected.len() > 20, "the case must have overlapping pairs");
        assert_eq!(scored as usize, expected.len());
        assert_eq!(cands, expected);
        // Every document selected at most k stems, each held by 2..=max_df documents.
        for d in 0..n {
            assert!(idx.selected(d).len() <= 4);
            for &g in idx.selected(d) {
                let df = idx.postings.group(g as usize).len();
                assert!((2..=8).contains(&df), "df {df}");
            }
        }
        // Through find_candidates, a threshold keeps only the strong pairs.
        let mut p = params();
        p.rare_k = 4;
        p.rare_max_df = 8;
        p.min_rare = 5;
        p.min_ngrams = 1000;
        let (c, _, _) = find_candidates(vec![], entries, BITS, n as usize, &p, |_, _| true);
        let strong: Vec<(u32, u32, u32)> = expected.iter().copied().filter(|e| e.2 >= 5).collect();
        assert!(!strong.is_empty());
        assert_eq!(
            c.iter().map(|c| (c.a, c.b, c.rare)).collect::<Vec<_>>(),
            strong
        );
    }

    #[test]
    fn both_channels_evidence_reaches_each_candidate() {
        // Docs 0-1 share 3 n-grams (a candidate by n-grams) and one rare stem; docs 2-3 share
        // 1 n-gram (too few) and three rare stems (a candidate by rare terms); doc 4 holds
        // the 0-1 rare stem too, and shares nothing else.
        let ng = vec![
            entry(1, 0),
            entry(1, 1),
            entry(2, 0),
            entry(2, 1),
            entry(3, 0),
            entry(3, 1),
            entry(9, 2),
            entry(9, 3),
        ];
        let st = vec![
            entry(50, 0),
            entry(50, 1),
            entry(50, 4),
            entry(60, 2),
            entry(60, 3),
            entry(61, 2),
            entry(61, 3),
            entry(62, 2),
            entry(62, 3),
        ];
        let mut p = params();
        p.rare_k = 3;
        p.min_ngrams = 3;
        p.min_rare = 6;
        let (c, stats, _) = find_candidates(ng, st, BITS, 5, &p, |_, _| true);
        assert_eq!(
            c,
            vec![
                Candidate {
                    a: 0,
                    b: 1,
                    ngrams: 3,
                    rare: 2
                },
                Candidate {
                    a: 2,
                    b: 3,
                    ngrams: 1,
                    rare: 6
                },
            ]
        );
        // 0-1, 0-4, 1-4 and 2-3 have rare hits.
        assert_eq!(stats.rare_pairs_scored, 4);
    }
}
