//! `kosli_config`: a configuration builder, then `kosli_client_new` consumes it.

use std::ffi::c_char;
use std::time::Duration;

use kosli_core::config::ConfigBuilder;
use kosli_core::Config;

use crate::args::str_arg;
use crate::error::FfiError;
use crate::handles::{borrow_box, boxed, take_box};
use crate::panic::{ffi_status, ffi_value};
use crate::status::kosli_status;

/// A configuration being built. Made by `kosli_config_new`, consumed by `kosli_client_new` or
/// `kosli_client_from_env`, or freed with `kosli_config_free`.
#[allow(non_camel_case_types, reason = "C naming")]
pub struct kosli_config {
    _private: [u8; 0],
}

/// The Rust side of a `kosli_config` handle: a builder that setters replace.
pub(crate) struct ConfigCell(Option<ConfigBuilder>);

impl ConfigCell {
    /// Replaces the builder with `f` of it.
    pub(crate) fn update(&mut self, f: impl FnOnce(ConfigBuilder) -> ConfigBuilder) {
        let builder = self.0.take().unwrap_or_else(Config::builder);
        self.0 = Some(f(builder));
    }

    /// The builder, leaving the handle empty (it is being consumed).
    pub(crate) fn take(&mut self) -> ConfigBuilder {
        self.0.take().unwrap_or_else(Config::builder)
    }
}

/// A new, empty configuration (nothing set: host, token and org come from the setters, or
/// from the environment and `~/.kosli.yml` with `kosli_client_from_env`).
#[no_mangle]
pub extern "C" fn kosli_config_new() -> *mut kosli_config {
    ffi_value!({ boxed::<ConfigCell, kosli_config>(ConfigCell(Some(Config::builder()))) })
}

/// Frees a configuration that was not consumed. `NULL` is a no-op.
///
/// # Safety
/// `config` is NULL or a live handle from `kosli_config_new`.
#[no_mangle]
pub unsafe extern "C" fn kosli_config_free(config: *mut kosli_config) {
    ffi_value!({
        // SAFETY: as documented for the caller.
        drop(unsafe { take_box::<ConfigCell, kosli_config>(config) });
    })
}

/// Applies one string setting.
///
/// # Safety
/// `config` is NULL or live; `value` is NULL or a NUL-terminated string.
pub(crate) unsafe fn set_str(
    config: *mut kosli_config,
    value: *const c_char,
    name: &'static str,
    apply: fn(ConfigBuilder, String) -> ConfigBuilder,
) -> Result<(), FfiError> {
    // SAFETY: as documented for the caller.
    let cell = unsafe { borrow_box::<ConfigCell, kosli_config>(config, "config") }?;
    // SAFETY: as documented for the caller.
    let value = unsafe { str_arg(value, name) }?.to_string();
    cell.update(|b| apply(b, value));
    Ok(())
}

/// Sets the Kosli host (or a comma-separated list of hosts).
///
/// # Safety
/// `config` is a live handle; `host` is a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn kosli_config_set_host(
    config: *mut kosli_config,
    host: *const c_char,
) -> kosli_status {
    // SAFETY: as documented for the caller.
    ffi_status!({ unsafe { set_str(config, host, "host", |b, v| b.host(v)) } })
}

/// Sets the API token (or a comma-separated list, one per host). The token is never logged.
///
/// # Safety
/// `config` is a live handle; `token` is a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn kosli_config_set_api_token(
    config: *mut kosli_config,
    token: *const c_char,
) -> kosli_status {
    // SAFETY: as documented for the caller.
    ffi_status!({ unsafe { set_str(config, token, "token", |b, v| b.api_token(v)) } })
}

/// Sets the Kosli organization.
///
/// # Safety
/// `config` is a live handle; `org` is a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn kosli_config_set_org(
    config: *mut kosli_config,
    org: *const c_char,
) -> kosli_status {
    // SAFETY: as documented for the caller.
    ffi_status!({ unsafe { set_str(config, org, "org", |b, v| b.org(v)) } })
}

/// Sets the HTTP proxy URL.
///
/// # Safety
/// `config` is a live handle; `url` is a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn kosli_config_set_http_proxy(
    config: *mut kosli_config,
    url: *const c_char,
) -> kosli_status {
    // SAFETY: as documented for the caller.
    ffi_status!({ unsafe { set_str(config, url, "url", |b, v| b.http_proxy(v)) } })
}

/// Sets the config file to read (instead of `~/.kosli.yml`) with `kosli_client_from_env`.
///
/// # Safety
/// `config` is a live handle; `path` is a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn kosli_config_set_config_file(
    config: *mut kosli_config,
    path: *const c_char,
) -> kosli_status {
    // SAFETY: as documented for the caller.
    ffi_status!({ unsafe { set_str(config, path, "path", |b, v| b.config_file(v)) } })
}

/// Sets an extra CA bundle (PEM file) trusted besides the platform's roots.
///
/// # Safety
/// `config` is a live handle; `path` is a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn kosli_config_set_ca_bundle(
    config: *mut kosli_config,
    path: *const c_char,
) -> kosli_status {
    // SAFETY: as documented for the caller.
    ffi_status!({ unsafe { set_str(config, path, "path", |b, v| b.ca_bundle(v)) } })
}

/// Sets how many times a failed call is retried (the CLI's `--max-api-retries`; default 3).
///
/// # Safety
/// `config` is a live handle.
#[no_mangle]
pub unsafe extern "C" fn kosli_config_set_max_api_retries(
    config: *mut kosli_config,
    retries: u32,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller.
        let cell = unsafe { borrow_box::<ConfigCell, kosli_config>(config, "config") }?;
        cell.update(|b| b.max_api_retries(retries));
        Ok(())
    })
}

/// Turns dry-run on or off: writes are returned as dry-run values instead of being sent.
///
/// # Safety
/// `config` is a live handle.
#[no_mangle]
pub unsafe extern "C" fn kosli_config_set_dry_run(
    config: *mut kosli_config,
    on: bool,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller.
        let cell = unsafe { borrow_box::<ConfigCell, kosli_config>(config, "config") }?;
        cell.update(|b| b.dry_run(on));
        Ok(())
    })
}

/// Allows sending the token over plain `http://` to a host that is not this machine.
///
/// # Safety
/// `config` is a live handle.
#[no_mangle]
pub unsafe extern "C" fn kosli_config_set_allow_insecure_http(
    config: *mut kosli_config,
    allow: bool,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller.
        let cell = unsafe { borrow_box::<ConfigCell, kosli_config>(config, "config") }?;
        cell.update(|b| b.allow_insecure_http(allow));
        Ok(())
    })
}

/// Sets the time limits in milliseconds: connecting, one attempt, and the whole call with its
/// retries. 0 leaves a limit at its default.
///
/// # Safety
/// `config` is a live handle.
#[no_mangle]
pub unsafe extern "C" fn kosli_config_set_timeouts(
    config: *mut kosli_config,
    connect_ms: u64,
    attempt_ms: u64,
    total_ms: u64,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller.
        let cell = unsafe { borrow_box::<ConfigCell, kosli_config>(config, "config") }?;
        cell.update(|mut b| {
            if connect_ms > 0 {
                b = b.connect_timeout(Duration::from_millis(connect_ms));
            }
            if attempt_ms > 0 {
                b = b.attempt_timeout(Duration::from_millis(attempt_ms));
            }
            if total_ms > 0 {
                b = b.total_timeout(Duration::from_millis(total_ms));
            }
            b
        });
        Ok(())
    })
}
