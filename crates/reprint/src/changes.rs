//! What each rewrite changed: word-level edits inside aligned sentences, and
//! the facts that moved: numbers, dates and time expressions, names and
//! places, and quotations.

use crate::fasthash::{FastMap, FastSet};

use serde::Serialize;
use similar::{capture_diff_slices, Algorithm, DiffOp};

use crate::aliases;
use crate::dateline::{self, Lead};
use crate::document::Document;
use crate::span::Span;
use crate::tokens::{fold, Token};

/// The kind of a reported change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChangeKind {
    /// A number differs between aligned sentences.
    NumberChanged,
    /// A number of A has no counterpart in the aligned B sentence.
    NumberRemoved,
    /// A number of B has no counterpart in the aligned A sentence.
    NumberAdded,
    /// A date, weekday or time expression differs ("On Tuesday" → "Last week").
    TimeChanged,
    /// A time expression of A is gone from the aligned B sentence.
    TimeRemoved,
    /// A time expression appears in B only.
    TimeAdded,
    /// A name or place was modified in place ("Jordan" → "Jordan borders").
    NameChanged,
    /// A name or place of A is gone from the aligned B sentence.
    NameRemoved,
    /// A name or place appears in the aligned B sentence only.
    NameAdded,
    /// A quotation appears word for word in both texts.
    QuoteKept,
    /// A quotation appears in both texts, with different words.
    QuoteAltered,
    /// A quotation of A is gone from the aligned B sentence.
    QuoteRemoved,
    /// A quotation of B is not in the aligned A sentence.
    QuoteAdded,
    /// The dateline (place, date, outlet: `LONDON, March 3 (Reuters) -`)
    /// differs, or only one text has one (the other side is then empty).
    DatelineChanged,
    /// The byline (`By Jane Doe`) differs, or only one text has one.
    BylineChanged,
    /// A clause of A (a run of words holding a name, number or time) is gone
    /// from the aligned B sentence.
    ClauseRemoved,
    /// A clause appears in the aligned B sentence only.
    ClauseAdded,
    /// A sentence of A with no counterpart in B.
    Omitted,
    /// A sentence of B with no counterpart in A.
    Added,
}

impl ChangeKind {
    /// The same change seen from the other document.
    pub fn mirrored(self) -> ChangeKind {
        use ChangeKind::*;
        match self {
            NumberRemoved => NumberAdded,
            NumberAdded => NumberRemoved,
            TimeRemoved => TimeAdded,
            TimeAdded => TimeRemoved,
            NameRemoved => NameAdded,
            NameAdded => NameRemoved,
            QuoteRemoved => QuoteAdded,
            QuoteAdded => QuoteRemoved,
            ClauseRemoved => ClauseAdded,
            ClauseAdded => ClauseRemoved,
            Omitted => Added,
            Added => Omitted,
            k => k,
        }
    }
}

/// One change between the two texts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// What changed.
    pub kind: ChangeKind,
    /// Where in A, if A has it.
    pub a: Option<Span>,
    /// Where in B, if B has it.
    pub b: Option<Span>,
    /// A's wording (repaired text: lines unwrapped).
    pub a_text: String,
    /// B's wording.
    pub b_text: String,
    /// Index of the alignment the change belongs to, if any.
    pub alignment: Option<usize>,
}

/// The kind of a word-level edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EditOp {
    /// Words of A replaced by words of B.
    Replace,
    /// Words of A not in B.
    Delete,
    /// Words of B not in A.
    Insert,
}

/// A word-level edit inside an aligned pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edit {
    /// Replace, delete or insert.
    pub op: EditOp,
    /// The words of A, if any.
    pub a: Option<Span>,
    /// The words of B, if any.
    pub b: Option<Span>,
    /// A's words.
    pub a_text: String,
    /// B's words.
    pub b_text: String,
}

/// One side of an aligned group: the document and its token indices.
pub(crate) struct Side<'d> {
    pub doc: &'d Document,
    pub toks: Vec<usize>,
    /// Per document token: is it (part of) a name?
    names: &'d [bool],
}

impl<'d> Side<'d> {
    pub fn of_sentences(doc: &'d Document, names: &'d [bool], sentences: &[usize]) -> Side<'d> {
        let toks = sentences
            .iter()
            .flat_map(|&i| doc.sentences[i].tok_start..doc.sentences[i].tok_end)
            .collect();
        Side { doc, toks, names }
    }

    /// The same side without the document tokens in `skip` (a dateline or byline,
    /// reported on its own).
    fn without(&self, skip: &[(usize, usize)]) -> Side<'d> {
        let toks = self
            .toks
            .iter()
            .copied()
            .filter(|t| !skip.iter().any(|&(from, to)| from <= *t && *t < to))
            .collect();
        Side {
            doc: self.doc,
            toks,
            names: self.names,
        }
    }

    fn is_name(&self, k: usize) -> bool {
        self.names[self.toks[k]]
    }

    fn tok(&self, k: usize) -> &Token {
        &self.doc.tokens[self.toks[k]]
    }

    /// Span and text of local tokens `from..to` (must be non-empty).
    fn slice(&self, from: usize, to: usize) -> (Span, String) {
        let (first, last) = (self.toks[from], self.toks[to - 1]);
        let span = self.doc.token_span(first, last + 1);
        let (s, e) = (
            self.doc.tokens[first].start as usize,
            self.doc.tokens[last].end as usize,
        );
        // Consecutive tokens come from one sentence, or two adjacent ones.
        (span, self.doc.text[s..e].to_string())
    }

    fn words(&self) -> Vec<u64> {
        self.toks.iter().map(|&t| self.doc.tokens[t].word).collect()
    }
}

/// Word-level diff of an aligned group, and the share of words kept.
pub(crate) fn diff(a: &Side, b: &Side) -> (Vec<Edit>, f32) {
    let (wa, wb) = (a.words(), b.words());
    let ops = capture_diff_slices(Algorithm::Myers, &wa, &wb);
    let mut edits = Vec::new();
    let mut equal = 0usize;
    for op in ops {
        let (ar, br) = match op {
            DiffOp::Equal { len, .. } => {
                equal += len;
                continue;
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => ((old_index, old_index + old_len), (0, 0)),
            DiffOp::Insert {
                new_index, new_len, ..
            } => ((0, 0), (new_index, new_index + new_len)),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (
                (old_index, old_index + old_len),
                (new_index, new_index + new_len),
            ),
        };
        let side = |s: &Side, r: (usize, usize)| {
            if r.1 > r.0 {
                Some(s.slice(r.0, r.1))
            } else {
                None
            }
        };
        let (sa, sb) = (side(a, ar), side(b, br));
        let op = match (&sa, &sb) {
            (Some(_), Some(_)) => EditOp::Replace,
            (Some(_), None) => EditOp::Delete,
            _ => EditOp::Insert,
        };
        let (a_span, a_text) = sa.map_or((None, String::new()), |(s, t)| (Some(s), t));
        let (b_span, b_text) = sb.map_or((None, String::new()), |(s, t)| (Some(s), t));
        edits.push(Edit {
            op,
            a: a_span,
            b: b_span,
            a_text,
            b_text,
        });
    }
    let total = wa.len() + wb.len();
    let ratio = if total == 0 {
        1.0
    } else {
        2.0 * equal as f32 / total as f32
    };
    (edits, ratio)
}

/// Which tokens of each document are names, decided once per comparison.
///
/// A name is a capitalised word that is not a stopword, number, weekday or
/// month, and is never seen in lower case in either text. A word that opens
/// a sentence, or stands in a headline (where every word may be
/// capitalised), counts only if it is also seen capitalised mid-sentence, or
/// if its text opens a body sentence with it and holds it capitalised once
/// more (a sentence start or a headline): "Unocal said it raised ..." under
/// "UNOCAL RAISES ...", a company that only ever opens its sentences.
pub(crate) struct FactContext<'d> {
    pub names_a: Vec<bool>,
    pub names_b: Vec<bool>,
    /// Each text's dateline and byline ([`crate::dateline`]).
    lead_a: &'d Lead,
    lead_b: &'d Lead,
    /// Document token ranges of the dateline and byline: reported as one
    /// change each, so their words are no name, time or number facts.
    skip_a: &'d [(usize, usize)],
    skip_b: &'d [(usize, usize)],
}

