//! Cross-validation helpers: deterministic fold splitting and fitting of
//! one-dimensional thresholds.
//!
//! All models here are thresholds on a single score, so that what is fitted
//! is small enough to carry over to held-out data.

/// Assigns item `i` (of `n`) to fold `i % k`. Deterministic, and every fold
/// gets `n / k` or `n / k + 1` items. Items keep their file order, which for
/// MSRP is not sorted by label, so no shuffle is needed.
pub fn kfold_assign(n: usize, k: usize) -> Vec<usize> {
    assert!(k > 0, "k must be positive");
    (0..n).map(|i| i % k).collect()
}

/// Indices of the items whose fold is `fold` (test) and of all others (train).
pub fn split(folds: &[usize], fold: usize) -> (Vec<usize>, Vec<usize>) {
    let mut test = Vec::new();
    let mut train = Vec::new();
    for (i, &f) in folds.iter().enumerate() {
        if f == fold {
            test.push(i);
        } else {
            train.push(i);
        }
    }
    (train, test)
}

/// Fits `k - 1` non-decreasing thresholds on a score so that
/// `class = number of thresholds t with score >= t` maximises accuracy on
/// `points` (score, class in `0..k`). Classes must be ordered so that a higher
/// score means a higher class.
///
/// Thresholds are placed halfway between adjacent distinct scores; a threshold
/// below all scores is `min - 1`, one above all scores is `max + 1`. Ties in
/// accuracy go to the first solution found (lowest cut positions).
pub fn fit_ordinal(points: &[(f64, usize)], k: usize) -> Vec<f64> {
    assert!(k >= 2, "need at least two classes");
    if points.is_empty() {
        return vec![0.5; k - 1];
    }
    let mut sorted: Vec<(f64, usize)> = points.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let n = sorted.len();
    // Allowed cut positions: 0, n, and any i where sorted[i-1] < sorted[i].
    let cuts: Vec<usize> = (0..=n)
        .filter(|&i| i == 0 || i == n || sorted[i - 1].0 < sorted[i].0)
        .collect();
    // prefix[c][i] = number of items of class c among sorted[..i].
    let mut prefix = vec![vec![0usize; n + 1]; k];
    for (i, &(_, c)) in sorted.iter().enumerate() {
        for (cls, row) in prefix.iter_mut().enumerate() {
            row[i + 1] = row[i] + usize::from(cls == c.min(k - 1));
        }
    }
    let m = cuts.len();
    // best[j][b] = most correct items among sorted[..cuts[b]] using classes
    // 0..=j, with class j's segment ending at cuts[b]. back[j][b] = where
    // class j's segment starts (index into cuts).
    let neg = i64::MIN / 4;
    let mut best = vec![vec![neg; m]; k];
    let mut back = vec![vec![0usize; m]; k];
    for b in 0..m {
        best[0][b] = prefix[0][cuts[b]] as i64;
    }
    for j in 1..k {
        for b in 0..m {
            for a in 0..=b {
                let gain = (prefix[j][cuts[b]] - prefix[j][cuts[a]]) as i64;
                let v = best[j - 1][a] + gain;
                if v > best[j][b] {
                    best[j][b] = v;
                    back[j][b] = a;
                }
            }
        }
    }
    // The last class must end at n (cuts[m - 1]).
    let mut positions = vec![0usize; k - 1];
    let mut b = m - 1;
    for j in (1..k).rev() {
        let a = back[j][b];
        positions[j - 1] = cuts[a];
        b = a;
    }
    positions
        .iter()
        .map(|&p| {
            if p == 0 {
                sorted[0].0 - 1.0
            } else if p == n {
                sorted[n - 1].0 + 1.0
            } else {
                (sorted[p - 1].0 + sorted[p].0) / 2.0
            }
        })
        .collect()
}

/// The class an ordinal threshold model gives a score.
pub fn classify_ordinal(thresholds: &[f64], score: f64) -> usize {
    thresholds.iter().filter(|&&t| score >= t).count()
}

/// Fits one threshold: positive iff `score >= t`, maximising accuracy.
pub fn fit_threshold(points: &[(f64, bool)]) -> f64 {
    let pts: Vec<(f64, usize)> = points.iter().map(|&(s, l)| (s, usize::from(l))).collect();
    fit_ordinal(&pts, 2)[0]
}

