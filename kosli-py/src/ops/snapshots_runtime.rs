//! `kosli snapshot docker|k8s`: collect what runs (without the GIL) and report it, over
//! `kosli_core::snapshot`; and the report of a snapshot collected before
//! (`kosli.collect_docker_snapshot`, `kosli.collect_k8s_snapshot`).

use std::path::PathBuf;

use kosli_core::snapshot::{Collector, K8sOptions, ReportOptions, Snapshot};
use pyo3::prelude::*;

use crate::client::PyClient;
use crate::convert::invalid;
use crate::outcome::PyOutcome;
use crate::runtime::{docker_options, selector, PyCollectedSnapshot};

fn report_options(
    auto_environment: bool,
    environment_description: Option<String>,
) -> ReportOptions {
    let mut options = ReportOptions::new().auto_environment(auto_environment);
    if let Some(text) = environment_description {
        options = options.environment_description(text);
    }
    options
}

/// Collects with `collector`, then reports with `report` (the snapshot kind's operation).
fn collect_and_report(
    client: &PyClient,
    py: Python<'_>,
    environment: String,
    collector: Collector,
    options: ReportOptions,
) -> PyResult<PyOutcome> {
    client.run(py, move |c| {
        let outcome = match collector.collect_blocking(&environment)? {
            Snapshot::Docker(s) => c.snapshot_docker(&s, &options)?,
            Snapshot::K8s(s) => c.snapshot_k8s(&s, &options)?,
            other => c.report_snapshot(&other, &options)?,
        };
        Ok(PyOutcome::from(&outcome.report))
    })
}

#[pymethods]
impl PyClient {
    /// `kosli snapshot docker`: reports the containers running on the Docker Engine at
    /// `docker_host` (else `$DOCKER_HOST`, else the default socket) to `environment`. With
    /// `auto_environment`, a missing environment is created first (type `docker`, with
    /// `environment_description`).
    #[pyo3(signature = (environment, *, docker_host = None, auto_environment = false,
        environment_description = None))]
    fn snapshot_docker(
        &self,
        py: Python<'_>,
        environment: String,
        docker_host: Option<String>,
        auto_environment: bool,
        environment_description: Option<String>,
    ) -> PyResult<PyOutcome> {
        collect_and_report(
            self,
            py,
            environment,
            Collector::Docker(docker_options(docker_host)),
            report_options(auto_environment, environment_description),
        )
    }

    /// `kosli snapshot k8s`: reports the pods running in the cluster of `kubeconfig` (else
    /// `~/.kube/config`, else in-cluster credentials) to `environment`: every namespace, or
    /// `namespaces` / `namespaces_regex`, or all but `exclude_namespaces` /
    /// `exclude_namespaces_regex`.
    #[pyo3(signature = (environment, *, kubeconfig = None, namespaces = Vec::new(),
        namespaces_regex = Vec::new(), exclude_namespaces = Vec::new(),
        exclude_namespaces_regex = Vec::new(), auto_environment = false,
        environment_description = None))]
    #[allow(clippy::too_many_arguments, reason = "Python keyword arguments")]
    fn snapshot_k8s(
        &self,
        py: Python<'_>,
        environment: String,
        kubeconfig: Option<PathBuf>,
        namespaces: Vec<String>,
        namespaces_regex: Vec<String>,
        exclude_namespaces: Vec<String>,
        exclude_namespaces_regex: Vec<String>,
        auto_environment: bool,
        environment_description: Option<String>,
    ) -> PyResult<PyOutcome> {
        let collector = Collector::K8s(K8sOptions {
            kubeconfig,
            selector: selector(
                namespaces,
                namespaces_regex,
                exclude_namespaces,
                exclude_namespaces_regex,
            ),
        });
        collect_and_report(
            self,
            py,
            environment,
            collector,
            report_options(auto_environment, environment_description),
        )
    }

    /// Reports a snapshot collected before (`kosli.collect_docker_snapshot`,
    /// `kosli.collect_k8s_snapshot`), as `snapshot_docker` / `snapshot_k8s` do.
    #[pyo3(signature = (snapshot, *, auto_environment = false,
        environment_description = None))]
    fn report_snapshot(
        &self,
        py: Python<'_>,
        snapshot: &Bound<'_, PyAny>,
        auto_environment: bool,
        environment_description: Option<String>,
    ) -> PyResult<PyOutcome> {
        let Ok(collected) = snapshot.cast::<PyCollectedSnapshot>() else {
            return Err(invalid(
                py,
                "snapshot",
                "snapshot must be a kosli.CollectedSnapshot".to_string(),
            ));
        };
        let snapshot = collected.get().0.clone();
        let options = report_options(auto_environment, environment_description);
        self.run(py, move |c| {
            c.report_snapshot(&snapshot, &options)
                .map(|o| PyOutcome::from(&o.report))
        })
    }
}
