//! An on-disk index of documents: add batches of documents, remove them, and find the indexed
//! documents a text reuses or that reuse it, without rescanning the corpus.
//!
//! Storage is a tantivy index (segments, atomic commits, background merges, deletes, mmap,
//! zstd-compressed stored documents). Each document holds what `scan` computes for it, with
//! the same code (`scan::fingerprint::Analyzer`):
//! - `ng`: its winnowed word n-gram fingerprints (u64 terms);
//! - `st`: its content stems (32-bit hashes, as u64 terms), for stem document frequencies,
//!   while they are rare (a stem held by more than `rare_max_df` documents gains no holders);
//! - `nom`: the rare stems it nominated when added (its `k` rarest, by the frequencies of
//!   the index at that commit);
//! - `dx`: its whole-text duplicate signature (exact copies);
//! - `nx`: the LSH band keys of its MinHash signature (near copies: `scan::dups`);
//! - `rec`: the record (text, series, date, passed-through fields), stored compressed.
//!
//! A query text is fingerprinted the same way; postings give the documents that share
//! fingerprints (with the scan's document-frequency cut and weights), that hold its rare
//! stems or nominated one of its stems, or that are exact or near copies of it (the scan's
//! duplicate signatures and near-copy test, so a story held by more than `max_df` documents
//! is still found); each candidate is then
//! compared in full with the same comparer as `scan` and `compare`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use tantivy::collector::Count;
use tantivy::directory::error::LockError;
use tantivy::indexer::UserOperation;
use tantivy::query::AllQuery;
use tantivy::schema::document::{ReferenceValue, ReferenceValueLeaf};
use tantivy::schema::{
    Document, Field, IndexRecordOption, Schema, Value, FAST, INDEXED, STORED, STRING,
};
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::{
    DocAddress, DocId, DocSet, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument,
    Term, TERMINATED,
};

use crate::commonness::{self, SharedText};
use crate::compare::{AlignKind, Comparer, Label, Passage};
use crate::dates::Timestamp;
use crate::direction::Basis;
use crate::error::{Error, Result};
use crate::fasthash::FastMap;
use crate::scan::candidates::{ngram_channel, ngram_weight, FULL_WEIGHT};
use crate::scan::dups;
use crate::scan::fingerprint::{Analyzer, PrintParams};
use crate::scan::output::DocRef;
use crate::scan::rare::rarest;
use crate::scan::verify::{LibVerifier, Verify};
use crate::scan::{Corpus, ScanSettings};

mod batch;
use crate::span::Span;
pub use batch::PairCounts;

/// The file beside tantivy's own that holds the index's fingerprint settings.
const CONFIG_FILE: &str = "reprint-index.json";
/// The format of the index (raised when what is stored changes). 2: near-copy band keys.
const FORMAT: u32 = 2;
/// Candidates verified per query at most, strongest evidence first (a bound on the work of
/// one query whatever the index holds).
const MAX_QUERY_CANDIDATES: usize = 200;
/// Documents taken from one duplicate-signature posting at most.
const MAX_DUP_POSTINGS: usize = 100;
/// Memory for the writer's in-memory segments, shared by its threads (tantivy's arena grows
/// as documents arrive, so a small batch takes little of it).
const WRITER_BYTES: usize = 2 << 30;
/// Indexing threads (see `Index::writer`).
const WRITER_THREADS: usize = 2;
/// A segment's term dictionary is streamed, rather than looked up term by term, when it has
/// fewer than this many terms for each term sought (see `term_infos`).
const STREAM_RATIO: usize = 8;
/// Records handed to the indexing threads in one message (see `Index::add`).
const ADD_CHUNK: usize = 256;
/// Segments holding more documents than this are never merged again (see `Index::writer`).
/// Merging the segments of a bulk add was 31% of the CPU of adding 1M generated articles;
/// with them kept, a 1M index added in batches of 50,000 has 40 segments of ~25,000 (one a
/// thread a commit) and a query reads each (bench/results/index/README.md: p50 and p99 at
/// 1M).
const MERGE_MAX_DOCS: usize = 20_000;

/// The settings fixed when an index is created: they decide what is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Config {
    format: u32,
    ngram: usize,
    window: usize,
    rare_terms: usize,
    rare_max_df: usize,
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    seq: Field,
    bytes: Field,
    rec: Field,
    ng: Field,
    st: Field,
    nom: Field,
    dx: Field,
    nx: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let f = Fields {
        id: b.add_text_field("id", STRING | STORED),
        seq: b.add_u64_field("seq", FAST | STORED),
        bytes: b.add_u64_field("bytes", FAST),
        rec: b.add_bytes_field("rec", STORED),
        ng: b.add_u64_field("ng", INDEXED),
        st: b.add_u64_field("st", INDEXED),
        nom: b.add_u64_field("nom", INDEXED),
        dx: b.add_u64_field("dx", INDEXED | FAST),
        nx: b.add_u64_field("nx", INDEXED),
    };
    (b.build(), f)
}

/// Reads inputs (JSONL, `.jsonl.gz`, text files, directories) as `scan` does: bad records
/// are skipped and listed in [`Corpus::skipped`].
pub fn read_inputs(inputs: &[PathBuf], max_doc_bytes: usize) -> Result<Corpus> {
    crate::scan::read_corpus(inputs, max_doc_bytes)
}

/// One record to index.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    /// Unique id; a record with the id of an indexed document replaces it.
    pub id: &'a str,
    /// The outlet.
    pub series: Option<&'a str>,
    /// The publication date as given (ISO 8601); an invalid one is kept but not used.
    pub date: Option<&'a str>,
    /// The text.
    pub text: &'a str,
    /// Other fields of the record (a JSON object), passed through to pair output.
    pub fields: Option<&'a RawValue>,
}

impl<'a> Record<'a> {
    /// The records of a corpus read as `scan` reads its inputs, `range` of them.
    pub fn from_corpus(corpus: &'a Corpus, range: std::ops::Range<usize>) -> Vec<Record<'a>> {
        range
            .map(|d| {
                let m = &corpus.docs[d];
                Record {
                    id: &m.id,
                    series: corpus.series_name(d),
                    date: m.date.as_deref(),
                    text: &corpus.texts[d],
                    fields: m.extra.as_deref(),
                }
            })
            .collect()
    }
}

/// A record as stored (the id and order are fields of their own).
#[derive(Debug, Serialize, Deserialize)]
struct Stored {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    series: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fields: Option<Box<RawValue>>,
    text: String,
}

/// A record as stored, borrowed from the input: serialized exactly as [`Stored`] (same
/// fields, same order), without copying the text first.
#[derive(Serialize)]
struct StoredRef<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    series: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fields: Option<&'a RawValue>,
    text: &'a str,
}

/// One document as handed to tantivy's writer: the same fields and values a
/// `TantivyDocument` built field by field would hold (so the same terms, fast fields and
/// stored bytes), but the ~137 term values of a document are one `Vec<u64>` instead of
/// tantivy's generic value list, and they come out in field order.
#[derive(Debug)]
pub(crate) struct IxDoc {
    f: Fields,
    id: String,
    seq: u64,
    bytes: u64,
    rec: Vec<u8>,
    /// `ng`, `st`, `nom`, `dx` and `nx` terms, one field after the other.
    terms: Vec<u64>,
    /// Where the `ng`, `st`, `nom` and `dx` terms end in `terms` (`nx` runs to the end).
    ends: [usize; 4],
}

