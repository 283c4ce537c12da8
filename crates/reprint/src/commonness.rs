//! How common the text two documents share is in a corpus.
//!
//! A pair of documents can share text because one copied the other, or because both carry
//! the same stock text: a formula filled in with other figures, a scraped sentence, a
//! background paragraph. Two texts alone cannot tell these apart; a corpus can. Every
//! shared winnowed n-gram fingerprint (the scan's fingerprints: same tokeniser, same
//! parameters) is looked up in a table of document frequencies, from the scan's own
//! postings or from a background table built from real text (`reprint background`). The
//! shared text is then split into *common* fingerprints (held by [`COMMON_DF`] documents
//! or more) and *specific* ones. [`judge`] turns that, with the pair's facts, into a label;
//! it is the one place `scan` and `compare` decide it.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::changes::FactBalance;
use crate::error::{Error, Result};
use crate::scan::fingerprint::{fingerprints, PrintParams, Prints, Tok};
use crate::scan::tokens::tokenize;

/// A fingerprint held by this many documents or more is common. Five is well past what
/// chance gives: a run of 8 words (the run winnowing guarantees one fingerprint for) in
/// five independently written texts is a formula, a stock sentence or a reprint, never a
/// coincidence; and it is more than the two texts of a pair plus a copy or two of either.
pub const COMMON_DF: u32 = 5;

/// How common the text two documents share is: counts of winnowed n-gram fingerprints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct SharedText {
    /// Fingerprints both documents hold.
    pub shared: u32,
    /// Of those, the ones held by at least [`COMMON_DF`] documents of the corpus.
    pub common: u32,
    /// Fingerprints of the document with fewer of them.
    pub smaller: u32,
}

impl SharedText {
    /// Counts the fingerprints two sorted key lists share, and how many of them `df` says
    /// are common.
    pub(crate) fn of(a: &[u32], b: &[u32], df: impl Fn(u32) -> u32) -> SharedText {
        let mut common = 0u32;
        let shared = crate::scan::for_each_common(a, b, |k| {
            common += u32::from(df(k) >= COMMON_DF);
        });
        SharedText {
            shared: shared as u32,
            common,
            smaller: a.len().min(b.len()) as u32,
        }
    }
}

/// Share of the shared fingerprints that must be common, and the most of the smaller
/// document the shared ones may cover, for the shared text to be boilerplate: nearly all
/// of it (9 in 10: a winnowed fingerprint comes every 2.5 words, so at most one in ten is
/// a few words specific to the pair), covering well under the whole text (a story and its
/// reprint share their whole text, however many other copies exist).
const BOILERPLATE_COMMON_SHARE: f64 = 0.9;
const BOILERPLATE_MAX_COVER: f64 = 0.7;
/// Shared fingerprints above which a pair is never boilerplate (about 60 words of shared
/// text): a formula or a scraped sentence is short; a story reprinted inside longer articles
/// is not.
const BOILERPLATE_MAX_SHARED: u32 = 24;
/// Share of the shared fingerprints that must be common for shared wording with
/// conflicting facts to be a formula: most of it. Below that, most of the shared wording
/// belongs to this pair alone, which is an edited copy.
const TEMPLATE_COMMON_SHARE: f64 = 0.5;
/// Numbers that must differ (and outnumber those that agree) for a formula's fill to
/// count as different on numbers alone.
const TEMPLATE_MIN_NUMBERS: u32 = 3;

/// What the commonness of the shared text says about a pair that reads as reuse.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Judgement {
    /// Mostly common shared text, little specific to the pair: the reason.
    Boilerplate(String),
    /// Common wording with conflicting facts: the reason.
    Template(String),
    /// The shared text is specific enough to be reuse: the reason.
    Specific(String),
}

