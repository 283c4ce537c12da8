//! Classification metrics: confusion matrices, accuracy, precision, recall, F1.

use serde_json::{json, Value};

/// A square confusion matrix over named classes. Rows are the true class,
/// columns the predicted class.
#[derive(Debug, Clone)]
pub struct Confusion {
    labels: Vec<String>,
    counts: Vec<Vec<usize>>,
}

impl Confusion {
    pub fn new(labels: &[&str]) -> Confusion {
        let n = labels.len();
        Confusion {
            labels: labels.iter().map(|s| s.to_string()).collect(),
            counts: vec![vec![0; n]; n],
        }
    }

    /// Records one item whose true class is `truth` and predicted class `pred`
    /// (both indices into the labels).
    pub fn add(&mut self, truth: usize, pred: usize) {
        self.counts[truth][pred] += 1;
    }

    pub fn total(&self) -> usize {
        self.counts.iter().flatten().sum()
    }

    pub fn accuracy(&self) -> f64 {
        let correct: usize = (0..self.labels.len()).map(|i| self.counts[i][i]).sum();
        ratio(correct, self.total())
    }

    /// Precision of class `c`: correct predictions of `c` over all predictions
    /// of `c` (0 when `c` was never predicted).
    pub fn precision(&self, c: usize) -> f64 {
        let predicted: usize = (0..self.labels.len()).map(|t| self.counts[t][c]).sum();
        ratio(self.counts[c][c], predicted)
    }

    /// Recall of class `c` (0 when `c` never occurs).
    pub fn recall(&self, c: usize) -> f64 {
        let actual: usize = self.counts[c].iter().sum();
        ratio(self.counts[c][c], actual)
    }

    pub fn f1(&self, c: usize) -> f64 {
        f1(self.precision(c), self.recall(c))
    }

    /// The unweighted mean of the per-class F1 scores.
    pub fn macro_f1(&self) -> f64 {
        let n = self.labels.len();
        if n == 0 {
            return 0.0;
        }
        (0..n).map(|c| self.f1(c)).sum::<f64>() / n as f64
    }

    pub fn to_json(&self) -> Value {
        let per_class: Vec<Value> = (0..self.labels.len())
            .map(|c| {
                json!({
                    "class": self.labels[c],
                    "precision": self.precision(c),
                    "recall": self.recall(c),
                    "f1": self.f1(c),
                    "support": self.counts[c].iter().sum::<usize>(),
                })
            })
            .collect();
        json!({
            "labels": self.labels,
            "matrix_rows_true_cols_pred": self.counts,
            "accuracy": self.accuracy(),
            "macro_f1": self.macro_f1(),
            "per_class": per_class,
        })
    }

    /// Renders the matrix as table rows (first column = true class).
    pub fn table(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let mut header = vec!["true \\ pred".to_string()];
        header.extend(self.labels.iter().cloned());
        header.extend(["recall".to_string(), "prec".to_string(), "F1".to_string()]);
        let rows = (0..self.labels.len())
            .map(|t| {
                let mut row = vec![self.labels[t].clone()];
                row.extend((0..self.labels.len()).map(|p| self.counts[t][p].to_string()));
                row.push(format!("{:.3}", self.recall(t)));
                row.push(format!("{:.3}", self.precision(t)));
                row.push(format!("{:.3}", self.f1(t)));
                row
            })
            .collect();
        (header, rows)
    }
}

/// Counts for a two-class problem where one class is "positive".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Binary {
    pub tp: usize,
    pub fp: usize,
    pub tn: usize,
    pub fn_: usize,
}

impl Binary {
    pub fn add(&mut self, truth: bool, pred: bool) {
        match (truth, pred) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (false, false) => self.tn += 1,
            (true, false) => self.fn_ += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.tp + self.fp + self.tn + self.fn_
    }

    pub fn accuracy(&self) -> f64 {
        ratio(self.tp + self.tn, self.total())
    }

    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }

    pub fn to_json(self) -> Value {
        json!({
            "tp": self.tp, "fp": self.fp, "tn": self.tn, "fn": self.fn_,
            "accuracy": self.accuracy(),
            "precision": self.precision(),
            "recall": self.recall(),
            "f1": self.f1(),
        })
    }
}

/// `num / den`, or 0 when `den` is 0.
pub fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

/// Harmonic mean of precision and recall (0 when both are 0).
pub fn f1(p: f64, r: f64) -> f64 {
    if p + r <= 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn confusion_by_hand() {
        // 3 classes. truth/pred pairs:
        // a->a x3, a->b x1, b->b x2, b->c x1, c->c x1, c->a x2
        let mut m = Confusion::new(&["a", "b", "c"]);
        for (t, p, n) in [
            (0, 0, 3),
            (0, 1, 1),
            (1, 1, 2),
            (1, 2, 1),
            (2, 2, 1),
            (2, 0, 2),
        ] {
            for _ in 0..n {
                m.add(t, p);
            }
        }
        assert_eq!(m.total(), 10);
        assert!(close(m.accuracy(), 6.0 / 10.0));
        // class a: predicted 5 (3 + 2), correct 3, actual 4.
        assert!(close(m.precision(0), 3.0 / 5.0));
        assert!(close(m.recall(0), 3.0 / 4.0));
        let f_a = 2.0 * 0.6 * 0.75 / (0.6 + 0.75);
        assert!(close(m.f1(0), f_a));
        // class b: predicted 3, correct 2, actual 3 -> p = r = f = 2/3.
        assert!(close(m.f1(1), 2.0 / 3.0));
        // class c: predicted 2, correct 1, actual 3 -> p = 1/2, r = 1/3, f = 0.4.
        assert!(close(m.f1(2), 0.4));
        assert!(close(m.macro_f1(), (f_a + 2.0 / 3.0 + 0.4) / 3.0));
    }

    #[test]
    fn class_never_predicted_has_zero_f1() {
        let mut m = Confusion::new(&["x", "y"]);
        m.add(0, 0);
        m.add(1, 0);
        assert!(close(m.precision(1), 0.0));
        assert!(close(m.recall(1), 0.0));
        assert!(close(m.f1(1), 0.0));
        assert!(close(m.macro_f1(), (f1(0.5, 1.0) + 0.0) / 2.0));
    }

    #[test]
    fn binary_by_hand() {
        let mut b = Binary::default();
        // 4 TP, 1 FP, 3 TN, 2 FN
        for (t, p, n) in [
            (true, true, 4),
            (false, true, 1),
            (false, false, 3),
            (true, false, 2),
        ] {
            for _ in 0..n {
                b.add(t, p);
            }
        }
        assert!(close(b.accuracy(), 0.7));
        assert!(close(b.precision(), 0.8));
        assert!(close(b.recall(), 4.0 / 6.0));
        assert!(close(b.f1(), 2.0 * 0.8 * (4.0 / 6.0) / (0.8 + 4.0 / 6.0)));
    }
}
