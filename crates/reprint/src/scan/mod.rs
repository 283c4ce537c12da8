//! `scan`: find all reuse across a corpus.
//!
//! read -> fingerprint -> candidates -> verify -> cluster, each a sub-module:
//! - [`input`]: JSONL / `.jsonl.gz` / trees of text files into a [`Corpus`];
//! - [`fingerprint`] and [`tokens`]: winnowed word n-grams and content stems per document;
//! - [`dups`]: exact and near-duplicate families, verified against their representative;
//!   only representatives go on to the candidate stage;
//! - [`candidates`]: sort-based postings and pair counting, bounded in memory;
//! - [`verify`]: every candidate compared in full; only emitted verdicts go out;
//! - [`cluster`]: union-find over verified pairs, roots and cascade edges;
//! - [`output`]: sinks that stream pairs, clusters and a summary.

pub(crate) mod candidates;
mod cluster;
pub(crate) mod dups;
pub(crate) mod fingerprint;
mod input;
pub(crate) mod output;
pub(crate) mod rare;
pub(crate) mod recurring;
pub mod stages;
pub(crate) mod tokens;
pub(crate) mod verify;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::commonness::{self, SharedText};
use crate::compare::{Comparer, Label};
use crate::fasthash::{FastMap, FastSet};
use crate::settings::Settings;

use crate::error::{Error, Result};
pub use candidates::CandidateStats;
pub use cluster::{Evidence, RootBy};
pub use dups::{DuplicateStats, Link};
#[cfg(feature = "fuzzing")]
pub(crate) use input::read_jsonl_bytes;
pub use input::{Corpus, Skipped};
pub use output::{
    ClusterRecord, DirSink, FamilyMember, FamilyRecord, MemorySink, ScanSink, VerifiedPair,
};

pub(crate) use candidates::for_each_common;
use candidates::{find_candidates, CandParams};
use cluster::{clusters, Edge};
use fingerprint::{Analyzer, PrintParams};
use input::{ReadOptions, NO_SERIES};
pub use verify::Detail;
use verify::{LibVerifier, Verify};

/// The stages of a scan, as reported to a [`ScanProgress`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Stage {
    /// Reading inputs (no known total).
    Read,
    /// Fingerprinting documents (total: documents).
    Fingerprint,
    /// Verifying duplicate families (total: member pairs).
    Duplicates,
    /// Building postings and counting pairs (no known total).
    Candidates,
    /// Verifying candidates (total: candidates).
    Verify,
    /// Building clusters (no known total).
    Cluster,
}

/// Receives progress reports. Implementations must be cheap: `advance` is called often.
pub trait ScanProgress: Sync {
    /// A stage begins; `total` is its amount of work, when known.
    fn stage(&self, _stage: Stage, _total: Option<u64>) {}
    /// `n` more units of the current stage are done.
    fn advance(&self, _n: u64) {}
    /// The scan is over.
    fn finish(&self) {}
}

/// A progress receiver that ignores everything.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;
impl ScanProgress for NoProgress {}

/// Resolved, validated scan settings. Build them with [`ScanSettings::builder`].
#[derive(Debug, Clone, Serialize)]
pub struct ScanSettings {
    pub(crate) ngram: usize,
    pub(crate) window: usize,
    pub(crate) max_df: usize,
    pub(crate) rare_k: usize,
    pub(crate) rare_max_df: usize,
    pub(crate) min_ngrams: u32,
    pub(crate) min_rare: u32,
    pub(crate) skip_same_series: bool,
    pub(crate) date_window: Option<u32>,
    pub(crate) emit: Vec<String>,
    pub(crate) max_doc_bytes: usize,
    pub(crate) pair_budget: usize,
    pub(crate) detail: Detail,
    #[serde(skip)]
    pub(crate) compare: Settings,
}

impl Default for ScanSettings {
    fn default() -> ScanSettings {
        ScanSettings {
            ngram: 5,
            window: 4,
            max_df: 100,
            rare_k: 10,
            rare_max_df: 50,
            min_ngrams: 3,
            min_rare: 6,
            skip_same_series: false,
            date_window: None,
            emit: vec!["derived".into(), "partial".into()],
            max_doc_bytes: 64 << 20,
            pair_budget: 200_000_000,
            detail: Detail::Slim,
            compare: Settings::default(),
        }
    }
}

impl ScanSettings {
    /// A builder starting from the defaults.
    pub fn builder() -> ScanSettingsBuilder {
        ScanSettingsBuilder {
            s: ScanSettings::default(),
        }
    }
}

/// Builds [`ScanSettings`]; [`ScanSettingsBuilder::build`] validates them.
#[derive(Debug, Clone)]
pub struct ScanSettingsBuilder {
    s: ScanSettings,
}

