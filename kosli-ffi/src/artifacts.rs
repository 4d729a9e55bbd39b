//! Reading artifacts: one by fingerprint, those of a commit, and a page of a flow's or a
//! repository's artifacts.

use std::ffi::c_char;

use kosli_core::ops::artifacts_read::{Artifact, ArtifactSelector, GetArtifact, ListArtifacts};

use crate::args::str_arg;
use crate::calls::{client_arg, JsonSlot};
use crate::client::kosli_client;
use crate::error::FfiError;
use crate::options::Options;
use crate::panic::ffi_status;
use crate::status::kosli_status;

/// Runs `get` (after the `trail` option) and stores the server's answer.
fn get(
    client: &kosli_core::blocking::Client,
    selector: ArtifactSelector,
    mut options: Options,
    slot: JsonSlot<'_>,
) -> Result<(), FfiError> {
    let mut get = GetArtifact::new(selector);
    if let Some(trail) = options.string("trail")? {
        get = get.trail(trail);
    }
    options.finish()?;
    let response = client.read(&get.request())?;
    get.artifacts_from(&response)?;
    slot.put_response(&response);
    Ok(())
}

/// The artifact of `flow` with `fingerprint` (whole, or its first characters) (`kosli get
/// artifact flow@fingerprint`): `*json_out` is the server's JSON object, to free with
/// `kosli_string_free`. An unknown one is `KOSLI_NOT_FOUND`. Options: `trail`.
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `json_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_get_artifact(
    client: *const kosli_client,
    flow: *const c_char,
    fingerprint: *const c_char,
    options_json: *const c_char,
    json_out: *mut *mut c_char,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let flow = unsafe { str_arg(flow, "flow") }?;
        // SAFETY: as above.
        let fingerprint = unsafe { str_arg(fingerprint, "fingerprint") }?;
        // SAFETY: as above.
        let options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { JsonSlot::new(json_out) }?;
        let selector = ArtifactSelector::Fingerprint {
            flow: flow.to_string(),
            fingerprint: fingerprint.to_string(),
        };
        get(&client, selector, options, slot)
    })
}

/// The artifacts of `flow` built from `commit` (whole, or its first characters) (`kosli get
/// artifact flow:commit`): `*json_out` is the server's JSON array. Options: `trail`.
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `json_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_get_artifacts_by_commit(
    client: *const kosli_client,
    flow: *const c_char,
    commit: *const c_char,
    options_json: *const c_char,
    json_out: *mut *mut c_char,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let flow = unsafe { str_arg(flow, "flow") }?;
        // SAFETY: as above.
        let commit = unsafe { str_arg(commit, "commit") }?;
        // SAFETY: as above.
        let options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { JsonSlot::new(json_out) }?;
        let selector = ArtifactSelector::Commit {
            flow: flow.to_string(),
            commit: commit.to_string(),
        };
        get(&client, selector, options, slot)
    })
}

/// One page of artifacts, newest first (`kosli list artifacts`): `*json_out` is the server's
/// JSON array. Options: `flow` (a flow's artifacts) or `repo` (a repository's, `acme/app`;
/// the flow wins when both are given, as in the CLI), `page` (from 1; default 1),
/// `per_page` (default 15).
///
/// # Safety
/// `client` is a live handle; `options_json` is NULL or NUL-terminated; `json_out` is
/// writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_list_artifacts(
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
        let flow = options.string("flow")?;
        let repo = options.string("repo")?;
        let mut list = match (flow, repo) {
            (Some(flow), _) => ListArtifacts::flow(flow),
            (None, Some(repo)) => ListArtifacts::repo(repo),
            (None, None) => ListArtifacts::new(),
        };
        if let Some(page) = options.u64("page")? {
            list = list.page(page);
        }
        if let Some(n) = options.u64("per_page")? {
            list = list.per_page(n);
        }
        options.finish()?;
        let response = client.read(&list.request()?)?;
        response.json::<Vec<Artifact>>()?;
        slot.put_response(&response);
        Ok(())
    })
}
