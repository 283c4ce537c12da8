//! The `reprint` command-line tool.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use reprint::{Comparer, Document, Hints, Options};

mod scan;

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
}

#[derive(clap::Args)]
struct CompareArgs {
    /// The first text (txt, or text extracted from PDF or HTML).
    a: PathBuf,
    /// The second text.
    b: PathBuf,
    /// Print the comparison as JSON.
    #[arg(long)]
    json: bool,
    /// Also write a self-contained side-by-side HTML page.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Publication date of A (YYYY-MM-DD), used to infer direction.
    #[arg(long, value_name = "DATE")]
    date_a: Option<String>,
    /// Publication date of B (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    date_b: Option<String>,
    /// Shortest verbatim passage reported, in words.
    #[arg(long, value_name = "N")]
    min_passage_words: Option<usize>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Compare(args) => compare(args),
        Command::Scan(args) => scan::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("reprint: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn load(path: &Path) -> Result<Document> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let doc = Document::from_bytes(path.display().to_string(), &bytes)?;
    for w in doc.warnings() {
        eprintln!("reprint: warning: {w}");
    }
    Ok(doc)
}

fn compare(args: CompareArgs) -> Result<ExitCode> {
    let settings = Options {
        min_passage_words: args.min_passage_words,
        ..Options::default()
    }
    .build()?;
    let a = load(&args.a)?;
    let b = load(&args.b)?;
    let hints = Hints {
        date_a: args.date_a,
        date_b: args.date_b,
    };
    let cmp = Comparer::new(settings).compare_with(&a, &b, &hints);
    println!("{}", serde_json::to_string_pretty(&cmp)?);
    Ok(ExitCode::SUCCESS)
}
