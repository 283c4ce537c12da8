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

    /// Non-fatal problems with records that were added (e.g. invalid UTF-8 replaced, an
    /// invalid date).
    pub fn warnings(&self) -> &[Skipped] {
        &self.warnings
    }

    /// Bytes of text.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Reads JSONL records held in memory (not gzipped) as `scan` and `index add` read a
    /// JSONL file: the same fields, and a bad record is skipped and listed in
    /// [`Corpus::skipped`] with `source` (a name for messages: no file is read) and its line.
    ///
    /// ```
    /// let c = reprint::Corpus::from_jsonl("request", b"{\"id\": 1, \"text\": \"Rain fell.\"}\n{\"id\": 2}\n", 1 << 20);
    /// assert_eq!((c.len(), c.skipped().len()), (1, 1));
    /// ```
    pub fn from_jsonl(source: &str, data: &[u8], max_doc_bytes: usize) -> Corpus {
        let mut corpus = Corpus::new();
        let opts = ReadOptions { max_doc_bytes };
        if let Err((line, e)) = read_jsonl(&mut corpus, data, source, &opts) {
            corpus.skip(source, line, None, format!("read error: {e}"));
        }
        corpus.finish_reading();
        corpus
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
        if let Some(reason) = text_problem(&doc.text, max) {
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
/// sorted order. Only a missing top-level input stops the run: a file or directory that
/// cannot be read, a special file (FIFO, socket, device), a dangling link or a bad record is
/// skipped with its path and reason, and reading goes on.
pub(crate) fn read_inputs(inputs: &[PathBuf], opts: &ReadOptions) -> Result<Corpus> {
    let mut corpus = Corpus::new();
    let mut walk = Walk::default();
    for input in inputs {
        let meta =
            std::fs::metadata(input).map_err(|e| Error::io(input.display().to_string(), e))?;
        if meta.is_dir() {
            walk.dir(input, input, &meta, 0, &mut corpus, opts);
        } else if meta.is_file() && Kind::of(input).is_none() {
            return Err(Error::Input {
                path: input.display().to_string(),
                message: "unknown input format: expected .jsonl, .jsonl.gz, .ndjson, .txt, \
                          a file without extension, or a directory"
                    .into(),
            });
        } else {
            walk.file(input, None, &meta, &mut corpus, opts);
        }
    }
    corpus.finish_reading();
    Ok(corpus)
}

/// Deeper directories than this are not entered (a tree this deep is a mistake or a trap).
const MAX_DEPTH: usize = 256;

/// A directory walk that follows links safely: it enters each directory once and reads
/// each file once, whatever links lead to them, and reads only regular files.
#[derive(Default)]
struct Walk {
    /// Directories entered and files read, by identity (device and inode).
    seen: std::collections::HashSet<(u64, u64)>,
}

/// A file's identity: the same for every path or link that reaches it.
#[cfg(unix)]
fn identity(meta: &std::fs::Metadata, _: &Path) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn identity(_: &std::fs::Metadata, path: &Path) -> (u64, u64) {
    let canon = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    (
        0,
        xxhash_rust::xxh3::xxh3_64(canon.to_string_lossy().as_bytes()),
    )
}

/// What a path is that is neither a directory nor a regular file.
fn special_kind(ft: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_block_device() || ft.is_char_device() {
            return "a device";
        }
    }
    let _ = ft;
    "not a regular file"
}

impl Walk {
    fn dir(
        &mut self,
        root: &Path,
        dir: &Path,
        meta: &std::fs::Metadata,
        depth: usize,
        corpus: &mut Corpus,
        opts: &ReadOptions,
    ) {
        let shown = dir.display().to_string();
        if !self.seen.insert(identity(meta, dir)) {
            corpus.warnings.push(Skipped {
                source: shown,
                line: None,
                id: None,
                reason: "directory already read (a link loop or a second link to it)".into(),
            });
            return;
        }
        if depth > MAX_DEPTH {
            corpus.skip(
                &shown,
                None,
                None,
                format!("more than {MAX_DEPTH} levels deep"),
            );
            return;
        }
        let mut entries = Vec::new();
        match std::fs::read_dir(dir) {
            Ok(rd) => {
                for e in rd {
                    match e {
                        Ok(e) => entries.push(e.path()),
                        Err(e) => corpus.skip(&shown, None, None, format!("cannot list: {e}")),
                    }
                }
            }
            Err(e) => {
                corpus.skip(&shown, None, None, format!("cannot read directory: {e}"));
                return;
            }
        }
        entries.sort();
        for p in entries {
            let hidden = p
                .file_name()
                .is_some_and(|n| n.as_encoded_bytes().starts_with(b"."));
            if hidden {
                continue;
            }
            let shown = p.display().to_string();
            // `metadata` follows links; a link whose target is gone fails here.
            let meta = match std::fs::metadata(&p) {
                Ok(m) => m,
                Err(e) => {
                    let link = std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_symlink());
                    let reason = if link && e.kind() == std::io::ErrorKind::NotFound {
                        "dangling symbolic link (its target does not exist)".to_string()
                    } else if link {
                        format!("symbolic link that cannot be followed: {e}")
                    } else {
                        format!("cannot read: {e}")
                    };
                    if Kind::of(&p).is_some() || link {
                        corpus.skip(&shown, None, None, reason);
                    }
                    continue;
                }
            };
            if meta.is_dir() {
                self.dir(root, &p, &meta, depth + 1, corpus, opts);
            } else if Kind::of(&p).is_none() {
                corpus.warnings.push(Skipped {
                    source: shown,
                    line: None,
                    id: None,
                    reason: "ignored: not a .txt, .jsonl or .jsonl.gz file".into(),
                });
            } else {
                let rel = p.strip_prefix(root).unwrap_or(&p).to_path_buf();
                self.file(&p, Some(&rel), &meta, corpus, opts);
            }
        }
    }

    /// Reads one file, unless it is special or was read already.
    fn file(
        &mut self,
        path: &Path,
        rel: Option<&Path>,
        meta: &std::fs::Metadata,
        corpus: &mut Corpus,
        opts: &ReadOptions,
    ) {
        let shown = path.display().to_string();
        if !meta.is_file() {
            let reason = format!(
                "{}: only regular files are read",
                special_kind(meta.file_type())
            );
            corpus.skip(&shown, None, None, reason);
            return;
        }
        if !self.seen.insert(identity(meta, path)) {
            corpus.warnings.push(Skipped {
                source: shown,
                line: None,
                id: None,
                reason: "file already read through another path or link".into(),
            });
            return;
        }
        read_file(corpus, path, rel, opts);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Jsonl,
    JsonlGz,
    Text,
}

impl Kind {
    /// The kind of a file, from its name (which need not be UTF-8).
    fn of(path: &Path) -> Option<Kind> {
        let name = path.file_name()?.as_encoded_bytes().to_ascii_lowercase();
        let ends = |suffix: &str| name.ends_with(suffix.as_bytes());
        if ends(".jsonl") || ends(".ndjson") {
            Some(Kind::Jsonl)
        } else if ends(".jsonl.gz") || ends(".ndjson.gz") || ends(".json.gz") {
            Some(Kind::JsonlGz)
        } else if ends(".txt") || ends(".text") || !name.contains(&b'.') {
            Some(Kind::Text)
        } else {
            None
        }
    }
}

/// Reads one file of a known kind into the corpus. Nothing here stops the run: a file that
/// cannot be opened or read to its end is a skipped record (the records read before a read
/// error, e.g. a truncated `.gz`, are kept).
fn read_file(corpus: &mut Corpus, path: &Path, rel: Option<&Path>, opts: &ReadOptions) {
    let shown = path.display().to_string();
    let Some(kind) = Kind::of(path) else { return };
    corpus.files += 1;
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return corpus.skip(&shown, None, None, format!("cannot open: {e}")),
    };
    let result = match kind {
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
        Kind::Text => read_text(corpus, file, path, rel, &shown, opts),
    };
    if let Err((line, e)) = result {
        let reason = match line {
            Some(_) => format!("read error: {e}; the rest of the file is not read"),
            None => format!("read error: {e}"),
        };
        corpus.skip(&shown, line, None, reason);
    }
}

