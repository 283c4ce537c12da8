//! Candidate generation: sort-based grouping of (fingerprint, document) entries into
//! postings, then pair counting in bounded-memory blocks.
//!
//! Two channels feed the same counter:
//! - **n-grams**: documents that share winnowed word n-gram fingerprints;
//! - **rare terms**: each document's `k` rarest content stems (by document frequency in
//!   this corpus); a pair scores one for each of A's rare stems that B holds, and the reverse.
//!
//! Postings longer than a maximum document frequency are dropped (boilerplate, stock
//! phrases), so the work per fingerprint is bounded and the whole stage grows with the number
//! of entries, not with the square of the number of documents.

use rayon::prelude::*;

/// Candidate-generation parameters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CandParams {
    pub max_df: usize,
    pub rare_k: usize,
    pub rare_max_df: usize,
    pub min_ngrams: u32,
    pub min_rare: u32,
    /// Most pair keys held in memory at once (8 bytes each).
    pub pair_budget: usize,
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
    /// Content-stem entries indexed for the rare-term channel.
    pub stem_entries: u64,
    /// Rare-term selections made (at most k per document).
    pub rare_selected: u64,
    /// Pair keys emitted by both channels before counting.
    pub pair_emissions: u64,
    /// Distinct document pairs that shared anything.
    pub pairs_counted: u64,
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
fn build_postings(mut entries: Vec<u64>, doc_bits: u32, max_df: usize) -> (Postings, u64) {
    entries.par_sort_unstable();
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
    (Postings { docs, offsets }, over)
}

// Channels of a pair key. A shared n-gram fingerprint is weaker evidence the more documents
// hold it (a stock phrase, a footer just under the max-df cut): fingerprints held by at most
// 10 documents count fully, by 11-30 half, by more a quarter. A pair needs `min_ngrams` full
// weights: 3 fingerprints of a phrase that 50 documents share do not make it a candidate,
// while a story reprinted by 50 outlets shares dozens.
const CH_NGRAM: u64 = 0;
const CH_RARE: u64 = 1;
const CH_NGRAM_COMMON: u64 = 2;
const CH_NGRAM_FREQUENT: u64 = 3;
const FULL_WEIGHT: u32 = 4;

fn ngram_channel(df: usize) -> u64 {
    match df {
        0..=10 => CH_NGRAM,
        11..=30 => CH_NGRAM_COMMON,
        _ => CH_NGRAM_FREQUENT,
    }
}

