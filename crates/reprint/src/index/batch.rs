//! The pairs of a batch (`index add --pairs`), and revisions of the pairs reported before it.
//!
//! A batch's pairs are judged with the index's frequencies at its commit. Later batches raise
//! those frequencies: a fingerprint shared by two documents becomes common, a stem stops
//! being among a document's rarest. So each batch also re-judges the earlier documents whose
//! pairs those changes can move, and writes what changed as revisions. The pairs reported
//! and not withdrawn are kept in the index directory ([`LEDGER_FILE`]), so revisions work
//! across runs.
//!
//! **Rule for reading the pairs of successive batches** (in the order they were written):
//! each line names an unordered pair of ids. A line without `withdrawn` sets that pair to the
//! line (a line with `"revises": true` replaces an earlier line of the same pair, or adds a
//! pair between two documents of earlier batches); a line with `"withdrawn": true` removes
//! the pair. What remains is what one batch of everything would report (frequencies count
//! a replaced or removed document until a merge drops it, as everywhere in the index).
//!
//! Which earlier pairs are judged again (as one batch of everything judges a pair: the
//! same candidate thresholds and comparer, the frequencies of the current commit):
//! - a reported pair whose two documents both hold an n-gram of the batch whose frequency
//!   was within the cut (`1..=max_df`) before it (its weights and the verdict's commonness
//!   read those), or one of whose documents had its `k` rarest stems changed by the batch;
//! - a pair not reported whose rare-stem hits reach `min_rare` only through a stem that
//!   entered a document's rarest with this batch.
//!
//! Everything else is judged on unchanged inputs, or can only lose evidence: as frequencies
//! grow, n-gram weights fall and shared text becomes commoner, so no unreported pair becomes
//! a candidate through its n-grams. That a verdict does not move *toward* reuse when shared
//! text becomes commoner is assumed, not proved; the benchmark's one-batch-vs-ten comparison
//! checks it. Pairs of a document since replaced or removed are withdrawn at the next batch.
//!
//! The rare-term channel of a batch reads each document's rarest stems as of the current
//! commit (not the nominations stored when it was added, which `query` uses): a pair's hits
//! are the rarest stems of each that the other holds, as in one batch of everything.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tantivy::{DocAddress, Searcher};

use super::{df_of, key_df, key_list, lookup, ng_term, term_infos, Analysis, Batch, Index};
use super::{Cand, IndexedDoc};
use crate::commonness::{self, SharedText};
use crate::compare::Label;
use crate::error::{Error, Result};
use crate::scan::candidates::FULL_WEIGHT;
use crate::scan::output::pair_line;
use crate::scan::rare::rarest;
use crate::scan::verify::{Verified, Verify};
use crate::scan::{ScanSink, VerifiedPair};

/// The file in the index directory that holds the pairs reported and not withdrawn.
pub(super) const LEDGER_FILE: &str = "reprint-pairs.json";

/// What `index add --pairs` has reported and not withdrawn, by the documents' sequence
/// numbers (`a` added first).
#[derive(Debug, Default)]
pub(super) struct Ledger {
    /// Documents `from..below` were all added with pairs: revisions re-judge those only.
    from: u64,
    below: u64,
    pairs: BTreeMap<(u64, u64), Reported>,
}

#[derive(Debug, Clone)]
struct Reported {
    a: String,
    b: String,
    label: Label,
}

#[derive(Serialize, Deserialize)]
struct LedgerFile {
    from: u64,
    below: u64,
    /// `(seq a, seq b, id a, id b, label)`.
    pairs: Vec<(u64, u64, String, String, String)>,
}

