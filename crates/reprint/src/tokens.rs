//! Words with byte spans, folded into comparable keys.
//!
//! Every word gets two 64-bit keys: `word`, its case-folded surface form with
//! number and abbreviation spellings unified ("2,500" = "2500", "U.S." =
//! "US", "three" = "3"), and `stem`, the word's stem in the document's
//! language. Keys are xxh3 hashes, stable across runs and machines.

use std::borrow::Cow;

use rust_stemmers::{Algorithm, Stemmer};

use crate::fasthash::FastMap;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;
use xxhash_rust::xxh3::xxh3_64;

/// Token flags.
pub(crate) const STOP: u8 = 1;
pub(crate) const NUMBER: u8 = 2;
pub(crate) const CAPITAL: u8 = 4;

/// One word of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    /// Byte offsets into the normalized text.
    pub start: u32,
    pub end: u32,
    /// Key of the folded surface form.
    pub word: u64,
    /// Key of the stem.
    pub stem: u64,
    pub flags: u8,
}

impl Token {
    pub fn is_stop(&self) -> bool {
        self.flags & STOP != 0
    }
    pub fn is_number(&self) -> bool {
        self.flags & NUMBER != 0
    }
    pub fn is_capital(&self) -> bool {
        self.flags & CAPITAL != 0
    }
    /// A word that carries content: not a stopword.
    pub fn is_content(&self) -> bool {
        !self.is_stop()
    }
}

/// The language a document is analysed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Language {
    /// ISO 639-1 code when known, else "und".
    pub code: &'static str,
    algorithm: Option<Algorithm>,
}

impl Language {
    pub const ENGLISH: Language = Language {
        code: "en",
        algorithm: Some(Algorithm::English),
    };

    /// Detects the language of `text`. Fast path: when the first
    /// [`MARKER_WINDOW`] words are at least [`MARKER_SHARE`] English-only
    /// function words ("the", "which", "were", ...), the text is English and
    /// whatlang is not run. Otherwise whatlang judges a prefix of at most
    /// [`DETECT_PREFIX`] bytes; unreliable detections fall back to English.
    pub fn detect(text: &str) -> Language {
        if looks_english(text) {
            return Language::ENGLISH;
        }
        let mut end = text.len().min(DETECT_PREFIX);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let Some(info) = whatlang::detect(&text[..end]) else {
            return Language::ENGLISH;
        };
        if !info.is_reliable() {
            return Language::ENGLISH;
        }
        use whatlang::Lang::*;
        let (code, algorithm) = match info.lang() {
            Eng => return Language::ENGLISH,
            Fra => ("fr", Some(Algorithm::French)),
            Deu => ("de", Some(Algorithm::German)),
            Spa => ("es", Some(Algorithm::Spanish)),
            Ita => ("it", Some(Algorithm::Italian)),
            Por => ("pt", Some(Algorithm::Portuguese)),
            Nld => ("nl", Some(Algorithm::Dutch)),
            Swe => ("sv", Some(Algorithm::Swedish)),
            Nob => ("no", Some(Algorithm::Norwegian)),
            Dan => ("da", Some(Algorithm::Danish)),
            Fin => ("fi", Some(Algorithm::Finnish)),
            Rus => ("ru", Some(Algorithm::Russian)),
            Ron => ("ro", Some(Algorithm::Romanian)),
            Hun => ("hu", Some(Algorithm::Hungarian)),
            Tur => ("tr", Some(Algorithm::Turkish)),
            Ara => ("ar", Some(Algorithm::Arabic)),
            Ell => ("el", Some(Algorithm::Greek)),
            Tam => ("ta", Some(Algorithm::Tamil)),
            Ind => ("id", None),
            Pol => ("pl", None),
            Ces => ("cs", None),
            Ukr => ("uk", None),
            Cmn => ("zh", None),
            Jpn => ("ja", None),
            Kor => ("ko", None),
            Hin => ("hi", None),
            Heb => ("he", None),
            Vie => ("vi", None),
            _ => ("und", None),
        };
        Language { code, algorithm }
    }

    pub fn is_english(&self) -> bool {
        self.code == "en"
    }
}

