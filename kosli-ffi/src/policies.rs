//! Kosli environment policies (`kosli create policy`, `attach-policy`, `detach-policy`, `get
//! policy`, `list policies`) and the attestation details `evaluate trail` reads.

use std::ffi::c_char;

use kosli_core::policy::ops::{get_policy_request, list_policies_request, CreatePolicy, Policy};
use kosli_core::policy::trail_input::get_attestation_request;

use crate::args::str_arg;
use crate::calls::{client_arg, JsonSlot, OutcomeSlot};
use crate::client::kosli_client;
use crate::error::FfiError;
use crate::options::Options;
use crate::outcome::kosli_outcome;
use crate::panic::ffi_status;
use crate::status::kosli_status;

/// Creates the environment policy `name`, or a new version of it, from the YAML file
/// `policy_file` (`kosli create policy NAME FILE`; the server sees the file's base name).
/// Options: `description`, `comment` (about this version), `policy_type` (default `env`).
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `outcome_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_create_policy(
    client: *const kosli_client,
    name: *const c_char,
    policy_file: *const c_char,
    options_json: *const c_char,
    outcome_out: *mut *mut kosli_outcome,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let name = unsafe { str_arg(name, "name") }?;
        // SAFETY: as above.
        let policy_file = unsafe { str_arg(policy_file, "policy_file") }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { OutcomeSlot::new(outcome_out) }?;
        let mut policy = CreatePolicy::from_file(name, policy_file);
        if let Some(text) = options.string("description")? {
            policy = policy.description(text);
        }
        if let Some(text) = options.string("comment")? {
            policy = policy.comment(text);
        }
        if let Some(t) = options.string("policy_type")? {
            policy = policy.policy_type(t);
        }
        options.finish()?;
        slot.put(&client.create_policy(&policy)?);
        Ok(())
    })
}

/// Attach or detach: one environment per call (the CLI sends one request per environment).
enum Link {
    Attach,
    Detach,
}

/// The body of attach and detach.
///
/// # Safety
/// As for the two exports.
unsafe fn link(
    how: Link,
    client: *const kosli_client,
    policy: *const c_char,
    environment: *const c_char,
    options_json: *const c_char,
    outcome_out: *mut *mut kosli_outcome,
) -> Result<(), FfiError> {
    // SAFETY: as documented for the caller (each unsafe call below likewise).
    let client = unsafe { client_arg(client) }?;
    // SAFETY: as above.
    let policy = unsafe { str_arg(policy, "policy") }?;
    // SAFETY: as above.
    let environment = unsafe { str_arg(environment, "environment") }?;
    // SAFETY: as above.
    let options = unsafe { Options::parse(options_json) }?;
    // SAFETY: as above.
    let slot = unsafe { OutcomeSlot::new(outcome_out) }?;
    options.finish()?;
    let envs = [environment];
    let mut outcomes = match how {
        Link::Attach => client.attach_policy(policy, &envs)?,
        Link::Detach => client.detach_policy(policy, &envs)?,
    };
    match outcomes.pop() {
        Some(outcome) => {
            slot.put(&outcome);
            Ok(())
        }
        None => Err(FfiError::Core(kosli_core::Error::invalid_input(
            "environment",
            "no outcome for the environment",
        ))),
    }
}

/// Attaches the policy `policy` to the environment `environment` (`kosli attach-policy`; call
/// once per environment, as the CLI sends one request each). A failure names the environment.
/// No options yet.
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `outcome_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_attach_policy(
    client: *const kosli_client,
    policy: *const c_char,
    environment: *const c_char,
    options_json: *const c_char,
    outcome_out: *mut *mut kosli_outcome,
) -> kosli_status {
    ffi_status!({
        // SAFETY: the caller's promises, passed on unchanged.
        unsafe {
            link(
                Link::Attach,
                client,
                policy,
                environment,
                options_json,
                outcome_out,
            )
        }
    })
}

/// Detaches the policy `policy` from the environment `environment` (`kosli detach-policy`;
/// one environment per call). No options yet.
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `outcome_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_detach_policy(
    client: *const kosli_client,
    policy: *const c_char,
    environment: *const c_char,
    options_json: *const c_char,
    outcome_out: *mut *mut kosli_outcome,
) -> kosli_status {
    ffi_status!({
        // SAFETY: the caller's promises, passed on unchanged.
        unsafe {
            link(
                Link::Detach,
                client,
                policy,
                environment,
                options_json,
                outcome_out,
            )
        }
    })
}

/// The environment policy `name` with its versions (`kosli get policy`): `*json_out` is the
/// server's JSON object, to free with `kosli_string_free`. An unknown one is
/// `KOSLI_NOT_FOUND`. No options yet.
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `json_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_get_policy(
    client: *const kosli_client,
    name: *const c_char,
    options_json: *const c_char,
    json_out: *mut *mut c_char,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let name = unsafe { str_arg(name, "name") }?;
        // SAFETY: as above.
        let options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { JsonSlot::new(json_out) }?;
        options.finish()?;
        let response = client.read(&get_policy_request(name))?;
        response.json::<Policy>()?;
        slot.put_response(&response);
        Ok(())
    })
}

/// Every environment policy of the organization (`kosli list policies`): `*json_out` is the
/// server's JSON array. No options yet.
///
/// # Safety
/// `client` is a live handle; `options_json` is NULL or NUL-terminated; `json_out` is
/// writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_list_policies(
    client: *const kosli_client,
    options_json: *const c_char,
    json_out: *mut *mut c_char,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { JsonSlot::new(json_out) }?;
        options.finish()?;
        let response = client.read(&list_policies_request())?;
        Policy::list_from_response(&response)?;
        slot.put_response(&response);
        Ok(())
    })
}

/// One attestation's details by its id (what `kosli evaluate trail` merges into a trail):
/// `*json_out` is the server's JSON answer (its `data` holds the attestation). No options yet.
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `json_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_get_attestation(
    client: *const kosli_client,
    attestation_id: *const c_char,
    options_json: *const c_char,
    json_out: *mut *mut c_char,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let id = unsafe { str_arg(attestation_id, "attestation_id") }?;
        // SAFETY: as above.
        let options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { JsonSlot::new(json_out) }?;
        options.finish()?;
        if id.is_empty() {
            return Err(FfiError::Core(kosli_core::Error::invalid_input(
                "attestation_id",
                "the attestation id must not be empty",
            )));
        }
        let response = client.read(&get_attestation_request(id))?;
        response.json::<serde_json::Value>()?;
        slot.put_response(&response);
        Ok(())
    })
}
