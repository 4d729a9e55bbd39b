//! Pull requests as the CLI v2.43.1 puts them in a `pull_request` attestation, with its exact
//! omissions (observed: tests/fixtures/review/): `approvers` is `null` when a provider gave
//! none (GitLab), an approver's `state` and `timestamp` and a pull request's `author`,
//! `created_at`, `merged_at`, `title`, `head_ref` and `base_ref` are left out when empty or
//! zero, `commits` is always present.

use serde::{Deserialize, Serialize};

/// One pull (merge) request that contains the commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullRequest {
    /// The merge commit (GitHub, GitLab, Azure: as the provider says; Bitbucket: the commit
    /// looked up).
    pub merge_commit: String,
    /// The pull request's web URL.
    pub url: String,
    /// The provider's state (`MERGED`, `merged`, `completed`, ...).
    pub state: String,
    /// The approvals; `None` is sent as `null` (GitLab with no approval).
    pub approvers: Option<Vec<Approver>>,
    /// The author, in the provider's form (`alice`, `Alice (@alice)`, ...).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub author: String,
    /// When it was opened (Unix seconds); left out when 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub created_at: i64,
    /// When it was merged (Unix seconds); left out when 0 (not merged).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub merged_at: i64,
    /// Its title.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// The source branch.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub head_ref: String,
    /// The target branch.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub base_ref: String,
    /// Its commits (always sent, `[]` when none).
    #[serde(default)]
    pub commits: Vec<Commit>,
}

/// One approval of a pull request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approver {
    /// The approver, in the provider's form.
    pub username: String,
    /// The approval's state (`APPROVED`, `approved`); left out when empty (GitLab).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub state: String,
    /// When it was given (Unix seconds); left out when 0 (GitLab, Azure).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub timestamp: i64,
}

/// One commit of a pull request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commit {
    /// The full commit id.
    pub sha1: String,
    /// The message (GitHub: the headline; the others: the whole message).
    pub message: String,
    /// `Name <email>`.
    pub author: String,
    /// The author's user name at the provider (GitHub), when known.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub author_username: String,
    /// The author time (Unix seconds).
    pub timestamp: i64,
    /// The pull request's source branch (`""` for Bitbucket, as the CLI sends).
    pub branch: String,
    /// The commit's web URL.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
    /// Whether the signature is valid, when the provider reports one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<bool>,
    /// The signature's state (`VALID`, `verified`, ...), when the provider reports one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_state: Option<String>,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_zero(n: &i64) -> bool {
    *n == 0
}

impl PullRequest {
    /// The approvals, as a list (empty when the provider gave none).
    pub fn approvers(&self) -> &[Approver] {
        self.approvers.as_deref().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::go_json;

    #[test]
    fn omissions_follow_the_cli() {
        // Observed (gitlab_two_mrs): an open MR with no title and no approval.
        let pr = PullRequest {
            merge_commit: String::new(),
            url: "u".into(),
            state: "opened".into(),
            approvers: None,
            author: "Alice (@alice)".into(),
            created_at: 1717236000,
            merged_at: 0,
            title: String::new(),
            head_ref: "feature-y".into(),
            base_ref: "main".into(),
            commits: vec![],
        };
        assert_eq!(
            go_json::to_string(&pr).unwrap(),
            r#"{"merge_commit":"","url":"u","state":"opened","approvers":null,"author":"Alice (@alice)","created_at":1717236000,"head_ref":"feature-y","base_ref":"main","commits":[]}"#
        );
        let a = Approver {
            username: "Bob (@bob)".into(),
            state: String::new(),
            timestamp: 0,
        };
        assert_eq!(
            go_json::to_string(&a).unwrap(),
            r#"{"username":"Bob (@bob)"}"#
        );
    }
}