/// Judges a pair whose wording reads as reuse from how common its shared text is and how
/// its facts compare. `own_names` says whether each text names, in its aligned sentences, a
/// name the other never uses ("Caisse Desjardins" where the other has "DNC
/// International"): with mostly common wording, another issuer in the same formula.
/// `own_words` says whether each text has, in its aligned sentences, a
/// content word the other text never uses ([`crate::changes::own_words`]): where all the
/// shared wording is common, that word is what each text filled the formula with.
pub(crate) fn judge(
    st: &SharedText,
    facts: &FactBalance,
    own_names: bool,
    own_words: bool,
) -> Judgement {
    if st.shared == 0 {
        return Judgement::Specific("no shared fingerprint to weigh against the corpus".into());
    }
    let share = f64::from(st.common) / f64::from(st.shared);
    let cover = f64::from(st.shared) / f64::from(st.smaller.max(1));
    let counts = format!(
        "{} of the {} shared fingerprints are held by {COMMON_DF}+ documents of the corpus",
        st.common, st.shared
    );
    let numbers_differ =
        facts.num_conflict >= TEMPLATE_MIN_NUMBERS && facts.num_conflict > facts.num_agree;
    let facts_differ = facts.conflict >= 1 && facts.conflict >= facts.agree;
    if share >= TEMPLATE_COMMON_SHARE && (numbers_differ || facts_differ) {
        return Judgement::Template(format!("{counts}: common wording with other facts"));
    }
    if share >= TEMPLATE_COMMON_SHARE && own_names {
        return Judgement::Template(format!(
            "{counts}, and each text names someone the other never does: common wording \
             about another subject"
        ));
    }
    if st.shared <= BOILERPLATE_MAX_SHARED
        && share >= BOILERPLATE_COMMON_SHARE
        && cover < BOILERPLATE_MAX_COVER
    {
        return Judgement::Boilerplate(format!(
            "{counts} and cover {cover:.2} of the smaller text: stock text, not reuse"
        ));
    }
    if st.shared <= BOILERPLATE_MAX_SHARED && share >= BOILERPLATE_COMMON_SHARE && own_words {
        // Nearly the whole of a short text is common wording, and where one text has a word
        // of its own the other has another: two fills of a formula ("CHEMICAL BANK CUTS
        // PRIME RATE TO ..." and "MARINE MIDLAND BANK CUTS ..."). A copy would share its
        // subject, which no formula holds.
        return Judgement::Template(format!(
            "{counts}, and each text has a word of its own in the aligned sentences: a \
             formula filled in, not a copy"
        ));
    }
    Judgement::Specific(counts)
}

/// Magic bytes and version of a background table file.
const MAGIC: &[u8; 8] = b"RPRNTBG1";

/// Document frequencies of n-gram fingerprints in a body of real text, for judging how
/// common the text two documents share is when there is no corpus to scan
/// (`reprint compare --background FILE`). Build it with [`Background::build`] and save it
/// with [`Background::write`]; [`Background::read`] validates a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Background {
    ngram: u32,
    window: u32,
    docs: u64,
    /// Fingerprint keys held by two or more documents, ascending, and their frequencies.
    keys: Vec<u32>,
    dfs: Vec<u32>,
}

/// The 32-bit key of a fingerprint hash (its high half: the part a scan's packed postings
/// keep whatever the corpus size).
pub(crate) fn key_of(hash: u64) -> u32 {
    (hash >> 32) as u32
}

/// The fingerprint keys of a text, sorted and de-duplicated.
pub(crate) fn text_keys(text: &str, p: PrintParams) -> Vec<u32> {
    let mut toks: Vec<Tok> = Vec::new();
    let mut scratch = Vec::new();
    let mut prints = Prints::default();
    tokenize(text, &mut toks, None);
    fingerprints(&toks, p, &mut scratch, &mut prints);
    let mut keys: Vec<u32> = prints.ngrams.iter().map(|&h| key_of(h)).collect();
    keys.dedup();
    keys
}

