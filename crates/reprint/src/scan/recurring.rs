//! Recurring texts: the very same text (one whole-text signature, [`super::dups::Signature`])
//! published by one series on [`RECURRING_DAYS`] or more distinct days.
//!
//! A wire's fixed notice ("Bundesbank leaves credit policies unchanged", "Fed sets 1.5 billion
//! dlr customer repurchase") is sent word for word at every meeting or operation. Two of its
//! issues on different days read as a verbatim copy, but each reports its own event; the
//! verdict calls them `template` when it knows the text recurs ([`crate::Hints::recurring_days`]).
//! A story re-sent the next day is published on two days, a recurring notice on three or more.
//! Only one series counts (a reprint in other papers over years is the reuse Viral Texts
//! traces), and only documents with a valid date.

use crate::fasthash::FastMap;

/// Distinct days from which one series' text is a recurring notice.
pub(crate) const RECURRING_DAYS: u32 = 3;

/// The documents of recurring texts, each with its text's group (one per series and text)
/// and the number of distinct days that series published the text.
#[derive(Debug, Default, Clone)]
pub(crate) struct Recurring {
    of: FastMap<u32, (u32, u32)>,
}

impl Recurring {
    /// From `(series, whole-text signature, day, document)` of every dated document with a
    /// series (any order; each document once).
    pub(crate) fn find(mut rows: Vec<(u32, u64, i32, u32)>) -> Recurring {
        rows.sort_unstable();
        let mut of = FastMap::default();
        let mut group = 0u32;
        for run in rows.chunk_by(|x, y| (x.0, x.1) == (y.0, y.1)) {
            let days = 1 + run.windows(2).filter(|w| w[0].2 != w[1].2).count() as u32;
            if days >= RECURRING_DAYS {
                for r in run {
                    of.insert(r.3, (group, days));
                }
                group += 1;
            }
        }
        Recurring { of }
    }

    /// The days on which the series of `a` and `b` published their common text, when both
    /// are issues of one recurring text; else 0.
    pub(crate) fn days(&self, a: u32, b: u32) -> u32 {
        shared_days(self.of.get(&a).copied(), self.of.get(&b).copied())
    }

    /// Every issue as `(document, text, days)`, in no order.
    pub(crate) fn issues(&self) -> Vec<(u32, u32, u32)> {
        self.of.iter().map(|(&d, &(g, n))| (d, g, n)).collect()
    }
}

/// The days of two documents' `(text, days)` when both are issues of one recurring text;
/// else 0.
pub(crate) fn shared_days(a: Option<(u32, u32)>, b: Option<(u32, u32)>) -> u32 {
    match (a, b) {
        (Some(x), Some(y)) if x.0 == y.0 => x.1,
        _ => 0,
    }
}

/// Whether two records name one (non-empty) series.
pub(crate) fn one_series(a: Option<&str>, b: Option<&str>) -> bool {
    let a = a.filter(|s| !s.is_empty());
    a.is_some() && a == b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_one_series_sends_on_three_days_recurs() {
        // Series 0 sends text 7 on days 10, 10, 11 and 25 (documents 0-3); series 1 sends it
        // on days 10 and 11 (4, 5); series 0 sends text 8 on days 10 and 11 (6, 7).
        let r = Recurring::find(vec![
            (0, 7, 10, 0),
            (0, 7, 10, 1),
            (0, 7, 11, 2),
            (0, 7, 25, 3),
            (1, 7, 10, 4),
            (1, 7, 11, 5),
            (0, 8, 10, 6),
            (0, 8, 11, 7),
        ]);
        assert_eq!(r.days(0, 3), 3);
        assert_eq!(r.days(2, 1), 3);
        // Another series' copies, and a text sent on two days only, do not recur.
        assert_eq!(r.days(0, 4), 0);
        assert_eq!(r.days(4, 5), 0);
        assert_eq!(r.days(6, 7), 0);
        assert_eq!(r.issues().len(), 4);
    }
}
