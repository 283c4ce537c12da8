//! The `reprint` command-line tool.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use reprint::{
    terminal_safe, Background, Comparer, Document, Hints, HtmlSink, JsonSink, Options, ReportSink,
    TextSink, Timestamp,
};

mod index;
mod scan;

// The scan allocates many small vectors per comparison; mimalloc is markedly faster at that
// than the system allocator (measured in docs/scan-benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_e` (mimalloc.h); the Rust bindings do
/// not name it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// mimalloc by default hands freed memory back to the OS after 10 ms. The scan frees and
/// re-allocates large vectors stage after stage, so every one of them was faulted in and
/// zeroed by the kernel again: 17% of a 100k-article scan's CPU time. Holding freed memory
/// for a second keeps it for the next stage (measured in docs/scan-benchmarks.md).
fn tune_memory() {
    // SAFETY: called once at the start of `main`, before any other thread exists (mimalloc's
    // option setters are not thread safe).
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 1000) };
    // Transparent huge pages off for this process: with them, a scan's first touch of fresh
    // memory sometimes stalled in the kernel's compaction (system time varied 0.4-1.3 s at
    // 100k articles). Measured over 5 alternating runs at 100k: median wall 3.52 s without them,
    // 4.0 s with them (system time 0.44 s against 1.2 s). A failure only costs speed.
    #[cfg(target_os = "linux")]
    // SAFETY: prctl(PR_SET_THP_DISABLE) takes integer arguments and touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[derive(Parser)]
#[command(
    name = "reprint",
    version,
    about = "Find text reuse in news and explain it."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Align two texts, verbatim and paraphrased, and explain what changed.
    Compare(CompareArgs),
    /// Find all reuse across a corpus: verified pairs, clusters and a summary.
    Scan(scan::ScanArgs),
    /// Build a background table (n-gram document frequencies) for `compare --background`.
    Background(BackgroundArgs),
    /// Build and maintain an index: add (optionally with the new reuse pairs), remove, stats.
    Index(index::IndexArgs),
    /// Find the indexed documents each text reuses or that reuse it.
    Query(index::QueryArgs),
    /// An HTTP API and a web page: paste an article, see where it came from.
    Serve(ServeArgs),
}

#[derive(clap::Args)]
struct ServeArgs {
    /// The index to query (`reprint index add` builds one); without it only compare works.
    #[arg(long, value_name = "INDEX")]
    index: Option<PathBuf>,
    /// Address to listen on (loopback by default; port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:7878", value_name = "HOST:PORT")]
    addr: std::net::SocketAddr,
    /// Allows POST /api/documents and DELETE /api/documents/{id} with
    /// `Authorization: Bearer TOKEN` (at least 8 characters). Prefer the environment
    /// variable: a command line is visible to other users of the machine.
    #[arg(
        long,
        env = "REPRINT_WRITE_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    write_token: Option<String>,
    /// Largest request body in bytes (longer: 413).
    #[arg(long, default_value_t = 8 << 20, value_name = "BYTES")]
    body_limit: usize,
    /// Seconds allowed per request (longer: 504).
    #[arg(long, default_value_t = 30.0, value_name = "SECONDS")]
    timeout: f64,
    /// Comparisons, queries and writes run at once at most (default: the cores).
    #[arg(long, value_name = "N")]
    workers: Option<usize>,
    /// Requests in progress at most, waiting ones included (more: 503).
    #[arg(long, default_value_t = 64, value_name = "N")]
    max_requests: usize,
}

#[derive(clap::Args)]
struct BackgroundArgs {
    /// Inputs, as for `scan`: JSONL (optionally gzipped), text files, directories.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// The table to write.
    #[arg(long, short, value_name = "FILE")]
    out: PathBuf,
}

#[derive(clap::Args)]
struct CompareArgs {
    /// The first text (txt, or text extracted from PDF or HTML).
    a: PathBuf,
    /// The second text.
    b: PathBuf,
    /// Print the comparison as JSON instead of the readable report.
    #[arg(long)]
    json: bool,
    /// Also write a self-contained side-by-side HTML page.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Publication date of A, used to infer direction: ISO 8601 `YYYY-MM-DD` or a date-time
    /// `YYYY-MM-DDTHH:MM[:SS][Z|+hh:mm]`.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    date_a: Option<Timestamp>,
    /// Publication date of B (same forms).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    date_b: Option<Timestamp>,
    /// A and B come from one outlet (series): their dates then also weigh in the probability
    /// of reuse (the same wording days apart from one outlet is mostly a recurring notice).
    #[arg(long)]
    same_series: bool,
    /// Shortest verbatim passage reported, in words.
    #[arg(long, value_name = "N")]
    min_passage_words: Option<usize>,
    /// Judge template fills `template`: same wording, but the numbers mostly differ.
    #[arg(long)]
    reject_templates: bool,
    /// Judge two stories that share only background text (copied text under half of each
    /// text, outside both leads) `background` instead of `partial`.
    #[arg(long)]
    separate_background: bool,
    /// Judge a `derived` or `partial` pair `related` when its probability of being judged
    /// reuse (`verdict.probability`) is under P (0 to 1; default 0.5, 0 turns it off).
    /// Fitted on readers' judgements of English news.
    #[arg(long, value_name = "P")]
    min_probability: Option<f64>,
    /// Refuse an input longer than this many bytes (it is never read further, so an endless
    /// stream such as /dev/zero is refused, not read until memory runs out).
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BYTES)]
    max_bytes: u64,
    /// A background table (`reprint background`): shared text common in it is judged
    /// boilerplate or, with other facts, a template.
    #[arg(long, value_name = "FILE")]
    background: Option<PathBuf>,
}