/// A value of an [`IxDoc`].
#[derive(Debug, Clone)]
pub(crate) enum IxValue<'a> {
    Str(&'a str),
    U64(u64),
    Bytes(&'a [u8]),
}

impl<'a> Value<'a> for IxValue<'a> {
    type ArrayIter = std::iter::Empty<Self>;
    type ObjectIter = std::iter::Empty<(&'a str, Self)>;
    fn as_value(&self) -> ReferenceValue<'a, Self> {
        ReferenceValue::Leaf(match *self {
            IxValue::Str(s) => ReferenceValueLeaf::Str(s),
            IxValue::U64(v) => ReferenceValueLeaf::U64(v),
            IxValue::Bytes(b) => ReferenceValueLeaf::Bytes(b),
        })
    }
}

/// The fields and values of an [`IxDoc`], in schema order.
pub(crate) struct IxIter<'a> {
    d: &'a IxDoc,
    i: usize,
}

impl<'a> Iterator for IxIter<'a> {
    type Item = (Field, IxValue<'a>);
    fn next(&mut self) -> Option<Self::Item> {
        let d = self.d;
        let i = self.i;
        self.i += 1;
        Some(match i {
            0 => (d.f.id, IxValue::Str(&d.id)),
            1 => (d.f.seq, IxValue::U64(d.seq)),
            2 => (d.f.bytes, IxValue::U64(d.bytes)),
            3 => (d.f.rec, IxValue::Bytes(&d.rec)),
            _ => {
                let t = i - 4;
                let v = *d.terms.get(t)?;
                let field = match d.ends.iter().position(|&e| t < e) {
                    Some(0) => d.f.ng,
                    Some(1) => d.f.st,
                    Some(2) => d.f.nom,
                    Some(_) => d.f.dx,
                    None => d.f.nx,
                };
                (field, IxValue::U64(v))
            }
        })
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = (4 + self.d.terms.len()).saturating_sub(self.i);
        (n, Some(n))
    }
}

impl Document for IxDoc {
    type Value<'a> = IxValue<'a>;
    type FieldsValuesIter<'a> = IxIter<'a>;
    fn iter_fields_and_values(&self) -> IxIter<'_> {
        IxIter { d: self, i: 0 }
    }
}

/// An indexed document, as read back.
#[derive(Debug, Clone)]
pub struct IndexedDoc {
    /// Its id.
    pub id: String,
    /// The outlet, when given.
    pub series: Option<String>,
    /// The date as given.
    pub date: Option<String>,
    /// Passed-through fields (a JSON object), when given.
    pub fields: Option<Box<RawValue>>,
    /// The text.
    pub text: String,
    /// Order of addition (0 for the first document ever added).
    pub seq: u64,
}

impl IndexedDoc {
    fn doc_ref(&self) -> DocRef<'_> {
        DocRef {
            id: &self.id,
            series: self.series.as_deref(),
            date: self.date.as_deref(),
            fields: self.fields.as_deref(),
        }
    }
    fn time(&self) -> Option<Timestamp> {
        self.date
            .as_deref()
            .filter(|d| !d.trim().is_empty())
            .and_then(|d| Timestamp::parse(d).ok())
    }
    /// Whether `other` names the same (non-empty) series.
    fn same_series(&self, other: &IndexedDoc) -> bool {
        crate::scan::recurring::one_series(self.series.as_deref(), other.series.as_deref())
    }
}

/// What the index computed for one text.
#[derive(Debug, Clone)]
struct Analysis {
    ngrams: Vec<u64>,
    stems: Vec<u32>,
    sig: Option<dups::Signature>,
}

fn analyze_all(texts: &[&str], p: PrintParams) -> Vec<Analysis> {
    texts
        .par_iter()
        .map_init(Analyzer::default, |an, t| {
            let sig = an.analyze(t, p);
            Analysis {
                ngrams: an.prints.ngrams.clone(),
                stems: an.prints.stems.clone(),
                sig,
            }
        })
        .collect()
}

/// What [`Index::add`] computes from records alone, before it reads the index: each text's
/// n-gram fingerprints, stems and duplicate signature (the scan's `Analyzer`), and the record
/// as stored. Made by a [`BatchAnalyzer`], which borrows nothing from the index, so the next
/// batch can be analysed while the last one is being committed; handed to
/// [`Index::add_analyzed`].
#[derive(Debug)]
pub struct Analyzed {
    params: PrintParams,
    analyses: Vec<Analysis>,
    recs: Vec<Vec<u8>>,
}

/// The fingerprint settings of an index, to analyse records for it ([`Index::analyzer`]).
#[derive(Debug, Clone, Copy)]
pub struct BatchAnalyzer {
    params: PrintParams,
}

impl BatchAnalyzer {
    /// Analyses records for [`Index::add_analyzed`] (in parallel).
    pub fn analyze(&self, records: &[Record<'_>]) -> Analyzed {
        let texts: Vec<&str> = records.iter().map(|r| r.text).collect();
        let analyses = analyze_all(&texts, self.params);
        let recs = records
            .par_iter()
            .map(|r| {
                let stored = StoredRef {
                    series: r.series,
                    date: r.date,
                    fields: r.fields,
                    text: r.text,
                };
                // Strings and raw JSON: serialising them cannot fail.
                serde_json::to_vec(&stored).unwrap_or_default()
            })
            .collect();
        Analyzed {
            params: self.params,
            analyses,
            recs,
        }
    }
}

/// Documents added and not yet paired: what `add` returns, for [`Index::batch_pairs`].
#[derive(Debug, Default)]
pub struct Batch {
    docs: Vec<(String, u64, Analysis)>,
    /// Batch documents given each `st` term (a stem's holders while it is rare).
    stems_added: FastMap<u32, u32>,
}

impl Batch {
    /// Documents in the batch.
    pub fn len(&self) -> usize {
        self.docs.len()
    }
    /// Whether the batch is empty.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }
}

/// What an index holds.
#[derive(Debug, Clone, Serialize)]
pub struct IndexStats {
    /// Live documents.
    pub documents: u64,
    /// Bytes of their texts.
    pub bytes: u64,
    /// Documents deleted or replaced whose space a merge has not reclaimed yet.
    pub deleted: u64,
    /// Bytes the index directory takes on disk.
    pub disk_bytes: u64,
    /// Segments.
    pub segments: usize,
}

/// Options of a query.
#[derive(Debug, Clone)]
pub struct QueryOptions {
    /// Matches returned at most.
    pub top: usize,
    /// The query's publication date (for the direction).
    pub date: Option<Timestamp>,
    /// Verdicts returned (default: the reuse labels `derived`, `partial`).
    pub emit: Vec<Label>,
}

impl Default for QueryOptions {
    fn default() -> QueryOptions {
        QueryOptions {
            top: 10,
            date: None,
            emit: vec![Label::Derived, Label::Partial],
        }
    }
}

/// Which text is the source, in a query's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuerySource {
    /// The query text is the source.
    Query,
    /// The indexed document is the source.
    Match,
    /// Not known.
    Unknown,
}

/// The direction of a match.
#[derive(Debug, Clone, Serialize)]
pub struct MatchDirection {
    /// Which text is the source.
    pub source: QuerySource,
    /// Confidence in it.
    pub confidence: f64,
    /// What decided it.
    pub basis: Basis,
}

/// A passage of a match: byte spans in the query and in the matched document's text.
#[derive(Debug, Clone, Serialize)]
pub struct MatchPassage {
    /// In the query.
    pub query: Span,
    /// In the indexed document.
    #[serde(rename = "match")]
    pub matched: Span,
    /// `verbatim` or `near_verbatim`.
    pub kind: AlignKind,
    /// Words in the passage.
    pub words: usize,
}

