//! Runtime snapshots: collect what runs in an environment, then report it to Kosli.
//!
//! Collectors ([`Collector`]): a Docker host ([`docker`]) and, with the `k8s` feature, a
//! Kubernetes cluster ([`k8s`]). Each returns a typed snapshot whose `request()` is the CLI's
//! report; [`Snapshot`] also holds the server snapshots of [`crate::ops::snapshots`], so one
//! [`Client::report_snapshot`] reports any of them (with `--auto-environment` as the CLI).
//!
//! ```no_run
//! # async fn demo(client: kosli_core::Client) -> kosli_core::Result<()> {
//! use kosli_core::snapshot::{Collector, ReportOptions};
//! use kosli_core::fingerprint::image::DockerOptions;
//! let collector = Collector::Docker(DockerOptions::default());
//! let snapshot = collector.collect("prod-docker").await?;
//! let outcome = client
//!     .report_snapshot(&snapshot, &ReportOptions::new().auto_environment(true))
//!     .await?;
//! tracing::info!(artifacts = snapshot.artifact_count(), ?outcome.report, "reported");
//! # Ok(())
//! # }
//! ```

pub mod docker;
#[cfg(feature = "k8s")]
pub mod k8s;

use serde::{Deserialize, Serialize};

use crate::client::{Client, Request};
use crate::error::{Error, Result};
use crate::fingerprint::image::DockerOptions;
use crate::ops::environments::{types, AutoEnvironment, CreateEnvironment, AUTO_DESCRIPTION};
use crate::ops::snapshots::{SnapshotOutcome, SnapshotServer};

pub use docker::DockerSnapshot;
#[cfg(feature = "k8s")]
pub use k8s::{K8sOptions, K8sSnapshot};

/// Where a snapshot is collected from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Collector {
    /// The containers running on a Docker host.
    Docker(DockerOptions),
    /// The pods running in a Kubernetes cluster.
    #[cfg(feature = "k8s")]
    K8s(K8sOptions),
}

impl Collector {
    /// The environment type its snapshots have (`docker`, `K8S`).
    pub fn env_type(&self) -> &'static str {
        match self {
            Collector::Docker(_) => types::DOCKER,
            #[cfg(feature = "k8s")]
            Collector::K8s(_) => types::K8S,
        }
    }

    /// Collects the current snapshot of `environment`.
    pub async fn collect(&self, environment: &str) -> Result<Snapshot> {
        match self {
            Collector::Docker(o) => Ok(Snapshot::Docker(
                DockerSnapshot::collect(environment, o).await?,
            )),
            #[cfg(feature = "k8s")]
            Collector::K8s(o) => {
                o.selector.check_flags()?;
                let cluster = k8s::K8sCluster::connect(o.kubeconfig.as_deref())?;
                Ok(Snapshot::K8s(
                    cluster.snapshot(environment, &o.selector).await?,
                ))
            }
        }
    }

    /// [`collect`](Self::collect) on the SDK's shared runtime (for the bindings).
    pub fn collect_blocking(&self, environment: &str) -> Result<Snapshot> {
        crate::fingerprint::image::block_on(self.collect(environment))
    }
}

/// A collected snapshot of one environment, ready to report.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Snapshot {
    /// Artifacts fingerprinted from a server's file system.
    Server(SnapshotServer),
    /// Containers on a Docker host.
    Docker(DockerSnapshot),
    /// Pods in a Kubernetes cluster.
    #[cfg(feature = "k8s")]
    K8s(K8sSnapshot),
}

impl Snapshot {
    /// The environment it is reported to.
    pub fn environment(&self) -> &str {
        match self {
            Snapshot::Server(s) => s.environment(),
            Snapshot::Docker(s) => &s.environment,
            #[cfg(feature = "k8s")]
            Snapshot::K8s(s) => &s.environment,
        }
    }

