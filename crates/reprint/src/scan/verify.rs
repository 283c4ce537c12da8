//! Verification of candidate pairs.
//!
//! The scan never trusts a fingerprint: every candidate is compared in full and only pairs
//! whose verdict is in the emitted set reach the output.

use serde::Serialize;

use super::cluster::Dir;
#[cfg(test)]
use super::fingerprint::Tok;
#[cfg(test)]
use super::tokens::tokenize;
use crate::commonness::SharedText;
use crate::compare::{AlignKind, Comparer, Hints, Label, Source};
use crate::dates::Timestamp;
use crate::direction::Basis;
use crate::document::Document;
use crate::span::Span;

/// The verdict of one comparison, as the scan needs it.
#[derive(Debug, Clone)]
pub(crate) struct Verified {
    /// The verdict's label.
    pub label: Label,
    pub score: f32,
    pub dir: Dir,
    pub confidence: f32,
    /// What the direction rests on.
    pub basis: Basis,
    /// The comparison as a JSON object (verdict, direction, passages, ...).
    pub json: String,
}

/// Something that compares two texts.
pub(crate) trait Verify: Sync {
    /// A prepared document (tokenised, normalised), built once per pair side.
    type Doc: Send + Sync;
    /// Prepares a document; an error says why it can't be compared.
    fn prepare(&self, id: &str, text: &str) -> Result<Self::Doc, String>;
    /// Whether documents with byte-identical texts may share one prepared document: nothing
    /// but the text (not the id) reaches the verdict and what is written.
    fn shares_identical_texts(&self) -> bool {
        false
    }
    /// Compares two prepared documents; dates (when valid) help the direction and, for two
    /// records of one series, the probability of reuse; `shared` says how common the text
    /// they share is in the corpus.
    fn verify(
        &self,
        a: &Self::Doc,
        b: &Self::Doc,
        dates: PairDates,
        shared: SharedText,
    ) -> Verified;
}

/// The records' dates of a pair to verify, and whether they come from one series.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PairDates {
    pub a: Option<Timestamp>,
    pub b: Option<Timestamp>,
    /// [`Hints::same_series`].
    pub same_series: bool,
    /// [`Hints::recurring_days`].
    pub recurring_days: u32,
}

/// How much of each comparison goes into `pairs.jsonl`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Detail {
    /// Verdict, direction, passages and sentence alignments (spans, kind, score).
    Slim,
    /// The whole comparison, as `reprint compare --json` prints it.
    Full,
}

/// The library's comparer: the same code and verdict as `reprint compare`.
pub(crate) struct LibVerifier {
    pub comparer: Comparer,
    pub detail: Detail,
}

#[derive(Serialize)]
struct SlimAlignment {
    a: Span,
    b: Span,
    kind: AlignKind,
    score: f64,
}

#[derive(Serialize)]
struct SlimComparison<'a> {
    verdict: &'a crate::compare::Verdict,
    direction: &'a crate::compare::Direction,
    passages: &'a [crate::compare::Passage],
    alignments: Vec<SlimAlignment>,
}

impl Verify for LibVerifier {
    type Doc = Document;

    fn prepare(&self, id: &str, text: &str) -> Result<Document, String> {
        Document::from_bytes(id, text.as_bytes()).map_err(|e| e.to_string())
    }

    /// The slim output holds no document id (the full one does: `doc_a`, `doc_b`).
    fn shares_identical_texts(&self) -> bool {
        self.detail == Detail::Slim
    }

    fn verify(&self, a: &Document, b: &Document, dates: PairDates, shared: SharedText) -> Verified {
        let hints = Hints {
            date_a: dates.a,
            date_b: dates.b,
            shared: Some(shared),
            same_series: dates.same_series,
            recurring_days: dates.recurring_days,
        };
        let c = match self.detail {
            Detail::Full => self.comparer.compare_with(a, b, &hints),
            Detail::Slim => self.comparer.compare_without_changes(a, b, &hints),
        };
        let label = c.verdict.label;
        let dir = match c.direction.source {
            Source::A => Dir::A,
            Source::B => Dir::B,
            Source::Unknown => Dir::Unknown,
        };
        let json = match self.detail {
            Detail::Full => serde_json::to_string(&c),
            Detail::Slim => serde_json::to_string(&SlimComparison {
                verdict: &c.verdict,
                direction: &c.direction,
                passages: &c.passages,
                alignments: c
                    .alignments
                    .iter()
                    .map(|al| SlimAlignment {
                        a: al.a,
                        b: al.b,
                        kind: al.kind,
                        score: al.score,
                    })
                    .collect(),
            }),
        };
        Verified {
            label,
            score: c.verdict.score as f32,
            dir,
            confidence: c.direction.confidence as f32,
            basis: c.direction.basis,
            json: json.unwrap_or_else(|_| "null".to_string()),
        }
    }
}