/// An aligned sentence group of a match.
#[derive(Debug, Clone, Serialize)]
pub struct MatchAlignment {
    /// In the query.
    pub query: Span,
    /// In the indexed document.
    #[serde(rename = "match")]
    pub matched: Span,
    /// Kind of alignment.
    pub kind: AlignKind,
    /// Similarity.
    pub score: f64,
}

/// An indexed document a query reuses or that reuses it.
#[derive(Debug, Clone, Serialize)]
pub struct Match {
    /// The document's id.
    pub id: String,
    /// Its outlet.
    pub series: Option<String>,
    /// Its date as given.
    pub date: Option<String>,
    /// The verdict.
    pub label: Label,
    /// The verdict's score.
    pub score: f64,
    /// Which is the source.
    pub direction: MatchDirection,
    /// Shared passages.
    pub passages: Vec<MatchPassage>,
    /// Aligned sentence groups.
    pub alignments: Vec<MatchAlignment>,
    /// Other indexed documents whose text is byte-identical to this one's, in order of
    /// addition: one match stands for all of them (it is the one added first among those
    /// that rank highest). Their own dates and outlets are not compared.
    pub copies: Vec<String>,
    /// What made it a candidate: shared n-gram fingerprints and rare-term hits.
    #[serde(skip)]
    pub evidence: (u32, u32),
}

/// The answer to one query.
#[derive(Debug, Clone, Serialize)]
pub struct QueryResult {
    /// Matches, highest score first.
    pub matches: Vec<Match>,
    /// Candidates compared in full.
    #[serde(skip)]
    pub candidates: usize,
}

impl QueryResult {
    /// The answer as one line of `reprint query --json`:
    /// `{"query": {"id", "bytes"}, "matches": [...]}`, for a query named `id` of `bytes`
    /// bytes (every front end prints this same object).
    pub fn json_line(&self, id: &str, bytes: usize) -> String {
        #[derive(Serialize)]
        struct Line<'a> {
            query: Named<'a>,
            matches: &'a [Match],
        }
        #[derive(Serialize)]
        struct Named<'a> {
            id: &'a str,
            bytes: usize,
        }
        let line = Line {
            query: Named { id, bytes },
            matches: &self.matches,
        };
        // Plain structs of strings and numbers: serialising them cannot fail.
        serde_json::to_string(&line).unwrap_or_default()
    }
}

/// An indexed candidate for a text.
#[derive(Debug, Clone, Copy)]
struct Cand {
    addr: DocAddress,
    ngrams: u32,
    weight: u32,
    rare: u32,
    /// Stems of the text held by `2..=rare_max_df` documents that the candidate holds too
    /// (batch pairs: a bound on the hits of the candidate's own rarest stems).
    low: u32,
    dup: bool,
}

impl Cand {
    fn new(addr: DocAddress) -> Cand {
        Cand {
            addr,
            ngrams: 0,
            weight: 0,
            rare: 0,
            low: 0,
            dup: false,
        }
    }
}

/// Reads postings for one text's candidates: live documents other than the text itself,
/// added before `before` when given.
struct Postings<'s> {
    searcher: &'s Searcher,
    seqs: Vec<Option<tantivy::columnar::Column<u64>>>,
    own: Option<DocAddress>,
    before: Option<u64>,
    /// Documents taken from one posting at most.
    cap: usize,
}

impl<'s> Postings<'s> {
    fn new(
        searcher: &'s Searcher,
        own: Option<DocAddress>,
        before: Option<u64>,
        cap: usize,
    ) -> Self {
        let seqs = searcher
            .segment_readers()
            .iter()
            .map(|seg| seg.fast_fields().u64("seq").ok())
            .collect();
        Postings {
            searcher,
            seqs,
            own,
            before,
            cap,
        }
    }

    fn seq(&self, o: usize, d: DocId) -> Option<u64> {
        self.seqs[o].as_ref().and_then(|c| c.first(d))
    }

    fn passes(&self, o: usize, d: DocId) -> bool {
        Some(DocAddress::new(o as u32, d)) != self.own
            && self
                .before
                .is_none_or(|lim| self.seq(o, d).is_some_and(|q| q < lim))
    }

    /// Reads the postings of a term (looked up before) into `counts`, at most `cap`
    /// documents.
    fn visit(
        &self,
        field: Field,
        infos: &Infos,
        counts: &mut HashMap<DocAddress, Cand>,
        f: &mut dyn FnMut(&mut Cand),
    ) -> std::io::Result<()> {
        let segs = self.searcher.segment_readers();
        let mut taken = 0;
        for (o, info) in infos {
            let o = *o as usize;
            let seg = &segs[o];
            let inv = seg.inverted_index(field).map_err(std::io::Error::other)?;
            let mut p = inv.read_postings_from_terminfo(info, IndexRecordOption::Basic)?;
            let alive = seg.alive_bitset();
            let mut d = p.doc();
            while d != TERMINATED && taken < self.cap {
                if alive.is_none_or(|b| b.is_alive(d)) && self.passes(o, d) {
                    taken += 1;
                    let addr = DocAddress::new(o as u32, d);
                    f(counts.entry(addr).or_insert_with(|| Cand::new(addr)));
                }
                d = p.advance();
            }
        }
        Ok(())
    }
}

/// An on-disk index of documents. Readers see the last commit while a writer adds.
pub struct Index {
    dir: PathBuf,
    inner: tantivy::Index,
    reader: IndexReader,
    f: Fields,
    config: Config,
    settings: ScanSettings,
    verifier: LibVerifier,
    writer: Option<IndexWriter<IxDoc>>,
    next_seq: u64,
    /// The pairs reported by `batch_pairs` (loaded when first needed).
    ledger: Option<batch::Ledger>,
    /// Ids added since the last commit.
    pending: HashSet<String>,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index").field("dir", &self.dir).finish()
    }
}

fn tv(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Input {
        path: path.display().to_string(),
        message: format!("index: {e}"),
    }
}

