//! The attestations of external evidence: `pull_request` (from a provider's pull requests),
//! `sonar` and `jira`. Each takes an [`Attestation`] for the fields every attestation shares
//! (name, commit, artifact, origin URL, annotations, user data, attachments: built with that
//! type's builder, whose own evidence is not used) and adds its own fields after them, as the
//! CLI does.

use serde::Serialize;

use super::jira::JiraResult;
use super::sonar::SonarResults;
use super::{PullRequest, PullRequestEvidence};
use crate::client::{Client, Outcome, Part, Request};
use crate::error::Result;
use crate::model::attestation::AttestationCommon;
use crate::operations::{self, Operation};
use crate::ops::attachments;
use crate::ops::attestations::Attestation;
use crate::provenance::RepoInfo;

/// The evidence a [`ReviewAttestation`] carries.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
// One value per attestation, built once: boxing the Sonar results would save nothing that
// matters and change the variant the C and Python bindings build.
#[allow(clippy::large_enum_variant)]
pub enum ReviewEvidence {
    /// `pull_request`: a provider's pull requests of the commit.
    PullRequests(PullRequestEvidence),
    /// `sonar`: a SonarQube/SonarCloud analysis and its quality gate.
    Sonar(SonarResults),
    /// `jira`: the Jira issues referenced by the commit.
    Jira(Vec<JiraResult>),
}

/// An attestation of external evidence, ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewAttestation {
    base: Attestation,
    evidence: ReviewEvidence,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Extra<'a> {
    PullRequests {
        git_provider: &'a str,
        pull_requests: &'a [PullRequest],
    },
    Sonar {
        sonar_results: &'a SonarResults,
    },
    Jira {
        jira_results: &'a [JiraResult],
    },
}

#[derive(Serialize)]
struct Payload<'a> {
    #[serde(flatten)]
    common: &'a AttestationCommon,
    #[serde(flatten)]
    extra: Extra<'a>,
}

impl ReviewAttestation {
    /// `evidence` on `base`'s common fields.
    pub fn new(base: Attestation, evidence: ReviewEvidence) -> ReviewAttestation {
        ReviewAttestation { base, evidence }
    }

    /// `attest pullrequest <provider>`: the pull requests found, on `base`'s common fields.
    pub fn pull_requests(base: Attestation, evidence: PullRequestEvidence) -> ReviewAttestation {
        ReviewAttestation {
            base,
            evidence: ReviewEvidence::PullRequests(evidence),
        }
    }

    /// `attest sonar`: an analysis, on `base`'s common fields.
    pub fn sonar(base: Attestation, results: SonarResults) -> ReviewAttestation {
        ReviewAttestation {
            base,
            evidence: ReviewEvidence::Sonar(results),
        }
    }

    /// `attest jira`: the issues' results, on `base`'s common fields.
    pub fn jira(base: Attestation, results: Vec<JiraResult>) -> ReviewAttestation {
        ReviewAttestation {
            base,
            evidence: ReviewEvidence::Jira(results),
        }
    }

    /// The common fields' holder.
    pub fn base(&self) -> &Attestation {
        &self.base
    }

    /// The evidence.
    pub fn evidence(&self) -> &ReviewEvidence {
        &self.evidence
    }

    fn operation(&self) -> &'static Operation {
        match self.evidence {
            ReviewEvidence::PullRequests(_) => &operations::ATTEST_PULL_REQUEST,
            ReviewEvidence::Sonar(_) => &operations::ATTEST_SONAR,
            ReviewEvidence::Jira(_) => &operations::ATTEST_JIRA,
        }
    }

    /// The `data_json` text, exactly as the CLI sends it.
    pub fn data_json(&self) -> Result<String> {
        let mut common = self.base.common().clone();
        common.repo_info = common.repo_info.filter(RepoInfo::is_complete);
        let extra = match &self.evidence {
            ReviewEvidence::PullRequests(e) => Extra::PullRequests {
                git_provider: e.provider.as_str(),
                pull_requests: &e.pull_requests,
            },
            ReviewEvidence::Sonar(r) => Extra::Sonar { sonar_results: r },
            ReviewEvidence::Jira(r) => Extra::Jira { jira_results: r },
        };
        crate::model::go_json::to_string(&Payload {
            common: &common,
            extra,
        })
    }

    /// The request the CLI would send (`data_json`, then the attachment, if any).
    pub fn request(&self) -> Result<Request> {
        let mut parts = vec![Part::field("data_json", self.data_json()?)];
        parts.extend(attachments::pack(self.base.attachment_paths())?);
        Ok(Request::new(self.operation())
            .param("flow", self.base.flow())
            .param("trail", self.base.trail())
            .multipart(parts))
    }
}

impl Client {
    /// Reports an attestation of external evidence (`kosli attest pullrequest|sonar|jira`).
    pub async fn attest_review(&self, attestation: &ReviewAttestation) -> Result<Outcome> {
        self.write(&attestation.request()?).await
    }
}