/// What one text says about which of its words may be names, whatever it is compared
/// with (see [`FactContext`]); computed once per document ([`Document::name_hints`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct NameHints {
    /// Words seen in lower case (not capitalised, not numbers).
    lower: FastSet<u64>,
    /// Words seen capitalised (or as numbers) inside a body sentence, not at its start.
    capital_mid: FastSet<u64>,
    /// Capitalised words that open a body sentence and stand capitalised at a sentence
    /// start or in a headline at least twice.
    opens_again: FastSet<u64>,
}

impl NameHints {
    /// Whether the text uses `word` in lower case somewhere (then it is no name here).
    pub fn seen_lower(&self, word: u64) -> bool {
        self.lower.contains(&word)
    }

    pub fn of(d: &Document) -> NameHints {
        let mut lower = FastSet::with_capacity_and_hasher(d.tokens.len(), Default::default());
        let mut capital_mid = FastSet::default();
        for s in &d.sentences {
            for (k, t) in s.tokens(d).iter().enumerate() {
                if !t.is_capital() && !t.is_number() {
                    lower.insert(t.word);
                } else if k > 0 && !s.headline {
                    capital_mid.insert(t.word);
                }
            }
        }
        // Capitalised words at sentence starts and in headlines, counted, and those that
        // open a body sentence.
        let mut count: FastMap<u64, u32> = FastMap::default();
        let mut opens = FastSet::default();
        for s in &d.sentences {
            for (k, t) in s.tokens(d).iter().enumerate() {
                if t.is_capital() && (k == 0 || s.headline) {
                    *count.entry(t.word).or_insert(0) += 1;
                    if k == 0 && !s.headline {
                        opens.insert(t.word);
                    }
                }
            }
        }
        let opens_again = opens
            .into_iter()
            .filter(|w| count.get(w).is_some_and(|&n| n >= 2))
            .collect();
        NameHints {
            lower,
            capital_mid,
            opens_again,
        }
    }
}

/// A text's dateline and byline, and the document token ranges they cover; computed once
/// per document ([`Document::lead`]).
#[derive(Debug, Clone)]
pub(crate) struct LeadTokens {
    pub lead: Lead,
    skip: Vec<(usize, usize)>,
}

impl LeadTokens {
    pub fn of(d: &Document) -> LeadTokens {
        let lead = dateline::of_document(d);
        let skip = lead_tokens(d, &lead);
        LeadTokens { lead, skip }
    }
}

impl<'d> FactContext<'d> {
    /// A group's sides without the datelines and bylines, for its facts and their balance:
    /// a reprint's new dateline (another day, another place) is one `dateline_changed`,
    /// not facts in conflict.
    pub fn body<'s>(&self, a: &Side<'s>, b: &Side<'s>) -> (Side<'s>, Side<'s>) {
        (a.without(self.skip_a), b.without(self.skip_b))
    }

    /// Days from A's dateline date to B's, when both texts have a dated dateline and the
    /// difference is known (see [`dateline::LineDate::days_until`]).
    pub fn dateline_days(&self) -> Option<i64> {
        let date = |l: &Lead| l.dateline.as_ref()?.date;
        date(self.lead_a)?.days_until(&date(self.lead_b)?)
    }

    pub fn new(a: &'d Document, b: &'d Document) -> FactContext<'d> {
        // A word is lower case somewhere when either text writes it so; capitalised
        // mid-sentence likewise (the hints of each text are computed once per document).
        let (ha, hb) = (a.name_hints(), b.name_hints());
        let flags = |d: &Document, own: &NameHints| -> Vec<bool> {
            let mut out = vec![false; d.tokens.len()];
            for s in &d.sentences {
                for (k, t) in s.tokens(d).iter().enumerate() {
                    let initial = k == 0 || s.headline;
                    let plain = t.is_capital()
                        && !t.is_stop()
                        && !t.is_number()
                        && !ha.lower.contains(&t.word)
                        && !hb.lower.contains(&t.word);
                    out[s.tok_start + k] = plain
                        && (!initial
                            || ha.capital_mid.contains(&t.word)
                            || hb.capital_mid.contains(&t.word)
                            || own.opens_again.contains(&t.word))
                        && !is_calendar_word(t.word);
                }
            }
            out
        };
        let (la, lb) = (a.lead(), b.lead());
        FactContext {
            names_a: flags(a, ha),
            names_b: flags(b, hb),
            skip_a: &la.skip,
            skip_b: &lb.skip,
            lead_a: &la.lead,
            lead_b: &lb.lead,
        }
    }
}

/// The month a token names as a fact: a capitalised month name ("March"), or an
/// abbreviation written as one ("FEB", "Feb."), so that "VS 210 IN FEB" and "VS 210 IN
/// MARCH" name two months. A capitalised "Jan" or "Mar" alone may be a name or a word.
fn month_fact(doc: &Document, t: &Token) -> Option<u8> {
    let text = doc.token_text(t);
    if !text.starts_with(|c: char| c.is_uppercase()) {
        return None;
    }
    let month = dateline::month_of(text)?;
    let full = MONTHS.iter().any(|m| m.eq_ignore_ascii_case(text));
    let abbreviation =
        text.chars().all(|c| !c.is_lowercase()) || doc.text[t.end as usize..].starts_with('.');
    (full || abbreviation).then_some(month)
}

/// How often each word (folded key) occurs in a document, headlines included, and the
/// countries of the alias table it names in any spelling.
#[derive(Debug, Clone)]
pub(crate) struct Mentions {
    words: FastMap<u64, u32>,
    countries: FastSet<u16>,
}

