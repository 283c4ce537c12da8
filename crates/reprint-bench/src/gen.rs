//! `reprint-bench gen`: a synthetic news corpus with injected reuse of known kinds.
//!
//! Background articles are drawn from a word-level Markov model trained on real news text
//! (order 2 where the training text branches, order 1 elsewhere), so that unrelated articles
//! read like news but do not share long passages: re-mixing real sentences would make every
//! real sentence recur in dozens of unrelated articles at 1M scale. Each article also gets
//! its own invented proper names, as real stories have their own people and places.
//!
//! Reuse is then injected: a copy of an earlier article, verbatim, partial (a run of
//! paragraphs inside new text), with reordered paragraphs, or edited (words substituted,
//! sentences merged or dropped, a new headline; the figures kept, as a reprint keeps its
//! facts). The ground truth lists every (source, copy, kind).
//!
//! The truth also lists *refills*, which are not reuse: the same wording with every figure
//! replaced, dated two days or more after its source, as the next issue of a recurring
//! report or a formula filled in again (what issue 9 calls a `template`). A tool should not
//! report them; `reprint-bench score` counts the ones it does as false.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Serialize;

/// SplitMix64: small, fast, deterministic.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x2545_f491_4f6c_dd1d)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 * 1.0 < p
    }
}

/// The Markov model.
pub struct Model {
    words: Vec<String>,
    starts: Vec<u32>,
    o1: HashMap<u32, Vec<u32>>,
    o2: HashMap<u64, Vec<u32>>,
}

fn ends_sentence(w: &str) -> bool {
    let w = w.trim_end_matches(['"', '\'', ')', '\u{201d}']);
    (w.ends_with('.') || w.ends_with('?') || w.ends_with('!'))
        && !matches!(
            w,
            "Mr."
                | "Mrs."
                | "Ms."
                | "Dr."
                | "St."
                | "U.S."
                | "U.K."
                | "Jan."
                | "Feb."
                | "Inc."
                | "Corp."
                | "Co."
        )
}

impl Model {
    /// Trains on texts (whitespace-separated words; sentence ends by punctuation).
    pub fn train(texts: &[String]) -> Model {
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut words: Vec<String> = Vec::new();
        let mut starts = Vec::new();
        let mut o1: HashMap<u32, Vec<u32>> = HashMap::new();
        let mut o2: HashMap<u64, Vec<u32>> = HashMap::new();
        for t in texts {
            let mut prev: Option<u32> = None;
            let mut prev2: Option<u32> = None;
            let mut at_start = true;
            for w in t.split_whitespace() {
                // Markup and links left in the training text (AG News has HTML residue)
                // would become boilerplate shared by unrelated articles.
                if w.contains(['<', '>', '&', '\\'])
                    || w.contains("http")
                    || w.contains("HREF")
                    || w.len() > 40
                {
                    continue;
                }
                let id = match ids.get(w) {
                    Some(&i) => i,
                    None => {
                        let i = words.len() as u32;
                        ids.insert(w.to_string(), i);
                        words.push(w.to_string());
                        i
                    }
                };
                if at_start {
                    starts.push(id);
                } else if let Some(p) = prev {
                    o1.entry(p).or_default().push(id);
                    if let Some(p2) = prev2 {
                        o2.entry((u64::from(p2) << 32) | u64::from(p))
                            .or_default()
                            .push(id);
                    }
                }
                at_start = ends_sentence(w);
                if at_start {
                    prev = None;
                    prev2 = None;
                } else {
                    prev2 = prev;
                    prev = Some(id);
                }
            }
        }
        // Keep order-2 states only where the training text branches: deterministic chains
        // would replay long runs of the training text into many articles.
        let branching = |v: &Vec<u32>, k: usize| {
            let mut d = v.clone();
            d.sort_unstable();
            d.dedup();
            d.len() >= k
        };
        o2.retain(|_, v| branching(v, 3));
        // A word with a single successor (table rows, fixed phrases) ends the sentence.
        o1.retain(|_, v| branching(v, 2));
        Model {
            words,
            starts,
            o1,
            o2,
        }
    }