/// Bytes of text given to whatlang when the fast path does not decide.
const DETECT_PREFIX: usize = 1500;
/// Words the English fast path looks at, and the share of them that must be
/// English markers. Measured on the first 100 words of real news: BBC News
/// has a median share of 0.18 (10th percentile 0.13), Reuters 0.16, AG News
/// 0.13; Indonesian (PAN-ID) never more than 0.09. With 0.1, "the" among the
/// hits and at least 3 distinct markers, 98.5% of BBC articles, 68% of Reuters
/// items (many are tables or very short) and no Indonesian text pass.
const MARKER_WINDOW: usize = 100;
const MARKER_SHARE: f32 = 0.1;
const MARKER_MIN_WORDS: usize = 20;
const MARKER_MIN_DISTINCT: u32 = 3;

/// The English stopword fast path: ASCII-letter words of the first
/// [`MARKER_WINDOW`] words, how many are English markers, and which.
fn looks_english(text: &str) -> bool {
    let (mut words, mut hits) = (0usize, 0usize);
    let mut seen = 0u64;
    for w in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .take(MARKER_WINDOW)
    {
        words += 1;
        if w.len() <= 8 && w.is_ascii() {
            let lw = pack_word(w.as_bytes(), true);
            if let Ok(i) = PACKED_MARKERS.binary_search(&lw) {
                hits += 1;
                seen |= 1 << i;
            }
        }
    }
    let the = PACKED_MARKERS
        .binary_search(&pack_word(b"the", false))
        .is_ok_and(|i| seen & (1 << i) != 0);
    words >= MARKER_MIN_WORDS
        && hits as f32 >= MARKER_SHARE * words as f32
        && the
        && seen.count_ones() >= MARKER_MIN_DISTINCT
}

// Frequent English function words that are not common words of other
// languages written in Latin script ("a", "in", "is", "was", "to", "die"
// are left out). Sorted bytes; checked by a test.
const ENGLISH_MARKERS: &[&[u8]] = &[
    b"about", b"after", b"also", b"and", b"are", b"been", b"but", b"from", b"had", b"has", b"have",
    b"his", b"its", b"more", b"not", b"said", b"than", b"that", b"the", b"their", b"there",
    b"they", b"this", b"were", b"when", b"which", b"who", b"will", b"with", b"would",
];

/// A word of at most 8 bytes as a number, its bytes big-endian and zero-padded (lowercased
/// first when `lower`): the numbers sort as the words do, so a sorted word list stays sorted
/// and its binary search compares integers.
const fn pack_word(w: &[u8], lower: bool) -> u64 {
    let mut x = 0u64;
    let mut i = 0;
    while i < 8 {
        let b = if i < w.len() { w[i] } else { 0 };
        let b = if lower { b.to_ascii_lowercase() } else { b };
        x = (x << 8) | b as u64;
        i += 1;
    }
    x
}

/// [`ENGLISH_MARKERS`] packed ([`pack_word`]), in the same order.
const PACKED_MARKERS: [u64; ENGLISH_MARKERS.len()] = {
    let mut out = [0u64; ENGLISH_MARKERS.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = pack_word(ENGLISH_MARKERS[i], false);
        i += 1;
    }
    out
};

/// Longest markup tag looked for, in bytes: a longer `<...` is taken as text.
const MAX_TAG: usize = 600;

/// HTML element names, lower case, sorted (checked by a test): what a real tag is named.
const HTML_ELEMENTS: &[&[u8]] = &[
    b"a",
    b"abbr",
    b"address",
    b"area",
    b"article",
    b"aside",
    b"audio",
    b"b",
    b"base",
    b"bdi",
    b"bdo",
    b"big",
    b"blockquote",
    b"body",
    b"br",
    b"button",
    b"canvas",
    b"caption",
    b"center",
    b"cite",
    b"code",
    b"col",
    b"colgroup",
    b"data",
    b"datalist",
    b"dd",
    b"del",
    b"details",
    b"dfn",
    b"dialog",
    b"div",
    b"dl",
    b"dt",
    b"em",
    b"embed",
    b"fieldset",
    b"figcaption",
    b"figure",
    b"font",
    b"footer",
    b"form",
    b"frame",
    b"frameset",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"head",
    b"header",
    b"hr",
    b"html",
    b"i",
    b"iframe",
    b"img",
    b"input",
    b"ins",
    b"kbd",
    b"label",
    b"legend",
    b"li",
    b"link",
    b"main",
    b"map",
    b"mark",
    b"menu",
    b"meta",
    b"meter",
    b"nav",
    b"nobr",
    b"noscript",
    b"object",
    b"ol",
    b"optgroup",
    b"option",
    b"output",
    b"p",
    b"param",
    b"picture",
    b"pre",
    b"progress",
    b"q",
    b"rp",
    b"rt",
    b"ruby",
    b"s",
    b"samp",
    b"script",
    b"section",
    b"select",
    b"small",
    b"source",
    b"span",
    b"strike",
    b"strong",
    b"style",
    b"sub",
    b"summary",
    b"sup",
    b"svg",
    b"table",
    b"tbody",
    b"td",
    b"template",
    b"textarea",
    b"tfoot",
    b"th",
    b"thead",
    b"time",
    b"title",
    b"tr",
    b"track",
    b"tt",
    b"u",
    b"ul",
    b"var",
    b"video",
    b"wbr",
];

