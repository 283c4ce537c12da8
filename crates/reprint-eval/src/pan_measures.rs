//! The PAN plagiarism-detection measures of Potthast, Stein, Barrón-Cedeño
//! and Rosso, "An Evaluation Framework for Plagiarism Detection" (COLING
//! 2010): macro-averaged character precision and recall, granularity and
//! plagdet; and the whitespace-tolerant offset mapping used to score the
//! re-wrapped pan-id corpus.
//!
//! A case or a detection is a pair of character ranges, one in the
//! suspicious document and one in the source document. As in the paper (and
//! the official PAN evaluator), a detection `r` *detects* a case `s` iff both
//! refer to the same two documents and their ranges overlap in the
//! suspicious document *and* in the source document. Then, with `|x|` the
//! number of characters of `x` in both documents together:
//!
//! ```text
//! rec  = 1/|S| Σ_s |∪_{r detects s} (s ∩ r)| / |s|
//! prec = 1/|R| Σ_r |∪_{s detected by r} (s ∩ r)| / |r|
//! gran = 1/|S_R| Σ_{s ∈ S_R} |{r : r detects s}|     (S_R = detected cases)
//! plagdet = F1(prec, rec) / log2(1 + gran)
//! ```

use std::collections::BTreeMap;

/// A half-open range `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Iv {
    pub start: usize,
    pub end: usize,
}

impl Iv {
    pub fn new(start: usize, end: usize) -> Iv {
        Iv {
            start,
            end: end.max(start),
        }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn overlaps(&self, o: &Iv) -> bool {
        self.start < o.end && o.start < self.end
    }

    fn clip(&self, o: &Iv) -> Option<Iv> {
        let s = self.start.max(o.start);
        let e = self.end.min(o.end);
        (s < e).then_some(Iv { start: s, end: e })
    }

    /// Characters between two ranges (0 if they touch or overlap).
    pub fn gap(&self, o: &Iv) -> usize {
        if self.end <= o.start {
            o.start - self.end
        } else {
            self.start.saturating_sub(o.end)
        }
    }

    pub fn hull(&self, o: &Iv) -> Iv {
        Iv {
            start: self.start.min(o.start),
            end: self.end.max(o.end),
        }
    }
}

/// A plagiarism case or a detection: a range in a suspicious document and a
/// range in a source document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ann {
    pub susp: String,
    pub src: String,
    pub this: Iv,
    pub other: Iv,
}

impl Ann {
    pub fn len(&self) -> usize {
        self.this.len() + self.other.len()
    }

    /// Whether `self` (a detection) detects `case`.
    pub fn detects(&self, case: &Ann) -> bool {
        self.susp == case.susp
            && self.src == case.src
            && self.this.overlaps(&case.this)
            && self.other.overlaps(&case.other)
    }
}

/// Length of the union of the parts of `parts` that fall inside `base`.
fn covered(base: &Iv, parts: impl Iterator<Item = Iv>) -> usize {
    let mut clipped: Vec<Iv> = parts.filter_map(|p| base.clip(&p)).collect();
    clipped.sort();
    let mut total = 0;
    let mut cur: Option<Iv> = None;
    for iv in clipped {
        cur = match cur {
            Some(c) if iv.start <= c.end => Some(c.hull(&iv)),
            Some(c) => {
                total += c.len();
                Some(iv)
            }
            None => Some(iv),
        };
    }
    total + cur.map_or(0, |c| c.len())
}

/// `|∪_{o in others} (x ∩ o)| / |x|`, counting both documents.
fn covered_fraction(x: &Ann, others: &[&Ann]) -> f64 {
    let len = x.len();
    if len == 0 {
        return 0.0;
    }
    let this = covered(&x.this, others.iter().map(|o| o.this));
    let other = covered(&x.other, others.iter().map(|o| o.other));
    (this + other) as f64 / len as f64
}

/// The PAN scores of a set of detections against a set of cases.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PanScores {
    pub precision: f64,
    pub recall: f64,
    pub granularity: f64,
    pub plagdet: f64,
    pub cases: usize,
    pub detections: usize,
    pub detected_cases: usize,
}

impl PanScores {
    pub fn f1(&self) -> f64 {
        crate::metrics::f1(self.precision, self.recall)
    }
}

