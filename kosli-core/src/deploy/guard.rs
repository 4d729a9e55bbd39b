//! The deployment guard: deploy, then (only on success) snapshot and verify.

use std::fmt;
use std::future::Future;

use super::collector::{Collected, Collector};
use super::reference::check_reference;
use crate::artifact::ArtifactRef;
use crate::client::{Client, Outcome};
use crate::drift::RunningArtifact;
use crate::error::{Error, Result};

/// What to do when the snapshot taken after a deployment does not show the artifact running.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mismatch {
    /// Return [`DeployError::NotRunning`] (the default).
    #[default]
    Fail,
    /// Log a warning (`tracing`) and return the report, whose
    /// [`verification`](DeployReport::verification) says so.
    Warn,
}

/// A deployment of one artifact to one environment, checked before and after the step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployment {
    environment: String,
    artifact: ArtifactRef,
    on_mismatch: Mismatch,
    auto_environment: bool,
    environment_description: Option<String>,
}

impl Deployment {
    /// A deployment of `artifact` (the reference attested at build time) to `environment`.
    /// A mutable reference (`:latest`, an untagged image) not pinned by digest is refused
    /// here, before anything is deployed (see [`check_reference`]).
    pub fn new(environment: impl Into<String>, artifact: &ArtifactRef) -> Result<Self> {
        let environment = environment.into();
        if environment.is_empty() {
            return Err(Error::invalid_input(
                "environment",
                "the environment name must not be empty",
            ));
        }
        check_reference(artifact)?;
        Ok(Deployment {
            environment,
            artifact: artifact.clone(),
            on_mismatch: Mismatch::Fail,
            auto_environment: false,
            environment_description: None,
        })
    }

    /// What to do when the artifact is not found running after the deployment.
    pub fn on_mismatch(mut self, mismatch: Mismatch) -> Self {
        self.on_mismatch = mismatch;
        self
    }

    /// Creates the environment (of the collector's type) if it does not exist, as the CLI's
    /// `--auto-environment` does.
    pub fn auto_environment(mut self, on: bool) -> Self {
        self.auto_environment = on;
        self
    }

    /// The description of an environment created by [`auto_environment`](Self::auto_environment)
    /// (default: the CLI's), as `--environment-description`.
    pub fn environment_description(mut self, text: impl Into<String>) -> Self {
        self.environment_description = Some(text.into());
        self
    }

    /// The environment.
    pub fn environment(&self) -> &str {
        &self.environment
    }

    /// The artifact.
    pub fn artifact(&self) -> &ArtifactRef {
        &self.artifact
    }
}

/// Whether the artifact was found running after the deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verification {
    /// It runs, under its own name.
    Running {
        /// How many instances.
        instances: u64,
    },
    /// Its fingerprint runs, but under other names than the one reported (the seed's first
    /// pitfall): worth a warning, not a failure.
    RunningAs {
        /// The names it runs under.
        names: Vec<String>,
        /// How many instances.
        instances: u64,
    },
    /// Its fingerprint is not among what runs.
    NotRunning,
}

impl Verification {
    /// Checks `artifact` against what a snapshot found running.
    pub fn of(artifact: &ArtifactRef, running: &[RunningArtifact]) -> Verification {
        let fp = artifact.fingerprint().to_string();
        let same: Vec<&RunningArtifact> = running.iter().filter(|r| r.fingerprint == fp).collect();
        let instances = same.iter().map(|r| r.instances).sum();
        if same.is_empty() {
            Verification::NotRunning
        } else if same.iter().any(|r| r.name == artifact.name()) {
            Verification::Running { instances }
        } else {
            let mut names: Vec<String> = same.iter().map(|r| r.name.clone()).collect();
            names.sort();
            names.dedup();
            Verification::RunningAs { names, instances }
        }
    }
}

impl fmt::Display for Verification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verification::Running { instances } => {
                write!(f, "the artifact runs ({instances} instance(s))")
            }
            Verification::RunningAs { names, instances } => write!(
                f,
                "the artifact runs ({instances} instance(s)) but under another name: {}",
                names.join(", ")
            ),
            Verification::NotRunning => f.write_str("the artifact is not running"),
        }
    }
}

