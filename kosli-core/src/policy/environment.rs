//! Kosli environment policies (`_schema: https://kosli.com/schemas/policy/environment/v1`): the
//! typed model of the YAML that `create policy` uploads, and its validation.
//!
//! The CLI uploads the file as it is and lets the server judge it; [`super::ops::CreatePolicy`]
//! does the same (identical on the wire). [`EnvironmentPolicy::from_yaml`] is the check a
//! program can run first: unknown keys, a missing or unsupported `_schema`, an attestation rule
//! whose `name` and `type` are both `*`, an unknown attestation type or an expression not
//! wrapped in `${{ }}` are `Parse` errors naming the line where serde can place them.
//!
//! ```
//! use kosli_core::policy::environment::EnvironmentPolicy;
//! let policy = EnvironmentPolicy::from_yaml("_schema: https://kosli.com/schemas/policy/environment/v1\n\
//!     artifacts:\n  provenance:\n    required: true\n  attestations:\n  - name: security-scan\n    type: snyk\n")?;
//! assert!(policy.artifacts.provenance.as_ref().is_some_and(|p| p.required));
//! assert_eq!(policy.artifacts.attestations[0].attestation_type, "snyk");
//! # Ok::<(), kosli_core::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The `_schema` the CLI's own example uses.
pub const SCHEMA_V1: &str = "https://kosli.com/schemas/policy/environment/v1";

/// The built-in attestation types a rule may require (besides `*` and `custom:<name>`).
pub const ATTESTATION_TYPES: &[&str] =
    &["generic", "junit", "snyk", "pull_request", "jira", "sonar"];

/// An environment policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentPolicy {
    /// The format's version URL; its last segment is `v1`.
    #[serde(rename = "_schema")]
    pub schema: String,
    /// What every artifact running in the environment needs.
    #[serde(default)]
    pub artifacts: ArtifactRules,
}

/// The `artifacts` section.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArtifactRules {
    /// Artifacts must have provenance (be reported to a flow).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Requirement>,
    /// Artifacts must belong to a compliant trail.
    #[serde(
        rename = "trail-compliance",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub trail_compliance: Option<Requirement>,
    /// Attestations every artifact must have.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attestations: Vec<AttestationRule>,
}

/// A requirement that may be waived by exceptions.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// Whether it applies (default false).
    #[serde(default)]
    pub required: bool,
    /// When it is waived.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<Exception>,
}

/// One exception: a policy expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    /// `${{ ... }}`.
    #[serde(rename = "if")]
    pub condition: String,
}

/// A required attestation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttestationRule {
    /// The attestation name, `*` for any (the default).
    #[serde(default = "any")]
    pub name: String,
    /// The type: a built-in one, `custom:<name>`, or `*`.
    #[serde(rename = "type")]
    pub attestation_type: String,
    /// Only required when this expression holds.
    #[serde(rename = "if", default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

fn any() -> String {
    "*".to_string()
}

impl EnvironmentPolicy {
    /// Reads and validates a policy.
    pub fn from_yaml(text: &str) -> Result<EnvironmentPolicy> {
        let policy: EnvironmentPolicy = serde_yaml_ng::from_str(text).map_err(|e| {
            let line = e.location().map(|l| l.line() as u64);
            Error::parse(None, line, format!("invalid environment policy: {e}"))
        })?;
        policy.validate()?;
        Ok(policy)
    }

