//! `reprint index add|remove|stats` and `reprint query`: an archive that grows by batches.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use reprint::index::{read_inputs, Index, PairCounts, QueryOptions, QuerySource, Record};
use reprint::{
    terminal_safe, DirSink, Label, ReportSink, ScanSettings, ScanSink, ScanSummary, TextSink,
    Timestamp,
};

use crate::scan::{list_records, set_threads, EXIT_SKIPPED};

/// `reprint index`.
#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    #[command(subcommand)]
    command: IndexCommand,
}

#[derive(Debug, clap::Subcommand)]
enum IndexCommand {
    /// Add documents (JSONL, .jsonl.gz, text files, directories), creating INDEX if missing.
    /// A document whose id is already indexed replaces it.
    Add(AddArgs),
    /// Remove documents by id.
    Remove(RemoveArgs),
    /// Documents, bytes, size on disk and segments.
    Stats(StatsArgs),
}

#[derive(Debug, clap::Args)]
struct AddArgs {
    /// The index directory.
    index: PathBuf,
    /// Inputs, as for `scan`.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Also write the reuse pairs between the new documents and everything indexed before
    /// them (pairs.jsonl and summary.json, as `scan` writes them) into DIR, and revisions of
    /// pairs reported by earlier batches: a line with "revises": true replaces the pair's
    /// earlier line (or adds a pair of two earlier documents), one with "withdrawn": true
    /// removes it.
    #[arg(long, value_name = "DIR")]
    pairs: Option<PathBuf>,
    /// Documents per commit.
    #[arg(long, default_value_t = 10_000, value_name = "N")]
    batch: usize,
    /// Verdicts written with --pairs, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "derived,partial")]
    emit: Vec<String>,
    /// Skip texts longer than this many bytes.
    #[arg(long, default_value_t = 64 << 20, value_name = "BYTES")]
    max_doc_bytes: usize,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// No progress bar and no closing summary on stderr (commits are still reported).
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, clap::Args)]
struct RemoveArgs {
    /// The index directory.
    index: PathBuf,
    /// Ids of the documents to remove.
    #[arg(required = true)]
    ids: Vec<String>,
}

