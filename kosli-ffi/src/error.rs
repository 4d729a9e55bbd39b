//! Why a call failed: the boundary's error type and the thread-local last-error message.

use std::cell::RefCell;

use crate::status::kosli_status;

/// A failure at the C boundary: a bad pointer or string, a small buffer, or a core error.
#[derive(Debug)]
pub(crate) enum FfiError {
    /// A required pointer was NULL; names the parameter.
    Null(&'static str),
    /// A string was not UTF-8; names the parameter.
    Utf8(&'static str),
    /// An output buffer was too small; names it and says how many bytes are needed.
    BufferTooSmall { name: &'static str, needed: usize },
    /// The core's error.
    Core(kosli_core::Error),
    /// A deploy step given to `kosli_client_deploy` returned this non-zero code.
    StepFailed(std::ffi::c_int),
}

impl From<kosli_core::Error> for FfiError {
    fn from(e: kosli_core::Error) -> Self {
        FfiError::Core(e)
    }
}

impl FfiError {
    /// The status this failure returns.
    pub(crate) fn status(&self) -> kosli_status {
        match self {
            FfiError::Null(_) => kosli_status::KOSLI_NULL_PARAMETER,
            FfiError::Utf8(_) => kosli_status::KOSLI_INVALID_UTF8,
            FfiError::BufferTooSmall { .. } => kosli_status::KOSLI_BUFFER_TOO_SMALL,
            FfiError::Core(e) => kosli_status::from_kind(e.kind()),
            FfiError::StepFailed(_) => kosli_status::KOSLI_DEPLOY_STEP_FAILED,
        }
    }

    /// The message `kosli_last_error_message` returns.
    pub(crate) fn message(&self) -> String {
        match self {
            FfiError::Null(name) => format!("argument `{name}` is NULL"),
            FfiError::Utf8(name) => format!("argument `{name}` is not valid UTF-8"),
            FfiError::BufferTooSmall { name, needed } => {
                format!("buffer `{name}` is too small: {needed} bytes are needed")
            }
            FfiError::StepFailed(code) => {
                format!("the deploy step failed with code {code}: nothing was reported")
            }
            FfiError::Core(e) => {
                // Keep the cause chain: it often says what the operating system said.
                let mut text = e.to_string();
                let mut source = std::error::Error::source(e);
                while let Some(cause) = source {
                    let cause_text = cause.to_string();
                    if !text.contains(&cause_text) {
                        text.push_str(": ");
                        text.push_str(&cause_text);
                    }
                    source = cause.source();
                }
                text
            }
        }
    }
}

thread_local! {
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Records the message of the calling thread's last failure.
pub(crate) fn set_last_error(message: String) {
    LAST_ERROR.with(|slot| *slot.borrow_mut() = message);
}

/// The calling thread's last failure message ("" when there was none).
pub(crate) fn last_error() -> String {
    LAST_ERROR.with(|slot| slot.borrow().clone())
}
