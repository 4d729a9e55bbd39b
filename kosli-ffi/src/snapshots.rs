//! Snapshots of a server environment: one path, a paths spec file, or the deprecated list of
//! paths and globs (`kosli snapshot path|paths|server`). All three report to the same API
//! operation, `snapshot_server`.

use std::ffi::c_char;

use kosli_core::ops::snapshots::{PathsSpec, SnapshotServer};

use crate::args::{str_arg, str_array};
use crate::calls::{client_arg, OutcomeSlot};
use crate::client::kosli_client;
use crate::error::FfiError;
use crate::options::Options;
use crate::outcome::kosli_outcome;
use crate::panic::ffi_status;
use crate::status::kosli_status;

/// Takes `auto_environment` and refuses unknown keys (before anything is fingerprinted).
fn auto_environment(mut options: Options) -> Result<bool, FfiError> {
    let auto = options.bool("auto_environment")?.unwrap_or(false);
    options.finish()?;
    Ok(auto)
}

/// Reports the snapshot and stores the report's outcome.
fn report(
    client: &kosli_core::blocking::Client,
    snapshot: SnapshotServer,
    auto: bool,
    slot: OutcomeSlot<'_>,
) -> Result<(), FfiError> {
    let outcome = client.snapshot_server(&snapshot.auto_environment(auto))?;
    slot.put(&outcome.report);
    Ok(())
}

/// Reports what runs in the server environment `environment`: every path each of the
/// `paths_len` patterns of `paths` matches (Go globs with `**`), each under its absolute path
/// (the deprecated `kosli snapshot server`). Options: `exclude` (a list of patterns),
/// `auto_environment` (create the environment, type `server`, when it does not exist).
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `paths` holds `paths_len` strings; `outcome_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_snapshot_server(
    client: *const kosli_client,
    environment: *const c_char,
    paths: *const *const c_char,
    paths_len: usize,
    options_json: *const c_char,
    outcome_out: *mut *mut kosli_outcome,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let environment = unsafe { str_arg(environment, "environment") }?;
        // SAFETY: as above.
        let paths = unsafe { str_array(paths, paths_len, "paths") }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { OutcomeSlot::new(outcome_out) }?;
        let excludes = options.strings("exclude")?.unwrap_or_default();
        let auto = auto_environment(options)?;
        let snapshot = SnapshotServer::server(environment, &paths, &excludes)?;
        report(&client, snapshot, auto, slot)
    })
}

/// Reports one artifact running in the server environment `environment`: the file or folder
/// at `path`, under `name` (`kosli snapshot path`). Options: `exclude`, `auto_environment`.
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `outcome_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_snapshot_path(
    client: *const kosli_client,
    environment: *const c_char,
    name: *const c_char,
    path: *const c_char,
    options_json: *const c_char,
    outcome_out: *mut *mut kosli_outcome,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let environment = unsafe { str_arg(environment, "environment") }?;
        // SAFETY: as above.
        let name = unsafe { str_arg(name, "name") }?;
        // SAFETY: as above.
        let path = unsafe { str_arg(path, "path") }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { OutcomeSlot::new(outcome_out) }?;
        let excludes = options.strings("exclude")?.unwrap_or_default();
        let auto = auto_environment(options)?;
        let snapshot = SnapshotServer::path(environment, name, path, &excludes)?;
        report(&client, snapshot, auto, slot)
    })
}

/// Reports the artifacts of the paths spec file `paths_file` (YAML, JSON or TOML, by its
/// extension) running in the server environment `environment` (`kosli snapshot paths`).
/// Options: `auto_environment`.
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `outcome_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_snapshot_paths(
    client: *const kosli_client,
    environment: *const c_char,
    paths_file: *const c_char,
    options_json: *const c_char,
    outcome_out: *mut *mut kosli_outcome,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let environment = unsafe { str_arg(environment, "environment") }?;
        // SAFETY: as above.
        let paths_file = unsafe { str_arg(paths_file, "paths_file") }?;
        // SAFETY: as above.
        let options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { OutcomeSlot::new(outcome_out) }?;
        let auto = auto_environment(options)?;
        let spec = PathsSpec::from_file(paths_file)?;
        let snapshot = SnapshotServer::paths(environment, &spec)?;
        report(&client, snapshot, auto, slot)
    })
}
