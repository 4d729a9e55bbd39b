//! The journal from C: turning it on (`journal_dir`), offline clients, the failure callback
//! and webhook, flushing, and the status of pending records.

use std::ffi::{c_char, c_void, CString};
use std::time::{SystemTime, UNIX_EPOCH};

use kosli_core::journal::{DeliveryFailure, FailureHook, FlushReport, JournalStatus};
use kosli_core::Config;
use serde_json::{json, Value};

use crate::args::{out_arg, str_arg};
use crate::calls::{client_arg, JsonSlot};
use crate::client::{kosli_client, new_client_handle};
use crate::config::{kosli_config, set_str, ConfigCell};
use crate::handles::{borrow_box, boxed, take_box};
use crate::options::Options;
use crate::panic::{ffi_status, ffi_value};
use crate::status::kosli_status;

/// A journal record that could not be delivered, as the failure callback sees it. Every
/// string lives only until the callback returns: copy what you keep.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct kosli_delivery_failure {
    /// The record's id (the `kosli_outcome_journal_id` of the write that queued it).
    pub id: *const c_char,
    /// The operation's name (`attest_junit`, `snapshot_server`, ...).
    pub operation: *const c_char,
    /// The host it could not reach (its URL, without credentials).
    pub host: *const c_char,
    /// Why, as a status (`KOSLI_NETWORK`, `KOSLI_API`, ...).
    pub kind: kosli_status,
    /// The error's message (never the token).
    pub message: *const c_char,
    /// The journal folder the record stays in, or NULL.
    pub journal_dir: *const c_char,
}

/// Called for each journal record that could not be delivered: a write that an outage turned
/// into `KOSLI_OUTCOME_QUEUED`, and each record `kosli_client_flush_journal` could not
/// deliver. It runs on the thread that made that call, before the call returns, one failure
/// at a time; calls made on several threads at once may run it at once, so what `user_data`
/// points to must be safe to use from those threads. It must return quickly and must not
/// unwind (in C++: `noexcept`, no exception may leave it).
#[allow(non_camel_case_types, reason = "C naming")]
pub type kosli_delivery_failure_callback =
    Option<unsafe extern "C" fn(failure: *const kosli_delivery_failure, user_data: *mut c_void)>;

/// What a flush did. Read it with the `kosli_flush_report_*` accessors; free it with
/// `kosli_flush_report_free`.
#[allow(non_camel_case_types, reason = "C naming")]
pub struct kosli_flush_report {
    _private: [u8; 0],
}

/// The Rust side of a `kosli_flush_report` handle.
struct FlushReportC {
    delivered: usize,
    left: usize,
    failed: usize,
    superseded: usize,
    json: CString,
}

/// The C callback and its data, moved into the SDK's hook.
struct Callback {
    f: unsafe extern "C" fn(*const kosli_delivery_failure, *mut c_void),
    user_data: *mut c_void,
}

// SAFETY: the header tells the caller that the callback may run on the threads that make
// calls, at once when they do, so `user_data` is shared across threads by contract.
unsafe impl Send for Callback {}
// SAFETY: as above.
unsafe impl Sync for Callback {}

/// A C string without interior NULs (they cannot come from the SDK's text; dropped if so).
fn c_text(text: &str) -> CString {
    CString::new(text.replace('\0', "")).unwrap_or_default()
}

impl Callback {
    /// Calls the C function with the failure, inside a panic guard: nothing unwinds into C.
    fn call(&self, failure: &DeliveryFailure) {
        crate::panic::guard(|| {
            let id = c_text(&failure.id);
            let operation = c_text(&failure.operation);
            let host = c_text(&failure.host);
            let message = c_text(&failure.message);
            let dir = failure
                .journal
                .as_ref()
                .map(|d| c_text(&d.to_string_lossy()));
            let c = kosli_delivery_failure {
                id: id.as_ptr(),
                operation: operation.as_ptr(),
                host: host.as_ptr(),
                kind: kosli_status::from_kind(failure.kind),
                message: message.as_ptr(),
                journal_dir: dir.as_ref().map_or(std::ptr::null(), |d| d.as_ptr()),
            };
            // SAFETY: a C function given by the caller, with a pointer valid for the call and
            // the caller's own data.
            unsafe { (self.f)(&c, self.user_data) };
        });
    }
}

/// Turns the journal on in folder `dir` (created if needed): every write is recorded there
/// before it is sent, and a Kosli outage queues it (`KOSLI_OUTCOME_QUEUED`) instead of failing.
///
/// # Safety
/// `config` is a live handle; `dir` is a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn kosli_config_set_journal_dir(
    config: *mut kosli_config,
    dir: *const c_char,
) -> kosli_status {
    // SAFETY: as documented for the caller.
    ffi_status!({ unsafe { set_str(config, dir, "dir", |b, v| b.journal_dir(v)) } })
}

