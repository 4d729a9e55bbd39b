//! Security scans as typed values: `kosli.parse_scan` (SARIF 2.1.0 from any scanner, or Trivy
//! JSON), `ScanSummary` with counts by severity, and its `Finding`s.

use std::path::PathBuf;

use kosli_core::evidence::scan::{self, Finding, ScanSummary, Severity};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString, PyType};

use crate::errors::IntoPyResult;

/// `kosli._types.Severity`, imported once.
fn severity_class(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static CLASS: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    CLASS.import(py, "kosli._types", "Severity")
}

fn severity_to_py(py: Python<'_>, severity: Severity) -> PyResult<Bound<'_, PyAny>> {
    severity_class(py)?.call1((severity.as_str(),))
}

/// A `Severity` member or its name.
fn severity_arg(value: &Bound<'_, PyAny>) -> PyResult<Severity> {
    let name = value
        .cast::<PyString>()
        .map_err(|_| PyTypeError::new_err("severity must be a kosli.Severity or its name"))?;
    let name = name.to_str()?;
    match name {
        "unknown" => Ok(Severity::Unknown),
        _ => Severity::from_name(name).ok_or_else(|| {
            PyTypeError::new_err(format!(
                "severity must be critical, high, medium, low or unknown, not {name:?}"
            ))
        }),
    }
}

/// One finding of a scan.
#[pyclass(module = "kosli", name = "Finding", frozen, eq)]
#[derive(Debug, Clone, PartialEq)]
pub struct PyFinding(Finding);

#[pymethods]
impl PyFinding {
    /// The rule or vulnerability id (`CVE-2024-1234`, `python/PT`).
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }

    /// How severe it is.
    #[getter]
    fn severity<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        severity_to_py(py, self.0.severity)
    }

    /// The message or title.
    #[getter]
    fn message(&self) -> &str {
        &self.0.message
    }

    /// Where: `uri:line` for SARIF, the target (and package) for Trivy; `None` if unknown.
    #[getter]
    fn location(&self) -> Option<&str> {
        self.0.location.as_deref()
    }

    /// `{"id", "severity", "message", "location"}` with plain values.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        finding_dict(py, &self.0)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Finding(id={}, severity='{}', location={})",
            PyString::new(py, &self.0.id).repr()?,
            self.0.severity,
            match &self.0.location {
                Some(l) => PyString::new(py, l).repr()?.to_string(),
                None => "None".to_string(),
            }
        ))
    }
}

fn finding_dict<'py>(py: Python<'py>, f: &Finding) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("id", &f.id)?;
    d.set_item("severity", f.severity.as_str())?;
    d.set_item("message", &f.message)?;
    d.set_item("location", f.location.as_deref())?;
    Ok(d)
}

/// Counts by severity and the findings of a scan.
#[pyclass(module = "kosli", name = "ScanSummary", frozen)]
#[derive(Debug, Clone)]
pub struct PyScanSummary(pub(crate) ScanSummary);

#[pymethods]
impl PyScanSummary {
    /// The scanner (the first run's tool for SARIF, `Trivy` for Trivy JSON).
    #[getter]
    fn tool(&self) -> &str {
        &self.0.tool
    }

    /// The scanner's version, `""` when unknown.
    #[getter]
    fn version(&self) -> &str {
        &self.0.version
    }

    /// Critical findings.
    #[getter]
    fn critical(&self) -> u64 {
        self.0.critical
    }

    /// High findings.
    #[getter]
    fn high(&self) -> u64 {
        self.0.high
    }

    /// Medium findings.
    #[getter]
    fn medium(&self) -> u64 {
        self.0.medium
    }

    /// Low findings.
    #[getter]
    fn low(&self) -> u64 {
        self.0.low
    }

    /// Findings of unknown severity.
    #[getter]
    fn unknown(&self) -> u64 {
        self.0.unknown
    }

    /// All findings.
    #[getter]
    fn total(&self) -> u64 {
        self.0.total()
    }

    /// Every finding, in file order.
    #[getter]
    fn findings(&self) -> Vec<PyFinding> {
        self.0.findings.iter().cloned().map(PyFinding).collect()
    }

    /// The number of findings of one severity.
    fn count(&self, severity: &Bound<'_, PyAny>) -> PyResult<u64> {
        Ok(self.0.count(severity_arg(severity)?))
    }

    /// The number of findings at `severity` or worse (unknown counts only for `UNKNOWN`).
    fn at_least(&self, severity: &Bound<'_, PyAny>) -> PyResult<u64> {
        Ok(self.0.at_least(severity_arg(severity)?))
    }

    /// The counts, tool, version and findings as plain values.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let s = &self.0;
        let d = PyDict::new(py);
        d.set_item("tool", &s.tool)?;
        d.set_item("version", &s.version)?;
        d.set_item("critical", s.critical)?;
        d.set_item("high", s.high)?;
        d.set_item("medium", s.medium)?;
        d.set_item("low", s.low)?;
        d.set_item("unknown", s.unknown)?;
        let findings = PyList::empty(py);
        for f in &s.findings {
            findings.append(finding_dict(py, f)?)?;
        }
        d.set_item("findings", findings)?;
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let s = &self.0;
        Ok(format!(
            "ScanSummary(tool={}, critical={}, high={}, medium={}, low={}, unknown={})",
            PyString::new(py, &s.tool).repr()?,
            s.critical,
            s.high,
            s.medium,
            s.low,
            s.unknown
        ))
    }
}

/// Reads a security scan: SARIF 2.1.0 (Snyk, Trivy, Semgrep, CodeQL, ...) or Trivy's JSON
/// report, told apart by content.
#[pyfunction]
pub(crate) fn parse_scan(py: Python<'_>, path: PathBuf) -> PyResult<PyScanSummary> {
    py.detach(move || scan::parse_file(&path))
        .into_py_result(py)
        .map(PyScanSummary)
}
