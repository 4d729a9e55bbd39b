//! External evidence (`kosli attest pullrequest|sonar|jira`, `kosli assert pullrequest`): the
//! pull requests of a commit at GitHub, GitLab, Bitbucket Cloud or Azure DevOps (a `PrSource`),
//! SonarQube/SonarCloud analyses and Jira issues, over `kosli_core::review`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use kosli_core::ops::attestations::Attestation;
use kosli_core::review::jira::JiraSource;
use kosli_core::review::sonar::SonarSource;
use kosli_core::review::{PrSource, PullRequestEvidence, ReviewAttestation};
use pyo3::prelude::*;

use crate::artifact::PyArtifactRef;
use crate::attest::{Common, CommonArgs};
use crate::client::PyClient;
use crate::convert::invalid;
use crate::outcome::PyOutcome;
use crate::records::{build_from, list_from_serde, serde_dict};

/// Where to look pull requests up: a provider, its repository and credentials (never shown).
#[pyclass(module = "kosli", name = "PrSource", frozen)]
pub struct PyPrSource(PrSource);

impl PyPrSource {
    fn with_base_url(mut source: PrSource, base_url: Option<String>) -> PyPrSource {
        if let Some(url) = base_url {
            source = source.base_url(&url);
        }
        PyPrSource(source)
    }
}

#[pymethods]
impl PyPrSource {
    /// GitHub (`--github-org`, `--repository`, `--github-token`; `base_url`: GitHub
    /// Enterprise's API).
    #[staticmethod]
    #[pyo3(signature = (org, repository, *, token, base_url = None))]
    fn github(org: &str, repository: &str, token: &str, base_url: Option<String>) -> PyPrSource {
        Self::with_base_url(PrSource::github(org, repository, token), base_url)
    }

    /// GitLab (`--gitlab-org`, `--repository`, `--gitlab-token`; `base_url`: a self-managed
    /// GitLab).
    #[staticmethod]
    #[pyo3(signature = (org, repository, *, token, base_url = None))]
    fn gitlab(org: &str, repository: &str, token: &str, base_url: Option<String>) -> PyPrSource {
        Self::with_base_url(PrSource::gitlab(org, repository, token), base_url)
    }

    /// Bitbucket Cloud (`--bitbucket-workspace`, `--repository`), with an access `token` or
    /// `username` and `password` (`base_url`: the API root, for tests).
    #[staticmethod]
    #[pyo3(signature = (workspace, repository, *, token = None, username = None,
        password = None, base_url = None))]
    fn bitbucket(
        workspace: &str,
        repository: &str,
        token: Option<String>,
        username: Option<String>,
        password: Option<String>,
        base_url: Option<String>,
    ) -> PyPrSource {
        let mut source = PrSource::bitbucket(workspace, repository);
        if let Some(t) = token {
            source = source.token(&t);
        }
        if let (Some(u), Some(p)) = (username, password) {
            source = source.basic_auth(&u, &p);
        }
        Self::with_base_url(source, base_url)
    }

    /// Azure DevOps (`--azure-org-url`, `--project`, `--repository`, `--azure-token`).
    #[staticmethod]
    #[pyo3(signature = (org_url, project, repository, *, token))]
    fn azure(org_url: &str, project: &str, repository: &str, token: &str) -> PyPrSource {
        PyPrSource(PrSource::azure(org_url, project, repository, token))
    }

    /// `github`, `gitlab`, `bitbucket` or `azure`.
    #[getter]
    fn provider(&self) -> &'static str {
        self.0.provider.as_str()
    }

    fn __repr__(&self) -> String {
        format!(
            "PrSource(provider='{}', owner='{}', repository='{}')",
            self.0.provider.as_str(),
            self.0.owner,
            self.0.repository
        )
    }
}

/// A `kosli.PullRequestEvidence`, with each pull request's approvals.
fn evidence_record<'py>(py: Python<'py>, e: &PullRequestEvidence) -> PyResult<Bound<'py, PyAny>> {
    let d = serde_dict(py, e)?;
    d.set_item(
        "approvals",
        list_from_serde(py, "ReviewApprovals", &e.approvals())?,
    )?;
    build_from(py, "PullRequestEvidence", d.as_any())
}

