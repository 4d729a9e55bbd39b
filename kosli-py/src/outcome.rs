//! `kosli.Outcome`: what became of a write (sent, dry-run, queued in the journal, or per host).

use kosli_core::Outcome;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// What became of a write: `kind` is `"sent"`, `"dry_run"`, `"queued"` or `"hosts"` (several
/// hosts: `failed_hosts` names those that failed; at least one succeeded).
#[pyclass(module = "kosli", name = "Outcome", frozen)]
#[derive(Debug)]
pub struct PyOutcome {
    kind: &'static str,
    journal_id: Option<String>,
    failed_hosts: Vec<String>,
    status: Option<u16>,
    body: Option<String>,
    dry_run: Option<String>,
}

impl From<&Outcome> for PyOutcome {
    fn from(outcome: &Outcome) -> Self {
        let kind = match outcome {
            Outcome::Sent(_) => "sent",
            Outcome::DryRun(_) => "dry_run",
            Outcome::Queued { .. } => "queued",
            Outcome::Hosts(_) => "hosts",
            // A kind added to the core later: still an outcome, described by its accessors.
            _ => "other",
        };
        let journal_id = match outcome {
            Outcome::Queued { id } => Some(id.clone()),
            _ => None,
        };
        PyOutcome {
            kind,
            journal_id,
            failed_hosts: outcome
                .failed_hosts()
                .into_iter()
                .map(str::to_string)
                .collect(),
            status: outcome.response().map(|r| r.status()),
            body: outcome.response().map(|r| r.text().into_owned()),
            dry_run: outcome.dry_run().map(|d| d.to_string()),
        }
    }
}

#[pymethods]
impl PyOutcome {
    /// `"sent"`, `"dry_run"`, `"queued"` or `"hosts"`.
    #[getter]
    fn kind(&self) -> &str {
        self.kind
    }

    /// The journal record's id, when the write was queued.
    #[getter]
    fn journal_id(&self) -> Option<&str> {
        self.journal_id.as_deref()
    }

    /// The hosts where the write failed (only with several hosts).
    #[getter]
    fn failed_hosts(&self) -> Vec<String> {
        self.failed_hosts.clone()
    }

    /// Whether every host took the write (or would have, in dry-run).
    #[getter]
    fn is_complete(&self) -> bool {
        self.failed_hosts.is_empty()
    }

    /// The primary host's HTTP status (200 updated, 201 created), when it was sent.
    #[getter]
    fn status(&self) -> Option<u16> {
        self.status
    }

    /// The primary host's answer, when it was sent.
    #[getter]
    fn body(&self) -> Option<&str> {
        self.body.as_deref()
    }

    /// The request that would have been sent, as the CLI prints it with `--dry-run`.
    #[getter]
    fn dry_run(&self) -> Option<&str> {
        self.dry_run.as_deref()
    }

    /// The fields as a plain dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("kind", self.kind)?;
        d.set_item("journal_id", self.journal_id.as_deref())?;
        d.set_item("failed_hosts", &self.failed_hosts)?;
        d.set_item("status", self.status)?;
        d.set_item("body", self.body.as_deref())?;
        d.set_item("dry_run", self.dry_run.as_deref())?;
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let none = || "None".to_string();
        Ok(format!(
            "Outcome(kind='{}', status={}, journal_id={}, failed_hosts={})",
            self.kind,
            self.status.map_or_else(none, |s| s.to_string()),
            self.journal_id
                .as_ref()
                .map_or_else(none, |id| format!("'{id}'")),
            PyList::new(py, &self.failed_hosts)?.repr()?
        ))
    }
}
