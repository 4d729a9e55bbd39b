//! The compliance gate: ask Kosli whether an artifact is compliant (`kosli assert artifact`),
//! against its flows' templates, an environment's policies or named policies, and get a typed
//! [`Verdict`] with the reasons; and allow an artifact into an environment regardless
//! (`kosli allow artifact`) (wire.md §2.3, §2.6).
//!
//! ```no_run
//! # async fn demo(client: kosli_core::Client, fp: kosli_core::Fingerprint) -> kosli_core::Result<()> {
//! use kosli_core::ops::compliance::AssertArtifact;
//! let verdict = client.assert_artifact(&AssertArtifact::new(fp).flow("payments-api")).await?;
//! for reason in verdict.reasons() {
//!     tracing::warn!("{reason}");
//! }
//! verdict.into_result()?; // a `PolicyDenied` error when it is not compliant
//! # Ok(())
//! # }
//! ```

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::artifact::ArtifactRef;
use crate::client::{Client, Outcome, Request, Response};
use crate::error::{Error, Result};
use crate::fingerprint::Fingerprint;
use crate::operations;

/// The message of the error a non-compliant verdict becomes (the CLI's).
pub const NOT_COMPLIANT: &str = "Artifact is not compliant";

/// `kosli allow artifact`: adds an artifact to an environment's allow-list, with a reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowArtifact {
    environment: String,
    fingerprint: Fingerprint,
    artifact_name: String,
    reason: String,
}

/// The JSON body, in the CLI's field order.
#[derive(Serialize)]
struct AllowPayload<'a> {
    artifact_fingerprint: String,
    artifact_name: &'a str,
    description: &'a str,
}

impl AllowArtifact {
    /// Allows `artifact` (its name and fingerprint) in `environment` because of `reason`.
    pub fn new(
        environment: impl Into<String>,
        artifact: &ArtifactRef,
        reason: impl Into<String>,
    ) -> Self {
        Self::with_fingerprint(environment, artifact.fingerprint(), artifact.name(), reason)
    }

    /// Allows the artifact with `fingerprint`, shown as `artifact_name` (the CLI sends the
    /// argument as given with `--fingerprint`, the base name of a fingerprinted file or dir).
    pub fn with_fingerprint(
        environment: impl Into<String>,
        fingerprint: Fingerprint,
        artifact_name: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        AllowArtifact {
            environment: environment.into(),
            fingerprint,
            artifact_name: artifact_name.into(),
            reason: reason.into(),
        }
    }

    /// The environment.
    pub fn environment(&self) -> &str {
        &self.environment
    }

    /// The fingerprint allowed.
    pub fn fingerprint(&self) -> Fingerprint {
        self.fingerprint
    }

    /// The request the CLI would send (`--reason` is sent as `description`).
    pub fn request(&self) -> Result<Request> {
        if self.environment.is_empty() {
            return Err(Error::invalid_input(
                "environment",
                "the environment name must not be empty",
            ));
        }
        Request::new(&operations::ALLOW_ARTIFACT)
            .param("env", &self.environment)
            .json(&AllowPayload {
                artifact_fingerprint: self.fingerprint.to_string(),
                artifact_name: &self.artifact_name,
                description: &self.reason,
            })
    }
}

/// What an assert checks the artifact against.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AssertAgainst {
    /// The templates of the flows the artifact is in.
    Flows,
    /// Every policy attached to an environment.
    Environment(String),
    /// These policies.
    Policies(Vec<String>),
}

/// `kosli assert artifact`: the compliance gate's question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssertArtifact {
    fingerprint: Fingerprint,
    flow: Option<String>,
    against: AssertAgainst,
}

impl AssertArtifact {
    /// Asks about the artifact with `fingerprint`, against its flows' templates.
    pub fn new(fingerprint: Fingerprint) -> Self {
        AssertArtifact {
            fingerprint,
            flow: None,
            against: AssertAgainst::Flows,
        }
    }

    /// Only the artifact as reported in this flow.
    pub fn flow(mut self, flow: impl Into<String>) -> Self {
        self.flow = Some(flow.into());
        self
    }

    /// Against every policy attached to `environment` (replaces any policies).
    pub fn environment(mut self, environment: impl Into<String>) -> Self {
        self.against = AssertAgainst::Environment(environment.into());
        self
    }

    /// Against these policies (replaces any environment).
    pub fn policies<I, S>(mut self, policies: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.against = AssertAgainst::Policies(policies.into_iter().map(Into::into).collect());
        self
    }

    /// What the artifact is checked against.
    pub fn against(&self) -> &AssertAgainst {
        &self.against
    }

