//! Samples in the shape real producers write (tests/fixtures/evidence/samples/README.md): the
//! dry-run block we print equals the official CLI's stdout byte for byte where the CLI accepts
//! the input; where it rejects it (legacy encodings, other SARIF schemas) we decode it and
//! check our own expected values; and every scan gives the expected `ScanSummary`.

use std::path::{Path, PathBuf};

use kosli_core::dryrun::{DryRun, Method, MultipartField};
use kosli_core::evidence::{junit, scan, snyk};
use kosli_core::model::attestation::AttestationCommon;
use kosli_core::model::junit::JunitAttestation;
use kosli_core::model::snyk::SnykAttestation;
use serde_json::Value;

const URL: &str = "https://app.kosli.com/api/v2/attestations/acme/demo-flow/trail/trail-1";

fn samples(kind: &str) -> Vec<PathBuf> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/evidence/samples")
        .join(kind);
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(base)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn cli_output(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("expected.dryrun.txt")).unwrap()
}

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

#[test]
fn junit_samples_print_what_the_cli_prints() {
    let mut compared = 0;
    for dir in samples("junit") {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let cli = cli_output(&dir);
        let summary =
            junit::parse_dir(dir.join("results")).unwrap_or_else(|e| panic!("{name}: {e}"));
        if cli.starts_with(kosli_core::dryrun::BANNER) {
            let payload = JunitAttestation {
                common: AttestationCommon::new("evidence").unwrap(),
                junit_results: summary.suites,
            };
            let run = DryRun::multipart(
                Method::Post,
                format!("{URL}/junit"),
                vec![MultipartField::json("data_json", &payload).unwrap()],
            );
            assert_eq!(run.to_string(), cli, "{name}");
            compared += 1;
        } else {
            // The CLI rejects the encoding; we decode it.
            assert!(
                cli.contains("only UTF-8") || cli.contains("invalid UTF-8"),
                "{name}: {cli}"
            );
            let want = read_json(&dir.join("expected.ours.json"));
            let got = serde_json::to_value(&summary.suites).unwrap();
            assert!(same(&got, &want), "{name}: got {got}, want {want}");
        }
    }
    assert!(
        compared >= 8,
        "only {compared} samples compared with the CLI"
    );
}

#[test]
fn snyk_samples_print_what_the_cli_prints() {
    let mut compared = 0;
    for dir in samples("snyk") {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let cli = cli_output(&dir);
        let file = dir.join("scan.json");
        if cli.starts_with(kosli_core::dryrun::BANNER) {
            let payload = SnykAttestation {
                common: AttestationCommon::new("evidence").unwrap(),
                snyk_results: snyk::parse_file(&file).unwrap_or_else(|e| panic!("{name}: {e}")),
            };
            let run = DryRun::multipart(
                Method::Post,
                format!("{URL}/snyk"),
                vec![
                    MultipartField::json("data_json", &payload).unwrap(),
                    MultipartField::file("attachment_file", &file),
                ],
            );
            assert_eq!(run.to_string(), cli, "{name}");
            compared += 1;
        } else {
            assert!(cli.ends_with("invalid sarif file\n"), "{name}: {cli}");
            let err = snyk::parse_file(&file).unwrap_err();
            assert!(
                err.to_string().ends_with("invalid sarif file"),
                "{name}: {err}"
            );
        }
    }
    assert!(compared >= 2);
}

fn check_summary(name: &str, got: &scan::ScanSummary, want: &Value) {
    let counts = serde_json::json!({
        "tool": got.tool, "version": got.version, "critical": got.critical, "high": got.high,
        "medium": got.medium, "low": got.low, "unknown": got.unknown,
    });
    for key in [
        "tool", "version", "critical", "high", "medium", "low", "unknown",
    ] {
        assert_eq!(counts[key], want[key], "{name}: {key}");
    }
    assert_eq!(got.total() as usize, got.findings.len(), "{name}");
    if let Some(findings) = want.get("findings") {
        let got: Vec<Value> = got
            .findings
            .iter()
            .map(|f| serde_json::json!([f.id, f.severity.as_str(), f.location]))
            .collect();
        assert_eq!(&Value::Array(got), findings, "{name}");
    }
}

#[test]
fn scans_summarise_by_severity() {
    let mut checked = 0;
    for dir in samples("snyk") {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let got = scan::parse_file(dir.join("scan.json")).unwrap_or_else(|e| panic!("{name}: {e}"));
        check_summary(&name, &got, &read_json(&dir.join("expected.scan.json")));
        checked += 1;
    }
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/evidence/samples/scan");
    let got = scan::parse_file(base.join("trivy_image.json")).unwrap();
    check_summary(
        "trivy_image",
        &got,
        &read_json(&base.join("trivy_image.expected.scan.json")),
    );
    assert_eq!(got.at_least(scan::Severity::High), 4);
    assert!(checked >= 4);
}