impl Index {
    /// Opens the index in `dir`, or creates it (and the directory) when there is none. The
    /// fingerprint settings (`ngram`, `window`, `rare_terms`, `rare_max_df`) of `settings`
    /// are fixed at creation; an existing index keeps its own. The candidate thresholds and
    /// comparison settings are taken from `settings`.
    pub fn open_or_create(dir: &Path, settings: &ScanSettings) -> Result<Index> {
        if dir.join("meta.json").exists() {
            return Index::open(dir, settings);
        }
        if dir.exists() {
            if !dir.is_dir() {
                return Err(tv(dir, "exists and is not a directory"));
            }
            let foreign = std::fs::read_dir(dir)
                .map_err(|e| Error::io(dir.display().to_string(), e))?
                .filter_map(|e| e.ok())
                .any(|e| e.file_name() != CONFIG_FILE);
            if foreign {
                return Err(tv(
                    dir,
                    "the directory is not empty and holds no index: refusing to create one there",
                ));
            }
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
        let config = Config {
            format: FORMAT,
            ngram: settings.ngram,
            window: settings.window,
            rare_terms: settings.rare_k,
            rare_max_df: settings.rare_max_df,
        };
        let cfg = dir.join(CONFIG_FILE);
        let tmp = dir.join(format!("{CONFIG_FILE}.tmp"));
        let json = serde_json::to_vec_pretty(&config).map_err(|e| tv(dir, e))?;
        std::fs::write(&tmp, json).map_err(|e| Error::io(tmp.display().to_string(), e))?;
        std::fs::rename(&tmp, &cfg).map_err(|e| Error::io(cfg.display().to_string(), e))?;
        let (schema, _) = schema();
        let index_settings = tantivy::IndexSettings {
            docstore_compression: Compressor::Zstd(ZstdCompressor {
                compression_level: Some(3),
            }),
            docstore_blocksize: 64 << 10,
            ..Default::default()
        };
        tantivy::Index::builder()
            .schema(schema)
            .settings(index_settings)
            .create_in_dir(dir)
            .map_err(|e| tv(dir, e))?;
        Index::open(dir, settings)
    }

    /// Opens an existing index.
    pub fn open(dir: &Path, settings: &ScanSettings) -> Result<Index> {
        let cfg = dir.join(CONFIG_FILE);
        if !dir.join("meta.json").exists() || !cfg.exists() {
            return Err(tv(
                dir,
                "no reprint index here (create one with `reprint index add`)",
            ));
        }
        let raw = std::fs::read(&cfg).map_err(|e| Error::io(cfg.display().to_string(), e))?;
        let config: Config = serde_json::from_slice(&raw)
            .map_err(|e| tv(&cfg, format!("unreadable settings: {e}")))?;
        if config.format != FORMAT {
            return Err(tv(
                dir,
                format!(
                    "index format {} is not the one this build reads ({FORMAT})",
                    config.format
                ),
            ));
        }
        let inner = tantivy::Index::open_in_dir(dir).map_err(|e| tv(dir, e))?;
        let (expected, f) = schema();
        if inner.schema() != expected {
            return Err(tv(dir, "the index's schema is not reprint's"));
        }
        let reader = inner
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .map_err(|e| tv(dir, e))?;
        // The index's fingerprint settings win over the caller's.
        let settings = ScanSettings {
            ngram: config.ngram,
            window: config.window,
            rare_k: config.rare_terms,
            rare_max_df: config.rare_max_df,
            ..settings.clone()
        };
        let verifier = LibVerifier {
            comparer: Comparer::new(settings.compare.clone()),
            detail: settings.detail,
        };
        let mut index = Index {
            dir: dir.to_path_buf(),
            inner,
            reader,
            f,
            config,
            settings,
            verifier,
            writer: None,
            next_seq: 0,
            ledger: None,
            pending: HashSet::new(),
        };
        index.next_seq = index.max_seq()?.map_or(0, |s| s + 1);
        Ok(index)
    }

    /// The directory of the index.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    fn max_seq(&self) -> Result<Option<u64>> {
        let searcher = self.reader.searcher();
        let mut max = None;
        for seg in searcher.segment_readers() {
            if seg.max_doc() == 0 {
                continue;
            }
            let col = seg.fast_fields().u64("seq").map_err(|e| tv(&self.dir, e))?;
            max = max.max(Some(col.max_value()));
        }
        Ok(max)
    }

    fn writer(&mut self) -> Result<&mut IndexWriter<IxDoc>> {
        if self.writer.is_none() {
            // Two indexing threads, each with half the heap: a commit is two segments, one a
            // thread, built and written at the same time (with one thread, one core idled
            // while the segment was written). Segments of a bulk add are not merged
            // (`MERGE_MAX_DOCS`), so the second thread costs no merge; the heap is allocated
            // as the batch fills it, so a commit of up to ~100,000 documents is two segments.
            let w = self
                .inner
                .writer_with_num_threads(WRITER_THREADS, WRITER_BYTES)
                .map_err(|e| match e {
                    tantivy::TantivyError::LockFailure(LockError::LockBusy, _) => tv(
                        &self.dir,
                        "another process is writing to this index (its lock is held); \
                         try again when it has finished",
                    ),
                    e => tv(&self.dir, e),
                })?;
            // Segments of more than `MERGE_MAX_DOCS` documents are final: tantivy's log
            // policy merges only the smaller ones (8 of a size at a time), so small commits
            // are still gathered, but a bulk add's large segments are not rewritten.
            let mut policy = tantivy::indexer::LogMergePolicy::default();
            policy.set_max_docs_before_merge(MERGE_MAX_DOCS);
            w.set_merge_policy(Box::new(policy));
            self.writer = Some(w);
        }
        Ok(self.writer.as_mut().expect("writer just set"))
    }

