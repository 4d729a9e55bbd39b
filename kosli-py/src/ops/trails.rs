//! `kosli begin trail`: over `kosli_core::ops::trails::BeginTrail`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use kosli_core::ops::trails::BeginTrail;
use kosli_core::provenance::{GitCommitInfo, RepoInfo};
use pyo3::prelude::*;

use super::flows::template_arg;
use crate::client::PyClient;
use crate::convert::{external_urls_arg, json_arg, optional_typed_arg};
use crate::outcome::PyOutcome;

#[pymethods]
impl PyClient {
    /// `kosli begin trail`: begins the trail `name` in `flow`, or updates it (201 begun, 200
    /// updated). `git_commit_info` and `repo_info` are dicts of the wire's fields
    /// (`kosli.GitCommitInfo`, `kosli.RepoInfo`); `external_fingerprints` pairs with
    /// `external_urls` by label.
    #[pyo3(signature = (flow, name, *, description = None, user_data = None,
        git_commit_info = None, repo_info = None, origin_url = None, external_urls = None,
        external_fingerprints = None, template_file = None, template_yaml = None))]
    #[allow(clippy::too_many_arguments, reason = "Python keyword arguments")]
    fn begin_trail(
        &self,
        py: Python<'_>,
        flow: String,
        name: String,
        description: Option<String>,
        user_data: Option<Bound<'_, PyAny>>,
        git_commit_info: Option<Bound<'_, PyAny>>,
        repo_info: Option<Bound<'_, PyAny>>,
        origin_url: Option<String>,
        external_urls: Option<BTreeMap<String, String>>,
        external_fingerprints: Option<BTreeMap<String, String>>,
        template_file: Option<PathBuf>,
        template_yaml: Option<String>,
    ) -> PyResult<PyOutcome> {
        let user_data = match user_data {
            Some(v) if !v.is_none() => Some(json_arg(py, "user_data", &v)?),
            _ => None,
        };
        let git_commit_info: Option<GitCommitInfo> =
            optional_typed_arg(py, "git_commit_info", git_commit_info.as_ref())?;
        let repo_info: Option<RepoInfo> = optional_typed_arg(py, "repo_info", repo_info.as_ref())?;
        let urls = external_urls_arg(py, external_urls, external_fingerprints)?;
        let template = template_arg(py, template_file, template_yaml)?;
        self.run(py, move |c| {
            let mut begin = BeginTrail::new(flow, name);
            if let Some(text) = description {
                begin = begin.description(text);
            }
            if let Some(data) = user_data {
                begin = begin.user_data(data);
            }
            if let Some(info) = git_commit_info {
                begin = begin.git_commit_info(info);
            }
            if let Some(info) = repo_info {
                begin = begin.repo_info(info);
            }
            if let Some(url) = origin_url {
                begin = begin.origin_url(url);
            }
            if let Some(urls) = urls {
                begin = begin.external_urls(urls);
            }
            if let Some(t) = template {
                begin = begin.template(t);
            }
            c.begin_trail(&begin).map(|o| PyOutcome::from(&o))
        })
    }
}
