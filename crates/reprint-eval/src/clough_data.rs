//! The Clough & Stevenson (2011) short-answer corpus: loading, and the
//! leave-one-task-out protocol for the reuse-level classifier.

use crate::cv;
use crate::metrics::{Binary, Confusion};
use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::path::Path;

/// Classes in order of increasing reuse; the ordinal model relies on it.
pub const CLASSES: [&str; 4] = ["non", "heavy", "light", "cut"];

pub fn class_index(name: &str) -> Option<usize> {
    CLASSES.iter().position(|&c| c == name)
}

/// One answer with its task and label, and the task's original text.
#[derive(Debug, Clone)]
pub struct Answer {
    pub file: String,
    pub task: String,
    pub class: usize,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct CloughCorpus {
    pub answers: Vec<Answer>,
    /// Task letter -> bytes of `orig_task<letter>.txt`.
    pub originals: BTreeMap<String, Vec<u8>>,
}

/// Parses `file_information.csv` (`File,Task,Category`, no quoting) into
/// (file, task, category) rows, header skipped.
pub fn parse_info(text: &str) -> Result<Vec<(String, String, String)>> {
    let mut rows = Vec::new();
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, h)) if h.trim_start_matches('\u{feff}').trim() == "File,Task,Category" => {}
        other => bail!(
            "expected header File,Task,Category, found {:?}",
            other.map(|(_, h)| h)
        ),
    }
    for (i, line) in lines {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        if f.len() != 3 {
            bail!("line {}: expected 3 fields, found {}", i + 1, f.len());
        }
        rows.push((f[0].to_string(), f[1].to_string(), f[2].to_string()));
    }
    Ok(rows)
}

/// Loads the corpus. Files are read as bytes (several answers are
/// Windows-1252, not UTF-8; the library decodes them lossily).
pub fn load(dir: &Path) -> Result<CloughCorpus> {
    if !dir.is_dir() {
        bail!("Clough corpus folder not found: {}", dir.display());
    }
    let info_path = dir.join("file_information.csv");
    let info = std::fs::read_to_string(&info_path)
        .with_context(|| format!("reading {}", info_path.display()))?;
    let rows = parse_info(&info).with_context(|| format!("parsing {}", info_path.display()))?;
    let mut answers = Vec::new();
    let mut originals = BTreeMap::new();
    for (file, task, cat) in rows {
        let path = dir.join(&file);
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        if cat == "orig" {
            originals.insert(task, bytes);
            continue;
        }
        let Some(class) = class_index(&cat) else {
            bail!("{file}: unknown category {cat:?}");
        };
        answers.push(Answer {
            file,
            task,
            class,
            bytes,
        });
    }
    for a in &answers {
        if !originals.contains_key(&a.task) {
            bail!(
                "{}: no original for task {} (expected orig_task{}.txt in file_information.csv)",
                a.file,
                a.task,
                a.task
            );
        }
    }
    Ok(CloughCorpus { answers, originals })
}

/// The features the classifier may use, computed by comparing an answer
/// with its task's original.
#[derive(Debug, Clone, Copy, Default)]
pub struct Features {
    /// Share of the answer covered by any alignment.
    pub coverage: f64,
    /// Share of the answer covered by verbatim / near-verbatim passages.
    pub verbatim_coverage: f64,
    /// Share of the answer's words matched exactly inside verbatim and
    /// near-verbatim passages.
    pub exact_coverage: f64,
    /// The library's verdict score.
    pub score: f64,
}

impl Features {
    /// How exact the reused part is: the share of the answer's words matched
    /// exactly, over the share of the answer that aligns at all (capped at
    /// 1). Cut answers keep the words; light revisions edit some; heavy
    /// rewrites keep few even where sentences align.
    pub fn exactness(&self) -> f64 {
        if self.coverage <= 0.0 {
            0.0
        } else {
            (self.exact_coverage / self.coverage).min(1.0)
        }
    }
}

/// The two-stage rule, fitted on training items:
/// 1. reused iff the verdict `score >= t_reuse` (binary, fitted on all items);
/// 2. among reused, [`Features::exactness`] against two ordered thresholds
///    gives heavy / light / cut (fitted on the truly reused training items).
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub t_reuse: f64,
    pub t_level: [f64; 2],
}

impl Rule {
    pub fn fit(items: &[(Features, usize)]) -> Rule {
        let pts: Vec<(f64, bool)> = items.iter().map(|(f, c)| (f.score, *c > 0)).collect();
        let t_reuse = cv::fit_threshold(&pts);
        let lvl: Vec<(f64, usize)> = items
            .iter()
            .filter(|(_, c)| *c > 0)
            .map(|(f, c)| (f.exactness(), c - 1))
            .collect();
        let t = cv::fit_ordinal(&lvl, 3);
        Rule {
            t_reuse,
            t_level: [t[0], t[1]],
        }
    }

    pub fn predict(&self, f: &Features) -> usize {
        if f.score < self.t_reuse {
            0
        } else {
            1 + cv::classify_ordinal(&self.t_level, f.exactness())
        }
    }
}

