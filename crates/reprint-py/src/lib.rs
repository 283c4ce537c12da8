//! Python bindings of reprint: `reprint._reprint`, wrapped by the pure-Python package in
//! `python/reprint/`. Every result crosses as the JSON the CLI prints (`compare --json`,
//! `pairs.jsonl` lines, `summary.json`), so Python and the CLI share one schema. Long calls
//! release the GIL. Library errors become `ValueError` (bad input or settings) or `OSError`
//! (files), with the library's message.

use std::path::PathBuf;

use pyo3::exceptions::{PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};

mod arrow;
mod index;
mod stages;

use reprint::{
    Background, Comparer as LibComparer, Corpus, Detail, DirSink, Document, Hints, MemorySink,
    NoProgress, Options, ScanSettings, ScanSink, Settings, Timestamp,
};

/// A library error as the Python exception a caller expects.
pub(crate) fn py_err(e: reprint::Error) -> PyErr {
    // The message with its cause, as the CLI prints it ("... on PATH: No such file ...").
    let mut message = e.to_string();
    let mut cause = std::error::Error::source(&e);
    while let Some(c) = cause {
        message = format!("{message}: {c}");
        cause = c.source();
    }
    match e {
        reprint::Error::Io { .. } => PyOSError::new_err(message),
        _ => PyValueError::new_err(message),
    }
}

/// Comparison settings from keyword arguments (the names of `reprint::Options`).
pub(crate) fn compare_options(kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Options> {
    let mut o = Options::default();
    if let Some(kw) = kwargs {
        for (k, v) in kw.iter() {
            let key: String = k.extract()?;
            match key.as_str() {
                "min_passage_words" => o.min_passage_words = v.extract()?,
                "min_pair_similarity" => o.min_pair_similarity = v.extract()?,
                "min_gap_similarity" => o.min_gap_similarity = v.extract()?,
                "min_merge_containment" => o.min_merge_containment = v.extract()?,
                "near_verbatim" => o.near_verbatim = v.extract()?,
                "reject_templates" => o.reject_templates = v.extract()?,
                "min_probability" => o.min_probability = v.extract()?,
                other => {
                    return Err(PyTypeError::new_err(format!(
                        "unexpected setting {other:?} (compare settings: min_passage_words, \
                         min_pair_similarity, min_gap_similarity, min_merge_containment, \
                         near_verbatim, reject_templates, min_probability)"
                    )))
                }
            }
        }
    }
    Ok(o)
}

/// A text given as `str` (taken as is) or `bytes` (decoded as a file is: UTF-8, UTF-16 with
/// a byte-order mark, or Latin-1; binary data is refused).
fn document(id: &str, text: &Bound<'_, PyAny>) -> PyResult<Document> {
    if let Ok(s) = text.downcast::<PyString>() {
        return Ok(Document::from_text(id, &s.to_cow()?));
    }
    if let Ok(b) = text.downcast::<PyBytes>() {
        return Document::from_bytes(id, b.as_bytes()).map_err(py_err);
    }
    Err(PyTypeError::new_err(format!(
        "text {id:?} must be str or bytes, not {}",
        text.get_type().name()?
    )))
}

pub(crate) fn date(which: &str, d: Option<&str>) -> PyResult<Option<Timestamp>> {
    d.map(|s| Timestamp::parse(s).map_err(|e| PyValueError::new_err(format!("{which}: {e}"))))
        .transpose()
}

pub(crate) fn json_loads<'py>(py: Python<'py>, s: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.call_method1("loads", (s,))
}