/// The length of the HTML tag or HTML-escaped tag that `b` starts with, if it starts with one:
/// `<` or `&lt;`, up to the matching `>` or `&gt;` within [`MAX_TAG`] bytes and before the
/// next opener (a tag holds no `<`), so text full of unclosed `<` costs each byte about one
/// look. Only real HTML is markup: a comment (`<!-- -->`), a declaration (`<!DOCTYPE html>`),
/// or an element named in [`HTML_ELEMENTS`] (case-insensitive) written as HTML writes it.
/// Reuters writes tickers and company names in angle brackets (`<TSCO.L>`, `<BP>`, `<U>`,
/// `<Video Display Corp>`); those are text. A tag of an element name is markup when it is a
/// closing tag (`</P>`), carries an attribute (`<A HREF=...>`), closes itself (`<br/>`), is
/// written in lower case (`<p>`), or is escaped (`&lt;B&gt;`: scraped HTML, never a ticker);
/// a bare upper-case `<P>` or `<DD>` is a ticker.
pub(crate) fn markup_len(b: &[u8]) -> Option<usize> {
    let (open, opener, close, escaped): (usize, &[u8], &[u8], bool) = match b.first()? {
        b'<' => (1, b"<", b">", false),
        b'&' if b.get(..4).is_some_and(|p| p.eq_ignore_ascii_case(b"&lt;")) => {
            (4, b"&lt;", b"&gt;", true)
        }
        _ => return None,
    };
    let first = *b.get(open)?;
    if !(first.is_ascii_alphabetic() || first == b'/' || first == b'!') {
        return None;
    }
    let window = &b[open..b.len().min(open + MAX_TAG)];
    if window.starts_with(b"!--") {
        let end: &[u8] = if escaped { b"--&gt;" } else { b"-->" };
        let at = window[3..].windows(end.len()).position(|w| w == end)?;
        return Some(open + 3 + at + end.len());
    }
    let mut inner_len = None;
    for (at, w) in window.windows(close.len()).enumerate() {
        if w.eq_ignore_ascii_case(close) {
            inner_len = Some(at);
            break;
        }
        if window[at..].len() >= opener.len()
            && window[at..at + opener.len()].eq_ignore_ascii_case(opener)
        {
            return None;
        }
    }
    let inner = &window[..inner_len?];
    let total = open + inner.len() + close.len();
    if inner.first() == Some(&b'!') {
        // `<!DOCTYPE ...>` and other declarations.
        return inner
            .get(1)
            .is_some_and(u8::is_ascii_alphabetic)
            .then_some(total);
    }
    let closing = inner.first() == Some(&b'/');
    let body = &inner[usize::from(closing)..];
    let name_len = body
        .iter()
        .position(|c| !c.is_ascii_alphanumeric())
        .unwrap_or(body.len());
    let (name, rest) = body.split_at(name_len);
    if name.is_empty() || name.len() > 10 || !name[0].is_ascii_alphabetic() {
        return None;
    }
    let mut lower = [0u8; 10];
    let lower = &mut lower[..name.len()];
    lower.copy_from_slice(name);
    lower.make_ascii_lowercase();
    if HTML_ELEMENTS.binary_search(&&*lower).is_err() {
        return None;
    }
    // After the name: nothing, attributes after a space, or a self-closing slash.
    let attributes = match rest.first() {
        None => false,
        Some(c) if c.is_ascii_whitespace() => true,
        Some(b'/') if rest[1..].iter().all(u8::is_ascii_whitespace) => {
            return Some(total);
        }
        Some(_) => return None,
    };
    let html_like = closing
        || escaped
        || (attributes && rest.contains(&b'='))
        || (!attributes && name.iter().all(|c| !c.is_ascii_uppercase()))
        || rest.ends_with(b"/");
    html_like.then_some(total)
}