impl Mentions {
    pub fn of(doc: &Document) -> Mentions {
        let mut words = FastMap::with_capacity_and_hasher(doc.tokens.len(), Default::default());
        for t in &doc.tokens {
            *words.entry(t.word).or_insert(0) += 1;
        }
        let keys: Vec<u64> = doc.tokens.iter().map(|t| t.word).collect();
        let mut countries = FastSet::default();
        for i in 0..keys.len() {
            if !aliases::in_table(keys[i]) {
                continue;
            }
            for n in 1..=aliases::MAX_WORDS.min(keys.len() - i) {
                if let Some(e) = aliases::entity(&keys[i..i + n]) {
                    countries.insert(e);
                }
            }
        }
        Mentions { words, countries }
    }

    pub(crate) fn get(&self, word: u64) -> u32 {
        self.words.get(&word).copied().unwrap_or(0)
    }

    /// Whether a word says nothing of its own about the subject against a text with these
    /// mentions: part of a country's name that this text names too in some spelling
    /// ("Iraqi" against "Iraq"), or a word of a longer country name ("United").
    fn same_country(&self, word: u64) -> bool {
        if !aliases::in_table(word) {
            return false;
        }
        aliases::entity(&[word]).is_none_or(|e| self.countries.contains(&e))
    }
}

/// Whether each side of an aligned group holds a content word (not a number) that the
/// other text never uses: "CHEMICAL" where the other has "MARINE MIDLAND". With the rest of
/// the wording common in the corpus, those words are the fill of a formula.
pub(crate) fn own_words(a: &Side, b: &Side, mentions_a: &Mentions, mentions_b: &Mentions) -> bool {
    let has_own = |s: &Side, other: &Mentions| {
        (0..s.toks.len()).any(|k| {
            let t = s.tok(k);
            t.is_content() && !t.is_number() && other.get(t.word) == 0
        })
    };
    has_own(a, mentions_b) && has_own(b, mentions_a)
}

/// A name each side of an aligned group repeats that the other text never uses: the
/// formula "Moody's said it downgraded the debt of Security Pacific Corp" filled in for
/// "Bankers Trust New York Corp". Each name's text and how often its text mentions it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SubjectSwap {
    pub a: (String, u32),
    pub b: (String, u32),
}

/// Mentions a name needs in its own text to be a subject there rather than a passing
/// mention.
const SUBJECT_MENTIONS: u32 = 2;

/// The subject swap in an aligned group (body sides, see [`FactContext::body`]), if any:
/// A's side holds a name word that A mentions at least [`SUBJECT_MENTIONS`] times and B
/// never, and B's side one that B repeats and A never. A country the other text names in
/// any spelling ([`aliases::in_table`]) and names spelt alike (an OCR slip, a variant
/// transliteration) are no swap; two different countries are. A copy, an update or a rewrite of one story keeps its
/// subject; the same sentence about another company is a formula filled in.
pub(crate) fn subject_swap(
    a: &Side,
    b: &Side,
    mentions_a: &Mentions,
    mentions_b: &Mentions,
) -> Option<SubjectSwap> {
    let x = own_name(a, mentions_a, mentions_b, SUBJECT_MENTIONS)?;
    let y = own_name(b, mentions_b, mentions_a, SUBJECT_MENTIONS)?;
    if spelt_alike(&x.0, &y.0) {
        return None;
    }
    Some(SubjectSwap { a: x, b: y })
}

/// The name on side `s` most mentioned in its own text (at least `min_mentions` times)
/// that the other text never uses: a mixed-case name word outside headlines, not a number,
/// a form of address, or a country the other text names in some spelling ("Iraqi" against
/// "Iraq", see [`Mentions::same_country`]). Its text and its mentions.
pub(crate) fn own_name(
    s: &Side,
    own: &Mentions,
    other: &Mentions,
    min_mentions: u32,
) -> Option<(String, u32)> {
    let mut best: Option<(u32, usize)> = None;
    for k in 0..s.toks.len() {
        let t = s.tok(k);
        if !s.is_name(k)
            || t.is_number()
            || other.get(t.word) > 0
            || other.same_country(t.word)
            || in_headline(s.doc, s.toks[k])
            || !s.doc.token_text(t).chars().any(|c| c.is_lowercase())
            || TITLES.contains(&fold(s.doc.token_text(t)).as_ref())
        {
            continue;
        }
        let n = own.get(t.word);
        if n >= min_mentions && best.is_none_or(|(m, _)| n > m) {
            best = Some((n, k));
        }
    }
    best.map(|(n, k)| (s.doc.token_text(s.tok(k)).to_string(), n))
}

/// Forms of address, which name no one by themselves.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "miss", "dr", "sir", "lord", "lady", "prof",
];

/// Whether document token `t` lies in a headline (whose capitals mark no names).
fn in_headline(d: &Document, t: usize) -> bool {
    d.sentences
        .iter()
        .find(|s| s.tok_start <= t && t < s.tok_end)
        .is_some_and(|s| s.headline)
}

/// Two words within an edit distance of a third of the longer one (case folded):
/// "Revere" and "Kevere", "Gaddafi" and "Qaddafi".
pub(crate) fn spelt_alike(x: &str, y: &str) -> bool {
    let x: Vec<char> = x.to_lowercase().chars().take(64).collect();
    let y: Vec<char> = y.to_lowercase().chars().take(64).collect();
    let longer = x.len().max(y.len());
    // Levenshtein, one row.
    let mut row: Vec<usize> = (0..=y.len()).collect();
    for (i, cx) in x.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cy) in y.iter().enumerate() {
            let next = (row[j + 1] + 1)
                .min(row[j] + 1)
                .min(diag + usize::from(cx != cy));
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[y.len()] * 3 <= longer
}

/// Document token ranges inside a text's dateline and byline.
fn lead_tokens(d: &Document, lead: &Lead) -> Vec<(usize, usize)> {
    let ranges = [
        lead.dateline.as_ref().map(|x| x.range.clone()),
        lead.byline.as_ref().map(|x| x.range.clone()),
    ];
    ranges
        .into_iter()
        .flatten()
        .map(|r| {
            let from = d.tokens.partition_point(|t| (t.start as usize) < r.start);
            let to = d.tokens.partition_point(|t| (t.end as usize) <= r.end);
            (from, to.max(from))
        })
        .collect()
}

