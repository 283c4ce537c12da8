//! Settings for a comparison, built and validated once, shared by the CLI,
//! the server and config files.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::tokens::{Language, Tokenizer};

/// Raw comparison options, as parsed from flags or a config file. No I/O.
/// Turn them into [`Settings`] with [`Options::build`]; every field left
/// `None` takes its default.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Options {
    /// Shortest verbatim passage reported, in words (default 6).
    pub min_passage_words: Option<usize>,
    /// Similarity a sentence pair needs to align on its own (default 0.32).
    pub min_pair_similarity: Option<f32>,
    /// Similarity a pair needs to fill a small gap between aligned
    /// neighbours (default 0.16).
    pub min_gap_similarity: Option<f32>,
    /// Share of a sentence's content another group must explain for the
    /// sentence to merge into it (default 0.3).
    pub min_merge_containment: Option<f32>,
    /// Word-level similarity at or above which an aligned pair counts as
    /// near-verbatim (default 0.8).
    pub near_verbatim: Option<f32>,
    /// Judge template fills `related` (default false): pairs whose aligned
    /// sentences share the wording but whose numbers mostly differ (at least
    /// 3 conflicting numbers, more than agree), such as a recurring market
    /// report or an earnings table filled in for another company.
    pub reject_templates: Option<bool>,
    /// Judge two stories that share only background `background` (default false): a
    /// would-be `partial` pair whose copied text (shared passages of the evidence length)
    /// covers less than half of each text and starts after both texts' leads (the headline
    /// and the first two body sentences). Off by default: a column that copies a paragraph
    /// from the middle of another story has the same shape (generated `partial` copies:
    /// recall 0.989 -> 0.844 with it on).
    pub separate_background: Option<bool>,
    /// Judge a `derived` or `partial` pair `related` when its probability of being judged
    /// reuse by a reader ([`crate::Verdict::probability`]) is under this (default 0.5: even
    /// odds; 0 turns it off). The model was fitted on readings of English news (Reuters-21578,
    /// BBC News, AG News); dates weigh in it only for two records of one series
    /// ([`crate::Hints::same_series`]), so reprints in other papers years later keep their
    /// label (README, "How sure is a verdict?").
    pub min_probability: Option<f64>,
}

impl Options {
    /// Validates the options and fills in defaults.
    pub fn build(&self) -> Result<Settings> {
        let d = Settings::default();
        let min_passage_words = match self.min_passage_words {
            None => d.min_passage_words,
            Some(n) if (2..=1000).contains(&n) => n,
            Some(n) => {
                return Err(Error::InvalidSetting {
                    name: "min_passage_words",
                    message: format!("{n} is not in 2..=1000"),
                })
            }
        };
        Ok(Settings {
            min_passage_words,
            min_pair_similarity: in_unit(
                "min_pair_similarity",
                self.min_pair_similarity,
                d.min_pair_similarity,
            )?,
            min_gap_similarity: in_unit(
                "min_gap_similarity",
                self.min_gap_similarity,
                d.min_gap_similarity,
            )?,
            min_merge_containment: in_unit(
                "min_merge_containment",
                self.min_merge_containment,
                d.min_merge_containment,
            )?,
            near_verbatim: in_unit("near_verbatim", self.near_verbatim, d.near_verbatim)?,
            reject_templates: self.reject_templates.unwrap_or(d.reject_templates),
            separate_background: self.separate_background.unwrap_or(d.separate_background),
            min_probability: in_unit("min_probability", self.min_probability, d.min_probability)?,
            ..d
        })
    }
}

/// `v` if it is in [0, 1] (NaN is not), `default` if it is not given.
fn in_unit<T: PartialOrd + From<u8> + std::fmt::Display>(
    name: &'static str,
    v: Option<T>,
    default: T,
) -> Result<T> {
    match v {
        None => Ok(default),
        Some(x) if x >= T::from(0) && x <= T::from(1) => Ok(x),
        Some(x) => Err(Error::InvalidSetting {
            name,
            message: format!("{x} is not in [0, 1]"),
        }),
    }
}

