//! What every operation export does around its core call: borrow the client, check the
//! output pointers before anything is sent, and hand results to C (an outcome handle, or a
//! library-owned JSON string).

use std::ffi::c_char;
use std::sync::Arc;

use kosli_core::blocking::Client;
use kosli_core::client::Response;
use kosli_core::{Fingerprint, Outcome};

use crate::args::{out_arg, owned_string, str_arg};
use crate::client::kosli_client;
use crate::error::FfiError;
use crate::handles::clone_arc;
use crate::outcome::{kosli_outcome, OutcomeC};

/// The client behind a handle.
///
/// # Safety
/// `ptr` is NULL or a live client handle.
pub(crate) unsafe fn client_arg(ptr: *const kosli_client) -> Result<Arc<Client>, FfiError> {
    // SAFETY: as documented for the caller.
    unsafe { clone_arc::<Client, kosli_client>(ptr, "client") }
}

/// A required fingerprint argument: 64 lowercase hex characters.
///
/// # Safety
/// `ptr` is NULL or a NUL-terminated string valid for the call.
pub(crate) unsafe fn fingerprint_arg(
    ptr: *const c_char,
    name: &'static str,
) -> Result<Fingerprint, FfiError> {
    // SAFETY: as documented for the caller.
    let text = unsafe { str_arg(ptr, name) }?;
    Ok(text.parse::<Fingerprint>()?)
}

/// The slot of a write's outcome.
pub(crate) struct OutcomeSlot<'a>(&'a mut *mut kosli_outcome);

impl OutcomeSlot<'_> {
    /// Checks `ptr` (before the call is made, so that a NULL output sends nothing).
    ///
    /// # Safety
    /// `ptr` is NULL or writable.
    pub(crate) unsafe fn new<'a>(
        ptr: *mut *mut kosli_outcome,
    ) -> Result<OutcomeSlot<'a>, FfiError> {
        // SAFETY: as documented for the caller.
        unsafe { out_arg(ptr, "outcome_out") }.map(OutcomeSlot)
    }

    /// Stores a new outcome handle for C.
    pub(crate) fn put(self, outcome: &Outcome) {
        *self.0 = OutcomeC::new(outcome).into_handle();
    }
}

/// The slot of a read's JSON answer.
pub(crate) struct JsonSlot<'a>(&'a mut *mut c_char);

impl JsonSlot<'_> {
    /// Checks `ptr` (before the call is made).
    ///
    /// # Safety
    /// `ptr` is NULL or writable.
    pub(crate) unsafe fn new<'a>(ptr: *mut *mut c_char) -> Result<JsonSlot<'a>, FfiError> {
        // SAFETY: as documented for the caller.
        unsafe { out_arg(ptr, "json_out") }.map(JsonSlot)
    }

    /// Stores a library-owned copy of `text`.
    pub(crate) fn put(self, text: String) {
        *self.0 = owned_string(text);
    }

    /// Stores the server's answer unchanged.
    pub(crate) fn put_response(self, response: &Response) {
        self.put(response.text().into_owned());
    }
}
