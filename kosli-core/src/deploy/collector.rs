//! The [`Collector`] trait: what takes a snapshot of an environment.

use std::fmt;

use crate::client::clock::BoxFuture;
use crate::client::Request;
use crate::drift::RunningArtifact;
use crate::error::Result;

/// Takes snapshots of environments of one kind (servers, Docker hosts, Kubernetes
/// namespaces, ...). Used by the deployment guard and the snapshot loop, from any thread.
///
/// To implement it (a docker or k8s collector, or your own):
/// * [`env_type`](Collector::env_type) names the environment type its reports are for, as
///   Kosli spells it (`server`, `docker`, `K8S`); it is used to create a missing environment
///   when asked to, and in messages.
/// * [`collect`](Collector::collect) looks at what runs in `environment` now and returns a
///   [`Collected`]: the running artifacts (name, fingerprint, instances) for the guard's check
///   and for drift, and the snapshot report exactly as the existing snapshot operation builds
///   it (for example `SnapshotServer::request()`). It must not send anything: the caller
///   reports the collected snapshot with [`crate::Client::write`] (so dry-run and the journal
///   apply). A collection that fails is an error naming what could not be read; blocking work
///   (hashing files) belongs on a blocking thread (`tokio::task::spawn_blocking`).
///
/// ```
/// use kosli_core::deploy::{BoxFuture, Collected, Collector};
/// use kosli_core::drift::RunningArtifact;
/// use kosli_core::ops::snapshots::{ServerArtifact, SnapshotServer};
/// use kosli_core::Fingerprint;
///
/// /// Says that one artifact runs, whatever is there (for a test).
/// #[derive(Debug)]
/// struct Fixed(Fingerprint);
///
/// impl Collector for Fixed {
///     fn env_type(&self) -> &str {
///         "server"
///     }
///     fn collect<'a>(&'a self, environment: &'a str) -> BoxFuture<'a, kosli_core::Result<Collected>> {
///         Box::pin(async move {
///             let report = SnapshotServer::new(environment)
///                 .artifact(ServerArtifact::new("app", self.0, 0))
///                 .request()?;
///             Ok(Collected::new(environment, vec![RunningArtifact::new("app", self.0, 1)], report))
///         })
///     }
/// }
/// ```
pub trait Collector: Send + Sync + fmt::Debug {
    /// The environment type its reports are for (`server`, `docker`, `K8S`).
    fn env_type(&self) -> &str;

    /// What runs in `environment` now, and the report that says so (not sent).
    fn collect<'a>(&'a self, environment: &'a str) -> BoxFuture<'a, Result<Collected>>;
}

/// One collected snapshot: what runs, and the report to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Collected {
    environment: String,
    running: Vec<RunningArtifact>,
    report: Request,
}

impl Collected {
    /// What runs in `environment`, and the snapshot report built by the snapshot operation.
    pub fn new(
        environment: impl Into<String>,
        running: Vec<RunningArtifact>,
        report: Request,
    ) -> Self {
        Collected {
            environment: environment.into(),
            running,
            report,
        }
    }

    /// The environment.
    pub fn environment(&self) -> &str {
        &self.environment
    }

    /// What runs there.
    pub fn running(&self) -> &[RunningArtifact] {
        &self.running
    }

    /// The snapshot report.
    pub fn report(&self) -> &Request {
        &self.report
    }
}
