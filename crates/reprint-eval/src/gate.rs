//! The regression gate: headline metrics compared with a committed baseline.
//!
//! A baseline is a JSON object whose `headline` member maps metric names to
//! numbers (all "higher is better"). A run fails the gate when any baseline
//! metric is missing from the run or lower than the baseline by more than
//! the tolerance.

use anyhow::{bail, Context, Result};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// Headline metrics by name.
pub type Headline = BTreeMap<String, f64>;

/// The allowed drop below the baseline.
pub const TOLERANCE: f64 = 0.02;

/// Reads the `headline` object of a baseline or metrics JSON file.
pub fn read_headline(path: &Path) -> Result<Headline> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading baseline {}", path.display()))?;
    let v: Value =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    headline_from_json(&v).with_context(|| format!("in {}", path.display()))
}

pub fn headline_from_json(v: &Value) -> Result<Headline> {
    let Some(obj) = v.get("headline").and_then(Value::as_object) else {
        bail!("no \"headline\" object");
    };
    let mut out = Headline::new();
    for (k, x) in obj {
        let Some(f) = x.as_f64() else {
            bail!("headline metric {k} is not a number");
        };
        out.insert(k.clone(), f);
    }
    Ok(out)
}

/// One metric's comparison with the baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct GateLine {
    pub metric: String,
    pub baseline: f64,
    pub current: Option<f64>,
    pub pass: bool,
}

/// Compares every baseline metric with the current run.
pub fn check(baseline: &Headline, current: &Headline, tolerance: f64) -> Vec<GateLine> {
    baseline
        .iter()
        .map(|(k, &b)| {
            let cur = current.get(k).copied();
            let pass = match cur {
                Some(c) => c.is_finite() && c >= b - tolerance - 1e-12,
                None => false,
            };
            GateLine {
                metric: k.clone(),
                baseline: b,
                current: cur,
                pass,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&str, f64)]) -> Headline {
        pairs.iter().map(|&(k, v)| (k.to_string(), v)).collect()
    }

    #[test]
    fn passes_within_tolerance_and_fails_beyond() {
        let base = h(&[("a", 0.80), ("b", 0.50), ("c", 0.90)]);
        let cur = h(&[("a", 0.785), ("b", 0.47), ("c", 0.95), ("extra", 0.1)]);
        let lines = check(&base, &cur, TOLERANCE);
        assert_eq!(lines.len(), 3);
        let by: BTreeMap<&str, bool> = lines.iter().map(|l| (l.metric.as_str(), l.pass)).collect();
        assert!(by["a"], "0.785 is within 0.02 of 0.80");
        assert!(!by["b"], "0.47 is 0.03 below 0.50");
        assert!(by["c"], "improvements pass");
    }

    #[test]
    fn missing_or_nan_metric_fails() {
        let base = h(&[("a", 0.5), ("b", 0.5)]);
        let cur = h(&[("a", f64::NAN)]);
        let lines = check(&base, &cur, TOLERANCE);
        assert!(lines.iter().all(|l| !l.pass));
    }

    #[test]
    fn reads_headline_object() {
        let v: Value = serde_json::json!({"headline": {"x": 0.25}, "other": 1});
        assert_eq!(headline_from_json(&v).expect("valid"), h(&[("x", 0.25)]));
        assert!(headline_from_json(&serde_json::json!({"x": 1})).is_err());
        assert!(headline_from_json(&serde_json::json!({"headline": {"x": "y"}})).is_err());
    }
}
