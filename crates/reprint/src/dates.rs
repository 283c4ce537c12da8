//! Validated ISO 8601 dates and date-times.
//!
//! One type, [`Timestamp`], for every date the user gives: `compare --date-a/--date-b` and a
//! scan record's `date` field. It reads the calendar forms news data uses:
//!
//! - a date, `YYYY-MM-DD`;
//! - a date-time, `YYYY-MM-DDTHH:MM`, `YYYY-MM-DDTHH:MM:SS` or with a fraction of a second
//!   (`HH:MM:SS.fff`), the `T` also written `t` or a space;
//! - optionally followed by a zone: `Z`, `+hh:mm`, `-hh:mm`, `+hhmm` or `+hh`.
//!
//! The calendar is checked (2024-02-30, 2024-13-45 and 25:00 are refused), and the error says
//! what is wrong. Ordering is by time when both sides have one (a time without a zone is read
//! as UTC), and by calendar date otherwise; a date and a date-time on the same day have no
//! known order.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

/// A validated calendar date, with an optional time of day and zone offset.
///
/// ```
/// use reprint::Timestamp;
/// use std::cmp::Ordering;
///
/// let a: Timestamp = "2024-03-01".parse().unwrap();
/// let b = Timestamp::parse("2024-03-01T23:30:00-05:00").unwrap();
/// let c = Timestamp::parse("2024-03-02T03:00Z").unwrap();
/// assert!(Timestamp::parse("2024-02-30").is_err());
/// assert_eq!(a.chronological_cmp(&c), Some(Ordering::Less));
/// // 23:30 at UTC-5 is 04:30 UTC on March 2nd: after c.
/// assert_eq!(b.chronological_cmp(&c), Some(Ordering::Greater));
/// // A bare date and a time on that same day: the order is not known.
/// assert_eq!(a.chronological_cmp(&b), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Timestamp {
    year: i16,
    month: u8,
    day: u8,
    time: Option<TimeOfDay>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct TimeOfDay {
    hour: u8,
    minute: u8,
    second: u8,
    nanos: u32,
    /// Minutes east of UTC; `None` when no zone was given.
    offset: Option<i16>,
}

impl Timestamp {
    /// Reads an ISO 8601 date or date-time (see the module docs for the accepted forms).
    /// Surrounding whitespace is ignored.
    pub fn parse(text: &str) -> Result<Timestamp> {
        parse(text.trim()).map_err(|message| Error::InvalidDate {
            date: text.to_string(),
            message,
        })
    }

    /// Days since 1970-01-01 of the calendar date as written (a zone does not move it).
    pub fn days_since_epoch(&self) -> i32 {
        days_from_civil(
            i32::from(self.year),
            u32::from(self.month),
            u32::from(self.day),
        )
    }

    /// The calendar date as written: year, month (1-12), day (1-31).
    pub fn date(&self) -> (i32, u32, u32) {
        (
            i32::from(self.year),
            u32::from(self.month),
            u32::from(self.day),
        )
    }

    /// Whether a time of day was given.
    pub fn has_time(&self) -> bool {
        self.time.is_some()
    }

    /// Which of two timestamps is earlier, when that is known.
    ///
    /// Two date-times compare as instants (a time without a zone is read as UTC). When either
    /// side is a bare date, they compare by calendar date as written; on the same date, two
    /// bare dates are equal and a bare date against a date-time is `None` (unknown order).
    pub fn chronological_cmp(&self, other: &Timestamp) -> Option<Ordering> {
        match (self.instant(), other.instant()) {
            (Some(a), Some(b)) => Some(a.cmp(&b)),
            _ => match self.days_since_epoch().cmp(&other.days_since_epoch()) {
                Ordering::Equal if self.time.is_some() || other.time.is_some() => None,
                o => Some(o),
            },
        }
    }

    /// Whether two timestamps are certainly at least 24 hours apart: two date-times by
    /// their instants (a time without a zone read as UTC); otherwise two or more calendar
    /// days apart, since a bare date may stand for any hour of its day.
    pub fn a_day_or_more_from(&self, other: &Timestamp) -> bool {
        match (self.instant(), other.instant()) {
            (Some(a), Some(b)) => (a.0 - b.0).abs() >= 86_400,
            _ => (self.days_since_epoch() - other.days_since_epoch()).abs() >= 2,
        }
    }

