//! `kosli attest generic|junit|snyk|custom|pullrequest`: the attestation methods of
//! `kosli.Client`, over `kosli_core::ops::attestations::Attestation`.
//!
//! Every attestation takes the same options after its own arguments (see [`CommonArgs`]):
//! `artifact` or `fingerprint`, `git_commit_info`, `repo_info`, `origin_url`, `external_urls`
//! with `external_fingerprints`, `user_data`, `description`, `annotations` and `attachments`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use kosli_core::evidence::snyk;
use kosli_core::model::pull_request::PullRequest;
use kosli_core::ops::attestations::Attestation;
use pyo3::prelude::*;

use crate::artifact::PyArtifactRef;
use crate::attest::{Common, CommonArgs, JunitResults};
use crate::client::PyClient;
use crate::convert::{json_arg, typed_arg};
use crate::outcome::PyOutcome;

/// Sends `attestation` (built without the GIL from the common options).
fn send(
    client: &PyClient,
    py: Python<'_>,
    common: Common,
    build: impl FnOnce() -> kosli_core::Result<Attestation> + Send,
) -> PyResult<PyOutcome> {
    client.run(py, move |c| {
        let attestation = common.apply(build()?)?;
        c.attest(&attestation).map(|o| PyOutcome::from(&o))
    })
}

