//! `kosli_status`: the numbered result of every C call, from DESIGN.md's error table.

use kosli_core::ErrorKind;

/// The result of a C call. `KOSLI_OK` is 0; error kinds keep their numbers forever (new ones
/// are appended); the boundary's own codes start at 100.
#[allow(non_camel_case_types, reason = "C naming")]
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum kosli_status {
    /// Success.
    KOSLI_OK = 0,
    /// A bad argument or name.
    KOSLI_INVALID_INPUT = 1,
    /// A file could not be read or written.
    KOSLI_IO = 2,
    /// An artifact could not be fingerprinted.
    KOSLI_FINGERPRINT = 3,
    /// Malformed JUnit, SARIF, YAML or JSON.
    KOSLI_PARSE = 4,
    /// Bad or missing configuration.
    KOSLI_CONFIG = 5,
    /// The connection failed after retries.
    KOSLI_NETWORK = 6,
    /// A time budget ran out.
    KOSLI_TIMEOUT = 7,
    /// The server answered with an error.
    KOSLI_API = 8,
    /// The server refused the credentials (401/403).
    KOSLI_AUTH = 9,
    /// The server has no such thing (404).
    KOSLI_NOT_FOUND = 10,
    /// The journal could not record or deliver.
    KOSLI_JOURNAL = 11,
    /// A gate or policy said no.
    KOSLI_POLICY_DENIED = 12,
    /// The caller cancelled.
    KOSLI_CANCELLED = 13,
    /// A required pointer argument was NULL.
    KOSLI_NULL_PARAMETER = 100,
    /// A string argument was not valid UTF-8.
    KOSLI_INVALID_UTF8 = 101,
    /// The library panicked; the call had no effect that can be relied on.
    KOSLI_PANIC = 102,
    /// An output buffer was too small; the call says how much is needed.
    KOSLI_BUFFER_TOO_SMALL = 103,
    /// The deploy step given to `kosli_client_deploy` failed (returned non-zero): nothing was
    /// reported; the step's code is given back.
    KOSLI_DEPLOY_STEP_FAILED = 104,
}

impl kosli_status {
    /// Every status, for tests and for `kosli_status_name`.
    pub const ALL: [kosli_status; 19] = [
        kosli_status::KOSLI_OK,
        kosli_status::KOSLI_INVALID_INPUT,
        kosli_status::KOSLI_IO,
        kosli_status::KOSLI_FINGERPRINT,
        kosli_status::KOSLI_PARSE,
        kosli_status::KOSLI_CONFIG,
        kosli_status::KOSLI_NETWORK,
        kosli_status::KOSLI_TIMEOUT,
        kosli_status::KOSLI_API,
        kosli_status::KOSLI_AUTH,
        kosli_status::KOSLI_NOT_FOUND,
        kosli_status::KOSLI_JOURNAL,
        kosli_status::KOSLI_POLICY_DENIED,
        kosli_status::KOSLI_CANCELLED,
        kosli_status::KOSLI_NULL_PARAMETER,
        kosli_status::KOSLI_INVALID_UTF8,
        kosli_status::KOSLI_PANIC,
        kosli_status::KOSLI_BUFFER_TOO_SMALL,
        kosli_status::KOSLI_DEPLOY_STEP_FAILED,
    ];

    /// The status for a core error kind: the same number as [`ErrorKind::code`].
    pub fn from_kind(kind: ErrorKind) -> kosli_status {
        Self::from_code(kind.code()).unwrap_or(kosli_status::KOSLI_INVALID_INPUT)
    }

    /// The status with this number, if there is one.
    pub fn from_code(code: u32) -> Option<kosli_status> {
        Self::ALL.iter().copied().find(|s| *s as u32 == code)
    }

    /// The C name (`KOSLI_OK`, ...).
    pub fn name(self) -> &'static str {
        match self {
            kosli_status::KOSLI_OK => "KOSLI_OK",
            kosli_status::KOSLI_INVALID_INPUT => "KOSLI_INVALID_INPUT",
            kosli_status::KOSLI_IO => "KOSLI_IO",
            kosli_status::KOSLI_FINGERPRINT => "KOSLI_FINGERPRINT",
            kosli_status::KOSLI_PARSE => "KOSLI_PARSE",
            kosli_status::KOSLI_CONFIG => "KOSLI_CONFIG",
            kosli_status::KOSLI_NETWORK => "KOSLI_NETWORK",
            kosli_status::KOSLI_TIMEOUT => "KOSLI_TIMEOUT",
            kosli_status::KOSLI_API => "KOSLI_API",
            kosli_status::KOSLI_AUTH => "KOSLI_AUTH",
            kosli_status::KOSLI_NOT_FOUND => "KOSLI_NOT_FOUND",
            kosli_status::KOSLI_JOURNAL => "KOSLI_JOURNAL",
            kosli_status::KOSLI_POLICY_DENIED => "KOSLI_POLICY_DENIED",
            kosli_status::KOSLI_CANCELLED => "KOSLI_CANCELLED",
            kosli_status::KOSLI_NULL_PARAMETER => "KOSLI_NULL_PARAMETER",
            kosli_status::KOSLI_INVALID_UTF8 => "KOSLI_INVALID_UTF8",
            kosli_status::KOSLI_PANIC => "KOSLI_PANIC",
            kosli_status::KOSLI_BUFFER_TOO_SMALL => "KOSLI_BUFFER_TOO_SMALL",
            kosli_status::KOSLI_DEPLOY_STEP_FAILED => "KOSLI_DEPLOY_STEP_FAILED",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_kind_keeps_its_number() {
        for kind in ErrorKind::ALL {
            assert_eq!(kosli_status::from_kind(kind) as u32, kind.code(), "{kind}");
            let c_name = kosli_status::from_kind(kind).name();
            let snake: String = kind
                .name()
                .chars()
                .enumerate()
                .flat_map(|(i, c)| {
                    let sep = (i > 0 && c.is_uppercase()).then_some('_');
                    sep.into_iter().chain(c.to_uppercase())
                })
                .collect();
            assert_eq!(c_name, format!("KOSLI_{snake}"));
        }
    }

    #[test]
    fn unknown_numbers_have_no_status() {
        assert_eq!(kosli_status::from_code(14), None);
        assert_eq!(kosli_status::from_code(99), None);
        assert_eq!(kosli_status::from_code(0), Some(kosli_status::KOSLI_OK));
    }
}