impl Ledger {
    fn load(dir: &Path) -> Result<Ledger> {
        let path = dir.join(LEDGER_FILE);
        let raw = match std::fs::read(&path) {
            Ok(raw) => raw,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Ledger::default()),
            Err(e) => return Err(Error::io(path.display().to_string(), e)),
        };
        let bad = |m: String| Error::Input {
            path: path.display().to_string(),
            message: format!("index: unreadable pair ledger: {m}"),
        };
        let f: LedgerFile = serde_json::from_slice(&raw).map_err(|e| bad(e.to_string()))?;
        let mut pairs = BTreeMap::new();
        for (sa, sb, a, b, label) in f.pairs {
            let label = Label::ALL
                .iter()
                .copied()
                .find(|l| l.name() == label)
                .ok_or_else(|| bad(format!("unknown label `{label}`")))?;
            pairs.insert((sa, sb), Reported { a, b, label });
        }
        Ok(Ledger {
            from: f.from,
            below: f.below,
            pairs,
        })
    }

    /// Written to a temporary file and renamed over the old one.
    fn save(&self, dir: &Path) -> Result<()> {
        let f = LedgerFile {
            from: self.from,
            below: self.below,
            pairs: self
                .pairs
                .iter()
                .map(|(&(sa, sb), r)| (sa, sb, r.a.clone(), r.b.clone(), r.label.name().into()))
                .collect(),
        };
        let path = dir.join(LEDGER_FILE);
        let tmp = dir.join(format!("{LEDGER_FILE}.tmp"));
        let json = serde_json::to_vec(&f).map_err(|e| Error::Input {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        std::fs::write(&tmp, json).map_err(|e| Error::io(tmp.display().to_string(), e))?;
        std::fs::rename(&tmp, &path).map_err(|e| Error::io(path.display().to_string(), e))
    }
}

/// What [`Index::batch_pairs`] wrote.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct PairCounts {
    /// Pairs involving a document of the batch.
    pub pairs: u64,
    /// Revisions: an earlier pair with a new label, or a new pair of two earlier documents.
    pub revised: u64,
    /// Earlier pairs withdrawn.
    pub withdrawn: u64,
    /// Candidates compared in full.
    pub compared: u64,
    /// Earlier pairs judged again.
    pub rejudged: u64,
}

/// A document whose pairs with the documents added before it are judged.
struct Query {
    addr: DocAddress,
    doc: IndexedDoc,
    a: Analysis,
    /// For an earlier document judged again, the earlier documents whose pairs with it are
    /// (its pairs are revisions); `None` for a document of the batch (all its candidates).
    partners: Option<Vec<DocAddress>>,
}

/// Stems of a document (sorted) and its `k` rarest (sorted) by the current frequencies.
struct Stems {
    stems: Vec<u32>,
    rarest: Vec<u32>,
}

type Judged = (IndexedDoc, (u32, u32), Verified);

/// The document frequency of every stem in the `st` postings (deleted documents count until
/// a merge drops them, as everywhere in the index).
fn stem_dfs(
    searcher: &Searcher,
    field: tantivy::schema::Field,
) -> std::io::Result<HashMap<u32, u64>> {
    let mut out: HashMap<u32, u64> = HashMap::new();
    for seg in searcher.segment_readers() {
        let inv = seg.inverted_index(field).map_err(std::io::Error::other)?;
        let mut stream = inv.terms().stream()?;
        while stream.advance() {
            let Ok(key) = <[u8; 8]>::try_from(stream.key()) else {
                continue;
            };
            let stem = u64::from_be_bytes(key).min(u64::from(u32::MAX)) as u32;
            *out.entry(stem).or_default() += u64::from(stream.value().doc_freq);
        }
    }
    Ok(out)
}

/// A document's `k` rarest stems by `df`, sorted.
fn rarest_set(stems: &[u32], df: impl Fn(u32) -> u64, k: usize, max_df: u64) -> Vec<u32> {
    let mut picks = Vec::new();
    rarest(stems, df, k, max_df, &mut picks);
    let mut out: Vec<u32> = picks.into_iter().map(|(_, s)| s).collect();
    out.sort_unstable();
    out
}

