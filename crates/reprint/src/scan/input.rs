//! Input readers: JSONL (optionally gzipped) with passim fields, and trees of text files.
//!
//! A bad record never stops a run: it is recorded as [`Skipped`] with its file and line,
//! and reading goes on.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::dates::Timestamp;
use crate::error::{Error, Result};

/// A record that was not scanned, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    /// The file (or stream) the record came from.
    pub source: String,
    /// The 1-based line of a JSONL record; `None` for a text file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The record's id, when it could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Why it was skipped.
    pub reason: String,
}

/// One scanned document's metadata (its text is kept beside it in [`Corpus`]).
#[derive(Debug)]
pub(crate) struct DocMeta {
    pub id: Box<str>,
    /// Index into `Corpus::series_names`, or `NO_SERIES`.
    pub series: u32,
    /// Days since 1970-01-01, when a date was given and is valid.
    pub day: Option<i32>,
    /// The date, when given and valid.
    pub time: Option<Timestamp>,
    /// The date exactly as given (even when invalid), passed through to the output.
    pub date: Option<Box<str>>,
    /// Any other fields of the record, as a JSON object, passed through to the output.
    pub extra: Option<Box<RawValue>>,
}

pub(crate) const NO_SERIES: u32 = u32::MAX;

/// All documents of a scan, in input order. Document `i` is `docs[i]` with text `texts[i]`.
#[derive(Debug, Default)]
pub struct Corpus {
    pub(crate) docs: Vec<DocMeta>,
    pub(crate) texts: Vec<Box<str>>,
    pub(crate) series_names: Vec<Box<str>>,
    series_index: HashMap<Box<str>, u32>,
    ids: HashMap<Box<str>, u32>,
    /// Total bytes of text.
    pub(crate) bytes: u64,
    /// Records that were not added.
    pub(crate) skipped: Vec<Skipped>,
    /// Non-fatal problems with records that were added (e.g. invalid UTF-8 replaced).
    pub(crate) warnings: Vec<Skipped>,
    /// Input files read.
    pub(crate) files: u64,
}

/// Options for reading inputs.
#[derive(Debug, Clone)]
pub(crate) struct ReadOptions {
    /// Texts longer than this many bytes are skipped.
    pub max_doc_bytes: usize,
}

/// A record as read, before it joins the corpus.
pub(crate) struct NewDoc {
    pub id: String,
    pub series: Option<String>,
    pub date: Option<String>,
    pub text: String,
    pub extra: Option<Box<RawValue>>,
}

impl Corpus {
    /// An empty corpus.
    pub fn new() -> Corpus {
        Corpus::default()
    }

    /// The number of documents.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Whether the corpus holds no document.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Records skipped while reading.
    pub fn skipped(&self) -> &[Skipped] {
        &self.skipped
    }

    /// Adds one document from memory (for library users that already hold their texts).
    /// Returns `false` and records a [`Skipped`] when it cannot be added.
    pub fn push(
        &mut self,
        id: &str,
        series: Option<&str>,
        date: Option<&str>,
        text: &str,
        max_doc_bytes: usize,
    ) -> bool {
        let doc = NewDoc {
            id: id.to_string(),
            series: series.map(str::to_string),
            date: date.map(str::to_string),
            text: text.to_string(),
            extra: None,
        };
        self.add(doc, "memory", None, max_doc_bytes)
    }

    pub(crate) fn skip(
        &mut self,
        source: &str,
        line: Option<u64>,
        id: Option<String>,
        reason: String,
    ) {
        self.skipped.push(Skipped {
            source: source.to_string(),
            line,
            id,
            reason,
        });
    }

