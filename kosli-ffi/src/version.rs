//! The library's version, as macros in the header and as a function at run time.

use std::ffi::c_char;

use crate::panic::ffi_value;

/// Major version (the header's `KOSLI_VERSION_MAJOR`); a test checks it against Cargo.toml.
pub const KOSLI_VERSION_MAJOR: u32 = 0;
/// Minor version.
pub const KOSLI_VERSION_MINOR: u32 = 1;
/// Patch version.
pub const KOSLI_VERSION_PATCH: u32 = 0;
/// `MAJOR * 10000 + MINOR * 100 + PATCH`, for `#if KOSLI_VERSION_NUMBER >= ...`.
pub const KOSLI_VERSION_NUMBER: u32 = 100;

/// The version string with a trailing NUL, for C.
const VERSION_C: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

/// The library's version ("0.1.0"), a static string the caller must not free.
#[no_mangle]
pub extern "C" fn kosli_version() -> *const c_char {
    ffi_value!({ VERSION_C.as_ptr().cast::<c_char>() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macros_match_cargo_toml() {
        let parse = |s: &str| s.parse::<u32>().unwrap();
        assert_eq!(KOSLI_VERSION_MAJOR, parse(env!("CARGO_PKG_VERSION_MAJOR")));
        assert_eq!(KOSLI_VERSION_MINOR, parse(env!("CARGO_PKG_VERSION_MINOR")));
        assert_eq!(KOSLI_VERSION_PATCH, parse(env!("CARGO_PKG_VERSION_PATCH")));
        let computed =
            KOSLI_VERSION_MAJOR * 10_000 + KOSLI_VERSION_MINOR * 100 + KOSLI_VERSION_PATCH;
        assert_eq!(KOSLI_VERSION_NUMBER, computed);
        // SAFETY: kosli_version returns a static NUL-terminated string.
        let v = unsafe { std::ffi::CStr::from_ptr(kosli_version()) };
        assert_eq!(v.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
    }
}
