//! reprint finds text reuse in news and explains it.
//!
//! Given two texts, [`Comparer::compare`] aligns their sentences (verbatim,
//! lightly edited, or paraphrased; reordered, merged or split), finds the
//! verbatim passages they share, reports what each rewrite changed (numbers,
//! times, names, quotes, dropped and added sentences), gives a verdict with
//! coverage, and infers which text is the source. Every span is a byte range
//! into the input exactly as given, even for PDF-extracted text whose lines
//! and hyphenation were repaired for analysis.
//!
//! ```
//! use reprint::{Comparer, Document, Label};
//!
//! let a = Document::from_text("a.txt", "The river rose two metres on Monday. \
//!     Officials closed three bridges. Schools will stay shut until Friday.");
//! let b = Document::from_text("b.txt", "Officials closed three bridges after \
//!     the river rose two metres last week. Schools will stay shut until Friday.");
//! let c = Comparer::default().compare(&a, &b);
//! assert_eq!(c.verdict.label, Label::Derived);
//! // Two sentences of A were merged into the first sentence of B.
//! assert!(c.alignments.iter().any(|al| al.a_sentences == vec![0, 1] && al.b_sentences == vec![0]));
//! ```
#![deny(missing_docs)]

mod aliases;
mod align;
mod changes;
mod commonness;
mod compare;
mod dateline;
mod dates;
mod direction;
mod document;
mod error;
mod fasthash;
#[cfg(feature = "index")]
pub mod index;
mod normalize;
mod passages;
mod report;
mod scan;
mod settings;
mod span;
mod terminal;
mod tokens;

pub use changes::{Change, ChangeKind, Edit, EditOp};
pub use commonness::{Background, SharedText, COMMON_DF};
pub use compare::{
    AlignKind, Alignment, Comparer, Comparison, DocInfo, Hints, Label, Passage, Unmatched, Verdict,
};
pub use dates::Timestamp;
pub use direction::{Basis, Direction, Source};
pub use document::Document;
pub use error::{Error, Result};
pub use report::{HtmlSink, JsonSink, ReportSink, TextSink};
/// The stages of a scan as separate calls, for distributed scans (`reprint.spark`).
pub use scan::stages;
pub use scan::{
    scan_corpus, scan_paths, CandidateStats, ClusterRecord, Corpus, Detail, DirSink,
    DuplicateStats, Evidence, FamilyMember, FamilyRecord, Link, MemorySink, NoProgress, RootBy,
    ScanProgress, ScanSettings, ScanSettingsBuilder, ScanSink, ScanSummary, Skipped, Stage, Timing,
    VerdictCounts, VerifiedPair,
};
pub use settings::{IdfTable, Options, Settings};
pub use span::Span;
pub use terminal::terminal_safe;

/// Internals for the fuzz targets in `fuzz/` (feature `fuzzing`); not part of the API.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing {
    /// Reads JSONL (gzipped when `gzip`) as a scan reads a file and checks what it got:
    /// every document has a non-empty id and text, ids are unique, and every record is
    /// either a document or a skipped record. Panics when a check fails.
    pub fn read_jsonl(data: &[u8], gzip: bool) {
        let c = crate::scan::read_jsonl_bytes(data, gzip, 1 << 16);
        let mut ids = std::collections::HashSet::new();
        for (d, t) in c.docs.iter().zip(&c.texts) {
            assert!(!d.id.is_empty() && !t.trim().is_empty());
            assert!(t.len() <= 1 << 16);
            assert!(ids.insert(d.id.clone()), "duplicate id {:?} kept", d.id);
        }
        assert_eq!(c.docs.len(), c.texts.len());
    }

    /// HTML escaping of one string.
    pub fn html_escape(s: &str) -> String {
        crate::report::escape(s)
    }
}
