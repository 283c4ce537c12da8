//! Query latency of an index from the library, in one long-running process:
//! `cargo run --release -p reprint --example index_query -- INDEX ROUNDS FILE...`
//! Each file is queried ROUNDS times after one warm-up round; prints p50/p90/p99/max in ms
//! and the process's peak resident memory.

use std::path::PathBuf;
use std::time::Instant;

use reprint::index::{Index, QueryOptions};
use reprint::ScanSettings;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        return Err("usage: index_query INDEX ROUNDS FILE...".into());
    }
    let index = Index::open(&PathBuf::from(&args[0]), &ScanSettings::default())?;
    let rounds: usize = args[1].parse()?;
    let queries: Vec<(String, Vec<u8>)> = args[2..]
        .iter()
        .map(|f| Ok((f.clone(), std::fs::read(f)?)))
        .collect::<Result<_, std::io::Error>>()?;
    let opts = QueryOptions::default();
    let mut matched = 0usize;
    for (name, bytes) in &queries {
        matched += usize::from(!index.query(name, bytes, &opts)?.matches.is_empty());
    }
    let mut ms = Vec::new();
    for _ in 0..rounds {
        for (name, bytes) in &queries {
            let t = Instant::now();
            let r = index.query(name, bytes, &opts)?;
            ms.push(t.elapsed().as_secs_f64() * 1e3);
            std::hint::black_box(r);
        }
    }
    ms.sort_by(f64::total_cmp);
    let q = |p: f64| ms[((ms.len() as f64 - 1.0) * p).round() as usize];
    let peak = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("?").to_string())
        })
        .unwrap_or_else(|| "?".into());
    println!(
        "{} queries x {rounds} rounds ({matched} with a match): p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms; peak RSS {peak} kB",
        queries.len(),
        q(0.5),
        q(0.9),
        q(0.99),
        q(1.0),
    );
    Ok(())
}