    /// The request the CLI would send.
    pub fn request(&self) -> Request {
        let mut r = Request::new(&operations::ASSERT_ARTIFACT)
            .param("fingerprint", self.fingerprint.to_string());
        if let Some(flow) = self.flow.as_deref().filter(|f| !f.is_empty()) {
            r = r.query("flow_name", flow);
        }
        match &self.against {
            AssertAgainst::Flows => {}
            AssertAgainst::Environment(env) => r = r.query("environment_name", env),
            AssertAgainst::Policies(policies) => {
                for p in policies {
                    r = r.query("policy_name", p);
                }
            }
        }
        r
    }
}

/// One attestation's state in a trail.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct AttestationStatus {
    /// The attestation's name.
    #[serde(default)]
    pub attestation_name: String,
    /// Its type (`junit`, `generic`, ...).
    #[serde(default)]
    pub attestation_type: String,
    /// `COMPLETE`, `MISSING`, ...
    #[serde(default)]
    pub status: String,
    /// Whether it is compliant.
    #[serde(default)]
    pub is_compliant: bool,
    /// Whether the template does not expect it.
    #[serde(default)]
    pub unexpected: bool,
}

/// A trail's compliance.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[non_exhaustive]
pub struct ComplianceStatus {
    /// Whether the trail is compliant.
    #[serde(default)]
    pub is_compliant: Option<bool>,
    /// `COMPLIANT`, `NON-COMPLIANT`, ...
    #[serde(default)]
    pub status: Option<String>,
    /// Its attestations.
    #[serde(default)]
    pub attestations_statuses: Vec<AttestationStatus>,
}

/// The artifact in one flow: its trail and that trail's compliance.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct FlowCompliance {
    /// The flow.
    #[serde(default)]
    pub flow: String,
    /// The trail the artifact was reported in.
    #[serde(default)]
    pub trail: String,
    /// The trail's compliance.
    #[serde(default)]
    pub compliance_status: ComplianceStatus,
}

/// The rule a policy evaluation checked.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[non_exhaustive]
pub struct RuleDefinition {
    /// The rule's name.
    #[serde(default)]
    pub name: String,
    /// The rule's type.
    #[serde(rename = "type", default)]
    pub rule_type: String,
}

/// One rule of a policy, evaluated.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct RuleEvaluation {
    /// Whether the rule was ignored (an exception applies).
    #[serde(default)]
    pub ignored: bool,
    /// Whether the artifact satisfies it.
    #[serde(default)]
    pub satisfied: bool,
    /// The rule (`rule.definition` in the answer).
    #[serde(default, rename = "rule", deserialize_with = "rule_definition")]
    pub definition: RuleDefinition,
    /// What would resolve it (`{type, context}` objects, as sent).
    #[serde(default)]
    pub resolutions: Vec<Value>,
}

fn rule_definition<'de, D>(d: D) -> std::result::Result<RuleDefinition, D::Error>
where
    D: serde::Deserializer<'de>,
{
    #[derive(Deserialize, Default)]
    struct Rule {
        #[serde(default)]
        definition: Option<RuleDefinition>,
    }
    Ok(Option::<Rule>::deserialize(d)?
        .and_then(|r| r.definition)
        .unwrap_or_default())
}

/// One policy, evaluated against the artifact.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct PolicyEvaluation {
    /// The policy's name.
    #[serde(default)]
    pub policy_name: String,
    /// `COMPLIANT`, `NON-COMPLIANT`, ...
    #[serde(default)]
    pub status: String,
    /// Its rules.
    #[serde(default)]
    pub rule_evaluations: Vec<RuleEvaluation>,
}

/// Kosli's answer to an assert: compliant or not, and why.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Verdict {
    /// Whether the artifact is compliant: the gate's answer.
    pub compliant: bool,
    /// What it was checked against: `flow`, `environment` or `policy`.
    #[serde(default)]
    pub scope: String,
    /// The artifact's fingerprint.
    #[serde(default)]
    pub fingerprint: String,
    /// The artifact in each flow it is in.
    #[serde(default)]
    pub flows: Vec<FlowCompliance>,
    /// The artifact's page in Kosli.
    #[serde(default)]
    pub html_url: Option<String>,
    /// The environment, for the `environment` scope.
    #[serde(default)]
    pub environment: Option<String>,
    /// The policies evaluated (environment and policy scopes).
    #[serde(default)]
    pub policy_evaluations: Vec<PolicyEvaluation>,
}

impl Verdict {
    /// Reads the answer.
    pub fn from_response(response: &Response) -> Result<Self> {
        response.json()
    }

