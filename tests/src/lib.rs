//! Shared helpers of the cross-crate tests: where the committed fixtures live, and the fake
//! Kosli server ([`fake`]).

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Mutex, OnceLock};

pub mod fake;
pub mod fake_docker;
pub mod fake_kube;
pub mod fake_providers;
pub mod journal_load;
pub mod registry;

/// The folder of committed fixtures (`tests/fixtures`).
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The path of the example binary `name` (`kosli`, `pipeline`), built once per test process.
///
/// It is built with the workspace's features, as `cargo test --workspace --all-features`
/// (tests/run.sh) builds it, so that build usually has nothing left to do. The binary sits in
/// `target/<profile>/examples/`, beside the `deps/` folder of the running test.
pub fn example_binary(name: &str) -> PathBuf {
    static BUILT: OnceLock<Mutex<HashMap<String, PathBuf>>> = OnceLock::new();
    let built = BUILT.get_or_init(|| Mutex::new(HashMap::new()));
    let mut built = built.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(path) = built.get(name) {
        return path.clone();
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args([
            "build",
            "--quiet",
            "--workspace",
            "--all-features",
            "--example",
            name,
        ])
        .status()
        .unwrap_or_else(|e| panic!("running cargo to build the {name} example: {e}"));
    assert!(status.success(), "building the {name} example failed");
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("the test's own path: {e}"));
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .unwrap_or_else(|| panic!("{} is not in target/<profile>/deps", exe.display()));
    let path = profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    built.insert(name.to_string(), path.clone());
    path
}
