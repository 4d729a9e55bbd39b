//! `kosli_client`: a thread-safe client over the SDK's blocking facade, and cancellation.

use std::ffi::c_char;
use std::sync::Arc;

use kosli_core::blocking::Client;
use kosli_core::client::CancelHandle;

use crate::args::{out_arg, owned_string};
use crate::config::{kosli_config, ConfigCell};
use crate::handles::{clone_arc, release_arc, shared, take_box};
use crate::panic::{ffi_status, ffi_value};
use crate::status::kosli_status;

/// A Kosli client. Thread-safe: one handle may be used from several threads at once. Freed
/// with `kosli_client_free`.
#[allow(non_camel_case_types, reason = "C naming")]
pub struct kosli_client {
    _private: [u8; 0],
}

/// A cancel handle: `kosli_cancel_cancel` makes every call of the clients bound to it (with
/// `kosli_client_with_cancel`) end with `KOSLI_CANCELLED`, from any thread.
#[allow(non_camel_case_types, reason = "C naming")]
pub struct kosli_cancel {
    _private: [u8; 0],
}

/// The `User-Agent` product this binding adds after the SDK's own.
const USER_AGENT_PRODUCT: &str = concat!("kosli-c/", env!("CARGO_PKG_VERSION"));

/// Builds a client from `config` and stores it in `*client_out`.
///
/// # Safety
/// `config` is a live handle (consumed here); `client_out` is writable.
unsafe fn make_client(
    config: *mut kosli_config,
    client_out: *mut *mut kosli_client,
    from_env: bool,
) -> Result<(), crate::error::FfiError> {
    // SAFETY: as documented for the caller; the handle is consumed whatever happens next.
    let builder =
        unsafe { take_box::<ConfigCell, kosli_config>(config) }.map(|mut cell| cell.take());
    // SAFETY: as documented for the caller.
    let slot = unsafe { out_arg(client_out, "client_out") }?;
    let builder = match builder {
        Some(b) => b,
        None if from_env => kosli_core::Config::builder(),
        None => return Err(crate::error::FfiError::Null("config")),
    };
    let config = if from_env {
        builder.load()?
    } else {
        builder.build()?
    };
    *slot = new_client_handle(config)?;
    Ok(())
}

/// A new client handle for `config`, with this binding's `User-Agent` product.
pub(crate) fn new_client_handle(
    config: kosli_core::Config,
) -> Result<*mut kosli_client, crate::error::FfiError> {
    let client = Client::with_options(config, None, Some(USER_AGENT_PRODUCT.to_string()))?;
    Ok(shared::<Client, kosli_client>(client))
}

/// A client from the values set on `config` and the defaults only. `config` is consumed
/// (freed) whatever the result.
///
/// # Safety
/// `config` is a live handle from `kosli_config_new`; `client_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_new(
    config: *mut kosli_config,
    client_out: *mut *mut kosli_client,
) -> kosli_status {
    // SAFETY: as documented for the caller.
    ffi_status!({ unsafe { make_client(config, client_out, false) } })
}

/// A client configured as the CLI is: values set on `config` (which may be NULL), then the
/// `KOSLI_*` environment variables, then the config file, then the defaults. `config` is
/// consumed (freed) whatever the result.
///
/// # Safety
/// `config` is NULL or a live handle; `client_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_from_env(
    config: *mut kosli_config,
    client_out: *mut *mut kosli_client,
) -> kosli_status {
    // SAFETY: as documented for the caller.
    ffi_status!({ unsafe { make_client(config, client_out, true) } })
}

/// Frees a client. `NULL` is a no-op. Calls still running on other threads finish first.
///
/// # Safety
/// `client` is NULL or a live handle, freed once.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_free(client: *mut kosli_client) {
    ffi_value!({
        // SAFETY: as documented for the caller.
        unsafe { release_arc::<Client, kosli_client>(client) }
    })
}

/// Asks the primary host whether it is ready (`GET /ready`); on success `*body_out` holds the
/// server's raw answer (`"OK"`, quotes included, as the CLI prints it), a string to free with
/// `kosli_string_free`.
///
/// # Safety
/// `client` is a live handle; `body_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_status(
    client: *const kosli_client,
    body_out: *mut *mut c_char,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller.
        let client = unsafe { clone_arc::<Client, kosli_client>(client, "client") }?;
        // SAFETY: as documented for the caller.
        let slot = unsafe { out_arg(body_out, "body_out") }?;
        let body = client.status()?;
        *slot = owned_string(body);
        Ok(())
    })
}

/// A new cancel handle, not cancelled. Freed with `kosli_cancel_free`.
#[no_mangle]
pub extern "C" fn kosli_cancel_new() -> *mut kosli_cancel {
    ffi_value!({ shared::<CancelHandle, kosli_cancel>(CancelHandle::new()) })
}

/// Cancels: calls bound to this handle end with `KOSLI_CANCELLED` (running ones as soon as
/// they can, later ones at once). Safe to call from any thread, more than once.
///
/// # Safety
/// `cancel` is a live handle.
#[no_mangle]
pub unsafe extern "C" fn kosli_cancel_cancel(cancel: *const kosli_cancel) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller.
        let handle = unsafe { clone_arc::<CancelHandle, kosli_cancel>(cancel, "cancel") }?;
        handle.cancel();
        Ok(())
    })
}

/// Frees a cancel handle. `NULL` is a no-op. Clients bound to it keep working with it.
///
/// # Safety
/// `cancel` is NULL or a live handle, freed once.
#[no_mangle]
pub unsafe extern "C" fn kosli_cancel_free(cancel: *mut kosli_cancel) {
    ffi_value!({
        // SAFETY: as documented for the caller.
        unsafe { release_arc::<CancelHandle, kosli_cancel>(cancel) }
    })
}

/// A new client handle sharing `client`'s configuration and connections whose calls end with
/// `KOSLI_CANCELLED` once `cancel` is cancelled. Free it with `kosli_client_free`.
///
/// # Safety
/// `client` and `cancel` are live handles; `client_out` is writable.
#[no_mangle]
pub unsafe extern "C" fn kosli_client_with_cancel(
    client: *const kosli_client,
    cancel: *const kosli_cancel,
    client_out: *mut *mut kosli_client,
) -> kosli_status {
    ffi_status!({
        // SAFETY: as documented for the caller.
        let client = unsafe { clone_arc::<Client, kosli_client>(client, "client") }?;
        // SAFETY: as documented for the caller.
        let handle = unsafe { clone_arc::<CancelHandle, kosli_cancel>(cancel, "cancel") }?;
        // SAFETY: as documented for the caller.
        let slot = unsafe { out_arg(client_out, "client_out") }?;
        let bound: Client = client.with_cancel(Arc::unwrap_or_clone(handle));
        *slot = shared::<Client, kosli_client>(bound);
        Ok(())
    })
}