/// `compare --max-bytes` by default: 64 MiB, far above any article (a 20 MB text compares in
/// seconds), far below the memory a comparison of it needs.
pub(crate) const DEFAULT_MAX_BYTES: u64 = 64 << 20;

/// Prints clap's message (help, version, or a usage error) with control characters escaped:
/// a bad option value is echoed back, and it is user-controlled text on a terminal.
fn clap_exit(e: &clap::Error) -> ExitCode {
    let rendered = e.render().to_string();
    let lines: Vec<_> = rendered.split('\n').map(terminal_safe).collect();
    let text = lines.join("\n");
    if e.use_stderr() {
        eprint!("{text}");
    } else {
        print!("{text}");
    }
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
}

/// Reads `--date-a`/`--date-b`; clap names the option in the error and exits with status 2.
pub(crate) fn parse_date(s: &str) -> Result<Timestamp, String> {
    Timestamp::parse(s).map_err(|e| match e {
        reprint::Error::InvalidDate { message, .. } => message,
        other => other.to_string(),
    })
}

fn main() -> ExitCode {
    tune_memory();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e),
    };
    let result = match cli.command {
        Command::Compare(args) => compare(args),
        Command::Scan(args) => scan::run(args),
        Command::Background(args) => background(args),
        Command::Index(args) => index::run(args),
        Command::Query(args) => index::query(args),
        Command::Serve(args) => serve(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("reprint: error: {}", terminal_safe(&format!("{e:#}")));
            ExitCode::from(2)
        }
    }
}

/// Reads a file, at most `max` bytes of it (a longer one is refused).
pub(crate) fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>> {
    // Messages are made safe for the terminal where they are printed (`main`).
    let shown = path.display().to_string();
    let file = File::open(path).with_context(|| format!("cannot read {shown}"))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        anyhow::bail!("{shown} is a directory: compare and query take files (scan and index add take directories)");
    }
    let mut bytes = Vec::new();
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {shown}"))?;
    if bytes.len() as u64 > max {
        anyhow::bail!(
            "{shown} is longer than --max-bytes {max}: refused (an endless stream is never read to its end; raise --max-bytes for a longer text)"
        );
    }
    Ok(bytes)
}

/// Reads an input to compare, at most `max` bytes of it.
fn load(path: &Path, max: u64) -> Result<Document> {
    let bytes = read_limited(path, max)?;
    let doc = Document::from_bytes(path.display().to_string(), &bytes)?;
    for w in doc.warnings() {
        eprintln!("reprint: warning: {}", terminal_safe(w));
    }
    Ok(doc)
}

fn serve(args: ServeArgs) -> Result<ExitCode> {
    anyhow::ensure!(
        args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 86_400.0,
        "--timeout must be more than 0 and at most 86400 seconds"
    );
    let defaults = reprint_serve::Config::default();
    let config = reprint_serve::Config {
        index: args.index,
        write_token: args.write_token.filter(|t| !t.is_empty()),
        body_limit: args.body_limit,
        timeout: std::time::Duration::from_secs_f64(args.timeout),
        workers: args.workers.unwrap_or(defaults.workers),
        max_requests: args.max_requests,
    };
    reprint_serve::run(config, args.addr).map_err(anyhow::Error::msg)?;
    Ok(ExitCode::SUCCESS)
}

fn background(args: BackgroundArgs) -> Result<ExitCode> {
    let (bg, skipped) = Background::from_paths(&args.inputs, 64 << 20)?;
    bg.write(&args.out)?;
    eprintln!(
        "background: {} documents, {} fingerprints held by 2+ of them -> {}{}",
        bg.documents(),
        bg.len(),
        args.out.display(),
        if skipped > 0 {
            format!(" ({skipped} records skipped)")
        } else {
            String::new()
        }
    );
    Ok(ExitCode::SUCCESS)
}

fn compare(args: CompareArgs) -> Result<ExitCode> {
    let settings = Options {
        min_passage_words: args.min_passage_words,
        reject_templates: Some(args.reject_templates),
        separate_background: Some(args.separate_background),
        min_probability: args.min_probability,
        ..Options::default()
    }
    .build()?;
    let a = load(&args.a, args.max_bytes)?;
    let b = load(&args.b, args.max_bytes)?;
    let shared = match &args.background {
        Some(path) => Some(Background::read(path)?.shared_text(&a, &b)),
        None => None,
    };
    let hints = Hints {
        date_a: args.date_a,
        date_b: args.date_b,
        shared,
        same_series: args.same_series,
        ..Hints::default()
    };
    // Open the HTML file before the work, so a bad path fails early.
    let html = match &args.html {
        Some(path) => {
            let file = File::create(path)
                .with_context(|| format!("cannot write the HTML report {}", path.display()))?;
            Some((path, BufWriter::new(file)))
        }
        None => None,
    };
    let cmp = Comparer::new(settings).compare_with(&a, &b, &hints);

    let stdout = io::stdout();
    let printed = if args.json {
        JsonSink::new(stdout.lock()).write(&cmp, &a, &b)
    } else {
        let color =
            stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse::<usize>().ok())
            .map_or(100, |c| c.clamp(60, 160));
        TextSink::new(stdout.lock())
            .color(color)
            .width(width)
            .write(&cmp, &a, &b)
    };
    match printed {
        // The reader went away (`| head`): not an error.
        Err(reprint::Error::Io { source, .. }) if source.kind() == io::ErrorKind::BrokenPipe => {}
        r => r.context("cannot print the report")?,
    }
    if let Some((path, out)) = html {
        HtmlSink::new(out)
            .write(&cmp, &a, &b)
            .with_context(|| format!("cannot write the HTML report {}", path.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}
