//! `reprint scan`: find all reuse across a corpus.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use reprint::{
    scan_paths, terminal_safe, Detail, DirSink, ScanProgress, ScanSettings, Skipped, Stage,
};

/// Exit status when the scan finished but some input records were skipped.
pub const EXIT_SKIPPED: u8 = 3;

/// `--threads` is capped at this many threads per core: more only adds switching (10,000
/// threads took 40 s for 9 documents, 100,000 never finished).
const MAX_THREADS_PER_CORE: usize = 4;

/// Arguments of `reprint scan`.
#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// Inputs: JSONL files (`id`, `text`, optional `series`, `date`; other fields are passed
    /// through), `.jsonl.gz`, text files, or directories of them (ids are relative paths).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Output directory for pairs.jsonl, clusters.jsonl and summary.json.
    #[arg(long, short)]
    pub out: PathBuf,
    /// Skip pairs whose two documents have the same `series`.
    #[arg(long)]
    pub skip_same_series: bool,
    /// Compare only documents dated at most DAYS apart (undated documents are compared with all).
    #[arg(long, value_name = "DAYS")]
    pub date_window: Option<u32>,
    /// Precision mode for news archives: judge template fills `related` (same wording, but
    /// the numbers mostly differ: recurring market reports, offering notices), and drop pairs
    /// whose shared text is corpus boilerplate (nearly all of it held by 5+ documents, covering
    /// under 70% of the shorter text; counted as `boilerplate` in summary.json).
    #[arg(long)]
    pub reject_templates: bool,
    /// Judge two stories that share only background text `background` instead of `partial`:
    /// the copied text (shared passages) covers under half of each text and starts after
    /// both leads (headline and first two body sentences). Not written unless `--emit`
    /// names `background`.
    #[arg(long)]
    pub separate_background: bool,
    /// Judge a `derived` or `partial` pair `related` when its probability of being judged
    /// reuse (`verdict.probability`) is under P (0 to 1; default 0.5, 0 turns it off).
    /// Fitted on readers' judgements of English news; the records' dates weigh in it only
    /// for two records of one series.
    #[arg(long, value_name = "P")]
    pub min_probability: Option<f64>,
    /// Verdicts to write, comma-separated: derived, partial, related, unrelated.
    #[arg(long, value_delimiter = ',', default_value = "derived,partial")]
    pub emit: Vec<String>,
    /// Words per n-gram fingerprint.
    #[arg(long, default_value_t = 5)]
    pub ngram: usize,
    /// Winnowing window (n-grams).
    #[arg(long, default_value_t = 4)]
    pub window: usize,
    /// Ignore fingerprints held by more than N documents (boilerplate).
    #[arg(long, default_value_t = 100, value_name = "N")]
    pub max_df: usize,
    /// Rare content stems per document for paraphrase candidates (0: off).
    #[arg(long, default_value_t = 10, value_name = "K")]
    pub rare_terms: usize,
    /// Stems held by more than N documents are never rare (2-254).
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub rare_max_df: usize,
    /// Shared n-gram fingerprints needed to verify a pair.
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub min_shared: u32,
    /// Rare-term hits (both directions) needed to verify a pair.
    #[arg(long, default_value_t = 6, value_name = "N")]
    pub min_rare: u32,
    /// Skip texts longer than this many bytes.
    #[arg(long, default_value_t = 64 << 20, value_name = "BYTES")]
    pub max_doc_bytes: usize,
    /// How much of each comparison goes into pairs.jsonl: `slim` (verdict, direction,
    /// passages, sentence alignments) or `full` (everything `reprint compare --json` prints).
    #[arg(long, value_enum, default_value_t = DetailArg::Slim)]
    pub detail: DetailArg,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress bar and no closing summary on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `--detail`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum DetailArg {
    /// Verdict, direction, passages and sentence alignments.
    Slim,
    /// The whole comparison, with edits, changes and unmatched sentences.
    Full,
}

struct Bar(ProgressBar);

