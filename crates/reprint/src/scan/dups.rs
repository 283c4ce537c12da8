//! Duplicate families, found before the n-gram document-frequency cut.
//!
//! A wire story printed by hundreds of papers shares every fingerprint with hundreds of
//! documents, so the df cut of [`super::candidates`] would drop all of it. Here each document
//! gets two signatures while it is fingerprinted:
//! - **exact**: a hash of its whole normalised token stream (identical copies);
//! - **near**: a one-permutation MinHash of all its word n-gram hashes (not only the winnowed
//!   ones), [`BINS`] bins filled in one pass, empty bins densified by rotation (Shrivastava
//!   and Li 2014), each bin kept as 16 bits.
//!
//! Banded LSH ([`BANDS`] bands of [`ROWS`] bins) proposes near pairs; the resemblance is
//! estimated from the whole signature and a pair is linked only when it is at least
//! [`NEAR_RESEMBLANCE`]. A bucket of any size costs linear time: each member is compared with
//! at most [`HEADS`] earlier members of its bucket. Linked documents form families
//! (union-find); the caller verifies every member against its family's representative.

use rayon::prelude::*;

use super::candidates::Candidate;
use super::cluster::Edge;
use super::fingerprint::Tok;
use super::input::Corpus;
use super::output::{self, FamilyMember, FamilyRecord, ScanSink};
use super::verify::Verify;
use super::{Checker, ScanProgress, ScanSettings, ScanSummary, Stage};
use crate::compare::Label;
use crate::error::Result;
use crate::fasthash::mix;

/// MinHash bins per document.
pub(crate) const BINS: usize = 64;
/// Bins per LSH band.
const ROWS: usize = 4;
/// LSH bands: a pair of resemblance 0.5 shares a band with probability 0.65, of 0.7 with
/// probability 0.998, of 0.3 with probability 0.12.
const BANDS: usize = BINS / ROWS;
/// Estimated resemblance (Jaccard similarity of the two documents' word n-gram sets) from
/// which two documents are linked as near duplicates. At 0.5 about 70% of the n-grams of the
/// smaller text are in the larger: a lightly edited copy, not a story that shares a passage.
pub(crate) const NEAR_RESEMBLANCE: f64 = 0.5;
/// Earlier members of an LSH bucket each new member is compared with.
const HEADS: usize = 4;

/// Signatures of one document.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Signature {
    /// Hash of the whole normalised token stream.
    pub exact: u64,
    /// MinHash bins; `None` when the text has no n-gram.
    pub bins: Option<[u16; BINS]>,
}

/// Computes a document's signatures from its tokens and all of its n-gram hashes (in any
/// order, repeats allowed). `None` for a text without tokens.
pub(crate) fn signature(toks: &[Tok], grams: &[u64]) -> Option<Signature> {
    if toks.is_empty() {
        return None;
    }
    let mut exact: u64 = 0x2545_f491_4f6c_dd1d ^ toks.len() as u64;
    let mut mins = [u64::MAX; BINS];
    // The exact hash is one chain of dependent steps and each MinHash step is independent of
    // it: one loop does both, so the processor overlaps them.
    let both = toks.len().min(grams.len());
    for (t, &g) in toks[..both].iter().zip(&grams[..both]) {
        exact = mix(exact.rotate_left(23) ^ t.word);
        min_in(&mut mins, g);
    }
    for t in &toks[both..] {
        exact = mix(exact.rotate_left(23) ^ t.word);
    }
    for &g in &grams[both..] {
        min_in(&mut mins, g);
    }
    if grams.is_empty() {
        return Some(Signature { exact, bins: None });
    }
    let mut bins = [0u16; BINS];
    for (j, out) in bins.iter_mut().enumerate() {
        // An empty bin borrows from the next non-empty one (circularly), marked by the
        // distance, so two texts agree on it only if they agree on the bin it borrows from.
        let (t, v) = (0..BINS)
            .map(|t| (t, mins[(j + t) % BINS]))
            .find(|&(_, v)| v != u64::MAX)
            .unwrap_or((0, 0));
        *out = (mix(v ^ ((t as u64) << 58)) >> 48) as u16;
    }
    Some(Signature {
        exact,
        bins: Some(bins),
    })
}