/// Computes the PAN measures. Conventions for empty sets follow the official
/// evaluator: no cases and no detections score 1/1; either one empty (but
/// not both) scores 0/0; granularity with no detected case is 1.
pub fn pan_scores(cases: &[Ann], dets: &[Ann]) -> PanScores {
    let (precision, recall) = if cases.is_empty() && dets.is_empty() {
        (1.0, 1.0)
    } else if cases.is_empty() || dets.is_empty() {
        (0.0, 0.0)
    } else {
        let rec = cases
            .iter()
            .map(|s| {
                let hits: Vec<&Ann> = dets.iter().filter(|r| r.detects(s)).collect();
                covered_fraction(s, &hits)
            })
            .sum::<f64>()
            / cases.len() as f64;
        let prec = dets
            .iter()
            .map(|r| {
                let hits: Vec<&Ann> = cases.iter().filter(|s| r.detects(s)).collect();
                covered_fraction(r, &hits)
            })
            .sum::<f64>()
            / dets.len() as f64;
        (prec, rec)
    };
    let mut detected = 0usize;
    let mut pieces = 0usize;
    for s in cases {
        let n = dets.iter().filter(|r| r.detects(s)).count();
        if n > 0 {
            detected += 1;
            pieces += n;
        }
    }
    let granularity = if detected == 0 {
        1.0
    } else {
        pieces as f64 / detected as f64
    };
    let f = crate::metrics::f1(precision, recall);
    PanScores {
        precision,
        recall,
        granularity,
        plagdet: f / (1.0 + granularity).log2(),
        cases: cases.len(),
        detections: dets.len(),
        detected_cases: detected,
    }
}

/// Merges detections of the same (suspicious, source) pair whose ranges
/// overlap or lie within `max_gap` characters of each other in BOTH
/// documents, replacing them by their hull. Repeats until nothing merges, so
/// the result does not depend on input order.
pub fn merge_detections(dets: Vec<Ann>, max_gap: usize) -> Vec<Ann> {
    let mut groups: BTreeMap<(String, String), Vec<Ann>> = BTreeMap::new();
    for d in dets {
        groups
            .entry((d.susp.clone(), d.src.clone()))
            .or_default()
            .push(d);
    }
    let mut out = Vec::new();
    for (_, mut group) in groups {
        loop {
            group.sort_by_key(|d| (d.this, d.other));
            let mut merged: Vec<Ann> = Vec::with_capacity(group.len());
            let mut changed = false;
            for d in group {
                let target = merged
                    .iter_mut()
                    .find(|m| m.this.gap(&d.this) <= max_gap && m.other.gap(&d.other) <= max_gap);
                match target {
                    Some(m) => {
                        m.this = m.this.hull(&d.this);
                        m.other = m.other.hull(&d.other);
                        changed = true;
                    }
                    None => merged.push(d),
                }
            }
            group = merged;
            if !changed {
                break;
            }
        }
        out.extend(group);
    }
    out
}

/// Maps offsets in a text to a whitespace-free character index: the number
/// of non-whitespace characters before the offset. Two copies of a text that
/// differ only in whitespace (re-wrapped lines, doubled spaces, a newline
/// inserted after a hyphen) give the same index to the same character, so
/// ranges can be compared across such copies.
///
/// Characters are Unicode scalar values of the UTF-8 text (PAN offsets count
/// characters); a byte that is not valid UTF-8 counts as one non-whitespace
/// character.
#[derive(Debug, Clone)]
pub struct WsMap {
    /// Byte offset where each character starts.
    char_starts: Vec<usize>,
    /// `prefix[i]` = non-whitespace characters among the first `i` characters.
    prefix: Vec<usize>,
}

impl WsMap {
    pub fn new(bytes: &[u8]) -> WsMap {
        let mut char_starts = Vec::with_capacity(bytes.len());
        let mut prefix = Vec::with_capacity(bytes.len() + 1);
        prefix.push(0);
        let mut count = 0usize;
        let mut pos = 0usize;
        for chunk in bytes.utf8_chunks() {
            for (i, ch) in chunk.valid().char_indices() {
                char_starts.push(pos + i);
                if !ch.is_whitespace() {
                    count += 1;
                }
                prefix.push(count);
            }
            pos += chunk.valid().len();
            for b in 0..chunk.invalid().len() {
                char_starts.push(pos + b);
                count += 1;
                prefix.push(count);
            }
            pos += chunk.invalid().len();
        }
        WsMap {
            char_starts,
            prefix,
        }
    }

    /// Number of characters in the text.
    pub fn chars(&self) -> usize {
        self.char_starts.len()
    }

    /// Number of non-whitespace characters in the text.
    pub fn nws_len(&self) -> usize {
        self.prefix.last().copied().unwrap_or(0)
    }

    /// Whitespace-free index of character offset `c` (clamped to the text).
    pub fn char_to_nws(&self, c: usize) -> usize {
        self.prefix[c.min(self.chars())]
    }

    /// Whitespace-free index of byte offset `b`. An offset inside a
    /// multi-byte character counts that character as before it.
    pub fn byte_to_nws(&self, b: usize) -> usize {
        let chars_before = self.char_starts.partition_point(|&s| s < b);
        self.prefix[chars_before]
    }

