//! Attestations: an artifact to a trail, and evidence (`generic`, `junit`, `snyk`, `custom`,
//! `pull_request`) to a trail or to an artifact of it.

use std::ffi::c_char;

use kosli_core::evidence::{junit, snyk};
use kosli_core::model::pull_request::PullRequest;
use kosli_core::ops::attest_artifact::AttestArtifact;
use kosli_core::ops::attestations::Attestation;

use crate::args::str_arg;
use crate::calls::{client_arg, fingerprint_arg, OutcomeSlot};
use crate::client::kosli_client;
use crate::error::FfiError;
use crate::options::Options;
use crate::outcome::kosli_outcome;
use crate::panic::ffi_status;
use crate::status::kosli_status;

/// The options every attestation takes (the keys are [`Attestation`]'s builder methods).
pub(crate) fn common_options(
    mut a: Attestation,
    options: &mut Options,
) -> Result<Attestation, FfiError> {
    if let Some(fp) = options.string("fingerprint")? {
        a = a.fingerprint(fp.parse()?);
    }
    if let Some(info) = options.typed("git_commit_info")? {
        a = a.git_commit_info(info);
    }
    if let Some(info) = options.typed("repo_info")? {
        a = a.repo_info(info);
    }
    if let Some(url) = options.string("origin_url")? {
        a = a.origin_url(url);
    }
    if let Some(urls) = options.typed("external_urls")? {
        a = a.external_urls(urls);
    }
    if let Some(data) = options.json("user_data") {
        a = a.user_data(data);
    }
    if let Some(text) = options.string("description")? {
        a = a.description(text);
    }
    if let Some(annotations) = options.string_map("annotations")? {
        a = a.annotations(annotations)?;
    }
    for path in options.strings("attachments")?.unwrap_or_default() {
        a = a.attach(path);
    }
    Ok(a)
}

/// The arguments every attestation export starts with.
pub(crate) struct Target<'a> {
    pub(crate) flow: &'a str,
    pub(crate) trail: &'a str,
    pub(crate) name: &'a str,
}

/// Reads `flow`, `trail` and `name`.
///
/// # Safety
/// Each pointer is NULL or a NUL-terminated string valid for the call.
pub(crate) unsafe fn target<'a>(
    flow: *const c_char,
    trail: *const c_char,
    name: *const c_char,
) -> Result<Target<'a>, FfiError> {
    // SAFETY: as documented for the caller (each unsafe call below likewise).
    let flow = unsafe { str_arg(flow, "flow") }?;
    // SAFETY: as above.
    let trail = unsafe { str_arg(trail, "trail") }?;
    // SAFETY: as above.
    let name = unsafe { str_arg(name, "name") }?;
    Ok(Target { flow, trail, name })
}

/// Reports the artifact with `fingerprint` (64 hex characters, from `kosli_fingerprint_*`),
/// shown as `filename`, as the template's artifact `name` in `trail` of `flow` (`kosli attest
/// artifact`). Options: `git_commit_info`, `repo_info`, `build_url`, `commit_url`,
/// `repo_url`, `external_urls`, `annotations` (`{"key": "value"}`).
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `outcome_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_attest_artifact(
    client: *const kosli_client,
    flow: *const c_char,
    trail: *const c_char,
    name: *const c_char,
    fingerprint: *const c_char,
    filename: *const c_char,
    options_json: *const c_char,
    outcome_out: *mut *mut kosli_outcome,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let t = unsafe { target(flow, trail, name) }?;
        // SAFETY: as above.
        let fingerprint = unsafe { fingerprint_arg(fingerprint, "fingerprint") }?;
        // SAFETY: as above.
        let filename = unsafe { str_arg(filename, "filename") }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { OutcomeSlot::new(outcome_out) }?;
        let mut a =
            AttestArtifact::with_fingerprint(t.flow, t.trail, t.name, fingerprint, filename);
        if let Some(info) = options.typed("git_commit_info")? {
            a = a.git_commit_info(info);
        }
        if let Some(info) = options.typed("repo_info")? {
            a = a.repo_info(info);
        }
        if let Some(url) = options.string("build_url")? {
            a = a.build_url(url);
        }
        if let Some(url) = options.string("commit_url")? {
            a = a.commit_url(url);
        }
        if let Some(url) = options.string("repo_url")? {
            a = a.repo_url(url);
        }
        if let Some(urls) = options.typed("external_urls")? {
            a = a.external_urls(urls);
        }
        for (key, value) in options.string_map("annotations")?.unwrap_or_default() {
            a = a.annotate(key, value)?;
        }
        options.finish()?;
        slot.put(&client.attest_artifact(&a)?);
        Ok(())
    })
}

/// Attests a `generic` verdict of the caller's (`kosli attest generic`). `name` is
/// `attestation` or `artifact.attestation`. Options (every attestation): `fingerprint` (the
/// artifact it is about), `git_commit_info`, `repo_info`, `origin_url`, `external_urls`,
/// `user_data`, `description`, `annotations`, `attachments` (a list of file or folder paths,
/// packed as the CLI packs them).
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `outcome_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_attest_generic(
    client: *const kosli_client,
    flow: *const c_char,
    trail: *const c_char,
    name: *const c_char,
    compliant: bool,
    options_json: *const c_char,
    outcome_out: *mut *mut kosli_outcome,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let t = unsafe { target(flow, trail, name) }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { OutcomeSlot::new(outcome_out) }?;
        let a = Attestation::generic(t.flow, t.trail, t.name, compliant)?;
        let a = common_options(a, &mut options)?;
        options.finish()?;
        slot.put(&client.attest(&a)?);
        Ok(())
    })
}

