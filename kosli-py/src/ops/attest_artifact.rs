//! `kosli attest artifact`: over `kosli_core::ops::attest_artifact::AttestArtifact`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use kosli_core::ops::attest_artifact::AttestArtifact;
use kosli_core::provenance::{GitCommitInfo, RepoInfo};
use pyo3::prelude::*;

use crate::artifact::{artifact_type_arg, fingerprint_arg, PyArtifactRef};
use crate::client::PyClient;
use crate::convert::{external_urls_arg, invalid, optional_typed_arg};
use crate::outcome::PyOutcome;

/// Which artifact: exactly one of `artifact`, `fingerprint` (with `display_name`) or `path`
/// (with `artifact_type`, fingerprinted when the call runs).
enum Which {
    Ref(kosli_core::ArtifactRef),
    Fingerprint(kosli_core::Fingerprint, String),
    Path(PathBuf, kosli_core::ArtifactType, Vec<String>),
}

#[pymethods]
impl PyClient {
    /// `kosli attest artifact`: reports an artifact as the template's artifact `name` in
    /// `trail` of `flow`. The artifact is an `ArtifactRef` (`artifact`), a fingerprint with the
    /// name to show (`fingerprint` and `display_name`), or a file or folder fingerprinted here
    /// (`path`, `artifact_type` "file" or "dir", `excludes`). `display_name` also renames the
    /// other two. `git_commit_info` (whose `sha1` is sent as `git_commit`) and `repo_info` are
    /// dicts of the wire's fields.
    #[pyo3(signature = (flow, trail, name, *, artifact = None, fingerprint = None,
        display_name = None, path = None, artifact_type = None, excludes = Vec::new(),
        git_commit_info = None, repo_info = None, build_url = None, commit_url = None,
        repo_url = None, external_urls = None, external_fingerprints = None,
        annotations = None))]
    #[allow(clippy::too_many_arguments, reason = "Python keyword arguments")]
    fn attest_artifact(
        &self,
        py: Python<'_>,
        flow: String,
        trail: String,
        name: String,
        artifact: Option<Bound<'_, PyArtifactRef>>,
        fingerprint: Option<Bound<'_, PyAny>>,
        display_name: Option<String>,
        path: Option<PathBuf>,
        artifact_type: Option<Bound<'_, PyAny>>,
        excludes: Vec<String>,
        git_commit_info: Option<Bound<'_, PyAny>>,
        repo_info: Option<Bound<'_, PyAny>>,
        build_url: Option<String>,
        commit_url: Option<String>,
        repo_url: Option<String>,
        external_urls: Option<BTreeMap<String, String>>,
        external_fingerprints: Option<BTreeMap<String, String>>,
        annotations: Option<BTreeMap<String, String>>,
    ) -> PyResult<PyOutcome> {
        let which = match (artifact, fingerprint, path) {
            (Some(a), None, None) => Which::Ref(a.get().0.clone()),
            (None, Some(fp), None) => {
                let fp = fingerprint_arg(py, &fp)?;
                let Some(shown) = display_name.clone() else {
                    return Err(invalid(
                        py,
                        "display_name",
                        "give display_name (the name shown for the artifact) with fingerprint"
                            .to_string(),
                    ));
                };
                Which::Fingerprint(fp, shown)
            }
            (None, None, Some(p)) => {
                let Some(kind) = artifact_type else {
                    return Err(invalid(
                        py,
                        "artifact_type",
                        "give artifact_type (\"file\" or \"dir\") with path".to_string(),
                    ));
                };
                Which::Path(p, artifact_type_arg(py, &kind)?, excludes)
            }
            _ => {
                return Err(invalid(
                    py,
                    "artifact",
                    "give exactly one of artifact, fingerprint or path".to_string(),
                ))
            }
        };
        let git_commit_info: Option<GitCommitInfo> =
            optional_typed_arg(py, "git_commit_info", git_commit_info.as_ref())?;
        let repo_info: Option<RepoInfo> = optional_typed_arg(py, "repo_info", repo_info.as_ref())?;
        let urls = external_urls_arg(py, external_urls, external_fingerprints)?;
        self.run(py, move |c| {
            let mut attest = match which {
                Which::Ref(a) => AttestArtifact::new(flow, trail, name, &a),
                Which::Fingerprint(fp, shown) => {
                    AttestArtifact::with_fingerprint(flow, trail, name, fp, shown)
                }
                Which::Path(path, kind, excludes) => {
                    let excludes: Vec<&str> = excludes.iter().map(String::as_str).collect();
                    AttestArtifact::from_path(flow, trail, name, path, kind, &excludes)?
                }
            };
            if let Some(shown) = display_name {
                attest = attest.display_name(shown);
            }
            if let Some(info) = git_commit_info {
                attest = attest.git_commit_info(info);
            }
            if let Some(info) = repo_info {
                attest = attest.repo_info(info);
            }
            if let Some(url) = build_url {
                attest = attest.build_url(url);
            }
            if let Some(url) = commit_url {
                attest = attest.commit_url(url);
            }
            if let Some(url) = repo_url {
                attest = attest.repo_url(url);
            }
            if let Some(urls) = urls {
                attest = attest.external_urls(urls);
            }
            for (k, v) in annotations.into_iter().flatten() {
                attest = attest.annotate(k, v)?;
            }
            c.attest_artifact(&attest).map(|o| PyOutcome::from(&o))
        })
    }
}
