//! Shared helpers of the cross-crate tests: where the committed fixtures live, and the fake
//! Kosli server ([`fake`]).

use std::path::PathBuf;

pub mod fake;
pub mod journal_load;

/// The folder of committed fixtures (`tests/fixtures`).
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}
