//! `kosli.Fingerprint`, `fingerprint_file` and `fingerprint_dir`: argument conversion around
//! `kosli_core::fingerprint`, with the GIL released while hashing.

use std::ffi::CString;
use std::path::PathBuf;

use kosli_core::fingerprint::Fingerprinter;
use kosli_core::{Error, Fingerprint};
use pyo3::exceptions::PyUserWarning;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::errors::{errors_module, to_py_err, IntoPyResult};
use crate::progress::ProgressBridge;

/// A SHA-256 digest as Kosli identifies artifacts; `str()` gives its 64 lowercase hex digits.
#[pyclass(module = "kosli", name = "Fingerprint", frozen, eq, ord, hash, str)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PyFingerprint(pub(crate) Fingerprint);

#[pymethods]
impl PyFingerprint {
    /// Parses 64 lowercase hex digits (what the CLI accepts); anything else is an
    /// `InvalidInputError`.
    #[new]
    fn new(py: Python<'_>, hex: &str) -> PyResult<Self> {
        hex.parse::<Fingerprint>()
            .into_py_result(py)
            .map(PyFingerprint)
    }

    /// The raw 32 bytes of the digest.
    fn digest(&self) -> [u8; 32] {
        *self.0.as_bytes()
    }

    fn __repr__(&self) -> String {
        format!("Fingerprint('{}')", self.0)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let args = PyTuple::new(py, [slf.get().0.to_string()])?;
        PyTuple::new(py, [slf.get_type().into_any(), args.into_any()])
    }
}

impl std::fmt::Display for PyFingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The SHA-256 of the file at `path` (symlinks followed), as `kosli fingerprint
/// --artifact-type file` computes it.
#[pyfunction]
#[pyo3(signature = (path, *, progress = None))]
pub(crate) fn fingerprint_file(
    py: Python<'_>,
    path: PathBuf,
    progress: Option<Bound<'_, PyAny>>,
) -> PyResult<PyFingerprint> {
    let bridge = ProgressBridge::new(progress)?;
    let fingerprinter = bridge.install(Fingerprinter::new());
    let result = py.detach(move || fingerprinter.file(&path));
    bridge.finish(py, result).map(PyFingerprint)
}

/// The CLI's digest of the directory at `path`, skipping `excludes` (Go globs with `**`,
/// relative to the directory) and what its `.kosli_ignore` lists.
#[pyfunction]
#[pyo3(signature = (path, excludes = Vec::new(), *, threads = None, progress = None))]
pub(crate) fn fingerprint_dir(
    py: Python<'_>,
    path: PathBuf,
    excludes: Vec<String>,
    threads: Option<i64>,
    progress: Option<Bound<'_, PyAny>>,
) -> PyResult<PyFingerprint> {
    let mut fingerprinter = Fingerprinter::new().excludes(excludes);
    if let Some(n) = threads {
        let n = usize::try_from(n).ok().filter(|&n| n >= 1).ok_or_else(|| {
            to_py_err(
                py,
                &Error::invalid_input("threads", format!("threads must be at least 1, not {n}")),
            )
        })?;
        fingerprinter = fingerprinter.threads(n);
    }
    let bridge = ProgressBridge::new(progress)?;
    let fingerprinter = bridge.install(fingerprinter);
    let result = py.detach(move || fingerprinter.dir_report(&path));
    let report = bridge.finish(py, result)?;
    for warning in &report.warnings {
        warn(py, warning)?;
    }
    Ok(PyFingerprint(report.fingerprint))
}

/// Issues a `kosli.KosliWarning` (what the CLI prints as `[warning] ...`).
pub(crate) fn warn(py: Python<'_>, message: &str) -> PyResult<()> {
    let category = match errors_module(py).and_then(|m| m.getattr("KosliWarning")) {
        Ok(category) => category,
        Err(_) => py.get_type::<PyUserWarning>().into_any(),
    };
    // A NUL cannot reach C's warning API; the core's messages have none, but be safe.
    let text = CString::new(message.replace('\0', "\\0")).unwrap_or_default();
    PyErr::warn(py, &category, &text, 1)
}
