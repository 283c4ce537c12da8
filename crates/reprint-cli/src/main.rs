//! The `reprint` command-line tool.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod scan;

#[derive(Debug, Parser)]
#[command(name = "reprint", version, about = "Find text reuse in news and explain it.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Find all reuse across a corpus: verified pairs, clusters and a summary.
    Scan(scan::ScanArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => scan::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