/// A read error, with the line it stopped at (JSONL).
type ReadError = (Option<u64>, std::io::Error);

fn read_text(
    corpus: &mut Corpus,
    file: File,
    path: &Path,
    rel: Option<&Path>,
    shown: &str,
    opts: &ReadOptions,
) -> std::result::Result<(), ReadError> {
    let mut bytes = Vec::new();
    let limit = opts.max_doc_bytes as u64 + 1;
    file.take(limit)
        .read_to_end(&mut bytes)
        .map_err(|e| (None, e))?;
    let id = match rel {
        Some(r) => r
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        None => path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| shown.to_string()),
    };
    if bytes.len() as u64 >= limit {
        let reason = format!("file is over the limit of {} bytes", opts.max_doc_bytes);
        corpus.skip(shown, None, Some(id), reason);
        return Ok(());
    }
    if let Some(why) = crate::normalize::not_utf8_text(&bytes) {
        corpus.skip(shown, None, Some(id), why);
        return Ok(());
    }
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let text = match std::str::from_utf8(&bytes[bom..]) {
        Ok(t) => t.to_string(),
        Err(_) => {
            let t = String::from_utf8_lossy(&bytes[bom..]).into_owned();
            corpus.warnings.push(Skipped {
                source: shown.to_string(),
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
    corpus.add(doc, shown, None, opts.max_doc_bytes);
    Ok(())
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

/// The `id` of a record exactly as written (for numbers too long for 64 bits).
fn literal_id(line: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct IdOnly<'a> {
        #[serde(borrow)]
        id: &'a RawValue,
    }
    let rec: IdOnly = serde_json::from_slice(line).ok()?;
    Some(rec.id.get().to_string())
}

/// Why a record's text is not scanned (empty, no words, too long), if it is not.
pub(crate) fn text_problem(text: &str, max: usize) -> Option<String> {
    if text.trim().is_empty() {
        return Some("empty text".into());
    }
    if !text.chars().any(char::is_alphanumeric) {
        return Some("no words (only punctuation or symbols)".into());
    }
    if text.len() > max {
        return Some(format!(
            "text of {} bytes is over the limit of {max}",
            text.len()
        ));
    }
    None
}

/// Parses one JSONL line into a document, or says why it can't.
pub(crate) fn parse_record(line: &[u8]) -> Result<NewDoc, (Option<String>, String)> {
    let rec: RawRecord = match serde_json::from_slice(line) {
        Ok(r) => r,
        Err(e) => return Err((None, format!("malformed JSON: {e}"))),
    };
    let id = match rec.id {
        Some(Value::String(s)) if !s.is_empty() => s,
        Some(Value::Number(n)) if n.is_u64() || n.is_i64() => n.to_string(),
        // Past 64 bits a number is read as a float and loses digits: keep the literal.
        Some(Value::Number(n)) => literal_id(line).unwrap_or_else(|| n.to_string()),
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

/// Reads one line into `buf` (newline included), keeping at most `limit` bytes of it: the
/// rest of an over-long line is read and dropped, so memory stays bounded whatever the
/// input. Returns the line's full length (0 at the end of the input).
fn read_line_bounded<R: BufRead>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    limit: usize,
) -> std::io::Result<usize> {
    let mut total = 0;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(total);
        }
        let (used, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        let room = limit.saturating_sub(buf.len());
        buf.extend_from_slice(&chunk[..used.min(room)]);
        reader.consume(used);
        total += used;
        if done {
            return Ok(total);
        }
    }
}

/// Lines read for one parallel parse: `(line number, bytes)` to parse; the lines over the
/// size limit (recorded when the batch joins the corpus, so skips keep their order); and how
/// reading stopped, if it did.
#[derive(Default)]
struct Batch {
    lines: Vec<(u64, Vec<u8>)>,
    over: Vec<(u64, String)>,
    eof: bool,
    failed: Option<ReadError>,
}

/// Reads the next batch of lines (about 8 MB); `line_no` counts the lines read so far.
fn read_batch<R: BufRead>(reader: &mut R, line_no: &mut u64, max_line: usize) -> Batch {
    const BATCH_BYTES: usize = 8 << 20;
    let mut batch = Batch::default();
    let mut batch_bytes = 0;
    while batch_bytes < BATCH_BYTES {
        let mut buf = Vec::new();
        let n = match read_line_bounded(reader, &mut buf, max_line + 1) {
            Ok(n) => n,
            Err(e) => {
                batch.failed = Some((Some(*line_no + 1), e));
                break;
            }
        };
        if n == 0 {
            batch.eof = true;
            break;
        }
        *line_no += 1;
        batch_bytes += buf.len();
        if n > max_line {
            let reason = format!("line of {n} bytes is over the limit of {max_line}");
            batch.over.push((*line_no, reason));
            continue;
        }
        // A byte order mark before the first record is not part of it.
        if *line_no == 1 && buf.starts_with(b"\xEF\xBB\xBF") {
            buf.drain(..3);
        }
        batch.lines.push((*line_no, buf));
    }
    batch
}

fn read_jsonl<R: BufRead + Send>(
    corpus: &mut Corpus,
    mut reader: R,
    shown: &str,
    opts: &ReadOptions,
) -> std::result::Result<(), ReadError> {
    let max_line = super::stages::max_line_bytes(opts.max_doc_bytes);
    let mut line_no: u64 = 0;
    let mut batch = read_batch(&mut reader, &mut line_no, max_line);
    loop {
        // A batch is parsed in parallel while the next one is read; records join the corpus
        // in order.
        let last = batch.eof || batch.failed.is_some();
        let lines = std::mem::take(&mut batch.lines);
        let (parsed, next) = rayon::join(
            || {
                lines
                    .into_par_iter()
                    .map(|(no, buf)| {
                        let trimmed = buf.trim_ascii();
                        if trimmed.is_empty() {
                            (no, None)
                        } else {
                            (no, Some(parse_line(trimmed)))
                        }
                    })
                    .collect::<Vec<(u64, Option<ParsedLine>)>>()
            },
            || (!last).then(|| read_batch(&mut reader, &mut line_no, max_line)),
        );
        for (no, reason) in batch.over.drain(..) {
            corpus.skip(shown, Some(no), None, reason);
        }
        for (no, rec) in parsed {
            match rec {
                None => {}
                Some(Ok((doc, replaced))) => {
                    if replaced {
                        corpus.warnings.push(Skipped {
                            source: shown.to_string(),
                            line: Some(no),
                            id: Some(doc.id.clone()),
                            reason: "invalid UTF-8 replaced with U+FFFD".into(),
                        });
                    }
                    corpus.add(doc, shown, Some(no), opts.max_doc_bytes);
                }
                Some(Err((id, reason))) => corpus.skip(shown, Some(no), id, reason),
            }
        }
        if let Some(f) = batch.failed {
            return Err(f);
        }
        match next {
            Some(b) => batch = b,
            None => return Ok(()),
        }
    }
}

/// Reads JSONL (gzipped when `gzip`) from memory into a new corpus, as a scan reads a file
/// (for the fuzz targets). Returns the corpus and the read error, if any.
#[cfg(feature = "fuzzing")]
pub(crate) fn read_jsonl_bytes(data: &[u8], gzip: bool, max_doc_bytes: usize) -> Corpus {
    let mut corpus = Corpus::new();
    let opts = ReadOptions { max_doc_bytes };
    let r = if gzip {
        let dec = flate2::read::MultiGzDecoder::new(data);
        read_jsonl(&mut corpus, BufReader::new(dec), "fuzz", &opts)
    } else {
        read_jsonl(&mut corpus, data, "fuzz", &opts)
    };
    if let Err((line, e)) = r {
        corpus.skip("fuzz", line, None, format!("read error: {e}"));
    }
    corpus
}

/// Parses a JSONL line; a line with invalid UTF-8 is read with the bad bytes replaced
/// (the flag says so), as a text file is.
fn parse_line(line: &[u8]) -> ParsedLine {
    match parse_record(line) {
        Err(_) if std::str::from_utf8(line).is_err() => {
            let fixed = String::from_utf8_lossy(line);
            parse_record(fixed.as_bytes()).map(|doc| (doc, true))
        }
        r => r.map(|doc| (doc, false)),
    }
}

/// One parsed JSONL line: a document (and whether invalid UTF-8 was replaced in it), or the
/// record id (if readable) and why it was skipped.
type ParsedLine = Result<(NewDoc, bool), (Option<String>, String)>;

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

    fn read_bytes(name: &str, bytes: &[u8]) -> Corpus {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let opts = ReadOptions {
            max_doc_bytes: 1 << 20,
        };
        read_inputs(&[path], &opts).expect("read")
    }

    #[test]
    fn jsonl_keeps_a_bom_record_an_invalid_byte_and_long_numeric_ids() {
        let mut data = b"\xEF\xBB\xBF{\"id\":\"first\",\"text\":\"Record one.\"}\n".to_vec();
        data.extend_from_slice(b"{\"id\":\"second\",\"text\":\"Caf\xe9 record two.\"}\n");
        data.extend_from_slice(b"{\"id\":123456789012345678901234567890,\"text\":\"Three.\"}\n");
        data.extend_from_slice(b"{\"id\":123456789012345678901234567891,\"text\":\"Four.\"}\n");
        let c = read_bytes("r.jsonl", &data);
        let ids: Vec<&str> = c.docs.iter().map(|d| &*d.id).collect();
        assert_eq!(
            ids,
            [
                "first",
                "second",
                "123456789012345678901234567890",
                "123456789012345678901234567891"
            ]
        );
        assert!(c.skipped.is_empty(), "{:?}", c.skipped);
        assert_eq!(&*c.texts[1], "Caf\u{FFFD} record two.");
        assert_eq!(c.warnings.len(), 1);
        assert_eq!(c.warnings[0].line, Some(2));
        assert!(c.warnings[0].reason.contains("invalid UTF-8"));
    }

    #[test]
    fn a_truncated_gzip_keeps_the_records_before_the_break() {
        use std::io::Write;
        let mut jsonl = String::new();
        for i in 0..2000 {
            jsonl.push_str(&format!(
                "{{\"id\":\"d{i}\",\"text\":\"Story number {i} about item {} and more.\"}}\n",
                i * 7919 % 10007
            ));
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(jsonl.as_bytes()).expect("compress");
        let full = gz.finish().expect("compress");
        let cut = &full[..full.len() * 2 / 3];
        let c = read_bytes("t.jsonl.gz", cut);
        assert!(c.len() > 100 && c.len() < 2000, "{} records", c.len());
        assert_eq!(c.skipped.len(), 1, "{:?}", c.skipped);
        assert!(
            c.skipped[0].reason.contains("read error"),
            "{:?}",
            c.skipped
        );
        assert_eq!(c.skipped[0].line, Some(c.len() as u64 + 1));
    }

    #[test]
    fn over_long_lines_are_read_in_bounded_memory() {
        let mut input: &[u8] = b"short\nabcdefghij\nend";
        let mut lines = Vec::new();
        loop {
            let mut buf = Vec::new();
            let n = read_line_bounded(&mut input, &mut buf, 4).expect("read");
            if n == 0 {
                break;
            }
            lines.push((n, buf));
        }
        assert_eq!(
            lines,
            [
                (6, b"shor".to_vec()),
                (11, b"abcd".to_vec()),
                (3, b"end".to_vec())
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn walk_survives_link_loops_fifos_dangling_links_and_unreadable_files() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("L");
        let sub = root.join("sub");
        std::fs::create_dir_all(&sub).expect("mkdir");
        std::fs::write(root.join("a.txt"), "The ferry runs again on Monday.").expect("a");
        std::fs::write(sub.join("b.txt"), "The bridge opens on Friday.").expect("b");
        for i in 1..=3 {
            symlink(".", root.join(format!("l{i}"))).expect("loop link");
        }
        symlink("..", sub.join("up")).expect("up link");
        symlink("a.txt", root.join("same.txt")).expect("file link");
        symlink("/no/such/target.txt", root.join("dangling.txt")).expect("dangling");
        let fifo = root.join("pipe.txt");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        let opts = ReadOptions {
            max_doc_bytes: 1 << 20,
        };
        let c = read_inputs(std::slice::from_ref(&root), &opts).expect("read");
        let ids: Vec<&str> = c.docs.iter().map(|d| &*d.id).collect();
        assert_eq!(ids, ["a.txt", "sub/b.txt"]);
        let skipped: Vec<&str> = c.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert!(
            skipped.iter().any(|r| r.starts_with("dangling")),
            "{skipped:?}"
        );
        if made.is_ok_and(|s| s.success()) {
            assert!(skipped.iter().any(|r| r.contains("FIFO")), "{skipped:?}");
        }
        let loops = c
            .warnings
            .iter()
            .filter(|w| w.reason.contains("already read"))
            .count();
        assert_eq!(loops, 5, "{:?}", c.warnings);
        // The FIFO given directly is skipped too, not opened.
        if fifo.exists() {
            let c = read_inputs(&[fifo], &opts).expect("read");
            assert!(c.is_empty() && c.skipped.len() == 1);
        }
    }

    #[test]
    fn file_kinds_from_names_that_are_not_utf8() {
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let name = std::ffi::OsStr::from_bytes(b"caf\xe9.TXT");
            assert_eq!(Kind::of(Path::new(name)), Some(Kind::Text));
            let gz = std::ffi::OsStr::from_bytes(b"\xff.jsonl.gz");
            assert_eq!(Kind::of(Path::new(gz)), Some(Kind::JsonlGz));
        }
        assert_eq!(Kind::of(Path::new("x.pdf")), None);
    }

    #[test]
    fn corpus_skips_empty_duplicate_and_large() {
        let mut c = Corpus::new();
        assert!(c.push("a", Some("s"), Some("2001-01-01"), "Some text.", 100));
        assert!(!c.push("a", None, None, "Other text.", 100));
        assert!(!c.push("b", None, None, "  \n ", 100));
        assert!(!c.push("c", None, None, &"x".repeat(101), 100));
        assert!(!c.push("d", None, None, "!!! ... 🎉🎉", 100));
        assert_eq!(c.len(), 1);
        let reasons: Vec<&str> = c.skipped().iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(reasons.len(), 4);
        assert!(reasons[3].starts_with("no words"));
        assert_eq!(reasons[0], "duplicate id");
        assert_eq!(reasons[1], "empty text");
        assert!(reasons[2].contains("over the limit"));
    }
}
