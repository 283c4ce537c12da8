//! Per-document fingerprints: winnowed word n-grams, and content stems for the rare-term channel.

/// One token as the fingerprinting needs it: hashes only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tok {
    /// Hash of the normalised surface form.
    pub word: u64,
    /// Hash of the stem.
    pub stem: u64,
    /// A content word (not a stopword, not punctuation): eligible as a rare term.
    pub content: bool,
    /// All digits (a number, or a digit group of one such as `6-1/4`).
    pub number: bool,
}

/// What a number stands for in an n-gram: every number alike, so that n-grams hold the
/// wording and not the figures. A formula filled with other figures ("Qtly div 6-1/4 cts vs
/// 6-1/4 cts prior") then has the same fingerprints in every notice, and its document
/// frequency shows it is a formula; an edited copy whose figures all changed keeps its
/// fingerprints.
const NUMBER: u64 = 0x6e75_6d62_6572_2323;

impl Tok {
    /// The token as n-grams see it: the word, or [`NUMBER`].
    fn shape(&self) -> u64 {
        if self.number {
            NUMBER
        } else {
            self.word
        }
    }
}

/// Fingerprint parameters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PrintParams {
    /// Words per n-gram.
    pub ngram: usize,
    /// Winnowing window, in n-grams.
    pub window: usize,
}

/// A document's fingerprints. Both lists are sorted and free of duplicates.
#[derive(Debug, Default, Clone)]
pub(crate) struct Prints {
    pub ngrams: Vec<u64>,
    /// Content stems, as 32-bit hashes (for the rare-term channel).
    pub stems: Vec<u32>,
}

pub(crate) use crate::fasthash::mix;

/// Hash of the n words starting at each position (order-sensitive).
fn ngram_hashes(toks: &[Tok], n: usize, out: &mut Vec<u64>) {
    out.clear();
    if toks.len() < n || n == 0 {
        return;
    }
    for win in toks.windows(n) {
        let mut h: u64 = 0x9e37_79b9_7f4a_7c15;
        for t in win {
            h = mix(h.rotate_left(17) ^ t.shape());
        }
        out.push(h);
    }
}

/// Winnowing (Schleimer, Wilkerson and Aiken 2003): from every window of `w` consecutive
/// hashes keep the minimum (the rightmost one on ties), each selected position once.
/// Any run of at least `w + n - 1` shared words yields at least one shared fingerprint.
pub(crate) fn winnow(hashes: &[u64], w: usize, out: &mut Vec<u64>) {
    if hashes.is_empty() {
        return;
    }
    let w = w.max(1);
    if hashes.len() <= w {
        if let Some(&m) = hashes.iter().min() {
            out.push(m);
        }
        return;
    }
    let mut last: Option<usize> = None;
    for start in 0..=hashes.len() - w {
        let mut best = start;
        for i in start..start + w {
            if hashes[i] <= hashes[best] {
                best = i;
            }
        }
        if last != Some(best) {
            out.push(hashes[best]);
            last = Some(best);
        }
    }
}

/// Analyses documents one after another, reusing its buffers: what `scan` and the index
/// compute for every document (tokens, winnowed n-grams, content stems, duplicate
/// signature).
#[derive(Debug, Default)]
pub(crate) struct Analyzer {
    toks: Vec<Tok>,
    scratch: Vec<u64>,
    /// The last document's fingerprints.
    pub prints: Prints,
}

impl Analyzer {
    /// Tokenises and fingerprints `text` into [`Analyzer::prints`]; returns its duplicate
    /// signature (`None` for a text without tokens).
    pub(crate) fn analyze(&mut self, text: &str, p: PrintParams) -> Option<super::dups::Signature> {
        super::tokens::tokenize(text, &mut self.toks, None);
        fingerprints(&self.toks, p, &mut self.scratch, &mut self.prints);
        // `scratch` holds every n-gram hash of a text of at least `ngram` words.
        let grams = if self.toks.len() >= p.ngram {
            &self.scratch[..]
        } else {
            &self.prints.ngrams[..]
        };
        super::dups::signature(&self.toks, grams)
    }
}

