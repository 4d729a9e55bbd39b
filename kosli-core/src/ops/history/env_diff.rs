//! `kosli diff snapshots A B`: the server's comparison of two snapshots.

use serde::{Deserialize, Serialize};

use super::nullable::or_default;
use crate::client::Request;
use crate::drift::{self, Drift, RunningArtifact};
use crate::error::{Error, Result};
use crate::operations;

/// The request: both snappishes sent as given, in the query.
pub(super) fn request(first: &str, second: &str) -> Result<Request> {
    for (what, s) in [("snappish1", first), ("snappish2", second)] {
        if s.is_empty() {
            return Err(Error::invalid_input(
                what,
                format!("{what} must not be empty"),
            ));
        }
    }
    Ok(Request::new(&operations::DIFF_SNAPSHOTS)
        .query("snappish1", first)
        .query("snappish2", second))
}

/// The server's diff: what only the first has, what only the second has, what scaled, and
/// (with the CLI's `--show-unchanged`) what did not change.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct SnapshotDiff {
    /// Only in the first snapshot.
    #[serde(default)]
    pub snappish1: DiffSide,
    /// Only in the second snapshot.
    #[serde(default)]
    pub snappish2: DiffSide,
    /// In both, with another number of instances.
    #[serde(default)]
    pub changed: DiffSide,
    /// In both, unchanged.
    #[serde(rename = "not-changed", default)]
    pub not_changed: DiffSide,
}

/// One part of the diff.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct DiffSide {
    /// The snapshot the part is about (`prod-k8s#7`; empty for `changed`/`not-changed`).
    #[serde(default, deserialize_with = "or_default")]
    pub snapshot_id: String,
    /// Its artifacts.
    #[serde(default, deserialize_with = "or_default")]
    pub artifacts: Vec<DiffArtifact>,
}

/// One artifact of the diff.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct DiffArtifact {
    /// Its fingerprint.
    #[serde(default, deserialize_with = "or_default")]
    pub fingerprint: String,
    /// Its name.
    #[serde(default, deserialize_with = "or_default")]
    pub name: String,
    /// Its flow, if Kosli knows it.
    #[serde(default)]
    pub flow: Option<String>,
    /// Its commit's page.
    #[serde(default)]
    pub commit_url: Option<String>,
    /// When its newest instance started (Unix seconds).
    #[serde(default)]
    pub most_recent_timestamp: Option<f64>,
    /// How many instances run.
    #[serde(default)]
    pub instance_count: u64,
    /// Its pods.
    #[serde(default, deserialize_with = "or_default")]
    pub pods: Vec<String>,
    /// For `changed`: the instances in the first snapshot.
    #[serde(default)]
    pub s1_instance_count: Option<u64>,
    /// For `changed`: the instances in the second snapshot.
    #[serde(default)]
    pub s2_instance_count: Option<u64>,
}

impl SnapshotDiff {
    /// The server's diff as local [`Drift`] from the first snapshot to the second: an
    /// artifact only in the second was added, only in the first removed (one name with
    /// another fingerprint on each side is a change), `changed` scaled.
    pub fn drift(&self) -> Drift {
        let running = |a: &DiffArtifact, n: u64| RunningArtifact::new(&a.name, &a.fingerprint, n);
        let mut before: Vec<RunningArtifact> = Vec::new();
        let mut after: Vec<RunningArtifact> = Vec::new();
        before.extend(
            self.snappish1
                .artifacts
                .iter()
                .map(|a| running(a, a.instance_count)),
        );
        after.extend(
            self.snappish2
                .artifacts
                .iter()
                .map(|a| running(a, a.instance_count)),
        );
        for a in &self.changed.artifacts {
            before.push(running(a, a.s1_instance_count.unwrap_or(a.instance_count)));
            after.push(running(a, a.s2_instance_count.unwrap_or(a.instance_count)));
        }
        for a in &self.not_changed.artifacts {
            before.push(running(a, a.instance_count));
            after.push(running(a, a.instance_count));
        }
        drift::diff(&before, &after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drift::DriftEvent;

    #[test]
    fn the_request_escapes_the_snappishes_as_the_cli() {
        // Captures diff_snapshots_json; observed prod-k8s#7 and @{...}.
        let r = request("prod-k8s~1", "prod-k8s").unwrap();
        assert_eq!(r.render_path(Some("acme")).unwrap(), "api/v2/env-diff/acme");
        assert_eq!(r.render_query(), "snappish1=prod-k8s~1&snappish2=prod-k8s");
        let r = request("prod-k8s#7", "prod-k8s@{2024-06-10T12:00:00}").unwrap();
        assert_eq!(
            r.render_query(),
            "snappish1=prod-k8s%237&snappish2=prod-k8s%40%7B2024-06-10T12%3A00%3A00%7D"
        );
        assert!(request("", "x").is_err());
    }

    #[test]
    fn the_servers_diff_becomes_drift() {
        let d: SnapshotDiff = serde_json::from_str(
            r#"{"snappish1": {"snapshot_id": "p#7", "artifacts": [{"fingerprint": "aa", "name": "nginx", "instance_count": 1}, {"fingerprint": "f1", "name": "api", "instance_count": 1}]},
                "snappish2": {"snapshot_id": "p#8", "artifacts": [{"fingerprint": "f2", "name": "api", "instance_count": 2}]},
                "changed": {"snapshot_id": "", "artifacts": [{"fingerprint": "dd", "name": "worker", "instance_count": 1, "s1_instance_count": 1, "s2_instance_count": 3}]},
                "not-changed": {"snapshot_id": "", "artifacts": [{"fingerprint": "ee", "name": "dns", "instance_count": 1, "pods": null}]}}"#,
        )
        .unwrap();
        let drift = d.drift();
        assert_eq!(
            drift.events(),
            [
                DriftEvent::Changed {
                    name: "api".into(),
                    from_fingerprint: "f1".into(),
                    to_fingerprint: "f2".into(),
                    from_instances: 1,
                    to_instances: 2
                },
                DriftEvent::Removed {
                    artifact: RunningArtifact::new("nginx", "aa", 1)
                },
                DriftEvent::Scaled {
                    name: "worker".into(),
                    fingerprint: "dd".into(),
                    from_instances: 1,
                    to_instances: 3
                },
            ]
        );
        assert_eq!(drift.unchanged, [RunningArtifact::new("dns", "ee", 1)]);
    }
}
