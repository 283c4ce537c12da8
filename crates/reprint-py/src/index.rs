//! `reprint.Index`: the on-disk index of `reprint index` and `reprint query`, from Python.
//!
//! One `Index` object holds one `reprint::index::Index` behind a read-write lock, as the
//! HTTP service does: queries, `get`, `stats` and `len` share it (threads query in
//! parallel), `add` and `remove` take it alone until their commit. The library's rules for
//! processes stand: the writer's lock on the directory is taken at the first `add` or
//! `remove` and held until `close`, so one process (one object) writes at a time; any
//! number of objects and processes read, each seeing the last commit.

use std::path::PathBuf;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString, PyTuple};

use reprint::index::{Index as LibIndex, QueryOptions, Record as LibRecord};
use reprint::{Corpus, Label};

use crate::{date as parse_date, json_loads, py_err, read_items, scan_settings, Items};

/// A document as `get` returns it (the service's `GET /api/documents/{id}`, plus `seq`).
#[derive(serde::Serialize)]
struct DocumentOut<'a> {
    id: &'a str,
    series: Option<&'a str>,
    date: Option<&'a str>,
    fields: Option<&'a serde_json::value::RawValue>,
    text: &'a str,
    seq: u64,
}

/// `emit` as a list of labels: a list of names or a comma-separated string.
fn labels(v: &Bound<'_, PyAny>) -> PyResult<Vec<Label>> {
    let names: Vec<String> = match v.downcast::<PyString>() {
        Ok(s) => s.to_cow()?.split(',').map(str::to_string).collect(),
        Err(_) => v.extract()?,
    };
    names
        .iter()
        .map(|n| {
            let n = n.trim();
            Label::ALL
                .iter()
                .copied()
                .find(|l| l.name() == n)
                .ok_or_else(|| {
                    let all: Vec<&str> = Label::ALL.iter().map(|l| l.name()).collect();
                    PyValueError::new_err(format!(
                        "emit: unknown verdict {n:?}: expected {}",
                        all.join(", ")
                    ))
                })
        })
        .collect()
}

fn closed() -> PyErr {
    PyValueError::new_err("the index is closed")
}

/// `reprint.Index(path, *, create=True, **settings)`.
#[pyclass(name = "Index", module = "reprint", frozen)]
pub(crate) struct Index {
    inner: RwLock<Option<LibIndex>>,
    path: PathBuf,
    max_doc_bytes: usize,
}

impl Index {
    // A panic while the lock was held leaves the index at its last commit (tantivy's commits
    // are atomic), so a poisoned lock is usable again.
    fn read(&self) -> RwLockReadGuard<'_, Option<LibIndex>> {
        self.inner.read().unwrap_or_else(|e| e.into_inner())
    }
    fn write(&self) -> RwLockWriteGuard<'_, Option<LibIndex>> {
        self.inner.write().unwrap_or_else(|e| e.into_inner())
    }
    /// Runs `f` on the open index with the GIL released, under the shared lock.
    fn reading<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&LibIndex) -> reprint::Result<T> + Send,
    ) -> PyResult<T> {
        py.allow_threads(|| {
            let g = self.read();
            let ix = g.as_ref().ok_or_else(closed)?;
            f(ix).map_err(py_err)
        })
    }
}

#[pymethods]
impl Index {
    /// Opens the index in `path`, creating it when there is none (unless `create=False`).
    /// Settings are `reprint scan`'s: `ngram`, `window`, `rare_terms` and `rare_max_df` are
    /// fixed when the index is created (an existing index keeps its own); the others
    /// (`max_df`, `min_shared`, `min_rare`, `reject_templates`, `max_doc_bytes`, ...) apply
    /// to this object's adds and queries.
    #[new]
    #[pyo3(signature = (path, *, create=true, **settings))]
    fn new(
        py: Python<'_>,
        path: PathBuf,
        create: bool,
        settings: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Index> {
        let (settings, max_doc_bytes) = scan_settings(settings)?;
        let dir = path.clone();
        let ix = py
            .allow_threads(move || {
                if create {
                    LibIndex::open_or_create(&dir, &settings)
                } else {
                    LibIndex::open(&dir, &settings)
                }
            })
            .map_err(py_err)?;
        Ok(Index {
            inner: RwLock::new(Some(ix)),
            path,
            max_doc_bytes,
        })
    }

    /// The index's directory.
    #[getter]
    fn path(&self) -> PathBuf {
        self.path.clone()
    }

    /// Adds records (dicts with `id`, `text`, optional `series` and `date`) or the records of
    /// files (a path or a list of paths, read as `reprint index add` reads them), and
    /// commits. A record whose id is indexed replaces that document. A bad record (no id or
    /// text, an empty text, a duplicate id, a text over `max_doc_bytes`) raises
    /// `ValueError` naming it, and nothing is added. Returns
    /// `{"added", "documents", "warnings"}`.
    fn add<'py>(
        &self,
        py: Python<'py>,
        records: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let max = self.max_doc_bytes;
        let corpus = match read_items(records)? {
            Items::Paths(paths) => py
                .allow_threads(|| reprint::index::read_inputs(&paths, max))
                .map_err(py_err)?,
            Items::Records(rs) => {
                let mut c = Corpus::new();
                for r in &rs {
                    c.push(&r.id, r.series.as_deref(), r.date.as_deref(), &r.text, max);
                }
                c
            }
        };
        if !corpus.skipped().is_empty() {
            let named: Vec<String> = corpus
                .skipped()
                .iter()
                .take(10)
                .map(|s| {
                    let at = match (s.line, &s.id) {
                        (Some(l), Some(id)) => format!("{}:{l} ({id:?})", s.source),
                        (Some(l), None) => format!("{}:{l}", s.source),
                        (None, Some(id)) => format!("record {id:?}"),
                        (None, None) => s.source.clone(),
                    };
                    format!("{at}: {}", s.reason)
                })
                .collect();
            let more = corpus.skipped().len().saturating_sub(named.len());
            return Err(PyValueError::new_err(format!(
                "{} bad record{}, nothing added: {}{}",
                corpus.skipped().len(),
                if corpus.skipped().len() == 1 { "" } else { "s" },
                named.join("; "),
                if more > 0 {
                    format!("; and {more} more")
                } else {
                    String::new()
                }
            )));
        }
        let json = py.allow_threads(|| -> PyResult<String> {
            let mut g = self.write();
            let ix = g.as_mut().ok_or_else(closed)?;
            let added = ix
                .add(&LibRecord::from_corpus(&corpus, 0..corpus.len()))
                .and_then(|_| ix.commit());
            if let Err(e) = added {
                let _ = ix.rollback();
                return Err(py_err(e));
            }
            let documents = ix.len().map_err(py_err)?;
            serde_json::to_string(&serde_json::json!({
                "added": corpus.len(),
                "documents": documents,
                "warnings": corpus.warnings(),
            }))
            .map_err(|e| PyValueError::new_err(e.to_string()))
        })?;
        json_loads(py, &json)
    }

