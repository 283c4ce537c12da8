//! The scan's stages over Arrow, for `reprint.spark` (`mapInArrow`): thin layers over
//! `reprint::stages`. Spark has no unsigned integers, so every hash and key crosses as a
//! non-negative `int64` (a 64-bit hash as its bits in an `int64`).

use std::collections::HashMap;
use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, AsArray, BinaryArray, BooleanArray, Float32Array, Int64Array, Int64Builder,
    ListBuilder, RecordBatch, StringArray,
};
use arrow::datatypes::{DataType, Field, Int32Type, Int64Type, Schema};
use arrow::pyarrow::{FromPyArrow, ToPyArrow};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use reprint::stages::{self, ClusterDoc, ClusterEdge, PairChecker, PairDoc, Printer, SigRow};
use reprint::{Basis, Document, Source};

use crate::scan_settings;

fn err(e: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(e.to_string())
}

fn column<'b>(batch: &'b RecordBatch, name: &str) -> PyResult<&'b ArrayRef> {
    batch
        .column_by_name(name)
        .ok_or_else(|| err(format!("the batch has no column {name:?}")))
}

/// A string column (`string` or `large_string`), one optional value a row.
fn strs(batch: &RecordBatch, name: &str) -> PyResult<Vec<Option<String>>> {
    let Some(col) = batch.column_by_name(name) else {
        return Ok(vec![None; batch.num_rows()]);
    };
    Ok(match col.data_type() {
        DataType::Utf8 => col
            .as_string::<i32>()
            .iter()
            .map(|v| v.map(str::to_string))
            .collect(),
        DataType::LargeUtf8 => col
            .as_string::<i64>()
            .iter()
            .map(|v| v.map(str::to_string))
            .collect(),
        DataType::Null => vec![None; col.len()],
        other => {
            return Err(err(format!(
                "column {name:?} must be a string, not {other}"
            )))
        }
    })
}

/// [`ints`] of a column the batch may leave out (then every row is null).
fn opt_ints(batch: &RecordBatch, name: &str) -> PyResult<Vec<Option<i64>>> {
    match batch.column_by_name(name) {
        Some(_) => ints(batch, name),
        None => Ok(vec![None; batch.num_rows()]),
    }
}

/// An integer column (`int32` or `int64`).
fn ints(batch: &RecordBatch, name: &str) -> PyResult<Vec<Option<i64>>> {
    let col = column(batch, name)?;
    Ok(match col.data_type() {
        DataType::Int64 => col.as_primitive::<Int64Type>().iter().collect(),
        DataType::Int32 => col
            .as_primitive::<Int32Type>()
            .iter()
            .map(|v| v.map(i64::from))
            .collect(),
        DataType::Null => vec![None; col.len()],
        other => {
            return Err(err(format!(
                "column {name:?} must be an integer, not {other}"
            )))
        }
    })
}

/// A list-of-int64 column as `u32` values (keys, stems), one list a row.
fn key_lists(batch: &RecordBatch, name: &str) -> PyResult<Vec<Vec<u32>>> {
    let col = column(batch, name)?;
    let one = |a: Option<ArrayRef>| -> Vec<u32> {
        a.map(|a| {
            a.as_primitive::<Int64Type>()
                .iter()
                .flatten()
                .map(|v| v as u32)
                .collect()
        })
        .unwrap_or_default()
    };
    Ok(match col.data_type() {
        DataType::List(f) if f.data_type() == &DataType::Int64 => {
            col.as_list::<i32>().iter().map(one).collect()
        }
        DataType::LargeList(f) if f.data_type() == &DataType::Int64 => {
            col.as_list::<i64>().iter().map(one).collect()
        }
        DataType::Null => vec![Vec::new(); col.len()],
        other => {
            return Err(err(format!(
                "column {name:?} must be a list of int64, not {other}"
            )))
        }
    })
}

fn to_py(py: Python<'_>, fields: Vec<Field>, cols: Vec<ArrayRef>) -> PyResult<PyObject> {
    RecordBatch::try_new(Arc::new(Schema::new(fields)), cols)
        .map_err(err)?
        .to_pyarrow(py)
}

