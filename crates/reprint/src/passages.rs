//! Shared verbatim passages: every run of at least a few identical words, in
//! any order, extended across small edits.
//!
//! Seeds are word n-grams of A found in B. Each seed extends to a maximal
//! exact run along its diagonal; runs close together on both sides chain
//! into one near-verbatim passage. An n-gram that occurs very often is
//! seeded only at its occurrences nearest the expected position, so a text
//! that repeats one sentence thousands of times stays linear.

use crate::fasthash::FastMap;

use crate::document::Document;
use crate::settings::Settings;

/// A passage as token ranges of both documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawPassage {
    pub a: (usize, usize),
    pub b: (usize, usize),
    /// Words matched exactly inside the passage.
    pub matched: usize,
    /// One unbroken exact run.
    pub exact: bool,
}

#[derive(Debug, Clone, Copy)]
struct Run {
    a: usize,
    b: usize,
    len_a: usize,
    len_b: usize,
    matched: usize,
}

/// A near-verbatim passage keeps at least this share of its words on both
/// sides.
fn dense(matched: usize, len_a: usize, len_b: usize) -> bool {
    5 * matched >= 4 * len_a.max(len_b)
}

/// Extends an exact run through small edits on either end: after a
/// mismatch, the run goes on where the texts agree again on two words
/// within a few words of each other.
fn extend(wa: &[u64], wb: &[u64], mut r: Run, covered: &mut FastMap<isize, usize>) -> Run {
    // Forward.
    loop {
        let (ia, jb) = (r.a + r.len_a, r.b + r.len_b);
        let mut found = None;
        'search: for total in 1..=2 * MAX_EDIT {
            for da in total.saturating_sub(MAX_EDIT)..=total.min(MAX_EDIT) {
                let db = total - da;
                let (x, y) = (ia + da, jb + db);
                if x + 2 < wa.len() && y + 2 < wb.len() && wa[x..x + 3] == wb[y..y + 3] {
                    found = Some((da, db));
                    break 'search;
                }
            }
        }
        let Some((da, db)) = found else { break };
        let mut k = 0;
        while ia + da + k < wa.len() && jb + db + k < wb.len() && wa[ia + da + k] == wb[jb + db + k]
        {
            k += 1;
        }
        if !dense(r.matched + k, r.len_a + da + k, r.len_b + db + k) {
            break;
        }
        r.len_a += da + k;
        r.len_b += db + k;
        r.matched += k;
        // Seeds on this stretch need no run of their own.
        covered.insert((ia + da) as isize - (jb + db) as isize, jb + db + k);
    }
    // Backward.
    loop {
        let (ia, jb) = (r.a, r.b);
        let mut found = None;
        'search: for total in 1..=2 * MAX_EDIT {
            for da in total.saturating_sub(MAX_EDIT)..=total.min(MAX_EDIT) {
                let db = total - da;
                if ia < da + 2 || jb < db + 2 {
                    continue;
                }
                if ia < da + 3 || jb < db + 3 {
                    continue;
                }
                let (x, y) = (ia - da - 1, jb - db - 1);
                if wa[x - 2..=x] == wb[y - 2..=y] {
                    found = Some((da, db));
                    break 'search;
                }
            }
        }
        let Some((da, db)) = found else { break };
        let mut k = 0;
        while ia > da + k && jb > db + k && wa[ia - da - k - 1] == wb[jb - db - k - 1] {
            k += 1;
        }
        if !dense(r.matched + k, r.len_a + da + k, r.len_b + db + k) {
            break;
        }
        r.a -= da + k;
        r.b -= db + k;
        r.len_a += da + k;
        r.len_b += db + k;
        r.matched += k;
    }
    r
}

fn gram_hash(words: &[u64]) -> u64 {
    words.iter().fold(0x243F_6A88_85A3_08D3u64, |h, &w| {
        (h ^ w).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(23)
    })
}

/// Largest edit (in words, on each side) a passage may span.
const MAX_EDIT: usize = 4;

/// Passages of at least `settings.min_passage_words` words, and the number of words matched
/// by the longest chain of runs found, whether or not it was long enough to be kept (the
/// verdict's evidence rule asks for its own length).
pub(crate) fn find(a: &Document, b: &Document, settings: &Settings) -> Trace {
    let min_words = settings.min_passage_words;
    let wa: Vec<u64> = a.tokens.iter().map(|t| t.word).collect();
    let wb: Vec<u64> = b.tokens.iter().map(|t| t.word).collect();
    let n = min_words.clamp(2, 5);
    if wa.len() < n || wb.len() < n {
        return Trace::default();
    }
    let mut index: FastMap<u64, Vec<u32>> =
        FastMap::with_capacity_and_hasher(wa.len(), Default::default());
    for i in 0..=wa.len() - n {
        index
            .entry(gram_hash(&wa[i..i + n]))
            .or_default()
            .push(i as u32);
    }
    let cap = settings.max_seed_occurrences;
    let mut covered: FastMap<isize, usize> = FastMap::default();
    let mut runs: Vec<Run> = Vec::new();
    for j in 0..=wb.len() - n {
        let Some(list) = index.get(&gram_hash(&wb[j..j + n])) else {
            continue;
        };
        let chosen: &[u32] = if list.len() <= cap {
            list
        } else {
            // The occurrences nearest where a copy would sit.
            let expect = (j as u64 * wa.len() as u64 / wb.len() as u64) as u32;
            let mid = list.partition_point(|&i| i < expect);
            let lo = mid.saturating_sub(cap / 2).min(list.len() - cap);
            &list[lo..lo + cap]
        };
        for &i in chosen {
            let i = i as usize;
            let diag = i as isize - j as isize;
            if covered.get(&diag).is_some_and(|&end| end > j) {
                continue;
            }
            let mut s = 0;
            while i > s && j > s && wa[i - s - 1] == wb[j - s - 1] {
                s += 1;
            }
            let mut e = 0;
            while i + e < wa.len() && j + e < wb.len() && wa[i + e] == wb[j + e] {
                e += 1;
            }
            if e < n {
                continue; // hash collision
            }
            covered.insert(diag, j + e);
            runs.push(extend(
                &wa,
                &wb,
                Run {
                    a: i - s,
                    b: j - s,
                    len_a: s + e,
                    len_b: s + e,
                    matched: s + e,
                },
                &mut covered,
            ));
        }
    }
    chain(runs, min_words)
}

