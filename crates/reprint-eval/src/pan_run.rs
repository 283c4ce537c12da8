//! The PAN evaluation: every suspicious document against every source
//! document (candidate retrieval, then alignment), scored with the PAN
//! measures in whitespace-free character space.

use crate::engine::{Aligned, Engine, Kind};
use crate::pan_corpus::{PanCorpus, TruthCase};
use crate::pan_measures::{merge_detections, pan_scores, Ann, PanScores, WsMap};
use crate::table;
use anyhow::Result;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use xxhash_rust::xxh3::xxh3_64;

#[derive(Debug, Clone)]
pub struct PanOptions {
    /// Sources compared per suspicious document (the best-ranked ones).
    pub candidates: usize,
    /// A source needs at least this many shared word n-grams to be compared.
    pub min_shared: usize,
    /// Word n-gram length of the prefilter.
    pub ngram: usize,
    /// Detections of one pair closer than this many non-whitespace
    /// characters in both documents are merged.
    pub merge_gap: usize,
    /// Keep alignments from comparisons the library judged `unrelated`.
    pub keep_unrelated: bool,
    /// Sentence alignments scoring below this are not detections (verbatim
    /// passages always are).
    pub min_alignment_score: f64,
    /// After merging, detections shorter than this many non-whitespace
    /// characters in the suspicious document are dropped.
    pub min_detection_chars: usize,
}

impl Default for PanOptions {
    fn default() -> Self {
        PanOptions {
            candidates: 10,
            min_shared: 3,
            ngram: 3,
            merge_gap: 300,
            keep_unrelated: false,
            min_alignment_score: 0.0,
            min_detection_chars: 150,
        }
    }
}

/// A detection before merging, with what the library said about it.
struct RawDet {
    ann: Ann,
    kind: Kind,
    score: f64,
    label: String,
    passage: bool,
}

/// Raw detections counted by (verdict label, kind, score band), split into
/// those that detect some case and those that detect none: shows which
/// library outputs are the false positives.
fn raw_diagnostics(raw: &[RawDet], cases: &[Ann]) -> Vec<Value> {
    let mut counts: BTreeMap<(String, String, String), (usize, usize)> = BTreeMap::new();
    for r in raw {
        let band = match r.score {
            s if s >= 0.9 => ">=0.9",
            s if s >= 0.7 => "0.7-0.9",
            s if s >= 0.5 => "0.5-0.7",
            s if s >= 0.3 => "0.3-0.5",
            _ => "<0.3",
        };
        let what = if r.passage {
            format!("passage/{}", r.kind.name())
        } else {
            format!("alignment/{}", r.kind.name())
        };
        let e = counts
            .entry((r.label.clone(), what, band.to_string()))
            .or_default();
        if cases.iter().any(|c| r.ann.detects(c)) {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }
    counts
        .into_iter()
        .map(|((label, what, band), (hit, miss))| {
            json!({"verdict": label, "output": what, "score": band, "detect_a_case": hit, "detect_none": miss})
        })
        .collect()
}

/// Lower-cased alphanumeric words of a text.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The set of hashed word n-grams of a text.
pub fn ngram_set(text: &str, n: usize) -> HashSet<u64> {
    let w = words(text);
    let n = n.max(1);
    if w.len() < n {
        return HashSet::new();
    }
    w.windows(n)
        .map(|g| xxh3_64(g.join(" ").as_bytes()))
        .collect()
}

/// Ranks sources by shared n-grams with `susp` (descending; ties by index)
/// and keeps the best `k` with at least `min_shared`. Returns
/// (source index, shared count).
pub fn rank_candidates(
    susp: &HashSet<u64>,
    sources: &[HashSet<u64>],
    k: usize,
    min_shared: usize,
) -> Vec<(usize, usize)> {
    let mut scored: Vec<(usize, usize)> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| (i, susp.intersection(s).count()))
        .filter(|&(_, c)| c >= min_shared)
        .collect();
    scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    scored.truncate(k);
    scored
}

