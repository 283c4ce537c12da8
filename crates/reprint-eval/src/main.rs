//! `reprint-eval`: measures reprint's quality on labelled corpora kept
//! outside the repository (`../shared/data/` by default).
//!
//! ```text
//! reprint-eval clough [DIR]          Clough & Stevenson short answers (4-class + binary)
//! reprint-eval msrp [FILE_OR_DIR]    MSR paraphrase corpus (10-fold CV threshold)
//! reprint-eval pan [DIR]             PAN-PC corpus (precision, recall, granularity, plagdet)
//! reprint-eval seeds [DIR]           the seed pair, aligned side by side
//! reprint-eval direction [--data DIR] the source named, on pairs of known direction
//! reprint-eval all [--check eval/baseline.json]
//! ```
//!
//! Every subcommand prints a table and, with `--out FILE`, writes its
//! metrics as JSON. See EVALUATION.md for the protocols.

mod clough_data;
mod cv;
mod direction_eval;
mod engine;
mod gate;
mod metrics;
mod msrp_data;
mod pan_corpus;
mod pan_measures;
mod pan_run;
mod reprint_engine;
mod runs;
mod table;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const DATA: &str = "../shared/data";
const SEEDS: &str = "../shared/seeds";

#[derive(Parser)]
#[command(
    name = "reprint-eval",
    version,
    about = "Evaluate reprint on labelled corpora"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Args)]
