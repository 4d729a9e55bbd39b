//! External evidence of review and quality: the pull (merge) requests that contain a commit on
//! GitHub, GitLab, Bitbucket Cloud and Azure DevOps, SonarQube/SonarCloud analyses and Jira
//! issues, read through the client's transport and retry rules, and turned into exactly the
//! attestations the CLI v2.43.1 sends (`attest pullrequest <provider>`, `attest sonar`,
//! `attest jira`) or the CLI's `assert pullrequest` verdict.
//!
//! ```no_run
//! # async fn demo(client: kosli_core::Client) -> kosli_core::Result<()> {
//! use kosli_core::ops::attestations::Attestation;
//! use kosli_core::review::{PrSource, ReviewAttestation};
//! let source = PrSource::github("acme", "app", "ghp_...");
//! let evidence = client.find_pull_requests(&source, "3e74850331dadafd9a390fa2be410e026122fd3c").await?;
//! for approvals in evidence.approvals() {
//!     tracing::info!("{} approval(s) by {:?}", approvals.count, approvals.approvers);
//! }
//! let base = Attestation::generic("payments-api-server", "release-42", "pr-review", true)?;
//! client.attest_review(&ReviewAttestation::pull_requests(base, evidence)).await?;
//! # Ok(())
//! # }
//! ```

mod answer;
mod approvals;
mod attest;
mod azure;
mod base64;
mod bitbucket;
mod github;
mod gitlab;
pub mod jira;
mod pull_request;
pub mod sonar;
mod source;

use reqwest::Url;
use serde::{Deserialize, Serialize};

use crate::client::{Client, ExternalRequest};
use crate::error::{Error, Result};

pub use approvals::Approvals;
pub use attest::{ReviewAttestation, ReviewEvidence};
pub use bitbucket::BITBUCKET_API;
pub use pull_request::{Approver, Commit, PullRequest};
pub use source::{PrSource, Provider};

/// The pull requests found for one commit at one provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullRequestEvidence {
    /// The provider (`git_provider` of the attestation).
    pub provider: Provider,
    /// The commit looked up.
    pub commit: String,
    /// Its pull requests (possibly none).
    pub pull_requests: Vec<PullRequest>,
}

impl PullRequestEvidence {
    /// The approvals of each pull request, in order (what a `code-review` rule reads).
    pub fn approvals(&self) -> Vec<Approvals> {
        self.pull_requests.iter().map(Approvals::of).collect()
    }

    /// `assert pullrequest`: `Ok` when at least one pull request was found, else a
    /// `PolicyDenied` error with the CLI's message (`assert failed: found no pull request(s)
    /// in Github for commit: <sha>`).
    pub fn assert_found(&self) -> Result<()> {
        if !self.pull_requests.is_empty() {
            return Ok(());
        }
        let message = format!(
            "assert failed: found no {}(s) in {} for commit: {}",
            self.provider.label(),
            self.provider.display_name(),
            self.commit
        );
        Err(Error::PolicyDenied {
            reasons: vec![message.clone()],
            message,
        })
    }

    /// `attest pullrequest --assert`: the CLI's message when none was found (the attestation
    /// is still sent first).
    pub fn assert_attested(&self) -> Result<()> {
        if !self.pull_requests.is_empty() {
            return Ok(());
        }
        let message = format!(
            "assert failed: no {} found for the given commit: {}",
            self.provider.label(),
            self.commit
        );
        Err(Error::PolicyDenied {
            reasons: vec![message.clone()],
            message,
        })
    }
}

/// One lookup: the client (transport, retries, clock) and the source.
pub(crate) struct Lookup<'a> {
    pub(crate) client: &'a Client,
    pub(crate) source: &'a PrSource,
    /// Only what `assert pullrequest` needs: the CLI's Azure assert reads no commits
    /// (observed: assert_azure_found).
    pub(crate) for_assert: bool,
}

impl Lookup<'_> {
    /// Parses a URL built from the source's base URL, naming the flag when it is bad.
    pub(crate) fn url(&self, text: &str) -> Result<Url> {
        Url::parse(text).map_err(|e| {
            Error::invalid_input(
                "base_url",
                format!(
                    "invalid {} URL {text:?}: {e}",
                    self.source.provider.as_str()
                ),
            )
        })
    }

    /// Adds the provider's auth header.
    pub(crate) fn authed(&self, request: ExternalRequest) -> Result<ExternalRequest> {
        match self.source.auth_header() {
            Some((name, value)) => request.header(name, &value),
            None => Ok(request),
        }
    }
}

impl Client {
    /// The pull requests that contain `commit` (a full commit id) at `source`'s provider, as
    /// the CLI finds them. Provider errors are retried with the client's rules; a provider's
    /// refusal is an `Auth`, `NotFound` or `Api` error naming its message.
    pub async fn find_pull_requests(
        &self,
        source: &PrSource,
        commit: &str,
    ) -> Result<PullRequestEvidence> {
        self.lookup_pull_requests(source, commit, false).await
    }

