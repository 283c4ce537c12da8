//! `reprint-bench score`: recall per kind and precision of reported pairs against a
//! generator's ground truth.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::BufRead;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;

/// Recall of one kind of injected reuse.
#[derive(Debug, Serialize)]
pub struct KindRecall {
    pub injected: usize,
    pub found: usize,
    pub recall: f64,
}

/// How many injected non-reuse pairs of one kind (refills) a tool reported.
#[derive(Debug, Serialize)]
pub struct KindReported {
    pub injected: usize,
    pub reported: usize,
}

/// Truth kinds that are not reuse: a tool should not report them.
const NOT_REUSE: &[&str] = &["refilled"];

/// The scores of one tool's pairs.
#[derive(Debug, Serialize)]
pub struct Score {
    pub reported: usize,
    /// Reported pairs whose two documents belong to the same injected family.
    pub correct: usize,
    pub precision: f64,
    pub recall: f64,
    /// Recall per injected kind, in name order (so the JSON output is stable).
    pub per_kind: BTreeMap<String, KindRecall>,
    /// Injected pairs that are not reuse (refills), and how many of them were reported
    /// (each one also counts against `precision`).
    pub not_reuse: BTreeMap<String, KindReported>,
}

fn open(path: &Path) -> Result<Box<dyn BufRead>> {
    let f = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    Ok(Box::new(std::io::BufReader::new(f)))
}

fn id_of(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Object(o) => o.get("id").and_then(|x| x.as_str()).map(str::to_string),
        _ => None,
    }
}

fn find(parent: &mut HashMap<String, String>, x: &str) -> String {
    let mut cur = x.to_string();
    let mut path = Vec::new();
    while let Some(p) = parent.get(&cur) {
        if *p == cur {
            break;
        }
        path.push(cur.clone());
        cur = p.clone();
    }
    for q in path {
        parent.insert(q, cur.clone());
    }
    cur
}

/// Scores `pairs` (JSONL with `a` and `b`, each an id or an object with `id`) against `truth`.
pub fn score(truth: &Path, pairs: &Path) -> Result<Score> {
    let mut truth_pairs: Vec<(String, String, String)> = Vec::new();
    let mut parent: HashMap<String, String> = HashMap::new();
    let mut negatives: Vec<(String, String, String)> = Vec::new();
    for line in open(truth)?.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line).context("truth line")?;
        let s = v["source"].as_str().unwrap_or_default().to_string();
        let c = v["copy"].as_str().unwrap_or_default().to_string();
        let k = v["kind"].as_str().unwrap_or_default().to_string();
        if NOT_REUSE.contains(&k.as_str()) {
            // Not a family link: reporting the pair is a false positive.
            negatives.push((s, c, k));
            continue;
        }
        let (rs, rc) = (find(&mut parent, &s), find(&mut parent, &c));
        parent.entry(rs.clone()).or_insert_with(|| rs.clone());
        parent.insert(rc, rs);
        truth_pairs.push((s, c, k));
    }
    let mut reported: HashSet<(String, String)> = HashSet::new();
    for line in open(pairs)?.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line).context("pairs line")?;
        if let (Some(a), Some(b)) = (id_of(&v["a"]), id_of(&v["b"])) {
            let key = if a < b { (a, b) } else { (b, a) };
            reported.insert(key);
        }
    }
    let mut correct = 0;
    for (a, b) in &reported {
        if parent.contains_key(a)
            && parent.contains_key(b)
            && find(&mut parent, a) == find(&mut parent, b)
        {
            correct += 1;
        }
    }
    let mut per_kind: BTreeMap<String, KindRecall> = BTreeMap::new();
    let mut found_all = 0;
    for (s, c, k) in &truth_pairs {
        let key = if s < c {
            (s.clone(), c.clone())
        } else {
            (c.clone(), s.clone())
        };
        let e = per_kind.entry(k.clone()).or_insert(KindRecall {
            injected: 0,
            found: 0,
            recall: 0.0,
        });
        e.injected += 1;
        if reported.contains(&key) {
            e.found += 1;
            found_all += 1;
        }
    }
    for e in per_kind.values_mut() {
        e.recall = e.found as f64 / e.injected.max(1) as f64;
    }
    let mut not_reuse: BTreeMap<String, KindReported> = BTreeMap::new();
    for (s, c, k) in negatives {
        let key = if s < c { (s, c) } else { (c, s) };
        let e = not_reuse.entry(k).or_insert(KindReported {
            injected: 0,
            reported: 0,
        });
        e.injected += 1;
        e.reported += usize::from(reported.contains(&key));
    }
    Ok(Score {
        reported: reported.len(),
        correct,
        precision: if reported.is_empty() {
            1.0
        } else {
            correct as f64 / reported.len() as f64
        },
        recall: found_all as f64 / truth_pairs.len().max(1) as f64,
        per_kind,
        not_reuse,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).expect("write test file");
        p
    }

    #[test]
    fn recall_per_kind_and_precision_over_families() {
        let dir = std::env::temp_dir().join(format!("reprint-bench-score-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        // Family {s1, c1, c2}: c2 copies c1. Family {s2, c3}.
        let truth = write(
            &dir,
            "truth.jsonl",
            concat!(
                "{\"source\":\"s1\",\"copy\":\"c1\",\"kind\":\"verbatim\"}\n",
                "{\"source\":\"c1\",\"copy\":\"c2\",\"kind\":\"edited\"}\n",
                "{\"source\":\"s2\",\"copy\":\"c3\",\"kind\":\"edited\"}\n",
                "{\"source\":\"s2\",\"copy\":\"r1\",\"kind\":\"refilled\"}\n",
                "{\"source\":\"s1\",\"copy\":\"r2\",\"kind\":\"refilled\"}\n",
            ),
        );
        // Reported: a truth pair given both as ids and as objects (reversed), an indirect
        // family pair (s1-c2, correct but not a truth pair), a false pair (s1-s2) and a
        // refill (r1 of s2: not reuse, so false too, and no link into s2's family).
        let pairs = write(
            &dir,
            "pairs.jsonl",
            concat!(
                "{\"a\":\"s1\",\"b\":\"c1\"}\n",
                "{\"a\":{\"id\":\"c1\"},\"b\":{\"id\":\"s1\"}}\n",
                "\n",
                "{\"a\":\"c2\",\"b\":\"s1\"}\n",
                "{\"a\":\"s1\",\"b\":\"s2\"}\n",
                "{\"a\":\"r1\",\"b\":\"s2\"}\n",
                "{\"a\":\"r1\",\"b\":\"c3\"}\n",
            ),
        );
        let s = score(&truth, &pairs).expect("scores");
        assert_eq!(s.reported, 5);
        assert_eq!(s.correct, 2);
        assert!((s.precision - 2.0 / 5.0).abs() < 1e-9);
        assert_eq!(s.not_reuse["refilled"].injected, 2);
        assert_eq!(s.not_reuse["refilled"].reported, 1);
        assert_eq!(s.per_kind["verbatim"].found, 1);
        assert_eq!(s.per_kind["edited"].injected, 2);
        assert_eq!(s.per_kind["edited"].found, 0);
        assert!((s.recall - 1.0 / 3.0).abs() < 1e-9);
        let kinds: Vec<&str> = s.per_kind.keys().map(String::as_str).collect();
        assert_eq!(kinds, ["edited", "verbatim"]);
        std::fs::remove_dir_all(&dir).ok();
    }
}
