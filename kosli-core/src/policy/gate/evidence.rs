//! The evidence a local gate looks at: plain, serializable values built from what the SDK
//! already has (JUnit summaries, scan summaries, pull requests, attestations), so a binding can
//! fill one from JSON as easily as Rust code can.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::evidence::{JunitSummary, ScanSummary};
use crate::model::pull_request::PullRequest;

/// Test results: one JUnit summary, reduced to its counts.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TestEvidence {
    /// Where the results came from (a suite or attestation name; may be empty).
    #[serde(default)]
    pub name: String,
    /// Testcases.
    pub total: u64,
    /// Failed testcases.
    pub failures: u64,
    /// Errored testcases.
    pub errors: u64,
    /// Skipped testcases.
    #[serde(default)]
    pub skipped: u64,
}

impl From<&JunitSummary> for TestEvidence {
    fn from(s: &JunitSummary) -> Self {
        TestEvidence {
            name: String::new(),
            total: s.total(),
            failures: s.suites.iter().map(|x| x.failures).sum(),
            errors: s.suites.iter().map(|x| x.errors).sum(),
            skipped: s.suites.iter().map(|x| x.skipped).sum(),
        }
    }
}

/// A security scan: counts of findings by severity.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ScanEvidence {
    /// The scanner (`Snyk Open Source`, `Trivy`, ...).
    #[serde(default)]
    pub tool: String,
    /// Critical findings.
    #[serde(default)]
    pub critical: u64,
    /// High findings.
    #[serde(default)]
    pub high: u64,
    /// Medium findings.
    #[serde(default)]
    pub medium: u64,
    /// Low findings.
    #[serde(default)]
    pub low: u64,
}

impl From<&ScanSummary> for ScanEvidence {
    fn from(s: &ScanSummary) -> Self {
        ScanEvidence {
            tool: s.tool.clone(),
            critical: s.critical,
            high: s.high,
            medium: s.medium,
            low: s.low,
        }
    }
}

/// Code review of one change (a GitHub, GitLab, Bitbucket or Azure DevOps pull request): how
/// many approved it, and who. Each provider's pull-request data converts into this.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CodeReview {
    /// The pull request's URL (names it in reasons; may be empty).
    #[serde(default)]
    pub url: String,
    /// Approving reviews.
    pub approvals: u64,
    /// The approvers' user names.
    #[serde(default)]
    pub approvers: Vec<String>,
}

impl From<&PullRequest> for CodeReview {
    /// Approvers whose review state is `APPROVED` (or not given) count as approvals.
    fn from(pr: &PullRequest) -> Self {
        let approvers: Vec<String> = pr
            .approvers
            .iter()
            .filter(|a| a.state.is_empty() || a.state.eq_ignore_ascii_case("APPROVED"))
            .map(|a| a.username.clone())
            .collect();
        CodeReview {
            url: pr.url.clone(),
            approvals: approvers.len() as u64,
            approvers,
        }
    }
}

/// Any other attestation: its name, type and Kosli's compliance verdict.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AttestationEvidence {
    /// The attestation name (`jira-ticket`, `app.unit-tests`).
    pub name: String,
    /// Its type (`generic`, `jira`, `custom:coverage`, ...).
    #[serde(default, rename = "type")]
    pub attestation_type: String,
    /// Whether it is compliant.
    pub compliant: bool,
}

/// Everything a gate is evaluated against.
///
/// ```
/// use kosli_core::policy::gate::{CodeReview, EvidenceSet, ScanEvidence, TestEvidence};
/// let mut evidence = EvidenceSet::default();
/// evidence.tests.push(TestEvidence { total: 12, failures: 0, errors: 0, ..Default::default() });
/// evidence.scans.push(ScanEvidence { critical: 0, high: 2, ..Default::default() });
/// evidence.code_reviews.push(CodeReview { approvals: 1, approvers: vec!["bob".into()], ..Default::default() });
/// assert_eq!(evidence.tests.len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EvidenceSet {
    /// Test results.
    #[serde(default)]
    pub tests: Vec<TestEvidence>,
    /// Security scans.
    #[serde(default)]
    pub scans: Vec<ScanEvidence>,
    /// Code reviews (pull requests).
    #[serde(default)]
    pub code_reviews: Vec<CodeReview>,
    /// Other attestations.
    #[serde(default)]
    pub attestations: Vec<AttestationEvidence>,
}

impl EvidenceSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a JUnit summary.
    pub fn with_junit(mut self, summary: &JunitSummary) -> Self {
        self.tests.push(summary.into());
        self
    }

    /// Adds a scan summary.
    pub fn with_scan(mut self, summary: &ScanSummary) -> Self {
        self.scans.push(summary.into());
        self
    }

    /// Adds the code review of each pull request.
    pub fn with_pull_requests(mut self, prs: &[PullRequest]) -> Self {
        self.code_reviews.extend(prs.iter().map(CodeReview::from));
        self
    }

    /// Adds a code review.
    pub fn with_code_review(mut self, review: CodeReview) -> Self {
        self.code_reviews.push(review);
        self
    }

    /// The evidence in attestations as Kosli returns them (`GET /api/v2/attestations/{org}`
    /// entries, or the details `evaluate trail` merges into a trail): `junit_results` become
    /// test evidence, `snyk_results` scan evidence (counted by Kosli's severity buckets),
    /// `pull_requests` code reviews, and every attestation is also kept by name, type and
    /// compliance.
    pub fn from_attestations<'a>(attestations: impl IntoIterator<Item = &'a Value>) -> Self {
        let mut set = EvidenceSet::default();
        for a in attestations {
            let name = a["attestation_name"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let kind = a["attestation_type"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            if let Some(suites) = a["junit_results"].as_array() {
                let count = |k: &str| suites.iter().map(|s| s[k].as_u64().unwrap_or(0)).sum();
                set.tests.push(TestEvidence {
                    name: name.clone(),
                    total: count("total"),
                    failures: count("failures"),
                    errors: count("errors"),
                    skipped: count("skipped"),
                });
            }
            if let Some(results) = a["snyk_results"]["results"].as_array() {
                let count = |k: &str| results.iter().map(|r| r[k].as_u64().unwrap_or(0)).sum();
                set.scans.push(ScanEvidence {
                    tool: "Snyk".into(),
                    critical: 0,
                    high: count("high_count"),
                    medium: count("medium_count"),
                    low: count("low_count"),
                });
            }
            if let Some(prs) = a["pull_requests"].as_array() {
                for pr in prs {
                    let approvers: Vec<String> = pr["approvers"]
                        .as_array()
                        .map(|list| {
                            list.iter()
                                .filter(|x| {
                                    x["state"]
                                        .as_str()
                                        .is_none_or(|s| s.eq_ignore_ascii_case("APPROVED"))
                                })
                                .filter_map(|x| x["username"].as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default();
                    set.code_reviews.push(CodeReview {
                        url: pr["url"].as_str().unwrap_or_default().to_string(),
                        approvals: approvers.len() as u64,
                        approvers,
                    });
                }
            }
            set.attestations.push(AttestationEvidence {
                name,
                attestation_type: kind,
                compliant: a["is_compliant"].as_bool().unwrap_or(false),
            });
        }
        set
    }
}
