//! Local gates: a YAML file of policies (the seed's shape) evaluated against the evidence the
//! program holds, before anything is deployed.
//!
//! ```yaml
//! policies:
//! - name: production-requirements
//!   rules:
//!   - type: test-evidence        # JUnit results present
//!     required: true
//!     max-failures: 0            # optional; also max-errors
//!   - type: security-scan        # a scan summary present
//!     required: true
//!     max-critical-vulnerabilities: 0   # optional; also max-high-, max-medium-, max-low-
//!   - type: code-review          # pull-request evidence
//!     required: true
//!     min-approvals: 1           # optional, default 1
//!   - type: attestation          # a compliant attestation with this name (ours)
//!     name: jira-ticket
//! ```
//!
//! The file is read strictly: an unknown rule type or key, a key of another rule type, a
//! negative or non-numeric limit, an empty policy list or a policy without rules is a `Parse`
//! error naming the line. `required` defaults to true; a rule that is not required passes when
//! its evidence is absent and still checks the limits of evidence that is present. Limits
//! apply to the sums over every piece of evidence of the kind (all JUnit summaries, all
//! scans); `min-approvals` applies to each code review.
//!
//! ```
//! use kosli_core::policy::gate::{EvidenceSet, Gate, TestEvidence};
//! let gate = Gate::from_yaml("policies:\n- name: tests\n  rules:\n  - type: test-evidence\n    max-failures: 0\n")?;
//! let mut evidence = EvidenceSet::new();
//! evidence.tests.push(TestEvidence { total: 10, failures: 2, ..Default::default() });
//! let verdict = gate.evaluate(&evidence);
//! assert!(!verdict.allowed);
//! assert_eq!(verdict.reasons(), ["tests: test-evidence: 2 failed tests, more than the 0 allowed (max-failures)"]);
//! # Ok::<(), kosli_core::Error>(())
//! ```

mod evidence;
mod rules;
mod verdict;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub use evidence::{AttestationEvidence, CodeReview, EvidenceSet, ScanEvidence, TestEvidence};
pub use rules::{Rule, RuleType};
pub use verdict::{RuleResult, Verdict};

/// One named policy of a gate file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GatePolicy {
    /// The policy's name (named in reasons).
    pub name: String,
    /// Its rules, in file order.
    pub rules: Vec<Rule>,
}

/// A gate file: its policies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    /// The policies, in file order.
    pub policies: Vec<GatePolicy>,
}

impl Gate {
    /// Reads a gate from YAML text.
    pub fn from_yaml(text: &str) -> Result<Gate> {
        Self::parse(text, None)
    }

    /// Reads a gate file; errors name the file and line.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Gate> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io("open", path, e))?;
        Self::parse(&text, Some(path))
    }

    fn parse(text: &str, file: Option<&Path>) -> Result<Gate> {
        let located = |line: Option<u64>, message: String| {
            let place = match (file, line) {
                (Some(f), Some(l)) => format!("{}:{l}: ", f.display()),
                (Some(f), None) => format!("{}: ", f.display()),
                (None, Some(l)) => format!("line {l}: "),
                (None, None) => String::new(),
            };
            Error::parse(
                file.map(PathBuf::from).as_deref(),
                line,
                format!("invalid gate file: {place}{message}"),
            )
        };
        let gate: Option<Gate> = serde_yaml_ng::from_str(text).map_err(|e| {
            let line = e.location().map(|l| l.line() as u64);
            let text = e.to_string();
            // The location is given separately; keep the message short.
            let message = match text.rsplit_once(" at line ") {
                Some((head, _)) => head.to_string(),
                None => text,
            };
            located(line, message)
        })?;
        let gate =
            gate.ok_or_else(|| located(None, "the file is empty (expected `policies:`)".into()))?;
        if gate.policies.is_empty() {
            return Err(located(
                None,
                "`policies` is empty: a gate needs at least one policy".into(),
            ));
        }
        for (i, p) in gate.policies.iter().enumerate() {
            if p.name.trim().is_empty() {
                return Err(located(
                    None,
                    format!("policies[{i}]: `name` must not be empty"),
                ));
            }
            if p.rules.is_empty() {
                return Err(located(None, format!("policy `{}` has no rules", p.name)));
            }
            if gate.policies[..i].iter().any(|q| q.name == p.name) {
                return Err(located(
                    None,
                    format!("the policy name `{}` appears twice", p.name),
                ));
            }
        }
        Ok(gate)
    }

    /// Evaluates every rule of every policy against `evidence`.
    pub fn evaluate(&self, evidence: &EvidenceSet) -> Verdict {
        let results: Vec<RuleResult> = self
            .policies
            .iter()
            .flat_map(|p| {
                p.rules.iter().map(move |r| RuleResult {
                    policy: p.name.clone(),
                    rule: r.rule_type.as_str().to_string(),
                    reason: check(r, evidence),
                    passed: false,
                })
            })
            .map(|mut r| {
                r.passed = r.reason.is_none();
                r
            })
            .collect();
        Verdict {
            allowed: results.iter().all(|r| r.passed),
            results,
        }
    }
}

