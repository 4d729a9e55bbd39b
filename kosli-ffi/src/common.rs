//! Functions every caller needs: the last error, status names, freeing library strings.

use std::ffi::{c_char, CString};

use crate::args::{out_arg, write_str};
use crate::error::last_error;
use crate::panic::ffi_value;
use crate::status::kosli_status;

/// Copies the calling thread's last error message (NUL-terminated) into `buf` of `len` bytes.
///
/// `*needed` (if `needed` is not NULL) always receives the full size needed, NUL included, so a
/// caller can call once with `len = 0` to size the buffer. Returns `KOSLI_BUFFER_TOO_SMALL` when
/// it does not fit (nothing is written to `buf` then). The message is "" when no call failed.
///
/// # Safety
/// `buf` is NULL or valid for writing `len` bytes; `needed` is NULL or valid for writing.
#[no_mangle]
pub unsafe extern "C" fn kosli_last_error_message(
    buf: *mut c_char,
    len: usize,
    needed: *mut usize,
) -> kosli_status {
    // Not through ffi_status: reading the last error must not overwrite it.
    ffi_value!({
        let message = last_error();
        // SAFETY: `needed` is NULL or writable, as documented.
        if let Ok(slot) = unsafe { out_arg(needed, "needed") } {
            *slot = message.len() + 1;
        }
        if buf.is_null() && len == 0 {
            return kosli_status::KOSLI_BUFFER_TOO_SMALL;
        }
        // SAFETY: `buf` is NULL or writable for `len` bytes, as documented.
        match unsafe { write_str(&message, buf, len, "buf") } {
            Ok(()) => kosli_status::KOSLI_OK,
            Err(e) => e.status(),
        }
    })
}

/// The C name of a status number ("KOSLI_OK", ...), or "KOSLI_UNKNOWN_STATUS". Static; do not
/// free.
#[no_mangle]
pub extern "C" fn kosli_status_name(status: u32) -> *const c_char {
    ffi_value!({
        let name = kosli_status::from_code(status)
            .map(kosli_status::name)
            .unwrap_or("KOSLI_UNKNOWN_STATUS");
        // The names are ASCII without NULs; leak one CString per distinct name at most once.
        static NAMES: std::sync::OnceLock<Vec<(&'static str, CString)>> =
            std::sync::OnceLock::new();
        let names = NAMES.get_or_init(|| {
            kosli_status::ALL
                .iter()
                .map(|s| s.name())
                .chain(["KOSLI_UNKNOWN_STATUS"])
                .filter_map(|n| CString::new(n).ok().map(|c| (n, c)))
                .collect()
        });
        names
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| c.as_ptr())
            .unwrap_or(std::ptr::null())
    })
}

/// Frees a string the library returned (JSON results, reports). `NULL` is a no-op.
///
/// # Safety
/// `s` is NULL or a string returned by this library and not yet freed.
#[no_mangle]
pub unsafe extern "C" fn kosli_string_free(s: *mut c_char) {
    ffi_value!({
        if !s.is_null() {
            // SAFETY: `s` came from CString::into_raw in this library and is freed once.
            drop(unsafe { CString::from_raw(s) });
        }
    })
}