/// `reprint.compare(a, b, *, date_a=None, date_b=None, id_a="a", id_b="b", background=None,
/// same_series=False, **settings)`: the comparison as `reprint compare --json` prints it.
/// `same_series`: both texts come from one outlet, so their dates also weigh in the
/// probability of reuse (`reprint compare --same-series`).
#[pyfunction]
#[pyo3(signature = (a, b, *, date_a=None, date_b=None, id_a="a", id_b="b", background=None, same_series=false, **settings))]
#[allow(clippy::too_many_arguments)]
fn compare<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
    date_a: Option<&str>,
    date_b: Option<&str>,
    id_a: &str,
    id_b: &str,
    background: Option<PathBuf>,
    same_series: bool,
    settings: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    Comparer::new(settings)?.compare(
        py,
        a,
        b,
        date_a,
        date_b,
        id_a,
        id_b,
        background,
        same_series,
    )
}

/// `reprint.Comparer(**settings)`: settings checked once, then `compare` many times.
#[pyclass(name = "Comparer", module = "reprint", frozen)]
struct Comparer {
    settings: Settings,
}

#[pymethods]
impl Comparer {
    #[new]
    #[pyo3(signature = (**settings))]
    fn new(settings: Option<&Bound<'_, PyDict>>) -> PyResult<Comparer> {
        Ok(Comparer {
            settings: compare_options(settings)?.build().map_err(py_err)?,
        })
    }

    /// Compares two texts (see `reprint.compare`): the documents are prepared under the
    /// GIL, the comparison runs without it.
    #[pyo3(signature = (a, b, *, date_a=None, date_b=None, id_a="a", id_b="b", background=None, same_series=false))]
    #[allow(clippy::too_many_arguments)]
    fn compare<'py>(
        &self,
        py: Python<'py>,
        a: &Bound<'py, PyAny>,
        b: &Bound<'py, PyAny>,
        date_a: Option<&str>,
        date_b: Option<&str>,
        id_a: &str,
        id_b: &str,
        background: Option<PathBuf>,
        same_series: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        // Prepared under the GIL, compared without it.
        let (da, db) = (document(id_a, a)?, document(id_b, b)?);
        let (ta, tb) = (date("date_a", date_a)?, date("date_b", date_b)?);
        let settings = self.settings.clone();
        let json = py.allow_threads(move || -> reprint::Result<String> {
            let shared = match background {
                Some(p) => Some(Background::read(&p)?.shared_text(&da, &db)),
                None => None,
            };
            let hints = Hints {
                date_a: ta,
                date_b: tb,
                shared,
                same_series,
                ..Hints::default()
            };
            let cmp = LibComparer::new(settings).compare_with(&da, &db, &hints);
            let mut out = Vec::new();
            reprint::ReportSink::write(&mut reprint::JsonSink::new(&mut out), &cmp, &da, &db)?;
            Ok(String::from_utf8_lossy(&out).into_owned())
        });
        json_loads(py, &json.map_err(py_err)?)
    }
}