/// A changed dateline or byline: one change each, put first. A side that has
/// none has no span and empty text. The change belongs to the alignment of the
/// sentence holding it (A's first, else B's), if that sentence is aligned.
pub(crate) fn lead_changes(
    cx: &FactContext,
    a: &Document,
    b: &Document,
    group_of_a: &[Option<usize>],
    group_of_b: &[Option<usize>],
    out: &mut Vec<Change>,
) {
    let part = |d: &Document, r: &std::ops::Range<usize>, span: Span| {
        let text = d.text.get(r.clone()).unwrap_or_default();
        (
            span,
            text.trim_end_matches(['-', '\u{2013}', '\u{2014}', ' '])
                .to_string(),
        )
    };
    let group = |d: &Document, groups: &[Option<usize>], x: Option<&std::ops::Range<usize>>| {
        let start = x?.start;
        let i = d.sentences.partition_point(|s| s.end <= start);
        groups.get(i).copied().flatten()
    };
    let mut found = Vec::new();
    let (da, db) = (cx.lead_a.dateline.as_ref(), cx.lead_b.dateline.as_ref());
    let dateline_differs = match (da, db) {
        (Some(x), Some(y)) => !x.same_as(y),
        (None, None) => false,
        _ => true,
    };
    if dateline_differs {
        let (ra, rb) = (da.map(|x| &x.range), db.map(|x| &x.range));
        let alignment = group(a, group_of_a, ra).or_else(|| group(b, group_of_b, rb));
        found.push(change(
            ChangeKind::DatelineChanged,
            da.map(|x| part(a, &x.range, x.span)),
            db.map(|x| part(b, &x.range, x.span)),
            alignment,
        ));
    }
    let (ba, bb) = (cx.lead_a.byline.as_ref(), cx.lead_b.byline.as_ref());
    let byline_differs = match (ba, bb) {
        (Some(x), Some(y)) => !x.name.eq_ignore_ascii_case(&y.name),
        (None, None) => false,
        _ => true,
    };
    if byline_differs {
        let (ra, rb) = (ba.map(|x| &x.range), bb.map(|x| &x.range));
        let alignment = group(a, group_of_a, ra).or_else(|| group(b, group_of_b, rb));
        found.push(change(
            ChangeKind::BylineChanged,
            ba.map(|x| part(a, &x.range, x.span)),
            bb.map(|x| part(b, &x.range, x.span)),
            alignment,
        ));
    }
    out.splice(0..0, found);
}

/// Facts that changed inside one aligned group.
/// `a` and `b` are [`FactContext::body`] sides: the dateline and byline are reported whole
/// by `lead_changes`.
pub(crate) fn facts(a: &Side, b: &Side, alignment: usize, out: &mut Vec<Change>) {
    let mut found = Vec::new();
    numbers(a, b, alignment, &mut found);
    times(a, b, alignment, &mut found);
    names(a, b, alignment, &mut found);
    clauses(a, b, alignment, &mut found);
    out.append(&mut found);
}

/// Words a deleted (or inserted) run needs to be a clause.
pub(crate) const CLAUSE_MIN_WORDS: usize = 4;

/// A dropped or added clause: a run of at least [`CLAUSE_MIN_WORDS`] adjacent
/// words that one side of the group has and the other lacks (a deletion, or a
/// replacement by at most a third as many words), holding at least one name,
/// number or time reported as removed (added). The clause replaces those
/// removals: "Since the Israeli war on Gaza began in October" → "since
/// October" is one `clause_removed` ("the Israeli war on Gaza began in"), not
/// "Israeli" and "Gaza" removed. A run without such a fact (a reworded
/// phrase) is left to the word edits.
fn clauses(a: &Side, b: &Side, alignment: usize, found: &mut Vec<Change>) {
    let (wa, wb) = (a.words(), b.words());
    let ops = capture_diff_slices(Algorithm::Myers, &wa, &wb);
    let mut runs: Vec<(bool, Span, String)> = Vec::new();
    for op in ops {
        let (del, ins) = match op {
            DiffOp::Delete {
                old_index, old_len, ..
            } => ((old_index, old_len), (0, 0)),
            DiffOp::Insert {
                new_index, new_len, ..
            } => ((0, 0), (new_index, new_len)),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => ((old_index, old_len), (new_index, new_len)),
            DiffOp::Equal { .. } => continue,
        };
        for (removed, s, (at, len), other_len) in [(true, a, del, ins.1), (false, b, ins, del.1)] {
            if len >= CLAUSE_MIN_WORDS && other_len * 3 <= len {
                for (from, to) in adjacent_runs(s, at, at + len) {
                    if to - from >= CLAUSE_MIN_WORDS {
                        let (span, text) = s.slice(from, to);
                        runs.push((removed, span, text));
                    }
                }
            }
        }
    }
    for (removed, span, text) in runs {
        use ChangeKind::*;
        let lost: &[ChangeKind] = if removed {
            &[NameRemoved, NumberRemoved, TimeRemoved]
        } else {
            &[NameAdded, NumberAdded, TimeAdded]
        };
        let inside = |c: &Change| {
            let at = if removed { c.a } else { c.b };
            lost.contains(&c.kind) && at.is_some_and(|x| span.start <= x.start && x.end <= span.end)
        };
        if !found.iter().any(inside) {
            continue;
        }
        found.retain(|c| !inside(c));
        let (kind, x) = (
            if removed { ClauseRemoved } else { ClauseAdded },
            Some((span, text)),
        );
        let (ca, cb) = if removed { (x, None) } else { (None, x) };
        found.push(change(kind, ca, cb, Some(alignment)));
    }
}

/// Local tokens `from..to` split where the document tokens are not adjacent
/// (a skipped dateline, or a sentence of the group left out).
fn adjacent_runs(s: &Side, from: usize, to: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = from;
    for k in from..to {
        if k + 1 == to || s.toks[k + 1] != s.toks[k] + 1 {
            out.push((start, k + 1));
            start = k + 1;
        }
    }
    out
}

/// How the distinctive facts of an aligned group compare: numbers and names
/// that both sides state identically (`agree`), and those that each side
/// states differently (`conflict`: a fact only A has paired with one only B
/// has, i.e. a substitution). A rewrite keeps most of its facts; two stories
/// written from one template ("Treasury balances rose to 3.4 billion dlrs")
/// share every word but the facts.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct FactBalance {
    pub agree: u32,
    pub conflict: u32,
    /// Of those, numbers only.
    pub num_agree: u32,
    pub num_conflict: u32,
    /// Month names (capitalised), apart from the facts above: a recurring report's issues
    /// name other months.
    pub month_agree: u32,
    pub month_conflict: u32,
}

impl FactBalance {
    /// Share of conflicting facts, with one agreeing fact assumed a priori:
    /// a single changed number is not yet evidence of a different story.
    pub fn conflict_share(&self) -> f32 {
        self.conflict as f32 / (self.agree + self.conflict + 1) as f32
    }
}