fn int_list(values: impl Iterator<Item = Vec<i64>>) -> ArrayRef {
    let mut b = ListBuilder::new(Int64Builder::new());
    for v in values {
        b.values().append_slice(&v);
        b.append(true);
    }
    Arc::new(b.finish())
}

fn list_field(name: &str) -> Field {
    Field::new(
        name,
        DataType::List(Arc::new(Field::new_list_field(DataType::Int64, true))),
        true,
    )
}

/// `stage_prints(batch, n_docs, **settings)`: the fingerprint stage. Columns `doc`, `text`
/// in; `doc`, `groups` (`hash >> doc_bits` of each winnowed n-gram), `keys` (32-bit
/// commonness keys), `stems`, `slots` (the stems' sketch counters), `exact` (the whole-text
/// hash's bits) and `bins` (MinHash bins, 128 bytes) out.
#[pyfunction]
#[pyo3(signature = (batch, n_docs, **settings))]
pub(crate) fn stage_prints(
    py: Python<'_>,
    batch: &Bound<'_, PyAny>,
    n_docs: usize,
    settings: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyObject> {
    let (settings, _) = scan_settings(settings)?;
    let batch = RecordBatch::from_pyarrow_bound(batch)?;
    let docs = ints(&batch, "doc")?;
    let texts = strs(&batch, "text")?;
    let out = py.allow_threads(|| {
        let mut p = Printer::new(&settings, n_docs);
        texts
            .iter()
            .map(|t| p.print(t.as_deref().unwrap_or("")))
            .collect::<Vec<_>>()
    });
    let as_i64 = |v: &[u32]| v.iter().map(|&x| i64::from(x)).collect::<Vec<i64>>();
    let cols: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from(docs)),
        int_list(
            out.iter()
                .map(|p| p.groups.iter().map(|&g| g as i64).collect()),
        ),
        int_list(out.iter().map(|p| as_i64(&p.keys))),
        int_list(out.iter().map(|p| as_i64(&p.stems))),
        int_list(out.iter().map(|p| as_i64(&p.slots))),
        Arc::new(Int64Array::from(
            out.iter()
                .map(|p| p.exact.map(|x| x as i64))
                .collect::<Vec<_>>(),
        )),
        Arc::new(BinaryArray::from_iter(out.iter().map(|p| {
            p.bins
                .as_ref()
                .map(|b| b.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>())
        }))),
    ];
    let fields = vec![
        Field::new("doc", DataType::Int64, true),
        list_field("groups"),
        list_field("keys"),
        list_field("stems"),
        list_field("slots"),
        Field::new("exact", DataType::Int64, true),
        Field::new("bins", DataType::Binary, true),
    ];
    to_py(py, fields, cols)
}

/// The rows of a signature batch (`doc`, `exact`, `bins`, `series`, `date`).
fn sig_rows(batch: &RecordBatch) -> PyResult<Vec<SigRow>> {
    let docs = ints(batch, "doc")?;
    let exact = ints(batch, "exact")?;
    let series = strs(batch, "series")?;
    let dates = strs(batch, "date")?;
    let bins_col = column(batch, "bins")?;
    let bins = bins_col
        .as_binary_opt::<i32>()
        .ok_or_else(|| err("column \"bins\" must be binary"))?;
    let mut rows = Vec::with_capacity(batch.num_rows());
    for i in 0..batch.num_rows() {
        let doc = docs[i].ok_or_else(|| err(format!("row {i}: doc is null")))?;
        let b = (!bins.is_null(i)).then(|| {
            bins.value(i)
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect()
        });
        rows.push(SigRow {
            doc: doc as u32,
            exact: exact[i].map(|x| x as u64),
            bins: b,
            series: series[i].clone(),
            day: stages::day_of(dates[i].as_deref()),
        });
    }
    Ok(rows)
}

