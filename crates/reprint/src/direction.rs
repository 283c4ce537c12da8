//! Which of two texts is the source: dates first, then news datelines, then
//! content signals.

use std::cmp::Ordering;

use serde::Serialize;

use crate::compare::{Hints, Verdict};
use crate::dateline::{Dateline, LineDate};
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
    /// What decided: given dates, news datelines, content, or nothing.
    pub basis: Basis,
    /// Human-readable reasons, each naming its evidence.
    pub reasons: Vec<String>,
}

/// The evidence a [`Direction`] rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The dates given with the texts (`--date-a/--date-b`, a scan's `date` field).
    Dates,
    /// The dates in the texts' news datelines (`LONDON, March 3 (Reuters) -`).
    Datelines,
    /// Signals in the texts themselves.
    Content,
    /// Nothing decided: the source is unknown.
    None,
}

/// Confidence given to a source named by the dates given with the texts. Not measured:
/// the evaluation's truth on Reuters *is* the record timestamp, so it cannot score
/// them; a given date is the caller's claim, trusted this far.
pub(crate) const DATE_CONFIDENCE: f64 = 0.9;

/// Confidence given to a source named by the dates of news datelines: the lower end of
/// the Wilson interval of the share right on Reuters-21578 pairs with the record
/// timestamps withheld, 1,187 of 1,192 (0.996, 0.990-0.998); fitted on either half of
/// the corpus and checked on the other it gives 0.993-0.994 against 0.996-0.997 observed
/// (EVALUATION.md, "Direction").
pub(crate) const DATELINE_CONFIDENCE: f64 = 0.99;

/// Why no content signal names a source: each was measured on real pairs of known
/// direction and none reaches 0.9 on every set (EVALUATION.md, "Direction").
const NO_CONTENT_SIGNAL: &str = "no dates or news datelines order the texts; content signals \
(vaguer times, more detail, containment, length) were measured at 0.52-0.62 right on real \
news, so none is used";

fn unknown(reasons: Vec<String>) -> Direction {
    Direction {
        source: Source::Unknown,
        confidence: 0.0,
        basis: Basis::None,
        reasons,
    }
}

/// The direction of reuse between `a` and `b`: the dates given, else the dates of
/// their news datelines, else unknown.
pub(crate) fn infer(a: &Document, b: &Document, verdict: &Verdict, hints: &Hints) -> Direction {
    let mut reasons = Vec::new();
    if !verdict.label.is_reuse() {
        return unknown(vec!["no substantial reuse to orient".into()]);
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
                    confidence: DATE_CONFIDENCE,
                    basis: Basis::Dates,
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
    reasons.push(NO_CONTENT_SIGNAL.into());
    unknown(reasons)
}

/// The datelines of both texts, when both have one with a date.
fn dated_datelines(a: &Document, b: &Document) -> Option<(Dateline, Dateline, LineDate, LineDate)> {
    let la = a.lead().lead.dateline.clone()?;
    let lb = b.lead().lead.dateline.clone()?;
    let (da, db) = (la.date?, lb.date?);
    Some((la, lb, da, db))
}

/// The dates of the two texts' news datelines (`LONDON, March 3 (Reuters) -`), when
/// both have one: the earlier dateline names the source. Not when the dates are one
/// day apart in different places (local dates: Tokyo's April 10 can be Washington's
/// April 9), nor when, without years, they are too far apart to order.
fn from_datelines(a: &Document, b: &Document, reasons: &mut Vec<String>) -> Option<Direction> {
    let (la, lb, da, db) = dated_datelines(a, b)?;
    let days = match da.days_until(&db) {
        Some(0) => {
            reasons.push(format!(
                "both datelines give the same date ({})",
                show_date(&da)
            ));
            return None;
        }
        Some(d) if d.abs() == 1 && !la.same_place(&lb) => {
            reasons.push(format!(
                "the datelines are one day apart in different places ({} {}, {} {}): local dates, \
                 so time zones can reverse them",
                la.place,
                show_date(&da),
                lb.place,
                show_date(&db)
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
        basis: Basis::Datelines,
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