pub(crate) fn fact_balance(a: &Side, b: &Side) -> FactBalance {
    // Keys: folded words of each number or run of name words, deduplicated
    // (a repeated name is one fact). Numbers and names are kept apart so that
    // a number never "agrees" with a name.
    // Sorted and deduplicated vectors: a group holds few facts, so sorting them costs less
    // than hashing them into sets.
    let keys = |s: &Side| -> (Vec<u64>, Vec<u64>, Vec<u64>) {
        let (mut nums, mut names) = (Vec::new(), Vec::new());
        let mut months = Vec::new();
        let mut k = 0;
        while k < s.toks.len() {
            let t = s.tok(k);
            // `month_fact` asks for a capital first, as the token's flag says.
            if t.is_capital() {
                if let Some(m) = month_fact(s.doc, t) {
                    months.push(m as u64);
                }
            }
            if t.is_number() {
                // "7-5/8", "9:30", "1986/87" are one fact, not three small
                // numbers that agree by chance.
                let mut key = t.word;
                let from = k;
                while k + 1 < s.toks.len() && s.toks[k + 1] == s.toks[k] + 1 && {
                    let (x, y) = (s.tok(k), s.tok(k + 1));
                    y.is_number()
                        && matches!(
                            &s.doc.text[x.end as usize..y.start as usize],
                            "-" | "/" | "." | ":"
                        )
                } {
                    k += 1;
                    key = key.rotate_left(23) ^ s.tok(k).word;
                }
                if k > from || !s.doc.token_text(t).eq_ignore_ascii_case("one") {
                    nums.push(key);
                }
            } else if s.is_name(k) {
                // A run of name words is one fact: "First Boston Corp" agreeing is one
                // agreement, not three, so a template's institution names cannot outvote
                // its differing figures.
                // Adjacent name words join even across a comma: "Kidder, Peabody and Co"
                // is one firm. (A reordered list of names then reads as a conflict; joining
                // only across spaces, as `name_phrases` does, let 85 more Reuters template
                // pairs through, 5 of 6 sampled ones templates.)
                let mut key = t.word;
                while k + 1 < s.toks.len() && s.toks[k + 1] == s.toks[k] + 1 && s.is_name(k + 1) {
                    k += 1;
                    key = key.rotate_left(23) ^ s.tok(k).word;
                }
                names.push(key);
            }
            k += 1;
        }
        for v in [&mut nums, &mut names, &mut months] {
            v.sort_unstable();
            v.dedup();
        }
        (nums, names, months)
    };
    // Keys both sorted, distinct lists hold.
    let common = |x: &[u64], y: &[u64]| -> u32 {
        let (mut i, mut j, mut n) = (0, 0, 0u32);
        while i < x.len() && j < y.len() {
            match x[i].cmp(&y[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    n += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        n
    };
    let (na, ma, ta) = keys(a);
    let (nb, mb, tb) = keys(b);
    let mut out = FactBalance::default();
    let both = common(&ta, &tb);
    out.month_agree = both;
    out.month_conflict = (ta.len() as u32 - both).min(tb.len() as u32 - both);
    for (numbers, x, y) in [(true, &na, &nb), (false, &ma, &mb)] {
        let both = common(x, y);
        let conflict = (x.len() as u32 - both).min(y.len() as u32 - both);
        out.agree += both;
        out.conflict += conflict;
        if numbers {
            out.num_agree = both;
            out.num_conflict = conflict;
        }
    }
    out
}

fn change(
    kind: ChangeKind,
    a: Option<(Span, String)>,
    b: Option<(Span, String)>,
    alignment: Option<usize>,
) -> Change {
    let (a_span, a_text) = a.map_or((None, String::new()), |(s, t)| (Some(s), t));
    let (b_span, b_text) = b.map_or((None, String::new()), |(s, t)| (Some(s), t));
    Change {
        kind,
        a: a_span,
        b: b_span,
        a_text,
        b_text,
        alignment,
    }
}

/// Items only one side has, paired in order: pairs are changes, the rest
/// removals or additions.
fn pair_up(
    a_only: Vec<(Span, String)>,
    b_only: Vec<(Span, String)>,
    kinds: (ChangeKind, ChangeKind, ChangeKind),
    alignment: usize,
    out: &mut Vec<Change>,
) {
    let (changed, removed, added) = kinds;
    let mut ia = a_only.into_iter();
    let mut ib = b_only.into_iter();
    loop {
        match (ia.next(), ib.next()) {
            (Some(x), Some(y)) => out.push(change(changed, Some(x), Some(y), Some(alignment))),
            (Some(x), None) => out.push(change(removed, Some(x), None, Some(alignment))),
            (None, Some(y)) => out.push(change(added, None, Some(y), Some(alignment))),
            (None, None) => break,
        }
    }
}

/// Items of `xs` whose key is not matched in `ys` (multiset difference,
/// order kept).
fn unmatched<K: Eq + std::hash::Hash + Clone, T>(xs: Vec<(K, T)>, ys: &[(K, T)]) -> Vec<T> {
    let mut pool: FastMap<K, usize> = FastMap::default();
    for (k, _) in ys {
        *pool.entry(k.clone()).or_default() += 1;
    }
    xs.into_iter()
        .filter(|(k, _)| match pool.get_mut(k) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .map(|(_, t)| t)
        .collect()
}

fn numbers(a: &Side, b: &Side, alignment: usize, out: &mut Vec<Change>) {
    let collect = |s: &Side| -> Vec<(u64, (Span, String))> {
        // Numbers inside dates are reported with the date.
        let in_time: FastSet<usize> = time_exprs(s)
            .into_iter()
            .flat_map(|t| t.from..t.to)
            .collect();
        (0..s.toks.len())
            .filter(|&k| {
                let t = s.tok(k);
                // "one" is mostly a pronoun: only digits and larger number words count.
                t.is_number()
                    && !in_time.contains(&k)
                    && !s.doc.token_text(t).eq_ignore_ascii_case("one")
            })
            .map(|k| (s.tok(k).word, s.slice(k, k + 1)))
            .collect()
    };
    let (na, nb) = (collect(a), collect(b));
    let a_only = unmatched(na.clone(), &nb);
    let b_only = unmatched(nb, &na);
    use ChangeKind::*;
    pair_up(
        a_only,
        b_only,
        (NumberChanged, NumberRemoved, NumberAdded),
        alignment,
        out,
    );
}

/// Whether a word's key (the hash of its folded form, as a non-number token's `word` is)
/// is a weekday or month name. Compares keys, so a name candidate is not folded again.
fn is_calendar_word(word: u64) -> bool {
    static KEYS: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        WEEKDAYS
            .iter()
            .chain(MONTHS)
            .map(|w| xxhash_rust::xxh3::xxh3_64(w.as_bytes()))
            .collect()
    })
    .contains(&word)
}

/// Weekday names, folded (also read by `dateline`).
pub(crate) const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];
const MONTHS: &[&str] = &[
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
const PERIODS: &[&str] = &[
    "week",
    "month",
    "year",
    "weekend",
    "night",
    "morning",
    "evening",
    "afternoon",
    "day",
    "decade",
];
const VAGUE: &[&str] = &[
    "yesterday",
    "today",
    "tonight",
    "tomorrow",
    "recently",
    "recent",
    "previously",
    "earlier",
    "lately",
    "formerly",
    "later",
];

/// A time expression: its local token range and its comparison key.
#[derive(Debug, Clone)]
pub(crate) struct TimeExpr {
    pub from: usize,
    pub to: usize,
    pub key: String,
}

pub(crate) fn time_exprs(s: &Side) -> Vec<TimeExpr> {
    let words: Vec<String> = (0..s.toks.len())
        .map(|k| fold(s.doc.token_text(s.tok(k))).into_owned())
        .collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < words.len() {
        let w = words[k].as_str();
        let prev = if k > 0 { words[k - 1].as_str() } else { "" };
        let lead = matches!(
            prev,
            "on" | "last" | "next" | "this" | "early" | "late" | "since" | "until" | "by"
        );
        let from = if lead { k - 1 } else { k };
        if WEEKDAYS.contains(&w) {
            out.push(TimeExpr {
                from,
                to: k + 1,
                key: w.to_string(),
            });
        } else if MONTHS.contains(&w)
            && (w != "may" || s.tok(k).is_capital())
            && (w != "march" || s.tok(k).is_capital())
        {
            let mut to = k + 1;
            let mut key = w.to_string();
            while to < words.len() && to < k + 3 && s.tok(to).is_number() {
                key.push(' ');
                key.push_str(&words[to]);
                to += 1;
            }
            let start = if k > 0 && s.tok(k - 1).is_number() {
                k - 1
            } else {
                from
            };
            if start < k && s.tok(start).is_number() {
                key = format!("{} {}", words[start], key);
            }
            out.push(TimeExpr {
                from: start,
                to,
                key,
            });
        } else if VAGUE.contains(&w) {
            out.push(TimeExpr {
                from: k,
                to: k + 1,
                key: w.trim_end_matches("ly").to_string(),
            });
        } else if matches!(w, "last" | "this" | "next" | "past")
            && k + 1 < words.len()
            && PERIODS.contains(&words[k + 1].as_str())
        {
            out.push(TimeExpr {
                from: k,
                to: k + 2,
                key: format!("{w} {}", words[k + 1]),
            });
            k += 2;
            continue;
        } else if w == "ago" && k >= 2 && s.tok(k - 2).is_number() {
            out.push(TimeExpr {
                from: k - 2,
                to: k + 1,
                key: format!("{} {} ago", words[k - 2], words[k - 1]),
            });
        }
        k += 1;
    }
    out
}

fn times(a: &Side, b: &Side, alignment: usize, out: &mut Vec<Change>) {
    let collect = |s: &Side| -> Vec<(String, (Span, String))> {
        time_exprs(s)
            .into_iter()
            .map(|t| (t.key, s.slice(t.from, t.to)))
            .collect()
    };
    let (ta, tb) = (collect(a), collect(b));
    let a_only = unmatched(ta.clone(), &tb);
    let b_only = unmatched(tb, &ta);
    use ChangeKind::*;
    pair_up(
        a_only,
        b_only,
        (TimeChanged, TimeRemoved, TimeAdded),
        alignment,
        out,
    );
}

/// Entities named in local tokens `from..to` (see [`crate::aliases`]): greedy
/// longest matches starting at a capitalised word, as `(from, to, entity)`.
fn entities<'s>(
    s: &'s Side,
    from: usize,
    to: usize,
) -> impl Iterator<Item = (usize, usize, u16)> + 's {
    let mut k = from;
    std::iter::from_fn(move || {
        while k < to {
            let start = k;
            k += 1;
            if !s.tok(start).is_capital() {
                continue;
            }
            // Words of one alias are adjacent, with only spaces or hyphens between.
            let mut end = start + 1;
            while end < to && end - start < aliases::MAX_WORDS && names_joined(s, end - 1) {
                end += 1;
            }
            let mut words: Vec<u64> = (start..end).map(|i| s.tok(i).word).collect();
            while !words.is_empty() {
                if let Some(id) = aliases::entity(&words) {
                    k = start + words.len();
                    return Some((start, k, id));
                }
                words.pop();
            }
        }
        None
    })
}

