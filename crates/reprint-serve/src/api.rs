//! The JSON API. Schemas follow the CLI's `--json` outputs (README: "`reprint serve`").

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use reprint::index::{Match, QueryOptions, Record};
use reprint::{Comparison, Corpus, Document, Hints, Label, Skipped, Timestamp};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::error::ApiError;
use crate::{blocking, read_index, write_index, AppState};

type St = State<Arc<AppState>>;

/// Matches per query at most (`top`).
const MAX_TOP: usize = 100;

/// The body, or the reason it could not be read (413 past the limit).
fn body(b: Result<Bytes, BytesRejection>, limit: usize) -> Result<Bytes, ApiError> {
    b.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is over the service's limit of {limit} bytes"),
        ),
        s => ApiError::new(s, "the request body could not be read"),
    })
}

fn media_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// A JSON request body of type `T` (Content-Type `application/json`).
fn json_body<T: DeserializeOwned>(
    headers: &HeaderMap,
    b: Result<Bytes, BytesRejection>,
    limit: usize,
) -> Result<T, ApiError> {
    if media_type(headers) != "application/json" {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "expected a JSON body (Content-Type: application/json)",
        ));
    }
    let bytes = body(b, limit)?;
    serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::bad_request(format!("invalid JSON request: {e}")))
}

/// A date field: absent or empty is none; otherwise ISO 8601 as the CLI's `--date`.
fn date(field: &str, value: Option<&str>) -> Result<Option<Timestamp>, ApiError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => Timestamp::parse(v).map(Some).map_err(|e| match e {
            reprint::Error::InvalidDate { message, .. } => {
                ApiError::bad_request(format!("{field}: {message}"))
            }
            other => ApiError::bad_request(format!("{field}: {other}")),
        }),
    }
}

/// A text the client sent, ingested as the CLI ingests a file; `id` names it in messages.
fn document(id: &str, text: &str) -> Result<Document, ApiError> {
    Document::from_bytes(id, text.as_bytes()).map_err(ApiError::from_library)
}

fn index(st: &AppState) -> Result<&std::sync::RwLock<reprint::index::Index>, ApiError> {
    st.index.as_ref().ok_or_else(ApiError::no_index)
}

#[derive(Serialize)]
pub(crate) struct Health {
    status: &'static str,
    version: &'static str,
    /// Documents in the index; `null` without an index.
    documents: Option<u64>,
    writes: bool,
}

