//! What the harness needs from a comparison engine, as plain data.
//!
//! The evaluation runners are written against the [`Engine`] trait so that
//! their bookkeeping (offset conversion, merging, scoring) can be unit-tested
//! with a tiny fake engine on hand-made texts. The real implementation,
//! [`crate::reprint_engine::Reprint`], calls the `reprint` library exactly
//! as a user of the library would.

use anyhow::Result;

/// A byte range `[start, end)` into a document's original bytes.
pub type ByteSpan = (usize, usize);

/// How an alignment was matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Verbatim,
    NearVerbatim,
    Paraphrase,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Verbatim => "verbatim",
            Kind::NearVerbatim => "near-verbatim",
            Kind::Paraphrase => "paraphrase",
        }
    }

    pub fn is_verbatim_like(self) -> bool {
        matches!(self, Kind::Verbatim | Kind::NearVerbatim)
    }
}

/// One aligned pair of passages: `a` in the first document, `b` in the second.
#[derive(Debug, Clone, PartialEq)]
pub struct Aligned {
    pub a: ByteSpan,
    pub b: ByteSpan,
    pub kind: Kind,
    pub score: f64,
    /// Words matched exactly (passages only; 0 for sentence alignments).
    pub exact_words: usize,
}

/// The result of comparing two documents, reduced to what is evaluated.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outcome {
    /// The verdict's label, lower-case (`derived`, `partial`, `related`,
    /// `unrelated`).
    pub label: String,
    pub score: f64,
    /// Share of each document covered by reused material, as the library
    /// reports it.
    pub coverage_a: f64,
    pub coverage_b: f64,
    /// Word counts of the two documents.
    pub words_a: usize,
    pub words_b: usize,
    /// Sentence-group alignments (verbatim, near-verbatim or paraphrase).
    pub alignments: Vec<Aligned>,
    /// Verbatim / near-verbatim passages (may cross sentence boundaries).
    pub passages: Vec<Aligned>,
    /// The change report: facts that changed, clauses, datelines, sentences
    /// only one text has.
    pub changes: Vec<ChangeRow>,
}

/// One reported change, as plain data.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChangeRow {
    /// The JSON name of the kind (`time_changed`, `dateline_changed`, ...).
    pub kind: String,
    /// A's wording (empty when A has none).
    pub a_text: String,
    /// B's wording.
    pub b_text: String,
}

/// A comparison engine.
pub trait Engine {
    /// A document ready to compare.
    type Doc;

    /// Ingests a document from its raw bytes.
    fn load(&self, id: &str, bytes: &[u8]) -> Result<Self::Doc>;

    /// Problems met while ingesting that did not stop it.
    fn warnings(&self, doc: &Self::Doc) -> Vec<String>;

    /// Compares two documents.
    fn compare(&self, a: &Self::Doc, b: &Self::Doc) -> Outcome;

    /// Similarity of two sentences in `[0, 1]`.
    fn sentence_similarity(&self, a: &str, b: &str) -> f64;

    /// Sentence spans of a document, in order (for displaying what was not
    /// aligned).
    fn sentences(&self, doc: &Self::Doc) -> Vec<ByteSpan>;
}
