//! `kosli.Progress` and the bridge that lets a Python callable follow (and cancel) a long call
//! that runs with the GIL released.

use std::sync::{Arc, Mutex, PoisonError};

use kosli_core::fingerprint::Fingerprinter;
use kosli_core::{Progress, ProgressControl};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict};

use crate::errors::IntoPyResult;

/// How far an operation has come; totals are `None` until they are known.
#[pyclass(module = "kosli", name = "Progress", frozen, eq)]
#[derive(Debug, Clone, PartialEq)]
pub struct PyProgress(Progress);

#[pymethods]
impl PyProgress {
    /// Bytes hashed so far.
    #[getter]
    fn bytes_done(&self) -> u64 {
        self.0.bytes_done
    }

    /// Files finished so far.
    #[getter]
    fn files_done(&self) -> u64 {
        self.0.files_done
    }

    /// All bytes to hash, when known.
    #[getter]
    fn bytes_total(&self) -> Option<u64> {
        self.0.bytes_total
    }

    /// All files to hash, when known.
    #[getter]
    fn files_total(&self) -> Option<u64> {
        self.0.files_total
    }

    /// The fields as a plain dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("bytes_done", self.0.bytes_done)?;
        d.set_item("files_done", self.0.files_done)?;
        d.set_item("bytes_total", self.0.bytes_total)?;
        d.set_item("files_total", self.0.files_total)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        let opt = |v: Option<u64>| v.map_or_else(|| "None".to_string(), |n| n.to_string());
        format!(
            "Progress(bytes_done={}, files_done={}, bytes_total={}, files_total={})",
            self.0.bytes_done,
            self.0.files_done,
            opt(self.0.bytes_total),
            opt(self.0.files_total)
        )
    }
}

/// Runs a Python progress callback (if any) from the core's progress reports, and remembers
/// why the call had to stop when that came from Python.
///
/// Every report also runs Python's pending signal handlers (on the main thread), so Ctrl-C
/// interrupts a long fingerprint within one report interval even without a callback.
pub(crate) struct ProgressBridge {
    callback: Option<Arc<Py<PyAny>>>,
    /// The exception the callback raised, or a signal handler's (KeyboardInterrupt).
    failure: Arc<Mutex<Option<PyErr>>>,
}

impl ProgressBridge {
    /// Checks that `callback` is callable.
    pub(crate) fn new(callback: Option<Bound<'_, PyAny>>) -> PyResult<ProgressBridge> {
        if let Some(cb) = &callback {
            if !cb.is_callable() {
                return Err(PyTypeError::new_err(format!(
                    "progress must be a callable taking a kosli.Progress, not {}",
                    cb.get_type().name()?
                )));
            }
        }
        Ok(ProgressBridge {
            callback: callback.map(|cb| Arc::new(cb.unbind())),
            failure: Arc::new(Mutex::new(None)),
        })
    }

    /// Adds the bridge's progress function to `fingerprinter`.
    pub(crate) fn install(&self, fingerprinter: Fingerprinter) -> Fingerprinter {
        let callback = self.callback.clone();
        let failure = Arc::clone(&self.failure);
        fingerprinter.on_progress(move |progress: &Progress| {
            // The core calls this on the thread that made the call, which released the GIL.
            Python::attach(|py| match report(py, callback.as_deref(), progress) {
                Ok(control) => control,
                Err(err) => {
                    *failure.lock().unwrap_or_else(PoisonError::into_inner) = Some(err);
                    ProgressControl::Cancel
                }
            })
        })
    }

    /// The call's result: a Python exception from the callback (or a signal handler) wins over
    /// the core's `Cancelled` it caused; other core errors go through the one conversion.
    pub(crate) fn finish<T>(self, py: Python<'_>, result: kosli_core::Result<T>) -> PyResult<T> {
        let failure = self
            .failure
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        match failure {
            Some(err) => Err(err),
            None => result.into_py_result(py),
        }
    }
}

/// One report: signal handlers first, then the callback; `False` from it cancels.
fn report(
    py: Python<'_>,
    callback: Option<&Py<PyAny>>,
    progress: &Progress,
) -> PyResult<ProgressControl> {
    py.check_signals()?;
    let Some(callback) = callback else {
        return Ok(ProgressControl::Continue);
    };
    let answer = callback.call1(py, (PyProgress(*progress),))?;
    let answer = answer.bind(py);
    // Only `False` itself cancels: a callback that returns nothing (None) goes on.
    if answer.is(PyBool::new(py, false).as_any()) {
        Ok(ProgressControl::Cancel)
    } else {
        Ok(ProgressControl::Continue)
    }
}
