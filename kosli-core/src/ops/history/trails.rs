//! `kosli get trail` and `kosli list trails`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::nullable::or_default;
use crate::client::Request;
use crate::error::Result;
use crate::operations;
use crate::ops::flows::Pagination;

/// `kosli get trail`'s request.
pub fn get_trail_request(flow: &str, trail: &str) -> Request {
    Request::new(&operations::GET_TRAIL)
        .param("flow", flow)
        .param("trail", trail)
}

/// A trail as `get trail` returns it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Trail {
    /// The trail's name.
    pub name: String,
    /// Its flow.
    #[serde(default)]
    pub flow: Option<String>,
    /// Its description.
    #[serde(default)]
    pub description: Option<String>,
    /// `COMPLIANT`, `NON-COMPLIANT`, ...
    #[serde(default)]
    pub compliance_state: Option<String>,
    /// Whether it is compliant.
    #[serde(default)]
    pub is_compliant: Option<bool>,
    /// Its attestations' statuses, trail-level and per artifact.
    #[serde(default)]
    pub compliance_status: Option<TrailComplianceStatus>,
    /// The commit it was begun for.
    #[serde(default)]
    pub git_commit_info: Option<TrailCommit>,
    /// Where it was begun from (the CI build).
    #[serde(default)]
    pub origin_url: Option<String>,
    /// Free-form data given when it was begun.
    #[serde(default)]
    pub user_data: Option<Value>,
    /// When it was begun (Unix seconds).
    #[serde(default)]
    pub created_at: Option<f64>,
    /// When it last changed (Unix seconds).
    #[serde(default)]
    pub last_modified_at: Option<f64>,
    /// Its page in Kosli's web app.
    #[serde(default)]
    pub html_url: Option<String>,
    /// What happened to it, oldest first (`None` when the server sends none).
    #[serde(default)]
    pub events: Option<Vec<TrailEvent>>,
}

/// The compliance of a trail: its own attestations, and each artifact's.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct TrailComplianceStatus {
    /// `COMPLIANT`, `NON-COMPLIANT`, ...
    #[serde(default)]
    pub status: Option<String>,
    /// Whether the trail is compliant.
    #[serde(default)]
    pub is_compliant: Option<bool>,
    /// Trail-level attestations.
    #[serde(default, deserialize_with = "or_default")]
    pub attestations_statuses: Vec<AttestationStatus>,
    /// Per artifact (by its template name).
    #[serde(default, deserialize_with = "or_default")]
    pub artifacts_statuses: BTreeMap<String, ArtifactStatus>,
}

/// One artifact's compliance on a trail.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ArtifactStatus {
    /// `COMPLIANT`, `NON-COMPLIANT`, ...
    #[serde(default)]
    pub status: Option<String>,
    /// Its attestations.
    #[serde(default, deserialize_with = "or_default")]
    pub attestations_statuses: Vec<AttestationStatus>,
}

/// One attestation's status (expected by the template, or not).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct AttestationStatus {
    /// Its name.
    #[serde(default)]
    pub attestation_name: String,
    /// Its id, once reported.
    #[serde(default)]
    pub attestation_id: Option<String>,
    /// Its type (`junit`, `snyk`, ...).
    #[serde(default)]
    pub attestation_type: Option<String>,
    /// `COMPLETE`, `MISSING`, ...
    #[serde(default)]
    pub status: Option<String>,
    /// Whether it is compliant.
    #[serde(default)]
    pub is_compliant: Option<bool>,
    /// Whether the template did not expect it.
    #[serde(default)]
    pub unexpected: Option<bool>,
}

/// The commit a trail was begun for.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct TrailCommit {
    /// The commit's SHA-1.
    #[serde(default)]
    pub sha1: String,
    /// Its message.
    #[serde(default)]
    pub message: String,
    /// Its author (`Name <email>`).
    #[serde(default)]
    pub author: String,
    /// Its branch.
    #[serde(default)]
    pub branch: Option<String>,
    /// When it was made (Unix seconds).
    #[serde(default)]
    pub timestamp: Option<f64>,
    /// Its page in the repository's web UI.
    #[serde(default)]
    pub url: Option<String>,
}

/// One event of a trail (`trail_started`, an attestation, ...): its type and time, and
/// whatever else the server sent.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct TrailEvent {
    /// What happened.
    #[serde(rename = "type", default)]
    pub event_type: Option<String>,
    /// When (Unix seconds).
    #[serde(default)]
    pub timestamp: Option<f64>,
    /// The other fields.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// `kosli list trails`: a page of the org's trails, optionally of one flow, of the trails
/// holding an artifact (by fingerprint), or of the flows with a tag. The CLI always sends the
/// page (default 1) and its size (default 20).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListTrails {
    flow: Option<String>,
    fingerprint: Option<String>,
    flow_tag: Option<String>,
    page: u64,
    per_page: u64,
}