    /// Hours between two timestamps (absolute): by their instants for two date-times,
    /// else by their calendar days.
    pub fn hours_from(&self, other: &Timestamp) -> f64 {
        match (self.instant(), other.instant()) {
            (Some(a), Some(b)) => (a.0 - b.0).abs() as f64 / 3600.0,
            _ => f64::from((self.days_since_epoch() - other.days_since_epoch()).abs()) * 24.0,
        }
    }

    /// Seconds since 1970-01-01T00:00Z and nanoseconds, for a date-time.
    fn instant(&self) -> Option<(i64, u32)> {
        let t = self.time?;
        let secs = i64::from(self.days_since_epoch()) * 86_400
            + i64::from(t.hour) * 3600
            + i64::from(t.minute) * 60
            + i64::from(t.second)
            - i64::from(t.offset.unwrap_or(0)) * 60;
        Some((secs, t.nanos))
    }
}

impl FromStr for Timestamp {
    type Err = Error;

    fn from_str(s: &str) -> Result<Timestamp> {
        Timestamp::parse(s)
    }
}

impl fmt::Display for Timestamp {
    /// The canonical ISO 8601 form: `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS[.f][Z|±hh:mm]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)?;
        let Some(t) = self.time else { return Ok(()) };
        write!(f, "T{:02}:{:02}:{:02}", t.hour, t.minute, t.second)?;
        if t.nanos > 0 {
            let digits = format!("{:09}", t.nanos);
            write!(f, ".{}", digits.trim_end_matches('0'))?;
        }
        match t.offset {
            None => Ok(()),
            Some(0) => write!(f, "Z"),
            Some(m) => {
                let sign = if m < 0 { '-' } else { '+' };
                let m = m.unsigned_abs();
                write!(f, "{sign}{:02}:{:02}", m / 60, m % 60)
            }
        }
    }
}

const FORMS: &str = "expected YYYY-MM-DD, optionally followed by THH:MM[:SS] and a zone \
                     (Z or +hh:mm)";

