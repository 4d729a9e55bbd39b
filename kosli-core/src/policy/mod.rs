//! Policy as code: local gates on the evidence a program holds ([`gate`]), Kosli environment
//! policies ([`environment`], and their operations in [`ops`]), and Rego policies with the
//! CLI's `evaluate` contract ([`rego`], feature `rego`; the trail input it reads from Kosli is
//! [`trail_input`]).
//!
//! Everything here takes plain data (YAML or Rego text, JSON values, the evidence summaries the
//! SDK already builds) and returns typed results that serialize to JSON, so the C and Python
//! bindings stay thin.

pub mod environment;
pub mod gate;
pub mod ops;
#[cfg(feature = "rego")]
pub mod rego;
pub mod trail_input;