/// Computes a document's fingerprints into `out` (reusing its buffers).
pub(crate) fn fingerprints(toks: &[Tok], p: PrintParams, scratch: &mut Vec<u64>, out: &mut Prints) {
    out.ngrams.clear();
    out.stems.clear();
    if toks.len() >= p.ngram {
        ngram_hashes(toks, p.ngram, scratch);
        winnow(scratch, p.window, &mut out.ngrams);
    } else if toks.len() >= 3 {
        // A very short text: one fingerprint for the whole of it.
        let mut h: u64 = 0x51_7cc1_b727_220a;
        for t in toks {
            h = mix(h.rotate_left(17) ^ t.shape());
        }
        out.ngrams.push(h);
    }
    out.ngrams.sort_unstable();
    out.ngrams.dedup();
    out.stems.extend(
        toks.iter()
            .filter(|t| t.content)
            .map(|t| (mix(t.stem) >> 32) as u32),
    );
    out.stems.sort_unstable();
    out.stems.dedup();
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Tokens with the given word (and stem) hashes; even ones are content words.
    pub(crate) fn toks(words: &[u64]) -> Vec<Tok> {
        words
            .iter()
            .map(|&w| Tok {
                word: w,
                stem: w,
                content: w % 2 == 0,
                number: false,
            })
            .collect()
    }

    #[test]
    fn winnow_guarantee_holds() {
        // Two sequences sharing a run of w + n - 1 = 8 words must share a fingerprint.
        let p = PrintParams {
            ngram: 5,
            window: 4,
        };
        let mut a: Vec<u64> = (1000..1100).collect();
        let mut b: Vec<u64> = (5000..5100).collect();
        let shared: Vec<u64> = (90_000..90_008).collect();
        a.splice(40..40, shared.iter().copied());
        b.splice(70..70, shared.iter().copied());
        let (mut pa, mut pb) = (Prints::default(), Prints::default());
        let mut s = Vec::new();
        fingerprints(&toks(&a), p, &mut s, &mut pa);
        fingerprints(&toks(&b), p, &mut s, &mut pb);
        let common = pa
            .ngrams
            .iter()
            .filter(|h| pb.ngrams.binary_search(h).is_ok())
            .count();
        assert!(
            common >= 1,
            "shared run of 8 words gave no shared fingerprint"
        );
        // And unrelated sequences share none.
        let c: Vec<u64> = (7000..7100).collect();
        let mut pc = Prints::default();
        fingerprints(&toks(&c), p, &mut s, &mut pc);
        assert!(pa
            .ngrams
            .iter()
            .all(|h| pc.ngrams.binary_search(h).is_err()));
    }

    #[test]
    fn winnow_density_is_about_two_over_w_plus_one() {
        let hashes: Vec<u64> = (0..10_000u64).map(mix).collect();
        let mut out = Vec::new();
        winnow(&hashes, 4, &mut out);
        let density = out.len() as f64 / hashes.len() as f64;
        assert!((0.3..0.5).contains(&density), "density {density}");
    }

    #[test]
    fn numbers_do_not_change_fingerprints_words_do() {
        let prints = |text: &str| {
            let mut t = Vec::new();
            crate::scan::tokens::tokenize(text, &mut t, None);
            let (mut scratch, mut out) = (Vec::new(), Prints::default());
            let p = PrintParams {
                ngram: 5,
                window: 4,
            };
            fingerprints(&t, p, &mut scratch, &mut out);
            out.ngrams
        };
        let a = prints("Qtly div 6-1/4 cts vs 6-1/4 cts prior Pay April 30 Record April 3");
        let b = prints("Qtly div 7-3/8 cts vs 7-1/8 cts prior Pay April 15 Record April 1");
        let c = prints("Qtly div 7-3/8 cts vs 7-1/8 cts prior Pay May 15 Record May 1");
        assert_eq!(a, b);
        assert_ne!(b, c);
    }

    #[test]
    fn short_and_empty_texts() {
        let p = PrintParams {
            ngram: 5,
            window: 4,
        };
        let mut s = Vec::new();
        let mut out = Prints::default();
        fingerprints(&[], p, &mut s, &mut out);
        assert!(out.ngrams.is_empty() && out.stems.is_empty());
        fingerprints(&toks(&[2, 4, 6]), p, &mut s, &mut out);
        assert_eq!(out.ngrams.len(), 1);
        assert_eq!(out.stems.len(), 3);
    }
}
