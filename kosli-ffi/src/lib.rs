//! The C ABI of the Kosli SDK. The header `include/kosli.h` is generated from this crate by
//! cbindgen (`kosli-ffi/cbindgen.toml`) and committed.
//!
//! This crate holds no logic: argument conversion, handle lifetimes, error mapping. Every
//! exported function runs inside the panic boundary (`panic.rs`), checks every pointer, and
//! reports failures as a [`status::kosli_status`] plus a thread-local message.

mod args;
mod error;
mod handles;
mod panic;

pub mod client;
pub mod common;
pub mod config;
pub mod fingerprint;
pub mod outcome;
pub mod status;
pub mod version;

pub use status::kosli_status;