fn ngram_weight(channel: u64) -> u32 {
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

/// Finds candidate pairs. `ngram_entries` and `stem_entries` hold `hash << doc_bits | doc`
/// (hash truncated to the high bits). `keep(a, b)` filters pairs (date window, series).
pub(crate) fn find_candidates<F>(
    ngram_entries: Vec<u64>,
    stem_entries: Vec<u64>,
    doc_bits: u32,
    n_docs: usize,
    p: &CandParams,
    keep: F,
) -> (Vec<Candidate>, CandidateStats)
where
    F: Fn(u32, u32) -> bool + Sync,
{
    let mut stats = CandidateStats {
        ngram_fingerprints: ngram_entries.len() as u64,
        stem_entries: stem_entries.len() as u64,
        ..Default::default()
    };
    let (ngrams, over) = build_postings(ngram_entries, doc_bits, p.max_df);
    stats.ngram_shared_postings = ngrams.len() as u64;
    stats.ngram_postings_over_max_df = over;

    // Rare-term channel: choose each document's k rarest stems among those held by
    // 2..=rare_max_df documents.
    let (rare, selected) = if p.rare_k > 0 {
        let (rare, _) = build_postings(stem_entries, doc_bits, p.rare_max_df);
        let mut picks: Vec<(u32, u32, u32)> = (0..rare.len())
            .into_par_iter()
            .with_min_len(1 << 12)
            .flat_map_iter(|g| {
                let docs = rare.group(g);
                let df = docs.len() as u32;
                docs.iter().map(move |&d| (d, df, g as u32))
            })
            .collect();
        picks.par_sort_unstable();
        let mut selected: Vec<u64> = Vec::new();
        let mut i = 0;
        while i < picks.len() {
            let d = picks[i].0;
            let mut j = i;
            while j < picks.len() && picks[j].0 == d {
                if j - i < p.rare_k {
                    selected.push((u64::from(picks[j].2) << 32) | u64::from(d));
                }
                j += 1;
            }
            i = j;
        }
        drop(picks);
        selected.par_sort_unstable();
        // Per group, the range of `selected` holding its selections.
        let mut sel_offsets = vec![0u32; rare.len() + 1];
        for &s in &selected {
            sel_offsets[(s >> 32) as usize + 1] += 1;
        }
        for g in 0..rare.len() {
            sel_offsets[g + 1] += sel_offsets[g];
        }
        let sel_docs: Vec<u32> = selected.iter().map(|&s| s as u32).collect();
        stats.rare_selected = sel_docs.len() as u64;
        (Some(rare), Some((sel_docs, sel_offsets)))
    } else {
        drop(stem_entries);
        (None, None)
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
    if let (Some(rare), Some((sel_docs, sel_off))) = (&rare, &selected) {
        for g in 0..rare.len() {
            let docs = rare.group(g);
            for &s in &sel_docs[sel_off[g] as usize..sel_off[g + 1] as usize] {
                for &d in docs {
                    if d != s {
                        load[s.min(d) as usize] += 1;
                    }
                }
            }
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

    let mut out = Vec::new();
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
        if let (Some(rare), Some((sel_docs, sel_off))) = (&rare, &selected) {
            let more: Vec<u64> = (0..rare.len())
                .into_par_iter()
                .with_min_len(1 << 10)
                .flat_map_iter(|g| {
                    let docs = rare.group(g);
                    let mut v = Vec::new();
                    for &s in &sel_docs[sel_off[g] as usize..sel_off[g + 1] as usize] {
                        for &d in docs {
                            let (a, b) = (s.min(d), s.max(d));
                            if d != s && in_block(a) && keep(a, b) {
                                v.push(pack(a, b, CH_RARE));
                            }
                        }
                    }
                    v
                })
                .collect();
            keys.extend_from_slice(&more);
        }
        stats.pair_emissions += keys.len() as u64;
        keys.par_sort_unstable();
        let mut i = 0;
        while i < keys.len() {
            let pair = keys[i] >> 2;
            let (mut ng, mut weight, mut rr) = (0u32, 0u32, 0u32);
            while i < keys.len() && keys[i] >> 2 == pair {
                match keys[i] & 3 {
                    CH_RARE => rr += 1,
                    ch => {
                        ng += 1;
                        weight += ngram_weight(ch);
                    }
                }
                i += 1;
            }
            stats.pairs_counted += 1;
            if weight >= p.min_ngrams.saturating_mul(FULL_WEIGHT)
                || (p.rare_k > 0 && rr >= p.min_rare)
            {
                out.push(Candidate {
                    a: (pair >> 31) as u32,
                    b: (pair & 0x7fff_ffff) as u32,
                    ngrams: ng,
                    rare: rr,
                });
            }
        }
    }
    stats.candidates = out.len() as u64;
    (out, stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BITS: u32 = 20;

    fn entry(h: u64, d: u32) -> u64 {
        (h << BITS) | u64::from(d)
    }

    fn params() -> CandParams {
        CandParams {
            max_df: 3,
            rare_k: 0,
            rare_max_df: 10,
            min_ngrams: 2,
            min_rare: 2,
            pair_budget: 1 << 20,
        }
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
        let (c, stats) = find_candidates(e, vec![], BITS, 4, &params(), |_, _| true);
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
        let (c, _) = find_candidates(e, vec![], BITS, 40, &p, |_, _| true);
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
        let (c, _) = find_candidates(e, vec![], BITS, 8, &p, |_, _| true);
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
        let (all, _) = find_candidates(e.clone(), vec![], BITS, 50, &p, |_, _| true);
        assert_eq!(all.len(), 25);
        p.pair_budget = 7;
        let (blocked, stats) = find_candidates(e.clone(), vec![], BITS, 50, &p, |_, _| true);
        assert!(stats.blocks > 1);
        assert_eq!(all, blocked);
        let (odd, _) = find_candidates(e, vec![], BITS, 50, &p, |a, _| a % 4 == 0);
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
        let (c, stats) = find_candidates(vec![], s, BITS, 3, &p, |_, _| true);
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
}
