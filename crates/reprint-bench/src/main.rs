//! `reprint-bench`: the synthetic-corpus generator and the scorer used by the scan benchmarks.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Parser, Subcommand};

mod gen;
mod load;
mod score;
mod viral;

#[derive(Parser)]
#[command(name = "reprint-bench", about = "Benchmarks for reprint scan.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate N articles with injected reuse: DIR/corpus.jsonl, DIR/truth.jsonl, DIR/gen.json.
    Gen {
        /// Number of articles.
        #[arg(long, short)]
        n: usize,
        /// Output directory.
        #[arg(long, short)]
        out: PathBuf,
        /// Share of articles that copy an earlier one.
        #[arg(long, default_value_t = 0.1)]
        reuse: f64,
        /// Random seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Copies take their source among this many previous articles.
        #[arg(long, default_value_t = 2000)]
        source_window: usize,
        /// Real news text to train the background model on (.sgm, .txt, .csv, .jsonl, or
        /// directories). Default: Reuters-21578, BBC News and AG News in ../shared/data.
        #[arg(long)]
        train: Vec<PathBuf>,
    },
    /// Generate the viral-story corpus: one article, COPIES lightly edited copies of it (by
    /// other outlets, dated after it) and OTHERS unrelated articles, shuffled:
    /// DIR/corpus.jsonl, DIR/truth.jsonl (story -> copy, kind `viral`), DIR/gen.json.
    Viral {
        /// Lightly edited copies of the story.
        #[arg(long, default_value_t = 1000)]
        copies: usize,
        /// Unrelated articles.
        #[arg(long, default_value_t = 2000)]
        others: usize,
        /// Output directory.
        #[arg(long, short)]
        out: PathBuf,
        /// Random seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Training text, as for `gen`.
        #[arg(long)]
        train: Vec<PathBuf>,
    },
    /// Score reported pairs (JSONL with `a` and `b`) against a ground truth.
    Score {
        /// The generator's truth.jsonl.
        #[arg(long)]
        truth: PathBuf,
        /// pairs.jsonl from reprint scan, or any JSONL of {"a": id, "b": id}.
        #[arg(long)]
        pairs: PathBuf,
    },
    /// Closed-loop HTTP load on one endpoint of `reprint serve` (bench/serve_load.sh):
    /// prints throughput, latency percentiles and errors as JSON.
    Load {
        /// The endpoint, e.g. http://127.0.0.1:7878/api/query.
        #[arg(long)]
        url: String,
        /// Request bodies, one a line: {"body": {...}, "expect": "text the answer holds"}.
        #[arg(long)]
        bodies: PathBuf,
        /// Clients sending at once.
        #[arg(long, default_value_t = 1)]
        concurrency: usize,
        /// Seconds to send for.
        #[arg(long, default_value_t = 60.0)]
        seconds: f64,
        /// Requests at most.
        #[arg(long)]
        requests: Option<u64>,
    },
}

/// The training texts given, or by default Reuters-21578, BBC News and AG News in
/// ../shared/data.
fn training(train: Vec<PathBuf>) -> Vec<PathBuf> {
    if !train.is_empty() {
        return train;
    }
    let d = PathBuf::from("../shared/data");
    vec![
        d.join("reuters21578"),
        d.join("bbc-news"),
        d.join("ag-news/test.csv"),
    ]
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Gen {
            n,
            out,
            reuse,
            seed,
            source_window,
            train,
        } => {
            let texts = gen::load_training(&training(train))?;
            let model = gen::Model::train(&texts);
            let settings = gen::GenSettings {
                n,
                reuse,
                seed,
                source_window,
            };
            let mut rep = gen::generate(&model, &settings, &out)?;
            rep.training_texts = texts.len();
            std::fs::write(
                out.join("gen.json"),
                serde_json::to_string_pretty(&rep)? + "\n",
            )?;
            println!("{}", serde_json::to_string(&rep)?);
        }
        Command::Viral {
            copies,
            others,
            out,
            seed,
            train,
        } => {
            let texts = gen::load_training(&training(train))?;
            let model = gen::Model::train(&texts);
            let settings = viral::ViralSettings {
                copies,
                others,
                seed,
            };
            let rep = viral::generate(&model, &settings, &out)?;
            println!("{}", serde_json::to_string(&rep)?);
        }
        Command::Load {
            url,
            bodies,
            concurrency,
            seconds,
            requests,
        } => {
            let settings = load::LoadSettings {
                url,
                concurrency,
                duration: std::time::Duration::from_secs_f64(seconds.max(0.0)),
                max_requests: requests,
            };
            let report = load::run(&settings, &bodies)?;
            println!("{}", serde_json::to_string(&report)?);
        }
        Command::Score { truth, pairs } => {
            let s = score::score(&truth, &pairs)?;
            println!("{}", serde_json::to_string_pretty(&s)?);
        }
    }
    Ok(())
}