/// `stage_recurring(batch)`: the issues of recurring notices (one series' very text on 3
/// or more distinct days) of the whole corpus (one batch, as `stage_families` takes it).
/// Out: one row per issue: `doc`, `recur_text` (which recurring text), `recur_days`.
#[pyfunction]
pub(crate) fn stage_recurring(py: Python<'_>, batch: &Bound<'_, PyAny>) -> PyResult<PyObject> {
    let batch = RecordBatch::from_pyarrow_bound(batch)?;
    let rows = sig_rows(&batch)?;
    let found = py.allow_threads(|| stages::recurring(&rows));
    let col = |f: fn(&(u32, u32, u32)) -> u32| -> ArrayRef {
        Arc::new(Int64Array::from_iter_values(
            found.iter().map(|r| i64::from(f(r))),
        ))
    };
    let cols = vec![col(|r| r.0), col(|r| r.1), col(|r| r.2)];
    let fields = vec![
        Field::new("doc", DataType::Int64, false),
        Field::new("recur_text", DataType::Int64, false),
        Field::new("recur_days", DataType::Int64, false),
    ];
    to_py(py, fields, cols)
}

/// `stage_families(batch, n_docs, **settings)`: the duplicate families of the whole
/// corpus (one batch: every document's `doc`, `exact`, `bins`, `series`, `date`). Out: one
/// row per linked member: `rep`, `member`, `exact` (bool), `similarity`.
#[pyfunction]
#[pyo3(signature = (batch, n_docs, **settings))]
pub(crate) fn stage_families(
    py: Python<'_>,
    batch: &Bound<'_, PyAny>,
    n_docs: usize,
    settings: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyObject> {
    let (settings, _) = scan_settings(settings)?;
    let batch = RecordBatch::from_pyarrow_bound(batch)?;
    let rows = sig_rows(&batch)?;
    let links = py.allow_threads(|| stages::families(&rows, n_docs, &settings));
    let cols: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from_iter_values(
            links.iter().map(|l| i64::from(l.0)),
        )),
        Arc::new(Int64Array::from_iter_values(
            links.iter().map(|l| i64::from(l.1)),
        )),
        Arc::new(BooleanArray::from_iter(links.iter().map(|l| Some(l.2)))),
        Arc::new(Float32Array::from_iter_values(links.iter().map(|l| l.3))),
    ];
    let fields = vec![
        Field::new("rep", DataType::Int64, false),
        Field::new("member", DataType::Int64, false),
        Field::new("exact", DataType::Boolean, false),
        Field::new("similarity", DataType::Float32, false),
    ];
    to_py(py, fields, cols)
}

struct Side {
    doc: Vec<Option<i64>>,
    id: Vec<Option<String>>,
    text: Vec<Option<String>>,
    series: Vec<Option<String>>,
    date: Vec<Option<String>>,
    extra: Vec<Option<String>>,
    keys: Vec<Vec<u32>>,
    common: Vec<Vec<u32>>,
    /// `(recur_text, recur_days)` of an issue of a recurring notice.
    recurring: Vec<Option<(u32, u32)>>,
}

fn side(batch: &RecordBatch, s: &str) -> PyResult<Side> {
    Ok(Side {
        doc: ints(batch, s)?,
        id: strs(batch, &format!("id_{s}"))?,
        text: strs(batch, &format!("text_{s}"))?,
        series: strs(batch, &format!("series_{s}"))?,
        date: strs(batch, &format!("date_{s}"))?,
        extra: strs(batch, &format!("extra_{s}"))?,
        keys: key_lists(batch, &format!("keys_{s}"))?,
        common: key_lists(batch, &format!("common_{s}"))?,
        recurring: {
            let text = opt_ints(batch, &format!("recur_text_{s}"))?;
            let days = opt_ints(batch, &format!("recur_days_{s}"))?;
            text.into_iter()
                .zip(days)
                .map(|(t, d)| Some((u32::try_from(t?).ok()?, u32::try_from(d?).ok()?)))
                .collect()
        },
    })
}

impl Side {
    fn pair_doc(&self, i: usize) -> PairDoc<'_> {
        PairDoc {
            id: self.id[i].as_deref().unwrap_or(""),
            series: self.series[i].as_deref(),
            date: self.date[i].as_deref(),
            extra: self.extra[i].as_deref(),
            keys: &self.keys[i],
            common: &self.common[i],
            recurring: self.recurring[i],
        }
    }
}