/// For each fold, fits a threshold on the other folds and predicts the
/// held-out items. Returns one prediction per item, and the threshold fitted
/// for each fold.
pub fn cv_threshold_predictions(
    scores: &[f64],
    labels: &[bool],
    folds: &[usize],
) -> (Vec<bool>, Vec<f64>) {
    let k = folds.iter().copied().max().map_or(0, |m| m + 1);
    let mut preds = vec![false; scores.len()];
    let mut thresholds = Vec::with_capacity(k);
    for fold in 0..k {
        let (train, test) = split(folds, fold);
        let pts: Vec<(f64, bool)> = train.iter().map(|&i| (scores[i], labels[i])).collect();
        let t = fit_threshold(&pts);
        thresholds.push(t);
        for i in test {
            preds[i] = scores[i] >= t;
        }
    }
    (preds, thresholds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kfold_covers_every_item_once_with_balanced_sizes() {
        let folds = kfold_assign(23, 10);
        assert_eq!(folds.len(), 23);
        let mut sizes = [0usize; 10];
        for &f in &folds {
            sizes[f] += 1;
        }
        // 23 = 3 folds of 3 + 7 folds of 2.
        assert_eq!(sizes.iter().filter(|&&s| s == 3).count(), 3);
        assert_eq!(sizes.iter().filter(|&&s| s == 2).count(), 7);
        for fold in 0..10 {
            let (train, test) = split(&folds, fold);
            assert_eq!(train.len() + test.len(), 23);
            assert!(test.iter().all(|i| !train.contains(i)));
        }
        // Deterministic.
        assert_eq!(folds, kfold_assign(23, 10));
        assert_eq!(folds[0], 0);
        assert_eq!(folds[11], 1);
    }

    #[test]
    fn threshold_separates_separable_data() {
        let pts = [
            (0.1, false),
            (0.2, false),
            (0.35, false),
            (0.6, true),
            (0.9, true),
        ];
        let t = fit_threshold(&pts);
        assert!((t - 0.475).abs() < 1e-12, "t = {t}");
    }

    #[test]
    fn threshold_with_noise_maximises_accuracy() {
        // Cuts at 0.25 (one error: the 0.4 negative) and 0.45 (one error:
        // the 0.3 positive) tie; ties go to the lowest cut.
        let pts = [
            (0.1, false),
            (0.2, false),
            (0.3, true),
            (0.4, false),
            (0.5, true),
            (0.7, true),
        ];
        let t = fit_threshold(&pts);
        let correct = pts.iter().filter(|&&(s, l)| (s >= t) == l).count();
        assert_eq!(correct, 5);
        assert!((t - 0.25).abs() < 1e-12, "t = {t}");
    }

    #[test]
    fn all_positive_gives_threshold_below_min() {
        let pts = [(0.4, true), (0.8, true)];
        let t = fit_threshold(&pts);
        assert!(t < 0.4);
    }

    #[test]
    fn ordinal_fits_three_cuts() {
        let pts = [
            (0.05, 0),
            (0.10, 0),
            (0.30, 1),
            (0.35, 1),
            (0.60, 2),
            (0.62, 2),
            (0.95, 3),
            (0.99, 3),
        ];
        let t = fit_ordinal(&pts, 4);
        assert_eq!(t.len(), 3);
        for &(s, c) in &pts {
            assert_eq!(classify_ordinal(&t, s), c, "score {s}");
        }
        assert!((t[0] - 0.2).abs() < 1e-12);
        assert!((t[1] - 0.475).abs() < 1e-12);
        assert!((t[2] - 0.785).abs() < 1e-12);
    }

    #[test]
    fn ordinal_never_splits_tied_scores() {
        // Two items share score 0.5 with different classes: a cut can't
        // separate them, so exactly one of them is misclassified.
        let pts = [(0.1, 0), (0.5, 0), (0.5, 1), (0.9, 1)];
        let t = fit_ordinal(&pts, 2);
        let correct = pts
            .iter()
            .filter(|&&(s, c)| classify_ordinal(&t, s) == c)
            .count();
        assert_eq!(correct, 3);
    }

    #[test]
    fn cv_predictions_are_held_out() {
        // Item 0 (score 0.9, negative) contradicts the rest. Fold 0 = {0, 6, 7}
        // is fitted on fold 1 only (cut 0.5), so item 0 is predicted positive:
        // a leak would have fitted it. Fold 1 is fitted on {0, 6, 7}, whose
        // best cut is 0.925, so item 3 (0.8, positive) is missed.
        let scores = [0.9, 0.1, 0.2, 0.8, 0.15, 0.85, 0.05, 0.95];
        let labels = [false, false, false, true, false, true, false, true];
        let folds = [0, 1, 1, 1, 1, 1, 0, 0];
        let (preds, ts) = cv_threshold_predictions(&scores, &labels, &folds);
        assert_eq!(ts.len(), 2);
        assert!((ts[0] - 0.5).abs() < 1e-12, "{ts:?}");
        assert!((ts[1] - 0.925).abs() < 1e-12, "{ts:?}");
        assert_eq!(
            preds,
            [true, false, false, false, false, false, false, true]
        );
    }
}
