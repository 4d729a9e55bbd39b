//! `kosli get snapshot` and `kosli list snapshots`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::nullable::or_default;
use crate::client::Request;
use crate::drift::RunningArtifact;
use crate::error::Result;
use crate::operations;

/// One snapshot of an environment: what ran there from `timestamp` on.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Snapshot {
    /// Its number in the environment (from 1).
    #[serde(default)]
    pub index: u64,
    /// When it was reported (Unix seconds).
    #[serde(default)]
    pub timestamp: f64,
    /// The environment type it was reported as (`K8S`, `server`, ...); empty when nothing
    /// was ever reported.
    #[serde(rename = "type", default, deserialize_with = "or_default")]
    pub env_type: String,
    /// Who reported it.
    #[serde(default)]
    pub user_id: Option<String>,
    /// Their name.
    #[serde(default)]
    pub user_name: Option<String>,
    /// Whether everything running was compliant.
    #[serde(default)]
    pub compliant: Option<bool>,
    /// Its page in Kosli's web app.
    #[serde(default)]
    pub html_url: Option<String>,
    /// The artifacts it records, those that stopped running included (see
    /// [`SnapshotArtifact::is_running`]).
    #[serde(default, deserialize_with = "or_default")]
    pub artifacts: Vec<SnapshotArtifact>,
}

impl Snapshot {
    /// The artifacts still running (the CLI hides the others).
    pub fn running_artifacts(&self) -> impl Iterator<Item = &SnapshotArtifact> {
        self.artifacts.iter().filter(|a| a.is_running())
    }

    /// What ran, as [`crate::drift`] compares it.
    pub fn running(&self) -> Vec<RunningArtifact> {
        self.running_artifacts()
            .map(|a| RunningArtifact::new(&a.name, &a.fingerprint, a.instances()))
            .collect()
    }
}

/// One artifact of a snapshot.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct SnapshotArtifact {
    /// Its name (an image, a path, ...).
    #[serde(default)]
    pub name: String,
    /// Its fingerprint.
    #[serde(default, deserialize_with = "or_default")]
    pub fingerprint: String,
    /// The flow it was reported to, if Kosli knows it.
    #[serde(default)]
    pub flow_name: Option<String>,
    /// Whether it is compliant.
    #[serde(default)]
    pub compliant: Option<bool>,
    /// The deployments that put it there.
    #[serde(default, deserialize_with = "or_default")]
    pub deployments: Vec<Value>,
    /// Its commit, if Kosli knows it.
    #[serde(default)]
    pub git_commit: Option<String>,
    /// Its commit's page.
    #[serde(default)]
    pub commit_url: Option<String>,
    /// When each instance started (Unix seconds): one entry per replica.
    #[serde(rename = "creationTimestamp", default, deserialize_with = "or_default")]
    pub creation_timestamps: Vec<f64>,
    /// Where its instances run (Kubernetes pods), by name.
    #[serde(default, deserialize_with = "or_default")]
    pub pods: BTreeMap<String, Value>,
    /// How it changed since the previous snapshot.
    #[serde(default)]
    pub annotation: Option<Annotation>,
}

impl SnapshotArtifact {
    /// Whether it still runs (an artifact that stopped is listed with `annotation.now` 0).
    pub fn is_running(&self) -> bool {
        self.annotation.as_ref().is_none_or(|a| a.now != 0)
    }

    /// How many instances run: the annotation's count, else one per start time.
    pub fn instances(&self) -> u64 {
        match &self.annotation {
            Some(a) => a.now,
            None => self.creation_timestamps.len() as u64,
        }
    }
}

/// How an artifact changed since the previous snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Annotation {
    /// `started`, `exited`, `scaled`, `unchanged`.
    #[serde(rename = "type", default, deserialize_with = "or_default")]
    pub change: String,
    /// Instances before.
    #[serde(default)]
    pub was: u64,
    /// Instances now.
    #[serde(default)]
    pub now: u64,
}

