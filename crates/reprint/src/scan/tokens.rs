//! A fast tokeniser for fingerprinting: words with byte spans, hashed.
//!
//! Case-folded; digit groups joined ("2,500" = "2500"); dotted abbreviations joined
//! ("U.S." = "US"); a light English suffix stripper as the stem; a short stopword list.

use xxhash_rust::xxh3::xxh3_64;

use super::fingerprint::Tok;
use crate::tokens::{is_entity, markup_len};

const STOPWORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "before", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has",
    "have", "he", "her", "his", "i", "if", "in", "into", "is", "it", "its", "last", "more", "most",
    "mr", "new", "no", "not", "now", "of", "on", "one", "only", "or", "other", "our", "out",
    "over", "said", "says", "she", "so", "some", "such", "than", "that", "the", "their", "them",
    "then", "there", "these", "they", "this", "those", "to", "two", "up", "was", "we", "were",
    "what", "when", "which", "who", "will", "with", "would", "year", "you",
];

/// Slots of the stopword table: a power of two, about three times the list.
const STOP_SLOTS: usize = 256;

/// The stopwords' xxh3 hashes in an open-addressing table (slot = low bits, linear probing,
/// 0 = empty). A token's word hash is looked up here: about one probe, where a binary search
/// over the sorted hashes took a third of the tokeniser's time.
fn stopword_table() -> &'static [u64; STOP_SLOTS] {
    static TABLE: std::sync::OnceLock<[u64; STOP_SLOTS]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = [0u64; STOP_SLOTS];
        for w in STOPWORDS {
            let h = xxh3_64(w.as_bytes());
            let mut i = h as usize % STOP_SLOTS;
            while t[i] != 0 {
                i = (i + 1) % STOP_SLOTS;
            }
            t[i] = h;
        }
        t
    })
}

#[inline]
fn is_stopword(table: &[u64; STOP_SLOTS], h: u64) -> bool {
    let mut i = h as usize % STOP_SLOTS;
    loop {
        match table[i] {
            0 => return false,
            x if x == h => return true,
            _ => i = (i + 1) % STOP_SLOTS,
        }
    }
}

/// Strips a few English inflections; enough to equate "strike", "strikes", "striking".
/// Works on the lower-cased UTF-8 bytes of a word (the suffixes are ASCII).
fn light_stem(w: &[u8]) -> &[u8] {
    let n = w.len();
    for suf in [&b"ing"[..], b"ed", b"es", b"ly", b"s", b"e"] {
        if n > suf.len() + 3 && w.ends_with(suf) {
            return &w[..n - suf.len()];
        }
    }
    w
}

