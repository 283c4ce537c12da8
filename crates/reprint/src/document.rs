//! A document: original bytes decoded and repaired, split into sentences and
//! tokens, with every position mappable back to the input bytes.

use crate::error::{Error, Result};
use crate::normalize::{self, OffsetMap};
use crate::span::Span;
use crate::tokens::{Language, Token, Tokenizer};

/// The longest sentence, in words, before it is cut into pieces. Bounds the
/// cost of every per-sentence step on text without punctuation.
const MAX_SENTENCE_WORDS: usize = 120;

/// One sentence (or headline, or cut piece of an over-long sentence).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sentence {
    /// Byte range in the normalized text.
    pub start: usize,
    pub end: usize,
    /// Range into the document's tokens.
    pub tok_start: usize,
    pub tok_end: usize,
    /// A unit without closing punctuation on its own line: a headline,
    /// sub-headline or caption.
    pub headline: bool,
}

impl Sentence {
    pub fn tokens<'d>(&self, doc: &'d Document) -> &'d [Token] {
        &doc.tokens[self.tok_start..self.tok_end]
    }
    pub fn word_count(&self) -> usize {
        self.tok_end - self.tok_start
    }
}

/// An ingested text, ready to compare.
///
/// Build one with [`Document::from_bytes`] (files, which may be invalid UTF-8)
/// or [`Document::from_text`]. All spans a [`Comparison`](crate::Comparison)
/// reports are byte offsets into the bytes or text given here.
#[derive(Debug, Clone)]
pub struct Document {
    id: String,
    /// The input exactly as given: every reported span indexes into it.
    original: Box<[u8]>,
    decode_map: Option<OffsetMap>,
    repair_map: OffsetMap,
    /// The repaired text that tokens and sentences index into.
    pub(crate) text: String,
    pub(crate) tokens: Vec<Token>,
    pub(crate) sentences: Vec<Sentence>,
    pub(crate) lang: Language,
    warnings: Vec<String>,
    /// Word counts and countries named, computed once on first use: a scan compares one
    /// document with many others.
    mentions: std::sync::OnceLock<crate::changes::Mentions>,
    /// Dateline and byline, with the tokens they cover; computed once on first use.
    lead: std::sync::OnceLock<crate::changes::LeadTokens>,
    /// Which words may be names, as far as this text alone says; computed once on first use.
    name_hints: std::sync::OnceLock<crate::changes::NameHints>,
    /// Content stems per sentence and for the whole text; computed once on first use.
    stems: std::sync::OnceLock<crate::align::DocStems>,
}

impl Document {
    /// Ingests raw bytes. Invalid UTF-8 is replaced (with a warning, see
    /// [`Document::warnings`]); inputs without a word (empty, or only whitespace,
    /// punctuation or symbols), binary and UTF-16 inputs are errors naming `id`.
    pub fn from_bytes(id: impl Into<String>, bytes: &[u8]) -> Result<Document> {
        let id = id.into();
        let decoded = normalize::decode(&id, bytes)?;
        let doc = Document::build(
            id,
            bytes,
            decoded.text.as_str(),
            decoded.map,
            decoded.warnings,
            None,
        );
        if doc.tokens.is_empty() {
            return Err(Error::Empty { id: doc.id });
        }
        Ok(doc)
    }

    /// Ingests text. Never fails; an empty text yields a document with no
    /// sentences.
    pub fn from_text(id: impl Into<String>, text: &str) -> Document {
        Document::build(id.into(), text.as_bytes(), text, None, Vec::new(), None)
    }

    /// Like [`Document::from_text`] but analysed in English whatever the
    /// text looks like (useful for single sentences, where language
    /// detection is unreliable).
    pub(crate) fn from_text_english(id: impl Into<String>, text: &str) -> Document {
        Document::build(
            id.into(),
            text.as_bytes(),
            text,
            None,
            Vec::new(),
            Some(Language::ENGLISH),
        )
    }