fn source_name(s: Source) -> &'static str {
    match s {
        Source::A => "a",
        Source::B => "b",
        Source::Unknown => "unknown",
    }
}

fn basis_name(b: Basis) -> &'static str {
    match b {
        Basis::Dates => "dates",
        Basis::Datelines => "datelines",
        Basis::Content => "content",
        Basis::None => "none",
    }
}

/// `stage_verify(batch, **settings)`: the verification stage. One row per pair: `a`, `b`
/// (document numbers, `a` read first) and for each side `s` in `a`, `b`: `id_s`, `text_s`,
/// `series_s`, `date_s`, `extra_s` (the record's other fields as a JSON object),
/// `keys_s` (its fingerprint keys) and `common_s` (those common in the corpus); `ngrams`,
/// `rare` (candidate evidence), optional `dup_exact`, `dup_similarity` (a family pair).
/// Out: `a`, `b`, `label`, `score`, `source`, `confidence`, `basis`, `line` (the
/// `pairs.jsonl` line when the label is emitted), `error` (why the pair was not compared).
#[pyfunction]
#[pyo3(signature = (batch, **settings))]
pub(crate) fn stage_verify(
    py: Python<'_>,
    batch: &Bound<'_, PyAny>,
    settings: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyObject> {
    let (settings, _) = scan_settings(settings)?;
    let batch = RecordBatch::from_pyarrow_bound(batch)?;
    let (a, b) = (side(&batch, "a")?, side(&batch, "b")?);
    let ngrams = ints(&batch, "ngrams")?;
    let rare = ints(&batch, "rare")?;
    let n = batch.num_rows();
    let dup: Vec<Option<(bool, f32)>> = match (
        batch.column_by_name("dup_exact"),
        batch.column_by_name("dup_similarity"),
    ) {
        (Some(e), Some(s)) => {
            let e = e
                .as_boolean_opt()
                .ok_or_else(|| err("dup_exact must be boolean"))?;
            let s = s
                .as_primitive_opt::<arrow::datatypes::Float32Type>()
                .ok_or_else(|| err("dup_similarity must be float"))?;
            (0..n)
                .map(|i| (!e.is_null(i)).then(|| (e.value(i), s.value(i))))
                .collect()
        }
        _ => vec![None; n],
    };
    type Row = Result<stages::Checked, String>;
    let rows: Vec<Row> = py.allow_threads(|| {
        let checker = PairChecker::new(&settings);
        // Each distinct document of the batch is prepared once.
        let mut prepared: HashMap<i64, Result<Document, String>> = HashMap::new();
        let prep = |prepared: &mut HashMap<i64, Result<Document, String>>,
                    s: &Side,
                    i: usize|
         -> Result<(), String> {
            let d = s.doc[i].ok_or("document number is null")?;
            prepared.entry(d).or_insert_with(|| {
                let id = s.id[i].as_deref().unwrap_or("");
                match s.text[i].as_deref() {
                    Some(t) => checker.prepare(id, t),
                    None => Err(format!("record {id:?}: text is null")),
                }
            });
            Ok(())
        };
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            if let Err(e) = prep(&mut prepared, &a, i).and_then(|_| prep(&mut prepared, &b, i)) {
                out.push(Err(e));
                continue;
            }
            let get = |s: &Side| prepared[&s.doc[i].unwrap_or_default()].as_ref();
            let (da, db) = match (get(&a), get(&b)) {
                (Ok(x), Ok(y)) => (x, y),
                (Err(e), _) | (_, Err(e)) => {
                    out.push(Err(e.clone()));
                    continue;
                }
            };
            let ev = (ngrams[i].unwrap_or(0) as u32, rare[i].unwrap_or(0) as u32);
            out.push(Ok(checker.check(
                (&a.pair_doc(i), da),
                (&b.pair_doc(i), db),
                ev,
                dup[i],
            )));
        }
        out
    });
    let ok = |f: &dyn Fn(&stages::Checked) -> Option<String>| -> ArrayRef {
        Arc::new(StringArray::from_iter(
            rows.iter().map(|r| r.as_ref().ok().and_then(f)),
        ))
    };
    let num = |f: &dyn Fn(&stages::Checked) -> f32| -> ArrayRef {
        Arc::new(Float32Array::from_iter(
            rows.iter().map(|r| r.as_ref().ok().map(f)),
        ))
    };
    let cols: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from(a.doc.clone())),
        Arc::new(Int64Array::from(b.doc.clone())),
        ok(&|c| Some(c.label.to_string())),
        num(&|c| c.score),
        ok(&|c| Some(source_name(c.source).to_string())),
        num(&|c| c.confidence),
        ok(&|c| Some(basis_name(c.basis).to_string())),
        ok(&|c| c.line.clone()),
        Arc::new(StringArray::from_iter(
            rows.iter().map(|r| r.as_ref().err().cloned()),
        )),
    ];
    let fields = vec![
        Field::new("a", DataType::Int64, true),
        Field::new("b", DataType::Int64, true),
        Field::new("label", DataType::Utf8, true),
        Field::new("score", DataType::Float32, true),
        Field::new("source", DataType::Utf8, true),
        Field::new("confidence", DataType::Float32, true),
        Field::new("basis", DataType::Utf8, true),
        Field::new("line", DataType::Utf8, true),
        Field::new("error", DataType::Utf8, true),
    ];
    to_py(py, fields, cols)
}

