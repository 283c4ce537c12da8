//! News datelines and bylines at the start of a text.
//!
//! A dateline names where (and often when, and for which outlet) a story was
//! filed: `LONDON, March 3 (Reuters) -`, `Baghdad, February 9 (RHC)--`,
//! `TEHRAN (Tasnim) -`, `WASHINGTON (AP) —`, `SALVADOR, Feb 26 -`. A byline
//! names the writer: `By Jane Doe`. Both are looked for only near the start
//! of a text ([`LEAD_BYTES`]), at the start of a line (or, for a document, of a
//! sentence), so the cost is bounded whatever the input.
//!
//! What counts as a dateline: one to three comma-separated place chunks (each
//! one to five words starting with a capital letter), then optionally a date
//! (month name or abbreviation, day, optional year) and optionally an outlet
//! in parentheses, then a dash (`-`, `--`, `–`, `—`). To keep ordinary
//! sentences out, a dateline needs a date or an outlet, or else a place in
//! capitals (`NEW YORK -`).

use std::ops::Range;

use crate::changes::WEEKDAYS;
use crate::document::Document;
use crate::span::Span;

/// How far into a text (bytes) a dateline or byline may start.
pub(crate) const LEAD_BYTES: usize = 400;

/// The most bytes a dateline may span (longer runs are not datelines).
const MAX_DATELINE_BYTES: usize = 120;

/// How far apart (days, either way round the year) two dates without years may be
/// and still be ordered.
pub(crate) const NO_YEAR_WINDOW_DAYS: i64 = 60;

/// A date written in a dateline. The year is often missing (`Feb 26`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LineDate {
    /// 1-12.
    pub month: u8,
    /// 1-31 (checked against the month; February allows 29).
    pub day: u8,
    /// The year, when written.
    pub year: Option<u16>,
}

impl LineDate {
    /// Days from `self` to `other` (positive: `other` is later), when that
    /// can be told. With both years written the count is exact. When either
    /// year is missing the two dates are taken to be close (a story and its
    /// update), so `Dec 30` -> `Jan 2` is +3 days; dates further apart than
    /// [`NO_YEAR_WINDOW_DAYS`] (circularly) without years give `None`: `March 4`
    /// and `Oct 19` could be either order.
    pub fn days_until(&self, other: &LineDate) -> Option<i64> {
        if let (Some(ya), Some(yb)) = (self.year, other.year) {
            return Some(
                day_number(yb as i64, other.month, other.day)
                    - day_number(ya as i64, self.month, self.day),
            );
        }
        // No year: day of a common (non-leap) reference year, circular difference.
        let a = day_number(2001, self.month, self.day);
        let b = day_number(2001, other.month, other.day);
        let mut d = (b - a).rem_euclid(365);
        if d > 182 {
            d -= 365;
        }
        (d.abs() <= NO_YEAR_WINDOW_DAYS).then_some(d)
    }
}

/// Days since a fixed epoch for a proleptic Gregorian date (civil calendar).
fn day_number(y: i64, m: u8, d: u8) -> i64 {
    let (m, d) = (m as i64, d as i64);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe
}

/// A recognised dateline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Dateline {
    /// Byte range in the text searched (for [`of_document`]: the repaired
    /// text), from the place to the end of the dash.
    pub range: Range<usize>,
    /// Byte span in the original input (for [`find`]: the same as `range`).
    pub span: Span,
    /// The place as written (`LONDON`, `SAN JOSE, Calif.`).
    pub place: String,
    /// The date, when written.
    pub date: Option<LineDate>,
    /// The outlet in parentheses, when written (`Reuters`, `AP`, `RHC`).
    pub outlet: Option<String>,
}

impl Dateline {
    /// Whether two datelines name the same place (ignoring case and spacing).
    pub fn same_place(&self, other: &Dateline) -> bool {
        fold(&self.place) == fold(&other.place)
    }

    /// Whether two datelines say the same thing (place, date and outlet,
    /// ignoring case and spacing).
    #[allow(dead_code)] // for change reports (`dateline_changed`)
    pub fn same_as(&self, other: &Dateline) -> bool {
        fold(&self.place) == fold(&other.place)
            && self.date == other.date
            && self.outlet.as_deref().map(fold) == other.outlet.as_deref().map(fold)
    }
}