    fn build(
        id: String,
        original: &[u8],
        decoded: &str,
        decode_map: Option<OffsetMap>,
        warnings: Vec<String>,
        lang: Option<Language>,
    ) -> Document {
        let (text, repair_map) = normalize::repair(decoded);
        let lang = lang.unwrap_or_else(|| Language::detect(&text));
        let tokens = Tokenizer::new(lang).tokenize(&text);
        let sentences = split_sentences(&text, &tokens, lang);
        Document {
            id,
            original: original.into(),
            decode_map,
            repair_map,
            text,
            tokens,
            sentences,
            lang,
            warnings,
            mentions: std::sync::OnceLock::new(),
            lead: std::sync::OnceLock::new(),
            name_hints: std::sync::OnceLock::new(),
            stems: std::sync::OnceLock::new(),
        }
    }

    /// How often each word occurs and the countries the text names ([`Mentions`]), cached.
    ///
    /// [`Mentions`]: crate::changes::Mentions
    pub(crate) fn mentions(&self) -> &crate::changes::Mentions {
        self.mentions
            .get_or_init(|| crate::changes::Mentions::of(self))
    }

    /// The dateline and byline ([`crate::dateline::of_document`]) and the tokens they
    /// cover, cached.
    pub(crate) fn lead(&self) -> &crate::changes::LeadTokens {
        self.lead
            .get_or_init(|| crate::changes::LeadTokens::of(self))
    }

    /// What this text alone says about which words may be names, cached.
    pub(crate) fn name_hints(&self) -> &crate::changes::NameHints {
        self.name_hints
            .get_or_init(|| crate::changes::NameHints::of(self))
    }

    /// Content stems of each sentence and of the whole text, cached.
    pub(crate) fn stems(&self) -> &crate::align::DocStems {
        self.stems.get_or_init(|| crate::align::DocStems::of(self))
    }

    /// The identifier given at ingest (usually a path or record id).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Length of the original input in bytes.
    pub fn input_len(&self) -> usize {
        self.original.len()
    }

    /// The input exactly as given (bytes before decoding and repair). Every
    /// [`Span`] a [`Comparison`](crate::Comparison) reports indexes into
    /// these bytes.
    pub fn original(&self) -> &[u8] {
        &self.original
    }

    /// Problems met while ingesting that did not stop it, such as invalid
    /// UTF-8 that was replaced.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The language the document was analysed in (an ISO 639-1 code, or
    /// `und` when unknown).
    pub fn language(&self) -> &'static str {
        self.lang.code
    }

    /// Number of words.
    pub fn word_count(&self) -> usize {
        self.tokens.len()
    }

    /// The spans of the document's sentences, in order, as byte offsets into
    /// the original input.
    pub fn sentence_spans(&self) -> Vec<Span> {
        self.sentences
            .iter()
            .map(|s| self.span(s.start, s.end))
            .collect()
    }

    /// The repaired text (lines unwrapped, hyphenation and page gaps closed).
    pub fn repaired_text(&self) -> &str {
        &self.text
    }

    /// Maps a range of the repaired text back to original input bytes.
    pub(crate) fn span(&self, start: usize, end: usize) -> Span {
        let (s, e) = (self.repair_map.start(start), self.repair_map.end(end));
        match &self.decode_map {
            None => Span::new(s, e),
            Some(m) => Span::new(m.start(s), m.end(e)),
        }
    }

    /// The original span of tokens `from..to` (token indices).
    pub(crate) fn token_span(&self, from: usize, to: usize) -> Span {
        debug_assert!(from < to && to <= self.tokens.len());
        self.span(
            self.tokens[from].start as usize,
            self.tokens[to - 1].end as usize,
        )
    }

    /// The repaired text of a token.
    pub(crate) fn token_text(&self, t: &Token) -> &str {
        &self.text[t.start as usize..t.end as usize]
    }

    /// The repaired text of sentence `i`.
    pub(crate) fn sentence_text(&self, i: usize) -> &str {
        let s = &self.sentences[i];
        &self.text[s.start..s.end]
    }

    #[cfg(test)]
    pub(crate) fn sentence_texts(&self) -> Vec<&str> {
        (0..self.sentences.len())
            .map(|i| self.sentence_text(i))
            .collect()
    }
}

