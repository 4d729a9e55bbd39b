//! `kosli allow artifact` and `kosli assert artifact` (the compliance gate): over
//! `kosli_core::ops::compliance`. The verdict is a typed `Verdict` with the core's reasons.

use kosli_core::ops::compliance::{
    AllowArtifact, AssertArtifact, AttestationStatus, FlowCompliance, PolicyEvaluation,
    RuleEvaluation, Verdict,
};
use pyo3::prelude::*;

use crate::artifact::{fingerprint_arg, PyArtifactRef};
use crate::client::PyClient;
use crate::convert::{invalid, json_to_py};
use crate::outcome::PyOutcome;
use crate::records::{list_of, Record};

fn attestation_status_record<'py>(
    py: Python<'py>,
    a: &AttestationStatus,
) -> PyResult<Bound<'py, PyAny>> {
    Record::new(py, "AttestationStatus")
        .set("attestation_name", &a.attestation_name)?
        .set("attestation_type", &a.attestation_type)?
        .set("status", &a.status)?
        .set("is_compliant", a.is_compliant)?
        .set("unexpected", a.unexpected)?
        .build()
}

fn flow_compliance_record<'py>(py: Python<'py>, f: &FlowCompliance) -> PyResult<Bound<'py, PyAny>> {
    let s = &f.compliance_status;
    let status = Record::new(py, "ComplianceStatus")
        .set("is_compliant", s.is_compliant)?
        .set("status", &s.status)?
        .set(
            "attestations_statuses",
            list_of(py, &s.attestations_statuses, attestation_status_record)?,
        )?
        .build()?;
    Record::new(py, "FlowCompliance")
        .set("flow", &f.flow)?
        .set("trail", &f.trail)?
        .set("compliance_status", status)?
        .build()
}

fn rule_record<'py>(py: Python<'py>, r: &RuleEvaluation) -> PyResult<Bound<'py, PyAny>> {
    let definition = Record::new(py, "RuleDefinition")
        .set("name", &r.definition.name)?
        .set("rule_type", &r.definition.rule_type)?
        .build()?;
    Record::new(py, "RuleEvaluation")
        .set("ignored", r.ignored)?
        .set("satisfied", r.satisfied)?
        .set("definition", definition)?
        .set("resolutions", list_of(py, &r.resolutions, json_to_py)?)?
        .build()
}

fn policy_record<'py>(py: Python<'py>, p: &PolicyEvaluation) -> PyResult<Bound<'py, PyAny>> {
    Record::new(py, "PolicyEvaluation")
        .set("policy_name", &p.policy_name)?
        .set("status", &p.status)?
        .set(
            "rule_evaluations",
            list_of(py, &p.rule_evaluations, rule_record)?,
        )?
        .build()
}

fn verdict_record<'py>(py: Python<'py>, v: &Verdict) -> PyResult<Bound<'py, PyAny>> {
    Record::new(py, "Verdict")
        .set("compliant", v.compliant)?
        .set("scope", &v.scope)?
        .set("fingerprint", &v.fingerprint)?
        .set("flows", list_of(py, &v.flows, flow_compliance_record)?)?
        .set("html_url", &v.html_url)?
        .set("environment", &v.environment)?
        .set(
            "policy_evaluations",
            list_of(py, &v.policy_evaluations, policy_record)?,
        )?
        .set("reasons", v.reasons())?
        .build()
}

#[pymethods]
impl PyClient {
    /// `kosli allow artifact`: adds an artifact to the allow-list of `environment` because of
    /// `reason`. The artifact is an `ArtifactRef` (`artifact`), or a `fingerprint` with the
    /// `artifact_name` to show.
    #[pyo3(signature = (environment, *, reason, artifact = None, fingerprint = None,
        artifact_name = None))]
    fn allow_artifact(
        &self,
        py: Python<'_>,
        environment: String,
        reason: String,
        artifact: Option<Bound<'_, PyArtifactRef>>,
        fingerprint: Option<Bound<'_, PyAny>>,
        artifact_name: Option<String>,
    ) -> PyResult<PyOutcome> {
        let allow = match (artifact, fingerprint, artifact_name) {
            (Some(a), None, None) => AllowArtifact::new(environment, &a.get().0, reason),
            (None, Some(fp), Some(shown)) => AllowArtifact::with_fingerprint(
                environment,
                fingerprint_arg(py, &fp)?,
                shown,
                reason,
            ),
            (None, Some(_), None) => {
                return Err(invalid(
                    py,
                    "artifact_name",
                    "give artifact_name (the name shown for the artifact) with fingerprint"
                        .to_string(),
                ))
            }
            _ => {
                return Err(invalid(
                    py,
                    "artifact",
                    "give artifact, or fingerprint and artifact_name".to_string(),
                ))
            }
        };
        self.run(py, move |c| {
            c.allow_artifact(&allow).map(|o| PyOutcome::from(&o))
        })
    }

    /// `kosli assert artifact`: asks Kosli whether an artifact (an `ArtifactRef`, a
    /// `Fingerprint` or its hex) is compliant, against its flows' templates (optionally only in
    /// `flow`), every policy of `environment`, or the named `policies`. Returns the `Verdict`
    /// whatever it says (`compliant`, and `reasons` when not); an artifact Kosli does not know
    /// is a `NotFoundError`.
    #[pyo3(signature = (artifact, *, flow = None, environment = None, policies = None))]
    fn assert_artifact<'py>(
        &self,
        py: Python<'py>,
        artifact: &Bound<'py, PyAny>,
        flow: Option<String>,
        environment: Option<String>,
        policies: Option<Vec<String>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let fingerprint = match artifact.cast::<PyArtifactRef>() {
            Ok(a) => a.get().0.fingerprint(),
            Err(_) => fingerprint_arg(py, artifact)?,
        };
        let mut assert = AssertArtifact::new(fingerprint);
        if let Some(f) = flow {
            assert = assert.flow(f);
        }
        match (environment, policies) {
            (Some(_), Some(_)) => {
                return Err(invalid(
                    py,
                    "policies",
                    "give environment or policies, not both".to_string(),
                ))
            }
            (Some(env), None) => assert = assert.environment(env),
            (None, Some(p)) => assert = assert.policies(p),
            (None, None) => {}
        }
        let verdict = self.run(py, move |c| c.assert_artifact(&assert))?;
        verdict_record(py, &verdict)
    }
}