impl ScanSettingsBuilder {
    /// Words per n-gram fingerprint (default 5).
    pub fn ngram(mut self, n: usize) -> Self {
        self.s.ngram = n;
        self
    }
    /// Winnowing window in n-grams (default 4): shared runs of `ngram + window - 1` words
    /// are always seen.
    pub fn window(mut self, w: usize) -> Self {
        self.s.window = w;
        self
    }
    /// Fingerprints held by more documents than this are ignored (default 100).
    pub fn max_df(mut self, n: usize) -> Self {
        self.s.max_df = n;
        self
    }
    /// Rare content stems per document for the paraphrase channel; 0 turns it off (default 10).
    pub fn rare_terms(mut self, k: usize) -> Self {
        self.s.rare_k = k;
        self
    }
    /// Stems held by more documents than this are never rare (default 50, at most 254).
    pub fn rare_max_df(mut self, n: usize) -> Self {
        self.s.rare_max_df = n;
        self
    }
    /// Shared n-gram fingerprints that make a candidate (default 3).
    pub fn min_shared_ngrams(mut self, n: u32) -> Self {
        self.s.min_ngrams = n;
        self
    }
    /// Rare-term hits (both directions added) that make a candidate (default 6).
    pub fn min_rare_hits(mut self, n: u32) -> Self {
        self.s.min_rare = n;
        self
    }
    /// Skip pairs whose two documents have the same series (outlet).
    pub fn skip_same_series(mut self, yes: bool) -> Self {
        self.s.skip_same_series = yes;
        self
    }
    /// Compare only documents dated at most this many days apart (undated documents are
    /// compared with all).
    pub fn date_window(mut self, days: Option<u32>) -> Self {
        self.s.date_window = days;
        self
    }
    /// Verdict labels written to the output (default `derived`, `partial`).
    pub fn emit<I, S>(mut self, labels: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.s.emit = labels.into_iter().map(Into::into).collect();
        self
    }
    /// Texts longer than this many bytes are skipped and reported (default 64 MiB).
    pub fn max_doc_bytes(mut self, n: usize) -> Self {
        self.s.max_doc_bytes = n;
        self
    }
    /// Most pair keys (8 bytes each) counted in memory at once (default 200 million).
    pub fn pair_budget(mut self, n: usize) -> Self {
        self.s.pair_budget = n;
        self
    }
    /// How much of each comparison to write (default [`Detail::Slim`]).
    pub fn detail(mut self, d: Detail) -> Self {
        self.s.detail = d;
        self
    }
    /// The comparison settings used to verify candidates (the same as `reprint compare`'s).
    pub fn compare_settings(mut self, s: Settings) -> Self {
        self.s.compare = s;
        self
    }
    /// Validates and returns the settings.
    pub fn build(self) -> Result<ScanSettings> {
        let s = self.s;
        if !(1..=32).contains(&s.ngram) {
            return Err(Error::setting("ngram", "must be between 1 and 32"));
        }
        if !(1..=64).contains(&s.window) {
            return Err(Error::setting("window", "must be between 1 and 64"));
        }
        if s.max_df < 2 {
            return Err(Error::setting("max_df", "must be at least 2"));
        }
        if s.rare_k > 0 && !(2..=254).contains(&s.rare_max_df) {
            // 254: the rare-term sketch counts in bytes.
            return Err(Error::setting("rare_max_df", "must be between 2 and 254"));
        }
        if s.min_ngrams == 0 {
            return Err(Error::setting("min_shared_ngrams", "must be at least 1"));
        }
        if s.rare_k > 0 && s.min_rare == 0 {
            return Err(Error::setting("min_rare_hits", "must be at least 1"));
        }
        if s.pair_budget < 1024 {
            return Err(Error::setting("pair_budget", "must be at least 1024"));
        }
        if s.emit.is_empty() {
            return Err(Error::setting("emit", "name at least one verdict label"));
        }
        let known = |l: &str| Label::ALL.iter().any(|x| x.name() == l);
        if let Some(bad) = s.emit.iter().find(|l| !known(l)) {
            let names: Vec<&str> = Label::ALL.iter().map(|l| l.name()).collect();
            return Err(Error::setting(
                "emit",
                format!("unknown verdict `{bad}`: expected {}", names.join(", ")),
            ));
        }
        Ok(s)
    }
}

impl ScanSettings {
    /// Whether pairs with this verdict are written.
    pub(crate) fn emits(&self, label: Label) -> bool {
        self.emit.iter().any(|l| l == label.name())
    }
}

/// Verdict counts over all verified candidates.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VerdictCounts {
    /// Verdict `derived`.
    pub derived: u64,
    /// Verdict `partial`.
    pub partial: u64,
    /// Verdict `template`: common wording with other facts.
    pub template: u64,
    /// Verdict `boilerplate`: the shared text is common in the corpus.
    pub boilerplate: u64,
    /// Verdict `background`: two stories sharing background text outside their leads.
    pub background: u64,
    /// Verdict `related`.
    pub related: u64,
    /// Verdict `unrelated`.
    pub unrelated: u64,
    /// Candidates whose documents could not be prepared for comparison.
    pub failed: u64,
}

impl VerdictCounts {
    fn add(&mut self, label: Label) {
        *match label {
            Label::Derived => &mut self.derived,
            Label::Partial => &mut self.partial,
            Label::Template => &mut self.template,
            Label::Boilerplate => &mut self.boilerplate,
            Label::Background => &mut self.background,
            Label::Related => &mut self.related,
            Label::Unrelated => &mut self.unrelated,
        } += 1;
    }
}

/// Reads inputs as a scan does (skipping bad records), for tools that need the texts.
pub(crate) fn read_corpus(inputs: &[PathBuf], max_doc_bytes: usize) -> Result<Corpus> {
    input::read_inputs(inputs, &ReadOptions { max_doc_bytes })
}

