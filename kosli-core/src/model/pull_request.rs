//! The `pull_request` attestation's data: pull requests as the CLI reports them
//! (`git_provider`, `pull_requests`), built from data the caller fetched from its provider.

use serde::{Deserialize, Serialize};

/// One pull request, in the CLI's field order and omissions.
///
/// ```
/// use kosli_core::model::pull_request::{PrApprover, PrCommit, PullRequest};
/// let pr = PullRequest {
///     merge_commit: "3e74850331dadafd9a390fa2be410e026122fd3c".into(),
///     url: "https://github.com/acme/app/pull/7".into(),
///     state: "MERGED".into(),
///     approvers: vec![PrApprover { username: "bob".into(), state: "APPROVED".into(), timestamp: 1717243200 }],
///     author: "alice".into(),
///     created_at: 1717236000,
///     merged_at: Some(1717322400),
///     title: "Add feature".into(),
///     head_ref: "feature-x".into(),
///     base_ref: "main".into(),
///     commits: vec![],
/// };
/// let json = kosli_core::model::go_json::to_string(&pr)?;
/// assert!(json.starts_with(r#"{"merge_commit":"3e74850331dadafd9a390fa2be410e026122fd3c","url":"#));
/// # Ok::<(), kosli_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullRequest {
    /// The commit the pull request was looked up for (the merge commit).
    pub merge_commit: String,
    /// The pull request's web URL.
    pub url: String,
    /// `OPEN`, `MERGED`, `CLOSED` (as the provider says).
    pub state: String,
    /// The approving reviews (always sent, `[]` when none).
    pub approvers: Vec<PrApprover>,
    /// The author's user name.
    pub author: String,
    /// When it was opened (Unix seconds).
    pub created_at: i64,
    /// When it was merged (Unix seconds); left out when it was not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_at: Option<i64>,
    /// Its title.
    pub title: String,
    /// The source branch.
    pub head_ref: String,
    /// The target branch.
    pub base_ref: String,
    /// Its commits.
    pub commits: Vec<PrCommit>,
}

/// An approving review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrApprover {
    /// The reviewer's user name.
    pub username: String,
    /// The review's state (`APPROVED`).
    pub state: String,
    /// When it was submitted (Unix seconds).
    pub timestamp: i64,
}

/// A commit of a pull request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrCommit {
    /// The full commit id.
    pub sha1: String,
    /// The message's first line (GitHub's `messageHeadline`).
    pub message: String,
    /// `Name <email>`.
    pub author: String,
    /// The author's user name at the provider, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_username: Option<String>,
    /// The author time (Unix seconds).
    pub timestamp: i64,
    /// The pull request's source branch.
    pub branch: String,
    /// The commit's web URL.
    pub url: String,
    /// Whether its signature is valid, when it is signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<bool>,
    /// The signature's state (`VALID`, ...), when it is signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_state: Option<String>,
}

/// The attestation type segment of the URL.
pub const TYPE: &str = "pull_request";
