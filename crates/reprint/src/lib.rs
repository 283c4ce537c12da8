//! reprint
mod align;
mod changes;
mod compare;
mod document;
mod error;
mod normalize;
mod passages;
mod scan;
mod settings;
mod span;
mod tokens;
pub use changes::{Change, ChangeKind, Edit, EditOp};
pub use compare::{AlignKind, Alignment, Comparer, Comparison, Direction, DocInfo, Hints, Label, Passage, Source, Unmatched, Verdict};
pub use document::Document;
pub use error::{Error, Result};
pub use settings::{IdfTable, Options, Settings};
pub use span::Span;
pub use scan::{
    scan_corpus, scan_paths, CandidateStats, ClusterRecord, Corpus, Detail, DirSink, Evidence, MemorySink, NoProgress,
    RootBy, ScanError, ScanProgress, ScanResult, ScanSettings, ScanSettingsBuilder, ScanSink, ScanSummary, Skipped,
    Stage, Timing, VerdictCounts, VerifiedPair,
};
