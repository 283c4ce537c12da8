//! `reprint-bench score`: recall per kind and precision of reported pairs against a
//! generator's ground truth.

use std::collections::{HashMap, HashSet};
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

/// The scores of one tool's pairs.
#[derive(Debug, Serialize)]
pub struct Score {
    pub reported: usize,
    /// Reported pairs whose two documents belong to the same injected family.
    pub correct: usize,
    pub precision: f64,
    pub recall: f64,
    pub per_kind: HashMap<String, KindRecall>,
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
    for line in open(truth)?.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line).context("truth line")?;
        let s = v["source"].as_str().unwrap_or_default().to_string();
        let c = v["copy"].as_str().unwrap_or_default().to_string();
        let k = v["kind"].as_str().unwrap_or_default().to_string();
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
    let mut per_kind: HashMap<String, KindRecall> = HashMap::new();
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
    })
}