impl ScanProgress for Bar {
    fn stage(&self, stage: Stage, total: Option<u64>) {
        let name = match stage {
            Stage::Read => "reading",
            Stage::Fingerprint => "fingerprinting",
            Stage::Duplicates => "verifying duplicates",
            Stage::Candidates => "finding candidates",
            Stage::Verify => "verifying",
            Stage::Cluster => "clustering",
            _ => "working",
        };
        self.0.reset();
        match total {
            Some(t) => {
                self.0.set_length(t);
                self.0.set_style(
                    ProgressStyle::with_template(
                        "{msg:>18} [{bar:30}] {pos}/{len} ({per_sec}, eta {eta})",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
                );
            }
            None => {
                self.0.set_length(0);
                self.0.set_style(
                    ProgressStyle::with_template("{msg:>18} {spinner} {elapsed}")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
                self.0
                    .enable_steady_tick(std::time::Duration::from_millis(200));
            }
        }
        self.0.set_message(name);
    }
    fn advance(&self, n: u64) {
        self.0.inc(n);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

struct Silent;
impl ScanProgress for Silent {}

/// Runs `reprint scan`.
pub fn run(args: ScanArgs) -> anyhow::Result<ExitCode> {
    // Before any worker thread exists, so that they all leave the signals to the watcher.
    #[cfg(target_os = "linux")]
    signals::watch(args.out.clone());
    set_threads(args.threads)?;
    let settings = ScanSettings::builder()
        .ngram(args.ngram)
        .window(args.window)
        .max_df(args.max_df)
        .rare_terms(args.rare_terms)
        .rare_max_df(args.rare_max_df)
        .min_shared_ngrams(args.min_shared)
        .min_rare_hits(args.min_rare)
        .skip_same_series(args.skip_same_series)
        .date_window(args.date_window)
        .emit(args.emit.iter().map(|s| s.trim().to_string()))
        .max_doc_bytes(args.max_doc_bytes)
        .compare_settings(
            reprint::Options {
                reject_templates: Some(args.reject_templates),
                separate_background: Some(args.separate_background),
                min_probability: args.min_probability,
                ..reprint::Options::default()
            }
            .build()?,
        )
        .detail(match args.detail {
            DetailArg::Slim => Detail::Slim,
            DetailArg::Full => Detail::Full,
        })
        .build()?;
    let mut sink = DirSink::create(&args.out)?;
    let show_bar = !args.quiet && std::io::stderr().is_terminal();
    let summary = if show_bar {
        scan_paths(
            &args.inputs,
            &settings,
            &mut sink,
            &Bar(ProgressBar::new(0)),
        )?
    } else {
        scan_paths(&args.inputs, &settings, &mut sink, &Silent)?
    };
    if !args.quiet {
        eprintln!(
            "scanned {} documents ({:.1} MB) in {:.1} s ({:.0} docs/s): {} candidates, {} pairs, {} clusters -> {}",
            summary.documents,
            summary.bytes as f64 / 1e6,
            summary.seconds.total,
            summary.docs_per_second,
            summary.candidates.candidates,
            summary.pairs,
            summary.clusters,
            terminal_safe(&args.out.display().to_string())
        );
        list_records("skipped", &summary.skipped_records, summary.skipped);
        list_records("warning", &summary.warning_records, summary.warnings);
    }
    Ok(if summary.has_skipped() {
        ExitCode::from(EXIT_SKIPPED)
    } else {
        ExitCode::SUCCESS
    })
}

/// `--threads`: the worker pool's size, capped at [`MAX_THREADS_PER_CORE`] per core.
pub fn set_threads(threads: Option<usize>) -> anyhow::Result<()> {
    if let Some(t) = threads {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let cap = cores * MAX_THREADS_PER_CORE;
        if t > cap {
            eprintln!(
                "reprint: note: --threads {t} capped at {cap} ({MAX_THREADS_PER_CORE} per core, {cores} cores)"
            );
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(t.min(cap))
            .build_global()
            .context("setting up worker threads")?;
    }
    Ok(())
}

/// Prints the first records of a listing (skipped records or warnings) on stderr, one line
/// each, with every user-controlled part made safe for the terminal.
pub fn list_records(what: &str, records: &[Skipped], total: u64) {
    const SHOWN: usize = 20;
    for s in records.iter().take(SHOWN) {
        let line = s.line.map(|l| format!(":{l}")).unwrap_or_default();
        let id =
            s.id.as_deref()
                .map(|i| format!(" ({})", terminal_safe(i)))
                .unwrap_or_default();
        eprintln!(
            "{what} {}{line}{id}: {}",
            terminal_safe(&s.source),
            terminal_safe(&s.reason)
        );
    }
    if total > SHOWN as u64 {
        eprintln!("... {total} {what} records in all: see summary.json");
    }
}

/// Ctrl-C and SIGTERM during a scan: the output directory is marked unfinished (partial
/// files removed, the previous complete result kept), the user is told, and the process
/// exits with 128 + the signal number.
#[cfg(target_os = "linux")]
mod signals {
    use std::path::PathBuf;

    use reprint::{terminal_safe, DirSink};

    /// Blocks SIGINT and SIGTERM in this thread (and so in every thread started after it)
    /// and starts a thread that waits for them.
    pub fn watch(out: PathBuf) {
        // SAFETY: plain libc calls on a signal set we own; no memory is shared.
        let set = unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, libc::SIGINT);
            libc::sigaddset(&mut set, libc::SIGTERM);
            if libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) != 0 {
                return;
            }
            set
        };
        std::thread::spawn(move || {
            let mut sig = 0;
            // SAFETY: `set` is initialised above; `sig` is a valid out pointer.
            if unsafe { libc::sigwait(&set, &mut sig) } != 0 {
                return;
            }
            let what = if sig == libc::SIGINT {
                "interrupted (Ctrl-C)"
            } else {
                "terminated (SIGTERM)"
            };
            let shown = terminal_safe(&out.display().to_string()).into_owned();
            if DirSink::abandon(&out, what) {
                let kept = if out.join("summary.json").exists() {
                    "it still holds the previous complete result"
                } else {
                    "it holds no complete result"
                };
                eprintln!(
                    "\nreprint: scan {what}: nothing new was written to {shown}; {kept}, and {} says the run did not finish",
                    DirSink::MARKER
                );
            } else {
                eprintln!("\nreprint: scan {what}");
            }
            std::process::exit(128 + sig);
        });
    }
}