    async fn lookup_pull_requests(
        &self,
        source: &PrSource,
        commit: &str,
        for_assert: bool,
    ) -> Result<PullRequestEvidence> {
        source.check()?;
        if commit.is_empty() {
            return Err(Error::invalid_input(
                "commit",
                "the commit must not be empty",
            ));
        }
        let lookup = Lookup {
            client: self,
            source,
            for_assert,
        };
        tracing::debug!(
            "looking up the {}s of {commit} in {}",
            source.provider.label(),
            source.provider.as_str()
        );
        let pull_requests = match source.provider {
            Provider::Github => lookup.github(commit).await?,
            Provider::Gitlab => lookup.gitlab(commit).await?,
            Provider::Bitbucket => lookup.bitbucket(commit).await?,
            Provider::Azure => lookup.azure(commit).await?,
        };
        Ok(PullRequestEvidence {
            provider: source.provider,
            commit: commit.to_string(),
            pull_requests,
        })
    }

    /// `kosli assert pullrequest <provider>`: the pull requests of `commit`, or a
    /// `PolicyDenied` error when there is none (the CLI's exit 1). Sends the CLI's requests
    /// for an assert: on Azure DevOps the pull requests' commits are not read (left empty).
    pub async fn assert_pull_requests(
        &self,
        source: &PrSource,
        commit: &str,
    ) -> Result<PullRequestEvidence> {
        let evidence = self.lookup_pull_requests(source, commit, true).await?;
        evidence.assert_found()?;
        Ok(evidence)
    }
}

impl crate::blocking::Client {
    /// See [`Client::find_pull_requests`].
    pub fn find_pull_requests(
        &self,
        source: &PrSource,
        commit: &str,
    ) -> Result<PullRequestEvidence> {
        self.run(|c| async move { c.find_pull_requests(source, commit).await })
    }

    /// See [`Client::assert_pull_requests`].
    pub fn assert_pull_requests(
        &self,
        source: &PrSource,
        commit: &str,
    ) -> Result<PullRequestEvidence> {
        self.run(|c| async move { c.assert_pull_requests(source, commit).await })
    }

    /// See [`Client::attest_review`].
    pub fn attest_review(&self, attestation: &ReviewAttestation) -> Result<crate::client::Outcome> {
        self.run(|c| async move { c.attest_review(attestation).await })
    }

    /// See [`Client::sonar_results`].
    pub fn sonar_results(&self, source: &sonar::SonarSource) -> Result<sonar::SonarResults> {
        self.run(|c| async move { c.sonar_results(source).await })
    }

    /// See [`Client::jira_results`].
    pub fn jira_results(
        &self,
        source: &jira::JiraSource,
        keys: &[String],
    ) -> Result<Vec<jira::JiraResult>> {
        self.run(|c| async move { c.jira_results(source, keys).await })
    }
}

/// Escapes one path segment as Go's `url.PathEscape` does (`/` included: `acme%2Fapp`).
pub(crate) fn path_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'_' | b'.' | b'~' | b'$' | b'&' | b'+' | b',' | b':' | b';' | b'=' | b'@'
            )
        {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `e` with `prefix` before its message, of the same kind.
pub(crate) fn prefixed(e: Error, prefix: &str) -> Error {
    match e {
        Error::Api { status, message } => Error::Api {
            status,
            message: format!("{prefix}{message}"),
        },
        Error::Auth { status, message } => Error::Auth {
            status,
            message: format!("{prefix}{message}"),
        },
        Error::NotFound { message } => Error::NotFound {
            message: format!("{prefix}{message}"),
        },
        Error::Network { message, source } => Error::Network {
            message: format!("{prefix}{message}"),
            source,
        },
        Error::Timeout { message } => Error::Timeout {
            message: format!("{prefix}{message}"),
        },
        Error::Parse {
            file,
            line,
            message,
        } => Error::Parse {
            file,
            line,
            message: format!("{prefix}{message}"),
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_escape_is_gos() {
        assert_eq!(path_escape("acme/app"), "acme%2Fapp");
        assert_eq!(path_escape("my proj"), "my%20proj");
        assert_eq!(path_escape("a~b.c-d_e"), "a~b.c-d_e");
    }

    #[test]
    fn assert_messages_are_the_clis() {
        let e = PullRequestEvidence {
            provider: Provider::Gitlab,
            commit: "672b".into(),
            pull_requests: vec![],
        };
        assert_eq!(
            e.assert_found().unwrap_err().to_string(),
            "assert failed: found no merge request(s) in Gitlab for commit: 672b"
        );
        assert_eq!(
            e.assert_attested().unwrap_err().to_string(),
            "assert failed: no merge request found for the given commit: 672b"
        );
        let e = PullRequestEvidence {
            provider: Provider::Azure,
            ..e
        };
        assert_eq!(
            e.assert_found().unwrap_err().kind(),
            crate::ErrorKind::PolicyDenied
        );
        assert!(e
            .assert_found()
            .unwrap_err()
            .to_string()
            .contains("in Azure DevOps"));
    }
}
