//! What a gate decides: one result per rule, and the reasons of those that failed.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The result of one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleResult {
    /// The policy the rule belongs to.
    pub policy: String,
    /// The rule's type (`test-evidence`).
    pub rule: String,
    /// Whether it passed.
    pub passed: bool,
    /// Why it failed (`None` when it passed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A gate's decision: allowed only when every rule passed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// Whether every rule passed.
    pub allowed: bool,
    /// Every rule's result, in file order.
    pub results: Vec<RuleResult>,
}

impl Verdict {
    /// One reason per failed rule, `<policy>: <rule>: <why>`.
    pub fn reasons(&self) -> Vec<String> {
        self.results
            .iter()
            .filter_map(|r| {
                r.reason
                    .as_ref()
                    .map(|why| format!("{}: {}: {why}", r.policy, r.rule))
            })
            .collect()
    }

    /// The verdict when allowed, else a `PolicyDenied` error holding the reasons.
    pub fn into_result(self) -> Result<Verdict> {
        if self.allowed {
            return Ok(self);
        }
        let reasons = self.reasons();
        Err(Error::PolicyDenied {
            message: format!("the gate denied: {}", reasons.join("; ")),
            reasons,
        })
    }
}