/// One n-gram hash into the MinHash bins.
#[inline]
fn min_in(mins: &mut [u64; BINS], g: u64) {
    // Re-mixed: the winnowing already chose n-grams by small raw hash.
    let x = mix(g ^ 0x6a09_e667_f3bc_c908);
    let bin = (x >> 58) as usize;
    let v = x & 0x03ff_ffff_ffff_ffff;
    mins[bin] = mins[bin].min(v);
}

/// The LSH keys of a signature's bins, one per band: two documents that share a key are
/// proposed as near copies.
pub(crate) fn band_keys(bins: [u16; BINS]) -> impl Iterator<Item = u64> {
    (0..BANDS).map(move |b| {
        let mut k = mix(b as u64 + 1);
        for &v in &bins[b * ROWS..(b + 1) * ROWS] {
            k = mix(k.rotate_left(16) ^ u64::from(v));
        }
        k
    })
}

/// Estimated resemblance of two signatures: the share of equal bins.
pub(crate) fn resemblance(a: &[u16; BINS], b: &[u16; BINS]) -> f64 {
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / BINS as f64
}

/// Whether two signatures are near copies: estimated resemblance of at least
/// [`NEAR_RESEMBLANCE`] (false when either text has no n-gram). The scan links such documents
/// when they share an LSH band ([`band_keys`]); the index proposes them the same way.
pub(crate) fn near(a: &Signature, b: &Signature) -> bool {
    match (a.bins, b.bins) {
        (Some(x), Some(y)) => resemblance(&x, &y) >= NEAR_RESEMBLANCE,
        _ => false,
    }
}

/// How a member joined its family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Link {
    /// The same normalised token stream as the representative.
    Exact,
    /// A near duplicate: estimated resemblance of at least 0.5 to some member.
    Near,
}

/// A family before verification: a representative and the other members, ascending.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Family {
    pub rep: u32,
    /// `(member, link, estimated resemblance to the representative)`.
    pub members: Vec<(u32, Link, f32)>,
    /// After verification: linked documents not judged `derived` from the representative.
    pub rejected: Vec<u32>,
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let p = parent[x as usize];
        parent[x as usize] = parent[p as usize];
        x = p;
    }
    x
}

fn union(parent: &mut [u32], a: u32, b: u32) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb) as usize] = ra.min(rb);
    }
}

/// Finds families among `sigs` (one per document). `day(d)` is a document's date in days: the
/// representative is the earliest dated member, else the first in input order. `link(a, b)`
/// says whether two documents may be linked at all (date window, same series). Families come
/// out ordered by representative.
pub(crate) fn families(
    sigs: &[Option<Signature>],
    day: impl Fn(u32) -> Option<i32>,
    link: impl Fn(u32, u32) -> bool + Sync,
) -> Vec<Family> {
    let n = sigs.len();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    // Exact copies: sort by whole-text hash.
    let mut exact: Vec<(u64, u32)> = sigs
        .iter()
        .enumerate()
        .filter_map(|(d, s)| s.map(|s| (s.exact, d as u32)))
        .collect();
    exact.par_sort_unstable();
    for run in exact.chunk_by(|x, y| x.0 == y.0) {
        link_bucket(run.iter().map(|e| e.1), &mut parent, &link, |_, _| true);
    }
    drop(exact);
    // Near copies: one key per band, sorted; each bucket is a run of equal keys.
    let with_bins: Vec<(u32, [u16; BINS])> = (0..n as u32)
        .filter_map(|d| sigs[d as usize].and_then(|s| s.bins).map(|b| (d, b)))
        .collect();
    let mut keys = vec![(0u64, 0u32); with_bins.len() * BANDS];
    keys.par_chunks_mut(BANDS)
        .zip(&with_bins)
        .with_min_len(1 << 10)
        .for_each(|(out, &(d, bins))| {
            for (o, k) in out.iter_mut().zip(band_keys(bins)) {
                *o = (k, d);
            }
        });
    drop(with_bins);
    keys.par_sort_unstable();
    let similar = |a: u32, b: u32| match (sigs[a as usize], sigs[b as usize]) {
        (Some(x), Some(y)) => near(&x, &y),
        _ => false,
    };
    for run in keys.chunk_by(|x, y| x.0 == y.0) {
        if run.len() >= 2 {
            link_bucket(run.iter().map(|e| e.1), &mut parent, &link, similar);
        }
    }
    drop(keys);
    // Components of two or more documents.
    let mut comps: Vec<(u32, u32)> = (0..n as u32).map(|d| (find(&mut parent, d), d)).collect();
    comps.sort_unstable();
    let mut out = Vec::new();
    for run in comps.chunk_by(|x, y| x.0 == y.0) {
        if run.len() < 2 {
            continue;
        }
        let docs: Vec<u32> = run.iter().map(|e| e.1).collect();
        let rep = docs
            .iter()
            .filter_map(|&d| day(d).map(|t| (t, d)))
            .min()
            .map_or(docs[0], |(_, d)| d);
        let Some(rs) = sigs[rep as usize] else {
            continue;
        };
        let members = docs
            .iter()
            .filter(|&&d| d != rep)
            .filter_map(|&d| {
                let s = sigs[d as usize]?;
                Some(if s.exact == rs.exact {
                    (d, Link::Exact, 1.0)
                } else {
                    let r = match (s.bins, rs.bins) {
                        (Some(x), Some(y)) => resemblance(&x, &y),
                        _ => 0.0,
                    };
                    (d, Link::Near, r as f32)
                })
            })
            .collect();
        out.push(Family {
            rep,
            members,
            rejected: Vec::new(),
        });
    }
    out.sort_unstable_by_key(|f| f.rep);
    out
}

