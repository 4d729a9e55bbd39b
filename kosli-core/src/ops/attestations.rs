//! Attestations: `POST /api/v2/attestations/{org}/{flow}/trail/{trail}/{type}`, always
//! multipart (`data_json`, then at most one `attachment_file`) (wire.md §2.4).
//!
//! One request type, [`Attestation`], for every type: `generic` (`is_compliant`), `junit`
//! (from [`crate::evidence::junit`]), `snyk` (from [`crate::evidence::snyk`]), `custom` (a type
//! name and its data) and `pull_request` (pull requests the caller fetched). The name follows
//! the CLI's `artifact.attestation` rule ([`AttestationName`]).
//!
//! ```no_run
//! # async fn demo(client: kosli_core::Client) -> kosli_core::Result<()> {
//! use kosli_core::evidence::junit;
//! use kosli_core::ops::attestations::Attestation;
//! let summary = junit::parse_dir("target/test-results")?;
//! let attest = Attestation::junit("payments-api-server", "release-42", "app.unit-tests", &summary, true)?
//!     .origin_url("https://ci.example.com/build/42")
//!     .annotate("suite", "unit")?;
//! client.attest(&attest).await?;
//! # Ok(())
//! # }
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;
use serde_json::Value;

use super::attachments;
use super::attest_artifact::check_annotation_key;
use super::naming::AttestationName;
use crate::artifact::ArtifactRef;
use crate::client::{Client, Outcome, Part, Request};
use crate::error::Result;
use crate::evidence::junit::{JunitSummary, SuiteSummary};
use crate::evidence::snyk::SnykResults;
use crate::fingerprint::Fingerprint;
use crate::model::attestation::AttestationCommon;
use crate::model::pull_request::PullRequest;
use crate::operations::{self, Operation};
use crate::provenance::{ExternalUrls, GitCommitInfo, RepoInfo};

/// What an attestation says, by type: the fields `data_json` carries after the common ones.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Evidence {
    /// `generic`: a verdict of the caller's.
    Generic {
        /// `is_compliant` (the CLI's `--compliant`, default true).
        is_compliant: bool,
    },
    /// `junit`: one summary per test suite.
    Junit(Vec<SuiteSummary>),
    /// `snyk`: a Snyk scan's summary.
    Snyk(SnykResults),
    /// `custom`: data of a custom attestation type defined in Kosli.
    Custom {
        /// The custom type's name (`type_name`).
        type_name: String,
        /// The data (`attestation_data`), any JSON.
        data: Value,
    },
    /// `pull_request`: the pull requests of a commit.
    PullRequest {
        /// `github`, `gitlab`, `bitbucket`, `azure`.
        git_provider: String,
        /// The pull requests (may be empty).
        pull_requests: Vec<PullRequest>,
    },
}

impl Evidence {
    /// The type segment of the URL (`generic`, `junit`, `snyk`, `custom`, `pull_request`).
    pub fn type_name(&self) -> &'static str {
        self.operation().path.rsplit('/').next().unwrap_or_default()
    }

    fn operation(&self) -> &'static Operation {
        match self {
            Evidence::Generic { .. } => &operations::ATTEST_GENERIC,
            Evidence::Junit(_) => &operations::ATTEST_JUNIT,
            Evidence::Snyk(_) => &operations::ATTEST_SNYK,
            Evidence::Custom { .. } => &operations::ATTEST_CUSTOM,
            Evidence::PullRequest { .. } => &operations::ATTEST_PULL_REQUEST,
        }
    }
}

/// The type-specific fields, flattened after the common ones.
#[derive(Serialize)]
#[serde(untagged)]
enum Extra<'a> {
    Generic {
        is_compliant: bool,
    },
    Junit {
        junit_results: &'a [SuiteSummary],
    },
    Snyk {
        snyk_results: &'a SnykResults,
    },
    Custom {
        type_name: &'a str,
        attestation_data: &'a Value,
    },
    PullRequest {
        git_provider: &'a str,
        pull_requests: &'a [PullRequest],
    },
}

#[derive(Serialize)]
struct Payload<'a> {
    #[serde(flatten)]
    common: &'a AttestationCommon,
    #[serde(flatten)]
    extra: Extra<'a>,
}

