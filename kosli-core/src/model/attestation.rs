//! The fields every attestation payload shares (`data_json`), in the CLI's wire order.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

// The sub-objects are the provenance module's types: one definition of each wire shape.
pub use crate::provenance::{ExternalUrl, ExternalUrls, GitCommitInfo, RepoInfo};

/// The common head of every attestation's `data_json`; each payload flattens it first, then
/// adds its own fields. Optional fields are left out when empty, as the CLI does.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttestationCommon {
    /// The artifact the attestation is about (`--fingerprint`, or computed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifact_fingerprint: Option<String>,
    /// The commit (`--commit`), as the provenance module resolves it (wire.md §3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git_commit_info: Option<GitCommitInfo>,
    /// The repository, only when id, name and url are all known (wire.md §3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repo_info: Option<RepoInfo>,
    /// The attestation's name (after `--name artifact.name` is split).
    pub attestation_name: String,
    /// The artifact named before the dot of `--name artifact.name`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub target_artifacts: Vec<String>,
    /// Labelled links (`--external-url`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub external_urls: ExternalUrls,
    /// Where the attestation came from (`--origin-url`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub origin_url: String,
    /// Free-form JSON (`--user-data`); `{}` when not given.
    pub user_data: Value,
    /// A description (`--description`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Key/value annotations (`--annotate`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

impl AttestationCommon {
    /// The fields for an attestation called `name`; `app.unit-tests` targets the artifact
    /// `app` (the CLI's rule: one dot, both sides non-empty).
    pub fn new(name: &str) -> crate::Result<Self> {
        let name = crate::ops::naming::AttestationName::parse(name)?;
        let target_artifacts = name.artifact().map(str::to_owned).into_iter().collect();
        let attestation_name = name.attestation().to_owned();
        Ok(AttestationCommon {
            artifact_fingerprint: None,
            git_commit_info: None,
            repo_info: None,
            attestation_name,
            target_artifacts,
            external_urls: ExternalUrls::new(),
            origin_url: String::new(),
            user_data: Value::Object(serde_json::Map::new()),
            description: String::new(),
            annotations: BTreeMap::new(),
        })
    }
}