/// How many of the sorted `a` are in the sorted `b`.
fn overlap(a: &[u32], b: &[u32]) -> u32 {
    a.iter().filter(|s| b.binary_search(s).is_ok()).count() as u32
}

/// A withdrawal line: the pair's ids, its new label (`null` when it is no candidate any
/// more) and `"withdrawn": true`.
fn withdrawn_line(a: &str, b: &str, label: Option<Label>) -> String {
    serde_json::json!({
        "a": {"id": a},
        "b": {"id": b},
        "label": label.map(|l| l.name()),
        "withdrawn": true,
    })
    .to_string()
}

/// A pair line of a revision: the scan's line with `"revises": true`.
fn revision_line(line: &str) -> String {
    match line.strip_suffix('}') {
        Some(head) => format!("{head},\"revises\":true}}"),
        None => line.to_string(),
    }
}

impl Index {
    /// The reuse pairs between a committed batch's documents and every document added
    /// before each of them (so among the batch too), verified in full, written to `sink` as
    /// `scan` writes them (`a` is the document added first); then the revisions of the
    /// pairs earlier batches reported (see the module's rule). Call it after the batch's
    /// commit, once per batch.
    pub fn batch_pairs(&mut self, batch: &Batch, sink: &mut dyn ScanSink) -> Result<PairCounts> {
        let mut ledger = match self.ledger.take() {
            Some(l) => l,
            None => Ledger::load(&self.dir)?,
        };
        let res = self.pairs_and_revisions(batch, &mut ledger, sink);
        let saved = res.is_ok().then(|| ledger.save(&self.dir));
        self.ledger = Some(ledger);
        let counts = res?;
        saved.unwrap_or(Ok(()))?;
        Ok(counts)
    }