/// Seconds spent in each stage.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Timing {
    /// Reading and parsing inputs.
    pub read: f64,
    /// Tokenising and fingerprinting.
    pub fingerprint: f64,
    /// Finding and verifying duplicate families.
    pub duplicates: f64,
    /// Postings and pair counting.
    pub candidates: f64,
    /// Comparing candidates and writing pairs.
    pub verify: f64,
    /// Clustering and writing clusters.
    pub cluster: f64,
    /// Everything.
    pub total: f64,
}

/// What a scan did: counts, time, throughput and skipped records. Written as `summary.json`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScanSummary {
    /// Input files read.
    pub files: u64,
    /// Documents scanned.
    pub documents: u64,
    /// Bytes of text scanned.
    pub bytes: u64,
    /// Records skipped (malformed, empty, duplicate id, too large).
    pub skipped: u64,
    /// The first skipped records (at most 1000), with file, line and reason.
    pub skipped_records: Vec<Skipped>,
    /// Records scanned with a warning (e.g. invalid UTF-8 replaced).
    pub warnings: u64,
    /// The first warnings (at most 1000).
    pub warning_records: Vec<Skipped>,
    /// The duplicate stage (families found before candidates, verified after).
    pub duplicates: DuplicateStats,
    /// The candidate stage.
    pub candidates: CandidateStats,
    /// Verdicts over all candidates.
    pub verdicts: VerdictCounts,
    /// Pairs written to the output.
    pub pairs: u64,
    /// Clusters written (two or more members).
    pub clusters: u64,
    /// Documents in some cluster.
    pub clustered_documents: u64,
    /// Time per stage, in seconds.
    pub seconds: Timing,
    /// Documents per second, end to end.
    pub docs_per_second: f64,
    /// Megabytes (10^6 bytes) of text per second, end to end.
    pub mb_per_second: f64,
    /// The settings used.
    pub settings: Option<ScanSettings>,
}

impl ScanSummary {
    /// Whether some input records were skipped (the CLI exits non-zero then).
    pub fn has_skipped(&self) -> bool {
        self.skipped > 0
    }
}

/// Reads `inputs` (JSONL, `.jsonl.gz`, text files, directory trees) and scans them.
pub fn scan_paths(
    inputs: &[PathBuf],
    settings: &ScanSettings,
    sink: &mut dyn ScanSink,
    progress: &dyn ScanProgress,
) -> Result<ScanSummary> {
    let t0 = Instant::now();
    progress.stage(Stage::Read, None);
    let corpus = input::read_inputs(
        inputs,
        &ReadOptions {
            max_doc_bytes: settings.max_doc_bytes,
        },
    )?;
    let read = t0.elapsed().as_secs_f64();
    let mut summary = scan_corpus(&corpus, settings, sink, progress)?;
    summary.seconds.read = read;
    summary.seconds.total += read;
    finish_throughput(&mut summary);
    sink.summary(&summary)?;
    progress.finish();
    Ok(summary)
}

fn finish_throughput(s: &mut ScanSummary) {
    let t = s.seconds.total.max(1e-9);
    s.docs_per_second = s.documents as f64 / t;
    s.mb_per_second = s.bytes as f64 / 1e6 / t;
}

/// Scans a corpus already in memory. Pairs and clusters go to `sink` as they are found;
/// the summary is returned (and not given to the sink: the caller decides).
pub fn scan_corpus(
    corpus: &Corpus,
    settings: &ScanSettings,
    sink: &mut dyn ScanSink,
    progress: &dyn ScanProgress,
) -> Result<ScanSummary> {
    let verifier = LibVerifier {
        comparer: Comparer::new(settings.compare.clone()),
        detail: settings.detail,
    };
    scan_with(corpus, settings, sink, progress, &verifier)
}

