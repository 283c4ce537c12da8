//! `reprint serve`: an HTTP API and a web page over the reprint library.
//!
//! A thin layer: every answer comes from [`reprint::Comparer`] and [`reprint::index::Index`],
//! with the JSON schemas of the CLI's `--json` outputs. The service reads no file but its
//! index (the page, its script and its style sheet are compiled into the binary), runs the
//! library's work on blocking threads, bounds request bodies, time and concurrency, and binds
//! to loopback unless told otherwise.
//!
//! ```no_run
//! let config = reprint_serve::Config {
//!     index: Some("ix".into()),
//!     ..reprint_serve::Config::default()
//! };
//! reprint_serve::run(config, "127.0.0.1:7878".parse().unwrap())?;
//! # Ok::<(), String>(())
//! ```
#![deny(missing_docs)]

mod api;
mod error;
mod page;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::handler::Handler;
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use reprint::index::Index;
use reprint::{Comparer, ScanSettings};
use tokio::sync::Semaphore;

use crate::error::ApiError;

/// How the service runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The index directory; without one only compare works. It must exist unless a write
    /// token is given (then an empty index is created).
    pub index: Option<PathBuf>,
    /// The bearer token that allows `POST /api/documents` and `DELETE /api/documents/{id}`;
    /// without one the service is read-only.
    pub write_token: Option<String>,
    /// Largest request body, in bytes (a longer one is answered with 413).
    pub body_limit: usize,
    /// Time allowed for one request, from its first byte to its answer (then 504).
    pub timeout: Duration,
    /// Comparisons, queries and index writes run at once at most (others wait their turn
    /// within their time limit).
    pub workers: usize,
    /// Requests in progress at most, waiting ones included (more are answered with 503).
    /// With `body_limit`, it bounds the memory request bodies can take.
    pub max_requests: usize,
}

impl Default for Config {
    fn default() -> Config {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Config {
            index: None,
            write_token: None,
            body_limit: 8 << 20,
            timeout: Duration::from_secs(30),
            workers: cores,
            max_requests: 64,
        }
    }
}

/// What every handler shares.
pub(crate) struct AppState {
    pub(crate) index: Option<RwLock<Index>>,
    pub(crate) comparer: Comparer,
    pub(crate) write_token: Option<String>,
    pub(crate) body_limit: usize,
    timeout: Duration,
    workers: Arc<Semaphore>,
    requests: Arc<Semaphore>,
}

/// The service: its state and routes, ready to be served or called in-process.
#[derive(Clone)]
pub struct Service {
    state: Arc<AppState>,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service").finish_non_exhaustive()
    }
}

impl Service {
    /// Opens the index (if any) and checks the limits.
    pub fn open(config: Config) -> Result<Service, String> {
        if config.body_limit == 0 || config.workers == 0 || config.max_requests == 0 {
            return Err("the body limit, workers and max requests must be at least 1".into());
        }
        if config.timeout.is_zero() {
            return Err("the time limit must be more than 0".into());
        }
        if config
            .write_token
            .as_deref()
            .is_some_and(|t| t.trim().len() < 8)
        {
            return Err("the write token must be at least 8 characters".into());
        }
        let settings = ScanSettings::default();
        let index = match &config.index {
            None => None,
            Some(dir) => {
                let opened = if config.write_token.is_some() {
                    Index::open_or_create(dir, &settings)
                } else {
                    Index::open(dir, &settings)
                };
                Some(RwLock::new(opened.map_err(|e| e.to_string())?))
            }
        };
        Ok(Service {
            state: Arc::new(AppState {
                index,
                comparer: Comparer::default(),
                write_token: config.write_token,
                body_limit: config.body_limit,
                timeout: config.timeout,
                workers: Arc::new(Semaphore::new(config.workers)),
                requests: Arc::new(Semaphore::new(config.max_requests)),
            }),
        })
    }

    /// Documents in the index (`None` without an index).
    pub fn documents(&self) -> Result<Option<u64>, String> {
        match &self.state.index {
            None => Ok(None),
            Some(ix) => read_index(ix).len().map(Some).map_err(|e| e.to_string()),
        }
    }

