//! Environment history reads (`kosli get trail`, `list trails`, `get snapshot`, `list
//! snapshots`, `log environment`, `diff snapshots`) and drift: the local diff of two
//! snapshots (what was added, removed, changed or scaled).

use std::ffi::c_char;

use kosli_core::drift::{self, Drift, RunningArtifact};
use kosli_core::ops::history::{
    diff_snapshots_request, get_trail_request, EnvironmentEvent, ListSnapshots, ListTrails,
    LogEnvironment, Snappish, Snapshot, SnapshotDiff, SnapshotSummary, Trail, TrailList,
};
use serde_json::json;

use crate::args::str_arg;
use crate::calls::{client_arg, JsonSlot};
use crate::client::kosli_client;
use crate::error::FfiError;
use crate::options::Options;
use crate::panic::ffi_status;
use crate::status::kosli_status;

/// An `InvalidInput` error about `what`.
fn invalid(what: &str, message: String) -> FfiError {
    FfiError::Core(kosli_core::Error::invalid_input(what, message))
}

/// The trail `trail` of `flow` (`kosli get trail`): `*json_out` is the server's JSON object
/// (compliance status, attestations, events), to free with `kosli_string_free`. An unknown
/// one is `KOSLI_NOT_FOUND`. No options yet.
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `json_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_get_trail(
    client: *const kosli_client,
    flow: *const c_char,
    trail: *const c_char,
    options_json: *const c_char,
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
        let options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { JsonSlot::new(json_out) }?;
        options.finish()?;
        let response = client.read(&get_trail_request(flow, trail))?;
        response.json::<Trail>()?;
        slot.put_response(&response);
        Ok(())
    })
}

/// A page of trails (`kosli list trails`): `*json_out` is the server's JSON (`{"data": [...],
/// "pagination": {...}}`). Options: `flow` (its trails), `fingerprint` (the trails holding
/// that artifact), `flow_tag` (`key=value`: the trails of the flows with that tag), `page`
/// (from 1), `per_page` (default 20).
///
/// # Safety
/// `client` is a live handle; `options_json` is NULL or NUL-terminated; `json_out` is
/// writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_list_trails(
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
        let mut list = ListTrails::new();
        if let Some(flow) = options.string("flow")? {
            list = list.flow(flow);
        }
        if let Some(fp) = options.string("fingerprint")? {
            list = list.fingerprint(fp);
        }
        if let Some(tag) = options.string("flow_tag")? {
            list = list.flow_tag(tag);
        }
        if let Some(page) = options.u64("page")? {
            list = list.page(page);
        }
        if let Some(n) = options.u64("per_page")? {
            list = list.per_page(n);
        }
        options.finish()?;
        let response = client.read(&list.request()?)?;
        response.json::<TrailList>()?;
        slot.put_response(&response);
        Ok(())
    })
}

/// One snapshot of an environment (`kosli get snapshot`), `snappish` as the CLI takes it:
/// `prod` (the latest), `prod#7` (number 7), `prod~1` (one before the latest),
/// `prod@{2024-06-10T12:00:00}` (at a time): `*json_out` is the server's JSON object. No
/// options yet.
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `json_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_get_snapshot(
    client: *const kosli_client,
    snappish: *const c_char,
    options_json: *const c_char,
    json_out: *mut *mut c_char,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let snappish = unsafe { str_arg(snappish, "snappish") }?;
        // SAFETY: as above.
        let options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { JsonSlot::new(json_out) }?;
        options.finish()?;
        let response = client.read(&Snappish::parse(snappish)?.request())?;
        response.json::<Snapshot>()?;
        slot.put_response(&response);
        Ok(())
    })
}

/// A page of the snapshots of `environment`, newest first (`kosli list snapshots`):
/// `*json_out` is the server's JSON array. Options: `interval` (`3..5`, a time expression),
/// `page` (from 1), `per_page` (default 15), `reverse` (oldest first).
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `json_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_list_snapshots(
    client: *const kosli_client,
    environment: *const c_char,
    options_json: *const c_char,
    json_out: *mut *mut c_char,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let environment = unsafe { str_arg(environment, "environment") }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { JsonSlot::new(json_out) }?;
        let mut list = ListSnapshots::new(environment);
        if let Some(text) = options.string("interval")? {
            list = list.interval(text);
        }
        if let Some(page) = options.u64("page")? {
            list = list.page(page);
        }
        if let Some(n) = options.u64("per_page")? {
            list = list.per_page(n);
        }
        if let Some(yes) = options.bool("reverse")? {
            list = list.reverse(yes);
        }
        options.finish()?;
        let response = client.read(&list.request()?)?;
        response.json::<Vec<SnapshotSummary>>()?;
        slot.put_response(&response);
        Ok(())
    })
}