/// Converts an engine's aligned passages (susp = side a, source = side b)
/// into detections in whitespace-free character space.
pub fn to_detections(
    susp_name: &str,
    src_name: &str,
    susp_map: &WsMap,
    src_map: &WsMap,
    aligned: &[Aligned],
) -> Vec<Ann> {
    aligned
        .iter()
        .map(|al| Ann {
            susp: susp_name.to_string(),
            src: src_name.to_string(),
            this: susp_map.byte_range(al.a.0, al.a.1),
            other: src_map.byte_range(al.b.0, al.b.1),
        })
        .filter(|d| d.this.len() > 0 && d.other.len() > 0)
        .collect()
}

/// A ground-truth case mapped to whitespace-free character space.
pub fn case_to_ann(susp_name: &str, c: &TruthCase, susp_map: &WsMap, src_map: &WsMap) -> Ann {
    Ann {
        susp: susp_name.to_string(),
        src: c.source_reference.clone(),
        this: susp_map.char_range(c.this_offset, c.this_length),
        other: src_map.char_range(c.source_offset, c.source_length),
    }
}

pub struct PanResult {
    pub overall: PanScores,
    pub json: Value,
    pub text: String,
}

/// Runs the evaluation. Documents the engine refuses are reported and
/// skipped (their cases still count, as missed).
pub fn run<E: Engine>(engine: &E, corpus: &PanCorpus, opts: &PanOptions) -> Result<PanResult> {
    let mut problems: Vec<String> = Vec::new();
    let src_maps: Vec<WsMap> = corpus
        .sources
        .iter()
        .map(|d| WsMap::new(&d.bytes))
        .collect();
    let src_grams: Vec<HashSet<u64>> = corpus
        .sources
        .iter()
        .map(|d| ngram_set(&String::from_utf8_lossy(&d.bytes), opts.ngram))
        .collect();
    let mut src_docs: Vec<Option<E::Doc>> = Vec::with_capacity(corpus.sources.len());
    for d in &corpus.sources {
        match engine.load(&d.name, &d.bytes) {
            Ok(doc) => src_docs.push(Some(doc)),
            Err(e) => {
                problems.push(format!("{}: {e:#}", d.name));
                src_docs.push(None);
            }
        }
    }
    let src_index: HashMap<&str, usize> = corpus
        .sources
        .iter()
        .enumerate()
        .map(|(i, d)| (d.name.as_str(), i))
        .collect();

    let mut cases: Vec<(Ann, String)> = Vec::new();
    let mut raw: Vec<RawDet> = Vec::new();
    let mut retrieved_pairs = 0usize;
    let mut true_pairs = 0usize;
    let mut compared = 0usize;
    let mut case_rank: Vec<Option<usize>> = Vec::new();
    // Verdict of every comparison made, by (suspicious, source) name.
    let mut verdicts: HashMap<(String, String), (String, f64)> = HashMap::new();

    for sd in &corpus.suspicious {
        let name = sd.doc.name.as_str();
        let map = WsMap::new(&sd.doc.bytes);
        let grams = ngram_set(&String::from_utf8_lossy(&sd.doc.bytes), opts.ngram);
        let ranked = rank_candidates(&grams, &src_grams, opts.candidates, opts.min_shared);

        let mut truth_srcs: HashSet<&str> = HashSet::new();
        for c in &sd.cases {
            let Some(&si) = src_index.get(c.source_reference.as_str()) else {
                problems.push(format!(
                    "{name}: case source {} is not in source-documents/",
                    c.source_reference
                ));
                continue;
            };
            truth_srcs.insert(c.source_reference.as_str());
            cases.push((
                case_to_ann(name, c, &map, &src_maps[si]),
                c.obfuscation.clone(),
            ));
            case_rank.push(ranked.iter().position(|&(i, _)| i == si));
        }
        true_pairs += truth_srcs.len();
        retrieved_pairs += truth_srcs
            .iter()
            .filter(|s| ranked.iter().any(|&(i, _)| corpus.sources[i].name == **s))
            .count();

        let sdoc = match engine.load(name, &sd.doc.bytes) {
            Ok(d) => d,
            Err(e) => {
                problems.push(format!("{name}: {e:#}"));
                continue;
            }
        };
        for &(si, _) in &ranked {
            let Some(src_doc) = &src_docs[si] else {
                continue;
            };
            compared += 1;
            let out = engine.compare(&sdoc, src_doc);
            verdicts.insert(
                (name.to_string(), corpus.sources[si].name.clone()),
                (out.label.clone(), out.score),
            );
            if !opts.keep_unrelated && out.label == "unrelated" {
                continue;
            }
            let src_name = corpus.sources[si].name.as_str();
            for (aligned, passage) in [(&out.alignments, false), (&out.passages, true)] {
                for al in aligned.iter() {
                    let Some(ann) = to_detections(
                        name,
                        src_name,
                        &map,
                        &src_maps[si],
                        std::slice::from_ref(al),
                    )
                    .pop() else {
                        continue;
                    };
                    raw.push(RawDet {
                        ann,
                        kind: al.kind,
                        score: al.score,
                        label: out.label.clone(),
                        passage,
                    });
                }
            }
        }
    }

    let all_cases: Vec<Ann> = cases.iter().map(|(a, _)| a.clone()).collect();
    let diagnostics = raw_diagnostics(&raw, &all_cases);
    let dets: Vec<Ann> = raw
        .iter()
        .filter(|r| r.passage || r.score >= opts.min_alignment_score)
        .map(|r| r.ann.clone())
        .collect();
    let raw_detections = dets.len();
    let merged = merge_detections(dets, opts.merge_gap);
    let merged_count = merged.len();
    let dets: Vec<Ann> = merged
        .into_iter()
        .filter(|d| d.this.len() >= opts.min_detection_chars)
        .collect();
    let overall = pan_scores(&all_cases, &dets);

    let mut types: BTreeMap<String, Vec<Ann>> = BTreeMap::new();
    for (a, t) in &cases {
        types.entry(t.clone()).or_default().push(a.clone());
    }
    let per_type: Vec<(String, PanScores)> = types
        .iter()
        .map(|(t, cs)| (t.clone(), pan_scores(cs, &dets)))
        .collect();
    let retrieval_recall = crate::metrics::ratio(retrieved_pairs, true_pairs);

    // Per-case diagnostics.
    let mut case_rows = Vec::new();
    let mut case_json = Vec::new();
    for (k, (c, t)) in cases.iter().enumerate() {
        let one = pan_scores(std::slice::from_ref(c), &dets);
        let pieces = dets.iter().filter(|d| d.detects(c)).count();
        let rank = case_rank[k].map_or("-".to_string(), |r| (r + 1).to_string());
        let verdict = verdicts.get(&(c.susp.clone(), c.src.clone()));
        let verdict_text =
            verdict.map_or("not compared".to_string(), |(l, s)| format!("{l} {s:.2}"));
        case_rows.push(vec![
            c.susp.trim_start_matches("suspicious-document").to_string(),
            c.src.trim_start_matches("source-document").to_string(),
            t.clone(),
            format!("{}", c.this.len()),
            rank.clone(),
            verdict_text,
            pieces.to_string(),
            format!("{:.3}", one.recall),
        ]);
        case_json.push(json!({
            "suspicious": c.susp, "source": c.src, "obfuscation": t,
            "this_nws": [c.this.start, c.this.end], "source_nws": [c.other.start, c.other.end],
            "source_rank": case_rank[k].map(|r| r + 1),
            "verdict": verdict.map(|(l, s)| json!({"label": l, "score": s})),
            "detections": pieces, "recall": one.recall,
        }));
    }
    // Detections that detect no case at all.
    let false_dets: Vec<&Ann> = dets
        .iter()
        .filter(|d| !all_cases.iter().any(|c| d.detects(c)))
        .collect();
    let false_json: Vec<Value> = false_dets
        .iter()
        .map(|d| {
            json!({"suspicious": d.susp, "source": d.src,
                   "this_nws": [d.this.start, d.this.end],
                   "source_nws": [d.other.start, d.other.end]})
        })
        .collect();

    let mut text = String::new();
    text.push_str(&format!(
        "PAN: {} suspicious x {} source documents, {} cases; {} comparisons after retrieval \
         (top {} by shared word {}-grams, >= {}); pair retrieval recall {:.3}\n",
        corpus.suspicious.len(),
        corpus.sources.len(),
        all_cases.len(),
        compared,
        opts.candidates,
        opts.ngram,
        opts.min_shared,
        retrieval_recall
    ));
    text.push_str(&format!(
        "detections: {} raw, {} after merging (gap {}), {} kept (>= {} chars), {} detect no case\n\n",
        raw_detections,
        merged_count,
        opts.merge_gap,
        dets.len(),
        opts.min_detection_chars,
        false_dets.len()
    ));
    text.push_str(&table::render(
        &table::header(&[
            "susp",
            "src",
            "obfuscation",
            "len",
            "rank",
            "verdict",
            "dets",
            "recall",
        ]),
        &case_rows,
    ));
    text.push('\n');
    let mut rows = vec![score_row("ALL", &overall, true)];
    for (t, s) in &per_type {
        rows.push(score_row(t, s, false));
    }
    text.push_str(&table::render(
        &table::header(&[
            "obfuscation",
            "cases",
            "recall",
            "precision",
            "granularity",
            "plagdet",
        ]),
        &rows,
    ));
    for p in &problems {
        text.push_str(&format!("problem: {p}\n"));
    }

    let json = json!({
        "options": {
            "candidates": opts.candidates, "min_shared": opts.min_shared, "ngram": opts.ngram,
            "merge_gap_nws_chars": opts.merge_gap, "keep_unrelated": opts.keep_unrelated,
            "min_alignment_score": opts.min_alignment_score,
            "min_detection_nws_chars": opts.min_detection_chars,
        },
        "units": "whitespace-free characters",
        "suspicious_documents": corpus.suspicious.len(),
        "source_documents": corpus.sources.len(),
        "comparisons": compared,
        "retrieval_pair_recall": retrieval_recall,
        "raw_detections": raw_detections,
        "overall": scores_json(&overall),
        "per_obfuscation": per_type.iter().map(|(t, s)| (t.clone(), scores_json(s))).collect::<BTreeMap<_, _>>(),
        "cases": case_json,
        "false_detections": false_json,
        "raw_detection_diagnostics": diagnostics,
        "problems": problems,
    });
    Ok(PanResult {
        overall,
        json,
        text,
    })
}