    pub fn vocab(&self) -> usize {
        self.words.len()
    }

    fn word(&self, i: u32) -> &str {
        &self.words[i as usize]
    }

    /// One sentence of 5 to 45 words.
    pub fn sentence(&self, rng: &mut Rng, names: &[String]) -> String {
        for _ in 0..8 {
            let mut out: Vec<u32> = Vec::new();
            let mut cur = self.starts[rng.below(self.starts.len())];
            out.push(cur);
            let mut prev: Option<u32> = None;
            while !ends_sentence(self.word(cur)) && out.len() < 45 {
                let next = prev
                    .and_then(|p| self.o2.get(&((u64::from(p) << 32) | u64::from(cur))))
                    .or_else(|| self.o1.get(&cur));
                let Some(next) = next else { break };
                let n = next[rng.below(next.len())];
                prev = Some(cur);
                cur = n;
                out.push(cur);
            }
            if out.len() < 5 {
                continue;
            }
            let mut s = String::new();
            for (k, &w) in out.iter().enumerate() {
                let w = self.word(w);
                if k > 0 {
                    s.push(' ');
                }
                let cap = w.chars().next().is_some_and(char::is_uppercase);
                if k > 0 && cap && !names.is_empty() && w.len() > 3 && rng.chance(0.35) {
                    // A capitalised word becomes one of the article's own names.
                    let tail: String = w
                        .chars()
                        .rev()
                        .take_while(|c| !c.is_alphanumeric())
                        .collect();
                    s.push_str(&names[rng.below(names.len())]);
                    s.extend(tail.chars().rev());
                } else {
                    s.push_str(w);
                }
            }
            if !ends_sentence(&s) {
                s.push('.');
            }
            return s;
        }
        "The statement was issued on Monday.".to_string()
    }

    /// A random word of the vocabulary that looks like a plain lower-case word.
    pub fn plain_word(&self, rng: &mut Rng) -> &str {
        for _ in 0..20 {
            let w = &self.words[rng.below(self.words.len())];
            if w.len() > 2 && w.chars().all(|c| c.is_ascii_lowercase()) {
                return w;
            }
        }
        "report"
    }
}

const SYL: &[&str] = &[
    "ka", "lo", "ver", "an", "tis", "mo", "ren", "dal", "qui", "sor", "bel", "ya", "gri", "non",
    "hu", "zet", "par", "el", "vin", "dro", "ma", "tes", "lun", "ok", "rav", "sen", "bra", "ti",
    "mur", "gol", "fen", "ash", "cor", "il", "ne", "wy", "plo", "dex", "ul", "har", "mi", "sto",
    "ke", "ban", "rho", "jas", "ol", "vek",
];

pub(crate) fn name(rng: &mut Rng) -> String {
    let n = rng.range(2, 4);
    let mut s = String::new();
    for _ in 0..n {
        s.push_str(SYL[rng.below(SYL.len())]);
    }
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => s,
    }
}

/// An article: a headline and paragraphs of sentences.
#[derive(Clone)]
pub struct Article {
    pub headline: String,
    pub paras: Vec<Vec<String>>,
}

impl Article {
    pub fn text(&self) -> String {
        let mut t = self.headline.clone();
        for p in &self.paras {
            t.push_str("\n\n");
            t.push_str(&p.join(" "));
        }
        t
    }
    pub(crate) fn words(&self) -> usize {
        self.paras
            .iter()
            .flatten()
            .map(|s| s.split_whitespace().count())
            .sum()
    }
}