impl Background {
    /// Builds the table from texts, with the scan's default fingerprints (word 5-grams,
    /// window 4).
    pub fn build<'t>(texts: impl IntoParallelIterator<Item = &'t str>) -> Background {
        let p = PrintParams {
            ngram: 5,
            window: 4,
        };
        let per_doc: Vec<Vec<u32>> = texts.into_par_iter().map(|t| text_keys(t, p)).collect();
        let docs = per_doc.len() as u64;
        let mut all: Vec<u32> = per_doc.into_iter().flatten().collect();
        all.par_sort_unstable();
        let (mut keys, mut dfs) = (Vec::new(), Vec::new());
        for run in all.chunk_by(|x, y| x == y) {
            if run.len() >= 2 {
                keys.push(run[0]);
                dfs.push(u32::try_from(run.len()).unwrap_or(u32::MAX));
            }
        }
        Background {
            ngram: p.ngram as u32,
            window: p.window as u32,
            docs,
            keys,
            dfs,
        }
    }

    /// Reads every input as `reprint scan` does (JSONL, gzipped JSONL, text files,
    /// directory trees) and builds the table from the texts. Returns it with the number of
    /// records skipped.
    pub fn from_paths(inputs: &[PathBuf], max_doc_bytes: usize) -> Result<(Background, u64)> {
        let corpus = crate::scan::read_corpus(inputs, max_doc_bytes)?;
        let bg = Background::build(corpus.texts.par_iter().map(|t| &**t));
        Ok((bg, corpus.skipped.len() as u64))
    }

    /// Documents the table was built from.
    pub fn documents(&self) -> u64 {
        self.docs
    }

    /// Distinct fingerprints held by two or more of those documents.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether no fingerprint is held by two documents.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// How many documents hold the fingerprint `key` (0 or 1 when it is not listed).
    pub(crate) fn df(&self, key: u32) -> u32 {
        self.keys.binary_search(&key).map_or(0, |i| self.dfs[i])
    }

    /// How common the text two documents share is, by this table.
    pub fn shared_text(&self, a: &crate::Document, b: &crate::Document) -> SharedText {
        let p = PrintParams {
            ngram: self.ngram as usize,
            window: self.window as usize,
        };
        let ka = text_keys(&String::from_utf8_lossy(a.original()), p);
        let kb = text_keys(&String::from_utf8_lossy(b.original()), p);
        SharedText::of(&ka, &kb, |k| self.df(k))
    }

    /// Writes the table: magic, n-gram length, window, documents, entries, then each entry
    /// as key and frequency, all little-endian.
    pub fn write(&self, path: &Path) -> Result<()> {
        let name = path.display().to_string();
        let mut buf = Vec::with_capacity(32 + 8 * self.keys.len());
        buf.extend_from_slice(MAGIC);
        buf.extend_from_slice(&self.ngram.to_le_bytes());
        buf.extend_from_slice(&self.window.to_le_bytes());
        buf.extend_from_slice(&self.docs.to_le_bytes());
        buf.extend_from_slice(&(self.keys.len() as u64).to_le_bytes());
        for (k, d) in self.keys.iter().zip(&self.dfs) {
            buf.extend_from_slice(&k.to_le_bytes());
            buf.extend_from_slice(&d.to_le_bytes());
        }
        let mut f = std::fs::File::create(path).map_err(|e| Error::io(name.clone(), e))?;
        f.write_all(&buf).map_err(|e| Error::io(name, e))
    }

    /// Reads and validates a table written by [`Background::write`]; an error names the
    /// file and says what is wrong.
    pub fn read(path: &Path) -> Result<Background> {
        let name = path.display().to_string();
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|mut f| f.read_to_end(&mut bytes))
            .map_err(|e| Error::io(name.clone(), e))?;
        Background::parse(&bytes).map_err(|message| Error::Input {
            path: name,
            message: format!("not a reprint background table: {message}"),
        })
    }

    fn parse(bytes: &[u8]) -> std::result::Result<Background, String> {
        if bytes.len() < 32 || &bytes[..8] != MAGIC {
            return Err("it does not start with the table's header".into());
        }
        let u32_at =
            |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
        let u64_at = |i: usize| (u64::from(u32_at(i + 4)) << 32) | u64::from(u32_at(i));
        let (ngram, window, docs, n) = (u32_at(8), u32_at(12), u64_at(16), u64_at(24));
        if !(1..=32).contains(&ngram) || !(1..=64).contains(&window) {
            return Err(format!(
                "n-gram length {ngram} or window {window} out of range"
            ));
        }
        let want = n.checked_mul(8).and_then(|x| x.checked_add(32));
        if want != Some(bytes.len() as u64) {
            return Err(format!(
                "{n} entries announced, {} bytes present",
                bytes.len()
            ));
        }
        let n = n as usize;
        let (mut keys, mut dfs) = (Vec::with_capacity(n), Vec::with_capacity(n));
        for i in 0..n {
            let (k, d) = (u32_at(32 + 8 * i), u32_at(36 + 8 * i));
            if keys.last().is_some_and(|&last| last >= k) {
                return Err(format!("entry {i} is out of order"));
            }
            if d < 2 || u64::from(d) > docs {
                return Err(format!("entry {i} has frequency {d} of {docs} documents"));
            }
            keys.push(k);
            dfs.push(d);
        }
        Ok(Background {
            ngram,
            window,
            docs,
            keys,
            dfs,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(agree: u32, conflict: u32, num_agree: u32, num_conflict: u32) -> FactBalance {
        FactBalance {
            agree,
            conflict,
            num_agree,
            num_conflict,
            ..FactBalance::default()
        }
    }

    #[test]
    fn shared_text_counts_common_fingerprints() {
        let st = SharedText::of(
            &[1, 2, 3, 4, 9],
            &[2, 3, 4, 7],
            |k| if k == 2 { 5 } else { 2 },
        );
        assert_eq!(
            st,
            SharedText {
                shared: 3,
                common: 1,
                smaller: 4
            }
        );
    }

    /// The kind of a judgement, for comparing in tests.
    fn kind(j: Judgement) -> &'static str {
        match j {
            Judgement::Boilerplate(_) => "Boilerplate",
            Judgement::Template(_) => "Template",
            Judgement::Specific(_) => "Specific",
        }
    }

    #[test]
    fn judgement_follows_commonness() {
        let none = facts(4, 0, 2, 0);
        // A stock sentence: 10 shared fingerprints, all common, in 100-fingerprint texts.
        let stock = SharedText {
            shared: 10,
            common: 10,
            smaller: 100,
        };
        assert_eq!(kind(judge(&stock, &none, false, false)), "Boilerplate");
        // The same shared text covering nearly all of the smaller text: a reprint.
        let reprint = SharedText {
            smaller: 12,
            ..stock
        };
        assert_eq!(kind(judge(&reprint, &none, false, false)), "Specific");
        // Long shared text is never boilerplate.
        let long = SharedText {
            shared: 40,
            common: 40,
            smaller: 200,
        };
        assert_eq!(kind(judge(&long, &none, false, false)), "Specific");
        // Common wording, numbers differ: a template fill.
        let formula = SharedText {
            shared: 30,
            common: 20,
            smaller: 35,
        };
        let fill = facts(1, 5, 1, 5);
        assert_eq!(kind(judge(&formula, &fill, false, false)), "Template");
        // Wording specific to the pair with the same conflicting numbers: an edited copy.
        let edited = SharedText {
            shared: 30,
            common: 2,
            smaller: 35,
        };
        assert_eq!(kind(judge(&edited, &fill, false, false)), "Specific");
        // No shared fingerprint: nothing to weigh.
        assert_eq!(
            kind(judge(&SharedText::default(), &fill, false, true)),
            "Specific"
        );
        // A short text that is all common wording (a copy above, without words of its
        // own): two fills of a formula when each text has a word of its own.
        assert_eq!(kind(judge(&reprint, &none, false, true)), "Template");
        // Specific shared wording is a copy whatever words each text has of its own.
        let specific = SharedText {
            shared: 10,
            common: 3,
            smaller: 12,
        };
        assert_eq!(kind(judge(&specific, &none, false, true)), "Specific");
        // Mostly common wording naming other subjects: a template; specific wording naming
        // other people too is an edited copy that added and dropped names.
        assert_eq!(kind(judge(&formula, &none, true, false)), "Template");
        assert_eq!(kind(judge(&edited, &none, true, false)), "Specific");
    }

    #[test]
    fn background_round_trips_and_refuses_bad_files() {
        let texts = [
            "the quarterly dividend of the company was set at ten cents a share payable in april",
            "the quarterly dividend of the company was set at ten cents a share payable in may",
            "an unrelated story about a harbour, a storm and three boats lost at sea last night",
        ];
        let bg = Background::build(texts.to_vec());
        assert_eq!(bg.documents(), 3);
        assert!(!bg.is_empty());
        let dir = std::env::temp_dir().join(format!("reprint-bg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("bg.bin");
        bg.write(&path).expect("write");
        assert_eq!(Background::read(&path).expect("read"), bg);
        // Truncated, garbled and out-of-order files are refused, naming the file.
        let bytes = std::fs::read(&path).expect("bytes");
        let bad = dir.join("bad.bin");
        std::fs::write(&bad, &bytes[..bytes.len() - 3]).expect("write bad");
        let e = Background::read(&bad).expect_err("truncated");
        assert!(e.to_string().contains("bad.bin"), "{e}");
        std::fs::write(&bad, b"hello world, not a table at all, no").expect("write bad");
        assert!(Background::read(&bad).is_err());
        if bg.len() >= 2 {
            let mut swapped = bytes.clone();
            let (x, y) = (32, 40);
            let first: Vec<u8> = swapped[x..x + 8].to_vec();
            let second: Vec<u8> = swapped[y..y + 8].to_vec();
            swapped[x..x + 8].copy_from_slice(&second);
            swapped[y..y + 8].copy_from_slice(&first);
            std::fs::write(&bad, &swapped).expect("write bad");
            let e = Background::read(&bad).expect_err("out of order");
            assert!(e.to_string().contains("out of order"), "{e}");
        }
        assert!(Background::read(&dir.join("missing.bin")).is_err());
        std::fs::remove_dir_all(&dir).ok();
    }
}