/// Reads `yaml` and evaluates it against `evidence` (the bindings' one call).
pub fn evaluate_yaml(yaml: &str, evidence: &EvidenceSet) -> Result<Verdict> {
    Ok(Gate::from_yaml(yaml)?.evaluate(evidence))
}

fn over(what: &str, got: u64, max: Option<u64>, key: &str) -> Option<String> {
    let max = max?;
    (got > max).then(|| format!("{got} {what}, more than the {max} allowed ({key})"))
}

/// Why `rule` fails on `evidence`, or `None` when it passes.
fn check(rule: &Rule, evidence: &EvidenceSet) -> Option<String> {
    let mut why: Vec<String> = Vec::new();
    match rule.rule_type {
        RuleType::TestEvidence => {
            if evidence.tests.is_empty() {
                return rule
                    .required
                    .then(|| "no test results (JUnit) were found".into());
            }
            let failures: u64 = evidence.tests.iter().map(|t| t.failures).sum();
            let errors: u64 = evidence.tests.iter().map(|t| t.errors).sum();
            why.extend(over(
                "failed tests",
                failures,
                rule.max_failures,
                "max-failures",
            ));
            why.extend(over("errored tests", errors, rule.max_errors, "max-errors"));
        }
        RuleType::SecurityScan => {
            if evidence.scans.is_empty() {
                return rule.required.then(|| "no security scan was found".into());
            }
            let sum = |f: fn(&ScanEvidence) -> u64| evidence.scans.iter().map(f).sum::<u64>();
            why.extend(over(
                "critical vulnerabilities",
                sum(|s| s.critical),
                rule.max_critical,
                "max-critical-vulnerabilities",
            ));
            why.extend(over(
                "high vulnerabilities",
                sum(|s| s.high),
                rule.max_high,
                "max-high-vulnerabilities",
            ));
            why.extend(over(
                "medium vulnerabilities",
                sum(|s| s.medium),
                rule.max_medium,
                "max-medium-vulnerabilities",
            ));
            why.extend(over(
                "low vulnerabilities",
                sum(|s| s.low),
                rule.max_low,
                "max-low-vulnerabilities",
            ));
        }
        RuleType::CodeReview => {
            if evidence.code_reviews.is_empty() {
                return rule
                    .required
                    .then(|| "no code review (pull request) was found".into());
            }
            let min = rule.min_approvals.unwrap_or(1);
            for r in &evidence.code_reviews {
                if r.approvals < min {
                    let which = if r.url.is_empty() {
                        "a change".to_string()
                    } else {
                        r.url.clone()
                    };
                    why.push(format!(
                        "{which} has {} approval(s), fewer than the {min} required (min-approvals)",
                        r.approvals
                    ));
                }
            }
        }
        RuleType::Attestation => {
            let name = rule.name.as_deref().unwrap_or_default();
            let found: Vec<_> = evidence
                .attestations
                .iter()
                .filter(|a| a.name == name)
                .collect();
            if found.is_empty() {
                return rule
                    .required
                    .then(|| format!("no attestation named {name} was found"));
            }
            if found.iter().any(|a| !a.compliant) {
                why.push(format!("the attestation {name} is not compliant"));
            }
        }
    }
    (!why.is_empty()).then(|| why.join("; "))
}

#[cfg(test)]
mod tests;