/// Splits `text` into word tokens with byte spans `[start, end)`.
pub(crate) fn tokenize(text: &str, out: &mut Vec<Tok>, spans: Option<&mut Vec<(u32, u32)>>) {
    out.clear();
    let mut spans = spans;
    if let Some(s) = spans.as_deref_mut() {
        s.clear();
    }
    let bytes = text.as_bytes();
    let stop = stopword_table();
    // The character at byte `i`, decoded only when it is not ASCII.
    let char_at = |i: usize| -> Option<char> {
        match bytes.get(i) {
            Some(&b) if b < 0x80 => Some(b as char),
            Some(_) => text.get(i..).and_then(|t| t.chars().next()),
            None => None,
        }
    };
    let mut buf: Vec<u8> = Vec::with_capacity(64);
    let mut i = 0;
    while i < text.len() {
        let Some(c) = char_at(i) else {
            break;
        };
        if !c.is_alphanumeric() {
            // Markup is not text: an HTML tag (`<a href=...>`) or an HTML-escaped one
            // (`&lt;FONT face=...&gt;`) yields no fingerprint and no rare term, so items that
            // share only a markup footer or link do not become candidates.
            i += markup_len(&bytes[i..]).unwrap_or(c.len_utf8());
            continue;
        }
        let start = i;
        buf.clear();
        let mut chars = 0usize;
        let mut numeric = true;
        let mut end = i;
        let mut j = i;
        while j < bytes.len() {
            let b = bytes[j];
            if b.is_ascii_alphanumeric() {
                // The common case, kept free of char decoding.
                numeric &= b.is_ascii_digit();
                buf.push(b.to_ascii_lowercase());
                chars += 1;
                j += 1;
                end = j;
                continue;
            }
            let Some(c) = char_at(j) else {
                break;
            };
            if c.is_alphanumeric() {
                numeric = false;
                for l in c.to_lowercase() {
                    let mut enc = [0u8; 4];
                    buf.extend_from_slice(l.encode_utf8(&mut enc).as_bytes());
                    chars += 1;
                }
                j += c.len_utf8();
                end = j;
            } else if (c == ',' || c == '.')
                && j + 1 < bytes.len()
                && bytes[j + 1].is_ascii_digit()
                && numeric
            {
                // "2,500" and "5.93": keep digit groups together; the comma is dropped.
                if c == '.' {
                    buf.push(b'.');
                    chars += 1;
                }
                j += 1;
            } else if c == '.'
                && j + 2 < bytes.len()
                && bytes[j + 1].is_ascii_alphabetic()
                && bytes[j + 2] == b'.'
                && chars == 1
            {
                // "U.S." style abbreviations: single letters separated by dots.
                j += 1;
            } else if (c == '\'' || c == '\u{2019}')
                && j + c.len_utf8() < bytes.len()
                && bytes[j + c.len_utf8()].is_ascii_alphabetic()
            {
                // Apostrophes inside a word ("don't", "Iraq's") are dropped.
                j += c.len_utf8();
            } else {
                break;
            }
        }
        i = end.max(start + 1);
        if is_entity(bytes, start, end) {
            // `&amp;`, `&#39;`, AG's `#39;`: not words, as in the comparer.
            continue;
        }
        let word = xxh3_64(&buf);
        let content = if numeric {
            buf.len() >= 2
        } else {
            chars >= 3 && !is_stopword(stop, word)
        };
        // Only content words' stems are used (the rare-term channel).
        let stem = if numeric || !content {
            word
        } else {
            xxh3_64(light_stem(&buf))
        };
        out.push(Tok {
            word,
            stem,
            content,
            number: numeric,
        });
        if let Some(s) = spans.as_deref_mut() {
            s.push((start as u32, end as u32));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        let mut toks = Vec::new();
        let mut spans = Vec::new();
        tokenize(text, &mut toks, Some(&mut spans));
        spans
            .iter()
            .map(|&(s, e)| &text[s as usize..e as usize])
            .collect()
    }

    #[test]
    fn markup_is_skipped() {
        assert_eq!(
            words(
                "Profit rose.&lt;FONT face=\"verdana\" size=\"-2\"&gt;&lt;B&gt;-The Post&lt;/B&gt;"
            ),
            ["Profit", "rose", "The", "Post"]
        );
        assert_eq!(
            words("Shares <a href=\"http://x.example/q?t=A\">ACME.N</a> fell"),
            ["Shares", "ACME", "N", "fell"]
        );
        // Tickers are text: two notices about different companies differ.
        assert_eq!(words("<TSCO.L> bid"), ["TSCO", "L", "bid"]);
        // Not tags: a comparison, an unclosed bracket; an escaped less-than before a number
        // is an entity, not a word, as in the comparer.
        assert_eq!(words("a < b and 3 &lt; 4"), ["a", "b", "and", "3", "4"]);
        assert_eq!(words("<unclosed tag text"), ["unclosed", "tag", "text"]);
        assert_eq!(
            words("ATA #39;s hub at AT&amp;T, #1; AT&T;"),
            ["ATA", "s", "hub", "at", "AT", "T", "1", "AT", "T"]
        );
    }

    #[test]
    fn stopwords_are_not_content() {
        let mut toks = Vec::new();
        tokenize("The council and its Mayor said Harbour", &mut toks, None);
        let content: Vec<bool> = toks.iter().map(|t| t.content).collect();
        // "the", "and", "its", "said" are stopwords; "council", "mayor", "harbour" are not.
        assert_eq!(content, [false, true, false, false, true, false, true]);
        let table = stopword_table();
        assert_eq!(
            table.iter().filter(|&&h| h != 0).count(),
            STOPWORDS.len(),
            "every stopword in the table, no zero hash"
        );
        for w in STOPWORDS {
            assert!(is_stopword(table, xxh3_64(w.as_bytes())), "{w}");
        }
        assert!(!is_stopword(table, xxh3_64(b"harbour")));
    }

    #[test]
    fn spans_and_normalisation() {
        assert_eq!(
            words("The U.S. sent 2,500 troops."),
            vec!["The", "U.S", "sent", "2,500", "troops"]
        );
        assert_eq!(words("Iraq's don’t"), vec!["Iraq's", "don’t"]);
        assert_eq!(words("  «Ça va» "), vec!["Ça", "va"]);
        let mut a = Vec::new();
        let mut b = Vec::new();
        tokenize("US troops 2500", &mut a, None);
        tokenize("u.s. Troops 2,500", &mut b, None);
        assert_eq!(a, b);
    }

    #[test]
    fn never_panics_on_odd_input() {
        let mut t = Vec::new();
        for s in [
            "",
            ".",
            "1,",
            "a.b",
            "x'",
            "é'",
            "1.2.3",
            "\u{2019}a",
            "U.S",
            "a.b.c.d.",
        ] {
            tokenize(s, &mut t, None);
        }
    }
}