    /// The routes, with the limits and headers applied.
    pub fn router(&self) -> Router {
        let token = || middleware::from_fn_with_state(self.state.clone(), api::require_token);
        let documents = Router::new()
            .route("/api/documents", post(api::add_documents.layer(token())))
            .route(
                "/api/documents/{id}",
                get(api::get_document).delete(api::delete_document.layer(token())),
            )
            .route(
                "/api/documents/{id}/compare",
                post(api::compare_with_document),
            );
        Router::new()
            .route("/", get(page::index))
            .route("/assets/app.js", get(page::script))
            .route("/assets/app.css", get(page::style))
            .route("/health", get(api::health))
            .route("/api/compare", post(api::compare))
            .route("/api/query", post(api::query))
            .merge(documents)
            .fallback(api::not_found)
            .method_not_allowed_fallback(api::method_not_allowed)
            .layer(DefaultBodyLimit::max(self.state.body_limit))
            .layer(middleware::from_fn_with_state(self.state.clone(), guard))
            .layer(middleware::map_response(security_headers))
            .with_state(self.state.clone())
    }
}

pub(crate) fn read_index(ix: &RwLock<Index>) -> std::sync::RwLockReadGuard<'_, Index> {
    // A panic while a write held the lock leaves the index at its last commit (tantivy's
    // commits are atomic), so the lock is usable again.
    ix.read().unwrap_or_else(|e| e.into_inner())
}

pub(crate) fn write_index(ix: &RwLock<Index>) -> std::sync::RwLockWriteGuard<'_, Index> {
    ix.write().unwrap_or_else(|e| e.into_inner())
}

/// Runs `work` on a blocking thread once a worker slot is free: the library's work never
/// runs on the async runtime's threads. The slot is held by the work itself, so a request
/// that times out does not free it before its work ends: at most `workers` run at once.
pub(crate) async fn blocking<T, F>(state: &Arc<AppState>, work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&AppState) -> Result<T, ApiError> + Send + 'static,
{
    let permit = state
        .workers
        .clone()
        .acquire_owned()
        .await
        .map_err(ApiError::internal)?;
    let st = state.clone();
    tokio::task::spawn_blocking(move || {
        let _slot = permit;
        work(&st)
    })
    .await
    .map_err(ApiError::internal)?
}

/// Bounds requests in progress (503 beyond `max_requests`) and the time of each (504).
async fn guard(State(st): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let Ok(_permit) = st.requests.clone().try_acquire_owned() else {
        return ApiError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "too many requests in progress; try again shortly",
        )
        .into_response();
    };
    match tokio::time::timeout(st.timeout, next.run(req)).await {
        Ok(r) => r,
        Err(_) => ApiError::new(
            axum::http::StatusCode::GATEWAY_TIMEOUT,
            format!(
                "the request took longer than the service's limit of {} s",
                st.timeout.as_secs_f64()
            ),
        )
        .into_response(),
    }
}

async fn security_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, k, v| {
        h.insert(k, HeaderValue::from_static(v));
    };
    set(
        h,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::REFERRER_POLICY, "no-referrer");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::CACHE_CONTROL, "no-store");
    r
}

/// Serves `service` on `listener` until `shutdown` completes, then lets requests in
/// progress finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    service: &Service,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, service.router())
        .with_graceful_shutdown(shutdown)
        .await
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// Opens the service, binds `addr`, prints the URL and serves until Ctrl-C or SIGTERM.
pub fn run(config: Config, addr: SocketAddr) -> Result<(), String> {
    let index_dir = config.index.clone();
    let writes = config.write_token.is_some();
    let service = Service::open(config)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("reprint-serve")
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        let local = listener
            .local_addr()
            .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        let what = match (&index_dir, service.documents()?) {
            (Some(dir), Some(n)) => format!(
                "index {} ({n} documents)",
                reprint::terminal_safe(&dir.display().to_string())
            ),
            _ => "no index: compare only".to_string(),
        };
        println!(
            "reprint serve: http://{local}/  ({what}; writes {}; Ctrl-C stops)",
            if writes {
                "allowed with the token"
            } else {
                "off"
            }
        );
        if !local.ip().is_loopback() {
            eprintln!(
                "reprint serve: warning: listening on {} (not loopback): anyone who can reach \
                 it can query the index; put it behind a reverse proxy with TLS",
                local.ip()
            );
        }
        serve(listener, &service, shutdown_signal())
            .await
            .map_err(|e| format!("the server failed: {e}"))?;
        println!("reprint serve: stopped");
        Ok(())
    })
}