    fn pairs_and_revisions(
        &self,
        batch: &Batch,
        ledger: &mut Ledger,
        sink: &mut dyn ScanSink,
    ) -> Result<PairCounts> {
        let mut counts = PairCounts::default();
        let (Some(first), Some(last)) = (
            batch.docs.iter().map(|d| d.1).min(),
            batch.docs.iter().map(|d| d.1).max(),
        ) else {
            return Ok(counts);
        };
        if ledger.below != first {
            // Documents were added without pairs since (or this is the first batch): no
            // pair between two of the documents before this batch was reported.
            ledger.from = first;
        }
        let searcher = self.reader.searcher();
        let io = |e: std::io::Error| Error::io(self.dir.display().to_string(), e);
        let k = self.config.rare_terms;
        let rmax = self.config.rare_max_df as u64;
        let min_rare = self.settings.min_rare;
        let df = if k > 0 {
            stem_dfs(&searcher, self.f.st).map_err(io)?
        } else {
            HashMap::new()
        };
        let df_now = |s: u32| df.get(&s).copied().unwrap_or(0);
        let df_before = |s: u32| {
            df_now(s).saturating_sub(batch.stems_added.get(&s).copied().map_or(0, u64::from))
        };

        // The batch's documents, as committed (a later batch may have replaced one).
        let news: Vec<Option<Query>> = batch
            .docs
            .par_iter()
            .map(|(id, seq, a)| {
                let Some(addr) = lookup(&searcher, self.f, id) else {
                    return Ok(None);
                };
                let doc = self.fetch(&searcher, addr)?;
                Ok((doc.seq == *seq).then(|| Query {
                    addr,
                    doc,
                    a: a.clone(),
                    partners: None,
                }))
            })
            .collect::<Result<_>>()?;
        let mut queries: Vec<Query> = news.into_iter().flatten().collect();

        // Earlier documents holding an n-gram of the batch whose frequency was within the
        // cut: the weights and commonness of what they share with each other may change.
        let post = self.postings(&searcher, None, Some(first));
        let mut ng_new: HashMap<u64, u64> = HashMap::new();
        for (_, _, a) in &batch.docs {
            let mut terms: Vec<u64> = a.ngrams.iter().map(|&h| ng_term(h)).collect();
            terms.sort_unstable();
            terms.dedup();
            for t in terms {
                *ng_new.entry(t).or_default() += 1;
            }
        }
        let terms: Vec<u64> = ng_new.keys().copied().collect();
        let infos = term_infos(&searcher, self.f.ng, terms.iter().copied()).map_err(io)?;
        let mut touched: HashMap<DocAddress, Cand> = HashMap::new();
        for (t, inf) in terms.iter().zip(&infos) {
            let prior = df_of(inf).saturating_sub(ng_new[t]);
            if (1..=self.settings.max_df as u64).contains(&prior) {
                post.visit(self.f.ng, inf, &mut touched, &mut |_| {})
                    .map_err(io)?;
            }
        }
        let touched: HashSet<DocAddress> = touched.into_keys().collect();

        // Earlier documents whose k rarest stems the batch changed ("moved"), with the stems
        // that entered them: only a holder of a stem whose frequency changed while rare can
        // be one.
        let mut cache: HashMap<DocAddress, Stems> = HashMap::new();
        let mut moved: HashMap<DocAddress, Vec<u32>> = HashMap::new();
        if k > 0 {
            let stems: Vec<u32> = batch.stems_added.keys().copied().collect();
            let infos = term_infos(&searcher, self.f.st, stems.iter().map(|&s| u64::from(s)))
                .map_err(io)?;
            let mut holders: HashMap<DocAddress, Cand> = HashMap::new();
            for (s, inf) in stems.iter().zip(&infos) {
                if (1..=rmax).contains(&df_before(*s)) {
                    post.visit(self.f.st, inf, &mut holders, &mut |_| {})
                        .map_err(io)?;
                }
            }
            let addrs: Vec<DocAddress> = holders.into_keys().collect();
            let analysed = self.stems_of(&searcher, &addrs, &df_now)?;
            for (addr, st) in addrs.into_iter().zip(analysed) {
                let old = rarest_set(&st.stems, df_before, k, rmax);
                if old != st.rarest {
                    let entered: Vec<u32> = st
                        .rarest
                        .iter()
                        .copied()
                        .filter(|s| old.binary_search(s).is_err())
                        .collect();
                    moved.insert(addr, entered);
                }
                cache.insert(addr, st);
            }
        }
        let seq_of = |a: DocAddress| post.seq(a.segment_ord as usize, a.doc_id);

        // Earlier pairs judged again, by their later document: reported pairs whose inputs
        // changed, and pairs a stem entering a moved document's rarest may have made
        // candidates. Reported pairs of documents since replaced or removed are withdrawn.
        let mut groups: BTreeMap<u64, (DocAddress, Vec<DocAddress>)> = BTreeMap::new();
        let mut dead: Vec<(u64, u64)> = Vec::new();
        for (&(sa, sb), r) in &ledger.pairs {
            let live = |id: &str, seq: u64| {
                lookup(&searcher, self.f, id).filter(|&x| seq_of(x) == Some(seq))
            };
            match (live(&r.a, sa), live(&r.b, sb)) {
                (Some(a), Some(b)) => {
                    if (touched.contains(&a) && touched.contains(&b))
                        || moved.contains_key(&a)
                        || moved.contains_key(&b)
                    {
                        groups.entry(sb).or_insert((b, Vec::new())).1.push(a);
                    }
                }
                _ => dead.push((sa, sb)),
            }
        }
        if !moved.is_empty() {
            let mut maybe: Vec<(DocAddress, DocAddress)> = Vec::new();
            for (&x, entered) in &moved {
                let infos = term_infos(&searcher, self.f.st, entered.iter().map(|&s| u64::from(s)))
                    .map_err(io)?;
                let mut found: HashMap<DocAddress, Cand> = HashMap::new();
                for inf in &infos {
                    post.visit(self.f.st, inf, &mut found, &mut |_| {})
                        .map_err(io)?;
                }
                maybe.extend(found.into_keys().filter(|&h| h != x).map(|h| (x, h)));
            }
            self.fill(&searcher, &mut cache, maybe.iter().map(|p| p.1), &df_now)?;
            let rare =
                |x: &[u32], sx: &[u32], y: &[u32], sy: &[u32]| overlap(x, sy) + overlap(y, sx);
            let mut seen: HashSet<(u64, u64)> = HashSet::new();
            for (x, h) in maybe {
                let (Some(qx), Some(qh)) = (seq_of(x), seq_of(h)) else {
                    continue;
                };
                let ((sa, a), (sb, b)) = if qx < qh {
                    ((qx, x), (qh, h))
                } else {
                    ((qh, h), (qx, x))
                };
                if sb < ledger.from
                    || ledger.pairs.contains_key(&(sa, sb))
                    || !seen.insert((sa, sb))
                {
                    continue;
                }
                let (cx, ch) = (&cache[&x], &cache[&h]);
                if rare(&cx.rarest, &cx.stems, &ch.rarest, &ch.stems) < min_rare {
                    continue;
                }
                // A candidate by its rare stems before the batch too was judged then, and
                // not reported; its verdict moves only if what it shares became commoner.
                let (bx, bh) = (
                    rarest_set(&cx.stems, df_before, k, rmax),
                    rarest_set(&ch.stems, df_before, k, rmax),
                );
                if rare(&bx, &cx.stems, &bh, &ch.stems) >= min_rare
                    && !(touched.contains(&x) && touched.contains(&h))
                {
                    continue;
                }
                groups.entry(sb).or_insert((b, Vec::new())).1.push(a);
            }
        }
        counts.rejudged = groups.values().map(|g| g.1.len() as u64).sum();
        let params = self.params();
        let old: Vec<Query> = groups
            .into_values()
            .collect::<Vec<_>>()
            .into_par_iter()
            .map_init(
                crate::scan::fingerprint::Analyzer::default,
                |an, (addr, mut partners)| {
                    let doc = self.fetch(&searcher, addr)?;
                    let sig = an.analyze(&doc.text, params);
                    let a = Analysis {
                        ngrams: an.prints.ngrams.clone(),
                        stems: an.prints.stems.clone(),
                        sig,
                    };
                    partners.sort_unstable();
                    partners.dedup();
                    Ok(Query {
                        addr,
                        doc,
                        a,
                        partners: Some(partners),
                    })
                },
            )
            .collect::<Result<_>>()?;
        queries.extend(old);
        // The queries' own stems are analysed already.
        for q in &queries {
            cache.entry(q.addr).or_insert_with(|| Stems {
                stems: q.a.stems.clone(),
                rarest: rarest_set(&q.a.stems, df_now, k, rmax),
            });
        }

        // Candidates: for a new document, n-grams and copies as `query` finds them and rare
        // stems by the current rarest of both documents; for an earlier one, its partners.
        let min_weight = self.settings.min_ngrams.saturating_mul(FULL_WEIGHT);
        let bound = |c: &Cand| {
            c.dup
                || c.weight >= min_weight
                || c.rare + c.low.min(k.min(u32::MAX as usize) as u32) >= min_rare
        };
        let mut gathered: Vec<Option<(Vec<Cand>, Vec<u64>)>> = queries
            .par_iter()
            .map(|q| {
                if q.partners.is_some() {
                    return Ok(None);
                }
                let (counts, ng_dfs) = self.gather(&searcher, q, &df_now)?;
                let mut cands: Vec<Cand> = counts.into_values().filter(bound).collect();
                cands.sort_by_key(|c| c.addr);
                Ok(Some((cands, ng_dfs)))
            })
            .collect::<Result<_>>()?;
        if k > 0 {
            let all = queries.iter().zip(&gathered).flat_map(|(q, g)| {
                let cands = g.iter().flat_map(|g| g.0.iter().map(|c| c.addr));
                let partners = q.partners.iter().flatten().copied();
                cands.chain(partners).chain(std::iter::once(q.addr))
            });
            self.fill(&searcher, &mut cache, all, &df_now)?;
        }
        let partnered: Vec<Option<(Vec<Cand>, Vec<u64>)>> = queries
            .par_iter()
            .map(|q| match &q.partners {
                Some(p) => self.partner_counts(&searcher, q, p, &cache).map(Some),
                None => Ok(None),
            })
            .collect::<Result<_>>()?;
        for (g, p) in gathered.iter_mut().zip(partnered) {
            if p.is_some() {
                *g = p;
            }
        }
        // Judgments.
        let judged: Vec<(Vec<Judged>, u64)> = queries
            .par_iter()
            .zip(&gathered)
            .map(|(q, g)| match g {
                Some((cands, ng_dfs)) => self.judge(&searcher, q, cands, ng_dfs, &cache),
                None => Ok((Vec::new(), 0)),
            })
            .collect::<Result<_>>()?;
        // 1. Pairs of replaced or removed documents are withdrawn (before the pairs of the
        // new versions).
        for key in dead {
            if let Some(r) = ledger.pairs.remove(&key) {
                emit_withdrawn(sink, &r, None)?;
                counts.withdrawn += 1;
            }
        }
        // 2. Revisions, then 3. the batch's own pairs.
        let mut order: Vec<usize> = (0..queries.len()).collect();
        order.sort_by_key(|&i| (queries[i].partners.is_none(), queries[i].doc.seq));
        for i in order {
            let (q, (found, compared)) = (&queries[i], &judged[i]);
            counts.compared += compared;
            let b = &q.doc;
            let revise = q.partners.is_some();
            let mut seen: HashSet<u64> = HashSet::new();
            for (a, shared, v) in found {
                let key = (a.seq, b.seq);
                seen.insert(a.seq);
                let emitted = self.settings.emits(v.label);
                let known = ledger.pairs.get(&key).map(|r| r.label);
                if !emitted {
                    if let Some(r) = ledger.pairs.remove(&key) {
                        emit_withdrawn(sink, &r, Some(v.label))?;
                        counts.withdrawn += 1;
                    }
                    continue;
                }
                if revise && known == Some(v.label) {
                    continue;
                }
                let line = pair_line(a.doc_ref(), b.doc_ref(), *shared, v, None);
                let line = if revise {
                    counts.revised += 1;
                    revision_line(&line)
                } else {
                    counts.pairs += 1;
                    line
                };
                sink.pair(&VerifiedPair {
                    a: &a.id,
                    b: &b.id,
                    label: v.label.name(),
                    score: v.score,
                    json: &line,
                })?;
                ledger.pairs.insert(
                    key,
                    Reported {
                        a: a.id.clone(),
                        b: b.id.clone(),
                        label: v.label,
                    },
                );
            }
            // A partner that is no candidate any more.
            for &a in q.partners.iter().flatten() {
                let Some(sa) = seq_of(a) else { continue };
                if seen.contains(&sa) {
                    continue;
                }
                if let Some(r) = ledger.pairs.remove(&(sa, b.seq)) {
                    emit_withdrawn(sink, &r, None)?;
                    counts.withdrawn += 1;
                }
            }
        }
        ledger.below = last + 1;
        Ok(counts)
    }

