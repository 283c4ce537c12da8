//! Errors as the API answers them: `{"error": "..."}` with a status, never internals.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use reprint::Skipped;
use serde::Serialize;

/// An error answer. The message is meant for the client: it names what was wrong with the
/// request, never a path, a library internal or a backtrace (those go to the server's log).
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    message: String,
    skipped: Vec<Skipped>,
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'a str,
    #[serde(skip_serializing_if = "<[Skipped]>::is_empty")]
    skipped: &'a [Skipped],
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            skipped: Vec::new(),
        }
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    pub(crate) fn unprocessable(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    pub(crate) fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }

    /// The service has no index: only compare works.
    pub(crate) fn no_index() -> ApiError {
        ApiError::not_found(
            "this service has no index: only /api/compare works (start it with --index DIR)",
        )
    }

    /// Something failed inside the service. `detail` goes to the server's log only.
    pub(crate) fn internal(detail: impl std::fmt::Display) -> ApiError {
        eprintln!("reprint serve: internal error: {detail}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error (the server's log has the details)",
        )
    }

    pub(crate) fn with_skipped(mut self, skipped: Vec<Skipped>) -> ApiError {
        self.skipped = skipped;
        self
    }

    /// The status (for tests and logs).
    #[cfg(test)]
    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }

    /// Maps a library error about a text the client sent (named by `what`, e.g. `a`): a text
    /// the library cannot read is the client's (422), a bad date too (400); anything else is
    /// internal.
    pub(crate) fn from_library(e: reprint::Error) -> ApiError {
        match e {
            reprint::Error::Empty { .. } | reprint::Error::Binary { .. } => {
                ApiError::unprocessable(e.to_string())
            }
            reprint::Error::InvalidDate { .. } => ApiError::bad_request(e.to_string()),
            other => ApiError::internal(other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body {
            error: &self.message,
            skipped: &self.skipped,
        };
        let json = serde_json::to_vec(&body).unwrap_or_else(|_| b"{\"error\":\"error\"}".to_vec());
        let mut r = (self.status, json).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if self.status == StatusCode::UNAUTHORIZED {
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_errors_map_to_client_or_internal_statuses() {
        let empty = reprint::Document::from_bytes("a", b"  ... ").unwrap_err();
        assert_eq!(
            ApiError::from_library(empty).status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        let date = reprint::Timestamp::parse("2024-02-30").unwrap_err();
        assert_eq!(
            ApiError::from_library(date).status(),
            StatusCode::BAD_REQUEST
        );
        let io = reprint::Error::Io {
            path: "/secret/index".into(),
            source: std::io::Error::other("disk"),
        };
        let e = ApiError::from_library(io);
        assert_eq!(e.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!e.message.contains("/secret"));
    }
}