fn scan_with<V: Verify>(
    corpus: &Corpus,
    settings: &ScanSettings,
    sink: &mut dyn ScanSink,
    progress: &dyn ScanProgress,
    verifier: &V,
) -> Result<ScanSummary> {
    let t0 = Instant::now();
    let n = corpus.len();
    if n >= (1 << 31) {
        return Err(Error::TooLarge {
            message: format!("{n} documents; at most 2^31 - 1"),
        });
    }
    let mut summary = ScanSummary {
        files: corpus.files,
        documents: n as u64,
        bytes: corpus.bytes,
        skipped: corpus.skipped.len() as u64,
        skipped_records: corpus.skipped.iter().take(1000).cloned().collect(),
        warnings: corpus.warnings.len() as u64,
        warning_records: corpus.warnings.iter().take(1000).cloned().collect(),
        settings: Some(settings.clone()),
        ..Default::default()
    };

    let mut prints = fingerprint_stage(corpus, settings, progress);
    summary.seconds.fingerprint = t0.elapsed().as_secs_f64();
    // Without a date window or the same-series rule every pair may be paired: then the
    // filter (called for every pair the candidate stage emits) reads no document.
    let any_pair = !settings.skip_same_series && settings.date_window.is_none();
    let keep = |a: u32, b: u32| any_pair || keep_pair(corpus, settings, a, b);

    let td = Instant::now();
    let mut linked = link_duplicates(corpus, &mut prints, keep);
    summary.seconds.duplicates = td.elapsed().as_secs_f64();

    let t1 = Instant::now();
    progress.stage(Stage::Candidates, None);
    let keys = std::mem::take(&mut prints.keys);
    let (cands, cstats, common) = candidate_stage(prints, &linked, n, settings, keep);
    summary.candidates = cstats;
    summary.seconds.candidates = t1.elapsed().as_secs_f64();

    // Families verified, each member against its representative, with the family
    // frequencies of the shared text; then the pairs small families and rejected members
    // stand for join the candidates.
    let td = Instant::now();
    let common: FastSet<u32> = common.into_iter().collect();
    let checker = Checker {
        corpus,
        verifier,
        keys: &keys,
        common: &common,
        cache: Mutex::new(DocCache::default()),
        alias: identical_members(corpus, &linked.families, verifier),
        recurring: std::mem::take(&mut linked.recurring),
    };
    // The documents the verify stage may compare again (see `dups::with_small_families`),
    // which the family stage keeps prepared: those of the candidates found so far (a
    // family's representative among them); the members of a family whose representative
    // has candidates (rejected and small families' members are paired with them); and the
    // members of a family of two members or more (paired with each other).
    let mut later = vec![false; n];
    for c in &cands {
        later[c.a as usize] = true;
        later[c.b as usize] = true;
    }
    for f in &linked.families {
        if later[f.rep as usize] || f.members.len() >= 2 {
            for m in &f.members {
                later[m.0 as usize] = true;
            }
        }
    }
    // A member with its representative's very text is compared through its representative's
    // prepared document.
    for (&m, &rep) in &checker.alias {
        if later[m as usize] {
            later[rep as usize] = true;
        }
    }
    let (fams, mut edges) = dups::verify_families(
        &checker,
        settings,
        linked.families,
        &later,
        sink,
        &mut summary,
        progress,
    )?;
    let fam_index = dups::family_index(n, &fams);
    let cands = dups::with_small_families(cands, &fams, &fam_index, keep);
    summary.seconds.duplicates += td.elapsed().as_secs_f64();

    let t2 = Instant::now();
    progress.stage(Stage::Verify, Some(cands.len() as u64));
    verify_stage(
        &checker,
        cands,
        settings,
        sink,
        &mut summary,
        &mut edges,
        progress,
    )?;
    summary.seconds.verify = t2.elapsed().as_secs_f64();

    let t3 = Instant::now();
    progress.stage(Stage::Cluster, None);
    cluster_stage(corpus, &fams, &edges, sink, &mut summary)?;
    summary.seconds.cluster = t3.elapsed().as_secs_f64();
    summary.seconds.total = t0.elapsed().as_secs_f64();
    finish_throughput(&mut summary);
    Ok(summary)
}

/// The fingerprint parameters of a scan's settings.
pub(crate) fn print_params(settings: &ScanSettings) -> PrintParams {
    PrintParams {
        ngram: settings.ngram,
        window: settings.window,
    }
}

/// Whether two documents may be paired at all (`--skip-same-series`, `--date-window`).
fn keep_pair(corpus: &Corpus, settings: &ScanSettings, a: u32, b: u32) -> bool {
    let (da, db) = (&corpus.docs[a as usize], &corpus.docs[b as usize]);
    pair_allowed(settings, (da.series, da.day), (db.series, db.day))
}

/// [`keep_pair`] on two documents' series numbers and days.
pub(crate) fn pair_allowed(
    settings: &ScanSettings,
    (sa, da): (u32, Option<i32>),
    (sb, db): (u32, Option<i32>),
) -> bool {
    if settings.skip_same_series && sa != NO_SERIES && sa == sb {
        return false;
    }
    match (settings.date_window.map(i64::from), da, db) {
        (Some(w), Some(x), Some(y)) => (i64::from(x) - i64::from(y)).abs() <= w,
        _ => true,
    }
}

/// What the fingerprint stage computed for the whole corpus.
struct CorpusPrints {
    /// `(hash & !mask) | doc` for every winnowed n-gram of every document.
    ng_entries: Vec<u64>,
    /// Content stems per document, in worker-sized stores.
    stores: Vec<rare::StemStore>,
    /// Document frequency estimates of the stems.
    sketches: rare::Sketches,
    /// Duplicate signatures, by document.
    sigs: Vec<Option<dups::Signature>>,
    /// Every document's fingerprint keys, for the verdict's weighing of shared text.
    keys: DocKeys,
    /// Bits of a packed entry that hold the document number.
    doc_bits: u32,
}

/// The fingerprint keys of every document (`commonness::text_keys`), kept from the
/// fingerprint stage so that verification does not tokenise its documents a second time:
/// 4 bytes per winnowed n-gram.
/// Kept in the stage's parts as they were made (no copy into one vector).
#[derive(Default)]
struct DocKeys {
    parts: Vec<Vec<u32>>,
    /// Per document: its part, where its keys start there, and how many there are.
    spans: Vec<(u32, u32, u32)>,
}

impl DocKeys {
    fn of(&self, d: u32) -> &[u32] {
        let (part, start, len) = self.spans[d as usize];
        self.parts
            .get(part as usize)
            .map_or(&[], |p| &p[start as usize..(start + len) as usize])
    }
}

impl CorpusPrints {
    fn mask(&self) -> u64 {
        (1u64 << self.doc_bits) - 1
    }
}

