//! Trails: begin (or update) a trail of a flow.

use std::ffi::c_char;

use kosli_core::ops::trails::BeginTrail;

use crate::args::str_arg;
use crate::calls::{client_arg, OutcomeSlot};
use crate::client::kosli_client;
use crate::options::Options;
use crate::outcome::kosli_outcome;
use crate::panic::ffi_status;
use crate::status::kosli_status;

/// Begins the trail `name` of `flow`, or updates it (`kosli begin trail`). Options:
/// `description`, `user_data` (any JSON), `git_commit_info` (`{"sha1", "message", "author",
/// "timestamp", "branch", "url"}`), `repo_info` (`{"url", "name", "id", "description",
/// "provider"}`), `external_urls` (`{"label": {"href", "fingerprint"}}`), `origin_url`,
/// `template_file`.
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `outcome_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_begin_trail(
    client: *const kosli_client,
    flow: *const c_char,
    name: *const c_char,
    options_json: *const c_char,
    outcome_out: *mut *mut kosli_outcome,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let flow = unsafe { str_arg(flow, "flow") }?;
        // SAFETY: as above.
        let name = unsafe { str_arg(name, "name") }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { OutcomeSlot::new(outcome_out) }?;
        let mut trail = BeginTrail::new(flow, name);
        if let Some(text) = options.string("description")? {
            trail = trail.description(text);
        }
        if let Some(data) = options.json("user_data") {
            trail = trail.user_data(data);
        }
        if let Some(info) = options.typed("git_commit_info")? {
            trail = trail.git_commit_info(info);
        }
        if let Some(info) = options.typed("repo_info")? {
            trail = trail.repo_info(info);
        }
        if let Some(urls) = options.typed("external_urls")? {
            trail = trail.external_urls(urls);
        }
        if let Some(url) = options.string("origin_url")? {
            trail = trail.origin_url(url);
        }
        if let Some(path) = options.string("template_file")? {
            trail = trail.template_file(path);
        }
        options.finish()?;
        slot.put(&client.begin_trail(&trail)?);
        Ok(())
    })
}
