//! The C ABI of the Kosli SDK. The header `include/kosli.h` is generated from this crate by
//! cbindgen (`kosli-ffi/cbindgen.toml`) and committed.
//!
//! This crate holds no logic: argument conversion, handle lifetimes, error mapping. Every
//! exported function runs inside the panic boundary (`panic.rs`), checks every pointer, and
//! reports failures as a [`status::kosli_status`] plus a thread-local message.

mod args;
mod calls;
mod error;
mod handles;
mod options;
mod panic;

pub mod artifacts;
pub mod attest;
pub mod client;
pub mod common;
pub mod compliance;
pub mod config;
pub mod deploy;
pub mod environments;
pub mod evaluate;
pub mod fingerprint;
pub mod flows;
pub mod gate;
pub mod history;
pub mod journal;
pub mod outcome;
pub mod policies;
pub mod reports;
pub mod review;
pub mod runtime;
pub mod snapshots;
pub mod status;
pub mod trails;
pub mod version;

pub use status::kosli_status;