    /// Why the artifact is not compliant, one line per cause: each attestation that is not
    /// compliant (or missing), each unexpected one, each policy rule not satisfied (ignored
    /// rules are not causes), and each non-compliant policy or trail with no finer cause.
    /// Empty when compliant.
    pub fn reasons(&self) -> Vec<String> {
        if self.compliant {
            return Vec::new();
        }
        let mut reasons = Vec::new();
        for p in &self.policy_evaluations {
            let before = reasons.len();
            for r in p
                .rule_evaluations
                .iter()
                .filter(|r| !r.ignored && !r.satisfied)
            {
                reasons.push(format!(
                    "policy {}: rule {} ({}) is not satisfied",
                    p.policy_name, r.definition.name, r.definition.rule_type
                ));
            }
            if reasons.len() == before && p.status != "COMPLIANT" && !p.status.is_empty() {
                reasons.push(format!("policy {} is {}", p.policy_name, p.status));
            }
        }
        for f in &self.flows {
            let before = reasons.len();
            for a in &f.compliance_status.attestations_statuses {
                if !a.is_compliant {
                    reasons.push(format!(
                        "flow {}, trail {}: attestation {} ({}) is {} and not compliant",
                        f.flow, f.trail, a.attestation_name, a.attestation_type, a.status
                    ));
                } else if a.unexpected {
                    reasons.push(format!(
                        "flow {}, trail {}: attestation {} ({}) is not expected by the template",
                        f.flow, f.trail, a.attestation_name, a.attestation_type
                    ));
                }
            }
            if reasons.len() == before && f.compliance_status.is_compliant == Some(false) {
                reasons.push(format!(
                    "flow {}, trail {}: the trail is {}",
                    f.flow,
                    f.trail,
                    f.compliance_status
                        .status
                        .as_deref()
                        .unwrap_or("NON-COMPLIANT")
                ));
            }
        }
        if reasons.is_empty() {
            reasons.push(format!(
                "Kosli says the artifact is not compliant ({} scope)",
                self.scope
            ));
        }
        reasons
    }

    /// The verdict if compliant; otherwise a `PolicyDenied` error (the CLI's message) carrying
    /// the reasons.
    pub fn into_result(self) -> Result<Verdict> {
        if self.compliant {
            Ok(self)
        } else {
            Err(Error::PolicyDenied {
                message: NOT_COMPLIANT.to_string(),
                reasons: self.reasons(),
            })
        }
    }
}

impl Client {
    /// Adds an artifact to an environment's allow-list (`kosli allow artifact`).
    pub async fn allow_artifact(&self, allow: &AllowArtifact) -> Result<Outcome> {
        self.write(&allow.request()?).await
    }

    /// Asks Kosli whether an artifact is compliant (`kosli assert artifact`). The verdict is
    /// returned whatever it says ([`Verdict::into_result`] turns "no" into an error); an
    /// artifact Kosli does not know is a `NotFound` error. A read: dry-run does not stop it.
    pub async fn assert_artifact(&self, assert: &AssertArtifact) -> Result<Verdict> {
        Verdict::from_response(&self.read(&assert.request()).await?)
    }
}

impl crate::blocking::Client {
    /// See [`Client::allow_artifact`].
    pub fn allow_artifact(&self, allow: &AllowArtifact) -> Result<Outcome> {
        self.run(|c| async move { c.allow_artifact(allow).await })
    }

