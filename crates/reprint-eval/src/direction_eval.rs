//! The direction evaluation: real pairs whose source is known, compared
//! without any date, scored on the source `compare` names.
//!
//! Sets: PAN (source -> suspicious, from the XML cases), Clough (original ->
//! reused answer), Reuters-21578 (pairs the library scan reports, dates
//! withheld: earlier record timestamp -> later), textreuse-legal (New York
//! 1850 -> California 1851) and the Longfellow poem (poem -> its 1860 OCR
//! reprints). Each pair is given to `compare` in an order fixed by a hash of
//! its id, so the source is A about half the time.
//!
//! Besides the library's answer, the candidate content signals are measured
//! on every set from the public comparison (changes and coverage), so the
//! choice of signals kept by the library rests on numbers (EVALUATION.md).

use crate::clough_data;
use crate::metrics::ratio;
use crate::pan_corpus;
use crate::runs::Report;
use crate::table;
use anyhow::{bail, Context, Result};
use reprint::{
    Basis, ChangeKind, Comparer, Comparison, Corpus, Document, Label, MemorySink, NoProgress,
    ScanSettings, Source,
};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A pair of known direction.
pub struct Case {
    pub set: &'static str,
    pub id: String,
    pub source: Vec<u8>,
    pub derived: Vec<u8>,
}