/// `kosli attest <type>`: an attestation to a trail, or to an artifact of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Attestation {
    flow: String,
    trail: String,
    common: AttestationCommon,
    evidence: Evidence,
    attachments: Vec<PathBuf>,
}

impl Attestation {
    /// An attestation of `evidence` called `name` (`unit-tests`, or `app.unit-tests` for the
    /// artifact `app`) in `trail` of `flow`.
    pub fn new(
        flow: impl Into<String>,
        trail: impl Into<String>,
        name: &str,
        evidence: Evidence,
    ) -> Result<Self> {
        Ok(Attestation {
            flow: flow.into(),
            trail: trail.into(),
            common: AttestationCommon::new(name)?,
            evidence,
            attachments: Vec::new(),
        })
    }

    /// A `generic` attestation with the caller's verdict.
    pub fn generic(
        flow: impl Into<String>,
        trail: impl Into<String>,
        name: &str,
        is_compliant: bool,
    ) -> Result<Self> {
        Self::new(flow, trail, name, Evidence::Generic { is_compliant })
    }

    /// A `junit` attestation of parsed results; with `upload`, the results files become the
    /// attachment (the CLI's `--upload-results`, default true).
    pub fn junit(
        flow: impl Into<String>,
        trail: impl Into<String>,
        name: &str,
        summary: &JunitSummary,
        upload: bool,
    ) -> Result<Self> {
        let mut a = Self::new(flow, trail, name, Evidence::Junit(summary.suites.clone()))?;
        if upload {
            a.attachments.extend(summary.files.iter().cloned());
        }
        Ok(a)
    }

    /// A `snyk` attestation of a parsed scan; with `upload`, `scan_file` is attached (the
    /// CLI's `--upload-results`, default true).
    pub fn snyk(
        flow: impl Into<String>,
        trail: impl Into<String>,
        name: &str,
        results: SnykResults,
        scan_file: Option<PathBuf>,
    ) -> Result<Self> {
        let mut a = Self::new(flow, trail, name, Evidence::Snyk(results))?;
        a.attachments.extend(scan_file);
        Ok(a)
    }

    /// A `custom` attestation: the custom type's name and its data.
    pub fn custom(
        flow: impl Into<String>,
        trail: impl Into<String>,
        name: &str,
        type_name: impl Into<String>,
        data: Value,
    ) -> Result<Self> {
        let evidence = Evidence::Custom {
            type_name: type_name.into(),
            data,
        };
        Self::new(flow, trail, name, evidence)
    }

    /// A `pull_request` attestation from pull requests the caller fetched from `git_provider`.
    pub fn pull_request(
        flow: impl Into<String>,
        trail: impl Into<String>,
        name: &str,
        git_provider: impl Into<String>,
        pull_requests: Vec<PullRequest>,
    ) -> Result<Self> {
        let evidence = Evidence::PullRequest {
            git_provider: git_provider.into(),
            pull_requests,
        };
        Self::new(flow, trail, name, evidence)
    }

    /// About this artifact (its fingerprint is sent).
    pub fn artifact(self, artifact: &ArtifactRef) -> Self {
        self.fingerprint(artifact.fingerprint())
    }

    /// About the artifact with this fingerprint.
    pub fn fingerprint(mut self, fingerprint: Fingerprint) -> Self {
        self.common.artifact_fingerprint = Some(fingerprint.to_string());
        self
    }

    /// The commit (binds an attestation reported before its artifact).
    pub fn git_commit_info(mut self, info: GitCommitInfo) -> Self {
        self.common.git_commit_info = Some(info);
        self
    }

    /// The repository; sent only when its id, name and URL are all known (the CLI's rule).
    pub fn repo_info(mut self, info: RepoInfo) -> Self {
        self.common.repo_info = Some(info);
        self
    }

    /// The commit, repository and origin URL resolved by the provenance module.
    #[cfg(feature = "git")]
    pub fn provenance(mut self, p: &crate::provenance::AttestationProvenance) -> Self {
        self.common.git_commit_info = p.git_commit_info.clone();
        self.common.repo_info = p.repo_info.clone();
        if let Some(url) = &p.origin_url {
            self.common.origin_url = url.clone();
        }
        self
    }

    /// Where the attestation came from (a CI build URL).
    pub fn origin_url(mut self, url: impl Into<String>) -> Self {
        self.common.origin_url = url.into();
        self
    }