type EdgeIn = (i64, i64, f32, String, f32, String);
type DocIn = (i64, String, Option<String>, Option<String>, Option<String>);
type FamIn = (i64, Vec<(String, bool, f32)>);

/// `stage_cluster(number, edges, docs, families)`: the `clusters.jsonl` line of one
/// connected component. `edges`: `(a, b, score, source, confidence, basis)` in the order the
/// pairs were written; `docs`: `(doc, id, series, date, extra)` of its members;
/// `families`: `(representative, [(member id, exact, similarity), ...])`.
#[pyfunction]
pub(crate) fn stage_cluster(
    number: usize,
    edges: Vec<EdgeIn>,
    docs: Vec<DocIn>,
    families: Vec<FamIn>,
) -> PyResult<String> {
    let source = |s: &str| match s {
        "a" => Ok(Source::A),
        "b" => Ok(Source::B),
        "unknown" => Ok(Source::Unknown),
        other => Err(err(format!("unknown source {other:?}"))),
    };
    let basis = |s: &str| match s {
        "dates" => Ok(Basis::Dates),
        "datelines" => Ok(Basis::Datelines),
        "content" => Ok(Basis::Content),
        "none" => Ok(Basis::None),
        other => Err(err(format!("unknown basis {other:?}"))),
    };
    let mut es = Vec::with_capacity(edges.len());
    for (a, b, score, s, confidence, bs) in &edges {
        es.push(ClusterEdge {
            a: *a as u32,
            b: *b as u32,
            score: *score,
            source: source(s)?,
            confidence: *confidence,
            basis: basis(bs)?,
        });
    }
    let ds: Vec<ClusterDoc<'_>> = docs
        .iter()
        .map(|(doc, id, series, date, extra)| ClusterDoc {
            doc: *doc as u32,
            doc_ref: PairDoc {
                id,
                series: series.as_deref(),
                date: date.as_deref(),
                extra: extra.as_deref(),
                keys: &[],
                common: &[],
                recurring: None,
            },
        })
        .collect();
    let fams: Vec<reprint::stages::FamilyMembers<'_>> = families
        .iter()
        .map(|(rep, ms)| {
            (
                *rep as u32,
                ms.iter().map(|(id, e, s)| (id.as_str(), *e, *s)).collect(),
            )
        })
        .collect();
    stages::cluster_line(number, &es, &ds, &fams).map_err(err)
}