/// Wilson 95% interval for `k` successes in `n` trials.
pub fn wilson(k: usize, n: usize) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (k, n) = (k as f64, n as f64);
    let z = 1.959_964f64;
    let p = k / n;
    let den = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / den;
    let half = z * ((p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt()) / den;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

fn read(dir: &Path, name: &str) -> Result<Vec<u8>> {
    let p = dir.join(name);
    std::fs::read(&p).with_context(|| format!("reading {}", p.display()))
}

/// PAN: one case per (source document, suspicious document) named in the XML.
pub fn pan_cases(dir: &Path) -> Result<Vec<Case>> {
    let corpus = pan_corpus::load(dir)?;
    let by_name: BTreeMap<&str, &[u8]> = corpus
        .sources
        .iter()
        .map(|d| (d.name.as_str(), d.bytes.as_slice()))
        .collect();
    let mut out = Vec::new();
    for s in &corpus.suspicious {
        let refs: BTreeSet<&str> = s
            .cases
            .iter()
            .map(|c| c.source_reference.as_str())
            .collect();
        for r in refs {
            let Some(src) = by_name.get(r) else {
                bail!("{}: source {r} not in the corpus", s.doc.name);
            };
            out.push(Case {
                set: "pan",
                id: format!("{r}->{}", s.doc.name),
                source: src.to_vec(),
                derived: s.doc.bytes.clone(),
            });
        }
    }
    Ok(out)
}

/// Clough: the task's original -> each answer that reuses it (cut, light, heavy).
pub fn clough_cases(dir: &Path) -> Result<Vec<Case>> {
    let corpus = clough_data::load(dir)?;
    let mut out = Vec::new();
    for a in &corpus.answers {
        if clough_data::CLASSES[a.class] == "non" {
            continue;
        }
        let Some(orig) = corpus.originals.get(&a.task) else {
            bail!("{}: no original for task {}", a.file, a.task);
        };
        out.push(Case {
            set: "clough",
            id: format!("orig_task{}->{}", a.task, a.file),
            source: orig.clone(),
            derived: a.bytes.clone(),
        });
    }
    Ok(out)
}

/// textreuse-legal: New York 1850 -> California 1851 (SOURCE.txt).
pub fn legal_cases(dir: &Path) -> Result<Vec<Case>> {
    Ok(vec![Case {
        set: "legal",
        id: "ny1850-match->ca1851-match".into(),
        source: read(dir, "ny1850-match.txt")?,
        derived: read(dir, "ca1851-match.txt")?,
    }])
}

/// The Longfellow poem -> its two 1860 OCR reprints (SOURCE.txt).
pub fn poem_cases(dir: &Path) -> Result<Vec<Case>> {
    let poem = read(dir, "childrens_hour.txt")?;
    let mut out = Vec::new();
    for page in ["ocr_page1_passage.txt", "ocr_page2_passage.txt"] {
        out.push(Case {
            set: "poem",
            id: format!("childrens_hour->{page}"),
            source: poem.clone(),
            derived: read(dir, page)?,
        });
    }
    Ok(out)
}

/// One Reuters-21578 story: id, record timestamp (sortable), file index, text.
pub struct Story {
    pub id: String,
    pub stamp: String,
    pub text: String,
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let i = s.find(open)? + open.len();
    let j = s[i..].find(close)? + i;
    Some(&s[i..j])
}

/// Character references and entities of the SGML, and the closing `Reuter`.
fn clean_sgml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find(';').filter(|&e| e <= 8);
        match end {
            Some(e) => {
                match &tail[1..e] {
                    "lt" => out.push('<'),
                    "gt" => out.push('>'),
                    "amp" => out.push('&'),
                    "quot" => out.push('"'),
                    n if n.starts_with('#') => out.push(' '),
                    other => {
                        out.push('&');
                        out.push_str(other);
                        out.push(';');
                    }
                }
                rest = &tail[e + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    let t = out.trim_end();
    let t = t.strip_suffix("Reuter").unwrap_or(t);
    t.trim().to_string()
}

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

/// `26-FEB-1987 15:01:01.79` -> `1987-02-26T15:01:01.79` (sorts in time order).
fn stamp(date: &str) -> Option<String> {
    let d = date.trim();
    let (day, rest) = d.split_once('-')?;
    let (mon, rest) = rest.split_once('-')?;
    let (year, time) = rest.split_once(' ')?;
    let m = MONTHS.iter().position(|&x| x == mon)? + 1;
    let day: u32 = day.parse().ok()?;
    let year: u32 = year.parse().ok()?;
    Some(format!("{year:04}-{m:02}-{day:02}T{}", time.trim()))
}

/// Reads `reut2-*.sgm`: each story's title, dateline and body as one text
/// (the dateline is part of a wire story as printed), and its timestamp.
pub fn reuters_stories(dir: &Path) -> Result<Vec<Story>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("reut2-") && n.ends_with(".sgm"))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("no reut2-*.sgm files in {}", dir.display());
    }
    let mut out = Vec::new();
    for p in &files {
        let bytes = std::fs::read(p).with_context(|| format!("reading {}", p.display()))?;
        // The files are Latin-1.
        let raw: String = bytes.iter().map(|&b| b as char).collect();
        let mut rest = raw.as_str();
        while let Some(i) = rest.find("<REUTERS") {
            let Some(j) = rest[i..].find("</REUTERS>") else {
                break;
            };
            let rec = &rest[i..i + j];
            rest = &rest[i + j + 10..];
            let Some(id) = between(rec, "NEWID=\"", "\"") else {
                continue;
            };
            let Some(st) = between(rec, "<DATE>", "</DATE>").and_then(stamp) else {
                continue;
            };
            let Some(body) = between(rec, "<BODY>", "</BODY>") else {
                continue;
            };
            let title = between(rec, "<TITLE>", "</TITLE>").map(clean_sgml);
            let dateline = between(rec, "<DATELINE>", "</DATELINE>").map(clean_sgml);
            let mut text = String::new();
            if let Some(t) = title.filter(|t| !t.is_empty()) {
                text.push_str(&t);
                text.push_str("\n\n");
            }
            if let Some(d) = dateline.filter(|d| !d.is_empty()) {
                text.push_str(&d);
                text.push(' ');
            }
            text.push_str(&clean_sgml(body));
            out.push(Story {
                id: format!("reuters-{id}"),
                stamp: st,
                text,
            });
        }
    }
    Ok(out)
}

/// Reuters pairs found by the library scan (no dates given), with different
/// timestamps: earlier -> later.
pub fn reuters_cases(dir: &Path) -> Result<Vec<Case>> {
    let stories = reuters_stories(dir)?;
    let mut corpus = Corpus::new();
    let settings = ScanSettings::builder().build()?;
    for s in &stories {
        corpus.push(&s.id, None, None, &s.text, 1 << 20);
    }
    let mut sink = MemorySink::default();
    reprint::scan_corpus(&corpus, &settings, &mut sink, &NoProgress)?;
    let by_id: BTreeMap<&str, &Story> = stories.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut out = Vec::new();
    for line in &sink.pairs {
        let v: Value = serde_json::from_str(line).context("reading a scan pair")?;
        let (Some(a), Some(b)) = (v["a"]["id"].as_str(), v["b"]["id"].as_str()) else {
            continue;
        };
        let (Some(sa), Some(sb)) = (by_id.get(a), by_id.get(b)) else {
            continue;
        };
        if sa.stamp == sb.stamp {
            continue;
        }
        let (src, der) = if sa.stamp < sb.stamp {
            (sa, sb)
        } else {
            (sb, sa)
        };
        out.push(Case {
            set: "reuters",
            id: format!("{}->{}", src.id, der.id),
            source: src.text.as_bytes().to_vec(),
            derived: der.text.as_bytes().to_vec(),
        });
    }
    Ok(out)
}