/// Stage 1: every document analysed ([`fingerprint::Analyzer`]) in parallel.
fn fingerprint_stage(
    corpus: &Corpus,
    settings: &ScanSettings,
    progress: &dyn ScanProgress,
) -> CorpusPrints {
    let n = corpus.len();
    progress.stage(Stage::Fingerprint, Some(n as u64));
    let doc_bits = (usize::BITS - n.leading_zeros()).max(20);
    let mask = (1u64 << doc_bits) - 1;
    let params = print_params(settings);
    let with_stems = settings.rare_k > 0;
    let sketches = rare::Sketches::new(n);
    // Per part: the keys of its documents, in order, and (document, count).
    type Keys = (Vec<u32>, Vec<(u32, u32)>);
    // Parts of PART_DOCS documents, each analysed in order by one worker into vectors sized
    // from its texts (about one winnowed n-gram per 16 bytes of text, one distinct content
    // stem per 11), so they seldom grow by copying; each signature goes to its slot.
    const PART_DOCS: usize = 2048;
    let mut sigs: Vec<Option<dups::Signature>> = vec![None; n];
    let mut parts: Vec<(Vec<u64>, rare::StemStore, Keys)> = sigs
        .par_chunks_mut(PART_DOCS)
        .enumerate()
        .map_init(Analyzer::default, |an, (i, slots)| {
            let first = i * PART_DOCS;
            let docs = first..first + slots.len();
            let bytes: usize = docs.clone().map(|d| corpus.texts[d].len()).sum();
            let mut ng = Vec::with_capacity(bytes / 12);
            let mut ks = (
                Vec::with_capacity(bytes / 12),
                Vec::with_capacity(slots.len()),
            );
            let mut st = if with_stems {
                rare::StemStore::with_capacity(slots.len(), bytes / 8)
            } else {
                rare::StemStore::default()
            };
            for (d, slot) in docs.zip(slots.iter_mut()) {
                *slot = an.analyze(&corpus.texts[d], params);
                let prints = &an.prints;
                ng.extend(prints.ngrams.iter().map(|h| (h & !mask) | d as u64));
                let before = ks.0.len();
                // `ngrams` is sorted, so equal keys are neighbours (as in `text_keys`).
                let mut last = None;
                for &h in &prints.ngrams {
                    let k = commonness::key_of(h);
                    if last != Some(k) {
                        ks.0.push(k);
                        last = Some(k);
                    }
                }
                ks.1.push((d as u32, (ks.0.len() - before) as u32));
                if with_stems {
                    sketches.count(&prints.stems);
                    st.push(d as u32, &prints.stems);
                }
            }
            progress.advance(slots.len() as u64);
            (ng, st, ks)
        })
        .collect();
    // The parts' entries copied into one vector in parallel (each part to its own range).
    let total_ng: usize = parts.iter().map(|p| p.0.len()).sum();
    let mut ng_entries = vec![0u64; total_ng];
    let mut ranges = Vec::with_capacity(parts.len());
    let mut rest = &mut ng_entries[..];
    for p in &parts {
        let (head, tail) = rest.split_at_mut(p.0.len());
        ranges.push(head);
        rest = tail;
    }
    ranges
        .into_par_iter()
        .zip(parts.par_iter_mut())
        .for_each(|(dst, (ng, _, (ks, _)))| {
            dst.copy_from_slice(ng);
            *ng = Vec::new();
            ks.shrink_to_fit();
        });
    let mut stores = Vec::with_capacity(parts.len());
    let mut keys = DocKeys {
        parts: Vec::with_capacity(parts.len()),
        spans: vec![(u32::MAX, 0, 0); n],
    };
    for (_, st, (ks, counts)) in parts {
        stores.push(st);
        let part = keys.parts.len() as u32;
        let mut at = 0u32;
        for (d, c) in counts {
            keys.spans[d as usize] = (part, at, c);
            at += c;
        }
        keys.parts.push(ks);
    }
    CorpusPrints {
        ng_entries,
        stores,
        sketches,
        sigs,
        keys,
        doc_bits,
    }
}

/// Duplicate families linked (not yet verified), with the index of their members.
struct Linked {
    families: Vec<dups::Family>,
    index: Vec<u32>,
    recurring: recurring::Recurring,
    /// Near copies, each distinct text's first (empty without families).
    near_text: Vec<bool>,
}

/// Stage 2: duplicate families, linked before the n-gram df cut: their members (all but the
/// representative) leave the candidate stage, so frequencies there count each family once
/// (near copies keep what they alone hold).
/// They are verified after it, when the corpus frequencies are known.
fn link_duplicates(
    corpus: &Corpus,
    prints: &mut CorpusPrints,
    keep: impl Fn(u32, u32) -> bool + Sync,
) -> Linked {
    let sigs = std::mem::take(&mut prints.sigs);
    let families = dups::families(&sigs, |d| corpus.docs[d as usize].day, keep);
    let recurring = recurring::Recurring::find(
        sigs.iter()
            .zip(&corpus.docs)
            .enumerate()
            .filter_map(|(d, (sig, m))| {
                let day = m.day.filter(|_| m.series != NO_SERIES)?;
                Some((m.series, sig.as_ref()?.exact, day, d as u32))
            })
            .collect(),
    );
    // A member leaves the candidate stage with the fingerprints its representative holds
    // (they count once there, through the representative). A near copy keeps those its own
    // words made (its edits, a paragraph added), once per distinct text: a text that reuses
    // that part is paired with it as the index would pair them, and the part counts toward
    // commonness like any text's.
    let mut near = Vec::new();
    let mut rep_of_near = Vec::new();
    if !families.is_empty() {
        near = vec![false; corpus.len()];
        rep_of_near = vec![false; corpus.len()];
        let mut texts = crate::fasthash::FastSet::default();
        for f in &families {
            for m in f.members.iter().filter(|m| m.1 == dups::Link::Near) {
                let first = sigs[m.0 as usize].is_some_and(|s| texts.insert(s.exact));
                near[m.0 as usize] = first;
                rep_of_near[f.rep as usize] |= first;
            }
        }
    }
    drop(sigs);
    let index = dups::family_index(corpus.len(), &families);
    if !families.is_empty() {
        let mask = prints.mask();
        let reps_hold: crate::fasthash::FastSet<u64> = prints
            .ng_entries
            .iter()
            .copied()
            .filter(|&e| rep_of_near[(e & mask) as usize])
            .collect();
        prints.ng_entries.retain(|&e| {
            let d = (e & mask) as usize;
            !dups::is_member(&index, d as u32)
                || (near[d] && !reps_hold.contains(&((e & !mask) | u64::from(index[d]))))
        });
    }
    Linked {
        families,
        index,
        recurring,
        near_text: near,
    }
}