/// Attests the JUnit XML results in `results_dir` (a folder, or one file), read as `kosli
/// attest junit --results-dir` reads them. Options: those of every attestation (see
/// `kosli_client_attest_generic`) and `upload_results` (default true: the XML files are
/// attached).
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `outcome_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_attest_junit(
    client: *const kosli_client,
    flow: *const c_char,
    trail: *const c_char,
    name: *const c_char,
    results_dir: *const c_char,
    options_json: *const c_char,
    outcome_out: *mut *mut kosli_outcome,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let t = unsafe { target(flow, trail, name) }?;
        // SAFETY: as above.
        let results_dir = unsafe { str_arg(results_dir, "results_dir") }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { OutcomeSlot::new(outcome_out) }?;
        let upload = options.bool("upload_results")?.unwrap_or(true);
        let summary = junit::parse_dir(results_dir)?;
        let a = Attestation::junit(t.flow, t.trail, t.name, &summary, upload)?;
        let a = common_options(a, &mut options)?;
        options.finish()?;
        slot.put(&client.attest(&a)?);
        Ok(())
    })
}

/// Attests the Snyk scan in `scan_results` (Snyk JSON or SARIF), read as `kosli attest snyk
/// --scan-results` reads it. Options: those of every attestation (see
/// `kosli_client_attest_generic`) and `upload_results` (default true: the file is attached).
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `outcome_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_attest_snyk(
    client: *const kosli_client,
    flow: *const c_char,
    trail: *const c_char,
    name: *const c_char,
    scan_results: *const c_char,
    options_json: *const c_char,
    outcome_out: *mut *mut kosli_outcome,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let t = unsafe { target(flow, trail, name) }?;
        // SAFETY: as above.
        let scan_results = unsafe { str_arg(scan_results, "scan_results") }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { OutcomeSlot::new(outcome_out) }?;
        let upload = options.bool("upload_results")?.unwrap_or(true);
        let results = snyk::parse_file(scan_results)?;
        let file = upload.then(|| scan_results.into());
        let a = Attestation::snyk(t.flow, t.trail, t.name, results, file)?;
        let a = common_options(a, &mut options)?;
        options.finish()?;
        slot.put(&client.attest(&a)?);
        Ok(())
    })
}

/// Attests data of the custom attestation type `type_name` (`kosli attest custom`):
/// `attestation_data_json` is any JSON text, sent as given. Options: those of every
/// attestation (see `kosli_client_attest_generic`).
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `outcome_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_attest_custom(
    client: *const kosli_client,
    flow: *const c_char,
    trail: *const c_char,
    name: *const c_char,
    type_name: *const c_char,
    attestation_data_json: *const c_char,
    options_json: *const c_char,
    outcome_out: *mut *mut kosli_outcome,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let t = unsafe { target(flow, trail, name) }?;
        // SAFETY: as above.
        let type_name = unsafe { str_arg(type_name, "type_name") }?;
        // SAFETY: as above.
        let data = unsafe { str_arg(attestation_data_json, "attestation_data_json") }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { OutcomeSlot::new(outcome_out) }?;
        let data = json_arg(data, "attestation_data_json")?;
        let a = Attestation::custom(t.flow, t.trail, t.name, type_name, data)?;
        let a = common_options(a, &mut options)?;
        options.finish()?;
        slot.put(&client.attest(&a)?);
        Ok(())
    })
}

/// Attests the pull requests of a commit that the caller fetched from `git_provider`
/// (`github`, `gitlab`, `bitbucket`, `azure`): `pull_requests_json` is a JSON list of
/// `{"merge_commit", "url", "state", "approvers": [{"username", "state", "timestamp"}],
/// "author", "created_at", "merged_at", "title", "head_ref", "base_ref", "commits": [{"sha1",
/// "message", "author", "author_username", "timestamp", "branch", "url", "verified",
/// "signature_state"}]}` (may be empty; `merged_at`, `author_username`, `verified` and
/// `signature_state` may be left out).
/// Options: those of every attestation (see `kosli_client_attest_generic`).
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `outcome_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_attest_pull_request(
    client: *const kosli_client,
    flow: *const c_char,
    trail: *const c_char,
    name: *const c_char,
    git_provider: *const c_char,
    pull_requests_json: *const c_char,
    options_json: *const c_char,
    outcome_out: *mut *mut kosli_outcome,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let t = unsafe { target(flow, trail, name) }?;
        // SAFETY: as above.
        let provider = unsafe { str_arg(git_provider, "git_provider") }?;
        // SAFETY: as above.
        let prs = unsafe { str_arg(pull_requests_json, "pull_requests_json") }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { OutcomeSlot::new(outcome_out) }?;
        let prs: Vec<PullRequest> = serde_json::from_str(prs).map_err(|e| {
            kosli_core::Error::invalid_input(
                "pull_requests_json",
                format!("pull_requests_json is not a list of pull requests: {e}"),
            )
        })?;
        let a = Attestation::pull_request(t.flow, t.trail, t.name, provider, prs)?;
        let a = common_options(a, &mut options)?;
        options.finish()?;
        slot.put(&client.attest(&a)?);
        Ok(())
    })
}

/// A required JSON argument.
fn json_arg(text: &str, name: &'static str) -> Result<serde_json::Value, FfiError> {
    serde_json::from_str(text).map_err(|e| {
        FfiError::Core(kosli_core::Error::invalid_input(
            name,
            format!("{name} is not valid JSON: {e}"),
        ))
    })
}