/// For offline use: with a journal folder and nothing else (no host, token or org), every
/// write is only recorded and returns `KOSLI_OUTCOME_QUEUED`; a client that has host, token
/// and org delivers the records with `kosli_client_flush_journal`.
///
/// # Safety
/// `config` is a live handle.
#[no_mangle]
pub unsafe extern "C" fn kosli_config_set_offline(
    config: *mut kosli_config,
    on: bool,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller.
        let cell = unsafe { borrow_box::<ConfigCell, kosli_config>(config, "config") }?;
        cell.update(|b| b.offline(on));
        Ok(())
    })
}

/// Adds a callback called for each journal record that could not be delivered (see
/// `kosli_delivery_failure_callback` for the thread it runs on). `user_data` is passed back
/// unchanged and must stay valid as long as clients made from this configuration live.
///
/// # Safety
/// `config` is a live handle; `callback` is a function that follows the rules above.
#[no_mangle]
pub unsafe extern "C" fn kosli_config_on_delivery_failure(
    config: *mut kosli_config,
    callback: kosli_delivery_failure_callback,
    user_data: *mut c_void,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller.
        let cell = unsafe { borrow_box::<ConfigCell, kosli_config>(config, "config") }?;
        let f = callback.ok_or(crate::error::FfiError::Null("callback"))?;
        let callback = Callback { f, user_data };
        let hook: FailureHook = std::sync::Arc::new(move |failure| callback.call(failure));
        cell.update(|b| b.on_delivery_failure(hook));
        Ok(())
    })
}

/// A URL to POST a Slack-compatible `{"text": ...}` alert to for each record that could not
/// be delivered (never with the token).
///
/// # Safety
/// `config` is a live handle; `url` is a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn kosli_config_set_failure_webhook(
    config: *mut kosli_config,
    url: *const c_char,
) -> kosli_status {
    // SAFETY: as documented for the caller.
    ffi_status!({ unsafe { set_str(config, url, "url", |b, v| b.failure_webhook(v)) } })
}

/// A client for offline use with only the journal folder `journal_dir`: no host, token or
/// org; every write returns `KOSLI_OUTCOME_QUEUED`. Free it with `kosli_client_free`.
///
/// # Safety
/// `journal_dir` is a NUL-terminated string; `client_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_new_offline(
    journal_dir: *const c_char,
    client_out: *mut *mut kosli_client,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller.
        let dir = unsafe { str_arg(journal_dir, "journal_dir") }?;
        // SAFETY: as documented for the caller.
        let slot = unsafe { out_arg(client_out, "client_out") }?;
        *slot = new_client_handle(Config::offline(dir)?)?;
        Ok(())
    })
}

/// Delivers the journal's pending records to every host of `client` (which needs a host, a
/// token and an org), in order, stopping a sequence at its first record that still fails.
/// On `KOSLI_OK`, `*report_out` says what was delivered and what is left (records that
/// could not be delivered stay, and are not an error). No options yet.
///
/// # Safety
/// `client` is a live handle; `options_json` is NULL or NUL-terminated; `report_out` is
/// writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_flush_journal(
    client: *const kosli_client,
    options_json: *const c_char,
    report_out: *mut *mut kosli_flush_report,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let slot = unsafe { out_arg(report_out, "report_out") }?;
        options.finish()?;
        let report = client.flush_journal()?;
        *slot = boxed::<FlushReportC, kosli_flush_report>(flush_report_c(&report));
        Ok(())
    })
}

/// The journal's pending records as `client` sees them (its hosts are always listed):
/// `*pending_out` is how many records are not delivered everywhere yet, and `*json_out` the
/// details, to free with `kosli_string_free`: `{"dir", "pending", "oldest", "unbound",
/// "corrupt_lines", "hosts": [{"host", "pending", "oldest", "last_error"}], "records":
/// [{"id", "operation", "recorded_at", "hosts", "failures", "last_error"}]}` (times in Unix
/// seconds, `null` when none). No options yet.
///
/// # Safety
/// `client` is a live handle; `options_json` is NULL or NUL-terminated; `pending_out` and
/// `json_out` are writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_journal_status(
    client: *const kosli_client,
    options_json: *const c_char,
    pending_out: *mut usize,
    json_out: *mut *mut c_char,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller (each unsafe call below likewise).
        let client = unsafe { client_arg(client) }?;
        // SAFETY: as above.
        let options = unsafe { Options::parse(options_json) }?;
        // SAFETY: as above.
        let pending = unsafe { out_arg(pending_out, "pending_out") }?;
        // SAFETY: as above.
        let slot = unsafe { JsonSlot::new(json_out) }?;
        options.finish()?;
        let status = client.journal_status()?;
        *pending = status.pending;
        slot.put(status_json(&status).to_string());
        Ok(())
    })
}

/// Records delivered by the flush, over all hosts (`SIZE_MAX` for a NULL report).
///
/// # Safety
/// `report` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn kosli_flush_report_delivered(report: *mut kosli_flush_report) -> usize {
    ffi_value!({
        // SAFETY: as documented for the caller.
        unsafe { borrow_box::<FlushReportC, kosli_flush_report>(report, "report") }
            .map_or(usize::MAX, |r| r.delivered)
    })
}