    /// Adds records (not yet visible: call [`Index::commit`]). A record whose id is in the
    /// index replaces that document. Returns the batch, for [`Index::batch_pairs`].
    pub fn add(&mut self, records: &[Record<'_>]) -> Result<Batch> {
        let analyzed = self.analyzer().analyze(records);
        self.add_analyzed(records, analyzed)
    }

    /// What analyses records for this index (see [`Analyzed`]).
    pub fn analyzer(&self) -> BatchAnalyzer {
        BatchAnalyzer {
            params: self.params(),
        }
    }

    /// [`Index::add`] of records analysed before by [`Index::analyzer`]: `analyzed` must be
    /// the analysis of these `records`, in this order (an analysis of another length, or made
    /// with another index's fingerprint settings, is refused).
    pub fn add_analyzed(&mut self, records: &[Record<'_>], analyzed: Analyzed) -> Result<Batch> {
        let Analyzed {
            params,
            analyses,
            recs,
        } = analyzed;
        let ours = self.params();
        if (params.ngram, params.window) != (ours.ngram, ours.window)
            || analyses.len() != records.len()
        {
            return Err(tv(
                &self.dir,
                "the analysis handed to add_analyzed is not of these records for this index",
            ));
        }
        // Stem frequencies after this batch: the index's plus the batch's own. No reader needs
        // to know a stem's frequency beyond `rare_max_df + 1` (past the cut a stem is never
        // rare, and frequencies only grow, deletions aside), so a stem gains `st` holders only
        // up to that count, in the batch's order: the `st` postings stop growing past the cut,
        // and most content stems (the common ones) cost nothing.
        let k = self.config.rare_terms;
        let (noms, held): (Vec<Vec<u32>>, Vec<Vec<u32>>) = if k > 0 {
            let mut in_batch: FastMap<u32, u32> = FastMap::default();
            for a in &analyses {
                for &s in &a.stems {
                    *in_batch.entry(s).or_default() += 1;
                }
            }
            let searcher = self.reader.searcher();
            let stems: Vec<u32> = in_batch.keys().copied().collect();
            let indexed = term_infos(&searcher, self.f.st, stems.iter().map(|&s| u64::from(s)))
                .map_err(|e| tv(&self.dir, e))?;
            let max_df = self.config.rare_max_df as u32;
            // (frequency after the batch, holders the batch may still give it)
            let mut df: FastMap<u32, (u32, u32)> = stems
                .iter()
                .zip(indexed)
                .map(|(&s, i)| {
                    let before = df_of(&i).min(u64::from(u32::MAX / 2)) as u32;
                    (
                        s,
                        (before + in_batch[&s], (max_df + 1).saturating_sub(before)),
                    )
                })
                .collect();
            let held: Vec<Vec<u32>> = analyses
                .iter()
                .map(|a| {
                    let mut held = Vec::new();
                    for s in &a.stems {
                        let room = &mut df.get_mut(s).expect("every stem counted").1;
                        if *room > 0 {
                            *room -= 1;
                            held.push(*s);
                        }
                    }
                    held
                })
                .collect();
            let df = &df;
            let noms = analyses
                .par_iter()
                .map_init(Vec::new, |picks, a| {
                    rarest(&a.stems, |s| df[&s].0, k, max_df, picks);
                    picks.iter().map(|&(_, s)| s).collect()
                })
                .collect();
            (noms, held)
        } else {
            (
                vec![Vec::new(); analyses.len()],
                vec![Vec::new(); analyses.len()],
            )
        };
        let f = self.f;
        let mut batch = Batch::default();
        for held in &held {
            for &s in held {
                *batch.stems_added.entry(s).or_default() += 1;
            }
        }
        let first_seq = self.next_seq;
        let docs: Vec<IxDoc> = records
            .par_iter()
            .zip(&analyses)
            .zip(recs)
            .zip(noms.par_iter().zip(&held))
            .enumerate()
            .map(|(i, (((r, a), rec), (nom, held)))| {
                let mut terms = Vec::with_capacity(a.ngrams.len() + held.len() + nom.len() + 17);
                terms.extend(a.ngrams.iter().map(|&h| ng_term(h)));
                let ng_end = terms.len();
                terms.extend(held.iter().map(|&s| u64::from(s)));
                let st_end = terms.len();
                terms.extend(nom.iter().map(|&s| u64::from(s)));
                let nom_end = terms.len();
                if let Some(sig) = a.sig {
                    terms.push(sig.exact);
                }
                let dx_end = terms.len();
                if let Some(sig) = a.sig {
                    terms.extend(sig.bins.into_iter().flat_map(dups::band_keys).map(nx_term));
                }
                IxDoc {
                    f,
                    id: r.id.to_string(),
                    seq: first_seq + i as u64,
                    bytes: r.text.len() as u64,
                    rec,
                    terms,
                    ends: [ng_end, st_end, nom_end, dx_end],
                }
            })
            .collect();
        let dir = self.dir.clone();
        // A record replaces the document with its id: a delete before its add (one opstamp
        // each, in order). Only ids that may be indexed get one: every delete is looked up in
        // every segment at each commit, which grew with the segments (4% of adding 1M).
        let replaces = self.replaced(records)?;
        let w = self.writer()?;
        // Handed over `ADD_CHUNK` records at a time: one message to the indexing threads
        // instead of one per document.
        let mut docs = docs.into_iter();
        for (rs, reps) in records.chunks(ADD_CHUNK).zip(replaces.chunks(ADD_CHUNK)) {
            let mut ops = Vec::with_capacity(2 * rs.len());
            for ((r, &rep), d) in rs.iter().zip(reps).zip(docs.by_ref()) {
                if rep {
                    ops.push(UserOperation::Delete(Term::from_field_text(f.id, r.id)));
                }
                ops.push(UserOperation::Add(d));
            }
            w.run(ops).map_err(|e| tv(&dir, e))?;
        }
        self.pending
            .extend(records.iter().map(|r| r.id.to_string()));
        for (r, a) in records.iter().zip(analyses) {
            batch.docs.push((r.id.to_string(), 0, a));
        }
        for (i, d) in batch.docs.iter_mut().enumerate() {
            d.1 = first_seq + i as u64;
        }
        self.next_seq = first_seq + records.len() as u64;
        Ok(batch)
    }

    /// For each record, whether a document with its id may be in the index when it is
    /// added: committed (live or deleted: a term stays until a merge), added since the last
    /// commit, or earlier in `records`.
    fn replaced(&self, records: &[Record<'_>]) -> Result<Vec<bool>> {
        let mut ids: Vec<&str> = records.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        let searcher = self.reader.searcher();
        let indexed = ids_indexed(&searcher, self.f.id, &ids).map_err(|e| tv(&self.dir, e))?;
        let mut seen: HashSet<&str> = HashSet::with_capacity(records.len());
        Ok(records
            .iter()
            .map(|r| {
                let earlier = !seen.insert(r.id);
                earlier
                    || self.pending.contains(r.id)
                    || ids.binary_search(&r.id).is_ok_and(|i| indexed[i])
            })
            .collect())
    }

    /// Removes the documents with these ids (at the next commit). Returns how many of the ids
    /// are in the index now.
    pub fn remove(&mut self, ids: &[&str]) -> Result<usize> {
        let searcher = self.reader.searcher();
        let mut found = 0;
        for id in ids {
            if lookup(&searcher, self.f, id).is_some() {
                found += 1;
            }
        }
        let f = self.f;
        let w = self.writer()?;
        for id in ids {
            w.delete_term(Term::from_field_text(f.id, id));
        }
        Ok(found)
    }

    /// Makes everything added or removed so far durable and visible, atomically.
    pub fn commit(&mut self) -> Result<()> {
        let dir = self.dir.clone();
        if let Some(w) = self.writer.as_mut() {
            w.commit().map_err(|e| tv(&dir, e))?;
        }
        self.pending.clear();
        self.reader.reload().map_err(|e| tv(&dir, e))?;
        Ok(())
    }

    /// Drops what was added or removed since the last commit.
    pub fn rollback(&mut self) -> Result<()> {
        let dir = self.dir.clone();
        if let Some(w) = self.writer.as_mut() {
            w.rollback().map_err(|e| tv(&dir, e))?;
        }
        self.pending.clear();
        self.next_seq = self.max_seq()?.map_or(0, |s| s + 1);
        Ok(())
    }

    /// Waits for background merges and releases the writer's lock.
    pub fn close(mut self) -> Result<()> {
        if let Some(w) = self.writer.take() {
            w.wait_merging_threads().map_err(|e| tv(&self.dir, e))?;
        }
        Ok(())
    }

    /// Counts and sizes.
    pub fn stats(&self) -> Result<IndexStats> {
        let searcher = self.reader.searcher();
        let mut bytes = 0u64;
        let mut deleted = 0u64;
        for seg in searcher.segment_readers() {
            deleted += u64::from(seg.num_deleted_docs());
            if seg.max_doc() == 0 {
                continue;
            }
            let col = seg
                .fast_fields()
                .u64("bytes")
                .map_err(|e| tv(&self.dir, e))?;
            for d in 0..seg.max_doc() {
                if seg.alive_bitset().is_none_or(|b| b.is_alive(d)) {
                    bytes += col.first(d).unwrap_or(0);
                }
            }
        }
        Ok(IndexStats {
            documents: searcher.num_docs(),
            bytes,
            deleted,
            disk_bytes: dir_size(&self.dir),
            segments: searcher.segment_readers().len(),
        })
    }

    /// Live documents (a search over the last commit).
    pub fn len(&self) -> Result<u64> {
        let searcher = self.reader.searcher();
        searcher
            .search(&AllQuery, &Count)
            .map(|n| n as u64)
            .map_err(|e| tv(&self.dir, e))
    }

    /// Whether the index holds no live document.
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.len()? == 0)
    }

    /// The indexed document with this id, as of the last commit.
    pub fn get(&self, id: &str) -> Result<Option<IndexedDoc>> {
        let searcher = self.reader.searcher();
        match lookup(&searcher, self.f, id) {
            Some(addr) => self.fetch(&searcher, addr).map(Some),
            None => Ok(None),
        }
    }

    /// Every live document id, in order of addition.
    pub fn ids(&self) -> Result<Vec<String>> {
        let searcher = self.reader.searcher();
        let mut out = Vec::new();
        for (s, seg) in searcher.segment_readers().iter().enumerate() {
            for d in 0..seg.max_doc() {
                if seg.alive_bitset().is_none_or(|b| b.is_alive(d)) {
                    let doc: TantivyDocument = searcher
                        .doc(DocAddress::new(s as u32, d))
                        .map_err(|e| tv(&self.dir, e))?;
                    let id = doc.get_first(self.f.id).and_then(|v| v.as_str());
                    let seq = doc.get_first(self.f.seq).and_then(|v| v.as_u64());
                    if let (Some(id), Some(seq)) = (id, seq) {
                        out.push((seq, id.to_string()));
                    }
                }
            }
        }
        out.sort_unstable();
        Ok(out.into_iter().map(|(_, id)| id).collect())
    }

    fn fetch(&self, searcher: &Searcher, addr: DocAddress) -> Result<IndexedDoc> {
        let doc: TantivyDocument = searcher.doc(addr).map_err(|e| tv(&self.dir, e))?;
        let id = doc.get_first(self.f.id).and_then(|v| v.as_str());
        let seq = doc.get_first(self.f.seq).and_then(|v| v.as_u64());
        let rec = doc.get_first(self.f.rec).and_then(|v| v.as_bytes());
        let (Some(id), Some(seq), Some(rec)) = (id, seq, rec) else {
            return Err(tv(&self.dir, "a stored document lacks its id or record"));
        };
        let stored: Stored = serde_json::from_slice(rec)
            .map_err(|e| tv(&self.dir, format!("stored record of {id}: {e}")))?;
        Ok(IndexedDoc {
            id: id.to_string(),
            series: stored.series,
            date: stored.date,
            fields: stored.fields,
            text: stored.text,
            seq,
        })
    }

    /// The candidates of an analysed text: documents sharing enough n-gram fingerprints or
    /// rare stems, or holding its duplicate signatures. `own`: the text's own address when it
    /// is indexed (its frequencies then count it already); only documents added before
    /// `before` (a sequence number) are returned, when given.
    fn candidates(
        &self,
        searcher: &Searcher,
        a: &Analysis,
        own: Option<DocAddress>,
        before: Option<u64>,
    ) -> std::io::Result<(Vec<Cand>, Vec<u64>)> {
        let s = &self.settings;
        let extra = u64::from(own.is_none());
        let post = self.postings(searcher, own, before);
        let (mut counts, ng_dfs) = self.ngram_counts(&post, a, own)?;
        // Rare terms: the text's k rarest stems that others hold, and the stems of the text
        // that others nominated (a nomination counts while the stem is still rare).
        if self.config.rare_terms > 0 {
            let st_infos = term_infos(searcher, self.f.st, a.stems.iter().map(|&s| u64::from(s)))?;
            let df: HashMap<u32, (u64, usize)> = a
                .stems
                .iter()
                .zip(&st_infos)
                .enumerate()
                .map(|(i, (&st, infos))| (st, (df_of(infos) + extra, i)))
                .collect();
            let max_df = self.config.rare_max_df as u64;
            let mut picks = Vec::new();
            rarest(
                &a.stems,
                |st| df[&st].0,
                self.config.rare_terms,
                max_df,
                &mut picks,
            );
            for &(_, st) in &picks {
                post.visit(self.f.st, &st_infos[df[&st].1], &mut counts, &mut |c| {
                    c.rare += 1
                })?;
            }
            let rare: Vec<u64> = a
                .stems
                .iter()
                .filter(|st| (2..=max_df).contains(&df[st].0))
                .map(|&st| u64::from(st))
                .collect();
            for infos in term_infos(searcher, self.f.nom, rare.into_iter())? {
                post.visit(self.f.nom, &infos, &mut counts, &mut |c| c.rare += 1)?;
            }
        }
        self.copies(&post, a, &mut counts)?;
        let min_weight = s.min_ngrams.saturating_mul(FULL_WEIGHT);
        let mut out: Vec<Cand> = counts
            .into_values()
            .filter(|c| c.dup || c.weight >= min_weight || c.rare >= s.min_rare)
            .collect();
        out.sort_by_key(|c| c.addr);
        Ok((out, ng_dfs))
    }

    fn postings<'s>(
        &self,
        searcher: &'s Searcher,
        own: Option<DocAddress>,
        before: Option<u64>,
    ) -> Postings<'s> {
        let cap = MAX_DUP_POSTINGS.max(self.settings.max_df + 1);
        Postings::new(searcher, own, before, cap)
    }

    /// Exact and near copies of the text, however common their text (the n-gram cut drops a
    /// story printed by hundreds), found with the scan's duplicate signatures
    /// (`scan::dups`): the documents with its whole-text hash (`dx`), and those sharing an
    /// LSH band of its MinHash (`nx`) whose signature passes the scan's near-copy test
    /// (`dups::near`, recomputed from their text). At most MAX_DUP_POSTINGS documents from
    /// each posting.
    fn copies(
        &self,
        post: &Postings<'_>,
        a: &Analysis,
        counts: &mut HashMap<DocAddress, Cand>,
    ) -> std::io::Result<()> {
        let Some(sig) = a.sig else {
            return Ok(());
        };
        for infos in term_infos(post.searcher, self.f.dx, std::iter::once(sig.exact))? {
            post.visit(self.f.dx, &infos, counts, &mut |c| c.dup = true)?;
        }
        let Some(bins) = sig.bins else {
            return Ok(());
        };
        let mut banded: HashMap<DocAddress, Cand> = HashMap::new();
        for infos in term_infos(post.searcher, self.f.nx, dups::band_keys(bins).map(nx_term))? {
            post.visit(self.f.nx, &infos, &mut banded, &mut |_| {})?;
        }
        let mut maybe: Vec<DocAddress> = banded
            .into_keys()
            .filter(|d| !counts.get(d).is_some_and(|c| c.dup))
            .collect();
        maybe.sort_unstable();
        let params = self.params();
        let near: Vec<Option<DocAddress>> = maybe
            .par_iter()
            .map_init(Analyzer::default, |an, &addr| {
                let d = self
                    .fetch(post.searcher, addr)
                    .map_err(|e| std::io::Error::other(e.to_string()))?;
                let s = an.analyze(&d.text, params);
                Ok(s.is_some_and(|s| dups::near(&sig, &s)).then_some(addr))
            })
            .collect::<std::io::Result<_>>()?;
        for addr in near.into_iter().flatten() {
            counts.entry(addr).or_insert_with(|| Cand::new(addr)).dup = true;
        }
        Ok(())
    }

    /// The documents sharing n-gram fingerprints with an analysed text, with the scan's df
    /// cut and weights (not yet held to the candidate threshold), and the document
    /// frequency of each of its n-grams.
    fn ngram_counts(
        &self,
        post: &Postings<'_>,
        a: &Analysis,
        own: Option<DocAddress>,
    ) -> std::io::Result<(HashMap<DocAddress, Cand>, Vec<u64>)> {
        let s = &self.settings;
        let extra = u64::from(own.is_none());
        let segs = post.searcher.segment_readers();
        let mut counts: HashMap<DocAddress, Cand> = HashMap::new();
        // As in a scan, where exact copies form a family that counts once, a fingerprint's
        // frequency counts distinct texts (by whole-text hash): 1,000 copies of a story are
        // one text. The cut is first tried on the raw count, so no posting longer than
        // `max_df` is read.
        let dxs: Vec<Option<tantivy::columnar::Column<u64>>> = segs
            .iter()
            .map(|seg| seg.fast_fields().u64("dx").ok())
            .collect();
        let ng_infos = term_infos(
            post.searcher,
            self.f.ng,
            a.ngrams.iter().map(|&h| ng_term(h)),
        )?;
        let mut ng_dfs = Vec::with_capacity(ng_infos.len());
        let mut holders: Vec<(usize, DocId)> = Vec::new();
        let mut texts: Vec<u64> = Vec::new();
        for infos in &ng_infos {
            let raw = df_of(infos) + extra;
            if raw < 2 || raw as usize > s.max_df {
                ng_dfs.push(raw);
                continue;
            }
            holders.clear();
            texts.clear();
            for (o, info) in infos {
                let o = *o as usize;
                let seg = &segs[o];
                let inv = seg
                    .inverted_index(self.f.ng)
                    .map_err(std::io::Error::other)?;
                let mut p = inv.read_postings_from_terminfo(info, IndexRecordOption::Basic)?;
                let alive = seg.alive_bitset();
                let mut d = p.doc();
                while d != TERMINATED {
                    if alive.is_none_or(|b| b.is_alive(d)) {
                        holders.push((o, d));
                        let text = dxs[o].as_ref().and_then(|c| c.first(d));
                        // Without a hash, a document is a text of its own.
                        texts.push(text.unwrap_or((1 << 63) | ((o as u64) << 32) | u64::from(d)));
                    }
                    d = p.advance();
                }
            }
            if own.is_none() {
                if let Some(sig) = a.sig {
                    texts.push(sig.exact);
                }
            }
            texts.sort_unstable();
            texts.dedup();
            let df = texts.len() as u64;
            ng_dfs.push(df);
            if df < 2 {
                continue;
            }
            let w = ngram_weight(ngram_channel(df as usize));
            for &(o, d) in &holders {
                if post.passes(o, d) {
                    let addr = DocAddress::new(o as u32, d);
                    let c = counts.entry(addr).or_insert_with(|| Cand::new(addr));
                    c.ngrams += 1;
                    c.weight += w;
                }
            }
        }
        Ok((counts, ng_dfs))
    }

    /// Finds the indexed documents `text` reuses or that reuse it; each candidate is
    /// compared in full. `id` names the query in errors.
    pub fn query(&self, id: &str, bytes: &[u8], opts: &QueryOptions) -> Result<QueryResult> {
        let searcher = self.reader.searcher();
        let params = self.params();
        let q = crate::document::Document::from_bytes(id, bytes)?;
        let text = String::from_utf8_lossy(bytes);
        let a = analyze_all(&[&text], params).pop().expect("one analysis");
        let (mut cands, ng_dfs) = self
            .candidates(&searcher, &a, None, None)
            .map_err(|e| Error::io(self.dir.display().to_string(), e))?;
        // Strongest evidence first; a bounded number compared.
        cands.sort_by_key(|c| {
            (
                std::cmp::Reverse((c.dup, c.weight + c.rare * FULL_WEIGHT)),
                c.addr,
            )
        });
        cands.truncate(MAX_QUERY_CANDIDATES);
        let keys_q = key_list(&a.ngrams);
        let df_of = key_df(&a.ngrams, &ng_dfs);
        let results: Vec<Result<Option<(Match, u64, String)>>> = cands
            .par_iter()
            .map(|c| {
                let d = self.fetch(&searcher, c.addr)?;
                let Ok(doc) = self.verifier.prepare(&d.id, &d.text) else {
                    return Ok(None);
                };
                let keys_d = commonness::text_keys(&d.text, params);
                let shared = SharedText::of(&keys_q, &keys_d, &df_of);
                let cmp = self.verifier.comparer.compare_without_changes(
                    &q,
                    &doc,
                    &crate::compare::Hints {
                        date_a: opts.date,
                        date_b: d.time(),
                        shared: Some(shared),
                        ..Default::default()
                    },
                );
                if !opts.emit.contains(&cmp.verdict.label) {
                    return Ok(None);
                }
                let (seq, text) = (d.seq, d.text);
                let m = Match {
                    id: d.id,
                    series: d.series,
                    date: d.date,
                    label: cmp.verdict.label,
                    score: cmp.verdict.score,
                    direction: MatchDirection {
                        source: match cmp.direction.source {
                            crate::compare::Source::A => QuerySource::Query,
                            crate::compare::Source::B => QuerySource::Match,
                            crate::compare::Source::Unknown => QuerySource::Unknown,
                        },
                        confidence: cmp.direction.confidence,
                        basis: cmp.direction.basis,
                    },
                    passages: cmp.passages.iter().map(match_passage).collect(),
                    alignments: cmp
                        .alignments
                        .iter()
                        .map(|al| MatchAlignment {
                            query: al.a,
                            matched: al.b,
                            kind: al.kind,
                            score: al.score,
                        })
                        .collect(),
                    copies: Vec::new(),
                    evidence: (c.ngrams, c.rare),
                };
                Ok(Some((m, seq, text)))
            })
            .collect();
        let n = cands.len();
        let mut found = Vec::new();
        for r in results {
            if let Some(m) = r? {
                found.push(m);
            }
        }
        let matches = rank_and_group(found, opts.top);
        Ok(QueryResult {
            matches,
            candidates: n,
        })
    }

    fn params(&self) -> PrintParams {
        PrintParams {
            ngram: self.config.ngram,
            window: self.config.window,
        }
    }

    /// The full comparison (with changes) of a query text with the indexed document `id`, as
    /// `reprint compare` makes it (A: the query), weighing shared text by the index's
    /// frequencies; `None` when no such document is indexed.
    pub fn compare_with_indexed(
        &self,
        query: &crate::document::Document,
        query_text: &str,
        date: Option<Timestamp>,
        id: &str,
    ) -> Result<Option<(crate::compare::Comparison, crate::document::Document)>> {
        let searcher = self.reader.searcher();
        let Some(addr) = lookup(&searcher, self.f, id) else {
            return Ok(None);
        };
        let d = self.fetch(&searcher, addr)?;
        let doc = crate::document::Document::from_bytes(d.id.clone(), d.text.as_bytes())?;
        let a = analyze_all(&[query_text], self.params())
            .pop()
            .expect("one analysis");
        let infos = term_infos(&searcher, self.f.ng, a.ngrams.iter().map(|&h| ng_term(h)))
            .map_err(|e| Error::io(self.dir.display().to_string(), e))?;
        let dfs: Vec<u64> = infos.iter().map(|i| df_of(i) + 1).collect();
        let df_of = key_df(&a.ngrams, &dfs);
        let keys_d = commonness::text_keys(&d.text, self.params());
        let shared = SharedText::of(&key_list(&a.ngrams), &keys_d, df_of);
        let hints = crate::compare::Hints {
            date_a: date,
            date_b: d.time(),
            shared: Some(shared),
            ..Default::default()
        };
        Ok(Some((
            self.verifier.comparer.compare_with(query, &doc, &hints),
            doc,
        )))
    }
}

