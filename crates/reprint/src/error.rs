//! The library's one error type.

use std::fmt;

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the library.
///
/// Variants carry the identifier of the document or input they concern, so a
/// front end can tell the user which file, line or record was at fault.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The input holds no words (it is empty, or only whitespace, punctuation or symbols).
    Empty {
        /// The document id (usually a path).
        id: String,
    },
    /// The input looks like binary data, not text.
    Binary {
        /// The document id (usually a path).
        id: String,
        /// Why it was judged binary.
        reason: String,
    },
    /// A setting was out of range or inconsistent.
    InvalidSetting {
        /// The setting's name.
        name: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// A record of an input file could not be parsed.
    Parse {
        /// The file or stream the record came from.
        source_name: String,
        /// The 1-based line number of the record, when known.
        line: Option<u64>,
        /// What is wrong with it.
        message: String,
    },
    /// An input could not be used at all (not a file or directory, unknown format).
    Input {
        /// The path given.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// A date or date-time is not valid ISO 8601 (or not a real calendar date).
    InvalidDate {
        /// The text given.
        date: String,
        /// What is wrong with it.
        message: String,
    },
    /// A corpus is larger than the index can address.
    TooLarge {
        /// Which limit was hit.
        message: String,
    },
    /// An I/O error, with the path or stream it concerns.
    Io {
        /// The path or stream.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Empty { id } => write!(
                f,
                "{id}: the input holds no words (it is empty, or only whitespace, punctuation or symbols)"
            ),
            Error::Binary { id, reason } => {
                write!(f, "{id}: looks like a binary file, not text ({reason})")
            }
            Error::InvalidSetting { name, message } => {
                write!(f, "invalid setting `{name}`: {message}")
            }
            Error::Parse {
                source_name,
                line,
                message,
            } => match line {
                Some(line) => write!(f, "{source_name}:{line}: {message}"),
                None => write!(f, "{source_name}: {message}"),
            },
            Error::Input { path, message } => write!(f, "{path}: {message}"),
            Error::InvalidDate { date, message } => {
                write!(f, "invalid date {date:?}: {message}")
            }
            Error::TooLarge { message } => write!(f, "corpus too large: {message}"),
            // The cause is given by `source()`; printing it here too would repeat it.
            Error::Io { path, .. } => write!(f, "input/output error on {path}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl Error {
    pub(crate) fn io(path: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn setting(name: &'static str, message: impl Into<String>) -> Error {
        Error::InvalidSetting {
            name,
            message: message.into(),
        }
    }
}
