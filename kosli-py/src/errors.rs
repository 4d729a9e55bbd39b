//! The one conversion from [`kosli_core::Error`] to a Python exception.
//!
//! The classes live in `kosli/_errors.py` (only Python classes can have two bases, such as
//! `KosliError` and `ValueError`). Which class an error becomes, and the keyword arguments it
//! is built with, is decided here in plain Rust ([`ExceptionSpec::of`], unit-tested without an
//! interpreter); [`to_py_err`] then builds it and chains the error's sources as `__cause__`.

use std::error::Error as StdError;
use std::io;
use std::path::PathBuf;

use kosli_core::{Error, ErrorKind};
use pyo3::exceptions::{PyException, PyOSError, PyRuntimeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule};

/// The Python module that defines the exception classes.
const ERRORS_MODULE: &str = "kosli._errors";

/// The class every kind becomes: DESIGN.md's error table, Python column.
pub(crate) fn class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidInput => "InvalidInputError",
        ErrorKind::Io => "KosliIOError",
        ErrorKind::Fingerprint => "FingerprintError",
        ErrorKind::Parse => "ParseError",
        ErrorKind::Config => "ConfigError",
        ErrorKind::Network => "NetworkError",
        ErrorKind::Timeout => "KosliTimeoutError",
        ErrorKind::Api => "ApiError",
        ErrorKind::Auth => "AuthError",
        ErrorKind::NotFound => "NotFoundError",
        ErrorKind::Journal => "JournalError",
        ErrorKind::PolicyDenied => "PolicyDeniedError",
        ErrorKind::Cancelled => "CancelledError",
        // A kind added to the core before this table learns it still derives from KosliError.
        _ => "KosliError",
    }
}

/// One keyword argument of an exception's constructor.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Detail {
    /// `None`.
    Absent,
    /// A string.
    Text(String),
    /// A file system path, given to Python as `str` (undecodable bytes as surrogates).
    Path(PathBuf),
    /// An integer.
    Int(i64),
    /// A list of strings.
    List(Vec<String>),
}

/// The Python class and constructor arguments for one core error.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ExceptionSpec {
    /// The class name in `kosli._errors`.
    pub(crate) class: &'static str,
    /// The whole message (the first positional argument).
    pub(crate) message: String,
    /// Keyword arguments.
    pub(crate) details: Vec<(&'static str, Detail)>,
}

impl ExceptionSpec {
    /// Decides the class and arguments for `err`.
    pub(crate) fn of(err: &Error) -> ExceptionSpec {
        let mut class = class_name(err.kind());
        let details = match err {
            Error::InvalidInput { what, .. } => vec![("what", Detail::Text(what.clone()))],
            Error::Io { path, source, .. } => {
                if source.kind() == io::ErrorKind::NotFound {
                    class = "KosliFileNotFoundError";
                }
                let errno = source
                    .raw_os_error()
                    .map_or(Detail::Absent, |n| Detail::Int(n.into()));
                vec![("errno", errno), ("filename", optional_path(path))]
            }
            Error::Fingerprint { path, .. } => vec![("path", optional_path(path))],
            Error::Parse { file, line, .. } => vec![
                (
                    "file",
                    file.as_ref()
                        .map_or(Detail::Absent, |f| Detail::Path(f.clone())),
                ),
                (
                    "line",
                    line.map_or(Detail::Absent, |n| Detail::Int(saturating_i64(n))),
                ),
            ],
            Error::Api { status, .. } | Error::Auth { status, .. } => {
                vec![("status", Detail::Int((*status).into()))]
            }
            Error::PolicyDenied { reasons, .. } => vec![("reasons", Detail::List(reasons.clone()))],
            _ => Vec::new(),
        };
        ExceptionSpec {
            class,
            message: err.to_string(),
            details,
        }
    }
}

/// A path, or `None` when the core left it empty (an error not tied to one path).
fn optional_path(path: &std::path::Path) -> Detail {
    if path.as_os_str().is_empty() {
        Detail::Absent
    } else {
        Detail::Path(path.to_path_buf())
    }
}

fn saturating_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Converts a core error into the Python exception DESIGN.md's table names, with the error's
/// sources chained as `__cause__` (outermost first).
pub(crate) fn to_py_err(py: Python<'_>, err: &Error) -> PyErr {
    let top = build(py, &ExceptionSpec::of(err));
    let mut causes = Vec::new();
    let mut source = err.source();
    while let Some(s) = source {
        causes.push(source_to_py(py, s));
        source = s.source();
    }
    let mut inner: Option<PyErr> = None;
    for cause in causes.into_iter().rev() {
        cause.set_cause(py, inner.take());
        inner = Some(cause);
    }
    top.set_cause(py, inner);
    top
}

/// Results whose error is the core's, turned into Python results.
pub(crate) trait IntoPyResult<T> {
    /// Converts the error with [`to_py_err`].
    fn into_py_result(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for Result<T, Error> {
    fn into_py_result(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_py_err(py, &e))
    }
}

/// One link of the cause chain: a core error gets its own class, an OS error the builtin
/// `OSError` subclass for its errno, anything else a plain `Exception` with its text.
fn source_to_py(py: Python<'_>, source: &(dyn StdError + 'static)) -> PyErr {
    if let Some(err) = source.downcast_ref::<Error>() {
        return build(py, &ExceptionSpec::of(err));
    }
    if let Some(err) = source.downcast_ref::<io::Error>() {
        return match err.raw_os_error() {
            // `OSError(errno, strerror)` becomes FileNotFoundError, PermissionError, ...
            Some(code) => PyOSError::new_err((code, strerror(code))),
            None => PyOSError::new_err(err.to_string()),
        };
    }
    PyException::new_err(source.to_string())
}