/// The candidate content signals, each pointing to A (+) or B (-) as the
/// source, or 0 when it does not fire. Computed from the public comparison.
#[derive(Debug, Clone, Copy, Default)]
pub struct Signals {
    /// A specific time ("on Tuesday") made vaguer ("last week") points to the
    /// vaguer text as the rewrite.
    pub vaguer_time: i32,
    /// One side drops two or more names, numbers or times more than the
    /// other: the side with more detail as the source.
    pub more_detail: i32,
    /// One text mostly contained in the other (coverage gap >= 0.25, the
    /// contained one >= 0.7 covered): the container as the source.
    pub container: i32,
    /// The longer text (by 20% or more) as the source.
    pub longer: i32,
}

pub const SIGNALS: [&str; 4] = ["vaguer_time", "more_detail", "container", "longer"];

fn specific(text: &str) -> bool {
    let t = text.to_lowercase();
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
    .iter()
    .any(|w| t.contains(w))
}

pub fn signals(c: &Comparison) -> Signals {
    let mut s = Signals::default();
    let (mut dropped_by_b, mut dropped_by_a) = (0i32, 0i32);
    for ch in &c.changes {
        match ch.kind {
            ChangeKind::TimeChanged => {
                let (sa, sb) = (specific(&ch.a_text), specific(&ch.b_text));
                if sa && !sb {
                    s.vaguer_time += 1;
                } else if sb && !sa {
                    s.vaguer_time -= 1;
                }
            }
            ChangeKind::TimeRemoved | ChangeKind::NameRemoved | ChangeKind::NumberRemoved => {
                dropped_by_b += 1
            }
            ChangeKind::TimeAdded | ChangeKind::NameAdded | ChangeKind::NumberAdded => {
                dropped_by_a += 1
            }
            _ => {}
        }
    }
    let d = dropped_by_b - dropped_by_a;
    if d.abs() >= 2 {
        s.more_detail = d.signum();
    }
    let (ca, cb) = (c.verdict.coverage_a, c.verdict.coverage_b);
    if cb - ca >= 0.25 && cb >= 0.7 {
        s.container = 1;
    } else if ca - cb >= 0.25 && ca >= 0.7 {
        s.container = -1;
    }
    let (wa, wb) = (c.doc_a.words as f64, c.doc_b.words as f64);
    if wa >= 1.2 * wb {
        s.longer = 1;
    } else if wb >= 1.2 * wa {
        s.longer = -1;
    }
    s.vaguer_time = s.vaguer_time.signum();
    s
}

impl Signals {
    pub fn get(&self, name: &str) -> i32 {
        match name {
            "vaguer_time" => self.vaguer_time,
            "more_detail" => self.more_detail,
            "container" => self.container,
            "longer" => self.longer,
            _ => 0,
        }
    }
}

/// What happened to one case.
pub struct Outcome {
    pub set: &'static str,
    /// The calibration fold: the set, or for Reuters the half of the corpus (by story
    /// number, so roughly by date) the source story is in.
    pub fold: String,
    pub id: String,
    pub reuse: bool,
    /// Named source: `Some(true)` right, `Some(false)` wrong, `None` unknown.
    pub named: Option<bool>,
    pub confidence: f64,
    pub basis: Basis,
    /// Each signal: +1 points to the true source, -1 to the derived text, 0 silent.
    pub signals: [i32; 4],
}

