//! The operations of `kosli.Client`, one file per area as in `kosli_core::ops`: each adds its
//! methods in its own `#[pymethods] impl PyClient` block and converts the core's typed results
//! with `crate::records`.
//!
//! To add an operation: write its `blocking::Client` method in the core, then a method here
//! that copies the Python arguments into the core's request builder (with the GIL), calls
//! `self.run(py, |c| ...)` (without it) and returns `PyOutcome` for a write or a record for a
//! read; then its stub in `kosli/_kosli.pyi` and a test in `tests/python/`.

mod artifacts_read;
mod attest_artifact;
mod attestations;
mod compliance;
pub(crate) mod deploy;
mod environments;
pub(crate) mod flows;
pub(crate) mod history;
pub(crate) mod journal;
mod policies;
pub(crate) mod reports;
pub(crate) mod review;
mod snapshots;
mod snapshots_runtime;
mod trails;