const TERMINAL: &[char] = &['.', '!', '?', '\u{2026}', ':', ';'];
const CLOSING: &[char] = &['"', '\'', '\u{201D}', '\u{2019}', ')', ']', '\u{BB}'];

/// The longest piece of a line handed whole to the sentence splitter (sentencex takes
/// time superlinear in its input: a 5 MB line took 4 s, a 20 MB one 50 s).
const SPLIT_WINDOW: usize = 16 << 10;

/// Where a line is cut before sentence splitting: the ends of consecutive pieces of at most
/// [`SPLIT_WINDOW`] bytes (the last is `line.len()`). Each cut is chosen from the bytes
/// before it only, so a prefix of a line is cut the same way whatever follows it: after the
/// last sentence end (`.`, `!`, `?` then a space) in the second half of the window, else after
/// its last space, else at a character boundary.
fn windows(line: &str) -> impl Iterator<Item = usize> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        if from >= line.len() {
            return None;
        }
        if line.len() - from <= SPLIT_WINDOW {
            from = line.len();
            return Some(from);
        }
        let b = line.as_bytes();
        let (lo, hi) = (from + SPLIT_WINDOW / 2, from + SPLIT_WINDOW);
        let window = &b[lo..hi];
        let after_stop = window
            .windows(2)
            .rposition(|w| matches!(w[0], b'.' | b'!' | b'?') && w[1] == b' ')
            .map(|i| lo + i + 2);
        let after_space = || window.iter().rposition(|&c| c == b' ').map(|i| lo + i + 1);
        let mut cut = after_stop.or_else(after_space).unwrap_or(hi);
        while !line.is_char_boundary(cut) {
            cut -= 1;
        }
        from = cut;
        Some(cut)
    })
}