/// One snapshot of `list snapshots`: its number and how long it lasted.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct SnapshotSummary {
    /// Its number.
    #[serde(default)]
    pub index: u64,
    /// When it began (Unix seconds).
    #[serde(default)]
    pub from: f64,
    /// When the next one replaced it (0: it still describes what runs).
    #[serde(default)]
    pub to: f64,
    /// How long it lasted, or has lasted so far (seconds).
    #[serde(default)]
    pub duration: f64,
    /// Whether everything running was compliant.
    #[serde(default)]
    pub compliant: Option<bool>,
}

/// `kosli list snapshots ENV`: a page of an environment's snapshots. The CLI always sends
/// `interval` (empty by default), the page (1), its size (15) and `reverse` (false).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListSnapshots {
    environment: String,
    interval: String,
    page: u64,
    per_page: u64,
    reverse: bool,
}

impl ListSnapshots {
    /// The CLI's page size.
    pub const DEFAULT_PER_PAGE: u64 = 15;

    /// The first page of `environment`'s snapshots, newest first.
    pub fn new(environment: impl Into<String>) -> Self {
        ListSnapshots {
            environment: environment.into(),
            interval: String::new(),
            page: 1,
            per_page: Self::DEFAULT_PER_PAGE,
            reverse: false,
        }
    }

    /// Only the snapshots of an interval expression (`3..5`, `~5..NOW`, ...).
    pub fn interval(mut self, expression: impl Into<String>) -> Self {
        self.interval = expression.into();
        self
    }

    /// Page `page` (from 1).
    pub fn page(mut self, page: u64) -> Self {
        self.page = page;
        self
    }

    /// Pages of `per_page` snapshots.
    pub fn per_page(mut self, per_page: u64) -> Self {
        self.per_page = per_page;
        self
    }

    /// Oldest first.
    pub fn reverse(mut self, reverse: bool) -> Self {
        self.reverse = reverse;
        self
    }

    /// The request the CLI would send; a page number or size of 0 is refused, in its words.
    pub fn request(&self) -> Result<Request> {
        super::check_page(self.page, self.per_page)?;
        Ok(Request::new(&operations::LIST_SNAPSHOTS)
            .param("env", &self.environment)
            .query("interval", &self.interval)
            .query("page", self.page.to_string())
            .query("per_page", self.per_page.to_string())
            .query("reverse", self.reverse.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_queries_match_the_cli() {
        // Capture list_snapshots_interval; observed defaults and paged/reverse.
        let r = ListSnapshots::new("prod-k8s")
            .interval("3..5")
            .request()
            .unwrap();
        assert_eq!(
            r.render_path(Some("acme")).unwrap(),
            "api/v2/snapshots/acme/prod-k8s"
        );
        assert_eq!(
            r.render_query(),
            "interval=3..5&page=1&per_page=15&reverse=false"
        );
        let q = ListSnapshots::new("p")
            .page(2)
            .per_page(5)
            .reverse(true)
            .request()
            .unwrap();
        assert_eq!(q.render_query(), "interval=&page=2&per_page=5&reverse=true");
        assert!(ListSnapshots::new("p").page(0).request().is_err());
    }

    #[test]
    fn stopped_artifacts_are_not_running() {
        let s: Snapshot = serde_json::from_str(
            r#"{"index": 7, "timestamp": 1718000000.0, "type": "K8S", "compliant": false, "artifacts": [
                {"name": "nginx:1.25", "fingerprint": "aa", "creationTimestamp": [1, 2], "pods": {"web-1": {}}, "annotation": {"type": "started", "was": 0, "now": 2}},
                {"name": "myapp:dev", "fingerprint": "bb", "creationTimestamp": [3], "pods": null, "annotation": {"type": "exited", "was": 1, "now": 0}},
                {"name": "x", "fingerprint": "cc", "creationTimestamp": [4]}]}"#,
        )
        .unwrap();
        let running = s.running();
        assert_eq!(
            running,
            [
                RunningArtifact::new("nginx:1.25", "aa", 2),
                RunningArtifact::new("x", "cc", 1)
            ]
        );
        let empty: Snapshot =
            serde_json::from_str(r#"{"index": 1, "type": null, "artifacts": null}"#).unwrap();
        assert!(empty.env_type.is_empty() && empty.artifacts.is_empty());
    }
}
