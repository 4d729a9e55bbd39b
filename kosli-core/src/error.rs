//! The one error type of the SDK and its stable [`ErrorKind`].
//!
//! Bindings never invent their own categories: the C status codes and the Python exception
//! classes are derived from [`ErrorKind`], so a new kind is appended to the end of the table and
//! existing ones are never renumbered.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// A boxed source error, kept so callers can walk the cause chain.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Shorthand for results whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The stable category of an [`Error`]; its number is the C status code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A bad argument or name.
    InvalidInput,
    /// A file could not be read or written.
    Io,
    /// An artifact could not be fingerprinted.
    Fingerprint,
    /// Malformed JUnit, SARIF, YAML or JSON.
    Parse,
    /// Bad or missing configuration.
    Config,
    /// The connection failed after retries.
    Network,
    /// A time budget ran out.
    Timeout,
    /// The server answered with an error.
    Api,
    /// The server refused the credentials (401/403).
    Auth,
    /// The server has no such thing (404).
    NotFound,
    /// The journal could not record or deliver.
    Journal,
    /// A gate or policy said no.
    PolicyDenied,
    /// The caller cancelled.
    Cancelled,
}

impl ErrorKind {
    /// Every kind, in the order of their stable numbers (1, 2, ...).
    pub const ALL: [ErrorKind; 13] = [
        ErrorKind::InvalidInput,
        ErrorKind::Io,
        ErrorKind::Fingerprint,
        ErrorKind::Parse,
        ErrorKind::Config,
        ErrorKind::Network,
        ErrorKind::Timeout,
        ErrorKind::Api,
        ErrorKind::Auth,
        ErrorKind::NotFound,
        ErrorKind::Journal,
        ErrorKind::PolicyDenied,
        ErrorKind::Cancelled,
    ];

    /// The stable number of this kind (the C status code); never renumbered.
    pub fn code(self) -> u32 {
        match self {
            ErrorKind::InvalidInput => 1,
            ErrorKind::Io => 2,
            ErrorKind::Fingerprint => 3,
            ErrorKind::Parse => 4,
            ErrorKind::Config => 5,
            ErrorKind::Network => 6,
            ErrorKind::Timeout => 7,
            ErrorKind::Api => 8,
            ErrorKind::Auth => 9,
            ErrorKind::NotFound => 10,
            ErrorKind::Journal => 11,
            ErrorKind::PolicyDenied => 12,
            ErrorKind::Cancelled => 13,
        }
    }