struct Out {
    /// Write the metrics as JSON to this file.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Args, Clone)]
struct PanArgs {
    /// Sources compared per suspicious document (best-ranked by the prefilter).
    #[arg(long, default_value_t = pan_run::PanOptions::default().candidates)]
    candidates: usize,
    /// Minimum shared word n-grams for a source to be compared.
    #[arg(long, default_value_t = pan_run::PanOptions::default().min_shared)]
    min_shared: usize,
    /// Word n-gram length of the retrieval prefilter.
    #[arg(long, default_value_t = pan_run::PanOptions::default().ngram)]
    ngram: usize,
    /// Merge detections of one pair closer than this (non-whitespace chars).
    #[arg(long, default_value_t = pan_run::PanOptions::default().merge_gap)]
    merge_gap: usize,
    /// Keep alignments of comparisons judged `unrelated`.
    #[arg(long)]
    keep_unrelated: bool,
    /// Drop sentence alignments scoring below this (passages are kept).
    #[arg(long, default_value_t = pan_run::PanOptions::default().min_alignment_score)]
    min_alignment_score: f64,
    /// Drop merged detections shorter than this (non-whitespace chars).
    #[arg(long, default_value_t = pan_run::PanOptions::default().min_detection_chars)]
    min_detection_chars: usize,
}

impl PanArgs {
    fn options(&self) -> pan_run::PanOptions {
        pan_run::PanOptions {
            candidates: self.candidates,
            min_shared: self.min_shared,
            ngram: self.ngram,
            merge_gap: self.merge_gap,
            keep_unrelated: self.keep_unrelated,
            min_alignment_score: self.min_alignment_score,
            min_detection_chars: self.min_detection_chars,
        }
    }
}

#[derive(Subcommand)]
enum Cmd {
    /// Clough & Stevenson short answers: 4-class and binary reuse verdicts.
    Clough {
        /// Corpus folder [default: ../shared/data/clough-short-answers]
        dir: Option<PathBuf>,
        #[command(flatten)]
        out: Out,
    },
    /// MSR paraphrase corpus: sentence similarity with a CV-chosen threshold.
    Msrp {
        /// The TSV file or its folder [default: ../shared/data/msrp]
        path: Option<PathBuf>,
        #[command(flatten)]
        out: Out,
    },
    /// PAN-PC corpus: every suspicious document against all sources.
    Pan {
        /// Corpus folder [default: ../shared/data/pan-id]
        dir: Option<PathBuf>,
        #[command(flatten)]
        pan: PanArgs,
        #[command(flatten)]
        out: Out,
    },
    /// The seed pair, aligned side by side.
    Seeds {
        /// Folder with 001_*.txt (source) and 000_*.txt (rewrite) [default: ../shared/seeds]
        dir: Option<PathBuf>,
        #[command(flatten)]
        out: Out,
    },
    /// Direction: the source named on real pairs of known direction, dates withheld
    /// (PAN, Clough, Reuters-21578, textreuse-legal, the Longfellow poem).
    Direction {
        /// Folder holding the corpora [default: ../shared/data]
        #[arg(long)]
        data: Option<PathBuf>,
        #[command(flatten)]
        out: Out,
    },
    /// All of them; with --check, fail if a headline metric drops more than 0.02.
    All {
        /// Folder holding the corpora [default: ../shared/data]
        #[arg(long)]
        data: Option<PathBuf>,
        /// Seeds folder [default: ../shared/seeds]
        #[arg(long)]
        seeds: Option<PathBuf>,
        /// Baseline metrics file (e.g. eval/baseline.json).
        #[arg(long, value_name = "BASELINE")]
        check: Option<PathBuf>,
        /// Write the headline metrics as a new baseline file.
        #[arg(long, value_name = "FILE")]
        write_baseline: Option<PathBuf>,
        #[command(flatten)]
        pan: PanArgs,
        #[command(flatten)]
        out: Out,
    },
}

fn or_default(p: Option<PathBuf>, default: &str) -> PathBuf {
    p.unwrap_or_else(|| PathBuf::from(default))
}

fn write_json(path: &Path, v: &Value) -> Result<()> {
    if let Some(parent) = path.parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
    }
    let text = serde_json::to_string_pretty(v)?;
    std::fs::write(path, text + "\n").with_context(|| format!("writing {}", path.display()))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

fn require_dir(p: &Path, what: &str) -> Result<()> {
    if !p.exists() {
        bail!(
            "{what} not found: {} (the corpora live in ../shared/data beside the repository; \
             run from the repository root or pass the path)",
            p.display()
        );
    }
    Ok(())
}

fn run_clough(engine: &reprint_engine::Reprint, dir: &Path) -> Result<runs::Report> {
    require_dir(dir, "Clough corpus folder")?;
    let corpus = clough_data::load(dir)?;
    runs::clough(engine, &corpus)
}

fn run_msrp(engine: &reprint_engine::Reprint, path: &Path) -> Result<runs::Report> {
    require_dir(path, "MSRP corpus")?;
    let (file, pairs) = msrp_data::load(path)?;
    runs::msrp(engine, &file, &pairs)
}

fn run_pan(
    engine: &reprint_engine::Reprint,
    dir: &Path,
    opts: &pan_run::PanOptions,
) -> Result<runs::Report> {
    require_dir(dir, "PAN corpus folder")?;
    let corpus = pan_corpus::load(dir)?;
    let r = pan_run::run(engine, &corpus, opts)?;
    let mut headline = BTreeMap::new();
    headline.insert("pan.plagdet".to_string(), r.overall.plagdet);
    headline.insert("pan.precision".to_string(), r.overall.precision);
    headline.insert("pan.recall".to_string(), r.overall.recall);
    Ok(runs::Report {
        text: r.text,
        json: r.json,
        headline,
    })
}

fn run_seeds(engine: &reprint_engine::Reprint, dir: &Path) -> Result<runs::Report> {
    require_dir(dir, "seeds folder")?;
    runs::seeds(engine, dir)
}

const DIRECTION_SETS: [&str; 5] = [
    "pan-id",
    "clough-short-answers",
    "reuters21578",
    "textreuse-legal",
    "passim-quickstart-longfellow",
];

fn run_direction(data: &Path) -> Result<runs::Report> {
    for d in DIRECTION_SETS {
        require_dir(&data.join(d), "direction evaluation corpus")?;
    }
    direction_eval::run(data)
}

fn single(report: Result<runs::Report>, out: &Out, started: Instant) -> Result<ExitCode> {
    let r = report?;
    print!("{}", r.text);
    println!("({:.1} s)", started.elapsed().as_secs_f64());
    if let Some(p) = &out.out {
        let mut v = r.json;
        if let Value::Object(m) = &mut v {
            m.insert("headline".into(), json!(r.headline));
            m.insert("seconds".into(), json!(started.elapsed().as_secs_f64()));
        }
        write_json(p, &v)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    match real_main() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn real_main() -> Result<ExitCode> {
    let cli = Cli::parse();
    let engine = reprint_engine::Reprint::new()?;
    let started = Instant::now();
    match cli.cmd {
        Cmd::Clough { dir, out } => single(
            run_clough(
                &engine,
                &or_default(dir, &format!("{DATA}/clough-short-answers")),
            ),
            &out,
            started,
        ),
        Cmd::Msrp { path, out } => single(
            run_msrp(&engine, &or_default(path, &format!("{DATA}/msrp"))),
            &out,
            started,
        ),
        Cmd::Pan { dir, pan, out } => single(
            run_pan(
                &engine,
                &or_default(dir, &format!("{DATA}/pan-id")),
                &pan.options(),
            ),
            &out,
            started,
        ),
        Cmd::Seeds { dir, out } => {
            let report = run_seeds(&engine, &or_default(dir, SEEDS));
            // The seed pair's change report must list every expected change, without
            // alias noise (the same metrics gate `all --check`).
            let failed = report.as_ref().is_ok_and(|r| {
                ["seeds.expected_changes", "seeds.alias_free"]
                    .iter()
                    .any(|k| r.headline.get(*k).is_some_and(|&v| v < 1.0))
            });
            let code = single(report, &out, started)?;
            if failed {
                eprintln!(
                    "seed pair: the change report misses an expected change or has alias noise"
                );
                return Ok(ExitCode::from(1));
            }
            Ok(code)
        }
        Cmd::Direction { data, out } => {
            single(run_direction(&or_default(data, DATA)), &out, started)
        }
        Cmd::All {
            data,
            seeds,
            check,
            write_baseline,
            pan,
            out,
        } => {
            let data = or_default(data, DATA);
            let seeds = or_default(seeds, SEEDS);
            // Fail early, naming every missing folder, before spending minutes.
            let mut needed = vec![
                (data.join("clough-short-answers"), "Clough corpus folder"),
                (data.join("msrp"), "MSRP corpus"),
                (data.join("pan-id"), "PAN corpus folder"),
                (seeds.clone(), "seeds folder"),
            ];
            for d in DIRECTION_SETS {
                needed.push((data.join(d), "direction evaluation corpus"));
            }
            let missing: Vec<String> = needed
                .iter()
                .filter(|(p, _)| !p.exists())
                .map(|(p, w)| format!("{w} {}", p.display()))
                .collect();
            if !missing.is_empty() {
                bail!(
                    "missing: {} (the corpora live in ../shared beside the repository)",
                    missing.join(", ")
                );
            }
            let baseline = match &check {
                Some(p) => Some(gate::read_headline(p)?),
                None => None,
            };
            let mut headline = gate::Headline::new();
            let mut sections = serde_json::Map::new();
            let mut timings = serde_json::Map::new();
            type Job<'a> = (&'a str, Box<dyn Fn() -> Result<runs::Report> + 'a>);
            let pan_opts = pan.options();
            let jobs: Vec<Job> = vec![
                (
                    "clough",
                    Box::new(|| run_clough(&engine, &data.join("clough-short-answers"))),
                ),
                ("msrp", Box::new(|| run_msrp(&engine, &data.join("msrp")))),
                (
                    "pan",
                    Box::new(|| run_pan(&engine, &data.join("pan-id"), &pan_opts)),
                ),
                ("seeds", Box::new(|| run_seeds(&engine, &seeds))),
                ("direction", Box::new(|| run_direction(&data))),
            ];
            for (name, job) in jobs {
                let t0 = Instant::now();
                println!("==== {name} ====");
                let r = job().with_context(|| format!("{name} evaluation"))?;
                print!("{}", r.text);
                println!("({name}: {:.1} s)\n", t0.elapsed().as_secs_f64());
                timings.insert(name.into(), json!(t0.elapsed().as_secs_f64()));
                headline.extend(r.headline);
                sections.insert(name.into(), r.json);
            }
            println!("==== headline ====");
            let rows: Vec<Vec<String>> = headline
                .iter()
                .map(|(k, v)| {
                    let base = baseline
                        .as_ref()
                        .and_then(|b| b.get(k))
                        .map_or("-".to_string(), |b| format!("{b:.4}"));
                    vec![k.clone(), format!("{v:.4}"), base]
                })
                .collect();
            print!(
                "{}",
                table::render(&table::header(&["metric", "value", "baseline"]), &rows)
            );
            let mut failed = Vec::new();
            if let Some(b) = &baseline {
                for line in gate::check(b, &headline, gate::TOLERANCE) {
                    if !line.pass {
                        failed.push(format!(
                            "{}: {} < baseline {:.4} - {}",
                            line.metric,
                            line.current
                                .map_or("missing".to_string(), |c| format!("{c:.4}")),
                            line.baseline,
                            gate::TOLERANCE
                        ));
                    }
                }
            }
            if let Some(p) = &out.out {
                let v = json!({
                    "headline": headline,
                    "seconds": timings,
                    "gate": check.as_ref().map(|p| json!({
                        "baseline": p.display().to_string(),
                        "tolerance": gate::TOLERANCE,
                        "failed": failed,
                    })),
                    "sections": sections,
                });
                write_json(p, &v)?;
            }
            if let Some(p) = &write_baseline {
                let v = json!({
                    "note": "Headline metrics of `reprint-eval all`, measured with the library as it stood when \
                             this file was written. Regenerate with `cargo run --release -p reprint-eval -- all \
                             --write-baseline eval/baseline.json` when a change is meant to move them.",
                    "reprint_version": env!("CARGO_PKG_VERSION"),
                    "headline": headline,
                });
                write_json(p, &v)?;
            }
            if failed.is_empty() {
                if check.is_some() {
                    println!(
                        "gate: all headline metrics within {} of the baseline",
                        gate::TOLERANCE
                    );
                }
                Ok(ExitCode::SUCCESS)
            } else {
                for f in &failed {
                    eprintln!("REGRESSION {f}");
                }
                Ok(ExitCode::from(1))
            }
        }
    }
}
