//! `kosli-core`: record software-delivery evidence in [Kosli](https://kosli.com) from inside
//! your programs.
//!
//! This crate holds all of the SDK's logic: typed models, fingerprints identical to the official
//! CLI's, and (in later modules) evidence parsers and the API client. The C and Python bindings
//! are thin layers over it.
//!
//! ```no_run
//! use kosli_core::{fingerprint, ArtifactRef, ArtifactType};
//! let fp = fingerprint::file("target/release/app")?;
//! let artifact = ArtifactRef::new("app", fp, ArtifactType::File)?;
//! assert_eq!(artifact.fingerprint().to_string().len(), 64);
//! # Ok::<(), kosli_core::Error>(())
//! ```
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

pub mod artifact;
pub mod blocking;
pub mod client;
pub mod config;
pub mod deploy;
pub mod drift;
pub mod dryrun;
pub mod error;
pub mod evidence;
pub mod fingerprint;
pub mod journal;
pub mod model;
pub mod operations;
pub mod ops;
pub mod policy;
pub mod progress;
pub mod provenance;
pub mod report;
pub mod review;
pub mod snapshot;

pub use artifact::{ArtifactRef, ArtifactType};
pub use client::{Client, Outcome};
pub use config::Config;
pub use error::{Error, ErrorKind, Result};
pub use fingerprint::Fingerprint;
pub use progress::{Progress, ProgressControl};