    /// Labelled links to external resources.
    pub fn external_urls(mut self, urls: ExternalUrls) -> Self {
        self.common.external_urls = urls;
        self
    }

    /// Free-form JSON (`user_data`; `{}` when not given).
    pub fn user_data(mut self, data: Value) -> Self {
        self.common.user_data = data;
        self
    }

    /// A description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.common.description = text.into();
        self
    }

    /// Adds an annotation; the key must match `[A-Za-z0-9_]+` (the CLI's rule and words).
    pub fn annotate(mut self, key: impl Into<String>, value: impl Into<String>) -> Result<Self> {
        let key = check_annotation_key(key.into())?;
        self.common.annotations.insert(key, value.into());
        Ok(self)
    }

    /// Replaces the annotations (each key checked).
    pub fn annotations(mut self, annotations: BTreeMap<String, String>) -> Result<Self> {
        self.common.annotations.clear();
        for (k, v) in annotations {
            self = self.annotate(k, v)?;
        }
        Ok(self)
    }

    /// Adds a file or directory to the attachment ([`attachments`] says how they are packed).
    pub fn attach(mut self, path: impl Into<PathBuf>) -> Self {
        self.attachments.push(path.into());
        self
    }

    /// The flow.
    pub fn flow(&self) -> &str {
        &self.flow
    }

    /// The trail.
    pub fn trail(&self) -> &str {
        &self.trail
    }

    /// The attestation's own name (after the `artifact.` part, if any).
    pub fn attestation_name(&self) -> &str {
        &self.common.attestation_name
    }

    /// The evidence.
    pub fn evidence(&self) -> &Evidence {
        &self.evidence
    }

    /// The common fields, as they will be sent.
    pub fn common(&self) -> &AttestationCommon {
        &self.common
    }

    /// The paths that will be attached.
    pub fn attachment_paths(&self) -> &[PathBuf] {
        &self.attachments
    }

    /// The `data_json` text, exactly as sent.
    pub fn data_json(&self) -> Result<String> {
        let mut common = self.common.clone();
        common.repo_info = common.repo_info.filter(RepoInfo::is_complete);
        let extra = match &self.evidence {
            Evidence::Generic { is_compliant } => Extra::Generic {
                is_compliant: *is_compliant,
            },
            Evidence::Junit(suites) => Extra::Junit {
                junit_results: suites,
            },
            Evidence::Snyk(results) => Extra::Snyk {
                snyk_results: results,
            },
            Evidence::Custom { type_name, data } => Extra::Custom {
                type_name,
                attestation_data: data,
            },
            Evidence::PullRequest {
                git_provider,
                pull_requests,
            } => Extra::PullRequest {
                git_provider,
                pull_requests,
            },
        };
        crate::model::go_json::to_string(&Payload {
            common: &common,
            extra,
        })
    }

    /// The request the CLI would send: `data_json`, then the attachment packed as the CLI
    /// packs it (attachment files are read here).
    pub fn request(&self) -> Result<Request> {
        let mut parts = vec![Part::field("data_json", self.data_json()?)];
        parts.extend(attachments::pack(&self.attachments)?);
        Ok(Request::new(self.evidence.operation())
            .param("flow", self.flow.as_str())
            .param("trail", self.trail.as_str())
            .multipart(parts))
    }
}

/// Checks the attestation name alone (the CLI's `artifact.attestation` rule).
pub fn check_name(name: &str) -> Result<AttestationName> {
    AttestationName::parse(name)
}

