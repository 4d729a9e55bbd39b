//! The panic boundary every exported function goes through: a panic never unwinds into C.
//!
//! Each exported function's whole body is one of the two macros below. On a panic the call
//! returns its type's "panicked" value (`KOSLI_PANIC`, NULL, 0) and the last-error message says
//! so. A test checks that no exported function skips the macros.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::error::{set_last_error, FfiError};
use crate::status::kosli_status;

/// What a function returns when it panicked.
pub(crate) trait PanicValue {
    /// The value returned instead of unwinding.
    fn panicked() -> Self;
}

impl PanicValue for kosli_status {
    fn panicked() -> Self {
        kosli_status::KOSLI_PANIC
    }
}

impl<T> PanicValue for *const T {
    fn panicked() -> Self {
        std::ptr::null()
    }
}

impl<T> PanicValue for *mut T {
    fn panicked() -> Self {
        std::ptr::null_mut()
    }
}

impl PanicValue for () {
    fn panicked() -> Self {}
}

impl PanicValue for u32 {
    /// `UINT32_MAX`: never a valid kind or count.
    fn panicked() -> Self {
        u32::MAX
    }
}

impl PanicValue for usize {
    /// `SIZE_MAX`: never a valid count.
    fn panicked() -> Self {
        usize::MAX
    }
}

impl PanicValue for bool {
    fn panicked() -> Self {
        false
    }
}

/// Runs `f`, turning a panic into `R::panicked()` and a last-error message.
pub(crate) fn guard<R: PanicValue>(f: impl FnOnce() -> R) -> R {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(value) => value,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            set_last_error(format!("internal error (panic): {what}"));
            R::panicked()
        }
    }
}

/// Runs a fallible body, mapping its error to a status and the last-error message.
pub(crate) fn guard_status(f: impl FnOnce() -> Result<(), FfiError>) -> kosli_status {
    guard(|| match f() {
        Ok(()) => kosli_status::KOSLI_OK,
        Err(e) => {
            set_last_error(e.message());
            e.status()
        }
    })
}

/// The body of an exported function that returns a `kosli_status`.
macro_rules! ffi_status {
    ($body:block) => {
        $crate::panic::guard_status(|| -> Result<(), $crate::error::FfiError> { $body })
    };
}

/// The body of an exported function that returns something else (a pointer, a value).
macro_rules! ffi_value {
    ($body:block) => {
        $crate::panic::guard(|| $body)
    };
}

pub(crate) use {ffi_status, ffi_value};