/// Held-out predictions: for each task, the rule is fitted on the answers
/// of the other tasks and applied to this task's answers.
pub struct HeldOut {
    pub predictions: Vec<usize>,
    /// (held-out task, rule fitted without it)
    pub rules: Vec<(String, Rule)>,
}

pub fn leave_one_task_out(tasks: &[String], items: &[(Features, usize)]) -> HeldOut {
    let mut names: Vec<String> = tasks.to_vec();
    names.sort();
    names.dedup();
    let folds: Vec<usize> = tasks
        .iter()
        .map(|t| names.iter().position(|n| n == t).unwrap_or(0))
        .collect();
    let mut predictions = vec![0usize; items.len()];
    let mut rules = Vec::new();
    for (fold, name) in names.iter().enumerate() {
        let (train, test) = cv::split(&folds, fold);
        let train_items: Vec<(Features, usize)> = train.iter().map(|&i| items[i]).collect();
        let rule = Rule::fit(&train_items);
        for i in test {
            predictions[i] = rule.predict(&items[i].0);
        }
        rules.push((name.clone(), rule));
    }
    HeldOut { predictions, rules }
}

/// Four-class confusion and binary (reused vs non) counts of predictions.
pub fn score(truth: &[usize], pred: &[usize]) -> (Confusion, Binary) {
    let mut m = Confusion::new(&CLASSES);
    let mut b = Binary::default();
    for (&t, &p) in truth.iter().zip(pred) {
        m.add(t, p);
        b.add(t > 0, p > 0);
    }
    (m, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_info_csv() {
        let rows =
            parse_info("File,Task,Category\ng0pA_taska.txt,a,non\n\norig_taska.txt,a,orig\n")
                .expect("valid");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0], ("g0pA_taska.txt".into(), "a".into(), "non".into()));
        assert!(parse_info("x,y\n").is_err());
        assert!(parse_info("File,Task,Category\na,b\n").is_err());
    }

    /// Features with a given verdict score and exactness.
    fn f(score: f64, exactness: f64) -> Features {
        Features {
            coverage: 0.5,
            verbatim_coverage: 0.5 * exactness,
            exact_coverage: 0.5 * exactness,
            score,
        }
    }

    #[test]
    fn exactness_is_exact_share_of_the_aligned_part() {
        let x = Features {
            coverage: 0.8,
            verbatim_coverage: 0.7,
            exact_coverage: 0.6,
            score: 0.9,
        };
        assert!((x.exactness() - 0.75).abs() < 1e-12);
        let none = Features::default();
        assert!(none.exactness().abs() < 1e-12);
        let over = Features {
            coverage: 0.5,
            exact_coverage: 0.6,
            ..Features::default()
        };
        assert!((over.exactness() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn rule_fits_separable_levels() {
        let items = vec![
            (f(0.05, 0.0), 0),
            (f(0.10, 0.0), 0),
            (f(0.60, 0.10), 1),
            (f(0.70, 0.15), 1),
            (f(0.80, 0.50), 2),
            (f(0.85, 0.55), 2),
            (f(0.95, 0.90), 3),
            (f(0.99, 0.95), 3),
        ];
        let rule = Rule::fit(&items);
        assert!((rule.t_reuse - 0.35).abs() < 1e-12);
        assert!((rule.t_level[0] - 0.325).abs() < 1e-12);
        assert!((rule.t_level[1] - 0.725).abs() < 1e-12);
        for (x, c) in &items {
            assert_eq!(rule.predict(x), *c);
        }
    }

    #[test]
    fn leave_one_task_out_never_sees_the_held_out_task() {
        // Task "a" and "b" agree; task "c" uses a shifted scale. A rule fitted
        // on a+b misclassifies c's light answer as cut; if c leaked into the
        // fit, the prediction would follow c's own scale.
        let tasks: Vec<String> = ["a", "a", "a", "b", "b", "b", "c", "c", "c"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let items = vec![
            (f(0.1, 0.0), 0),
            (f(0.8, 0.3), 2),
            (f(0.9, 0.9), 3),
            (f(0.1, 0.0), 0),
            (f(0.8, 0.3), 2),
            (f(0.9, 0.9), 3),
            (f(0.1, 0.0), 0),
            (f(0.8, 0.7), 2),
            (f(0.95, 0.99), 3),
        ];
        let held = leave_one_task_out(&tasks, &items);
        assert_eq!(held.rules.len(), 3);
        assert_eq!(held.rules[2].0, "c");
        assert_eq!(
            held.predictions[7], 3,
            "c's light answer judged by a+b's scale"
        );
        assert_eq!(held.predictions[6], 0);
        assert_eq!(held.predictions[8], 3);
        let (m, b) = score(
            &items.iter().map(|x| x.1).collect::<Vec<_>>(),
            &held.predictions,
        );
        assert_eq!(m.total(), 9);
        assert!((m.accuracy() - 8.0 / 9.0).abs() < 1e-12);
        assert!((b.accuracy() - 1.0).abs() < 1e-12);
    }
}
