//! Fingerprints from C: `kosli_fingerprint_file`, `kosli_fingerprint_dir`, with excludes, a
//! thread count and a progress callback that can cancel.

use std::ffi::{c_char, c_void};

use kosli_core::fingerprint::Fingerprinter;
use kosli_core::{Progress, ProgressControl};

use crate::args::{out_arg, owned_string, str_arg, str_array, write_str};
use crate::panic::ffi_status;
use crate::status::kosli_status;

/// A total that is not known yet.
pub const KOSLI_UNKNOWN: u64 = u64::MAX;

/// The size of a fingerprint buffer: 64 hex characters and a NUL.
pub const KOSLI_FINGERPRINT_BUFFER_SIZE: usize = 65;

/// How far a fingerprint has come. Totals are `KOSLI_UNKNOWN` until known.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct kosli_progress {
    /// Bytes hashed so far.
    pub bytes_done: u64,
    /// Files finished so far.
    pub files_done: u64,
    /// All bytes, or `KOSLI_UNKNOWN`.
    pub bytes_total: u64,
    /// All files, or `KOSLI_UNKNOWN`.
    pub files_total: u64,
}

/// A progress callback: return 0 to go on, anything else to cancel (the call then returns
/// `KOSLI_CANCELLED`). It runs on the thread that called the fingerprint function, one call at a
/// time, and must return quickly.
#[allow(non_camel_case_types, reason = "C naming")]
pub type kosli_progress_callback =
    Option<unsafe extern "C" fn(progress: *const kosli_progress, user_data: *mut c_void) -> i32>;

/// Options for a fingerprint; pass NULL for the defaults.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct kosli_fingerprint_options {
    /// Worker threads; 0 means one per core.
    pub threads: u32,
    /// Called as work advances; may be NULL.
    pub progress: kosli_progress_callback,
    /// Passed back to `progress` unchanged.
    pub user_data: *mut c_void,
}

/// The caller's callback and its data, moved into the SDK's progress closure.
struct Callback {
    f: unsafe extern "C" fn(*const kosli_progress, *mut c_void) -> i32,
    user_data: *mut c_void,
}

impl Callback {
    /// Calls the C function; `true` means it asked to cancel.
    fn cancel_requested(&self, progress: &kosli_progress) -> bool {
        // SAFETY: a C function pointer given by the caller, called with a valid pointer and
        // the caller's own data.
        unsafe { (self.f)(progress, self.user_data) != 0 }
    }
}

// SAFETY: the SDK calls a fingerprint's progress callback only on the thread that called the
// fingerprint function (documented in the header), so the pointer never crosses threads
// concurrently; the caller owns what it points to for the duration of the call.
unsafe impl Send for Callback {}
// SAFETY: as above; there is never more than one call at a time.
unsafe impl Sync for Callback {}

/// Builds the SDK's fingerprinter from the C options.
///
/// # Safety
/// `options` is NULL or valid for reading.
unsafe fn fingerprinter(
    options: *const kosli_fingerprint_options,
    excludes: Vec<&str>,
) -> Fingerprinter {
    let mut fp = Fingerprinter::new().excludes(excludes);
    // SAFETY: `options` is NULL or readable, as documented.
    let Some(options) = (unsafe { options.as_ref() }) else {
        return fp;
    };
    if options.threads > 0 {
        fp = fp.threads(options.threads as usize);
    }
    if let Some(f) = options.progress {
        let callback = Callback {
            f,
            user_data: options.user_data,
        };
        fp = fp.on_progress(move |p: &Progress| {
            let c = kosli_progress {
                bytes_done: p.bytes_done,
                files_done: p.files_done,
                bytes_total: p.bytes_total.unwrap_or(KOSLI_UNKNOWN),
                files_total: p.files_total.unwrap_or(KOSLI_UNKNOWN),
            };
            if callback.cancel_requested(&c) {
                ProgressControl::Cancel
            } else {
                ProgressControl::Continue
            }
        });
    }
    fp
}

/// Fingerprints the file at `path` (the SHA-256 of its bytes) into `out` as 64 hex characters
/// and a NUL; `out_len` must be at least `KOSLI_FINGERPRINT_BUFFER_SIZE`.
///
/// # Safety
/// `path` is a NUL-terminated string; `options` is NULL or valid; `out` is writable for
/// `out_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn kosli_fingerprint_file(
    path: *const c_char,
    options: *const kosli_fingerprint_options,
    out: *mut c_char,
    out_len: usize,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller.
        let path = unsafe { str_arg(path, "path") }?;
        if out.is_null() {
            return Err(crate::error::FfiError::Null("out"));
        }
        // SAFETY: as documented for the caller.
        let fp = unsafe { fingerprinter(options, Vec::new()) }.file(path)?;
        // SAFETY: as documented for the caller.
        unsafe { write_str(&fp.to_string(), out, out_len, "out") }
    })
}

