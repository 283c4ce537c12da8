//! The API in-process (`tower::ServiceExt::oneshot`): every endpoint, every error status,
//! the body limit, the time and request limits, the write token.

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use reprint_serve::{Config, Service};
use serde_json::{json, Value};
use tower::ServiceExt;

const SOURCE: &str = include_str!("../../../reprint/tests/fixtures/harbour_source.txt");
const REWRITE: &str = include_str!("../../../reprint/tests/fixtures/harbour_rewrite.txt");
const BUDGET: &str = include_str!("../../../reprint/tests/fixtures/council_budget.txt");
const PARKS: &str = include_str!("../../../reprint/tests/fixtures/council_parks.txt");
const GLACIER: &str = include_str!("../../../reprint/tests/fixtures/glacier.txt");

const TOKEN: &str = "test-token-0123456789";

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }
    /// The JSON of a 200 answer.
    fn ok(&self) -> Value {
        assert_eq!(
            self.status,
            StatusCode::OK,
            "{}",
            String::from_utf8_lossy(&self.body)
        );
        self.json()
    }
    /// The `error` of an error answer, checked to be the only field besides `skipped`.
    fn error(&self) -> String {
        let v = self.json();
        let obj = v.as_object().expect("an object");
        assert!(obj.keys().all(|k| k == "error" || k == "skipped"), "{v}");
        obj["error"]
            .as_str()
            .expect("error is a string")
            .to_string()
    }
}

async fn call(app: &Router, req: Request<Body>) -> Reply {
    let r = app.clone().oneshot(req).await.expect("infallible");
    let status = r.status();
    let headers = r.headers().clone();
    let body = r
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

fn req(method: Method, uri: &str, ctype: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut b = Request::builder().method(method).uri(uri);
    if let Some(c) = ctype {
        b = b.header(header::CONTENT_TYPE, c);
    }
    b.body(body.into()).expect("request")
}

fn post_json(uri: &str, v: &Value) -> Request<Body> {
    req(
        Method::POST,
        uri,
        Some("application/json"),
        serde_json::to_vec(v).expect("json"),
    )
}

fn with_token(mut r: Request<Body>, token: &str) -> Request<Body> {
    r.headers_mut().insert(
        header::AUTHORIZATION,
        format!("Bearer {token}").parse().expect("header"),
    );
    r
}

fn get(uri: &str) -> Request<Body> {
    req(Method::GET, uri, None, Body::empty())
}

/// A service with a fresh index (created because a token is given) holding the harbour
/// source and three unrelated texts, added through the API.
async fn indexed() -> (tempfile::TempDir, Router) {
    let dir = tempfile::tempdir().expect("tempdir");
    let svc = Service::open(Config {
        index: Some(dir.path().join("ix")),
        write_token: Some(TOKEN.into()),
        ..Config::default()
    })
    .expect("service");
    let app = svc.router();
    let docs = json!({"documents": [
        {"id": "harbour-1", "series": "Coast Wire", "date": "2026-03-03", "text": SOURCE},
        {"id": "council/budget.txt", "date": "2026-02-01", "text": BUDGET},
        {"id": 42, "text": PARKS, "desk": "city"},
        {"id": "glacier", "text": GLACIER},
    ]});
    let r = call(&app, with_token(post_json("/api/documents", &docs), TOKEN)).await;
    let v = r.ok();
    assert_eq!(counts(&v), (4, 4));
    assert_eq!(v["documents"], 4);
    assert_eq!(v["skipped"], json!([]));
    (dir, app)
}

/// Records in an add request, and documents added.
fn counts(v: &Value) -> (u64, u64) {
    let n = |k: &str| v[k].as_u64().unwrap_or_else(|| panic!("{k} in {v}"));
    (n("records"), n("added"))
}

fn compare_only() -> Router {
    Service::open(Config::default()).expect("service").router()
}

#[tokio::test]
async fn health_says_what_the_service_holds() {
    let r = call(&compare_only(), get("/health")).await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["status"], "ok");
    assert_eq!(v["documents"], Value::Null);
    assert_eq!(v["writes"], false);
    let (_dir, app) = indexed().await;
    let v = call(&app, get("/health")).await.json();
    assert_eq!(
        (v["documents"].as_u64(), v["writes"].as_bool()),
        (Some(4), Some(true))
    );
}