/// Whether the word at `start..end` is the name of a character entity: `&amp;`, `&lt;`,
/// `&gt;`, `&quot;`, `&apos;`, `&nbsp;`, the digits of a numeric reference (`&#3;`, `&#39;`),
/// and AG News' `#39;` remnants (2 to 5 digits). "#1;" and "AT&T;" keep their words.
pub(crate) fn is_entity(bytes: &[u8], start: usize, end: usize) -> bool {
    if start == 0 || bytes.get(end) != Some(&b';') {
        return false;
    }
    let word = &bytes[start..end];
    match bytes[start - 1] {
        b'&' => [&b"amp"[..], b"lt", b"gt", b"quot", b"apos", b"nbsp"]
            .iter()
            .any(|e| word.eq_ignore_ascii_case(e)),
        b'#' => {
            let numeric = start >= 2 && bytes[start - 2] == b'&';
            let len = if numeric { 1..=7 } else { 2..=5 };
            len.contains(&word.len()) && word.iter().all(u8::is_ascii_digit)
        }
        _ => false,
    }
}

/// The end of the last markup span that starts in `bytes[from..upto]` and reaches past
/// `upto`, if any.
fn markup_before(bytes: &[u8], from: usize, upto: usize) -> Option<usize> {
    let mut i = from;
    let mut found = None;
    while i < upto {
        match bytes[i..upto].iter().position(|&c| c == b'<' || c == b'&') {
            None => break,
            Some(k) => {
                let at = i + k;
                match markup_len(&bytes[at..]) {
                    Some(n) => {
                        if at + n > upto {
                            found = Some(at + n);
                        }
                        i = at + n;
                    }
                    None => i = at + 1,
                }
            }
        }
    }
    found
}

/// Splits text into tokens and folds them into keys.
pub(crate) struct Tokenizer {
    lang: Language,
    stemmer: Option<Stemmer>,
    /// Mixed into stem-cache keys so languages do not share entries.
    lang_tag: u64,
}

/// Words' stems and stopword flags, per thread: Snowball stemming was a tenth of a corpus
/// scan's CPU time, and news repeats its vocabulary. Keyed by the hash of the folded word and
/// the language; cleared when full, so memory stays bounded.
const STEM_CACHE_MAX: usize = 1 << 17;

thread_local! {
    static STEM_CACHE: std::cell::RefCell<FastMap<u64, (u64, bool)>> =
        std::cell::RefCell::new(FastMap::default());
}

impl Tokenizer {
    pub fn new(lang: Language) -> Tokenizer {
        Tokenizer {
            lang,
            stemmer: lang.algorithm.map(Stemmer::create),
            lang_tag: xxh3_64(lang.code.as_bytes()),
        }
    }

    /// Word tokens of `text`. Markup is not words: HTML tags, HTML-escaped tags
    /// (`&lt;A HREF=...&gt;`) and character entities (`&amp;`, `&#39;`, and AG News'
    /// `#39;` remnants) yield no token, so a shared link or footer is no verbatim passage.
    /// Offsets still point into `text`.
    pub fn tokenize(&self, text: &str) -> Vec<Token> {
        let mut out = Vec::with_capacity(text.len() / 5);
        let bytes = text.as_bytes();
        // Markup starting before `scanned` has been found and skipped; each byte between
        // words is looked at once.
        let mut scanned = 0usize;
        for (start, raw) in text.unicode_word_indices() {
            if start < scanned {
                continue;
            }
            if let Some(end) = markup_before(bytes, scanned, start) {
                scanned = end;
                continue;
            }
            scanned = start + raw.len();
            if is_entity(bytes, start, start + raw.len()) {
                continue;
            }
            if let Some(tok) = self.token(start, raw) {
                out.push(tok);
            }
        }
        out
    }