fn score_row(name: &str, s: &PanScores, with_precision: bool) -> Vec<String> {
    vec![
        name.to_string(),
        s.cases.to_string(),
        format!("{:.3}", s.recall),
        if with_precision {
            format!("{:.3}", s.precision)
        } else {
            "-".to_string()
        },
        format!("{:.3}", s.granularity),
        if with_precision {
            format!("{:.3}", s.plagdet)
        } else {
            "-".to_string()
        },
    ]
}

pub fn scores_json(s: &PanScores) -> Value {
    json!({
        "precision": s.precision, "recall": s.recall, "granularity": s.granularity,
        "plagdet": s.plagdet, "f1": s.f1(), "cases": s.cases, "detections": s.detections,
        "detected_cases": s.detected_cases,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{ByteSpan, Kind, Outcome};
    use crate::pan_corpus::{RawDoc, SuspDoc};
    use crate::pan_measures::Iv;

    fn nws(map: &WsMap, a: usize, b: usize) -> Iv {
        map.byte_range(a, b)
    }

    /// A fake engine that aligns every sentence (split on '.') of `a` that
    /// occurs verbatim in `b`.
    struct ExactSentences;

    impl Engine for ExactSentences {
        type Doc = String;
        fn load(&self, _id: &str, bytes: &[u8]) -> Result<String> {
            Ok(String::from_utf8_lossy(bytes).into_owned())
        }
        fn warnings(&self, _doc: &String) -> Vec<String> {
            Vec::new()
        }
        fn compare(&self, a: &String, b: &String) -> Outcome {
            let mut alignments = Vec::new();
            for (s, e) in sentence_spans(a) {
                let sent = &a[s..e];
                if sent.trim().len() < 5 {
                    continue;
                }
                if let Some(pos) = b.find(sent) {
                    alignments.push(Aligned {
                        a: (s, e),
                        b: (pos, pos + sent.len()),
                        kind: Kind::Verbatim,
                        score: 1.0,
                        exact_words: 0,
                    });
                }
            }
            Outcome {
                label: if alignments.is_empty() {
                    "unrelated".into()
                } else {
                    "partial".into()
                },
                alignments,
                ..Outcome::default()
            }
        }
        fn sentence_similarity(&self, a: &str, b: &str) -> f64 {
            f64::from(u8::from(a == b))
        }
        fn sentences(&self, doc: &String) -> Vec<ByteSpan> {
            sentence_spans(doc)
        }
    }

    fn sentence_spans(t: &str) -> Vec<ByteSpan> {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, c) in t.char_indices() {
            if c == '.' {
                let s = start + (t[start..].len() - t[start..].trim_start().len());
                out.push((s, i + 1));
                start = i + 1;
            }
        }
        out
    }

    #[test]
    fn ranks_candidates_by_shared_ngrams() {
        let s = ngram_set("a b c d e f", 2);
        let srcs = vec![
            ngram_set("x y z", 2),
            ngram_set("a b c d", 2),
            ngram_set("c d e f a b", 2),
        ];
        let r = rank_candidates(&s, &srcs, 5, 1);
        assert_eq!(r, vec![(2, 4), (1, 3)]);
        assert_eq!(rank_candidates(&s, &srcs, 1, 1), vec![(2, 4)]);
        assert!(rank_candidates(&s, &srcs, 5, 5).is_empty());
    }

    #[test]
    fn end_to_end_with_rewrapped_suspicious_document() {
        // The source sentence is copied into the suspicious document, which
        // was then re-wrapped (a space became a newline). The case offsets
        // are characters in the suspicious document, the 'é' before it is
        // two bytes: a byte/char mix-up or a whitespace-sensitive comparison
        // would lose the perfect score.
        let src = "Intro here. The quick brown fox jumps over the lazy dog. Outro.";
        let susp = "Café first. The quick brown\nfox jumps over the lazy dog. Other text.";
        let sent_src = src.find("The quick").expect("in src");
        let sent_susp_bytes = susp.find("The quick").expect("in susp");
        let sent_susp_chars = susp[..sent_susp_bytes].chars().count();
        let len = "The quick brown fox jumps over the lazy dog.".len();
        let corpus = PanCorpus {
            sources: vec![
                RawDoc {
                    name: "source-document00001.txt".into(),
                    bytes: src.as_bytes().to_vec(),
                },
                RawDoc {
                    name: "source-document00002.txt".into(),
                    bytes: b"Nothing in common at all. Really nothing.".to_vec(),
                },
            ],
            suspicious: vec![SuspDoc {
                doc: RawDoc {
                    name: "suspicious-document00001.txt".into(),
                    bytes: susp.as_bytes().to_vec(),
                },
                cases: vec![TruthCase {
                    obfuscation: "none".into(),
                    this_offset: sent_susp_chars,
                    this_length: len,
                    source_reference: "source-document00001.txt".into(),
                    source_offset: sent_src,
                    source_length: len,
                }],
            }],
        };
        // The fake engine only finds sentences that are byte-identical, so
        // compare the suspicious doc after re-wrapping back: it doesn't.
        // Instead, check the bookkeeping with a suspicious text whose
        // sentence is found, then the mapping with the re-wrapped one.
        let opts = PanOptions {
            candidates: 5,
            min_shared: 1,
            ngram: 2,
            merge_gap: 10,
            keep_unrelated: false,
            min_alignment_score: 0.0,
            min_detection_chars: 0,
        };
        let res = run(&ExactSentences, &corpus, &opts).expect("runs");
        // The re-wrapped sentence is not byte-identical: nothing found.
        assert_eq!(res.overall.detected_cases, 0);
        assert_eq!(res.json["retrieval_pair_recall"].as_f64(), Some(1.0));

        // Same corpus, suspicious text not re-wrapped: a perfect detection.
        let mut flat = corpus.clone();
        flat.suspicious[0].doc.bytes = susp.replace('\n', " ").into_bytes();
        let res = run(&ExactSentences, &flat, &opts).expect("runs");
        assert_eq!(res.overall.detected_cases, 1);
        assert!(
            (res.overall.recall - 1.0).abs() < 1e-12,
            "{:?}",
            res.overall
        );
        assert!((res.overall.precision - 1.0).abs() < 1e-12);
        assert!((res.overall.plagdet - 1.0).abs() < 1e-12);
        assert!(res.json["per_obfuscation"]["none"].is_object());

        // And the case mapped from the re-wrapped text equals the detection
        // made on the flat text, in whitespace-free space.
        let wrapped_map = WsMap::new(susp.as_bytes());
        let flat_text = susp.replace('\n', " ");
        let flat_map = WsMap::new(flat_text.as_bytes());
        let b = flat_text.find("The quick").expect("in flat");
        assert_eq!(
            wrapped_map.char_range(sent_susp_chars, len),
            nws(&flat_map, b, b + len)
        );
    }
}