pub(crate) fn headline(model: &Model, rng: &mut Rng, names: &[String]) -> String {
    let s = model.sentence(rng, names);
    let words: Vec<&str> = s.split_whitespace().take(rng.range(5, 11)).collect();
    words
        .join(" ")
        .trim_end_matches(['.', ',', ';', ':'])
        .to_string()
}

pub fn article(model: &Model, rng: &mut Rng, paras: (usize, usize)) -> Article {
    let names: Vec<String> = (0..3).map(|_| name(rng)).collect();
    let headline = headline(model, rng, &names);
    let np = rng.range(paras.0, paras.1);
    let paras = (0..np)
        .map(|_| {
            (0..rng.range(1, 3))
                .map(|_| model.sentence(rng, &names))
                .collect()
        })
        .collect();
    Article { headline, paras }
}

/// The kinds of injected reuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Verbatim,
    Partial,
    Reordered,
    Edited,
    /// Not reuse: the source's wording with every figure replaced, days later.
    Refilled,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Verbatim => "verbatim",
            Kind::Partial => "partial",
            Kind::Reordered => "reordered",
            Kind::Edited => "edited",
            Kind::Refilled => "refilled",
        }
    }
}

/// Figures (words with a digit) in an article.
fn figures(a: &Article) -> usize {
    a.paras
        .iter()
        .flatten()
        .flat_map(|s| s.split_whitespace())
        .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
        .count()
}

/// Figures a source needs before a refill of it is a different report rather than a copy.
const REFILL_MIN_FIGURES: usize = 3;
/// Days a refill comes after its source: the next issue of a report, not a same-day update.
const REFILL_MIN_DAYS: usize = 2;

fn change_numbers(w: &str, rng: &mut Rng) -> String {
    w.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_digit((d + 1 + rng.below(9) as u32) % 10, 10).unwrap_or(c),
            None => c,
        })
        .collect()
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if !s.starts_with("I ") => f.to_lowercase().chain(c).collect(),
        Some(f) => std::iter::once(f).chain(c).collect(),
        None => String::new(),
    }
}

/// Makes a copy of `src` of the given kind.
pub fn copy(model: &Model, rng: &mut Rng, src: &Article, kind: Kind) -> Article {
    match kind {
        Kind::Verbatim => src.clone(),
        Kind::Reordered => {
            let mut paras = src.paras.clone();
            if paras.len() >= 2 {
                let orig = paras.clone();
                for _ in 0..10 {
                    for i in (1..paras.len()).rev() {
                        let j = rng.below(i + 1);
                        paras.swap(i, j);
                    }
                    if paras != orig {
                        break;
                    }
                }
            }
            Article {
                headline: src.headline.clone(),
                paras,
            }
        }
        Kind::Partial => {
            let n = src.paras.len();
            let want = ((n as f64) * (0.3 + 0.3 * rng.chance(0.5) as u8 as f64))
                .ceil()
                .max(1.0) as usize;
            let want = want.min(n);
            let start = rng.below(n - want + 1);
            let mut taken: Vec<Vec<String>> = src.paras[start..start + want].to_vec();
            // Make sure the borrowed part is a real passage (about 40 words or more).
            let mut end = start + want;
            while taken
                .iter()
                .flatten()
                .map(|s| s.split_whitespace().count())
                .sum::<usize>()
                < 40
                && end < n
            {
                taken.push(src.paras[end].clone());
                end += 1;
            }
            let own = article(model, rng, (2, 4));
            let cut = rng.below(own.paras.len() + 1);
            let mut paras = own.paras[..cut].to_vec();
            paras.extend(taken);
            paras.extend_from_slice(&own.paras[cut..]);
            Article {
                headline: own.headline,
                paras,
            }
        }
        Kind::Edited => {
            let total: usize = src.paras.iter().map(Vec::len).sum();
            let max_drop = (total / 5).max(1);
            let mut dropped = 0;
            let mut paras = Vec::new();
            for p in &src.paras {
                let mut out: Vec<String> = Vec::new();
                let mut i = 0;
                while i < p.len() {
                    let s = &p[i];
                    if dropped < max_drop && total > 3 && rng.chance(0.08) {
                        dropped += 1;
                        i += 1;
                        continue;
                    }
                    let mut sentence = s.clone();
                    if i + 1 < p.len() && rng.chance(0.1) {
                        // Merge with the next sentence.
                        let head = sentence.trim_end_matches(['.', '!', '?']).to_string();
                        sentence = format!("{head}, and {}", lower_first(&p[i + 1]));
                        i += 1;
                    }
                    let words: Vec<String> = sentence
                        .split_whitespace()
                        .map(|w| {
                            if w.len() > 3
                                && w.chars().all(|c| c.is_ascii_lowercase())
                                && rng.chance(0.06)
                            {
                                model.plain_word(rng).to_string()
                            } else {
                                w.to_string()
                            }
                        })
                        .collect();
                    out.push(words.join(" "));
                    i += 1;
                }
                if !out.is_empty() {
                    paras.push(out);
                }
            }
            let names: Vec<String> = (0..2).map(|_| name(rng)).collect();
            Article {
                headline: headline(model, rng, &names),
                paras,
            }
        }
        Kind::Refilled => Article {
            headline: src.headline.clone(),
            paras: src
                .paras
                .iter()
                .map(|p| {
                    p.iter()
                        .map(|s| {
                            s.split_whitespace()
                                .map(|w| {
                                    if w.chars().any(|c| c.is_ascii_digit()) {
                                        change_numbers(w, rng)
                                    } else {
                                        w.to_string()
                                    }
                                })
                                .collect::<Vec<_>>()
                                .join(" ")
                        })
                        .collect()
                })
                .collect(),
        },
    }
}

