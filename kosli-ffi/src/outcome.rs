//! `kosli_outcome`: what became of a write (sent, dry-run, queued in the journal, or per host).

use std::ffi::{c_char, CString};

use kosli_core::Outcome;

use crate::handles::{borrow_box, boxed, take_box};
use crate::panic::ffi_value;

/// What became of a write. Read it with the `kosli_outcome_*` accessors (their strings belong
/// to the outcome and live until `kosli_outcome_free`).
#[allow(non_camel_case_types, reason = "C naming")]
pub struct kosli_outcome {
    _private: [u8; 0],
}

/// The write was sent and accepted (by the one host, or by every host).
pub const KOSLI_OUTCOME_SENT: u32 = 0;
/// Dry-run: nothing was sent; `kosli_outcome_dry_run` gives the CLI's dry-run block.
pub const KOSLI_OUTCOME_DRY_RUN: u32 = 1;
/// Recorded in the journal, to be delivered later; `kosli_outcome_journal_id` names it.
pub const KOSLI_OUTCOME_QUEUED: u32 = 2;
/// Several hosts and at least one failed; `kosli_outcome_failed_hosts_json` names them.
pub const KOSLI_OUTCOME_PARTIAL: u32 = 3;

/// The Rust side of a `kosli_outcome` handle: everything C can read, as C strings.
pub(crate) struct OutcomeC {
    kind: u32,
    journal_id: Option<CString>,
    failed_hosts_json: CString,
    body: Option<CString>,
    dry_run: Option<CString>,
}

fn c_string(text: &str) -> CString {
    CString::new(text.replace('\0', "")).unwrap_or_default()
}

impl OutcomeC {
    /// Flattens a core outcome for C.
    pub(crate) fn new(outcome: &Outcome) -> OutcomeC {
        let failed = outcome.failed_hosts();
        let kind = match outcome {
            Outcome::Queued { .. } => KOSLI_OUTCOME_QUEUED,
            _ if !failed.is_empty() => KOSLI_OUTCOME_PARTIAL,
            _ if outcome.dry_run().is_some() => KOSLI_OUTCOME_DRY_RUN,
            _ => KOSLI_OUTCOME_SENT,
        };
        let journal_id = match outcome {
            Outcome::Queued { id } => Some(c_string(id)),
            _ => None,
        };
        let hosts = serde_json::to_string(&failed).unwrap_or_else(|_| "[]".to_string());
        OutcomeC {
            kind,
            journal_id,
            failed_hosts_json: c_string(&hosts),
            body: outcome.response().map(|r| c_string(&r.text())),
            dry_run: outcome.dry_run().map(|d| c_string(&d.to_string())),
        }
    }

    /// A new handle for C.
    pub(crate) fn into_handle(self) -> *mut kosli_outcome {
        boxed::<OutcomeC, kosli_outcome>(self)
    }
}

fn ptr_of(s: &Option<CString>) -> *const c_char {
    s.as_ref().map(|c| c.as_ptr()).unwrap_or(std::ptr::null())
}

/// The outcome's kind (`KOSLI_OUTCOME_SENT`, ...), or `UINT32_MAX` for a NULL outcome.
///
/// # Safety
/// `outcome` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn kosli_outcome_kind(outcome: *mut kosli_outcome) -> u32 {
    ffi_value!({
        // SAFETY: as documented for the caller.
        unsafe { borrow_box::<OutcomeC, kosli_outcome>(outcome, "outcome") }
            .map_or(u32::MAX, |o| o.kind)
    })
}

/// The journal record's id when the write was queued, else NULL.
///
/// # Safety
/// `outcome` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn kosli_outcome_journal_id(outcome: *mut kosli_outcome) -> *const c_char {
    ffi_value!({
        // SAFETY: as documented for the caller.
        unsafe { borrow_box::<OutcomeC, kosli_outcome>(outcome, "outcome") }
            .map_or(std::ptr::null(), |o| ptr_of(&o.journal_id))
    })
}

/// The hosts where the write failed, as a JSON list of strings (`[]` when none); NULL for a
/// NULL outcome.
///
/// # Safety
/// `outcome` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn kosli_outcome_failed_hosts_json(
    outcome: *mut kosli_outcome,
) -> *const c_char {
    ffi_value!({
        // SAFETY: as documented for the caller.
        unsafe { borrow_box::<OutcomeC, kosli_outcome>(outcome, "outcome") }
            .map_or(std::ptr::null(), |o| o.failed_hosts_json.as_ptr())
    })
}

/// The primary host's response body when the write was sent, else NULL.
///
/// # Safety
/// `outcome` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn kosli_outcome_response_body(outcome: *mut kosli_outcome) -> *const c_char {
    ffi_value!({
        // SAFETY: as documented for the caller.
        unsafe { borrow_box::<OutcomeC, kosli_outcome>(outcome, "outcome") }
            .map_or(std::ptr::null(), |o| ptr_of(&o.body))
    })
}

/// The CLI's dry-run block when the write was not sent because of dry-run, else NULL.
///
/// # Safety
/// `outcome` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn kosli_outcome_dry_run(outcome: *mut kosli_outcome) -> *const c_char {
    ffi_value!({
        // SAFETY: as documented for the caller.
        unsafe { borrow_box::<OutcomeC, kosli_outcome>(outcome, "outcome") }
            .map_or(std::ptr::null(), |o| ptr_of(&o.dry_run))
    })
}

/// Frees an outcome. `NULL` is a no-op.
///
/// # Safety
/// `outcome` is NULL or a live handle, freed once.
#[no_mangle]
pub unsafe extern "C" fn kosli_outcome_free(outcome: *mut kosli_outcome) {
    ffi_value!({
        // SAFETY: as documented for the caller.
        drop(unsafe { take_box::<OutcomeC, kosli_outcome>(outcome) });
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    fn text(p: *const c_char) -> Option<String> {
        // SAFETY: test pointers come from a live outcome.
        (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_string())
    }

    #[test]
    fn queued_and_dry_run_outcomes_read_back() {
        let queued = OutcomeC::new(&Outcome::Queued { id: "00042".into() }).into_handle();
        let run = kosli_core::dryrun::DryRun::json_text(
            kosli_core::dryrun::Method::Put,
            "https://x/api",
            "{}",
        );
        let dry = OutcomeC::new(&Outcome::DryRun(run)).into_handle();
        // SAFETY: live handles made above, freed once.
        unsafe {
            assert_eq!(kosli_outcome_kind(queued), KOSLI_OUTCOME_QUEUED);
            assert_eq!(
                text(kosli_outcome_journal_id(queued)).as_deref(),
                Some("00042")
            );
            assert_eq!(
                text(kosli_outcome_failed_hosts_json(queued)).as_deref(),
                Some("[]")
            );
            assert_eq!(text(kosli_outcome_response_body(queued)), None);
            assert_eq!(kosli_outcome_kind(dry), KOSLI_OUTCOME_DRY_RUN);
            assert!(text(kosli_outcome_dry_run(dry))
                .unwrap()
                .contains("THIS IS A DRY-RUN"));
            assert_eq!(kosli_outcome_kind(std::ptr::null_mut()), u32::MAX);
            kosli_outcome_free(queued);
            kosli_outcome_free(dry);
            kosli_outcome_free(std::ptr::null_mut());
        }
    }
}
