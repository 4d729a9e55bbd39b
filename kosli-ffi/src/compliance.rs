//! The compliance gate: allow an artifact into an environment, and ask whether one is
//! compliant.

use std::ffi::c_char;

use kosli_core::ops::compliance::{AllowArtifact, AssertArtifact, Verdict};

use crate::args::{out_arg, str_arg};
use crate::calls::{client_arg, fingerprint_arg, JsonSlot, OutcomeSlot};
use crate::client::kosli_client;
use crate::options::Options;
use crate::outcome::kosli_outcome;
use crate::panic::ffi_status;
use crate::status::kosli_status;

/// Adds the artifact with `fingerprint`, shown as `artifact_name`, to the allow-list of
/// `environment` because of `reason` (`kosli allow artifact`). No options yet.
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `outcome_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_allow_artifact(
    client: *const kosli_client,
    environment: *const c_char,
    fingerprint: *const c_char,
    artifact_name: *const c_char,
    reason: *const c_char,
    options_json: *const c_char,
    outcome_out: *mut *mut kosli_outcome,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let environment = unsafe { str_arg(environment, "environment") }?;
        // SAFETY: as above.
        let fingerprint = unsafe { fingerprint_arg(fingerprint, "fingerprint") }?;
        // SAFETY: as above.
        let artifact_name = unsafe { str_arg(artifact_name, "artifact_name") }?;
        // SAFETY: as above.
        let reason = unsafe { str_arg(reason, "reason") }?;
        // SAFETY: as above.
        let options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { OutcomeSlot::new(outcome_out) }?;
        options.finish()?;
        let allow =
            AllowArtifact::with_fingerprint(environment, fingerprint, artifact_name, reason);
        slot.put(&client.allow_artifact(&allow)?);
        Ok(())
    })
}

/// Asks Kosli whether the artifact with `fingerprint` is compliant (`kosli assert
/// artifact`). The verdict is an answer, not an error: on `KOSLI_OK`, `*compliant_out` says
/// it and `*json_out` holds the server's JSON answer (scope, flows, policy evaluations: the
/// reasons), to free with `kosli_string_free`. An artifact Kosli does not know is
/// `KOSLI_NOT_FOUND`. Options: `flow` (only as reported in this flow), `environment`
/// (against that environment's policies), `policies` (a list of policy names). A read:
/// dry-run does not stop it.
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `compliant_out` and `json_out` are writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_assert_artifact(
    client: *const kosli_client,
    fingerprint: *const c_char,
    options_json: *const c_char,
    compliant_out: *mut bool,
    json_out: *mut *mut c_char,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let fingerprint = unsafe { fingerprint_arg(fingerprint, "fingerprint") }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let compliant = unsafe { out_arg(compliant_out, "compliant_out") }?;
        // SAFETY: as above.
        let slot = unsafe { JsonSlot::new(json_out) }?;
        let mut assert = AssertArtifact::new(fingerprint);
        if let Some(flow) = options.string("flow")? {
            assert = assert.flow(flow);
        }
        if let Some(env) = options.string("environment")? {
            assert = assert.environment(env);
        }
        if let Some(policies) = options.strings("policies")? {
            assert = assert.policies(policies);
        }
        options.finish()?;
        let response = client.read(&assert.request())?;
        let verdict = Verdict::from_response(&response)?;
        *compliant = verdict.compliant;
        slot.put_response(&response);
        Ok(())
    })
}