    /// Its environment type (`server`, `docker`, `K8S`).
    pub fn env_type(&self) -> &'static str {
        match self {
            Snapshot::Server(_) => types::SERVER,
            Snapshot::Docker(_) => types::DOCKER,
            #[cfg(feature = "k8s")]
            Snapshot::K8s(_) => types::K8S,
        }
    }

    /// How many artifacts (server artifacts, containers, pods) it reports.
    pub fn artifact_count(&self) -> usize {
        match self {
            Snapshot::Server(s) => s.artifacts().len(),
            Snapshot::Docker(s) => s.artifacts.len(),
            #[cfg(feature = "k8s")]
            Snapshot::K8s(s) => s.artifacts.len(),
        }
    }

    /// The report's request.
    pub fn request(&self) -> Result<Request> {
        match self {
            Snapshot::Server(s) => s.request(),
            Snapshot::Docker(s) => s.request(),
            #[cfg(feature = "k8s")]
            Snapshot::K8s(s) => s.request(),
        }
    }

    /// The snapshot as JSON (the typed value the bindings hand out; not the wire payload).
    pub fn to_json(&self) -> Result<serde_json::Value> {
        let v = match self {
            Snapshot::Server(s) => serde_json::json!({
                "environment": s.environment(),
                "artifacts": s.artifacts().iter().map(|a| serde_json::json!({
                    "name": a.name(), "fingerprint": a.fingerprint().to_string(),
                    "creation_timestamp": a.creation_timestamp()})).collect::<Vec<_>>(),
            }),
            Snapshot::Docker(s) => serde_json::to_value(s).map_err(json_error)?,
            #[cfg(feature = "k8s")]
            Snapshot::K8s(s) => serde_json::to_value(s).map_err(json_error)?,
        };
        Ok(serde_json::json!({ "type": self.env_type(), "snapshot": v }))
    }
}

fn json_error(e: serde_json::Error) -> Error {
    Error::parse(None, None, format!("snapshot as JSON: {e}"))
}

/// How a snapshot is reported: `--auto-environment` and `--environment-description`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportOptions {
    /// Create the environment first if it does not exist (and refuse one of another type).
    #[serde(default)]
    pub auto_environment: bool,
    /// The description of an environment created so (default: the CLI's).
    #[serde(default)]
    pub environment_description: Option<String>,
}

impl ReportOptions {
    /// No auto-environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// `--auto-environment`.
    pub fn auto_environment(mut self, on: bool) -> Self {
        self.auto_environment = on;
        self
    }

    /// `--environment-description`.
    pub fn environment_description(mut self, text: impl Into<String>) -> Self {
        self.environment_description = Some(text.into());
        self
    }
}

pub(crate) fn check_environment(name: &str) -> Result<()> {
    if name.is_empty() {
        return Err(Error::invalid_input(
            "environment",
            "the environment name must not be empty",
        ));
    }
    Ok(())
}

impl Client {
    /// Reports `snapshot` (any kind), first making sure of its environment when asked.
    pub async fn report_snapshot(
        &self,
        snapshot: &Snapshot,
        options: &ReportOptions,
    ) -> Result<SnapshotOutcome> {
        if let Snapshot::Server(s) = snapshot {
            if options.environment_description.is_none() {
                return self
                    .snapshot_server(&s.clone().auto_environment(options.auto_environment))
                    .await;
            }
        }
        let request = snapshot.request()?;
        let environment = self
            .prepare_environment(snapshot.environment(), snapshot.env_type(), options)
            .await?;
        let report = self.write(&request).await?;
        Ok(SnapshotOutcome {
            environment,
            report,
        })
    }

    /// Reports a Docker host's snapshot (`kosli snapshot docker`).
    pub async fn snapshot_docker(
        &self,
        snapshot: &DockerSnapshot,
        options: &ReportOptions,
    ) -> Result<SnapshotOutcome> {
        self.report_snapshot(&Snapshot::Docker(snapshot.clone()), options)
            .await
    }