impl Default for ListTrails {
    fn default() -> Self {
        ListTrails {
            flow: None,
            fingerprint: None,
            flow_tag: None,
            page: 1,
            per_page: ListTrails::DEFAULT_PER_PAGE,
        }
    }
}

impl ListTrails {
    /// The CLI's page size.
    pub const DEFAULT_PER_PAGE: u64 = 20;

    /// The first page of every trail of the org.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only the trails of `flow`.
    pub fn flow(mut self, flow: impl Into<String>) -> Self {
        self.flow = Some(flow.into());
        self
    }

    /// Only the trails holding the artifact with this fingerprint.
    pub fn fingerprint(mut self, fingerprint: impl Into<String>) -> Self {
        self.fingerprint = Some(fingerprint.into());
        self
    }

    /// Only the trails of flows with this `key=value` tag.
    pub fn flow_tag(mut self, tag: impl Into<String>) -> Self {
        self.flow_tag = Some(tag.into());
        self
    }

    /// Page `page` (from 1).
    pub fn page(mut self, page: u64) -> Self {
        self.page = page;
        self
    }

    /// Pages of `per_page` trails.
    pub fn per_page(mut self, per_page: u64) -> Self {
        self.per_page = per_page;
        self
    }

    /// The page asked for.
    pub fn page_number(&self) -> u64 {
        self.page
    }

    /// The request the CLI would send; a page number or size of 0 is refused, in its words.
    pub fn request(&self) -> Result<Request> {
        super::check_page(self.page, self.per_page)?;
        let mut r = Request::new(&operations::LIST_TRAILS);
        for (key, value) in [
            ("flow", &self.flow),
            ("fingerprint", &self.fingerprint),
            ("flow_tag", &self.flow_tag),
        ] {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                r = r.query(key, v);
            }
        }
        Ok(r.query("page", self.page.to_string())
            .query("per_page", self.per_page.to_string()))
    }
}

/// One trail of `list trails`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct TrailSummary {
    /// The trail's name.
    pub name: String,
    /// Its description.
    #[serde(default)]
    pub description: Option<String>,
    /// `COMPLIANT`, `NON-COMPLIANT`, ...
    #[serde(default)]
    pub compliance_state: Option<String>,
}

/// What `list trails` returns: a page of trails and where it is.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct TrailList {
    /// The trails.
    #[serde(default, deserialize_with = "or_default")]
    pub data: Vec<TrailSummary>,
    /// The page.
    #[serde(default)]
    pub pagination: Option<Pagination>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_queries_match_the_cli() {
        // Captures list_trails, list_trails_paged; observed filters and no flow.
        let q = |l: ListTrails| l.request().unwrap().render_query();
        assert_eq!(
            q(ListTrails::new().flow("demo-flow")),
            "flow=demo-flow&page=1&per_page=20"
        );
        assert_eq!(
            q(ListTrails::new().flow("demo-flow").page(2).per_page(5)),
            "flow=demo-flow&page=2&per_page=5"
        );
        assert_eq!(q(ListTrails::new()), "page=1&per_page=20");
        assert_eq!(
            q(ListTrails::new()
                .fingerprint("a".repeat(64))
                .flow_tag("team=core")
                .flow("demo-flow")),
            format!(
                "fingerprint={}&flow=demo-flow&flow_tag=team%3Dcore&page=1&per_page=20",
                "a".repeat(64)
            )
        );
        let e = ListTrails::new().page(0).request().unwrap_err();
        assert_eq!(e.to_string(), "page number must be a positive integer");
        let e = ListTrails::new().per_page(0).request().unwrap_err();
        assert_eq!(e.to_string(), "page limit must be a positive integer");
        assert_eq!(
            get_trail_request("demo-flow", "trail-1")
                .render_path(Some("acme"))
                .unwrap(),
            "api/v2/trails/acme/demo-flow/trail-1"
        );
    }

    #[test]
    fn trails_read_with_nulls_and_statuses() {
        let t: Trail = serde_json::from_str(
            r#"{"name": "t", "description": null, "compliance_status": {"status": "NON-COMPLIANT", "attestations_statuses": null,
                "artifacts_statuses": {"app": {"status": "NON-COMPLIANT", "attestations_statuses": [{"attestation_name": "unit-tests", "status": "MISSING", "is_compliant": false}]}}},
                "git_commit_info": {"sha1": "abc", "message": "m", "author": "A", "timestamp": 1718000000},
                "events": [{"type": "trail_started", "timestamp": 1718000000, "user": "x"}]}"#,
        )
        .unwrap();
        assert_eq!(t.description, None);
        let status = t.compliance_status.unwrap();
        assert!(status.attestations_statuses.is_empty());
        assert_eq!(
            status.artifacts_statuses["app"].attestations_statuses[0]
                .status
                .as_deref(),
            Some("MISSING")
        );
        assert_eq!(t.git_commit_info.unwrap().timestamp, Some(1718000000.0));
        let events = t.events.unwrap();
        assert_eq!(events[0].event_type.as_deref(), Some("trail_started"));
        assert_eq!(events[0].other["user"], "x");
    }
}