    pub(crate) fn add(&mut self, doc: NewDoc, source: &str, line: Option<u64>, max: usize) -> bool {
        if doc.text.trim().is_empty() {
            self.skip(source, line, Some(doc.id), "empty text".into());
            return false;
        }
        if doc.text.len() > max {
            let reason = format!(
                "text of {} bytes is over the limit of {max}",
                doc.text.len()
            );
            self.skip(source, line, Some(doc.id), reason);
            return false;
        }
        if self.docs.len() >= (1usize << 31) {
            self.skip(source, line, Some(doc.id), "too many documents".into());
            return false;
        }
        let index = self.docs.len() as u32;
        let id: Box<str> = doc.id.into_boxed_str();
        if self.ids.contains_key(&id) {
            self.skip(source, line, Some(id.into()), "duplicate id".into());
            return false;
        }
        self.ids.insert(id.clone(), index);
        let series = match doc.series {
            Some(s) if !s.is_empty() => {
                let s: Box<str> = s.into_boxed_str();
                let next = self.series_names.len() as u32;
                let i = *self.series_index.entry(s.clone()).or_insert(next);
                if i == next {
                    self.series_names.push(s);
                }
                i
            }
            _ => NO_SERIES,
        };
        let given = doc.date.as_deref().filter(|d| !d.trim().is_empty());
        let time = match given.map(Timestamp::parse) {
            Some(Ok(t)) => Some(t),
            Some(Err(e)) => {
                self.warnings.push(Skipped {
                    source: source.to_string(),
                    line,
                    id: Some(id.to_string()),
                    reason: format!("{e}; the record is treated as undated"),
                });
                None
            }
            None => None,
        };
        self.bytes += doc.text.len() as u64;
        self.texts.push(doc.text.into_boxed_str());
        self.docs.push(DocMeta {
            id,
            series,
            day: time.map(|t| t.days_since_epoch()),
            time,
            date: doc.date.map(String::into_boxed_str),
            extra: doc.extra,
        });
        true
    }

    /// The series name of a document.
    pub(crate) fn series_name(&self, doc: usize) -> Option<&str> {
        let s = self.docs[doc].series;
        (s != NO_SERIES).then(|| &*self.series_names[s as usize])
    }

    /// Frees the id lookup table (not needed after reading).
    pub(crate) fn finish_reading(&mut self) {
        self.ids = HashMap::new();
        self.series_index = HashMap::new();
    }
}

