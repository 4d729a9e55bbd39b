//! The attestation methods of `kosli.Client`: argument conversion into
//! `kosli_core::ops::attestations::Attestation`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use kosli_core::evidence::junit::{self, JunitSummary};
use kosli_core::ops::attestations::Attestation;
use kosli_core::Fingerprint;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::artifact::{fingerprint_arg, PyArtifactRef};
use crate::evidence::{PyJunitSummary, PySuiteSummary};

/// The options every attestation takes, copied out of Python.
#[derive(Debug, Default)]
pub(crate) struct Common {
    fingerprint: Option<Fingerprint>,
    user_data: Option<serde_json::Value>,
    description: Option<String>,
    annotations: Option<BTreeMap<String, String>>,
    attachments: Vec<PathBuf>,
}

impl Common {
    /// Reads the keyword arguments; `artifact` and `fingerprint` name the same thing.
    pub(crate) fn extract(
        py: Python<'_>,
        artifact: Option<&Bound<'_, PyArtifactRef>>,
        fingerprint: Option<&Bound<'_, PyAny>>,
        user_data: Option<&Bound<'_, PyAny>>,
        description: Option<String>,
        annotations: Option<BTreeMap<String, String>>,
        attachments: Vec<PathBuf>,
    ) -> PyResult<Common> {
        let fingerprint =
            match (artifact, fingerprint) {
                (Some(_), Some(_)) => return Err(PyTypeError::new_err(
                    "give artifact or fingerprint, not both (an ArtifactRef has its fingerprint)",
                )),
                (Some(a), None) => Some(a.get().0.fingerprint()),
                (None, Some(fp)) => Some(fingerprint_arg(py, fp)?),
                (None, None) => None,
            };
        let user_data = match user_data {
            None => None,
            // Any JSON-able value, through Python's own encoder.
            Some(value) => {
                let text: String = py
                    .import("json")?
                    .call_method1("dumps", (value,))?
                    .extract()?;
                Some(
                    serde_json::from_str(&text)
                        .map_err(|e| PyTypeError::new_err(format!("user_data is not JSON: {e}")))?,
                )
            }
        };
        Ok(Common {
            fingerprint,
            user_data,
            description,
            annotations,
            attachments,
        })
    }

    /// Applies the options to an attestation.
    pub(crate) fn apply(self, mut a: Attestation) -> kosli_core::Result<Attestation> {
        if let Some(fp) = self.fingerprint {
            a = a.fingerprint(fp);
        }
        if let Some(data) = self.user_data {
            a = a.user_data(data);
        }
        if let Some(text) = self.description {
            a = a.description(text);
        }
        if let Some(annotations) = self.annotations {
            a = a.annotations(annotations)?;
        }
        for path in self.attachments {
            a = a.attach(path);
        }
        Ok(a)
    }
}

/// JUnit results as given: a results folder or file (read as `--results-dir`), a
/// `JunitSummary`, or a list of `SuiteSummary`.
pub(crate) enum JunitResults {
    /// Read when the call runs (without the GIL).
    Path(PathBuf),
    /// Already parsed.
    Summary(JunitSummary),
}

impl JunitResults {
    pub(crate) fn extract(value: &Bound<'_, PyAny>) -> PyResult<JunitResults> {
        if let Ok(summary) = value.cast::<PyJunitSummary>() {
            return Ok(JunitResults::Summary(summary.get().0.clone()));
        }
        if let Ok(list) = value.cast::<PyList>() {
            let mut suites = Vec::with_capacity(list.len());
            for item in list.iter() {
                let suite = item.cast::<PySuiteSummary>().map_err(|_| {
                    PyTypeError::new_err("results must hold kosli.SuiteSummary values")
                })?;
                suites.push(suite.get().0.clone());
            }
            return Ok(JunitResults::Summary(JunitSummary {
                suites,
                files: Vec::new(),
            }));
        }
        match value.extract::<PathBuf>() {
            Ok(path) => Ok(JunitResults::Path(path)),
            Err(_) => Err(PyTypeError::new_err(
                "results must be a path, a kosli.JunitSummary or a list of kosli.SuiteSummary",
            )),
        }
    }

    /// The summary, reading the folder when a path was given.
    pub(crate) fn summary(self) -> kosli_core::Result<JunitSummary> {
        match self {
            JunitResults::Path(path) => junit::parse_dir(path),
            JunitResults::Summary(summary) => Ok(summary),
        }
    }
}
