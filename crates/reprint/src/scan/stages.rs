//! The stages of a scan as separate calls, for engines that distribute a scan (Spark:
//! `reprint.spark`). Each is a thin layer over the code `scan` itself runs, so a distributed
//! scan that does the grouping, joins and shuffles between them gives `scan`'s answers:
//! - [`Printer`]: one document's fingerprints (`fingerprint::Analyzer`), with the keys the
//!   grouping needs (`hash >> doc_bits`, the 32-bit commonness key, the rare-term sketch slot
//!   of each stem) and its duplicate signature;
//! - [`families`]: duplicate families from every document's signature (`dups::families`);
//! - [`PairChecker`]: one candidate verified by the scan's verifier, what the pair shares
//!   weighed by the corpus frequencies given, and its `pairs.jsonl` line;
//! - [`cluster_line`]: one connected component's root, cascade edges and `clusters.jsonl`
//!   line (`cluster::clusters`).
//!
//! What stays with the caller: numbering documents in input order, the postings with the
//! `max_df` cut and weights ([`ngram_weight_of`]), the common fingerprints, the rare-term
//! sketch and selection, the family expansions, and connected components.

use std::collections::HashMap;

use serde_json::value::RawValue;

use super::cluster::{clusters, Dir, Edge};
use super::dups::{self, Signature};
use super::fingerprint::Analyzer;
use super::input::NO_SERIES;
use super::output::{self, DocRef, FamilyMember, FamilyRecord};
use super::verify::{LibVerifier, Verified, Verify};
use super::{candidates, commonness, pair_allowed, print_params, rare, ScanSettings};
use crate::compare::Comparer;
use crate::direction::{Basis, Source};
use crate::{Document, Link, Timestamp};

/// Bits of a packed n-gram entry that hold the document number in a scan of `n_docs`
/// documents: n-gram fingerprints group by `hash >> doc_bits`.
pub fn doc_bits(n_docs: usize) -> u32 {
    (usize::BITS - n_docs.leading_zeros()).max(20)
}

/// The mask of the rare-term sketch's counter index in a scan of `n_docs` documents.
pub fn sketch_mask(n_docs: usize) -> usize {
    (1usize << rare::Sketch::bits_for(n_docs)) - 1
}

/// The estimate above which a sketch counter is saturated (it then never decreases).
pub const SKETCH_SATURATED: u8 = rare::SATURATED;

/// The weight of a shared n-gram fingerprint held by `df` documents (4 = full; a candidate
/// needs `min_shared * 4`).
pub fn ngram_weight_of(df: usize) -> u32 {
    candidates::ngram_weight(candidates::ngram_channel(df))
}

/// A date as the scan reads a record's `date`: its day number, `None` when absent, blank or
/// invalid (the record is then undated).
pub fn day_of(date: Option<&str>) -> Option<i32> {
    time_of(date).map(|t| t.days_since_epoch())
}

fn time_of(date: Option<&str>) -> Option<Timestamp> {
    date.filter(|d| !d.trim().is_empty())
        .and_then(|d| Timestamp::parse(d).ok())
}

/// The dates of a pair, and whether both sides name the same (non-empty) series.
fn pair_dates(a: &PairDoc<'_>, b: &PairDoc<'_>) -> super::verify::PairDates {
    super::verify::PairDates {
        a: time_of(a.date),
        b: time_of(b.date),
        same_series: super::recurring::one_series(a.series, b.series),
        recurring_days: super::recurring::shared_days(a.recurring, b.recurring),
    }
}

/// A JSONL record as the scan reads it.
#[derive(Debug, Clone)]
pub struct Record {
    /// `id` (a number as its digits).
    pub id: String,
    /// `series`, if given.
    pub series: Option<String>,
    /// `date` as given.
    pub date: Option<String>,
    /// `text`.
    pub text: String,
    /// The other fields, a JSON object.
    pub extra: Option<String>,
}

/// The longest JSONL line the scan's reader parses, in bytes with its line end; a longer
/// one is skipped.
pub fn max_line_bytes(max_doc_bytes: usize) -> usize {
    max_doc_bytes.saturating_mul(2).saturating_add(1 << 16)
}

