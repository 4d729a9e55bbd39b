//! Local gates (`kosli_core::policy::gate`): a gate YAML (the seed's `policies:` shape)
//! evaluated against the evidence the program holds, before anything is deployed. Nothing is
//! sent to Kosli.

use std::ffi::c_char;

use kosli_core::evidence::{junit, scan};
use kosli_core::model::pull_request::PullRequest;
use kosli_core::policy::gate::{EvidenceSet, Gate};
use serde_json::{json, Value};

use crate::args::{out_arg, str_arg};
use crate::calls::JsonSlot;
use crate::error::FfiError;
use crate::options::Options;
use crate::panic::ffi_status;
use crate::status::kosli_status;

/// An `InvalidInput` error about `what`.
fn invalid(what: &str, message: String) -> FfiError {
    FfiError::Core(kosli_core::Error::invalid_input(what, message))
}

/// Evaluates the gate `gate_yaml` (YAML text: `policies:` with `test-evidence`,
/// `security-scan`, `code-review` and `attestation` rules; read strictly, an error names the
/// line) against `evidence_json`, an evidence set: `{"tests": [{"name", "total", "failures",
/// "errors", "skipped"}], "scans": [{"tool", "critical", "high", "medium", "low"}],
/// "code_reviews": [{"url", "approvals", "approvers"}], "attestations": [{"name", "type",
/// "compliant"}]}` (every list optional; `{}` for none). Options add evidence read from
/// files: `junit_dirs` (folders or files of JUnit XML), `scan_files` (SARIF 2.1.0, e.g. Snyk,
/// or Trivy JSON), `pull_requests` (pull requests in the `attest_pull_request` wire shape),
/// `attestations` (attestations as Kosli returns them: their JUnit, Snyk and pull-request
/// results count too).
///
/// A denial is an answer, not an error: on `KOSLI_OK`, `*allowed_out` says whether every rule
/// passed and `*json_out` is the verdict, `{"allowed", "results": [{"policy", "rule",
/// "passed", "reason"}], "reasons": ["<policy>: <rule>: <why>", ...]}`, to free with
/// `kosli_string_free`.
///
/// # Safety
/// Strings are NUL-terminated (`options_json` may be NULL); `allowed_out` and `json_out` are
/// writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_gate_evaluate(
    gate_yaml: *const c_char,
    evidence_json: *const c_char,
    options_json: *const c_char,
    allowed_out: *mut bool,
    json_out: *mut *mut c_char,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let gate_yaml = unsafe { str_arg(gate_yaml, "gate_yaml") }?;
        // SAFETY: as above.
        let evidence_json = unsafe { str_arg(evidence_json, "evidence_json") }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let allowed = unsafe { out_arg(allowed_out, "allowed_out") }?;
        // SAFETY: as above.
        let slot = unsafe { JsonSlot::new(json_out) }?;
        let junit_dirs = options.strings("junit_dirs")?.unwrap_or_default();
        let scan_files = options.strings("scan_files")?.unwrap_or_default();
        let prs: Vec<PullRequest> = options.typed("pull_requests")?.unwrap_or_default();
        let attestations: Vec<Value> = options.typed("attestations")?.unwrap_or_default();
        options.finish()?;
        let gate = Gate::from_yaml(gate_yaml)?;
        let mut evidence: EvidenceSet = serde_json::from_str(evidence_json)
            .map_err(|e| invalid("evidence_json", format!("invalid evidence set: {e}")))?;
        let from_kosli = EvidenceSet::from_attestations(attestations.iter());
        evidence.tests.extend(from_kosli.tests);
        evidence.scans.extend(from_kosli.scans);
        evidence.code_reviews.extend(from_kosli.code_reviews);
        evidence.attestations.extend(from_kosli.attestations);
        evidence = evidence.with_pull_requests(&prs);
        for dir in &junit_dirs {
            evidence = evidence.with_junit(&junit::parse_dir(dir)?);
        }
        for file in &scan_files {
            evidence = evidence.with_scan(&scan::parse_file(file)?);
        }
        let verdict = gate.evaluate(&evidence);
        let text = serde_json::to_string(&json!({
            "allowed": verdict.allowed,
            "results": verdict.results,
            "reasons": verdict.reasons(),
        }))
        .map_err(|e| invalid("verdict", e.to_string()))?;
        *allowed = verdict.allowed;
        slot.put(text);
        Ok(())
    })
}