#[derive(Debug, clap::Args)]
struct StatsArgs {
    /// The index directory.
    index: PathBuf,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// `reprint query`.
#[derive(Debug, clap::Args)]
pub struct QueryArgs {
    /// The index directory.
    index: PathBuf,
    /// Query texts.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// One JSON object per query, one a line.
    #[arg(long)]
    json: bool,
    /// Matches per query at most.
    #[arg(long, default_value_t = 10, value_name = "K")]
    top: usize,
    /// The queries' publication date (ISO 8601), for the direction.
    #[arg(long, value_name = "DATE", value_parser = crate::parse_date)]
    date: Option<Timestamp>,
    /// Verdicts returned, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "derived,partial")]
    emit: Vec<String>,
    /// Refuse a query file longer than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = crate::DEFAULT_MAX_BYTES)]
    max_bytes: u64,
}

/// Runs `reprint index ...`.
pub fn run(args: IndexArgs) -> Result<ExitCode> {
    match args.command {
        IndexCommand::Add(a) => add(a),
        IndexCommand::Remove(a) => remove(a),
        IndexCommand::Stats(a) => stats(a),
    }
}

fn shown(p: &std::path::Path) -> String {
    terminal_safe(&p.display().to_string()).into_owned()
}

fn add(args: AddArgs) -> Result<ExitCode> {
    set_threads(args.threads)?;
    anyhow::ensure!(args.batch > 0, "--batch must be at least 1");
    let settings = ScanSettings::builder()
        .emit(args.emit.iter().map(|s| s.trim().to_string()))
        .max_doc_bytes(args.max_doc_bytes)
        .build()?;
    let t0 = Instant::now();
    let mut index = Index::open_or_create(&args.index, &settings)?;
    let mut sink = match &args.pairs {
        Some(dir) => Some(DirSink::create(dir)?),
        None => None,
    };
    let corpus = read_inputs(&args.inputs, args.max_doc_bytes)?;
    let n = corpus.len();
    let bar = (!args.quiet && io::stderr().is_terminal()).then(|| {
        let b = ProgressBar::new(n as u64);
        b.set_style(
            ProgressStyle::with_template("{msg:>10} [{bar:30}] {pos}/{len} ({per_sec}, eta {eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        b.set_message("indexing");
        b
    });
    let say = |msg: String| match &bar {
        Some(b) => b.println(msg),
        None => {
            eprintln!("{msg}");
            let _ = io::stderr().flush();
        }
    };
    let mut counts = PairCounts::default();
    let mut done = 0usize;
    let analyzer = index.analyzer();
    let analyze =
        |range: std::ops::Range<usize>| analyzer.analyze(&Record::from_corpus(&corpus, range));
    let mut next = (n > 0).then(|| analyze(0..args.batch.min(n)));
    while let Some(analyzed) = next.take() {
        let end = (done + args.batch).min(n);
        let records = Record::from_corpus(&corpus, done..end);
        let batch = index.add_analyzed(&records, analyzed)?;
        // The next batch is analysed while this one is committed and paired: the indexing
        // threads then share the cores with the analysis instead of leaving one idle.
        let (committed, analyzed) = std::thread::scope(|s| {
            let ahead = (end < n).then(|| s.spawn(|| analyze(end..(end + args.batch).min(n))));
            let committed = (|| -> Result<()> {
                index.commit()?;
                let total = index.len()?;
                say(format!(
                    "committed {end} of {n} documents ({total} in the index)"
                ));
                if let Some(sink) = sink.as_mut() {
                    let c = index.batch_pairs(&batch, sink)?;
                    counts.pairs += c.pairs;
                    counts.revised += c.revised;
                    counts.withdrawn += c.withdrawn;
                    counts.compared += c.compared;
                    counts.rejudged += c.rejudged;
                }
                Ok(())
            })();
            let analyzed = ahead.map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
            (committed, analyzed)
        });
        committed?;
        next = analyzed;
        done = end;
        if let Some(b) = &bar {
            b.set_position(done as u64);
        }
    }
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let path = index.path().to_path_buf();
    index.close()?;
    let seconds = t0.elapsed().as_secs_f64();
    if let Some(mut sink) = sink {
        let mut summary = ScanSummary {
            documents: n as u64,
            bytes: corpus.bytes(),
            skipped: corpus.skipped().len() as u64,
            skipped_records: corpus.skipped().iter().take(1000).cloned().collect(),
            warnings: corpus.warnings().len() as u64,
            warning_records: corpus.warnings().iter().take(1000).cloned().collect(),
            pairs: counts.pairs + counts.revised + counts.withdrawn,
            ..Default::default()
        };
        summary.candidates.candidates = counts.compared;
        summary.seconds.total = seconds;
        sink.summary(&summary)?;
    }
    if !args.quiet {
        let pairs_note = match &args.pairs {
            Some(dir) => format!(
                ", {} pairs, {} revisions and {} withdrawals of earlier pairs ({} earlier \
                 pairs re-judged) -> {}",
                counts.pairs,
                counts.revised,
                counts.withdrawn,
                counts.rejudged,
                shown(dir)
            ),
            None => String::new(),
        };
        eprintln!(
            "indexed {n} documents ({:.1} MB) in {seconds:.1} s{pairs_note} -> {}",
            corpus.bytes() as f64 / 1e6,
            shown(&path)
        );
        let skipped = corpus.skipped();
        list_records("skipped", skipped, skipped.len() as u64);
        let warnings = corpus.warnings();
        list_records("warning", warnings, warnings.len() as u64);
    }
    Ok(if corpus.skipped().is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_SKIPPED)
    })
}

fn remove(args: RemoveArgs) -> Result<ExitCode> {
    let mut index = Index::open(&args.index, &ScanSettings::default())?;
    let ids: Vec<&str> = args.ids.iter().map(String::as_str).collect();
    let found = index.remove(&ids)?;
    index.commit()?;
    index.close()?;
    eprintln!(
        "removed {found} documents ({} of the ids given were not in the index) from {}",
        ids.len() - found,
        shown(&args.index)
    );
    Ok(if found < ids.len() {
        ExitCode::from(EXIT_SKIPPED)
    } else {
        ExitCode::SUCCESS
    })
}

fn stats(args: StatsArgs) -> Result<ExitCode> {
    let index = Index::open(&args.index, &ScanSettings::default())?;
    let s = index.stats()?;
    if args.json {
        println!("{}", serde_json::to_string(&s)?);
    } else {
        println!(
            "{}: {} documents, {:.1} MB of text, {:.1} MB on disk ({:.2}x the text), {} segments, {} deleted awaiting a merge",
            shown(&args.index),
            s.documents,
            s.bytes as f64 / 1e6,
            s.disk_bytes as f64 / 1e6,
            s.disk_bytes as f64 / (s.bytes.max(1)) as f64,
            s.segments,
            s.deleted
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_labels(names: &[String]) -> Result<Vec<Label>> {
    names
        .iter()
        .map(|n| {
            let n = n.trim();
            Label::ALL
                .iter()
                .copied()
                .find(|l| l.name() == n)
                .with_context(|| {
                    let all: Vec<&str> = Label::ALL.iter().map(|l| l.name()).collect();
                    format!("--emit: unknown verdict `{n}`: expected {}", all.join(", "))
                })
        })
        .collect()
}

/// Runs `reprint query`.
pub fn query(args: QueryArgs) -> Result<ExitCode> {
    let emit = parse_labels(&args.emit)?;
    let index = Index::open(&args.index, &ScanSettings::default())?;
    let opts = QueryOptions {
        top: args.top,
        date: args.date,
        emit,
    };
    let stdout = io::stdout();
    let mut failed = false;
    for file in &args.files {
        let name = file.display().to_string();
        let bytes = match crate::read_limited(file, args.max_bytes) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("reprint: error: {}", terminal_safe(&format!("{e:#}")));
                failed = true;
                continue;
            }
        };
        let result = match index.query(&name, &bytes, &opts) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("reprint: error: {}", terminal_safe(&e.to_string()));
                failed = true;
                continue;
            }
        };
        let mut out = stdout.lock();
        let printed = if args.json {
            let json = result.json_line(&name, bytes.len());
            writeln!(out, "{json}")
        } else {
            print_report(&mut out, &index, &name, &bytes, &opts, &result)
        };
        match printed {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
            r => r.context("cannot print the result")?,
        }
    }
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_report(
    out: &mut impl Write,
    index: &Index,
    name: &str,
    bytes: &[u8],
    opts: &QueryOptions,
    result: &reprint::index::QueryResult,
) -> io::Result<()> {
    writeln!(
        out,
        "query {} ({} bytes): {} matches ({} candidates compared)",
        terminal_safe(name),
        bytes.len(),
        result.matches.len(),
        result.candidates
    )?;
    for m in &result.matches {
        let source = match m.direction.source {
            QuerySource::Query => "the query is the source",
            QuerySource::Match => "the match is the source",
            QuerySource::Unknown => "source unknown",
        };
        writeln!(
            out,
            "  {:<8} {:.2}  {}{}  ({} passage{}; {source})",
            m.label.name(),
            m.score,
            terminal_safe(&m.id),
            m.date
                .as_deref()
                .map(|d| format!(" [{}]", terminal_safe(d)))
                .unwrap_or_default(),
            m.passages.len(),
            if m.passages.len() == 1 { "" } else { "s" }
        )?;
        if !m.copies.is_empty() {
            let ids: Vec<String> = m
                .copies
                .iter()
                .map(|c| terminal_safe(c).into_owned())
                .collect();
            writeln!(out, "           byte-identical copies: {}", ids.join(", "))?;
        }
    }
    let Some(best) = result.matches.first() else {
        return writeln!(out);
    };
    let Ok(q) = reprint::Document::from_bytes(name, bytes) else {
        return Ok(());
    };
    let text = String::from_utf8_lossy(bytes);
    let cmp = index
        .compare_with_indexed(&q, &text, opts.date, &best.id)
        .map_err(io::Error::other)?;
    if let Some((cmp, doc)) = cmp {
        writeln!(
            out,
            "\nbest match, side by side (A: the query, B: {}):",
            terminal_safe(&best.id)
        )?;
        let color =
            io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse::<usize>().ok())
            .map_or(100, |c| c.clamp(60, 160));
        TextSink::new(&mut *out)
            .color(color)
            .width(width)
            .write(&cmp, &q, &doc)
            .map_err(io::Error::other)?;
    }
    writeln!(out)
}