/// Name phrases: runs of consecutive name tokens, as local token ranges.
/// Whether local tokens `k` and `k + 1` are adjacent words of one name: only spaces,
/// hyphens or apostrophes between them (a comma ends a name: "Britain, France").
fn names_joined(s: &Side, k: usize) -> bool {
    let (x, y) = (s.tok(k), s.tok(k + 1));
    s.toks[k + 1] == s.toks[k] + 1
        && s.doc.text[x.end as usize..y.start as usize]
            .chars()
            .all(|c| c == ' ' || c == '-' || c == '\'' || c == '\u{2019}')
}

fn name_phrases(s: &Side) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < s.toks.len() {
        if s.is_name(k) {
            let from = k;
            while k + 1 < s.toks.len() && s.is_name(k + 1) && names_joined(s, k) {
                k += 1;
            }
            out.push((from, k + 1));
        }
        k += 1;
    }
    out
}

fn names(a: &Side, b: &Side, alignment: usize, out: &mut Vec<Change>) {
    // Names modified in place: a short run of plain words inserted or
    // deleted right next to a name that both sides keep.
    let (wa, wb) = (a.words(), b.words());
    let ops = capture_diff_slices(Algorithm::Myers, &wa, &wb);
    for (n, op) in ops.iter().enumerate() {
        let (side_del, range, other_at) = match *op {
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => (false, (new_index, new_index + new_len), old_index),
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => (true, (old_index, old_index + old_len), new_index),
            _ => continue,
        };
        let (s, o) = if side_del { (a, b) } else { (b, a) };
        if range.1 - range.0 > 2
            || (range.0..range.1)
                .any(|k| s.is_name(k) || s.tok(k).is_stop() || s.tok(k).is_number())
        {
            continue;
        }
        // Only spaces may separate the edit from the name: no sentence or
        // clause boundary.
        let spaced = |k: usize| {
            let (x, y) = (s.tok(k), s.tok(k + 1));
            s.toks[k + 1] == s.toks[k] + 1
                && s.doc.text[x.end as usize..y.start as usize]
                    .chars()
                    .all(char::is_whitespace)
        };
        let prev_equal = n > 0 && matches!(ops[n - 1], DiffOp::Equal { .. });
        let next_equal = matches!(ops.get(n + 1), Some(DiffOp::Equal { .. }));
        // The name right before or right after the edit, on both sides.
        let (name_s, name_o) = if prev_equal
            && range.0 > 0
            && s.is_name(range.0 - 1)
            && other_at > 0
            && spaced(range.0 - 1)
        {
            (range.0 - 1, other_at - 1)
        } else if next_equal
            && range.1 < s.toks.len()
            && s.is_name(range.1)
            && other_at < o.toks.len()
            && spaced(range.1 - 1)
        {
            (range.1, other_at)
        } else {
            continue;
        };
        let (s_from, s_to) = (range.0.min(name_s), range.1.max(name_s + 1));
        let (sx, ox) = (s.slice(s_from, s_to), o.slice(name_o, name_o + 1));
        let (ca, cb) = if side_del { (sx, ox) } else { (ox, sx) };
        out.push(change(
            ChangeKind::NameChanged,
            Some(ca),
            Some(cb),
            Some(alignment),
        ));
    }
    // Names present on one side only. A name is kept when any of its words
    // (by stem) or the entity it names (an alias or demonym: "U.S." for
    // "United States", "Iraqi" for "Iraq") is on the other side. A name repeated
    // in the group is reported once.
    let stems = |s: &Side| -> FastSet<u64> { (0..s.toks.len()).map(|k| s.tok(k).stem).collect() };
    let ids = |s: &Side| -> FastSet<u16> { entities(s, 0, s.toks.len()).map(|e| e.2).collect() };
    let (sa, sb) = (stems(a), stems(b));
    let (ia, ib) = (ids(a), ids(b));
    for (s, other, other_ids, kind) in [
        (a, &sb, &ib, ChangeKind::NameRemoved),
        (b, &sa, &ia, ChangeKind::NameAdded),
    ] {
        let mut reported: FastSet<u64> = FastSet::default();
        for (from, to) in name_phrases(s) {
            let kept = (from..to).any(|k| other.contains(&s.tok(k).stem))
                || entities(s, from, to).any(|e| other_ids.contains(&e.2));
            let key = aliases::phrase_key((from..to).map(|k| s.tok(k).word));
            if !kept && reported.insert(key) {
                let x = s.slice(from, to);
                let (ca, cb) = if kind == ChangeKind::NameRemoved {
                    (Some(x), None)
                } else {
                    (None, Some(x))
                };
                out.push(change(kind, ca, cb, Some(alignment)));
            }
        }
    }
}