/// Reads training text: `.sgm` (Reuters `<BODY>`), `.txt`, `.csv` (last field), `.jsonl`
/// (`text`), or directories of them.
pub fn load_training(paths: &[PathBuf]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for p in paths {
        collect(p, &mut out)
            .with_context(|| format!("reading training text from {}", p.display()))?;
    }
    if out.is_empty() {
        bail!("no training text found in {:?}", paths);
    }
    Ok(out)
}

fn collect(p: &Path, out: &mut Vec<String>) -> Result<()> {
    if p.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(p)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for e in entries {
            collect(&e, out)?;
        }
        return Ok(());
    }
    let name = p
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if name.ends_with(".sgm") {
        let raw = String::from_utf8_lossy(&std::fs::read(p)?).into_owned();
        let mut rest = raw.as_str();
        while let Some(i) = rest.find("<BODY>") {
            let after = &rest[i + 6..];
            let j = after.find("</BODY>").unwrap_or(after.len());
            let body = after[..j]
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
            let body = body.replace("&#3;", " ").replace("Reuter\n", " ");
            out.push(body);
            rest = &after[j..];
        }
    } else if name.ends_with(".txt") && !name.starts_with("readme") && !name.starts_with("source") {
        let t = String::from_utf8_lossy(&std::fs::read(p)?).into_owned();
        // BBC files: first line is the headline; keep the body.
        let body = t.split_once("\n\n").map(|x| x.1.to_string()).unwrap_or(t);
        out.push(body);
    } else if name.ends_with(".csv") {
        let t = String::from_utf8_lossy(&std::fs::read(p)?).into_owned();
        for line in t.lines() {
            if let Some(i) = line.rfind(",\"") {
                let f = line[i + 2..]
                    .trim_end_matches('"')
                    .replace("\\", " ")
                    .replace("\"\"", "\"");
                out.push(f);
            }
        }
    } else if name.ends_with(".jsonl") {
        let t = std::fs::read_to_string(p)?;
        for line in t.lines() {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
                if let Some(s) = v.get("text").and_then(|x| x.as_str()) {
                    out.push(s.to_string());
                }
            }
        }
    }
    Ok(())
}