/// Orders a query's matches, highest score first; on a tie (near-identical documents both
/// score 1.0), the one sharing more words verbatim with the query, then the one added first.
/// Documents with byte-identical texts become one match (the first in that order) listing
/// the others as its `copies`. At most `top` matches are kept.
fn rank_and_group(mut found: Vec<(Match, u64, String)>, top: usize) -> Vec<Match> {
    let verbatim = |m: &Match| -> usize { m.passages.iter().map(|p| p.words).sum() };
    found.sort_by(|(x, xs, _), (y, ys, _)| {
        y.score
            .total_cmp(&x.score)
            .then_with(|| verbatim(y).cmp(&verbatim(x)))
            .then_with(|| xs.cmp(ys))
            .then_with(|| x.id.cmp(&y.id))
    });
    let mut by_text: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<(Match, Vec<(u64, String)>)> = Vec::new();
    for (m, seq, text) in found {
        match by_text.get(&text) {
            Some(&i) => out[i].1.push((seq, m.id)),
            None => {
                by_text.insert(text, out.len());
                out.push((m, Vec::new()));
            }
        }
    }
    out.truncate(top);
    out.into_iter()
        .map(|(mut m, mut copies)| {
            copies.sort_unstable();
            m.copies = copies.into_iter().map(|(_, id)| id).collect();
            m
        })
        .collect()
}