/// A recognised byline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Byline {
    /// Byte range in the text searched, from `By` to the end of the name.
    pub range: Range<usize>,
    /// Byte span in the original input (for [`find`]: the same as `range`).
    pub span: Span,
    /// The name(s) as written (`Jane Doe`, `Jane Doe and John Roe`).
    pub name: String,
}

/// What the start of a text says about where, when and by whom it was filed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Lead {
    /// The first dateline found, if any.
    pub dateline: Option<Dateline>,
    /// The first byline found, if any.
    pub byline: Option<Byline>,
}

/// Finds the dateline and byline near the start of `text` (line starts
/// within the first [`LEAD_BYTES`] bytes). Spans equal ranges.
#[allow(dead_code)] // the document form is used; this one serves plain text and tests
pub(crate) fn find(text: &str) -> Lead {
    find_at(text, &line_starts(text))
}

/// Finds the dateline and byline of a document, in its repaired text (line
/// and sentence starts within the first [`LEAD_BYTES`] bytes), with spans
/// mapped back to the original input.
pub(crate) fn of_document(doc: &Document) -> Lead {
    let text = doc.repaired_text();
    let mut starts = line_starts(text);
    starts.extend(
        doc.sentences
            .iter()
            .map(|s| s.start)
            .take_while(|&s| s < LEAD_BYTES),
    );
    starts.sort_unstable();
    starts.dedup();
    let mut lead = find_at(text, &starts);
    if let Some(d) = &mut lead.dateline {
        d.span = doc.span(d.range.start, d.range.end);
    }
    if let Some(b) = &mut lead.byline {
        b.span = doc.span(b.range.start, b.range.end);
    }
    lead
}

fn line_starts(text: &str) -> Vec<usize> {
    let mut v = vec![0];
    for (i, c) in text.bytes().enumerate().take(LEAD_BYTES) {
        if c == b'\n' && i + 1 < text.len() {
            v.push(i + 1);
        }
    }
    v
}

fn find_at(text: &str, starts: &[usize]) -> Lead {
    let mut lead = Lead::default();
    for &s in starts {
        if s >= LEAD_BYTES.min(text.len()) {
            break;
        }
        let s = skip_spaces(text, s);
        if lead.byline.is_none() {
            if let Some(b) = byline_at(text, s) {
                // A byline and a dateline can share a line: "By Jane Doe LONDON (AP) -".
                let after = skip_spaces(text, b.range.end);
                lead.byline = Some(b);
                if lead.dateline.is_none() {
                    lead.dateline = dateline_at(text, after);
                }
                continue;
            }
        }
        if lead.dateline.is_none() {
            lead.dateline = dateline_at(text, s);
        }
        if lead.dateline.is_some() && lead.byline.is_some() {
            break;
        }
    }
    lead
}

fn skip_spaces(text: &str, mut i: usize) -> usize {
    let b = text.as_bytes();
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t' || b[i] == b'\r') {
        i += 1;
    }
    i
}

