//! `kosli.Client`: one method per operation of the core's list, over
//! `kosli_core::blocking::Client` (the shared, fork-aware runtime), with the GIL released and
//! Ctrl-C honoured while a call waits.

use std::collections::BTreeMap;
use std::path::PathBuf;

use kosli_core::blocking;
use kosli_core::ops::attestations::Attestation;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::artifact::PyArtifactRef;
use crate::attest::{Common, JunitResults};
use crate::config::PyConfig;
use crate::errors::IntoPyResult;
use crate::interrupt;
use crate::outcome::PyOutcome;

/// The `User-Agent` product the module adds after the SDK's own.
const USER_AGENT_PRODUCT: &str = concat!("kosli-python/", env!("CARGO_PKG_VERSION"));

/// A Kosli API client. Thread-safe: share one between threads; calls from several threads run
/// at once. After `os.fork()` the child gets its own connections and runtime.
#[pyclass(module = "kosli", name = "Client", frozen)]
pub struct PyClient {
    inner: blocking::Client,
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
        let client = self.inner.clone();
        interrupt::run(py, move |cancel| client.with_cancel(cancel).status())
    }

    /// `kosli attest junit`: the JUnit results (a results folder or file, a `JunitSummary` or
    /// a list of `SuiteSummary`) as the attestation `name` in `trail` of `flow`. With `upload`,
    /// the results files are attached, as the CLI's `--upload-results`.
    #[pyo3(signature = (flow, trail, name, results, *, upload = true, artifact = None,
        fingerprint = None, user_data = None, description = None, annotations = None,
        attachments = Vec::new()))]
    #[allow(clippy::too_many_arguments, reason = "Python keyword arguments")]
    fn attest_junit(
        &self,
        py: Python<'_>,
        flow: String,
        trail: String,
        name: String,
        results: &Bound<'_, PyAny>,
        upload: bool,
        artifact: Option<Bound<'_, PyArtifactRef>>,
        fingerprint: Option<Bound<'_, PyAny>>,
        user_data: Option<Bound<'_, PyAny>>,
        description: Option<String>,
        annotations: Option<BTreeMap<String, String>>,
        attachments: Vec<PathBuf>,
    ) -> PyResult<PyOutcome> {
        let results = JunitResults::extract(results)?;
        let common = Common::extract(
            py,
            artifact.as_ref(),
            fingerprint.as_ref(),
            user_data.as_ref(),
            description,
            annotations,
            attachments,
        )?;
        let client = self.inner.clone();
        interrupt::run(py, move |cancel| {
            let summary = results.summary()?;
            let attestation =
                common.apply(Attestation::junit(flow, trail, &name, &summary, upload)?)?;
            client
                .with_cancel(cancel)
                .attest(&attestation)
                .map(|o| PyOutcome::from(&o))
        })
    }

    /// `kosli attest generic`: the caller's verdict (`compliant`) as the attestation `name` in
    /// `trail` of `flow`.
    #[pyo3(signature = (flow, trail, name, *, compliant, artifact = None, fingerprint = None,
        user_data = None, description = None, annotations = None, attachments = Vec::new()))]
    #[allow(clippy::too_many_arguments, reason = "Python keyword arguments")]
    fn attest_generic(
        &self,
        py: Python<'_>,
        flow: String,
        trail: String,
        name: String,
        compliant: bool,
        artifact: Option<Bound<'_, PyArtifactRef>>,
        fingerprint: Option<Bound<'_, PyAny>>,
        user_data: Option<Bound<'_, PyAny>>,
        description: Option<String>,
        annotations: Option<BTreeMap<String, String>>,
        attachments: Vec<PathBuf>,
    ) -> PyResult<PyOutcome> {
        let common = Common::extract(
            py,
            artifact.as_ref(),
            fingerprint.as_ref(),
            user_data.as_ref(),
            description,
            annotations,
            attachments,
        )?;
        let client = self.inner.clone();
        interrupt::run(py, move |cancel| {
            let attestation = common.apply(Attestation::generic(flow, trail, &name, compliant)?)?;
            client
                .with_cancel(cancel)
                .attest(&attestation)
                .map(|o| PyOutcome::from(&o))
        })
    }

    /// Delivers what the journal holds to this client's hosts; returns what it did as a dict:
    /// `{"delivered", "left", "hosts": [{"host", "delivered", "superseded", "left", "stopped"}]}`.
    fn flush_journal<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let client = self.inner.clone();
        let report = interrupt::run(py, move |cancel| client.with_cancel(cancel).flush_journal())?;
        let hosts = pyo3::types::PyList::empty(py);
        for h in &report.hosts {
            let d = PyDict::new(py);
            d.set_item("host", &h.host)?;
            d.set_item("delivered", h.delivered)?;
            d.set_item("superseded", h.superseded)?;
            d.set_item("left", h.left)?;
            d.set_item("stopped", h.stopped.as_deref())?;
            hosts.append(d)?;
        }
        let d = PyDict::new(py);
        d.set_item("delivered", report.delivered())?;
        d.set_item("left", report.left())?;
        d.set_item("hosts", hosts)?;
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!("Client({})", self.config().__repr__(py)?))
    }
}