    /// Removes the documents with these ids (a list, or one id as a string) and commits.
    /// Returns how many of them were in the index.
    fn remove(&self, py: Python<'_>, ids: &Bound<'_, PyAny>) -> PyResult<usize> {
        let ids: Vec<String> = match ids.downcast::<PyString>() {
            Ok(s) => vec![s.to_cow()?.into_owned()],
            Err(_) => ids
                .extract()
                .map_err(|_| PyTypeError::new_err("ids must be a string or a list of strings"))?,
        };
        py.allow_threads(|| {
            let mut g = self.write();
            let ix = g.as_mut().ok_or_else(closed)?;
            let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
            match ix.remove(&refs).and_then(|n| ix.commit().map(|()| n)) {
                Ok(n) => Ok(n),
                Err(e) => {
                    let _ = ix.rollback();
                    Err(py_err(e))
                }
            }
        })
    }

    /// The indexed documents `text` (str, or bytes decoded as a file is) reuses or that
    /// reuse it: the object `reprint query --json` prints for one file, with `id` as the
    /// query's name. `top` (default 10) bounds the matches, `date` is the query's publication
    /// date (for the direction), `emit` the verdicts returned (default
    /// `["derived", "partial"]`).
    #[pyo3(signature = (text, *, top=None, date=None, emit=None, id="query"))]
    fn query<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
        top: Option<usize>,
        date: Option<&str>,
        emit: Option<&Bound<'py, PyAny>>,
        id: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let bytes: Vec<u8> = if let Ok(s) = text.downcast::<PyString>() {
            s.to_cow()?.as_bytes().to_vec()
        } else if let Ok(b) = text.downcast::<PyBytes>() {
            b.as_bytes().to_vec()
        } else {
            return Err(PyTypeError::new_err(format!(
                "text must be str or bytes, not {}",
                text.get_type().name()?
            )));
        };
        let mut opts = QueryOptions {
            date: parse_date("date", date)?,
            ..QueryOptions::default()
        };
        if let Some(t) = top {
            opts.top = t;
        }
        if let Some(e) = emit {
            opts.emit = labels(e)?;
        }
        let json = self.reading(py, |ix| {
            Ok(ix.query(id, &bytes, &opts)?.json_line(id, bytes.len()))
        })?;
        json_loads(py, &json)
    }

    /// `{"documents", "bytes", "deleted", "disk_bytes", "segments"}`, as
    /// `reprint index stats --json` prints them.
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let json = self.reading(py, |ix| {
            Ok(serde_json::to_string(&ix.stats()?).unwrap_or_default())
        })?;
        json_loads(py, &json)
    }

    /// The indexed record with this id (`{"id", "series", "date", "fields", "text", "seq"}`),
    /// or `None`.
    fn get<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        let json = self.reading(py, |ix| {
            Ok(ix.get(id)?.map(|d| {
                serde_json::to_string(&DocumentOut {
                    id: &d.id,
                    series: d.series.as_deref(),
                    date: d.date.as_deref(),
                    fields: d.fields.as_deref(),
                    text: &d.text,
                    seq: d.seq,
                })
                .unwrap_or_default()
            }))
        })?;
        json.map(|j| json_loads(py, &j)).transpose()
    }

    /// Every indexed id, in order of addition.
    fn ids(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        self.reading(py, |ix| ix.ids())
    }

    fn __len__(&self, py: Python<'_>) -> PyResult<usize> {
        self.reading(py, |ix| ix.len().map(|n| n as usize))
    }

    fn __contains__(&self, py: Python<'_>, id: &Bound<'_, PyAny>) -> PyResult<bool> {
        let Ok(id) = id.extract::<String>() else {
            return Ok(false);
        };
        self.reading(py, |ix| ix.get(&id).map(|d| d.is_some()))
    }

    /// Waits for background merges and releases the writer's lock; later calls raise
    /// `ValueError`. Closing twice does nothing.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        py.allow_threads(|| match self.write().take() {
            Some(ix) => ix.close().map_err(py_err),
            None => Ok(()),
        })
    }

    /// Whether `close` was called.
    #[getter]
    fn closed(&self) -> bool {
        self.read().is_none()
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, PyTuple>) -> PyResult<bool> {
        self.close(py)?;
        Ok(false)
    }

    fn __repr__(&self) -> String {
        let state = if self.closed() { " (closed)" } else { "" };
        format!(
            "reprint.Index({:?}){state}",
            self.path.display().to_string()
        )
    }
}