/// Generator settings.
#[derive(Debug, Clone, Serialize)]
pub struct GenSettings {
    pub n: usize,
    pub reuse: f64,
    pub seed: u64,
    /// Copies pick their source among this many previous articles.
    pub source_window: usize,
}

#[derive(Serialize)]
struct Record<'a> {
    id: &'a str,
    series: String,
    date: String,
    text: &'a str,
}

#[derive(Serialize)]
struct Truth<'a> {
    source: &'a str,
    copy: &'a str,
    kind: Kind,
}

pub(crate) fn date(day: usize) -> String {
    // Days from 2024-01-01, in a 365-day year made of 12 months of 30-31 days: enough for
    // ordering and windows; every string is a valid date.
    const LEN: [usize; 12] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut d = day % 366;
    let year = 2024 + day / 366;
    for (m, &l) in LEN.iter().enumerate() {
        if d < l {
            return format!("{year}-{:02}-{:02}", m + 1, d + 1);
        }
        d -= l;
    }
    format!("{year}-12-31")
}

/// Counts of what was generated.
#[derive(Debug, Default, Serialize)]
pub struct GenReport {
    pub articles: usize,
    pub originals: usize,
    pub copies: HashMap<&'static str, usize>,
    pub bytes: u64,
    pub vocabulary: usize,
    pub training_texts: usize,
    pub settings: Option<GenSettings>,
}

/// Generates the corpus into `dir/corpus.jsonl` and `dir/truth.jsonl`.
pub fn generate(model: &Model, s: &GenSettings, dir: &Path) -> Result<GenReport> {
    std::fs::create_dir_all(dir)?;
    let mut corpus = BufWriter::with_capacity(1 << 20, File::create(dir.join("corpus.jsonl"))?);
    let mut truth = BufWriter::new(File::create(dir.join("truth.jsonl"))?);
    let mut rep = GenReport {
        settings: Some(s.clone()),
        vocabulary: model.vocab(),
        ..Default::default()
    };
    let mut rng = Rng::new(s.seed);
    // Recent articles kept for copying (bounded memory).
    let mut recent: std::collections::VecDeque<(String, Article, usize, usize)> =
        std::collections::VecDeque::new();
    let n_series = 300;
    // Generate in batches: articles in parallel would change nothing in the output order,
    // but one thread keeps the generator simple and deterministic.
    for i in 0..s.n {
        let id = format!("g{i:07}");
        let day = i * 365 / s.n.max(1);
        let mut series = rng.below(n_series);
        let (art, source) = if i >= 20 && !recent.is_empty() && rng.chance(s.reuse) {
            let k = recent.len() - 1 - rng.below(recent.len());
            let (src_id, src, src_series, src_day) = &recent[k];
            let kind = match rng.below(100) {
                0..=24 => Kind::Verbatim,
                25..=49 => Kind::Partial,
                50..=69 => Kind::Reordered,
                70..=89 => Kind::Edited,
                // A refill needs figures to replace and days between the issues; without
                // them it would be a copy or a same-day update, which is reuse.
                _ if figures(src) >= REFILL_MIN_FIGURES && day >= src_day + REFILL_MIN_DAYS => {
                    Kind::Refilled
                }
                _ => Kind::Edited,
            };
            while series == *src_series {
                series = rng.below(n_series);
            }
            let a = copy(model, &mut rng, src, kind);
            (a, Some((src_id.clone(), kind)))
        } else {
            (article(model, &mut rng, (4, 9)), None)
        };
        let text = art.text();
        if art.words() == 0 {
            continue;
        }
        write_record(&mut corpus, &id, format!("outlet{series:03}"), day, &text)?;
        rep.bytes += text.len() as u64;
        rep.articles += 1;
        match source {
            Some((src, kind)) => {
                serde_json::to_writer(
                    &mut truth,
                    &Truth {
                        source: &src,
                        copy: &id,
                        kind,
                    },
                )?;
                truth.write_all(b"\n")?;
                *rep.copies.entry(kind.name()).or_default() += 1;
            }
            None => rep.originals += 1,
        }
        recent.push_back((id, art, series, day));
        if recent.len() > s.source_window {
            recent.pop_front();
        }
    }
    finish(corpus, truth, dir, &rep)?;
    Ok(rep)
}

