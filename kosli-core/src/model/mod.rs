//! What goes on the wire: serde types for the Kosli API payloads, one file per payload, and the
//! Go-compatible JSON encoding the official CLI's payloads use.

pub mod attestation;
pub mod go_json;
pub mod junit;
pub mod pull_request;
pub mod snyk;
