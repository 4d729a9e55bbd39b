//! Environments: create one, get one, list them.

use std::ffi::c_char;

use kosli_core::ops::environments::{
    get_environment_request, CreateEnvironment, Environment, EnvironmentList, ListEnvironments,
};

use crate::args::str_arg;
use crate::calls::{client_arg, JsonSlot, OutcomeSlot};
use crate::client::kosli_client;
use crate::options::Options;
use crate::outcome::kosli_outcome;
use crate::panic::ffi_status;
use crate::status::kosli_status;

/// Creates or updates the environment `name` of type `env_type` (`K8S`, `ECS`, `S3`,
/// `lambda`, `server`, `docker`, `azure-apps`, `cloud-run`, `logical`) (`kosli create
/// environment`). Options: `description`, `included_environments` (a list, for a logical
/// environment), `include_scaling`, `require_provenance`.
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `outcome_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_create_environment(
    client: *const kosli_client,
    name: *const c_char,
    env_type: *const c_char,
    options_json: *const c_char,
    outcome_out: *mut *mut kosli_outcome,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let name = unsafe { str_arg(name, "name") }?;
        // SAFETY: as above.
        let env_type = unsafe { str_arg(env_type, "env_type") }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { OutcomeSlot::new(outcome_out) }?;
        let mut env = CreateEnvironment::new(name, env_type);
        if let Some(text) = options.string("description")? {
            env = env.description(text);
        }
        if let Some(names) = options.strings("included_environments")? {
            env = env.included_environments(names);
        }
        if let Some(yes) = options.bool("include_scaling")? {
            env = env.include_scaling(yes);
        }
        if let Some(yes) = options.bool("require_provenance")? {
            env = env.require_provenance(yes);
        }
        options.finish()?;
        slot.put(&client.create_environment(&env)?);
        Ok(())
    })
}

/// The environment `name` (`kosli get environment`): `*json_out` is the server's JSON object,
/// to free with `kosli_string_free`. An unknown one is `KOSLI_NOT_FOUND`. No options yet.
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated; `json_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_get_environment(
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
        let response = client.read(&get_environment_request(name))?;
        response.json::<Environment>()?;
        slot.put_response(&response);
        Ok(())
    })
}

/// The environments (`kosli list environments`): `*json_out` is the server's JSON (an array,
/// or a page object when a page was asked for). Options: `page`, `per_page`,
/// `name_contains`, `env_type`, `tag`, `space_id` (each of these three a string or a list),
/// `sort`, `sort_direction`.
///
/// # Safety
/// `client` is a live handle; `options_json` is NULL or NUL-terminated; `json_out` is
/// writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_list_environments(
    client: *const kosli_client,
    options_json: *const c_char,
    json_out: *mut *mut c_char,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { JsonSlot::new(json_out) }?;
        let mut list = ListEnvironments::new();
        if let Some(page) = options.u64("page")? {
            list = list.page(page);
        }
        if let Some(n) = options.u64("per_page")? {
            list = list.per_page(n);
        }
        if let Some(text) = options.string("name_contains")? {
            list = list.name_contains(text);
        }
        for t in options.strings("env_type")?.unwrap_or_default() {
            list = list.env_type(t);
        }
        for t in options.strings("tag")?.unwrap_or_default() {
            list = list.tag(t);
        }
        for s in options.strings("space_id")?.unwrap_or_default() {
            list = list.space_id(s);
        }
        if let Some(field) = options.string("sort")? {
            list = list.sort(field);
        }
        if let Some(d) = options.string("sort_direction")? {
            list = list.sort_direction(d);
        }
        options.finish()?;
        let response = client.read(&list.request()?)?;
        EnvironmentList::from_response(&response)?;
        slot.put_response(&response);
        Ok(())
    })
}