/// Stage 3: candidate pairs from both channels; also the fingerprint keys held by
/// `COMMON_DF`+ documents (for the verdict's weighing of shared text).
fn candidate_stage(
    prints: CorpusPrints,
    linked: &Linked,
    n: usize,
    settings: &ScanSettings,
    keep: impl Fn(u32, u32) -> bool + Sync,
) -> (Vec<candidates::Candidate>, CandidateStats, Vec<u32>) {
    let CorpusPrints {
        ng_entries,
        mut stores,
        sketches,
        doc_bits,
        ..
    } = prints;
    let is_member = |d: u32| dups::is_member(&linked.index, d);
    // Rare-term channel: only stems some document nominates as one of its rarest are indexed
    // (see `rare`); entries are `stem << 32 | doc`, and doc < 2^doc_bits, so `>> doc_bits`
    // still groups by stem.
    let stem_occurrences: usize = stores.iter().map(rare::StemStore::len).sum();
    let st_entries = if settings.rare_k > 0 {
        let mut sketch = sketches.merged();
        if !linked.families.is_empty() {
            rare::forget_all(&mut stores, &mut sketch, is_member);
        }
        rare::nominated_entries(&stores, &sketch, settings.rare_k, settings.rare_max_df)
    } else {
        Vec::new()
    };
    drop(stores);
    // The verdict weighs the text each pair shares by how common it is in the corpus
    // (`commonness`): the postings note the fingerprints held by COMMON_DF+ documents. Exact
    // copies are one text however often printed, so a family's representative counts once
    // for them (a column quoting a story printed 1,000 times still quotes one story); but
    // each near copy counts as a document of its own: they differ somewhere, and when what
    // makes short items near copies is one scraped junk sentence, counting their family once
    // made that sentence read as specific (AG News: 28 of 147 reuse pairs shared only CNET's
    // junk line, against 6 this way). Each distinct text counts once: two near copies with
    // the same words are one text, as exact copies are (counted twice, a story printed as
    // three texts, one of them twice, made its own sentences common for an article that
    // reprinted them). A near copy counts through its representative for the fingerprints
    // they share, and with its own entries (kept by `link_duplicates`) for those its edits
    // made: the index counts each text's fingerprints so.
    let mut doc_weight = Vec::new();
    if !linked.families.is_empty() {
        doc_weight = vec![1u32; n];
        for f in &linked.families {
            doc_weight[f.rep as usize] = 1 + f
                .members
                .iter()
                .filter(|m| linked.near_text[m.0 as usize])
                .count() as u32;
        }
    }
    let cparams = CandParams {
        max_df: settings.max_df,
        rare_k: settings.rare_k,
        rare_max_df: settings.rare_max_df,
        min_ngrams: settings.min_ngrams,
        min_rare: settings.min_rare,
        pair_budget: settings.pair_budget,
        common_df: Some(commonness::COMMON_DF as usize),
        doc_weight: &doc_weight,
    };
    // Two near copies of one family may share words their representative lacks (the same
    // edit): the family pairs its members (in full when small, as a star when large).
    let index = &linked.index;
    let keep = move |a: u32, b: u32| {
        keep(a, b)
            && !(dups::is_member(index, a)
                && dups::is_member(index, b)
                && index[a as usize] == index[b as usize])
    };
    let fam_keep = dups::family_keep(&linked.families, &linked.index, keep);
    let (cands, mut cstats, common) =
        find_candidates(ng_entries, st_entries, doc_bits, n, &cparams, fam_keep);
    cstats.stem_occurrences = stem_occurrences as u64;
    (cands, cstats, common)
}