/// Constants a distributed scan needs: `doc_bits`, `sketch_mask`, `sketch_saturated`,
/// `common_df` for `n_docs` documents.
#[pyfunction]
pub(crate) fn stage_constants(n_docs: usize) -> (u32, usize, u8, u32) {
    (
        stages::doc_bits(n_docs),
        stages::sketch_mask(n_docs),
        stages::SKETCH_SATURATED,
        reprint::COMMON_DF,
    )
}

/// The weight of a shared n-gram fingerprint held by `df` documents (4 = full).
#[pyfunction]
pub(crate) fn stage_ngram_weight(df: usize) -> u32 {
    stages::ngram_weight_of(df)
}

/// Whether two documents may be paired (`skip_same_series`, `date_window`): `a` and `b` are
/// `(series, date)`.
#[pyfunction]
#[pyo3(signature = (a, b, **settings))]
pub(crate) fn stage_pair_kept(
    a: (Option<String>, Option<String>),
    b: (Option<String>, Option<String>),
    settings: Option<&Bound<'_, PyDict>>,
) -> PyResult<bool> {
    let (settings, _) = scan_settings(settings)?;
    Ok(stages::pair_kept(
        &settings,
        (a.0.as_deref(), stages::day_of(a.1.as_deref())),
        (b.0.as_deref(), stages::day_of(b.1.as_deref())),
    ))
}

/// `stage_parse(batch, **settings)`: JSONL lines (column `line`, without their `\n`;
/// optional `lineno`, 1 for a file's first line, which alone may start with a byte-order
/// mark) read as the scan reads them. Out, a row per line: `id`, `series`, `date`, `text`, `extra` (the other fields as a
/// JSON object), `error` (why the record is skipped; its `id` then when readable) and
/// `blank` (a blank line: neither a record nor an error).
#[pyfunction]
#[pyo3(signature = (batch, **settings))]
pub(crate) fn stage_parse(
    py: Python<'_>,
    batch: &Bound<'_, PyAny>,
    settings: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyObject> {
    let (_, max_doc_bytes) = scan_settings(settings)?;
    let batch = RecordBatch::from_pyarrow_bound(batch)?;
    let lines = strs(&batch, "line")?;
    let numbers = match batch.column_by_name("lineno") {
        Some(_) => ints(&batch, "lineno")?,
        None => vec![None; batch.num_rows()],
    };
    let recs: Vec<_> = py.allow_threads(|| {
        lines
            .iter()
            .zip(&numbers)
            .map(|(l, no)| {
                let l = l.as_deref().unwrap_or("");
                // Without line numbers every line may start with a byte-order mark.
                let first = no.is_none_or(|n| n == 1);
                stages::parse_jsonl_line(l, l.len() + 1, first, max_doc_bytes)
            })
            .collect()
    });
    let col = |f: &dyn Fn(&stages::Record) -> Option<String>| -> ArrayRef {
        Arc::new(StringArray::from_iter(recs.iter().map(|r| match r {
            Some(Ok(rec)) => f(rec),
            _ => None,
        })))
    };
    let id: ArrayRef = Arc::new(StringArray::from_iter(recs.iter().map(|r| match r {
        Some(Ok(rec)) => Some(rec.id.clone()),
        Some(Err((id, _))) => id.clone(),
        None => None,
    })));
    let cols: Vec<ArrayRef> = vec![
        id,
        col(&|r| r.series.clone()),
        col(&|r| r.date.clone()),
        col(&|r| Some(r.text.clone())),
        col(&|r| r.extra.clone()),
        Arc::new(StringArray::from_iter(recs.iter().map(|r| match r {
            Some(Err((_, e))) => Some(e.clone()),
            _ => None,
        }))),
        Arc::new(BooleanArray::from_iter(
            recs.iter().map(|r| Some(r.is_none())),
        )),
    ];
    let fields = vec![
        Field::new("id", DataType::Utf8, true),
        Field::new("series", DataType::Utf8, true),
        Field::new("date", DataType::Utf8, true),
        Field::new("text", DataType::Utf8, true),
        Field::new("extra", DataType::Utf8, true),
        Field::new("error", DataType::Utf8, true),
        Field::new("blank", DataType::Boolean, true),
    ];
    to_py(py, fields, cols)
}
