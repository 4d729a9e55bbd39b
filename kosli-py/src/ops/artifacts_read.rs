//! `kosli get artifact` and `kosli list artifacts`: over `kosli_core::ops::artifacts_read`.

use kosli_core::ops::artifacts_read::{Artifact, ArtifactEvent, ArtifactLocation, ListArtifacts};
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::client::PyClient;
use crate::convert::{invalid, json_to_py};
use crate::fingerprint::PyFingerprint;
use crate::records::{list_of, Record};

fn location_record<'py>(py: Python<'py>, l: &ArtifactLocation) -> PyResult<Bound<'py, PyAny>> {
    Record::new(py, "ArtifactLocation")
        .set("environment_name", &l.environment_name)?
        .set("snapshot_index", l.snapshot_index)?
        .build()
}

fn event_record<'py>(py: Python<'py>, e: &ArtifactEvent) -> PyResult<Bound<'py, PyAny>> {
    Record::new(py, "ArtifactEvent")
        .set("event", &e.event)?
        .set("timestamp", e.timestamp)?
        .build()
}

pub(crate) fn artifact_record<'py>(py: Python<'py>, a: &Artifact) -> PyResult<Bound<'py, PyAny>> {
    let annotations = match &a.annotations {
        Some(v) => json_to_py(py, v)?,
        None => py.None().into_bound(py),
    };
    Record::new(py, "Artifact")
        .set("filename", &a.filename)?
        .set("flow_name", &a.flow_name)?
        .set("trail_name", &a.trail_name)?
        .set("template_reference_name", &a.template_reference_name)?
        .set("fingerprint", &a.fingerprint)?
        .set("created_at", a.created_at)?
        .set("git_commit", &a.git_commit)?
        .set("commit_url", &a.commit_url)?
        .set("build_url", &a.build_url)?
        .set("repo_url", &a.repo_url)?
        .set("html_url", &a.html_url)?
        .set("state", &a.state)?
        .set("running", list_of(py, &a.running, location_record)?)?
        .set("exited", list_of(py, &a.exited, location_record)?)?
        .set("history", list_of(py, &a.history, event_record)?)?
        .set("annotations", annotations)?
        .build()
}

/// A whole fingerprint (`Fingerprint`) or its first hex digits (`str`).
fn fingerprint_prefix(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(fp) = value.cast::<PyFingerprint>() {
        return Ok(fp.get().to_string());
    }
    match value.cast::<PyString>() {
        Ok(s) => Ok(s.to_str()?.to_string()),
        Err(_) => Err(invalid(
            py,
            "fingerprint",
            format!(
                "fingerprint must be a kosli.Fingerprint or a str, not {}",
                value.get_type().name()?
            ),
        )),
    }
}

/// The request of `list artifacts`: a flow's, a repository's, or every artifact.
fn list_request(
    py: Python<'_>,
    flow: Option<String>,
    repo: Option<String>,
    page: u64,
    per_page: u64,
) -> PyResult<ListArtifacts> {
    let list = match (flow, repo) {
        (Some(_), Some(_)) => {
            return Err(invalid(
                py,
                "repo",
                "give flow or repo, not both".to_string(),
            ))
        }
        (Some(f), None) => ListArtifacts::flow(f),
        (None, Some(r)) => ListArtifacts::repo(r),
        (None, None) => ListArtifacts::new(),
    };
    Ok(list.page(page).per_page(per_page))
}

#[pymethods]
impl PyClient {
    /// `kosli get artifact flow@fingerprint`: one artifact of `flow` by its fingerprint (or
    /// the fingerprint's first hex digits), optionally only in `trail`; an unknown one is a
    /// `NotFoundError`.
    #[pyo3(signature = (flow, fingerprint, *, trail = None))]
    fn get_artifact<'py>(
        &self,
        py: Python<'py>,
        flow: String,
        fingerprint: &Bound<'py, PyAny>,
        trail: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let fingerprint = fingerprint_prefix(py, fingerprint)?;
        let artifact = self.run(py, move |c| {
            c.get_artifact(&flow, &fingerprint, trail.as_deref())
        })?;
        artifact_record(py, &artifact)
    }

    /// `kosli get artifact flow:commit`: the artifacts of `flow` built from a commit (its sha
    /// or first hex digits), optionally only in `trail`.
    #[pyo3(signature = (flow, commit, *, trail = None))]
    fn get_artifacts_by_commit<'py>(
        &self,
        py: Python<'py>,
        flow: String,
        commit: String,
        trail: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let artifacts = self.run(py, move |c| {
            c.get_artifacts_by_commit(&flow, &commit, trail.as_deref())
        })?;
        Ok(list_of(py, &artifacts, artifact_record)?.into_any())
    }

    /// `kosli list artifacts`: one page (`page` from 1, `per_page`) of the artifacts of
    /// `flow`, of the repository `repo` (`acme/app`), or of the organization, newest first.
    /// `next_page` says which page to ask for next, when this one was full.
    #[pyo3(signature = (*, flow = None, repo = None, page = 1, per_page = 15))]
    fn list_artifacts<'py>(
        &self,
        py: Python<'py>,
        flow: Option<String>,
        repo: Option<String>,
        page: u64,
        per_page: u64,
    ) -> PyResult<Bound<'py, PyAny>> {
        let list = list_request(py, flow, repo, page, per_page)?;
        let found = self.run(py, move |c| c.list_artifacts(&list))?;
        Record::new(py, "ArtifactPage")
            .set("artifacts", list_of(py, &found.artifacts, artifact_record)?)?
            .set(
                "next_page",
                found.next.as_ref().map(ListArtifacts::page_number),
            )?
            .build()
    }

    /// Every artifact `list_artifacts` would select from `page` on, reading page after page
    /// until one is not full.
    #[pyo3(signature = (*, flow = None, repo = None, page = 1, per_page = 15))]
    fn list_all_artifacts<'py>(
        &self,
        py: Python<'py>,
        flow: Option<String>,
        repo: Option<String>,
        page: u64,
        per_page: u64,
    ) -> PyResult<Bound<'py, PyAny>> {
        let list = list_request(py, flow, repo, page, per_page)?;
        let all = self.run(py, move |c| c.list_all_artifacts(&list))?;
        Ok(list_of(py, &all, artifact_record)?.into_any())
    }
}