/// The operating system's text for `code`, without Rust's ` (os error N)` suffix.
fn strerror(code: i32) -> String {
    let text = io::Error::from_raw_os_error(code).to_string();
    match text.rfind(" (os error ") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}

/// Instantiates the class a spec names; if even that fails, a `RuntimeError` with the same
/// message whose cause says why.
fn build(py: Python<'_>, spec: &ExceptionSpec) -> PyErr {
    match instantiate(py, spec) {
        Ok(err) => err,
        Err(why) => {
            let err = PyRuntimeError::new_err(spec.message.clone());
            err.set_cause(py, Some(why));
            err
        }
    }
}

fn instantiate(py: Python<'_>, spec: &ExceptionSpec) -> PyResult<PyErr> {
    let class = errors_module(py)?.getattr(spec.class)?;
    let kwargs = PyDict::new(py);
    for (name, detail) in &spec.details {
        match detail {
            Detail::Absent => kwargs.set_item(name, py.None())?,
            Detail::Text(s) => kwargs.set_item(name, s)?,
            Detail::Path(p) => kwargs.set_item(name, p.as_os_str())?,
            Detail::Int(n) => kwargs.set_item(name, n)?,
            Detail::List(items) => kwargs.set_item(name, items)?,
        }
    }
    let value = class.call((spec.message.as_str(),), Some(&kwargs))?;
    Ok(PyErr::from_value(value))
}

/// `kosli._errors`, imported once.
pub(crate) fn errors_module(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    static MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    MODULE
        .get_or_try_init(py, || py.import(ERRORS_MODULE).map(Bound::unbind))
        .map(|m| m.bind(py))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn every_kind_has_its_own_class() {
        let names: Vec<&str> = ErrorKind::ALL.iter().map(|k| class_name(*k)).collect();
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), ErrorKind::ALL.len(), "{names:?}");
        assert!(
            !names.contains(&"KosliError"),
            "a kind fell through to the base class"
        );
    }

    #[test]
    fn a_missing_file_is_a_file_not_found_error_with_errno_and_name() {
        let err = Error::io(
            "open",
            Path::new("no/such"),
            io::Error::from_raw_os_error(2),
        );
        let spec = ExceptionSpec::of(&err);
        assert_eq!(spec.class, "KosliFileNotFoundError");
        assert_eq!(spec.message, err.to_string());
        assert_eq!(
            spec.details,
            vec![
                ("errno", Detail::Int(2)),
                ("filename", Detail::Path(PathBuf::from("no/such")))
            ]
        );
    }

    #[test]
    fn other_io_errors_stay_kosli_io_errors() {
        let err = Error::io("read", Path::new("f"), io::Error::from_raw_os_error(13));
        assert_eq!(ExceptionSpec::of(&err).class, "KosliIOError");
        let err = Error::io("read", Path::new(""), io::Error::other("boom"));
        let spec = ExceptionSpec::of(&err);
        assert_eq!(
            spec.details,
            vec![("errno", Detail::Absent), ("filename", Detail::Absent)]
        );
    }

    #[test]
    fn strerror_drops_the_rust_suffix() {
        let text = strerror(2);
        assert!(!text.contains("os error"), "{text}");
        assert!(!text.is_empty());
    }

    #[test]
    fn details_follow_the_variant() {
        let spec = ExceptionSpec::of(&Error::Api {
            status: 500,
            message: "boom".into(),
        });
        assert_eq!(
            (spec.class, spec.details),
            ("ApiError", vec![("status", Detail::Int(500))])
        );
        let spec = ExceptionSpec::of(&Error::Auth {
            status: 403,
            message: "no".into(),
        });
        assert_eq!(
            (spec.class, spec.details),
            ("AuthError", vec![("status", Detail::Int(403))])
        );
        let spec = ExceptionSpec::of(&Error::parse(Some(Path::new("r.xml")), Some(7), "bad"));
        assert_eq!(
            (spec.class, spec.details),
            (
                "ParseError",
                vec![
                    ("file", Detail::Path(PathBuf::from("r.xml"))),
                    ("line", Detail::Int(7))
                ]
            )
        );
        let spec = ExceptionSpec::of(&Error::invalid_input(
            "threads",
            "threads must be at least 1",
        ));
        assert_eq!(spec.details, vec![("what", Detail::Text("threads".into()))]);
        let denied = Error::PolicyDenied {
            message: "denied".into(),
            reasons: vec!["r1".into()],
        };
        assert_eq!(
            ExceptionSpec::of(&denied).details,
            vec![("reasons", Detail::List(vec!["r1".into()]))]
        );
        let spec = ExceptionSpec::of(&Error::cancelled("fingerprinting x"));
        assert_eq!(
            (spec.class, spec.message.as_str()),
            ("CancelledError", "fingerprinting x was cancelled")
        );
    }
}
