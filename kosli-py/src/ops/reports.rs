//! The compliance documents of `kosli_core::report` (`Client.compliance_report`,
//! `Client.audit_trail`, `Client.adoption_metrics`) as the records of `kosli/_records.py`, and
//! their rendering (`render("markdown"|"json"|"csv")` on a record calls `_render_report`, which
//! renders with the core what the record's `to_dict()` holds: the document's own JSON).

use kosli_core::report::{
    AdoptionMetrics, AdoptionOptions, AuditOptions, ComplianceOptions, Document, Format,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::client::PyClient;
use crate::convert::invalid;
use crate::errors::IntoPyResult;
use crate::records::{build_from, from_serde, serde_dict};

/// A `kosli.AdoptionMetrics`: its drift events get the same `DriftEvent` records as the
/// history reads (with `name` and `description`).
fn adoption_record<'py>(py: Python<'py>, m: &AdoptionMetrics) -> PyResult<Bound<'py, PyAny>> {
    let d = serde_dict(py, m)?;
    let drift = d
        .get_item("drift")?
        .ok_or_else(|| pyo3::exceptions::PyRuntimeError::new_err("adoption without drift"))?;
    let records = drift.get_item("events")?.cast_into::<PyList>()?;
    for (record, event) in records.iter().zip(&m.drift.events) {
        let e = record.get_item("event")?.cast_into::<PyDict>()?;
        e.set_item("name", event.event.name())?;
        e.set_item("description", event.event.to_string())?;
    }
    build_from(py, "AdoptionMetrics", d.as_any())
}

/// `render()` of a document record: the document given as its JSON (`{"kind": ..., ...}`, what
/// the record's `to_dict()` holds plus its kind) rendered by the core in `format` (`markdown`
/// or `md`, `json`, `csv` for the compliance report).
#[pyfunction]
#[pyo3(name = "_render_report")]
pub(crate) fn render_report(py: Python<'_>, document: String, format: &str) -> PyResult<String> {
    let format: Format = format.parse().into_py_result(py)?;
    let document: Document = serde_json::from_str(&document)
        .map_err(|e| invalid(py, "document", format!("not a compliance document: {e}")))?;
    py.detach(move || document.render(format))
        .into_py_result(py)
}

#[pymethods]
impl PyClient {
    /// The compliance report of `flow`: one row per artifact (trail, Kosli's verdict,
    /// attestations, missing and failing ones, where it runs now) and the counts; where runs
    /// are looked for in `environments` (default: every environment).
    #[pyo3(signature = (flow, *, environments = Vec::new()))]
    fn compliance_report<'py>(
        &self,
        py: Python<'py>,
        flow: String,
        environments: Vec<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = ComplianceOptions::new(flow).environments(environments);
        let report = self.run(py, move |c| c.compliance_report(&options))?;
        from_serde(py, "ComplianceReport", &report)
    }

    /// The audit trail of the artifact `fingerprint` of `flow`: build, evidence with its
    /// status, and every environment (of `environments`, default all) it ran in, first and
    /// last seen.
    #[pyo3(signature = (flow, fingerprint, *, environments = Vec::new()))]
    fn audit_trail<'py>(
        &self,
        py: Python<'py>,
        flow: String,
        fingerprint: String,
        environments: Vec<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = AuditOptions::new(flow, fingerprint).environments(environments);
        let audit = self.run(py, move |c| c.audit_trail(&options))?;
        from_serde(py, "AuditTrail", &audit)
    }

    /// Adoption metrics from `since` to `until` (Unix seconds; default: the last
    /// `DEFAULT_WINDOW_DAYS` days to now) in `environments` (default all), provenance counted
    /// in `flows` (default any).
    #[pyo3(signature = (*, since = None, until = None, environments = Vec::new(),
        flows = Vec::new()))]
    fn adoption_metrics<'py>(
        &self,
        py: Python<'py>,
        since: Option<f64>,
        until: Option<f64>,
        environments: Vec<String>,
        flows: Vec<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut options = AdoptionOptions::new()
            .environments(environments)
            .flows(flows);
        if let Some(s) = since {
            options = options.since(s);
        }
        if let Some(u) = until {
            options = options.until(u);
        }
        let metrics = self.run(py, move |c| c.adoption_metrics(&options))?;
        adoption_record(py, &metrics)
    }
}
