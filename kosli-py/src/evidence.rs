//! JUnit results as typed values: `kosli.parse_junit`, `SuiteSummary`, `JunitSummary`, and the
//! in-memory parse the pytest plugin uses. The rules are the core's (the official CLI's).

use std::path::PathBuf;

use kosli_core::evidence::junit::{self, JunitSummary, SuiteSummary};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use crate::errors::IntoPyResult;

/// One reported suite: an element of the `junit_results` the CLI sends.
#[pyclass(module = "kosli", name = "SuiteSummary", frozen, eq)]
#[derive(Debug, Clone, PartialEq)]
pub struct PySuiteSummary(pub(crate) SuiteSummary);

#[pymethods]
impl PySuiteSummary {
    /// The suite's `name` attribute (`""` when absent).
    #[getter]
    fn name(&self) -> &str {
        &self.0.name
    }

    /// Testcases whose status is failed.
    #[getter]
    fn failures(&self) -> u64 {
        self.0.failures
    }

    /// Testcases whose status is error.
    #[getter]
    fn errors(&self) -> u64 {
        self.0.errors
    }

    /// Testcases whose status is skipped.
    #[getter]
    fn skipped(&self) -> u64 {
        self.0.skipped
    }

    /// Testcases in the suite and its nested suites.
    #[getter]
    fn total(&self) -> u64 {
        self.0.total
    }

    /// Sum of the testcases' times in seconds (the CLI's truncation to microseconds).
    #[getter]
    fn duration(&self) -> f64 {
        self.0.duration
    }

    /// Unix seconds of the suite's timestamp, or `None` when the CLI would send none.
    #[getter]
    fn timestamp(&self) -> Option<i64> {
        self.0.timestamp
    }

    /// The element of `junit_results` as the CLI sends it (no `timestamp` key when absent).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        suite_dict(py, &self.0)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let s = &self.0;
        Ok(format!(
            "SuiteSummary(name={}, failures={}, errors={}, skipped={}, total={}, duration={:?}, timestamp={})",
            PyString::new(py, &s.name).repr()?,
            s.failures,
            s.errors,
            s.skipped,
            s.total,
            s.duration,
            s.timestamp.map_or_else(|| "None".to_string(), |t| t.to_string())
        ))
    }
}

/// The suites of a results folder and the files they came from.
#[pyclass(module = "kosli", name = "JunitSummary", frozen)]
#[derive(Debug, Clone)]
pub struct PyJunitSummary(pub(crate) JunitSummary);

#[pymethods]
impl PyJunitSummary {
    /// The suites, in walk order and document order.
    #[getter]
    fn suites(&self) -> Vec<PySuiteSummary> {
        self.0.suites.iter().cloned().map(PySuiteSummary).collect()
    }

    /// The files that held at least one suite.
    #[getter]
    fn files<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.0.files.iter().map(|f| f.as_os_str()))
    }

    /// Testcases in all suites.
    #[getter]
    fn total(&self) -> u64 {
        self.0.total()
    }

    /// Failed plus errored testcases in all suites.
    #[getter]
    fn failed(&self) -> u64 {
        self.0.failed()
    }

    /// `{"junit_results": [...], "files": [...]}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let suites = PyList::empty(py);
        for suite in &self.0.suites {
            suites.append(suite_dict(py, suite)?)?;
        }
        let d = PyDict::new(py);
        d.set_item("junit_results", suites)?;
        d.set_item("files", self.files(py)?)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "JunitSummary(suites={}, total={}, failed={}, files={})",
            self.0.suites.len(),
            self.0.total(),
            self.0.failed(),
            self.0.files.len()
        )
    }
}

fn suite_dict<'py>(py: Python<'py>, s: &SuiteSummary) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("name", &s.name)?;
    d.set_item("failures", s.failures)?;
    d.set_item("errors", s.errors)?;
    d.set_item("skipped", s.skipped)?;
    d.set_item("total", s.total)?;
    d.set_item("duration", s.duration)?;
    if let Some(t) = s.timestamp {
        d.set_item("timestamp", t)?;
    }
    Ok(d)
}

/// Reads JUnit XML results as `kosli attest junit --results-dir` does: every `*.xml` file
/// under a folder, or one file.
#[pyfunction]
pub(crate) fn parse_junit(py: Python<'_>, path: PathBuf) -> PyResult<PyJunitSummary> {
    py.detach(move || junit::parse_dir(&path))
        .into_py_result(py)
        .map(PyJunitSummary)
}

/// The suites of a JUnit XML document held in memory (the pytest plugin's session results).
#[pyfunction]
#[pyo3(name = "_parse_junit_xml")]
pub(crate) fn parse_junit_xml(py: Python<'_>, xml: &[u8]) -> PyResult<Vec<PySuiteSummary>> {
    let xml = xml.to_vec();
    py.detach(move || junit::parse_bytes(&xml, None))
        .into_py_result(py)
        .map(|suites| suites.into_iter().map(PySuiteSummary).collect())
}
