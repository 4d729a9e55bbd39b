//! What goes on the wire: serde types for the Kosli API payloads, one file per payload, and the
//! Go-compatible JSON encoding the official CLI's payloads use.

pub mod go_json;