/// Sends a review attestation built (without the GIL) on `base`, the common options applied.
fn send(
    client: &PyClient,
    py: Python<'_>,
    common: Common,
    base: (String, String, String),
    build: impl FnOnce(
            &kosli_core::blocking::Client,
            Attestation,
        ) -> kosli_core::Result<(ReviewAttestation, Option<PullRequestEvidence>)>
        + Send,
    assert_found: bool,
) -> PyResult<PyOutcome> {
    let (flow, trail, name) = base;
    client.run(py, move |c| {
        let base = common.apply(Attestation::generic(flow, trail, &name, true)?)?;
        let (attestation, evidence) = build(c, base)?;
        let outcome = c.run(|a| async move { a.attest_review(&attestation).await })?;
        // As the CLI: the attestation is sent first, then `--assert` fails without one.
        if let (true, Some(e)) = (assert_found, evidence) {
            e.assert_attested()?;
        }
        Ok(PyOutcome::from(&outcome))
    })
}

macro_rules! common_args {
    ($py:expr, $artifact:expr, $fingerprint:expr, $gci:expr, $repo:expr, $origin:expr,
     $urls:expr, $fps:expr, $user_data:expr, $description:expr, $annotations:expr,
     $attachments:expr) => {
        Common::extract(
            $py,
            CommonArgs {
                artifact: $artifact.as_ref(),
                fingerprint: $fingerprint.as_ref(),
                git_commit_info: $gci.as_ref(),
                repo_info: $repo.as_ref(),
                origin_url: $origin,
                external_urls: $urls,
                external_fingerprints: $fps,
                user_data: $user_data.as_ref(),
                description: $description,
                annotations: $annotations,
                attachments: $attachments,
            },
        )
    };
}