/// A quotation: the token range of its words.
fn quotes(doc: &Document) -> Vec<(usize, usize)> {
    let text = &doc.text;
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        let close_here = match c {
            '\u{201C}' | '\u{AB}' | '\u{201E}' => {
                open = Some(i);
                false
            }
            '\u{201D}' | '\u{BB}' => open.is_some(),
            '"' => {
                if open.is_some() {
                    true
                } else {
                    open = Some(i);
                    false
                }
            }
            '\n' => {
                open = None;
                false
            }
            _ => false,
        };
        if close_here {
            if let Some(s) = open.take() {
                let from = doc.tokens.partition_point(|t| (t.start as usize) < s);
                let to = doc.tokens.partition_point(|t| (t.end as usize) <= i);
                if to >= from + 3 {
                    out.push((from, to));
                }
            }
        }
        if out.len() >= 500 {
            break;
        }
    }
    out
}

/// Where a quote's words occur verbatim in `doc`, if anywhere.
fn find_words(doc: &Document, words: &[u64], starts: &FastMap<u64, Vec<usize>>) -> Option<usize> {
    starts.get(&words[0])?.iter().copied().find(|&i| {
        i + words.len() <= doc.tokens.len()
            && doc.tokens[i..i + words.len()]
                .iter()
                .zip(words)
                .all(|(t, w)| t.word == *w)
    })
}