#[tokio::test]
async fn compare_answers_as_the_cli_json() {
    let app = compare_only();
    let body = json!({"a": SOURCE, "b": REWRITE, "date_a": "2026-03-03", "date_b": "2026-03-05"});
    let r = call(&app, post_json("/api/compare", &body)).await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["verdict"]["label"], "derived");
    assert_eq!(v["direction"]["source"], "a");
    assert_eq!(v["direction"]["basis"], "dates");
    assert_eq!(v["doc_a"]["bytes"], SOURCE.len());
    // The same comparison as the library makes (the CLI's `--json` serialises it).
    let a = reprint::Document::from_bytes("a", SOURCE.as_bytes()).expect("a");
    let b = reprint::Document::from_bytes("b", REWRITE.as_bytes()).expect("b");
    let hints = reprint::Hints {
        date_a: reprint::Timestamp::parse("2026-03-03").ok(),
        date_b: reprint::Timestamp::parse("2026-03-05").ok(),
        shared: None,
        ..reprint::Hints::default()
    };
    let lib = reprint::Comparer::default().compare_with(&a, &b, &hints);
    assert_eq!(v, serde_json::to_value(&lib).expect("json"));
    // Every span is inside its text.
    for al in v["alignments"].as_array().expect("alignments") {
        assert!(al["a"][1].as_u64().expect("end") as usize <= SOURCE.len());
        assert!(al["b"][1].as_u64().expect("end") as usize <= REWRITE.len());
    }
}