    /// A re-judged document's partners with their evidence as one batch of everything would
    /// count it, and the frequencies of its n-grams.
    fn partner_counts(
        &self,
        searcher: &Searcher,
        q: &Query,
        partners: &[DocAddress],
        cache: &HashMap<DocAddress, Stems>,
    ) -> Result<(Vec<Cand>, Vec<u64>)> {
        let io = |e: std::io::Error| Error::io(self.dir.display().to_string(), e);
        let post = self.postings(searcher, Some(q.addr), Some(q.doc.seq));
        let (counts, ng_dfs) = self.ngram_counts(&post, &q.a, Some(q.addr)).map_err(io)?;
        let rarest_b = cache.get(&q.addr).map_or(&[][..], |s| &s.rarest[..]);
        // Its exact and near copies, as `gather` finds them.
        let mut copies: HashMap<DocAddress, Cand> = HashMap::new();
        self.copies(&post, &q.a, &mut copies).map_err(io)?;
        let cands = partners
            .iter()
            .map(|&a| {
                let mut c = counts.get(&a).copied().unwrap_or_else(|| Cand::new(a));
                c.rare = cache.get(&a).map_or(0, |st| overlap(rarest_b, &st.stems));
                c.dup = copies.get(&a).is_some_and(|c| c.dup);
                c
            })
            .collect();
        Ok((cands, ng_dfs))
    }

