//! Verification of candidate pairs.
//!
//! The scan never trusts a fingerprint: every candidate is compared in full and only pairs
//! whose verdict is in the emitted set reach the output.

use super::cluster::Dir;
use super::fingerprint::Tok;
use super::tokens::tokenize;

/// The verdict of one comparison, as the scan needs it.
#[derive(Debug, Clone)]
pub(crate) struct Verified {
    /// `derived`, `partial`, `related` or `unrelated`.
    pub label: &'static str,
    pub score: f32,
    pub dir: Dir,
    pub confidence: f32,
    /// The comparison as a JSON object (verdict, direction, passages, ...).
    pub json: String,
}

/// Something that compares two texts.
pub(crate) trait Verify: Sync {
    /// A prepared document (tokenised, normalised), built once per pair side.
    type Doc: Send;
    /// Prepares a document; an error says why it can't be compared.
    fn prepare(&self, id: &str, text: &str) -> Result<Self::Doc, String>;
    /// Compares two prepared documents.
    fn verify(&self, a: &Self::Doc, b: &Self::Doc) -> Verified;
}

/// A stand-in verifier used until the library's `Comparer` is wired in, and by unit tests:
/// shared word 5-gram coverage of each text, with maximal covered runs as passages.
pub(crate) struct NgramCoverage;

pub(crate) struct CovDoc {
    spans: Vec<(u32, u32)>,
    grams: Vec<u64>,
}

const N: usize = 5;

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
            .map(|w| w.iter().fold(0u64, |h, t| super::fingerprint::mix(h.rotate_left(11) ^ t.word)))
            .collect();
        Ok(CovDoc { spans, grams })
    }

    fn verify(&self, a: &CovDoc, b: &CovDoc) -> Verified {
        let (ca, runs_a) = cover(a, b);
        let (cb, runs_b) = cover(b, a);
        let lo = ca.min(cb);
        let hi = ca.max(cb);
        let label = if lo >= 0.5 {
            "derived"
        } else if hi >= 0.2 {
            "partial"
        } else if hi > 0.0 {
            "related"
        } else {
            "unrelated"
        };
        let score = ((ca + cb) / 2.0) as f32;
        let json = serde_json::json!({
            "verdict": {"label": label, "score": score, "coverage_a": ca, "coverage_b": cb},
            "direction": {"source": "unknown", "confidence": 0.0},
            "passages": {"a": runs_a, "b": runs_b},
        })
        .to_string();
        Verified {
            label,
            score,
            dir: Dir::Unknown,
            confidence: 0.0,
            json,
        }
    }
}

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
        let a = v.prepare("a", "one two three four five six seven eight nine ten").ok();
        let b = v.prepare("b", "one two three four five six seven eight nine ten eleven").ok();
        let c = v.prepare("c", "alpha beta gamma delta epsilon zeta eta theta").ok();
        let (a, b, c) = (a.expect("a"), b.expect("b"), c.expect("c"));
        assert_eq!(v.verify(&a, &b).label, "derived");
        assert_eq!(v.verify(&a, &c).label, "unrelated");
        assert!(v.prepare("e", " ... ").is_err());
    }
}
