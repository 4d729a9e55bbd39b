//! The committed header carries the crate's version, and the computed number agrees.

use std::fs;
use std::path::Path;

fn define(header: &str, name: &str) -> u32 {
    let prefix = format!("#define {name} ");
    let line = header
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("{name} missing"));
    line[prefix.len()..].trim().parse().unwrap()
}

#[test]
fn header_version_macros_match_cargo_toml() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../include/kosli.h");
    let header = fs::read_to_string(path).unwrap();
    let major: u32 = env!("CARGO_PKG_VERSION_MAJOR").parse().unwrap();
    let minor: u32 = env!("CARGO_PKG_VERSION_MINOR").parse().unwrap();
    let patch: u32 = env!("CARGO_PKG_VERSION_PATCH").parse().unwrap();
    assert_eq!(define(&header, "KOSLI_VERSION_MAJOR"), major);
    assert_eq!(define(&header, "KOSLI_VERSION_MINOR"), minor);
    assert_eq!(define(&header, "KOSLI_VERSION_PATCH"), patch);
    assert_eq!(
        define(&header, "KOSLI_VERSION_NUMBER"),
        major * 10_000 + minor * 100 + patch
    );
}