/// A cursor over the bytes of a date being read.
struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    /// Exactly `n` ASCII digits.
    fn digits(&mut self, n: usize, what: &str) -> std::result::Result<u32, String> {
        let got = self.b.get(self.pos..self.pos + n);
        match got {
            Some(d) if d.iter().all(u8::is_ascii_digit) => {
                self.pos += n;
                Ok(d.iter().fold(0, |v, &c| v * 10 + u32::from(c - b'0')))
            }
            _ => Err(format!("{what} must be {n} digits; {FORMS}")),
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.b.get(self.pos) == Some(&c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: u8, after: &str) -> std::result::Result<(), String> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(format!(
                "expected '{}' after the {after}; {FORMS}",
                c as char
            ))
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn done(&self) -> bool {
        self.pos == self.b.len()
    }
}

fn parse(s: &str) -> std::result::Result<Timestamp, String> {
    if s.is_empty() {
        return Err(format!("empty date; {FORMS}"));
    }
    let mut r = Reader {
        b: s.as_bytes(),
        pos: 0,
    };
    let year = r.digits(4, "the year")?;
    r.expect(b'-', "year")?;
    let month = r.digits(2, "the month")?;
    r.expect(b'-', "month")?;
    let day = r.digits(2, "the day")?;
    if !(1..=12).contains(&month) {
        return Err(format!("month {month:02} is not 01-12"));
    }
    let len = month_length(year, month);
    if !(1..=len).contains(&day) {
        return Err(format!(
            "day {day:02} is not in {year:04}-{month:02}, which has {len} days"
        ));
    }
    let mut ts = Timestamp {
        year: year as i16,
        month: month as u8,
        day: day as u8,
        time: None,
    };
    if r.done() {
        return Ok(ts);
    }
    if !matches!(r.peek(), Some(b'T' | b't' | b' ')) {
        return Err(format!("unexpected text after the date; {FORMS}"));
    }
    r.pos += 1;
    let hour = r.digits(2, "the hour")?;
    r.expect(b':', "hour")?;
    let minute = r.digits(2, "the minutes")?;
    let (mut second, mut nanos) = (0, 0);
    if r.eat(b':') {
        second = r.digits(2, "the seconds")?;
        if r.eat(b'.') || r.eat(b',') {
            let start = r.pos;
            while r.peek().is_some_and(|c| c.is_ascii_digit()) {
                r.pos += 1;
            }
            let frac = &r.b[start..r.pos];
            if frac.is_empty() {
                return Err("a fraction of a second needs digits".into());
            }
            // Nanoseconds: the first nine digits, right-padded.
            nanos = (0..9).fold(0u32, |v, i| {
                v * 10 + frac.get(i).map_or(0, |&c| u32::from(c - b'0'))
            });
        }
    }
    if hour > 23 {
        return Err(format!("hour {hour:02} is not 00-23"));
    }
    if minute > 59 {
        return Err(format!("minute {minute:02} is not 00-59"));
    }
    // 60 is a leap second.
    if second > 60 {
        return Err(format!("second {second:02} is not 00-60"));
    }
    let offset = match r.peek() {
        None => None,
        Some(b'Z' | b'z') => {
            r.pos += 1;
            Some(0)
        }
        Some(sign @ (b'+' | b'-')) => {
            r.pos += 1;
            let h = r.digits(2, "the zone's hours")?;
            let m = if r.done() {
                0
            } else {
                r.eat(b':');
                r.digits(2, "the zone's minutes")?
            };
            if h > 23 || m > 59 {
                return Err(format!("zone offset {h:02}:{m:02} is out of range"));
            }
            let total = (h * 60 + m) as i16;
            Some(if sign == b'-' { -total } else { total })
        }
        Some(_) => return Err(format!("unexpected text after the time; {FORMS}")),
    };
    if !r.done() {
        return Err(format!("unexpected text after the zone; {FORMS}"));
    }
    ts.time = Some(TimeOfDay {
        hour: hour as u8,
        minute: minute as u8,
        second: second as u8,
        nanos,
        offset,
    });
    Ok(ts)
}

fn month_length(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Howard Hinnant's days-from-civil algorithm.
fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = (y - era * 400) as u32;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe as i32 - 719468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        match Timestamp::parse(s) {
            Ok(t) => t,
            Err(e) => panic!("{s} should parse: {e}"),
        }
    }

    fn refused(s: &str) -> String {
        match Timestamp::parse(s) {
            Ok(t) => panic!("{s} should be refused, got {t}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn a_day_apart_only_when_certain() {
        let far = |x: &str, y: &str| ts(x).a_day_or_more_from(&ts(y));
        assert!(far("1987-03-02T11:44:41", "1987-03-03T11:44:41"));
        assert!(!far("1987-03-02T11:44:41", "1987-03-03T11:44:40"));
        // Zones: 23:30 at UTC-5 is 04:30 UTC the next day, 5 hours after 23:30 UTC.
        assert!(!far("2024-03-01T23:30-05:00", "2024-03-01T23:30Z"));
        assert!(
            far("1987-03-03T11:44:41", "1987-03-02T11:44:41"),
            "either order"
        );
        // A bare date may be any hour of its day: one calendar day apart is not certain.
        assert!(!far("2024-03-01", "2024-03-02"));
        assert!(!far("2024-03-01", "2024-03-02T23:59Z"));
        assert!(far("2024-03-01", "2024-03-03"));
        assert!(!far("2024-03-01", "2024-03-01"));
    }

    #[test]
    fn days() {
        assert_eq!(ts("1970-01-01").days_since_epoch(), 0);
        assert_eq!(ts("1970-01-02T10:00:00Z").days_since_epoch(), 1);
        assert_eq!(ts("2000-03-01").days_since_epoch(), 11017);
        assert_eq!(ts("1987-02-26 15:01").days_since_epoch(), 6265);
        assert_eq!(ts("1969-12-31").days_since_epoch(), -1);
        assert_eq!(ts("0000-03-01").days_since_epoch(), -719468);
        // The zone does not move the calendar date as written.
        assert_eq!(ts("2024-03-01T23:30-05:00").date(), (2024, 3, 1));
    }

    #[test]
    fn calendar_checked() {
        assert!(refused("2024-02-30").contains("has 29 days"));
        assert!(refused("2023-02-29").contains("has 28 days"));
        assert!(!ts("2024-02-29").has_time());
        assert!(ts("2000-02-29").days_since_epoch() > 0);
        assert!(refused("1900-02-29").contains("has 28 days"));
        assert!(refused("2024-13-45").contains("month 13"));
        assert!(refused("2024-00-10").contains("month 00"));
        assert!(refused("2024-04-31").contains("30 days"));
        assert!(refused("2024-04-00").contains("day 00"));
        assert!(refused("2024-01-01T24:00").contains("hour 24"));
        assert!(refused("2024-01-01T12:60").contains("minute 60"));
        assert!(refused("2024-01-01T12:00:61").contains("second 61"));
        assert!(ts("2016-12-31T23:59:60Z").has_time());
        assert!(refused("2024-01-01T12:00+24:00").contains("out of range"));
    }

    #[test]
    fn malformed_refused() {
        for s in [
            "",
            "   ",
            "abc",
            "2024-1-1",
            "2024-01-1",
            "24-01-01",
            "20240101",
            "2024/01/01",
            "26-FEB-1987",
            "2024-01-01T",
            "2024-01-01T1:00",
            "2024-01-01T10",
            "2024-01-01T10:00:",
            "2024-01-01T10:00:00.",
            "2024-01-01T10:00+5",
            "2024-01-01T10:00+05:",
            "2024-01-01T10:00Zjunk",
            "2024-01-01x",
            "+2024-01-01",
            "２０２４-01-01",
            "2024-01-01T10:00:00\u{1b}]0;x\u{7}",
        ] {
            refused(s);
        }
        assert!(refused("2024-1-1").contains("2 digits"));
    }

    #[test]
    fn forms_accepted() {
        assert_eq!(ts(" 2024-03-01 ").to_string(), "2024-03-01");
        assert_eq!(ts("2024-03-01T10:05").to_string(), "2024-03-01T10:05:00");
        assert_eq!(
            ts("2024-03-01t10:05:07z").to_string(),
            "2024-03-01T10:05:07Z"
        );
        assert_eq!(
            ts("2024-03-01 10:05:07.250+0530").to_string(),
            "2024-03-01T10:05:07.25+05:30"
        );
        assert_eq!(
            ts("2024-03-01T10:05-08").to_string(),
            "2024-03-01T10:05:00-08:00"
        );
        assert_eq!(ts("1987-02-26T15:01:20").to_string(), "1987-02-26T15:01:20");
        // Display output reads back as the same timestamp.
        for s in [
            "2024-03-01T10:05:07.25+05:30",
            "0001-01-01",
            "9999-12-31T23:59:59Z",
        ] {
            assert_eq!(ts(&ts(s).to_string()), ts(s));
        }
    }

    #[test]
    fn order() {
        use Ordering::*;
        let cmp = |a: &str, b: &str| ts(a).chronological_cmp(&ts(b));
        assert_eq!(cmp("2024-01-01", "2024-01-02"), Some(Less));
        assert_eq!(cmp("2024-01-10", "2024-01-09"), Some(Greater));
        assert_eq!(cmp("2024-01-01", "2024-01-01"), Some(Equal));
        // Not string order: the zone counts.
        assert_eq!(
            cmp("2024-01-01T10:00+05:00", "2024-01-01T06:00Z"),
            Some(Less)
        );
        assert_eq!(
            cmp("2024-01-01T10:00+05:00", "2024-01-01T05:00Z"),
            Some(Equal)
        );
        assert_eq!(cmp("2024-01-01T09:00", "2024-01-01T09:00:00.5"), Some(Less));
        assert_eq!(
            cmp("2023-12-31T23:00-02:00", "2024-01-01T00:30Z"),
            Some(Greater)
        );
        // A date against a time: by calendar date, unknown on the same day.
        assert_eq!(cmp("2024-01-01", "2024-01-02T00:00Z"), Some(Less));
        assert_eq!(cmp("2024-01-03", "2024-01-02T23:59Z"), Some(Greater));
        assert_eq!(cmp("2024-01-02", "2024-01-02T12:00Z"), None);
        assert_eq!(cmp("2024-01-02T12:00Z", "2024-01-02"), None);
        // Across years, months and the epoch.
        assert_eq!(cmp("1969-12-31", "1970-01-01"), Some(Less));
        assert_eq!(
            cmp("1999-12-31T23:59:59Z", "2000-01-01T00:00:00Z"),
            Some(Less)
        );
    }

    #[test]
    fn error_names_the_date() {
        let e = refused("2024-13-45");
        assert!(e.contains("2024-13-45"), "{e}");
    }
}