/// Links the documents of one bucket (ascending): each is compared with at most [`HEADS`]
/// earlier ones (the first that did not join an earlier head), so a bucket of any size costs
/// linear time.
fn link_bucket(
    docs: impl Iterator<Item = u32>,
    parent: &mut [u32],
    link: &impl Fn(u32, u32) -> bool,
    similar: impl Fn(u32, u32) -> bool,
) {
    let mut heads: Vec<u32> = Vec::with_capacity(HEADS);
    for d in docs {
        let mut joined = false;
        for &h in &heads {
            if find(parent, h) == find(parent, d) {
                joined = true;
                break;
            }
            if link(h, d) && similar(h, d) {
                union(parent, h, d);
                joined = true;
                break;
            }
        }
        if !joined && heads.len() < HEADS {
            heads.push(d);
        }
    }
}

/// Families of at most this many members (the representative included) are written in full:
/// every pair of members, and every member paired with each document that reuses the
/// representative, as if the members had been scanned one by one (at most 3.5 pair lines per
/// member). Larger families are written as a star: each member paired with the
/// representative only, and reuse of the story paired with the representative.
pub(crate) const FULL_FAMILY: usize = 8;

/// Marks a document in no family (see [`family_index`]).
const NO_FAMILY: u32 = u32::MAX;