/// What a guarded deployment did after the step succeeded.
#[derive(Debug)]
#[non_exhaustive]
pub struct DeployReport {
    /// The environment.
    pub environment: String,
    /// The artifact deployed.
    pub artifact: ArtifactRef,
    /// What the snapshot found running.
    pub running: Vec<RunningArtifact>,
    /// The snapshot report's outcome (sent, queued in the journal, or dry-run).
    pub outcome: Outcome,
    /// Whether the artifact was found running.
    pub verification: Verification,
}

impl DeployReport {
    /// The error that a deployment whose artifact does not run is (`PolicyDenied`).
    pub fn not_running_error(&self) -> Error {
        let running: Vec<String> = self
            .running
            .iter()
            .map(|r| format!("{} (sha256:{})", r.name, r.fingerprint))
            .collect();
        let found = if running.is_empty() {
            "nothing".to_string()
        } else {
            running.join(", ")
        };
        Error::PolicyDenied {
            message: format!(
                "the deployed artifact {} (sha256:{}) is not running in {} after the deployment; the snapshot found {found}",
                self.artifact.name(),
                self.artifact.fingerprint(),
                self.environment
            ),
            reasons: vec![format!(
                "sha256:{} is not among the {} artifact(s) running in {}",
                self.artifact.fingerprint(),
                self.running.len(),
                self.environment
            )],
        }
    }
}

/// Why a guarded deployment did not complete.
#[derive(Debug)]
#[non_exhaustive]
pub enum DeployError<E> {
    /// The deploy step failed: nothing was reported; its own error.
    Step(E),
    /// The step succeeded but the snapshot could not be taken or reported.
    Snapshot(Error),
    /// The step succeeded and the snapshot was reported, but the artifact is not running
    /// there (with [`Mismatch::Fail`]).
    NotRunning(Box<DeployReport>),
}

impl<E> DeployError<E> {
    /// The SDK's error for everything but the step's own failure, which is given back.
    pub fn into_error(self) -> std::result::Result<Error, E> {
        match self {
            DeployError::Step(e) => Err(e),
            DeployError::Snapshot(e) => Ok(e),
            DeployError::NotRunning(report) => Ok(report.not_running_error()),
        }
    }
}

impl<E: fmt::Display> fmt::Display for DeployError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeployError::Step(e) => write!(f, "the deploy step failed (nothing was reported): {e}"),
            DeployError::Snapshot(e) => {
                write!(f, "the deployment succeeded but its snapshot failed: {e}")
            }
            DeployError::NotRunning(r) => write!(f, "{}", r.not_running_error()),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for DeployError<E> {}

impl Client {
    /// Takes a snapshot of `environment` with `collector` and reports it (a write: dry-run and
    /// the journal apply). Returns what was collected and the report's outcome.
    pub async fn snapshot_with(
        &self,
        environment: &str,
        collector: &dyn Collector,
    ) -> Result<(Collected, Outcome)> {
        let collected = collector.collect(environment).await?;
        let outcome = self.write(collected.report()).await?;
        Ok((collected, outcome))
    }

    /// A guarded deployment with an async step: runs `step`; only if it succeeds, snapshots
    /// the environment with `collector` and checks that the artifact runs. See
    /// [`crate::blocking::Client::deploy`] for a synchronous step.
    pub async fn deploy<E, F>(
        &self,
        deployment: &Deployment,
        collector: &dyn Collector,
        step: F,
    ) -> std::result::Result<DeployReport, DeployError<E>>
    where
        F: Future<Output = std::result::Result<(), E>>,
    {
        // The reference was checked when the deployment was built (its only constructor).
        step.await.map_err(DeployError::Step)?;
        self.after_deploy(deployment, collector).await
    }