/// Case- and space-folded form used to compare parts.
fn fold(s: &str) -> String {
    s.split_whitespace()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

/// One word at `i`: letters, with `.`, `'`, `’` and `-` inside or at the end.
/// Returns its end.
fn word_end(text: &str, i: usize) -> usize {
    let mut end = i;
    for (k, c) in text[i..].char_indices() {
        if c.is_alphabetic() || ((c == '.' || c == '\'' || c == '\u{2019}' || c == '-') && k > 0) {
            end = i + k + c.len_utf8();
        } else {
            break;
        }
    }
    // A trailing hyphen is the dateline dash, not part of the word.
    while end > i && text[..end].ends_with('-') {
        end -= 1;
    }
    end
}

fn starts_upper(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

fn all_caps(w: &str) -> bool {
    let mut letters = 0;
    for c in w.chars() {
        if c.is_lowercase() {
            return false;
        }
        if c.is_alphabetic() {
            letters += 1;
        }
    }
    letters >= 2
}

/// Lower-case words allowed inside a place or a name (`Rio de Janeiro`).
const PARTICLES: &[&str] = &[
    "de", "del", "da", "do", "dos", "la", "le", "el", "al", "van", "von", "der", "of", "upon",
    "on", "es", "bin", "ibn",
];

const MONTHS: &[(&str, u8)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

pub(crate) fn month_of(w: &str) -> Option<u8> {
    let w = w.trim_end_matches('.').to_lowercase();
    MONTHS.iter().find(|(m, _)| *m == w).map(|&(_, n)| n)
}

fn days_in(month: u8) -> u8 {
    match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Digits at `i` (at most `max` of them): their value and end.
fn number_at(text: &str, i: usize, max: usize) -> Option<(u32, usize)> {
    let b = text.as_bytes();
    let mut j = i;
    while j < b.len() && j - i < max && b[j].is_ascii_digit() {
        j += 1;
    }
    if j == i || (j < b.len() && b[j].is_ascii_digit()) {
        return None;
    }
    text[i..j].parse().ok().map(|v| (v, j))
}

/// A date at `i`: `March 3`, `Feb. 26`, `March 3, 2024`, `3 March 2024`.
fn date_at(text: &str, i: usize) -> Option<(LineDate, usize)> {
    let e = word_end(text, i);
    if let Some(month) = month_of(&text[i..e]) {
        let j = skip_spaces(text, e);
        let (day, mut end) = number_at(text, j, 2)?;
        let day = u8::try_from(day)
            .ok()
            .filter(|&d| d >= 1 && d <= days_in(month))?;
        let mut year = None;
        // ", 2024" or " 2024"
        let k = if text[end..].starts_with(',') {
            end + 1
        } else {
            end
        };
        let k2 = skip_spaces(text, k);
        if k2 > k || k > end {
            if let Some((y, ye)) = number_at(text, k2, 4) {
                if (1000..=2999).contains(&y) && ye - k2 == 4 {
                    year = Some(y as u16);
                    end = ye;
                }
            }
        }
        return Some((LineDate { month, day, year }, end));
    }
    // "3 March 2024" (day first).
    let (day, j) = number_at(text, i, 2)?;
    let k = skip_spaces(text, j);
    if k == j {
        return None;
    }
    let e = word_end(text, k);
    let month = month_of(&text[k..e])?;
    let day = u8::try_from(day)
        .ok()
        .filter(|&d| d >= 1 && d <= days_in(month))?;
    let mut end = e;
    let mut year = None;
    let k2 = skip_spaces(text, e);
    if k2 > e {
        if let Some((y, ye)) = number_at(text, k2, 4) {
            if (1000..=2999).contains(&y) && ye - k2 == 4 {
                year = Some(y as u16);
                end = ye;
            }
        }
    }
    Some((LineDate { month, day, year }, end))
}

/// A place chunk at `i`: one to five words, the first capitalised, others
/// capitalised or particles. Returns its end and whether it is in capitals.
fn place_chunk_at(text: &str, i: usize) -> Option<(usize, bool)> {
    let mut end = i;
    let mut words = 0;
    let mut caps = true;
    let mut j = i;
    loop {
        let e = word_end(text, j);
        if e == j {
            break;
        }
        let w = &text[j..e];
        let first = words == 0;
        let ok = if starts_upper(w) {
            month_of(w).is_none() || first
        } else {
            !first && PARTICLES.contains(&w.trim_end_matches('.'))
        };
        if !ok || (first && month_of(w).is_some()) {
            break;
        }
        if !PARTICLES.contains(&w) {
            caps &= all_caps(w);
        }
        words += 1;
        end = e;
        if words == 5 {
            break;
        }
        // Next word after exactly one space.
        if text[end..].starts_with(' ') && !text[end + 1..].starts_with(' ') {
            j = end + 1;
        } else {
            break;
        }
    }
    // A particle cannot end a place.
    (words > 0 && !PARTICLES.contains(&text[i..end].rsplit(' ').next().unwrap_or("")))
        .then_some((end, caps))
}

/// The dash that ends a dateline, at `i`: `-`, `--`, `–`, `—` (repeats
/// allowed). Returns its end.
fn dash_at(text: &str, i: usize) -> Option<usize> {
    let mut end = i;
    for (k, c) in text[i..].char_indices() {
        if matches!(c, '-' | '\u{2013}' | '\u{2014}') && k < 6 {
            end = i + k + c.len_utf8();
        } else {
            break;
        }
    }
    if end == i {
        return None;
    }
    // The dash ends the dateline: what follows is space, text or a quote, not
    // more of a word ("Jean-Paul").
    let next = text[end..].chars().next();
    match next {
        None => Some(end),
        Some(c) if c.is_whitespace() || c == '"' || c == '\u{201C}' || c == '\'' => Some(end),
        Some(c) if c.is_alphanumeric() && end - i >= 2 => Some(end),
        _ => None,
    }
}

fn dateline_at(text: &str, start: usize) -> Option<Dateline> {
    let t = &text[..limit_at(text, start)];
    let (mut i, mut caps) = place_chunk_at(t, start)?;
    let first_word = &t[start..word_end(t, start)];
    if WEEKDAYS.contains(&first_word.to_lowercase().as_str()) || first_word == "By" {
        return None;
    }
    let mut place_end = i;
    let mut chunks = 1;
    let mut date = None;
    // ", Chunk" repeated, or ", Date".
    while t[i..].starts_with(',') {
        let j = skip_spaces(t, i + 1);
        if j == i + 1 {
            break;
        }
        if let Some((d, e)) = date_at(t, j) {
            date = Some(d);
            i = e;
            break;
        }
        if chunks == 3 {
            break;
        }
        match place_chunk_at(t, j) {
            Some((e, c)) => {
                caps &= c;
                chunks += 1;
                i = e;
                place_end = e;
            }
            None => break,
        }
    }
    let mut j = skip_spaces(t, i);
    let mut outlet = None;
    if t[j..].starts_with('(') {
        let close = t[j + 1..].find(')')? + j + 1;
        let inner = t[j + 1..close].trim();
        let ok = !inner.is_empty()
            && inner.len() <= 40
            && starts_upper(inner)
            && !inner.contains(['(', '\n']);
        if !ok {
            return None;
        }
        outlet = Some(inner.to_string());
        j = skip_spaces(t, close + 1);
    }
    if t[j..].starts_with(',') {
        // "WASHINGTON (AP), -" is unusual but harmless.
        j = skip_spaces(t, j + 1);
    }
    let end = dash_at(t, j)?;
    // A place alone (no date, no outlet) must be in capitals, and be followed by a
    // spaced dash: "NEW YORK - ...".
    if date.is_none() && outlet.is_none() && (!caps || j == i) {
        return None;
    }
    let place = t[start..place_end].to_string();
    Some(Dateline {
        range: start..end,
        span: Span::new(start, end),
        place,
        date,
        outlet,
    })
}

/// Where a dateline or byline starting at `start` must end at the latest: at most
/// [`MAX_DATELINE_BYTES`] on, moved back to a character boundary ("£" or "—" may
/// straddle the limit).
fn limit_at(text: &str, start: usize) -> usize {
    let mut limit = (start + MAX_DATELINE_BYTES).min(text.len());
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    limit
}

fn byline_at(text: &str, start: usize) -> Option<Byline> {
    let t = &text[..limit_at(text, start)];
    let rest = &t[start..];
    if !(rest.starts_with("By ") || rest.starts_with("BY ")) {
        return None;
    }
    let name_start = start + 3;
    let mut i = name_start;
    let mut end = name_start;
    let mut names = 0;
    let mut words_in_name = 0;
    let mut max_words_in_name = 0;
    loop {
        let e = word_end(t, i);
        if e == i {
            break;
        }
        let w = &t[i..e];
        let lw = w.to_lowercase();
        if (lw == "and" || w == "&") && words_in_name > 0 {
            names += 1;
            words_in_name = 0;
        } else if starts_upper(w)
            && month_of(w).is_none()
            && !WEEKDAYS.contains(&lw.as_str())
            // The next capitalised run may be a dateline: "By Jane Doe LONDON (AP) -".
            && !(words_in_name >= 2 && dateline_at(t, i).is_some())
        {
            words_in_name += 1;
            max_words_in_name = max_words_in_name.max(words_in_name);
            end = e;
        } else if words_in_name > 0 && PARTICLES.contains(&w) {
            // kept only if a capitalised word follows
        } else {
            break;
        }
        if words_in_name > 4 {
            return None;
        }
        if t[e..].starts_with(' ') {
            i = e + 1;
        } else {
            break;
        }
    }
    let _ = names;
    // A person's name has at least two words ("By Monday" is not a byline).
    if max_words_in_name < 2 {
        return None;
    }
    // What follows the name: end of line or text, punctuation, or a dateline.
    let after = skip_spaces(t, end);
    let next = t[after..].chars().next();
    let ok = match next {
        None => true,
        Some(c) => {
            c == '\n'
                || matches!(c, ',' | '|' | '-' | '\u{2013}' | '\u{2014}')
                || dateline_at(t, after).is_some()
        }
    };
    if !ok {
        return None;
    }
    Some(Byline {
        range: start..end,
        span: Span::new(start, end),
        name: t[name_start..end].to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dl(text: &str) -> Dateline {
        find(text)
            .dateline
            .unwrap_or_else(|| panic!("no dateline in {text:?}"))
    }

    fn md(month: u8, day: u8, year: Option<u16>) -> Option<LineDate> {
        Some(LineDate { month, day, year })
    }

    #[test]
    fn reads_wire_datelines() {
        let text = "LONDON, March 3 (Reuters) - Shares fell on Monday.";
        let d = dl(text);
        assert_eq!(d.place, "LONDON");
        assert_eq!(d.date, md(3, 3, None));
        assert_eq!(d.outlet.as_deref(), Some("Reuters"));
        assert_eq!(&text[d.range.clone()], "LONDON, March 3 (Reuters) -");

        let text = "Headline here\nBaghdad, February 9 (RHC)-- Iraq says strikes went on.";
        let d = dl(text);
        assert_eq!(d.place, "Baghdad");
        assert_eq!(d.date, md(2, 9, None));
        assert_eq!(d.outlet.as_deref(), Some("RHC"));
        assert_eq!(&text[d.range.clone()], "Baghdad, February 9 (RHC)--");

        let d = dl("TEHRAN (Tasnim) - Iraqi officials are ramping up pressure.");
        assert_eq!((d.place.as_str(), d.date), ("TEHRAN", None));
        assert_eq!(d.outlet.as_deref(), Some("Tasnim"));

        let d = dl("WASHINGTON (AP) \u{2014} The Senate voted late.");
        assert_eq!(d.place, "WASHINGTON");
        assert_eq!(d.outlet.as_deref(), Some("AP"));

        let d = dl("    SALVADOR, Feb 26 - Showers continued throughout the week.");
        assert_eq!(
            (d.place.as_str(), d.date, d.outlet),
            ("SALVADOR", md(2, 26, None), None)
        );
    }

    #[test]
    fn reads_compound_places_years_and_capital_places() {
        let d = dl("SAN JOSE, Calif., Sept. 14, 2023 (AP) -- A fire broke out.");
        assert_eq!(d.place, "SAN JOSE, Calif.");
        assert_eq!(d.date, md(9, 14, Some(2023)));
        let d = dl("Rio de Janeiro, 3 March 2021 (AFP) - Rain fell.");
        assert_eq!(d.place, "Rio de Janeiro");
        assert_eq!(d.date, md(3, 3, Some(2021)));
        let d = dl("NEW YORK - Stocks rose.");
        assert_eq!(
            (d.place.as_str(), d.date, d.outlet),
            ("NEW YORK", None, None)
        );
    }

    #[test]
    fn ignores_ordinary_sentences() {
        for text in [
            "The council met on Monday - and then again.",
            "Officials said - without giving details - that it was over.",
            "London - a city of rain.",
            "Monday, March 3 (local time) - the vote.",
            "Jean-Paul Sartre wrote plays.",
            "Feb 26 - Showers continued.",
            "LONDON, March 34 (Reuters) - Bad day number.",
            "LONDON (reuters) - lower-case outlet.",
            "",
            "-",
        ] {
            assert_eq!(find(text).dateline, None, "{text:?}");
        }
    }

    #[test]
    fn looks_only_near_the_start() {
        let mut text = "word ".repeat(100);
        text.push_str("\nLONDON, March 3 (Reuters) - Late.");
        assert_eq!(find(&text).dateline, None);
    }

    #[test]
    fn reads_bylines() {
        let text = "Harbour plan approved\nBy Jane Doe\nLONDON (Reuters) - The council voted.";
        let lead = find(text);
        let b = lead.byline.expect("byline");
        assert_eq!(b.name, "Jane Doe");
        assert_eq!(&text[b.range.clone()], "By Jane Doe");
        assert_eq!(lead.dateline.expect("dateline").place, "LONDON");

        let lead = find("By Jane Doe and John Roe, Reuters\nThe vote was close.");
        assert_eq!(lead.byline.expect("byline").name, "Jane Doe and John Roe");

        let lead = find("By Jane Doe LONDON (AP) - The vote was close.");
        assert_eq!(lead.byline.expect("byline").name, "Jane Doe");
        assert_eq!(
            lead.dateline.expect("dateline").outlet.as_deref(),
            Some("AP")
        );

        for text in [
            "By Monday the river had risen.",
            "By then it was late.",
            "By Jane",
        ] {
            assert_eq!(find(text).byline, None, "{text:?}");
        }
    }

    #[test]
    fn compares_dates_with_and_without_years() {
        let a = LineDate {
            month: 12,
            day: 30,
            year: None,
        };
        let b = LineDate {
            month: 1,
            day: 2,
            year: None,
        };
        assert_eq!(a.days_until(&b), Some(3));
        assert_eq!(b.days_until(&a), Some(-3));
        let c = LineDate {
            month: 3,
            day: 4,
            year: None,
        };
        assert_eq!(a.days_until(&c), None, "months apart: cannot tell");
        let oct = LineDate {
            month: 10,
            day: 19,
            year: None,
        };
        assert_eq!(c.days_until(&oct), None, "seven months apart: either order");
        let y1 = LineDate {
            month: 2,
            day: 28,
            year: Some(2024),
        };
        let y2 = LineDate {
            month: 3,
            day: 1,
            year: Some(2024),
        };
        assert_eq!(y1.days_until(&y2), Some(2), "2024 is a leap year");
        let y3 = LineDate {
            month: 3,
            day: 1,
            year: Some(2025),
        };
        assert_eq!(y2.days_until(&y3), Some(365));
    }

    #[test]
    fn same_as_ignores_case_and_spacing() {
        let a = dl("LONDON, March 3 (Reuters) - x");
        let b = dl("London,  March 3 (REUTERS) - y");
        assert!(a.same_as(&b));
        let c = dl("PARIS, March 3 (Reuters) - z");
        assert!(!a.same_as(&c));
    }

    #[test]
    fn document_spans_map_to_the_original() {
        let raw = "Iraq says\nstrikes push\nBaghdad to act\n\nBaghdad, February 9 (RHC)-- Iraq says repeated\nstrikes are pushing the government.\n";
        let doc = Document::from_text("d", raw);
        let lead = of_document(&doc);
        let d = lead.dateline.expect("dateline");
        assert_eq!(
            &raw[d.span.start..d.span.end],
            "Baghdad, February 9 (RHC)--"
        );
        assert_eq!(d.place, "Baghdad");
    }

    #[test]
    fn never_panics_on_odd_bytes() {
        for text in [
            "é(",
            "LONDON, (",
            "LONDON (",
            "A, B, C, D, E -",
            "By ",
            "\u{2014}\u{2014}",
            "X, March",
            "X, March 3, 20",
        ] {
            let _ = find(text);
        }
        let long = "LONDON ".repeat(200);
        assert_eq!(find(&long).dateline, None);
    }
}