/// Stable 64-bit FNV-1a of the id: decides which side the source goes on.
fn side_hash(id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

pub fn run_case(comparer: &Comparer, case: &Case) -> Result<Outcome> {
    let src = Document::from_bytes(format!("{}:source", case.id), &case.source)?;
    let der = Document::from_bytes(format!("{}:derived", case.id), &case.derived)?;
    let source_is_a = side_hash(&case.id) & 1 == 0;
    let c = if source_is_a {
        comparer.compare(&src, &der)
    } else {
        comparer.compare(&der, &src)
    };
    let truth = if source_is_a { Source::A } else { Source::B };
    let named = match c.direction.source {
        Source::Unknown => None,
        s => Some(s == truth),
    };
    let sig = signals(&c);
    let orient = if source_is_a { 1 } else { -1 };
    let mut signals = [0; 4];
    for (k, name) in SIGNALS.iter().enumerate() {
        signals[k] = sig.get(name) * orient;
    }
    Ok(Outcome {
        set: case.set,
        fold: fold_of(case),
        id: case.id.clone(),
        reuse: matches!(c.verdict.label, Label::Derived | Label::Partial),
        named,
        confidence: c.direction.confidence,
        basis: c.direction.basis,
        signals,
    })
}

/// Reuters stories numbered up to this are the first calibration fold (NEWID runs
/// 1-21578, roughly in date order).
const REUTERS_HALF: u32 = 10_789;

fn fold_of(case: &Case) -> String {
    if case.set != "reuters" {
        return case.set.to_string();
    }
    let n: u32 = case
        .id
        .strip_prefix("reuters-")
        .and_then(|r| r.split("->").next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    if n <= REUTERS_HALF {
        "reuters-1".into()
    } else {
        "reuters-2".into()
    }
}

/// Calibration check: for each basis and each fold holding calls of that basis, the
/// confidence fitted on the other folds (Laplace: (right+1)/(named+2)) against the
/// accuracy observed on the held-out fold.
fn held_out_calibration(outcomes: &[Outcome]) -> (Vec<Vec<String>>, Value) {
    let mut rows = Vec::new();
    let mut js = Vec::new();
    for b in [Basis::Dates, Basis::Datelines, Basis::Content] {
        let calls: Vec<&Outcome> = outcomes
            .iter()
            .filter(|o| o.basis == b && o.named.is_some())
            .collect();
        let folds: BTreeSet<&str> = calls.iter().map(|o| o.fold.as_str()).collect();
        for f in folds {
            let (mut n_in, mut k_in, mut n_out, mut k_out) = (0, 0, 0, 0);
            for o in &calls {
                let right = usize::from(o.named == Some(true));
                if o.fold == f {
                    n_out += 1;
                    k_out += right;
                } else {
                    n_in += 1;
                    k_in += right;
                }
            }
            let fitted = (n_in > 0).then(|| (k_in as f64 + 1.0) / (n_in as f64 + 2.0));
            rows.push(vec![
                basis_name(b).to_string(),
                f.to_string(),
                format!("{k_in}/{n_in}"),
                fitted.map_or("-".into(), |p| format!("{p:.3}")),
                fmt_prop(k_out, n_out),
            ]);
            js.push(json!({
                "basis": basis_name(b), "held_out": f,
                "fit_named": n_in, "fit_right": k_in, "fitted": fitted,
                "held_named": n_out, "held_right": k_out,
            }));
        }
    }
    (rows, Value::Array(js))
}

/// Confidence bins of the reliability table.
const BINS: [(f64, f64); 5] = [(0.0, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01)];

fn fmt_prop(k: usize, n: usize) -> String {
    if n == 0 {
        return "-".into();
    }
    let (lo, hi) = wilson(k, n);
    format!("{:.3} ({lo:.2}-{hi:.2})", ratio(k, n))
}

fn basis_name(b: Basis) -> &'static str {
    match b {
        Basis::Dates => "dates",
        Basis::Datelines => "datelines",
        Basis::Content => "content",
        Basis::None => "none",
    }
}

/// Scores outcomes: per set, per signal, and the reliability table.
pub fn score(outcomes: &[Outcome], sets: &[&'static str]) -> Report {
    let mut text = String::new();
    let mut per_set = serde_json::Map::new();
    let mut headline = BTreeMap::new();
    let mut rows = Vec::new();
    for &set in sets {
        let os: Vec<&Outcome> = outcomes.iter().filter(|o| o.set == set).collect();
        let n = os.len();
        let reuse = os.iter().filter(|o| o.reuse).count();
        let named: Vec<bool> = os.iter().filter_map(|o| o.named).collect();
        let right = named.iter().filter(|&&r| r).count();
        let wrong: Vec<Value> = os
            .iter()
            .filter(|o| o.named == Some(false))
            .map(|o| json!({"pair": o.id, "basis": basis_name(o.basis)}))
            .collect();
        let mut by_basis = serde_json::Map::new();
        for b in [Basis::Dates, Basis::Datelines, Basis::Content] {
            let bs: Vec<bool> = os
                .iter()
                .filter(|o| o.basis == b)
                .filter_map(|o| o.named)
                .collect();
            if !bs.is_empty() {
                let k = bs.iter().filter(|&&r| r).count();
                by_basis.insert(basis_name(b).into(), json!({"named": bs.len(), "right": k}));
            }
        }
        rows.push(vec![
            set.to_string(),
            n.to_string(),
            reuse.to_string(),
            format!("{} ({:.3})", named.len(), ratio(named.len(), n)),
            fmt_prop(right, named.len()),
        ]);
        let (lo, hi) = wilson(right, named.len());
        per_set.insert(
            set.into(),
            json!({
                "pairs": n,
                "judged_reuse": reuse,
                "named": named.len(),
                "share_named": ratio(named.len(), n),
                "right": right,
                "accuracy_when_named": if named.is_empty() { Value::Null } else { json!(ratio(right, named.len())) },
                "wilson95": [lo, hi],
                "by_basis": by_basis,
                "wrong": wrong,
            }),
        );
    }
    // Headline (higher is better): accuracy when named, all sets pooled; and 1 when the
    // legal and poem pairs are never named wrong, else 0.
    let named: Vec<bool> = outcomes.iter().filter_map(|o| o.named).collect();
    let right = named.iter().filter(|&&r| r).count();
    headline.insert(
        "direction.accuracy_when_named".to_string(),
        ratio(right, named.len()),
    );
    let never_wrong = !outcomes
        .iter()
        .any(|o| matches!(o.set, "legal" | "poem") && o.named == Some(false));
    headline.insert(
        "direction.legal_poem_never_wrong".to_string(),
        if never_wrong { 1.0 } else { 0.0 },
    );
    text.push_str("Direction, dates withheld (source named by compare):\n");
    text.push_str(&table::render(
        &table::header(&[
            "set",
            "pairs",
            "judged reuse",
            "named (share)",
            "accuracy when named (95%)",
        ]),
        &rows,
    ));

    // Candidate content signals: accuracy when each fires, per set.
    let mut sig_rows = Vec::new();
    let mut sig_json = serde_json::Map::new();
    for (k, name) in SIGNALS.iter().enumerate() {
        let mut row = vec![name.to_string()];
        let mut sj = serde_json::Map::new();
        for &set in sets {
            let fired: Vec<i32> = outcomes
                .iter()
                .filter(|o| o.set == set && o.reuse && o.signals[k] != 0)
                .map(|o| o.signals[k])
                .collect();
            let right = fired.iter().filter(|&&v| v > 0).count();
            row.push(if fired.is_empty() {
                "-".into()
            } else {
                format!("{right}/{} {}", fired.len(), fmt_prop(right, fired.len()))
            });
            sj.insert(set.into(), json!({"fired": fired.len(), "right": right}));
        }
        sig_rows.push(row);
        sig_json.insert(name.to_string(), Value::Object(sj));
    }
    let mut hdr = vec!["signal"];
    hdr.extend(sets.iter().copied());
    text.push_str(
        "\nCandidate content signals on pairs judged reuse (right/fired, accuracy, 95%):\n",
    );
    text.push_str(&table::render(&table::header(&hdr), &sig_rows));

    // Reliability: confidence bins against observed accuracy, all sets.
    let mut rel_rows = Vec::new();
    let mut rel_json = Vec::new();
    for (lo, hi) in BINS {
        let inb: Vec<&Outcome> = outcomes
            .iter()
            .filter(|o| o.named.is_some() && o.confidence >= lo && o.confidence < hi)
            .collect();
        let k = inb.iter().filter(|o| o.named == Some(true)).count();
        let mean = if inb.is_empty() {
            0.0
        } else {
            inb.iter().map(|o| o.confidence).sum::<f64>() / inb.len() as f64
        };
        rel_rows.push(vec![
            format!("[{lo:.1}, {:.1})", hi.min(1.0)),
            inb.len().to_string(),
            if inb.is_empty() {
                "-".into()
            } else {
                format!("{mean:.3}")
            },
            fmt_prop(k, inb.len()),
        ]);
        rel_json.push(json!({"lo": lo, "hi": hi.min(1.0), "named": inb.len(), "right": k, "mean_confidence": mean}));
    }
    text.push_str("\nReliability (all sets, named sources): confidence bin against accuracy:\n");
    text.push_str(&table::render(
        &table::header(&["confidence", "named", "mean confidence", "accuracy (95%)"]),
        &rel_rows,
    ));
    let (cal_rows, cal_json) = held_out_calibration(outcomes);
    text.push_str("\nCalibration held out: confidence fitted on the other folds against accuracy on this one:\n");
    text.push_str(&table::render(
        &table::header(&[
            "basis",
            "held-out fold",
            "fit on (right/named)",
            "fitted",
            "held-out accuracy (95%)",
        ]),
        &cal_rows,
    ));
    Report {
        text,
        json: json!({"sets": per_set, "signals": sig_json, "reliability": rel_json, "calibration": cal_json}),
        headline,
    }
}

/// Runs the whole evaluation from the data folder.
pub fn run(data: &Path) -> Result<Report> {
    let comparer = Comparer::default();
    let mut cases = Vec::new();
    cases.extend(pan_cases(&data.join("pan-id")).context("PAN pairs")?);
    cases.extend(clough_cases(&data.join("clough-short-answers")).context("Clough pairs")?);
    cases.extend(reuters_cases(&data.join("reuters21578")).context("Reuters pairs")?);
    cases.extend(legal_cases(&data.join("textreuse-legal")).context("legal pair")?);
    cases.extend(poem_cases(&data.join("passim-quickstart-longfellow")).context("poem pairs")?);
    let mut outcomes = Vec::with_capacity(cases.len());
    for c in &cases {
        outcomes.push(run_case(&comparer, c).with_context(|| c.id.clone())?);
    }
    Ok(score(
        &outcomes,
        &["pan", "clough", "reuters", "legal", "poem"],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_interval_brackets_the_share() {
        let (lo, hi) = wilson(9, 10);
        assert!(lo > 0.55 && lo < 0.6, "{lo}");
        assert!(hi > 0.98 && hi <= 1.0, "{hi}");
        assert_eq!(wilson(0, 0), (0.0, 1.0));
    }

    fn outcome(set: &'static str, named: Option<bool>, confidence: f64) -> Outcome {
        Outcome {
            set,
            fold: set.to_string(),
            id: format!("{set}-{named:?}"),
            reuse: true,
            named,
            confidence,
            basis: if named.is_some() {
                Basis::Datelines
            } else {
                Basis::None
            },
            signals: [1, -1, 0, 0],
        }
    }

    #[test]
    fn scores_share_named_accuracy_and_the_never_wrong_flag() {
        let os = vec![
            outcome("reuters", Some(true), 0.99),
            outcome("reuters", Some(true), 0.99),
            outcome("reuters", Some(false), 0.99),
            outcome("reuters", None, 0.0),
            outcome("poem", None, 0.0),
        ];
        let r = score(&os, &["reuters", "poem"]);
        let acc = r.headline["direction.accuracy_when_named"];
        assert!((acc - 2.0 / 3.0).abs() < 1e-9, "{acc}");
        assert_eq!(r.headline["direction.legal_poem_never_wrong"], 1.0);
        assert_eq!(r.json["sets"]["reuters"]["named"], 3);
        assert_eq!(r.json["sets"]["reuters"]["share_named"], 0.75);
        assert_eq!(r.json["signals"]["vaguer_time"]["reuters"]["right"], 4);
        assert_eq!(r.json["signals"]["more_detail"]["reuters"]["right"], 0);
        let mut os = os;
        os.push(outcome("poem", Some(false), 0.99));
        let r = score(&os, &["reuters", "poem"]);
        assert_eq!(r.headline["direction.legal_poem_never_wrong"], 0.0);
    }

    #[test]
    fn reuters_stamps_sort_in_time_order() {
        let a = stamp("26-FEB-1987 15:01:01.79").expect("stamp");
        let b = stamp(" 3-MAR-1987 09:00:00.00").expect("stamp");
        assert_eq!(a, "1987-02-26T15:01:01.79");
        assert!(a < b);
        assert_eq!(stamp("bad"), None);
    }

    #[test]
    fn sgml_cleaning_keeps_text_and_drops_codes() {
        assert_eq!(
            clean_sgml("A &lt;TSCO.L&gt; rose&#3;\n Reuter\n"),
            "A <TSCO.L> rose"
        );
        assert_eq!(clean_sgml("AT&T; up & away"), "AT&T; up & away");
    }
}