/// Verifies every linked member against its representative with the scan's verifier (and
/// the family frequencies of what they share). A member judged `derived` stays: its pair is
/// written (when `derived` is emitted) with the link. Any other verdict makes it an ordinary
/// document again: its pair with the representative is written like any candidate's when its
/// label is emitted, and it is paired with the representative's candidates (see
/// [`with_small_families`]). Returns the families (members reduced to the verified ones,
/// the others in `rejected`) and the edges of the written pairs.
pub(crate) fn verify_families<V: Verify>(
    checker: &Checker<'_, V>,
    settings: &ScanSettings,
    fams: Vec<Family>,
    later: &[bool],
    sink: &mut dyn ScanSink,
    summary: &mut ScanSummary,
    progress: &dyn ScanProgress,
) -> Result<(Vec<Family>, Vec<Edge>)> {
    let corpus = checker.corpus;
    let pairs: Vec<Candidate> = fams
        .iter()
        .flat_map(|f| {
            f.members.iter().map(|m| Candidate {
                a: f.rep.min(m.0),
                b: f.rep.max(m.0),
                ngrams: 0,
                rare: 0,
            })
        })
        .collect();
    progress.stage(Stage::Duplicates, Some(pairs.len() as u64));
    // Chunks of 1024 pairs bound the prepared documents held at once. A document is kept
    // prepared when a later chunk compares it, or the verify stage may (`later`).
    const CHUNK: usize = 1024;
    let mut last = crate::fasthash::FastMap::<u32, usize>::default();
    for (k, chunk) in pairs.chunks(CHUNK).enumerate() {
        for c in chunk {
            last.insert(checker.canon(c.a), k);
            last.insert(checker.canon(c.b), k);
        }
    }
    let mut results = Vec::with_capacity(pairs.len());
    for (k, chunk) in pairs.chunks(CHUNK).enumerate() {
        let groups: Vec<&[Candidate]> = chunk.chunks(16).collect();
        let again = |d: u32| later[d as usize] || last.get(&d).is_some_and(|&l| l > k);
        let verified = checker.verify_groups(&groups, progress, &again);
        results.extend(verified.into_iter().flatten().map(|(_, r)| r));
    }
    let mut results = results.into_iter().zip(&pairs);
    let mut stats = DuplicateStats::default();
    let (mut out, mut edges) = (Vec::new(), Vec::new());
    for f in fams {
        let (mut kept, mut rejected) = (Vec::new(), Vec::new());
        for &(m, link, sim) in &f.members {
            let Some((r, c)) = results.next() else {
                break;
            };
            let v = match r {
                Ok(v) => v,
                Err(()) => {
                    summary.verdicts.failed += 1;
                    rejected.push(m);
                    continue;
                }
            };
            summary.verdicts.add(v.label);
            let derived = v.label == Label::Derived;
            if derived {
                kept.push((m, link, sim));
            } else {
                rejected.push(m);
            }
            if !settings.emit.iter().any(|l| l == v.label.name()) {
                continue;
            }
            let dup = derived.then_some((link, sim));
            let line = output::pair_line(
                output::doc_ref(corpus, c.a as usize),
                output::doc_ref(corpus, c.b as usize),
                (0, 0),
                &v,
                dup,
            );
            super::write_pair(sink, corpus, (c.a, c.b), &v, &line, summary, &mut edges)?;
        }
        stats.rejected += rejected.len() as u64;
        if !kept.is_empty() {
            stats.families += 1;
            stats.largest = stats.largest.max(kept.len() as u64 + 1);
            stats.duplicates += kept.len() as u64;
            stats.exact += kept.iter().filter(|m| m.1 == Link::Exact).count() as u64;
            stats.near += kept.iter().filter(|m| m.1 == Link::Near).count() as u64;
        }
        if !kept.is_empty() || !rejected.is_empty() {
            out.push(Family {
                rep: f.rep,
                members: kept,
                rejected,
            });
        }
    }
    summary.duplicates = stats;
    Ok((out, edges))
}

/// `index[d]`: the representative of `d`'s family (itself for a representative), or
/// [`NO_FAMILY`]. Empty when there are no families.
pub(crate) fn family_index(n: usize, fams: &[Family]) -> Vec<u32> {
    if fams.is_empty() {
        return Vec::new();
    }
    let mut index = vec![NO_FAMILY; n];
    for f in fams {
        index[f.rep as usize] = f.rep;
        for m in &f.members {
            index[m.0 as usize] = f.rep;
        }
    }
    index
}

/// Whether `d` is a family member other than its representative (it left the scan).
pub(crate) fn is_member(index: &[u32], d: u32) -> bool {
    index
        .get(d as usize)
        .is_some_and(|&r| r != d && r != NO_FAMILY)
}

/// The small family (see [`FULL_FAMILY`]) that `d` represents, if any.
fn small_family<'f>(fams: &'f [Family], index: &[u32], d: u32) -> Option<&'f Family> {
    if index.get(d as usize) != Some(&d) {
        return None;
    }
    fams.binary_search_by_key(&d, |f| f.rep)
        .ok()
        .map(|i| &fams[i])
        .filter(|f| f.members.len() < FULL_FAMILY)
}

/// `d` and the documents it stands for in the candidate stage: the members of the small
/// family it represents, and the linked documents its family rejected (of any family).
fn side(fams: &[Family], index: &[u32], d: u32) -> Vec<u32> {
    let mut v = vec![d];
    if index.get(d as usize) != Some(&d) {
        return v;
    }
    if let Ok(i) = fams.binary_search_by_key(&d, |f| f.rep) {
        let f = &fams[i];
        if f.members.len() < FULL_FAMILY {
            v.extend(f.members.iter().map(|m| m.0));
        }
        v.extend_from_slice(&f.rejected);
    }
    v
}

/// Whether `d` represents a family that stands for other documents in the candidate stage.
fn stands_for_others(fams: &[Family], index: &[u32], d: u32) -> bool {
    small_family(fams, index, d).is_some()
        || (index.get(d as usize) == Some(&d)
            && fams
                .binary_search_by_key(&d, |f| f.rep)
                .is_ok_and(|i| !fams[i].rejected.is_empty()))
}