    /// Maps a character range `[offset, offset + length)`.
    pub fn char_range(&self, offset: usize, length: usize) -> Iv {
        Iv::new(self.char_to_nws(offset), self.char_to_nws(offset + length))
    }

    /// Maps a byte range `[start, end)`.
    pub fn byte_range(&self, start: usize, end: usize) -> Iv {
        Iv::new(self.byte_to_nws(start), self.byte_to_nws(end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ann(this: (usize, usize), other: (usize, usize)) -> Ann {
        ann_in("s1", "r1", this, other)
    }

    fn ann_in(susp: &str, src: &str, this: (usize, usize), other: (usize, usize)) -> Ann {
        Ann {
            susp: susp.into(),
            src: src.into(),
            this: Iv::new(this.0, this.1),
            other: Iv::new(other.0, other.1),
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn perfect_detection() {
        let cases = [ann((0, 100), (0, 50))];
        let s = pan_scores(&cases, &cases.clone());
        assert!(close(s.precision, 1.0));
        assert!(close(s.recall, 1.0));
        assert!(close(s.granularity, 1.0));
        assert!(close(s.plagdet, 1.0));
    }

    #[test]
    fn half_covered_case() {
        // Case: 100 + 100 chars. Detection covers the first half of both.
        let cases = [ann((0, 100), (0, 100))];
        let dets = [ann((0, 50), (0, 50))];
        let s = pan_scores(&cases, &dets);
        assert!(close(s.recall, 0.5));
        assert!(close(s.precision, 1.0));
        assert!(close(s.granularity, 1.0));
        // F1 = 2 * 1 * 0.5 / 1.5 = 2/3; log2(2) = 1.
        assert!(close(s.plagdet, 2.0 / 3.0));
    }

    #[test]
    fn case_detected_in_two_pieces_has_granularity_two() {
        let cases = [ann((0, 100), (0, 100))];
        let dets = [ann((0, 50), (0, 50)), ann((50, 100), (50, 100))];
        let s = pan_scores(&cases, &dets);
        assert!(close(s.recall, 1.0));
        assert!(close(s.precision, 1.0));
        assert!(close(s.granularity, 2.0));
        // 1 / log2(3)
        assert!(close(s.plagdet, 1.0 / 3f64.log2()));
        assert!((s.plagdet - 0.6309).abs() < 1e-4);
    }

    #[test]
    fn false_detection_halves_precision() {
        let cases = [ann((0, 100), (0, 100))];
        let dets = [ann((0, 100), (0, 100)), ann((200, 300), (200, 300))];
        let s = pan_scores(&cases, &dets);
        assert!(close(s.recall, 1.0));
        assert!(close(s.precision, 0.5));
        assert!(close(s.granularity, 1.0));
        assert!(close(s.plagdet, 2.0 / 3.0));
    }

    #[test]
    fn detection_with_wrong_source_detects_nothing() {
        let cases = [ann((0, 100), (0, 100))];
        // Same ranges, wrong source document.
        let dets = [ann_in("s1", "r2", (0, 100), (0, 100))];
        let s = pan_scores(&cases, &dets);
        assert!(close(s.recall, 0.0));
        assert!(close(s.precision, 0.0));
        assert_eq!(s.detected_cases, 0);
        assert!(close(s.plagdet, 0.0));
    }

    #[test]
    fn detection_overlapping_only_in_suspicious_doc_detects_nothing() {
        let cases = [ann((0, 100), (0, 100))];
        let dets = [ann((0, 100), (500, 600))];
        let s = pan_scores(&cases, &dets);
        assert_eq!(s.detected_cases, 0);
        assert!(close(s.precision, 0.0));
    }

    #[test]
    fn detection_overlapping_two_cases() {
        // Case 1: susp [0,100) src [0,100); case 2: susp [100,200) src [300,400).
        // Detection: susp [50,150) src [50,350): 100 + 300 = 400 chars.
        let cases = [ann((0, 100), (0, 100)), ann((100, 200), (300, 400))];
        let dets = [ann((50, 150), (50, 350))];
        let s = pan_scores(&cases, &dets);
        // Each case: 50 susp + 50 src of 200 -> 0.5.
        assert!(close(s.recall, 0.5));
        // Detection: susp 50 + 50, src 50 + 50 = 200 of 400.
        assert!(close(s.precision, 0.5));
        assert!(close(s.granularity, 1.0));
        assert_eq!(s.detected_cases, 2);
        assert!(close(s.plagdet, 0.5));
    }

    #[test]
    fn overlapping_detections_are_not_double_counted() {
        let cases = [ann((0, 100), (0, 100))];
        let dets = [ann((0, 60), (0, 60)), ann((40, 100), (40, 100))];
        let s = pan_scores(&cases, &dets);
        assert!(close(s.recall, 1.0));
        assert!(close(s.granularity, 2.0));
    }

    #[test]
    fn empty_conventions() {
        let s = pan_scores(&[], &[]);
        assert!(close(s.precision, 1.0) && close(s.recall, 1.0));
        let cases = [ann((0, 10), (0, 10))];
        let s = pan_scores(&cases, &[]);
        assert!(close(s.plagdet, 0.0));
        assert!(close(s.granularity, 1.0));
    }

    #[test]
    fn merge_joins_near_pieces_and_keeps_far_ones() {
        let dets = vec![
            ann((50, 100), (60, 110)),
            ann((0, 45), (0, 55)),
            ann((500, 600), (500, 600)),
            // Near in the suspicious doc but far in the source: kept apart.
            ann((105, 150), (900, 950)),
            // Other source document: never merged with r1.
            ann_in("s1", "r2", (0, 45), (0, 55)),
        ];
        let merged = merge_detections(dets, 10);
        assert_eq!(merged.len(), 4);
        assert!(merged.contains(&ann((0, 100), (0, 110))));
        assert!(merged.contains(&ann((500, 600), (500, 600))));
        assert!(merged.contains(&ann((105, 150), (900, 950))));
        assert!(merged.contains(&ann_in("s1", "r2", (0, 45), (0, 55))));
    }

    #[test]
    fn merge_is_transitive() {
        // a and c are 20 apart, but b bridges them.
        let dets = vec![
            ann((0, 10), (0, 10)),
            ann((30, 40), (30, 40)),
            ann((15, 25), (15, 25)),
        ];
        let merged = merge_detections(dets, 5);
        assert_eq!(merged, vec![ann((0, 40), (0, 40))]);
    }

    #[test]
    fn ws_map_ignores_whitespace_differences() {
        // The same words wrapped differently, and a newline inserted after a
        // hyphen in the second copy.
        let a = "Andi bilang dia dicari-cari Pak Danang.";
        let b = "Andi bilang\ndia dicari-\ncari  Pak\nDanang.";
        let ma = WsMap::new(a.as_bytes());
        let mb = WsMap::new(b.as_bytes());
        assert_eq!(ma.nws_len(), mb.nws_len());
        // "dicari" starts at char 16 in a, 16 in b; "Pak" at 28 in a, 30 in b.
        assert_eq!(&a[16..22], "dicari");
        assert_eq!(&b[16..22], "dicari");
        assert_eq!(&a[28..31], "Pak");
        assert_eq!(&b[30..33], "Pak");
        assert_eq!(ma.char_to_nws(28), mb.char_to_nws(30));
        assert_eq!(ma.char_to_nws(28), 24);
        // A range that includes trailing whitespace maps like one that doesn't.
        assert_eq!(mb.char_range(16, 8), mb.char_range(16, 7));
        assert_eq!(mb.char_range(16, 8), Iv::new(13, 20));
        // Whole text.
        assert_eq!(ma.char_range(0, a.len()), Iv::new(0, 34));
        assert_eq!(mb.char_range(0, b.len()), Iv::new(0, 34));
    }

    #[test]
    fn ws_map_counts_characters_not_bytes() {
        // 'ó' is 2 bytes. PAN offsets count characters.
        let t = "Jos\u{e9} ó bus";
        let m = WsMap::new(t.as_bytes());
        assert_eq!(m.chars(), 10);
        assert_eq!(t.len(), 12);
        // Character 7 = 'b'; its byte offset is 9.
        assert_eq!(&t[9..10], "b");
        assert_eq!(m.char_to_nws(7), 5);
        assert_eq!(m.byte_to_nws(9), 5);
        // Byte ranges and char ranges of the same text agree.
        assert_eq!(m.byte_range(6, 12), m.char_range(5, 5));
        // An offset inside 'ó' (bytes 6..8) counts 'ó' as before it.
        assert_eq!(m.byte_to_nws(7), 5);
        assert_eq!(m.byte_to_nws(6), 4);
    }

    #[test]
    fn ws_map_invalid_utf8_counts_one_char_per_byte() {
        let bytes = b"ab \x92cd";
        let m = WsMap::new(bytes);
        assert_eq!(m.chars(), 6);
        assert_eq!(m.nws_len(), 5);
        assert_eq!(m.byte_to_nws(4), 3);
    }

    #[test]
    fn ws_map_clamps_past_the_end() {
        let m = WsMap::new(b"a b");
        assert_eq!(m.char_to_nws(99), 2);
        assert_eq!(m.byte_to_nws(99), 2);
    }
}