/// Stage 4: every candidate verified, in chunks: each distinct document of a chunk is
/// prepared once, then the chunk's pairs are compared in parallel and written in order. A
/// chunk holds at most CHUNK_PAIRS pairs and CHUNK_BYTES of text, which bounds the prepared
/// documents in memory.
fn verify_stage<V: Verify>(
    checker: &Checker<'_, V>,
    cands: Vec<candidates::Candidate>,
    settings: &ScanSettings,
    sink: &mut dyn ScanSink,
    summary: &mut ScanSummary,
    edges: &mut Vec<Edge>,
    progress: &dyn ScanProgress,
) -> Result<()> {
    let corpus = checker.corpus;
    let groups: Vec<&[candidates::Candidate]> = cands.chunk_by(|x, y| x.a == y.a).collect();
    const CHUNK_PAIRS: usize = 4096;
    const CHUNK_BYTES: usize = 256 << 20;
    let text_len = |d: u32| corpus.texts[d as usize].len();
    let mut chunks = Vec::new();
    let mut start = 0;
    while start < groups.len() {
        let mut end = start;
        let (mut pairs, mut bytes) = (0, 0);
        while end < groups.len() && ((pairs < CHUNK_PAIRS && bytes < CHUNK_BYTES) || end == start) {
            pairs += groups[end].len();
            bytes += groups[end].iter().map(|c| text_len(c.b)).sum::<usize>()
                + groups[end].first().map_or(0, |c| text_len(c.a));
            end += 1;
        }
        chunks.push((start, end));
        start = end;
    }
    // The last chunk each document is compared in: a prepared document is kept for later
    // chunks (within the cache's budget) rather than prepared again.
    let mut last = FastMap::<u32, u32>::default();
    for (k, &(start, end)) in chunks.iter().enumerate() {
        for c in groups[start..end].iter().flat_map(|g| g.iter()) {
            last.insert(checker.canon(c.a), k as u32);
            last.insert(checker.canon(c.b), k as u32);
        }
    }
    checker.keep_only(|d| last.contains_key(&d));
    for (k, &(start, end)) in chunks.iter().enumerate() {
        let later = |d: u32| last.get(&d).is_some_and(|&l| l as usize > k);
        let results = checker.verify_groups(&groups[start..end], progress, &later);
        for (group, res) in groups[start..end].iter().zip(results) {
            for (i, r) in res {
                let c = group[i];
                match r {
                    Err(()) => summary.verdicts.failed += 1,
                    Ok(v) => {
                        summary.verdicts.add(v.label);
                        if settings.emits(v.label) {
                            let line = output::pair_line(
                                output::doc_ref(corpus, c.a as usize),
                                output::doc_ref(corpus, c.b as usize),
                                (c.ngrams, c.rare),
                                &v,
                                None,
                            );
                            write_pair(sink, corpus, (c.a, c.b), &v, &line, summary, edges)?;
                        }
                    }
                }
            }
        }
    }
    checker.keep_only(|_| false);
    Ok(())
}

/// Stage 5: clusters of the verified pairs, with their cascades and families.
fn cluster_stage(
    corpus: &Corpus,
    fams: &[dups::Family],
    edges: &[Edge],
    sink: &mut dyn ScanSink,
    summary: &mut ScanSummary,
) -> Result<()> {
    let cs = clusters(corpus.len(), edges, |d| corpus.docs[d as usize].day);
    for (i, c) in cs.iter().enumerate() {
        summary.clusters += 1;
        summary.clustered_documents += c.members.len() as u64;
        let mut rec = output::cluster_record(corpus, i + 1, c);
        rec.families = dups::family_records(corpus, fams, &c.members);
        sink.cluster(&rec)?;
    }
    Ok(())
}

type Verified = verify::Verified;

/// Verifies groups of candidate pairs: each distinct document is prepared once, and what
/// each pair shares is weighed by the corpus frequencies of its fingerprints (`common`: the
/// keys held by `COMMON_DF`+ documents).
pub(crate) struct Checker<'s, V: Verify> {
    corpus: &'s Corpus,
    verifier: &'s V,
    keys: &'s DocKeys,
    common: &'s FastSet<u32>,
    /// Prepared documents kept for later chunks.
    cache: Mutex<DocCache<V::Doc>>,
    /// Documents compared through another's prepared document (see [`identical_members`]).
    alias: FastMap<u32, u32>,
    /// Issues of recurring notices.
    recurring: recurring::Recurring,
}

/// The duplicate family members whose text is byte for byte their representative's, each
/// to its representative, when the verifier lets identical texts share a prepared document
/// (the exact copies of a story are prepared once).
fn identical_members<V: Verify>(
    corpus: &Corpus,
    fams: &[dups::Family],
    verifier: &V,
) -> FastMap<u32, u32> {
    let mut alias = FastMap::default();
    if !verifier.shares_identical_texts() {
        return alias;
    }
    for f in fams {
        let text = &corpus.texts[f.rep as usize];
        for &(m, link, _) in &f.members {
            if link == dups::Link::Exact && corpus.texts[m as usize] == *text {
                alias.insert(m, f.rep);
            }
        }
    }
    alias
}

/// A prepared document (or why it could not be prepared), shared by the chunks that
/// compare it.
type PreparedDoc<D> = Arc<std::result::Result<D, String>>;

/// Prepared documents kept from one chunk of comparisons for a later one, so that a
/// document compared in several chunks (or in the family and the verify stages) is prepared
/// once; at most [`CACHE_TEXT_BYTES`] of their texts, which bounds the memory it holds.
struct DocCache<D> {
    docs: FastMap<u32, PreparedDoc<D>>,
    /// Bytes of the kept documents' texts.
    bytes: usize,
}

impl<D> Default for DocCache<D> {
    fn default() -> Self {
        DocCache {
            docs: FastMap::default(),
            bytes: 0,
        }
    }
}

/// Text bytes of the documents a [`DocCache`] keeps at most (a prepared document takes
/// several times its text).
const CACHE_TEXT_BYTES: usize = 32 << 20;