    /// Reports a Kubernetes snapshot (`kosli snapshot k8s`).
    #[cfg(feature = "k8s")]
    pub async fn snapshot_k8s(
        &self,
        snapshot: &K8sSnapshot,
        options: &ReportOptions,
    ) -> Result<SnapshotOutcome> {
        self.report_snapshot(&Snapshot::K8s(snapshot.clone()), options)
            .await
    }

    /// `--auto-environment` alone, for callers that must make sure of the environment before
    /// they collect (the CLI does it first): with `options.auto_environment`, the environment
    /// `name` of type `env_type` is checked and created if missing (with the description
    /// given, else the CLI's); without it, nothing is asked (`None`). Reporting afterwards
    /// with [`ReportOptions::new`] does not ask again.
    pub async fn prepare_environment(
        &self,
        name: &str,
        env_type: &str,
        options: &ReportOptions,
    ) -> Result<Option<AutoEnvironment>> {
        if !options.auto_environment {
            return Ok(None);
        }
        check_environment(name)?;
        self.ensure_environment(name, env_type, options)
            .await
            .map(Some)
    }

    /// `--auto-environment` with the given description.
    async fn ensure_environment(
        &self,
        name: &str,
        env_type: &str,
        options: &ReportOptions,
    ) -> Result<AutoEnvironment> {
        let description = match &options.environment_description {
            None => return self.auto_environment(name, env_type).await,
            Some(d) => d,
        };
        if self.config().is_dry_run_for(self.config().primary()) {
            return Ok(AutoEnvironment::DryRun);
        }
        match self.get_environment(name).await {
            Ok(env) => {
                let actual = env.env_type.as_deref().unwrap_or_default();
                if env.is_logical() {
                    return Err(Error::invalid_input(
                        "environment",
                        format!("cannot report a snapshot to the logical environment {name}"),
                    ));
                }
                if !actual.eq_ignore_ascii_case(env_type) {
                    return Err(Error::invalid_input(
                        "environment",
                        format!("environment {name} already exists with type {actual}, which does not match the snapshot type {env_type}"),
                    ));
                }
                Ok(AutoEnvironment::Exists(Box::new(env)))
            }
            Err(Error::NotFound { .. }) => {
                let create = CreateEnvironment::new(name, env_type).description(description);
                match self.create_environment(&create).await {
                    Ok(outcome) => Ok(AutoEnvironment::Created(outcome)),
                    Err(e) => {
                        let message = format!("failed to auto-create environment {name}: {e}");
                        Err(crate::ops::environments::with_message(e, message))
                    }
                }
            }
            Err(e) => Err(e),
        }
    }
}

/// The description the CLI gives an environment it creates for a snapshot.
pub const DEFAULT_DESCRIPTION: &str = AUTO_DESCRIPTION;

impl crate::blocking::Client {
    /// See [`Client::report_snapshot`].
    pub fn report_snapshot(
        &self,
        snapshot: &Snapshot,
        options: &ReportOptions,
    ) -> Result<SnapshotOutcome> {
        self.run(|c| async move { c.report_snapshot(snapshot, options).await })
    }

    /// See [`Client::prepare_environment`].
    pub fn prepare_environment(
        &self,
        name: &str,
        env_type: &str,
        options: &ReportOptions,
    ) -> Result<Option<AutoEnvironment>> {
        self.run(|c| async move { c.prepare_environment(name, env_type, options).await })
    }

    /// See [`Client::snapshot_docker`].
    pub fn snapshot_docker(
        &self,
        snapshot: &DockerSnapshot,
        options: &ReportOptions,
    ) -> Result<SnapshotOutcome> {
        self.run(|c| async move { c.snapshot_docker(snapshot, options).await })
    }

    /// See [`Client::snapshot_k8s`].
    #[cfg(feature = "k8s")]
    pub fn snapshot_k8s(
        &self,
        snapshot: &K8sSnapshot,
        options: &ReportOptions,
    ) -> Result<SnapshotOutcome> {
        self.run(|c| async move { c.snapshot_k8s(snapshot, options).await })
    }
}