/// Records still pending after the flush, over all hosts (`SIZE_MAX` for a NULL report).
///
/// # Safety
/// `report` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn kosli_flush_report_left(report: *mut kosli_flush_report) -> usize {
    ffi_value!({
        // SAFETY: as documented for the caller.
        unsafe { borrow_box::<FlushReportC, kosli_flush_report>(report, "report") }
            .map_or(usize::MAX, |r| r.left)
    })
}

/// Failed deliveries during the flush, over all hosts (`SIZE_MAX` for a NULL report).
///
/// # Safety
/// `report` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn kosli_flush_report_failed(report: *mut kosli_flush_report) -> usize {
    ffi_value!({
        // SAFETY: as documented for the caller.
        unsafe { borrow_box::<FlushReportC, kosli_flush_report>(report, "report") }
            .map_or(usize::MAX, |r| r.failed)
    })
}

/// Older snapshots dropped for a newer one of the same environment (`SIZE_MAX` for a NULL
/// report).
///
/// # Safety
/// `report` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn kosli_flush_report_superseded(report: *mut kosli_flush_report) -> usize {
    ffi_value!({
        // SAFETY: as documented for the caller.
        unsafe { borrow_box::<FlushReportC, kosli_flush_report>(report, "report") }
            .map_or(usize::MAX, |r| r.superseded)
    })
}

/// The whole report as JSON, owned by the report (valid until `kosli_flush_report_free`):
/// `{"delivered", "left", "failed", "superseded", "complete", "hosts": [{"host",
/// "delivered", "superseded", "left", "stopped", "failures": [{"id", "operation", "host",
/// "kind", "message"}]}]}`. NULL for a NULL report.
///
/// # Safety
/// `report` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn kosli_flush_report_json(report: *mut kosli_flush_report) -> *const c_char {
    ffi_value!({
        // SAFETY: as documented for the caller.
        unsafe { borrow_box::<FlushReportC, kosli_flush_report>(report, "report") }
            .map_or(std::ptr::null(), |r| r.json.as_ptr())
    })
}

/// Frees a flush report. `NULL` is a no-op.
///
/// # Safety
/// `report` is NULL or a live handle, freed once.
#[no_mangle]
pub unsafe extern "C" fn kosli_flush_report_free(report: *mut kosli_flush_report) {
    ffi_value!({
        // SAFETY: as documented for the caller.
        drop(unsafe { take_box::<FlushReportC, kosli_flush_report>(report) });
    })
}

/// Unix seconds, or `null`.
fn unix(t: Option<SystemTime>) -> Value {
    match t.and_then(|t| t.duration_since(UNIX_EPOCH).ok()) {
        Some(d) => json!(d.as_secs_f64()),
        None => Value::Null,
    }
}

fn failure_json(f: &DeliveryFailure) -> Value {
    json!({
        "id": f.id,
        "operation": f.operation,
        "host": f.host,
        "kind": f.kind.name(),
        "message": f.message,
    })
}

fn flush_report_c(report: &FlushReport) -> FlushReportC {
    let failed = report.hosts.iter().map(|h| h.failures.len()).sum();
    let superseded = report.hosts.iter().map(|h| h.superseded).sum();
    let hosts: Vec<Value> = report
        .hosts
        .iter()
        .map(|h| {
            json!({
                "host": h.host,
                "delivered": h.delivered,
                "superseded": h.superseded,
                "left": h.left,
                "stopped": h.stopped,
                "failures": h.failures.iter().map(failure_json).collect::<Vec<_>>(),
            })
        })
        .collect();
    let json = json!({
        "delivered": report.delivered(),
        "left": report.left(),
        "failed": failed,
        "superseded": superseded,
        "complete": report.is_complete(),
        "hosts": hosts,
    });
    FlushReportC {
        delivered: report.delivered(),
        left: report.left(),
        failed,
        superseded,
        json: c_text(&json.to_string()),
    }
}

fn status_json(status: &JournalStatus) -> Value {
    json!({
        "dir": status.dir.as_ref().map(|d| d.to_string_lossy().into_owned()),
        "pending": status.pending,
        "oldest": unix(status.oldest),
        "unbound": status.unbound,
        "corrupt_lines": status.corrupt_lines,
        "hosts": status.hosts.iter().map(|h| json!({
            "host": h.host,
            "pending": h.pending,
            "oldest": unix(h.oldest),
            "last_error": h.last_error,
        })).collect::<Vec<_>>(),
        "records": status.records.iter().map(|r| json!({
            "id": r.id,
            "operation": r.operation,
            "recorded_at": unix(Some(r.recorded_at)),
            "hosts": r.hosts,
            "failures": r.failures,
            "last_error": r.last_error,
        })).collect::<Vec<_>>(),
    })
}