    /// See [`Client::assert_artifact`].
    pub fn assert_artifact(&self, assert: &AssertArtifact) -> Result<Verdict> {
        self.run(|c| async move { c.assert_artifact(assert).await })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Body;

    const FP: &str = "bd81e92142ca4c23bab76ce6fe3c12dd581d6a80fc43be930a643db19e9a86ef";

    fn fp() -> Fingerprint {
        FP.parse().unwrap()
    }

    #[test]
    fn allow_body_matches_the_cli() {
        // Capture allow_artifact.
        let r = AllowArtifact::with_fingerprint("prod", fp(), "app.bin", "emergency hotfix")
            .request()
            .unwrap();
        assert_eq!(
            r.render_path(Some("acme")).unwrap(),
            "api/v2/allowlists/acme/prod"
        );
        let Body::Json(b) = r.body() else { panic!() };
        assert_eq!(
            std::str::from_utf8(b).unwrap(),
            format!(
                r#"{{"artifact_fingerprint":"{FP}","artifact_name":"app.bin","description":"emergency hotfix"}}"#
            )
        );
        let artifact = ArtifactRef::new("app.bin", fp(), crate::ArtifactType::File).unwrap();
        assert_eq!(
            AllowArtifact::new("prod", &artifact, "r")
                .request()
                .unwrap(),
            AllowArtifact::with_fingerprint("prod", fp(), "app.bin", "r")
                .request()
                .unwrap()
        );
        assert!(AllowArtifact::with_fingerprint("", fp(), "a", "r")
            .request()
            .is_err());
    }

    #[test]
    fn assert_queries_match_the_cli() {
        let r = AssertArtifact::new(fp()).flow("demo-flow").request();
        assert_eq!(
            r.render_path(Some("acme")).unwrap(),
            format!("api/v2/asserts/acme/fingerprint/{FP}")
        );
        assert_eq!(r.render_query(), "flow_name=demo-flow");
        let r = AssertArtifact::new(fp())
            .policies(["p1", "p2", "p3"])
            .request();
        assert_eq!(
            r.render_query(),
            "policy_name=p1&policy_name=p2&policy_name=p3"
        );
        let r = AssertArtifact::new(fp())
            .policies(["p"])
            .environment("prod")
            .request();
        assert_eq!(r.render_query(), "environment_name=prod");
        assert_eq!(AssertArtifact::new(fp()).request().render_query(), "");
    }

    fn verdict(json: &str) -> Verdict {
        Verdict::from_response(&Response::new(
            "h".into(),
            200,
            bytes::Bytes::from(json.to_string()),
        ))
        .unwrap()
    }

    #[test]
    fn a_compliant_verdict_has_no_reasons() {
        // Capture assert_artifact_compliant.
        let v = verdict(
            r#"{"compliant": true, "scope": "flow", "flows": [{"flow": "demo-flow", "trail": "trail-1", "compliance_status": {"is_compliant": true, "status": "COMPLIANT", "attestations_statuses": [{"attestation_name": "unit-tests", "attestation_type": "junit", "status": "COMPLETE", "is_compliant": true, "unexpected": false}]}}], "html_url": "http://x"}"#,
        );
        assert!(v.reasons().is_empty());
        assert_eq!(
            v.flows[0].compliance_status.attestations_statuses[0].status,
            "COMPLETE"
        );
        assert!(v.into_result().is_ok());
    }

    #[test]
    fn a_non_compliant_verdict_names_its_reasons() {
        let v = verdict(
            r#"{"compliant": false, "scope": "environment", "environment": "prod",
              "policy_evaluations": [
                {"policy_name": "prod-policy", "status": "NON-COMPLIANT", "rule_evaluations": [
                  {"ignored": false, "satisfied": false, "rule": {"definition": {"name": "has-provenance", "type": "provenance"}}, "resolutions": [{"type": "attest", "context": {"for_control": "SDLC-1"}}]},
                  {"ignored": true, "satisfied": false, "rule": {"definition": {"name": "trail-compliance", "type": "trail-compliance"}}},
                  {"ignored": false, "satisfied": true, "rule": null}]},
                {"policy_name": "sec-policy", "status": "NON-COMPLIANT", "rule_evaluations": []},
                {"policy_name": "ok-policy", "status": "COMPLIANT", "rule_evaluations": []}],
              "flows": [
                {"flow": "demo-flow", "trail": "trail-1", "compliance_status": {"is_compliant": false, "status": "NON-COMPLIANT", "attestations_statuses": [
                  {"attestation_name": "unit-tests", "attestation_type": "junit", "status": "COMPLETE", "is_compliant": false, "unexpected": false},
                  {"attestation_name": "extra", "attestation_type": "generic", "status": "COMPLETE", "is_compliant": true, "unexpected": true},
                  {"attestation_name": "snyk-scan", "attestation_type": "snyk", "status": "MISSING", "is_compliant": false, "unexpected": false}]}},
                {"flow": "other", "trail": "t9", "compliance_status": {"is_compliant": false, "status": "NON-COMPLIANT", "attestations_statuses": []}}],
              "html_url": "http://x"}"#,
        );
        assert_eq!(v.environment.as_deref(), Some("prod"));
        assert_eq!(
            v.reasons(),
            [
                "policy prod-policy: rule has-provenance (provenance) is not satisfied",
                "policy sec-policy is NON-COMPLIANT",
                "flow demo-flow, trail trail-1: attestation unit-tests (junit) is COMPLETE and not compliant",
                "flow demo-flow, trail trail-1: attestation extra (generic) is not expected by the template",
                "flow demo-flow, trail trail-1: attestation snyk-scan (snyk) is MISSING and not compliant",
                "flow other, trail t9: the trail is NON-COMPLIANT",
            ]
        );
        assert_eq!(
            v.policy_evaluations[0].rule_evaluations[0]
                .resolutions
                .len(),
            1
        );
        match v.into_result().unwrap_err() {
            Error::PolicyDenied { message, reasons } => {
                assert_eq!(message, NOT_COMPLIANT);
                assert_eq!(reasons.len(), 6);
            }
            other => panic!("{other:?}"),
        }
        let bare = verdict(r#"{"compliant": false, "scope": "flow"}"#);
        assert_eq!(
            bare.reasons(),
            ["Kosli says the artifact is not compliant (flow scope)"]
        );
    }
}