    /// Documents sharing n-grams, copies, and stems held by `2..=rare_max_df` documents with
    /// a query (`rare`: hits of the query's rarest stems; `low`: stems shared in that range),
    /// and the frequencies of its n-grams.
    fn gather(
        &self,
        searcher: &Searcher,
        q: &Query,
        df: &(dyn Fn(u32) -> u64 + Sync),
    ) -> Result<(HashMap<DocAddress, Cand>, Vec<u64>)> {
        let io = |e: std::io::Error| Error::io(self.dir.display().to_string(), e);
        let post = self.postings(searcher, Some(q.addr), Some(q.doc.seq));
        let (mut counts, ng_dfs) = self.ngram_counts(&post, &q.a, Some(q.addr)).map_err(io)?;
        let k = self.config.rare_terms;
        let rmax = self.config.rare_max_df as u64;
        if k > 0 {
            let rarest_b = rarest_set(&q.a.stems, df, k, rmax);
            let low: Vec<u32> =
                q.a.stems
                    .iter()
                    .copied()
                    .filter(|&s| (2..=rmax).contains(&df(s)))
                    .collect();
            let infos =
                term_infos(searcher, self.f.st, low.iter().map(|&s| u64::from(s))).map_err(io)?;
            for (s, inf) in low.iter().zip(&infos) {
                let fresh = u32::from(rarest_b.binary_search(s).is_ok());
                post.visit(self.f.st, inf, &mut counts, &mut |c| {
                    c.low += 1;
                    c.rare += fresh;
                })
                .map_err(io)?;
            }
        }
        self.copies(&post, &q.a, &mut counts).map_err(io)?;
        Ok((counts, ng_dfs))
    }