/// Splits repaired text into sentences: lines are hard boundaries (headlines,
/// paragraphs), and within a line sentencex finds sentence ends.
fn split_sentences(text: &str, tokens: &[Token], lang: Language) -> Vec<Sentence> {
    let mut spans: Vec<(usize, usize, bool)> = Vec::new();
    let mut line_start = 0;
    for line in text.split('\n') {
        let start = line_start;
        line_start += line.len() + 1;
        if line.trim().is_empty() {
            continue;
        }
        let headline = !line
            .trim_end()
            .trim_end_matches(CLOSING)
            .ends_with(TERMINAL);
        let first = spans.len();
        let mut from = 0;
        for to in windows(line) {
            let piece = &line[from..to];
            let bounds = sentencex::get_sentence_boundaries(lang.code, piece);
            if bounds.is_empty() {
                spans.push((start + from, start + to, headline));
            }
            for b in bounds {
                let (s, e) = (start + from + b.start_byte, start + from + b.end_byte);
                spans.push((s, e, headline));
            }
            from = to;
        }
        // A headline is one unit; a line of several sentences is not a headline.
        if spans.len() - first > 1 {
            for s in &mut spans[first..] {
                s.2 = false;
            }
        }
    }
    let mut out = Vec::with_capacity(spans.len());
    let mut t = 0;
    for (s, e, headline) in spans {
        // Trim whitespace from the span.
        let piece = &text[s..e];
        let s2 = s + (piece.len() - piece.trim_start().len());
        let e2 = s + piece.trim_end().len();
        if s2 >= e2 {
            continue;
        }
        while t < tokens.len() && (tokens[t].start as usize) < s2 {
            t += 1;
        }
        let tok_start = t;
        while t < tokens.len() && (tokens[t].end as usize) <= e2 {
            t += 1;
        }
        if t == tok_start {
            continue; // no words: punctuation, rules, page numbers.
        }
        // Cut over-long sentences into bounded pieces.
        let mut from = tok_start;
        while from < t {
            let to = (from + MAX_SENTENCE_WORDS).min(t);
            let (ps, pe) = if from == tok_start && to == t {
                (s2, e2)
            } else {
                let ps = if from == tok_start {
                    s2
                } else {
                    tokens[from].start as usize
                };
                let pe = if to == t {
                    e2
                } else {
                    tokens[to - 1].end as usize
                };
                (ps, pe)
            };
            out.push(Sentence {
                start: ps,
                end: pe,
                tok_start: from,
                tok_end: to,
                headline,
            });
            from = to;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_sentences_with_abbreviations_and_quotes() {
        let d = Document::from_text(
            "t",
            "Storm Hits Coast\nThe U.S. Navy said on Jan. 5 that Mr. Hale had left. \"We are ready,\" he said. Crews worked late.",
        );
        assert_eq!(
            d.sentence_texts(),
            vec![
                "Storm Hits Coast",
                "The U.S. Navy said on Jan. 5 that Mr. Hale had left.",
                "\"We are ready,\" he said.",
                "Crews worked late."
            ]
        );
        assert!(d.sentences[0].headline);
        assert!(!d.sentences[1].headline);
    }

    #[test]
    fn sentence_spans_point_into_the_input() {
        let input = "River Levels Rise\n\nThe river rose two\nmetres overnight, offi-\ncials said. Roads were closed.\n";
        let d = Document::from_bytes("t", input.as_bytes()).expect("text input");
        let spans = d.sentence_spans();
        let texts: Vec<&str> = spans.iter().map(|s| &input[s.start..s.end]).collect();
        assert_eq!(
            texts,
            vec![
                "River Levels Rise",
                "The river rose two\nmetres overnight, offi-\ncials said.",
                "Roads were closed."
            ]
        );
    }

    #[test]
    fn long_lines_are_windowed_the_same_whatever_follows() {
        let sentence = "The council met on Monday and voted to keep the ferry running. ";
        let long = sentence.repeat(2000);
        let cuts: Vec<usize> = windows(&long).collect();
        assert!(
            cuts.len() > 4,
            "{} bytes cut {} times",
            long.len(),
            cuts.len()
        );
        let mut from = 0;
        for &c in &cuts {
            assert!(c > from && c - from <= SPLIT_WINDOW);
            // Cut after a sentence end, never inside one.
            assert!(c == long.len() || long[..c].ends_with(". "), "{c}");
            from = c;
        }
        assert_eq!(cuts.last(), Some(&long.len()));
        // A prefix is split the same way as the whole line, up to the prefix's last window.
        let whole = Document::from_text("w", &long);
        let prefix = Document::from_text("p", &long[..long.len() / 2]);
        let n = prefix.sentences.len() - 1;
        assert_eq!(prefix.sentence_texts()[..n], whole.sentence_texts()[..n]);
        assert_eq!(whole.sentences.len(), 2000);

        // No space at all: cut at character boundaries.
        let solid = "é".repeat(40_000);
        let cuts: Vec<usize> = windows(&solid).collect();
        assert!(cuts.iter().all(|&c| solid.is_char_boundary(c)));
        assert_eq!(cuts.last(), Some(&solid.len()));
    }

    #[test]
    fn long_unpunctuated_text_is_cut() {
        let text = "word ".repeat(1000);
        let d = Document::from_text("t", &text);
        assert!(d
            .sentences
            .iter()
            .all(|s| s.word_count() <= MAX_SENTENCE_WORDS));
        assert_eq!(
            d.sentences.iter().map(|s| s.word_count()).sum::<usize>(),
            1000
        );
    }
}

#[cfg(test)]
mod seed_probe {
    #[test]
    #[ignore]
    fn print_seed_sentences() {
        for f in [
            "../../../shared/seeds/001_e6e6260c4204b6ff.txt",
            "../../../shared/seeds/000_779e8bc952f67749.txt",
        ] {
            let b = std::fs::read(f).unwrap();
            let d = super::Document::from_bytes(f, &b).unwrap();
            println!("== {f} lang={}", d.language());
            for (i, s) in d.sentence_texts().iter().enumerate() {
                println!(
                    "{i:2} {}{s}",
                    if d.sentences[i].headline { "[H] " } else { "" }
                );
            }
        }
    }
}
