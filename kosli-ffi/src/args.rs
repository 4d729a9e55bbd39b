//! Checked conversions of C arguments: NULL and invalid UTF-8 become errors, never crashes.

use std::ffi::{c_char, CStr, CString};

use crate::error::FfiError;

/// A required C string argument as `&str`.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string valid for the call.
pub(crate) unsafe fn str_arg<'a>(
    ptr: *const c_char,
    name: &'static str,
) -> Result<&'a str, FfiError> {
    if ptr.is_null() {
        return Err(FfiError::Null(name));
    }
    // SAFETY: not NULL, and the caller promises a NUL-terminated string valid for the call.
    let c = unsafe { CStr::from_ptr(ptr) };
    c.to_str().map_err(|_| FfiError::Utf8(name))
}

/// An array of `len` C strings (`ptr` may be NULL only when `len` is 0).
///
/// # Safety
/// `ptr` is NULL or points to `len` pointers, each NULL or a NUL-terminated string.
pub(crate) unsafe fn str_array<'a>(
    ptr: *const *const c_char,
    len: usize,
    name: &'static str,
) -> Result<Vec<&'a str>, FfiError> {
    if len == 0 {
        return Ok(Vec::new());
    }
    if ptr.is_null() {
        return Err(FfiError::Null(name));
    }
    // SAFETY: not NULL, and the caller promises `len` readable elements.
    let items = unsafe { std::slice::from_raw_parts(ptr, len) };
    items
        .iter()
        // SAFETY: each element is NULL (an error) or a valid string, as promised.
        .map(|&item| unsafe { str_arg(item, name) })
        .collect()
}

/// Checks an output pointer and returns it as a mutable reference.
///
/// # Safety
/// `ptr` is NULL or valid for writing a `T`.
pub(crate) unsafe fn out_arg<'a, T>(
    ptr: *mut T,
    name: &'static str,
) -> Result<&'a mut T, FfiError> {
    // SAFETY: the caller promises a valid, writable pointer when not NULL.
    unsafe { ptr.as_mut() }.ok_or(FfiError::Null(name))
}

/// Copies `text` and a NUL into the caller's buffer `buf` of `len` bytes, or says how many are
/// needed; nothing is written unless it all fits.
///
/// # Safety
/// `buf` is NULL or valid for writing `len` bytes.
pub(crate) unsafe fn write_str(
    text: &str,
    buf: *mut c_char,
    len: usize,
    name: &'static str,
) -> Result<(), FfiError> {
    let needed = text.len() + 1;
    if buf.is_null() {
        return Err(FfiError::Null(name));
    }
    if len < needed {
        return Err(FfiError::BufferTooSmall { name, needed });
    }
    // SAFETY: `buf` holds at least `needed` writable bytes, checked above.
    unsafe {
        std::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), text.len());
        *buf.add(text.len()) = 0;
    }
    Ok(())
}

/// A library-owned C string for the caller to free with `kosli_string_free`.
pub(crate) fn owned_string(text: String) -> *mut c_char {
    // Interior NULs cannot come from JSON or our messages; strip them rather than fail.
    let bytes: Vec<u8> = text.into_bytes().into_iter().filter(|&b| b != 0).collect();
    CString::new(bytes)
        .map(CString::into_raw)
        .unwrap_or(std::ptr::null_mut())
}