/// Reads every input into one corpus, in the order given. Directories are walked in
/// sorted order. Only a missing or unreadable input stops the run; a bad record is skipped.
pub(crate) fn read_inputs(inputs: &[PathBuf], opts: &ReadOptions) -> Result<Corpus> {
    let mut corpus = Corpus::new();
    for input in inputs {
        let meta =
            std::fs::metadata(input).map_err(|e| Error::io(input.display().to_string(), e))?;
        if meta.is_dir() {
            let mut files = Vec::new();
            let mut ignored = Vec::new();
            walk(input, &mut files, &mut ignored)?;
            // Files of other kinds are not read, but the user hears about them.
            for path in ignored {
                corpus.warnings.push(Skipped {
                    source: path.display().to_string(),
                    line: None,
                    id: None,
                    reason: "ignored: not a .txt, .jsonl or .jsonl.gz file".into(),
                });
            }
            for file in files {
                let rel = file.strip_prefix(input).unwrap_or(&file);
                read_file(&mut corpus, &file, Some(rel), opts)?;
            }
        } else {
            read_file(&mut corpus, input, None, opts)?;
        }
    }
    corpus.finish_reading();
    Ok(corpus)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, ignored: &mut Vec<PathBuf>) -> Result<()> {
    let rd = std::fs::read_dir(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    let mut entries = Vec::new();
    for e in rd {
        let e = e.map_err(|e| Error::io(dir.display().to_string(), e))?;
        entries.push(e.path());
    }
    entries.sort();
    for p in entries {
        let hidden = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if p.is_dir() {
            walk(&p, out, ignored)?;
        } else if Kind::of(&p).is_some() {
            out.push(p);
        } else {
            ignored.push(p);
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Jsonl,
    JsonlGz,
    Text,
}

impl Kind {
    fn of(path: &Path) -> Option<Kind> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
            Some(Kind::Jsonl)
        } else if name.ends_with(".jsonl.gz")
            || name.ends_with(".ndjson.gz")
            || name.ends_with(".json.gz")
        {
            Some(Kind::JsonlGz)
        } else if name.ends_with(".txt") || name.ends_with(".text") || !name.contains('.') {
            Some(Kind::Text)
        } else {
            None
        }
    }
}

fn read_file(
    corpus: &mut Corpus,
    path: &Path,
    rel: Option<&Path>,
    opts: &ReadOptions,
) -> Result<()> {
    let shown = path.display().to_string();
    let kind = match Kind::of(path) {
        Some(k) => k,
        None if rel.is_none() => {
            return Err(Error::Input {
                path: shown,
                message: "unknown input format: expected .jsonl, .jsonl.gz, .txt or a directory"
                    .into(),
            })
        }
        None => return Ok(()),
    };
    corpus.files += 1;
    let file = File::open(path).map_err(|e| Error::io(&shown, e))?;
    match kind {
        Kind::Jsonl => read_jsonl(
            corpus,
            BufReader::with_capacity(1 << 20, file),
            &shown,
            opts,
        ),
        Kind::JsonlGz => {
            let dec = flate2::read::MultiGzDecoder::new(BufReader::with_capacity(1 << 20, file));
            read_jsonl(corpus, BufReader::with_capacity(1 << 20, dec), &shown, opts)
        }
        Kind::Text => {
            let mut bytes = Vec::new();
            let limit = opts.max_doc_bytes as u64 + 1;
            file.take(limit)
                .read_to_end(&mut bytes)
                .map_err(|e| Error::io(&shown, e))?;
            let id = match rel {
                Some(r) => r
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/"),
                None => path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| shown.clone()),
            };
            if bytes.len() as u64 >= limit {
                let reason = format!("file is over the limit of {} bytes", opts.max_doc_bytes);
                corpus.skip(&shown, None, Some(id), reason);
                return Ok(());
            }
            if bytes.iter().take(8192).any(|&b| b == 0) {
                corpus.skip(&shown, None, Some(id), "binary file (NUL bytes)".into());
                return Ok(());
            }
            let text = match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => {
                    let t = String::from_utf8_lossy(e.as_bytes()).into_owned();
                    corpus.warnings.push(Skipped {
                        source: shown.clone(),
                        line: None,
                        id: Some(id.clone()),
                        reason: "invalid UTF-8 replaced with U+FFFD".into(),
                    });
                    t
                }
            };
            let doc = NewDoc {
                id,
                series: None,
                date: None,
                text,
                extra: None,
            };
            corpus.add(doc, &shown, None, opts.max_doc_bytes);
            Ok(())
        }
    }
}