/// Parses one JSONL line as the scan's reader does (`None` for a blank line): the record,
/// or the id (when readable) and why the record is skipped (malformed, no id or text, an
/// empty or over-long text, a line over [`max_line_bytes`]). `line` comes without its line
/// end, `line_bytes` counts it (the reader's count); a byte-order mark is stripped on a
/// file's first line only. Duplicate ids are the caller's to skip (the first read stays).
pub fn parse_jsonl_line(
    line: &str,
    line_bytes: usize,
    first_line: bool,
    max_doc_bytes: usize,
) -> Option<Result<Record, (Option<String>, String)>> {
    let max_line = max_line_bytes(max_doc_bytes);
    if line_bytes > max_line {
        let reason = format!("line of {line_bytes} bytes is over the limit of {max_line}");
        return Some(Err((None, reason)));
    }
    let line = match line.strip_prefix('\u{feff}') {
        Some(rest) if first_line => rest,
        _ => line,
    };
    let t = line.trim_ascii();
    if t.is_empty() {
        return None;
    }
    Some(super::input::parse_record(t.as_bytes()).and_then(|d| {
        if let Some(reason) = super::input::text_problem(&d.text, max_doc_bytes) {
            return Err((Some(d.id), reason));
        }
        Ok(Record {
            id: d.id,
            series: d.series,
            date: d.date,
            text: d.text,
            extra: d.extra.map(|e| e.get().to_string()),
        })
    }))
}

/// One document's fingerprints, as the scan's fingerprint stage computes them.
#[derive(Debug, Clone, Default)]
pub struct DocPrints {
    /// `hash >> doc_bits` of every winnowed n-gram, ascending (repeats possible).
    pub groups: Vec<u64>,
    /// The 32-bit commonness keys, ascending and distinct.
    pub keys: Vec<u32>,
    /// Content stems (32-bit hashes), ascending and distinct; empty when the rare-term
    /// channel is off.
    pub stems: Vec<u32>,
    /// The sketch counter of each stem.
    pub slots: Vec<u32>,
    /// Hash of the whole normalised token stream (`None`: no tokens).
    pub exact: Option<u64>,
    /// MinHash bins (`None`: no n-gram).
    pub bins: Option<Vec<u16>>,
}

/// Fingerprints documents as the scan's fingerprint stage does.
pub struct Printer {
    an: Analyzer,
    settings: ScanSettings,
    doc_bits: u32,
    mask: usize,
}

impl Printer {
    /// A printer for a scan of `n_docs` documents.
    pub fn new(settings: &ScanSettings, n_docs: usize) -> Printer {
        Printer {
            an: Analyzer::default(),
            settings: settings.clone(),
            doc_bits: doc_bits(n_docs),
            mask: sketch_mask(n_docs),
        }
    }

    /// One document's fingerprints.
    pub fn print(&mut self, text: &str) -> DocPrints {
        let sig = self.an.analyze(text, print_params(&self.settings));
        let p = &self.an.prints;
        let groups = p.ngrams.iter().map(|h| h >> self.doc_bits).collect();
        let mut keys: Vec<u32> = p.ngrams.iter().map(|&h| commonness::key_of(h)).collect();
        keys.dedup();
        let stems = if self.settings.rare_k > 0 {
            p.stems.clone()
        } else {
            Vec::new()
        };
        let slots = stems
            .iter()
            .map(|&s| rare::slot_of(s, self.mask) as u32)
            .collect();
        DocPrints {
            groups,
            keys,
            stems,
            slots,
            exact: sig.map(|s| s.exact),
            bins: sig.and_then(|s| s.bins).map(|b| b.to_vec()),
        }
    }
}

/// A document as the duplicate stage needs it.
#[derive(Debug, Clone)]
pub struct SigRow {
    /// Its number (input order).
    pub doc: u32,
    /// [`DocPrints::exact`].
    pub exact: Option<u64>,
    /// [`DocPrints::bins`].
    pub bins: Option<Vec<u16>>,
    /// Its series, if any.
    pub series: Option<String>,
    /// [`day_of`] its date.
    pub day: Option<i32>,
}

/// A linked family member: `(representative, member, exact, estimated resemblance)`.
pub type FamilyLink = (u32, u32, bool, f32);

/// Duplicate families of documents `0..n_docs` (`rows` may leave out documents without a
/// signature), as the scan links them before its candidate stage: every member with its
/// representative, families ordered by representative, members ascending.
pub fn families(rows: &[SigRow], n_docs: usize, settings: &ScanSettings) -> Vec<FamilyLink> {
    let mut sigs: Vec<Option<Signature>> = vec![None; n_docs];
    let mut meta: Vec<(u32, Option<i32>)> = vec![(NO_SERIES, None); n_docs];
    let mut series: HashMap<&str, u32> = HashMap::new();
    for r in rows {
        let Some(slot) = sigs.get_mut(r.doc as usize) else {
            continue;
        };
        *slot = r.exact.map(|exact| Signature {
            exact,
            bins: r.bins.as_deref().and_then(|b| b.try_into().ok()),
        });
        let s = match r.series.as_deref() {
            Some(s) if !s.is_empty() => {
                let next = series.len() as u32;
                *series.entry(s).or_insert(next)
            }
            _ => NO_SERIES,
        };
        meta[r.doc as usize] = (s, r.day);
    }
    let keep = |a: u32, b: u32| pair_allowed(settings, meta[a as usize], meta[b as usize]);
    dups::families(&sigs, |d| meta[d as usize].1, keep)
        .into_iter()
        .flat_map(|f| {
            let rep = f.rep;
            f.members
                .into_iter()
                .map(move |(m, link, sim)| (rep, m, link == Link::Exact, sim))
        })
        .collect()
}