/// Resolved, validated settings for comparing documents.
///
/// `Settings::default()` is the tuned configuration; build others from
/// [`Options`].
#[derive(Debug, Clone)]
pub struct Settings {
    pub(crate) min_passage_words: usize,
    pub(crate) min_candidate_similarity: f32,
    pub(crate) min_anchor_similarity: f32,
    pub(crate) min_pair_similarity: f32,
    pub(crate) min_gap_similarity: f32,
    pub(crate) min_merge_containment: f32,
    pub(crate) near_verbatim: f32,
    pub(crate) reject_templates: bool,
    pub(crate) separate_background: bool,
    pub(crate) min_probability: f64,
    pub(crate) max_gap: usize,
    pub(crate) max_group: usize,
    pub(crate) max_partners: usize,
    pub(crate) max_stem_postings: usize,
    pub(crate) max_seed_occurrences: usize,
    pub(crate) background: Option<Arc<IdfTable>>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            min_passage_words: 6,
            min_candidate_similarity: 0.08,
            min_anchor_similarity: 0.45,
            min_pair_similarity: 0.32,
            min_gap_similarity: 0.16,
            min_merge_containment: 0.3,
            near_verbatim: 0.8,
            reject_templates: false,
            separate_background: false,
            min_probability: 0.5,
            max_gap: 4,
            max_group: 4,
            max_partners: 8,
            max_stem_postings: 200,
            max_seed_occurrences: 16,
            background: None,
        }
    }
}

impl Settings {
    /// Uses a background IDF table (built from a corpus) alongside the IDF of
    /// the pair itself.
    pub fn with_background(mut self, table: IdfTable) -> Settings {
        self.background = Some(Arc::new(table));
        self
    }
}

/// Inverse document frequencies of stems, learned from a corpus of real
/// text. Stored as JSON: `{"docs": N, "df": {"<stem>": count, ...}}`.
#[derive(Debug, Clone, Default)]
pub struct IdfTable {
    docs: u64,
    df: HashMap<u64, u32>,
}

#[derive(Serialize, Deserialize)]
struct IdfFile {
    docs: u64,
    df: HashMap<String, u32>,
}

impl IdfTable {
    /// Learns document frequencies from texts (analysed as English).
    pub fn learn<'a>(texts: impl IntoIterator<Item = &'a str>) -> IdfTable {
        let tok = Tokenizer::new(Language::ENGLISH);
        let mut table = IdfTable::default();
        for text in texts {
            table.docs += 1;
            let mut stems: Vec<u64> = tok
                .tokenize(text)
                .into_iter()
                .filter(|t| t.is_content())
                .map(|t| t.stem)
                .collect();
            stems.sort_unstable();
            stems.dedup();
            for s in stems {
                *table.df.entry(s).or_default() += 1;
            }
        }
        table
    }

    /// The table's IDF for a stem key, if the stem was seen.
    pub(crate) fn idf(&self, stem: u64) -> Option<f32> {
        let df = *self.df.get(&stem)?;
        Some((1.0 + self.docs as f32 / df as f32).ln())
    }

    /// Number of documents the table was learned from.
    pub fn docs(&self) -> u64 {
        self.docs
    }

    /// Serializes the table as JSON.
    pub fn to_json(&self) -> String {
        let file = IdfFile {
            docs: self.docs,
            df: self
                .df
                .iter()
                .map(|(k, v)| (format!("{k:016x}"), *v))
                .collect(),
        };
        serde_json::to_string(&file).unwrap_or_default()
    }

    /// Parses a table written by [`IdfTable::to_json`]. `source` names the
    /// file in errors.
    pub fn from_json(source: &str, json: &str) -> Result<IdfTable> {
        let parse_err = |message: String| Error::Parse {
            source_name: source.to_string(),
            line: None,
            message,
        };
        let file: IdfFile = serde_json::from_str(json).map_err(|e| parse_err(e.to_string()))?;
        let mut df = HashMap::with_capacity(file.df.len());
        for (k, v) in file.df {
            let key = u64::from_str_radix(&k, 16)
                .map_err(|_| parse_err(format!("bad stem key {k:?}")))?;
            df.insert(key, v);
        }
        Ok(IdfTable {
            docs: file.docs,
            df,
        })
    }

    #[cfg(test)]
    pub(crate) fn stem_key(word: &str) -> u64 {
        xxhash_rust::xxh3::xxh3_64(word.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_validate() {
        let bad = Options {
            min_pair_similarity: Some(1.5),
            ..Options::default()
        };
        assert!(matches!(
            bad.build(),
            Err(Error::InvalidSetting {
                name: "min_pair_similarity",
                ..
            })
        ));
        let ok = Options {
            min_passage_words: Some(8),
            ..Options::default()
        }
        .build()
        .expect("valid");
        assert_eq!(ok.min_passage_words, 8);
    }

    #[test]
    fn idf_table_round_trips() {
        let t = IdfTable::learn(["the harbour closed", "the harbour opened", "a storm came"]);
        let back = IdfTable::from_json("t.json", &t.to_json()).expect("round trip");
        assert_eq!(back.docs(), 3);
        let harbour = IdfTable::stem_key("harbour");
        let storm = IdfTable::stem_key("storm");
        assert!(back.idf(storm) > back.idf(harbour));
        assert!(IdfTable::from_json("x.json", "{").is_err());
    }
}
