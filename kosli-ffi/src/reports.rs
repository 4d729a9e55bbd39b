//! Compliance documents (`kosli_core::report`), built from Kosli's reads: the compliance
//! report of a flow, the audit trail of one artifact, adoption metrics over a time window. A
//! value Kosli cannot give is `{"unknown": "<why>"}` in the JSON, never a guess.

use std::ffi::c_char;

use kosli_core::report::{AdoptionOptions, AuditOptions, ComplianceOptions, Document, Format};

use crate::args::str_arg;
use crate::calls::{client_arg, JsonSlot};
use crate::client::kosli_client;
use crate::error::FfiError;
use crate::options::Options;
use crate::panic::ffi_status;
use crate::status::kosli_status;

/// The `format` option: `json` (default), `markdown`, `csv` (the compliance report only).
fn format(options: &mut Options) -> Result<Format, FfiError> {
    Ok(match options.string("format")? {
        Some(text) => text.parse()?,
        None => Format::Json,
    })
}

/// Builds the document `request` asks for and stores it rendered in `format`.
fn build(
    client: &kosli_core::blocking::Client,
    request: kosli_core::report::ReportRequest,
    format: Format,
    slot: JsonSlot<'_>,
) -> Result<(), FfiError> {
    let document: Document = client.report(&request)?;
    slot.put(document.render(format)?);
    Ok(())
}

/// The compliance report of `flow`: one row per artifact (name, fingerprint, trail,
/// compliant, attestations, missing attestations, environments where it runs) and a summary
/// (`kosli compliance report` of the SDK's example). `*json_out` is the document as JSON (or
/// as option `format` says: `markdown`, `csv`), to free with `kosli_string_free`. An unknown
/// flow is `KOSLI_NOT_FOUND`. Options: `environments` (a list: where to look for the
/// artifacts; default every environment that takes snapshots), `format`.
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `json_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_compliance_report(
    client: *const kosli_client,
    flow: *const c_char,
    options_json: *const c_char,
    json_out: *mut *mut c_char,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let flow = unsafe { str_arg(flow, "flow") }?;
        // SAFETY: as above.
        let mut options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { JsonSlot::new(json_out) }?;
        let mut report = ComplianceOptions::new(flow);
        if let Some(names) = options.strings("environments")? {
            report = report.environments(names);
        }
        let format = format(&mut options)?;
        options.finish()?;
        build(
            &client,
            kosli_core::report::ReportRequest::Compliance(report),
            format,
            slot,
        )
    })
}

/// The audit trail of the artifact with `fingerprint` (whole, or its first characters) in
/// `flow`: its build (commit, build URL), test, security and review evidence with their
/// status, and every environment it ran in with first and last seen times. `*json_out` as
/// `kosli_client_compliance_report` (`format`: `json` or `markdown`). Options:
/// `environments`, `format`.
///
/// # Safety
/// `client` is a live handle; strings are NUL-terminated (`options_json` may be NULL);
/// `json_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_audit_trail(
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
        let mut options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { JsonSlot::new(json_out) }?;
        let mut audit = AuditOptions::new(flow, fingerprint);
        if let Some(names) = options.strings("environments")? {
            audit = audit.environments(names);
        }
        let format = format(&mut options)?;
        options.finish()?;
        build(
            &client,
            kosli_core::report::ReportRequest::Audit(audit),
            format,
            slot,
        )
    })
}

/// Adoption metrics over a time window: the share of running artifacts with provenance, the
/// average evidence per artifact, median and p90 build-to-deploy time, drift events.
/// `*json_out` as `kosli_client_compliance_report` (`format`: `json` or `markdown`). Options:
/// `since`, `until` (Unix seconds; default the 30 days before now), `environments`, `flows`
/// (the flows provenance must be in; default any), `format`.
///
/// # Safety
/// `client` is a live handle; `options_json` is NULL or NUL-terminated; `json_out` is
/// writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_adoption_metrics(
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
        let mut adoption = AdoptionOptions::new();
        if let Some(since) = options.typed::<f64>("since")? {
            adoption = adoption.since(since);
        }
        if let Some(until) = options.typed::<f64>("until")? {
            adoption = adoption.until(until);
        }
        if let Some(names) = options.strings("environments")? {
            adoption = adoption.environments(names);
        }
        if let Some(names) = options.strings("flows")? {
            adoption = adoption.flows(names);
        }
        let format = format(&mut options)?;
        options.finish()?;
        build(
            &client,
            kosli_core::report::ReportRequest::Adoption(adoption),
            format,
            slot,
        )
    })
}