/// The candidate filter for a scan with families: a pair involving the representative of a
/// small family passes when `keep` passes for any of the pairs it stands for (a member of
/// another outlet may be paired where the representative may not); other pairs as `keep`.
/// [`with_small_families`] then applies `keep` itself to every pair.
pub(crate) fn family_keep<'a>(
    fams: &'a [Family],
    index: &'a [u32],
    keep: impl Fn(u32, u32) -> bool + Sync + 'a,
) -> impl Fn(u32, u32) -> bool + Sync + 'a {
    move |a, b| {
        if keep(a, b) {
            return true;
        }
        if !stands_for_others(fams, index, a) && !stands_for_others(fams, index, b) {
            return false;
        }
        let ys = side(fams, index, b);
        side(fams, index, a)
            .into_iter()
            .any(|x| ys.iter().any(|&y| x != y && keep(x, y)))
    }
}

/// Adds the pairs that small families (see [`FULL_FAMILY`]) write in full: every pair of
/// their members, and each member with every candidate partner of its representative; and
/// the same for the linked documents a family rejected (which left the candidate stage with
/// the others), whatever the family's size. Every pair, found or added, must pass `keep`
/// (date window, same series). The result is sorted by pair, without repeats.
pub(crate) fn with_small_families(
    mut cands: Vec<Candidate>,
    fams: &[Family],
    index: &[u32],
    keep: impl Fn(u32, u32) -> bool,
) -> Vec<Candidate> {
    if fams.is_empty() {
        return cands;
    }
    let mut extra = Vec::new();
    let mut add = |x: u32, y: u32| {
        extra.push(Candidate {
            a: x.min(y),
            b: x.max(y),
            ngrams: 0,
            rare: 0,
        });
    };
    for f in fams {
        // Pairs inside the family other than those with the representative (verified).
        let inner = side(fams, index, f.rep);
        for (i, &x) in inner.iter().enumerate().skip(1) {
            for &y in &inner[i + 1..] {
                add(x, y);
            }
        }
    }
    for c in &cands {
        if !stands_for_others(fams, index, c.a) && !stands_for_others(fams, index, c.b) {
            continue;
        }
        let ys = side(fams, index, c.b);
        for x in side(fams, index, c.a) {
            for &y in &ys {
                if x != y && (x, y) != (c.a, c.b) {
                    add(x, y);
                }
            }
        }
    }
    // Stable: a candidate found by the fingerprints keeps its counts over an added copy.
    cands.extend(extra);
    cands.retain(|c| keep(c.a, c.b));
    cands.sort_by_key(|c| (c.a, c.b));
    cands.dedup_by_key(|c| (c.a, c.b));
    cands
}

/// The records of the families whose representative is among `members` (ascending).
pub(crate) fn family_records<'a>(
    corpus: &'a Corpus,
    fams: &[Family],
    members: &[u32],
) -> Vec<FamilyRecord<'a>> {
    let id = |d: u32| -> &'a str { &corpus.docs[d as usize].id };
    members
        .iter()
        .filter_map(|&d| fams.binary_search_by_key(&d, |f| f.rep).ok())
        .filter(|&i| !fams[i].members.is_empty())
        .map(|i| {
            let f = &fams[i];
            FamilyRecord {
                representative: id(f.rep),
                size: f.members.len() + 1,
                members: f
                    .members
                    .iter()
                    .map(|&(m, link, similarity)| FamilyMember {
                        id: id(m),
                        link,
                        similarity,
                    })
                    .collect(),
            }
        })
        .collect()
}

/// What the duplicate stage found, for `summary.json`.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct DuplicateStats {
    /// Families of two or more documents that kept at least one verified member.
    pub families: u64,
    /// Documents that are a verified duplicate of their family's representative (members
    /// other than the representative).
    pub duplicates: u64,
    /// Of those, exact copies (same normalised words).
    pub exact: u64,
    /// Of those, near copies.
    pub near: u64,
    /// Linked members that the comparison did not judge `derived` from the representative:
    /// they were scanned as ordinary documents.
    pub rejected: u64,
    /// Members of the largest family, representative included.
    pub largest: u64,
}

#[cfg(test)]
mod tests {
    use super::super::fingerprint::tests::toks;
    use super::*;

    fn grams(words: &[u64]) -> Vec<u64> {
        words
            .windows(5)
            .map(|w| w.iter().fold(7u64, |h, &x| mix(h.rotate_left(17) ^ x)))
            .collect()
    }