#[pymethods]
impl PyClient {
    /// `kosli attest junit`: the JUnit results (a results folder or file, a `JunitSummary` or
    /// a list of `SuiteSummary`) as the attestation `name` in `trail` of `flow`. With `upload`,
    /// the results files are attached, as the CLI's `--upload-results`.
    #[pyo3(signature = (flow, trail, name, results, *, upload = true, artifact = None,
        fingerprint = None, git_commit_info = None, repo_info = None, origin_url = None,
        external_urls = None, external_fingerprints = None, user_data = None,
        description = None, annotations = None, attachments = Vec::new()))]
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
        git_commit_info: Option<Bound<'_, PyAny>>,
        repo_info: Option<Bound<'_, PyAny>>,
        origin_url: Option<String>,
        external_urls: Option<BTreeMap<String, String>>,
        external_fingerprints: Option<BTreeMap<String, String>>,
        user_data: Option<Bound<'_, PyAny>>,
        description: Option<String>,
        annotations: Option<BTreeMap<String, String>>,
        attachments: Vec<PathBuf>,
    ) -> PyResult<PyOutcome> {
        let results = JunitResults::extract(results)?;
        let common = Common::extract(
            py,
            CommonArgs {
                artifact: artifact.as_ref(),
                fingerprint: fingerprint.as_ref(),
                git_commit_info: git_commit_info.as_ref(),
                repo_info: repo_info.as_ref(),
                origin_url,
                external_urls,
                external_fingerprints,
                user_data: user_data.as_ref(),
                description,
                annotations,
                attachments,
            },
        )?;
        send(self, py, common, move || {
            let summary = results.summary()?;
            Attestation::junit(flow, trail, &name, &summary, upload)
        })
    }

    /// `kosli attest generic`: the caller's verdict (`compliant`) as the attestation `name` in
    /// `trail` of `flow`.
    #[pyo3(signature = (flow, trail, name, *, compliant, artifact = None, fingerprint = None,
        git_commit_info = None, repo_info = None, origin_url = None, external_urls = None,
        external_fingerprints = None, user_data = None, description = None, annotations = None,
        attachments = Vec::new()))]
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
        git_commit_info: Option<Bound<'_, PyAny>>,
        repo_info: Option<Bound<'_, PyAny>>,
        origin_url: Option<String>,
        external_urls: Option<BTreeMap<String, String>>,
        external_fingerprints: Option<BTreeMap<String, String>>,
        user_data: Option<Bound<'_, PyAny>>,
        description: Option<String>,
        annotations: Option<BTreeMap<String, String>>,
        attachments: Vec<PathBuf>,
    ) -> PyResult<PyOutcome> {
        let common = Common::extract(
            py,
            CommonArgs {
                artifact: artifact.as_ref(),
                fingerprint: fingerprint.as_ref(),
                git_commit_info: git_commit_info.as_ref(),
                repo_info: repo_info.as_ref(),
                origin_url,
                external_urls,
                external_fingerprints,
                user_data: user_data.as_ref(),
                description,
                annotations,
                attachments,
            },
        )?;
        send(self, py, common, move || {
            Attestation::generic(flow, trail, &name, compliant)
        })
    }

    /// `kosli attest snyk`: a Snyk scan's results (SARIF or Snyk JSON, read as the CLI's
    /// `--scan-results`) as the attestation `name`; with `upload` the file is attached.
    #[pyo3(signature = (flow, trail, name, scan_results, *, upload = true, artifact = None,
        fingerprint = None, git_commit_info = None, repo_info = None, origin_url = None,
        external_urls = None, external_fingerprints = None, user_data = None,
        description = None, annotations = None, attachments = Vec::new()))]
    #[allow(clippy::too_many_arguments, reason = "Python keyword arguments")]
    fn attest_snyk(
        &self,
        py: Python<'_>,
        flow: String,
        trail: String,
        name: String,
        scan_results: PathBuf,
        upload: bool,
        artifact: Option<Bound<'_, PyArtifactRef>>,
        fingerprint: Option<Bound<'_, PyAny>>,
        git_commit_info: Option<Bound<'_, PyAny>>,
        repo_info: Option<Bound<'_, PyAny>>,
        origin_url: Option<String>,
        external_urls: Option<BTreeMap<String, String>>,
        external_fingerprints: Option<BTreeMap<String, String>>,
        user_data: Option<Bound<'_, PyAny>>,
        description: Option<String>,
        annotations: Option<BTreeMap<String, String>>,
        attachments: Vec<PathBuf>,
    ) -> PyResult<PyOutcome> {
        let common = Common::extract(
            py,
            CommonArgs {
                artifact: artifact.as_ref(),
                fingerprint: fingerprint.as_ref(),
                git_commit_info: git_commit_info.as_ref(),
                repo_info: repo_info.as_ref(),
                origin_url,
                external_urls,
                external_fingerprints,
                user_data: user_data.as_ref(),
                description,
                annotations,
                attachments,
            },
        )?;
        send(self, py, common, move || {
            let results = snyk::parse_file(&scan_results)?;
            let attached = upload.then_some(scan_results);
            Attestation::snyk(flow, trail, &name, results, attached)
        })
    }

    /// `kosli attest custom`: `data` (any JSON-able value) of the custom attestation type
    /// `type_name` as the attestation `name`.
    #[pyo3(signature = (flow, trail, name, *, type_name, data, artifact = None,
        fingerprint = None, git_commit_info = None, repo_info = None, origin_url = None,
        external_urls = None, external_fingerprints = None, user_data = None,
        description = None, annotations = None, attachments = Vec::new()))]
    #[allow(clippy::too_many_arguments, reason = "Python keyword arguments")]
    fn attest_custom(
        &self,
        py: Python<'_>,
        flow: String,
        trail: String,
        name: String,
        type_name: String,
        data: &Bound<'_, PyAny>,
        artifact: Option<Bound<'_, PyArtifactRef>>,
        fingerprint: Option<Bound<'_, PyAny>>,
        git_commit_info: Option<Bound<'_, PyAny>>,
        repo_info: Option<Bound<'_, PyAny>>,
        origin_url: Option<String>,
        external_urls: Option<BTreeMap<String, String>>,
        external_fingerprints: Option<BTreeMap<String, String>>,
        user_data: Option<Bound<'_, PyAny>>,
        description: Option<String>,
        annotations: Option<BTreeMap<String, String>>,
        attachments: Vec<PathBuf>,
    ) -> PyResult<PyOutcome> {
        let data = json_arg(py, "data", data)?;
        let common = Common::extract(
            py,
            CommonArgs {
                artifact: artifact.as_ref(),
                fingerprint: fingerprint.as_ref(),
                git_commit_info: git_commit_info.as_ref(),
                repo_info: repo_info.as_ref(),
                origin_url,
                external_urls,
                external_fingerprints,
                user_data: user_data.as_ref(),
                description,
                annotations,
                attachments,
            },
        )?;
        send(self, py, common, move || {
            Attestation::custom(flow, trail, &name, type_name, data)
        })
    }

    /// `kosli attest pullrequest <provider>`: pull requests the caller fetched from
    /// `git_provider` (`github`, `gitlab`, `bitbucket`, `azure`), each a dict of the wire's
    /// fields (`kosli.PullRequest`), as the attestation `name`. An empty list attests that the
    /// commit has none.
    #[pyo3(signature = (flow, trail, name, *, git_provider, pull_requests, artifact = None,
        fingerprint = None, git_commit_info = None, repo_info = None, origin_url = None,
        external_urls = None, external_fingerprints = None, user_data = None,
        description = None, annotations = None, attachments = Vec::new()))]
    #[allow(clippy::too_many_arguments, reason = "Python keyword arguments")]
    fn attest_pull_request(
        &self,
        py: Python<'_>,
        flow: String,
        trail: String,
        name: String,
        git_provider: String,
        pull_requests: &Bound<'_, PyAny>,
        artifact: Option<Bound<'_, PyArtifactRef>>,
        fingerprint: Option<Bound<'_, PyAny>>,
        git_commit_info: Option<Bound<'_, PyAny>>,
        repo_info: Option<Bound<'_, PyAny>>,
        origin_url: Option<String>,
        external_urls: Option<BTreeMap<String, String>>,
        external_fingerprints: Option<BTreeMap<String, String>>,
        user_data: Option<Bound<'_, PyAny>>,
        description: Option<String>,
        annotations: Option<BTreeMap<String, String>>,
        attachments: Vec<PathBuf>,
    ) -> PyResult<PyOutcome> {
        let pull_requests: Vec<PullRequest> = typed_arg(py, "pull_requests", pull_requests)?;
        let common = Common::extract(
            py,
            CommonArgs {
                artifact: artifact.as_ref(),
                fingerprint: fingerprint.as_ref(),
                git_commit_info: git_commit_info.as_ref(),
                repo_info: repo_info.as_ref(),
                origin_url,
                external_urls,
                external_fingerprints,
                user_data: user_data.as_ref(),
                description,
                annotations,
                attachments,
            },
        )?;
        send(self, py, common, move || {
            Attestation::pull_request(flow, trail, &name, git_provider, pull_requests)
        })
    }
}