/// `GET /health`.
pub(crate) async fn health(State(st): St) -> Result<Json<Health>, ApiError> {
    let documents = blocking(&st, |st| match &st.index {
        None => Ok(None),
        Some(ix) => read_index(ix).len().map(Some).map_err(ApiError::internal),
    })
    .await?;
    Ok(Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        documents,
        writes: st.write_token.is_some(),
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CompareRequest {
    a: String,
    b: String,
    #[serde(default)]
    date_a: Option<String>,
    #[serde(default)]
    date_b: Option<String>,
    /// `a` and `b` come from one outlet: dates then weigh in the probability of reuse.
    #[serde(default)]
    same_series: bool,
}

/// `POST /api/compare`: the comparison as `reprint compare --json` prints it (A: `a`).
pub(crate) async fn compare(
    State(st): St,
    headers: HeaderMap,
    b: Result<Bytes, BytesRejection>,
) -> Result<Json<Comparison>, ApiError> {
    let req: CompareRequest = json_body(&headers, b, st.body_limit)?;
    let hints = Hints {
        date_a: date("date_a", req.date_a.as_deref())?,
        date_b: date("date_b", req.date_b.as_deref())?,
        shared: None,
        same_series: req.same_series,
        ..Hints::default()
    };
    let cmp = blocking(&st, move |st| {
        let a = document("a", &req.a)?;
        let b = document("b", &req.b)?;
        Ok(st.comparer.compare_with(&a, &b, &hints))
    })
    .await?;
    Ok(Json(cmp))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct QueryRequest {
    text: String,
    #[serde(default)]
    top: Option<usize>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    emit: Option<Vec<String>>,
    /// Also give each match the verdict's and the direction's reasons (one full comparison
    /// per match, as `compare` makes it).
    #[serde(default)]
    explain: bool,
}

#[derive(Serialize)]
pub(crate) struct QueryResponse {
    query: QueryRef,
    matches: Vec<QueryMatch>,
    /// Candidates compared in full.
    candidates: usize,
}

#[derive(Serialize)]
struct QueryRef {
    id: &'static str,
    bytes: usize,
}

#[derive(Serialize)]
struct QueryMatch {
    #[serde(flatten)]
    m: Match,
    #[serde(skip_serializing_if = "Option::is_none")]
    reasons: Option<Reasons>,
}

#[derive(Serialize)]
struct Reasons {
    verdict: Vec<String>,
    direction: Vec<String>,
}

fn labels(names: &[String]) -> Result<Vec<Label>, ApiError> {
    names
        .iter()
        .map(|n| {
            Label::ALL
                .iter()
                .copied()
                .find(|l| l.name() == n.trim())
                .ok_or_else(|| {
                    let all: Vec<&str> = Label::ALL.iter().map(|l| l.name()).collect();
                    ApiError::bad_request(format!(
                        "emit: unknown verdict {n:?}: expected {}",
                        all.join(", ")
                    ))
                })
        })
        .collect()
}

/// `POST /api/query`: the matches `reprint query --json` gives for the text.
pub(crate) async fn query(
    State(st): St,
    headers: HeaderMap,
    b: Result<Bytes, BytesRejection>,
) -> Result<Json<QueryResponse>, ApiError> {
    let req: QueryRequest = json_body(&headers, b, st.body_limit)?;
    index(&st)?;
    let top = req.top.unwrap_or(10);
    if top == 0 || top > MAX_TOP {
        return Err(ApiError::bad_request(format!(
            "top must be between 1 and {MAX_TOP}"
        )));
    }
    let mut opts = QueryOptions {
        top,
        date: date("date", req.date.as_deref())?,
        ..QueryOptions::default()
    };
    if let Some(emit) = &req.emit {
        opts.emit = labels(emit)?;
    }
    let explain = req.explain;
    let text = req.text;
    let r = blocking(&st, move |st| {
        let ix = read_index(index(st)?);
        let found = ix
            .query("query", text.as_bytes(), &opts)
            .map_err(ApiError::from_library)?;
        let mut matches = Vec::with_capacity(found.matches.len());
        let q = if explain {
            Some(document("query", &text)?)
        } else {
            None
        };
        for m in found.matches {
            let reasons = match &q {
                None => None,
                Some(q) => ix
                    .compare_with_indexed(q, &text, opts.date, &m.id)
                    .map_err(ApiError::from_library)?
                    .map(|(c, _)| Reasons {
                        verdict: c.verdict.reasons,
                        direction: c.direction.reasons,
                    }),
            };
            matches.push(QueryMatch { m, reasons });
        }
        Ok(QueryResponse {
            query: QueryRef {
                id: "query",
                bytes: text.len(),
            },
            matches,
            candidates: found.candidates,
        })
    })
    .await?;
    Ok(Json(r))
}

#[derive(Serialize)]
pub(crate) struct DocumentOut {
    id: String,
    series: Option<String>,
    date: Option<String>,
    fields: Option<Box<RawValue>>,
    text: String,
}

impl From<reprint::index::IndexedDoc> for DocumentOut {
    fn from(d: reprint::index::IndexedDoc) -> DocumentOut {
        DocumentOut {
            id: d.id,
            series: d.series,
            date: d.date,
            fields: d.fields,
            text: d.text,
        }
    }
}

fn missing(id: &str) -> ApiError {
    ApiError::not_found(format!("no document with id {id:?} in the index"))
}

/// `GET /api/documents/{id}`: the record as indexed.
pub(crate) async fn get_document(
    State(st): St,
    Path(id): Path<String>,
) -> Result<Json<DocumentOut>, ApiError> {
    index(&st)?;
    let d = blocking(&st, move |st| {
        let ix = read_index(index(st)?);
        match ix.get(&id).map_err(ApiError::internal)? {
            Some(d) => Ok(DocumentOut::from(d)),
            None => Err(missing(&id)),
        }
    })
    .await?;
    Ok(Json(d))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DocCompareRequest {
    text: String,
    #[serde(default)]
    date: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct DocCompare {
    document: DocumentOut,
    /// A: the text sent, B: the indexed document; shared text weighed by the index.
    comparison: Comparison,
}

/// `POST /api/documents/{id}/compare`: the full comparison of a text with an indexed
/// document (A: the text), as `reprint query` shows its best match.
pub(crate) async fn compare_with_document(
    State(st): St,
    Path(id): Path<String>,
    headers: HeaderMap,
    b: Result<Bytes, BytesRejection>,
) -> Result<Json<DocCompare>, ApiError> {
    let req: DocCompareRequest = json_body(&headers, b, st.body_limit)?;
    index(&st)?;
    let when = date("date", req.date.as_deref())?;
    let out = blocking(&st, move |st| {
        let q = document("text", &req.text)?;
        let ix = read_index(index(st)?);
        let Some((comparison, _)) = ix
            .compare_with_indexed(&q, &req.text, when, &id)
            .map_err(ApiError::from_library)?
        else {
            return Err(missing(&id));
        };
        let d = ix
            .get(&id)
            .map_err(ApiError::internal)?
            .ok_or_else(|| missing(&id))?;
        Ok(DocCompare {
            document: d.into(),
            comparison,
        })
    })
    .await?;
    Ok(Json(out))
}

/// Equal in time whatever the position of the first difference.
fn same_token(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len()
        && given
            .iter()
            .zip(expected)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// Lets a write through only with `Authorization: Bearer <the write token>` (before its
/// body is read).
pub(crate) async fn require_token(State(st): St, req: Request, next: Next) -> Response {
    let Some(expected) = &st.write_token else {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "writes are off: start the service with --write-token (or REPRINT_WRITE_TOKEN)",
        )
        .into_response();
    };
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match given {
        Some(t) if same_token(t.as_bytes(), expected.as_bytes()) => next.run(req).await,
        Some(_) => ApiError::new(StatusCode::UNAUTHORIZED, "wrong write token").into_response(),
        None => ApiError::new(
            StatusCode::UNAUTHORIZED,
            "this needs the write token: Authorization: Bearer <token>",
        )
        .into_response(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentsRequest<'a> {
    #[serde(borrow)]
    documents: Vec<&'a RawValue>,
}

#[derive(Serialize)]
pub(crate) struct AddResponse {
    /// Records in the request.
    records: usize,
    /// Documents added (a document whose id was indexed replaces it) and committed.
    added: usize,
    /// Documents in the index after the commit.
    documents: u64,
    /// Records not added, with their line (JSONL) or position (1-based) and the reason.
    skipped: Vec<Skipped>,
    /// Records added with a warning (an invalid date: the record is undated).
    warnings: Vec<Skipped>,
}

/// The request's records as JSONL: a JSONL body as it is, or the elements of
/// `{"documents": [...]}` one a line (a JSON value's raw text holds line breaks only as
/// whitespace between tokens, so they become spaces).
fn jsonl_of(headers: &HeaderMap, bytes: &[u8]) -> Result<Vec<u8>, ApiError> {
    match media_type(headers).as_str() {
        "application/json" => {
            let req: DocumentsRequest = serde_json::from_slice(bytes).map_err(|e| {
                ApiError::bad_request(format!(
                    "invalid JSON request (expected {{\"documents\": [...]}}): {e}"
                ))
            })?;
            let mut out = Vec::with_capacity(bytes.len());
            for d in req.documents {
                out.extend(
                    d.get()
                        .bytes()
                        .map(|c| if c == b'\n' || c == b'\r' { b' ' } else { c }),
                );
                out.push(b'\n');
            }
            Ok(out)
        }
        "application/x-ndjson" | "application/jsonl" | "application/json-lines" | "text/plain" => {
            Ok(bytes.to_vec())
        }
        _ => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "expected application/json ({\"documents\": [...]}) or JSONL (application/x-ndjson)",
        )),
    }
}

/// `POST /api/documents` (write token): adds the records and commits.
pub(crate) async fn add_documents(
    State(st): St,
    headers: HeaderMap,
    b: Result<Bytes, BytesRejection>,
) -> Result<Json<AddResponse>, ApiError> {
    index(&st)?;
    let bytes = body(b, st.body_limit)?;
    let jsonl = jsonl_of(&headers, &bytes)?;
    drop(bytes);
    let out = blocking(&st, move |st| {
        let corpus = Corpus::from_jsonl("request", &jsonl, st.body_limit);
        let records = corpus.len() + corpus.skipped().len();
        if records == 0 {
            return Err(ApiError::bad_request("the request holds no records"));
        }
        if corpus.is_empty() {
            return Err(
                ApiError::unprocessable("no record in the request could be added")
                    .with_skipped(corpus.skipped().to_vec()),
            );
        }
        let mut ix = write_index(index(st)?);
        let added = ix
            .add(&Record::from_corpus(&corpus, 0..corpus.len()))
            .and_then(|_| ix.commit());
        if let Err(e) = added {
            let _ = ix.rollback();
            return Err(ApiError::internal(e));
        }
        let documents = ix.len().map_err(ApiError::internal)?;
        Ok(AddResponse {
            records,
            added: corpus.len(),
            documents,
            skipped: corpus.skipped().to_vec(),
            warnings: corpus.warnings().to_vec(),
        })
    })
    .await?;
    Ok(Json(out))
}

#[derive(Serialize)]
pub(crate) struct RemoveResponse {
    removed: usize,
    documents: u64,
}

/// `DELETE /api/documents/{id}` (write token).
pub(crate) async fn delete_document(
    State(st): St,
    Path(id): Path<String>,
) -> Result<Json<RemoveResponse>, ApiError> {
    index(&st)?;
    let out = blocking(&st, move |st| {
        let mut ix = write_index(index(st)?);
        if ix.get(&id).map_err(ApiError::internal)?.is_none() {
            return Err(missing(&id));
        }
        let removed = ix
            .remove(&[id.as_str()])
            .and_then(|n| ix.commit().map(|()| n));
        let removed = match removed {
            Ok(n) => n,
            Err(e) => {
                let _ = ix.rollback();
                return Err(ApiError::internal(e));
            }
        };
        let documents = ix.len().map_err(ApiError::internal)?;
        Ok(RemoveResponse { removed, documents })
    })
    .await?;
    Ok(Json(out))
}

/// Any other path.
pub(crate) async fn not_found() -> ApiError {
    ApiError::not_found("no such page or endpoint")
}

/// A known path with another method.
pub(crate) async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "this endpoint does not take that method",
    )
}
