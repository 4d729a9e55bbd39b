//! The contract's evidence cases (tests/fixtures/evidence/{junit,snyk}/<case>/expected.json,
//! copied from the official CLI v2.43.1's answers): our `junit_results` / `snyk_results` equal
//! the CLI's as values, the whole `data_json` payload equals the CLI's dry-run text byte for
//! byte, and every input the CLI rejects is rejected.

use std::path::{Path, PathBuf};

use kosli_core::evidence::{junit, snyk};
use kosli_core::model::attestation::AttestationCommon;
use kosli_core::model::go_json;
use kosli_core::model::junit::JunitAttestation;
use kosli_core::model::snyk::SnykAttestation;
use serde_json::Value;

fn fixtures(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/evidence")
        .join(kind)
}

fn cases(kind: &str) -> Vec<(String, PathBuf, Value)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(fixtures(kind)).unwrap() {
        let dir = entry.unwrap().path();
        let expected = dir.join("expected.json");
        if !expected.is_file() {
            continue;
        }
        let value: Value = serde_json::from_slice(&std::fs::read(&expected).unwrap()).unwrap();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        out.push((name, dir, value));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(out.len() >= 15, "fixtures missing for {kind}");
    out
}

/// JSON equality with numbers compared as numbers (`0` equals `0.0`), key order ignored.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn attestation_name(expected: &Value) -> String {
    expected["payload"]["attestation_name"]
        .as_str()
        .unwrap_or("evidence")
        .to_owned()
}

#[test]
fn junit_cases_match_the_cli() {
    let mut checked = 0;
    for (name, dir, expected) in cases("junit") {
        let results = dir.join("results");
        // git keeps no empty folders: the empty_dir case's folder is made here.
        std::fs::create_dir_all(&results).unwrap();
        let got = junit::parse_dir(&results);
        match expected.get("junit_results") {
            Some(want) if !want.is_null() => {
                let summary = got.unwrap_or_else(|e| panic!("{name}: {e}"));
                let value = serde_json::to_value(&summary.suites).unwrap();
                assert!(same(&value, want), "{name}: got {value}, want {want}");
                let payload = JunitAttestation {
                    common: AttestationCommon::new(&attestation_name(&expected)).unwrap(),
                    junit_results: summary.suites,
                };
                let text = go_json::to_string_pretty(&payload).unwrap();
                assert_eq!(text, expected["payload_raw"].as_str().unwrap(), "{name}");
            }
            _ => {
                let err = got
                    .err()
                    .unwrap_or_else(|| panic!("{name}: the CLI fails, we did not"));
                let cli = expected["error"].as_str().unwrap();
                if cli.contains("no tests found") {
                    assert!(
                        err.to_string().starts_with("no tests found in "),
                        "{name}: {err}"
                    );
                } else {
                    assert_eq!(err.kind(), kosli_core::ErrorKind::Parse, "{name}: {err}");
                    assert!(
                        err.to_string().contains("XML syntax error on line "),
                        "{name}: {err}"
                    );
                }
            }
        }
        checked += 1;
    }
    assert!(checked >= 17);
}

#[test]
fn snyk_cases_match_the_cli() {
    for (name, dir, expected) in cases("snyk") {
        let got = snyk::parse_file(dir.join("scan.json"));
        match expected.get("snyk_results") {
            Some(want) if !want.is_null() => {
                let results = got.unwrap_or_else(|e| panic!("{name}: {e}"));
                let value = serde_json::to_value(&results).unwrap();
                assert!(same(&value, want), "{name}: got {value}, want {want}");
                let payload = SnykAttestation {
                    common: AttestationCommon::new(&attestation_name(&expected)).unwrap(),
                    snyk_results: results,
                };
                let text = go_json::to_string_pretty(&payload).unwrap();
                assert_eq!(text, expected["payload_raw"].as_str().unwrap(), "{name}");
            }
            _ => {
                let err = got
                    .err()
                    .unwrap_or_else(|| panic!("{name}: the CLI fails, we did not"));
                assert_eq!(err.kind(), kosli_core::ErrorKind::Parse, "{name}: {err}");
                let msg = err.to_string();
                assert!(
                    msg.starts_with("failed to parse Snyk sarif results file ["),
                    "{name}: {msg}"
                );
                // The CLI's own causes are kept where they are ours too.
                let cli = expected["error"].as_str().unwrap();
                for cause in [
                    "invalid sarif file",
                    "could not find level for rule ID: R1",
                    "doesn't have a file",
                ] {
                    if cli.contains(cause) {
                        assert!(msg.contains(cause), "{name}: {msg}");
                    }
                }
            }
        }
    }
}
