//! The options the attestation methods of `kosli.Client` share, and JUnit results as given:
//! argument conversion into `kosli_core::ops::attestations::Attestation`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use kosli_core::evidence::junit::{self, JunitSummary};
use kosli_core::ops::attestations::Attestation;
use kosli_core::provenance::{ExternalUrls, GitCommitInfo, RepoInfo};
use kosli_core::Fingerprint;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::artifact::{fingerprint_arg, PyArtifactRef};
use crate::convert::{external_urls_arg, json_arg, optional_typed_arg};
use crate::evidence::{PyJunitSummary, PySuiteSummary};

/// The options every attestation takes, as the Python method received them.
pub(crate) struct CommonArgs<'a, 'py> {
    pub(crate) artifact: Option<&'a Bound<'py, PyArtifactRef>>,
    pub(crate) fingerprint: Option<&'a Bound<'py, PyAny>>,
    pub(crate) git_commit_info: Option<&'a Bound<'py, PyAny>>,
    pub(crate) repo_info: Option<&'a Bound<'py, PyAny>>,
    pub(crate) origin_url: Option<String>,
    pub(crate) external_urls: Option<BTreeMap<String, String>>,
    pub(crate) external_fingerprints: Option<BTreeMap<String, String>>,
    pub(crate) user_data: Option<&'a Bound<'py, PyAny>>,
    pub(crate) description: Option<String>,
    pub(crate) annotations: Option<BTreeMap<String, String>>,
    pub(crate) attachments: Vec<PathBuf>,
}

/// The options every attestation takes, copied out of Python.
#[derive(Debug, Default)]
pub(crate) struct Common {
    fingerprint: Option<Fingerprint>,
    git_commit_info: Option<GitCommitInfo>,
    repo_info: Option<RepoInfo>,
    origin_url: Option<String>,
    external_urls: Option<ExternalUrls>,
    user_data: Option<serde_json::Value>,
    description: Option<String>,
    annotations: Option<BTreeMap<String, String>>,
    attachments: Vec<PathBuf>,
}

impl Common {
    /// Reads the keyword arguments; `artifact` and `fingerprint` name the same thing.
    pub(crate) fn extract(py: Python<'_>, args: CommonArgs<'_, '_>) -> PyResult<Common> {
        let fingerprint =
            match (args.artifact, args.fingerprint) {
                (Some(_), Some(_)) => return Err(PyTypeError::new_err(
                    "give artifact or fingerprint, not both (an ArtifactRef has its fingerprint)",
                )),
                (Some(a), None) => Some(a.get().0.fingerprint()),
                (None, Some(fp)) => Some(fingerprint_arg(py, fp)?),
                (None, None) => None,
            };
        let user_data = match args.user_data {
            Some(value) if !value.is_none() => Some(json_arg(py, "user_data", value)?),
            _ => None,
        };
        Ok(Common {
            fingerprint,
            git_commit_info: optional_typed_arg(py, "git_commit_info", args.git_commit_info)?,
            repo_info: optional_typed_arg(py, "repo_info", args.repo_info)?,
            origin_url: args.origin_url,
            external_urls: external_urls_arg(py, args.external_urls, args.external_fingerprints)?,
            user_data,
            description: args.description,
            annotations: args.annotations,
            attachments: args.attachments,
        })
    }

    /// Applies the options to an attestation.
    pub(crate) fn apply(self, mut a: Attestation) -> kosli_core::Result<Attestation> {
        if let Some(fp) = self.fingerprint {
            a = a.fingerprint(fp);
        }
        if let Some(info) = self.git_commit_info {
            a = a.git_commit_info(info);
        }
        if let Some(info) = self.repo_info {
            a = a.repo_info(info);
        }
        if let Some(url) = self.origin_url {
            a = a.origin_url(url);
        }
        if let Some(urls) = self.external_urls {
            a = a.external_urls(urls);
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
