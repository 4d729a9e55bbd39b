//! Flows: create (with a template, or the deprecated list of controls), get one, list them.

use std::ffi::c_char;

use kosli_core::ops::flows::{get_flow_request, CreateFlow, Flow, FlowList, ListFlows, Template};

use crate::args::{str_arg, str_array};
use crate::calls::{client_arg, JsonSlot, OutcomeSlot};
use crate::client::kosli_client;
use crate::error::FfiError;
use crate::options::Options;
use crate::outcome::kosli_outcome;
use crate::panic::ffi_status;
use crate::status::kosli_status;

/// The options both create calls share.
fn description_and_visibility(
    mut flow: CreateFlow,
    options: &mut Options,
) -> Result<CreateFlow, FfiError> {
    if let Some(text) = options.string("description")? {
        flow = flow.description(text);
    }
    if let Some(v) = options.string("visibility")? {
        flow = flow.visibility(v);
    }
    Ok(flow)
}

/// Creates or updates the flow `name` (`kosli create flow`). Options: `description`,
/// `visibility`, `template_file` (a YAML template file; the empty template when absent),
/// `template_yaml` (YAML text instead of a file, sent as `template.yml`).
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `outcome_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_create_flow(
    client: *const kosli_client,
    name: *const c_char,
    options_json: *const c_char,
    outcome_out: *mut *mut kosli_outcome,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let name = unsafe { str_arg(name, "name") }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { OutcomeSlot::new(outcome_out) }?;
        let mut flow = description_and_visibility(CreateFlow::new(name), &mut options)?;
        if let Some(path) = options.string("template_file")? {
            flow = flow.template_file(path);
        }
        if let Some(yaml) = options.string("template_yaml")? {
            flow = flow.template(Template::yaml("template.yml", yaml));
        }
        options.finish()?;
        slot.put(&client.create_flow(&flow)?);
        Ok(())
    })
}

/// Creates or updates the flow `name` with the deprecated list of required controls
/// (`kosli create flow --template a,b`; `artifact` is added when missing, as the CLI does).
/// `controls` holds `controls_len` strings. Options: `description`, `visibility`.
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated; `controls` holds `controls_len`
/// strings (NULL when 0); `outcome_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_create_flow_legacy(
    client: *const kosli_client,
    name: *const c_char,
    controls: *const *const c_char,
    controls_len: usize,
    options_json: *const c_char,
    outcome_out: *mut *mut kosli_outcome,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let name = unsafe { str_arg(name, "name") }?;
        // SAFETY: as above.
        let controls = unsafe { str_array(controls, controls_len, "controls") }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { OutcomeSlot::new(outcome_out) }?;
        let flow = CreateFlow::new(name).legacy_template(controls);
        let flow = description_and_visibility(flow, &mut options)?;
        options.finish()?;
        slot.put(&client.create_flow(&flow)?);
        Ok(())
    })
}

/// The flow `name` (`kosli get flow`): `*json_out` is the server's JSON object, to free with
/// `kosli_string_free`. An unknown flow is `KOSLI_NOT_FOUND`. No options yet.
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated; `json_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_get_flow(
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
        let response = client.read(&get_flow_request(name))?;
        response.json::<Flow>()?;
        slot.put_response(&response);
        Ok(())
    })
}

/// The flows (`kosli list flows`): `*json_out` is the server's JSON (an array, or a page
/// object when a page was asked for). Options: `page`, `per_page`, `name_contains`,
/// `ignore_case`.
///
/// # Safety
/// `client` is a live handle; `options_json` is NULL or NUL-terminated; `json_out` is
/// writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_list_flows(
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
        let mut list = ListFlows::new();
        if let Some(page) = options.u64("page")? {
            list = list.page(page);
        }
        if let Some(n) = options.u64("per_page")? {
            list = list.per_page(n);
        }
        if let Some(text) = options.string("name_contains")? {
            list = list.name_contains(text);
        }
        if let Some(yes) = options.bool("ignore_case")? {
            list = list.ignore_case(yes);
        }
        options.finish()?;
        let response = client.read(&list.request())?;
        FlowList::from_response(&response)?;
        slot.put_response(&response);
        Ok(())
    })
}
