//! What an attestation is evidence of, for the seed's audit trail: tests, security, review
//! (the "required evidence types" besides build info), or something else.

use serde::{Deserialize, Serialize};

/// The kind of evidence an attestation gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// Test results (`junit`, or a name that says test).
    Test,
    /// A security scan (`snyk`, `sonar`, or a name that says scan, security, vulnerability).
    Security,
    /// A code review (`pull_request`, or a name that says review or approval).
    Review,
    /// Anything else (a Jira ticket, a custom attestation, ...).
    Other,
}

impl EvidenceKind {
    /// Its name in documents: `test`, `security`, `review`, `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Test => "test",
            EvidenceKind::Security => "security",
            EvidenceKind::Review => "review",
            EvidenceKind::Other => "other",
        }
    }

    /// Classifies an attestation: by its type when the type says it (`junit`, `snyk`,
    /// `sonar`, `pull_request`), else by words in its name (a `generic` attestation named
    /// `trivy-scan` is security evidence, as the seed reports one). The rules are fixed and
    /// documented, so the same attestation is always classified the same way.
    pub fn classify(attestation_type: Option<&str>, name: &str) -> EvidenceKind {
        match attestation_type.unwrap_or_default() {
            "junit" => return EvidenceKind::Test,
            "snyk" | "sonar" => return EvidenceKind::Security,
            "pull_request" => return EvidenceKind::Review,
            _ => {}
        }
        let name = name.to_ascii_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| name.contains(w));
        if has(&["test", "junit", "pytest", "coverage"]) {
            EvidenceKind::Test
        } else if has(&[
            "scan", "secur", "vuln", "trivy", "snyk", "sast", "dast", "sarif", "cve",
        ]) {
            EvidenceKind::Security
        } else if has(&["review", "pull-request", "pull_request", "approv", "pr-"]) {
            EvidenceKind::Review
        } else {
            EvidenceKind::Other
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_first_then_name() {
        let c = EvidenceKind::classify;
        assert_eq!(c(Some("junit"), "whatever"), EvidenceKind::Test);
        assert_eq!(c(Some("snyk"), "x"), EvidenceKind::Security);
        assert_eq!(c(Some("sonar"), "x"), EvidenceKind::Security);
        assert_eq!(c(Some("pull_request"), "x"), EvidenceKind::Review);
        assert_eq!(c(Some("generic"), "trivy-scan"), EvidenceKind::Security);
        assert_eq!(c(Some("generic"), "Integration-Tests"), EvidenceKind::Test);
        assert_eq!(c(Some("custom"), "code-review"), EvidenceKind::Review);
        assert_eq!(c(Some("jira"), "jira-ticket"), EvidenceKind::Other);
        assert_eq!(c(None, "release-notes"), EvidenceKind::Other);
        assert_eq!(
            serde_json::to_string(&EvidenceKind::Security).unwrap(),
            "\"security\""
        );
    }
}