    fn token(&self, start: usize, raw: &str) -> Option<Token> {
        let first = raw.chars().next()?;
        let mut flags = 0u8;
        if first.is_uppercase() {
            flags |= CAPITAL;
        }
        let folded = fold(raw);
        if folded.is_empty() {
            return None;
        }
        let (word, stem) = if let Some(n) = number_key(&folded) {
            flags |= NUMBER;
            let h = xxh3_64(n.as_bytes());
            (h, h)
        } else {
            let word = xxh3_64(folded.as_bytes());
            let (stem, stop) = self.stem_of(word, &folded);
            if stop {
                flags |= STOP;
            }
            (word, stem)
        };
        Some(Token {
            start: start as u32,
            end: (start + raw.len()) as u32,
            word,
            stem,
            flags,
        })
    }

    /// The stem hash and stopword flag of a folded word whose hash is `word`, from the
    /// thread's cache when it is there.
    fn stem_of(&self, word: u64, folded: &str) -> (u64, bool) {
        let key = word ^ self.lang_tag;
        let cached = STEM_CACHE.with(|c| c.borrow().get(&key).copied());
        if let Some(v) = cached {
            return v;
        }
        let stop = self.lang.is_english() && is_english_stopword(folded);
        let v = (xxh3_64(self.stem(folded).as_bytes()), stop);
        STEM_CACHE.with(|c| {
            let mut c = c.borrow_mut();
            if c.len() >= STEM_CACHE_MAX {
                c.clear();
            }
            c.insert(key, v);
        });
        v
    }

    fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        match &self.stemmer {
            Some(s) => s.stem(word),
            // Language-agnostic fallback: a fixed-length prefix.
            None => match word.char_indices().nth(6) {
                Some((i, _)) => Cow::Owned(word[..i].to_string()),
                None => Cow::Borrowed(word),
            },
        }
    }
}

/// Case-folds a word and unifies spellings: Unicode compatibility forms,
/// curly apostrophes, possessive "'s", and dots inside abbreviations.
pub(crate) fn fold(raw: &str) -> Cow<'_, str> {
    let ascii = raw.is_ascii();
    let needs_work = !ascii
        || raw
            .bytes()
            .any(|b| b.is_ascii_uppercase() || b == b'.' || b == b'\'');
    if !needs_work {
        return Cow::Borrowed(raw);
    }
    let mut s: String = if ascii {
        raw.to_ascii_lowercase()
    } else {
        raw.nfkc()
            .flat_map(char::to_lowercase)
            .map(|c| {
                if c == '\u{2019}' || c == '\u{2018}' {
                    '\''
                } else {
                    c
                }
            })
            .collect()
    };
    if s.ends_with("'s") && s.len() > 2 {
        s.truncate(s.len() - 2);
    } else if s.ends_with('\'') {
        s.pop();
    }
    if s.contains('.') && s.chars().any(char::is_alphabetic) {
        s.retain(|c| c != '.');
    }
    Cow::Owned(s)
}

/// The canonical form of a number token, or `None` for other words.
/// "2,500" and "2500" give "2500"; "three" gives "3".
fn number_key(folded: &str) -> Option<Cow<'static, str>> {
    let bytes = folded.as_bytes();
    if bytes.first().is_some_and(u8::is_ascii_digit) {
        if !bytes
            .iter()
            .all(|b| b.is_ascii_digit() || *b == b',' || *b == b'.')
        {
            // "3rd", "1990s", "10pm": keep as written.
            return Some(Cow::Owned(folded.to_string()));
        }
        let thousands = folded.contains(',')
            && folded
                .split(',')
                .skip(1)
                .all(|g| g.len() == 3 || (g.len() > 3 && g.as_bytes()[3] == b'.'));
        let s = if thousands {
            folded.replace(',', "")
        } else {
            folded.to_string()
        };
        return Some(Cow::Owned(s));
    }
    let n = match folded {
        "zero" => "0",
        "one" => "1",
        "two" => "2",
        "three" => "3",
        "four" => "4",
        "five" => "5",
        "six" => "6",
        "seven" => "7",
        "eight" => "8",
        "nine" => "9",
        "ten" => "10",
        "eleven" => "11",
        "twelve" => "12",
        "thirteen" => "13",
        "fourteen" => "14",
        "fifteen" => "15",
        "sixteen" => "16",
        "seventeen" => "17",
        "eighteen" => "18",
        "nineteen" => "19",
        "twenty" => "20",
        "thirty" => "30",
        "forty" => "40",
        "fifty" => "50",
        "hundred" => "100",
        "thousand" => "1000",
        "million" => "million",
        "billion" => "billion",
        _ => return None,
    };
    Some(Cow::Borrowed(n))
}