    /// Adds the stems of the documents not in `cache` yet.
    fn fill(
        &self,
        searcher: &Searcher,
        cache: &mut HashMap<DocAddress, Stems>,
        addrs: impl Iterator<Item = DocAddress>,
        df: &(dyn Fn(u32) -> u64 + Sync),
    ) -> Result<()> {
        let mut need: Vec<DocAddress> = addrs.filter(|a| !cache.contains_key(a)).collect();
        need.sort_unstable();
        need.dedup();
        let st = self.stems_of(searcher, &need, df)?;
        cache.extend(need.into_iter().zip(st));
        Ok(())
    }

    /// Stems and current rarest of indexed documents.
    fn stems_of(
        &self,
        searcher: &Searcher,
        addrs: &[DocAddress],
        df: &(dyn Fn(u32) -> u64 + Sync),
    ) -> Result<Vec<Stems>> {
        let (k, rmax) = (self.config.rare_terms, self.config.rare_max_df as u64);
        let params = self.params();
        addrs
            .par_iter()
            .map_init(crate::scan::fingerprint::Analyzer::default, |an, &addr| {
                let doc = self.fetch(searcher, addr)?;
                an.analyze(&doc.text, params);
                let stems = an.prints.stems.clone();
                let rarest = rarest_set(&stems, df, k, rmax);
                Ok(Stems { stems, rarest })
            })
            .collect()
    }