/// Passages of at least this many words count in a pair's verbatim trace.
const TRACE_WORDS: usize = 5;

/// The passages two documents share, and their verbatim trace.
#[derive(Debug, Clone, Default)]
pub(crate) struct Trace {
    /// Passages of at least `min_passage_words`, non-overlapping, in order of A.
    pub passages: Vec<RawPassage>,
    /// Matched words of the longest chain, however short.
    pub longest: usize,
    /// Matched words of each non-overlapping passage of `TRACE_WORDS` or more.
    pub lengths: Vec<usize>,
}

impl Trace {
    /// Matched words of the passages of at least `min` words.
    pub fn words_in_passages_of(&self, min: usize) -> usize {
        self.lengths.iter().filter(|&&n| n >= min).sum()
    }
}

/// Chains runs separated by small edits into passages, then keeps the
/// largest passages that do not overlap, with the longest chain's and all passages' matched
/// words.
fn chain(mut runs: Vec<Run>, min_words: usize) -> Trace {
    runs.sort_by_key(|r| (r.a + r.b, r.a.abs_diff(r.b), std::cmp::Reverse(r.matched)));
    let mut chains: Vec<RawPassage> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    for r in runs {
        let mut best: Option<(usize, usize)> = None;
        for &c in &open {
            let p = &chains[c];
            if r.a >= p.a.1 && r.b >= p.b.1 {
                let (ga, gb) = (r.a - p.a.1, r.b - p.b.1);
                if ga <= MAX_EDIT && gb <= MAX_EDIT && best.is_none_or(|(g, _)| ga + gb < g) {
                    best = Some((ga + gb, c));
                }
            }
        }
        match best {
            Some((_, c)) => {
                let p = &mut chains[c];
                p.a.1 = r.a + r.len_a;
                p.b.1 = r.b + r.len_b;
                p.matched += r.matched;
                p.exact = false;
            }
            None => {
                open.push(chains.len());
                chains.push(RawPassage {
                    a: (r.a, r.a + r.len_a),
                    b: (r.b, r.b + r.len_b),
                    matched: r.matched,
                    exact: r.len_a == r.matched && r.len_b == r.matched,
                });
            }
        }
        // Close chains that can no longer be extended.
        let horizon = r.a + r.b;
        open.retain(|&c| chains[c].a.1 + chains[c].b.1 + 2 * MAX_EDIT + 2 >= horizon);
    }
    let longest = chains.iter().map(|p| p.matched).max().unwrap_or(0);
    // Passages of TRACE_WORDS or more count in the trace whatever `min_words` hides; a
    // shorter chain never displaces a longer one below (longest first), so the passages of
    // `min_words` or more kept are the same either way.
    chains.retain(|p| p.matched >= min_words.min(TRACE_WORDS));
    chains.sort_by_key(|p| {
        (
            std::cmp::Reverse(p.matched),
            p.a.0 + p.b.0,
            p.a.0.abs_diff(p.b.0),
        )
    });
    let mut kept: Vec<RawPassage> = Vec::new();
    for p in chains {
        let overlaps =
            |x: (usize, usize), y: (usize, usize)| x.1.min(y.1).saturating_sub(x.0.max(y.0));
        let clash = kept.iter().any(|k| {
            2 * overlaps(p.a, k.a) > p.a.1 - p.a.0 || 2 * overlaps(p.b, k.b) > p.b.1 - p.b.0
        });
        if !clash {
            kept.push(p);
        }
    }
    let trace = kept
        .iter()
        .filter(|p| p.matched >= TRACE_WORDS)
        .map(|p| p.matched)
        .collect();
    kept.retain(|p| p.matched >= min_words);
    kept.sort_by_key(|p| (p.a.0, p.b.0));
    Trace {
        passages: kept,
        longest,
        lengths: trace,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(a: &str, b: &str) -> (Document, Document) {
        (Document::from_text("a", a), Document::from_text("b", b))
    }

    #[test]
    fn finds_reordered_passages() {
        let (a, b) = docs(
            "The mayor opened the new library on the river bank today. Later the city council debated the cost of street lighting for hours.",
            "Later the city council debated the cost of street lighting for hours. The mayor opened the new library on the river bank today.",
        );
        let p = find(&a, &b, &Settings::default()).passages;
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p.iter().all(|x| x.exact));
    }

    #[test]
    fn extends_across_small_edits() {
        let (a, b) = docs(
            "Officials said the bridge would reopen to traffic next spring after a long repair.",
            "Officials said the old bridge would reopen to cars next spring after a long repair.",
        );
        let p = find(&a, &b, &Settings::default()).passages;
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(!p[0].exact);
        assert_eq!(p[0].a, (0, 14));
    }

    #[test]
    fn repeated_text_stays_bounded() {
        let s = "The same short sentence comes back again and again. ".repeat(3000);
        let (a, b) = docs(&s, &s);
        let p = find(&a, &b, &Settings::default()).passages;
        assert!(!p.is_empty());
        assert!(p.len() < 50, "{}", p.len());
        assert_eq!(p[0].a, (0, a.tokens.len()));
    }
}