impl<V: Verify> Checker<'_, V> {
    /// The document whose prepared form `d` is compared through: its representative when
    /// their texts are identical (see [`identical_members`]), else itself.
    pub(crate) fn canon(&self, d: u32) -> u32 {
        self.alias.get(&d).copied().unwrap_or(d)
    }

    /// Drops the kept documents `keep` says no.
    fn keep_only(&self, keep: impl Fn(u32) -> bool) {
        let corpus = self.corpus;
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.docs.retain(|&d, _| keep(d));
        cache.bytes = cache
            .docs
            .keys()
            .map(|&d| corpus.texts[d as usize].len())
            .sum();
    }

    /// The verdicts of every group's pairs, in order (`Err` when a document could not be
    /// prepared). Documents `later` says are compared again afterwards are kept prepared.
    fn verify_groups(
        &self,
        groups: &[&[candidates::Candidate]],
        progress: &dyn ScanProgress,
        later: &(dyn Fn(u32) -> bool + Sync),
    ) -> Vec<Vec<(usize, Result<Verified, ()>)>> {
        let corpus = self.corpus;
        let mut ids: Vec<u32> = groups
            .iter()
            .flat_map(|g| g.iter().flat_map(|c| [self.canon(c.a), self.canon(c.b)]))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let kept: Vec<Option<PreparedDoc<V::Doc>>> = {
            let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            ids.iter().map(|d| cache.docs.get(d).cloned()).collect()
        };
        let prepared: Vec<PreparedDoc<V::Doc>> = ids
            .par_iter()
            .zip(kept)
            .map(|(&d, kept)| {
                kept.unwrap_or_else(|| {
                    Arc::new(
                        self.verifier
                            .prepare(&corpus.docs[d as usize].id, &corpus.texts[d as usize]),
                    )
                })
            })
            .collect();
        let doc = |d: u32| {
            ids.binary_search(&self.canon(d))
                .ok()
                .and_then(|i| prepared[i].as_ref().as_ref().ok())
        };
        // Fingerprint keys of each document, to weigh what each pair shares.
        let shared_of = |a: u32, b: u32| {
            SharedText::of(self.keys.of(a), self.keys.of(b), |k| {
                if self.common.contains(&k) {
                    commonness::COMMON_DF
                } else {
                    0
                }
            })
        };
        let out = groups
            .par_iter()
            .map(|group| {
                let pair = Pair {
                    corpus,
                    doc: &doc,
                    shared: &shared_of,
                    recurring: &self.recurring,
                };
                verify_group(self.verifier, group, &pair, progress)
            })
            .collect();
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let cache = &mut *cache;
        cache.docs.retain(|&d, _| later(d));
        cache.bytes = cache
            .docs
            .keys()
            .map(|&d| corpus.texts[d as usize].len())
            .sum();
        for (&d, p) in ids.iter().zip(prepared) {
            let len = corpus.texts[d as usize].len();
            if later(d) && cache.bytes + len <= CACHE_TEXT_BYTES && !cache.docs.contains_key(&d) {
                cache.bytes += len;
                cache.docs.insert(d, p);
            }
        }
        out
    }
}

/// Writes a verified pair's line to the sink, counts it and keeps its cluster edge.
fn write_pair(
    sink: &mut dyn ScanSink,
    corpus: &Corpus,
    (a, b): (u32, u32),
    v: &Verified,
    line: &str,
    summary: &mut ScanSummary,
    edges: &mut Vec<Edge>,
) -> Result<()> {
    sink.pair(&VerifiedPair {
        a: &corpus.docs[a as usize].id,
        b: &corpus.docs[b as usize].id,
        label: v.label.name(),
        score: v.score,
        json: line,
    })?;
    summary.pairs += 1;
    edges.push(Edge {
        a,
        b,
        score: v.score,
        dir: v.dir,
        confidence: v.confidence,
        basis: v.basis,
    });
    Ok(())
}

/// What [`verify_group`] reads of a pair besides the prepared documents' texts.
struct Pair<'p, 'd, D> {
    corpus: &'p Corpus,
    /// A document's prepared form, when it could be prepared.
    doc: &'p (dyn Fn(u32) -> Option<&'d D> + Sync),
    /// How common the text two documents share is.
    shared: &'p (dyn Fn(u32, u32) -> SharedText + Sync),
    recurring: &'p recurring::Recurring,
}

fn verify_group<V: Verify>(
    verifier: &V,
    group: &[candidates::Candidate],
    p: &Pair<'_, '_, V::Doc>,
    progress: &dyn ScanProgress,
) -> Vec<(usize, Result<Verified, ()>)> {
    let out: Vec<(usize, Result<Verified, ()>)> = group
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let (Some(a), Some(b)) = ((p.doc)(c.a), (p.doc)(c.b)) else {
                return (i, Err(()));
            };
            let (ma, mb) = (&p.corpus.docs[c.a as usize], &p.corpus.docs[c.b as usize]);
            let dates = verify::PairDates {
                a: ma.time,
                b: mb.time,
                same_series: ma.series != NO_SERIES && ma.series == mb.series,
                recurring_days: p.recurring.days(c.a, c.b),
            };
            let st = (p.shared)(c.a, c.b);
            (i, Ok(verifier.verify(a, b, dates, st)))
        })
        .collect();
    progress.advance(group.len() as u64);
    out
}