/// A simple verifier for unit tests of the pipeline (not used by scans): shared word
/// 5-gram coverage of each text, with maximal covered runs as passages.
#[cfg(test)]
pub(crate) struct NgramCoverage;

#[cfg(test)]
pub(crate) struct CovDoc {
    spans: Vec<(u32, u32)>,
    grams: Vec<u64>,
}

#[cfg(test)]
const N: usize = 5;

#[cfg(test)]
impl Verify for NgramCoverage {
    type Doc = CovDoc;

    fn prepare(&self, _id: &str, text: &str) -> Result<CovDoc, String> {
        let mut toks: Vec<Tok> = Vec::new();
        let mut spans = Vec::new();
        tokenize(text, &mut toks, Some(&mut spans));
        if toks.is_empty() {
            return Err("no words".into());
        }
        let grams = toks
            .windows(N)
            .map(|w| {
                w.iter().fold(0u64, |h, t| {
                    super::fingerprint::mix(h.rotate_left(11) ^ t.word)
                })
            })
            .collect();
        Ok(CovDoc { spans, grams })
    }

    fn verify(&self, a: &CovDoc, b: &CovDoc, _: PairDates, _: SharedText) -> Verified {
        let (ca, runs_a) = cover(a, b);
        let (cb, runs_b) = cover(b, a);
        let lo = ca.min(cb);
        let hi = ca.max(cb);
        let label = if lo >= 0.5 {
            Label::Derived
        } else if hi >= 0.2 {
            Label::Partial
        } else if hi > 0.0 {
            Label::Related
        } else {
            Label::Unrelated
        };
        let score = ((ca + cb) / 2.0) as f32;
        let json = serde_json::json!({
            "verdict": {"label": label.name(), "score": score, "coverage_a": ca, "coverage_b": cb},
            "direction": {"source": "unknown", "confidence": 0.0},
            "passages": {"a": runs_a, "b": runs_b},
        })
        .to_string();
        Verified {
            label,
            score,
            dir: Dir::Unknown,
            confidence: 0.0,
            basis: Basis::None,
            json,
        }
    }
}

#[cfg(test)]
/// Fraction of `x`'s words covered by n-grams that `y` also holds, and the covered byte runs.
fn cover(x: &CovDoc, y: &CovDoc) -> (f64, Vec<[u32; 2]>) {
    let mut set: Vec<u64> = y.grams.clone();
    set.sort_unstable();
    let mut covered = vec![false; x.spans.len()];
    for (i, g) in x.grams.iter().enumerate() {
        if set.binary_search(g).is_ok() {
            covered[i..i + N].iter_mut().for_each(|c| *c = true);
        }
    }
    let mut runs = Vec::new();
    let mut i = 0;
    while i < covered.len() {
        if covered[i] {
            let s = i;
            while i < covered.len() && covered[i] {
                i += 1;
            }
            runs.push([x.spans[s].0, x.spans[i - 1].1]);
        } else {
            i += 1;
        }
    }
    let n = covered.iter().filter(|&&c| c).count();
    (n as f64 / x.spans.len() as f64, runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_labels() {
        let v = NgramCoverage;
        let a = v
            .prepare("a", "one two three four five six seven eight nine ten")
            .ok();
        let b = v
            .prepare(
                "b",
                "one two three four five six seven eight nine ten eleven",
            )
            .ok();
        let c = v
            .prepare("c", "alpha beta gamma delta epsilon zeta eta theta")
            .ok();
        let (a, b, c) = (a.expect("a"), b.expect("b"), c.expect("c"));
        let none = SharedText::default();
        assert_eq!(
            v.verify(&a, &b, PairDates::default(), none).label,
            Label::Derived
        );
        assert_eq!(
            v.verify(&a, &c, PairDates::default(), none).label,
            Label::Unrelated
        );
        assert!(v.prepare("e", " ... ").is_err());
    }
}