/// The documents that are issues of a recurring notice, as the scan finds them: one series'
/// very text (a row's `exact`) on 3 or more distinct days. Each as `(document, text, days)`,
/// ordered by document; `text` numbers the recurring texts (see [`PairDoc::recurring`]).
pub fn recurring(rows: &[SigRow]) -> Vec<(u32, u32, u32)> {
    let mut series: HashMap<&str, u32> = HashMap::new();
    let mut keyed = Vec::new();
    for r in rows {
        let (Some(s), Some(exact), Some(day)) = (
            r.series.as_deref().filter(|s| !s.is_empty()),
            r.exact,
            r.day,
        ) else {
            continue;
        };
        let next = series.len() as u32;
        keyed.push((*series.entry(s).or_insert(next), exact, day, r.doc));
    }
    let found = super::recurring::Recurring::find(keyed);
    let mut out = found.issues();
    out.sort_unstable();
    out
}

/// Whether two documents may be paired at all (`skip_same_series`, `date_window`).
pub fn pair_kept(
    settings: &ScanSettings,
    (series_a, day_a): (Option<&str>, Option<i32>),
    (series_b, day_b): (Option<&str>, Option<i32>),
) -> bool {
    let sa = series_a.filter(|s| !s.is_empty());
    let sb = series_b.filter(|s| !s.is_empty());
    let (ia, ib) = match (sa, sb) {
        (Some(x), Some(y)) if x == y => (0, 0),
        (Some(_), Some(_)) => (0, 1),
        (Some(_), None) => (0, NO_SERIES),
        (None, Some(_)) => (NO_SERIES, 0),
        (None, None) => (NO_SERIES, NO_SERIES),
    };
    pair_allowed(settings, (ia, day_a), (ib, day_b))
}

/// One side of a pair to verify.
#[derive(Debug, Clone, Copy)]
pub struct PairDoc<'a> {
    /// The record's id.
    pub id: &'a str,
    /// Its series, as given.
    pub series: Option<&'a str>,
    /// Its date, as given.
    pub date: Option<&'a str>,
    /// Its other fields, a JSON object (passed through to the output).
    pub extra: Option<&'a str>,
    /// [`DocPrints::keys`].
    pub keys: &'a [u32],
    /// Those of its keys that are common in the corpus (held by `COMMON_DF`+ documents, a
    /// family's representative counting for itself and its near copies), ascending.
    pub common: &'a [u32],
    /// `(text, days)` when the document is an issue of a recurring notice (see
    /// [`recurring`]): two documents of one text are issues of one notice.
    pub recurring: Option<(u32, u32)>,
}

/// A verified pair.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The verdict's label.
    pub label: &'static str,
    /// The verdict's score.
    pub score: f32,
    /// Which text the comparison names the source.
    pub source: Source,
    /// Its confidence.
    pub confidence: f32,
    /// What the direction rests on.
    pub basis: Basis,
    /// The `pairs.jsonl` line, when the label is emitted.
    pub line: Option<String>,
}

/// Verifies candidates as the scan does.
pub struct PairChecker {
    verifier: LibVerifier,
    settings: ScanSettings,
}

impl PairChecker {
    /// A checker with a scan's settings.
    pub fn new(settings: &ScanSettings) -> PairChecker {
        PairChecker {
            verifier: LibVerifier {
                comparer: Comparer::new(settings.compare.clone()),
                detail: settings.detail,
            },
            settings: settings.clone(),
        }
    }

    /// Prepares a text for comparison; an error says why it cannot be compared.
    pub fn prepare(&self, id: &str, text: &str) -> Result<Document, String> {
        self.verifier.prepare(id, text)
    }