/// Scan settings from keyword arguments (the names of `reprint scan`'s options), and the
/// longest text accepted (records given in memory are checked against it here).
pub(crate) fn scan_settings(kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<(ScanSettings, usize)> {
    let mut b = ScanSettings::builder();
    let mut max_doc_bytes: usize = 64 << 20;
    let mut compare = Options::default();
    if let Some(kw) = kwargs {
        for (k, v) in kw.iter() {
            let key: String = k.extract()?;
            b = match key.as_str() {
                "ngram" => b.ngram(v.extract()?),
                "window" => b.window(v.extract()?),
                "max_df" => b.max_df(v.extract()?),
                "rare_terms" => b.rare_terms(v.extract()?),
                "rare_max_df" => b.rare_max_df(v.extract()?),
                "min_shared" => b.min_shared_ngrams(v.extract()?),
                "min_rare" => b.min_rare_hits(v.extract()?),
                "skip_same_series" => b.skip_same_series(v.extract()?),
                "date_window" => b.date_window(v.extract()?),
                "max_doc_bytes" => {
                    max_doc_bytes = v.extract()?;
                    b.max_doc_bytes(max_doc_bytes)
                }
                "emit" => {
                    let labels: Vec<String> = match v.extract::<String>() {
                        Ok(s) => s.split(',').map(|x| x.trim().to_string()).collect(),
                        Err(_) => v.extract()?,
                    };
                    b.emit(labels)
                }
                "detail" => match v.extract::<String>()?.as_str() {
                    "slim" => b.detail(Detail::Slim),
                    "full" => b.detail(Detail::Full),
                    other => {
                        return Err(PyValueError::new_err(format!(
                            "detail must be \"slim\" or \"full\", not {other:?}"
                        )))
                    }
                },
                "reject_templates" => {
                    compare.reject_templates = v.extract()?;
                    b
                }
                "min_probability" => {
                    compare.min_probability = v.extract()?;
                    b
                }
                other => {
                    return Err(PyTypeError::new_err(format!(
                        "unexpected setting {other:?} (scan settings: ngram, window, max_df, \
                         rare_terms, rare_max_df, min_shared, min_rare, skip_same_series, \
                         date_window, max_doc_bytes, emit, detail, reject_templates, \
                         min_probability)"
                    )))
                }
            };
        }
    }
    let settings = b
        .compare_settings(compare.build().map_err(py_err)?)
        .build()
        .map_err(py_err)?;
    Ok((settings, max_doc_bytes))
}

/// Collects pairs (and clusters and the summary) in memory and, with `out`, also writes
/// them to a directory as `reprint scan --out` does.
struct Tee {
    memory: MemorySink,
    dir: Option<DirSink>,
}

impl ScanSink for Tee {
    fn pair(&mut self, pair: &reprint::VerifiedPair<'_>) -> reprint::Result<()> {
        if let Some(d) = &mut self.dir {
            d.pair(pair)?;
        }
        self.memory.pair(pair)
    }
    fn cluster(&mut self, cluster: &reprint::ClusterRecord<'_>) -> reprint::Result<()> {
        if let Some(d) = &mut self.dir {
            d.cluster(cluster)?;
        }
        self.memory.cluster(cluster)
    }
    fn summary(&mut self, summary: &reprint::ScanSummary) -> reprint::Result<()> {
        if let Some(d) = &mut self.dir {
            d.summary(summary)?;
        }
        self.memory.summary(summary)
    }
}

/// One record given in memory.
pub(crate) struct Record {
    pub(crate) id: String,
    pub(crate) text: String,
    pub(crate) series: Option<String>,
    pub(crate) date: Option<String>,
}

fn field(d: &Bound<'_, PyDict>, name: &str, at: usize) -> PyResult<Option<String>> {
    match d.get_item(name)? {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => v.extract::<String>().map(Some).map_err(|_| {
            PyValueError::new_err(format!("record {at}: field {name:?} must be a string"))
        }),
    }
}

/// Inputs given to `scan` or `Index.add`: all paths or all records.
pub(crate) enum Items {
    Paths(Vec<PathBuf>),
    Records(Vec<Record>),
}

/// One path (`str` or `os.PathLike`: JSONL, .jsonl.gz, text files, directories) or an
/// iterable of paths or of records (dicts with `id`, `text`, optional `series` and `date`).
pub(crate) fn read_items(inputs: &Bound<'_, PyAny>) -> PyResult<Items> {
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut records: Vec<Record> = Vec::new();
    let single = !inputs.is_instance_of::<PyDict>() && inputs.extract::<PathBuf>().is_ok();
    let items: Vec<Bound<'_, PyAny>> = if single {
        vec![inputs.clone()]
    } else {
        inputs.try_iter()?.collect::<PyResult<_>>()?
    };
    for (at, item) in items.iter().enumerate() {
        if let Ok(d) = item.downcast::<PyDict>() {
            let id = field(d, "id", at)?
                .ok_or_else(|| PyValueError::new_err(format!("record {at}: no \"id\"")))?;
            let text = field(d, "text", at)?.ok_or_else(|| {
                PyValueError::new_err(format!("record {at} ({id:?}): no \"text\""))
            })?;
            records.push(Record {
                series: field(d, "series", at)?,
                date: field(d, "date", at)?,
                id,
                text,
            });
        } else if let Ok(p) = item.extract::<PathBuf>() {
            paths.push(p);
        } else {
            return Err(PyTypeError::new_err(format!(
                "item {at}: expected a record dict or a path, not {}",
                item.get_type().name()?
            )));
        }
    }
    match (paths.is_empty(), records.is_empty()) {
        (false, false) => Err(PyValueError::new_err(
            "give either paths or records, not both (write the records to JSONL, or read the \
             files into records)",
        )),
        (true, _) => Ok(Items::Records(records)),
        (false, true) => Ok(Items::Paths(paths)),
    }
}