/// A page of the events of `environment`, newest first (`kosli log environment`):
/// `*json_out` is the server's JSON array. Options: `interval`, `page`, `per_page`,
/// `reverse`, `start` and `end` (a snapshot number or a time expression, sent as given),
/// `repo` (a repository, or a list: only events of its artifacts).
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `json_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_log_environment(
    client: *const kosli_client,
    environment: *const c_char,
    options_json: *const c_char,
    json_out: *mut *mut c_char,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let environment = unsafe { str_arg(environment, "environment") }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { JsonSlot::new(json_out) }?;
        let mut log = LogEnvironment::new(environment);
        if let Some(text) = options.string("interval")? {
            log = log.interval(text);
        }
        if let Some(page) = options.u64("page")? {
            log = log.page(page);
        }
        if let Some(n) = options.u64("per_page")? {
            log = log.per_page(n);
        }
        if let Some(yes) = options.bool("reverse")? {
            log = log.reverse(yes);
        }
        if let Some(text) = options.string("start")? {
            log = log.start(text);
        }
        if let Some(text) = options.string("end")? {
            log = log.end(text);
        }
        for repo in options.strings("repo")?.unwrap_or_default() {
            log = log.repo(repo);
        }
        options.finish()?;
        let response = client.read(&log.request()?)?;
        response.json::<Vec<EnvironmentEvent>>()?;
        slot.put_response(&response);
        Ok(())
    })
}

/// The server's diff of two snapshots (`kosli diff snapshots A B`), each given as
/// `kosli_client_get_snapshot` takes it: `*json_out` is the server's JSON (`snappish1`,
/// `snappish2`: what only each has; `changed`: what scaled; `not-changed`). No options yet.
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `json_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_diff_snapshots(
    client: *const kosli_client,
    first: *const c_char,
    second: *const c_char,
    options_json: *const c_char,
    json_out: *mut *mut c_char,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let first = unsafe { str_arg(first, "first") }?;
        // SAFETY: as above.
        let second = unsafe { str_arg(second, "second") }?;
        // SAFETY: as above.
        let options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { JsonSlot::new(json_out) }?;
        options.finish()?;
        let response = client.read(&diff_snapshots_request(first, second)?)?;
        response.json::<SnapshotDiff>()?;
        slot.put_response(&response);
        Ok(())
    })
}

/// A drift as JSON: `{"events": [{"kind": "added"|"removed"|"changed"|"scaled", ...,
/// "description"}], "unchanged": [...]}`.
fn drift_json(drift: &Drift) -> Result<String, FfiError> {
    let events: Vec<serde_json::Value> = drift
        .events()
        .iter()
        .map(|e| {
            let mut v = serde_json::to_value(e).unwrap_or_default();
            if let Some(map) = v.as_object_mut() {
                map.insert("description".into(), json!(e.to_string()));
            }
            v
        })
        .collect();
    serde_json::to_string(&json!({"events": events, "unchanged": drift.unchanged}))
        .map_err(|e| invalid("drift", e.to_string()))
}

/// Reads a list of running artifacts.
fn running(text: &str, what: &str) -> Result<Vec<RunningArtifact>, FfiError> {
    serde_json::from_str(text).map_err(|e| {
        invalid(
            what,
            format!(
                "{what} must be a JSON list of {{\"name\", \"fingerprint\", \"instances\"}}: {e}"
            ),
        )
    })
}

/// The local drift from `before_json` to `after_json`, each a JSON list of running
/// artifacts `[{"name", "fingerprint", "instances"}]`, computed without Kosli: `*json_out` is
/// `{"events": [...], "unchanged": [...]}`, each event with its `kind` (`added`, `removed`:
/// `artifact`; `changed`: `name`, `from_fingerprint`, `to_fingerprint`, `from_instances`,
/// `to_instances`; `scaled`: `name`, `fingerprint`, `from_instances`, `to_instances`) and a
/// `description`, to free with `kosli_string_free`.
///
/// # Safety
/// Strings are NUL-terminated; `json_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_drift_diff(
    before_json: *const c_char,
    after_json: *const c_char,
    json_out: *mut *mut c_char,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let before = unsafe { str_arg(before_json, "before_json") }?;
        // SAFETY: as above.
        let after = unsafe { str_arg(after_json, "after_json") }?;
        // SAFETY: as above.
        let slot = unsafe { JsonSlot::new(json_out) }?;
        let before = running(before, "before_json")?;
        let after = running(after, "after_json")?;
        slot.put(drift_json(&drift::diff(&before, &after))?);
        Ok(())
    })
}

/// The local drift between two snapshots read from Kosli (`first`, then `second`, each as
/// `kosli_client_get_snapshot` takes it, e.g. `prod~1` and `prod`): what runs in each is
/// compared here, by name and fingerprint. `*json_out` as `kosli_drift_diff`. No options
/// yet.
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `json_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_snapshot_drift(
    client: *const kosli_client,
    first: *const c_char,
    second: *const c_char,
    options_json: *const c_char,
    json_out: *mut *mut c_char,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let first = unsafe { str_arg(first, "first") }?;
        // SAFETY: as above.
        let second = unsafe { str_arg(second, "second") }?;
        // SAFETY: as above.
        let options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { JsonSlot::new(json_out) }?;
        options.finish()?;
        let (first, second) = (Snappish::parse(first)?, Snappish::parse(second)?);
        let before = client.get_snapshot(&first)?.running();
        let after = client.get_snapshot(&second)?.running();
        slot.put(drift_json(&drift::diff(&before, &after))?);
        Ok(())
    })
}
