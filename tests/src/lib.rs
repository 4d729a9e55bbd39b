//! Shared helpers of the cross-crate tests: where the committed fixtures live.

use std::path::PathBuf;

/// The folder of committed fixtures (`tests/fixtures`).
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}