#[derive(Deserialize)]
struct RawRecord {
    id: Option<Value>,
    series: Option<Value>,
    date: Option<Value>,
    text: Option<Value>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

/// Parses one JSONL line into a document, or says why it can't.
pub(crate) fn parse_record(line: &[u8]) -> Result<NewDoc, (Option<String>, String)> {
    let rec: RawRecord = match serde_json::from_slice(line) {
        Ok(r) => r,
        Err(e) => return Err((None, format!("malformed JSON: {e}"))),
    };
    let id = match rec.id {
        Some(Value::String(s)) if !s.is_empty() => s,
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => {
            return Err((
                None,
                "field `id` is not a non-empty string or number".into(),
            ))
        }
        None => return Err((None, "missing field `id`".into())),
    };
    let text = match rec.text {
        Some(Value::String(s)) => s,
        Some(_) => return Err((Some(id), "field `text` is not a string".into())),
        None => return Err((Some(id), "missing field `text`".into())),
    };
    let opt_string = |v: Option<Value>| match v {
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let extra = if rec.extra.is_empty() {
        None
    } else {
        serde_json::to_string(&rec.extra)
            .ok()
            .and_then(|s| RawValue::from_string(s).ok())
    };
    Ok(NewDoc {
        id,
        series: opt_string(rec.series),
        date: opt_string(rec.date),
        text,
        extra,
    })
}

fn read_jsonl<R: BufRead>(
    corpus: &mut Corpus,
    mut reader: R,
    shown: &str,
    opts: &ReadOptions,
) -> Result<()> {
    const BATCH_BYTES: usize = 8 << 20;
    let mut line_no: u64 = 0;
    let mut eof = false;
    while !eof {
        // Read a batch of lines, then parse it in parallel; records join the corpus in order.
        let mut batch: Vec<(u64, Vec<u8>)> = Vec::new();
        let mut batch_bytes = 0;
        while batch_bytes < BATCH_BYTES {
            let mut buf = Vec::new();
            let n = reader
                .read_until(b'\n', &mut buf)
                .map_err(|e| Error::io(shown, e))?;
            if n == 0 {
                eof = true;
                break;
            }
            line_no += 1;
            batch_bytes += n;
            if buf.len() > opts.max_doc_bytes.saturating_mul(2).saturating_add(1 << 16) {
                let reason = format!("line of {} bytes is over the limit", buf.len());
                corpus.skip(shown, Some(line_no), None, reason);
                continue;
            }
            batch.push((line_no, buf));
        }
        let parsed: Vec<(u64, Option<ParsedLine>)> = batch
            .into_par_iter()
            .map(|(no, buf)| {
                let trimmed = buf.trim_ascii();
                if trimmed.is_empty() {
                    (no, None)
                } else {
                    (no, Some(parse_record(trimmed)))
                }
            })
            .collect();
        for (no, rec) in parsed {
            match rec {
                None => {}
                Some(Ok(doc)) => {
                    corpus.add(doc, shown, Some(no), opts.max_doc_bytes);
                }
                Some(Err((id, reason))) => corpus.skip(shown, Some(no), id, reason),
            }
        }
    }
    Ok(())
}

/// One parsed JSONL line: a document, or the record id (if readable) and why it was skipped.
type ParsedLine = Result<NewDoc, (Option<String>, String)>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_dates_warn_and_leave_the_record_undated() {
        let mut c = Corpus::new();
        assert!(c.push("ok", None, Some("2024-02-29T10:00Z"), "Some text.", 100));
        assert!(c.push("feb30", None, Some("2024-02-30"), "Other text.", 100));
        assert!(c.push("junk", None, Some("abc"), "Third text.", 100));
        assert!(c.push("none", None, None, "Fourth text.", 100));
        let days: Vec<Option<i32>> = c.docs.iter().map(|d| d.day).collect();
        assert_eq!(days, [Some(19782), None, None, None]);
        // The date as given still goes to the output.
        assert_eq!(c.docs[1].date.as_deref(), Some("2024-02-30"));
        let warned: Vec<&str> = c.warnings.iter().filter_map(|w| w.id.as_deref()).collect();
        assert_eq!(warned, ["feb30", "junk"]);
        assert!(c.warnings[0].reason.contains("has 29 days"));
        assert!(c.warnings[1].reason.contains("treated as undated"));
    }

    #[test]
    fn records() {
        let ok =
            parse_record(br#"{"id":7,"text":"Hello there.","series":"s1","url":"u","n":[1,2]}"#);
        let Ok(doc) = ok else { panic!("record parses") };
        assert_eq!(doc.id, "7");
        assert_eq!(doc.series.as_deref(), Some("s1"));
        let extra = doc.extra.expect("extra fields kept");
        assert_eq!(extra.get(), r#"{"n":[1,2],"url":"u"}"#);

        let bad = parse_record(br#"{"id":"x","text":"#);
        assert!(matches!(bad, Err((None, ref m)) if m.starts_with("malformed JSON")));
        let no_text = parse_record(br#"{"id":"x"}"#);
        assert!(matches!(no_text, Err((Some(ref id), _)) if id == "x"));
        let no_id = parse_record(br#"{"text":"abc"}"#);
        assert!(no_id.is_err());
    }

    #[test]
    fn corpus_skips_empty_duplicate_and_large() {
        let mut c = Corpus::new();
        assert!(c.push("a", Some("s"), Some("2001-01-01"), "Some text.", 100));
        assert!(!c.push("a", None, None, "Other text.", 100));
        assert!(!c.push("b", None, None, "  \n ", 100));
        assert!(!c.push("c", None, None, &"x".repeat(101), 100));
        assert_eq!(c.len(), 1);
        let reasons: Vec<&str> = c.skipped().iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(reasons.len(), 3);
        assert_eq!(reasons[0], "duplicate id");
        assert_eq!(reasons[1], "empty text");
        assert!(reasons[2].contains("over the limit"));
    }
}