#[tokio::test]
async fn compare_refuses_bad_requests_with_the_right_status() {
    let app = compare_only();
    let cases: Vec<(Request<Body>, StatusCode, &str)> = vec![
        (
            req(Method::POST, "/api/compare", Some("text/plain"), "a"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "application/json",
        ),
        (
            req(Method::POST, "/api/compare", None, "{}"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "application/json",
        ),
        (
            req(
                Method::POST,
                "/api/compare",
                Some("application/json"),
                "{\"a\": ",
            ),
            StatusCode::BAD_REQUEST,
            "invalid JSON",
        ),
        (
            post_json("/api/compare", &json!({"a": "x"})),
            StatusCode::BAD_REQUEST,
            "missing field `b`",
        ),
        (
            post_json("/api/compare", &json!({"a": "x", "b": "y", "c": 1})),
            StatusCode::BAD_REQUEST,
            "unknown field `c`",
        ),
        (
            post_json(
                "/api/compare",
                &json!({"a": SOURCE, "b": REWRITE, "date_a": "2024-02-30"}),
            ),
            StatusCode::BAD_REQUEST,
            "date_a",
        ),
        (
            post_json("/api/compare", &json!({"a": " ... ", "b": REWRITE})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "holds no words",
        ),
        (
            get("/api/compare"),
            StatusCode::METHOD_NOT_ALLOWED,
            "method",
        ),
    ];
    for (request, status, says) in cases {
        let what = format!("{} {}", request.method(), request.uri());
        let r = call(&app, request).await;
        assert_eq!(
            r.status,
            status,
            "{what}: {}",
            String::from_utf8_lossy(&r.body)
        );
        let e = r.error();
        assert!(e.contains(says), "{what}: {e:?} should say {says:?}");
    }
}

#[tokio::test]
async fn query_finds_the_source_first_and_explains_it() {
    let (_dir, app) = indexed().await;
    let body = json!({"text": REWRITE, "date": "2026-03-05", "explain": true});
    let r = call(&app, post_json("/api/query", &body)).await;
    let v = r.ok();
    assert_eq!(v["query"], json!({"id": "query", "bytes": REWRITE.len()}));
    let m = &v["matches"][0];
    assert_eq!(m["id"], "harbour-1");
    assert_eq!(m["label"], "derived");
    assert_eq!(m["series"], "Coast Wire");
    assert_eq!(m["direction"]["source"], "match");
    assert!(m["passages"].as_array().is_some_and(|p| !p.is_empty()));
    assert!(m["reasons"]["verdict"][0]
        .as_str()
        .is_some_and(|s| s.starts_with("score")));
    // None of the unrelated texts is reported.
    assert_eq!(v["matches"].as_array().map(Vec::len), Some(1), "{v}");
    // Without `explain`, the CLI's schema exactly: no reasons.
    let v = call(&app, post_json("/api/query", &json!({"text": REWRITE})))
        .await
        .json();
    assert!(v["matches"][0].get("reasons").is_none());
    assert_eq!(v["matches"][0]["direction"]["source"], "unknown");
    // A text of its own finds nothing.
    let own = "Volunteers repainted the village hall on Saturday and planted twelve apple \
               trees behind the school, the parish newsletter said.";
    let v = call(&app, post_json("/api/query", &json!({"text": own})))
        .await
        .json();
    assert_eq!(v["matches"], json!([]));
}

#[tokio::test]
async fn query_refuses_bad_requests() {
    let (dir, app) = indexed().await;
    let shown = dir.path().display().to_string();
    let cases = [
        (
            json!({"text": REWRITE, "top": 0}),
            StatusCode::BAD_REQUEST,
            "top",
        ),
        (
            json!({"text": REWRITE, "top": 101}),
            StatusCode::BAD_REQUEST,
            "top",
        ),
        (
            json!({"text": REWRITE, "emit": ["copied"]}),
            StatusCode::BAD_REQUEST,
            "emit",
        ),
        (
            json!({"text": REWRITE, "date": "abc"}),
            StatusCode::BAD_REQUEST,
            "date",
        ),
        (
            json!({"text": ""}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "no words",
        ),
        (json!({"txt": REWRITE}), StatusCode::BAD_REQUEST, "text"),
    ];
    for (body, status, says) in cases {
        let r = call(&app, post_json("/api/query", &body)).await;
        assert_eq!(r.status, status, "{body}");
        let e = r.error();
        assert!(e.contains(says), "{e:?}");
        assert!(!e.contains(&shown), "{e:?} shows the index's path");
    }
    // Without an index, only compare works.
    let r = call(
        &compare_only(),
        post_json("/api/query", &json!({"text": REWRITE})),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.error().contains("no index"));
}

#[tokio::test]
async fn documents_are_read_compared_and_deleted() {
    let (dir, app) = indexed().await;
    // An id with a slash, percent-encoded in the path.
    let r = call(&app, get("/api/documents/council%2Fbudget.txt")).await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["id"], "council/budget.txt");
    assert_eq!(v["text"], BUDGET);
    assert_eq!(v["date"], "2026-02-01");
    // A numeric id keeps its digits; other fields pass through.
    let v = call(&app, get("/api/documents/42")).await.json();
    assert_eq!(v["fields"], json!({"desk": "city"}));

    let body = json!({"text": REWRITE, "date": "2026-03-05"});
    let r = call(&app, post_json("/api/documents/harbour-1/compare", &body)).await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["document"]["text"], SOURCE);
    assert_eq!(v["comparison"]["verdict"]["label"], "derived");
    assert_eq!(v["comparison"]["direction"]["source"], "b");
    assert!(v["comparison"]["changes"].as_array().is_some());
    let r = call(&app, post_json("/api/documents/nope/compare", &body)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Delete needs the token.
    let del = || {
        req(
            Method::DELETE,
            "/api/documents/harbour-1",
            None,
            Body::empty(),
        )
    };
    assert_eq!(call(&app, del()).await.status, StatusCode::UNAUTHORIZED);
    let r = call(&app, with_token(del(), TOKEN)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json(), json!({"removed": 1, "documents": 3}));
    let r = call(&app, get("/api/documents/harbour-1")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(!r.error().contains(&dir.path().display().to_string()));
    let r = call(&app, with_token(del(), TOKEN)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The query no longer finds it.
    let v = call(&app, post_json("/api/query", &json!({"text": REWRITE})))
        .await
        .json();
    assert_eq!(v["matches"], json!([]));
    // Without an index.
    let r = call(&compare_only(), get("/api/documents/x")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn adding_documents_takes_jsonl_and_names_bad_records() {
    let (_dir, app) = indexed().await;
    let jsonl = format!(
        "{}\nnot json\n{}\n{}\n",
        json!({"id": "harbour-2", "text": REWRITE, "date": "2026-13-45"}),
        json!({"id": "empty", "text": "  "}),
        json!({"id": "harbour-1", "text": SOURCE, "series": "Coast Wire"}),
    );
    let r = call(
        &app,
        with_token(
            req(
                Method::POST,
                "/api/documents",
                Some("application/x-ndjson"),
                jsonl,
            ),
            TOKEN,
        ),
    )
    .await;
    let v = r.ok();
    assert_eq!(counts(&v), (4, 2));
    // harbour-1 was replaced, harbour-2 is new.
    assert_eq!(v["documents"], 5);
    let skipped = v["skipped"].as_array().expect("skipped");
    assert_eq!(skipped.len(), 2);
    assert_eq!(skipped[0]["line"], 2);
    assert_eq!(skipped[1]["id"], "empty");
    assert_eq!(v["warnings"][0]["id"], "harbour-2");

    // Every record bad: 422 with the reasons; none at all: 400; another type: 415.
    let post = |ctype: &str, body: &str| {
        with_token(
            req(
                Method::POST,
                "/api/documents",
                Some(ctype),
                body.to_string(),
            ),
            TOKEN,
        )
    };
    let r = call(&app, post("application/x-ndjson", "{\"id\": 1}\n")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["skipped"][0]["line"], 1);
    let r = call(&app, post("application/json", "{\"documents\": []}")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = call(&app, post("application/json", "[1, 2]")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = call(&app, post("application/pdf", "%PDF")).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let v = call(&app, get("/health")).await.json();
    assert_eq!(v["documents"], 5);
}

#[tokio::test]
async fn writes_need_the_token() {
    let body = json!({"documents": [{"id": "x", "text": SOURCE}]});
    // A service without a token is read-only.
    let dir = tempfile::tempdir().expect("tempdir");
    let ro = Service::open(Config {
        index: Some(dir.path().join("ix")),
        write_token: Some(TOKEN.into()),
        ..Config::default()
    })
    .expect("creates the index");
    drop(ro);
    let ro = Service::open(Config {
        index: Some(dir.path().join("ix")),
        ..Config::default()
    })
    .expect("opens it")
    .router();
    let r = call(&ro, with_token(post_json("/api/documents", &body), TOKEN)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.error().contains("--write-token"));

    let (_dir, app) = indexed().await;
    let r = call(&app, post_json("/api/documents", &body)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.headers[header::WWW_AUTHENTICATE], "Bearer");
    for wrong in ["test-token-012345678", "test-token-0123456780", ""] {
        let r = call(&app, with_token(post_json("/api/documents", &body), wrong)).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{wrong:?}");
    }
    let mut basic = post_json("/api/documents", &body);
    basic.headers_mut().insert(
        header::AUTHORIZATION,
        format!("Basic {TOKEN}").parse().expect("header"),
    );
    assert_eq!(call(&app, basic).await.status, StatusCode::UNAUTHORIZED);
    // Nothing was added.
    assert_eq!(call(&app, get("/health")).await.json()["documents"], 4);
    // A short token is refused at start; an index that does not exist is not created
    // without a token.
    let short = Service::open(Config {
        write_token: Some("1234567".into()),
        ..Config::default()
    });
    assert!(short.is_err());
    let missing = Service::open(Config {
        index: Some(dir.path().join("none")),
        ..Config::default()
    });
    assert!(missing.is_err());
    assert!(!dir.path().join("none").exists());
}

#[tokio::test]
async fn bodies_over_the_limit_get_413() {
    let app = Service::open(Config {
        body_limit: 1000,
        ..Config::default()
    })
    .expect("service")
    .router();
    let text = "word ".repeat(120);
    let body = json!({"a": text, "b": text});
    let r = call(&app, post_json("/api/compare", &body)).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.error().contains("1000 bytes"));
    // Streamed without a length: cut at the limit all the same.
    let chunks: Vec<Result<String, std::io::Error>> =
        (0..20).map(|_| Ok("x".repeat(100))).collect();
    let streamed = Body::from_stream(tokio_stream::iter(chunks));
    let r = call(
        &app,
        req(
            Method::POST,
            "/api/compare",
            Some("application/json"),
            streamed,
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Just under the limit is read.
    let small = json!({"a": "The river rose.", "b": "The river rose."});
    assert_eq!(
        call(&app, post_json("/api/compare", &small)).await.status,
        StatusCode::OK
    );
}

/// A body that never ends while its sender lives: a request stuck reading it holds its
/// place.
fn endless() -> (
    tokio::sync::mpsc::Sender<Result<String, std::io::Error>>,
    Body,
) {
    let (tx, rx) = tokio::sync::mpsc::channel(1);
    (
        tx,
        Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx)),
    )
}

#[tokio::test]
async fn slow_requests_get_504_and_too_many_get_503() {
    let app = Service::open(Config {
        timeout: Duration::from_millis(200),
        max_requests: 1,
        ..Config::default()
    })
    .expect("service")
    .router();
    let (tx, body) = endless();
    let first = tokio::spawn({
        let app = app.clone();
        async move {
            call(
                &app,
                req(Method::POST, "/api/compare", Some("application/json"), body),
            )
            .await
        }
    });
    // Let the first request start and take the only place (this runtime has one thread:
    // the spawned task runs until it waits for its body).
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    let r = call(&app, get("/health")).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.error().contains("too many"));
    let r = first.await.expect("first request");
    assert_eq!(r.status, StatusCode::GATEWAY_TIMEOUT);
    assert!(r.error().contains("0.2 s"));
    drop(tx);
    // The place is free again.
    assert_eq!(call(&app, get("/health")).await.status, StatusCode::OK);
}

#[tokio::test]
async fn unknown_paths_and_methods_answer_json() {
    let app = compare_only();
    let r = call(&app, get("/etc/passwd")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/json");
    r.error();
    let r = call(&app, get("/assets/../../Cargo.toml")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = call(&app, req(Method::PUT, "/health", None, Body::empty())).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    r.error();
}

#[tokio::test]
async fn the_page_and_its_assets_are_served_with_a_strict_policy() {
    let app = compare_only();
    for (path, ctype) in [
        ("/", "text/html; charset=utf-8"),
        ("/assets/app.js", "text/javascript; charset=utf-8"),
        ("/assets/app.css", "text/css; charset=utf-8"),
    ] {
        let r = call(&app, get(path)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_eq!(r.headers[header::CONTENT_TYPE], ctype);
        let csp = r.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("ascii");
        assert!(csp.contains("script-src 'self'") && csp.contains("default-src 'none'"));
        assert_eq!(r.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(!r.body.is_empty());
    }
}