#[pymethods]
impl PyClient {
    /// The pull (merge) requests that contain `commit` (a full commit id) at `source`'s
    /// provider, as the CLI finds them (possibly none). Provider errors are retried with the
    /// client's rules; a refusal is an `AuthError`, `NotFoundError` or `ApiError`.
    fn find_pull_requests<'py>(
        &self,
        py: Python<'py>,
        source: PyRef<'py, PyPrSource>,
        commit: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        let source = source.0.clone();
        let evidence = self.run(py, move |c| {
            c.run(|a| async move { a.find_pull_requests(&source, &commit).await })
        })?;
        evidence_record(py, &evidence)
    }

    /// `kosli assert pullrequest <provider>`: the pull requests of `commit`, or a
    /// `PolicyDeniedError` with the CLI's message when there is none.
    fn assert_pull_requests<'py>(
        &self,
        py: Python<'py>,
        source: PyRef<'py, PyPrSource>,
        commit: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        let source = source.0.clone();
        let evidence = self.run(py, move |c| {
            c.run(|a| async move { a.assert_pull_requests(&source, &commit).await })
        })?;
        evidence_record(py, &evidence)
    }

    /// `kosli attest pullrequest <provider>`: finds the pull requests of `commit` at
    /// `source` and attests them as `name` (`git_provider` and `pull_requests`, as the CLI).
    /// With `assert_found`, none found is a `PolicyDeniedError` after the attestation was
    /// sent (the CLI's `--assert`). The common options are `attest_generic`'s.
    #[pyo3(signature = (flow, trail, name, *, source, commit, assert_found = false,
        artifact = None, fingerprint = None, git_commit_info = None, repo_info = None,
        origin_url = None, external_urls = None, external_fingerprints = None, user_data = None,
        description = None, annotations = None, attachments = Vec::new()))]
    #[allow(clippy::too_many_arguments, reason = "Python keyword arguments")]
    fn attest_pull_requests_from(
        &self,
        py: Python<'_>,
        flow: String,
        trail: String,
        name: String,
        source: PyRef<'_, PyPrSource>,
        commit: String,
        assert_found: bool,
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
        let common = common_args!(
            py,
            artifact,
            fingerprint,
            git_commit_info,
            repo_info,
            origin_url,
            external_urls,
            external_fingerprints,
            user_data,
            description,
            annotations,
            attachments
        )?;
        let source = source.0.clone();
        send(
            self,
            py,
            common,
            (flow, trail, name),
            move |c, base| {
                let evidence =
                    c.run(|a| async move { a.find_pull_requests(&source, &commit).await })?;
                Ok((
                    ReviewAttestation::pull_requests(base, evidence.clone()),
                    Some(evidence),
                ))
            },
            assert_found,
        )
    }

    /// `kosli attest sonar`: the SonarQube/SonarCloud analysis of a scan (its
    /// `report-task.txt` in `working_dir`, a `ce_task_url`, or a `project_key` with
    /// `revision`/`branch`/`pull_request`) and its quality gate, as the attestation `name`.
    #[pyo3(signature = (flow, trail, name, *, sonar_api_token, server_url = None,
        ce_task_url = None, working_dir = None, project_key = None, revision = None,
        branch = None, pull_request = None, artifact = None, fingerprint = None,
        git_commit_info = None, repo_info = None, origin_url = None, external_urls = None,
        external_fingerprints = None, user_data = None, description = None, annotations = None,
        attachments = Vec::new()))]
    #[allow(clippy::too_many_arguments, reason = "Python keyword arguments")]
    fn attest_sonar(
        &self,
        py: Python<'_>,
        flow: String,
        trail: String,
        name: String,
        sonar_api_token: String,
        server_url: Option<String>,
        ce_task_url: Option<String>,
        working_dir: Option<String>,
        project_key: Option<String>,
        revision: Option<String>,
        branch: Option<String>,
        pull_request: Option<String>,
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
        let common = common_args!(
            py,
            artifact,
            fingerprint,
            git_commit_info,
            repo_info,
            origin_url,
            external_urls,
            external_fingerprints,
            user_data,
            description,
            annotations,
            attachments
        )?;
        let mut source = SonarSource::new(&sonar_api_token);
        if let Some(url) = server_url {
            source.server_url = url;
        }
        source.ce_task_url = ce_task_url;
        source.working_dir = working_dir;
        source.project_key = project_key;
        source.revision = revision;
        source.branch = branch;
        source.pull_request = pull_request;
        send(
            self,
            py,
            common,
            (flow, trail, name),
            move |c, base| {
                let results = c.run(|a| async move { a.sonar_results(&source).await })?;
                Ok((ReviewAttestation::sonar(base, results), None))
            },
            false,
        )
    }

    /// `kosli attest jira`: the Jira issues a commit references (in `commit_message`, on
    /// `branch`, in `secondary_source`; those two default to `git_commit_info`'s; or exactly
    /// `issue_keys`), each read from the Jira at `jira_base_url` (with `jira_pat`, or
    /// `jira_username` and `jira_api_token`), as the attestation `name`.
    #[pyo3(signature = (flow, trail, name, *, jira_base_url, jira_username = None,
        jira_api_token = None, jira_pat = None, issue_fields = None, project_keys = Vec::new(),
        secondary_source = None, trailer = None, ignore_branch = false, commit_message = None,
        branch = None, issue_keys = None, artifact = None, fingerprint = None,
        git_commit_info = None, repo_info = None, origin_url = None, external_urls = None,
        external_fingerprints = None, user_data = None, description = None, annotations = None,
        attachments = Vec::new()))]
    #[allow(clippy::too_many_arguments, reason = "Python keyword arguments")]
    fn attest_jira(
        &self,
        py: Python<'_>,
        flow: String,
        trail: String,
        name: String,
        jira_base_url: String,
        jira_username: Option<String>,
        jira_api_token: Option<String>,
        jira_pat: Option<String>,
        issue_fields: Option<Vec<String>>,
        project_keys: Vec<String>,
        secondary_source: Option<String>,
        trailer: Option<String>,
        ignore_branch: bool,
        commit_message: Option<String>,
        branch: Option<String>,
        issue_keys: Option<Vec<String>>,
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
        // The commit's message and branch, when not given, from git_commit_info.
        let commit_field = |key: &str| -> PyResult<Option<String>> {
            match &git_commit_info {
                Some(info) if !info.is_none() => match info.get_item(key) {
                    Ok(v) => v.extract::<Option<String>>().map_err(|_| {
                        invalid(
                            py,
                            "git_commit_info",
                            format!("git_commit_info[{key:?}] must be a str"),
                        )
                    }),
                    Err(_) => Ok(None),
                },
                _ => Ok(None),
            }
        };
        let message = match commit_message {
            Some(m) => m,
            None => commit_field("message")?.unwrap_or_default(),
        };
        let branch = match branch {
            Some(b) => b,
            None => commit_field("branch")?.unwrap_or_default(),
        };
        let common = common_args!(
            py,
            artifact,
            fingerprint,
            git_commit_info,
            repo_info,
            origin_url,
            external_urls,
            external_fingerprints,
            user_data,
            description,
            annotations,
            attachments
        )?;
        let mut source = JiraSource::new(&jira_base_url);
        source.username = jira_username;
        source.api_token = jira_api_token.map(Into::into);
        source.pat = jira_pat.map(Into::into);
        source.issue_fields = issue_fields.unwrap_or_default().join(",");
        source.project_keys = project_keys;
        source.secondary_source = secondary_source;
        source.trailer = trailer;
        source.ignore_branch = ignore_branch;
        let keys = match issue_keys {
            Some(keys) => keys,
            None => source.references(&message, &branch),
        };
        send(
            self,
            py,
            common,
            (flow, trail, name),
            move |c, base| {
                let results = c.run(|a| async move { a.jira_results(&source, &keys).await })?;
                Ok((ReviewAttestation::jira(base, results), None))
            },
            false,
        )
    }
}