/// Function words of English that carry no content for matching.
pub(crate) fn is_english_stopword(w: &str) -> bool {
    ENGLISH_STOPWORDS.binary_search(&w).is_ok()
}

// Sorted; checked by a test.
const ENGLISH_STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "across",
    "after",
    "again",
    "against",
    "all",
    "along",
    "also",
    "although",
    "am",
    "among",
    "an",
    "and",
    "any",
    "are",
    "around",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "despite",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "ever",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "however",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "may",
    "me",
    "meanwhile",
    "might",
    "more",
    "moreover",
    "most",
    "must",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "onto",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "per",
    "same",
    "shall",
    "she",
    "should",
    "since",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "therefore",
    "these",
    "they",
    "this",
    "those",
    "though",
    "through",
    "thus",
    "to",
    "too",
    "toward",
    "towards",
    "under",
    "until",
    "up",
    "upon",
    "very",
    "via",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "whereas",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "yet",
    "you",
    "your",
    "yours",
    "yourself",
];

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! same_key {
        ($($name:ident: $a:expr, $b:expr;)*) => {$(
            #[test]
            fn $name() {
                let t = Tokenizer::new(Language::ENGLISH);
                let a = t.tokenize($a);
                let b = t.tokenize($b);
                assert_eq!(a.len(), b.len(), "{:?} vs {:?}", $a, $b);
                for (x, y) in a.iter().zip(&b) {
                    assert_eq!(x.word, y.word, "{:?} vs {:?}", $a, $b);
                }
            }
        )*};
    }

    same_key! {
        thousands_separator: "2,500 troops", "2500 troops";
        number_words: "three people", "3 people";
        abbreviation_dots: "the U.S. army", "the US army";
        case_folding: "IRAQ Said", "iraq said";
        possessive: "Iraq's army", "Iraq army";
        curly_apostrophe: "Kata\u{2019}ib", "Kata'ib";
        fullwidth_digits: "\u{FF12}\u{FF10}\u{FF12}\u{FF14}", "2024";
    }

    fn surface(text: &str) -> Vec<&str> {
        Tokenizer::new(Language::ENGLISH)
            .tokenize(text)
            .iter()
            .map(|t| &text[t.start as usize..t.end as usize])
            .collect()
    }

    #[test]
    fn markup_and_entities_are_not_words() {
        assert_eq!(
            surface("Shares <a href=\"http://x.example/q?t=A&b=2\">ACME</a> fell."),
            ["Shares", "ACME", "fell"]
        );
        assert_eq!(
            surface("Up 3% &lt;A HREF=\"http://www.example.com/Q.aspx?ticker=WMT.N\"&gt;WMT.N&lt;/A&gt; today"),
            ["Up", "3", "WMT.N", "today"]
        );
        assert_eq!(
            surface("ATA #39;s hub at AT&amp;T"),
            ["ATA", "s", "hub", "at", "AT", "T"]
        );
        assert_eq!(surface("&#8217;Tis &nbsp;done &#3;"), ["Tis", "done"]);
        // Not entities: a ranking, a company name before a semicolon, a hashtag.
        assert_eq!(
            surface("We are #1; AT&T; #MeToo;"),
            ["We", "are", "1", "AT", "T", "MeToo"]
        );
        // Not tags: comparisons, unclosed brackets, and a tag-like run cut by another `<`
        // (an escaped less-than is an entity, not a word).
        assert_eq!(surface("a < b and 3 &lt; 4"), ["a", "b", "and", "3", "4"]);
        assert_eq!(surface("<unclosed tag text"), ["unclosed", "tag", "text"]);
        assert_eq!(surface("<b <i>x</i>"), ["b", "x"]);
        // Reuters tickers and company names in brackets are text, not tags.
        assert_eq!(
            surface("<TSCO.L> and <ICI.L> rose; <BP> <U> <DD> <Video Display Corp>"),
            ["TSCO.L", "and", "ICI.L", "rose", "BP", "U", "DD", "Video", "Display", "Corp"]
        );
        // Real HTML, in any case: closing tags, attributes, self-closing, lower-case bare
        // tags, escaped tags, comments and declarations.
        assert_eq!(
            surface(
                "<P>x</P> <A HREF=\"u\">y</A> a<br/>b<BR />c <p>d <!-- e f --> g <!DOCTYPE html>h"
            ),
            ["P", "x", "y", "a", "b", "c", "d", "g", "h"]
        );
        assert_eq!(
            surface("&lt;B&gt;Bold&lt;/B&gt; &lt;!-- hid --&gt;end"),
            ["Bold", "end"]
        );
        // Not elements, and an unclosed comment.
        assert_eq!(
            surface("<foo bar=1> <!-- open"),
            ["foo", "bar", "1", "open"]
        );
        // Many unclosed `<`: every word is kept, and the text is looked at once per byte.
        let noisy = "<a ".repeat(50_000);
        assert_eq!(surface(&noisy).len(), 50_000);
    }

    #[test]
    fn html_elements_are_sorted_lower_case() {
        assert!(HTML_ELEMENTS.windows(2).all(|w| w[0] < w[1]));
        assert!(HTML_ELEMENTS
            .iter()
            .all(|e| e.len() <= 10 && e.iter().all(|c| !c.is_ascii_uppercase())));
    }

    #[test]
    fn stems_inflections_alike() {
        let t = Tokenizer::new(Language::ENGLISH);
        let a = t.tokenize("strikes targeted");
        let b = t.tokenize("strike targeting");
        assert_eq!(a[0].stem, b[0].stem);
        assert_eq!(a[1].stem, b[1].stem);
        assert_ne!(a[0].word, b[0].word);
    }

    #[test]
    fn flags_and_spans() {
        let t = Tokenizer::new(Language::ENGLISH);
        let text = "The Minister said 16 people";
        let toks = t.tokenize(text);
        assert_eq!(toks.len(), 5);
        assert!(toks[0].is_stop() && toks[0].is_capital());
        assert!(toks[1].is_capital() && !toks[1].is_stop());
        assert!(toks[3].is_number());
        assert_eq!(
            &text[toks[4].start as usize..toks[4].end as usize],
            "people"
        );
    }

    #[test]
    fn stopwords_sorted() {
        assert!(ENGLISH_STOPWORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn markers_sorted() {
        assert!(ENGLISH_MARKERS.windows(2).all(|w| w[0] < w[1]));
        assert!(PACKED_MARKERS.windows(2).all(|w| w[0] < w[1]));
        assert!(ENGLISH_MARKERS.iter().all(|m| m.len() <= 8));
    }

    #[test]
    fn english_fast_path() {
        let en = "The council said on Monday that it would review the plan, which \
                  residents have opposed since it was announced. Officials said the \
                  review will take about three months and that their report would be public.";
        assert!(looks_english(en));
        assert_eq!(Language::detect(en).code, "en");
        // Terse business news has few function words (about 12% here) and still passes.
        let terse = "Shares of Acme Corp rose 5 percent on Tuesday after the company reported \
                     record quarterly profits, beating analyst forecasts. Revenue climbed to 2.3 \
                     billion dollars from 1.9 billion a year earlier, driven by strong demand for \
                     cloud services and storage products in Europe and Asia, the chief \
                     executive told reporters at a briefing in Boston.";
        assert!(looks_english(terse));
        // Other languages do not pass the fast path and are still detected.
        let de = "Der Stadtrat hat am Montag erklärt, dass er den Plan prüfen werde, den \
                  die Anwohner seit seiner Ankündigung ablehnen. Die Prüfung werde etwa \
                  drei Monate dauern, sagten Beamte, und der Bericht werde veröffentlicht.";
        assert!(!looks_english(de));
        assert_eq!(Language::detect(de).code, "de");
        let id = "Pemerintah kota menyatakan pada hari Senin bahwa rencana itu akan ditinjau \
                  kembali karena warga menolaknya sejak diumumkan. Para pejabat mengatakan \
                  peninjauan akan memakan waktu sekitar tiga bulan dan laporannya terbuka.";
        assert!(!looks_english(id));
        assert_eq!(Language::detect(id).code, "id");
        // Too few words to decide: whatlang (or the English fallback) decides.
        assert!(!looks_english("The end of the day"));
    }

    #[test]
    fn fallback_stemmer_is_prefix() {
        let t = Tokenizer::new(Language {
            code: "id",
            algorithm: None,
        });
        let a = t.tokenize("pemerintahan");
        let b = t.tokenize("pemerintah");
        assert_eq!(a[0].stem, b[0].stem);
    }
}
