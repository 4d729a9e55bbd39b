//! `kosli.Client`: one method per operation of the core's list, over
//! `kosli_core::blocking::Client` (the shared, fork-aware runtime), with the GIL released and
//! Ctrl-C honoured while a call waits.
//!
//! This file holds the client itself; each area of the API adds its methods in its own
//! `#[pymethods] impl PyClient` block in `src/ops/<area>.rs` (as the core's `ops/<area>.rs` add
//! theirs to `blocking::Client`). A method copies its arguments into owned Rust values with the
//! GIL held, then does everything else (reading files, hashing, the request) in
//! [`PyClient::run`], without it.

use kosli_core::blocking;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::config::PyConfig;
use crate::errors::IntoPyResult;
use crate::interrupt;

/// The `User-Agent` product the module adds after the SDK's own.
const USER_AGENT_PRODUCT: &str = concat!("kosli-python/", env!("CARGO_PKG_VERSION"));

/// A Kosli API client. Thread-safe: share one between threads; calls from several threads run
/// at once. After `os.fork()` the child gets its own connections and runtime.
#[pyclass(module = "kosli", name = "Client", frozen)]
pub struct PyClient {
    inner: blocking::Client,
}

impl PyClient {
    /// The blocking client, for the calls that cannot run on a helper thread (the deploy
    /// guard runs its step on the caller's thread).
    pub(crate) fn blocking(&self) -> &blocking::Client {
        &self.inner
    }

    /// Runs `call` with the GIL released, on a clone of the blocking client that Ctrl-C
    /// cancels; a core error becomes its Python exception.
    pub(crate) fn run<T, F>(&self, py: Python<'_>, call: F) -> PyResult<T>
    where
        T: Send,
        F: FnOnce(&blocking::Client) -> kosli_core::Result<T> + Send,
    {
        let client = self.inner.clone();
        interrupt::run(py, move |cancel| call(&client.with_cancel(cancel)))
    }
}

#[pymethods]
impl PyClient {
    /// `Client(config)` uses that configuration; `Client(**settings)` resolves the keyword
    /// arguments of `Config.load` as the CLI does (so `Client()` reads the `KOSLI_*` variables).
    #[new]
    #[pyo3(signature = (config = None, **settings))]
    fn new(
        py: Python<'_>,
        config: Option<Bound<'_, PyConfig>>,
        settings: Option<Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let settings = settings.filter(|s| !s.is_empty());
        let config =
            match (config, settings) {
                (Some(_), Some(_)) => return Err(PyTypeError::new_err(
                    "give Client either a Config or keyword arguments for Config.load, not both",
                )),
                (Some(config), None) => config.get().0.clone(),
                (None, settings) => {
                    let loaded =
                        py.get_type::<PyConfig>()
                            .call_method("load", (), settings.as_ref())?;
                    loaded.cast_into::<PyConfig>()?.get().0.clone()
                }
            };
        // Building the HTTP client reads the platform's certificates: without the GIL.
        let inner = py
            .detach(move || {
                blocking::Client::with_options(config, None, Some(USER_AGENT_PRODUCT.to_string()))
            })
            .into_py_result(py)?;
        Ok(PyClient { inner })
    }

    /// The configuration.
    #[getter]
    fn config(&self) -> PyConfig {
        PyConfig(self.inner.config().clone())
    }

    /// `kosli status`: the server's raw answer to `GET /ready`, as the CLI prints it (`"OK"`,
    /// quotes included, when it is up).
    fn status(&self, py: Python<'_>) -> PyResult<String> {
        self.run(py, |client| client.status())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!("Client({})", self.config().__repr__(py)?))
    }
}
