//! Errors of the scan stage.
//!
//! Kept separate until the library's own error type lands; every variant maps
//! one to one onto a variant of `reprint::Error` (`Io`, `Parse`, `InvalidSetting`).

use std::fmt;

/// A `Result` whose error is [`ScanError`].
pub type ScanResult<T, E = ScanError> = std::result::Result<T, E>;

/// What can stop a scan as a whole (a bad record only skips that record).
#[derive(Debug)]
#[non_exhaustive]
pub enum ScanError {
    /// An I/O error, with the path it concerns.
    Io {
        /// The path or stream.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A setting was out of range or inconsistent.
    InvalidSetting {
        /// The setting's name.
        name: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// An input could not be used at all (not a file, not a directory, unknown format).
    Input {
        /// The path given.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// The corpus is too large for the index (more documents than ids can address).
    TooLarge {
        /// What limit was hit.
        message: String,
    },
}

impl ScanError {
    pub(crate) fn io(path: impl Into<String>, source: std::io::Error) -> ScanError {
        ScanError::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn setting(name: &'static str, message: impl Into<String>) -> ScanError {
        ScanError::InvalidSetting {
            name,
            message: message.into(),
        }
    }
}

impl fmt::Display for ScanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The cause is given by `source()`; printing it here too would repeat it.
            ScanError::Io { path, .. } => write!(f, "cannot read or write {path}"),
            ScanError::InvalidSetting { name, message } => {
                write!(f, "invalid setting `{name}`: {message}")
            }
            ScanError::Input { path, message } => write!(f, "{path}: {message}"),
            ScanError::TooLarge { message } => write!(f, "corpus too large: {message}"),
        }
    }
}

impl std::error::Error for ScanError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ScanError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
