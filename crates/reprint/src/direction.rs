//! Which of two texts is the source: dates first, then news datelines, then
//! content signals.

use std::cmp::Ordering;

use serde::Serialize;

use crate::changes::{Change, ChangeKind};
use crate::compare::{Hints, Verdict};
use crate::dateline::{self, LineDate};
use crate::document::Document;

/// Which text is the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A is the source, B derives from it.
    A,
    /// B is the source, A derives from it.
    B,
    /// The evidence is too weak to say.
    Unknown,
}

/// The inferred direction of reuse, with the reasons for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Direction {
    /// The source text.
    pub source: Source,
    /// Confidence in `[0, 1]`.
    pub confidence: f64,
    /// Human-readable reasons, each naming its evidence.
    pub reasons: Vec<String>,
}

/// How specific a time expression's text is: weekdays and dates are
/// specific; "last week", "recently" are vague.
fn specificity(text: &str) -> u8 {
    let t = text.to_lowercase();
    let specific = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if specific.iter().any(|w| t.contains(w)) {
        2
    } else {
        1
    }
}

pub(crate) fn infer(
    a: &Document,
    b: &Document,
    verdict: &Verdict,
    changes: &[Change],
    hints: &Hints,
) -> Direction {
    let mut reasons = Vec::new();
    if !verdict.label.is_reuse() {
        return Direction {
            source: Source::Unknown,
            confidence: 0.0,
            reasons: vec!["no substantial reuse to orient".into()],
        };
    }
    if let (Some(da), Some(db)) = (&hints.date_a, &hints.date_b) {
        match da.chronological_cmp(db) {
            Some(o @ (Ordering::Less | Ordering::Greater)) => {
                let (source, early, late, de, dl) = if o == Ordering::Less {
                    (Source::A, "A", "B", da, db)
                } else {
                    (Source::B, "B", "A", db, da)
                };
                reasons.push(format!("{early} is dated {de}, before {late} ({dl})"));
                return Direction {
                    source,
                    confidence: 0.9,
                    reasons,
                };
            }
            Some(Ordering::Equal) => reasons.push(format!("both are dated {da}")),
            None => reasons.push(format!("{da} and {db} are the same day: no known order")),
        }
    }
    if let Some(d) = from_datelines(a, b, &mut reasons) {
        return d;
    }
    // Positive evidence points to A as the source.
    let mut score = 0.0f64;
    let mut vaguer_b = Vec::new();
    let mut vaguer_a = Vec::new();
    let (mut dropped_by_b, mut dropped_by_a) = (0usize, 0usize);
    for c in changes {
        match c.kind {
            ChangeKind::TimeChanged => {
                let (sa, sb) = (specificity(&c.a_text), specificity(&c.b_text));
                if sa > sb {
                    vaguer_b.push(format!("\"{}\" → \"{}\"", c.a_text, c.b_text));
                } else if sb > sa {
                    vaguer_a.push(format!("\"{}\" → \"{}\"", c.b_text, c.a_text));
                }
            }
            ChangeKind::TimeRemoved | ChangeKind::NameRemoved | ChangeKind::NumberRemoved => {
                dropped_by_b += 1
            }
            ChangeKind::TimeAdded | ChangeKind::NameAdded | ChangeKind::NumberAdded => {
                dropped_by_a += 1
            }
            _ => {}
        }
    }
    if !vaguer_b.is_empty() {
        score += vaguer_b.len() as f64;
        reasons.push(format!(
            "B makes specific times vaguer, as a rewrite does: {}",
            vaguer_b.join(", ")
        ));
    }
    if !vaguer_a.is_empty() {
        score -= vaguer_a.len() as f64;
        reasons.push(format!(
            "A makes specific times vaguer, as a rewrite does: {}",
            vaguer_a.join(", ")
        ));
    }
    let detail = dropped_by_b as f64 - dropped_by_a as f64;
    if detail.abs() >= 2.0 {
        score += 0.25 * detail.clamp(-6.0, 6.0);
        let (more, fewer) = if detail > 0.0 { ("A", "B") } else { ("B", "A") };
        reasons.push(format!(
            "{more} has more specific details (names, numbers, times) in aligned sentences than {fewer} ({} vs {}); rewrites tend to drop detail",
            dropped_by_b.max(dropped_by_a),
            dropped_by_b.min(dropped_by_a)
        ));
    }
    let (ca, cb) = (verdict.coverage_a, verdict.coverage_b);
    if cb - ca >= 0.25 && cb >= 0.7 {
        score += 0.5;
        reasons.push(format!(
            "B is mostly contained in A ({:.0}% of B aligns, {:.0}% of A): B may be an excerpt",
            cb * 100.0,
            ca * 100.0
        ));
    } else if ca - cb >= 0.25 && ca >= 0.7 {
        score -= 0.5;
        reasons.push(format!(
            "A is mostly contained in B ({:.0}% of A aligns, {:.0}% of B): A may be an excerpt",
            ca * 100.0,
            cb * 100.0
        ));
    }
    let confidence = 1.0 - (-score.abs() / 2.0).exp();
    let source = if confidence < 0.35 {
        reasons.push("the evidence is too weak to name a source".into());
        Source::Unknown
    } else if score > 0.0 {
        Source::A
    } else {
        Source::B
    };
    Direction {
        source,
        confidence: (confidence * 100.0).round() / 100.0,
        reasons,
    }
}