/// `_scan(records_or_paths, out, settings)`: `(pairs, clusters, summary)` as JSON strings.
/// Items are all paths (`str` or `os.PathLike`: JSONL, .jsonl.gz, text files, directories)
/// or all records (dicts with `id`, `text`, optional `series` and `date`).
#[pyfunction]
#[pyo3(signature = (inputs, out=None, **settings))]
fn _scan(
    py: Python<'_>,
    inputs: &Bound<'_, PyAny>,
    out: Option<PathBuf>,
    settings: Option<&Bound<'_, PyDict>>,
) -> PyResult<(Vec<String>, Vec<String>, String)> {
    let (settings, max_doc_bytes) = scan_settings(settings)?;
    let (paths, records) = match read_items(inputs)? {
        Items::Paths(p) => (p, Vec::new()),
        Items::Records(r) => (Vec::new(), r),
    };
    let mut sink = Tee {
        memory: MemorySink::default(),
        dir: match &out {
            Some(d) => Some(DirSink::create(d).map_err(py_err)?),
            None => None,
        },
    };
    let result = py.allow_threads(|| {
        if records.is_empty() {
            reprint::scan_paths(&paths, &settings, &mut sink, &NoProgress)
        } else {
            let mut corpus = Corpus::new();
            for r in &records {
                corpus.push(
                    &r.id,
                    r.series.as_deref(),
                    r.date.as_deref(),
                    &r.text,
                    max_doc_bytes,
                );
            }
            // `scan_corpus` leaves the summary to its caller (`scan_paths` adds the time
            // spent reading): given to the sink, it puts a directory's files in place.
            let summary = reprint::scan_corpus(&corpus, &settings, &mut sink, &NoProgress)?;
            sink.summary(&summary)?;
            Ok(summary)
        }
    });
    result.map_err(py_err)?;
    let Tee { memory, .. } = sink;
    Ok((
        memory.pairs,
        memory.clusters,
        memory.summary.unwrap_or_default(),
    ))
}

/// The version of the engine.
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

#[pymodule]
fn _reprint(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(_scan, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_class::<Comparer>()?;
    m.add_class::<index::Index>()?;
    m.add_function(wrap_pyfunction!(arrow::compare_pairs, m)?)?;
    m.add_function(wrap_pyfunction!(stages::stage_parse, m)?)?;
    m.add_function(wrap_pyfunction!(stages::stage_prints, m)?)?;
    m.add_function(wrap_pyfunction!(stages::stage_families, m)?)?;
    m.add_function(wrap_pyfunction!(stages::stage_recurring, m)?)?;
    m.add_function(wrap_pyfunction!(stages::stage_verify, m)?)?;
    m.add_function(wrap_pyfunction!(stages::stage_cluster, m)?)?;
    m.add_function(wrap_pyfunction!(stages::stage_constants, m)?)?;
    m.add_function(wrap_pyfunction!(stages::stage_ngram_weight, m)?)?;
    m.add_function(wrap_pyfunction!(stages::stage_pair_kept, m)?)?;
    Ok(())
}
