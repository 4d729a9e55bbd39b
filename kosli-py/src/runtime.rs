//! Images and runtime environments: `kosli.fingerprint_image` (oci: the registry's manifest
//! digest; docker: the local Engine's repo digest, over `kosli_core::fingerprint::image`) and
//! the docker and Kubernetes snapshot collectors (`kosli.collect_docker_snapshot`,
//! `kosli.collect_k8s_snapshot`, over `kosli_core::snapshot`), whose `CollectedSnapshot` a
//! `Client` reports.

use std::path::PathBuf;

use kosli_core::fingerprint::image::{DockerOptions, ImageFingerprinter, RegistryOptions};
use kosli_core::snapshot::k8s::NamespaceSelector;
use kosli_core::snapshot::{Collector, K8sOptions, Snapshot};
use kosli_core::ArtifactType;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::artifact::artifact_type_arg;
use crate::convert::{invalid, json_to_py};
use crate::errors::IntoPyResult;
use crate::fingerprint::PyFingerprint;
use crate::interrupt;

/// A snapshot collected from a Docker host or a Kubernetes cluster, not reported yet (report
/// it with `Client.report_snapshot`).
#[pyclass(module = "kosli", name = "CollectedSnapshot", frozen)]
pub struct PyCollectedSnapshot(pub(crate) Snapshot);

#[pymethods]
impl PyCollectedSnapshot {
    /// The environment it is for.
    #[getter]
    fn environment(&self) -> &str {
        self.0.environment()
    }

    /// Its environment type (`docker`, `K8S`).
    #[getter]
    fn env_type(&self) -> &'static str {
        self.0.env_type()
    }

    /// How many containers or pods it reports.
    #[getter]
    fn artifact_count(&self) -> usize {
        self.0.artifact_count()
    }

    /// What was left out and why, in the CLI's words (one line each).
    #[getter]
    fn skipped(&self) -> Vec<String> {
        match &self.0 {
            Snapshot::Docker(s) => s.skipped.iter().map(|k| k.message()).collect(),
            Snapshot::K8s(s) => s.skipped.iter().map(|k| k.message()).collect(),
            _ => Vec::new(),
        }
    }

    /// The snapshot as plain values: `{"type": ..., "snapshot": {...}}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let json = self.0.to_json().into_py_result(py)?;
        Ok(json_to_py(py, &json)?.cast_into::<PyDict>()?)
    }

    fn __repr__(&self) -> String {
        format!(
            "CollectedSnapshot(environment='{}', env_type='{}', artifact_count={})",
            self.0.environment(),
            self.0.env_type(),
            self.0.artifact_count()
        )
    }
}

/// Registry settings: explicit credentials, insecure registries (default: those of the
/// machine's `registries.conf`, as the CLI), auth files, an extra CA bundle.
pub(crate) fn registry_options(
    username: Option<String>,
    password: Option<String>,
    insecure_registries: Option<Vec<String>>,
    auth_files: Option<Vec<PathBuf>>,
    ca_bundle: Option<PathBuf>,
) -> RegistryOptions {
    let mut o = match insecure_registries {
        Some(hosts) => RegistryOptions::new().insecure_registries(hosts),
        None => RegistryOptions::from_environment(),
    };
    if let Some(u) = username {
        o = o.username(u);
    }
    if let Some(p) = password {
        o = o.password(p);
    }
    if let Some(files) = auth_files {
        o = o.auth_files(files);
    }
    if let Some(ca) = ca_bundle {
        o = o.ca_bundle(ca);
    }
    o
}

/// The Docker Engine at `docker_host` (`unix:///path`, `tcp://host:port`), else
/// `$DOCKER_HOST`, else the default socket.
pub(crate) fn docker_options(docker_host: Option<String>) -> DockerOptions {
    docker_host.map(DockerOptions::host).unwrap_or_default()
}

/// `kosli fingerprint --artifact-type oci|docker`: the fingerprint of image `name`, as the
/// CLI computes it (`oci`: the manifest digest its registry reports, a multi-arch image's
/// index digest; `docker`: the local image's repo digest, or the registry's with
/// credentials). A missing tag means `latest`. Plain http only to `insecure_registries`.
#[pyfunction]
#[pyo3(signature = (name, artifact_type = None, *, registry_username = None,
    registry_password = None, insecure_registries = None, auth_files = None, ca_bundle = None,
    docker_host = None))]