    /// Verifies the pair `(a, b)` (`a` read first) with its candidate evidence (shared
    /// n-gram fingerprints, rare-term hits); `dup` is `(exact, resemblance)` for a pair of a
    /// family's representative and a linked member.
    pub fn check(
        &self,
        (a, da): (&PairDoc<'_>, &Document),
        (b, db): (&PairDoc<'_>, &Document),
        evidence: (u32, u32),
        dup: Option<(bool, f32)>,
    ) -> Checked {
        let st = commonness::SharedText::of(a.keys, b.keys, |k| {
            if a.common.binary_search(&k).is_ok() {
                commonness::COMMON_DF
            } else {
                0
            }
        });
        let v: Verified = self.verifier.verify(da, db, pair_dates(a, b), st);
        let line = self.settings.emits(v.label).then(|| {
            let dup = dup
                .filter(|_| v.label == crate::Label::Derived)
                .map(|(exact, sim)| (if exact { Link::Exact } else { Link::Near }, sim));
            output::pair_line(doc_ref(a), doc_ref(b), evidence, &v, dup)
        });
        Checked {
            label: v.label.name(),
            score: v.score,
            source: match v.dir {
                Dir::A => Source::A,
                Dir::B => Source::B,
                Dir::Unknown => Source::Unknown,
            },
            confidence: v.confidence,
            basis: v.basis,
            line,
        }
    }
}

fn doc_ref<'a>(d: &PairDoc<'a>) -> DocRef<'a> {
    DocRef {
        id: d.id,
        series: d.series.filter(|s| !s.is_empty()),
        date: d.date,
        fields: d
            .extra
            .and_then(|e| serde_json::from_str::<&RawValue>(e).ok()),
    }
}

/// A written pair, as a cluster edge.
#[derive(Debug, Clone, Copy)]
pub struct ClusterEdge {
    /// The document read first.
    pub a: u32,
    /// The other.
    pub b: u32,
    /// The verdict's score.
    pub score: f32,
    /// The source the comparison named.
    pub source: Source,
    /// Its confidence.
    pub confidence: f32,
    /// What it rests on.
    pub basis: Basis,
}

/// A member of a cluster.
#[derive(Debug, Clone, Copy)]
pub struct ClusterDoc<'a> {
    /// Its number (input order).
    pub doc: u32,
    /// How it appears in the output.
    pub doc_ref: PairDoc<'a>,
}

/// A family for [`cluster_line`]: its representative and its verified members as
/// (member id, exact, resemblance).
pub type FamilyMembers<'a> = (u32, Vec<(&'a str, bool, f32)>);

/// The `clusters.jsonl` line of the connected component made of `edges` (in the order the
/// scan wrote the pairs), numbered `number`; `docs` are its members, `families` the
/// families whose representative is a member: `(representative, verified members as
/// (member id, exact, resemblance))`, members ascending.
pub fn cluster_line(
    number: usize,
    edges: &[ClusterEdge],
    docs: &[ClusterDoc<'_>],
    families: &[FamilyMembers<'_>],
) -> Result<String, String> {
    let mut docs = docs.to_vec();
    docs.sort_by_key(|d| d.doc);
    docs.dedup_by_key(|d| d.doc);
    // Members renumbered 0.. in input order (the order every tie is broken by).
    let local = |d: u32| {
        docs.binary_search_by_key(&d, |x| x.doc)
            .map(|i| i as u32)
            .map_err(|_| format!("document {d} of an edge is not among the cluster's members"))
    };
    let mut le = Vec::with_capacity(edges.len());
    for e in edges {
        le.push(Edge {
            a: local(e.a)?,
            b: local(e.b)?,
            score: e.score,
            dir: match e.source {
                Source::A => Dir::A,
                Source::B => Dir::B,
                Source::Unknown => Dir::Unknown,
            },
            confidence: e.confidence,
            basis: e.basis,
        });
    }
    let days: Vec<Option<i32>> = docs.iter().map(|d| day_of(d.doc_ref.date)).collect();
    let cs = clusters(docs.len(), &le, |d| days[d as usize]);
    let [c] = cs.as_slice() else {
        return Err(format!(
            "the edges make {} connected components, not one",
            cs.len()
        ));
    };
    let refs: Vec<DocRef<'_>> = docs.iter().map(|d| doc_ref(&d.doc_ref)).collect();
    let mut rec = output::cluster_record_with(number, c, |d| refs[d as usize].clone());
    let id = |d: u32| local(d).map(|i| docs[i as usize].doc_ref.id);
    let mut fams: Vec<&FamilyMembers<'_>> = families.iter().filter(|f| !f.1.is_empty()).collect();
    fams.sort_by_key(|f| f.0);
    for (rep, members) in fams {
        let Ok(representative) = id(*rep) else {
            continue;
        };
        let mut ms = Vec::with_capacity(members.len());
        for &(m, exact, similarity) in members {
            ms.push(FamilyMember {
                id: m,
                link: if exact { Link::Exact } else { Link::Near },
                similarity,
            });
        }
        rec.families.push(FamilyRecord {
            representative,
            size: members.len() + 1,
            members: ms,
        });
    }
    serde_json::to_string(&rec).map_err(|e| e.to_string())
}