/// Writes one corpus record (a JSONL line) dated `day` days from 2024-01-01.
pub(crate) fn write_record(
    corpus: &mut impl Write,
    id: &str,
    series: String,
    day: usize,
    text: &str,
) -> Result<()> {
    let rec = Record {
        id,
        series,
        date: date(day),
        text,
    };
    serde_json::to_writer(&mut *corpus, &rec)?;
    corpus.write_all(b"\n")?;
    Ok(())
}

/// Flushes the corpus and truth files and writes the report as `dir/gen.json`.
pub(crate) fn finish(
    mut corpus: impl Write,
    mut truth: impl Write,
    dir: &Path,
    report: &impl Serialize,
) -> Result<()> {
    corpus.flush()?;
    truth.flush()?;
    std::fs::write(
        dir.join("gen.json"),
        serde_json::to_string_pretty(report)? + "\n",
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model {
        let texts = vec![
            "The ministry said on Monday that exports rose 12 pct in March. Officials in Tanvor expected a further rise. The bank said prices were stable.".to_string(),
            "Exports rose sharply in March, the ministry said. The bank said on Monday that it would cut rates by 50 basis points. Prices were stable in Tanvor.".to_string(),
        ];
        Model::train(&texts)
    }

    #[test]
    fn deterministic_and_kinds_differ() {
        let m = model();
        let a1 = article(&m, &mut Rng::new(7), (4, 6));
        let a2 = article(&m, &mut Rng::new(7), (4, 6));
        assert_eq!(a1.text(), a2.text());
        let mut rng = Rng::new(9);
        assert_eq!(copy(&m, &mut rng, &a1, Kind::Verbatim).text(), a1.text());
        let r = copy(&m, &mut rng, &a1, Kind::Reordered);
        assert_ne!(r.paras, a1.paras);
        let mut sorted_r = r.paras.clone();
        let mut sorted_a = a1.paras.clone();
        sorted_r.sort();
        sorted_a.sort();
        assert_eq!(sorted_r, sorted_a);
        let p = copy(&m, &mut rng, &a1, Kind::Partial);
        assert!(a1.paras.iter().any(|para| p.paras.contains(para)));
        let e = copy(&m, &mut rng, &a1, Kind::Edited);
        assert_ne!(e.text(), a1.text());
        // An edit keeps the figures it keeps unchanged.
        let digits = |a: &Article| -> std::collections::HashSet<String> {
            a.paras
                .iter()
                .flatten()
                .flat_map(|s| s.split_whitespace())
                .map(|w| w.chars().filter(char::is_ascii_digit).collect::<String>())
                .filter(|d| !d.is_empty())
                .collect()
        };
        assert!(digits(&e).is_subset(&digits(&a1)));
        let r = copy(&m, &mut rng, &a1, Kind::Refilled);
        assert_eq!(r.headline, a1.headline);
        assert_eq!(figures(&r), figures(&a1));
        if figures(&a1) > 0 {
            assert_ne!(r.text(), a1.text());
        }
    }

    #[test]
    fn numbers_always_change() {
        let mut rng = Rng::new(1);
        for w in ["12", "2,500", "0.5"] {
            let c = change_numbers(w, &mut rng);
            assert_ne!(c, w);
            assert_eq!(c.len(), w.len());
        }
    }

    #[test]
    fn dates_are_valid() {
        assert_eq!(date(0), "2024-01-01");
        assert_eq!(date(31), "2024-02-01");
        assert_eq!(date(365), "2024-12-31");
    }
}
