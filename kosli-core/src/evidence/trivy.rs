//! The part of Trivy's JSON report (`trivy image --format json`) the scan summary reads.

use serde::Deserialize;

use super::sarif::null_as_default;

/// The scanner's metadata (`"Trivy": {"Version": ...}`, Trivy 0.50 and later).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct TrivyMeta {
    /// Trivy's version.
    #[serde(rename = "Version")]
    pub version: Option<String>,
}

/// The findings for one target (an image layer's OS packages, a lock file, ...).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct TrivyTarget {
    /// What was scanned (`alpine:3.19 (alpine 3.19.1)`, `app/package-lock.json`).
    #[serde(rename = "Target", default, deserialize_with = "null_as_default")]
    pub target: String,
    /// Known vulnerabilities of installed packages.
    #[serde(
        rename = "Vulnerabilities",
        default,
        deserialize_with = "null_as_default"
    )]
    pub vulnerabilities: Vec<TrivyFinding>,
    /// Misconfigurations (IaC scanning).
    #[serde(
        rename = "Misconfigurations",
        default,
        deserialize_with = "null_as_default"
    )]
    pub misconfigurations: Vec<TrivyFinding>,
    /// Exposed secrets.
    #[serde(rename = "Secrets", default, deserialize_with = "null_as_default")]
    pub secrets: Vec<TrivyFinding>,
}

/// One vulnerability, misconfiguration or secret; the fields of all three kinds.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct TrivyFinding {
    /// A vulnerability's id (`CVE-2024-1234`).
    #[serde(rename = "VulnerabilityID")]
    pub vulnerability_id: Option<String>,
    /// A misconfiguration's id (`AVD-AWS-0086`).
    #[serde(rename = "ID")]
    pub id: Option<String>,
    /// A secret's rule id (`aws-access-key-id`).
    #[serde(rename = "RuleID")]
    pub rule_id: Option<String>,
    /// The affected package.
    #[serde(rename = "PkgName")]
    pub pkg_name: Option<String>,
    /// The installed version of that package.
    #[serde(rename = "InstalledVersion")]
    pub installed_version: Option<String>,
    /// A one-line title.
    #[serde(rename = "Title")]
    pub title: Option<String>,
    /// `CRITICAL`, `HIGH`, `MEDIUM`, `LOW` or `UNKNOWN`.
    #[serde(rename = "Severity")]
    pub severity: Option<String>,
    /// A secret's line.
    #[serde(rename = "StartLine")]
    pub start_line: Option<i64>,
}

impl TrivyFinding {
    /// The finding's id, whichever kind it is.
    pub(crate) fn any_id(&self) -> String {
        self.vulnerability_id
            .as_ref()
            .or(self.id.as_ref())
            .or(self.rule_id.as_ref())
            .cloned()
            .unwrap_or_default()
    }
}