    /// The guard's part after a successful step: snapshot, report, verify.
    pub async fn after_deploy<E>(
        &self,
        deployment: &Deployment,
        collector: &dyn Collector,
    ) -> std::result::Result<DeployReport, DeployError<E>> {
        let env = deployment.environment.as_str();
        if deployment.auto_environment {
            let mut options = crate::snapshot::ReportOptions::new().auto_environment(true);
            if let Some(d) = &deployment.environment_description {
                options = options.environment_description(d.clone());
            }
            self.prepare_environment(env, collector.env_type(), &options)
                .await
                .map_err(DeployError::Snapshot)?;
        }
        let (collected, outcome) = self
            .snapshot_with(env, collector)
            .await
            .map_err(DeployError::Snapshot)?;
        let verification = Verification::of(&deployment.artifact, collected.running());
        let report = DeployReport {
            environment: env.to_string(),
            artifact: deployment.artifact.clone(),
            running: collected.running().to_vec(),
            outcome,
            verification,
        };
        match &report.verification {
            Verification::Running { .. } => Ok(report),
            Verification::RunningAs { names, .. } => {
                tracing::warn!(
                    "{} runs in {env} as {} (the name reported differs from the name deployed)",
                    deployment.artifact.name(),
                    names.join(", ")
                );
                Ok(report)
            }
            Verification::NotRunning => match deployment.on_mismatch {
                Mismatch::Fail => Err(DeployError::NotRunning(Box::new(report))),
                Mismatch::Warn => {
                    tracing::warn!("{}", report.not_running_error());
                    Ok(report)
                }
            },
        }
    }
}

impl crate::blocking::Client {
    /// A guarded deployment: runs `step` synchronously on this thread (as long as it needs);
    /// a failure returns [`DeployError::Step`] with its error and reports nothing. Only after
    /// it succeeded, snapshots the environment with `collector`, reports the snapshot, and
    /// checks that the deployment's artifact is among what runs.
    pub fn deploy<E>(
        &self,
        deployment: &Deployment,
        collector: &dyn Collector,
        step: impl FnOnce() -> std::result::Result<(), E>,
    ) -> std::result::Result<DeployReport, DeployError<E>> {
        step().map_err(DeployError::Step)?;
        match self.run(|c| async move { Ok(c.after_deploy::<E>(deployment, collector).await) }) {
            Ok(result) => result,
            Err(e) => Err(DeployError::Snapshot(e)),
        }
    }

    /// See [`Client::snapshot_with`].
    pub fn snapshot_with(
        &self,
        environment: &str,
        collector: &dyn Collector,
    ) -> Result<(Collected, Outcome)> {
        self.run(|c| async move { c.snapshot_with(environment, collector).await })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ArtifactType, Fingerprint};

    #[test]
    fn verification_by_fingerprint_then_name() {
        let fp = Fingerprint::of_bytes(b"app");
        let a = ArtifactRef::new("app:1.0", fp, ArtifactType::Docker).unwrap();
        let r = |n: &str, f: &str, i| RunningArtifact::new(n, f, i);
        let fps = fp.to_string();
        assert_eq!(
            Verification::of(&a, &[r("app:1.0", &fps, 2), r("x", "1", 1)]),
            Verification::Running { instances: 2 }
        );
        assert_eq!(
            Verification::of(&a, &[r("app:latest", &fps, 1)]),
            Verification::RunningAs {
                names: vec!["app:latest".into()],
                instances: 1
            }
        );
        assert_eq!(
            Verification::of(&a, &[r("app:1.0", "other", 1)]),
            Verification::NotRunning
        );
        assert_eq!(Verification::of(&a, &[]), Verification::NotRunning);
    }

    #[test]
    fn deployments_refuse_mutable_references_and_empty_environments() {
        let fp = Fingerprint::of_bytes(b"app");
        let latest = ArtifactRef::new("app:latest", fp, ArtifactType::Docker).unwrap();
        let e = Deployment::new("prod", &latest).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidInput);
        let ok = ArtifactRef::new("app:1.0", fp, ArtifactType::Docker).unwrap();
        assert!(Deployment::new("", &ok).is_err());
        let d = Deployment::new("prod", &ok).unwrap();
        assert_eq!((d.environment(), d.artifact()), ("prod", &ok));
    }
}