    /// The kind's name as DESIGN.md's table spells it (`InvalidInput`, `Io`, ...).
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "InvalidInput",
            ErrorKind::Io => "Io",
            ErrorKind::Fingerprint => "Fingerprint",
            ErrorKind::Parse => "Parse",
            ErrorKind::Config => "Config",
            ErrorKind::Network => "Network",
            ErrorKind::Timeout => "Timeout",
            ErrorKind::Api => "Api",
            ErrorKind::Auth => "Auth",
            ErrorKind::NotFound => "NotFound",
            ErrorKind::Journal => "Journal",
            ErrorKind::PolicyDenied => "PolicyDenied",
            ErrorKind::Cancelled => "Cancelled",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Every failure the SDK reports. Messages name the path, field or pattern at fault and never
/// contain the API token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A bad argument or name; `what` names the argument.
    #[error("{message}")]
    InvalidInput {
        /// The argument, option or pattern at fault.
        what: String,
        /// The whole message.
        message: String,
    },
    /// A file could not be read or written.
    #[error("{message}")]
    Io {
        /// The path at fault.
        path: PathBuf,
        /// The whole message, in the CLI's wording (`open <path>: no such file or directory`).
        message: String,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
    /// An artifact could not be fingerprinted (not a directory, a FIFO, a socket, ...).
    #[error("{message}")]
    Fingerprint {
        /// The path at fault.
        path: PathBuf,
        /// The whole message.
        message: String,
    },
    /// Malformed input (JUnit, SARIF, YAML, JSON).
    #[error("{message}")]
    Parse {
        /// The file at fault, when the input came from one.
        file: Option<PathBuf>,
        /// The 1-based line, when known.
        line: Option<u64>,
        /// The whole message.
        message: String,
    },
    /// Bad or missing configuration.
    #[error("{message}")]
    Config {
        /// The whole message.
        message: String,
    },
    /// The connection failed after retries.
    #[error("{message}")]
    Network {
        /// The whole message.
        message: String,
        /// The transport's error.
        #[source]
        source: Option<BoxError>,
    },
    /// A time budget ran out.
    #[error("{message}")]
    Timeout {
        /// The whole message.
        message: String,
    },
    /// The server answered with an error.
    #[error("{message}")]
    Api {
        /// The HTTP status.
        status: u16,
        /// The server's message, bounded in length.
        message: String,
    },
    /// The server refused the credentials (401/403).
    #[error("{message}")]
    Auth {
        /// The HTTP status.
        status: u16,
        /// The server's message.
        message: String,
    },
    /// The server has no such thing (404).
    #[error("{message}")]
    NotFound {
        /// The server's message.
        message: String,
    },
    /// The journal could not record or deliver.
    #[error("{message}")]
    Journal {
        /// The whole message.
        message: String,
        /// The storage's error.
        #[source]
        source: Option<BoxError>,
    },
    /// A gate or policy said no.
    #[error("{message}")]
    PolicyDenied {
        /// The whole message.
        message: String,
        /// One reason per failed rule.
        reasons: Vec<String>,
    },
    /// The caller cancelled.
    #[error("{message}")]
    Cancelled {
        /// What was cancelled.
        message: String,
    },
}

impl Error {
    /// The stable category of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidInput { .. } => ErrorKind::InvalidInput,
            Error::Io { .. } => ErrorKind::Io,
            Error::Fingerprint { .. } => ErrorKind::Fingerprint,
            Error::Parse { .. } => ErrorKind::Parse,
            Error::Config { .. } => ErrorKind::Config,
            Error::Network { .. } => ErrorKind::Network,
            Error::Timeout { .. } => ErrorKind::Timeout,
            Error::Api { .. } => ErrorKind::Api,
            Error::Auth { .. } => ErrorKind::Auth,
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::Journal { .. } => ErrorKind::Journal,
            Error::PolicyDenied { .. } => ErrorKind::PolicyDenied,
            Error::Cancelled { .. } => ErrorKind::Cancelled,
        }
    }

    /// A bad argument: `what` names it, `message` says what is wrong.
    pub fn invalid_input(what: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidInput {
            what: what.into(),
            message: message.into(),
        }
    }

    /// An I/O failure in the CLI's wording: `<op> <path>: <reason>`.
    pub fn io(op: &str, path: &Path, source: io::Error) -> Self {
        let message = format!("{op} {}: {}", path.display(), os_error_text(&source));
        Error::Io {
            path: path.to_path_buf(),
            message,
            source,
        }
    }

    /// A parse failure, optionally located in a file and line.
    pub fn parse(file: Option<&Path>, line: Option<u64>, message: impl Into<String>) -> Self {
        Error::Parse {
            file: file.map(Path::to_path_buf),
            line,
            message: message.into(),
        }
    }

    /// A configuration error.
    pub fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }

    /// A cancellation of the named operation.
    pub fn cancelled(what: impl Into<String>) -> Self {
        Error::Cancelled {
            message: format!("{} was cancelled", what.into()),
        }
    }

    /// Returns the same error with `suffix` appended to its message (for the CLI's hints).
    pub(crate) fn with_suffix(mut self, suffix: &str) -> Self {
        match &mut self {
            Error::InvalidInput { message, .. }
            | Error::Io { message, .. }
            | Error::Fingerprint { message, .. }
            | Error::Parse { message, .. }
            | Error::Config { message }
            | Error::Network { message, .. }
            | Error::Timeout { message }
            | Error::Api { message, .. }
            | Error::Auth { message, .. }
            | Error::NotFound { message }
            | Error::Journal { message, .. }
            | Error::PolicyDenied { message, .. }
            | Error::Cancelled { message } => message.push_str(suffix),
        }
        self
    }
}

/// The operating system's text for an error as Go prints it: `no such file or directory`,
/// without Rust's ` (os error 2)` suffix and with a lowercase first letter.
pub(crate) fn os_error_text(err: &io::Error) -> String {
    let Some(code) = err.raw_os_error() else {
        return err.to_string();
    };
    let text = io::Error::from_raw_os_error(code).to_string();
    let text = match text.rfind(" (os error ") {
        Some(cut) => &text[..cut],
        None => text.as_str(),
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_and_dense() {
        let codes: Vec<u32> = ErrorKind::ALL.iter().map(|k| k.code()).collect();
        assert_eq!(codes, (1..=13).collect::<Vec<u32>>());
    }

    #[cfg(unix)]
    #[test]
    fn io_errors_read_like_go() {
        let err = io::Error::from_raw_os_error(2);
        let e = Error::io("open", Path::new("files/nope"), err);
        assert_eq!(e.to_string(), "open files/nope: no such file or directory");
        assert_eq!(e.kind(), ErrorKind::Io);
    }

    #[test]
    fn suffix_is_appended() {
        let e = Error::config("no org").with_suffix(". Set KOSLI_ORG");
        assert_eq!(e.to_string(), "no org. Set KOSLI_ORG");
    }
}