/// The dates of the two texts' news datelines (`LONDON, March 3 (Reuters) -`),
/// when both have one: the earlier dateline names the source.
fn dateline_dates(a: &Document, b: &Document) -> Option<(LineDate, LineDate)> {
    let da = dateline::of_document(a).dateline?.date?;
    let db = dateline::of_document(b).dateline?.date?;
    Some((da, db))
}

/// Confidence given to a source named by dateline dates.
const DATELINE_CONFIDENCE: f64 = 0.9;

fn from_datelines(a: &Document, b: &Document, reasons: &mut Vec<String>) -> Option<Direction> {
    let (da, db) = dateline_dates(a, b)?;
    let days = match da.days_until(&db) {
        Some(0) => {
            reasons.push(format!(
                "both datelines give the same date ({})",
                show_date(&da)
            ));
            return None;
        }
        Some(d) => d,
        None => {
            reasons.push(format!(
                "the datelines' dates ({} and {}) are too far apart to order without years",
                show_date(&da),
                show_date(&db)
            ));
            return None;
        }
    };
    let (source, early, late, de, dl) = if days > 0 {
        (Source::A, "A", "B", da, db)
    } else {
        (Source::B, "B", "A", db, da)
    };
    reasons.push(format!(
        "{early}'s dateline is dated {}, before {late}'s ({})",
        show_date(&de),
        show_date(&dl)
    ));
    Some(Direction {
        source,
        confidence: DATELINE_CONFIDENCE,
        reasons: std::mem::take(reasons),
    })
}

fn show_date(d: &LineDate) -> String {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let m = NAMES[(d.month.clamp(1, 12) - 1) as usize];
    match d.year {
        Some(y) => format!("{m} {} {y}", d.day),
        None => format!("{m} {}", d.day),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::Comparer;

    const BODY: &str = "The harbour board approved the new ferry terminal after a long debate on the costs. \
        Work on the quay will start in the spring and should take two years to finish. \
        The board said the old pier would stay open until the new terminal is ready for passengers.";

    #[test]
    fn the_earlier_dateline_names_the_source() {
        let early = Document::from_text("e", &format!("OSLO, March 3 (Reuters) - {BODY}"));
        let late = Document::from_text(
            "l",
            &format!("OSLO, March 5 (NTB) - {BODY} Tickets go on sale today."),
        );
        let c = Comparer::default();
        let d = c.compare(&late, &early).direction;
        assert_eq!(d.source, Source::B, "{d:?}");
        assert!(d.reasons.iter().any(|r| r.contains("March 3")), "{d:?}");
        let d = c.compare(&early, &late).direction;
        assert_eq!(d.source, Source::A, "{d:?}");
        // Given dates win over datelines.
        let hints = Hints {
            date_a: "2026-03-09".parse().ok(),
            date_b: "2026-03-01".parse().ok(),
            ..Hints::default()
        };
        assert_eq!(
            c.compare_with(&early, &late, &hints).direction.source,
            Source::B
        );
    }

    #[test]
    fn same_day_datelines_do_not_decide() {
        let a = Document::from_text("a", &format!("OSLO, March 3 (Reuters) - {BODY}"));
        let b = Document::from_text("b", &format!("OSLO, March 3 (NTB) - {BODY}"));
        let d = Comparer::default().compare(&a, &b).direction;
        assert!(d.reasons.iter().any(|r| r.contains("same date")), "{d:?}");
    }
}