impl Client {
    /// Reports an attestation (`kosli attest generic|junit|snyk|custom|pullrequest`).
    pub async fn attest(&self, attestation: &Attestation) -> Result<Outcome> {
        self.write(&attestation.request()?).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Body;
    use serde_json::json;

    #[test]
    fn generic_minimal_matches_the_capture() {
        // Capture attest_generic_minimal (CLI v2.43.1).
        let a = Attestation::generic("demo-flow", "trail-1", "jira-ticket", true).unwrap();
        assert_eq!(
            a.data_json().unwrap(),
            r#"{"attestation_name":"jira-ticket","user_data":{},"is_compliant":true}"#
        );
        let r = a.request().unwrap();
        assert_eq!(
            r.render_path(Some("acme")).unwrap(),
            "api/v2/attestations/acme/demo-flow/trail/trail-1/generic"
        );
        let Body::Multipart(parts) = r.body() else {
            panic!()
        };
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].content_type(), None);
    }

    #[test]
    fn every_common_field_in_the_clis_order() {
        // Observed from CLI v2.43.1: `attest generic --name g1 --compliant=false --description
        // "d <x>" --annotate a=1,b_2=x --annotate c=3 --external-url j=https://j --origin-url https://o`.
        let a = Attestation::generic("f", "t", "g1", false)
            .unwrap()
            .description("d <x>")
            .annotate("c", "3")
            .unwrap()
            .annotate("a", "1")
            .unwrap()
            .annotate("b_2", "x")
            .unwrap()
            .external_urls(
                crate::provenance::external_urls([("j", "https://j")], [("x", "y"); 0]).unwrap(),
            )
            .origin_url("https://o");
        assert_eq!(
            a.data_json().unwrap(),
            r#"{"attestation_name":"g1","external_urls":{"j":{"href":"https://j"}},"origin_url":"https://o","user_data":{},"description":"d \u003cx\u003e","annotations":{"a":"1","b_2":"x","c":"3"},"is_compliant":false}"#
        );
        assert!(a.clone().annotate("bad-key", "v").is_err());
    }

    #[test]
    fn target_artifact_and_fingerprint() {
        let fp: Fingerprint = "bd81e92142ca4c23bab76ce6fe3c12dd581d6a80fc43be930a643db19e9a86ef"
            .parse()
            .unwrap();
        let a = Attestation::generic("f", "t", "app.c", true)
            .unwrap()
            .fingerprint(fp);
        assert_eq!(
            a.data_json().unwrap(),
            format!(
                r#"{{"artifact_fingerprint":"{fp}","attestation_name":"c","target_artifacts":["app"],"user_data":{{}},"is_compliant":true}}"#
            )
        );
        assert_eq!(
            Attestation::generic("f", "t", "a.b.c", true)
                .unwrap_err()
                .to_string(),
            "invalid attestation name format: a.b.c"
        );
    }

    #[test]
    fn custom_matches_the_capture() {
        // Capture attest_custom: the user data file's numbers are Go float64s (9.5 stays 9.5).
        let a = Attestation::custom(
            "demo-flow",
            "trail-1",
            "person-check",
            "person",
            json!({"name": "Jane", "age": 34}),
        )
        .unwrap()
        .user_data(
            json!({"reviewer": "bob", "ticket": "SEC-42", "score": 9.5, "tags": ["a", "b"]}),
        );
        assert_eq!(
            a.data_json().unwrap(),
            r#"{"attestation_name":"person-check","user_data":{"reviewer":"bob","score":9.5,"tags":["a","b"],"ticket":"SEC-42"},"type_name":"person","attestation_data":{"age":34,"name":"Jane"}}"#
        );
        assert_eq!(a.evidence().type_name(), "custom");
    }

    #[test]
    fn junit_attaches_its_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("junit.xml"),
            r#"<testsuite name="s" tests="1"><testcase name="a"/></testsuite>"#,
        )
        .unwrap();
        let summary = crate::evidence::junit::parse_dir(dir.path()).unwrap();
        let a = Attestation::junit("f", "t", "unit", &summary, true).unwrap();
        let r = a.request().unwrap();
        let Body::Multipart(parts) = r.body() else {
            panic!()
        };
        assert_eq!(parts[1].filename(), Some("junit.xml"));
        assert!(a
            .data_json()
            .unwrap()
            .contains(r#""junit_results":[{"name":"s","#));
        let a = Attestation::junit("f", "t", "unit", &summary, false).unwrap();
        assert!(a.attachment_paths().is_empty());
        assert_eq!(a.evidence().type_name(), "junit");
    }

    #[test]
    fn pull_requests_follow_the_common_fields() {
        let a = Attestation::pull_request("f", "t", "pr", "github", vec![]).unwrap();
        assert_eq!(
            a.data_json().unwrap(),
            r#"{"attestation_name":"pr","user_data":{},"git_provider":"github","pull_requests":[]}"#
        );
        assert_eq!(a.request().unwrap().operation().name, "attest_pull_request");
    }
}
