//! The fields every attestation payload shares (`data_json`), in the CLI's wire order.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

/// A labelled link to an external resource (`--external-url label=url`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExternalUrl {
    /// The URL.
    pub href: String,
    /// The SHA-256 of the resource (`--external-fingerprint label=sha`), when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
}

/// A commit as the CLI reports it (wire.md §3); the provenance module builds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GitCommitInfo {
    /// The full commit SHA.
    pub sha1: String,
    /// The whole message, trimmed (or `**REDACTED**`).
    pub message: String,
    /// `Name <email>` (or `**REDACTED**`).
    pub author: String,
    /// The author time, Unix seconds.
    pub timestamp: i64,
    /// The checked-out branch, `""` when HEAD is detached (or `**REDACTED**`).
    pub branch: String,
    /// The commit's web URL, when the repository has an origin remote.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// The repository (wire.md §3), sent only when id, name and url are all known.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RepoInfo {
    /// The repository's URL.
    pub url: String,
    /// Its name (`owner/repo`).
    pub name: String,
    /// Its stable id in the VCS provider.
    pub id: String,
    /// A description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The provider (`github`, `gitlab`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// GitLab-style namespace path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace_path: Option<Vec<String>>,
    /// Provider-specific extras.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_info: Option<Value>,
}

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
    pub external_urls: BTreeMap<String, ExternalUrl>,
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
        let (target_artifacts, attestation_name) = match name.split_once('.') {
            None => (Vec::new(), name.to_owned()),
            Some((artifact, attestation))
                if !artifact.is_empty()
                    && !attestation.is_empty()
                    && !attestation.contains('.') =>
            {
                (vec![artifact.to_owned()], attestation.to_owned())
            }
            Some(_) => {
                return Err(crate::Error::invalid_input(
                    "name",
                    format!("invalid attestation name format: {name}"),
                ))
            }
        };
        Ok(AttestationCommon {
            artifact_fingerprint: None,
            git_commit_info: None,
            repo_info: None,
            attestation_name,
            target_artifacts,
            external_urls: BTreeMap::new(),
            origin_url: String::new(),
            user_data: Value::Object(serde_json::Map::new()),
            description: String::new(),
            annotations: BTreeMap::new(),
        })
    }
}
