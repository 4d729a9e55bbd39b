//! Rego policies with the CLI's `evaluate` contract (`package policy`, boolean `allow`,
//! optional `violations`, `data.params`), evaluated in-process: against a JSON input
//! (`kosli evaluate input`), one trail or several read from Kosli (`kosli evaluate
//! trail|trails`). A denial is an answer, not an error: `*allowed_out` says it and
//! `*json_out` is the CLI's JSON output (`{"allow": ..., "violations": [...] or null}`).

use std::ffi::c_char;

use kosli_core::policy::rego::{self, OutputFormat, RegoPolicy};
use kosli_core::policy::trail_input::AttestationFilter;
use serde_json::Value;

use crate::args::{out_arg, str_arg, str_array};
use crate::calls::{client_arg, JsonSlot};
use crate::client::kosli_client;
use crate::error::FfiError;
use crate::options::Options;
use crate::panic::ffi_status;
use crate::status::kosli_status;

/// `params` and `show_input`, the options every evaluation takes.
struct Decide {
    params: Option<Value>,
    show_input: bool,
}

impl Decide {
    /// Takes `params` (a JSON object, or a string holding JSON text or `@file` as the CLI's
    /// `--params`) and `show_input`.
    fn take(options: &mut Options) -> Result<Decide, FfiError> {
        let params = match options.json("params") {
            None => None,
            Some(Value::String(text)) => rego::parse_params(&text)?,
            Some(other) => rego::parse_params(&other.to_string())?,
        };
        let show_input = options.bool("show_input")?.unwrap_or(false);
        Ok(Decide { params, show_input })
    }

    /// Evaluates `policy` for `input` and writes the outputs.
    fn run(
        &self,
        policy: &RegoPolicy,
        input: &Value,
        allowed: &mut bool,
        slot: JsonSlot<'_>,
    ) -> Result<(), FfiError> {
        let decision = policy.evaluate(input, self.params.as_ref())?;
        let shown = self.show_input.then_some((input, self.params.as_ref()));
        let text = rego::render(&decision, OutputFormat::Json, shown);
        *allowed = decision.allow;
        slot.put(text);
        Ok(())
    }
}

/// Evaluates the Rego `policy` (its text) against `input_json` (a JSON object, read as the
/// CLI reads `--input-file`) without Kosli (`kosli evaluate input`). On `KOSLI_OK`,
/// `*allowed_out` is the policy's `allow` and `*json_out` the CLI's JSON output, to free with
/// `kosli_string_free`. A bad policy or input is `KOSLI_PARSE` or `KOSLI_INVALID_INPUT` with
/// the CLI's message; a builtin the engine lacks is refused by name. Options: `params` (a JSON
/// object, or a string: JSON text or `@file`, as `--params`), `show_input` (add `input` and
/// `params` to the output).
///
/// # Safety
/// Strings are NUL-terminated (`options_json` may be NULL); `allowed_out` and `json_out` are
/// writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_rego_evaluate(
    policy: *const c_char,
    input_json: *const c_char,
    options_json: *const c_char,
    allowed_out: *mut bool,
    json_out: *mut *mut c_char,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let policy = unsafe { str_arg(policy, "policy") }?;
        // SAFETY: as above.
        let input = unsafe { str_arg(input_json, "input_json") }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let allowed = unsafe { out_arg(allowed_out, "allowed_out") }?;
        // SAFETY: as above.
        let slot = unsafe { JsonSlot::new(json_out) }?;
        let decide = Decide::take(&mut options)?;
        options.finish()?;
        let policy = RegoPolicy::parse(policy)?;
        let input = rego::parse_input(input.as_bytes())?;
        decide.run(&policy, &input, allowed, slot)
    })
}

/// The `attestations` filter option.
fn filter(options: &mut Options) -> Result<AttestationFilter, FfiError> {
    Ok(AttestationFilter::names(
        options.strings("attestations")?.unwrap_or_default(),
    ))
}

/// Evaluates the Rego `policy` (its text) against the trail `trail` of `flow`, read from
/// Kosli as `kosli evaluate trail` reads it (the trail, then each attestation's details):
/// the input is `{"trail": ...}`. Outputs as `kosli_rego_evaluate`. Options: `params`,
/// `show_input`, `attestations` (a list of names: `name` at trail level, `artifact.name` for
/// an artifact's; all when not given).
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `allowed_out` and `json_out` are writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_evaluate_trail(
    client: *const kosli_client,
    flow: *const c_char,
    trail: *const c_char,
    policy: *const c_char,
    options_json: *const c_char,
    allowed_out: *mut bool,
    json_out: *mut *mut c_char,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let flow = unsafe { str_arg(flow, "flow") }?;
        // SAFETY: as above.
        let trail = unsafe { str_arg(trail, "trail") }?;
        // SAFETY: as above.
        let policy = unsafe { str_arg(policy, "policy") }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let allowed = unsafe { out_arg(allowed_out, "allowed_out") }?;
        // SAFETY: as above.
        let slot = unsafe { JsonSlot::new(json_out) }?;
        let decide = Decide::take(&mut options)?;
        let filter = filter(&mut options)?;
        options.finish()?;
        // The policy is checked before anything is read.
        let policy = RegoPolicy::parse(policy)?;
        let input = client.trail_policy_input(flow, trail, &filter)?;
        decide.run(&policy, &input, allowed, slot)
    })
}

/// Evaluates the Rego `policy` against the `trails_len` trails `trails` of `flow`, read one
/// after the other (`kosli evaluate trails`): the input is `{"trails": [...]}`. Outputs and
/// options as `kosli_client_evaluate_trail`.
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `trails` holds `trails_len` strings; `allowed_out` and `json_out` are writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_evaluate_trails(
    client: *const kosli_client,
    flow: *const c_char,
    trails: *const *const c_char,
    trails_len: usize,
    policy: *const c_char,
    options_json: *const c_char,
    allowed_out: *mut bool,
    json_out: *mut *mut c_char,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let flow = unsafe { str_arg(flow, "flow") }?;
        // SAFETY: as above.
        let trails = unsafe { str_array(trails, trails_len, "trails") }?;
        // SAFETY: as above.
        let policy = unsafe { str_arg(policy, "policy") }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let allowed = unsafe { out_arg(allowed_out, "allowed_out") }?;
        // SAFETY: as above.
        let slot = unsafe { JsonSlot::new(json_out) }?;
        let decide = Decide::take(&mut options)?;
        let filter = filter(&mut options)?;
        options.finish()?;
        if trails.is_empty() {
            return Err(FfiError::Core(kosli_core::Error::invalid_input(
                "trails",
                "give at least one trail",
            )));
        }
        let policy = RegoPolicy::parse(policy)?;
        let input = client.trails_policy_input(flow, &trails, &filter)?;
        decide.run(&policy, &input, allowed, slot)
    })
}