/// Quotations kept, altered, removed or added, over the whole texts.
/// `sentence_group_*` give each sentence's alignment index.
pub(crate) fn quote_changes(
    a: &Document,
    b: &Document,
    group_of_a: &[Option<usize>],
    group_of_b: &[Option<usize>],
    out: &mut Vec<Change>,
) {
    let (qa, qb) = (quotes(a), quotes(b));
    let starts = |d: &Document| {
        let mut m: FastMap<u64, Vec<usize>> = FastMap::default();
        for (i, t) in d.tokens.iter().enumerate() {
            let list = m.entry(t.word).or_default();
            if list.len() < 64 {
                list.push(i);
            }
        }
        m
    };
    let (sa, sb) = (starts(a), starts(b));
    let sentence_of = |d: &Document, tok: usize| d.sentences.partition_point(|s| s.tok_end <= tok);
    let slice = |d: &Document, r: (usize, usize)| -> (Span, String) {
        let (s, e) = (d.tokens[r.0].start as usize, d.tokens[r.1 - 1].end as usize);
        (d.token_span(r.0, r.1), d.text[s..e].to_string())
    };
    let words = |d: &Document, r: (usize, usize)| -> Vec<u64> {
        d.tokens[r.0..r.1].iter().map(|t| t.word).collect()
    };
    let mut b_matched = vec![false; qb.len()];
    for &ra in &qa {
        let wa = words(a, ra);
        let ga = group_of_a.get(sentence_of(a, ra.0)).copied().flatten();
        if let Some(i) = find_words(b, &wa, &sb) {
            let rb = (i, i + wa.len());
            for (k, &q) in qb.iter().enumerate() {
                if q.0 < rb.1 && rb.0 < q.1 {
                    b_matched[k] = true;
                }
            }
            out.push(change(
                ChangeKind::QuoteKept,
                Some(slice(a, ra)),
                Some(slice(b, rb)),
                ga,
            ));
            continue;
        }
        // The closest quote of B in the aligned sentences.
        let mut best: Option<(f32, usize)> = None;
        for (k, &rb) in qb.iter().enumerate() {
            let gb = group_of_b.get(sentence_of(b, rb.0)).copied().flatten();
            if ga.is_none() || gb != ga {
                continue;
            }
            let wb = words(b, rb);
            let ops = capture_diff_slices(Algorithm::Myers, &wa, &wb);
            let eq: usize = ops
                .iter()
                .map(|o| {
                    if let DiffOp::Equal { len, .. } = o {
                        *len
                    } else {
                        0
                    }
                })
                .sum();
            let r = 2.0 * eq as f32 / (wa.len() + wb.len()) as f32;
            if r >= 0.5 && best.is_none_or(|(x, _)| r > x) {
                best = Some((r, k));
            }
        }
        if let Some((_, k)) = best {
            b_matched[k] = true;
            out.push(change(
                ChangeKind::QuoteAltered,
                Some(slice(a, ra)),
                Some(slice(b, qb[k])),
                ga,
            ));
        } else if ga.is_some() {
            out.push(change(
                ChangeKind::QuoteRemoved,
                Some(slice(a, ra)),
                None,
                ga,
            ));
        }
    }
    for (k, &rb) in qb.iter().enumerate() {
        if b_matched[k] {
            continue;
        }
        let wb = words(b, rb);
        let gb = group_of_b.get(sentence_of(b, rb.0)).copied().flatten();
        if let Some(i) = find_words(a, &wb, &sa) {
            // Quoted in B, unquoted but verbatim in A.
            let already = qa.iter().any(|&q| q.0 <= i && i + wb.len() <= q.1);
            if !already {
                out.push(change(
                    ChangeKind::QuoteKept,
                    Some(slice(a, (i, i + wb.len()))),
                    Some(slice(b, rb)),
                    gb,
                ));
            }
        } else if gb.is_some() {
            out.push(change(ChangeKind::QuoteAdded, None, Some(slice(b, rb)), gb));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays_and_months_are_not_names() {
        let d = Document::from_text(
            "a",
            "Officials met Moscow envoys on Tuesday in March, and Lavrov spoke.",
        );
        let cx = FactContext::new(&d, &d);
        let named: Vec<&str> = d
            .tokens
            .iter()
            .zip(&cx.names_a)
            .filter(|(_, &n)| n)
            .map(|(t, _)| d.token_text(t))
            .collect();
        assert_eq!(named, ["Moscow", "Lavrov"]);
    }

    /// The facts of two texts compared as one aligned group, with the dateline
    /// and byline changes first.
    fn group_changes(a: &str, b: &str) -> Vec<Change> {
        let (da, db) = (Document::from_text("a", a), Document::from_text("b", b));
        let cx = FactContext::new(&da, &db);
        let all = |d: &Document| (0..d.sentences.len()).collect::<Vec<_>>();
        let sa = Side::of_sentences(&da, &cx.names_a, &all(&da));
        let sb = Side::of_sentences(&db, &cx.names_b, &all(&db));
        let mut out = Vec::new();
        let (ba, bb) = cx.body(&sa, &sb);
        facts(&ba, &bb, 0, &mut out);
        let (ga, gb) = (
            vec![Some(0); da.sentences.len()],
            vec![Some(0); db.sentences.len()],
        );
        lead_changes(&cx, &da, &db, &ga, &gb, &mut out);
        out
    }

    fn kinds(changes: &[Change], kind: ChangeKind) -> Vec<(&str, &str)> {
        changes
            .iter()
            .filter(|c| c.kind == kind)
            .map(|c| (c.a_text.as_str(), c.b_text.as_str()))
            .collect()
    }

    fn names_only(changes: &[Change]) -> Vec<(&str, &str)> {
        let mut v = kinds(changes, ChangeKind::NameRemoved);
        v.extend(kinds(changes, ChangeKind::NameAdded));
        v
    }

    #[test]
    fn aliases_and_demonyms_are_no_name_changes() {
        let c = group_changes(
            "Officials in Oslo said U.S. troops crossed from Iraq into the hills near Tal Afar.",
            "Officials in Oslo said United States troops crossed from the Iraqi side into the hills near Tal Afar.",
        );
        assert!(names_only(&c).is_empty(), "{c:#?}");
        let c = group_changes(
            "Britain will send a trade envoy to Kyoto, the government in Oslo said.",
            "The UK will send a trade envoy to Kyoto, the British government in Oslo said.",
        );
        assert!(names_only(&c).is_empty(), "{c:#?}");
    }

    #[test]
    fn a_different_country_is_still_a_change() {
        let c = group_changes(
            "Officials in Oslo said troops crossed from Iraq into the hills near Tal Afar.",
            "Officials in Oslo said troops crossed from Iran into the hills near Tal Afar.",
        );
        assert_eq!(
            kinds(&c, ChangeKind::NameRemoved),
            vec![("Iraq", "")],
            "{c:#?}"
        );
        assert_eq!(
            kinds(&c, ChangeKind::NameAdded),
            vec![("", "Iran")],
            "{c:#?}"
        );
    }

    #[test]
    fn a_name_repeated_in_a_group_is_reported_once() {
        let c = group_changes(
            "The Valdren council met in Valdren hall. Valdren voters were told on the radio.",
            "The council met in the town hall. Voters were told on the radio.",
        );
        assert_eq!(
            kinds(&c, ChangeKind::NameRemoved),
            vec![("Valdren", "")],
            "{c:#?}"
        );
    }

    #[test]
    fn a_dropped_clause_is_one_change_holding_its_names() {
        let c = group_changes(
            "Since the Marovian war on Kestra began in October, rebel groups in Tallis have attacked the convoys.",
            "Tensions have risen since October, with rebel groups in Tallis having attacked the convoys.",
        );
        assert_eq!(
            kinds(&c, ChangeKind::ClauseRemoved),
            vec![("the Marovian war on Kestra began in", "")],
            "{c:#?}"
        );
        assert!(names_only(&c).is_empty(), "{c:#?}");
    }

    #[test]
    fn an_added_clause_mirrors_a_dropped_one() {
        let c = group_changes(
            "Rebel groups in Tallis have attacked the convoys since October.",
            "Rebel groups in Tallis, backed by fighters from Kestra and Marovia, have attacked the convoys since October.",
        );
        let added = kinds(&c, ChangeKind::ClauseAdded);
        assert_eq!(added.len(), 1, "{c:#?}");
        assert!(added[0].1.contains("Kestra and Marovia"), "{c:#?}");
        assert!(names_only(&c).is_empty(), "{c:#?}");
    }

    #[test]
    fn short_or_factless_deletions_are_no_clauses() {
        // Two words dropped around a name: a name removal, not a clause.
        let c = group_changes(
            "The minister flew to Kestra on a cargo plane with the aid workers.",
            "The minister flew on a cargo plane with the aid workers.",
        );
        assert!(kinds(&c, ChangeKind::ClauseRemoved).is_empty(), "{c:#?}");
        assert_eq!(kinds(&c, ChangeKind::NameRemoved), vec![("Kestra", "")]);
        // A long deletion without a name, number or time is left to the word edits.
        let c = group_changes(
            "The minister, who looked tired and spoke quietly to the crowd, flew home.",
            "The minister flew home.",
        );
        assert!(c.is_empty(), "{c:#?}");
    }

    #[test]
    fn a_changed_dateline_is_one_change_and_its_words_no_facts() {
        let c = group_changes(
            "Headline about the port\nBaghdad, February 9 (RHC)-- The port of Umm Qasr reopened after repairs.",
            "Headline about the port\nTEHRAN (Tasnim) - The port of Umm Qasr reopened after repairs.",
        );
        assert_eq!(
            kinds(&c, ChangeKind::DatelineChanged),
            vec![("Baghdad, February 9 (RHC)", "TEHRAN (Tasnim)")],
            "{c:#?}"
        );
        assert_eq!(c.len(), 1, "only the dateline: {c:#?}");
        assert_eq!(c[0].alignment, Some(0));
        let same = group_changes(
            "LONDON, March 3 (Reuters) - The port of Umm Qasr reopened.",
            "LONDON, March 3 (Reuters) - The port of Umm Qasr reopened after repairs.",
        );
        assert!(
            kinds(&same, ChangeKind::DatelineChanged).is_empty(),
            "{same:#?}"
        );
        // A dateline only one text has: the other side is empty.
        let one = group_changes(
            "LONDON, March 3 (Reuters) - The port of Umm Qasr reopened.",
            "The port of Umm Qasr reopened.",
        );
        let d: Vec<_> = one
            .iter()
            .filter(|c| c.kind == ChangeKind::DatelineChanged)
            .collect();
        assert_eq!(d.len(), 1, "{one:#?}");
        assert!(d[0].a.is_some() && d[0].b.is_none() && d[0].b_text.is_empty());
        assert!(names_only(&one).is_empty() && kinds(&one, ChangeKind::TimeRemoved).is_empty());
    }

    #[test]
    fn a_changed_byline_is_one_change() {
        let c = group_changes(
            "By Jane Doe\nThe port of Umm Qasr reopened after repairs.",
            "By John Roe\nThe port of Umm Qasr reopened after repairs.",
        );
        assert_eq!(kinds(&c, ChangeKind::BylineChanged).len(), 1, "{c:#?}");
        assert!(names_only(&c).is_empty(), "{c:#?}");
    }
}