    /// Checks what serde cannot: the schema version, attestation rules and expressions.
    pub fn validate(&self) -> Result<()> {
        let bad = |message: String| {
            Err(Error::parse(
                None,
                None,
                format!("invalid environment policy: {message}"),
            ))
        };
        let version = self
            .schema
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default();
        match version.strip_prefix('v').map(str::parse::<u32>) {
            Some(Ok(1)) => {}
            Some(Ok(n)) => return bad(format!("_schema version v{n} is not supported (only v1)")),
            _ => return bad(format!("_schema must end in /v1, got {:?}", self.schema)),
        }
        let expressions = [&self.artifacts.provenance, &self.artifacts.trail_compliance]
            .into_iter()
            .flatten()
            .flat_map(|r| r.exceptions.iter().map(|e| &e.condition));
        for e in expressions {
            check_expression(e)?;
        }
        for (i, a) in self.artifacts.attestations.iter().enumerate() {
            if a.name == "*" && a.attestation_type == "*" {
                return bad(format!(
                    "artifacts.attestations[{i}]: `name` and `type` must not both be `*`"
                ));
            }
            let t = a.attestation_type.as_str();
            let custom = t.strip_prefix("custom:").is_some_and(|n| !n.is_empty());
            if !(t == "*" || custom || ATTESTATION_TYPES.contains(&t)) {
                return bad(format!(
                    "artifacts.attestations[{i}]: unknown attestation type {t:?} (one of: {}, custom:<name>, *)",
                    ATTESTATION_TYPES.join(", ")
                ));
            }
            if let Some(c) = &a.condition {
                check_expression(c)?;
            }
        }
        Ok(())
    }
}

fn check_expression(e: &str) -> Result<()> {
    let t = e.trim();
    let inner = t.strip_prefix("${{").and_then(|s| s.strip_suffix("}}"));
    match inner {
        Some(body) if !body.trim().is_empty() => Ok(()),
        _ => Err(Error::parse(
            None,
            None,
            format!(
                "invalid environment policy: the expression {e:?} must be written ${{{{ ... }}}}"
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_captured_policy_and_the_docs_example_read() {
        // contract/captures-2/create_policy: the file the CLI uploaded.
        let p = EnvironmentPolicy::from_yaml(
            "_schema: https://kosli.com/schemas/policy/environment/v1\n\nartifacts:\n  provenance:\n    required: true\n\n  trail-compliance:\n    required: true",
        )
        .unwrap();
        assert!(p.artifacts.trail_compliance.unwrap().required);
        let p = EnvironmentPolicy::from_yaml(
            "_schema: https://kosli.mintlify.app/schemas/policy/v1\nartifacts:\n  provenance:\n    required: true\n    exceptions:\n      - if: ${{ matches(artifact.name, \"^datadog:.*\") }}\n  attestations:\n    - name: security-scan\n      type: snyk\n    - name: pull-request\n      type: pull_request\n      if: ${{ flow.tags.risk-level == \"high\" }}\n    - type: custom:coverage-metrics\n",
        )
        .unwrap();
        assert_eq!(p.artifacts.attestations.len(), 3);
        assert_eq!(p.artifacts.attestations[2].name, "*");
    }

    #[test]
    fn bad_policies_are_refused_with_the_place() {
        let err = |text: &str| EnvironmentPolicy::from_yaml(text).unwrap_err();
        let e = err("_schema: https://kosli.com/schemas/policy/environment/v1\nartifacts:\n  provenance:\n    requried: true\n");
        assert_eq!(e.kind(), crate::ErrorKind::Parse);
        assert!(
            e.to_string().contains("requried") && e.to_string().contains("line 4"),
            "{e}"
        );
        let e = err("artifacts: {}\n");
        assert!(e.to_string().contains("_schema"), "{e}");
        let e = err("_schema: https://kosli.com/schemas/policy/environment/v2\n");
        assert!(e.to_string().contains("v2 is not supported"), "{e}");
        let e = err("_schema: x\n");
        assert!(e.to_string().contains("must end in /v1"), "{e}");
        let e = err(
            "_schema: https://k/v1\nartifacts:\n  attestations:\n  - name: '*'\n    type: '*'\n",
        );
        assert!(e.to_string().contains("must not both be `*`"), "{e}");
        let e = err("_schema: https://k/v1\nartifacts:\n  attestations:\n  - type: sbom\n");
        assert!(
            e.to_string().contains("unknown attestation type \"sbom\""),
            "{e}"
        );
        let e = err("_schema: https://k/v1\nartifacts:\n  attestations:\n  - name: x\n");
        assert!(e.to_string().contains("missing field `type`"), "{e}");
        let e = err("_schema: https://k/v1\nartifacts:\n  trail-compliance:\n    exceptions:\n    - if: flow.name == 'x'\n");
        assert!(e.to_string().contains("${{ ... }}"), "{e}");
    }
}