/// Fingerprints the directory at `path` as `kosli fingerprint --artifact-type dir` does, with
/// `excludes_len` exclude patterns (`excludes` may be NULL when that is 0), into `out` as 64 hex
/// characters and a NUL.
///
/// # Safety
/// `path` is a NUL-terminated string; `excludes` holds `excludes_len` such strings; `options`
/// is NULL or valid; `out` is writable for `out_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn kosli_fingerprint_dir(
    path: *const c_char,
    excludes: *const *const c_char,
    excludes_len: usize,
    options: *const kosli_fingerprint_options,
    out: *mut c_char,
    out_len: usize,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller.
        let path = unsafe { str_arg(path, "path") }?;
        // SAFETY: as documented for the caller.
        let excludes = unsafe { str_array(excludes, excludes_len, "excludes") }?;
        if out.is_null() {
            return Err(crate::error::FfiError::Null("out"));
        }
        // SAFETY: as documented for the caller.
        let fp = unsafe { fingerprinter(options, excludes) }.dir(path)?;
        // SAFETY: as documented for the caller.
        unsafe { write_str(&fp.to_string(), out, out_len, "out") }
    })
}

/// Like `kosli_fingerprint_dir`, but returns a JSON report in `*report_json`
/// (`{"fingerprint": "...", "files": N, "bytes": N, "warnings": [...]}`), a library-owned
/// string to free with `kosli_string_free`.
///
/// # Safety
/// As `kosli_fingerprint_dir`; `report_json` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_fingerprint_dir_report(
    path: *const c_char,
    excludes: *const *const c_char,
    excludes_len: usize,
    options: *const kosli_fingerprint_options,
    report_json: *mut *mut c_char,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller.
        let path = unsafe { str_arg(path, "path") }?;
        // SAFETY: as documented for the caller.
        let excludes = unsafe { str_array(excludes, excludes_len, "excludes") }?;
        // SAFETY: as documented for the caller.
        let slot = unsafe { out_arg(report_json, "report_json") }?;
        // SAFETY: as documented for the caller.
        let report = unsafe { fingerprinter(options, excludes) }.dir_report(path)?;
        let json = format!(
            "{{\"fingerprint\":\"{}\",\"files\":{},\"bytes\":{},\"warnings\":[{}]}}",
            report.fingerprint,
            report.files,
            report.bytes,
            report
                .warnings
                .iter()
                .map(|w| json_string(w))
                .collect::<Vec<_>>()
                .join(",")
        );
        *slot = owned_string(json);
        Ok(())
    })
}

/// A JSON string literal (the warnings are plain text; no serde needed for this one shape).
fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CString;

    #[test]
    fn null_and_bad_utf8_are_statuses() {
        let mut out = [0 as c_char; 65];
        // SAFETY: test calls with valid or deliberately NULL/invalid arguments.
        unsafe {
            let s =
                kosli_fingerprint_file(std::ptr::null(), std::ptr::null(), out.as_mut_ptr(), 65);
            assert_eq!(s, kosli_status::KOSLI_NULL_PARAMETER);
            let bad = [0xffu8 as c_char, 0];
            let s = kosli_fingerprint_file(bad.as_ptr(), std::ptr::null(), out.as_mut_ptr(), 65);
            assert_eq!(s, kosli_status::KOSLI_INVALID_UTF8);
            let path = CString::new("Cargo.toml").unwrap();
            let s = kosli_fingerprint_file(path.as_ptr(), std::ptr::null(), out.as_mut_ptr(), 10);
            assert_eq!(s, kosli_status::KOSLI_BUFFER_TOO_SMALL);
            assert_eq!(out[0], 0, "nothing written on failure");
            let s = kosli_fingerprint_file(path.as_ptr(), std::ptr::null(), out.as_mut_ptr(), 65);
            assert_eq!(s, kosli_status::KOSLI_OK);
            assert_eq!(CStr::from_ptr(out.as_ptr()).to_bytes().len(), 64);
        }
    }

    use std::ffi::CStr;
}
