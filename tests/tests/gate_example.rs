//! `kosli gate GATE.yml --junit DIR --scan FILE` (the example's own command): evaluates a local
//! gate file against evidence files, prints one line per rule, exits 0 when the gate allows
//! and 1 with the reasons when it denies; a bad gate file or a missing evidence file is a clear
//! error naming what was wrong. Nothing is sent anywhere (no host is given).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// A gate in the seed's shape, with limits the evidence below can pass or fail.
const GATE: &str = "\
policies:
- name: production-requirements
  rules:
  - type: test-evidence
    required: true
    max-failures: 0
  - type: security-scan
    required: true
    max-high-vulnerabilities: 0
";

/// JUnit results with `failures` failed testcases out of three.
fn junit_dir(root: &Path, failures: usize) -> PathBuf {
    let dir = root.join(format!("junit-{failures}"));
    std::fs::create_dir_all(&dir).unwrap();
    let cases: String = (0..3)
        .map(|i| {
            if i < failures {
                format!(r#"<testcase name="t{i}" time="0.1"><failure message="boom"/></testcase>"#)
            } else {
                format!(r#"<testcase name="t{i}" time="0.1"/>"#)
            }
        })
        .collect();
    std::fs::write(
        dir.join("results.xml"),
        format!(r#"<testsuite name="unit" tests="3">{cases}</testsuite>"#),
    )
    .unwrap();
    dir
}

/// A SARIF 2.1.0 scan with `high` results of level `error` (high severity).
fn scan_file(root: &Path, high: usize) -> PathBuf {
    let path = root.join(format!("scan-{high}.sarif"));
    let results: Vec<Value> = (0..high)
        .map(|i| {
            serde_json::json!({
                "ruleId": format!("R{i}"),
                "level": "error",
                "message": {"text": "bad"},
            })
        })
        .collect();
    let sarif = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "scanner", "rules": []}}, "results": results}],
    });
    std::fs::write(&path, sarif.to_string()).unwrap();
    path
}

fn gate(root: &Path, gate_text: &str, extra: &[&str]) -> (String, String, Option<i32>) {
    let file = root.join("gate.yml");
    std::fs::write(&file, gate_text).unwrap();
    let out = Command::new(kosli_tests::example_binary("kosli"))
        .env_clear()
        .env("HOME", root)
        .env("PATH", "/usr/bin:/bin")
        .current_dir(root)
        .arg("gate")
        .arg(&file)
        .args(extra)
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn passing_evidence_is_allowed_rule_by_rule() {
    let tmp = tempfile::tempdir().unwrap();
    let (junit, scan) = (junit_dir(tmp.path(), 0), scan_file(tmp.path(), 0));
    let (out, err, code) = gate(
        tmp.path(),
        GATE,
        &["--junit", s(&junit), "--scan", s(&scan)],
    );
    assert_eq!(code, Some(0), "stdout:\n{out}\nstderr:\n{err}");
    assert!(out.starts_with("RESULT: ALLOWED\n"), "{out}");
    assert_eq!(
        out.matches("  PASS  production-requirements: ").count(),
        2,
        "{out}"
    );
    assert!(!out.contains("FAIL"), "{out}");
}

#[test]
fn failing_tests_and_a_high_finding_deny_with_one_reason_each() {
    let tmp = tempfile::tempdir().unwrap();
    let (junit, scan) = (junit_dir(tmp.path(), 2), scan_file(tmp.path(), 1));
    let (out, err, code) = gate(
        tmp.path(),
        GATE,
        &["--junit", s(&junit), "--scan", s(&scan)],
    );
    assert_eq!(code, Some(1), "stdout:\n{out}\nstderr:\n{err}");
    assert!(out.starts_with("RESULT: DENIED\n"), "{out}");
    let fails: Vec<&str> = out.lines().filter(|l| l.contains("FAIL")).collect();
    assert_eq!(fails.len(), 2, "{out}");
    assert!(
        fails[0].contains("test-evidence") && fails[0].contains('2'),
        "{out}"
    );
    assert!(
        fails[1].contains("security-scan") && fails[1].contains('1'),
        "{out}"
    );
    assert!(err.contains("kosli gate"), "{err}");
}

#[test]
fn required_evidence_that_is_missing_denies() {
    let tmp = tempfile::tempdir().unwrap();
    let junit = junit_dir(tmp.path(), 0);
    let (out, _err, code) = gate(tmp.path(), GATE, &["--junit", s(&junit), "-o", "json"]);
    assert_eq!(code, Some(1), "{out}");
    let verdict: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(verdict["allowed"], false, "{verdict}");
    let results = verdict["results"].as_array().unwrap();
    let failed: Vec<&Value> = results.iter().filter(|r| !r["reason"].is_null()).collect();
    assert_eq!(failed.len(), 1, "{verdict}");
    assert_eq!(failed[0]["rule"], "security-scan", "{verdict}");
}

#[test]
fn a_bad_gate_file_names_its_line_and_bad_evidence_names_its_file() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = GATE.replace("max-failures", "max-failurez");
    let (out, err, code) = gate(tmp.path(), &bad, &[]);
    assert_ne!(code, Some(0), "{out}");
    assert!(
        err.contains("max-failurez") && err.contains("gate.yml:6:"),
        "{err}"
    );

    let missing = tmp.path().join("nope.sarif");
    let (_out, err, code) = gate(tmp.path(), GATE, &["--scan", s(&missing)]);
    assert_ne!(code, Some(0));
    assert!(err.contains("nope.sarif"), "{err}");
}
