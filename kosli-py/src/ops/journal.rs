//! The journal from Python: `Client.flush_journal()` and `Client.journal_status()` with typed
//! reports, and the bridge that lets a Python callable be the core's delivery-failure hook
//! (`Config(on_delivery_failure=...)`).

use std::sync::Arc;

use kosli_core::journal::{
    DeliveryFailure, FailureHook, FlushReport, HostFlush, HostStatus, JournalStatus, PendingRecord,
};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

use crate::client::PyClient;
use crate::records::{list_of, unix_seconds, Record};

pub(crate) fn failure_record<'py>(
    py: Python<'py>,
    f: &DeliveryFailure,
) -> PyResult<Bound<'py, PyAny>> {
    Record::new(py, "DeliveryFailure")
        .set("id", &f.id)?
        .set("operation", &f.operation)?
        .set("host", &f.host)?
        .set("kind", f.kind.name())?
        .set("message", &f.message)?
        .set("journal", f.journal.as_deref().map(|d| d.as_os_str()))?
        .set("text", f.text())?
        .build()
}

fn host_flush_record<'py>(py: Python<'py>, h: &HostFlush) -> PyResult<Bound<'py, PyAny>> {
    Record::new(py, "HostFlush")
        .set("host", &h.host)?
        .set("delivered", h.delivered)?
        .set("superseded", h.superseded)?
        .set("left", h.left)?
        .set("stopped", &h.stopped)?
        .set("failures", list_of(py, &h.failures, failure_record)?)?
        .build()
}

fn flush_record<'py>(py: Python<'py>, r: &FlushReport) -> PyResult<Bound<'py, PyAny>> {
    Record::new(py, "FlushReport")
        .set("hosts", list_of(py, &r.hosts, host_flush_record)?)?
        .set("delivered", r.delivered())?
        .set("left", r.left())?
        .set("is_complete", r.is_complete())?
        .build()
}

fn host_status_record<'py>(py: Python<'py>, h: &HostStatus) -> PyResult<Bound<'py, PyAny>> {
    Record::new(py, "HostStatus")
        .set("host", &h.host)?
        .set("pending", h.pending)?
        .set("oldest", h.oldest.map(unix_seconds))?
        .set("last_error", &h.last_error)?
        .build()
}

fn pending_record<'py>(py: Python<'py>, r: &PendingRecord) -> PyResult<Bound<'py, PyAny>> {
    Record::new(py, "PendingRecord")
        .set("id", &r.id)?
        .set("operation", &r.operation)?
        .set("recorded_at", unix_seconds(r.recorded_at))?
        .set("hosts", &r.hosts)?
        .set("failures", r.failures)?
        .set("last_error", &r.last_error)?
        .build()
}

fn status_record<'py>(py: Python<'py>, s: &JournalStatus) -> PyResult<Bound<'py, PyAny>> {
    Record::new(py, "JournalStatus")
        .set("dir", s.dir.as_deref().map(|d| d.as_os_str()))?
        .set("pending", s.pending)?
        .set("oldest", s.oldest.map(unix_seconds))?
        .set("unbound", s.unbound)?
        .set("hosts", list_of(py, &s.hosts, host_status_record)?)?
        .set("records", list_of(py, &s.records, pending_record)?)?
        .set("corrupt_lines", s.corrupt_lines)?
        .build()
}

/// `kosli._hooks.call_failure_hook`, imported once: calls the user's callable and logs
/// what it raises.
fn call_hook_function(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static FUNCTION: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    FUNCTION.import(py, "kosli._hooks", "call_failure_hook")
}

/// The core's failure hook for a Python callable. The core calls it on one of its threads
/// while the calling Python thread waits without the GIL; it takes the GIL, builds a
/// `DeliveryFailure` and calls the callable through `kosli._hooks.call_failure_hook`, which
/// logs (on the `kosli` logger) whatever the callable raises. While the interpreter shuts down
/// it does nothing (the core has logged the failure already).
pub(crate) fn failure_hook(py: Python<'_>, callback: Bound<'_, PyAny>) -> PyResult<FailureHook> {
    if !callback.is_callable() {
        return Err(PyTypeError::new_err(format!(
            "on_delivery_failure must be a callable taking a kosli.DeliveryFailure, not {}",
            callback.get_type().name()?
        )));
    }
    // Fail now, not in the hook, if the package is broken.
    call_hook_function(py)?;
    let callback = Arc::new(callback.unbind());
    Ok(Arc::new(move |failure: &DeliveryFailure| {
        let _ = Python::try_attach(|py| {
            let called = failure_record(py, failure)
                .and_then(|record| call_hook_function(py)?.call1((callback.bind(py), record)));
            if let Err(e) = called {
                e.write_unraisable(py, Some(callback.bind(py)));
            }
        });
    }))
}

#[pymethods]
impl PyClient {
    /// Delivers what the journal holds to this client's hosts (in order, stopping a sequence
    /// at its first record that still fails) and reports what it did, per host.
    fn flush_journal<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let report = self.run(py, |c| c.flush_journal())?;
        flush_record(py, &report)
    }

    /// The journal's pending records, overall and per host (the `kosli` example's
    /// `journal status`).
    fn journal_status<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let status = self.run(py, |c| c.journal_status())?;
        status_record(py, &status)
    }
}