fn match_passage(p: &Passage) -> MatchPassage {
    MatchPassage {
        query: p.a,
        matched: p.b,
        kind: p.kind,
        words: p.words,
    }
}

/// Bits of an n-gram hash dropped in its term: the high 64 - NG_SHIFT bits are kept (a
/// scan of up to 2^20 documents compares the high 44).
const NG_SHIFT: u32 = 32;

/// The term of an n-gram fingerprint.
fn ng_term(h: u64) -> u64 {
    h >> NG_SHIFT
}

/// The term of an LSH band key: its high 32 bits, as for n-grams (an FST of random 64-bit
/// keys took 1.66x the text on Reuters against 1.23x without band keys). Two bands that
/// share a term by chance only propose a pair; `dups::near` decides.
fn nx_term(k: u64) -> u64 {
    k >> NG_SHIFT
}

/// The sorted, de-duplicated fingerprint keys of n-gram hashes.
fn key_list(ngrams: &[u64]) -> Vec<u32> {
    let mut keys: Vec<u32> = ngrams.iter().map(|&h| commonness::key_of(h)).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The document frequency of a text's fingerprint keys (from its n-grams' frequencies), for
/// weighing shared text (`commonness`).
fn key_df(ngrams: &[u64], dfs: &[u64]) -> impl Fn(u32) -> u32 + Sync {
    let mut by_key: HashMap<u32, u32> = HashMap::new();
    for (&h, &df) in ngrams.iter().zip(dfs) {
        let e = by_key.entry(commonness::key_of(h)).or_default();
        *e = (*e).max(df.min(u64::from(u32::MAX)) as u32);
    }
    move |k: u32| by_key.get(&k).copied().unwrap_or(0)
}