#[allow(clippy::too_many_arguments, reason = "Python keyword arguments")]
pub(crate) fn fingerprint_image(
    py: Python<'_>,
    name: String,
    artifact_type: Option<Bound<'_, PyAny>>,
    registry_username: Option<String>,
    registry_password: Option<String>,
    insecure_registries: Option<Vec<String>>,
    auth_files: Option<Vec<PathBuf>>,
    ca_bundle: Option<PathBuf>,
    docker_host: Option<String>,
) -> PyResult<PyFingerprint> {
    let kind = match &artifact_type {
        Some(t) => artifact_type_arg(py, t)?,
        None => ArtifactType::Oci,
    };
    if !matches!(kind, ArtifactType::Oci | ArtifactType::Docker) {
        return Err(invalid(
            py,
            "artifact_type",
            format!("{kind} artifacts are fingerprinted from a path (fingerprint_file, fingerprint_dir), not an image"),
        ));
    }
    let images = ImageFingerprinter::new()
        .registry(registry_options(
            registry_username,
            registry_password,
            insecure_registries,
            auth_files,
            ca_bundle,
        ))
        .docker(docker_options(docker_host));
    interrupt::run(py, move |_cancel| images.fingerprint_blocking(&name, kind)).map(PyFingerprint)
}

/// The namespaces of a k8s snapshot, as the CLI's `--namespaces`, `--namespaces-regex`,
/// `--exclude-namespaces`, `--exclude-namespaces-regex` (include and exclude do not mix).
pub(crate) fn selector(
    namespaces: Vec<String>,
    namespaces_regex: Vec<String>,
    exclude_namespaces: Vec<String>,
    exclude_namespaces_regex: Vec<String>,
) -> NamespaceSelector {
    let mut s = NamespaceSelector::namespaces(namespaces);
    s.namespaces_regex = namespaces_regex;
    s.exclude_namespaces = exclude_namespaces;
    s.exclude_namespaces_regex = exclude_namespaces_regex;
    s
}

/// `kosli snapshot docker`'s collection: the running containers of the Docker Engine at
/// `docker_host` (else `$DOCKER_HOST`, else the default socket), for `environment`. Containers
/// whose image has no repo digest are skipped (see `skipped`).
#[pyfunction]
#[pyo3(signature = (environment, *, docker_host = None))]
pub(crate) fn collect_docker_snapshot(
    py: Python<'_>,
    environment: String,
    docker_host: Option<String>,
) -> PyResult<PyCollectedSnapshot> {
    let collector = Collector::Docker(docker_options(docker_host));
    interrupt::run(py, move |_cancel| collector.collect_blocking(&environment))
        .map(PyCollectedSnapshot)
}

/// `kosli snapshot k8s`'s collection: the running pods of the cluster of `kubeconfig` (else
/// `~/.kube/config`, else in-cluster credentials), in every namespace or those selected.
#[pyfunction]
#[pyo3(signature = (environment, *, kubeconfig = None, namespaces = Vec::new(),
    namespaces_regex = Vec::new(), exclude_namespaces = Vec::new(),
    exclude_namespaces_regex = Vec::new()))]
#[allow(clippy::too_many_arguments, reason = "Python keyword arguments")]
pub(crate) fn collect_k8s_snapshot(
    py: Python<'_>,
    environment: String,
    kubeconfig: Option<PathBuf>,
    namespaces: Vec<String>,
    namespaces_regex: Vec<String>,
    exclude_namespaces: Vec<String>,
    exclude_namespaces_regex: Vec<String>,
) -> PyResult<PyCollectedSnapshot> {
    let collector = Collector::K8s(K8sOptions {
        kubeconfig,
        selector: selector(
            namespaces,
            namespaces_regex,
            exclude_namespaces,
            exclude_namespaces_regex,
        ),
    });
    interrupt::run(py, move |_cancel| collector.collect_blocking(&environment))
        .map(PyCollectedSnapshot)
}
