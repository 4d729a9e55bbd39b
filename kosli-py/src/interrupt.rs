//! Blocking core calls that Ctrl-C can interrupt.
//!
//! A call runs without the GIL on a helper thread, with a [`CancelHandle`]; the calling thread
//! waits for it and, every [`TICK`], takes the GIL back to run Python's pending signal handlers
//! (which only ever run on the main thread). When a handler raises (KeyboardInterrupt), the
//! call is cancelled and the handler's exception is what the caller gets.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use kosli_core::client::CancelHandle;
use pyo3::prelude::*;

use crate::errors::IntoPyResult;

/// How often a waiting call checks for signals.
const TICK: Duration = Duration::from_millis(100);

/// Runs `call` (given the handle that cancels it) with the GIL released; see the module docs.
pub(crate) fn run<T, F>(py: Python<'_>, call: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce(CancelHandle) -> kosli_core::Result<T> + Send,
{
    let handle = CancelHandle::new();
    let (result, interrupted) = py.detach(|| {
        std::thread::scope(|scope| {
            let (tx, rx) = mpsc::channel();
            let for_call = handle.clone();
            scope.spawn(move || {
                // The receiver outlives this thread (the scope waits for it).
                let _ = tx.send(call(for_call));
            });
            let mut interrupted = None;
            loop {
                match rx.recv_timeout(TICK) {
                    Ok(result) => return (Some(result), interrupted),
                    Err(RecvTimeoutError::Timeout) => {
                        if interrupted.is_none() {
                            if let Err(err) = Python::attach(|py| py.check_signals()) {
                                handle.cancel();
                                interrupted = Some(err);
                            }
                        }
                    }
                    // The call panicked: the scope re-raises the panic when it ends.
                    Err(RecvTimeoutError::Disconnected) => return (None, interrupted),
                }
            }
        })
    });
    if let Some(err) = interrupted {
        return Err(err);
    }
    match result {
        Some(result) => result.into_py_result(py),
        None => Err(pyo3::exceptions::PyRuntimeError::new_err(
            "the SDK's call ended without an answer",
        )),
    }
}
