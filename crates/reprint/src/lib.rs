//! reprint

mod scan;

pub use scan::{
    scan_corpus, scan_paths, CandidateStats, ClusterRecord, Corpus, DirSink, Evidence, MemorySink, NoProgress,
    RootBy, ScanError, ScanProgress, ScanResult, ScanSettings, ScanSettingsBuilder, ScanSink, ScanSummary, Skipped,
    Stage, Timing, VerdictCounts, VerifiedPair,
};
