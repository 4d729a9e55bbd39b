//! The SDK's file and dir fingerprints against the official CLI's answers: the contract's vectors
//! and the extended ones generated from the CLI (see `tests/fixtures/fingerprint/README.md`).
//!
//! The vectors spell paths relative to a working directory (`.`, `../excl`, `dirs/basic/.`), so
//! this test changes the process's current directory. That is why this binary holds exactly one
//! `#[test]`: nothing else may run concurrently in it.

mod fingerprint_common;

use fingerprint_common::{build_corpus, check_all, load, Report};

#[test]
fn fingerprints_match_the_cli_vectors() {
    let shared = load("vectors.json");
    let extended = load("vectors_extended.json");
    assert_eq!(
        shared.iter().filter(|v| v.informational.is_none()).count(),
        59,
        "the contract's sample"
    );
    assert!(
        extended.len() >= 250,
        "only {} extended vectors",
        extended.len()
    );

    let tmp = tempfile::tempdir().expect("temp dir");
    let corpus = build_corpus(tmp.path());
    let a = check_all("vectors.json", &shared, &mut |_| corpus.clone());
    let b = check_all("vectors_extended.json", &extended, &mut |_| corpus.clone());
    let report = Report {
        checked: a.checked + b.checked,
        failures: [a.failures, b.failures].concat(),
        known: [a.known, b.known].concat(),
    };
    report.assert_ok();
}
