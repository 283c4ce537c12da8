//! `reprint.arrow`: Arrow record batches in and out, for Spark's `mapInArrow` stages.
//!
//! `compare_pairs` is the verification stage: a batch of candidate pairs with their texts
//! becomes a batch of verdicts, from the same comparer as `reprint compare` and `scan`.
//! Batches cross by the Arrow C data interface (the `arrow` crate's pyarrow bridge): the
//! input columns are read in place, without a copy into Python objects.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, Float64Array, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::pyarrow::{FromPyArrow, ToPyArrow};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use reprint::{Comparer as LibComparer, Document, Hints, Settings, Source, Timestamp};

use crate::compare_options;

/// A string column (`string` or `large_string`) as optional values, one a row; `None` when
/// the column is absent.
fn strings(batch: &RecordBatch, name: &str) -> PyResult<Option<Vec<Option<String>>>> {
    let Some(col) = batch.column_by_name(name) else {
        return Ok(None);
    };
    let values: Vec<Option<String>> = match col.data_type() {
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
            return Err(PyValueError::new_err(format!(
                "column {name:?} must be string or large_string, not {other}"
            )))
        }
    };
    Ok(Some(values))
}

fn required(batch: &RecordBatch, name: &str) -> PyResult<Vec<Option<String>>> {
    strings(batch, name)?.ok_or_else(|| {
        PyValueError::new_err(format!(
            "the batch has no column {name:?} (compare_pairs needs id_a, text_a, id_b, \
             text_b; date_a and date_b are optional)"
        ))
    })
}

/// One verified pair, or why it could not be compared.
#[derive(Default)]
struct Row {
    label: Option<&'static str>,
    score: Option<f64>,
    source: Option<&'static str>,
    confidence: Option<f64>,
    comparison: Option<String>,
    error: Option<String>,
}

fn side_date(which: &str, d: Option<&str>) -> Result<Option<Timestamp>, String> {
    match d.filter(|s| !s.trim().is_empty()) {
        None => Ok(None),
        Some(s) => Timestamp::parse(s)
            .map(Some)
            .map_err(|e| format!("{which}: {e}")),
    }
}

fn compare_row(
    comparer: &LibComparer,
    ids: (&str, &str),
    texts: (Option<&str>, Option<&str>),
    dates: (Option<&str>, Option<&str>),
    full: bool,
) -> Row {
    let run = || -> Result<Row, String> {
        let ta = texts.0.ok_or("text_a is null")?;
        let tb = texts.1.ok_or("text_b is null")?;
        let da = Document::from_bytes(ids.0, ta.as_bytes()).map_err(|e| e.to_string())?;
        let db = Document::from_bytes(ids.1, tb.as_bytes()).map_err(|e| e.to_string())?;
        let hints = Hints {
            date_a: side_date("date_a", dates.0)?,
            date_b: side_date("date_b", dates.1)?,
            shared: None,
            // The pair columns carry no series: dates stay out of the probability, as in
            // `reprint compare` without --same-series.
            same_series: false,
            ..Hints::default()
        };
        let cmp = comparer.compare_with(&da, &db, &hints);
        let comparison = if full {
            let mut out = Vec::new();
            reprint::ReportSink::write(&mut reprint::JsonSink::new(&mut out), &cmp, &da, &db)
                .map_err(|e| e.to_string())?;
            Some(String::from_utf8_lossy(&out).into_owned())
        } else {
            None
        };
        Ok(Row {
            label: Some(cmp.verdict.label.name()),
            score: Some(cmp.verdict.score),
            source: Some(match cmp.direction.source {
                Source::A => "a",
                Source::B => "b",
                Source::Unknown => "unknown",
            }),
            confidence: Some(cmp.direction.confidence),
            comparison,
            error: None,
        })
    };
    run().unwrap_or_else(|e| Row {
        error: Some(e),
        ..Row::default()
    })
}

/// `reprint.arrow.compare_pairs(batch, *, comparison=False, **settings)`: a pyarrow
/// `RecordBatch` of pairs (`id_a`, `text_a`, `id_b`, `text_b`, optional `date_a`, `date_b`)
/// becomes one of verdicts, a row per pair in the same order: `id_a`, `id_b`, `label`,
/// `score`, `source` (`a`, `b` or `unknown`), `confidence`, `error` (why the pair could
/// not be compared, else null) and, with `comparison=True`, `comparison` (the JSON that
/// `reprint compare --json` prints). The comparisons run without the GIL.
#[pyfunction]
#[pyo3(signature = (batch, *, comparison=false, **settings))]
pub(crate) fn compare_pairs(
    py: Python<'_>,
    batch: &Bound<'_, PyAny>,
    comparison: bool,
    settings: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyObject> {
    let settings: Settings = compare_options(settings)?.build().map_err(crate::py_err)?;
    let batch = RecordBatch::from_pyarrow_bound(batch)?;
    let (id_a, id_b) = (required(&batch, "id_a")?, required(&batch, "id_b")?);
    let (text_a, text_b) = (required(&batch, "text_a")?, required(&batch, "text_b")?);
    let n = batch.num_rows();
    let none = vec![None; n];
    let date_a = strings(&batch, "date_a")?.unwrap_or_else(|| none.clone());
    let date_b = strings(&batch, "date_b")?.unwrap_or(none);
    let out = py.allow_threads(|| -> Result<RecordBatch, arrow::error::ArrowError> {
        let comparer = LibComparer::new(settings);
        let rows: Vec<Row> = (0..n)
            .map(|i| {
                compare_row(
                    &comparer,
                    (
                        id_a[i].as_deref().unwrap_or(""),
                        id_b[i].as_deref().unwrap_or(""),
                    ),
                    (text_a[i].as_deref(), text_b[i].as_deref()),
                    (date_a[i].as_deref(), date_b[i].as_deref()),
                    comparison,
                )
            })
            .collect();
        let text = |f: &dyn Fn(&Row) -> Option<&str>| -> ArrayRef {
            Arc::new(rows.iter().map(f).collect::<StringArray>())
        };
        let num = |f: &dyn Fn(&Row) -> Option<f64>| -> ArrayRef {
            Arc::new(rows.iter().map(f).collect::<Float64Array>())
        };
        let mut fields = vec![
            Field::new("id_a", DataType::Utf8, true),
            Field::new("id_b", DataType::Utf8, true),
            Field::new("label", DataType::Utf8, true),
            Field::new("score", DataType::Float64, true),
            Field::new("source", DataType::Utf8, true),
            Field::new("confidence", DataType::Float64, true),
            Field::new("error", DataType::Utf8, true),
        ];
        let mut columns: Vec<ArrayRef> = vec![
            Arc::new(id_a.iter().map(Option::as_deref).collect::<StringArray>()),
            Arc::new(id_b.iter().map(Option::as_deref).collect::<StringArray>()),
            text(&|r| r.label),
            num(&|r| r.score),
            text(&|r| r.source),
            num(&|r| r.confidence),
            text(&|r| r.error.as_deref()),
        ];
        if comparison {
            fields.push(Field::new("comparison", DataType::Utf8, true));
            columns.push(text(&|r| r.comparison.as_deref()));
        }
        RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
    });
    out.map_err(|e| PyValueError::new_err(e.to_string()))?
        .to_pyarrow(py)
}
