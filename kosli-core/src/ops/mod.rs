//! The reporting operations of the Kosli API, one file per area: a typed request (a builder for
//! the optional fields) and a typed response for each, and the [`crate::Client`] methods that
//! send them. Every request is byte-for-byte what the official CLI v2.43.1 sends (the
//! contract's wire.md §2).

pub mod artifacts_read;
pub mod attachments;
pub mod attest_artifact;
pub mod attestations;
pub mod compliance;
pub mod environments;
pub mod flows;
pub mod history;
pub mod naming;
pub mod snapshots;
pub mod trails;