/// A term's postings in each segment that has it: `(segment ordinal, term info)`.
type Infos = Vec<(u32, tantivy::postings::TermInfo)>;

/// Looks each term up once in every segment (segments in parallel).
fn term_infos(
    searcher: &Searcher,
    field: Field,
    keys: impl Iterator<Item = u64>,
) -> std::io::Result<Vec<Infos>> {
    // The keys' term bytes with their indices, in dictionary order.
    let mut sorted: Vec<(Vec<u8>, usize)> = keys
        .enumerate()
        .map(|(i, k)| {
            let t = Term::from_field_u64(field, k);
            (t.serialized_value_bytes().to_vec(), i)
        })
        .collect();
    sorted.sort_unstable();
    let bytes: Vec<&[u8]> = sorted.iter().map(|(b, _)| b.as_slice()).collect();
    let found: Vec<Vec<(usize, tantivy::postings::TermInfo)>> = searcher
        .segment_readers()
        .par_iter()
        .map(|seg| {
            let inv = seg.inverted_index(field).map_err(std::io::Error::other)?;
            let mut found = Vec::new();
            dict_matches(inv.terms(), &bytes, |i, info| {
                found.push((sorted[i].1, info.clone()))
            })?;
            Ok(found)
        })
        .collect::<std::io::Result<_>>()?;
    let mut out: Vec<Infos> = vec![Vec::new(); sorted.len()];
    for (o, found) in found.into_iter().enumerate() {
        for (i, info) in found {
            out[i].push((o as u32, info));
        }
    }
    Ok(out)
}

/// Which of `ids` (sorted, distinct) have a term in the string field `field` of some segment.
fn ids_indexed(searcher: &Searcher, field: Field, ids: &[&str]) -> std::io::Result<Vec<bool>> {
    let mut out = vec![false; ids.len()];
    for seg in searcher.segment_readers() {
        let inv = seg.inverted_index(field).map_err(std::io::Error::other)?;
        dict_matches(inv.terms(), ids, |i, _| out[i] = true)?;
    }
    Ok(out)
}

/// Calls `found(i, info)` for each of `keys` (term bytes, sorted) that `dict` holds. When
/// the keys are many against the dictionary (the stems or ids of a batch), the dictionary is
/// streamed over their range and merged with them: a stream step costs a fraction of a
/// lookup. Otherwise (a query's terms against a large segment) each key is looked up.
fn dict_matches<K: AsRef<[u8]>>(
    dict: &tantivy::termdict::TermDictionary,
    keys: &[K],
    mut found: impl FnMut(usize, &tantivy::postings::TermInfo),
) -> std::io::Result<()> {
    let (Some(lo), Some(hi)) = (keys.first(), keys.last()) else {
        return Ok(());
    };
    if keys.len().saturating_mul(STREAM_RATIO) < dict.num_terms() {
        for (i, k) in keys.iter().enumerate() {
            if let Some(info) = dict.get(k)? {
                found(i, &info);
            }
        }
        return Ok(());
    }
    let mut stream = dict.range().ge(lo).le(hi).into_stream()?;
    let mut i = 0;
    while i < keys.len() && stream.advance() {
        let key = stream.key();
        while i < keys.len() && keys[i].as_ref() < key {
            i += 1;
        }
        while i < keys.len() && keys[i].as_ref() == key {
            found(i, stream.value());
            i += 1;
        }
    }
    Ok(())
}

/// Documents holding a term (deleted documents count until a merge drops them).
fn df_of(infos: &Infos) -> u64 {
    infos.iter().map(|(_, i)| u64::from(i.doc_freq)).sum()
}

/// The live document with this id.
fn lookup(searcher: &Searcher, f: Fields, id: &str) -> Option<DocAddress> {
    let term = Term::from_field_text(f.id, id);
    for (o, seg) in searcher.segment_readers().iter().enumerate() {
        let inv = seg.inverted_index(f.id).ok()?;
        if let Ok(Some(mut p)) = inv.read_postings(&term, IndexRecordOption::Basic) {
            let mut d = p.doc();
            while d != TERMINATED {
                if seg.alive_bitset().is_none_or(|b| b.is_alive(d)) {
                    return Some(DocAddress::new(o as u32, d));
                }
                d = p.advance();
            }
        }
    }
    None
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The writer's document type yields every field and value a `TantivyDocument` built
    /// field by field would hold, in the same order (terms, fast fields and stored bytes
    /// follow from them).
    #[test]
    fn ix_doc_holds_what_a_tantivy_document_would() {
        let (_, f) = schema();
        let d = IxDoc {
            f,
            id: "doc-1".into(),
            seq: 7,
            bytes: 42,
            rec: b"{\"text\":\"x\"}".to_vec(),
            terms: vec![11, 12, 13, 21, 31, 32, 41, 51, 52],
            ends: [3, 4, 6, 7],
        };
        let mut t = TantivyDocument::new();
        t.add_text(f.id, "doc-1");
        t.add_u64(f.seq, 7);
        t.add_u64(f.bytes, 42);
        t.add_bytes(f.rec, b"{\"text\":\"x\"}");
        for (field, v) in [
            (f.ng, 11),
            (f.ng, 12),
            (f.ng, 13),
            (f.st, 21),
            (f.nom, 31),
            (f.nom, 32),
            (f.dx, 41),
            (f.nx, 51),
            (f.nx, 52),
        ] {
            t.add_u64(field, v);
        }
        let ours: Vec<String> = d
            .iter_fields_and_values()
            .map(|(field, v)| format!("{field:?} {:?}", v.as_value().as_leaf()))
            .collect();
        let theirs: Vec<String> = t
            .iter_fields_and_values()
            .map(|(field, v)| format!("{field:?} {:?}", v.as_value().as_leaf()))
            .collect();
        assert_eq!(ours, theirs);
        assert_eq!(d.iter_fields_and_values().size_hint(), (13, Some(13)));
    }
}