    fn sig(words: &[u64]) -> Option<Signature> {
        signature(&toks(words), &grams(words))
    }

    #[test]
    fn resemblance_estimate_tracks_jaccard() {
        // 400 words; a copy with every 10th word changed keeps about (0.9)^5 = 59% of its
        // 5-grams: Jaccard about 0.42. One changed word out of 400: about 0.98.
        let a: Vec<u64> = (0..400).collect();
        let mut light = a.clone();
        light[200] = 9999;
        let heavy: Vec<u64> = a
            .iter()
            .map(|&w| if w % 10 == 3 { w + 10_000 } else { w })
            .collect();
        let other: Vec<u64> = (50_000..50_400).collect();
        let (sa, sl, sh, so) = (sig(&a), sig(&light), sig(&heavy), sig(&other));
        let r = |x: Option<Signature>, y: Option<Signature>| {
            resemblance(
                &x.and_then(|s| s.bins).expect("bins"),
                &y.and_then(|s| s.bins).expect("bins"),
            )
        };
        assert!(r(sa, sl) > 0.85, "light {}", r(sa, sl));
        let h = r(sa, sh);
        assert!((0.2..0.65).contains(&h), "heavy {h}");
        assert!(r(sa, so) < 0.1, "unrelated {}", r(sa, so));
        assert_ne!(sa.map(|s| s.exact), sl.map(|s| s.exact));
        assert_eq!(sa.map(|s| s.exact), sig(&a).map(|s| s.exact));
    }

    #[test]
    fn short_texts_are_densified() {
        // Fewer n-grams than bins: every bin is still filled, identically for equal texts.
        let a: Vec<u64> = (0..12).collect();
        let (x, y) = (sig(&a), sig(&a));
        let (bx, by) = (x.and_then(|s| s.bins), y.and_then(|s| s.bins));
        assert_eq!(bx, by);
        let b: Vec<u64> = (100..112).collect();
        let bz = sig(&b).and_then(|s| s.bins).expect("bins");
        assert!(resemblance(&bx.expect("bins"), &bz) < 0.2);
        // Four words: no n-gram, exact signature only. No words: nothing.
        assert!(sig(&[1, 2, 3, 4]).is_some_and(|s| s.bins.is_none()));
        assert!(signature(&[], &[]).is_none());
    }

    #[test]
    fn families_exact_near_and_apart() {
        let base: Vec<u64> = (0..300).collect();
        let mut near = base.clone();
        near[100] = 7777;
        let other: Vec<u64> = (10_000..10_300).collect();
        // 0, 2, 5 identical; 3 near; 1 and 4 unrelated to them (and to each other).
        let sigs = vec![
            sig(&base),
            sig(&other),
            sig(&base),
            sig(&near),
            sig(&(20_000..20_300).collect::<Vec<u64>>()),
            sig(&base),
        ];
        let days = [Some(9), None, Some(3), None, None, Some(4)];
        let f = families(&sigs, |d| days[d as usize], |_, _| true);
        assert_eq!(f.len(), 1);
        // The earliest dated member represents the family.
        assert_eq!(f[0].rep, 2);
        let m: Vec<(u32, Link)> = f[0].members.iter().map(|m| (m.0, m.1)).collect();
        assert_eq!(m, vec![(0, Link::Exact), (3, Link::Near), (5, Link::Exact)]);
        assert!(f[0].members[1].2 > 0.8);
        // A link filter that forbids everything leaves no family.
        assert!(families(&sigs, |_| None, |_, _| false).is_empty());
    }

    #[test]
    fn a_huge_bucket_costs_linear_time() {
        // 20,000 identical texts and 20,000 distinct ones: one family of 20,000, quickly
        // (a quadratic bucket would take 2 * 10^8 comparisons per band).
        let base: Vec<u64> = (0..60).collect();
        let s = sig(&base);
        let mut sigs = vec![s; 20_000];
        sigs.extend((0..20_000u64).map(|i| {
            let words: Vec<u64> = (0..7).map(|k| 1_000_000 + i * 10 + k).collect();
            sig(&words)
        }));
        let t = std::time::Instant::now();
        let f = families(&sigs, |_| None, |_, _| true);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].members.len(), 19_999);
        assert!(f[0].members.iter().all(|m| m.1 == Link::Exact));
        assert!(t.elapsed().as_secs_f64() < 20.0);
    }
}