    /// When the query is dated and has a series: its exact copies of that series (itself
    /// among them) and on how many distinct days they are dated, as the index holds them
    /// (at most `MAX_DUP_POSTINGS` copies read): see [`crate::scan::recurring`].
    fn recurrence(&self, searcher: &Searcher, q: &Query) -> Result<(HashSet<DocAddress>, u32)> {
        let series = q.doc.series.as_deref().filter(|s| !s.is_empty());
        let (Some(sig), Some(series), Some(_)) = (q.a.sig, series, q.doc.time()) else {
            return Ok((HashSet::new(), 0));
        };
        let io = |e| Error::io(self.dir.display().to_string(), e);
        let post = super::Postings::new(searcher, None, None, super::MAX_DUP_POSTINGS);
        let mut found: HashMap<DocAddress, Cand> = HashMap::new();
        for infos in term_infos(searcher, self.f.dx, std::iter::once(sig.exact)).map_err(io)? {
            post.visit(self.f.dx, &infos, &mut found, &mut |_| {})
                .map_err(io)?;
        }
        // Fewer copies than the days a notice needs: no stored record need be read.
        if found.len() < crate::scan::recurring::RECURRING_DAYS as usize {
            return Ok((HashSet::new(), 0));
        }
        let (mut issues, mut days) = (HashSet::new(), HashSet::new());
        for addr in found.into_keys() {
            let fetched;
            let d = if addr == q.addr {
                &q.doc
            } else {
                fetched = self.fetch(searcher, addr)?;
                &fetched
            };
            if d.series.as_deref() == Some(series) {
                if let Some(t) = d.time() {
                    days.insert(t.days_since_epoch());
                    issues.insert(addr);
                }
            }
        }
        Ok((issues, days.len() as u32))
    }

    /// The verdicts of a query's candidates (those passing the candidate thresholds with
    /// their exact rare-term hits), by order of addition, and how many were compared.
    fn judge(
        &self,
        searcher: &Searcher,
        q: &Query,
        cands: &[Cand],
        ng_dfs: &[u64],
        cache: &HashMap<DocAddress, Stems>,
    ) -> Result<(Vec<Judged>, u64)> {
        let s = &self.settings;
        let min_weight = s.min_ngrams.saturating_mul(FULL_WEIGHT);
        let Ok(b_doc) = self.verifier.prepare(&q.doc.id, &q.doc.text) else {
            return Ok((Vec::new(), 0));
        };
        let keys_b = key_list(&q.a.ngrams);
        let df_of = key_df(&q.a.ngrams, ng_dfs);
        let (issues, days) = self.recurrence(searcher, q)?;
        let mut out = Vec::new();
        let mut compared = 0;
        for c in cands {
            let rare = match cache.get(&c.addr) {
                Some(st) => c.rare + overlap(&st.rarest, &q.a.stems),
                None => c.rare,
            };
            if !(c.dup || c.weight >= min_weight || rare >= s.min_rare) {
                continue;
            }
            compared += 1;
            let d = self.fetch(searcher, c.addr)?;
            let Ok(a_doc) = self.verifier.prepare(&d.id, &d.text) else {
                continue;
            };
            let keys_a = commonness::text_keys(&d.text, self.params());
            let shared = SharedText::of(&keys_a, &keys_b, &df_of);
            let dates = crate::scan::verify::PairDates {
                a: d.time(),
                b: q.doc.time(),
                same_series: d.same_series(&q.doc),
                recurring_days: if issues.contains(&c.addr) { days } else { 0 },
            };
            let v = self.verifier.verify(&a_doc, &b_doc, dates, shared);
            out.push((d, (c.ngrams, rare), v));
        }
        out.sort_by_key(|(d, _, _)| d.seq);
        Ok((out, compared))
    }
}

fn emit_withdrawn(sink: &mut dyn ScanSink, r: &Reported, label: Option<Label>) -> Result<()> {
    let line = withdrawn_line(&r.a, &r.b, label);
    sink.pair(&VerifiedPair {
        a: &r.a,
        b: &r.b,
        label: "withdrawn",
        score: 0.0,
        json: &line,
    })
}
